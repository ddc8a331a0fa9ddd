//! Wire tests of the `msgs` layer: the RFC 8448 messages in
//! `vectors/rfc8448/transcripts.vec` decode and re-encode to the identical
//! bytes; every message type rejects truncation, trailing garbage and
//! over-long length prefixes with `decode_error`; the ClientHello rules
//! (session ID bound, duplicate extensions, pre_shared_key last) hold on
//! real messages; the truncated ClientHello reproduces the binder of the
//! external-PSK trace.

mod common;

use common::rfc8448::{hex_value, transcripts};

use ferrotls::internal::codec::Codec;
use ferrotls::internal::error::{DecodeReason, IllegalParameterReason};
use ferrotls::internal::msgs::ccs::ChangeCipherSpec;
use ferrotls::internal::msgs::certificate::{
    CertificateEntry, CertificateRequestTls12, CertificateRequestTls13, CertificateTls12,
    CertificateTls13,
};
use ferrotls::internal::msgs::enums::{
    ClientCertificateType, Compression, ExtensionType, KeyUpdateRequest, PskKeyExchangeMode,
    ServerNameType,
};
use ferrotls::internal::msgs::extensions::{Extension, KeyShareEntry, ServerName};
use ferrotls::internal::msgs::handshake::{
    DecodeContext, HandshakeMessage, HANDSHAKE_HEADER_LEN, TLS12_VERIFY_DATA_LEN,
};
use ferrotls::internal::msgs::hello::{ClientHello, ServerHello, HELLO_RETRY_REQUEST_RANDOM};
use ferrotls::internal::msgs::key_exchange::{
    ClientKeyExchange, KeyExchangeAlgorithm, ServerDhParams, ServerEcdhParams, ServerKeyExchange,
    ServerKxParams,
};
use ferrotls::internal::msgs::signature::DigitallySigned;
use ferrotls::internal::msgs::ticket::{NewSessionTicketTls12, NewSessionTicketTls13};
use ferrotls::{CipherSuite, Error, HandshakeType, NamedGroup, ProtocolVersion, SignatureScheme};

/// The TLS 1.3 context of the RFC 8448 traces (SHA-256 suites).
const TLS13: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_3,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 32,
};

const TLS12_ECDHE: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_2,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: TLS12_VERIFY_DATA_LEN,
};

const TLS12_RSA: DecodeContext = DecodeContext {
    key_exchange: KeyExchangeAlgorithm::Rsa,
    ..TLS12_ECDHE
};

const TLS12_DHE: DecodeContext = DecodeContext {
    key_exchange: KeyExchangeAlgorithm::Dhe,
    ..TLS12_ECDHE
};

const TLS10_ECDHE: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_0,
    ..TLS12_ECDHE
};

/// The handshake message inside a plaintext handshake record.
fn record_payload(record: &[u8]) -> Vec<u8> {
    assert_eq!(record[0], 22, "not a handshake record");
    let len = usize::from(u16::from_be_bytes([record[3], record[4]]));
    assert_eq!(record.len(), 5 + len);
    record[5..].to_vec()
}

/// Every plaintext handshake message of every trace, framed, with a label.
fn rfc8448_messages() -> Vec<(String, Vec<u8>)> {
    let sections = transcripts();
    let mut out = Vec::new();
    for (section, values) in &sections {
        for (key, value) in values {
            let bytes = hex::decode(value);
            let message = match key.as_str() {
                "Record_ClientHello_1"
                | "Record_ClientHello_2"
                | "Record_ServerHello"
                | "Record_HelloRetryRequest" => record_payload(&bytes.unwrap()),
                k if k.starts_with("Message_") => bytes.unwrap(),
                _ => continue,
            };
            out.push((format!("{section}/{key}"), message));
        }
    }
    assert!(out.len() >= 40, "only {} messages found", out.len());
    out
}

fn decode(bytes: &[u8]) -> HandshakeMessage {
    HandshakeMessage::decode_message(bytes, &TLS13).unwrap()
}

