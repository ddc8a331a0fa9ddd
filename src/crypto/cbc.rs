//! AES-CBC and HMAC for the TLS 1.0–1.2 CBC cipher suites, with the
//! constant-time pieces their record decryption needs.
//!
//! - `AesCbc`: AES-128/256 (the `aes` crate, feature `legacy`) in CBC
//!   mode (NIST SP 800-38A §6.2), chained here over the block cipher: a
//!   record is encrypted inside one call into the crate's backend, and
//!   decrypted in batches of blocks the backend runs in parallel.
//! - [`RecordMac`]: HMAC (RFC 2104) over SHA-1, SHA-256 or SHA-384, built
//!   here rather than taken from an HMAC API because the Lucky Thirteen
//!   defence must control, and count, every call of the hash's compression
//!   function. With `legacy` every tag runs on the compression functions
//!   of `crypto::cbc_mac`: straight over public lengths (sealing,
//!   encrypt-then-MAC), the masked construction for the secret content
//!   length of a MAC-then-encrypt opening.
//! - [`check_padding`] and `open_mac_then_encrypt`: the constant-time
//!   checks of RFC 5246 §6.2.3.2 padding and MAC.

#[cfg(feature = "legacy")]
use crate::crypto::cbc_mac;
use crate::crypto::hash::{HashAlgorithm, MAX_HASH_LEN};
use crate::crypto::sha_blocks::{self, Chain, KeyChains};
use crate::error::{CryptoReason, Error};
#[cfg(feature = "legacy")]
use aes::cipher::{
    consts::U16, Array, BlockCipherDecBackend, BlockCipherDecClosure, BlockCipherDecrypt,
    BlockCipherEncBackend, BlockCipherEncClosure, BlockCipherEncrypt, BlockSizeUser, InOutBuf,
    KeyInit,
};
use subtle::ConstantTimeEq;
#[cfg(feature = "legacy")]
use subtle::{ConditionallySelectable, ConstantTimeLess};

/// The AES block length, which is also the CBC IV length (FIPS 197 §3).
pub const BLOCK_LEN: usize = 16;

/// The largest padding length a TLS CBC record can claim: the
/// `padding_length` field is one byte (RFC 5246 §6.2.3.2).
pub const MAX_PADDING_LEN: usize = 255;

/// Where CBC records get their per-record explicit IVs (TLS 1.1/1.2,
/// RFC 4346 §6.2.3.2: "The IV SHOULD be chosen at random, and MUST be
/// unpredictable"). The handshake draws them from the configuration's
/// random generator; a deterministic source makes records reproducible in
/// tests. The IVs of all the records encrypted together (up to
/// [`PARALLEL_CHAINS`]) are asked for in one call, so a write of several
/// records asks the generator once, not once per record.
#[cfg(feature = "legacy")]
pub trait IvSource: Send {
    /// Fills every IV in `ivs` with fresh, unpredictable bytes, or fails
    /// with [`Error::Crypto`] when no randomness is available.
    fn fill_ivs(&mut self, ivs: &mut [[u8; BLOCK_LEN]]) -> Result<(), Error>;
}

/// A closure over the IVs' bytes, one IV after the other: a random
/// generator's `fill` serves as it is.
#[cfg(feature = "legacy")]
impl<F> IvSource for F
where
    F: FnMut(&mut [u8]) -> Result<(), Error> + Send,
{
    fn fill_ivs(&mut self, ivs: &mut [[u8; BLOCK_LEN]]) -> Result<(), Error> {
        self(ivs.as_flattened_mut())
    }
}

#[cfg(feature = "legacy")]
enum AesKey {
    Aes128(aes::Aes128),
    Aes256(aes::Aes256),
}

/// AES-128 or AES-256 in CBC mode, encrypting and decrypting whole blocks
/// in place.
#[cfg(feature = "legacy")]
pub struct AesCbc {
    key: AesKey,
}

#[cfg(feature = "legacy")]
impl AesCbc {
    /// Keys AES-128 (16-byte `key`) or AES-256 (32-byte `key`).
    ///
    /// Fails with [`Error::Crypto`] for any other key length.
    pub fn new(key: &[u8]) -> Result<Self, Error> {
        let bad = |_| Error::Crypto(CryptoReason::AesKeyLength);
        let key = match key.len() {
            16 => AesKey::Aes128(aes::Aes128::new_from_slice(key).map_err(bad)?),
            32 => AesKey::Aes256(aes::Aes256::new_from_slice(key).map_err(bad)?),
            _ => return Err(Error::Crypto(CryptoReason::AesKeyLength)),
        };
        Ok(Self { key })
    }

