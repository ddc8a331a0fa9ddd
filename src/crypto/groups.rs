//! A TLS 1.3 key exchange in any group this crate speaks (RFC 8446
//! §4.2.8): (EC)DHE in [`crate::crypto::kx`], or a hybrid of ML-KEM and a
//! curve in [`crate::crypto::hybrid`]. The client generates a share per
//! group it offers and completes the one the server picks; the server
//! answers a client share in one step, since a KEM's answer (a ciphertext)
//! depends on the client's share.

use crate::crypto::hybrid::{self, HybridShare};
use crate::crypto::kx::{self, KeyShare};
use crate::crypto::rng::SecureRandom;
use crate::crypto::secret::Secret;
use crate::error::Error;
use crate::msgs::enums::NamedGroup;

/// Whether `group` is one this crate can exchange keys in.
pub fn is_supported(group: NamedGroup) -> bool {
    kx::supported_groups().contains(&group) || hybrid::is_hybrid(group)
}

/// Whether `group` may be used in TLS 1.0–1.2 ECDHE: not a hybrid group,
/// which is TLS 1.3 only (draft-ietf-tls-ecdhe-mlkem §3).
pub fn usable_in_tls12(group: NamedGroup) -> bool {
    !hybrid::is_hybrid(group)
}

/// A client's key share in one group.
#[derive(Debug)]
pub enum ClientShare {
    /// An (EC)DHE key pair.
    Dh(KeyShare),
    /// A hybrid ML-KEM and curve share.
    Hybrid(HybridShare),
}

impl ClientShare {
    /// Generates the client's share in `group`; fails as
    /// [`KeyShare::generate_with`] or [`HybridShare::generate`].
    pub fn generate(group: NamedGroup, rng: &dyn SecureRandom) -> Result<Self, Error> {
        Ok(if hybrid::is_hybrid(group) {
            Self::Hybrid(HybridShare::generate(group, rng)?)
        } else {
            Self::Dh(KeyShare::generate_with(group, rng)?)
        })
    }

    /// The group of this share.
    pub fn group(&self) -> NamedGroup {
        match self {
            Self::Dh(share) => share.group(),
            Self::Hybrid(share) => share.group(),
        }
    }

    /// The share for `KeyShareEntry.key_exchange`.
    pub fn public_key(&self) -> &[u8] {
        match self {
            Self::Dh(share) => share.public_key(),
            Self::Hybrid(share) => share.public_key(),
        }
    }

    /// Completes the exchange with the server's share; fails as
    /// [`KeyShare::complete`] or [`HybridShare::complete`].
    pub fn complete(self, server_share: &[u8]) -> Result<Secret, Error> {
        match self {
            Self::Dh(share) => share.complete(server_share),
            Self::Hybrid(share) => share.complete(server_share),
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
    if hybrid::is_hybrid(group) {
        return hybrid::respond(group, client_share, rng);
    }
    let share = KeyShare::generate_with(group, rng)?;
    let public = share.public_key().to_vec();
    Ok((public, share.complete(client_share)?))
}
