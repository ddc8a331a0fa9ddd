//! Certification path building and validation (RFC 5280 §6, RFC 4158).
//!
//! From the end entity, issuers are searched depth first among the
//! presented intermediates (any order, extras, duplicates, cross-signed
//! alternatives, loops) and the trust anchors; when a candidate fails, the
//! next one is tried. Every signature check counts against
//! [`MAX_SIGNATURE_CHECKS`] and every name-constraint comparison against
//! [`name_constraints::MAX_NAME_CONSTRAINT_CHECKS`], so pathological
//! inputs end quickly.
//!
//! The checks are the steps of RFC 5280 §6.1, named after them:
//! initialization (§6.1.2), basic certificate processing (§6.1.3) of the
//! end entity and of each certificate an issuer is placed above,
//! preparation for the next certificate (§6.1.4) at each intermediate,
//! and wrap-up (§6.1.5) with the end entity's purpose and name;
//! certificate policies ([`policy`]) over each path that reaches an
//! anchor. The
//! end entity's steps run first: they need no issuer and give the most
//! specific reason.

use super::algorithm;
use super::name_constraints::{self, ConstrainedNames};
use super::name_match::names_match;
use super::names::{self, ServerName};
use super::oid;
use super::policy::{self, PolicyInputs};
use super::profile::{self, Profile};
use super::sigcache::SignatureCache;
use super::trust::{RootStore, TrustAnchor};
use super::x509::{Certificate, KeyUsage};
use crate::crypto::verify::{self, PublicKey};
use crate::error::CertificateError;

/// The most intermediates a path may hold (webpki and the Chromium
/// verifier use 6; RFC 5280 sets no bound).
pub const MAX_INTERMEDIATES: usize = 6;

/// The most signature checks one validation may make (a bound on path
/// building work against crafted inputs, as RFC 4158 §5 recommends).
pub const MAX_SIGNATURE_CHECKS: usize = 100;

/// The usage a certificate is validated for (RFC 5280 §4.2.1.12).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A TLS server (id-kp-serverAuth).
    ServerAuth,
    /// A TLS client (id-kp-clientAuth).
    ClientAuth,
}

impl Purpose {
    fn oid(self) -> &'static [u8] {
        match self {
            Self::ServerAuth => oid::SERVER_AUTH,
            Self::ClientAuth => oid::CLIENT_AUTH,
        }
    }
}

/// A validated path: the certificates from the end entity up, and the
/// trust anchor they end at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedPath {
    /// The certificates as DER, end entity first, then the intermediates
    /// placed above it, then the anchor's certificate when the anchor is
    /// one (it appears once even when the end entity is itself an
    /// anchor). A path to a bare anchor ends at the certificate that
    /// anchor's key signed.
    pub chain: Vec<Vec<u8>>,
    /// The trust anchor the path ends at.
    pub anchor: TrustAnchor,
}

/// What one validation is checked against.
#[derive(Clone, Copy, Debug)]
pub struct Validation<'a> {
    /// The trust anchors.
    pub roots: &'a RootStore,
    /// The usage required of the end entity and permitted by every CA.
    pub purpose: Purpose,
    /// The name the end entity must hold, if any.
    pub name: Option<&'a ServerName>,
    /// The validation time in UNIX seconds.
    pub time: u64,
    /// The inputs to certificate-policy processing (RFC 5280 §6.1.1).
    pub policy: &'a PolicyInputs,
    /// The rules applied (default: [`Profile::WebPki`]).
    pub profile: Profile,
    /// The most CA certificates between the end entity and the trust
    /// anchor, self-issued ones not counted: RFC 5280 §6.1.2 (k)'s
    /// initial max_path_length, and OpenSSL's verify depth. `None`: only
    /// [`MAX_INTERMEDIATES`] and the certificates' pathLenConstraints
    /// bound the path.
    pub max_path_length: Option<u64>,
    /// The keyUsage bits the end entity must assert when it has a
    /// keyUsage extension (RFC 5280 §4.2.1.3: without one, the key's use
    /// is unrestricted), on top of what `purpose` asks. A TLS handshake
    /// holds the end entity to its own use of the key after validation;
    /// this is for the other uses of a chain.
    pub key_usage: &'a [KeyUsage],
}

