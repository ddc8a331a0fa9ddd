//! What the TLS 1.0–1.2 state machines of both roles share: the cipher
//! suite table (RFC 5246 §A.5, RFC 8422 §6, RFC 5289, RFC 7905), the
//! handshake message buffer, the key block cut into record protection,
//! the ServerKeyExchange signature, and the RFC 5705 exporter.
//!
//! Everything here takes the negotiated version, so TLS 1.0 and 1.1
//! (RFC 2246, RFC 4346) plug in with their PRF hash, record protection and
//! signature form without another copy of the state machines.

use std::borrow::Cow;
use std::sync::Arc;

use super::KeyUse;
use crate::common_state::HandshakeIo;
use crate::crypto::aead::AeadAlgorithm;
use crate::crypto::cbc::BLOCK_LEN;
use crate::crypto::hash::{Digest, HashAlgorithm};
use crate::crypto::hash_context::HashContext;
use crate::crypto::rng::SecureRandom;
use crate::crypto::sign::SigningKey;
use crate::crypto::verify::{tls12_offerable, PublicKey, SignatureAlgorithm};
use crate::error::{CryptoReason, Error, LimitExceededReason};
use crate::keyschedule::tls12::{KeyBlockLengths, MasterSecret, RANDOM_LEN};
use crate::msgs::enums::{
    AlertDescription, CipherSuite, ClientCertificateType, ProtocolVersion, SignatureScheme,
};
use crate::msgs::handshake::{DecodeContext, HandshakeMessage, TLS12_VERIFY_DATA_LEN};
use crate::msgs::key_exchange::{KeyExchangeAlgorithm, ServerKxParams};
use crate::msgs::signature::DigitallySigned;
use crate::pki::CertifiedKey;
#[cfg(feature = "legacy")]
use crate::record::{CbcHmacProtection, CbcIv, MacOrder};
use crate::record::{RecordProtection, Tls12AeadProtection};

/// The implicit part of an AES-GCM nonce taken from the key block
/// (RFC 5288 §3: `fixed_iv_length` 4).
const GCM_FIXED_IV_LEN: usize = 4;

/// Which certificate key a suite's server authenticates with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Authentication {
    /// ECDHE_ECDSA: an ECDSA or Ed25519 key (RFC 8422 §2, §5.1).
    Ecdsa,
    /// ECDHE_RSA: an RSA key (RFC 8422 §2.2), or an id-RSASSA-PSS key
    /// signing with `rsa_pss_pss_*` (RFC 8446 §4.2.3).
    Rsa,
}

impl Authentication {
    /// Whether `key` may authenticate a suite of this kind.
    pub(crate) fn fits(self, key: &PublicKey) -> bool {
        match self {
            Self::Ecdsa => matches!(
                key,
                PublicKey::EcdsaP256(_)
                    | PublicKey::EcdsaP384(_)
                    | PublicKey::EcdsaP521(_)
                    | PublicKey::Ed25519(_)
            ),
            Self::Rsa => matches!(key, PublicKey::Rsa(_) | PublicKey::RsaPss { .. }),
        }
    }

    /// The CertificateRequest certificate type a client key of this kind
    /// answers (RFC 5246 §7.4.4, RFC 8422 §5.5).
    pub(crate) fn certificate_type(self) -> ClientCertificateType {
        match self {
            Self::Ecdsa => ClientCertificateType::EcdsaSign,
            Self::Rsa => ClientCertificateType::RsaSign,
        }
    }

    /// The kind of a public key.
    pub(crate) fn of(key: &PublicKey) -> Self {
        match key {
            PublicKey::Rsa(_) | PublicKey::RsaPss { .. } => Self::Rsa,
            _ => Self::Ecdsa,
        }
    }
}

/// How a suite protects records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BulkCipher {
    /// An AEAD (RFC 5288, RFC 7905).
    Aead(AeadAlgorithm),
    /// AES-CBC with an HMAC (RFC 5246 §6.2.3.2).
    Cbc {
        /// 16 or 32.
        key_len: usize,
        /// The HMAC hash.
        mac: HashAlgorithm,
    },
}

