//! record_size_limit (RFC 8449) negotiated in memory, TLS 1.3 and 1.2:
//! what each side announces, the records each then sends (read off the
//! wire), and the record_overflow a side answers a record over its own
//! limit with.

mod common;

use std::sync::Arc;

use common::rfc8448::client_hello;
use common::*;
use ferrotls::internal::error::IllegalParameterReason;
use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::internal::msgs::handshake::HandshakeMessage;
use ferrotls::internal::msgs::hello::ClientHello;
use ferrotls::internal::record::RecordProtection;
use ferrotls::{
    AlertDescription, ClientConfig, ClientConnection, ClientSessionStore, Clock, Connection,
    EarlyDataStatus, Error, InMemoryClientStore, InMemoryServerStore, ManualClock, ProtocolVersion,
    ServerConfig, ServerConnection, UnixTime, DEFAULT_RECORD_SIZE_LIMIT,
};

/// The AEAD tag every suite here adds to a record (AES-GCM).
const TAG_LEN: usize = 16;

/// The explicit nonce of a TLS 1.2 AES-GCM record (RFC 5288 §3).
const TLS12_GCM_NONCE_LEN: usize = 8;

const RECORD_HEADER_LEN: usize = 5;
const APPLICATION_DATA: u8 = 23;
const CHANGE_CIPHER_SPEC: u8 = 20;

fn configs(
    version: ProtocolVersion,
    client_limit: Option<u16>,
    server_limit: Option<u16>,
) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let client = client_builder("p256")
        .versions(&[version])
        .record_size_limit(client_limit)
        .build()
        .unwrap();
    let server = server_builder("p256")
        .versions(&[version])
        .record_size_limit(server_limit)
        .build()
        .unwrap();
    (client, server)
}

/// Everything `from` has queued, moved to `to` and processed; returns the
/// bytes as they went over the wire.
fn carry(from: &mut Connection, to: &mut Connection) -> Vec<u8> {
    let mut wire = Vec::new();
    transfer_altered(from, to, |bytes| wire = bytes.clone())
        .1
        .unwrap();
    wire
}

/// The largest plaintext (TLS 1.3: with its content type, since we never
/// pad) that a protected record of `wire` carried: every record after
/// the sender's first protected one, TLS 1.3 application_data records, or
/// in TLS 1.2 the records after its ChangeCipherSpec.
fn protected_plaintext_lens(wire: &[u8], tls13: bool) -> Vec<usize> {
    let mut protected = false;
    let mut lens = Vec::new();
    for record in records(wire) {
        let fragment = record.len() - RECORD_HEADER_LEN;
        if tls13 {
            if record[0] == APPLICATION_DATA {
                lens.push(fragment - TAG_LEN);
            }
        } else if protected {
            lens.push(fragment - TLS12_GCM_NONCE_LEN - TAG_LEN);
        } else if record[0] == CHANGE_CIPHER_SPEC {
            protected = true;
        }
    }
    lens
}

/// Runs the handshake and sends 5000 bytes each way, keeping what each
/// side put on the wire.
fn run(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
) -> (ClientConnection, ServerConnection, Vec<u8>, Vec<u8>) {
    use std::io::{Read, Write};
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let (mut from_client, mut from_server) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        from_client.extend(carry(&mut c, &mut s));
        from_server.extend(carry(&mut s, &mut c));
    }
    assert!(!c.is_handshaking() && !s.is_handshaking());
    let data = vec![7u8; 5000];
    c.writer().write_all(&data).unwrap();
    s.writer().write_all(&data).unwrap();
    from_client.extend(carry(&mut c, &mut s));
    from_server.extend(carry(&mut s, &mut c));
    let mut got = vec![0; data.len()];
    s.reader().read_exact(&mut got).unwrap();
    c.reader().read_exact(&mut got).unwrap();
    (c, s, from_client, from_server)
}

#[test]
fn tls13_records_stay_within_each_peers_limit() {
    // The client takes records of at most 256 bytes, the server 512; in
    // TLS 1.3 the limit counts the content type byte (RFC 8449 §4).
    let (client, server) = configs(ProtocolVersion::TLSv1_3, Some(256), Some(512));
    let (c, s, from_client, from_server) = run(client, server);
    assert_eq!(c.peer_record_size_limit(), Some(512));
    assert_eq!(s.peer_record_size_limit(), Some(256));
    let to_client = protected_plaintext_lens(&from_server, true);
    let to_server = protected_plaintext_lens(&from_client, true);
    // The server's flight (EncryptedExtensions on) and its data: 5000
    // bytes need at least 20 records of 255.
    assert!(to_client.len() >= 20 + 4, "{to_client:?}");
    assert!(to_client.iter().all(|&len| len <= 256), "{to_client:?}");
    assert!(to_client.contains(&256));
    assert!(to_server.len() >= 10, "{to_server:?}");
    assert!(to_server.iter().all(|&len| len <= 512), "{to_server:?}");
    assert!(to_server.contains(&512));
}

