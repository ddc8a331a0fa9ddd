//! ferrotls: a TLS 1.0–1.3 engine written from scratch, client and server,
//! with exact, documented session-identifier semantics.
//!
//! This page is a guide: each section below is a complete program, run as a
//! test (`cargo test --doc`), and `examples/` holds the same as programs you
//! can run (`cargo run --example NAME`, listed in the README).
//!
//! # What it is
//!
//! A client and a server for TLS 1.3 and 1.2 (1.1 and 1.0 opt-in, RFC 8996),
//! with only the cryptographic primitives taken from crates (`ring`, and a
//! few RustCrypto crates behind the `legacy` feature). Everything an
//! embedder needs is at the crate root: the configurations ([`ClientConfig`],
//! [`ServerConfig`] and their builders), the connections
//! ([`ClientConnection`], [`ServerConnection`]), blocking I/O ([`Stream`],
//! [`StreamOwned`]), keys and trust ([`CertifiedKey`], [`RootStore`],
//! [`WebPkiServerVerifier`], [`WebPkiClientVerifier`], [`ClientAuth`]),
//! session stores and tickets, the key log, and one [`Error`] type.
//!
//! Inside, bottom up (`docs/architecture.md`): `codec` and `der` read and
//! write the wire and DER syntax, `msgs` types every message, `crypto` wraps
//! the primitive crates, `record` frames and protects records, `keyschedule`
//! derives every secret of TLS 1.0–1.3, `pki` loads keys and validates
//! certificates, `session` keeps resumable state, `config` holds the
//! settings, `handshake` runs one state machine per role and version family,
//! and `conn` ties them into the sans-IO connection that [`Stream`], the
//! tokio adapter and the C ABI drive.
//!
//! # Feature flags
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `legacy` | on | the primitives ring lacks: CBC suites, TLS 1.0/1.1, RSA key exchange, SHA-1 signatures |
//! | `cli` | on | what the `ferrotls` tool needs (it turns on `tokio` and a tokio runtime) |
//! | `tokio` | with `cli` | `ferrotls::tokio`: async connector, acceptors and streams, over tokio's I/O traits only |
//! | `pki-types` | off | `ferrotls::pki_types` (`rustls-pki-types`): `CertifiedKey::from_der`, `RootStore::add_certificate`, a `RootStore` from `TrustAnchor`s (`webpki-roots`), conversions of `ServerName` and `UnixTime` |
//!
//! An embedder that wants neither the tool nor a runtime takes
//! `default-features = false` and adds `legacy` or `tokio` as needed.
//!
//! # The session-ID contract
//!
//! [`session_id()`](Connection::session_id) on a connection follows
//! GnuTLS's `gnutls_session_get_id` (`docs/session-ids.md` has every rule
//! and the tests proving them): the client sees the ID the server sent in
//! this connection's ServerHello; the server sees an ID that persists
//! across every resumption of the session, in every version, by session
//! ID, by ticket or by TLS 1.3 PSK. At most 32 bytes, empty before the
//! ServerHello. Whether a connection resumed is
//! [`is_resumed()`](Connection::is_resumed), never a comparison of IDs.
//!
//! | handshake | client `session_id()` | server `session_id()` |
//! |---|---|---|
//! | TLS ≤1.2, full | S, the fresh ID the server sent | S |
//! | TLS ≤1.2, resumed by session ID | S | S |
//! | TLS ≤1.2, resumed by RFC 5077 ticket | C, the client's fresh ID, echoed | S, from the ticket |
//! | TLS 1.3, full | L, its own `legacy_session_id`, echoed | T, fresh, never on the wire |
//! | TLS 1.3, resumed with a ticket (PSK) | L′, fresh on every connection | T, from the ticket |
//!
//! # Blocking client
//!
//! A [`ClientConfig`] holds what every connection shares (here, the roots
//! that judge the server), a [`ClientConnection`] is one connection, and a
//! [`StreamOwned`] pairs it with a `TcpStream`: reading and writing run the
//! handshake first. The server this client talks to is the next section's.
//!
//! ```rust
//! use std::io::{Read, Write};
//! use std::net::TcpStream;
//! use std::sync::Arc;
//!
//! use ferrotls::{ClientConfig, ClientConnection, RootStore, ServerName, StreamOwned};
//! use ferrotls::WebPkiServerVerifier;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki");
//! # let address = start_server(dir)?;
//! let roots = RootStore::from_pem_file(format!("{dir}/p256-root.pem"))?;
//! let config = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots))))
//!     .build()?;
//! let name: ServerName = "leaf.p256.test".parse()?;
//!
//! let conn = ClientConnection::new(config, name)?;
//! let mut tls = StreamOwned::new(conn, TcpStream::connect(address)?);
//! tls.write_all(b"hello\n")?;
//! let mut reply = String::new();
//! // Until the server's close_notify; then ours.
//! tls.read_to_string(&mut reply)?;
//! tls.conn.send_close_notify();
//! tls.flush()?;
//!
//! assert_eq!(reply, "you said: hello\n");
//! println!("{:?} {:?} {:?}", tls.conn.protocol_version(), tls.conn.cipher_suite(),
//!     tls.conn.negotiated_group());
//! # Ok(())
//! # }
//! # fn start_server(dir: &str) -> Result<std::net::SocketAddr, Box<dyn std::error::Error>> {
//! #     use std::io::BufRead;
//! #     let key = ferrotls::CertifiedKey::from_pem_files(
//! #         format!("{dir}/p256-chain.pem"),
//! #         format!("{dir}/p256-leaf.key"),
//! #     )?;
//! #     let config = ferrotls::ServerConfig::builder(Arc::new(key)).build()?;
//! #     let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
//! #     let address = listener.local_addr()?;
//! #     std::thread::spawn(move || -> std::io::Result<()> {
//! #         let (tcp, _) = listener.accept()?;
//! #         let mut tls = StreamOwned::new(ferrotls::ServerConnection::new(config), tcp);
//! #         let mut line = String::new();
//! #         std::io::BufReader::new(&mut tls).read_line(&mut line)?;
//! #         tls.write_all(format!("you said: {line}").as_bytes())?;
//! #         tls.conn.send_close_notify();
//! #         tls.flush()
//! #     });
//! #     Ok(address)
//! # }
//! ```
//!
//! # Blocking server
//!
//! A [`ServerConfig`] holds the certificate chain and key
//! ([`CertifiedKey::from_pem_files`]); each accepted TCP connection gets a
//! [`ServerConnection`]. A real server runs each one on its own thread (as
//! `examples/blocking_server.rs` does); this one answers a single client,
//! the previous section's.
//!
//! ```rust
//! use std::io::{BufRead, BufReader, Write};
//! use std::net::TcpListener;
//! use std::sync::Arc;
//!
//! use ferrotls::{CertifiedKey, ServerConfig, ServerConnection, StreamOwned};
//!
//! # type Failure = Box<dyn std::error::Error + Send + Sync>;
//! # fn main() -> Result<(), Failure> {
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki");
//! let key = CertifiedKey::from_pem_files(
//!     format!("{dir}/p256-chain.pem"),
//!     format!("{dir}/p256-leaf.key"),
//! )?;
//! let config = ServerConfig::builder(Arc::new(key)).build()?;
//!
//! let listener = TcpListener::bind("127.0.0.1:0")?;
//! # let client = start_client(listener.local_addr()?, dir);
//! let (tcp, _) = listener.accept()?;
//! let mut tls = StreamOwned::new(ServerConnection::new(config), tcp);
//! let mut line = String::new();
//! BufReader::new(&mut tls).read_line(&mut line)?;
//! tls.write_all(format!("you said: {line}").as_bytes())?;
//! tls.conn.send_close_notify();
//! tls.flush()?;
//!
//! // The persistent session ID of the next section, and what was agreed.
//! println!("{:02x?} {:?}", tls.conn.session_id(), tls.conn.protocol_version());
//! # assert_eq!(client.join().map_err(|_| "the client panicked")??, "you said: hello\n");
//! # Ok(())
//! # }
//! # fn start_client(
//! #     address: std::net::SocketAddr,
//! #     dir: &'static str,
//! # ) -> std::thread::JoinHandle<Result<String, Failure>> {
//! #     std::thread::spawn(move || -> Result<String, Failure> {
//! #         use std::io::Read;
//! #         let roots = ferrotls::RootStore::from_pem_file(format!("{dir}/p256-root.pem"))?;
//! #         let verifier = ferrotls::WebPkiServerVerifier::new(Arc::new(roots));
//! #         let config = ferrotls::ClientConfig::builder(Arc::new(verifier)).build()?;
//! #         let conn = ferrotls::ClientConnection::new(config, "leaf.p256.test".parse()?)?;
//! #         let mut tls = StreamOwned::new(conn, std::net::TcpStream::connect(address)?);
//! #         tls.write_all(b"hello\n")?;
//! #         let mut reply = String::new();
//! #         tls.read_to_string(&mut reply)?;
//! #         Ok(reply)
//! #     })
//! # }
//! ```
//!
//! # Resumption and the session ID
//!
//! A client configuration keeps the sessions it receives (an
//! [`InMemoryClientStore`] by default) and offers them on its next
//! connection to the same server name; a server resumes TLS ≤1.2 sessions
//! by ID from its cache and by ticket, and TLS 1.3 ones by ticket, without
//! any setting. A session can also leave the process:
//! [`ClientConnection::session_data`] exports it as bytes (keep them as
//! private as a key) and [`ClientConnection::resume`] offers them on a new
//! connection, from any configuration for the same server.
//!
//! Below, in memory (`send` is the [Sans-IO](#sans-io) section's), a full
//! handshake then a resumption from exported bytes, in TLS 1.3 and 1.2,
//! reading `session_id()` on both sides.
//!
//! ```rust
//! use std::sync::Arc;
//!
//! use ferrotls::{CertifiedKey, ClientConfig, ClientConnection, ProtocolVersion, RootStore};
//! use ferrotls::{ServerConfig, ServerConnection, ServerName, WebPkiServerVerifier};
//!
//! # type Failure = Box<dyn std::error::Error>;
//! # fn send(from: &mut ferrotls::Connection, to: &mut ferrotls::Connection) -> Result<bool, Failure> {
//! #     let mut wire = Vec::new();
//! #     while from.wants_write() {
//! #         from.write_tls(&mut wire)?;
//! #     }
//! #     let mut received = &wire[..];
//! #     while !received.is_empty() {
//! #         to.read_tls(&mut received)?;
//! #         to.process_new_packets()?;
//! #     }
//! #     Ok(!wire.is_empty())
//! # }
//! /// Runs `client`'s handshake with a new server connection, and what the
//! /// server sends after it (TLS 1.3 tickets).
//! fn connect(
//!     mut client: ClientConnection,
//!     server: &Arc<ServerConfig>,
//! ) -> Result<(ClientConnection, ServerConnection), Failure> {
//!     let mut server = ServerConnection::new(server.clone());
//!     while send(&mut client, &mut server)? | send(&mut server, &mut client)? {}
//!     Ok((client, server))
//! }
//!
//! # fn main() -> Result<(), Failure> {
//! const CHAIN: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki/p256-chain.pem"));
//! const KEY: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki/p256-leaf.key"));
//! const ROOT: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki/p256-root.pem"));
//!
//! let server = ServerConfig::builder(Arc::new(CertifiedKey::from_pem(CHAIN, KEY)?)).build()?;
//! let mut roots = RootStore::new();
//! roots.add_pem(ROOT)?;
//! let verifier = Arc::new(WebPkiServerVerifier::new(Arc::new(roots)));
//! let name: ServerName = "leaf.p256.test".parse()?;
//!
//! for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
//!     let config = ClientConfig::builder(verifier.clone()).versions(&[version]).build()?;
//!
//!     let (client, server_side) = connect(ClientConnection::new(config, name.clone())?, &server)?;
//!     assert!(!client.is_resumed());
//!     let saved: Vec<u8> = client.session_data()?.ok_or("no session")?;
//!
//!     // Another configuration, as in another process: only the bytes carry
//!     // the session.
//!     let config = ClientConfig::builder(verifier.clone()).versions(&[version]).build()?;
//!     let resuming = ClientConnection::resume(config, name.clone(), &saved)?;
//!     let (client2, server_side2) = connect(resuming, &server)?;
//!     assert!(client2.is_resumed() && server_side2.is_resumed());
//!
//!     // The server's ID follows the session through its resumptions...
//!     assert_eq!(server_side.session_id(), server_side2.session_id());
//!     // ...the client's is what this connection's ServerHello carried: S,
//!     // then the fresh C the server echoed when it took the ticket (TLS
//!     // 1.2); L, then L′ (TLS 1.3, where the server's T is never sent).
//!     assert_ne!(client.session_id(), client2.session_id());
//!     if version == ProtocolVersion::TLSv1_2 {
//!         assert_eq!(client.session_id(), server_side.session_id());
//!     } else {
//!         assert_ne!(client.session_id(), server_side.session_id());
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Sans-IO
//!
//! Underneath [`Stream`], a connection never touches I/O: the caller moves
//! bytes. [`Connection::read_tls`] takes what arrived,
//! [`Connection::process_new_packets`] runs the record layer and the
//! handshake over it, [`Connection::write_tls`] hands out what must be sent,
//! and application data goes through [`Connection::reader`] and
//! [`Connection::writer`]. [`ClientConnection`] and [`ServerConnection`]
//! dereference to [`Connection`]. This is how to drive ferrotls from an event
//! loop, a custom transport or a test; here the "network" is a `Vec`.
//! An application that sends from a buffer of its own (one it hands to the
//! kernel, or that gathers several writes) can use [`Connection::seal_into`]
//! instead of `writer` and `write_tls`: the data is sealed straight into
//! that buffer, behind whatever was queued, and copied once instead of
//! twice.
//!
//! ```rust
//! use std::io::{Read, Write};
//! use std::sync::Arc;
//!
//! use ferrotls::{CertifiedKey, ClientConfig, ClientConnection, Connection, RootStore};
//! use ferrotls::{ServerConfig, ServerConnection, WebPkiServerVerifier};
//!
//! type Failure = Box<dyn std::error::Error>;
//!
//! /// Moves what `from` has to send into `to`, as a network would, and lets
//! /// `to` process it; returns whether anything moved.
//! fn send(from: &mut Connection, to: &mut Connection) -> Result<bool, Failure> {
//!     let mut wire = Vec::new();
//!     while from.wants_write() {
//!         from.write_tls(&mut wire)?;
//!     }
//!     let mut received = &wire[..];
//!     while !received.is_empty() {
//!         to.read_tls(&mut received)?;
//!         // Its IoState says what waits: bytes for write_tls, plaintext
//!         // for reader(). On an error the alert is already queued for
//!         // write_tls, and the connection is over.
//!         to.process_new_packets()?;
//!     }
//!     Ok(!wire.is_empty())
//! }
//!
//! # fn main() -> Result<(), Failure> {
//! # const CHAIN: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki/p256-chain.pem"));
//! # const KEY: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki/p256-leaf.key"));
//! # const ROOT: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki/p256-root.pem"));
//! let server_config = ServerConfig::builder(Arc::new(CertifiedKey::from_pem(CHAIN, KEY)?)).build()?;
//! let mut roots = RootStore::new();
//! roots.add_pem(ROOT)?;
//! let client_config =
//!     ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots)))).build()?;
//!
//! // The ClientHello is queued as soon as the connection exists.
//! let mut client = ClientConnection::new(client_config, "leaf.p256.test".parse()?)?;
//! let mut server = ServerConnection::new(server_config);
//! while client.is_handshaking() || server.is_handshaking() {
//!     send(&mut client, &mut server)?;
//!     send(&mut server, &mut client)?;
//! }
//!
//! client.writer().write_all(b"ping")?;
//! send(&mut client, &mut server)?;
//! let mut received = [0; 4];
//! server.reader().read_exact(&mut received)?;
//! assert_eq!(&received, b"ping");
//!
//! // Closing: close_notify, then reader() says end of stream (Ok(0)).
//! server.send_close_notify();
//! send(&mut server, &mut client)?;
//! assert_eq!(client.reader().read(&mut received)?, 0);
//! # Ok(())
//! # }
//! ```
//!
//! # Client authentication
//!
//! A server asks for client certificates with [`ClientAuth`]:
//! `Required` refuses a client without one (`certificate_required`, RFC 8446
//! §4.4.2.4), `Optional` lets it go on; a certificate that is sent must pass
//! the verifier either way ([`WebPkiClientVerifier`]: path validation to the
//! given roots, purpose clientAuth). The client offers its chain and key with
//! [`ClientConfigBuilder::client_certificate`]; the server reads it with
//! [`Connection::peer_certificates`].
//!
//! ```rust
//! use std::sync::Arc;
//!
//! use ferrotls::{AlertDescription, CertifiedKey, ClientAuth, ClientConfig, ClientConnection};
//! use ferrotls::{Error, RootStore, ServerConfig, ServerConnection};
//! use ferrotls::{WebPkiClientVerifier, WebPkiServerVerifier};
//!
//! # type Failure = Box<dyn std::error::Error>;
//! # fn send(from: &mut ferrotls::Connection, to: &mut ferrotls::Connection) -> Result<bool, Failure> {
//! #     let mut wire = Vec::new();
//! #     while from.wants_write() {
//! #         from.write_tls(&mut wire)?;
//! #     }
//! #     let mut received = &wire[..];
//! #     while !received.is_empty() {
//! #         to.read_tls(&mut received)?;
//! #         to.process_new_packets()?;
//! #     }
//! #     Ok(!wire.is_empty())
//! # }
//! # fn connect(
//! #     mut client: ClientConnection,
//! #     server: &Arc<ServerConfig>,
//! # ) -> Result<(ClientConnection, ServerConnection), Failure> {
//! #     let mut server = ServerConnection::new(server.clone());
//! #     while send(&mut client, &mut server)? | send(&mut server, &mut client)? {}
//! #     Ok((client, server))
//! # }
//! # fn main() -> Result<(), Failure> {
//! /// A root store holding the PEM certificates of `pem`.
//! fn roots(pem: &str) -> Result<Arc<RootStore>, Failure> {
//!     let mut roots = RootStore::new();
//!     roots.add_pem(pem)?;
//!     Ok(Arc::new(roots))
//! }
//! macro_rules! vector {
//!     ($name:literal) => {
//!         include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki/", $name))
//!     };
//! }
//!
//! // The server: P-256 certificate, clients' certificates must chain to the
//! // P-384 root.
//! let client_verifier = Arc::new(WebPkiClientVerifier::new(roots(vector!("p384-root.pem"))?));
//! let server_key = CertifiedKey::from_pem(vector!("p256-chain.pem"), vector!("p256-leaf.key"))?;
//! let server = ServerConfig::builder(Arc::new(server_key))
//!     .client_auth(ClientAuth::Required(client_verifier))
//!     .build()?;
//!
//! // The client: trusts the P-256 root, offers its P-384 chain.
//! let server_verifier = Arc::new(WebPkiServerVerifier::new(roots(vector!("p256-root.pem"))?));
//! let client_key = CertifiedKey::from_pem(vector!("p384-chain.pem"), vector!("p384-leaf.key"))?;
//! let config = ClientConfig::builder(server_verifier.clone())
//!     .client_certificate(Arc::new(client_key))
//!     .build()?;
//!
//! let (_, server_side) = connect(ClientConnection::new(config, "leaf.p256.test".parse()?)?, &server)?;
//! // The client's chain, end entity first (DER).
//! assert_eq!(server_side.peer_certificates().len(), 2);
//!
//! // A client without a certificate is refused.
//! let anonymous = ClientConfig::builder(server_verifier).build()?;
//! let refused = connect(ClientConnection::new(anonymous, "leaf.p256.test".parse()?)?, &server);
//! let error = refused.err().ok_or("a client without a certificate was let in")?;
//! // The server's error, and the alert it sent.
//! let error = error.downcast_ref::<Error>().ok_or("not a TLS error")?;
//! assert_eq!(error.alert(), Some(AlertDescription::CertificateRequired));
//! # Ok(())
//! # }
//! ```
//!
//! # Async (tokio)
//!
//! With the `tokio` feature, `ferrotls::tokio` wraps the same connections
//! for any `AsyncRead + AsyncWrite` transport: `TlsConnector` (from an
//! `Arc<ClientConfig>`) and `TlsAcceptor` (from an `Arc<ServerConfig>`) run
//! the handshake and give a `TlsStream`; `LazyConfigAcceptor` reads the
//! ClientHello first (server name, ALPN) so the configuration can be chosen
//! from it. `examples/tokio_server.rs`, `tokio_client.rs` and
//! `hyper_server.rs` (HTTP/1.1 and HTTP/2 with hyper) are complete programs.
//!
//! ```rust
//! # #[cfg(feature = "tokio")]
//! # mod with_tokio {
//! use std::sync::Arc;
//!
//! use ferrotls::tokio::{TlsAcceptor, TlsConnector};
//! use ferrotls::{CertifiedKey, ClientConfig, RootStore, ServerConfig, WebPkiServerVerifier};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//! use tokio::net::{TcpListener, TcpStream};
//!
//! #[tokio::main(flavor = "current_thread")]
//! pub async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//!     let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki");
//!     let key = CertifiedKey::from_pem_files(
//!         format!("{dir}/p256-chain.pem"),
//!         format!("{dir}/p256-leaf.key"),
//!     )?;
//!     let acceptor = TlsAcceptor::from(ServerConfig::builder(Arc::new(key)).build()?);
//!     let listener = TcpListener::bind("127.0.0.1:0").await?;
//!     let address = listener.local_addr()?;
//!     let server = tokio::spawn(async move {
//!         let (tcp, _) = listener.accept().await?;
//!         let mut tls = acceptor.accept(tcp).await?;
//!         let mut request = [0; 5];
//!         tls.read_exact(&mut request).await?;
//!         tls.write_all(b"you said: ").await?;
//!         tls.write_all(&request).await?;
//!         // close_notify, then the TCP write side.
//!         tls.shutdown().await
//!     });
//!
//!     let roots = RootStore::from_pem_file(format!("{dir}/p256-root.pem"))?;
//!     let config =
//!         ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots)))).build()?;
//!     let tcp = TcpStream::connect(address).await?;
//!     let mut tls = TlsConnector::from(config)
//!         .connect("leaf.p256.test".parse()?, tcp)
//!         .await?;
//!     tls.write_all(b"hello").await?;
//!     let mut reply = String::new();
//!     tls.read_to_string(&mut reply).await?;
//!     tls.shutdown().await?;
//!     server.await??;
//!     assert_eq!(reply, "you said: hello");
//!     Ok(())
//! }
//! # }
//! # #[cfg(feature = "tokio")]
//! # fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> { with_tokio::main() }
//! # #[cfg(not(feature = "tokio"))]
//! # fn main() {}
//! ```
// No `unsafe` anywhere in the library: the C ABI, which needs it, is a
// crate of its own (`capi/`, package `ferrotls-capi`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[macro_use]
mod macros;

