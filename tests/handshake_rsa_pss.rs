//! Handshakes authenticated by id-RSASSA-PSS keys (RFC 4055 §3.1) with the
//! `rsa_pss_pss_*` schemes (RFC 8446 §4.2.3), in TLS 1.3 and 1.2, as the
//! server's key and as the client's, and the refusals when a peer cannot
//! or does not keep the two RSA-PSS families apart.
//!
//! Certificates and keys come from `vectors/pss/make.sh`.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use common::*;
use ferrotls::internal::error::{HandshakeFailureReason, IllegalParameterReason};
use ferrotls::{
    AlertDescription, CertifiedKey, ClientAuth, ClientConfig, ClientConfigBuilder, Error,
    ManualClock, ProtocolVersion, RootStore, ServerConfig, ServerConfigBuilder, ServerName,
    SignatureScheme as S, UnixTime, WebPkiClientVerifier, WebPkiServerVerifier,
    TLS12_RSA_KX_CIPHER_SUITES,
};

const VERSIONS: [ProtocolVersion; 2] = [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2];

fn pss_text(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/pss")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A PSS leaf with its key: `chain.pem` (`leaf.pss.test`, unrestricted
/// key) or `chain384.pem` (`leaf384.pss.test`, key bound to SHA-384).
fn pss_key(chain: &str, key: &str) -> Arc<CertifiedKey> {
    Arc::new(CertifiedKey::from_pem(&pss_text(chain), &pss_text(key)).unwrap())
}

fn pss_roots() -> Arc<RootStore> {
    let mut roots = RootStore::new();
    roots.add_pem(&pss_text("root.pem")).unwrap();
    Arc::new(roots)
}

fn name() -> ServerName {
    ServerName::parse("leaf.pss.test").unwrap()
}

/// The name in `chain`'s leaf.
fn name_of(chain: &str) -> ServerName {
    match chain {
        "chain384.pem" => ServerName::parse("leaf384.pss.test").unwrap(),
        _ => name(),
    }
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(UnixTime::from_secs(NOW)))
}

fn client(version: ProtocolVersion) -> ClientConfigBuilder {
    ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(pss_roots())))
        .clock(clock())
        .versions(&[version])
}

fn server(version: ProtocolVersion, key: Arc<CertifiedKey>) -> ServerConfigBuilder {
    ServerConfig::builder(key)
        .clock(clock())
        .versions(&[version])
}

#[test]
fn a_pss_keyed_server_certificate_authenticates_the_server() {
    for version in VERSIONS {
        for (chain, key) in [("chain.pem", "leaf.key"), ("chain384.pem", "leaf384.key")] {
            let (mut c, mut s) = handshaken(
                client(version).build().unwrap(),
                server(version, pss_key(chain, key)).build().unwrap(),
                name_of(chain),
            );
            assert_eq!(c.protocol_version(), Some(version), "{chain}");
            send_and_check(&mut c, &mut s, b"over rsa_pss_pss");
        }
    }
}

#[test]
fn a_pss_keyed_client_certificate_authenticates_the_client() {
    for version in VERSIONS {
        let verifier = Arc::new(WebPkiClientVerifier::new(pss_roots()));
        let (mut c, mut s) = handshaken(
            client(version)
                .client_certificate(pss_key("chain384.pem", "leaf384.key"))
                .build()
                .unwrap(),
            server(version, pss_key("chain.pem", "leaf.key"))
                .client_auth(ClientAuth::Required(verifier))
                .build()
                .unwrap(),
            name(),
        );
        assert_eq!(s.peer_certificates().len(), 2, "{version:?}");
        send_and_check(&mut s, &mut c, b"client authenticated");
    }
}

#[test]
fn a_client_without_the_pss_schemes_gets_handshake_failure() {
    // The client offers rsa_pss_rsae_* but not rsa_pss_pss_*: a PSS key
    // may not answer with the former (RFC 8446 §4.2.3).
    for version in VERSIONS {
        let (err, alert) = refuses(
            client(version)
                .signature_schemes(&[
                    S::rsa_pss_rsae_sha256,
                    S::rsa_pss_rsae_sha384,
                    S::rsa_pkcs1_sha256,
                ])
                .build()
                .unwrap(),
            server(version, pss_key("chain.pem", "leaf.key"))
                .build()
                .unwrap(),
            name(),
            Refuser::Server,
            1,
            |_| {},
        );
        let reason = match version {
            ProtocolVersion::TLSv1_3 => HandshakeFailureReason::NoFittingCertificate,
            _ => HandshakeFailureReason::NoSuiteAndCertificate,
        };
        assert_eq!(err, Error::HandshakeFailure(reason), "{version:?}");
        assert_eq!(alert, Some(u8::from(AlertDescription::HandshakeFailure)));
    }
    // A key bound to SHA-384 cannot answer a client offering only SHA-256.
    let (err, _) = refuses(
        client(ProtocolVersion::TLSv1_3)
            .signature_schemes(&[S::rsa_pss_pss_sha256])
            .build()
            .unwrap(),
        server(
            ProtocolVersion::TLSv1_3,
            pss_key("chain384.pem", "leaf384.key"),
        )
        .build()
        .unwrap(),
        name_of("chain384.pem"),
        Refuser::Server,
        1,
        |_| {},
    );
    assert_eq!(
        err,
        Error::HandshakeFailure(HandshakeFailureReason::NoFittingCertificate)
    );
}

