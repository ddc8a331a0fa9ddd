//! Netflix's BetterTLS (github.com/Netflix/bettertls, Apache-2.0): its
//! path-building suite whole and a part of its name-constraint suite
//! (`vectors/bettertls`, written by its `make.py` from BetterTLS's
//! export), each case judged by ferrotls's validator with the case's
//! host name and compared with BetterTLS's expected verdict. Cases
//! BetterTLS scores as warnings count like the others, as x509-limbo,
//! which carries all of them, counts them.
//!
//! Every disagreement must be one of the expected differences, with the
//! reason, and every entry there must still disagree ([`Verdicts`]).

mod common;

use common::suite::Verdicts;
use ferrotls::internal::pki::pem;
use ferrotls::{verify_chain, Profile, Purpose, RootStore, ServerName, Validation};
use serde_json::Value;

/// 2027-06-01T00:00:00Z: inside the validity of the exported
/// certificates (2026-12-06 to 2027-12-08).
const TIME: u64 = 1_811_808_000;

/// Path-building cases the rfc5280 profile accepts: each has an
/// intermediate whose extKeyUsage lists emailProtection alone.
const RFC5280_PATH_BUILDING: &[(&str, &str)] = &[
    ("5", CA_EKU),
    ("12", CA_EKU),
    ("38", CA_EKU),
    ("44", CA_EKU),
    ("71", CA_EKU),
    ("77", CA_EKU),
];

const CA_EKU: &str = "accepted: RFC 5280 §4.2.1.12 gives a CA's extKeyUsage no meaning for \
    the certificates below it, so the rfc5280 profile ignores it; the webpki profile applies \
    it (BR §7.1.2.10.6), as browsers do and as BetterTLS expects";

fn suite(name: &str) -> Value {
    let path = format!(
        "{}/vectors/bettertls/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn der(base64: &Value) -> Vec<u8> {
    let text = base64.as_str().expect("base64 text");
    pem::decode_base64(text.as_bytes())
        .expect("base64")
        .to_vec()
}

/// ferrotls's verdict on one case under `profile`.
fn judge(roots: &RootStore, case: &Value, profile: Profile) -> Result<(), String> {
    let certs: Vec<Vec<u8>> = case["certificates"]
        .as_array()
        .expect("certificates")
        .iter()
        .map(der)
        .collect();
    let (leaf, intermediates) = certs.split_first().expect("an end entity");
    let intermediates: Vec<&[u8]> = intermediates.iter().map(Vec::as_slice).collect();
    let name = ServerName::parse(case["hostname"].as_str().expect("host name"))
        .map_err(|e| format!("host name: {e}"))?;
    let validation = Validation::new(roots, Purpose::ServerAuth, TIME)
        .with_profile(profile)
        .with_name(&name);
    verify_chain(leaf, &intermediates, &validation)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Judges every case of `suite_name` under `profile` against `expected`.
fn run(suite_name: &str, profile: Profile, expected: &[(&str, &str)]) {
    let suite = suite(suite_name);
    let mut roots = RootStore::new();
    roots
        .add_der(der(&suite["trustRoot"]))
        .expect("the trust root");
    let mut verdicts = Verdicts::default();
    for case in suite["testCases"].as_array().expect("cases") {
        let id = case["id"].as_u64().expect("id").to_string();
        let accept = case["expected"] == "ACCEPT";
        verdicts.judge(&id, accept, judge(&roots, case, profile));
    }
    verdicts.check(
        &format!("BetterTLS {suite_name} ({})", profile.name()),
        expected,
    );
}

#[test]
fn bettertls_path_building_verdicts_match_under_webpki() {
    run("pathbuilding", Profile::WebPki, &[]);
}

#[test]
fn bettertls_path_building_verdicts_match_under_rfc5280_but_for_ca_extended_key_usage() {
    run("pathbuilding", Profile::Rfc5280, RFC5280_PATH_BUILDING);
}

#[test]
fn bettertls_name_constraint_verdicts_match_under_both_profiles() {
    run("nameconstraints", Profile::WebPki, &[]);
    run("nameconstraints", Profile::Rfc5280, &[]);
}