#[test]
fn every_rfc8448_message_re_encodes_identically() {
    for (label, bytes) in rfc8448_messages() {
        let message = HandshakeMessage::decode_message(&bytes, &TLS13)
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(u8::from(message.handshake_type()), bytes[0], "{label}");
        assert_eq!(message.to_bytes().unwrap(), bytes, "{label}");
    }
}

#[test]
fn rfc8448_simple_client_hello_fields() {
    let s = transcripts();
    let bytes = record_payload(&hex_value(
        &s,
        "Simple_1RTT_Handshake",
        "Record_ClientHello_1",
    ));
    let HandshakeMessage::ClientHello(ch) = decode(&bytes) else {
        panic!("not a ClientHello")
    };
    let rng = hex_value(&s, "Simple_1RTT_Handshake", "Client_RNG_Pool");
    assert_eq!(ch.random[..], rng[..32]);
    assert_eq!(ch.legacy_version, ProtocolVersion::TLSv1_2);
    assert!(ch.session_id.is_empty());
    assert_eq!(
        ch.cipher_suites,
        [
            CipherSuite::TLS_AES_128_GCM_SHA256,
            CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
            CipherSuite::TLS_AES_256_GCM_SHA384
        ]
    );
    assert_eq!(ch.compression_methods, [Compression::Null]);
    assert_eq!(
        ch.find_extension(ExtensionType::ServerName),
        Some(&Extension::ServerName(
            vec![ServerName {
                typ: ServerNameType::HostName,
                name: b"server".to_vec()
            }]
            .into()
        ))
    );
    assert_eq!(
        ch.find_extension(ExtensionType::SupportedVersions),
        Some(&Extension::SupportedVersionsOffer(
            [ProtocolVersion::TLSv1_3].into()
        ))
    );
    let Some(Extension::KeyShareOffer(shares)) = ch.find_extension(ExtensionType::KeyShare) else {
        panic!("no key_share")
    };
    assert_eq!(shares.len(), 1);
    assert_eq!(shares[0].group, NamedGroup::X25519);
    assert_eq!(shares[0].key_exchange.len(), 32);
    assert_eq!(
        ch.find_extension(ExtensionType::PskKeyExchangeModes),
        Some(&Extension::PskKeyExchangeModes(
            [PskKeyExchangeMode::PskDheKe].into()
        ))
    );
    assert_eq!(
        ch.find_extension(ExtensionType::RecordSizeLimit),
        Some(&Extension::RecordSizeLimit(0x4001))
    );
    assert!(ch.psk_offer().is_none());
}

