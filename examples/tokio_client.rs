//! A client on the tokio adapter: connects to the `tokio_server` example,
//! sends a line, prints the echo and closes with close_notify.
//!
//! ```text
//! cargo run --features tokio --example tokio_client [ADDRESS] [NAME]
//! ```
//!
//! ADDRESS defaults to 127.0.0.1:8443 and NAME to `leaf.p256.test`; the
//! server's chain is checked against `vectors/pki`'s root for NAME
//! (`leaf.KEY.test` → `KEY-root.pem`).

use std::error::Error;
use std::sync::Arc;

use ferrotls::tokio::TlsConnector;
use ferrotls::{ClientConfig, RootStore, ServerName, WebPkiServerVerifier};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let address = args.next().unwrap_or_else(|| "127.0.0.1:8443".into());
    let name = args.next().unwrap_or_else(|| "leaf.p256.test".into());
    let key_type = name
        .strip_prefix("leaf.")
        .and_then(|rest| rest.strip_suffix(".test"))
        .ok_or("NAME is leaf.KEY.test")?;
    let root = std::fs::read_to_string(format!(
        "{}/vectors/pki/{key_type}-root.pem",
        env!("CARGO_MANIFEST_DIR")
    ))?;
    let mut roots = RootStore::new();
    roots.add_pem(&root)?;
    let config =
        ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots)))).build()?;

    let tcp = TcpStream::connect(&address).await?;
    let mut tls = TlsConnector::from(config)
        .connect(ServerName::parse(&name)?, tcp)
        .await?;
    println!(
        "connected: {:?}, {:?}",
        tls.get_ref().1.protocol_version(),
        tls.get_ref().1.cipher_suite()
    );
    tls.write_all(b"hello over ferrotls\n").await?;
    // close_notify and a half-close: the server echoes, then closes too.
    tls.shutdown().await?;
    let mut echo = String::new();
    tls.read_to_string(&mut echo).await?;
    print!("echo: {echo}");
    Ok(())
}
