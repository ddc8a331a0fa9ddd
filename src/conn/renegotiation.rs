//! The server's API for TLS 1.0–1.2 secure renegotiation (RFC 5746): ask
//! the client for a new handshake, e.g. to ask for its certificate once
//! the resource it wants is known.

use super::{Connection, ServerConnection};
use crate::common_state::HandshakeIo;
use crate::error::{Error, InvalidRequestReason};
use crate::handshake::{server, State};

impl Connection {
    /// TLS ≤1.2: whether the peer signalled secure renegotiation (RFC
    /// 5746: the renegotiation_info extension, or a client's SCSV) in the
    /// first handshake, without which this side never renegotiates.
    /// False under TLS 1.3, which has no renegotiation.
    pub fn secure_renegotiation(&self) -> bool {
        self.common.renegotiation().is_secure()
    }

    /// TLS ≤1.2: how many renegotiations this connection has accepted,
    /// the one under way included, so an application that decided on a
    /// handshake's facts (peer certificates, session ID) can tell that a
    /// later handshake replaced them. 0 under TLS 1.3.
    pub fn renegotiations(&self) -> usize {
        self.common.renegotiation().accepted()
    }
}

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

    /// Whether a renegotiation is under way: a HelloRequest sent by
    /// [`Self::renegotiate`] not yet answered (by a ClientHello, or a
    /// no_renegotiation warning), or a renegotiated handshake not yet
    /// complete.
    pub fn is_renegotiating(&self) -> bool {
        let renegotiation = self.inner.common.renegotiation();
        renegotiation.requested() || renegotiation.in_progress()
    }
}
