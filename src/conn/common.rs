//! The state both roles share: the record layer with its joiner and
//! buffers, the negotiated parameters, alerts, close_notify and TLS 1.3
//! KeyUpdate. The handshake state machines drive it through the
//! `pub(crate)` methods here; it never decides protocol questions.

use crate::codec::{Codec, LengthPrefix, Writer};
use crate::config::CommonConfig;
use crate::crypto::aead::{AeadAlgorithm, TAG_LEN};
use crate::error::Error;
use crate::handshake::Tls12Exporter;
use crate::keyschedule::tls13::{Exporter, TrafficSecret};
use crate::msgs::alert::Alert;
use crate::msgs::ccs::ChangeCipherSpec;
use crate::msgs::enums::{
    AlertDescription, AlertLevel, CipherSuite, ContentType, HandshakeType, KeyUpdateRequest,
    NamedGroup, ProtocolVersion,
};
use crate::msgs::handshake::HandshakeMessage;
use crate::record::{HandshakeJoiner, RecordLayer, RecordProtection, Tls13AeadProtection};
use crate::session::ClientSessionStore;
use std::sync::Arc;

/// The most KeyUpdate messages accepted in a row without application data
/// between them (design §2, "bounded everything"; RFC 8446 §4.6.3 sets no
/// number, this one stops a peer from making us rekey forever). One more
/// is [`Error::LimitExceeded`].
pub const MAX_KEY_UPDATES_WITHOUT_DATA: usize = 32;

/// The most empty application-data records accepted in a row (design §2,
/// "bounded everything"; RFC 8446 §5.4 allows them one at a time, and the
/// bound, like OpenSSL's, stops a peer from keeping us busy with nothing).
/// One more is [`Error::LimitExceeded`].
pub const MAX_CONSECUTIVE_EMPTY_RECORDS: usize = 32;

/// The most warning alerts (user_canceled, the only one TLS 1.3 does not
/// treat as fatal, RFC 8446 §6.1, and any warning-level alert of TLS ≤1.2,
/// RFC 5246 §7.2.2) accepted per connection (design §2; OpenSSL likewise
/// stops at its fifth, against CVE-2016-8610).
/// One more is [`Error::LimitExceeded`].
pub const MAX_WARNING_ALERTS: usize = 4;

/// The bytes of rejected 0-RTT plaintext a TLS 1.3 server skips when the
/// offered ticket did not unseal, so what it allowed is unknown (RFC 8446
/// §4.2.10 bounds skipping by max_early_data_size): 16 384, OpenSSL's
/// default, or the server's own `max_early_data_size` when larger, since
/// that is the most a ticket it issued allows. A skipped record over the
/// budget is `bad_record_mac`.
pub const DEFAULT_REJECTED_EARLY_DATA_SKIP: usize = 16 * 1024;

/// The dummy ChangeCipherSpec records a peer may send during a TLS 1.3
/// handshake: one, in middlebox compatibility mode (RFC 8446 §5, §D.4).
/// Another is `unexpected_message`.
pub const MAX_TLS13_CCS_RECORDS: usize = 1;

/// The most sealed bytes a connection queues for `write_tls` before a
/// write of application data is taken only partly (design §2, "bounded
/// everything"; the TLS RFCs set no number): 64 KiB, four full records.
/// Keeping the queue this small also keeps it in cache between sealing
/// and `write_tls`. A write when the queue is full is `WouldBlock`.
pub const MAX_SENDABLE_TLS: usize = 64 * 1024;

/// The records of each write key's usage limit (RFC 8446 §5.5) that
/// application data leaves unused: one for the KeyUpdate (TLS 1.3) or
/// close_notify (TLS ≤1.2) that retires the key, and room for the few
/// other records that may be sealed between two writes (a
/// NewSessionTicket, an answer to a KeyUpdate, an alert). The record layer
/// refuses any record past the limit itself.
pub const WRITE_KEY_RESERVED_RECORDS: u64 = 4;

/// Which side of the connection this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The client.
    Client,
    /// The server.
    Server,
}

/// What happened to 0-RTT data on this connection (RFC 8446 §4.2.10).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EarlyDataStatus {
    /// No early data was offered.
    #[default]
    NotOffered,
    /// Early data was offered; the server has not answered yet.
    Offered,
    /// Early data was offered and accepted.
    Accepted,
    /// Early data was offered and rejected.
    Rejected,
}

/// Parameters learnt during the handshake, read through the connection's
/// queries.
#[derive(Clone, Debug, Default)]
pub(crate) struct Negotiated {
    pub(crate) version: Option<ProtocolVersion>,
    pub(crate) cipher_suite: Option<CipherSuite>,
    pub(crate) group: Option<NamedGroup>,
    pub(crate) alpn: Option<Vec<u8>>,
    pub(crate) server_name: Option<String>,
    pub(crate) peer_certificates: Vec<Vec<u8>>,
    pub(crate) session_id: Vec<u8>,
    pub(crate) resumed: bool,
    pub(crate) resumption_requested: bool,
    pub(crate) early_data: EarlyDataStatus,
}

