//! HKDF against RFC 5869 Appendix A, test cases 1–3 (SHA-256). The
//! expected PRK and OKM values are the RFC's.

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
