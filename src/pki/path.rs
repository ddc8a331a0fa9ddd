//! Certification path building and validation (RFC 5280 §6, RFC 4158).
//!
//! From the end entity, issuers are searched depth first among the
//! presented intermediates (any order, extras, duplicates, cross-signed
//! alternatives, loops) and the trust anchors; when a candidate fails, the
//! next one is tried. Every signature check counts against
//! [`MAX_SIGNATURE_CHECKS`], so pathological inputs end quickly.

use super::algorithm;
use super::names::{self, ServerName};
use super::oid;
use super::profile;
use super::sigcache::SignatureCache;
use super::trust::RootStore;
use super::x509::{
    Certificate, KU_DIGITAL_SIGNATURE, KU_KEY_AGREEMENT, KU_KEY_CERT_SIGN, KU_KEY_ENCIPHERMENT,
};
use crate::crypto::verify;
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

/// A validated path: the certificates from the end entity to the trust
/// anchor, as DER.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedPath {
    /// End entity first, trust anchor last (the anchor appears once even
    /// when the end entity is itself an anchor).
    pub chain: Vec<Vec<u8>>,
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
    validate(end_entity, intermediates, validation, None)
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
    validate(end_entity, intermediates, validation, Some(signatures))
}

fn validate(
    end_entity: &[u8],
    intermediates: &[&[u8]],
    validation: &Validation<'_>,
    signatures: Option<&SignatureCache>,
) -> Result<VerifiedPath, CertificateError> {
    let time = i64::try_from(validation.time).unwrap_or(i64::MAX);
    let ee = Certificate::parse(end_entity)?;
    profile::check_end_entity(&ee)?;
    if ee.is_ca() {
        return Err(CertificateError::CaUsedAsEndEntity);
    }
    check_validity(&ee, time)?;
    if !ee.extended_key_usage_allows(validation.purpose.oid())? {
        return Err(CertificateError::InvalidPurpose);
    }
    if validation.purpose == Purpose::ServerAuth
        && ![KU_DIGITAL_SIGNATURE, KU_KEY_ENCIPHERMENT, KU_KEY_AGREEMENT]
            .into_iter()
            .any(|bit| ee.key_usage_allows(bit))
    {
        return Err(CertificateError::KeyUsageForbids);
    }
    if let Some(name) = validation.name {
        let matched = match ee.subject_alt_name {
            Some(san) => names::san_matches(san.value, name)?,
            None => false,
        };
        if !matched {
            return Err(CertificateError::NameMismatch);
        }
    }
    if validation
        .roots
        .anchors()
        .iter()
        .any(|a| a.der() == end_entity)
    {
        return Ok(VerifiedPath {
            chain: vec![end_entity.to_vec()],
        });
    }

    let mut parse_error = None;
    let mut candidates = Vec::with_capacity(intermediates.len());
    for (i, der) in intermediates.iter().enumerate() {
        // Duplicates would only repeat the same work.
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
    let mut search = Search {
        validation,
        time,
        candidates: &candidates,
        signatures,
        signature_checks: 0,
        best_error: None,
    };
    let mut path = vec![ee];
    match search.extend(&mut path) {
        Ok(anchor) => {
            let mut chain: Vec<Vec<u8>> = path.iter().map(|c| c.der.to_vec()).collect();
            chain.push(anchor);
            Ok(VerifiedPath { chain })
        }
        Err(CertificateError::TooManySignatureChecks) => {
            Err(CertificateError::TooManySignatureChecks)
        }
        Err(_) => Err(match (search.best_error, parse_error) {
            (Some(e), _) => e,
            (None, Some(e)) => e,
            (None, None) if path.first().is_some_and(|ee| ee.is_self_issued()) => {
                CertificateError::SelfSigned
            }
            (None, None) => CertificateError::UnknownIssuer,
        }),
    }
}

fn check_validity(cert: &Certificate<'_>, time: i64) -> Result<(), CertificateError> {
    if time < cert.not_before {
        Err(CertificateError::NotYetValid)
    } else if time > cert.not_after {
        Err(CertificateError::Expired)
    } else {
        Ok(())
    }
}

struct Search<'v, 'c> {
    validation: &'v Validation<'v>,
    time: i64,
    candidates: &'c [Certificate<'c>],
    signatures: Option<&'v SignatureCache>,
    signature_checks: usize,
    best_error: Option<CertificateError>,
}

impl<'v, 'c> Search<'v, 'c> {
    fn note(&mut self, e: CertificateError) {
        self.best_error.get_or_insert(e);
    }

    /// Checks that `issuer` signed `child`, counting the check; a
    /// signature the cache (if any) has seen verify is not checked again.
    fn check_signature(
        &mut self,
        child: &Certificate<'_>,
        issuer: &Certificate<'_>,
    ) -> Result<(), CertificateError> {
        if self.signature_checks >= MAX_SIGNATURE_CHECKS {
            return Err(CertificateError::TooManySignatureChecks);
        }
        self.signature_checks += 1;
        let algorithm = algorithm::signature_algorithm(child.signature_algorithm)?;
        let cached = self.signatures.map(|cache| {
            let key = SignatureCache::key(
                issuer.spki,
                child.signature_algorithm,
                child.tbs,
                child.signature,
            );
            (cache, key)
        });
        if cached.is_some_and(|(cache, key)| cache.contains(&key)) {
            return Ok(());
        }
        verify::verify(&issuer.public_key, algorithm, child.tbs, child.signature)
            .map_err(|_| CertificateError::BadSignature)?;
        if let Some((cache, key)) = cached {
            cache.insert(key);
        }
        Ok(())
    }

