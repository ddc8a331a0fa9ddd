//! A dudect-style timing test of the MAC-then-encrypt record opening
//! (`crypto::cbc::open_mac_then_encrypt`, the Lucky Thirteen defence).
//!
//! Method (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant
//! time?", DATE 2017): records of one length fall into classes by their
//! padding; openings of randomly chosen classes are interleaved and each
//! is timed with `Instant`; the slowest tenth of all measurements is
//! cropped (interrupts, migrations); Welch's t-statistic compares each
//! class with the first. |t| < 4.5 is dudect's threshold for "no
//! dependence found".
//!
//! Classes, all of one plaintext length: `pad0` (valid, padding_length 0,
//! the longest content), `pad255` (valid, padding_length 255, the
//! shortest content), `badpad` (padding_length 255 with a wrong padding
//! byte), and `badmac0` / `badmac255` (good padding of length 0 / 255,
//! wrong MAC). The last three are refused as `bad_record_mac`; they are
//! what a Lucky Thirteen attacker compares, so `badmac255` and `badpad`
//! are also compared with `badmac0`.
//!
//! Run with `cargo bench --bench lucky13` (`-- --quick` for fewer
//! samples); prints one
//! `RESULT lucky13-<hash>-<class>-vs-<reference> t=<t> samples=<n>` line
//! per comparison.

use ferrotls::internal::crypto::cbc::{
    mac_header, open_mac_then_encrypt, RecordMac, MAX_PADDING_LEN,
};
use ferrotls::internal::crypto::hash::HashAlgorithm;
use std::hint::black_box;
use std::time::Instant;

/// dudect's threshold on |t|.
const T_THRESHOLD: f64 = 4.5;

/// The plaintext length of every record: whole AES blocks, room for the
/// longest padding.
const PLAINTEXT_LEN: usize = 1024;

/// The share of all measurements kept, slowest cropped.
const KEEP: f64 = 0.9;

const SEQ: u64 = 7;
const CONTENT_TYPE: u8 = 23;
const VERSION: u16 = 0x0303;

/// A small deterministic generator for the class order (xorshift64).
struct Order(u64);

impl Order {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// `content ‖ MAC ‖ padding ‖ padding_length` of [`PLAINTEXT_LEN`] bytes
/// with padding_length `pad`; `corrupt` spoils one padding byte,
/// `bad_mac` one MAC byte.
fn record(mac: &mut RecordMac, pad: usize, corrupt: bool, bad_mac: bool) -> Vec<u8> {
    let content_len = PLAINTEXT_LEN - mac.tag_len() - pad - 1;
    let content: Vec<u8> = (0..content_len).map(|i| i as u8).collect();
    let header = mac_header(SEQ, CONTENT_TYPE, VERSION, content_len as u16);
    let tag = mac.sign(&[&header, &content]);
    let mut out = content;
    out.extend_from_slice(tag.as_ref());
    if bad_mac {
        let last = out.len() - 1;
        out[last] ^= 1;
    }
    out.extend(std::iter::repeat_n(pad as u8, pad + 1));
    if corrupt {
        out[PLAINTEXT_LEN - 2] ^= 1;
    }
    out
}

fn mean_and_variance(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let variance = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, variance)
}

/// Welch's t-statistic between two samples.
fn welch_t(a: &[f64], b: &[f64]) -> f64 {
    let (ma, va) = mean_and_variance(a);
    let (mb, vb) = mean_and_variance(b);
    (ma - mb) / (va / a.len() as f64 + vb / b.len() as f64).sqrt()
}

fn run(hash: HashAlgorithm, name: &str, samples_per_class: usize) {
    let mut mac = RecordMac::new(hash, &[0x42; 32]).unwrap();
    let classes = [
        ("pad0", record(&mut mac, 0, false, false)),
        ("pad255", record(&mut mac, MAX_PADDING_LEN, false, false)),
        ("badpad", record(&mut mac, MAX_PADDING_LEN, true, false)),
        ("badmac0", record(&mut mac, 0, false, true)),
        ("badmac255", record(&mut mac, MAX_PADDING_LEN, false, true)),
    ];
    for (class, input) in &classes {
        let opened = open_mac_then_encrypt(&mut mac, SEQ, CONTENT_TYPE, VERSION, input);
        assert_eq!(opened.is_ok(), class.starts_with("pad"), "{class}");
    }

    let mut order = Order(0x9e37_79b9_7f4a_7c15);
    let total = samples_per_class * classes.len();
    let mut measured: Vec<(usize, f64)> = Vec::with_capacity(total);
    // Every opening reads the same buffer, so no class gains from where
    // its bytes happen to sit in memory (alignment, cache lines).
    let mut work = vec![0u8; PLAINTEXT_LEN];
    for _ in 0..total {
        let class = (order.next() % classes.len() as u64) as usize;
        work.copy_from_slice(&classes[class].1);
        let input = black_box(&work[..]);
        let start = Instant::now();
        let result = open_mac_then_encrypt(&mut mac, SEQ, CONTENT_TYPE, VERSION, input);
        let elapsed = start.elapsed();
        black_box(result.is_ok());
        measured.push((class, elapsed.as_nanos() as f64));
    }
    let mut times: Vec<f64> = measured.iter().map(|(_, t)| *t).collect();
    times.sort_by(f64::total_cmp);
    let cut = times[((times.len() as f64 * KEEP) as usize).min(times.len() - 1)];
    let per_class: Vec<Vec<f64>> = (0..classes.len())
        .map(|c| {
            measured
                .iter()
                .filter(|(class, t)| *class == c && *t <= cut)
                .map(|(_, t)| *t)
                .collect()
        })
        .collect();
    // (class, reference): each valid or refused class against pad0, and
    // the refused ones against each other.
    for (c, reference) in [(1, 0), (2, 0), (3, 0), (4, 3), (2, 3)] {
        let t = welch_t(&per_class[reference], &per_class[c]);
        let difference =
            mean_and_variance(&per_class[c]).0 - mean_and_variance(&per_class[reference]).0;
        let mean = mean_and_variance(&per_class[reference]).0;
        let samples = per_class[reference].len() + per_class[c].len();
        let verdict = if t.abs() < T_THRESHOLD {
            "no dependence found"
        } else {
            "DEPENDENCE"
        };
        let (class, reference) = (classes[c].0, classes[reference].0);
        println!(
            "RESULT lucky13-{name}-{class}-vs-{reference} t={t:.2} samples={samples} difference={difference:.1}ns of {mean:.0}ns (|t| < {T_THRESHOLD}: {verdict})"
        );
    }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let samples = if quick { 30_000 } else { 200_000 };
    for (hash, name) in [
        (HashAlgorithm::Sha1, "sha1"),
        (HashAlgorithm::Sha256, "sha256"),
        (HashAlgorithm::Sha384, "sha384"),
    ] {
        run(hash, name, samples);
    }
}
