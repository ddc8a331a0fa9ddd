//! GREASE (RFC 8701): a client with `grease` lists a reserved value in
//! each place Chromium does, keeps them through a HelloRetryRequest but
//! for the key share, and refuses a server that selects one; a server with
//! `grease` puts them in its TLS 1.3 tickets and certificate requests, and
//! our client, like any, ignores them. Each side also serves the other
//! with GREASE on, in TLS 1.2 and 1.3.

mod common;

use std::sync::Arc;

use common::rfc8448::server_hello;
use common::*;
use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::hello::ClientHello;
use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
use ferrotls::{
    CipherSuite, ClientConfig, Error, NamedGroup, ProtocolVersion, ServerConfig, SignatureScheme,
    ALL_VERSIONS,
};

/// Whether `value` is one of RFC 8701 §2's sixteen reserved values
/// (`0x?A?A`, both bytes equal).
fn is_grease(value: u16) -> bool {
    let [high, low] = value.to_be_bytes();
    high == low && high & 0x0F == 0x0A
}

/// The GREASE values of a ClientHello, place by place.
#[derive(Debug, Default, PartialEq)]
struct Greased {
    cipher_suites: Vec<u16>,
    groups: Vec<u16>,
    key_shares: Vec<(u16, Vec<u8>)>,
    versions: Vec<u16>,
    schemes: Vec<u16>,
    /// Each GREASE extension with its index in the list and its body.
    extensions: Vec<(usize, u16, Vec<u8>)>,
}

fn greased(hello: &ClientHello) -> Greased {
    let grease = |values: Vec<u16>| values.into_iter().filter(|v| is_grease(*v)).collect();
    let mut found = Greased {
        cipher_suites: grease(hello.cipher_suites.iter().map(|s| u16::from(*s)).collect()),
        ..Greased::default()
    };
    for (index, extension) in hello.extensions().iter().enumerate() {
        match extension {
            Extension::SupportedGroups(groups) => {
                found.groups = grease(groups.iter().map(|g| u16::from(*g)).collect());
            }
            Extension::KeyShareOffer(shares) => {
                found.key_shares = shares
                    .iter()
                    .filter(|s| is_grease(u16::from(s.group)))
                    .map(|s| (u16::from(s.group), s.key_exchange.clone()))
                    .collect();
            }
            Extension::SupportedVersionsOffer(versions) => {
                found.versions = grease(versions.iter().map(|v| u16::from(*v)).collect());
            }
            Extension::SignatureAlgorithms(schemes) => {
                found.schemes = grease(schemes.iter().map(|s| u16::from(*s)).collect());
            }
            Extension::Unknown { typ, data } if is_grease(u16::from(*typ)) => {
                found
                    .extensions
                    .push((index, u16::from(*typ), data.clone()));
            }
            _ => {}
        }
    }
    found
}

/// The first value of each list of `hello` that GREASE fills, in order:
/// the GREASE value must come first, where a server that reads only the
/// first entry meets it.
fn firsts(hello: &ClientHello) -> Vec<u16> {
    let mut out = vec![u16::from(hello.cipher_suites.as_slice()[0])];
    for extension in hello.extensions() {
        match extension {
            Extension::SupportedGroups(groups) => out.push(u16::from(groups.as_slice()[0])),
            Extension::KeyShareOffer(shares) => out.push(u16::from(shares[0].group)),
            Extension::SupportedVersionsOffer(v) => out.push(u16::from(v.as_slice()[0])),
            Extension::SignatureAlgorithms(s) => out.push(u16::from(s.as_slice()[0])),
            _ => {}
        }
    }
    out
}

fn grease_client(versions: &[ProtocolVersion]) -> Arc<ClientConfig> {
    client_builder("p256")
        .versions(versions)
        .grease(true)
        .build()
        .unwrap()
}

