//! The programs of `examples/` that need no peer, run: `blocking_client`
//! against `blocking_server`, and the self-contained `resumption`,
//! `sans_io` and `client_auth`, each of which must exit 0 and print what
//! its header promises. (`tests/tokio_examples.rs` runs the tokio ones.)
//!
//! The examples must be built first (`cargo test` builds them; `cargo
//! test --test examples` alone does not): a test fails when one is
//! missing (`examples_support`).

mod examples_support;

use std::collections::HashMap;
use std::process::Command;

use examples_support::{example, run_example, Server};

#[test]
fn the_blocking_client_gets_its_answer_from_the_blocking_server() {
    let server = Server::start("blocking_server");
    let out = run_example("blocking_client", &[&server.address]);
    assert!(out.starts_with("connected: Some(TLSv1_3)"), "{out}");
    assert!(
        out.ends_with("answer: you said: hello from blocking_client\n"),
        "{out}"
    );
}

#[test]
fn the_blocking_client_refuses_a_server_its_root_does_not_vouch_for() {
    let server = Server::start("blocking_server");
    let other_root = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki/rsa2048-root.pem");
    let out = Command::new(example("blocking_client"))
        .args([server.address.as_str(), "leaf.p256.test", other_root])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// The `resumption` table: for each kind of resumption, a full handshake
/// then two resumptions, the server's `session_id()` the same on all
/// three (the example checks the client's side itself).
#[test]
fn the_resumption_example_shows_the_server_id_persisting() {
    let out = run_example("resumption", &[]);
    assert!(out.ends_with("the session-ID contract holds\n"), "{out}");
    let mut kinds: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
    for line in out.lines().skip(1).filter(|l| l.starts_with("TLS")) {
        // Label (padded to 16), connection, resumed, client ID, server ID.
        let (kind, rest) = line.split_at(16);
        let columns: Vec<&str> = rest.split_whitespace().collect();
        let (resumed, server_id) = (columns[columns.len() - 3], columns[columns.len() - 1]);
        kinds
            .entry(kind.trim())
            .or_default()
            .push((resumed, server_id));
    }
    assert_eq!(kinds.len(), 3, "{out}");
    for (kind, rows) in kinds {
        let resumed: Vec<&str> = rows.iter().map(|r| r.0).collect();
        assert_eq!(resumed, ["no", "yes", "yes"], "{kind}");
        assert_eq!(rows[0].1.len(), 64, "{kind}: a 32-byte ID");
        assert!(rows.iter().all(|r| r.1 == rows[0].1), "{kind}: {out}");
    }
}

#[test]
fn the_sans_io_example_handshakes_exchanges_and_closes_in_memory() {
    let out = run_example("sans_io", &[]);
    assert!(out.starts_with("flight 1: client → server"), "{out}");
    assert!(out.contains("agreed: Some(TLSv1_3)"), "{out}");
    assert!(
        out.ends_with(
            "server read: hello from the client\nclient read: hello from the server\nclosed\n"
        ),
        "{out}"
    );
}

#[test]
fn the_client_auth_example_lets_in_the_client_with_a_certificate_only() {
    let out = run_example("client_auth", &[]);
    assert!(
        out.contains("client with a certificate: answer welcome\n  server: client chain of 2"),
        "{out}"
    );
    assert!(
        out.contains("client without a certificate: failed: received alert certificate_required"),
        "{out}"
    );
}
