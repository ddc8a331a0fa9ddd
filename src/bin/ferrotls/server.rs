//! `ferrotls server`: accepts TCP connections on a tokio runtime, one
//! task each over the library's tokio adapter, and answers every TLS
//! connection with a page describing it (`--www`) or by echoing what it
//! receives (`--echo`). A whole-handshake deadline and an idle timeout
//! bound what a slow client can hold; accepting never waits for one.

use crate::args::{flag, repeated, value, OptionSpec, Options};
use crate::cert_path;
use crate::deadline::within;
use crate::fleet;
use crate::ocsp_file::OcspFile;
use crate::report::{describe_failure, Report};
use crate::settings::{self, IO_TIMEOUT};
use crate::stdout;
use crate::{Failure, EXIT_FAILED};
use ferrotls::tokio::server::TlsStream;
use ferrotls::{
    ClientAuth, ExternalPsks, FileServerStore, InMemoryAntiReplay, InMemoryServerStore, OsRng,
    ProtocolVersion, RotatingTicketer, ServerConfig, ServerConnection, SystemClock,
    WebPkiClientVerifier,
};
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio::time::Instant;

pub const SYNOPSIS: &str = "server --cert FILE --key FILE [--cert FILE --key FILE ...] \
    [--listen ADDR:PORT] [--www | --echo] \
    [--min-version V] [--max-version V] [--ciphers LIST] [--groups LIST] [--sigalgs LIST] \
    [--tickets N] \
    [--no-session-cache] \
    [--session-dir DIR] [--ticket-keys FILE] [--early-data MAX_BYTES] [--anti-replay] \
    [--session-redis URL --fleet-key-file FILE [--session-prefix P] [--redis-timeout-ms N] \
    [--ticket-rotation SECS] [--ticket-refresh SECS]] \
    [--psk-identity ID --psk HEX [--psk-context CTX]] [--alpn LIST] [--record-size-limit N] [--max-send-fragment N] [--compress-cert LIST] \
    [--request-client-cert CAFILE | --require-client-cert CAFILE | --pin-client-spki SPEC] \
    [--rawpk] [--keylog FILE] [--require-cert-path PATH --post-handshake-ca CAFILE] \
    [--key-update-path PATH] \
    [--renegotiation] [--grease] [--prioritize-chacha] [--half-rtt] [--ocsp FILE] \
    [--handshake-timeout SECS] [--idle-timeout SECS] [--max-connections N] [--json]";

pub const ABOUT: &str = "Serves TLS until killed, or until --max-connections connections are \
done. Prints `listening on ADDR:PORT` to stderr once it accepts (the real port when port 0 \
was asked). Each connection runs in its own task; accepting never waits for one. A \
handshake not done within --handshake-timeout, or a connection with nothing read or \
written for --idle-timeout after it, is closed and reported as failed. A failed connection is reported on \
stderr with the alert sent or received; the exit status is 1 when any failed. A client that \
leaves after its handshake (with or without close_notify) is not a failure. --www answers the \
request line (LF or CRLF) at once, in one write, and a client that closes without one with \
close_notify alone. A finished connection is half-closed and read dry (at most 2 s) before \
the socket closes, so a client still sending gets all we sent. \
V is one of 1.0 1.1 1.2 1.3; LIST is comma-separated.";

