//! Trust anchors: the names and keys a validator trusts without a path,
//! as certificates loaded from PEM or DER or from the operating system's
//! bundle, or as bare subject, key and name constraints.

use super::algorithm;
use super::keys::{certificate_blocks_from_pem, LoadError};
use super::name_constraints;
use super::name_match::names_match;
use super::names;
use super::pem;
use super::x509::Certificate;
use crate::der::{tag, Der};
use crate::error::CertificateError;
use std::path::Path;

/// Where Linux distributions keep their PEM bundle of trusted roots, tried
/// in order: Debian/Ubuntu/Alpine (`ca-certificates`), RHEL/Fedora
/// (`ca-certificates`, p11-kit extract), openSUSE, older RHEL.
pub const SYSTEM_BUNDLE_PATHS: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
];

/// One trust anchor (RFC 5280 §6.1.1 (d)): a subject name and public key
/// that path validation trusts without a path, with what constrains it.
///
/// Either a whole certificate, whose validity period, basicConstraints,
/// nameConstraints and extKeyUsage then constrain every path through it
/// (as most trust stores hold anchors), or a bare anchor: the subject,
/// the SubjectPublicKeyInfo and optional name constraints, exactly the
/// trust anchor information of RFC 5280 §6.1.1 (d), which has no validity
/// period and no basicConstraints (as `webpki-roots` holds anchors).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustAnchor {
    /// The whole DER Name.
    subject: Vec<u8>,
    /// The whole DER SubjectPublicKeyInfo.
    spki: Vec<u8>,
    /// The contents of the NameConstraints SEQUENCE of a bare anchor (a
    /// certificate's own constraints are read from the certificate).
    name_constraints: Option<Vec<u8>>,
    /// The certificate, when the anchor is one.
    certificate: Option<Vec<u8>>,
}

impl TrustAnchor {
    /// Accepts `der` as a trust anchor if it is a certificate in DER.
    /// One refused for what it holds rather than how it is encoded (a
    /// weak or unsupported key, an unknown critical extension, a
    /// mis-issuance) is still held: a path that reaches it fails with that
    /// reason instead of not finding an issuer.
    pub fn from_der(der: Vec<u8>) -> Result<Self, CertificateError> {
        let (subject, spki) = match Certificate::parse(&der) {
            Ok(cert) => (cert.subject.to_vec(), cert.spki.to_vec()),
            Err(CertificateError::BadEncoding(why)) => {
                return Err(CertificateError::BadEncoding(why))
            }
            Err(_) => {
                let (subject, spki) = Certificate::subject_and_key(&der)?;
                (subject.to_vec(), spki.to_vec())
            }
        };
        Ok(Self {
            subject,
            spki,
            name_constraints: None,
            certificate: Some(der),
        })
    }

    /// A bare anchor from its subject (a whole DER Name, RFC 5280
    /// §4.1.2.6), its public key (a whole DER SubjectPublicKeyInfo,
    /// §4.1.2.7) and optional name constraints (a whole DER
    /// NameConstraints, §4.2.1.10: the value of the extension). Fails
    /// when the subject is not a Name, the key is not one this crate
    /// verifies with ([`CertificateError::UnsupportedKey`]) or the
    /// constraints do not parse; each must be exactly one element.
    pub fn from_subject_spki(
        subject: &[u8],
        spki: &[u8],
        name_constraints: Option<&[u8]>,
    ) -> Result<Self, CertificateError> {
        let mut name = Der::new(subject);
        names::check_name(&mut name)?;
        name.finish()?;
        let mut key = Der::new(spki);
        algorithm::public_key(key.expect_tag(tag::SEQUENCE)?.raw)?;
        key.finish()?;
        let name_constraints = match name_constraints {
            Some(nc) => {
                let mut outer = Der::new(nc);
                let contents = outer.read(tag::SEQUENCE)?;
                outer.finish()?;
                name_constraints::check_name_constraints(contents)?;
                Some(contents.to_vec())
            }
            None => None,
        };
        Ok(Self {
            subject: subject.to_vec(),
            spki: spki.to_vec(),
            name_constraints,
            certificate: None,
        })
    }

    /// The certificate's DER, when the anchor is a certificate; `None`
    /// for a bare anchor.
    pub fn certificate(&self) -> Option<&[u8]> {
        self.certificate.as_deref()
    }

