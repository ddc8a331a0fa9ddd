//! The hybrid key-exchange groups (draft-ietf-tls-ecdhe-mlkem) against
//! tlslite-ng, a pure-Python TLS 1.3 stack whose ML-KEM is kyber-py: an
//! implementation that shares no code with ferrotls, libcrux or ring.
//! Each hybrid group it speaks is negotiated both ways, through the
//! `ferrotls` binary, and data flows.
//!
//! tlslite-ng and kyber-py come from PyPI (`pip install --pre tlslite-ng
//! kyber-py`); `tests/run.sh` installs them into a virtual environment, and
//! a missing one fails these tests.

mod interop_support;

use interop_support::*;

/// The hybrid groups, as tlslite-ng 0.9 and ferrotls name them.
const GROUPS: [(&str, &str); 3] = [
    ("x25519mlkem768", "X25519MLKEM768"),
    ("secp256r1mlkem768", "SecP256r1MLKEM768"),
    ("secp384r1mlkem1024", "SecP384r1MLKEM1024"),
];

fn peer_script() -> String {
    format!(
        "{}/tests/interop_support/tlslite_peer.py",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn python() -> String {
    venv_program("TLSLITE_PYTHON", "tlslite", "python3")
}

#[test]
fn our_client_and_a_tlslite_server_agree_on_each_hybrid_group() {
    for (theirs, ours) in GROUPS {
        let (chain, key) = (vector("p256-chain.pem"), vector("p256-leaf.key"));
        let server = Peer::spawn(&python(), &[&peer_script(), "server", theirs, &chain, &key]);
        let port = server.wait_for_port("listening on");
        let (status, out) = ferrotls_client(port, &["--groups", ours, "--request", "hybrid\\n"]);
        assert!(status.success(), "{ours}:\n{out}\n{}", server.output());
        assert!(out.contains("pong hybrid\n"), "{out}");
        let report = &json_lines(&out)[0];
        assert_eq!(report.get("version"), "TLSv1.3");
        assert_eq!(report.get("group"), ours, "{out}");
    }
}

#[test]
fn a_tlslite_client_and_our_server_agree_on_each_hybrid_group() {
    for (theirs, ours) in GROUPS {
        let (server, port) =
            ferrotls_server(&["--echo", "--max-connections", "1", "--groups", ours]);
        let port = port.to_string();
        let (status, out) = run(
            &python(),
            &[&peer_script(), "client", theirs, &port, "leaf.p256.test"],
            b"",
        );
        assert!(status.success(), "{ours}:\n{out}");
        assert!(out.contains("ping\n"), "the echo is missing:\n{out}");
        let (status, log) = server.wait_exit();
        assert!(status.success(), "{log}");
        assert_eq!(json_lines(&log)[0].get("group"), ours, "{log}");
    }
}
