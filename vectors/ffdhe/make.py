#!/usr/bin/env python3
"""Known-answer vectors for the RFC 7919 finite-field groups, computed
without ferrotls: the primes as OpenSSL 3 knows them (`openssl genpkey
-genparam -algorithm DH -pkeyopt group:ffdheN`, read back with `openssl
asn1parse`), each checked here to be a safe prime with 2 of order q, and
the Diffie-Hellman values computed by Python's own modular exponentiation.

Usage: python3 make.py > vectors.txt   (needs: openssl on the PATH)

A last section does the same in the 2048-bit MODP group of RFC 3526 §3,
which is not an RFC 7919 group: a TLS 1.2 server may sign any group, and
ferrotls then uses an exponent one bit shorter than p; its secret is also
given with leading zero bytes stripped, as TLS 1.2 uses it (RFC 5246
§8.1.2), and its seeds are chosen so that there is a zero byte to strip.

Each section gives p, then for the client and the server the bytes ferrotls
draws from its random generator for the private exponent (big-endian,
ceil(bits / 8) bytes; ferrotls keeps the low `bits` bits and sets the top
one), the public value left-padded to the length of p (RFC 8446 §4.2.8.1)
and the shared secret, also padded (RFC 8446 §7.4.1)."""
import hashlib
import subprocess

# RFC 7919 Appendix A: the short-exponent size given for each group.
GROUPS = [("ffdhe2048", 225), ("ffdhe3072", 275), ("ffdhe4096", 325),
          ("ffdhe6144", 375), ("ffdhe8192", 400), ("modp_2048", 2047)]


def seed(label, n):
    """Reproducible bytes: SHA-256 counter mode over a label."""
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f"{label}/{i}".encode()).digest()
        i += 1
    return out[:n]


def openssl_prime(name):
    pem = subprocess.run(
        ["openssl", "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", f"group:{name}"],
        check=True, capture_output=True).stdout
    parsed = subprocess.run(["openssl", "asn1parse"], input=pem, check=True,
                            capture_output=True).stdout.decode()
    integers = [line.split(":")[-1] for line in parsed.splitlines() if "INTEGER" in line]
    p, g = int(integers[0], 16), int(integers[1], 16)
    assert g == 2
    return p


def exponent(draw, bits):
    x = int.from_bytes(draw, "big") % (1 << bits)
    return x | (1 << (bits - 1))


def main():
    for name, bits in GROUPS:
        p = openssl_prime(name)
        q = (p - 1) // 2
        # A safe prime (Fermat tests of p and q), with 2 generating the
        # subgroup of order q (RFC 7919 §5.1).
        assert pow(3, p - 1, p) == 1 and pow(3, q - 1, q) == 1
        assert pow(2, q, p) == 1
        size = (p.bit_length() + 7) // 8
        print(f"[{name}]")
        print(f"p = {p.to_bytes(size, 'big').hex()}")
        # The custom group's seeds are the first whose secret starts with
        # a zero byte, so that stripping it is exercised.
        attempt = 0
        while True:
            label = name if name.startswith("ffdhe") else f"{name}/{attempt}"
            draws = {side: seed(f"{label}/{side}", (bits + 7) // 8) for side in ("client", "server")}
            xs = {side: exponent(draw, bits) for side, draw in draws.items()}
            shared = pow(pow(2, xs["client"], p), xs["server"], p)
            if name.startswith("ffdhe") or shared < 1 << (8 * (size - 1)):
                break
            attempt += 1
        for side in ("client", "server"):
            print(f"{side}_random = {draws[side].hex()}")
            print(f"{side}_public = {pow(2, xs[side], p).to_bytes(size, 'big').hex()}")
        print(f"shared_secret = {shared.to_bytes(size, 'big').hex()}")
        stripped = shared.to_bytes((shared.bit_length() + 7) // 8, "big")
        print(f"shared_secret_stripped = {stripped.hex()}")
        print()


main()