#[test]
fn tls12_records_stay_within_each_peers_limit() {
    // TLS 1.2 counts the plaintext alone (RFC 8449 §4).
    let (client, server) = configs(ProtocolVersion::TLSv1_2, Some(300), Some(100));
    let (c, s, from_client, from_server) = run(client, server);
    assert_eq!(c.peer_record_size_limit(), Some(100));
    assert_eq!(s.peer_record_size_limit(), Some(300));
    let to_client = protected_plaintext_lens(&from_server, false);
    let to_server = protected_plaintext_lens(&from_client, false);
    assert!(to_client.len() >= 17, "{to_client:?}");
    assert!(to_client.iter().all(|&len| len <= 300), "{to_client:?}");
    assert!(to_client.contains(&300));
    assert!(to_server.len() >= 50, "{to_server:?}");
    assert!(to_server.iter().all(|&len| len <= 100), "{to_server:?}");
    assert!(to_server.contains(&100));
}

#[test]
fn defaults_negotiate_the_protocol_maximum() {
    for (version, expected) in [
        (ProtocolVersion::TLSv1_3, DEFAULT_RECORD_SIZE_LIMIT),
        // A client offering TLS 1.2 only announces 2^14.
        (ProtocolVersion::TLSv1_2, 1 << 14),
    ] {
        let client = client_builder("p256").versions(&[version]).build().unwrap();
        let server = server_builder("p256").build().unwrap();
        let (c, s) = handshaken(client, server, server_name("p256"));
        assert_eq!(s.peer_record_size_limit(), Some(expected), "{version:?}");
        assert_eq!(c.peer_record_size_limit(), Some(expected), "{version:?}");
    }
    assert_eq!(DEFAULT_RECORD_SIZE_LIMIT, (1 << 14) + 1);
}

#[test]
fn without_both_announcements_nothing_is_negotiated() {
    for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
        for (client_limit, server_limit) in [(None, Some(100)), (Some(100), None)] {
            let (client, server) = configs(version, client_limit, server_limit);
            // Full-size records both ways: nobody is held to 100 bytes.
            let (c, s, from_client, from_server) = run(client, server);
            assert_eq!(c.peer_record_size_limit(), None);
            assert_eq!(s.peer_record_size_limit(), None);
            let tls13 = version == ProtocolVersion::TLSv1_3;
            for wire in [from_client, from_server] {
                let lens = protected_plaintext_lens(&wire, tls13);
                assert!(lens.iter().any(|&len| len >= 5000), "{version:?} {lens:?}");
            }
        }
    }
}

#[test]
fn a_limit_below_64_is_refused_by_the_builders() {
    let client = client_builder("p256").record_size_limit(Some(63)).build();
    assert!(matches!(client, Err(Error::InvalidRequest(_))));
    let server = server_builder("p256").record_size_limit(Some(63)).build();
    assert!(matches!(server, Err(Error::InvalidRequest(_))));
    assert!(client_builder("p256")
        .record_size_limit(Some(64))
        .build()
        .is_ok());
}

/// The client's record_size_limit extension with value `limit`: type 28,
/// length 2 (RFC 8449 §4).
fn extension(limit: u16) -> [u8; 6] {
    let [hi, lo] = limit.to_be_bytes();
    [0, 28, 0, 2, hi, lo]
}

fn replace(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("pattern on the wire");
    bytes[at..at + to.len()].copy_from_slice(to);
}

#[test]
fn a_client_limit_below_64_is_illegal_parameter() {
    for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
        let (client, server) = configs(version, Some(1000), Some(1000));
        let (error, alert) = refuses(
            client,
            server,
            server_name("p256"),
            Refuser::Server,
            1,
            |hello| replace(hello, &extension(1000), &extension(63)),
        );
        assert!(matches!(error, Error::IllegalParameter(_)), "{error:?}");
        assert_eq!(alert, Some(u8::from(AlertDescription::IllegalParameter)));
    }
}