/// What a TLS peer asks of policies: any policy, no initial restriction
/// (the default of RFC 5280 §6.1.1 (c), (e)–(g)).
static ANY_POLICY_INPUTS: PolicyInputs = PolicyInputs {
    acceptable: Vec::new(),
    require_explicit_policy: false,
    inhibit_policy_mapping: false,
    inhibit_any_policy: false,
};

impl<'a> Validation<'a> {
    /// A validation against `roots` for `purpose` at `time` (UNIX
    /// seconds), with no name to match and the default policy inputs.
    pub fn new(roots: &'a RootStore, purpose: Purpose, time: u64) -> Self {
        Self {
            roots,
            purpose,
            name: None,
            time,
            policy: &ANY_POLICY_INPUTS,
            profile: Profile::WebPki,
            max_path_length: None,
            key_usage: &[],
        }
    }

    /// The same, applying `profile`'s rules.
    pub fn with_profile(self, profile: Profile) -> Self {
        Self { profile, ..self }
    }

    /// The same, requiring the end entity to hold `name`.
    pub fn with_name(self, name: &'a ServerName) -> Self {
        Self {
            name: Some(name),
            ..self
        }
    }

    /// The same, with these certificate-policy inputs.
    pub fn with_policy(self, policy: &'a PolicyInputs) -> Self {
        Self { policy, ..self }
    }

    /// The same, requiring the end entity's keyUsage, when present, to
    /// assert every bit of `key_usage` ([`Self::key_usage`]).
    pub fn with_key_usage(self, key_usage: &'a [KeyUsage]) -> Self {
        Self { key_usage, ..self }
    }

    /// The same, allowing at most `max` CA certificates between the end
    /// entity and the trust anchor ([`Self::max_path_length`]).
    pub fn with_max_path_length(self, max: u64) -> Self {
        Self {
            max_path_length: Some(max),
            ..self
        }
    }
}

/// Validates `end_entity` (DER) with the help of `intermediates` (DER, in
/// any order). Success returns the path found; failure is the most
/// specific reason met on any path tried ([`CertificateError::UnknownIssuer`]
/// when no candidate issuer was found at all).
pub fn verify_chain(
    end_entity: &[u8],
    intermediates: &[&[u8]],
    validation: &Validation<'_>,
) -> Result<VerifiedPath, CertificateError> {
    validate(end_entity, intermediates, validation, None, |path| {
        path.to_verified()
    })
}

/// [`verify_chain`], answering the signature checks that succeeded before
/// from `signatures` and remembering the new successful ones there. Every
/// other check runs as in [`verify_chain`], so the outcome is the same;
/// only the work is less.
pub fn verify_chain_cached(
    end_entity: &[u8],
    intermediates: &[&[u8]],
    validation: &Validation<'_>,
    signatures: &SignatureCache,
) -> Result<VerifiedPath, CertificateError> {
    validate(
        end_entity,
        intermediates,
        validation,
        Some(signatures),
        |path| path.to_verified(),
    )
}

/// A path found by [`validate`], borrowed from the validation's own
/// parse of its inputs: the handshake's verifier keeps nothing of the
/// path unless a revocation check asks for it ([`Self::to_verified`]), so
/// a validation copies no certificate.
pub(crate) struct FoundPath<'p, 'a> {
    /// The certificates placed, end entity first.
    certificates: &'p [&'p Certificate<'a>],
    /// The trust anchor the path ends at.
    anchor: &'a TrustAnchor,
    /// Whether the end entity is the anchor's own certificate (then that
    /// certificate is listed once).
    end_entity_is_anchor: bool,
}

impl FoundPath<'_, '_> {
    /// The path as [`VerifiedPath`] holds it, certificates copied.
    pub(crate) fn to_verified(&self) -> VerifiedPath {
        let mut chain: Vec<Vec<u8>> = self.certificates.iter().map(|c| c.der.to_vec()).collect();
        if !self.end_entity_is_anchor {
            chain.extend(self.anchor.certificate().map(<[u8]>::to_vec));
        }
        VerifiedPath {
            chain,
            anchor: self.anchor.clone(),
        }
    }
}

