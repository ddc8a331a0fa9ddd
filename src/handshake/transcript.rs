//! The transcript hash (RFC 8446 §4.4.1): every handshake message, header
//! included, in order, hashed with the suite's hash; after a
//! HelloRetryRequest the first ClientHello is replaced by the synthetic
//! `message_hash` message.

use crate::crypto::hash::{Digest, HashAlgorithm};
use crate::crypto::hash_context::HashContext;
use crate::keyschedule::tls13::message_hash;

/// A running transcript hash.
#[derive(Clone)]
pub(crate) struct Transcript {
    context: HashContext,
}

impl Transcript {
    /// A transcript over `messages` (encoded, in order) with `hash`.
    pub(crate) fn new(hash: HashAlgorithm, messages: &[&[u8]]) -> Self {
        let mut context = HashContext::new(hash);
        for message in messages {
            context.update(message);
        }
        Self { context }
    }

    /// The transcript after a HelloRetryRequest: `message_hash` of the
    /// first ClientHello, then the HelloRetryRequest (RFC 8446 §4.4.1).
    pub(crate) fn after_retry(hash: HashAlgorithm, client_hello1: &[u8], retry: &[u8]) -> Self {
        let synthetic = message_hash(&hash.hash(client_hello1));
        Self::new(hash, &[&synthetic, retry])
    }

    /// Absorbs one encoded message.
    pub(crate) fn add(&mut self, message: &[u8]) {
        self.context.update(message);
    }

    /// The hash of everything so far.
    pub(crate) fn current(&self) -> Digest {
        self.context.current()
    }

    /// The hash function of this transcript.
    pub(crate) fn hash(&self) -> HashAlgorithm {
        self.context.algorithm()
    }
}
