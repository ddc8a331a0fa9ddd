//! TLS 1.3 resumption with tickets, in memory: NewSessionTicket counts,
//! PSK with psk_dhe_ke and psk_ke, binders, chains of resumptions and the
//! session identifiers of design §3 (the server's T persists, the client's
//! L changes every time), stateful single-use tickets, expiry.

mod common;

use ferrotls::internal::error::{
    DecryptErrorReason, IllegalParameterReason, InvalidRequestReason, UnexpectedMessageReason,
};
use std::sync::{Arc, Mutex};

use common::*;
use ferrotls::internal::msgs::certificate::CertificateRequestTls13;
use ferrotls::internal::msgs::enums::{ExtensionType, PskKeyExchangeMode};
use ferrotls::internal::msgs::extensions::{Extension, KeyShareEntry};
use ferrotls::internal::msgs::handshake::HandshakeMessage;
use ferrotls::internal::msgs::hello::ServerHello;
use ferrotls::internal::session::{ClientSessionTls12, ClientTicketTls13};
use ferrotls::{
    AlertDescription, CipherSuite, ClientConfig, ClientConnection, ClientSessionStore, Clock,
    Error, InMemoryServerStore, ManualClock, NamedGroup, ServerConfig, ServerConfigBuilder,
    ServerConnection, SignatureScheme, UnixTime,
};

/// Connects once, completes the handshake and delivers the tickets the
/// server sends after it; returns both ends.
fn connect(
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
) -> (ClientConnection, ServerConnection) {
    let (mut c, mut s) = handshaken(client.clone(), server.clone(), server_name("p256"));
    transfer(&mut s, &mut c).1.unwrap();
    (c, s)
}

/// Runs the three flights of a handshake by hand and returns how many
/// NewSessionTickets the server sends after the client's Finished,
/// decrypted with the server's first application secret from `secrets`
/// (the suite is TLS_AES_128_GCM_SHA256, the default first choice).
fn handshake_counting_tickets(
    c: &mut ClientConnection,
    s: &mut ServerConnection,
    secrets: &CapturedSecrets,
) -> usize {
    use ferrotls::internal::record::RecordProtection;
    transfer(c, s).1.unwrap();
    transfer(s, c).1.unwrap();
    transfer(c, s).1.unwrap();
    assert!(!c.is_handshaking() && !s.is_handshaking());
    let mut bytes = Vec::new();
    transfer_altered(s, c, |b| bytes = b.clone()).1.unwrap();
    let mut opener = aes128_protection(&secrets.get("SERVER_TRAFFIC_SECRET_0"));
    let mut payload = Vec::new();
    for (seq, mut record) in records(&bytes).into_iter().enumerate() {
        let opened = opener.open(seq as u64, &mut record).unwrap();
        payload.extend_from_slice(&record[opened.plaintext]);
    }
    let messages = split_messages(&payload);
    assert!(messages.iter().all(|m| m[0] == 4), "only NewSessionTickets");
    messages.len()
}

/// How many NewSessionTickets a server built from `server` sends `client`
/// after a full handshake ([`handshake_counting_tickets`]).
fn tickets_sent(client: Arc<ClientConfig>, server: ServerConfigBuilder) -> usize {
    let secrets = Arc::new(CapturedSecrets::default());
    let server = server.key_log(secrets.clone()).build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    handshake_counting_tickets(&mut c, &mut s, &secrets)
}

/// [`configs`], the server logging its secrets to the first value.
fn logged_configs() -> (Arc<CapturedSecrets>, Arc<ClientConfig>, Arc<ServerConfig>) {
    let secrets = Arc::new(CapturedSecrets::default());
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256")
        .key_log(secrets.clone())
        .build()
        .unwrap();
    (secrets, client, server)
}

fn configs() -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    (
        client_builder("p256").build().unwrap(),
        server_builder("p256").build().unwrap(),
    )
}

