//! Raw public keys (RFC 7250) in memory: the client_certificate_type and
//! server_certificate_type extensions in every message they may and may
//! not appear in, handshakes in TLS 1.3 and 1.2 with the server's and the
//! client's key sent alone and checked by [`PinnedKeys`], a key that is
//! not pinned (`bad_certificate`), and the fallbacks of RFC 7250 §4.2:
//! X.509 when the server has no raw key but the client takes X.509 too,
//! `unsupported_certificate` when it does not.

mod common;

use std::sync::Arc;

use common::*;
use ferrotls::internal::codec::{Codec, Reader, Writer};
use ferrotls::internal::error::{IllegalParameterReason, InvalidRequestReason};
use ferrotls::internal::msgs::certificate::RawPublicKeyTls12;
use ferrotls::internal::msgs::extensions::{Extension, ExtensionContext};
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
use ferrotls::{
    pin_of, AlertDescription, CertificateError, CertificateType, CertifiedKey, ClientAuth,
    ClientConfig, ClientConnection, ClientSessionStore, Error, InMemoryClientStore, ManualClock,
    PinnedKeys, ProtocolVersion, ServerConfig, ServerConnection, UnixTime,
};

const VERSIONS: [ProtocolVersion; 2] = [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2];
const RAW: CertificateType = CertificateType::RawPublicKey;
const X509: CertificateType = CertificateType::X509;

/// How the TLS 1.2 ClientHellos below are decoded.
const TLS12_CX: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_2,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 12,
};

fn encode(extension: &Extension) -> Vec<u8> {
    let mut w = Writer::new();
    extension.encode(&mut w);
    w.finish().unwrap()
}

fn decode(bytes: &[u8], cx: ExtensionContext) -> Result<Extension, Error> {
    let mut r = Reader::new(bytes);
    let extension = Extension::decode(&mut r, cx)?;
    r.finish()?;
    Ok(extension)
}

#[test]
fn certificate_type_extensions_decode_in_each_context() {
    use ExtensionContext as C;
    // (type 19 client / 20 server, offer and answer forms)
    let cases = [
        (
            Extension::ClientCertificateTypes([RAW, X509].into()),
            &[0, 19, 0, 3, 2, 2, 0][..],
            Extension::ClientCertificateTypeSelected(RAW),
            &[0, 19, 0, 1, 2][..],
        ),
        (
            Extension::ServerCertificateTypes([RAW].into()),
            &[0, 20, 0, 2, 1, 2][..],
            Extension::ServerCertificateTypeSelected(X509),
            &[0, 20, 0, 1, 0][..],
        ),
    ];
    for (offer, offer_bytes, answer, answer_bytes) in cases {
        assert_eq!(encode(&offer), offer_bytes);
        assert_eq!(decode(offer_bytes, C::ClientHello), Ok(offer.clone()));
        assert_eq!(encode(&answer), answer_bytes);
        for cx in [C::ServerHello, C::EncryptedExtensions] {
            assert_eq!(decode(answer_bytes, cx), Ok(answer.clone()), "{cx:?}");
        }
        for cx in [
            C::HelloRetryRequest,
            C::CertificateRequest,
            C::CertificateEntry,
            C::NewSessionTicket,
        ] {
            assert_eq!(
                decode(answer_bytes, cx),
                Err(Error::IllegalParameter(
                    IllegalParameterReason::ExtensionNotAllowed
                )),
                "{cx:?}"
            );
        }
    }
    // An empty list (RFC 7250 §3: <1..2^8-1>) and a missing answer are
    // decode errors; an unknown type is kept as its code.
    assert!(matches!(
        decode(&[0, 20, 0, 1, 0], C::ClientHello),
        Err(Error::Decode(_))
    ));
    assert!(matches!(
        decode(&[0, 19, 0, 0], C::EncryptedExtensions),
        Err(Error::Decode(_))
    ));
    assert_eq!(
        decode(&[0, 19, 0, 2, 1, 1], C::ClientHello),
        Ok(Extension::ClientCertificateTypes(
            [CertificateType::from(1)].into()
        ))
    );
}

