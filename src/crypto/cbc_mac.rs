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
//! crates ([`crate::crypto::sha_blocks`]) because ring exposes only whole
//! hashes, whose finishing step runs a number of blocks that depends on
//! `L`. The tags over public lengths use them too
//! ([`crate::crypto::sha_blocks::hash_public`]), so every record MAC has
//! one implementation, and the crates use the CPU's SHA extensions.

use crate::crypto::hash::MAX_HASH_LEN;
use crate::crypto::sha_blocks::{Chain, Hashed, LENGTH_BYTES, MAX_BLOCK_LEN};
use subtle::{ConditionallySelectable, ConstantTimeEq, ConstantTimeLess};
use zeroize::Zeroize;

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
) -> Hashed {
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
    let bit_len = keyed.length_bytes(((block_len + message_len) as u64) << 3);

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
    Hashed {
        digest,
        len,
        compressions,
    }
}
