//! Fuzzes the `msgs` decoders. The first byte chooses what the rest is
//! decoded as (a framed handshake message under one of several contexts,
//! an extension block in one of the extension contexts, an alert or a
//! ChangeCipherSpec); whatever decodes must re-encode to the same bytes.
#![no_main]

use ferrotls::internal::codec::{Codec, Reader, Writer};
use ferrotls::internal::msgs::alert::Alert;
use ferrotls::internal::msgs::ccs::ChangeCipherSpec;
use ferrotls::internal::msgs::extensions::{
    decode_extensions, encode_extensions, ExtensionContext, EXTENSIONS,
};
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
use ferrotls::ProtocolVersion;
use libfuzzer_sys::fuzz_target;

const VERSIONS: [ProtocolVersion; 4] = [
    ProtocolVersion::TLSv1_0,
    ProtocolVersion::TLSv1_1,
    ProtocolVersion::TLSv1_2,
    ProtocolVersion::TLSv1_3,
];

const FINISHED_LENS: [usize; 4] = [12, 32, 48, 0];

/// The TLS 1.0–1.2 key exchanges, by choice bits 2 and 5.
const KEY_EXCHANGES: [KeyExchangeAlgorithm; 4] = [
    KeyExchangeAlgorithm::Ecdhe,
    KeyExchangeAlgorithm::Rsa,
    KeyExchangeAlgorithm::Dhe,
    KeyExchangeAlgorithm::Dhe,
];

const EXTENSION_CONTEXTS: [ExtensionContext; 8] = [
    ExtensionContext::ClientHello,
    ExtensionContext::ServerHello,
    ExtensionContext::HelloRetryRequest,
    ExtensionContext::EncryptedExtensions,
    ExtensionContext::CertificateEntry,
    ExtensionContext::CertificateRequest,
    ExtensionContext::NewSessionTicket,
    ExtensionContext::ClientHello,
];

fn check_round_trip<T: Codec>(input: &[u8]) {
    if let Ok(value) = T::decode_exact(input) {
        assert_eq!(value.to_bytes().ok().as_deref(), Some(input));
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else {
        return;
    };
    let choice = usize::from(selector >> 2);
    match selector & 3 {
        0 => {
            let cx = DecodeContext {
                version: VERSIONS[choice & 3],
                key_exchange: KEY_EXCHANGES[((choice >> 2) & 1) | ((choice >> 4) & 2)],
                finished_len: FINISHED_LENS[(choice >> 3) & 3],
            };
            if let Ok(message) = HandshakeMessage::decode_message(input, &cx) {
                assert_eq!(message.to_bytes().ok().as_deref(), Some(input));
            }
        }
        1 => {
            let cx = EXTENSION_CONTEXTS[choice & 7];
            let mut r = Reader::new(input);
            if let Ok(extensions) = decode_extensions(EXTENSIONS, &mut r, cx) {
                if r.is_empty() {
                    let mut w = Writer::new();
                    encode_extensions(EXTENSIONS, &mut w, &extensions);
                    assert_eq!(w.finish().ok().as_deref(), Some(input));
                }
            }
        }
        2 => check_round_trip::<Alert>(input),
        _ => check_round_trip::<ChangeCipherSpec>(input),
    }
});
