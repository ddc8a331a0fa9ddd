//! The server's handshake: `State` and its transitions.
//!
//! ```text
//! ExpectClientHello ──(no usable key share: HelloRetryRequest)──> ExpectRetriedClientHello
//!        │ ClientHello: ServerHello … Finished sent         (its one share fits) │
//!        │<───────────────────────────────────────────────────────────────────┘
//!        ├──(0-RTT accepted)──> ExpectEndOfEarlyData ──> ExpectFinished
//!        ├──(client auth)──> ExpectCertificate ──> ExpectCertificateVerify ─┐
//!        v                         │ (empty, optional)                      │
//!   ExpectFinished <───────────────┴────────────────────────────────────────┘
//!        │ (FinishedVerified)
//!        v
//!     Traffic ──(request_client_certificate)──> CertificateRequest sent;
//!               its answer (`post_handshake_auth.rs`) arrives in Traffic
//! ```
//!
//! A ClientHello that chooses TLS 1.0–1.2 hands over to `tls12.rs`,
//! whose states live in `State::Tls12`. In its traffic state a
//! ClientHello is a renegotiation, which `renegotiation.rs` starts (again
//! through `tls12.rs`) or refuses.
//!
//! The files import one way: `hello.rs` reads the ClientHello and makes
//! the choices both versions share; `tls12.rs` and `tls13.rs` import it;
//! this facade holds the first state and dispatches on the version.

mod certificate_request;
mod hello;
mod post_handshake_auth;
mod renegotiation;
mod tls12;
mod tls13;

use std::sync::Arc;

use super::Expected;
use crate::common_state::{HandshakeIo, ReceivedHandshake};
use crate::config::ServerConfig;
use crate::error::{Error, InvalidRequestReason, UnexpectedMessageReason};
use crate::msgs::client_hello_extensions::ClientHelloExtensions;
use crate::msgs::enums::{HandshakeType, ProtocolVersion};

pub(crate) use hello::{host_name, read_client_hello};
pub use post_handshake_auth::MAX_OUTSTANDING_CERTIFICATE_REQUESTS;
pub(crate) use tls13::{
    ExpectCertificate, ExpectCertificateVerify, ExpectEndOfEarlyData, ExpectFinished,
    ExpectRetriedClientHello, Traffic,
};
pub use tls13::{MAX_EARLY_DATA_AGE_SKEW_MS, MAX_PSK_IDENTITIES_CONSIDERED};

/// The server's handshake states; each consumes itself on a message.
pub(crate) enum State {
    /// Waiting for the first ClientHello.
    ExpectClientHello(ExpectClientHello),
    /// HelloRetryRequest sent: waiting for the second ClientHello.
    ExpectRetriedClientHello(ExpectRetriedClientHello),
    /// CertificateRequest sent; waiting for the client's Certificate.
    ExpectCertificate(ExpectCertificate),
    /// Client chain accepted; waiting for its CertificateVerify.
    ExpectCertificateVerify(ExpectCertificateVerify),
    /// 0-RTT data accepted; waiting for EndOfEarlyData.
    ExpectEndOfEarlyData(ExpectEndOfEarlyData),
    /// Waiting for the client's Finished.
    ExpectFinished(ExpectFinished),
    /// Handshake complete.
    Traffic(Traffic),
    /// TLS 1.0–1.2, after the ClientHello.
    Tls12(tls12::State),
}

/// Sends a post-handshake CertificateRequest (RFC 8446 §4.6.2), which
/// needs a completed TLS 1.3 handshake.
pub(crate) fn request_client_certificate(
    state: &mut State,
    common: &mut dyn HandshakeIo,
) -> Result<(), Error> {
    match state {
        State::Traffic(traffic) => traffic.post_handshake_auth.request(common),
        _ => Err(Error::InvalidRequest(
            InvalidRequestReason::PostHandshakeAuthNotNow,
        )),
    }
}

