//! The tokio adapter: handshakes and data over `tokio::io::duplex` and
//! TCP, close_notify and half-close, truncation, handshake failures with
//! their alert, the ClientHello-first acceptor, and a transfer of several
//! MB through small buffers (every `Pending` path of reading and
//! writing).

mod common;

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use common::{
    client_builder, handshaken, read_holding_back_last_flight, send_queued, server_builder,
    server_name, HOLD_LIMIT,
};
use ferrotls::tokio::{client, server, LazyConfigAcceptor, TlsAcceptor, TlsConnector};
use ferrotls::{
    AlertDescription, CertificateError, ClientConfig, ClientConnection, Connection,
    EarlyDataStatus, Error, InMemoryServerStore, ProtocolVersion, ServerConfig, ServerConnection,
    SystemClock,
};
use tokio::io::{duplex, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A bound on each test's run, so a stall fails it instead of hanging
/// the suite; the tests take well under a second each.
const HANG_LIMIT: Duration = Duration::from_secs(120);

/// Runs `test` to completion, failing it if it stalls.
async fn within<F: Future>(test: F) -> F::Output {
    tokio::time::timeout(HANG_LIMIT, test)
        .await
        .expect("the test stalled")
}

fn configs(versions: &[ProtocolVersion]) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    (
        client_builder("p256")
            .versions(versions)
            .alpn_protocols(&[b"h2", b"http/1.1"])
            .build()
            .unwrap(),
        server_builder("p256")
            .versions(versions)
            .alpn_protocols(&[b"http/1.1"])
            .build()
            .unwrap(),
    )
}

/// Both ends of a handshake over `client_io` and `server_io`.
async fn connect<IO>(
    client_config: Arc<ClientConfig>,
    server_config: Arc<ServerConfig>,
    client_io: IO,
    server_io: IO,
) -> (client::TlsStream<IO>, server::TlsStream<IO>)
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let server = tokio::spawn(TlsAcceptor::from(server_config).accept(server_io));
    let client = TlsConnector::from(client_config)
        .connect(server_name("p256"), client_io)
        .await
        .unwrap();
    (client, server.await.unwrap().unwrap())
}

/// A client and server of `version` connected over TCP on 127.0.0.1.
async fn connect_over_tcp(
    version: ProtocolVersion,
) -> (client::TlsStream<TcpStream>, server::TlsStream<TcpStream>) {
    let (client_config, server_config) = configs(&[version]);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (client_io, accepted) = tokio::join!(TcpStream::connect(addr), listener.accept());
    connect(
        client_config,
        server_config,
        client_io.unwrap(),
        accepted.unwrap().0,
    )
    .await
}

/// The ferrotls error inside an I/O error from the adapter.
fn tls_error(e: &io::Error) -> Error {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<Error>())
        .unwrap_or_else(|| panic!("not a TLS error: {e:?}"))
        .clone()
}

async fn exchange<IO: AsyncRead + AsyncWrite + Unpin>(
    client: &mut client::TlsStream<IO>,
    server: &mut server::TlsStream<IO>,
) {
    client.write_all(b"ping").await.unwrap();
    client.flush().await.unwrap();
    let mut got = [0; 4];
    server.read_exact(&mut got).await.unwrap();
    assert_eq!(&got, b"ping");
    server.write_all(b"pong").await.unwrap();
    server.flush().await.unwrap();
    client.read_exact(&mut got).await.unwrap();
    assert_eq!(&got, b"pong");
}

#[tokio::test]
async fn handshake_and_data_both_ways_over_duplex_in_tls13_and_tls12() {
    within(async {
        for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
            let (client_config, server_config) = configs(&[version]);
            let (a, b) = duplex(64 * 1024);
            let (mut client, mut server) = connect(client_config, server_config, a, b).await;
            exchange(&mut client, &mut server).await;
            let (_, conn) = client.get_ref();
            assert_eq!(conn.protocol_version(), Some(version));
            assert_eq!(conn.alpn_protocol(), Some(&b"http/1.1"[..]));
            // The connections' queries through the stream: in TLS 1.2 both
            // sides hold the server's session ID (design §3).
            assert!(!conn.session_id().is_empty());
            if version == ProtocolVersion::TLSv1_2 {
                assert_eq!(conn.session_id(), server.get_ref().1.session_id());
            }
        }
    })
    .await
}

