//! Private signing keys: loading them from PKCS#8 (RFC 5208 / RFC 5958),
//! PKCS#1 (RFC 8017 §A.1.2) and SEC1 (RFC 5915) DER, and signing under a
//! [`SignatureAlgorithm`] or a TLS [`SignatureScheme`].
//!
//! ring signs everything it can: RSASSA-PSS and PKCS#1 v1.5 with SHA-2
//! (moduli of 2048–4096 bits), ECDSA P-256/SHA-256 and P-384/SHA-384, and
//! Ed25519. ring's random generator is sealed, so ring's RSA-PSS and ECDSA
//! signatures draw on ring's own `SystemRandom`, not on an injected RNG.
//! `p521` signs ECDSA on P-521, which ring lacks, with deterministic nonces
//! (RFC 6979), so it needs no generator.
//! Behind the `legacy` feature the `rsa` crate signs what ring cannot
//! (PKCS#1 v1.5 with SHA-1, the TLS 1.0/1.1 MD5‖SHA-1 signature without
//! DigestInfo, and every RSA algorithm for moduli of 4097–8192 bits, with
//! blinding from the operating system), and `p256`/`p384` sign ECDSA over
//! SHA-1 and, in TLS 1.2, over the SHA-2 hashes other than the curve's own
//! (deterministic nonces, RFC 6979; a digest longer than the curve order
//! is cut to its length, FIPS 186-5 §6.4.1). ring signs P-256 with
//! SHA-256 and P-384 with SHA-384 only, so without `legacy` a TLS 1.2
//! handshake signs those curves with their own hash alone.
//!
//! Key material is zeroized on drop where the crate holding it allows:
//! the `rsa` crate's and `p256`/`p384`/`p521`'s keys are; ring's key
//! pairs offer no zeroization.
//!
//! Errors: key bytes that do not parse, or a key type, curve or size this
//! crate does not sign with, is [`Error::Crypto`] (a local problem, sent as
//! `internal_error` if it ever reaches the wire); so is asking a key for an
//! algorithm or scheme it cannot sign with.

use crate::crypto::hash::HashAlgorithm;
use crate::crypto::kx::P521_SCALAR_LEN;
use crate::crypto::rsa_pss;
use crate::crypto::verify::{
    algorithm_for_scheme, key_fits_algorithm, key_fits_scheme, key_fits_tls12_scheme, PublicKey,
    SignatureAlgorithm,
};
use crate::der::{bit_length, tag, Der};
use crate::error::{CryptoReason, DecodeReason, Error};
use crate::msgs::enums::SignatureScheme;
use ring::rand::SystemRandom;
use ring::signature::{self as ring_sig, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RsaKeyPair};

/// The smallest RSA modulus, in bits, this crate signs with: ring's lower
/// bound for private keys and the 112-bit floor of NIST SP 800-131A.
pub const MIN_RSA_SIGNING_BITS: usize = 2048;

/// The largest RSA modulus, in bits, ring signs with; larger keys need the
/// `legacy` feature (the `rsa` crate signs them).
pub const MAX_RING_RSA_SIGNING_BITS: usize = 4096;

/// The largest RSA modulus, in bits, this crate signs with at all (with
/// feature `legacy`), matching [`crate::crypto::verify::MAX_RSA_VERIFY_BITS`].
pub const MAX_RSA_SIGNING_BITS: usize = 8192;

/// DER contents of the rsaEncryption OID 1.2.840.113549.1.1.1 (RFC 8017
/// Appendix C).
const OID_RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// DER contents of id-RSASSA-PSS 1.2.840.113549.1.1.10 (RFC 4055 §3.1),
/// the OID of RSA keys that only sign with RSASSA-PSS.
const OID_RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
/// DER contents of id-ecPublicKey 1.2.840.10045.2.1 (RFC 5480 §2.1.1).
const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// DER contents of secp256r1 1.2.840.10045.3.1.7 (RFC 5480 §2.1.1.1).
const OID_SECP256R1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// DER contents of secp384r1 1.3.132.0.34 (RFC 5480 §2.1.1.1).
const OID_SECP384R1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// DER contents of secp521r1 1.3.132.0.35 (RFC 5480 §2.1.1.1).
const OID_SECP521R1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
/// DER contents of id-Ed25519 1.3.101.112 (RFC 8410 §3).
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// A private key that signs TLS handshakes and certificates.
pub struct SigningKey {
    kind: KeyKind,
    /// The public half, derived once when the key is loaded: handshakes
    /// consult it to pick and check schemes.
    public: PublicKey,
    /// An id-RSASSA-PSS key's RSASSA-PSS-params as loaded (the SEQUENCE's
    /// contents, RFC 4055 §3.1), so its SubjectPublicKeyInfo names the
    /// key as it was made ([`Self::pss_parameters`]).
    pss_parameters: Option<Vec<u8>>,
}

