//! Brotli decompression (RFC 7932) of a whole CompressedCertificate into
//! an output buffer of exactly its announced length, with the decoder's
//! working memory in a few buffers sized up front and its window bounded
//! by that length.
//!
//! The decoder is `brotli`'s state machine (`BrotliState`, driven by one
//! `BrotliDecompressStream` call over the whole input and the whole
//! output: no read buffer, no copy). It asks its allocators for cells of
//! three element types: bytes (the ring buffer that holds the window, and
//! the context maps), `u32` (where each Huffman table starts) and
//! [`HuffmanCode`] (the tables). Each type gets an [`Arena`]: one buffer
//! that hands out cells front to back, falling back to the heap for a cell
//! that no longer fits. The buffers are sized so that a usual certificate
//! chain never falls back, which makes a decompression two allocations
//! (the byte and table buffers; the `u32` buffer is small and lives on
//! the stack) beside the output.
//!
//! The window: a stream's header declares it (WBITS, RFC 7932 §9.1), up
//! to 16 MiB, and the decoder sizes its ring buffer from that window and
//! from the lengths the meta-block headers declare (MLEN, §9.2), so a
//! few header bytes could make it allocate 16 MiB for a 100-byte
//! certificate. The output is exactly `announced` bytes, so no valid
//! stream needs a ring buffer larger than that: the byte arena refuses
//! any cell over [`largest_byte_cell`], which the decoder reports as a
//! failed allocation, and we as a stream longer than announced.
//! Large-window brotli (windows up to 1 GiB, not RFC 7932) is refused
//! outright.

use brotli::{
    Allocator, BrotliDecompressStream, BrotliResult, BrotliState, HuffmanCode, SliceWrapper,
    SliceWrapperMut,
};

use super::bad;
use crate::error::Error;

/// Bytes the decoder allocates past its ring buffer's power-of-two size,
/// so that a copy or a static dictionary word (RFC 7932 §8) can run past
/// the end before wrapping: the C reference decoder's 542 plus one
/// dictionary word, 566 in `brotli-decompressor` 6, rounded up to 1 KiB
/// so that a somewhat larger slack in a later version still fits.
pub const BROTLI_RING_BUFFER_SLACK: usize = 1024;

/// The largest byte cell the decoder needs besides its ring buffer: a
/// literal context map, 64 entries for each of up to 256 literal block
/// types (RFC 7932 §7.3). A cell this large is never refused, whatever
/// the announced length.
pub const BROTLI_MAX_CONTEXT_MAP: usize = 256 * 64;

/// Room in the byte arena beside the ring buffer, for the context maps
/// and block type modes: a usual chain's maps take 69 bytes (one block type
/// of each kind); 1 KiB holds them for up to 15 literal block types. A
/// sizing choice, not a limit (larger maps come from the heap).
const BYTE_ARENA_ROOM: usize = 1024;

/// Huffman table entries in the table arena. A usual chain (the
/// `vectors/pki` chains up to 3.3 KB, compressed at quality 4 to 11 with
/// windows of 64 KiB to 16 MiB) takes 2152 entries with one literal tree
/// and 3148 with two. A meta-block with more than one block type adds the
/// block type, block length and context map tables (3730), as an 80 KB
/// chain at quality 11 does (6487 to 6949 in all), and then takes some
/// cells from the heap. A sizing choice, not a limit.
const TABLE_ARENA_LEN: usize = 4 * 1024;

/// Table offsets in the stack arena: one per Huffman tree; the chains
/// above take 3 to 6. A sizing choice, not a limit (more come from the
/// heap).
const OFFSET_ARENA_LEN: usize = 64;

/// The largest byte cell the decoder may take for an output of
/// `announced` bytes: the ring buffer of a window that holds all of it
/// (the smallest power of two at least `announced`, plus
/// [`BROTLI_RING_BUFFER_SLACK`]), or a whole context map
/// ([`BROTLI_MAX_CONTEXT_MAP`]) if that is larger. A stream asking for
/// more declares more output than announced.
pub fn largest_byte_cell(announced: usize) -> usize {
    ring_buffer_len(announced).max(BROTLI_MAX_CONTEXT_MAP)
}

/// Decompresses the brotli stream `compressed` into `out`, which it must
/// fill exactly, and which must be all of the input.
///
/// Fails with `bad_certificate` (RFC 8879 §4) as
/// [`super::decompress`] says.
pub(super) fn decompress(compressed: &[u8], out: &mut [u8]) -> Result<(), Error> {
    with_arenas(out.len(), |bytes, offsets, tables| {
        decode(compressed, out, bytes, offsets, tables)
    })
}

