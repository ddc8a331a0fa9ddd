//! The send path: handshake messages, ChangeCipherSpec, alerts and
//! application data, protected and queued for `write_tls`.

use super::{
    CommonState, EarlyData, HANDSHAKE_OUT_INITIAL_CAPACITY, MAX_KEY_UPDATES_SENT, MAX_SENDABLE_TLS,
    SENDABLE_TLS_HANDSHAKE_CAPACITY, WRITE_KEY_RESERVED_RECORDS,
};
use crate::codec::{Codec, LengthPrefix, Writer};
use crate::error::{Error, InvalidRequestReason};
use crate::msgs::ccs::{ChangeCipherSpec, CHANGE_CIPHER_SPEC_VALUE};
use crate::msgs::enums::{
    AlertDescription, AlertLevel, ContentType, KeyUpdateRequest, ProtocolVersion,
};
use crate::msgs::handshake::HandshakeMessage;
use crate::observer::MessageDirection;
use crate::record::RecordProtection;

impl CommonState {
    /// Seals one alert; a failure to seal is ignored, since the connection
    /// is ending anyway.
    pub(super) fn send_alert(&mut self, level: AlertLevel, description: AlertDescription) {
        let bytes = [u8::from(level), u8::from(description)];
        let _ = self
            .record
            .seal(ContentType::Alert, &bytes, &mut self.sendable_tls);
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
        self.observe(MessageDirection::Sent, message.handshake_type());
        Ok(self.handshake_out.get_mut(start..).unwrap_or_default())
    }

