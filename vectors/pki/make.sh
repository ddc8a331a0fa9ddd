#!/bin/sh
# Generates the ferrotls PKI test hierarchy with the openssl CLI (3.0+).
#
#   sh vectors/pki/make.sh
#
# Output (committed): *.pem certificates and chains, *.key private keys, in
# this directory. cases.txt (hand-written, not generated) says what each
# chain must yield. Validity windows are fixed: normal certificates run from
# 2025-01-01 to 2100-01-01; the tests validate at 2030-01-01T00:00:00Z
# (UNIX 1893456000), so they keep passing for decades. Keys are random:
# rerunning the script changes every file, and the tests still pass.
set -eu
cd "$(dirname "$0")"
OUT=$(pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The leaf extension sections read the subjectAltName from $SAN; each
# issue call sets it.
SAN=DNS:unused.test
export SAN

START=20250101000000Z
END=21000101000000Z

. ./ca.sh

# The root and intermediate sections every generator shares, then this one's.
cat ca_sections.cnf - >"$WORK/ext.cnf" <<'EOF'
[ int_pathlen0 ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ int_not_ca ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ int_client_only ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ int_nc_dns ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
nameConstraints = critical,permitted;DNS:allowed.test,excluded;DNS:secret.allowed.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ int_nc_ip ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
nameConstraints = critical,permitted;IP:10.0.0.0/255.0.0.0
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ mesh_bootstrap ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = 0102030405060708090a0b0c0d0e0f1011121314
[ mesh ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = 0102030405060708090a0b0c0d0e0f1011121314
authorityKeyIdentifier = keyid:always
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = ${ENV::SAN}
[ leaf_client_only ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = ${ENV::SAN}
[ leaf_no_san ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ leaf_critical_unknown ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = ${ENV::SAN}
1.3.6.1.4.1.55555.1 = critical,DER:05:00
[ leaf_no_aki ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = none
subjectAltName = ${ENV::SAN}
[ leaf_aki_by_name ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = issuer:always
subjectAltName = ${ENV::SAN}
[ leaf_policy_critical ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
certificatePolicies = critical,2.23.140.1.2.1
subjectAltName = ${ENV::SAN}
[ leaf_name_constraints ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
nameConstraints = critical,permitted;DNS:ee-nc.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = ${ENV::SAN}
[ leaf_aki_critical ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = critical,keyid:always
subjectAltName = ${ENV::SAN}
[ leaf_ski_critical ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = critical,hash
authorityKeyIdentifier = keyid:always
subjectAltName = ${ENV::SAN}
[ leaf_cert_sign ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyCertSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = ${ENV::SAN}
[ int_no_ski ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = none
authorityKeyIdentifier = keyid:always
[ int_bc_not_critical ]
basicConstraints = CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ int_nc_not_critical ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
nameConstraints = permitted;DNS:allowed.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ leaf_self_signed ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = ${ENV::SAN}
EOF

# newkey NAME ALG: a fresh private key in PKCS#8 PEM.
newkey() {
    case $2 in
    rsa2048) openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" ;;
    p256) openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" ;;
    p384) openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$1.key" ;;
    p521) openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out "$1.key" ;;
    ed25519) openssl genpkey -quiet -algorithm ED25519 -out "$1.key" ;;
    esac
}

# issue OUT KEY SUBJECT ISSUER EXT [START END [openssl ca options...]]
# Issues certificate OUT.pem for key KEY.key, signed by ISSUER.pem with
# ISSUER.key (ISSUER given as CERT:KEY when the key file is named apart),
# or self-signed when ISSUER is "self".
issue() {
    out=$1 key=$2 subj=$3 issuer=$4 ext=$5
    shift 5
    from=$START to=$END
    if [ $# -ge 2 ]; then from=$1 to=$2; shift 2; fi
    openssl req -new -key "$key.key" -subj "$subj" -out "$WORK/req.csr"
    if [ "$issuer" = self ]; then
        signer="-selfsign -keyfile $key.key"
    else
        signer="-cert ${issuer%%:*}.pem -keyfile ${issuer#*:}.key"
    fi
    # shellcheck disable=SC2086
    openssl ca -batch -config "$WORK/ca.cnf" -notext -preserveDN \
        $signer -in "$WORK/req.csr" -out "$out.pem" -startdate "$from" -enddate "$to" \
        -extfile "$WORK/ext.cnf" -extensions "$ext" "$@"
}

# One CA -> intermediate -> leaf hierarchy per key type.
for alg in rsa2048 p256 p384 p521 ed25519; do
    md=
    [ $alg = p384 ] && md="-md sha384"
    [ $alg = p521 ] && md="-md sha512"
    newkey $alg-root $alg
    newkey $alg-int $alg
    newkey $alg-leaf $alg
    # shellcheck disable=SC2086
    issue $alg-root $alg-root "/O=ferrotls tests/CN=$alg root" self root $START $END $md
    # shellcheck disable=SC2086
    issue $alg-int $alg-int "/O=ferrotls tests/CN=$alg intermediate" $alg-root int $START $END $md
    # shellcheck disable=SC2086
    SAN="DNS:leaf.$alg.test" issue $alg-leaf $alg-leaf "/CN=leaf.$alg.test" $alg-int leaf $START $END $md
    cat $alg-leaf.pem $alg-int.pem >$alg-chain.pem
done

# Other key encodings of the leaf keys, for key loading.
openssl pkey -in rsa2048-leaf.key -traditional -out rsa2048-leaf.pkcs1.key
openssl pkey -in p256-leaf.key -traditional -out p256-leaf.sec1.key
openssl pkey -in p384-leaf.key -traditional -out p384-leaf.sec1.key
openssl pkey -in p521-leaf.key -traditional -out p521-leaf.sec1.key
# The P-256 leaf, its key (PKCS#8, SEC1) and its public key in DER, for
# the loaders that take PEM or DER files (OpenSSL's SSL_FILETYPE_ASN1).
openssl x509 -in p256-leaf.pem -outform DER -out p256-leaf.der
openssl pkcs8 -topk8 -nocrypt -in p256-leaf.key -outform DER -out p256-leaf.key.der
openssl ec -in p256-leaf.key -outform DER -out p256-leaf.sec1.der
openssl pkey -in p256-leaf.key -pubout -outform DER -out p256-leaf.spki.der
# Its SHA-256, the pin HPKP, curl's sha256// and --pin-spki sha256: name.
openssl dgst -sha256 -binary p256-leaf.spki.der >p256-leaf.spki.sha256
openssl rsa -in rsa2048-leaf.key -traditional -outform DER -out rsa2048-leaf.pkcs1.der

# leafcase NAME EXT SAN [START END [options]]: a P-256 leaf under p256-int,
# with its chain NAME-chain.pem.
leafcase() {
    name=$1 ext=$2 san=$3
    shift 3
    SAN=$san issue $name p256-leaf "/CN=$name.test" p256-int $ext "$@"
    cat $name.pem p256-int.pem >$name-chain.pem
}

# RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32) from the RSA intermediate.
SAN=DNS:pss.rsa2048.test issue rsa2048-pss rsa2048-leaf "/CN=pss.rsa2048.test" rsa2048-int leaf \
    $START $END -md sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
cat rsa2048-pss.pem rsa2048-int.pem >rsa2048-pss-chain.pem
# The other RSA hashes: PKCS#1 v1.5 with SHA-384 and SHA-512, PSS with
# SHA-512 (salt 64).
for c in "sha384 -md sha384" "sha512 -md sha512" \
    "pss-sha512 -md sha512 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest"; do
    set -- $c
    name=$1
    shift
    SAN=DNS:$name.rsa2048.test issue rsa2048-$name rsa2048-leaf "/CN=$name.rsa2048.test" rsa2048-int leaf \
        $START $END "$@"
    cat rsa2048-$name.pem rsa2048-int.pem >rsa2048-$name-chain.pem
done
# SHA-1 signature: refused.
leafcase sha1 leaf DNS:sha1.test $START $END -md sha1

leafcase expired leaf DNS:expired.test 20250101000000Z 20280101000000Z
leafcase not-yet-valid leaf DNS:future.test 20400101000000Z $END
leafcase wildcard leaf "DNS:*.wild.test"
leafcase wildcard-suffix leaf "DNS:*.test"
leafcase wildcard-partial leaf "DNS:f*.part.test"
leafcase mixed-case leaf "DNS:MiXeD.CaSe.test"
leafcase ip leaf "DNS:ip.test,IP:192.0.2.7,IP:2001:db8::7"
leafcase cn-only leaf_no_san DNS:unused.test
leafcase client-only leaf_client_only DNS:client.test
leafcase critical-unknown leaf_critical_unknown DNS:critical.test
SAN=DNS:self.test issue self-signed p256-leaf "/CN=self.test" self leaf_self_signed

# Mis-issued end entities (RFC 5280 / baseline-requirement violations).
leafcase underscore leaf DNS:a_b.underscore.test
leafcase no-aki leaf_no_aki DNS:no-aki.test
leafcase policy-critical leaf_policy_critical DNS:policy.test
leafcase ee-name-constraints leaf_name_constraints DNS:ee-nc.test
leafcase aki-critical leaf_aki_critical DNS:aki-critical.test
leafcase ski-critical leaf_ski_critical DNS:ski-critical.test
leafcase ee-cert-sign leaf_cert_sign DNS:ee-cert-sign.test
SAN=DNS:empty-subject.test issue empty-subject p256-leaf "/" p256-int leaf
cat empty-subject.pem p256-int.pem >empty-subject-chain.pem
# Serial number 0 (openssl ca picks serials itself, so openssl x509 signs
# this one; its validity runs 100 years from the day the script runs).
openssl req -new -key p256-leaf.key -subj "/CN=serial-zero.test" -out "$WORK/req.csr"
SAN=DNS:serial-zero.test openssl x509 -req -in "$WORK/req.csr" -CA p256-int.pem -CAkey p256-int.key \
    -set_serial 0 -days 36500 -extfile "$WORK/ext.cnf" -extensions leaf -out serial-zero.pem 2>/dev/null
cat serial-zero.pem p256-int.pem >serial-zero-chain.pem

# Mis-issued intermediates.
# (Below the CA without a subjectKeyIdentifier, the leaf's
# authorityKeyIdentifier names the issuer instead.)
for c in "no-ski int_no_ski leaf_aki_by_name" "bc-not-critical int_bc_not_critical leaf" \
    "nc-not-critical int_nc_not_critical leaf"; do
    set -- $c
    newkey $1 p256
    issue $1 $1 "/CN=$1 CA" p256-root $2
    SAN=DNS:host.allowed.test issue under-$1 p256-leaf "/CN=under-$1.test" $1 $3
    cat under-$1.pem $1.pem >$1-chain.pem
done

# Bad signature: the last octet of the RSA leaf's signature flipped.
openssl x509 -in rsa2048-leaf.pem -outform DER -out "$WORK/leaf.der"
size=$(wc -c <"$WORK/leaf.der")
last=$(od -An -tu1 -j $((size - 1)) "$WORK/leaf.der" | tr -d ' ')
head -c $((size - 1)) "$WORK/leaf.der" >"$WORK/bad.der"
printf "\\$(printf %o $((last ^ 1)))" >>"$WORK/bad.der"
openssl x509 -inform DER -in "$WORK/bad.der" -out bad-signature.pem
cat bad-signature.pem rsa2048-int.pem >bad-signature-chain.pem

# An intermediate without cA.
newkey not-ca p256
issue not-ca not-ca "/CN=not a CA" p256-root int_not_ca
SAN=DNS:under-not-ca.test issue under-not-ca p256-leaf "/CN=under-not-ca.test" not-ca leaf
cat under-not-ca.pem not-ca.pem >not-ca-chain.pem

# pathlen:0 exceeded: root -> pathlen0 -> int2 -> leaf.
newkey pathlen0 p256
newkey pathlen0-sub p256
issue pathlen0 pathlen0 "/CN=pathlen 0" p256-root int_pathlen0
issue pathlen0-sub pathlen0-sub "/CN=below pathlen 0" pathlen0 int
SAN=DNS:pathlen.test issue pathlen-leaf p256-leaf "/CN=pathlen.test" pathlen0-sub leaf
cat pathlen-leaf.pem pathlen0-sub.pem pathlen0.pem >pathlen-chain.pem

# An intermediate limited to clientAuth.
newkey client-ca p256
issue client-ca client-ca "/CN=clientAuth CA" p256-root int_client_only
SAN=DNS:under-client-ca.test issue under-client-ca p256-leaf "/CN=under-client-ca.test" client-ca leaf
cat under-client-ca.pem client-ca.pem >client-ca-chain.pem

# Name constraints: DNS (permitted allowed.test, excluded
# secret.allowed.test) and IP (permitted 10.0.0.0/8).
newkey nc-dns p256
newkey nc-ip p256
issue nc-dns nc-dns "/CN=DNS constrained" p256-root int_nc_dns
issue nc-ip nc-ip "/CN=IP constrained" p256-root int_nc_ip
for c in "nc-dns-ok DNS:host.allowed.test" "nc-dns-outside DNS:host.other.test" \
    "nc-dns-excluded DNS:host.secret.allowed.test" "nc-dns-wildcard DNS:*.allowed.test"; do
    set -- $c
    SAN=$2 issue $1 p256-leaf "/CN=$1.test" nc-dns leaf
    cat $1.pem nc-dns.pem >$1-chain.pem
done
for c in "nc-ip-ok IP:10.1.2.3" "nc-ip-outside IP:192.168.1.1"; do
    set -- $c
    SAN=$2 issue $1 p256-leaf "/CN=$1.test" nc-ip leaf
    cat $1.pem nc-ip.pem >$1-chain.pem
done

# Leaves for a bare trust anchor (subject and key of p256-root, with
# name constraints permitting example.com, made by the tests).
for name in inside:a.example.com outside:a.example.org; do
    SAN=DNS:${name#*:} issue bare-nc-${name%%:*} p256-leaf "/CN=${name#*:}" p256-int leaf
    cat bare-nc-${name%%:*}.pem p256-int.pem >bare-nc-${name%%:*}-chain.pem
done

# Longer path delivered out of order, plus an unrelated extra
# intermediate: root -> deep1 -> deep2 -> deep3 -> leaf, sent as
# leaf, deep1, rsa2048-int, deep3, deep2.
newkey deep p256
issue deep1 deep "/CN=deep 1" p256-root int
issue deep2 deep "/CN=deep 2" deep1:deep int
issue deep3 deep "/CN=deep 3" deep2:deep int
SAN=DNS:deep.test issue deep-leaf p256-leaf "/CN=deep.test" deep3:deep leaf
cat deep-leaf.pem deep1.pem rsa2048-int.pem deep3.pem deep2.pem >shuffled-chain.pem

# Seven intermediates: longer than the validator allows.
prev=p256-root
for i in 1 2 3 4 5 6 7; do
    issue long$i deep "/CN=long $i" $prev int
    prev=long$i:deep
done
SAN=DNS:long.test issue long-leaf p256-leaf "/CN=long.test" long7:deep leaf
cat long-leaf.pem long7.pem long6.pem long5.pem long4.pem long3.pem long2.pem long1.pem >long-chain.pem
rm long?.pem

# Cross-signed alternative: the same intermediate (name and key) once
# expired, once valid; the expired one is presented first.
newkey cross p256
issue cross-expired cross "/CN=cross" p256-root int 20250101000000Z 20280101000000Z
issue cross-valid cross "/CN=cross" p256-root int
SAN=DNS:cross.test issue cross-leaf p256-leaf "/CN=cross.test" cross-valid:cross leaf
cat cross-leaf.pem cross-expired.pem cross-valid.pem >cross-chain.pem

# Issuer loop: A is issued by B and B by A; neither reaches a root.
newkey loop-a p256
newkey loop-b p256
issue "$WORK/loop-a-self" loop-a "/CN=loop A" self root
issue "$WORK/loop-b-self" loop-b "/CN=loop B" self root
issue loop-a loop-a "/CN=loop A" "$WORK/loop-b-self:loop-b" int
issue loop-b loop-b "/CN=loop B" "$WORK/loop-a-self:loop-a" int
SAN=DNS:loop.test issue loop-leaf p256-leaf "/CN=loop.test" loop-a leaf
cat loop-leaf.pem loop-a.pem loop-b.pem >loop-chain.pem
rm loop-a.pem loop-b.pem

# Hundreds of candidate issuers: 200 CA certificates all named CN=mesh
# with the same key identifier, each signed by the next one's key, so
# every certificate looks like a possible issuer of every other.
MESH=200
mesh=""
i=0
while [ $i -lt $MESH ]; do
    openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/m$i.key"
    issue "$WORK/m$i" "$WORK/m$i" "/CN=mesh" self mesh_bootstrap
    i=$((i + 1))
done
i=0
while [ $i -lt $MESH ]; do
    next=$(((i + 1) % MESH))
    issue "$WORK/mesh$i" "$WORK/m$i" "/CN=mesh" "$WORK/m$next" mesh
    mesh="$mesh $WORK/mesh$i.pem"
    i=$((i + 1))
done
SAN=DNS:mesh.test issue mesh-leaf p256-leaf "/CN=mesh.test" "$WORK/m0" leaf
# shellcheck disable=SC2086
cat mesh-leaf.pem $mesh >mesh-chain.pem
rm mesh-leaf.pem

# An expired trust anchor.
newkey expired-root p256
issue expired-root expired-root "/CN=expired root" self root 20250101000000Z 20280101000000Z
SAN=DNS:under-expired-root.test issue under-expired-root p256-leaf "/CN=under-expired-root.test" expired-root leaf
cp under-expired-root.pem under-expired-root-chain.pem

# Larger RSA keys, for key loading only (design §4: RSA 2048-8192).
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out rsa4096.key
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:8192 -out rsa8192.key

# A bundle of every root, with text around the blocks.
{
    echo "ferrotls test roots"
    for alg in rsa2048 p256 p384 ed25519; do
        echo "# $alg"
        cat $alg-root.pem
    done
} >all-roots.pem

rm -f ./*.csr

# Certificate-policy chains, in their own directory.
sh policy/make.sh

# Profile cases, issued by p256-int above, in their own directory.
sh profile/make.sh

# Trust-anchor cases, each root in its own files.
sh anchors/make.sh

# Name-constraint and wildcard cases, in their own directory.
sh names/make.sh

# The revocation vectors (CRLs, OCSP responses) have their own hierarchy.
sh revocation/make.sh
