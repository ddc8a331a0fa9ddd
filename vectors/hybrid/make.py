#!/usr/bin/env python3
"""Known-answer vectors for the hybrid key-exchange groups of
draft-ietf-tls-ecdhe-mlkem, computed by implementations independent of
ferrotls: ML-KEM by kyber-py (pure Python FIPS 203: KeyGen_internal(d, z),
Encaps_internal(ek, m)), X25519, P-256 and P-384 by pyca/cryptography
(OpenSSL).

Usage: python3 make.py > vectors.txt   (needs: pip install kyber-py cryptography)

Each section gives the seeds and private keys, in the order ferrotls draws
them from its random generator (client: d, z, then the classical private
key; server: m, then the classical private key), and the expected client
share, server share and shared secret. A NIST-curve private key is drawn as
ring draws it: the scalar's length in bytes, read big-endian (ring's
generate_private_scalar_bytes). ring would draw again for a scalar outside
1..n-1; derive_private_key refuses one, so these seeds never need that."""
import hashlib
from kyber_py.ml_kem import ML_KEM_768, ML_KEM_1024
from cryptography.hazmat.primitives.asymmetric import ec, x25519
from cryptography.hazmat.primitives import serialization


def seed(label, n):
    """Reproducible bytes: SHA-256 counter mode over a label."""
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f"{label}/{i}".encode()).digest()
        i += 1
    return out[:n]


def x25519_pair(priv):
    key = x25519.X25519PrivateKey.from_private_bytes(priv)
    pub = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return key, pub


def nist_pair(curve):
    def pair(priv):
        key = ec.derive_private_key(int.from_bytes(priv, "big"), curve)
        pub = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return key, pub

    return pair


def x25519_dh(key, peer):
    return key.exchange(x25519.X25519PublicKey.from_public_bytes(peer))


def nist_dh(curve):
    def dh(key, peer):
        return key.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(curve, peer))

    return dh


def section(name, kem, classical_pair, dh, private_len, kem_first):
    d, z, m = seed(name + "/d", 32), seed(name + "/z", 32), seed(name + "/m", 32)
    client_priv, server_priv = seed(name + "/client", private_len), seed(name + "/server", private_len)
    ek, dk = kem._keygen_internal(d, z)
    k, ct = kem._encaps_internal(ek, m)
    assert kem._decaps_internal(dk, ct) == k
    client_key, client_pub = classical_pair(client_priv)
    server_key, server_pub = classical_pair(server_priv)
    shared = dh(client_key, server_pub)
    assert shared == dh(server_key, client_pub)
    if kem_first:
        client_share, server_share, secret = ek + client_pub, ct + server_pub, k + shared
    else:
        client_share, server_share, secret = client_pub + ek, server_pub + ct, shared + k
    print(f"[{name}]")
    for key, value in [
        ("client_random", d + z + client_priv),
        ("server_random", m + server_priv),
        ("client_share", client_share),
        ("server_share", server_share),
        ("shared_secret", secret),
    ]:
        print(f"{key} = {value.hex()}")
    print()


section("X25519MLKEM768", ML_KEM_768, x25519_pair, x25519_dh, 32, kem_first=True)
section("SecP256r1MLKEM768", ML_KEM_768, nist_pair(ec.SECP256R1()), nist_dh(ec.SECP256R1()), 32, kem_first=False)
section("SecP384r1MLKEM1024", ML_KEM_1024, nist_pair(ec.SECP384R1()), nist_dh(ec.SECP384R1()), 48, kem_first=False)
