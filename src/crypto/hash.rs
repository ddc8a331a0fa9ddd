//! Hash functions and running transcript hashes.
//!
//! SHA-256/384/512 and SHA-1 come from ring; MD5 (TLS 1.0/1.1 PRF, Finished
//! and signatures only) comes from the `md-5` crate behind the `legacy`
//! feature. `HashAlgorithm::Md5Sha1` is the 36-byte MD5‖SHA-1
//! concatenation TLS 1.0 and 1.1 use for their handshake transcript
//! (RFC 2246 §7.4.9, RFC 4346 §7.4.9).

use ring::digest;

/// The largest digest any [`HashAlgorithm`] produces (SHA-512).
pub const MAX_HASH_LEN: usize = 64;

/// A hash function ferrotls uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlgorithm {
    /// SHA-1 (legacy MACs and signatures only).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// MD5 ‖ SHA-1, the TLS 1.0/1.1 transcript hash.
    #[cfg(feature = "legacy")]
    Md5Sha1,
}

impl HashAlgorithm {
    /// The digest length in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
            #[cfg(feature = "legacy")]
            Self::Md5Sha1 => 36,
        }
    }

    /// The internal block length in bytes (the unit of one compression-
    /// function call).
    pub const fn block_len(self) -> usize {
        match self {
            Self::Sha1 | Self::Sha256 => 64,
            Self::Sha384 | Self::Sha512 => 128,
            #[cfg(feature = "legacy")]
            Self::Md5Sha1 => 64,
        }
    }

    /// Hashes `data` in one call.
    pub fn hash(self, data: &[u8]) -> Digest {
        let mut ctx = HashContext::new(self);
        ctx.update(data);
        ctx.finish()
    }

    pub(crate) fn ring_algorithm(self) -> Option<&'static digest::Algorithm> {
        match self {
            Self::Sha1 => Some(&digest::SHA1_FOR_LEGACY_USE_ONLY),
            Self::Sha256 => Some(&digest::SHA256),
            Self::Sha384 => Some(&digest::SHA384),
            Self::Sha512 => Some(&digest::SHA512),
            #[cfg(feature = "legacy")]
            Self::Md5Sha1 => None,
        }
    }
}

/// A digest value of up to `MAX_HASH_LEN` bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Digest {
    bytes: [u8; MAX_HASH_LEN],
    len: usize,
}

impl Digest {
    fn from_slice(v: &[u8]) -> Self {
        let mut bytes = [0u8; MAX_HASH_LEN];
        bytes[..v.len()].copy_from_slice(v);
        Self {
            bytes,
            len: v.len(),
        }
    }

    /// The digest bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl AsRef<[u8]> for Digest {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl core::fmt::Debug for Digest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Digest({})", hex::encode(self.as_ref()))
    }
}

/// A running hash that can be forked: [`HashContext::current`] gives the
/// digest so far and keeps the context usable (the transcript hash of
/// RFC 8446 §4.4.1 is read at several points of one handshake).
#[derive(Clone)]
pub struct HashContext {
    algorithm: HashAlgorithm,
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    Ring(digest::Context),
    #[cfg(feature = "legacy")]
    Md5Sha1(md5::Md5, digest::Context),
}

impl HashContext {
    /// A fresh context for `algorithm`.
    pub fn new(algorithm: HashAlgorithm) -> Self {
        let inner = match algorithm.ring_algorithm() {
            Some(alg) => Inner::Ring(digest::Context::new(alg)),
            #[cfg(feature = "legacy")]
            None => Inner::Md5Sha1(
                md5::Digest::new(),
                digest::Context::new(&digest::SHA1_FOR_LEGACY_USE_ONLY),
            ),
            #[cfg(not(feature = "legacy"))]
            None => unreachable!("every algorithm without the legacy feature is ring's"),
        };
        Self { algorithm, inner }
    }

    /// The algorithm this context computes.
    pub fn algorithm(&self) -> HashAlgorithm {
        self.algorithm
    }

    /// Absorbs `data`.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.inner {
            Inner::Ring(ctx) => ctx.update(data),
            #[cfg(feature = "legacy")]
            Inner::Md5Sha1(md5, sha1) => {
                md5::Digest::update(md5, data);
                sha1.update(data);
            }
        }
    }

    /// The digest of everything absorbed so far; the context stays usable.
    pub fn current(&self) -> Digest {
        self.clone().finish()
    }

    /// The digest of everything absorbed.
    pub fn finish(self) -> Digest {
        match self.inner {
            Inner::Ring(ctx) => Digest::from_slice(ctx.finish().as_ref()),
            #[cfg(feature = "legacy")]
            Inner::Md5Sha1(md5, sha1) => {
                let mut both = [0u8; 36];
                both[..16].copy_from_slice(&md5::Digest::finalize(md5));
                both[16..].copy_from_slice(sha1.finish().as_ref());
                Digest::from_slice(&both)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // FIPS 180-2 / RFC 1321 "abc" test vectors.
    #[test]
    fn known_answers_for_abc() {
        let cases = [
            (HashAlgorithm::Sha1, "a9993e364706816aba3e25717850c26c9cd0d89d"),
            (
                HashAlgorithm::Sha256,
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                HashAlgorithm::Sha384,
                "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
            ),
        ];
        for (alg, want) in cases {
            assert_eq!(hex::encode(alg.hash(b"abc")), want, "{alg:?}");
            assert_eq!(alg.hash(b"abc").as_ref().len(), alg.output_len());
        }
    }

    #[cfg(feature = "legacy")]
    #[test]
    fn md5_sha1_is_the_concatenation() {
        let d = HashAlgorithm::Md5Sha1.hash(b"abc");
        assert_eq!(
            hex::encode(d),
            "900150983cd24fb0d6963f7d28e17f72a9993e364706816aba3e25717850c26c9cd0d89d"
        );
    }

    #[test]
    fn current_does_not_consume_the_context() {
        let mut ctx = HashContext::new(HashAlgorithm::Sha256);
        ctx.update(b"ab");
        let partial = ctx.current();
        ctx.update(b"c");
        assert_eq!(partial, HashAlgorithm::Sha256.hash(b"ab"));
        assert_eq!(ctx.finish(), HashAlgorithm::Sha256.hash(b"abc"));
    }
}