#[test]
fn rfc8448_server_hello_and_hello_retry_request() {
    let s = transcripts();
    let sh_bytes = hex_value(&s, "Simple_1RTT_Handshake", "Message_ServerHello");
    let HandshakeMessage::ServerHello(sh) = decode(&sh_bytes) else {
        panic!("not a ServerHello")
    };
    let rng = hex_value(&s, "Simple_1RTT_Handshake", "Server_RNG_Pool");
    assert_eq!(sh.random[..], rng[..32]);
    assert!(!sh.is_hello_retry_request());
    assert_eq!(sh.downgrade_sentinel(), None);
    assert_eq!(sh.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
    assert_eq!(
        sh.find_extension(ExtensionType::SupportedVersions),
        Some(&Extension::SupportedVersionsSelected(
            ProtocolVersion::TLSv1_3
        ))
    );
    assert!(matches!(
        sh.find_extension(ExtensionType::KeyShare),
        Some(Extension::KeyShareSelected(KeyShareEntry {
            group: NamedGroup::X25519,
            ..
        }))
    ));

    let hrr_bytes = record_payload(&hex_value(
        &s,
        "HelloRetryRequest_Handshake",
        "Record_HelloRetryRequest",
    ));
    let HandshakeMessage::ServerHello(hrr) = decode(&hrr_bytes) else {
        panic!("not a HelloRetryRequest")
    };
    assert!(hrr.is_hello_retry_request());
    assert_eq!(hrr.random, HELLO_RETRY_REQUEST_RANDOM);
    let cookie = hex_value(
        &s,
        "HelloRetryRequest_Handshake",
        "HelloRetryRequest_Cookie",
    );
    assert_eq!(
        hrr.find_extension(ExtensionType::Cookie),
        Some(&Extension::Cookie(cookie.clone()))
    );
    assert!(matches!(
        hrr.find_extension(ExtensionType::KeyShare),
        Some(Extension::KeyShareRetry(_))
    ));

    // The second ClientHello echoes the cookie.
    let ch2 = record_payload(&hex_value(
        &s,
        "HelloRetryRequest_Handshake",
        "Record_ClientHello_2",
    ));
    let HandshakeMessage::ClientHello(ch2) = decode(&ch2) else {
        panic!("not a ClientHello")
    };
    assert_eq!(
        ch2.find_extension(ExtensionType::Cookie),
        Some(&Extension::Cookie(cookie))
    );

    let resumed = hex_value(&s, "Resumed_0RTT_Handshake", "Message_ServerHello");
    let HandshakeMessage::ServerHello(resumed) = decode(&resumed) else {
        panic!("not a ServerHello")
    };
    assert_eq!(
        resumed.find_extension(ExtensionType::PreSharedKey),
        Some(&Extension::PreSharedKeySelected(0))
    );
}

#[test]
fn rfc8448_server_flight_fields() {
    let s = transcripts();
    let HandshakeMessage::EncryptedExtensions(ee) = decode(&hex_value(
        &s,
        "Resumed_0RTT_Handshake",
        "Message_EncryptedExtensions",
    )) else {
        panic!("not EncryptedExtensions")
    };
    assert!(ee.contains(&Extension::EarlyData));

    let HandshakeMessage::CertificateTls13(cert) = decode(&hex_value(
        &s,
        "Simple_1RTT_Handshake",
        "Message_Server_Certificate",
    )) else {
        panic!("not a Certificate")
    };
    assert!(cert.context.is_empty());
    assert_eq!(cert.entries.len(), 1);
    // A DER SEQUENCE with a two-byte length covering the whole entry.
    let der = &cert.entries[0].cert_data;
    assert_eq!(der[..2], [0x30, 0x82]);
    assert_eq!(
        usize::from(u16::from_be_bytes([der[2], der[3]])) + 4,
        der.len()
    );

    let HandshakeMessage::CertificateVerify(cv) = decode(&hex_value(
        &s,
        "Simple_1RTT_Handshake",
        "Message_Server_CertificateVerify",
    )) else {
        panic!("not a CertificateVerify")
    };
    assert_eq!(cv.scheme, Some(SignatureScheme::rsa_pss_rsae_sha256));
    assert_eq!(
        cv.signature,
        hex_value(&s, "Simple_1RTT_Handshake", "Server_MessageSignature")
    );

    let HandshakeMessage::CertificateRequestTls13(cr) = decode(&hex_value(
        &s,
        "Client_Authentication_Handshake",
        "Message_CertificateRequest",
    )) else {
        panic!("not a CertificateRequest")
    };
    assert!(cr.context.is_empty());
    assert!(matches!(
        cr.extensions
            .iter()
            .find(|e| e.ext_type() == ExtensionType::SignatureAlgorithms),
        Some(Extension::SignatureAlgorithms(schemes)) if !schemes.is_empty()
    ));

    let finished = hex_value(&s, "Simple_1RTT_Handshake", "Message_Server_Finished");
    assert_eq!(
        decode(&finished),
        HandshakeMessage::Finished(finished[HANDSHAKE_HEADER_LEN..].into())
    );
}

#[test]
fn rfc8448_middlebox_change_cipher_spec_record() {
    let s = transcripts();
    let record = hex_value(&s, "Middlebox_Compatibility_Mode", "Record_ClientFinished");
    // The first record: type 20, version 0x0303, length 1, body.
    assert_eq!(record[..5], [20, 3, 3, 0, 1]);
    assert_eq!(
        ChangeCipherSpec::decode_exact(&record[5..6]),
        Ok(ChangeCipherSpec)
    );
}

/// HKDF-Expand-Label (RFC 8446 §7.1) over SHA-256, computed with ring as
/// an oracle independent of the code under test.
fn hkdf_expand_label(secret: &[u8], label: &str, context: &[u8], len: usize) -> Vec<u8> {
    struct Len(usize);
    impl ring::hkdf::KeyType for Len {
        fn len(&self) -> usize {
            self.0
        }
    }
    let full_label = format!("tls13 {label}");
    let info = [
        &(len as u16).to_be_bytes()[..],
        &[full_label.len() as u8],
        full_label.as_bytes(),
        &[context.len() as u8],
        context,
    ];
    let prk = ring::hkdf::Prk::new_less_safe(ring::hkdf::HKDF_SHA256, secret);
    let mut out = vec![0; len];
    prk.expand(&info, Len(len)).unwrap().fill(&mut out).unwrap();
    out
}

#[test]
fn truncated_client_hello_reproduces_the_external_psk_binder() {
    let s = transcripts();
    let section = "Externally_Provided_PSK_with_Ephemeral_Key";
    let bytes = record_payload(&hex_value(&s, section, "Record_ClientHello_1"));
    let HandshakeMessage::ClientHello(ch) = decode(&bytes) else {
        panic!("not a ClientHello")
    };
    let offer = ch.psk_offer().unwrap();
    assert_eq!(offer.identities[0].identity, b"rfc8448");
    let truncated = ch.truncated_for_binders(&bytes).unwrap();

    // RFC 8446 §7.1 and §4.2.11.2: early secret from the PSK, the
    // "ext binder" key, its finished key, then HMAC over the transcript
    // hash of the truncated ClientHello.
    let psk = hex_value(&s, section, "PskSecret");
    let early = ring::hkdf::Salt::new(ring::hkdf::HKDF_SHA256, &[0; 32]).extract(&psk);
    struct Len32;
    impl ring::hkdf::KeyType for Len32 {
        fn len(&self) -> usize {
            32
        }
    }
    let empty_hash = ring::digest::digest(&ring::digest::SHA256, b"");
    let full_label = b"tls13 ext binder";
    let info = [
        &[0u8, 32][..],
        &[full_label.len() as u8],
        full_label,
        &[32],
        empty_hash.as_ref(),
    ];
    let mut binder_key = [0; 32];
    early
        .expand(&info, Len32)
        .unwrap()
        .fill(&mut binder_key)
        .unwrap();
    let finished_key = hkdf_expand_label(&binder_key, "finished", b"", 32);
    let transcript = ring::digest::digest(&ring::digest::SHA256, truncated);
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &finished_key);
    let binder = ring::hmac::sign(&key, transcript.as_ref());
    assert_eq!(offer.binders[0], binder.as_ref());
}

