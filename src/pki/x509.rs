//! X.509 v3 certificates (RFC 5280 §4): parsing into a borrowed
//! [`Certificate`] whose fields later checks read.
//!
//! Parsing enforces the encoding (strict DER, version 3, outer and inner
//! signature algorithms identical, no duplicate extensions, every known
//! extension well formed); the profile rules that make a certificate
//! mis-issued are checked by [`super::profile`] and the chain rules by
//! [`super::path`].

use super::algorithm;
use super::distribution_point;
use super::name_match::names_match;
use super::names;
use super::oid;
use super::policy::{self, PolicyConstraints};
use super::time;
use crate::crypto::verify::PublicKey;
use crate::der::{tag, BitString, Der};
use crate::error::CertificateError;

/// The X.509 version number of v3 certificates (RFC 5280 §4.1.2.1: the
/// INTEGER 2).
pub const VERSION_3: u64 = 2;

/// A keyUsage bit (RFC 5280 §4.2.1.3), numbered as the KeyUsage BIT
/// STRING numbers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyUsage {
    /// digitalSignature (0): signatures other than on certificates and
    /// CRLs, such as a TLS handshake's.
    DigitalSignature = 0,
    /// contentCommitment (1), formerly nonRepudiation.
    ContentCommitment = 1,
    /// keyEncipherment (2): encrypting keys, such as the TLS 1.2 RSA key
    /// exchange's premaster secret.
    KeyEncipherment = 2,
    /// dataEncipherment (3).
    DataEncipherment = 3,
    /// keyAgreement (4).
    KeyAgreement = 4,
    /// keyCertSign (5): signing certificates.
    KeyCertSign = 5,
    /// cRLSign (6): signing CRLs (checked for CRL issuers by §6.3.3 (f)).
    CrlSign = 6,
    /// encipherOnly (7).
    EncipherOnly = 7,
    /// decipherOnly (8).
    DecipherOnly = 8,
}

impl KeyUsage {
    /// Every bit RFC 5280 §4.2.1.3 defines, in bit order.
    pub const ALL: [Self; 9] = [
        Self::DigitalSignature,
        Self::ContentCommitment,
        Self::KeyEncipherment,
        Self::DataEncipherment,
        Self::KeyAgreement,
        Self::KeyCertSign,
        Self::CrlSign,
        Self::EncipherOnly,
        Self::DecipherOnly,
    ];

    /// The bit's number in the KeyUsage BIT STRING.
    pub fn bit(self) -> usize {
        self as usize
    }

    /// The bit's name in RFC 5280's ASN.1 module (§4.2.1.3), which
    /// OpenSSL's configuration and x509-limbo use too.
    pub fn name(self) -> &'static str {
        match self {
            Self::DigitalSignature => "digitalSignature",
            Self::ContentCommitment => "contentCommitment",
            Self::KeyEncipherment => "keyEncipherment",
            Self::DataEncipherment => "dataEncipherment",
            Self::KeyAgreement => "keyAgreement",
            Self::KeyCertSign => "keyCertSign",
            Self::CrlSign => "cRLSign",
            Self::EncipherOnly => "encipherOnly",
            Self::DecipherOnly => "decipherOnly",
        }
    }
}

impl core::str::FromStr for KeyUsage {
    type Err = UnknownKeyUsage;

    /// A bit by its [`KeyUsage::name`], in any case, or
    /// `nonRepudiation`, contentCommitment's name before RFC 5280.
    fn from_str(name: &str) -> Result<Self, UnknownKeyUsage> {
        if name.eq_ignore_ascii_case("nonRepudiation") {
            return Ok(Self::ContentCommitment);
        }
        Self::ALL
            .into_iter()
            .find(|usage| usage.name().eq_ignore_ascii_case(name))
            .ok_or(UnknownKeyUsage)
    }
}

/// A name that is not one of RFC 5280's keyUsage bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownKeyUsage;

impl core::fmt::Display for UnknownKeyUsage {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("unknown key usage (expected an RFC 5280 name such as digitalSignature)")
    }
}

impl std::error::Error for UnknownKeyUsage {}

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

