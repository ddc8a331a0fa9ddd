#!/bin/sh
# Generates the revocation test vectors (CRLs, OCSP responses) with the
# openssl CLI (3.0+), over a hierarchy of their own:
#
#   sh vectors/pki/revocation/make.sh
#
# root -> int -> good, revoked (keyCompromise) and the responders;
# root -> int2 (revoked by root, cACompromise) -> under-int2;
# root -> int -> shard-a (cRLDistributionPoints http://crl.test/a.crl,
# revoked for keyCompromise) and shard-b (http://crl.test/b.crl), whose
# CRLs int shards by distribution point, as a CA splitting its
# revocations over several CRLs publishes them (Let's Encrypt's CRL
# shards are of this shape); root -> int -> two revoked delegated OCSP
# responders, one with id-pkix-ocsp-nocheck, in a shard of their own
# (http://crl.test/responders.crl) that covers no leaf.
# Output (committed): *.pem certificates and chains, *.crl.pem / *.crl.der
# CRLs, *.ocsp.der OCSP responses (the keys are deleted). tests/pki_revocation.rs says what each
# yields. Certificates run from 2025-01-01 to 2100-01-01 and CRLs carry
# fixed thisUpdate/nextUpdate; the tests validate at 2030-01-01T00:00:00Z
# (UNIX 1893456000). `openssl ocsp` stamps a response with the time it is
# made (it has no option to set thisUpdate), so this script must run
# before 2029-12-31: the fresh responses last 100 years, the stale one
# 1 day. Keys are random: rerunning changes every file, and the tests
# still pass.
set -eu
cd "$(dirname "$0")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The URL of a CRL shard, which the leaf_shard and shard sections read
# (openssl expands it in every section it loads, so it is always set).
export SHARD_URL=http://crl.test/none.crl

START=20250101000000Z
END=21000101000000Z
# The CRLs' thisUpdate and nextUpdate around the test time (2030-01-01).
CRL_THIS=20291201000000Z
CRL_NEXT=20300201000000Z
# A CRL whose nextUpdate has passed by the test time.
STALE_NEXT=20291215000000Z

# The CRL extension sections of the shard and CA-only CRLs, beside the
# `ca` configuration ../ca_crl.sh writes.
CA_CRL_SECTIONS=$(cat <<'CNF'
[ crl_ca_only ]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp_ca_only
[ idp_ca_only ]
onlyCA = TRUE
[ shard ]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp_shard
[ idp_shard ]
fullname = URI:$ENV::SHARD_URL
onlyuser = TRUE
CNF
)
. ../ca_crl.sh

