//! A client and a server with fuzzer-chosen configurations talk in
//! memory. Input: `[client scenario: 3][server scenario: 3][data]*`
//! (scenarios as `ferrotls_fuzz::Scenario::from_bytes`); the client sends
//! `data` through `Connection::seal_into`, the server sends it reversed
//! through `writer()`.
//!
//! Every run must end one of two ways: both handshakes complete and each
//! side received exactly the other's data (the client none when it closed
//! first under TLS ≤ 1.2, see `Scenario::close_notify`), or one side failed with an
//! alert and the other received that very alert. Anything else — a stall,
//! data lost or changed, two sides failing for different reasons — is a
//! desync and a crash.
#![no_main]

use ferrotls::{Error, ProtocolVersion, ServerConnection};
use ferrotls_fuzz::{
    client_config, drain, new_client, prime, server_config, server_turn, Endpoint, Scenario, EARLY,
    MAX_TURNS, SCENARIO_LEN,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((client_scenario, rest)) = input.split_first_chunk::<SCENARIO_LEN>() else {
        return;
    };
    let Some((server_scenario, data)) = rest.split_first_chunk::<SCENARIO_LEN>() else {
        return;
    };
    let client_scenario = Scenario::from_bytes(*client_scenario);
    let server_scenario = Scenario::from_bytes(*server_scenario);
    let (Ok(cc), Ok(sc)) = (
        client_config(client_scenario),
        server_config(server_scenario),
    ) else {
        return;
    };
    if client_scenario.resume {
        prime(&cc, &sc, client_scenario);
    }
    let Ok(mut client) = new_client(cc, client_scenario) else {
        return;
    };
    let mut server = ServerConnection::new(sc);
    let reversed: Vec<u8> = data.iter().rev().copied().collect();
    let mut ce = Endpoint::client(data, client_scenario);
    let mut se = Endpoint::server(&reversed, server_scenario);

    let mut to_server = drain(&mut client);
    let mut quiet = false;
    for _ in 0..MAX_TURNS {
        let (to_client, _) = server_turn(&mut se, &mut server, &to_server);
        let (next, _) = ce.turn(&mut client, &to_client);
        if to_server.is_empty() && to_client.is_empty() && next.is_empty() {
            quiet = true;
            break;
        }
        to_server = next;
    }
    let (client_error, server_error) = (client.error().cloned(), server.error().cloned());
    match (&client_error, &server_error) {
        (None, None) => {
            assert!(quiet, "the connection never went quiet");
            assert!(
                !client.is_handshaking() && !server.is_handshaking(),
                "handshake stalled"
            );
            // A client that closed first under TLS ≤ 1.2 may have ended
            // the connection before the server's data (RFC 5246 §7.2.1).
            let closed_first = client_scenario.close_notify
                && client.protocol_version() != Some(ProtocolVersion::TLSv1_3);
            assert!(
                ce.received == reversed || (closed_first && ce.received.is_empty()),
                "server-to-client data"
            );
            let early_then_data = [EARLY, data].concat();
            assert!(
                se.received == data || se.received == early_then_data,
                "client-to-server data"
            );
        }
        (Some(failed), None) | (None, Some(failed)) => {
            assert!(
                failed.alert().is_none() && !matches!(failed, Error::AlertReceived(_)),
                "one side failed with {failed:?}, the other did not hear of it"
            );
        }
        (Some(x), Some(y)) => {
            let agree = |local: &Error, remote: &Error| matches!((local.alert(), remote), (Some(a), Error::AlertReceived(b)) if a == *b);
            assert!(agree(x, y) || agree(y, x), "client {x:?} / server {y:?}");
        }
    }
});