enum KeyKind {
    Rsa(RsaSigner),
    Ecdsa(EcdsaSigner),
    EcdsaP521(p521::ecdsa::SigningKey),
    Ed25519(Ed25519KeyPair),
}

struct RsaSigner {
    /// ring's key pair; `None` for moduli above `MAX_RING_RSA_SIGNING_BITS`.
    ring: Option<RsaKeyPair>,
    public: Vec<u8>,
    #[cfg(feature = "legacy")]
    legacy: rsa::PrivateKey,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    /// The hash the curve pairs with in TLS 1.3 (RFC 8446 §4.2.3), which
    /// ring signs P-256 and P-384 with.
    fn hash(self) -> HashAlgorithm {
        match self {
            Self::P256 => HashAlgorithm::Sha256,
            Self::P384 => HashAlgorithm::Sha384,
            Self::P521 => HashAlgorithm::Sha512,
        }
    }

    /// The [`PublicKey`] of this curve with the uncompressed `point`.
    fn public_key(self, point: Vec<u8>) -> PublicKey {
        match self {
            Self::P256 => PublicKey::EcdsaP256(point),
            Self::P384 => PublicKey::EcdsaP384(point),
            Self::P521 => PublicKey::EcdsaP521(point),
        }
    }
}

/// An ECDSA key on a curve ring signs with (P-256, P-384).
struct EcdsaSigner {
    curve: Curve,
    ring: EcdsaKeyPair,
    #[cfg(feature = "legacy")]
    legacy: legacy::EcdsaKey,
}

impl EcdsaSigner {
    /// Whether this key can make an ECDSA signature over `hash`: ring's
    /// over the curve's own hash, the RustCrypto crates' over any other
    /// (feature `legacy`).
    fn signs_with(&self, hash: HashAlgorithm) -> bool {
        hash == self.curve.hash() || cfg!(feature = "legacy")
    }

    /// ECDSA over `hash` of `message`, DER-encoded (RFC 8422 §5.4);
    /// [`Self::signs_with`] says which hashes succeed.
    fn sign(&self, hash: HashAlgorithm, message: &[u8]) -> Result<Vec<u8>, Error> {
        if hash == self.curve.hash() {
            return self
                .ring
                .sign(&SystemRandom::new(), message)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| Error::Crypto(CryptoReason::SigningFailed));
        }
        #[cfg(feature = "legacy")]
        return self.legacy.sign_prehash(hash, message);
        #[cfg(not(feature = "legacy"))]
        Err(UNFIT)
    }
}

impl core::fmt::Debug for SigningKey {
    /// Names the key type only; never prints key material.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let kind = match &self.kind {
            KeyKind::Rsa(_) if matches!(self.public, PublicKey::RsaPss { .. }) => "RSA-PSS",
            KeyKind::Rsa(_) => "RSA",
            KeyKind::Ecdsa(e) if e.curve == Curve::P256 => "ECDSA P-256",
            KeyKind::Ecdsa(_) => "ECDSA P-384",
            KeyKind::EcdsaP521(_) => "ECDSA P-521",
            KeyKind::Ed25519(_) => "Ed25519",
        };
        write!(f, "SigningKey({kind})")
    }
}

fn bad_key(why: CryptoReason) -> impl Fn(Error) -> Error {
    move |_| Error::Crypto(why)
}

