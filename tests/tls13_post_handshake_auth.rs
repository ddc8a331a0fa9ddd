//! TLS 1.3 post-handshake client authentication (RFC 8446 §4.6.2)
//! between a ferrotls client and server in memory: the client offers
//! post_handshake_auth when it has a certificate, the server asks after
//! the handshake with `ServerConnection::request_client_certificate`, and
//! the verified chain lands in `peer_certificates()`. The bad cases end
//! with the alert RFC 8446 names for them.

mod common;

use std::io::{Read, Write};
use std::sync::Arc;

use common::*;
use ferrotls::internal::error::{
    DecryptErrorReason, IllegalParameterReason, InvalidRequestReason, UnexpectedMessageReason,
};
use ferrotls::internal::msgs::certificate::CertificateRequestTls13;
use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
use ferrotls::{
    AlertDescription, ClientAuth, ClientCertVerifier, ClientConfig, ClientConnection, Error,
    ExternalPsk, ExternalPsks, HashAlgorithm, ProtocolVersion, ServerConfig, ServerConfigBuilder,
    ServerConnection, SignatureScheme, WebPkiClientVerifier, DEFAULT_CERTIFICATE_COMPRESSION,
    MAX_OUTSTANDING_CERTIFICATE_REQUESTS,
};

const CERTIFICATE: u8 = 11;
const CERTIFICATE_REQUEST: u8 = 13;
const CERTIFICATE_VERIFY: u8 = 15;
const COMPRESSED_CERTIFICATE: u8 = 25;
const FINISHED: u8 = 20;

/// How post-handshake messages decode (TLS 1.3, SHA-256 Finished).
const CX: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_3,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 32,
};

/// A client with the P-384 certificate (so it offers post_handshake_auth)
/// logging its secrets into `secrets`, on TLS_AES_128_GCM_SHA256.
fn client_with_certificate(secrets: &Arc<CapturedSecrets>) -> Arc<ClientConfig> {
    logged_aes128_client("p256", secrets)
        .client_certificate(certified_key("p384"))
        .build()
        .unwrap()
}

/// A server that sends no tickets (so its first application record is the
/// request) and asks for certificates under the P-384 root after the
/// handshake, `required` or optional; none during it.
fn server(required: bool) -> Arc<ServerConfig> {
    server_builder_for(required).build().unwrap()
}

fn server_builder_for(required: bool) -> ServerConfigBuilder {
    let verifier = Arc::new(WebPkiClientVerifier::new(roots("p384")));
    let mode = if required {
        ClientAuth::Required(verifier)
    } else {
        ClientAuth::Optional(verifier)
    };
    server_builder("p256")
        .tickets(0)
        .post_handshake_client_auth(mode)
}

/// [`server`] without certificate compression, so that answers come as
/// plain Certificate messages a test can edit.
fn uncompressed_server(required: bool) -> Arc<ServerConfig> {
    server_builder_for(required)
        .certificate_compression(&[])
        .build()
        .unwrap()
}

/// A handshake between [`client_with_certificate`] and `server`, then a
/// post-handshake CertificateRequest delivered to the client.
fn requested(
    secrets: &Arc<CapturedSecrets>,
    server: Arc<ServerConfig>,
) -> (ClientConnection, ServerConnection) {
    let (mut c, mut s) = handshaken(
        client_with_certificate(secrets),
        server,
        server_name("p256"),
    );
    s.request_client_certificate().unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    (c, s)
}

fn find(messages: &mut [Vec<u8>], typ: u8) -> &mut Vec<u8> {
    messages.iter_mut().find(|m| m[0] == typ).unwrap()
}

/// The records of `side` sent since the handshake, all under its first
/// application traffic secret (`label`), edited message by message.
fn edit_answer(
    flight: &mut Vec<u8>,
    secrets: &CapturedSecrets,
    label: &str,
    edit: impl FnOnce(&mut Vec<Vec<u8>>),
) {
    edit_encrypted_flight(flight, &secrets.get(label), edit)
}

#[test]
fn a_requested_certificate_becomes_the_peer_certificate() {
    let secrets = Arc::new(CapturedSecrets::default());
    let (mut c, mut s) = handshaken(
        client_with_certificate(&secrets),
        server(true),
        server_name("p256"),
    );
    assert!(
        s.peer_certificates().is_empty(),
        "none asked in the handshake"
    );
    assert_eq!(s.pending_certificate_requests(), 0);
    s.request_client_certificate().unwrap();
    assert_eq!(s.pending_certificate_requests(), 1);
    transfer(&mut s, &mut c).1.unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    assert_eq!(s.pending_certificate_requests(), 0);
    assert_eq!(s.peer_certificates(), certified_key("p384").chain());
    // Traffic goes on both ways, and a second request works too.
    send_and_check(&mut c, &mut s, b"after");
    send_and_check(&mut s, &mut c, b"and back");
    s.request_client_certificate().unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    assert_eq!(s.pending_certificate_requests(), 0);
    assert_eq!(s.peer_certificates(), certified_key("p384").chain());
}

