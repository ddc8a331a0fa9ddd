//! The versioned session format: every kind round-trips; damaged,
//! foreign or expired bytes are typed errors; unknown optional fields are
//! skipped and kept (forward compatibility).

mod session_support;

use ferrotls::internal::session::format::{FORMAT_VERSION, MAGIC};
use ferrotls::internal::session::{ServerChain, ServerSessionState, SessionDataError, Validity};
use ferrotls::{ClientSessionData, Error, NamedGroup, Staples, UnixTime, MAX_RESUMPTION_DATA_LEN};
use session_support::*;

const NOW: UnixTime = UnixTime::from_secs(1_700_000_100);

/// Every length of resumption data a server state may carry.
const RESUMPTION_DATA_LENGTHS: u32 = MAX_RESUMPTION_DATA_LEN as u32 + 1;

fn import(bytes: &[u8]) -> Result<ClientSessionData, Error> {
    ClientSessionData::from_bytes(bytes, NOW)
}

fn data_error(e: Error) -> SessionDataError {
    match e {
        Error::SessionData(reason) => reason,
        other => panic!("expected a session data error, got {other:?}"),
    }
}

fn all_client_samples() -> Vec<ClientSessionData> {
    vec![
        ClientSessionData::Tls12(client_tls12(true).into()),
        ClientSessionData::Tls12(client_tls12(false).into()),
        ClientSessionData::Tls13(client_tls13(1).into()),
    ]
}

fn all_encodings() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = all_client_samples()
        .iter()
        .map(|d| d.to_bytes().unwrap())
        .collect();
    out.push(server_tls12().to_bytes().unwrap().to_vec());
    out.push(server_tls13().to_bytes().unwrap().to_vec());
    out
}

#[test]
fn every_client_kind_round_trips() {
    for data in all_client_samples() {
        let bytes = data.to_bytes().unwrap();
        let back = import(&bytes).unwrap();
        assert_eq!(back, data);
        assert_eq!(back.to_bytes().unwrap(), bytes);
    }
}

#[test]
fn every_server_state_round_trips() {
    for state in [server_tls12(), server_tls13()] {
        let bytes = state.to_bytes().unwrap();
        let back = ServerSessionState::from_bytes(&bytes).unwrap();
        assert_eq!(back, state);
        assert_eq!(
            back.session_id, state.session_id,
            "the persistent ID survives"
        );
        assert_eq!(back.to_bytes().unwrap(), bytes);
    }
}

#[test]
fn encoding_starts_with_magic_version_and_kind() {
    let bytes = server_tls12().to_bytes().unwrap();
    assert_eq!(&bytes[..4], b"FTSD");
    assert_eq!(&bytes[..4], &MAGIC);
    assert_eq!(bytes[4], FORMAT_VERSION);
    assert_eq!(bytes[5], 1, "server_state(1)");
    assert_eq!(
        ClientSessionData::Tls12(client_tls12(false).into())
            .to_bytes()
            .unwrap()[5],
        2
    );
    assert_eq!(
        ClientSessionData::Tls13(client_tls13(0).into())
            .to_bytes()
            .unwrap()[5],
        3
    );
}

#[test]
fn every_truncation_is_truncated() {
    for bytes in all_encodings() {
        for len in 0..bytes.len() {
            let short = &bytes[..len];
            assert_eq!(
                data_error(ServerSessionState::from_bytes(short).unwrap_err()),
                SessionDataError::Truncated,
                "length {len}"
            );
            assert_eq!(
                data_error(import(short).unwrap_err()),
                SessionDataError::Truncated
            );
        }
    }
}

#[test]
fn trailing_bytes_are_refused() {
    for bytes in all_encodings() {
        for extra in [&[0u8][..], &[1, 2, 3], &bytes[..]] {
            let mut long = bytes.clone();
            long.extend_from_slice(extra);
            assert_eq!(
                data_error(import(&long).unwrap_err()),
                SessionDataError::TrailingBytes
            );
        }
    }
}