impl SigningKey {
    /// Loads a PKCS#8 `PrivateKeyInfo` / `OneAsymmetricKey` (RFC 5208 §5,
    /// RFC 5958 §2) holding an RSA, EC P-256/P-384/P-521 or Ed25519 key.
    /// An RSA key under the id-RSASSA-PSS OID (as `openssl genpkey
    /// -algorithm RSA-PSS` writes it) signs with RSASSA-PSS only, and with
    /// its parameters' hash only if it has parameters (RFC 4055 §3.1):
    /// `rsa_pss_pss_*` in TLS (RFC 8446 §4.2.3).
    ///
    /// Fails with [`Error::Crypto`] when the bytes do not parse, name
    /// another algorithm or curve, or hold an inconsistent or unsupported
    /// key (RSA sizes: `MIN_RSA_SIGNING_BITS` to `MAX_RSA_SIGNING_BITS`;
    /// EC keys must carry their public key, as ring requires).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, Error> {
        let parts = pkcs8_parts(der).map_err(bad_key(CryptoReason::MalformedPkcs8Key))?;
        match parts.algorithm {
            OID_RSA_ENCRYPTION => Self::from_pkcs1_der(parts.private_key),
            OID_RSASSA_PSS => {
                let hash = rsa_pss::key_hash(parts.pss_parameters)
                    .map_err(|_| Error::Crypto(CryptoReason::RsaPssKeyParameters))?;
                let mut key = Self::from_pkcs1_der(parts.private_key)?;
                key.public = PublicKey::RsaPss {
                    key: key.public.as_bytes().to_vec(),
                    hash,
                };
                key.pss_parameters = parts.pss_parameters.map(<[u8]>::to_vec);
                Ok(key)
            }
            OID_EC_PUBLIC_KEY => {
                let curve = parts
                    .parameters
                    .and_then(curve_for_oid)
                    .ok_or(Error::Crypto(CryptoReason::Pkcs8Curve))?;
                Self::from_sec1(parts.private_key, Some(curve))
            }
            OID_ED25519 => Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
                .map(|k| Self::with_kind(KeyKind::Ed25519(k)))
                .map_err(|_| Error::Crypto(CryptoReason::InvalidEd25519Key)),
            _ => Err(Error::Crypto(CryptoReason::Pkcs8Algorithm)),
        }
    }

    /// Loads a PKCS#1 `RSAPrivateKey` (RFC 8017 §A.1.2).
    ///
    /// Fails with [`Error::Crypto`] when it does not parse, is inconsistent,
    /// or its modulus lies outside `MIN_RSA_SIGNING_BITS` to
    /// `MAX_RING_RSA_SIGNING_BITS` (`MAX_RSA_SIGNING_BITS` with feature
    /// `legacy`).
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self, Error> {
        let bits = pkcs1_modulus_bits(der).map_err(bad_key(CryptoReason::MalformedRsaKey))?;
        if !(MIN_RSA_SIGNING_BITS..=MAX_RSA_SIGNING_BITS).contains(&bits) {
            return Err(Error::Crypto(CryptoReason::RsaSigningKeySize));
        }
        #[cfg(feature = "legacy")]
        let legacy = legacy::rsa_key(der)?;
        let ring = if bits <= MAX_RING_RSA_SIGNING_BITS {
            Some(
                RsaKeyPair::from_der(der)
                    .map_err(|_| Error::Crypto(CryptoReason::InvalidRsaKey))?,
            )
        } else {
            None
        };
        let public = match &ring {
            Some(pair) => pair.public().as_ref().to_vec(),
            #[cfg(feature = "legacy")]
            None => legacy::rsa_public_der(&legacy)?,
            #[cfg(not(feature = "legacy"))]
            None => return Err(Error::Crypto(CryptoReason::RsaSigningKeyNeedsLegacy)),
        };
        Ok(Self::with_kind(KeyKind::Rsa(RsaSigner {
            ring,
            public,
            #[cfg(feature = "legacy")]
            legacy,
        })))
    }

    /// Loads an RFC 5915 `ECPrivateKey` (the "SEC1" form OpenSSL writes as
    /// `EC PRIVATE KEY`) on P-256, P-384 or P-521.
    ///
    /// The curve comes from the `parameters` field, or from the private
    /// key's length when that is absent. Fails with [`Error::Crypto`] when
    /// the key does not parse, is on another curve, lacks the optional
    /// `publicKey` field (ring needs it; P-521 keys are held to the same
    /// rule), or does not match it.
    pub fn from_sec1_der(der: &[u8]) -> Result<Self, Error> {
        Self::from_sec1(der, None)
    }

    fn from_sec1(der: &[u8], expected: Option<Curve>) -> Result<Self, Error> {
        let parts = sec1_parts(der).map_err(bad_key(CryptoReason::MalformedEcKey))?;
        let curve = match (parts.curve, expected) {
            (Some(named), Some(wanted)) if named != wanted => {
                return Err(Error::Crypto(CryptoReason::EcKeyCurveMismatch))
            }
            (Some(c), _) | (None, Some(c)) => c,
            (None, None) => match parts.scalar.len() {
                32 => Curve::P256,
                48 => Curve::P384,
                P521_SCALAR_LEN => Curve::P521,
                _ => return Err(Error::Crypto(CryptoReason::EcKeyUnknownCurve)),
            },
        };
        let public = parts
            .public
            .ok_or(Error::Crypto(CryptoReason::EcKeyWithoutPublic))?;
        let alg = match curve {
            Curve::P256 => &ring_sig::ECDSA_P256_SHA256_ASN1_SIGNING,
            Curve::P384 => &ring_sig::ECDSA_P384_SHA384_ASN1_SIGNING,
            Curve::P521 => return Self::from_p521_scalar(parts.scalar, public),
        };
        let ring = EcdsaKeyPair::from_private_key_and_public_key(
            alg,
            parts.scalar,
            public,
            &SystemRandom::new(),
        )
        .map_err(|_| Error::Crypto(CryptoReason::InvalidEcKey))?;
        Ok(Self::with_kind(KeyKind::Ecdsa(EcdsaSigner {
            curve,
            ring,
            #[cfg(feature = "legacy")]
            legacy: legacy::EcdsaKey::new(curve, parts.scalar)?,
        })))
    }

    /// A P-521 key from its RFC 5915 scalar, checked against the public
    /// point the key file carries.
    fn from_p521_scalar(scalar: &[u8], public: &[u8]) -> Result<Self, Error> {
        let invalid = || Error::Crypto(CryptoReason::InvalidEcKey);
        let key = p521::ecdsa::SigningKey::from_slice(scalar).map_err(|_| invalid())?;
        if key.verifying_key().to_sec1_point(false).as_bytes() != public {
            return Err(invalid());
        }
        Ok(Self::with_kind(KeyKind::EcdsaP521(key)))
    }

    fn with_kind(kind: KeyKind) -> Self {
        let public = match &kind {
            KeyKind::Rsa(r) => PublicKey::Rsa(r.public.clone()),
            KeyKind::Ecdsa(e) => e.curve.public_key(e.ring.public_key().as_ref().to_vec()),
            KeyKind::EcdsaP521(k) => {
                Curve::P521.public_key(k.verifying_key().to_sec1_point(false).as_bytes().to_vec())
            }
            KeyKind::Ed25519(k) => PublicKey::Ed25519(k.public_key().as_ref().to_vec()),
        };
        Self {
            kind,
            public,
            pss_parameters: None,
        }
    }

    /// The RSASSA-PSS-params of an id-RSASSA-PSS key that has them, as
    /// loaded (the SEQUENCE's contents): the hash, the mask generation and
    /// the minimum salt length its maker chose (RFC 4055 §3.1), which a
    /// SubjectPublicKeyInfo of the key must repeat as they are.
    pub fn pss_parameters(&self) -> Option<&[u8]> {
        self.pss_parameters.as_deref()
    }

    /// The public half, in the form certificates carry it.
    pub fn public_key(&self) -> PublicKey {
        self.public.clone()
    }

    /// The public half, borrowed.
    pub(crate) fn public(&self) -> &PublicKey {
        &self.public
    }

    /// The TLS signature schemes this key can sign with, most preferred
    /// first (RFC 8446 §4.2.3; the SHA-1 schemes of RFC 5246 §7.4.1.4.1
    /// last, with feature `legacy`).
    pub fn schemes(&self) -> Vec<SignatureScheme> {
        self.scheme_preference().collect()
    }

    /// [`SigningKey::schemes`] without collecting them: what a handshake
    /// choosing one scheme per ClientHello walks, so the choice does not
    /// allocate. An ECDSA key keeps the scheme of its own curve (and
    /// `ecdsa_sha1`), the binding TLS 1.3 requires (RFC 8446 §4.2.3); TLS
    /// 1.2 walks [`Self::tls12_scheme_preference`].
    pub(crate) fn scheme_preference(&self) -> impl Iterator<Item = SignatureScheme> + Clone + '_ {
        self.candidates()
            .iter()
            .copied()
            .filter(move |&s| key_fits_scheme(&self.public, s))
    }

    /// The schemes this key signs with in TLS 1.2, most preferred first:
    /// [`Self::scheme_preference`], except that an ECDSA key also takes
    /// the ECDSA schemes of other curves, which in TLS 1.2 name only a
    /// hash (RFC 5246 §7.4.1.4.1; RFC 8446 §4.2.3 binds the curve in TLS
    /// 1.3 alone): its curve's own hash first, then the stronger SHA-2
    /// hashes, then the weaker, SHA-1 last, each one the key can make
    /// (without feature `legacy`, P-256 and P-384 keep their own hash)
    /// and [`verify_tls12`](crate::crypto::verify::verify_tls12) checks.
    pub(crate) fn tls12_scheme_preference(
        &self,
    ) -> impl Iterator<Item = SignatureScheme> + Clone + '_ {
        self.candidates()
            .iter()
            .copied()
            .filter(move |&s| self.signs_tls12(s).is_some())
    }

    /// The schemes a key of this type might sign with, most preferred
    /// first; the preferences above keep those that fit.
    fn candidates(&self) -> &'static [SignatureScheme] {
        use SignatureScheme as S;
        let ecdsa = |curve| -> &'static [SignatureScheme] {
            match curve {
                Curve::P256 => &[
                    S::ecdsa_secp256r1_sha256,
                    S::ecdsa_secp384r1_sha384,
                    S::ecdsa_secp521r1_sha512,
                    S::ecdsa_sha1,
                ],
                Curve::P384 => &[
                    S::ecdsa_secp384r1_sha384,
                    S::ecdsa_secp521r1_sha512,
                    S::ecdsa_secp256r1_sha256,
                    S::ecdsa_sha1,
                ],
                Curve::P521 => &[
                    S::ecdsa_secp521r1_sha512,
                    S::ecdsa_secp384r1_sha384,
                    S::ecdsa_secp256r1_sha256,
                ],
            }
        };
        match &self.kind {
            KeyKind::Rsa(_) => &[
                S::rsa_pss_pss_sha256,
                S::rsa_pss_pss_sha384,
                S::rsa_pss_pss_sha512,
                S::rsa_pss_rsae_sha256,
                S::rsa_pss_rsae_sha384,
                S::rsa_pss_rsae_sha512,
                S::rsa_pkcs1_sha256,
                S::rsa_pkcs1_sha384,
                S::rsa_pkcs1_sha512,
                S::rsa_pkcs1_sha1,
            ],
            KeyKind::Ecdsa(ec) => ecdsa(ec.curve),
            KeyKind::EcdsaP521(_) => ecdsa(Curve::P521),
            KeyKind::Ed25519(_) => &[S::ed25519],
        }
    }

    /// The algorithm `scheme` means when this key signs a TLS 1.2
    /// handshake with it ([`Self::tls12_scheme_preference`]), `None` when
    /// it cannot.
    fn signs_tls12(&self, scheme: SignatureScheme) -> Option<SignatureAlgorithm> {
        let algorithm =
            algorithm_for_scheme(scheme).filter(|_| key_fits_tls12_scheme(&self.public, scheme))?;
        match (&self.kind, algorithm) {
            (KeyKind::Ecdsa(ec), SignatureAlgorithm::Ecdsa(hash)) => {
                ec.signs_with(hash).then_some(algorithm)
            }
            _ => Some(algorithm),
        }
    }

    /// Signs `message` (the function hashes it) under `algorithm`.
    ///
    /// Returns the signature in the encoding TLS and X.509 carry (RSA: the
    /// modulus-length integer; ECDSA: DER `Ecdsa-Sig-Value`; Ed25519: 64
    /// bytes). Fails with [`Error::Crypto`] when this key cannot sign with
    /// `algorithm` (another key type, ECDSA on P-256/P-384 with a hash
    /// other than the curve's own or SHA-1, SHA-1 without feature `legacy`
    /// or on P-521) or the primitive fails. P-521 signs over SHA-256,
    /// SHA-384 or SHA-512. An id-RSASSA-PSS key signs with RSASSA-PSS
    /// only, under its parameters' hash if it has them.
    pub fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>, Error> {
        use HashAlgorithm as H;
        use SignatureAlgorithm as A;
        let rng = SystemRandom::new();
        let failed = |_| Error::Crypto(CryptoReason::SigningFailed);
        match (&self.kind, algorithm) {
            (KeyKind::Rsa(rsa), _) if key_fits_algorithm(&self.public, algorithm) => {
                let padding: Option<&'static dyn ring_sig::RsaEncoding> = match algorithm {
                    A::RsaPkcs1(H::Sha256) => Some(&ring_sig::RSA_PKCS1_SHA256),
                    A::RsaPkcs1(H::Sha384) => Some(&ring_sig::RSA_PKCS1_SHA384),
                    A::RsaPkcs1(H::Sha512) => Some(&ring_sig::RSA_PKCS1_SHA512),
                    A::RsaPss(H::Sha256) => Some(&ring_sig::RSA_PSS_SHA256),
                    A::RsaPss(H::Sha384) => Some(&ring_sig::RSA_PSS_SHA384),
                    A::RsaPss(H::Sha512) => Some(&ring_sig::RSA_PSS_SHA512),
                    _ => None,
                };
                match (&rsa.ring, padding) {
                    (Some(pair), Some(padding)) => {
                        let mut signature = vec![0; pair.public().modulus_len()];
                        pair.sign(padding, &rng, message, &mut signature)
                            .map_err(failed)?;
                        Ok(signature)
                    }
                    #[cfg(feature = "legacy")]
                    _ => legacy::sign_rsa(&rsa.legacy, algorithm, message),
                    #[cfg(not(feature = "legacy"))]
                    _ => Err(UNFIT),
                }
            }
            (KeyKind::Ecdsa(ec), A::Ecdsa(hash)) if hash == ec.curve.hash() || hash == H::Sha1 => {
                ec.sign(hash, message)
            }
            (KeyKind::EcdsaP521(k), A::Ecdsa(hash @ (H::Sha256 | H::Sha384 | H::Sha512))) => {
                use p521::ecdsa::signature::hazmat::PrehashSigner;
                let signature: p521::ecdsa::DerSignature = k
                    .sign_prehash(hash.hash(message).as_ref())
                    .map_err(|_| Error::Crypto(CryptoReason::SigningFailed))?;
                Ok(signature.as_bytes().to_vec())
            }
            (KeyKind::Ed25519(k), A::Ed25519) => Ok(k.sign(message).as_ref().to_vec()),
            _ => Err(UNFIT),
        }
    }

    /// The RSA private key, for RSA key exchange
    /// ([`crate::crypto::rsa_kx`]); `None` for other key types and for
    /// id-RSASSA-PSS keys, which only sign (RFC 4055 §3.1).
    #[cfg(feature = "legacy")]
    pub(crate) fn rsa_private_key(&self) -> Option<&rsa::PrivateKey> {
        match &self.kind {
            KeyKind::Rsa(rsa) if matches!(self.public, PublicKey::Rsa(_)) => Some(&rsa.legacy),
            _ => None,
        }
    }

    /// Signs `message` under a TLS [`SignatureScheme`], which must be one of
    /// [`SigningKey::schemes`] (so the scheme's curve binding of RFC 8446
    /// §4.2.3 holds). Fails with [`Error::Crypto`] otherwise, or when the
    /// primitive fails.
    pub fn sign_scheme(&self, scheme: SignatureScheme, message: &[u8]) -> Result<Vec<u8>, Error> {
        let algorithm = algorithm_for_scheme(scheme)
            .filter(|_| key_fits_scheme(&self.public, scheme))
            .ok_or(UNFIT)?;
        self.sign(algorithm, message)
    }

    /// Signs a TLS 1.2 ServerKeyExchange or CertificateVerify (RFC 5246
    /// §4.7) under `scheme`, which must be one of
    /// [`Self::tls12_scheme_preference`]: an ECDSA scheme names only its
    /// hash, so a P-256 key may sign under `ecdsa_secp384r1_sha384`.
    /// Fails with [`Error::Crypto`] otherwise, or when the primitive
    /// fails.
    pub(crate) fn sign_tls12(
        &self,
        scheme: SignatureScheme,
        message: &[u8],
    ) -> Result<Vec<u8>, Error> {
        let algorithm = self.signs_tls12(scheme).ok_or(UNFIT)?;
        match (&self.kind, algorithm) {
            (KeyKind::Ecdsa(ec), SignatureAlgorithm::Ecdsa(hash)) => ec.sign(hash, message),
            _ => self.sign(algorithm, message),
        }
    }
}

