//! Raw public keys (RFC 7250) against GnuTLS 3.7 on 127.0.0.1, TLS 1.3
//! and 1.2, both roles and both certificate types: `gnutls-serv
//! --rawpkfile/--rawpkkeyfile` (also requiring the client's raw key)
//! against `ferrotls client --pin-spki ... --key ...`, and `gnutls-cli
//! --rawpkfile/--rawpkkeyfile` against `ferrotls server --rawpk
//! --pin-client-spki ...`. The public keys are exported with `openssl
//! pkey -pubout`, as the issue says. GnuTLS is limited to raw public keys
//! (`-CTYPE-ALL:+CTYPE-SRV-RAWPK:+CTYPE-CLI-RAWPK`), so a completed
//! handshake used them. A missing peer binary fails the test (see
//! `tests/run.sh`).

mod interop_support;

use interop_support::*;

/// GnuTLS's priority for raw public keys only, at `version` (1.3, 1.2).
fn rawpk_priority(version: &str) -> String {
    format!("NORMAL:-VERS-ALL:+VERS-TLS{version}:-CTYPE-ALL:+CTYPE-SRV-RAWPK:+CTYPE-CLI-RAWPK")
}

/// The server's (P-256) and the client's (P-384) private keys, and their
/// public keys as `openssl pkey -pubout` writes them, in `scratch`.
struct Keys {
    server_key: String,
    server_pub: String,
    client_key: String,
    client_pub: String,
}

fn export_keys(scratch: &Scratch) -> Keys {
    require("openssl");
    let export = |key: &str, out: &str| {
        let (status, log) = run(
            "openssl",
            &["pkey", "-in", key, "-pubout", "-out", out],
            b"",
        );
        assert!(status.success(), "openssl pkey -pubout: {log}");
    };
    let keys = Keys {
        server_key: vector("p256-leaf.key"),
        server_pub: scratch.file("server.pub.pem"),
        client_key: vector("p384-leaf.key"),
        client_pub: scratch.file("client.pub.pem"),
    };
    export(&keys.server_key, &keys.server_pub);
    export(&keys.client_key, &keys.client_pub);
    keys
}

#[test]
fn our_client_pins_gnutls_servs_raw_key_and_sends_its_own() {
    require("gnutls-serv");
    let scratch = Scratch::new("rawpk-gnutls-serv");
    let keys = export_keys(&scratch);
    for version in ["1.3", "1.2"] {
        let port = free_port();
        let port_text = port.to_string();
        let priority = rawpk_priority(version);
        let server = Peer::spawn(
            "gnutls-serv",
            &[
                "--http",
                "-p",
                &port_text,
                "--rawpkfile",
                &keys.server_pub,
                "--rawpkkeyfile",
                &keys.server_key,
                "--require-client-cert",
                "--priority",
                &priority,
            ],
        );
        server.wait_for(&format!("IPv4 0.0.0.0 port {port}...done"));
        let addr = format!("127.0.0.1:{port}");
        let (status, out) = run_client(&[
            "client",
            &addr,
            "--servername",
            "leaf.p256.test",
            "--pin-spki",
            &keys.server_pub,
            "--key",
            &keys.client_key,
            "--min-version",
            version,
            "--max-version",
            version,
            "--json",
        ]);
        assert!(status.success(), "{version}: {out}");
        let json = json_lines(&out);
        assert_eq!(json.len(), 1, "{out}");
        assert_eq!(json[0].get("version"), format!("TLSv{version}"));
        assert_eq!(json[0].get("certificate_type"), "RawPublicKey");
        assert_eq!(json[0].get("peer_certificates"), "1");
        // gnutls-serv's page: the session used raw public keys, and it
        // received our key.
        assert!(
            out.contains(&format!("(TLS{version}-Raw Public Key)")),
            "{out}"
        );
        let log = server.wait_for("Got 1 Raw public-key(s)");
        assert!(log.contains("Raw pk info"), "{log}");
    }
}

