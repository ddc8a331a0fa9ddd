//! The Lucky Thirteen defence of MAC-then-encrypt CBC records: every bad
//! padding and bad MAC gives the same error, the constant-time MAC of an
//! opening equals the plain HMAC, and opening costs the same hash
//! compression-function calls whatever the padding says.
#![cfg(feature = "legacy")]

mod record_support;

use ferrotls::internal::crypto::cbc::{
    mac_header, open_mac_then_encrypt, AesCbc, HashWork, RecordMac, BLOCK_LEN, MAX_PADDING_LEN,
};
use ferrotls::internal::crypto::hash::HashAlgorithm;
use ferrotls::internal::record::{MacOrder, RecordProtection};
use ferrotls::{Error, ProtocolVersion};
use record_support::Kind;

const CIPHER_KEY: [u8; 16] = [0x66; 16];
const MAC_KEY: [u8; 48] = [0x77; 48];
const IV: [u8; BLOCK_LEN] = [0x99; BLOCK_LEN];

fn kind(mac: HashAlgorithm) -> Kind {
    Kind::Cbc {
        version: ProtocolVersion::TLSv1_2,
        key_len: 16,
        mac,
        order: MacOrder::MacThenEncrypt,
    }
}

/// A TLS 1.2 MAC-then-encrypt record whose decrypted body is
/// `content ‖ MAC(content) ‖ tail`, with `tail` chosen freely (so it can be
/// any padding, good or bad). `tail` must make the body whole blocks.
fn record_with_tail(
    mac_alg: HashAlgorithm,
    content: &[u8],
    tail: &[u8],
    good_mac: bool,
) -> Vec<u8> {
    let mut mac = RecordMac::new(mac_alg, &MAC_KEY[..mac_alg.output_len()]).unwrap();
    let header = mac_header(0, 23, 0x0303, content.len() as u16);
    let mut tag = mac.sign(&[&header, content]).as_ref().to_vec();
    if !good_mac {
        tag[0] ^= 1;
    }
    let mut body = content.to_vec();
    body.extend_from_slice(&tag);
    body.extend_from_slice(tail);
    assert_eq!(body.len() % BLOCK_LEN, 0);
    AesCbc::new(&CIPHER_KEY)
        .unwrap()
        .encrypt_in_place(&IV, &mut body)
        .unwrap();
    let len = (BLOCK_LEN + body.len()) as u16;
    let mut record = vec![23, 3, 3, (len >> 8) as u8, len as u8];
    record.extend_from_slice(&IV);
    record.extend_from_slice(&body);
    record
}

/// The protection the records above open under (same keys as
/// `record_support`, which `kind` builds).
fn opener(mac_alg: HashAlgorithm) -> ferrotls::internal::record::CbcHmacProtection {
    assert_eq!(CIPHER_KEY, [0x66; 16]);
    assert_eq!(MAC_KEY, [0x77; 48]);
    kind(mac_alg).build_cbc()
}

/// A body length whose `content ‖ MAC ‖ padding` fills whole blocks for
/// every padding length 0..=255 tried below: 512 bytes of content + MAC +
/// padding.
const BODY_LEN: usize = 512 + 256;

fn content_for(mac_alg: HashAlgorithm, tail_len: usize) -> Vec<u8> {
    vec![0xc0; BODY_LEN - mac_alg.output_len() - tail_len]
}

#[test]
fn good_padding_of_every_length_opens() {
    for mac_alg in [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
    ] {
        for pad in 0..=255usize {
            let content = content_for(mac_alg, pad + 1);
            let tail = vec![pad as u8; pad + 1];
            let mut record = record_with_tail(mac_alg, &content, &tail, true);
            let opened = opener(mac_alg).open(0, &mut record).unwrap();
            assert_eq!(&record[opened.plaintext], &content[..], "{mac_alg:?} {pad}");
        }
    }
}

