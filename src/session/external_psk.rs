//! External PSKs (RFC 8446 §2.2, §4.2.11): keys agreed outside TLS and
//! named by an identity, with the hash their TLS 1.3 key schedule runs
//! in. A client offers them beside or instead of a ticket; a server finds
//! the key of an offered identity in an [`ExternalPskStore`]. Their
//! binders use the "ext binder" label (RFC 8446 §7.1), so a ticket's key
//! can never pass for an external one or the other way round.
//!
//! An external PSK may also be imported (RFC 9258), once per target hash:
//! each import has an identity of its own (the encoded
//! `ImportedIdentity`), a key derived from the external one for that
//! hash only, and binders under "imp binder" (§5.2), so one external key
//! serves the suites of both TLS 1.3 hashes without being used with two
//! hash functions. BoringSSL takes external PSKs only this way.
//!
//! ```text
//! epskx = HKDF-Extract(0, epsk)                  (in the external PSK's hash)
//! ipskx = HKDF-Expand-Label(epskx, "derived psk",
//!                           Hash(ImportedIdentity), L)   (L: the target hash's length)
//! ```

use std::collections::HashMap;

use crate::crypto::hash::HashAlgorithm;
use crate::crypto::hkdf;
use crate::crypto::secret::Secret;
use crate::error::{Error, InvalidRequestReason};
use crate::keyschedule::tls13::PskKind;
use crate::msgs::enums::ProtocolVersion;
use crate::msgs::psk::{ImportedIdentity, PSK_IDENTITY};

/// The shortest external PSK accepted, in bytes: RFC 9257 §6 asks that an
/// external PSK carry at least 128 bits of entropy, which a shorter key
/// cannot. (OpenSSL and GnuTLS take shorter keys; a 32-byte random key,
/// `openssl rand -hex 32`, is what to use.)
pub const MIN_EXTERNAL_PSK_LEN: usize = 16;

/// The longest external PSK accepted, in bytes: RFC 8446 §7.1 feeds the
/// PSK to HKDF-Extract, where any length works, but a key longer than a
/// hash block only gets hashed first; 64 bytes is 512 bits, more entropy
/// than any TLS 1.3 hash keeps, and bounds what a configuration holds.
pub const MAX_EXTERNAL_PSK_LEN: usize = 64;

/// One external PSK: its identity, its key (zeroized on drop) and the
/// hash of the cipher suites it may be used with (RFC 8446 §4.2.11: SHA-256
/// when nothing else was agreed).
#[derive(Clone)]
pub struct ExternalPsk {
    identity: Vec<u8>,
    key: Secret,
    hash: HashAlgorithm,
    /// External or imported: which binder label it takes.
    kind: PskKind,
}

/// The KDF identifier of an ImportedIdentity for a TLS 1.3 hash (RFC
/// 9258 §10, "TLS KDF Identifiers": HKDF_SHA256 is 1, HKDF_SHA384 2).
fn target_kdf(hash: HashAlgorithm) -> Result<u16, Error> {
    match hash {
        HashAlgorithm::Sha256 => Ok(0x0001),
        HashAlgorithm::Sha384 => Ok(0x0002),
        _ => Err(Error::InvalidRequest(InvalidRequestReason::ExternalPskHash)),
    }
}