/// authorityKeyIdentifier (RFC 5280 §4.2.1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthorityKeyId<'a> {
    /// keyIdentifier, if present.
    pub key_id: Option<&'a [u8]>,
    /// Whether authorityCertIssuer or authorityCertSerialNumber is present.
    pub names_issuer_and_serial: bool,
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
    /// Whether both validity dates are in the type RFC 5280 §4.1.2.5 asks
    /// of a CA: UTCTime through 2049, GeneralizedTime from 2050.
    pub validity_in_form: bool,
    /// Whether issuerUniqueID or subjectUniqueID is present (RFC 5280
    /// §4.1.2.8).
    pub has_unique_ids: bool,
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
    /// issuerAltName: the contents of its GeneralNames, read as a
    /// subjectAltName's are (RFC 5280 §4.2.1.7).
    pub issuer_alt_name: Option<&'a [u8]>,
    /// nameConstraints: the contents of its SEQUENCE.
    pub name_constraints: Option<Extension<'a>>,
    /// subjectKeyIdentifier: the key identifier and the critical flag.
    pub subject_key_id: Option<Extension<'a>>,
    /// authorityKeyIdentifier, if present.
    pub authority_key_id: Option<AuthorityKeyId<'a>>,
    /// certificatePolicies: the contents of its SEQUENCE OF
    /// PolicyInformation.
    pub certificate_policies: Option<Extension<'a>>,
    /// policyMappings: the contents of its SEQUENCE.
    pub policy_mappings: Option<Extension<'a>>,
    /// policyConstraints, if present.
    pub policy_constraints: Option<PolicyConstraints>,
    /// inhibitAnyPolicy: its SkipCerts and whether the extension is
    /// critical, if present.
    pub inhibit_any_policy: Option<(u64, bool)>,
    /// cRLDistributionPoints: the contents of its SEQUENCE OF
    /// DistributionPoint, each checked at parse time.
    pub crl_distribution_points: Option<&'a [u8]>,
    /// id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): an OCSP responder
    /// whose certificate carries it is trusted for the certificate's
    /// lifetime, without a revocation check of its own.
    pub ocsp_no_check: bool,
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

    /// The subject Name and SubjectPublicKeyInfo elements of a certificate
    /// whose tbsCertificate is DER as far as its subjectPublicKeyInfo,
    /// without judging the key or anything after it: enough to hold a
    /// trust anchor that [`Certificate::parse`] refuses for its key or its
    /// extensions, so that a path through it fails with that reason.
    pub fn subject_and_key(der: &'a [u8]) -> Result<(&'a [u8], &'a [u8]), CertificateError> {
        let mut outer = Der::new(der);
        let mut cert = outer.nested(tag::SEQUENCE)?;
        outer.finish()?;
        let mut seq = cert.nested(tag::SEQUENCE)?;
        read_version(&mut seq)?;
        seq.integer()?;
        seq.expect_tag(tag::SEQUENCE)?;
        names::check_name(&mut seq)?;
        read_validity(&mut seq)?;
        let (subject, _) = names::check_name(&mut seq)?;
        let spki = seq.expect_tag(tag::SEQUENCE)?.raw;
        Ok((subject, spki))
    }

    /// What certificate-policy processing reads of this certificate.
    pub fn policies(&self) -> policy::Step<'a> {
        policy::Step {
            policies: self.certificate_policies.map(|e| e.value),
            mappings: self.policy_mappings.map(|e| e.value),
            constraints: self.policy_constraints.unwrap_or_default(),
            inhibit_any_policy: self.inhibit_any_policy.map(|(skip, _)| skip),
            self_issued: self.is_self_issued(),
        }
    }

    /// Whether issuer and subject are the same name (RFC 5280 §3.2
    /// "self-issued"; names compared as §7.1 has them compared).
    pub fn is_self_issued(&self) -> bool {
        names_match(self.issuer, self.subject)
    }

    /// Whether basicConstraints says cA=TRUE.
    pub fn is_ca(&self) -> bool {
        self.basic_constraints.is_some_and(|bc| bc.ca)
    }

    /// Whether keyUsage is absent or asserts `usage`.
    pub fn key_usage_allows(&self, usage: KeyUsage) -> bool {
        self.key_usage.is_none_or(|(bits, _)| bits.bit(usage.bit()))
    }

    /// Whether extKeyUsage is absent or lists `purpose` (an OID's
    /// contents), or lists anyExtendedKeyUsage when `any_counts`: RFC
    /// 5280 §4.2.1.12 lets it stand for every purpose, the CA/Browser
    /// Forum baseline requirements (§7.1.2.7.10) forbid it in TLS
    /// certificates.
    pub fn extended_key_usage_allows(
        &self,
        purpose: &[u8],
        any_counts: bool,
    ) -> Result<bool, CertificateError> {
        if self.extended_key_usage.is_none() {
            return Ok(true);
        }
        Ok(self.extended_key_usage_lists(purpose)?
            || (any_counts && self.extended_key_usage_lists(oid::ANY_EXTENDED_KEY_USAGE)?))
    }

    /// Whether extKeyUsage is present and lists `usage` (OID contents).
    pub fn extended_key_usage_lists(&self, usage: &[u8]) -> Result<bool, CertificateError> {
        let Some(eku) = self.extended_key_usage else {
            return Ok(false);
        };
        let mut list = Der::new(eku.value);
        while !list.is_empty() {
            if list.oid()? == usage {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// Reads tbsCertificate (RFC 5280 §4.1.2) field by field, in the order of
/// its ASN.1 definition, into a [`Certificate`].
fn parse_tbs<'a>(
    der: &'a [u8],
    tbs_raw: &'a [u8],
    tbs: &'a [u8],
    signature_algorithm: &'a [u8],
    signature: &'a [u8],
) -> Result<Certificate<'a>, CertificateError> {
    let mut seq = Der::new(tbs);
    read_version(&mut seq)?;
    let serial = seq.integer()?;
    read_signature_field(&mut seq, signature_algorithm)?;
    let issuer = names::check_name(&mut seq)?.0;
    let (not_before, not_after, validity_in_form) = read_validity(&mut seq)?;
    let (subject, subject_is_empty) = names::check_name(&mut seq)?;
    let spki = seq.expect_tag(tag::SEQUENCE)?.raw;
    let public_key = algorithm::public_key(spki)?;
    let has_unique_ids = read_unique_ids(&mut seq)?;
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
        validity_in_form,
        has_unique_ids,
        spki,
        public_key,
        basic_constraints: None,
        key_usage: None,
        extended_key_usage: None,
        subject_alt_name: None,
        issuer_alt_name: None,
        name_constraints: None,
        subject_key_id: None,
        authority_key_id: None,
        certificate_policies: None,
        policy_mappings: None,
        policy_constraints: None,
        inhibit_any_policy: None,
        crl_distribution_points: None,
        ocsp_no_check: false,
    };
    if let Some(extensions) = seq.optional(tag::context_constructed(3))? {
        read_extensions(&mut cert, extensions)?;
    }
    seq.finish()?;
    Ok(cert)
}