#[test]
fn truncated_client_hello_ends_where_the_binders_begin() {
    let s = transcripts();
    let bytes = record_payload(&hex_value(
        &s,
        "Resumed_0RTT_Handshake",
        "Record_ClientHello_1",
    ));
    let HandshakeMessage::ClientHello(ch) = decode(&bytes) else {
        panic!("not a ClientHello")
    };
    let offer = ch.psk_offer().unwrap();
    let truncated = ch.truncated_for_binders(&bytes).unwrap();
    let tail = &bytes[truncated.len()..];
    let mut expected = vec![0, 33, 32];
    expected.extend_from_slice(&offer.binders[0]);
    assert_eq!(tail, expected);
    // Too short an input has no truncation.
    assert_eq!(ch.truncated_for_binders(&bytes[..10]), None);
}

/// One constructed value of every message type and form, with the context
/// it decodes in.
fn constructed_messages() -> Vec<(HandshakeMessage, DecodeContext)> {
    let tls12_hello = ClientHello {
        legacy_version: ProtocolVersion::TLSv1_2,
        random: [1; 32],
        session_id: [2; 32].into(),
        cipher_suites: [
            CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
        ]
        .into(),
        compression_methods: [Compression::Null].into(),
        extensions: None,
    };
    let server_hello = ServerHello {
        legacy_version: ProtocolVersion::TLSv1_2,
        random: [3; 32],
        session_id: [4; 32].into(),
        cipher_suite: CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        compression_method: Compression::Null,
        extensions: Some(vec![
            Extension::RenegotiationInfo(vec![]),
            Extension::ExtendedMasterSecret,
            Extension::EcPointFormats(
                [ferrotls::internal::msgs::enums::EcPointFormat::Uncompressed].into(),
            ),
            Extension::SessionTicket(vec![]),
            Extension::Alpn(vec![b"h2".to_vec()]),
        ]),
    };
    let signed12 = DigitallySigned {
        scheme: Some(SignatureScheme::ecdsa_secp256r1_sha256),
        signature: vec![0x30; 70],
    };
    let signed10 = DigitallySigned {
        scheme: None,
        signature: vec![0x30; 70],
    };
    let ske = |signature: DigitallySigned| {
        HandshakeMessage::ServerKeyExchange(ServerKeyExchange {
            params: ServerKxParams::Ecdh(ServerEcdhParams {
                group: NamedGroup::secp256r1,
                public: vec![4; 65],
            }),
            signature,
        })
    };
    let dhe_ske = HandshakeMessage::ServerKeyExchange(ServerKeyExchange {
        params: ServerKxParams::Dh(ServerDhParams {
            prime: vec![0xff; 256],
            generator: vec![2],
            public: vec![9; 256],
        }),
        signature: signed12.clone(),
    });
    let cr12 = CertificateRequestTls12 {
        certificate_types: vec![
            ClientCertificateType::RsaSign,
            ClientCertificateType::EcdsaSign,
        ],
        signature_schemes: Some(vec![SignatureScheme::rsa_pkcs1_sha256]),
        certificate_authorities: vec![vec![0x30, 0x03, 1, 2, 3]],
    };
    vec![
        (HandshakeMessage::HelloRequest, TLS12_ECDHE),
        (HandshakeMessage::ClientHello(tls12_hello), TLS12_ECDHE),
        (HandshakeMessage::ServerHello(server_hello), TLS12_ECDHE),
        (
            HandshakeMessage::NewSessionTicketTls12(NewSessionTicketTls12 {
                lifetime_hint: 7200,
                ticket: vec![5; 100],
            }),
            TLS12_ECDHE,
        ),
        (
            HandshakeMessage::NewSessionTicketTls13(NewSessionTicketTls13 {
                lifetime: 7200,
                age_add: 0xdead_beef,
                nonce: [0, 1].into(),
                ticket: vec![6; 100],
                extensions: vec![Extension::MaxEarlyDataSize(16384)],
            }),
            TLS13,
        ),
        (HandshakeMessage::EndOfEarlyData, TLS13),
        (
            HandshakeMessage::EncryptedExtensions(vec![
                Extension::ServerNameAck,
                Extension::Alpn(vec![b"h2".to_vec()]),
            ]),
            TLS13,
        ),
        (
            HandshakeMessage::CertificateTls12(CertificateTls12 {
                certificates: vec![vec![0x30; 300], vec![0x31; 200]],
            }),
            TLS12_ECDHE,
        ),
        (
            HandshakeMessage::CertificateTls13(CertificateTls13 {
                context: vec![9; 8],
                entries: vec![CertificateEntry {
                    cert_data: vec![0x30; 300],
                    extensions: vec![Extension::OcspResponse(vec![0x30; 10])],
                }],
            }),
            TLS13,
        ),
        (ske(signed12.clone()), TLS12_ECDHE),
        (ske(signed10.clone()), TLS10_ECDHE),
        (dhe_ske, TLS12_DHE),
        (
            HandshakeMessage::CertificateRequestTls12(cr12.clone()),
            TLS12_ECDHE,
        ),
        (
            HandshakeMessage::CertificateRequestTls12(CertificateRequestTls12 {
                signature_schemes: None,
                ..cr12
            }),
            TLS10_ECDHE,
        ),
        (
            HandshakeMessage::CertificateRequestTls13(CertificateRequestTls13 {
                context: vec![],
                extensions: vec![Extension::SignatureAlgorithms(
                    [SignatureScheme::ed25519].into(),
                )],
            }),
            TLS13,
        ),
        (HandshakeMessage::ServerHelloDone, TLS12_ECDHE),
        (HandshakeMessage::CertificateVerify(signed12), TLS12_ECDHE),
        (HandshakeMessage::CertificateVerify(signed10), TLS10_ECDHE),
        (
            HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Ecdhe(vec![4; 65])),
            TLS12_ECDHE,
        ),
        (
            HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Rsa(vec![7; 256])),
            TLS12_RSA,
        ),
        (
            HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Dhe(vec![7; 256])),
            TLS12_DHE,
        ),
        (HandshakeMessage::Finished([8; 12].into()), TLS12_ECDHE),
        (
            HandshakeMessage::KeyUpdate(KeyUpdateRequest::UpdateNotRequested),
            TLS13,
        ),
    ]
}

