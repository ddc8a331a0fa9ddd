//! [`TlsStream`]: a connection over an async transport, as `AsyncRead`
//! and `AsyncWrite`, with the blocking [`crate::Stream`]'s semantics.

use std::io::{self, Read, Write};
use std::ops::DerefMut;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::sync_io::SyncIo;
use crate::conn::Connection;

/// A TLS connection `C` ([`crate::ClientConnection`] or
/// [`crate::ServerConnection`]) over the transport `IO`.
///
/// Reading completes the handshake first (but for a server sending
/// half-RTT data, which reads accepted 0-RTT data as it comes), then
/// reads and decrypts records as needed: `Ok` with nothing read (end of stream) only after
/// the peer's close_notify; a transport that ends without one fails with
/// `io::ErrorKind::UnexpectedEof` (a truncation attack, RFC 8446 §6.1).
/// Writing completes the handshake (or drives it to a client's False
/// Start or a server's half-RTT data, where data may go before it ends,
/// RFC 7918 and RFC 8446 §4.4.4), encrypts and sends as far as the
/// transport takes the records; `flush` sends the rest. `shutdown` sends
/// close_notify (once) and then shuts the transport's write side: a
/// half-close, after which the peer's data can still be read. A TLS
/// error fails the call with `io::ErrorKind::Other` wrapping the
/// [`crate::Error`], after the alert it queued has gone to the transport.
///
/// Nothing returns `Pending` unless the transport did, so the transport
/// has the waker. Every call is cancellation-safe: what a call accepted
/// (written bytes it returned a count for, records read) lives in the
/// connection, not in the call, so dropping a call's future loses
/// nothing; bytes written but not yet sent go out on the next write,
/// flush or shutdown.
#[derive(Debug)]
pub struct TlsStream<IO, C> {
    io: IO,
    conn: C,
}

impl<IO, C> TlsStream<IO, C>
where
    IO: AsyncRead + AsyncWrite + Unpin,
    C: DerefMut<Target = Connection> + Unpin,
{
    /// Pairs `conn` with `io`; the handshake runs on first use, or with
    /// [`Self::complete_handshake`].
    pub fn new(io: IO, conn: C) -> Self {
        Self { io, conn }
    }

    /// Drives the handshake until it completes (or fails), keeping the
    /// stream either way: unlike [`super::TlsAcceptor::accept`]'s future,
    /// a failure leaves the connection at hand, to ask what went wrong.
    /// Cancellation-safe: a later call goes on where this one stopped.
    pub async fn complete_handshake(&mut self) -> io::Result<()> {
        std::future::poll_fn(|cx| self.poll_handshake(cx)).await
    }

    /// [`Self::complete_handshake`], but only until data written now goes
    /// out at once: a client's False Start (RFC 7918) or a server's
    /// half-RTT data (RFC 8446 §4.4.4) stops it before the handshake's
    /// end, as [`Connection::complete_io_until_writable`] does. A read
    /// goes on from there.
    pub async fn complete_handshake_until_writable(&mut self) -> io::Result<()> {
        std::future::poll_fn(|cx| self.poll_writable(cx)).await
    }

    /// The transport and the connection (for its queries: version, suite,
    /// ALPN, session ID…).
    pub fn get_ref(&self) -> (&IO, &C) {
        (&self.io, &self.conn)
    }

    /// The transport and the connection, mutable. Reading or writing the
    /// transport directly corrupts the TLS stream.
    pub fn get_mut(&mut self) -> (&mut IO, &mut C) {
        (&mut self.io, &mut self.conn)
    }

    /// Gives back the transport and the connection.
    pub fn into_inner(self) -> (IO, C) {
        (self.io, self.conn)
    }

    /// Sends every queued TLS byte; `Pending` while the transport takes
    /// no more.
    fn poll_send(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.conn.wants_write() {
            match self.conn.write_tls(&mut SyncIo {
                io: &mut self.io,
                cx,
            }) {
                Ok(0) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Poll::Pending,
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
        Poll::Ready(Ok(()))
    }

    /// Reads once from the transport and processes what arrived; returns
    /// the byte count, 0 at end of stream.
    fn poll_receive(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let n = match self.conn.read_tls(&mut SyncIo {
            io: &mut self.io,
            cx,
        }) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Poll::Pending,
            Err(e) => return Poll::Ready(Err(e)),
        };
        match self.conn.process_new_packets() {
            Ok(_) => Poll::Ready(Ok(n)),
            Err(error) => self.poll_fail(cx, io::Error::other(error)).map(Err),
        }
    }

    /// Ends with `error` once the alert queued with it has gone to the
    /// transport (or the transport failed: the TLS error is the one
    /// reported).
    fn poll_fail(&mut self, cx: &mut Context<'_>, error: io::Error) -> Poll<io::Error> {
        self.poll_send(cx).map(|_| error)
    }

    /// Drives the handshake until it completes, its last flight sent and
    /// the transport flushed.
    pub(super) fn poll_handshake(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_handshake_while(cx, Connection::is_handshaking)
    }

    /// Drives the handshake until data written now goes out at once (as
    /// [`Connection::complete_io_until_writable`]): to its end, or to a
    /// client's False Start or a server's half-RTT data.
    pub(super) fn poll_writable(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_handshake_while(cx, Connection::waits_to_write)
    }

    /// Drives the handshake while `running` holds, its last flight sent
    /// and the transport flushed.
    fn poll_handshake_while(
        &mut self,
        cx: &mut Context<'_>,
        running: fn(&Connection) -> bool,
    ) -> Poll<io::Result<()>> {
        if !running(&self.conn) && self.conn.error().is_none() {
            return Poll::Ready(Ok(()));
        }
        loop {
            if let Some(error) = self.conn.error() {
                let error = io::Error::other(error.clone());
                return self.poll_fail(cx, error).map(Err);
            }
            ready!(self.poll_send(cx))?;
            if !running(&self.conn) {
                return Pin::new(&mut self.io).poll_flush(cx);
            }
            if ready!(self.poll_receive(cx))? == 0 {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "transport closed during the handshake",
                )));
            }
        }
    }
}

