//! HKDF (RFC 5869) and the TLS 1.3 wrappers HKDF-Expand-Label and
//! Derive-Secret (RFC 8446 §7.1).
//!
//! Built on [`HmacKey`] rather than ring's HKDF because TLS needs the
//! extracted pseudorandom keys as bytes (they are the early, handshake and
//! master secrets, and the key log must see them). Every output is a
//! [`Secret`].

use crate::crypto::hash::{Digest, HashAlgorithm, MAX_HASH_LEN};
use crate::crypto::hmac::{HmacKey, Tag};
use crate::crypto::secret::Secret;
use crate::error::{CryptoReason, Error};

/// HKDF-Expand produces at most 255 blocks of the hash output
/// (RFC 5869 §2.3, `L <= 255*HashLen`).
pub const MAX_EXPAND_BLOCKS: usize = 255;

/// The prefix every HKDF-Expand-Label label carries (RFC 8446 §7.1).
pub const LABEL_PREFIX: &[u8] = b"tls13 ";

/// The longest label HKDF-Expand-Label accepts, prefix included: the
/// `HkdfLabel.label` vector is `opaque label<7..255>` (RFC 8446 §7.1).
pub const MAX_FULL_LABEL_LEN: usize = 255;

/// The longest context HKDF-Expand-Label accepts: `opaque context<0..255>`
/// (RFC 8446 §7.1).
pub const MAX_CONTEXT_LEN: usize = 255;

/// HKDF-Extract (RFC 5869 §2.2): `PRK = HMAC-Hash(salt, IKM)`. An empty
/// `salt` means `HashLen` zero bytes, as the RFC says. Fails only for a
/// hash without HMAC (`HashAlgorithm::Md5Sha1`).
pub fn extract(hash: HashAlgorithm, salt: &[u8], ikm: &[u8]) -> Result<Secret, Error> {
    let zeros = [0u8; MAX_HASH_LEN];
    let salt = if salt.is_empty() {
        zeros.get(..hash.output_len()).unwrap_or_default()
    } else {
        salt
    };
    Ok(extract_with(&HmacKey::new(hash, salt)?, ikm))
}

/// HKDF-Extract (RFC 5869 §2.2) with the salt's HMAC key already set up:
/// `PRK = HMAC-Hash(salt, IKM)`, for a salt used more than once.
pub fn extract_with(salt: &HmacKey, ikm: &[u8]) -> Secret {
    Secret::from_slice(salt.sign(ikm).as_bytes())
}

/// HKDF-Expand (RFC 5869 §2.3): `len` bytes of output keying material from
/// `prk` and `info`. Fails with [`Error::Crypto`] when `len` exceeds
/// `255 * HashLen` or the hash has no HMAC.
pub fn expand(hash: HashAlgorithm, prk: &[u8], info: &[u8], len: usize) -> Result<Secret, Error> {
    let mut okm = Secret::zeroed(len);
    expand_into(hash, prk, info, okm.as_mut_bytes())?;
    Ok(okm)
}

/// HKDF-Expand (RFC 5869 §2.3) into `out`, which it fills entirely: for
/// callers that keep the output on the stack. Fails with
/// [`Error::Crypto`] when `out` is longer than `255 * HashLen` or the hash
/// has no HMAC (`out` is then left unchanged).
pub fn expand_into(
    hash: HashAlgorithm,
    prk: &[u8],
    info: &[u8],
    out: &mut [u8],
) -> Result<(), Error> {
    Prk::new(hash, prk)?.expand_into(info, out)
}

/// The longest encoded `HkdfLabel` (RFC 8446 §7.1): the `uint16` length,
/// the label and the context with their one-byte length prefixes.
const MAX_HKDF_LABEL_LEN: usize = 2 + 1 + MAX_FULL_LABEL_LEN + 1 + MAX_CONTEXT_LEN;

/// HKDF-Expand-Label (RFC 8446 §7.1):
/// `HKDF-Expand(secret, HkdfLabel{len, "tls13 " + label, context}, len)`.
///
/// Fails with [`Error::Crypto`] when the label (with its prefix) or the
/// context is longer than 255 bytes, when `len` does not fit the `uint16`
/// length field or HKDF's limit, or when the hash has no HMAC.
pub fn expand_label(
    hash: HashAlgorithm,
    secret: &[u8],
    label: &[u8],
    context: &[u8],
    len: usize,
) -> Result<Secret, Error> {
    let mut okm = Secret::zeroed(len);
    expand_label_into(hash, secret, label, context, okm.as_mut_bytes())?;
    Ok(okm)
}

/// HKDF-Expand-Label (RFC 8446 §7.1) into `out`, which it fills entirely
/// (`Length` is `out.len()`); the `HkdfLabel` is built on the stack, so
/// nothing is allocated. Fails like [`expand_label`].
pub fn expand_label_into(
    hash: HashAlgorithm,
    secret: &[u8],
    label: &[u8],
    context: &[u8],
    out: &mut [u8],
) -> Result<(), Error> {
    Prk::new(hash, secret)?.expand_label_into(label, context, out)
}

/// Derive-Secret (RFC 8446 §7.1):
/// `HKDF-Expand-Label(secret, label, transcript_hash, Hash.length)`, where
/// `transcript_hash` is Transcript-Hash(Messages) already computed by the
/// caller.
pub fn derive_secret(
    hash: HashAlgorithm,
    secret: &[u8],
    label: &[u8],
    transcript_hash: &Digest,
) -> Result<Secret, Error> {
    Prk::new(hash, secret)?.derive_secret(label, transcript_hash)
}

