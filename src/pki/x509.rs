//! X.509 v3 certificates (RFC 5280 §4): parsing into a borrowed
//! [`Certificate`] whose fields later checks read.
//!
//! Parsing enforces the encoding (strict DER, version 3, outer and inner
//! signature algorithms identical, no duplicate extensions, every known
//! extension well formed); the profile rules that make a certificate
//! mis-issued are checked by [`super::profile`] and the chain rules by
//! [`super::path`].

use super::algorithm;
use super::der::time;
use super::names;
use super::oid;
use crate::crypto::verify::PublicKey;
use crate::der::{tag, BitString, Der};
use crate::error::CertificateError;

/// The X.509 version number of v3 certificates (RFC 5280 §4.1.2.1: the
/// INTEGER 2).
pub const VERSION_3: u64 = 2;

/// keyUsage bit digitalSignature (RFC 5280 §4.2.1.3).
pub const KU_DIGITAL_SIGNATURE: usize = 0;
/// keyUsage bit keyEncipherment.
pub const KU_KEY_ENCIPHERMENT: usize = 2;
/// keyUsage bit keyAgreement.
pub const KU_KEY_AGREEMENT: usize = 4;
/// keyUsage bit keyCertSign.
pub const KU_KEY_CERT_SIGN: usize = 5;

/// An extension's value and its critical flag (RFC 5280 §4.1.2.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extension<'a> {
    /// The contents of extnValue (the DER of the extension's own type).
    pub value: &'a [u8],
    /// Whether the issuer marked the extension critical.
    pub critical: bool,
}

/// basicConstraints (RFC 5280 §4.2.1.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BasicConstraints {
    /// cA: whether the subject is a CA.
    pub ca: bool,
    /// pathLenConstraint: the most non-self-issued intermediates that may
    /// follow this certificate in a path.
    pub path_len: Option<u64>,
    /// Whether the extension is critical.
    pub critical: bool,
}

