//! The independent scanner sslyze (PyPI) finds
//! nothing to flag in `ferrotls server`, with its default settings and
//! with every version and suite enabled: no OpenSSL CCS injection (CVE-2014-0224),
//! no Heartbleed, no ROBOT oracle, no client-initiated renegotiation
//! (RFC 5746 §4.4: refused by default), TLS_FALLBACK_SCSV honoured
//! (RFC 7507 §3), no compression (CRIME; RFC 8446 §4.1.2, RFC 5246
//! §6.2.2 with the null method only), and 20 resumptions by session ID
//! out of 20 attempts (RFC 5246 §7.4.1.2).
//!
//! The scan runs against the RSA-2048 chain, so that the RSA key-exchange
//! suites (what ROBOT probes) are served when enabled. `tests/run.sh`
//! installs sslyze into a virtual environment; a missing sslyze fails
//! these tests, never skips them.

mod interop_support;

use interop_support::*;
use std::time::Duration;

/// How long one scan may take (about a second here; bounded so that a
/// stuck scanner fails the test instead of hanging it).
const SCAN_LIMIT: Duration = Duration::from_secs(120);

/// Resumption attempts by session ID sslyze makes (`--resum_attempts`).
const RESUMPTION_ATTEMPTS: &str = "20";

/// The sslyze program: `$SSLYZE`, else the virtual environment
/// `tests/run.sh` makes, else `sslyze` on the PATH.
fn sslyze() -> String {
    venv_program("SSLYZE", "sslyze", "sslyze")
}

/// The raw value of the one `"key": value` of sslyze's JSON output
/// (strings unquoted); panics when the key is absent (the plugin did not
/// complete) or not unique.
fn field<'a>(json: &'a str, key: &str) -> &'a str {
    let needle = format!("\"{key}\":");
    let mut hits = json.match_indices(&needle);
    let (at, _) = hits
        .next()
        .unwrap_or_else(|| panic!("sslyze reported no {key}:\n{json}"));
    assert!(hits.next().is_none(), "{key} is not unique in:\n{json}");
    let value = json[at + needle.len()..].trim_start();
    match value.strip_prefix('"') {
        Some(string) => &string[..string.find('"').expect("closed string")],
        None => value[..value.find([',', '}', '\n']).unwrap_or(value.len())].trim(),
    }
}

/// Runs every sslyze scan command the issue names against `ferrotls
/// server` (RSA-2048) started with `server_options`; returns the JSON
/// report.
fn scan(test: &str, server_options: &[&str]) -> String {
    let program = sslyze();
    let scratch = Scratch::new(test);
    let report = scratch.file("sslyze.json");
    let (server, port) = ferrotls_server_with("rsa2048", server_options);
    let target = format!("127.0.0.1:{port}");
    let (status, out) = Peer::spawn(
        &program,
        &[
            "--quiet",
            "--mozilla_config",
            "disable",
            "--json_out",
            &report,
            "--openssl_ccs",
            "--heartbleed",
            "--robot",
            "--reneg",
            "--fallback",
            "--compression",
            "--resum",
            "--resum_attempts",
            RESUMPTION_ATTEMPTS,
            "--tlsv1",
            "--tlsv1_1",
            "--tlsv1_2",
            "--tlsv1_3",
            &target,
        ],
    )
    .wait_exit_within(SCAN_LIMIT);
    assert!(status.success(), "sslyze failed:\n{out}");
    let json = std::fs::read_to_string(&report).expect("sslyze's JSON report");
    drop(server);
    assert_eq!(field(&json, "connectivity_status"), "COMPLETED", "{json}");
    assert_eq!(field(&json, "scan_status"), "COMPLETED", "{json}");
    json
}

/// The verdicts both configurations must get.
fn assert_nothing_flagged(json: &str) {
    assert_eq!(field(json, "is_vulnerable_to_ccs_injection"), "false");
    assert_eq!(field(json, "is_vulnerable_to_heartbleed"), "false");
    assert_eq!(
        field(json, "is_vulnerable_to_client_renegotiation_dos"),
        "false"
    );
    assert_eq!(field(json, "client_renegotiations_success_count"), "0");
    assert_eq!(field(json, "supports_secure_renegotiation"), "true");
    assert_eq!(field(json, "supports_fallback_scsv"), "true");
    assert_eq!(field(json, "supports_compression"), "false");
    assert_eq!(
        field(json, "session_id_resumption_result"),
        "FULLY_SUPPORTED"
    );
    assert_eq!(
        field(json, "session_id_attempted_resumptions_count"),
        RESUMPTION_ATTEMPTS
    );
    assert_eq!(
        field(json, "session_id_successful_resumptions_count"),
        RESUMPTION_ATTEMPTS
    );
}

#[test]
fn sslyze_flags_nothing_on_the_default_server() {
    let json = scan("sslyze-default", &[]);
    assert_nothing_flagged(&json);
    // No RSA key exchange by default: nothing for ROBOT to probe.
    assert_eq!(
        field(&json, "robot_result"),
        "NOT_VULNERABLE_RSA_NOT_SUPPORTED"
    );
}

/// TLS 1.0, 1.1, CBC and RSA key exchange come with feature `legacy`.
#[cfg(feature = "legacy")]
#[test]
fn sslyze_flags_nothing_with_every_version_and_suite_enabled() {
    use ferrotls::{
        TLS12_CBC_CIPHER_SUITES, TLS12_CIPHER_SUITES, TLS12_RSA_KX_CIPHER_SUITES,
        TLS13_CIPHER_SUITES,
    };
    let suites: Vec<&str> = [
        TLS13_CIPHER_SUITES,
        TLS12_CIPHER_SUITES,
        TLS12_CBC_CIPHER_SUITES,
        TLS12_RSA_KX_CIPHER_SUITES,
    ]
    .concat()
    .iter()
    .filter_map(|s| s.iana_name())
    .filter(|name| !name.contains("_ECDSA_"))
    .collect();
    let suites = suites.join(",");
    let json = scan(
        "sslyze-all",
        &["--min-version", "1.0", "--ciphers", &suites],
    );
    assert_nothing_flagged(&json);
    // RSA key exchange served in TLS 1.0–1.2, and no padding oracle.
    assert_eq!(field(&json, "robot_result"), "NOT_VULNERABLE_NO_ORACLE");
    for version in ["tls_1_0", "tls_1_1"] {
        let at = json
            .find(&format!("\"{version}_cipher_suites\""))
            .expect("version scanned");
        let accepted = &json[at..];
        let accepted = &accepted[accepted.find("\"accepted_cipher_suites\"").expect("list")..];
        assert!(
            accepted[..accepted.find(']').expect("end")].contains("TLS_RSA_WITH_AES_128_CBC_SHA"),
            "{version} not served"
        );
    }
}
