//! TLS 1.0 and 1.1 against real peers on 127.0.0.1 (design §6):
//! our client against `openssl s_server -tls1 / -tls1_1 -cipher
//! 'DEFAULT:@SECLEVEL=0'` (RSA and ECDSA certificates, ECDHE and RSA key
//! exchange, resumption by ID and ticket) and `gnutls-serv` with a
//! priority forcing the version; `openssl s_client` and `gnutls-cli`
//! against our server, with resumption. Application data crosses both
//! ways each time. A default (1.3 + 1.2) server refuses `s_client -tls1`
//! with protocol_version. A missing peer binary fails the test.

mod common;
mod interop_support;

use std::net::TcpStream;
use std::sync::Arc;

use common::{certified_key, roots};
use ferrotls::{
    ClientConfig, ClientConnection, ServerConfig, ServerName, StreamOwned, WebPkiServerVerifier,
};
#[cfg(feature = "legacy")]
use ferrotls::{ProtocolVersion, TLS10_CIPHER_SUITES};
use interop_support::*;

/// Each legacy version with its openssl flag and gnutls priority.
#[cfg(feature = "legacy")]
const VERSIONS: [(ProtocolVersion, &str, &str); 2] = [
    (
        ProtocolVersion::TLSv1_0,
        "-tls1",
        "NORMAL:-VERS-ALL:+VERS-TLS1.0",
    ),
    (
        ProtocolVersion::TLSv1_1,
        "-tls1_1",
        "NORMAL:-VERS-ALL:+VERS-TLS1.1",
    ),
];

/// OpenSSL 3.0 refuses TLS 1.0/1.1 above security level 0 (design §6).
const SECLEVEL0: &str = "DEFAULT:@SECLEVEL=0";

/// `openssl s_server`'s options for `flag`'s version (for
/// [`openssl_server`]).
fn openssl_version(flag: &str) -> [&str; 3] {
    [flag, "-cipher", SECLEVEL0]
}

/// How openssl's status page names a version.
#[cfg(feature = "legacy")]
fn openssl_name(version: ProtocolVersion) -> &'static str {
    match version {
        ProtocolVersion::TLSv1_0 => "TLSv1",
        _ => "TLSv1.1",
    }
}

#[cfg(feature = "legacy")]
#[test]
fn our_client_against_openssl_every_suite_version_and_certificate() {
    for (version, flag, _) in VERSIONS {
        for key_type in ["rsa2048", "p256"] {
            let (_peer, port) = openssl_server(key_type, &openssl_version(flag), &["-www"]);
            for suite in suites_for(key_type, TLS10_CIPHER_SUITES) {
                let config = client_config(roots(key_type), &[version], &[suite], true);
                let (conn, page) = get(&config, key_type, port);
                assert_eq!(conn.protocol_version(), Some(version));
                assert_eq!(conn.cipher_suite(), Some(suite));
                let protocol = format!("Protocol  : {}\n", openssl_name(version));
                assert!(page.contains(&protocol), "{suite:?}: {page}");
                assert!(page.contains("200 ok"), "{suite:?}: {page}");
            }
        }
    }
}

#[cfg(feature = "legacy")]
#[test]
fn our_client_against_openssl_without_etm() {
    for (version, flag, _) in VERSIONS {
        let (_peer, port) = openssl_server("p256", &openssl_version(flag), &["-www", "-no_etm"]);
        let config = client_config(
            roots("p256"),
            &[version],
            &suites_for("p256", TLS10_CIPHER_SUITES),
            true,
        );
        let (conn, page) = get(&config, "p256", port);
        assert_eq!(conn.protocol_version(), Some(version));
        assert!(page.contains("200 ok"), "{page}");
        let kept = config
            .session_store
            .as_ref()
            .unwrap()
            .get_tls12("leaf.p256.test")
            .unwrap();
        assert!(!kept.encrypt_then_mac);
    }
}

