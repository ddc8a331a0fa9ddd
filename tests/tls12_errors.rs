//! TLS 1.2 refusals in memory: renegotiation refused in both directions
//! without breaking the connection, and malformed or out-of-order
//! messages each ending the handshake with their RFC 5246 alert.

mod common;

use ferrotls::internal::error::{
    DecodeReason, DecryptErrorReason, HandshakeFailureReason, IllegalParameterReason,
    LimitExceededReason, ProtocolVersionReason, UnexpectedMessageReason,
    UnsupportedExtensionReason,
};
use std::sync::Arc;

use common::*;
use ferrotls::internal::crypto::aead::AeadAlgorithm;
use ferrotls::internal::crypto::hash::HashAlgorithm;
use ferrotls::internal::keyschedule::tls12::{KeyBlockLengths, MasterSecret};
use ferrotls::internal::msgs::enums::{Compression, EcPointFormat};
use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::hello::ServerHello;
use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
use ferrotls::internal::record::{RecordProtection, Tls12AeadProtection};
use ferrotls::{
    AlertDescription, CipherSuite, ClientConfig, ClientConfigBuilder, ClientConnection, Connection,
    Error, NamedGroup, ProtocolVersion, ServerConfig, ServerConnection, SignatureScheme,
};
#[cfg(feature = "legacy")]
use ferrotls::{TLS12_CBC_CIPHER_SUITES, TLS12_CIPHER_SUITES, TLS13_CIPHER_SUITES};

const TLS12: &[ProtocolVersion] = &[ProtocolVersion::TLSv1_2];
const SUITE: CipherSuite = CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;

const CX: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_2,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 12,
};

fn configs(keys: Arc<CapturedSecrets>) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    configs_with(keys, |b| b)
}

/// [`configs`], with the client's builder passed through `client`.
fn configs_with(
    keys: Arc<CapturedSecrets>,
    client: impl FnOnce(ClientConfigBuilder) -> ClientConfigBuilder,
) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    (
        client(
            client_builder("p256")
                .versions(TLS12)
                .cipher_suites(&[SUITE])
                .key_log(keys),
        )
        .build()
        .unwrap(),
        server_builder("p256").versions(TLS12).build().unwrap(),
    )
}

/// AES-128-GCM record protection for the client's (`client == true`) or
/// the server's writes, from the logged master secret and the hello
/// randoms (RFC 5246 §6.3, RFC 5288 §3) — built from the public
/// key-schedule functions, not from the connection.
fn protection(
    master: &[u8],
    client_random: &[u8],
    server_random: &[u8],
    client: bool,
) -> Tls12AeadProtection {
    let master = MasterSecret::from_bytes(HashAlgorithm::Sha256, master).unwrap();
    let block = master
        .key_block(
            KeyBlockLengths {
                mac_key_len: 0,
                enc_key_len: 16,
                fixed_iv_len: 4,
            },
            client_random.try_into().unwrap(),
            server_random.try_into().unwrap(),
        )
        .unwrap();
    let (key, iv) = if client {
        (block.client_write_key, block.client_write_iv)
    } else {
        (block.server_write_key, block.server_write_iv)
    };
    Tls12AeadProtection::new(AeadAlgorithm::Aes128Gcm, key.as_bytes(), iv.as_bytes()).unwrap()
}

/// A handshake run step by step, keeping both hello randoms.
struct Session {
    c: ClientConnection,
    s: ServerConnection,
    keys: Arc<CapturedSecrets>,
    client_random: Vec<u8>,
    server_random: Vec<u8>,
}

impl Session {
    fn new() -> Self {
        Self::with_client(|b| b)
    }

    /// A session whose client's builder is passed through `client`.
    fn with_client(client: impl FnOnce(ClientConfigBuilder) -> ClientConfigBuilder) -> Self {
        let keys = Arc::new(CapturedSecrets::default());
        let (client, server) = configs_with(keys.clone(), client);
        let (mut c, mut s) = pair(client, server, server_name("p256"));
        let mut client_random = Vec::new();
        let mut server_random = Vec::new();
        transfer_altered(&mut c, &mut s, |b| client_random = b[11..43].to_vec())
            .1
            .unwrap();
        transfer_altered(&mut s, &mut c, |b| server_random = b[11..43].to_vec())
            .1
            .unwrap();
        handshake(&mut c, &mut s);
        Self {
            c,
            s,
            keys,
            client_random,
            server_random,
        }
    }

