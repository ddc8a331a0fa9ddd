//! Malformed and out-of-order TLS 1.3 messages, each answered with its
//! RFC 8446 §6.2 alert. Plaintext hellos are re-encoded after editing;
//! encrypted flights are opened and resealed with the traffic secrets the
//! key log exposes (see `common::edit_encrypted_flight`).

mod common;

use ferrotls::internal::error::{
    DecodeReason, DecryptErrorReason, HandshakeFailureReason, IllegalParameterReason,
    MissingExtensionReason, ProtocolVersionReason, UnexpectedMessageReason,
    UnsupportedExtensionReason,
};
use std::sync::Arc;

use common::*;
use ferrotls::internal::msgs::certificate::CertificateTls13;
use ferrotls::internal::msgs::enums::{Compression, ExtensionType};
use ferrotls::internal::msgs::extensions::{Extension, KeyShareEntry};
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::hello::{ClientHello, ServerHello, DOWNGRADE_SENTINEL_TLS12};
use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
use ferrotls::internal::msgs::psk::{PskIdentity, PskOffer};
use ferrotls::{
    AlertDescription, CipherSuite, ClientAuth, ClientConfigBuilder, ClientConnection, Error,
    NamedGroup, ProtocolVersion, ServerConnection, WebPkiClientVerifier,
};

const CX: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_3,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 32,
};

// ---- the server reading an altered ClientHello ----

/// Sends our client's ClientHello, changed by `edit`, to a fresh server;
/// returns the server's error and the alert it wrote.
fn server_refuses(edit: impl FnOnce(&mut ClientHello)) -> (Error, Option<u8>) {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Server,
        1,
        |bytes| {
            let HandshakeMessage::ClientHello(mut hello) =
                HandshakeMessage::decode_message(&records(bytes)[0][5..], &CX).unwrap()
            else {
                panic!()
            };
            edit(&mut hello);
            *bytes = handshake_record(&HandshakeMessage::ClientHello(hello).to_bytes().unwrap());
        },
    )
}

fn deliver_to_server(bytes: &[u8]) -> (Error, Option<u8>) {
    let mut s = ServerConnection::new(server_builder("p256").build().unwrap());
    s.read_tls(&mut &bytes[..]).unwrap();
    let err = s.process_new_packets().unwrap_err();
    let mut out = Vec::new();
    s.write_tls(&mut out).unwrap();
    assert_eq!(
        s.process_new_packets(),
        Err(err.clone()),
        "errors are sticky"
    );
    (err, plaintext_alert(&out))
}

fn remove_extension(hello: &mut ClientHello, typ: ExtensionType) {
    hello
        .extensions
        .as_mut()
        .unwrap()
        .retain(|e| e.ext_type() != typ);
}

#[test]
fn truncated_client_hello_is_decode_error() {
    let client = client_builder("p256").build().unwrap();
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    let mut bytes = Vec::new();
    c.write_tls(&mut bytes).unwrap();
    let message = &records(&bytes)[0][5..];
    // Keep the header's length but cut the body short by one byte, then
    // fix the header so the record holds exactly the message.
    let mut short = message[..message.len() - 1].to_vec();
    let len = (short.len() - 4) as u32;
    short[1..4].copy_from_slice(&len.to_be_bytes()[1..]);
    let (err, alert) = deliver_to_server(&handshake_record(&short));
    assert!(
        matches!(err, Error::Decode(DecodeReason::Truncated)),
        "{err:?}"
    );
    assert_eq!(alert, Some(AlertDescription::DecodeError.into()));
}

#[test]
fn compression_other_than_null_is_illegal() {
    let (err, alert) = server_refuses(|h| {
        h.compression_methods = [Compression::Null, Compression::Deflate].into()
    });
    assert!(matches!(
        err,
        Error::IllegalParameter(IllegalParameterReason::Tls13Compression)
    ));
    assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
}

#[test]
fn missing_key_share_groups_or_signature_algorithms() {
    for (typ, reason) in [
        (ExtensionType::KeyShare, MissingExtensionReason::KeyShare),
        (
            ExtensionType::SupportedGroups,
            MissingExtensionReason::SupportedGroups,
        ),
        (
            ExtensionType::SignatureAlgorithms,
            MissingExtensionReason::SignatureAlgorithms,
        ),
    ] {
        let (err, alert) = server_refuses(|h| remove_extension(h, typ));
        assert_eq!(err, Error::MissingExtension(reason), "{typ:?}");
        assert_eq!(alert, Some(AlertDescription::MissingExtension.into()));
    }
}

