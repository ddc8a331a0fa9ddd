//! Certificate revocation lists (RFC 5280 §5): parsing into a borrowed
//! [`Crl`], what a configured CRL keeps beside its DER ([`CrlIndex`]),
//! and the checks of RFC 5280 §6.3.3 that make one answer for a
//! certificate.
//!
//! A CRL is read whole once, when it is configured ([`Crl::parse`],
//! [`CrlIndex::read`]). A check reads only what precedes and follows the
//! revokedCertificates list ([`Crl::reparse`]), finds the serial by binary
//! search, and verifies the signature, which hashes the whole CRL, only
//! under a key it has not verified under before: its cost does not grow
//! with the list.
//!
//! Parsing enforces the encoding as [`super::x509`] does (strict DER,
//! version 2, outer and inner signature algorithms identical, no duplicate
//! extensions) and refuses, with a reason, what is not implemented:
//! attribute-certificate CRLs and any unknown critical extension.
//! Which certificates and reasons a CRL serves is
//! [`super::distribution_point`]'s; freshness is judged by
//! [`super::revocation`], which holds the validation time.

use super::algorithm;
use super::distribution_point::{self, IssuingPoint, Reasons};
use super::name_match::names_match;
use super::names::{self, GeneralName};
use super::oid;
use super::status::Issuer;
use super::time;
use super::x509::{self, Certificate, Extension, KeyUsage};
use crate::crypto::verify::{self, PublicKey};
use crate::der::{tag, Der};
use crate::error::{CertificateError, RevocationReason};
use std::sync::{Arc, Mutex};

/// The version number of v2 CRLs (RFC 5280 §5.1.2.1: the INTEGER 1).
pub const VERSION_2: u64 = 1;

/// The most entries a CRL may list: it bounds the memory and the work of
/// reading a CRL once (a check is logarithmic in it); large CAs partition
/// their CRLs well below it.
pub const MAX_CRL_ENTRIES: usize = 1_000_000;

/// The CRLReason removeFromCRL (RFC 5280 §5.3.1): only delta CRLs use it,
/// to say an entry of the base CRL no longer holds.
const REMOVE_FROM_CRL: u8 = 8;

/// The PEM label of a CRL (RFC 7468 §6).
pub const PEM_LABEL: &str = "X509 CRL";

fn bad(why: &'static str) -> CertificateError {
    CertificateError::BadRevocationInfo(why)
}

fn unsupported(why: &'static str) -> CertificateError {
    CertificateError::UnsupportedCriticalExtension(why)
}

/// Which certificates a CRL covers: the onlyContainsUserCerts and
/// onlyContainsCACerts flags of issuingDistributionPoint (RFC 5280
/// §5.2.5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// Every certificate of the issuer (no issuingDistributionPoint, or
    /// one without a scope flag).
    #[default]
    All,
    /// End-entity certificates only (onlyContainsUserCerts).
    UserCerts,
    /// CA certificates only (onlyContainsCACerts).
    CaCerts,
}

impl Scope {
    /// Whether a certificate that is (or is not) a CA is within the scope.
    fn covers(self, is_ca: bool) -> bool {
        match self {
            Self::All => true,
            Self::UserCerts => !is_ca,
            Self::CaCerts => is_ca,
        }
    }
}

/// A parsed v2 CRL borrowing its DER.
#[derive(Clone, Debug)]
pub struct Crl<'a> {
    /// The tbsCertList element: the bytes the issuer signed.
    pub tbs: &'a [u8],
    /// The signatureAlgorithm AlgorithmIdentifier (whole DER element).
    pub signature_algorithm: &'a [u8],
    /// The signatureValue octets.
    pub signature: &'a [u8],
    /// issuer Name, whole DER element (compared byte for byte with a
    /// certificate's issuer).
    pub issuer: &'a [u8],
    /// thisUpdate in UNIX seconds.
    pub this_update: i64,
    /// nextUpdate in UNIX seconds, if present.
    pub next_update: Option<i64>,
    /// cRLNumber contents (RFC 5280 §5.2.3); never `None` once parsed,
    /// since [`Crl::parse`] refuses a CRL without one.
    pub number: Option<&'a [u8]>,
    /// The authorityKeyIdentifier's keyIdentifier, if present.
    pub authority_key_id: Option<&'a [u8]>,
    /// deltaCRLIndicator's BaseCRLNumber contents (RFC 5280 §5.2.4):
    /// present in a delta CRL, which lists the changes since the complete
    /// CRL of that number.
    pub delta_base: Option<&'a [u8]>,
    /// The issuingDistributionPoint's extnValue, if present: a delta CRL
    /// serves the complete CRLs of the same one (§6.3.3 (c)(2)).
    pub issuing_point_der: Option<&'a [u8]>,
    /// The certificates the CRL covers.
    pub scope: Scope,
    /// The distribution point and reasons the CRL serves
    /// (issuingDistributionPoint; the default: every certificate of the
    /// issuer, for every reason).
    pub point: IssuingPoint<'a>,
    /// The contents of revokedCertificates (empty when absent), every
    /// entry checked by [`Crl::parse`].
    entries: &'a [u8],
}

/// Whether parsing reads every revokedCertificates entry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Entries {
    /// Each entry is read and checked (a CRL seen for the first time).
    Check,
    /// The list is skipped whole: [`Crl::parse`] checked it before.
    Skip,
}

/// What a configured CRL keeps beside its DER, so that a check need not
/// read the whole CRL again: the serials it lists as revoked, with their
/// reasons, sorted for binary search (their octets end to end in one
/// buffer, each indexed by where it starts and how long it is), and the
/// public keys its signature verified under. A signature check is a pure
/// function of the key and the CRL's fixed bytes, so a success can be
/// remembered; failures are not. Clones share the memory of keys.
#[derive(Clone, Default)]
pub struct CrlIndex {
    /// The serials' octets, and the certificateIssuer names'.
    octets: Vec<u8>,
    /// Where each certificateIssuer's GeneralNames are in `octets`.
    issuers: Vec<(usize, usize)>,
    /// Whether the CRL is a delta CRL (RFC 5280 §5.2.4).
    delta: bool,
    /// Sorted by the serial's octets; entries of equal serials keep the
    /// CRL's order.
    index: Vec<IndexEntry>,
    verified_by: Arc<Mutex<Vec<PublicKey>>>,
}

