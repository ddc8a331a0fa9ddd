//! TLS 1.3 external PSKs (RFC 8446 §2.2) and 0-RTT with stateless
//! tickets and the anti-replay filter (RFC 8446 §8.2) against real
//! peers on 127.0.0.1: `openssl s_client -psk` and `gnutls-cli --pskkey`
//! against `ferrotls server --psk`, our client against `openssl s_server
//! -nocert -psk` and `gnutls-serv --pskpasswd`, and `openssl s_client
//! -early_data` against a server without a session cache. A missing peer
//! binary fails the test (see `tests/run.sh`).

mod interop_support;

use interop_support::*;

const IDENTITY: &str = "ferrotls-psk-test";
/// 32 bytes: OpenSSL 3.0 uses an external PSK with SHA-256 and
/// TLS_AES_128_GCM_SHA256 unless told otherwise, as we do.
const KEY: &str = "5f0e6c9a1b2d3c4e5f60718293a4b5c6d7e8f90112233445566778899aabbccd";
const REQUEST: &[u8] = b"GET / HTTP/1.0\r\n\r\n";
/// GnuTLS's TLS 1.3 with PSK key exchange (ECDHE-PSK is psk_dhe_ke).
const GNUTLS_PSK_PRIORITY: &str = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+ECDHE-PSK:+PSK";

/// Checks our server's one JSON line says an external PSK authenticated
/// a TLS 1.3 handshake without certificates.
fn check_server_log(server: Peer) {
    let (status, log) = server.wait_exit();
    assert!(status.success(), "{log}");
    let json = json_lines(&log);
    assert_eq!(json.len(), 1, "{log}");
    assert_eq!(json[0].get("version"), "TLSv1.3");
    assert_eq!(json[0].get("psk"), "external");
    assert_eq!(json[0].get("resumed"), "false");
}

#[test]
fn openssl_s_client_with_an_external_psk_against_our_server() {
    let (server, port) = ferrotls_server(&[
        "--psk-identity",
        IDENTITY,
        "--psk",
        KEY,
        "--max-connections",
        "1",
    ]);
    let connect = format!("127.0.0.1:{port}");
    let (_, out) = run(
        "openssl",
        &[
            "s_client",
            "-tls1_3",
            "-connect",
            &connect,
            "-psk_identity",
            IDENTITY,
            "-psk",
            KEY,
            "-ign_eof",
        ],
        REQUEST,
    );
    // OpenSSL counts any PSK handshake as a reuse, an external PSK's too.
    assert!(out.contains("Reused, TLSv1.3"), "{out}");
    // No certificate: s_client says so; our page names the PSK.
    assert!(out.contains("no peer certificate available"), "{out}");
    assert!(out.contains("psk: external"), "{out}");
    check_server_log(server);
}

#[test]
fn our_client_with_an_external_psk_against_openssl_s_server_nocert() {
    require("openssl");
    let server = Peer::spawn(
        "stdbuf",
        &[
            "-oL",
            "openssl",
            "s_server",
            "-tls1_3",
            "-accept",
            "0",
            "-nocert",
            "-psk_identity",
            IDENTITY,
            "-psk",
            KEY,
            "-www",
        ],
    );
    let port = server.wait_for_port("ACCEPT");
    let (status, out) = ferrotls_client(port, &["--psk-identity", IDENTITY, "--psk", KEY]);
    assert!(status.success(), "{out}");
    let json = json_lines(&out);
    assert_eq!(json.len(), 1, "{out}");
    assert_eq!(json[0].get("psk"), "external");
    assert_eq!(json[0].get("peer_certificates"), "0");
    assert_eq!(json[0].get("cipher_suite"), "TLS_AES_128_GCM_SHA256");
    // OpenSSL's page describes the connection it served, a PSK one
    // counting as reused there.
    assert!(
        out.contains("Reused, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256"),
        "{out}"
    );
}

