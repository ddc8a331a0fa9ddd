//! Record-layer throughput against raw ring, 16 KiB TLS 1.3 records.
//!
//! Each loop does the same data movement both ways:
//! - seal: write a header and copy 16 KiB of plaintext into an output
//!   buffer, encrypt it in place, append the tag. Ours is
//!   `RecordLayer::seal`; raw ring is `seal_in_place_separate_tag` on the
//!   same bytes with the nonce built by hand.
//! - open: copy a sealed record into a receive buffer and decrypt it in
//!   place. Ours is `RecordLayer::push_received` + `next_record` (header
//!   checks, sequence number, content type); raw ring is a `copy_from_slice`
//!   and `open_in_place`. Each batch opens records 0..BATCH in order; ours
//!   installs a fresh read protection per batch (one key setup per
//!   BATCH records, included in the time).
//!
//! Run with `cargo bench --bench record`; prints MB/s and ours/ring.

use ferrotls::internal::crypto::aead::AeadAlgorithm;
use ferrotls::internal::msgs::enums::ContentType;
use ferrotls::internal::record::{RecordLayer, Tls13AeadProtection};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey};
use std::hint::black_box;
use std::time::Instant;

const RECORD: usize = 16 * 1024;
const BATCH: usize = 64;
const WARMUP: usize = 5;
const ROUNDS: usize = 101;
const IV: [u8; 12] = [0x5a; 12];

fn ring_alg(alg: AeadAlgorithm) -> &'static ring::aead::Algorithm {
    match alg {
        AeadAlgorithm::Aes128Gcm => &ring::aead::AES_128_GCM,
        AeadAlgorithm::Aes256Gcm => &ring::aead::AES_256_GCM,
        AeadAlgorithm::ChaCha20Poly1305 => &ring::aead::CHACHA20_POLY1305,
    }
}

fn nonce(seq: u64) -> Nonce {
    let mut n = IV;
    for (b, s) in n[4..].iter_mut().zip(seq.to_be_bytes()) {
        *b ^= s;
    }
    Nonce::assume_unique_for_key(n)
}

fn protection(alg: AeadAlgorithm, key: &[u8]) -> Box<Tls13AeadProtection> {
    Box::new(Tls13AeadProtection::new(alg, key, &IV).unwrap())
}

/// Times `ROUNDS` batches of `BATCH` records each way after warm-up,
/// alternating ours and ring so both see the same machine load; returns
/// the median MB/s of each and the median of the per-round ratios.
fn compare(mut ours: impl FnMut(), mut ring: impl FnMut()) -> (f64, f64, f64) {
    let rate = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        (BATCH * RECORD) as f64 / start.elapsed().as_secs_f64() / 1e6
    };
    for _ in 0..WARMUP {
        ours();
        ring();
    }
    let mut a = Vec::new();
    let mut b = Vec::new();
    let mut ratios = Vec::new();
    for _ in 0..ROUNDS {
        let x = rate(&mut ours);
        let y = rate(&mut ring);
        a.push(x);
        b.push(y);
        ratios.push(x / y);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(a), median(b), median(ratios))
}

fn main() {
    let plaintext = vec![0x42u8; RECORD];
    println!("16 KiB TLS 1.3 records, median of {ROUNDS} alternating batches of {BATCH}, MB/s");
    println!(
        "{:<18} {:>9} {:>9} {:>6}   {:>9} {:>9} {:>6}",
        "", "seal ours", "seal ring", "ratio", "open ours", "open ring", "ratio"
    );
    for alg in [
        AeadAlgorithm::Aes128Gcm,
        AeadAlgorithm::Aes256Gcm,
        AeadAlgorithm::ChaCha20Poly1305,
    ] {
        let key = vec![0x24u8; alg.key_len()];
        let ring_key = LessSafeKey::new(UnboundKey::new(ring_alg(alg), &key).unwrap());

        let mut sender = RecordLayer::new();
        sender.set_write_protection(protection(alg, &key));
        let mut out_ours = Vec::with_capacity(BATCH * (RECORD + 64));
        let mut out_ring = Vec::with_capacity(BATCH * (RECORD + 64));
        let mut seq = 0u64;
        let seal = compare(
            || {
                out_ours.clear();
                for _ in 0..BATCH {
                    sender
                        .seal(ContentType::ApplicationData, &plaintext, &mut out_ours)
                        .unwrap();
                }
                black_box(&out_ours);
            },
            || {
                out_ring.clear();
                for _ in 0..BATCH {
                    let start = out_ring.len();
                    let len = (RECORD + 1 + 16) as u16;
                    out_ring.extend_from_slice(&[23, 3, 3, (len >> 8) as u8, len as u8]);
                    out_ring.extend_from_slice(&plaintext);
                    out_ring.push(23);
                    let mut aad = [0u8; 5];
                    aad.copy_from_slice(&out_ring[start..start + 5]);
                    let tag = ring_key
                        .seal_in_place_separate_tag(
                            nonce(seq),
                            Aad::from(aad),
                            &mut out_ring[start + 5..],
                        )
                        .unwrap();
                    out_ring.extend_from_slice(tag.as_ref());
                    seq += 1;
                }
                black_box(&out_ring);
            },
        );

        // BATCH records numbered 0..BATCH, for both openers.
        let mut sealer = RecordLayer::new();
        sealer.set_write_protection(protection(alg, &key));
        let mut wire = Vec::new();
        sealer
            .seal(
                ContentType::ApplicationData,
                &plaintext.repeat(BATCH),
                &mut wire,
            )
            .unwrap();
        let records: Vec<&[u8]> = wire.chunks(RECORD + 5 + 1 + 16).collect();
        assert_eq!(records.len(), BATCH);

        let mut receiver = RecordLayer::new();
        let mut buf = vec![0u8; RECORD + 5 + 1 + 16];
        let open = compare(
            || {
                receiver.set_read_protection(protection(alg, &key));
                for record in &records {
                    receiver.push_received(record);
                    let got = receiver.next_record().unwrap().unwrap();
                    black_box(got.plaintext);
                }
            },
            || {
                for (seq, record) in records.iter().enumerate() {
                    buf.copy_from_slice(record);
                    let (header, body) = buf.split_at_mut(5);
                    let inner = ring_key
                        .open_in_place(nonce(seq as u64), Aad::from(&*header), body)
                        .unwrap();
                    black_box(&inner[..inner.len() - 1]);
                }
            },
        );

        println!(
            "{:<18} {:>9.0} {:>9.0} {:>6.3}   {:>9.0} {:>9.0} {:>6.3}",
            format!("{alg:?}"),
            seal.0,
            seal.1,
            seal.2,
            open.0,
            open.1,
            open.2
        );
    }
}
