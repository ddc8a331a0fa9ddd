//! The sans-IO connection (design §1 `conn`): one core, [`Connection`],
//! shared by both roles and wrapped by [`ClientConnection`] and
//! [`ServerConnection`], which dereference to it.
//!
//! The caller moves bytes: [`Connection::read_tls`] takes what arrived
//! from the network, [`Connection::process_new_packets`] runs the record
//! layer and the handshake over it, [`Connection::write_tls`] hands out
//! what must be sent. Application data goes through
//! [`Connection::reader`] and [`Connection::writer`] (`std::io::Read` and
//! `Write`). Nothing here blocks or spawns.
//!
//! Errors: the first error ends the connection. Its alert (RFC 8446 §6.2)
//! is queued for [`Connection::write_tls`] once, and every later call
//! returns the same error.

mod acceptor;
#[cfg(test)]
mod idle_tests;
mod post_handshake_auth;
mod renegotiation;
#[cfg(test)]
mod tests;

pub use acceptor::{Accepted, Acceptor};

use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::common_state::{CommonState, HandshakeIo};
pub use crate::common_state::{
    EarlyDataReason, EarlyDataStatus, Side, MAX_KEY_UPDATES_SENT, MAX_SENDABLE_TLS,
};

/// The length of the tls-exporter channel binding (RFC 9266 §2: 32 bytes).
pub const TLS_EXPORTER_BINDING_LEN: usize = 32;

/// The exporter label of the tls-exporter channel binding (RFC 9266 §2).
const TLS_EXPORTER_LABEL: &[u8] = b"EXPORTER-Channel-Binding";

use crate::config::{ClientConfig, ServerConfig};
use crate::error::{Error, InvalidRequestReason};
use crate::handshake::{self, State};
use crate::msgs::enums::{
    CertificateType, CipherSuite, KeyUpdateRequest, NamedGroup, ProtocolVersion, SignatureScheme,
};
use crate::pki::{CertifiedKey, ServerName};
use crate::session::{
    ClientSessionData, ClientSessionStore, ClientSessionTls12, ClientTicketTls13, SessionDataError,
    MAX_RESUMPTION_DATA_LEN,
};

/// What [`Connection::process_new_packets`] leaves behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IoState {
    /// Bytes waiting for [`Connection::write_tls`].
    pub tls_bytes_to_write: usize,
    /// Plaintext waiting for [`Connection::reader`].
    pub plaintext_bytes_to_read: usize,
    /// Whether the peer sent close_notify.
    pub peer_has_closed: bool,
}

/// A TLS connection of either role, without I/O.
pub struct Connection {
    common: CommonState,
    /// `None` only while a message is being handled, or after an error.
    state: Option<State>,
}

impl core::fmt::Debug for Connection {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Connection")
            .field("side", &self.common.side)
            .field("handshaking", &self.is_handshaking())
            .finish_non_exhaustive()
    }
}

impl Connection {
    fn new(common: CommonState, state: State) -> Self {
        Self {
            common,
            state: Some(state),
        }
    }

    /// Reads TLS bytes from `rd` into the receive buffer (one `read`
    /// call). Returns the byte count, 0 at end of stream.
    ///
    /// Fails with `rd`'s error, or when the buffers are full because
    /// records or plaintext were not processed or read.
    pub fn read_tls(&mut self, rd: &mut dyn io::Read) -> io::Result<usize> {
        self.common.read_tls(rd)
    }

    /// Processes every whole record received so far: handshake messages
    /// advance the handshake, application data becomes readable, alerts
    /// and close_notify are handled.
    ///
    /// On success, says what is waiting. On failure the connection is
    /// dead: the error's alert is queued for [`Self::write_tls`] and this
    /// and every other call fail with the same error from now on.
    pub fn process_new_packets(&mut self) -> Result<IoState, Error> {
        if let Some(error) = self.common.error() {
            return Err(error.clone());
        }
        match self.process() {
            Ok(()) => Ok(self.io_state()),
            Err(error) => {
                self.state = None;
                Err(self.common.fail(error))
            }
        }
    }

    fn process(&mut self) -> Result<(), Error> {
        while self.common.process_one_record()? {
            while let Some(message) = self.common.next_handshake_message()? {
                let state = self.state.take().ok_or(Error::InvalidRequest(
                    InvalidRequestReason::ConnectionFailed,
                ))?;
                self.state = Some(state.handle(&mut self.common, &message)?);
                self.common.recycle_message(message);
            }
            self.common.flush_handshake()?;
        }
        self.common.release_receive_buffer_if_empty();
        Ok(())
    }

    fn io_state(&self) -> IoState {
        IoState {
            tls_bytes_to_write: self.common.sendable_tls_len(),
            plaintext_bytes_to_read: self.common.received_plaintext_len(),
            peer_has_closed: self.common.peer_closed(),
        }
    }