/// What a TLS 1.0–1.2 cipher suite is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tls12Suite {
    pub(crate) suite: CipherSuite,
    /// ECDHE (RFC 8422) or RSA key transport (RFC 5246 §7.4.7.1).
    pub(crate) key_exchange: KeyExchangeAlgorithm,
    pub(crate) authentication: Authentication,
    /// The PRF hash in TLS 1.2 (RFC 5246 §5; SHA-384 for the `_SHA384`
    /// suites, RFC 5289 §3.2).
    pub(crate) prf_hash: HashAlgorithm,
    pub(crate) bulk: BulkCipher,
}

impl Tls12Suite {
    /// What the suite does with the server's certificate key: encrypt the
    /// premaster secret under RSA key transport, sign the key exchange
    /// parameters otherwise (RFC 5246 §7.4.2, RFC 8422 §5.3).
    pub(crate) fn server_key_use(&self) -> KeyUse {
        match self.key_exchange {
            KeyExchangeAlgorithm::Rsa => KeyUse::Encipher,
            KeyExchangeAlgorithm::Ecdhe | KeyExchangeAlgorithm::Dhe => KeyUse::Sign,
        }
    }

    /// Whether the suite may run under `version`: AEAD and SHA-256/384
    /// MAC suites need TLS 1.2 (RFC 5246 §1.2, RFC 5289 §4).
    pub(crate) fn usable_with(&self, version: ProtocolVersion) -> bool {
        let needs_tls12 = match self.bulk {
            BulkCipher::Aead(_) => true,
            BulkCipher::Cbc { mac, .. } => mac != HashAlgorithm::Sha1,
        };
        !needs_tls12 || version == ProtocolVersion::TLSv1_2
    }

    /// The PRF hash under `version`: MD5‖SHA-1 before TLS 1.2 (RFC 2246
    /// §5). Without the `legacy` feature no configuration can name a
    /// version below 1.2 (`config::ALL_VERSIONS`), so only the 1.2 hash is
    /// ever asked for.
    pub(crate) fn prf_hash(&self, version: ProtocolVersion) -> HashAlgorithm {
        #[cfg(feature = "legacy")]
        if version != ProtocolVersion::TLSv1_2 {
            return HashAlgorithm::Md5Sha1;
        }
        #[cfg(not(feature = "legacy"))]
        let _ = version;
        self.prf_hash
    }

    /// Whether the suite is a CBC suite, for which encrypt-then-MAC may be
    /// negotiated (RFC 7366 §3).
    pub(crate) fn is_cbc(&self) -> bool {
        matches!(self.bulk, BulkCipher::Cbc { .. })
    }

    /// The key block sizes under `version` (RFC 5246 §6.3): TLS 1.0 CBC
    /// takes a fixed IV, TLS 1.1/1.2 CBC sends explicit IVs.
    fn key_block_lengths(&self, version: ProtocolVersion) -> KeyBlockLengths {
        match self.bulk {
            BulkCipher::Aead(aead) => KeyBlockLengths {
                mac_key_len: 0,
                enc_key_len: aead.key_len(),
                fixed_iv_len: match aead {
                    AeadAlgorithm::ChaCha20Poly1305 => crate::crypto::aead::NONCE_LEN,
                    _ => GCM_FIXED_IV_LEN,
                },
            },
            BulkCipher::Cbc { key_len, mac } => KeyBlockLengths {
                mac_key_len: mac.output_len(),
                enc_key_len: key_len,
                fixed_iv_len: if version == ProtocolVersion::TLSv1_0 {
                    BLOCK_LEN
                } else {
                    0
                },
            },
        }
    }
}

