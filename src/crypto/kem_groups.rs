//! The key-exchange groups built on ML-KEM, TLS 1.3 only: the hybrids of
//! draft-ietf-tls-ecdhe-mlkem, an ML-KEM key encapsulation and an
//! elliptic-curve Diffie-Hellman run side by side, their shares and their
//! secrets concatenated, so the key is safe while either half is; and the
//! pure ML-KEM groups of draft-ietf-tls-mlkem, the key encapsulation
//! alone. Neither draft allows TLS 1.2 use (ecdhe-mlkem §3, mlkem §3).
//!
//! | group | code | client share | server share | secret |
//! |---|---|---|---|---|
//! | X25519MLKEM768 | 0x11EC | ek (1184) ‖ X25519 (32) | ct (1088) ‖ X25519 (32) | K ‖ X25519 |
//! | SecP256r1MLKEM768 | 0x11EB | P-256 (65) ‖ ek (1184) | P-256 (65) ‖ ct (1088) | ECDH ‖ K |
//! | SecP384r1MLKEM1024 | 0x11ED | P-384 (97) ‖ ek (1568) | P-384 (97) ‖ ct (1568) | ECDH ‖ K |
//! | MLKEM512 | 0x0200 | ek (800) | ct (768) | K |
//! | MLKEM768 | 0x0201 | ek (1184) | ct (1088) | K |
//! | MLKEM1024 | 0x0202 | ek (1568) | ct (1568) | K |
//!
//! X25519MLKEM768 puts ML-KEM first (ecdhe-mlkem §4.1, for FIPS-approved
//! ordering); the NIST-curve groups put the curve first. A share of the
//! wrong length is `illegal_parameter` before either half is looked at;
//! each half then applies its own checks (the FIPS 203 §7.2 key checks in
//! [`crate::crypto::mlkem`], the point and all-zero checks in
//! [`crate::crypto::kx`]). The pure groups are opt-in: a hybrid keeps the
//! key safe should ML-KEM fall, which is why the defaults offer
//! X25519MLKEM768; they are here for peers and policies that ask for
//! ML-KEM alone (OpenSSL 3.5 and BoringSSL speak them, CNSA 2.0 asks for
//! ML-KEM-1024).
//!
//! Randomness is drawn in a fixed order, so a test generator replays an
//! exchange byte for byte: the client draws ML-KEM's `d ‖ z`, then the
//! curve's private key; the server draws ML-KEM's `m`, then its curve key.

use crate::crypto::kx::{self, KeyShare};
use crate::crypto::mlkem::{self, DecapsulationKey, MlKem};
use crate::crypto::rng::SecureRandom;
use crate::crypto::secret::Secret;
use crate::error::{Error, IllegalParameterReason};
use crate::msgs::enums::NamedGroup;

/// What a group built on ML-KEM is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct KemGroup {
    kem: MlKem,
    /// The curve of a hybrid; `None` for ML-KEM alone.
    curve: Option<NamedGroup>,
    /// Whether the ML-KEM half comes first in shares and secret.
    kem_first: bool,
}

impl KemGroup {
    fn of(group: NamedGroup) -> Option<Self> {
        let (kem, curve, kem_first) = match group {
            NamedGroup::X25519MLKEM768 => (MlKem::Mlkem768, Some(NamedGroup::X25519), true),
            NamedGroup::SecP256r1MLKEM768 => (MlKem::Mlkem768, Some(NamedGroup::secp256r1), false),
            NamedGroup::SecP384r1MLKEM1024 => {
                (MlKem::Mlkem1024, Some(NamedGroup::secp384r1), false)
            }
            NamedGroup::MLKEM512 => (MlKem::Mlkem512, None, true),
            NamedGroup::MLKEM768 => (MlKem::Mlkem768, None, true),
            NamedGroup::MLKEM1024 => (MlKem::Mlkem1024, None, true),
            _ => return None,
        };
        Some(Self {
            kem,
            curve,
            kem_first,
        })
    }

    fn curve_len(self) -> usize {
        self.curve.and_then(kx::public_key_len).unwrap_or_default()
    }

    /// `kem_part` and `curve_part` in this group's order.
    fn order<'a>(self, kem_part: &'a [u8], curve_part: &'a [u8]) -> [&'a [u8]; 2] {
        if self.kem_first {
            [kem_part, curve_part]
        } else {
            [curve_part, kem_part]
        }
    }

    /// A share: the public `kem_part` and `curve_part` in this group's
    /// order, nothing secret, so in a plain buffer.
    fn share(self, kem_part: &[u8], curve_part: &[u8]) -> Vec<u8> {
        self.order(kem_part, curve_part).concat()
    }

    /// Splits a share into its ML-KEM part of `kem_len` bytes and its curve
    /// part (empty for ML-KEM alone); any other total length is
    /// `illegal_parameter`.
    fn split(self, share: &[u8], kem_len: usize) -> Result<(&[u8], &[u8]), Error> {
        let wrong_length = Error::IllegalParameter(IllegalParameterReason::KeyShareLength);
        if share.len() != kem_len + self.curve_len() {
            return Err(wrong_length);
        }
        let at = if self.kem_first {
            kem_len
        } else {
            self.curve_len()
        };
        let (first, second) = share.split_at_checked(at).ok_or(wrong_length)?;
        Ok(if self.kem_first {
            (first, second)
        } else {
            (second, first)
        })
    }

    /// The shared secret: both halves, in this group's order, or ML-KEM's
    /// alone; the buffer they are joined in becomes the secret's own,
    /// wiped on drop.
    fn secret(self, kem_secret: &Secret, curve_secret: Option<&Secret>) -> Secret {
        let curve_secret = curve_secret.map(Secret::as_bytes).unwrap_or_default();
        Secret::new(self.order(kem_secret.as_bytes(), curve_secret).concat())
    }

    /// A fresh curve key pair for a hybrid, none for ML-KEM alone.
    fn curve_key(self, rng: &dyn SecureRandom) -> Result<Option<KeyShare>, Error> {
        self.curve
            .map(|curve| KeyShare::generate_with(curve, rng))
            .transpose()
    }
}

