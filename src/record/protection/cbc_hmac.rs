//! AES-CBC with HMAC record protection for TLS 1.0–1.2: MAC-then-encrypt
//! (RFC 5246 §6.2.3.2) or encrypt-then-MAC (RFC 7366 §3), with the TLS 1.0
//! IV chained from the previous record (RFC 2246 §6.2.3.2) or an explicit
//! random IV per record (RFC 4346 §6.2.3.2, RFC 5246 §6.2.3.2).

use super::{fragment_len, header_fields, set_length, Opened, RecordProtection};
use crate::crypto::cbc::{
    check_padding, mac_header, open_mac_then_encrypt, AesCbc, CbcChain, HashWork, IvSource,
    RecordMac, BLOCK_LEN, PARALLEL_CHAINS,
};
use crate::crypto::hash::HashAlgorithm;
use crate::error::{CryptoReason, Error};
use crate::record::{HEADER_LEN, MAX_CIPHERTEXT_LEN_TLS12};
use core::ops::Range;
use zeroize::Zeroizing;

/// Where each record's CBC IV comes from.
pub enum CbcIv {
    /// TLS 1.0: the first record uses the key block's IV, every later one
    /// the last ciphertext block of the record before it (RFC 2246
    /// §6.2.3.2). Nothing is sent.
    Chained(Zeroizing<[u8; BLOCK_LEN]>),
    /// TLS 1.1 and 1.2: a fresh unpredictable IV from the source, sent in
    /// front of each record (RFC 4346 §6.2.3.2). When opening, the IV is
    /// the one in the record and the source is not used.
    Explicit(Box<dyn IvSource>),
}

impl CbcIv {
    /// The TLS 1.0 chained IV, starting from the key block's 16-byte
    /// `iv`. Fails with [`Error::Crypto`] for any other length.
    pub fn chained(iv: &[u8]) -> Result<Self, Error> {
        let mut fixed = Zeroizing::new([0u8; BLOCK_LEN]);
        if iv.len() != BLOCK_LEN {
            return Err(Error::Crypto(CryptoReason::CbcIvLength));
        }
        fixed.copy_from_slice(iv);
        Ok(Self::Chained(fixed))
    }

    fn explicit_len(&self) -> usize {
        match self {
            Self::Chained(_) => 0,
            Self::Explicit(_) => BLOCK_LEN,
        }
    }
}

/// Which of encryption and MAC comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MacOrder {
    /// The MAC covers the plaintext and is encrypted with it (RFC 5246
    /// §6.2.3.2).
    MacThenEncrypt,
    /// The MAC covers the IV and ciphertext and is sent in clear after
    /// them, negotiated by `encrypt_then_mac` (RFC 7366 §3).
    EncryptThenMac,
}

/// AES-CBC with HMAC-SHA1/256/384 record protection.
///
/// Opening reports every padding or MAC failure, and a record too short or
/// not block-aligned, as the same [`Error::BadRecordMac`] (RFC 5246
/// §6.2.3.2); MAC-then-encrypt records are checked in constant time
/// against Lucky Thirteen ([`open_mac_then_encrypt`]).
pub struct CbcHmacProtection {
    cipher: AesCbc,
    mac: RecordMac,
    iv: CbcIv,
    order: MacOrder,
    /// Records sealed but not yet encrypted, oldest first: the first
    /// `unfinished` entries. Explicit-IV records wait here so that up to
    /// [`PARALLEL_CHAINS`] are encrypted together (their CBC chains are
    /// independent); a chained-IV record never waits.
    pending: [PendingRecord; PARALLEL_CHAINS],
    unfinished: usize,
}

/// A record laid out in the output, its encryption still to come.
#[derive(Clone, Debug, Default)]
struct PendingRecord {
    /// Where the record starts in the output.
    start: usize,
    /// Where its IV and ciphertext lie (the bytes an encrypt-then-MAC tag
    /// covers, RFC 7366 §3).
    body: Range<usize>,
    /// Where its CBC blocks lie.
    blocks: Range<usize>,
    /// The MAC header fields of an encrypt-then-MAC record.
    seq: u64,
    content_type: u8,
    version: u16,
}

