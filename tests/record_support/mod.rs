//! Shared helpers of the record tests: every protection scheme, built twice
//! from the same fixed keys (one to seal, one to open).
#![allow(dead_code)]

use ferrotls::internal::crypto::aead::AeadAlgorithm;
use ferrotls::internal::record::{
    RecordLayer, RecordProtection, Tls12AeadProtection, Tls13AeadProtection,
};
use ferrotls::ProtocolVersion;
#[cfg(feature = "legacy")]
use ferrotls::{
    internal::crypto::{cbc::BLOCK_LEN, hash::HashAlgorithm},
    internal::record::{CbcHmacProtection, CbcIv, MacOrder},
    Error,
};

pub fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s.replace([' ', '\n'], "")).unwrap()
}

#[cfg(feature = "legacy")]
/// A deterministic explicit-IV source: 0x00.., 0x01.., ... per IV.
pub fn counting_iv_source() -> CbcIv {
    let mut next = 0u8;
    CbcIv::Explicit(Box::new(move |ivs: &mut [u8]| {
        for iv in ivs.chunks_exact_mut(BLOCK_LEN) {
            iv.fill(next);
            next = next.wrapping_add(1);
        }
        Ok::<(), Error>(())
    }))
}

/// The kind of protection a scheme is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Tls13(AeadAlgorithm),
    Tls12Aead(AeadAlgorithm),
    #[cfg(feature = "legacy")]
    Cbc {
        version: ProtocolVersion,
        key_len: usize,
        mac: HashAlgorithm,
        order: MacOrder,
    },
}

impl Kind {
    /// The record version a connection of this kind writes.
    pub fn record_version(self) -> ProtocolVersion {
        match self {
            Kind::Tls13(_) | Kind::Tls12Aead(_) => ProtocolVersion::TLSv1_2,
            #[cfg(feature = "legacy")]
            Kind::Cbc { version, .. } => version,
        }
    }

    /// A fresh protection of this kind under the fixed test keys.
    pub fn build(self) -> Box<dyn RecordProtection> {
        match self {
            Kind::Tls13(alg) => Box::new(
                Tls13AeadProtection::new(alg, &vec![0x11; alg.key_len()], &[0x22; 12]).unwrap(),
            ),
            Kind::Tls12Aead(alg) => {
                let iv_len = if alg == AeadAlgorithm::ChaCha20Poly1305 {
                    12
                } else {
                    4
                };
                Box::new(
                    Tls12AeadProtection::new(alg, &vec![0x33; alg.key_len()], &vec![0x44; iv_len])
                        .unwrap(),
                )
            }
            #[cfg(feature = "legacy")]
            Kind::Cbc { .. } => Box::new(self.build_cbc()),
        }
    }

    /// A fresh CBC protection of this kind (panics for AEAD kinds).
    #[cfg(feature = "legacy")]
    pub fn build_cbc(self) -> CbcHmacProtection {
        let Kind::Cbc {
            version,
            key_len,
            mac,
            order,
        } = self
        else {
            panic!("not a CBC kind");
        };
        let iv = if version == ProtocolVersion::TLSv1_0 {
            CbcIv::chained(&[0x55; 16]).unwrap()
        } else {
            counting_iv_source()
        };
        CbcHmacProtection::new(
            &vec![0x66; key_len],
            mac,
            &[0x77; 48][..mac.output_len()],
            iv,
            order,
        )
        .unwrap()
    }
}

/// Every scheme × version × hash × key size.
pub fn all_kinds() -> Vec<Kind> {
    let algs = [
        AeadAlgorithm::Aes128Gcm,
        AeadAlgorithm::Aes256Gcm,
        AeadAlgorithm::ChaCha20Poly1305,
    ];
    let mut kinds: Vec<Kind> = algs.iter().map(|&a| Kind::Tls13(a)).collect();
    kinds.extend(algs.iter().map(|&a| Kind::Tls12Aead(a)));
    #[cfg(feature = "legacy")]
    for version in [
        ProtocolVersion::TLSv1_0,
        ProtocolVersion::TLSv1_1,
        ProtocolVersion::TLSv1_2,
    ] {
        for key_len in [16, 32] {
            for mac in [
                HashAlgorithm::Sha1,
                HashAlgorithm::Sha256,
                HashAlgorithm::Sha384,
            ] {
                for order in [MacOrder::MacThenEncrypt, MacOrder::EncryptThenMac] {
                    kinds.push(Kind::Cbc {
                        version,
                        key_len,
                        mac,
                        order,
                    });
                }
            }
        }
    }
    kinds
}

/// A sending and a receiving record layer, both protected with `kind`.
pub fn layer_pair(kind: Kind) -> (RecordLayer, RecordLayer) {
    let mut sender = RecordLayer::new();
    sender.set_write_version(kind.record_version());
    sender.set_write_protection(kind.build());
    let mut receiver = RecordLayer::new();
    receiver.set_read_protection(kind.build());
    (sender, receiver)
}