#[test]
fn second_connection_resumes_and_keeps_the_server_id() {
    let (client, server) = configs();
    let (c1, s1) = connect(&client, &server);
    assert!(!c1.is_resumed() && !s1.is_resumed());
    let (c2, s2) = connect(&client, &server);
    assert!(c2.is_resumed() && s2.is_resumed());
    assert!(s2.resumption_requested());
    // Design §3: server T persists; the client's L is fresh.
    assert_eq!(s2.session_id(), s1.session_id());
    assert_eq!(c2.session_id().len(), 32);
    assert_ne!(c2.session_id(), c1.session_id());
    // The resumed client still knows the server's certificates.
    assert_eq!(c2.peer_certificates(), c1.peer_certificates());
    // psk_dhe_ke: a fresh exchange in the default group.
    assert_eq!(c2.negotiated_group(), Some(NamedGroup::X25519MLKEM768));
}

/// The extension types of the EncryptedExtensions the server sends
/// `client` on a new connection, decrypted with the server's handshake
/// secret from `secrets`.
fn encrypted_extension_types(
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
    secrets: &CapturedSecrets,
) -> Vec<u16> {
    use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
    use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
    const CX: DecodeContext = DecodeContext {
        version: ferrotls::ProtocolVersion::TLSv1_3,
        key_exchange: KeyExchangeAlgorithm::Ecdhe,
        finished_len: 32,
    };
    let (mut c, mut s) = pair(client.clone(), server.clone(), server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let mut types = Vec::new();
    let secret = secrets.get("SERVER_HANDSHAKE_TRAFFIC_SECRET");
    transfer_altered(&mut s, &mut c, |flight| {
        edit_encrypted_flight(flight, &secret, |messages| {
            let ee = messages.iter().find(|m| m[0] == 8).unwrap();
            let HandshakeMessage::EncryptedExtensions(extensions) =
                HandshakeMessage::decode_message(ee, &CX).unwrap()
            else {
                panic!("not EncryptedExtensions")
            };
            types = extensions.iter().map(|e| u16::from(e.ext_type())).collect();
        })
    })
    .1
    .unwrap();
    handshake(&mut c, &mut s);
    transfer(&mut s, &mut c).1.unwrap();
    types
}

#[test]
fn rfc6066_3_a_resumed_session_gets_no_server_name_acknowledgement() {
    const SERVER_NAME: u16 = 0;
    let (secrets, client, server) = logged_configs();
    // "When resuming a session, the server MUST NOT include a server_name
    // extension": EncryptedExtensions carries what the TLS 1.2 ServerHello
    // did, so a full handshake acknowledges the name and a resumption not.
    let full = encrypted_extension_types(&client, &server, &secrets);
    assert!(full.contains(&SERVER_NAME), "{full:?}");
    let resumed = encrypted_extension_types(&client, &server, &secrets);
    assert!(!resumed.contains(&SERVER_NAME), "{resumed:?}");
}

#[test]
fn chains_of_resumptions_keep_t_and_change_l() {
    let (secrets, client, server) = logged_configs();
    let (c, s) = connect(&client, &server);
    let t = s.session_id().to_vec();
    let mut client_ids = vec![c.session_id().to_vec()];
    for _ in 0..4 {
        let (mut c, mut s) = pair(client.clone(), server.clone(), server_name("p256"));
        // One new ticket after a resumption (design §3).
        assert_eq!(handshake_counting_tickets(&mut c, &mut s, &secrets), 1);
        assert!(c.is_resumed() && s.is_resumed());
        assert_eq!(s.session_id(), t.as_slice());
        assert!(!client_ids.contains(&c.session_id().to_vec()));
        client_ids.push(c.session_id().to_vec());
    }
}

#[test]
fn two_tickets_after_a_full_handshake_zero_turns_them_off() {
    let client = client_builder("p256").build().unwrap();
    assert_eq!(tickets_sent(client.clone(), server_builder("p256")), 2);
    let none = || server_builder("p256").tickets(0);
    assert_eq!(tickets_sent(client.clone(), none()), 0);
    let (c, s) = connect(&client, &none().build().unwrap());
    assert!(!c.is_resumed() && !s.is_resumed());
}

/// The PSK extensions of `client`'s first ClientHello: the
/// psk_key_exchange_modes it lists, if any, and whether it offers a PSK.
fn first_hello_psk_extensions(
    client: Arc<ClientConfig>,
) -> (Option<Vec<PskKeyExchangeMode>>, bool) {
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    let mut bytes = Vec::new();
    c.write_tls(&mut bytes).unwrap();
    let hello = common::rfc8448::client_hello(&records(&bytes)[0][5..]);
    let extensions = hello.extensions.unwrap_or_default();
    let modes = extensions.iter().find_map(|e| match e {
        Extension::PskKeyExchangeModes(modes) => Some(modes.to_vec()),
        _ => None,
    });
    let offers_psk = extensions
        .iter()
        .any(|e| matches!(e, Extension::PreSharedKeyOffer(_)));
    (modes, offers_psk)
}

/// RFC 8446 §4.2.9: a server sends no tickets for modes the client did
/// not list (Go, Java and BoringSSL servers send none to a client that
/// lists none), so a TLS 1.3 ClientHello lists our modes before we have a
/// ticket to offer, as BoringSSL's and rustls's do; none when no mode is
/// configured, and none in a TLS 1.2-only ClientHello.
#[test]
fn rfc8446_4_2_9_the_first_client_hello_lists_our_modes_before_we_have_a_ticket() {
    let default = client_builder("p256").build().unwrap();
    assert_eq!(
        first_hello_psk_extensions(default),
        (Some(vec![PskKeyExchangeMode::PskDheKe]), false)
    );
    let modes = [PskKeyExchangeMode::PskKe, PskKeyExchangeMode::PskDheKe];
    let both = client_builder("p256").psk_modes(&modes).build().unwrap();
    assert_eq!(
        first_hello_psk_extensions(both),
        (Some(modes.to_vec()), false)
    );
    let none = client_builder("p256").psk_modes(&[]).build().unwrap();
    assert_eq!(first_hello_psk_extensions(none), (None, false));
    let tls12 = client_builder("p256")
        .versions(&[ferrotls::ProtocolVersion::TLSv1_2])
        .build()
        .unwrap();
    assert_eq!(first_hello_psk_extensions(tls12), (None, false));
}

/// RFC 8446 §4.2.9: our server sends no tickets to a client whose
/// psk_key_exchange_modes are all modes it refuses, since that client
/// cannot resume with them; a client that lists no modes at all still
/// gets them, as from OpenSSL and GnuTLS (tlsfuzzer's
/// test-tls13-count-tickets expects two).
#[test]
fn rfc8446_4_2_9_no_tickets_for_a_client_whose_modes_we_all_refuse() {
    // psk_ke alone, which the server (psk_dhe_ke by default) refuses.
    let psk_ke = client_builder("p256")
        .psk_modes(&[PskKeyExchangeMode::PskKe])
        .build()
        .unwrap();
    assert_eq!(tickets_sent(psk_ke.clone(), server_builder("p256")), 0);
    let (c, _) = connect(&psk_ke, &server_builder("p256").build().unwrap());
    assert!(!c.is_resumed());
    let no_modes = client_builder("p256").psk_modes(&[]).build().unwrap();
    assert_eq!(tickets_sent(no_modes, server_builder("p256")), 2);
}

#[test]
fn psk_ke_resumes_without_key_exchange() {
    let modes = [PskKeyExchangeMode::PskKe];
    let client = client_builder("p256").psk_modes(&modes).build().unwrap();
    let server = server_builder("p256").psk_modes(&modes).build().unwrap();
    connect(&client, &server);
    let (c, s) = connect(&client, &server);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(c.negotiated_group(), None);
    assert_eq!(s.negotiated_group(), None);
    send_after(c, s);
}

#[test]
fn psk_dhe_ke_is_preferred_when_both_are_allowed() {
    let modes = [PskKeyExchangeMode::PskDheKe, PskKeyExchangeMode::PskKe];
    let client = client_builder("p256").psk_modes(&modes).build().unwrap();
    let server = server_builder("p256").psk_modes(&modes).build().unwrap();
    connect(&client, &server);
    let (c, _) = connect(&client, &server);
    assert!(c.is_resumed());
    assert_eq!(c.negotiated_group(), Some(NamedGroup::X25519MLKEM768));
}

fn send_after(mut c: ClientConnection, mut s: ServerConnection) {
    send_and_check(&mut c, &mut s, b"resumed data");
    send_and_check(&mut s, &mut c, b"resumed reply");
}

#[test]
fn resumption_after_a_hello_retry_request() {
    let client = client_builder("p256")
        .groups(&[NamedGroup::secp384r1, NamedGroup::X25519])
        .build()
        .unwrap();
    let server = server_builder("p256")
        .groups(&[NamedGroup::X25519])
        .build()
        .unwrap();
    let (_, s1) = connect(&client, &server);
    let (c, s) = connect(&client, &server);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(s.session_id(), s1.session_id());
    send_after(c, s);
}

#[test]
fn resumed_server_remembers_the_client_certificate() {
    let server = client_auth_server_builder("p256", "p384", true)
        .build()
        .unwrap();
    let client = client_builder("p256")
        .client_certificate(certified_key("p384"))
        .build()
        .unwrap();
    let (_, s1) = connect(&client, &server);
    let (_, s2) = connect(&client, &server);
    assert!(s2.is_resumed());
    assert_eq!(s2.peer_certificates(), s1.peer_certificates());
    assert_eq!(s2.peer_certificates().len(), 2);
}

#[test]
fn ticket_from_another_server_means_a_full_handshake() {
    let client = client_builder("p256").build().unwrap();
    let server_a = server_builder("p256").build().unwrap();
    let server_b = server_builder("p256").build().unwrap();
    connect(&client, &server_a);
    let (c, s) = connect(&client, &server_b);
    assert!(!c.is_resumed() && !s.is_resumed());
    assert!(!s.resumption_requested());
}

#[test]
fn expired_tickets_are_not_used() {
    let clock = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    let client = client_builder("p256").clock(clock.clone()).build().unwrap();
    let server = server_builder("p256")
        .clock(clock.clone())
        .ticket_lifetime(10)
        .build()
        .unwrap();
    connect(&client, &server);
    clock.advance(std::time::Duration::from_secs(11));
    let (c, s) = connect(&client, &server);
    assert!(!c.is_resumed() && !s.is_resumed());
}

#[test]
fn expired_ticket_still_counts_as_a_resumption_request() {
    // The client's store keeps the ticket (its own clock stands still);
    // the server's clock has moved past the lifetime.
    let server_clock = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256")
        .clock(server_clock.clone())
        .ticket_lifetime(10)
        .build()
        .unwrap();
    connect(&client, &server);
    server_clock.advance(std::time::Duration::from_secs(11));
    let (c, s) = connect(&client, &server);
    assert!(!c.is_resumed() && !s.is_resumed());
    assert!(s.resumption_requested());
}

/// A client store that hands out the same ticket again and again, to
/// replay it.
#[derive(Default)]
struct ReplayingStore(Mutex<Option<Arc<ClientTicketTls13>>>);

impl ClientSessionStore for ReplayingStore {
    fn put_tls12(&self, _: &str, _: Arc<ClientSessionTls12>) {}
    fn get_tls12(&self, _: &str) -> Option<Arc<ClientSessionTls12>> {
        None
    }
    fn remove_tls12(&self, _: &str) {}
    fn add_tls13_ticket(&self, _: &str, ticket: Arc<ClientTicketTls13>) {
        let mut slot = self.0.lock().unwrap();
        if slot.is_none() {
            *slot = Some(ticket);
        }
    }
    fn take_tls13_ticket(&self, _: &str) -> Option<Arc<ClientTicketTls13>> {
        self.0.lock().unwrap().clone()
    }
}

/// A client whose store hands out its one ticket again and again, and a
/// server with stateful (single-use) tickets in a store.
fn replaying_client_and_stateful_server() -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    let client = client_builder("p256")
        .session_store(Some(Arc::new(ReplayingStore::default())))
        .build()
        .unwrap();
    let server = server_builder("p256")
        .session_store(Arc::new(InMemoryServerStore::new(clock)))
        .build()
        .unwrap();
    (client, server)
}

