//! The keyUsage rule against real peers on 127.0.0.1 (`tests/key_usage.rs`
//! proves it in memory): an RSA leaf whose keyUsage is keyEncipherment
//! alone, written at test time with the openssl CLI under the rsa2048
//! root of `vectors/pki`.
//!
//! - `openssl s_server` serving it: `ferrotls client` refuses it where the
//!   key must sign (TLS 1.3, TLS 1.2 ECDHE_RSA) with
//!   `unsupported_certificate`, and takes it for the RSA key exchange,
//!   which only encrypts to the key (RFC 8446 §4.4.2.2, RFC 5246 §7.4.2).
//!   `gnutls-cli` refuses it the same way, which the test checks too, so
//!   the rule stays one a real peer shares.
//! - `ferrotls server` holding it: it will not sign with it, so an
//!   `openssl s_client` of TLS 1.3 meets `handshake_failure`.
//!
//! A missing peer binary fails the test (see `tests/run.sh`).

mod interop_support;

use interop_support::*;

const NAME: &str = "leaf.rsa2048.test";

/// The leaf's extensions: a server certificate for [`NAME`] whose
/// keyUsage allows key encipherment only.
const EXTENSIONS: &str = "[leaf]
basicConstraints=critical,CA:FALSE
keyUsage=critical,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:leaf.rsa2048.test
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
";

/// Writes the keyEncipherment-only leaf (the rsa2048 leaf key, signed by
/// the rsa2048 root) into `scratch`; returns its PEM file.
fn encipher_only_leaf(scratch: &Scratch) -> String {
    let (config, csr, leaf) = (
        scratch.file("ext.cnf"),
        scratch.file("leaf.csr"),
        scratch.file("leaf.pem"),
    );
    std::fs::write(&config, EXTENSIONS).unwrap();
    let key = vector("rsa2048-leaf.key");
    let subject = format!("/CN={NAME}");
    let (status, out) = run(
        "openssl",
        &["req", "-new", "-key", &key, "-subj", &subject, "-out", &csr],
        b"",
    );
    assert!(status.success(), "{out}");
    let (root, root_key) = (vector("rsa2048-root.pem"), vector("rsa2048-root.key"));
    let (status, out) = run(
        "openssl",
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &root,
            "-CAkey",
            &root_key,
            "-set_serial",
            "4242",
            "-days",
            "3650",
            "-extfile",
            &config,
            "-extensions",
            "leaf",
            "-out",
            &leaf,
        ],
        b"",
    );
    assert!(status.success(), "{out}");
    leaf
}

#[test]
fn our_client_refuses_an_encipher_only_key_where_it_must_sign() {
    let scratch = Scratch::new("key-usage-client");
    let leaf = encipher_only_leaf(&scratch);
    let (_server, port) = openssl_server_serving(&leaf, &vector("rsa2048-leaf.key"), &["-www"]);
    let root = vector("rsa2048-root.pem");
    for versions in [
        &["--min-version", "1.3"][..],
        &[
            "--max-version",
            "1.2",
            "--ciphers",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        ],
    ] {
        let (status, out) = ferrotls_client_trusting(port, &root, NAME, versions);
        assert!(!status.success(), "{versions:?}: {out}");
        assert!(
            out.contains("key usage forbids") && out.contains("unsupported_certificate"),
            "{versions:?}: {out}"
        );
    }
    // GnuTLS refuses it too.
    let port = port.to_string();
    let (status, out) = run(
        "gnutls-cli",
        &[
            "--x509cafile",
            &root,
            "-p",
            &port,
            "127.0.0.1",
            "--sni-hostname",
            NAME,
            "--verify-hostname",
            NAME,
            "--priority",
            "NORMAL:-VERS-ALL:+VERS-TLS1.3",
        ],
        b"",
    );
    assert!(
        !status.success() && out.contains("Key usage violation"),
        "{out}"
    );
}

#[cfg(feature = "legacy")]
#[test]
fn our_client_takes_an_encipher_only_key_for_the_rsa_key_exchange() {
    let scratch = Scratch::new("key-usage-rsa-kx");
    let leaf = encipher_only_leaf(&scratch);
    let (_server, port) = openssl_server_serving(&leaf, &vector("rsa2048-leaf.key"), &["-www"]);
    let (status, out) = ferrotls_client_trusting(
        port,
        &vector("rsa2048-root.pem"),
        NAME,
        &[
            "--max-version",
            "1.2",
            "--ciphers",
            "TLS_RSA_WITH_AES_128_GCM_SHA256",
        ],
    );
    assert!(status.success(), "{out}");
    assert!(out.contains("TLS_RSA_WITH_AES_128_GCM_SHA256"), "{out}");
}

#[test]
fn our_server_will_not_sign_with_an_encipher_only_key() {
    let scratch = Scratch::new("key-usage-server");
    let leaf = encipher_only_leaf(&scratch);
    let (server, port) = ferrotls_server_serving(&leaf, &vector("rsa2048-leaf.key"), &[]);
    let connect = format!("127.0.0.1:{port}");
    let (_, out) = run(
        "openssl",
        &[
            "s_client",
            "-connect",
            &connect,
            "-servername",
            NAME,
            "-tls1_3",
        ],
        b"",
    );
    assert!(out.contains("handshake failure"), "{out}");
    assert!(
        server
            .wait_until(|o| o.contains("no certificate fits"))
            .is_some(),
        "{}",
        server.output()
    );
}
