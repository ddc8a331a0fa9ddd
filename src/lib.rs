//! ferrotls: a TLS 1.0–1.3 engine written from scratch, client and server,
//! with exact, documented session-identifier semantics.
//!
//! Layers, bottom up (see `docs/architecture.md`): [`codec`] reads and
//! writes the wire syntax, [`msgs`] types every message, [`crypto`] wraps
//! the primitive crates, [`record`] frames and protects records, and
//! [`keyschedule`] derives every secret of TLS 1.0–1.3.
// `deny`, not `forbid`: `forbid` cannot be lifted for `capi`, the one
// module allowed `unsafe` (for the C ABI); everywhere else it is an error.
#![deny(unsafe_code)]
#![deny(missing_docs)]

#[macro_use]
mod macros;

#[cfg(feature = "capi")]
#[allow(unsafe_code)]
pub mod capi;
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
// Public only to be re-exported as `tokio` (a module of that name would
// shadow the tokio crate inside this one).
#[cfg(feature = "tokio")]
#[doc(hidden)]
pub mod tokio_io;

// What an embedder uses, at the crate root.
pub use config::{
    ClientConfig, ClientConfigBuilder, DangerousClientConfig, Limits, ServerConfig,
    ServerConfigBuilder, DEFAULT_GROUPS, TLS10_CIPHER_SUITES, TLS12_CBC_CIPHER_SUITES,
    TLS12_CIPHER_SUITES, TLS12_DHE_CIPHER_SUITES, TLS12_RSA_KX_CIPHER_SUITES, TLS13_CIPHER_SUITES,
};
pub use conn::{
    Accepted, Acceptor, ClientConnection, Connection, ConnectionReader, ConnectionWriter,
    EarlyDataStatus, IoState, ServerConnection, Side,
};
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
/// The tokio adapter (feature `tokio`): async connector, acceptors and
/// streams.
#[cfg(feature = "tokio")]
#[doc(inline)]
pub use tokio_io as tokio;
