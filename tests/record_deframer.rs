//! Deframer, joiner and fragmenter behaviour.

mod record_support;

use ferrotls::internal::error::{
    DecodeReason, IllegalParameterReason, LimitExceededReason, UnexpectedMessageReason,
};
use ferrotls::internal::msgs::enums::ContentType;
use ferrotls::internal::record::deframer::RECEIVE_BUFFER_LEN;
use ferrotls::internal::record::joiner::MAX_CLIENT_HELLO_LEN;
use ferrotls::internal::record::{
    Deframer, Fragmenter, HandshakeJoiner, RecordLayer, HEADER_LEN, MAX_CIPHERTEXT_LEN_TLS12,
    MAX_CIPHERTEXT_LEN_TLS13, MAX_PLAINTEXT_LEN,
};
use ferrotls::{
    AlertDescription, CertificateError, Error, HandshakeType, DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE,
};
use record_support::{layer_pair, Kind};

fn record(content_type: u8, version: u16, payload: &[u8]) -> Vec<u8> {
    let mut r = vec![content_type];
    r.extend_from_slice(&version.to_be_bytes());
    r.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    r.extend_from_slice(payload);
    r
}

/// Feeds `chunks` one after another and collects (type, whole record).
fn deframe(chunks: &[&[u8]]) -> Result<Vec<(ContentType, Vec<u8>)>, Error> {
    let mut d = Deframer::new();
    let mut out = Vec::new();
    for chunk in chunks {
        assert_eq!(d.push(chunk), chunk.len());
        while let Some(r) = d.next_record()? {
            out.push((r.content_type, r.bytes.to_vec()));
        }
    }
    assert!(!d.has_partial_record());
    Ok(out)
}

#[test]
fn splitting_the_input_anywhere_gives_the_same_records() {
    let mut stream = Vec::new();
    stream.extend(record(22, 0x0301, b"client hello-ish"));
    stream.extend(record(20, 0x0303, &[1]));
    stream.extend(record(23, 0x0303, &[0xab; 300]));
    stream.extend(record(21, 0x0303, &[1, 0]));
    stream.extend(record(23, 0x0303, b""));
    let whole = deframe(&[&stream]).unwrap();
    assert_eq!(whole.len(), 5);
    assert_eq!(whole[0].0, ContentType::Handshake);
    assert_eq!(whole[2].1.len(), HEADER_LEN + 300);
    for at in 0..=stream.len() {
        let (a, b) = stream.split_at(at);
        assert_eq!(deframe(&[a, b]).unwrap(), whole, "split at {at}");
    }
    // And byte by byte.
    let bytes: Vec<&[u8]> = stream.chunks(1).collect();
    assert_eq!(deframe(&bytes).unwrap(), whole);
}

#[test]
fn read_tls_reads_from_any_reader() {
    let stream = [record(22, 0x0303, b"one"), record(22, 0x0303, b"two")].concat();
    let mut d = Deframer::new();
    let mut src: &[u8] = &stream;
    assert_eq!(d.read_tls(&mut src).unwrap(), stream.len());
    assert_eq!(d.next_record().unwrap().unwrap().bytes, &stream[..8]);
    assert_eq!(d.next_record().unwrap().unwrap().bytes, &stream[8..]);
    assert!(d.next_record().unwrap().is_none());
    assert_eq!(d.read_tls(&mut src).unwrap(), 0);
}

#[test]
fn a_full_buffer_refuses_more_until_records_are_taken() {
    let mut d = Deframer::new();
    let big = record(23, 0x0303, &vec![0; MAX_PLAINTEXT_LEN]);
    let mut fed = 0;
    while d.push(&big) == big.len() {
        fed += 1;
    }
    assert!(fed >= 1);
    assert!(d.read_tls(&mut &big[..]).is_err());
    while d.next_record().unwrap().is_some() {}
    assert!(d.push(&big) > 0);
    const { assert!(RECEIVE_BUFFER_LEN >= HEADER_LEN + MAX_CIPHERTEXT_LEN_TLS12) };
}

#[test]
fn unknown_content_types_are_unexpected_message() {
    for t in [0u8, 19, 24, 25, 0x80, 0xff] {
        let r = record(t, 0x0303, b"x");
        assert!(
            matches!(
                deframe(&[&r]),
                Err(Error::UnexpectedMessage(
                    UnexpectedMessageReason::UnknownContentType
                ))
            ),
            "type {t}"
        );
        // Refused as soon as the header is in.
        assert!(matches!(
            deframe(&[&r[..HEADER_LEN]]),
            Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::UnknownContentType
            ))
        ));
    }
}

#[test]
fn record_versions_need_major_3_only() {
    for v in [0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x03ff] {
        assert_eq!(deframe(&[&record(22, v, b"x")]).unwrap().len(), 1, "{v:#x}");
    }
    for v in [0x0002, 0x0203, 0x0403, 0xfeff] {
        assert!(
            matches!(
                deframe(&[&record(22, v, b"x")]),
                Err(Error::Decode(DecodeReason::RecordVersionMajor))
            ),
            "{v:#x}"
        );
    }
}