    /// Writes queued TLS bytes to `wr` (one `write` call) and returns how
    /// many were written.
    pub fn write_tls(&mut self, wr: &mut dyn io::Write) -> io::Result<usize> {
        self.common.write_tls(wr)
    }

    /// Whether the caller should read more TLS bytes: true unless the
    /// connection failed, the peer closed, or the plaintext buffer is full.
    pub fn wants_read(&self) -> bool {
        self.common.wants_read()
    }

    /// Whether TLS bytes are waiting for [`Self::write_tls`].
    pub fn wants_write(&self) -> bool {
        self.common.wants_write()
    }

    /// Whether the handshake is still running (false once application
    /// data may flow both ways, and after a failure).
    pub fn is_handshaking(&self) -> bool {
        !self.common.is_traffic() && self.common.error().is_none()
    }

    /// Moves TLS bytes between the connection and a blocking transport
    /// until there is nothing left to do for now: while the handshake
    /// runs, until it completes; then until everything queued is sent,
    /// reading once first if nothing was queued and the connection wants
    /// to read. Returns the bytes read and written.
    ///
    /// A failure queues its alert, which is sent before the error is
    /// returned (as an `io::Error` wrapping [`Error`]); a transport that
    /// ends during the handshake is `UnexpectedEof`.
    pub fn complete_io<T: io::Read + io::Write>(
        &mut self,
        io: &mut T,
    ) -> io::Result<(usize, usize)> {
        self.drive_io(io, Self::is_handshaking)
    }

    /// [`Self::complete_io`], but the handshake runs only until
    /// application data written now goes out at once: to its end, or
    /// until a client False Starts or a server may send half-RTT data
    /// (RFC 7918, RFC 8446 §4.4.4). What a blocking write waits for, and
    /// the point from which keying material may be exported
    /// ([`Self::export_keying_material`]). Once there, it only sends what
    /// is queued: it never waits for the peer.
    pub fn complete_io_until_writable<T: io::Read + io::Write>(
        &mut self,
        io: &mut T,
    ) -> io::Result<(usize, usize)> {
        if self.common.sends_application_data() {
            return Ok((0, self.flush_tls(io)?));
        }
        self.drive_io(io, Self::waits_to_write)
    }

    /// Whether application data written now would wait for the handshake:
    /// it is running, and neither a False Start nor half-RTT data lets
    /// data go before it ends.
    pub(crate) fn waits_to_write(&self) -> bool {
        self.is_handshaking() && !self.common.sends_application_data()
    }

    /// [`Self::complete_io`], but the handshake runs only until received
    /// application data can be read before it ends, where it can: a
    /// server sending half-RTT data reads the accepted 0-RTT data as it
    /// comes. From there each call reads once, as after the handshake.
    /// What a blocking read waits for.
    pub(crate) fn complete_io_until_readable<T: io::Read + io::Write>(
        &mut self,
        io: &mut T,
    ) -> io::Result<(usize, usize)> {
        self.drive_io(io, Self::waits_to_read)
    }

    /// Whether received application data waits for the handshake to be
    /// read: it is running, and this is not a server that sends half-RTT
    /// data and accepted the client's 0-RTT data. Such a server acts
    /// before the client's Finished already (RFC 8446 §4.4.4), so it may
    /// read the 0-RTT request it answers then (§4.2.10; the data may be a
    /// replay, §8, as it may after the handshake).
    pub(crate) fn waits_to_read(&self) -> bool {
        self.is_handshaking()
            && !(self.side() == Side::Server
                && self.common.sends_application_data()
                && self.early_data_status() == EarlyDataStatus::Accepted)
    }