pub const OPTIONS: &[OptionSpec] = &[
    repeated("cert", "FILE", "PEM certificate chain, end entity first (required); repeat --cert and --key for more chains (ECDSA beside RSA, other names): a handshake takes, of the chains whose end entity holds the client's server name and then the others, in order, the first whose key signs with an algorithm the client offers; --ocsp staples the first"),
    repeated("key", "FILE", "PEM private key of the end entity, one for each --cert, in the same order (required)"),
    value("listen", "ADDR:PORT", "where to listen (default 127.0.0.1:4433)"),
    flag("www", "answer the request line with an HTTP/1.0 page describing the connection (default)"),
    flag("echo", "send back each piece of application data as soon as it is read"),
    value("min-version", "V", "lowest version accepted"),
    value("max-version", "V", "highest version accepted"),
    value("ciphers", "LIST", "cipher suites accepted, most preferred first (e.g. to enable the CBC suites); '/' cuts the list into tiers, within which the client's order decides (e.g. TLS_AES_128_GCM_SHA256,TLS_CHACHA20_POLY1305_SHA256/TLS_AES_256_GCM_SHA384)"),
    value("groups", "LIST", "key-exchange groups accepted, most preferred first (e.g. X25519MLKEM768,x25519); TLS 1.3 takes a key share the client sent unless '/' splits the list into tiers (OpenSSL 3.5's tuples): then it asks with a HelloRetryRequest for a group of the best tier the client supports (e.g. X25519MLKEM768/x25519,P-256); '?' skips a name this build does not know"),
    value("sigalgs", "LIST", settings::SIGALGS_HELP),
    value("tickets", "N", "TLS 1.3 tickets sent after each handshake (default 2 after a full one, 1 after a resumption); 0 also turns TLS <=1.2 RFC 5077 tickets off, leaving resumption by session ID"),
    flag("no-session-cache", "keep no server-side session state: tickets are self-contained (sealed)"),
    value("session-dir", "DIR", "keep the session cache in DIR, one file per session, so resumption by ID survives a restart"),
    value("ticket-keys", "FILE", "seal tickets with the key set in FILE, created there if missing, so tickets survive a restart and can be shared between servers (TLS 1.3 tickets are sealed only with --no-session-cache; otherwise they are kept in the session cache, e.g. --session-dir)"),
    value("early-data", "MAX_BYTES", "accept up to MAX_BYTES of 0-RTT data (needs the session cache or --anti-replay)"),
    flag("anti-replay", "accept each ClientHello's 0-RTT data once, recording ClientHellos for the freshness window, so 0-RTT also goes with --no-session-cache"),
    value("session-redis", "URL", "share resumption with every server on the Redis at URL (redis://HOST[:PORT][/DB]) with the same --session-prefix and --fleet-key-file: the session cache (TLS <=1.2 IDs, TLS 1.3 tickets), the ticket keys (rotated by one server, read by all) and the 0-RTT ClientHello record (as --anti-replay) live there, sealed; with --no-session-cache only the ticket keys and the record. Redis slow or down costs full handshakes, never a failed one, and is logged on stderr"),
    value("fleet-key-file", "FILE", "the fleet key for --session-redis: 32 bytes as 64 hex digits in FILE (openssl rand -hex 32 > FILE), the same on every server; it seals what Redis holds"),
    value("session-prefix", "P", "with --session-redis: the prefix of every Redis key, so several fleets share one Redis (default ferrotls:)"),
    value("redis-timeout-ms", "N", "with --session-redis: how long connecting to Redis and each command may take before it counts as down (default 50)"),
    value("ticket-rotation", "SECS", "with --session-redis: how long a shared ticket key seals before it is rotated (default 43200); it unseals for one more period"),
    value("ticket-refresh", "SECS", "with --session-redis: how often each server reads the shared ticket keys, so a rotation reaches it within SECS (default 60)"),
    value("psk-identity", "ID", "the identity of the TLS 1.3 external PSK --psk (default Client_identity)"),
    value("psk", "HEX", "accept this TLS 1.3 external PSK (SHA-256 suites); a handshake on it sends no certificate"),
    value("psk-context", "CTX", "accept --psk imported under this context (RFC 9258), for SHA-256 and SHA-384 suites"),
    value("alpn", "LIST", "ALPN protocols accepted, most preferred first"),
    value("record-size-limit", "N", "answer a client's record_size_limit (RFC 8449) with N (64-16385): the client sends protected records no larger; 0 answers none (default 16385). A client's max_fragment_length (RFC 6066) is answered, and held to both ways, when it sends no record_size_limit or N is 0"),
    value("max-send-fragment", "N", "send records of at most N bytes of plaintext (64-16384), below what the protocol and the client's record_size_limit allow"),
    value("compress-cert", "LIST", "TLS 1.3 certificate compression (RFC 8879) used and accepted, most preferred first: zlib, brotli, zstd; none turns it off (default brotli,zstd,zlib)"),
    value("request-client-cert", "CAFILE", "ask for a client certificate issued under CAFILE"),
    value("require-client-cert", "CAFILE", "require a client certificate issued under CAFILE"),
    value("require-cert-path", "PATH", "--www: a GET for PATH asks for a client certificate after a TLS 1.3 handshake (post-handshake authentication; after TLS 1.2 by renegotiating, with --renegotiation) and is answered with the client's subject, or 403 without one"),
    value("post-handshake-ca", "CAFILE", "the CA of the certificates --require-cert-path accepts"),
    value("key-update-path", "PATH", "--www: a GET for PATH after a TLS 1.3 handshake is answered under new keys, behind a KeyUpdate that asks the client to update its own (RFC 8446 §4.6.3); after TLS 1.2 the page alone"),
    value("pin-client-spki", "SPEC", "require a client key pinned by SPEC, sent raw (RFC 7250) or in a certificate: sha256:HEX of its DER SubjectPublicKeyInfo, or a file with it (PEM or DER, openssl pkey -pubout)"),
    flag("rawpk", "send the key of --key alone, as a raw public key (RFC 7250), to clients that ask for one"),
    flag("renegotiation", "TLS <=1.2: accept a client's secure renegotiation (RFC 5746), and let --require-cert-path renegotiate to ask for the certificate"),
    flag("grease", "TLS 1.3: put reserved GREASE values a client must ignore in tickets and certificate requests (RFC 8701)"),
    flag("prioritize-chacha", "choose ChaCha20-Poly1305 for a client that prefers it to every other suite it could get, our order otherwise (OpenSSL's SSL_OP_PRIORITIZE_CHACHA)"),
    flag("half-rtt", "TLS 1.3: report the handshake and answer once our Finished is sent, before the client's (half-RTT data, RFC 8446 §4.4.4): with --early-data a request sent as 0-RTT data is answered in our first flight; never when a client certificate is asked for"),
    value("keylog", "FILE", "append NSS key log lines to FILE (default: $SSLKEYLOGFILE)"),
    value("ocsp", "FILE", "staple the DER OCSP response in FILE for clients that ask (status_request); re-read when it changes, no staple while it is missing or bad"),
    value("handshake-timeout", "SECS", "close a connection whose whole handshake takes longer (default 10)"),
    value("idle-timeout", "SECS", "close a connection that reads and writes nothing for this long after its handshake (default 10)"),
    value("max-connections", "N", "exit after N connections"),
    flag("json", "print one JSON object per completed handshake on stdout"),
];

