//! Revocation checks against one CRL of growing length: what adding the
//! CRL costs (read once) and what each check of a certificate it does not
//! list costs (RFC 5280 §6.3.3), for 1,000 to 1,000,000 entries.
//!
//! Run with `cargo bench --bench revocation`. The CRL is built here: the
//! P-256 test intermediate of `vectors/pki` (whose keyUsage allows
//! cRLSign) signs a v2 CRL (RFC 5280 §5.1) listing serials that the
//! chain's leaf does not have, and each check runs `Revocation::check`
//! on the validated leaf → intermediate → root path. Prints one line per
//! length: the time to add the CRL, the first check (which verifies the
//! CRL's signature) and the median of the 101 after it. First
//! it checks that the CRL is believed: one listing the leaf revokes it.

use ferrotls::internal::crypto::hash::HashAlgorithm;
use ferrotls::internal::crypto::verify::SignatureAlgorithm;
use ferrotls::internal::pki::Certificate;
use ferrotls::{
    certificates_from_pem, private_key_from_pem, verify_chain, CertificateError, Purpose,
    Revocation, RevocationPolicy, RootStore, Validation,
};
use std::time::Instant;

/// 2030-01-01T00:00:00Z, inside the test chain's validity.
const NOW: u64 = 1_893_456_000;

const LENGTHS: [u32; 4] = [1_000, 10_000, 100_000, 1_000_000];

const CHECKS: usize = 101;

/// ecdsa-with-SHA256 (RFC 5758 §3.2), the AlgorithmIdentifier with
/// absent parameters.
const ECDSA_SHA256: &[u8] = &[
    0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
];

/// thisUpdate 2029-12-01, nextUpdate 2030-02-01 (UTCTime).
const THIS_UPDATE: &[u8] = b"\x17\x0d291201000000Z";
const NEXT_UPDATE: &[u8] = b"\x17\x0d300201000000Z";

/// A DER TLV with a definite length (X.690 §8.1.3).
fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let len = value.len();
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let octets: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | octets.len() as u8);
        out.extend(octets);
    }
    out.extend_from_slice(value);
    out
}

fn vector(name: &str) -> String {
    let path = format!("{}/vectors/pki/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A v2 CRL by the intermediate (its subject as issuer) listing `n`
/// serials 0x0100000000..: five octets each, none the leaf's; and
/// `also`, when given. It carries the cRLNumber every CRL must.
fn crl(n: u32, issuer: &[u8], also: Option<&[u8]>) -> Vec<u8> {
    let entry = |serial: &[u8]| tlv(0x30, &[tlv(0x02, serial), THIS_UPDATE.to_vec()].concat());
    let mut entries = Vec::new();
    for i in 0..n {
        entries.extend(entry(&[&[0x01][..], &i.to_be_bytes()].concat()));
    }
    if let Some(serial) = also {
        entries.extend(entry(serial));
    }
    let mut tbs = vec![0x02, 0x01, 0x01];
    tbs.extend_from_slice(ECDSA_SHA256);
    tbs.extend_from_slice(issuer);
    tbs.extend_from_slice(THIS_UPDATE);
    tbs.extend_from_slice(NEXT_UPDATE);
    tbs.extend(tlv(0x30, &entries));
    // crlExtensions [0]: cRLNumber 1 (2.5.29.20), which RFC 5280 §5.2.3
    // requires of every CRL.
    let crl_number = tlv(
        0x30,
        &[tlv(0x06, &[0x55, 0x1d, 0x14]), tlv(0x04, &tlv(0x02, &[1]))].concat(),
    );
    tbs.extend(tlv(0xa0, &tlv(0x30, &crl_number)));
    let tbs = tlv(0x30, &tbs);
    let key = private_key_from_pem(&vector("p256-int.key")).expect("intermediate key");
    let signature = key
        .sign(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256), &tbs)
        .expect("signs");
    let body = [
        tbs,
        ECDSA_SHA256.to_vec(),
        tlv(0x03, &[&[0][..], &signature].concat()),
    ]
    .concat();
    tlv(0x30, &body)
}

fn main() {
    let chain = certificates_from_pem(&vector("p256-chain.pem")).expect("chain");
    let mut roots = RootStore::new();
    roots.add_pem(&vector("p256-root.pem")).expect("root");
    let intermediates: Vec<&[u8]> = chain.iter().skip(1).map(Vec::as_slice).collect();
    let validation = Validation::new(&roots, Purpose::ServerAuth, NOW);
    let path = verify_chain(&chain[0], &intermediates, &validation).expect("path");
    let issuer = Certificate::parse(&chain[1])
        .expect("intermediate")
        .subject
        .to_vec();
    // The CRL is believed: listing the leaf's serial revokes it. (Soft
    // fail below, as the root publishes no CRL for the intermediate.)
    let leaf_serial = Certificate::parse(&chain[0]).expect("leaf").serial.to_vec();
    let mut listing = Revocation::new(RevocationPolicy::SoftFail);
    listing
        .add_crl_der(crl(3, &issuer, Some(&leaf_serial)))
        .expect("CRL accepted");
    assert!(matches!(
        listing.check(&path, NOW, None),
        Err(CertificateError::Revoked(_))
    ));
    for n in LENGTHS {
        let der = crl(n, &issuer, None);
        let mut revocation = Revocation::new(RevocationPolicy::SoftFail);
        let start = Instant::now();
        revocation.add_crl_der(der.clone()).expect("CRL accepted");
        let add = start.elapsed();
        let start = Instant::now();
        revocation.check(&path, NOW, None).expect("not revoked");
        let first = start.elapsed().as_secs_f64() * 1e6;
        let mut times: Vec<f64> = (0..CHECKS)
            .map(|_| {
                let start = Instant::now();
                revocation.check(&path, NOW, None).expect("not revoked");
                start.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "RESULT revocation-crl-{n} crl_bytes={} add_ms={:.1} first_check_us={first:.1} check_us={:.1}",
            der.len(),
            add.as_secs_f64() * 1e3,
            times[CHECKS / 2]
        );
    }
}
