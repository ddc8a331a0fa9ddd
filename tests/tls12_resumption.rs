//! TLS 1.2 resumption in memory, checked against the ≤1.2 rows of the
//! session-ID contract (design §3, docs/session-ids.md) on both sides:
//! by session ID, by RFC 5077 ticket, chains of three connections,
//! ticket-key rotation, server store expiry and eviction, and the
//! resumptions that must fall back to a full handshake.

mod common;

use ferrotls::internal::error::IllegalParameterReason;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use ferrotls::internal::session::ClientSessionTls12;
#[cfg(feature = "legacy")]
use ferrotls::TLS12_CBC_CIPHER_SUITES;
use ferrotls::{
    AlertDescription, CipherSuite, ClientConfig, ClientConnection, Error, InMemoryServerStore,
    ManualClock, OsRng, ProtocolVersion, RotatingTicketer, ServerConfig, ServerConnection,
    ServerSessionStore, UnixTime,
};

const TLS12: &[ProtocolVersion] = &[ProtocolVersion::TLSv1_2];

/// One whole connection: handshake, data both ways.
fn connect(
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
) -> (ClientConnection, ServerConnection) {
    let (mut c, mut s) = handshaken(client.clone(), server.clone(), server_name("p256"));
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    send_and_check(&mut c, &mut s, b"client data");
    send_and_check(&mut s, &mut c, b"server data");
    (c, s)
}

fn kept(client: &ClientConfig) -> Arc<ClientSessionTls12> {
    client
        .session_store
        .as_ref()
        .unwrap()
        .get_tls12("leaf.p256.test")
        .expect("a TLS 1.2 session is kept")
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(UnixTime::from_secs(NOW)))
}

/// Asserts the "≤1.2, full" row: the server's fresh 32-byte S on both
/// sides, nothing resumed. Returns S.
fn assert_full(c: &ClientConnection, s: &ServerConnection) -> Vec<u8> {
    assert!(!c.is_resumed() && !s.is_resumed());
    assert_eq!(s.session_id().len(), 32);
    assert_eq!(c.session_id(), s.session_id());
    s.session_id().to_vec()
}

#[test]
fn resumption_by_session_id_keeps_s_on_both_sides_through_a_chain() {
    let client = client_builder("p256")
        .versions(TLS12)
        .enable_tickets(false)
        .build()
        .unwrap();
    let server = server_builder("p256").build().unwrap();
    let (c, s) = connect(&client, &server);
    let id = assert_full(&c, &s);
    assert!(
        !s.resumption_requested(),
        "a 1.2-only client sends no ID at first"
    );
    assert!(kept(&client).ticket.is_none());
    for _ in 0..2 {
        let (c, s) = connect(&client, &server);
        // Row "≤1.2, resumed by session ID": S everywhere.
        assert!(c.is_resumed() && s.is_resumed());
        assert!(c.extended_master_secret() && s.extended_master_secret());
        assert!(s.resumption_requested());
        assert_eq!(s.session_id(), id);
        assert_eq!(c.session_id(), id);
    }
}

#[test]
fn resumption_by_ticket_echoes_c_to_the_client_and_keeps_s_on_the_server() {
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    // No session cache: only the ticket can resume.
    let server = server_builder("p256").session_cache(None).build().unwrap();
    let (c, s) = connect(&client, &server);
    // Row "≤1.2, full, RFC 5077 ticket issued": S, sealed into the ticket.
    let id = assert_full(&c, &s);
    let first_ticket = kept(&client).ticket.clone().expect("a ticket").ticket;
    let mut client_ids = Vec::new();
    for _ in 0..2 {
        let (c, s) = connect(&client, &server);
        // Row "≤1.2, resumed by ticket": the client sees its fresh C, the
        // server keeps S.
        assert!(c.is_resumed() && s.is_resumed());
        assert!(c.extended_master_secret() && s.extended_master_secret());
        assert!(s.resumption_requested());
        assert_eq!(s.session_id(), id);
        assert_eq!(c.session_id().len(), 32);
        assert_ne!(c.session_id(), id);
        client_ids.push(c.session_id().to_vec());
    }
    assert_ne!(client_ids[0], client_ids[1], "C is fresh every time");
    // The server sent a new ticket on each resumption.
    assert_ne!(kept(&client).ticket.clone().unwrap().ticket, first_ticket);
}