#[test]
fn stateful_tickets_resume_once() {
    let (client, server) = replaying_client_and_stateful_server();
    connect(&client, &server);
    let (c, s) = connect(&client, &server);
    assert!(c.is_resumed() && s.is_resumed());
    // The same ticket again: the store gave it out already.
    let (c, s) = connect(&client, &server);
    assert!(!c.is_resumed() && !s.is_resumed());
}

#[test]
fn stateless_tickets_can_be_replayed() {
    // Without a store a ticket is only sealed state: documented, and the
    // reason 0-RTT requires stateful tickets.
    let store = Arc::new(ReplayingStore::default());
    let client = client_builder("p256")
        .session_store(Some(store))
        .build()
        .unwrap();
    let server = server_builder("p256").build().unwrap();
    connect(&client, &server);
    for _ in 0..2 {
        let (c, _) = connect(&client, &server);
        assert!(c.is_resumed());
    }
}

#[test]
fn no_client_store_means_no_resumption() {
    let client = client_builder("p256").session_store(None).build().unwrap();
    let server = server_builder("p256").build().unwrap();
    connect(&client, &server);
    let (c, _) = connect(&client, &server);
    assert!(!c.is_resumed());
}

#[test]
fn altered_binder_is_decrypt_error() {
    let (client, server) = configs();
    connect(&client, &server);
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let err = transfer_altered(&mut c, &mut s, |b| {
        // The binder is the last byte of the ClientHello record.
        let last = b.len() - 1;
        b[last] ^= 1;
    })
    .1
    .unwrap_err();
    assert!(
        matches!(err, Error::DecryptError(DecryptErrorReason::BinderMismatch)),
        "{err:?}"
    );
}

