//! Signature verification: public keys as certificates carry them, the
//! signature algorithms X.509 and TLS name, and the one [`verify`] function
//! both use.
//!
//! ring verifies everything it can: RSA PKCS#1 v1.5 with SHA-2 (and SHA-1
//! under `legacy`), RSASSA-PSS, ECDSA with SHA-256/384 on P-256 and P-384,
//! and Ed25519. RSA keys under the id-RSASSA-PSS OID (RFC 4055 §3.1) are
//! verified by ring's RSASSA-PSS verifiers from their RSAPublicKey, within
//! the hash their parameters bind. `p521` verifies ECDSA on P-521 (with SHA-256/384/512),
//! which ring lacks. Behind the `legacy` feature the `rsa` crate verifies
//! the TLS 1.0/1.1 RSA signature over MD5‖SHA-1 without DigestInfo (RFC
//! 2246 §7.4.3, RFC 4346 §7.4.3), and `p256`/`p384` verify ECDSA over
//! SHA-1, which ring does not offer.
//!
//! Errors: a signature that does not verify is [`Error::DecryptError`]
//! (RFC 8446 §4.4.3 names `decrypt_error`). A key and algorithm that cannot
//! go together, an algorithm this crate does not support, a key that does
//! not parse or an RSA key outside the accepted sizes is
//! [`Error::IllegalParameter`]. ring reports a well-formed EC point that is
//! not on its curve like a bad signature, so that case is a `DecryptError`.

use crate::crypto::hash::HashAlgorithm;
use crate::der::{bit_length, tag, Der, DerError};
use crate::error::{DecryptErrorReason, Error, IllegalParameterReason};
use crate::msgs::enums::SignatureScheme;
use ring::signature as ring_sig;

/// The smallest RSA modulus, in bits, accepted for verification with every
/// algorithm except the legacy ones: ring's `RSA_*_2048_8192_*` verifiers,
/// in line with the 112-bit security floor of NIST SP 800-131A that
/// RFC 8446 §4.2.3's schemes assume.
pub const MIN_RSA_VERIFY_BITS: usize = 2048;

/// The smallest RSA modulus, in bits, accepted for the legacy algorithms
/// (PKCS#1 v1.5 with SHA-1, and MD5‖SHA-1 for TLS 1.0/1.1, RFC 2246
/// §7.4.3): ring's `RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY` and the
/// `rsa` crate's `PublicKey::MIN_SIZE` both stop at 1024 bits.
pub const MIN_LEGACY_RSA_VERIFY_BITS: usize = 1024;

/// The largest RSA modulus, in bits, accepted for verification: the upper
/// bound of every ring RSA verifier (`RSA_*_*_8192_*`) and of the `rsa`
/// crate's `PublicKey::MAX_SIZE`.
pub const MAX_RSA_VERIFY_BITS: usize = 8192;

/// The length of an uncompressed SEC1 point on P-256 (SEC 1 §2.3.3:
/// `0x04 ‖ x ‖ y`, 32 bytes each), the only form TLS uses (RFC 8446
/// §4.2.8.2, RFC 8422 §5.1.2).
pub const P256_POINT_LEN: usize = 65;

/// The length of an uncompressed SEC1 point on P-384 (48-byte coordinates).
pub const P384_POINT_LEN: usize = 97;

/// The length of an uncompressed SEC1 point on P-521 (66-byte coordinates).
pub const P521_POINT_LEN: usize = 133;

/// The length of an Ed25519 public key (RFC 8032 §5.1.5).
pub const ED25519_PUBLIC_KEY_LEN: usize = 32;