    /// A record of `content_type` carrying `payload`, sealed as the client
    /// (or server) would seal its record number `seq`.
    fn sealed(&self, client: bool, seq: u64, content_type: u8, payload: &[u8]) -> Vec<u8> {
        let mut p = protection(
            &self.keys.get("CLIENT_RANDOM"),
            &self.client_random,
            &self.server_random,
            client,
        );
        // GCM: room for the 8-byte explicit nonce before the plaintext.
        let mut record = vec![content_type, 3, 3];
        record.extend_from_slice(&(8 + payload.len() as u16).to_be_bytes());
        record.extend_from_slice(&[0; 8]);
        record.extend_from_slice(payload);
        p.seal(seq, &mut record, 0).unwrap();
        record
    }

    /// Opens a record written by the client (or server) as its number
    /// `seq`; returns the content type and plaintext.
    fn open(&self, client: bool, seq: u64, mut record: Vec<u8>) -> (u8, Vec<u8>) {
        let mut p = protection(
            &self.keys.get("CLIENT_RANDOM"),
            &self.client_random,
            &self.server_random,
            client,
        );
        let opened = p.open(seq, &mut record).unwrap();
        (
            u8::from(opened.content_type),
            record[opened.plaintext].to_vec(),
        )
    }
}

fn deliver(to: &mut Connection, bytes: &[u8]) -> Result<(), Error> {
    to.read_tls(&mut &bytes[..]).unwrap();
    to.process_new_packets().map(|_| ())
}

fn read_all(conn: &mut Connection) -> Vec<u8> {
    use std::io::Read;
    let mut buf = vec![0u8; 256];
    let n = conn.reader().read(&mut buf).unwrap();
    buf.truncate(n);
    buf
}

fn written(conn: &mut Connection) -> Vec<u8> {
    let mut out = Vec::new();
    while conn.wants_write() {
        conn.write_tls(&mut out).unwrap();
    }
    out
}

const NO_RENEGOTIATION: [u8; 2] = [1, 100];

#[test]
fn client_refuses_hello_request_with_a_warning_and_carries_on() {
    let mut t = Session::new();
    // The server's Finished was its record 0; a HelloRequest is record 1.
    let hello_request = t.sealed(false, 1, 22, &[0, 0, 0, 0]);
    deliver(&mut t.c, &hello_request).unwrap();
    let reply = written(&mut t.c);
    // The client's Finished was its record 0; the warning is record 1.
    assert_eq!(
        t.open(true, 1, reply.clone()),
        (21, NO_RENEGOTIATION.to_vec())
    );
    // The server takes the warning and the connection carries on both
    // ways (the server's next record is 2 for the client now).
    deliver(&mut t.s, &reply).unwrap();
    send_and_check(&mut t.c, &mut t.s, b"still here");
    let data = t.sealed(false, 2, 23, b"server data");
    deliver(&mut t.c, &data).unwrap();
    assert_eq!(read_all(&mut t.c), b"server data");
}

#[test]
fn server_refuses_a_renegotiating_client_hello_with_a_warning_and_carries_on() {
    let mut t = Session::new();
    let (client, _) = configs(Arc::new(CapturedSecrets::default()));
    let mut fresh = ClientConnection::new(client, server_name("p256")).unwrap();
    let hello = records(&written(&mut fresh))[0][5..].to_vec();
    let renegotiation = t.sealed(true, 1, 22, &hello);
    deliver(&mut t.s, &renegotiation).unwrap();
    let reply = written(&mut t.s);
    assert_eq!(
        t.open(false, 1, reply.clone()),
        (21, NO_RENEGOTIATION.to_vec())
    );
    deliver(&mut t.c, &reply).unwrap();
    send_and_check(&mut t.s, &mut t.c, b"still here");
    let data = t.sealed(true, 2, 23, b"client data");
    deliver(&mut t.s, &data).unwrap();
    assert_eq!(read_all(&mut t.s), b"client data");
}

