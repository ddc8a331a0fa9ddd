#!/usr/bin/env escript
%%! -noinput
%% Erlang/OTP's own TLS stack (the `ssl` application: its record layer
%% and handshakes are written in Erlang, only the primitives come from
%% libcrypto) as a peer for tests/interop_jsse_go_otp.rs, which runs it
%% with `escript` (OTP 25 or later; Debian's erlang-base and erlang-ssl):
%%
%%   client PORT ROOT_PEM VERSION CONNECTIONS SERVER_NAME [early | cert CHAIN_PEM KEY_PEM]
%%       connects CONNECTIONS times, each offering the TLS 1.2 session or
%%       the first TLS 1.3 ticket of the one before, verifying the
%%       server's chain to ROOT_PEM and its name, with VERSION (1.2 or
%%       1.3) alone; sends `GET /` and prints one `OTP <version> <suite>
%%       resumed=<bool> id=<hex>` line, then the page. With `early`
%%       (TLS 1.3), a connection that offers a ticket sends its request as
%%       0-RTT data instead; with `cert`, a server that asks for a
%%       certificate gets that chain, signed for with KEY_PEM;
%%   server CHAIN_PEM KEY_PEM VERSION CONNECTIONS [early | verify CA_PEM]
%%       listens on an ephemeral port of 127.0.0.1, prints
%%       `listening on 127.0.0.1:<port>`, then answers CONNECTIONS
%%       connections, each with one line of the request read and a page
%%       with the same `OTP ...` line it prints (`resumed=` in TLS 1.3
%%       only: OTP tells a TLS 1.2 server nothing of it). TLS 1.3 tickets
%%       are stateless, TLS 1.2 sessions are kept by ID. With `early`
%%       (TLS 1.3), 0-RTT data is accepted, behind OTP's anti-replay
%%       filter; with `verify`, every client must send a certificate
%%       chaining to CA_PEM.
%%
%% The same command line as JssePeer.java and gopeer/main.go, but for
%% the trailing options. Either side prints `OTP failed: <reason>` when a
%% connection fails.

-define(TIMEOUT, 10000).
-define(REQUEST, <<"GET / HTTP/1.0\r\n\r\n">>).

main(["client", Port, Root, Version, Connections, Name | Mode]) ->
    start(),
    Options = [{versions, [version(Version)]},
               {verify, verify_peer},
               {cacertfile, Root},
               {server_name_indication, Name},
               {customize_hostname_check,
                [{match_fun, public_key:pkix_verify_hostname_match_fun(https)}]},
               {active, false}
               | tickets(client, Version)],
    {Early, Auth} = mode(client, Mode, Version),
    lists:foldl(fun(_, Offer) -> client(list_to_integer(Port), Auth ++ Options, Early, Offer) end,
                none, lists:seq(1, list_to_integer(Connections))),
    ok;
main(["server", Chain, Key, Version, Connections | Mode]) ->
    start(),
    {Early, Auth} = case mode(server, Mode, Version) of
                        {true, []} -> {[{early_data, enabled}, {anti_replay, '10k'}], []};
                        {false, []} -> {[], [{cacertfile, Chain}]};
                        {false, Verify} -> {[], Verify}
                    end,
    Options = [{certfile, Chain},
               {keyfile, Key},
               {versions, [version(Version)]},
               {ip, {127, 0, 0, 1}},
               {reuseaddr, true},
               {active, false},
               {packet, line}
               | tickets(server, Version) ++ Early ++ Auth],
    {ok, Listener} = ssl:listen(0, Options),
    {ok, {_, Port}} = ssl:sockname(Listener),
    io:format("listening on 127.0.0.1:~b~n", [Port]),
    [serve(Listener) || _ <- lists:seq(1, list_to_integer(Connections))],
    ok;
main(_) ->
    usage().

usage() ->
    io:format(standard_error, "usage: see the header of otp_peer.escript~n", []),
    halt(2).

start() ->
    {ok, _} = application:ensure_all_started(ssl).

version("1.2") -> 'tlsv1.2';
version("1.3") -> 'tlsv1.3';
version(_) -> usage().

%% The trailing options: whether 0-RTT is asked for (which only TLS 1.3
%% has), and the certificate options of a client that holds one or a
%% server that requires one.
mode(_, [], _) -> {false, []};
mode(_, ["early"], "1.3") -> {true, []};
mode(client, ["cert", Chain, Key], _) -> {false, [{certfile, Chain}, {keyfile, Key}]};
mode(server, ["verify", Ca], _) ->
    {false, [{verify, verify_peer}, {fail_if_no_peer_cert, true}, {cacertfile, Ca}]};
mode(_, _, _) -> usage().

%% TLS 1.3 tickets: OTP's server seals them (`stateless`), its client hands
%% them to this program (`manual`), which offers them itself. A TLS 1.2
%% session is kept by ID, which both sides do by default.
tickets(client, "1.3") -> [{session_tickets, manual}];
tickets(server, "1.3") -> [{session_tickets, stateless}];
tickets(_, "1.2") -> [].