/// version `[0] EXPLICIT Version` (RFC 5280 §4.1.2.1): present and v3,
/// since extensions are what later checks read.
fn read_version(seq: &mut Der<'_>) -> Result<(), CertificateError> {
    let mut version = seq
        .optional(tag::context_constructed(0))?
        .map(Der::new)
        .ok_or(CertificateError::BadEncoding("not a version 3 certificate"))?;
    if version.small_unsigned()? != VERSION_3 {
        return Err(CertificateError::BadEncoding("not a version 3 certificate"));
    }
    Ok(version.finish()?)
}

/// signature (RFC 5280 §4.1.2.3): "MUST contain the same algorithm
/// identifier as the signatureAlgorithm field" of the Certificate.
fn read_signature_field(
    seq: &mut Der<'_>,
    signature_algorithm: &[u8],
) -> Result<(), CertificateError> {
    if seq.expect_tag(tag::SEQUENCE)?.raw != signature_algorithm {
        return Err(CertificateError::BadEncoding(
            "signatureAlgorithm differs from the signature field of tbsCertificate",
        ));
    }
    Ok(())
}

/// validity (RFC 5280 §4.1.2.5): notBefore and notAfter, as UNIX
/// seconds, and whether both are in the type §4.1.2.5 asks of a CA
/// ([`time::read_with_form`]).
fn read_validity(seq: &mut Der<'_>) -> Result<(i64, i64, bool), CertificateError> {
    seq.sequence(|v| -> Result<_, CertificateError> {
        let (not_before, before_in_form) = time::read_with_form(v)?;
        let (not_after, after_in_form) = time::read_with_form(v)?;
        Ok((not_before, not_after, before_in_form && after_in_form))
    })
}

