//! A client that chooses its certificate when the server asks
//! (`ClientConfigBuilder::client_certificate_resolver`): the resolver sees
//! what the CertificateRequest said (RFC 8446 §4.3.2, RFC 5246 §7.4.4),
//! during the handshake and after it (RFC 8446 §4.6.2), and the engine
//! sends what it returns only when that fits the request.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use ferrotls::internal::error::InvalidRequestReason;
use ferrotls::{
    default_certificate_types, CertificateRequestInfo, CertificateType, CertifiedKey, CipherSuite,
    ClientAuth, ClientCertResolver, ClientCertVerifier, Error, ProtocolVersion, ServerName,
    SignatureScheme, WebPkiClientVerifier, TLS10_CIPHER_SUITES,
};

/// What one request showed the resolver.
#[derive(Clone, Debug, PartialEq)]
struct Seen {
    version: ProtocolVersion,
    server_name: ServerName,
    authorities: Vec<Vec<u8>>,
    signature_schemes: Vec<SignatureScheme>,
    certificate_type: CertificateType,
    post_handshake: bool,
}

/// Answers every request with `answer`, keeping what each showed.
#[derive(Debug)]
struct Recording {
    answer: Option<Arc<CertifiedKey>>,
    seen: Mutex<Vec<Seen>>,
}

impl Recording {
    fn new(answer: Option<&str>) -> Arc<Self> {
        Arc::new(Self {
            answer: answer.map(certified_key),
            seen: Mutex::new(Vec::new()),
        })
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl ClientCertResolver for Recording {
    fn resolve(&self, request: &CertificateRequestInfo<'_>) -> Option<Arc<CertifiedKey>> {
        self.seen.lock().unwrap().push(Seen {
            version: request.version(),
            server_name: request.server_name().clone(),
            authorities: request.authorities().to_vec(),
            signature_schemes: request.signature_schemes().to_vec(),
            certificate_type: request.certificate_type(),
            post_handshake: request.post_handshake(),
        });
        self.answer.clone()
    }
}

/// A TLS 1.3 suite and a TLS 1.2 one for the P-256 server.
const MODERN_SUITES: &[CipherSuite] = &[
    CipherSuite::TLS_AES_128_GCM_SHA256,
    CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
];

/// The names a server trusting the P-384 root puts in its requests.
fn p384_authorities() -> Vec<Vec<u8>> {
    WebPkiClientVerifier::new(roots("p384")).root_subjects()
}

fn p384_verifier() -> Arc<WebPkiClientVerifier> {
    Arc::new(WebPkiClientVerifier::new(roots("p384")))
}

#[test]
fn the_resolver_sees_each_versions_request_and_its_certificate_is_sent() {
    for version in [
        ProtocolVersion::TLSv1_3,
        ProtocolVersion::TLSv1_2,
        ProtocolVersion::TLSv1_0,
    ] {
        let resolver = Recording::new(Some("p384"));
        let suites = if version == ProtocolVersion::TLSv1_0 {
            TLS10_CIPHER_SUITES
        } else {
            MODERN_SUITES
        };
        let client = client_builder("p256")
            .versions(&[version])
            .cipher_suites(suites)
            .client_certificate_resolver(resolver.clone())
            .build()
            .unwrap();
        let server = client_auth_server_builder("p256", "p384", true)
            .versions(&[version])
            .cipher_suites(suites)
            .build()
            .unwrap();
        let (_, s) = handshaken(client, server, server_name("p256"));
        assert_eq!(
            s.peer_certificates(),
            certified_key("p384").chain(),
            "{version:?}"
        );
        let seen = resolver.seen();
        assert_eq!(seen.len(), 1, "{version:?}: asked once");
        let seen = &seen[0];
        assert_eq!(seen.version, version);
        assert_eq!(seen.server_name, server_name("p256"));
        assert_eq!(seen.authorities, p384_authorities(), "{version:?}");
        assert_eq!(seen.certificate_type, CertificateType::X509);
        assert!(!seen.post_handshake);
        if version == ProtocolVersion::TLSv1_0 {
            assert!(seen.signature_schemes.is_empty(), "no list before 1.2");
        } else {
            assert!(
                seen.signature_schemes
                    .contains(&SignatureScheme::ecdsa_secp384r1_sha384),
                "{version:?}: {:?}",
                seen.signature_schemes
            );
        }
    }
}

#[test]
fn a_resolver_without_an_answer_sends_no_certificate() {
    for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
        let server = client_auth_server_builder("p256", "p384", false).versions(&[version]);
        asked_once_and_sent_nothing(version, None, server);
    }
}

/// A handshake of `version` between a client whose resolver answers with
/// `answer` and `server`, which must ask once and receive no certificate.
fn asked_once_and_sent_nothing(
    version: ProtocolVersion,
    answer: Option<&str>,
    server: ferrotls::ServerConfigBuilder,
) {
    let resolver = Recording::new(answer);
    let client = client_builder("p256")
        .versions(&[version])
        .client_certificate_resolver(resolver.clone())
        .build()
        .unwrap();
    let server = server.versions(&[version]).build().unwrap();
    let (_, s) = handshaken(client, server, server_name("p256"));
    assert_eq!(resolver.seen().len(), 1, "{version:?}");
    assert!(s.peer_certificates().is_empty(), "{version:?}");
}

#[test]
fn a_resolved_certificate_that_cannot_sign_as_the_server_asks_is_not_sent() {
    // The server accepts ECDSA P-384 signatures only; the resolver
    // answers with an RSA key, which the engine does not send (RFC 8446
    // §4.4.2.3, RFC 5246 §7.4.6): an empty Certificate goes instead.
    for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
        let server = server_builder("p256")
            .signature_schemes(&[
                SignatureScheme::ecdsa_secp256r1_sha256,
                SignatureScheme::ecdsa_secp384r1_sha384,
            ])
            .client_auth(ClientAuth::Optional(Arc::new(WebPkiClientVerifier::new(
                roots("rsa2048"),
            ))));
        asked_once_and_sent_nothing(version, Some("rsa2048"), server);
    }
}