/// RFC 5280 §6.1 over a path found by [`Search`]: the end entity's own
/// steps first (they need no issuer, and give the most specific reason),
/// then the search, which runs the per-issuer steps as it places each one.
/// On success, what `then` makes of the path found (which lives only as
/// long as the call: the path holds the certificates parsed here).
pub(crate) fn validate<'a, T>(
    end_entity: &'a [u8],
    intermediates: &[&'a [u8]],
    validation: &Validation<'a>,
    signatures: Option<&SignatureCache>,
    then: impl FnOnce(&FoundPath<'_, 'a>) -> T,
) -> Result<T, CertificateError> {
    let time = i64::try_from(validation.time).unwrap_or(i64::MAX);
    let ee = Certificate::parse(end_entity)?;
    process_end_entity(&ee, time, validation.profile)?;
    wrap_up(&ee, validation)?;
    if let Some(anchor) = validation
        .roots
        .anchors()
        .iter()
        .find(|a| a.certificate() == Some(end_entity))
    {
        return Ok(then(&FoundPath {
            certificates: &[&ee],
            anchor,
            end_entity_is_anchor: true,
        }));
    }
    let (candidates, parse_error) = parse_candidates(intermediates);
    let mut search = Search::initialize(validation, time, &candidates, signatures);
    // Room for the longest path a search builds, so that it never grows.
    let mut path = Vec::with_capacity(MAX_INTERMEDIATES + 1);
    path.push(&ee);
    let found = search.extend(&mut path);
    let anchor = search.conclude(found, &path, parse_error)?;
    Ok(then(&FoundPath {
        certificates: &path,
        anchor,
        end_entity_is_anchor: false,
    }))
}

/// Basic certificate processing of the end entity (RFC 5280 §6.1.3) for
/// what needs no issuer: the rules of [`profile::check_end_entity`],
/// within its validity period (§6.1.3 (a)(2)), and, in the web PKI, not
/// a CA (BR §7.1.2.7.8: cA is false in subscriber certificates; RFC 5280
/// puts no such condition on the target certificate).
fn process_end_entity(
    ee: &Certificate<'_>,
    time: i64,
    profile: Profile,
) -> Result<(), CertificateError> {
    if profile == Profile::WebPki && ee.is_ca() {
        return Err(CertificateError::CaUsedAsEndEntity);
    }
    profile::check_end_entity(ee, profile)?;
    check_validity(ee, time)
}

/// Wrap-up (RFC 5280 §6.1.5): the application's requirements on the end
/// entity, namely its purpose and its name.
fn wrap_up(ee: &Certificate<'_>, validation: &Validation<'_>) -> Result<(), CertificateError> {
    check_purpose(
        ee,
        validation.purpose,
        validation.profile,
        validation.key_usage,
    )?;
    if validation.purpose == Purpose::ServerAuth && validation.profile == Profile::WebPki {
        profile::check_server_end_entity(ee)?;
    }
    match validation.name {
        Some(name) => check_name(ee, name),
        None => Ok(()),
    }
}

/// extKeyUsage must list the purpose (RFC 5280 §4.2.1.12), a TLS
/// server's keyUsage must allow one of the uses its key has in a
/// handshake, and the keyUsage must allow each bit the application
/// requires (RFC 5280 §4.2.1.3).
fn check_purpose(
    ee: &Certificate<'_>,
    purpose: Purpose,
    profile: Profile,
    required: &[KeyUsage],
) -> Result<(), CertificateError> {
    if !ee.extended_key_usage_allows(purpose.oid(), profile != Profile::WebPki)? {
        return Err(CertificateError::InvalidPurpose);
    }
    if purpose == Purpose::ServerAuth
        && ![
            KeyUsage::DigitalSignature,
            KeyUsage::KeyEncipherment,
            KeyUsage::KeyAgreement,
        ]
        .into_iter()
        .any(|usage| ee.key_usage_allows(usage))
    {
        return Err(CertificateError::KeyUsageForbids);
    }
    if !required.iter().all(|&usage| ee.key_usage_allows(usage)) {
        return Err(CertificateError::KeyUsageForbids);
    }
    Ok(())
}

