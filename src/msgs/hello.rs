//! ClientHello, ServerHello and HelloRetryRequest (RFC 8446 §4.1.2–§4.1.4,
//! RFC 5246 §7.4.1.2–§7.4.1.3), plus the special random values of
//! RFC 8446 §4.1.3.

use crate::codec::{Codec, LengthPrefix, Reader, Writer};
use crate::error::Error;
use crate::msgs::enums::{CipherSuite, Compression, ExtensionType, ProtocolVersion};
use crate::msgs::extensions::{
    decode_extensions, encode_extensions, find_extension, Extension, ExtensionContext, EXTENSIONS,
};
use crate::msgs::inline_list::InlineList;
use crate::msgs::psk::PskOffer;
use crate::msgs::syntax::VectorSpec;

/// The length of ClientHello.random and ServerHello.random (RFC 8446 §4.1.2).
pub const RANDOM_LEN: usize = 32;

/// The longest session ID: `opaque legacy_session_id<0..32>`
/// (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2).
pub const MAX_SESSION_ID_SIZE: usize = 32;

/// `opaque legacy_session_id<0..32>` and `legacy_session_id_echo<0..32>`
/// (RFC 8446 §4.1.2–§4.1.3).
pub const SESSION_ID: VectorSpec = VectorSpec::new(LengthPrefix::U8, 0, MAX_SESSION_ID_SIZE);

/// A hello's session ID, held in place: the RFC bound
/// ([`MAX_SESSION_ID_SIZE`]) is its capacity, so it never allocates.
pub type HelloSessionId = InlineList<u8, MAX_SESSION_ID_SIZE>;

/// `CipherSuite cipher_suites<2..2^16-2>` (RFC 8446 §4.1.2).
pub const CIPHER_SUITES: VectorSpec = VectorSpec::new(LengthPrefix::U16, 2, 0xfffe);

/// How many offered cipher suites a ClientHello holds in place: browsers
/// offer about 16 (GREASE included), OpenSSL's default list about 30 and
/// ferrotls's 9, so 32 keeps the usual offers off the heap. A sizing
/// choice, not a limit: a longer list is held on the heap.
pub const CIPHER_SUITES_INLINE: usize = 32;

/// `opaque legacy_compression_methods<1..2^8-1>` (RFC 8446 §4.1.2).
pub const COMPRESSION_METHODS: VectorSpec = VectorSpec::new(LengthPrefix::U8, 1, 0xff);

/// How many compression methods a ClientHello holds in place: TLS 1.3
/// allows only null (RFC 8446 §4.1.2) and old clients add DEFLATE
/// (RFC 3749), so 4 covers every offer seen. A sizing choice, not a
/// limit.
pub const COMPRESSION_METHODS_INLINE: usize = 4;

/// The ServerHello.random that marks a HelloRetryRequest: SHA-256 of
/// "HelloRetryRequest" (RFC 8446 §4.1.3).
pub const HELLO_RETRY_REQUEST_RANDOM: [u8; RANDOM_LEN] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/// The last 8 bytes of ServerHello.random of a TLS 1.3-capable server that
/// negotiated TLS 1.2 (RFC 8446 §4.1.3): "DOWNGRD" then 0x01.
pub const DOWNGRADE_SENTINEL_TLS12: [u8; 8] = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01];

/// The last 8 bytes of ServerHello.random of a TLS 1.3-capable server that
/// negotiated TLS 1.1 or below (RFC 8446 §4.1.3): "DOWNGRD" then 0x00.
pub const DOWNGRADE_SENTINEL_TLS11: [u8; 8] = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00];