/// The TLS 1.0–1.2 suites ferrotls implements, with their parts, `None`
/// for any other suite.
pub(crate) fn tls12_suite(suite: CipherSuite) -> Option<Tls12Suite> {
    use AeadAlgorithm as A;
    use Authentication::{Ecdsa, Rsa};
    use CipherSuite as S;
    use HashAlgorithm as H;
    let cbc = |key_len, mac| BulkCipher::Cbc { key_len, mac };
    let key_exchange = if RSA_KEY_EXCHANGE_SUITES.contains(&suite) {
        KeyExchangeAlgorithm::Rsa
    } else if crate::config::TLS12_DHE_CIPHER_SUITES.contains(&suite) {
        KeyExchangeAlgorithm::Dhe
    } else {
        KeyExchangeAlgorithm::Ecdhe
    };
    let (authentication, prf_hash, bulk) = match suite {
        S::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 => {
            (Ecdsa, H::Sha256, BulkCipher::Aead(A::Aes128Gcm))
        }
        S::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 => {
            (Ecdsa, H::Sha384, BulkCipher::Aead(A::Aes256Gcm))
        }
        S::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 => {
            (Ecdsa, H::Sha256, BulkCipher::Aead(A::ChaCha20Poly1305))
        }
        S::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 => {
            (Rsa, H::Sha256, BulkCipher::Aead(A::Aes128Gcm))
        }
        S::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 => {
            (Rsa, H::Sha384, BulkCipher::Aead(A::Aes256Gcm))
        }
        S::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 => {
            (Rsa, H::Sha256, BulkCipher::Aead(A::ChaCha20Poly1305))
        }
        S::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA => (Ecdsa, H::Sha256, cbc(16, H::Sha1)),
        S::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA => (Ecdsa, H::Sha256, cbc(32, H::Sha1)),
        S::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA => (Rsa, H::Sha256, cbc(16, H::Sha1)),
        S::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA => (Rsa, H::Sha256, cbc(32, H::Sha1)),
        S::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 => (Ecdsa, H::Sha256, cbc(16, H::Sha256)),
        S::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 => (Ecdsa, H::Sha384, cbc(32, H::Sha384)),
        S::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 => (Rsa, H::Sha256, cbc(16, H::Sha256)),
        S::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 => (Rsa, H::Sha384, cbc(32, H::Sha384)),
        S::TLS_RSA_WITH_AES_128_CBC_SHA => (Rsa, H::Sha256, cbc(16, H::Sha1)),
        S::TLS_RSA_WITH_AES_256_CBC_SHA => (Rsa, H::Sha256, cbc(32, H::Sha1)),
        S::TLS_RSA_WITH_AES_128_CBC_SHA256 => (Rsa, H::Sha256, cbc(16, H::Sha256)),
        S::TLS_RSA_WITH_AES_256_CBC_SHA256 => (Rsa, H::Sha256, cbc(32, H::Sha256)),
        S::TLS_RSA_WITH_AES_128_GCM_SHA256 => (Rsa, H::Sha256, BulkCipher::Aead(A::Aes128Gcm)),
        S::TLS_RSA_WITH_AES_256_GCM_SHA384 => (Rsa, H::Sha384, BulkCipher::Aead(A::Aes256Gcm)),
        S::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 => (Rsa, H::Sha256, BulkCipher::Aead(A::Aes128Gcm)),
        S::TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 => (Rsa, H::Sha384, BulkCipher::Aead(A::Aes256Gcm)),
        S::TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 => {
            (Rsa, H::Sha256, BulkCipher::Aead(A::ChaCha20Poly1305))
        }
        _ => return None,
    };
    // AES-CBC, RSA decryption and the DHE suites come with the `legacy`
    // feature (design §5; the DHE suites are a legacy of TLS 1.2).
    if cfg!(not(feature = "legacy"))
        && (key_exchange != KeyExchangeAlgorithm::Ecdhe || matches!(bulk, BulkCipher::Cbc { .. }))
    {
        return None;
    }
    Some(Tls12Suite {
        suite,
        key_exchange,
        authentication,
        prf_hash,
        bulk,
    })
}

/// The suites whose premaster secret the client encrypts to the server's
/// RSA key (RFC 5246 §A.5, RFC 5288 §3): opt-in (design §4), and only with
/// feature `legacy`, which brings the `rsa` crate.
const RSA_KEY_EXCHANGE_SUITES: &[CipherSuite] = &[
    CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite::TLS_RSA_WITH_AES_256_CBC_SHA,
    CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA256,
    CipherSuite::TLS_RSA_WITH_AES_256_CBC_SHA256,
    CipherSuite::TLS_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite::TLS_RSA_WITH_AES_256_GCM_SHA384,
];