/// Where 0-RTT data stands on this connection (RFC 8446 §4.2.10), with
/// the bytes still allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EarlyData {
    /// None is sent or expected.
    Off,
    /// Client: early data may be written under the early key.
    Writing { remaining: usize },
    /// Server: early data was accepted and arrives under the early key.
    Accepting { remaining: usize },
    /// Server: early data was rejected; records that do not open (or, after
    /// a HelloRetryRequest, unprotected application data) are skipped.
    Skipping { remaining: usize },
}

/// The TLS 1.3 application traffic secrets, kept for KeyUpdate.
struct Tls13Traffic {
    aead: AeadAlgorithm,
    read: TrafficSecret,
    write: TrafficSecret,
}

/// Bytes reserved for the handshake output buffer when its first message
/// of a flight is queued, so that encoding a typical flight (hellos,
/// tickets, Finished; a certificate chain grows it further) needs one
/// allocation instead of one per doubling. A sizing choice, not a limit.
const HANDSHAKE_OUT_INITIAL_CAPACITY: usize = 2048;

/// Bytes reserved for the received-message buffer when the first message
/// is copied into it, so that the usual flights (a certificate chain of a
/// few kilobytes included) fit without growing it. A sizing choice, not a
/// limit; a larger message grows it.
const RECEIVED_MESSAGE_INITIAL_CAPACITY: usize = 4096;

/// One received handshake message, header included, copied out of the
/// joiner so the state machine may drive the connection while it reads.
#[derive(Debug)]
pub(crate) struct Message {
    pub(crate) typ: HandshakeType,
    pub(crate) raw: Vec<u8>,
}

impl Message {
    /// The body after the 4-byte header.
    pub(crate) fn body(&self) -> &[u8] {
        self.raw
            .get(crate::msgs::handshake::HANDSHAKE_HEADER_LEN..)
            .unwrap_or_default()
    }
}

/// The shared connection state.
pub(crate) struct CommonState {
    pub(crate) side: Side,
    record: RecordLayer,
    joiner: HandshakeJoiner,
    /// Handshake messages written but not yet sealed, so that one flight
    /// under one key goes out in as few records as possible.
    handshake_out: Vec<u8>,
    /// The allocation of the last received handshake message, given back
    /// by [`Self::recycle_message`] for the next one.
    message_buf: Vec<u8>,
    sendable_tls: Vec<u8>,
    pending_plaintext: Vec<u8>,
    max_received_plaintext: usize,
    max_pending_plaintext: usize,
    error: Option<Error>,
    /// Application data may flow both ways (the handshake is complete).
    traffic: bool,
    peer_closed: bool,
    close_sent: bool,
    eof_seen: bool,
    /// Dummy ChangeCipherSpec records may arrive now (TLS 1.3 handshake).
    pub(crate) ccs_allowed: bool,
    ccs_received: usize,
    empty_records: usize,
    warning_alerts: usize,
    key_updates_without_data: usize,
    key_update_sent_since_data: bool,
    /// TLS ≤1.2: close_notify was sent because the write key reached its
    /// usage limit; writes fail with [`Error::KeyUsageLimitReached`].
    write_key_used_up: bool,
    tls13_traffic: Option<Tls13Traffic>,
    early_data: EarlyData,
    pub(crate) exporter: Option<Exporter>,
    /// TLS ≤1.2: the RFC 5705 exporter.
    pub(crate) tls12_exporter: Option<Tls12Exporter>,
    /// TLS ≤1.2: the read protection the peer's next ChangeCipherSpec
    /// switches to (RFC 5246 §7.1).
    pending_read: Option<Box<dyn RecordProtection>>,
    pub(crate) negotiated: Negotiated,
    /// A client's view of its session store for this connection (the
    /// per-connection recorder over the configuration's store), which the
    /// client handshake reads sessions from and keeps new ones in; `None`
    /// on a server or when resumption is off.
    pub(crate) client_sessions: Option<Arc<dyn ClientSessionStore>>,
}

impl CommonState {
    pub(crate) fn new(side: Side, config: &CommonConfig) -> Self {
        Self {
            side,
            record: RecordLayer::new(),
            joiner: HandshakeJoiner::with_max_certificate_len(config.max_certificate_message_size),
            handshake_out: Vec::new(),
            message_buf: Vec::new(),
            sendable_tls: Vec::new(),
            pending_plaintext: Vec::new(),
            max_received_plaintext: config.max_received_plaintext,
            max_pending_plaintext: config.max_pending_plaintext,
            error: None,
            traffic: false,
            peer_closed: false,
            close_sent: false,
            eof_seen: false,
            ccs_allowed: false,
            ccs_received: 0,
            empty_records: 0,
            warning_alerts: 0,
            key_updates_without_data: 0,
            key_update_sent_since_data: false,
            write_key_used_up: false,
            tls13_traffic: None,
            early_data: EarlyData::Off,
            exporter: None,
            tls12_exporter: None,
            pending_read: None,
            client_sessions: None,
            negotiated: Negotiated::default(),
        }
    }