#[test]
fn key_share_outside_supported_groups_is_illegal() {
    let (err, alert) = server_refuses(|h| {
        for e in h.extensions.as_mut().unwrap() {
            if let Extension::SupportedGroups(groups) = e {
                *groups = [NamedGroup::secp256r1].into();
            }
        }
    });
    assert!(matches!(
        err,
        Error::IllegalParameter(IllegalParameterReason::KeyShareGroupNotSupported)
    ));
    assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
}

#[test]
fn no_common_suite_is_handshake_failure() {
    let (err, alert) =
        server_refuses(|h| h.cipher_suites = [CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA].into());
    assert!(matches!(
        err,
        Error::HandshakeFailure(HandshakeFailureReason::NoCommonSuite)
    ));
    assert_eq!(alert, Some(AlertDescription::HandshakeFailure.into()));
}

#[test]
fn no_common_version_is_protocol_version() {
    let (err, alert) = server_refuses(|h| {
        for e in h.extensions.as_mut().unwrap() {
            if let Extension::SupportedVersionsOffer(v) = e {
                *v = [ProtocolVersion::TLSv1_1].into();
            }
        }
    });
    assert!(matches!(
        err,
        Error::ProtocolVersion(ProtocolVersionReason::NoCommonVersion)
    ));
    assert_eq!(alert, Some(AlertDescription::ProtocolVersion.into()));
}

#[test]
fn psk_without_key_exchange_modes_is_missing_extension() {
    let (err, _) = server_refuses(|h| {
        let extensions = h.extensions.as_mut().unwrap();
        extensions.retain(|e| !matches!(e, Extension::PskKeyExchangeModes(_)));
        extensions.push(Extension::PreSharedKeyOffer(PskOffer {
            identities: vec![PskIdentity {
                identity: vec![1; 16],
                obfuscated_ticket_age: 0,
            }],
            binders: vec![[0; 32].into()],
        }));
    });
    assert!(matches!(
        err,
        Error::MissingExtension(MissingExtensionReason::PskKeyExchangeModes)
    ));
}

#[test]
fn first_message_not_client_hello_is_unexpected() {
    let finished = HandshakeMessage::Finished([0; 32].into())
        .to_bytes()
        .unwrap();
    let (err, alert) = deliver_to_server(&handshake_record(&finished));
    assert!(matches!(
        err,
        Error::UnexpectedMessage(UnexpectedMessageReason::ExpectedClientHello)
    ));
    assert_eq!(alert, Some(AlertDescription::UnexpectedMessage.into()));
}

#[test]
fn application_data_before_the_handshake_is_unexpected() {
    let (err, _) = deliver_to_server(&[23, 3, 3, 0, 2, 1, 2]);
    assert!(matches!(
        err,
        Error::UnexpectedMessage(UnexpectedMessageReason::DataBeforeHandshake)
    ));
}

#[test]
fn heartbeat_records_are_unexpected() {
    let (err, _) = deliver_to_server(&[24, 3, 3, 0, 1, 1]);
    assert!(matches!(
        err,
        Error::UnexpectedMessage(UnexpectedMessageReason::UnknownContentType)
    ));
}

// ---- the client reading an altered ServerHello ----

/// Runs a client against a server, lets `edit` change the ServerHello
/// (the first record of the server's flight); returns the client's error
/// and the plaintext alert it wrote.
fn client_refuses(
    client: Arc<ferrotls::ClientConfig>,
    edit: impl FnOnce(&mut ServerHello),
) -> (Error, Option<u8>) {
    client_refuses_server_hello(client, server_builder("p256").build().unwrap(), edit)
}

fn default_client() -> Arc<ferrotls::ClientConfig> {
    client_builder("p256").build().unwrap()
}

#[test]
fn server_hello_session_id_echo_must_match() {
    let (err, alert) = client_refuses(default_client(), |h| h.session_id[0] ^= 1);
    assert!(matches!(
        err,
        Error::IllegalParameter(IllegalParameterReason::SessionIdEchoMismatch)
    ));
    assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
}