/// Every message under test: the RFC 8448 ones and the constructed ones,
/// as (label, framed bytes, context).
fn all_messages() -> Vec<(String, Vec<u8>, DecodeContext)> {
    let mut out: Vec<_> = rfc8448_messages()
        .into_iter()
        .map(|(label, bytes)| (label, bytes, TLS13))
        .collect();
    for (message, cx) in constructed_messages() {
        out.push((
            format!("{message:?}").chars().take(60).collect(),
            message.to_bytes().unwrap(),
            cx,
        ));
    }
    out
}

#[test]
fn constructed_messages_round_trip() {
    for (message, cx) in constructed_messages() {
        let bytes = message.to_bytes().unwrap();
        assert_eq!(
            HandshakeMessage::decode_message(&bytes, &cx).unwrap(),
            message
        );
    }
}

/// Whether cutting a hello body at `len` leaves a valid hello without an
/// extension block (RFC 5246 §7.4.1.2 allows the block to be absent).
fn is_hello_without_extensions(decoded: &Result<HandshakeMessage, Error>) -> bool {
    match decoded {
        Ok(HandshakeMessage::ClientHello(ch)) => ch.extensions.is_none(),
        Ok(HandshakeMessage::ServerHello(sh)) => sh.extensions.is_none(),
        _ => false,
    }
}