    /// The key length in bytes (16 or 32).
    pub fn key_len(&self) -> usize {
        match self.key {
            AesKey::Aes128(_) => 16,
            AesKey::Aes256(_) => 32,
        }
    }

    /// CBC-encrypts `data` in place starting from `iv`, and returns the
    /// last ciphertext block (the next IV when records chain, RFC 2246
    /// §6.2.3.2). Fails with [`Error::Crypto`] unless `data` is a non-empty
    /// whole number of blocks.
    pub fn encrypt_in_place(
        &self,
        iv: &[u8; BLOCK_LEN],
        data: &mut [u8],
    ) -> Result<[u8; BLOCK_LEN], Error> {
        let mut record = [CbcChain { iv: *iv, data }];
        self.encrypt_chains_in_place(&mut record)?;
        let [CbcChain { iv: last, .. }] = record;
        Ok(last)
    }

    /// CBC-encrypts each chain's data in place from its own IV, leaving
    /// its last ciphertext block in its `iv`. The chains are independent
    /// (each is SP 800-38A §6.2 on its own), so up to
    /// `PARALLEL_CHAINS` of them go through AES interleaved, block by
    /// block: one chain's next block has to wait for its last one's AES
    /// rounds, and the others' blocks fill that wait. Fails with
    /// [`Error::Crypto`], before encrypting anything, unless every
    /// chain's data is a non-empty whole number of blocks.
    ///
    /// Fuzzing mode (compiled only under `cfg(fuzzing)`, see
    /// `docs/fuzzing.md`): the data is left as it is (a pass-through that
    /// keeps IV, padding and MAC framing) and each chain's last block is
    /// left in its `iv`.
    #[cfg_attr(fuzzing, allow(unreachable_code, unused_variables))]
    pub fn encrypt_chains_in_place(&self, chains: &mut [CbcChain<'_>]) -> Result<(), Error> {
        for chain in chains.iter() {
            whole_blocks(chain.data)?;
        }
        #[cfg(fuzzing)]
        {
            for chain in chains.iter_mut() {
                if let Some(last) = chain.data.rchunks_exact(BLOCK_LEN).next() {
                    chain.iv.copy_from_slice(last);
                }
            }
            return Ok(());
        }
        for group in chains.chunks_mut(PARALLEL_CHAINS) {
            let pass = EncryptChains { chains: group };
            match &self.key {
                AesKey::Aes128(k) => k.encrypt_with_backend(pass),
                AesKey::Aes256(k) => k.encrypt_with_backend(pass),
            }
        }
        Ok(())
    }

    /// CBC-decrypts `data` in place starting from `iv`. Fails with
    /// [`Error::Crypto`] unless `data` is a non-empty whole number of
    /// blocks.
    ///
    /// Fuzzing mode (compiled only under `cfg(fuzzing)`): `data` is left
    /// as it is, the inverse of [`Self::encrypt_in_place`] there.
    #[cfg_attr(fuzzing, allow(unreachable_code, unused_variables))]
    pub fn decrypt_in_place(&self, iv: &[u8; BLOCK_LEN], data: &mut [u8]) -> Result<(), Error> {
        whole_blocks(data)?;
        #[cfg(fuzzing)]
        return Ok(());
        let (blocks, _) = Array::slice_as_chunks_mut(data);
        let pass = DecryptChain {
            iv: Array::from(*iv),
            blocks,
        };
        match &self.key {
            AesKey::Aes128(k) => k.decrypt_with_backend(pass),
            AesKey::Aes256(k) => k.decrypt_with_backend(pass),
        }
        Ok(())
    }
}

/// CBC decryption of `blocks` from `iv` (SP 800-38A §6.2), run as one
/// closure inside the `aes` crate's backend (one choice of implementation
/// and one load of the round keys per record). Blocks decrypt
/// independently, so each batch of [`DECRYPT_BATCH_BLOCKS`] goes to the
/// backend in runs as wide as it decrypts in parallel, out of place onto
/// the stack; the chaining XOR then writes each plaintext block over its
/// ciphertext, keeping that ciphertext for the next block.
#[cfg(feature = "legacy")]
struct DecryptChain<'a> {
    iv: Block,
    blocks: &'a mut [Block],
}

