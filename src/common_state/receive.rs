//! The receive path: bytes in, records opened and dispatched (handshake
//! messages to the joiner, alerts, ChangeCipherSpec, application data),
//! received plaintext out.

use super::{
    CommonState, EarlyData, ReceivedHandshake, MAX_TLS13_CCS_RECORDS,
    RECEIVED_MESSAGE_INITIAL_CAPACITY,
};
use crate::codec::Codec;
use crate::crypto::aead::TAG_LEN;
use crate::error::{Error, LimitExceededReason, UnexpectedMessageReason};
use crate::msgs::alert::Alert;
use crate::msgs::ccs::ChangeCipherSpec;
use crate::msgs::enums::{
    AlertDescription, AlertLevel, ContentType, KeyUpdateRequest, ProtocolVersion,
};
use crate::observer::MessageDirection;

impl CommonState {
    // ---- input ----

    /// Copies received bytes into the receive buffer.
    pub(crate) fn read_tls(&mut self, rd: &mut dyn std::io::Read) -> std::io::Result<usize> {
        if self.record.plaintext_len() >= self.limits.max_received_plaintext {
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

    /// How many more bytes complete the record being received (see
    /// [`crate::record::Deframer::missing_len`]).
    pub(crate) fn missing_record_len(&self) -> usize {
        self.record.missing_len()
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
    /// ([`RecordLayer::keep_plaintext`](crate::record::RecordLayer::keep_plaintext)). Returns false when no whole
    /// record is buffered, the peer has closed, or the unread plaintext
    /// reached `Limits::max_received_plaintext`.
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
    /// an empty one against [`Limits::max_consecutive_empty_records`](crate::config::Limits). Fails with
    /// `over_budget` when not skipping or when the budget is spent.
    pub(super) fn skip_early_data(
        &mut self,
        capacity: usize,
        over_budget: Error,
    ) -> Result<(), Error> {
        match &mut self.early_data {
            EarlyData::Skipping { remaining } if *remaining >= capacity => {
                *remaining -= capacity;
                self.count_empty_record(capacity == 0)
            }
            _ => Err(over_budget),
        }
    }

    /// Counts a record with no content (`empty`) against
    /// [`Limits::max_consecutive_empty_records`](crate::config::Limits); one with content resets the
    /// count.
    pub(super) fn count_empty_record(&mut self, empty: bool) -> Result<(), Error> {
        if !empty {
            self.empty_records = 0;
            return Ok(());
        }
        self.empty_records += 1;
        if self.empty_records > self.limits.max_consecutive_empty_records {
            return Err(Error::LimitExceeded(LimitExceededReason::EmptyRecords));
        }
        Ok(())
    }

    pub(super) fn process_record(&mut self) -> Result<bool, Error> {
        if self.peer_closed || self.record.plaintext_len() >= self.limits.max_received_plaintext {
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
                self.joiner.push(record.plaintext)?;
                Ok(true)
            }
            ContentType::ChangeCipherSpec => {
                ChangeCipherSpec::decode_exact(record.plaintext)?;
                self.on_change_cipher_spec()
            }
            ContentType::Alert => {
                let alert = Alert::decode_exact(record.plaintext)?;
                self.refuse_inside_handshake_message(
                    UnexpectedMessageReason::AlertInsideHandshake,
                )?;
                self.on_alert(alert)?;
                Ok(true)
            }
            ContentType::ApplicationData => {
                let (len, protected) = (record.plaintext.len(), record.protected);
                self.on_application_data(len, protected)
            }
            _ => Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::UnknownContentType,
            )),
        }
    }

