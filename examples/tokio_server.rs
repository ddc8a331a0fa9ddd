//! An echo server on the tokio adapter that chooses its certificate by
//! the name the client asks for (SNI), read before the handshake goes on.
//!
//! ```text
//! cargo run --features tokio --example tokio_server [ADDRESS]
//! cargo run --features tokio --example tokio_client [ADDRESS] [NAME]
//! ```
//!
//! It serves the test certificates of `vectors/pki`: `leaf.p256.test`
//! (the default) and `leaf.rsa2048.test`. ADDRESS defaults to
//! 127.0.0.1:8443; port 0 picks a free one. The address it listens on is
//! the first line it prints.

use std::error::Error;
use std::sync::Arc;

use ferrotls::tokio::LazyConfigAcceptor;
use ferrotls::{CertifiedKey, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The configuration serving `vectors/pki`'s leaf of `key_type`.
fn config(key_type: &str) -> Result<Arc<ServerConfig>, Box<dyn Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki");
    let chain = std::fs::read_to_string(format!("{dir}/{key_type}-chain.pem"))?;
    let key = std::fs::read_to_string(format!("{dir}/{key_type}-leaf.key"))?;
    let certified = CertifiedKey::from_pem(&chain, &key)?;
    Ok(ServerConfig::builder(Arc::new(certified)).build()?)
}

/// Reads the ClientHello, picks the configuration for its server name
/// (the first one when none fits), completes the handshake and echoes
/// until the client closes.
async fn serve(
    tcp: TcpStream,
    configs: Arc<Vec<(String, Arc<ServerConfig>)>>,
) -> std::io::Result<()> {
    let start = LazyConfigAcceptor::new(tcp).await?;
    let name = start.client_hello().server_name().map(str::to_owned);
    let config = configs
        .iter()
        .find(|(n, _)| Some(n) == name.as_ref())
        .or(configs.first())
        .map(|(_, c)| c.clone())
        .ok_or(std::io::ErrorKind::NotFound)?;
    let mut tls = start.into_stream(config).await?;
    let conn = tls.get_ref().1;
    println!(
        "handshake: name {name:?}, {:?}, {:?}",
        conn.protocol_version(),
        conn.cipher_suite()
    );
    let mut buf = vec![0; 16 * 1024];
    loop {
        let n = tls.read(&mut buf).await?;
        if n == 0 {
            // The client's close_notify: answer with ours.
            return tls.shutdown().await;
        }
        tls.write_all(&buf[..n]).await?;
        tls.flush().await?;
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8443".into());
    let configs = Arc::new(vec![
        ("leaf.p256.test".to_owned(), config("p256")?),
        ("leaf.rsa2048.test".to_owned(), config("rsa2048")?),
    ]);
    let listener = TcpListener::bind(&address).await?;
    println!("listening on {}", listener.local_addr()?);
    loop {
        let (tcp, peer) = listener.accept().await?;
        let configs = configs.clone();
        tokio::spawn(async move {
            if let Err(e) = serve(tcp, configs).await {
                eprintln!("{peer}: {e}");
            }
        });
    }
}