#[test]
fn server_without_tickets_resumes_by_session_id() {
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let server = server_builder("p256").tickets(0).build().unwrap();
    let (c, s) = connect(&client, &server);
    let id = assert_full(&c, &s);
    assert!(kept(&client).ticket.is_none());
    let (c, s) = connect(&client, &server);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!((c.session_id(), s.session_id()), (&id[..], &id[..]));
}

#[test]
fn a_resumption_that_changes_nothing_keeps_the_offered_session_itself() {
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let server = server_builder("p256").tickets(0).build().unwrap();
    connect(&client, &server);
    let offered = kept(&client);
    let (c, _) = connect(&client, &server);
    assert!(c.is_resumed());
    assert!(
        Arc::ptr_eq(&kept(&client), &offered),
        "the store keeps the offered session, not a copy"
    );
    assert_eq!(
        c.session_data().unwrap(),
        Some(
            ferrotls::ClientSessionData::Tls12(offered)
                .to_bytes()
                .unwrap()
        ),
        "the connection exports the session it resumed"
    );
}

#[test]
fn ticket_sealed_under_the_previous_key_resumes_two_rotations_old_does_not() {
    let clock = clock();
    let ticketer = Arc::new(RotatingTicketer::new(Arc::new(OsRng::new()), clock.clone()).unwrap());
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let server = server_builder("p256")
        .session_cache(None)
        .ticketer(ticketer.clone())
        .tickets(1)
        .build()
        .unwrap();
    // A client store that never takes the newer tickets would be needed
    // to test the old key alone; export the first session and reuse it.
    let (c, s) = connect(&client, &server);
    let id = assert_full(&c, &s);
    let session = kept(&client);
    let offer_again = |session: &Arc<ClientSessionTls12>| {
        client
            .session_store
            .as_ref()
            .unwrap()
            .put_tls12("leaf.p256.test", Arc::clone(session));
        connect(&client, &server)
    };
    ticketer.rotate().unwrap();
    let (c, s) = offer_again(&session);
    assert!(
        c.is_resumed() && s.is_resumed(),
        "previous key still unseals"
    );
    assert_eq!(s.session_id(), id);
    ticketer.rotate().unwrap();
    let (c, s) = offer_again(&session);
    assert!(
        !c.is_resumed() && !s.is_resumed(),
        "two rotations old: full handshake"
    );
    // Design §3: the fresh C is a non-empty session ID offered, so the
    // server still counts a resumption request.
    assert!(s.resumption_requested());
    assert_ne!(s.session_id(), id);
}

#[test]
fn expired_server_cache_entry_means_a_full_handshake_with_a_new_id() {
    let clock = clock();
    let cache: Arc<dyn ServerSessionStore> =
        Arc::new(InMemoryServerStore::with_limits(16, 60, clock.clone()));
    let client = client_builder("p256")
        .versions(TLS12)
        .enable_tickets(false)
        .build()
        .unwrap();
    let server = server_builder("p256")
        .clock(clock.clone())
        .session_cache(Some(cache))
        .build()
        .unwrap();
    let (c, s) = connect(&client, &server);
    let id = assert_full(&c, &s);
    clock.advance(Duration::from_secs(61));
    let (c, s) = connect(&client, &server);
    assert!(s.resumption_requested(), "the client offered S");
    let new_id = assert_full(&c, &s);
    assert_ne!(new_id, id);
}

#[test]
fn evicted_server_cache_entry_means_a_full_handshake() {
    let cache: Arc<dyn ServerSessionStore> =
        Arc::new(InMemoryServerStore::with_limits(1, 3600, clock()));
    let server = server_builder("p256")
        .session_cache(Some(cache))
        .build()
        .unwrap();
    let first = client_builder("p256")
        .versions(TLS12)
        .enable_tickets(false)
        .build()
        .unwrap();
    let second = client_builder("p256")
        .versions(TLS12)
        .enable_tickets(false)
        .build()
        .unwrap();
    let (c, s) = connect(&first, &server);
    let id = assert_full(&c, &s);
    // The second client's session evicts the first from the one slot,
    // and is itself still there.
    connect(&second, &server);
    let (c, s) = connect(&second, &server);
    assert!(c.is_resumed() && s.is_resumed());
    let (c, s) = connect(&first, &server);
    assert!(s.resumption_requested());
    assert_ne!(assert_full(&c, &s), id);
}