impl CbcHmacProtection {
    /// Protection under the key block's AES key (16 or 32 bytes) and MAC
    /// key for `mac_hash` (SHA-1, SHA-256 or SHA-384).
    ///
    /// Fails with [`Error::Crypto`] when a key does not fit.
    pub fn new(
        cipher_key: &[u8],
        mac_hash: HashAlgorithm,
        mac_key: &[u8],
        iv: CbcIv,
        order: MacOrder,
    ) -> Result<Self, Error> {
        Ok(Self {
            cipher: AesCbc::new(cipher_key)?,
            mac: RecordMac::new(mac_hash, mac_key)?,
            iv,
            order,
            pending: Default::default(),
            unfinished: 0,
        })
    }

    /// The hash work the MAC has done so far (see [`RecordMac::hash_work`]);
    /// it shows that opening a MAC-then-encrypt record costs the same
    /// compression and update calls whatever its padding.
    pub fn mac_hash_work(&self) -> HashWork {
        self.mac.hash_work()
    }

    /// Lays out the record at `record_start` for encryption: the MAC of
    /// a MAC-then-encrypt record appended to its plaintext, the padding,
    /// the room for the IV in front when it is explicit (filled when
    /// the record is encrypted), the room for an encrypt-then-MAC tag,
    /// and the header's final length; then queues it for
    /// [`RecordProtection::finish_sealing`].
    fn lay_out(&mut self, seq: u64, out: &mut Vec<u8>, record_start: usize) -> Result<(), Error> {
        let explicit_len = self.explicit_nonce_len();
        let body_start = record_start + HEADER_LEN;
        let encrypted_start = body_start + explicit_len;
        let plaintext_len = fragment_len(out, record_start)?
            .checked_sub(explicit_len)
            .ok_or(Error::Crypto(CryptoReason::NoRoomForIv))?;
        let (content_type, version) = header_fields(out.get(record_start..).unwrap_or_default())?;
        let (content_type, version) = (u8::from(content_type), u16::from(version));
        let too_long = |_| Error::EncodeOverflow;

        if self.order == MacOrder::MacThenEncrypt {
            let header = mac_header(
                seq,
                content_type,
                version,
                u16::try_from(plaintext_len).map_err(too_long)?,
            );
            let tag = self
                .mac
                .sign(&[&header, out.get(encrypted_start..).unwrap_or_default()]);
            out.extend_from_slice(tag.as_ref());
        }
        let unpadded = out.len() - encrypted_start;
        append_padding(out, unpadded);
        let body_end = out.len();
        if self.order == MacOrder::EncryptThenMac {
            out.resize(body_end + self.mac.tag_len(), 0);
        }
        let total = out.len() - body_start;
        set_length(out, record_start, total)?;
        let slot = self
            .pending
            .get_mut(self.unfinished)
            .ok_or(Error::Crypto(CryptoReason::RecordBufferTooShort))?;
        *slot = PendingRecord {
            start: record_start,
            body: body_start..body_end,
            blocks: encrypted_start..body_end,
            seq,
            content_type,
            version,
        };
        self.unfinished += 1;
        Ok(())
    }

    /// The IVs of the queued records: the chained one (only one record
    /// is ever queued then), or fresh ones from the source, all in one
    /// call, each written in front of its record.
    fn unfinished_ivs(
        &mut self,
        out: &mut [u8],
    ) -> Result<[[u8; BLOCK_LEN]; PARALLEL_CHAINS], Error> {
        let mut ivs = [[0u8; BLOCK_LEN]; PARALLEL_CHAINS];
        let pending = self.pending.get(..self.unfinished).unwrap_or_default();
        let used = ivs.get_mut(..pending.len()).unwrap_or_default();
        match &mut self.iv {
            CbcIv::Chained(chain) => used.fill(**chain),
            CbcIv::Explicit(source) => {
                source.fill_ivs(used)?;
                for (record, iv) in pending.iter().zip(used.iter()) {
                    out.get_mut(record.body.start..record.blocks.start)
                        .ok_or(Error::Crypto(CryptoReason::NoRoomForIv))?
                        .copy_from_slice(iv);
                }
            }
        }
        Ok(ivs)
    }

