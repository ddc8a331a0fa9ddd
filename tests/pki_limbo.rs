//! x509-limbo, the path-validation conformance suite of the C2SP project
//! (github.com/C2SP/x509-limbo, Apache-2.0): every testcase of
//! `vectors/x509-limbo/limbo.json` judged by ferrotls's validator, and
//! the verdict compared with the suite's expected result.
//!
//! Every disagreement must be one of [`EXPECTED_DIFFERENCES`], with the
//! reason ferrotls decides as it does; every entry there must still
//! disagree, so the table stays true ([`Verdicts`]). Testcases that ask for what the
//! validation API has no input for (a restricted set of signature
//! algorithms) are skipped and counted, as the suite's own harnesses do.

mod common;

use common::suite::Verdicts;
use ferrotls::internal::pki::{pem, time};
use ferrotls::{
    verify_chain, KeyUsage, Profile, Purpose, Revocation, RevocationPolicy, RootStore, ServerName,
    Validation,
};
use serde_json::Value;

/// The suite as `python -m limbo compile` writes it (x509-limbo commit
/// 8a2e6f4, 2026-12), without the bettertls cases, whose source data is
/// not in the repository snapshot: 208 testcases.
const LIMBO: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vectors/x509-limbo/limbo.json"
));

/// The validation time of testcases that name none: any time in the
/// certificates' validity, which the suite makes from 1970 to 2970.
const DEFAULT_TIME: u64 = 1_767_225_600; // 2026-01-01T00:00:00Z

const CN_NOT_IN_SAN: &str = "accepted: the common name is not a copy of a subjectAltName \
    entry, against the baseline requirements' rule for CAs (§7.1.2.7.2); the webpki profile \
    applies the requirements as browsers do, and no browser checks this (Chrome, Firefox and \
    rustls-webpki ignore the common name, as ferrotls does). BetterTLS, whose cases the full \
    suite carries, expects such leaves accepted: its path-building leaves (CN=EE) and hundreds \
    of its name-constraint cases";

/// Testcases where ferrotls's verdict differs from the suite's, and why.
const EXPECTED_DIFFERENCES: &[(&str, &str)] = &[
    (
        "cve::cve-2024-0567",
        "the cross-signed CAs carry no authorityKeyIdentifier, which RFC 5280 \
         §4.2.1.1 requires of every certificate but a self-signed one; the \
         suite's rfc5280::aki::cross-signed-root-missing-aki refuses the same",
    ),
    (
        "pathlen::validation-ignores-pathlen-in-leaf",
        "the leaf is a CA certificate: the webpki profile refuses one as an end \
         entity (BR §7.1.2.7.8, cA false in subscriber certificates), as the \
         suite's webpki::ca-as-leaf does",
    ),
    (
        "rfc5280::ca-as-leaf",
        "a TLS server's keyUsage must allow signing, key encipherment or key \
         agreement (RFC 5280 §4.2.1.3); this CA's allows certificate signing \
         only",
    ),
    (
        "rfc5280::nc::invalid-dnsname-leading-period",
        "a dNSName constraint `.example.com` is read as its subdomains, as \
         rustls-webpki, NSS and Go read it and roots in Mozilla's program \
         carry it; RFC 5280 §4.2.1.10 gives that form to URI and rfc822Name \
         constraints only",
    ),
    ("webpki::cn::case-mismatch", CN_NOT_IN_SAN),
    ("webpki::cn::ipv4-hex-mismatch", CN_NOT_IN_SAN),
    ("webpki::cn::ipv4-leading-zeros-mismatch", CN_NOT_IN_SAN),
    ("webpki::cn::ipv6-non-rfc5952-mismatch", CN_NOT_IN_SAN),
    ("webpki::cn::ipv6-uncompressed-mismatch", CN_NOT_IN_SAN),
    ("webpki::cn::ipv6-uppercase-mismatch", CN_NOT_IN_SAN),
    ("webpki::cn::not-in-san", CN_NOT_IN_SAN),
    ("webpki::cn::punycode-not-in-san", CN_NOT_IN_SAN),
    ("webpki::cn::utf8-vs-punycode-mismatch", CN_NOT_IN_SAN),
];