/// `data` as one TLS 1.3 application_data record sealed under the
/// traffic secret `secret` as record number `seq` (RFC 8446 §5.2).
fn sealed_application_data(secret: &[u8], seq: u64, data: &[u8]) -> Vec<u8> {
    let mut out = record(APPLICATION_DATA, [3, 3], data);
    aes128_protection(secret).seal(seq, &mut out, 0).unwrap();
    out
}

/// A TLS 1.3 client announcing `client_limit` that logs its secrets, and
/// a server announcing `server_limit` that sends no tickets, handshaken.
fn logged_tls13(
    client_limit: Option<u16>,
    server_limit: Option<u16>,
) -> (Arc<CapturedSecrets>, ClientConnection, ServerConnection) {
    let secrets = Arc::new(CapturedSecrets::default());
    let client = client_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_3])
        .record_size_limit(client_limit)
        .key_log(secrets.clone())
        .build()
        .unwrap();
    let server = server_builder("p256")
        .record_size_limit(server_limit)
        .tickets(0)
        .build()
        .unwrap();
    let (c, s) = handshaken(client, server, server_name("p256"));
    (secrets, c, s)
}

/// `receiver` takes a record of `most` bytes of data sealed under the
/// peer's traffic `secret`; what it makes of one of `most + 1` after it.
fn one_over(receiver: &mut Connection, secret: &[u8], most: usize) -> Result<(), Error> {
    let fits = sealed_application_data(secret, 0, &vec![1; most]);
    receiver.read_tls(&mut &fits[..]).unwrap();
    receiver.process_new_packets().unwrap();
    let over = sealed_application_data(secret, 1, &vec![1; most + 1]);
    receiver.read_tls(&mut &over[..]).unwrap();
    receiver.process_new_packets().map(|_| ())
}

#[test]
fn a_record_over_our_own_limit_is_record_overflow() {
    // Each side announced 300: a peer that sends a protected record of
    // 300 bytes of data (301 with its content type) is refused, whichever
    // side it is; 299 bytes (300 in all) pass. The oversize record is
    // sealed by hand under the peer's logged traffic secret, as a
    // misbehaving peer would send it.
    for (sender_label, receiver_is_server) in [
        ("CLIENT_TRAFFIC_SECRET_0", true),
        ("SERVER_TRAFFIC_SECRET_0", false),
    ] {
        let (secrets, mut c, mut s) = logged_tls13(Some(300), Some(300));
        let receiver: &mut Connection = if receiver_is_server { &mut s } else { &mut c };
        assert_eq!(
            one_over(receiver, &secrets.get(sender_label), 299),
            Err(Error::RecordOverflow),
            "{sender_label}"
        );
        assert_eq!(
            Error::RecordOverflow.alert(),
            Some(AlertDescription::RecordOverflow)
        );
    }
}

#[test]
fn accepted_early_data_is_not_held_to_the_servers_limit() {
    // 0-RTT leaves before the client has seen the server's limit, under
    // the keys of an earlier session: the server holds only the records
    // under this handshake's keys to its 512 bytes. 3000 bytes of early
    // data in one record are accepted; after the handshake the client
    // keeps to 512.
    use std::io::{Read, Write};
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    let server = server_builder("p256")
        .clock(clock.clone())
        .session_store(Arc::new(InMemoryServerStore::new(clock.clone())))
        .max_early_data_size(4096)
        .record_size_limit(Some(512))
        .build()
        .unwrap();
    let client = client_builder("p256")
        .clock(clock)
        .enable_early_data(true)
        .build()
        .unwrap();
    handshaken(client.clone(), server.clone(), server_name("p256"));
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    assert_eq!(c.write_early_data(&[5; 3000]).unwrap(), 3000);
    let mut s = ServerConnection::new(server);
    let early = carry(&mut c, &mut s);
    let longest = records(&early).iter().map(Vec::len).max().unwrap();
    assert!(longest > 3000, "the early data went in one record");
    handshake(&mut c, &mut s);
    assert_eq!(s.early_data_status(), EarlyDataStatus::Accepted);
    let mut got = vec![0; 3000];
    s.reader().read_exact(&mut got).unwrap();
    assert_eq!(got, [5; 3000]);
    c.writer().write_all(&[6; 2000]).unwrap();
    let wire = carry(&mut c, &mut s);
    let lens = protected_plaintext_lens(&wire, true);
    assert!(
        lens.len() >= 4 && lens.iter().all(|&len| len <= 512),
        "{lens:?}"
    );
}

/// `message` (a handshake message, header included, whose body ends with
/// its extension block) with `extension` appended to that block, both
/// lengths fixed.
fn with_extension(message: &[u8], extension: &[u8]) -> Vec<u8> {
    let mut out = message.to_vec();
    out.extend_from_slice(extension);
    let body_len = out.len() - 4;
    out[1..4].copy_from_slice(&(body_len as u32).to_be_bytes()[1..]);
    out
}