    /// A ChangeCipherSpec: in TLS ≤1.2 it installs the pending read
    /// protection (RFC 5246 §7.1), which no handshake message may span; in
    /// TLS 1.3 it is the one compatibility record allowed around the
    /// handshake (RFC 8446 §5, D.4), dropped.
    fn on_change_cipher_spec(&mut self) -> Result<bool, Error> {
        if let Some(protection) = self.pending_read.take() {
            if self.joiner.has_partial_message() {
                return Err(Error::UnexpectedMessage(
                    UnexpectedMessageReason::HandshakeAcrossCcs,
                ));
            }
            self.record.set_read_protection(protection);
            self.finished_due = true;
            return Ok(true);
        }
        if !self.ccs_allowed || self.ccs_received >= MAX_TLS13_CCS_RECORDS {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::CcsNotAllowed,
            ));
        }
        self.ccs_received += 1;
        Ok(true)
    }

    /// An application-data record of `len` plaintext bytes, just opened
    /// (`protected`) or not: before traffic only accepted 0-RTT data (kept
    /// against its budget) or rejected 0-RTT data (skipped, RFC 8446
    /// §4.2.10) may arrive. In traffic it may not come between a TLS ≤1.2
    /// ChangeCipherSpec and its Finished (RFC 5246 §7.4.9) nor, in TLS
    /// 1.3, interrupt a handshake message (RFC 8446 §5.1); in a TLS ≤1.2
    /// renegotiation it may, even between the records of one handshake
    /// message (RFC 5246 §6.2.1: "Recipients MUST receive and process
    /// interleaved application layer traffic during handshakes subsequent
    /// to the first one"). Empty records are counted, and the plaintext is
    /// kept for the reader.
    fn on_application_data(&mut self, len: usize, protected: bool) -> Result<bool, Error> {
        if !self.traffic {
            match &mut self.early_data {
                EarlyData::Accepting { remaining } => {
                    *remaining = remaining.checked_sub(len).ok_or(Error::UnexpectedMessage(
                        UnexpectedMessageReason::TooMuchEarlyData,
                    ))?;
                    self.record.keep_plaintext()?;
                    return Ok(true);
                }
                // After a HelloRetryRequest no key opens the client's
                // 0-RTT records: they arrive as unprotected application
                // data.
                EarlyData::Skipping { .. } if !protected => {
                    self.skip_early_data(
                        early_data_capacity(len),
                        Error::UnexpectedMessage(UnexpectedMessageReason::TooMuchEarlyData),
                    )?;
                    return Ok(true);
                }
                _ => {
                    return Err(Error::UnexpectedMessage(
                        UnexpectedMessageReason::DataBeforeHandshake,
                    ))
                }
            }
        }
        if self.finished_due {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::DataBeforeFinished,
            ));
        }
        self.refuse_inside_handshake_message(UnexpectedMessageReason::DataInsideHandshake)?;
        self.count_empty_record(len == 0)?;
        if len > 0 {
            self.key_updates_without_data = 0;
            self.record.keep_plaintext()?;
        }
        Ok(true)
    }

    /// RFC 8446 §5.1: "Handshake messages MUST NOT be interleaved with
    /// other record types": in TLS 1.3 an alert or application data
    /// between the records of one handshake message is
    /// `unexpected_message`. TLS ≤1.2 takes them there (RFC 5246 §6.2.1).
    fn refuse_inside_handshake_message(
        &self,
        reason: UnexpectedMessageReason,
    ) -> Result<(), Error> {
        if self.joiner.has_partial_message()
            && self.negotiated.version == Some(ProtocolVersion::TLSv1_3)
        {
            return Err(Error::UnexpectedMessage(reason));
        }
        Ok(())
    }

    /// Handles a received alert (RFC 8446 §6): close_notify closes the
    /// read side (and in TLS ≤1.2, or before the handshake is complete,
    /// the whole connection, see [`Self::close_after_peer`]; a handshake
    /// it interrupts fails with it), user_canceled in TLS 1.3 and any
    /// warning-level alert in TLS ≤1.2 are counted and ignored, anything
    /// else ends the connection.
    pub(super) fn on_alert(&mut self, alert: Alert) -> Result<(), Error> {
        match alert.description {
            AlertDescription::CloseNotify => {
                self.peer_closed = true;
                if !self.traffic {
                    // A handshake the peer closed cannot complete: ours
                    // goes back and the connection ends now, rather than
                    // waiting for records that will not come (RFC 5246
                    // §7.2.1: "respond with a close_notify alert of its
                    // own and close down the connection immediately").
                    self.close_after_peer();
                    return Err(Error::AlertReceived(AlertDescription::CloseNotify));
                }
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
                if alert.description == AlertDescription::NoRenegotiation {
                    self.renegotiation.refused();
                }
                self.count_warning_alert()
            }
            // RFC 8446 §6.1: a closure alert in TLS 1.3 whatever its
            // level; a fatal one in TLS ≤1.2 ends the connection (RFC
            // 5246 §7.2.2), as any fatal alert does.
            AlertDescription::UserCanceled
                if self.negotiated.version == Some(ProtocolVersion::TLSv1_3) =>
            {
                self.count_warning_alert()
            }
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
    pub(super) fn close_after_peer(&mut self) {
        if self.close_sent {
            return;
        }
        self.pending_plaintext = Vec::new();
        self.handshake_out.clear();
        self.close_sent = true;
        self.send_alert(AlertLevel::Warning, AlertDescription::CloseNotify);
    }

    /// Counts an ignored warning alert against [`Limits::max_warning_alerts`](crate::config::Limits).
    pub(super) fn count_warning_alert(&mut self) -> Result<(), Error> {
        self.warning_alerts += 1;
        if self.warning_alerts > self.limits.max_warning_alerts {
            return Err(Error::LimitExceeded(LimitExceededReason::WarningAlerts));
        }
        Ok(())
    }

    /// The next whole handshake message, copied out of the joiner into
    /// the buffer the previous message gave back ([`Self::recycle_message`]),
    /// so a handshake allocates for its received messages once or twice,
    /// not once each. Once the handshake is complete the buffer is freed
    /// whenever no whole message is left (an established connection holds
    /// none for the rare post-handshake messages).
    pub(crate) fn next_handshake_message(&mut self) -> Result<Option<ReceivedHandshake>, Error> {
        let Some(m) = self.joiner.next_message()? else {
            if self.traffic {
                self.message_buf = Vec::new();
            }
            return Ok(None);
        };
        // The first whole message after a ChangeCipherSpec is the
        // Finished that was due.
        self.finished_due = false;
        let mut raw = std::mem::take(&mut self.message_buf);
        raw.clear();
        if raw.capacity() == 0 {
            raw.reserve(m.raw.len().max(RECEIVED_MESSAGE_INITIAL_CAPACITY));
        }
        raw.extend_from_slice(m.raw);
        let typ = m.typ;
        let refused = m.body.err();
        self.observe(MessageDirection::Received, typ);
        Ok(Some(ReceivedHandshake { typ, raw, refused }))
    }

    /// Takes back the buffer of a handled message for the next one.
    pub(crate) fn recycle_message(&mut self, message: ReceivedHandshake) {
        self.message_buf = message.raw;
    }

    // ---- TLS 1.3 KeyUpdate (RFC 8446 §4.6.3) ----

    /// Handles a received KeyUpdate: the read key moves to the next
    /// generation; an update_requested is answered with one KeyUpdate of
    /// our own unless we already sent one and no data since (a silent
    /// side answers several requests once).
    pub(crate) fn receive_key_update(&mut self, request: KeyUpdateRequest) -> Result<(), Error> {
        self.key_updates_without_data += 1;
        if self.key_updates_without_data > self.limits.max_key_updates_without_data {
            return Err(Error::LimitExceeded(
                LimitExceededReason::KeyUpdatesWithoutData,
            ));
        }
        let traffic = self.tls13_traffic.as_mut().ok_or(Error::UnexpectedMessage(
            UnexpectedMessageReason::KeyUpdateBeforeHandshake,
        ))?;
        let next = traffic.read.next()?;
        let aead = traffic.aead;
        self.set_tls13_read_key(aead, &next)?;
        if let Some(traffic) = self.tls13_traffic.as_mut() {
            traffic.read = next;
        }
        self.key_update_request_pending = false;
        // RFC 9846 §4.6.3: near the cap a sender "SHOULD ignore" requests.
        if request == KeyUpdateRequest::UpdateRequested
            && !self.key_update_sent_since_data
            && self.may_send_key_update()
        {
            self.send_key_update(KeyUpdateRequest::UpdateNotRequested)?;
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common_state::{HandshakeEvent, Side};
    use crate::config::CommonConfig;
    use crate::record::{HandshakeJoiner, NullProtection};

    /// A server connection in traffic under `version`, records in the
    /// clear, as after a handshake (the tests need no keys), whose joiner
    /// has handed out the ClientHello, so any type may come next.
    fn in_traffic(version: ProtocolVersion) -> CommonState {
        let mut common = CommonState::new(Side::Server, &CommonConfig::default());
        common.joiner = HandshakeJoiner::new();
        common.negotiated.apply(HandshakeEvent::Version(version));
        common.set_negotiated_record_version(version);
        common.traffic = true;
        common
    }

    /// A record of `typ` carrying `body` (TLS 1.2 record version).
    fn record(typ: ContentType, body: &[u8]) -> Vec<u8> {
        let len = u16::try_from(body.len()).unwrap_or(u16::MAX).to_be_bytes();
        [&[u8::from(typ), 3, 3, len[0], len[1]][..], body].concat()
    }

    /// Feeds `records` and processes every whole one, stopping at the
    /// first error.
    fn receive(common: &mut CommonState, records: &[Vec<u8>]) -> Result<(), Error> {
        let bytes = records.concat();
        let mut rest = bytes.as_slice();
        while !rest.is_empty() {
            common.read_tls(&mut rest).expect("read_tls");
            while common.process_record()? {}
        }
        Ok(())
    }

    /// A TLS 1.2 Finished message (12 bytes of verify_data).
    const MESSAGE: [u8; 16] = [20, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    /// RFC 5246 §6.2.1: in a TLS 1.2 handshake after the first,
    /// application data may come between the records of one handshake
    /// message, and is kept; RFC 8446 §5.1 forbids it in TLS 1.3.
    #[test]
    fn data_inside_a_handshake_message_is_kept_in_tls12_only() {
        let records = [
            record(ContentType::Handshake, &MESSAGE[..5]),
            record(ContentType::ApplicationData, b"between"),
            record(ContentType::Handshake, &MESSAGE[5..]),
        ];
        let mut tls12 = in_traffic(ProtocolVersion::TLSv1_2);
        receive(&mut tls12, &records).unwrap();
        assert_eq!(tls12.record.plaintext_len(), b"between".len());
        assert!(
            tls12.joiner.next_message().unwrap().is_some(),
            "whole message"
        );
        let mut tls13 = in_traffic(ProtocolVersion::TLSv1_3);
        assert_eq!(
            receive(&mut tls13, &records),
            Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::DataInsideHandshake
            ))
        );
    }

    /// RFC 8446 §5.1: an alert between the records of one handshake
    /// message is unexpected_message in TLS 1.3, whatever the alert; TLS
    /// 1.2 reads it (here a warning, which is counted and ignored).
    #[test]
    fn an_alert_inside_a_handshake_message_is_refused_in_tls13_only() {
        for alert in [
            [1, u8::from(AlertDescription::UserCanceled)],
            [1, u8::from(AlertDescription::CloseNotify)],
        ] {
            let records = [
                record(ContentType::Handshake, &MESSAGE[..5]),
                record(ContentType::Alert, &alert),
                record(ContentType::Handshake, &MESSAGE[5..]),
            ];
            let mut tls13 = in_traffic(ProtocolVersion::TLSv1_3);
            assert_eq!(
                receive(&mut tls13, &records),
                Err(Error::UnexpectedMessage(
                    UnexpectedMessageReason::AlertInsideHandshake
                ))
            );
        }
        let mut tls12 = in_traffic(ProtocolVersion::TLSv1_2);
        let warning = [1, u8::from(AlertDescription::UserCanceled)];
        receive(
            &mut tls12,
            &[
                record(ContentType::Handshake, &MESSAGE[..5]),
                record(ContentType::Alert, &warning),
                record(ContentType::Handshake, &MESSAGE[5..]),
            ],
        )
        .unwrap();
        assert!(tls12.joiner.next_message().unwrap().is_some());
    }

    /// user_canceled: a closure alert in TLS 1.3, ignored at either level
    /// (RFC 8446 §6.1); in TLS ≤1.2 a warning is ignored and a fatal one
    /// ends the connection like any fatal alert (RFC 5246 §7.2.2).
    #[test]
    fn a_fatal_user_canceled_ends_a_tls12_connection_only() {
        let fatal = [2, u8::from(AlertDescription::UserCanceled)];
        let warning = [1, u8::from(AlertDescription::UserCanceled)];
        let mut tls13 = in_traffic(ProtocolVersion::TLSv1_3);
        receive(&mut tls13, &[record(ContentType::Alert, &fatal)]).unwrap();
        let mut tls12 = in_traffic(ProtocolVersion::TLSv1_2);
        receive(&mut tls12, &[record(ContentType::Alert, &warning)]).unwrap();
        assert_eq!(
            receive(&mut tls12, &[record(ContentType::Alert, &fatal)]),
            Err(Error::AlertReceived(AlertDescription::UserCanceled))
        );
    }

    /// RFC 5246 §7.4.9: the Finished comes right after ChangeCipherSpec;
    /// application data before it or among its records is
    /// unexpected_message, while the Finished itself (a handshake record)
    /// goes through, and data after it is fine again.
    #[test]
    fn data_between_change_cipher_spec_and_finished_is_refused() {
        let data = record(ContentType::ApplicationData, b"early");
        for (next, refused) in [
            (vec![data.clone()], true),
            (
                vec![record(ContentType::Handshake, &MESSAGE[..5]), data],
                true,
            ),
            (vec![record(ContentType::Handshake, &MESSAGE)], false),
        ] {
            let mut common = in_traffic(ProtocolVersion::TLSv1_2);
            common.pending_read = Some(Box::new(NullProtection));
            let records = [vec![record(ContentType::ChangeCipherSpec, &[1])], next].concat();
            let result = receive(&mut common, &records);
            if refused {
                assert_eq!(
                    result,
                    Err(Error::UnexpectedMessage(
                        UnexpectedMessageReason::DataBeforeFinished
                    ))
                );
            } else {
                result.unwrap();
                // Once the handshake has taken the Finished, data is fine
                // again.
                assert!(common.next_handshake_message().unwrap().is_some());
                receive(
                    &mut common,
                    &[record(ContentType::ApplicationData, b"after")],
                )
                .unwrap();
            }
        }
    }
}
