//! TLS 1.3 0-RTT in memory (RFC 8446 §4.2.10): accepted, rejected (and
//! skipped by the server), replayed (refused, since tickets are single
//! use), after a HelloRetryRequest, and over the limit.

mod common;

use ferrotls::internal::error::{
    IllegalParameterReason, InvalidRequestReason, LimitExceededReason, ProtocolVersionReason,
    UnexpectedMessageReason,
};
use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
use std::io::{Read, Write};
use std::sync::Arc;

use common::*;
use ferrotls::{
    AlertDescription, CipherSuite, ClientConfig, ClientConnection, ClientSessionStore, Clock,
    EarlyDataReason, EarlyDataStatus, Error, ExternalPsk, ExternalPsks, HashAlgorithm,
    InMemoryClientStore, InMemoryServerStore, ManualClock, NamedGroup, OsRng, ProtocolVersion,
    RotatingTicketer, ServerConfig, ServerConfigBuilder, ServerConnection, ServerSessionStore,
    Ticketer, UnixTime, DEFAULT_MAX_CONSECUTIVE_EMPTY_RECORDS,
};

const MAX_EARLY: u32 = 1024;

/// How EncryptedExtensions decode under TLS_AES_128_GCM_SHA256.
const TLS13_CX: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_3,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 32,
};

struct Setup {
    store: Arc<dyn ServerSessionStore>,
    ticketer: Arc<dyn Ticketer>,
    clock: Arc<dyn Clock>,
}

impl Setup {
    fn new() -> Self {
        let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
        Self {
            store: Arc::new(InMemoryServerStore::new(clock.clone())),
            ticketer: Arc::new(
                RotatingTicketer::new(Arc::new(OsRng::new()), clock.clone()).unwrap(),
            ),
            clock,
        }
    }

    /// A server sharing this setup's store and ticketer, accepting `max`
    /// bytes of 0-RTT.
    fn server(&self, max: u32) -> Arc<ServerConfig> {
        self.server_builder(max).build().unwrap()
    }

    /// The builder of [`Self::server`], for a server that differs in
    /// more.
    fn server_builder(&self, max: u32) -> ServerConfigBuilder {
        server_builder("p256")
            .clock(self.clock.clone())
            .session_store(self.store.clone())
            .ticketer(self.ticketer.clone())
            .max_early_data_size(max)
    }

    /// A primed client and server whose groups force a
    /// HelloRetryRequest on every handshake (the client sends a P-384
    /// share alone, named so that no key-share hint replaces it; the
    /// server takes X25519 only), the ticket allowing `MAX_EARLY` bytes
    /// of 0-RTT.
    fn retrying_pair(&self) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
        let client = client_builder("p256")
            .clock(self.clock.clone())
            .enable_early_data(true)
            .groups(&[NamedGroup::secp384r1, NamedGroup::X25519])
            .key_share_groups(&[NamedGroup::secp384r1])
            .build()
            .unwrap();
        let server = self
            .server_builder(MAX_EARLY)
            .groups(&[NamedGroup::X25519])
            .build()
            .unwrap();
        prime(&client, &server);
        (client, server)
    }

    /// A primed client and a server accepting `MAX_EARLY` bytes of 0-RTT,
    /// sending half-RTT data when `half_rtt`.
    fn primed_half_rtt(&self, half_rtt: bool) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
        let client = self.client();
        let server = self
            .server_builder(MAX_EARLY)
            .send_half_rtt_data(half_rtt)
            .build()
            .unwrap();
        prime(&client, &server);
        (client, server)
    }

    fn client(&self) -> Arc<ClientConfig> {
        client_builder("p256")
            .clock(self.clock.clone())
            .enable_early_data(true)
            .build()
            .unwrap()
    }
}

/// A full handshake whose tickets reach the client's store.
fn prime(client: &Arc<ClientConfig>, server: &Arc<ServerConfig>) {
    let (c, s) = handshaken(client.clone(), server.clone(), server_name("p256"));
    assert_eq!(c.early_data_status(), EarlyDataStatus::NotOffered);
    // No ticket yet to send 0-RTT data under; the server saw no PSK.
    let client_reason = match client.enable_early_data {
        true => EarlyDataReason::NoSessionOffered,
        false => EarlyDataReason::Disabled,
    };
    assert_eq!(c.early_data_reason(), Some(client_reason));
    // (An external PSK is a PSK offered, without 0-RTT data.)
    let server_reason = match (server.max_early_data_size, client.external_psks.is_empty()) {
        (0, _) => EarlyDataReason::Disabled,
        (_, true) => EarlyDataReason::NoSessionOffered,
        (_, false) => EarlyDataReason::PeerDeclined,
    };
    assert_eq!(s.early_data_reason(), Some(server_reason));
}

fn read_all(conn: &mut ferrotls::Connection) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = conn.reader().read(&mut buf) {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    out
}

#[test]
fn early_data_is_accepted_and_readable_before_the_handshake_ends() {
    let setup = Setup::new();
    let (client, server) = (setup.client(), setup.server(MAX_EARLY));
    prime(&client, &server);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    assert_eq!(c.early_data_status(), EarlyDataStatus::Offered);
    assert_eq!(c.write_early_data(b"GET / early").unwrap(), 11);
    let mut s = ServerConnection::new(server);
    transfer(&mut c, &mut s).1.unwrap();
    assert!(s.is_handshaking());
    assert_eq!(s.early_data_status(), EarlyDataStatus::Accepted);
    assert_eq!(read_all(&mut s), b"GET / early");
    handshake(&mut c, &mut s);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(c.early_data_status(), EarlyDataStatus::Accepted);
    for conn in [&*c, &*s] {
        assert_eq!(conn.early_data_reason(), Some(EarlyDataReason::Accepted));
    }
    send_and_check(&mut c, &mut s, b"after 0-RTT");
    send_and_check(&mut s, &mut c, b"reply");
}