    // ---- errors ----

    /// The error that ended the connection, if any.
    pub(crate) fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// Ends the connection with `error`: the half-built flight is dropped,
    /// the error's alert (if it has one) is sent once, and every later call
    /// fails with the same error.
    pub(crate) fn fail(&mut self, error: Error) -> Error {
        if self.error.is_none() {
            self.handshake_out.clear();
            if let Some(description) = error.alert() {
                self.send_alert(AlertLevel::Fatal, description);
            }
            self.error = Some(error.clone());
        }
        error
    }

    /// Seals one alert; a failure to seal is ignored, since the connection
    /// is ending anyway.
    fn send_alert(&mut self, level: AlertLevel, description: AlertDescription) {
        let bytes = [u8::from(level), u8::from(description)];
        let _ = self
            .record
            .seal(ContentType::Alert, &bytes, &mut self.sendable_tls);
    }

    // ---- input ----

    /// Copies received bytes into the receive buffer.
    pub(crate) fn read_tls(&mut self, rd: &mut dyn std::io::Read) -> std::io::Result<usize> {
        if self.record.plaintext_len() >= self.max_received_plaintext {
            return Err(std::io::Error::other(
                "received plaintext buffer full: read it first",
            ));
        }
        let n = self.record.read_tls(rd)?;
        if n == 0 {
            self.eof_seen = true;
        }
        Ok(n)
    }

    /// Once the handshake is complete, frees the record layer's receive
    /// buffer and the joiner's buffer when no received bytes wait in them,
    /// so an idle connection holds none (the next `read_tls` or handshake
    /// record allocates again). During the handshake they are kept: its
    /// flights arrive one after another.
    pub(crate) fn release_receive_buffer_if_empty(&mut self) {
        if !self.traffic {
            return;
        }
        self.record.release_receive_buffer_if_empty();
        self.joiner.release_if_empty();
    }

    /// Opens the next record and deals with it: handshake payloads go to
    /// the joiner, alerts and ChangeCipherSpec are handled here,
    /// application data stays in the receive buffer for the reader
    /// ([`RecordLayer::keep_plaintext`]). Returns false when no whole
    /// record is buffered, the peer has closed, or the unread plaintext
    /// reached `max_received_plaintext`.
    pub(crate) fn process_one_record(&mut self) -> Result<bool, Error> {
        match self.process_record() {
            Err(Error::BadRecordMac) if matches!(self.early_data, EarlyData::Skipping { .. }) => {
                let capacity = early_data_capacity(self.record.last_record_len());
                self.skip_early_data(capacity, Error::BadRecordMac)?;
                Ok(true)
            }
            other => other,
        }
    }

    /// Skips a rejected 0-RTT record that could carry `capacity` bytes of
    /// plaintext (RFC 8446 §4.2.10), counting them against the budget and
    /// an empty one against [`MAX_CONSECUTIVE_EMPTY_RECORDS`]. Fails with
    /// `over_budget` when not skipping or when the budget is spent.
    fn skip_early_data(&mut self, capacity: usize, over_budget: Error) -> Result<(), Error> {
        match &mut self.early_data {
            EarlyData::Skipping { remaining } if *remaining >= capacity => {
                *remaining -= capacity;
                self.count_empty_record(capacity == 0)
            }
            _ => Err(over_budget),
        }
    }

    /// Counts a record with no content (`empty`) against
    /// [`MAX_CONSECUTIVE_EMPTY_RECORDS`]; one with content resets the
    /// count.
    fn count_empty_record(&mut self, empty: bool) -> Result<(), Error> {
        if !empty {
            self.empty_records = 0;
            return Ok(());
        }
        self.empty_records += 1;
        if self.empty_records > MAX_CONSECUTIVE_EMPTY_RECORDS {
            return Err(Error::LimitExceeded("consecutive empty records"));
        }
        Ok(())
    }