// ---- malformed and out-of-order messages ----

/// Runs the server's first flight, altered, into a fresh client; returns
/// the client's error and the alert it sent.
fn client_refuses(edit: impl FnOnce(&mut Vec<Vec<u8>>)) -> (Error, Option<u8>) {
    client_refuses_with(|b| b, edit)
}

/// [`client_refuses`], with the client's builder passed through `client`.
fn client_refuses_with(
    client: impl FnOnce(ClientConfigBuilder) -> ClientConfigBuilder,
    edit: impl FnOnce(&mut Vec<Vec<u8>>),
) -> (Error, Option<u8>) {
    let (client, server) = configs_with(Arc::new(CapturedSecrets::default()), client);
    refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Client,
        1,
        |b| edit_plaintext_flight(b, edit),
    )
}

/// Runs the client's second flight, altered by `edit` at record level,
/// into the server; returns the server's error and alert.
fn server_refuses(edit: impl FnOnce(&mut Vec<Vec<u8>>)) -> (Error, Option<u8>) {
    let (client, server) = configs(Arc::new(CapturedSecrets::default()));
    refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Server,
        2,
        |b| {
            let mut recs = records(b);
            edit(&mut recs);
            *b = recs.concat();
        },
    )
}

/// Server flight message indexes: ServerHello, Certificate,
/// ServerKeyExchange, ServerHelloDone.
const SH: usize = 0;
const CERT: usize = 1;
const SKE: usize = 2;

fn alert(description: AlertDescription) -> Option<u8> {
    Some(description.into())
}

/// Re-encodes the ServerHello of a server flight's `messages` after
/// `edit`.
fn edit_server_hello(messages: &mut [Vec<u8>], edit: impl FnOnce(&mut ServerHello)) {
    let HandshakeMessage::ServerHello(mut hello) =
        HandshakeMessage::decode_message(&messages[SH], &CX).unwrap()
    else {
        panic!("not a ServerHello")
    };
    edit(&mut hello);
    messages[SH] = HandshakeMessage::ServerHello(hello).to_bytes().unwrap();
}

/// A client of `client` refusing the plaintext ServerHello of a server
/// of `server` (serving `key_type`'s chain), changed by `edit`: its
/// error and alert.
fn client_refuses_server_hello_of(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
    key_type: &str,
    edit: impl FnOnce(&mut ServerHello),
) -> (Error, Option<u8>) {
    refuses(
        client,
        server,
        server_name(key_type),
        Refuser::Client,
        1,
        |b| edit_plaintext_flight(b, |m| edit_server_hello(m, edit)),
    )
}

#[test]
fn missing_certificate_is_unexpected_message() {
    let (err, a) = client_refuses(|m| {
        m.remove(CERT);
    });
    assert!(
        matches!(
            err,
            Error::UnexpectedMessage(UnexpectedMessageReason::ExpectedCertificate)
        ),
        "{err:?}"
    );
    assert_eq!(a, alert(AlertDescription::UnexpectedMessage));
}

#[test]
fn missing_server_key_exchange_is_unexpected_message() {
    let (err, a) = client_refuses(|m| {
        m.remove(SKE);
    });
    assert!(
        matches!(
            err,
            Error::UnexpectedMessage(UnexpectedMessageReason::ExpectedServerKeyExchange)
        ),
        "{err:?}"
    );
    assert_eq!(a, alert(AlertDescription::UnexpectedMessage));
}

#[test]
fn server_hello_with_trailing_bytes_is_decode_error() {
    let (err, a) = client_refuses(|m| {
        let sh = &mut m[SH];
        sh.push(0);
        let len = (sh.len() - 4) as u32;
        sh[1..4].copy_from_slice(&len.to_be_bytes()[1..]);
    });
    assert!(
        matches!(err, Error::Decode(DecodeReason::TrailingBytes)),
        "{err:?}"
    );
    assert_eq!(a, alert(AlertDescription::DecodeError));
}