#[cfg(feature = "legacy")]
#[test]
fn our_client_resumes_against_openssl_by_session_id_and_ticket() {
    for (version, flag, _) in VERSIONS {
        for key_type in ["rsa2048", "p256"] {
            for tickets in [false, true] {
                let extra: &[&str] = if tickets {
                    &["-www"]
                } else {
                    &["-www", "-no_ticket"]
                };
                let (_peer, port) = openssl_server(key_type, &openssl_version(flag), extra);
                let config = client_config(
                    roots(key_type),
                    &[version],
                    &suites_for(key_type, TLS10_CIPHER_SUITES),
                    tickets,
                );
                let name = openssl_name(version);
                let (first, page) = get(&config, key_type, port);
                assert!(!first.is_resumed());
                // "New, <the suite's first version>", then the protocol.
                let protocol = format!("Protocol  : {name}\n");
                assert!(page.contains("New, ") && page.contains(&protocol), "{page}");
                let (second, page) = get(&config, key_type, port);
                assert!(second.is_resumed(), "{version:?} {key_type} {tickets}");
                assert!(
                    page.contains("Reused, ") && page.contains(&protocol),
                    "{page}"
                );
                // Design §3: by ID the client sees S again; by ticket its C.
                assert_eq!(second.session_id() == first.session_id(), !tickets);
            }
        }
    }
}

#[cfg(feature = "legacy")]
#[test]
fn our_client_against_gnutls_with_resumption() {
    for (version, _, priority) in VERSIONS {
        for key_type in ["rsa2048", "p256"] {
            for (suffix, tickets) in [("", true), (":%NO_TICKETS", false)] {
                let priority = format!("{priority}{suffix}");
                let (_peer, port) = gnutls_server(key_type, &["--priority", &priority]);
                let config = client_config(
                    roots(key_type),
                    &[version],
                    &suites_for(key_type, TLS10_CIPHER_SUITES),
                    true,
                );
                let (first, page) = get(&config, key_type, port);
                assert_eq!(first.protocol_version(), Some(version));
                assert!(page.contains("HTTP/1.0 200"), "{priority}: {page}");
                let kept = config
                    .session_store
                    .as_ref()
                    .unwrap()
                    .get_tls12(&format!("leaf.{key_type}.test"))
                    .unwrap();
                assert_eq!(kept.ticket.is_some(), tickets, "{priority}");
                let (second, _) = get(&config, key_type, port);
                assert!(second.is_resumed(), "{priority} {key_type}");
            }
        }
    }
}

// ---- their clients against our server ----

#[cfg(feature = "legacy")]
fn legacy_server(key_type: &str) -> Arc<ServerConfig> {
    ServerConfig::builder(certified_key(key_type))
        .versions(&[ProtocolVersion::TLSv1_1, ProtocolVersion::TLSv1_0])
        .cipher_suites(TLS10_CIPHER_SUITES)
        .build()
        .unwrap()
}

#[cfg(feature = "legacy")]
#[test]
fn openssl_client_resumes_against_our_server() {
    // ECDHE with both certificates, and RSA key exchange (AES256-SHA).
    let cases = [
        ("rsa2048", SECLEVEL0),
        ("p256", SECLEVEL0),
        ("rsa2048", "AES256-SHA:@SECLEVEL=0"),
    ];
    for (version, flag, _) in VERSIONS {
        for (key_type, cipher) in cases {
            let (port, seen) = our_server(legacy_server(key_type), 2);
            let scratch = Scratch::new(&format!("s_client-{flag}-{key_type}"));
            let sess = scratch.file("sess.pem");
            let ca = vector(&format!("{key_type}-root.pem"));
            let connect = format!("127.0.0.1:{port}");
            let name = format!("leaf.{key_type}.test");
            let s_client = |sess_flag: &str| {
                run_until(
                    "openssl",
                    &[
                        "s_client",
                        flag,
                        "-cipher",
                        cipher,
                        "-connect",
                        &connect,
                        "-servername",
                        &name,
                        "-CAfile",
                        &ca,
                        sess_flag,
                        &sess,
                    ],
                    b"ping from s_client\n",
                    "hello from ferrotls",
                )
                .1
            };
            let out = s_client("-sess_out");
            let protocol = format!("Protocol  : {}\n", openssl_name(version));
            assert!(out.contains("New, ") && out.contains(&protocol), "{out}");
            assert!(out.contains("Verify return code: 0 (ok)"), "{out}");
            let first = seen.recv_timeout(WAIT).unwrap();
            assert_eq!(first.version, Some(version));
            assert_eq!(first.rsa_key_exchange, cipher.starts_with("AES256-SHA"));
            assert!(!first.resumed);
            assert_eq!(first.received, b"ping from s_client\n");
            let out = s_client("-sess_in");
            assert!(out.contains("Reused, ") && out.contains(&protocol), "{out}");
            let second = seen.recv_timeout(WAIT).unwrap();
            assert!(second.resumed);
            assert_eq!(second.session_id, first.session_id, "S kept");
            assert_eq!(second.received, b"ping from s_client\n");
        }
    }
}

