//! certificate_authorities (RFC 8446 §4.2.4; RFC 5246 §7.4.4 in TLS
//! 1.2): the server names its client-authentication roots, and a client
//! holding certificates from several CAs offers the one issued under a
//! named CA, not merely the first that can sign. In TLS 1.3 the other
//! way too, opt-in: the client names its anchors in ClientHello and a
//! server with several certificates prefers one under a named CA, after
//! the server name. Either side may hold a certificate back from peers
//! that name none of its CAs.

mod common;

use std::sync::Arc;

use common::rfc8448::client_hello;
use common::*;
use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::{
    ClientAuth, ClientCertVerified, ClientCertVerifier, ProtocolVersion, ServerCertVerified,
    ServerCertVerifier, ServerName, WebPkiClientVerifier, WebPkiServerVerifier,
};

const VERSIONS: [ProtocolVersion; 2] = [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2];

/// A client holding the P-384 certificate first, then the P-256 one.
fn two_certificate_client(version: ProtocolVersion) -> Arc<ferrotls::ClientConfig> {
    client_builder("p256")
        .versions(&[version])
        .client_certificate(certified_key("p384"))
        .client_certificate(certified_key("p256"))
        .build()
        .unwrap()
}

#[test]
fn the_client_offers_the_certificate_under_a_named_ca() {
    for version in VERSIONS {
        for (trusted, expected) in [("p256", "p256"), ("p384", "p384")] {
            let server = client_auth_server_builder("p256", trusted, true)
                .versions(&[version])
                .build()
                .unwrap();
            let (_, s) = handshaken(two_certificate_client(version), server, server_name("p256"));
            assert_eq!(
                s.peer_certificates(),
                certified_key(expected).chain(),
                "{version:?}, server trusting {trusted}"
            );
        }
    }
}

#[test]
fn a_client_whose_certificates_no_named_ca_issued_offers_the_first_that_fits() {
    for version in VERSIONS {
        let server = client_auth_server_builder("p256", "ed25519", true)
            .versions(&[version])
            .build()
            .unwrap();
        let (mut c, mut s) = pair(two_certificate_client(version), server, server_name("p256"));
        let mut refused = None;
        for _ in 0..5 {
            let (_, r) = transfer(&mut c, &mut s);
            if let Err(e) = r {
                refused = Some(e);
                break;
            }
            let _ = transfer(&mut s, &mut c);
        }
        // The P-384 certificate was sent, and the server does not know its CA.
        assert_eq!(
            refused.map(|e| e.alert()),
            Some(Some(ferrotls::AlertDescription::UnknownCa)),
            "{version:?}"
        );
    }
}

/// A client-certificate verifier written outside the crate: it names the
/// roots of `key_type` and takes only the end-entity certificate `only`,
/// refusing others with a reason of its own.
#[derive(Debug)]
struct OnlyThisLeaf {
    names: Vec<Vec<u8>>,
    only: Vec<u8>,
}

impl ClientCertVerifier for OnlyThisLeaf {
    fn verify_client_cert(
        &self,
        end_entity: &[u8],
        _intermediates: &[&[u8]],
        _now: u64,
    ) -> Result<ClientCertVerified, ferrotls::Error> {
        if end_entity == self.only {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(ferrotls::Error::InvalidCertificate(
                ferrotls::CertificateError::Refused("not the expected leaf"),
            ))
        }
    }

    fn root_subjects(&self) -> Vec<Vec<u8>> {
        self.names.clone()
    }
}

