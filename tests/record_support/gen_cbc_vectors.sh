#!/bin/sh
# Independent TLS CBC record vectors from the openssl CLI, printed to
# stdout. Inputs go through a temporary file, removed on exit, so the
# script writes nothing where it runs.
set -e
in=$(mktemp)
trap 'rm -f "$in"' EXIT
trap 'exit 1' HUP INT TERM
hmac() { # digest hexkey hexdata
  printf '%s' "$3" | xxd -r -p > "$in"
  openssl mac -digest "$1" -macopt hexkey:"$2" -in "$in" HMAC | tr 'A-F' 'a-f'
}
enc() { # cipher hexkey hexiv hexdata
  printf '%s' "$4" | xxd -r -p > "$in"
  openssl enc -"$1" -K "$2" -iv "$3" -nopad -in "$in" | xxd -p | tr -d '\n'
}
pad() { # hex len-of-data-bytes -> padding hex (RFC 5246 6.2.3.2, minimal)
  n=$1; p=$(( (16 - (n + 1) % 16) % 16 )); s=""; i=0
  while [ $i -le $p ]; do s="$s$(printf '%02x' $p)"; i=$((i+1)); done; printf '%s' "$s"
}
hexlen() { printf '%04x' $(( ${#1} / 2 )); }

# 1) TLS 1.2 AES-128-CBC HMAC-SHA1 MAC-then-encrypt, seq 0, type 23, explicit IV
K1=000102030405060708090a0b0c0d0e0f
M1=4142434445464748494a4b4c4d4e4f5051525354
IV1=a0a1a2a3a4a5a6a7a8a9aaabacadaeaf
P1=$(printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | xxd -p | tr -d '\n')
T1=$(hmac SHA1 $M1 "0000000000000000170303$(hexlen $P1)$P1")
PT1="$P1$T1"; PT1="$PT1$(pad $(( ${#PT1} / 2 )))"
C1=$(enc aes-128-cbc $K1 $IV1 $PT1)
F1="$IV1$C1"; echo "mte_sha1_aes128_tls12 = 170303$(hexlen $F1)$F1"

# 2) TLS 1.2 AES-256-CBC HMAC-SHA256 encrypt-then-MAC, seq 5, type 22, explicit IV
K2=202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
M2=606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f
IV2=b0b1b2b3b4b5b6b7b8b9babbbcbdbebf
P2=1400000c0102030405060708090a0b0c
PT2="$P2$(pad $(( ${#P2} / 2 )))"
C2=$(enc aes-256-cbc $K2 $IV2 $PT2)
B2="$IV2$C2"
T2=$(hmac SHA256 $M2 "0000000000000005160303$(hexlen $B2)$B2")
F2="$B2$T2"; echo "etm_sha256_aes256_tls12 = 160303$(hexlen $F2)$F2"

# 3) TLS 1.0 AES-128-CBC HMAC-SHA1 MAC-then-encrypt, chained IV, seq 0 and 1, type 23
K3=$K1; M3=$M1; IV3=c0c1c2c3c4c5c6c7c8c9cacbcccdcecf
P3a=$(printf 'first record' | xxd -p | tr -d '\n')
T3a=$(hmac SHA1 $M3 "0000000000000000170301$(hexlen $P3a)$P3a")
PT3a="$P3a$T3a"; PT3a="$PT3a$(pad $(( ${#PT3a} / 2 )))"
C3a=$(enc aes-128-cbc $K3 $IV3 $PT3a)
echo "chained_tls10_record0 = 170301$(hexlen $C3a)$C3a"
IV3b=$(printf '%s' "$C3a" | tail -c 32)
P3b=$(printf 'second record, chained' | xxd -p | tr -d '\n')
T3b=$(hmac SHA1 $M3 "0000000000000001170301$(hexlen $P3b)$P3b")
PT3b="$P3b$T3b"; PT3b="$PT3b$(pad $(( ${#PT3b} / 2 )))"
C3b=$(enc aes-128-cbc $K3 $IV3b $PT3b)
echo "chained_tls10_record1 = 170301$(hexlen $C3b)$C3b"

# 4) SHA-384 MAC-then-encrypt, AES-256, TLS 1.2, seq 0x0102030405060708
M4=$(printf '55%.0s' $(seq 48))
IV4=d0d1d2d3d4d5d6d7d8d9dadbdcdddedf
P4=$(printf 'sha384 record' | xxd -p | tr -d '\n')
T4=$(hmac SHA384 $M4 "0102030405060708170303$(hexlen $P4)$P4")
PT4="$P4$T4"; PT4="$PT4$(pad $(( ${#PT4} / 2 )))"
C4=$(enc aes-256-cbc $K2 $IV4 $PT4)
F4="$IV4$C4"; echo "mte_sha384_aes256_tls12 = 170303$(hexlen $F4)$F4"