#[test]
fn the_client_offers_the_extension_only_with_a_certificate_and_the_switch_on() {
    let secrets = Arc::new(CapturedSecrets::default());
    let cases = [
        (client_with_certificate(&secrets), true),
        (client_builder("p256").build().unwrap(), false),
        (
            client_builder("p256")
                .client_certificate(certified_key("p384"))
                .post_handshake_auth(false)
                .build()
                .unwrap(),
            false,
        ),
    ];
    for (client, offered) in cases {
        let (_, mut s) = handshaken(client, server(true), server_name("p256"));
        let result = s.request_client_certificate();
        if offered {
            result.unwrap();
        } else {
            assert_eq!(
                result,
                Err(Error::InvalidRequest(
                    InvalidRequestReason::PostHandshakeAuthNotOffered
                ))
            );
            assert!(
                s.error().is_none(),
                "an API refusal does not end the connection"
            );
        }
    }
}

#[test]
fn no_suitable_certificate_is_an_empty_answer() {
    // The server asks only for Ed25519 signatures; the client's key is
    // P-384, so it answers with an empty Certificate and its Finished.
    let secrets = Arc::new(CapturedSecrets::default());
    for required in [false, true] {
        let verifier = Arc::new(WebPkiClientVerifier::new(roots("p384")));
        let mode = if required {
            ClientAuth::Required(verifier)
        } else {
            ClientAuth::Optional(verifier)
        };
        let config = server_builder("p256")
            .signature_schemes(&[
                SignatureScheme::ecdsa_secp256r1_sha256,
                SignatureScheme::ed25519,
            ])
            .post_handshake_client_auth(mode)
            .build()
            .unwrap();
        let client = client_builder("p256")
            .client_certificate(certified_key("p384"))
            .key_log(secrets.clone())
            .build()
            .unwrap();
        let (mut c, mut s) = handshaken(client, config, server_name("p256"));
        s.request_client_certificate().unwrap();
        transfer(&mut s, &mut c).1.unwrap();
        let (_, result) = transfer(&mut c, &mut s);
        if required {
            assert_eq!(result, Err(Error::CertificateRequired));
            assert_eq!(
                transfer(&mut s, &mut c).1,
                Err(Error::AlertReceived(AlertDescription::CertificateRequired))
            );
        } else {
            result.unwrap();
            assert_eq!(s.pending_certificate_requests(), 0);
            assert!(s.peer_certificates().is_empty());
            send_and_check(&mut c, &mut s, b"still open");
        }
    }
}

#[test]
fn a_chain_the_verifier_refuses_ends_the_connection() {
    // The verifier trusts only the Ed25519 root, not the client's P-384 one.
    let config = server_builder("p256")
        .post_handshake_client_auth(ClientAuth::Optional(Arc::new(WebPkiClientVerifier::new(
            roots("ed25519"),
        ))))
        .build()
        .unwrap();
    let secrets = Arc::new(CapturedSecrets::default());
    let (mut c, mut s) = handshaken(
        client_with_certificate(&secrets),
        config,
        server_name("p256"),
    );
    s.request_client_certificate().unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    let error = transfer(&mut c, &mut s).1.unwrap_err();
    assert_eq!(error.alert(), Some(AlertDescription::UnknownCa), "{error}");
    assert!(s.peer_certificates().is_empty());
}

#[test]
fn a_bad_signature_is_decrypt_error() {
    let secrets = Arc::new(CapturedSecrets::default());
    let (mut c, mut s) = requested(&secrets, server(true));
    let error = transfer_altered(&mut c, &mut s, |flight| {
        edit_answer(flight, &secrets, "CLIENT_TRAFFIC_SECRET_0", |m| {
            let cv = find(m, CERTIFICATE_VERIFY);
            let last = cv.len() - 1;
            cv[last] ^= 1;
        })
    })
    .1
    .unwrap_err();
    assert_eq!(error, Error::DecryptError(DecryptErrorReason::BadSignature));
    assert!(s.peer_certificates().is_empty());
    assert_eq!(
        transfer(&mut s, &mut c).1,
        Err(Error::AlertReceived(AlertDescription::DecryptError))
    );
}