/// A resumption whose 0-RTT request `GET` the server (sending half-RTT
/// data or not) answers with `reply` as soon as it has read it; returns
/// what the client can read once the server's first flight is in, before
/// its Finished went out.
fn reply_in_the_first_flight(half_rtt: bool) -> Vec<u8> {
    let (client, server) = Setup::new().primed_half_rtt(half_rtt);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    let mut s = ServerConnection::new(server);
    // Written before the ClientHello arrives: held until data may go.
    s.writer().write_all(b"hello, ").unwrap();
    c.write_early_data(b"GET").unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    assert_eq!(s.early_data_status(), EarlyDataStatus::Accepted);
    assert_eq!(read_all(&mut s), b"GET");
    s.writer().write_all(b"reply").unwrap();
    assert!(s.is_handshaking(), "the client's Finished has not come");
    transfer(&mut s, &mut c).1.unwrap();
    assert!(!c.is_handshaking());
    let early = read_all(&mut c);
    // Either way the connection goes on, and what did not go early
    // arrives once the client's Finished is in.
    handshake(&mut c, &mut s);
    transfer(&mut s, &mut c).1.unwrap();
    let mut all = early.clone();
    all.extend(read_all(&mut c));
    assert_eq!(all, b"hello, reply");
    send_and_check(&mut c, &mut s, b"after");
    early
}

#[test]
fn rfc8446_4_4_4_half_rtt_data_answers_0rtt_in_the_server_first_flight() {
    assert_eq!(reply_in_the_first_flight(true), b"hello, reply");
}

#[test]
fn without_half_rtt_data_the_answer_waits_for_the_client_finished() {
    assert!(reply_in_the_first_flight(false).is_empty());
}

/// A blocking `Stream` server (sending half-RTT data or not) reads a
/// resumed client's 0-RTT request `GET`, answers `reply` and reads
/// `after`; the client holds its Finished back until the answer is in, or
/// for [`HOLD_LIMIT`]. Returns what the client read before its Finished
/// went, and whether the server was still in its handshake when it
/// answered.
fn stream_server_answers_0rtt(half_rtt: bool) -> (Vec<u8>, bool) {
    let (client, server) = Setup::new().primed_half_rtt(half_rtt);
    let (mut client_io, mut server_io) = std::os::unix::net::UnixStream::pair().unwrap();
    let server_side = std::thread::spawn(move || {
        let mut s = ServerConnection::new(server);
        let mut stream = ferrotls::Stream::new(&mut s, &mut server_io);
        let mut request = [0; 3];
        stream.read_exact(&mut request).unwrap();
        assert_eq!(&request, b"GET");
        stream.write_all(b"reply").unwrap();
        let answered_in_handshake = stream.conn.is_handshaking();
        let mut after = [0; 5];
        stream.read_exact(&mut after).unwrap();
        assert_eq!(&after, b"after");
        answered_in_handshake
    });
    client_io.set_read_timeout(Some(HOLD_LIMIT)).unwrap();
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    c.write_early_data(b"GET").unwrap();
    let before_finished = read_holding_back_last_flight(&mut c, &mut client_io, b"reply".len());
    c.writer().write_all(b"after").unwrap();
    send_queued(&mut c, &mut client_io);
    (before_finished, server_side.join().unwrap())
}

/// RFC 8446 §4.4.4 with §4.2.10: a blocking `Stream` server that sends
/// half-RTT data reads the accepted 0-RTT request before the client's
/// Finished and its answer goes then; without half-RTT data the read
/// waits for that Finished.
#[test]
fn rfc8446_4_4_4_a_half_rtt_stream_server_answers_0rtt_before_the_client_finished() {
    assert_eq!(stream_server_answers_0rtt(true), (b"reply".to_vec(), true));
    assert_eq!(stream_server_answers_0rtt(false), (Vec::new(), false));
}

#[test]
fn rfc8446_4_4_4_no_half_rtt_data_to_a_client_asked_for_a_certificate() {
    let client = client_builder("p256")
        .client_certificate(certified_key("p384"))
        .build()
        .unwrap();
    for (builder, goes_early) in [
        (server_builder("p256"), true),
        (client_auth_server_builder("p256", "p384", true), false),
    ] {
        let server = builder.send_half_rtt_data(true).build().unwrap();
        let (mut c, mut s) = pair(client.clone(), server, server_name("p256"));
        transfer(&mut c, &mut s).1.unwrap();
        s.writer().write_all(b"reply").unwrap();
        transfer(&mut s, &mut c).1.unwrap();
        let early = read_all(&mut c);
        assert_eq!(early == b"reply", goes_early, "{early:?}");
        handshake(&mut c, &mut s);
        transfer(&mut s, &mut c).1.unwrap();
        let mut all = early;
        all.extend(read_all(&mut c));
        assert_eq!(all, b"reply");
    }
}