#[test]
fn a_post_handshake_request_reaches_the_resolver_marked_so() {
    let resolver = Recording::new(Some("p384"));
    let client = client_builder("p256")
        .client_certificate_resolver(resolver.clone())
        .build()
        .unwrap();
    let server = server_builder("p256")
        .post_handshake_client_auth(ClientAuth::Required(p384_verifier()))
        .build()
        .unwrap();
    let (mut c, mut s) = handshaken(client, server, server_name("p256"));
    assert!(resolver.seen().is_empty(), "nothing asked in the handshake");
    s.request_client_certificate().unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    assert_eq!(s.peer_certificates(), certified_key("p384").chain());
    let seen = resolver.seen();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].post_handshake);
    assert_eq!(seen[0].version, ProtocolVersion::TLSv1_3);
    assert_eq!(seen[0].authorities, p384_authorities());
}

#[test]
fn certificates_and_a_resolver_together_are_refused() {
    let built = client_builder("p256")
        .client_certificate(certified_key("p384"))
        .client_certificate_resolver(Recording::new(None))
        .build();
    assert!(matches!(
        built,
        Err(Error::InvalidRequest(
            InvalidRequestReason::ClientCertificatesAndResolver
        ))
    ));
}

#[test]
fn default_certificate_types_follow_the_first_key_of_each_kind() {
    let raw = || {
        let key = ferrotls::private_key_from_pem(&read_vector("p256-leaf.key")).unwrap();
        Arc::new(CertifiedKey::from_key(key))
    };
    let chained = || certified_key("p384");
    let types = |keys: &[Arc<CertifiedKey>]| default_certificate_types(keys).collect::<Vec<_>>();
    assert_eq!(types(&[]), []);
    assert_eq!(types(&[chained(), chained()]), [CertificateType::X509]);
    assert_eq!(
        types(&[raw(), chained(), raw()]),
        [CertificateType::RawPublicKey, CertificateType::X509]
    );
    assert_eq!(
        types(&[chained(), raw()]),
        [CertificateType::X509, CertificateType::RawPublicKey]
    );
}