#[test]
fn a_tls12_raw_public_key_certificate_is_one_length_prefixed_key() {
    let raw = RawPublicKeyTls12 {
        spki: vec![0x30, 0x03, 1, 2, 3],
    };
    let bytes = raw.to_bytes().unwrap();
    assert_eq!(bytes, [0, 0, 5, 0x30, 0x03, 1, 2, 3]);
    assert_eq!(RawPublicKeyTls12::decode_exact(&bytes), Ok(raw));
    assert!(matches!(
        RawPublicKeyTls12::decode_exact(&[0, 0, 6, 0x30, 0x03, 1, 2, 3]),
        Err(Error::Decode(_))
    ));
}

#[test]
fn a_key_alone_has_the_spki_openssl_writes() {
    for (name, pem) in [
        ("p256", "p256-leaf.key"),
        ("rsa2048", "rsa2048-leaf.key"),
        ("ed25519", "ed25519-leaf.key"),
    ] {
        let key = ferrotls::private_key_from_pem(&read_vector(pem)).unwrap();
        let raw = CertifiedKey::from_key(key);
        assert!(!raw.has_certificate(), "{name}");
        assert_eq!(raw.spki(), certified_key(name).spki(), "{name}");
    }
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(UnixTime::from_secs(NOW)))
}

/// A client pinning the key of `pinned` (a `vectors/pki` key type).
fn pinning_client(version: ProtocolVersion, pinned: &str) -> ferrotls::ClientConfigBuilder {
    ClientConfig::builder(Arc::new(PinnedKeys::new([certified_key(pinned).spki()])))
        .clock(clock())
        .versions(&[version])
}

/// A server with the `p256` chain, offering its key raw when `raw`.
fn p256_server(version: ProtocolVersion, raw: bool) -> ferrotls::ServerConfigBuilder {
    server_builder("p256")
        .versions(&[version])
        .raw_public_key(raw)
}

/// The key of `key_type` without its chain: sent as a raw public key.
fn bare_key(key_type: &str) -> Arc<CertifiedKey> {
    let key = ferrotls::private_key_from_pem(&read_vector(&format!("{key_type}-leaf.key")));
    Arc::new(CertifiedKey::from_key(key.unwrap()))
}

/// A client of `version` that takes raw public keys only, pinning `spki`.
fn raw_only_client(version: ProtocolVersion, spki: &[u8]) -> Arc<ClientConfig> {
    ClientConfig::builder(Arc::new(PinnedKeys::new([spki]).raw_public_keys_only()))
        .clock(clock())
        .versions(&[version])
        .build()
        .unwrap()
}

/// Asserts that `server` refuses `client`'s ClientHello: no certificate
/// type in common (RFC 7250 §4.2), `unsupported_certificate`.
fn assert_no_type_in_common(client: Arc<ClientConfig>, server: Arc<ServerConfig>, context: &str) {
    let (err, alert) = refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Server,
        1,
        |_| {},
    );
    assert_eq!(
        err,
        Error::InvalidCertificate(CertificateError::UnsupportedCertificateType),
        "{context}"
    );
    assert_eq!(
        alert,
        Some(u8::from(AlertDescription::UnsupportedCertificate)),
        "{context}"
    );
}

