//! Why certificates, keys or trust anchors could not be loaded from
//! files or PEM text: local errors, no alert. They convert into
//! [`Error`], so `?` carries them into the crate's one
//! error type.

use super::{CertificateError, Error};
use core::fmt;

/// Why PEM text did not decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PemError(pub &'static str);

impl fmt::Display for PemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bad PEM: {}", self.0)
    }
}

impl std::error::Error for PemError {}

/// Why certificates, keys or trust anchors could not be loaded.
#[derive(Debug)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    Io(std::io::Error),
    /// The text is not valid PEM.
    Pem(PemError),
    /// A certificate does not parse, or does not fit its key.
    Certificate(CertificateError),
    /// The key did not load into a signing key.
    Key(Error),
    /// No certificate was found.
    NoCertificates,
    /// No supported private key block was found, or an encrypted one.
    NoPrivateKey,
    /// No PUBLIC KEY block (a SubjectPublicKeyInfo, RFC 7468 §13) was
    /// found.
    NoPublicKey,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "cannot read: {e}"),
            Self::Pem(e) => write!(f, "{e}"),
            Self::Certificate(e) => write!(f, "{e}"),
            Self::Key(e) => write!(f, "bad private key: {e}"),
            Self::NoCertificates => f.write_str("no certificate found"),
            Self::NoPrivateKey => f.write_str("no unencrypted private key found"),
            Self::NoPublicKey => f.write_str("no public key found"),
        }
    }
}

impl std::error::Error for LoadError {}

impl PartialEq for LoadError {
    /// Equal variants with equal contents; I/O errors compare by kind
    /// (`std::io::Error` has no equality).
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Io(a), Self::Io(b)) => a.kind() == b.kind(),
            (Self::Pem(a), Self::Pem(b)) => a == b,
            (Self::Certificate(a), Self::Certificate(b)) => a == b,
            (Self::Key(a), Self::Key(b)) => a == b,
            (Self::NoCertificates, Self::NoCertificates)
            | (Self::NoPrivateKey, Self::NoPrivateKey)
            | (Self::NoPublicKey, Self::NoPublicKey) => true,
            _ => false,
        }
    }
}

impl Eq for LoadError {}

impl From<std::io::Error> for LoadError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

impl From<PemError> for LoadError {
    fn from(e: PemError) -> Self {
        Self::Pem(e)
    }
}

impl From<CertificateError> for LoadError {
    fn from(e: CertificateError) -> Self {
        Self::Certificate(e)
    }
}