#[tokio::test]
async fn handshake_and_data_both_ways_over_tcp() {
    within(async {
        let (mut client, mut server) = connect_over_tcp(ProtocolVersion::TLSv1_3).await;
        exchange(&mut client, &mut server).await;
        assert_eq!(server.get_ref().1.server_name(), Some("leaf.p256.test"));
    })
    .await
}

#[tokio::test]
async fn shutdown_sends_close_notify_and_half_closes_in_tls13_and_tls12() {
    within(async {
        for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
            let (mut client, mut server) = connect_over_tcp(version).await;
            client.write_all(b"request").await.unwrap();
            client.shutdown().await.unwrap();
            // A second shutdown sends nothing more.
            client.shutdown().await.unwrap();
            // The server reads the request, then a clean end of stream.
            let mut request = Vec::new();
            server.read_to_end(&mut request).await.unwrap();
            assert_eq!(request, b"request");
            // The client's transport is shut for writing too (a FIN after the
            // close_notify).
            assert_eq!(server.get_mut().0.read(&mut [0; 1]).await.unwrap(), 0);
            assert!(client.write_all(b"more").await.is_err());
            if version == ProtocolVersion::TLSv1_3 {
                // TLS 1.3 half-closes: the server still answers.
                server.write_all(b"response").await.unwrap();
                server.shutdown().await.unwrap();
                let mut response = Vec::new();
                client.read_to_end(&mut response).await.unwrap();
                assert_eq!(response, b"response");
            } else {
                // TLS 1.2 answered the close_notify with its own (RFC 5246
                // §7.2.1): the client reads a clean end of stream.
                let mut response = Vec::new();
                client.read_to_end(&mut response).await.unwrap();
                assert!(response.is_empty());
            }
        }
    })
    .await
}

#[tokio::test]
async fn a_transport_that_ends_without_close_notify_is_unexpected_eof() {
    within(async {
        let (client_config, server_config) = configs(&[ProtocolVersion::TLSv1_3]);
        let (a, b) = duplex(64 * 1024);
        let (mut client, mut server) = connect(client_config, server_config, a, b).await;
        exchange(&mut client, &mut server).await;
        let (mut io, _) = client.into_inner();
        // The transport closes (a plain TCP FIN) with no close_notify.
        io.shutdown().await.unwrap();
        drop(io);
        let mut rest = Vec::new();
        let error = server.read_to_end(&mut rest).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof, "{error:?}");
    })
    .await
}

#[tokio::test]
async fn a_transport_that_ends_during_the_handshake_is_unexpected_eof() {
    within(async {
        let (_, server_config) = configs(&[ProtocolVersion::TLSv1_3]);
        let (a, b) = duplex(1024);
        drop(a);
        let error = TlsAcceptor::from(server_config)
            .accept(b)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof, "{error:?}");
    })
    .await
}

#[tokio::test]
async fn a_handshake_failure_is_the_error_and_its_alert_reaches_the_peer() {
    within(async {
        // The client trusts another root than the one the server's chain ends at.
        let client_config = client_builder("rsa2048").build().unwrap();
        let (_, server_config) = configs(&[ProtocolVersion::TLSv1_3]);
        let (a, b) = duplex(64 * 1024);
        let server = tokio::spawn(TlsAcceptor::from(server_config).accept(b));
        let client_error = TlsConnector::from(client_config)
            .connect(server_name("p256"), a)
            .await
            .unwrap_err();
        assert_eq!(
            tls_error(&client_error),
            Error::InvalidCertificate(CertificateError::UnknownIssuer)
        );
        let server_error = server.await.unwrap().unwrap_err();
        assert_eq!(
            tls_error(&server_error),
            Error::AlertReceived(AlertDescription::UnknownCa)
        );
    })
    .await
}

