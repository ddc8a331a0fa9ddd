//! Certificate compression (RFC 8879) as the TLS 1.3 handshakes of both
//! roles use it: the receiver of a Certificate lists the algorithms it can
//! decompress (compress_certificate in the ClientHello for the server's
//! certificate, in the CertificateRequest for the client's), the sender
//! picks its most preferred of them and sends a CompressedCertificate in
//! place of the Certificate. The transcript holds the message as sent,
//! compressed (RFC 8879 §4). TLS ≤ 1.2 never compresses (RFC 8879 §3).

use crate::codec::Writer;
use crate::common_state::{HandshakeEvent, HandshakeIo};
use crate::compression;
use crate::config::CommonConfig;
use crate::error::{Error, IllegalParameterReason, UnexpectedMessageReason};
use crate::msgs::certificate::CertificateTls13;
use crate::msgs::compressed_certificate::CompressedCertificate;
use crate::msgs::enums::{CertificateCompressionAlgorithm, HandshakeType, ProtocolVersion};
use crate::msgs::extensions::Extension;
use crate::msgs::handshake::{DecodeContext, HandshakeMessage, HANDSHAKE_HEADER_LEN};
use crate::msgs::key_exchange::KeyExchangeAlgorithm;

/// The compress_certificate extension announcing what we decompress, when
/// the configuration lists any algorithm.
pub(crate) fn offer(common: &CommonConfig) -> Option<Extension> {
    (!common.certificate_compression.is_empty())
        .then(|| Extension::CompressCertificate(common.certificate_compression.as_slice().into()))
}

/// The algorithm to compress our Certificate with: our most preferred one
/// the peer listed, if any.
pub(crate) fn choose(
    common: &CommonConfig,
    offered: Option<&[CertificateCompressionAlgorithm]>,
) -> Option<CertificateCompressionAlgorithm> {
    let offered = offered?;
    common
        .certificate_compression
        .iter()
        .copied()
        .find(|a| offered.contains(a))
}

/// The algorithms a CertificateRequest's compress_certificate lists.
pub(crate) fn requested(extensions: &[Extension]) -> Option<&[CertificateCompressionAlgorithm]> {
    extensions.iter().find_map(|e| match e {
        Extension::CompressCertificate(algorithms) => Some(algorithms.as_slice()),
        _ => None,
    })
}

/// Queues `certificate` as a Certificate message, or as a
/// CompressedCertificate when `algorithm` is set (RFC 8879 §4), which is
/// reported; returns the encoding sent, for the transcript.
pub(crate) fn send<'a>(
    io: &'a mut dyn HandshakeIo,
    common: &CommonConfig,
    certificate: CertificateTls13,
    algorithm: Option<CertificateCompressionAlgorithm>,
) -> Result<&'a [u8], Error> {
    let room = encoded_room(&certificate);
    let message = HandshakeMessage::CertificateTls13(certificate);
    let compressed = match algorithm {
        Some(algorithm) => compressed_message(common, &message, room, algorithm)?,
        None => None,
    };
    if let (Some(_), Some(algorithm)) = (&compressed, algorithm) {
        io.report(HandshakeEvent::SentCertificateCompression(algorithm));
    }
    io.send_handshake(compressed.as_ref().unwrap_or(&message))
}

/// The room the encoding of `certificate` takes without entry extensions
/// (RFC 8446 §4.4.2: the header, the context, each entry's data with its
/// two length prefixes), so that the uncompressed encoding is written
/// into one allocation; a staple in an entry's extensions grows it once.
fn encoded_room(certificate: &CertificateTls13) -> usize {
    let entries: usize = certificate
        .entries
        .iter()
        .map(|e| 3 + e.cert_data.len() + 2)
        .sum();
    HANDSHAKE_HEADER_LEN + 1 + certificate.context.len() + 3 + entries
}

/// `message` (a Certificate) as a CompressedCertificate, compressed
/// through the configuration's cache, or `None` when this build cannot
/// compress with `algorithm`; `room` sizes its uncompressed encoding.
fn compressed_message(
    common: &CommonConfig,
    message: &HandshakeMessage,
    room: usize,
    algorithm: CertificateCompressionAlgorithm,
) -> Result<Option<HandshakeMessage>, Error> {
    let mut w = Writer::with_buffer(Vec::with_capacity(room));
    message.encode(&mut w);
    let encoded = w.finish()?;
    let body = encoded.get(HANDSHAKE_HEADER_LEN..).unwrap_or_default();
    let uncompressed_length = u32::try_from(body.len()).map_err(|_| Error::EncodeOverflow)?;
    Ok(common
        .certificate_compression_cache
        .compress(algorithm, body)
        .map(|compressed| {
            HandshakeMessage::CompressedCertificate(CompressedCertificate {
                algorithm,
                uncompressed_length,
                compressed: compressed.to_vec(),
            })
        }))
}

/// The TLS 1.3 decoding context of a decompressed Certificate body.
const CERTIFICATE_CONTEXT: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_3,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 0,
};

/// A received message with a CompressedCertificate replaced by the
/// Certificate it holds (reporting the algorithm); any other message
/// unchanged.
///
/// A CompressedCertificate is `unexpected_message` when we listed no
/// algorithm, `illegal_parameter` for an algorithm we did not list (RFC
/// 8879 §4), and fails as [`compression::decompress`] says (over the
/// configured certificate message bound, or not decompressing to exactly
/// its announced length: `bad_certificate`); a decompressed body that is
/// not a Certificate is `decode_error`.
pub(crate) fn expand(
    message: HandshakeMessage,
    common: &CommonConfig,
    io: &mut dyn HandshakeIo,
) -> Result<HandshakeMessage, Error> {
    let HandshakeMessage::CompressedCertificate(compressed) = message else {
        return Ok(message);
    };
    if common.certificate_compression.is_empty() {
        return Err(Error::UnexpectedMessage(
            UnexpectedMessageReason::CompressedCertificateNotOffered,
        ));
    }
    if !common
        .certificate_compression
        .contains(&compressed.algorithm)
    {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::CompressionAlgorithmNotOffered,
        ));
    }
    let announced = usize::try_from(compressed.uncompressed_length).unwrap_or(usize::MAX);
    let body = compression::decompress(
        compressed.algorithm,
        &compressed.compressed,
        announced,
        common.limits.max_certificate_message_size,
    )?;
    let certificate =
        HandshakeMessage::decode(HandshakeType::Certificate, &body, &CERTIFICATE_CONTEXT)?;
    io.report(HandshakeEvent::PeerCertificateCompression(
        compressed.algorithm,
    ));
    Ok(certificate)
}