/// The listen address when `--listen` is not given.
const DEFAULT_LISTEN: &str = "127.0.0.1:4433";

/// How much `--echo` reads and sends back at a time: one record's
/// plaintext at most (2^14 bytes, RFC 8446 §5.1, RFC 5246 §6.2.1), so a
/// record that arrives whole is echoed as one record, as `openssl
/// s_server` (a 16 KiB buffer) does.
const ECHO_PIECE_LEN: usize = 1 << 14;

/// The most connections served at the same time (design §2, bounded
/// everything); one more is closed as soon as it is accepted, so accepting
/// never waits. With [`DEFAULT_HANDSHAKE_TIMEOUT`] a client that never
/// finishes its handshake holds a place for at most that long, so this
/// many such clients cannot keep others out for longer.
pub const MAX_CONCURRENT_CONNECTIONS: usize = 4096;

/// How long the whole handshake may take when `--handshake-timeout` is not
/// given, from accept to the last flight sent: the tool's I/O timeout. A
/// client trickling its ClientHello byte by byte is closed then.
pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = IO_TIMEOUT;

/// How long a connection may read and write nothing after its handshake
/// when `--idle-timeout` is not given: the tool's I/O timeout.
pub const DEFAULT_IDLE_TIMEOUT: Duration = IO_TIMEOUT;

/// The pause after a failed accept (out of file descriptors, say) before
/// the next, so a persistent failure does not spin.
pub const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// The longest request line (RFC 1945 §5.1, `Request-Line`) `--www`
/// reads before answering anyway: the size of the buffer `openssl
/// s_server -www` reads its first line into.
pub const MAX_REQUEST_LINE: usize = 16 * 1024;

/// How long a finished connection waits, after half-closing its socket,
/// for the client to close its side. Closing a socket with unread bytes
/// in it makes the kernel reset the connection, and a client still
/// sending (a request split into many records, the rest of a flight we
/// refused) may then lose our last records: the page, close_notify, an
/// alert. `openssl s_server` reads its socket dry before closing it for
/// the same reason.
pub const LINGER: Duration = Duration::from_secs(2);

/// The most bytes read and dropped while lingering ([`LINGER`]): the
/// rest of the longest handshake message a client can announce (2^24 − 1
/// bytes, RFC 8446 §4) with its record headers and some slack, so a
/// client still sending a message we refused from its header reads our
/// alert rather than a reset.
pub const MAX_LINGER_BYTES: usize = 17 << 20;