    /// The loop of [`Self::complete_io`]: the handshake is driven while
    /// `handshaking` holds.
    fn drive_io<T: io::Read + io::Write>(
        &mut self,
        io: &mut T,
        handshaking: fn(&Self) -> bool,
    ) -> io::Result<(usize, usize)> {
        let (mut read, mut written) = (0, 0);
        loop {
            written += self.flush_tls(io)?;
            let handshaking = handshaking(self);
            if !handshaking && (written > 0 || read > 0 || !self.wants_read()) {
                return Ok((read, written));
            }
            let n = self.read_tls(io)?;
            read += n;
            let processed = self.process_new_packets();
            // The alert a failure queued goes out before the error does.
            written += self.flush_tls(io)?;
            processed.map_err(io::Error::other)?;
            if n == 0 {
                if handshaking {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "transport closed during the handshake",
                    ));
                }
                return Ok((read, written));
            }
        }
    }

    /// Sends everything queued to `io` and flushes it; returns the bytes
    /// written.
    fn flush_tls(&mut self, io: &mut dyn io::Write) -> io::Result<usize> {
        let mut written = 0;
        while self.wants_write() {
            written += self.write_tls(io)?;
        }
        io.flush()?;
        Ok(written)
    }

    /// Received application data, as `std::io::Read`: `Ok(0)` only after
    /// the peer's close_notify, `WouldBlock` while nothing is buffered,
    /// `UnexpectedEof` when the transport ended without close_notify.
    pub fn reader(&mut self) -> ConnectionReader<'_> {
        ConnectionReader {
            common: &mut self.common,
        }
    }

    /// Application data to send, as `std::io::Write`. Before the
    /// handshake completes, data is buffered up to
    /// [`crate::config::DEFAULT_MAX_PENDING_PLAINTEXT`] and sent when it
    /// does; after, it is sealed while fewer than
    /// [`MAX_SENDABLE_TLS`] bytes wait for [`Self::write_tls`].
    /// A write that finds the buffer or the queue full fails with
    /// `WouldBlock`: call `write_tls` and write the rest. Writes fail
    /// after our close_notify, and under TLS ≤ 1.2 after the peer's,
    /// which the connection answers with its own (RFC 5246 §7.2.1); that
    /// one is `BrokenPipe`, as writing to a pipe whose reader left. Each
    /// failure carries the [`Error`] (`io::Error::get_ref`).
    pub fn writer(&mut self) -> ConnectionWriter<'_> {
        ConnectionWriter {
            common: &mut self.common,
        }
    }

    /// Seals `plaintext` as application data straight onto the end of
    /// `out`, a buffer the application sends from, and returns how much
    /// of it was taken.
    ///
    /// The records waiting for [`Self::write_tls`] move into `out` first,
    /// so `out` receives, in order, the bytes that [`Self::writer`]
    /// followed by `write_tls` would produce; but the plaintext is copied
    /// once, into the record that protects it, instead of into the
    /// connection's queue and from there into the transport's writer.
    /// Reusing one `out` for every call, the application sends without
    /// allocating and the connection holds no queue.
    ///
    /// After the handshake all of `plaintext` is taken: `out` grows as
    /// needed, so the application bounds what it passes. The exception is
    /// a TLS ≤ 1.2 write key reaching its usage limit, which ends the
    /// write with close_notify (RFC 5246 has no rekeying; a TLS 1.3 key is
    /// updated instead, RFC 8446 §5.5). While the handshake runs,
    /// `plaintext` is buffered as `writer` buffers it and sent when the
    /// handshake completes, and the flight waiting to go out is moved
    /// into `out`. Fails as `writer` does: with the connection's error,
    /// after our close_notify, and under TLS ≤ 1.2 after the peer's.
    pub fn seal_into(&mut self, plaintext: &[u8], out: &mut Vec<u8>) -> Result<usize, Error> {
        self.common.write_plaintext_into(plaintext, out)
    }

    /// Queues a close_notify alert (RFC 8446 §6.1); writing afterwards is
    /// refused.
    pub fn send_close_notify(&mut self) {
        self.common.send_close_notify();
    }

    /// Abandons the connection with user_canceled followed by
    /// close_notify (RFC 8446 §6.1).
    pub fn send_user_canceled(&mut self) {
        self.common.send_user_canceled();
    }

    /// Sends a TLS 1.3 KeyUpdate (RFC 8446 §4.6.3) and switches to the
    /// next write key; `request_peer_update` asks the peer to do the same.
    /// A request made while an earlier one has not been answered (no
    /// KeyUpdate received since) is not sent again: that KeyUpdate says
    /// update_not_requested (RFC 9846 §4.6.3), and the peer's answer to
    /// the first covers both.
    ///
    /// Fails with [`Error::InvalidRequest`] before a TLS 1.3 handshake has
    /// completed or once [`MAX_KEY_UPDATES_SENT`] KeyUpdates have gone
    /// out, or with the connection's error.
    pub fn refresh_traffic_keys(&mut self, request_peer_update: bool) -> Result<(), Error> {
        if let Some(error) = self.common.error() {
            return Err(error.clone());
        }
        let request = if request_peer_update {
            KeyUpdateRequest::UpdateRequested
        } else {
            KeyUpdateRequest::UpdateNotRequested
        };
        self.common.send_key_update(request)?;
        self.common.flush_handshake()
    }

    /// The error that ended the connection, if any.
    pub fn error(&self) -> Option<&Error> {
        self.common.error()
    }

    /// Which role this is.
    pub fn side(&self) -> Side {
        self.common.side
    }

    /// The negotiated protocol version, once known.
    pub fn protocol_version(&self) -> Option<ProtocolVersion> {
        self.common.established().version()
    }

    /// The negotiated cipher suite, once known.
    pub fn cipher_suite(&self) -> Option<CipherSuite> {
        self.common.established().cipher_suite()
    }

    /// The key-exchange group, once known (`None` for a PSK-only
    /// resumption).
    pub fn negotiated_group(&self) -> Option<NamedGroup> {
        self.common.established().group()
    }

    /// The ALPN protocol agreed on (RFC 7301), if any.
    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        self.common.established().alpn()
    }

    /// The peer's record_size_limit (RFC 8449), when both sides announced
    /// one: the largest protected record we send it (in TLS 1.3 counting
    /// the content type byte); `None` when none was negotiated.
    pub fn peer_record_size_limit(&self) -> Option<u16> {
        self.common.established().peer_record_size_limit()
    }

    /// The algorithm the peer's certificate came compressed with (RFC
    /// 8879, TLS 1.3), or `None` when it came uncompressed or not at all.
    pub fn peer_certificate_compression(
        &self,
    ) -> Option<crate::msgs::enums::CertificateCompressionAlgorithm> {
        self.common.established().peer_certificate_compression()
    }

    /// The algorithm our certificate went compressed with (RFC 8879, TLS
    /// 1.3), or `None` when it went uncompressed or not at all.
    pub fn sent_certificate_compression(
        &self,
    ) -> Option<crate::msgs::enums::CertificateCompressionAlgorithm> {
        self.common.established().sent_certificate_compression()
    }

    /// The server name: the one the client asked for (server side), or
    /// the one it sent (client side), if any (RFC 6066 §3).
    pub fn server_name(&self) -> Option<&str> {
        self.common.established().server_name()
    }

    /// The peer's certificate chain (DER, end entity first), empty when
    /// it sent none or it was not asked for.
    pub fn peer_certificates(&self) -> &[Vec<u8>] {
        self.common.established().peer_certificates()
    }

    /// The DER OCSP response stapled to the server's certificate (RFC
    /// 6066 §8, RFC 8446 §4.4.2.1): on a client the one received (and
    /// accepted by the verifier), on a server the one sent. A resumption
    /// sends no Certificate: a resuming client reports the response of
    /// the full handshake that made the session, as
    /// [`Self::peer_certificates`] reports its chain, and a resuming
    /// server `None`. `None` also when none was asked for or stapled.
    pub fn stapled_ocsp_response(&self) -> Option<&[u8]> {
        self.common.established().staples().ocsp_response.as_deref()
    }

    /// The signed certificate timestamps (each a SerializedSCT, RFC 6962
    /// §3.3) stapled to the server's certificate: received on a client
    /// (on resumption, those of the full handshake that made the
    /// session), sent on a server; empty when none.
    pub fn stapled_scts(&self) -> &[Vec<u8>] {
        &self.common.established().staples().scts
    }

    /// What the server's Certificate carried (RFC 7250): X.509, or a raw
    /// public key (then [`Self::peer_certificates`] on a client holds the
    /// one DER SubjectPublicKeyInfo). `None` when no Certificate was sent
    /// (a resumption).
    pub fn server_certificate_type(&self) -> Option<CertificateType> {
        self.common.established().server_certificate_type()
    }

    /// What the client's Certificate carried (RFC 7250), `None` when the
    /// client sent none.
    pub fn client_certificate_type(&self) -> Option<CertificateType> {
        self.common.established().client_certificate_type()
    }

    /// The session identifier of design §3: on a client, the ID in this
    /// connection's ServerHello; on a server, the persistent ID made at
    /// the full handshake (TLS ≤1.2: the S sent then; TLS 1.3: T, never
    /// on the wire), kept through every resumption. At most 32 bytes;
    /// empty before the ServerHello.
    pub fn session_id(&self) -> &[u8] {
        self.common.established().session_id()
    }

    /// Copies [`Self::session_id`] into `out` and returns its length.
    ///
    /// Fails with [`Error::BufferTooSmall`] (nothing copied) when `out` is
    /// shorter.
    pub fn copy_session_id(&self, out: &mut [u8]) -> Result<usize, Error> {
        let id = self.session_id();
        let dst = out
            .get_mut(..id.len())
            .ok_or(Error::BufferTooSmall { needed: id.len() })?;
        dst.copy_from_slice(id);
        Ok(id.len())
    }

    /// The certificate (with its key) this side sent in this handshake,
    /// one of those its configuration holds, so that an application with
    /// several can tell which one served: a server's, or a client's that
    /// answered a certificate request (`Arc::ptr_eq` with the one
    /// configured). None when this side sent none (a resumption, a PSK, a
    /// client not asked or with nothing that fit).
    pub fn sent_certificate(&self) -> Option<&Arc<CertifiedKey>> {
        self.common.established().sent_certificate()
    }

    /// The signature scheme the peer signed this handshake with: its
    /// CertificateVerify (RFC 8446 §4.4.3, RFC 5246 §7.4.8) or, from a
    /// TLS 1.2 server, its ServerKeyExchange (RFC 5246 §7.4.3). None when
    /// the peer signed nothing (a resumption, a PSK, RSA key exchange, a
    /// client without a certificate) or signed under TLS 1.0/1.1, whose
    /// signatures name no scheme.
    pub fn peer_signature_scheme(&self) -> Option<SignatureScheme> {
        self.common.established().peer_signature_scheme()
    }

    /// Whether this connection resumed an earlier session.
    pub fn is_resumed(&self) -> bool {
        self.common.established().resumed()
    }

    /// Whether the connection's secrets are bound to its whole handshake:
    /// always under TLS 1.3, which says so as RFC 9846 Appendix E asks of
    /// APIs, and under TLS 1.0–1.2 when the extended master secret was
    /// negotiated (RFC 7627). Keying material exported with
    /// [`Self::export_keying_material`] makes a channel binding only when
    /// this is true (RFC 9266 §3 forbids tls-exporter otherwise; RFC 7627
    /// §6 describes the attack). False until a handshake settles it.
    pub fn extended_master_secret(&self) -> bool {
        self.common.established().extended_master_secret()
    }

    /// The tls-unique channel binding (RFC 5929 §3.1): the verify_data
    /// of the first Finished of the latest handshake, the client's in a
    /// full handshake and the server's in a resumption. TLS 1.0–1.2 only:
    /// TLS 1.3 defines none (RFC 8446 §C.5), and binds channels with
    /// tls-exporter instead ([`Self::tls_exporter`], RFC 9266).
    /// `None` until a handshake completes, while a renegotiation runs,
    /// and after a resumption without the extended master secret, whose
    /// Finished messages the triple handshake attack can make equal on
    /// two connections (RFC 7627 §1).
    pub fn tls_unique(&self) -> Option<&[u8]> {
        let negotiated = self.common.established();
        let renegotiation = self.common.renegotiation();
        let tls12 = negotiated
            .version()
            .is_some_and(|v| v != ProtocolVersion::TLSv1_3);
        let bound = !negotiated.resumed() || negotiated.extended_master_secret();
        (self.common.is_traffic() && tls12 && bound && !renegotiation.in_progress())
            .then(|| renegotiation.first_finished(negotiated.resumed()))
    }

    /// The tls-exporter channel binding (RFC 9266 §2): the
    /// [`TLS_EXPORTER_BINDING_LEN`] bytes exported under the label
    /// `EXPORTER-Channel-Binding` with no context. `None` until a
    /// handshake completes, and under TLS 1.0–1.2 without the extended
    /// master secret, where RFC 9266 §3 forbids it (the exporter would not
    /// be bound to the whole handshake, RFC 7627 §1).
    pub fn tls_exporter(&self) -> Option<[u8; TLS_EXPORTER_BINDING_LEN]> {
        if !self.extended_master_secret() {
            return None;
        }
        let mut out = [0; TLS_EXPORTER_BINDING_LEN];
        self.export_keying_material(&mut out, TLS_EXPORTER_LABEL, None)
            .ok()?;
        Some(out)
    }

    /// Server side: whether the client asked to resume (design §3).
    pub fn resumption_requested(&self) -> bool {
        self.common.established().resumption_requested()
    }

    /// What happened to 0-RTT data.
    pub fn early_data_status(&self) -> EarlyDataStatus {
        self.common.established().early_data()
    }

    /// Why 0-RTT data was used or not ([`EarlyDataReason`]); `None` until
    /// the handshake has settled it.
    pub fn early_data_reason(&self) -> Option<EarlyDataReason> {
        self.common.established().early_data_reason()
    }

    /// The identity of the TLS 1.3 external PSK that authenticated the
    /// peer (RFC 8446 §2.2), if one did: then there are no certificates.
    pub fn external_psk_identity(&self) -> Option<&[u8]> {
        self.common.established().external_psk()
    }

    /// Fills `out` with keying material exported under `label` and
    /// `context` (RFC 8446 §7.5; RFC 5705 §4 for the meaning).
    ///
    /// Available once the handshake is complete, and from the point where
    /// application data may flow before the peer's Finished: a TLS 1.2
    /// client's False Start (RFC 7918; RFC 5705 needs only the master
    /// secret) and a TLS 1.3 server's half-RTT data (the exporter secret
    /// follows the server's Finished, RFC 8446 §7.5), where the peer is
    /// not yet confirmed, as the data sent then. Fails with
    /// [`Error::InvalidRequest`] before, or [`Error::Crypto`] for a label
    /// or length the key schedule cannot take.
    pub fn export_keying_material(
        &self,
        out: &mut [u8],
        label: &[u8],
        context: Option<&[u8]>,
    ) -> Result<(), Error> {
        if !self.common.sends_application_data() {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::ExporterBeforeHandshake,
            ));
        }
        if let Some(exporter) = &self.common.tls12_exporter {
            return exporter.export(label, context, out);
        }
        let exporter = self
            .common
            .exporter
            .as_ref()
            .ok_or(Error::InvalidRequest(InvalidRequestReason::NoExporter))?;
        exporter.export(label, context.unwrap_or_default(), out)
    }

    /// Fills `out` with keying material exported under `label` and
    /// `context` from the early exporter, for keying material bound to
    /// 0-RTT data (RFC 8446 §7.5, early_exporter_master_secret; a separate
    /// call from [`Self::export_keying_material`] as the RFC recommends,
    /// so neither is used for the other). TLS 1.3 has no difference
    /// between no context and an empty one.
    ///
    /// A client has the early exporter from when it starts sending 0-RTT
    /// data, during the handshake, and keeps it if the server accepts that
    /// data; a server has it once it accepts 0-RTT data. Otherwise fails
    /// with [`Error::InvalidRequest`]; with [`Error::Crypto`] for a label
    /// or length HKDF cannot take.
    pub fn export_keying_material_early(
        &self,
        out: &mut [u8],
        label: &[u8],
        context: Option<&[u8]>,
    ) -> Result<(), Error> {
        let exporter = self
            .common
            .early_exporter
            .as_deref()
            .ok_or(Error::InvalidRequest(InvalidRequestReason::NoEarlyExporter))?;
        exporter.export(label, context.unwrap_or_default(), out)
    }
}

