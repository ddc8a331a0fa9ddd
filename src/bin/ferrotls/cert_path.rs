//! `ferrotls server --www --require-cert-path PATH`: a request for PATH
//! asks the client for a certificate after the handshake (TLS 1.3
//! post-handshake authentication, RFC 8446 §4.6.2; under TLS 1.0–1.2 a
//! secure renegotiation, RFC 5746, when `--renegotiation` is on), under
//! the CA of `--post-handshake-ca`, and is answered with the page and the
//! client's subject, or with 403 when no certificate came (a TLS 1.2
//! connection without `--renegotiation`, a client that did not offer
//! post_handshake_auth or refused to renegotiate, or one that sent none).
//! A certificate the CA does not vouch for, or a bad signature, ends the
//! connection with its alert instead.

use crate::deadline::within;
use ferrotls::tokio::server::TlsStream;
use ferrotls::{subject_common_name, Error, ProtocolVersion};
use std::io;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The response to a request for the protected path: asks for a client
/// certificate, waits (each read within `idle`) until the answer has been
/// checked, and returns 200 with the client's subject and `page`, or 403.
pub async fn respond(
    tls: &mut TlsStream<TcpStream>,
    idle: Duration,
    page: &str,
) -> io::Result<String> {
    match authenticate(tls, idle).await? {
        Ok(subject) => Ok(format!(
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n\
             ferrotls server\nclient certificate subject: CN={subject}\n{page}"
        )),
        Err(why) => Ok(format!(
            "HTTP/1.0 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n\
             ferrotls server\nno client certificate: {why}\n"
        )),
    }
}

/// Sends a post-handshake CertificateRequest (TLS 1.3) or a HelloRequest
/// (TLS ≤1.2) and reads records until its answer is checked. The
/// client's common name when it authenticated; otherwise why not.
async fn authenticate(
    tls: &mut TlsStream<TcpStream>,
    idle: Duration,
) -> io::Result<Result<String, String>> {
    let conn = tls.get_mut().1;
    let tls13 = conn.protocol_version() == Some(ProtocolVersion::TLSv1_3);
    let asked = if tls13 {
        conn.request_client_certificate()
    } else {
        conn.renegotiate()
    };
    if let Err(e) = asked {
        return Ok(Err(e.to_string()));
    }
    within(idle, "sending", tls.flush()).await?;
    let mut buf = vec![0u8; 16 * 1024];
    let waiting = |conn: &ferrotls::ServerConnection| match tls13 {
        true => conn.pending_certificate_requests() > 0,
        false => conn.is_renegotiating(),
    };
    while waiting(tls.get_ref().1) {
        let (sock, conn) = tls.get_mut();
        let n = within(
            idle,
            "waiting for the client certificate",
            sock.read(&mut buf),
        )
        .await?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let mut received = buf.get(..n).unwrap_or_default();
        while !received.is_empty() {
            conn.read_tls(&mut received)?;
            conn.process_new_packets().map_err(io::Error::other)?;
        }
        // A KeyUpdate's answer, say, goes out now.
        within(idle, "sending", tls.flush()).await?;
    }
    let conn = tls.get_ref().1;
    Ok(match conn.peer_certificates().first() {
        None => Err("the client sent none".to_string()),
        Some(end_entity) => match subject_common_name(end_entity) {
            Ok(common_name) => Ok(common_name.unwrap_or_default()),
            Err(e) => Err(Error::InvalidCertificate(e).to_string()),
        },
    })
}
