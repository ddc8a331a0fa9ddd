//! A blocking TLS server: a thread per connection, each reading one line,
//! answering it and closing with close_notify.
//!
//! ```text
//! cargo run --example blocking_server [ADDRESS] [CHAIN KEY]
//! cargo run --example blocking_client [ADDRESS] [NAME] [ROOT]
//! ```
//!
//! ADDRESS defaults to 127.0.0.1:4433; port 0 picks a free one. The
//! address it listens on is the first line it prints, then one line per
//! handshake. CHAIN and KEY (PEM files) default to `vectors/pki`'s P-256
//! leaf, for `leaf.p256.test`.

use std::error::Error;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use ferrotls::{CertifiedKey, ServerConfig, ServerConnection, StreamOwned};

/// How long a client may stay silent before its connection is dropped,
/// so that one idle client cannot hold a thread forever.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs the handshake, answers the client's line, closes, and prints what
/// was agreed: version, cipher suite, group, whether the session was
/// resumed and the server's session ID (the one that persists across
/// resumptions).
fn serve(config: Arc<ServerConfig>, tcp: TcpStream) -> Result<(), Box<dyn Error>> {
    tcp.set_read_timeout(Some(READ_TIMEOUT))?;
    let mut tls = StreamOwned::new(ServerConnection::new(config), tcp);
    let mut line = String::new();
    // The first read runs the handshake.
    BufReader::new(&mut tls).read_line(&mut line)?;
    tls.write_all(format!("you said: {line}").as_bytes())?;
    tls.conn.send_close_notify();
    tls.flush()?;
    let conn = &tls.conn;
    println!(
        "handshake: {:?}, {:?}, {:?}, resumed {}, session id {}",
        conn.protocol_version(),
        conn.cipher_suite(),
        conn.negotiated_group(),
        conn.is_resumed(),
        hex(conn.session_id()),
    );
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki");
    let mut args = std::env::args().skip(1);
    let address = args.next().unwrap_or_else(|| "127.0.0.1:4433".into());
    let chain = args
        .next()
        .unwrap_or_else(|| format!("{dir}/p256-chain.pem"));
    let key = args
        .next()
        .unwrap_or_else(|| format!("{dir}/p256-leaf.key"));
    let certified = CertifiedKey::from_pem_files(chain, key)?;
    let config = ServerConfig::builder(Arc::new(certified)).build()?;

    let listener = TcpListener::bind(&address)?;
    println!("listening on {}", listener.local_addr()?);
    for tcp in listener.incoming() {
        let tcp = tcp?;
        let peer = tcp.peer_addr()?;
        let config = config.clone();
        std::thread::spawn(move || {
            if let Err(e) = serve(config, tcp) {
                eprintln!("{peer}: {e}");
            }
        });
    }
    Ok(())
}
