//! TLS 1.0 and 1.1 resumption in memory, checked against the ≤1.2 rows
//! of the session-ID contract (design §3, docs/session-ids.md) on both
//! sides, for each version, with ECDHE and RSA key exchange: by session
//! ID, by RFC 5077 ticket, chains of connections, and the resumptions
//! that must become full handshakes (another version, EtM dropped).

// TLS 1.0/1.1, RSA key exchange and CBC come with feature `legacy`.
#![cfg(feature = "legacy")]

mod common;

use std::sync::Arc;

use common::*;
use ferrotls::internal::error::IllegalParameterReason;
use ferrotls::internal::session::ClientSessionTls12;
use ferrotls::{
    AlertDescription, CipherSuite, ClientConfig, ClientConnection, Error, ProtocolVersion,
    ServerConfig, ServerConnection, TLS10_CIPHER_SUITES,
};

const LEGACY: [ProtocolVersion; 2] = [ProtocolVersion::TLSv1_0, ProtocolVersion::TLSv1_1];

/// The suites tried per version: one ECDHE, one RSA key exchange.
const SUITES: [(&str, CipherSuite); 2] = [
    ("p256", CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA),
    ("rsa2048", CipherSuite::TLS_RSA_WITH_AES_256_CBC_SHA),
];

fn client(
    key_type: &str,
    version: ProtocolVersion,
    suite: CipherSuite,
    tickets: bool,
) -> Arc<ClientConfig> {
    client_builder(key_type)
        .versions(&[version])
        .cipher_suites(&[suite])
        .enable_tickets(tickets)
        .build()
        .unwrap()
}

fn server(key_type: &str, versions: &[ProtocolVersion]) -> ferrotls::ServerConfigBuilder {
    server_builder(key_type)
        .versions(versions)
        .cipher_suites(TLS10_CIPHER_SUITES)
}

/// One whole connection: handshake, data both ways, the version checked.
fn connect(
    key_type: &str,
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
    version: ProtocolVersion,
) -> (ClientConnection, ServerConnection) {
    let (mut c, mut s) = handshaken(client.clone(), server.clone(), server_name(key_type));
    assert_eq!(c.protocol_version(), Some(version));
    assert_eq!(s.protocol_version(), Some(version));
    send_and_check(&mut c, &mut s, b"client data");
    send_and_check(&mut s, &mut c, b"server data");
    (c, s)
}

fn kept(client: &ClientConfig, key_type: &str) -> Arc<ClientSessionTls12> {
    client
        .session_store
        .as_ref()
        .unwrap()
        .get_tls12(&server_name(key_type).to_string())
        .expect("a session is kept")
}

/// The "≤1.2, full" row: the server's fresh 32-byte S on both sides,
/// nothing resumed. Returns S.
fn assert_full(c: &ClientConnection, s: &ServerConnection) -> Vec<u8> {
    assert!(!c.is_resumed() && !s.is_resumed());
    assert_eq!(s.session_id().len(), 32);
    assert_eq!(c.session_id(), s.session_id());
    s.session_id().to_vec()
}

#[test]
fn resumption_by_session_id_keeps_s_on_both_sides_through_a_chain() {
    for version in LEGACY {
        for (key_type, suite) in SUITES {
            let client = client(key_type, version, suite, false);
            let server = server(key_type, &[version]).build().unwrap();
            let (c, s) = connect(key_type, &client, &server, version);
            let id = assert_full(&c, &s);
            assert!(!s.resumption_requested());
            assert_eq!(kept(&client, key_type).version, version);
            for _ in 0..2 {
                // Row "≤1.2, resumed by session ID": S everywhere.
                let (c, s) = connect(key_type, &client, &server, version);
                assert!(c.is_resumed() && s.is_resumed(), "{version:?} {suite:?}");
                assert!(s.resumption_requested());
                assert_eq!(s.session_id(), id);
                assert_eq!(c.session_id(), id);
                assert_eq!(c.cipher_suite(), Some(suite));
            }
        }
    }
}