/// What a CRL entry says of the certificate it lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// Revoked, with the entry's reasonCode if it has one.
    Revoked(Option<RevocationReason>),
    /// removeFromCRL (RFC 5280 §5.3.1): a delta CRL's word that an entry
    /// of its complete CRL (a certificateHold) no longer holds.
    Removed,
}

/// One listed serial of a [`CrlIndex`]: where its octets start in the
/// index's buffer, how many there are, what the entry says, and whose
/// certificate it names: 0 for the CRL issuer's, n for the issuer the
/// nth certificateIssuer of an indirect CRL names (RFC 5280 §5.3.3).
type IndexEntry = (usize, usize, Listing, u32);

/// The serial `entry` indexes in `octets`.
fn serial_of<'o>(octets: &'o [u8], &(start, len, _, _): &IndexEntry) -> &'o [u8] {
    octets.get(start..start + len).unwrap_or_default()
}

/// What one revokedCertificates entry says (RFC 5280 §5.1.2.6, §5.3).
struct Entry<'a> {
    serial: &'a [u8],
    listing: Listing,
    /// certificateIssuer: the contents of its GeneralNames, when the
    /// entry names another certificate issuer than the entries before it.
    issuer: Option<&'a [u8]>,
}

/// Counts the serials instead of printing them.
impl core::fmt::Debug for CrlIndex {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CrlIndex")
            .field("revoked", &self.index.len())
            .finish_non_exhaustive()
    }
}

/// The most keys a [`CrlIndex`] remembers the CRL's signature verified
/// under: its issuer's, and a few delegated CRL signers' (RFC 5280
/// §6.3.3 (f)); past it, checks verify again.
pub const MAX_CRL_VERIFYING_KEYS: usize = 4;

impl CrlIndex {
    /// Reads the revoked serials of `crl` (checked by [`Crl::parse`]),
    /// each with the certificate issuer it is for: the CRL's issuer, or
    /// in an indirect CRL the last certificateIssuer before it (RFC 5280
    /// §5.3.3).
    pub fn read(crl: &Crl<'_>) -> Result<Self, CertificateError> {
        let mut octets = Vec::new();
        let mut issuers = Vec::new();
        let mut index = Vec::new();
        let mut issuer = 0;
        let mut entries = Der::new(crl.entries);
        while !entries.is_empty() {
            let entry = entries.sequence(read_entry)?;
            if let Some(names) = entry.issuer {
                issuers.push((octets.len(), names.len()));
                octets.extend_from_slice(names);
                issuer = u32::try_from(issuers.len())
                    .map_err(|_| bad("CRL names more certificate issuers than an index holds"))?;
            }
            index.push((octets.len(), entry.serial.len(), entry.listing, issuer));
            octets.extend_from_slice(entry.serial);
        }
        index.sort_by(|a, b| serial_of(&octets, a).cmp(serial_of(&octets, b)));
        Ok(Self {
            octets,
            issuers,
            delta: crl.delta_base.is_some(),
            index,
            verified_by: Arc::default(),
        })
    }

    /// Whether the CRL is a delta CRL, which counts only beside the
    /// complete CRL it completes ([`Crl::completed_by`]).
    pub fn is_delta(&self) -> bool {
        self.delta
    }

    /// What the CRL says of `serial` for a certificate issued by
    /// `cert_issuer`, or `None` when it is not listed for that issuer;
    /// `crl_issuer` is the CRL's. With several entries, the first in the
    /// CRL.
    pub fn find(&self, serial: &[u8], cert_issuer: &[u8], crl_issuer: &[u8]) -> Option<Listing> {
        let first = self
            .index
            .partition_point(|entry| serial_of(&self.octets, entry) < serial);
        self.index
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|entry| serial_of(&self.octets, entry) == serial)
            .find(|&&(_, _, _, issuer)| self.issued_by(issuer, cert_issuer, crl_issuer))
            .map(|&(_, _, listing, _)| listing)
    }

    /// Whether the certificate issuer of an entry (an [`IndexEntry`]'s
    /// last field) is `cert_issuer`: the CRL's issuer, or a directoryName
    /// of the entry's certificateIssuer.
    fn issued_by(&self, issuer: u32, cert_issuer: &[u8], crl_issuer: &[u8]) -> bool {
        let Some(at) = (issuer as usize).checked_sub(1) else {
            return names_match(crl_issuer, cert_issuer);
        };
        let names = self
            .issuers
            .get(at)
            .and_then(|&(start, len)| self.octets.get(start..start + len))
            .unwrap_or_default();
        names::general_names(names).any(
            |name| matches!(name, Ok(GeneralName::Directory(dn)) if names_match(dn, cert_issuer)),
        )
    }

    /// Whether `crl` (the CRL this index was read from) verifies under
    /// `key`: remembered when it did before, else checked and, on
    /// success, remembered. A poisoned lock only costs the memory.
    fn verifies(&self, crl: &Crl<'_>, key: &PublicKey) -> bool {
        let known = |keys: &Vec<PublicKey>| keys.contains(key);
        if self.verified_by.lock().is_ok_and(|keys| known(&keys)) {
            return true;
        }
        let verified = algorithm::signature_algorithm(crl.signature_algorithm)
            .is_ok_and(|a| verify::verify(key, a, crl.tbs, crl.signature).is_ok());
        if verified {
            if let Ok(mut keys) = self.verified_by.lock() {
                if !known(&keys) && keys.len() < MAX_CRL_VERIFYING_KEYS {
                    keys.push(key.clone());
                }
            }
        }
        verified
    }
}

impl<'a> Crl<'a> {
    /// Parses one DER CertificateList (RFC 5280 §5.1), every entry of
    /// revokedCertificates included. Failure names the broken rule or the
    /// unsupported feature.
    pub fn parse(der: &'a [u8]) -> Result<Self, CertificateError> {
        Self::parse_with(der, Entries::Check)
    }

    /// Parses a CRL that [`Crl::parse`] accepted before, without reading
    /// its revokedCertificates again (their serials are in
    /// [`CrlIndex`]): the work does not grow with the list.
    pub fn reparse(der: &'a [u8]) -> Result<Self, CertificateError> {
        Self::parse_with(der, Entries::Skip)
    }

