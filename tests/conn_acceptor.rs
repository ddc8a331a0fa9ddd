//! The ClientHello acceptor: it reads exactly the records of the first
//! ClientHello, shows what the client offered, and the connection started
//! from it under the configuration chosen then completes the handshake.

mod common;

use std::io::{Read, Write};

use common::{
    client_builder, handshake_record, plaintext_alert, records, server_builder, server_name,
    transfer,
};
use ferrotls::{Acceptor, AlertDescription, ClientConnection, Error, ProtocolVersion};

/// The client's first flight, with SNI `leaf.p256.test` and ALPN h2,
/// http/1.1.
fn client_and_hello() -> (ClientConnection, Vec<u8>) {
    let config = client_builder("p256")
        .alpn_protocols(&[b"h2", b"http/1.1"])
        .build()
        .unwrap();
    let mut client = ClientConnection::new(config, server_name("p256")).unwrap();
    let mut hello = Vec::new();
    while client.wants_write() {
        client.write_tls(&mut hello).unwrap();
    }
    (client, hello)
}

/// Feeds `bytes` to `acceptor` until it accepts; returns how many bytes
/// it took.
fn feed(acceptor: &mut Acceptor, bytes: &[u8]) -> (usize, ferrotls::Accepted) {
    let mut rest = bytes;
    loop {
        let n = acceptor.read_tls(&mut rest).unwrap();
        assert!(n > 0, "end of input before the ClientHello was whole");
        if let Some(accepted) = acceptor.accept().unwrap() {
            return (bytes.len() - rest.len(), accepted);
        }
    }
}

/// Feeds `bytes` to `acceptor` until it has read them all or refuses to
/// read more.
fn read_all(acceptor: &mut Acceptor, bytes: &[u8]) {
    let mut rest = bytes;
    while !rest.is_empty() && acceptor.read_tls(&mut rest).is_ok() {}
}

#[test]
fn the_client_hello_is_shown_and_the_chosen_config_completes_the_handshake() {
    let (mut client, hello) = client_and_hello();
    let mut acceptor = Acceptor::new();
    let (taken, accepted) = feed(&mut acceptor, &hello);
    assert_eq!(taken, hello.len());
    assert_eq!(accepted.server_name(), Some("leaf.p256.test"));
    assert_eq!(
        accepted.alpn_protocols(),
        [b"h2".to_vec(), b"http/1.1".to_vec()]
    );
    assert!(accepted
        .supported_versions()
        .contains(&ProtocolVersion::TLSv1_3));
    assert_eq!(accepted.legacy_version(), ProtocolVersion::TLSv1_2);
    assert!(!accepted.cipher_suites().is_empty());
    assert!(!accepted.signature_schemes().is_empty());

    let config = server_builder("p256")
        .alpn_protocols(&[b"http/1.1"])
        .build()
        .unwrap();
    let mut server = accepted.into_connection(config);
    // The connection has answered the ClientHello already.
    assert!(server.wants_write());
    for _ in 0..4 {
        transfer(&mut server, &mut client).1.unwrap();
        transfer(&mut client, &mut server).1.unwrap();
    }
    assert!(!server.is_handshaking() && !client.is_handshaking());
    assert_eq!(server.server_name(), Some("leaf.p256.test"));
    assert_eq!(server.alpn_protocol(), Some(&b"http/1.1"[..]));
    client.writer().write_all(b"ping").unwrap();
    transfer(&mut client, &mut server).1.unwrap();
    let mut got = [0; 4];
    server.reader().read_exact(&mut got).unwrap();
    assert_eq!(&got, b"ping");
}

#[test]
fn nothing_after_the_client_hello_is_read() {
    let (_, hello) = client_and_hello();
    let mut input = hello.clone();
    input.extend_from_slice(&handshake_record(b"next flight"));
    let mut acceptor = Acceptor::new();
    let (taken, _) = feed(&mut acceptor, &input);
    assert_eq!(taken, hello.len());
    // Once whole, the acceptor reads no more.
    let mut rest = &input[taken..];
    assert!(acceptor.read_tls(&mut rest).is_err());
    assert_eq!(rest.len(), input.len() - hello.len());
}