#[test]
fn a_bad_finished_is_decrypt_error_and_reports_no_certificate() {
    let secrets = Arc::new(CapturedSecrets::default());
    let (mut c, mut s) = requested(&secrets, server(true));
    let error = transfer_altered(&mut c, &mut s, |flight| {
        edit_answer(flight, &secrets, "CLIENT_TRAFFIC_SECRET_0", |m| {
            find(m, FINISHED)[10] ^= 1;
        })
    })
    .1
    .unwrap_err();
    assert_eq!(
        error,
        Error::DecryptError(DecryptErrorReason::FinishedMismatch)
    );
    assert!(
        s.peer_certificates().is_empty(),
        "reported only after Finished"
    );
}

/// The client's Certificate with its context changed by `edit`.
fn edit_context(messages: &mut [Vec<u8>], edit: impl FnOnce(&mut Vec<u8>)) {
    let cert = find(messages, CERTIFICATE);
    let HandshakeMessage::CertificateTls13(mut certificate) =
        HandshakeMessage::decode_message(cert, &CX).unwrap()
    else {
        panic!("not a Certificate")
    };
    edit(&mut certificate.context);
    *cert = HandshakeMessage::CertificateTls13(certificate)
        .to_bytes()
        .unwrap();
}

#[test]
fn an_answer_with_another_context_is_illegal_parameter() {
    let secrets = Arc::new(CapturedSecrets::default());
    let (mut c, mut s) = requested(&secrets, uncompressed_server(true));
    let error = transfer_altered(&mut c, &mut s, |flight| {
        edit_answer(flight, &secrets, "CLIENT_TRAFFIC_SECRET_0", |m| {
            edit_context(m, |context| context[0] ^= 1)
        })
    })
    .1
    .unwrap_err();
    assert_eq!(
        error,
        Error::IllegalParameter(IllegalParameterReason::CertificateContextMismatch)
    );
}

#[test]
fn a_request_with_an_empty_context_is_illegal_parameter() {
    let secrets = Arc::new(CapturedSecrets::default());
    let client = client_with_certificate(&secrets);
    let (mut c, mut s) = handshaken(client, server(true), server_name("p256"));
    s.request_client_certificate().unwrap();
    let error = transfer_altered(&mut s, &mut c, |flight| {
        edit_answer(flight, &secrets, "SERVER_TRAFFIC_SECRET_0", |m| {
            let request = find(m, CERTIFICATE_REQUEST);
            let HandshakeMessage::CertificateRequestTls13(mut parsed) =
                HandshakeMessage::decode_message(request, &CX).unwrap()
            else {
                panic!("not a CertificateRequest")
            };
            parsed.context.clear();
            *request = HandshakeMessage::CertificateRequestTls13(parsed)
                .to_bytes()
                .unwrap();
        })
    })
    .1
    .unwrap_err();
    assert_eq!(
        error,
        Error::IllegalParameter(IllegalParameterReason::PostHandshakeRequestContext)
    );
}

/// The CertificateRequest a server sends after the handshake to a client
/// that offered post_handshake_auth.
fn a_post_handshake_request() -> Vec<u8> {
    let secrets = Arc::new(CapturedSecrets::default());
    let offering = client_with_certificate(&secrets);
    let (mut c, mut s) = handshaken(offering, server(true), server_name("p256"));
    s.request_client_certificate().unwrap();
    let mut request = Vec::new();
    transfer_altered(&mut s, &mut c, |flight| {
        edit_answer(flight, &secrets, "SERVER_TRAFFIC_SECRET_0", |m| {
            request = find(m, CERTIFICATE_REQUEST).clone();
        })
    })
    .1
    .unwrap();
    request
}

/// The client's error when the server's next application record carries
/// [`a_post_handshake_request`] instead, re-sealed under the server's first
/// application traffic secret in `secrets`.
fn client_refuses_request(
    c: &mut ClientConnection,
    s: &mut ServerConnection,
    secrets: &CapturedSecrets,
) -> Error {
    let request = a_post_handshake_request();
    s.writer().write_all(b"x").unwrap();
    transfer_altered(s, c, |flight| {
        let mut sealed = Vec::new();
        let mut sealer = aes128_protection(&secrets.get("SERVER_TRAFFIC_SECRET_0"));
        seal_handshake_record(&mut sealer, 0, &request, &mut sealed);
        *flight = sealed;
    })
    .1
    .unwrap_err()
}

