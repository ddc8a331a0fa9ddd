//! HMAC (RFC 2104) over the hash functions of [`HashAlgorithm`].
//!
//! HMAC-SHA-256 and HMAC-SHA-384, which HKDF (RFC 5869) and the TLS 1.2
//! PRF run dozens of times a handshake on short inputs, are the RFC 2104
//! construction over the `sha2` crate's compression functions
//! ([`crate::crypto::sha_blocks::KeyChains`]): an HKDF step takes about
//! 10 % less than through ring's HMAC contexts (`docs/performance.md`),
//! and the keyed states are wiped on drop. With `legacy` the same
//! construction runs HMAC-SHA-1 and HMAC-MD5 (the latter only for the
//! TLS 1.0/1.1 PRF, RFC 2246 §5 `P_MD5`, and not reachable from outside
//! the crate) over the `sha1` and `md-5` crates. SHA-512, and SHA-1
//! without `legacy`, use ring's HMAC.
//!
//! Tags are compared in constant time ([`Tag::ct_eq`]).

use crate::crypto::hash::{HashAlgorithm, MAX_HASH_LEN};
use crate::crypto::sha_blocks::{outer_hash, Chain, KeyChains, PublicHash};
use crate::error::Error;
use ring::hmac;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// An HMAC output: up to [`MAX_HASH_LEN`] bytes, wiped on drop because
/// HKDF and the TLS PRFs use HMAC outputs as secrets.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Tag {
    bytes: [u8; MAX_HASH_LEN],
    len: usize,
}

impl Tag {
    /// The first [`MAX_HASH_LEN`] bytes of `v` as a tag (a received or
    /// stored HMAC value kept inline).
    pub(crate) fn from_slice(v: &[u8]) -> Self {
        let mut bytes = [0u8; MAX_HASH_LEN];
        let len = v.len().min(MAX_HASH_LEN);
        for (dst, src) in bytes.iter_mut().zip(v) {
            *dst = *src;
        }
        Self { bytes, len }
    }

    /// The tag bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }

    /// Whether `other` equals this tag, compared in constant time (the
    /// lengths are public). `true` means equal.
    pub fn ct_eq(&self, other: &[u8]) -> bool {
        self.as_bytes().ct_eq(other).into()
    }
}

impl AsRef<[u8]> for Tag {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl core::fmt::Debug for Tag {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Tag({} bytes)", self.len)
    }
}

/// An HMAC key bound to its hash function (RFC 2104).
#[derive(Clone)]
pub struct HmacKey {
    algorithm: MacAlgorithm,
    inner: KeyInner,
}

/// MD5's output length (RFC 1321 §3.5).
#[cfg(feature = "legacy")]
const MD5_OUTPUT_LEN: usize = 16;

/// Which HMAC this is; MD5 is internal to the crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MacAlgorithm {
    Hash(HashAlgorithm),
    #[cfg(feature = "legacy")]
    Md5,
}

#[derive(Clone)]
enum KeyInner {
    Chains(KeyChains),
    Ring(hmac::Key),
}

impl HmacKey {
    /// An HMAC key over `hash` with the given key bytes (any length: keys
    /// longer than the hash block are hashed first, RFC 2104 §2).
    ///
    /// Fails with [`Error::Crypto`] for `HashAlgorithm::Md5Sha1`, which is
    /// a transcript hash and has no HMAC.
    pub fn new(hash: HashAlgorithm, key: &[u8]) -> Result<Self, Error> {
        let ring_alg = match hash {
            HashAlgorithm::Sha1 => hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
            HashAlgorithm::Sha256 => hmac::HMAC_SHA256,
            HashAlgorithm::Sha384 => hmac::HMAC_SHA384,
            HashAlgorithm::Sha512 => hmac::HMAC_SHA512,
            #[cfg(feature = "legacy")]
            HashAlgorithm::Md5Sha1 => {
                return Err(Error::Crypto(crate::error::CryptoReason::HmacMd5Sha1))
            }
        };
        let inner = match KeyChains::new(hash, key) {
            Some(chains) => KeyInner::Chains(chains),
            None => KeyInner::Ring(hmac::Key::new(ring_alg, key)),
        };
        Ok(Self {
            algorithm: MacAlgorithm::Hash(hash),
            inner,
        })
    }

