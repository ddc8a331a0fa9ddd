//! Differential fuzzing of the certificate validator: the input chooses a
//! generated chain (`tests/common/chains.rs`, shared with
//! `tests/pki_differential.rs`: byte 0 the key of each certificate, bytes
//! 1–3 a set of mutations) and up to `MAX_LEAF_FLIPS` byte flips of its
//! leaf's tbsCertificate (`Chain::flip_leaf_tbs`: 3 bytes each, a
//! little-endian offset reduced modulo its length, and the XOR mask),
//! which is the same in every run, so a finding replays. ferrotls (webpki profile) and rustls-webpki
//! judge it, both believing every signature as fuzzing mode does
//! (docs/fuzzing.md). A disagreement panics unless the table of expected
//! differences explains it; on a flipped leaf, ferrotls refusing what
//! rustls-webpki accepts is expected too (ferrotls's DER and string rules
//! are stricter, docs/pki.md), and so is rustls-webpki refusing a leaf
//! whose validity a flip moved before 1970 (`BadDerTime`: its times are
//! seconds after 1970, while RFC 5280 §4.1.2.5.1 gives UTCTime the years
//! 1950 to 2049, which ferrotls reads), and so is rustls-webpki finding
//! no issuer for a leaf whose issuer name a flip changed only in what RFC
//! 5280 §7.1 does not count (a letter's case, a space), which ferrotls
//! matches and rustls-webpki compares byte for byte. Any other case of
//! ferrotls accepting what rustls-webpki refuses panics.
#![no_main]

use ferrotls::internal::pki::{names_match, Certificate};
use libfuzzer_sys::fuzz_target;
use rustls_pki_types as pki_types;

// The test reads parts (a chain's mutations, why a difference is right)
// this target does not.
#[allow(dead_code)]
#[path = "../../tests/common/chains.rs"]
mod chains;

fuzz_target!(|data: &[u8]| {
    let (description, rest) = chains::Description::from_fuzz(data);
    let mut chain = chains::generate(&description);
    let flipped = chain.flip_leaf_tbs(rest);
    let ferrotls = chains::ferrotls_verdict(&chain);
    let webpki = chains::webpki_verdict(&chain);
    let before_1970 = || {
        Certificate::parse(&chain.leaf).is_ok_and(|leaf| leaf.not_before < 0 || leaf.not_after < 0)
    };
    let issuer_respelt = || match (
        Certificate::parse(&chain.leaf),
        Certificate::parse(&chain.intermediate),
    ) {
        (Ok(leaf), Ok(int)) => leaf.issuer != int.subject && names_match(leaf.issuer, int.subject),
        _ => false,
    };
    if ferrotls.is_ok() == webpki.is_ok()
        || (flipped && ferrotls.is_err())
        || (flipped && webpki.as_ref().is_err_and(|e| e == "BadDerTime") && before_1970())
        || (flipped && webpki.as_ref().is_err_and(|e| e == "UnknownIssuer") && issuer_respelt())
        || chains::explained(&description, chains::Oracle::Webpki, ferrotls.is_ok()).is_some()
    {
        return;
    }
    panic!(
        "{description}{}: ferrotls {ferrotls:?}, rustls-webpki {webpki:?}",
        if flipped { ", leaf flipped" } else { "" }
    );
});
