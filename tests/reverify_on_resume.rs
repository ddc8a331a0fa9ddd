//! A client that checks a stored session's server chain again before it
//! offers the session (`ClientConfig::reverify_on_resume`), TLS 1.2 and
//! TLS 1.3: a chain its verifier now refuses is not offered, so the
//! handshake runs in full (and here fails, the verifier refusing that
//! chain too); one it still accepts resumes, after one more check.
//! Without the option a resumption does not ask the verifier at all.
//! The same through `ferrotls client --reverify-on-resume`.

mod common;
mod interop_support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use ferrotls::{
    CertificateError, ClientConfig, ClientConnection, Error, ProtocolVersion, ServerCertVerified,
    ServerCertVerifier, ServerConfig, ServerConnection, ServerName, WebPkiServerVerifier,
};

/// A verifier that judges as one over the P-256 test root does until
/// told to refuse everything (a trust decision taken since the session
/// was made), and counts its calls.
#[derive(Debug)]
struct Changing {
    inner: WebPkiServerVerifier,
    refuse: AtomicBool,
    calls: AtomicUsize,
}

impl ServerCertVerifier for Changing {
    fn verify_server_cert(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        server_name: &ServerName,
        now: u64,
    ) -> Result<ServerCertVerified, Error> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.refuse.load(Ordering::SeqCst) {
            return Err(Error::InvalidCertificate(CertificateError::UnknownIssuer));
        }
        self.inner
            .verify_server_cert(end_entity, intermediates, server_name, now)
    }
}

impl Changing {
    /// One that accepts the P-256 test chain, not yet called.
    fn accepting() -> Arc<Self> {
        Arc::new(Self {
            inner: WebPkiServerVerifier::new(roots("p256")),
            refuse: AtomicBool::new(false),
            calls: AtomicUsize::new(0),
        })
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

/// A fresh accepting verifier, a client of `version` with it (checking
/// stored chains again when `reverify`), and a P-256 server of `version`.
fn configs(
    version: ProtocolVersion,
    reverify: bool,
) -> (Arc<Changing>, Arc<ClientConfig>, Arc<ServerConfig>) {
    let verifier = Changing::accepting();
    let client = ClientConfig::builder(verifier.clone())
        .versions(&[version])
        .reverify_on_resume(reverify)
        .build()
        .unwrap();
    let server = server_builder("p256").versions(&[version]).build().unwrap();
    (verifier, client, server)
}

#[test]
fn a_session_whose_chain_no_longer_passes_is_not_offered() {
    for version in [ProtocolVersion::TLSv1_2, ProtocolVersion::TLSv1_3] {
        let (verifier, client, server) = configs(version, true);
        let (c, _) = handshaken(client.clone(), server.clone(), server_name("p256"));
        assert!(!c.is_resumed());
        assert_eq!(verifier.calls(), 1, "{version:?}");

        // Still trusted: checked once more, then resumed.
        let (c, _) = handshaken(client.clone(), server.clone(), server_name("p256"));
        assert!(c.is_resumed(), "{version:?}");
        assert_eq!(verifier.calls(), 2, "{version:?}");

        // No longer trusted: not offered, and the full handshake fails.
        verifier.refuse.store(true, Ordering::SeqCst);
        let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
        let mut s = ServerConnection::new(server);
        transfer(&mut c, &mut s).1.unwrap();
        assert!(!s.resumption_requested(), "{version:?}");
        assert_eq!(
            transfer(&mut s, &mut c).1,
            Err(Error::InvalidCertificate(CertificateError::UnknownIssuer)),
            "{version:?}"
        );
        assert_eq!(
            verifier.calls(),
            4,
            "{version:?}: the check and the full handshake's"
        );
    }
}

#[test]
fn without_the_option_a_resumption_does_not_ask_the_verifier() {
    for version in [ProtocolVersion::TLSv1_2, ProtocolVersion::TLSv1_3] {
        let (verifier, client, server) = configs(version, false);
        handshaken(client.clone(), server.clone(), server_name("p256"));
        verifier.refuse.store(true, Ordering::SeqCst);
        let (c, _) = handshaken(client, server, server_name("p256"));
        assert!(c.is_resumed(), "{version:?}");
        assert_eq!(verifier.calls(), 1, "{version:?}");
    }
}

/// `ferrotls client`: a session kept in a file, made trusting the P-256
/// test root, resumes for a client that now trusts only the P-384 root
/// (a resumption checks nothing), unless it checks the kept chain again
/// with `--reverify-on-resume`: then the session is not offered and the
/// full handshake refuses the chain.
#[test]
fn the_tool_checks_a_kept_session_again_with_reverify_on_resume() {
    use interop_support::{ferrotls_client_trusting, ferrotls_server, vector, Scratch};
    let scratch = Scratch::new("reverify-on-resume");
    let session = scratch.file("client.sess");
    let (server, port) = ferrotls_server(&["--max-version", "1.2"]);
    let connect = |root: &str, extra: &[&str]| {
        ferrotls_client_trusting(port, &vector(root), "leaf.p256.test", extra)
    };
    let (status, out) = connect("p256-root.pem", &["--sess-out", &session]);
    assert!(
        status.success() && out.contains("\"resumed\":false"),
        "{out}"
    );
    let (status, out) = connect("p384-root.pem", &["--sess-in", &session]);
    assert!(
        status.success() && out.contains("\"resumed\":true"),
        "{out}"
    );
    let (status, out) = connect(
        "p384-root.pem",
        &["--sess-in", &session, "--reverify-on-resume"],
    );
    assert!(!status.success(), "{out}");
    assert!(out.contains("unknown issuer"), "{out}");
    drop(server);
}