#[test]
fn gnutls_cli_with_an_external_psk_against_our_server() {
    require("gnutls-cli");
    // OpenSSL's spellings of our options.
    let (server, port) = ferrotls_server(&[
        "-psk_identity",
        IDENTITY,
        "-psk",
        KEY,
        "--max-connections",
        "1",
    ]);
    let port_text = port.to_string();
    let (_, out) = run_until(
        "gnutls-cli",
        &[
            "-p",
            &port_text,
            "--pskusername",
            IDENTITY,
            "--pskkey",
            KEY,
            "--priority",
            GNUTLS_PSK_PRIORITY,
            "127.0.0.1",
        ],
        REQUEST,
        "psk: external",
    );
    assert!(out.contains("psk: external"), "{out}");
    assert!(
        out.contains(&format!("- PSK authentication. Connected as '{IDENTITY}'")),
        "{out}"
    );
    check_server_log(server);
}

#[test]
fn our_client_with_an_external_psk_against_gnutls_serv() {
    require("gnutls-serv");
    let dir = Scratch::new("gnutls-psk");
    let passwd = dir.file("psk.passwd");
    std::fs::write(&passwd, format!("{IDENTITY}:{KEY}\n")).unwrap();
    let (_server, port) = gnutls_server(
        "p256",
        &["--pskpasswd", &passwd, "--priority", GNUTLS_PSK_PRIORITY],
    );
    // OpenSSL's spellings of our options.
    let (status, out) = ferrotls_client(port, &["-psk_identity", IDENTITY, "-psk", KEY]);
    assert!(status.success(), "{out}");
    let json = json_lines(&out);
    assert_eq!(json.len(), 1, "{out}");
    assert_eq!(json[0].get("version"), "TLSv1.3");
    assert_eq!(json[0].get("psk"), "external");
    assert_eq!(json[0].get("peer_certificates"), "0");
}

#[test]
fn openssl_0rtt_with_stateless_tickets_and_the_anti_replay_filter() {
    let json = s_client_0rtt_to_our_server(&[
        "--no-session-cache",
        "--early-data",
        "16384",
        "--anti-replay",
    ]);
    let early_data: Vec<&str> = json.iter().map(|j| j.get("early_data")).collect();
    assert_eq!(early_data, ["not_offered", "accepted"]);
    assert_eq!(json[1].get("resumed"), "true");
}

/// `ferrotls server` for one connection, holding the PSK imported under
/// `context` (RFC 9258).
fn importing_server(context: &str) -> (Peer, u16) {
    ferrotls_server(&[
        "--psk-identity",
        IDENTITY,
        "--psk",
        KEY,
        "--psk-context",
        context,
        "--max-connections",
        "1",
    ])
}

#[test]
fn rfc9258_our_tools_import_the_psk_under_the_same_context_only() {
    // No peer here imports PSKs (OpenSSL 3.0 and GnuTLS 3.7 predate RFC
    // 9258; BoGo checks the import against BoringSSL): our client and
    // server agree on the imported identities when the contexts match,
    // and fall back to the certificate when they do not.
    for (server_context, client_context, psk) in [
        ("fleet-a", "fleet-a", "external"),
        ("fleet-a", "fleet-b", "null"),
    ] {
        let (server, port) = importing_server(server_context);
        let (status, out) = ferrotls_client(
            port,
            &[
                "--psk-identity",
                IDENTITY,
                "--psk",
                KEY,
                "--psk-context",
                client_context,
            ],
        );
        assert!(status.success(), "{out}");
        assert_eq!(
            json_lines(&out)[0].get("psk"),
            psk,
            "{client_context}: {out}"
        );
        let (status, log) = server.wait_exit();
        assert!(status.success(), "{log}");
        assert_eq!(json_lines(&log)[0].get("psk"), psk, "{log}");
    }
    // An imported PSK is not the raw one: a client offering the raw PSK
    // to a server importing it gets the certificate handshake too.
    let (server, port) = importing_server("");
    let (status, out) = ferrotls_client(port, &["--psk-identity", IDENTITY, "--psk", KEY]);
    assert!(status.success(), "{out}");
    assert_eq!(json_lines(&out)[0].get("psk"), "null", "{out}");
    assert!(server.wait_exit().0.success());
}