/// A pseudorandom key (RFC 5869 §2.2) ready for HKDF-Expand: its HMAC key
/// is set up once, which costs two compression-function calls, so a
/// secret expanded several times (a traffic secret's key and IV, the
/// handshake and master secrets' derived secrets) pays that once instead
/// of at every expansion. Every expansion of the module goes through it.
///
/// Over SHA-256 and SHA-384 the keyed HMAC states are wiped on drop
/// ([`HmacKey`]); over SHA-512 they live inside ring, which does not wipe
/// them, so keep a `Prk` no longer than the secret it stands for.
pub struct Prk {
    hash: HashAlgorithm,
    key: HmacKey,
}

impl Prk {
    /// The key `prk` over `hash`. Fails with [`Error::Crypto`] for a hash
    /// without HMAC.
    pub fn new(hash: HashAlgorithm, prk: &[u8]) -> Result<Self, Error> {
        Ok(Self {
            hash,
            key: HmacKey::new(hash, prk)?,
        })
    }

    /// The hash this key expands with.
    pub fn hash(&self) -> HashAlgorithm {
        self.hash
    }

    /// HKDF-Expand (RFC 5869 §2.3) into `out`, which it fills entirely.
    /// Fails with [`Error::Crypto`] when `out` is longer than
    /// `255 * HashLen` (`out` is then left unchanged).
    pub fn expand_into(&self, info: &[u8], out: &mut [u8]) -> Result<(), Error> {
        if out.len() > MAX_EXPAND_BLOCKS * self.hash.output_len() {
            return Err(Error::Crypto(CryptoReason::HkdfOutputTooLong));
        }
        let mut previous: Option<Tag> = None;
        for (counter, chunk) in (1u8..=u8::MAX).zip(out.chunks_mut(self.hash.output_len())) {
            let mut ctx = self.key.start();
            if let Some(t) = &previous {
                ctx.update(t.as_bytes());
            }
            ctx.update(info);
            ctx.update(&[counter]);
            let t = ctx.finish();
            for (dst, src) in chunk.iter_mut().zip(t.as_bytes()) {
                *dst = *src;
            }
            previous = Some(t);
        }
        Ok(())
    }

    /// HKDF-Expand-Label (RFC 8446 §7.1) into `out`, which it fills
    /// entirely (`Length` is `out.len()`); the `HkdfLabel` is built on the
    /// stack. Fails like [`expand_label`].
    pub fn expand_label_into(
        &self,
        label: &[u8],
        context: &[u8],
        out: &mut [u8],
    ) -> Result<(), Error> {
        let full_label_len = u8::try_from(LABEL_PREFIX.len() + label.len())
            .map_err(|_| Error::Crypto(CryptoReason::HkdfLabelTooLong))?;
        let context_len = u8::try_from(context.len())
            .map_err(|_| Error::Crypto(CryptoReason::HkdfContextTooLong))?;
        let out_len =
            u16::try_from(out.len()).map_err(|_| Error::Crypto(CryptoReason::HkdfLabelLength))?;
        let mut info = [0u8; MAX_HKDF_LABEL_LEN];
        let mut info_len = 0;
        for part in [
            &out_len.to_be_bytes()[..],
            &[full_label_len],
            LABEL_PREFIX,
            label,
            &[context_len],
            context,
        ] {
            let end = info_len + part.len();
            info.get_mut(info_len..end)
                .ok_or(Error::Crypto(CryptoReason::HkdfLabelTooLong))?
                .copy_from_slice(part);
            info_len = end;
        }
        self.expand_into(info.get(..info_len).unwrap_or_default(), out)
    }

    /// Derive-Secret (RFC 8446 §7.1) of this secret: `HKDF-Expand-Label(.,
    /// label, transcript_hash, Hash.length)` as a [`Secret`].
    pub fn derive_secret(&self, label: &[u8], transcript_hash: &Digest) -> Result<Secret, Error> {
        let mut okm = Secret::zeroed(self.hash.output_len());
        self.expand_label_into(label, transcript_hash.as_ref(), okm.as_mut_bytes())?;
        Ok(okm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::CryptoReason;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    // RFC 5869 Appendix A.1–A.3 (SHA-256) are in tests/keyschedule_hkdf.rs;
    // these unit tests cover the limits.

    #[test]
    fn expand_refuses_more_than_255_blocks() {
        let prk = [1u8; 32];
        assert!(expand(HashAlgorithm::Sha256, &prk, b"", 255 * 32).is_ok());
        assert!(matches!(
            expand(HashAlgorithm::Sha256, &prk, b"", 255 * 32 + 1),
            Err(Error::Crypto(CryptoReason::HkdfOutputTooLong))
        ));
    }

    #[test]
    fn expand_label_refuses_long_labels_and_contexts() {
        let s = [0u8; 32];
        let long = [b'a'; 250];
        assert!(expand_label(HashAlgorithm::Sha256, &s, &long[..249], b"", 32).is_ok());
        assert!(expand_label(HashAlgorithm::Sha256, &s, &long, b"", 32).is_err());
        assert!(expand_label(HashAlgorithm::Sha256, &s, b"x", &[0u8; 256], 32).is_err());
        assert!(expand_label(HashAlgorithm::Sha256, &s, b"x", b"", 70_000).is_err());
    }

    // RFC 8448 §3, "{server} derive secret for handshake "tls13 derived"":
    // Derive-Secret(early_secret, "derived", "") over SHA-256.
    #[test]
    fn derive_secret_matches_rfc8448_derived() {
        let early = unhex("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a");
        let empty_hash = HashAlgorithm::Sha256.hash(b"");
        let out = derive_secret(HashAlgorithm::Sha256, &early, b"derived", &empty_hash).unwrap();
        assert_eq!(
            out.as_bytes(),
            unhex("6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba")
        );
    }
}