#[test]
fn every_single_byte_flip_of_the_header_is_refused() {
    // The header is magic (4), version (1), kind (1) and the field list's
    // 3-byte length.
    for bytes in all_encodings() {
        for position in 0..9 {
            for bit in 0..8 {
                let mut damaged = bytes.clone();
                damaged[position] ^= 1 << bit;
                let client = import(&damaged).map(|_| ()).map_err(data_error);
                let server = ServerSessionState::from_bytes(&damaged)
                    .map(|_| ())
                    .map_err(data_error);
                let grew = damaged[position] > bytes[position];
                let expected = match position {
                    0..=3 => SessionDataError::BadMagic,
                    4 => SessionDataError::UnsupportedFormatVersion(damaged[4]),
                    5 if (1..=3).contains(&damaged[5]) => SessionDataError::Corrupted,
                    5 => SessionDataError::UnknownKind(damaged[5]),
                    _ if grew => SessionDataError::Truncated,
                    _ => SessionDataError::TrailingBytes,
                };
                for outcome in [client, server] {
                    assert_eq!(outcome, Err(expected), "byte {position} bit {bit}");
                }
            }
        }
    }
}

#[test]
fn any_flip_past_the_header_is_caught() {
    // Field bytes, including secrets, are covered by the checksum.
    for bytes in all_encodings() {
        for position in 9..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[position] ^= 0x40;
            assert_eq!(
                data_error(import(&damaged).unwrap_err()),
                SessionDataError::Corrupted,
                "position {position}"
            );
        }
    }
}

#[test]
fn wrong_format_version_and_unknown_kind_are_named() {
    let bytes = client_tls13(0);
    let bytes = ClientSessionData::Tls13(bytes.into()).to_bytes().unwrap();
    let mut v2 = bytes.clone();
    v2[4] = 2;
    assert_eq!(
        data_error(import(&v2).unwrap_err()),
        SessionDataError::UnsupportedFormatVersion(2)
    );
    let framed = split(&bytes);
    let mut header = framed.header.clone();
    header[5] = 9;
    assert_eq!(
        data_error(import(&join(&header, &framed.fields)).unwrap_err()),
        SessionDataError::UnknownKind(9)
    );
}

#[test]
fn kinds_are_not_interchangeable() {
    let server = server_tls12().to_bytes().unwrap();
    assert_eq!(
        data_error(import(&server).unwrap_err()),
        SessionDataError::UnexpectedKind(1)
    );
    let client = ClientSessionData::Tls12(client_tls12(true).into())
        .to_bytes()
        .unwrap();
    assert_eq!(
        data_error(ServerSessionState::from_bytes(&client).unwrap_err()),
        SessionDataError::UnexpectedKind(2)
    );
    // Relabelling the kind (with a valid checksum) leaves required fields
    // missing or foreign ones present.
    let mut framed = split(&client);
    framed.header[5] = 3;
    let relabelled = join(&framed.header, &framed.fields);
    assert!(matches!(
        data_error(import(&relabelled).unwrap_err()),
        SessionDataError::MissingField(_) | SessionDataError::UnexpectedField(_)
    ));
}

#[test]
fn unknown_optional_field_is_skipped_and_kept() {
    let data = ClientSessionData::Tls12(client_tls12(true).into());
    let bytes = data.to_bytes().unwrap();
    // 0x0100 is not a tag this version knows and lacks the critical bit.
    let extended = reframe(&bytes, |fields| {
        fields.push((0x0100, b"future".to_vec()));
        fields.sort_by_key(|(tag, _)| *tag);
    });
    let back = import(&extended).unwrap();
    match (&back, &data) {
        (ClientSessionData::Tls12(got), ClientSessionData::Tls12(want)) => {
            assert_eq!(got.master_secret, want.master_secret);
            assert_eq!(got.session_id, want.session_id);
            assert_eq!(got.unknown_fields.as_slice().len(), 1);
            assert_eq!(got.unknown_fields.as_slice()[0].tag, 0x0100);
        }
        _ => panic!("kind changed"),
    }
    assert_eq!(
        back.to_bytes().unwrap(),
        extended,
        "kept and re-encoded in place"
    );
}

