//! Certificate compression (RFC 8879): the only module that names the
//! compression crates — `miniz_oxide` (zlib, RFC 1950), `brotli` (RFC
//! 7932; its decoder driven from [`brotli_decoder`]) and `ruzstd` (zstd,
//! RFC 8878), all pure Rust; why these: `docs/architecture.md`,
//! Dependencies.
//!
//! Decompression is where a peer can attack: a few bytes can claim or
//! expand to megabytes. So the announced `uncompressed_length` is checked
//! against the configured certificate message bound before anything is
//! allocated, the output buffer is exactly that long and never grows,
//! and the decompressed data must fill it exactly: one byte more or less
//! is `bad_certificate` (RFC 8879 §4). The decoders' own memory is bounded
//! too: brotli's ring buffer by the announced length
//! ([`brotli_decoder`]), the zstd window by the certificate bound
//! ([`MIN_ZSTD_WINDOW_ACCEPTED`]).

mod brotli_decoder;

use std::collections::VecDeque;
use std::io::Read;
use std::sync::{Arc, Mutex};

use crate::error::{CertificateError, Error};
use crate::msgs::enums::CertificateCompressionAlgorithm;

/// The algorithms offered and used by default, most preferred first:
/// brotli, the one Chromium offers and Cloudflare prefers (it compresses
/// certificate chains best), then zstd and zlib, which Firefox offers
/// beside it.
pub const DEFAULT_CERTIFICATE_COMPRESSION: &[CertificateCompressionAlgorithm] = &[
    CertificateCompressionAlgorithm::Brotli,
    CertificateCompressionAlgorithm::Zstd,
    CertificateCompressionAlgorithm::Zlib,
];

/// The brotli quality our certificates are compressed with (0–11): the
/// densest, as certificate chains are small and compressed once per
/// handshake at most.
const BROTLI_QUALITY: i32 = 11;

/// The brotli window, log2 bytes (RFC 7932 §9.1): 64 KiB holds a whole
/// default-size certificate message, and keeps the peer's ring buffer
/// small.
const BROTLI_WINDOW_LOG: i32 = 16;

/// The zlib level our certificates are compressed with (0–10; 9 is
/// zlib's best).
const ZLIB_LEVEL: u8 = 9;

/// The smallest zstd window a received frame may declare and still be
/// decoded: 128 KiB, the window `ruzstd`'s compressor declares (so we read
/// what we send). Larger windows are accepted up to the certificate
/// bound rounded up to a power of two; more would make the decoder
/// reserve the declared window up front (RFC 8878 §3.1.1.1.2).
pub const MIN_ZSTD_WINDOW_ACCEPTED: usize = 128 * 1024;

/// The algorithms this build can use: all three of RFC 8879 §3.
pub fn is_supported(algorithm: CertificateCompressionAlgorithm) -> bool {
    DEFAULT_CERTIFICATE_COMPRESSION.contains(&algorithm)
}

/// How many compressed Certificate bodies a [`CompressionCache`] keeps:
/// a server sends the same chain to every client, one per configured
/// certificate and algorithm (ECDSA beside RSA, each of the three
/// algorithms), so a few entries save nearly every compression; the
/// bound keeps a configuration with many certificates from holding them
/// all (least recently used first out).
pub const COMPRESSION_CACHE_ENTRIES: usize = 8;

/// The compressed forms of the Certificate bodies sent last, each keyed
/// by its algorithm and the whole uncompressed body, so that a chain is
/// compressed once rather than once per handshake (brotli at its densest
/// takes milliseconds for a typical chain). Keyed by the body, not the
/// certificate, so that anything in the message that changes (a request
/// context, per-entry extensions) is a different entry. Shared by every
/// connection of one configuration.
#[derive(Default)]
pub struct CompressionCache {
    entries: Mutex<VecDeque<CachedCompression>>,
}

