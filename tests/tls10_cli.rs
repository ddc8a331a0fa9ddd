//! `ferrotls` with TLS 1.0 and 1.1: `demo
//! --all-versions` shows a full and a resumed row for each of them (and
//! plain `demo` none), `client --min-version 1.0` reaches `openssl
//! s_server -tls1`, `server --min-version 1.1` serves `openssl s_client
//! -tls1_1`, and the default server refuses `s_client -tls1`. TLS 1.0
//! and 1.1 come with feature `legacy`.
#![cfg(feature = "legacy")]

mod interop_support;

use interop_support::*;

/// Table rows of `version` (its first column) in the demo's output.
fn rows<'a>(out: &'a str, version: &str) -> Vec<Vec<&'a str>> {
    out.lines()
        .filter(|l| l.split_whitespace().next() == Some(version))
        .map(|l| l.split_whitespace().collect())
        .collect()
}

#[test]
fn demo_all_versions_shows_full_and_resumed_rows_for_tls10_and_tls11() {
    let (status, out) = run(ferrotls_bin(), &["demo", "--all-versions"], b"");
    assert!(status.success(), "{out}");
    for version in ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] {
        let rows = rows(&out, version);
        assert_eq!(rows.len(), 2, "{version}:\n{out}");
        assert_eq!((rows[0][3], rows[1][3]), ("no", "yes"), "{out}");
        // Design §3: the server's ID persists across the resumption.
        assert_eq!(rows[0][5], rows[1][5], "{out}");
        assert_eq!(rows[0][5].len(), 64, "{out}");
    }
    assert!(rows(&out, "TLSv1")[0][1].ends_with("_CBC_SHA"), "{out}");
    let (_, plain) = run(ferrotls_bin(), &["demo"], b"");
    assert!(rows(&plain, "TLSv1").is_empty(), "{plain}");
    assert!(rows(&plain, "TLSv1.1").is_empty(), "{plain}");
}

#[test]
fn client_min_version_reaches_an_openssl_tls10_server() {
    let (_server, port) = openssl_server(
        "p256",
        &["-tls1", "-cipher", "DEFAULT:@SECLEVEL=0"],
        &["-www"],
    );
    let (status, out) = ferrotls_client(port, &["--min-version", "1.0"]);
    assert!(status.success(), "{out}");
    let reports = json_lines(&out);
    assert_eq!(reports[0].get("version"), "TLSv1", "{out}");
    // Without it the client offers 1.2 and 1.3 only and is refused.
    let (status, out) = ferrotls_client(port, &[]);
    assert!(!status.success(), "{out}");
    assert!(out.contains("protocol"), "{out}");
}

#[test]
fn server_min_version_serves_openssl_s_client_tls11() {
    let (_server, port) = ferrotls_server(&["--min-version", "1.1"]);
    let connect = format!("127.0.0.1:{port}");
    let (_, out) = run_until(
        "openssl",
        &[
            "s_client",
            "-tls1_1",
            "-cipher",
            "DEFAULT:@SECLEVEL=0",
            "-connect",
            &connect,
        ],
        b"GET / HTTP/1.0\r\n\r\n",
        "Protocol  : TLSv1.1",
    );
    assert!(out.contains("Protocol  : TLSv1.1"), "{out}");
}

#[test]
fn default_server_refuses_openssl_s_client_tls1() {
    let (_server, port) = ferrotls_server(&[]);
    let connect = format!("127.0.0.1:{port}");
    let (status, out) = run(
        "openssl",
        &[
            "s_client",
            "-tls1",
            "-cipher",
            "DEFAULT:@SECLEVEL=0",
            "-connect",
            &connect,
        ],
        b"",
    );
    assert!(!status.success());
    assert!(out.contains("alert protocol version"), "{out}");
}