#[test]
fn server_hello_suite_must_have_been_offered() {
    let client = client_builder("p256")
        .cipher_suites(&[CipherSuite::TLS_AES_128_GCM_SHA256])
        .build()
        .unwrap();
    let (err, _) = client_refuses(client, |h| {
        h.cipher_suite = CipherSuite::TLS_AES_256_GCM_SHA384
    });
    assert!(matches!(
        err,
        Error::IllegalParameter(IllegalParameterReason::SuiteNotOffered)
    ));
}

#[test]
fn server_hello_compression_must_be_null() {
    let (err, _) = client_refuses(default_client(), |h| {
        h.compression_method = Compression::Deflate
    });
    assert!(matches!(
        err,
        Error::IllegalParameter(IllegalParameterReason::CompressionNotNull)
    ));
}

#[test]
fn server_hello_without_key_share_is_missing_extension() {
    let (err, alert) = client_refuses(default_client(), |h| {
        h.extensions
            .as_mut()
            .unwrap()
            .retain(|e| e.ext_type() != ExtensionType::KeyShare)
    });
    assert!(matches!(
        err,
        Error::MissingExtension(MissingExtensionReason::ServerHelloKeyShare)
    ));
    assert_eq!(alert, Some(AlertDescription::MissingExtension.into()));
}

#[test]
fn server_hello_key_share_for_another_group_is_illegal() {
    let (err, _) = client_refuses(default_client(), |h| {
        for e in h.extensions.as_mut().unwrap() {
            if let Extension::KeyShareSelected(share) = e {
                *share = KeyShareEntry {
                    group: NamedGroup::secp256r1,
                    key_exchange: vec![4; 65],
                };
            }
        }
    });
    assert!(matches!(
        err,
        Error::IllegalParameter(IllegalParameterReason::KeyShareGroupNotOffered)
    ));
}

/// The ServerHello's key share replaced by `key_exchange`, answering a
/// client that offers X25519 alone.
fn x25519_share_refused(key_exchange: Vec<u8>) -> (Error, Option<u8>) {
    let client = client_builder("p256")
        .groups(&[NamedGroup::X25519])
        .build()
        .unwrap();
    client_refuses(client, move |h| {
        for e in h.extensions.as_mut().unwrap() {
            if let Extension::KeyShareSelected(share) = e {
                share.key_exchange = key_exchange.clone();
            }
        }
    })
}

#[test]
fn rfc8446_4_2_8_server_share_of_the_wrong_length_is_illegal_parameter() {
    for len in [1, 31, 33] {
        let (err, alert) = x25519_share_refused(vec![9; len]);
        assert_eq!(
            err,
            Error::IllegalParameter(IllegalParameterReason::KeyShareLength)
        );
        assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
    }
}

#[test]
fn rfc8446_7_4_2_server_share_giving_an_all_zero_x25519_secret_is_illegal_parameter() {
    // The all-zero point is of small order: the shared secret is all
    // zeros, which RFC 7748 §6.1 and RFC 8446 §7.4.2 say to refuse.
    let (err, alert) = x25519_share_refused(vec![0; 32]);
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::KeyShareInvalid)
    );
    assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
}

#[test]
fn rfc8446_4_2_server_selecting_a_psk_when_none_was_offered_is_unsupported_extension() {
    // No pre_shared_key in our ClientHello: the answer is to an extension
    // we never sent (RFC 8446 §4.2). An index outside what we did offer
    // is illegal_parameter (tls13_resumption).
    let (err, alert) = client_refuses(default_client(), |h| {
        h.extensions
            .as_mut()
            .unwrap()
            .push(Extension::PreSharedKeySelected(0))
    });
    assert_eq!(
        err,
        Error::UnsupportedExtension(UnsupportedExtensionReason::NotOffered)
    );
    assert_eq!(alert, Some(AlertDescription::UnsupportedExtension.into()));
}