/// issuerUniqueID `[1]` and subjectUniqueID `[2]` (RFC 5280 §4.1.2.8):
/// read past (certificate users "SHOULD be capable of parsing" them), never
/// used; whether either is present, which the profiles judge.
fn read_unique_ids(seq: &mut Der<'_>) -> Result<bool, CertificateError> {
    let issuer = seq.optional(tag::context_primitive(1))?;
    let subject = seq.optional(tag::context_primitive(2))?;
    Ok(issuer.is_some() || subject.is_some())
}

/// extensions `[3] EXPLICIT Extensions` (RFC 5280 §4.1.2.9): a non-empty
/// SEQUENCE in which "a certificate MUST NOT include more than one instance
/// of a particular extension"; each one is applied to `cert`.
fn read_extensions<'a>(
    cert: &mut Certificate<'a>,
    extensions: &'a [u8],
) -> Result<(), CertificateError> {
    let mut wrapper = Der::new(extensions);
    let list = wrapper.nested(tag::SEQUENCE)?;
    wrapper.finish()?;
    for_each_extension(list, |id, ext| apply_extension(cert, id, ext))
}

/// How many extension ids the duplicate check of [`for_each_extension`]
/// holds without allocating: a sizing choice, not a limit. Web PKI
/// certificates carry about ten extensions (CA/Browser Forum Baseline
/// Requirements §7.1.2), so nearly every list fits; a longer one keeps
/// the rest on the heap.
pub const INLINE_EXTENSION_IDS: usize = 16;

/// Reads the contents of an Extensions SEQUENCE (RFC 5280 §4.1, also the
/// CRL's and OCSP's, RFC 5280 §5.1, RFC 6960 §4.2.1): at least one
/// extension, none twice, each handed to `apply` with its id.
pub(super) fn for_each_extension<'a>(
    mut list: Der<'a>,
    mut apply: impl FnMut(&'a [u8], Extension<'a>) -> Result<(), CertificateError>,
) -> Result<(), CertificateError> {
    if list.is_empty() {
        return Err(CertificateError::BadEncoding("empty extensions"));
    }
    // The first ids in an array, any further ones on the heap.
    let mut first: [&[u8]; INLINE_EXTENSION_IDS] = [&[]; INLINE_EXTENSION_IDS];
    let mut more: Vec<&[u8]> = Vec::new();
    let mut count = 0;
    while !list.is_empty() {
        let (id, ext) = list.sequence(read_extension)?;
        let seen = first.get(..count).unwrap_or(&first);
        if seen.contains(&id) || more.contains(&id) {
            return Err(CertificateError::MisIssued("duplicate extension"));
        }
        match first.get_mut(count) {
            Some(slot) => *slot = id,
            None => more.push(id),
        }
        count += 1;
        apply(id, ext)?;
    }
    Ok(())
}

/// One Extension (RFC 5280 §4.1): extnID, critical BOOLEAN DEFAULT FALSE,
/// extnValue OCTET STRING.
fn read_extension<'a>(e: &mut Der<'a>) -> Result<(&'a [u8], Extension<'a>), CertificateError> {
    let id = e.oid()?;
    let critical = default_false_boolean(e, "critical FALSE encoded although DEFAULT")?;
    let value = e.read(tag::OCTET_STRING)?;
    Ok((id, Extension { value, critical }))
}

/// An optional `BOOLEAN DEFAULT FALSE`: absent is false, and an encoded
/// FALSE is refused with `why`, since DER omits a value equal to its
/// DEFAULT (X.690 §11.5).
pub(super) fn default_false_boolean(
    d: &mut Der<'_>,
    why: &'static str,
) -> Result<bool, CertificateError> {
    if d.peek_tag() != Some(tag::BOOLEAN) {
        return Ok(false);
    }
    if !d.boolean()? {
        return Err(CertificateError::BadEncoding(why));
    }
    Ok(true)
}