/// RFC 8446 §7.5: the exporter secret follows the server's Finished, so
/// a server that sends half-RTT data may export from then on; the
/// material is the client's once its handshake is done. Without half-RTT
/// data, or when a client certificate was asked for, not before the
/// handshake completes.
#[test]
fn rfc8446_7_5_a_server_sending_half_rtt_data_exports_before_the_client_finished() {
    let export = |conn: &ferrotls::Connection| {
        let mut out = [0u8; 32];
        conn.export_keying_material(&mut out, b"EXPERIMENTAL half", None)
            .map(|()| out)
    };
    let client = client_builder("p256")
        .client_certificate(certified_key("p384"))
        .build()
        .unwrap();
    for (builder, half_rtt, exports_early) in [
        (server_builder("p256"), true, true),
        (server_builder("p256"), false, false),
        (
            client_auth_server_builder("p256", "p384", true),
            true,
            false,
        ),
    ] {
        let server = builder.send_half_rtt_data(half_rtt).build().unwrap();
        let (mut c, mut s) = pair(client.clone(), server, server_name("p256"));
        transfer(&mut c, &mut s).1.unwrap();
        assert!(s.is_handshaking());
        let early = export(&s);
        if exports_early {
            handshake(&mut c, &mut s);
            assert_eq!(early.unwrap(), export(&c).unwrap());
        } else {
            assert_eq!(
                early.unwrap_err(),
                Error::InvalidRequest(InvalidRequestReason::ExporterBeforeHandshake)
            );
        }
    }
}

#[test]
fn early_data_is_capped_by_the_ticket() {
    let setup = Setup::new();
    let (client, server) = (setup.client(), setup.server(MAX_EARLY));
    prime(&client, &server);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    let big = vec![7u8; 3000];
    assert_eq!(c.write_early_data(&big).unwrap(), MAX_EARLY as usize);
    assert_eq!(c.write_early_data(&big).unwrap(), 0);
    let mut s = ServerConnection::new(server);
    handshake(&mut c, &mut s);
    assert_eq!(read_all(&mut s), vec![7u8; MAX_EARLY as usize]);
}

#[test]
fn rejected_early_data_is_skipped_and_can_be_resent() {
    let setup = Setup::new();
    let client = setup.client();
    prime(&client, &setup.server(MAX_EARLY));
    // The same sessions, but this server no longer takes 0-RTT.
    let server = setup.server(0);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    c.write_early_data(b"lost").unwrap();
    let mut s = ServerConnection::new(server);
    handshake(&mut c, &mut s);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(s.early_data_status(), EarlyDataStatus::Rejected);
    assert_eq!(c.early_data_status(), EarlyDataStatus::Rejected);
    // The server knows why; the client only that it declined.
    assert_eq!(s.early_data_reason(), Some(EarlyDataReason::Disabled));
    assert_eq!(c.early_data_reason(), Some(EarlyDataReason::PeerDeclined));
    assert!(read_all(&mut s).is_empty());
    send_and_check(&mut c, &mut s, b"lost");
}

#[test]
fn replayed_early_data_is_rejected() {
    let setup = Setup::new();
    let (client, server) = (setup.client(), setup.server(MAX_EARLY));
    prime(&client, &server);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    c.write_early_data(b"transfer 100").unwrap();
    let mut first_flight = Vec::new();
    let mut s = ServerConnection::new(server.clone());
    transfer_altered(&mut c, &mut s, |b| first_flight = b.clone())
        .1
        .unwrap();
    assert_eq!(read_all(&mut s), b"transfer 100");
    // An attacker replays the ClientHello and its early data.
    let mut replayed = ServerConnection::new(server);
    replayed.read_tls(&mut first_flight.as_slice()).unwrap();
    replayed.process_new_packets().unwrap();
    assert_eq!(replayed.early_data_status(), EarlyDataStatus::Rejected);
    assert!(!replayed.is_resumed());
    // The single-use ticket is spent, so nothing resumes.
    assert_eq!(
        replayed.early_data_reason(),
        Some(EarlyDataReason::SessionNotResumed)
    );
    assert!(read_all(&mut replayed).is_empty());
}

#[test]
fn hello_retry_request_rejects_early_data_but_resumes() {
    let (client, server) = Setup::new().retrying_pair();
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    c.write_early_data(b"too early").unwrap();
    let mut s = ServerConnection::new(server);
    handshake(&mut c, &mut s);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(c.early_data_status(), EarlyDataStatus::Rejected);
    assert_eq!(s.early_data_status(), EarlyDataStatus::Rejected);
    for conn in [&*c, &*s] {
        assert_eq!(
            conn.early_data_reason(),
            Some(EarlyDataReason::HelloRetryRequest)
        );
    }
    assert!(read_all(&mut s).is_empty());
}

#[test]
fn more_early_data_than_allowed_is_unexpected() {
    let setup = Setup::new();
    let client = setup.client();
    prime(&client, &setup.server(MAX_EARLY));
    // This server allows less than the ticket it issued promised.
    let server = setup.server(10);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    c.write_early_data(&[1u8; 100]).unwrap();
    let mut s = ServerConnection::new(server);
    assert!(matches!(
        transfer(&mut c, &mut s).1,
        Err(Error::UnexpectedMessage(
            UnexpectedMessageReason::TooMuchEarlyData
        ))
    ));
}

