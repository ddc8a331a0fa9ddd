//! RFC 8448 §3 (Simple 1-RTT Handshake) through every layer at once: the
//! records of the trace are deframed by our record layer, handshake
//! messages are joined and parsed by our `msgs`, every key comes from our
//! key schedule, the encrypted records are opened by our TLS 1.3 record
//! protection, and the Finished messages are checked — byte for byte
//! against the trace (`vectors/rfc8448/transcripts.vec`).
//!
//! Only the X25519 scalar multiplication comes from outside (the
//! `x25519-dalek` dev-dependency): ring cannot import the trace's fixed
//! private key.

mod common;

use common::rfc8448::{
    client_hello as client_hello_of, key_share, server_hello as server_hello_of, trace,
    TLS13_SHA256 as TLS13,
};
use ferrotls::internal::codec::Codec;
use ferrotls::internal::crypto::aead::AeadAlgorithm;
use ferrotls::internal::crypto::hash::{HashAlgorithm, HashContext};
use ferrotls::internal::crypto::rng::FixedBytes;
use ferrotls::internal::keyschedule::tls13::{EarlySecret, TrafficSecret};
use ferrotls::internal::msgs::alert::Alert;
use ferrotls::internal::msgs::enums::{AlertLevel, ContentType, ExtensionType};
use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::internal::msgs::handshake::HandshakeMessage;
use ferrotls::internal::record::HandshakeJoiner;
use ferrotls::internal::record::{RecordLayer, Tls13AeadProtection};
use ferrotls::{
    AlertDescription, CipherSuite, Error, HandshakeType, NamedGroup, ProtocolVersion, SecureRandom,
};

/// TLS_AES_128_GCM_SHA256, the suite of the trace.
const AEAD: AeadAlgorithm = AeadAlgorithm::Aes128Gcm;
const HASH: HashAlgorithm = HashAlgorithm::Sha256;

/// One received record's content type and plaintext.
type Record = (ContentType, Vec<u8>);

/// Feeds `bytes` to `layer` and returns every record it yields.
fn records(layer: &mut RecordLayer, bytes: &[u8]) -> Result<Vec<Record>, Error> {
    assert_eq!(layer.push_received(bytes), bytes.len());
    let mut out = Vec::new();
    while let Some(record) = layer.next_record()? {
        out.push((record.content_type, record.plaintext.to_vec()));
    }
    assert!(!layer.has_partial_record());
    Ok(out)
}

/// Joins the handshake records and returns every whole message, raw.
fn messages(records: &[Record]) -> Vec<Vec<u8>> {
    let mut joiner = HandshakeJoiner::new();
    let mut out = Vec::new();
    for (content_type, payload) in records {
        assert_eq!(*content_type, ContentType::Handshake);
        joiner.push(payload).unwrap();
        while let Some(message) = joiner.next_message().unwrap() {
            out.push(message.raw.to_vec());
        }
    }
    assert!(!joiner.has_partial_message());
    out
}

fn protection(secret: &TrafficSecret) -> Box<Tls13AeadProtection> {
    let keys = secret.keys(AEAD.key_len()).unwrap();
    Box::new(Tls13AeadProtection::new(AEAD, keys.key.as_bytes(), keys.iv.as_bytes()).unwrap())
}

fn x25519(private: [u8; 32], public: &[u8]) -> [u8; 32] {
    let public: [u8; 32] = public.try_into().unwrap();
    let secret = x25519_dalek::StaticSecret::from(private);
    *secret
        .diffie_hellman(&x25519_dalek::PublicKey::from(public))
        .as_bytes()
}