    fn parse_with(der: &'a [u8], entries: Entries) -> Result<Self, CertificateError> {
        let mut outer = Der::new(der);
        let crl = outer.sequence(|seq| {
            let tbs = seq.expect_tag(tag::SEQUENCE)?;
            let signature_algorithm = seq.expect_tag(tag::SEQUENCE)?.raw;
            let signature = seq.bit_string()?.octets()?;
            parse_tbs(tbs.raw, tbs.value, signature_algorithm, signature, entries)
        })?;
        outer.finish()?;
        Ok(crl)
    }

    /// What this CRL says about `cert` and for which revocation reasons:
    /// `None` when the CRL does not cover it (another issuer name, RFC
    /// 5280 §6.3.3 (b)(1); outside its scope, (b)(2)(ii), (iii); a
    /// distribution point none of the certificate's names, (b)(2)(i), see
    /// [`distribution_point::reasons_served`]); otherwise, once one of
    /// `signers` is shown to have signed it ((f), (g); see
    /// [`Crl::signed_by`]), the certificate's entry if it has one ((i)),
    /// with the reasons the CRL answers for ((d)). `index` is this CRL's
    /// [`CrlIndex`]. Freshness is the caller's.
    pub fn listing_for(
        &self,
        cert: &Certificate<'_>,
        signers: &Signers<'_, '_>,
        time: i64,
        index: &CrlIndex,
    ) -> Result<Option<(Option<Listing>, Reasons)>, CertificateError> {
        if !self.scope.covers(cert.is_ca()) {
            return Ok(None);
        }
        let reasons = distribution_point::reasons_served(
            &self.point,
            self.issuer,
            cert.issuer,
            cert.crl_distribution_points,
        );
        if reasons == Reasons::NONE {
            return Ok(None);
        }
        algorithm::signature_algorithm(self.signature_algorithm)?;
        self.signed_by(signers, time, index)?;
        let listing = index.find(cert.serial, cert.issuer, self.issuer);
        Ok(Some((listing, reasons)))
    }

    /// Whether `delta` is a delta CRL of this complete CRL (RFC 5280
    /// §5.2.4, §6.3.3 (c)): the same issuer, issuingDistributionPoint and
    /// authorityKeyIdentifier, a BaseCRLNumber no greater than this CRL's
    /// number (the complete CRL it was made against, or a later one) and
    /// a number of its own greater than it.
    pub fn completed_by(&self, delta: &Crl<'_>) -> bool {
        let (Some(base), Some(number), Some(ours)) = (delta.delta_base, delta.number, self.number)
        else {
            return false;
        };
        self.delta_base.is_none()
            && names_match(delta.issuer, self.issuer)
            && delta.issuing_point_der == self.issuing_point_der
            && delta.authority_key_id == self.authority_key_id
            && cmp_crl_numbers(base, ours).is_le()
            && cmp_crl_numbers(number, ours).is_gt()
    }

    /// Checks that a key whose certification path ends at the validated
    /// path's trust anchor signed this CRL (RFC 5280 §6.3.3 (f), (g)):
    /// - the certificate's issuer, whose keyUsage, if any, must then allow
    ///   cRLSign;
    /// - a key of the same CA higher on the path (a self-issued
    ///   certificate's, after the CA changed keys), allowed cRLSign;
    /// - or a delegated CRL signer ([`Crl::delegated_to`]).
    fn signed_by(
        &self,
        signers: &Signers<'_, '_>,
        time: i64,
        index: &CrlIndex,
    ) -> Result<(), CertificateError> {
        let Some((issuer, above)) = signers.path.split_first() else {
            return Err(bad("CRL signature does not verify"));
        };
        if index.verifies(self, &issuer.public_key) {
            return match issuer.crl_sign_allowed {
                true => Ok(()),
                false => Err(bad("the CRL issuer's keyUsage lacks cRLSign")),
            };
        }
        let same_ca = |ca: &Issuer<'_>| {
            names_match(ca.subject, self.issuer)
                && ca.crl_sign_allowed
                && index.verifies(self, &ca.public_key)
        };
        let delegated = |signer: &Certificate<'_>| self.delegated_to(signer, signers, time, index);
        if above.iter().any(same_ca) || signers.delegated.iter().any(delegated) {
            return Ok(());
        }
        Err(bad("CRL signature does not verify"))
    }

    /// Whether `signer` signed this CRL as a delegated CRL signer (RFC
    /// 5280 §6.3.3 (f): a CRL issuer other than the CA's own key, whose
    /// certification path ends at the same trust anchor): `signer` bears
    /// the CRL's issuer name (the CA's for a direct CRL, §5.1.2.3; the
    /// indirect CRL issuer's otherwise, §5.2.5), was issued and signed by
    /// the certificate's issuer or a certificate above it on the
    /// validated path (the anchor included), is valid at
    /// `time`, is not revoked ([`Signers::unrevoked`]), asserts cRLSign
    /// in a keyUsage it must carry (§4.2.1.3), and its key verifies the
    /// CRL.
    fn delegated_to(
        &self,
        signer: &Certificate<'_>,
        signers: &Signers<'_, '_>,
        time: i64,
        index: &CrlIndex,
    ) -> bool {
        let fit = names_match(signer.subject, self.issuer)
            && signer.key_usage.is_some()
            && signer.key_usage_allows(KeyUsage::CrlSign)
            && signer.not_before <= time
            && time <= signer.not_after;
        let issued_at = |at: usize| {
            signers.path.get(at).is_some_and(|ca| {
                names_match(signer.issuer, ca.subject)
                    && algorithm::signature_algorithm(signer.signature_algorithm).is_ok_and(|a| {
                        verify::verify(&ca.public_key, a, signer.tbs, signer.signature).is_ok()
                    })
            })
        };
        fit && (0..signers.path.len())
            .find(|&at| issued_at(at))
            .and_then(|at| signers.path.get(at..))
            .is_some_and(|above| (signers.unrevoked)(signer, above))
            && index.verifies(self, &signer.public_key)
    }
}