/// A public key as found in a certificate's SubjectPublicKeyInfo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicKey {
    /// RSA: the DER RSAPublicKey (PKCS#1, RFC 8017 §A.1.1) that the SPKI
    /// BIT STRING holds.
    Rsa(Vec<u8>),
    /// ECDSA on P-256: the uncompressed SEC1 point (0x04 ‖ x ‖ y).
    EcdsaP256(Vec<u8>),
    /// ECDSA on P-384: the uncompressed SEC1 point.
    EcdsaP384(Vec<u8>),
    /// ECDSA on P-521: the uncompressed SEC1 point.
    EcdsaP521(Vec<u8>),
    /// Ed25519: the 32-byte key (RFC 8410 §4).
    Ed25519(Vec<u8>),
    /// RSA under the id-RSASSA-PSS OID (RFC 4055 §3.1): a key that only
    /// makes RSASSA-PSS signatures, `rsa_pss_pss_*` in TLS (RFC 8446
    /// §4.2.3), never PKCS#1 v1.5 ones or `rsa_pss_rsae_*`.
    RsaPss {
        /// The DER RSAPublicKey (RFC 8017 §A.1.1).
        key: Vec<u8>,
        /// The hash the key's parameters bind it to; `None` when the key
        /// has no parameters and signs with any hash.
        hash: Option<HashAlgorithm>,
    },
}

impl PublicKey {
    /// The key bytes in the form the variant documents.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Rsa(b)
            | Self::EcdsaP256(b)
            | Self::EcdsaP384(b)
            | Self::EcdsaP521(b)
            | Self::Ed25519(b)
            | Self::RsaPss { key: b, .. } => b,
        }
    }

    /// The modulus length in bits of an RSA key, `None` for other key types.
    ///
    /// Fails with [`Error::IllegalParameter`] when the RSA key is not a DER
    /// `RSAPublicKey` of two positive INTEGERs.
    pub fn rsa_modulus_bits(&self) -> Result<Option<usize>, Error> {
        match self {
            Self::Rsa(der) | Self::RsaPss { key: der, .. } => rsa_modulus_bits(der).map(Some),
            _ => Ok(None),
        }
    }
}

/// A signature algorithm independent of TLS code points (X.509 names these
/// by OID, RFC 4055 / RFC 5758 / RFC 8410; TLS by [`SignatureScheme`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with DigestInfo (RFC 8017 §8.2); SHA-1 only with
    /// feature `legacy`.
    RsaPkcs1(HashAlgorithm),
    /// RSASSA-PSS (RFC 8017 §8.1), MGF1 with the same hash, salt length
    /// equal to the hash length (RFC 8446 §4.2.3).
    RsaPss(HashAlgorithm),
    /// ECDSA with an ASN.1 DER `Ecdsa-Sig-Value` (RFC 5480 §2.2, RFC 8422
    /// §5.4); SHA-1 only with feature `legacy`.
    Ecdsa(HashAlgorithm),
    /// Ed25519 (RFC 8032), over the message itself.
    Ed25519,
    /// TLS 1.0/1.1 RSA: PKCS#1 v1.5 type 1 padding over the 36-byte
    /// MD5‖SHA-1 digest, without DigestInfo (RFC 2246 §7.4.3).
    #[cfg(feature = "legacy")]
    RsaPkcs1Md5Sha1,
}

impl SignatureAlgorithm {
    /// Whether this is one of the legacy algorithms that accept RSA keys
    /// from [`MIN_LEGACY_RSA_VERIFY_BITS`] on.
    fn is_legacy_rsa(self) -> bool {
        match self {
            Self::RsaPkcs1(HashAlgorithm::Sha1) => true,
            #[cfg(feature = "legacy")]
            Self::RsaPkcs1Md5Sha1 => true,
            _ => false,
        }
    }
}