/// What ferrotls makes of one testcase.
enum Verdict {
    Accepted,
    Refused(String),
    Skipped(&'static str),
}

/// The DER of every PEM block in `texts`.
fn ders(texts: &[Value]) -> Vec<Vec<u8>> {
    texts
        .iter()
        .filter_map(Value::as_str)
        .flat_map(|text| pem::parse(text).expect("PEM in the suite"))
        .map(|block| block.der.to_vec())
        .collect()
}

/// Whole seconds since 1970 of an RFC 3339 UTC time as the suite writes
/// it (`2024-01-01T00:00:00+00:00`, with fractions of a second at times,
/// which the validation's whole seconds leave out), read as the
/// GeneralizedTime it spells (`20240101000000Z`).
fn unix_time(text: &str) -> u64 {
    let utc = text
        .strip_suffix("+00:00")
        .or_else(|| text.strip_suffix('Z'))
        .unwrap_or_else(|| panic!("not a UTC time: {text}"));
    let whole = utc.split('.').next().unwrap_or(utc);
    let mut generalized: Vec<u8> = whole.bytes().filter(u8::is_ascii_digit).collect();
    generalized.push(b'Z');
    let seconds = time::generalized_time(&generalized).unwrap_or_else(|e| panic!("{text}: {e}"));
    u64::try_from(seconds).expect("after 1970")
}

/// The profile a testcase is judged under: the suite's `rfc5280::` cases
/// state RFC 5280 alone (some conflict with a `webpki::` twin), every
/// other case the Web PKI's rules, which the TLS verifiers apply.
fn profile_of(case: &Value) -> Profile {
    match case["id"].as_str() {
        Some(id) if id.starts_with("rfc5280::") => Profile::Rfc5280,
        _ => Profile::WebPki,
    }
}

/// A keyUsage bit by the suite's name for it (RFC 5280 §4.2.1.3's).
fn key_usage(name: &Value) -> KeyUsage {
    let name = name.as_str().expect("a key usage name");
    name.parse()
        .unwrap_or_else(|e| panic!("key usage {name}: {e}"))
}

/// ferrotls's verdict on `case`.
fn judge(case: &Value) -> Verdict {
    let list = |key: &str| case[key].as_array().cloned().unwrap_or_default();
    let key_usage: Vec<KeyUsage> = list("key_usage").iter().map(key_usage).collect();
    if !list("signature_algorithms").is_empty() {
        return Verdict::Skipped("the signature algorithms are not an input of the validation");
    }
    let purpose = match case["validation_kind"].as_str() {
        Some("SERVER") => Purpose::ServerAuth,
        Some("CLIENT") => Purpose::ClientAuth,
        kind => panic!("validation kind {kind:?}"),
    };
    let name = match &case["expected_peer_name"] {
        Value::Null => None,
        peer => match peer["kind"].as_str() {
            Some("DNS") | Some("IP") => Some(
                match ServerName::parse(peer["value"].as_str().expect("name")) {
                    Ok(name) => name,
                    Err(e) => return Verdict::Refused(format!("peer name: {e}")),
                },
            ),
            _ => return Verdict::Skipped("only DNS and IP peer names are checked"),
        },
    };
    let time = case["validation_time"]
        .as_str()
        .map_or(DEFAULT_TIME, unix_time);
    let mut roots = RootStore::new();
    for der in ders(&list("trusted_certs")) {
        if let Err(e) = roots.add_der(der) {
            return Verdict::Refused(format!("trust anchor: {e}"));
        }
    }
    let [leaf] = ders(&[case["peer_certificate"].clone()])
        .try_into()
        .expect("one peer certificate");
    let intermediates = ders(&list("untrusted_intermediates"));
    let intermediates: Vec<&[u8]> = intermediates.iter().map(Vec::as_slice).collect();
    let mut validation = Validation::new(&roots, purpose, time).with_profile(profile_of(case));
    if let Some(name) = &name {
        validation = validation.with_name(name);
    }
    if let Some(depth) = case["max_chain_depth"].as_u64() {
        validation = validation.with_max_path_length(depth);
    }
    validation = validation.with_key_usage(&key_usage);
    let path = match verify_chain(&leaf, &intermediates, &validation) {
        Ok(path) => path,
        Err(e) => return Verdict::Refused(e.to_string()),
    };
    let crls = ders(&list("crls"));
    if crls.is_empty() {
        return Verdict::Accepted;
    }
    // A suite that gives CRLs asks for them to be used: a certificate
    // they do not vouch for is refused.
    let mut revocation = Revocation::new(RevocationPolicy::HardFail);
    for crl in crls {
        if let Err(e) = revocation.add_crl_der(crl) {
            return Verdict::Refused(format!("CRL: {e}"));
        }
    }
    match revocation.check(&path, time, None) {
        Ok(()) => Verdict::Accepted,
        Err(e) => Verdict::Refused(e.to_string()),
    }
}

#[test]
fn x509_limbo_verdicts_match_the_suite_but_for_the_documented_differences() {
    let suite: Value = serde_json::from_str(LIMBO).expect("limbo.json");
    let cases = suite["testcases"].as_array().expect("testcases");
    let mut verdicts = Verdicts::default();
    for case in cases {
        let id = case["id"].as_str().expect("id");
        let expected_valid = case["expected_result"] == "SUCCESS";
        match judge(case) {
            Verdict::Skipped(why) => verdicts.skip(why),
            Verdict::Accepted => verdicts.judge(id, expected_valid, Ok(())),
            Verdict::Refused(why) => verdicts.judge(id, expected_valid, Err(why)),
        }
    }
    verdicts.check("x509-limbo", EXPECTED_DIFFERENCES);
}
