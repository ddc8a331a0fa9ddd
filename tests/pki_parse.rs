//! X.509 and DER parsing over the generated vectors: every certificate
//! parses with the fields `vectors/pki/make.sh` asked openssl for, and
//! every non-DER mutation of a valid certificate is refused without a
//! panic.

mod common;

use common::vectors_dir;

use ferrotls::internal::crypto::verify::PublicKey;
use ferrotls::internal::pki::Certificate;
use ferrotls::{certificates_from_pem, CertificateError, LoadError, RootStore};
use std::path::Path;

fn der(file: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(vectors_dir().join(file)).expect(file);
    certificates_from_pem(&text).expect(file).remove(0)
}

/// 2025-01-01 and 2100-01-01 at 00:00:00Z (`date -u -d ... +%s`), the
/// window make.sh gives every ordinary certificate.
const NOT_BEFORE: i64 = 1_735_689_600;
const NOT_AFTER: i64 = 4_102_444_800;

#[test]
fn every_generated_certificate_parses() {
    let mut count = 0;
    for entry in std::fs::read_dir(vectors_dir()).expect("vectors/pki") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "pem") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let blocks = ferrotls::certificate_blocks_from_pem(&text).expect("pem");
        for block in blocks {
            count += 1;
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            match Certificate::parse(&block) {
                Ok(cert) => assert!(cert.serial.len() <= 20),
                // The leaves made to fail at parse time (the intermediates
                // in their chain files parse).
                Err(CertificateError::UnsupportedCriticalExtension(_))
                    if file.starts_with("critical-unknown")
                        || file.starts_with("policy-critical") => {}
                Err(CertificateError::MisIssued("DNS name with an underscore"))
                    if file.starts_with("underscore") => {}
                Err(e) => panic!("{file}: {e}"),
            }
        }
    }
    assert!(count > 300, "only {count} certificates found");
}

#[test]
fn fields_are_what_the_script_asked_for() {
    let leaf_der = der("p256-leaf.pem");
    let leaf = Certificate::parse(&leaf_der).unwrap();
    assert_eq!((leaf.not_before, leaf.not_after), (NOT_BEFORE, NOT_AFTER));
    assert!(!leaf.is_ca() && !leaf.is_self_issued());
    assert!(matches!(leaf.public_key, PublicKey::EcdsaP256(ref p) if p.len() == 65));
    let int_der = der("p256-int.pem");
    let int = Certificate::parse(&int_der).unwrap();
    assert_eq!(leaf.issuer, int.subject);
    assert!(int.is_ca() && int.basic_constraints.unwrap().critical);
    let root_der = der("p256-root.pem");
    assert!(Certificate::parse(&root_der).unwrap().is_self_issued());
    let expired_der = der("expired.pem");
    // 2028-01-01T00:00:00Z.
    assert_eq!(
        Certificate::parse(&expired_der).unwrap().not_after,
        1_830_297_600
    );
    let pathlen_der = der("pathlen0.pem");
    let pathlen = Certificate::parse(&pathlen_der).unwrap();
    assert_eq!(pathlen.basic_constraints.unwrap().path_len, Some(0));
    for (file, want) in [
        ("rsa2048-leaf.pem", "rsa"),
        ("p384-leaf.pem", "p384"),
        ("p521-leaf.pem", "p521"),
        ("ed25519-leaf.pem", "ed25519"),
    ] {
        let der = der(file);
        let key = Certificate::parse(&der).unwrap().public_key;
        let got = match key {
            PublicKey::Rsa(_) => "rsa",
            PublicKey::EcdsaP256(_) => "p256",
            PublicKey::EcdsaP384(_) => "p384",
            PublicKey::EcdsaP521(_) => "p521",
            PublicKey::Ed25519(_) => "ed25519",
            PublicKey::RsaPss { .. } => "rsa-pss",
        };
        assert_eq!(got, want, "{file}");
    }
}

#[test]
fn trailing_and_truncated_input_is_refused() {
    let good = der("rsa2048-leaf.pem");
    let mut trailing = good.clone();
    trailing.push(0);
    assert!(matches!(
        Certificate::parse(&trailing),
        Err(CertificateError::BadEncoding(_))
    ));
    for len in 0..good.len() {
        assert!(Certificate::parse(&good[..len]).is_err(), "prefix of {len}");
    }
}