# What [ leaf ] and [ leaf_shard ] share (openssl configurations have no
# section inheritance).
LEAF_EXT='basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:revocation.test'
# What the delegated OCSP responders' sections share.
RESPONDER_EXT='basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always'
# The root and intermediate sections every generator shares, then this one's.
cat ../ca_sections.cnf - >"$WORK/ext.cnf" <<EOF
[ leaf ]
$LEAF_EXT
[ leaf_shard ]
$LEAF_EXT
crlDistributionPoints = URI:\$ENV::SHARD_URL
[ responder ]
$RESPONDER_EXT
[ responder_listed ]
$RESPONDER_EXT
crlDistributionPoints = URI:\$ENV::SHARD_URL
[ responder_listed_nocheck ]
$RESPONDER_EXT
crlDistributionPoints = URI:\$ENV::SHARD_URL
noCheck = ignored
[ responder_no_eku ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ crl_signer ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ crl_signer_no_crl_sign ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF

# issue OUT SUBJECT ISSUER EXT DB: a new P-256 key OUT.key and
# certificate OUT.pem signed by ISSUER (or self-signed when ISSUER is
# "self"), recorded in ISSUER's index DB.
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

# gencrl OUT ISSUER DB NEXT [openssl ca options...]: a CRL by ISSUER over
# the index DB, thisUpdate CRL_THIS, nextUpdate NEXT.
gencrl() {
    out=$1 issuer=$2 db=$3 next=$4
    shift 4
    openssl ca -batch -config "$(ca "$db")" -gencrl -cert "$issuer.pem" -keyfile "$issuer.key" \
        -crl_lastupdate $CRL_THIS -crl_nextupdate "$next" -out "$out" "$@" 2>/dev/null
}

# ocsp OUT CERT DB SIGNER DAYS [openssl ocsp options...]: a response for
# CERT (issued by int) from the index DB, signed by SIGNER.
ocsp() {
    out=$1 cert=$2 db=$3 signer=$4 days=$5
    shift 5
    openssl ocsp "$@" -issuer int.pem -cert "$cert.pem" -no_nonce -reqout "$WORK/req.der"
    openssl ocsp -index "$WORK/$db.index" -CA int.pem -rsigner "$signer.pem" -rkey "$signer.key" \
        -reqin "$WORK/req.der" -respout "$out" -ndays "$days" >/dev/null 2>&1
}

issue root "/CN=revocation root" self root root
issue int "/CN=revocation int" root int root
issue int2 "/CN=revocation int2" root int root
issue good "/CN=revocation.test" int leaf int
issue revoked "/CN=revocation.test" int leaf int
issue under-int2 "/CN=revocation.test" int2 leaf int2
# Each shard's certificates in an index of their own, so each shard's
# CRL lists only its own revocations.
for shard in a b; do
    SHARD_URL=http://crl.test/$shard.crl issue shard-$shard "/CN=revocation.test" int leaf_shard shard-$shard
done
issue responder "/CN=revocation responder" int responder int
issue responder-no-eku "/CN=revocation responder without EKU" int responder_no_eku int
# Two responders int revokes in their own shard, which lists no leaf.
RESPONDERS_URL=http://crl.test/responders.crl
SHARD_URL=$RESPONDERS_URL issue responder-revoked "/CN=revocation responder, revoked" \
    int responder_listed responders
SHARD_URL=$RESPONDERS_URL issue responder-revoked-nocheck \
    "/CN=revocation responder, revoked, no check" int responder_listed_nocheck responders
# A CA named like int with another key: its CRLs do not verify with int's.
issue impostor "/CN=revocation int" root int other
# Keys int delegated CRL signing to, under int's own name (RFC 5280
# §6.3.3 (f)), one with cRLSign and one without.
issue crl-signer "/CN=revocation int" int crl_signer int
issue crl-signer-no-crl-sign "/CN=revocation int" int crl_signer_no_crl_sign int

cat good.pem int.pem >good-chain.pem
cat revoked.pem int.pem >revoked-chain.pem
cat under-int2.pem int2.pem >under-int2-chain.pem
cat shard-a.pem int.pem >shard-a-chain.pem
cat shard-b.pem int.pem >shard-b-chain.pem

openssl ca -config "$(ca int)" -cert int.pem -keyfile int.key -revoke revoked.pem \
    -crl_reason keyCompromise 2>/dev/null
openssl ca -config "$(ca root)" -cert root.pem -keyfile root.key -revoke int2.pem \
    -crl_reason CACompromise 2>/dev/null
openssl ca -config "$(ca shard-a)" -cert int.pem -keyfile int.key -revoke shard-a.pem \
    -crl_reason keyCompromise 2>/dev/null
for responder in responder-revoked responder-revoked-nocheck; do
    openssl ca -config "$(ca responders)" -cert int.pem -keyfile int.key -revoke $responder.pem \
        -crl_reason keyCompromise 2>/dev/null
done
# The impostor's index lists revoked.pem too (it cannot sign for int).
cp "$WORK/int.index" "$WORK/other.index"

# CRLs: int's (revoked listed), root's (int2 listed), int's past its
# nextUpdate, one named int but signed by the impostor, and one by int
# scoped to CA certificates (issuingDistributionPoint onlyContainsCACerts)
# that lists revoked.pem, which is therefore outside its scope.
gencrl int.crl.pem int int $CRL_NEXT
openssl crl -in int.crl.pem -outform DER -out int.crl.der
gencrl root.crl.pem root root $CRL_NEXT
gencrl int-stale.crl.pem int int $STALE_NEXT
gencrl impostor.crl.pem impostor other $CRL_NEXT
gencrl int-ca-only.crl.pem int int $CRL_NEXT -crlexts crl_ca_only
# int's CRL signed by its delegated signers instead of int's key.
gencrl int-delegated.crl.pem crl-signer int $CRL_NEXT
gencrl int-delegated-no-crl-sign.crl.pem crl-signer-no-crl-sign int $CRL_NEXT
# int's two shards: issuingDistributionPoint (critical) names the
# shard's URL and onlyContainsUserCerts.
for shard in a b; do
    SHARD_URL=http://crl.test/$shard.crl gencrl int-shard-$shard.crl.pem int shard-$shard $CRL_NEXT -crlexts shard
done
SHARD_URL=$RESPONDERS_URL gencrl int-responders.crl.pem int responders $CRL_NEXT -crlexts shard

# OCSP responses: good (SHA-1 CertID, the default) and good with a
# SHA-256 CertID, revoked, unknown (int's responder knows nothing in
# an empty index), by a delegated responder with and without
# id-kp-OCSPSigning, by the two revoked responders, and past its
# nextUpdate.
touch "$WORK/empty.index"
ocsp good.ocsp.der good int int 36500
ocsp good-sha256.ocsp.der good int int 36500 -sha256
ocsp revoked.ocsp.der revoked int int 36500
ocsp unknown.ocsp.der good empty int 36500
ocsp delegated.ocsp.der good int responder 36500
ocsp delegated-no-eku.ocsp.der good int responder-no-eku 36500
ocsp delegated-revoked.ocsp.der good int responder-revoked 36500
ocsp delegated-revoked-nocheck.ocsp.der good int responder-revoked-nocheck 36500
ocsp stale.ocsp.der good int int 1

# The keys served only to sign.
rm -f ./*.key
