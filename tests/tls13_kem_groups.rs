//! The key-exchange groups built on ML-KEM in handshakes, the hybrids
//! (draft-ietf-tls-ecdhe-mlkem) and ML-KEM alone (draft-ietf-tls-mlkem):
//! negotiated in TLS 1.3 in every such group, offered beside a classical
//! share so a server without them needs no HelloRetryRequest, reached by a
//! HelloRetryRequest, never used in TLS 1.2, and malformed shares refused
//! with their alerts.

mod common;

use common::*;
use ferrotls::internal::error::IllegalParameterReason;
use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::hello::{ClientHello, HELLO_RETRY_REQUEST_RANDOM};
use ferrotls::internal::msgs::key_exchange::{KeyExchangeAlgorithm, ServerKxParams};
use ferrotls::{AlertDescription, Error, NamedGroup, ProtocolVersion};

const KEM_GROUPS: [NamedGroup; 6] = [
    NamedGroup::X25519MLKEM768,
    NamedGroup::SecP256r1MLKEM768,
    NamedGroup::SecP384r1MLKEM1024,
    NamedGroup::MLKEM512,
    NamedGroup::MLKEM768,
    NamedGroup::MLKEM1024,
];

const TLS13: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_3,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 32,
};

const TLS12: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_2,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 12,
};

/// A P-256 client and server with these groups (the client sends shares
/// for its first, and for its first classical one when that is hybrid).
fn configs(
    client: &[NamedGroup],
    server: &[NamedGroup],
) -> (
    std::sync::Arc<ferrotls::ClientConfig>,
    std::sync::Arc<ferrotls::ServerConfig>,
) {
    (
        client_builder("p256").groups(client).build().unwrap(),
        server_builder("p256").groups(server).build().unwrap(),
    )
}

/// The ClientHello of a client with these groups, as sent.
fn client_hello(groups: &[NamedGroup]) -> ClientHello {
    let client = client_builder("p256").groups(groups).build().unwrap();
    let mut c = ferrotls::ClientConnection::new(client, server_name("p256")).unwrap();
    let mut bytes = Vec::new();
    c.write_tls(&mut bytes).unwrap();
    match HandshakeMessage::decode_message(&records(&bytes)[0][5..], &TLS13).unwrap() {
        HandshakeMessage::ClientHello(hello) => hello,
        other => panic!("not a ClientHello: {other:?}"),
    }
}

fn share_groups(hello: &ClientHello) -> Vec<NamedGroup> {
    hello
        .extensions()
        .iter()
        .find_map(|e| match e {
            Extension::KeyShareOffer(shares) => Some(shares.iter().map(|s| s.group).collect()),
            _ => None,
        })
        .unwrap_or_default()
}

#[test]
fn every_group_built_on_ml_kem_completes_a_tls13_handshake() {
    for group in KEM_GROUPS {
        let (client, server) = configs(&[group], &[group]);
        let (mut c, mut s) = handshaken(client, server, server_name("p256"));
        assert_eq!(c.negotiated_group(), Some(group));
        assert_eq!(s.negotiated_group(), Some(group));
        assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_3));
        send_and_check(&mut c, &mut s, b"post-quantum");
        send_and_check(&mut s, &mut c, b"hybrid");
    }
}

#[test]
fn a_hybrid_first_group_is_offered_with_a_classical_share_beside_it() {
    let hello = client_hello(&[
        NamedGroup::X25519MLKEM768,
        NamedGroup::X25519,
        NamedGroup::secp256r1,
    ]);
    assert_eq!(
        share_groups(&hello),
        [NamedGroup::X25519MLKEM768, NamedGroup::X25519]
    );
    // ML-KEM alone first gets the classical share beside it too.
    let hello = client_hello(&[NamedGroup::MLKEM1024, NamedGroup::secp384r1]);
    assert_eq!(
        share_groups(&hello),
        [NamedGroup::MLKEM1024, NamedGroup::secp384r1]
    );
    // A classical first group is offered alone, as before.
    let hello = client_hello(&[NamedGroup::X25519, NamedGroup::X25519MLKEM768]);
    assert_eq!(share_groups(&hello), [NamedGroup::X25519]);
}