    fn process_record(&mut self) -> Result<bool, Error> {
        if self.peer_closed || self.record.plaintext_len() >= self.max_received_plaintext {
            return Ok(false);
        }
        let Some(record) = self.record.next_record()? else {
            return Ok(false);
        };
        match record.content_type {
            ContentType::Handshake => {
                if matches!(self.early_data, EarlyData::Skipping { .. }) {
                    // The client's next flight: no more early data.
                    self.early_data = EarlyData::Off;
                }
                self.joiner.push(record.plaintext)?
            }
            ContentType::ChangeCipherSpec => {
                ChangeCipherSpec::decode_exact(record.plaintext)?;
                if let Some(protection) = self.pending_read.take() {
                    // RFC 5246 §7.1: the new read state starts here; a
                    // handshake message may not span it.
                    if self.joiner.has_partial_message() {
                        return Err(Error::UnexpectedMessage(
                            "handshake data across ChangeCipherSpec",
                        ));
                    }
                    self.record.set_read_protection(protection);
                    return Ok(true);
                }
                if !self.ccs_allowed || self.ccs_received >= MAX_TLS13_CCS_RECORDS {
                    return Err(Error::UnexpectedMessage(
                        "ChangeCipherSpec not allowed here",
                    ));
                }
                self.ccs_received += 1;
            }
            ContentType::Alert => {
                let alert = Alert::decode_exact(record.plaintext)?;
                self.on_alert(alert)?;
            }
            ContentType::ApplicationData => {
                if !self.traffic {
                    let len = record.plaintext.len();
                    match &mut self.early_data {
                        EarlyData::Accepting { remaining } => {
                            *remaining = remaining
                                .checked_sub(len)
                                .ok_or(Error::UnexpectedMessage("more early data than allowed"))?;
                            self.record.keep_plaintext()?;
                            return Ok(true);
                        }
                        // After a HelloRetryRequest no key opens the
                        // client's 0-RTT records: they arrive as
                        // unprotected application data.
                        EarlyData::Skipping { .. } if !record.protected => {
                            self.skip_early_data(
                                early_data_capacity(len),
                                Error::UnexpectedMessage("more early data than allowed"),
                            )?;
                            return Ok(true);
                        }
                        _ => {
                            return Err(Error::UnexpectedMessage(
                                "application data before the handshake completed",
                            ))
                        }
                    }
                }
                if self.joiner.has_partial_message() {
                    return Err(Error::UnexpectedMessage(
                        "application data inside a fragmented handshake message",
                    ));
                }
                let empty = record.plaintext.is_empty();
                self.count_empty_record(empty)?;
                if empty {
                    return Ok(true);
                }
                self.key_updates_without_data = 0;
                self.record.keep_plaintext()?;
            }
            _ => {
                return Err(Error::UnexpectedMessage(
                    "record of an unknown content type",
                ))
            }
        }
        Ok(true)
    }

    /// Handles a received alert (RFC 8446 §6): close_notify closes the
    /// read side (and in TLS ≤1.2 the whole connection, see
    /// [`Self::close_after_peer`]), user_canceled (and in TLS ≤1.2 any
    /// warning-level alert) is counted and ignored, anything else ends
    /// the connection.
    fn on_alert(&mut self, alert: Alert) -> Result<(), Error> {
        match alert.description {
            AlertDescription::CloseNotify => {
                self.peer_closed = true;
                if self.negotiated.version != Some(ProtocolVersion::TLSv1_3) {
                    self.close_after_peer();
                }
                Ok(())
            }
            // RFC 5246 §7.2.2: in TLS ≤1.2 a warning alert (such as
            // no_renegotiation, a peer refusing to renegotiate) leaves the
            // connection open. They are counted, as OpenSSL does since
            // CVE-2016-8610 ("SSL Death Alert"): a peer cannot keep us busy
            // with them. TLS 1.3 treats every alert but close_notify and
            // user_canceled as an error whatever its level (RFC 8446 §6).
            _ if alert.level == AlertLevel::Warning
                && self.negotiated.version != Some(ProtocolVersion::TLSv1_3) =>
            {
                self.count_warning_alert()
            }
            AlertDescription::UserCanceled => self.count_warning_alert(),
            description => Err(Error::AlertReceived(description)),
        }
    }

    /// TLS ≤1.2 (and before a version is settled): the peer's close_notify
    /// is answered with ours at once, and pending writes are discarded
    /// (RFC 5246 §7.2.1): application data buffered during the handshake
    /// and a half-built flight. Records already sealed for `write_tls`
    /// still go out before our close_notify: dropping them would leave a
    /// gap in the record sequence numbers (and, under TLS 1.0 CBC, in the
    /// IV chain) that the peer's MAC check would refuse. Nothing is sent
    /// or read after it. TLS 1.3 keeps the write side open instead
    /// (RFC 8446 §6.1).
    fn close_after_peer(&mut self) {
        if self.close_sent {
            return;
        }
        self.pending_plaintext = Vec::new();
        self.handshake_out.clear();
        self.close_sent = true;
        self.send_alert(AlertLevel::Warning, AlertDescription::CloseNotify);
    }

    /// Counts an ignored warning alert against [`MAX_WARNING_ALERTS`].
    fn count_warning_alert(&mut self) -> Result<(), Error> {
        self.warning_alerts += 1;
        if self.warning_alerts > MAX_WARNING_ALERTS {
            return Err(Error::LimitExceeded("warning alerts"));
        }
        Ok(())
    }

    /// The next whole handshake message, copied out of the joiner into
    /// the buffer the previous message gave back ([`Self::recycle_message`]),
    /// so a handshake allocates for its received messages once or twice,
    /// not once each. Once the handshake is complete the buffer is freed
    /// whenever no whole message is left (an established connection holds
    /// none for the rare post-handshake messages).
    pub(crate) fn next_handshake_message(&mut self) -> Result<Option<Message>, Error> {
        let Some(m) = self.joiner.next_message()? else {
            if self.traffic {
                self.message_buf = Vec::new();
            }
            return Ok(None);
        };
        let mut raw = std::mem::take(&mut self.message_buf);
        raw.clear();
        if raw.capacity() == 0 {
            raw.reserve(m.raw.len().max(RECEIVED_MESSAGE_INITIAL_CAPACITY));
        }
        raw.extend_from_slice(m.raw);
        Ok(Some(Message { typ: m.typ, raw }))
    }

