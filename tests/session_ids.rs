//! The session-identifier conformance matrix (design §3): every
//! row of the table, for TLS 1.0, 1.1, 1.2 and 1.3, on both sides, with
//! our own peer in memory. Each connection's ClientHello and ServerHello
//! session IDs are read off the wire and compared with what the contract
//! says each side's `session_id()` returns; chains of 3 resumptions; and
//! resumption across a server restart (a new `ServerConfig`) with the file
//! store and with shared ticket keys, plus session export/import through
//! `ClientConnection::session_data` / `ClientConnection::resume`; and
//! `SessionId::copy_to`, the `copy_session_id` semantics of design §3.

mod common;
mod interop_support;

use ferrotls::internal::error::InvalidRequestReason;
use std::sync::Arc;

use common::*;
use ferrotls::internal::crypto::rng::SeededRng;
use ferrotls::internal::msgs::hello::MAX_SESSION_ID_SIZE;
use ferrotls::{
    CipherSuite, ClientConfig, ClientConnection, ClientSessionData, Error, ExternalPsk,
    ExternalPsks, FileServerStore, HashAlgorithm, ManualClock, NamedGroup, ProtocolVersion,
    ServerConfig, ServerConfigBuilder, ServerConnection, SessionId, UnixTime, TLS10_CIPHER_SUITES,
};
#[cfg(feature = "legacy")]
use ferrotls::{OsRng, RotatingTicketer};

const KEY: &str = "p256";
const LEGACY_SUITE: CipherSuite = CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA;
#[cfg(feature = "legacy")]
const UP_TO_12: [ProtocolVersion; 3] = [
    ProtocolVersion::TLSv1_0,
    ProtocolVersion::TLSv1_1,
    ProtocolVersion::TLSv1_2,
];
const TLS13: ProtocolVersion = ProtocolVersion::TLSv1_3;
/// How many resumptions follow each full handshake (at least 3).
const CHAIN: usize = 3;

fn is_legacy(v: ProtocolVersion) -> bool {
    matches!(v, ProtocolVersion::TLSv1_0 | ProtocolVersion::TLSv1_1)
}

/// A client of version `v`; `tickets` asks for RFC 5077 tickets (≤1.2).
fn client(v: ProtocolVersion, tickets: bool) -> ferrotls::ClientConfigBuilder {
    let b = client_builder(KEY).versions(&[v]).enable_tickets(tickets);
    if is_legacy(v) {
        b.cipher_suites(&[LEGACY_SUITE])
    } else {
        b
    }
}

/// A server of version `v`.
fn server(v: ProtocolVersion) -> ServerConfigBuilder {
    let b = server_builder(KEY).versions(&[v]);
    if is_legacy(v) {
        b.cipher_suites(TLS10_CIPHER_SUITES)
    } else {
        b
    }
}

/// One connection as both ends and the wire saw it.
struct Seen {
    c: ClientConnection,
    s: ServerConnection,
    /// The session ID of each ClientHello (two after a HelloRetryRequest).
    client_hellos: Vec<Vec<u8>>,
    /// The session ID of the server's first message (ServerHello or
    /// HelloRetryRequest), and of a ServerHello after a retry.
    server_hellos: Vec<Vec<u8>>,
}

/// The legacy_session_id of the Client/ServerHello (type 1/2) that fills
/// `record` (a plaintext handshake record), if it is one.
fn hello_id(record: &[u8], exact: bool) -> Option<Vec<u8>> {
    if record.first() != Some(&22) {
        return None;
    }
    let payload = &record[5..];
    let len = u32::from_be_bytes([0, payload[1], payload[2], payload[3]]) as usize;
    let fits = if exact {
        len == payload.len() - 4
    } else {
        len <= payload.len() - 4
    };
    if !matches!(payload[0], 1 | 2) || !fits {
        return None;
    }
    // type(1) length(3) version(2) random(32), then the length-prefixed ID.
    let id_len = payload[4 + 34] as usize;
    Some(payload[4 + 35..4 + 35 + id_len].to_vec())
}

