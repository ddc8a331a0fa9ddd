//! Differential test of the certificate validator: generated chains
//! (`common/chains.rs`: a valid root → intermediate → leaf, and the same
//! with one or two mutations) judged by ferrotls (webpki profile), by
//! rustls-webpki and by `openssl verify -x509_strict -auth_level 1`. Only
//! the verdicts are compared; every disagreement must be one of
//! `chains::EXPECTED_DIFFERENCES` (ferrotls refusing, with the RFC or BR
//! text that says so), and every entry of that table must still show on
//! the chain with its mutation alone.

#[path = "common/chains.rs"]
mod chains;
mod common;

use std::path::Path;
use std::process::Command;

use chains::{Chain, Description, KeyType, Mutation, Oracle, KEY_TYPES, MUTATIONS, NAME, NOW};
use rustls::pki_types;

/// Random chains with two mutations: enough to meet the pairs that
/// interact (a name and a constraint, two basicConstraints) while the
/// test stays within a minute on two cores.
const PAIRS: usize = 120;

/// The seed of the pair sample, fixed so that every run judges the same
/// chains.
const SEED: u64 = 0x5eed_d1ff_0017;

/// SplitMix64: a small deterministic generator for the sample.
struct SplitMix(u64);

impl SplitMix {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

/// The chains judged: the valid chain under every combination of keys,
/// each mutation alone under three combinations (one key type for the
/// whole chain, cycling, and a mixed one), then [`PAIRS`] random pairs
/// with random keys.
fn descriptions() -> Vec<Description> {
    let mut all = Vec::new();
    for root in KEY_TYPES {
        for intermediate in KEY_TYPES {
            for leaf in KEY_TYPES {
                all.push(Description::new([root, intermediate, leaf], &[]));
            }
        }
    }
    for (i, mutation) in MUTATIONS.into_iter().enumerate() {
        let k = |j: usize| KEY_TYPES[(i + j) % KEY_TYPES.len()];
        all.push(Description::new([k(0), k(0), k(0)], &[mutation]));
        all.push(Description::new([k(0), k(1), k(2)], &[mutation]));
        all.push(Description::new([k(2), k(0), k(1)], &[mutation]));
    }
    let mut rng = SplitMix(SEED);
    for _ in 0..PAIRS {
        let first = MUTATIONS[rng.below(MUTATIONS.len())];
        let second = MUTATIONS[rng.below(MUTATIONS.len())];
        let keys: [KeyType; 3] = std::array::from_fn(|_| KEY_TYPES[rng.below(KEY_TYPES.len())]);
        all.push(Description::new(keys, &[first, second]));
    }
    all
}

/// `openssl verify`'s verdict, as tests/pki_vectors.rs runs it:
/// `-x509_strict` for the RFC 5280 profile rules, `-auth_level 1` for
/// signature strength, the root as the only CA file.
fn openssl_verdict(chain: &Chain, dir: &Path) -> Result<(), String> {
    let pem = |label: &str, der: &[u8]| {
        let path = dir.join(format!("{label}.pem"));
        let text = ferrotls::certificates_to_pem(&[der.to_vec()]);
        std::fs::write(&path, text).expect("write PEM");
        path
    };
    let root = pem("root", &chain.root);
    let intermediate = pem("intermediate", &chain.intermediate);
    let leaf = pem("leaf", &chain.leaf);
    let out = Command::new("openssl")
        .args(["verify", "-x509_strict", "-auth_level", "1"])
        .args(["-purpose", "sslserver", "-verify_hostname", NAME])
        .args(["-attime", &NOW.to_string()])
        .arg("-CAfile")
        .arg(&root)
        .arg("-untrusted")
        .arg(&intermediate)
        .arg(&leaf)
        .output()
        .expect("run openssl");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    if out.status.success() && !text.contains("error") {
        Ok(())
    } else {
        Err(text.trim().replace('\n', " | "))
    }
}

#[test]
fn verdicts_agree_or_differ_as_documented() {
    common::require_openssl();
    let dir = common::Scratch::new("pki-differential-chains");
    let mut failures = Vec::new();
    let mut shown = Vec::new();
    for description in descriptions() {
        let chain = chains::generate(&description);
        let ferrotls = chains::ferrotls_verdict(&chain);
        let others = [
            (Oracle::Webpki, chains::webpki_verdict(&chain)),
            (Oracle::Openssl, openssl_verdict(&chain, &dir)),
        ];
        for (oracle, verdict) in others {
            if verdict.is_ok() == ferrotls.is_ok() {
                continue;
            }
            match chains::explained(&description, oracle, ferrotls.is_ok()) {
                Some(difference) => {
                    if description.mutations() == [difference.mutation] {
                        shown.push((difference.mutation, oracle));
                    }
                }
                None => failures.push(format!(
                    "{description}: ferrotls {ferrotls:?}, {oracle:?} {verdict:?}"
                )),
            }
        }
    }
    for difference in chains::EXPECTED_DIFFERENCES {
        if !shown.contains(&(difference.mutation, difference.oracle)) {
            failures.push(format!(
                "{:?}: documented to differ from {:?} ({}), but they agree",
                difference.mutation, difference.oracle, difference.why
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The valid chain is valid for all three: the comparison is not between
/// three validators that refuse everything.
#[test]
fn the_unmutated_chain_is_valid_everywhere() {
    common::require_openssl();
    let dir = common::Scratch::new("pki-differential-valid");
    for keys in [
        [KeyType::Rsa2048; 3],
        [KeyType::P256; 3],
        [KeyType::P384; 3],
    ] {
        let chain = chains::generate(&Description::new(keys, &[]));
        assert_eq!(chains::ferrotls_verdict(&chain), Ok(()));
        assert_eq!(chains::webpki_verdict(&chain), Ok(()));
        assert_eq!(openssl_verdict(&chain, &dir), Ok(()));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Each mutation changes the chain: its DER differs from the valid one.
#[test]
fn every_mutation_changes_the_chain() {
    let keys = [KeyType::P256; 3];
    let valid = chains::generate(&Description::new(keys, &[]));
    for mutation in MUTATIONS {
        let chain = chains::generate(&Description::new(keys, &[mutation]));
        let same = chain.root == valid.root
            && chain.intermediate == valid.intermediate
            && chain.leaf == valid.leaf;
        assert!(!same, "{mutation:?} left the chain as it was");
    }
}

/// The fuzz target's reading of its input: byte 0 the keys (root, then
/// intermediate, then leaf, base 3), bytes 1-3 the mutation bits, the rest
/// left over for leaf flips.
/// A fuzz finding replays: generating a chain again gives the same
/// leaf tbsCertificate for every key type (ECDSA signatures differ
/// between runs, the signed bytes do not), and the fuzz target's flips
/// land in it, the same bytes each time.
#[test]
fn the_leaf_a_fuzz_input_flips_is_the_same_in_every_run() {
    let flips = [0x34, 0x12, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0x80];
    for key in KEY_TYPES {
        let description = Description::new([key; 3], &[]);
        let (mut a, mut b) = (
            chains::generate(&description),
            chains::generate(&description),
        );
        let (span_a, span_b) = (
            chains::tbs_span(&a.leaf).unwrap(),
            chains::tbs_span(&b.leaf).unwrap(),
        );
        assert_eq!(a.leaf[span_a.clone()], b.leaf[span_b.clone()], "{key:?}");
        assert!(span_a.end < a.leaf.len(), "{key:?}: the signature follows");
        let (before, signature) = (a.leaf.clone(), a.leaf[span_a.end..].to_vec());
        assert!(a.flip_leaf_tbs(&flips) && b.flip_leaf_tbs(&flips));
        assert_eq!(a.leaf[span_a.clone()], b.leaf[span_b], "{key:?}");
        assert_ne!(a.leaf, before, "{key:?}");
        assert_eq!(
            a.leaf[span_a.end..],
            signature[..],
            "{key:?}: signature untouched"
        );
    }
}

#[test]
fn fuzz_bytes_choose_keys_and_mutations() {
    let (description, rest) = Description::from_fuzz(&[1 + 2 * 3 + 9, 0b101, 0, 0x10, 7, 8]);
    let expected = Description::new(
        [KeyType::P256, KeyType::P384, KeyType::P256],
        &[
            Mutation::LeafExpired,
            Mutation::LeafWithoutSan,
            Mutation::RootPathLenZero,
        ],
    );
    assert_eq!(description, expected);
    assert_eq!(rest, [7, 8]);
    let (empty, rest) = Description::from_fuzz(&[]);
    assert_eq!(empty, Description::new([KeyType::Rsa2048; 3], &[]));
    assert!(rest.is_empty());
}
