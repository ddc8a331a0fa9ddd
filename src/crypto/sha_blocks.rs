//! SHA-1, SHA-256, SHA-384 and MD5 run block by block on the compression
//! functions of RustCrypto's `sha1`, `sha2` and `md-5` crates (FIPS 180-4,
//! RFC 1321), plain or from the chaining value after an HMAC key block
//! (RFC 2104 §2): the record MACs of the CBC suites and their
//! constant-time inner hash ([`crate::crypto::cbc_mac`]), every HMAC but
//! SHA-512's ([`crate::crypto::hmac`]: HKDF, both TLS PRFs), and the
//! transcript hashes ([`crate::crypto::hash_context`]).
//!
//! ring hashes only whole messages, behind contexts whose set-up and
//! finishing weigh on the short inputs of HKDF; here a tag is the
//! compressions and little else (an HKDF step about 10 % faster than
//! through ring's HMAC, `docs/performance.md`), the crates use the CPU's
//! SHA extensions, and the keyed chaining values are wiped on drop.
//! SHA-1 and MD5 are compiled only with `legacy`, which brings the
//! `sha1` and `md-5` crates and the versions and suites that use them.

use crate::crypto::hash::{HashAlgorithm, MAX_HASH_LEN};
#[cfg(feature = "legacy")]
use subtle::{Choice, ConditionallySelectable};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The MD5 initial value (RFC 1321 §3.3), its words little-endian.
#[cfg(feature = "legacy")]
const MD5_IV: [u32; 4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

/// The SHA-1 initial hash value (FIPS 180-4 §5.3.1).
#[cfg(feature = "legacy")]
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
pub(crate) const MAX_BLOCK_LEN: usize = 128;

/// The bytes of the message-length field of the hash's padding that can
/// be non-zero: TLS records are far shorter than 2^61 bytes, so the bit
/// length fits the last 8 bytes of the 8-byte (SHA-1/256) and of the
/// 16-byte (SHA-384) field (FIPS 180-4 §5.1.1, §5.1.2).
pub(crate) const LENGTH_BYTES: usize = 8;

/// A hash's chaining value between compression-function calls (FIPS
/// 180-4 §6.1.2, §6.2.2, §6.5): after the HMAC key block it stands for the
/// key, so it is wiped on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) enum Chain {
    /// MD5 (RFC 1321), for HMAC-MD5 in the TLS 1.0/1.1 PRF (RFC 2246 §5).
    #[cfg(feature = "legacy")]
    Md5([u32; 4]),
    #[cfg(feature = "legacy")]
    Sha1([u32; 5]),
    Sha256([u32; 8]),
    Sha384([u64; 8]),
}

impl Chain {
    /// MD5's initial value (RFC 1321 §3.3).
    #[cfg(feature = "legacy")]
    pub(crate) fn md5() -> Self {
        Self::Md5(MD5_IV)
    }

    /// The initial hash value of `algorithm` (FIPS 180-4 §5.3), or `None`
    /// for a hash other than SHA-1/256/384.
    pub(crate) fn initial(algorithm: HashAlgorithm) -> Option<Self> {
        match algorithm {
            #[cfg(feature = "legacy")]
            HashAlgorithm::Sha1 => Some(Self::Sha1(SHA1_IV)),
            HashAlgorithm::Sha256 => Some(Self::Sha256(SHA256_IV)),
            HashAlgorithm::Sha384 => Some(Self::Sha384(SHA384_IV)),
            _ => None,
        }
    }

    pub(crate) fn block_len(&self) -> usize {
        match self {
            Self::Sha256(_) => 64,
            #[cfg(feature = "legacy")]
            Self::Md5(_) | Self::Sha1(_) => 64,
            Self::Sha384(_) => 128,
        }
    }

    /// The length of the padding's length field: 8 bytes for MD5 and
    /// SHA-1/256, 16 for SHA-384 (RFC 1321 §3.2, FIPS 180-4 §5.1.1,
    /// §5.1.2).
    pub(crate) fn length_field_len(&self) -> usize {
        match self {
            Self::Sha256(_) => 8,
            #[cfg(feature = "legacy")]
            Self::Md5(_) | Self::Sha1(_) => 8,
            Self::Sha384(_) => 16,
        }
    }

    /// The last [`LENGTH_BYTES`] bytes of the padding's length field for a
    /// message of `bits` bits: big-endian for SHA (FIPS 180-4 §5.1),
    /// little-endian for MD5 (RFC 1321 §3.2).
    pub(crate) fn length_bytes(&self, bits: u64) -> [u8; LENGTH_BYTES] {
        match self {
            #[cfg(feature = "legacy")]
            Self::Md5(_) => bits.to_le_bytes(),
            _ => bits.to_be_bytes(),
        }
    }

    /// Compresses `blocks`, whole blocks of this hash, in one call.
    pub(crate) fn compress(&mut self, blocks: &[u8]) {
        match self {
            #[cfg(feature = "legacy")]
            Self::Md5(state) => md5::block_api::compress(state, blocks.as_chunks().0),
            #[cfg(feature = "legacy")]
            Self::Sha1(state) => sha1::block_api::compress(state, blocks.as_chunks().0),
            Self::Sha256(state) => sha2::block_api::compress256(state, blocks.as_chunks().0),
            Self::Sha384(state) => sha2::block_api::compress512(state, blocks.as_chunks().0),
        }
    }