    /// Takes back the buffer of a handled message for the next one.
    pub(crate) fn recycle_message(&mut self, message: Message) {
        self.message_buf = message.raw;
    }

    // ---- output ----

    /// Queues a handshake message for sending and returns its encoding
    /// (header included) for the transcript.
    ///
    /// The message is encoded straight into the queued output, so no
    /// per-message buffer is allocated; the returned slice borrows it.
    /// [`Error::EncodeOverflow`] when a field is too long for its length
    /// prefix (the queued output is then discarded: the error is fatal).
    pub(crate) fn send_handshake(&mut self, message: &HandshakeMessage) -> Result<&[u8], Error> {
        self.send_handshake_mut(message).map(|sent| &*sent)
    }

    /// [`Self::send_handshake`], returning the queued encoding mutably so
    /// a field that depends on the encoding itself (the PSK binders of a
    /// ClientHello, RFC 8446 §4.2.11.2) can be filled in place before the
    /// flight is sealed.
    pub(crate) fn send_handshake_mut(
        &mut self,
        message: &HandshakeMessage,
    ) -> Result<&mut [u8], Error> {
        if self.handshake_out.capacity() == 0 {
            self.handshake_out.reserve(HANDSHAKE_OUT_INITIAL_CAPACITY);
        }
        let start = self.handshake_out.len();
        let mut w = Writer::with_buffer(std::mem::take(&mut self.handshake_out));
        message.encode(&mut w);
        self.handshake_out = w.finish()?;
        Ok(self.handshake_out.get_mut(start..).unwrap_or_default())
    }

    /// Seals the queued handshake messages under the current write key.
    pub(crate) fn flush_handshake(&mut self) -> Result<(), Error> {
        if self.handshake_out.is_empty() {
            return Ok(());
        }
        let sealed = self.record.seal(
            ContentType::Handshake,
            &self.handshake_out,
            &mut self.sendable_tls,
        );
        if self.traffic {
            // Post-handshake messages (tickets, KeyUpdate) are rare: an
            // established connection holds no buffer for them.
            self.handshake_out = Vec::new();
        } else {
            // Cleared, not freed: the next flight reuses the allocation
            // (it is freed when the handshake ends, see `start_traffic`).
            self.handshake_out.clear();
        }
        sealed
    }

    /// Sends the dummy ChangeCipherSpec of middlebox compatibility mode
    /// (RFC 8446 §D.4), unprotected.
    pub(crate) fn send_dummy_ccs(&mut self) -> Result<(), Error> {
        self.flush_handshake()?;
        // Written straight behind the queued records: header, then body.
        let mut w = Writer::with_buffer(std::mem::take(&mut self.sendable_tls));
        w.u8(u8::from(ContentType::ChangeCipherSpec));
        w.u16(u16::from(ProtocolVersion::TLSv1_2));
        w.scope(LengthPrefix::U16, |w| ChangeCipherSpec.encode(w));
        self.sendable_tls = w.finish()?;
        Ok(())
    }

    /// Sets the version field of outgoing record headers (0x0301 for a
    /// first ClientHello, RFC 8446 §5.1).
    pub(crate) fn set_record_version(&mut self, version: ProtocolVersion) {
        self.record.set_write_version(version);
    }

    /// TLS ≤ 1.2 is negotiated: records go out, and must come in, with
    /// `version` in their header (RFC 5246 §6.2.1, Appendix E.1).
    pub(crate) fn set_negotiated_record_version(&mut self, version: ProtocolVersion) {
        self.record.set_write_version(version);
        self.record.set_negotiated_version(version);
    }

    /// Installs TLS 1.3 read protection from `secret` (RFC 8446 §7.3). A
    /// handshake message left over from under the old key is
    /// `unexpected_message` (RFC 8446 §5.1: messages never span a key
    /// change).
    pub(crate) fn set_tls13_read_key(
        &mut self,
        aead: AeadAlgorithm,
        secret: &TrafficSecret,
    ) -> Result<(), Error> {
        self.install_tls13_read_key(tls13_protection(aead, secret)?)
    }

    /// [`Self::set_tls13_read_key`] for a server's first protected read
    /// key (the client's handshake traffic secret, no 0-RTT accepted):
    /// until a record opens under it, a plaintext alert from a client
    /// that could not go on after our ServerHello is still read
    /// ([`Tls13AeadProtection::allowing_plaintext_alerts`]).
    pub(crate) fn set_tls13_first_read_key(
        &mut self,
        aead: AeadAlgorithm,
        secret: &TrafficSecret,
    ) -> Result<(), Error> {
        self.install_tls13_read_key(tls13_protection(aead, secret)?.allowing_plaintext_alerts())
    }

