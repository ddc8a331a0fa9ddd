#!/bin/sh
# Generates the name-constraint, wildcard and public-suffix certificates
# with the openssl CLI (3.0+), under a root of their own; run by the end
# of ../make.sh, or alone:
#
#   sh vectors/pki/names/make.sh
#
# Output (committed): *.pem certificates and chains, *.key private keys, in
# this directory; ../cases.txt names them as names/FILE. Validity runs
# from 2025-01-01 to 2100-01-01, as in ../make.sh. Keys are random:
# rerunning the script changes every file, and the tests still pass.
set -eu
cd "$(dirname "$0")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

SAN=DNS:unused.test
NC=DNS:unused.test
export SAN NC
START=20250101000000Z
END=21000101000000Z

# Subjects may carry an emailAddress here (email_in_dn).
cat >"$WORK/ca.cnf" <<EOF
[ ca ]
default_ca = dflt
[ dflt ]
database = $WORK/index.txt
new_certs_dir = $WORK
serial = $WORK/serial
rand_serial = yes
default_md = default
policy = any
unique_subject = no
copy_extensions = none
email_in_dn = yes
[ any ]
commonName = optional
organizationName = optional
emailAddress = optional
EOF

# CA sections take their nameConstraints from $NC; leaf sections their
# subjectAltName from $SAN.
# The root and intermediate sections every generator shares, then this one's.
cat ../ca_sections.cnf - >"$WORK/ext.cnf" <<'EOF'
[ int_nc ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
nameConstraints = critical,${ENV::NC}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ int_nc_dir ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
nameConstraints = critical,permitted;dirName:dir_permitted
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ dir_permitted ]
O = ferrotls names
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = ${ENV::SAN}
[ leaf_dir_san ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:dir-san.test,dirName:dir_other
[ dir_other ]
O = somewhere else
[ leaf_no_san ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
: >"$WORK/index.txt"

newkey() {
    openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"
}

# issue OUT KEY SUBJECT ISSUER EXT: certificate OUT.pem for KEY.key,
# signed by ISSUER.pem with ISSUER.key (ISSUER as CERT:KEY when the key
# file is named apart), or self-signed when ISSUER is "self".
issue() {
    out=$1 key=$2 subj=$3 issuer=$4 ext=$5
    openssl req -new -key "$key.key" -subj "$subj" -out "$WORK/req.csr"
    if [ "$issuer" = self ]; then
        signer="-selfsign -keyfile $key.key"
    else
        signer="-cert ${issuer%%:*}.pem -keyfile ${issuer#*:}.key"
    fi
    # shellcheck disable=SC2086
    openssl ca -batch -config "$WORK/ca.cnf" -notext -preserveDN \
        $signer -in "$WORK/req.csr" -out "$out.pem" -startdate "$START" -enddate "$END" \
        -extfile "$WORK/ext.cnf" -extensions "$ext"
}

newkey names-root
newkey names-ca
newkey names-leaf
issue names-root names-root "/O=ferrotls names/CN=names root" self root

# constrained NAME NC: a CA under the root with nameConstraints NC.
constrained() {
    newkey "$1"
    NC=$2 issue "$1" "$1" "/O=ferrotls names/CN=$1 CA" names-root int_nc
}

# leafcase NAME CA SAN [SUBJECT [EXT]]: a leaf under CA, with its chain
# NAME-chain.pem.
leafcase() {
    name=$1 ca=$2
    SAN=$3 issue "$name" names-leaf "${4:-/O=ferrotls names/CN=$name.test}" "$ca" "${5:-leaf}"
    cat "$name.pem" "$ca.pem" >"$name-chain.pem"
}

# rfc822Name: every mailbox below allowed.test except one.
constrained nc-email "permitted;email:.allowed.test,excluded;email:boss@mail.allowed.test"
leafcase email-ok nc-email "DNS:email-ok.test,email:a@mail.allowed.test"
leafcase email-excluded nc-email "DNS:email-excluded.test,email:boss@mail.allowed.test"
leafcase email-outside nc-email "DNS:email-outside.test,email:a@other.test"
leafcase email-subject nc-email "DNS:email-subject.test" \
    "/O=ferrotls names/CN=email-subject.test/emailAddress=a@other.test"

# uniformResourceIdentifier: hosts below allowed.test except one.
constrained nc-uri "permitted;URI:.allowed.test,excluded;URI:bad.allowed.test"
leafcase uri-ok nc-uri "DNS:uri-ok.test,URI:https://www.allowed.test/path"
leafcase uri-excluded nc-uri "DNS:uri-excluded.test,URI:https://bad.allowed.test/"
leafcase uri-no-host nc-uri "DNS:uri-no-host.test,URI:urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"

# iPAddress, IPv6 and IPv4 together.
constrained nc-ip6 "permitted;IP:2001:db8::/ffff:ffff:0:0:0:0:0:0,permitted;IP:192.0.2.0/255.255.255.0"
leafcase ip6-ok nc-ip6 "IP:2001:db8::5,IP:192.0.2.5"
leafcase ip6-outside nc-ip6 "IP:2001:db9::5"
# Malformed iPAddress constraints: a mask that is not a prefix, an
# address with bits outside its mask.
constrained nc-ip-gappy "permitted;IP:10.0.0.0/255.0.255.0"
leafcase ip-gappy nc-ip-gappy "IP:10.0.0.1"
constrained nc-ip-host-bits "permitted;IP:10.0.0.1/255.0.0.0"
leafcase ip-host-bits nc-ip-host-bits "IP:10.0.0.1"

# directoryName: subjects (and directoryName SANs) under O=ferrotls names.
newkey nc-dir
issue nc-dir nc-dir "/O=ferrotls names/CN=directory CA" names-root int_nc_dir
leafcase dir-ok nc-dir "DNS:dir-ok.test"
leafcase dir-outside nc-dir "DNS:dir-outside.test" "/O=somewhere else/CN=dir-outside.test"
leafcase dir-san nc-dir "-" "/O=ferrotls names/CN=dir-san.test" leaf_dir_san
# A CA below the constrained one whose own subject lies outside: the
# constraint reaches intermediates.
newkey dir-sub
issue dir-sub dir-sub "/O=somewhere else/CN=sub CA" nc-dir int
SAN=DNS:dir-sub-leaf.test issue dir-sub-leaf names-leaf "/O=ferrotls names/CN=dir-sub-leaf.test" dir-sub leaf
cat dir-sub-leaf.pem dir-sub.pem nc-dir.pem >dir-sub-chain.pem
# A constrained CA whose own subject lies outside its constraint, rolled
# over to a new key by a self-issued certificate: the self-issued
# intermediate is exempt (RFC 5280 §6.1.3 (b)), the leaf is not.
newkey dir-outside-ca
newkey dir-rollover
issue dir-outside-ca dir-outside-ca "/O=somewhere else/CN=outside CA" names-root int_nc_dir
issue dir-rollover dir-rollover "/O=somewhere else/CN=outside CA" dir-outside-ca:dir-outside-ca int
SAN=DNS:rollover.test issue rollover-leaf names-leaf "/O=ferrotls names/CN=rollover.test" \
    dir-rollover:dir-rollover leaf
cat rollover-leaf.pem dir-rollover.pem dir-outside-ca.pem >rollover-chain.pem

# dNSName and the common name: checked when no dNSName is in the SAN.
constrained nc-dns "permitted;DNS:allowed.test"
leafcase cn-outside nc-dns "-" "/O=ferrotls names/CN=www.other.test" leaf_no_san
leafcase cn-inside nc-dns "-" "/O=ferrotls names/CN=www.allowed.test" leaf_no_san
leafcase cn-beside-dns nc-dns "DNS:www.allowed.test" "/O=ferrotls names/CN=www.other.test"
leafcase cn-beside-ip nc-dns "IP:192.0.2.9" "/O=ferrotls names/CN=www.other.test"
# A constraint two CAs up reaches the leaf.
newkey dns-sub
issue dns-sub dns-sub "/O=ferrotls names/CN=dns sub CA" nc-dns int
SAN=DNS:host.other.test issue dns-sub-leaf names-leaf "/O=ferrotls names/CN=dns-sub-leaf" dns-sub leaf
cat dns-sub-leaf.pem dns-sub.pem nc-dns.pem >dns-sub-chain.pem

# An unprocessed form (otherName, a UPN): refused only over a name of
# that form.
constrained nc-other "permitted;otherName:1.3.6.1.4.1.311.20.2.3;UTF8:a@allowed.test"
leafcase other-dns-only nc-other "DNS:other-dns-only.test"
leafcase other-name nc-other "DNS:other-name.test,otherName:1.3.6.1.4.1.311.20.2.3;UTF8:b@allowed.test"

# Wildcards over public suffixes, and underscores.
issue names-ca names-ca "/O=ferrotls names/CN=names CA" names-root int
leafcase wild-co-uk names-ca "DNS:*.co.uk"
leafcase wild-github-io names-ca "DNS:*.github.io"
leafcase wild-example-co-uk names-ca "DNS:*.example.co.uk"
leafcase wild-under names-ca "DNS:*.under.test"
leafcase underscore-san names-ca "DNS:foo_bar.under.test"

# A constraint bomb: 600 excluded subtrees over a leaf with 500 names
# (300,000 comparisons, beyond MAX_NAME_CONSTRAINT_CHECKS).
bomb_nc=$(i=1; sep=; while [ $i -le 600 ]; do printf '%sexcluded;DNS:ex%d.bomb.test' "$sep" $i; sep=,; i=$((i + 1)); done)
bomb_san=$(i=1; sep=; while [ $i -le 500 ]; do printf '%sDNS:h%d.bomb.test' "$sep" $i; sep=,; i=$((i + 1)); done)
constrained nc-bomb "$bomb_nc"
leafcase bomb nc-bomb "$bomb_san"

rm -f ./*.csr
