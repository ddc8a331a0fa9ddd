//! Record- and message-level rules of the receive path, each checked with
//! the exact alert: per-type handshake message bounds (RFC 8446 §4.1.2,
//! RFC 5246 §7.4.1.2) and the type judged before them (RFC 8446 §6.2),
//! legacy_version and record versions (RFC 8446
//! Appendix D.5, §5.1, RFC 5246 §6.2.1), rejected 0-RTT skipping (RFC 8446
//! §4.2.10), ChangeCipherSpec bodies (RFC 8446 §5, RFC 5246 §7.1) and
//! close_notify (RFC 5246 §7.2.1, RFC 8446 §6.1).

mod common;

use ferrotls::internal::error::{
    DecodeReason, IllegalParameterReason, LimitExceededReason, ProtocolVersionReason,
    UnexpectedMessageReason,
};
use std::sync::Arc;

use common::*;
use ferrotls::internal::msgs::enums::ExtensionType;
use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::hello::ClientHello;
use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
use ferrotls::internal::record::joiner::{MAX_CLIENT_HELLO_LEN, MAX_SERVER_KEY_EXCHANGE_LEN};
use ferrotls::{
    AlertDescription, CipherSuite, ClientConfig, ClientConnection, Connection, Error,
    ProtocolVersion, ServerConnection, DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE,
    DEFAULT_MAX_WARNING_ALERTS, TLS12_CIPHER_SUITES, TLS13_CIPHER_SUITES,
};

const TLS12: &[ProtocolVersion] = &[ProtocolVersion::TLSv1_2];
const TLS13: &[ProtocolVersion] = &[ProtocolVersion::TLSv1_3];

fn alert(description: AlertDescription) -> Option<u8> {
    Some(description.into())
}

/// Everything `conn` has queued for the peer.
fn written(conn: &mut Connection) -> Vec<u8> {
    let mut out = Vec::new();
    while conn.wants_write() {
        conn.write_tls(&mut out).unwrap();
    }
    out
}

/// Hands `bytes` to `to` and processes them.
fn deliver(to: &mut Connection, bytes: &[u8]) -> Result<(), Error> {
    let mut offset = 0;
    while offset < bytes.len() {
        offset += to.read_tls(&mut &bytes[offset..]).unwrap();
        to.process_new_packets()?;
    }
    Ok(())
}

/// A plaintext record of `content_type` with record version `version`.
fn record(content_type: u8, version: u16, body: &[u8]) -> Vec<u8> {
    let mut r = vec![content_type];
    r.extend_from_slice(&version.to_be_bytes());
    r.extend_from_slice(&(body.len() as u16).to_be_bytes());
    r.extend_from_slice(body);
    r
}

/// A fresh server under `versions` fed `bytes`: its error and the alert it
/// sent.
fn server_refuses_bytes(versions: &[ProtocolVersion], bytes: &[u8]) -> (Error, Option<u8>) {
    let mut s = ServerConnection::new(server_builder("p256").versions(versions).build().unwrap());
    let err = deliver(&mut s, bytes).unwrap_err();
    (err, plaintext_alert(&written(&mut s)))
}

// ---- item 1: handshake message bounds ----

/// `n` cipher suite values no implementation assigns (after RFC 8701's
/// GREASE pattern, kept clear of every real suite).
fn unassigned_suites(n: usize) -> Vec<CipherSuite> {
    (0..n as u16)
        .map(|i| CipherSuite::from(0x5a00u16.wrapping_add(i) | 0x8000))
        .collect()
}

/// A client offering TLS 1.2 and 1.3 whose ClientHello is about 100 KiB: the real suites behind
/// 24 000 unassigned ones (48 000 bytes) and an ALPN list of 220 names of
/// 250 bytes (55 220 bytes), all legal (RFC 8446 §4.1.2, RFC 7301 §3.1).
fn large_hello_client() -> Arc<ClientConfig> {
    let suites = [
        unassigned_suites(24_000),
        TLS13_CIPHER_SUITES.to_vec(),
        TLS12_CIPHER_SUITES.to_vec(),
    ]
    .concat();
    let names: Vec<Vec<u8>> = (0..220u8).map(|i| vec![b'a' + i % 26; 250]).collect();
    let names: Vec<&[u8]> = names.iter().map(|n| n.as_slice()).collect();
    client_builder("p256")
        .cipher_suites(&suites)
        .alpn_protocols(&names)
        .build()
        .unwrap()
}

/// The large ClientHello, split across records, reaches a server enabling
/// only `versions`, which completes the handshake.
fn large_client_hello_handshakes(versions: &[ProtocolVersion]) {
    let server = server_builder("p256").versions(versions).build().unwrap();
    let (mut c, mut s) = pair(large_hello_client(), server, server_name("p256"));
    let hello = written(&mut c);
    let records = records(&hello);
    assert!(records.len() > 6, "the ClientHello spans many records");
    let len = records.iter().map(|r| r.len() - 5).sum::<usize>();
    assert!(len > 100_000 && len <= MAX_CLIENT_HELLO_LEN + 4, "{len}");
    deliver(&mut s, &hello).unwrap();
    handshake(&mut c, &mut s);
    assert_eq!(s.protocol_version(), Some(versions[0]));
    send_and_check(&mut c, &mut s, b"large hello");
}

#[test]
fn rfc8446_4_1_2_client_hello_over_64k_handshakes_in_tls13() {
    large_client_hello_handshakes(TLS13);
}

#[test]
fn rfc5246_7_4_1_2_client_hello_over_64k_handshakes_in_tls12() {
    large_client_hello_handshakes(TLS12);
}

/// A TLS 1.2 handshake record holding only the header of a `typ` message that
/// announces a `len`-byte body.
fn header_only(typ: u8, len: usize) -> Vec<u8> {
    record(
        22,
        0x0303,
        &[typ, (len >> 16) as u8, (len >> 8) as u8, len as u8],
    )
}