/// A ClientHello (RFC 8446 §4.1.2; RFC 5246 §7.4.1.2 for TLS 1.0–1.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientHello {
    /// `legacy_version` (`client_version` before TLS 1.3).
    pub legacy_version: ProtocolVersion,
    /// The client's 32 random bytes.
    pub random: [u8; RANDOM_LEN],
    /// `legacy_session_id`: at most [`MAX_SESSION_ID_SIZE`] bytes.
    pub session_id: HelloSessionId,
    /// The offered cipher suites, most preferred first.
    pub cipher_suites: InlineList<CipherSuite, CIPHER_SUITES_INLINE>,
    /// `legacy_compression_methods`.
    pub compression_methods: InlineList<Compression, COMPRESSION_METHODS_INLINE>,
    /// The extension block; `None` when the message ends after the
    /// compression methods, which TLS 1.0–1.2 allow (RFC 5246 §7.4.1.2).
    /// `Some(vec![])` is an empty block and encodes as two zero bytes.
    pub extensions: Option<Vec<Extension>>,
}

impl ClientHello {
    /// The extensions, empty when the block is absent.
    pub fn extensions(&self) -> &[Extension] {
        self.extensions.as_deref().unwrap_or_default()
    }

    /// The first extension of type `typ`, if present.
    pub fn find_extension(&self, typ: ExtensionType) -> Option<&Extension> {
        find_extension(self.extensions(), typ)
    }

    /// The pre_shared_key offer, if present (it is always last).
    pub fn psk_offer(&self) -> Option<&PskOffer> {
        match self.extensions().last() {
            Some(Extension::PreSharedKeyOffer(offer)) => Some(offer),
            _ => None,
        }
    }

    /// The "truncated ClientHello" the PSK binders are computed over
    /// (RFC 8446 §4.2.11.2): `encoded_message` (this ClientHello with its
    /// 4-byte handshake header, as sent or received) without the trailing
    /// binders list. `None` when there is no PSK offer, or when
    /// `encoded_message` is shorter than the binders list. The binders'
    /// values do not matter, only their lengths, so a sender encodes with
    /// placeholder binders of the right size, hashes this prefix, then
    /// fills in the real binders.
    pub fn truncated_for_binders<'a>(&self, encoded_message: &'a [u8]) -> Option<&'a [u8]> {
        let binders_len = self.psk_offer()?.binders_len();
        let cut = encoded_message.len().checked_sub(binders_len)?;
        encoded_message.get(..cut)
    }
}

impl Codec for ClientHello {
    fn encode(&self, w: &mut Writer) {
        self.legacy_version.encode(w);
        w.bytes(&self.random);
        SESSION_ID.write(w, &self.session_id);
        CIPHER_SUITES.write_list(w, &self.cipher_suites);
        COMPRESSION_METHODS.write_list(w, &self.compression_methods);
        if let Some(extensions) = &self.extensions {
            encode_extensions(EXTENSIONS, w, extensions);
        }
    }

    /// Decodes a ClientHello body that may be followed by nothing but its
    /// extension block. Bound violations (a session ID over 32 bytes, no
    /// cipher suite, an odd suite list, no compression method) are
    /// [`Error::Decode`]; extension rules as [`decode_extensions`].
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            legacy_version: ProtocolVersion::decode(r)?,
            random: r.array()?,
            session_id: read_session_id(r)?,
            cipher_suites: CIPHER_SUITES.read_small_list(r)?,
            compression_methods: COMPRESSION_METHODS.read_small_list(r)?,
            extensions: decode_optional_extensions(r, ExtensionContext::ClientHello)?,
        })
    }
}

/// A ServerHello, or a HelloRetryRequest, which shares its syntax and is
/// told apart by [`HELLO_RETRY_REQUEST_RANDOM`] (RFC 8446 §4.1.3–§4.1.4;
/// RFC 5246 §7.4.1.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerHello {
    /// `legacy_version` (`server_version` before TLS 1.3).
    pub legacy_version: ProtocolVersion,
    /// The server's 32 random bytes, or the HelloRetryRequest marker.
    pub random: [u8; RANDOM_LEN],
    /// `session_id` (TLS 1.3: `legacy_session_id_echo`).
    pub session_id: HelloSessionId,
    /// The selected cipher suite.
    pub cipher_suite: CipherSuite,
    /// The selected compression method.
    pub compression_method: Compression,
    /// The extension block; `None` when absent (allowed before TLS 1.3).
    /// Decoded in the HelloRetryRequest context when the random is the
    /// marker, in the ServerHello context otherwise.
    pub extensions: Option<Vec<Extension>>,
}