/// Runs `decoder` with the three arenas for an output of `announced`
/// bytes: the byte buffer holds the ring buffer and the context maps,
/// and refuses cells over [`largest_byte_cell`]; the offsets live on
/// the stack.
fn with_arenas<R>(
    announced: usize,
    decoder: impl FnOnce(&mut Arena<'_, u8>, &mut Arena<'_, u32>, &mut Arena<'_, HuffmanCode>) -> R,
) -> R {
    let mut bytes = vec![0u8; ring_buffer_len(announced).saturating_add(BYTE_ARENA_ROOM)];
    let mut offsets = [0u32; OFFSET_ARENA_LEN];
    let mut tables = vec![HuffmanCode::default(); TABLE_ARENA_LEN];
    decoder(
        &mut Arena::new(&mut bytes, largest_byte_cell(announced)),
        &mut Arena::new(&mut offsets, usize::MAX),
        &mut Arena::new(&mut tables, usize::MAX),
    )
}

/// The most the decoder allocates for its ring buffer when the stream
/// is `announced` bytes long (less when the stream's window is smaller).
fn ring_buffer_len(announced: usize) -> usize {
    announced
        .checked_next_power_of_two()
        .map_or(usize::MAX, |ring| {
            ring.saturating_add(BROTLI_RING_BUFFER_SLACK)
        })
}

/// Runs the decoder over all of `compressed` into `out`, with cells from
/// the three arenas (which the caller can inspect afterwards).
fn decode(
    compressed: &[u8],
    out: &mut [u8],
    bytes: &mut Arena<'_, u8>,
    offsets: &mut Arena<'_, u32>,
    tables: &mut Arena<'_, HuffmanCode>,
) -> Result<(), Error> {
    // Strict: RFC 7932 windows only (WBITS 10..=24), no large window.
    let mut state = BrotliState::new_strict(bytes, offsets, tables);
    // Starting the ring buffer at the whole output's size (the decoder
    // caps it at the window) means it is allocated once, never regrown.
    state.set_initial_ring_buffer_size(u32::try_from(out.len()).unwrap_or(u32::MAX));
    let mut available_in = compressed.len();
    let mut input_offset = 0;
    let mut available_out = out.len();
    let mut output_offset = 0;
    let mut total_out = 0;
    let result = BrotliDecompressStream(
        &mut available_in,
        &mut input_offset,
        compressed,
        &mut available_out,
        &mut output_offset,
        out,
        &mut total_out,
        &mut state,
    );
    match result {
        BrotliResult::ResultSuccess if output_offset < out.len() => {
            Err(bad("shorter than announced"))
        }
        BrotliResult::ResultSuccess if available_in != 0 => {
            Err(bad("data after the brotli stream"))
        }
        BrotliResult::ResultSuccess => Ok(()),
        BrotliResult::NeedsMoreOutput => Err(bad("longer than announced")),
        // A ring buffer over `largest_byte_cell` refused: the stream's
        // headers declare more output than announced.
        _ if state.alloc_u8.refused => Err(bad("longer than announced")),
        _ => Err(bad("does not decompress")),
    }
}

/// One buffer that hands cells of `T` to the decoder front to back,
/// and cells that no longer fit from the heap. A cell handed back is not
/// reused (the decoder keeps its cells from one meta-block to the next,
/// so little is handed back before the end). No cell is ever larger than
/// `max_cell`: a larger request gets an empty cell, which the decoder
/// treats as a failed allocation.
struct Arena<'a, T> {
    /// The part of the buffer not yet handed out.
    unused: &'a mut [T],
    /// The largest cell this arena hands out, from its buffer or the
    /// heap.
    max_cell: usize,
    /// Whether a request over `max_cell` was refused.
    refused: bool,
    /// How many cells came from the heap.
    #[cfg(test)]
    heap_cells: usize,
}

impl<'a, T> Arena<'a, T> {
    fn new(buffer: &'a mut [T], max_cell: usize) -> Self {
        Arena {
            unused: buffer,
            max_cell,
            refused: false,
            #[cfg(test)]
            heap_cells: 0,
        }
    }
}

/// A cell the decoder holds: part of an arena's buffer, or its own heap
/// block when the arena had no room. Every element starts as
/// `T::default()` (zero), as the decoder expects.
enum Cell<'a, T> {
    Arena(&'a mut [T]),
    Heap(Vec<T>),
}

impl<T> Default for Cell<'_, T> {
    fn default() -> Self {
        Cell::Arena(Default::default())
    }
}

impl<T> SliceWrapper<T> for Cell<'_, T> {
    fn slice(&self) -> &[T] {
        match self {
            Cell::Arena(cell) => cell,
            Cell::Heap(cell) => cell,
        }
    }
}

impl<T> SliceWrapperMut<T> for Cell<'_, T> {
    fn slice_mut(&mut self) -> &mut [T] {
        match self {
            Cell::Arena(cell) => cell,
            Cell::Heap(cell) => cell,
        }
    }
}

