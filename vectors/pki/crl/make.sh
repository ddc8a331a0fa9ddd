#!/bin/sh
# CRL vectors for TLS tests, made with the openssl CLI (3.0+):
#
#   sh vectors/pki/crl/make.sh
#
# root -> int -> two P-256 leaves for crl.test, usable as server and as
# client certificates: good, and revoked (keyCompromise); their keys are
# kept, since the tests' servers and clients sign with them. Output
# (committed): root.pem, int.pem, {good,revoked}{,-chain}.pem and .key,
# int's CRL listing revoked (int.crl.pem, and the same CRL as DER in
# int.crl.der) and root's CRL listing nothing (root.crl.pem), which
# covers int.
#
# Unlike vectors/pki/revocation, whose CRLs are current only around the
# test time those tests set (2030-01-01), these serve tests that run at
# the system's time (the C library's): certificates and CRLs are current
# from 2025-01-01 to 2100-01-01. Keys are random: rerunning changes every
# file, and the tests still pass.
set -eu
cd "$(dirname "$0")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

START=20250101000000Z
END=21000101000000Z

. ../ca_crl.sh

# The root and intermediate sections every generator shares, then this one's.
cat ../ca_sections.cnf - >"$WORK/ext.cnf" <<'CNF'
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:crl.test
CNF

# issue NAME SUBJECT ISSUER|self EXTENSIONS: a new P-256 key NAME.key and
# certificate NAME.pem signed by ISSUER, recorded in ISSUER's index.
issue() {
    openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"
    openssl req -new -key "$1.key" -subj "$2" -out "$WORK/req.csr"
    if [ "$3" = self ]; then
        signer="-selfsign -keyfile $1.key"
        db=$1
    else
        signer="-cert $3.pem -keyfile $3.key"
        db=$3
    fi
    # shellcheck disable=SC2086
    openssl ca -batch -config "$(ca "$db")" -notext -preserveDN $signer \
        -in "$WORK/req.csr" -out "$1.pem" -startdate $START -enddate $END \
        -extfile "$WORK/ext.cnf" -extensions "$4" 2>/dev/null
}

issue root "/CN=crl root" self root
issue int "/CN=crl int" root int
issue good "/CN=crl.test" int leaf
issue revoked "/CN=crl.test" int leaf
cat good.pem int.pem >good-chain.pem
cat revoked.pem int.pem >revoked-chain.pem

openssl ca -config "$(ca int)" -cert int.pem -keyfile int.key -revoke revoked.pem \
    -crl_reason keyCompromise 2>/dev/null

# gencrl OUT ISSUER: ISSUER's CRL over its index, current from START to END.
gencrl() {
    openssl ca -batch -config "$(ca "$2")" -gencrl -cert "$2.pem" -keyfile "$2.key" \
        -crl_lastupdate $START -crl_nextupdate $END -out "$1" 2>/dev/null
}
gencrl int.crl.pem int
openssl crl -in int.crl.pem -outform DER -out int.crl.der
gencrl root.crl.pem root

# Only the leaves' keys are kept: the tests sign with them.
rm -f root.key int.key
