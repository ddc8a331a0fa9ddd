//! What a handshake state machine may do to its connection, as one trait:
//! queue messages and ChangeCipherSpec, switch record keys and versions,
//! run 0-RTT's budgets, and report what it settled ([`HandshakeEvent`]).
//! [`CommonState`] is the implementation; a unit test can drive a state
//! with a fake that records every call instead.

use std::sync::Arc;

use super::{CommonState, HandshakeEvent, Negotiated, Renegotiation};
use crate::crypto::aead::AeadAlgorithm;
use crate::error::Error;
use crate::keyschedule::tls12::Tls12Exporter;
use crate::keyschedule::tls13::{Exporter, FinishedKey, TrafficSecret};
use crate::msgs::enums::{AlertDescription, KeyUpdateRequest, ProtocolVersion};
use crate::msgs::handshake::HandshakeMessage;
use crate::record::RecordProtection;
use crate::session::store::FailedSession;
use crate::session::ClientSessionStore;

/// The connection as the handshake sees it. Each method is the
/// [`CommonState`] method of the same name; see there for what it does
/// and which RFC rule it serves.
pub(crate) trait HandshakeIo {
    /// Records a fact the handshake settled.
    fn report(&mut self, event: HandshakeEvent);
    /// What the handshake has settled so far.
    fn negotiated(&self) -> &Negotiated;
    /// The client's session store, if any.
    fn client_sessions(&self) -> Option<Arc<dyn ClientSessionStore>>;
    /// Names the session a failure of the connection invalidates.
    fn forget_on_failure(&mut self, session: FailedSession);
    /// The TLS ≤1.2 secure renegotiation state.
    fn renegotiation(&self) -> &Renegotiation;
    /// The TLS ≤1.2 secure renegotiation state, to change.
    fn renegotiation_mut(&mut self) -> &mut Renegotiation;

    /// Queues a handshake message; returns its encoding.
    fn send_handshake(&mut self, message: &HandshakeMessage) -> Result<&[u8], Error>;
    /// Queues a handshake message; returns its encoding, mutable.
    fn send_handshake_mut(&mut self, message: &HandshakeMessage) -> Result<&mut [u8], Error>;
    /// Seals the queued handshake messages.
    fn flush_handshake(&mut self) -> Result<(), Error>;
    /// Sends TLS 1.3's compatibility ChangeCipherSpec.
    fn send_dummy_ccs(&mut self) -> Result<(), Error>;
    /// Sends a TLS ≤1.2 ChangeCipherSpec and writes under `protection`.
    fn send_ccs(&mut self, protection: Box<dyn RecordProtection>) -> Result<(), Error>;
    /// Sends a warning alert.
    fn send_warning(&mut self, description: AlertDescription) -> Result<(), Error>;
    /// Whether a ChangeCipherSpec record is accepted (TLS 1.3's dummy).
    fn allow_ccs(&mut self, allowed: bool);
    /// Reads under `protection` after the peer's ChangeCipherSpec.
    fn expect_ccs(&mut self, protection: Box<dyn RecordProtection>);
    /// Whether the peer's ChangeCipherSpec is still awaited.
    fn ccs_pending(&self) -> bool;

