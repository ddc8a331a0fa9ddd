//! The AEAD ciphers TLS 1.2 and 1.3 records use: AES-128-GCM, AES-256-GCM
//! (RFC 5116, RFC 5288) and ChaCha20-Poly1305 (RFC 8439), all from ring.
//!
//! Sealing and opening work in place on a caller's buffer with an explicit
//! 12-byte nonce and additional data; the record layer builds both. The raw
//! key bytes are never stored: ring expands them into its own key schedule
//! when the key is built, and the caller's copy is the caller's to wipe.

use crate::error::{CryptoReason, Error};
use ring::aead;

/// The nonce length of every AEAD here (RFC 5116 §5.1, RFC 8439 §2.8).
pub const NONCE_LEN: usize = aead::NONCE_LEN;

/// The authentication tag length of every AEAD here (RFC 5116 §5.1,
/// RFC 8439 §2.8).
pub const TAG_LEN: usize = 16;

/// The most records one AES-GCM key may seal: 2^24.5 full-size records,
/// rounded down, which keeps the authenticated-encryption advantage near
/// 2^-57 (RFC 8446 §5.5 and its revision RFC 9846 §5.5, which makes a key
/// update or a close before it a MUST; the confidentiality limit of RFC
/// 9147 §4.5.3). Counted in records whatever their size, as the RFCs do.
pub const AES_GCM_CONFIDENTIALITY_LIMIT: u64 = 23_726_566;

/// The most records one ChaCha20-Poly1305 key may seal: no smaller bound
/// than the 64-bit sequence number itself, which "would wrap before the
/// safety limit is reached" (RFC 8446 §5.5; RFC 9147 §4.5.3 puts the
/// confidentiality limit above 2^64 records). The record layer's
/// `SEQUENCE_NUMBER_LIMIT` ends the key first.
pub const CHACHA20_POLY1305_CONFIDENTIALITY_LIMIT: u64 = u64::MAX;

/// An AEAD algorithm a TLS cipher suite names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AeadAlgorithm {
    /// AES-128 in Galois/Counter Mode (RFC 5116 §5.1).
    Aes128Gcm,
    /// AES-256 in Galois/Counter Mode (RFC 5116 §5.2).
    Aes256Gcm,
    /// ChaCha20-Poly1305 (RFC 8439 §2.8).
    ChaCha20Poly1305,
}

impl AeadAlgorithm {
    /// The key length in bytes.
    pub const fn key_len(self) -> usize {
        match self {
            Self::Aes128Gcm => 16,
            Self::Aes256Gcm | Self::ChaCha20Poly1305 => 32,
        }
    }

    /// How many records one key of this algorithm may seal
    /// ([`AES_GCM_CONFIDENTIALITY_LIMIT`],
    /// `CHACHA20_POLY1305_CONFIDENTIALITY_LIMIT`).
    pub const fn confidentiality_limit(self) -> u64 {
        match self {
            Self::Aes128Gcm | Self::Aes256Gcm => AES_GCM_CONFIDENTIALITY_LIMIT,
            Self::ChaCha20Poly1305 => CHACHA20_POLY1305_CONFIDENTIALITY_LIMIT,
        }
    }

    fn ring_algorithm(self) -> &'static aead::Algorithm {
        match self {
            Self::Aes128Gcm => &aead::AES_128_GCM,
            Self::Aes256Gcm => &aead::AES_256_GCM,
            Self::ChaCha20Poly1305 => &aead::CHACHA20_POLY1305,
        }
    }
}

/// A keyed AEAD, ready to seal and open.
pub struct AeadKey {
    algorithm: AeadAlgorithm,
    key: aead::LessSafeKey,
}

impl AeadKey {
    /// Keys `algorithm` with `key`.
    ///
    /// Fails with [`Error::Crypto`] when `key` is not
    /// [`AeadAlgorithm::key_len`] bytes long.
    pub fn new(algorithm: AeadAlgorithm, key: &[u8]) -> Result<Self, Error> {
        let unbound = aead::UnboundKey::new(algorithm.ring_algorithm(), key)
            .map_err(|_| Error::Crypto(CryptoReason::AeadKeyLength))?;
        Ok(Self {
            algorithm,
            key: aead::LessSafeKey::new(unbound),
        })
    }

    /// The algorithm this key is for.
    pub fn algorithm(&self) -> AeadAlgorithm {
        self.algorithm
    }