#[test]
fn rfc8448_section3_through_every_layer() {
    let t = trace("Simple_1RTT_Handshake");
    let pool = FixedBytes::new(&t["Client_RNG_Pool"]);
    let mut client_random = [0u8; 32];
    let mut client_private = [0u8; 32];
    pool.fill(&mut client_random).unwrap();
    pool.fill(&mut client_private).unwrap();

    // The server reads the ClientHello record; the client reads the rest.
    let mut server_side = RecordLayer::new();
    let mut client_side = RecordLayer::new();
    let ch_raw = messages(&records(&mut server_side, &t["Record_ClientHello_1"]).unwrap());
    let sh_raw = messages(&records(&mut client_side, &t["Record_ServerHello"]).unwrap());
    let [client_hello] = &ch_raw[..] else {
        panic!("one ClientHello")
    };
    let [server_hello] = &sh_raw[..] else {
        panic!("one ServerHello")
    };
    assert_eq!(server_hello, &t["Message_ServerHello"]);

    let ch = client_hello_of(client_hello);
    let sh = server_hello_of(server_hello);
    assert_eq!(ch.random, client_random);
    assert!(!sh.is_hello_retry_request());
    assert_eq!(sh.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
    assert!(matches!(
        sh.find_extension(ExtensionType::SupportedVersions),
        Some(Extension::SupportedVersionsSelected(
            ProtocolVersion::TLSv1_3
        ))
    ));
    let client_public =
        x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(client_private));
    assert_eq!(
        key_share(ch.extensions(), NamedGroup::X25519),
        client_public.as_bytes()
    );
    let shared = x25519(
        client_private,
        &key_share(sh.extensions(), NamedGroup::X25519),
    );

    // Key schedule up to the handshake traffic secrets.
    let mut transcript = HashContext::new(HASH);
    transcript.update(client_hello);
    transcript.update(server_hello);
    let handshake = EarlySecret::new(HASH, None, None)
        .unwrap()
        .into_handshake(Some(&shared))
        .unwrap();
    let hello_hash = transcript.current();
    let client_hs = handshake
        .client_handshake_traffic_secret(&hello_hash)
        .unwrap();
    let server_hs = handshake
        .server_handshake_traffic_secret(&hello_hash)
        .unwrap();

    // The server's encrypted flight: one record, opened in place, four
    // messages, each parsed and equal to the trace's.
    client_side.set_read_protection(protection(&server_hs));
    let flight = records(&mut client_side, &t["Record_ServerHandshakeMessages"]).unwrap();
    let flight = messages(&flight);
    let expected = [
        "Message_EncryptedExtensions",
        "Message_Server_Certificate",
        "Message_Server_CertificateVerify",
        "Message_Server_Finished",
    ];
    assert_eq!(flight.len(), expected.len());
    let mut parsed = Vec::new();
    for (raw, name) in flight.iter().zip(expected) {
        assert_eq!(raw, &t[name], "{name}");
        let message = HandshakeMessage::decode_message(raw, &TLS13).unwrap();
        assert_eq!(message.to_bytes().unwrap(), *raw, "{name} re-encodes");
        parsed.push(message);
    }
    assert_eq!(
        parsed
            .iter()
            .map(HandshakeMessage::handshake_type)
            .collect::<Vec<_>>(),
        [
            HandshakeType::EncryptedExtensions,
            HandshakeType::Certificate,
            HandshakeType::CertificateVerify,
            HandshakeType::Finished
        ]
    );

    // The server Finished verifies over the transcript up to CertificateVerify.
    for raw in &flight[..3] {
        transcript.update(raw);
    }
    let HandshakeMessage::Finished(server_verify_data) = &parsed[3] else {
        panic!("not a Finished")
    };
    let server_finished_key = server_hs.finished_key().unwrap();
    assert_eq!(
        server_finished_key.verify(&transcript.current(), server_verify_data),
        Ok(())
    );
    let mut forged = server_verify_data.clone();
    forged[0] ^= 1;
    assert!(server_finished_key
        .verify(&transcript.current(), &forged)
        .is_err());
    transcript.update(&flight[3]);
    let server_finished_hash = transcript.current();

    // The client's Finished record opens with the client handshake key and
    // carries exactly the Finished our key schedule computes.
    server_side.set_read_protection(protection(&client_hs));
    let client_finished =
        messages(&records(&mut server_side, &t["Record_ClientFinished"]).unwrap());
    let [client_finished] = &client_finished[..] else {
        panic!("one Finished")
    };
    let HandshakeMessage::Finished(client_verify_data) =
        HandshakeMessage::decode_message(client_finished, &TLS13).unwrap()
    else {
        panic!("not a Finished")
    };
    let computed = client_hs
        .finished_key()
        .unwrap()
        .verify_data(&server_finished_hash)
        .unwrap();
    assert_eq!(client_verify_data, computed.as_bytes());
    transcript.update(client_finished);

    // Application traffic: the NewSessionTicket, both application data
    // records and both close_notify alerts open with our keys.
    let master = handshake.into_master().unwrap();
    let app = master.into_application(&server_finished_hash).unwrap();
    client_side.set_read_protection(protection(&app.server));
    server_side.set_read_protection(protection(&app.client));

    let ticket = messages(&records(&mut client_side, &t["Record_NewSessionTicket"]).unwrap());
    let [ticket] = &ticket[..] else {
        panic!("one NewSessionTicket")
    };
    let HandshakeMessage::NewSessionTicketTls13(ticket) =
        HandshakeMessage::decode_message(ticket, &TLS13).unwrap()
    else {
        panic!("not a TLS 1.3 NewSessionTicket")
    };
    assert_eq!(ticket.ticket, t["SessionTicket"]);
    // The PSK of this ticket is the one the trace's client saved.
    let psk = app
        .resumption
        .resumption_master_secret(&transcript.current())
        .unwrap()
        .ticket_psk(&ticket.nonce)
        .unwrap();
    assert!(t["Client_SessionData"]
        .windows(32)
        .any(|w| w == psk.as_bytes()));

    let from_client = records(&mut server_side, &t["Record_Client_AppData"]).unwrap();
    assert_eq!(
        from_client,
        [(ContentType::ApplicationData, t["Client_AppData"].clone())]
    );
    let from_server = records(&mut client_side, &t["Record_Server_AppData"]).unwrap();
    assert_eq!(
        from_server,
        [(ContentType::ApplicationData, t["Server_AppData"].clone())]
    );

    let close_notify = Alert {
        level: AlertLevel::Warning,
        description: AlertDescription::CloseNotify,
    };
    for (layer, name) in [
        (&mut server_side, "Record_Client_CloseNotify"),
        (&mut client_side, "Record_Server_CloseNotify"),
    ] {
        let alerts = records(layer, &t[name]).unwrap();
        let [(ContentType::Alert, body)] = &alerts[..] else {
            panic!("one alert in {name}")
        };
        assert_eq!(Alert::decode_exact(body).unwrap(), close_notify, "{name}");
    }
}

#[test]
fn rfc8448_section3_server_flight_fails_under_the_wrong_key() {
    let t = trace("Simple_1RTT_Handshake");
    // The client handshake key instead of the server's: the record must be
    // refused as bad_record_mac, not parsed.
    let handshake = EarlySecret::new(HASH, None, None)
        .unwrap()
        .into_handshake(Some(&[7u8; 32]))
        .unwrap();
    let wrong = handshake
        .server_handshake_traffic_secret(&HASH.hash(b"not the transcript"))
        .unwrap();
    let mut layer = RecordLayer::new();
    layer.set_read_protection(protection(&wrong));
    assert_eq!(
        records(&mut layer, &t["Record_ServerHandshakeMessages"]),
        Err(Error::BadRecordMac)
    );
}