    /// Encrypts the queued records together, advances the chained IV and
    /// adds the encrypt-then-MAC tags.
    fn encrypt_unfinished(&mut self, out: &mut [u8]) -> Result<(), Error> {
        let ivs = self.unfinished_ivs(out)?;
        let pending = self.pending.get(..self.unfinished).unwrap_or_default();
        let mut chains: [CbcChain<'_>; PARALLEL_CHAINS] = Default::default();
        let mut rest = &mut *out;
        let mut offset = 0;
        for ((record, chain), iv) in pending.iter().zip(&mut chains).zip(ivs) {
            let skip = record.blocks.start.checked_sub(offset);
            let (_, tail) = skip
                .and_then(|skip| rest.split_at_mut_checked(skip))
                .ok_or(Error::Crypto(CryptoReason::RecordBufferTooShort))?;
            let (data, tail) = tail
                .split_at_mut_checked(record.blocks.len())
                .ok_or(Error::Crypto(CryptoReason::RecordBufferTooShort))?;
            *chain = CbcChain { iv, data };
            rest = tail;
            offset = record.blocks.end;
        }
        let chains = chains.get_mut(..pending.len()).unwrap_or_default();
        self.cipher.encrypt_chains_in_place(chains)?;
        if let (CbcIv::Chained(chain), Some(last)) = (&mut self.iv, chains.last()) {
            **chain = last.iv;
        }
        if self.order == MacOrder::EncryptThenMac {
            for record in pending {
                let body = out.get(record.body.clone()).unwrap_or_default();
                let header = mac_header(
                    record.seq,
                    record.content_type,
                    record.version,
                    u16::try_from(body.len()).map_err(|_| Error::EncodeOverflow)?,
                );
                let tag = self.mac.sign(&[&header, body]);
                out.get_mut(record.body.end..record.body.end + tag.as_ref().len())
                    .ok_or(Error::Crypto(CryptoReason::RecordBufferTooShort))?
                    .copy_from_slice(tag.as_ref());
            }
        }
        Ok(())
    }

    /// Decrypts `blocks` in place under `explicit` or the chained IV, and
    /// advances the chained IV to the last ciphertext block.
    fn decrypt(&mut self, explicit: &[u8], blocks: &mut [u8]) -> Result<(), Error> {
        let mut iv = [0u8; BLOCK_LEN];
        match &mut self.iv {
            CbcIv::Chained(chain) => {
                iv = **chain;
                if let Some(last) = blocks.rchunks_exact(BLOCK_LEN).next() {
                    chain.copy_from_slice(last);
                }
            }
            CbcIv::Explicit(_) => iv.copy_from_slice(explicit),
        }
        self.cipher
            .decrypt_in_place(&iv, blocks)
            .map_err(|_| Error::BadRecordMac)
    }
}

/// Appends TLS CBC padding to `out` so that the `unpadded_len` bytes
/// before it plus the padding fill whole blocks (RFC 5246 §6.2.3.2: each
/// padding byte and the length byte hold the padding length).
fn append_padding(out: &mut Vec<u8>, unpadded_len: usize) {
    let pad = (BLOCK_LEN - (unpadded_len + 1) % BLOCK_LEN) % BLOCK_LEN;
    out.resize(out.len() + pad + 1, pad as u8);
}

impl RecordProtection for CbcHmacProtection {
    fn explicit_nonce_len(&self) -> usize {
        self.iv.explicit_len()
    }

    fn max_suffix_len(&self) -> usize {
        self.mac.tag_len() + BLOCK_LEN
    }

    fn max_fragment_len(&self) -> usize {
        MAX_CIPHERTEXT_LEN_TLS12
    }

    fn is_protected(&self) -> bool {
        true
    }