/// Adds `extension` to the end of a message whose body ends with an
/// extension block starting at `block_at` (the block's 2-byte length).
fn add_extension(message: &mut Vec<u8>, block_at: usize, extension: &[u8]) {
    let block_len = u16::from_be_bytes([message[block_at], message[block_at + 1]]);
    let grown = block_len + extension.len() as u16;
    *message = with_extension(message, extension);
    message[block_at..block_at + 2].copy_from_slice(&grown.to_be_bytes());
}

#[test]
fn an_answer_to_a_limit_we_did_not_announce_is_unsupported_extension() {
    // A record_size_limit our client (announcing none) never asked for, or
    // a max_fragment_length, which it never asks for (RFC 8446 §4.2,
    // RFC 5246 §7.4.1.4).
    for (answer, tls12_answer) in [
        (extension(16385).to_vec(), extension(16384).to_vec()),
        (
            max_fragment_length(1).to_vec(),
            max_fragment_length(1).to_vec(),
        ),
    ] {
        let add = |message: &mut Vec<u8>, block_at: usize, tls13: bool| {
            add_extension(
                message,
                block_at,
                if tls13 { &answer } else { &tls12_answer },
            )
        };
        for error in answer_refusals(None, Some(1000), &add) {
            assert!(
                matches!(error, Error::UnsupportedExtension(_)),
                "{answer:?}: {error:?}"
            );
        }
    }
}

