#!/usr/bin/env python3
"""Edges covered per source file group of the engine, from libFuzzer's
`-print_coverage=1` output on stdin (the states table of docs/fuzzing.md).

    RUSTC_BOOTSTRAP=1 cargo fuzz run client corpus/client seeds/client -- \
        -runs=0 -print_coverage=1 2>&1 | python3 coverage_by_file.py

Each function counts once (its COVERED_FUNC or UNCOVERED_FUNC line: edges
covered / edges), in the first group whose rule matches its file.
"""
import re, sys, collections
groups = [
    ("client `State::handle` (client state dispatch and inlined handlers)", lambda f, fn: f.endswith("handshake/client/mod.rs")),
    ("server `State::handle` (server state dispatch and inlined handlers)", lambda f, fn: f.endswith("handshake/server/mod.rs")),
    ("`handshake/client/hello.rs`", lambda f, fn: f.endswith("handshake/client/hello.rs")),
    ("`handshake/client/tls13.rs`", lambda f, fn: f.endswith("handshake/client/tls13.rs")),
    ("`handshake/client/tls12.rs`", lambda f, fn: f.endswith("handshake/client/tls12.rs")),
    ("`handshake/server/hello.rs`", lambda f, fn: f.endswith("handshake/server/hello.rs")),
    ("`handshake/server/tls13.rs`", lambda f, fn: f.endswith("handshake/server/tls13.rs")),
    ("`handshake/server/tls12.rs`", lambda f, fn: f.endswith("handshake/server/tls12.rs")),
    ("`handshake/tls12.rs` (shared 1.0–1.2)", lambda f, fn: f.endswith("src/handshake/tls12.rs")),
    ("`conn/*`", lambda f, fn: "/src/conn/" in f),
    ("`record/*`", lambda f, fn: "/src/record/" in f),
    ("`msgs/*`", lambda f, fn: "/src/msgs/" in f),
    ("`session/*`", lambda f, fn: "/src/session/" in f),
]
pat = re.compile(r"^(UN)?COVERED_FUNC: hits: (\d+) edges: (\d+)/(\d+) (.*) (\S+):\d+$")
acc = collections.OrderedDict((g, [0, 0]) for g, _ in groups)
seen = set()
for line in sys.stdin:
    m = pat.match(line.strip())
    if not m:
        continue
    _, hits, cov, tot, fn, f = m.groups()
    if "/src/" not in f or "/fuzz/" in f or ".cargo" in f or "/rustc/" in f:
        continue
    key = (fn, f)
    if key in seen:
        continue
    seen.add(key)
    for g, pred in groups:
        if pred(f, fn):
            acc[g][0] += int(cov); acc[g][1] += int(tot)
            break
for g, (c, t) in acc.items():
    print(f"{g}\t{c}/{t}")