    fn install_tls13_read_key(&mut self, protection: Tls13AeadProtection) -> Result<(), Error> {
        if self.joiner.has_partial_message() {
            return Err(Error::UnexpectedMessage(
                "handshake data across a key change",
            ));
        }
        self.record.set_read_protection(Box::new(protection));
        self.record.set_negotiated_version(ProtocolVersion::TLSv1_3);
        Ok(())
    }

    /// Seals what is queued under the old key, then installs TLS 1.3 write
    /// protection from `secret`.
    pub(crate) fn set_tls13_write_key(
        &mut self,
        aead: AeadAlgorithm,
        secret: &TrafficSecret,
    ) -> Result<(), Error> {
        self.flush_handshake()?;
        self.record
            .set_write_protection(Box::new(tls13_protection(aead, secret)?));
        Ok(())
    }

    /// Client: 0-RTT data may now be written, up to `max` bytes, under the
    /// early write key just installed.
    pub(crate) fn start_early_data_writes(&mut self, max: usize) {
        self.early_data = EarlyData::Writing { remaining: max };
        self.negotiated.early_data = EarlyDataStatus::Offered;
    }

    /// Server: accepted 0-RTT data, up to `max` bytes, will arrive under
    /// the early read key just installed.
    pub(crate) fn accept_early_data(&mut self, max: usize) {
        self.early_data = EarlyData::Accepting { remaining: max };
        self.negotiated.early_data = EarlyDataStatus::Accepted;
    }

    /// Server: offered 0-RTT data was rejected; up to `max` bytes of it
    /// are skipped (RFC 8446 §4.2.10).
    pub(crate) fn skip_rejected_early_data(&mut self, max: usize) {
        self.early_data = EarlyData::Skipping { remaining: max };
        self.negotiated.early_data = EarlyDataStatus::Rejected;
    }

    /// No more 0-RTT data: the server answered (client), or EndOfEarlyData
    /// arrived (server). `accepted` records the outcome.
    pub(crate) fn end_early_data(&mut self, accepted: bool) {
        if !matches!(self.early_data, EarlyData::Skipping { .. }) {
            self.early_data = EarlyData::Off;
        }
        if self.negotiated.early_data == EarlyDataStatus::Offered {
            self.negotiated.early_data = if accepted {
                EarlyDataStatus::Accepted
            } else {
                EarlyDataStatus::Rejected
            };
        }
    }

