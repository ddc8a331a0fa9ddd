//! Profile rules: what RFC 5280 and the CA/Browser Forum baseline
//! requirements say a CA must never issue. A certificate breaking one is
//! refused as [`CertificateError::MisIssued`] naming the rule; each rule
//! is listed in `docs/pki.md` with the [`Profile`] that applies it.
//!
//! A certificate held as a trust anchor is checked by [`check_anchor`]
//! when a path reaches it.

use super::names::{self, GeneralName};
use super::oid;
use super::policy;
use super::x509::{Certificate, KeyUsage};
use crate::error::CertificateError;

/// The longest serialNumber, in octets (RFC 5280 §4.1.2.2).
pub const MAX_SERIAL_LEN: usize = 20;

/// Which rules a validation applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Profile {
    /// RFC 5280 as written: its path validation (§6.1) and the MUSTs of
    /// its certificate profile (§4).
    Rfc5280,
    /// RFC 5280's path validation alone (§6.1), to whose outcome §6 asks
    /// implementations to be functionally equivalent: what §4 asks of a
    /// CA issuing a certificate (the criticality of basicConstraints and
    /// policyConstraints, key identifiers, serial numbers, …) is not
    /// checked, as OpenSSL, BoringSSL and NSS leave it unchecked and as
    /// NIST's PKITS expects. For PKIs whose CAs predate those rules.
    Rfc5280Path,
    /// RFC 5280 plus the CA/Browser Forum Baseline Requirements for TLS
    /// server and client certificates, as browsers apply them; what the
    /// TLS verifiers use.
    #[default]
    WebPki,
}

impl Profile {
    /// The profile's name as the command line spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Rfc5280 => "rfc5280",
            Self::Rfc5280Path => "rfc5280-path",
            Self::WebPki => "webpki",
        }
    }
}

impl core::str::FromStr for Profile {
    type Err = UnknownProfile;

    /// `rfc5280`, `rfc5280-path` or `webpki`.
    fn from_str(name: &str) -> Result<Self, UnknownProfile> {
        [Self::Rfc5280, Self::Rfc5280Path, Self::WebPki]
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or(UnknownProfile)
    }
}

/// A profile name other than `rfc5280`, `rfc5280-path` and `webpki`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownProfile;

impl core::fmt::Display for UnknownProfile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("unknown profile (expected rfc5280, rfc5280-path or webpki)")
    }
}

impl std::error::Error for UnknownProfile {}

fn mis_issued(rule: &'static str) -> CertificateError {
    CertificateError::MisIssued(rule)
}

/// The rules of RFC 5280 §4 a presented certificate is held to and a
/// trust anchor is not, since roots browsers trust break them and what
/// they govern plays no part in validation:
/// - its serialNumber is positive and at most 20 octets (§4.1.2.2),
///   which asks certificate users to "gracefully handle" the
///   non-positive ones non-conforming CAs made (serial 0: Go Daddy and
///   Starfield Root Certificate Authority G2);
/// - its validity dates are UTCTime through 2049 and GeneralizedTime
///   from 2050 (§4.1.2.5: "CAs conforming to this profile MUST always
///   encode"); Certum Trusted Network CA 2 has a 2046 notAfter in
///   GeneralizedTime, whose value is read all the same.
fn check_presented(cert: &Certificate<'_>) -> Result<(), CertificateError> {
    let positive =
        cert.serial.first().is_some_and(|b| b & 0x80 == 0) && cert.serial.iter().any(|&b| b != 0);
    if !positive {
        return Err(mis_issued("serial number not positive"));
    }
    if cert.serial.len() > MAX_SERIAL_LEN {
        return Err(mis_issued("serial number longer than 20 octets"));
    }
    if !cert.validity_in_form {
        return Err(mis_issued("validity date before 2050 as GeneralizedTime"));
    }
    Ok(())
}