#[test]
fn unknown_critical_field_is_refused() {
    let bytes = server_tls13().to_bytes().unwrap();
    let extended = reframe(&bytes, |fields| fields.push((0x8100, vec![1])));
    assert_eq!(
        data_error(ServerSessionState::from_bytes(&extended).unwrap_err()),
        SessionDataError::UnknownCriticalField(0x8100)
    );
}

#[test]
fn field_order_is_strict() {
    let bytes = server_tls12().to_bytes().unwrap();
    let swapped = reframe(&bytes, |fields| fields.swap(0, 1));
    assert!(matches!(
        data_error(ServerSessionState::from_bytes(&swapped).unwrap_err()),
        SessionDataError::FieldOutOfOrder(_)
    ));
    let repeated = reframe(&bytes, |fields| {
        let first = fields[0].clone();
        fields.insert(0, first);
    });
    assert_eq!(
        data_error(ServerSessionState::from_bytes(&repeated).unwrap_err()),
        SessionDataError::FieldOutOfOrder(0x0001)
    );
}

#[test]
fn missing_required_and_foreign_fields_are_named() {
    let bytes = server_tls12().to_bytes().unwrap();
    let no_secret = reframe(&bytes, |fields| fields.retain(|(tag, _)| *tag != 0x0003));
    assert_eq!(
        data_error(ServerSessionState::from_bytes(&no_secret).unwrap_err()),
        SessionDataError::MissingField(0x0003)
    );
    // 0x0030 (a client's 1.3 ticket) is known but not a server field.
    let foreign = reframe(&bytes, |fields| fields.push((0x0030, vec![1])));
    assert_eq!(
        data_error(ServerSessionState::from_bytes(&foreign).unwrap_err()),
        SessionDataError::UnexpectedField(0x0030)
    );
}

#[test]
fn malformed_field_values_are_named() {
    let bytes = server_tls12().to_bytes().unwrap();
    let cases: [(u16, Vec<u8>); 8] = [
        (0x0009, vec![2]),                           // boolean neither 0 nor 1
        (0x000c, vec![5]),                           // max_fragment_length code over 4
        (0x000c, vec![0]),                           // max_fragment_length code 0
        (0x0003, vec![]),                            // empty secret
        (0x0003, vec![0; 65]),                       // secret longer than any hash
        (0x0005, 604_801u32.to_be_bytes().to_vec()), // lifetime beyond 7 days
        (0x0010, vec![0; 33]),                       // persistent session ID of 33 bytes
        (0x0001, vec![3, 3, 0]),                     // version with a trailing byte
    ];
    for (tag, value) in cases {
        let damaged = reframe(&bytes, |fields| {
            for field in fields.iter_mut().filter(|(t, _)| *t == tag) {
                field.1 = value.clone();
            }
        });
        assert_eq!(
            data_error(ServerSessionState::from_bytes(&damaged).unwrap_err()),
            SessionDataError::MalformedField(tag)
        );
    }
    // A ≤1.2 client session claiming TLS 1.3.
    let client = ClientSessionData::Tls12(client_tls12(false).into())
        .to_bytes()
        .unwrap();
    let wrong_version = reframe(&client, |fields| fields[0].1 = vec![3, 4]);
    assert_eq!(
        data_error(import(&wrong_version).unwrap_err()),
        SessionDataError::MalformedField(0x0001)
    );
}

#[test]
fn expired_session_is_refused_at_import() {
    let mut session = client_tls12(false);
    session.validity = Validity::new(UnixTime::from_secs(1_700_000_000), 60);
    let bytes = ClientSessionData::Tls12(session.into()).to_bytes().unwrap();
    assert!(ClientSessionData::from_bytes(&bytes, UnixTime::from_secs(1_700_000_059)).is_ok());
    assert_eq!(
        ClientSessionData::from_bytes(&bytes, UnixTime::from_secs(1_700_000_060)),
        Err(Error::SessionData(SessionDataError::Expired))
    );
    let mut ticket = client_tls13(0);
    ticket.validity = Validity::new(UnixTime::from_secs(10), 1);
    let bytes = ClientSessionData::Tls13(ticket.into()).to_bytes().unwrap();
    assert_eq!(
        data_error(
            ClientSessionData::from_bytes(&bytes, UnixTime::from_millis(11_000)).unwrap_err()
        ),
        SessionDataError::Expired
    );
}