#[test]
fn zero_rtt_needs_a_session_store() {
    assert!(matches!(
        server_builder("p256").max_early_data_size(1024).build(),
        Err(Error::InvalidRequest(
            InvalidRequestReason::EarlyDataNeedsStore
        ))
    ));
}

#[test]
fn a_ticket_exported_as_bytes_resumes_from_a_new_store() {
    // What `ferrotls client --sess-out/--sess-in` does: take the ticket out
    // of one store, keep its bytes, put it into a fresh store later.
    use ferrotls::{ClientSessionData, InMemoryClientStore};
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    let first_store = Arc::new(InMemoryClientStore::new(clock.clone()));
    let client = client_builder("p256")
        .session_store(Some(first_store.clone()))
        .build()
        .unwrap();
    let server = server_builder("p256").build().unwrap();
    let (_, s1) = connect(&client, &server);
    let name = server_name("p256").to_string();
    let ticket = first_store.take_tls13_ticket(&name).unwrap();
    let bytes = ClientSessionData::Tls13(ticket).to_bytes().unwrap();

    let second_store = Arc::new(InMemoryClientStore::new(clock.clone()));
    let ClientSessionData::Tls13(ticket) =
        ClientSessionData::from_bytes(&bytes, clock.now()).unwrap()
    else {
        panic!("not a TLS 1.3 ticket")
    };
    second_store.add_tls13_ticket(&name, ticket);
    let client = client_builder("p256")
        .session_store(Some(second_store))
        .build()
        .unwrap();
    let (c, s) = connect(&client, &server);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(s.session_id(), s1.session_id());
}