/// Runs `c` against `s` to the end of the handshake and the tickets that
/// follow it, recording the hello session IDs on the wire.
fn run(mut c: ClientConnection, mut s: ServerConnection) -> Seen {
    let (mut client_hellos, mut server_hellos) = (Vec::new(), Vec::new());
    for _ in 0..10 {
        let mut flight = Vec::new();
        transfer_altered(&mut c, &mut s, |b| flight = b.clone())
            .1
            .unwrap();
        // A ClientHello is always alone in its record.
        client_hellos.extend(records(&flight).iter().find_map(|r| hello_id(r, true)));
        let mut flight = Vec::new();
        transfer_altered(&mut s, &mut c, |b| flight = b.clone())
            .1
            .unwrap();
        if server_hellos.len() < client_hellos.len() {
            // Only the first record of a flight answering a ClientHello.
            if let Some(id) = records(&flight).first().and_then(|r| hello_id(r, false)) {
                server_hellos.push(id);
            }
        }
        if !c.is_handshaking() && !s.is_handshaking() && !c.wants_write() && !s.wants_write() {
            send_and_check(&mut c, &mut s, b"ping");
            send_and_check(&mut s, &mut c, b"pong");
            return Seen {
                c,
                s,
                client_hellos,
                server_hellos,
            };
        }
    }
    panic!("handshake did not complete");
}

fn connect(client: &Arc<ClientConfig>, server: &Arc<ServerConfig>) -> Seen {
    run(
        ClientConnection::new(client.clone(), server_name(KEY)).unwrap(),
        ServerConnection::new(server.clone()),
    )
}

/// Row "≤1.2, full": the client sends an empty ID, the server a fresh 32
/// byte S, both sides' `session_id()` are S. Returns S.
#[cfg(feature = "legacy")]
fn assert_tls12_full(seen: &Seen, v: ProtocolVersion) -> Vec<u8> {
    assert_eq!(seen.c.protocol_version(), Some(v));
    assert!(!seen.c.is_resumed() && !seen.s.is_resumed());
    assert!(!seen.s.resumption_requested());
    assert_eq!(seen.client_hellos, vec![Vec::<u8>::new()], "{v:?}");
    let s_id = seen.server_hellos[0].clone();
    assert_eq!(s_id.len(), 32);
    assert_eq!(seen.s.session_id(), s_id);
    assert_eq!(seen.c.session_id(), s_id);
    s_id
}

/// Row "≤1.2, resumed by session ID": S offered, S echoed, S both sides.
#[cfg(feature = "legacy")]
fn assert_tls12_resumed_by_id(seen: &Seen, s_id: &[u8]) {
    assert!(seen.c.is_resumed() && seen.s.is_resumed());
    assert!(seen.s.resumption_requested());
    assert_eq!(seen.client_hellos, vec![s_id.to_vec()]);
    assert_eq!(seen.server_hellos, vec![s_id.to_vec()]);
    assert_eq!(seen.s.session_id(), s_id);
    assert_eq!(seen.c.session_id(), s_id);
}

/// Row "≤1.2, resumed by ticket": a fresh C offered with the ticket and
/// echoed; the server still reports S, the client C. Returns C.
#[cfg(feature = "legacy")]
fn assert_tls12_resumed_by_ticket(seen: &Seen, s_id: &[u8]) -> Vec<u8> {
    assert!(seen.c.is_resumed() && seen.s.is_resumed());
    assert!(seen.s.resumption_requested());
    let c_id = seen.client_hellos[0].clone();
    assert_eq!(c_id.len(), 32);
    assert_ne!(c_id, s_id);
    assert_eq!(
        seen.server_hellos,
        vec![c_id.clone()],
        "echo = ticket accepted"
    );
    assert_eq!(seen.s.session_id(), s_id, "S unsealed from the ticket");
    assert_eq!(seen.c.session_id(), c_id);
    c_id
}

