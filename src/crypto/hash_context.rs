//! Running hashes that can be forked: the handshake transcript hash of
//! RFC 8446 §4.4.1 and of the TLS 1.0–1.2 handshake (RFC 5246 §7.4.9),
//! read at several points of one handshake.
//!
//! SHA-256 and SHA-384 (and SHA-1 with `legacy`) run on the compression
//! functions of [`crate::crypto::sha_blocks`], so reading the transcript is
//! a copy and a final block; SHA-512 runs on ring, and TLS 1.0/1.1's
//! MD5‖SHA-1 on the `md-5` crate beside ring's SHA-1.

use crate::crypto::hash::{Digest, HashAlgorithm};
use crate::crypto::sha_blocks::PublicHash;
use ring::digest;

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
    /// SHA-256 and SHA-384 (and SHA-1 with `legacy`) on the compression
    /// functions ([`PublicHash`]): forking and reading the transcript is a
    /// copy and a final block, without ring's context set-up.
    Blocks(PublicHash),
    Ring(digest::Context),
    #[cfg(feature = "legacy")]
    Md5Sha1(md5::Md5, digest::Context),
}

impl HashContext {
    /// A fresh context for `algorithm`.
    pub fn new(algorithm: HashAlgorithm) -> Self {
        if let Some(blocks) = PublicHash::unkeyed(algorithm) {
            return Self {
                algorithm,
                inner: Inner::Blocks(blocks),
            };
        }
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
            Inner::Blocks(hash) => hash.update(data),
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
            Inner::Blocks(hash) => Digest::from_slice(hash.finish().bytes()),
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

impl HashAlgorithm {
    /// Hashes `data` in one call.
    pub fn hash(self, data: &[u8]) -> Digest {
        let mut ctx = HashContext::new(self);
        ctx.update(data);
        ctx.finish()
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

    // Every length around the block boundaries and the padding's edge
    // (55/56 and 111/112 bytes), one-shot and fed in uneven pieces, read
    // midway with `current`, against ring's digests.
    #[test]
    fn agrees_with_ring_across_lengths() {
        let message: Vec<u8> = (0..400u16).map(|i| (i * 13 + 1) as u8).collect();
        for (alg, ring_alg) in [
            (HashAlgorithm::Sha1, &digest::SHA1_FOR_LEGACY_USE_ONLY),
            (HashAlgorithm::Sha256, &digest::SHA256),
            (HashAlgorithm::Sha384, &digest::SHA384),
            (HashAlgorithm::Sha512, &digest::SHA512),
        ] {
            for len in 0..message.len() {
                let data = &message[..len];
                let want = digest::digest(ring_alg, data);
                assert_eq!(alg.hash(data).as_ref(), want.as_ref(), "{alg:?} {len}");
                let mut ctx = HashContext::new(alg);
                let (head, tail) = data.split_at(len / 3);
                ctx.update(head);
                let midway = ctx.current();
                assert_eq!(midway.as_ref(), digest::digest(ring_alg, head).as_ref());
                for piece in tail.chunks(len % 29 + 1) {
                    ctx.update(piece);
                }
                assert_eq!(
                    ctx.finish().as_ref(),
                    want.as_ref(),
                    "{alg:?} {len} streamed"
                );
            }
        }
    }
}