#[test]
fn rfc6066_4_a_max_fragment_length_answer_must_be_the_code_sent_and_alone() {
    // A client announcing 1025 sends max_fragment_length 2 (2^10). A
    // server announcing no record_size_limit answers it: that answer
    // turned into 1 is illegal_parameter (RFC 6066 §4), and so is an
    // answer of 2 beside the server's record_size_limit (RFC 8449 §5: a
    // server that answers that ignores max_fragment_length).
    let other_code = |message: &mut Vec<u8>, _: usize, _: bool| {
        replace(message, &max_fragment_length(2), &max_fragment_length(1))
    };
    let beside = |message: &mut Vec<u8>, block_at: usize, _: bool| {
        add_extension(message, block_at, &max_fragment_length(2))
    };
    let cases: [(Option<u16>, &AnswerEdit<'_>); 2] = [(None, &other_code), (Some(1000), &beside)];
    for (server_limit, edit) in cases {
        for error in answer_refusals(Some(1025), server_limit, edit) {
            assert_eq!(
                error,
                Error::IllegalParameter(IllegalParameterReason::MaxFragmentLengthAnswer),
                "{server_limit:?}"
            );
        }
    }
}

/// A client of TLS `version` announcing `client_limit`, and a server
/// announcing `server_limit` that logs its secrets to the returned
/// recorder.
fn logging_configs(
    version: ProtocolVersion,
    client_limit: Option<u16>,
    server_limit: Option<u16>,
) -> (Arc<CapturedSecrets>, Arc<ClientConfig>, Arc<ServerConfig>) {
    let secrets = Arc::new(CapturedSecrets::default());
    let client = client_builder("p256")
        .versions(&[version])
        .record_size_limit(client_limit)
        .build()
        .unwrap();
    let server = server_builder("p256")
        .record_size_limit(server_limit)
        .key_log(secrets.clone())
        .build()
        .unwrap();
    (secrets, client, server)
}

/// An edit of the server's message that carries its extension block: the
/// message, where the block starts, and whether it is TLS 1.3's
/// EncryptedExtensions (else a TLS 1.2 ServerHello).
type AnswerEdit<'a> = dyn Fn(&mut Vec<u8>, usize, bool) + 'a;

/// The server's EncryptedExtensions (TLS 1.3) or ServerHello (TLS 1.2)
/// goes through `edit`, between a client and a server announcing
/// `client_limit` and `server_limit`: the client's refusal in each
/// version.
fn answer_refusals(
    client_limit: Option<u16>,
    server_limit: Option<u16>,
    edit: &AnswerEdit<'_>,
) -> [Error; 2] {
    let (secrets, client, server) =
        logging_configs(ProtocolVersion::TLSv1_3, client_limit, server_limit);
    let (tls13, _) = client_refuses_encrypted_flight(
        client,
        server,
        server_name("p256"),
        &secrets,
        |messages| {
            let ee = messages
                .iter_mut()
                .find(|m| message_type(m) == 8)
                .expect("EncryptedExtensions");
            edit(ee, 4, true);
        },
    );

    // TLS 1.2: the same in the (plaintext) ServerHello.
    let (client, server) = configs(ProtocolVersion::TLSv1_2, client_limit, server_limit);
    let (tls12, _) = refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Client,
        1,
        |flight| {
            let mut payload = Vec::new();
            for record in records(flight) {
                assert_eq!(record[0], HANDSHAKE, "a plaintext flight");
                payload.extend_from_slice(&record[RECORD_HEADER_LEN..]);
            }
            let mut messages = split_messages(&payload);
            let hello = &mut messages[0];
            assert_eq!(message_type(hello), 2, "ServerHello first");
            // legacy_version 2, random 32, session_id 1+n, suite 2,
            // compression 1, then the extension block.
            let block_at = 4 + 2 + 32 + 1 + usize::from(hello[4 + 2 + 32]) + 2 + 1;
            edit(hello, block_at, false);
            *flight = handshake_record(&messages.concat());
        },
    );
    [tls13, tls12]
}

/// A configuration's `max_fragment_size` bounds the records that side
/// sends, its handshake flight included, in both versions: below the
/// protocol's maximum, and below the peer's record_size_limit when that
/// is larger; where the peer's limit is smaller, the peer's holds.
#[test]
fn max_fragment_size_bounds_the_records_a_side_sends() {
    use ferrotls::internal::error::InvalidRequestReason;
    for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
        let tls13 = version == ProtocolVersion::TLSv1_3;
        // TLS 1.3 lengths here count the content type byte.
        let content = |len: usize| if tls13 { len + 1 } else { len };
        let client = client_builder("p256")
            .versions(&[version])
            .max_fragment_size(Some(700))
            .record_size_limit(Some(200))
            .build()
            .unwrap();
        let server = server_builder("p256")
            .versions(&[version])
            .max_fragment_size(Some(300))
            .build()
            .unwrap();
        let (_, _, from_client, from_server) = run(client, server);
        let to_client = protected_plaintext_lens(&from_server, tls13);
        let to_server = protected_plaintext_lens(&from_client, tls13);
        // The server: its own 300 is above the client's limit, 200 (in
        // TLS 1.3 with the content type byte, RFC 8449 §4).
        let peer_limit = 200;
        assert!(
            to_client.iter().all(|&len| len <= peer_limit),
            "{to_client:?}"
        );
        assert!(to_client.contains(&peer_limit), "{to_client:?}");
        // The client: its own 700 under the server's 2^14.
        assert!(
            to_server.iter().all(|&len| len <= content(700)),
            "{to_server:?}"
        );
        assert!(to_server.contains(&content(700)), "{to_server:?}");
        // Without the setting the client sends the 5000 bytes in one.
        let plain = client_builder("p256").versions(&[version]).build().unwrap();
        let server = server_builder("p256").versions(&[version]).build().unwrap();
        let (_, _, from_client, _) = run(plain, server);
        let lens = protected_plaintext_lens(&from_client, tls13);
        assert!(lens.contains(&content(5000)), "{lens:?}");
    }
    for refused in [63, 16385] {
        let built = client_builder("p256")
            .max_fragment_size(Some(refused))
            .build();
        assert_eq!(
            built.unwrap_err(),
            Error::InvalidRequest(InvalidRequestReason::MaxFragmentSize)
        );
    }
    assert!(server_builder("p256")
        .max_fragment_size(Some(64))
        .build()
        .is_ok());
}

// ---- max_fragment_length (RFC 6066 §4), which a server answers ----

/// The max_fragment_length extension with `code` (type 1, length 1).
fn max_fragment_length(code: u8) -> [u8; 5] {
    [0, 1, 0, 1, code]
}

/// Adds max_fragment_length `code` (valid or not) to the ClientHello of a
/// client's first flight.
fn add_max_fragment_length(flight: &mut Vec<u8>, code: u8) {
    edit_plaintext_flight(flight, |messages| {
        let mut hello = client_hello(&messages[0]);
        if let Some(extensions) = hello.extensions.as_mut() {
            extensions.push(Extension::MaxFragmentLength(code));
        }
        messages[0] = HandshakeMessage::ClientHello(hello).to_bytes().unwrap();
    });
}

