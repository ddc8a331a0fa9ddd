//! The client's handshake: `State` and its transitions.
//!
//! ```text
//! start ── ClientHello ──> ExpectServerHello ── HRR: ClientHello ──┐
//!                                 │ ServerHello (1.3)              v
//!                                 │                  ExpectServerHelloAfterRetry
//!                                 v                                │ ServerHello (1.3)
//!                  ExpectEncryptedExtensions <─────────────────────┘
//!                                 v
//!           ExpectCertificateOrRequest ── CertificateRequest ──> ExpectCertificate
//!                                 │ Certificate (ServerCertVerified)      │
//!                                 v                                       │
//!                  ExpectCertificateVerify (SignatureVerified) <──────────┘
//!                                 v
//!                  ExpectFinished (FinishedVerified) ── our flight ──> Traffic
//! ```
//!
//! `hello.rs` builds the ClientHello and settles the version of the
//! server's answer; this facade hands the answer to the version's
//! machine, so the files import one way: `tls12.rs` and `tls13.rs` use
//! `hello.rs`, never the reverse. A ServerHello choosing TLS 1.0–1.2 hands
//! over to `tls12.rs`, whose states live in `State::Tls12`; in its
//! traffic state a HelloRequest asks to renegotiate, which
//! `renegotiation.rs` answers with a new ClientHello (back to
//! `ExpectServerHello`) or refuses. After a
//! HelloRetryRequest only a TLS 1.3 ServerHello is accepted: the state
//! that waits for it refuses a second HelloRetryRequest and a TLS 1.0–1.2
//! ServerHello by its type, not by a flag (RFC 8446 §4.1.4).
//!
//! Resuming (a ticket accepted in the ServerHello), EncryptedExtensions
//! leads straight to `ExpectFinished`. With 0-RTT, early data goes out
//! under the early key right after the ClientHello; EndOfEarlyData
//! follows the server Finished when it was accepted. `Traffic` keeps the
//! resumption master secret to turn NewSessionTickets into stored tickets.

mod hello;
mod post_handshake_auth;
mod renegotiation;
mod tls12;
mod tls13;

use std::sync::Arc;

use super::Expected;
use crate::common_state::{HandshakeIo, ReceivedHandshake};
use crate::config::ClientConfig;
use crate::error::{Error, ProtocolVersionReason, UnexpectedMessageReason};
use crate::msgs::enums::HandshakeType;
use crate::pki::ServerName;

pub(crate) use hello::ExpectServerHello;
use hello::ServerAnswer;
pub(crate) use tls13::{
    ExpectCertificate, ExpectCertificateOrRequest, ExpectCertificateVerify,
    ExpectEncryptedExtensions, ExpectFinished, ExpectServerHelloAfterRetry, Traffic,
};

/// The client's handshake states; each consumes itself on a message.
pub(crate) enum State {
    /// ClientHello sent; waiting for ServerHello or HelloRetryRequest.
    ExpectServerHello(ExpectServerHello),
    /// HelloRetryRequest answered; waiting for the TLS 1.3 ServerHello.
    ExpectServerHelloAfterRetry(ExpectServerHelloAfterRetry),
    /// Handshake keys in place; waiting for EncryptedExtensions.
    ExpectEncryptedExtensions(ExpectEncryptedExtensions),
    /// Waiting for CertificateRequest or Certificate.
    ExpectCertificateOrRequest(ExpectCertificateOrRequest),
    /// CertificateRequest received; waiting for Certificate.
    ExpectCertificate(ExpectCertificate),
    /// Server chain accepted; waiting for CertificateVerify.
    ExpectCertificateVerify(ExpectCertificateVerify),
    /// Server authenticated; waiting for its Finished.
    ExpectFinished(ExpectFinished),
    /// Handshake complete.
    Traffic(Traffic),
    /// TLS 1.0–1.2, after the ServerHello.
    Tls12(tls12::State),
}

/// Builds and queues the first ClientHello.
pub(crate) fn start(
    config: Arc<ClientConfig>,
    server_name: ServerName,
    common: &mut dyn HandshakeIo,
) -> Result<State, Error> {
    hello::start(config, server_name, common).map(State::ExpectServerHello)
}

