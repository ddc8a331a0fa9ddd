//! Conversions from `rustls-pki-types`, the types the Rust TLS ecosystem
//! shares (feature `pki-types`): certificates and private keys as
//! `rustls-pemfile` and `rustls-native-certs` give them, server names and
//! times. Each goes through the same checks as this crate's own loaders.
//!
//! Trust anchors given as a bare subject and public key (`TrustAnchor`,
//! as `webpki-roots` has them) are not accepted yet: path validation here
//! takes an anchor's validity, constraints and key from its certificate.

use rustls_pki_types as shared;

use super::keys::{CertifiedKey, LoadError};
use super::names::{InvalidServerName, ServerName};
use super::trust::RootStore;
use crate::crypto::sign::SigningKey;
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
