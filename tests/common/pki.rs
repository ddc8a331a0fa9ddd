//! Test certificates from `vectors/pki` (made by `vectors/pki/make.sh`
//! with openssl) and configurations built on them, at a fixed clock.

use std::path::PathBuf;
use std::sync::Arc;

use ferrotls::{
    CertifiedKey, CipherSuite, ClientAuth, ClientConfig, ClientConfigBuilder, ManualClock,
    NamedGroup, ProtocolVersion, RootStore, ServerConfig, ServerConfigBuilder, ServerName,
    UnixTime, WebPkiClientVerifier, WebPkiServerVerifier,
};

/// 2030-01-01T00:00:00Z, inside every test certificate's validity.
pub const NOW: u64 = 1_893_456_000;

/// The key types with a CA → intermediate → leaf hierarchy in
/// `vectors/pki`.
pub const KEY_TYPES: &[&str] = &["rsa2048", "p256", "p384", "p521", "ed25519"];
/// The directory of the test PKI, `vectors/pki`.
pub fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors/pki")
}

/// The text of the file `name` in [`vectors_dir`].
pub fn read_vector(name: &str) -> String {
    std::fs::read_to_string(vectors_dir().join(name)).unwrap()
}

/// `group`, then the curve of `key_type`'s certificate when it is an
/// ECDSA one on another curve: what a TLS 1.0–1.2 client lists to be
/// served that certificate (RFC 8422 §5.3) and exchange in `group` with a
/// server of `group` alone.
pub fn groups_for(key_type: &str, group: NamedGroup) -> Vec<NamedGroup> {
    let curve = match key_type {
        "p256" => Some(NamedGroup::secp256r1),
        "p384" => Some(NamedGroup::secp384r1),
        "p521" => Some(NamedGroup::secp521r1),
        _ => None,
    };
    std::iter::once(group)
        .chain(curve.filter(|c| *c != group))
        .collect()
}

/// The leaf chain and key of `key_type` (`leaf.<key_type>.test`).
pub fn certified_key(key_type: &str) -> Arc<CertifiedKey> {
    Arc::new(
        CertifiedKey::from_pem(
            &read_vector(&format!("{key_type}-chain.pem")),
            &read_vector(&format!("{key_type}-leaf.key")),
        )
        .unwrap(),
    )
}

/// A root store holding the root of `key_type`.
pub fn roots(key_type: &str) -> Arc<RootStore> {
    let mut store = RootStore::new();
    store
        .add_pem(&read_vector(&format!("{key_type}-root.pem")))
        .unwrap();
    Arc::new(store)
}

/// The server name in the leaf of `key_type`.
pub fn server_name(key_type: &str) -> ServerName {
    ServerName::parse(&format!("leaf.{key_type}.test")).unwrap()
}

/// A client builder trusting the root of `key_type`, at [`NOW`].
pub fn client_builder(key_type: &str) -> ClientConfigBuilder {
    ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots(key_type))))
        .clock(Arc::new(ManualClock::new(UnixTime::from_secs(NOW))))
}

/// A [`client_builder`] on TLS_AES_128_GCM_SHA256 that logs its secrets
/// into `secrets`, so that a test can open and seal its records with
/// [`aes128_protection`](crate::common::aes128_protection).
pub fn logged_aes128_client(
    key_type: &str,
    secrets: &Arc<crate::common::CapturedSecrets>,
) -> ClientConfigBuilder {
    client_builder(key_type)
        .cipher_suites(&[CipherSuite::TLS_AES_128_GCM_SHA256])
        .key_log(secrets.clone())
}

/// A server builder serving the leaf of `key_type`, at [`NOW`].
pub fn server_builder(key_type: &str) -> ServerConfigBuilder {
    ServerConfig::builder(certified_key(key_type))
        .clock(Arc::new(ManualClock::new(UnixTime::from_secs(NOW))))
}

/// A P-256 client and server that offer and accept only `version` and
/// `suite`.
pub fn configs_for(
    version: ProtocolVersion,
    suite: CipherSuite,
) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let client = client_builder("p256")
        .versions(&[version])
        .cipher_suites(&[suite])
        .build()
        .unwrap();
    let server = server_builder("p256")
        .versions(&[version])
        .cipher_suites(&[suite])
        .build()
        .unwrap();
    (client, server)
}

/// A server builder serving the leaf of `key_type` that asks for a client
/// certificate chaining to the root of `client_roots`, and refuses a
/// client without one when `required` (RFC 8446 §4.3.2, RFC 5246 §7.4.4).
pub fn client_auth_server_builder(
    key_type: &str,
    client_roots: &str,
    required: bool,
) -> ServerConfigBuilder {
    let verifier = Arc::new(WebPkiClientVerifier::new(roots(client_roots)));
    let mode = if required {
        ClientAuth::Required(verifier)
    } else {
        ClientAuth::Optional(verifier)
    };
    server_builder(key_type).client_auth(mode)
}

/// A client and server configuration whose groups force a
/// HelloRetryRequest (RFC 8446 §4.1.4) on every handshake: the client
/// sends a P-384 share alone (named, so no key-share hint replaces it),
/// the server takes X25519 only; the server prefers AES-128-GCM, then
/// ChaCha20-Poly1305. Both serve or trust the `p256` hierarchy.
pub fn retrying_configs() -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let client = client_builder("p256")
        .groups(&[NamedGroup::secp384r1, NamedGroup::X25519])
        .key_share_groups(&[NamedGroup::secp384r1])
        .build()
        .unwrap();
    let server = server_builder("p256")
        .groups(&[NamedGroup::X25519])
        .cipher_suites(&[
            CipherSuite::TLS_AES_128_GCM_SHA256,
            CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
        ])
        .build()
        .unwrap();
    (client, server)
}

/// Fails the test, saying so, when the openssl CLI (the independent
/// oracle of the certificate cross-checks) cannot run.
pub fn require_openssl() {
    let version = std::process::Command::new("openssl")
        .arg("version")
        .output();
    assert!(
        version.is_ok_and(|o| o.status.success()),
        "the openssl CLI is required for this cross-check and is missing"
    );
}