#[test]
fn every_truncation_is_a_decode_error() {
    for (label, bytes, cx) in all_messages() {
        let typ = HandshakeType::from(bytes[0]);
        let body = &bytes[HANDSHAKE_HEADER_LEN..];
        for len in 0..body.len() {
            let decoded = HandshakeMessage::decode(typ, &body[..len], &cx);
            assert!(
                matches!(decoded, Err(Error::Decode(DecodeReason::Truncated)))
                    || is_hello_without_extensions(&decoded),
                "{label}: truncated to {len}: {decoded:?}"
            );
            // The framed form with a truncated body never decodes.
            let mut framed = bytes[..HANDSHAKE_HEADER_LEN].to_vec();
            framed.extend_from_slice(&body[..len]);
            assert!(matches!(
                HandshakeMessage::decode_message(&framed, &cx),
                Err(Error::Decode(DecodeReason::Truncated))
            ));
        }
    }
}

/// Whether appending `garbage` to a hello without an extension block made
/// a hello with an empty block, which is well-formed.
fn is_empty_block_added(decoded: &Result<HandshakeMessage, Error>, garbage: &[u8]) -> bool {
    let extensions = match decoded {
        Ok(HandshakeMessage::ClientHello(ch)) => &ch.extensions,
        Ok(HandshakeMessage::ServerHello(sh)) => &sh.extensions,
        _ => return false,
    };
    garbage == [0, 0] && extensions.as_deref() == Some(&[])
}

#[test]
fn appended_garbage_is_a_decode_error() {
    for (label, bytes, cx) in all_messages() {
        let typ = HandshakeType::from(bytes[0]);
        for garbage in [&[0u8][..], &[0, 0], &[0xff; 5]] {
            let mut body = bytes[HANDSHAKE_HEADER_LEN..].to_vec();
            body.extend_from_slice(garbage);
            let decoded = HandshakeMessage::decode(typ, &body, &cx);
            assert!(
                matches!(decoded, Err(Error::Decode(_))) || is_empty_block_added(&decoded, garbage),
                "{label} + {garbage:02x?}"
            );
        }
    }
}