    fn seal(&mut self, seq: u64, out: &mut Vec<u8>, record_start: usize) -> Result<(), Error> {
        self.finish_sealing(out)?;
        self.lay_out(seq, out, record_start)?;
        self.finish_sealing(out)
    }

    /// Explicit-IV records wait until `PARALLEL_CHAINS` of them can be
    /// encrypted together; a chained IV needs the record before encrypted
    /// first (RFC 2246 §6.2.3.2), so those are sealed one by one.
    fn seal_batched(
        &mut self,
        seq: u64,
        out: &mut Vec<u8>,
        record_start: usize,
    ) -> Result<(), Error> {
        if matches!(self.iv, CbcIv::Chained(_)) {
            return self.seal(seq, out, record_start);
        }
        if self.unfinished == PARALLEL_CHAINS {
            self.finish_sealing(out)?;
        }
        self.lay_out(seq, out, record_start)
    }

    fn finish_sealing(&mut self, out: &mut Vec<u8>) -> Result<(), Error> {
        if self.unfinished == 0 {
            return Ok(());
        }
        let first = self.pending.first().map_or(out.len(), |p| p.start);
        let done = self.encrypt_unfinished(out);
        self.unfinished = 0;
        if done.is_err() {
            out.truncate(first);
        }
        done
    }

    fn open(&mut self, seq: u64, record: &mut [u8]) -> Result<Opened, Error> {
        let (content_type, version) = header_fields(record)?;
        let (type_byte, version) = (u8::from(content_type), u16::from(version));
        let explicit_len = self.explicit_nonce_len();
        let tag_len = self.mac.tag_len();
        let (_, body) = record
            .split_at_mut_checked(HEADER_LEN)
            .ok_or(Error::BadRecordMac)?;

        let content_len = match self.order {
            MacOrder::MacThenEncrypt => {
                let (explicit, blocks) = body
                    .split_at_mut_checked(explicit_len)
                    .ok_or(Error::BadRecordMac)?;
                // Public facts only: the length must hold a MAC and a
                // padding byte in whole blocks (RFC 5246 §6.2.3.2).
                if !blocks.len().is_multiple_of(BLOCK_LEN)
                    || blocks.len() < (tag_len + 1).max(BLOCK_LEN)
                {
                    return Err(Error::BadRecordMac);
                }
                self.decrypt(explicit, blocks)?;
                open_mac_then_encrypt(&mut self.mac, seq, type_byte, version, blocks)?
            }
            MacOrder::EncryptThenMac => {
                let authenticated_len =
                    body.len().checked_sub(tag_len).ok_or(Error::BadRecordMac)?;
                let (authenticated, tag) = body
                    .split_at_mut_checked(authenticated_len)
                    .ok_or(Error::BadRecordMac)?;
                let header = mac_header(
                    seq,
                    type_byte,
                    version,
                    u16::try_from(authenticated_len).map_err(|_| Error::RecordOverflow)?,
                );
                let blocks_len = authenticated_len
                    .checked_sub(explicit_len)
                    .ok_or(Error::BadRecordMac)?;
                if blocks_len == 0 || !blocks_len.is_multiple_of(BLOCK_LEN) {
                    return Err(Error::BadRecordMac);
                }
                if !bool::from(self.mac.verify(&[&header, authenticated], tag)) {
                    return Err(Error::BadRecordMac);
                }
                let (explicit, blocks) = authenticated
                    .split_at_mut_checked(explicit_len)
                    .ok_or(Error::BadRecordMac)?;
                self.decrypt(explicit, blocks)?;
                // The MAC already authenticated the ciphertext, so the
                // padding check leaks nothing to an attacker (RFC 7366 §3).
                let (good, strip) = check_padding(blocks, 0);
                if !bool::from(good) {
                    return Err(Error::BadRecordMac);
                }
                blocks.len() - strip
            }
        };
        let start = HEADER_LEN + explicit_len;
        Ok(Opened {
            content_type,
            plaintext: start..start + content_len,
            protected: true,
            inner_overhead: 0,
        })
    }
}