/// What the server does with each connection once the handshake is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Reads a request line, answers with a page describing the
    /// connection, closes.
    Www,
    /// Echoes application data until the client closes.
    Echo,
}

/// What happened to one connection.
pub enum Event {
    /// The handshake completed with these parameters.
    Handshake(Box<Report>),
    /// The connection failed; the text names the alert.
    Failed(String),
}

/// Everything a connection task needs.
pub struct Service {
    pub config: Arc<ServerConfig>,
    /// `--ocsp`: the configuration stapling the file's response, used
    /// instead of `config`.
    pub ocsp: Option<OcspFile>,
    pub mode: Mode,
    /// The whole handshake's deadline.
    pub handshake_timeout: Duration,
    /// The longest wait for a read or write after the handshake.
    pub idle_timeout: Duration,
    /// `--www`: the path whose requests need a client certificate, asked
    /// for after the handshake.
    pub require_cert_path: Option<String>,
    /// `--www`: the path whose requests are answered behind a KeyUpdate
    /// that asks the client to update too (TLS 1.3).
    pub key_update_path: Option<String>,
    /// Told about every handshake and failure, from the connection's
    /// task.
    pub events: Box<dyn Fn(Event) + Send + Sync>,
}

pub fn run(options: Options) -> Result<ExitCode, Failure> {
    if let Some(extra) = options.positionals().first() {
        return Err(format!("unexpected argument {extra:?}").into());
    }
    let mode = match (options.has("www"), options.has("echo")) {
        (true, true) => return Err("--www and --echo exclude each other".into()),
        (_, true) => Mode::Echo,
        _ => Mode::Www,
    };
    let config = config(&options)?;
    let ocsp = options
        .get("ocsp")
        .map(|path| OcspFile::new(path, Arc::clone(&config)));
    let max_connections = options.number::<usize>("max-connections")?;
    let json = options.has("json");
    let handshake_timeout = options
        .seconds("handshake-timeout")?
        .unwrap_or(DEFAULT_HANDSHAKE_TIMEOUT);
    let idle_timeout = options
        .seconds("idle-timeout")?
        .unwrap_or(DEFAULT_IDLE_TIMEOUT);
    let listen = options.get("listen").unwrap_or(DEFAULT_LISTEN);
    let listener = std::net::TcpListener::bind(listen)
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    eprintln!("listening on {local}");
    let service = Arc::new(Service {
        config,
        ocsp,
        mode,
        handshake_timeout,
        idle_timeout,
        require_cert_path: options.get("require-cert-path").map(str::to_string),
        key_update_path: options.get("key-update-path").map(str::to_string),
        events: Box::new(move |event| match event {
            Event::Handshake(report) if json => stdout::line(&report.to_json()),
            Event::Handshake(_) => {}
            Event::Failed(why) => eprintln!("ferrotls server: {why}"),
        }),
    });
    let failures = serve(listener, &service, max_connections)?;
    Ok(if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    })
}

/// A ticketer with the key set in `path`, or with a fresh one saved
/// there (readable by its owner only) when the file does not exist.
fn ticket_keys(path: &str) -> Result<Arc<RotatingTicketer>, Failure> {
    let ticketer = RotatingTicketer::new(Arc::new(OsRng::new()), Arc::new(SystemClock))
        .map_err(|e| format!("--ticket-keys: {e}"))?;
    match std::fs::read(path) {
        Ok(bytes) => ticketer
            .import_keys(&bytes)
            .map_err(|e| format!("--ticket-keys {path}: {e}"))?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let keys = ticketer
                .export_keys()
                .map_err(|e| format!("--ticket-keys: {e}"))?;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            options
                .open(path)
                .and_then(|mut f| f.write_all(keys.as_bytes()))
                .map_err(|e| format!("--ticket-keys {path}: cannot write: {e}"))?;
        }
        Err(e) => return Err(format!("--ticket-keys {path}: cannot read: {e}").into()),
    }
    Ok(Arc::new(ticketer))
}

