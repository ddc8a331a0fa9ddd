//! What one revocation source says about one certificate: the common
//! answer of a CRL (RFC 5280 §5) and of an OCSP response (RFC 6960
//! §2.2), which [`super::revocation`] weighs.

use crate::error::RevocationReason;

/// What one usable source says about one certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Not revoked (a CRL that does not list it, OCSP `good`).
    Good,
    /// Revoked, for this reason.
    Revoked(RevocationReason),
    /// The OCSP responder does not know the certificate (RFC 6960 §2.2).
    Unknown,
}
