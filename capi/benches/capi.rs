//! The C library against the Rust API it wraps: the same handshakes,
//! with the same settings, made once through the C functions the way a C
//! program makes them and once through `ferrotls`'s Rust API the way a
//! Rust application does, alternating round by round (the engine that
//! goes first alternates too) after a warm-up; figures are medians over
//! the rounds. The C layer should add nearly nothing: goal ratio ≤ 1.05
//! (docs/performance.md, "C library vs the Rust API").
//!
//! How a C program is imitated: one client and one server configuration
//! handle per scenario, set up once with the C setters (CA file, server
//! name, versions, suite, groups; the server's `p256` chain and key
//! files from `vectors/pki`), then for every connection
//! `ferrotls_conn_new_client`/`_server`, `ferrotls_conn_set_callbacks`
//! onto an in-memory pipe whose callbacks fail with `EAGAIN` when there
//! is nothing to read (a non-blocking transport), `ferrotls_conn_handshake`
//! on each side in turn until both return 0, one `ferrotls_conn_recv` on
//! the client (which reads what the server sent after its handshake, TLS
//! 1.3 tickets, and returns `FERROTLS_E_AGAIN`), and `ferrotls_conn_free`.
//! The Rust side shares one `Arc<ClientConfig>` and one
//! `Arc<ServerConfig>`, built once with what the C library builds from
//! those settings (a `RotatingTicketer` and an `InMemoryServerStore` on
//! the server, an `InMemoryClientStore` on a client that resumes), and
//! makes the same calls over the same pipe: `ClientConnection::new` (or
//! `::resume`), `ServerConnection::new`, `complete_io_until_writable`
//! (what `ferrotls_conn_handshake` runs), one `Stream::read`, drop. So
//! the difference is the C layer: handles, argument checks, the
//! configuration each connection takes from its handle, the callbacks.
//! Each side's calls are timed and their allocations counted on that
//! side's meter, freeing included.
//!
//! Scenarios (`capi-<name>-<side>` rows; `allocs-capi-<name>-<side>`
//! for allocations):
//! - `full13`: TLS 1.3 full handshakes, X25519, TLS_AES_128_GCM_SHA256,
//!   ECDSA P-256 chain verified against its root, client resumption off
//!   (`ferrotls_client_config_set_tickets(config, 0)`);
//! - `resumed13`: TLS 1.3 resumed by ticket, from the session store the
//!   client configuration shares between its connections (resumption on,
//!   the library's default), the server's default tickets;
//! - `resumed13-import`: TLS 1.3 resumed from a session exported once
//!   (`ferrotls_session_get_data`, `ClientConnection::session_data`) and
//!   set on every connection (`ferrotls_session_set_data`,
//!   `ClientConnection::resume`);
//! - `full12`: TLS 1.2 full handshakes,
//!   TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, client resumption off.
//!
//! Why the bench loads `libferrotls.so` rather than linking the crate:
//! the library target of this package is named `ferrotls` (for the file
//! names libferrotls.so and libferrotls.a), like its dependency, so a
//! bench of this package cannot name it (rustc: "multiple candidates for
//! `rlib` dependency `ferrotls`", E0464, even with `rlib` added to its
//! crate types); and the shared library is exactly what a C program
//! links. It is built by cargo when the bench starts (`capi/library.rs`),
//! so it is never stale. Its Rust code allocates through its own
//! allocator, which a `#[global_allocator]` here would not see: the bench
//! counts allocations at glibc's `malloc` instead, for both sides alike
//! (`capi/alloc.rs`). Hence Linux with glibc only.
//!
//! Why Rust and not a C driver: the two sides must run in the same
//! process and the same rounds, and only Rust can call both APIs.
//!
//! Output: a human table, then one line per figure,
//! `RESULT <row> capi=<v> rust=<v> ratio=<capi/rust> unit=<us|allocs>`.
//!
//! Usage (in `capi/`):
//! - `cargo bench --bench capi` — everything, a few seconds once built;
//! - `cargo bench --bench capi -- --quick` (or `FERROTLS_BENCH_QUICK=1`)
//!   — few rounds, a smoke run;
//! - `cargo bench --bench capi -- resumed13` — only the scenarios whose
//!   name contains the word.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[path = "capi/alloc.rs"]
mod alloc;
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[path = "../tests/support/cargo_env.rs"]
mod cargo_env;
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[path = "capi/driver.rs"]
mod driver;
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[path = "capi/library.rs"]
mod library;

fn main() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    driver::main();
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    eprintln!("the capi bench counts allocations at glibc's malloc: Linux with glibc only");
}