#[test]
fn early_data_needs_a_ticket_that_allows_it() {
    let setup = Setup::new();
    let client = setup.client();
    // Tickets from a server without 0-RTT carry no max_early_data_size.
    prime(&client, &setup.server(0));
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    assert_eq!(c.early_data_status(), EarlyDataStatus::NotOffered);
    assert_eq!(
        c.early_data_reason(),
        Some(EarlyDataReason::UnsupportedForSession)
    );
    assert!(matches!(
        c.write_early_data(b"x"),
        Err(Error::InvalidRequest(InvalidRequestReason::EarlyDataNotNow))
    ));
}

/// The reasons a client and a server give for a resumption of a session
/// primed by `setup`'s 0-RTT server, where the client is `client` and
/// the server `server`; the client sends 0-RTT data when it can.
fn reasons_on_resumption(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
) -> (Option<EarlyDataReason>, Option<EarlyDataReason>) {
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    if c.early_data_status() == EarlyDataStatus::Offered {
        c.write_early_data(b"early").unwrap();
    }
    let mut s = ServerConnection::new(server);
    handshake(&mut c, &mut s);
    (c.early_data_reason(), s.early_data_reason())
}

#[test]
fn each_side_says_why_0rtt_was_not_used() {
    use EarlyDataReason as R;
    let setup = Setup::new();
    let server = setup.server(MAX_EARLY);
    let primed = |client: Arc<ClientConfig>| {
        prime(&client, &server);
        client
    };
    // A client with 0-RTT off.
    let off = client_builder("p256")
        .clock(setup.clock.clone())
        .build()
        .unwrap();
    assert_eq!(
        reasons_on_resumption(primed(off), server.clone()),
        (Some(R::Disabled), Some(R::PeerDeclined))
    );
    // A client that no longer offers the ticket's ALPN protocol (RFC
    // 8446 §4.2.10: 0-RTT goes with the session's, which the server must
    // select again).
    let alpn_server = setup
        .server_builder(MAX_EARLY)
        .alpn_protocols(&[b"h2", b"http/1.1"])
        .build()
        .unwrap();
    let sessions: Arc<dyn ClientSessionStore> =
        Arc::new(InMemoryClientStore::new(setup.clock.clone()));
    let alpn_client = |protocols: &[&[u8]]| {
        client_builder("p256")
            .clock(setup.clock.clone())
            .enable_early_data(true)
            .alpn_protocols(protocols)
            .session_store(Some(sessions.clone()))
            .build()
            .unwrap()
    };
    prime(&alpn_client(&[b"h2"]), &alpn_server);
    let http11 = alpn_client(&[b"http/1.1"]);
    assert_eq!(
        reasons_on_resumption(http11, alpn_server.clone()),
        (Some(R::AlpnMismatch), Some(R::PeerDeclined))
    );
    // A server whose ticket did not resume: another store and ticketer.
    let stranger = Setup::new().server(MAX_EARLY);
    assert_eq!(
        reasons_on_resumption(primed(setup.client()), stranger),
        (Some(R::SessionNotResumed), Some(R::SessionNotResumed))
    );
    // A client of TLS 1.2 alone, and a server of TLS 1.2 alone.
    let tls12 = client_builder("p256")
        .clock(setup.clock.clone())
        .enable_early_data(true)
        .versions(&[ProtocolVersion::TLSv1_2])
        .build()
        .unwrap();
    let tls12_server = setup
        .server_builder(MAX_EARLY)
        .versions(&[ProtocolVersion::TLSv1_2])
        .build()
        .unwrap();
    let (c, s) = handshaken(tls12, tls12_server, server_name("p256"));
    assert_eq!(c.early_data_reason(), Some(R::ProtocolVersion));
    assert_eq!(s.early_data_reason(), Some(R::ProtocolVersion));
}

/// A client primed on a setup whose clock is a `ManualClock`, that wrote
/// `early` as 0-RTT data, and the setup after its clock moved past the
/// ticket-age window (RFC 8446 §8.3): the ClientHello arrives late.
fn late_0rtt(early: &[u8]) -> (Setup, ClientConnection) {
    let clock = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    let setup = Setup {
        store: Arc::new(InMemoryServerStore::new(clock.clone())),
        clock: clock.clone(),
        ..Setup::new()
    };
    let client = setup.client();
    prime(&client, &setup.server(MAX_EARLY));
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    c.write_early_data(early).unwrap();
    clock.advance(std::time::Duration::from_millis(
        ferrotls::MAX_EARLY_DATA_AGE_SKEW_MS + 1_000,
    ));
    (setup, c)
}

#[test]
fn rfc8446_4_2_10_a_resumption_under_another_suite_rejects_0rtt() {
    // "the server MUST verify that ... the selected cipher suite" is the
    // one the PSK is associated with, for 0-RTT (§4.2.10): a server now
    // preferring ChaCha20-Poly1305 resumes the AES-128-GCM session (the
    // same hash) but rejects its early data.
    let setup = Setup::new();
    let client = setup.client();
    prime(&client, &setup.server(MAX_EARLY));
    let chacha_first = setup
        .server_builder(MAX_EARLY)
        .cipher_suites(&[
            CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
            CipherSuite::TLS_AES_128_GCM_SHA256,
        ])
        .build()
        .unwrap();
    let (c, s) = reasons_on_resumption(client, chacha_first);
    assert_eq!(s, Some(EarlyDataReason::UnsupportedForSession));
    assert_eq!(c, Some(EarlyDataReason::PeerDeclined));
}