#[test]
fn rfc8446_4_1_2_client_hello_one_byte_over_its_syntax_is_decode_error() {
    let (err, sent) = server_refuses_bytes(TLS13, &header_only(1, MAX_CLIENT_HELLO_LEN + 1));
    assert!(
        matches!(err, Error::Decode(DecodeReason::MessageTooLong)),
        "{err:?}"
    );
    assert_eq!(sent, alert(AlertDescription::DecodeError));
}

#[test]
fn rfc8446_4_client_hello_announcing_16_mib_fails_at_its_header() {
    // Only the four header bytes arrive: the refusal needs no body.
    let (err, sent) = server_refuses_bytes(TLS13, &header_only(1, (1 << 24) - 1));
    assert!(
        matches!(err, Error::Decode(DecodeReason::MessageTooLong)),
        "{err:?}"
    );
    assert_eq!(sent, alert(AlertDescription::DecodeError));
}

#[test]
fn rfc8446_4_4_2_certificate_announcing_16_mib_fails_at_its_header() {
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let server = server_builder("p256").versions(TLS12).build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let flight = written(&mut s);
    // The ServerHello, then only a Certificate header announcing 2^24 − 1.
    let hello = &records(&flight)[0];
    let hello_len = 4 + u32::from_be_bytes([0, hello[6], hello[7], hello[8]]) as usize;
    let mut bytes = record(22, 0x0303, &hello[5..5 + hello_len]);
    bytes.extend(header_only(11, (1 << 24) - 1));
    let err = deliver(&mut c, &bytes).unwrap_err();
    assert!(
        matches!(
            err,
            Error::LimitExceeded(LimitExceededReason::CertificateMessageSize)
        ),
        "{err:?}"
    );
    assert_eq!(
        plaintext_alert(&written(&mut c)),
        alert(AlertDescription::IllegalParameter)
    );
}

/// The body length of the server's TLS 1.2 Certificate message.
fn tls12_certificate_len() -> usize {
    let (_, messages) = tls12_server_flight();
    let certificate = messages.iter().find(|m| message_type(m) == 11).unwrap();
    certificate.len() - 4
}

fn tls12_handshake_with_certificate_limit(limit: usize) -> Result<(), Error> {
    let client = client_builder("p256")
        .versions(TLS12)
        .max_certificate_message_size(limit)
        .build()
        .unwrap();
    let server = server_builder("p256").versions(TLS12).build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let (_, r) = transfer(&mut s, &mut c);
    r?;
    handshake(&mut c, &mut s);
    Ok(())
}

#[test]
fn rfc8446_4_4_2_certificate_one_byte_over_the_configured_limit_is_illegal_parameter() {
    let len = tls12_certificate_len();
    assert!(len < DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE);
    tls12_handshake_with_certificate_limit(len).unwrap();
    let err = tls12_handshake_with_certificate_limit(len - 1).unwrap_err();
    assert!(
        matches!(
            err,
            Error::LimitExceeded(LimitExceededReason::CertificateMessageSize)
        ),
        "{err:?}"
    );
    assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
}

/// The message types whose syntax bounds their body to a few bytes, so a
/// hello's body under one of them is also too long: HelloRequest,
/// EndOfEarlyData, ServerHelloDone (empty), Finished (48) and KeyUpdate
/// (1).
const SHORT_TYPES: [u8; 5] = [0, 5, 14, 20, 24];

#[test]
fn rfc8446_6_2_client_hello_body_under_another_type_is_unexpected_message() {
    // The type is judged before the length: the first message must be a
    // ClientHello, so another type is the wrong message, whatever its
    // length (tlsfuzzer's test-invalid-client-hello-w-record-overflow).
    let hello = client_hello_message(client_builder("p256").build().unwrap());
    for typ in SHORT_TYPES.into_iter().chain([2, 11, 15, 16]) {
        let mut message = hello.clone();
        message[0] = typ;
        for versions in [TLS12, TLS13] {
            let (err, sent) = server_refuses_bytes(versions, &record(22, 0x0301, &message));
            assert!(
                matches!(
                    err,
                    Error::UnexpectedMessage(UnexpectedMessageReason::ExpectedClientHello)
                ),
                "type {typ}: {err:?}"
            );
            assert_eq!(sent, alert(AlertDescription::UnexpectedMessage));
        }
    }
}

#[test]
fn rfc8446_6_2_server_hello_body_under_another_type_is_unexpected_message() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let hello = records(&written(&mut s))[0][5..].to_vec();
    for typ in SHORT_TYPES {
        let mut c =
            ClientConnection::new(client_builder("p256").build().unwrap(), server_name("p256"))
                .unwrap();
        written(&mut c);
        let mut message = hello.clone();
        message[0] = typ;
        let err = deliver(&mut c, &record(22, 0x0303, &message)).unwrap_err();
        assert!(
            matches!(
                err,
                Error::UnexpectedMessage(UnexpectedMessageReason::ExpectedServerHello)
            ),
            "type {typ}: {err:?}"
        );
        assert_eq!(
            plaintext_alert(&written(&mut c)),
            alert(AlertDescription::UnexpectedMessage)
        );
    }
}

/// The messages of a TLS 1.2 server's first flight (ServerHello,
/// Certificate, ServerKeyExchange, ServerHelloDone), and a fresh client
/// that sent the ClientHello they answer.
fn tls12_server_flight() -> (ClientConnection, Vec<Vec<u8>>) {
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let server = server_builder("p256").versions(TLS12).build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let payload: Vec<u8> = records(&written(&mut s))
        .iter()
        .flat_map(|r| r[5..].to_vec())
        .collect();
    let messages = split_messages(&payload);
    let types: Vec<u8> = messages.iter().map(|m| message_type(m)).collect();
    assert_eq!(types, [2, 11, 12, 14]);
    (c, messages)
}