impl State {
    /// The messages this state accepts (see [`Expected`]).
    pub(crate) fn expected(&self, common: &dyn HandshakeIo) -> Expected {
        use HandshakeType as T;
        use UnexpectedMessageReason as R;
        match self {
            // A HelloRequest may still arrive while a renegotiation's
            // ClientHello waits, and is ignored (RFC 5246 §7.4.1.1).
            Self::ExpectServerHello(_) if common.renegotiation().in_progress() => {
                Expected::new(&[T::ServerHello, T::HelloRequest], R::ExpectedServerHello)
            }
            Self::ExpectServerHello(_) | Self::ExpectServerHelloAfterRetry(_) => {
                Expected::new(&[T::ServerHello], R::ExpectedServerHello)
            }
            Self::ExpectEncryptedExtensions(_) => {
                Expected::new(&[T::EncryptedExtensions], R::ExpectedEncryptedExtensions)
            }
            Self::ExpectCertificateOrRequest(_) => Expected::new(
                &[
                    T::CertificateRequest,
                    T::Certificate,
                    T::CompressedCertificate,
                ],
                R::ExpectedCertificateRequestOrCertificate,
            ),
            Self::ExpectCertificate(_) => Expected::new(
                &[T::Certificate, T::CompressedCertificate],
                R::ExpectedCertificate,
            ),
            Self::ExpectCertificateVerify(_) => {
                Expected::new(&[T::CertificateVerify], R::ExpectedCertificateVerify)
            }
            Self::ExpectFinished(_) => Expected::new(&[T::Finished], R::ExpectedFinished),
            Self::Traffic(_) => Expected::new(
                &[T::NewSessionTicket, T::KeyUpdate, T::CertificateRequest],
                R::UnexpectedPostHandshake,
            ),
            Self::Tls12(s) => s.expected(),
        }
    }

    /// Feeds one message to the current state.
    pub(crate) fn handle(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<Self, Error> {
        match self {
            Self::ExpectServerHello(s) => {
                if renegotiation::is_ignored_hello_request(common, message)? {
                    Ok(Self::ExpectServerHello(s))
                } else {
                    expect_server_hello(s, common, message)
                }
            }
            Self::ExpectServerHelloAfterRetry(s) => s
                .expect_server_hello(common, message)
                .map(Self::ExpectEncryptedExtensions),
            Self::ExpectEncryptedExtensions(s) => s.expect_encrypted_extensions(common, message),
            Self::ExpectCertificateOrRequest(s) => s.expect_certificate_or_request(common, message),
            Self::ExpectCertificate(s) => s.expect_certificate(common, message),
            Self::ExpectCertificateVerify(s) => s.expect_certificate_verify(common, message),
            Self::ExpectFinished(s) => s.expect_finished(common, message),
            Self::Traffic(s) => s.expect_traffic(common, message).map(Self::Traffic),
            Self::Tls12(tls12::State::Traffic(s)) => {
                renegotiation::expect_traffic(s, common, message)
            }
            Self::Tls12(s) => s.handle(common, message).map(Self::Tls12),
        }
    }
}

/// Reads the server's answer to a ClientHello and hands it to the
/// machine of the version it settled: `tls12.rs` for TLS 1.0–1.2,
/// `tls13.rs` for a HelloRetryRequest or a TLS 1.3 ServerHello.
fn expect_server_hello(
    state: ExpectServerHello,
    common: &mut dyn HandshakeIo,
    message: &ReceivedHandshake,
) -> Result<State, Error> {
    match state.read_server_hello(message)? {
        // RFC 8446 §D.3: "A client that attempts to send 0-RTT data MUST
        // fail a connection if it receives a ServerHello with TLS 1.2 or
        // older" (`protocol_version`, as BoringSSL answers), in an alert
        // such a server can read: unprotected, not under the early key.
        ServerAnswer::Tls12(..) if state.early_data => {
            common.end_early_data(false);
            common.set_plaintext_write()?;
            Err(Error::ProtocolVersion(
                ProtocolVersionReason::Tls12AfterEarlyData,
            ))
        }
        ServerAnswer::Tls12(hello, version) => {
            tls12::handle_server_hello(state, common, &hello, &message.raw, version)
                .map(State::Tls12)
        }
        ServerAnswer::HelloRetryRequest(retry) => {
            tls13::handle_retry(state, common, &retry, &message.raw)
                .map(State::ExpectServerHelloAfterRetry)
        }
        ServerAnswer::Tls13(hello) => {
            tls13::handle_server_hello(state, None, common, &hello, &message.raw)
                .map(State::ExpectEncryptedExtensions)
        }
    }
}