#[test]
fn a_grease_client_puts_a_reserved_value_first_in_each_list_and_two_extensions() {
    let hello = first_client_hello(grease_client(&[
        ProtocolVersion::TLSv1_3,
        ProtocolVersion::TLSv1_2,
    ]));
    let found = greased(&hello);
    assert_eq!(found.cipher_suites.len(), 1, "{found:?}");
    assert_eq!(found.groups.len(), 1, "{found:?}");
    assert_eq!(found.versions.len(), 1, "{found:?}");
    assert_eq!(found.schemes.len(), 1, "{found:?}");
    // The key share is the listed GREASE group's, one byte.
    assert_eq!(found.key_shares, vec![(found.groups[0], vec![0])]);
    assert!(firsts(&hello).iter().all(|v| is_grease(*v)), "{found:?}");
    // Two extensions: an empty one first and a one-byte one last, of two
    // types (a type may appear once, RFC 8446 §4.2).
    let last = hello.extensions().len() - 1;
    match found.extensions.as_slice() {
        [(0, first, empty), (at, second, body)] => {
            assert!(empty.is_empty());
            assert_eq!(body, &vec![0]);
            assert_eq!(*at, last, "the GREASE extension closes the list");
            assert_ne!(first, second);
        }
        other => panic!("GREASE extensions {other:?}"),
    }
}

#[test]
fn a_client_sends_no_grease_unless_told() {
    let client = client_builder("p256").build().unwrap();
    assert_eq!(greased(&first_client_hello(client)), Greased::default());
}

#[test]
fn a_tls12_client_greases_the_lists_it_sends() {
    let hello = first_client_hello(grease_client(&[ProtocolVersion::TLSv1_2]));
    let found = greased(&hello);
    assert_eq!(found.cipher_suites.len(), 1, "{found:?}");
    assert_eq!(found.groups.len(), 1, "{found:?}");
    assert_eq!(found.schemes.len(), 1, "{found:?}");
    assert_eq!(found.extensions.len(), 2, "{found:?}");
    // No supported_versions nor key_share without TLS 1.3.
    assert!(found.versions.is_empty() && found.key_shares.is_empty());
}

#[test]
fn each_handshake_draws_its_own_values() {
    let client = grease_client(&[ProtocolVersion::TLSv1_3]);
    let suites: std::collections::BTreeSet<u16> = (0..24)
        .map(|_| greased(&first_client_hello(client.clone())).cipher_suites[0])
        .collect();
    // Twenty-four draws of one in sixteen all alike: 16^-23.
    assert!(suites.len() > 1, "{suites:?}");
}

#[test]
fn a_second_client_hello_repeats_the_values_but_not_the_grease_key_share() {
    let (_, server) = retrying_configs();
    let client = client_builder("p256")
        .groups(&[NamedGroup::secp384r1, NamedGroup::X25519])
        .grease(true)
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let mut hellos = Vec::new();
    for _ in 0..2 {
        let (_, r) = transfer_altered(&mut c, &mut s, |bytes| hellos.push(client_hello_in(bytes)));
        r.unwrap();
        transfer(&mut s, &mut c).1.unwrap();
    }
    let (first, second) = (greased(&hellos[0]), greased(&hellos[1]));
    assert_eq!(first.key_shares.len(), 1);
    // RFC 8446 §4.1.2: the second key_share holds the requested group's
    // share alone.
    let shares = hellos[1].extensions().iter().find_map(|e| match e {
        Extension::KeyShareOffer(shares) => Some(shares.iter().map(|s| s.group).collect()),
        _ => None,
    });
    assert_eq!(shares, Some(vec![NamedGroup::X25519]));
    // The same values elsewhere; the second extension's place moves by
    // the cookie the second ClientHello adds.
    let unplaced = |g: Greased| Greased {
        key_shares: Vec::new(),
        extensions: g
            .extensions
            .into_iter()
            .map(|(_, t, d)| (0, t, d))
            .collect(),
        ..g
    };
    assert_eq!(unplaced(second), unplaced(first));
    handshake(&mut c, &mut s);
    assert_eq!(c.negotiated_group(), Some(NamedGroup::X25519));
}

