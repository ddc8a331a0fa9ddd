#!/bin/sh
# Generates the certificate-policy vectors (RFC 5280 §4.2.1.4, §4.2.1.5,
# §4.2.1.11, §4.2.1.14 and the policy processing of §6.1) with the openssl
# CLI (3.0+); vectors/pki/make.sh runs it, or run it alone:
#
#   sh vectors/pki/policy/make.sh
#
# Output (committed): root.pem, and one chain per case, NAME-chain.pem (leaf
# first). tests/pki_policy.rs says what each must yield with which inputs
# and checks `openssl verify -policy_check` agrees. P1, P2 and P3 are OIDs
# under the example arc 1.3.6.1.4.1.32473 (RFC 5612). Validity runs from
# 2025 to 2100 as in the parent directory; keys are random.
set -eu
cd "$(dirname "$0")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
START=20250101000000Z
END=21000101000000Z
P1=1.3.6.1.4.1.32473.1
P2=1.3.6.1.4.1.32473.2
P3=1.3.6.1.4.1.32473.3
ANY=2.5.29.32.0

. ../ca.sh

# Each CA section adds its policy extensions to the CA basics; each leaf
# section to the leaf basics.
CA='basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always'
LEAF='basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:policy.test'
cat >"$WORK/ext.cnf" <<EOF
[ root ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ ca_p1 ]
$CA
certificatePolicies = $P1
[ ca_p1_explicit ]
$CA
certificatePolicies = $P1
policyConstraints = critical,requireExplicitPolicy:0
[ ca_any_explicit ]
$CA
certificatePolicies = $ANY
policyConstraints = critical,requireExplicitPolicy:0
[ ca_any_inhibit_any ]
$CA
certificatePolicies = $ANY
policyConstraints = critical,requireExplicitPolicy:0
inhibitAnyPolicy = critical,0
[ ca_map ]
$CA
certificatePolicies = $P1
policyMappings = critical,$P1:$P2,$P1:$P3
policyConstraints = critical,requireExplicitPolicy:0
[ leaf_p1 ]
$LEAF
certificatePolicies = $P1
[ leaf_p2 ]
$LEAF
certificatePolicies = $P2
[ leaf_any ]
$LEAF
certificatePolicies = $ANY
[ leaf_none ]
$LEAF
EOF

key() { openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/$1.key"; }

# issue OUT KEY SUBJECT ISSUER EXT: OUT.pem signed by ISSUER ("self" for
# the root).
issue() {
    openssl req -new -key "$WORK/$2.key" -subj "$3" -out "$WORK/req.csr"
    if [ "$4" = self ]; then
        signer="-selfsign -keyfile $WORK/$2.key"
    else
        signer="-cert $WORK/$4.pem -keyfile $WORK/$4.key"
    fi
    # shellcheck disable=SC2086
    openssl ca -batch -config "$WORK/ca.cnf" -notext -preserveDN $signer \
        -in "$WORK/req.csr" -out "$WORK/$1.pem" -startdate $START -enddate $END \
        -extfile "$WORK/ext.cnf" -extensions "$5" 2>/dev/null
}

key root
issue root root "/CN=policy root" self root
cp "$WORK/root.pem" root.pem
key leaf
for ca in ca_p1 ca_p1_explicit ca_any_explicit ca_any_inhibit_any ca_map; do
    key $ca
    issue $ca $ca "/CN=$ca" root $ca
    for leaf in leaf_p1 leaf_p2 leaf_any leaf_none; do
        issue "$ca-$leaf" leaf "/CN=policy.test" $ca $leaf
        name=$(echo "${ca#ca_}-${leaf#leaf_}" | tr _ -)
        cat "$WORK/$ca-$leaf.pem" "$WORK/$ca.pem" >"$name-chain.pem"
    done
done