#[test]
fn server_hello_with_a_suite_not_offered_is_illegal_parameter() {
    let (err, a) = client_refuses(|m| {
        // Suite after header (4), version (2), random (32), ID (1 + 32).
        m[SH][71..73].copy_from_slice(&[0xc0, 0x30]);
    });
    assert!(
        matches!(
            err,
            Error::IllegalParameter(IllegalParameterReason::SuiteNotOffered)
        ),
        "{err:?}"
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn rfc7301_3_1_alpn_answer_naming_another_or_two_protocols_is_illegal_parameter() {
    let answers: [&[&[u8]]; 2] = [&[b"spdy/3"], &[b"h2", b"http/1.1"]];
    for answer in answers {
        let client = client_builder("p256")
            .versions(TLS12)
            .cipher_suites(&[SUITE])
            .alpn_protocols(&[b"h2", b"http/1.1"])
            .build()
            .unwrap();
        let server = server_builder("p256")
            .versions(TLS12)
            .alpn_protocols(&[b"h2"])
            .build()
            .unwrap();
        let (err, a) = client_refuses_server_hello_of(client, server, "p256", |hello| {
            for e in hello.extensions.as_mut().unwrap() {
                if let Extension::Alpn(protocols) = e {
                    *protocols = answer.iter().map(|p| p.to_vec()).collect();
                }
            }
        });
        assert_eq!(
            err,
            Error::IllegalParameter(IllegalParameterReason::AlpnNotOffered),
            "{answer:?}"
        );
        assert_eq!(a, alert(AlertDescription::IllegalParameter));
    }
}

#[test]
fn server_key_exchange_with_a_bad_signature_is_decrypt_error() {
    let (err, a) = client_refuses(|m| {
        let last = m[SKE].len() - 1;
        m[SKE][last] ^= 1;
    });
    assert!(
        matches!(err, Error::DecryptError(DecryptErrorReason::BadSignature)),
        "{err:?}"
    );
    assert_eq!(a, alert(AlertDescription::DecryptError));
}

#[test]
fn rfc5246_7_4_1_4_1_server_key_exchange_with_a_scheme_not_offered_is_illegal_parameter() {
    // We offer ecdsa_secp256r1_sha256 alone; the server's signature is
    // relabelled ecdsa_secp384r1_sha384.
    let (err, a) = client_refuses_with(
        |b| b.signature_schemes(&[SignatureScheme::ecdsa_secp256r1_sha256]),
        |m| {
            let HandshakeMessage::ServerKeyExchange(mut ske) =
                HandshakeMessage::decode_message(&m[SKE], &CX).unwrap()
            else {
                panic!("not a ServerKeyExchange")
            };
            assert_eq!(
                ske.signature.scheme,
                Some(SignatureScheme::ecdsa_secp256r1_sha256)
            );
            ske.signature.scheme = Some(SignatureScheme::ecdsa_secp384r1_sha384);
            m[SKE] = HandshakeMessage::ServerKeyExchange(ske).to_bytes().unwrap();
        },
    );
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::SchemeNotOffered)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn server_key_exchange_with_explicit_curve_is_illegal_parameter() {
    let (err, a) = client_refuses(|m| m[SKE][4] = 1);
    assert!(
        matches!(
            err,
            Error::IllegalParameter(IllegalParameterReason::CurveTypeNotNamed)
        ),
        "{err:?}"
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn rfc5077_3_3_no_new_session_ticket_after_the_ticket_acknowledgement_is_unexpected_message() {
    // The ServerHello acknowledged session_ticket, so a NewSessionTicket
    // (empty if need be) must precede the server's ChangeCipherSpec.
    let (client, server) = configs(Arc::new(CapturedSecrets::default()));
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    let err = transfer_altered(&mut s, &mut c, |b| {
        let mut recs = records(b);
        assert_eq!(
            (recs[0][0], recs[0][5], recs[1][0]),
            (HANDSHAKE, 4, 20),
            "NewSessionTicket, then ChangeCipherSpec"
        );
        recs.remove(0);
        *b = recs.concat();
    })
    .1
    .unwrap_err();
    assert_eq!(
        err,
        Error::UnexpectedMessage(UnexpectedMessageReason::ExpectedNewSessionTicket)
    );
    // Our alert goes under the new keys, after our ChangeCipherSpec.
    assert_eq!(
        transfer(&mut c, &mut s).1,
        Err(Error::AlertReceived(AlertDescription::UnexpectedMessage))
    );
}

#[test]
fn finished_without_change_cipher_spec_is_unexpected_message() {
    // The client's flight: ClientKeyExchange, ChangeCipherSpec, Finished.
    let (err, a) = server_refuses(|recs| {
        assert_eq!(recs[1][0], 20);
        recs.remove(1);
    });
    assert!(
        matches!(
            err,
            Error::UnexpectedMessage(UnexpectedMessageReason::ExpectedFinished)
        ),
        "{err:?}"
    );
    assert_eq!(a, alert(AlertDescription::UnexpectedMessage));
}

#[test]
fn change_cipher_spec_before_the_key_exchange_is_unexpected_message() {
    let (err, a) = server_refuses(|recs| {
        let ccs = recs[1].clone();
        recs.insert(0, ccs);
    });
    assert!(
        matches!(
            err,
            Error::UnexpectedMessage(UnexpectedMessageReason::CcsNotAllowed)
        ),
        "{err:?}"
    );
    assert_eq!(a, alert(AlertDescription::UnexpectedMessage));
}

#[test]
fn altered_finished_record_is_bad_record_mac() {
    let (err, a) = server_refuses(|recs| {
        let last = recs[2].len() - 1;
        recs[2][last] ^= 1;
    });
    assert_eq!(err, Error::BadRecordMac);
    assert_eq!(a, alert(AlertDescription::BadRecordMac));
}

/// The server's error and alert when the client offers only `group` and
/// `edit` alters the public key in its ClientKeyExchange (the bytes after
/// the record header (5), the handshake header (4) and the ECPoint length
/// byte).
fn server_refuses_client_point(
    group: NamedGroup,
    edit: impl FnOnce(&mut [u8]),
) -> (Error, Option<u8>) {
    let client = client_builder("p256")
        .versions(TLS12)
        .cipher_suites(&[SUITE])
        .groups(&groups_for("p256", group))
        .build()
        .unwrap();
    let server = server_builder("p256")
        .versions(TLS12)
        .groups(&[group])
        .build()
        .unwrap();
    refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Server,
        2,
        |b| {
            let mut recs = records(b);
            let len = usize::from(recs[0][9]);
            edit(&mut recs[0][10..10 + len]);
            *b = recs.concat();
        },
    )
}

#[test]
fn client_key_exchange_with_a_p521_point_off_the_curve_is_illegal_parameter() {
    // RFC 8422 §5.4.1: the point must be on the curve; flipping y's last
    // bit moves it off.
    let (err, a) = server_refuses_client_point(NamedGroup::secp521r1, |point| {
        assert_eq!(point.len(), 133);
        point[132] ^= 1;
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::KeyShareInvalid)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn client_key_exchange_with_an_x448_zero_point_is_illegal_parameter() {
    // u = 0 gives the all-zero X448 output (RFC 7748 §6.2, RFC 8422 §5.11).
    let (err, a) = server_refuses_client_point(NamedGroup::X448, |point| {
        assert_eq!(point.len(), 56);
        point.fill(0);
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::KeyShareInvalid)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn client_key_exchange_with_a_bad_length_is_decode_error() {
    let (err, a) = server_refuses(|recs| {
        // ClientKeyExchange: record header (5), handshake header (4),
        // then the point's length byte.
        recs[0][9] -= 1;
    });
    assert!(
        matches!(err, Error::Decode(DecodeReason::TrailingBytes)),
        "{err:?}"
    );
    assert_eq!(a, alert(AlertDescription::DecodeError));
}

#[test]
fn application_data_before_the_handshake_completes_is_unexpected_message() {
    let (client, server) = configs(Arc::new(CapturedSecrets::default()));
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let err = deliver(&mut s, &[23, 3, 3, 0, 1, 0]).unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnexpectedMessage(UnexpectedMessageReason::DataBeforeHandshake)
        ),
        "{err:?}"
    );
    assert_eq!(
        plaintext_alert(&written(&mut s)),
        alert(AlertDescription::UnexpectedMessage)
    );
}

/// A change to a ClientHello.
type Edit = Box<dyn Fn(&mut ferrotls::internal::msgs::hello::ClientHello)>;

#[test]
fn client_hello_refusals_carry_their_reasons_and_alerts() {
    // RFC 5746 §3.6, RFC 5246 §7.4.1.2, RFC 8422 §5.1.2, RFC 5246 §7.4.1.2.
    let cases: Vec<(Edit, Error)> = vec![
        (
            Box::new(|h| {
                for e in h.extensions.as_mut().unwrap() {
                    if let Extension::RenegotiationInfo(data) = e {
                        *data = vec![1; 12];
                    }
                }
            }),
            Error::HandshakeFailure(HandshakeFailureReason::RenegotiationInfoNotEmpty),
        ),
        (
            Box::new(|h| h.compression_methods = [Compression::Unknown(1)].into()),
            Error::IllegalParameter(IllegalParameterReason::NullCompressionMissing),
        ),
        (
            Box::new(|h| {
                for e in h.extensions.as_mut().unwrap() {
                    if let Extension::EcPointFormats(f) = e {
                        *f = [EcPointFormat::AnsiX962CompressedPrime].into();
                    }
                }
            }),
            Error::IllegalParameter(IllegalParameterReason::ClientPointFormats),
        ),
        (
            Box::new(|h| {
                h.cipher_suites = [CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256].into()
            }),
            Error::HandshakeFailure(HandshakeFailureReason::NoSuiteAndCertificate),
        ),
    ];
    for (edit, expected) in cases {
        let (client, server) = configs(Arc::new(CapturedSecrets::default()));
        let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
        let mut bytes = written(&mut c);
        edit_plaintext_flight(&mut bytes, |m| {
            let HandshakeMessage::ClientHello(mut hello) =
                HandshakeMessage::decode_message(&m[0], &CX).unwrap()
            else {
                panic!()
            };
            edit(&mut hello);
            m[0] = HandshakeMessage::ClientHello(hello).to_bytes().unwrap();
        });
        let mut s = ServerConnection::new(server);
        let err = deliver(&mut s, &bytes).unwrap_err();
        assert_eq!(err, expected);
        let alert = expected.alert().unwrap();
        assert_eq!(plaintext_alert(&written(&mut s)), Some(alert.into()));
    }
}

/// A change to a ServerHello.
type ServerHelloEdit = fn(&mut ServerHello);

#[test]
fn server_hello_refusals_carry_their_reasons_and_alerts() {
    // RFC 5746 §3.4, RFC 5246 §7.4.1.4 (encrypt_then_mac not asked
    // for), RFC 5077 §3.2, RFC 8422 §5.2 (the uncompressed form is
    // mandatory).
    let cases: [(ServerHelloEdit, Error); 4] = [
        (
            |h| {
                for e in h.extensions.as_mut().unwrap() {
                    if let Extension::RenegotiationInfo(data) = e {
                        *data = vec![1; 24];
                    }
                }
            },
            Error::HandshakeFailure(HandshakeFailureReason::RenegotiationInfoNotEmpty),
        ),
        (
            |h| {
                h.extensions
                    .as_mut()
                    .unwrap()
                    .push(Extension::EncryptThenMac)
            },
            // RFC 5246 §7.4.1.4: we offered no CBC suite, so did not ask.
            Error::UnsupportedExtension(UnsupportedExtensionReason::NotOffered),
        ),
        (
            |h| {
                let extensions = h.extensions.as_mut().unwrap();
                extensions.retain(|e| !matches!(e, Extension::SessionTicket(_)));
                extensions.push(Extension::SessionTicket(vec![1]));
            },
            Error::Decode(DecodeReason::TicketAckNotEmpty),
        ),
        (
            |h| {
                let extensions = h.extensions.as_mut().unwrap();
                extensions.retain(|e| !matches!(e, Extension::EcPointFormats(_)));
                extensions.push(Extension::EcPointFormats(
                    [EcPointFormat::AnsiX962CompressedPrime].into(),
                ));
            },
            Error::IllegalParameter(IllegalParameterReason::ServerPointFormats),
        ),
    ];
    for (edit, expected) in cases {
        let (err, a) = client_refuses(|m| edit_server_hello(m, edit));
        assert_eq!(err, expected);
        assert_eq!(a, expected.alert().map(u8::from));
    }
}

/// RFC 7366 §2: a server that chose an AEAD suite "MUST NOT send an
/// encrypt-then-MAC response extension" to a client that asked for one
/// (it offered CBC suites too): illegal_parameter.
#[cfg(feature = "legacy")]
#[test]
fn rfc7366_2_encrypt_then_mac_answered_for_an_aead_suite_is_illegal_parameter() {
    let suites = [
        TLS13_CIPHER_SUITES,
        TLS12_CIPHER_SUITES,
        TLS12_CBC_CIPHER_SUITES,
    ]
    .concat();
    let (err, alert) = client_refuses_with(
        |b| b.cipher_suites(&suites),
        |m| {
            edit_server_hello(m, |h| {
                h.extensions
                    .as_mut()
                    .unwrap()
                    .push(Extension::EncryptThenMac)
            })
        },
    );
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::EtmWithoutCbc)
    );
    assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
}

#[test]
fn rfc5246_7_4_1_3_server_hello_compression_other_than_null_is_illegal_parameter() {
    // We offer the null method alone: the server must choose it.
    let (err, a) =
        client_refuses(|m| edit_server_hello(m, |h| h.compression_method = Compression::Deflate));
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::CompressionNotNull)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn rfc6066_3_server_name_acknowledged_when_we_sent_none_is_unsupported_extension() {
    // RFC 5246 §7.4.1.4: an extension type in the ServerHello that the
    // ClientHello did not carry.
    let (err, a) = client_refuses_with(
        |b| b.enable_sni(false),
        |m| {
            edit_server_hello(m, |h| {
                let extensions = h.extensions.as_mut().unwrap();
                assert!(!extensions.contains(&Extension::ServerNameAck));
                extensions.push(Extension::ServerNameAck);
            })
        },
    );
    assert_eq!(
        err,
        Error::UnsupportedExtension(UnsupportedExtensionReason::NotOffered)
    );
    assert_eq!(a, alert(AlertDescription::UnsupportedExtension));
}

#[test]
fn supported_groups_echoed_in_a_tls12_server_hello_is_ignored() {
    // Some servers echo it; RFC 8422 §5.1 defines it for the ClientHello
    // only and RFC 5246 §7.4.1.4 forbids only what the client did not send.
    let (client, server) = configs(Arc::new(CapturedSecrets::default()));
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    transfer_altered(&mut s, &mut c, |b| {
        edit_plaintext_flight(b, |m| {
            edit_server_hello(m, |h| {
                h.extensions
                    .as_mut()
                    .unwrap()
                    .push(Extension::SupportedGroups([NamedGroup::X25519].into()))
            })
        })
    })
    .1
    .unwrap();
    assert!(c.wants_write(), "the client goes on to its key exchange");
}

#[test]
fn rfc5246_7_4_2_server_key_unfit_for_the_suite_is_illegal_parameter() {
    // The RSA server chose ECDHE_RSA; the ServerHello is rewritten to
    // ECDHE_ECDSA, which the client also offered: "The end entity
    // certificate's public key (and associated restrictions) MUST be
    // compatible with the selected key exchange algorithm." OpenSSL and
    // BoringSSL answer illegal_parameter too.
    let suites = [CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, SUITE];
    let client = client_builder("rsa2048")
        .versions(TLS12)
        .cipher_suites(&suites)
        .build()
        .unwrap();
    let server = server_builder("rsa2048").versions(TLS12).build().unwrap();
    let (err, a) = client_refuses_server_hello_of(client, server, "rsa2048", |h| {
        assert_eq!(h.cipher_suite, suites[0]);
        h.cipher_suite = SUITE;
    });
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::KeyDoesNotFitSuite)
    );
    assert_eq!(a, alert(AlertDescription::IllegalParameter));
}

#[test]
fn renegotiation_attempts_are_bounded_by_the_configured_limit() {
    for limit in [ferrotls::DEFAULT_MAX_REFUSED_RENEGOTIATIONS, 1] {
        let mut t = Session::with_client(|b| {
            b.limits(ferrotls::Limits {
                max_refused_renegotiations: limit,
                ..Default::default()
            })
        });
        let limit = limit as u64;
        for seq in 1..=limit {
            let hello_request = t.sealed(false, seq, 22, &[0, 0, 0, 0]);
            deliver(&mut t.c, &hello_request).unwrap();
        }
        let hello_request = t.sealed(false, limit + 1, 22, &[0, 0, 0, 0]);
        let err = deliver(&mut t.c, &hello_request).unwrap_err();
        assert!(
            matches!(
                err,
                Error::LimitExceeded(LimitExceededReason::Renegotiations)
            ),
            "{err:?}"
        );
    }
}

/// The server asks for a renegotiation (a HelloRequest), the client
/// answers with its ClientHello, and `server_hello` (an encoded handshake
/// message) comes back sealed as the server's next record. Returns the
/// client's error and the content type and payload of the record it
/// then sealed (the alert).
fn renegotiation_answered_with(server_hello: &[u8]) -> (Error, (u8, Vec<u8>)) {
    let mut t = Session::with_client(|b| b.renegotiation(true));
    let hello_request = t.sealed(false, 1, 22, &[0, 0, 0, 0]);
    deliver(&mut t.c, &hello_request).unwrap();
    let renegotiation = written(&mut t.c);
    let (typ, hello) = t.open(true, 1, renegotiation);
    assert_eq!((typ, hello[0]), (22, 1), "the renegotiating ClientHello");
    let server_hello = t.sealed(false, 2, 22, server_hello);
    let err = deliver(&mut t.c, &server_hello).unwrap_err();
    let alert = written(&mut t.c);
    (err, t.open(true, 2, alert))
}

#[test]
fn rfc9846_4_1_3_tls13_server_hello_in_a_renegotiation_is_protocol_version() {
    // A TLS 1.3 ServerHello: legacy_version 0x0303, no session ID,
    // TLS_AES_128_GCM_SHA256, supported_versions selecting 0x0304 and an
    // X25519 key share.
    let mut body = vec![3, 3];
    body.extend_from_slice(&[0x42; 32]);
    body.extend_from_slice(&[0, 0x13, 0x01, 0]);
    body.extend_from_slice(&[0, 46, 0, 43, 0, 2, 3, 4, 0, 51, 0, 36, 0, 29, 0, 32]);
    body.extend_from_slice(&[9; 32]);
    let mut server_hello = vec![2, 0, 0, body.len() as u8];
    server_hello.extend_from_slice(&body);
    let (err, alert) = renegotiation_answered_with(&server_hello);
    assert_eq!(
        err,
        Error::ProtocolVersion(ProtocolVersionReason::Tls13InRenegotiation)
    );
    assert_eq!(
        alert,
        (21, vec![2, AlertDescription::ProtocolVersion.into()])
    );
}

#[test]
fn rfc5746_3_5_renegotiation_server_hello_without_renegotiation_info_is_handshake_failure() {
    // "the client MUST verify that the "renegotiation_info" extension is
    // present; if it is not, the client MUST abort the handshake."
    let server_hello = HandshakeMessage::ServerHello(ServerHello {
        legacy_version: ProtocolVersion::TLSv1_2,
        random: [0x42; 32],
        session_id: Default::default(),
        cipher_suite: SUITE,
        compression_method: Compression::Null,
        extensions: Some(vec![Extension::ExtendedMasterSecret]),
    });
    let (err, alert) = renegotiation_answered_with(&server_hello.to_bytes().unwrap());
    assert_eq!(
        err,
        Error::HandshakeFailure(HandshakeFailureReason::RenegotiationInfoMissing)
    );
    assert_eq!(
        alert,
        (21, vec![2, AlertDescription::HandshakeFailure.into()])
    );
}
