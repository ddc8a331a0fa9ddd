//! RSA-PSS certificates (id-RSASSA-PSS keys, `rsa_pss_pss_*`, RFC 8446
//! §4.2.3) against real peers on 127.0.0.1, TLS 1.3 and 1.2, both roles:
//! `openssl s_server`/`s_client` and `gnutls-serv`/`gnutls-cli` with the
//! `vectors/pss` certificates (`openssl genpkey -algorithm RSA-PSS` keys).
//! The peers are limited to the `rsa_pss_pss_*` schemes where they can be,
//! so a handshake that completes proves that family was used. A missing
//! peer binary fails the test (see `tests/run.sh`).

mod interop_support;

use interop_support::*;

/// A file of `vectors/pss` (made by `vectors/pss/make.sh`).
fn pss(name: &str) -> String {
    format!("{}/vectors/pss/{name}", env!("CARGO_MANIFEST_DIR"))
}

const NAME: &str = "leaf.pss.test";
/// OpenSSL's names of the `rsa_pss_pss_*` schemes, the only ones offered.
const OPENSSL_PSS_PSS: &str = "rsa_pss_pss_sha256:rsa_pss_pss_sha384:rsa_pss_pss_sha512";
/// The same for GnuTLS (its `SIGN-RSA-PSS-SHA*` are `rsa_pss_pss_*`,
/// `SIGN-RSA-PSS-RSAE-SHA*` the other family).
const GNUTLS_PSS_PSS: &str =
    "-SIGN-ALL:+SIGN-RSA-PSS-SHA256:+SIGN-RSA-PSS-SHA384:+SIGN-RSA-PSS-SHA512";
/// (ferrotls, openssl, gnutls) names of each version.
const VERSIONS: [(&str, &str, &str); 2] = [
    ("1.3", "-tls1_3", "+VERS-TLS1.3"),
    ("1.2", "-tls1_2", "+VERS-TLS1.2"),
];

/// `ferrotls server` with the PSS leaf and `extra` options.
fn our_server(extra: &[&str]) -> (Peer, u16) {
    ferrotls_server_serving(&pss("chain.pem"), &pss("leaf.key"), extra)
}

/// `ferrotls client` to `port`, trusting the PSS root, with `extra`.
fn our_client(port: u16, extra: &[&str]) -> String {
    let (status, out) = ferrotls_client_trusting(port, &pss("root.pem"), NAME, extra);
    assert!(status.success(), "ferrotls client failed:\n{out}");
    out
}

#[test]
fn our_client_against_openssl_s_server_with_pss_certificates_both_ways() {
    require("openssl");
    let (cert, int, key, root) = (
        pss("leaf.pem"),
        pss("int.pem"),
        pss("leaf.key"),
        pss("root.pem"),
    );
    for (version, openssl_version, _) in VERSIONS {
        let server = Peer::spawn(
            "stdbuf",
            &[
                "-oL",
                "openssl",
                "s_server",
                openssl_version,
                "-accept",
                "0",
                "-cert",
                &cert,
                "-cert_chain",
                &int,
                "-key",
                &key,
                "-www",
                "-Verify",
                "1",
                "-CAfile",
                &root,
                "-verify_return_error",
                "-client_sigalgs",
                OPENSSL_PSS_PSS,
            ],
        );
        let port = server.wait_for_port("ACCEPT");
        let out = our_client(
            port,
            &[
                "--max-version",
                version,
                "--min-version",
                version,
                "--cert",
                &pss("chain384.pem"),
                "--key",
                &pss("leaf384.key"),
            ],
        );
        let json = json_lines(&out);
        assert_eq!(json.len(), 1, "{out}");
        assert_eq!(json[0].get("version"), format!("TLSv{version}"));
        // s_server's page: the client certificate it verified.
        assert!(
            out.contains("CN = leaf384.pss.test") || out.contains("CN=leaf384.pss.test"),
            "{out}"
        );
    }
}

#[test]
fn openssl_s_client_against_our_server_with_pss_certificates_both_ways() {
    require("openssl");
    let root = pss("root.pem");
    let (_server, port) = our_server(&["--require-client-cert", &root]);
    let connect = format!("127.0.0.1:{port}");
    for (version, openssl_version, _) in VERSIONS {
        let (status, out) = run(
            "openssl",
            &[
                "s_client",
                "-connect",
                &connect,
                openssl_version,
                "-servername",
                NAME,
                "-CAfile",
                &root,
                "-verify_return_error",
                "-sigalgs",
                OPENSSL_PSS_PSS,
                "-cert",
                &pss("leaf384.pem"),
                "-cert_chain",
                &pss("int.pem"),
                "-key",
                &pss("leaf384.key"),
                "-ign_eof",
            ],
            b"GET / HTTP/1.0\r\n\r\n",
        );
        assert!(status.success(), "{version}: {out}");
        assert!(out.contains("Verify return code: 0 (ok)"), "{out}");
        assert!(out.contains("Peer signature type: RSA-PSS"), "{out}");
        assert!(out.contains(&format!("Protocol  : TLSv{version}")), "{out}");
        assert!(out.contains("HTTP/1.0 200"), "{out}");
    }
}

#[test]
fn our_client_against_gnutls_serv_with_a_pss_certificate() {
    require("gnutls-serv");
    for (version, _, gnutls_version) in VERSIONS {
        let port = free_port();
        let port_text = port.to_string();
        let priority = format!("NORMAL:-VERS-ALL:{gnutls_version}:{GNUTLS_PSS_PSS}");
        let server = Peer::spawn(
            "gnutls-serv",
            &[
                "--http",
                "-p",
                &port_text,
                "--x509certfile",
                &pss("chain.pem"),
                "--x509keyfile",
                &pss("leaf.key"),
                "--priority",
                &priority,
            ],
        );
        server.wait_for(&format!("IPv4 0.0.0.0 port {port}...done"));
        let out = our_client(port, &[]);
        let json = json_lines(&out);
        assert_eq!(json.len(), 1, "{out}");
        assert_eq!(json[0].get("version"), format!("TLSv{version}"));
        assert_eq!(json[0].get("peer_certificates"), "2");
    }
}

#[test]
fn gnutls_cli_against_our_server_with_pss_certificates_both_ways() {
    require("gnutls-cli");
    let root = pss("root.pem");
    let (_server, port) = our_server(&["--require-client-cert", &root]);
    let port_text = port.to_string();
    for (version, _, gnutls_version) in VERSIONS {
        let priority = format!("NORMAL:-VERS-ALL:{gnutls_version}:{GNUTLS_PSS_PSS}");
        let (status, out) = run(
            "gnutls-cli",
            &[
                "-p",
                &port_text,
                "--x509cafile",
                &root,
                "--sni-hostname",
                NAME,
                "--verify-hostname",
                NAME,
                "--priority",
                &priority,
                "--x509certfile",
                &pss("chain.pem"),
                "--x509keyfile",
                &pss("leaf.key"),
                "127.0.0.1",
            ],
            b"GET / HTTP/1.0\r\n\r\n",
        );
        assert!(status.success(), "{version}: {out}");
        assert!(
            out.contains(&format!("- Description: (TLS{version}")),
            "{out}"
        );
        // GnuTLS's name for rsa_pss_pss_* (rsa_pss_rsae_* is RSA-PSS-RSAE-*).
        assert!(out.contains(")-(RSA-PSS-SHA"), "{out}");
        assert!(out.contains("HTTP/1.0 200"), "{out}");
    }
}