/// The server configuration the options describe.
fn config(options: &Options) -> Result<Arc<ServerConfig>, Failure> {
    let (certs, keys) = (options.all("cert"), options.all("key"));
    if certs.len() != keys.len() {
        return Err(format!(
            "{} --cert and {} --key: each chain needs its key",
            certs.len(),
            keys.len()
        )
        .into());
    }
    let mut chains = certs
        .iter()
        .zip(keys)
        .map(|(cert, key)| settings::certified_key(cert, key));
    let first = chains.next().ok_or("missing --cert")??;
    let versions = settings::versions(options)?;
    let mut builder = ServerConfig::builder(first).versions(&versions);
    for chain in chains {
        builder = builder.certificate(chain?);
    }
    match settings::suite_tiers(options, &versions)? {
        // Cut by `/`: the client's order decides within a tier.
        Some(tiers) if tiers.len() > 1 => builder = builder.cipher_suite_tiers(&tiers),
        Some(tiers) => builder = builder.cipher_suites(&tiers.concat()),
        None => {}
    }
    if let Some(list) = options.get("groups") {
        builder = builder.group_tiers(&settings::group_list(list)?.tiers);
    }
    if let Some(list) = options.get("sigalgs") {
        builder = builder.signature_schemes(&settings::signature_schemes(list)?);
    }
    if let Some(list) = options.get("alpn") {
        let protocols = settings::alpn(list);
        let borrowed: Vec<&[u8]> = protocols.iter().map(Vec::as_slice).collect();
        builder = builder.alpn_protocols(&borrowed);
    }
    builder = builder.max_fragment_size(options.number("max-send-fragment")?);
    if let Some(limit) = settings::record_size_limit(options)? {
        builder = builder.record_size_limit(limit);
    }
    if let Some(list) = options.get("compress-cert") {
        builder = builder.certificate_compression(&settings::compress_cert(list)?);
    }
    if let Some(n) = options.number::<usize>("tickets")? {
        builder = builder.tickets(n);
    }
    let fleet = fleet::from_options(options)?;
    if fleet.is_some() {
        for excluded in ["session-dir", "ticket-keys"] {
            if options.has(excluded) {
                return Err(format!("--session-redis excludes --{excluded}").into());
            }
        }
    }
    match (options.has("no-session-cache"), options.get("session-dir")) {
        (true, Some(_)) => return Err("--no-session-cache excludes --session-dir".into()),
        // No ID cache either: the builder's default would keep one.
        (true, None) => builder = builder.session_cache(None),
        (false, Some(dir)) => {
            let store = FileServerStore::new(dir, Arc::new(SystemClock))
                .map_err(|e| format!("--session-dir {dir}: {e}"))?;
            builder = builder.session_store(Arc::new(store));
        }
        (false, None) => match &fleet {
            Some(fleet) => builder = builder.session_store(fleet.store.clone()),
            None => {
                builder = builder
                    .session_store(Arc::new(InMemoryServerStore::new(Arc::new(SystemClock))));
            }
        },
    }
    if let Some(path) = options.get("ticket-keys") {
        builder = builder.ticketer(ticket_keys(path)?);
    }
    if let Some(max) = options.number::<u32>("early-data")? {
        builder = builder.max_early_data_size(max);
    }
    match &fleet {
        Some(fleet) => {
            builder = builder
                .ticketer(fleet.ticket_keys.clone())
                .anti_replay(fleet.anti_replay.clone());
        }
        None if options.has("anti-replay") => {
            builder = builder.anti_replay(Arc::new(InMemoryAntiReplay::new()));
        }
        None => {}
    }
    let external = settings::external_psks(options)?;
    if !external.is_empty() {
        let mut psks = ExternalPsks::new();
        for psk in external {
            psks.insert(psk);
        }
        builder = builder.external_psks(Arc::new(psks));
    }
    builder = builder.raw_public_key(options.has("rawpk"));
    builder = builder.client_auth(
        match (
            options.get("request-client-cert"),
            options.get("require-client-cert"),
            options.get("pin-client-spki"),
        ) {
            (Some(ca), None, None) => {
                ClientAuth::Optional(Arc::new(WebPkiClientVerifier::new(settings::roots(ca)?)))
            }
            (None, Some(ca), None) => {
                ClientAuth::Required(Arc::new(WebPkiClientVerifier::new(settings::roots(ca)?)))
            }
            (None, None, Some(spec)) => {
                ClientAuth::Required(Arc::new(settings::pinned_keys(spec)?))
            }
            (None, None, None) => ClientAuth::None,
            _ => {
                return Err(
                    "--request-client-cert, --require-client-cert and --pin-client-spki \
                            exclude each other"
                        .into(),
                )
            }
        },
    );
    match (
        options.get("require-cert-path"),
        options.get("post-handshake-ca"),
    ) {
        (Some(_), Some(ca)) => {
            builder = builder.post_handshake_client_auth(ClientAuth::Optional(Arc::new(
                WebPkiClientVerifier::new(settings::roots(ca)?),
            )))
        }
        (None, None) => {}
        _ => return Err("--require-cert-path and --post-handshake-ca go together".into()),
    }
    builder = builder
        .renegotiation(options.has("renegotiation"))
        .grease(options.has("grease"))
        .prioritize_chacha(options.has("prioritize-chacha"))
        .send_half_rtt_data(options.has("half-rtt"));
    if let Some(log) = settings::key_log(options)? {
        builder = builder.key_log(log);
    }
    builder.build().map_err(|e| e.to_string().into())
}

