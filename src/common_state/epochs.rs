//! Epoch changes: the record version, the TLS 1.3 traffic keys, early
//! data's budgets, the TLS 1.0–1.2 ChangeCipherSpec switch and the start
//! of application traffic.

use super::{CommonState, EarlyData, EarlyDataStatus, Side, Tls13Traffic};
use crate::crypto::aead::AeadAlgorithm;
use crate::error::{Error, InvalidRequestReason, UnexpectedMessageReason};
use crate::keyschedule::tls13::{Exporter, FinishedKey, TrafficSecret};
use crate::msgs::enums::ProtocolVersion;
use crate::record::{RecordProtection, Tls13AeadProtection};

impl CommonState {
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

    pub(super) fn install_tls13_read_key(
        &mut self,
        protection: Tls13AeadProtection,
    ) -> Result<(), Error> {
        if self.joiner.has_partial_message() {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::HandshakeAcrossKeyChange,
            ));
        }
        self.record.set_tls13_read_protection(protection);
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
            .set_tls13_write_protection(tls13_protection(aead, secret)?);
        Ok(())
    }

    /// Client: 0-RTT data may now be written, up to `max` bytes, under the
    /// early write key just installed.
    pub(crate) fn start_early_data_writes(&mut self, max: usize, exporter: Exporter) {
        self.early_data = EarlyData::Writing { remaining: max };
        self.negotiated.early_data = EarlyDataStatus::Offered;
        self.early_exporter = Some(Box::new(exporter));
    }

    /// Server: accepted 0-RTT data, up to `max` bytes, will arrive under
    /// the early read key just installed; `exporter` is the early
    /// exporter both sides now share.
    pub(crate) fn accept_early_data(&mut self, max: usize, exporter: Exporter) {
        self.early_data = EarlyData::Accepting { remaining: max };
        self.negotiated.early_data = EarlyDataStatus::Accepted;
        self.early_exporter = Some(Box::new(exporter));
    }

    /// Server: offered 0-RTT data was rejected; up to `max` bytes of it
    /// are skipped (RFC 8446 §4.2.10).
    pub(crate) fn skip_rejected_early_data(&mut self, max: usize) {
        self.early_data = EarlyData::Skipping { remaining: max };
        self.negotiated.early_data = EarlyDataStatus::Rejected;
    }

    /// No more 0-RTT data: the server answered (client), or EndOfEarlyData
    /// arrived (server). `accepted` records the outcome; a client whose
    /// 0-RTT was rejected drops its early exporter, which the server
    /// never derived.
    pub(crate) fn end_early_data(&mut self, accepted: bool) {
        if !accepted {
            self.early_exporter = None;
        }
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
        self.tls13_traffic = Some(Tls13Traffic {
            aead,
            read,
            write,
            updates_sent: 0,
        });
        self.start_traffic()
    }

    /// Application data may be sent from now on, under the write key
    /// installed with our Finished, though the peer's Finished has not
    /// arrived: a TLS 1.3 server's half-RTT data (RFC 8446 §4.4.4), a TLS
    /// 1.2 client's False Start (RFC 7918); data the application wrote
    /// before is sent now, behind our Finished.
    pub(crate) fn start_writes_before_peer_finished(&mut self) -> Result<(), Error> {
        self.flush_handshake()?;
        self.writes_before_peer_finished = true;
        let pending = core::mem::take(&mut self.pending_plaintext);
        self.send_application_data(&pending)?;
        Ok(())
    }

    /// The Finished key of a post-handshake authentication exchange: from
    /// the client's current application traffic secret (RFC 8446 §4.4:
    /// `client_application_traffic_secret_N`), which is the write secret
    /// on a client and the read secret on a server; it moves with each
    /// KeyUpdate.
    pub(crate) fn post_handshake_finished_key(&self) -> Result<FinishedKey, Error> {
        let traffic = self.tls13_traffic.as_ref().ok_or(Error::InvalidRequest(
            InvalidRequestReason::PostHandshakeAuthNotNow,
        ))?;
        match self.side {
            Side::Client => traffic.write.finished_key(),
            Side::Server => traffic.read.finished_key(),
        }
    }

    pub(super) fn start_traffic(&mut self) -> Result<(), Error> {
        self.flush_handshake()?;
        self.handshake_out = Vec::new();
        self.traffic = true;
        self.ccs_allowed = false;
        let pending = core::mem::take(&mut self.pending_plaintext);
        self.send_application_data(&pending)?;
        // A client's TLS ≤1.2 handshake ends on the server's Finished,
        // with its own last flight already written.
        self.release_send_queue_if_empty();
        Ok(())
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

    /// The TLS ≤1.2 handshake (first or renegotiated) is complete:
    /// application data may flow.
    pub(crate) fn start_tls12_traffic(&mut self) -> Result<(), Error> {
        self.renegotiation.end();
        self.start_traffic()
    }
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
