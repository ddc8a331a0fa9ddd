//! Deadlines on the server tool's socket I/O: one bound per handshake,
//! per read and per write, so a stalled peer costs a connection slot for
//! a bounded time.

use std::future::Future;
use std::io;
use std::time::Duration;
use tokio::time::timeout;

/// `io` bounded by `limit`: past it, a `TimedOut` error saying `what`.
pub async fn within<T>(
    limit: Duration,
    what: &str,
    io: impl Future<Output = io::Result<T>>,
) -> io::Result<T> {
    timeout(limit, io).await.unwrap_or_else(|_| {
        Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("{what} took longer than {} s", limit.as_secs()),
        ))
    })
}
