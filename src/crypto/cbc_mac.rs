//! The HMAC inner hash of a MAC-then-encrypt CBC record computed in time
//! independent of the record's secret content length: the Lucky Thirteen
//! defence of RFC 5246 §6.2.3.2 records (AlFardan & Paterson, "Lucky
//! Thirteen: Breaking the TLS and DTLS Record Protocols", IEEE S&P 2013,
//! the countermeasures section).
//!
//! Once a record is decrypted, its length `n` is public but the padding,
//! and with it the content length `L`, is secret. The inner hash runs
//! over `(K ⊕ ipad) ‖ header ‖ content` and SHA's padding (FIPS 180-4
//! §5.1) puts a `0x80` byte right after the message and the message's
//! bit length at the end of the block where the message then ends. So:
//!
//! - the blocks that lie wholly before the shortest content `n` allows
//!   are hashed as they are (a public count);
//! - every block from there to the last one the longest content would
//!   end in (also a public count) is built byte by byte under masks from
//!   `L` — message byte before `L`, `0x80` at `L`, zeros after, and the
//!   bit length in the block that really ends the message — and
//!   compressed; the chaining value after the block that really ends the
//!   message is kept by a constant-time selection ([`subtle`]).
//!
//! The compression functions come from RustCrypto's `sha1` and `sha2`
//! crates because ring exposes only whole hashes, whose finishing step
//! runs a number of blocks that depends on `L`. The tags over public
//! lengths ([`hash_public`]) use them too, so every record MAC has one
//! implementation, and the crates use the CPU's SHA extensions.

use crate::crypto::hash::{HashAlgorithm, MAX_HASH_LEN};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeLess};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The SHA-1 initial hash value (FIPS 180-4 §5.3.1).
const SHA1_IV: [u32; 5] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

/// The SHA-256 initial hash value (FIPS 180-4 §5.3.3).
const SHA256_IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// The SHA-384 initial hash value (FIPS 180-4 §5.3.4).
const SHA384_IV: [u64; 8] = [
    0xcbbb9d5dc1059ed8,
    0x629a292a367cd507,
    0x9159015a3070dd17,
    0x152fecd8f70e5939,
    0x67332667ffc00b31,
    0x8eb44a8768581511,
    0xdb0c2e0d64f98fa7,
    0x47b5481dbefa4fa4,
];

/// The largest block of the three hashes (SHA-384, FIPS 180-4 §1).
const MAX_BLOCK_LEN: usize = 128;

/// The bytes of the message-length field of the hash's padding that can
/// be non-zero: TLS records are far shorter than 2^61 bytes, so the bit
/// length fits the last 8 bytes of the 8-byte (SHA-1/256) and of the
/// 16-byte (SHA-384) field (FIPS 180-4 §5.1.1, §5.1.2).
const LENGTH_BYTES: usize = 8;

/// A hash's chaining value between compression-function calls (FIPS
/// 180-4 §6.1.2, §6.2.2, §6.5): after the HMAC key block it stands for the
/// key, so it is wiped on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) enum Chain {
    Sha1([u32; 5]),
    Sha256([u32; 8]),
    Sha384([u64; 8]),
}

impl Chain {
    /// The chaining value after compressing one `key_block` (the HMAC
    /// `K ⊕ ipad` block, RFC 2104 §2) from the initial hash value, or
    /// `None` for a hash other than SHA-1/256/384 or a block of the wrong
    /// length.
    pub(crate) fn after_key_block(algorithm: HashAlgorithm, key_block: &[u8]) -> Option<Self> {
        let mut chain = match algorithm {
            HashAlgorithm::Sha1 => Self::Sha1(SHA1_IV),
            HashAlgorithm::Sha256 => Self::Sha256(SHA256_IV),
            HashAlgorithm::Sha384 => Self::Sha384(SHA384_IV),
            _ => return None,
        };
        if key_block.len() != chain.block_len() {
            return None;
        }
        chain.compress(key_block);
        Some(chain)
    }

    fn block_len(&self) -> usize {
        match self {
            Self::Sha1(_) | Self::Sha256(_) => 64,
            Self::Sha384(_) => 128,
        }
    }

    /// The length of the padding's length field: 8 bytes for SHA-1/256,
    /// 16 for SHA-384 (FIPS 180-4 §5.1.1, §5.1.2).
    fn length_field_len(&self) -> usize {
        match self {
            Self::Sha1(_) | Self::Sha256(_) => 8,
            Self::Sha384(_) => 16,
        }
    }

    /// Compresses `blocks`, whole blocks of this hash, in one call.
    fn compress(&mut self, blocks: &[u8]) {
        match self {
            Self::Sha1(state) => sha1::block_api::compress(state, blocks.as_chunks().0),
            Self::Sha256(state) => sha2::block_api::compress256(state, blocks.as_chunks().0),
            Self::Sha384(state) => sha2::block_api::compress512(state, blocks.as_chunks().0),
        }
    }