#[test]
fn server_hello_extensions_not_allowed_or_not_offered() {
    let (err, _) = client_refuses(default_client(), |h| {
        h.extensions
            .as_mut()
            .unwrap()
            .push(Extension::Alpn(vec![b"h2".to_vec()]))
    });
    assert!(matches!(
        err,
        Error::IllegalParameter(IllegalParameterReason::ExtensionNotAllowed)
    ));
    // Which a TLS 1.2 client ignores there (tests/tls12_errors.rs).
    let (err, _) = client_refuses(default_client(), |h| {
        h.extensions
            .as_mut()
            .unwrap()
            .push(Extension::SupportedGroups([NamedGroup::X25519].into()))
    });
    assert!(matches!(
        err,
        Error::IllegalParameter(IllegalParameterReason::ExtensionNotAllowed)
    ));
    let (err, alert) = client_refuses(default_client(), |h| {
        h.extensions.as_mut().unwrap().push(Extension::Unknown {
            typ: ExtensionType::Unknown(0x7777),
            data: vec![],
        })
    });
    assert!(matches!(
        err,
        Error::UnsupportedExtension(UnsupportedExtensionReason::NotOffered)
    ));
    assert_eq!(alert, Some(AlertDescription::UnsupportedExtension.into()));
}

#[test]
fn server_hello_selecting_an_unoffered_version_is_illegal() {
    let (err, _) = client_refuses(default_client(), |h| {
        for e in h.extensions.as_mut().unwrap() {
            if let Extension::SupportedVersionsSelected(v) = e {
                *v = ProtocolVersion::TLSv1_2;
            }
        }
    });
    assert!(matches!(
        err,
        Error::IllegalParameter(IllegalParameterReason::VersionNotOffered)
    ));
}

/// A TLS 1.2 ServerHello: legacy_version 1.2 and no supported_versions.
fn as_tls12(hello: &mut ServerHello) {
    hello
        .extensions
        .as_mut()
        .unwrap()
        .retain(|e| e.ext_type() != ExtensionType::SupportedVersions);
}

#[test]
fn downgrade_sentinel_is_refused_when_tls13_was_offered() {
    let client = client_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2])
        .build()
        .unwrap();
    let (err, alert) = client_refuses(client.clone(), |h| {
        as_tls12(h);
        h.random[24..].copy_from_slice(&DOWNGRADE_SENTINEL_TLS12);
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::DowngradeSentinel)
    );
    assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
    // Without the sentinel the client goes on to TLS 1.2, which fails
    // later on this TLS 1.3 ServerHello, for another reason.
    let sentinel = Error::IllegalParameter(IllegalParameterReason::DowngradeSentinel);
    let (err, _) = client_refuses(client, as_tls12);
    assert_ne!(err, sentinel);
}

#[test]
fn tls12_server_hello_to_a_tls13_only_client_is_protocol_version() {
    let client = client_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_3])
        .build()
        .unwrap();
    let (err, alert) = client_refuses(client, as_tls12);
    assert!(matches!(
        err,
        Error::ProtocolVersion(ProtocolVersionReason::VersionNotEnabled)
    ));
    assert_eq!(alert, Some(AlertDescription::ProtocolVersion.into()));
}

// ---- the client reading an altered encrypted server flight ----

/// Runs a handshake whose encrypted server flight `edit` rewrites; returns
/// the client's error and the alert the server then receives.
fn client_refuses_flight(
    client_auth: bool,
    edit: impl FnOnce(&mut Vec<Vec<u8>>),
) -> (Error, Error) {
    let secrets = Arc::new(CapturedSecrets::default());
    // Without certificate compression, so that the edits reach a plain
    // Certificate (tests/certificate_compression.rs edits compressed ones).
    let client = client_builder("p256")
        .cipher_suites(&[CipherSuite::TLS_AES_128_GCM_SHA256])
        .certificate_compression(&[])
        .build()
        .unwrap();
    let mut server = server_builder("p256").key_log(secrets.clone());
    if client_auth {
        server = server.client_auth(ClientAuth::Optional(Arc::new(WebPkiClientVerifier::new(
            roots("p256"),
        ))));
    }
    client_refuses_encrypted_flight(
        client,
        server.build().unwrap(),
        server_name("p256"),
        &secrets,
        edit,
    )
}

const ENCRYPTED_EXTENSIONS: u8 = 8;
const CERTIFICATE: u8 = 11;
const CERTIFICATE_REQUEST: u8 = 13;
const CERTIFICATE_VERIFY: u8 = 15;
const FINISHED: u8 = 20;

fn find(messages: &mut [Vec<u8>], typ: u8) -> &mut Vec<u8> {
    messages.iter_mut().find(|m| m[0] == typ).unwrap()
}

