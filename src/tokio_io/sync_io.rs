//! One poll's view of an async transport as `std::io::Read` and `Write`,
//! so the sans-IO connection's `read_tls` and `write_tls` can move bytes
//! to and from it.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// `io` polled with `cx`: `Poll::Pending` becomes
/// `io::ErrorKind::WouldBlock`, and the transport has registered `cx`'s
/// waker, so a caller that passes `WouldBlock` on as `Pending` does not
/// stall.
pub(super) struct SyncIo<'a, 'b, IO> {
    pub(super) io: &'a mut IO,
    pub(super) cx: &'a mut Context<'b>,
}

/// `Poll` as `std::io` result: `Pending` is `WouldBlock`.
fn ready<T>(poll: Poll<io::Result<T>>) -> io::Result<T> {
    match poll {
        Poll::Ready(result) => result,
        Poll::Pending => Err(io::ErrorKind::WouldBlock.into()),
    }
}

impl<IO: AsyncRead + Unpin> io::Read for SyncIo<'_, '_, IO> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut buf = ReadBuf::new(buf);
        ready(Pin::new(&mut *self.io).poll_read(self.cx, &mut buf))?;
        Ok(buf.filled().len())
    }
}

impl<IO: AsyncWrite + Unpin> io::Write for SyncIo<'_, '_, IO> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        ready(Pin::new(&mut *self.io).poll_write(self.cx, buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        ready(Pin::new(&mut *self.io).poll_flush(self.cx))
    }
}