/// The error for a signing request the key cannot serve.
const UNFIT: Error = Error::Crypto(CryptoReason::KeyCannotSignAlgorithm);

/// The fields of a PKCS#8 `PrivateKeyInfo` this crate reads.
struct Pkcs8Parts<'a> {
    /// The algorithm OID's contents.
    algorithm: &'a [u8],
    /// The OID in the algorithm parameters, when the parameters are one.
    parameters: Option<&'a [u8]>,
    /// The contents of the algorithm parameters when they are a SEQUENCE
    /// (an id-RSASSA-PSS key's RSASSA-PSS-params, RFC 4055 §3.1).
    pss_parameters: Option<&'a [u8]>,
    /// The algorithm-specific private key inside the OCTET STRING.
    private_key: &'a [u8],
}

fn pkcs8_parts(input: &[u8]) -> Result<Pkcs8Parts<'_>, Error> {
    let mut info = Der::whole(input, tag::SEQUENCE)?;
    if !matches!(info.small_unsigned()?, 0 | 1) {
        return Err(Error::Decode(DecodeReason::Pkcs8Version));
    }
    let mut alg_id = info.nested(tag::SEQUENCE)?;
    let algorithm = alg_id.oid()?;
    // EC keys name their curve here (RFC 5480 §2.1.1); RSA has NULL and
    // Ed25519 nothing, which the loaders do not need.
    let parameters = alg_id.optional(tag::OID)?;
    let pss_parameters = alg_id.optional(tag::SEQUENCE)?;
    let private_key = info.read(tag::OCTET_STRING)?;
    // Optional attributes and, in v2, the public key may follow; the
    // loaders check the key pair themselves.
    Ok(Pkcs8Parts {
        algorithm,
        parameters,
        pss_parameters,
        private_key,
    })
}