#[test]
fn rfc8446_s4_2_11_forged_binder_is_decrypt_error_and_does_not_burn_a_stateful_ticket() {
    let (client, server) = replaying_client_and_stateful_server();
    connect(&client, &server);
    // An attacker replays the ticket identity it saw on the wire with a
    // binder it cannot compute.
    let (mut c, mut s) = pair(client.clone(), server.clone(), server_name("p256"));
    let err = transfer_altered(&mut c, &mut s, |b| {
        // The binder is the last byte of the ClientHello record.
        let last = b.len() - 1;
        b[last] ^= 1;
    })
    .1
    .unwrap_err();
    assert!(
        matches!(err, Error::DecryptError(DecryptErrorReason::BinderMismatch)),
        "{err:?}"
    );
    let mut out = Vec::new();
    s.write_tls(&mut out).unwrap();
    assert_eq!(
        plaintext_alert(&out),
        Some(ferrotls::AlertDescription::DecryptError.into())
    );
    // The legitimate client still resumes with that ticket, once.
    let (c, s) = connect(&client, &server);
    assert!(c.is_resumed() && s.is_resumed());
    let (c, s) = connect(&client, &server);
    assert!(!c.is_resumed() && !s.is_resumed());
}

#[test]
fn rfc8446_s4_2_11_a_tls12_session_id_offered_as_a_psk_identity_leaves_that_session() {
    use ferrotls::internal::session::Validity;
    use ferrotls::ServerSessionStore;
    use ferrotls::{CipherSuite, ProtocolVersion};
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    // One store for the TLS 1.2 session-ID cache and TLS 1.3 tickets.
    let store: Arc<dyn ServerSessionStore> = Arc::new(InMemoryServerStore::new(clock.clone()));
    let server = server_builder("p256").session_store(store).build().unwrap();
    let tls12 = client_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_2])
        .enable_tickets(false)
        .build()
        .unwrap();
    let (_, s) = connect(&tls12, &server);
    let session_id = s.session_id().to_vec();
    // A TLS 1.3 client offers the session ID, seen in clear, as a ticket.
    let forged = ClientTicketTls13 {
        ticket: session_id.clone(),
        psk: ferrotls::internal::crypto::Secret::from_slice(&[7; 32]),
        cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
        age_add: 0,
        validity: Validity::new(clock.now(), 3600),
        max_early_data_size: 0,
        alpn_protocol: None,
        server: Default::default(),
        server_name: server_name("p256").to_string(),
        key_share_group: None,
        unknown_fields: Default::default(),
    };
    let attacker = client_builder("p256").build().unwrap();
    attacker
        .session_store
        .as_ref()
        .unwrap()
        .add_tls13_ticket(&server_name("p256").to_string(), forged.into());
    let (c, s) = connect(&attacker, &server);
    assert!(!c.is_resumed() && !s.is_resumed());
    assert!(!s.resumption_requested(), "no ticket has that identity");
    // The TLS 1.2 session is still there.
    let (c, s) = connect(&tls12, &server);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(s.session_id(), session_id);
}