/// [`Connection::reader`]'s `std::io::Read`.
pub struct ConnectionReader<'a> {
    common: &'a mut CommonState,
}

impl io::Read for ConnectionReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.common.read_plaintext(buf)
    }
}

/// [`Connection::writer`]'s `std::io::Write`.
pub struct ConnectionWriter<'a> {
    common: &'a mut CommonState,
}

impl io::Write for ConnectionWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.common
            .write_plaintext(buf)
            .map_err(refused_write)
            .and_then(|n| {
                if n == 0 && !buf.is_empty() {
                    Err(io::ErrorKind::WouldBlock.into())
                } else {
                    Ok(n)
                }
            })
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A write the connection refused, as an `io::Error` carrying the
/// [`Error`]. After the peer's close_notify under TLS ≤ 1.2 the peer reads
/// nothing more (RFC 5246 §7.2.1), as after the reader of a pipe closed:
/// `BrokenPipe`, so code that treats a peer that left as no failure of
/// its own (a server whose client sent its request and close_notify)
/// can tell; any other refusal is `Other`.
fn refused_write(error: Error) -> io::Error {
    let kind = match error {
        Error::InvalidRequest(InvalidRequestReason::WriteAfterPeerClose) => {
            io::ErrorKind::BrokenPipe
        }
        _ => io::ErrorKind::Other,
    };
    io::Error::new(kind, error)
}