/// What a TLS 1.2 client that has read the first `read` messages of the
/// server's flight makes of `next`: its error and alert, which must be
/// all it sends (a refused message moves it no further).
fn tls12_client_refuses_after(read: usize, next: &[u8]) -> (Error, Option<u8>) {
    let (mut c, messages) = tls12_server_flight();
    let mut bytes = record(22, 0x0303, &messages[..read].concat());
    bytes.extend(record(22, 0x0303, next));
    let err = deliver(&mut c, &bytes).unwrap_err();
    let sent = written(&mut c);
    assert_eq!(records(&sent).len(), 1, "{err:?}: more than the alert");
    (err, plaintext_alert(&sent))
}

#[test]
fn rfc8446_6_2_message_of_another_type_over_its_bound_is_unexpected_message() {
    // After the ServerHello the Certificate is due: a header of another
    // type is the wrong message, whatever its length, before that type's
    // bound is judged (OpenSSL and BoringSSL judge the type first).
    for (typ, len) in [(20, 49), (24, 2), (14, 1), (1, MAX_CLIENT_HELLO_LEN + 1)] {
        let (err, sent) = tls12_client_refuses_after(1, &header_only(typ, len)[5..]);
        assert!(
            matches!(err, Error::UnexpectedMessage(_)),
            "type {typ}: {err:?}"
        );
        assert_eq!(
            sent,
            alert(AlertDescription::UnexpectedMessage),
            "type {typ}"
        );
    }
}

#[test]
fn rfc8446_6_2_malformed_message_of_another_type_is_unexpected_message() {
    // A CertificateRequest whose body does not decode, where the
    // server's Certificate is due: the type is wrong before the body is.
    let (err, sent) = tls12_client_refuses_after(1, &[13, 0, 0, 1, 9]);
    assert!(matches!(err, Error::UnexpectedMessage(_)), "{err:?}");
    assert_eq!(sent, alert(AlertDescription::UnexpectedMessage));
}

#[test]
fn rfc5246_7_4_expected_message_over_its_bound_is_decode_error() {
    // ServerHelloDone is due after the ServerKeyExchange, and a
    // HelloRequest may come at any time (RFC 5246 §7.4.1.1): either
    // announcing a body is too long for its empty syntax, refused from the
    // header; so is a ServerKeyExchange longer than its syntax allows.
    for (read, typ, len) in [
        (3, 14, 1),
        (1, 0, 3),
        (2, 12, MAX_SERVER_KEY_EXCHANGE_LEN + 1),
    ] {
        let (err, sent) = tls12_client_refuses_after(read, &header_only(typ, len)[5..]);
        assert!(
            matches!(err, Error::Decode(DecodeReason::MessageTooLong)),
            "type {typ}: {err:?}"
        );
        assert_eq!(sent, alert(AlertDescription::DecodeError), "type {typ}");
    }
}

// ---- item 2: legacy_version and record versions ----

const CX: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_3,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 32,
};

/// Our client's first ClientHello message (header included).
fn client_hello_message(client: Arc<ClientConfig>) -> Vec<u8> {
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    let records = records(&written(&mut c));
    records[0][5..].to_vec()
}

/// The ClientHello message of `client`, after `edit`.
fn edited_client_hello(client: Arc<ClientConfig>, edit: impl FnOnce(&mut ClientHello)) -> Vec<u8> {
    let message = client_hello_message(client);
    let HandshakeMessage::ClientHello(mut hello) =
        HandshakeMessage::decode_message(&message, &CX).unwrap()
    else {
        panic!("not a ClientHello")
    };
    edit(&mut hello);
    HandshakeMessage::ClientHello(hello).to_bytes().unwrap()
}

// ---- GREASE (RFC 8701) ----

/// `list` with `grease` in front, as GREASE-sending clients place it.
fn grease_first<T: Copy, L: FromIterator<T>>(grease: T, list: &[T]) -> L {
    std::iter::once(grease)
        .chain(list.iter().copied())
        .collect()
}

/// Our ClientHello with RFC 8701 GREASE values in every list a client
/// may put them in (RFC 8701 §2): cipher suites, extensions (an empty one
/// first, one with a byte of data last), supported_groups, key_share (a
/// one-byte share), signature_algorithms, supported_versions,
/// psk_key_exchange_modes and ALPN.
fn greased_client_hello() -> Vec<u8> {
    let client = client_builder("p256")
        .alpn_protocols(&[b"http/1.1"])
        .build()
        .unwrap();
    edited_client_hello(client, grease)
}

/// Puts the GREASE values of [`greased_client_hello`] into `hello`.
fn grease(hello: &mut ClientHello) {
    use ferrotls::internal::msgs::enums::PskKeyExchangeMode;
    use ferrotls::internal::msgs::extensions::KeyShareEntry;
    use ferrotls::{NamedGroup, SignatureScheme};
    hello.cipher_suites = grease_first(CipherSuite::from(0x0a0a), &hello.cipher_suites);
    let extensions = hello.extensions.as_mut().unwrap();
    for extension in extensions.iter_mut() {
        match extension {
            Extension::SupportedGroups(groups) => {
                *groups = grease_first(NamedGroup::from(0x1a1a), groups)
            }
            Extension::KeyShareOffer(shares) => {
                let grease = KeyShareEntry {
                    group: NamedGroup::from(0x1a1a),
                    key_exchange: vec![0],
                };
                *shares = std::iter::once(grease)
                    .chain(shares.iter().cloned())
                    .collect();
            }
            Extension::SignatureAlgorithms(schemes) => {
                *schemes = grease_first(SignatureScheme::from(0x2a2a), schemes)
            }
            Extension::SupportedVersionsOffer(versions) => {
                *versions = grease_first(ProtocolVersion::from(0x3a3a), versions)
            }
            Extension::PskKeyExchangeModes(modes) => {
                *modes = grease_first(PskKeyExchangeMode::from(0x0b), modes)
            }
            Extension::Alpn(protocols) => protocols.insert(0, vec![0x4a, 0x4a]),
            _ => {}
        }
    }
    extensions.insert(
        0,
        Extension::Unknown {
            typ: ExtensionType::from(0x5a5a),
            data: Vec::new(),
        },
    );
    extensions.push(Extension::Unknown {
        typ: ExtensionType::from(0x6a6a),
        data: vec![0],
    });
}

