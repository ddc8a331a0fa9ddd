//! ferrotls: a TLS 1.0–1.3 engine written from scratch, client and server,
//! with exact, documented session-identifier semantics.
//!
//! Layers, bottom up (see `docs/architecture.md`): `codec` reads and
//! writes the wire syntax, `msgs` types every message, `crypto` wraps the
//! primitive crates, `record` frames and protects records, `keyschedule`
//! derives every secret of TLS 1.0–1.3, and the handshake state machines
//! drive [`Connection`]. Everything an embedder uses is at the crate root;
//! the layers themselves are private.
// No `unsafe` anywhere in the library: the C ABI, which needs it, is a
// crate of its own (`capi/`, package `ferrotls-capi`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[macro_use]
mod macros;

mod codec;
mod common_state;
mod config;
mod conn;
mod crypto;
mod der;
mod error;
mod handshake;
mod keylog;
mod keyschedule;
mod msgs;
mod observer;
mod pki;
mod record;
mod session;
mod stream;
mod time;
// Public only to be re-exported as `tokio` (a module of that name would
// shadow the tokio crate inside this one).
#[cfg(feature = "tokio")]
#[doc(hidden)]
pub mod tokio_io;

// What an embedder uses, at the crate root.
pub use config::{
    ClientConfig, ClientConfigBuilder, DangerousClientConfig, Limits, ServerConfig,
    ServerConfigBuilder, ALL_VERSIONS, DEFAULT_GROUPS, TLS10_CIPHER_SUITES,
    TLS12_CBC_CIPHER_SUITES, TLS12_CIPHER_SUITES, TLS12_DHE_CIPHER_SUITES,
    TLS12_RSA_KX_CIPHER_SUITES, TLS13_CIPHER_SUITES,
};
pub use conn::{
    Accepted, Acceptor, ClientConnection, Connection, ConnectionReader, ConnectionWriter,
    EarlyDataStatus, IoState, ServerConnection, Side,
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
/// The tokio adapter (feature `tokio`): async connector, acceptors and
/// streams.
#[cfg(feature = "tokio")]
#[doc(inline)]
pub use tokio_io as tokio;

/// Not part of the API: the layers under the embedder's types, for this
/// crate's fuzz targets, benchmarks, tests and tool. Anything here may
/// change in any release.
#[doc(hidden)]
pub mod internal {
    /// The wire syntax reader and writer.
    pub mod codec {
        pub use crate::codec::*;
    }
    /// Settings.
    pub mod config {
        pub use crate::config::*;
    }
    /// Connections.
    pub mod conn {
        pub use crate::conn::*;
    }
    /// The primitives.
    pub mod crypto {
        pub use crate::crypto::*;
    }
    /// DER.
    pub mod der {
        pub use crate::der::*;
    }
    /// Errors and their reasons.
    pub mod error {
        pub use crate::error::*;
    }
    /// The handshake state machines.
    pub mod handshake {
        pub use crate::handshake::*;
    }
    /// Key logging.
    pub mod keylog {
        pub use crate::keylog::*;
    }
    /// The key schedules.
    pub mod keyschedule {
        pub use crate::keyschedule::*;
    }
    /// The messages.
    pub mod msgs {
        pub use crate::msgs::*;
    }
    /// Certificates and trust.
    pub mod pki {
        pub use crate::pki::*;
    }
    /// The record layer.
    pub mod record {
        pub use crate::record::*;
    }
    /// Sessions, tickets and stores.
    pub mod session {
        pub use crate::session::*;
    }
    /// Blocking streams.
    pub mod stream {
        pub use crate::stream::*;
    }
    /// Time.
    pub mod time {
        pub use crate::time::*;
    }
}