/// Row "1.3, full" (and after a HelloRetryRequest, every ClientHello keeps
/// L): L sent and echoed; the client reports L, the server a fresh T that
/// is never on the wire. Returns (L, T).
fn assert_tls13_full(seen: &Seen) -> (Vec<u8>, Vec<u8>) {
    assert_eq!(seen.c.protocol_version(), Some(TLS13));
    assert!(!seen.c.is_resumed() && !seen.s.is_resumed());
    assert!(!seen.s.resumption_requested());
    let l = seen.client_hellos[0].clone();
    assert_eq!(l.len(), 32);
    assert!(seen.client_hellos.iter().all(|id| *id == l));
    assert!(seen.server_hellos.iter().all(|id| *id == l));
    assert_eq!(seen.c.session_id(), l);
    let t = seen.s.session_id().to_vec();
    assert_eq!(t.len(), 32);
    assert_ne!(t, l, "T is not on the wire");
    (l, t)
}

/// Row "1.3, resumed with a ticket": a fresh L′ (none of `earlier`) sent
/// and echoed; the client reports L′, the server T. Returns L′.
fn assert_tls13_resumed(seen: &Seen, t: &[u8], earlier: &[Vec<u8>]) -> Vec<u8> {
    assert!(seen.c.is_resumed() && seen.s.is_resumed());
    assert!(seen.s.resumption_requested());
    let l = seen.client_hellos[0].clone();
    assert_eq!(l.len(), 32);
    assert!(!earlier.contains(&l), "L′ never reused across connections");
    assert!(seen.client_hellos.iter().all(|id| *id == l));
    assert!(seen.server_hellos.iter().all(|id| *id == l));
    assert_eq!(seen.c.session_id(), l);
    assert_eq!(seen.s.session_id(), t, "T persists");
    l
}

#[cfg(feature = "legacy")]
#[test]
fn tls12_family_full_then_a_chain_of_resumptions_by_session_id() {
    for v in UP_TO_12 {
        let c = client(v, false).build().unwrap();
        let s = server(v).build().unwrap();
        let s_id = assert_tls12_full(&connect(&c, &s), v);
        for _ in 0..CHAIN {
            assert_tls12_resumed_by_id(&connect(&c, &s), &s_id);
        }
    }
}

#[cfg(feature = "legacy")]
#[test]
fn tls12_family_full_with_ticket_then_a_chain_of_ticket_resumptions() {
    for v in UP_TO_12 {
        let c = client(v, true).build().unwrap();
        let s = server(v).build().unwrap();
        let s_id = assert_tls12_full(&connect(&c, &s), v);
        let mut offered = Vec::new();
        for _ in 0..CHAIN {
            let c_id = assert_tls12_resumed_by_ticket(&connect(&c, &s), &s_id);
            assert!(!offered.contains(&c_id), "C is fresh every time");
            offered.push(c_id);
        }
    }
}

#[test]
fn tls13_full_then_a_chain_of_ticket_resumptions_stateless_and_stateful() {
    let stateless = server(TLS13).build().unwrap();
    let stateful = server(TLS13)
        .session_store(Arc::new(ferrotls::InMemoryServerStore::new(Arc::new(
            ManualClock::new(UnixTime::from_secs(NOW)),
        ))))
        .build()
        .unwrap();
    for s in [stateless, stateful] {
        let c = client(TLS13, true).build().unwrap();
        let (l, t) = assert_tls13_full(&connect(&c, &s));
        let mut seen_l = vec![l];
        for _ in 0..CHAIN {
            let l2 = assert_tls13_resumed(&connect(&c, &s), &t, &seen_l);
            seen_l.push(l2);
        }
    }
}

#[test]
fn tls13_without_middlebox_compat_the_client_id_is_empty_and_t_persists() {
    let c = client(TLS13, true).middlebox_compat(false).build().unwrap();
    let s = server(TLS13).build().unwrap();
    let full = connect(&c, &s);
    assert_eq!(full.client_hellos, vec![Vec::<u8>::new()]);
    assert_eq!(full.server_hellos, vec![Vec::<u8>::new()]);
    assert!(full.c.session_id().is_empty());
    let t = full.s.session_id().to_vec();
    assert_eq!(t.len(), 32);
    for _ in 0..CHAIN {
        let seen = connect(&c, &s);
        assert!(seen.c.is_resumed() && seen.s.is_resumed());
        assert!(seen.c.session_id().is_empty());
        assert_eq!(seen.s.session_id(), t);
    }
}

