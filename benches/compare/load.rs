//! Memory under load: many idle TLS 1.3 connections of one engine held at
//! once, as a server process (or a client pool) holds them between
//! requests.
//!
//! For each engine in turn (ferrotls, then rustls), in a child process
//! of this bench so that each starts from a fresh heap, the scenario
//! establishes `n` connection pairs as `idle13-memory` does (a full
//! handshake, then 1 KiB each way; [`idle_pair`]), keeps every one alive,
//! and then drops all the clients and after them all the servers. The
//! counting allocator's live bytes before the first pair, with all held,
//! after the clients went and after the servers went give the heap bytes
//! per client connection and per server connection. Anything still live
//! at the end (state the engine keeps outside its connections, such as a
//! session cache) is printed on its own line and belongs to neither side.
//!
//! Allocator overhead (chunk headers, rounding, fragmentation) is real
//! memory too, and the counting allocator does not see it: the resident
//! set (`VmRSS` in `/proc/self/status`) grown while the pairs were made,
//! divided by `n`, is printed per pair (both sides together: freed chunks
//! stay resident in the allocator, so dropping one side shows nothing).
//! It is a human line and no `RESULT` row: it depends on the allocator
//! (glibc's here) and its thresholds, and is measured on Linux only. The
//! goal is judged on the heap bytes, as for `idle13-memory`.

use std::sync::atomic::Ordering::Relaxed;

use super::{idle_pair, Conn, Factory, Ferrotls, Report, Rustls, Setup, LIVE_BYTES};

/// Connection pairs each engine holds at once in a full run: the load of
/// a busy server, enough that per-connection costs dwarf any shared
/// state; 10,000 handshakes per engine take a few seconds here.
pub(super) const CONNECTIONS: usize = 10_000;

/// Connection pairs each engine holds at once in a `--quick` run.
pub(super) const QUICK_CONNECTIONS: usize = 500;

/// What holding `n` idle pairs of one engine cost.
struct Held {
    /// Heap bytes per client connection.
    client: f64,
    /// Heap bytes per server connection.
    server: f64,
    /// Heap bytes live after every connection was dropped.
    left: isize,
    /// Resident-set growth per pair, both sides, in bytes.
    resident: f64,
}

/// The process's resident set in bytes (`VmRSS`, Linux).
fn resident_bytes() -> Result<f64, String> {
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|e| format!("/proc/self/status: {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().strip_suffix("kB"))
        .and_then(|kib| kib.trim().parse::<f64>().ok())
        .map(|kib| kib * 1024.0)
        .ok_or_else(|| "no VmRSS line in /proc/self/status".into())
}

/// Makes `n` idle pairs of `factory`, holds them all, then drops the
/// clients and then the servers.
fn hold(factory: &dyn Factory, n: usize) -> Result<Held, String> {
    let mut wire = Vec::with_capacity(1 << 16);
    let mut clients: Vec<Conn> = Vec::with_capacity(n);
    let mut servers: Vec<Conn> = Vec::with_capacity(n);
    let resident_before = resident_bytes()?;
    let before = LIVE_BYTES.load(Relaxed);
    for _ in 0..n {
        let (client, server) = idle_pair(factory, &mut wire)?;
        clients.push(client);
        servers.push(server);
    }
    let all_held = LIVE_BYTES.load(Relaxed);
    let resident_held = resident_bytes()?;
    clients.clear();
    let without_clients = LIVE_BYTES.load(Relaxed);
    servers.clear();
    let without_servers = LIVE_BYTES.load(Relaxed);
    let per_connection = |bytes: isize| bytes as f64 / n as f64;
    Ok(Held {
        client: per_connection(all_held - without_clients),
        server: per_connection(without_clients - without_servers),
        left: without_servers - before,
        resident: (resident_held - resident_before) / n as f64,
    })
}

/// The flag that makes the bench a child holding one engine's pairs:
/// `compare --load-child <ferrotls|rustls> <n>`.
pub(super) const CHILD_FLAG: &str = "--load-child";

/// How a child's figures start on its standard output.
const CHILD_LINE: &str = "load-child";

/// The child's side of [`CHILD_FLAG`]: holds `n` idle pairs of `engine`
/// for `setup` and prints the figures on one line for the parent.
pub(super) fn child(engine: &str, n: &str, setup: Setup) -> Result<(), String> {
    let n: usize = n
        .parse()
        .map_err(|e| format!("{n}: not a connection count: {e}"))?;
    let factory: Box<dyn Factory> = match engine {
        "ferrotls" => Box::new(Ferrotls::new(setup)?),
        "rustls" => Box::new(Rustls::new(setup)?),
        _ => return Err(format!("{engine}: expected ferrotls or rustls")),
    };
    let held = hold(&*factory, n)?;
    println!(
        "{CHILD_LINE} {} {} {} {}",
        held.client, held.server, held.left, held.resident
    );
    Ok(())
}

/// Runs [`child`] for `engine` in a new process of this bench and reads
/// its figures: each engine starts from a fresh heap, so neither reuses
/// pages the other (or an earlier scenario) freed, and the resident-set
/// growth is its own.
fn hold_in_child(engine: &str, n: usize) -> Result<Held, String> {
    let exe = std::env::current_exe().map_err(|e| format!("this bench's path: {e}"))?;
    let output = std::process::Command::new(exe)
        .args([CHILD_FLAG, engine, &n.to_string()])
        .output()
        .map_err(|e| format!("cannot start the {engine} child: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let fields: Vec<&str> = stdout
        .lines()
        .find_map(|line| line.strip_prefix(CHILD_LINE))
        .map(|rest| rest.split_whitespace().collect())
        .unwrap_or_default();
    let parsed = match fields.as_slice() {
        [client, server, left, resident] => (|| {
            Some(Held {
                client: client.parse().ok()?,
                server: server.parse().ok()?,
                left: left.parse().ok()?,
                resident: resident.parse().ok()?,
            })
        })(),
        _ => None,
    };
    parsed.ok_or_else(|| {
        format!(
            "the {engine} child ({}) printed no figures: {stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// The `<name>-client` and `<name>-server` rows: heap bytes per idle
/// connection with `n` pairs of one engine held at once, each engine in
/// a child process of its own (ferrotls first, then rustls).
pub(super) fn idle_connections(report: &mut Report, n: usize, name: &str, setup: Setup) {
    if !report.wants(name) {
        return;
    }
    let held =
        hold_in_child("ferrotls", n).and_then(|ours| Ok((ours, hold_in_child("rustls", n)?)));
    let (ours, theirs) = match held {
        Ok(both) => both,
        Err(why) => return report.skip(name, setup.version, why),
    };
    println!("{name}: {n} idle pairs of each engine held at once");
    report.add(
        format!("{name}-client"),
        ours.client,
        theirs.client,
        "rustls",
        "bytes",
    );
    report.add(
        format!("{name}-server"),
        ours.server,
        theirs.server,
        "rustls",
        "bytes",
    );
    println!(
        "{:<36} {:>12.1} {:>12.1} {:>7.3}  bytes per pair, resident-set growth (no RESULT row)",
        format!("{name}-resident"),
        ours.resident,
        theirs.resident,
        ours.resident / theirs.resident
    );
    println!(
        "{:<36} {:>12} {:>12}  bytes live after all were dropped",
        format!("{name}-left"),
        ours.left,
        theirs.left
    );
}