#[test]
fn lifetimes_are_capped_at_seven_days() {
    let v = Validity::new(UnixTime::EPOCH, u32::MAX);
    assert_eq!(v.lifetime_secs(), 604_800);
    assert_eq!(v.expires_at(), UnixTime::from_secs(604_800));
}

#[test]
fn session_data_errors_send_no_alert_and_explain_themselves() {
    let e = Error::SessionData(SessionDataError::UnknownCriticalField(0x8001));
    assert_eq!(e.alert(), None);
    assert_eq!(
        e.to_string(),
        "unusable session data: unknown critical field 0x8001"
    );
}

#[test]
fn obfuscated_age_adds_age_add_modulo_2_32() {
    // RFC 8446 §4.2.11.1: (age in ms + ticket_age_add) mod 2^32.
    let mut ticket = client_tls13(0);
    ticket.age_add = u32::MAX - 499;
    let received = ticket.validity.created();
    let now = UnixTime::from_millis(received.as_millis() + 1_500);
    assert_eq!(ticket.obfuscated_age(now), 1_000);
}

/// Draws values for the randomized round trips from a seeded generator.
struct Draw(ferrotls::internal::crypto::rng::SeededRng);

impl Draw {
    fn bytes(&self, n: usize) -> Vec<u8> {
        let mut v = vec![0u8; n];
        ferrotls::SecureRandom::fill(&self.0, &mut v).unwrap();
        v
    }
    fn u32(&self) -> u32 {
        u32::from_be_bytes(self.bytes(4).try_into().unwrap())
    }
    fn below(&self, n: u32) -> usize {
        (self.u32() % n) as usize
    }
    fn coin(&self) -> bool {
        self.u32() & 1 == 1
    }
    fn text(&self, max: u32) -> String {
        (0..1 + self.below(max))
            .map(|i| (b'a' + (i % 26) as u8) as char)
            .collect()
    }
    fn chain(&self) -> Vec<Vec<u8>> {
        (0..self.below(4))
            .map(|_| self.bytes(1 + self.below(300)))
            .collect()
    }
    fn staples(&self) -> Staples {
        Staples {
            ocsp_response: self.coin().then(|| self.bytes(1 + self.below(3000))),
            scts: self.chain(),
        }
    }
    fn validity(&self) -> Validity {
        Validity::new(
            UnixTime::from_millis(u64::from(self.u32()) * 1000 + 1_700_000_000_000),
            self.u32() % 604_801,
        )
    }
}

