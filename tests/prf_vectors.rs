//! The TLS PRFs against `vectors/tls_prf.vec` and against the `openssl kdf`
//! TLS1-PRF oracle.
//!
//! The oracle values were produced by OpenSSL 3.0.19's TLS1-PRF, an
//! independent implementation:
//! `openssl kdf -keylen N -kdfopt digest:D -kdfopt hexsecret:<secret hex>
//!  -kdfopt seed:"test label" -kdfopt hexseed:<"oracle seed" hex> TLS1-PRF`
//! with D = SHA256, SHA384 or MD5-SHA1.

use ferrotls::internal::crypto::hash::HashAlgorithm;
use ferrotls::internal::crypto::prf::prf;

/// One `[Section]` of the vector file with its `Key = value` records.
struct Section {
    name: String,
    records: Vec<Vec<(String, String)>>,
}

fn parse(text: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            sections.push(Section {
                name: name.to_string(),
                records: vec![Vec::new()],
            });
            continue;
        }
        let section = sections.last_mut().expect("a key before the first section");
        if line.is_empty() {
            if section.records.last().is_some_and(|r| !r.is_empty()) {
                section.records.push(Vec::new());
            }
            continue;
        }
        let (key, value) = line.split_once('=').expect("Key = value");
        section
            .records
            .last_mut()
            .unwrap()
            .push((key.trim().to_string(), value.trim().to_string()));
    }
    for s in &mut sections {
        s.records.retain(|r| !r.is_empty());
    }
    sections
}

fn field(record: &[(String, String)], key: &str) -> Vec<u8> {
    let value = record
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    hex::decode(value).unwrap_or_else(|e| panic!("{key} = {value}: {e}"))
}

/// The hash ferrotls uses for a section, or `None` when ferrotls does not
/// implement that PRF.
fn hash_for(section: &str) -> Option<HashAlgorithm> {
    match section {
        #[cfg(feature = "legacy")]
        "TLS-PRF" => Some(HashAlgorithm::Md5Sha1),
        "TLS-12-PRF(HMAC(SHA-256))" => Some(HashAlgorithm::Sha256),
        "TLS-12-PRF(HMAC(SHA-384))" => Some(HashAlgorithm::Sha384),
        "TLS-12-PRF(HMAC(SHA-512))" => Some(HashAlgorithm::Sha512),
        _ => None,
    }
}

#[test]
fn every_vector_in_tls_prf_vec_passes() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/tls_prf.vec"))
        .unwrap();
    let sections = parse(&text);
    let mut checked = 0;
    let mut unsupported = Vec::new();
    for section in &sections {
        let Some(hash) = hash_for(&section.name) else {
            unsupported.push(section.name.clone());
            continue;
        };
        for record in &section.records {
            let secret = field(record, "Secret");
            // `Salt` is label || seed; some sections give the label apart.
            let label = field(record, "Label");
            let seed = field(record, "Salt");
            let want = field(record, "Output");
            let mut got = vec![0u8; want.len()];
            prf(hash, &secret, &label, &[&seed], &mut got).unwrap();
            assert_eq!(hex::encode(&got), hex::encode(&want), "{}", section.name);
            checked += 1;
        }
    }
    // ferrotls has no SHA-224 (no TLS cipher suite uses it), so exactly that
    // section is not run (and the TLS 1.0 PRF only with MD5, feature
    // `legacy`); every other vector of the file is.
    let mut expected_unsupported = vec![];
    if cfg!(not(feature = "legacy")) {
        expected_unsupported.push("TLS-PRF");
    }
    expected_unsupported.push("TLS-12-PRF(HMAC(SHA-224))");
    assert_eq!(unsupported, expected_unsupported);
    let skipped: usize = sections
        .iter()
        .filter(|s| unsupported.contains(&s.name))
        .map(|s| s.records.len())
        .sum();
    let secret_lines = text.lines().filter(|l| l.starts_with("Secret")).count();
    assert_eq!(checked, secret_lines - skipped, "a record was not parsed");
}

#[test]
fn openssl_tls1_prf_oracle_tls12() {
    let cases = [
        (
            HashAlgorithm::Sha256,
            "07837df486488412932c84936f99093a025755b31864985644dc5b1193ae3a1f2afd3f9e01dfd389",
        ),
        (
            HashAlgorithm::Sha384,
            "13ccd063949d82dad05f8482f7658712748dfbaad896e752ccbbe4d537905e325d054e4c4adf012f\
             ae2978319fb5e7e6cdb8d82fa1e1e0489a3e06d1323c211ffe2c3622ae2e72f9",
        ),
    ];
    for (hash, want) in cases {
        assert_eq!(
            oracle_prf(hash, b"oracle secret", want.len() / 2),
            want,
            "{hash:?}"
        );
    }
}

/// digest MD5-SHA1 is the TLS 1.0/1.1 PRF; the 17-byte secret makes S1 and
/// S2 share their middle byte (RFC 2246 §5).
#[cfg(feature = "legacy")]
#[test]
fn openssl_tls1_prf_oracle_tls10() {
    let want = "5db1e7e1524a927448cd42b7ec1b77a8766834d45283f2760bb4816e38f65cf5937cd8e83a";
    assert_eq!(
        oracle_prf(HashAlgorithm::Md5Sha1, b"odd-length secret", want.len() / 2),
        want
    );
}

/// `PRF(secret, "test label", "oracle seed")` as hex.
fn oracle_prf(hash: HashAlgorithm, secret: &[u8], len: usize) -> String {
    let mut got = vec![0u8; len];
    prf(hash, secret, b"test label", &[b"oracle seed"], &mut got).unwrap();
    hex::encode(got)
}
