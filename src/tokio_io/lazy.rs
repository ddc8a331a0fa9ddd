//! [`LazyConfigAcceptor`]: reads the ClientHello over an async transport
//! (with the sans-IO [`Acceptor`]) so the caller can choose the server's
//! configuration from it, then continues the handshake under that
//! configuration.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite};

use super::handshake::{Accept, Handshake};
use super::sync_io::SyncIo;
use super::TlsStream;
use crate::config::ServerConfig;
use crate::conn::{Accepted, Acceptor};

/// Reads a ClientHello over `IO`; resolves to a [`StartHandshake`].
///
/// Fails with `io::ErrorKind::Other` wrapping the [`crate::Error`] when
/// the bytes are not a ClientHello (its alert is sent first), with
/// `UnexpectedEof` when the transport closes before one is whole, or with
/// the transport's error. Dropping it drops the transport; nothing read
/// is kept.
#[derive(Debug)]
pub struct LazyConfigAcceptor<IO> {
    acceptor: Acceptor,
    io: Option<IO>,
}

impl<IO> LazyConfigAcceptor<IO>
where
    IO: AsyncRead + AsyncWrite + Unpin,
{
    /// Starts reading a ClientHello from `io`.
    pub fn new(io: IO) -> Self {
        Self {
            acceptor: Acceptor::new(),
            io: Some(io),
        }
    }
}

impl<IO> Future for LazyConfigAcceptor<IO>
where
    IO: AsyncRead + AsyncWrite + Unpin,
{
    type Output = io::Result<StartHandshake<IO>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        loop {
            let Some(io) = this.io.as_mut() else {
                return Poll::Ready(Err(io::Error::other(
                    "acceptor future polled after it completed",
                )));
            };
            match this.acceptor.accept() {
                Ok(Some(accepted)) => {
                    return Poll::Ready(
                        this.io
                            .take()
                            .map(|io| StartHandshake { accepted, io })
                            .ok_or_else(|| io::ErrorKind::NotConnected.into()),
                    )
                }
                Ok(None) => {}
                Err(error) => {
                    // The alert goes out first, as far as the transport
                    // lets it: `accept` keeps failing the same way, so a
                    // poll after `Pending` comes back here.
                    while this.acceptor.wants_write() {
                        match this.acceptor.write_tls(&mut SyncIo { io, cx }) {
                            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                                return Poll::Pending
                            }
                            Ok(0) | Err(_) => break,
                            Ok(_) => {}
                        }
                    }
                    return Poll::Ready(Err(io::Error::other(error)));
                }
            }
            match this.acceptor.read_tls(&mut SyncIo { io, cx }) {
                Ok(0) => {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "transport closed before the ClientHello",
                    )))
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Poll::Pending,
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }
}

/// A ClientHello read by [`LazyConfigAcceptor`], and the transport.
#[derive(Debug)]
pub struct StartHandshake<IO> {
    accepted: Accepted,
    io: IO,
}

impl<IO> StartHandshake<IO>
where
    IO: AsyncRead + AsyncWrite + Unpin,
{
    /// What the client offered: server name, ALPN protocols, versions,
    /// cipher suites, signature schemes.
    pub fn client_hello(&self) -> &Accepted {
        &self.accepted
    }

    /// Continues the handshake under `config`; the future fails as
    /// [`super::TlsAcceptor::accept`]'s does (when the ClientHello does
    /// not suit `config`, with the alert sent).
    pub fn into_stream(self, config: Arc<ServerConfig>) -> Accept<IO> {
        Handshake::new(TlsStream::new(
            self.io,
            self.accepted.into_connection(config),
        ))
    }
}
