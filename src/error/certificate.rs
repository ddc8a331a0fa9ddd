//! Why a certificate, a chain or a key was refused.
//!
//! Every [`CertificateError`] names one reason with a short, stable text
//! ([`CertificateError::reason`]) that `ferrotls verify` prints, and maps to
//! the TLS alert RFC 8446 §6.2 assigns it ([`CertificateError::alert`]).

use super::AlertDescription;
use super::DerError;
use core::fmt;

/// A certificate or path-validation failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertificateError {
    /// The bytes are not valid DER for the structure expected (X.690 §10);
    /// the text says which rule was broken.
    BadEncoding(&'static str),
    /// The certificate is well-formed but RFC 5280 or the CA/Browser Forum
    /// baseline requirements say it must not have been issued this way.
    MisIssued(&'static str),
    /// The validation time is after a certificate's notAfter.
    Expired,
    /// The validation time is before a certificate's notBefore.
    NotYetValid,
    /// The end-entity certificate does not carry the reference name in its
    /// subjectAltName (RFC 6125 §6).
    NameMismatch,
    /// No path leads from the end entity to a trust anchor.
    UnknownIssuer,
    /// The end-entity certificate itself is self-signed and not a trust
    /// anchor.
    SelfSigned,
    /// The end-entity certificate is a CA certificate (basicConstraints
    /// cA=TRUE).
    CaUsedAsEndEntity,
    /// An issuing certificate is not a CA (no basicConstraints cA=TRUE,
    /// RFC 5280 §6.1.4 (k)).
    IssuerNotCa,
    /// An issuing certificate's keyUsage lacks keyCertSign (RFC 5280
    /// §6.1.4 (n)), or the end entity's keyUsage does not allow the purpose.
    KeyUsageForbids,
    /// An extendedKeyUsage in the path does not allow the required purpose.
    InvalidPurpose,
    /// A pathLenConstraint is exceeded (RFC 5280 §6.1.4 (l)-(m)).
    PathLengthExceeded,
    /// The path is longer than [`MAX_INTERMEDIATES`](crate::MAX_INTERMEDIATES)
    /// intermediates.
    PathTooLong,
    /// A name of the end entity is outside the name constraints of a CA in
    /// the path (RFC 5280 §4.2.1.10).
    NameConstraintsViolated,
    /// A name constraint uses a name form this validator does not support;
    /// refused rather than ignored.
    UnsupportedNameConstraint,
    /// A signature in the path does not verify.
    BadSignature,
    /// A signature algorithm is refused (SHA-1, MD5) or unknown; the text
    /// names it.
    UnsupportedSignatureAlgorithm(&'static str),
    /// A public key type, curve or size is not supported; the text names it.
    UnsupportedKey(&'static str),
    /// A critical extension this validator does not process (RFC 5280
    /// §4.2); the text names it when known.
    UnsupportedCriticalExtension(&'static str),
    /// Path building would need more signature checks than
    /// [`MAX_SIGNATURE_CHECKS`](crate::MAX_SIGNATURE_CHECKS).
    TooManySignatureChecks,
    /// A private key does not belong to the certificate it is configured
    /// with.
    KeyMismatch,
}

impl CertificateError {
    /// The short, stable reason `ferrotls verify` prints.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::BadEncoding(_) => "bad encoding",
            Self::MisIssued(_) => "mis-issued",
            Self::Expired => "expired",
            Self::NotYetValid => "not yet valid",
            Self::NameMismatch => "name mismatch",
            Self::UnknownIssuer => "unknown issuer",
            Self::SelfSigned => "self-signed",
            Self::CaUsedAsEndEntity => "ca used as end entity",
            Self::IssuerNotCa => "issuer not a ca",
            Self::KeyUsageForbids => "key usage forbids",
            Self::InvalidPurpose => "invalid purpose",
            Self::PathLengthExceeded => "path length exceeded",
            Self::PathTooLong => "path too long",
            Self::NameConstraintsViolated => "name constraints violated",
            Self::UnsupportedNameConstraint => "unsupported name constraint",
            Self::BadSignature => "bad signature",
            Self::UnsupportedSignatureAlgorithm(_) => "unsupported signature algorithm",
            Self::UnsupportedKey(_) => "unsupported key",
            Self::UnsupportedCriticalExtension(_) => "unsupported critical extension",
            Self::TooManySignatureChecks => "too many signature checks",
            Self::KeyMismatch => "key does not match certificate",
        }
    }

    /// The detail that accompanies some reasons, if any.
    pub fn detail(&self) -> Option<&'static str> {
        match self {
            Self::BadEncoding(why)
            | Self::MisIssued(why)
            | Self::UnsupportedSignatureAlgorithm(why)
            | Self::UnsupportedKey(why)
            | Self::UnsupportedCriticalExtension(why) => Some(why),
            _ => None,
        }
    }

    /// The alert a TLS peer receives for this failure (RFC 8446 §6.2).
    pub fn alert(&self) -> AlertDescription {
        use AlertDescription as A;
        match self {
            Self::Expired | Self::NotYetValid => A::CertificateExpired,
            Self::UnknownIssuer | Self::SelfSigned => A::UnknownCa,
            Self::UnsupportedSignatureAlgorithm(_)
            | Self::UnsupportedKey(_)
            | Self::UnsupportedCriticalExtension(_)
            | Self::UnsupportedNameConstraint
            | Self::InvalidPurpose
            | Self::KeyUsageForbids => A::UnsupportedCertificate,
            Self::KeyMismatch => A::InternalError,
            _ => A::BadCertificate,
        }
    }
}

impl fmt::Display for CertificateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.detail() {
            Some(detail) if !detail.is_empty() => write!(f, "{}: {detail}", self.reason()),
            _ => f.write_str(self.reason()),
        }
    }
}

impl From<DerError> for CertificateError {
    /// Bytes that are not DER are [`CertificateError::BadEncoding`], with
    /// the broken rule as the detail.
    fn from(e: DerError) -> Self {
        Self::BadEncoding(e.text())
    }
}

impl std::error::Error for CertificateError {}
