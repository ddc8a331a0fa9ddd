//! OCSP stapling and certificate_authorities with OpenSSL on 127.0.0.1:
//! `openssl s_client -status` against `ferrotls server --ocsp FILE`, our
//! client with `--require-ocsp` against `openssl s_server -status_file
//! FILE`, and the CA names our server sends in its CertificateRequest as
//! `openssl s_client` prints them. A missing peer binary fails the test
//! (see `tests/run.sh`).

mod interop_support;

use interop_support::*;

/// `ferrotls server` serving the stapling vectors' good leaf with
/// `extra` options.
fn stapling_server(extra: &[&str]) -> (Peer, u16) {
    let cert = vector("stapling/good-chain.pem");
    let key = vector("stapling/good.key");
    let mut args = vec![
        "server",
        "--cert",
        &cert,
        "--key",
        &key,
        "--listen",
        "127.0.0.1:0",
        "--json",
    ];
    args.extend_from_slice(extra);
    let peer = Peer::spawn(ferrotls_bin(), &args);
    let port = peer.wait_for_port("listening on");
    (peer, port)
}

#[test]
fn openssl_s_client_status_gets_our_staple_in_tls13_and_tls12() {
    require("openssl");
    let ocsp = vector("stapling/good.ocsp.der");
    for version in ["-tls1_3", "-tls1_2"] {
        let (server, port) = stapling_server(&["--ocsp", &ocsp, "--max-connections", "1"]);
        let connect = format!("127.0.0.1:{port}");
        let (_, out) = run_until(
            "openssl",
            &[
                "s_client",
                version,
                "-status",
                "-connect",
                &connect,
                "-servername",
                "stapling.test",
            ],
            b"GET / HTTP/1.0\r\n\r\n",
            "ocsp_stapled",
        );
        assert!(
            out.contains("OCSP Response Status: successful"),
            "{version}: {out}"
        );
        assert!(out.contains("Cert Status: good"), "{version}: {out}");
        let (_, log) = server.wait_exit();
        assert_eq!(json_lines(&log)[0].get("ocsp_stapled"), "true", "{log}");
    }
}

#[test]
fn our_client_requires_and_checks_openssl_s_server_status_file() {
    require("openssl");
    let root = vector("stapling/root.pem");
    for (file, ok) in [("good.ocsp.der", true), ("revoked.ocsp.der", false)] {
        // s_server staples the file whatever it says; the revoked
        // response is about another certificate than the one served.
        let status = vector(&format!("stapling/{file}"));
        let cert = vector("stapling/good.pem");
        let chain = vector("stapling/int.pem");
        let key = vector("stapling/good.key");
        let server = Peer::spawn(
            "stdbuf",
            &[
                "-oL",
                "openssl",
                "s_server",
                "-accept",
                "0",
                "-www",
                "-cert",
                &cert,
                "-cert_chain",
                &chain,
                "-key",
                &key,
                "-status_file",
                &status,
            ],
        );
        let port = server.wait_for_port("ACCEPT");
        let addr = format!("127.0.0.1:{port}");
        let (exit, out) = run_client(&[
            "client",
            &addr,
            "--servername",
            "stapling.test",
            "--cafile",
            &root,
            "--json",
            "--require-ocsp",
        ]);
        if ok {
            assert!(exit.success(), "{out}");
            assert_eq!(json_lines(&out)[0].get("ocsp_stapled"), "true", "{out}");
        } else {
            assert!(!exit.success(), "{out}");
            assert!(out.contains("bad_certificate_status_response"), "{out}");
        }
    }
}

#[test]
fn openssl_s_client_lists_the_ca_names_our_server_sends() {
    require("openssl");
    let ca = vector("p384-root.pem");
    for version in ["-tls1_3", "-tls1_2"] {
        let (_server, port) = ferrotls_server(&["--request-client-cert", &ca]);
        let connect = format!("127.0.0.1:{port}");
        let (_, out) = run_until(
            "openssl",
            &["s_client", version, "-connect", &connect],
            b"GET / HTTP/1.0\r\n\r\n",
            "peer_certificates",
        );
        let names = out
            .split("Acceptable client certificate CA names")
            .nth(1)
            .unwrap_or_else(|| panic!("{version}: no CA names: {out}"));
        let first = names.lines().nth(1).unwrap_or_default();
        assert!(
            first.contains("CN = p384 root"),
            "{version}: {first}\n{out}"
        );
    }
}