/// A client connection: [`Connection`] started with a ClientHello.
#[derive(Debug)]
pub struct ClientConnection {
    inner: Connection,
    /// This connection's view of the configuration's session store; `None`
    /// when resumption is off.
    sessions: Option<Arc<SessionRecorder>>,
}

impl ClientConnection {
    /// Starts a handshake with the server `server_name` (checked against
    /// its certificate, and sent as SNI when it is a DNS name); the
    /// ClientHello is queued for [`Connection::write_tls`].
    ///
    /// Fails when the ClientHello cannot be built (the RNG failed).
    pub fn new(config: Arc<ClientConfig>, server_name: ServerName) -> Result<Self, Error> {
        Self::start(config, server_name, None)
    }

    /// Starts a handshake like [`ClientConnection::new`] that offers the
    /// session exported earlier by [`ClientConnection::session_data`]
    /// (design §3, "export/import"), before anything in the configuration's
    /// store; the server decides whether it resumes
    /// ([`Connection::is_resumed`]). It is offered only when made for
    /// `server_name`.
    ///
    /// Fails with [`Error::SessionData`] when `session` is corrupted,
    /// truncated, of another format version, not a client session, or
    /// expired by the configuration's clock (docs/session-format.md), and
    /// with [`Error::InvalidRequest`] when the configuration has no session
    /// store (resumption off). Never panics.
    pub fn resume(
        config: Arc<ClientConfig>,
        server_name: ServerName,
        session: &[u8],
    ) -> Result<Self, Error> {
        let data = ClientSessionData::from_bytes(session, config.common.clock.now())?;
        Self::resume_session(config, server_name, data)
    }