#[tokio::test]
async fn complete_handshake_keeps_the_connection_after_a_failure() {
    within(async {
        let client_config = client_builder("rsa2048").build().unwrap();
        let (_, server_config) = configs(&[ProtocolVersion::TLSv1_3]);
        let (a, b) = duplex(64 * 1024);
        let client =
            tokio::spawn(TlsConnector::from(client_config).connect(server_name("p256"), a));
        let mut server = server::TlsStream::new(b, ServerConnection::new(server_config));
        let error = server.complete_handshake().await.unwrap_err();
        let expected = Error::AlertReceived(AlertDescription::UnknownCa);
        assert_eq!(tls_error(&error), expected);
        assert_eq!(server.get_ref().1.error(), Some(&expected));
        assert!(client.await.unwrap().is_err());
    })
    .await
}

#[tokio::test]
async fn the_lazy_acceptor_chooses_the_config_by_server_name() {
    within(async {
        let configs_by_name: Vec<(String, Arc<ServerConfig>)> = ["p256", "rsa2048"]
            .iter()
            .map(|key_type| {
                (
                    format!("leaf.{key_type}.test"),
                    server_builder(key_type).build().unwrap(),
                )
            })
            .collect();
        for key_type in ["rsa2048", "p256"] {
            let (a, b) = duplex(64 * 1024);
            let table = configs_by_name.clone();
            let server = tokio::spawn(async move {
                let start = LazyConfigAcceptor::new(b).await?;
                let hello = start.client_hello();
                let name = hello.server_name().map(str::to_string);
                assert_eq!(hello.alpn_protocols(), [b"h2".to_vec()]);
                let config = table
                    .iter()
                    .find(|(n, _)| Some(n) == name.as_ref())
                    .map(|(_, c)| c.clone())
                    .expect("a config for the name");
                let mut stream = start.into_stream(config).await?;
                stream.write_all(b"hello").await?;
                stream.shutdown().await?;
                io::Result::Ok(name)
            });
            let client_config = client_builder(key_type)
                .alpn_protocols(&[b"h2"])
                .build()
                .unwrap();
            // Verified against `key_type`'s root and name: the wrong
            // certificate would fail the handshake.
            let mut client = TlsConnector::from(client_config)
                .connect(server_name(key_type), a)
                .await
                .unwrap();
            let mut got = Vec::new();
            client.read_to_end(&mut got).await.unwrap();
            assert_eq!(got, b"hello");
            assert_eq!(
                server.await.unwrap().unwrap().as_deref(),
                Some(format!("leaf.{key_type}.test").as_str())
            );
        }
    })
    .await
}

#[tokio::test]
async fn the_lazy_acceptor_refuses_a_non_tls_client_with_an_alert() {
    within(async {
        let (mut a, b) = duplex(1024);
        let server = tokio::spawn(LazyConfigAcceptor::new(b));
        a.write_all(b"GET / HTTP/1.1\r\n\r\n").await.unwrap();
        let error = server.await.unwrap().unwrap_err();
        assert!(
            matches!(
                tls_error(&error),
                Error::UnexpectedMessage(_) | Error::Decode(_)
            ),
            "{error:?}"
        );
        let mut sent = Vec::new();
        a.read_to_end(&mut sent).await.unwrap();
        // One plaintext fatal alert record.
        assert_eq!(sent.len(), 7);
        assert_eq!((sent[0], sent[5]), (21, 2));
    })
    .await
}

/// Sends `len` bytes each way at once through a 1 KiB duplex, each side
/// writing while it reads.
async fn transfer_both_ways(version: ProtocolVersion, len: usize) {
    let (client_config, server_config) = configs(&[version]);
    let (a, b) = duplex(1024);
    let (client, server) = connect(client_config, server_config, a, b).await;
    let data: Arc<Vec<u8>> = Arc::new((0..len).map(|i| (i * 7 % 251) as u8).collect());
    let server_side = tokio::spawn(both_ways(server, data.clone()));
    let client_got = both_ways(client, data.clone()).await;
    let server_got = server_side.await.unwrap();
    assert!(client_got == *data, "client received other bytes");
    assert!(server_got == *data, "server received other bytes");
}