#[test]
fn tls13_after_hello_retry_request_the_second_client_hello_keeps_l() {
    // The client's one key share (secp384r1, named so that no key-share
    // hint replaces it) is not one the server accepts, so every handshake
    // goes through a HelloRetryRequest.
    let c = client(TLS13, true)
        .groups(&[NamedGroup::secp384r1, NamedGroup::X25519])
        .key_share_groups(&[NamedGroup::secp384r1])
        .build()
        .unwrap();
    let s = server(TLS13).groups(&[NamedGroup::X25519]).build().unwrap();
    let full = connect(&c, &s);
    assert_eq!(full.client_hellos.len(), 2, "a retry happened");
    assert_eq!(full.server_hellos.len(), 2);
    let (l, t) = assert_tls13_full(&full);
    let mut seen_l = vec![l];
    for _ in 0..CHAIN {
        let seen = connect(&c, &s);
        assert_eq!(seen.client_hellos.len(), 2, "a retry happened");
        seen_l.push(assert_tls13_resumed(&seen, &t, &seen_l));
    }
}

#[test]
fn tls13_external_psk_starts_a_session_whose_t_its_tickets_keep() {
    let psk = || ExternalPsk::new(b"matrix", &[0x42; 32], HashAlgorithm::Sha256).unwrap();
    let mut psks = ExternalPsks::new();
    psks.insert(psk());
    let c = client(TLS13, true).external_psk(psk()).build().unwrap();
    let s = server(TLS13).external_psks(Arc::new(psks)).build().unwrap();
    // Row "1.3, external PSK": like a full handshake, fresh L and T.
    let first = connect(&c, &s);
    assert_eq!(first.s.external_psk_identity(), Some(&b"matrix"[..]));
    let (l, t) = assert_tls13_full(&first);
    let mut seen = vec![l];
    for _ in 0..CHAIN {
        let resumed = connect(&c, &s);
        assert_eq!(resumed.s.external_psk_identity(), None);
        let l = assert_tls13_resumed(&resumed, &t, &seen);
        seen.push(l);
    }
}

fn file_store(dir: &std::path::Path) -> Arc<FileServerStore> {
    Arc::new(
        FileServerStore::new(dir, Arc::new(ManualClock::new(UnixTime::from_secs(NOW)))).unwrap(),
    )
}

#[cfg(feature = "legacy")]
#[test]
fn resumption_by_session_id_survives_server_restarts_with_the_file_store() {
    for v in UP_TO_12 {
        let dir = Scratch::new(&format!("session-ids-{v:?}"));
        let c = client(v, false).build().unwrap();
        // Each connection meets a new server: a new configuration, a new
        // store instance on the same directory, and new ticket keys.
        let restarted = || {
            server(v)
                .session_cache(Some(file_store(&dir)))
                .build()
                .unwrap()
        };
        let s_id = assert_tls12_full(&connect(&c, &restarted()), v);
        for _ in 0..CHAIN {
            assert_tls12_resumed_by_id(&connect(&c, &restarted()), &s_id);
        }
        // Control: without the directory the restarted server forgets.
        let forgetful = connect(&c, &server(v).build().unwrap());
        assert!(!forgetful.s.is_resumed());
    }
}

#[test]
fn tls13_stateful_tickets_survive_server_restarts_with_the_file_store() {
    let dir = Scratch::new("session-ids-tls13");
    let c = client(TLS13, true).build().unwrap();
    let restarted = || {
        server(TLS13)
            .session_store(file_store(&dir))
            .build()
            .unwrap()
    };
    let (l, t) = assert_tls13_full(&connect(&c, &restarted()));
    let mut seen_l = vec![l];
    for _ in 0..CHAIN {
        let l2 = assert_tls13_resumed(&connect(&c, &restarted()), &t, &seen_l);
        seen_l.push(l2);
    }
}