#[cfg(feature = "legacy")]
#[test]
fn resumption_that_would_turn_etm_off_is_a_full_handshake() {
    let suites = &[CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256];
    assert!(TLS12_CBC_CIPHER_SUITES.contains(&suites[0]));
    let client = client_builder("p256")
        .versions(TLS12)
        .cipher_suites(suites)
        .build()
        .unwrap();
    let cache: Arc<dyn ServerSessionStore> = Arc::new(InMemoryServerStore::new(clock()));
    let ticketer = Arc::new(RotatingTicketer::new(Arc::new(OsRng::new()), clock()).unwrap());
    let with_etm = |on: bool| {
        server_builder("p256")
            .versions(TLS12)
            .cipher_suites(suites)
            .session_cache(Some(cache.clone()))
            .ticketer(ticketer.clone())
            .enable_encrypt_then_mac(on)
            .build()
            .unwrap()
    };
    let (c, s) = connect(&client, &with_etm(true));
    assert_full(&c, &s);
    assert!(kept(&client).encrypt_then_mac);
    let (c, s) = connect(&client, &with_etm(false));
    assert!(s.resumption_requested());
    assert!(!c.is_resumed() && !s.is_resumed());
    assert!(!kept(&client).encrypt_then_mac);
}

#[test]
fn resumption_that_changes_ems_use_is_a_full_handshake() {
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let cache: Arc<dyn ServerSessionStore> = Arc::new(InMemoryServerStore::new(clock()));
    let ticketer = Arc::new(RotatingTicketer::new(Arc::new(OsRng::new()), clock()).unwrap());
    let with_ems = |on: bool| {
        server_builder("p256")
            .session_cache(Some(cache.clone()))
            .ticketer(ticketer.clone())
            .enable_extended_master_secret(on)
            .build()
            .unwrap()
    };
    let (c, s) = connect(&client, &with_ems(false));
    assert_full(&c, &s);
    assert!(!c.extended_master_secret() && !s.extended_master_secret());
    // RFC 7627 §5.3: a session without EMS is not resumed by a
    // ClientHello offering it.
    let (c, s) = connect(&client, &with_ems(true));
    assert!(!c.is_resumed() && !s.is_resumed());
    assert!(c.extended_master_secret() && s.extended_master_secret());
    assert!(kept(&client).extended_master_secret);
}