/// What the server sends back to our ClientHello, given max_fragment_length
/// `added` too (a client announcing `client_limit`, TLS `version`): its
/// first flight, and the handshake messages of it that the server
/// protected (TLS 1.3, opened with its logged handshake secret; none in
/// TLS 1.2).
fn server_flight_to(
    version: ProtocolVersion,
    client_limit: Option<u16>,
    added: Option<u8>,
) -> (Vec<u8>, Vec<Vec<u8>>) {
    let (secrets, client, server) =
        logging_configs(version, client_limit, Some(DEFAULT_RECORD_SIZE_LIMIT));
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer_altered(&mut c, &mut s, |hello| {
        if let Some(code) = added {
            add_max_fragment_length(hello, code)
        }
    })
    .1
    .unwrap();
    let mut flight = Vec::new();
    while s.wants_write() {
        s.write_tls(&mut flight).unwrap();
    }
    let mut encrypted = Vec::new();
    if version == ProtocolVersion::TLSv1_3 {
        let secret = secrets.get("SERVER_HANDSHAKE_TRAFFIC_SECRET");
        edit_encrypted_flight(&mut flight.clone(), &secret, |messages| {
            encrypted = messages.clone()
        });
    }
    (flight, encrypted)
}

/// The handshake messages of the server's first flight with its extension
/// block: the ServerHello (TLS 1.2) or EncryptedExtensions (TLS 1.3).
fn answering_message(flight: &[u8], encrypted: &[Vec<u8>], tls13: bool) -> Vec<u8> {
    if tls13 {
        return encrypted[0].clone();
    }
    // The ServerHello leads the first record, which may end inside the
    // Certificate message that follows.
    let payload = &records(flight)[0][RECORD_HEADER_LEN..];
    let len = u32::from_be_bytes([0, payload[1], payload[2], payload[3]]) as usize;
    payload[..4 + len].to_vec()
}

#[test]
fn rfc6066_4_a_server_answers_max_fragment_length_and_keeps_to_it() {
    // A client that announces no record_size_limit asks for 2^9-byte
    // fragments: the server echoes the code (in its ServerHello, or its
    // EncryptedExtensions) and every record of its flight (TLS 1.3: every
    // protected one), the certificate chain's too, carries at most 512
    // bytes of plaintext (TLS 1.3: 513 with the content type).
    for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
        let tls13 = version == ProtocolVersion::TLSv1_3;
        let (flight, encrypted) = server_flight_to(version, None, Some(1));
        let answer = answering_message(&flight, &encrypted, tls13);
        assert!(
            answer.windows(5).any(|w| w == max_fragment_length(1)),
            "{version:?}: {answer:02x?}"
        );
        let fragments: Vec<usize> = records(&flight)
            .iter()
            .filter(|r| !tls13 || r[0] == APPLICATION_DATA)
            .map(|r| r.len() - RECORD_HEADER_LEN - if tls13 { TAG_LEN } else { 0 })
            .collect();
        let most = if tls13 { 513 } else { 512 };
        // (TLS 1.3 compresses the chain: two records.)
        assert!(fragments.len() >= 2, "{version:?}: {fragments:?}");
        assert!(
            fragments.iter().all(|&n| n <= most),
            "{version:?}: {fragments:?}"
        );
        assert!(fragments.contains(&most), "{version:?}: {fragments:?}");
    }
}

#[test]
fn rfc8449_5_max_fragment_length_beside_a_record_size_limit_is_ignored() {
    // The client announces a record_size_limit of 1000, and so also sends
    // max_fragment_length 1 (below): the server answers the limit alone
    // and fills records to 1000.
    for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
        let tls13 = version == ProtocolVersion::TLSv1_3;
        let (flight, encrypted) = server_flight_to(version, Some(1000), None);
        let answer = answering_message(&flight, &encrypted, tls13);
        assert!(
            !answer.windows(5).any(|w| w == max_fragment_length(1)),
            "{version:?}: {answer:02x?}"
        );
        assert!(answer.windows(4).any(|w| w == [0, 28, 0, 2]), "{version:?}");
        let largest = records(&flight)
            .iter()
            .filter(|r| !tls13 || r[0] == APPLICATION_DATA)
            .map(|r| r.len() - RECORD_HEADER_LEN)
            .max()
            .unwrap();
        assert!(
            largest > 600 && largest <= 1000 + TAG_LEN,
            "{version:?}: {largest}"
        );
    }
}

