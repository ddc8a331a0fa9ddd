//! Client authentication, over TCP on 127.0.0.1: a server that requires a
//! client certificate (`ClientAuth::Required` with a
//! `WebPkiClientVerifier`), a client that offers one and is let in, and a
//! client without one that is refused with `certificate_required` (RFC
//! 8446 §4.4.2.4). Prints what each side saw.
//!
//! ```text
//! cargo run --example client_auth [CLIENT_CHAIN CLIENT_KEY CLIENT_ROOT]
//! ```
//!
//! It starts its own server, on a free port, with `vectors/pki`'s P-256
//! leaf (`leaf.p256.test`). CLIENT_CHAIN and CLIENT_KEY (PEM files, the
//! client's certificate) default to the P-384 leaf, CLIENT_ROOT (what the
//! server trusts for clients) to the P-384 root. Exits with status 1
//! unless the first client is let in and the second refused.

use std::error::Error;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{self, Sender};
use std::sync::Arc;

use ferrotls::{CertifiedKey, ClientAuth, ClientConfig, ClientConnection, RootStore};
use ferrotls::{ServerConfig, ServerConnection, StreamOwned};
use ferrotls::{WebPkiClientVerifier, WebPkiServerVerifier};

/// Serves every connection of `listener` in turn: reads a line, answers
/// it, and reports to `reports` what it saw of the client (its chain) or
/// why the handshake failed.
fn serve(listener: TcpListener, config: Arc<ServerConfig>, reports: Sender<String>) {
    for tcp in listener.incoming() {
        let served = tcp.map_err(Box::<dyn Error>::from).and_then(|tcp| {
            let mut tls = StreamOwned::new(ServerConnection::new(config.clone()), tcp);
            let mut line = String::new();
            BufReader::new(&mut tls).read_line(&mut line)?;
            tls.write_all(b"welcome\n")?;
            tls.conn.send_close_notify();
            tls.flush()?;
            let sizes: Vec<usize> = tls.conn.peer_certificates().iter().map(Vec::len).collect();
            Ok(format!(
                "client chain of {} certificates, {sizes:?} bytes (DER)",
                sizes.len()
            ))
        });
        let report = served.unwrap_or_else(|e| format!("refused: {e}"));
        if reports.send(report).is_err() {
            // Nobody is listening any more.
            return;
        }
    }
}

/// One connection: a line each way. Returns the server's answer.
fn connect(config: Arc<ClientConfig>, address: SocketAddr) -> Result<String, Box<dyn Error>> {
    let conn = ClientConnection::new(config, "leaf.p256.test".parse()?)?;
    let mut tls = StreamOwned::new(conn, TcpStream::connect(address)?);
    tls.write_all(b"hello\n")?;
    let mut answer = String::new();
    // In TLS 1.3 the client's handshake is over before the server has
    // judged its certificate: a refusal arrives here, as an alert.
    tls.read_to_string(&mut answer)?;
    tls.conn.send_close_notify();
    tls.flush()?;
    Ok(answer)
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki");
    let mut args = std::env::args().skip(1);
    let client_chain = args
        .next()
        .unwrap_or_else(|| format!("{dir}/p384-chain.pem"));
    let client_key = args
        .next()
        .unwrap_or_else(|| format!("{dir}/p384-leaf.key"));
    let client_root = args
        .next()
        .unwrap_or_else(|| format!("{dir}/p384-root.pem"));

    let client_verifier =
        WebPkiClientVerifier::new(Arc::new(RootStore::from_pem_file(client_root)?));
    let server_key = CertifiedKey::from_pem_files(
        format!("{dir}/p256-chain.pem"),
        format!("{dir}/p256-leaf.key"),
    )?;
    let server = ServerConfig::builder(Arc::new(server_key))
        .client_auth(ClientAuth::Required(Arc::new(client_verifier)))
        .build()?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    let (reports, received) = mpsc::channel();
    std::thread::spawn(move || serve(listener, server, reports));

    let server_roots = RootStore::from_pem_file(format!("{dir}/p256-root.pem"))?;
    let server_verifier = Arc::new(WebPkiServerVerifier::new(Arc::new(server_roots)));
    let with_certificate = ClientConfig::builder(server_verifier.clone())
        .client_certificate(Arc::new(CertifiedKey::from_pem_files(
            client_chain,
            client_key,
        )?))
        .build()?;
    let without = ClientConfig::builder(server_verifier).build()?;

    let answer = connect(with_certificate, address)?;
    print!("client with a certificate: answer {answer}");
    println!("  server: {}", received.recv()?);

    let refused = connect(without, address);
    println!(
        "client without a certificate: {}",
        match &refused {
            Ok(answer) => format!("answer {answer:?}"),
            Err(e) => format!("failed: {e}"),
        }
    );
    let server_saw = received.recv()?;
    println!("  server: {server_saw}");
    if refused.is_ok() || !server_saw.starts_with("refused") {
        return Err("a client without a certificate was let in".into());
    }
    Ok(())
}
