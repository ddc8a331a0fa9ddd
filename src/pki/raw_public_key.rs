//! Raw public keys (RFC 7250): a peer authenticated by its
//! SubjectPublicKeyInfo alone, and [`PinnedKeys`], the verifier that
//! accepts exactly the keys it was given.
//!
//! With raw public keys there is no certificate to validate, so trust
//! comes from knowing the key in advance (RFC 7250 §1, §6). `PinnedKeys`
//! keeps the SHA-256 of each pinned SubjectPublicKeyInfo and compares the
//! presented key's digest against every pin in constant time (`subtle`),
//! so the comparison reveals nothing about the pins. It checks an X.509
//! end entity the same way, by the SubjectPublicKeyInfo in it, so a client
//! that pins keys also talks to a peer that ignores RFC 7250 and sends a
//! certificate (RFC 7250 §4.2, the peer without the extensions).

use super::algorithm::public_key;
use super::names::ServerName;
use super::pem;
use super::verifier::{
    ClientCertVerified, ClientCertVerifier, ServerCertVerified, ServerCertVerifier,
};
use super::x509::Certificate;
use crate::crypto::hash::HashAlgorithm;
use crate::error::{CertificateError, Error, LoadError};
use crate::msgs::enums::CertificateType;
use subtle::ConstantTimeEq;

/// The length of a pin: a SHA-256 digest of a DER SubjectPublicKeyInfo.
pub const PIN_LEN: usize = 32;

/// The PEM label of a SubjectPublicKeyInfo (RFC 7468 §13).
const PUBLIC_KEY_LABEL: &str = "PUBLIC KEY";

/// A verifier for both roles that accepts a peer whose public key is one
/// of a fixed set (RFC 7250 §6: the binding between key and peer is
/// established out of band), presented as a raw public key or as the key
/// of an X.509 end entity. Anything else is `bad_certificate`
/// ([`CertificateError::KeyNotPinned`]); the certificate's contents
/// (names, dates, issuer) are not looked at.
#[derive(Clone, Debug)]
pub struct PinnedKeys {
    pins: Vec<[u8; PIN_LEN]>,
    types: Vec<CertificateType>,
}

impl PinnedKeys {
    /// Pins the keys `spkis` (each a whole DER SubjectPublicKeyInfo, as
    /// `openssl pkey -pubout -outform DER` writes it). The verifier asks
    /// for raw public keys and accepts X.509 too.
    pub fn new<I, K>(spkis: I) -> Self
    where
        I: IntoIterator<Item = K>,
        K: AsRef<[u8]>,
    {
        Self::from_sha256(spkis.into_iter().map(|spki| pin_of(spki.as_ref())))
    }

    /// Pins every PUBLIC KEY block of PEM text (RFC 7468 §13, as
    /// `openssl pkey -pubout` writes it). Each must be a
    /// SubjectPublicKeyInfo this crate can use
    /// ([`LoadError::Certificate`] otherwise); none at all is
    /// [`LoadError::NoPublicKey`].
    pub fn from_pem(text: &str) -> Result<Self, LoadError> {
        Self::from_spkis(
            pem::parse(text)?
                .into_iter()
                .filter(|b| b.label == PUBLIC_KEY_LABEL)
                .map(|b| b.der.to_vec())
                .collect(),
        )
    }

