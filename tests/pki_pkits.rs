//! NIST PKITS, the Public Key Interoperability Test Suite for RFC 5280
//! path validation (version 1.0.1, public domain): every test of
//! `vectors/pkits/cases.txt` judged by ferrotls's validator under the
//! `rfc5280-path` profile (PKITS tests the path validation of §6, not
//! what §4 asks of issuing CAs: 31 of its paths hold a CA certificate
//! whose basicConstraints or policyConstraints is not critical) with the
//! test's inputs (RFC 5280 §6.1.1), its CRLs
//! checked for every certificate of the path, and the verdict compared
//! with the one PKITS.pdf gives.
//!
//! The certificates and CRLs are PKITS's `PKITS_data.zip` as BoringSSL
//! keeps them (`pki/testdata/nist-pkits`, commit a0689af); the test list
//! is made from BoringSSL's table of PKITS.pdf by `vectors/pkits/make.py`.
//! Every disagreement must be one of [`EXPECTED_DIFFERENCES`], with the
//! reason, and every entry there must still disagree.

mod common;

use common::suite::Verdicts;
use ferrotls::{
    verify_chain, PolicyInputs, Profile, Purpose, Revocation, RevocationPolicy, RootStore,
    Validation,
};

const CASES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vectors/pkits/cases.txt"
));

/// The validation time: 2011-04-15T00:00:00Z, when PKITS 1.0.1 was
/// published, as BoringSSL's harness uses. Its validity-period tests
/// (4.2) hold certificates that expired before it or start after it.
const PKITS_TIME: u64 = 1_302_825_600;

const DSA: &str = "a DSA key: ferrotls verifies no DSA signatures (the design's signature \
    list; no TLS version ferrotls speaks negotiates DSA), so the path ends at an unsupported key";

/// Tests where ferrotls's verdict differs from PKITS's, and why: each
/// refuses a path PKITS validates, for what ferrotls does not implement.
const EXPECTED_DIFFERENCES: &[(&str, &str)] = &[("4.1.4", DSA), ("4.1.5", DSA)];

