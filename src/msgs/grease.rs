//! GREASE (RFC 8701): code points reserved so that they are never
//! assigned, which a TLS implementation sends among its real values so
//! that a peer which mishandles an unknown value is found at once rather
//! than when a real extension, suite or group comes to be deployed.
//!
//! RFC 8701 §2 reserves the same sixteen 16-bit values for cipher suites,
//! extensions, named groups, signature algorithms and versions:
//! `0x0A0A`, `0x1A1A`, …, `0xFAFA`, both bytes `0x?A` with the same high
//! nibble. One [`Grease`] is drawn per handshake and keeps its values
//! for all of it, so a second ClientHello (RFC 8446 §4.1.2: unchanged
//! but for the listed edits) repeats the first one's.

use crate::msgs::enums::{
    CipherSuite, ExtensionType, NamedGroup, ProtocolVersion, SignatureScheme,
};

/// Where a handshake places a GREASE value, one value per place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    CipherSuite,
    Group,
    FirstExtension,
    LastExtension,
    Version,
    SignatureScheme,
}

/// How many places [`Slot`] names.
pub(crate) const GREASE_SEED_LEN: usize = 6;

/// The per-handshake choice of GREASE values (RFC 8701 §3: "select one or
/// more GREASE values" per field), one random byte per [`Slot`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Grease {
    seed: [u8; GREASE_SEED_LEN],
}

/// The one-byte body of the last GREASE extension: RFC 8701 §3.1 asks for
/// extensions "with varying length and contents", so the first is empty
/// and the last is not (as Chromium sends them).
pub(crate) const GREASE_EXTENSION_BODY: [u8; 1] = [0];

/// The key_exchange of a GREASE key share (RFC 8701 §3.1: a group's
/// share "with any value"); one byte, the least its `<1..2^16-1>` bound
/// allows (RFC 8446 §4.2.8).
pub(crate) const GREASE_KEY_SHARE: [u8; 1] = [0];

impl Grease {
    /// The values chosen by `seed`, random bytes of the handshake's
    /// generator.
    pub(crate) fn from_seed(seed: [u8; GREASE_SEED_LEN]) -> Self {
        Self { seed }
    }

    /// The GREASE value of `slot`: the slot's seed byte picks one of the
    /// sixteen (RFC 8701 §2).
    fn value(&self, slot: Slot) -> u16 {
        let byte = self.seed.get(slot as usize).copied().unwrap_or_default();
        let nibble = u16::from(byte >> 4);
        (nibble << 12) | (nibble << 4) | 0x0A0A
    }

    /// The cipher suite to list among ours.
    pub(crate) fn cipher_suite(&self) -> CipherSuite {
        CipherSuite::from(self.value(Slot::CipherSuite))
    }

    /// The group to list in supported_groups and to share in key_share.
    pub(crate) fn group(&self) -> NamedGroup {
        NamedGroup::from(self.value(Slot::Group))
    }

    /// The version to list in supported_versions.
    pub(crate) fn version(&self) -> ProtocolVersion {
        ProtocolVersion::from(self.value(Slot::Version))
    }

    /// The signature scheme to list in signature_algorithms.
    pub(crate) fn signature_scheme(&self) -> SignatureScheme {
        SignatureScheme::from(self.value(Slot::SignatureScheme))
    }

    /// The type of the extension that opens an extension list.
    pub(crate) fn first_extension(&self) -> ExtensionType {
        ExtensionType::from(self.value(Slot::FirstExtension))
    }

    /// The type of the extension that closes an extension list (before
    /// pre_shared_key, which must be last: RFC 8446 §4.2.11): another
    /// value than the first's, since one type may appear only once in a
    /// list (RFC 8446 §4.2).
    pub(crate) fn last_extension(&self) -> ExtensionType {
        let first = self.value(Slot::FirstExtension);
        let last = self.value(Slot::LastExtension);
        // Flipping one bit of each byte's high nibble keeps a GREASE value
        // GREASE and makes it another one.
        ExtensionType::from(if last == first { last ^ 0x1010 } else { last })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `value` is one of the sixteen 16-bit GREASE values (RFC
    /// 8701 §2), read from the RFC's definition rather than from
    /// [`Grease::value`].
    fn is_grease(value: u16) -> bool {
        let [high, low] = value.to_be_bytes();
        high == low && high & 0x0F == 0x0A
    }

    #[test]
    fn every_seed_gives_reserved_values_and_two_extension_types() {
        for byte in 0..=u8::MAX {
            for other in [0u8, 0x10, 0xF0, byte] {
                let grease = Grease::from_seed([byte, byte, byte, other, byte, byte]);
                for value in [
                    u16::from(grease.cipher_suite()),
                    u16::from(grease.group()),
                    u16::from(grease.version()),
                    u16::from(grease.signature_scheme()),
                    u16::from(grease.first_extension()),
                    u16::from(grease.last_extension()),
                ] {
                    assert!(is_grease(value), "{value:#06x} from seed {byte:#04x}");
                }
                assert_ne!(grease.first_extension(), grease.last_extension());
            }
        }
    }

    #[test]
    fn the_sixteen_values_are_exactly_the_reserved_ones() {
        let reserved: Vec<u16> = (0..=u16::MAX).filter(|v| is_grease(*v)).collect();
        let listed: Vec<u16> = (0..16u16).map(|n| 0x0A0A + n * 0x1010).collect();
        assert_eq!(reserved, listed);
        let drawn: std::collections::BTreeSet<u16> = (0..=u8::MAX)
            .map(|b| u16::from(Grease::from_seed([b; GREASE_SEED_LEN]).cipher_suite()))
            .collect();
        assert_eq!(drawn.into_iter().collect::<Vec<_>>(), listed);
    }
}