#[cfg(feature = "legacy")]
impl BlockSizeUser for DecryptChain<'_> {
    type BlockSize = U16;
}

#[cfg(feature = "legacy")]
impl BlockCipherDecClosure for DecryptChain<'_> {
    fn call<B: BlockCipherDecBackend<BlockSize = U16>>(self, backend: &B) {
        let mut chain = self.iv;
        let mut decrypted = [Block::default(); DECRYPT_BATCH_BLOCKS];
        for batch in self.blocks.chunks_mut(DECRYPT_BATCH_BLOCKS) {
            let plain = decrypted.get_mut(..batch.len()).unwrap_or_default();
            // The lengths are equal by construction; were they not, the
            // batch would stay ciphertext and fail its MAC.
            let Ok(pass) = InOutBuf::new(&*batch, &mut *plain) else {
                return;
            };
            let (runs, tail) = pass.into_chunks::<B::ParBlocksSize>();
            for run in runs {
                backend.decrypt_par_blocks(run);
            }
            backend.decrypt_tail_blocks(tail);
            for (block, plain) in batch.iter_mut().zip(plain.iter()) {
                let ciphertext = *block;
                *block = *plain;
                xor_block(block, &chain);
                chain = ciphertext;
            }
        }
    }
}

/// One AES block as the `aes` crate takes it.
#[cfg(feature = "legacy")]
type Block = Array<u8, U16>;

/// The blocks CBC decryption takes at a time: they are decrypted out of
/// place into 1 KiB on the stack before the chaining XOR, and they go to the
/// `aes` crate's backend in runs it decrypts in parallel (decryption of
/// different blocks is independent, SP 800-38A §6.2): 64 blocks with VAES
/// and AVX-512, 8 with plain AES-NI, so this is a whole number of either.
#[cfg(feature = "legacy")]
pub const DECRYPT_BATCH_BLOCKS: usize = 64;

/// `block ^= other`; always inlined, so that inside the `aes` crate's
/// backend the chaining XOR stays one vector instruction in the AES
/// dependency chain.
#[cfg(feature = "legacy")]
#[inline(always)]
fn xor_block(block: &mut Block, other: &Block) {
    let mut xored = [0u8; BLOCK_LEN];
    for (x, (a, b)) in xored.iter_mut().zip(block.0.iter().zip(other.0.iter())) {
        *x = a ^ b;
    }
    block.0 = xored;
}

/// One CBC chain to encrypt: its IV (on return, its last ciphertext
/// block) and its data, whole blocks.
#[cfg(feature = "legacy")]
#[derive(Debug, Default)]
pub struct CbcChain<'a> {
    /// The IV; on return the last ciphertext block.
    pub iv: [u8; BLOCK_LEN],
    /// The data, encrypted in place.
    pub data: &'a mut [u8],
}

/// How many CBC chains are encrypted interleaved: enough independent
/// AES work to cover one chain's wait for its previous block. Measured
/// here (VAES, AVX-512) on 16 KiB records: 11.9 µs each one after the
/// other, 2.3 µs each eight at a time.
#[cfg(feature = "legacy")]
pub const PARALLEL_CHAINS: usize = 8;

/// CBC encryption of up to [`PARALLEL_CHAINS`] chains (SP 800-38A §6.2),
/// run as one closure inside the `aes` crate's backend: the crate picks
/// its implementation (AES-NI, VAES) once per call, so the records are
/// encrypted without choosing it again, or reloading the round keys, for
/// every block. Within a chain encryption is serial, each block's input
/// needing the ciphertext before it; the chains take turns block by
/// block, so their AES rounds overlap in the processor.
#[cfg(feature = "legacy")]
struct EncryptChains<'a, 'b> {
    chains: &'a mut [CbcChain<'b>],
}

#[cfg(feature = "legacy")]
impl BlockSizeUser for EncryptChains<'_, '_> {
    type BlockSize = U16;
}