/// A ticketer holding the key set `keys` (exported by another).
#[cfg(feature = "legacy")]
fn sharing(keys: &[u8]) -> Arc<RotatingTicketer> {
    let t = RotatingTicketer::new(
        Arc::new(OsRng::new()),
        Arc::new(ManualClock::new(UnixTime::from_secs(NOW))),
    )
    .unwrap();
    t.import_keys(keys).unwrap();
    Arc::new(t)
}

#[cfg(feature = "legacy")]
#[test]
fn tickets_survive_server_restarts_with_shared_ticket_keys() {
    let first = RotatingTicketer::new(
        Arc::new(OsRng::new()),
        Arc::new(ManualClock::new(UnixTime::from_secs(NOW))),
    )
    .unwrap();
    let keys = first.export_keys().unwrap();
    let keys = keys.as_bytes();
    for v in UP_TO_12 {
        let c = client(v, true).build().unwrap();
        let restarted = || server(v).ticketer(sharing(keys)).build().unwrap();
        let s_id = assert_tls12_full(&connect(&c, &restarted()), v);
        for _ in 0..CHAIN {
            assert_tls12_resumed_by_ticket(&connect(&c, &restarted()), &s_id);
        }
    }
    let c = client(TLS13, true).build().unwrap();
    let restarted = || server(TLS13).ticketer(sharing(keys)).build().unwrap();
    let (l, t) = assert_tls13_full(&connect(&c, &restarted()));
    let mut seen_l = vec![l];
    for _ in 0..CHAIN {
        let l2 = assert_tls13_resumed(&connect(&c, &restarted()), &t, &seen_l);
        seen_l.push(l2);
    }
    // Control: other keys cannot unseal the tickets, so a full handshake.
    let other = server(TLS13).build().unwrap();
    let seen = connect(&c, &other);
    assert!(!seen.s.is_resumed() && !seen.s.resumption_requested());
    assert_ne!(seen.s.session_id(), t);
}

/// Exports the session `seen.c` holds and starts the next connection from
/// it with a new client configuration (as another process would).
#[cfg(feature = "legacy")]
fn resume_from(seen: &Seen, v: ProtocolVersion, tickets: bool, s: &Arc<ServerConfig>) -> Seen {
    let bytes = seen.c.session_data().unwrap().expect("a resumable session");
    let fresh = client(v, tickets).build().unwrap();
    run(
        ClientConnection::resume(fresh, server_name(KEY), &bytes).unwrap(),
        ServerConnection::new(s.clone()),
    )
}

#[cfg(feature = "legacy")]
#[test]
fn exported_sessions_resume_from_a_new_client_configuration_in_a_chain() {
    for v in UP_TO_12 {
        let s = server(v).build().unwrap();
        // By session ID.
        let mut seen = connect(&client(v, false).build().unwrap(), &s);
        let s_id = assert_tls12_full(&seen, v);
        for _ in 0..CHAIN {
            seen = resume_from(&seen, v, false, &s);
            assert_tls12_resumed_by_id(&seen, &s_id);
        }
        // By ticket.
        let mut seen = connect(&client(v, true).build().unwrap(), &s);
        let s_id = assert_tls12_full(&seen, v);
        for _ in 0..CHAIN {
            seen = resume_from(&seen, v, true, &s);
            assert_tls12_resumed_by_ticket(&seen, &s_id);
        }
    }
    let s = server(TLS13).build().unwrap();
    let mut seen = connect(&client(TLS13, true).build().unwrap(), &s);
    let (l, t) = assert_tls13_full(&seen);
    let mut seen_l = vec![l];
    for _ in 0..CHAIN {
        seen = resume_from(&seen, TLS13, true, &s);
        seen_l.push(assert_tls13_resumed(&seen, &t, &seen_l));
    }
}