#[test]
fn a_pss_key_never_serves_rsa_key_exchange() {
    // RSA key exchange decrypts with the key, which an id-RSASSA-PSS key
    // may not do (RFC 4055 §3.1): no suite fits.
    let (err, alert) = refuses(
        client(ProtocolVersion::TLSv1_2)
            .cipher_suites(TLS12_RSA_KX_CIPHER_SUITES)
            .build()
            .unwrap(),
        server(ProtocolVersion::TLSv1_2, pss_key("chain.pem", "leaf.key"))
            .cipher_suites(TLS12_RSA_KX_CIPHER_SUITES)
            .build()
            .unwrap(),
        name(),
        Refuser::Server,
        1,
        |_| {},
    );
    assert!(matches!(err, Error::HandshakeFailure(_)), "{err:?}");
    assert_eq!(alert, Some(u8::from(AlertDescription::HandshakeFailure)));
}

/// Changes the scheme of the signature in a TLS 1.2 message body
/// (ServerKeyExchange for ECDHE, after the curve type, the group and the
/// length-prefixed point; CertificateVerify at its start) from
/// rsa_pss_pss_sha256 to rsa_pss_rsae_sha256: the same signature under the
/// code point of the other family.
fn relabel_as_rsae(message: &mut [u8], offset: usize) {
    assert_eq!(
        message[offset..offset + 2],
        u16::from(S::rsa_pss_pss_sha256).to_be_bytes()
    );
    message[offset..offset + 2].copy_from_slice(&u16::from(S::rsa_pss_rsae_sha256).to_be_bytes());
}

#[test]
fn a_pss_signature_labelled_rsae_is_illegal_parameter_in_tls12() {
    // The server's ServerKeyExchange (ServerHello, Certificate, SKE, Done).
    let version = ProtocolVersion::TLSv1_2;
    let (err, alert) = refuses(
        client(version)
            .signature_schemes(&[S::rsa_pss_pss_sha256, S::rsa_pss_rsae_sha256])
            .build()
            .unwrap(),
        server(version, pss_key("chain.pem", "leaf.key"))
            .build()
            .unwrap(),
        name(),
        Refuser::Client,
        1,
        |b| {
            edit_plaintext_flight(b, |m| {
                let point_len = usize::from(m[2][7]);
                relabel_as_rsae(&mut m[2], 8 + point_len);
            })
        },
    );
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::SchemeUnfitForKey)
    );
    assert_eq!(alert, Some(u8::from(AlertDescription::IllegalParameter)));

    // The client's CertificateVerify (Certificate, ClientKeyExchange,
    // CertificateVerify, then ChangeCipherSpec and Finished).
    let verifier = Arc::new(WebPkiClientVerifier::new(pss_roots()));
    let (err, alert) = refuses(
        client(version)
            .client_certificate(pss_key("chain.pem", "leaf.key"))
            .build()
            .unwrap(),
        server(version, pss_key("chain.pem", "leaf.key"))
            .client_auth(ClientAuth::Required(verifier))
            .signature_schemes(&[S::rsa_pss_pss_sha256, S::rsa_pss_rsae_sha256])
            .build()
            .unwrap(),
        name(),
        Refuser::Server,
        2,
        |b| edit_plaintext_flight(b, |m| relabel_as_rsae(&mut m[2], 4)),
    );
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::SchemeUnfitForKey)
    );
    assert_eq!(alert, Some(u8::from(AlertDescription::IllegalParameter)));
}

/// The CertificateVerify among TLS 1.3 handshake `messages`, its scheme
/// relabelled from rsa_pss_pss_sha256 to rsa_pss_rsae_sha256.
fn relabel_certificate_verify(messages: &mut [Vec<u8>]) {
    const CERTIFICATE_VERIFY: u8 = 15;
    let verify = messages
        .iter_mut()
        .find(|m| m[0] == CERTIFICATE_VERIFY)
        .expect("a CertificateVerify");
    relabel_as_rsae(verify, 4);
}

#[test]
fn a_pss_signature_labelled_rsae_is_illegal_parameter_in_tls13() {
    let version = ProtocolVersion::TLSv1_3;
    let aes128 = [ferrotls::CipherSuite::TLS_AES_128_GCM_SHA256];
    let schemes = [S::rsa_pss_pss_sha256, S::rsa_pss_rsae_sha256];
    let unfit = Error::IllegalParameter(IllegalParameterReason::SchemeUnfitForKey);
    // The server's CertificateVerify, read by the client.
    let secrets = Arc::new(CapturedSecrets::default());
    let (err, _) = client_refuses_encrypted_flight(
        client(version)
            .cipher_suites(&aes128)
            .signature_schemes(&schemes)
            .build()
            .unwrap(),
        server(version, pss_key("chain.pem", "leaf.key"))
            .key_log(secrets.clone())
            .build()
            .unwrap(),
        name(),
        &secrets,
        |m| relabel_certificate_verify(m),
    );
    assert_eq!(err, unfit);
    assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
    // The client's CertificateVerify, read by the server.
    let secrets = Arc::new(CapturedSecrets::default());
    let verifier = Arc::new(WebPkiClientVerifier::new(pss_roots()));
    let (mut c, mut s) = pair(
        client(version)
            .cipher_suites(&aes128)
            .client_certificate(pss_key("chain.pem", "leaf.key"))
            .key_log(secrets.clone())
            .build()
            .unwrap(),
        server(version, pss_key("chain.pem", "leaf.key"))
            .client_auth(ClientAuth::Required(verifier))
            .signature_schemes(&schemes)
            .build()
            .unwrap(),
        name(),
    );
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    let secret = secrets.get("CLIENT_HANDSHAKE_TRAFFIC_SECRET");
    let err = transfer_altered(&mut c, &mut s, |flight| {
        edit_encrypted_flight(flight, &secret, |m| relabel_certificate_verify(m))
    })
    .1
    .unwrap_err();
    assert_eq!(err, unfit);
}
