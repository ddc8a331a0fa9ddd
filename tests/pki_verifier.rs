//! The verifier traits the handshake calls: the built-in verifiers accept
//! good chains, refuse bad ones with `Error::InvalidCertificate` whose
//! alert is the one RFC 8446 §6.2 names, and only the dangerous door
//! gives a client that accepts anything. Certificates from `vectors/pki/make.sh`.

mod common;

use common::{handshaken, pair, server_builder, transfer, vectors_dir};

use ferrotls::internal::pki::Certificate;
use ferrotls::{
    certificate_blocks_from_pem, AlertDescription, CertificateError, ClientCertVerifier, Error,
    RootStore, ServerCertVerifier, ServerName, WebPkiClientVerifier, WebPkiServerVerifier,
};
use std::sync::Arc;

/// 2030-01-01T00:00:00Z, inside every ordinary certificate's window.
const NOW: u64 = 1_893_456_000;

fn chain(file: &str) -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(vectors_dir().join(file)).expect(file);
    certificate_blocks_from_pem(&text).expect(file)
}

fn roots(file: &str) -> Arc<RootStore> {
    Arc::new(RootStore::from_pem_file(vectors_dir().join(file)).expect(file))
}

fn server_check(roots_file: &str, chain_file: &str, name: &str) -> Result<(), Error> {
    let verifier = WebPkiServerVerifier::new(roots(roots_file));
    let chain = chain(chain_file);
    let intermediates: Vec<&[u8]> = chain[1..].iter().map(Vec::as_slice).collect();
    let name = ServerName::parse(name).unwrap();
    verifier
        .verify_server_cert(&chain[0], &intermediates, &name, NOW)
        .map(|_| ())
}

#[test]
fn server_verifier_accepts_and_refuses_with_the_right_alert() {
    assert_eq!(
        server_check("p256-root.pem", "p256-chain.pem", "leaf.p256.test"),
        Ok(())
    );
    let cases = [
        (
            "p256-root.pem",
            "expired-chain.pem",
            "expired.test",
            CertificateError::Expired,
            AlertDescription::CertificateExpired,
        ),
        (
            "rsa2048-root.pem",
            "p256-chain.pem",
            "leaf.p256.test",
            CertificateError::UnknownIssuer,
            AlertDescription::UnknownCa,
        ),
        (
            "p256-root.pem",
            "p256-chain.pem",
            "other.test",
            CertificateError::NameMismatch,
            AlertDescription::BadCertificate,
        ),
        (
            "rsa2048-root.pem",
            "bad-signature-chain.pem",
            "leaf.rsa2048.test",
            CertificateError::BadSignature,
            AlertDescription::BadCertificate,
        ),
        (
            "p256-root.pem",
            "critical-unknown-chain.pem",
            "critical.test",
            CertificateError::UnsupportedCriticalExtension(""),
            AlertDescription::UnsupportedCertificate,
        ),
        (
            "p256-root.pem",
            "client-only-chain.pem",
            "client.test",
            CertificateError::InvalidPurpose,
            AlertDescription::UnsupportedCertificate,
        ),
    ];
    for (roots, chain, name, reason, alert) in cases {
        let err = server_check(roots, chain, name).unwrap_err();
        assert_eq!(err, Error::InvalidCertificate(reason), "{chain}");
        assert_eq!(err.alert(), Some(alert), "{chain}");
    }
}

#[test]
fn client_verifier_accepts_client_chains_and_names_its_roots() {
    let roots = roots("all-roots.pem");
    let verifier = WebPkiClientVerifier::new(roots.clone());
    let subjects = verifier.root_subjects();
    assert_eq!(subjects.len(), 4);
    let p256_root = chain("p256-root.pem").remove(0);
    let subject = Certificate::parse(&p256_root).unwrap().subject.to_vec();
    assert!(subjects.contains(&subject));

    let client = chain("client-only-chain.pem");
    let intermediates: Vec<&[u8]> = client[1..].iter().map(Vec::as_slice).collect();
    assert!(verifier
        .verify_client_cert(&client[0], &intermediates, NOW)
        .is_ok());
    // The same chain, but its intermediate is left out.
    assert_eq!(
        verifier
            .verify_client_cert(&client[0], &[], NOW)
            .unwrap_err(),
        Error::InvalidCertificate(CertificateError::UnknownIssuer)
    );
    // A CA limited to clientAuth is fine for clients.
    let under = chain("client-ca-chain.pem");
    let intermediates: Vec<&[u8]> = under[1..].iter().map(Vec::as_slice).collect();
    assert!(verifier
        .verify_client_cert(&under[0], &intermediates, NOW)
        .is_ok());
}

#[test]
fn only_the_dangerous_door_accepts_any_server_certificate() {
    // The server's chain is not under the client's (absent) roots, and
    // the name is not the certificate's.
    let name = ServerName::parse("anything.test").unwrap();
    let server = server_builder("p256").build().unwrap();
    let client = ferrotls::ClientConfig::dangerous()
        .builder_accepting_any_server_certificate()
        .build()
        .unwrap();
    let (c, _) = handshaken(client, server.clone(), name.clone());
    assert!(!c.peer_certificates().is_empty());
    let verified = ferrotls::ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(
        RootStore::new(),
    ))))
    .build()
    .unwrap();
    let (mut c, mut s) = pair(verified, server, name);
    let (_, result) = transfer(&mut c, &mut s);
    result.unwrap();
    assert!(matches!(
        transfer(&mut s, &mut c).1,
        Err(Error::InvalidCertificate(_))
    ));
}

/// The server verifier's signature cache saves work without changing any
/// verdict: after one good validation the chain's two signatures are
/// remembered and the next validation is answered from them, yet a later
/// time, another name and a tampered leaf signature get exactly the
/// verdict a verifier with an empty cache gives.
#[test]
fn server_verifier_cache_saves_work_but_no_check() {
    let warm = WebPkiServerVerifier::new(roots("p256-root.pem"));
    let chain = chain("p256-chain.pem");
    let intermediates: Vec<&[u8]> = chain[1..].iter().map(Vec::as_slice).collect();
    let name = ServerName::parse("leaf.p256.test").unwrap();
    let check = |verifier: &WebPkiServerVerifier, leaf: &[u8], name: &ServerName, now: u64| {
        verifier
            .verify_server_cert(leaf, &intermediates, name, now)
            .map(|_| ())
    };

    assert_eq!(check(&warm, &chain[0], &name, NOW), Ok(()));
    assert_eq!(warm.signature_cache().len(), 2);
    assert_eq!(warm.signature_cache().hits(), 0);
    assert_eq!(check(&warm, &chain[0], &name, NOW), Ok(()));
    assert_eq!(warm.signature_cache().hits(), 2);

    let mut tampered = chain[0].clone();
    *tampered.last_mut().unwrap() ^= 0x01;
    let other = ServerName::parse("other.test").unwrap();
    let century_later = NOW + 100 * 365 * 86_400;
    for (leaf, name, now) in [
        (&tampered, &name, NOW),
        (&chain[0], &other, NOW),
        (&chain[0], &name, century_later),
    ] {
        let cold = WebPkiServerVerifier::new(roots("p256-root.pem"));
        let verdict = check(&warm, leaf, name, now);
        assert!(verdict.is_err());
        assert_eq!(verdict, check(&cold, leaf, name, now));
    }
    assert_eq!(warm.signature_cache().len(), 2);
}