#[cfg(feature = "legacy")]
impl BlockCipherEncClosure for EncryptChains<'_, '_> {
    fn call<B: BlockCipherEncBackend<BlockSize = U16>>(self, backend: &B) {
        if let [chain] = self.chains {
            // One chain alone: the plain serial loop, without the
            // bookkeeping of taking turns.
            let mut last = Array::from(chain.iv);
            let (blocks, _) = Array::slice_as_chunks_mut(&mut *chain.data);
            for block in blocks {
                encrypt_next(backend, block, &mut last);
            }
            chain.iv = last.into();
            return;
        }
        let count = self.chains.len().min(PARALLEL_CHAINS);
        let mut lasts = [Block::default(); PARALLEL_CHAINS];
        let mut blocks: [&mut [Block]; PARALLEL_CHAINS] = Default::default();
        let mut longest = 0;
        for ((last, data), chain) in lasts.iter_mut().zip(&mut blocks).zip(&mut *self.chains) {
            *last = Array::from(chain.iv);
            (*data, _) = Array::slice_as_chunks_mut(&mut *chain.data);
            longest = longest.max(data.len());
        }
        for i in 0..longest {
            for (last, data) in lasts.iter_mut().zip(&mut blocks).take(count) {
                if let Some(block) = data.get_mut(i) {
                    encrypt_next(backend, block, last);
                }
            }
        }
        for (last, chain) in lasts.iter().zip(self.chains.iter_mut()) {
            chain.iv = (*last).into();
        }
    }
}

/// One CBC step: `block` is XORed with the chain's `last` ciphertext
/// block, encrypted, and becomes the new `last`.
#[cfg(feature = "legacy")]
#[inline(always)]
fn encrypt_next<B: BlockCipherEncBackend<BlockSize = U16>>(
    backend: &B,
    block: &mut Block,
    last: &mut Block,
) {
    xor_block(block, last);
    backend.encrypt_block_inplace(block);
    *last = *block;
}

#[cfg(feature = "legacy")]
fn whole_blocks(data: &[u8]) -> Result<(), Error> {
    if data.is_empty() || !data.len().is_multiple_of(BLOCK_LEN) {
        return Err(Error::Crypto(CryptoReason::CbcPartialBlock));
    }
    Ok(())
}

/// The length of the MAC input prefix TLS puts before the record content:
/// `seq_num(8) ‖ type(1) ‖ version(2) ‖ length(2)` (RFC 5246 §6.2.3.1).
pub const MAC_HEADER_LEN: usize = 13;

/// The `seq_num ‖ type ‖ version ‖ length` prefix TLS MACs (RFC 5246
/// §6.2.3.1) and TLS 1.2 AEADs authenticate (RFC 5246 §6.2.3.3).
pub fn mac_header(seq: u64, content_type: u8, version: u16, length: u16) -> [u8; MAC_HEADER_LEN] {
    let mut out = [0u8; MAC_HEADER_LEN];
    let (seq_part, rest) = out.split_at_mut(8);
    seq_part.copy_from_slice(&seq.to_be_bytes());
    let (type_part, rest) = rest.split_at_mut(1);
    type_part.copy_from_slice(&[content_type]);
    let (version_part, length_part) = rest.split_at_mut(2);
    version_part.copy_from_slice(&version.to_be_bytes());
    length_part.copy_from_slice(&length.to_be_bytes());
    out
}

/// HMAC (RFC 2104) with SHA-1, SHA-256 or SHA-384, the record MAC of the
/// TLS CBC cipher suites (RFC 5246 §6.2.3.1), counting the hash
/// compression-function calls it makes.
pub struct RecordMac {
    algorithm: HashAlgorithm,
    /// The hash states after absorbing `key ⊕ ipad` and `key ⊕ opad`:
    /// raw chaining values of RustCrypto's `sha1`/`sha2` compression
    /// functions ([`KeyChains`]), which the constant-time inner hash of
    /// [`open_mac_then_encrypt`] also starts from. One implementation for
    /// every record tag, public length or secret, and the crates use the
    /// CPU's SHA extensions where it has them (ring's SHA-1 does not, and
    /// runs at about half their speed on the project machine,
    /// `docs/performance.md`).
    keys: KeyChains,
    work: HashWork,
}

/// The digest of `key block ‖ parts` from `keyed`, and the
/// compression-function calls it took.
fn keyed_digest(keyed: &Chain, parts: &[&[u8]]) -> (MacTag, u64) {
    let hashed = sha_blocks::hash_public(keyed, parts);
    let tag = MacTag {
        bytes: hashed.digest,
        len: hashed.len,
    };
    (tag, hashed.compressions)
}