%% One connection, offering `Offer`: `none`, `{session, Id, Data}` (TLS
%% 1.2) or `{ticket, Ticket}` (TLS 1.3). Returns what to offer next. OTP's
%% own TLS 1.2 session cache files a client's sessions under the server
%% name but looks them up under the address connected to, so with a name
%% other than the address the session is handed over here.
client(Port, Options, Early, Offer) ->
    Version = proplists:get_value(versions, Options),
    case ssl:connect("127.0.0.1", Port, offer(Offer, Version, Early) ++ Options, ?TIMEOUT) of
        {ok, Socket} ->
            {ok, Info} = ssl:connection_information(Socket, [protocol, session_id, session_data]),
            io:format("~s~n", [describe(Socket, [{resumed, resumed(Info, Offer)}])]),
            case {Offer, Early} of
                {{ticket, _}, true} -> ok;
                _ -> ok = ssl:send(Socket, ?REQUEST)
            end,
            page(Socket),
            ssl:close(Socket),
            next_offer(Info);
        {error, Reason} ->
            io:format("OTP failed: ~p~n", [Reason]),
            Offer
    end.

offer(none, ['tlsv1.2'], _) -> [{reuse_sessions, save}];
offer(none, ['tlsv1.3'], _) -> [];
offer({session, Id, Data}, _, _) -> [{reuse_session, {Id, Data}}];
offer({ticket, Ticket}, _, false) -> [{use_ticket, [Ticket]}];
offer({ticket, Ticket}, _, true) -> [{use_ticket, [Ticket]}, {early_data, ?REQUEST}].

%% OTP reports resumption in TLS 1.3 only; in TLS 1.2 a server resumes by
%% echoing the offered ID (RFC 5246 §7.4.1.3).
resumed(Info, Offer) ->
    Id = proplists:get_value(session_id, Info),
    case Offer of
        {session, Id, _} -> true;
        _ -> false
    end.

%% The session of a connection (TLS 1.2, from its `Info`), or the first
%% ticket it brought (TLS 1.3, read by now with the page).
next_offer(Info) ->
    case proplists:get_value(protocol, Info) of
        'tlsv1.2' ->
            {session, proplists:get_value(session_id, Info),
             proplists:get_value(session_data, Info)};
        'tlsv1.3' ->
            tickets_received(none)
    end.

tickets_received(First) ->
    receive
        {ssl, session_ticket, Ticket} when First =:= none -> tickets_received({ticket, Ticket});
        {ssl, session_ticket, _} -> tickets_received(First)
    after 0 ->
        First
    end.

%% Prints the page, each line indented, until the server closes.
page(Socket) ->
    case ssl:recv(Socket, 0, ?TIMEOUT) of
        {ok, Data} ->
            [io:format("  ~s~n", [Line]) || Line <- string:split(Data, "\n", all), Line =/= ""],
            page(Socket);
        {error, _} ->
            ok
    end.

serve(Listener) ->
    Result = case ssl:transport_accept(Listener, ?TIMEOUT) of
                 {ok, Transport} ->
                     case ssl:handshake(Transport, ?TIMEOUT) of
                         {ok, Socket} -> answer(Socket);
                         {error, Reason} -> {error, Reason}
                     end;
                 {error, Reason} ->
                     {error, Reason}
             end,
    case Result of
        ok -> ok;
        {error, Why} -> io:format("OTP failed: ~p~n", [Why])
    end.

%% Reads the request line, then sends a page naming the handshake.
answer(Socket) ->
    Line = describe(Socket, []),
    case ssl:recv(Socket, 0, ?TIMEOUT) of
        {ok, Request} ->
            io:format("~s request=~s~n", [Line, string:trim(Request)]),
            ok = ssl:send(Socket, ["HTTP/1.0 200 OK\r\n\r\n", Line, "\n"]),
            ssl:close(Socket),
            ok;
        {error, Reason} ->
            {error, Reason}
    end.

%% One line naming what the handshake of `Socket` settled; `resumed=` is
%% left out where neither OTP nor `Known` says.
describe(Socket, Known) ->
    {ok, Info} = ssl:connection_information(
                   Socket, [protocol, selected_cipher_suite, session_id, session_resumption]),
    Protocol = case proplists:get_value(protocol, Info) of
                   'tlsv1.3' -> "TLSv1.3";
                   'tlsv1.2' -> "TLSv1.2"
               end,
    Suite = ssl:suite_to_str(proplists:get_value(selected_cipher_suite, Info)),
    Resumed = case {Protocol, proplists:get_value(resumed, Known)} of
                  {"TLSv1.3", _} -> proplists:get_value(session_resumption, Info);
                  {_, Value} -> Value
              end,
    Id = string:lowercase(binary:encode_hex(proplists:get_value(session_id, Info, <<>>))),
    case Resumed of
        undefined -> io_lib:format("OTP ~s ~s id=~s", [Protocol, Suite, Id]);
        _ -> io_lib:format("OTP ~s ~s resumed=~s id=~s", [Protocol, Suite, Resumed, Id])
    end.
