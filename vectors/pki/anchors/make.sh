#!/bin/sh
# Generates the trust-anchor vectors (the rules docs/pki.md lists for a
# certificate held as a trust anchor) with the openssl CLI (3.0+): one
# root per rule, self-signed with `openssl req -x509` so that its
# extensions, serial and key are exactly as written, and a P-256 leaf it
# issues. vectors/pki/make.sh runs this; it also runs alone:
#
#   sh vectors/pki/anchors/make.sh
#
# Output (committed): NAME-root.pem and NAME-leaf.pem per case; the cases
# are in ../cases.txt. Roots are valid for 100 years from the day the
# script runs, leaves from 2025 to 2100; the tests validate in 2030.
set -eu
cd "$(dirname "$0")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
. ../ca.sh

CA='basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash'
cat >"$WORK/root.cnf" <<EOF
[ req ]
distinguished_name = dn
[ dn ]
[ good ]
$CA
[ no_bc ]
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ ca_false ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
[ bc_not_critical ]
basicConstraints = CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ no_ski ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = none
authorityKeyIdentifier = none
[ aki_issuer_serial ]
$CA
authorityKeyIdentifier = keyid:always,issuer:always
[ aki_mismatch ]
$CA
2.5.29.35 = DER:30:06:80:04:01:02:03:04
[ eku ]
$CA
extendedKeyUsage = serverAuth
[ unknown_critical ]
$CA
1.3.6.1.4.1.32473.99 = critical,DER:05:00
EOF
cat >"$WORK/leaf.cnf" <<'EOF'
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
subjectAltName = DNS:anchor.test
EOF

openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/p256.key"
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$WORK/rsa1024.key"
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2052 -out "$WORK/rsa2052.key"
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-192 -out "$WORK/p192.key"
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -pkeyopt ec_param_enc:explicit -out "$WORK/explicit.key"
openssl genpkey -quiet -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 \
    -out "$WORK/dsa.param"
openssl genpkey -quiet -paramfile "$WORK/dsa.param" -out "$WORK/dsa.key"
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/leaf.key"

# case_root NAME KEY EXTENSIONS SERIAL: NAME-root.pem and the leaf it
# issues, NAME-leaf.pem.
case_root() {
    openssl req -x509 -new -config "$WORK/root.cnf" -extensions "$3" -key "$WORK/$2.key" \
        -subj "/CN=$1 root" -set_serial "$4" -days 36500 -sha256 -out "$1-root.pem"
    openssl req -new -key "$WORK/leaf.key" -subj "/CN=anchor.test" -out "$WORK/req.csr"
    openssl ca -batch -config "$WORK/ca.cnf" -notext -preserveDN -md sha256 \
        -cert "$1-root.pem" -keyfile "$WORK/$2.key" -in "$WORK/req.csr" -out "$1-leaf.pem" \
        -startdate 20250101000000Z -enddate 21000101000000Z \
        -extfile "$WORK/leaf.cnf" -extensions leaf 2>/dev/null
}

case_root good p256 good 4660
case_root no-bc p256 no_bc 4660
case_root ca-false p256 ca_false 4660
case_root bc-not-critical p256 bc_not_critical 4660
case_root no-ski p256 no_ski 4660
case_root aki-issuer-serial p256 aki_issuer_serial 4660
case_root aki-mismatch p256 aki_mismatch 4660
case_root eku p256 eku 4660
case_root unknown-critical p256 unknown_critical 4660
case_root serial-zero p256 good 0
case_root serial-negative p256 good -5
case_root rsa1024 rsa1024 good 4660
case_root rsa2052 rsa2052 good 4660
case_root p192 p192 good 4660
case_root explicit-curve explicit good 4660
case_root dsa dsa good 4660
