//! The futures that run a handshake: [`TlsConnector::connect`] and
//! [`TlsAcceptor::accept`] return a [`Handshake`], which resolves to the
//! stream once the handshake is complete, or once data may be written
//! before that (a False Start, half-RTT data).

use std::future::Future;
use std::io;
use std::ops::DerefMut;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite};

use super::TlsStream;
use crate::config::{ClientConfig, ServerConfig};
use crate::conn::{ClientConnection, Connection, ServerConnection};
use crate::pki::ServerName;

/// Connects clients under one configuration.
#[derive(Clone, Debug)]
pub struct TlsConnector {
    config: Arc<ClientConfig>,
}

impl From<Arc<ClientConfig>> for TlsConnector {
    fn from(config: Arc<ClientConfig>) -> Self {
        Self { config }
    }
}

impl TlsConnector {
    /// Runs a client handshake with `server_name` (checked against the
    /// server's certificate, sent as SNI when a DNS name) over `io`.
    ///
    /// The future fails with `io::ErrorKind::Other` wrapping the
    /// [`crate::Error`] (the ClientHello could not be built, or the
    /// handshake failed: the alert has been sent), or with the
    /// transport's error (`UnexpectedEof` when it closed mid-handshake).
    pub fn connect<IO>(&self, server_name: ServerName, io: IO) -> Connect<IO>
    where
        IO: AsyncRead + AsyncWrite + Unpin,
    {
        match ClientConnection::new(self.config.clone(), server_name) {
            Ok(conn) => Handshake::new(TlsStream::new(io, conn)),
            Err(error) => Handshake::failed(io::Error::other(error)),
        }
    }
}

/// Accepts clients under one configuration.
#[derive(Clone, Debug)]
pub struct TlsAcceptor {
    config: Arc<ServerConfig>,
}

impl From<Arc<ServerConfig>> for TlsAcceptor {
    fn from(config: Arc<ServerConfig>) -> Self {
        Self { config }
    }
}

impl TlsAcceptor {
    /// Runs a server handshake over `io`; fails as
    /// [`TlsConnector::connect`] does.
    pub fn accept<IO>(&self, io: IO) -> Accept<IO>
    where
        IO: AsyncRead + AsyncWrite + Unpin,
    {
        Handshake::new(TlsStream::new(
            io,
            ServerConnection::new(self.config.clone()),
        ))
    }
}

/// [`TlsConnector::connect`]'s future.
pub type Connect<IO> = Handshake<IO, ClientConnection>;

/// [`TlsAcceptor::accept`]'s future.
pub type Accept<IO> = Handshake<IO, ServerConnection>;

/// A handshake in progress; resolves to the stream when it completes,
/// or earlier where the configuration lets data go before its end: a
/// client's False Start (RFC 7918, [`ClientConfig::false_start`]) once
/// its Finished is sent, a server's half-RTT data (RFC 8446 §4.4.4,
/// [`ServerConfig::send_half_rtt_data`]) once its Finished is sent. The
/// stream's first read then completes the handshake.
///
/// Dropping it drops the connection and the transport (closing a
/// socket): a handshake cannot be resumed.
#[derive(Debug)]
pub struct Handshake<IO, C> {
    state: State<IO, C>,
}

#[derive(Debug)]
enum State<IO, C> {
    Running(TlsStream<IO, C>),
    Failed(io::Error),
    Done,
}

impl<IO, C> Handshake<IO, C> {
    pub(super) fn new(stream: TlsStream<IO, C>) -> Self {
        Self {
            state: State::Running(stream),
        }
    }

    fn failed(error: io::Error) -> Self {
        Self {
            state: State::Failed(error),
        }
    }
}

impl<IO, C> Future for Handshake<IO, C>
where
    IO: AsyncRead + AsyncWrite + Unpin,
    C: DerefMut<Target = Connection> + Unpin,
{
    type Output = io::Result<TlsStream<IO, C>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let State::Running(stream) = &mut this.state {
            ready!(stream.poll_writable(cx))?;
        }
        match core::mem::replace(&mut this.state, State::Done) {
            State::Running(stream) => Poll::Ready(Ok(stream)),
            State::Failed(error) => Poll::Ready(Err(error)),
            State::Done => Poll::Ready(Err(io::Error::other(
                "handshake future polled after it completed",
            ))),
        }
    }
}