#[test]
fn rfc8701_grease_in_a_client_hello_is_ignored_by_a_tls13_and_a_tls12_server() {
    use ferrotls::NamedGroup;
    let hello = handshake_record(&greased_client_hello());
    for (versions, cx) in [
        (TLS13, CX),
        (
            TLS12,
            DecodeContext {
                version: ProtocolVersion::TLSv1_2,
                ..CX
            },
        ),
    ] {
        let server = server_builder("p256")
            .versions(versions)
            .alpn_protocols(&[b"http/1.1"])
            .build()
            .unwrap();
        let mut s = ServerConnection::new(server);
        deliver(&mut s, &hello).expect("a greased ClientHello is taken");
        let flight = records(&written(&mut s));
        // The first message of the first record (TLS 1.2 packs the flight).
        let messages = &flight[0][5..];
        let len = 4 + usize::from(u16::from_be_bytes([messages[2], messages[3]]));
        let HandshakeMessage::ServerHello(answer) =
            HandshakeMessage::decode_message(&messages[..len], &cx).unwrap()
        else {
            panic!("not a ServerHello")
        };
        // Nothing GREASE is chosen: a real suite, version, group and
        // protocol, and no GREASE extension echoed.
        assert_eq!(s.protocol_version(), Some(versions[0]));
        let suites = [TLS13_CIPHER_SUITES, TLS12_CIPHER_SUITES].concat();
        assert!(suites.contains(&answer.cipher_suite), "{answer:?}");
        for extension in answer.extensions.as_deref().unwrap_or_default() {
            match extension {
                Extension::KeyShareSelected(share) => {
                    assert_eq!(share.group, NamedGroup::X25519MLKEM768)
                }
                Extension::Unknown { typ, .. } => panic!("{typ:?} echoed"),
                _ => {}
            }
        }
        assert_eq!(s.alpn_protocol(), Some(&b"http/1.1"[..]));
    }
}

/// Our client's ClientHello with its legacy_version set to `version`, in
/// one record.
fn client_hello_with_legacy_version(version: u16) -> Vec<u8> {
    let client = client_builder("p256").build().unwrap();
    let message = edited_client_hello(client, |hello| {
        hello.legacy_version = ProtocolVersion::from(version)
    });
    record(22, 0x0301, &message)
}

// ---- extensions TLS 1.3 does not use ----

/// Our ClientHello (TLS 1.2 and 1.3 offered) with its extension of type
/// `typ` replaced by one carrying `body`, which does not parse as that
/// type (first, or last for pre_shared_key, RFC 8446 §4.2.11); in one
/// record.
fn client_hello_with_malformed(typ: ExtensionType, body: &[u8]) -> Vec<u8> {
    let client = client_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2])
        .build()
        .unwrap();
    handshake_record(&edited_client_hello(client, |hello| {
        let extensions = hello.extensions.as_mut().unwrap();
        extensions.retain(|extension| extension.ext_type() != typ);
        let malformed = Extension::Unknown {
            typ,
            data: body.to_vec(),
        };
        if typ == ExtensionType::PreSharedKey {
            extensions.push(malformed);
        } else {
            extensions.insert(0, malformed);
        }
    }))
}

#[test]
fn rfc8446_4_2_malformed_extension_used_only_before_tls13_is_ignored_in_tls13_and_refused_in_tls12()
{
    let malformed: [(ExtensionType, &[u8]); 4] = [
        // Both empty by definition (RFC 7366 §2, RFC 7627 §5.1).
        (ExtensionType::EncryptThenMac, &[0x2a, 0x7f, 0x01]),
        (ExtensionType::ExtendedMasterSecret, &[0]),
        // A list announcing two formats that holds one (RFC 8422 §5.1.2).
        (ExtensionType::EcPointFormats, &[2, 0]),
        // renegotiated_connection announcing 5 bytes, holding none (RFC 5746 §3.2).
        (ExtensionType::RenegotiationInfo, &[5]),
    ];
    for (typ, body) in malformed {
        let hello = client_hello_with_malformed(typ, body);
        let mut s = ServerConnection::new(server_builder("p256").build().unwrap());
        deliver(&mut s, &hello).unwrap_or_else(|e| panic!("TLS 1.3 refused {typ:?}: {e:?}"));
        assert_eq!(s.protocol_version(), Some(ProtocolVersion::TLSv1_3));
        assert!(!written(&mut s).is_empty(), "no ServerHello for {typ:?}");

        let (err, sent) = server_refuses_bytes(TLS12, &hello);
        assert!(matches!(err, Error::Decode(_)), "{typ:?}: {err:?}");
        assert_eq!(sent, alert(AlertDescription::DecodeError), "{typ:?}");
    }
}

