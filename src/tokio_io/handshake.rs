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
use crate::common_state::EarlyDataStatus;
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

    /// [`Self::connect`], sending `data` first: as 0-RTT data (RFC 8446
    /// §4.2.10) when the configuration enables it
    /// ([`ClientConfig::enable_early_data`]) and a stored ticket allows
    /// it, as far as the ticket allows, with the ClientHello; the rest
    /// once the handshake completes, or all of it again if the server
    /// rejected the 0-RTT data. The server reads `data` once and in
    /// order either way; [`Connection::early_data_status`] tells which
    /// happened. The future resolves once the handshake is complete and
    /// `data` is queued (and sent as far as the transport takes it).
    ///
    /// 0-RTT data can be replayed by an attacker (RFC 8446 §8): send only
    /// what is safe to receive twice, such as an idempotent request.
    pub fn connect_with_early_data<IO>(
        &self,
        server_name: ServerName,
        io: IO,
        data: &[u8],
    ) -> Connect<IO>
    where
        IO: AsyncRead + AsyncWrite + Unpin,
    {
        let mut conn = match ClientConnection::new(self.config.clone(), server_name) {
            Ok(conn) => conn,
            Err(error) => return Handshake::failed(io::Error::other(error)),
        };
        let early = match conn.early_data_status() {
            EarlyDataStatus::Offered => conn.write_early_data(data).unwrap_or(0),
            _ => 0,
        };
        let mut handshake = Handshake::new(TlsStream::new(io, conn));
        handshake.first_data = Some(FirstData {
            data: data.to_vec(),
            early,
            queued: 0,
        });
        handshake
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
    /// [`TlsConnector::connect_with_early_data`]'s data, queued once the
    /// handshake is complete.
    first_data: Option<FirstData>,
}

/// Data a client sends first, part or all of it as 0-RTT data.
#[derive(Debug)]
struct FirstData {
    data: Vec<u8>,
    /// How much of `data` went as 0-RTT data.
    early: usize,
    /// How much of what goes after the handshake is queued.
    queued: usize,
}

impl FirstData {
    /// Queues what the server has not got of `data` once the handshake is
    /// complete: what did not go as 0-RTT data, or all of it when the
    /// server rejected that; then flushes.
    fn poll_queue<IO, C>(
        &mut self,
        stream: &mut TlsStream<IO, C>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<()>>
    where
        IO: AsyncRead + AsyncWrite + Unpin,
        C: DerefMut<Target = Connection> + Unpin,
    {
        let accepted = stream.get_ref().1.early_data_status() == EarlyDataStatus::Accepted;
        let rest = match accepted {
            true => self.data.get(self.early..).unwrap_or_default(),
            false => &self.data,
        };
        while let Some(unqueued) = rest.get(self.queued..).filter(|r| !r.is_empty()) {
            self.queued += ready!(Pin::new(&mut *stream).poll_write(cx, unqueued))?;
        }
        Pin::new(stream).poll_flush(cx)
    }
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
            first_data: None,
        }
    }

    fn failed(error: io::Error) -> Self {
        Self {
            state: State::Failed(error),
            first_data: None,
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
            match &mut this.first_data {
                None => ready!(stream.poll_writable(cx))?,
                Some(first) => {
                    ready!(stream.poll_handshake(cx))?;
                    ready!(first.poll_queue(stream, cx))?;
                }
            }
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