#[test]
fn oversize_records_are_record_overflow() {
    // Unprotected: 2^14.
    assert!(deframe(&[&record(23, 0x0303, &vec![0; MAX_PLAINTEXT_LEN])]).is_ok());
    let over = record(23, 0x0303, &vec![0; MAX_PLAINTEXT_LEN + 1]);
    assert_eq!(deframe(&[&over[..HEADER_LEN]]), Err(Error::RecordOverflow));

    // TLS 1.3 protected: 2^14 + 256; TLS 1.2: 2^14 + 2048.
    for (limit, len) in [
        (MAX_CIPHERTEXT_LEN_TLS13, MAX_CIPHERTEXT_LEN_TLS13 + 1),
        (MAX_CIPHERTEXT_LEN_TLS12, MAX_CIPHERTEXT_LEN_TLS12 + 1),
    ] {
        let mut d = Deframer::new();
        d.set_max_fragment_len(limit);
        let mut header = vec![23, 3, 3];
        header.extend_from_slice(&(limit as u16).to_be_bytes());
        d.push(&header);
        assert!(d.next_record().unwrap().is_none());

        let mut d = Deframer::new();
        d.set_max_fragment_len(limit);
        let mut header = vec![23, 3, 3];
        header.extend_from_slice(&(len as u16).to_be_bytes());
        d.push(&header);
        assert_eq!(d.next_record().err(), Some(Error::RecordOverflow));
    }

    // The record layer sets the limit from the read protection.
    let (_, mut receiver) = layer_pair(Kind::Tls13(
        ferrotls::internal::crypto::aead::AeadAlgorithm::Aes128Gcm,
    ));
    let mut header = vec![23, 3, 3];
    header.extend_from_slice(&((MAX_CIPHERTEXT_LEN_TLS13 + 1) as u16).to_be_bytes());
    receiver.push_received(&header);
    assert_eq!(receiver.next_record(), Err(Error::RecordOverflow));
}

#[test]
fn empty_handshake_alert_and_ccs_records_are_unexpected_message() {
    for t in [20u8, 21, 22] {
        let mut layer = RecordLayer::new();
        layer.push_received(&record(t, 0x0303, b""));
        assert!(
            matches!(
                layer.next_record(),
                Err(Error::UnexpectedMessage(
                    UnexpectedMessageReason::EmptyRecord
                ))
            ),
            "type {t}"
        );
    }
    // Empty application data is allowed (RFC 5246 §6.2.1).
    let mut layer = RecordLayer::new();
    layer.push_received(&record(23, 0x0303, b""));
    let r = layer.next_record().unwrap().unwrap();
    assert_eq!(
        (r.content_type, r.plaintext, r.protected),
        (ContentType::ApplicationData, &[][..], false)
    );
}

/// A handshake message with a `len`-byte body.
fn message(typ: u8, len: usize) -> Vec<u8> {
    let mut m = vec![typ, (len >> 16) as u8, (len >> 8) as u8, len as u8];
    m.extend((0..len).map(|i| i as u8));
    m
}

#[test]
fn joiner_joins_one_message_over_many_records() {
    let msg = message(11, 40_000);
    let mut j = HandshakeJoiner::new();
    for (i, piece) in msg.chunks(MAX_PLAINTEXT_LEN).enumerate() {
        j.push(piece).unwrap();
        if i < 2 {
            assert!(j.next_message().unwrap().is_none());
            assert!(j.has_partial_message());
        }
    }
    let m = j.next_message().unwrap().unwrap();
    assert_eq!(m.typ, HandshakeType::Certificate);
    assert_eq!(m.body, Ok(&msg[4..]));
    assert_eq!(m.raw, &msg[..]);
    assert!(!j.has_partial_message());
    assert!(j.next_message().unwrap().is_none());

    // Even a header split across records.
    let mut j = HandshakeJoiner::new();
    let msg = message(20, 32);
    for b in msg.chunks(1) {
        assert!(j.next_message().unwrap().is_none());
        j.push(b).unwrap();
    }
    assert_eq!(j.next_message().unwrap().unwrap().raw, &msg[..]);
}

#[test]
fn joiner_yields_several_messages_from_one_record() {
    let payload = [
        message(2, 70),
        message(8, 0),
        message(11, 300),
        message(15, 5),
    ]
    .concat();
    let mut j = HandshakeJoiner::new();
    j.push(&payload).unwrap();
    let mut seen = Vec::new();
    while let Some(m) = j.next_message().unwrap() {
        seen.push((m.typ, m.body.unwrap().len()));
    }
    assert_eq!(
        seen,
        [
            (HandshakeType::ServerHello, 70),
            (HandshakeType::EncryptedExtensions, 0),
            (HandshakeType::Certificate, 300),
            (HandshakeType::CertificateVerify, 5),
        ]
    );
    assert!(!j.has_partial_message());

    // A message ending mid-record leaves a partial one behind.
    let mut j = HandshakeJoiner::new();
    let m = message(20, 32);
    j.push(&[&m[..], &m[..10]].concat()).unwrap();
    assert!(j.next_message().unwrap().is_some());
    assert!(j.next_message().unwrap().is_none());
    assert!(j.has_partial_message());
}