impl<IO, C> AsyncRead for TlsStream<IO, C>
where
    IO: AsyncRead + AsyncWrite + Unpin,
    C: DerefMut<Target = Connection> + Unpin,
{
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_handshake_while(cx, Connection::waits_to_read))?;
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        loop {
            // What processing queued (a KeyUpdate answer, the close_notify
            // that answers the peer's under TLS ≤ 1.2) goes out as far as
            // the transport takes it now, the rest with the next call; a
            // transport that fails to take it fails the next write, flush
            // or shutdown, not this read.
            let _ = this.poll_send(cx);
            match this.conn.reader().read(buf.initialize_unfilled()) {
                Ok(n) => {
                    buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    ready!(this.poll_receive(cx))?;
                }
                Err(e) => return this.poll_fail(cx, e).map(Err),
            }
        }
    }
}

impl<IO, C> AsyncWrite for TlsStream<IO, C>
where
    IO: AsyncRead + AsyncWrite + Unpin,
    C: DerefMut<Target = Connection> + Unpin,
{
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_writable(cx))?;
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        loop {
            match this.conn.writer().write(buf) {
                Ok(n) => {
                    // Accepted: sent now as far as the transport takes
                    // it, the rest by the next write or flush.
                    if let Poll::Ready(Err(e)) = this.poll_send(cx) {
                        return Poll::Ready(Err(e));
                    }
                    return Poll::Ready(Ok(n));
                }
                // The send queue is full: wait until the transport takes
                // some of it.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock && this.conn.wants_write() => {
                    ready!(this.poll_send(cx))?;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::WriteZero,
                        "the connection takes no more data",
                    )))
                }
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_send(cx))?;
        Pin::new(&mut this.io).poll_flush(cx)
    }

    /// Sends close_notify (once, RFC 8446 §6.1), then shuts the
    /// transport's write side down; reading goes on until the peer's
    /// close_notify.
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.conn.send_close_notify();
        ready!(this.poll_send(cx))?;
        Pin::new(&mut this.io).poll_shutdown(cx)
    }
}
