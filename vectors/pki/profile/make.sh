#!/bin/sh
# Generates the profile vectors (rules that differ between the rfc5280 and
# webpki profiles, docs/pki.md) with the openssl CLI (3.0+): P-256 leaves
# issued by the committed ../p256-int.pem with ../p256-int.key, so this
# runs alone without regenerating the parent directory; vectors/pki/make.sh
# runs it last.
#
#   sh vectors/pki/profile/make.sh
#
# Output (committed): NAME-chain.pem (leaf, then p256-int). The cases are
# in ../cases.txt. Validity runs from 2025 to 2100; keys are random.
set -eu
cd "$(dirname "$0")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
. ../ca.sh

BASE='basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always'
cat >"$WORK/ext.cnf" <<EOF
[ no_eku ]
$BASE
subjectAltName = DNS:no-eku.test
[ any_eku ]
$BASE
extendedKeyUsage = anyExtendedKeyUsage
subjectAltName = DNS:any-eku.test
[ san_critical ]
$BASE
extendedKeyUsage = serverAuth
subjectAltName = critical,DNS:san-critical.test
[ cn_ip6 ]
$BASE
extendedKeyUsage = serverAuth
subjectAltName = IP:2001:db8::1
[ cn_copy ]
$BASE
extendedKeyUsage = serverAuth
subjectAltName = DNS:cn-case.test
[ under_pathlen0 ]
$BASE
extendedKeyUsage = serverAuth
subjectAltName = DNS:under-pathlen0.test
[ aia ]
$BASE
extendedKeyUsage = serverAuth
subjectAltName = DNS:aia.test
authorityInfoAccess = caIssuers;URI:http://ca.test/int.der,OCSP;URI:http://ocsp.ca.test
[ aia_critical ]
$BASE
extendedKeyUsage = serverAuth
subjectAltName = DNS:aia-critical.test
authorityInfoAccess = critical,caIssuers;URI:http://ca.test/int.der
[ aia_malformed ]
$BASE
extendedKeyUsage = serverAuth
subjectAltName = DNS:aia-malformed.test
1.3.6.1.5.5.7.1.1 = DER:30:0D:30:0B:06:03:2B:06:01:16:04:68:74:74:70
EOF

openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/leaf.key"
for ext in no_eku any_eku san_critical aia aia_critical aia_malformed; do
    name=$(echo $ext | tr _ -)
    openssl req -new -key "$WORK/leaf.key" -subj "/CN=$name.test" -out "$WORK/req.csr"
    openssl ca -batch -config "$WORK/ca.cnf" -notext -preserveDN \
        -cert ../p256-int.pem -keyfile ../p256-int.key -in "$WORK/req.csr" \
        -out "$WORK/$name.pem" -startdate 20250101000000Z -enddate 21000101000000Z \
        -extfile "$WORK/ext.cnf" -extensions "$ext" 2>/dev/null
    cat "$WORK/$name.pem" ../p256-int.pem >"$name-chain.pem"
done

# Common names against the subjectAltName (BR §7.1.4.3): an IPv6 address
# in its RFC 5952 text and in another, a name in another case, two names.
for c in "cn-ip6 cn_ip6 /CN=2001:db8::1" "cn-ip6-long cn_ip6 /CN=2001:0db8:0:0:0:0:0:1" \
    "cn-case cn_copy /CN=CN-Case.test" "cn-two cn_copy /CN=cn-case.test/CN=cn-case.test"; do
    set -- $c
    openssl req -new -key "$WORK/leaf.key" -subj "$3" -out "$WORK/req.csr"
    openssl ca -batch -config "$WORK/ca.cnf" -notext -preserveDN \
        -cert ../p256-int.pem -keyfile ../p256-int.key -in "$WORK/req.csr" \
        -out "$WORK/$1.pem" -startdate 20250101000000Z -enddate 21000101000000Z \
        -extfile "$WORK/ext.cnf" -extensions "$2" 2>/dev/null
    cat "$WORK/$1.pem" ../p256-int.pem >"$1-chain.pem"
done

# A leaf issued directly by ../pathlen0.pem (pathLenConstraint 0): the
# constraint counts intermediates below the CA, never the leaf (RFC 5280
# §4.2.1.9, §6.1.4 (m)).
openssl req -new -key "$WORK/leaf.key" -subj "/CN=under-pathlen0.test" -out "$WORK/req.csr"
openssl ca -batch -config "$WORK/ca.cnf" -notext -preserveDN \
    -cert ../pathlen0.pem -keyfile ../pathlen0.key -in "$WORK/req.csr" \
    -out "$WORK/under-pathlen0.pem" -startdate 20250101000000Z -enddate 21000101000000Z \
    -extfile "$WORK/ext.cnf" -extensions under_pathlen0 2>/dev/null
cat "$WORK/under-pathlen0.pem" ../pathlen0.pem >under-pathlen0-chain.pem