/// TLS: the algorithm a [`SignatureScheme`] means (RFC 8446 §4.2.3, and
/// RFC 5246 §7.4.1.4.1 for the SHA-1 pairs), `None` for schemes this crate
/// does not support (Ed448, unknown values, and the SHA-1 schemes without
/// feature `legacy`). `rsa_pss_rsae_*` and `rsa_pss_pss_*` are the same
/// algorithm; they differ in the key they need (`key_fits_scheme`).
///
/// The result does not bind the ECDSA curve: that is right for TLS 1.2,
/// where `ecdsa_secp256r1_sha256` only means "ECDSA with SHA-256"; TLS 1.3
/// callers use [`verify_scheme`], which adds the binding.
pub fn algorithm_for_scheme(scheme: SignatureScheme) -> Option<SignatureAlgorithm> {
    use HashAlgorithm as H;
    use SignatureAlgorithm as A;
    use SignatureScheme as S;
    Some(match scheme {
        #[cfg(feature = "legacy")]
        S::rsa_pkcs1_sha1 => A::RsaPkcs1(H::Sha1),
        #[cfg(feature = "legacy")]
        S::ecdsa_sha1 => A::Ecdsa(H::Sha1),
        S::rsa_pkcs1_sha256 => A::RsaPkcs1(H::Sha256),
        S::rsa_pkcs1_sha384 => A::RsaPkcs1(H::Sha384),
        S::rsa_pkcs1_sha512 => A::RsaPkcs1(H::Sha512),
        S::rsa_pss_rsae_sha256 => A::RsaPss(H::Sha256),
        S::rsa_pss_rsae_sha384 => A::RsaPss(H::Sha384),
        S::rsa_pss_rsae_sha512 => A::RsaPss(H::Sha512),
        S::rsa_pss_pss_sha256 => A::RsaPss(H::Sha256),
        S::rsa_pss_pss_sha384 => A::RsaPss(H::Sha384),
        S::rsa_pss_pss_sha512 => A::RsaPss(H::Sha512),
        S::ecdsa_secp256r1_sha256 => A::Ecdsa(H::Sha256),
        S::ecdsa_secp384r1_sha384 => A::Ecdsa(H::Sha384),
        S::ecdsa_secp521r1_sha512 => A::Ecdsa(H::Sha512),
        S::ed25519 => A::Ed25519,
        _ => return None,
    })
}

/// Whether `key` may be used with `scheme` under the scheme's own key-type
/// and curve binding (RFC 8446 §4.2.3: `ecdsa_secp256r1_sha256` needs a
/// P-256 key, `ecdsa_secp384r1_sha384` a P-384 key,
/// `ecdsa_secp521r1_sha512` a P-521 key, `rsa_pss_rsae_*` and
/// `rsa_pkcs1_*` an rsaEncryption key, `rsa_pss_pss_*` an id-RSASSA-PSS
/// key whose parameters, if any, name the scheme's hash, `ed25519` an
/// Ed25519 key). The two RSA-PSS families are not interchangeable (RFC
/// 8446 §4.2.3), although their signatures are alike. `ecdsa_sha1`, a
/// TLS 1.2 code point, fits P-256 and P-384.
pub fn key_fits_scheme(key: &PublicKey, scheme: SignatureScheme) -> bool {
    use SignatureScheme as S;
    match scheme {
        S::rsa_pss_rsae_sha256 | S::rsa_pss_rsae_sha384 | S::rsa_pss_rsae_sha512 => {
            matches!(key, PublicKey::Rsa(_))
        }
        S::rsa_pss_pss_sha256 | S::rsa_pss_pss_sha384 | S::rsa_pss_pss_sha512 => {
            matches!(key, PublicKey::RsaPss { .. })
                && algorithm_for_scheme(scheme).is_some_and(|alg| key_fits_algorithm(key, alg))
        }
        S::ecdsa_secp256r1_sha256 => matches!(key, PublicKey::EcdsaP256(_)),
        S::ecdsa_secp384r1_sha384 => matches!(key, PublicKey::EcdsaP384(_)),
        S::ecdsa_secp521r1_sha512 => matches!(key, PublicKey::EcdsaP521(_)),
        _ => algorithm_for_scheme(scheme).is_some_and(|alg| key_fits_algorithm(key, alg)),
    }
}

/// TLS 1.2: whether `key` may carry `scheme` under the one binding RFC
/// 8446 §4.2.3 extends to TLS 1.2 implementations that support RSASSA-PSS:
/// `rsa_pss_rsae_*` needs an rsaEncryption key and `rsa_pss_pss_*` an
/// id-RSASSA-PSS key (with its parameters' hash). Other TLS 1.2 schemes
/// name only an algorithm (an ECDSA scheme binds no curve), so they are
/// left to [`verify`]'s key and algorithm check.
pub fn rsa_pss_family_fits(key: &PublicKey, scheme: SignatureScheme) -> bool {
    use SignatureScheme as S;
    match scheme {
        S::rsa_pss_rsae_sha256
        | S::rsa_pss_rsae_sha384
        | S::rsa_pss_rsae_sha512
        | S::rsa_pss_pss_sha256
        | S::rsa_pss_pss_sha384
        | S::rsa_pss_pss_sha512 => key_fits_scheme(key, scheme),
        _ => true,
    }
}