#[test]
fn every_bad_padding_and_bad_mac_is_the_same_error() {
    for mac_alg in [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
    ] {
        let mut errors = Vec::new();
        for pad in 0..=255usize {
            let content = content_for(mac_alg, pad + 1);
            // A good MAC but one inconsistent padding byte (any position
            // of the padding but the length byte), when there is one.
            if pad > 0 {
                for wrong_at in [0, pad / 2, pad - 1] {
                    let mut tail = vec![pad as u8; pad + 1];
                    tail[wrong_at] ^= 0x01;
                    let mut record = record_with_tail(mac_alg, &content, &tail, true);
                    errors.push(opener(mac_alg).open(0, &mut record));
                }
            }
            // Good padding, bad MAC.
            let tail = vec![pad as u8; pad + 1];
            let mut record = record_with_tail(mac_alg, &content, &tail, false);
            errors.push(opener(mac_alg).open(0, &mut record));
        }
        // Padding that claims more bytes than the record holds: a short
        // body whose last byte says 255.
        let t = mac_alg.output_len();
        let body_len = ((t + 1).div_ceil(BLOCK_LEN) + 1) * BLOCK_LEN;
        let tail = vec![0xff; body_len - t - 8];
        let mut record = record_with_tail(mac_alg, &[0xc0; 8], &tail, true);
        errors.push(opener(mac_alg).open(0, &mut record));
        // Every padding length 0..=255 claimed in a short record whose
        // bytes all repeat it: longer than the record (or than the room
        // left by the MAC) for the large ones, consistent but in the wrong
        // place for the MAC for the rest.
        for pad in 0..=255usize {
            if pad + 1 == tail.len() {
                continue; // That one is a valid padding.
            }
            let mut record =
                record_with_tail(mac_alg, &[0xc0; 8], &vec![pad as u8; tail.len()], true);
            errors.push(opener(mac_alg).open(0, &mut record));
        }
        let mut big = record_with_tail(mac_alg, &content_for(mac_alg, 16), &[0xff; 16], true);
        errors.push(opener(mac_alg).open(0, &mut big));
        // Too short, or not whole blocks.
        let mut short = vec![23, 3, 3, 0, 16];
        short.extend_from_slice(&[0; 16]);
        errors.push(opener(mac_alg).open(0, &mut short));
        let mut ragged = record_with_tail(mac_alg, &content_for(mac_alg, 1), &[0], true);
        ragged.pop();
        errors.push(opener(mac_alg).open(0, &mut ragged));

        assert!(errors.len() > 950);
        for e in &errors {
            assert_eq!(e, &Err(Error::BadRecordMac), "{mac_alg:?}");
        }
    }
}

/// The hash work one open of `record` costs.
fn work_to_open(mac_alg: HashAlgorithm, record: &[u8]) -> (HashWork, Result<(), Error>) {
    let mut p = opener(mac_alg);
    let before = p.mac_hash_work();
    let result = p.open(0, &mut record.to_vec()).map(|_| ());
    let after = p.mac_hash_work();
    let work = HashWork {
        compressions: after.compressions - before.compressions,
    };
    (work, result)
}

#[test]
fn hash_work_does_not_depend_on_the_padding() {
    for mac_alg in [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
    ] {
        let mut counts = std::collections::BTreeSet::new();
        let mut outcomes = std::collections::BTreeSet::new();
        for pad in 0..=255usize {
            let content = content_for(mac_alg, pad + 1);
            for (tail, good_mac) in [
                (vec![pad as u8; pad + 1], true),
                (vec![pad as u8; pad + 1], false),
                (
                    {
                        let mut t = vec![pad as u8; pad + 1];
                        t[0] ^= (pad > 0) as u8;
                        t
                    },
                    true,
                ),
            ] {
                let record = record_with_tail(mac_alg, &content, &tail, good_mac);
                let (work, result) = work_to_open(mac_alg, &record);
                counts.insert(work.compressions);
                outcomes.insert(result.is_ok());
            }
        }
        // Both successes and failures were measured, all at one cost.
        assert_eq!(outcomes.len(), 2, "{mac_alg:?}");
        assert_eq!(counts.len(), 1, "{mac_alg:?}: {counts:?}");
        // And that cost is exactly the HMAC over the longest possible
        // content: the inner hash runs every block up to the last one the
        // longest content could end in, and no dummy block besides. The
        // count really is instrumented (not a constant).
        let block = mac_alg.block_len() as u64;
        let field = if block == 128 { 16 } else { 8 };
        let longest = (BODY_LEN - mac_alg.output_len() - 1 + 13) as u64;
        let inner = (block + longest + 1 + field).div_ceil(block);
        let outer = (block + mac_alg.output_len() as u64 + 1 + field).div_ceil(block);
        assert_eq!(
            counts.into_iter().next(),
            Some(inner + outer),
            "{mac_alg:?}"
        );
    }
}

