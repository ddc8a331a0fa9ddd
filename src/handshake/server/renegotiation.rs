//! The server's side of TLS 1.0–1.2 secure renegotiation (RFC 5746):
//! asking for one with a HelloRequest (RFC 5246 §7.4.1.1), and taking a
//! ClientHello after the handshake as a new handshake under the current
//! keys, or refusing it with a no_renegotiation warning.
//!
//! Both need [`ServerConfig::renegotiation`], a client that signalled
//! secure renegotiation in the first handshake, and room under
//! `Limits::max_renegotiations`. The ClientHello's renegotiation_info is
//! checked by the connection's `Renegotiation`, in `tls12.rs`'s reading
//! of the offer; the new handshake is always a full one, and asks for a
//! client certificate as [`ServerConfig::post_handshake_client_auth`]
//! says (the switch TLS 1.3 post-handshake authentication uses), or as
//! [`ServerConfig::client_auth`] says when that is `None`.

use std::sync::Arc;

use super::{hello, tls12};
use crate::common_state::{HandshakeEvent, HandshakeIo, ReceivedHandshake};
use crate::config::{ClientAuth, ServerConfig};
use crate::error::{Error, HandshakeFailureReason, InvalidRequestReason};
use crate::msgs::client_hello_extensions::ClientHelloExtensions;
use crate::msgs::handshake::HandshakeMessage;

/// Sends a HelloRequest (RFC 5246 §7.4.1.1) from `traffic`. Fails with
/// [`Error::InvalidRequest`] when renegotiation is off, the client is not
/// secure, the limit is reached, or a request or renegotiation is
/// already under way.
pub(super) fn request(traffic: &tls12::Traffic, common: &mut dyn HandshakeIo) -> Result<(), Error> {
    let renegotiation = common.renegotiation();
    let allowed = traffic.config.renegotiation
        && renegotiation.is_secure()
        && !renegotiation.requested()
        && !renegotiation.in_progress()
        && renegotiation.has_room(traffic.config.common.limits.max_renegotiations);
    if !allowed {
        return Err(Error::InvalidRequest(
            InvalidRequestReason::RenegotiationNotNow,
        ));
    }
    common.send_handshake(&HandshakeMessage::HelloRequest)?;
    common.flush_handshake()?;
    common.renegotiation_mut().set_requested();
    Ok(())
}

/// A ClientHello in TLS ≤1.2 traffic, the one message the state takes
/// (its `Expected`): it starts a renegotiation when it may (see the
/// module's header), else `traffic` refuses it as it refuses every
/// renegotiation.
pub(super) fn expect_traffic(
    traffic: tls12::Traffic,
    common: &mut dyn HandshakeIo,
    message: &ReceivedHandshake,
) -> Result<super::State, Error> {
    let config = traffic.config.clone();
    let starts = config.renegotiation
        && common
            .renegotiation_mut()
            .begin(config.common.limits.max_renegotiations);
    if !starts {
        return traffic
            .refuse_renegotiation(common)
            .map(|t| super::State::Tls12(tls12::State::Traffic(t)));
    }
    let hello = hello::read_client_hello(common, message)?;
    let extensions = ClientHelloExtensions::of(&hello);
    let version = hello::choose_version(&config, &hello, &extensions)?;
    if common.negotiated().version() != Some(version) {
        return Err(Error::HandshakeFailure(
            HandshakeFailureReason::RenegotiationChangesVersion,
        ));
    }
    common.report(HandshakeEvent::Renegotiation);
    tls12::handle_client_hello(
        renegotiation_config(config),
        common,
        &hello,
        extensions,
        &message.raw,
        version,
    )
}

/// The configuration of a renegotiated handshake: client authentication
/// as `post_handshake_client_auth` asks, when it asks.
fn renegotiation_config(config: Arc<ServerConfig>) -> Arc<ServerConfig> {
    if matches!(config.post_handshake_client_auth, ClientAuth::None) {
        return config;
    }
    let mut renegotiating = (*config).clone();
    renegotiating.client_auth = config.post_handshake_client_auth.clone();
    Arc::new(renegotiating)
}
