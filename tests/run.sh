#!/usr/bin/env bash
# The whole ferrotls test suite: formatting, lints, unit and integration
# tests, and a short clean run of every fuzz target. Installs what it needs
# (peer binaries, cargo-fuzz) when it can. Exits non-zero on any failure.
#
# Environment:
#   FUZZ_SECONDS   seconds per fuzz target (default 20; 0 skips fuzzing)
#   FUZZ_JOBS      fuzz targets run at once (default: the number of cores)
#   FERROTLS_PEERS where peers from PyPI go (default ~/.cache/ferrotls-peers;
#                  sslyze and tlslite-ng in virtual environments there,
#                  reused when present)
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-20}
# One build, never rebuilt in place: incremental caches would only take disk
# (several GB over the suite's test binaries).
export CARGO_INCREMENTAL=0

# Each step says how long the run has taken so far, in seconds.
step() { printf '\n==> %s (at %ss)\n' "$*" "$SECONDS"; }

install_apt() {
    # Installs Debian packages when running as root; otherwise says what is missing.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        if [ -z "${APT_UPDATED:-}" ]; then
            apt-get update -qq && APT_UPDATED=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        echo "missing: $* (install it, e.g. apt-get install $*)" >&2
        return 1
    fi
}

step "peers"
command -v openssl >/dev/null || install_apt openssl
command -v gnutls-serv >/dev/null || install_apt gnutls-bin
command -v tshark >/dev/null || install_apt tshark
command -v tstclnt >/dev/null || install_apt libnss3-tools
command -v chromium >/dev/null || install_apt chromium
command -v curl >/dev/null || install_apt curl
# The shared session store's tests (tests/redis_*.rs,
# tests/interop_redis_fleet.rs) start their own redis-server.
command -v redis-server >/dev/null || install_apt redis-server
# Java's, Bouncy Castle's, Go's, Erlang/OTP's and Haskell's TLS stacks
# (tests/interop_jsse_go_otp.rs runs its Java peer compiled with the JDK's
# javac, on SunJSSE and on Bouncy Castle's jars, builds its Go peer, runs
# its OTP peer with escript, which needs OTP's ssl application, and
# compiles its Haskell peer with ghc).
command -v javac >/dev/null || install_apt openjdk-17-jdk-headless
for jar in bctls bcprov bcutil; do
    [ -s "/usr/share/java/$jar.jar" ] || { install_apt libbctls-java; break; }
done
command -v go >/dev/null || install_apt golang-go
# Haskell's tls package, compiled into the peer by ghc.
hs_tls() { ghc-pkg --simple-output field tls version 2>/dev/null; }
{ command -v ghc >/dev/null && [ -n "$(hs_tls)" ]; } || install_apt ghc libghc-tls-dev libghc-network-dev libghc-data-default-class-dev libghc-x509-store-dev
otp_ssl() { erl -noshell -eval 'ok = application:load(ssl), {ok, V} = application:get_key(ssl, vsn), io:format("Erlang/OTP ~s, ssl ~s~n", [erlang:system_info(otp_release), V]), halt().'; }
{ command -v escript >/dev/null && otp_ssl >/dev/null 2>&1; } || install_apt erlang-base erlang-ssl
# The C library's test compiles against an installed prefix.
command -v cc >/dev/null || install_apt gcc
command -v pkg-config >/dev/null || install_apt pkg-config
command -v readelf >/dev/null || install_apt binutils
# ... and loads the system's trust roots.
[ -s /etc/ssl/certs/ca-certificates.crt ] || install_apt ca-certificates
# sslyze (PyPI) in its own virtual environment; tests/scan_sslyze.rs finds
# it there (or through $SSLYZE).
FERROTLS_PEERS=${FERROTLS_PEERS:-$HOME/.cache/ferrotls-peers}
export FERROTLS_PEERS
if [ ! -x "$FERROTLS_PEERS/sslyze/bin/sslyze" ]; then
    rm -rf "$FERROTLS_PEERS/sslyze"
    mkdir -p "$FERROTLS_PEERS"
    python3 -m venv "$FERROTLS_PEERS/sslyze"
    "$FERROTLS_PEERS/sslyze/bin/pip" install -q sslyze
fi
# tlslite-ng (pre-release, for the hybrid ML-KEM groups) with kyber-py, in
# its own virtual environment; tests/interop_tlslite.rs runs its python.
if ! "$FERROTLS_PEERS/tlslite/bin/python3" -c 'import tlslite, kyber_py' 2>/dev/null; then
    rm -rf "$FERROTLS_PEERS/tlslite"
    mkdir -p "$FERROTLS_PEERS"
    python3 -m venv "$FERROTLS_PEERS/tlslite"
    "$FERROTLS_PEERS/tlslite/bin/pip" install -q --pre tlslite-ng kyber-py
fi
openssl version
gnutls-serv --version | head -n 1
tshark --version | head -n 1
dpkg-query -W -f='NSS tools ${Version}\n' libnss3-tools 2>/dev/null || command -v tstclnt
chromium --version 2>/dev/null
curl --version | head -n 1
redis-server --version
java -version 2>&1 | head -n 1
dpkg-query -W -f='Bouncy Castle TLS ${Version}\n' libbctls-java
go version
echo "GHC $(ghc --numeric-version), Haskell tls $(hs_tls)"
otp_ssl
"$FERROTLS_PEERS/sslyze/bin/pip" show sslyze | grep '^Version'
"$FERROTLS_PEERS/tlslite/bin/pip" show tlslite-ng kyber-py | grep -E '^(Name|Version)'
# The suite's builds need several GB; a full disk shows here first.
df -h . | tail -n 1

