//! The server's certificate resolver (`ServerCertResolver`): it sees
//! what each full handshake's ClientHello asked (version, server name,
//! schemes, suites, ALPN, CA names), its answer comes before the
//! configured certificates, the engine still chooses among it what fits
//! the client, a server it gives nothing has the configured certificates
//! or refuses with `handshake_failure`, and a resumption never asks it.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use ferrotls::internal::error::HandshakeFailureReason;
use ferrotls::{
    AlertDescription, CertifiedKey, CipherSuite, ClientConfig, ClientConfigBuilder,
    ClientHelloInfo, Error, ProtocolVersion, ServerCertResolver, ServerCertVerifier, ServerConfig,
    ServerName, SignatureScheme, WebPkiServerVerifier,
};

const VERSIONS: [ProtocolVersion; 2] = [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2];

/// What the resolver saw of one ClientHello.
#[derive(Clone, Debug, PartialEq)]
struct Seen {
    version: ProtocolVersion,
    server_name: Option<String>,
    schemes: Vec<SignatureScheme>,
    suites: Vec<CipherSuite>,
    alpn: Vec<Vec<u8>>,
    authorities: Vec<Vec<u8>>,
}

/// Answers each host name with the chain of that key type
/// (`leaf.<type>.test`), `acme-tls/1` with the Ed25519 chain, anything
/// else with nothing; records what it saw.
#[derive(Debug, Default)]
struct Hosts {
    seen: Mutex<Vec<Seen>>,
}

impl ServerCertResolver for Hosts {
    fn resolve(&self, hello: &ClientHelloInfo<'_>) -> Vec<Arc<CertifiedKey>> {
        self.seen.lock().unwrap().push(Seen {
            version: hello.version(),
            server_name: hello.server_name().map(str::to_owned),
            schemes: hello.signature_schemes().to_vec(),
            suites: hello.cipher_suites().to_vec(),
            alpn: hello.alpn_protocols().to_vec(),
            authorities: hello.authorities().to_vec(),
        });
        if hello.alpn_protocols().iter().any(|p| p == b"acme-tls/1") {
            return vec![certified_key("ed25519")];
        }
        let host = hello.server_name().unwrap_or_default();
        ["p256", "p384", "rsa2048"]
            .into_iter()
            .filter(|t| host == format!("leaf.{t}.test"))
            .map(certified_key)
            .collect()
    }
}

impl Hosts {
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Answers every ClientHello with the RSA chain, then the P-256 one.
#[derive(Debug)]
struct RsaThenP256;

impl ServerCertResolver for RsaThenP256 {
    fn resolve(&self, _: &ClientHelloInfo<'_>) -> Vec<Arc<CertifiedKey>> {
        vec![certified_key("rsa2048"), certified_key("p256")]
    }
}

/// A client of `version` that accepts any server certificate.
fn any_server(version: ProtocolVersion) -> ClientConfigBuilder {
    ClientConfig::dangerous()
        .builder_accepting_any_server_certificate()
        .versions(&[version])
}

fn name(host: &str) -> ServerName {
    ServerName::parse(host).unwrap()
}

/// The chain `server` sends a client of `client` connecting to `host`.
fn served(client: ClientConfigBuilder, server: &Arc<ServerConfig>, host: &str) -> Vec<Vec<u8>> {
    let (c, _) = handshaken(client.build().unwrap(), server.clone(), name(host));
    c.peer_certificates().to_vec()
}

#[test]
fn the_resolver_sees_the_client_hello_and_its_answer_is_served() {
    for version in VERSIONS {
        let hosts = Arc::new(Hosts::default());
        let server = ServerConfig::builder_with_certificate_resolver(hosts.clone())
            .versions(&[version])
            .alpn_protocols(&[b"h2", b"acme-tls/1"])
            .build()
            .unwrap();
        // Offers both versions and names the P-384 root, which the
        // resolver sees in TLS 1.3 only.
        let client = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots("p384"))))
            .alpn_protocols(&[b"h2"])
            .send_certificate_authorities(true)
            .build()
            .unwrap();
        let (c, _) = handshaken(client.clone(), server.clone(), server_name("p384"));
        assert_eq!(c.peer_certificates(), certified_key("p384").chain());
        let seen = hosts.seen();
        let [seen] = &seen[..] else {
            panic!("{version:?}: {seen:?}")
        };
        assert_eq!(seen.version, version);
        assert_eq!(seen.server_name.as_deref(), Some("leaf.p384.test"));
        assert_eq!(seen.alpn, [b"h2".to_vec()]);
        assert!(
            seen.schemes
                .contains(&SignatureScheme::ecdsa_secp384r1_sha384),
            "{seen:?}"
        );
        let suite = match version {
            ProtocolVersion::TLSv1_3 => CipherSuite::TLS_AES_128_GCM_SHA256,
            _ => CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        };
        assert!(seen.suites.contains(&suite), "{seen:?}");
        let names = WebPkiServerVerifier::new(roots("p384")).root_subjects();
        let expected: &[Vec<u8>] = match version {
            ProtocolVersion::TLSv1_3 => &names,
            _ => &[],
        };
        assert_eq!(seen.authorities, expected, "{version:?}");
        // An ACME tls-alpn-01 validator gets the challenge certificate.
        let acme = any_server(version)
            .alpn_protocols(&[b"acme-tls/1"])
            .build()
            .unwrap();
        let (c, _) = handshaken(acme, server.clone(), name("leaf.p384.test"));
        assert_eq!(c.peer_certificates(), certified_key("ed25519").chain());
        assert_eq!(c.alpn_protocol(), Some(&b"acme-tls/1"[..]));
    }
}