#[test]
fn a_gnutls_serv_key_we_do_not_pin_is_refused_as_bad_certificate() {
    require("gnutls-serv");
    let scratch = Scratch::new("rawpk-gnutls-serv-unpinned");
    let keys = export_keys(&scratch);
    let port = free_port();
    let port_text = port.to_string();
    let priority = rawpk_priority("1.3");
    let server = Peer::spawn(
        "gnutls-serv",
        &[
            "--http",
            "-p",
            &port_text,
            "--rawpkfile",
            &keys.server_pub,
            "--rawpkkeyfile",
            &keys.server_key,
            "--priority",
            &priority,
        ],
    );
    server.wait_for(&format!("IPv4 0.0.0.0 port {port}...done"));
    let addr = format!("127.0.0.1:{port}");
    // We pin the client's key, not the server's.
    let (status, out) = run_client(&[
        "client",
        &addr,
        "--servername",
        "leaf.p256.test",
        "--pin-spki",
        &keys.client_pub,
    ]);
    assert!(!status.success(), "{out}");
    assert!(out.contains("key not pinned"), "{out}");
    assert!(out.contains("bad_certificate"), "{out}");
}

#[test]
fn gnutls_cli_pins_nothing_but_gets_our_raw_key_and_sends_its_own() {
    require("gnutls-cli");
    let scratch = Scratch::new("rawpk-gnutls-cli");
    let keys = export_keys(&scratch);
    let chain = vector("p256-chain.pem");
    let (server, port) = {
        let peer = Peer::spawn(
            ferrotls_bin(),
            &[
                "server",
                "--cert",
                &chain,
                "--key",
                &keys.server_key,
                "--listen",
                "127.0.0.1:0",
                "--rawpk",
                "--pin-client-spki",
                &keys.client_pub,
                "--json",
            ],
        );
        let port = peer.wait_for_port("listening on");
        (peer, port)
    };
    let port_text = port.to_string();
    for version in ["1.3", "1.2"] {
        let priority = rawpk_priority(version);
        // gnutls-cli cannot pin a raw key: --insecure skips its check of
        // ours (ours of its key is what --pin-client-spki tests).
        let (status, out) = run(
            "gnutls-cli",
            &[
                "-p",
                &port_text,
                "--priority",
                &priority,
                "--rawpkfile",
                &keys.client_pub,
                "--rawpkkeyfile",
                &keys.client_key,
                "--insecure",
                "127.0.0.1",
            ],
            b"GET / HTTP/1.0\r\n\r\n",
        );
        assert!(status.success(), "{version}: {out}");
        assert!(
            out.contains(&format!("(TLS{version}-Raw Public Key)")),
            "{out}"
        );
        assert!(out.contains("certificate_type: RawPublicKey"), "{out}");
        assert!(out.contains("peer_certificates: 1"), "{out}");
    }
    let json = json_lines(
        &server
            .wait_until(|o| o.matches("\"role\"").count() >= 2)
            .unwrap_or_default(),
    );
    assert_eq!(json.len(), 2);
    assert!(json
        .iter()
        .all(|j| j.get("certificate_type") == "RawPublicKey"));
}

#[test]
fn our_server_refuses_a_gnutls_client_key_it_does_not_pin() {
    require("gnutls-cli");
    let scratch = Scratch::new("rawpk-gnutls-cli-unpinned");
    let keys = export_keys(&scratch);
    let chain = vector("p256-chain.pem");
    // The server pins its own key as the client's: the client's key is
    // not pinned.
    let peer = Peer::spawn(
        ferrotls_bin(),
        &[
            "server",
            "--cert",
            &chain,
            "--key",
            &keys.server_key,
            "--listen",
            "127.0.0.1:0",
            "--rawpk",
            "--pin-client-spki",
            &keys.server_pub,
        ],
    );
    let port = peer.wait_for_port("listening on");
    let priority = rawpk_priority("1.3");
    let (status, out) = run(
        "gnutls-cli",
        &[
            "-p",
            &port.to_string(),
            "--priority",
            &priority,
            "--rawpkfile",
            &keys.client_pub,
            "--rawpkkeyfile",
            &keys.client_key,
            "--insecure",
            "127.0.0.1",
        ],
        b"GET / HTTP/1.0\r\n\r\n",
    );
    assert!(!status.success(), "{out}");
    assert!(out.contains("Received alert [42]"), "{out}");
    let log = peer.wait_for("sent alert bad_certificate");
    assert!(log.contains("key not pinned"), "{log}");
}