#[test]
fn rfc8446_8_3_a_ticket_age_far_from_ours_rejects_0rtt() {
    // The ClientHello, with the ticket's age as the client sees it, takes
    // longer than the window to arrive: the server's view of the age is
    // that much larger.
    let (setup, mut c) = late_0rtt(b"late");
    let mut s = ServerConnection::new(setup.server(MAX_EARLY));
    handshake(&mut c, &mut s);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(s.early_data_reason(), Some(EarlyDataReason::TicketAgeSkew));
    assert_eq!(c.early_data_reason(), Some(EarlyDataReason::PeerDeclined));
}

#[test]
fn rfc8446_d_3_a_client_that_sent_0rtt_data_refuses_a_tls12_server_hello() {
    // The fleet went back to TLS 1.2 after the ticket was issued: "A
    // client that attempts to send 0-RTT data MUST fail a connection if
    // it receives a ServerHello with TLS 1.2 or older".
    let setup = Setup::new();
    let client = setup.client();
    prime(&client, &setup.server(MAX_EARLY));
    let tls12 = server_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_2])
        .build()
        .unwrap();
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    c.write_early_data(b"early").unwrap();
    let mut s = ServerConnection::new(tls12);
    // The TLS 1.2 server answers the ClientHello, then meets the 0-RTT
    // record it cannot read; the client refuses its ServerHello first.
    let _ = transfer(&mut c, &mut s);
    let (_, result) = transfer(&mut s, &mut c);
    assert_eq!(
        result,
        Err(Error::ProtocolVersion(
            ProtocolVersionReason::Tls12AfterEarlyData
        ))
    );
    let mut alert = Vec::new();
    c.write_tls(&mut alert).unwrap();
    assert_eq!(
        plaintext_alert(&alert),
        Some(AlertDescription::ProtocolVersion.into())
    );
}

// ---- rejected 0-RTT is skipped by plaintext budget (RFC 8446 §4.2.10) ----

/// `n` application-data records whose `fragment_len`-byte fragments open
/// under no key: what a server that rejected 0-RTT sees of early data.
fn undecryptable_records(n: usize, fragment_len: usize) -> Vec<u8> {
    let mut record = vec![23, 3, 3];
    record.extend_from_slice(&(fragment_len as u16).to_be_bytes());
    record.resize(5 + fragment_len, 0x5a);
    record.repeat(n)
}

/// A client's 0-RTT of `early` bytes into `server` (which must reject it),
/// followed by `extra` bytes in flight: the server's result.
fn rejected_early_data(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
    early: usize,
    extra: &[u8],
) -> (ClientConnection, ServerConnection, Result<(), Error>) {
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    assert_eq!(c.write_early_data(&vec![9u8; early]).unwrap(), early);
    let mut s = ServerConnection::new(server);
    let (_, result) = transfer_altered(&mut c, &mut s, |b| b.extend_from_slice(extra));
    (c, s, result)
}

#[test]
fn rfc8446_4_2_10_server_with_early_data_off_skips_0rtt_it_cannot_unseal() {
    let setup = Setup::new();
    let client = setup.client();
    prime(&client, &setup.server(MAX_EARLY));
    // Another server, early data off, knowing nothing of the ticket: it
    // skips up to DEFAULT_REJECTED_EARLY_DATA_SKIP.
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s, result) = rejected_early_data(client, server, MAX_EARLY as usize, &[]);
    result.unwrap();
    handshake(&mut c, &mut s);
    assert!(!c.is_resumed() && !s.is_resumed());
    assert_eq!(s.early_data_status(), EarlyDataStatus::Rejected);
    assert_eq!(c.early_data_status(), EarlyDataStatus::Rejected);
    send_and_check(&mut c, &mut s, b"resent");
}

#[test]
fn rfc8446_4_2_10_rejected_early_data_of_exactly_max_early_data_size_is_skipped() {
    let setup = Setup::new();
    let client = setup.client();
    prime(&client, &setup.server(MAX_EARLY));
    let (mut c, mut s, result) =
        rejected_early_data(client, setup.server(0), MAX_EARLY as usize, &[]);
    result.unwrap();
    handshake(&mut c, &mut s);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(s.early_data_status(), EarlyDataStatus::Rejected);
}

/// Rejected 0-RTT plaintext a server skips at least, whatever the ticket
/// allowed: 16 KiB, as OpenSSL (`recv_max_early_data`) and BoringSSL skip.
const REJECTED_SKIP_FLOOR: usize = 16 * 1024;

/// An undecryptable record that could carry `plaintext` bytes: its
/// fragment adds the content type and the 16-byte tag.
fn undecryptable_record_carrying(plaintext: usize) -> Vec<u8> {
    undecryptable_records(1, plaintext + 1 + 16)
}

#[test]
fn rfc8446_4_2_10_rejected_early_data_under_a_smaller_ticket_is_skipped_up_to_16_kib() {
    // More 0-RTT than the ticket allowed (Erlang/OTP 25's client, handed
    // a ticket by the application, sends it under a ticket that allowed
    // none): a server that rejects it skips up to the floor whatever the
    // ticket said, and the handshake goes on.
    let setup = Setup::new();
    let client = setup.client();
    prime(&client, &setup.server(MAX_EARLY));
    let rest = undecryptable_record_carrying(REJECTED_SKIP_FLOOR - MAX_EARLY as usize);
    let (mut c, mut s, result) =
        rejected_early_data(client, setup.server(0), MAX_EARLY as usize, &rest);
    result.unwrap();
    handshake(&mut c, &mut s);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(s.early_data_status(), EarlyDataStatus::Rejected);
    send_and_check(&mut c, &mut s, b"after the skipped 0-RTT");
}