#[test]
fn unaltered_flight_passes_through_the_editor() {
    let secrets = Arc::new(CapturedSecrets::default());
    let client = client_builder("p256")
        .cipher_suites(&[CipherSuite::TLS_AES_128_GCM_SHA256])
        .build()
        .unwrap();
    let server = server_builder("p256")
        .key_log(secrets.clone())
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let secret = secrets.get("SERVER_HANDSHAKE_TRAFFIC_SECRET");
    transfer_altered(&mut s, &mut c, |f| {
        edit_encrypted_flight(f, &secret, |_| {})
    })
    .1
    .unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    assert!(!c.is_handshaking() && !s.is_handshaking());
}

#[test]
fn missing_certificate_verify_is_unexpected() {
    let (err, received) = client_refuses_flight(false, |m| {
        m.retain(|m| message_type(m) != CERTIFICATE_VERIFY)
    });
    assert!(matches!(
        err,
        Error::UnexpectedMessage(UnexpectedMessageReason::ExpectedCertificateVerify)
    ));
    assert_eq!(
        received,
        Error::AlertReceived(AlertDescription::UnexpectedMessage)
    );
}

#[test]
fn certificate_before_encrypted_extensions_is_unexpected() {
    let (err, _) = client_refuses_flight(false, |m| m.swap(0, 1));
    assert!(matches!(
        err,
        Error::UnexpectedMessage(UnexpectedMessageReason::ExpectedEncryptedExtensions)
    ));
}

#[test]
fn altered_finished_is_decrypt_error() {
    let (err, received) = client_refuses_flight(false, |m| {
        let finished = find(m, FINISHED);
        let last = finished.len() - 1;
        finished[last] ^= 1;
    });
    assert!(matches!(
        err,
        Error::DecryptError(DecryptErrorReason::FinishedMismatch)
    ));
    assert_eq!(
        received,
        Error::AlertReceived(AlertDescription::DecryptError)
    );
}

#[test]
fn short_finished_is_decode_error() {
    let (err, received) = client_refuses_flight(false, |m| {
        let finished = find(m, FINISHED);
        finished.pop();
        finished[3] -= 1;
    });
    assert!(matches!(err, Error::Decode(DecodeReason::Truncated)));
    assert_eq!(
        received,
        Error::AlertReceived(AlertDescription::DecodeError)
    );
}

#[test]
fn rfc8446_6_2_key_update_over_its_bound_where_encrypted_extensions_is_due_is_unexpected() {
    // The type is judged before the length: a two-byte KeyUpdate is too
    // long for its syntax, but it is the wrong message first.
    let (err, received) = client_refuses_flight(false, |m| m.insert(0, vec![24, 0, 0, 2, 1, 1]));
    assert!(
        matches!(
            err,
            Error::UnexpectedMessage(UnexpectedMessageReason::ExpectedEncryptedExtensions)
        ),
        "{err:?}"
    );
    assert_eq!(
        received,
        Error::AlertReceived(AlertDescription::UnexpectedMessage)
    );
}

#[test]
fn altered_certificate_verify_signature_is_decrypt_error() {
    let (err, _) = client_refuses_flight(false, |m| {
        let cv = find(m, CERTIFICATE_VERIFY);
        let last = cv.len() - 1;
        cv[last] ^= 1;
    });
    assert!(
        matches!(err, Error::DecryptError(DecryptErrorReason::BadSignature)),
        "{err:?}"
    );
}

#[test]
fn certificate_verify_with_pkcs1_is_illegal() {
    let (err, received) = client_refuses_flight(false, |m| {
        let cv = find(m, CERTIFICATE_VERIFY);
        cv[4..6].copy_from_slice(&[0x04, 0x01]);
    });
    assert!(
        matches!(
            err,
            Error::IllegalParameter(IllegalParameterReason::CertificateVerifySchemeNotOffered)
        ),
        "{err:?}"
    );
    assert_eq!(
        received,
        Error::AlertReceived(AlertDescription::IllegalParameter)
    );
}