/// Record protection for each direction: `(client_write, server_write)`.
pub(crate) type Protections = (Box<dyn RecordProtection>, Box<dyn RecordProtection>);

/// The parameters both sides settled in the hellos.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    pub(crate) version: ProtocolVersion,
    /// The version the ClientHello announced (`client_version`), which
    /// an RSA premaster secret starts with (RFC 5246 §7.4.7.1).
    pub(crate) client_version: ProtocolVersion,
    pub(crate) suite: Tls12Suite,
    pub(crate) client_random: [u8; RANDOM_LEN],
    pub(crate) server_random: [u8; RANDOM_LEN],
    /// RFC 7627 extended master secret in use.
    pub(crate) extended_master_secret: bool,
    /// RFC 7366 encrypt-then-MAC in use (CBC suites only).
    pub(crate) encrypt_then_mac: bool,
    /// The max_fragment_length code that binds the session (RFC 6066 §4),
    /// `None` when none was agreed or a record_size_limit replaced it.
    pub(crate) max_fragment_length: Option<u8>,
}

impl Params {
    /// Sends ChangeCipherSpec and switches writing to `protection`, our
    /// side's new write state (RFC 5246 §7.1). Under TLS 1.0 with a CBC
    /// suite, application data is split 1/n−1 from then on, in both roles
    /// as OpenSSL and NSS do: the chained IV of RFC 2246 §6.2.3.2 is
    /// predictable to whoever saw the last record (BEAST, CVE-2011-3389).
    pub(crate) fn change_write_cipher(
        &self,
        common: &mut dyn HandshakeIo,
        protection: Box<dyn RecordProtection>,
    ) -> Result<(), Error> {
        common.send_ccs(protection)?;
        if self.version == ProtocolVersion::TLSv1_0 && self.suite.is_cbc() {
            common.split_application_data();
        }
        Ok(())
    }

    /// The PRF and transcript hash.
    pub(crate) fn hash(&self) -> HashAlgorithm {
        self.suite.prf_hash(self.version)
    }

    /// How this version's messages decode (RFC 5246 §7.4).
    pub(crate) fn decode_context(&self) -> DecodeContext {
        DecodeContext {
            version: self.version,
            key_exchange: self.suite.key_exchange,
            finished_len: TLS12_VERIFY_DATA_LEN,
        }
    }

    /// The record protection for each direction, from the key block
    /// (RFC 5246 §6.3): `(client_write, server_write)`.
    pub(crate) fn protections(
        &self,
        master: &MasterSecret,
        rng: &Arc<dyn SecureRandom>,
    ) -> Result<Protections, Error> {
        let one = |mac_key: &[u8],
                   key: &[u8],
                   iv: &[u8]|
         -> Result<Box<dyn RecordProtection>, Error> {
            Ok(match self.suite.bulk {
                BulkCipher::Aead(aead) => Box::new(Tls12AeadProtection::new(aead, key, iv)?),
                BulkCipher::Cbc { mac, .. } => self.cbc_protection(mac, mac_key, key, iv, rng)?,
            })
        };
        master.with_key_block(
            self.suite.key_block_lengths(self.version),
            &self.client_random,
            &self.server_random,
            |block| {
                Ok((
                    one(
                        block.client_write_mac_key,
                        block.client_write_key,
                        block.client_write_iv,
                    )?,
                    one(
                        block.server_write_mac_key,
                        block.server_write_key,
                        block.server_write_iv,
                    )?,
                ))
            },
        )
    }
}

