//! Loading certificates and private keys from PEM, and pairing a chain
//! with its key so that a mismatch is a configuration error rather than a
//! handshake failure.

use super::names::{san_matches, ServerName};
use super::pem;
use super::x509::{Certificate, KeyUsage};
use crate::codec::Reader;
use crate::crypto::sign::SigningKey;
pub use crate::error::LoadError;
use crate::error::{CertificateError, Error};
use crate::msgs::enums::SignatureScheme;
use crate::msgs::extensions::{SCT_LIST, SERIALIZED_SCT};
use crate::msgs::syntax::read_opaque_list;
use core::fmt;
use std::path::Path;
use std::sync::Arc;

/// Every CERTIFICATE block of PEM text as DER, in order, unparsed (a
/// validator parses them and reports their faults as certificate errors).
/// No certificate at all is [`LoadError::NoCertificates`].
pub fn certificate_blocks_from_pem(text: &str) -> Result<Vec<Vec<u8>>, LoadError> {
    let blocks: Vec<Vec<u8>> = pem::parse(text)?
        .into_iter()
        .filter(|b| b.label == pem::CERTIFICATE_LABEL)
        .map(|b| b.der.to_vec())
        .collect();
    if blocks.is_empty() {
        return Err(LoadError::NoCertificates);
    }
    Ok(blocks)
}

/// Every CERTIFICATE block of PEM text as DER, in order, each checked to
/// parse (for our own configured chain).
pub fn certificates_from_pem(text: &str) -> Result<Vec<Vec<u8>>, LoadError> {
    let blocks = certificate_blocks_from_pem(text)?;
    for der in &blocks {
        Certificate::parse(der)?;
    }
    Ok(blocks)
}

/// The certificates of a file's contents: the PEM CERTIFICATE blocks of
/// [`certificates_from_pem`], or one DER certificate (as `openssl x509
/// -outform DER` writes it), checked to parse.
pub fn certificates_from_bytes(bytes: &[u8]) -> Result<Vec<Vec<u8>>, LoadError> {
    match pem::text_of(bytes) {
        Some(text) => certificates_from_pem(text),
        None => {
            Certificate::parse(bytes)?;
            Ok(vec![bytes.to_vec()])
        }
    }
}

/// Certificates (DER, such as [`crate::Connection::peer_certificates`])
/// as PEM text, one CERTIFICATE block each, in order: what
/// [`certificates_from_pem`] reads back.
pub fn certificates_to_pem(chain: &[Vec<u8>]) -> String {
    chain
        .iter()
        .map(|der| pem::encode(pem::CERTIFICATE_LABEL, der))
        .collect()
}

/// The first private key of PEM text: `PRIVATE KEY` (PKCS#8, RFC 5958),
/// `RSA PRIVATE KEY` (PKCS#1, RFC 8017 §A.1.2) or `EC PRIVATE KEY` (SEC1,
/// RFC 5915). `ENCRYPTED PRIVATE KEY` and other labels are skipped, so a
/// file with only those is [`LoadError::NoPrivateKey`].
pub fn private_key_from_pem(text: &str) -> Result<SigningKey, LoadError> {
    for block in pem::parse(text)? {
        let key = match block.label.as_str() {
            "PRIVATE KEY" => SigningKey::from_pkcs8_der(&block.der),
            "RSA PRIVATE KEY" => SigningKey::from_pkcs1_der(&block.der),
            "EC PRIVATE KEY" => SigningKey::from_sec1_der(&block.der),
            _ => continue,
        };
        return key.map_err(LoadError::Key);
    }
    Err(LoadError::NoPrivateKey)
}

/// [`private_key_from_bytes`] on the contents of the file at `path`
/// (PEM, or DER as OpenSSL's `SSL_FILETYPE_ASN1` takes it); fails with
/// [`LoadError::Io`] when it cannot be read. The contents are wiped
/// after use.
pub fn private_key_from_pem_file(path: impl AsRef<Path>) -> Result<SigningKey, LoadError> {
    private_key_from_bytes(&zeroize::Zeroizing::new(std::fs::read(path)?))
}