/// RFC 6066 §4: once max_fragment_length is agreed, a larger record from
/// the client is refused ("MUST discard the message and send a
/// 'record_overflow' alert"), not only kept to on our side. The server
/// here announces no record_size_limit, so it does not support that
/// extension and answers the max_fragment_length our client sends beside
/// its limit of 513 (RFC 8449 §5 has only a server that supports it
/// ignore the max_fragment_length): 2^9 bytes of data, 513 with the
/// content type, pass; one byte more is record_overflow. The oversize
/// record is sealed by hand under the client's logged traffic secret.
#[test]
fn rfc6066_4_a_server_refuses_a_record_over_the_agreed_max_fragment_length() {
    let (secrets, c, mut s) = logged_tls13(Some(513), None);
    assert_eq!(
        c.peer_record_size_limit(),
        None,
        "no record_size_limit answer"
    );
    let secret = secrets.get("CLIENT_TRAFFIC_SECRET_0");
    assert_eq!(one_over(&mut s, &secret, 512), Err(Error::RecordOverflow));
}

/// The ClientHello a client of `versions` announcing `limit` sends.
fn client_hello_announcing(versions: &[ProtocolVersion], limit: u16) -> ClientHello {
    let client = client_builder("p256")
        .versions(versions)
        .record_size_limit(Some(limit))
        .build()
        .unwrap();
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    let mut flight = Vec::new();
    c.write_tls(&mut flight).unwrap();
    client_hello(&records(&flight)[0][RECORD_HEADER_LEN..])
}

#[test]
fn rfc8449_5_a_client_with_a_small_limit_sends_max_fragment_length_too() {
    // "Clients that depend on having a small record size MAY continue to
    // advertise the max_fragment_length": the largest 2^(8 + code) within
    // the plaintext the limit allows in every version offered (with TLS
    // 1.3, one byte less: its content type); none at 2^14 and over, nor
    // under 2^9.
    use ProtocolVersion::{TLSv1_2, TLSv1_3};
    for (versions, limit, code) in [
        (&[TLSv1_3, TLSv1_2][..], DEFAULT_RECORD_SIZE_LIMIT, None),
        (&[TLSv1_3, TLSv1_2][..], 1 << 14, Some(4)),
        (&[TLSv1_3, TLSv1_2][..], 4097, Some(4)),
        (&[TLSv1_3, TLSv1_2][..], 4096, Some(3)),
        (&[TLSv1_3, TLSv1_2][..], 1025, Some(2)),
        (&[TLSv1_3, TLSv1_2][..], 513, Some(1)),
        (&[TLSv1_3, TLSv1_2][..], 512, None),
        (&[TLSv1_2][..], 1 << 14, None),
        (&[TLSv1_2][..], 4096, Some(4)),
        (&[TLSv1_2][..], 512, Some(1)),
    ] {
        let hello = client_hello_announcing(versions, limit);
        let sent = hello.extensions().iter().find_map(|e| match e {
            Extension::MaxFragmentLength(code) => Some(*code),
            _ => None,
        });
        assert_eq!(sent, code, "{versions:?} {limit}");
        // The record_size_limit goes as well.
        assert!(hello
            .extensions()
            .iter()
            .any(|e| matches!(e, Extension::RecordSizeLimit(_))));
    }
}

#[test]
fn rfc6066_4_a_max_fragment_length_other_than_2_9_to_2_12_is_illegal_parameter() {
    for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
        for code in [0, 5, 255] {
            let (client, server) = configs(version, None, None);
            let (error, alert) = refuses(
                client,
                server,
                server_name("p256"),
                Refuser::Server,
                1,
                |hello| add_max_fragment_length(hello, code),
            );
            assert_eq!(
                error,
                Error::IllegalParameter(IllegalParameterReason::MaxFragmentLengthValue),
                "{version:?} {code}"
            );
            assert_eq!(alert, Some(u8::from(AlertDescription::IllegalParameter)));
        }
    }
}

// ---- max_fragment_length across TLS 1.2 resumptions (RFC 6066 §4) ----

/// A TLS 1.2 client announcing `limit` (so sending max_fragment_length
/// beside it under 2^14 bytes), keeping its sessions in `store`.
fn tls12_client(store: &Arc<InMemoryClientStore>, limit: u16) -> Arc<ClientConfig> {
    let store: Arc<dyn ClientSessionStore> = store.clone();
    client_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_2])
        .record_size_limit(Some(limit))
        .session_store(Some(store))
        .build()
        .unwrap()
}

/// A TLS 1.2 server that announces no record_size_limit, so that it
/// answers max_fragment_length (RFC 8449 §5), and keeps sessions.
fn tls12_mfl_server() -> Arc<ServerConfig> {
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    server_builder("p256")
        .versions(&[ProtocolVersion::TLSv1_2])
        .record_size_limit(None)
        .clock(clock.clone())
        .session_store(Arc::new(InMemoryServerStore::new(clock)))
        .build()
        .unwrap()
}