#[test]
fn rfc8446_4_2_malformed_extension_used_only_in_tls13_is_ignored_in_tls12_and_refused_in_tls13() {
    let malformed: [(ExtensionType, &[u8]); 5] = [
        // Empty by definition (RFC 8446 §4.2.6).
        (ExtensionType::PostHandshakeAuth, &[0]),
        // An empty list (RFC 8446 §4.2.9: <1..255>).
        (ExtensionType::PskKeyExchangeModes, &[0]),
        // An empty cookie (RFC 8446 §4.2.2: <1..2^16-1>).
        (ExtensionType::Cookie, &[0, 0]),
        // A share list announcing 9 bytes, holding 2 (RFC 8446 §4.2.8).
        (ExtensionType::KeyShare, &[0, 9, 0, 0x1d]),
        // One identity and a 2-byte binder (RFC 8446 §4.2.11:
        // PskBinderEntry<32..255>), as a client that puts its TLS 1.2
        // ticket there too sends it.
        (
            ExtensionType::PreSharedKey,
            &[0, 7, 0, 1, 0xaa, 0, 0, 0, 0, 0, 3, 2, 0xbb, 0xbb],
        ),
    ];
    for (typ, body) in malformed {
        let hello = client_hello_with_malformed(typ, body);
        let mut s = ServerConnection::new(server_builder("p256").versions(TLS12).build().unwrap());
        deliver(&mut s, &hello).unwrap_or_else(|e| panic!("TLS 1.2 refused {typ:?}: {e:?}"));
        assert_eq!(s.protocol_version(), Some(ProtocolVersion::TLSv1_2));
        assert!(!written(&mut s).is_empty(), "no ServerHello for {typ:?}");

        let (err, sent) = server_refuses_bytes(TLS13, &hello);
        assert!(matches!(err, Error::Decode(_)), "{typ:?}: {err:?}");
        assert_eq!(sent, alert(AlertDescription::DecodeError), "{typ:?}");
    }
}

#[test]
fn rfc8446_d5_legacy_version_ssl3_with_supported_versions_is_protocol_version() {
    for versions in [
        TLS13,
        TLS12,
        &[ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2][..],
    ] {
        for legacy in [0x0300, 0x0200] {
            let (err, sent) =
                server_refuses_bytes(versions, &client_hello_with_legacy_version(legacy));
            assert!(
                matches!(
                    err,
                    Error::ProtocolVersion(ProtocolVersionReason::Ssl3OrBelow)
                ),
                "{err:?}"
            );
            assert_eq!(sent, alert(AlertDescription::ProtocolVersion));
        }
    }
}

#[test]
fn rfc9846_4_1_2_tls13_client_hello_legacy_version_other_than_0303_is_protocol_version() {
    for legacy in [0x0301, 0x0302, 0x0304] {
        let (err, sent) = server_refuses_bytes(TLS13, &client_hello_with_legacy_version(legacy));
        assert!(
            matches!(
                err,
                Error::ProtocolVersion(ProtocolVersionReason::ClientHelloLegacyVersion)
            ),
            "{legacy:x}: {err:?}"
        );
        assert_eq!(sent, alert(AlertDescription::ProtocolVersion));
    }
}

/// A TLS 1.3 exchange whose ServerHello gets `legacy_version`: the
/// client's error and alert.
fn client_refuses_server_hello_version(legacy_version: u16) -> (Error, Option<u8>) {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let mut recs = records(&written(&mut s));
    let HandshakeMessage::ServerHello(mut hello) =
        HandshakeMessage::decode_message(&recs[0][5..], &CX).unwrap()
    else {
        panic!("not a ServerHello")
    };
    hello.legacy_version = ProtocolVersion::from(legacy_version);
    recs[0] = record(
        22,
        0x0303,
        &HandshakeMessage::ServerHello(hello).to_bytes().unwrap(),
    );
    let err = deliver(&mut c, &recs.concat()).unwrap_err();
    (err, plaintext_alert(&written(&mut c)))
}

#[test]
fn rfc8446_d5_tls13_server_hello_legacy_version_ssl3_is_protocol_version() {
    for legacy in [0x0300, 0x0301, 0x0302] {
        let (err, sent) = client_refuses_server_hello_version(legacy);
        assert!(
            matches!(
                err,
                Error::ProtocolVersion(ProtocolVersionReason::ServerHelloLegacyVersion)
            ),
            "{legacy:x}: {err:?}"
        );
        assert_eq!(sent, alert(AlertDescription::ProtocolVersion));
    }
}

/// Rewrites the version field of every record header in `bytes`.
fn set_record_versions(bytes: &[u8], version: u16) -> Vec<u8> {
    records(bytes)
        .into_iter()
        .flat_map(|mut r| {
            r[1..3].copy_from_slice(&version.to_be_bytes());
            r
        })
        .collect()
}

/// A TLS 1.2 (or `version`) handshake up to the client's second flight,
/// whose record versions are rewritten to `record_version`: the server's
/// result and what it sent.
fn tls12_server_sees_client_records(
    version: ProtocolVersion,
    record_version: u16,
) -> (Result<(), Error>, Vec<u8>) {
    let versions = [version];
    let client = client_builder("p256")
        .versions(&versions)
        .cipher_suites(&[TLS12_CIPHER_SUITES, ferrotls::TLS10_CIPHER_SUITES].concat())
        .build()
        .unwrap();
    let server = server_builder("p256")
        .versions(&versions)
        .cipher_suites(&[TLS12_CIPHER_SUITES, ferrotls::TLS10_CIPHER_SUITES].concat())
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    let flight = set_record_versions(&written(&mut c), record_version);
    let result = deliver(&mut s, &flight);
    (result, written(&mut s))
}

#[test]
fn rfc5246_6_2_1_tls12_record_with_another_version_is_protocol_version() {
    let (ok, _) = tls12_server_sees_client_records(ProtocolVersion::TLSv1_2, 0x0303);
    ok.unwrap();
    for wrong in [0x0301, 0x0302, 0x0304] {
        let (err, sent) = tls12_server_sees_client_records(ProtocolVersion::TLSv1_2, wrong);
        let err = err.unwrap_err();
        assert!(
            matches!(
                err,
                Error::ProtocolVersion(ProtocolVersionReason::RecordVersionMismatch)
            ),
            "{err:?}"
        );
        assert_eq!(
            plaintext_alert(&sent),
            alert(AlertDescription::ProtocolVersion)
        );
    }
}

