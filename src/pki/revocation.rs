//! Revocation checking of a validated path (RFC 5280 §6.3, RFC 6960):
//! the sources an embedder hands over ([`Revocation`]: CRLs and OCSP
//! responses), the policy when they say nothing ([`RevocationPolicy`]),
//! and the check of every certificate of the path but the trust anchor,
//! each with its issuer, the next certificate of the path.
//!
//! Nothing here fetches anything: CRLs and responses are given (or, for
//! the end entity, stapled in the handshake: [`Revocation::check`] takes
//! that response as an argument for when the handshake carries one).

use super::crl::{self, Crl, CrlIndex, Listing, Signers};
use super::distribution_point::Reasons;
use super::ocsp;
use super::path::VerifiedPath;
use super::pem;
use super::status::{Answer, Issuer};
use super::x509::Certificate;
use crate::error::{CertificateError, LoadError, PemError, RevocationReason};

/// What happens to a certificate about which no source gives a fresh,
/// verified answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RevocationPolicy {
    /// Accepted: revocation is checked where information exists. A
    /// certificate a source lists as revoked is still refused.
    #[default]
    SoftFail,
    /// Refused, with the reason the sources at hand were not enough
    /// ([`CertificateError::RevocationUnknown`],
    /// [`CertificateError::RevocationStale`] or
    /// [`CertificateError::BadRevocationInfo`]).
    HardFail,
}

/// Whether a check may believe CRLs signed by delegated CRL signers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Delegation {
    /// Yes: the path's own certificates.
    Allowed,
    /// No: a delegated signer's own certificate, so that checking it
    /// cannot need another signer.
    Denied,
}

/// The texts that say why a source is not current.
struct Freshness {
    /// thisUpdate is after the validation time.
    not_yet: &'static str,
    /// nextUpdate has passed.
    passed: &'static str,
    /// No nextUpdate: nothing says until when the answer holds.
    open: &'static str,
}

const CRL_FRESHNESS: Freshness = Freshness {
    not_yet: "CRL thisUpdate is after the validation time",
    passed: "CRL nextUpdate has passed",
    open: "CRL without nextUpdate",
};

const OCSP_FRESHNESS: Freshness = Freshness {
    not_yet: "OCSP thisUpdate is after the validation time",
    passed: "OCSP nextUpdate has passed",
    open: "OCSP response without nextUpdate",
};

/// A source's verified answer, the revocation reasons it answers for
/// (every reason but for a CRL partitioned by reasons, RFC 5280 §5.2.5)
/// and the period it holds for.
type Dated = (Answer, Reasons, i64, Option<i64>);

/// The revocation sources and policy a verifier applies after path
/// validation. Each CRL and OCSP response is checked to parse when added,
/// so an unsupported one is a configuration error with its reason.
#[derive(Clone, Default)]
pub struct Revocation {
    /// Each CRL's DER with its [`CrlIndex`], read once when added.
    crls: Vec<(Vec<u8>, CrlIndex)>,
    crl_signers: Vec<Vec<u8>>,
    ocsp_responses: Vec<Vec<u8>>,
    policy: RevocationPolicy,
    grace: u64,
}

/// Counts the sources instead of printing them: a CRL can be megabytes.
impl core::fmt::Debug for Revocation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Revocation")
            .field("crls", &self.crls.len())
            .field("crl_signers", &self.crl_signers.len())
            .field("ocsp_responses", &self.ocsp_responses.len())
            .field("policy", &self.policy)
            .field("grace", &self.grace)
            .finish()
    }
}

impl Revocation {
    /// No sources yet, with `policy` for certificates they do not cover.
    pub fn new(policy: RevocationPolicy) -> Self {
        Self {
            policy,
            ..Self::default()
        }
    }

    /// Tolerates `seconds` of clock difference: a CRL or response is
    /// still current that long after its nextUpdate, and already current
    /// that long before its thisUpdate (default 0).
    pub fn with_grace(mut self, seconds: u64) -> Self {
        self.grace = seconds;
        self
    }