/// Whether `group` is built on ML-KEM: a hybrid or ML-KEM alone.
pub fn is_kem_group(group: NamedGroup) -> bool {
    KemGroup::of(group).is_some()
}

/// The length of a client's share in `group`, `None` if it is not built
/// on ML-KEM.
pub fn client_share_len(group: NamedGroup) -> Option<usize> {
    KemGroup::of(group).map(|g| g.kem.encapsulation_key_len() + g.curve_len())
}

/// The length of a server's share in `group`, `None` if it is not built
/// on ML-KEM.
pub fn server_share_len(group: NamedGroup) -> Option<usize> {
    KemGroup::of(group).map(|g| g.kem.ciphertext_len() + g.curve_len())
}

/// A client's half of one exchange in a group built on ML-KEM: its
/// decapsulation key, a hybrid's curve key pair, and the share that
/// carries their public parts.
pub struct KemShare {
    group: NamedGroup,
    kem_group: KemGroup,
    kem: DecapsulationKey,
    curve: Option<KeyShare>,
    public: Vec<u8>,
}

impl core::fmt::Debug for KemShare {
    /// Shows the group only.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KemShare")
            .field("group", &self.group)
            .finish_non_exhaustive()
    }
}

impl KemShare {
    /// Generates the client's keys for `group`. A group not built on
    /// ML-KEM is `illegal_parameter`, as for [`KeyShare::generate_with`].
    pub fn generate(group: NamedGroup, rng: &dyn SecureRandom) -> Result<Self, Error> {
        let kem_group = KemGroup::of(group).ok_or(Error::IllegalParameter(
            IllegalParameterReason::UnsupportedKxGroup,
        ))?;
        let (kem, encapsulation_key) = DecapsulationKey::generate(kem_group.kem, rng)?;
        let curve = kem_group.curve_key(rng)?;
        let curve_public = curve.as_ref().map(KeyShare::public_key).unwrap_or_default();
        let public = kem_group.share(&encapsulation_key, curve_public);
        Ok(Self {
            group,
            kem_group,
            kem,
            curve,
            public,
        })
    }

    /// The group of this share.
    pub fn group(&self) -> NamedGroup {
        self.group
    }

    /// The client's share, for `KeyShareEntry.key_exchange`.
    pub fn public_key(&self) -> &[u8] {
        &self.public
    }

    /// Completes the exchange with the server's share: decapsulates its
    /// ciphertext and, in a hybrid, agrees with its curve key. Fails as
    /// described in the module header.
    pub fn complete(self, server_share: &[u8]) -> Result<Secret, Error> {
        let (ciphertext, curve_key) = self
            .kem_group
            .split(server_share, self.kem_group.kem.ciphertext_len())?;
        let kem_secret = self.kem.decapsulate(ciphertext)?;
        let curve_secret = self.curve.map(|c| c.complete(curve_key)).transpose()?;
        Ok(self.kem_group.secret(&kem_secret, curve_secret.as_ref()))
    }
}

/// The server's half of one exchange in `group`: encapsulates to the
/// client's ML-KEM key and, in a hybrid, agrees with its curve key,
/// returning the server's share and the shared secret. Fails as described
/// in the module header.
pub fn respond(
    group: NamedGroup,
    client_share: &[u8],
    rng: &dyn SecureRandom,
) -> Result<(Vec<u8>, Secret), Error> {
    let kem_group = KemGroup::of(group).ok_or(Error::IllegalParameter(
        IllegalParameterReason::UnsupportedKxGroup,
    ))?;
    let (encapsulation_key, client_curve_key) =
        kem_group.split(client_share, kem_group.kem.encapsulation_key_len())?;
    let (ciphertext, kem_secret) = mlkem::encapsulate(kem_group.kem, encapsulation_key, rng)?;
    let curve = kem_group.curve_key(rng)?;
    let curve_public = curve.as_ref().map(KeyShare::public_key).unwrap_or_default();
    let share = kem_group.share(&ciphertext, curve_public);
    let curve_secret = curve.map(|c| c.complete(client_curve_key)).transpose()?;
    Ok((share, kem_group.secret(&kem_secret, curve_secret.as_ref())))
}
