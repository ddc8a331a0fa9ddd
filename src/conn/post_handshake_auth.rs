//! The server's API for TLS 1.3 post-handshake client authentication
//! (RFC 8446 §4.6.2): ask for a certificate once the handshake is done,
//! then find the verified chain where during-handshake authentication
//! puts it, [`Connection::peer_certificates`](super::Connection::peer_certificates).

use super::ServerConnection;
use crate::error::{Error, InvalidRequestReason};
use crate::handshake::{server, State};

impl ServerConnection {
    /// Sends the client a CertificateRequest after a TLS 1.3 handshake
    /// (RFC 8446 §4.6.2), judged by
    /// [`ServerConfig::post_handshake_client_auth`](crate::ServerConfig::post_handshake_client_auth).
    /// The client's answer arrives with later records, after any
    /// application data it sends first; once
    /// [`Self::pending_certificate_requests`] is back to 0, a client that
    /// authenticated is in [`peer_certificates`](super::Connection::peer_certificates).
    /// A chain the verifier refuses, a bad signature (`decrypt_error`) or,
    /// for [`ClientAuth::Required`](crate::ClientAuth::Required), no
    /// certificate (`certificate_required`) ends the connection with that
    /// alert; for [`ClientAuth::Optional`](crate::ClientAuth::Optional) no
    /// certificate leaves the peer certificates as they were.
    ///
    /// Fails with [`Error::InvalidRequest`] before a TLS 1.3 handshake is
    /// complete (TLS 1.2 has no such message), when the client did not
    /// offer post_handshake_auth, when no post-handshake verifier is
    /// configured, or when
    /// [`MAX_OUTSTANDING_CERTIFICATE_REQUESTS`](crate::MAX_OUTSTANDING_CERTIFICATE_REQUESTS)
    /// requests are unanswered; with the connection's error after a
    /// failure.
    pub fn request_client_certificate(&mut self) -> Result<(), Error> {
        let conn = &mut self.inner;
        if let Some(error) = conn.common.error() {
            return Err(error.clone());
        }
        match &mut conn.state {
            Some(State::Server(state)) => {
                server::request_client_certificate(state, &mut conn.common)
            }
            _ => Err(Error::InvalidRequest(
                InvalidRequestReason::PostHandshakeAuthNotNow,
            )),
        }
    }

    /// The post-handshake CertificateRequests sent whose answer has not
    /// yet been received and checked in full.
    pub fn pending_certificate_requests(&self) -> usize {
        match &self.inner.state {
            Some(State::Server(state)) => server::pending_certificate_requests(state),
            _ => 0,
        }
    }
}