#[test]
fn the_server_sends_its_key_alone_to_a_client_that_pins_it() {
    for version in VERSIONS {
        let (mut c, mut s) = handshaken(
            pinning_client(version, "p256").build().unwrap(),
            p256_server(version, true).build().unwrap(),
            server_name("p256"),
        );
        assert_eq!(c.server_certificate_type(), Some(RAW), "{version:?}");
        assert_eq!(s.server_certificate_type(), Some(RAW), "{version:?}");
        assert_eq!(c.peer_certificates(), [certified_key("p256").spki()]);
        send_and_check(&mut c, &mut s, b"pinned");
        // A server whose certificate is only a key.
        let key = ferrotls::private_key_from_pem(&read_vector("ed25519-leaf.key")).unwrap();
        let server = ServerConfig::builder(Arc::new(CertifiedKey::from_key(key)))
            .clock(clock())
            .versions(&[version])
            .build()
            .unwrap();
        let (c, _) = handshaken(
            pinning_client(version, "ed25519").build().unwrap(),
            server,
            server_name("p256"),
        );
        assert_eq!(c.server_certificate_type(), Some(RAW), "{version:?}");
    }
}

#[test]
fn the_client_sends_its_key_alone_to_a_server_that_pins_it() {
    for version in VERSIONS {
        let client_key = ferrotls::private_key_from_pem(&read_vector("p384-leaf.key")).unwrap();
        let client_key = Arc::new(CertifiedKey::from_key(client_key));
        let pins = PinnedKeys::from_sha256([pin_of(client_key.spki())]);
        let (mut c, mut s) = handshaken(
            client_builder("p256")
                .versions(&[version])
                .client_certificate(client_key.clone())
                .build()
                .unwrap(),
            p256_server(version, false)
                .client_auth(ClientAuth::Required(Arc::new(pins)))
                .build()
                .unwrap(),
            server_name("p256"),
        );
        assert_eq!(c.server_certificate_type(), Some(X509), "{version:?}");
        assert_eq!(c.client_certificate_type(), Some(RAW), "{version:?}");
        assert_eq!(s.client_certificate_type(), Some(RAW), "{version:?}");
        assert_eq!(s.peer_certificates(), [client_key.spki()]);
        send_and_check(&mut s, &mut c, b"client pinned");
    }
}

/// `err` is sent as `bad_certificate`; in TLS 1.2 the alert is on the
/// wire in the clear (in TLS 1.3 it is encrypted).
fn assert_bad_certificate(version: ProtocolVersion, err: &Error, alert: Option<u8>) {
    assert_eq!(err.alert(), Some(AlertDescription::BadCertificate));
    if version == ProtocolVersion::TLSv1_2 {
        assert_eq!(alert, Some(u8::from(AlertDescription::BadCertificate)));
    }
}

#[test]
fn a_key_not_pinned_is_bad_certificate() {
    for version in VERSIONS {
        // The server's key, checked by the client.
        let (err, alert) = refuses(
            pinning_client(version, "p384").build().unwrap(),
            p256_server(version, true).build().unwrap(),
            server_name("p256"),
            Refuser::Client,
            1,
            |_| {},
        );
        assert_eq!(
            err,
            Error::InvalidCertificate(CertificateError::KeyNotPinned),
            "{version:?}"
        );
        assert_bad_certificate(version, &err, alert);
        // The client's key, checked by the server.
        let client_key = ferrotls::private_key_from_pem(&read_vector("p384-leaf.key")).unwrap();
        let pins = PinnedKeys::new([certified_key("p256").spki()]);
        let (err, alert) = refuses(
            client_builder("p256")
                .versions(&[version])
                .client_certificate(Arc::new(CertifiedKey::from_key(client_key)))
                .build()
                .unwrap(),
            p256_server(version, false)
                .client_auth(ClientAuth::Required(Arc::new(pins)))
                .build()
                .unwrap(),
            server_name("p256"),
            Refuser::Server,
            2,
            |_| {},
        );
        assert_eq!(
            err,
            Error::InvalidCertificate(CertificateError::KeyNotPinned),
            "{version:?}"
        );
        assert_bad_certificate(version, &err, alert);
    }
}