/// The hash work a [`RecordMac`] has done since it was keyed: what the
/// Lucky Thirteen defence must keep independent of a record's padding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct HashWork {
    /// Compression-function calls, counting the two key blocks of every
    /// tag computed. For a tag over a public length the count follows from
    /// the number of bytes fed to each hash (whole blocks, plus the final
    /// padded block(s) at finish); a MAC-then-encrypt opening counts the
    /// blocks its constant-time inner hash runs.
    pub compressions: u64,
}

impl RecordMac {
    /// Keys HMAC over `algorithm` (SHA-1, SHA-256 or SHA-384; SHA-1 only
    /// with `legacy`) with `key`.
    ///
    /// Fails with [`Error::Crypto`] for any other hash.
    pub fn new(algorithm: HashAlgorithm, key: &[u8]) -> Result<Self, Error> {
        if !matches!(
            algorithm,
            HashAlgorithm::Sha1 | HashAlgorithm::Sha256 | HashAlgorithm::Sha384
        ) {
            return Err(Error::Crypto(CryptoReason::RecordMacHash));
        }
        Ok(Self {
            algorithm,
            keys: KeyChains::new(algorithm, key)
                .ok_or(Error::Crypto(CryptoReason::RecordMacHash))?,
            work: HashWork::default(),
        })
    }

    /// The tag length in bytes (the hash's output length).
    pub fn tag_len(&self) -> usize {
        self.algorithm.output_len()
    }

    /// The hash this MAC is built on.
    pub fn algorithm(&self) -> HashAlgorithm {
        self.algorithm
    }

    /// The hash work this MAC has done since it was keyed; the Lucky
    /// Thirteen tests observe it.
    pub fn hash_work(&self) -> HashWork {
        self.work
    }

    /// The tag over the concatenation of `parts`.
    pub fn sign(&mut self, parts: &[&[u8]]) -> MacTag {
        let (inner, compressions) = keyed_digest(&self.keys.inner, parts);
        self.work.compressions += compressions;
        self.outer_tag(inner.as_ref())
    }

    /// Whether `tag` is the tag over the concatenation of `parts`, compared
    /// in constant time.
    pub fn verify(&mut self, parts: &[&[u8]], tag: &[u8]) -> subtle::Choice {
        self.sign(parts).matches(tag)
    }

    /// The tag whose inner hash is `inner_digest`: runs the outer hash,
    /// over public lengths only.
    fn outer_tag(&mut self, inner_digest: &[u8]) -> MacTag {
        let (tag, compressions) = keyed_digest(&self.keys.outer, &[inner_digest]);
        self.work.compressions += compressions;
        tag
    }

    /// The tag over `header ‖ content[..content_len]` where `content_len`
    /// is secret and lies between `min_content_len` and `content.len()`,
    /// computed in time that does not depend on it
    /// ([`cbc_mac::inner_hash`]).
    #[cfg(feature = "legacy")]
    fn sign_secret_length(
        &mut self,
        header: &[u8; MAC_HEADER_LEN],
        content: &[u8],
        min_content_len: usize,
        content_len: usize,
    ) -> MacTag {
        let inner = cbc_mac::inner_hash(
            &self.keys.inner,
            header,
            content,
            min_content_len,
            content_len,
        );
        self.work.compressions += inner.compressions;
        self.outer_tag(inner.digest.get(..inner.len).unwrap_or(&[]))
    }
}

/// A record MAC tag of up to [`MAX_HASH_LEN`] bytes.
#[derive(Clone, Copy, Debug)]
pub struct MacTag {
    bytes: [u8; MAX_HASH_LEN],
    len: usize,
}

impl MacTag {
    /// Whether `received` equals this tag, compared in constant time: the
    /// one record-MAC comparison of both MAC orders.
    ///
    /// Fuzzing mode (compiled only under `cfg(fuzzing)`, see
    /// `docs/fuzzing.md`): every received MAC matches.
    #[cfg_attr(fuzzing, allow(unreachable_code, unused_variables))]
    pub fn matches(&self, received: &[u8]) -> subtle::Choice {
        #[cfg(fuzzing)]
        return subtle::Choice::from(1);
        self.as_ref().ct_eq(received)
    }
}