impl ExternalPsk {
    /// An external PSK named `identity` (1 to 65,535 bytes, RFC 8446
    /// §4.2.11) with `key` ([`MIN_EXTERNAL_PSK_LEN`] to
    /// [`MAX_EXTERNAL_PSK_LEN`] bytes) for the suites of `hash` (SHA-256
    /// or SHA-384, the TLS 1.3 hashes); anything else is
    /// [`Error::InvalidRequest`].
    pub fn new(identity: &[u8], key: &[u8], hash: HashAlgorithm) -> Result<Self, Error> {
        if identity.len() < PSK_IDENTITY.min || identity.len() > PSK_IDENTITY.max {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::ExternalPskIdentity,
            ));
        }
        if key.len() < MIN_EXTERNAL_PSK_LEN || key.len() > MAX_EXTERNAL_PSK_LEN {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::ExternalPskLength,
            ));
        }
        if !matches!(hash, HashAlgorithm::Sha256 | HashAlgorithm::Sha384) {
            return Err(Error::InvalidRequest(InvalidRequestReason::ExternalPskHash));
        }
        Ok(Self {
            identity: identity.to_vec(),
            key: Secret::from_slice(key),
            hash,
            kind: PskKind::External,
        })
    }

    /// Imports an external PSK for the TLS 1.3 suites of `target` (RFC
    /// 9258 §5): `external_identity`, `epsk` and `epsk_hash` are the
    /// external PSK as [`ExternalPsk::new`] takes it (SHA-256 when none
    /// was agreed), `context` what both sides agreed to bind it to (may be
    /// empty). Import it for each TLS 1.3 hash to offer or accept it with
    /// every suite; the imports' identities differ, so a server's
    /// [`ExternalPsks`] holds them side by side. Bounds as for
    /// [`ExternalPsk::new`], and the encoded identity must fit 65,535
    /// bytes; anything else is [`Error::InvalidRequest`].
    pub fn import(
        external_identity: &[u8],
        epsk: &[u8],
        context: &[u8],
        epsk_hash: HashAlgorithm,
        target: HashAlgorithm,
    ) -> Result<Self, Error> {
        let external = Self::new(external_identity, epsk, epsk_hash)?;
        let identity = ImportedIdentity {
            external_identity,
            context,
            target_protocol: ProtocolVersion::TLSv1_3.into(),
            target_kdf: target_kdf(target)?,
        }
        .to_bytes()
        .ok()
        .filter(|identity| identity.len() <= PSK_IDENTITY.max)
        .ok_or(Error::InvalidRequest(
            InvalidRequestReason::ImportedPskIdentity,
        ))?;
        // An empty salt is the "0" of RFC 8446 §7.1: HashLen zero bytes.
        let epskx = hkdf::extract(epsk_hash, &[], external.key.as_bytes())?;
        let ipskx = hkdf::expand_label(
            epsk_hash,
            epskx.as_bytes(),
            b"derived psk",
            epsk_hash.hash(&identity).as_bytes(),
            target.output_len(),
        )?;
        Ok(Self {
            kind: PskKind::Imported,
            ..Self::new(&identity, ipskx.as_bytes(), target)?
        })
    }

    /// Imports an external PSK for every TLS 1.3 hash (RFC 9258 §4.1:
    /// SHA-256, then SHA-384), so that it goes with every suite; each
    /// import as [`ExternalPsk::import`] makes it.
    pub fn import_for_tls13(
        external_identity: &[u8],
        epsk: &[u8],
        context: &[u8],
        epsk_hash: HashAlgorithm,
    ) -> Result<[Self; 2], Error> {
        let import = |target| Self::import(external_identity, epsk, context, epsk_hash, target);
        Ok([
            import(HashAlgorithm::Sha256)?,
            import(HashAlgorithm::Sha384)?,
        ])
    }

    /// The identity the client sends (RFC 8446 §4.2.11).
    pub fn identity(&self) -> &[u8] {
        &self.identity
    }

    /// The hash of the suites this PSK may be used with.
    pub fn hash(&self) -> HashAlgorithm {
        self.hash
    }

    /// The key, the PSK input of the early secret (RFC 8446 §7.1).
    pub(crate) fn key(&self) -> &Secret {
        &self.key
    }

    /// External or imported, for the binder label.
    pub(crate) fn kind(&self) -> PskKind {
        self.kind
    }
}

impl core::fmt::Debug for ExternalPsk {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ExternalPsk")
            .field("identity", &String::from_utf8_lossy(&self.identity))
            .field("hash", &self.hash)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Where a server finds external PSKs by identity. A trait so keys may
/// come from a database; [`ExternalPsks`] is a fixed map.
pub trait ExternalPskStore: Send + Sync {
    /// The PSK named `identity`, if there is one.
    fn find(&self, identity: &[u8]) -> Option<ExternalPsk>;
}

/// A fixed set of external PSKs, by identity.
#[derive(Clone, Debug, Default)]
pub struct ExternalPsks {
    by_identity: HashMap<Vec<u8>, ExternalPsk>,
}

impl ExternalPsks {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `psk`, replacing one of the same identity.
    pub fn insert(&mut self, psk: ExternalPsk) {
        self.by_identity.insert(psk.identity.clone(), psk);
    }
}

impl ExternalPskStore for ExternalPsks {
    fn find(&self, identity: &[u8]) -> Option<ExternalPsk> {
        self.by_identity.get(identity).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_of_identity_key_and_hash() {
        let key = [7u8; MIN_EXTERNAL_PSK_LEN];
        assert!(ExternalPsk::new(b"id", &key, HashAlgorithm::Sha384).is_ok());
        let refused = |r: Result<ExternalPsk, Error>, reason| {
            assert!(matches!(r, Err(Error::InvalidRequest(got)) if got == reason));
        };
        refused(
            ExternalPsk::new(b"", &key, HashAlgorithm::Sha256),
            InvalidRequestReason::ExternalPskIdentity,
        );
        refused(
            ExternalPsk::new(&vec![1; 0x10000], &key, HashAlgorithm::Sha256),
            InvalidRequestReason::ExternalPskIdentity,
        );
        refused(
            ExternalPsk::new(b"id", &key[1..], HashAlgorithm::Sha256),
            InvalidRequestReason::ExternalPskLength,
        );
        refused(
            ExternalPsk::new(b"id", &[1; MAX_EXTERNAL_PSK_LEN + 1], HashAlgorithm::Sha256),
            InvalidRequestReason::ExternalPskLength,
        );
        refused(
            ExternalPsk::new(b"id", &key, HashAlgorithm::Sha512),
            InvalidRequestReason::ExternalPskHash,
        );
    }

    #[test]
    fn the_map_finds_by_identity_and_debug_hides_the_key() {
        let mut psks = ExternalPsks::new();
        psks.insert(ExternalPsk::new(b"alice", &[0xa5; 32], HashAlgorithm::Sha256).unwrap());
        let found = psks.find(b"alice").unwrap();
        assert_eq!(found.key().as_bytes(), &[0xa5; 32]);
        assert!(psks.find(b"bob").is_none());
        assert!(!format!("{found:?}").contains("a5"));
    }
}
