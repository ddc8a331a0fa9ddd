//! The finite-field groups (RFC 7919) through the crypto wrapper
//! (`crypto::ffdhe`): known answers computed without ferrotls (the primes
//! from OpenSSL, the exponentiations by Python; `vectors/ffdhe/make.py`),
//! the TLS 1.3 and TLS 1.2 encodings, and each refused group or public
//! value with its error.

mod common;

use std::sync::Arc;

use common::sections::hex_sections;
use ferrotls::internal::crypto::ffdhe::{
    public_key_len, DhGroup, DhKeyPair, MAX_DHE_MODULUS_BITS, MIN_DHE_MODULUS_BITS,
};
use ferrotls::internal::crypto::rng::FixedBytes;
use ferrotls::internal::error::{
    HandshakeFailureReason, IllegalParameterReason, InsufficientSecurityReason,
};
use ferrotls::{Error, NamedGroup, OsRng};

const NAMED: [(&str, NamedGroup); 5] = [
    ("ffdhe2048", NamedGroup::ffdhe2048),
    ("ffdhe3072", NamedGroup::ffdhe3072),
    ("ffdhe4096", NamedGroup::ffdhe4096),
    ("ffdhe6144", NamedGroup::ffdhe6144),
    ("ffdhe8192", NamedGroup::ffdhe8192),
];

/// The 2048-bit MODP group of RFC 3526 §3: a safe prime that is not an
/// RFC 7919 group, as a TLS 1.2 server may sign.
const CUSTOM: &str = "modp_2048";

fn key_pair(group: &Arc<DhGroup>, draw: &[u8]) -> DhKeyPair {
    let pool = FixedBytes::new(draw);
    let pair = DhKeyPair::generate(group.clone(), &pool).unwrap();
    assert_eq!(pool.remaining(), 0, "the exponent takes the whole draw");
    pair
}

#[test]
fn rfc7919_groups_match_openssl_and_python() {
    let vectors = hex_sections("ffdhe/vectors.txt");
    for (name, named) in NAMED {
        let v = &vectors[name];
        let group = DhGroup::named(named).unwrap();
        assert_eq!(group.prime(), v["p"].as_slice(), "{name}: prime");
        assert_eq!(group.generator(), [2], "{name}: generator");
        assert_eq!(public_key_len(named), Some(v["p"].len()));
        assert_eq!(group.named_group(), Some(named));
        let client = key_pair(&group, &v["client_random"]);
        let server = key_pair(&group, &v["server_random"]);
        assert_eq!(client.public_key(), v["client_public"].as_slice(), "{name}");
        assert_eq!(server.public_key(), v["server_public"].as_slice(), "{name}");
        let secret = client.complete(&v["server_public"]).unwrap();
        assert_eq!(secret.as_bytes(), v["shared_secret"].as_slice(), "{name}");
        let secret = server.complete_tls12(&v["client_public"]).unwrap();
        assert_eq!(secret.as_bytes(), v["shared_secret_stripped"].as_slice());
    }
}

#[test]
fn a_servers_own_group_takes_a_full_exponent_and_tls12_strips_the_secret() {
    let v = &hex_sections("ffdhe/vectors.txt")[CUSTOM];
    let group = DhGroup::from_params(&v["p"], &[2]).unwrap();
    assert_eq!(group.named_group(), None);
    assert_eq!(group.exponent_bits(), 2047);
    let client = key_pair(&group, &v["client_random"]);
    assert_eq!(client.public_key(), v["client_public"].as_slice());
    // The vector's secret starts with a zero byte: TLS 1.2 strips it
    // (RFC 5246 §8.1.2), TLS 1.3 would keep it (RFC 8446 §7.4.1).
    assert_eq!(v["shared_secret"].first(), Some(&0));
    let secret = client.complete_tls12(&v["server_public"]).unwrap();
    assert_eq!(secret.as_bytes(), v["shared_secret_stripped"].as_slice());
    let server = key_pair(&group, &v["server_random"]);
    let secret = server.complete(&v["client_public"]).unwrap();
    assert_eq!(secret.as_bytes(), v["shared_secret"].as_slice());
}

#[test]
fn rfc7919_3_a_signed_named_group_is_recognised_with_or_without_leading_zeros() {
    let v = &hex_sections("ffdhe/vectors.txt")["ffdhe3072"];
    let mut padded = vec![0, 0];
    padded.extend_from_slice(&v["p"]);
    let group = DhGroup::from_params(&padded, &[0, 2]).unwrap();
    assert_eq!(group.named_group(), Some(NamedGroup::ffdhe3072));
    assert_eq!(group.exponent_bits(), 275, "RFC 7919 Appendix A's size");
    // The same prime with another generator is a group of its own.
    let other = DhGroup::from_params(&v["p"], &[5]).unwrap();
    assert_eq!(other.named_group(), None);
}

/// An odd number of `bits` bits: all ones.
fn ones(bits: u32) -> Vec<u8> {
    let mut bytes = vec![0xff; bits.div_ceil(8) as usize];
    if !bits.is_multiple_of(8) {
        bytes[0] = 0xff >> (8 - bits % 8);
    }
    bytes
}

#[test]
fn rfc7919_3_groups_under_2048_bits_are_insufficient_security() {
    for bits in [1024, MIN_DHE_MODULUS_BITS - 1] {
        let e = DhGroup::from_params(&ones(bits), &[2]).unwrap_err();
        assert_eq!(
            e,
            Error::InsufficientSecurity(InsufficientSecurityReason::DhModulusTooSmall)
        );
        assert_eq!(
            e.alert(),
            Some(ferrotls::AlertDescription::InsufficientSecurity)
        );
    }
    assert!(DhGroup::from_params(&ones(MIN_DHE_MODULUS_BITS), &[2]).is_ok());
}

