//! A TLS 1.3 key exchange in any group this crate speaks (RFC 8446
//! §4.2.8): ECDHE in [`crate::crypto::kx`], finite-field DHE in
//! [`crate::crypto::ffdhe`], or ML-KEM, alone or in a hybrid with a
//! curve, in [`crate::crypto::kem_groups`]. The client generates a share per
//! group it offers and completes the one the server picks; the server
//! answers a client share in one step, since a KEM's answer (a ciphertext)
//! depends on the client's share.

use crate::crypto::ffdhe::{self, DhGroup, DhKeyPair};
use crate::crypto::kem_groups::{self, KemShare};
use crate::crypto::kx::{self, KeyShare};
use crate::crypto::rng::SecureRandom;
use crate::crypto::secret::Secret;
use crate::error::Error;
use crate::msgs::enums::NamedGroup;

/// Whether `group` is one this crate can exchange keys in.
pub fn is_supported(group: NamedGroup) -> bool {
    is_ecdhe(group) || ffdhe::is_ffdhe(group) || kem_groups::is_kem_group(group)
}

/// Whether `group` may be listed in a TLS 1.0–1.2 ClientHello: not one
/// built on ML-KEM, which is TLS 1.3 only (draft-ietf-tls-ecdhe-mlkem §3,
/// draft-ietf-tls-mlkem §3).
/// The RFC 7919 groups are listed for DHE suites (RFC 7919 §3).
pub fn usable_in_tls12(group: NamedGroup) -> bool {
    !kem_groups::is_kem_group(group)
}

/// Whether `group` is a curve of TLS 1.0–1.2 ECDHE (RFC 8422 §5.1.1).
pub fn is_ecdhe(group: NamedGroup) -> bool {
    kx::supported_groups().contains(&group)
}

/// A client's key share in one group.
#[derive(Debug)]
pub enum ClientShare {
    /// An ECDHE key pair.
    Dh(KeyShare),
    /// A finite-field DHE key pair in an RFC 7919 group (RFC 8446
    /// §4.2.8.1).
    Ffdhe(NamedGroup, DhKeyPair),
    /// An ML-KEM share, alone or in a hybrid with a curve.
    Kem(KemShare),
}

impl ClientShare {
    /// Generates the client's share in `group`; fails as
    /// [`KeyShare::generate_with`], [`DhKeyPair::generate`] or
    /// [`KemShare::generate`].
    pub fn generate(group: NamedGroup, rng: &dyn SecureRandom) -> Result<Self, Error> {
        Ok(if kem_groups::is_kem_group(group) {
            Self::Kem(KemShare::generate(group, rng)?)
        } else if let Some(ff) = DhGroup::named(group) {
            Self::Ffdhe(group, DhKeyPair::generate(ff, rng)?)
        } else {
            Self::Dh(KeyShare::generate_with(group, rng)?)
        })
    }

    /// The group of this share.
    pub fn group(&self) -> NamedGroup {
        match self {
            Self::Dh(share) => share.group(),
            Self::Ffdhe(group, _) => *group,
            Self::Kem(share) => share.group(),
        }
    }

    /// The share for `KeyShareEntry.key_exchange`.
    pub fn public_key(&self) -> &[u8] {
        match self {
            Self::Dh(share) => share.public_key(),
            Self::Ffdhe(_, pair) => pair.public_key(),
            Self::Kem(share) => share.public_key(),
        }
    }

    /// Completes the exchange with the server's share; fails as
    /// [`KeyShare::complete`], [`DhKeyPair::complete`] or
    /// [`KemShare::complete`].
    pub fn complete(self, server_share: &[u8]) -> Result<Secret, Error> {
        match self {
            Self::Dh(share) => share.complete(server_share),
            Self::Ffdhe(_, pair) => pair.complete(server_share),
            Self::Kem(share) => share.complete(server_share),
        }
    }
}

/// The server's answer to a client share in `group`: its own share and the
/// shared secret. Fails as [`ClientShare::complete`] would on the peer's
/// share, or with `rng`'s error.
pub fn server_share(
    group: NamedGroup,
    client_share: &[u8],
    rng: &dyn SecureRandom,
) -> Result<(Vec<u8>, Secret), Error> {
    if kem_groups::is_kem_group(group) {
        return kem_groups::respond(group, client_share, rng);
    }
    if let Some(ff) = DhGroup::named(group) {
        let pair = DhKeyPair::generate(ff, rng)?;
        let public = pair.public_key().to_vec();
        return Ok((public, pair.complete(client_share)?));
    }
    let share = KeyShare::generate_with(group, rng)?;
    let public = share.public_key().to_vec();
    Ok((public, share.complete(client_share)?))
}