#[test]
fn a_client_verifier_of_the_applications_own_names_its_cas_and_decides() {
    for version in VERSIONS {
        for (named, expected) in [("p256", "p256"), ("p384", "p384")] {
            let verifier = OnlyThisLeaf {
                names: WebPkiClientVerifier::new(roots(named)).root_subjects(),
                only: certified_key(expected).chain()[0].clone(),
            };
            let server = server_builder("p256")
                .versions(&[version])
                .client_auth(ClientAuth::Required(Arc::new(verifier)))
                .build()
                .unwrap();
            let (_, s) = handshaken(two_certificate_client(version), server, server_name("p256"));
            assert_eq!(
                s.peer_certificates(),
                certified_key(expected).chain(),
                "{version:?}, naming {named}"
            );
        }
        // Its refusal ends the handshake, and the client learns of it as
        // certificate_unknown (RFC 8446 §6.2: "some other (unspecified)
        // issue").
        let verifier = OnlyThisLeaf {
            names: WebPkiClientVerifier::new(roots("p256")).root_subjects(),
            only: Vec::new(),
        };
        let server = server_builder("p256")
            .versions(&[version])
            .client_auth(ClientAuth::Required(Arc::new(verifier)))
            .build()
            .unwrap();
        let (mut c, mut s) = pair(two_certificate_client(version), server, server_name("p256"));
        let refused = (0..4).find_map(|_| {
            let refused = transfer(&mut c, &mut s).1.err();
            let answer = transfer(&mut s, &mut c).1;
            refused.map(|e| (e, answer))
        });
        let Some((server_error, client_result)) = refused else {
            panic!("{version:?}: no refusal")
        };
        assert_eq!(
            server_error,
            ferrotls::Error::InvalidCertificate(ferrotls::CertificateError::Refused(
                "not the expected leaf"
            )),
            "{version:?}"
        );
        assert_eq!(
            client_result,
            Err(ferrotls::Error::AlertReceived(
                ferrotls::AlertDescription::CertificateUnknown
            )),
            "{version:?}"
        );
    }
}

// ---- the client names its anchors (RFC 8446 §4.2.4, TLS 1.3) ----

/// Accepts any chain, and names the anchors of `names_of` as its own: a
/// client whose CA names can differ from what the server name selects.
#[derive(Debug)]
struct NamesOnly(Vec<Vec<u8>>);

impl NamesOnly {
    fn of(key_type: &str) -> Arc<Self> {
        Arc::new(Self(
            WebPkiServerVerifier::new(roots(key_type)).root_subjects(),
        ))
    }
}

impl ServerCertVerifier for NamesOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &[u8],
        _intermediates: &[&[u8]],
        _server_name: &ServerName,
        _now: u64,
    ) -> Result<ServerCertVerified, ferrotls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn root_subjects(&self) -> Vec<Vec<u8>> {
        self.0.clone()
    }
}

/// A server holding the P-256 certificate first, then the P-384 one.
fn two_certificate_server(version: ProtocolVersion) -> Arc<ferrotls::ServerConfig> {
    server_builder("p256")
        .versions(&[version])
        .certificate(certified_key("p384"))
        .build()
        .unwrap()
}

/// The certificate_authorities names in the ClientHello of `client`, if
/// it sends any.
fn client_hello_names(client: Arc<ferrotls::ClientConfig>) -> Option<Vec<Vec<u8>>> {
    let (mut c, _) = pair(
        client,
        two_certificate_server(ProtocolVersion::TLSv1_3),
        server_name("p384"),
    );
    let mut flight = Vec::new();
    c.write_tls(&mut flight).unwrap();
    let record = records(&flight).remove(0);
    let hello = client_hello(&record[5..]);
    hello.extensions().iter().find_map(|e| match e {
        Extension::CertificateAuthorities(names) => Some(names.clone()),
        _ => None,
    })
}

#[test]
fn a_client_sends_its_anchors_names_only_when_told_and_offering_tls13() {
    let p384_names = WebPkiServerVerifier::new(roots("p384")).root_subjects();
    assert_eq!(p384_names.len(), 1);
    let offering = |versions: &[ProtocolVersion], on: bool| {
        client_hello_names(
            client_builder("p384")
                .versions(versions)
                .send_certificate_authorities(on)
                .build()
                .unwrap(),
        )
    };
    let both = [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2];
    assert_eq!(offering(&both, true), Some(p384_names.clone()));
    assert_eq!(
        offering(&[ProtocolVersion::TLSv1_3], true),
        Some(p384_names)
    );
    // TLS 1.2 defines no certificate_authorities in ClientHello.
    assert_eq!(offering(&[ProtocolVersion::TLSv1_2], true), None);
    // Off by default.
    assert_eq!(offering(&both, false), None);
    // A verifier without anchors has nothing to name.
    let anchorless = ferrotls::ClientConfig::dangerous()
        .builder_accepting_any_server_certificate()
        .send_certificate_authorities(true)
        .build()
        .unwrap();
    assert_eq!(client_hello_names(anchorless), None);
}