step "cargo fmt --check"
cargo fmt --all -- --check
(cd fuzz && cargo fmt --all -- --check)

step "cargo clippy"
cargo clippy --all-targets -- -D warnings
cargo clippy --all-targets --no-default-features -- -D warnings
cargo clippy --all-targets --no-default-features --features cli -- -D warnings
# The adapter alone, with tokio's I/O traits and no runtime.
cargo clippy --lib --no-default-features --features tokio -- -D warnings
# The Redis fleet modules in the library alone, without the tool.
cargo clippy --lib --no-default-features --features redis -- -D warnings
# The conversions from the ecosystem's shared types: the library and the
# test of them, the only targets with code under the feature.
cargo clippy --lib --test api_pki_types --features pki-types -- -D warnings
cargo clippy -p ferrotls-capi --all-targets -- -D warnings

step "examples and rustdoc"
# Every example, in each feature set it builds in (the tokio ones need
# `tokio`, on by default through `cli`); tests/examples.rs and
# tests/tokio_examples.rs (under `cargo test` below) run them with peers.
cargo build --examples
cargo build --examples --no-default-features
# The self-contained ones as the README gives them: each exits 0 only if
# what it demonstrates held.
for example in resumption sans_io client_auth; do
    cargo run -q --example "$example" >/dev/null
done
# The crate docs (the guide in src/lib.rs) without a warning: no broken or
# private intra-doc link, in every feature set. Their examples run as doc
# tests under `cargo test`.
for features in "" "--no-default-features" "--no-default-features --features tokio"; do
    # shellcheck disable=SC2086 # the feature flags are separate words
    RUSTDOCFLAGS='-D warnings' cargo doc --no-deps -q $features
done
# The internal docs too, which contributors read: no broken link there
# either.
RUSTDOCFLAGS='-D warnings' cargo doc --no-deps -q --document-private-items

step "layer check (the order in docs/architecture.md)"
cargo test --test layers

# The defaults include `cli`, hence the tokio adapter and `redis`: their
# tests run here (tests/redis_*.rs and tests/interop_redis_fleet.rs with
# redis-server), and tests/tokio_examples.rs runs the examples (built by
# `cargo test`) with curl and Chromium.
step "tests (default features)"
# tests/cli_server_stall.rs holds 1,000 sockets open at once, on both ends.
[ "$(ulimit -n)" -ge 4096 ] || ulimit -n 4096
cargo test
cargo test --features pki-types --test api_pki_types

step "tests (without the legacy feature)"
cargo test --no-default-features --features cli --lib --bins

step "C library (capi/: header in sync, installed with pkg-config, C test program)"
cargo test -p ferrotls-capi

if [ "$FUZZ_SECONDS" != 0 ]; then
    # Every target is built on the stable toolchain (fuzzing mode,
    # `cfg(fuzzing)`, docs/fuzzing.md) and runs from its committed seeds
    # (fuzz/seeds/<target>, read only) plus a scratch corpus
    # (fuzz/corpus/<target>, ignored by git, where new inputs go). A crash,
    # a hang over 10 s or 2 GiB of memory fails the run and leaves the
    # reproducer under fuzz/artifacts/<target>/, printed below.
    step "fuzz smoke run (${FUZZ_SECONDS}s per target)"
    if ! cargo fuzz --version >/dev/null 2>&1; then
        cargo install cargo-fuzz --locked
    fi
    (cd fuzz && cargo fuzz build --sanitizer none)
    targets=$(cd fuzz && cargo fuzz list)
    [ -n "$targets" ] || { echo "no fuzz targets found" >&2; exit 1; }
    # A libFuzzer run takes one core: FUZZ_JOBS targets run at once (the
    # machine's cores by default), each for the full FUZZ_SECONDS, with
    # a log of its own; their results are read once all have ended.
    jobs_at_once=${FUZZ_JOBS:-$(nproc)}
    logs=$(mktemp -d)
    trap 'rm -rf "$logs"' EXIT
    fuzz_one() {
        local t=$1
        local corpora=("corpus/$t")
        mkdir -p "fuzz/corpus/$t"
        [ -d "fuzz/seeds/$t" ] && corpora+=("seeds/$t")
        (cd fuzz && cargo fuzz run --sanitizer none "$t" "${corpora[@]}" -- \
            -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048) \
            >"$logs/$t.log" 2>&1 || touch "$logs/$t.failed"
    }
    for t in $targets; do
        while [ "$(jobs -rp | wc -l)" -ge "$jobs_at_once" ]; do
            wait -n || true
        done
        fuzz_one "$t" &
    done
    wait
    failed=0
    for t in $targets; do
        echo "-- fuzz target $t"
        if [ -e "$logs/$t.failed" ]; then
            tail -n 80 "$logs/$t.log"
            grep -E 'Test unit written to|artifact_prefix' "$logs/$t.log" || true
            echo "fuzz target $t failed; reproducer above (fuzz/artifacts/$t/)" >&2
            failed=1
        else
            grep -E '^Done [0-9]+ runs' "$logs/$t.log" || tail -n 3 "$logs/$t.log"
        fi
    done
    [ "$failed" = 0 ] || exit 1
fi

df -h . | tail -n 1
step "all passed"