#[test]
fn encrypted_extensions_with_unoffered_alpn_is_unsupported_extension() {
    let (err, received) = client_refuses_flight(false, |m| {
        *find(m, ENCRYPTED_EXTENSIONS) =
            HandshakeMessage::EncryptedExtensions(vec![Extension::Alpn(vec![b"h2".to_vec()])])
                .to_bytes()
                .unwrap();
    });
    assert!(matches!(
        err,
        Error::UnsupportedExtension(UnsupportedExtensionReason::NotOffered)
    ));
    assert_eq!(
        received,
        Error::AlertReceived(AlertDescription::UnsupportedExtension)
    );
}

#[test]
fn empty_server_certificate_is_decode_error() {
    let (err, _) = client_refuses_flight(false, |m| {
        *find(m, CERTIFICATE) = HandshakeMessage::CertificateTls13(CertificateTls13 {
            context: vec![],
            entries: vec![],
        })
        .to_bytes()
        .unwrap();
    });
    assert!(matches!(
        err,
        Error::Decode(DecodeReason::NoServerCertificate)
    ));
}

#[test]
fn server_certificate_with_a_context_is_illegal() {
    let (err, _) = client_refuses_flight(false, |m| {
        let cert = find(m, CERTIFICATE);
        let HandshakeMessage::CertificateTls13(mut c) =
            HandshakeMessage::decode_message(cert, &CX).unwrap()
        else {
            panic!()
        };
        c.context = vec![1];
        *cert = HandshakeMessage::CertificateTls13(c).to_bytes().unwrap();
    });
    assert!(matches!(
        err,
        Error::IllegalParameter(IllegalParameterReason::ServerCertificateContext)
    ));
}

#[test]
fn certificate_request_without_signature_algorithms_is_missing_extension() {
    let (err, _) = client_refuses_flight(true, |m| {
        *find(m, CERTIFICATE_REQUEST) = HandshakeMessage::CertificateRequestTls13(
            ferrotls::internal::msgs::certificate::CertificateRequestTls13 {
                context: vec![],
                extensions: vec![],
            },
        )
        .to_bytes()
        .unwrap();
    });
    assert!(matches!(
        err,
        Error::MissingExtension(MissingExtensionReason::CertificateRequestSignatureAlgorithms)
    ));
}

#[test]
fn rfc8446_4_3_2_handshake_certificate_request_with_a_context_is_illegal_parameter() {
    // "This field SHALL be zero length unless used for the post-handshake
    // authentication exchanges".
    let (err, received) = client_refuses_flight(true, |m| {
        let request = find(m, CERTIFICATE_REQUEST);
        let HandshakeMessage::CertificateRequestTls13(mut r) =
            HandshakeMessage::decode_message(request, &CX).unwrap()
        else {
            panic!("not a CertificateRequest")
        };
        assert!(r.context.is_empty());
        r.context = vec![1];
        *request = HandshakeMessage::CertificateRequestTls13(r)
            .to_bytes()
            .unwrap();
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::HandshakeRequestContext)
    );
    assert_eq!(
        received,
        Error::AlertReceived(AlertDescription::IllegalParameter)
    );
}

#[test]
fn handshake_data_after_finished_in_the_same_record_is_unexpected() {
    // Anything after the server Finished would span the key change.
    let (err, _) = client_refuses_flight(false, |m| {
        let finished = find(m, FINISHED).clone();
        m.push(finished);
    });
    assert!(
        matches!(
            err,
            Error::UnexpectedMessage(UnexpectedMessageReason::HandshakeAcrossKeyChange)
        ),
        "{err:?}"
    );
}

#[test]
fn a_flipped_bit_in_an_encrypted_record_is_bad_record_mac() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let err = transfer_altered(&mut s, &mut c, |b| {
        let last = b.len() - 1;
        b[last] ^= 0x80;
    })
    .1
    .unwrap_err();
    assert_eq!(err, Error::BadRecordMac);
    assert_eq!(
        transfer(&mut c, &mut s).1,
        Err(Error::AlertReceived(AlertDescription::BadRecordMac))
    );
}

// ---- the server reading an altered client flight ----