    /// HMAC-MD5, only for the TLS 1.0/1.1 PRF (RFC 2246 §5).
    #[cfg(feature = "legacy")]
    pub(crate) fn md5(key: &[u8]) -> Self {
        Self {
            algorithm: MacAlgorithm::Md5,
            inner: KeyInner::Chains(KeyChains::from_initial(Chain::md5(), key)),
        }
    }

    /// The tag length in bytes.
    pub fn output_len(&self) -> usize {
        match self.algorithm {
            MacAlgorithm::Hash(h) => h.output_len(),
            #[cfg(feature = "legacy")]
            MacAlgorithm::Md5 => MD5_OUTPUT_LEN,
        }
    }

    /// Starts a streaming computation.
    pub fn start(&self) -> HmacContext {
        HmacContext {
            inner: match &self.inner {
                KeyInner::Chains(k) => ContextInner::Chains {
                    inner: PublicHash::new(&k.inner),
                    outer: k.outer.clone(),
                },
                KeyInner::Ring(k) => ContextInner::Ring(hmac::Context::with_key(k)),
            },
        }
    }

    /// The tag of `data`, in one call.
    pub fn sign(&self, data: &[u8]) -> Tag {
        self.sign_parts(&[data])
    }

    /// The tag of the concatenation of `parts`, without concatenating them.
    pub fn sign_parts(&self, parts: &[&[u8]]) -> Tag {
        let mut ctx = self.start();
        for part in parts {
            ctx.update(part);
        }
        ctx.finish()
    }
}

impl core::fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "HmacKey({:?})", self.algorithm)
    }
}

/// A running HMAC computation; see [`HmacKey::start`].
pub struct HmacContext {
    inner: ContextInner,
}

enum ContextInner {
    /// The inner hash under way, and the outer key state for the end.
    Chains {
        inner: PublicHash,
        outer: Chain,
    },
    Ring(hmac::Context),
}

