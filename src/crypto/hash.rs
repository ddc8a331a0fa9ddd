//! The hash functions ferrotls uses ([`HashAlgorithm`]) and their
//! digests; hashing itself, one-shot and running, is in
//! [`crate::crypto::hash_context`].
//!
//! `HashAlgorithm::Md5Sha1` is the 36-byte MD5‖SHA-1 concatenation TLS
//! 1.0 and 1.1 use for their handshake transcript (RFC 2246 §7.4.9, RFC
//! 4346 §7.4.9); MD5 (TLS 1.0/1.1 PRF, Finished and signatures only) comes
//! from the `md-5` crate behind the `legacy` feature.

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
    /// The first `v.len()` bytes (at most [`MAX_HASH_LEN`]) as a digest.
    pub(crate) fn from_slice(v: &[u8]) -> Self {
        let mut bytes = [0u8; MAX_HASH_LEN];
        for (b, x) in bytes.iter_mut().zip(v) {
            *b = *x;
        }
        Self {
            bytes,
            len: v.len().min(MAX_HASH_LEN),
        }
    }

    /// The digest bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&self.bytes)
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