/// The private key of a file's contents: PEM as [`private_key_from_pem`]
/// reads it, or one DER key, PKCS#8 (RFC 5208), SEC1 (RFC 5915) or
/// PKCS#1 (RFC 8017 §A.1.2), tried in that order; a DER key none of them
/// reads fails with PKCS#8's reason.
pub fn private_key_from_bytes(bytes: &[u8]) -> Result<SigningKey, LoadError> {
    if let Some(text) = pem::text_of(bytes) {
        return private_key_from_pem(text);
    }
    SigningKey::from_pkcs8_der(bytes)
        .or_else(|pkcs8| {
            SigningKey::from_sec1_der(bytes)
                .or_else(|_| SigningKey::from_pkcs1_der(bytes))
                .map_err(|_| pkcs8)
        })
        .map_err(LoadError::Key)
}

/// A certificate chain (end entity first) with the private key of its end
/// entity; constructing one proves that the two belong together. Made
/// from a key alone ([`CertifiedKey::from_key`]) it has no chain and
/// authenticates with a raw public key only (RFC 7250). A clone shares
/// the private key rather than copying it, so that a copy can be given
/// other staples ([`Self::with_ocsp_response`]) while the original
/// serves on.
#[derive(Clone)]
pub struct CertifiedKey {
    chain: Vec<Vec<u8>>,
    key: Arc<SigningKey>,
    /// The DER SubjectPublicKeyInfo of the key: the end entity's, or
    /// encoded from the key; sent as the raw public key (RFC 7250 §3).
    spki: Vec<u8>,
    /// The end entity's subjectAltName value, kept so that a server with
    /// several certificates can choose by the client's server_name
    /// without parsing the certificate on every handshake.
    subject_alt_name: Option<Vec<u8>>,
    /// The DER OCSP response stapled for the end entity when a client
    /// asks (RFC 6066 §8, RFC 8446 §4.4.2.1); set by
    /// `with_ocsp_response`, beside the OCSP parser in `ocsp.rs`.
    pub(super) ocsp_response: Option<Vec<u8>>,
    /// The SerializedSCTs sent for the end entity when a client asks
    /// (RFC 6962 §3.3).
    scts: Vec<Vec<u8>>,
    /// The keyUsage bits the end entity allows (bit n for RFC 5280
    /// §4.2.1.3's bit n; all when it has no keyUsage, or no certificate),
    /// so the handshake picks a certificate whose key may be used as it
    /// needs without parsing it again.
    key_usage: u16,
    /// The schemes this key may sign with, in our order of preference,
    /// when restricted ([`CertifiedKey::with_signature_schemes`]).
    signing_schemes: Option<Vec<SignatureScheme>>,
    /// Whether this goes only to a peer that names a CA of its chain
    /// ([`CertifiedKey::with_issuer_match_required`]).
    issuer_match_required: bool,
}

impl CertifiedKey {
    /// Pairs `chain` with `key`. Fails with
    /// [`CertificateError::KeyMismatch`] when the end entity's public key
    /// is not the key's, or with [`LoadError::NoCertificates`] for an empty
    /// chain.
    pub fn new(chain: Vec<Vec<u8>>, key: SigningKey) -> Result<Self, LoadError> {
        let end_entity = chain.first().ok_or(LoadError::NoCertificates)?;
        let parsed = Certificate::parse(end_entity)?;
        if parsed.public_key != key.public_key() {
            return Err(CertificateError::KeyMismatch.into());
        }
        let subject_alt_name = parsed.subject_alt_name.map(|san| san.value.to_vec());
        let key_usage = KeyUsage::ALL
            .into_iter()
            .filter(|&usage| parsed.key_usage_allows(usage))
            .fold(0, |bits, usage| bits | 1 << usage.bit());
        Ok(Self {
            spki: parsed.spki.to_vec(),
            chain,
            key: Arc::new(key),
            subject_alt_name,
            ocsp_response: None,
            scts: Vec::new(),
            key_usage,
            signing_schemes: None,
            issuer_match_required: false,
        })
    }