#[test]
fn without_a_raw_key_the_server_falls_back_to_x509_or_refuses() {
    for version in VERSIONS {
        // The client also takes X.509: the server answers X.509, and the
        // pinning verifier checks the certificate's key.
        let (c, s) = handshaken(
            pinning_client(version, "p256").build().unwrap(),
            p256_server(version, false).build().unwrap(),
            server_name("p256"),
        );
        assert_eq!(c.server_certificate_type(), Some(X509), "{version:?}");
        assert_eq!(s.server_certificate_type(), Some(X509), "{version:?}");
        assert_eq!(c.peer_certificates().len(), 2);
        // Raw public keys only: no type in common (RFC 7250 §4.2).
        let client = raw_only_client(version, certified_key("p256").spki());
        assert_no_type_in_common(
            client,
            p256_server(version, false).build().unwrap(),
            &format!("{version:?}"),
        );
    }
}

#[test]
fn a_key_only_server_refuses_a_client_that_takes_x509_only() {
    let key = ferrotls::private_key_from_pem(&read_vector("p256-leaf.key")).unwrap();
    let server = ServerConfig::builder(Arc::new(CertifiedKey::from_key(key)))
        .clock(clock())
        .build()
        .unwrap();
    assert_no_type_in_common(client_builder("p256").build().unwrap(), server, "");
}

#[test]
fn a_webpki_verifier_refuses_a_raw_key_it_never_asked_for() {
    // A client with an ordinary verifier never offers raw public keys; a
    // ServerHello naming one anyway is unsupported_extension. Checked on
    // the TLS 1.2 ServerHello, which is in the clear.
    let (err, alert) = refuses(
        client_builder("p256")
            .versions(&[ProtocolVersion::TLSv1_2])
            .build()
            .unwrap(),
        p256_server(ProtocolVersion::TLSv1_2, true).build().unwrap(),
        server_name("p256"),
        Refuser::Client,
        1,
        |b| {
            edit_plaintext_flight(b, |m| {
                // ServerHello: append server_certificate_type = RawPublicKey
                // to its extension block.
                let hello = &mut m[0];
                hello.extend([0, 20, 0, 1, 2]);
                let body_len = hello.len() - 4;
                hello[1..4].copy_from_slice(&(body_len as u32).to_be_bytes()[1..]);
                let sid_len = usize::from(hello[4 + 2 + 32]);
                let ext_at = 4 + 2 + 32 + 1 + sid_len + 2 + 1;
                let ext_len = u16::from_be_bytes([hello[ext_at], hello[ext_at + 1]]) + 5;
                hello[ext_at..ext_at + 2].copy_from_slice(&ext_len.to_be_bytes());
            })
        },
    );
    assert!(matches!(err, Error::UnsupportedExtension(_)), "{err:?}");
    assert_eq!(
        alert,
        Some(u8::from(AlertDescription::UnsupportedExtension))
    );
}

#[test]
fn a_session_authenticated_by_raw_keys_resumes_or_starts_afresh_never_fails() {
    for version in VERSIONS {
        let client = pinning_client(version, "p256").build().unwrap();
        let server = p256_server(version, true).build().unwrap();
        let (mut c, mut s) = handshaken(client.clone(), server.clone(), server_name("p256"));
        // TLS 1.3 tickets arrive after the handshake.
        send_and_check(&mut s, &mut c, b"ticket");
        let (c, _) = handshaken(client, server, server_name("p256"));
        assert!(c.is_resumed(), "{version:?}");
        assert_eq!(c.peer_certificates(), [certified_key("p256").spki()]);
        assert_eq!(c.server_certificate_type(), None, "{version:?}");
    }
}

