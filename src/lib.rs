//! ferrotls: a TLS 1.0–1.3 engine written from scratch, client and server,
//! with exact, documented session-identifier semantics.
//!
//! Layers, bottom up (see `docs/architecture.md`): [`codec`] reads and
//! writes the wire syntax, [`msgs`] types every message, [`crypto`] wraps
//! the primitive crates, [`record`] frames and protects records, and
//! [`keyschedule`] derives every secret of TLS 1.0–1.3.
// No `unsafe` anywhere in the library: the C ABI, which needs it, is a
// crate of its own (`capi/`, package `ferrotls-capi`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[macro_use]
mod macros;

pub mod codec;
mod common_state;
pub mod config;
pub mod conn;
pub mod crypto;
pub mod der;
pub mod error;
pub mod handshake;
pub mod keylog;
pub mod keyschedule;
pub mod msgs;
mod observer;
pub mod pki;
pub mod record;
pub mod session;
pub mod stream;
pub mod time;

// What an embedder uses, at the crate root.
pub use config::{
    ClientConfig, ClientConfigBuilder, ServerConfig, ServerConfigBuilder, ALL_VERSIONS,
    DEFAULT_GROUPS, TLS10_CIPHER_SUITES, TLS12_CBC_CIPHER_SUITES, TLS12_CIPHER_SUITES,
    TLS12_DHE_CIPHER_SUITES, TLS12_RSA_KX_CIPHER_SUITES, TLS13_CIPHER_SUITES,
};
pub use conn::{
    ClientConnection, Connection, ConnectionReader, ConnectionWriter, EarlyDataStatus, IoState,
    ServerConnection, Side,
};
pub use crypto::rng::{OsRng, SecureRandom};
pub use error::{AlertDescription, CertificateError, Error};
pub use keylog::{KeyLog, KeyLogFile};
pub use msgs::enums::{CipherSuite, HandshakeType, NamedGroup, ProtocolVersion, SignatureScheme};
pub use observer::{MessageDirection, MessageObserver};
pub use pki::{
    certificates_from_pem, certificates_to_pem, private_key_from_pem, private_key_from_pem_file,
    CertifiedKey, ClientAuth, ClientCertVerifier, InvalidServerName, LoadError, RootStore,
    ServerCertVerifier, ServerName, TrustAnchor, WebPkiClientVerifier, WebPkiServerVerifier,
};
pub use session::{
    ClientSessionData, ClientSessionStore, FileServerStore, InMemoryClientStore,
    InMemoryServerStore, RotatingTicketer, ServerSessionStore, SessionId, Ticketer,
};
pub use stream::{Stream, StreamOwned};
pub use time::{Clock, ManualClock, SystemClock, UnixTime};