/// TLS 1.2: whether a signature by `key` under `scheme` is one
/// [`verify_tls12`] checks: an RSA-PSS scheme of the key's own family
/// ([`rsa_pss_family_fits`]), and an algorithm the key verifies with,
/// where an ECDSA scheme names only its hash, on any curve (RFC 5246
/// §7.4.1.4.1; RFC 8446 §4.2.3 binds the curve in TLS 1.3 only). What a
/// TLS 1.2 signer may sign with; the signer adds what it can make.
pub(crate) fn key_fits_tls12_scheme(key: &PublicKey, scheme: SignatureScheme) -> bool {
    rsa_pss_family_fits(key, scheme)
        && algorithm_for_scheme(scheme)
            .is_some_and(|alg| verifier_for(key, alg, Pairing::AnyHash).is_ok())
}

/// TLS 1.2: whether `scheme` may stand in a signature_algorithms list
/// only TLS 1.2 reads (a ClientHello that does not offer TLS 1.3, a TLS
/// 1.2 CertificateRequest): whether [`verify_tls12`] checks its
/// algorithm on P-256 and P-384 keys when it is ECDSA. A TLS 1.2 ECDSA
/// scheme names a hash for every curve (RFC 5246 §7.4.1.4.1, RFC 8446
/// §4.2.3), and the peer may sign with it on either curve, the ones
/// nearly every ECDSA certificate carries. Without feature `legacy` that
/// leaves out `ecdsa_secp521r1_sha512`: ring has no SHA-512 for those
/// curves. A TLS 1.3 offer is not filtered: there the scheme binds
/// P-521, which `p521` checks in every build.
pub(crate) fn tls12_offerable(scheme: SignatureScheme) -> bool {
    match algorithm_for_scheme(scheme) {
        Some(alg @ SignatureAlgorithm::Ecdsa(_)) => [
            PublicKey::EcdsaP256(Vec::new()),
            PublicKey::EcdsaP384(Vec::new()),
        ]
        .iter()
        .all(|key| verifier_for(key, alg, Pairing::AnyHash).is_ok()),
        _ => true,
    }
}

/// Verifies `signature` over `message` (the function hashes `message`)
/// with `key` under `algorithm`.
///
/// `Ok(())` means the signature is valid. A mismatch, or a signature that
/// does not parse, is [`Error::DecryptError`]. An algorithm the key cannot
/// use or this crate does not support, a malformed key, or an RSA key
/// outside `MIN_RSA_VERIFY_BITS` (legacy algorithms:
/// `MIN_LEGACY_RSA_VERIFY_BITS`) to `MAX_RSA_VERIFY_BITS` is
/// [`Error::IllegalParameter`].
///
/// Fuzzing mode (compiled only under `cfg(fuzzing)`, see
/// `docs/fuzzing.md`): the key and algorithm are still checked, but every
/// signature verifies — handshake signatures and certificate signatures
/// alike.
pub fn verify(
    key: &PublicKey,
    algorithm: SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    verify_paired(Pairing::CurveHash, key, algorithm, message, signature)
}

/// TLS 1.2 handshake signatures (ServerKeyExchange, CertificateVerify):
/// [`verify`], and also ECDSA on P-256 or P-384 over SHA-512. TLS 1.2's
/// ECDSA schemes name a hash, not a curve, and RFC 8446 §4.2.3 has an
/// implementation that negotiates TLS 1.2 "accept a signature that uses
/// any curve that they advertised"; ring pairs P-256 and P-384 with
/// SHA-256 and SHA-384 only, so SHA-512 goes to the RustCrypto crates
/// (feature `legacy`). Certificates keep [`verify`]'s pairs.
///
/// Errors as [`verify`].
pub fn verify_tls12(
    key: &PublicKey,
    algorithm: SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    verify_paired(Pairing::AnyHash, key, algorithm, message, signature)
}

