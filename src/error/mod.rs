//! The one error type of the crate. Every variant caused by the peer knows
//! the alert it deserves ([`Error::alert`], after RFC 8446 §6.2); variants
//! caused locally say so by returning `None` or `internal_error`.

mod alert;
mod certificate;
mod load;
mod reasons;
mod session_data;

pub use alert::{AlertDescription, AlertLevel};
pub use certificate::{CertificateError, RevocationReason};
use core::fmt;
pub use load::{LoadError, PemError};
pub use reasons::{
    CryptoReason, DecodeReason, DecryptErrorReason, DerError, HandshakeFailureReason,
    IllegalParameterReason, InsufficientSecurityReason, InvalidRequestReason, LimitExceededReason,
    MissingExtensionReason, ProtocolVersionReason, UnexpectedMessageReason,
    UnsupportedExtensionReason,
};
pub use session_data::SessionDataError;

/// Everything that can go wrong in ferrotls.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The peer's bytes do not parse: `decode_error`.
    Decode(DecodeReason),
    /// The peer's bytes parse but carry a value that is not allowed here:
    /// `illegal_parameter`.
    IllegalParameter(IllegalParameterReason),
    /// A record or message arrived where the protocol allows none of its
    /// kind: `unexpected_message`.
    UnexpectedMessage(UnexpectedMessageReason),
    /// A protected record failed its integrity or padding check:
    /// `bad_record_mac`. Deliberately carries no detail (RFC 5246 §6.2.3.2).
    BadRecordMac,
    /// A record, or the plaintext inside it, is longer than allowed:
    /// `record_overflow`.
    RecordOverflow,
    /// A signature, Finished or PSK binder did not verify: `decrypt_error`.
    DecryptError(DecryptErrorReason),
    /// The peer offered nothing acceptable: `handshake_failure`.
    HandshakeFailure(HandshakeFailureReason),
    /// The peer offered only parameters weaker than we accept:
    /// `insufficient_security`.
    InsufficientSecurity(InsufficientSecurityReason),
    /// The peer's protocol version is not supported: `protocol_version`.
    ProtocolVersion(ProtocolVersionReason),
    /// A mandatory extension is absent: `missing_extension`.
    MissingExtension(MissingExtensionReason),
    /// The peer sent an extension it may not send here:
    /// `unsupported_extension`.
    UnsupportedExtension(UnsupportedExtensionReason),
    /// A peer message exceeds one of this crate's bounded limits (handshake
    /// message size, buffered plaintext, consecutive empty records, ...):
    /// `illegal_parameter`, as OpenSSL and BoringSSL answer an excessive
    /// message size.
    LimitExceeded(LimitExceededReason),
    /// The peer sent this alert; no alert is sent back.
    AlertReceived(AlertDescription),
    /// The caller's buffer is too short; `needed` bytes are required and
    /// nothing was copied.
    BufferTooSmall {
        /// The size the buffer must have.
        needed: usize,
    },
    /// A value we were about to send is too long for its length prefix, or
    /// outside the bounds its RFC syntax gives it (so our own decoder would
    /// refuse it): nothing was written. Local: `internal_error`.
    EncodeOverflow,
    /// The record sequence number would wrap; the connection must end
    /// (RFC 8446 §5.3, RFC 5246 §6.1).
    SequenceNumberExhausted,
    /// The write key reached its AEAD usage limit (RFC 8446 §5.5) in a
    /// version without KeyUpdate (TLS ≤1.2): the connection sent
    /// close_notify and refuses further writes. Local: no alert.
    KeyUsageLimitReached,
    /// A cryptographic operation failed for a local reason (bad key
    /// material, random generator failure): `internal_error`.
    Crypto(CryptoReason),
    /// A peer's certificate chain was refused; the certificate error names
    /// the reason and its alert (bad_certificate, certificate_expired,
    /// unknown_ca, unsupported_certificate, ...).
    InvalidCertificate(CertificateError),
    /// Stored or exported session data is unusable (corrupted, truncated,
    /// of an unknown format, expired, ...); a local error, no alert.
    SessionData(SessionDataError),
    /// The peer offered application protocols (ALPN) none of which we
    /// speak, or chose one we did not offer: `no_application_protocol`
    /// (RFC 7301 §3.2).
    NoApplicationProtocol,
    /// A server that requires client authentication received no client
    /// certificate: `certificate_required` (RFC 8446 §4.4.2.4).
    CertificateRequired,
    /// The caller asked for something the configuration or the
    /// connection's state does not allow (an invalid configuration, data
    /// written after close, an exporter before the handshake completed).
    /// Local: no alert.
    InvalidRequest(InvalidRequestReason),
    /// A ClientHello carrying TLS_FALLBACK_SCSV offered a highest version
    /// below ours: `inappropriate_fallback` (RFC 7507 §3).
    InappropriateFallback,
    /// Certificates, a key or trust anchors did not load (shared, so the
    /// error stays small and cloneable). Local: no alert.
    Load(std::sync::Arc<LoadError>),
}

/// The most words an [`Error`] may take: it rides in the `Result` of every
/// record and handshake step, so it stays as small as it was when reasons
/// were texts (each reason is one byte; only certificate errors carry
/// text). A larger error measurably slows the short TLS 1.2 resumptions.
const MAX_ERROR_WORDS: usize = 3;

