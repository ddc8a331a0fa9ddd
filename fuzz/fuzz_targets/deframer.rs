//! Arbitrary bytes into the deframer and handshake joiner, and into the
//! open path of every record protection scheme with fixed keys. Nothing
//! may panic; application data kept in the receive buffer
//! (`keep_plaintext`) reads back exactly, in order, however the reads
//! interleave with new records.
#![no_main]

use ferrotls::internal::crypto::aead::AeadAlgorithm;
use ferrotls::internal::crypto::hash::HashAlgorithm;
use ferrotls::internal::msgs::enums::ContentType;
use ferrotls::internal::record::{
    CbcHmacProtection, CbcIv, HandshakeJoiner, MacOrder, NullProtection, RecordLayer,
    RecordProtection, Tls12AeadProtection, Tls13AeadProtection,
};
use libfuzzer_sys::fuzz_target;

fn schemes() -> Vec<Box<dyn RecordProtection>> {
    let mut out: Vec<Box<dyn RecordProtection>> = vec![Box::new(NullProtection)];
    for alg in [
        AeadAlgorithm::Aes128Gcm,
        AeadAlgorithm::Aes256Gcm,
        AeadAlgorithm::ChaCha20Poly1305,
    ] {
        let key = vec![1u8; alg.key_len()];
        out.push(Box::new(
            Tls13AeadProtection::new(alg, &key, &[2; 12]).unwrap(),
        ));
        let iv_len = if alg == AeadAlgorithm::ChaCha20Poly1305 {
            12
        } else {
            4
        };
        out.push(Box::new(
            Tls12AeadProtection::new(alg, &key, &vec![3; iv_len]).unwrap(),
        ));
    }
    for (key_len, mac, order, chained) in [
        (16, HashAlgorithm::Sha1, MacOrder::MacThenEncrypt, true),
        (16, HashAlgorithm::Sha1, MacOrder::MacThenEncrypt, false),
        (32, HashAlgorithm::Sha256, MacOrder::MacThenEncrypt, false),
        (32, HashAlgorithm::Sha384, MacOrder::EncryptThenMac, false),
        (16, HashAlgorithm::Sha1, MacOrder::EncryptThenMac, true),
    ] {
        let iv = if chained {
            CbcIv::chained(&[4; 16]).unwrap()
        } else {
            CbcIv::Explicit(Box::new(|ivs: &mut [u8]| {
                ivs.fill(5);
                Ok::<(), ferrotls::Error>(())
            }))
        };
        out.push(Box::new(
            CbcHmacProtection::new(
                &vec![6; key_len],
                mac,
                &[7; 48][..mac.output_len()],
                iv,
                order,
            )
            .unwrap(),
        ));
    }
    out
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks how the input is cut into reads.
    let (chunk, rest) = match data.split_first() {
        Some((c, rest)) => (usize::from(*c).max(1), rest),
        None => return,
    };

    for scheme in schemes() {
        let mut layer = RecordLayer::new();
        layer.set_read_protection(scheme);
        let mut joiner = HandshakeJoiner::with_max_certificate_len(4096);
        // Kept application data not yet read back, and a read buffer
        // whose size (from the chunk byte) varies how reads interleave.
        let mut unread: Vec<u8> = Vec::new();
        let mut out = vec![0u8; chunk * 7];
        'feed: for piece in rest.chunks(chunk) {
            let mut piece = piece;
            while !piece.is_empty() {
                let n = layer.push_received(piece);
                piece = &piece[n..];
                loop {
                    let kept = match layer.next_record() {
                        Ok(Some(record)) => match record.content_type {
                            ContentType::Handshake => {
                                if joiner.push(record.plaintext).is_err() {
                                    break 'feed;
                                }
                                while let Ok(Some(m)) = joiner.next_message() {
                                    // A message refused for its length
                                    // comes out as its header alone.
                                    let body_len = m.body.map_or(0, <[u8]>::len);
                                    assert_eq!(m.raw.len(), body_len + 4);
                                }
                                None
                            }
                            ContentType::ApplicationData => Some(record.plaintext.to_vec()),
                            _ => None,
                        },
                        Ok(None) => break,
                        Err(_) => break 'feed,
                    };
                    if let Some(plaintext) = kept {
                        layer.keep_plaintext().expect("the record just opened");
                        unread.extend_from_slice(&plaintext);
                        assert_eq!(layer.plaintext_len(), unread.len());
                    }
                }
                let got = layer.read_plaintext(&mut out);
                assert_eq!(&out[..got], &unread[..got]);
                unread.drain(..got);
                if n == 0 {
                    break 'feed;
                }
            }
        }
        let mut rest_out = vec![0u8; unread.len() + 1];
        assert_eq!(layer.read_plaintext(&mut rest_out), unread.len());
        assert_eq!(&rest_out[..unread.len()], &unread[..]);
    }

    // What any scheme seals, the same scheme opens to the same bytes.
    for (sealer, opener) in schemes().into_iter().zip(schemes()) {
        let mut sender = RecordLayer::new();
        sender.set_write_protection(sealer);
        let mut receiver = RecordLayer::new();
        receiver.set_read_protection(opener);
        let mut wire = Vec::new();
        sender
            .seal(ContentType::ApplicationData, rest, &mut wire)
            .expect("sealing never fails with fresh sequence numbers");
        for mut piece in wire.chunks(chunk) {
            while !piece.is_empty() {
                let n = receiver.push_received(piece);
                assert!(n > 0, "the receive buffer makes room for own records");
                piece = &piece[n..];
                while receiver.next_record().expect("own records open").is_some() {
                    receiver.keep_plaintext().expect("the record just opened");
                }
            }
        }
        let mut got = vec![0u8; rest.len() + 1];
        assert_eq!(receiver.read_plaintext(&mut got), rest.len());
        assert_eq!(&got[..rest.len()], rest);
    }

    // Every scheme's open() straight on the input, header and all.
    for mut scheme in schemes() {
        let _ = scheme.open(0, &mut rest.to_vec());
        let _ = scheme.open(u64::MAX - 1, &mut rest.to_vec());
    }
});