#[test]
fn a_tls13_server_prefers_the_certificate_under_a_ca_the_client_names() {
    // Without server_name both certificates are defaults, P-256 first;
    // the client trusts only the P-384 root.
    let client = |on: bool| {
        client_builder("p384")
            .versions(&[ProtocolVersion::TLSv1_3])
            .enable_sni(false)
            .send_certificate_authorities(on)
            .build()
            .unwrap()
    };
    let (c, _) = handshaken(
        client(true),
        two_certificate_server(ProtocolVersion::TLSv1_3),
        server_name("p384"),
    );
    assert_eq!(c.peer_certificates(), certified_key("p384").chain());
    // Without the names the server sends its first certificate, which the
    // client cannot validate.
    let (mut c, mut s) = pair(
        client(false),
        two_certificate_server(ProtocolVersion::TLSv1_3),
        server_name("p384"),
    );
    let (_, r) = transfer(&mut c, &mut s);
    r.unwrap();
    let (_, r) = transfer(&mut s, &mut c);
    assert!(
        matches!(r, Err(ferrotls::Error::InvalidCertificate(_))),
        "{r:?}"
    );
}

#[test]
fn the_server_name_chooses_before_the_ca_names() {
    for (name, names_of, expected) in [
        // The name covers the P-256 leaf: the P-384 CA named does not
        // override it.
        ("leaf.p256.test", "p384", "p256"),
        ("leaf.p384.test", "p256", "p384"),
        // A name neither covers: both are defaults, ordered by the names.
        ("elsewhere.test", "p384", "p384"),
        ("elsewhere.test", "p256", "p256"),
        // Names neither chain has: the configured order.
        ("elsewhere.test", "ed25519", "p256"),
    ] {
        let client = ferrotls::ClientConfig::builder(NamesOnly::of(names_of))
            .versions(&[ProtocolVersion::TLSv1_3])
            .send_certificate_authorities(true)
            .build()
            .unwrap();
        let (c, _) = handshaken(
            client,
            two_certificate_server(ProtocolVersion::TLSv1_3),
            ServerName::parse(name).unwrap(),
        );
        assert_eq!(
            c.peer_certificates(),
            certified_key(expected).chain(),
            "{name}, naming the {names_of} root"
        );
    }
}

#[test]
fn a_tls12_server_ignores_names_sent_for_tls13() {
    // The client offers both versions and names the P-384 root; a server
    // that speaks only TLS 1.2 keeps its configured order.
    let client = ferrotls::ClientConfig::builder(NamesOnly::of("p384"))
        .send_certificate_authorities(true)
        .build()
        .unwrap();
    let (c, _) = handshaken(
        client,
        two_certificate_server(ProtocolVersion::TLSv1_2),
        ServerName::parse("elsewhere.test").unwrap(),
    );
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    assert_eq!(c.peer_certificates(), certified_key("p256").chain());
}

// ---- certificates that go only to a peer naming their CA ----

/// The certificate of `key_type`, held back from peers that name none of
/// its CAs.
fn held_back(key_type: &str) -> Arc<ferrotls::CertifiedKey> {
    Arc::new(
        (*certified_key(key_type))
            .clone()
            .with_issuer_match_required(),
    )
}

/// A server of `version` holding the held-back P-256 certificate, then,
/// unless `alone`, the P-384 one.
fn held_back_server(version: ProtocolVersion, alone: bool) -> Arc<ferrotls::ServerConfig> {
    let builder = ferrotls::ServerConfig::builder(held_back("p256")).versions(&[version]);
    let builder = if alone {
        builder
    } else {
        builder.certificate(certified_key("p384"))
    };
    builder.build().unwrap()
}

/// A client offering `versions` that names the root of `names_of` when
/// `names_of` is given.
fn naming_client(
    versions: &[ProtocolVersion],
    names_of: Option<&str>,
) -> Arc<ferrotls::ClientConfig> {
    ferrotls::ClientConfig::builder(NamesOnly::of(names_of.unwrap_or("p256")))
        .versions(versions)
        .send_certificate_authorities(names_of.is_some())
        .build()
        .unwrap()
}