#[test]
fn resumption_with_another_suite_on_the_server_is_a_full_handshake() {
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let cache: Arc<dyn ServerSessionStore> = Arc::new(InMemoryServerStore::new(clock()));
    let with_suite = |suite| {
        server_builder("p256")
            .versions(TLS12)
            .cipher_suites(&[suite])
            .session_cache(Some(cache.clone()))
            .tickets(0)
            .build()
            .unwrap()
    };
    let (c, s) = connect(
        &client,
        &with_suite(CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
    );
    assert_full(&c, &s);
    let (c, s) = connect(
        &client,
        &with_suite(CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384),
    );
    assert!(s.resumption_requested());
    assert!(!c.is_resumed() && !s.is_resumed());
    assert_eq!(
        c.cipher_suite(),
        Some(CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)
    );
}

#[test]
fn server_hello_echoing_the_id_with_another_suite_is_illegal_parameter() {
    let client = client_builder("p256")
        .versions(TLS12)
        .enable_tickets(false)
        .build()
        .unwrap();
    let server = server_builder("p256").build().unwrap();
    connect(&client, &server);
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    // The resumed ServerHello: record header (5), handshake header (4),
    // version (2), random (32), session ID (1 + 32), then the suite.
    let (_, r) = transfer_altered(&mut s, &mut c, |bytes| {
        assert_eq!(bytes[43], 32);
        bytes[76..78].copy_from_slice(&[0xc0, 0x2c]);
    });
    assert!(
        matches!(
            r,
            Err(Error::IllegalParameter(
                IllegalParameterReason::ResumedParametersChanged
            ))
        ),
        "{r:?}"
    );
    let mut out = Vec::new();
    c.write_tls(&mut out).unwrap();
    assert_eq!(
        plaintext_alert(&out),
        Some(AlertDescription::IllegalParameter.into())
    );
}

#[test]
fn rfc5246_7_4_1_3_server_hello_echoing_an_id_that_named_no_session_is_illegal_parameter() {
    // A client offering TLS 1.3 sends a fresh 32-byte ID (RFC 8446 §D.4)
    // with no TLS 1.2 session behind it. A TLS 1.2 ServerHello echoing it
    // says "resumed", of a session we never offered.
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").versions(TLS12).build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    // Both hellos: record header (5), handshake header (4), version (2),
    // random (32), then the session ID (1 + 32).
    let mut offered = Vec::new();
    transfer_altered(&mut c, &mut s, |bytes| {
        assert_eq!(bytes[43], 32);
        offered = bytes[44..76].to_vec();
    })
    .1
    .unwrap();
    let (_, r) = transfer_altered(&mut s, &mut c, |bytes| {
        assert_eq!(bytes[43], 32);
        assert_ne!(bytes[44..76], offered[..], "the server chose its own ID");
        bytes[44..76].copy_from_slice(&offered);
    });
    assert_eq!(
        r,
        Err(Error::IllegalParameter(
            IllegalParameterReason::SessionNotOffered
        ))
    );
    let mut out = Vec::new();
    c.write_tls(&mut out).unwrap();
    assert_eq!(
        plaintext_alert(&out),
        Some(AlertDescription::IllegalParameter.into())
    );
}

#[test]
fn sessions_are_kept_apart_by_version() {
    // A TLS 1.2 session does not stop a later TLS 1.3 connection from
    // getting and using 1.3 tickets, and the 1.2 session stays.
    let client = client_builder("p256").build().unwrap();
    let server12 = server_builder("p256").versions(TLS12).build().unwrap();
    let (c, s) = connect(&client, &server12);
    let id = assert_full(&c, &s);
    let server13 = server_builder("p256").build().unwrap();
    let (mut c, mut s) = handshaken(client.clone(), server13.clone(), server_name("p256"));
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_3));
    send_and_check(&mut s, &mut c, b"tickets");
    let (c, _s) = handshaken(client.clone(), server13, server_name("p256"));
    assert!(c.is_resumed(), "resumed with a 1.3 ticket");
    assert_eq!(kept(&client).session_id.as_bytes(), &id[..]);
    let (c, s) = connect(&client, &server12);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(s.session_id(), id);
}

/// Changes the extension list of the hello (ClientHello or ServerHello)
/// at the start of `bytes` (a plaintext handshake record), re-encoding it.
fn edit_hello(
    bytes: &mut Vec<u8>,
    edit: impl FnOnce(&mut Vec<ferrotls::internal::msgs::extensions::Extension>),
) {
    use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
    let cx = DecodeContext {
        version: ProtocolVersion::TLSv1_2,
        key_exchange: ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm::Ecdhe,
        finished_len: 12,
    };
    let mut recs = records(bytes);
    let mut messages = split_messages(&recs[0][5..]);
    let mut hello = HandshakeMessage::decode_message(&messages[0], &cx).unwrap();
    match &mut hello {
        HandshakeMessage::ServerHello(h) => edit(h.extensions.as_mut().unwrap()),
        HandshakeMessage::ClientHello(h) => edit(h.extensions.as_mut().unwrap()),
        other => panic!("not a hello: {other:?}"),
    }
    messages[0] = hello.to_bytes().unwrap();
    let body = messages.concat();
    let mut record = recs[0][..3].to_vec();
    record.extend_from_slice(&(body.len() as u16).to_be_bytes());
    record.extend_from_slice(&body);
    recs[0] = record;
    *bytes = recs.concat();
}

/// Removes the extensions `drop` selects from the hello at the start of
/// `bytes`.
fn strip_hello(
    bytes: &mut Vec<u8>,
    drop: fn(&ferrotls::internal::msgs::extensions::Extension) -> bool,
) {
    edit_hello(bytes, |extensions| extensions.retain(|e| !drop(e)));
}

fn is_ems(e: &ferrotls::internal::msgs::extensions::Extension) -> bool {
    matches!(
        e,
        ferrotls::internal::msgs::extensions::Extension::ExtendedMasterSecret
    )
}

