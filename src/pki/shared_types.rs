//! Conversions from `rustls-pki-types`, the types the Rust TLS ecosystem
//! shares (feature `pki-types`): certificates and private keys as
//! `rustls-pemfile` and `rustls-native-certs` give them, trust anchors as
//! `webpki-roots` gives them (bare subject, key and name constraints),
//! server names and times. Each goes through the same checks as this
//! crate's own loaders.

use rustls_pki_types as shared;

use super::keys::{CertifiedKey, LoadError};
use super::names::{InvalidServerName, ServerName};
use super::trust::{RootStore, TrustAnchor};
use crate::crypto::sign::SigningKey;
use crate::der::{self, tag};
use crate::error::CertificateError;
use crate::time::UnixTime;

impl TryFrom<&shared::PrivateKeyDer<'_>> for SigningKey {
    type Error = LoadError;

    /// Reads a PKCS#8, PKCS#1 (RSA) or SEC1 (EC) private key, as
    /// [`crate::private_key_from_pem`] reads the PEM blocks of each kind.
    fn try_from(key: &shared::PrivateKeyDer<'_>) -> Result<Self, LoadError> {
        match key {
            shared::PrivateKeyDer::Pkcs8(der) => SigningKey::from_pkcs8_der(der.secret_pkcs8_der()),
            shared::PrivateKeyDer::Pkcs1(der) => SigningKey::from_pkcs1_der(der.secret_pkcs1_der()),
            shared::PrivateKeyDer::Sec1(der) => SigningKey::from_sec1_der(der.secret_sec1_der()),
            _ => return Err(LoadError::NoPrivateKey),
        }
        .map_err(LoadError::Key)
    }
}

impl CertifiedKey {
    /// Pairs a chain (end entity first) with its key, both as the shared
    /// DER types; fails as [`CertifiedKey::new`], or when the key is of a
    /// kind this crate does not read.
    pub fn from_der(
        chain: Vec<shared::CertificateDer<'_>>,
        key: &shared::PrivateKeyDer<'_>,
    ) -> Result<Self, LoadError> {
        let chain = chain.iter().map(|c| c.as_ref().to_vec()).collect();
        Self::new(chain, SigningKey::try_from(key)?)
    }
}

impl RootStore {
    /// Adds one trusted certificate given as the shared DER type; fails as
    /// [`RootStore::add_der`].
    pub fn add_certificate(
        &mut self,
        certificate: shared::CertificateDer<'_>,
    ) -> Result<(), CertificateError> {
        self.add_der(certificate.as_ref().to_vec())
    }

    /// Adds every certificate that parses (a system bundle holds a few this
    /// crate cannot use) and returns how many were added and skipped.
    pub fn add_parsable_certificates<'a>(
        &mut self,
        certificates: impl IntoIterator<Item = shared::CertificateDer<'a>>,
    ) -> (usize, usize) {
        certificates
            .into_iter()
            .fold((0, 0), |(added, skipped), c| {
                match self.add_certificate(c) {
                    Ok(()) => (added + 1, skipped),
                    Err(_) => (added, skipped + 1),
                }
            })
    }
}

impl TryFrom<&shared::TrustAnchor<'_>> for TrustAnchor {
    type Error = CertificateError;

    /// The same anchor, checked as [`TrustAnchor::from_subject_spki`]
    /// checks one. rustls-pki-types holds the subject, the
    /// SubjectPublicKeyInfo and the NameConstraints as the contents of
    /// their SEQUENCEs, without tag and length; they are put back here.
    fn try_from(anchor: &shared::TrustAnchor<'_>) -> Result<Self, CertificateError> {
        let name_constraints = anchor
            .name_constraints
            .as_ref()
            .map(|nc| der::encode(tag::SEQUENCE, nc));
        TrustAnchor::from_subject_spki(
            &der::encode(tag::SEQUENCE, &anchor.subject),
            &der::encode(tag::SEQUENCE, &anchor.subject_public_key_info),
            name_constraints.as_deref(),
        )
    }
}

impl<'a> Extend<shared::TrustAnchor<'a>> for RootStore {
    /// Adds each anchor that converts (see `TryFrom<&TrustAnchor>`);
    /// one whose key this crate cannot verify with, or that does not
    /// parse, is left out, as [`RootStore::add_pem`] leaves out such
    /// certificates. Compare [`RootStore::len`] to see whether any was.
    fn extend<I: IntoIterator<Item = shared::TrustAnchor<'a>>>(&mut self, anchors: I) {
        for anchor in anchors {
            if let Ok(anchor) = TrustAnchor::try_from(&anchor) {
                self.add(anchor);
            }
        }
    }
}

impl<'a> FromIterator<shared::TrustAnchor<'a>> for RootStore {
    /// A store of the anchors that convert, as [`Extend`] adds them; so
    /// `webpki_roots::TLS_SERVER_ROOTS.iter().cloned().collect()` gives
    /// a store of the Mozilla roots.
    fn from_iter<I: IntoIterator<Item = shared::TrustAnchor<'a>>>(anchors: I) -> Self {
        let mut store = Self::new();
        store.extend(anchors);
        store
    }
}

impl TryFrom<&shared::ServerName<'_>> for ServerName {
    type Error = InvalidServerName;

    /// The same name, checked as [`ServerName::parse`] checks a string.
    fn try_from(name: &shared::ServerName<'_>) -> Result<Self, InvalidServerName> {
        name.to_str().parse()
    }
}

impl From<shared::UnixTime> for UnixTime {
    fn from(time: shared::UnixTime) -> Self {
        UnixTime::from_secs(time.as_secs())
    }
}