    /// Replaces this value by `other` where `choice` is set, in constant
    /// time. Both are of one hash.
    #[cfg(feature = "legacy")]
    pub(crate) fn conditional_assign(&mut self, other: &Self, choice: Choice) {
        match (self, other) {
            #[cfg(feature = "legacy")]
            (Self::Sha1(a), Self::Sha1(b)) => words_assign(a, b, choice),
            (Self::Sha256(a), Self::Sha256(b)) => words_assign(a, b, choice),
            (Self::Sha384(a), Self::Sha384(b)) => words_assign(a, b, choice),
            _ => {}
        }
    }

    /// Writes the digest this value gives when it is the final one: its
    /// words big-endian, SHA-384 keeping the first six (FIPS 180-4 §6.5),
    /// or little-endian for MD5 (RFC 1321 §3.5). Returns the digest
    /// length.
    pub(crate) fn write_digest(&self, out: &mut [u8; MAX_HASH_LEN]) -> usize {
        match self {
            #[cfg(feature = "legacy")]
            Self::Md5(state) => words_out(state.iter().map(|w| w.to_le_bytes()), out),
            #[cfg(feature = "legacy")]
            Self::Sha1(state) => words_out(state.iter().map(|w| w.to_be_bytes()), out),
            Self::Sha256(state) => words_out(state.iter().map(|w| w.to_be_bytes()), out),
            Self::Sha384(state) => words_out(state.iter().take(6).map(|w| w.to_be_bytes()), out),
        }
    }
}

#[cfg(feature = "legacy")]
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
#[derive(Clone)]
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

    /// A plain hash of `algorithm` from its initial value (the handshake
    /// transcript, RFC 8446 §4.4.1), or `None` for a hash other than
    /// SHA-1/256/384.
    pub(crate) fn unkeyed(algorithm: HashAlgorithm) -> Option<Self> {
        Chain::initial(algorithm).map(Self::from_initial)
    }

    /// A plain hash from `initial`, a hash's initial value.
    fn from_initial(initial: Chain) -> Self {
        Self {
            chain: initial,
            buffer: [0; MAX_BLOCK_LEN],
            filled: 0,
            absorbed: 0,
            compressions: 0,
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
    pub(crate) fn finish(mut self) -> Hashed {
        let block_len = self.chain.block_len();
        let bit_len = self.chain.length_bytes((self.absorbed as u64) << 3);
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
        Hashed {
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
        let block_len = self.chain.block_len();
        if let Some(used) = self.buffer.get_mut(..block_len) {
            used.zeroize();
        }
    }
}

/// The hash of `key block ‖ parts` from `keyed` ([`PublicHash`]).
pub(crate) fn hash_public(keyed: &Chain, parts: &[&[u8]]) -> Hashed {
    let mut hash = PublicHash::new(keyed);
    for part in parts {
        hash.update(part);
    }
    hash.finish()
}

/// A finished hash: its digest and the compression-function calls it
/// took. An HMAC's inner digest is a secret where HKDF uses it, so the
/// digest is wiped on drop.
pub(crate) struct Hashed {
    /// The digest; only its first `len` bytes are set.
    pub(crate) digest: [u8; MAX_HASH_LEN],
    pub(crate) len: usize,
    /// The compression-function calls made, the key block included: a
    /// function of the public lengths only.
    pub(crate) compressions: u64,
}

impl Drop for Hashed {
    /// Wipes the digest's bytes (those past `len` were never set).
    fn drop(&mut self) {
        if let Some(set) = self.digest.get_mut(..self.len) {
            set.zeroize();
        }
    }
}

impl Hashed {
    /// The digest's bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        self.digest.get(..self.len).unwrap_or(&self.digest)
    }
}

/// HMAC's two keyed chaining values (RFC 2104 §2): after `K ⊕ ipad` and
/// after `K ⊕ opad`, `K` being the key zero-padded to a block, or its
/// hash when longer than a block.
#[derive(Clone)]
pub(crate) struct KeyChains {
    pub(crate) inner: Chain,
    pub(crate) outer: Chain,
}

impl KeyChains {
    /// The chains of `key` over `algorithm`; `None` for a hash this
    /// module does not run (SHA-512, and SHA-1 without `legacy`).
    pub(crate) fn new(algorithm: HashAlgorithm, key: &[u8]) -> Option<Self> {
        Chain::initial(algorithm).map(|initial| Self::from_initial(initial, key))
    }

    /// The chains of `key` over the hash whose initial value is `initial`.
    pub(crate) fn from_initial(initial: Chain, key: &[u8]) -> Self {
        let block_len = initial.block_len();
        let hashed;
        let key = if key.len() > block_len {
            let mut hash = PublicHash::from_initial(initial.clone());
            hash.update(key);
            hashed = hash.finish();
            hashed.bytes()
        } else {
            key
        };
        let keyed = |pad: u8| {
            let mut block = [pad; MAX_BLOCK_LEN];
            for (b, k) in block.iter_mut().zip(key) {
                *b = k ^ pad;
            }
            let mut chain = initial.clone();
            let used = block.get_mut(..block_len).unwrap_or_default();
            chain.compress(used);
            used.zeroize();
            chain
        };
        Self {
            inner: keyed(IPAD),
            outer: keyed(OPAD),
        }
    }
}

/// An HMAC tag from its finished inner hash: the outer hash from `outer`
/// (the chain after `K ⊕ opad`) over the inner digest (RFC 2104 §2).
pub(crate) fn outer_hash(outer: &Chain, inner: &Hashed) -> Hashed {
    hash_public(outer, &[inner.bytes()])
}

/// The byte XORed into the key for the inner hash (RFC 2104 §2).
const IPAD: u8 = 0x36;
/// The byte XORed into the key for the outer hash (RFC 2104 §2).
const OPAD: u8 = 0x5c;