fn curve_for_oid(oid: &[u8]) -> Option<Curve> {
    match oid {
        OID_SECP256R1 => Some(Curve::P256),
        OID_SECP384R1 => Some(Curve::P384),
        OID_SECP521R1 => Some(Curve::P521),
        _ => None,
    }
}

/// The modulus length in bits of a PKCS#1 `RSAPrivateKey`.
fn pkcs1_modulus_bits(input: &[u8]) -> Result<usize, Error> {
    let mut key = Der::whole(input, tag::SEQUENCE)?;
    if key.small_unsigned()? != 0 {
        return Err(Error::Decode(DecodeReason::RsaKeyVersion));
    }
    Ok(bit_length(key.positive_integer()?))
}

/// The fields of an RFC 5915 `ECPrivateKey`.
struct Sec1Parts<'a> {
    scalar: &'a [u8],
    /// `Some(curve)` when the parameters name a curve this crate knows.
    curve: Option<Curve>,
    public: Option<&'a [u8]>,
}

fn sec1_parts(input: &[u8]) -> Result<Sec1Parts<'_>, Error> {
    let mut key = Der::whole(input, tag::SEQUENCE)?;
    if key.small_unsigned()? != 1 {
        return Err(Error::Decode(DecodeReason::EcKeyVersion));
    }
    let scalar = key.read(tag::OCTET_STRING)?;
    let curve = match key.optional(tag::context_constructed(0))? {
        Some(params) => {
            let mut params = Der::new(params);
            let oid = params.oid()?;
            params.finish()?;
            Some(curve_for_oid(oid).ok_or(Error::Decode(DecodeReason::EcKeyCurve))?)
        }
        None => None,
    };
    let public = match key.optional(tag::context_constructed(1))? {
        Some(wrapped) => {
            let mut wrapped = Der::new(wrapped);
            let point = wrapped.bit_string()?.octets()?;
            wrapped.finish()?;
            Some(point)
        }
        None => None,
    };
    key.finish()?;
    Ok(Sec1Parts {
        scalar,
        curve,
        public,
    })
}