/// Rules for every certificate, end entity, intermediate or anchor,
/// besides those of [`check_presented`].
fn check_common(cert: &Certificate<'_>, profile: Profile) -> Result<(), CertificateError> {
    // RFC 5280 §4.2.1.1: present except in self-signed certificates,
    // never critical.
    match cert.authority_key_id {
        Some(aki) if aki.critical => {
            return Err(mis_issued("authorityKeyIdentifier marked critical"))
        }
        None if !cert.is_self_issued() => {
            return Err(mis_issued("authorityKeyIdentifier missing"));
        }
        _ => {}
    }
    // RFC 5280 §4.1.2.8: "CAs conforming to this profile MUST NOT
    // generate certificates with unique identifiers" (rustls-webpki
    // refuses them too).
    if cert.has_unique_ids {
        return Err(mis_issued("unique identifiers"));
    }
    // RFC 5280 §4.2.1.2: never critical.
    if cert.subject_key_id.is_some_and(|ski| ski.critical) {
        return Err(mis_issued("subjectKeyIdentifier marked critical"));
    }
    // RFC 5280 §4.2.1.10: only in CA certificates, always critical.
    if let Some(nc) = cert.name_constraints {
        if !cert.is_ca() {
            return Err(mis_issued(
                "nameConstraints in a certificate that is not a CA",
            ));
        }
        // RFC 5280 §4.2.1.10 makes it critical; the baseline
        // requirements let a CA mark it non-critical "as an explicit
        // exception from RFC 5280", for clients that cannot process it.
        if !nc.critical && profile == Profile::Rfc5280 {
            return Err(mis_issued("nameConstraints not critical"));
        }
    }
    // RFC 5280 §4.2.1.1: the keyIdentifier "MUST be included in all
    // certificates generated by conforming CAs to facilitate
    // certification path construction"; a self-signed certificate may
    // leave the extension out.
    if cert
        .authority_key_id
        .is_some_and(|aki| aki.key_id.is_none())
        && !cert.is_self_issued()
    {
        return Err(mis_issued("authorityKeyIdentifier without keyIdentifier"));
    }
    // RFC 5280 §4.2.1.11 and §4.2.1.14: "Conforming CAs MUST mark this
    // extension as critical."
    if cert.policy_constraints.is_some_and(|pc| !pc.critical) {
        return Err(mis_issued("policyConstraints not critical"));
    }
    if cert
        .inhibit_any_policy
        .is_some_and(|(_, critical)| !critical)
    {
        return Err(mis_issued("inhibitAnyPolicy not critical"));
    }
    // RFC 5280 §4.2.1.4: anyPolicy's qualifiers are the CPS pointer and
    // the user notice alone.
    if let Some(policies) = cert.certificate_policies {
        if policy::any_policy_has_other_qualifiers(policies.value)? {
            return Err(mis_issued(
                "anyPolicy with a qualifier other than a CPS pointer or a user notice",
            ));
        }
    }
    // RFC 5280 §4.2.1.6 (and §4.2.1.7): a URI "MUST NOT be a relative
    // URI", and one with an authority names a host.
    let alternative_names = cert.subject_alt_name.map(|san| san.value);
    for names in alternative_names.into_iter().chain(cert.issuer_alt_name) {
        for name in names::general_names(names) {
            if matches!(name?, GeneralName::Uri(uri) if !names::is_absolute_uri(uri)) {
                return Err(mis_issued(
                    "relative URI or URI without a host in an alternative name",
                ));
            }
        }
    }
    // RFC 5280 §4.1.2.6 and §4.2.1.6: an empty subject needs a critical
    // subjectAltName.
    if cert.subject_is_empty && !cert.subject_alt_name.is_some_and(|san| san.critical) {
        return Err(mis_issued(
            "empty subject without a critical subjectAltName",
        ));
    }
    // RFC 5280 §4.2.1.3 and §4.2.1.9: keyCertSign and pathLenConstraint
    // need cA=TRUE.
    if let Some((bits, _)) = cert.key_usage {
        if bits.bit(KeyUsage::KeyCertSign.bit()) && !cert.is_ca() {
            return Err(mis_issued("keyCertSign without cA"));
        }
    }
    if cert
        .basic_constraints
        .is_some_and(|bc| bc.path_len.is_some() && !bc.ca)
    {
        return Err(mis_issued("pathLenConstraint without cA"));
    }
    Ok(())
}

/// Rules for an end-entity certificate.
pub fn check_end_entity(cert: &Certificate<'_>, profile: Profile) -> Result<(), CertificateError> {
    if profile == Profile::Rfc5280Path {
        return Ok(());
    }
    check_presented(cert)?;
    check_common(cert, profile)?;
    if profile == Profile::WebPki {
        // BR §7.1.2.7.10: a subscriber certificate lists its purposes.
        if cert.extended_key_usage.is_none() {
            return Err(mis_issued("end entity without extKeyUsage"));
        }
        // BR §7.1.2.7.12: subjectAltName is critical exactly when the
        // subject is empty (RFC 5280 §4.2.1.6 only says SHOULD for the
        // non-empty case).
        if !cert.subject_is_empty && cert.subject_alt_name.is_some_and(|san| san.critical) {
            return Err(mis_issued(
                "subjectAltName critical with a non-empty subject",
            ));
        }
    }
    Ok(())
}