/// Which hashes an ECDSA key on P-256 or P-384 is checked with: those
/// certificates pair with its curve (SHA-256 and SHA-384 on either, SHA-1
/// with `legacy`), or, in a TLS 1.2 handshake, also SHA-512
/// ([`verify_tls12`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pairing {
    CurveHash,
    AnyHash,
}

/// Checks `signature` with the verifier `pairing` picks for `key` and
/// `algorithm`, after the key's form.
#[cfg_attr(fuzzing, allow(unreachable_code, unused_variables))]
fn verify_paired(
    pairing: Pairing,
    key: &PublicKey,
    algorithm: SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let verifier = verifier_for(key, algorithm, pairing)?;
    check_key_form(key, algorithm)?;
    #[cfg(fuzzing)]
    return Ok(());
    let mismatch = |_| Error::DecryptError(DecryptErrorReason::BadSignature);
    match verifier {
        Verifier::Ring(alg) => ring_sig::UnparsedPublicKey::new(alg, key.as_bytes())
            .verify(message, signature)
            .map_err(mismatch),
        Verifier::EcdsaP521(hash) => verify_p521(key.as_bytes(), hash, message, signature),
        #[cfg(feature = "legacy")]
        Verifier::RsaMd5Sha1 => legacy::verify_rsa_md5_sha1(key.as_bytes(), message, signature),
        #[cfg(feature = "legacy")]
        Verifier::EcdsaPrehash(hash) => legacy::verify_ecdsa_prehash(key, hash, message, signature),
    }
}

/// TLS: verifies under a [`SignatureScheme`], enforcing the scheme's
/// key-type and curve binding (`key_fits_scheme`, RFC 8446 §4.2.3).
///
/// Errors as [`verify`]; an unsupported scheme or one the key does not fit
/// is [`Error::IllegalParameter`].
pub fn verify_scheme(
    key: &PublicKey,
    scheme: SignatureScheme,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let algorithm = algorithm_for_scheme(scheme).ok_or(Error::IllegalParameter(
        IllegalParameterReason::UnsupportedScheme,
    ))?;
    if !key_fits_scheme(key, scheme) {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::SchemeUnfitForKey,
        ));
    }
    verify(key, algorithm, message, signature)
}

/// Which implementation checks a key/algorithm pair.
enum Verifier {
    Ring(&'static dyn ring_sig::VerificationAlgorithm),
    /// ECDSA on P-521 over this hash, with `p521`.
    EcdsaP521(HashAlgorithm),
    #[cfg(feature = "legacy")]
    RsaMd5Sha1,
    /// ECDSA on P-256 or P-384 over a hash ring does not pair with the
    /// curve (SHA-1; SHA-512 in TLS 1.2, [`verify_tls12`]), with the
    /// RustCrypto crates.
    #[cfg(feature = "legacy")]
    EcdsaPrehash(HashAlgorithm),
}

/// Whether `key` can make or check signatures under `algorithm` (an
/// id-RSASSA-PSS key: only RSASSA-PSS, with its parameters' hash if it
/// has them, RFC 4055 §3.1).
pub(crate) fn key_fits_algorithm(key: &PublicKey, algorithm: SignatureAlgorithm) -> bool {
    verifier_for(key, algorithm, Pairing::CurveHash).is_ok()
}

#[cfg_attr(not(feature = "legacy"), allow(unused_variables))]
fn verifier_for(
    key: &PublicKey,
    algorithm: SignatureAlgorithm,
    pairing: Pairing,
) -> Result<Verifier, Error> {
    use HashAlgorithm as H;
    use PublicKey as K;
    use SignatureAlgorithm as A;
    Ok(Verifier::Ring(match (key, algorithm) {
        (K::Rsa(_), A::RsaPkcs1(H::Sha256)) => &ring_sig::RSA_PKCS1_2048_8192_SHA256,
        (K::Rsa(_), A::RsaPkcs1(H::Sha384)) => &ring_sig::RSA_PKCS1_2048_8192_SHA384,
        (K::Rsa(_), A::RsaPkcs1(H::Sha512)) => &ring_sig::RSA_PKCS1_2048_8192_SHA512,
        #[cfg(feature = "legacy")]
        (K::Rsa(_), A::RsaPkcs1(H::Sha1)) => {
            &ring_sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY
        }
        #[cfg(feature = "legacy")]
        (K::Rsa(_), A::RsaPkcs1Md5Sha1) => return Ok(Verifier::RsaMd5Sha1),
        (K::Rsa(_), A::RsaPss(hash)) => ring_pss(hash)?,
        (K::RsaPss { hash: bound, .. }, A::RsaPss(hash)) if bound.is_none_or(|b| b == hash) => {
            ring_pss(hash)?
        }
        (K::EcdsaP256(_), A::Ecdsa(H::Sha256)) => &ring_sig::ECDSA_P256_SHA256_ASN1,
        (K::EcdsaP256(_), A::Ecdsa(H::Sha384)) => &ring_sig::ECDSA_P256_SHA384_ASN1,
        (K::EcdsaP384(_), A::Ecdsa(H::Sha256)) => &ring_sig::ECDSA_P384_SHA256_ASN1,
        (K::EcdsaP384(_), A::Ecdsa(H::Sha384)) => &ring_sig::ECDSA_P384_SHA384_ASN1,
        (K::EcdsaP521(_), A::Ecdsa(hash @ (H::Sha256 | H::Sha384 | H::Sha512))) => {
            return Ok(Verifier::EcdsaP521(hash))
        }
        #[cfg(feature = "legacy")]
        (K::EcdsaP256(_) | K::EcdsaP384(_), A::Ecdsa(hash @ (H::Sha1 | H::Sha512)))
            if hash == H::Sha1 || pairing == Pairing::AnyHash =>
        {
            return Ok(Verifier::EcdsaPrehash(hash))
        }
        (K::Ed25519(_), A::Ed25519) => &ring_sig::ED25519,
        _ => {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::SignatureAlgorithmUnfit,
            ))
        }
    }))
}

