//! A blocking TLS client: connects to the `blocking_server` example,
//! sends a line, prints the answer and what the handshake agreed.
//!
//! ```text
//! cargo run --example blocking_server
//! cargo run --example blocking_client [ADDRESS] [NAME] [ROOT]
//! ```
//!
//! ADDRESS defaults to 127.0.0.1:4433, NAME (checked against the server's
//! certificate, and sent as SNI) to `leaf.p256.test`, and ROOT (a PEM file
//! of the certificates to trust) to `vectors/pki/p256-root.pem`.

use std::error::Error;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use ferrotls::WebPkiServerVerifier;
use ferrotls::{ClientConfig, ClientConnection, RootStore, ServerName, StreamOwned};

fn main() -> Result<(), Box<dyn Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki");
    let mut args = std::env::args().skip(1);
    let address = args.next().unwrap_or_else(|| "127.0.0.1:4433".into());
    let name: ServerName = args.next().as_deref().unwrap_or("leaf.p256.test").parse()?;
    let root = args
        .next()
        .unwrap_or_else(|| format!("{dir}/p256-root.pem"));
    let roots = RootStore::from_pem_file(root)?;
    let config =
        ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots)))).build()?;

    let conn = ClientConnection::new(config, name)?;
    let tcp = TcpStream::connect(&address)
        .map_err(|e| format!("{address}: {e} (is the blocking_server example running?)"))?;
    let mut tls = StreamOwned::new(conn, tcp);
    // The first write runs the handshake.
    tls.write_all(b"hello from blocking_client\n")?;
    let mut answer = String::new();
    // Until the server's close_notify; then ours.
    tls.read_to_string(&mut answer)?;
    tls.conn.send_close_notify();
    tls.flush()?;

    let conn = &tls.conn;
    println!(
        "connected: {:?}, {:?}, {:?}, session id {}",
        conn.protocol_version(),
        conn.cipher_suite(),
        conn.negotiated_group(),
        hex(conn.session_id()),
    );
    print!("answer: {answer}");
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