#[test]
fn a_request_to_a_client_that_did_not_offer_is_unexpected_message() {
    // The client offers nothing (no certificate); a server that sends a
    // CertificateRequest anyway is refused.
    let quiet_secrets = Arc::new(CapturedSecrets::default());
    let quiet = logged_aes128_client("p256", &quiet_secrets)
        .build()
        .unwrap();
    let (mut c, mut s) = handshaken(quiet, server(true), server_name("p256"));
    assert_eq!(
        client_refuses_request(&mut c, &mut s, &quiet_secrets),
        Error::UnexpectedMessage(UnexpectedMessageReason::CertificateRequestNotOffered)
    );
}

#[test]
fn tls12_has_no_post_handshake_request() {
    let secrets = Arc::new(CapturedSecrets::default());
    let client = client_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_2])
        .client_certificate(certified_key("p384"))
        .key_log(secrets.clone())
        .build()
        .unwrap();
    let (mut c, mut s) = handshaken(client, server(true), server_name("p256"));
    assert_eq!(
        s.request_client_certificate(),
        Err(Error::InvalidRequest(
            InvalidRequestReason::PostHandshakeAuthNotNow
        ))
    );
    send_and_check(&mut c, &mut s, b"the connection is untouched");
}

#[test]
fn a_request_before_the_handshake_completes_is_refused() {
    let secrets = Arc::new(CapturedSecrets::default());
    let (mut c, mut s) = pair(
        client_with_certificate(&secrets),
        server(true),
        server_name("p256"),
    );
    let not_now = Err(Error::InvalidRequest(
        InvalidRequestReason::PostHandshakeAuthNotNow,
    ));
    assert_eq!(s.request_client_certificate(), not_now);
    transfer(&mut c, &mut s).1.unwrap();
    assert_eq!(s.request_client_certificate(), not_now);
}

#[test]
fn without_a_post_handshake_verifier_requests_are_refused() {
    let secrets = Arc::new(CapturedSecrets::default());
    let config = server_builder("p256").build().unwrap();
    let (_, mut s) = handshaken(
        client_with_certificate(&secrets),
        config,
        server_name("p256"),
    );
    assert_eq!(
        s.request_client_certificate(),
        Err(Error::InvalidRequest(
            InvalidRequestReason::PostHandshakeAuthNoVerifier
        ))
    );
}

#[test]
fn outstanding_requests_are_bounded_and_answers_may_come_later() {
    let secrets = Arc::new(CapturedSecrets::default());
    let (mut c, mut s) = handshaken(
        client_with_certificate(&secrets),
        server(true),
        server_name("p256"),
    );
    for _ in 0..MAX_OUTSTANDING_CERTIFICATE_REQUESTS {
        s.request_client_certificate().unwrap();
    }
    assert_eq!(
        s.request_client_certificate(),
        Err(Error::InvalidRequest(
            InvalidRequestReason::TooManyCertificateRequests
        ))
    );
    assert_eq!(
        s.pending_certificate_requests(),
        MAX_OUTSTANDING_CERTIFICATE_REQUESTS
    );
    // Application data before, between and after the answers.
    s.writer().write_all(b"page part 1").unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    c.writer().write_all(b"request body").unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    assert_eq!(s.pending_certificate_requests(), 0);
    let mut got = vec![0; 12];
    s.reader().read_exact(&mut got).unwrap();
    assert_eq!(got, b"request body");
    let mut got = vec![0; 11];
    c.reader().read_exact(&mut got).unwrap();
    assert_eq!(got, b"page part 1");
    assert_eq!(s.peer_certificates(), certified_key("p384").chain());
    s.request_client_certificate().unwrap();
}

#[test]
fn key_updates_interleave_with_requests() {
    let secrets = Arc::new(CapturedSecrets::default());
    let (mut c, mut s) = handshaken(
        client_with_certificate(&secrets),
        server(true),
        server_name("p256"),
    );
    // The client updates its key first: its answer's Finished key comes
    // from the next client application traffic secret on both sides.
    c.refresh_traffic_keys(true).unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    s.request_client_certificate().unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    assert_eq!(s.pending_certificate_requests(), 0);
    assert_eq!(s.peer_certificates(), certified_key("p384").chain());
    s.refresh_traffic_keys(false).unwrap();
    send_and_check(&mut s, &mut c, b"after both");
    send_and_check(&mut c, &mut s, b"and back");
}

/// The server's post-handshake CertificateRequest, read off the wire.
fn post_handshake_request(
    s: &mut ServerConnection,
    c: &mut ClientConnection,
    secrets: &CapturedSecrets,
) -> CertificateRequestTls13 {
    s.request_client_certificate().unwrap();
    let mut request = None;
    transfer_altered(s, c, |flight| {
        edit_answer(flight, secrets, "SERVER_TRAFFIC_SECRET_0", |m| {
            let HandshakeMessage::CertificateRequestTls13(r) =
                HandshakeMessage::decode_message(find(m, CERTIFICATE_REQUEST), &CX).unwrap()
            else {
                panic!("not a CertificateRequest")
            };
            request = Some(r);
        })
    })
    .1
    .unwrap();
    request.unwrap()
}

