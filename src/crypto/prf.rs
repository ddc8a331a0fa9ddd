//! The TLS pseudorandom functions of TLS 1.0–1.2.
//!
//! - TLS 1.0/1.1 (RFC 2246 §5, RFC 4346 §5):
//!   `PRF(secret, label, seed) = P_MD5(S1, label + seed) XOR P_SHA-1(S2, label + seed)`
//!   where S1 and S2 are the first and last halves of the secret (sharing
//!   the middle byte when its length is odd). Needs feature `legacy` (MD5).
//! - TLS 1.2 (RFC 5246 §5): `PRF(secret, label, seed) = P_<hash>(secret, label + seed)`
//!   with the cipher suite's hash, SHA-256 unless the suite says otherwise.
//!
//! The PRF is selected by the handshake's transcript hash:
//! `HashAlgorithm::Md5Sha1` means the TLS 1.0/1.1 PRF, any SHA-2 hash the
//! TLS 1.2 PRF over that hash. Both are one `P_hash` function.

use crate::crypto::hash::HashAlgorithm;
use crate::crypto::hmac::{HmacKey, Tag};
use crate::error::{CryptoReason, Error};

/// Fills `out` with `PRF(secret, label, seed)` for the PRF that goes with
/// the transcript hash `hash` (see the module docs). `seed` is given as
/// parts that are concatenated (for example client and server random).
///
/// Fails with [`Error::Crypto`] for [`HashAlgorithm::Sha1`], which no TLS
/// PRF uses on its own.
pub fn prf(
    hash: HashAlgorithm,
    secret: &[u8],
    label: &[u8],
    seed: &[&[u8]],
    out: &mut [u8],
) -> Result<(), Error> {
    PrfKey::new(hash, secret)?.fill(label, seed, out);
    Ok(())
}

/// A PRF secret with its HMAC key(s) set up once, for a secret the PRF
/// runs over several times (a master secret gives the key block, both
/// Finished values and exporter output): each HMAC key costs two
/// compression-function calls to set up.
///
/// The HMAC state lives inside ring (and the MD5 code) and is not
/// zeroized on drop; keep a `PrfKey` no longer than its secret.
pub struct PrfKey {
    /// `P_<hash>` over the whole secret (TLS 1.2), or `P_MD5` over S1.
    first: HmacKey,
    /// TLS 1.0/1.1: `P_SHA-1` over S2.
    second: Option<HmacKey>,
}

impl PrfKey {
    /// The key for `secret` under the PRF of the transcript hash `hash`.
    /// Fails with [`Error::Crypto`] for [`HashAlgorithm::Sha1`], which no
    /// TLS PRF uses on its own.
    pub fn new(hash: HashAlgorithm, secret: &[u8]) -> Result<Self, Error> {
        match hash {
            HashAlgorithm::Sha1 => Err(Error::Crypto(CryptoReason::PrfSha1)),
            HashAlgorithm::Sha256 | HashAlgorithm::Sha384 | HashAlgorithm::Sha512 => Ok(Self {
                first: HmacKey::new(hash, secret)?,
                second: None,
            }),
            #[cfg(feature = "legacy")]
            HashAlgorithm::Md5Sha1 => {
                // RFC 2246 §5: S1 and S2 have length ceil(len/2) each.
                let half = secret.len().div_ceil(2);
                let s1 = secret.get(..half).unwrap_or_default();
                let s2 = secret.get(secret.len() - half..).unwrap_or_default();
                Ok(Self {
                    first: HmacKey::md5(s1),
                    second: Some(HmacKey::new(HashAlgorithm::Sha1, s2)?),
                })
            }
        }
    }

    /// Fills `out` with `PRF(secret, label, seed)`.
    pub fn fill(&self, label: &[u8], seed: &[&[u8]], out: &mut [u8]) {
        out.fill(0);
        p_hash_xor(&self.first, label, seed, out);
        if let Some(second) = &self.second {
            p_hash_xor(second, label, seed, out);
        }
    }
}

/// XORs `P_hash(secret, label + seed)` into `out` (RFC 5246 §5):
/// `A(0) = label + seed`, `A(i) = HMAC(secret, A(i-1))`, output blocks
/// `HMAC(secret, A(i) + label + seed)`.
fn p_hash_xor(key: &HmacKey, label: &[u8], seed: &[&[u8]], out: &mut [u8]) {
    let mac_of = |prefix: Option<&Tag>| {
        let mut ctx = key.start();
        if let Some(a) = prefix {
            ctx.update(a.as_bytes());
        }
        ctx.update(label);
        for part in seed {
            ctx.update(part);
        }
        ctx.finish()
    };
    let mut a = mac_of(None);
    let mut chunks = out.chunks_mut(key.output_len()).peekable();
    while let Some(chunk) = chunks.next() {
        let block = mac_of(Some(&a));
        for (dst, src) in chunk.iter_mut().zip(block.as_bytes()) {
            *dst ^= src;
        }
        // A(i+1) only when another chunk needs it.
        if chunks.peek().is_some() {
            a = key.sign(a.as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::CryptoReason;

    #[test]
    fn sha1_alone_is_refused() {
        let mut out = [0u8; 12];
        assert!(matches!(
            prf(HashAlgorithm::Sha1, b"s", b"l", &[b"x"], &mut out),
            Err(Error::Crypto(CryptoReason::PrfSha1))
        ));
    }

    #[test]
    fn seed_parts_are_concatenated() {
        let mut joined = [0u8; 40];
        let mut split = [0u8; 40];
        prf(HashAlgorithm::Sha256, b"s", b"l", &[b"abcd"], &mut joined).unwrap();
        prf(
            HashAlgorithm::Sha256,
            b"s",
            b"l",
            &[b"ab", b"cd"],
            &mut split,
        )
        .unwrap();
        assert_eq!(joined, split);
    }

    #[test]
    fn shorter_output_is_a_prefix_of_longer() {
        let mut long = [0u8; 100];
        let mut short = [0u8; 33];
        prf(HashAlgorithm::Sha384, b"s", b"l", &[b"x"], &mut long).unwrap();
        prf(HashAlgorithm::Sha384, b"s", b"l", &[b"x"], &mut short).unwrap();
        assert_eq!(&long[..33], &short[..]);
    }
}