#[cfg(feature = "legacy")]
#[test]
fn gnutls_client_resumes_against_our_server_and_prints_our_session_id() {
    for (version, _, priority) in VERSIONS {
        for suffix in ["", ":%NO_TICKETS", ":-KX-ALL:+RSA:%NO_TICKETS"] {
            let priority = format!("{priority}{suffix}");
            let key_type = if suffix.contains("RSA") {
                "rsa2048"
            } else {
                "p256"
            };
            let (port, seen) = our_server(legacy_server(key_type), 2);
            let port_text = port.to_string();
            let (_, out) = run_until(
                "gnutls-cli",
                &[
                    "--resume",
                    "--insecure",
                    "--priority",
                    &priority,
                    "-p",
                    &port_text,
                    "127.0.0.1",
                ],
                b"ping from gnutls\n",
                "This is a resumed session",
            );
            let first = seen.recv_timeout(WAIT).unwrap();
            assert_eq!(first.version, Some(version), "{priority}");
            assert_eq!(first.rsa_key_exchange, suffix.contains("RSA"), "{priority}");
            let second = seen.recv_timeout(WAIT).unwrap();
            assert!(second.resumed, "{priority}: {out}");
            assert_eq!(second.session_id, first.session_id);
            assert_eq!(second.received, b"ping from gnutls\n", "{priority}");
            assert!(out.contains("hello from ferrotls"), "{out}");
            // By session ID, gnutls_session_get_id is S on both
            // connections, as our server reports it.
            if suffix.contains("NO_TICKETS") {
                let ours = hex::encode(&first.session_id);
                let printed = gnutls_session_ids(&out);
                assert_eq!(
                    printed.iter().filter(|id| **id == ours).count(),
                    2,
                    "{ours} twice in: {out}"
                );
            }
        }
    }
}

#[test]
fn a_default_server_refuses_openssl_tls1_with_protocol_version() {
    let config = ServerConfig::builder(certified_key("p256"))
        .build()
        .unwrap();
    let (port, seen) = our_server(config, 1);
    let connect = format!("127.0.0.1:{port}");
    let (status, out) = run(
        "openssl",
        &[
            "s_client", "-tls1", "-cipher", SECLEVEL0, "-connect", &connect,
        ],
        b"",
    );
    assert!(!status.success());
    assert!(out.contains("alert protocol version"), "{out}");
    let refused = seen.recv_timeout(WAIT).unwrap();
    let text = String::from_utf8_lossy(&refused.received).into_owned();
    assert!(text.contains("off by default"), "{text}");
}

#[test]
fn a_default_client_refuses_openssl_tls1_with_protocol_version() {
    let (_peer, port) = openssl_server("p256", &openssl_version("-tls1"), &["-www"]);
    let config = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots("p256"))))
        .build()
        .unwrap();
    let name = ServerName::parse("leaf.p256.test").unwrap();
    let conn = ClientConnection::new(config, name).unwrap();
    let sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(WAIT)).unwrap();
    let mut stream = StreamOwned::new(conn, sock);
    let err = stream.complete_handshake().unwrap_err();
    let (conn, _) = stream.into_parts();
    // OpenSSL answers a ClientHello without 1.0 itself with a
    // protocol_version alert: the error names it either way.
    let error = conn.error().cloned();
    assert!(
        matches!(
            error,
            Some(ferrotls::Error::ProtocolVersion(_))
                | Some(ferrotls::Error::AlertReceived(
                    ferrotls::AlertDescription::ProtocolVersion
                ))
        ),
        "{err} / {error:?}"
    );
}

#[cfg(feature = "legacy")]
#[test]
fn our_client_authenticates_to_openssl_with_the_legacy_certificate_verify() {
    let ca = vector("p384-root.pem");
    for (version, flag, _) in VERSIONS {
        for client_key in ["p384", "rsa2048"] {
            let ca = if client_key == "p384" {
                ca.clone()
            } else {
                vector("rsa2048-root.pem")
            };
            let (_peer, port) = openssl_server(
                "p256",
                &openssl_version(flag),
                &["-www", "-Verify", "1", "-CAfile", &ca],
            );
            let config = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots("p256"))))
                .versions(&[version])
                .cipher_suites(TLS10_CIPHER_SUITES)
                .client_certificate(certified_key(client_key))
                .build()
                .unwrap();
            let (conn, page) = get(&config, "p256", port);
            assert_eq!(conn.protocol_version(), Some(version));
            assert!(page.contains("200 ok"), "{page}");
            assert!(
                page.contains(&format!("leaf.{client_key}.test")),
                "the page shows our certificate: {page}"
            );
        }
    }
}