/// The keys that may have signed a CRL about one certificate of a
/// validated path (RFC 5280 §6.3.3 (f)).
pub struct Signers<'s, 'a> {
    /// The certificate's issuer, then each certificate above it on the
    /// validated path, the trust anchor last: their certification paths
    /// are the path's own.
    pub path: &'s [Issuer<'a>],
    /// Certificates of delegated CRL signers the application gave.
    pub delegated: &'s [Certificate<'a>],
    /// Whether a delegated signer, issued by the first of the given
    /// authorities (the rest are those above it), is not revoked.
    pub unrevoked: &'s dyn Fn(&Certificate<'_>, &[Issuer<'_>]) -> bool,
}

/// Reads tbsCertList (RFC 5280 §5.1.2) field by field, in the order of its
/// ASN.1 definition.
fn parse_tbs<'a>(
    tbs_raw: &'a [u8],
    tbs: &'a [u8],
    signature_algorithm: &'a [u8],
    signature: &'a [u8],
    check: Entries,
) -> Result<Crl<'a>, CertificateError> {
    let mut seq = Der::new(tbs);
    // RFC 5280 §5.1.2.1: version "MUST be v2" when extensions are used,
    // and a conforming CRL carries authorityKeyIdentifier and cRLNumber.
    if seq.peek_tag() != Some(tag::INTEGER) || seq.small_unsigned()? != VERSION_2 {
        return Err(CertificateError::BadEncoding("not a version 2 CRL"));
    }
    // RFC 5280 §5.1.2.2: the same algorithm as signatureAlgorithm.
    if seq.expect_tag(tag::SEQUENCE)?.raw != signature_algorithm {
        return Err(CertificateError::BadEncoding(
            "signatureAlgorithm differs from the signature field of tbsCertList",
        ));
    }
    let issuer = names::check_name(&mut seq)?.0;
    let this_update = time::read(&mut seq)?;
    let next_update = match seq.peek_tag() {
        Some(tag::UTC_TIME | tag::GENERALIZED_TIME) => Some(time::read(&mut seq)?),
        _ => None,
    };
    // RFC 5280 §5.1.2.6: an empty list "MUST be absent".
    let entries = match seq.optional(tag::SEQUENCE)? {
        Some([]) => {
            return Err(CertificateError::BadEncoding(
                "empty revokedCertificates (it must be absent)",
            ))
        }
        entries => entries.unwrap_or_default(),
    };
    let mut crl = Crl {
        tbs: tbs_raw,
        signature_algorithm,
        signature,
        issuer,
        this_update,
        next_update,
        number: None,
        authority_key_id: None,
        delta_base: None,
        issuing_point_der: None,
        scope: Scope::All,
        point: IssuingPoint::default(),
        entries,
    };
    if let Some(extensions) = seq.optional(tag::context_constructed(0))? {
        let mut wrapper = Der::new(extensions);
        let list = wrapper.nested(tag::SEQUENCE)?;
        wrapper.finish()?;
        x509::for_each_extension(list, |id, ext| apply_crl_extension(&mut crl, id, ext))?;
    }
    seq.finish()?;
    if check == Entries::Check {
        check_entries(&crl)?;
    }
    // RFC 5280 §5.2.3: conforming CRL issuers "MUST include this
    // extension in all CRLs": without it, CRLs of one scope cannot be
    // ordered.
    if crl.number.is_none() {
        return Err(CertificateError::MisIssued("CRL without cRLNumber"));
    }
    Ok(crl)
}

/// Checks every revokedCertificates entry, at most [`MAX_CRL_ENTRIES`]:
/// a certificateIssuer only in an indirect CRL (RFC 5280 §5.3.3), a
/// removeFromCRL only in a delta CRL (§5.3.1).
fn check_entries(crl: &Crl<'_>) -> Result<(), CertificateError> {
    let mut list = Der::new(crl.entries);
    let mut count = 0usize;
    while !list.is_empty() {
        count += 1;
        if count > MAX_CRL_ENTRIES {
            return Err(bad("CRL lists more entries than MAX_CRL_ENTRIES"));
        }
        let entry = list.sequence(read_entry)?;
        if entry.issuer.is_some() && !crl.point.indirect {
            return Err(CertificateError::MisIssued(
                "certificateIssuer entry in a CRL that is not indirect",
            ));
        }
        if entry.listing == Listing::Removed && crl.delta_base.is_none() {
            return Err(CertificateError::MisIssued(
                "removeFromCRL entry in a CRL that is not a delta CRL",
            ));
        }
    }
    Ok(())
}

/// One revokedCertificates entry (RFC 5280 §5.1.2.6): userCertificate,
/// revocationDate, crlEntryExtensions.
fn read_entry<'a>(der: &mut Der<'a>) -> Result<Entry<'a>, CertificateError> {
    let mut entry = Entry {
        serial: der.integer()?,
        listing: Listing::Revoked(None),
        issuer: None,
    };
    time::read(der)?;
    if let Some(list) = der.optional(tag::SEQUENCE)? {
        x509::for_each_extension(Der::new(list), |id, ext| {
            apply_entry_extension(&mut entry, id, ext)
        })?;
    }
    Ok(entry)
}

/// One CRL entry extension (RFC 5280 §5.3): reasonCode, invalidityDate
/// and certificateIssuer are read (the last "MUST always be critical",
/// §5.3.3, and needs an indirect CRL, which [`check_entries`] sees); any
/// other critical extension is refused.
fn apply_entry_extension<'a>(
    entry: &mut Entry<'a>,
    id: &[u8],
    ext: Extension<'a>,
) -> Result<(), CertificateError> {
    match id {
        oid::CRL_REASON => {
            let code = x509::whole(ext.value, |d| Ok(d.small_enumerated()?))?;
            entry.listing = match code {
                REMOVE_FROM_CRL => Listing::Removed,
                _ => Listing::Revoked(Some(
                    RevocationReason::from_code(code)
                        .ok_or(CertificateError::BadEncoding("unknown CRL reason code"))?,
                )),
            };
        }
        oid::INVALIDITY_DATE => {
            x509::whole(ext.value, |d| {
                if d.peek_tag() != Some(tag::GENERALIZED_TIME) {
                    return Err(CertificateError::BadEncoding(
                        "invalidityDate is not a GeneralizedTime",
                    ));
                }
                time::read(d)
            })?;
        }
        oid::CERTIFICATE_ISSUER => {
            if !ext.critical {
                return Err(CertificateError::MisIssued(
                    "certificateIssuer not critical",
                ));
            }
            let names = x509::whole(ext.value, |d| Ok(d.read(tag::SEQUENCE)?))?;
            names::check_general_names(names, "empty certificateIssuer")?;
            entry.issuer = Some(names);
        }
        _ if ext.critical => return Err(unsupported("unknown critical CRL entry extension")),
        _ => {}
    }
    Ok(())
}