#[cfg(feature = "legacy")]
#[test]
fn rfc5246_e_1_unprotected_alert_of_another_version_is_read() {
    // A TLS 1.2-only client refuses a TLS 1.1 server's hello with
    // protocol_version; the server, which settled on TLS 1.1, reads that
    // alert although its record carries another version.
    let client = client_builder("p256")
        .versions(TLS12)
        .cipher_suites(&[TLS12_CIPHER_SUITES, ferrotls::TLS10_CIPHER_SUITES].concat())
        .build()
        .unwrap();
    let server = server_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_1])
        .cipher_suites(ferrotls::TLS10_CIPHER_SUITES)
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let refused = transfer(&mut s, &mut c).1.unwrap_err();
    assert!(
        matches!(
            refused,
            Error::ProtocolVersion(ProtocolVersionReason::VersionNotEnabled)
        ),
        "{refused:?}"
    );
    let sent = written(&mut c);
    assert_eq!(
        plaintext_alert(&sent),
        alert(AlertDescription::ProtocolVersion)
    );
    assert_ne!(
        sent[1..3],
        [0x03, 0x02],
        "the alert's record version differs"
    );
    let err = deliver(&mut s, &sent).unwrap_err();
    assert_eq!(err, Error::AlertReceived(AlertDescription::ProtocolVersion));
}

#[cfg(feature = "legacy")]
#[test]
fn rfc2246_6_2_1_tls10_records_carry_0301_and_another_version_is_protocol_version() {
    let (ok, _) = tls12_server_sees_client_records(ProtocolVersion::TLSv1_0, 0x0301);
    ok.unwrap();
    let (err, _) = tls12_server_sees_client_records(ProtocolVersion::TLSv1_0, 0x0303);
    assert!(
        matches!(
            err,
            Err(Error::ProtocolVersion(
                ProtocolVersionReason::RecordVersionMismatch
            ))
        ),
        "{err:?}"
    );
}

#[test]
fn rfc8446_5_1_first_client_hello_record_may_carry_0301_or_0303() {
    for record_version in [0x0301, 0x0303, 0x0300] {
        let client = client_builder("p256").build().unwrap();
        let server = server_builder("p256").build().unwrap();
        let (mut c, mut s) = pair(client, server, server_name("p256"));
        let hello = set_record_versions(&written(&mut c), record_version);
        deliver(&mut s, &hello).unwrap();
        handshake(&mut c, &mut s);
    }
}

#[test]
fn rfc9846_5_2_tls13_protected_record_not_0303_is_decode_error() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    // The client's Finished flight: a dummy CCS (TLSPlaintext, version
    // ignored) and protected records (TLSCiphertext, 0x0303 only).
    let flight = records(&written(&mut c));
    let rewritten: Vec<u8> = flight
        .into_iter()
        .flat_map(|mut r| {
            let version: u16 = if r[0] == 23 { 0x0301 } else { 0x0300 };
            r[1..3].copy_from_slice(&version.to_be_bytes());
            r
        })
        .collect();
    let err = deliver(&mut s, &rewritten).unwrap_err();
    assert!(
        matches!(err, Error::Decode(DecodeReason::Tls13RecordVersion)),
        "{err:?}"
    );
    assert_eq!(
        plaintext_alert(&written(&mut s)),
        None,
        "the alert is protected"
    );
}

#[test]
fn rfc8446_5_1_tls13_plaintext_records_ignore_their_version() {
    // A dummy ChangeCipherSpec with any 0x03XX version is accepted once
    // TLS 1.3 keys are in place.
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    let flight: Vec<u8> = records(&written(&mut c))
        .into_iter()
        .flat_map(|mut r| {
            if r[0] == 20 {
                r[1..3].copy_from_slice(&0x0301u16.to_be_bytes());
            }
            r
        })
        .collect();
    deliver(&mut s, &flight).unwrap();
    handshake(&mut c, &mut s);
}

// ---- item 4: ChangeCipherSpec bodies ----

/// The malformed ChangeCipherSpec bodies: another value, and one byte too
/// many (an empty one is refused by the record layer, RFC 8446 §5.1).
const BAD_CCS_BODIES: [&[u8]; 3] = [&[2], &[1, 1], &[1, 0]];

#[test]
fn rfc8446_5_tls13_ccs_body_other_than_0x01_is_unexpected_message() {
    for body in BAD_CCS_BODIES.iter().chain([&[][..]].iter()) {
        let client = client_builder("p256").build().unwrap();
        let server = server_builder("p256").build().unwrap();
        let (mut c, mut s) = pair(client, server, server_name("p256"));
        transfer(&mut c, &mut s).1.unwrap();
        // Before the ServerHello (so the alert goes out in plaintext), in
        // place of the server's dummy CCS.
        let mut recs = records(&written(&mut s));
        recs.retain(|r| r[0] != 20);
        recs.insert(0, record(20, 0x0303, body));
        let err = deliver(&mut c, &recs.concat()).unwrap_err();
        assert!(
            matches!(err, Error::UnexpectedMessage(_)),
            "{body:?}: {err:?}"
        );
        assert_eq!(
            plaintext_alert(&written(&mut c)),
            alert(AlertDescription::UnexpectedMessage)
        );
    }
}

/// A TLS 1.2 handshake whose client ChangeCipherSpec record gets `body`:
/// the server's error and alert.
fn tls12_server_sees_ccs(body: &[u8]) -> (Error, Option<u8>) {
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let server = server_builder("p256").versions(TLS12).build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    let mut recs = records(&written(&mut c));
    let ccs = recs.iter().position(|r| r[0] == 20).unwrap();
    recs[ccs] = record(20, 0x0303, body);
    let err = deliver(&mut s, &recs.concat()).unwrap_err();
    (err, plaintext_alert(&written(&mut s)))
}

#[test]
fn rfc5246_7_1_tls12_malformed_ccs_is_unexpected_message() {
    for body in BAD_CCS_BODIES.iter().chain([&[][..]].iter()) {
        let (err, sent) = tls12_server_sees_ccs(body);
        assert!(
            matches!(err, Error::UnexpectedMessage(_)),
            "{body:?}: {err:?}"
        );
        assert_eq!(sent, alert(AlertDescription::UnexpectedMessage));
    }
}

