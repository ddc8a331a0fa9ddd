//! Watching a handshake message by message: the [`MessageObserver`]
//! hook a configuration may carry, called with the direction and type of
//! each handshake message the connection sends or receives, in order.
//!
//! It sees every message of the handshake protocol (RFC 8446 §4, RFC 5246
//! §7.4), including those TLS 1.3 sends encrypted (EncryptedExtensions
//! through Finished) and those after the handshake (NewSessionTicket,
//! KeyUpdate). Like the rest of the crate it does no I/O: what to do with
//! each message (print it, count it) is the embedder's; `ferrotls client
//! --trace` prints one line per call.

use crate::msgs::enums::HandshakeType;

/// Which way a handshake message went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageDirection {
    /// Queued by this side for sending.
    Sent,
    /// Received whole from the peer, about to be handled.
    Received,
}

/// Sees each handshake message of every connection made with the
/// configuration that carries it.
///
/// A sent message is reported when it is queued for sending; a received
/// one when it arrives whole, before it is handled, so a message that
/// ends the connection with an error is reported too. Calls come
/// synchronously from inside the connection's methods, so the observer
/// must not block.
pub trait MessageObserver: Send + Sync {
    /// One message went `direction`, of type `typ` (a HelloRetryRequest
    /// is a ServerHello on the wire, RFC 8446 §4.1.3).
    fn handshake_message(&self, direction: MessageDirection, typ: HandshakeType);
}