impl Params {
    /// AES-CBC with HMAC for one direction: TLS 1.0 chains its IV from the
    /// previous record (RFC 2246 §6.2.3.2), TLS 1.1/1.2 send a fresh
    /// explicit IV per record (RFC 4346 §6.2.3.2); MAC-then-encrypt unless
    /// encrypt-then-MAC was negotiated (RFC 7366 §3).
    #[cfg(feature = "legacy")]
    fn cbc_protection(
        &self,
        mac: HashAlgorithm,
        mac_key: &[u8],
        key: &[u8],
        iv: &[u8],
        rng: &Arc<dyn SecureRandom>,
    ) -> Result<Box<dyn RecordProtection>, Error> {
        let iv = if self.version == ProtocolVersion::TLSv1_0 {
            CbcIv::chained(iv)?
        } else {
            let rng = rng.clone();
            CbcIv::Explicit(Box::new(move |ivs: &mut [u8]| rng.fill(ivs)))
        };
        let order = if self.encrypt_then_mac {
            MacOrder::EncryptThenMac
        } else {
            MacOrder::MacThenEncrypt
        };
        Ok(Box::new(CbcHmacProtection::new(
            key, mac, mac_key, iv, order,
        )?))
    }

    /// Without the `legacy` feature there is no AES-CBC, and
    /// [`tls12_suite`] never yields a CBC suite.
    #[cfg(not(feature = "legacy"))]
    fn cbc_protection(
        &self,
        _mac: HashAlgorithm,
        _mac_key: &[u8],
        _key: &[u8],
        _iv: &[u8],
        _rng: &Arc<dyn SecureRandom>,
    ) -> Result<Box<dyn RecordProtection>, Error> {
        Err(Error::HandshakeFailure(
            crate::error::HandshakeFailureReason::CbcNeedsLegacy,
        ))
    }
}

/// Bytes reserved for a [`HandshakeLog`] when it starts: the hellos, a
/// certificate chain of a few kilobytes, the key exchange and Finished
/// messages of a typical full handshake. A sizing choice, not a limit.
const HANDSHAKE_LOG_INITIAL_CAPACITY: usize = 4096;

/// The handshake messages of the connection so far, header included, in
/// order (RFC 5246 §7.4.9 `handshake_messages`): their running hash under
/// the PRF hash, which the Finished messages and the extended master
/// secret need, and the messages themselves only where this side may
/// sign or check a CertificateVerify, which signs them whole (RFC 5246
/// §7.4.8). It starts once the ServerHello settles the hash.
pub(crate) struct HandshakeLog {
    running: HashContext,
    /// The messages, when kept.
    messages: Option<Vec<u8>>,
}

impl HandshakeLog {
    /// A log under `hash` starting with `messages`; it keeps the messages
    /// themselves when `keep_messages`, with room for a typical full
    /// handshake so that it grows rarely.
    pub(crate) fn new(hash: HashAlgorithm, messages: &[&[u8]], keep_messages: bool) -> Self {
        let mut log = Self {
            running: HashContext::new(hash),
            messages: keep_messages.then(|| {
                let start: usize = messages.iter().map(|m| m.len()).sum();
                Vec::with_capacity(start.max(HANDSHAKE_LOG_INITIAL_CAPACITY))
            }),
        };
        messages.iter().for_each(|m| log.add(m));
        log
    }

    /// Appends one encoded message.
    pub(crate) fn add(&mut self, message: &[u8]) {
        self.running.update(message);
        if let Some(messages) = &mut self.messages {
            messages.extend_from_slice(message);
        }
    }

    /// The hash of everything so far.
    pub(crate) fn hash(&self) -> Digest {
        self.running.current()
    }

    /// The messages themselves, for a CertificateVerify; failing with
    /// [`CryptoReason::HandshakeMessagesNotKept`] when the log was made
    /// without them.
    pub(crate) fn messages(&self) -> Result<&[u8], Error> {
        self.messages
            .as_deref()
            .ok_or(Error::Crypto(CryptoReason::HandshakeMessagesNotKept))
    }
}

/// The content a ServerKeyExchange signature covers: `client_random +
/// server_random + ServerECDHParams` (RFC 8422 §5.4) or
/// `ServerDHParams` (RFC 5246 §7.4.3).
pub(crate) fn signed_params(params: &Params, kx: &ServerKxParams) -> Result<Vec<u8>, Error> {
    use crate::codec::Writer;
    let mut content = Writer::with_buffer(Vec::with_capacity(2 * RANDOM_LEN + kx.encoded_len()));
    content.bytes(&params.client_random);
    content.bytes(&params.server_random);
    kx.encode(&mut content);
    content.finish()
}

