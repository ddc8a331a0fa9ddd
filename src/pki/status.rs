//! What one revocation source says about one certificate: the common
//! answer of a CRL (RFC 5280 §5) and of an OCSP response (RFC 6960
//! §2.2), which [`super::revocation`] weighs.

use super::algorithm;
use super::trust::TrustAnchor;
use super::x509::{Certificate, KeyUsage};
use crate::crypto::verify::PublicKey;
use crate::der::{tag, Der};
use crate::error::{CertificateError, RevocationReason};

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

/// What a source is checked against: the issuer of the certificate in
/// question, an intermediate or a trust anchor, certificate or bare (RFC
/// 5280 §6.1.1 (d): a name and a key are all an anchor must have).
#[derive(Clone, Debug)]
pub struct Issuer<'a> {
    /// The issuer's subject Name, whole DER.
    pub subject: &'a [u8],
    /// The subjectPublicKey BIT STRING's octets (RFC 6960 §4.1.1 hashes
    /// them into a CertID).
    pub key_bits: &'a [u8],
    /// The issuer's public key.
    pub public_key: PublicKey,
    /// Whether its keyUsage, if any, allows cRLSign (RFC 5280 §6.3.3 (f));
    /// a bare anchor has none.
    pub crl_sign_allowed: bool,
}

impl<'a> Issuer<'a> {
    /// The issuer a certificate is.
    pub fn certificate(cert: &Certificate<'a>) -> Result<Self, CertificateError> {
        Ok(Self {
            subject: cert.subject,
            key_bits: key_bits(cert.spki)?,
            public_key: cert.public_key.clone(),
            crl_sign_allowed: cert.key_usage_allows(KeyUsage::CrlSign),
        })
    }

    /// The issuer a bare trust anchor is.
    pub fn anchor(anchor: &'a TrustAnchor) -> Result<Self, CertificateError> {
        Ok(Self {
            subject: anchor.subject(),
            key_bits: key_bits(anchor.spki())?,
            public_key: algorithm::public_key(anchor.spki())?,
            crl_sign_allowed: true,
        })
    }
}

/// The subjectPublicKey BIT STRING's key bytes (without the unused-bits
/// octet) of a SubjectPublicKeyInfo, which OCSP's byKey and
/// issuerKeyHash hash (RFC 6960 §4.1.1, §4.2.1).
pub fn key_bits(spki: &[u8]) -> Result<&[u8], CertificateError> {
    Der::new(spki).sequence(|spki| -> Result<_, CertificateError> {
        spki.expect_tag(tag::SEQUENCE)?;
        Ok(spki.bit_string()?.bytes)
    })
}