#[test]
fn a_server_without_the_hybrid_takes_the_classical_share_without_a_retry() {
    let (client, server) = configs(
        &[NamedGroup::X25519MLKEM768, NamedGroup::X25519],
        &[NamedGroup::X25519],
    );
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let mut flight = Vec::new();
    transfer_altered(&mut s, &mut c, |b| flight = b.clone())
        .1
        .unwrap();
    let HandshakeMessage::ServerHello(hello) =
        HandshakeMessage::decode_message(&records(&flight)[0][5..], &TLS13).unwrap()
    else {
        panic!("not a ServerHello")
    };
    assert_ne!(hello.random, HELLO_RETRY_REQUEST_RANDOM);
    handshake(&mut c, &mut s);
    assert_eq!(c.negotiated_group(), Some(NamedGroup::X25519));
}

#[test]
fn a_server_preferring_the_hybrid_takes_it_over_the_classical_share() {
    let (client, server) = configs(
        &[NamedGroup::X25519MLKEM768, NamedGroup::X25519],
        &[NamedGroup::X25519MLKEM768, NamedGroup::X25519],
    );
    let (c, s) = handshaken(client, server, server_name("p256"));
    assert_eq!(c.negotiated_group(), Some(NamedGroup::X25519MLKEM768));
    assert_eq!(s.negotiated_group(), Some(NamedGroup::X25519MLKEM768));
}

#[test]
fn a_hello_retry_request_can_ask_for_the_hybrid() {
    let (client, server) = configs(
        &[NamedGroup::X25519, NamedGroup::SecP256r1MLKEM768],
        &[NamedGroup::SecP256r1MLKEM768],
    );
    let (c, s) = handshaken(client, server, server_name("p256"));
    assert_eq!(c.negotiated_group(), Some(NamedGroup::SecP256r1MLKEM768));
    assert_eq!(s.negotiated_group(), Some(NamedGroup::SecP256r1MLKEM768));
}

/// The groups of the clients below: X25519MLKEM768 first, and P-256,
/// the curve of the server's certificate (RFC 8422 §5.3).
const KEM_FIRST: [NamedGroup; 4] = [
    NamedGroup::X25519MLKEM768,
    NamedGroup::MLKEM768,
    NamedGroup::X25519,
    NamedGroup::secp256r1,
];

/// A TLS 1.2-only client configured with X25519MLKEM768 and MLKEM768
/// first.
fn tls12_client_listing_ml_kem_groups() -> std::sync::Arc<ferrotls::ClientConfig> {
    client_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_2])
        .groups(&KEM_FIRST)
        .build()
        .unwrap()
}

#[test]
fn drafts_ecdhe_mlkem_and_mlkem_3_their_groups_are_never_used_in_tls12() {
    // A TLS 1.2-only client does not list them in supported_groups.
    let client = tls12_client_listing_ml_kem_groups();
    let mut c = ferrotls::ClientConnection::new(client, server_name("p256")).unwrap();
    let mut bytes = Vec::new();
    c.write_tls(&mut bytes).unwrap();
    let HandshakeMessage::ClientHello(hello) =
        HandshakeMessage::decode_message(&records(&bytes)[0][5..], &TLS12).unwrap()
    else {
        panic!("not a ClientHello")
    };
    assert!(hello.extensions().contains(&Extension::SupportedGroups(
        [NamedGroup::X25519, NamedGroup::secp256r1].into()
    )));
    // A TLS 1.2 server skips them even when the client lists them first.
    let client = client_builder("p256").groups(&KEM_FIRST).build().unwrap();
    let server = server_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_2])
        .groups(&[
            NamedGroup::X25519MLKEM768,
            NamedGroup::MLKEM768,
            NamedGroup::X25519,
        ])
        .build()
        .unwrap();
    let (c, s) = handshaken(client, server, server_name("p256"));
    assert_eq!(s.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    assert_eq!(c.negotiated_group(), Some(NamedGroup::X25519));
}