/// The header of a message of type `typ` announcing `len` bytes.
fn header(typ: u8, len: usize) -> [u8; 4] {
    [typ, (len >> 16) as u8, (len >> 8) as u8, len as u8]
}

/// Pushes `header` into `j` and takes the message it refuses, checking
/// that it comes out at once, as the header alone, and that the joiner
/// then fails every call with the same error.
fn refused_from_the_header(mut j: HandshakeJoiner, header: [u8; 4]) -> Error {
    j.push(&header).unwrap();
    let m = j.next_message().unwrap().unwrap();
    assert_eq!(m.raw, &header[..]);
    let refusal = m.body.unwrap_err();
    assert_eq!(j.next_message().unwrap_err(), refusal);
    assert_eq!(j.push(&[0; 8]).unwrap_err(), refusal);
    refusal
}

#[test]
fn joiner_refuses_oversize_messages() {
    // A certificate over the configured bound: refused from the header
    // alone, as a policy limit.
    let len = DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE + 1;
    assert_eq!(
        refused_from_the_header(HandshakeJoiner::new(), header(11, len)),
        Error::LimitExceeded(LimitExceededReason::CertificateMessageSize)
    );
    // Exactly at the bound is fine.
    let mut j = HandshakeJoiner::new();
    let msg = message(11, DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE);
    for piece in msg.chunks(MAX_PLAINTEXT_LEN) {
        j.push(piece).unwrap();
    }
    assert_eq!(
        j.next_message().unwrap().unwrap().body.unwrap().len(),
        DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE
    );
    // A configured lower bound.
    assert_eq!(
        refused_from_the_header(
            HandshakeJoiner::with_max_certificate_len(100),
            header(13, 101)
        ),
        Error::LimitExceeded(LimitExceededReason::CertificateMessageSize)
    );
    // A CompressedCertificate over the bound cannot be decompressed
    // within it: bad_certificate (RFC 8879 §4), from the header alone.
    let refused = refused_from_the_header(
        HandshakeJoiner::with_max_certificate_len(100),
        header(25, 101),
    );
    assert_eq!(
        refused,
        Error::InvalidCertificate(CertificateError::BadCompressedCertificate(
            "longer than the certificate message bound"
        ))
    );
    assert_eq!(refused.alert(), Some(AlertDescription::BadCertificate));
    let mut j = HandshakeJoiner::with_max_certificate_len(100);
    j.push(&message(25, 100)).unwrap();
    assert_eq!(j.next_message().unwrap().unwrap().body.unwrap().len(), 100);
    // A ClientHello of the largest legal length is joined; one byte more
    // cannot decode.
    let mut j = HandshakeJoiner::with_max_certificate_len(100);
    let msg = message(1, MAX_CLIENT_HELLO_LEN);
    for piece in msg.chunks(MAX_PLAINTEXT_LEN) {
        j.push(piece).unwrap();
    }
    assert_eq!(
        j.next_message().unwrap().unwrap().body.unwrap().len(),
        MAX_CLIENT_HELLO_LEN
    );
    assert_eq!(
        refused_from_the_header(HandshakeJoiner::new(), header(1, MAX_CLIENT_HELLO_LEN + 1)),
        Error::Decode(DecodeReason::MessageTooLong)
    );
    // The refused message comes out behind the whole ones before it, even
    // when its header shares their record.
    let mut j = HandshakeJoiner::new();
    j.push(&[&message(2, 70)[..], &header(20, 49)].concat())
        .unwrap();
    assert_eq!(j.next_message().unwrap().unwrap().body.unwrap().len(), 70);
    assert_eq!(
        j.next_message().unwrap().unwrap().body,
        Err(Error::Decode(DecodeReason::MessageTooLong))
    );
    // Types no peer sends are refused from the header, by the joiner.
    let mut j = HandshakeJoiner::new();
    assert!(matches!(
        j.push(&message(254, 0)),
        Err(Error::UnexpectedMessage(
            UnexpectedMessageReason::UnknownHandshakeType
        ))
    ));
}

#[test]
fn fragmenter_splits_at_the_limit() {
    let f = Fragmenter::new();
    let data = vec![0u8; 2 * MAX_PLAINTEXT_LEN + 1];
    let sizes: Vec<usize> = f.fragments(&data).map(<[u8]>::len).collect();
    assert_eq!(sizes, [MAX_PLAINTEXT_LEN, MAX_PLAINTEXT_LEN, 1]);
    assert_eq!(f.fragments(&[]).count(), 0);

    let mut f = Fragmenter::new();
    f.set_record_size_limit(64, false).unwrap();
    assert_eq!(f.max_fragment_len(), 64);
    f.set_record_size_limit(64, true).unwrap();
    assert_eq!(f.max_fragment_len(), 63);
    f.set_record_size_limit(u16::MAX, true).unwrap();
    assert_eq!(f.max_fragment_len(), MAX_PLAINTEXT_LEN);
    assert!(matches!(
        f.set_record_size_limit(63, true),
        Err(Error::IllegalParameter(
            IllegalParameterReason::RecordSizeLimitTooSmall
        ))
    ));
}