#[test]
fn rfc8446_4_2_10_rejected_early_data_one_byte_over_the_budget_is_bad_record_mac() {
    let setup = Setup::new();
    let client = setup.client();
    prime(&client, &setup.server(MAX_EARLY));
    // The ticket's 1024 bytes and records that could carry the rest of
    // the 16 KiB, then a record that could carry one more byte.
    let mut extra = undecryptable_record_carrying(REJECTED_SKIP_FLOOR - MAX_EARLY as usize);
    extra.extend(undecryptable_record_carrying(1));
    let (_, _, result) = rejected_early_data(client, setup.server(0), MAX_EARLY as usize, &extra);
    assert_eq!(result, Err(Error::BadRecordMac));
}

#[test]
fn rfc8446_4_2_10_skipped_empty_early_records_count_against_the_empty_record_limit() {
    let setup = Setup::new();
    let client = setup.client();
    prime(&client, &setup.server(MAX_EARLY));
    // Records with room for nothing but the content type and the tag.
    let empties = undecryptable_records(DEFAULT_MAX_CONSECUTIVE_EMPTY_RECORDS + 1, 1 + 16);
    let (_, _, result) = rejected_early_data(client.clone(), setup.server(0), 10, &empties);
    assert!(
        matches!(
            result,
            Err(Error::LimitExceeded(LimitExceededReason::EmptyRecords))
        ),
        "{result:?}"
    );
    // At the limit, the handshake goes on (with the second ticket of the
    // full handshake).
    let empties = undecryptable_records(DEFAULT_MAX_CONSECUTIVE_EMPTY_RECORDS, 1 + 16);
    let (mut c, mut s, result) = rejected_early_data(client, setup.server(0), 10, &empties);
    result.unwrap();
    handshake(&mut c, &mut s);
}

#[test]
fn rfc8446_4_2_10_empty_early_records_after_hello_retry_request_count_against_the_limit() {
    let (client, server) = Setup::new().retrying_pair();
    let empties = undecryptable_records(DEFAULT_MAX_CONSECUTIVE_EMPTY_RECORDS + 1, 1 + 16);
    let (_, s, result) = rejected_early_data(client, server, 10, &empties);
    assert!(
        matches!(
            result,
            Err(Error::LimitExceeded(LimitExceededReason::EmptyRecords))
        ),
        "{result:?}"
    );
    assert_eq!(s.early_data_status(), EarlyDataStatus::Rejected);
}

/// RFC 8446 §7.5 with the early_exporter_master_secret the client logged:
/// `HKDF-Expand-Label(Derive-Secret(secret, label, ""), "exporter",
/// Hash(context), len)`, over SHA-256 (TLS_AES_128_GCM_SHA256).
fn exported_from(secret: &[u8], label: &[u8], context: &[u8], len: usize) -> Vec<u8> {
    use ferrotls::internal::crypto::hash::HashAlgorithm;
    use ferrotls::internal::crypto::hkdf::expand_label;
    let sha256 = HashAlgorithm::Sha256;
    let derived = expand_label(sha256, secret, label, sha256.hash(b"").as_ref(), 32).unwrap();
    expand_label(
        sha256,
        derived.as_bytes(),
        b"exporter",
        sha256.hash(context).as_ref(),
        len,
    )
    .unwrap()
    .as_bytes()
    .to_vec()
}

fn export_early(conn: &ferrotls::Connection, label: &[u8]) -> Result<[u8; 40], Error> {
    let mut out = [0u8; 40];
    conn.export_keying_material_early(&mut out, label, Some(b"context"))
        .map(|()| out)
}

/// RFC 8446 §7.5: the early exporter, from early_exporter_master_secret,
/// gives a client sending 0-RTT data the keying material the server that
/// accepts it gets, before the handshake completes and after; it is not
/// the regular exporter's, and depends on the label.
#[test]
fn the_early_exporter_agrees_from_the_first_flight_on() {
    let setup = Setup::new();
    let secrets = Arc::new(CapturedSecrets::default());
    let client = client_builder("p256")
        .clock(setup.clock.clone())
        .enable_early_data(true)
        .key_log(secrets.clone())
        .build()
        .unwrap();
    let server = setup.server(MAX_EARLY);
    prime(&client, &server);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    let at_first = export_early(&c, b"EXPERIMENTAL early").unwrap();
    assert_eq!(
        at_first.as_slice(),
        exported_from(
            &secrets.get("EARLY_EXPORTER_SECRET"),
            b"EXPERIMENTAL early",
            b"context",
            40
        )
    );
    assert_ne!(export_early(&c, b"EXPERIMENTAL other").unwrap(), at_first);
    c.write_early_data(b"bound to it").unwrap();
    let mut s = ServerConnection::new(server);
    transfer(&mut c, &mut s).1.unwrap();
    assert!(s.is_handshaking());
    assert_eq!(export_early(&s, b"EXPERIMENTAL early").unwrap(), at_first);
    handshake(&mut c, &mut s);
    assert_eq!(c.early_data_status(), EarlyDataStatus::Accepted);
    assert_eq!(export_early(&c, b"EXPERIMENTAL early").unwrap(), at_first);
    assert_eq!(export_early(&s, b"EXPERIMENTAL early").unwrap(), at_first);
    let mut regular = [0u8; 40];
    c.export_keying_material(&mut regular, b"EXPERIMENTAL early", Some(b"context"))
        .unwrap();
    assert_ne!(regular, at_first);
}