#[test]
fn draft_ecdhe_mlkem_3_a_tls12_server_key_exchange_in_a_hybrid_group_is_illegal_parameter() {
    let client = tls12_client_listing_ml_kem_groups();
    let server = server_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_2])
        .build()
        .unwrap();
    let (err, alert) = refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Client,
        1,
        |b| {
            let mut messages = Vec::new();
            for record in records(b) {
                messages.extend(split_messages(&record[5..]));
            }
            for message in &mut messages {
                if message_type(message) == 12 {
                    let HandshakeMessage::ServerKeyExchange(mut ske) =
                        HandshakeMessage::decode_message(message, &TLS12).unwrap()
                    else {
                        panic!("not a ServerKeyExchange")
                    };
                    let ServerKxParams::Ecdh(ecdh) = &mut ske.params else {
                        panic!("not ECDHE")
                    };
                    ecdh.group = NamedGroup::X25519MLKEM768;
                    *message = HandshakeMessage::ServerKeyExchange(ske).to_bytes().unwrap();
                }
            }
            *b = handshake_record(&messages.concat());
        },
    );
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::KxGroupNotOffered)
    );
    assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
}

/// The server's answer to a ClientHello whose first key share is edited.
fn server_refuses_share(edit: impl FnOnce(&mut Vec<u8>)) -> (Error, Option<u8>) {
    let (client, server) = configs(&[NamedGroup::X25519MLKEM768], &[NamedGroup::X25519MLKEM768]);
    refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Server,
        1,
        |b| {
            let HandshakeMessage::ClientHello(mut hello) =
                HandshakeMessage::decode_message(&records(b)[0][5..], &TLS13).unwrap()
            else {
                panic!("not a ClientHello")
            };
            let shares = hello
                .extensions
                .as_mut()
                .unwrap()
                .iter_mut()
                .find_map(|e| match e {
                    Extension::KeyShareOffer(shares) => Some(shares),
                    _ => None,
                })
                .unwrap();
            edit(&mut shares[0].key_exchange);
            *b = handshake_record(&HandshakeMessage::ClientHello(hello).to_bytes().unwrap());
        },
    )
}

#[test]
fn truncated_oversized_and_invalid_hybrid_client_shares_are_illegal_parameter() {
    for (edit, reason) in [
        (
            (|k: &mut Vec<u8>| k.truncate(1000)) as fn(&mut Vec<u8>),
            IllegalParameterReason::KeyShareLength,
        ),
        (|k| k.push(0), IllegalParameterReason::KeyShareLength),
        // FIPS 203 §7.2: a coefficient of the encapsulation key ≥ q.
        (
            |k| {
                k[0] = 0xff;
                k[1] |= 0x0f;
            },
            IllegalParameterReason::MlKemEncapsulationKeyModulus,
        ),
        // The X25519 half all zeros: the all-zero secret (RFC 7748 §6.1).
        (
            |k| {
                let len = k.len();
                k[len - 32..].fill(0);
            },
            IllegalParameterReason::KeyShareInvalid,
        ),
    ] {
        let (err, alert) = server_refuses_share(edit);
        assert_eq!(err, Error::IllegalParameter(reason));
        assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
    }
}

#[test]
fn a_corrupted_server_ciphertext_fails_the_handshake_at_the_first_protected_record() {
    // FIPS 203 §6.3: decapsulation yields another secret, not an error,
    // so the client cannot open the server's encrypted flight.
    let (client, server) = configs(&[NamedGroup::X25519MLKEM768], &[NamedGroup::X25519MLKEM768]);
    let (err, alert) = refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Client,
        1,
        |b| {
            let mut recs = records(b);
            let HandshakeMessage::ServerHello(mut hello) =
                HandshakeMessage::decode_message(&recs[0][5..], &TLS13).unwrap()
            else {
                panic!("not a ServerHello")
            };
            for e in hello.extensions.as_mut().unwrap() {
                if let Extension::KeyShareSelected(share) = e {
                    share.key_exchange[0] ^= 1;
                }
            }
            recs[0] = handshake_record(&HandshakeMessage::ServerHello(hello).to_bytes().unwrap());
            *b = recs.concat();
        },
    );
    assert_eq!(err, Error::BadRecordMac);
    assert_eq!(err.alert(), Some(AlertDescription::BadRecordMac));
    // The alert goes out under the client's handshake key (RFC 8446 §6),
    // so it is not a plaintext record.
    assert_eq!(alert, None);
}