/// The client's error and alert when the resuming ServerHello (the first
/// record of the server's flight, after a first connection primed the
/// ticket) is changed by `edit`.
fn resuming_server_hello_refused(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
    edit: impl FnOnce(&mut ServerHello),
) -> (Error, Option<u8>) {
    connect(&client, &server);
    client_refuses_server_hello(client, server, edit)
}

#[test]
fn rfc9846_4_2_11_ticket_selected_without_the_key_share_psk_dhe_ke_needs_is_illegal_parameter() {
    let modes = [PskKeyExchangeMode::PskDheKe];
    let client = client_builder("p256").psk_modes(&modes).build().unwrap();
    let server = server_builder("p256").psk_modes(&modes).build().unwrap();
    let (err, alert) = resuming_server_hello_refused(client, server, |hello| {
        hello
            .extensions
            .as_mut()
            .unwrap()
            .retain(|e| e.ext_type() != ExtensionType::KeyShare)
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::PskWithoutKeyShare)
    );
    assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
}

#[test]
fn rfc8446_4_2_9_a_key_share_when_we_offered_psk_ke_alone_is_illegal_parameter() {
    // In psk_ke mode "the server MUST NOT supply any key_share values".
    let modes = [PskKeyExchangeMode::PskKe];
    let client = client_builder("p256").psk_modes(&modes).build().unwrap();
    let server = server_builder("p256").psk_modes(&modes).build().unwrap();
    let (err, alert) = resuming_server_hello_refused(client, server, |hello| {
        let extensions = hello.extensions.as_mut().unwrap();
        assert!(extensions
            .iter()
            .all(|e| e.ext_type() != ExtensionType::KeyShare));
        extensions.insert(
            0,
            Extension::KeyShareSelected(KeyShareEntry {
                group: NamedGroup::X25519,
                key_exchange: vec![9; 32],
            }),
        );
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::KeyShareInPskKeMode)
    );
    assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
}