    /// The same certificate, sending `scts` (each a SerializedSCT, RFC
    /// 6962 §3.3, passed through as given) to clients that send
    /// signed_certificate_timestamp. An empty or over-long SCT would not
    /// encode ([`Error::EncodeOverflow`](crate::Error) at the handshake).
    pub fn with_scts(mut self, scts: Vec<Vec<u8>>) -> Self {
        self.scts = scts;
        self
    }

    /// The same certificate, sending the SCTs of `list`: a
    /// SignedCertificateTimestampList as Certificate Transparency tooling
    /// writes it (RFC 6962 §3.3: `SerializedSCT sct_list<1..2^16-1>`,
    /// each SCT `<1..2^16-1>`). A list that breaks that syntax, empty
    /// included, is [`Error::Decode`], here rather than at a handshake.
    pub fn with_sct_list(self, list: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(list);
        let scts = read_opaque_list(SCT_LIST, SERIALIZED_SCT, &mut r)?;
        r.finish()?;
        Ok(self.with_scts(scts))
    }

    /// The OCSP response stapled for the end entity, if any.
    pub fn ocsp_response(&self) -> Option<&[u8]> {
        self.ocsp_response.as_deref()
    }

    /// The same certificate, signing TLS 1.2 and 1.3 handshakes only
    /// with those of `schemes` its key can make, in this order of
    /// preference, instead of every scheme it can make in its own order:
    /// for a policy such as "RSA-PSS only" or "SHA-384 first". A peer
    /// that accepts none of them gets no signature from this key; with
    /// one certificate, that ends the handshake (`handshake_failure`).
    /// TLS 1.0 and 1.1 signatures name no scheme and are not restricted.
    pub fn with_signature_schemes(mut self, schemes: &[SignatureScheme]) -> Self {
        self.signing_schemes = Some(schemes.to_vec());
        self
    }

    /// The same certificate, sent only to a peer that names a CA of its
    /// chain in certificate_authorities (RFC 8446 §4.2.4): a server's
    /// CertificateRequest, in TLS 1.3 or 1.2 (RFC 5246 §7.4.4), or a TLS
    /// 1.3 client's ClientHello (TLS 1.2 defines no such names in a
    /// ClientHello, so a TLS 1.2 server never sends it). A chain under a
    /// root not every peer trusts yet (a new hierarchy, a post-quantum
    /// one) then goes to the peers that say they trust it, and the
    /// others get the next certificate that fits; with none, a server
    /// ends the handshake (`handshake_failure`) and a client sends no
    /// certificate. A CA matches when it issued, or is, a certificate of
    /// the chain (names compared as DER); a key without a chain never
    /// matches. BoringSSL calls this `SSL_CREDENTIAL_set_must_match_issuer`.
    pub fn with_issuer_match_required(mut self) -> Self {
        self.issuer_match_required = true;
        self
    }

    /// Whether this certificate goes only to peers that name a CA of its
    /// chain ([`Self::with_issuer_match_required`]).
    pub fn issuer_match_required(&self) -> bool {
        self.issuer_match_required
    }

