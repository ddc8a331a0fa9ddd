#!/bin/sh
# Test keys and independent signatures for tests/crypto_sign*.rs and
# tests/crypto_kx*.rs, made with the openssl CLI (OpenSSL 3.0).
#
# Run from anywhere: sh vectors/keys/make.sh. Keys are random, so a re-run
# replaces every file; commit the script and its output together.
#
# Per signing key NAME (rsa2048, rsa4096, rsa8192, p256, p384, p521, ed25519):
#   NAME.pk8.der     private key, PKCS#8 DER
#   NAME.pkcs1.der   private key, PKCS#1 RSAPrivateKey DER (RSA only)
#   NAME.sec1.der    private key, RFC 5915 ECPrivateKey DER (EC only)
#   NAME.spki.der    public key, SubjectPublicKeyInfo DER
#   NAME.pub.der     RSA only: the RSAPublicKey DER (PublicKey::Rsa form)
#   NAME.pub.bin     EC/Ed25519 only: the raw public key (PublicKey form:
#                    uncompressed SEC1 point, or 32 bytes)
# x25519.pk8.der / x25519.spki.der / x25519.pub.bin, and the same for x448:
# X25519 and X448 peers for the ECDHE cross-check (the EC keys double as
# P-256/P-384/P-521 ECDH peers).
#
# rfc8448-*.pub.*: public keys of the RFC 8448 example keys (end of file).
#
# message.bin is the signed message; md5sha1.bin is MD5(message) ‖
# SHA-1(message), the 36-byte TLS 1.0/1.1 digest.
# Signatures over message.bin, NAME.ALG.sig:
#   pkcs1-sha1/256/384/512  openssl dgst -sign (PKCS#1 v1.5 with DigestInfo)
#   pss-sha256/384/512      dgst -sign, rsa_padding_mode:pss, saltlen digest
#   md5sha1                 pkeyutl -sign over md5sha1.bin, no digest:
#                           PKCS#1 v1.5 without DigestInfo
#   ecdsa-sha1/256/384      dgst -sign (DER Ecdsa-Sig-Value)
#   ecdsa-sha512            the same, P-521 only
#   ed25519                 pkeyutl -sign -rawin
set -eu
cd "$(dirname "$0")"

# genpkey's DER output is the type-specific ("traditional") form for RSA
# and EC, so convert its PEM to PKCS#8 DER explicitly.
to_pkcs8() { # name
    openssl pkcs8 -topk8 -nocrypt -outform DER -out $1.pk8.der
}

printf 'ferrotls: a message signed by openssl for the signature tests.\n' > message.bin
{ openssl dgst -md5 -binary message.bin; openssl dgst -sha1 -binary message.bin; } > md5sha1.bin

for bits in 2048 4096 8192; do
    k=rsa$bits
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$bits | to_pkcs8 $k
    openssl rsa -inform DER -in $k.pk8.der -traditional -outform DER -out $k.pkcs1.der
    openssl pkey -inform DER -in $k.pk8.der -pubout -outform DER -out $k.spki.der
    openssl rsa -inform DER -in $k.pk8.der -RSAPublicKey_out -outform DER -out $k.pub.der
done

for curve in 256 384 521; do
    k=p$curve
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-$curve \
        -pkeyopt ec_param_enc:named_curve | to_pkcs8 $k
    openssl ec -inform DER -in $k.pk8.der -outform DER -out $k.sec1.der
    openssl pkey -inform DER -in $k.pk8.der -pubout -outform DER -out $k.spki.der
done
# The SPKI ends with the BIT STRING holding the uncompressed point.
tail -c 65 p256.spki.der > p256.pub.bin
tail -c 97 p384.spki.der > p384.pub.bin
tail -c 133 p521.spki.der > p521.pub.bin

for k in ed25519 x25519 x448; do
    openssl genpkey -algorithm $(echo $k | tr a-z A-Z) | to_pkcs8 $k
    openssl pkey -inform DER -in $k.pk8.der -pubout -outform DER -out $k.spki.der
    len=32
    [ $k = x448 ] && len=56
    tail -c $len $k.spki.der > $k.pub.bin
done

dgst_sign() { # key hash out [extra options]
    key=$1 hash=$2 out=$3
    shift 3
    openssl dgst -$hash -sign $key -keyform DER "$@" -out $out message.bin
}

for bits in 2048 4096; do
    k=rsa$bits
    for h in sha1 sha256 sha384 sha512; do
        dgst_sign $k.pk8.der $h $k.pkcs1-$h.sig
    done
    for h in sha256 sha384 sha512; do
        dgst_sign $k.pk8.der $h $k.pss-$h.sig \
            -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
    done
    openssl pkeyutl -sign -inkey $k.pk8.der -keyform DER -in md5sha1.bin -out $k.md5sha1.sig
done

for k in p256 p384; do
    for h in sha1 sha256 sha384; do
        dgst_sign $k.pk8.der $h $k.ecdsa-$h.sig
    done
done
dgst_sign p521.pk8.der sha512 p521.ecdsa-sha512.sig

openssl pkeyutl -sign -rawin -inkey ed25519.pk8.der -keyform DER -in message.bin -out ed25519.ed25519.sig

# Public keys of the RFC 8448 example keys, to check the RFC's own
# CertificateVerify signatures (vectors/rfc8448/transcripts.vec).
openssl rsa -in ../rfc8448/server_key.pem -RSAPublicKey_out -outform DER -out rfc8448-server-rsa.pub.der
openssl pkey -in ../rfc8448/client_raw_public_keypair.pem -pubout -outform DER | tail -c 65 > rfc8448-client-p256.pub.bin