/// Asserts that `r` is `handshake_failure` and that `conn` sent that
/// alert.
fn assert_handshake_failure(conn: &mut ferrotls::Connection, r: Result<(), Error>) {
    assert!(matches!(r, Err(Error::HandshakeFailure(_))), "{r:?}");
    let mut out = Vec::new();
    conn.write_tls(&mut out).unwrap();
    assert_eq!(
        plaintext_alert(&out),
        Some(AlertDescription::HandshakeFailure.into())
    );
}

#[test]
fn rfc7627_s5_3_resuming_an_ems_session_without_ems_is_handshake_failure() {
    // By session ID (tickets off) and by ticket (no session cache).
    let by_id = client_builder("p256")
        .versions(TLS12)
        .enable_tickets(false)
        .build()
        .unwrap();
    let by_ticket = client_builder("p256").versions(TLS12).build().unwrap();
    for (client, server) in [
        (by_id, server_builder("p256").tickets(0).build().unwrap()),
        (
            by_ticket,
            server_builder("p256").session_cache(None).build().unwrap(),
        ),
    ] {
        connect(&client, &server);
        assert!(kept(&client).extended_master_secret);
        let (mut c, mut s) = pair(client, server, server_name("p256"));
        let (_, r) = transfer_altered(&mut c, &mut s, |b| strip_hello(b, is_ems));
        assert!(s.resumption_requested());
        assert_handshake_failure(&mut s, r);
    }
}

#[test]
fn rfc7627_s5_3_client_aborts_when_the_resuming_server_hello_adds_ems() {
    let client = client_builder("p256")
        .versions(TLS12)
        .enable_tickets(false)
        .build()
        .unwrap();
    let server = server_builder("p256")
        .enable_extended_master_secret(false)
        .build()
        .unwrap();
    connect(&client, &server);
    assert!(!kept(&client).extended_master_secret);
    // The server resumes (the ClientHello reaches it without EMS, as the
    // session was made); the ServerHello then gains EMS.
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let (_, r) = transfer_altered(&mut c, &mut s, |b| strip_hello(b, is_ems));
    r.unwrap();
    assert!(s.is_resumed());
    let (_, r) = transfer_altered(&mut s, &mut c, |b| {
        edit_hello(b, |e| {
            e.push(ferrotls::internal::msgs::extensions::Extension::ExtendedMasterSecret)
        })
    });
    assert_handshake_failure(&mut c, r);
}

#[cfg(feature = "legacy")]
#[test]
fn client_refuses_a_resumption_that_drops_etm_or_ems() {
    use ferrotls::internal::msgs::extensions::Extension;
    let drops: [fn(&Extension) -> bool; 2] = [
        |e| matches!(e, Extension::EncryptThenMac),
        |e| matches!(e, Extension::ExtendedMasterSecret),
    ];
    for drop in drops {
        let suites = &[CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256];
        let client = client_builder("p256")
            .versions(TLS12)
            .cipher_suites(suites)
            .enable_tickets(false)
            .build()
            .unwrap();
        let server = server_builder("p256")
            .versions(TLS12)
            .cipher_suites(suites)
            .build()
            .unwrap();
        connect(&client, &server);
        let session = kept(&client);
        assert!(session.encrypt_then_mac && session.extended_master_secret);
        let (mut c, mut s) = pair(client, server, server_name("p256"));
        transfer(&mut c, &mut s).1.unwrap();
        assert!(s.is_resumed());
        let (_, r) = transfer_altered(&mut s, &mut c, |b| strip_hello(b, drop));
        assert_handshake_failure(&mut c, r);
    }
}

#[test]
fn resumed_connections_log_the_session_master_secret_on_both_sides() {
    let client_log = Arc::new(CapturedSecrets::default());
    let server_log = Arc::new(CapturedSecrets::default());
    let client = client_builder("p256")
        .versions(TLS12)
        .key_log(client_log.clone())
        .build()
        .unwrap();
    let server = server_builder("p256")
        .key_log(server_log.clone())
        .build()
        .unwrap();
    connect(&client, &server);
    let master = client_log.get("CLIENT_RANDOM");
    assert_eq!(server_log.get("CLIENT_RANDOM"), master);
    let (c, _) = connect(&client, &server);
    assert!(c.is_resumed());
    for log in [&client_log, &server_log] {
        let entries = log.0.lock().unwrap();
        let masters: Vec<_> = entries
            .iter()
            .filter(|(l, _)| l == "CLIENT_RANDOM")
            .collect();
        assert_eq!(masters.len(), 2);
        assert_eq!(masters[1].1, master);
    }
}