#[test]
fn a_client_checking_again_what_it_resumes_judges_a_stored_raw_key_by_its_pins() {
    // `reverify_on_resume`: the stored key alone passes the pinning
    // verifier's raw-key check again and resumes; a client sharing the
    // store whose verifier pins another key does not offer the session.
    for version in VERSIONS {
        let store: Arc<dyn ClientSessionStore> = Arc::new(InMemoryClientStore::new(clock()));
        let client = |pinned| {
            pinning_client(version, pinned)
                .session_store(Some(store.clone()))
                .reverify_on_resume(true)
                .build()
                .unwrap()
        };
        let server = p256_server(version, true).build().unwrap();
        let (mut c, mut s) = handshaken(client("p256"), server.clone(), server_name("p256"));
        send_and_check(&mut s, &mut c, b"ticket");
        let (c, _) = handshaken(client("p256"), server.clone(), server_name("p256"));
        assert!(c.is_resumed(), "{version:?}");
        let mut c = ClientConnection::new(client("p384"), server_name("p256")).unwrap();
        let mut s = ServerConnection::new(server);
        transfer(&mut c, &mut s).1.unwrap();
        assert!(!s.resumption_requested(), "{version:?}");
    }
}

#[test]
fn a_session_with_a_pinned_raw_client_key_resumes() {
    for version in VERSIONS {
        let client_key = ferrotls::private_key_from_pem(&read_vector("p384-leaf.key")).unwrap();
        let client_key = Arc::new(CertifiedKey::from_key(client_key));
        let client = client_builder("p256")
            .versions(&[version])
            .client_certificate(client_key.clone())
            .build()
            .unwrap();
        let pinned = PinnedKeys::new([client_key.spki()]);
        let server = p256_server(version, false)
            .client_auth(ClientAuth::Required(Arc::new(pinned)))
            .build()
            .unwrap();
        let (mut c, mut s) = handshaken(client.clone(), server.clone(), server_name("p256"));
        send_and_check(&mut s, &mut c, b"ticket");
        let (c, s) = handshaken(client, server, server_name("p256"));
        assert!(c.is_resumed(), "{version:?}");
        assert_eq!(s.peer_certificates(), [client_key.spki()], "{version:?}");
    }
}

/// A TLS 1.3 client that sent its key alone in the handshake answers a
/// post-handshake CertificateRequest (RFC 8446 §4.6.2) the same way: the
/// type EncryptedExtensions settled holds for every Certificate of the
/// connection (RFC 8446 §4.4.2, RFC 7250 §4.2), and the server judges
/// the key with its post-handshake verifier, which may refuse it.
#[test]
fn a_client_that_sent_its_key_alone_answers_post_handshake_requests_with_it() {
    let client_key = ferrotls::private_key_from_pem(&read_vector("p384-leaf.key")).unwrap();
    let client_key = Arc::new(CertifiedKey::from_key(client_key));
    let pins = || Arc::new(PinnedKeys::from_sha256([pin_of(client_key.spki())]));
    let other = Arc::new(PinnedKeys::from_sha256([pin_of(
        certified_key("p256").spki(),
    )]));
    for (verifier, accepted) in [(pins(), true), (other, false)] {
        let (mut c, mut s) = handshaken(
            client_builder("p256")
                .versions(&[ProtocolVersion::TLSv1_3])
                .client_certificate(client_key.clone())
                .build()
                .unwrap(),
            p256_server(ProtocolVersion::TLSv1_3, false)
                .client_auth(ClientAuth::Optional(pins()))
                .post_handshake_client_auth(ClientAuth::Required(verifier))
                .build()
                .unwrap(),
            server_name("p256"),
        );
        assert_eq!(s.client_certificate_type(), Some(RAW));
        s.request_client_certificate().unwrap();
        transfer(&mut s, &mut c).1.unwrap();
        let answered = transfer(&mut c, &mut s).1;
        if accepted {
            answered.unwrap();
            assert_eq!(s.pending_certificate_requests(), 0);
            assert_eq!(s.peer_certificates(), [client_key.spki()]);
            send_and_check(&mut c, &mut s, b"still the same key");
        } else {
            assert_eq!(
                answered.unwrap_err().alert(),
                Some(AlertDescription::BadCertificate)
            );
        }
    }
}