    /// Replaces this value by `other` where `choice` is set, in constant
    /// time. Both are of one hash.
    fn conditional_assign(&mut self, other: &Self, choice: Choice) {
        match (self, other) {
            (Self::Sha1(a), Self::Sha1(b)) => words_assign(a, b, choice),
            (Self::Sha256(a), Self::Sha256(b)) => words_assign(a, b, choice),
            (Self::Sha384(a), Self::Sha384(b)) => words_assign(a, b, choice),
            _ => {}
        }
    }

    /// Writes the digest this value gives when it is the final one: its
    /// words big-endian, SHA-384 keeping the first six (FIPS 180-4 §6.5).
    /// Returns the digest length.
    fn write_digest(&self, out: &mut [u8; MAX_HASH_LEN]) -> usize {
        match self {
            Self::Sha1(state) => words_out(state.iter().map(|w| w.to_be_bytes()), out),
            Self::Sha256(state) => words_out(state.iter().map(|w| w.to_be_bytes()), out),
            Self::Sha384(state) => words_out(state.iter().take(6).map(|w| w.to_be_bytes()), out),
        }
    }
}

fn words_assign<W: ConditionallySelectable>(a: &mut [W], b: &[W], choice: Choice) {
    for (x, y) in a.iter_mut().zip(b) {
        x.conditional_assign(y, choice);
    }
}

fn words_out<const N: usize>(
    words: impl Iterator<Item = [u8; N]>,
    out: &mut [u8; MAX_HASH_LEN],
) -> usize {
    let mut len = 0;
    for (chunk, word) in out.chunks_exact_mut(N).zip(words) {
        chunk.copy_from_slice(&word);
        len += N;
    }
    len
}

/// A hash over a public length, fed in pieces, from the chaining value
/// after an HMAC key block: the HMAC tags of sealing and of
/// encrypt-then-MAC opening, and every outer hash. Whole blocks of a
/// piece go to the compression function straight from it, in one call
/// (the `sha1`/`sha2` crates' SHA extensions path runs them back to
/// back); only the blocks that straddle two pieces, and the last one, are
/// copied. [`Self::finish`] pads as FIPS 180-4 §5.1 says: `0x80`, zeros,
/// and the bit length in the last bytes of the final block.
pub(crate) struct PublicHash {
    chain: Chain,
    /// The bytes of a block not yet compressed: the first `filled`.
    buffer: [u8; MAX_BLOCK_LEN],
    filled: usize,
    /// Bytes absorbed, the key block included.
    absorbed: usize,
    /// Compression-function calls, the key block included.
    compressions: u64,
}

impl PublicHash {
    /// A hash continuing from `keyed`, the chaining value after one key
    /// block.
    pub(crate) fn new(keyed: &Chain) -> Self {
        Self {
            chain: keyed.clone(),
            buffer: [0; MAX_BLOCK_LEN],
            filled: 0,
            absorbed: keyed.block_len(),
            compressions: 1,
        }
    }

    /// Absorbs `data`.
    pub(crate) fn update(&mut self, data: &[u8]) {
        let block_len = self.chain.block_len();
        let shift = block_len.trailing_zeros();
        self.absorbed += data.len();
        let mut rest = data;
        if self.filled > 0 {
            let take = (block_len - self.filled).min(rest.len());
            let (head, tail) = rest.split_at(take);
            if let Some(room) = self.buffer.get_mut(self.filled..self.filled + take) {
                room.copy_from_slice(head);
            }
            self.filled += take;
            rest = tail;
            if self.filled == block_len {
                self.chain
                    .compress(self.buffer.get(..block_len).unwrap_or(&[]));
                self.compressions += 1;
                self.filled = 0;
            }
        }
        let (whole, tail) = rest.split_at((rest.len() >> shift) << shift);
        self.chain.compress(whole);
        self.compressions += (whole.len() >> shift) as u64;
        if let Some(room) = self.buffer.get_mut(..tail.len()) {
            room.copy_from_slice(tail);
            self.filled += tail.len();
        }
    }

    /// Pads and finishes the hash.
    pub(crate) fn finish(mut self) -> InnerHash {
        let block_len = self.chain.block_len();
        let bit_len = ((self.absorbed as u64) << 3).to_be_bytes();
        let needs_extra_block = self.filled + 1 + self.chain.length_field_len() > block_len;
        let block = self.buffer.get_mut(..block_len).unwrap_or(&mut []);
        if let Some(end) = block.get_mut(self.filled..) {
            end.fill(0);
            if let Some(first) = end.first_mut() {
                *first = 0x80;
            }
        }
        if needs_extra_block {
            self.chain.compress(block);
            self.compressions += 1;
            block.fill(0);
        }
        if let Some(field) = block.get_mut(block_len - LENGTH_BYTES..) {
            field.copy_from_slice(&bit_len);
        }
        self.chain.compress(block);
        self.compressions += 1;

        let mut digest = [0u8; MAX_HASH_LEN];
        let len = self.chain.write_digest(&mut digest);
        InnerHash {
            digest,
            len,
            compressions: self.compressions,
        }
    }
}