/// Adds `delta` to the big-endian length field of `width` bytes at `at`.
fn grow_length(bytes: &mut [u8], at: usize, width: usize, delta: u32) {
    let field = &mut bytes[at..at + width];
    let value = field.iter().fold(0u32, |v, b| v << 8 | u32::from(*b)) + delta;
    for (i, b) in field.iter_mut().enumerate() {
        *b = (value >> (8 * (width - 1 - i))) as u8;
    }
}

#[test]
fn over_long_length_prefixes_are_decode_errors() {
    let s = transcripts();
    let ch = record_payload(&hex_value(
        &s,
        "Simple_1RTT_Handshake",
        "Record_ClientHello_1",
    ));
    let body = &ch[HANDSHAKE_HEADER_LEN..];
    // Offsets in the ClientHello body: version 0, random 2, session ID
    // length 34 (empty), cipher suites length 35 (3 suites), compression
    // length 43, extensions length 45.
    assert_eq!(body[34], 0);
    assert_eq!(body[35..37], [0, 6]);
    assert_eq!(body[43], 1);
    for (at, width) in [(34, 1), (35, 2), (43, 1), (45, 2)] {
        for delta in [1, 2, 0x100]
            .into_iter()
            .filter(|d| width > 1 || *d < 0x100)
        {
            let mut bad = body.to_vec();
            grow_length(&mut bad, at, width, delta);
            assert!(
                matches!(
                    HandshakeMessage::decode(HandshakeType::ClientHello, &bad, &TLS13),
                    Err(Error::Decode(_))
                ),
                "field at {at} grown by {delta}"
            );
        }
    }
    // The first extension's own length (server_name, at 47..51).
    let mut bad = body.to_vec();
    grow_length(&mut bad, 49, 2, 1);
    assert!(matches!(
        HandshakeMessage::decode(HandshakeType::ClientHello, &bad, &TLS13),
        Err(Error::Decode(DecodeReason::TrailingBytes))
    ));

    // Certificate: context length (u8) at 0, certificate_list length (u24)
    // at 1, first cert_data length (u24) at 4.
    let cert = hex_value(&s, "Simple_1RTT_Handshake", "Message_Server_Certificate");
    for (at, width) in [(0, 1), (1, 3), (4, 3)] {
        let mut bad = cert[HANDSHAKE_HEADER_LEN..].to_vec();
        grow_length(&mut bad, at, width, 1);
        assert!(
            matches!(
                HandshakeMessage::decode(HandshakeType::Certificate, &bad, &TLS13),
                Err(Error::Decode(DecodeReason::Truncated))
            ),
            "certificate field at {at}"
        );
    }

    // Every constructed message's header length.
    for (message, cx) in constructed_messages() {
        let mut bytes = message.to_bytes().unwrap();
        grow_length(&mut bytes, 1, 3, 1);
        assert!(matches!(
            HandshakeMessage::decode_message(&bytes, &cx),
            Err(Error::Decode(DecodeReason::Truncated))
        ));
    }
}

#[test]
fn single_byte_changes_never_panic_and_what_decodes_round_trips() {
    for (label, bytes, cx) in all_messages() {
        for at in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut mutated = bytes.clone();
                mutated[at] ^= flip;
                if let Ok(message) = HandshakeMessage::decode_message(&mutated, &cx) {
                    assert_eq!(
                        message.to_bytes().unwrap(),
                        mutated,
                        "{label}: byte {at} ^ {flip:02x}"
                    );
                }
            }
        }
    }
}

/// `message` (a framed ClientHello or ServerHello whose session ID has 32
/// bytes) with a 33rd session ID byte spliced in, as a faulty peer could
/// send it; our encoder refuses to write it.
fn with_33_byte_session_id(message: &[u8]) -> Vec<u8> {
    // The handshake header, legacy_version and random come first.
    const AT: usize = 4 + 2 + 32;
    let mut bad = message.to_vec();
    assert_eq!(bad[AT], 32);
    bad[AT] = 33;
    bad.insert(AT + 1, 0);
    let len = u32::from_be_bytes([0, bad[1], bad[2], bad[3]]) + 1;
    bad[1..4].copy_from_slice(&len.to_be_bytes()[1..]);
    bad
}