/// A parsed X.509 v3 certificate borrowing its DER.
#[derive(Clone, Debug)]
pub struct Certificate<'a> {
    /// The whole certificate.
    pub der: &'a [u8],
    /// The tbsCertificate element: the bytes the issuer signed.
    pub tbs: &'a [u8],
    /// The signatureAlgorithm AlgorithmIdentifier (whole DER element).
    pub signature_algorithm: &'a [u8],
    /// The signatureValue octets.
    pub signature: &'a [u8],
    /// serialNumber contents (two's complement, minimal).
    pub serial: &'a [u8],
    /// issuer Name, whole DER element (compared byte for byte).
    pub issuer: &'a [u8],
    /// subject Name, whole DER element.
    pub subject: &'a [u8],
    /// Whether the subject Name holds no RDN.
    pub subject_is_empty: bool,
    /// notBefore in UNIX seconds.
    pub not_before: i64,
    /// notAfter in UNIX seconds.
    pub not_after: i64,
    /// The subjectPublicKeyInfo element.
    pub spki: &'a [u8],
    /// The subject's public key.
    pub public_key: PublicKey,
    /// basicConstraints, if present.
    pub basic_constraints: Option<BasicConstraints>,
    /// keyUsage bits, if present.
    pub key_usage: Option<(BitString<'a>, bool)>,
    /// extKeyUsage: the contents of its SEQUENCE OF KeyPurposeId.
    pub extended_key_usage: Option<Extension<'a>>,
    /// subjectAltName: the contents of its GeneralNames.
    pub subject_alt_name: Option<Extension<'a>>,
    /// nameConstraints: the contents of its SEQUENCE.
    pub name_constraints: Option<Extension<'a>>,
    /// subjectKeyIdentifier: the key identifier and the critical flag.
    pub subject_key_id: Option<Extension<'a>>,
    /// authorityKeyIdentifier: the keyIdentifier if present, and the
    /// critical flag.
    pub authority_key_id: Option<(Option<&'a [u8]>, bool)>,
}

impl<'a> Certificate<'a> {
    /// Parses one DER certificate (RFC 5280 §4.1). Success means the
    /// encoding is strict DER of a v3 certificate with supported key and
    /// known extensions well formed; failure names the broken rule. An
    /// unknown critical extension fails with
    /// [`CertificateError::UnsupportedCriticalExtension`].
    pub fn parse(der: &'a [u8]) -> Result<Self, CertificateError> {
        let mut outer = Der::new(der);
        let cert = outer.sequence(|seq| {
            let tbs = seq.expect_tag(tag::SEQUENCE)?;
            let signature_algorithm = seq.expect_tag(tag::SEQUENCE)?.raw;
            let signature = seq.bit_string()?.octets()?;
            parse_tbs(der, tbs.raw, tbs.value, signature_algorithm, signature)
        })?;
        outer.finish()?;
        Ok(cert)
    }

    /// Whether issuer and subject are the same name (RFC 5280 §3.2
    /// "self-issued").
    pub fn is_self_issued(&self) -> bool {
        self.issuer == self.subject
    }

    /// Whether basicConstraints says cA=TRUE.
    pub fn is_ca(&self) -> bool {
        self.basic_constraints.is_some_and(|bc| bc.ca)
    }

    /// Whether keyUsage is absent or asserts bit `n`.
    pub fn key_usage_allows(&self, n: usize) -> bool {
        self.key_usage.is_none_or(|(bits, _)| bits.bit(n))
    }

    /// Whether extKeyUsage is absent or lists `purpose` (an OID's contents).
    /// anyExtendedKeyUsage does not count (CA/Browser Forum baseline
    /// requirements §7.1.2.7.10 forbid it in TLS certificates).
    pub fn extended_key_usage_allows(&self, purpose: &[u8]) -> Result<bool, CertificateError> {
        let Some(eku) = self.extended_key_usage else {
            return Ok(true);
        };
        let mut list = Der::new(eku.value);
        while !list.is_empty() {
            if list.oid()? == purpose {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

fn parse_tbs<'a>(
    der: &'a [u8],
    tbs_raw: &'a [u8],
    tbs: &'a [u8],
    signature_algorithm: &'a [u8],
    signature: &'a [u8],
) -> Result<Certificate<'a>, CertificateError> {
    let mut seq = Der::new(tbs);
    let mut version = seq
        .optional(tag::context_constructed(0))?
        .map(Der::new)
        .ok_or(CertificateError::BadEncoding("not a version 3 certificate"))?;
    if version.small_unsigned()? != VERSION_3 {
        return Err(CertificateError::BadEncoding("not a version 3 certificate"));
    }
    version.finish()?;
    let serial = seq.integer()?;
    let inner_algorithm = seq.expect_tag(tag::SEQUENCE)?.raw;
    if inner_algorithm != signature_algorithm {
        return Err(CertificateError::BadEncoding(
            "signatureAlgorithm differs from the signature field of tbsCertificate",
        ));
    }
    let issuer = names::check_name(&mut seq)?.0;
    let (not_before, not_after) =
        seq.sequence(|v| -> Result<_, CertificateError> { Ok((time(v)?, time(v)?)) })?;
    let (subject, subject_is_empty) = names::check_name(&mut seq)?;
    let spki = seq.expect_tag(tag::SEQUENCE)?.raw;
    let public_key = algorithm::public_key(spki)?;
    seq.optional(tag::context_primitive(1))?;
    seq.optional(tag::context_primitive(2))?;
    let mut cert = Certificate {
        der,
        tbs: tbs_raw,
        signature_algorithm,
        signature,
        serial,
        issuer,
        subject,
        subject_is_empty,
        not_before,
        not_after,
        spki,
        public_key,
        basic_constraints: None,
        key_usage: None,
        extended_key_usage: None,
        subject_alt_name: None,
        name_constraints: None,
        subject_key_id: None,
        authority_key_id: None,
    };
    if let Some(extensions) = seq.optional(tag::context_constructed(3))? {
        let mut wrapper = Der::new(extensions);
        let mut list = wrapper.nested(tag::SEQUENCE)?;
        wrapper.finish()?;
        if list.is_empty() {
            return Err(CertificateError::BadEncoding("empty extensions"));
        }
        let mut seen: Vec<&[u8]> = Vec::new();
        while !list.is_empty() {
            let (id, ext) = list.sequence(|e| {
                let id = e.oid()?;
                let critical = if e.peek_tag() == Some(tag::BOOLEAN) {
                    if !e.boolean()? {
                        return Err(CertificateError::BadEncoding(
                            "critical FALSE encoded although DEFAULT",
                        ));
                    }
                    true
                } else {
                    false
                };
                let value = e.read(tag::OCTET_STRING)?;
                Ok((id, Extension { value, critical }))
            })?;
            if seen.contains(&id) {
                return Err(CertificateError::MisIssued("duplicate extension"));
            }
            seen.push(id);
            apply_extension(&mut cert, id, ext)?;
        }
    }
    seq.finish()?;
    Ok(cert)
}

/// Parses one extension into `cert` (RFC 5280 §4.2). Unknown non-critical
/// extensions are skipped; unknown critical ones and the policy
/// extensions marked critical are refused, since policy processing
/// (RFC 5280 §6.1.3 (d)-(f)) is not implemented.
fn apply_extension<'a>(
    cert: &mut Certificate<'a>,
    id: &[u8],
    ext: Extension<'a>,
) -> Result<(), CertificateError> {
    let whole = |f: &mut dyn FnMut(&mut Der<'a>) -> Result<(), CertificateError>| {
        let mut der = Der::new(ext.value);
        f(&mut der)?;
        Ok(der.finish()?)
    };
    match id {
        oid::BASIC_CONSTRAINTS => whole(&mut |d| {
            cert.basic_constraints = Some(d.sequence(|bc| -> Result<_, CertificateError> {
                let ca = if bc.peek_tag() == Some(tag::BOOLEAN) {
                    if !bc.boolean()? {
                        return Err(CertificateError::BadEncoding(
                            "cA FALSE encoded although DEFAULT",
                        ));
                    }
                    true
                } else {
                    false
                };
                let path_len = if bc.is_empty() {
                    None
                } else {
                    Some(bc.small_unsigned()?)
                };
                Ok(BasicConstraints {
                    ca,
                    path_len,
                    critical: ext.critical,
                })
            })?);
            Ok(())
        }),
        oid::KEY_USAGE => whole(&mut |d| {
            let bits = d.bit_string()?;
            bits.check_named_bits()?;
            if bits.bytes.iter().all(|&b| b == 0) {
                return Err(CertificateError::MisIssued("keyUsage with no bit set"));
            }
            cert.key_usage = Some((bits, ext.critical));
            Ok(())
        }),
        oid::EXTENDED_KEY_USAGE => whole(&mut |d| {
            let value = d.read(tag::SEQUENCE)?;
            if value.is_empty() {
                return Err(CertificateError::BadEncoding("empty extKeyUsage"));
            }
            let mut list = Der::new(value);
            while !list.is_empty() {
                list.oid()?;
            }
            cert.extended_key_usage = Some(Extension {
                value,
                critical: ext.critical,
            });
            Ok(())
        }),
        oid::SUBJECT_ALT_NAME => whole(&mut |d| {
            let value = d.read(tag::SEQUENCE)?;
            names::check_subject_alt_names(value)?;
            cert.subject_alt_name = Some(Extension {
                value,
                critical: ext.critical,
            });
            Ok(())
        }),
        oid::NAME_CONSTRAINTS => whole(&mut |d| {
            let value = d.read(tag::SEQUENCE)?;
            names::check_name_constraints(value)?;
            cert.name_constraints = Some(Extension {
                value,
                critical: ext.critical,
            });
            Ok(())
        }),
        oid::SUBJECT_KEY_IDENTIFIER => whole(&mut |d| {
            let value = d.read(tag::OCTET_STRING)?;
            cert.subject_key_id = Some(Extension {
                value,
                critical: ext.critical,
            });
            Ok(())
        }),
        oid::AUTHORITY_KEY_IDENTIFIER => whole(&mut |d| {
            let key_id = d.sequence(|aki| -> Result<_, CertificateError> {
                let key_id = aki.optional(tag::context_primitive(0))?;
                aki.optional(tag::context_constructed(1))?;
                aki.optional(tag::context_primitive(2))?;
                Ok(key_id)
            })?;
            cert.authority_key_id = Some((key_id, ext.critical));
            Ok(())
        }),
        oid::CERTIFICATE_POLICIES
        | oid::POLICY_MAPPINGS
        | oid::POLICY_CONSTRAINTS
        | oid::INHIBIT_ANY_POLICY => {
            if ext.critical {
                Err(CertificateError::UnsupportedCriticalExtension(
                    "certificate policy processing is not supported",
                ))
            } else {
                Ok(())
            }
        }
        _ if ext.critical => Err(CertificateError::UnsupportedCriticalExtension("")),
        _ => Ok(()),
    }
}