#[test]
fn resumption_by_ticket_echoes_c_to_the_client_and_keeps_s_on_the_server() {
    for version in LEGACY {
        for (key_type, suite) in SUITES {
            let client = client(key_type, version, suite, true);
            // No session cache: only the ticket can resume.
            let server = server(key_type, &[version])
                .session_cache(None)
                .build()
                .unwrap();
            let (c, s) = connect(key_type, &client, &server, version);
            // Row "≤1.2, full, RFC 5077 ticket issued": S, sealed inside.
            let id = assert_full(&c, &s);
            assert!(kept(&client, key_type).ticket.is_some());
            let mut client_ids = Vec::new();
            for _ in 0..2 {
                // Row "≤1.2, resumed by ticket": C to the client, S kept.
                let (c, s) = connect(key_type, &client, &server, version);
                assert!(c.is_resumed() && s.is_resumed(), "{version:?} {suite:?}");
                assert!(s.resumption_requested());
                assert_eq!(s.session_id(), id);
                assert_eq!(c.session_id().len(), 32);
                assert_ne!(c.session_id(), id);
                client_ids.push(c.session_id().to_vec());
            }
            assert_ne!(client_ids[0], client_ids[1], "C is fresh every time");
        }
    }
}

#[test]
fn a_session_of_one_version_is_not_resumed_under_another() {
    // A TLS 1.0 session offered to a server that now picks TLS 1.1 gives
    // a full handshake with a new S (design §3: the version must fit).
    let (key_type, suite) = SUITES[0];
    let both = client_builder(key_type)
        .versions(&[ProtocolVersion::TLSv1_1, ProtocolVersion::TLSv1_0])
        .cipher_suites(&[suite])
        .enable_tickets(false)
        .build()
        .unwrap();
    let cache: Arc<dyn ferrotls::ServerSessionStore> =
        Arc::new(ferrotls::InMemoryServerStore::new(Arc::new(
            ferrotls::ManualClock::new(ferrotls::UnixTime::from_secs(NOW)),
        )));
    let v10 = server(key_type, &[ProtocolVersion::TLSv1_0])
        .session_cache(Some(cache.clone()))
        .build()
        .unwrap();
    let (c, s) = connect(key_type, &both, &v10, ProtocolVersion::TLSv1_0);
    let id = assert_full(&c, &s);
    let v11 = server(key_type, &LEGACY)
        .session_cache(Some(cache))
        .build()
        .unwrap();
    let (c, s) = connect(key_type, &both, &v11, ProtocolVersion::TLSv1_1);
    assert!(s.resumption_requested());
    assert_ne!(assert_full(&c, &s), id);
}

#[test]
fn a_resumed_tls10_connection_keeps_etm_and_splits_client_data() {
    // A resumed TLS 1.0 connection starts a new IV chain from its own key
    // block and keeps splitting client data; data crosses both ways.
    let (key_type, suite) = SUITES[0];
    let client = client(key_type, ProtocolVersion::TLSv1_0, suite, false);
    let server = server(key_type, &[ProtocolVersion::TLSv1_0])
        .build()
        .unwrap();
    let (c, s) = connect(key_type, &client, &server, ProtocolVersion::TLSv1_0);
    assert_full(&c, &s);
    assert!(kept(&client, key_type).encrypt_then_mac);
    let (mut c, mut s) = connect(key_type, &client, &server, ProtocolVersion::TLSv1_0);
    assert!(c.is_resumed());
    use std::io::Write;
    c.writer().write_all(&[1u8; 50]).unwrap();
    let mut out = Vec::new();
    c.write_tls(&mut out).unwrap();
    assert_eq!(records(&out).len(), 2, "1/n-1 split after resumption");
    s.read_tls(&mut &out[..]).unwrap();
    s.process_new_packets().unwrap();
}

#[test]
fn rfc5246_7_4_1_3_server_hello_resuming_under_another_version_is_illegal_parameter() {
    // A TLS 1.2 session, resumed by a ServerHello rewritten to TLS 1.1
    // (the suite works with both): a resumption keeps the session's
    // version (another suite: tls12_resumption).
    let (v12, v11) = (ProtocolVersion::TLSv1_2, ProtocolVersion::TLSv1_1);
    let client = client_builder("p256")
        .versions(&[v12, v11])
        .cipher_suites(&[CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA])
        .enable_tickets(false)
        .build()
        .unwrap();
    let server = server("p256", &[v12, v11]).build().unwrap();
    connect("p256", &client, &server, v12);
    let (err, alert) = refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Client,
        1,
        |bytes| {
            // Record header (5), handshake header (4), then the version;
            // the session ID (1 + 32) after the random (32) echoes ours.
            assert_eq!((&bytes[9..11], bytes[43]), (&[3, 3][..], 32));
            bytes[9..11].copy_from_slice(&[3, 2]);
        },
    );
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::ResumedParametersChanged)
    );
    assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
}
