//! The HelloRetryRequest rules of RFC 8446 §4.1.2 and §4.1.4, on both
//! sides: what the second ClientHello must keep, what a HelloRetryRequest
//! may ask for, and what the ServerHello after it must agree with. Each
//! test edits one flight of a pair that retries (`retrying_configs`: the
//! client's first share is P-384, the server takes X25519 only) and pins
//! the exact check and alert that refuse it.

mod common;

use common::*;
use ferrotls::internal::error::{
    IllegalParameterReason, MissingExtensionReason, UnexpectedMessageReason,
    UnsupportedExtensionReason,
};
use ferrotls::internal::msgs::enums::ExtensionType;
use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::hello::{ClientHello, ServerHello, HELLO_RETRY_REQUEST_RANDOM};
use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
use ferrotls::{
    AlertDescription, CipherSuite, ClientConfig, Error, NamedGroup, OsRng, ProtocolVersion,
    RotatingTicketer, ServerConfig, SystemClock, Ticketer,
};
use std::sync::Arc;

const CX: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_3,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 32,
};

fn alert(description: AlertDescription) -> Option<u8> {
    Some(description.into())
}

/// Re-encodes every plaintext handshake record of `bytes` (a hello each)
/// after `edit`; other records (the dummy ChangeCipherSpec) are kept.
fn edit_hello_records<T>(
    bytes: &mut Vec<u8>,
    unwrap: impl Fn(HandshakeMessage) -> T,
    wrap: impl Fn(T) -> HandshakeMessage,
    edit: impl FnOnce(&mut T),
) {
    let mut edit = Some(edit);
    let mut out = Vec::new();
    for record in records(bytes) {
        if record[0] != HANDSHAKE {
            out.extend_from_slice(&record);
            continue;
        }
        let mut hello = unwrap(HandshakeMessage::decode_message(&record[5..], &CX).unwrap());
        if let Some(edit) = edit.take() {
            edit(&mut hello);
        }
        out.extend_from_slice(&handshake_record(&wrap(hello).to_bytes().unwrap()));
    }
    *bytes = out;
}

fn client_hello(message: HandshakeMessage) -> ClientHello {
    match message {
        HandshakeMessage::ClientHello(hello) => hello,
        other => panic!("not a ClientHello: {other:?}"),
    }
}

fn server_hello(message: HandshakeMessage) -> ServerHello {
    match message {
        HandshakeMessage::ServerHello(hello) => hello,
        other => panic!("not a ServerHello: {other:?}"),
    }
}

/// The server's answer to the client's second ClientHello, edited.
fn second_client_hello_refused(edit: impl FnOnce(&mut ClientHello)) -> (Error, Option<u8>) {
    let (client, server) = retrying_configs();
    edited_second_client_hello_refused(client, server, edit)
}

/// The answer of a server of `server` to the second ClientHello of a
/// client of `client`, edited.
fn edited_second_client_hello_refused(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
    edit: impl FnOnce(&mut ClientHello),
) -> (Error, Option<u8>) {
    refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Server,
        2,
        |b| edit_hello_records(b, client_hello, HandshakeMessage::ClientHello, edit),
    )
}

/// The client's answer to the HelloRetryRequest, edited (`flight` 1), or
/// to the ServerHello after it (`flight` 2).
fn server_hello_refused(flight: usize, edit: impl FnOnce(&mut ServerHello)) -> (Error, Option<u8>) {
    let (client, server) = retrying_configs();
    refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Client,
        flight,
        |b| {
            let mut recs = records(b);
            let hello = server_hello(HandshakeMessage::decode_message(&recs[0][5..], &CX).unwrap());
            let mut hello = hello;
            edit(&mut hello);
            recs[0] = handshake_record(&HandshakeMessage::ServerHello(hello).to_bytes().unwrap());
            *b = recs.concat();
        },
    )
}