/// The schemes a peer accepts when it sent no signature_algorithms: SHA-1
/// with the key's own algorithm (RFC 5246 §7.4.1.4.1). They are also
/// every SHA-1 scheme, which RFC 9155 takes out of TLS 1.2 signatures
/// ([`choose_scheme`]).
pub(crate) const DEFAULT_TLS12_SCHEMES: &[SignatureScheme] =
    &[SignatureScheme::rsa_pkcs1_sha1, SignatureScheme::ecdsa_sha1];

/// The schemes of `ours` a signature_algorithms list that only TLS 1.2
/// reads carries (a ClientHello without TLS 1.3, a TLS 1.2
/// CertificateRequest): those whose signatures we can check on the keys
/// they may come with ([`tls12_offerable`]), so that the peer never
/// signs with one we must then refuse. Borrowed when all are (every
/// build with feature `legacy`), so a handshake does not allocate for it.
pub(crate) fn tls12_offered_schemes(ours: &[SignatureScheme]) -> Cow<'_, [SignatureScheme]> {
    if ours.iter().all(|s| tls12_offerable(*s)) {
        Cow::Borrowed(ours)
    } else {
        Cow::Owned(
            ours.iter()
                .copied()
                .filter(|s| tls12_offerable(*s))
                .collect(),
        )
    }
}

/// The first scheme `certified` signs TLS 1.2 with (its preference
/// first, [`CertifiedKey::tls12_signing_schemes`]) that the peer accepts:
/// an ECDSA key takes any ECDSA scheme whose hash it can sign with, since
/// TLS 1.2's ECDSA schemes name no curve (RFC 5246 §7.4.1.4.1). A SHA-1
/// scheme only when `ours`, our configuration's schemes, accepts it too:
/// RFC 9155 §4 and §5 forbid SHA-1 in a ServerKeyExchange or
/// CertificateVerify, and a configuration that opts into accepting SHA-1
/// signatures from old peers is taken to sign for them too. So a
/// ClientHello without signature_algorithms, which accepts SHA-1 alone,
/// finds no scheme by default: `handshake_failure` unless a suite that
/// signs nothing fits (RFC 9155 §2).
fn choose_scheme(
    certified: &CertifiedKey,
    accepted: &[SignatureScheme],
    ours: &[SignatureScheme],
) -> Option<SignatureScheme> {
    certified
        .tls12_signing_schemes()
        .find(|s| accepted.contains(s) && (!DEFAULT_TLS12_SCHEMES.contains(s) || ours.contains(s)))
}

/// The algorithm a TLS 1.0/1.1 signature by `key` uses, which follows from
/// the key alone: RSA PKCS#1 v1.5 over the 36-byte MD5‖SHA-1 digest
/// without DigestInfo (RFC 4346 §7.4.3, §4.7), ECDSA over SHA-1 (RFC 4492
/// §5.4). `None` for keys TLS 1.0/1.1 cannot sign with (Ed25519, RFC 8422
/// §5.1.3 is TLS 1.2 only) or without feature `legacy`.
pub(crate) fn legacy_algorithm(key: &PublicKey) -> Option<SignatureAlgorithm> {
    match key {
        #[cfg(feature = "legacy")]
        PublicKey::Rsa(_) => Some(SignatureAlgorithm::RsaPkcs1Md5Sha1),
        #[cfg(feature = "legacy")]
        PublicKey::EcdsaP256(_) | PublicKey::EcdsaP384(_) => {
            Some(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha1))
        }
        _ => None,
    }
}

/// How a key signs under `version`: TLS 1.2 with a scheme the peer
/// accepts and our schemes `ours` allow ([`choose_scheme`], `Some`), TLS
/// 1.0/1.1 with the algorithm its type implies ([`legacy_algorithm`],
/// `None` for the scheme field). The outer `None` means the key cannot
/// sign here.
pub(crate) fn choose_signature(
    certified: &CertifiedKey,
    version: ProtocolVersion,
    accepted: &[SignatureScheme],
    ours: &[SignatureScheme],
) -> Option<Option<SignatureScheme>> {
    if version == ProtocolVersion::TLSv1_2 {
        choose_scheme(certified, accepted, ours).map(Some)
    } else {
        legacy_algorithm(certified.key().public()).map(|_| None)
    }
}