/// A post-handshake CertificateRequest carries what the handshake's
/// does (RFC 8446 §4.3.2): signature_algorithms, the post-handshake
/// verifier's CA names (certificate_authorities, §4.2.4), and the
/// certificate compression the server takes (RFC 8879 §3); and a
/// server without compression offers none.
#[test]
fn requests_name_the_verifiers_authorities_and_offer_compression() {
    let secrets = Arc::new(CapturedSecrets::default());
    let names = WebPkiClientVerifier::new(roots("p384")).root_subjects();
    assert!(!names.is_empty());
    for (config, compression) in [
        (server(true), Some(DEFAULT_CERTIFICATE_COMPRESSION)),
        (uncompressed_server(true), None),
    ] {
        let (mut c, mut s) = handshaken(
            client_with_certificate(&secrets),
            config,
            server_name("p256"),
        );
        let request = post_handshake_request(&mut s, &mut c, &secrets);
        assert!(request.extensions.iter().any(|e| matches!(
            e,
            Extension::SignatureAlgorithms(schemes) if !schemes.is_empty()
        )));
        assert!(request
            .extensions
            .iter()
            .any(|e| matches!(e, Extension::CertificateAuthorities(n) if *n == names)));
        let offered = request.extensions.iter().find_map(|e| match e {
            Extension::CompressCertificate(algorithms) => Some(algorithms.to_vec()),
            _ => None,
        });
        assert_eq!(offered.as_deref(), compression);
    }
}

/// A client that takes up the compression offer answers with a
/// CompressedCertificate (RFC 8879 §4), which the server decompresses and
/// judges like a Certificate.
#[test]
fn a_compressed_answer_is_verified_like_a_plain_one() {
    let secrets = Arc::new(CapturedSecrets::default());
    let (mut c, mut s) = requested(&secrets, server(true));
    let mut types = Vec::new();
    transfer_altered(&mut c, &mut s, |flight| {
        edit_answer(flight, &secrets, "CLIENT_TRAFFIC_SECRET_0", |m| {
            types = m.iter().map(|message| message[0]).collect();
        })
    })
    .1
    .unwrap();
    assert_eq!(
        types,
        [COMPRESSED_CERTIFICATE, CERTIFICATE_VERIFY, FINISHED]
    );
    assert_eq!(s.pending_certificate_requests(), 0);
    assert_eq!(s.peer_certificates(), certified_key("p384").chain());
}

/// A client with the P-384 certificate (so it offers post_handshake_auth)
/// and an external PSK the server below also holds, and that server:
/// their handshake authenticates with the PSK.
fn external_psk_pair(secrets: &Arc<CapturedSecrets>) -> (ClientConnection, ServerConnection) {
    let psk = ExternalPsk::new(b"Client_identity", &[0x5a; 32], HashAlgorithm::Sha256).unwrap();
    let mut psks = ExternalPsks::new();
    psks.insert(psk.clone());
    let client = logged_aes128_client("p256", secrets)
        .client_certificate(certified_key("p384"))
        .external_psk(psk)
        .build()
        .unwrap();
    let server = server_builder_for(true)
        .external_psks(Arc::new(psks))
        .build()
        .unwrap();
    let (c, s) = handshaken(client, server, server_name("p256"));
    assert_eq!(s.external_psk_identity(), Some(&b"Client_identity"[..]));
    (c, s)
}

#[test]
fn rfc9846_4_4_2_a_server_authenticated_by_external_psk_sends_no_request() {
    let secrets = Arc::new(CapturedSecrets::default());
    let (_c, mut s) = external_psk_pair(&secrets);
    assert_eq!(
        s.request_client_certificate(),
        Err(Error::InvalidRequest(
            InvalidRequestReason::PostHandshakeAuthAfterExternalPsk
        ))
    );
    assert!(!s.wants_write());
}

#[test]
fn rfc9846_4_4_2_a_request_after_an_external_psk_handshake_is_unexpected_message() {
    let secrets = Arc::new(CapturedSecrets::default());
    let (mut c, mut s) = external_psk_pair(&secrets);
    assert_eq!(
        client_refuses_request(&mut c, &mut s, &secrets),
        Error::UnexpectedMessage(UnexpectedMessageReason::CertificateRequestAfterExternalPsk)
    );
}