#[test]
fn rfc5246_7_1_tls12_ccs_at_the_wrong_time_is_unexpected_message() {
    // Before the ServerHello, from a server to a client offering only
    // TLS 1.2 (no TLS 1.3 dummy CCS can come): no pending read state.
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    let err = deliver(&mut c, &record(20, 0x0303, &[1])).unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnexpectedMessage(UnexpectedMessageReason::CcsNotAllowed)
        ),
        "{err:?}"
    );
    assert_eq!(
        plaintext_alert(&written(&mut c)),
        alert(AlertDescription::UnexpectedMessage)
    );
}

// ---- item 6: close_notify ----

fn connected(versions: &[ProtocolVersion]) -> (ClientConnection, ServerConnection) {
    let client = client_builder("p256").versions(versions).build().unwrap();
    let server = server_builder("p256").versions(versions).build().unwrap();
    handshaken(client, server, server_name("p256"))
}

fn read_to_end(conn: &mut Connection) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    conn.reader().read_to_end(&mut out)?;
    Ok(out)
}

#[test]
fn rfc5246_7_2_1_close_notify_is_answered_and_nothing_is_written_after_it() {
    use std::io::Write;
    let (mut c, mut s) = connected(TLS12);
    // Sealed before the close_notify arrives: it still goes out first.
    s.writer().write_all(b"sealed before").unwrap();
    c.send_close_notify();
    transfer(&mut c, &mut s).1.unwrap();
    assert!(s.process_new_packets().unwrap().peer_has_closed);
    let err = s.writer().write(b"more").unwrap_err();
    assert!(err.to_string().contains("close_notify"), "{err}");
    let answer = written(&mut s);
    assert_eq!(records(&answer).len(), 2, "the data, then close_notify");
    deliver(&mut c, &answer).unwrap();
    assert_eq!(read_to_end(&mut c).unwrap(), b"sealed before");
}

/// RFC 5246 §7.2.1: a close_notify during the handshake is answered with
/// ours, what was waiting to be written is dropped, and the connection
/// ends there ("close down the connection immediately"): the handshake
/// fails with the peer's close_notify instead of waiting for records
/// that will not come.
#[test]
fn rfc5246_7_2_1_close_notify_during_the_handshake_is_answered_and_ends_it() {
    use std::io::Write;
    for versions in [TLS12, TLS13] {
        let client = client_builder("p256").versions(versions).build().unwrap();
        let server = server_builder("p256").versions(versions).build().unwrap();
        let (mut c, mut s) = pair(client, server, server_name("p256"));
        transfer(&mut c, &mut s).1.unwrap();
        // The server's first flight, which the client never reads.
        written(&mut s);
        // Buffered until the handshake completes, which it never does.
        s.writer().write_all(b"pending").unwrap();
        c.send_close_notify();
        let close = written(&mut c);
        assert_eq!(
            deliver(&mut s, &close),
            Err(Error::AlertReceived(AlertDescription::CloseNotify))
        );
        assert!(!s.is_handshaking());
        let answer = written(&mut s);
        assert_eq!(records(&answer).len(), 1, "{versions:?}");
        if versions == TLS12 {
            assert_eq!(
                plaintext_alert(&answer),
                Some(u8::from(AlertDescription::CloseNotify))
            );
        }
        assert!(s.writer().write(b"more").is_err());
    }
}

#[test]
fn rfc5246_7_2_1_records_after_close_notify_are_not_processed() {
    let (mut c, mut s) = connected(TLS12);
    c.send_close_notify();
    let mut bytes = written(&mut c);
    // Would be bad_record_mac if it were opened.
    bytes.extend(record(23, 0x0303, &[1, 2, 3, 4, 5, 6, 7, 8, 9]));
    deliver(&mut s, &bytes).unwrap();
    assert!(s.process_new_packets().unwrap().peer_has_closed);
    assert_eq!(read_to_end(&mut s).unwrap(), b"");
}

#[test]
fn rfc8446_6_1_tls13_close_notify_half_closes() {
    use std::io::Write;
    let (mut c, mut s) = connected(TLS13);
    c.send_close_notify();
    transfer(&mut c, &mut s).1.unwrap();
    assert!(s.process_new_packets().unwrap().peer_has_closed);
    // No automatic answer: the server's write side stays open.
    assert!(!s.wants_write());
    assert_eq!(read_to_end(&mut s).unwrap(), b"");
    s.writer().write_all(b"still talking").unwrap();
    s.send_close_notify();
    transfer(&mut s, &mut c).1.unwrap();
    assert_eq!(read_to_end(&mut c).unwrap(), b"still talking");
    assert!(
        c.writer().write(b"x").is_err(),
        "the client closed its side"
    );
}

#[test]
fn rfc8446_6_server_reads_a_plaintext_alert_until_the_client_protects_a_record() {
    // A client that cannot go on after our ServerHello may answer in
    // plaintext (it has no handshake keys yet): the server reads that
    // alert, sends none of its own, and reports the client's reason.
    let unknown_ca = record(21, 0x0303, &[2, AlertDescription::UnknownCa.into()]);
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    written(&mut s);
    let err = deliver(&mut s, &unknown_ca).unwrap_err();
    assert_eq!(err, Error::AlertReceived(AlertDescription::UnknownCa));
    assert!(written(&mut s).is_empty());

    // Once a record opened under the client's handshake key, alerts come
    // protected: a plaintext one is unexpected_message.
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    let finished = written(&mut c);
    deliver(&mut s, &finished).unwrap();
    let err = deliver(&mut s, &unknown_ca).unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnexpectedMessage(UnexpectedMessageReason::ProtectedRecordType)
        ),
        "{err:?}"
    );
}