/// Parses one extension into `cert` (RFC 5280 §4.2), one reader per known
/// kind. Unknown non-critical extensions are skipped and unknown critical
/// ones refused (RFC 5280 §4.2: "A certificate-using system MUST reject
/// the certificate if it encounters a critical extension it does not
/// recognize").
fn apply_extension<'a>(
    cert: &mut Certificate<'a>,
    id: &[u8],
    ext: Extension<'a>,
) -> Result<(), CertificateError> {
    let critical = ext.critical;
    let flagged = |value| Extension { value, critical };
    match id {
        oid::BASIC_CONSTRAINTS => {
            cert.basic_constraints = Some(whole(ext.value, |d| basic_constraints(d, critical))?);
        }
        oid::KEY_USAGE => cert.key_usage = Some((whole(ext.value, key_usage)?, critical)),
        oid::EXTENDED_KEY_USAGE => {
            cert.extended_key_usage = Some(flagged(whole(ext.value, extended_key_usage)?));
        }
        oid::SUBJECT_ALT_NAME => {
            cert.subject_alt_name = Some(flagged(whole(ext.value, |d| {
                alt_names(d, "empty subjectAltName")
            })?));
        }
        oid::ISSUER_ALT_NAME => {
            cert.issuer_alt_name = Some(whole(ext.value, |d| alt_names(d, "empty issuerAltName"))?);
        }
        oid::NAME_CONSTRAINTS => {
            cert.name_constraints = Some(flagged(whole(ext.value, name_constraints)?));
        }
        oid::SUBJECT_KEY_IDENTIFIER => {
            cert.subject_key_id = Some(flagged(whole(ext.value, subject_key_identifier)?));
        }
        oid::AUTHORITY_KEY_IDENTIFIER => {
            cert.authority_key_id =
                Some(whole(ext.value, |d| authority_key_identifier(d, critical))?);
        }
        oid::AUTHORITY_INFO_ACCESS => whole(ext.value, |d| authority_info_access(d, critical))?,
        oid::CERTIFICATE_POLICIES => {
            cert.certificate_policies = Some(flagged(whole(
                ext.value,
                policy::read_certificate_policies,
            )?));
        }
        oid::POLICY_MAPPINGS => {
            cert.policy_mappings = Some(flagged(whole(ext.value, policy::read_policy_mappings)?));
        }
        oid::POLICY_CONSTRAINTS => {
            cert.policy_constraints = Some(whole(ext.value, |d| {
                policy::read_policy_constraints(d, critical)
            })?);
        }
        oid::INHIBIT_ANY_POLICY => {
            let skip = whole(ext.value, policy::read_inhibit_any_policy)?;
            cert.inhibit_any_policy = Some((skip, critical));
        }
        oid::CRL_DISTRIBUTION_POINTS => {
            cert.crl_distribution_points = Some(whole(
                ext.value,
                distribution_point::read_crl_distribution_points,
            )?);
        }
        // RFC 6960 §4.2.2.2.1: its value is NULL.
        oid::OCSP_NO_CHECK => {
            whole(ext.value, |d| Ok(d.null()?))?;
            cert.ocsp_no_check = true;
        }
        _ if critical => return Err(CertificateError::UnsupportedCriticalExtension("")),
        _ => {}
    }
    Ok(())
}

/// Reads an extnValue with `read`, which must consume all of it: extnValue
/// holds exactly the DER of the extension's own type (RFC 5280 §4.1).
pub(super) fn whole<'a, T>(
    value: &'a [u8],
    read: impl FnOnce(&mut Der<'a>) -> Result<T, CertificateError>,
) -> Result<T, CertificateError> {
    let mut der = Der::new(value);
    let out = read(&mut der)?;
    der.finish()?;
    Ok(out)
}

/// basicConstraints (RFC 5280 §4.2.1.9): cA BOOLEAN DEFAULT FALSE,
/// pathLenConstraint INTEGER (0..MAX) OPTIONAL.
fn basic_constraints(
    d: &mut Der<'_>,
    critical: bool,
) -> Result<BasicConstraints, CertificateError> {
    d.sequence(|bc| {
        let ca = default_false_boolean(bc, "cA FALSE encoded although DEFAULT")?;
        let path_len = if bc.is_empty() {
            None
        } else {
            Some(bc.small_unsigned()?)
        };
        Ok(BasicConstraints {
            ca,
            path_len,
            critical,
        })
    })
}

