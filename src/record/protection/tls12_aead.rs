//! TLS 1.2 AEAD record protection: AES-GCM (RFC 5288 §3) and
//! ChaCha20-Poly1305 (RFC 7905 §2), additional data per RFC 5246 §6.2.3.3.

use super::{fragment_len, header_fields, set_length, xor_nonce, Opened, RecordProtection};
use crate::crypto::aead::{AeadAlgorithm, AeadKey, NONCE_LEN, TAG_LEN};
use crate::crypto::cbc::mac_header;
use crate::error::{CryptoReason, Error};
use crate::record::{HEADER_LEN, MAX_CIPHERTEXT_LEN_TLS12};
use zeroize::Zeroizing;

/// The length of the AES-GCM implicit salt from the key block (RFC 5288
/// §3: `client_write_IV` / `server_write_IV` are 4 bytes).
pub const GCM_SALT_LEN: usize = 4;

/// The length of the AES-GCM explicit nonce carried in each record
/// (RFC 5288 §3).
pub const GCM_EXPLICIT_NONCE_LEN: usize = 8;

/// How the 12-byte nonce of each record is formed.
enum NonceMode {
    /// AES-GCM: `salt ‖ explicit`, the explicit 8 bytes sent in the record
    /// (RFC 5288 §3); we send the sequence number there, as RFC 5288 §3
    /// allows and as makes nonce reuse impossible.
    GcmExplicit(Zeroizing<[u8; GCM_SALT_LEN]>),
    /// ChaCha20-Poly1305: `iv ⊕ seq`, nothing sent (RFC 7905 §2).
    XorIv(Zeroizing<[u8; NONCE_LEN]>),
}

/// TLS 1.2 AEAD protection. The additional data is
/// `seq_num ‖ type ‖ version ‖ plaintext length` (RFC 5246 §6.2.3.3).
pub struct Tls12AeadProtection {
    key: AeadKey,
    nonce: NonceMode,
}

impl Tls12AeadProtection {
    /// Protection under the key block's write key and write IV: a 4-byte
    /// salt for AES-GCM (RFC 5288 §3), a 12-byte IV for ChaCha20-Poly1305
    /// (RFC 7905 §2).
    ///
    /// Fails with [`Error::Crypto`] when `key` or `iv` has the wrong length.
    pub fn new(algorithm: AeadAlgorithm, key: &[u8], iv: &[u8]) -> Result<Self, Error> {
        let nonce = match algorithm {
            AeadAlgorithm::Aes128Gcm | AeadAlgorithm::Aes256Gcm => {
                let mut salt = Zeroizing::new([0u8; GCM_SALT_LEN]);
                if iv.len() != GCM_SALT_LEN {
                    return Err(Error::Crypto(CryptoReason::GcmSaltLength));
                }
                salt.copy_from_slice(iv);
                NonceMode::GcmExplicit(salt)
            }
            AeadAlgorithm::ChaCha20Poly1305 => {
                let mut fixed = Zeroizing::new([0u8; NONCE_LEN]);
                if iv.len() != NONCE_LEN {
                    return Err(Error::Crypto(CryptoReason::ChaChaIvLength));
                }
                fixed.copy_from_slice(iv);
                NonceMode::XorIv(fixed)
            }
        };
        Ok(Self {
            key: AeadKey::new(algorithm, key)?,
            nonce,
        })
    }

    /// The record's nonce, from `explicit` (the record's explicit part,
    /// when the mode has one) or from `seq`.
    fn nonce(&self, seq: u64, explicit: &[u8]) -> [u8; NONCE_LEN] {
        match &self.nonce {
            NonceMode::GcmExplicit(salt) => {
                let mut nonce = [0u8; NONCE_LEN];
                let (salt_part, explicit_part) = nonce.split_at_mut(GCM_SALT_LEN);
                salt_part.copy_from_slice(&salt[..]);
                for (n, e) in explicit_part.iter_mut().zip(explicit) {
                    *n = *e;
                }
                nonce
            }
            NonceMode::XorIv(iv) => xor_nonce(iv, seq),
        }
    }
}

impl RecordProtection for Tls12AeadProtection {
    fn explicit_nonce_len(&self) -> usize {
        match self.nonce {
            NonceMode::GcmExplicit(_) => GCM_EXPLICIT_NONCE_LEN,
            NonceMode::XorIv(_) => 0,
        }
    }

    fn max_suffix_len(&self) -> usize {
        TAG_LEN
    }

    fn max_fragment_len(&self) -> usize {
        MAX_CIPHERTEXT_LEN_TLS12
    }

    fn is_protected(&self) -> bool {
        true
    }

    fn usage_limit(&self) -> u64 {
        self.key.algorithm().confidentiality_limit()
    }

    fn seal(&mut self, seq: u64, out: &mut Vec<u8>, record_start: usize) -> Result<(), Error> {
        let explicit_len = self.explicit_nonce_len();
        let plaintext_len = fragment_len(out, record_start)?
            .checked_sub(explicit_len)
            .ok_or(Error::Crypto(CryptoReason::NoRoomForNonce))?;
        let (content_type, version) = header_fields(out.get(record_start..).unwrap_or_default())?;
        let aad = mac_header(
            seq,
            content_type.into(),
            version.into(),
            u16::try_from(plaintext_len).map_err(|_| Error::EncodeOverflow)?,
        );
        let body = out
            .get_mut(record_start + HEADER_LEN..)
            .ok_or(Error::Crypto(CryptoReason::RecordBufferTooShort))?;
        let (explicit, plaintext) = body
            .split_at_mut_checked(explicit_len)
            .ok_or(Error::Crypto(CryptoReason::NoRoomForNonce))?;
        let seq_bytes = seq.to_be_bytes();
        for (e, s) in explicit.iter_mut().zip(seq_bytes) {
            *e = s;
        }
        let nonce = self.nonce(seq, &seq_bytes);
        let tag = self.key.seal_in_place(nonce, &aad, plaintext)?;
        out.extend_from_slice(&tag);
        set_length(out, record_start, explicit_len + plaintext_len + TAG_LEN)
    }

    fn open(&mut self, seq: u64, record: &mut [u8]) -> Result<Opened, Error> {
        let (content_type, version) = header_fields(record)?;
        let explicit_len = self.explicit_nonce_len();
        let (_, fragment) = record
            .split_at_mut_checked(HEADER_LEN)
            .ok_or(Error::BadRecordMac)?;
        let (explicit, sealed) = fragment
            .split_at_mut_checked(explicit_len)
            .ok_or(Error::BadRecordMac)?;
        let plaintext_len = sealed
            .len()
            .checked_sub(TAG_LEN)
            .ok_or(Error::BadRecordMac)?;
        let aad = mac_header(
            seq,
            content_type.into(),
            version.into(),
            u16::try_from(plaintext_len).map_err(|_| Error::RecordOverflow)?,
        );
        let nonce = self.nonce(seq, explicit);
        self.key.open_in_place(nonce, &aad, sealed)?;
        let start = HEADER_LEN + explicit_len;
        Ok(Opened {
            content_type,
            plaintext: start..start + plaintext_len,
            protected: true,
            inner_overhead: 0,
        })
    }
}
