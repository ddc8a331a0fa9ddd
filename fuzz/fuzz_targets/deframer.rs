//! Arbitrary bytes into the deframer and handshake joiner, and into the
//! open path of every record protection scheme with fixed keys. Nothing
//! may panic.
#![no_main]

use ferrotls::crypto::aead::AeadAlgorithm;
use ferrotls::crypto::hash::HashAlgorithm;
use ferrotls::msgs::enums::ContentType;
use ferrotls::record::{
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
            CbcIv::Explicit(Box::new(|iv: &mut [u8; 16]| {
                *iv = [5; 16];
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
        let mut joiner = HandshakeJoiner::with_max_message_len(4096);
        'feed: for piece in rest.chunks(chunk) {
            let mut piece = piece;
            while !piece.is_empty() {
                let n = layer.push_received(piece);
                piece = &piece[n..];
                loop {
                    match layer.next_record() {
                        Ok(Some(record)) => {
                            if record.content_type == ContentType::Handshake {
                                if joiner.push(record.plaintext).is_err() {
                                    break 'feed;
                                }
                                while let Ok(Some(m)) = joiner.next_message() {
                                    assert_eq!(m.raw.len(), m.body.len() + 4);
                                }
                            }
                        }
                        Ok(None) => break,
                        Err(_) => break 'feed,
                    }
                }
                if n == 0 {
                    break 'feed;
                }
            }
        }
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
        let mut got = Vec::new();
        for record in wire.chunks(chunk) {
            receiver.push_received(record);
            while let Some(r) = receiver.next_record().expect("own records open") {
                got.extend_from_slice(r.plaintext);
            }
        }
        assert_eq!(got, rest);
    }

    // Every scheme's open() straight on the input, header and all.
    for mut scheme in schemes() {
        let _ = scheme.open(0, &mut rest.to_vec());
        let _ = scheme.open(u64::MAX - 1, &mut rest.to_vec());
    }
});
