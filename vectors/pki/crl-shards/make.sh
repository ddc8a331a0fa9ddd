#!/bin/sh
# Generates CRLs sharded by distribution point, as a CA that splits its
# revocations over several CRLs publishes them (Let's Encrypt's CRL
# shards are of this shape), with the openssl CLI (3.0+):
#
#   sh vectors/pki/crl-shards/make.sh
#
# root -> int -> a (cRLDistributionPoints http://crl.test/a.crl, revoked
# for keyCompromise) and b (http://crl.test/b.crl, not revoked).
# a.crl.pem and b.crl.pem are int's shards: issuingDistributionPoint
# (critical) names the shard's URL and onlyContainsUserCerts, and each
# lists the revoked certificates of its own shard. root.crl.pem is
# root's CRL, for int. Output (committed): *.pem certificates and
# chains, *.crl.pem CRLs (the keys are deleted);
# tests/pki_revocation.rs says what each yields. Certificates run from
# 2025-01-01 to 2100-01-01; CRLs are current at 2030-01-01T00:00:00Z.
set -eu
cd "$(dirname "$0")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

START=20250101000000Z
END=21000101000000Z
CRL_THIS=20291201000000Z
CRL_NEXT=20300201000000Z

# ca DB: an `openssl ca` configuration over the index file DB.
ca() {
    touch "$WORK/$1.index"
    [ -f "$WORK/$1.crlnumber" ] || echo 1000 >"$WORK/$1.crlnumber"
    cat >"$WORK/$1.cnf" <<EOF
[ ca ]
default_ca = dflt
[ dflt ]
database = $WORK/$1.index
crlnumber = $WORK/$1.crlnumber
new_certs_dir = $WORK
serial = $WORK/serial
rand_serial = yes
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
crl_extensions = crl_ext
[ any ]
commonName = optional
[ crl_ext ]
authorityKeyIdentifier = keyid:always
[ shard_a ]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp_a
[ idp_a ]
fullname = URI:http://crl.test/a.crl
onlyuser = TRUE
[ shard_b ]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp_b
[ idp_b ]
fullname = URI:http://crl.test/b.crl
onlyuser = TRUE
EOF
    echo "$WORK/$1.cnf"
}

cat >"$WORK/ext.cnf" <<'EOF'
[ ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ leaf_a ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:shards.test
crlDistributionPoints = URI:http://crl.test/a.crl
[ leaf_b ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:shards.test
crlDistributionPoints = URI:http://crl.test/b.crl
EOF

# issue OUT SUBJECT ISSUER EXT DB: a new P-256 key OUT.key and
# certificate OUT.pem signed by ISSUER (or self-signed when ISSUER is
# "self"), recorded in the index DB.
issue() {
    openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"
    openssl req -new -key "$1.key" -subj "$2" -out "$WORK/req.csr"
    if [ "$3" = self ]; then
        signer="-selfsign -keyfile $1.key"
    else
        signer="-cert $3.pem -keyfile $3.key"
    fi
    # shellcheck disable=SC2086
    openssl ca -batch -config "$(ca "$5")" -notext -preserveDN $signer \
        -in "$WORK/req.csr" -out "$1.pem" -startdate $START -enddate $END \
        -extfile "$WORK/ext.cnf" -extensions "$4" 2>/dev/null
}

# gencrl OUT ISSUER DB [openssl ca options...]: a CRL by ISSUER over the
# index DB.
gencrl() {
    out=$1 issuer=$2 db=$3
    shift 3
    openssl ca -batch -config "$(ca "$db")" -gencrl -cert "$issuer.pem" -keyfile "$issuer.key" \
        -crl_lastupdate $CRL_THIS -crl_nextupdate $CRL_NEXT -out "$out" "$@" 2>/dev/null
}

issue root "/CN=shards root" self ca root
issue int "/CN=shards int" root ca root
issue a "/CN=shards.test" int leaf_a a
issue b "/CN=shards.test" int leaf_b b
cat a.pem int.pem >a-chain.pem
cat b.pem int.pem >b-chain.pem

openssl ca -config "$(ca a)" -cert int.pem -keyfile int.key -revoke a.pem \
    -crl_reason keyCompromise 2>/dev/null

gencrl a.crl.pem int a -crlexts shard_a
gencrl b.crl.pem int b -crlexts shard_b
gencrl root.crl.pem root root

rm -f ./*.key