impl Drop for PublicHash {
    /// The buffer holds message bytes (record plaintext when sealing
    /// MAC-then-encrypt); the chain wipes itself.
    fn drop(&mut self) {
        self.buffer.zeroize();
    }
}

/// The hash of `key block ‖ parts` from `keyed` ([`PublicHash`]).
pub(crate) fn hash_public(keyed: &Chain, parts: &[&[u8]]) -> InnerHash {
    let mut hash = PublicHash::new(keyed);
    for part in parts {
        hash.update(part);
    }
    hash.finish()
}

/// The inner hash of a record MAC over `header ‖ content[..content_len]`.
pub(crate) struct InnerHash {
    /// The digest; only its first `len` bytes are set.
    pub(crate) digest: [u8; MAX_HASH_LEN],
    pub(crate) len: usize,
    /// The compression-function calls made, the key block included: a
    /// function of the public lengths only.
    pub(crate) compressions: u64,
}

/// Hashes `header ‖ content[..content_len]` from `keyed` (the chaining
/// value after the HMAC key block) and finishes the hash, in time that
/// depends on `content.len()` and `min_content_len` (public) but not on
/// `content_len` (secret), which must lie between them.
///
/// `header` is the record MAC's header (13 bytes, RFC 5246 §6.2.3.1;
/// its length is public and shorter than a block); `content` is every
/// byte the content can cover (the record's longest possible content);
/// `min_content_len` is its shortest possible length.
pub(crate) fn inner_hash(
    keyed: &Chain,
    header: &[u8],
    content: &[u8],
    min_content_len: usize,
    content_len: usize,
) -> InnerHash {
    let header_len = header.len();
    let block_len = keyed.block_len();
    let shift = block_len.trailing_zeros();
    let field_len = keyed.length_field_len();
    // Message positions count from the first header byte; the key block
    // before it is one whole block, so block boundaries stay aligned.
    let byte_at = |i: usize| match i.checked_sub(header_len) {
        None => header.get(i).copied().unwrap_or(0),
        Some(j) => content.get(j).copied().unwrap_or(0),
    };
    let message_len = header_len + content_len;
    // The block holding the length field: the last one hashed (FIPS
    // 180-4 §5.1). Shifts, not divisions, whose time can depend on the
    // operands.
    let last_block = (message_len + field_len) >> shift;
    let bit_len = (((block_len + message_len) as u64) << 3).to_be_bytes();

    let mut chain = keyed.clone();
    let mut compressions = 1;
    // Public: the blocks before the shortest message ends, hashed as
    // they are.
    let first_secret_block = (header_len + min_content_len) >> shift;
    let mut block = [0u8; MAX_BLOCK_LEN];
    let block = block.get_mut(..block_len).unwrap_or(&mut []);
    if first_secret_block > 0 {
        for (i, byte) in block.iter_mut().enumerate() {
            *byte = byte_at(i);
        }
        chain.compress(block);
        let whole = content
            .get(block_len - header_len..(first_secret_block << shift) - header_len)
            .unwrap_or(&[]);
        chain.compress(whole);
        compressions += first_secret_block as u64;
    }

    // Public: the last block the longest message would end in.
    let last_possible_block = (header_len + content.len() + field_len) >> shift;
    let mut result = chain.clone();
    for j in first_secret_block..=last_possible_block {
        let is_last = (j as u64).ct_eq(&(last_block as u64));
        let length_at = block_len - LENGTH_BYTES;
        for (b, byte) in block.iter_mut().enumerate() {
            let i = (j << shift) + b;
            let before_end = (i as u64).ct_lt(&(message_len as u64));
            let at_end = (i as u64).ct_eq(&(message_len as u64));
            *byte = u8::conditional_select(&0, &byte_at(i), before_end)
                | u8::conditional_select(&0, &0x80, at_end);
            if let Some(length_byte) = b.checked_sub(length_at).and_then(|k| bit_len.get(k)) {
                *byte |= u8::conditional_select(&0, length_byte, is_last);
            }
        }
        chain.compress(block);
        result.conditional_assign(&chain, is_last);
        compressions += 1;
    }
    block.zeroize();

    let mut digest = [0u8; MAX_HASH_LEN];
    let len = result.write_digest(&mut digest);
    InnerHash {
        digest,
        len,
        compressions,
    }
}