/// ring's RSASSA-PSS verifier for `hash` (MGF1 over the same hash, salt
/// of the hash length, RFC 8446 §4.2.3).
fn ring_pss(hash: HashAlgorithm) -> Result<&'static dyn ring_sig::VerificationAlgorithm, Error> {
    match hash {
        HashAlgorithm::Sha256 => Ok(&ring_sig::RSA_PSS_2048_8192_SHA256),
        HashAlgorithm::Sha384 => Ok(&ring_sig::RSA_PSS_2048_8192_SHA384),
        HashAlgorithm::Sha512 => Ok(&ring_sig::RSA_PSS_2048_8192_SHA512),
        _ => Err(Error::IllegalParameter(
            IllegalParameterReason::SignatureAlgorithmUnfit,
        )),
    }
}

/// Rejects keys whose form is wrong before any signature arithmetic, so a
/// broken key is told apart from a bad signature.
fn check_key_form(key: &PublicKey, algorithm: SignatureAlgorithm) -> Result<(), Error> {
    let point = |bytes: &[u8], len: usize, why: IllegalParameterReason| {
        if bytes.len() == len && bytes.first() == Some(&0x04) {
            Ok(())
        } else {
            Err(Error::IllegalParameter(why))
        }
    };
    match key {
        PublicKey::Rsa(der) | PublicKey::RsaPss { key: der, .. } => {
            let bits = rsa_modulus_bits(der)?;
            let min = if algorithm.is_legacy_rsa() {
                MIN_LEGACY_RSA_VERIFY_BITS
            } else {
                MIN_RSA_VERIFY_BITS
            };
            if bits < min || bits > MAX_RSA_VERIFY_BITS {
                return Err(Error::IllegalParameter(IllegalParameterReason::RsaKeySize));
            }
            Ok(())
        }
        PublicKey::EcdsaP256(p) => {
            point(p, P256_POINT_LEN, IllegalParameterReason::MalformedP256Key)
        }
        PublicKey::EcdsaP384(p) => {
            point(p, P384_POINT_LEN, IllegalParameterReason::MalformedP384Key)
        }
        PublicKey::EcdsaP521(p) => {
            point(p, P521_POINT_LEN, IllegalParameterReason::MalformedP521Key)
        }
        PublicKey::Ed25519(k) if k.len() == ED25519_PUBLIC_KEY_LEN => Ok(()),
        PublicKey::Ed25519(_) => Err(Error::IllegalParameter(
            IllegalParameterReason::MalformedEd25519Key,
        )),
    }
}