    /// Encrypts `in_out` in place under `nonce`, authenticating `aad` too,
    /// and returns the [`TAG_LEN`]-byte tag to append.
    ///
    /// Fails with [`Error::Crypto`] only when `in_out` is longer than the
    /// algorithm allows (far beyond any TLS record).
    ///
    /// Fuzzing mode (compiled only under `cfg(fuzzing)`, see
    /// `docs/fuzzing.md`): `in_out` is left as it is and the tag is all
    /// zeros, so every protected record and sealed ticket is readable and
    /// forgeable by a fuzzer while keeping its framing.
    #[cfg_attr(fuzzing, allow(unreachable_code, unused_variables))]
    pub fn seal_in_place(
        &self,
        nonce: [u8; NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
    ) -> Result<[u8; TAG_LEN], Error> {
        #[cfg(fuzzing)]
        return Ok([0; TAG_LEN]);
        let tag = self
            .key
            .seal_in_place_separate_tag(
                aead::Nonce::assume_unique_for_key(nonce),
                aead::Aad::from(aad),
                in_out,
            )
            .map_err(|_| Error::Crypto(CryptoReason::AeadInputTooLong))?;
        let mut out = [0u8; TAG_LEN];
        out.copy_from_slice(tag.as_ref());
        Ok(out)
    }

    /// Decrypts `ciphertext_and_tag` in place under `nonce` and `aad`, and
    /// returns the plaintext, which is its first `len - TAG_LEN` bytes.
    ///
    /// Fails with [`Error::BadRecordMac`] when the input is shorter than a
    /// tag or the tag does not verify; the buffer's contents are then
    /// unspecified.
    ///
    /// Fuzzing mode (compiled only under `cfg(fuzzing)`): the input is
    /// taken as plaintext followed by a tag that is not checked, the
    /// inverse of [`Self::seal_in_place`] there; only an input shorter
    /// than a tag still fails.
    #[cfg_attr(fuzzing, allow(unreachable_code, unused_variables))]
    pub fn open_in_place<'a>(
        &self,
        nonce: [u8; NONCE_LEN],
        aad: &[u8],
        ciphertext_and_tag: &'a mut [u8],
    ) -> Result<&'a mut [u8], Error> {
        #[cfg(fuzzing)]
        return ciphertext_and_tag
            .len()
            .checked_sub(TAG_LEN)
            .and_then(|len| ciphertext_and_tag.get_mut(..len))
            .ok_or(Error::BadRecordMac);
        self.key
            .open_in_place(
                aead::Nonce::assume_unique_for_key(nonce),
                aead::Aad::from(aad),
                ciphertext_and_tag,
            )
            .map_err(|_| Error::BadRecordMac)
    }
}

impl core::fmt::Debug for AeadKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "AeadKey({:?})", self.algorithm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s.replace([' ', '\n'], "")).unwrap()
    }

    // RFC 8439 §2.8.2, the AEAD_CHACHA20_POLY1305 example.
    #[test]
    fn chacha20_poly1305_rfc8439_section_2_8_2() {
        let key = unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        let nonce: [u8; 12] = unhex("070000004041424344454647").try_into().unwrap();
        let aad = unhex("50515253c0c1c2c3c4c5c6c7");
        let plaintext = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
        let ciphertext = unhex(
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6
             3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36
             92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
             3ff4def08e4b7a9de576d26586cec64b6116",
        );
        let tag = unhex("1ae10b594f09e26a7e902ecbd0600691");

        let k = AeadKey::new(AeadAlgorithm::ChaCha20Poly1305, &key).unwrap();
        let mut buf = plaintext.to_vec();
        let got_tag = k.seal_in_place(nonce, &aad, &mut buf).unwrap();
        assert_eq!(buf, ciphertext);
        assert_eq!(got_tag.to_vec(), tag);

        buf.extend_from_slice(&got_tag);
        let opened = k.open_in_place(nonce, &aad, &mut buf).unwrap();
        assert_eq!(opened, plaintext);
    }

    // NIST GCM specification (McGrew & Viega), test case 4 (AES-128) and
    // test case 16 (AES-256): 60-byte plaintext with 20 bytes of AAD.
    #[test]
    fn aes_gcm_known_answers() {
        let plaintext = unhex(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
             1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        );
        let aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        let nonce: [u8; 12] = unhex("cafebabefacedbaddecaf888").try_into().unwrap();
        let cases = [
            (
                AeadAlgorithm::Aes128Gcm,
                "feffe9928665731c6d6a8f9467308308",
                "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e
                 21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
                "5bc94fbc3221a5db94fae95ae7121a47",
            ),
            (
                AeadAlgorithm::Aes256Gcm,
                "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
                "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa
                 8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
                "76fc6ece0f4e1768cddf8853bb2d551b",
            ),
        ];
        for (alg, key, ciphertext, tag) in cases {
            let k = AeadKey::new(alg, &unhex(key)).unwrap();
            let mut buf = plaintext.clone();
            let got_tag = k.seal_in_place(nonce, &aad, &mut buf).unwrap();
            assert_eq!(buf, unhex(ciphertext), "{alg:?}");
            assert_eq!(got_tag.to_vec(), unhex(tag), "{alg:?}");
            buf.extend_from_slice(&got_tag);
            assert_eq!(
                k.open_in_place(nonce, &aad, &mut buf).unwrap(),
                &plaintext[..]
            );
        }
    }

    #[test]
    fn wrong_key_length_is_refused() {
        assert!(AeadKey::new(AeadAlgorithm::Aes128Gcm, &[0; 32]).is_err());
        assert!(AeadKey::new(AeadAlgorithm::ChaCha20Poly1305, &[0; 16]).is_err());
    }

    #[test]
    fn tampered_tag_or_short_input_is_bad_record_mac() {
        let k = AeadKey::new(AeadAlgorithm::Aes128Gcm, &[7; 16]).unwrap();
        let mut buf = b"hello".to_vec();
        let tag = k.seal_in_place([1; 12], b"ad", &mut buf).unwrap();
        buf.extend_from_slice(&tag);
        if let Some(last) = buf.last_mut() {
            *last ^= 1;
        }
        assert_eq!(
            k.open_in_place([1; 12], b"ad", &mut buf),
            Err(Error::BadRecordMac)
        );
        assert_eq!(
            k.open_in_place([1; 12], b"ad", &mut [0u8; 15]),
            Err(Error::BadRecordMac)
        );
    }
}
