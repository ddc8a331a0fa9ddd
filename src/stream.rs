//! Blocking I/O over the sans-IO connection: [`Stream`] borrows a
//! connection and a transport, [`StreamOwned`] owns both. Each implements
//! `std::io::Read` and `Write`, completing the handshake first and moving
//! TLS bytes to and from the transport as needed.

use std::io::{self, Read, Write};

use crate::conn::Connection;

/// A connection and a transport, borrowed.
#[derive(Debug)]
pub struct Stream<'a, C, T>
where
    C: core::ops::DerefMut<Target = Connection>,
    T: Read + Write,
{
    /// The TLS connection.
    pub conn: &'a mut C,
    /// The transport carrying its records.
    pub sock: &'a mut T,
}

impl<'a, C, T> Stream<'a, C, T>
where
    C: core::ops::DerefMut<Target = Connection>,
    T: Read + Write,
{
    /// Pairs `conn` with `sock`.
    pub fn new(conn: &'a mut C, sock: &'a mut T) -> Self {
        Self { conn, sock }
    }

    /// Drives the handshake until it completes (or fails).
    pub fn complete_handshake(&mut self) -> io::Result<()> {
        if self.conn.is_handshaking() || self.conn.wants_write() {
            self.conn.complete_io(self.sock)?;
        }
        Ok(())
    }
}

impl<C, T> Read for Stream<'_, C, T>
where
    C: core::ops::DerefMut<Target = Connection>,
    T: Read + Write,
{
    /// Completes the handshake first, but for a server sending half-RTT
    /// data, which reads accepted 0-RTT data as it comes
    /// ([`crate::ServerConfig::send_half_rtt_data`]).
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.conn.waits_to_read() || self.conn.wants_write() {
            self.conn.complete_io_until_readable(self.sock)?;
        }
        loop {
            match self.conn.reader().read(buf) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if self.conn.complete_io_until_readable(self.sock)?.0 == 0 {
                        // Give the reader its say: close_notify or EOF.
                        return self.conn.reader().read(buf);
                    }
                }
                other => return other,
            }
        }
    }
}

impl<C, T> Write for Stream<'_, C, T>
where
    C: core::ops::DerefMut<Target = Connection>,
    T: Read + Write,
{
    /// Writes once application data can go: after the handshake, or
    /// before its end when the connection False Starts or sends half-RTT
    /// data.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.conn.is_handshaking() || self.conn.wants_write() {
            self.conn.complete_io_until_writable(self.sock)?;
        }
        let n = self.conn.writer().write(buf)?;
        self.flush()?;
        Ok(n)
    }

    /// Sends what is queued; once data may go (during a False Start or
    /// half-RTT data too) it never reads or waits for the peer.
    fn flush(&mut self) -> io::Result<()> {
        if self.conn.wants_write() {
            self.conn.complete_io_until_writable(self.sock)?;
        }
        self.sock.flush()
    }
}

/// A connection and a transport, owned.
#[derive(Debug)]
pub struct StreamOwned<C, T>
where
    C: core::ops::DerefMut<Target = Connection>,
    T: Read + Write,
{
    /// The TLS connection.
    pub conn: C,
    /// The transport carrying its records.
    pub sock: T,
}

impl<C, T> StreamOwned<C, T>
where
    C: core::ops::DerefMut<Target = Connection>,
    T: Read + Write,
{
    /// Takes ownership of `conn` and `sock`.
    pub fn new(conn: C, sock: T) -> Self {
        Self { conn, sock }
    }

    fn as_stream(&mut self) -> Stream<'_, C, T> {
        Stream::new(&mut self.conn, &mut self.sock)
    }

    /// Drives the handshake until it completes (or fails).
    pub fn complete_handshake(&mut self) -> io::Result<()> {
        self.as_stream().complete_handshake()
    }

    /// Gives back the connection and the transport.
    pub fn into_parts(self) -> (C, T) {
        (self.conn, self.sock)
    }
}

impl<C, T> Read for StreamOwned<C, T>
where
    C: core::ops::DerefMut<Target = Connection>,
    T: Read + Write,
{
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.as_stream().read(buf)
    }
}

impl<C, T> Write for StreamOwned<C, T>
where
    C: core::ops::DerefMut<Target = Connection>,
    T: Read + Write,
{
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.as_stream().write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.as_stream().flush()
    }
}