/// ECDSA on P-521 (FIPS 186-5 §6.4.2) over `hash` of `message`, with a
/// DER `Ecdsa-Sig-Value` signature (RFC 5480 §2.2, RFC 8422 §5.4). A
/// point that is not on the curve is [`Error::IllegalParameter`]; a
/// signature that does not parse or does not verify is
/// [`Error::DecryptError`].
fn verify_p521(
    point: &[u8],
    hash: HashAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    use p521::ecdsa::signature::hazmat::PrehashVerifier;
    let mismatch = |_| Error::DecryptError(DecryptErrorReason::BadSignature);
    let key = p521::ecdsa::VerifyingKey::from_sec1_bytes(point)
        .map_err(|_| Error::IllegalParameter(IllegalParameterReason::MalformedP521Key))?;
    let signature = p521::ecdsa::DerSignature::from_bytes(signature).map_err(mismatch)?;
    key.verify_prehash(hash.hash(message).as_ref(), &signature)
        .map_err(mismatch)
}

/// The bit length of the modulus of a DER `RSAPublicKey` (RFC 8017 §A.1.1):
/// a SEQUENCE of two positive INTEGERs and nothing else.
fn rsa_modulus_bits(key: &[u8]) -> Result<usize, Error> {
    let parse = || -> Result<usize, DerError> {
        let mut seq = Der::whole(key, tag::SEQUENCE)?;
        let modulus = seq.positive_integer()?;
        seq.positive_integer()?;
        seq.finish()?;
        Ok(bit_length(modulus))
    };
    parse().map_err(|_| Error::IllegalParameter(IllegalParameterReason::MalformedRsaKey))
}

#[cfg(feature = "legacy")]
mod legacy {
    //! The verifications ring lacks, with the RustCrypto crates.

    use super::PublicKey;
    use crate::crypto::hash::HashAlgorithm;
    use crate::error::{DecryptErrorReason, Error, IllegalParameterReason};
    use p256::ecdsa::signature::hazmat::PrehashVerifier;

    const MISMATCH: Error = Error::DecryptError(DecryptErrorReason::BadSignature);

    /// RSA PKCS#1 v1.5 over MD5‖SHA-1 without DigestInfo (RFC 2246 §7.4.3).
    pub(super) fn verify_rsa_md5_sha1(
        der: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        use rsa::pkcs1::DecodeRsaPublicKey;
        let key = rsa::PublicKey::from_pkcs1_der(der)
            .map_err(|_| Error::IllegalParameter(IllegalParameterReason::MalformedRsaKey))?;
        let digest = HashAlgorithm::Md5Sha1.hash(message);
        key.verify(
            rsa::Pkcs1v15Sign::new_unprefixed(),
            digest.as_ref(),
            signature,
        )
        .map_err(|_| MISMATCH)
    }

