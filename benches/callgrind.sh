#!/bin/sh
# Instruction counts of one handshake (P-256, X25519, AES-128-GCM) per
# version: TLS 1.3 full and resumed with a ticket, also with
# X25519MLKEM768 (rustls on aws-lc-rs), TLS 1.2 full and resumed by
# session ID and by ticket; client and server apart, for ferrotls and
# rustls. Instruction counts do not depend on machine load, so a
# regression shows as a changed number.
#
# Builds the `compare` bench, then runs it under callgrind once per
# engine, handshake and side: `compare --callgrind <engine> <kind>`
# does one measured handshake whose client calls all go through
# `callgrind_client` and server calls through `callgrind_server`, and
# `--toggle-collect` counts only inside one of them. Setup (certificate
# parsing, and an unmeasured handshake first: a resumed kind's session,
# the servers' compressed certificate chain) is not counted.
#
# Usage: benches/callgrind.sh [KIND...]   (from anywhere in the repository;
# every kind when none is named)
# Prints one `CALLGRIND <engine> <kind> <side> <instructions>` line each,
# then a table with ratios.
set -eu
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
bin=$(cargo bench --bench compare --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*compare-[^"]*\)".*/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "could not build the compare bench" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
count() { # engine kind side
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
        --collect-atstart=no --toggle-collect="*callgrind_$3" \
        "$bin" --callgrind "$1" "$2" >/dev/null 2>"$out/log"
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$out/log"
}
[ $# -gt 0 ] || set -- full13 resumed13 full13-mlkem resumed13-mlkem \
    full12 resumed12-id resumed12-ticket
for kind in "$@"; do
    for side in client server; do
        for engine in ferrotls rustls; do
            echo "CALLGRIND $engine $kind $side $(count $engine $kind $side)"
        done
    done
done | tee "$out/results"
echo
printf '%-24s %14s %14s %7s\n' handshake ferrotls rustls ratio
while read -r _ engine kind side n; do
    if [ "$engine" = ferrotls ]; then ours=$n; else
        awk -v k="$kind-$side" -v a="$ours" -v b="$n" \
            'BEGIN { printf "%-24s %14d %14d %7.3f\n", k, a, b, a / b }'
    fi
done <"$out/results"