/// Accepts connections on `listener` until `max_connections` have been
/// accepted (forever when `None`), each in its own task on a tokio
/// runtime (at most [`MAX_CONCURRENT_CONNECTIONS`] at once); waits for
/// them and returns how many failed. Fails only when the runtime cannot
/// start or `listener` cannot join it.
pub fn serve(
    listener: std::net::TcpListener,
    service: &Arc<Service>,
    max_connections: Option<usize>,
) -> Result<usize, Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("runtime: {e}"))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("listener: {e}"))?;
    runtime.block_on(async {
        let listener = TcpListener::from_std(listener).map_err(|e| format!("listener: {e}"))?;
        Ok(accept_loop(listener, Arc::clone(service), max_connections).await)
    })
}

/// [`serve`]'s loop: accepting never waits for a connection.
async fn accept_loop(
    listener: TcpListener,
    service: Arc<Service>,
    max_connections: Option<usize>,
) -> usize {
    let mut running = JoinSet::new();
    let mut failures = 0;
    let mut accepted = 0;
    while max_connections.is_none_or(|max| accepted < max) {
        while let Some(done) = running.try_join_next() {
            failures += usize::from(!done.unwrap_or(false));
        }
        let (sock, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                (service.events)(Event::Failed(format!("accept: {e}")));
                failures += 1;
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                continue;
            }
        };
        accepted += 1;
        if running.len() >= MAX_CONCURRENT_CONNECTIONS {
            (service.events)(Event::Failed(format!(
                "{peer}: closed: {MAX_CONCURRENT_CONNECTIONS} connections are running"
            )));
            failures += 1;
            continue;
        }
        let service = Arc::clone(&service);
        running.spawn(async move {
            match connection(sock, &service).await {
                Ok(()) => true,
                Err(why) => {
                    (service.events)(Event::Failed(format!("{peer}: {why}")));
                    false
                }
            }
        });
    }
    while let Some(done) = running.join_next().await {
        failures += usize::from(!done.unwrap_or(false));
    }
    failures
}

/// Runs one connection: handshake (within the handshake deadline),
/// report, then the mode's exchange (each read and write within the idle
/// timeout). With `--half-rtt` the handshake runs only to where our data
/// may go, and the exchange's first read completes it. A client that
/// goes away once the handshake is done is not a failure (see
/// [`went_away`]), as with `openssl s_server`.
async fn connection(sock: TcpStream, service: &Service) -> Result<(), String> {
    let config = match &service.ocsp {
        Some(file) => file.config(),
        None => Arc::clone(&service.config),
    };
    let mut tls = TlsStream::new(sock, ServerConnection::new(config));
    let handshake = within(
        service.handshake_timeout,
        "the handshake",
        tls.complete_handshake_until_writable(),
    )
    .await;
    let conn = tls.get_ref().1;
    let result = if (handshake.is_err() && conn.is_handshaking()) || conn.error().is_some() {
        handshake
    } else {
        // Reported even when sending the last handshake bytes (TLS 1.3
        // tickets) failed: the handshake itself completed.
        let report = Report::of(conn, "server");
        let page = report.to_text();
        (service.events)(Event::Handshake(Box::new(report)));
        match handshake {
            Ok(()) => exchange(&mut tls, service, &page).await,
            Err(e) => Err(e),
        }
    };
    // Whatever is still queued (an alert after a failure) goes out first.
    let _ = within(service.idle_timeout, "sending", tls.flush()).await;
    let (sock, conn) = tls.into_inner();
    linger(sock).await;
    match result {
        Err(e) if !went_away(&conn, &e) => Err(describe_failure(&conn, &e)),
        _ => Ok(()),
    }
}