/// A ClientHello (as a record) whose server_name list is `names`.
fn client_hello_with_server_names(names: &[&[u8]]) -> Vec<u8> {
    use ferrotls::internal::msgs::enums::ServerNameType;
    use ferrotls::internal::msgs::extensions::{Extension, ServerName};
    let message = client_hello_message(client_builder("p256").build().unwrap());
    let HandshakeMessage::ClientHello(mut hello) =
        HandshakeMessage::decode_message(&message, &CX).unwrap()
    else {
        panic!("not a ClientHello")
    };
    let list = names
        .iter()
        .map(|name| ServerName {
            typ: ServerNameType::HostName,
            name: name.to_vec(),
        })
        .collect();
    let sni = hello
        .extensions
        .as_mut()
        .expect("the client sends extensions")
        .iter_mut()
        .find(|e| matches!(e, Extension::ServerName(_)))
        .expect("the client sends server_name");
    *sni = Extension::ServerName(list);
    record(
        22,
        0x0301,
        &HandshakeMessage::ClientHello(hello).to_bytes().unwrap(),
    )
}

#[test]
fn rfc6066_3_two_host_names_are_illegal_parameter() {
    let hello = client_hello_with_server_names(&[b"leaf.p256.test", b"www.leaf.p256.test"]);
    for versions in [TLS13, TLS12] {
        let (err, sent) = server_refuses_bytes(versions, &hello);
        assert!(
            matches!(
                err,
                Error::IllegalParameter(IllegalParameterReason::SeveralHostNames)
            ),
            "{err:?}"
        );
        assert_eq!(sent, alert(AlertDescription::IllegalParameter));
    }
}

#[test]
fn rfc6066_3_host_name_with_control_or_non_ascii_bytes_is_illegal_parameter() {
    let bad: [&[u8]; 5] = [
        b"leaf.p256.tes\0",
        b"leaf.p256.tes\x07",
        b"\x1b[31mleaf.p256.test",
        "léaf.p256.test".as_bytes(),
        b"leaf p256.test",
    ];
    for name in bad {
        for versions in [TLS13, TLS12] {
            let (err, sent) =
                server_refuses_bytes(versions, &client_hello_with_server_names(&[name]));
            assert!(
                matches!(
                    err,
                    Error::IllegalParameter(IllegalParameterReason::ServerNameNotAscii)
                ),
                "{name:?}: {err:?}"
            );
            assert_eq!(sent, alert(AlertDescription::IllegalParameter));
        }
    }
    // Letters, digits, '-', '.', '_' pass (and an unknown name is served
    // with the default certificate, RFC 6066 §3 allows continuing).
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    written(&mut c);
    deliver(
        &mut s,
        &client_hello_with_server_names(&[b"_srv.Leaf-1.p256.test"]),
    )
    .unwrap();
    assert_eq!(s.server_name(), Some("_srv.Leaf-1.p256.test"));
}

#[test]
fn rfc5246_7_2_2_tls12_warning_alerts_are_counted_not_fatal() {
    // Four warning alerts after the ClientHello leave the handshake going
    // (tlsfuzzer's "SSL Death Alert" test, CVE-2016-8610); a fifth is
    // refused.
    let warning = record(
        21,
        0x0303,
        &[1, AlertDescription::UnsupportedCertificate.into()],
    );
    for (alerts, ok) in [
        (DEFAULT_MAX_WARNING_ALERTS, true),
        (DEFAULT_MAX_WARNING_ALERTS + 1, false),
    ] {
        let client = client_builder("p256").versions(TLS12).build().unwrap();
        let server = server_builder("p256").versions(TLS12).build().unwrap();
        let (mut c, mut s) = pair(client, server, server_name("p256"));
        let mut flight = written(&mut c);
        flight.extend(warning.repeat(alerts));
        let result = deliver(&mut s, &flight);
        if ok {
            result.unwrap();
            transfer(&mut s, &mut c).1.unwrap();
            transfer(&mut c, &mut s).1.unwrap();
            transfer(&mut s, &mut c).1.unwrap();
            assert!(!s.is_handshaking() && !c.is_handshaking());
        } else {
            assert_eq!(
                result,
                Err(Error::LimitExceeded(LimitExceededReason::WarningAlerts))
            );
            assert_eq!(
                plaintext_alert(&written(&mut s)),
                alert(AlertDescription::IllegalParameter)
            );
        }
    }
}

#[test]
fn rfc8446_6_tls13_warning_level_alert_is_still_an_error() {
    let client = client_builder("p256").build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    written(&mut s);
    // Plaintext, as a client without keys would send it (read until the
    // client's first protected record).
    let warning = record(
        21,
        0x0303,
        &[1, AlertDescription::UnsupportedCertificate.into()],
    );
    assert_eq!(
        deliver(&mut s, &warning),
        Err(Error::AlertReceived(
            AlertDescription::UnsupportedCertificate
        ))
    );
}

#[test]
fn rfc8422_5_1_tls12_client_without_supported_groups_gets_secp256r1() {
    // Such a client predates X25519 (RFC 4492): the server, which prefers
    // X25519 in TLS 1.2 (after the TLS 1.3-only hybrid), answers it with
    // secp256r1.
    use ferrotls::internal::msgs::extensions::Extension;
    use ferrotls::NamedGroup;
    let client = client_builder("p256").versions(TLS12).build().unwrap();
    let message = client_hello_message(client);
    let HandshakeMessage::ClientHello(mut hello) =
        HandshakeMessage::decode_message(&message, &CX).unwrap()
    else {
        panic!("not a ClientHello")
    };
    hello
        .extensions
        .as_mut()
        .unwrap()
        .retain(|e| !matches!(e, Extension::SupportedGroups(_)));
    let bytes = record(
        22,
        0x0301,
        &HandshakeMessage::ClientHello(hello).to_bytes().unwrap(),
    );
    let server = server_builder("p256").versions(TLS12).build().unwrap();
    assert_eq!(
        server.common.groups[..2],
        [NamedGroup::X25519MLKEM768, NamedGroup::X25519]
    );
    let mut s = ServerConnection::new(server);
    deliver(&mut s, &bytes).unwrap();
    assert_eq!(s.negotiated_group(), Some(NamedGroup::secp256r1));
}
