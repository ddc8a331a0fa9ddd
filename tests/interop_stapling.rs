//! OCSP stapling and certificate_authorities with OpenSSL and GnuTLS on
//! 127.0.0.1: `openssl s_client -status` and `gnutls-cli --ocsp
//! --save-ocsp` against `ferrotls server --ocsp FILE`, our client with
//! `--require-ocsp` against `openssl s_server -status_file FILE` and
//! `gnutls-serv --ocsp-response FILE`, and the CA names our server sends
//! in its CertificateRequest as `openssl s_client` prints them; the
//! certificate our client picks by the names `openssl s_server` sends,
//! and the one our TLS 1.3 server picks by the names `openssl s_client
//! -requestCAfile` sends. A missing peer binary fails the test (see
//! `tests/run.sh`).

mod common;
mod interop_support;

use interop_support::*;

/// `ferrotls server` serving the stapling vectors' good leaf with
/// `extra` options.
fn stapling_server(extra: &[&str]) -> (Peer, u16) {
    ferrotls_server_serving(
        &vector("stapling/good-chain.pem"),
        &vector("stapling/good.key"),
        extra,
    )
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

/// `gnutls-cli` options limiting it to `version` ("1.3" or "1.2").
fn gnutls_priority(version: &str) -> String {
    format!("NORMAL:-VERS-ALL:+VERS-TLS{version}")
}

#[test]
fn gnutls_cli_ocsp_saves_and_checks_our_staple_in_tls13_and_tls12() {
    require("gnutls-cli");
    let root = vector("stapling/root.pem");
    for version in ["1.3", "1.2"] {
        // The good leaf with its response: gnutls-cli saves what it got.
        let ocsp = vector("stapling/good.ocsp.der");
        let (server, port) = stapling_server(&["--ocsp", &ocsp, "--max-connections", "1"]);
        let scratch = Scratch::new(&format!("gnutls-ocsp-{version}"));
        let saved = scratch.file("saved.der");
        let save = format!("--save-ocsp={saved}");
        let priority = gnutls_priority(version);
        let port_text = port.to_string();
        let (_, out) = run_until(
            "gnutls-cli",
            &[
                "--ocsp",
                &save,
                "--priority",
                &priority,
                "-p",
                &port_text,
                "--x509cafile",
                &root,
                "--sni-hostname",
                "stapling.test",
                "--verify-hostname",
                "stapling.test",
                "127.0.0.1",
            ],
            b"GET / HTTP/1.0\r\n\r\n",
            "ocsp_stapled",
        );
        assert!(
            out.contains("The certificate is trusted"),
            "{version}: {out}"
        );
        assert_eq!(
            std::fs::read(&saved).unwrap_or_default(),
            std::fs::read(&ocsp).unwrap(),
            "{version}: the saved response is not the file\n{out}"
        );
        let (_, log) = server.wait_exit();
        assert_eq!(json_lines(&log)[0].get("ocsp_stapled"), "true", "{log}");

        // The revoked leaf with its response: gnutls-cli reads the staple
        // and refuses the chain.
        let cert = vector("stapling/revoked-chain.pem");
        let key = vector("stapling/revoked.key");
        let ocsp = vector("stapling/revoked.ocsp.der");
        let server = Peer::spawn(
            ferrotls_bin(),
            &[
                "server",
                "--cert",
                &cert,
                "--key",
                &key,
                "--ocsp",
                &ocsp,
                "--listen",
                "127.0.0.1:0",
                "--max-connections",
                "1",
            ],
        );
        let port_text = server.wait_for_port("listening on").to_string();
        let (exit, out) = run(
            "gnutls-cli",
            &[
                "--ocsp",
                "--priority",
                &priority,
                "-p",
                &port_text,
                "--x509cafile",
                &root,
                "--sni-hostname",
                "stapling.test",
                "--verify-hostname",
                "stapling.test",
                "127.0.0.1",
            ],
            b"",
        );
        assert!(!exit.success(), "{version}: {out}");
        assert!(
            out.contains("The certificate was revoked via OCSP"),
            "{version}: {out}"
        );
    }
}

/// `gnutls-serv --http` on a free port serving the stapling vectors'
/// `leaf` ("good" or "revoked") and stapling `ocsp`. gnutls-serv checks
/// the response against the certificate when it loads it and refuses a
/// revoked one unless told to ignore that.
fn gnutls_stapling_server(leaf: &str, ocsp: &str) -> (Peer, u16) {
    let port = free_port();
    let port_text = port.to_string();
    let chain = vector(&format!("stapling/{leaf}-chain.pem"));
    let key = vector(&format!("stapling/{leaf}.key"));
    let ocsp = vector(&format!("stapling/{ocsp}"));
    let server = Peer::spawn(
        "gnutls-serv",
        &[
            "--http",
            "-p",
            &port_text,
            "--x509certfile",
            &chain,
            "--x509keyfile",
            &key,
            "--ocsp-response",
            &ocsp,
            "--ignore-ocsp-response-errors",
        ],
    );
    server.wait_for(&format!("IPv4 0.0.0.0 port {port}...done"));
    (server, port)
}

#[test]
fn our_client_requires_and_checks_gnutls_serv_ocsp_response_in_tls13_and_tls12() {
    let root = vector("stapling/root.pem");
    for (leaf, ok) in [("good", true), ("revoked", false)] {
        let (_server, port) = gnutls_stapling_server(leaf, &format!("{leaf}.ocsp.der"));
        let addr = format!("127.0.0.1:{port}");
        for version in ["1.3", "1.2"] {
            let (exit, out) = run_client(&[
                "client",
                &addr,
                "--servername",
                "stapling.test",
                "--cafile",
                &root,
                "--json",
                "--require-ocsp",
                "--min-version",
                version,
                "--max-version",
                version,
            ]);
            if ok {
                assert!(exit.success(), "{version}: {out}");
                let json = &json_lines(&out)[0];
                assert_eq!(json.get("version"), format!("TLSv{version}"), "{out}");
                assert_eq!(json.get("ocsp_stapled"), "true", "{out}");
            } else {
                assert!(!exit.success(), "{version}: {out}");
                assert!(out.contains("certificate_revoked"), "{version}: {out}");
            }
        }
    }
}

#[test]
fn our_client_with_two_certificates_offers_the_one_under_openssl_s_server_ca() {
    // s_server names the CAs of -CAfile in its CertificateRequest; our
    // client holds the P-256 certificate first and the P-384 one second.
    let p256_cert = vector("p256-chain.pem");
    let p256_key = vector("p256-leaf.key");
    let p384_cert = vector("p384-chain.pem");
    let p384_key = vector("p384-leaf.key");
    // Each --cert needs its --key.
    let (exit, out) = ferrotls_client(
        1,
        &[
            "--cert", &p256_cert, "--key", &p256_key, "--cert", &p384_cert,
        ],
    );
    assert_eq!(exit.code(), Some(2), "{out}");
    assert!(out.contains("one --key per --cert"), "{out}");
    for version in ["-tls1_3", "-tls1_2"] {
        for ca in ["p384", "p256"] {
            let ca_file = vector(&format!("{ca}-root.pem"));
            let (server, port) = openssl_server(
                "p256",
                &[version],
                &[
                    "-Verify",
                    "1",
                    "-CAfile",
                    &ca_file,
                    "-verify_return_error",
                    "-www",
                ],
            );
            let (exit, out) = ferrotls_client(
                port,
                &[
                    "--cert", &p256_cert, "--key", &p256_key, "--cert", &p384_cert, "--key",
                    &p384_key,
                ],
            );
            assert!(exit.success(), "{version}, CA {ca}: {out}");
            let log = server.wait_for("depth=0 ");
            assert!(
                log.contains(&format!("depth=0 CN = leaf.{ca}.test")),
                "{version}, CA {ca}: {log}"
            );
        }
    }
}

#[test]
fn our_tls13_server_picks_the_certificate_under_the_ca_openssl_s_client_names() {
    // `s_client -requestCAfile` sends certificate_authorities in its
    // ClientHello (RFC 8446 §4.2.4). Connecting to 127.0.0.1 it sends no
    // server_name, so both of our certificates are defaults, P-256 first.
    require("openssl");
    for (request, expected) in [
        (Some("p384"), "p384"),
        (Some("p256"), "p256"),
        (None, "p256"),
    ] {
        let config = common::server_builder("p256")
            .certificate(common::certified_key("p384"))
            .versions(&[ferrotls::ProtocolVersion::TLSv1_3])
            .build()
            .unwrap();
        let (port, seen) = our_server(config, 1);
        let connect = format!("127.0.0.1:{port}");
        let ca_file = request.map(|ca| vector(&format!("{ca}-root.pem")));
        let mut args = vec!["s_client", "-tls1_3", "-connect", &connect];
        if let Some(file) = &ca_file {
            args.extend(["-requestCAfile", file.as_str()]);
        }
        let (_, out) = run_until("openssl", &args, b"ping\n", "hello from ferrotls");
        assert!(
            out.contains(&format!("subject=CN = leaf.{expected}.test")),
            "naming {request:?}: {out}"
        );
        let seen = seen.recv().unwrap();
        assert_eq!(
            seen.version,
            Some(ferrotls::ProtocolVersion::TLSv1_3),
            "{out}"
        );
    }
}