/// The client's error and alert when the server's answer selects, in
/// place of ours, the GREASE value that `pick` takes from the client's
/// ClientHello, written into the ServerHello by `edit`.
fn refused_selection(
    version: ProtocolVersion,
    pick: impl FnOnce(&Greased) -> u16,
    edit: impl FnOnce(&mut ferrotls::internal::msgs::hello::ServerHello, u16),
) -> (Error, Option<u8>) {
    let client = grease_client(&[version]);
    let server = server_builder("p256").versions(&[version]).build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let mut offered = Greased::default();
    transfer_altered(&mut c, &mut s, |bytes| {
        offered = greased(&client_hello_in(bytes))
    })
    .1
    .unwrap();
    let value = pick(&offered);
    let err = transfer_altered(&mut s, &mut c, |bytes| {
        // The ServerHello opens the flight's first record; in TLS 1.2 the
        // rest of the flight follows it there.
        let mut recs = records(bytes);
        let mut messages = split_messages(&recs[0][5..]);
        let mut hello = server_hello(&messages[0]);
        edit(&mut hello, value);
        messages[0] = HandshakeMessage::ServerHello(hello).to_bytes().unwrap();
        recs[0] = handshake_record(&messages.concat());
        *bytes = recs.concat();
    })
    .1
    .unwrap_err();
    let mut alert = Vec::new();
    c.write_tls(&mut alert).unwrap();
    (err, plaintext_alert(&alert))
}

#[test]
fn a_client_refuses_a_server_that_selects_its_grease_suite() {
    for version in [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2] {
        let (err, alert) = refused_selection(
            version,
            |g| g.cipher_suites[0],
            |hello, value| hello.cipher_suite = CipherSuite::from(value),
        );
        assert!(
            matches!(err, Error::IllegalParameter(_)),
            "{version:?}: {err:?}"
        );
        assert_eq!(alert, Some(47), "{version:?}");
    }
}

#[test]
fn a_client_refuses_a_server_that_selects_its_grease_key_share() {
    let (err, alert) = refused_selection(
        ProtocolVersion::TLSv1_3,
        |g| g.key_shares[0].0,
        |hello, value| {
            for extension in hello.extensions.iter_mut().flatten() {
                if let Extension::KeyShareSelected(share) = extension {
                    share.group = NamedGroup::from(value);
                    share.key_exchange = vec![0];
                }
            }
        },
    );
    assert!(matches!(err, Error::IllegalParameter(_)), "{err:?}");
    assert_eq!(alert, Some(47));
}

const TLS13: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_3,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 32,
};

/// The handshake messages protected under `secret` in `flight`.
fn opened(flight: &[u8], secret: &[u8]) -> Vec<HandshakeMessage> {
    let mut messages = Vec::new();
    edit_encrypted_flight(&mut flight.to_vec(), secret, |m| messages = m.clone());
    messages
        .iter()
        .map(|m| HandshakeMessage::decode(m[0].into(), &m[4..], &TLS13).unwrap())
        .collect()
}