#[test]
fn rfc5929_tls_unique_is_the_first_finished_of_the_latest_handshake() {
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (c, s) = connect(&client, &server);
    assert!(!c.is_resumed());
    let full = c.tls_unique().expect("a full handshake binds").to_vec();
    assert_eq!(full.len(), 12);
    assert_eq!(s.tls_unique(), Some(&full[..]));
    // A resumption with the extended master secret binds too, to its own
    // first Finished.
    let (c, s) = connect(&client, &server);
    assert!(c.is_resumed() && c.extended_master_secret());
    let resumed = c.tls_unique().expect("a resumption with EMS binds");
    assert_eq!(s.tls_unique(), Some(resumed));
    assert_ne!(resumed, &full[..]);
    // Without the extended master secret a full handshake binds, a
    // resumption does not (RFC 7627 §1, the triple handshake).
    let legacy = server_builder("p256")
        .enable_extended_master_secret(false)
        .build()
        .unwrap();
    let (c, s) = connect(&client, &legacy);
    assert!(!c.is_resumed() && !c.extended_master_secret());
    assert!(c.tls_unique().is_some() && c.tls_unique() == s.tls_unique());
    let (c, s) = connect(&client, &legacy);
    assert!(c.is_resumed());
    assert_eq!((c.tls_unique(), s.tls_unique()), (None, None));
    // TLS 1.3 defines none (RFC 8446 §C.5).
    let (c, s) = handshaken(
        client_builder("p256").build().unwrap(),
        server,
        server_name("p256"),
    );
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_3));
    assert_eq!((c.tls_unique(), s.tls_unique()), (None, None));
}

#[test]
fn rfc9266_tls_exporter_is_the_exporter_under_its_label_and_needs_ems() {
    let label = b"EXPORTER-Channel-Binding";
    let tls13 = client_builder("p256").build().unwrap();
    let tls12 = client_builder("p256").versions(TLS12).build().unwrap();
    let server = server_builder("p256").build().unwrap();
    for client in [tls13, tls12.clone()] {
        let (c, s) = handshaken(client, server.clone(), server_name("p256"));
        let binding = c.tls_exporter().expect("bound to the whole handshake");
        assert_eq!(s.tls_exporter(), Some(binding));
        let mut exported = [0; ferrotls::TLS_EXPORTER_BINDING_LEN];
        c.export_keying_material(&mut exported, label, None)
            .unwrap();
        assert_eq!(binding, exported);
    }
    // RFC 9266 §3: none without the extended master secret.
    let legacy = server_builder("p256")
        .enable_extended_master_secret(false)
        .build()
        .unwrap();
    let (c, s) = connect(&tls12, &legacy);
    assert!(!c.extended_master_secret());
    assert_eq!((c.tls_exporter(), s.tls_exporter()), (None, None));
}

/// Feeds `bytes` to `to` and processes them.
fn deliver(to: &mut ferrotls::Connection, bytes: &[u8]) -> Result<(), Error> {
    to.read_tls(&mut &bytes[..]).unwrap();
    to.process_new_packets().map(|_| ())
}

/// What `from` has queued to send.
fn queued(from: &mut ferrotls::Connection) -> Vec<u8> {
    let mut out = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut out).unwrap();
    }
    out
}