#[test]
fn session_id_of_33_bytes_is_refused_both_ways() {
    let s = transcripts();
    for name in ["Record_ClientHello_1", "Record_ServerHello"] {
        let bytes = record_payload(&hex_value(&s, "Middlebox_Compatibility_Mode", name));
        let mut message = decode(&bytes);
        match &mut message {
            HandshakeMessage::ClientHello(ch) => ch.session_id.push(0),
            HandshakeMessage::ServerHello(sh) => sh.session_id.push(0),
            _ => panic!("{name}: not a hello"),
        }
        assert_eq!(message.to_bytes(), Err(Error::EncodeOverflow), "{name}");
        assert!(
            matches!(
                HandshakeMessage::decode_message(&with_33_byte_session_id(&bytes), &TLS13),
                Err(Error::Decode(DecodeReason::VectorLength))
            ),
            "{name}"
        );
    }
}

#[test]
fn duplicate_extensions_are_illegal_parameter() {
    let s = transcripts();
    let cases = [
        ("Simple_1RTT_Handshake", "Record_ClientHello_1"),
        ("Simple_1RTT_Handshake", "Message_ServerHello"),
        ("HelloRetryRequest_Handshake", "Record_HelloRetryRequest"),
        ("Simple_1RTT_Handshake", "Message_EncryptedExtensions"),
        (
            "Client_Authentication_Handshake",
            "Message_CertificateRequest",
        ),
    ];
    for (section, key) in cases {
        let raw = hex_value(&s, section, key);
        let bytes = if key.starts_with("Record_") {
            record_payload(&raw)
        } else {
            raw
        };
        let mut message = decode(&bytes);
        let extensions = match &mut message {
            HandshakeMessage::ClientHello(m) => m.extensions.as_mut().unwrap(),
            HandshakeMessage::ServerHello(m) => m.extensions.as_mut().unwrap(),
            HandshakeMessage::EncryptedExtensions(e) => e,
            HandshakeMessage::CertificateRequestTls13(m) => &mut m.extensions,
            other => panic!("{other:?}"),
        };
        let first = extensions[0].clone();
        extensions.insert(0, first);
        let bad = message.to_bytes().unwrap();
        assert_eq!(
            HandshakeMessage::decode_message(&bad, &TLS13),
            Err(Error::IllegalParameter(
                IllegalParameterReason::DuplicateExtension
            )),
            "{section}/{key}"
        );
    }
}

#[test]
fn pre_shared_key_not_last_is_illegal_parameter() {
    let s = transcripts();
    let bytes = record_payload(&hex_value(
        &s,
        "Resumed_0RTT_Handshake",
        "Record_ClientHello_1",
    ));
    let HandshakeMessage::ClientHello(mut ch) = decode(&bytes) else {
        panic!("not a ClientHello")
    };
    let extensions = ch.extensions.as_mut().unwrap();
    let psk = extensions.pop().unwrap();
    assert_eq!(psk.ext_type(), ExtensionType::PreSharedKey);
    extensions.insert(0, psk);
    let bad = HandshakeMessage::ClientHello(ch).to_bytes().unwrap();
    assert_eq!(
        HandshakeMessage::decode_message(&bad, &TLS13),
        Err(Error::IllegalParameter(IllegalParameterReason::PskNotLast))
    );
}

#[test]
fn rfc8448_hello_retry_request_random_is_sha256_of_its_name() {
    // RFC 8446 §4.1.3: SHA-256("HelloRetryRequest"), computed with ring as
    // an independent oracle.
    let digest = ring::digest::digest(&ring::digest::SHA256, b"HelloRetryRequest");
    assert_eq!(digest.as_ref(), HELLO_RETRY_REQUEST_RANDOM);
}