#[cfg(feature = "legacy")]
mod legacy {
    //! The signatures ring cannot make, with the RustCrypto crates.

    use super::{Curve, UNFIT};
    use crate::crypto::hash::HashAlgorithm;
    use crate::crypto::verify::SignatureAlgorithm;
    use crate::error::{CryptoReason, Error};
    use p256::ecdsa::signature::hazmat::PrehashSigner;

    /// The DER DigestInfo prefix for SHA-1 (RFC 8017 §9.2, note 1).
    const SHA1_DIGEST_INFO_PREFIX: &[u8] = &[
        0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
    ];

    pub(super) fn rsa_key(der: &[u8]) -> Result<rsa::PrivateKey, Error> {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        rsa::PrivateKey::from_pkcs1_der(der).map_err(|_| Error::Crypto(CryptoReason::InvalidRsaKey))
    }

    pub(super) fn rsa_public_der(key: &rsa::PrivateKey) -> Result<Vec<u8>, Error> {
        use rsa::pkcs1::EncodeRsaPublicKey;
        key.as_public_key()
            .to_pkcs1_der()
            .map(|doc| doc.as_bytes().to_vec())
            .map_err(|_| Error::Crypto(CryptoReason::RsaPublicKeyEncoding))
    }

    /// RSA signing for what ring lacks: SHA-1, MD5‖SHA-1 without DigestInfo
    /// (RFC 2246 §7.4.3), and every algorithm for moduli above 4096 bits.
    /// The `rsa` crate blinds the private operation with the OS RNG.
    pub(super) fn sign_rsa(
        key: &rsa::PrivateKey,
        algorithm: SignatureAlgorithm,
        message: &[u8],
    ) -> Result<Vec<u8>, Error> {
        use rsa::sha2::{Sha256, Sha384, Sha512};
        use rsa::Pkcs1v15Sign;
        use HashAlgorithm as H;
        use SignatureAlgorithm as A;
        let digest = |h: HashAlgorithm| h.hash(message);
        let result = match algorithm {
            A::RsaPkcs1Md5Sha1 => {
                key.sign(Pkcs1v15Sign::new_unprefixed(), digest(H::Md5Sha1).as_ref())
            }
            A::RsaPkcs1(H::Sha1) => key.sign(
                Pkcs1v15Sign {
                    hash_len: Some(H::Sha1.output_len()),
                    prefix: SHA1_DIGEST_INFO_PREFIX.into(),
                },
                digest(H::Sha1).as_ref(),
            ),
            A::RsaPkcs1(H::Sha256) => {
                key.sign(Pkcs1v15Sign::new::<Sha256>(), digest(H::Sha256).as_ref())
            }
            A::RsaPkcs1(H::Sha384) => {
                key.sign(Pkcs1v15Sign::new::<Sha384>(), digest(H::Sha384).as_ref())
            }
            A::RsaPkcs1(H::Sha512) => {
                key.sign(Pkcs1v15Sign::new::<Sha512>(), digest(H::Sha512).as_ref())
            }
            A::RsaPss(H::Sha256) => key.sign(rsa::Pss::<Sha256>::new(), digest(H::Sha256).as_ref()),
            A::RsaPss(H::Sha384) => key.sign(rsa::Pss::<Sha384>::new(), digest(H::Sha384).as_ref()),
            A::RsaPss(H::Sha512) => key.sign(rsa::Pss::<Sha512>::new(), digest(H::Sha512).as_ref()),
            _ => return Err(UNFIT),
        };
        result.map_err(|_| Error::Crypto(CryptoReason::SigningFailed))
    }