    /// ECDSA over `hash` with a DER signature (RFC 4492 §5.4; RFC 5758
    /// §3.2): the digest, cut to the curve's size as ECDSA does when it is
    /// longer (FIPS 186-5 §6.4.2), is checked against the key.
    pub(super) fn verify_ecdsa_prehash(
        key: &PublicKey,
        hash: HashAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        let digest = hash.hash(message);
        let bad_key = |_| Error::IllegalParameter(IllegalParameterReason::MalformedEcKey);
        match key {
            PublicKey::EcdsaP256(point) => {
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad_key)?;
                let sig = p256::ecdsa::DerSignature::from_bytes(signature).map_err(|_| MISMATCH)?;
                key.verify_prehash(digest.as_ref(), &sig)
                    .map_err(|_| MISMATCH)
            }
            PublicKey::EcdsaP384(point) => {
                let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad_key)?;
                let sig = p384::ecdsa::DerSignature::from_bytes(signature).map_err(|_| MISMATCH)?;
                key.verify_prehash(digest.as_ref(), &sig)
                    .map_err(|_| MISMATCH)
            }
            _ => Err(Error::IllegalParameter(
                IllegalParameterReason::EcdsaNeedsEcKey,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unparseable_keys_are_illegal_parameter() {
        let cases = [
            PublicKey::Rsa(vec![0x30, 0x00]),
            PublicKey::EcdsaP256(vec![0x04; 64]),
            PublicKey::EcdsaP384(vec![0x02; P384_POINT_LEN]),
            PublicKey::EcdsaP521(vec![0x04; P521_POINT_LEN - 1]),
            PublicKey::EcdsaP521(vec![0x04; P521_POINT_LEN]),
            PublicKey::Ed25519(vec![0; 31]),
        ];
        let algs = [
            SignatureAlgorithm::RsaPss(HashAlgorithm::Sha256),
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256),
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha384),
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha512),
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha512),
            SignatureAlgorithm::Ed25519,
        ];
        for (key, alg) in cases.iter().zip(algs) {
            assert!(
                matches!(
                    verify(key, alg, b"m", b"s"),
                    Err(Error::IllegalParameter(_))
                ),
                "{key:?}"
            );
        }
    }

    #[test]
    fn p521_points_that_are_not_on_the_curve_are_malformed_keys() {
        // Right length and form byte, but (4…4, 4…4) is not on P-521.
        let key = PublicKey::EcdsaP521(vec![0x04; P521_POINT_LEN]);
        assert_eq!(
            verify_scheme(&key, SignatureScheme::ecdsa_secp521r1_sha512, b"m", b"s"),
            Err(Error::IllegalParameter(
                IllegalParameterReason::MalformedP521Key
            ))
        );
    }

    #[test]
    fn scheme_mapping_binds_curves() {
        let p256 = PublicKey::EcdsaP256(vec![4; P256_POINT_LEN]);
        let p384 = PublicKey::EcdsaP384(vec![4; P384_POINT_LEN]);
        assert!(key_fits_scheme(
            &p256,
            SignatureScheme::ecdsa_secp256r1_sha256
        ));
        assert!(!key_fits_scheme(
            &p256,
            SignatureScheme::ecdsa_secp384r1_sha384
        ));
        assert!(!key_fits_scheme(
            &p384,
            SignatureScheme::ecdsa_secp256r1_sha256
        ));
        assert!(!key_fits_scheme(&p384, SignatureScheme::ed25519));
        assert_eq!(algorithm_for_scheme(SignatureScheme::ed448), None);
        assert_eq!(algorithm_for_scheme(SignatureScheme::Unknown(0x1234)), None);
    }

    #[test]
    fn the_two_rsa_pss_families_bind_their_key_types() {
        let rsae = PublicKey::Rsa(vec![0x30]);
        let pss = |hash| PublicKey::RsaPss {
            key: vec![0x30],
            hash,
        };
        use SignatureScheme as S;
        assert!(key_fits_scheme(&rsae, S::rsa_pss_rsae_sha256));
        assert!(!key_fits_scheme(&rsae, S::rsa_pss_pss_sha256));
        assert!(key_fits_scheme(&pss(None), S::rsa_pss_pss_sha512));
        assert!(!key_fits_scheme(&pss(None), S::rsa_pss_rsae_sha256));
        assert!(!key_fits_scheme(&pss(None), S::rsa_pkcs1_sha256));
        assert!(key_fits_scheme(
            &pss(Some(HashAlgorithm::Sha384)),
            S::rsa_pss_pss_sha384
        ));
        assert!(!key_fits_scheme(
            &pss(Some(HashAlgorithm::Sha384)),
            S::rsa_pss_pss_sha256
        ));
        // TLS 1.2 keeps the families apart too, but not the ECDSA curves.
        assert!(!rsa_pss_family_fits(&pss(None), S::rsa_pss_rsae_sha256));
        assert!(!rsa_pss_family_fits(&rsae, S::rsa_pss_pss_sha256));
        let p256 = PublicKey::EcdsaP256(vec![4; P256_POINT_LEN]);
        assert!(rsa_pss_family_fits(&p256, S::ecdsa_secp384r1_sha384));
    }
}
