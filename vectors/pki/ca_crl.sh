# Sourced by the CRL vector generators (revocation/make.sh, crl/make.sh):
# defines `ca DB`, which writes an `openssl ca` configuration over the
# index file DB in $WORK, each CA listing its own revocations and
# numbering its own CRLs (from 1000), with random serials, SHA-256, any
# subject accepted as given, and CRLs naming their issuer's key
# (authorityKeyIdentifier), and prints its path. $CA_CRL_SECTIONS, if
# set, is appended: the CRL extension sections a generator names with
# `-crlexts`.
ca() {
    touch "$WORK/$1.index"
    [ -f "$WORK/$1.crlnumber" ] || echo 1000 >"$WORK/$1.crlnumber"
    cat >"$WORK/$1.cnf" <<CNF
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
${CA_CRL_SECTIONS:-}
CNF
    echo "$WORK/$1.cnf"
}
