//! The server's handshake: `State` and its transitions.
//!
//! ```text
//! ExpectClientHello ──(no usable key share)── HelloRetryRequest ──> ExpectClientHello (retried)
//!        │ ClientHello: ServerHello … Finished sent
//!        ├──(0-RTT accepted)──> ExpectEndOfEarlyData ──> ExpectFinished
//!        ├──(client auth)──> ExpectCertificate ──> ExpectCertificateVerify ─┐
//!        v                         │ (empty, optional)                      │
//!   ExpectFinished <───────────────┴────────────────────────────────────────┘
//!        │ (FinishedVerified)
//!        v
//!     Traffic
//! ```
//!
//! A ClientHello that chooses TLS 1.0–1.2 hands over to `tls12.rs`,
//! whose states live in `State::Tls12`.

mod hello;
mod tls12;
mod tls13;

use std::sync::Arc;

use crate::common_state::{CommonState, ReceivedHandshake};
use crate::config::ServerConfig;
use crate::error::Error;

pub(crate) use hello::ExpectClientHello;
pub(crate) use tls13::{
    ExpectCertificate, ExpectCertificateVerify, ExpectEndOfEarlyData, ExpectFinished, Traffic,
};
pub use tls13::{COOKIE_LEN, MAX_EARLY_DATA_AGE_SKEW_MS, TICKET_IDENTITY_LEN};

/// The server's handshake states; each consumes itself on a message.
pub(crate) enum State {
    /// Waiting for a ClientHello (the first, or the answer to a retry).
    ExpectClientHello(ExpectClientHello),
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

/// The state of a server that has seen nothing yet.
pub(crate) fn start(config: Arc<ServerConfig>) -> State {
    State::ExpectClientHello(ExpectClientHello::new(config))
}

impl State {
    /// Feeds one message to the current state.
    pub(crate) fn handle(
        self,
        common: &mut CommonState,
        message: &ReceivedHandshake,
    ) -> Result<Self, Error> {
        match self {
            Self::ExpectClientHello(s) => s.expect_client_hello(common, message),
            Self::ExpectCertificate(s) => s.expect_certificate(common, message),
            Self::ExpectCertificateVerify(s) => s.expect_certificate_verify(common, message),
            Self::ExpectEndOfEarlyData(s) => s.expect_end_of_early_data(common, message),
            Self::ExpectFinished(s) => s.expect_finished(common, message),
            Self::Traffic(s) => s.expect_traffic(common, message).map(Self::Traffic),
            Self::Tls12(s) => s.handle(common, message).map(Self::Tls12),
        }
    }
}