/// The reference name must match a subjectAltName (RFC 6125 §6; the
/// subject's common name is not consulted).
fn check_name(ee: &Certificate<'_>, name: &ServerName) -> Result<(), CertificateError> {
    let matched = match ee.subject_alt_name {
        Some(san) => names::san_matches(san.value, name)?,
        None => false,
    };
    if matched {
        Ok(())
    } else {
        Err(CertificateError::NameMismatch)
    }
}

/// Parses the presented intermediates once, skipping repeats (they would
/// only repeat the same work); returns them with the first parse error,
/// kept as a reason in case no path is found.
fn parse_candidates<'c>(
    intermediates: &[&'c [u8]],
) -> (Vec<Certificate<'c>>, Option<CertificateError>) {
    let mut parse_error = None;
    let mut candidates = Vec::with_capacity(intermediates.len());
    for (i, der) in intermediates.iter().enumerate() {
        if intermediates
            .get(..i)
            .is_some_and(|before| before.contains(der))
        {
            continue;
        }
        match Certificate::parse(der) {
            Ok(cert) => candidates.push(cert),
            Err(e) => {
                parse_error.get_or_insert(e);
            }
        }
    }
    (candidates, parse_error)
}

/// The validity period must hold the validation time (RFC 5280 §6.1.3
/// (a)(2)).
fn check_validity(cert: &Certificate<'_>, time: i64) -> Result<(), CertificateError> {
    if time < cert.not_before {
        Err(CertificateError::NotYetValid)
    } else if time > cert.not_after {
        Err(CertificateError::Expired)
    } else {
        Ok(())
    }
}

/// Applies nameConstraints contents `constraints` of a CA or trust anchor
/// to every certificate below it on `path` (RFC 5280 §6.1.3 (b), (c)):
/// the end entity, and each intermediate that is not self-issued; the
/// comparisons are counted in `checks` against
/// [`name_constraints::MAX_NAME_CONSTRAINT_CHECKS`].
fn check_name_constraints(
    path: &[&Certificate<'_>],
    constraints: &[u8],
    checks: &mut usize,
) -> Result<(), CertificateError> {
    for (i, cert) in path.iter().enumerate() {
        if i > 0 && cert.is_self_issued() {
            continue;
        }
        let names = ConstrainedNames {
            subject: cert.subject,
            subject_alt_name: cert.subject_alt_name.map(|san| san.value),
            end_entity: i == 0,
        };
        name_constraints::check_names_against_constraints(&names, constraints, checks)?;
    }
    Ok(())
}

/// Path building (RFC 4158) from the end entity up. RFC 5280 §6.1 walks a
/// given path from the anchor down; here each issuer is checked when it
/// is placed above the path: basic certificate processing of the
/// certificate below it (§6.1.3) and, for an intermediate, preparation
/// for the next certificate (§6.1.4).
struct Search<'s, 'a> {
    validation: &'s Validation<'a>,
    time: i64,
    candidates: &'s [Certificate<'a>],
    signatures: Option<&'s SignatureCache>,
    signature_checks: usize,
    name_constraint_checks: usize,
    best_error: Option<CertificateError>,
}

/// Whether `e` ends the whole search rather than one candidate: a work
/// bound was reached.
fn ends_search(e: &CertificateError) -> bool {
    matches!(
        e,
        CertificateError::TooManySignatureChecks | CertificateError::TooManyNameConstraintChecks
    )
}

