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
    /// A CompressedCertificate that does not decompress, or not to exactly
    /// the length it announces (RFC 8879 §4: `bad_certificate`); the text
    /// says which.
    BadCompressedCertificate(&'static str),
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
    /// The path is not valid for any acceptable certificate policy while
    /// explicit policy is required (RFC 5280 §6.1.3 (f), §6.1.5 (g)).
    NoAcceptablePolicy,
    /// Policy processing would take more than
    /// [`crate::MAX_POLICY_GRAPH_WORK`] steps, or an
    /// extension lists more than
    /// [`crate::MAX_POLICIES_PER_EXTENSION`] policies.
    TooComplexPolicies,
    /// Checking names against name constraints would take more
    /// comparisons than
    /// [`crate::MAX_NAME_CONSTRAINT_CHECKS`] (a
    /// constraint bomb).
    TooManyNameConstraintChecks,
    /// A CRL (RFC 5280 §5.3.1) or an OCSP response (RFC 6960 §2.2) lists a
    /// certificate of the path as revoked, for this reason.
    Revoked(RevocationReason),
    /// Hard-fail revocation checking found no usable CRL or OCSP answer for
    /// a certificate of the path; the text says what was missing.
    RevocationUnknown(&'static str),
    /// The only revocation information for a certificate is not current at
    /// the validation time (thisUpdate later, nextUpdate passed); the text
    /// says which source.
    RevocationStale(&'static str),
    /// A CRL or OCSP response fails its checks (encoding, scope, signer,
    /// signature); the text says which.
    BadRevocationInfo(&'static str),
    /// A raw public key (RFC 7250), or the key of an end entity, that is
    /// not among the keys a pinning verifier holds.
    KeyNotPinned,
    /// The peer sent, or could only send, a certificate type (RFC 7250
    /// §3) this side does not take: no type in common, or a raw public key
    /// for a verifier that checks X.509 only.
    UnsupportedCertificateType,
    /// An application's own verifier refused the certificate for a reason
    /// of its own, which the text says; the peer gets
    /// `certificate_unknown` (RFC 8446 §6.2: "some other (unspecified)
    /// issue arose in processing the certificate").
    Refused(&'static str),
}

/// Why a certificate was revoked: CRLReason (RFC 5280 §5.3.1), also used
/// by OCSP (RFC 6960 §4.2.1). Value 7 is unassigned and removeFromCRL (8)
/// only appears in delta CRLs, so neither is a reason here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevocationReason {
    /// unspecified (0), also the reason when none is given.
    Unspecified,
    /// keyCompromise (1).
    KeyCompromise,
    /// cACompromise (2).
    CaCompromise,
    /// affiliationChanged (3).
    AffiliationChanged,
    /// superseded (4).
    Superseded,
    /// cessationOfOperation (5).
    CessationOfOperation,
    /// certificateHold (6): a suspension that may be lifted.
    CertificateHold,
    /// privilegeWithdrawn (9).
    PrivilegeWithdrawn,
    /// aACompromise (10).
    AaCompromise,
}

impl RevocationReason {
    /// The reason for a CRLReason value, if it is one a complete CRL or an
    /// OCSP response may carry.
    pub fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Self::Unspecified,
            1 => Self::KeyCompromise,
            2 => Self::CaCompromise,
            3 => Self::AffiliationChanged,
            4 => Self::Superseded,
            5 => Self::CessationOfOperation,
            6 => Self::CertificateHold,
            9 => Self::PrivilegeWithdrawn,
            10 => Self::AaCompromise,
            _ => return None,
        })
    }

    /// The reason as `ferrotls verify` prints it after `revoked: `.
    pub fn text(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::KeyCompromise => "key compromise",
            Self::CaCompromise => "ca compromise",
            Self::AffiliationChanged => "affiliation changed",
            Self::Superseded => "superseded",
            Self::CessationOfOperation => "cessation of operation",
            Self::CertificateHold => "certificate hold",
            Self::PrivilegeWithdrawn => "privilege withdrawn",
            Self::AaCompromise => "aa compromise",
        }
    }
}

impl CertificateError {
    /// The short, stable reason `ferrotls verify` prints.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::BadEncoding(_) => "bad encoding",
            Self::BadCompressedCertificate(_) => "bad compressed certificate",
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
            Self::NoAcceptablePolicy => "no acceptable certificate policy",
            Self::TooComplexPolicies => "too complex certificate policies",
            Self::TooManyNameConstraintChecks => "too many name constraint checks",
            Self::Revoked(_) => "revoked",
            Self::RevocationUnknown(_) => "revocation unknown",
            Self::RevocationStale(_) => "revocation stale",
            Self::BadRevocationInfo(_) => "bad revocation info",
            Self::KeyNotPinned => "key not pinned",
            Self::UnsupportedCertificateType => "unsupported certificate type",
            Self::Refused(_) => "refused",
        }
    }

    /// The detail that accompanies some reasons, if any.
    pub fn detail(&self) -> Option<&'static str> {
        match self {
            Self::BadEncoding(why)
            | Self::BadCompressedCertificate(why)
            | Self::MisIssued(why)
            | Self::UnsupportedSignatureAlgorithm(why)
            | Self::UnsupportedKey(why)
            | Self::UnsupportedCriticalExtension(why)
            | Self::RevocationUnknown(why)
            | Self::RevocationStale(why)
            | Self::BadRevocationInfo(why)
            | Self::Refused(why) => Some(why),
            Self::Revoked(reason) => Some(reason.text()),
            _ => None,
        }
    }

    /// The alert a TLS peer receives for this failure (RFC 8446 §6.2): a
    /// revoked certificate is `certificate_revoked`; revocation
    /// information that is stale or fails its checks is
    /// `bad_certificate_status_response` (RFC 6066 §8, RFC 8446 §6.2: "an
    /// invalid or unacceptable OCSP response"); no information under
    /// hard-fail, and an application verifier's refusal, are
    /// `certificate_unknown` ("some other (unspecified) issue").
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
            | Self::KeyUsageForbids
            | Self::UnsupportedCertificateType => A::UnsupportedCertificate,
            Self::KeyMismatch => A::InternalError,
            Self::Revoked(_) => A::CertificateRevoked,
            Self::RevocationStale(_) | Self::BadRevocationInfo(_) => {
                A::BadCertificateStatusResponse
            }
            Self::RevocationUnknown(_) | Self::Refused(_) => A::CertificateUnknown,
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
