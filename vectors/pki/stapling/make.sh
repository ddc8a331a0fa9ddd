#!/bin/sh
# OCSP stapling vectors: root -> int -> two P-256 leaves for
# stapling.test (good, and revoked with keyCompromise), their keys (the
# server staples for them in tests), and OCSP responses signed by int:
# good and revoked (nextUpdate in 2125), and good past its nextUpdate
# (1 day). Certificates are valid 2025-01-01 to 2100-01-01; tests
# validate at 2030-01-01.
set -eu
cd "$(dirname "$0")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cat >"$WORK/ca.cnf" <<EOF
[ ca ]
default_ca = dflt
[ dflt ]
database = $WORK/index
new_certs_dir = $WORK
serial = $WORK/serial
rand_serial = yes
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = optional
EOF
touch "$WORK/index"

# The root and intermediate sections every generator shares, then this one's.
cat ../ca_sections.cnf - >"$WORK/ext.cnf" <<'EOF'
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:stapling.test
EOF

# issue NAME SUBJECT ISSUER|self EXTENSIONS
issue() {
    openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"
    openssl req -new -key "$1.key" -subj "$2" -out "$WORK/req.csr"
    if [ "$3" = self ]; then
        signer="-selfsign -keyfile $1.key"
    else
        signer="-cert $3.pem -keyfile $3.key"
    fi
    # shellcheck disable=SC2086
    openssl ca -batch -config "$WORK/ca.cnf" -notext -preserveDN $signer \
        -in "$WORK/req.csr" -out "$1.pem" -startdate 20250101000000Z \
        -enddate 21000101000000Z -extfile "$WORK/ext.cnf" -extensions "$4" 2>/dev/null
}

issue root "/CN=stapling root" self root
issue int "/CN=stapling int" root int
issue good "/CN=stapling.test" int leaf
issue revoked "/CN=stapling.test" int leaf
cat good.pem int.pem >good-chain.pem
cat revoked.pem int.pem >revoked-chain.pem
openssl ca -config "$WORK/ca.cnf" -cert int.pem -keyfile int.key -revoke revoked.pem \
    -crl_reason keyCompromise 2>/dev/null

# ocsp OUT CERT DAYS: int's answer about CERT.
ocsp() {
    openssl ocsp -issuer int.pem -cert "$2.pem" -no_nonce -reqout "$WORK/req.der"
    openssl ocsp -index "$WORK/index" -CA int.pem -rsigner int.pem -rkey int.key \
        -reqin "$WORK/req.der" -respout "$1" -ndays "$3" >/dev/null 2>&1
}
ocsp good.ocsp.der good 36500
ocsp revoked.ocsp.der revoked 36500
ocsp stale.ocsp.der good 1

# Only the leaves' keys are kept: the servers of the tests sign with them.
rm -f root.key int.key