impl<'s, 'a> Search<'s, 'a> {
    /// Initialization (RFC 5280 §6.1.2): the inputs, no signature or name
    /// checked yet and no reason met yet.
    fn initialize(
        validation: &'s Validation<'a>,
        time: i64,
        candidates: &'s [Certificate<'a>],
        signatures: Option<&'s SignatureCache>,
    ) -> Self {
        Self {
            validation,
            time,
            candidates,
            signatures,
            signature_checks: 0,
            name_constraint_checks: 0,
            best_error: None,
        }
    }

    fn note(&mut self, e: CertificateError) {
        self.best_error.get_or_insert(e);
    }

    /// Sorts the outcome of checking one candidate issuer: `Ok(true)` when
    /// it passed, `Ok(false)` when it failed (its reason noted; the search
    /// goes on), and an error when the whole search must stop.
    fn passed(&mut self, outcome: Result<(), CertificateError>) -> Result<bool, CertificateError> {
        match outcome {
            Ok(()) => Ok(true),
            Err(e) if ends_search(&e) => Err(e),
            Err(e) => {
                self.note(e);
                Ok(false)
            }
        }
    }

    /// Checks that the key `issuer_key` (whose SubjectPublicKeyInfo is
    /// `issuer_spki`) signed `child` (RFC 5280 §6.1.3 (a)(1)), counting
    /// the check; a signature the cache (if any) has seen verify under
    /// that SubjectPublicKeyInfo is not checked again.
    fn check_signature(
        &mut self,
        child: &Certificate<'_>,
        issuer_spki: &[u8],
        issuer_key: &PublicKey,
    ) -> Result<(), CertificateError> {
        if self.signature_checks >= MAX_SIGNATURE_CHECKS {
            return Err(CertificateError::TooManySignatureChecks);
        }
        self.signature_checks += 1;
        let algorithm = algorithm::signature_algorithm(child.signature_algorithm)?;
        let cached = self.signatures.map(|cache| {
            let key = SignatureCache::key(
                issuer_spki,
                child.signature_algorithm,
                child.tbs,
                child.signature,
            );
            (cache, key)
        });
        if cached.is_some_and(|(cache, key)| cache.contains(&key)) {
            return Ok(());
        }
        verify::verify(issuer_key, algorithm, child.tbs, child.signature)
            .map_err(|_| CertificateError::BadSignature)?;
        if let Some((cache, key)) = cached {
            cache.insert(key);
        }
        Ok(())
    }

    /// Whether `issuer` may be the issuer of `child` by name (RFC 5280
    /// §6.1.3 (a)(4)) and key identifier (§4.2.1.1), before any signature
    /// check.
    fn names_issuer(child: &Certificate<'_>, issuer: &Certificate<'_>) -> bool {
        if !names_match(child.issuer, issuer.subject) {
            return false;
        }
        match (
            child.authority_key_id.and_then(|aki| aki.key_id),
            issuer.subject_key_id,
        ) {
            (Some(aki), Some(ski)) => aki == ski.value,
            _ => true,
        }
    }

    /// Checks the chain-wide constraints of a CA about to be placed above
    /// `path`: pathLenConstraint (RFC 5280 §6.1.4 (l), (m)) and
    /// nameConstraints on every certificate below it except self-issued
    /// intermediates (§6.1.3 (b), (c)), the work counted against
    /// [`name_constraints::MAX_NAME_CONSTRAINT_CHECKS`].
    fn check_ca_constraints(
        &mut self,
        path: &[&Certificate<'_>],
        ca: &Certificate<'_>,
    ) -> Result<(), CertificateError> {
        if let Some(max) = ca.basic_constraints.and_then(|bc| bc.path_len) {
            // RFC 5280 §6.1.4 (l): self-issued intermediates do not count.
            let below = path.iter().skip(1).filter(|c| !c.is_self_issued()).count();
            if u64::try_from(below).unwrap_or(u64::MAX) > max {
                return Err(CertificateError::PathLengthExceeded);
            }
        }
        match ca.name_constraints {
            Some(nc) => check_name_constraints(path, nc.value, &mut self.name_constraint_checks),
            None => Ok(()),
        }
    }

    /// Preparation for the next certificate (RFC 5280 §6.1.4) with an
    /// intermediate at the current position: within the length bound, cA
    /// (k), the intermediate profile, keyCertSign (n), valid now (§6.1.3
    /// (a)(2)), allowing the purpose, and the chain-wide constraints.
    fn check_intermediate(
        &mut self,
        path: &[&Certificate<'_>],
        ca: &Certificate<'_>,
    ) -> Result<(), CertificateError> {
        if path.len() > MAX_INTERMEDIATES {
            return Err(CertificateError::PathTooLong);
        }
        if let Some(max) = self.validation.max_path_length {
            // RFC 5280 §6.1.4 (l) with max_path_length starting at `max`:
            // every intermediate that is not self-issued counts.
            let placed = path
                .iter()
                .skip(1)
                .chain([&ca])
                .filter(|c| !c.is_self_issued())
                .count();
            if u64::try_from(placed).unwrap_or(u64::MAX) > max {
                return Err(CertificateError::PathLengthExceeded);
            }
        }
        if !ca.is_ca() {
            return Err(CertificateError::IssuerNotCa);
        }
        profile::check_intermediate(ca, self.validation.profile)?;
        if !ca.key_usage_allows(KeyUsage::KeyCertSign) {
            return Err(CertificateError::KeyUsageForbids);
        }
        check_validity(ca, self.time)?;
        self.check_ca_purpose(ca)?;
        self.check_ca_constraints(path, ca)
    }

    /// Extends `path` (end entity first) up to a trust anchor; returns the
    /// anchor. On failure `path` is as it was.
    fn extend(
        &mut self,
        path: &mut Vec<&'s Certificate<'a>>,
    ) -> Result<&'a TrustAnchor, CertificateError> {
        let child = *path.last().ok_or(CertificateError::UnknownIssuer)?;
        if let Some(anchor) = self.try_anchors(path, child)? {
            return Ok(anchor);
        }
        self.try_intermediates(path, child)
    }

    /// Tries each trust anchor named as `child`'s issuer; returns the
    /// first that passes, or `None` when none does.
    fn try_anchors(
        &mut self,
        path: &[&'s Certificate<'a>],
        child: &Certificate<'a>,
    ) -> Result<Option<&'a TrustAnchor>, CertificateError> {
        let roots: &'a RootStore = self.validation.roots;
        for anchor in roots.anchors_named(child.issuer) {
            let outcome = match anchor.certificate() {
                Some(der) => match Certificate::parse(der) {
                    Ok(root) if !Self::names_issuer(child, &root) => continue,
                    Ok(root) => self.check_certificate_anchor(path, child, &root),
                    // Held for what it says (TrustAnchor::from_der): its
                    // reason is the path's.
                    Err(reason) => Err(reason),
                },
                None => {
                    let Ok(key) = algorithm::public_key(anchor.spki()) else {
                        continue;
                    };
                    self.check_bare_anchor(path, child, anchor, &key)
                }
            };
            let outcome = outcome.and_then(|()| self.check_policies(path));
            if self.passed(outcome)? {
                return Ok(Some(anchor));
            }
        }
        Ok(None)
    }

    /// A certificate anchor above `path`: within its validity period,
    /// allowing the purpose, its chain-wide constraints, and its key's
    /// signature on `child`.
    fn check_certificate_anchor(
        &mut self,
        path: &[&Certificate<'_>],
        child: &Certificate<'_>,
        root: &Certificate<'_>,
    ) -> Result<(), CertificateError> {
        profile::check_anchor(root, self.validation.profile)?;
        check_validity(root, self.time)?;
        self.check_anchor_usage(root)?;
        self.check_ca_constraints(path, root)?;
        self.check_signature(child, root.spki, &root.public_key)
    }

    /// A bare anchor above `path`: only what RFC 5280 §6.1.1 (d) makes
    /// trust anchor information applies, its name constraints and its
    /// key's signature on `child` (no validity period, basicConstraints or
    /// extKeyUsage exist to check).
    fn check_bare_anchor(
        &mut self,
        path: &[&Certificate<'_>],
        child: &Certificate<'_>,
        anchor: &TrustAnchor,
        key: &PublicKey,
    ) -> Result<(), CertificateError> {
        if let Some(nc) = anchor.name_constraints() {
            check_name_constraints(path, nc, &mut self.name_constraint_checks)?;
        }
        self.check_signature(child, anchor.spki(), key)
    }

    /// Tries each presented intermediate that may have issued `child` and
    /// is not on the path already, placing it and searching on from it;
    /// returns the anchor of the first path that ends at one.
    fn try_intermediates(
        &mut self,
        path: &mut Vec<&'s Certificate<'a>>,
        child: &Certificate<'a>,
    ) -> Result<&'a TrustAnchor, CertificateError> {
        let candidates = self.candidates;
        for ca in candidates {
            if !Self::names_issuer(child, ca)
                || path
                    .iter()
                    .any(|c| c.spki == ca.spki && names_match(c.subject, ca.subject))
            {
                continue;
            }
            let outcome = self
                .check_intermediate(path, ca)
                .and_then(|()| self.check_signature(child, ca.spki, &ca.public_key));
            if !self.passed(outcome)? {
                continue;
            }
            path.push(ca);
            match self.extend(path) {
                Ok(anchor) => return Ok(anchor),
                Err(e) if ends_search(&e) => return Err(e),
                Err(_) => {
                    path.pop();
                }
            }
        }
        Err(CertificateError::UnknownIssuer)
    }

    /// Certificate policies along `path` (end entity first), which has
    /// reached a trust anchor (RFC 5280 §6.1, [`policy::check`]).
    fn check_policies(&self, path: &[&Certificate<'_>]) -> Result<(), CertificateError> {
        let steps = path.iter().map(|c| c.policies());
        if policy::accepted_without_graph(steps, self.validation.policy) {
            return Ok(());
        }
        let from_anchor: Vec<policy::Step<'_>> = path.iter().rev().map(|c| c.policies()).collect();
        policy::check(&from_anchor, self.validation.policy)
    }

    /// A trust anchor that carries extKeyUsage constrains the path like an
    /// intermediate does.
    fn check_anchor_usage(&self, root: &Certificate<'_>) -> Result<(), CertificateError> {
        self.check_ca_purpose(root)
    }

    /// In the web PKI a CA's extKeyUsage, when present, constrains every
    /// certificate below it to the purposes it lists (BR §7.1.2.10.6, as
    /// browsers apply it); RFC 5280 gives a CA's extKeyUsage no meaning
    /// for the path (§4.2.1.12: it is for the certified key's own use).
    fn check_ca_purpose(&self, ca: &Certificate<'_>) -> Result<(), CertificateError> {
        let purpose = self.validation.purpose.oid();
        if self.validation.profile != Profile::WebPki
            || ca.extended_key_usage_allows(purpose, false)?
        {
            Ok(())
        } else {
            Err(CertificateError::InvalidPurpose)
        }
    }

    /// The outcome (RFC 5280 §6.1.6): the anchor of the path found, or
    /// the most specific reason met on any path tried.
    fn conclude(
        self,
        found: Result<&'a TrustAnchor, CertificateError>,
        path: &[&Certificate<'_>],
        parse_error: Option<CertificateError>,
    ) -> Result<&'a TrustAnchor, CertificateError> {
        match found {
            Ok(anchor) => Ok(anchor),
            Err(e) if ends_search(&e) => Err(e),
            Err(_) => Err(match (self.best_error, parse_error) {
                (Some(e), _) => e,
                (None, Some(e)) => e,
                (None, None) if path.first().is_some_and(|ee| ee.is_self_issued()) => {
                    CertificateError::SelfSigned
                }
                (None, None) => CertificateError::UnknownIssuer,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first certificate of `file` in `vectors/pki`, as DER.
    fn vector(file: &str) -> Vec<u8> {
        let path = format!("{}/vectors/pki/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap_or_default();
        crate::pki::certificates_from_pem(&text)
            .unwrap_or_default()
            .remove(0)
    }

    // RFC 5280 §6.1.3 (b), (c): a CA's or anchor's constraints reach every
    // certificate below it except a self-issued intermediate.
    #[test]
    fn name_constraints_bind_each_certificate_below_but_self_issued_intermediates() {
        let mut permit_example_com = vec![0xa0, 0x0f, 0x30, 0x0d, 0x82, 0x0b];
        permit_example_com.extend(b"example.com");
        let (inside, outside, int) = (
            vector("bare-nc-inside.pem"),
            vector("bare-nc-outside.pem"),
            vector("p256-int.pem"),
        );
        let parse = |der| Certificate::parse(der).unwrap_or_else(|e| panic!("{e}"));
        let ee = parse(&inside);
        let mut ca = parse(&int);
        ca.subject_alt_name = parse(&outside).subject_alt_name;
        assert_eq!(
            check_name_constraints(&[&ee], &permit_example_com, &mut 0),
            Ok(())
        );
        assert_eq!(
            check_name_constraints(&[&ee, &ca], &permit_example_com, &mut 0),
            Err(CertificateError::NameConstraintsViolated)
        );
        ca.issuer = ca.subject;
        assert_eq!(
            check_name_constraints(&[&ee, &ca], &permit_example_com, &mut 0),
            Ok(())
        );
    }
}