/// One CRL extension (RFC 5280 §5.2) applied to `crl`.
fn apply_crl_extension<'a>(
    crl: &mut Crl<'a>,
    id: &[u8],
    ext: Extension<'a>,
) -> Result<(), CertificateError> {
    match id {
        oid::AUTHORITY_KEY_IDENTIFIER => {
            crl.authority_key_id = x509::whole(ext.value, |d| {
                x509::authority_key_identifier(d, ext.critical)
            })?
            .key_id;
        }
        oid::CRL_NUMBER => {
            // RFC 5280 §5.2.3: non-critical, a non-negative INTEGER of at
            // most 20 octets.
            if ext.critical {
                return Err(CertificateError::MisIssued("cRLNumber marked critical"));
            }
            crl.number = Some(x509::whole(ext.value, crl_number)?);
        }
        oid::DELTA_CRL_INDICATOR => {
            // RFC 5280 §5.2.4: critical, a BaseCRLNumber like cRLNumber.
            if !ext.critical {
                return Err(CertificateError::MisIssued(
                    "deltaCRLIndicator not critical",
                ));
            }
            crl.delta_base = Some(x509::whole(ext.value, crl_number)?);
        }
        oid::ISSUING_DISTRIBUTION_POINT => {
            (crl.scope, crl.point) = x509::whole(ext.value, issuing_distribution_point)?;
            crl.issuing_point_der = Some(ext.value);
        }
        _ if ext.critical => return Err(unsupported("unknown critical CRL extension")),
        _ => {}
    }
    Ok(())
}

/// A CRLNumber (RFC 5280 §5.2.3, and BaseCRLNumber, §5.2.4): a
/// non-negative INTEGER of at most [`MAX_CRL_NUMBER_LEN`] octets, as its
/// minimal contents.
fn crl_number<'a>(d: &mut Der<'a>) -> Result<&'a [u8], CertificateError> {
    let number = d.unsigned_integer()?;
    if number.len() > MAX_CRL_NUMBER_LEN {
        return Err(CertificateError::BadEncoding(
            "cRLNumber longer than 20 octets",
        ));
    }
    Ok(number)
}

/// The longest CRLNumber, in octets (RFC 5280 §5.2.3: "CRL verifiers MUST
/// be able to handle CRLNumber values up to 20 octets").
pub const MAX_CRL_NUMBER_LEN: usize = 20;

/// Orders two CRL numbers ([`crl_number`]'s contents): non-negative
/// INTEGERs in minimal encoding, so the longer is the larger, and equal
/// lengths compare as bytes. A leading zero octet (before a first octet
/// of 0x80 or more) is not significant.
pub fn cmp_crl_numbers(a: &[u8], b: &[u8]) -> core::cmp::Ordering {
    let significant = |n: &[u8]| -> usize {
        n.iter()
            .position(|&octet| octet != 0)
            .map_or(0, |first| n.len() - first)
    };
    let (a, b) = (
        a.get(a.len() - significant(a)..).unwrap_or_default(),
        b.get(b.len() - significant(b)..).unwrap_or_default(),
    );
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// issuingDistributionPoint (RFC 5280 §5.2.5): the distributionPoint
/// name, the scope flags, onlySomeReasons and indirectCRL are honoured;
/// onlyContainsAttributeCerts is refused. An extension asserting
/// nothing (§5.2.5: "MUST NOT consist of only default values") is
/// refused too.
fn issuing_distribution_point<'a>(
    d: &mut Der<'a>,
) -> Result<(Scope, IssuingPoint<'a>), CertificateError> {
    d.sequence(|idp| {
        let name = distribution_point::read_point_name(idp)?;
        let user = implicit_default_false(idp, 1)?;
        let ca = implicit_default_false(idp, 2)?;
        let reasons = distribution_point::read_reasons(idp, 3)?;
        let indirect = implicit_default_false(idp, 4)?;
        if implicit_default_false(idp, 5)? {
            return Err(unsupported(
                "CRLs of attribute certificates are not supported",
            ));
        }
        let scope = match (user, ca) {
            (false, false) => Scope::All,
            (true, false) => Scope::UserCerts,
            (false, true) => Scope::CaCerts,
            (true, true) => {
                return Err(CertificateError::BadEncoding(
                    "issuingDistributionPoint limited to both user and CA certificates",
                ))
            }
        };
        if name.is_none() && reasons.is_none() && scope == Scope::All && !indirect {
            return Err(CertificateError::BadEncoding(
                "issuingDistributionPoint with only default values",
            ));
        }
        Ok((
            scope,
            IssuingPoint {
                name,
                reasons,
                indirect,
            },
        ))
    })
}