#[test]
fn the_engine_chooses_among_the_resolvers_answer_what_fits_the_client() {
    // What each version lets a client limit: TLS 1.3 its signature
    // schemes, TLS 1.2 its suites (which name the key type).
    let limited = |version: ProtocolVersion, ecdsa: bool| match (version, ecdsa) {
        (ProtocolVersion::TLSv1_3, false) => any_server(version),
        (ProtocolVersion::TLSv1_3, true) => {
            any_server(version).signature_schemes(&[SignatureScheme::ecdsa_secp256r1_sha256])
        }
        (_, false) => {
            any_server(version).cipher_suites(&[CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256])
        }
        (_, true) => any_server(version)
            .cipher_suites(&[CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]),
    };
    for version in VERSIONS {
        let server = ServerConfig::builder_with_certificate_resolver(Arc::new(RsaThenP256))
            .versions(&[version])
            .build()
            .unwrap();
        for (ecdsa, expected) in [(false, "rsa2048"), (true, "p256")] {
            assert_eq!(
                served(limited(version, ecdsa), &server, "elsewhere.test"),
                certified_key(expected).chain(),
                "{version:?}, ECDSA only: {ecdsa}"
            );
        }
    }
}

#[test]
fn without_an_answer_the_configured_certificates_serve_or_the_handshake_fails() {
    for version in VERSIONS {
        // A name the resolver has nothing for.
        let hosts = Arc::new(Hosts::default());
        let server = ServerConfig::builder(certified_key("p256"))
            .certificate_resolver(hosts.clone())
            .versions(&[version])
            .build()
            .unwrap();
        assert_eq!(
            served(any_server(version), &server, "elsewhere.test"),
            certified_key("p256").chain()
        );
        assert_eq!(hosts.seen().len(), 1);
        // The resolver's answer comes before the configured P-384
        // certificate: RSA in TLS 1.3, P-256 in TLS 1.2, whose server
        // prefers the ECDSA suites.
        let server = ServerConfig::builder(certified_key("p384"))
            .certificate_resolver(Arc::new(RsaThenP256))
            .versions(&[version])
            .build()
            .unwrap();
        let expected = match version {
            ProtocolVersion::TLSv1_3 => "rsa2048",
            _ => "p256",
        };
        assert_eq!(
            served(any_server(version), &server, "elsewhere.test"),
            certified_key(expected).chain()
        );
        // Nothing to fall back on.
        let server = ServerConfig::builder_with_certificate_resolver(Arc::new(Hosts::default()))
            .versions(&[version])
            .build()
            .unwrap();
        let (error, alert) = refuses(
            any_server(version).build().unwrap(),
            server,
            name("elsewhere.test"),
            Refuser::Server,
            1,
            |_| {},
        );
        let reason = match version {
            ProtocolVersion::TLSv1_3 => HandshakeFailureReason::NoFittingCertificate,
            _ => HandshakeFailureReason::NoSuiteAndCertificate,
        };
        assert_eq!(error, Error::HandshakeFailure(reason), "{version:?}");
        assert_eq!(alert, Some(AlertDescription::HandshakeFailure.into()));
    }
}

#[test]
fn a_resumption_does_not_ask_the_resolver() {
    for version in VERSIONS {
        let hosts = Arc::new(Hosts::default());
        let server = ServerConfig::builder_with_certificate_resolver(hosts.clone())
            .versions(&[version])
            .build()
            .unwrap();
        let client = any_server(version).build().unwrap();
        for resumed in [false, true, true] {
            let (c, _) = handshaken(client.clone(), server.clone(), name("leaf.p256.test"));
            assert_eq!(c.is_resumed(), resumed, "{version:?}");
        }
        assert_eq!(hosts.seen().len(), 1, "{version:?}");
    }
}
