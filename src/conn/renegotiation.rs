//! The server's API for TLS 1.0–1.2 secure renegotiation (RFC 5746): ask
//! the client for a new handshake, e.g. to ask for its certificate once
//! the resource it wants is known.

use super::ServerConnection;
use crate::error::{Error, InvalidRequestReason};
use crate::handshake::{server, State};

impl ServerConnection {
    /// Sends the client a HelloRequest (RFC 5246 §7.4.1.1) after a TLS
    /// 1.0–1.2 handshake, asking it to renegotiate. The client's new
    /// handshake then runs under the current keys while application data
    /// goes on; it is a full handshake that asks for a client certificate
    /// as [`ServerConfig::post_handshake_client_auth`](crate::ServerConfig::post_handshake_client_auth)
    /// says (or [`client_auth`](crate::ServerConfig::client_auth) when
    /// that is `None`); once it completes, its chain is in
    /// [`peer_certificates`](super::Connection::peer_certificates) and its
    /// session ID in [`session_id`](super::Connection::session_id). A
    /// client may also refuse (a no_renegotiation warning) or ignore the
    /// request.
    ///
    /// Fails with [`Error::InvalidRequest`] when
    /// [`ServerConfig::renegotiation`](crate::ServerConfig::renegotiation)
    /// is off, before a TLS 1.0–1.2 handshake is complete (TLS 1.3 has no
    /// renegotiation), when the client did not signal secure
    /// renegotiation (RFC 5746 §4.3), when a request or renegotiation is
    /// under way, or when [`Limits::max_renegotiations`](crate::Limits::max_renegotiations)
    /// renegotiations were accepted; with the connection's error after a
    /// failure.
    pub fn renegotiate(&mut self) -> Result<(), Error> {
        let conn = &mut self.inner;
        if let Some(error) = conn.common.error() {
            return Err(error.clone());
        }
        match &mut conn.state {
            Some(State::Server(state)) => server::request_renegotiation(state, &mut conn.common),
            _ => Err(Error::InvalidRequest(
                InvalidRequestReason::RenegotiationNotNow,
            )),
        }
    }
}
