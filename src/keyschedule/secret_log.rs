//! A hook through which a key log sees each secret as it is derived.
//!
//! The key schedule does no I/O: it hands every loggable secret to a
//! [`SecretLog`], together with the ClientHello random that names the
//! connection, and the implementation decides what to do (the NSS
//! `SSLKEYLOGFILE` format names each kind by [`SecretKind::nss_label`]).

use crate::crypto::secret::Secret;
use std::sync::Arc;

/// The length of a ClientHello random (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2).
pub const CLIENT_RANDOM_LEN: usize = 32;

/// Which secret is being logged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// TLS 1.0–1.2 master secret (NSS label `CLIENT_RANDOM`).
    MasterSecret,
    /// TLS 1.3 client_early_traffic_secret (RFC 8446 §7.1).
    ClientEarlyTraffic,
    /// TLS 1.3 early_exporter_master_secret (RFC 8446 §7.1).
    EarlyExporter,
    /// TLS 1.3 client_handshake_traffic_secret (RFC 8446 §7.1).
    ClientHandshakeTraffic,
    /// TLS 1.3 server_handshake_traffic_secret (RFC 8446 §7.1).
    ServerHandshakeTraffic,
    /// TLS 1.3 client_application_traffic_secret_0 (RFC 8446 §7.1).
    ClientApplicationTraffic0,
    /// TLS 1.3 server_application_traffic_secret_0 (RFC 8446 §7.1).
    ServerApplicationTraffic0,
    /// TLS 1.3 exporter_master_secret (RFC 8446 §7.1).
    Exporter,
}

impl SecretKind {
    /// The label the NSS key log format gives this secret.
    pub const fn nss_label(self) -> &'static str {
        match self {
            Self::MasterSecret => "CLIENT_RANDOM",
            Self::ClientEarlyTraffic => "CLIENT_EARLY_TRAFFIC_SECRET",
            Self::EarlyExporter => "EARLY_EXPORTER_SECRET",
            Self::ClientHandshakeTraffic => "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
            Self::ServerHandshakeTraffic => "SERVER_HANDSHAKE_TRAFFIC_SECRET",
            Self::ClientApplicationTraffic0 => "CLIENT_TRAFFIC_SECRET_0",
            Self::ServerApplicationTraffic0 => "SERVER_TRAFFIC_SECRET_0",
            Self::Exporter => "EXPORTER_SECRET",
        }
    }
}

/// Receives secrets as the key schedule derives them. Implementations must
/// not block for long; they run inside the handshake.
pub trait SecretLog: Send + Sync {
    /// Called once per derived secret of `kind` for the connection whose
    /// ClientHello random is `client_random`.
    fn log(&self, kind: SecretKind, client_random: &[u8; CLIENT_RANDOM_LEN], secret: &[u8]);
}

/// A [`SecretLog`] bound to one connection's ClientHello random; the key
/// schedule carries it from state to state.
#[derive(Clone)]
pub struct KeyLogger {
    sink: Arc<dyn SecretLog>,
    client_random: [u8; CLIENT_RANDOM_LEN],
}

impl KeyLogger {
    /// Logs this connection's secrets (named by `client_random`) to `sink`.
    pub fn new(sink: Arc<dyn SecretLog>, client_random: [u8; CLIENT_RANDOM_LEN]) -> Self {
        Self {
            sink,
            client_random,
        }
    }

    pub(crate) fn log(&self, kind: SecretKind, secret: &Secret) {
        self.sink.log(kind, &self.client_random, secret.as_bytes());
    }
}

/// Logs `secret` when a logger is present.
pub(crate) fn log_to(logger: Option<&KeyLogger>, kind: SecretKind, secret: &Secret) {
    if let Some(logger) = logger {
        logger.log(kind, secret);
    }
}

impl core::fmt::Debug for KeyLogger {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("KeyLogger")
    }
}