/// RFC 5246 §7.2.2 invalidates "the failed session", not the one after
/// it: a connection that fails once another connection to the same
/// server name has stored a newer session leaves that one in the store.
/// The failing connection resumed its session from the store, or from
/// exported bytes (`ClientConnection::resume`); the newer session comes
/// from a server that does not know the old one.
#[test]
fn rfc5246_7_2_2_a_failure_leaves_the_newer_session_another_connection_stored() {
    let server = server_builder("p256").build().unwrap();
    let stranger = server_builder("p256").build().unwrap();
    let unopenable = record(23, [3, 3], &[0; 40]);
    for imported in [false, true] {
        let client = || {
            client_builder("p256")
                .versions(TLS12)
                .enable_tickets(false)
                .build()
                .unwrap()
        };
        let (exporter, first) = (client(), client());
        let (c, _) = connect(&exporter, &server);
        let exported = c.session_data().unwrap().unwrap();
        if !imported {
            connect(&first, &server);
        }
        let mut failing = match imported {
            true => {
                ClientConnection::resume(first.clone(), server_name("p256"), &exported).unwrap()
            }
            false => ClientConnection::new(first.clone(), server_name("p256")).unwrap(),
        };
        let mut s = ServerConnection::new(server.clone());
        handshake(&mut failing, &mut s);
        assert!(failing.is_resumed(), "imported: {imported}");
        let (newer, _) = connect(&first, &stranger);
        assert!(!newer.is_resumed());
        let kept_before = kept(&first);
        assert_eq!(kept_before.session_id.as_bytes(), newer.session_id());
        assert_eq!(deliver(&mut failing, &unopenable), Err(Error::BadRecordMac));
        assert_eq!(kept(&first), kept_before, "imported: {imported}");
    }
}

/// RFC 5246 §7.2.2: after a fatal alert "the session identifier MUST be
/// invalidated, preventing the failed session from being used to
/// establish new connections", by the side that sends it and the side
/// that receives it. A record that does not open ends each connection
/// with bad_record_mac: first at the server, after a full handshake
/// (the client reads its alert), then at the client, after a resumed one
/// (the server reads its alert). Each time both the server's cache and
/// the client's store drop the session, and the next connection is a
/// full handshake that offers none. So do both sides of a resumed
/// handshake that fails before it completes.
#[test]
fn rfc5246_7_2_2_a_fatal_alert_invalidates_the_session_on_both_sides() {
    let client = client_builder("p256")
        .versions(TLS12)
        .enable_tickets(false)
        .build()
        .unwrap();
    let server = server_builder("p256").build().unwrap();
    let cache = server.session_cache.clone().unwrap();
    let store = client.session_store.clone().unwrap();
    let cached = |id: &[u8]| {
        let key = ferrotls::internal::session::store_key(
            ferrotls::internal::session::StoreKeyKind::Tls12SessionId,
            id,
        );
        cache.get(&key.unwrap()).is_some()
    };
    let unopenable = record(23, [3, 3], &[0; 40]);
    // A resumed handshake that fails before it completes: the server's
    // Finished does not open at the client.
    let (c, s) = connect(&client, &server);
    let id = assert_full(&c, &s);
    let (mut c, mut s) = pair(client.clone(), server.clone(), server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    assert!(s.is_resumed());
    let (_, refused) = transfer_altered(&mut s, &mut c, |flight| {
        if let Some(last) = flight.last_mut() {
            *last ^= 1;
        }
    });
    assert_eq!(refused, Err(Error::BadRecordMac));
    assert!(store.get_tls12("leaf.p256.test").is_none());
    let alert = queued(&mut c);
    assert_eq!(
        deliver(&mut s, &alert),
        Err(Error::AlertReceived(AlertDescription::BadRecordMac))
    );
    assert!(!cached(&id));
    // Connections that fail after their handshake, full then resumed.
    for resumed in [false, true] {
        let (mut c, mut s) = connect(&client, &server);
        assert_eq!(s.is_resumed(), resumed);
        let id = s.session_id().to_vec();
        assert!(cached(&id) && store.get_tls12("leaf.p256.test").is_some());
        let (failing, other): (&mut ferrotls::Connection, &mut ferrotls::Connection) = if resumed {
            (&mut c, &mut s)
        } else {
            (&mut s, &mut c)
        };
        assert_eq!(deliver(failing, &unopenable), Err(Error::BadRecordMac));
        let alert = queued(failing);
        assert_eq!(
            deliver(other, &alert),
            Err(Error::AlertReceived(AlertDescription::BadRecordMac))
        );
        assert!(!cached(&id), "the server forgot the session");
        assert!(
            store.get_tls12("leaf.p256.test").is_none(),
            "so did the client"
        );
        let (c, s) = connect(&client, &server);
        assert!(!s.resumption_requested());
        assert_ne!(assert_full(&c, &s), id);
    }
}
