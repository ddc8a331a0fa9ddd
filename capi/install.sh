#!/usr/bin/env bash
# Builds the C library of ferrotls and installs it under a prefix:
#
#   PREFIX/lib/libferrotls.so.VERSION        the shared library (SONAME
#   PREFIX/lib/libferrotls.so.MAJOR  -> it   libferrotls.so.MAJOR)
#   PREFIX/lib/libferrotls.so        -> it   for `cc -lferrotls`
#   PREFIX/lib/libferrotls.a                 the static library
#   PREFIX/include/ferrotls.h                the header
#   PREFIX/lib/pkgconfig/ferrotls.pc         for `pkg-config ferrotls`
#
# VERSION is the package's version (Cargo.toml), MAJOR its first number.
#
# Usage: capi/install.sh --prefix DIR [--profile PROFILE]
#   --prefix DIR       where to install (made absolute; created if needed)
#   --profile PROFILE  the cargo profile to build with (default: release)
#
# Environment: CARGO (the cargo to run), CARGO_TARGET_DIR (as for cargo).
set -euo pipefail

usage() {
    sed -n '13,17p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

prefix=
profile=release
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || usage; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --profile) [ $# -ge 2 ] || usage; profile=$2; shift 2 ;;
        --profile=*) profile=${1#--profile=}; shift ;;
        *) usage ;;
    esac
done
[ -n "$prefix" ] || usage
case "$prefix" in
    /*) ;;
    *) prefix="$PWD/$prefix" ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
cargo=${CARGO:-cargo}
manifest="$here/Cargo.toml"

# `cargo pkgid` ends with the version: ...#ferrotls-capi@0.1.0 or ...#0.1.0.
pkgid=$("$cargo" pkgid --manifest-path "$manifest" -p ferrotls-capi)
version=${pkgid##*[#@]}
major=${version%%.*}

# The libraries, as cargo reports them (the target directory may be
# anywhere).
artifacts=$("$cargo" build --manifest-path "$manifest" -p ferrotls-capi --lib \
    --profile "$profile" --message-format=json-render-diagnostics |
    grep '"reason":"compiler-artifact"' | grep 'ferrotls-capi' || true)
shared=$(printf '%s\n' "$artifacts" | grep -o '"[^"]*/libferrotls\.so"' | tr -d '"' | head -n 1)
static=$(printf '%s\n' "$artifacts" | grep -o '"[^"]*/libferrotls\.a"' | tr -d '"' | head -n 1)
if [ -z "$shared" ] || [ -z "$static" ]; then
    echo "install.sh: cargo reported no libferrotls.so and libferrotls.a" >&2
    exit 1
fi

libdir="$prefix/lib"
includedir="$prefix/include"
mkdir -p "$libdir/pkgconfig" "$includedir"
install -m 755 "$shared" "$libdir/libferrotls.so.$version"
ln -sfn "libferrotls.so.$version" "$libdir/libferrotls.so.$major"
ln -sfn "libferrotls.so.$version" "$libdir/libferrotls.so"
install -m 644 "$static" "$libdir/libferrotls.a"
install -m 644 "$here/include/ferrotls.h" "$includedir/ferrotls.h"
# Libs.private: what the Rust standard library needs from the system when
# a program links libferrotls.a (`pkg-config --static --libs ferrotls`):
# the list `rustc --print native-static-libs` gives for Linux.
cat >"$libdir/pkgconfig/ferrotls.pc" <<EOF
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: ferrotls
Description: A TLS 1.0-1.3 engine written from scratch, with exact session-identifier semantics
Version: $version
Libs: -L\${libdir} -lferrotls
Libs.private: -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
Cflags: -I\${includedir}
EOF
echo "installed ferrotls $version under $prefix"
