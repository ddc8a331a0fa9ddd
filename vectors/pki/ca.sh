# Sourced by the vector generators of vectors/pki: writes the `openssl ca`
# configuration they share to "$WORK/ca.cnf" (a database and serials in
# $WORK, random serial numbers, any subject accepted as given) and an
# empty database.
cat >"$WORK/ca.cnf" <<CNF
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
email_in_dn = no
[ any ]
commonName = optional
organizationName = optional
CNF
: >"$WORK/index.txt"