/// The DER of a PKITS certificate (`certs`) or CRL (`crls`).
fn read(kind: &str, name: &str) -> Vec<u8> {
    let extension = if kind == "certs" { "crt" } else { "crl" };
    let path = format!(
        "{}/vectors/pkits/{kind}/{name}.{extension}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A policy by PKITS's name for it: `anyPolicy` (RFC 5280 §4.2.1.4) or
/// `NIST-test-policy-N` (PKITS.pdf §3.2: 2.16.840.1.101.3.2.1.48.N).
fn policy(name: &str) -> Vec<u8> {
    let dotted = match name.strip_prefix("NIST-test-policy-") {
        Some(n) => format!("2.16.840.1.101.3.2.1.48.{n}"),
        None if name == "anyPolicy" => "2.5.29.32.0".to_owned(),
        None => panic!("policy {name}"),
    };
    PolicyInputs::policy_from_dotted(&dotted).expect("an OBJECT IDENTIFIER")
}

/// The inputs of RFC 5280 §6.1.1 (c), (e)–(g) a test's `settings` name.
fn policy_inputs(settings: &str) -> PolicyInputs {
    let mut inputs = PolicyInputs::default();
    for setting in settings.split(';').filter(|s| *s != "-") {
        match setting.split_once('=') {
            Some(("policy-set", list)) => inputs.acceptable = list.split(',').map(policy).collect(),
            _ => match setting {
                "explicit-policy" => inputs.require_explicit_policy = true,
                "policy-mapping-inhibit" => inputs.inhibit_policy_mapping = true,
                "any-policy-inhibit" => inputs.inhibit_any_policy = true,
                _ => panic!("setting {setting}"),
            },
        }
    }
    inputs
}

/// ferrotls's verdict on one test: the path of `certs` (trust anchor
/// first, end entity last) validated with `inputs`, then every
/// certificate on it checked against `crls`, which must vouch for it
/// (PKITS gives a CRL for each CA), with the certificates between the
/// anchor and the end entity as possible CRL signers.
fn judge(certs: &[&str], crls: &[&str], inputs: &PolicyInputs) -> Result<(), String> {
    let (anchor, rest) = certs.split_first().expect("a trust anchor");
    let (leaf, intermediates) = rest.split_last().expect("an end entity");
    let mut roots = RootStore::new();
    roots
        .add_der(read("certs", anchor))
        .map_err(|e| format!("trust anchor: {e}"))?;
    let intermediates: Vec<Vec<u8>> = intermediates.iter().map(|n| read("certs", n)).collect();
    let intermediates: Vec<&[u8]> = intermediates.iter().map(Vec::as_slice).collect();
    let validation = Validation::new(&roots, Purpose::ServerAuth, PKITS_TIME)
        .with_profile(Profile::Rfc5280Path)
        .with_policy(inputs);
    let path = verify_chain(&read("certs", leaf), &intermediates, &validation)
        .map_err(|e| e.to_string())?;
    let mut revocation = Revocation::new(RevocationPolicy::HardFail);
    // PKITS's certificates beside the path may sign CRLs (RFC 5280
    // §6.3.3 (f)): an application gives such signers' certificates.
    for signer in &intermediates {
        revocation
            .add_crl_signer_der(signer.to_vec())
            .map_err(|e| format!("CRL signer: {e}"))?;
    }
    for name in crls {
        revocation
            .add_crl_der(read("crls", name))
            .map_err(|e| format!("CRL {name}: {e}"))?;
    }
    revocation
        .check(&path, PKITS_TIME, None)
        .map_err(|e| e.to_string())
}

#[test]
fn nist_pkits_verdicts_match_the_suite_but_for_the_documented_differences() {
    let mut verdicts = Verdicts::default();
    for line in CASES.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let [id, expected, certs, crls, settings] = fields[..] else {
            panic!("not a case: {line}");
        };
        let certs: Vec<&str> = certs.split(',').collect();
        let crls: Vec<&str> = crls.split(',').filter(|c| *c != "-").collect();
        let verdict = judge(&certs, &crls, &policy_inputs(settings));
        verdicts.judge(id, expected == "valid", verdict);
    }
    verdicts.check("NIST PKITS", EXPECTED_DIFFERENCES);
}

/// The `rfc5280` profile holds a CA to what §4 asks of issuers, which
/// 31 of PKITS's paths break (here 4.8.6: a policyConstraints not
/// critical, against §4.2.1.11's MUST); `rfc5280-path` applies the path
/// validation alone and takes the path, as PKITS expects. Through
/// `ferrotls verify`, whose `--profile` names both.
#[test]
fn rfc5280_refuses_a_non_critical_policy_constraints_and_rfc5280_path_takes_it() {
    let scratch = common::scratch::Scratch::new("pkits-profile");
    let certs = [
        "TrustAnchorRootCertificate",
        "PoliciesP1234CACert",
        "PoliciesP1234subCAP123Cert",
        "PoliciesP1234subsubCAP123P12Cert",
        "OverlappingPoliciesTest6EE",
    ];
    let pem = |names: &[&str]| {
        ferrotls::certificates_to_pem(&names.iter().map(|n| read("certs", n)).collect::<Vec<_>>())
    };
    let (anchor, path) = certs.split_first().expect("an anchor");
    scratch.write("root.pem", pem(&[anchor]).as_bytes());
    let mut chain: Vec<&str> = path.to_vec();
    chain.reverse();
    scratch.write("chain.pem", pem(&chain).as_bytes());
    let verify = |profile: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ferrotls"))
            .args(["verify", "--roots", &scratch.file("root.pem")])
            .args(["--chain", &scratch.file("chain.pem")])
            .args(["--time", &PKITS_TIME.to_string(), "--profile", profile])
            .output()
            .expect("run ferrotls verify");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        )
    };
    assert_eq!(
        verify("rfc5280"),
        (
            Some(1),
            "mis-issued: policyConstraints not critical".to_owned()
        )
    );
    assert_eq!(verify("rfc5280-path"), (Some(0), "OK".to_owned()));
}