/// One compressed Certificate body.
struct CachedCompression {
    algorithm: CertificateCompressionAlgorithm,
    body: Vec<u8>,
    compressed: Arc<[u8]>,
}

impl CompressionCache {
    /// `body` compressed with `algorithm`, from the cache when it was
    /// compressed before (then it moves to the front), otherwise
    /// compressed now and kept; `None` for an algorithm this build does
    /// not have. Compressing happens outside the lock; a poisoned lock
    /// only means no caching.
    pub(crate) fn compress(
        &self,
        algorithm: CertificateCompressionAlgorithm,
        body: &[u8],
    ) -> Option<Arc<[u8]>> {
        if let Ok(mut entries) = self.entries.lock() {
            let hit = entries
                .iter()
                .position(|e| e.algorithm == algorithm && e.body == body);
            if let Some(entry) = hit.and_then(|at| entries.remove(at)) {
                let compressed = entry.compressed.clone();
                entries.push_front(entry);
                return Some(compressed);
            }
        }
        let compressed: Arc<[u8]> = compress(algorithm, body)?.into();
        if let Ok(mut entries) = self.entries.lock() {
            entries.push_front(CachedCompression {
                algorithm,
                body: body.to_vec(),
                compressed: compressed.clone(),
            });
            entries.truncate(COMPRESSION_CACHE_ENTRIES);
        }
        Some(compressed)
    }
}

/// `data` compressed with `algorithm`; `None` for an algorithm this
/// build does not have.
pub(crate) fn compress(algorithm: CertificateCompressionAlgorithm, data: &[u8]) -> Option<Vec<u8>> {
    use CertificateCompressionAlgorithm as A;
    match algorithm {
        A::Zlib => Some(miniz_oxide::deflate::compress_to_vec_zlib(data, ZLIB_LEVEL)),
        A::Brotli => {
            let mut out = Vec::with_capacity(data.len());
            let mut input = data;
            let params = brotli::enc::BrotliEncoderParams {
                quality: BROTLI_QUALITY,
                lgwin: BROTLI_WINDOW_LOG,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut input, &mut out, &params).ok()?;
            Some(out)
        }
        A::Zstd => Some(ruzstd::encoding::compress_to_vec(
            data,
            ruzstd::encoding::CompressionLevel::Fastest,
        )),
        A::Unknown(_) => None,
    }
}

/// The data `compressed` holds, which must decompress with `algorithm`
/// to exactly `announced` bytes.
///
/// Fails with [`CertificateError::BadCompressedCertificate`]
/// (`bad_certificate`: RFC 8879 §4 says a CompressedCertificate that
/// cannot be decompressed MUST end the connection with it) when
/// `announced` is over `max` (the configured certificate message bound:
/// refused before allocating, as we will not decompress that much), when
/// the data does not decompress, decompresses to more or fewer bytes
/// than announced, or uses an algorithm this build does not have. At
/// most `announced` bytes of output are ever produced.
pub(crate) fn decompress(
    algorithm: CertificateCompressionAlgorithm,
    compressed: &[u8],
    announced: usize,
    max: usize,
) -> Result<Vec<u8>, Error> {
    use CertificateCompressionAlgorithm as A;
    if announced > max {
        return Err(bad("announced length over the certificate message bound"));
    }
    let mut out = vec![0u8; announced];
    match algorithm {
        A::Zlib => inflate_zlib(compressed, &mut out)?,
        A::Brotli => brotli_decoder::decompress(compressed, &mut out)?,
        A::Zstd => {
            let window = max
                .checked_next_power_of_two()
                .unwrap_or(usize::MAX)
                .max(MIN_ZSTD_WINDOW_ACCEPTED);
            let decoder = ruzstd::decoding::StreamingDecoder::new_with_max_window_size(
                compressed,
                u64::try_from(window).unwrap_or(u64::MAX),
            )
            .map_err(|_| bad("zstd frame header"))?;
            fill_exactly(decoder, &mut out)?
        }
        A::Unknown(_) => return Err(bad("unknown algorithm")),
    }
    Ok(out)
}

