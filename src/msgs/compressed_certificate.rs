//! CompressedCertificate (RFC 8879 §4): a TLS 1.3 Certificate message
//! body, compressed with an algorithm the receiver offered in its
//! compress_certificate extension (RFC 8879 §3), with its uncompressed
//! length. Only the syntax lives here; decompression and its checks are
//! in `crate::compression`, the choice of algorithm in the handshake.

use crate::codec::{Codec, LengthPrefix, Reader, Writer};
use crate::error::Error;
use crate::msgs::enums::CertificateCompressionAlgorithm;
use crate::msgs::inline_list::InlineList;
use crate::msgs::syntax::VectorSpec;

/// `opaque compressed_certificate_message<1..2^24-1>` (RFC 8879 §4).
pub const COMPRESSED_CERTIFICATE_MESSAGE: VectorSpec =
    VectorSpec::new(LengthPrefix::U24, 1, 0x00ff_ffff);

/// `CertificateCompressionAlgorithm algorithms<2..2^8-2>` of the
/// compress_certificate extension (RFC 8879 §3): one to 127 algorithms.
pub const CERTIFICATE_COMPRESSION_ALGORITHMS: VectorSpec =
    VectorSpec::new(LengthPrefix::U8, 2, 0xfe);

/// How many algorithms a compress_certificate list holds in place: three
/// are registered (zlib, brotli, zstd; RFC 8879 §7.3), so 4 holds any
/// real list. A sizing choice, not a limit.
pub const CERTIFICATE_COMPRESSION_ALGORITHMS_INLINE: usize = 4;

/// A compress_certificate list ([`CERTIFICATE_COMPRESSION_ALGORITHMS`]).
pub type CertificateCompressionAlgorithmList =
    InlineList<CertificateCompressionAlgorithm, CERTIFICATE_COMPRESSION_ALGORITHMS_INLINE>;

/// A CompressedCertificate message (RFC 8879 §4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompressedCertificate {
    /// The algorithm the Certificate body was compressed with.
    pub algorithm: CertificateCompressionAlgorithm,
    /// The length of the Certificate body once decompressed (`uint24`).
    pub uncompressed_length: u32,
    /// The compressed Certificate body.
    pub compressed: Vec<u8>,
}

impl Codec for CompressedCertificate {
    fn encode(&self, w: &mut Writer) {
        self.algorithm.encode(w);
        w.u24(self.uncompressed_length);
        COMPRESSED_CERTIFICATE_MESSAGE.write(w, &self.compressed);
    }

    /// Decodes the three fields; an empty or truncated compressed body is
    /// [`Error::Decode`].
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            algorithm: CertificateCompressionAlgorithm::decode(r)?,
            uncompressed_length: r.u24()?,
            compressed: COMPRESSED_CERTIFICATE_MESSAGE.read_vec(r)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_byte_for_byte() {
        let message = CompressedCertificate {
            algorithm: CertificateCompressionAlgorithm::Brotli,
            uncompressed_length: 0x01_0203,
            compressed: vec![9, 8, 7],
        };
        let mut w = Writer::new();
        message.encode(&mut w);
        let bytes = w.finish().unwrap();
        assert_eq!(bytes, [0, 2, 1, 2, 3, 0, 0, 3, 9, 8, 7]);
        let mut r = Reader::new(&bytes);
        assert_eq!(CompressedCertificate::decode(&mut r).unwrap(), message);
        r.finish().unwrap();
    }

    #[test]
    fn unknown_algorithms_decode() {
        let bytes = [0x12, 0x34, 0, 0, 1, 0, 0, 1, 0];
        let message = CompressedCertificate::decode(&mut Reader::new(&bytes)).unwrap();
        assert_eq!(
            message.algorithm,
            CertificateCompressionAlgorithm::Unknown(0x1234)
        );
    }

    #[test]
    fn an_empty_or_short_body_is_a_decode_error() {
        for bytes in [&[0, 1, 0, 0, 1, 0, 0, 0][..], &[0, 1, 0, 0, 1, 0, 0, 2, 5]] {
            assert!(matches!(
                CompressedCertificate::decode(&mut Reader::new(bytes)),
                Err(Error::Decode(_))
            ));
        }
    }
}