#[test]
fn session_data_is_none_before_anything_was_received() {
    let c = ClientConnection::new(client(TLS13, true).build().unwrap(), server_name(KEY)).unwrap();
    assert_eq!(c.session_data().unwrap(), None);
    let off = client_builder(KEY).session_store(None).build().unwrap();
    let c = ClientConnection::new(off, server_name(KEY)).unwrap();
    assert_eq!(c.session_data().unwrap(), None);
}

/// A TLS 1.2 client whose clock is 8 days on: past the 7-day cap of any
/// session's lifetime (RFC 8446 §4.6.1).
fn eight_days_on() -> Arc<ClientConfig> {
    client(ProtocolVersion::TLSv1_2, false)
        .clock(Arc::new(ManualClock::new(UnixTime::from_secs(
            NOW + 8 * 86_400,
        ))))
        .build()
        .unwrap()
}

/// A client with resumption off: nowhere to import a session to.
fn without_a_store() -> Arc<ClientConfig> {
    client_builder(KEY).session_store(None).build().unwrap()
}

#[test]
fn bad_session_data_is_a_clear_error_at_import() {
    let s = server(ProtocolVersion::TLSv1_2).build().unwrap();
    let seen = connect(
        &client(ProtocolVersion::TLSv1_2, false).build().unwrap(),
        &s,
    );
    let good = seen.c.session_data().unwrap().unwrap();
    let cfg = client(ProtocolVersion::TLSv1_2, false).build().unwrap();
    let import = |bytes: &[u8]| ClientConnection::resume(cfg.clone(), server_name(KEY), bytes);
    let mut corrupted = good.clone();
    let mid = corrupted.len() / 2;
    corrupted[mid] ^= 0x40;
    let truncated = &good[..good.len() - 1];
    let mut wrong_version = good.clone();
    wrong_version[4] = wrong_version[4].wrapping_add(1); // after the 4-byte magic
    for (what, bytes) in [
        ("corrupted", &corrupted[..]),
        ("truncated", truncated),
        ("wrong format version", &wrong_version[..]),
        ("empty", &[][..]),
    ] {
        assert!(
            matches!(import(bytes), Err(Error::SessionData(_))),
            "{what}"
        );
    }
    // Expired: the same bytes, read by a client whose clock is 8 days on
    // (past the 7-day cap of any lifetime, RFC 8446 §4.6.1).
    let later = eight_days_on();
    assert!(matches!(
        ClientConnection::resume(later, server_name(KEY), &good),
        Err(Error::SessionData(
            ferrotls::internal::session::SessionDataError::Expired
        ))
    ));
    // With resumption off there is nowhere to import to.
    let off = without_a_store();
    assert!(matches!(
        ClientConnection::resume(off, server_name(KEY), &good),
        Err(Error::InvalidRequest(InvalidRequestReason::ResumptionOff))
    ));
    assert!(import(&good).is_ok());
}

#[test]
fn a_session_imported_once_resumes_and_is_checked_for_expiry_when_used() {
    // `resume_session` takes what `ClientSessionData::from_bytes` parsed,
    // so the bytes are parsed once; its expiry is judged again when the
    // connection starts, by the configuration's clock.
    let s = server(ProtocolVersion::TLSv1_2).build().unwrap();
    let first = connect(
        &client(ProtocolVersion::TLSv1_2, false).build().unwrap(),
        &s,
    );
    let bytes = first.c.session_data().unwrap().unwrap();
    let parsed = ClientSessionData::from_bytes(&bytes, UnixTime::from_secs(NOW)).unwrap();
    let later = eight_days_on();
    assert!(matches!(
        ClientConnection::resume_session(later, server_name(KEY), parsed.clone()),
        Err(Error::SessionData(
            ferrotls::internal::session::SessionDataError::Expired
        ))
    ));
    let off = without_a_store();
    assert!(matches!(
        ClientConnection::resume_session(off, server_name(KEY), parsed.clone()),
        Err(Error::InvalidRequest(InvalidRequestReason::ResumptionOff))
    ));
    let cfg = client(ProtocolVersion::TLSv1_2, false).build().unwrap();
    let mut c = ClientConnection::resume_session(cfg, server_name(KEY), parsed).unwrap();
    let mut sc = ferrotls::ServerConnection::new(s);
    handshake(&mut c, &mut sc);
    assert!(c.is_resumed() && sc.is_resumed());
    assert_eq!(sc.session_id(), first.s.session_id());
}