impl AsRef<[u8]> for MacTag {
    fn as_ref(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&self.bytes)
    }
}

/// Checks TLS CBC padding in constant time (RFC 5246 §6.2.3.2): the last
/// byte of `plaintext` is `padding_length` and the `padding_length` bytes
/// before it must all equal it, and `padding_length + 1 + min_content`
/// bytes must fit in `plaintext`.
///
/// Returns whether the padding is good and the number of trailing bytes to
/// strip (`padding_length + 1`, or 1 when the padding is bad so that a
/// caller's MAC check over the rest still runs on every path). Every
/// byte position a padding can cover is examined whatever the claimed
/// length, so the time taken does not depend on it.
#[cfg(feature = "legacy")]
pub fn check_padding(plaintext: &[u8], min_content: usize) -> (subtle::Choice, usize) {
    let n = plaintext.len();
    let pad = usize::from(plaintext.last().copied().unwrap_or(0));
    let pad_byte = plaintext.last().copied().unwrap_or(0);
    // pad + 1 + min_content <= n, i.e. !(n < pad + 1 + min_content).
    let mut good = !(n as u64).ct_lt(&((pad + 1 + min_content) as u64));
    // Counting from the end, byte `i` is padding when `i <= pad`: the sign
    // bit of `i - (pad + 1)` (both below 2^9, so it cannot wrap past it),
    // spread into an all-ones mask. Mismatches are OR-ed together by plain
    // arithmetic: no branch and no `subtle` optimisation barrier per byte
    // (which cost about as much as decrypting the record), one comparison
    // at the end.
    let mut mismatch = 0u32;
    for (i, byte) in plaintext.iter().rev().take(MAX_PADDING_LEN + 1).enumerate() {
        let in_padding = ((i as u32).wrapping_sub(pad as u32 + 1) >> 31).wrapping_neg();
        mismatch |= in_padding & u32::from(byte ^ pad_byte);
    }
    good &= mismatch.ct_eq(&0);
    let strip = u64::conditional_select(&1, &(pad as u64 + 1), good);
    (good, strip as usize)
}