/// The baseline requirements' rules for a TLS server certificate in the
/// webpki profile (they govern server certificates; a client
/// certificate's extKeyUsage follows its own PKI): extKeyUsage not
/// critical (BR §7.1.2.7.6) and without anyExtendedKeyUsage (BR
/// §7.1.2.7.10). The BR's rule for the common name (a copy of a
/// subjectAltName entry, §7.1.2.7.2) is not applied: no browser applies
/// it, ferrotls never matches the common name, and BetterTLS expects a
/// validator to ignore it.
pub fn check_server_end_entity(cert: &Certificate<'_>) -> Result<(), CertificateError> {
    if cert.extended_key_usage.is_some_and(|eku| eku.critical) {
        return Err(mis_issued("extKeyUsage of an end entity critical"));
    }
    if cert.extended_key_usage_lists(oid::ANY_EXTENDED_KEY_USAGE)? {
        return Err(mis_issued("anyExtendedKeyUsage in an end entity"));
    }
    Ok(())
}

/// Rules for a CA certificate presented as an intermediate (after the
/// caller has established that it is a CA).
pub fn check_intermediate(
    cert: &Certificate<'_>,
    profile: Profile,
) -> Result<(), CertificateError> {
    if profile == Profile::Rfc5280Path {
        return Ok(());
    }
    check_presented(cert)?;
    check_ca(cert, profile)
}

/// The rules every CA certificate is held to, presented or trusted,
/// besides those of [`check_presented`].
fn check_ca(cert: &Certificate<'_>, profile: Profile) -> Result<(), CertificateError> {
    check_common(cert, profile)?;
    // RFC 5280 §4.2.1.2: CA certificates carry a subjectKeyIdentifier.
    if cert.subject_key_id.is_none() {
        return Err(mis_issued("CA certificate without subjectKeyIdentifier"));
    }
    // RFC 5280 §4.1.2.6: a CA's subject is never empty.
    if cert.subject_is_empty {
        return Err(mis_issued("CA certificate with an empty subject"));
    }
    // RFC 5280 §4.2.1.9: basicConstraints critical in CA certificates.
    if cert.basic_constraints.is_some_and(|bc| !bc.critical) {
        return Err(mis_issued("basicConstraints of a CA not critical"));
    }
    Ok(())
}

/// Rules for a certificate held as a trust anchor, checked when a path
/// reaches it. RFC 5280 §6.1.1 (d) takes only a name and a key from an
/// anchor; every profile asks more of a certificate trusted to issue (its
/// key is judged when it is read, [`super::algorithm::public_key`], and so
/// are unknown critical extensions): that it is a CA (§4.2.1.9). The
/// rfc5280 and webpki profiles add the MUSTs of §4 that bind every CA
/// certificate but those on serial numbers and validity encoding
/// ([`check_ca`]: critical basicConstraints, a subjectKeyIdentifier, …;
/// [`check_presented`] says why), and a root's authorityKeyIdentifier, if
/// any, naming its own key (§4.2.1.1). The webpki profile adds the
/// baseline requirements' root rules (BR §7.1.2.1): no extKeyUsage, and
/// an authorityKeyIdentifier, if any, with its keyIdentifier and without
/// issuer and serial. Roots in Mozilla's store break some of these
/// (docs/pki.md lists which).
pub fn check_anchor(cert: &Certificate<'_>, profile: Profile) -> Result<(), CertificateError> {
    if !cert.is_ca() {
        return Err(CertificateError::IssuerNotCa);
    }
    if profile == Profile::Rfc5280Path {
        return Ok(());
    }
    check_ca(cert, profile)?;
    let root = cert.is_self_issued();
    if let Some(aki) = cert.authority_key_id.filter(|_| root) {
        let own = cert.subject_key_id.map(|ski| ski.value);
        if aki.key_id.is_some_and(|id| Some(id) != own) {
            return Err(mis_issued(
                "root authorityKeyIdentifier differs from its subjectKeyIdentifier",
            ));
        }
        if profile == Profile::WebPki && aki.key_id.is_none() {
            return Err(mis_issued(
                "root authorityKeyIdentifier without keyIdentifier",
            ));
        }
        if profile == Profile::WebPki && aki.names_issuer_and_serial {
            return Err(mis_issued(
                "root authorityKeyIdentifier with issuer and serial",
            ));
        }
    }
    if profile == Profile::WebPki && root && cert.extended_key_usage.is_some() {
        return Err(mis_issued("root certificate with extKeyUsage"));
    }
    Ok(())
}