    /// The same sources, with `policy` for certificates they do not
    /// cover.
    pub fn with_policy(mut self, policy: RevocationPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The policy for certificates no source covers.
    pub fn policy(&self) -> RevocationPolicy {
        self.policy
    }

    /// Adds one DER CRL (RFC 5280 §5.1), refused with its reason when it
    /// does not parse or uses what is not implemented
    /// (attribute-certificate CRLs, unknown critical extensions).
    pub fn add_crl_der(&mut self, der: Vec<u8>) -> Result<(), CertificateError> {
        let index = CrlIndex::read(&Crl::parse(&der)?)?;
        self.crls.push((der, index));
        Ok(())
    }

    /// Adds the CRLs of a file's contents: one DER CRL, or PEM text with
    /// any number of `X509 CRL` blocks (RFC 7468 §6). Returns how many.
    pub fn add_crls(&mut self, bytes: &[u8]) -> Result<usize, LoadError> {
        let ders = der_or_pem(bytes, crl::PEM_LABEL)?;
        for der in &ders {
            self.add_crl_der(der.clone())?;
        }
        Ok(ders.len())
    }

    /// Adds the certificate of a delegated CRL signer (DER): a key its CA
    /// certified, under the CA's own name, to sign the CA's CRLs (RFC 5280
    /// §6.3.3 (f); see docs/pki.md). Refused when it does not parse.
    pub fn add_crl_signer_der(&mut self, der: Vec<u8>) -> Result<(), CertificateError> {
        Certificate::parse(&der)?;
        self.crl_signers.push(der);
        Ok(())
    }

    /// Adds the delegated CRL signers of a file's contents: one DER
    /// certificate, or PEM text with `CERTIFICATE` blocks. Returns how
    /// many.
    pub fn add_crl_signers(&mut self, bytes: &[u8]) -> Result<usize, LoadError> {
        let ders = der_or_pem(bytes, pem::CERTIFICATE_LABEL)?;
        for der in &ders {
            self.add_crl_signer_der(der.clone())?;
        }
        Ok(ders.len())
    }

    /// Adds one DER OCSPResponse (RFC 6960 §4.2.1), refused with its
    /// reason when it does not parse or is not a successful basic
    /// response.
    pub fn add_ocsp_response(&mut self, der: Vec<u8>) -> Result<(), CertificateError> {
        ocsp::Response::parse(&der)?;
        self.ocsp_responses.push(der);
        Ok(())
    }

    /// Adds the OCSP responses of a file's contents: one DER response (as
    /// `openssl ocsp -respout` writes it), or PEM text with `OCSP
    /// RESPONSE` blocks. Returns how many.
    pub fn add_ocsp_responses(&mut self, bytes: &[u8]) -> Result<usize, LoadError> {
        let ders = der_or_pem(bytes, ocsp::PEM_LABEL)?;
        for der in &ders {
            self.add_ocsp_response(der.clone())?;
        }
        Ok(ders.len())
    }

    /// Checks every certificate of a validated `path` except its trust
    /// anchor, each against its issuer (the next certificate, or the
    /// anchor, a bare one included), at `time` (UNIX seconds).
    /// `stapled_ocsp` is an OCSP response for the end entity received in
    /// the handshake (RFC 6066 §8, RFC 8446 §4.4.2.1), checked like the
    /// configured ones.
    ///
    /// A certificate listed as revoked by any verified source is refused
    /// ([`CertificateError::Revoked`]); one about which no source gives a
    /// fresh, verified answer is refused under
    /// [`RevocationPolicy::HardFail`] only.
    pub fn check(
        &self,
        path: &VerifiedPath,
        time: u64,
        stapled_ocsp: Option<&[u8]>,
    ) -> Result<(), CertificateError> {
        let time = i64::try_from(time).unwrap_or(i64::MAX);
        let certs = path
            .chain
            .iter()
            .map(|der| Certificate::parse(der))
            .collect::<Result<Vec<_>, _>>()?;
        // Each certificate's issuer, then the certificates above it, the
        // anchor last: a bare anchor is no certificate of the chain.
        let mut authorities = certs
            .iter()
            .skip(1)
            .map(Issuer::certificate)
            .collect::<Result<Vec<_>, _>>()?;
        if path.anchor.certificate().is_none() {
            authorities.push(Issuer::anchor(&path.anchor)?);
        }
        let mut stapled = stapled_ocsp;
        for (i, cert) in certs.iter().enumerate() {
            // The anchor's own certificate: trusted, not checked.
            let Some(above) = authorities.get(i..).filter(|a| !a.is_empty()) else {
                break;
            };
            self.check_one(cert, above, time, stapled.take(), Delegation::Allowed)?;
        }
        Ok(())
    }

    /// RFC 5280 §6.3.3 and RFC 6960 §3.2 for one certificate, whose
    /// issuer is `above[0]` and the certificates above it the rest: every
    /// source that covers it is weighed; revoked wins, then good; else
    /// the policy decides, with the first reason a source was unusable.
    /// The delegated CRL signers count under [`Delegation::Allowed`]; a
    /// signer's own certificate is checked without them, so the check
    /// ends.
    fn check_one(
        &self,
        cert: &Certificate<'_>,
        above: &[Issuer<'_>],
        time: i64,
        stapled: Option<&[u8]>,
        delegation: Delegation,
    ) -> Result<(), CertificateError> {
        let Some(issuer) = above.first() else {
            return Err(CertificateError::UnknownIssuer);
        };
        // A delegated CRL signer is checked against the same sources: one
        // they list as revoked signs nothing. One they say nothing about
        // is believed whatever the policy, since its CA's only CRL may be
        // the one it signs.
        let unrevoked = |signer: &Certificate<'_>, its: &[Issuer<'_>]| {
            !matches!(
                self.check_one(signer, its, time, None, Delegation::Denied),
                Err(CertificateError::Revoked(_))
            )
        };
        // So is a delegated OCSP responder without id-pkix-ocsp-nocheck
        // (RFC 6960 §4.2.2.2.1 leaves it to local policy), issued by the
        // certificate's issuer; within a signer's own check, which looks
        // only for a revocation, one is believed, so the check ends.
        let responder_unrevoked = |responder: &Certificate<'_>| match delegation {
            Delegation::Allowed => unrevoked(responder, above),
            Delegation::Denied => true,
        };
        let mut verdict = Verdict::default();
        if let Some(der) = stapled {
            if check_stapled(der, cert, issuer, time, self.grace, &responder_unrevoked)? {
                verdict.covered = Reasons::ALL;
            }
        }
        for der in &self.ocsp_responses {
            verdict.weigh(
                ocsp_answer(der, cert, issuer, time, &responder_unrevoked),
                &OCSP_FRESHNESS,
                time,
                self.grace,
            )?;
        }
        let delegated: Vec<Certificate<'_>> = match delegation {
            Delegation::Allowed => self
                .crl_signers
                .iter()
                .filter_map(|der| Certificate::parse(der).ok())
                .collect(),
            Delegation::Denied => Vec::new(),
        };
        let signers = Signers {
            path: above,
            delegated: &delegated,
            unrevoked: &unrevoked,
        };
        // A delta CRL counts only beside its complete CRL.
        for (der, index) in self.crls.iter().filter(|(_, index)| !index.is_delta()) {
            let answer = Crl::reparse(der).and_then(|crl| {
                let Some((listing, reasons)) = crl.listing_for(cert, &signers, time, index)? else {
                    return Ok(None);
                };
                // RFC 5280 §6.3.3 (i), (j): the latest current delta CRL's
                // entry, when it has one, replaces the complete CRL's.
                let listing = match self.latest_delta(&crl, cert, &signers, time) {
                    Some(Some(changed)) => Some(changed),
                    _ => listing,
                };
                let answer = match listing {
                    None | Some(Listing::Removed) => Answer::Good,
                    Some(Listing::Revoked(reason)) => {
                        Answer::Revoked(reason.unwrap_or(RevocationReason::Unspecified))
                    }
                };
                Ok(Some((answer, reasons, crl.this_update, crl.next_update)))
            });
            verdict.weigh(answer, &CRL_FRESHNESS, time, self.grace)?;
        }
        match (verdict.covered, self.policy) {
            (covered, _) if covered.is_all() => Ok(()),
            (_, RevocationPolicy::SoftFail) => Ok(()),
            (covered, RevocationPolicy::HardFail) => {
                Err(verdict
                    .problem
                    .unwrap_or(CertificateError::RevocationUnknown(
                        if covered == Reasons::NONE {
                            "no CRL or OCSP response covers the certificate"
                        } else {
                            "the CRLs at hand do not answer for every revocation reason"
                        },
                    )))
            }
        }
    }

    /// What the latest delta CRL of `complete` (RFC 5280 §5.2.4) says of
    /// `cert`: `None` when no delta CRL of it is current and signed as
    /// `signers` allow (§6.3.3 (c), (h)); otherwise the certificate's
    /// entry in the delta CRL of the greatest number, if it has one.
    fn latest_delta(
        &self,
        complete: &Crl<'_>,
        cert: &Certificate<'_>,
        signers: &Signers<'_, '_>,
        time: i64,
    ) -> Option<Option<Listing>> {
        let mut latest: Option<(&[u8], Option<Listing>)> = None;
        for (der, index) in self.crls.iter().filter(|(_, index)| index.is_delta()) {
            let Ok(delta) = Crl::reparse(der) else {
                continue;
            };
            let current = check_fresh(
                &CRL_FRESHNESS,
                delta.this_update,
                delta.next_update,
                time,
                self.grace,
            )
            .is_ok();
            let Some(number) = delta
                .number
                .filter(|_| current && complete.completed_by(&delta))
            else {
                continue;
            };
            let Ok(Some((listing, _))) = delta.listing_for(cert, signers, time, index) else {
                continue;
            };
            if latest.is_none_or(|(best, _)| crl::cmp_crl_numbers(number, best).is_gt()) {
                latest = Some((number, listing));
            }
        }
        latest.map(|(_, listing)| listing)
    }
}

