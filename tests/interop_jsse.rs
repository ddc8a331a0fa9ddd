//! Interop with Java's own TLS stack (SunJSSE, JDK 17) on 127.0.0.1,
//! through `tests/interop_support/JssePeer.java` run from source: a JSSE
//! client against `ferrotls server`, and our client against a JSSE
//! server, TLS 1.3 and TLS 1.2, each resuming on its second connection.
//! JSSE servers send no TLS 1.3 ticket to a client that lists no
//! psk_key_exchange_modes (RFC 8446 §4.2.9), so our client's resumption
//! with them rests on listing its modes from its first ClientHello. A
//! missing `java` fails the test (see `tests/run.sh`).

mod interop_support;

use interop_support::*;

/// `java JssePeer.java ARGS` from `tests/interop_support`.
fn jsse_args<'a>(source: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec![source];
    all.extend_from_slice(args);
    all
}

/// The peer's source file.
fn jsse_source() -> String {
    format!(
        "{}/tests/interop_support/JssePeer.java",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The `JSSE <protocol> <suite> id=<hex>` lines the peer printed.
fn jsse_lines(output: &str) -> Vec<&str> {
    output.lines().filter(|l| l.starts_with("JSSE ")).collect()
}

#[test]
fn a_jsse_client_resumes_with_our_server_in_tls13_and_tls12() {
    let root = vector("p256-root.pem");
    let source = jsse_source();
    for (protocol, suite) in [
        ("TLSv1.3", "TLS_AES_128_GCM_SHA256"),
        ("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
    ] {
        let (server, port) = ferrotls_server(&["--max-connections", "2"]);
        let port_text = port.to_string();
        let args = jsse_args(
            &source,
            &["client", &port_text, &root, protocol, "2", "leaf.p256.test"],
        );
        let (status, out) = run("java", &args, b"");
        assert!(status.success(), "{out}");
        let lines = jsse_lines(&out);
        assert_eq!(lines.len(), 2, "{protocol}: {out}");
        assert!(
            lines
                .iter()
                .all(|l| l.starts_with(&format!("JSSE {protocol} {suite} "))),
            "{out}"
        );
        // Our page reports each connection's resumption.
        assert_eq!(out.matches("resumed: false").count(), 1, "{out}");
        assert_eq!(out.matches("resumed: true").count(), 1, "{out}");
        let (status, log) = server.wait_exit();
        assert!(status.success(), "{log}");
        let json = json_lines(&log);
        let resumed: Vec<&str> = json.iter().map(|j| j.get("resumed")).collect();
        assert_eq!(resumed, ["false", "true"], "{protocol}: {log}");
        // Design §3, server side: T persists across the resumption.
        assert_eq!(json[0].get("session_id"), json[1].get("session_id"));
        if protocol == "TLSv1.2" {
            // TLS 1.2 by session ID: the ID JSSE holds is our T.
            let t = json[0].get("session_id");
            assert!(
                lines.iter().all(|l| l.ends_with(&format!("id={t}"))),
                "{out}"
            );
        }
    }
}

#[test]
fn our_client_resumes_with_a_jsse_server_in_tls13_and_tls12() {
    let source = jsse_source();
    let chain = vector("p256-chain.pem");
    let key = vector("p256-leaf.key");
    for (protocol, ours) in [("TLSv1.3", "1.3"), ("TLSv1.2", "1.2")] {
        let args = jsse_args(&source, &["server", &chain, &key, "EC", protocol, "2"]);
        let server = Peer::spawn("java", &args);
        let port = server.wait_for_port("listening on");
        let (status, out) = ferrotls_client(port, &["--max-version", ours, "--connections", "2"]);
        assert!(status.success(), "{protocol}: {out}");
        let json = json_lines(&out);
        let versions: Vec<&str> = json.iter().map(|j| j.get("version")).collect();
        assert_eq!(versions, [protocol; 2], "{out}");
        let resumed: Vec<&str> = json.iter().map(|j| j.get("resumed")).collect();
        assert_eq!(resumed, ["false", "true"], "{protocol}: {out}");
        let (_, log) = server.wait_exit();
        let lines = jsse_lines(&log);
        assert_eq!(lines.len(), 2, "{protocol}: {log}");
        assert!(!log.contains("JSSE failed"), "{log}");
        if protocol == "TLSv1.2" {
            // Design §3, client side: our session_id() is the ID the
            // server sent, the one JSSE holds.
            for (json, line) in json.iter().zip(&lines) {
                let id = json.get("session_id");
                assert!(line.contains(&format!("id={id} ")), "{line} / {out}");
            }
        }
    }
}
