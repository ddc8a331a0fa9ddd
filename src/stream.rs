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

    /// Sends everything queued.
    fn flush_tls(&mut self) -> io::Result<()> {
        while self.conn.wants_write() {
            self.conn.write_tls(self.sock)?;
        }
        self.sock.flush()
    }

    /// Reads once from the transport and processes what arrived. Returns
    /// false at end of stream.
    fn read_some_tls(&mut self) -> io::Result<bool> {
        let n = self.conn.read_tls(self.sock)?;
        let processed = self.conn.process_new_packets();
        // The alert the failure queued goes out before the error does.
        self.flush_tls()?;
        processed.map_err(io::Error::other)?;
        Ok(n > 0)
    }

    /// Drives the handshake until it completes (or fails).
    pub fn complete_handshake(&mut self) -> io::Result<()> {
        while self.conn.is_handshaking() {
            self.flush_tls()?;
            if !self.read_some_tls()? {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "transport closed during the handshake",
                ));
            }
        }
        self.flush_tls()
    }
}

impl<C, T> Read for Stream<'_, C, T>
where
    C: core::ops::DerefMut<Target = Connection>,
    T: Read + Write,
{
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.complete_handshake()?;
        loop {
            match self.conn.reader().read(buf) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if !self.read_some_tls()? {
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
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.complete_handshake()?;
        let n = self.conn.writer().write(buf)?;
        self.flush_tls()?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_tls()
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