/// Signs `content` for a ServerKeyExchange or CertificateVerify (RFC 5246
/// §4.7): under `scheme` in TLS 1.2, under the key's
/// [`legacy_algorithm`] with no scheme field when `scheme` is `None`
/// (TLS 1.0/1.1, RFC 4346 §4.7).
pub(crate) fn sign(
    key: &SigningKey,
    scheme: Option<SignatureScheme>,
    content: &[u8],
) -> Result<DigitallySigned, Error> {
    let signature = match scheme {
        Some(scheme) => key.sign_tls12(scheme, content)?,
        None => {
            let algorithm = legacy_algorithm(key.public())
                .ok_or(Error::Crypto(CryptoReason::KeyCannotSignLegacy))?;
            key.sign(algorithm, content)?
        }
    };
    Ok(DigitallySigned { scheme, signature })
}

/// Signs the server's ECDH or DH parameters.
pub(crate) fn sign_params(
    certificate: &CertifiedKey,
    scheme: Option<SignatureScheme>,
    params: &Params,
    kx: &ServerKxParams,
) -> Result<DigitallySigned, Error> {
    sign(certificate.key(), scheme, &signed_params(params, kx)?)
}

/// The master secret of a full handshake: extended (over the session hash
/// through ClientKeyExchange, RFC 7627 §4) or not (RFC 5246 §8.1).
pub(crate) fn master_secret(
    params: &Params,
    premaster: &[u8],
    log: &mut HandshakeLog,
    logger: Option<&crate::keyschedule::KeyLogger>,
) -> Result<MasterSecret, Error> {
    if params.extended_master_secret {
        MasterSecret::from_premaster_extended(params.hash(), premaster, &log.hash(), logger)
    } else {
        MasterSecret::from_premaster(
            params.hash(),
            premaster,
            &params.client_random,
            &params.server_random,
            logger,
        )
    }
}

/// The master secret of a resumed session, logged like a fresh one
/// (NSS key log `CLIENT_RANDOM` of this connection) so that captures of
/// abbreviated handshakes decrypt too.
pub(crate) fn resumed_master_secret(
    params: &Params,
    secret: &[u8],
    config: &crate::config::CommonConfig,
) -> Result<MasterSecret, Error> {
    let master = MasterSecret::from_bytes(params.hash(), secret)?;
    crate::keyschedule::secret_log::log_to(
        crate::handshake::key_logger(config, params.client_random).as_ref(),
        crate::keyschedule::SecretKind::MasterSecret,
        master.secret(),
    );
    Ok(master)
}

/// The renegotiation attempts a TLS 1.2 connection in traffic has
/// refused (RFC 5746 §4.4–§4.5 allow refusing), against the
/// configuration's bound.
pub(crate) struct RefusedRenegotiations {
    refused: usize,
    max: usize,
}

impl RefusedRenegotiations {
    /// None refused yet, at most `limits.max_refused_renegotiations`.
    pub(crate) fn new(limits: &crate::config::Limits) -> Self {
        Self {
            refused: 0,
            max: limits.max_refused_renegotiations,
        }
    }

    /// Refuses one more attempt with a no_renegotiation warning (RFC
    /// 5246 §7.2.2), or fails with [`Error::LimitExceeded`] past the
    /// bound.
    pub(crate) fn refuse(&mut self, common: &mut dyn HandshakeIo) -> Result<(), Error> {
        self.refused += 1;
        if self.refused > self.max {
            return Err(Error::LimitExceeded(LimitExceededReason::Renegotiations));
        }
        common.send_warning(AlertDescription::NoRenegotiation)
    }
}

/// Decodes a message under the negotiated version's syntax.
pub(crate) fn decode(
    message: &crate::common_state::ReceivedHandshake,
    params: &Params,
) -> Result<HandshakeMessage, Error> {
    HandshakeMessage::decode(message.typ, message.body()?, &params.decode_context())
}