impl<'a, T: Clone + Default> Allocator<T> for &mut Arena<'a, T> {
    type AllocatedMemory = Cell<'a, T>;

    fn alloc_cell(&mut self, len: usize) -> Cell<'a, T> {
        if len > self.max_cell {
            self.refused = true;
            return Cell::default();
        }
        if len > self.unused.len() {
            #[cfg(test)]
            {
                self.heap_cells += 1;
            }
            return Cell::Heap(vec![T::default(); len]);
        }
        let (cell, unused) = std::mem::take(&mut self.unused).split_at_mut(len);
        self.unused = unused;
        Cell::Arena(cell)
    }

    fn free_cell(&mut self, _cell: Cell<'a, T>) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compression::compress;
    use crate::error::CertificateError;
    use crate::msgs::enums::CertificateCompressionAlgorithm;

    fn bad_certificate(why: &'static str) -> Result<(), Error> {
        Err(Error::InvalidCertificate(
            CertificateError::BadCompressedCertificate(why),
        ))
    }

    /// A brotli stream written bit by bit, least significant bit first
    /// (RFC 7932 §2).
    #[derive(Default)]
    struct Bits {
        bytes: Vec<u8>,
        used: usize,
    }

    impl Bits {
        fn put(&mut self, value: u32, count: usize) -> &mut Self {
            for i in 0..count {
                if self.used == self.bytes.len() * 8 {
                    self.bytes.push(0);
                }
                let bit = u8::from(value >> i & 1 == 1);
                *self.bytes.last_mut().unwrap() |= bit << (self.used % 8);
                self.used += 1;
            }
            self
        }

        /// Zero bits up to the next byte, then `data` as it is.
        fn bytes(&mut self, data: &[u8]) -> &mut Self {
            self.bytes.extend_from_slice(data);
            self.used = self.bytes.len() * 8;
            self
        }
    }

    /// WBITS 24, the largest RFC 7932 window, 16 MiB (§9.1: 1, then
    /// 24 − 17 in three bits).
    fn window_24() -> Bits {
        let mut bits = Bits::default();
        bits.put(1, 1).put(24 - 17, 3);
        bits
    }

    /// The header of a meta-block that is not the last one and holds
    /// `len` (1 ..= 2^24) uncompressed bytes (RFC 7932 §9.2).
    fn uncompressed_header(bits: &mut Bits, len: u32) -> &mut Bits {
        // MNIBBLES: 4 or 6 nibbles of MLEN − 1, coded as 0 or 2.
        let nibbles = if len > 1 << 16 { 6 } else { 4 };
        bits.put(0, 1) // ISLAST
            .put(nibbles - 4, 2)
            .put(len - 1, nibbles as usize * 4)
            .put(1, 1) // ISUNCOMPRESSED
    }

    /// A stream of `data` (at most 64 KiB) stored uncompressed, behind
    /// the window header in `bits`, then an empty last meta-block.
    fn stored(mut bits: Bits, data: &[u8]) -> Vec<u8> {
        uncompressed_header(&mut bits, data.len() as u32)
            .bytes(data)
            .put(1, 1) // ISLAST
            .put(1, 1); // ISLASTEMPTY
        bits.bytes
    }

    /// Decodes `compressed` into `announced` bytes as [`decompress`]
    /// does, returning the result, whether the byte arena refused a cell
    /// and how many cells came from the heap.
    fn decode_counting(
        compressed: &[u8],
        announced: usize,
    ) -> (Result<Vec<u8>, Error>, bool, usize) {
        let mut out = vec![0u8; announced];
        let (result, refused, heap_cells) = with_arenas(announced, |bytes, offsets, tables| {
            let result = decode(compressed, &mut out, bytes, offsets, tables);
            let heap_cells = bytes.heap_cells + offsets.heap_cells + tables.heap_cells;
            (result, bytes.refused, heap_cells)
        });
        (result.map(|()| out), refused, heap_cells)
    }

    /// A TLS 1.3 Certificate body (RFC 8446 §4.4.2) carrying the test
    /// chain `name` from `vectors/pki`, as a server compresses it.
    fn certificate_body(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/vectors/pki/{name}-chain.pem",
            env!("CARGO_MANIFEST_DIR")
        );
        // Read with rustls's PEM reader (a dev-dependency): the crate's
        // own sits in `pki`, a layer above this one.
        use rustls::pki_types::{pem::PemObject, CertificateDer};
        let mut list = Vec::new();
        for der in CertificateDer::pem_file_iter(&path).unwrap() {
            let der = der.unwrap();
            list.extend_from_slice(&(der.len() as u32).to_be_bytes()[1..]);
            list.extend_from_slice(&der);
            list.extend_from_slice(&[0, 0]);
        }
        let mut body = vec![0];
        body.extend_from_slice(&(list.len() as u32).to_be_bytes()[1..]);
        body.extend_from_slice(&list);
        body
    }

    #[test]
    fn a_usual_chain_decodes_from_the_arenas_alone() {
        for name in ["p256", "p384", "rsa2048", "ed25519", "long"] {
            let body = certificate_body(name);
            let compressed = compress(CertificateCompressionAlgorithm::Brotli, &body).unwrap();
            let (result, refused, heap_cells) = decode_counting(&compressed, body.len());
            assert_eq!(result.unwrap(), body, "{name}");
            assert!(!refused, "{name}");
            assert_eq!(heap_cells, 0, "{name}: cells from the heap");
        }
    }

    #[test]
    fn a_16_mib_window_for_a_small_output_decodes_in_a_small_ring_buffer() {
        // WBITS 24 declares a 16 MiB window, but the data is 100 bytes.
        let data: Vec<u8> = (0..100).collect();
        let stream = stored(window_24(), &data);
        let (result, refused, heap_cells) = decode_counting(&stream, data.len());
        assert_eq!(result.unwrap(), data);
        assert!(!refused);
        assert_eq!(heap_cells, 0, "the ring buffer fits the byte arena");
    }

    #[test]
    fn a_meta_block_declaring_more_than_announced_gets_no_ring_buffer() {
        // A 16 MiB window and a first meta-block declaring 16 MiB of
        // stored data, of which a few bytes follow: the decoder would
        // size its ring buffer to 16 MiB before reading any of them.
        let mut bits = window_24();
        uncompressed_header(&mut bits, 1 << 24).bytes(&[0; 8]);
        let (result, refused, _) = decode_counting(&bits.bytes, 100);
        assert!(refused, "the 16 MiB cell is refused");
        assert_eq!(result.map(drop), bad_certificate("longer than announced"));
    }

    #[test]
    fn a_large_window_stream_is_refused() {
        // Large-window brotli (not RFC 7932): WBITS marker 1, 000, 100,
        // a zero bit, then WBITS 30 in six bits; the data itself would
        // decode.
        let mut bits = Bits::default();
        bits.put(1, 1).put(0, 3).put(1, 3).put(0, 1).put(30, 6);
        let stream = stored(bits, b"certificate");
        assert_eq!(
            decompress(&stream, &mut [0; 11]),
            bad_certificate("does not decompress")
        );
        assert_eq!(
            decompress(&stored(window_24(), b"certificate"), &mut [0; 11]),
            Ok(())
        );
    }

    #[test]
    fn bytes_after_the_brotli_stream_are_bad_certificate() {
        let data: Vec<u8> = (0..500u32).map(|i| (i % 7) as u8).collect();
        let mut compressed = compress(CertificateCompressionAlgorithm::Brotli, &data).unwrap();
        assert_eq!(decompress(&compressed, &mut vec![0; data.len()]), Ok(()));
        compressed.push(0);
        assert_eq!(
            decompress(&compressed, &mut vec![0; data.len()]),
            bad_certificate("data after the brotli stream")
        );
    }

    #[test]
    fn a_truncated_stream_is_bad_certificate() {
        let data: Vec<u8> = (0..500u32).map(|i| (i % 7) as u8).collect();
        let compressed = compress(CertificateCompressionAlgorithm::Brotli, &data).unwrap();
        assert_eq!(
            decompress(
                &compressed[..compressed.len() - 1],
                &mut vec![0; data.len()]
            ),
            bad_certificate("does not decompress")
        );
    }

    #[test]
    fn the_largest_byte_cell_is_the_ring_buffer_for_the_announced_length() {
        assert_eq!(largest_byte_cell(100), BROTLI_MAX_CONTEXT_MAP);
        assert_eq!(
            largest_byte_cell(40_000),
            64 * 1024 + BROTLI_RING_BUFFER_SLACK
        );
        assert_eq!(
            largest_byte_cell(64 * 1024),
            64 * 1024 + BROTLI_RING_BUFFER_SLACK
        );
        assert_eq!(largest_byte_cell(usize::MAX), usize::MAX);
    }

    #[test]
    fn an_arena_hands_out_its_buffer_then_the_heap_and_refuses_oversize_cells() {
        let mut buffer = [0u8; 8];
        let mut arena = Arena::new(&mut buffer, 16);
        let mut allocator = &mut arena;
        assert!(matches!(allocator.alloc_cell(5), Cell::Arena(cell) if cell.len() == 5));
        assert!(matches!(allocator.alloc_cell(4), Cell::Heap(cell) if cell.len() == 4));
        assert!(matches!(allocator.alloc_cell(3), Cell::Arena(cell) if cell.len() == 3));
        assert_eq!(allocator.alloc_cell(17).slice().len(), 0);
        assert!(arena.refused);
        assert_eq!(arena.heap_cells, 1);
    }
}