/// Half-closes `sock` and reads it dry, for at most [`LINGER`] and
/// [`MAX_LINGER_BYTES`], so the client reads all we sent before the
/// socket closes.
async fn linger(mut sock: TcpStream) {
    if sock.shutdown().await.is_err() {
        return;
    }
    let deadline = Instant::now() + LINGER;
    let mut sink = [0u8; 4096];
    let mut dropped = 0;
    while dropped < MAX_LINGER_BYTES {
        match tokio::time::timeout_at(deadline, sock.read(&mut sink)).await {
            Ok(Ok(n)) if n > 0 => dropped += n,
            _ => return,
        }
    }
}

/// Whether `error` only says that the client left after a completed
/// handshake: the transport ended (without close_notify, or reset) and
/// the connection itself recorded no error.
fn went_away(conn: &ServerConnection, error: &io::Error) -> bool {
    !conn.is_handshaking()
        && conn.error().is_none()
        && matches!(
            error.kind(),
            io::ErrorKind::UnexpectedEof
                | io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
        )
}

/// The exchange after the handshake, then close_notify. `--www` answers
/// a request line with `page` in one write, and a client that closes
/// without a request with close_notify alone; `--echo` sends back each
/// read as soon as it returns. Each read and write waits at most the idle
/// timeout.
async fn exchange(tls: &mut TlsStream<TcpStream>, service: &Service, page: &str) -> io::Result<()> {
    let idle = service.idle_timeout;
    match service.mode {
        Mode::Www => {
            if let Some(line) = read_request_line(tls, idle).await? {
                let asks_for = |path: &Option<String>| {
                    path.as_deref()
                        .is_some_and(|path| request_asks_for(&line, path))
                };
                // A request read as 0-RTT data under --half-rtt comes
                // before the client's Finished; asking for a certificate
                // and a KeyUpdate are post-handshake messages (RFC 8446
                // §4.6), so they wait for it.
                if asks_for(&service.require_cert_path) || asks_for(&service.key_update_path) {
                    within(idle, "the handshake", tls.complete_handshake()).await?;
                }
                let response = if asks_for(&service.require_cert_path) {
                    cert_path::respond(tls, idle, page).await?
                } else {
                    let conn = tls.get_mut().1;
                    if asks_for(&service.key_update_path)
                        && conn.protocol_version() == Some(ProtocolVersion::TLSv1_3)
                    {
                        conn.refresh_traffic_keys(true).map_err(io::Error::other)?;
                    }
                    format!(
                        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n\
                         ferrotls server\n{page}"
                    )
                };
                within(idle, "sending", tls.write_all(response.as_bytes())).await?;
            }
        }
        Mode::Echo => {
            let mut buf = vec![0u8; ECHO_PIECE_LEN];
            loop {
                let n = within(idle, "waiting for data", tls.read(&mut buf)).await?;
                if n == 0 {
                    break;
                }
                within(
                    idle,
                    "sending",
                    tls.write_all(buf.get(..n).unwrap_or_default()),
                )
                .await?;
            }
        }
    }
    tls.get_mut().1.send_close_notify();
    within(idle, "sending", tls.flush()).await
}

/// Whether the request line `line` (`GET /path HTTP/1.0`) asks for `path`.
fn request_asks_for(line: &[u8], path: &str) -> bool {
    let line = String::from_utf8_lossy(line);
    let mut parts = line.split_whitespace();
    parts.next() == Some("GET") && parts.next() == Some(path)
}

/// Reads until the request line is complete (its `\n`, whether the line
/// ends in LF or CRLF) or [`MAX_REQUEST_LINE`] bytes arrived, like
/// `openssl s_server -www`, which answers the first line without waiting
/// for the rest of the head. Returns what was read (the line first), or
/// `None` when the client closed first.
async fn read_request_line(
    tls: &mut (impl AsyncRead + Unpin),
    idle: Duration,
) -> io::Result<Option<Vec<u8>>> {
    let mut received = Vec::new();
    let mut buf = [0u8; 1024];
    while received.len() < MAX_REQUEST_LINE {
        let n = within(idle, "waiting for the request", tls.read(&mut buf)).await?;
        if n == 0 {
            return Ok(None);
        }
        let read = buf.get(..n).unwrap_or_default();
        received.extend_from_slice(read);
        if read.contains(&b'\n') {
            break;
        }
    }
    Ok(Some(received))
}