    /// Client: seals up to the remaining 0-RTT allowance of `data` under
    /// the early key and returns how much was taken.
    pub(crate) fn write_early_data(&mut self, data: &[u8]) -> Result<usize, Error> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let EarlyData::Writing { remaining } = &mut self.early_data else {
            return Err(Error::InvalidRequest("0-RTT data cannot be sent now"));
        };
        let taken = data.get(..data.len().min(*remaining)).unwrap_or_default();
        *remaining -= taken.len();
        self.record
            .seal(ContentType::ApplicationData, taken, &mut self.sendable_tls)?;
        Ok(taken.len())
    }

    /// Goes back to unprotected writing (a client's second ClientHello
    /// after 0-RTT was offered, RFC 8446 §4.1.4).
    pub(crate) fn set_plaintext_write(&mut self) -> Result<(), Error> {
        self.flush_handshake()?;
        self.record
            .set_write_protection(Box::new(crate::record::NullProtection));
        Ok(())
    }

    /// The handshake is complete: application data may flow, and data the
    /// application wrote early is sent. `read`/`write` are this side's
    /// application traffic secrets, kept for KeyUpdate.
    pub(crate) fn start_tls13_traffic(
        &mut self,
        aead: AeadAlgorithm,
        read: TrafficSecret,
        write: TrafficSecret,
    ) -> Result<(), Error> {
        self.tls13_traffic = Some(Tls13Traffic { aead, read, write });
        self.start_traffic()
    }

    fn start_traffic(&mut self) -> Result<(), Error> {
        self.flush_handshake()?;
        self.handshake_out = Vec::new();
        self.traffic = true;
        self.ccs_allowed = false;
        let pending = core::mem::take(&mut self.pending_plaintext);
        self.send_application_data(&pending).map(drop)
    }

    /// Seals application data while fewer than [`MAX_SENDABLE_TLS`] sealed
    /// bytes wait for `write_tls`, or buffers it (up to the bound) while
    /// the handshake runs. Returns how many bytes were taken (0 when the
    /// queue or the buffer is full).
    pub(crate) fn write_plaintext(&mut self, data: &[u8]) -> Result<usize, Error> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        if self.write_key_used_up {
            return Err(Error::KeyUsageLimitReached);
        }
        if self.peer_closed && self.negotiated.version != Some(ProtocolVersion::TLSv1_3) {
            return Err(Error::InvalidRequest(
                "the peer closed the connection with close_notify: TLS 1.2 and below \
                 send nothing after it (RFC 5246 §7.2.1)",
            ));
        }
        if self.close_sent {
            return Err(Error::InvalidRequest("write after close_notify"));
        }
        if self.traffic {
            let room = MAX_SENDABLE_TLS.saturating_sub(self.sendable_tls.len());
            let taken = data.get(..room.min(data.len())).unwrap_or_default();
            let sent = self.send_application_data(taken)?;
            if sent == 0 && self.write_key_used_up {
                return Err(Error::KeyUsageLimitReached);
            }
            return Ok(sent);
        }
        let room = self
            .max_pending_plaintext
            .saturating_sub(self.pending_plaintext.len());
        let taken = data.get(..room.min(data.len())).unwrap_or_default();
        self.pending_plaintext.extend_from_slice(taken);
        Ok(taken.len())
    }

    /// TLS 1.0 with a CBC suite: splits application data 1/n−1 from now
    /// on (BEAST defence, see
    /// [`RecordLayer::set_split_application_data`]).
    pub(crate) fn split_application_data(&mut self) {
        self.record.set_split_application_data(true);
    }

    /// Seals `data` as application data, retiring the write key whenever
    /// it nears its usage limit ([`Self::retire_write_key`]), and returns
    /// how much was sealed: all of it, unless a TLS ≤1.2 key ran out
    /// first.
    fn send_application_data(&mut self, data: &[u8]) -> Result<usize, Error> {
        let mut sent = 0;
        let mut just_retired = false;
        while let Some(rest) = data.get(sent..).filter(|rest| !rest.is_empty()) {
            let room = self.record.sealable_len(WRITE_KEY_RESERVED_RECORDS);
            if room == 0 {
                if just_retired {
                    // A fresh key with no room: a limit within the reserve.
                    return Err(Error::KeyUsageLimitReached);
                }
                if !self.retire_write_key()? {
                    break;
                }
                just_retired = true;
                continue;
            }
            let chunk = rest.get(..room.min(rest.len())).unwrap_or_default();
            self.record
                .seal(ContentType::ApplicationData, chunk, &mut self.sendable_tls)?;
            sent += chunk.len();
            just_retired = false;
            self.key_update_sent_since_data = false;
        }
        Ok(sent)
    }

    /// Retires a write key that nears its usage limit (RFC 8446 §5.5; RFC
    /// 9846 §5.5: a key update or a close before the limit is a MUST).
    /// TLS 1.3 sends a KeyUpdate (update_not_requested) and goes on under
    /// the next key; TLS ≤1.2, which has no rekeying but renegotiation
    /// (refused here), sends close_notify and refuses further writes.
    /// Returns whether writing may go on.
    fn retire_write_key(&mut self) -> Result<bool, Error> {
        if self.tls13_traffic.is_some() {
            self.send_key_update(KeyUpdateRequest::UpdateNotRequested)?;
            return Ok(true);
        }
        self.send_close_notify();
        self.write_key_used_up = true;
        Ok(false)
    }

    /// Sends close_notify once (RFC 8446 §6.1); later writes are refused.
    pub(crate) fn send_close_notify(&mut self) {
        if !self.close_sent && self.error.is_none() {
            let _ = self.flush_handshake();
            self.close_sent = true;
            self.send_alert(AlertLevel::Warning, AlertDescription::CloseNotify);
        }
    }

    /// Abandons the handshake: user_canceled, then close_notify
    /// (RFC 8446 §6.1).
    pub(crate) fn send_user_canceled(&mut self) {
        if !self.close_sent && self.error.is_none() {
            self.handshake_out.clear();
            self.send_alert(AlertLevel::Warning, AlertDescription::UserCanceled);
            self.send_close_notify();
        }
    }

    // ---- TLS 1.0–1.2 (RFC 5246 §7.1) ----

    /// The peer's next ChangeCipherSpec switches reading to `protection`;
    /// until then, a ChangeCipherSpec is accepted nowhere else.
    pub(crate) fn expect_ccs(&mut self, protection: Box<dyn RecordProtection>) {
        self.ccs_allowed = false;
        self.pending_read = Some(protection);
    }

    /// Whether the ChangeCipherSpec announced by [`Self::expect_ccs`] has
    /// not arrived yet: a Finished now is `unexpected_message`.
    pub(crate) fn ccs_pending(&self) -> bool {
        self.pending_read.is_some()
    }

    /// Seals what is queued, sends ChangeCipherSpec and switches writing
    /// to `protection`.
    pub(crate) fn send_ccs(&mut self, protection: Box<dyn RecordProtection>) -> Result<(), Error> {
        self.flush_handshake()?;
        let bytes = ChangeCipherSpec.to_bytes()?;
        self.record.seal(
            ContentType::ChangeCipherSpec,
            &bytes,
            &mut self.sendable_tls,
        )?;
        self.record.set_write_protection(protection);
        Ok(())
    }

    /// The TLS ≤1.2 handshake is complete: application data may flow.
    pub(crate) fn start_tls12_traffic(&mut self) -> Result<(), Error> {
        self.start_traffic()
    }

    /// Sends a warning alert (RFC 5246 §7.2), e.g. no_renegotiation.
    pub(crate) fn send_warning(&mut self, description: AlertDescription) -> Result<(), Error> {
        self.flush_handshake()?;
        self.send_alert(AlertLevel::Warning, description);
        Ok(())
    }

    // ---- TLS 1.3 KeyUpdate (RFC 8446 §4.6.3) ----

    /// Handles a received KeyUpdate: the read key moves to the next
    /// generation; an update_requested is answered with one KeyUpdate of
    /// our own unless we already sent one and no data since (a silent
    /// side answers several requests once).
    pub(crate) fn receive_key_update(&mut self, request: KeyUpdateRequest) -> Result<(), Error> {
        self.key_updates_without_data += 1;
        if self.key_updates_without_data > MAX_KEY_UPDATES_WITHOUT_DATA {
            return Err(Error::LimitExceeded("KeyUpdates without application data"));
        }
        let traffic = self.tls13_traffic.as_mut().ok_or(Error::UnexpectedMessage(
            "KeyUpdate before the handshake completed",
        ))?;
        let next = traffic.read.next()?;
        let aead = traffic.aead;
        self.set_tls13_read_key(aead, &next)?;
        if let Some(traffic) = self.tls13_traffic.as_mut() {
            traffic.read = next;
        }
        if request == KeyUpdateRequest::UpdateRequested && !self.key_update_sent_since_data {
            self.send_key_update(KeyUpdateRequest::UpdateNotRequested)?;
        }
        Ok(())
    }

    /// Sends a KeyUpdate and moves the write key to the next generation.
    pub(crate) fn send_key_update(&mut self, request: KeyUpdateRequest) -> Result<(), Error> {
        let Some(traffic) = self.tls13_traffic.as_ref() else {
            return Err(Error::InvalidRequest(
                "KeyUpdate needs a completed TLS 1.3 handshake",
            ));
        };
        let next = traffic.write.next()?;
        let aead = traffic.aead;
        self.send_handshake(&HandshakeMessage::KeyUpdate(request))?;
        self.set_tls13_write_key(aead, &next)?;
        if let Some(traffic) = self.tls13_traffic.as_mut() {
            traffic.write = next;
        }
        self.key_update_sent_since_data = true;
        Ok(())
    }

    // ---- queries ----

    pub(crate) fn is_traffic(&self) -> bool {
        self.traffic
    }

    pub(crate) fn peer_closed(&self) -> bool {
        self.peer_closed
    }

    pub(crate) fn wants_write(&self) -> bool {
        !self.sendable_tls.is_empty()
    }

    pub(crate) fn wants_read(&self) -> bool {
        self.error.is_none()
            && !self.peer_closed
            && !self.eof_seen
            && self.record.plaintext_len() < self.max_received_plaintext
    }

    pub(crate) fn received_plaintext_len(&self) -> usize {
        self.record.plaintext_len()
    }

    pub(crate) fn sendable_tls_len(&self) -> usize {
        self.sendable_tls.len()
    }

    /// Writes buffered records to `wr` and drops what was written.
    pub(crate) fn write_tls(&mut self, wr: &mut dyn std::io::Write) -> std::io::Result<usize> {
        if self.sendable_tls.is_empty() {
            return Ok(0);
        }
        let n = wr.write(&self.sendable_tls)?;
        self.sendable_tls.drain(..n.min(self.sendable_tls.len()));
        Ok(n)
    }

    /// Copies received plaintext into `buf`, straight out of the receive
    /// buffer where its records were opened (std::io::Read semantics: 0
    /// only at a clean close_notify).
    pub(crate) fn read_plaintext(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.record.plaintext_len() > 0 {
            let n = self.record.read_plaintext(buf);
            if self.record.plaintext_len() == 0 {
                // Read empty: an idle connection holds no receive buffer.
                self.release_receive_buffer_if_empty();
            }
            return Ok(n);
        }
        if self.peer_closed {
            return Ok(0);
        }
        if let Some(error) = &self.error {
            return Err(std::io::Error::other(error.clone()));
        }
        if self.eof_seen {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "peer closed the transport without close_notify",
            ));
        }
        Err(std::io::ErrorKind::WouldBlock.into())
    }
}

/// The most plaintext a TLS 1.3 protected record whose fragment is
/// `fragment_len` bytes can carry: the fragment less the AEAD tag and the
/// inner content-type byte (RFC 8446 §5.2; every TLS 1.3 AEAD here has a
/// 16-byte tag). A rejected 0-RTT record counts this much against the
/// budget, so a client sending exactly `max_early_data_size` bytes of
/// plaintext fits it (RFC 8446 §4.2.10 counts plaintext).
fn early_data_capacity(fragment_len: usize) -> usize {
    fragment_len.saturating_sub(TAG_LEN + 1)
}

/// TLS 1.3 record protection for one direction from a traffic secret.
fn tls13_protection(
    aead: AeadAlgorithm,
    secret: &TrafficSecret,
) -> Result<Tls13AeadProtection, Error> {
    secret.with_keys(aead.key_len(), |key, iv| {
        Tls13AeadProtection::new(aead, key, iv)
    })
}