/// Verifies and strips the MAC and padding of a decrypted MAC-then-encrypt
/// record (RFC 5246 §6.2.3.2), defending against Lucky Thirteen.
///
/// `plaintext` is the decrypted `content ‖ MAC ‖ padding ‖ padding_length`
/// (without any explicit IV); `seq`, `content_type` and `version` complete
/// the MAC input. Returns the content length, or [`Error::BadRecordMac`]
/// — the same value along one code path for a bad padding, a bad MAC or a
/// record too short for both.
///
/// The defence (AlFardan & Paterson, "Lucky Thirteen: Breaking the TLS and
/// DTLS Record Protocols", IEEE S&P 2013, the countermeasures section):
/// the padding is checked in constant time (`check_padding`); a bad
/// padding is treated as none, so the MAC is still computed; the inner
/// hash over the secret-length content runs the same compression-function
/// calls on the same block positions for every padding, building the
/// blocks where the content may end under masks (`crypto::cbc_mac`); and
/// the received MAC is copied out of its secret-dependent position by a
/// scan over every position it could take.
/// `benches/lucky13.rs` measures the time.
#[cfg(feature = "legacy")]
pub fn open_mac_then_encrypt(
    mac: &mut RecordMac,
    seq: u64,
    content_type: u8,
    version: u16,
    plaintext: &[u8],
) -> Result<usize, Error> {
    let tag_len = mac.tag_len();
    let n = plaintext.len();
    // Public: the record length alone says whether a MAC and a padding
    // byte fit, and bounds the content length.
    let Some(longest_content) = n.checked_sub(tag_len + 1) else {
        return Err(Error::BadRecordMac);
    };
    let shortest_content = longest_content.saturating_sub(MAX_PADDING_LEN);
    let (padding_good, strip) = check_padding(plaintext, tag_len);
    let content_len = n - tag_len - strip;

    let header = mac_header(seq, content_type, version, content_len as u16);
    let computed = mac.sign_secret_length(
        &header,
        plaintext.get(..longest_content).unwrap_or(&[]),
        shortest_content,
        content_len,
    );

    let mut received = [0u8; MAX_HASH_LEN];
    let received = received.get_mut(..tag_len).unwrap_or(&mut []);
    for (offset, window) in plaintext
        .windows(tag_len)
        .enumerate()
        .skip(shortest_content)
    {
        let here = (offset as u64).ct_eq(&(content_len as u64));
        for (out, byte) in received.iter_mut().zip(window) {
            out.conditional_assign(byte, here);
        }
    }
    let mac_good = computed.matches(received);

    if bool::from(padding_good & mac_good) {
        Ok(content_len)
    } else {
        Err(Error::BadRecordMac)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s.replace([' ', '\n'], "")).unwrap()
    }

    #[cfg(feature = "legacy")]
    // NIST SP 800-38A F.2.1 (CBC-AES128.Encrypt) and F.2.5
    // (CBC-AES256.Encrypt), all four blocks.
    #[test]
    fn cbc_sp800_38a_known_answers() {
        let iv: [u8; 16] = unhex("000102030405060708090a0b0c0d0e0f")
            .try_into()
            .unwrap();
        let plaintext = unhex(
            "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51
             30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
        );
        let cases = [
            (
                "2b7e151628aed2a6abf7158809cf4f3c",
                "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2
                 73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7",
            ),
            (
                "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
                "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d
                 39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b",
            ),
        ];
        for (key, ciphertext) in cases {
            let cbc = AesCbc::new(&unhex(key)).unwrap();
            let mut buf = plaintext.clone();
            let last = cbc.encrypt_in_place(&iv, &mut buf).unwrap();
            assert_eq!(buf, unhex(ciphertext));
            assert_eq!(last[..], buf[buf.len() - 16..]);
            cbc.decrypt_in_place(&iv, &mut buf).unwrap();
            assert_eq!(buf, plaintext);
        }
    }

    #[cfg(feature = "legacy")]
    #[test]
    fn cbc_refuses_partial_blocks_and_bad_keys() {
        assert!(AesCbc::new(&[0; 24]).is_err());
        let cbc = AesCbc::new(&[0; 16]).unwrap();
        assert!(cbc.encrypt_in_place(&[0; 16], &mut [0; 15]).is_err());
        assert!(cbc.decrypt_in_place(&[0; 16], &mut []).is_err());
    }

    // RFC 2202 §3 test case 2 (HMAC-SHA-1) and RFC 4231 §4.3 test case 2
    // (HMAC-SHA-256, HMAC-SHA-384): key "Jefe".
    #[test]
    fn hmac_known_answers() {
        let msg: &[u8] = b"what do ya want for nothing?";
        #[allow(unused_mut)]
        let mut cases = vec![
            (
                HashAlgorithm::Sha256,
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                HashAlgorithm::Sha384,
                "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e
                 8e2240ca5e69e2c78b3239ecfab21649",
            ),
        ];
        // SHA-1 record MACs come with `legacy` (its compression function
        // and the suites that use it).
        #[cfg(feature = "legacy")]
        cases.push((
            HashAlgorithm::Sha1,
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
        ));
        for (alg, want) in cases {
            let mut mac = RecordMac::new(alg, b"Jefe").unwrap();
            let (a, b) = msg.split_at(9);
            assert_eq!(mac.sign(&[a, b]).as_ref(), &unhex(want)[..], "{alg:?}");
            assert!(bool::from(mac.verify(&[msg], &unhex(want))));
        }
    }

    // RFC 4231 §4.7 test case 6: a 131-byte key is hashed first.
    #[test]
    fn hmac_long_key() {
        let mut mac = RecordMac::new(HashAlgorithm::Sha256, &[0xaa; 131]).unwrap();
        assert_eq!(
            hex::encode(mac.sign(&[b"Test Using Larger Than Block-Size Key - Hash Key First"])),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[cfg(feature = "legacy")]
    #[test]
    fn padding_check_accepts_only_consistent_padding() {
        let (good, strip) = check_padding(&[9, 9, 2, 2, 2], 0);
        assert!(bool::from(good));
        assert_eq!(strip, 3);
        let (good, strip) = check_padding(&[9, 9, 1, 2, 2], 0);
        assert!(!bool::from(good));
        assert_eq!(strip, 1);
        // Padding longer than the record, or than the room left by the MAC.
        assert!(!bool::from(check_padding(&[4, 4, 4], 0).0));
        assert!(!bool::from(check_padding(&[1, 1], 1).0));
        assert!(!bool::from(check_padding(&[], 0).0));
    }
}