/// A client store holding the session of a full TLS 1.2 handshake in
/// which `server` agreed to max_fragment_length 2 (2^10 bytes).
fn store_with_a_2_10_session(server: &Arc<ServerConfig>) -> Arc<InMemoryClientStore> {
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    let store = Arc::new(InMemoryClientStore::new(clock));
    let (c, _) = handshaken(
        tls12_client(&store, 1025),
        server.clone(),
        server_name("p256"),
    );
    assert!(!c.is_resumed());
    let session = store.get_tls12(&server_name("p256").as_text()).unwrap();
    assert_eq!(session.max_fragment_length, Some(2));
    store
}

/// The plaintext length of each TLS 1.2 AES-GCM record `from` sends
/// with 3000 bytes of data, after the handshake.
fn sent_with_data(from: &mut Connection, to: &mut Connection) -> Vec<usize> {
    use std::io::Write;
    from.writer().write_all(&[7; 3000]).unwrap();
    records(&carry(from, to))
        .iter()
        .map(|r| r.len() - RECORD_HEADER_LEN - TLS12_GCM_NONCE_LEN - TAG_LEN)
        .collect()
}

#[test]
fn rfc6066_4_a_tls12_session_resumes_with_its_max_fragment_length_and_both_sides_keep_to_it() {
    let server = tls12_mfl_server();
    let store = store_with_a_2_10_session(&server);
    let (mut c, mut s) = handshaken(tls12_client(&store, 1025), server, server_name("p256"));
    assert!(c.is_resumed() && s.is_resumed());
    for lens in [
        sent_with_data(&mut s, &mut c),
        sent_with_data(&mut c, &mut s),
    ] {
        assert_eq!(lens, [1024, 1024, 952], "{lens:?}");
    }
}

#[test]
fn rfc6066_4_a_server_does_not_resume_a_tls12_session_with_another_max_fragment_length() {
    // "The negotiated length applies for the duration of the session
    // including session resumptions": a client offering the session of
    // 2^10 with 2^9, or with none, gets a new session. The client's copy
    // of the session is altered so that our client offers it at all.
    let server = tls12_mfl_server();
    for (limit, code, lens) in [
        (513, Some(1), &[512, 512, 512, 512, 512, 440][..]),
        (DEFAULT_RECORD_SIZE_LIMIT, None, &[3000]),
    ] {
        let store = store_with_a_2_10_session(&server);
        let name = server_name("p256").as_text().into_owned();
        let mut session = (*store.get_tls12(&name).unwrap()).clone();
        session.max_fragment_length = code;
        store.put_tls12(&name, Arc::new(session));
        let (mut c, mut s) = handshaken(
            tls12_client(&store, limit),
            server.clone(),
            server_name("p256"),
        );
        assert!(!c.is_resumed() && !s.is_resumed(), "{limit}");
        // Held to the new session's length, not the old one's.
        assert_eq!(sent_with_data(&mut s, &mut c), lens, "{limit}");
    }
}

/// Whether `hello` offers `session`: by its session ID or its ticket.
fn offers(hello: &ClientHello, session: &ferrotls::internal::session::ClientSessionTls12) -> bool {
    let by_id = !session.session_id.as_bytes().is_empty()
        && hello.session_id[..] == *session.session_id.as_bytes();
    let by_ticket = session.ticket.as_ref().is_some_and(|t| {
        hello
            .extensions()
            .contains(&Extension::SessionTicket(t.ticket.clone()))
    });
    by_id || by_ticket
}

#[test]
fn rfc6066_4_a_client_offers_a_tls12_session_only_with_its_max_fragment_length() {
    // A session bound to 2^10 is offered by a client that sends that code
    // again, not by one that sends another or none: OpenSSL's server
    // would resume it with 2^10 all the same
    // (`interop_size_and_compression`).
    let server = tls12_mfl_server();
    let store = store_with_a_2_10_session(&server);
    let session = store.get_tls12(&server_name("p256").as_text()).unwrap();
    for (limit, offered) in [
        (1025, true),
        (513, false),
        (DEFAULT_RECORD_SIZE_LIMIT, false),
    ] {
        let mut c =
            ClientConnection::new(tls12_client(&store, limit), server_name("p256")).unwrap();
        let mut flight = Vec::new();
        c.write_tls(&mut flight).unwrap();
        let hello = client_hello(&records(&flight)[0][RECORD_HEADER_LEN..]);
        assert_eq!(offers(&hello, &session), offered, "{limit}");
    }
}