    /// Pins the keys of a file's contents: the PUBLIC KEY blocks of
    /// [`Self::from_pem`], or one DER SubjectPublicKeyInfo (`openssl pkey
    /// -pubout -outform DER`), checked the same way.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, LoadError> {
        match pem::text_of(bytes) {
            Some(text) => Self::from_pem(text),
            None => Self::from_spkis(vec![bytes.to_vec()]),
        }
    }

    /// Pins `spkis`, each checked to be a key this crate can use; none at
    /// all is [`LoadError::NoPublicKey`].
    fn from_spkis(spkis: Vec<Vec<u8>>) -> Result<Self, LoadError> {
        if spkis.is_empty() {
            return Err(LoadError::NoPublicKey);
        }
        for spki in &spkis {
            public_key(spki)?;
        }
        Ok(Self::new(spkis))
    }

    /// Pins keys by the SHA-256 of their DER SubjectPublicKeyInfo.
    pub fn from_sha256(pins: impl IntoIterator<Item = [u8; PIN_LEN]>) -> Self {
        Self {
            pins: pins.into_iter().collect(),
            types: vec![CertificateType::RawPublicKey, CertificateType::X509],
        }
    }

    /// The same verifier, asking for raw public keys only: a peer that
    /// knows RFC 7250 but has no raw public key then refuses the
    /// handshake with `unsupported_certificate` (RFC 7250 §4.2).
    pub fn raw_public_keys_only(mut self) -> Self {
        self.types = vec![CertificateType::RawPublicKey];
        self
    }

    /// Accepts `spki` if its digest equals a pin. Every pin is compared,
    /// each in constant time.
    fn check(&self, spki: &[u8]) -> Result<(), Error> {
        let presented = pin_of(spki);
        let found = self
            .pins
            .iter()
            .fold(subtle::Choice::from(0), |found, pin| {
                found | pin.ct_eq(&presented)
            });
        if bool::from(found) {
            Ok(())
        } else {
            Err(Error::InvalidCertificate(CertificateError::KeyNotPinned))
        }
    }

    /// Accepts an X.509 end entity whose SubjectPublicKeyInfo is pinned.
    fn check_certificate(&self, end_entity: &[u8]) -> Result<(), Error> {
        self.check(Certificate::parse(end_entity)?.spki)
    }
}

/// Raw public keys (DER SubjectPublicKeyInfos, RFC 7250 §3) as PEM
/// `PUBLIC KEY` blocks (RFC 7468 §13), as `openssl pkey -pubout` writes
/// them: the counterpart of [`crate::certificates_to_pem`] for a peer
/// that sent its key alone.
pub fn public_keys_to_pem(spkis: &[Vec<u8>]) -> String {
    spkis
        .iter()
        .map(|der| pem::encode(PUBLIC_KEY_LABEL, der))
        .collect()
}

/// The SHA-256 of a DER SubjectPublicKeyInfo: what [`PinnedKeys`] keeps.
pub fn pin_of(spki: &[u8]) -> [u8; PIN_LEN] {
    let digest = HashAlgorithm::Sha256.hash(spki);
    let mut pin = [0; PIN_LEN];
    for (out, byte) in pin.iter_mut().zip(digest.as_ref()) {
        *out = *byte;
    }
    pin
}

impl ServerCertVerifier for PinnedKeys {
    fn verify_server_cert(
        &self,
        end_entity: &[u8],
        _intermediates: &[&[u8]],
        _server_name: &ServerName,
        _now: u64,
    ) -> Result<ServerCertVerified, Error> {
        self.check_certificate(end_entity)?;
        Ok(ServerCertVerified::assertion())
    }

    fn certificate_types(&self) -> &[CertificateType] {
        &self.types
    }

    fn verify_server_raw_public_key(
        &self,
        spki: &[u8],
        _server_name: &ServerName,
        _now: u64,
    ) -> Result<ServerCertVerified, Error> {
        self.check(spki)?;
        Ok(ServerCertVerified::assertion())
    }
}

impl ClientCertVerifier for PinnedKeys {
    fn verify_client_cert(
        &self,
        end_entity: &[u8],
        _intermediates: &[&[u8]],
        _now: u64,
    ) -> Result<ClientCertVerified, Error> {
        self.check_certificate(end_entity)?;
        Ok(ClientCertVerified::assertion())
    }

    /// No names: pinned keys have no issuers to name (RFC 8446 §4.2.4).
    fn root_subjects(&self) -> Vec<Vec<u8>> {
        Vec::new()
    }

    fn certificate_types(&self) -> &[CertificateType] {
        &self.types
    }

    fn verify_client_raw_public_key(
        &self,
        spki: &[u8],
        _now: u64,
    ) -> Result<ClientCertVerified, Error> {
        self.check(spki)?;
        Ok(ClientCertVerified::assertion())
    }
}
