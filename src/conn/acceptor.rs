//! Reading a ClientHello before choosing the server's configuration.
//!
//! A server that hosts several names, or speaks several application
//! protocols, may need the ClientHello's server_name (RFC 6066 §3) or
//! ALPN list (RFC 7301 §3.1) before it can pick a certificate, a trust
//! store or a protocol list. [`Acceptor`] reads TLS bytes until it holds
//! one whole ClientHello and nothing more, and hands out an [`Accepted`]
//! that shows what the client offered; [`Accepted::into_connection`] then
//! starts a [`ServerConnection`] under the chosen configuration and feeds
//! it every byte read so far, so the handshake continues as if the
//! connection had read them itself.
//!
//! The acceptor runs the same record layer and handshake joiner as a
//! connection (with default limits), so the records and the ClientHello
//! are checked the same way: a malformed record or message, an alert, or
//! anything but a ClientHello first ends it with the error, whose alert
//! (RFC 8446 §6.2) is queued for [`Acceptor::write_tls`]. Its memory is
//! bounded by those limits: the joiner refuses a ClientHello longer than
//! [`crate::record::joiner::MAX_CLIENT_HELLO_LEN`], the record layer
//! refuses empty handshake records, and reading stops at the record that
//! completes the message.

use std::io;
use std::sync::Arc;

use super::ServerConnection;
use crate::common_state::{CommonState, ReceivedHandshake, Side};
use crate::config::{CommonConfig, ServerConfig};
use crate::error::{Error, InvalidRequestReason};
use crate::handshake::server::{host_name, read_client_hello};
use crate::msgs::client_hello_extensions::ClientHelloExtensions;
use crate::msgs::enums::{CipherSuite, ProtocolVersion, SignatureScheme};
use crate::msgs::hello::ClientHello;

/// Reads TLS bytes up to the end of the first ClientHello, without a
/// configuration.
///
/// Call [`Self::read_tls`] with what arrives, then [`Self::accept`]; once
/// it returns an [`Accepted`], choose a [`ServerConfig`] and call
/// [`Accepted::into_connection`]. On an error, send what
/// [`Self::write_tls`] gives (the alert) and close.
pub struct Acceptor {
    /// Record layer and joiner (default limits); no handshake runs here.
    common: CommonState,
    /// Every byte read, to replay into the connection.
    received: Vec<u8>,
    /// The first whole handshake message, once in.
    first_message: Option<ReceivedHandshake>,
    /// Whether [`Self::accept`] has handed out its [`Accepted`].
    done: bool,
}

impl core::fmt::Debug for Acceptor {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Acceptor")
            .field("received", &self.received.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl Default for Acceptor {
    fn default() -> Self {
        Self {
            common: CommonState::new(Side::Server, &CommonConfig::default()),
            received: Vec::new(),
            first_message: None,
            done: false,
        }
    }
}

impl Acceptor {
    /// An acceptor that has read nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads TLS bytes from `rd` (one `read` call, never past the end of
    /// the record being received, so no byte after the ClientHello is
    /// taken) and processes whole records. Returns the byte count, 0 at
    /// end of stream.
    ///
    /// Fails with `rd`'s error; with [`Error::InvalidRequest`] (as
    /// `io::ErrorKind::Other`) once the ClientHello is complete or the
    /// acceptor has failed: call [`Self::accept`].
    pub fn read_tls(&mut self, rd: &mut dyn io::Read) -> io::Result<usize> {
        if self.first_message.is_some() || self.common.error().is_some() || self.done {
            return Err(io::Error::other(Error::InvalidRequest(
                InvalidRequestReason::ClientHelloComplete,
            )));
        }
        let start = self.received.len();
        let want = self.common.missing_record_len().max(1);
        self.received.resize(start + want, 0);
        let n = match rd.read(self.received.get_mut(start..).unwrap_or_default()) {
            Ok(n) => n.min(want),
            Err(e) => {
                self.received.truncate(start);
                return Err(e);
            }
        };
        self.received.truncate(start + n);
        // The deframer has room for a whole record: this cannot be short.
        let mut fresh = self.received.get(start..).unwrap_or_default();
        self.common.read_tls(&mut fresh)?;
        if let Err(error) = self.take_first_message() {
            self.common.fail(error);
        }
        Ok(n)
    }

    /// Opens every whole record and keeps the first whole handshake
    /// message.
    fn take_first_message(&mut self) -> Result<(), Error> {
        while self.common.process_one_record()? {
            if let Some(message) = self.common.next_handshake_message()? {
                self.first_message = Some(message);
                return Ok(());
            }
        }
        Ok(())
    }

    /// The ClientHello, once whole: `Ok(None)` until then.
    ///
    /// Fails with the error that ended the acceptor (a bad record, an
    /// alert, a first message that is not a well-formed ClientHello, a
    /// malformed server_name), whose alert is then queued for
    /// [`Self::write_tls`]; with [`Error::InvalidRequest`] after it has
    /// returned its [`Accepted`].
    pub fn accept(&mut self) -> Result<Option<Accepted>, Error> {
        if let Some(error) = self.common.error() {
            return Err(error.clone());
        }
        if self.done {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::ClientHelloComplete,
            ));
        }
        let Some(message) = self.first_message.take() else {
            return Ok(None);
        };
        match Self::read_hello(&mut self.common, &message) {
            Ok((hello, server_name)) => {
                self.done = true;
                Ok(Some(Accepted {
                    hello,
                    server_name,
                    received: core::mem::take(&mut self.received),
                }))
            }
            Err(error) => Err(self.common.fail(error)),
        }
    }