#[test]
fn oversized_even_and_degenerate_groups_are_illegal_parameter() {
    let illegal = |reason| Err(Error::IllegalParameter(reason));
    let too_large = DhGroup::from_params(&ones(MAX_DHE_MODULUS_BITS + 1), &[2]);
    assert_eq!(
        too_large.map(|_| ()),
        illegal(IllegalParameterReason::DhModulusTooLarge)
    );
    let mut even = ones(2048);
    *even.last_mut().unwrap() = 0xfe;
    let p = ones(2048);
    let mut p_minus_one = p.clone();
    *p_minus_one.last_mut().unwrap() = 0xfe;
    for (prime, generator) in [
        (even.as_slice(), vec![2]),
        (&p, vec![]),
        (&p, vec![0]),
        (&p, vec![1]),
        (&p, p_minus_one.clone()),
        (&p, p.clone()),
    ] {
        assert_eq!(
            DhGroup::from_params(prime, &generator).map(|_| ()),
            illegal(IllegalParameterReason::DhParameters),
            "g = {}",
            hex::encode(&generator)
        );
    }
}

/// The public values RFC 7919 §5.1 refuses in a group of prime `p`:
/// 0, 1, p − 1, p, p + 1, each padded to the length of p.
fn out_of_range(p: &[u8]) -> Vec<Vec<u8>> {
    let len = p.len();
    let small = |v: u8| {
        let mut bytes = vec![0; len];
        bytes[len - 1] = v;
        bytes
    };
    let near_p = |delta: i16| {
        let mut bytes = p.to_vec();
        let last = bytes[len - 1] as i16 + delta;
        // The RFC 7919 and RFC 3526 primes end in 0xff…ff.
        assert!((0..=0x1ff).contains(&last));
        bytes[len - 1] = last as u8;
        if last > 0xff {
            // p + 1 carries through the trailing 0xff bytes.
            for byte in bytes.iter_mut().rev().skip(1) {
                let (sum, carry) = byte.overflowing_add(1);
                *byte = sum;
                if !carry {
                    break;
                }
            }
        }
        bytes
    };
    vec![small(0), small(1), near_p(-1), near_p(0), near_p(1)]
}

#[test]
fn rfc8446_4_2_8_1_tls13_shares_out_of_range_or_unpadded_are_illegal_parameter() {
    for (_, named) in NAMED {
        let group = DhGroup::named(named).unwrap();
        for bad in out_of_range(group.prime()) {
            let pair = DhKeyPair::generate(group.clone(), &OsRng::new()).unwrap();
            assert_eq!(
                pair.complete(&bad).map(|_| ()),
                Err(Error::IllegalParameter(
                    IllegalParameterReason::KeyShareInvalid
                )),
                "{named:?} {}",
                hex::encode(&bad[bad.len() - 2..])
            );
        }
        let pair = DhKeyPair::generate(group.clone(), &OsRng::new()).unwrap();
        let peer = DhKeyPair::generate(group.clone(), &OsRng::new()).unwrap();
        let unpadded = &peer.public_key()[1..];
        assert_eq!(
            pair.complete(unpadded).map(|_| ()),
            Err(Error::IllegalParameter(
                IllegalParameterReason::KeyShareLength
            ))
        );
    }
}

#[test]
fn rfc7919_3_and_4_tls12_values_out_of_range_are_handshake_failure() {
    let v = &hex_sections("ffdhe/vectors.txt")[CUSTOM];
    let custom = DhGroup::from_params(&v["p"], &[2]).unwrap();
    let named = DhGroup::named(NamedGroup::ffdhe2048).unwrap();
    for group in [named, custom] {
        let mut bad = out_of_range(group.prime());
        // Shorter forms of 0 and 1, and a value longer than p.
        bad.extend([vec![0], vec![1], vec![1; group.len() + 1]]);
        for value in bad {
            let pair = DhKeyPair::generate(group.clone(), &OsRng::new()).unwrap();
            assert_eq!(
                pair.complete_tls12(&value).map(|_| ()),
                Err(Error::HandshakeFailure(
                    HandshakeFailureReason::DhPublicOutOfRange
                )),
                "{}",
                hex::encode(&value[value.len().saturating_sub(2)..])
            );
        }
    }
}

#[test]
fn tls12_public_values_may_come_without_leading_zeros() {
    let group = DhGroup::named(NamedGroup::ffdhe2048).unwrap();
    // 2 is in range and has no leading bytes at all; the secret is then
    // 2^x, computed both ways.
    let pair = DhKeyPair::generate(group.clone(), &OsRng::new()).unwrap();
    let mut padded = vec![0; group.len()];
    *padded.last_mut().unwrap() = 2;
    let pair_again = DhKeyPair::generate(group.clone(), &FixedBytes::new(&[9; 29])).unwrap();
    let expected = pair_again.public_key().to_vec();
    let from_short = DhKeyPair::generate(group.clone(), &FixedBytes::new(&[9; 29]))
        .unwrap()
        .complete_tls12(&[2])
        .unwrap();
    let first_nonzero = expected.iter().position(|&b| b != 0).unwrap();
    assert_eq!(from_short.as_bytes(), &expected[first_nonzero..]);
    assert!(pair.complete_tls12(&padded).is_ok());
}