#[test]
fn non_der_encodings_are_refused() {
    let good = der("p256-leaf.pem");
    // The outer SEQUENCE is `30 82 LL LL`: re-encode its length with a
    // superfluous leading zero octet (BER, not DER).
    assert_eq!(&good[..2], &[0x30, 0x82]);
    let mut long_form = vec![0x30, 0x83, 0x00];
    long_form.extend_from_slice(&good[2..]);
    assert!(matches!(
        Certificate::parse(&long_form),
        Err(CertificateError::BadEncoding(_))
    ));
    // Indefinite length with end-of-contents octets.
    let mut indefinite = vec![0x30, 0x80];
    indefinite.extend_from_slice(&good[4..]);
    indefinite.extend_from_slice(&[0, 0]);
    assert!(Certificate::parse(&indefinite).is_err());
    // Flipping any single bit must never panic; where it lands in the
    // structure (not in a signature, key or string) it must be refused.
    for i in 0..good.len() {
        for bit in 0..8 {
            let mut mutated = good.clone();
            mutated[i] ^= 1 << bit;
            let _ = Certificate::parse(&mutated);
        }
    }
    let mut version = good.clone();
    // tbsCertificate starts at 4; `a0 03 02 01 02` is the version.
    assert_eq!(&version[8..13], &[0xa0, 0x03, 0x02, 0x01, 0x02]);
    version[12] = 0x01;
    assert!(Certificate::parse(&version).is_err(), "v2 refused");
}

#[test]
fn signature_algorithm_must_match_the_inner_one() {
    // In the RSA leaf the inner and outer AlgorithmIdentifiers are both
    // sha256WithRSAEncryption (`... 01 01 0b 05 00`); change the outer one
    // to sha384WithRSAEncryption.
    let good = der("rsa2048-leaf.pem");
    let needle = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
    let last = good
        .windows(needle.len())
        .rposition(|w| w == needle)
        .expect("outer algorithm");
    let mut mutated = good.clone();
    mutated[last + needle.len() - 1] = 0x0c;
    assert!(matches!(
        Certificate::parse(&mutated),
        Err(CertificateError::BadEncoding(_))
    ));
}

#[test]
fn root_stores_load_bundles_and_refuse_empty_files() {
    let store = RootStore::from_pem_file(vectors_dir().join("all-roots.pem")).unwrap();
    assert_eq!(store.len(), 4);
    assert!(matches!(
        RootStore::from_pem_file(vectors_dir().join("make.sh")),
        Err(LoadError::NoCertificates)
    ));
    assert!(matches!(
        RootStore::from_pem_file(vectors_dir().join("absent.pem")),
        Err(LoadError::Io(_))
    ));
}

/// The system bundle loads whenever one of the known paths exists, and
/// almost every root in it parses (the count of skipped certificates is
/// compared with the number of PEM blocks `grep` would find).
#[test]
fn system_bundle_loads_where_present() {
    let present: Vec<&str> = ferrotls::internal::pki::trust::SYSTEM_BUNDLE_PATHS
        .iter()
        .copied()
        .filter(|p| Path::new(p).exists())
        .collect();
    let store = RootStore::system();
    match present.first() {
        None => assert!(matches!(store, Err(LoadError::NoCertificates))),
        Some(path) => {
            let store = store.expect("system bundle");
            let text = std::fs::read_to_string(path).unwrap();
            let blocks = text.matches("-----BEGIN CERTIFICATE-----").count();
            assert!(
                store.len() * 10 >= blocks * 9,
                "{} of {blocks}",
                store.len()
            );
        }
    }
}

/// Renaming the keyUsage extension (2.5.29.15) of a leaf to
/// basicConstraints (2.5.29.19), which the leaf already carries before
/// it, makes a certificate with a duplicate extension (RFC 5280 §4.2).
#[test]
fn duplicate_extensions_are_refused() {
    let good = der("p256-leaf.pem");
    let key_usage_oid = [0x06, 0x03, 0x55, 0x1d, 0x0f];
    let basic_constraints_oid = [0x06, 0x03, 0x55, 0x1d, 0x13];
    let at = good
        .windows(5)
        .position(|w| w == key_usage_oid)
        .expect("keyUsage");
    assert!(good[..at].windows(5).any(|w| w == basic_constraints_oid));
    let mut mutated = good.clone();
    mutated[at + 4] = 0x13;
    assert_eq!(
        Certificate::parse(&mutated).unwrap_err(),
        CertificateError::MisIssued("duplicate extension")
    );
}