#[test]
fn rfc7250_4_2_a_client_of_raw_keys_only_refuses_x509_from_a_server_that_did_not_answer() {
    // A server without RFC 7250 never sees server_certificate_type (taken
    // out of the ClientHello on the way) and sends its X.509 chain, which
    // a verifier of raw public keys alone cannot check. TLS 1.2, where the
    // Certificate comes in the clear before the edit could show.
    let version = ProtocolVersion::TLSv1_2;
    let client = raw_only_client(version, certified_key("p256").spki());
    let (mut c, mut s) = pair(
        client,
        p256_server(version, false).build().unwrap(),
        server_name("p256"),
    );
    transfer_altered(&mut c, &mut s, |flight| {
        edit_plaintext_flight(flight, |messages| {
            let HandshakeMessage::ClientHello(mut hello) =
                HandshakeMessage::decode_message(&messages[0], &TLS12_CX).unwrap()
            else {
                panic!("not a ClientHello")
            };
            hello
                .extensions
                .as_mut()
                .unwrap()
                .retain(|e| !matches!(e, Extension::ServerCertificateTypes(_)));
            messages[0] = HandshakeMessage::ClientHello(hello).to_bytes().unwrap();
        })
    })
    .1
    .unwrap();
    assert_eq!(
        transfer(&mut s, &mut c).1,
        Err(Error::InvalidCertificate(
            CertificateError::UnsupportedCertificateType
        ))
    );
}

#[test]
fn rfc7250_4_2_a_server_checking_raw_client_keys_alone_refuses_a_client_implying_x509() {
    // The client holds an X.509 chain only, so it sends no
    // client_certificate_type and implies X.509 (RFC 7250 §4.1), which a
    // server whose client verifier checks raw public keys alone has no
    // use for: unsupported_certificate, whether the certificate is
    // required or optional.
    for required in [true, false] {
        for version in VERSIONS {
            let verifier =
                Arc::new(PinnedKeys::new([certified_key("p384").spki()]).raw_public_keys_only());
            let auth = if required {
                ClientAuth::Required(verifier)
            } else {
                ClientAuth::Optional(verifier)
            };
            let server = p256_server(version, false)
                .client_auth(auth)
                .build()
                .unwrap();
            let client = client_builder("p256")
                .versions(&[version])
                .client_certificate(certified_key("p384"))
                .build()
                .unwrap();
            assert_no_type_in_common(client, server, &format!("{version:?}, required {required}"));
        }
    }
}

#[test]
fn rfc7250_4_2_a_server_with_a_chain_and_a_raw_key_sends_the_type_the_client_takes() {
    // The chain covers the server name and comes first, but the client
    // takes raw public keys only: the server sends its key alone rather
    // than refuse.
    for version in VERSIONS {
        let raw = bare_key("p384");
        let server = p256_server(version, false)
            .certificate(raw.clone())
            .build()
            .unwrap();
        let client = raw_only_client(version, raw.spki());
        let (c, s) = handshaken(client, server, server_name("p256"));
        assert_eq!(c.server_certificate_type(), Some(RAW), "{version:?}");
        assert!(
            Arc::ptr_eq(s.sent_certificate().unwrap(), &raw),
            "{version:?}"
        );
    }
}

/// The client_certificate_type list in the ClientHello of `client`, if
/// it sends one.
fn offered_client_types(client: Arc<ClientConfig>) -> Option<Vec<CertificateType>> {
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    let mut bytes = Vec::new();
    c.write_tls(&mut bytes).unwrap();
    let HandshakeMessage::ClientHello(hello) =
        HandshakeMessage::decode_message(&records(&bytes)[0][5..], &TLS12_CX).unwrap()
    else {
        panic!("not a ClientHello")
    };
    hello.extensions().iter().find_map(|e| match e {
        Extension::ClientCertificateTypes(types) => Some(types.to_vec()),
        _ => None,
    })
}