/// A server (asking for a client certificate when `client_auth`) and a
/// client (sending its P-256 chain then) handshake; the client's
/// encrypted second flight is edited on the way. Returns the server's
/// error and what the client then reads (the server's alert).
fn server_refuses_client_flight(
    client_auth: bool,
    edit: impl FnOnce(&mut Vec<Vec<u8>>),
) -> (Error, Result<(), Error>) {
    let secrets = Arc::new(CapturedSecrets::default());
    let mut client = logged_aes128_client("p256", &secrets);
    // Without certificate compression: the edits reach a plain
    // Certificate.
    let mut server = server_builder("p256").certificate_compression(&[]);
    if client_auth {
        client = client.client_certificate(certified_key("p256"));
        server = server.client_auth(ClientAuth::Required(Arc::new(WebPkiClientVerifier::new(
            roots("p256"),
        ))));
    }
    let (mut c, mut s) = pair(
        client.build().unwrap(),
        server.build().unwrap(),
        server_name("p256"),
    );
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    let secret = secrets.get("CLIENT_HANDSHAKE_TRAFFIC_SECRET");
    let err = transfer_altered(&mut c, &mut s, |flight| {
        edit_encrypted_flight(flight, &secret, edit)
    })
    .1
    .unwrap_err();
    (err, transfer(&mut s, &mut c).1)
}

#[test]
fn rfc8446_4_4_4_client_finished_over_48_bytes_is_decode_error() {
    // Longer than any verify_data (SHA-384): refused from the header.
    let (err, received) = server_refuses_client_flight(false, |m| {
        *find(m, FINISHED) = [&[FINISHED, 0, 0, 49][..], &[0; 49]].concat();
    });
    assert!(
        matches!(err, Error::Decode(DecodeReason::MessageTooLong)),
        "{err:?}"
    );
    assert_eq!(
        received,
        Err(Error::AlertReceived(AlertDescription::DecodeError))
    );
}

#[test]
fn rfc8446_6_2_malformed_certificate_where_the_client_finished_is_due_is_unexpected() {
    // A Certificate whose list length runs past its end: the wrong
    // message before a malformed one.
    let (err, received) = server_refuses_client_flight(false, |m| {
        m.insert(0, vec![CERTIFICATE, 0, 0, 4, 0, 0, 0, 9]);
    });
    assert!(
        matches!(
            err,
            Error::UnexpectedMessage(UnexpectedMessageReason::ExpectedFinished)
        ),
        "{err:?}"
    );
    assert_eq!(
        received,
        Err(Error::AlertReceived(AlertDescription::UnexpectedMessage))
    );
}

#[test]
fn altered_client_finished_is_decrypt_error() {
    let (err, received) = server_refuses_client_flight(false, |m| {
        let finished = find(m, FINISHED);
        finished[10] ^= 1;
    });
    assert_eq!(
        err,
        Error::DecryptError(DecryptErrorReason::FinishedMismatch)
    );
    assert_eq!(
        received,
        Err(Error::AlertReceived(AlertDescription::DecryptError))
    );
}

#[test]
fn altered_client_certificate_verify_is_decrypt_error() {
    let (err, received) = server_refuses_client_flight(true, |m| {
        let cv = find(m, CERTIFICATE_VERIFY);
        let last = cv.len() - 1;
        cv[last] ^= 1;
    });
    assert_eq!(err, Error::DecryptError(DecryptErrorReason::BadSignature));
    assert_eq!(
        received,
        Err(Error::AlertReceived(AlertDescription::DecryptError))
    );
}

/// The client's Certificate message, edited by `edit`.
fn edit_client_certificate(m: &mut [Vec<u8>], edit: impl FnOnce(&mut CertificateTls13)) {
    let cert = find(m, CERTIFICATE);
    let HandshakeMessage::CertificateTls13(mut certificate) =
        HandshakeMessage::decode_message(cert, &CX).unwrap()
    else {
        panic!("not a Certificate")
    };
    edit(&mut certificate);
    *cert = HandshakeMessage::CertificateTls13(certificate)
        .to_bytes()
        .unwrap();
}

#[test]
fn rfc8446_4_4_2_client_certificate_with_another_context_is_illegal_parameter() {
    let (err, received) = server_refuses_client_flight(true, |m| {
        edit_client_certificate(m, |c| c.context = vec![7])
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::CertificateContextMismatch)
    );
    assert_eq!(
        received,
        Err(Error::AlertReceived(AlertDescription::IllegalParameter))
    );
}