/// An `[n] IMPLICIT BOOLEAN DEFAULT FALSE`: absent is false; encoded, it
/// must be TRUE (DER omits a DEFAULT value, X.690 §11.5).
fn implicit_default_false(d: &mut Der<'_>, n: u8) -> Result<bool, CertificateError> {
    match d.optional(tag::context_primitive(n))? {
        None => Ok(false),
        Some([0xff]) => Ok(true),
        Some([0x00]) => Err(CertificateError::BadEncoding(
            "FALSE encoded although DEFAULT",
        )),
        Some(_) => Err(CertificateError::BadEncoding("BOOLEAN not 0x00 or 0xFF")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::der::encode as tlv;

    const ECDSA_SHA256_ID: &[u8] = &[
        0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
    ];
    const NAME: &[u8] = &[
        0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x02, b'c', b'a',
    ];
    const THIS_UPDATE: &[u8] = b"\x17\x0d291201000000Z";
    const NEXT_UPDATE: &[u8] = b"\x17\x0d300201000000Z";

    /// A CRL with the given revokedCertificates contents (absent when
    /// `None`) and crlExtensions: a cRLNumber of 1 (RFC 5280 §5.2.3),
    /// then `extensions`.
    fn crl(entries: Option<&[u8]>, extensions: Option<&[u8]>) -> Vec<u8> {
        let number = ext(oid::CRL_NUMBER, false, &[0x02, 1, 1]);
        let extensions = [number, extensions.unwrap_or_default().to_vec()].concat();
        bare_crl(entries, Some(&extensions))
    }

    /// [`crl`] with crlExtensions contents exactly `extensions` (absent
    /// when `None`).
    fn bare_crl(entries: Option<&[u8]>, extensions: Option<&[u8]>) -> Vec<u8> {
        let mut tbs = vec![2, 1, 1];
        tbs.extend_from_slice(ECDSA_SHA256_ID);
        tbs.extend_from_slice(NAME);
        tbs.extend_from_slice(THIS_UPDATE);
        tbs.extend_from_slice(NEXT_UPDATE);
        if let Some(entries) = entries {
            tbs.extend(tlv(0x30, entries));
        }
        if let Some(extensions) = extensions {
            tbs.extend(tlv(0xa0, &tlv(0x30, extensions)));
        }
        let mut body = tlv(0x30, &tbs);
        body.extend_from_slice(ECDSA_SHA256_ID);
        body.extend(tlv(0x03, &[0, 1, 2, 3]));
        tlv(0x30, &body)
    }

    /// One entry: serial, a revocationDate, optional extensions contents.
    fn entry(serial: &[u8], extensions: Option<&[u8]>) -> Vec<u8> {
        let mut e = tlv(0x02, serial);
        e.extend_from_slice(THIS_UPDATE);
        if let Some(x) = extensions {
            e.extend(tlv(0x30, x));
        }
        tlv(0x30, &e)
    }

    /// One extension: id, critical flag, value.
    fn ext(id: &[u8], critical: bool, value: &[u8]) -> Vec<u8> {
        let mut e = tlv(0x06, id);
        if critical {
            e.extend([1, 1, 0xff]);
        }
        e.extend(tlv(0x04, value));
        tlv(0x30, &e)
    }

    fn parse(der: &[u8]) -> Result<Crl<'_>, CertificateError> {
        Crl::parse(der)
    }

    /// A reasonCode entry extension (RFC 5280 §5.3.1) with `code`.
    fn reason(code: u8) -> Vec<u8> {
        ext(oid::CRL_REASON, false, &[0x0a, 1, code])
    }

    #[test]
    fn revoked_serials_are_found_by_their_octets_whatever_the_order() {
        let serials: [&[u8]; 5] = [&[0x30], &[0x01, 0x00], &[0x01], &[0x7f; 20], &[0x02]];
        let mut listed = Vec::new();
        for (i, serial) in serials.iter().enumerate() {
            listed.extend(entry(serial, Some(&reason(i as u8 + 1))));
        }
        let der = crl(Some(&listed), None);
        let revoked = CrlIndex::read(&parse(&der).unwrap()).unwrap();
        let reasons = [
            RevocationReason::KeyCompromise,
            RevocationReason::CaCompromise,
            RevocationReason::AffiliationChanged,
            RevocationReason::Superseded,
            RevocationReason::CessationOfOperation,
        ];
        for (serial, reason) in serials.iter().zip(reasons) {
            assert_eq!(
                revoked.find(serial, NAME, NAME),
                Some(Listing::Revoked(Some(reason))),
                "{serial:02x?}"
            );
        }
        // Octets, not numbers or prefixes: none of these is listed.
        for absent in [
            &[][..],
            &[0x00],
            &[0x01, 0x00, 0x00],
            &[0x03],
            &[0x7f; 19],
            &[0x31],
        ] {
            assert_eq!(revoked.find(absent, NAME, NAME), None, "{absent:02x?}");
        }
        assert_eq!(
            CrlIndex::read(&parse(&crl(None, None)).unwrap())
                .unwrap()
                .find(&[1], NAME, NAME),
            None
        );
    }

    /// The memory of verifying keys is per key: a success under the
    /// issuer's key is remembered, and never stands in for another key,
    /// before or after it.
    #[test]
    fn a_signature_is_remembered_only_for_the_key_it_verified_under() {
        use crate::crypto::hash::HashAlgorithm;
        use crate::crypto::verify::SignatureAlgorithm;
        let signer =
            crate::pki::private_key_from_pem(include_str!("../../vectors/pki/p256-int.key"))
                .unwrap();
        let other =
            crate::pki::private_key_from_pem(include_str!("../../vectors/pki/p256-leaf.key"))
                .unwrap();
        let unsigned = crl(Some(&entry(&[0x05], None)), None);
        let tbs = parse(&unsigned).unwrap().tbs.to_vec();
        let signature = signer
            .sign(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256), &tbs)
            .unwrap();
        let mut body = tbs;
        body.extend_from_slice(ECDSA_SHA256_ID);
        body.extend(tlv(0x03, &[&[0][..], &signature].concat()));
        let der = tlv(0x30, &body);
        let signed = parse(&der).unwrap();
        let index = CrlIndex::read(&signed).unwrap();
        let (key, wrong) = (signer.public_key(), other.public_key());
        assert!(!index.verifies(&signed, &wrong));
        assert!(index.verifies(&signed, &key));
        assert!(!index.verifies(&signed, &wrong));
        assert!(index.verifies(&signed, &key));
        assert_eq!(*index.verified_by.lock().unwrap(), [key]);
    }

    #[test]
    fn a_serial_listed_twice_answers_with_its_first_entry() {
        let mut listed = entry(&[0x05], Some(&reason(1)));
        listed.extend(entry(&[0x04], None));
        listed.extend(entry(&[0x05], None));
        let revoked = CrlIndex::read(&parse(&crl(Some(&listed), None)).unwrap()).unwrap();
        assert_eq!(
            revoked.find(&[0x05], NAME, NAME),
            Some(Listing::Revoked(Some(RevocationReason::KeyCompromise)))
        );
        assert_eq!(
            revoked.find(&[0x04], NAME, NAME),
            Some(Listing::Revoked(None))
        );
    }

    /// [`Crl::reparse`] skips the list [`Crl::parse`] read: it gives the
    /// same fields, and does not look at the entries (here one that
    /// `parse` refuses).
    #[test]
    fn reparse_reads_the_fields_around_the_entries_only() {
        let listed = entry(&[0x05], Some(&reason(1)));
        let der = crl(Some(&listed), None);
        let (first, again) = (parse(&der).unwrap(), Crl::reparse(&der).unwrap());
        assert_eq!(
            (
                first.issuer,
                first.this_update,
                first.next_update,
                first.tbs
            ),
            (
                again.issuer,
                again.this_update,
                again.next_update,
                again.tbs
            )
        );
        let broken = crl(Some(&entry(&[0x05], Some(&reason(7)))), None);
        assert!(parse(&broken).is_err());
        assert!(Crl::reparse(&broken).is_ok());
    }

    #[test]
    fn a_minimal_crl_parses_with_its_fields() {
        let listed = entry(
            &[0x7f; 30],
            Some(&ext(oid::CRL_REASON, false, &[0x0a, 1, 1])),
        );
        let der = crl(Some(&listed), None);
        let parsed = parse(&der).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.issuer, NAME);
        assert_eq!(parsed.this_update, 1_890_777_600);
        assert_eq!(parsed.next_update, Some(1_896_134_400));
        assert_eq!(parsed.scope, Scope::All);
        let mut entries = Der::new(parsed.entries);
        let entry = entries.sequence(read_entry).expect("an entry");
        assert_eq!(entry.serial, &[0x7f; 30][..]);
        assert_eq!(
            entry.listing,
            Listing::Revoked(Some(RevocationReason::KeyCompromise))
        );
        assert_eq!(entry.issuer, None);
    }

    #[test]
    fn broken_encodings_give_their_reason() {
        let good = crl(None, None);
        for cut in 0..good.len() {
            assert!(parse(&good[..cut]).is_err(), "truncated at {cut}");
        }
        let mut trailing = good.clone();
        trailing.push(0);
        assert_eq!(
            parse(&trailing).map(|_| ()),
            Err(CertificateError::BadEncoding("trailing data"))
        );
        let mut v1 = good.clone();
        // Drop the version INTEGER: a v1 CRL (lengths shrink by 3).
        v1.drain(4..7);
        v1[1] -= 3;
        v1[3] -= 3;
        assert_eq!(
            parse(&v1).map(|_| ()),
            Err(CertificateError::BadEncoding("not a version 2 CRL"))
        );
        assert_eq!(
            parse(&crl(Some(&[]), None)).map(|_| ()),
            Err(CertificateError::BadEncoding(
                "empty revokedCertificates (it must be absent)"
            ))
        );
        // RFC 5280 §5.2.3: cRLNumber present, and not critical.
        assert_eq!(
            parse(&bare_crl(None, None)).map(|_| ()),
            Err(CertificateError::MisIssued("CRL without cRLNumber"))
        );
        assert_eq!(
            parse(&bare_crl(
                None,
                Some(&ext(oid::CRL_NUMBER, true, &[0x02, 1, 1]))
            ))
            .map(|_| ()),
            Err(CertificateError::MisIssued("cRLNumber marked critical"))
        );
        let bad_reason = entry(&[1], Some(&ext(oid::CRL_REASON, false, &[0x0a, 1, 7])));
        assert_eq!(
            parse(&crl(Some(&bad_reason), None)).map(|_| ()),
            Err(CertificateError::BadEncoding("unknown CRL reason code"))
        );
        let negative = entry(&[0x80], None);
        assert!(
            parse(&crl(Some(&negative), None)).is_ok(),
            "serials compare as bytes"
        );
    }

    #[test]
    fn unsupported_features_are_refused_by_name() {
        let critical_unknown = ext(&[0x2a, 3], true, &[5, 0]);
        let cases: [(Vec<u8>, &str); 2] = [
            (
                crl(None, Some(&critical_unknown)),
                "unknown critical CRL extension",
            ),
            (
                crl(Some(&entry(&[1], Some(&critical_unknown))), None),
                "unknown critical CRL entry extension",
            ),
        ];
        for (der, why) in cases {
            assert_eq!(
                parse(&der).map(|_| ()),
                Err(CertificateError::UnsupportedCriticalExtension(why))
            );
        }
    }

    #[test]
    fn scope_flags_are_read_strictly() {
        let idp = |value: &[u8]| {
            crl(
                None,
                Some(&ext(oid::ISSUING_DISTRIBUTION_POINT, true, value)),
            )
        };
        let scope = |value: &[u8]| parse(&idp(value)).map(|c| c.scope);
        assert_eq!(scope(&[0x30, 3, 0x81, 1, 0xff]), Ok(Scope::UserCerts));
        assert_eq!(scope(&[0x30, 3, 0x82, 1, 0xff]), Ok(Scope::CaCerts));
        assert_eq!(
            scope(&[0x30, 0]),
            Err(CertificateError::BadEncoding(
                "issuingDistributionPoint with only default values"
            ))
        );
        assert_eq!(
            scope(&[0x30, 3, 0x82, 1, 0x00]),
            Err(CertificateError::BadEncoding(
                "FALSE encoded although DEFAULT"
            ))
        );
        assert_eq!(
            scope(&[0x30, 6, 0x81, 1, 0xff, 0x82, 1, 0xff]),
            Err(CertificateError::BadEncoding(
                "issuingDistributionPoint limited to both user and CA certificates"
            ))
        );
        assert!(Scope::CaCerts.covers(true) && !Scope::CaCerts.covers(false));
        assert!(Scope::UserCerts.covers(false) && !Scope::UserCerts.covers(true));
    }

    #[test]
    fn the_distribution_point_and_reasons_are_read() {
        let uri = tlv(0x86, b"http://crl.example/1.crl");
        let full_name = tlv(0xa0, &uri);
        let point = tlv(0xa0, &full_name);
        // onlySomeReasons: keyCompromise and cACompromise (bits 1, 2).
        let reasons = [0x83, 2, 5, 0x60];
        let crl_der = crl(
            None,
            Some(&ext(
                oid::ISSUING_DISTRIBUTION_POINT,
                true,
                &tlv(tag::SEQUENCE, &[point, reasons.to_vec()].concat()),
            )),
        );
        let parsed = parse(&crl_der).expect("an IDP with a name and reasons");
        assert_eq!(
            parsed.point.name,
            Some(distribution_point::PointName::Full(&uri))
        );
        assert_eq!(
            Some(parsed.point.reasons),
            distribution_point::read_reasons(&mut Der::new(&reasons), 3).ok()
        );
        assert!(parsed.point.reasons.is_some());
        let empty_full_name = tlv(tag::SEQUENCE, &tlv(0xa0, &tlv(0xa0, &[])));
        assert_eq!(
            parse(&crl(
                None,
                Some(&ext(
                    oid::ISSUING_DISTRIBUTION_POINT,
                    true,
                    &empty_full_name
                ))
            ))
            .map(|_| ()),
            Err(CertificateError::BadEncoding("empty fullName"))
        );
    }

    #[test]
    fn an_indirect_crl_lists_certificates_of_the_issuers_its_entries_name() {
        const OTHER: &[u8] = &[
            0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x02, b'o',
            b't',
        ];
        let issuer = |critical| {
            let names = tlv(tag::SEQUENCE, &tlv(tag::context_constructed(4), OTHER));
            ext(oid::CERTIFICATE_ISSUER, critical, &names)
        };
        let entries = [
            entry(&[1], None),
            entry(&[2], Some(&issuer(true))),
            entry(&[3], None),
        ]
        .concat();
        let indirect = ext(
            oid::ISSUING_DISTRIBUTION_POINT,
            true,
            &[0x30, 3, 0x84, 1, 0xff],
        );
        let der = crl(Some(&entries), Some(&indirect));
        let parsed = parse(&der).expect("an indirect CRL");
        assert!(parsed.point.indirect);
        let index = CrlIndex::read(&parsed).expect("its index");
        // RFC 5280 §5.3.3: the CRL issuer's until a certificateIssuer,
        // whose issuer then holds for the entries after it.
        assert_eq!(index.find(&[1], NAME, NAME), Some(Listing::Revoked(None)));
        assert_eq!(index.find(&[1], OTHER, NAME), None);
        assert_eq!(index.find(&[2], OTHER, NAME), Some(Listing::Revoked(None)));
        assert_eq!(index.find(&[2], NAME, NAME), None);
        assert_eq!(index.find(&[3], OTHER, NAME), Some(Listing::Revoked(None)));
        assert_eq!(index.find(&[3], NAME, NAME), None);
        let refused = |entries: &[u8], extensions: Option<&[u8]>| {
            parse(&crl(Some(entries), extensions)).map(|_| ())
        };
        assert_eq!(
            refused(&entry(&[2], Some(&issuer(true))), None),
            Err(CertificateError::MisIssued(
                "certificateIssuer entry in a CRL that is not indirect"
            ))
        );
        assert_eq!(
            refused(&entry(&[2], Some(&issuer(false))), Some(&indirect)),
            Err(CertificateError::MisIssued(
                "certificateIssuer not critical"
            ))
        );
        let empty = ext(oid::CERTIFICATE_ISSUER, true, &[0x30, 0]);
        assert_eq!(
            refused(&entry(&[2], Some(&empty)), Some(&indirect)),
            Err(CertificateError::BadEncoding("empty certificateIssuer"))
        );
    }

    #[test]
    fn a_delta_crl_completes_the_complete_crls_it_was_made_against() {
        let numbered = |number: u8, delta_base: Option<u8>, entries: Option<&[u8]>| {
            let number = ext(oid::CRL_NUMBER, false, &[0x02, 1, number]);
            let delta = delta_base
                .map(|base| ext(oid::DELTA_CRL_INDICATOR, true, &[0x02, 1, base]))
                .unwrap_or_default();
            bare_crl(entries, Some(&[number, delta].concat()))
        };
        let complete = numbered(4, None, None);
        let complete = parse(&complete).expect("a complete CRL");
        let removed = entry(&[9], Some(&reason(REMOVE_FROM_CRL)));
        let delta = numbered(6, Some(4), Some(&removed));
        let delta = parse(&delta).expect("a delta CRL");
        assert_eq!(delta.delta_base, Some(&[4][..]));
        let index = CrlIndex::read(&delta).expect("its index");
        assert_eq!(index.find(&[9], NAME, NAME), Some(Listing::Removed));
        // RFC 5280 §5.2.4: made against complete CRL 4, or an earlier one
        // this complete CRL still holds; its own number is later.
        assert!(complete.completed_by(&delta));
        let earlier_base = numbered(6, Some(3), None);
        assert!(complete.completed_by(&parse(&earlier_base).expect("a delta")));
        let later_base = numbered(6, Some(5), None);
        assert!(!complete.completed_by(&parse(&later_base).expect("a delta")));
        let not_later = numbered(4, Some(4), None);
        assert!(!complete.completed_by(&parse(&not_later).expect("a delta")));
        assert!(!delta.completed_by(&delta), "a delta CRL completes nothing");
        // removeFromCRL belongs to delta CRLs; the indicator is critical.
        assert_eq!(
            parse(&numbered(4, None, Some(&removed))).map(|_| ()),
            Err(CertificateError::MisIssued(
                "removeFromCRL entry in a CRL that is not a delta CRL"
            ))
        );
        let lax = [
            ext(oid::CRL_NUMBER, false, &[0x02, 1, 6]),
            ext(oid::DELTA_CRL_INDICATOR, false, &[0x02, 1, 4]),
        ]
        .concat();
        assert_eq!(
            parse(&bare_crl(None, Some(&lax))).map(|_| ()),
            Err(CertificateError::MisIssued(
                "deltaCRLIndicator not critical"
            ))
        );
    }

    #[test]
    fn crl_numbers_order_as_integers() {
        use core::cmp::Ordering::{Equal, Greater, Less};
        assert_eq!(cmp_crl_numbers(&[0x01, 0x00], &[0xff]), Greater);
        assert_eq!(cmp_crl_numbers(&[0x00, 0x80], &[0x7f]), Greater);
        assert_eq!(cmp_crl_numbers(&[0x00, 0x80], &[0x80]), Equal);
        assert_eq!(cmp_crl_numbers(&[0x05], &[0x06]), Less);
        assert_eq!(cmp_crl_numbers(&[0x00], &[]), Equal);
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let good = crl(Some(&entry(&[1], None)), None);
        for i in 0..good.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut bad = good.clone();
                bad[i] ^= flip;
                let _ = parse(&bad);
            }
        }
    }
}