impl HmacContext {
    /// Absorbs `data`.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.inner {
            ContextInner::Chains { inner, .. } => inner.update(data),
            ContextInner::Ring(ctx) => ctx.update(data),
        }
    }

    /// The tag of everything absorbed.
    pub fn finish(self) -> Tag {
        match self.inner {
            ContextInner::Chains { inner, outer } => {
                Tag::from_slice(outer_hash(&outer, &inner.finish()).bytes())
            }
            ContextInner::Ring(ctx) => Tag::from_slice(ctx.sign().as_ref()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    // RFC 4231 §4.2, test case 1 (HMAC-SHA-256/384/512, a 20-byte key),
    // and §4.7, test case 6 (a 131-byte key, longer than either block,
    // is hashed first).
    #[test]
    fn rfc4231_test_cases_1_and_6() {
        let short_key: &[u8] = &[0x0b; 20];
        let long_key: &[u8] = &[0xaa; 131];
        let hi_there: &[u8] = b"Hi There";
        let hash_key_first: &[u8] = b"Test Using Larger Than Block-Size Key - Hash Key First";
        let cases = [
            (
                short_key,
                hi_there,
                HashAlgorithm::Sha256,
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                short_key,
                hi_there,
                HashAlgorithm::Sha384,
                "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
            ),
            (
                short_key,
                hi_there,
                HashAlgorithm::Sha512,
                "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
            ),
            (
                long_key,
                hash_key_first,
                HashAlgorithm::Sha256,
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
            (
                long_key,
                hash_key_first,
                HashAlgorithm::Sha384,
                "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
            ),
        ];
        for (key, data, hash, want) in cases {
            let key = HmacKey::new(hash, key).unwrap();
            assert_eq!(key.sign(data).as_bytes(), unhex(want), "{hash:?}");
            assert_eq!(key.output_len(), hash.output_len());
        }
    }

    // Every key length around the block sizes and every message length
    // around the padding boundaries, one-shot and fed in uneven pieces,
    // against ring's HMAC (the implementation this one replaced).
    #[test]
    fn agrees_with_ring_across_key_and_message_lengths() {
        let message: Vec<u8> = (0..300u16).map(|i| (i * 7 + 3) as u8).collect();
        for (hash, ring_alg) in [
            (HashAlgorithm::Sha256, hmac::HMAC_SHA256),
            (HashAlgorithm::Sha384, hmac::HMAC_SHA384),
            (HashAlgorithm::Sha1, hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY),
            (HashAlgorithm::Sha512, hmac::HMAC_SHA512),
        ] {
            for key_len in [0, 1, 32, 48, 63, 64, 65, 127, 128, 129, 200] {
                let key_bytes: Vec<u8> = (0..key_len).map(|i| (i as u8) ^ 0x5a).collect();
                let ours = HmacKey::new(hash, &key_bytes).unwrap();
                let theirs = hmac::Key::new(ring_alg, &key_bytes);
                for len in 0..message.len() {
                    let data = &message[..len];
                    let want = hmac::sign(&theirs, data);
                    assert_eq!(
                        ours.sign(data).as_bytes(),
                        want.as_ref(),
                        "{hash:?} {key_len} {len}"
                    );
                    let mut ctx = ours.start();
                    for piece in data.chunks(len % 37 + 1) {
                        ctx.update(piece);
                    }
                    assert_eq!(
                        ctx.finish().as_bytes(),
                        want.as_ref(),
                        "{hash:?} {key_len} {len} streamed"
                    );
                }
            }
        }
    }

    // RFC 2202 §3 test case 2 (HMAC-SHA-1, key "Jefe").
    #[test]
    fn rfc2202_sha1_test_case_2() {
        let key = HmacKey::new(HashAlgorithm::Sha1, b"Jefe").unwrap();
        let tag = key.sign(b"what do ya want for nothing?");
        assert_eq!(
            tag.as_bytes(),
            unhex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        );
    }

    // RFC 2202 §2 test cases 2 and 6 (HMAC-MD5; case 6 has an 80-byte key
    // longer than the block, so it is hashed first).
    #[cfg(feature = "legacy")]
    #[test]
    fn rfc2202_md5_test_cases() {
        let tag = HmacKey::md5(b"Jefe").sign(b"what do ya want for nothing?");
        assert_eq!(tag.as_bytes(), unhex("750c783e6ab0b503eaa86e310a5db738"));
        let tag = HmacKey::md5(&[0xaa; 80])
            .sign(b"Test Using Larger Than Block-Size Key - Hash Key First");
        assert_eq!(tag.as_bytes(), unhex("6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd"));
    }

    #[test]
    fn streaming_equals_one_shot() {
        let key = HmacKey::new(HashAlgorithm::Sha384, b"key").unwrap();
        let mut ctx = key.start();
        ctx.update(b"hello ");
        ctx.update(b"world");
        assert_eq!(ctx.finish().as_bytes(), key.sign(b"hello world").as_bytes());
        assert_eq!(
            key.sign_parts(&[b"hello", b" ", b"world"]).as_bytes(),
            key.sign(b"hello world").as_bytes()
        );
    }

    #[cfg(feature = "legacy")]
    #[test]
    fn md5_sha1_has_no_hmac() {
        assert!(matches!(
            HmacKey::new(HashAlgorithm::Md5Sha1, b"k"),
            Err(Error::Crypto(crate::error::CryptoReason::HmacMd5Sha1))
        ));
    }

    #[test]
    fn debug_hides_the_tag() {
        let key = HmacKey::new(HashAlgorithm::Sha256, b"k").unwrap();
        assert_eq!(format!("{:?}", key.sign(b"x")), "Tag(32 bytes)");
    }
}