#[test]
fn rfc8446_4_4_2_client_certificate_entry_extension_not_requested_is_unsupported_extension() {
    // The server's CertificateRequest asked for no status or SCT.
    let (err, received) = server_refuses_client_flight(true, |m| {
        edit_client_certificate(m, |c| {
            c.entries[0]
                .extensions
                .push(Extension::OcspResponse(vec![1, 2, 3]))
        })
    });
    assert_eq!(
        err,
        Error::UnsupportedExtension(UnsupportedExtensionReason::CertificateExtensionNotRequested)
    );
    assert_eq!(
        received,
        Err(Error::AlertReceived(AlertDescription::UnsupportedExtension))
    );
}

// ---- post-handshake messages from the server ----

/// A client of `client` connected to a server that sends no tickets, so
/// its first application record number is still 0, and the server's
/// secrets.
fn connected_quiet(
    client: ClientConfigBuilder,
) -> (ClientConnection, ServerConnection, Arc<CapturedSecrets>) {
    let secrets = Arc::new(CapturedSecrets::default());
    let client = client
        .cipher_suites(&[CipherSuite::TLS_AES_128_GCM_SHA256])
        .build()
        .unwrap();
    let server = server_builder("p256")
        .tickets(0)
        .key_log(secrets.clone())
        .build()
        .unwrap();
    let (c, s) = handshaken(client, server, server_name("p256"));
    (c, s, secrets)
}

/// Seals `message` as the server's first application-key handshake
/// record and hands it to a default client.
fn server_post_handshake(message: &HandshakeMessage) -> Result<(), Error> {
    server_post_handshake_to(client_builder("p256"), message)
}

/// [`server_post_handshake`] to a client of `client`.
fn server_post_handshake_to(
    client: ClientConfigBuilder,
    message: &HandshakeMessage,
) -> Result<(), Error> {
    let (mut c, _s, secrets) = connected_quiet(client);
    let mut sealer = aes128_protection(&secrets.get("SERVER_TRAFFIC_SECRET_0"));
    let mut record = Vec::new();
    seal_handshake_record(&mut sealer, 0, &message.to_bytes().unwrap(), &mut record);
    c.read_tls(&mut record.as_slice()).unwrap();
    c.process_new_packets().map(|_| ())
}

fn ticket(lifetime: u32) -> HandshakeMessage {
    HandshakeMessage::NewSessionTicketTls13(
        ferrotls::internal::msgs::ticket::NewSessionTicketTls13 {
            lifetime,
            age_add: 1,
            nonce: [0].into(),
            ticket: vec![1; 16],
            extensions: vec![],
        },
    )
}

#[test]
fn ticket_lifetime_over_seven_days_is_illegal() {
    assert_eq!(server_post_handshake(&ticket(604_800)), Ok(()));
    assert!(matches!(
        server_post_handshake(&ticket(604_801)),
        Err(Error::IllegalParameter(
            IllegalParameterReason::TicketLifetime
        ))
    ));
}

#[test]
fn rfc9846_4_6_1_a_client_without_resumption_ignores_any_ticket() {
    // "Clients which receive a NewSessionTicket message but do not
    // support resumption MUST silently ignore this message."
    let no_resumption = || client_builder("p256").session_store(None);
    assert_eq!(
        server_post_handshake_to(no_resumption(), &ticket(604_801)),
        Ok(())
    );
}

#[test]
fn certificate_request_after_the_handshake_is_unexpected() {
    // Post-handshake authentication was not offered (RFC 8446 §4.6.2).
    let request = HandshakeMessage::CertificateRequestTls13(
        ferrotls::internal::msgs::certificate::CertificateRequestTls13 {
            context: vec![1],
            extensions: vec![],
        },
    );
    assert!(matches!(
        server_post_handshake(&request),
        Err(Error::UnexpectedMessage(
            UnexpectedMessageReason::CertificateRequestNotOffered
        ))
    ));
}

#[test]
fn every_traffic_secret_is_logged() {
    let secrets = Arc::new(CapturedSecrets::default());
    let client = client_builder("p256")
        .key_log(secrets.clone())
        .build()
        .unwrap();
    let server = server_builder("p256").build().unwrap();
    let (_c, _s) = handshaken(client, server, server_name("p256"));
    let labels: Vec<String> = secrets
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|(l, _)| l.clone())
        .collect();
    for label in [
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0",
        "SERVER_TRAFFIC_SECRET_0",
        "EXPORTER_SECRET",
    ] {
        assert!(labels.iter().any(|l| l == label), "{label} missing");
    }
}