const _: () =
    assert!(core::mem::size_of::<Error>() <= MAX_ERROR_WORDS * core::mem::size_of::<usize>());

impl Error {
    /// The alert to send for this error, or `None` when none should be sent
    /// (the peer's own alert, or a local API error).
    pub fn alert(&self) -> Option<AlertDescription> {
        use AlertDescription as A;
        Some(match self {
            Self::Decode(_) => A::DecodeError,
            Self::IllegalParameter(_) | Self::LimitExceeded(_) => A::IllegalParameter,
            Self::UnexpectedMessage(_) => A::UnexpectedMessage,
            Self::BadRecordMac => A::BadRecordMac,
            Self::RecordOverflow => A::RecordOverflow,
            Self::DecryptError(_) => A::DecryptError,
            Self::HandshakeFailure(_) => A::HandshakeFailure,
            Self::InsufficientSecurity(_) => A::InsufficientSecurity,
            Self::ProtocolVersion(_) => A::ProtocolVersion,
            Self::MissingExtension(_) => A::MissingExtension,
            Self::UnsupportedExtension(_) => A::UnsupportedExtension,
            Self::EncodeOverflow | Self::Crypto(_) | Self::SequenceNumberExhausted => {
                A::InternalError
            }
            Self::InvalidCertificate(e) => e.alert(),
            Self::NoApplicationProtocol => A::NoApplicationProtocol,
            Self::CertificateRequired => A::CertificateRequired,
            Self::InappropriateFallback => A::InappropriateFallback,
            Self::AlertReceived(_)
            | Self::BufferTooSmall { .. }
            | Self::SessionData(_)
            | Self::InvalidRequest(_)
            | Self::Load(_)
            | Self::KeyUsageLimitReached => return None,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Decode(why) => write!(f, "decode error: {why}"),
            Self::IllegalParameter(why) => write!(f, "illegal parameter: {why}"),
            Self::UnexpectedMessage(why) => write!(f, "unexpected message: {why}"),
            Self::BadRecordMac => f.write_str("bad record MAC"),
            Self::RecordOverflow => f.write_str("record overflow"),
            Self::DecryptError(why) => write!(f, "decrypt error: {why}"),
            Self::HandshakeFailure(why) => write!(f, "handshake failure: {why}"),
            Self::InsufficientSecurity(why) => write!(f, "insufficient security: {why}"),
            Self::ProtocolVersion(why) => write!(f, "protocol version: {why}"),
            Self::MissingExtension(why) => write!(f, "missing extension: {why}"),
            Self::UnsupportedExtension(why) => write!(f, "unsupported extension: {why}"),
            Self::LimitExceeded(what) => write!(f, "limit exceeded: {what}"),
            Self::AlertReceived(alert) => write!(f, "received alert {alert}"),
            Self::BufferTooSmall { needed } => {
                write!(f, "buffer too small: {needed} bytes needed")
            }
            Self::EncodeOverflow => {
                f.write_str("value too long for its length prefix or outside its bounds")
            }
            Self::SequenceNumberExhausted => f.write_str("record sequence number exhausted"),
            Self::KeyUsageLimitReached => {
                f.write_str("write key usage limit reached; the connection was closed")
            }
            Self::Crypto(why) => write!(f, "cryptographic failure: {why}"),
            Self::InvalidCertificate(e) => write!(f, "invalid certificate: {e}"),
            Self::SessionData(why) => write!(f, "unusable session data: {why}"),
            Self::NoApplicationProtocol => f.write_str("no application protocol in common"),
            Self::CertificateRequired => f.write_str("client certificate required"),
            Self::InvalidRequest(why) => write!(f, "invalid request: {why}"),
            Self::InappropriateFallback => f.write_str("inappropriate fallback"),
            Self::Load(e) => write!(f, "cannot load: {e}"),
        }
    }
}

impl From<CertificateError> for Error {
    fn from(e: CertificateError) -> Self {
        Self::InvalidCertificate(e)
    }
}

impl From<DerError> for Error {
    /// Bytes that are not DER are a decode error (`decode_error`).
    fn from(e: DerError) -> Self {
        Self::Decode(DecodeReason::Der(e))
    }
}

impl From<LoadError> for Error {
    fn from(e: LoadError) -> Self {
        Self::Load(std::sync::Arc::new(e))
    }
}

impl From<SessionDataError> for Error {
    fn from(e: SessionDataError) -> Self {
        Self::SessionData(e)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peer_errors_name_their_alerts() {
        assert_eq!(
            Error::Decode(DecodeReason::TrailingBytes).alert(),
            Some(AlertDescription::DecodeError)
        );
        assert_eq!(
            Error::BadRecordMac.alert(),
            Some(AlertDescription::BadRecordMac)
        );
        assert_eq!(
            Error::IllegalParameter(IllegalParameterReason::DuplicateExtension).alert(),
            Some(AlertDescription::IllegalParameter)
        );
        assert_eq!(
            Error::AlertReceived(AlertDescription::HandshakeFailure).alert(),
            None
        );
        assert_eq!(Error::BufferTooSmall { needed: 3 }.alert(), None);
    }
}