    /// [`ClientConnection::resume`] with a session already imported
    /// ([`ClientSessionData::from_bytes`]), so that an application that
    /// checks the bytes when it receives them does not parse them again
    /// when it connects. Fails with [`Error::SessionData`]
    /// ([`SessionDataError::Expired`])
    /// when the session has expired by the configuration's clock since,
    /// and with [`Error::InvalidRequest`] when the configuration has no
    /// session store (resumption off).
    pub fn resume_session(
        config: Arc<ClientConfig>,
        server_name: ServerName,
        session: ClientSessionData,
    ) -> Result<Self, Error> {
        if config.session_store.is_none() {
            return Err(Error::InvalidRequest(InvalidRequestReason::ResumptionOff));
        }
        if session.validity().is_expired(config.common.clock.now()) {
            return Err(Error::SessionData(SessionDataError::Expired));
        }
        Self::start(config, server_name, Some(session))
    }

    fn start(
        config: Arc<ClientConfig>,
        server_name: ServerName,
        import: Option<ClientSessionData>,
    ) -> Result<Self, Error> {
        let sessions = config.session_store.clone().map(|shared| {
            let recorder = Arc::new(SessionRecorder::new(shared));
            if let Some(data) = import {
                recorder.import(data);
            }
            recorder
        });
        let mut common = CommonState::new(Side::Client, &config.common);
        common.client_sessions = sessions
            .clone()
            .map(|recorder| recorder as Arc<dyn ClientSessionStore>);
        let state = handshake::client::start(config, server_name, &mut common)?;
        common.flush_handshake()?;
        Ok(Self {
            inner: Connection::new(common, State::Client(state)),
            sessions,
        })
    }