    /// Seals the queued handshake messages under the current write key.
    pub(crate) fn flush_handshake(&mut self) -> Result<(), Error> {
        if self.handshake_out.is_empty() {
            return Ok(());
        }
        if !self.traffic && self.sendable_tls.capacity() == 0 {
            self.sendable_tls.reserve(SENDABLE_TLS_HANDSHAKE_CAPACITY);
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

    /// Client: seals up to the remaining 0-RTT allowance of `data` under
    /// the early key and returns how much was taken.
    pub(crate) fn write_early_data(&mut self, data: &[u8]) -> Result<usize, Error> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let EarlyData::Writing { remaining } = &mut self.early_data else {
            return Err(Error::InvalidRequest(InvalidRequestReason::EarlyDataNotNow));
        };
        let taken = data.get(..data.len().min(*remaining)).unwrap_or_default();
        *remaining -= taken.len();
        self.record
            .seal(ContentType::ApplicationData, taken, &mut self.sendable_tls)?;
        Ok(taken.len())
    }

    /// Seals application data while fewer than [`MAX_SENDABLE_TLS`] sealed
    /// bytes wait for `write_tls`, or buffers it (up to the bound) while
    /// the handshake runs. Returns how many bytes were taken (0 when the
    /// queue or the buffer is full).
    pub(crate) fn write_plaintext(&mut self, data: &[u8]) -> Result<usize, Error> {
        self.check_writable()?;
        if !self.sends_application_data() {
            return Ok(self.buffer_pending_plaintext(data));
        }
        let room = MAX_SENDABLE_TLS.saturating_sub(self.sendable_tls.len());
        let taken = data.get(..room.min(data.len())).unwrap_or_default();
        let sent = self.seal_application_data(taken)?;
        self.writer_streaming = sent < data.len();
        Ok(sent)
    }

    /// [`Self::write_plaintext`] with the application's buffer as the
    /// queue: the records waiting for `write_tls` move onto the end of
    /// `out`, then, once the handshake is complete, all of `data` is
    /// sealed straight behind them (a TLS ≤ 1.2 key used up stops it, as
    /// in `write_plaintext`); before, `data` is buffered as
    /// `write_plaintext` buffers it. Returns how much of `data` was
    /// taken.
    pub(crate) fn write_plaintext_into(
        &mut self,
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<usize, Error> {
        self.check_writable()?;
        out.append(&mut self.sendable_tls);
        if !self.sends_application_data() {
            return Ok(self.buffer_pending_plaintext(data));
        }
        // While sealing, `out` is the queue: whatever else is sealed on
        // the way (the KeyUpdate that retires a worn-out key, RFC 8446
        // §5.5) lands in it in order, and no record is copied twice.
        std::mem::swap(out, &mut self.sendable_tls);
        let sealed = self.seal_application_data(data);
        std::mem::swap(out, &mut self.sendable_tls);
        self.writer_streaming = false;
        self.release_send_queue_if_empty();
        sealed
    }

    /// Whether application data is sealed as it is written: once the
    /// handshake is complete, or when it may go before the peer's Finished
    /// (half-RTT data, False Start); before, it is buffered.
    pub(crate) fn sends_application_data(&self) -> bool {
        self.traffic || self.writes_before_peer_finished
    }

    /// Refuses application data the connection can no longer send: after
    /// a failure, once a TLS ≤ 1.2 write key is used up, after our
    /// close_notify, and under TLS ≤ 1.2 after the peer's (RFC 5246
    /// §7.2.1; a TLS 1.3 connection may go on writing, RFC 8446 §6.1).
    fn check_writable(&self) -> Result<(), Error> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        if self.write_key_used_up {
            return Err(Error::KeyUsageLimitReached);
        }
        if self.peer_closed && self.negotiated.version != Some(ProtocolVersion::TLSv1_3) {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::WriteAfterPeerClose,
            ));
        }
        if self.close_sent {
            return Err(Error::InvalidRequest(InvalidRequestReason::WriteAfterClose));
        }
        Ok(())
    }

    /// Buffers application data written while the handshake runs, up to
    /// `Limits::max_pending_plaintext`; returns how much was taken.
    fn buffer_pending_plaintext(&mut self, data: &[u8]) -> usize {
        let room = self
            .limits
            .max_pending_plaintext
            .saturating_sub(self.pending_plaintext.len());
        let taken = data.get(..room.min(data.len())).unwrap_or_default();
        self.pending_plaintext.extend_from_slice(taken);
        taken.len()
    }

    /// [`Self::send_application_data`] for a write of the application:
    /// a write that a used-up TLS ≤ 1.2 key left wholly unsent fails
    /// with [`Error::KeyUsageLimitReached`].
    fn seal_application_data(&mut self, data: &[u8]) -> Result<usize, Error> {
        let sent = self.send_application_data(data)?;
        if sent == 0 && self.write_key_used_up {
            return Err(Error::KeyUsageLimitReached);
        }
        Ok(sent)
    }

    /// TLS 1.0 with a CBC suite: splits application data 1/n−1 from now
    /// on (BEAST defence, see
    /// [`RecordLayer::set_split_application_data`](crate::record::RecordLayer::set_split_application_data)).
    pub(crate) fn split_application_data(&mut self) {
        self.record.set_split_application_data(true);
    }

    /// Seals `data` as application data, retiring the write key whenever
    /// it nears its usage limit ([`Self::retire_write_key`]), and returns
    /// how much was sealed: all of it, unless a TLS ≤1.2 key ran out
    /// first.
    pub(super) fn send_application_data(&mut self, data: &[u8]) -> Result<usize, Error> {
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
            // A record that cannot be sealed (no randomness for an IV, a
            // sequence number or key at its end) may leave sequence
            // numbers spent on records that never went out: nothing more
            // can be sent in order, so the connection ends (RFC 8446 §6.2
            // internal_error, RFC 5246 §6.1 for sequence numbers).
            if let Err(error) =
                self.record
                    .seal(ContentType::ApplicationData, chunk, &mut self.sendable_tls)
            {
                return Err(self.fail(error));
            }
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
    /// (refused here), and TLS 1.3 at [`MAX_KEY_UPDATES_SENT`], send
    /// close_notify and refuse further writes.
    /// Returns whether writing may go on.
    pub(super) fn retire_write_key(&mut self) -> Result<bool, Error> {
        if self.may_send_key_update() {
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

    /// Seals what is queued, sends ChangeCipherSpec and switches writing
    /// to `protection`.
    pub(crate) fn send_ccs(&mut self, protection: Box<dyn RecordProtection>) -> Result<(), Error> {
        self.flush_handshake()?;
        self.record.seal(
            ContentType::ChangeCipherSpec,
            &[CHANGE_CIPHER_SPEC_VALUE],
            &mut self.sendable_tls,
        )?;
        self.record.set_write_protection(protection);
        Ok(())
    }

    /// Sends a warning alert (RFC 5246 §7.2), e.g. no_renegotiation.
    pub(crate) fn send_warning(&mut self, description: AlertDescription) -> Result<(), Error> {
        self.flush_handshake()?;
        self.send_alert(AlertLevel::Warning, description);
        Ok(())
    }

    /// Sends a KeyUpdate and moves the write key to the next generation.
    /// While an earlier update_requested of ours is unanswered, a new
    /// request goes out as update_not_requested: RFC 9846 §4.6.3 forbids
    /// a second request before the peer's KeyUpdate, which will answer
    /// the first.
    pub(crate) fn send_key_update(&mut self, request: KeyUpdateRequest) -> Result<(), Error> {
        let Some(traffic) = self.tls13_traffic.as_ref() else {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::KeyUpdateBeforeHandshake,
            ));
        };
        if !self.may_send_key_update() {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::KeyUpdateLimitReached,
            ));
        }
        let next = traffic.write.next()?;
        let aead = traffic.aead;
        let request = match request {
            KeyUpdateRequest::UpdateRequested if self.key_update_request_pending => {
                KeyUpdateRequest::UpdateNotRequested
            }
            request => request,
        };
        self.send_handshake(&HandshakeMessage::KeyUpdate(request))?;
        if request == KeyUpdateRequest::UpdateRequested {
            self.key_update_request_pending = true;
        }
        self.set_tls13_write_key(aead, &next)?;
        if let Some(traffic) = self.tls13_traffic.as_mut() {
            traffic.write = next;
            traffic.updates_sent += 1;
        }
        self.key_update_sent_since_data = true;
        Ok(())
    }

    /// Whether a TLS 1.3 connection may send another KeyUpdate: it has
    /// sent fewer than [`MAX_KEY_UPDATES_SENT`].
    pub(super) fn may_send_key_update(&self) -> bool {
        self.tls13_traffic
            .as_ref()
            .is_some_and(|t| t.updates_sent < key_update_cap())
    }

    /// Writes buffered records to `wr` and drops what was written; the
    /// queue's allocation goes with the last byte written once the
    /// handshake is complete ([`Self::release_send_queue_if_empty`]).
    /// During the handshake it is kept for the next flight.
    pub(crate) fn write_tls(&mut self, wr: &mut dyn std::io::Write) -> std::io::Result<usize> {
        if self.sendable_tls.is_empty() {
            return Ok(0);
        }
        let n = wr.write(&self.sendable_tls)?;
        self.sendable_tls.drain(..n.min(self.sendable_tls.len()));
        self.release_send_queue_if_empty();
        Ok(n)
    }

    /// Once the handshake is complete, frees the sealed-record queue's
    /// allocation when it holds nothing and the application is not
    /// streaming ([`CommonState::writer_streaming`]), so an idle
    /// connection holds none; the next record sealed allocates again.
    pub(super) fn release_send_queue_if_empty(&mut self) {
        if self.sendable_tls.is_empty() && self.traffic && !self.writer_streaming {
            self.sendable_tls = Vec::new();
        }
    }
}

/// [`MAX_KEY_UPDATES_SENT`], or what a unit test lowered it to with
/// `lower_key_update_cap_in_this_thread` so that the cap is reached
/// after a few KeyUpdates instead of 2^48.
fn key_update_cap() -> u64 {
    #[cfg(test)]
    if let Some(cap) = LOWERED_KEY_UPDATE_CAP.with(std::cell::Cell::get) {
        return cap;
    }
    MAX_KEY_UPDATES_SENT
}

#[cfg(test)]
thread_local! {
    static LOWERED_KEY_UPDATE_CAP: std::cell::Cell<Option<u64>> = const { std::cell::Cell::new(None) };
}

/// Lowers the KeyUpdate cap for connections in this thread (unit tests
/// only; each test runs in its own thread).
#[cfg(test)]
pub(crate) fn lower_key_update_cap_in_this_thread(cap: u64) {
    LOWERED_KEY_UPDATE_CAP.with(|lowered| lowered.set(Some(cap)));
}