    /// The EC private scalar in the RustCrypto form, for the hashes ring
    /// does not pair with the curve.
    pub(super) enum EcdsaKey {
        P256(p256::ecdsa::SigningKey),
        P384(p384::ecdsa::SigningKey),
    }

    impl EcdsaKey {
        pub(super) fn new(curve: Curve, scalar: &[u8]) -> Result<Self, Error> {
            let bad = |_| Error::Crypto(CryptoReason::InvalidEcKey);
            Ok(match curve {
                Curve::P256 => {
                    Self::P256(p256::ecdsa::SigningKey::from_slice(scalar).map_err(bad)?)
                }
                Curve::P384 => {
                    Self::P384(p384::ecdsa::SigningKey::from_slice(scalar).map_err(bad)?)
                }
                // P-521 keys are `KeyKind::EcdsaP521`, which `p521` signs
                // alone; ECDSA over SHA-1 is not offered with them.
                Curve::P521 => return Err(UNFIT),
            })
        }

        /// ECDSA over `hash` of `message` with a DER signature (RFC 4492
        /// §5.4, RFC 5758 §3.2), nonce per RFC 6979: SHA-1, or a SHA-2
        /// hash other than the curve's own in TLS 1.2, whose digest the
        /// crates cut to the curve order's length when longer (FIPS 186-5
        /// §6.4.1).
        pub(super) fn sign_prehash(
            &self,
            hash: HashAlgorithm,
            message: &[u8],
        ) -> Result<Vec<u8>, Error> {
            let digest = hash.hash(message);
            let failed = |_| Error::Crypto(CryptoReason::SigningFailed);
            Ok(match self {
                Self::P256(k) => {
                    let sig: p256::ecdsa::DerSignature =
                        k.sign_prehash(digest.as_ref()).map_err(failed)?;
                    sig.as_bytes().to_vec()
                }
                Self::P384(k) => {
                    let sig: p384::ecdsa::DerSignature =
                        k.sign_prehash(digest.as_ref()).map_err(failed)?;
                    sig.as_bytes().to_vec()
                }
            })
        }
    }
}