    /// The newest resumable state this connection received — its TLS ≤1.2
    /// session, or its newest TLS 1.3 ticket (RFC 8446 §4.6.1; these arrive
    /// after the handshake, with the server's first records) — in the
    /// versioned format of docs/session-format.md, for
    /// [`ClientConnection::resume`] in this or another process.
    ///
    /// `Ok(None)` when there is none yet or resumption is off;
    /// [`Error::EncodeOverflow`] only if a field exceeds its syntax. The
    /// bytes hold the session's secret: keep them as private as a key.
    pub fn session_data(&self) -> Result<Option<Vec<u8>>, Error> {
        self.sessions
            .as_ref()
            .and_then(|s| s.received())
            .map(|d| d.to_bytes())
            .transpose()
    }
}

impl ClientConnection {
    /// Sends 0-RTT data (RFC 8446 §4.2.10): possible right after
    /// [`ClientConnection::new`] when the configuration enables early data
    /// and a stored ticket allows it, until the server answers. Returns how
    /// many bytes were taken (at most the ticket's `max_early_data_size`
    /// in all). Whether the server accepted them shows in
    /// [`Connection::early_data_status`] once the handshake completes; if
    /// rejected, the application sends them again as ordinary data.
    ///
    /// Fails with [`Error::InvalidRequest`] when no early data can be sent
    /// now.
    pub fn write_early_data(&mut self, data: &[u8]) -> Result<usize, Error> {
        self.inner.common.write_early_data(data)
    }
}

impl core::ops::Deref for ClientConnection {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.inner
    }
}

impl core::ops::DerefMut for ClientConnection {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.inner
    }
}

/// A server connection: [`Connection`] waiting for a ClientHello.
#[derive(Debug)]
pub struct ServerConnection {
    inner: Connection,
}

impl ServerConnection {
    /// A connection that will answer one client under `config`.
    pub fn new(config: Arc<ServerConfig>) -> Self {
        let common = CommonState::new(Side::Server, &config.common);
        Self {
            inner: Connection::new(common, State::Server(handshake::server::start(config))),
        }
    }

    /// Keeps `data`, bytes of the application's own, with the session
    /// this connection makes: in its TLS ≤1.2 session-cache entry or
    /// ticket, and in every TLS 1.3 ticket it issues. A connection that
    /// resumes the session finds them in
    /// [`Self::received_resumption_data`], and they carry on to the
    /// sessions that connection stores unless it sets its own, as the
    /// session ID does (design §3). Set them before the handshake
    /// completes: a ticket or cache entry made before the call keeps what
    /// was set then. The client never sees them: a ticket is sealed under
    /// the server's ticket key. Fails with [`Error::InvalidRequest`] for
    /// more than [`MAX_RESUMPTION_DATA_LEN`] bytes, keeping what was set.
    pub fn set_resumption_data(&mut self, data: &[u8]) -> Result<(), Error> {
        if data.len() > MAX_RESUMPTION_DATA_LEN {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::ResumptionDataLength,
            ));
        }
        self.inner.common.set_resumption_data(data.to_vec());
        Ok(())
    }

    /// The application's bytes the session this connection resumed
    /// carried ([`Self::set_resumption_data`]); `None` after a full
    /// handshake or when the session carried none.
    pub fn received_resumption_data(&self) -> Option<&[u8]> {
        self.inner.common.established().received_resumption_data()
    }
}