/// A `bad_certificate` failure of decompression (RFC 8879 §4).
fn bad(why: &'static str) -> Error {
    Error::InvalidCertificate(CertificateError::BadCompressedCertificate(why))
}

/// Reads `reader` into `out` until it is full, then checks that the
/// stream has nothing more (one byte further is read, into a one-byte
/// buffer).
fn fill_exactly(mut reader: impl Read, out: &mut [u8]) -> Result<(), Error> {
    let mut filled = 0;
    while let Some(rest) = out.get_mut(filled..).filter(|rest| !rest.is_empty()) {
        match reader.read(rest) {
            Ok(0) => return Err(bad("shorter than announced")),
            Ok(n) => filled += n,
            Err(_) => return Err(bad("does not decompress")),
        }
    }
    let mut extra = [0u8; 1];
    match reader.read(&mut extra) {
        Ok(0) => Ok(()),
        Ok(_) => Err(bad("longer than announced")),
        Err(_) => Err(bad("does not decompress")),
    }
}

/// Inflates the zlib stream `compressed` (RFC 1950) into `out`, which it
/// must fill exactly, and which must be all of the input.
fn inflate_zlib(compressed: &[u8], out: &mut [u8]) -> Result<(), Error> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
    use miniz_oxide::inflate::TINFLStatus;
    let mut state = Box::<DecompressorOxide>::default();
    let flags = inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER
        | inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let (status, read, written) = decompress(&mut state, compressed, out, 0, flags);
    match status {
        TINFLStatus::Done if written == out.len() && read == compressed.len() => Ok(()),
        TINFLStatus::Done if written < out.len() => Err(bad("shorter than announced")),
        TINFLStatus::Done => Err(bad("data after the zlib stream")),
        TINFLStatus::HasMoreOutput => Err(bad("longer than announced")),
        _ => Err(bad("does not decompress")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CertificateCompressionAlgorithm as A;

    const ALL: [CertificateCompressionAlgorithm; 3] = [A::Zlib, A::Brotli, A::Zstd];

    /// A certificate message bound, the default's 64 KiB (the record
    /// layer, which defines that, sits above this module).
    const MAX: usize = 64 * 1024;

    fn bad_certificate(why: &'static str) -> Result<Vec<u8>, Error> {
        Err(Error::InvalidCertificate(
            CertificateError::BadCompressedCertificate(why),
        ))
    }

    /// Something certificate-like: repetitive, but not trivially so.
    fn sample(len: usize) -> Vec<u8> {
        (0..len)
            .map(|i| (i % 251) as u8 ^ (i / 509) as u8)
            .collect()
    }

    #[test]
    fn each_algorithm_round_trips() {
        let data = sample(3000);
        for algorithm in ALL {
            let compressed = compress(algorithm, &data).unwrap();
            assert!(compressed.len() < data.len(), "{algorithm:?}");
            assert_eq!(
                decompress(algorithm, &compressed, data.len(), MAX).unwrap(),
                data
            );
        }
    }

    #[test]
    fn an_announced_length_over_the_bound_is_refused_before_decompressing() {
        // 16 MiB − 1 announced (the largest uint24), a few bytes sent:
        // refused from the announced length alone, as an oversize
        // Certificate would be, with no output buffer made.
        for algorithm in ALL {
            assert_eq!(
                decompress(algorithm, &[1, 2, 3], 0x00ff_ffff, MAX),
                bad_certificate("announced length over the certificate message bound")
            );
        }
    }

    #[test]
    fn a_bomb_that_expands_past_its_announced_length_is_bad_certificate() {
        // 1 MiB of zeros compresses to around a kilobyte; announced as 1000
        // bytes, decompression stops one byte past the announcement.
        let bomb = vec![0u8; 1 << 20];
        for algorithm in ALL {
            let compressed = compress(algorithm, &bomb).unwrap();
            assert!(compressed.len() < 8 * 1024, "{algorithm:?}");
            assert_eq!(
                decompress(algorithm, &compressed, 1000, MAX),
                bad_certificate("longer than announced"),
                "{algorithm:?}"
            );
        }
    }

    #[test]
    fn data_shorter_than_announced_is_bad_certificate() {
        let data = sample(1000);
        for algorithm in ALL {
            let compressed = compress(algorithm, &data).unwrap();
            assert_eq!(
                decompress(algorithm, &compressed, 1001, MAX),
                bad_certificate("shorter than announced"),
                "{algorithm:?}"
            );
            assert_eq!(
                decompress(algorithm, &compressed, 999, MAX),
                bad_certificate("longer than announced"),
                "{algorithm:?}"
            );
        }
    }

    #[test]
    fn bytes_that_do_not_decompress_are_bad_certificate() {
        for algorithm in ALL {
            let result = decompress(algorithm, &[0xff; 64], 100, MAX);
            assert!(
                matches!(
                    result,
                    Err(Error::InvalidCertificate(
                        CertificateError::BadCompressedCertificate(_)
                    ))
                ),
                "{algorithm:?}: {result:?}"
            );
            assert_eq!(
                result.unwrap_err().alert(),
                Some(crate::msgs::enums::AlertDescription::BadCertificate)
            );
        }
    }

    #[test]
    fn bytes_after_the_zlib_stream_are_bad_certificate() {
        let data = sample(500);
        let mut compressed = compress(A::Zlib, &data).unwrap();
        compressed.push(0);
        assert_eq!(
            decompress(A::Zlib, &compressed, data.len(), MAX),
            bad_certificate("data after the zlib stream")
        );
    }

    #[test]
    fn a_zstd_window_over_the_bound_is_refused() {
        // A frame header declaring a 1 GiB window (Window_Descriptor
        // exponent 20: 2^(10+20)), which the decoder would otherwise
        // reserve up front (RFC 8878 §3.1.1.1.2).
        let frame = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 20 << 3, 0x01, 0x00, 0x00];
        assert_eq!(
            decompress(A::Zstd, &frame, 100, MAX),
            bad_certificate("zstd frame header")
        );
    }

    #[test]
    fn the_cache_compresses_each_body_once_and_keeps_the_latest() {
        let cache = CompressionCache::default();
        let body = sample(2000);
        let first = cache.compress(A::Brotli, &body).unwrap();
        let again = cache.compress(A::Brotli, &body).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "served from the cache");
        assert_eq!(
            decompress(A::Brotli, &first, body.len(), MAX).unwrap(),
            body
        );
        // Another algorithm or another body is another entry.
        let zlib = cache.compress(A::Zlib, &body).unwrap();
        assert!(!Arc::ptr_eq(&first, &zlib));
        let mut other = body.clone();
        other[0] ^= 1;
        assert!(!Arc::ptr_eq(
            &first,
            &cache.compress(A::Brotli, &other).unwrap()
        ));
        // Past the bound the least recently used goes: brotli of `body`
        // was used before the others, so fresh bodies push it out.
        for i in 0..COMPRESSION_CACHE_ENTRIES {
            cache.compress(A::Zstd, &sample(100 + i)).unwrap();
        }
        let recompressed = cache.compress(A::Brotli, &body).unwrap();
        assert!(!Arc::ptr_eq(&first, &recompressed));
        assert_eq!(*first, *recompressed, "compression is deterministic");
        assert_eq!(cache.compress(A::Unknown(9), &body), None);
    }

    #[test]
    fn unknown_algorithms_neither_compress_nor_decompress() {
        assert_eq!(compress(A::Unknown(9), b"x"), None);
        assert_eq!(
            decompress(A::Unknown(9), b"x", 1, MAX),
            bad_certificate("unknown algorithm")
        );
        assert!(!is_supported(A::Unknown(9)));
    }
}