/// What an OCSP response `der` says about `cert`, with the period it
/// holds for; `None` when it is about another certificate. A delegated
/// responder is believed when `unrevoked` says so
/// ([`ocsp::Response::answer_for`]).
fn ocsp_answer(
    der: &[u8],
    cert: &Certificate<'_>,
    issuer: &Issuer<'_>,
    time: i64,
    unrevoked: &dyn Fn(&Certificate<'_>) -> bool,
) -> Result<Option<Dated>, CertificateError> {
    ocsp::Response::parse(der)
        .and_then(|r| r.answer_for(cert, issuer, time, unrevoked))
        .map(|single| single.map(|s| (s.status, Reasons::ALL, s.this_update, s.next_update)))
}

/// A response the server stapled for its end entity (RFC 6066 §8, RFC
/// 8446 §4.4.2.1) must be satisfactory whatever the policy: RFC 6066 §8
/// has the client abort with `bad_certificate_status_response` when it is
/// not. So a staple that does not parse, verify or cover the certificate,
/// that is not current, or that answers unknown is
/// [`CertificateError::BadRevocationInfo`] (or
/// [`CertificateError::RevocationStale`]); one that revokes is
/// [`CertificateError::Revoked`]. Returns true: the staple says good.
fn check_stapled(
    der: &[u8],
    cert: &Certificate<'_>,
    issuer: &Issuer<'_>,
    time: i64,
    grace: u64,
    unrevoked: &dyn Fn(&Certificate<'_>) -> bool,
) -> Result<bool, CertificateError> {
    let mut verdict = Verdict::default();
    verdict.weigh(
        ocsp_answer(der, cert, issuer, time, unrevoked),
        &OCSP_FRESHNESS,
        time,
        grace,
    )?;
    match verdict.problem {
        None if verdict.covered.is_all() => Ok(true),
        None => Err(CertificateError::BadRevocationInfo(
            "the stapled OCSP response is about another certificate",
        )),
        Some(CertificateError::RevocationStale(why)) => Err(CertificateError::RevocationStale(why)),
        Some(CertificateError::BadRevocationInfo(why))
        | Some(CertificateError::RevocationUnknown(why))
        | Some(CertificateError::BadEncoding(why)) => Err(CertificateError::BadRevocationInfo(why)),
        Some(_) => Err(CertificateError::BadRevocationInfo(
            "the stapled OCSP response fails its checks",
        )),
    }
}

/// A file's contents as DER elements: the bytes themselves when they
/// start like a DER SEQUENCE, else the PEM blocks labelled `label`.
fn der_or_pem(bytes: &[u8], label: &str) -> Result<Vec<Vec<u8>>, LoadError> {
    if bytes.first() == Some(&0x30) {
        return Ok(vec![bytes.to_vec()]);
    }
    let text = core::str::from_utf8(bytes).map_err(|_| PemError("neither DER nor PEM"))?;
    let ders: Vec<Vec<u8>> = pem::parse(text)?
        .into_iter()
        .filter(|block| block.label == label)
        .map(|block| block.der.to_vec())
        .collect();
    if ders.is_empty() {
        return Err(PemError("no block with the expected label").into());
    }
    Ok(ders)
}

/// The sources' answers about one certificate so far.
#[derive(Default)]
struct Verdict {
    /// The revocation reasons for which fresh, verified sources said
    /// `good` (RFC 5280 §6.3.3's reasons_mask): the certificate is good
    /// once they are all of them.
    covered: Reasons,
    /// The first reason a covering source could not be used.
    problem: Option<CertificateError>,
}

impl Verdict {
    /// Takes one source's outcome into account; a revocation ends the
    /// check at once. Revocation is final (RFC 5280 §5.3.1) except a
    /// certificateHold, so a verified source that lists the certificate
    /// revokes it even when it is no longer current.
    fn weigh(
        &mut self,
        outcome: Result<Option<Dated>, CertificateError>,
        freshness: &Freshness,
        time: i64,
        grace: u64,
    ) -> Result<(), CertificateError> {
        let (answer, reasons, this_update, next_update) = match outcome {
            Ok(Some(dated)) => dated,
            Ok(None) => return Ok(()),
            Err(e) => {
                self.problem.get_or_insert(e);
                return Ok(());
            }
        };
        match answer {
            Answer::Revoked(reason) if reason != RevocationReason::CertificateHold => {
                return Err(CertificateError::Revoked(reason));
            }
            _ => {}
        }
        if let Err(e) = check_fresh(freshness, this_update, next_update, time, grace) {
            self.problem.get_or_insert(e);
            return Ok(());
        }
        match answer {
            Answer::Good => self.covered = self.covered.or(reasons),
            Answer::Revoked(reason) => return Err(CertificateError::Revoked(reason)),
            Answer::Unknown => {
                self.problem
                    .get_or_insert(CertificateError::RevocationUnknown(
                        "the OCSP responder does not know the certificate",
                    ));
            }
        }
        Ok(())
    }
}

/// thisUpdate ≤ time ≤ nextUpdate, each side widened by `grace` (RFC 5280
/// §6.3.3 (a): a CRL past its nextUpdate is not current; RFC 6960 §3.2
/// (4), (5)). A source without nextUpdate never is.
fn check_fresh(
    texts: &Freshness,
    this_update: i64,
    next_update: Option<i64>,
    time: i64,
    grace: u64,
) -> Result<(), CertificateError> {
    let grace = i64::try_from(grace).unwrap_or(i64::MAX);
    let next_update = next_update.ok_or(CertificateError::RevocationStale(texts.open))?;
    if this_update > time.saturating_add(grace) {
        return Err(CertificateError::RevocationStale(texts.not_yet));
    }
    if time > next_update.saturating_add(grace) {
        return Err(CertificateError::RevocationStale(texts.passed));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_bounds_are_inclusive_and_widened_by_grace() {
        let fresh = |time, grace| check_fresh(&CRL_FRESHNESS, 100, Some(200), time, grace);
        assert_eq!(fresh(100, 0), Ok(()));
        assert_eq!(fresh(200, 0), Ok(()));
        assert_eq!(
            fresh(99, 0),
            Err(CertificateError::RevocationStale(CRL_FRESHNESS.not_yet))
        );
        assert_eq!(
            fresh(201, 0),
            Err(CertificateError::RevocationStale(CRL_FRESHNESS.passed))
        );
        assert_eq!(fresh(90, 10), Ok(()));
        assert_eq!(fresh(210, 10), Ok(()));
        assert_eq!(fresh(i64::MAX, u64::MAX), Ok(()));
        assert_eq!(
            check_fresh(&OCSP_FRESHNESS, 100, None, 150, 0),
            Err(CertificateError::RevocationStale(OCSP_FRESHNESS.open))
        );
    }

    #[test]
    fn a_hold_in_a_stale_source_is_not_final() {
        let mut verdict = Verdict::default();
        let hold = Answer::Revoked(RevocationReason::CertificateHold);
        assert_eq!(
            verdict.weigh(
                Ok(Some((hold, Reasons::ALL, 0, Some(10)))),
                &CRL_FRESHNESS,
                20,
                0
            ),
            Ok(())
        );
        assert_eq!(
            verdict.problem,
            Some(CertificateError::RevocationStale(CRL_FRESHNESS.passed))
        );
        let compromise = Answer::Revoked(RevocationReason::KeyCompromise);
        assert_eq!(
            verdict.weigh(
                Ok(Some((compromise, Reasons::ALL, 0, Some(10)))),
                &CRL_FRESHNESS,
                20,
                0
            ),
            Err(CertificateError::Revoked(RevocationReason::KeyCompromise))
        );
    }

    #[test]
    fn loading_refuses_what_is_not_a_crl() {
        let mut revocation = Revocation::default();
        assert_eq!(
            revocation.add_crls(b"no blocks here"),
            Err(LoadError::Pem(PemError("no block with the expected label")))
        );
        assert_eq!(
            revocation.add_crls(&[0xff, 0xfe]),
            Err(LoadError::Pem(PemError("neither DER nor PEM")))
        );
        assert!(matches!(
            revocation.add_crls(&[0x30, 0x00]),
            Err(LoadError::Certificate(CertificateError::BadEncoding(_)))
        ));
        assert!(revocation.add_ocsp_response(vec![0x30]).is_err());
    }
}