#[test]
fn a_client_hello_fragmented_over_records_and_reads_is_joined() {
    let (mut client, hello) = client_and_hello();
    let [body] = &records(&hello)[..] else {
        panic!("one record expected")
    };
    let payload = &body[5..];
    let mut fragmented = Vec::new();
    for chunk in payload.chunks(7) {
        fragmented.extend_from_slice(&handshake_record(chunk));
    }
    let mut acceptor = Acceptor::new();
    // One byte per read: the acceptor must keep partial headers too.
    let mut taken = 0;
    let accepted = loop {
        acceptor
            .read_tls(&mut &fragmented[taken..taken + 1])
            .unwrap();
        taken += 1;
        if let Some(accepted) = acceptor.accept().unwrap() {
            break accepted;
        }
    };
    assert_eq!(taken, fragmented.len());
    assert_eq!(accepted.server_name(), Some("leaf.p256.test"));
    let mut server = accepted.into_connection(server_builder("p256").build().unwrap());
    for _ in 0..4 {
        transfer(&mut server, &mut client).1.unwrap();
        transfer(&mut client, &mut server).1.unwrap();
    }
    assert!(!server.is_handshaking() && !client.is_handshaking());
}

#[test]
fn a_first_message_that_is_not_a_client_hello_is_refused_with_an_alert() {
    // A ServerHelloDone (type 14, empty body) where a ClientHello belongs.
    let input = handshake_record(&[14, 0, 0, 0]);
    let mut acceptor = Acceptor::new();
    read_all(&mut acceptor, &input);
    let error = acceptor.accept().unwrap_err();
    assert!(matches!(error, Error::UnexpectedMessage(_)), "{error:?}");
    assert!(acceptor.wants_write());
    let mut sent = Vec::new();
    acceptor.write_tls(&mut sent).unwrap();
    assert_eq!(
        plaintext_alert(&sent),
        Some(u8::from(AlertDescription::UnexpectedMessage))
    );
    // The error is sticky, and nothing more is read.
    assert_eq!(acceptor.accept().unwrap_err(), error);
    assert!(acceptor.read_tls(&mut &input[..]).is_err());
}

#[test]
fn a_bad_record_is_refused_with_its_alert() {
    // Major version 4: not a TLS record.
    let input = [22, 4, 1, 0, 1, 0];
    let mut acceptor = Acceptor::new();
    read_all(&mut acceptor, &input);
    let error = acceptor.accept().unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    let mut sent = Vec::new();
    acceptor.write_tls(&mut sent).unwrap();
    assert_eq!(
        plaintext_alert(&sent),
        Some(u8::from(AlertDescription::DecodeError))
    );
}

#[test]
fn a_client_hello_the_chosen_config_refuses_fails_the_connection_with_its_alert() {
    let (_, hello) = client_and_hello();
    let mut acceptor = Acceptor::new();
    let (_, accepted) = feed(&mut acceptor, &hello);
    // The client offers h2 and http/1.1 only.
    let config = server_builder("p256")
        .alpn_protocols(&[b"spdy/1"])
        .build()
        .unwrap();
    let mut server = accepted.into_connection(config);
    let error = server.process_new_packets().unwrap_err();
    assert_eq!(
        error.alert(),
        Some(AlertDescription::NoApplicationProtocol),
        "{error:?}"
    );
    let mut sent = Vec::new();
    server.write_tls(&mut sent).unwrap();
    assert_eq!(
        plaintext_alert(&sent),
        Some(u8::from(AlertDescription::NoApplicationProtocol))
    );
}

#[test]
fn accepting_twice_is_refused() {
    let (_, hello) = client_and_hello();
    let mut acceptor = Acceptor::new();
    feed(&mut acceptor, &hello);
    assert!(matches!(acceptor.accept(), Err(Error::InvalidRequest(_))));
}

#[test]
fn end_of_stream_before_a_client_hello_leaves_nothing_accepted() {
    let (_, hello) = client_and_hello();
    let mut acceptor = Acceptor::new();
    acceptor.read_tls(&mut &hello[..10]).unwrap();
    assert_eq!(acceptor.read_tls(&mut &[][..]).unwrap(), 0);
    assert!(acceptor.accept().unwrap().is_none());
}