/// Sends a HelloRequest to start a renegotiation (RFC 5746), which needs
/// a completed TLS 1.0–1.2 handshake.
pub(crate) fn request_renegotiation(
    state: &mut State,
    common: &mut dyn HandshakeIo,
) -> Result<(), Error> {
    match state {
        State::Tls12(tls12::State::Traffic(traffic)) => renegotiation::request(traffic, common),
        _ => Err(Error::InvalidRequest(
            InvalidRequestReason::RenegotiationNotNow,
        )),
    }
}

/// The post-handshake CertificateRequests not yet answered in full.
pub(crate) fn pending_certificate_requests(state: &State) -> usize {
    match state {
        State::Traffic(traffic) => traffic.post_handshake_auth.pending(),
        _ => 0,
    }
}

/// The state of a server that has seen nothing yet.
pub(crate) fn start(config: Arc<ServerConfig>) -> State {
    State::ExpectClientHello(ExpectClientHello::new(config))
}

/// Waiting for the first ClientHello.
pub(crate) struct ExpectClientHello {
    config: Arc<ServerConfig>,
}

impl ExpectClientHello {
    fn new(config: Arc<ServerConfig>) -> Self {
        Self { config }
    }

    /// Reads a ClientHello, chooses the version (`hello.rs`) and hands
    /// over to that version's state machine.
    fn expect_client_hello(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let hello = hello::read_client_hello(common, message)?;
        let extensions = ClientHelloExtensions::of(&hello);
        let raw = &message.raw;
        match hello::choose_version(&self.config, &hello, &extensions)? {
            ProtocolVersion::TLSv1_3 => {
                tls13::handle_client_hello(self.config, common, &hello, extensions, raw)
            }
            version => {
                tls12::handle_client_hello(self.config, common, &hello, extensions, raw, version)
            }
        }
    }
}

impl State {
    /// The messages this state accepts (see [`Expected`]).
    pub(crate) fn expected(&self) -> Expected {
        use HandshakeType as T;
        use UnexpectedMessageReason as R;
        match self {
            Self::ExpectClientHello(_) | Self::ExpectRetriedClientHello(_) => {
                Expected::new(&[T::ClientHello], R::ExpectedClientHello)
            }
            Self::ExpectCertificate(_) => Expected::new(
                &[T::Certificate, T::CompressedCertificate],
                R::ExpectedClientCertificate,
            ),
            Self::ExpectCertificateVerify(_) => {
                Expected::new(&[T::CertificateVerify], R::ExpectedCertificateVerify)
            }
            Self::ExpectEndOfEarlyData(_) => {
                Expected::new(&[T::EndOfEarlyData], R::ExpectedEndOfEarlyData)
            }
            Self::ExpectFinished(_) => Expected::new(&[T::Finished], R::ExpectedFinished),
            // KeyUpdate, and the messages answering a post-handshake
            // CertificateRequest (RFC 8446 §4.6.2).
            Self::Traffic(_) => Expected::new(
                &[
                    T::KeyUpdate,
                    T::Certificate,
                    T::CompressedCertificate,
                    T::CertificateVerify,
                    T::Finished,
                ],
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
            Self::ExpectClientHello(s) => s.expect_client_hello(common, message),
            Self::ExpectRetriedClientHello(s) => s.expect_client_hello(common, message),
            Self::ExpectCertificate(s) => s.expect_certificate(common, message),
            Self::ExpectCertificateVerify(s) => s.expect_certificate_verify(common, message),
            Self::ExpectEndOfEarlyData(s) => s.expect_end_of_early_data(common, message),
            Self::ExpectFinished(s) => s.expect_finished(common, message),
            Self::Traffic(s) => s.expect_traffic(common, message).map(Self::Traffic),
            Self::Tls12(tls12::State::Traffic(s)) => {
                renegotiation::expect_traffic(s, common, message)
            }
            Self::Tls12(s) => s.handle(common, message).map(Self::Tls12),
        }
    }
}