    /// Sets the version of the records we send.
    fn set_record_version(&mut self, version: ProtocolVersion);
    /// Fixes the version of records both ways once negotiated.
    fn set_negotiated_record_version(&mut self, version: ProtocolVersion);
    /// Sends records within the peer's record_size_limit.
    fn set_peer_record_size_limit(&mut self, limit: u16, tls13: bool) -> Result<(), Error>;
    /// Sends the records of the next write epoch and after within the
    /// peer's record_size_limit.
    fn set_next_epoch_peer_record_size_limit(
        &mut self,
        limit: u16,
        tls13: bool,
    ) -> Result<(), Error>;
    /// Refuses protected records over our own record_size_limit.
    fn set_own_record_size_limit(&mut self, limit: u16, tls13: bool) -> Result<(), Error>;
    /// Reads under a TLS 1.3 traffic secret.
    fn set_tls13_read_key(
        &mut self,
        aead: AeadAlgorithm,
        secret: &TrafficSecret,
    ) -> Result<(), Error>;
    /// Reads under the first TLS 1.3 handshake key.
    fn set_tls13_first_read_key(
        &mut self,
        aead: AeadAlgorithm,
        secret: &TrafficSecret,
    ) -> Result<(), Error>;
    /// Writes under a TLS 1.3 traffic secret.
    fn set_tls13_write_key(
        &mut self,
        aead: AeadAlgorithm,
        secret: &TrafficSecret,
    ) -> Result<(), Error>;
    /// Writes plaintext again (0-RTT rejected before a key).
    fn set_plaintext_write(&mut self) -> Result<(), Error>;
    /// Client: 0-RTT data may be written, up to `max` bytes; `exporter`
    /// is the early exporter while 0-RTT is not rejected.
    fn start_early_data_writes(&mut self, max: usize, exporter: Exporter);
    /// Server: 0-RTT data is read, up to `max` bytes; `exporter` is the
    /// connection's early exporter.
    fn accept_early_data(&mut self, max: usize, exporter: Exporter);
    /// Server: rejected 0-RTT data is skipped, up to `max` bytes.
    fn skip_rejected_early_data(&mut self, max: usize);
    /// 0-RTT is over, accepted or not.
    fn end_early_data(&mut self, accepted: bool);
    /// Application data may go before the peer's Finished (half-RTT data,
    /// RFC 8446 §4.4.4; False Start, RFC 7918).
    fn start_writes_before_peer_finished(&mut self) -> Result<(), Error>;
    /// TLS 1.3 application traffic starts under these secrets.
    fn start_tls13_traffic(
        &mut self,
        aead: AeadAlgorithm,
        read: TrafficSecret,
        write: TrafficSecret,
    ) -> Result<(), Error>;
    /// TLS ≤1.2 application traffic starts.
    fn start_tls12_traffic(&mut self) -> Result<(), Error>;
    /// Splits application data 1/n−1 (TLS 1.0 CBC).
    fn split_application_data(&mut self);
    /// Takes a received KeyUpdate.
    fn receive_key_update(&mut self, request: KeyUpdateRequest) -> Result<(), Error>;
    /// The Finished key of post-handshake authentication.
    fn post_handshake_finished_key(&self) -> Result<FinishedKey, Error>;
    /// Keeps the TLS 1.3 exporter of the connection.
    fn set_exporter(&mut self, exporter: Exporter);
    /// Keeps the TLS 1.0–1.2 exporter of the connection.
    fn set_tls12_exporter(&mut self, exporter: Tls12Exporter);
}