#[test]
fn sealing_counts_compressions_by_content_length() {
    // A control for the test above: without the dummy blocks the count
    // would vary, as sealing (which has no secret padding) shows.
    let mut p = opener(HashAlgorithm::Sha256);
    let mut counts = Vec::new();
    for len in [0usize, 200] {
        let before = p.mac_hash_work().compressions;
        let mut out = vec![23, 3, 3, 0, 0];
        out.resize(5 + 16, 0);
        out.extend(std::iter::repeat_n(1u8, len));
        p.seal(0, &mut out, 0).unwrap();
        counts.push(p.mac_hash_work().compressions - before);
    }
    assert!(counts[1] > counts[0]);
}

/// RFC 5246 §6.2.3.1 / RFC 2104: the MAC an opening computes in constant
/// time with `mac_alg` equals the plain HMAC ([`RecordMac::sign`]) for
/// every content length 0..=one block + 16 (so every position of the
/// content's end in a block, in records short enough to be all
/// secret-length blocks and long enough to have public ones) with every
/// padding length 0..=255, tiny records included; a wrong MAC, a wrong
/// padding byte or a changed content byte of those records (one of the
/// three in turn) is `bad_record_mac`. One test per MAC, so that they run
/// at once.
fn constant_time_mac_equals_hmac_for_every_length_and_padding(mac_alg: HashAlgorithm) {
    let key = &MAC_KEY[..mac_alg.output_len()];
    let mut mac = RecordMac::new(mac_alg, key).unwrap();
    let mut opener = RecordMac::new(mac_alg, key).unwrap();
    let mut open = |p: &[u8]| open_mac_then_encrypt(&mut opener, 9, 23, 0x0303, p);
    let tag_len = mac_alg.output_len();
    for content_len in 0..=mac_alg.block_len() + 16 {
        let content: Vec<u8> = (0..content_len).map(|i| (i * 7 + 1) as u8).collect();
        let header = mac_header(9, 23, 0x0303, content_len as u16);
        let tag = mac.sign(&[&header, &content]);
        for pad in 0..=MAX_PADDING_LEN {
            let mut plaintext = content.clone();
            plaintext.extend_from_slice(tag.as_ref());
            plaintext.extend(std::iter::repeat_n(pad as u8, pad + 1));
            assert_eq!(
                open(&plaintext),
                Ok(content_len),
                "{mac_alg:?} content {content_len} padding {pad}"
            );
            let spoil = match (content_len + pad) % 3 {
                0 if content_len > 0 => content_len - 1,
                1 if pad > 0 => content_len + tag_len,
                _ => content_len + tag_len - 1,
            };
            plaintext[spoil] ^= 0x01;
            assert_eq!(
                open(&plaintext),
                Err(Error::BadRecordMac),
                "{mac_alg:?} content {content_len} padding {pad} byte {spoil}"
            );
        }
    }
    // Too short for a MAC and a padding byte.
    for n in 0..=tag_len {
        assert_eq!(
            open(&vec![0; n]),
            Err(Error::BadRecordMac),
            "{mac_alg:?} {n}"
        );
    }
}

#[test]
fn rfc5246_6_2_3_1_constant_time_hmac_sha1_equals_hmac_for_every_length_and_padding() {
    constant_time_mac_equals_hmac_for_every_length_and_padding(HashAlgorithm::Sha1);
}

#[test]
fn rfc5246_6_2_3_1_constant_time_hmac_sha256_equals_hmac_for_every_length_and_padding() {
    constant_time_mac_equals_hmac_for_every_length_and_padding(HashAlgorithm::Sha256);
}

#[test]
fn rfc5246_6_2_3_1_constant_time_hmac_sha384_equals_hmac_for_every_length_and_padding() {
    constant_time_mac_equals_hmac_for_every_length_and_padding(HashAlgorithm::Sha384);
}