/// Writes `data` and reads as many bytes, at once.
async fn both_ways<S: AsyncRead + AsyncWrite + Unpin>(stream: S, data: Arc<Vec<u8>>) -> Vec<u8> {
    let (mut reader, mut writer) = tokio::io::split(stream);
    let write = async {
        writer.write_all(&data).await.unwrap();
        writer.flush().await.unwrap();
    };
    let read = async {
        let mut got = vec![0; data.len()];
        reader.read_exact(&mut got).await.unwrap();
        got
    };
    tokio::join!(write, read).1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_megabytes_each_way_through_a_small_buffer_tls13() {
    within(async {
        transfer_both_ways(ProtocolVersion::TLSv1_3, 4 << 20).await;
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_megabytes_each_way_through_a_small_buffer_tls12() {
    within(async {
        transfer_both_ways(ProtocolVersion::TLSv1_2, 4 << 20).await;
    })
    .await
}

/// A blocking peer over `socket` that holds its last flight back until
/// it has read `want` bytes of application data, or for [`HOLD_LIMIT`]
/// ([`read_holding_back_last_flight`]); then it sends that flight, `done`
/// and close_notify, and reads until the other side closes. Returns the
/// data read before the flight went.
fn holding_back_last_flight<C>(mut conn: C, mut socket: std::net::TcpStream, want: usize) -> Vec<u8>
where
    C: std::ops::DerefMut<Target = Connection>,
{
    use std::io::Write;
    socket.set_read_timeout(Some(HOLD_LIMIT)).unwrap();
    let got = read_holding_back_last_flight(&mut conn, &mut socket, want);
    conn.writer().write_all(b"done").unwrap();
    conn.send_close_notify();
    send_queued(&mut conn, &mut socket);
    while conn.read_tls(&mut socket).unwrap_or(0) > 0 {
        let _ = conn.process_new_packets();
    }
    got
}

/// RFC 7918: with `false_start`, `connect` resolves once the client's
/// Finished is sent, and two writes reach the server before its
/// Finished, which it holds back until they have; the first read
/// completes the handshake.
#[tokio::test]
async fn rfc7918_connect_resolves_at_a_false_start_and_writes_go_before_the_server_finished() {
    within(async {
        let tls12 = &[ProtocolVersion::TLSv1_2];
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server_config = server_builder("p256")
            .versions(tls12)
            .alpn_protocols(&[b"h2"])
            .build()
            .unwrap();
        let server = std::thread::spawn(move || {
            let (socket, _) = listener.accept().unwrap();
            holding_back_last_flight(ServerConnection::new(server_config), socket, 6)
        });
        let client_config = client_builder("p256")
            .versions(tls12)
            .alpn_protocols(&[b"h2"])
            .false_start(true)
            .build()
            .unwrap();
        let tcp = TcpStream::connect(addr).await.unwrap();
        let mut stream = TlsConnector::from(client_config)
            .connect(server_name("p256"), tcp)
            .await
            .unwrap();
        assert!(stream.get_ref().1.is_handshaking());
        stream.write_all(b"one").await.unwrap();
        stream.write_all(b"two").await.unwrap();
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).await.unwrap();
        assert_eq!(reply, b"done");
        assert!(!stream.get_ref().1.is_handshaking());
        drop(stream);
        let got = tokio::task::spawn_blocking(move || server.join().unwrap())
            .await
            .unwrap();
        assert_eq!(got, b"onetwo");
    })
    .await
}

/// RFC 8446 §4.4.4: with `send_half_rtt_data`, `accept` resolves once
/// the server's Finished is sent, and its write reaches the client before
/// the client's Finished, which the client holds back until it has.
#[tokio::test]
async fn rfc8446_4_4_4_accept_resolves_where_half_rtt_data_may_go() {
    within(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let client_config = client_builder("p256").build().unwrap();
        let client = std::thread::spawn(move || {
            let socket = std::net::TcpStream::connect(addr).unwrap();
            let conn = ClientConnection::new(client_config, server_name("p256")).unwrap();
            holding_back_last_flight(conn, socket, 4)
        });
        let (tcp, _) = listener.accept().await.unwrap();
        let server_config = server_builder("p256")
            .send_half_rtt_data(true)
            .build()
            .unwrap();
        let mut stream = TlsAcceptor::from(server_config).accept(tcp).await.unwrap();
        assert!(stream.get_ref().1.is_handshaking());
        stream.write_all(b"half").await.unwrap();
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).await.unwrap();
        assert_eq!(reply, b"done");
        assert!(!stream.get_ref().1.is_handshaking());
        drop(stream);
        let got = tokio::task::spawn_blocking(move || client.join().unwrap())
            .await
            .unwrap();
        assert_eq!(got, b"half");
    })
    .await
}

/// RFC 8446 §4.4.4 with §4.2.10: through `TlsAcceptor`, a server that
/// sends half-RTT data reads a resumed client's accepted 0-RTT request
/// before the client's Finished and its answer goes then; the client
/// holds its Finished back until the answer is in.
#[tokio::test]
async fn rfc8446_4_4_4_a_half_rtt_server_reads_0rtt_and_answers_before_the_client_finished() {
    within(async {
        let client_config = client_builder("p256")
            .enable_early_data(true)
            .build()
            .unwrap();
        let server_config = server_builder("p256")
            .session_store(Arc::new(InMemoryServerStore::new(Arc::new(SystemClock))))
            .max_early_data_size(1024)
            .send_half_rtt_data(true)
            .build()
            .unwrap();
        handshaken(
            client_config.clone(),
            server_config.clone(),
            server_name("p256"),
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let client = std::thread::spawn(move || {
            let socket = std::net::TcpStream::connect(addr).unwrap();
            let mut conn = ClientConnection::new(client_config, server_name("p256")).unwrap();
            conn.write_early_data(b"GET").unwrap();
            holding_back_last_flight(conn, socket, b"reply".len())
        });
        let (tcp, _) = listener.accept().await.unwrap();
        let mut stream = TlsAcceptor::from(server_config).accept(tcp).await.unwrap();
        let mut request = [0; 3];
        stream.read_exact(&mut request).await.unwrap();
        assert_eq!(&request, b"GET");
        assert_eq!(
            stream.get_ref().1.early_data_status(),
            EarlyDataStatus::Accepted
        );
        assert!(stream.get_ref().1.is_handshaking());
        stream.write_all(b"reply").await.unwrap();
        let mut rest = Vec::new();
        stream.read_to_end(&mut rest).await.unwrap();
        assert_eq!(rest, b"done");
        drop(stream);
        let got = tokio::task::spawn_blocking(move || client.join().unwrap())
            .await
            .unwrap();
        assert_eq!(got, b"reply");
    })
    .await
}

/// RFC 8446 §4.2.10: `connect_with_early_data` sends its data as 0-RTT
/// data as far as the ticket allows and the rest after the handshake, or
/// all of it again when the server rejects 0-RTT; the server reads it
/// once and in order each way (then the client's close_notify).
#[tokio::test]
async fn connect_with_early_data_delivers_its_data_once_and_in_order() {
    within(async {
        const DATA: &[u8] = b"GET /early HTTP/1.0\r\n\r\n";
        for (max_early, rejects, status) in [
            (1024, false, EarlyDataStatus::Accepted),
            (8, false, EarlyDataStatus::Accepted),
            (1024, true, EarlyDataStatus::Rejected),
        ] {
            let issuing = server_builder("p256")
                .session_store(Arc::new(InMemoryServerStore::new(Arc::new(SystemClock))))
                .max_early_data_size(max_early)
                .build()
                .unwrap();
            let client_config = client_builder("p256")
                .enable_early_data(true)
                .build()
                .unwrap();
            handshaken(client_config.clone(), issuing.clone(), server_name("p256"));
            // The same store and ticketer: the ticket resumes, its 0-RTT
            // data is refused.
            let mut serving = ServerConfig::clone(&issuing);
            if rejects {
                serving.max_early_data_size = 0;
            }
            let (client_io, server_io) = duplex(64 * 1024);
            let server = tokio::spawn(async move {
                let mut stream = TlsAcceptor::from(Arc::new(serving))
                    .accept(server_io)
                    .await
                    .unwrap();
                let mut got = Vec::new();
                stream.read_to_end(&mut got).await.unwrap();
                (got, stream.get_ref().1.early_data_status())
            });
            let mut stream = TlsConnector::from(client_config)
                .connect_with_early_data(server_name("p256"), client_io, DATA)
                .await
                .unwrap();
            assert_eq!(stream.get_ref().1.early_data_status(), status);
            stream.shutdown().await.unwrap();
            let (got, server_status) = server.await.unwrap();
            assert_eq!(got, DATA, "{max_early} {rejects}");
            assert_eq!(server_status, status);
        }
    })
    .await
}