    /// The DER of the anchor's subject Name.
    pub fn subject(&self) -> &[u8] {
        &self.subject
    }

    /// The DER of the anchor's SubjectPublicKeyInfo.
    pub fn spki(&self) -> &[u8] {
        &self.spki
    }

    /// The contents of a bare anchor's NameConstraints SEQUENCE (without
    /// its tag and length); `None` without constraints and for a
    /// certificate anchor, whose constraints are its certificate's.
    pub fn name_constraints(&self) -> Option<&[u8]> {
        self.name_constraints.as_deref()
    }
}

/// A set of trust anchors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RootStore {
    anchors: Vec<TrustAnchor>,
}

impl RootStore {
    /// An empty store (trusts nothing).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one DER certificate; fails if it does not parse. Adding a
    /// certificate already present does nothing.
    pub fn add_der(&mut self, der: Vec<u8>) -> Result<(), CertificateError> {
        self.add(TrustAnchor::from_der(der)?);
        Ok(())
    }

    /// Adds a bare anchor: a subject Name, a SubjectPublicKeyInfo and
    /// optional NameConstraints, each whole DER; fails as
    /// [`TrustAnchor::from_subject_spki`]. Adding one already present does
    /// nothing.
    pub fn add_anchor(
        &mut self,
        subject: &[u8],
        spki: &[u8],
        name_constraints: Option<&[u8]>,
    ) -> Result<(), CertificateError> {
        self.add(TrustAnchor::from_subject_spki(
            subject,
            spki,
            name_constraints,
        )?);
        Ok(())
    }

    /// Adds `anchor` unless it is present already.
    pub fn add(&mut self, anchor: TrustAnchor) {
        if !self.anchors.contains(&anchor) {
            self.anchors.push(anchor);
        }
    }

    /// Adds every CERTIFICATE block of PEM text. Returns how many were
    /// added and how many were skipped because they are not DER
    /// certificates (system bundles hold a few; one refused for its key or
    /// an extension is added, see [`TrustAnchor::from_der`]). Fails when
    /// the PEM itself is broken or holds no certificate.
    pub fn add_pem(&mut self, text: &str) -> Result<(usize, usize), LoadError> {
        let mut added = 0;
        let mut skipped = 0;
        for der in certificate_blocks_from_pem(text)? {
            match self.add_der(der) {
                Ok(()) => added += 1,
                Err(_) => skipped += 1,
            }
        }
        Ok((added, skipped))
    }

    /// Reads a PEM file of trusted certificates, or a file of one DER
    /// certificate (as `openssl x509 -outform DER` writes it: no
    /// `-----BEGIN` line, a SEQUENCE first); fails when the file cannot
    /// be read, is broken PEM or DER, or holds no usable certificate (an
    /// empty file, or text without PEM blocks).
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let bytes = std::fs::read(path)?;
        let mut store = Self::new();
        match pem::text_of(&bytes) {
            Some(text) => {
                if store.add_pem(text)?.0 == 0 {
                    return Err(LoadError::NoCertificates);
                }
            }
            None if bytes.first() == Some(&tag::SEQUENCE) => store.add_der(bytes)?,
            None => return Err(LoadError::NoCertificates),
        }
        Ok(store)
    }

    /// The system bundle: the first readable file of
    /// [`SYSTEM_BUNDLE_PATHS`] that yields a certificate.
    pub fn system() -> Result<Self, LoadError> {
        SYSTEM_BUNDLE_PATHS
            .iter()
            .find_map(|path| Self::from_pem_file(path).ok())
            .ok_or(LoadError::NoCertificates)
    }

    /// The anchors, in insertion order.
    pub fn anchors(&self) -> &[TrustAnchor] {
        &self.anchors
    }

    /// The anchors whose subject is `name` (a DER Name), by the matching
    /// rule of RFC 5280 §7.1: byte for byte, or after canonicalisation
    /// (case, spaces and string type do not count).
    pub fn anchors_named<'s, 'n>(
        &'s self,
        name: &'n [u8],
    ) -> impl Iterator<Item = &'s TrustAnchor> + use<'s, 'n> {
        self.anchors
            .iter()
            .filter(move |a| names_match(&a.subject, name))
    }

    /// How many anchors the store holds.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// Whether the store holds no anchor.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }
}
