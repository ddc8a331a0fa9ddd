//! HTTP/1.1 and HTTP/2 with hyper over the tokio adapter: ALPN offers h2
//! and http/1.1 (RFC 7301), and the protocol the handshake agreed on
//! picks hyper's server.
//!
//! ```text
//! cargo run --features tokio --example hyper_server [ADDRESS]
//! curl --http2 --cacert vectors/pki/p256-root.pem \
//!     --resolve leaf.p256.test:8443:127.0.0.1 https://leaf.p256.test:8443/
//! ```
//!
//! ADDRESS defaults to 127.0.0.1:8443; port 0 picks a free one. The
//! address it listens on is the first line it prints. Each response names
//! the HTTP version and the TLS connection it came over.

use std::convert::Infallible;
use std::error::Error;
use std::sync::Arc;

use ferrotls::tokio::TlsAcceptor;
use ferrotls::{CertifiedKey, ServerConfig};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::{http1, http2};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::{TcpListener, TcpStream};

/// The server's configuration: `vectors/pki`'s P-256 leaf, ALPN h2 then
/// http/1.1.
fn config() -> Result<Arc<ServerConfig>, Box<dyn Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki");
    let chain = std::fs::read_to_string(format!("{dir}/p256-chain.pem"))?;
    let key = std::fs::read_to_string(format!("{dir}/p256-leaf.key"))?;
    let certified = CertifiedKey::from_pem(&chain, &key)?;
    Ok(ServerConfig::builder(Arc::new(certified))
        .alpn_protocols(&[b"h2", b"http/1.1"])
        .build()?)
}

/// Handshakes, then serves HTTP/2 when ALPN chose h2 and HTTP/1.1
/// otherwise.
async fn serve(tcp: TcpStream, acceptor: TlsAcceptor) -> Result<(), Box<dyn Error + Send + Sync>> {
    let tls = acceptor.accept(tcp).await?;
    let conn = tls.get_ref().1;
    let about = format!("{:?}, {:?}", conn.protocol_version(), conn.cipher_suite());
    let h2 = conn.alpn_protocol() == Some(b"h2");
    let service = service_fn(move |request: Request<Incoming>| {
        let body = format!(
            "hello from ferrotls: {:?} {} over {about}\n",
            request.version(),
            request.uri().path()
        );
        async move { Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(body)))) }
    });
    let io = TokioIo::new(tls);
    if h2 {
        http2::Builder::new(TokioExecutor::new())
            .serve_connection(io, service)
            .await?;
    } else {
        http1::Builder::new().serve_connection(io, service).await?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8443".into());
    let acceptor = TlsAcceptor::from(config()?);
    let listener = TcpListener::bind(&address).await?;
    println!("listening on {}", listener.local_addr()?);
    loop {
        let (tcp, peer) = listener.accept().await?;
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            if let Err(e) = serve(tcp, acceptor).await {
                eprintln!("{peer}: {e}");
            }
        });
    }
}