/// The `ferrotls` tool: `server --session-dir` (resumption by ID) and
/// `server --ticket-keys` (TLS 1.2 and 1.3 tickets) survive a restart of
/// the server process; the client carries the session with
/// `--sess-out`/`--sess-in`.
#[test]
fn the_tool_resumes_across_a_server_process_restart() {
    let scratch = interop_support::Scratch::new("session-ids-restart");
    let dir = scratch.file("sessions");
    let keys = scratch.file("ticket-keys");
    let sess = scratch.file("client.sess");
    for (server_flags, version) in [
        (vec!["--session-dir", &dir, "--tickets", "0"], "1.2"),
        (vec!["--ticket-keys", &keys], "1.2"),
        // TLS 1.3 tickets are sealed (not kept in the cache) only without
        // the session cache.
        (vec!["--ticket-keys", &keys, "--no-session-cache"], "1.3"),
        (vec!["--session-dir", &dir], "1.3"),
    ] {
        let mut ids = Vec::new();
        for (round, sess_flag) in ["--sess-out", "--sess-in"].into_iter().enumerate() {
            let mut flags = server_flags.clone();
            flags.extend(["--max-version", version, "--max-connections", "1"]);
            let (server, port) = interop_support::ferrotls_server(&flags);
            let (status, out) = interop_support::ferrotls_client(port, &[sess_flag, &sess]);
            assert!(status.success(), "{out}");
            let (_, log) = server.wait_exit();
            let json = &interop_support::json_lines(&log)[0];
            assert_eq!(json.get("version"), format!("TLSv{version}"), "{log}");
            let resumed = if round == 0 { "false" } else { "true" };
            assert_eq!(
                json.get("resumed"),
                resumed,
                "{server_flags:?} {version}: {log}"
            );
            ids.push(json.get("session_id").to_owned());
        }
        assert_eq!(ids[0], ids[1], "the server's session_id() persists");
    }
}

// `SessionId::copy_to` (design §3, `copy_session_id`).

#[test]
fn copy_to_a_large_enough_buffer_copies_and_returns_the_length() {
    let id = SessionId::from_peer(&[1, 2, 3]).unwrap();
    let mut out = [0xee; 8];
    assert_eq!(id.copy_to(&mut out), Ok(3));
    assert_eq!(out, [1, 2, 3, 0xee, 0xee, 0xee, 0xee, 0xee]);
}

#[test]
fn copy_to_a_buffer_of_exactly_the_length() {
    let id = SessionId::random(&SeededRng::new(b"exact").unwrap()).unwrap();
    let mut out = [0u8; MAX_SESSION_ID_SIZE];
    assert_eq!(id.copy_to(&mut out), Ok(MAX_SESSION_ID_SIZE));
    assert_eq!(&out[..], id.as_bytes());
}

#[test]
fn copy_to_a_short_buffer_names_the_size_and_leaves_it_untouched() {
    let id = SessionId::from_peer(&[9; 32]).unwrap();
    let mut out = [0x5a; 31];
    assert_eq!(
        id.copy_to(&mut out),
        Err(Error::BufferTooSmall { needed: 32 })
    );
    assert_eq!(out, [0x5a; 31], "nothing copied");
    assert_eq!(
        id.copy_to(&mut []),
        Err(Error::BufferTooSmall { needed: 32 })
    );
}

#[test]
fn empty_id_copies_nothing_even_into_an_empty_buffer() {
    let mut out = [7u8; 4];
    assert_eq!(SessionId::empty().copy_to(&mut out), Ok(0));
    assert_eq!(out, [7; 4]);
    assert_eq!(SessionId::empty().copy_to(&mut []), Ok(0));
}

#[test]
fn buffer_too_small_is_a_local_error_without_alert() {
    assert_eq!(Error::BufferTooSmall { needed: 32 }.alert(), None);
}