#[test]
fn a_tls13_server_sends_a_held_back_certificate_only_to_a_client_naming_its_ca() {
    let tls13 = [ProtocolVersion::TLSv1_3];
    for (name, names_of, expected) in [
        ("elsewhere.test", Some("p256"), "p256"),
        ("elsewhere.test", Some("p384"), "p384"),
        // Names neither chain has, or none at all: without the hold the
        // P-256 certificate would go first.
        ("elsewhere.test", Some("ed25519"), "p384"),
        ("elsewhere.test", None, "p384"),
        // The hold comes before the server name, which covers P-256.
        ("leaf.p256.test", Some("p384"), "p384"),
        ("leaf.p256.test", None, "p384"),
    ] {
        let (c, _) = handshaken(
            naming_client(&tls13, names_of),
            held_back_server(ProtocolVersion::TLSv1_3, false),
            ServerName::parse(name).unwrap(),
        );
        assert_eq!(
            c.peer_certificates(),
            certified_key(expected).chain(),
            "{name}, naming {names_of:?}"
        );
    }
    // Held back with nothing else to send: handshake_failure.
    for names_of in [Some("p384"), None] {
        assert_refused_for_want_of_a_name(
            ProtocolVersion::TLSv1_3,
            naming_client(&tls13, names_of),
        );
    }
}

/// Checks that a server of `version` holding the held-back P-256
/// certificate alone refuses `client` for it, with `handshake_failure`.
fn assert_refused_for_want_of_a_name(
    version: ProtocolVersion,
    client: Arc<ferrotls::ClientConfig>,
) {
    let (error, alert) = refuses(
        client,
        held_back_server(version, true),
        ServerName::parse("leaf.p256.test").unwrap(),
        Refuser::Server,
        1,
        |_| {},
    );
    assert_eq!(
        error,
        ferrotls::Error::HandshakeFailure(
            ferrotls::internal::error::HandshakeFailureReason::NoCertificateUnderNamedCa
        ),
        "{version:?}"
    );
    assert_eq!(
        alert,
        Some(ferrotls::AlertDescription::HandshakeFailure.into())
    );
}

#[test]
fn a_tls12_server_never_sends_a_held_back_certificate() {
    // The client offers both versions and names the P-256 root; a TLS 1.2
    // ClientHello carries no names a TLS 1.2 server reads.
    let both = [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2];
    let (c, _) = handshaken(
        naming_client(&both, Some("p256")),
        held_back_server(ProtocolVersion::TLSv1_2, false),
        ServerName::parse("leaf.p256.test").unwrap(),
    );
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    assert_eq!(c.peer_certificates(), certified_key("p384").chain());
    assert_refused_for_want_of_a_name(ProtocolVersion::TLSv1_2, naming_client(&both, Some("p256")));
}

#[test]
fn a_client_offers_a_held_back_certificate_only_to_a_server_naming_its_ca() {
    for version in VERSIONS {
        // The P-384 certificate first, held back; then the P-256 one.
        let client = |alone: bool| {
            let builder = client_builder("p256")
                .versions(&[version])
                .client_certificate(held_back("p384"));
            let builder = if alone {
                builder
            } else {
                builder.client_certificate(certified_key("p256"))
            };
            builder.build().unwrap()
        };
        for (trusted, expected) in [("p384", "p384"), ("p256", "p256")] {
            let server = client_auth_server_builder("p256", trusted, true)
                .versions(&[version])
                .build()
                .unwrap();
            let (_, s) = handshaken(client(false), server, server_name("p256"));
            assert_eq!(
                s.peer_certificates(),
                certified_key(expected).chain(),
                "{version:?}, server trusting {trusted}"
            );
        }
        // A server naming neither CA: the held-back certificate stays
        // home and the client sends none.
        let server = client_auth_server_builder("p256", "ed25519", false)
            .versions(&[version])
            .build()
            .unwrap();
        let (_, s) = handshaken(client(true), server, server_name("p256"));
        assert!(s.peer_certificates().is_empty(), "{version:?}");
    }
}