impl core::ops::Deref for ServerConnection {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.inner
    }
}

impl core::ops::DerefMut for ServerConnection {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.inner
    }
}

/// One client connection's view of a [`ClientSessionStore`]: it offers an
/// imported session before the store's own, and remembers the newest
/// session or ticket the connection received, for export. Used by
/// [`ClientConnection`] and by the C API.
pub(crate) struct SessionRecorder {
    shared: Arc<dyn ClientSessionStore>,
    /// Offered before anything from `shared`, when its server name fits.
    imported: Mutex<Option<ClientSessionData>>,
    /// The newest session or ticket this connection received.
    received: Mutex<Option<ClientSessionData>>,
}

/// Locks `m`; a poisoned lock is taken over, since it guards a plain value
/// that is replaced whole.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl core::fmt::Debug for SessionRecorder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SessionRecorder").finish_non_exhaustive()
    }
}

impl SessionRecorder {
    /// A view of `shared` with nothing imported or received yet.
    pub(crate) fn new(shared: Arc<dyn ClientSessionStore>) -> Self {
        Self {
            shared,
            imported: Mutex::new(None),
            received: Mutex::new(None),
        }
    }

    /// Offers `data` first from now on (replacing an earlier import).
    pub(crate) fn import(&self, data: ClientSessionData) {
        *lock(&self.imported) = Some(data);
    }

    /// The newest session or ticket received, if any.
    pub(crate) fn received(&self) -> Option<ClientSessionData> {
        lock(&self.received).clone()
    }

    /// Removes and returns the imported session when it is for
    /// `server_name` and `kind` accepts it.
    fn take_imported(
        &self,
        server_name: &str,
        kind: impl Fn(&ClientSessionData) -> bool,
    ) -> Option<ClientSessionData> {
        let mut imported = lock(&self.imported);
        if imported
            .as_ref()
            .is_some_and(|d| d.server_name() == server_name && kind(d))
        {
            imported.take()
        } else {
            None
        }
    }
}

impl ClientSessionStore for SessionRecorder {
    fn put_tls12(&self, server_name: &str, session: Arc<ClientSessionTls12>) {
        *lock(&self.received) = Some(ClientSessionData::Tls12(Arc::clone(&session)));
        self.shared.put_tls12(server_name, session);
    }

    fn get_tls12(&self, server_name: &str) -> Option<Arc<ClientSessionTls12>> {
        match &*lock(&self.imported) {
            // A TLS 1.2 session may be asked for again: it stays offered.
            Some(ClientSessionData::Tls12(s)) if s.server_name == server_name => {
                return Some(Arc::clone(s))
            }
            _ => {}
        }
        self.shared.get_tls12(server_name)
    }

    fn remove_tls12(&self, server_name: &str) {
        self.take_imported(server_name, |d| matches!(d, ClientSessionData::Tls12(_)));
        self.shared.remove_tls12(server_name);
    }

    fn remove_tls12_if(&self, server_name: &str, is_it: &dyn Fn(&ClientSessionTls12) -> bool) {
        self.take_imported(
            server_name,
            |d| matches!(d, ClientSessionData::Tls12(s) if is_it(s)),
        );
        self.shared.remove_tls12_if(server_name, is_it);
    }

    fn add_tls13_ticket(&self, server_name: &str, ticket: Arc<ClientTicketTls13>) {
        *lock(&self.received) = Some(ClientSessionData::Tls13(Arc::clone(&ticket)));
        self.shared.add_tls13_ticket(server_name, ticket);
    }

    fn take_tls13_ticket(&self, server_name: &str) -> Option<Arc<ClientTicketTls13>> {
        match self.take_imported(server_name, |d| matches!(d, ClientSessionData::Tls13(_))) {
            Some(ClientSessionData::Tls13(ticket)) => Some(ticket),
            _ => self.shared.take_tls13_ticket(server_name),
        }
    }

    fn set_key_share_hint(&self, server_name: &str, group: NamedGroup) {
        self.shared.set_key_share_hint(server_name, group);
    }

    /// The store's hint, or else the group the imported ticket for
    /// `server_name` was made in (`ClientTicketTls13::key_share_group`):
    /// a session carried to a new process carries its group with it.
    fn key_share_hint(&self, server_name: &str) -> Option<NamedGroup> {
        self.shared
            .key_share_hint(server_name)
            .or_else(|| match &*lock(&self.imported) {
                Some(ClientSessionData::Tls13(t)) if t.server_name == server_name => {
                    t.key_share_group
                }
                _ => None,
            })
    }
}
