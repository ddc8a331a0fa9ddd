//! Revocation through the public API: CRLs and OCSP responses from
//! `vectors/pki/revocation/make.sh` handed to the built-in verifiers,
//! each case with the exact reason, and `ferrotls verify --crl/--ocsp`.

use ferrotls::{
    certificates_from_pem, verify_chain, AlertDescription, CertificateError, ClientCertVerifier,
    Error, Purpose, Revocation, RevocationPolicy, RevocationReason, RootStore, ServerCertVerifier,
    ServerName, TrustAnchor, Validation, VerifiedPath, WebPkiClientVerifier, WebPkiServerVerifier,
};
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

/// 2030-01-01T00:00:00Z: inside the certificates' and fresh CRLs' windows.
const NOW: u64 = 1_893_456_000;

use CertificateError::{BadRevocationInfo, RevocationStale, RevocationUnknown, Revoked};
use RevocationPolicy::{HardFail, SoftFail};

fn path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/pki/revocation")
        .join(file)
}

fn read(file: &str) -> Vec<u8> {
    std::fs::read(path(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn chain(file: &str) -> Vec<Vec<u8>> {
    certificates_from_pem(&String::from_utf8(read(file)).unwrap()).unwrap()
}

/// The path `chain_file` validates to under `roots`.
fn validated(chain_file: &str, roots: &RootStore) -> VerifiedPath {
    let chain = chain(chain_file);
    let intermediates: Vec<&[u8]> = chain.iter().skip(1).map(Vec::as_slice).collect();
    let validation = Validation::new(roots, Purpose::ServerAuth, NOW);
    verify_chain(&chain[0], &intermediates, &validation).unwrap()
}

fn roots() -> Arc<RootStore> {
    Arc::new(RootStore::from_pem_file(path("root.pem")).unwrap())
}

fn revocation(crls: &[&str], responses: &[&str], policy: RevocationPolicy) -> Revocation {
    let mut revocation = Revocation::new(policy);
    for file in crls {
        assert_eq!(revocation.add_crls(&read(file)), Ok(1), "{file}");
    }
    for file in responses {
        assert_eq!(revocation.add_ocsp_responses(&read(file)), Ok(1), "{file}");
    }
    revocation
}

/// The server verifier's verdict on `chain_file` with these sources.
fn server_verdict(chain_file: &str, revocation: Revocation) -> Result<(), Error> {
    let verifier = WebPkiServerVerifier::new(roots()).with_revocation(revocation);
    let chain = chain(chain_file);
    let intermediates: Vec<&[u8]> = chain.iter().skip(1).map(Vec::as_slice).collect();
    let name = ServerName::parse("revocation.test").unwrap();
    verifier
        .verify_server_cert(&chain[0], &intermediates, &name, NOW)
        .map(|_| ())
}

type Case = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    RevocationPolicy,
    Result<(), CertificateError>,
);

const ROOT_CRL: &str = "root.crl.pem";
const NOT_COVERED: CertificateError =
    RevocationUnknown("no CRL or OCSP response covers the certificate");

#[rustfmt::skip]
const CASES: &[Case] = &[
    // name, chain, CRLs, OCSP responses, policy, verdict
    ("good leaf by CRL", "good-chain.pem", &["int.crl.pem", ROOT_CRL], &[], HardFail, Ok(())),
    ("revoked leaf by CRL", "revoked-chain.pem", &["int.crl.pem"], &[], SoftFail,
        Err(Revoked(RevocationReason::KeyCompromise))),
    ("revoked leaf by DER CRL", "revoked-chain.pem", &["int.crl.der"], &[], SoftFail,
        Err(Revoked(RevocationReason::KeyCompromise))),
    ("revoked intermediate by CRL", "under-int2-chain.pem", &[ROOT_CRL], &[], SoftFail,
        Err(Revoked(RevocationReason::CaCompromise))),
    ("stale CRL, hard-fail", "good-chain.pem", &["int-stale.crl.pem", ROOT_CRL], &[], HardFail,
        Err(RevocationStale("CRL nextUpdate has passed"))),
    ("stale CRL, soft-fail", "good-chain.pem", &["int-stale.crl.pem"], &[], SoftFail, Ok(())),
    ("stale CRL still revokes", "revoked-chain.pem", &["int-stale.crl.pem"], &[], SoftFail,
        Err(Revoked(RevocationReason::KeyCompromise))),
    ("CRL signed by another key", "good-chain.pem", &["impostor.crl.pem", ROOT_CRL], &[], HardFail,
        Err(BadRevocationInfo("CRL signature does not verify"))),
    ("forged CRL revokes nothing", "revoked-chain.pem", &["impostor.crl.pem"], &[], SoftFail, Ok(())),
    ("CRL of another issuer", "good-chain.pem", &[ROOT_CRL], &[], HardFail, Err(NOT_COVERED)),
    ("CRL for CA certificates only", "revoked-chain.pem", &["int-ca-only.crl.pem"], &[], SoftFail,
        Ok(())),
    ("CRL for CA certificates only, hard-fail", "revoked-chain.pem",
        &["int-ca-only.crl.pem", ROOT_CRL], &[], HardFail, Err(NOT_COVERED)),
    ("OCSP good", "good-chain.pem", &[ROOT_CRL], &["good.ocsp.der"], HardFail, Ok(())),
    ("OCSP good, SHA-256 CertID", "good-chain.pem", &[ROOT_CRL], &["good-sha256.ocsp.der"],
        HardFail, Ok(())),
    ("OCSP revoked", "revoked-chain.pem", &[], &["revoked.ocsp.der"], SoftFail,
        Err(Revoked(RevocationReason::KeyCompromise))),
    ("OCSP unknown, hard-fail", "good-chain.pem", &[ROOT_CRL], &["unknown.ocsp.der"], HardFail,
        Err(RevocationUnknown("the OCSP responder does not know the certificate"))),
    ("OCSP unknown, soft-fail", "good-chain.pem", &[], &["unknown.ocsp.der"], SoftFail, Ok(())),
    ("OCSP by delegated responder", "good-chain.pem", &[ROOT_CRL], &["delegated.ocsp.der"],
        HardFail, Ok(())),
    ("OCSP by responder without OCSPSigning", "good-chain.pem", &[ROOT_CRL],
        &["delegated-no-eku.ocsp.der"], HardFail,
        Err(BadRevocationInfo("OCSP responder certificate lacks id-kp-OCSPSigning"))),
    // RFC 6960 §4.2.2.2.1: a delegated responder the CRLs at hand list as
    // revoked answers for nothing, unless its certificate carries
    // id-pkix-ocsp-nocheck. The responders' shard covers no leaf.
    ("OCSP by revoked delegated responder", "good-chain.pem",
        &[ROOT_CRL, "int-responders.crl.pem"], &["delegated-revoked.ocsp.der"], HardFail,
        Err(BadRevocationInfo("OCSP responder certificate revoked"))),
    ("OCSP by revoked delegated responder, no CRL of it", "good-chain.pem", &[ROOT_CRL],
        &["delegated-revoked.ocsp.der"], HardFail, Ok(())),
    ("OCSP by revoked delegated responder with ocsp-nocheck", "good-chain.pem",
        &[ROOT_CRL, "int-responders.crl.pem"], &["delegated-revoked-nocheck.ocsp.der"],
        HardFail, Ok(())),
    ("OCSP stale", "good-chain.pem", &[ROOT_CRL], &["stale.ocsp.der"], HardFail,
        Err(RevocationStale("OCSP nextUpdate has passed"))),
    ("OCSP for another certificate", "revoked-chain.pem", &[ROOT_CRL], &["good.ocsp.der"],
        HardFail, Err(NOT_COVERED)),
    ("hard-fail without information", "good-chain.pem", &[], &[], HardFail, Err(NOT_COVERED)),
    ("soft-fail without information", "good-chain.pem", &[], &[], SoftFail, Ok(())),
];

#[test]
fn each_case_gets_its_exact_reason() {
    let wrong: Vec<String> = CASES
        .iter()
        .filter_map(|&(name, chain_file, crls, responses, policy, expected)| {
            let got = server_verdict(chain_file, revocation(crls, responses, policy));
            let expected = expected.map_err(Error::InvalidCertificate);
            (got != expected).then(|| format!("{name}: got {got:?}, expected {expected:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// A CRL signed by a key the CA delegated CRL signing to (RFC 5280
/// §6.3.3 (f)) counts once that key's certificate is given, and only
/// when the certificate was issued by the CA, under its name, with
/// cRLSign.
#[test]
fn a_delegated_crl_signer_is_believed_only_with_its_certificate() {
    let refused = |file: &str, signers: &[&str]| {
        let mut revocation = revocation(&[file, ROOT_CRL], &[], HardFail);
        for signer in signers {
            assert_eq!(revocation.add_crl_signers(&read(signer)), Ok(1), "{signer}");
        }
        server_verdict("revoked-chain.pem", revocation)
    };
    assert_eq!(
        refused("int-delegated.crl.pem", &["crl-signer.pem"]),
        Err(Error::InvalidCertificate(Revoked(
            RevocationReason::KeyCompromise
        )))
    );
    let unverified = Err(Error::InvalidCertificate(BadRevocationInfo(
        "CRL signature does not verify",
    )));
    assert_eq!(refused("int-delegated.crl.pem", &[]), unverified);
    assert_eq!(
        refused(
            "int-delegated-no-crl-sign.crl.pem",
            &["crl-signer-no-crl-sign.pem"]
        ),
        unverified
    );
    // The signer vouches for no CRL but the ones its key signed.
    assert_eq!(refused("impostor.crl.pem", &["crl-signer.pem"]), unverified);
}

#[test]
fn grace_tolerates_a_recently_stale_crl() {
    // int-stale.crl.pem's nextUpdate is 2029-12-15, 17 days before NOW.
    let stale = || revocation(&["int-stale.crl.pem", ROOT_CRL], &[], HardFail);
    let days = |n: u64| n * 86_400;
    assert_eq!(
        server_verdict("good-chain.pem", stale().with_grace(days(17))),
        Ok(())
    );
    assert_eq!(
        server_verdict("good-chain.pem", stale().with_grace(days(16))),
        Err(Error::InvalidCertificate(RevocationStale(
            "CRL nextUpdate has passed"
        )))
    );
}

#[test]
fn revocation_refusals_carry_their_alert_and_text() {
    let cases = [
        (
            Revoked(RevocationReason::KeyCompromise),
            AlertDescription::CertificateRevoked,
            "revoked: key compromise",
        ),
        (
            NOT_COVERED,
            AlertDescription::CertificateUnknown,
            "revocation unknown: no CRL or OCSP response covers the certificate",
        ),
        (
            RevocationStale("OCSP nextUpdate has passed"),
            AlertDescription::BadCertificateStatusResponse,
            "revocation stale: OCSP nextUpdate has passed",
        ),
        (
            BadRevocationInfo("CRL signature does not verify"),
            AlertDescription::BadCertificateStatusResponse,
            "bad revocation info: CRL signature does not verify",
        ),
    ];
    for (error, alert, text) in cases {
        assert_eq!(error.alert(), alert, "{error:?}");
        assert_eq!(error.to_string(), text);
    }
}

#[test]
fn client_verifier_checks_revocation_too() {
    let verify = |revocation: Revocation| {
        let verifier = WebPkiClientVerifier::new(roots()).with_revocation(revocation);
        let chain = chain("revoked-chain.pem");
        verifier
            .verify_client_cert(&chain[0], &[chain[1].as_slice()], NOW)
            .map(|_| ())
    };
    assert_eq!(
        verify(revocation(&["int.crl.pem"], &[], SoftFail)),
        Err(Error::InvalidCertificate(Revoked(
            RevocationReason::KeyCompromise
        )))
    );
    assert_eq!(verify(revocation(&[], &[], SoftFail)), Ok(()));
}

#[test]
fn a_stapled_response_counts_for_the_end_entity_only() {
    let revoked_path = validated("revoked-chain.pem", &roots());
    let stapled = read("revoked.ocsp.der");
    let soft = Revocation::new(SoftFail);
    assert_eq!(
        soft.check(&revoked_path, NOW, Some(&stapled)),
        Err(Revoked(RevocationReason::KeyCompromise))
    );
    assert_eq!(soft.check(&revoked_path, NOW, None), Ok(()));
    // Hard-fail: the stapled answer covers the end entity, not the
    // intermediate, which still needs a source of its own.
    let good_path = validated("good-chain.pem", &roots());
    let good = read("good.ocsp.der");
    let hard = Revocation::new(HardFail);
    assert_eq!(hard.check(&good_path, NOW, Some(&good)), Err(NOT_COVERED));
    let hard = revocation(&[ROOT_CRL], &[], HardFail);
    assert_eq!(hard.check(&good_path, NOW, Some(&good)), Ok(()));
    assert_eq!(hard.check(&good_path, NOW, None), Err(NOT_COVERED));
    // A staple signed by a delegated responder the CRLs list as revoked
    // is not satisfactory, whatever the policy (RFC 6960 §4.2.2.2.1, RFC
    // 6066 §8); with id-pkix-ocsp-nocheck the responder is believed.
    let responders = revocation(&["int-responders.crl.pem"], &[], SoftFail);
    assert_eq!(
        responders.check(&good_path, NOW, Some(&read("delegated-revoked.ocsp.der"))),
        Err(BadRevocationInfo("OCSP responder certificate revoked"))
    );
    let nocheck = read("delegated-revoked-nocheck.ocsp.der");
    assert_eq!(responders.check(&good_path, NOW, Some(&nocheck)), Ok(()));
}

/// Under a bare trust anchor (subject and key only, RFC 5280 §6.1.1
/// (d)) the certificate the anchor issued is still checked, against the
/// anchor's name and key: the path holds no anchor certificate to pair it
/// with.
#[test]
fn a_bare_anchor_issues_revocation_information_too() {
    let root = chain("root.pem").remove(0);
    let whole = TrustAnchor::from_der(root).unwrap();
    let mut bare_roots = RootStore::new();
    bare_roots
        .add_anchor(whole.subject(), whole.spki(), None)
        .unwrap();
    let path = validated("under-int2-chain.pem", &bare_roots);
    assert!(path.anchor.certificate().is_none());
    let revoked = Err(Revoked(RevocationReason::CaCompromise));
    let under_root = revocation(&[ROOT_CRL], &[], SoftFail);
    assert_eq!(under_root.check(&path, NOW, None), revoked);
    let good = validated("good-chain.pem", &bare_roots);
    let hard = revocation(&["int.crl.pem", ROOT_CRL], &[], HardFail);
    assert_eq!(hard.check(&good, NOW, None), Ok(()));
    assert_eq!(
        revocation(&["int.crl.pem"], &[], HardFail).check(&good, NOW, None),
        Err(NOT_COVERED)
    );
}

#[test]
fn unusable_sources_are_refused_when_added() {
    let mut revocation = Revocation::new(SoftFail);
    let truncated = read("int.crl.der");
    assert!(matches!(
        revocation.add_crl_der(truncated[..truncated.len() - 1].to_vec()),
        Err(CertificateError::BadEncoding(_))
    ));
    let response = read("good.ocsp.der");
    let mut trailing = response.clone();
    trailing.push(0);
    assert_eq!(
        revocation.add_ocsp_response(trailing),
        Err(CertificateError::BadEncoding("trailing data"))
    );
    assert!(revocation.add_ocsp_response(response).is_ok());
}

fn ferrotls_verify(args: &[&str]) -> (String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_ferrotls"))
        .arg("verify")
        .args(["--roots", "root.pem", "--time", "1893456000"])
        .args(args)
        .current_dir(path(""))
        .output()
        .expect("run ferrotls");
    (
        String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        out.status.code(),
    )
}

#[test]
fn cli_verify_checks_crls_and_ocsp_responses() {
    let cases: [(&[&str], &str, i32); 6] = [
        (
            &["--chain", "revoked-chain.pem", "--crl", "int.crl.pem"],
            "revoked: key compromise",
            1,
        ),
        (
            &[
                "--chain",
                "under-int2-chain.pem",
                "--crl",
                "int.crl.der",
                "--crl",
                ROOT_CRL,
            ],
            "revoked: ca compromise",
            1,
        ),
        (
            &["--chain", "revoked-chain.pem", "--ocsp", "revoked.ocsp.der"],
            "revoked: key compromise",
            1,
        ),
        (
            &["--chain", "good-chain.pem", "--revocation", "hard"],
            "revocation unknown: no CRL or OCSP response covers the certificate",
            1,
        ),
        (
            &[
                "--chain",
                "good-chain.pem",
                "--revocation",
                "hard",
                "--ocsp",
                "good.ocsp.der",
                "--crl",
                ROOT_CRL,
            ],
            "OK",
            0,
        ),
        (&["--chain", "revoked-chain.pem"], "OK", 0),
    ];
    for (args, stdout, code) in cases {
        assert_eq!(
            ferrotls_verify(args),
            (stdout.to_owned(), Some(code)),
            "{args:?}"
        );
    }
}

#[test]
fn cli_verify_exits_2_for_unusable_revocation_input() {
    for args in [
        &["--chain", "good-chain.pem", "--crl", "good.pem"][..],
        &["--chain", "good-chain.pem", "--ocsp", "int.crl.der"],
        &["--chain", "good-chain.pem", "--crl", "missing.crl"],
        &["--chain", "good-chain.pem", "--revocation", "sometimes"],
    ] {
        assert_eq!(ferrotls_verify(args), (String::new(), Some(2)), "{args:?}");
    }
}

/// A `Revocation` prints what it holds as counts, not the CRLs and
/// responses themselves (a CRL can be megabytes).
#[test]
fn debug_counts_the_sources() {
    let sources = revocation(&["int.crl.pem", ROOT_CRL], &["good.ocsp.der"], SoftFail);
    let text = format!("{sources:?}");
    assert_eq!(
        text,
        "Revocation { crls: 2, crl_signers: 0, ocsp_responses: 1, policy: SoftFail, grace: 0 }"
    );
}

/// A CA that shards its CRLs by distribution point (made by OpenSSL):
/// each shard's issuingDistributionPoint names the URL its certificates'
/// cRLDistributionPoints carry (RFC 5280 §6.3.3 (b)(2)(i)). A shard
/// answers for its own certificates only, so under hard-fail the other
/// shard leaves a certificate unknown.
#[test]
fn a_crl_shard_answers_for_the_certificates_that_name_it() {
    let verdict = |chain_file: &str, shards: &[&str]| {
        let crls: Vec<&str> = shards.iter().copied().chain([ROOT_CRL]).collect();
        server_verdict(chain_file, revocation(&crls, &[], HardFail))
    };
    let unknown = Err(Error::InvalidCertificate(RevocationUnknown(
        "no CRL or OCSP response covers the certificate",
    )));
    let revoked = Err(Error::InvalidCertificate(Revoked(
        RevocationReason::KeyCompromise,
    )));
    let (a, b) = ("int-shard-a.crl.pem", "int-shard-b.crl.pem");
    assert_eq!(verdict("shard-b-chain.pem", &[b]), Ok(()));
    assert_eq!(verdict("shard-b-chain.pem", &[a]), unknown);
    assert_eq!(verdict("shard-a-chain.pem", &[a]), revoked);
    assert_eq!(verdict("shard-a-chain.pem", &[b]), unknown);
    assert_eq!(verdict("shard-a-chain.pem", &[b, a]), revoked);
    assert_eq!(verdict("shard-b-chain.pem", &[a, b]), Ok(()));
}