    /// Decodes the ClientHello as the server's handshake does, and its
    /// server name.
    fn read_hello(
        common: &mut CommonState,
        message: &ReceivedHandshake,
    ) -> Result<(ClientHello, Option<String>), Error> {
        let hello = read_client_hello(common, message)?;
        let server_name = host_name(ClientHelloExtensions::of(&hello).server_name)?;
        Ok((hello, server_name))
    }

    /// Whether an alert waits for [`Self::write_tls`].
    pub fn wants_write(&self) -> bool {
        self.common.wants_write()
    }

    /// Writes the queued alert (after a failure) to `wr` (one `write`
    /// call) and returns how many bytes were written.
    pub fn write_tls(&mut self, wr: &mut dyn io::Write) -> io::Result<usize> {
        self.common.write_tls(wr)
    }
}

/// A whole ClientHello, read by an [`Acceptor`]: what the client offered,
/// for choosing a configuration.
pub struct Accepted {
    hello: ClientHello,
    /// The server_name's host name, checked as the handshake checks it.
    server_name: Option<String>,
    /// Every byte the acceptor read.
    received: Vec<u8>,
}

impl core::fmt::Debug for Accepted {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Accepted")
            .field("server_name", &self.server_name)
            .field("alpn_protocols", &self.alpn_protocols())
            .finish_non_exhaustive()
    }
}

impl Accepted {
    /// The host name the client asked for (server_name, RFC 6066 §3), if
    /// any.
    pub fn server_name(&self) -> Option<&str> {
        self.server_name.as_deref()
    }

    /// The ALPN protocols offered, most preferred first (RFC 7301 §3.1);
    /// empty without the extension.
    pub fn alpn_protocols(&self) -> &[Vec<u8>] {
        ClientHelloExtensions::of(&self.hello)
            .alpn
            .unwrap_or_default()
    }

    /// The cipher suites offered, most preferred first.
    pub fn cipher_suites(&self) -> &[CipherSuite] {
        &self.hello.cipher_suites
    }

    /// The versions offered in supported_versions (RFC 8446 §4.2.1); empty
    /// without the extension, when [`Self::legacy_version`] is the highest
    /// version offered (RFC 5246 §7.4.1.2).
    pub fn supported_versions(&self) -> &[ProtocolVersion] {
        ClientHelloExtensions::of(&self.hello)
            .supported_versions
            .unwrap_or_default()
    }

    /// The ClientHello's `legacy_version` (`client_version` before TLS
    /// 1.3).
    pub fn legacy_version(&self) -> ProtocolVersion {
        self.hello.legacy_version
    }

    /// The signature schemes offered (signature_algorithms, RFC 8446
    /// §4.2.3); empty without the extension.
    pub fn signature_schemes(&self) -> &[SignatureScheme] {
        ClientHelloExtensions::of(&self.hello)
            .signature_algorithms
            .unwrap_or_default()
    }

    /// Starts a server connection under `config` and feeds it every byte
    /// the acceptor read, processing them: the connection has answered the
    /// ClientHello (its flight waits for [`super::Connection::write_tls`])
    /// or, when the ClientHello does not suit `config`, has failed with
    /// its alert queued and [`super::Connection::process_new_packets`]
    /// returning the error.
    pub fn into_connection(self, config: Arc<ServerConfig>) -> ServerConnection {
        let mut conn = ServerConnection::new(config);
        let mut rest = self.received.as_slice();
        while !rest.is_empty() {
            // The bytes are whole records ending with the ClientHello's:
            // each read takes what the receive buffer has room for and
            // processing empties it again, so only processing can fail,
            // and then the connection holds the error and its alert.
            if conn.read_tls(&mut rest).is_err() || conn.process_new_packets().is_err() {
                break;
            }
        }
        conn
    }
}