    /// Whether `issuer` may be the issuer of `child` by name and key
    /// identifier (RFC 5280 §4.2.1.1), before any signature check.
    fn names_issuer(child: &Certificate<'_>, issuer: &Certificate<'_>) -> bool {
        if child.issuer != issuer.subject {
            return false;
        }
        match (child.authority_key_id, issuer.subject_key_id) {
            (Some((Some(aki), _)), Some(ski)) => aki == ski.value,
            _ => true,
        }
    }

    /// Checks the chain-wide constraints of a CA about to be placed above
    /// `path`: pathLenConstraint and nameConstraints.
    fn check_ca_constraints(
        path: &[Certificate<'_>],
        ca: &Certificate<'_>,
    ) -> Result<(), CertificateError> {
        if let Some(max) = ca.basic_constraints.and_then(|bc| bc.path_len) {
            // RFC 5280 §6.1.4 (l): self-issued intermediates do not count.
            let below = path.iter().skip(1).filter(|c| !c.is_self_issued()).count();
            if u64::try_from(below).unwrap_or(u64::MAX) > max {
                return Err(CertificateError::PathLengthExceeded);
            }
        }
        if let Some(nc) = ca.name_constraints {
            let ee = path.first().ok_or(CertificateError::UnknownIssuer)?;
            names::check_names_against_constraints(
                ee.subject_alt_name.map(|san| san.value),
                nc.value,
            )?;
        }
        Ok(())
    }

    /// Checks an intermediate as a CA (RFC 5280 §6.1.4) at the current
    /// position.
    fn check_intermediate(
        &self,
        path: &[Certificate<'_>],
        ca: &Certificate<'_>,
    ) -> Result<(), CertificateError> {
        if path.len() > MAX_INTERMEDIATES {
            return Err(CertificateError::PathTooLong);
        }
        if !ca.is_ca() {
            return Err(CertificateError::IssuerNotCa);
        }
        profile::check_intermediate(ca)?;
        if !ca.key_usage_allows(KU_KEY_CERT_SIGN) {
            return Err(CertificateError::KeyUsageForbids);
        }
        check_validity(ca, self.time)?;
        if !ca.extended_key_usage_allows(self.validation.purpose.oid())? {
            return Err(CertificateError::InvalidPurpose);
        }
        Self::check_ca_constraints(path, ca)
    }

    /// Extends `path` (end entity first) up to a trust anchor; returns the
    /// anchor's DER. On failure `path` is as it was.
    fn extend(&mut self, path: &mut Vec<Certificate<'c>>) -> Result<Vec<u8>, CertificateError> {
        let child = path.last().ok_or(CertificateError::UnknownIssuer)?.clone();
        for anchor in self.validation.roots.anchors_named(child.issuer) {
            let Ok(root) = Certificate::parse(anchor.der()) else {
                continue;
            };
            if !Self::names_issuer(&child, &root) {
                continue;
            }
            let outcome = check_validity(&root, self.time)
                .and_then(|()| self.check_anchor_usage(&root))
                .and_then(|()| Self::check_ca_constraints(path, &root))
                .and_then(|()| self.check_signature(&child, &root));
            match outcome {
                Ok(()) => return Ok(anchor.der().to_vec()),
                Err(CertificateError::TooManySignatureChecks) => {
                    return Err(CertificateError::TooManySignatureChecks)
                }
                Err(e) => self.note(e),
            }
        }
        let candidates = self.candidates;
        for ca in candidates {
            if !Self::names_issuer(&child, ca)
                || path
                    .iter()
                    .any(|c| c.subject == ca.subject && c.spki == ca.spki)
            {
                continue;
            }
            let outcome = self
                .check_intermediate(path, ca)
                .and_then(|()| self.check_signature(&child, ca));
            match outcome {
                Ok(()) => {
                    path.push(ca.clone());
                    match self.extend(path) {
                        Ok(anchor) => return Ok(anchor),
                        Err(CertificateError::TooManySignatureChecks) => {
                            return Err(CertificateError::TooManySignatureChecks)
                        }
                        Err(_) => {
                            path.pop();
                        }
                    }
                }
                Err(CertificateError::TooManySignatureChecks) => {
                    return Err(CertificateError::TooManySignatureChecks)
                }
                Err(e) => self.note(e),
            }
        }
        Err(CertificateError::UnknownIssuer)
    }

    /// A trust anchor that carries extKeyUsage constrains the path like an
    /// intermediate does.
    fn check_anchor_usage(&self, root: &Certificate<'_>) -> Result<(), CertificateError> {
        if root.extended_key_usage_allows(self.validation.purpose.oid())? {
            Ok(())
        } else {
            Err(CertificateError::InvalidPurpose)
        }
    }
}
