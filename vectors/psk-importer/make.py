#!/usr/bin/env python3
"""Known-answer vectors for imported external PSKs (RFC 9258), computed
without ferrotls, from the RFC's formulas with Python's own hmac and
hashlib:

    ImportedIdentity = external_identity<1..2^16-1> || context<0..2^16-1>
                       || target_protocol (0x0304) || target_kdf
    epskx = HKDF-Extract(0, epsk)                      (the EPSK's hash)
    ipskx = HKDF-Expand-Label(epskx, "derived psk",
                              Hash(ImportedIdentity), L)   (L: target hash length)

and, to pin the binder label of RFC 9258 §5.2, the binder an imported PSK
gives over a fixed transcript hash (RFC 8446 §4.2.11.2, §7.1):

    early      = HKDF-Extract(0, ipskx)                (the target hash)
    binder_key = Derive-Secret(early, "imp binder", "")
    binder     = HMAC(HKDF-Expand-Label(binder_key, "finished", "", L),
                      Hash("truncated ClientHello"))

The external PSKs are those of BoringSSL's runner (ssl/test/runner/
psk_tests.go: pskSHA256Credential, pskSHA384Credential), so a BoGo run
checks the same derivation against another implementation.

Usage: python3 make.py > vectors.txt"""
import hashlib
import hmac
import struct

HASHES = {"SHA256": hashlib.sha256, "SHA384": hashlib.sha384}
# RFC 9258 §10, TLS KDF Identifiers.
KDF_IDS = {"SHA256": 0x0001, "SHA384": 0x0002}
EPSKS = [
    ("psk1", b"ABCD" * 8, b"psk1", b"context1", "SHA256"),
    ("psk2", b"EFGH" * 12, b"psk2", b"context2", "SHA384"),
]


def extract(h, ikm):
    return hmac.new(b"\0" * h().digest_size, ikm, h).digest()


def expand_label(h, secret, label, context, length):
    full = b"tls13 " + label
    info = struct.pack(">H", length) + bytes([len(full)]) + full + bytes([len(context)]) + context
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(secret, block + info + bytes([counter]), h).digest()
        out += block
        counter += 1
    return out[:length]


def u16_vector(body):
    return struct.pack(">H", len(body)) + body


for name, epsk, identity, context, epsk_hash in EPSKS:
    for target in HASHES:
        eh, th = HASHES[epsk_hash], HASHES[target]
        imported = u16_vector(identity) + u16_vector(context) + struct.pack(">HH", 0x0304, KDF_IDS[target])
        ipskx = expand_label(eh, extract(eh, epsk), b"derived psk", eh(imported).digest(), th().digest_size)
        early = extract(th, ipskx)
        binder_key = expand_label(th, early, b"imp binder", th(b"").digest(), th().digest_size)
        finished_key = expand_label(th, binder_key, b"finished", b"", th().digest_size)
        transcript = th(b"truncated ClientHello").digest()
        binder = hmac.new(finished_key, transcript, th).digest()
        print(f"[{name}-{target}]")
        print(f"external_identity = {identity.hex()}")
        print(f"epsk = {epsk.hex()}")
        print(f"context = {context.hex()}")
        print(f"epsk_hash = {'01' if epsk_hash == 'SHA256' else '02'}")
        print(f"target_hash = {'01' if target == 'SHA256' else '02'}")
        print(f"imported_identity = {imported.hex()}")
        print(f"ipskx = {ipskx.hex()}")
        print(f"transcript_hash = {transcript.hex()}")
        print(f"binder = {binder.hex()}")
        print()