impl ServerHello {
    /// Whether this is a HelloRetryRequest (RFC 8446 §4.1.3).
    pub fn is_hello_retry_request(&self) -> bool {
        self.random == HELLO_RETRY_REQUEST_RANDOM
    }

    /// The downgrade sentinel in the last 8 bytes of the random, if any:
    /// [`DOWNGRADE_SENTINEL_TLS12`] or [`DOWNGRADE_SENTINEL_TLS11`]
    /// (RFC 8446 §4.1.3). A TLS 1.3 client that negotiated a lower version
    /// must reject a hello carrying one.
    pub fn downgrade_sentinel(&self) -> Option<[u8; 8]> {
        let (_, tail) = self.random.split_last_chunk::<8>()?;
        [DOWNGRADE_SENTINEL_TLS12, DOWNGRADE_SENTINEL_TLS11]
            .into_iter()
            .find(|s| s == tail)
    }

    /// The extensions, empty when the block is absent.
    pub fn extensions(&self) -> &[Extension] {
        self.extensions.as_deref().unwrap_or_default()
    }

    /// The first extension of type `typ`, if present.
    pub fn find_extension(&self, typ: ExtensionType) -> Option<&Extension> {
        find_extension(self.extensions(), typ)
    }
}

impl Codec for ServerHello {
    fn encode(&self, w: &mut Writer) {
        self.legacy_version.encode(w);
        w.bytes(&self.random);
        SESSION_ID.write(w, &self.session_id);
        self.cipher_suite.encode(w);
        self.compression_method.encode(w);
        if let Some(extensions) = &self.extensions {
            encode_extensions(EXTENSIONS, w, extensions);
        }
    }

    /// Decodes a ServerHello or HelloRetryRequest body; failures as for
    /// [`ClientHello`].
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        let legacy_version = ProtocolVersion::decode(r)?;
        let random = r.array()?;
        let cx = if random == HELLO_RETRY_REQUEST_RANDOM {
            ExtensionContext::HelloRetryRequest
        } else {
            ExtensionContext::ServerHello
        };
        Ok(Self {
            legacy_version,
            random,
            session_id: read_session_id(r)?,
            cipher_suite: CipherSuite::decode(r)?,
            compression_method: Compression::decode(r)?,
            extensions: decode_optional_extensions(r, cx)?,
        })
    }
}

/// Reads a hello's session ID; more than [`MAX_SESSION_ID_SIZE`] bytes is
/// [`Error::Decode`] ([`SESSION_ID`]'s bound).
fn read_session_id(r: &mut Reader<'_>) -> Result<HelloSessionId, Error> {
    SESSION_ID.read(r).map(HelloSessionId::from_slice)
}