/// The extensions of the server's TLS 1.3 CertificateRequest and of its
/// NewSessionTickets, and the schemes the request lists, from a
/// handshake with client authentication between a client and `server`;
/// then the client resumes on a ticket, through the GREASE values.
fn server_messages(server: Arc<ServerConfig>) -> (Vec<Extension>, Vec<Vec<Extension>>) {
    let secrets = Arc::new(CapturedSecrets::default());
    let client = logged_aes128_client("p256", &secrets)
        .client_certificate(certified_key("p256"))
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client.clone(), server.clone(), server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    let mut flight = Vec::new();
    transfer_altered(&mut s, &mut c, |bytes| flight = bytes.clone())
        .1
        .unwrap();
    let handshake_secret = secrets.get("SERVER_HANDSHAKE_TRAFFIC_SECRET");
    let request = opened(&flight, &handshake_secret)
        .into_iter()
        .find_map(|m| match m {
            HandshakeMessage::CertificateRequestTls13(r) => Some(r.extensions),
            _ => None,
        })
        .expect("a CertificateRequest");
    transfer(&mut c, &mut s).1.unwrap();
    let mut tickets = Vec::new();
    transfer_altered(&mut s, &mut c, |bytes| tickets = bytes.clone())
        .1
        .unwrap();
    let tickets = opened(&tickets, &secrets.get("SERVER_TRAFFIC_SECRET_0"))
        .into_iter()
        .filter_map(|m| match m {
            HandshakeMessage::NewSessionTicketTls13(t) => Some(t.extensions),
            _ => None,
        })
        .collect::<Vec<_>>();
    assert!(!c.is_handshaking() && !tickets.is_empty());
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    handshake(&mut c, &mut s);
    assert!(c.is_resumed(), "the ticket resumes");
    (request, tickets)
}

fn grease_extensions(extensions: &[Extension]) -> Vec<u16> {
    extensions
        .iter()
        .map(|e| u16::from(e.ext_type()))
        .filter(|t| is_grease(*t))
        .collect()
}

#[test]
fn a_grease_server_greases_tickets_and_certificate_requests_and_our_client_ignores_them() {
    let server = client_auth_server_builder("p256", "p256", true)
        .grease(true)
        .build()
        .unwrap();
    let (request, tickets) = server_messages(server);
    assert_eq!(grease_extensions(&request).len(), 1, "{request:?}");
    let schemes = request.iter().find_map(|e| match e {
        Extension::SignatureAlgorithms(s) => Some(s.as_slice().to_vec()),
        _ => None,
    });
    let schemes = schemes.expect("signature_algorithms");
    assert!(is_grease(u16::from(schemes[0])), "{schemes:?}");
    assert!(schemes.contains(&SignatureScheme::ecdsa_secp256r1_sha256));
    for ticket in &tickets {
        assert_eq!(grease_extensions(ticket).len(), 1, "{ticket:?}");
    }
}

#[test]
fn a_server_sends_no_grease_unless_told() {
    let server = client_auth_server_builder("p256", "p256", true)
        .build()
        .unwrap();
    let (request, tickets) = server_messages(server);
    assert!(grease_extensions(&request).is_empty());
    assert!(tickets.iter().all(|t| grease_extensions(t).is_empty()));
}

#[test]
fn grease_on_both_sides_completes_every_version_and_resumes() {
    for version in [
        ProtocolVersion::TLSv1_3,
        ProtocolVersion::TLSv1_2,
        ProtocolVersion::TLSv1_1,
    ]
    .into_iter()
    .filter(|v| ALL_VERSIONS.contains(v))
    {
        // TLS 1.1 has none of the default AEAD suites (RFC 5288 §4).
        let suites: &[CipherSuite] = match version {
            ProtocolVersion::TLSv1_1 => &[CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA],
            _ => &[
                CipherSuite::TLS_AES_128_GCM_SHA256,
                CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            ],
        };
        let client = client_builder("p256")
            .versions(&[version])
            .cipher_suites(suites)
            .grease(true)
            .build()
            .unwrap();
        let server = client_auth_server_builder("p256", "p256", false)
            .versions(&[version])
            .cipher_suites(suites)
            .grease(true)
            .build()
            .unwrap();
        for resumed in [false, true] {
            let (mut c, mut s) = pair(client.clone(), server.clone(), server_name("p256"));
            handshake(&mut c, &mut s);
            assert_eq!(c.protocol_version(), Some(version));
            assert_eq!(c.is_resumed(), resumed, "{version:?}");
            send_and_check(&mut c, &mut s, b"through the GREASE");
        }
    }
}