#[test]
fn rfc7250_4_1_a_client_lists_its_certificate_types_in_the_order_of_its_keys() {
    // The list is "sorted by client preference": the configuration's
    // order of its keys says it.
    let raw = bare_key("p384");
    let chain = certified_key("p256");
    for (keys, expected) in [
        ([chain.clone(), raw.clone()], [X509, RAW]),
        ([raw.clone(), chain.clone()], [RAW, X509]),
    ] {
        let client = keys
            .iter()
            .fold(client_builder("p256"), |b, k| {
                b.client_certificate(k.clone())
            })
            .build()
            .unwrap();
        assert_eq!(offered_client_types(client), Some(expected.to_vec()));
    }
}

#[test]
fn rfc7250_4_1_a_client_offers_the_certificate_types_it_is_configured_with() {
    // A list set in the configuration replaces the one the keys give; X.509
    // alone is what the extension's absence means, so it is not sent.
    let with = |keys: &[Arc<CertifiedKey>], types: Option<&[CertificateType]>| {
        let builder = keys.iter().fold(client_builder("p256"), |b, k| {
            b.client_certificate(k.clone())
        });
        match types {
            Some(types) => builder.client_certificate_types(types),
            None => builder,
        }
        .build()
    };
    let chain = certified_key("p256");
    let raw = bare_key("p384");
    for (keys, types, offered) in [
        (vec![chain.clone()], None, None),
        (
            vec![chain.clone()],
            Some(&[RAW, X509][..]),
            Some(vec![RAW, X509]),
        ),
        (vec![raw.clone()], None, Some(vec![RAW])),
        (vec![raw.clone()], Some(&[X509][..]), None),
        (vec![], Some(&[RAW][..]), Some(vec![RAW])),
        (vec![chain.clone(), raw.clone()], Some(&[][..]), None),
    ] {
        let client = with(&keys, types).unwrap();
        assert_eq!(offered_client_types(client), offered, "{types:?}");
    }
    // Each type once, and only the two RFC 7250 defines that ferrotls
    // sends.
    for types in [&[X509, X509][..], &[RAW, CertificateType::from(1)]] {
        assert_eq!(
            with(&[], Some(types)).err(),
            Some(Error::InvalidRequest(
                InvalidRequestReason::ClientCertificateTypes
            )),
            "{types:?}"
        );
    }
    // Offered raw keys with a chained key alone, the client sends that
    // key without its chain to a server that prefers them.
    for version in VERSIONS {
        let client = client_builder("p256")
            .versions(&[version])
            .client_certificate(chain.clone())
            .client_certificate_types(&[RAW, X509])
            .build()
            .unwrap();
        let server = p256_server(version, false)
            .client_auth(ClientAuth::Required(Arc::new(PinnedKeys::new([
                chain.spki()
            ]))))
            .build()
            .unwrap();
        let (_, s) = handshaken(client, server, server_name("p256"));
        assert_eq!(s.client_certificate_type(), Some(RAW), "{version:?}");
        assert_eq!(s.peer_certificates(), [chain.spki()], "{version:?}");
    }
}

#[test]
fn rfc7250_4_2_asked_for_a_raw_key_a_client_sends_the_key_it_holds_without_a_chain() {
    // The client holds a chain first and a bare key second; the server
    // takes raw keys only and pins the bare one. The client's chained key
    // could go alone too, but the bare key is there for this.
    for version in VERSIONS {
        let raw = bare_key("p384");
        let client = client_builder("p256")
            .versions(&[version])
            .client_certificate(certified_key("p256"))
            .client_certificate(raw.clone())
            .build()
            .unwrap();
        let verifier = Arc::new(PinnedKeys::new([raw.spki()]).raw_public_keys_only());
        let server = p256_server(version, false)
            .client_auth(ClientAuth::Required(verifier))
            .build()
            .unwrap();
        let (c, s) = handshaken(client, server, server_name("p256"));
        assert_eq!(s.client_certificate_type(), Some(RAW), "{version:?}");
        assert!(
            Arc::ptr_eq(c.sent_certificate().unwrap(), &raw),
            "{version:?}"
        );
    }
}