#[test]
fn rfc8446_4_2_11_ticket_selected_with_a_suite_of_another_hash_is_illegal_parameter() {
    // The ticket is for TLS_AES_128_GCM_SHA256; the client also offers
    // TLS_AES_256_GCM_SHA384, whose hash is not the ticket's.
    let (client, server) = configs();
    let (err, alert) = resuming_server_hello_refused(client, server, |hello| {
        assert_eq!(hello.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
        hello.cipher_suite = CipherSuite::TLS_AES_256_GCM_SHA384;
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::PskNotOffered)
    );
    assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
}

#[test]
fn rfc8446_4_3_2_certificate_request_in_a_resumed_handshake_is_unexpected_message() {
    // "Servers which are authenticating with a PSK MUST NOT send the
    // CertificateRequest message in the main handshake": after
    // EncryptedExtensions, a resuming client reads the server Finished.
    let (secrets, client, server) = logged_configs();
    connect(&client, &server);
    let (err, received) =
        client_refuses_encrypted_flight(client, server, server_name("p256"), &secrets, |m| {
            let types: Vec<u8> = m.iter().map(|m| message_type(m)).collect();
            assert_eq!(types, [8, 20], "resumed: EncryptedExtensions, Finished");
            let request = HandshakeMessage::CertificateRequestTls13(CertificateRequestTls13 {
                context: vec![],
                extensions: vec![Extension::SignatureAlgorithms(
                    [SignatureScheme::ecdsa_secp256r1_sha256].into(),
                )],
            });
            m.insert(1, request.to_bytes().unwrap());
        });
    assert_eq!(
        err,
        Error::UnexpectedMessage(UnexpectedMessageReason::ExpectedFinished)
    );
    assert_eq!(
        received,
        Error::AlertReceived(AlertDescription::UnexpectedMessage)
    );
}

/// A client store that keeps every ticket it is given, in order, and
/// hands out the oldest one still unused.
#[derive(Default)]
struct RecordingStore {
    kept: Mutex<Vec<Arc<ClientTicketTls13>>>,
    unused: Mutex<Vec<Arc<ClientTicketTls13>>>,
}

impl ClientSessionStore for RecordingStore {
    fn put_tls12(&self, _: &str, _: Arc<ClientSessionTls12>) {}
    fn get_tls12(&self, _: &str) -> Option<Arc<ClientSessionTls12>> {
        None
    }
    fn remove_tls12(&self, _: &str) {}
    fn add_tls13_ticket(&self, _: &str, ticket: Arc<ClientTicketTls13>) {
        self.kept.lock().unwrap().push(Arc::clone(&ticket));
        self.unused.lock().unwrap().push(ticket);
    }
    fn take_tls13_ticket(&self, _: &str) -> Option<Arc<ClientTicketTls13>> {
        let mut unused = self.unused.lock().unwrap();
        (!unused.is_empty()).then(|| unused.remove(0))
    }
}

#[test]
fn the_tickets_of_a_connection_share_one_copy_of_the_server_chain() {
    let store = Arc::new(RecordingStore::default());
    let client = client_builder("p256")
        .session_store(Some(store.clone()))
        .build()
        .unwrap();
    let server = server_builder("p256").build().unwrap();
    let (c, _) = connect(&client, &server);
    let kept = store.kept.lock().unwrap().clone();
    // RFC 8446 §4.6.1 lets a server send several tickets; ours sends two.
    assert_eq!(kept.len(), 2);
    assert!(!c.peer_certificates().is_empty());
    assert_eq!(kept[0].server.certificates, c.peer_certificates());
    assert!(Arc::ptr_eq(&kept[0].server, &kept[1].server));

    // A resumption reports the chain, and the ticket it is given shares
    // the chain of the ticket it resumed with.
    let (c, s) = connect(&client, &server);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(c.peer_certificates(), kept[0].server.certificates);
    let kept = store.kept.lock().unwrap().clone();
    assert_eq!(kept.len(), 3);
    assert!(Arc::ptr_eq(&kept[0].server, &kept[2].server));
}