mod codec;
mod common_state;
mod compression;
mod config;
mod conn;
mod crypto;
mod der;
mod error;
mod handshake;
mod keylog;
mod keyschedule;
mod msgs;
mod observer;
mod pki;
mod record;
mod session;
mod stream;
mod time;
// Public only to be re-exported as `tokio` (a module of that name would
// shadow the tokio crate inside this one).
#[cfg(feature = "tokio")]
#[doc(hidden)]
pub mod tokio_io;

// What an embedder uses, at the crate root.
pub use compression::DEFAULT_CERTIFICATE_COMPRESSION;
pub use config::{
    ClientConfig, ClientConfigBuilder, DangerousClientConfig, Limits, ServerConfig,
    ServerConfigBuilder, ALL_VERSIONS, DEFAULT_GROUPS, DEFAULT_MAX_CONSECUTIVE_EMPTY_RECORDS,
    DEFAULT_MAX_KEY_UPDATES_WITHOUT_DATA, DEFAULT_MAX_PENDING_PLAINTEXT,
    DEFAULT_MAX_RECEIVED_PLAINTEXT, DEFAULT_MAX_REFUSED_RENEGOTIATIONS, DEFAULT_MAX_RENEGOTIATIONS,
    DEFAULT_MAX_WARNING_ALERTS, DEFAULT_RECORD_SIZE_LIMIT, DEFAULT_SIGNATURE_SCHEMES,
    DEFAULT_VERSIONS, MAX_MAX_FRAGMENT_SIZE, MIN_MAX_FRAGMENT_SIZE, TLS10_CIPHER_SUITES,
    TLS12_CBC_CIPHER_SUITES, TLS12_CIPHER_SUITES, TLS12_DHE_CIPHER_SUITES,
    TLS12_RSA_KX_CIPHER_SUITES, TLS13_CIPHER_SUITES,
};
pub use conn::{
    Accepted, Acceptor, ClientConnection, Connection, ConnectionReader, ConnectionWriter,
    EarlyDataReason, EarlyDataStatus, IoState, ServerConnection, Side, MAX_KEY_UPDATES_SENT,
    TLS_EXPORTER_BINDING_LEN,
};
pub use crypto::hash::HashAlgorithm;
pub use crypto::rng::{OsRng, SecureRandom};
pub use error::{AlertDescription, CertificateError, Error, RevocationReason};
pub use handshake::server::MAX_OUTSTANDING_CERTIFICATE_REQUESTS;
pub use handshake::server::{MAX_EARLY_DATA_AGE_SKEW_MS, MAX_PSK_IDENTITIES_CONSIDERED};
pub use handshake::MAX_CERTIFICATE_AUTHORITIES_BYTES;
pub use keylog::{KeyLog, KeyLogFile};
pub use msgs::enums::{
    CertificateCompressionAlgorithm, CertificateType, CipherSuite, HandshakeType, NamedGroup,
    ProtocolVersion, SignatureScheme,
};
pub use msgs::group_list::{GroupList, GroupListError};
pub use observer::{MessageDirection, MessageObserver};
pub use pki::SignatureCache;
pub use pki::{
    certificate_blocks_from_pem, certificates_from_bytes, certificates_from_pem,
    certificates_to_pem, default_certificate_types, pin_of, private_key_from_bytes,
    private_key_from_pem, private_key_from_pem_file, public_keys_to_pem, subject_common_name,
    verify_chain, verify_chain_cached, CertificateRequestInfo, CertifiedKey, ClientAuth,
    ClientCertResolver, ClientCertVerifier, InvalidServerName, KeyUsage, LoadError, PinnedKeys,
    PolicyInputs, Profile, Purpose, Revocation, RevocationPolicy, RootStore, ServerCertVerifier,
    ServerName, TrustAnchor, UnknownKeyUsage, UnknownProfile, Validation, VerifiedPath,
    WebPkiClientVerifier, WebPkiServerVerifier, MAX_INTERMEDIATES, MAX_NAME_CONSTRAINT_CHECKS,
    MAX_POLICIES_PER_EXTENSION, MAX_POLICY_GRAPH_WORK, MAX_SIGNATURE_CHECKS, PIN_LEN,
};
pub use pki::{ClientCertVerified, ServerCertVerified};
pub use pki::{ClientHelloInfo, ServerCertResolver};
pub use pki::{StapledStatus, Staples};
pub use record::joiner::DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE;
pub use record::{MAX_RECORD_SIZE_LIMIT_TLS12, MAX_RECORD_SIZE_LIMIT_TLS13, MIN_RECORD_SIZE_LIMIT};
/// The Rust TLS ecosystem's shared types (feature `pki-types`), which the
/// configuration types convert from.
#[cfg(feature = "pki-types")]
pub use rustls_pki_types as pki_types;
#[cfg(feature = "redis")]
pub use session::redis::{
    anti_replay::RedisAntiReplay,
    store::RedisSessionStore,
    ticket_keys::{
        RedisTicketKeys, RedisTicketKeysSettings, CACHE_ROTATION_GRACE_REFRESHES,
        DEFAULT_TICKET_KEY_REFRESH_INTERVAL, LEASE_TOKEN_LEN, TICKET_KEY_LEASE,
    },
    RedisConnection, RedisFailure, RedisFailureCallback, DEFAULT_REDIS_BACKOFF,
    DEFAULT_REDIS_PREFIX, DEFAULT_REDIS_TIMEOUT, FLEET_KEY_LEN, MAX_IDLE_REDIS_CONNECTIONS,
};
/// The state a [`ServerSessionStore`] keeps: named here so that a store
/// outside this crate (an external cache, the C library's callbacks) can
/// implement the trait, and encode and decode the state with
/// [`ServerSessionState::to_bytes`] and [`ServerSessionState::from_bytes`].
pub use session::ServerSessionState;
pub use session::{
    AntiReplay, ClientSessionData, ClientSessionStore, ExternalPsk, ExternalPskStore, ExternalPsks,
    FileServerStore, InMemoryAntiReplay, InMemoryClientStore, InMemoryServerStore, ReplayCheck,
    RotatingTicketer, ServerSessionStore, SessionId, Ticketer, DEFAULT_ANTI_REPLAY_CAPACITY,
    DEFAULT_ANTI_REPLAY_WINDOW_MS, DEFAULT_CLIENT_STORE_SERVERS, DEFAULT_LIFETIME_SECS,
    MAX_EXTERNAL_PSK_LEN, MAX_RESUMPTION_DATA_LEN, MIN_EXTERNAL_PSK_LEN,
};
pub use stream::{Stream, StreamOwned};
pub use time::{Clock, ManualClock, SystemClock, UnixTime};
/// The tokio adapter (feature `tokio`): async connector, acceptors and
/// streams.
#[cfg(feature = "tokio")]
#[doc(inline)]
pub use tokio_io as tokio;

// Not part of the API (its own doc says what it is for).
#[doc(hidden)]
pub mod internal;
