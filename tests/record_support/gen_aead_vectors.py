# Independent TLS 1.2 AEAD record vectors from pyca/cryptography (OpenSSL).
import struct
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
def aad(seq, typ, ver, n): return struct.pack(">QBHH", seq, typ, ver, n)
pt = b"TLS 1.2 AEAD known answer"
# AES-128-GCM, RFC 5288: nonce = salt(4) || explicit(8) = seq
key = bytes(range(0x10, 0x20)); salt = bytes.fromhex("01020304"); seq = 7
explicit = struct.pack(">Q", seq)
ct = AESGCM(key).encrypt(salt + explicit, pt, aad(seq, 23, 0x0303, len(pt)))
frag = explicit + ct
print("gcm128 =", (struct.pack(">BHH", 23, 0x0303, len(frag)) + frag).hex())
# AES-256-GCM
key = bytes(range(0x40, 0x60)); salt = bytes.fromhex("a1a2a3a4"); seq = 0
explicit = struct.pack(">Q", seq)
ct = AESGCM(key).encrypt(salt + explicit, pt, aad(seq, 22, 0x0303, len(pt)))
frag = explicit + ct
print("gcm256 =", (struct.pack(">BHH", 22, 0x0303, len(frag)) + frag).hex())
# ChaCha20-Poly1305, RFC 7905: nonce = iv xor (0^4 || seq)
key = bytes(range(0x80, 0xa0)); iv = bytes.fromhex("0a0b0c0d0e0f101112131415"); seq = 0x0102030405
nonce = bytes(a ^ b for a, b in zip(iv, bytes(4) + struct.pack(">Q", seq)))
ct = ChaCha20Poly1305(key).encrypt(nonce, pt, aad(seq, 23, 0x0303, len(pt)))
print("chacha =", (struct.pack(">BHH", 23, 0x0303, len(ct)) + ct).hex())
