#!/bin/sh
# Generates the RSASSA-PSS key and certificate vectors (id-RSASSA-PSS keys,
# RFC 4055 §3.1; rsa_pss_pss_* of RFC 8446 §4.2.3) with the openssl CLI
# (3.0+):
#
#   sh vectors/pss/make.sh
#
# Output (committed), in this directory:
# - root.pem/key: a self-signed root with an RSA-PSS key without parameters;
# - int.pem/key: an intermediate whose RSA-PSS key is restricted to SHA-256
#   (parameters: SHA-256, MGF1-SHA-256, salt 32), signed by the root;
# - leaf.pem/key: a server+client leaf (DNS:leaf.pss.test) with an
#   unrestricted RSA-PSS key, signed by the intermediate; chain.pem is
#   leaf + int;
# - leaf384.pem/key: a leaf (DNS:leaf384.pss.test) whose key is restricted
#   to SHA-384 (salt 48); chain384.pem is leaf384 + int;
# - rsae-leaf.pem/key: an rsaEncryption leaf (DNS:rsae.pss.test) signed by
#   the PSS intermediate; rsae-chain.pem is rsae-leaf + int;
# - message.bin and leaf.pss-sha{256,384,512}.sig, leaf384.pss-sha384.sig:
#   RSASSA-PSS signatures (MGF1 over the same hash, salt = hash length) of
#   message.bin made by `openssl pkeyutl`, and leaf.spki.der, leaf384.spki.der.
# Every key is PKCS#8 PEM exactly as `openssl genpkey -algorithm RSA-PSS`
# writes it. Validity: 2025-01-01 to 2100-01-01. Every signature in a
# certificate is RSASSA-PSS with the salt as long as the hash. Keys are
# random: rerunning the script changes every file, and the tests still pass.
set -eu
cd "$(dirname "$0")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
. ../pki/ca.sh

# The root and intermediate sections every generator shares, then this one's.
cat ../pki/ca_sections.cnf - >"$WORK/ext.cnf" <<'CNF'
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = ${ENV::SAN}
CNF
# The leaf section reads its subjectAltName from $SAN.
SAN=DNS:unused.test
export SAN

# sign OUT KEY SUBJECT ISSUER EXT: OUT.pem for KEY.key, by ISSUER (or "self"),
# with RSASSA-PSS SHA-256, MGF1-SHA-256, salt 32.
sign() {
    openssl req -new -key "$2.key" -subj "$3" -out "$WORK/req.csr"
    if [ "$4" = self ]; then signer="-selfsign -keyfile $2.key"
    else signer="-cert $4.pem -keyfile $4.key"; fi
    # shellcheck disable=SC2086
    openssl ca -batch -config "$WORK/ca.cnf" -notext -preserveDN $signer -in "$WORK/req.csr" \
        -out "$1.pem" -startdate 20250101000000Z -enddate 21000101000000Z \
        -extfile "$WORK/ext.cnf" -extensions "$5" -md sha256 \
        -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -sigopt rsa_mgf1_md:sha256
}

openssl genpkey -quiet -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out root.key
openssl genpkey -quiet -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 \
    -pkeyopt rsa_pss_keygen_md:sha256 -pkeyopt rsa_pss_keygen_mgf1_md:sha256 \
    -pkeyopt rsa_pss_keygen_saltlen:32 -out int.key
openssl genpkey -quiet -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out leaf.key
openssl genpkey -quiet -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 \
    -pkeyopt rsa_pss_keygen_md:sha384 -pkeyopt rsa_pss_keygen_mgf1_md:sha384 \
    -pkeyopt rsa_pss_keygen_saltlen:48 -out leaf384.key
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsae-leaf.key

sign root root "/O=ferrotls tests/CN=pss root" self root
sign int int "/O=ferrotls tests/CN=pss intermediate" root int
SAN=DNS:leaf.pss.test sign leaf leaf "/CN=leaf.pss.test" int leaf
SAN=DNS:leaf384.pss.test sign leaf384 leaf384 "/CN=leaf384.pss.test" int leaf
SAN=DNS:rsae.pss.test sign rsae-leaf rsae-leaf "/CN=rsae.pss.test" int leaf
cat leaf.pem int.pem >chain.pem
cat leaf384.pem int.pem >chain384.pem
cat rsae-leaf.pem int.pem >rsae-chain.pem

openssl pkey -in leaf.key -pubout -outform DER -out leaf.spki.der
openssl pkey -in leaf384.key -pubout -outform DER -out leaf384.spki.der
printf 'ferrotls RSASSA-PSS vector message\n' >message.bin
for h in sha256 sha384 sha512; do
    openssl pkeyutl -sign -rawin -digest $h -inkey leaf.key -in message.bin -out leaf.pss-$h.sig \
        -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:digest -pkeyopt rsa_mgf1_md:$h
done
openssl pkeyutl -sign -rawin -digest sha384 -inkey leaf384.key -in message.bin -out leaf384.pss-sha384.sig \
    -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:digest -pkeyopt rsa_mgf1_md:sha384