    /// The schemes this key signs a TLS 1.3 handshake with, most
    /// preferred first.
    pub(crate) fn signing_schemes(&self) -> impl Iterator<Item = SignatureScheme> + '_ {
        self.restricted(self.key.scheme_preference())
    }

    /// The schemes this key signs a TLS 1.2 handshake with, most
    /// preferred first.
    pub(crate) fn tls12_signing_schemes(&self) -> impl Iterator<Item = SignatureScheme> + '_ {
        self.restricted(self.key.tls12_scheme_preference())
    }

    /// `own`, the key's schemes in its order, or, when the schemes are
    /// restricted, those of the restriction among them, in its order.
    fn restricted<'a>(
        &'a self,
        own: impl Iterator<Item = SignatureScheme> + Clone + 'a,
    ) -> impl Iterator<Item = SignatureScheme> + 'a {
        let (restricted, unrestricted) = match &self.signing_schemes {
            Some(list) => (
                Some(
                    list.iter()
                        .copied()
                        .filter(move |s| own.clone().any(|o| o == *s)),
                ),
                None,
            ),
            None => (None, Some(own)),
        };
        restricted
            .into_iter()
            .flatten()
            .chain(unrestricted.into_iter().flatten())
    }

    /// The SCTs sent for the end entity; empty when none.
    pub fn scts(&self) -> &[Vec<u8>] {
        &self.scts
    }

    /// A key without a certificate, to authenticate with its raw public
    /// key (RFC 7250): its SubjectPublicKeyInfo is encoded from the key.
    /// It covers no name
    /// and can only be used where the peer accepts a raw public key.
    pub fn from_key(key: SigningKey) -> Self {
        Self {
            spki: super::algorithm::subject_public_key_info(key.public(), key.pss_parameters()),
            chain: Vec::new(),
            key: Arc::new(key),
            subject_alt_name: None,
            ocsp_response: None,
            scts: Vec::new(),
            key_usage: u16::MAX,
            signing_schemes: None,
            issuer_match_required: false,
        }
    }

    /// Whether the end entity's subjectAltName covers `name` (RFC 6125
    /// §6, as a client checks it).
    pub fn covers_name(&self, name: &ServerName) -> bool {
        self.subject_alt_name
            .as_deref()
            .is_some_and(|san| san_matches(san, name).unwrap_or(false))
    }

    /// Loads the chain and the key from PEM text and pairs them.
    pub fn from_pem(chain_pem: &str, key_pem: &str) -> Result<Self, LoadError> {
        Self::new(
            certificates_from_pem(chain_pem)?,
            private_key_from_pem(key_pem)?,
        )
    }

    /// Loads the chain and the key from PEM files (they may be one file),
    /// or from DER files (one certificate; a key as
    /// [`private_key_from_bytes`] reads it), and pairs them; fails as
    /// [`Self::from_pem`], or with [`LoadError::Io`] when a file cannot
    /// be read.
    pub fn from_pem_files(
        chain: impl AsRef<Path>,
        key: impl AsRef<Path>,
    ) -> Result<Self, LoadError> {
        Self::new(
            certificates_from_bytes(&std::fs::read(chain)?)?,
            private_key_from_pem_file(key)?,
        )
    }

    /// The chain, end entity first; empty for a key made with
    /// [`Self::from_key`].
    pub fn chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    /// The DER SubjectPublicKeyInfo of the key, what a raw public key
    /// Certificate carries (RFC 7250 §3).
    pub fn spki(&self) -> &[u8] {
        &self.spki
    }

    /// Whether the end entity's keyUsage allows `usage` (RFC 5280
    /// §4.2.1.3; true when it has none, and for a key without a
    /// certificate).
    pub fn key_usage_allows(&self, usage: KeyUsage) -> bool {
        self.key_usage & 1 << usage.bit() != 0
    }

    /// Whether there is an X.509 chain to send (not so for a key made
    /// with [`Self::from_key`]).
    pub fn has_certificate(&self) -> bool {
        !self.chain.is_empty()
    }

    /// The end entity's signing key.
    pub fn key(&self) -> &SigningKey {
        &self.key
    }
}

impl fmt::Debug for CertifiedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertifiedKey")
            .field("chain_len", &self.chain.len())
            .finish_non_exhaustive()
    }
}