/// Without 0-RTT data both ways there is no early exporter: not after a
/// full handshake, not on a server that rejected 0-RTT (it never derived
/// one), and not on a client once its 0-RTT was rejected, by the server
/// or by a HelloRetryRequest.
#[test]
fn no_early_exporter_without_accepted_early_data() {
    let none = Err(Error::InvalidRequest(InvalidRequestReason::NoEarlyExporter));
    let setup = Setup::new();
    let client = setup.client();
    let (c, s) = handshaken(client.clone(), setup.server(MAX_EARLY), server_name("p256"));
    assert_eq!(export_early(&c, b"EXPERIMENTAL"), none);
    assert_eq!(export_early(&s, b"EXPERIMENTAL"), none);

    let rejecting = setup.server(0);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    assert!(export_early(&c, b"EXPERIMENTAL").is_ok(), "offered");
    let mut s = ServerConnection::new(rejecting);
    handshake(&mut c, &mut s);
    assert_eq!(c.early_data_status(), EarlyDataStatus::Rejected);
    assert_eq!(export_early(&c, b"EXPERIMENTAL"), none);
    assert_eq!(export_early(&s, b"EXPERIMENTAL"), none);

    let (client, server) = Setup::new().retrying_pair();
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    assert!(export_early(&c, b"EXPERIMENTAL").is_ok(), "offered");
    let mut s = ServerConnection::new(server);
    handshake(&mut c, &mut s);
    assert!(c.is_resumed());
    assert_eq!(c.early_data_status(), EarlyDataStatus::Rejected);
    assert_eq!(export_early(&c, b"EXPERIMENTAL"), none);
}

/// Resumes `client`'s ticket with `server`, which must reject the 0-RTT
/// data the client sends, and forges its acceptance: an early_data
/// extension is added to the server's EncryptedExtensions (opened with
/// the handshake secret `secrets` logged, under TLS_AES_128_GCM_SHA256).
/// Returns the client's error, which must carry `illegal_parameter`.
fn forged_early_data_acceptance(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
    secrets: &CapturedSecrets,
) -> Error {
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    assert_eq!(c.early_data_status(), EarlyDataStatus::Offered);
    c.write_early_data(b"early").unwrap();
    let mut s = ServerConnection::new(server);
    transfer(&mut c, &mut s).1.unwrap();
    assert_eq!(s.early_data_status(), EarlyDataStatus::Rejected);
    let secret = secrets.get("SERVER_HANDSHAKE_TRAFFIC_SECRET");
    let err = transfer_altered(&mut s, &mut c, |flight| {
        edit_encrypted_flight(flight, &secret, |messages| {
            let HandshakeMessage::EncryptedExtensions(mut extensions) =
                HandshakeMessage::decode_message(&messages[0], &TLS13_CX).unwrap()
            else {
                panic!("not EncryptedExtensions")
            };
            extensions.push(Extension::EarlyData);
            messages[0] = HandshakeMessage::EncryptedExtensions(extensions)
                .to_bytes()
                .unwrap();
        })
    })
    .1
    .unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
    err
}

#[test]
fn rfc9846_4_2_10_early_data_accepted_with_another_suite_than_the_tickets_is_illegal_parameter() {
    // BoringSSL's client refuses this too (SSL_R_CIPHER_MISMATCH_ON_EARLY_DATA).
    let setup = Setup::new();
    let secrets = Arc::new(CapturedSecrets::default());
    let client = client_builder("p256")
        .clock(setup.clock.clone())
        .enable_early_data(true)
        .cipher_suites(&[
            CipherSuite::TLS_AES_128_GCM_SHA256,
            CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
        ])
        .build()
        .unwrap();
    let server = |suite| {
        setup
            .server_builder(MAX_EARLY)
            .cipher_suites(&[suite])
            .key_log(secrets.clone())
            .build()
            .unwrap()
    };
    // The ticket is for ChaCha20-Poly1305; the resuming server takes the
    // PSK (same hash) under AES-128-GCM, so it may not take the 0-RTT data.
    prime(&client, &server(CipherSuite::TLS_CHACHA20_POLY1305_SHA256));
    let err = forged_early_data_acceptance(
        client,
        server(CipherSuite::TLS_AES_128_GCM_SHA256),
        &secrets,
    );
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::EarlyDataSuiteChanged)
    );
}

#[test]
fn rfc9846_4_2_11_early_data_accepted_with_another_psk_than_the_first_is_illegal_parameter() {
    let psk = ExternalPsk::new(b"Client_identity", &[0x5a; 32], HashAlgorithm::Sha256).unwrap();
    let setup = Setup::new();
    let client = client_builder("p256")
        .clock(setup.clock.clone())
        .enable_early_data(true)
        .external_psk(psk.clone())
        .build()
        .unwrap();
    prime(&client, &setup.server(MAX_EARLY));
    // Another server knows the external PSK (the second identity) but
    // cannot open the ticket (the first).
    let secrets = Arc::new(CapturedSecrets::default());
    let mut psks = ExternalPsks::new();
    psks.insert(psk);
    let server = server_builder("p256")
        .clock(setup.clock.clone())
        .external_psks(Arc::new(psks))
        .session_store(Arc::new(InMemoryServerStore::new(setup.clock.clone())))
        .max_early_data_size(MAX_EARLY)
        .key_log(secrets.clone())
        .build()
        .unwrap();
    let err = forged_early_data_acceptance(client, server, &secrets);
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::EarlyDataPskNotFirst)
    );
}

