//! Trust anchors: the certificates a validator trusts without a path,
//! loaded from PEM or DER, or from the operating system's bundle.

use super::keys::{certificate_blocks_from_pem, LoadError};
use super::x509::Certificate;
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

/// One trusted certificate, stored as DER with its subject for lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustAnchor {
    der: Vec<u8>,
    subject: Vec<u8>,
}

impl TrustAnchor {
    /// Accepts `der` as a trust anchor if it parses as a certificate.
    pub fn from_der(der: Vec<u8>) -> Result<Self, CertificateError> {
        let subject = Certificate::parse(&der)?.subject.to_vec();
        Ok(Self { der, subject })
    }

    /// The certificate's DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The DER of the certificate's subject Name.
    pub fn subject(&self) -> &[u8] {
        &self.subject
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
        let anchor = TrustAnchor::from_der(der)?;
        if !self.anchors.contains(&anchor) {
            self.anchors.push(anchor);
        }
        Ok(())
    }

    /// Adds every CERTIFICATE block of PEM text. Returns how many were
    /// added and how many were skipped because they did not parse (system
    /// bundles hold a few certificates this crate cannot use). Fails when
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

    /// Reads a PEM file of trusted certificates; fails when the file
    /// cannot be read, is not PEM, or holds no usable certificate.
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let text = std::fs::read_to_string(path)?;
        let mut store = Self::new();
        if store.add_pem(&text)?.0 == 0 {
            return Err(LoadError::NoCertificates);
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

    /// The anchors whose subject is `name` (a DER Name).
    pub fn anchors_named<'s>(&'s self, name: &'s [u8]) -> impl Iterator<Item = &'s TrustAnchor> {
        self.anchors.iter().filter(move |a| a.subject == name)
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