impl HandshakeIo for CommonState {
    fn report(&mut self, event: HandshakeEvent) {
        if matches!(event, HandshakeEvent::Renegotiation) {
            self.renegotiation.replacing(self.negotiated.clone());
        }
        self.negotiated.apply(event);
    }
    fn negotiated(&self) -> &Negotiated {
        &self.negotiated
    }
    fn client_sessions(&self) -> Option<Arc<dyn ClientSessionStore>> {
        self.client_sessions.clone()
    }
    fn forget_on_failure(&mut self, session: FailedSession) {
        CommonState::forget_on_failure(self, session)
    }
    fn renegotiation(&self) -> &Renegotiation {
        &self.renegotiation
    }
    fn renegotiation_mut(&mut self) -> &mut Renegotiation {
        &mut self.renegotiation
    }
    fn send_handshake(&mut self, message: &HandshakeMessage) -> Result<&[u8], Error> {
        CommonState::send_handshake(self, message)
    }
    fn send_handshake_mut(&mut self, message: &HandshakeMessage) -> Result<&mut [u8], Error> {
        CommonState::send_handshake_mut(self, message)
    }
    fn flush_handshake(&mut self) -> Result<(), Error> {
        CommonState::flush_handshake(self)
    }
    fn send_dummy_ccs(&mut self) -> Result<(), Error> {
        CommonState::send_dummy_ccs(self)
    }
    fn send_ccs(&mut self, protection: Box<dyn RecordProtection>) -> Result<(), Error> {
        CommonState::send_ccs(self, protection)
    }
    fn send_warning(&mut self, description: AlertDescription) -> Result<(), Error> {
        CommonState::send_warning(self, description)
    }
    fn allow_ccs(&mut self, allowed: bool) {
        self.ccs_allowed = allowed;
    }
    fn expect_ccs(&mut self, protection: Box<dyn RecordProtection>) {
        CommonState::expect_ccs(self, protection)
    }
    fn ccs_pending(&self) -> bool {
        CommonState::ccs_pending(self)
    }
    fn set_record_version(&mut self, version: ProtocolVersion) {
        CommonState::set_record_version(self, version)
    }
    fn set_negotiated_record_version(&mut self, version: ProtocolVersion) {
        CommonState::set_negotiated_record_version(self, version)
    }
    fn set_peer_record_size_limit(&mut self, limit: u16, tls13: bool) -> Result<(), Error> {
        self.record.set_peer_record_size_limit(limit, tls13)
    }
    fn set_next_epoch_peer_record_size_limit(
        &mut self,
        limit: u16,
        tls13: bool,
    ) -> Result<(), Error> {
        self.record
            .set_next_epoch_peer_record_size_limit(limit, tls13)
    }
    fn set_own_record_size_limit(&mut self, limit: u16, tls13: bool) -> Result<(), Error> {
        self.record.set_own_record_size_limit(limit, tls13)
    }
    fn set_tls13_read_key(
        &mut self,
        aead: AeadAlgorithm,
        secret: &TrafficSecret,
    ) -> Result<(), Error> {
        CommonState::set_tls13_read_key(self, aead, secret)
    }
    fn set_tls13_first_read_key(
        &mut self,
        aead: AeadAlgorithm,
        secret: &TrafficSecret,
    ) -> Result<(), Error> {
        CommonState::set_tls13_first_read_key(self, aead, secret)
    }
    fn set_tls13_write_key(
        &mut self,
        aead: AeadAlgorithm,
        secret: &TrafficSecret,
    ) -> Result<(), Error> {
        CommonState::set_tls13_write_key(self, aead, secret)
    }
    fn set_plaintext_write(&mut self) -> Result<(), Error> {
        CommonState::set_plaintext_write(self)
    }
    fn start_early_data_writes(&mut self, max: usize, exporter: Exporter) {
        CommonState::start_early_data_writes(self, max, exporter)
    }
    fn accept_early_data(&mut self, max: usize, exporter: Exporter) {
        CommonState::accept_early_data(self, max, exporter)
    }
    fn skip_rejected_early_data(&mut self, max: usize) {
        CommonState::skip_rejected_early_data(self, max)
    }
    fn start_writes_before_peer_finished(&mut self) -> Result<(), Error> {
        CommonState::start_writes_before_peer_finished(self)
    }
    fn end_early_data(&mut self, accepted: bool) {
        CommonState::end_early_data(self, accepted)
    }
    fn start_tls13_traffic(
        &mut self,
        aead: AeadAlgorithm,
        read: TrafficSecret,
        write: TrafficSecret,
    ) -> Result<(), Error> {
        CommonState::start_tls13_traffic(self, aead, read, write)
    }
    fn start_tls12_traffic(&mut self) -> Result<(), Error> {
        CommonState::start_tls12_traffic(self)
    }
    fn split_application_data(&mut self) {
        CommonState::split_application_data(self)
    }
    fn receive_key_update(&mut self, request: KeyUpdateRequest) -> Result<(), Error> {
        CommonState::receive_key_update(self, request)
    }
    fn post_handshake_finished_key(&self) -> Result<FinishedKey, Error> {
        CommonState::post_handshake_finished_key(self)
    }
    fn set_exporter(&mut self, exporter: Exporter) {
        self.exporter = Some(exporter);
    }
    fn set_tls12_exporter(&mut self, exporter: Tls12Exporter) {
        self.tls12_exporter = Some(exporter);
    }
}