/// RFC 8446 §4.2.10: 0-RTT data goes under the session's ALPN protocol.
/// A session that negotiated none (the server had no ALPN) is resumed
/// with 0-RTT though the client offers protocols, and a server that
/// again selects none accepts it; one that now selects a protocol
/// declines it, and the data is sent again after the handshake. A
/// session's protocol the client still offers, though not first, goes
/// with 0-RTT too.
#[test]
fn rfc8446_4_2_10_0rtt_goes_under_the_sessions_alpn_protocol_or_none() {
    let setup = Setup::new();
    let client = |protocols: &[&[u8]]| {
        client_builder("p256")
            .clock(setup.clock.clone())
            .enable_early_data(true)
            .alpn_protocols(protocols)
            .build()
            .unwrap()
    };
    let server = |protocols: &[&[u8]]| {
        setup
            .server_builder(MAX_EARLY)
            .alpn_protocols(protocols)
            .build()
            .unwrap()
    };
    for (first, again, accepted, alpn) in [
        (server(&[]), server(&[]), true, None),
        (server(&[]), server(&[b"h2"]), false, Some(&b"h2"[..])),
        (
            server(&[b"http/1.1"]),
            server(&[b"http/1.1"]),
            true,
            Some(&b"http/1.1"[..]),
        ),
    ] {
        let offers = client(&[b"h2", b"http/1.1"]);
        prime(&offers, &first);
        let mut c = ClientConnection::new(offers.clone(), server_name("p256")).unwrap();
        assert_eq!(c.early_data_status(), EarlyDataStatus::Offered);
        c.write_early_data(b"early").unwrap();
        let mut s = ServerConnection::new(again);
        handshake(&mut c, &mut s);
        assert_eq!(c.early_data_status() == EarlyDataStatus::Accepted, accepted);
        assert_eq!(c.alpn_protocol(), alpn);
        if !accepted {
            c.writer().write_all(b"early").unwrap();
            transfer(&mut c, &mut s).1.unwrap();
        }
        assert_eq!(read_all(&mut s), b"early");
    }
}

#[test]
fn rfc8446_4_2_10_early_data_accepted_with_another_alpn_than_the_tickets_is_illegal_parameter() {
    let setup = Setup::new();
    let secrets = Arc::new(CapturedSecrets::default());
    let client = client_builder("p256")
        .clock(setup.clock.clone())
        .enable_early_data(true)
        .alpn_protocols(&[b"h2", b"http/1.1"])
        .build()
        .unwrap();
    let server = |protocol: &[u8]| {
        setup
            .server_builder(MAX_EARLY)
            .alpn_protocols(&[protocol])
            .key_log(secrets.clone())
            .build()
            .unwrap()
    };
    prime(&client, &server(b"h2"));
    let err = forged_early_data_acceptance(client, server(b"http/1.1"), &secrets);
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::EarlyDataAlpnChanged)
    );
}

#[test]
fn rfc8446_4_2_10_client_refusing_encrypted_extensions_that_reject_0rtt_alerts_under_the_handshake_key(
) {
    // The server reads only the handshake key once it rejects 0-RTT; an
    // alert under the early key would be skipped as early data, and the
    // server would wait on.
    let setup = Setup::new();
    let secrets = Arc::new(CapturedSecrets::default());
    let client = setup.client();
    prime(&client, &setup.server(MAX_EARLY));
    let rejecting = setup
        .server_builder(0)
        .key_log(secrets.clone())
        .build()
        .unwrap();
    let (err, received) =
        client_refuses_encrypted_flight(client, rejecting, server_name("p256"), &secrets, |m| {
            let HandshakeMessage::EncryptedExtensions(mut extensions) =
                HandshakeMessage::decode_message(&m[0], &TLS13_CX).unwrap()
            else {
                panic!("not EncryptedExtensions")
            };
            // An ALPN answer the client never asked for.
            extensions.push(Extension::Alpn(vec![b"h2".to_vec()]));
            m[0] = HandshakeMessage::EncryptedExtensions(extensions)
                .to_bytes()
                .unwrap();
        });
    assert_eq!(err.alert(), Some(AlertDescription::UnsupportedExtension));
    assert_eq!(
        received,
        Error::AlertReceived(AlertDescription::UnsupportedExtension)
    );
}

#[test]
fn rfc8446_4_2_10_rejected_early_data_is_skipped_up_to_our_configured_size_when_larger() {
    // "skipping ... up to the configured max_early_data_size": a server
    // now configured for more than the ticket promised skips that much,
    // as BoringSSL does, rather than failing on a record past the
    // ticket's size.
    // Rejected for the ticket's age, with the session resumed.
    let (setup, mut c) = late_0rtt(&[9u8; MAX_EARLY as usize]);
    let mut s = ServerConnection::new(setup.server(4 * MAX_EARLY));
    let extra = undecryptable_records(2, MAX_EARLY as usize);
    transfer_altered(&mut c, &mut s, |b| b.extend_from_slice(&extra))
        .1
        .unwrap();
    handshake(&mut c, &mut s);
    assert!(s.is_resumed());
    assert_eq!(s.early_data_reason(), Some(EarlyDataReason::TicketAgeSkew));
}