/// keyUsage (RFC 5280 §4.2.1.3): a named-bit BIT STRING in which "at least
/// one of the bits MUST be set to 1".
fn key_usage<'a>(d: &mut Der<'a>) -> Result<BitString<'a>, CertificateError> {
    let bits = d.bit_string()?;
    bits.check_named_bits()?;
    if bits.bytes.iter().all(|&b| b == 0) {
        return Err(CertificateError::MisIssued("keyUsage with no bit set"));
    }
    Ok(bits)
}

/// extKeyUsage (RFC 5280 §4.2.1.12): `SEQUENCE SIZE (1..MAX) OF
/// KeyPurposeId`; returns the contents, every OID checked.
fn extended_key_usage<'a>(d: &mut Der<'a>) -> Result<&'a [u8], CertificateError> {
    let value = d.read(tag::SEQUENCE)?;
    if value.is_empty() {
        return Err(CertificateError::BadEncoding("empty extKeyUsage"));
    }
    let mut list = Der::new(value);
    while !list.is_empty() {
        list.oid()?;
    }
    Ok(value)
}

/// subjectAltName or issuerAltName (RFC 5280 §4.2.1.6, §4.2.1.7):
/// GeneralNames checked by [`names::check_alt_names`], `empty` saying
/// which extension held none; returns the contents.
fn alt_names<'a>(d: &mut Der<'a>, empty: &'static str) -> Result<&'a [u8], CertificateError> {
    let value = d.read(tag::SEQUENCE)?;
    names::check_alt_names(value, empty)?;
    Ok(value)
}

/// nameConstraints (RFC 5280 §4.2.1.10), checked by
/// [`check_name_constraints`](crate::pki::name_constraints::check_name_constraints); returns the contents.
fn name_constraints<'a>(d: &mut Der<'a>) -> Result<&'a [u8], CertificateError> {
    let value = d.read(tag::SEQUENCE)?;
    super::name_constraints::check_name_constraints(value)?;
    Ok(value)
}

/// subjectKeyIdentifier (RFC 5280 §4.2.1.2): an OCTET STRING; returns
/// the key identifier.
fn subject_key_identifier<'a>(d: &mut Der<'a>) -> Result<&'a [u8], CertificateError> {
    Ok(d.read(tag::OCTET_STRING)?)
}

/// authorityInfoAccess (RFC 5280 §4.2.2.1): `SEQUENCE SIZE (1..MAX) OF
/// AccessDescription`, each an accessMethod and an accessLocation
/// GeneralName; "conforming CAs MUST mark this extension as
/// non-critical". Nothing here uses the locations (no network is ever
/// touched), but a malformed one refuses the certificate.
fn authority_info_access(d: &mut Der<'_>, critical: bool) -> Result<(), CertificateError> {
    if critical {
        return Err(CertificateError::MisIssued(
            "authorityInfoAccess marked critical",
        ));
    }
    let value = d.read(tag::SEQUENCE)?;
    if value.is_empty() {
        return Err(CertificateError::BadEncoding("empty authorityInfoAccess"));
    }
    let mut list = Der::new(value);
    while !list.is_empty() {
        list.sequence(|access| -> Result<_, CertificateError> {
            access.oid()?;
            names::check_general_name(access.element()?)
        })?;
    }
    Ok(())
}

/// authorityKeyIdentifier (RFC 5280 §4.2.1.1): keyIdentifier `[0]`,
/// authorityCertIssuer `[1]` and authorityCertSerialNumber `[2]`, all
/// optional.
pub(super) fn authority_key_identifier<'a>(
    d: &mut Der<'a>,
    critical: bool,
) -> Result<AuthorityKeyId<'a>, CertificateError> {
    d.sequence(|aki| -> Result<_, CertificateError> {
        let key_id = aki.optional(tag::context_primitive(0))?;
        let issuer = aki.optional(tag::context_constructed(1))?;
        let serial = aki.optional(tag::context_primitive(2))?;
        Ok(AuthorityKeyId {
            key_id,
            names_issuer_and_serial: issuer.is_some() || serial.is_some(),
            critical,
        })
    })
}