fn extensions(hello: &mut ClientHello) -> &mut Vec<Extension> {
    hello.extensions.as_mut().unwrap()
}

#[test]
fn an_unedited_retry_completes() {
    let (client, server) = retrying_configs();
    let (c, s) = handshaken(client, server, server_name("p256"));
    assert_eq!(c.negotiated_group(), Some(NamedGroup::X25519));
    assert_eq!(s.cipher_suite(), Some(CipherSuite::TLS_AES_128_GCM_SHA256));
}

// ---- the second ClientHello (server side, RFC 8446 §4.1.2) ----

#[test]
fn rfc8446_4_1_2_second_client_hello_with_another_session_id_is_illegal_parameter() {
    let (err, a) = second_client_hello_refused(|h| h.session_id[0] ^= 1);
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::SessionIdChangedAfterRetry)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn rfc8446_4_1_4_second_client_hello_leading_to_another_suite_is_illegal_parameter() {
    let (err, a) = second_client_hello_refused(|h| {
        h.cipher_suites = [CipherSuite::TLS_CHACHA20_POLY1305_SHA256].into()
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::SuiteChangedAfterRetry)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn rfc8446_4_1_2_second_client_hello_without_the_share_asked_for_is_illegal_parameter() {
    let (err, a) = second_client_hello_refused(|h| {
        for extension in extensions(h).iter_mut() {
            if let Extension::KeyShareOffer(shares) = extension {
                *shares = Default::default();
            }
        }
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::RetryKeyShareMissing)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn rfc8446_4_2_2_second_client_hello_without_the_cookie_is_missing_extension() {
    let (err, a) = second_client_hello_refused(|h| {
        extensions(h).retain(|e| !matches!(e, Extension::Cookie(_)))
    });
    assert_eq!(
        err,
        Error::MissingExtension(MissingExtensionReason::CookieNotEchoed)
    );
    assert_eq!(a, alert(AlertDescription::MissingExtension));
}

#[test]
fn rfc8446_4_2_2_second_client_hello_with_another_cookie_is_illegal_parameter() {
    let (err, a) = second_client_hello_refused(|h| {
        for extension in extensions(h).iter_mut() {
            if let Extension::Cookie(cookie) = extension {
                cookie[0] ^= 1;
            }
        }
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::CookieMismatch)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn rfc8446_4_2_10_second_client_hello_with_early_data_is_illegal_parameter() {
    let (err, a) = second_client_hello_refused(|h| extensions(h).push(Extension::EarlyData));
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::EarlyDataAfterRetry)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

/// The server's answer to the second ClientHello, edited, of a client
/// that holds a ticket of the server's: both ClientHellos offer it, and
/// it fits the retry's suite.
fn resuming_second_client_hello_refused(
    edit: impl FnOnce(&mut ClientHello),
) -> (Error, Option<u8>) {
    let (client, server) = retrying_configs();
    let (mut c, mut s) = handshaken(client.clone(), server.clone(), server_name("p256"));
    send_and_check(&mut s, &mut c, b"tickets");
    edited_second_client_hello_refused(client, server, edit)
}

#[test]
fn rfc8446_4_1_2_second_client_hello_without_the_resumable_psk_is_missing_extension() {
    let (err, a) = resuming_second_client_hello_refused(|h| {
        extensions(h).retain(|e| !matches!(e, Extension::PreSharedKeyOffer(_)))
    });
    assert_eq!(
        err,
        Error::MissingExtension(MissingExtensionReason::PskAfterRetry)
    );
    assert_eq!(a, alert(AlertDescription::MissingExtension));
}

#[test]
fn rfc8446_4_1_2_second_client_hello_dropping_the_resumable_psk_is_illegal_parameter() {
    let (err, a) = resuming_second_client_hello_refused(|h| {
        for extension in extensions(h).iter_mut() {
            if let Extension::PreSharedKeyOffer(offer) = extension {
                offer.identities[0].identity[0] ^= 1;
            }
        }
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::PskDroppedAfterRetry)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn rfc8446_4_1_2_second_client_hello_may_drop_a_psk_of_another_hash() {
    // The ticket is of a SHA-384 session, the retry's suite SHA-256: the
    // client drops the ticket, which the server does not hold against it.
    let (client, _) = retrying_configs();
    let ticketer: Arc<dyn Ticketer> =
        Arc::new(RotatingTicketer::new(Arc::new(OsRng::new()), Arc::new(SystemClock)).unwrap());
    let server = |suite| {
        server_builder("p256")
            .groups(&[NamedGroup::X25519])
            .cipher_suites(&[suite])
            .ticketer(ticketer.clone())
            .build()
            .unwrap()
    };
    let sha384 = server(CipherSuite::TLS_AES_256_GCM_SHA384);
    let (mut c, mut s) = handshaken(client.clone(), sha384, server_name("p256"));
    send_and_check(&mut s, &mut c, b"tickets");
    let sha256 = server(CipherSuite::TLS_AES_128_GCM_SHA256);
    let (c, s) = handshaken(client, sha256, server_name("p256"));
    assert!(s.resumption_requested());
    assert!(!c.is_resumed() && !s.is_resumed());
    assert_eq!(c.negotiated_group(), Some(NamedGroup::X25519));
}

#[test]
fn rfc8446_4_1_4_second_client_hello_without_tls13_is_illegal_parameter() {
    let (err, a) = second_client_hello_refused(|h| {
        for extension in extensions(h).iter_mut() {
            if let Extension::SupportedVersionsOffer(versions) = extension {
                *versions = versions
                    .iter()
                    .copied()
                    .filter(|v| *v != ProtocolVersion::TLSv1_3)
                    .collect();
            }
        }
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::RetryWithoutTls13)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn rfc8446_4_1_2_second_client_hello_with_reordered_or_dropped_extensions_is_illegal_parameter() {
    // But for key_share, early_data, cookie, pre_shared_key and padding,
    // the extensions keep their place: reordering the others is
    // illegal_parameter, as is dropping one.
    for alter in [
        (|exts: &mut Vec<Extension>| exts.reverse()) as fn(&mut Vec<Extension>),
        |exts| exts.retain(|e| !matches!(e, Extension::SignatureAlgorithms(_))),
    ] {
        let (err, a) = second_client_hello_refused(|h| alter(extensions(h)));
        assert_eq!(
            err,
            Error::IllegalParameter(IllegalParameterReason::HelloChangedAfterRetry)
        );
        assert_eq!(a, alert(AlertDescription::IllegalParameter));
    }
}

#[test]
fn rfc8446_4_1_2_second_client_hello_with_changed_contents_is_illegal_parameter() {
    // "The same ClientHello without modification": an extension other
    // than the five a retry may change keeps its contents too (tlsfuzzer's
    // "modified extension in 2nd CH": a record_size_limit changed), and
    // so do the random and the suite list.
    for alter in [
        (|h: &mut ClientHello| {
            for extension in extensions(h).iter_mut() {
                if let Extension::RecordSizeLimit(limit) = extension {
                    *limit -= 1;
                }
            }
        }) as fn(&mut ClientHello),
        |h| {
            for extension in extensions(h).iter_mut() {
                if let Extension::SignatureAlgorithms(schemes) = extension {
                    schemes.reverse();
                }
            }
        },
        |h| h.random[0] ^= 1,
        |h| h.cipher_suites.reverse(),
    ] {
        let (err, a) = second_client_hello_refused(alter);
        assert_eq!(
            err,
            Error::IllegalParameter(IllegalParameterReason::HelloChangedAfterRetry)
        );
        assert_eq!(a, alert(AlertDescription::IllegalParameter));
    }
}

// ---- the HelloRetryRequest and the ServerHello after it (client side) ----

#[test]
fn rfc8446_4_1_4_retry_for_a_group_not_offered_is_illegal_parameter() {
    let (err, a) = server_hello_refused(1, |hrr| {
        for extension in hrr.extensions.as_mut().unwrap().iter_mut() {
            if let Extension::KeyShareRetry(group) = extension {
                *group = NamedGroup::secp256r1;
            }
        }
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::RetryGroupUnusable)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn rfc8446_4_1_4_retry_that_changes_nothing_is_illegal_parameter() {
    // Asking for the group the client already sent a share for, and
    // asking for nothing at all, would not change the ClientHello.
    for (extensions, reason) in [
        (
            vec![
                Extension::SupportedVersionsSelected(ProtocolVersion::TLSv1_3),
                Extension::KeyShareRetry(NamedGroup::secp384r1),
            ],
            IllegalParameterReason::RetryGroupUnusable,
        ),
        (
            vec![Extension::SupportedVersionsSelected(
                ProtocolVersion::TLSv1_3,
            )],
            IllegalParameterReason::RetryChangesNothing,
        ),
    ] {
        let (err, a) = server_hello_refused(1, |hrr| {
            assert_eq!(hrr.random, HELLO_RETRY_REQUEST_RANDOM);
            hrr.extensions = Some(extensions);
        });
        assert_eq!(err, Error::IllegalParameter(reason));
        assert_eq!(a, alert(AlertDescription::IllegalParameter));
    }
}

#[test]
fn rfc8446_4_1_4_retry_with_an_extension_not_offered_is_unsupported_extension() {
    // "A HelloRetryRequest MUST NOT contain any extensions that were not
    // first offered by the client in its ClientHello, with the exception
    // of optionally the "cookie" extension."
    let (err, a) = server_hello_refused(1, |hrr| {
        hrr.extensions.as_mut().unwrap().push(Extension::Unknown {
            typ: ExtensionType::Unknown(0x7777),
            data: vec![],
        })
    });
    assert_eq!(
        err,
        Error::UnsupportedExtension(UnsupportedExtensionReason::NotOffered)
    );
    assert_eq!(a, alert(AlertDescription::UnsupportedExtension));
}

#[test]
fn rfc8446_4_1_4_a_second_retry_is_unexpected_message() {
    let (client, server) = retrying_configs();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let mut hrr = Vec::new();
    transfer_altered(&mut s, &mut c, |b| hrr = records(b)[0].clone())
        .1
        .unwrap();
    c.read_tls(&mut hrr.as_slice()).unwrap();
    assert_eq!(
        c.process_new_packets(),
        Err(Error::UnexpectedMessage(
            UnexpectedMessageReason::SecondRetry
        ))
    );
}

#[test]
fn rfc8446_4_1_4_server_hello_with_another_suite_than_the_retry_is_illegal_parameter() {
    let (err, a) = server_hello_refused(2, |hello| {
        hello.cipher_suite = CipherSuite::TLS_CHACHA20_POLY1305_SHA256;
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::RetrySuiteChanged)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn rfc8446_4_2_8_server_hello_share_for_another_group_than_the_retry_asked_is_illegal_parameter() {
    // The retry asked for X25519; P-384, the group of the first
    // ClientHello's share, is no longer offered.
    let (err, a) = server_hello_refused(2, |hello| {
        for extension in hello.extensions.as_mut().unwrap().iter_mut() {
            if let Extension::KeyShareSelected(share) = extension {
                assert_eq!(share.group, NamedGroup::X25519);
                share.group = NamedGroup::secp384r1;
            }
        }
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::KeyShareGroupNotOffered)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn rfc8446_4_1_4_tls12_server_hello_after_a_retry_is_illegal_parameter() {
    let (err, a) = server_hello_refused(2, |hello| {
        hello.cipher_suite = CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        hello
            .extensions
            .as_mut()
            .unwrap()
            .retain(|e| !matches!(e, Extension::SupportedVersionsSelected(_)));
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::Tls12AfterRetry)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}