/// Reads the extension block that ends a hello, or nothing when the body
/// has already ended (RFC 5246 §7.4.1.2: the block may be absent).
fn decode_optional_extensions(
    r: &mut Reader<'_>,
    cx: ExtensionContext,
) -> Result<Option<Vec<Extension>>, Error> {
    if r.is_empty() {
        Ok(None)
    } else {
        decode_extensions(EXTENSIONS, r, cx).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DecodeReason;

    fn client_hello(extensions: Option<Vec<Extension>>) -> ClientHello {
        ClientHello {
            legacy_version: ProtocolVersion::TLSv1_2,
            random: [7; RANDOM_LEN],
            session_id: [1; 32].into(),
            cipher_suites: [CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA].into(),
            compression_methods: [Compression::Null].into(),
            extensions,
        }
    }

    #[test]
    fn absent_and_empty_extension_blocks_round_trip_distinctly() {
        let absent = client_hello(None).to_bytes().unwrap();
        let empty = client_hello(Some(vec![])).to_bytes().unwrap();
        assert_eq!(empty.len(), absent.len() + 2);
        assert_eq!(ClientHello::decode_exact(&absent).unwrap().extensions, None);
        assert_eq!(
            ClientHello::decode_exact(&empty).unwrap().extensions,
            Some(vec![])
        );
    }

    /// The ClientHello of [`client_hello`]`(None)` with the given vector
    /// bodies, written without their bounds (as a faulty peer could), since
    /// our encoder refuses to.
    fn raw_client_hello(session_id: &[u8], suites: &[u8], compression: &[u8]) -> Vec<u8> {
        let mut w = Writer::new();
        ProtocolVersion::TLSv1_2.encode(&mut w);
        w.bytes(&[7; RANDOM_LEN]);
        w.vector(SESSION_ID.prefix, session_id);
        w.vector(CIPHER_SUITES.prefix, suites);
        w.vector(COMPRESSION_METHODS.prefix, compression);
        w.finish().unwrap()
    }

    #[test]
    fn raw_client_hello_matches_the_encoder() {
        assert_eq!(
            raw_client_hello(&[1; 32], &[0x00, 0x2f], &[0]),
            client_hello(None).to_bytes().unwrap()
        );
    }

    #[test]
    fn session_id_of_33_bytes_is_refused_both_ways() {
        let mut hello = client_hello(None);
        hello.session_id = [0; 33].into();
        assert_eq!(hello.to_bytes(), Err(Error::EncodeOverflow));
        let bytes = raw_client_hello(&[0; 33], &[0x00, 0x2f], &[0]);
        assert!(matches!(
            ClientHello::decode_exact(&bytes),
            Err(Error::Decode(DecodeReason::VectorLength))
        ));
    }

    #[test]
    fn empty_cipher_suites_and_compression_are_refused_both_ways() {
        let mut hello = client_hello(None);
        hello.cipher_suites = InlineList::new();
        assert_eq!(hello.to_bytes(), Err(Error::EncodeOverflow));
        assert!(matches!(
            ClientHello::decode_exact(&raw_client_hello(&[1; 32], &[], &[0])),
            Err(Error::Decode(DecodeReason::VectorLength))
        ));
        let mut hello = client_hello(None);
        hello.compression_methods = InlineList::new();
        assert_eq!(hello.to_bytes(), Err(Error::EncodeOverflow));
        assert!(matches!(
            ClientHello::decode_exact(&raw_client_hello(&[1; 32], &[0x00, 0x2f], &[])),
            Err(Error::Decode(DecodeReason::VectorLength))
        ));
    }

    /// More suites than [`CIPHER_SUITES_INLINE`] decode (on the heap) and
    /// re-encode byte for byte: the capacity is not a limit.
    #[test]
    fn more_cipher_suites_than_the_inline_capacity_round_trip() {
        let suites: Vec<u8> = (0..CIPHER_SUITES_INLINE as u16 + 8)
            .flat_map(|code| (0xc000 + code).to_be_bytes())
            .collect();
        let bytes = raw_client_hello(&[1; 32], &suites, &[0]);
        let hello = ClientHello::decode_exact(&bytes).unwrap();
        assert_eq!(hello.cipher_suites.len(), CIPHER_SUITES_INLINE + 8);
        assert!(hello.cipher_suites.is_spilled());
        assert_eq!(hello.to_bytes().unwrap(), bytes);
    }

    #[test]
    fn downgrade_sentinels_are_recognised() {
        let mut random = [0x55; RANDOM_LEN];
        let hello = |random| ServerHello {
            legacy_version: ProtocolVersion::TLSv1_2,
            random,
            session_id: HelloSessionId::new(),
            cipher_suite: CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            compression_method: Compression::Null,
            extensions: None,
        };
        assert_eq!(hello(random).downgrade_sentinel(), None);
        random[24..].copy_from_slice(&DOWNGRADE_SENTINEL_TLS12);
        assert_eq!(
            hello(random).downgrade_sentinel(),
            Some(DOWNGRADE_SENTINEL_TLS12)
        );
        random[24..].copy_from_slice(&DOWNGRADE_SENTINEL_TLS11);
        assert_eq!(
            hello(random).downgrade_sentinel(),
            Some(DOWNGRADE_SENTINEL_TLS11)
        );
        assert!(!hello(random).is_hello_retry_request());
        assert!(hello(HELLO_RETRY_REQUEST_RANDOM).is_hello_retry_request());
    }
}