/// The commonName (X.520, OID 2.5.4.3) of a certificate's subject, for
/// showing who a peer is, such as the client a server authenticated
/// (`ferrotls server --require-cert-path`); the last one when the subject
/// has several, `None` when it has none. Its string type is not judged:
/// bytes that are not UTF-8 are shown with replacement characters.
pub fn subject_common_name(certificate_der: &[u8]) -> Result<Option<String>, CertificateError> {
    let (subject, _) = Certificate::subject_and_key(certificate_der)?;
    let mut common_name = None;
    names::for_each_attribute(subject, |id, value| {
        if id == oid::COMMON_NAME {
            common_name = Some(String::from_utf8_lossy(value.value).into_owned());
        }
        Ok(())
    })?;
    Ok(common_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_certificate(vector: &str) -> Vec<u8> {
        let path = format!("{}/vectors/pki/{vector}", env!("CARGO_MANIFEST_DIR"));
        let pem = std::fs::read_to_string(path).unwrap();
        crate::pki::certificates_from_pem(&pem).unwrap().remove(0)
    }

    #[test]
    fn subject_common_name_is_read_or_absent() {
        assert_eq!(
            subject_common_name(&first_certificate("p384-chain.pem")),
            Ok(Some("leaf.p384.test".into()))
        );
        assert_eq!(
            subject_common_name(&first_certificate("empty-subject.pem")),
            Ok(None)
        );
        assert!(subject_common_name(b"not DER").is_err());
    }

    fn leaf() -> Vec<u8> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki/p256-leaf.pem");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        crate::pki::certificates_from_pem(&text)
            .unwrap_or_default()
            .remove(0)
    }

    /// An extension's id, value and critical flag, and what applying it
    /// gives.
    type Case = (
        &'static [u8],
        &'static [u8],
        bool,
        Result<(), CertificateError>,
    );

    /// Applies one extension to the leaf and returns the outcome.
    fn apply<'a>(
        cert: &mut Certificate<'a>,
        id: &[u8],
        value: &'a [u8],
        critical: bool,
    ) -> Result<(), CertificateError> {
        apply_extension(cert, id, Extension { value, critical })
    }

    // Each RFC 5280 §4.2.1 reader, pinned to the exact error it gives.
    #[test]
    fn each_extension_kind_gives_its_own_error() {
        let der = leaf();
        let mut cert = Certificate::parse(&der).unwrap_or_else(|e| panic!("{e}"));
        let bad = CertificateError::BadEncoding;
        let cases: [Case; 21] = [
            (
                oid::BASIC_CONSTRAINTS,
                &[0x30, 3, 1, 1, 0],
                true,
                Err(bad("cA FALSE encoded although DEFAULT")),
            ),
            (
                oid::BASIC_CONSTRAINTS,
                &[0x30, 0, 0],
                true,
                Err(bad("trailing data")),
            ),
            (
                oid::KEY_USAGE,
                &[3, 1, 0],
                true,
                Err(CertificateError::MisIssued("keyUsage with no bit set")),
            ),
            (
                oid::EXTENDED_KEY_USAGE,
                &[0x30, 0],
                false,
                Err(bad("empty extKeyUsage")),
            ),
            (
                oid::EXTENDED_KEY_USAGE,
                &[0x30, 1, 6],
                false,
                Err(bad("element truncated")),
            ),
            (
                oid::SUBJECT_KEY_IDENTIFIER,
                &[4, 1, 9, 0],
                false,
                Err(bad("trailing data")),
            ),
            (
                oid::AUTHORITY_KEY_IDENTIFIER,
                &[0x30, 2, 0x80, 0, 0],
                false,
                Err(bad("trailing data")),
            ),
            (
                oid::CERTIFICATE_POLICIES,
                &[0x30, 0],
                true,
                Err(bad("empty certificatePolicies")),
            ),
            (
                oid::CERTIFICATE_POLICIES,
                &[0x30, 10, 0x30, 3, 6, 1, 0x2a, 0x30, 3, 6, 1, 0x2a],
                false,
                Err(CertificateError::MisIssued("duplicate certificate policy")),
            ),
            (
                oid::POLICY_MAPPINGS,
                &[0x30, 11, 0x30, 9, 6, 4, 0x55, 0x1d, 0x20, 0, 6, 1, 0x2a],
                true,
                Err(CertificateError::MisIssued(
                    "policy mapped to or from anyPolicy",
                )),
            ),
            (
                oid::POLICY_CONSTRAINTS,
                &[0x30, 0],
                true,
                Err(CertificateError::MisIssued("empty policyConstraints")),
            ),
            (oid::INHIBIT_ANY_POLICY, &[2, 1, 0], true, Ok(())),
            (
                oid::AUTHORITY_INFO_ACCESS,
                &[
                    0x30, 0x0d, 0x30, 0x0b, 6, 3, 0x2b, 6, 1, 0x86, 4, b'h', b't', b't', b'p',
                ],
                false,
                Ok(()),
            ),
            (
                oid::AUTHORITY_INFO_ACCESS,
                &[
                    0x30, 0x0d, 0x30, 0x0b, 6, 3, 0x2b, 6, 1, 0x86, 4, b'h', b't', b't', b'p',
                ],
                true,
                Err(CertificateError::MisIssued(
                    "authorityInfoAccess marked critical",
                )),
            ),
            (
                oid::AUTHORITY_INFO_ACCESS,
                &[0x30, 0],
                false,
                Err(bad("empty authorityInfoAccess")),
            ),
            (
                oid::AUTHORITY_INFO_ACCESS,
                &[
                    0x30, 0x0d, 0x30, 0x0b, 6, 3, 0x2b, 6, 1, 0x16, 4, b'h', b't', b't', b'p',
                ],
                false,
                Err(bad("not a GeneralName tag")),
            ),
            (
                oid::INHIBIT_ANY_POLICY,
                &[2, 1, 0xff],
                true,
                Err(bad("negative INTEGER")),
            ),
            (
                &[0x2a, 3],
                &[],
                true,
                Err(CertificateError::UnsupportedCriticalExtension("")),
            ),
            (&[0x2a, 3], &[0xff], false, Ok(())),
            (
                oid::NAME_CONSTRAINTS,
                &[0x30, 0],
                true,
                Err(CertificateError::MisIssued("empty nameConstraints")),
            ),
            (
                oid::SUBJECT_ALT_NAME,
                &[4, 0],
                false,
                Err(bad("unexpected tag")),
            ),
        ];
        for (id, value, critical, expected) in cases {
            assert_eq!(
                apply(&mut cert, id, value, critical),
                expected,
                "{id:02x?} {value:02x?}"
            );
        }
    }

    #[test]
    fn each_extension_kind_fills_its_field() {
        let der = leaf();
        let mut cert = Certificate::parse(&der).unwrap_or_else(|e| panic!("{e}"));
        let fields: [(&[u8], &[u8]); 6] = [
            (oid::BASIC_CONSTRAINTS, &[0x30, 6, 1, 1, 0xff, 2, 1, 3]),
            (oid::KEY_USAGE, &[3, 2, 7, 0x80]),
            (oid::EXTENDED_KEY_USAGE, &[0x30, 3, 6, 1, 0x2a]),
            (oid::SUBJECT_KEY_IDENTIFIER, &[4, 1, 9]),
            (oid::AUTHORITY_KEY_IDENTIFIER, &[0x30, 3, 0x80, 1, 9]),
            (
                oid::NAME_CONSTRAINTS,
                &[0x30, 8, 0xa0, 6, 0x30, 4, 0x82, 2, b'a', b'b'],
            ),
        ];
        for (id, value) in fields {
            assert_eq!(apply(&mut cert, id, value, true), Ok(()), "{id:02x?}");
        }
        let bc = BasicConstraints {
            ca: true,
            path_len: Some(3),
            critical: true,
        };
        assert_eq!(cert.basic_constraints, Some(bc));
        assert!(cert
            .key_usage
            .is_some_and(|(bits, critical)| bits.bit(0) && critical));
        assert_eq!(
            cert.extended_key_usage,
            Some(Extension {
                value: &[6, 1, 0x2a],
                critical: true
            })
        );
        assert_eq!(
            cert.subject_key_id,
            Some(Extension {
                value: &[9],
                critical: true
            })
        );
        assert_eq!(
            cert.authority_key_id,
            Some(AuthorityKeyId {
                key_id: Some(&[9][..]),
                names_issuer_and_serial: false,
                critical: true
            })
        );
        assert_eq!(
            cert.name_constraints,
            Some(Extension {
                value: &[0xa0, 6, 0x30, 4, 0x82, 2, b'a', b'b'],
                critical: true
            })
        );
    }
}
