//! A bounded memory of certificate signatures that have verified, shared
//! by every connection that uses one verifier.
//!
//! A client that connects to the same servers again (the common case for
//! an embedded client) is shown the same intermediates and end-entity
//! certificates each time, and checking their signatures is most of a
//! full handshake's client-side cost (two ECDSA verifications of three
//! for a P-256 chain). A signature check is a pure function of the
//! issuer's key, the algorithm, the signed bytes and the signature, so
//! its success can be remembered: the cache holds the SHA-256 of exactly
//! those four inputs (each length-prefixed, so no two distinct inputs
//! share an encoding). The issuer's key is its whole
//! SubjectPublicKeyInfo, whether it comes from a certificate or from a
//! bare trust anchor. Only signature checks are remembered; validity
//! periods, names, usages, constraints and the path itself are checked on
//! every validation, and failures are never remembered.

use crate::crypto::hash::HashAlgorithm;
use crate::crypto::hash_context::HashContext;
use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

/// The most signatures one cache remembers; the oldest is forgotten first.
/// At 32 bytes a digest (twice, in the set and the eviction order) this
/// bounds a cache to well under 100 KiB.
pub const MAX_CACHED_SIGNATURES: usize = 1024;

/// The digest naming one verified signature.
pub(crate) type SignatureKey = [u8; 32];

/// Remembered successful certificate signature checks (see the module
/// documentation). Thread-safe; a poisoned lock is treated as an empty
/// cache, so the cache can only ever save work, never change a result.
#[derive(Debug, Default)]
pub struct SignatureCache {
    entries: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    known: HashSet<SignatureKey>,
    order: VecDeque<SignatureKey>,
    hits: u64,
}

impl SignatureCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The key for `issuer_spki` (the issuer's whole SubjectPublicKeyInfo)
    /// having signed `signed` under `algorithm` (the whole
    /// AlgorithmIdentifier) with `signature`.
    pub(crate) fn key(
        issuer_spki: &[u8],
        algorithm: &[u8],
        signed: &[u8],
        signature: &[u8],
    ) -> SignatureKey {
        let mut context = HashContext::new(HashAlgorithm::Sha256);
        for part in [issuer_spki, algorithm, signed, signature] {
            let len = u64::try_from(part.len()).unwrap_or(u64::MAX);
            context.update(&len.to_be_bytes());
            context.update(part);
        }
        let mut key = [0u8; 32];
        let digest = context.finish();
        for (k, d) in key.iter_mut().zip(digest.as_bytes()) {
            *k = *d;
        }
        key
    }

    /// Whether the signature named by `key` verified before (counted as a
    /// hit when it did).
    pub(crate) fn contains(&self, key: &SignatureKey) -> bool {
        let Ok(mut entries) = self.entries.lock() else {
            return false;
        };
        let found = entries.known.contains(key);
        if found {
            entries.hits = entries.hits.saturating_add(1);
        }
        found
    }

    /// Remembers that the signature named by `key` verified, forgetting
    /// the oldest one beyond [`MAX_CACHED_SIGNATURES`].
    pub(crate) fn insert(&self, key: SignatureKey) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if !entries.known.insert(key) {
            return;
        }
        entries.order.push_back(key);
        while entries.order.len() > MAX_CACHED_SIGNATURES {
            if let Some(oldest) = entries.order.pop_front() {
                entries.known.remove(&oldest);
            }
        }
    }

    /// How many verified signatures are remembered.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.known.len())
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many signature checks the cache has answered.
    pub fn hits(&self) -> u64 {
        self.entries.lock().map_or(0, |e| e.hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgets_the_oldest_beyond_the_bound() {
        let cache = SignatureCache::new();
        let keys: Vec<SignatureKey> = (0..=MAX_CACHED_SIGNATURES)
            .map(|i| SignatureCache::key(b"spki", b"alg", &i.to_be_bytes(), b"sig"))
            .collect();
        for key in &keys {
            cache.insert(*key);
        }
        assert_eq!(cache.len(), MAX_CACHED_SIGNATURES);
        assert!(keys.first().is_some_and(|k| !cache.contains(k)));
        assert!(keys.last().is_some_and(|k| cache.contains(k)));
        assert_eq!(cache.hits(), 1);
    }

    #[test]
    fn keys_separate_their_parts() {
        // The same bytes split differently between the parts must differ.
        assert_ne!(
            SignatureCache::key(b"ab", b"c", b"d", b"e"),
            SignatureCache::key(b"a", b"bc", b"d", b"e")
        );
        assert_ne!(
            SignatureCache::key(b"a", b"b", b"c", b"de"),
            SignatureCache::key(b"a", b"b", b"cd", b"e")
        );
    }
}
