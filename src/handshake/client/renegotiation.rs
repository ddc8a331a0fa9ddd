//! The client's side of TLS 1.0–1.2 secure renegotiation (RFC 5746): a
//! HelloRequest in traffic is answered with a new ClientHello under the
//! current keys, or refused with a no_renegotiation warning.
//!
//! It is answered only with [`ClientConfig::renegotiation`](crate::ClientConfig::renegotiation) on, a server
//! that signalled secure renegotiation in the first handshake, and room
//! under `Limits::max_renegotiations`. The new ClientHello offers the
//! negotiated version alone (a renegotiation does not change it) and
//! carries our last verify_data in renegotiation_info, never the SCSV
//! (§3.5); the ServerHello's answer is checked by the connection's
//! `Renegotiation` in `tls12.rs`. Application data keeps flowing both
//! ways until the new keys take over at each side's ChangeCipherSpec
//! (RFC 5246 §7.4.1.1).

use std::sync::Arc;

use super::{hello, tls12, State};
use crate::common_state::{HandshakeEvent, HandshakeIo, ReceivedHandshake};
use crate::error::Error;

/// A HelloRequest in TLS ≤1.2 traffic, the one message the state takes
/// (its `Expected`): it starts a renegotiation when it may (see the
/// module's header), else `traffic` refuses it as it refuses every
/// renegotiation. Its syntax is empty, so one the joiner refused for a
/// body fails first.
pub(super) fn expect_traffic(
    traffic: tls12::Traffic,
    common: &mut dyn HandshakeIo,
    message: &ReceivedHandshake,
) -> Result<State, Error> {
    message.body()?;
    let starts = traffic.config.renegotiation
        && common
            .renegotiation_mut()
            .begin(traffic.config.common.limits.max_renegotiations);
    if !starts {
        return traffic
            .refuse_renegotiation(common)
            .map(|t| State::Tls12(tls12::State::Traffic(t)));
    }
    let version = common.negotiated().version().ok_or(Error::InvalidRequest(
        crate::error::InvalidRequestReason::RenegotiationNotNow,
    ))?;
    let mut config = (*traffic.config).clone();
    config.common.versions = vec![version];
    let server = common.negotiated().peer_certificates().first().cloned();
    common.report(HandshakeEvent::Renegotiation);
    let mut hello = hello::start(Arc::new(config), traffic.server_name, common)?;
    hello.renegotiated_server = server;
    Ok(State::ExpectServerHello(hello))
}

/// Whether `message` is a HelloRequest that arrives while our
/// renegotiation's ClientHello waits for its answer: ignored (RFC 5246
/// §7.4.1.1).
pub(super) fn is_ignored_hello_request(
    common: &dyn HandshakeIo,
    message: &ReceivedHandshake,
) -> Result<bool, Error> {
    Ok(tls12::is_hello_request(message)? && common.renegotiation().in_progress())
}