#[test]
fn randomized_states_round_trip() {
    use ferrotls::internal::crypto::Secret;
    use ferrotls::internal::session::state::{Tls12Ticket, Tls13TicketParams};
    use ferrotls::SessionId;
    use ferrotls::{CipherSuite, ProtocolVersion};

    let d = Draw(ferrotls::internal::crypto::rng::SeededRng::new(b"round trips").unwrap());
    for _ in 0..200 {
        let server = ServerSessionState {
            version: ProtocolVersion::from(0x0301 + (d.below(4) as u16)),
            cipher_suite: CipherSuite::from(d.u32() as u16),
            secret: Secret::new(d.bytes(1 + d.below(64))),
            session_id: SessionId::from_peer(&d.bytes(d.below(33))).unwrap(),
            extended_master_secret: d.coin(),
            encrypt_then_mac: d.coin(),
            max_fragment_length: d.coin().then(|| 1 + d.below(4) as u8),
            server_name: d.coin().then(|| d.text(60).into_bytes()),
            alpn_protocol: d.coin().then(|| d.bytes(1 + d.below(255))),
            validity: d.validity(),
            peer_certificates: d.chain(),
            tls13: d.coin().then(|| Tls13TicketParams {
                age_add: d.u32(),
                nonce: d.bytes(d.below(256)),
                max_early_data_size: d.u32(),
            }),
            resumption_data: d.coin().then(|| d.bytes(d.below(RESUMPTION_DATA_LENGTHS))),
            authenticated: d.coin().then(|| d.validity().created()),
            unknown_fields: Default::default(),
        };
        let bytes = server.to_bytes().unwrap();
        assert_eq!(ServerSessionState::from_bytes(&bytes).unwrap(), server);

        let tls12 = ClientSessionData::Tls12(std::sync::Arc::new(
            ferrotls::internal::session::ClientSessionTls12 {
                version: ProtocolVersion::from(0x0301 + (d.below(3) as u16)),
                cipher_suite: CipherSuite::from(d.u32() as u16),
                session_id: SessionId::from_peer(&d.bytes(d.below(33))).unwrap(),
                ticket: d.coin().then(|| Tls12Ticket {
                    lifetime_hint: d.u32(),
                    ticket: d.bytes(1 + d.below(2000)),
                }),
                master_secret: Secret::new(d.bytes(48)),
                extended_master_secret: d.coin(),
                encrypt_then_mac: d.coin(),
                max_fragment_length: d.coin().then(|| 1 + d.below(4) as u8),
                server_certificates: d.chain(),
                staples: d.staples(),
                server_name: d.text(60),
                validity: d.validity(),
                unknown_fields: Default::default(),
            },
        ));
        let tls13 = ClientSessionData::Tls13(std::sync::Arc::new(
            ferrotls::internal::session::ClientTicketTls13 {
                ticket: d.bytes(1 + d.below(2000)),
                psk: Secret::new(d.bytes(32 + 16 * d.below(2))),
                cipher_suite: CipherSuite::from(d.u32() as u16),
                age_add: d.u32(),
                validity: d.validity(),
                max_early_data_size: d.u32(),
                alpn_protocol: d.coin().then(|| d.bytes(1 + d.below(255))),
                server: std::sync::Arc::new(ServerChain {
                    certificates: d.chain(),
                    staples: d.staples(),
                }),
                server_name: d.text(60),
                key_share_group: d.coin().then(|| NamedGroup::from(d.u32() as u16)),
                unknown_fields: Default::default(),
            },
        ));
        for data in [tls12, tls13] {
            let bytes = data.to_bytes().unwrap();
            let import_time = data.validity().created();
            let back = ClientSessionData::from_bytes(&bytes, import_time);
            if data.validity().lifetime_secs() == 0 {
                assert_eq!(back, Err(Error::SessionData(SessionDataError::Expired)));
            } else {
                assert_eq!(back.unwrap(), data);
            }
        }
    }
}

#[test]
fn debug_output_never_shows_secrets() {
    let state = server_tls12();
    let shown = format!("{state:?}");
    assert!(shown.contains("Secret(48 bytes)"));
    assert!(!shown.contains("17, 17, 17"), "0x11 bytes of the secret");
    let data = ClientSessionData::Tls13(client_tls13(0).into());
    let shown = format!("{data:?}");
    assert!(!shown.contains("68, 68, 68"), "0x44 bytes of the PSK");
}

#[test]
fn field_count_is_bounded() {
    use ferrotls::internal::session::format::MAX_FIELDS;
    let bytes = server_tls12().to_bytes().unwrap();
    let padded_to = |count: usize| {
        reframe(&bytes, |fields| {
            let mut tag = 0x1000;
            while fields.len() < count {
                fields.push((tag, vec![]));
                tag += 1;
            }
        })
    };
    let at_limit = ServerSessionState::from_bytes(&padded_to(MAX_FIELDS)).unwrap();
    let known = split(&bytes).fields.len();
    assert_eq!(at_limit.unknown_fields.as_slice().len(), MAX_FIELDS - known);
    assert_eq!(
        data_error(ServerSessionState::from_bytes(&padded_to(MAX_FIELDS + 1)).unwrap_err()),
        SessionDataError::MalformedFieldList
    );
}

#[test]
fn serialized_server_state_comes_in_a_buffer_wiped_on_drop() {
    // The encoding holds the master secret in clear:
    // its type is the proof that it is zeroized when dropped.
    let encoded: zeroize::Zeroizing<Vec<u8>> = server_tls12().to_bytes().unwrap();
    assert!(encoded.windows(48).any(|w| w == [0x11; 48]));
}
