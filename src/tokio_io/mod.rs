//! The tokio adapter (feature `tokio`), at the crate root as
//! `ferrotls::tokio`: the sans-IO connection over any transport that is
//! `tokio::io::AsyncRead + AsyncWrite`.
//!
//! - [`TlsConnector`] (from an `Arc<ClientConfig>`) runs client
//!   handshakes, [`TlsAcceptor`] (from an `Arc<ServerConfig>`) server
//!   ones; each resolves to a [`TlsStream`].
//! - [`LazyConfigAcceptor`] reads the ClientHello first ([`crate::Acceptor`])
//!   and shows it ([`StartHandshake::client_hello`]: server name, ALPN…),
//!   so the server's configuration can be chosen from it.
//! - [`TlsStream`] is `AsyncRead + AsyncWrite`, with close_notify,
//!   half-close and truncation handled as the blocking [`crate::Stream`]
//!   handles them; [`client::TlsStream`] and [`server::TlsStream`] name
//!   its two kinds.
//!
//! Only tokio's I/O traits are used: the adapter runs on any runtime that
//! drives them.

mod handshake;
mod lazy;
mod stream;
mod sync_io;

pub use handshake::{Accept, Connect, Handshake, TlsAcceptor, TlsConnector};
pub use lazy::{LazyConfigAcceptor, StartHandshake};
pub use stream::TlsStream;

/// The client's stream.
pub mod client {
    /// A client connection over `IO`.
    pub type TlsStream<IO> = super::TlsStream<IO, crate::conn::ClientConnection>;
}

/// The server's stream.
pub mod server {
    /// A server connection over `IO`.
    pub type TlsStream<IO> = super::TlsStream<IO, crate::conn::ServerConnection>;
}
