//! The server's checks over a ClientHello's key_share and supported_groups
//! (RFC 8446 §4.2.7, §4.2.8): a bounded number of shares, one share per
//! group, every share's group listed in supported_groups, a hello at the
//! bound with a long supported_groups list still negotiated, and invalid
//! P-521 and X448 shares refused like X25519's (§4.2.8.2, §7.4.2).

mod common;

use common::*;
use ferrotls::internal::error::IllegalParameterReason;
use ferrotls::internal::msgs::extensions::{Extension, KeyShareEntry, MAX_KEY_SHARES};
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::hello::ClientHello;
use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
use ferrotls::{
    AlertDescription, CipherSuite, ClientConnection, Error, NamedGroup, ProtocolVersion,
    ServerConfigBuilder, ServerConnection,
};

const CX: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_3,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 32,
};

/// The largest plaintext fragment (RFC 8446 §5.1).
const MAX_FRAGMENT: usize = 16384;

/// Groups no implementation defines, for padding the lists: from 0x2000,
/// a range of the registry nothing is assigned in (0x11EC, the hybrid the
/// client offers, sits inside 0x1000–0x1fff).
fn unknown_group(i: usize) -> NamedGroup {
    NamedGroup::from(0x2000 + i as u16)
}

/// Our client's ClientHello (X25519 alone, so it sends one share), with
/// `extra_shares` key shares for unknown groups after its X25519 one and `extra_groups` unknown groups (which
/// include those of the extra shares) after its supported_groups.
fn client_hello(extra_shares: usize, extra_groups: usize) -> ClientHello {
    let client = client_builder("p256")
        .groups(&[NamedGroup::X25519])
        .build()
        .unwrap();
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    let mut bytes = Vec::new();
    c.write_tls(&mut bytes).unwrap();
    let HandshakeMessage::ClientHello(mut hello) =
        HandshakeMessage::decode_message(&records(&bytes)[0][5..], &CX).unwrap()
    else {
        panic!("not a ClientHello")
    };
    for extension in hello.extensions.as_mut().unwrap() {
        match extension {
            Extension::KeyShareOffer(shares) => {
                shares.extend((0..extra_shares).map(|i| KeyShareEntry {
                    group: unknown_group(i),
                    key_exchange: vec![1],
                }))
            }
            Extension::SupportedGroups(groups) => {
                groups.extend((0..extra_groups).map(unknown_group))
            }
            _ => {}
        }
    }
    hello
}

/// Delivers `hello` to a fresh server in records of at most
/// [`MAX_FRAGMENT`] bytes; returns the server, its result and what it
/// wrote.
fn deliver(hello: ClientHello) -> (ServerConnection, Result<(), Error>, Vec<u8>) {
    let message = HandshakeMessage::ClientHello(hello).to_bytes().unwrap();
    let mut bytes = Vec::new();
    for fragment in message.chunks(MAX_FRAGMENT) {
        bytes.extend_from_slice(&handshake_record(fragment));
    }
    let mut server = ServerConnection::new(server_builder("p256").build().unwrap());
    let mut offset = 0;
    let mut result = Ok(());
    while offset < bytes.len() && result.is_ok() {
        offset += server.read_tls(&mut &bytes[offset..]).unwrap();
        result = server.process_new_packets().map(drop);
    }
    let mut out = Vec::new();
    while server.wants_write() {
        server.write_tls(&mut out).unwrap();
    }
    (server, result, out)
}

/// Delivers `hello` and asserts the server refuses it with
/// `illegal_parameter` for `reason`.
fn assert_illegal_parameter(hello: ClientHello, reason: IllegalParameterReason) {
    let (_, result, out) = deliver(hello);
    assert_eq!(result, Err(Error::IllegalParameter(reason)));
    assert_eq!(
        plaintext_alert(&out),
        Some(AlertDescription::IllegalParameter.into())
    );
}

/// `hello` with the share at `index` repeated at the end of its list.
fn with_repeated_share(mut hello: ClientHello, index: usize) -> ClientHello {
    for extension in hello.extensions.as_mut().unwrap() {
        if let Extension::KeyShareOffer(shares) = extension {
            let repeat = shares[index].clone();
            shares.push(repeat);
        }
    }
    hello
}

#[test]
fn rfc8446_4_2_8_more_key_shares_than_the_bound_is_illegal_parameter() {
    let shares = MAX_KEY_SHARES;
    assert_illegal_parameter(
        client_hello(shares, shares),
        IllegalParameterReason::TooManyKeyShares,
    );
}

#[test]
fn rfc8446_4_2_8_two_key_shares_for_one_group_is_illegal_parameter() {
    assert_illegal_parameter(
        with_repeated_share(client_hello(1, 1), 0),
        IllegalParameterReason::DuplicateKeyShareGroup,
    );
}

#[test]
fn rfc8446_4_2_8_a_repeated_group_far_down_a_long_share_list_is_illegal_parameter() {
    // Past the first few shares the duplicate check moves to a set; a
    // repeat of an early group at the end of a long list is still found.
    assert_illegal_parameter(
        with_repeated_share(client_hello(200, 200), 3),
        IllegalParameterReason::DuplicateKeyShareGroup,
    );
}

#[test]
fn rfc8446_4_2_8_key_share_for_an_unlisted_group_is_illegal_parameter() {
    // The last extra share's group is left out of supported_groups.
    assert_illegal_parameter(
        client_hello(4, 3),
        IllegalParameterReason::KeyShareGroupNotSupported,
    );
}

#[test]
fn rfc8446_4_2_8_the_most_key_shares_and_a_long_group_list_are_negotiated() {
    // The X25519 share plus the most unknown ones allowed, and a
    // supported_groups list of thousands of groups: the hello spans two
    // records and the server still answers with its X25519 share.
    let (server, result, out) = deliver(client_hello(MAX_KEY_SHARES - 1, 12_000));
    assert_eq!(result, Ok(()));
    assert!(server.is_handshaking());
    let server_hello = HandshakeMessage::decode_message(&records(&out)[0][5..], &CX).unwrap();
    let HandshakeMessage::ServerHello(server_hello) = server_hello else {
        panic!("not a ServerHello")
    };
    assert!(!server_hello.is_hello_retry_request());
    assert!(server_hello.extensions().iter().any(
        |e| matches!(e, Extension::KeyShareSelected(share) if share.group == NamedGroup::X25519)
    ));
}

/// `hello` offering `group` alone, with `key_exchange` as its one share.
fn with_only_share(
    mut hello: ClientHello,
    group: NamedGroup,
    key_exchange: Vec<u8>,
) -> ClientHello {
    for extension in hello.extensions.as_mut().unwrap() {
        match extension {
            Extension::KeyShareOffer(shares) => {
                *shares = vec![KeyShareEntry {
                    group,
                    key_exchange: key_exchange.clone(),
                }]
                .into()
            }
            Extension::SupportedGroups(groups) => *groups = [group].into(),
            _ => {}
        }
    }
    hello
}

#[test]
fn rfc8446_4_2_8_2_a_p521_share_off_the_curve_is_illegal_parameter() {
    // 0x04 ‖ x ‖ y with x = y = 1: uncompressed form and length right,
    // not on P-521.
    let mut point = vec![0u8; 133];
    point[0] = 0x04;
    point[66] = 1;
    point[132] = 1;
    assert_illegal_parameter(
        with_only_share(client_hello(0, 0), NamedGroup::secp521r1, point),
        IllegalParameterReason::KeyShareInvalid,
    );
}

#[test]
fn rfc8446_7_4_2_an_x448_share_giving_the_zero_secret_is_illegal_parameter() {
    // u = 0 has small order: the X448 output is all zero (RFC 7748 §6.2),
    // refused with the reason X25519's zero output has.
    assert_illegal_parameter(
        with_only_share(client_hello(0, 0), NamedGroup::X448, vec![0; 56]),
        IllegalParameterReason::KeyShareInvalid,
    );
    assert_illegal_parameter(
        with_only_share(client_hello(0, 0), NamedGroup::X25519, vec![0; 32]),
        IllegalParameterReason::KeyShareInvalid,
    );
}

#[test]
fn rfc8446_4_2_8_new_group_shares_of_the_wrong_length_are_illegal_parameter() {
    for (group, len) in [(NamedGroup::secp521r1, 132), (NamedGroup::X448, 57)] {
        assert_illegal_parameter(
            with_only_share(client_hello(0, 0), group, vec![4; len]),
            IllegalParameterReason::KeyShareLength,
        );
    }
}

#[test]
fn rfc9846_4_2_7_a_configuration_listing_a_group_twice_is_refused() {
    // "The named_group_list MUST NOT contain any duplicate entries": a
    // configuration that would send one is refused when built, as one
    // repeating a version, cipher suite or signature scheme is.
    use ferrotls::internal::error::InvalidRequestReason;
    use ferrotls::{CipherSuite, SignatureScheme};
    let refused = Err(Error::InvalidRequest(
        InvalidRequestReason::RepeatedListEntry,
    ));
    let x25519 = NamedGroup::X25519;
    let p256 = NamedGroup::secp256r1;
    assert_eq!(
        client_builder("p256")
            .groups(&[x25519, p256, x25519])
            .build()
            .map(|_| ()),
        refused
    );
    assert_eq!(
        server_builder("p256")
            .groups(&[p256, p256])
            .build()
            .map(|_| ()),
        refused
    );
    assert!(client_builder("p256")
        .groups(&[x25519, p256])
        .build()
        .is_ok());
    let v13 = ProtocolVersion::TLSv1_3;
    let suite = CipherSuite::TLS_AES_128_GCM_SHA256;
    let scheme = SignatureScheme::ecdsa_secp256r1_sha256;
    for repeated in [
        client_builder("p256")
            .versions(&[v13, v13])
            .build()
            .map(|_| ()),
        client_builder("p256")
            .cipher_suites(&[suite, suite])
            .build()
            .map(|_| ()),
        server_builder("p256")
            .signature_schemes(&[scheme, scheme])
            .build()
            .map(|_| ()),
    ] {
        assert_eq!(repeated, refused);
    }
}

/// What one handshake showed of the choice of group.
#[derive(Debug, PartialEq)]
struct Exchange {
    /// The groups of the key shares in the first ClientHello.
    shares: Vec<NamedGroup>,
    /// Whether the server answered it with a HelloRetryRequest.
    retried: bool,
    /// The supported_groups of the server's EncryptedExtensions, if any.
    announced: Option<Vec<NamedGroup>>,
    /// The group the handshake agreed on.
    group: Option<NamedGroup>,
}

/// Runs a handshake between `client` and a server of `server`
/// (TLS_AES_128_GCM_SHA256, whose flight is opened under the secret it
/// logs), and reports what it showed of the choice of group.
fn exchange(
    client: std::sync::Arc<ferrotls::ClientConfig>,
    server: ServerConfigBuilder,
) -> Exchange {
    let secrets = std::sync::Arc::new(CapturedSecrets::default());
    let server = server
        .cipher_suites(&[CipherSuite::TLS_AES_128_GCM_SHA256])
        .key_log(secrets.clone())
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let mut shares = Vec::new();
    transfer_altered(&mut c, &mut s, |bytes| {
        let hello = common::rfc8448::client_hello(&records(bytes)[0][5..]);
        for extension in hello.extensions() {
            if let Extension::KeyShareOffer(offered) = extension {
                shares = offered.iter().map(|s| s.group).collect();
            }
        }
    })
    .1
    .unwrap();
    let mut retried = false;
    let mut flight = Vec::new();
    transfer_altered(&mut s, &mut c, |bytes| {
        let hello = common::rfc8448::server_hello(&records(bytes)[0][5..]);
        retried = hello.is_hello_retry_request();
        flight = bytes.clone();
    })
    .1
    .unwrap();
    if retried {
        transfer(&mut c, &mut s).1.unwrap();
        transfer_altered(&mut s, &mut c, |bytes| flight = bytes.clone())
            .1
            .unwrap();
    }
    let mut announced = None;
    let secret = secrets.get("SERVER_HANDSHAKE_TRAFFIC_SECRET");
    edit_encrypted_flight(&mut flight, &secret, |messages| {
        let ee = messages.iter().find(|m| message_type(m) == 8).unwrap();
        let HandshakeMessage::EncryptedExtensions(extensions) =
            HandshakeMessage::decode_message(ee, &CX).unwrap()
        else {
            panic!("not EncryptedExtensions")
        };
        for extension in extensions {
            if let Extension::SupportedGroups(groups) = extension {
                announced = Some(groups.iter().copied().collect());
            }
        }
    });
    handshake(&mut c, &mut s);
    Exchange {
        shares,
        retried,
        announced,
        group: c.negotiated_group(),
    }
}

/// The groups of the key shares in the first ClientHello `client` sends,
/// whether a server taking only `server_groups` answered it with a
/// HelloRetryRequest, and the group the handshake then agreed on.
fn shares_retry_and_group(
    client: std::sync::Arc<ferrotls::ClientConfig>,
    server_groups: &[NamedGroup],
) -> (Vec<NamedGroup>, bool, Option<NamedGroup>) {
    let e = exchange(client, server_builder("p256").groups(server_groups));
    (e.shares, e.retried, e.group)
}

#[test]
fn rfc8446_4_2_8_a_client_sends_the_key_shares_it_is_told_in_the_order_of_its_groups() {
    use NamedGroup as G;
    let groups = [G::X25519, G::secp256r1, G::secp384r1];
    let client = |shares: &[G]| {
        client_builder("p256")
            .groups(&groups)
            .key_share_groups(shares)
            .build()
            .unwrap()
    };
    // Told in another order, the shares still follow the preference of
    // the groups ("descending order of client preference"), and a server
    // of the later group takes its share without a HelloRetryRequest.
    assert_eq!(
        shares_retry_and_group(client(&[G::secp384r1, G::X25519]), &[G::secp384r1]),
        (vec![G::X25519, G::secp384r1], false, Some(G::secp384r1))
    );
    // Without a share for the server's group, a HelloRetryRequest.
    assert_eq!(
        shares_retry_and_group(client(&[G::X25519]), &[G::secp256r1]),
        (vec![G::X25519], true, Some(G::secp256r1))
    );
    // No share at all: an empty client_shares asks for the retry.
    assert_eq!(
        shares_retry_and_group(client(&[]), &[G::X25519, G::secp256r1]),
        (vec![], true, Some(G::X25519))
    );
    // Unset, the default: one share, for the first group.
    let default = client_builder("p256").groups(&groups).build().unwrap();
    assert_eq!(
        shares_retry_and_group(default, &[G::X25519]),
        (vec![G::X25519], false, Some(G::X25519))
    );
}

#[test]
fn a_key_share_group_must_be_a_configured_group_listed_once() {
    use ferrotls::internal::error::InvalidRequestReason;
    use NamedGroup as G;
    let refused = Err(Error::InvalidRequest(
        InvalidRequestReason::KeyShareGroupNotEnabled,
    ));
    for shares in [&[G::secp384r1][..], &[G::X25519, G::X25519][..]] {
        let built = client_builder("p256")
            .groups(&[G::X25519, G::secp256r1])
            .key_share_groups(shares)
            .build();
        assert_eq!(built.map(|_| ()), refused, "{shares:?}");
    }
}

#[test]
fn rfc8446_4_2_8_a_tiered_server_asks_for_its_better_tier_rather_than_take_a_worse_share() {
    use NamedGroup as G;
    let client = |groups: &[G], shares: &[G]| {
        client_builder("p256")
            .groups(groups)
            .key_share_groups(shares)
            .build()
            .unwrap()
    };
    let tiered =
        || server_builder("p256").group_tiers(&[&[G::secp384r1][..], &[G::X25519, G::secp256r1]]);
    // The client supports the better tier's group but sent no share for
    // it: a HelloRetryRequest for it, not the X25519 share.
    let e = exchange(client(&[G::X25519, G::secp384r1], &[G::X25519]), tiered());
    assert_eq!((e.retried, e.group), (true, Some(G::secp384r1)));
    // Without tiers the same server groups take the share sent.
    let flat = server_builder("p256").groups(&[G::secp384r1, G::X25519, G::secp256r1]);
    let e = exchange(client(&[G::X25519, G::secp384r1], &[G::X25519]), flat);
    assert_eq!((e.retried, e.group), (false, Some(G::X25519)));
    // Within a tier, a share sent beats the server's order.
    let e = exchange(
        client(&[G::secp256r1, G::X25519], &[G::secp256r1]),
        tiered(),
    );
    assert_eq!((e.retried, e.group), (false, Some(G::secp256r1)));
    // Within a tier without a share, the server's order picks the retry.
    let e = exchange(
        client(&[G::secp256r1, G::X25519, G::X448], &[G::X448]),
        tiered(),
    );
    assert_eq!((e.retried, e.group), (true, Some(G::X25519)));
}

#[test]
fn rfc8446_4_2_7_a_server_that_prefers_another_group_lists_its_groups_in_encrypted_extensions() {
    use NamedGroup as G;
    let ours = [G::X25519, G::secp256r1, G::secp384r1];
    let client = |groups: &[G]| client_builder("p256").groups(groups).build().unwrap();
    // The share taken is of our first group: nothing to tell.
    let e = exchange(
        client(&[G::X25519, G::secp256r1]),
        server_builder("p256").groups(&ours),
    );
    assert_eq!((e.group, e.announced), (Some(G::X25519), None));
    // We prefer X25519 to the P-256 share taken: all our groups, in our
    // order, whether or not the client supports them.
    let e = exchange(
        client(&[G::secp256r1, G::X25519]),
        server_builder("p256").groups(&ours),
    );
    assert_eq!(
        (e.group, e.announced),
        (Some(G::secp256r1), Some(ours.to_vec()))
    );
    // After a retry within the better tier, a better group the client
    // lacks still counts.
    let tiered =
        server_builder("p256").group_tiers(&[&[G::secp384r1][..], &[G::X25519, G::secp256r1]]);
    let e = exchange(client(&[G::secp256r1]), tiered);
    assert_eq!(
        (e.retried, e.group, e.announced),
        (
            false,
            Some(G::secp256r1),
            Some(vec![G::secp384r1, G::X25519, G::secp256r1])
        )
    );
}

#[test]
fn group_tiers_must_hold_the_configured_groups_each_at_least_one() {
    use ferrotls::internal::error::InvalidRequestReason;
    use NamedGroup as G;
    let refused = Err(Error::InvalidRequest(InvalidRequestReason::GroupTiers));
    let empty_tier = server_builder("p256").group_tiers(&[&[G::X25519][..], &[]]);
    assert_eq!(empty_tier.build().map(|_| ()), refused);
    // groups() after group_tiers() with another count leaves the tiers
    // describing groups that are not there.
    let overwritten = server_builder("p256")
        .group_tiers(&[&[G::X25519][..], &[G::secp256r1]])
        .groups(&[G::X25519]);
    assert_eq!(overwritten.build().map(|_| ()), refused);
    let fine = server_builder("p256").group_tiers(&[&[G::X25519][..], &[G::secp256r1]]);
    assert!(fine.build().is_ok());
}

/// A client of `groups` keeping its sessions in a store of its own
/// (which also keeps the key-share hints), or none.
fn client_with_store(groups: &[NamedGroup], store: bool) -> std::sync::Arc<ferrotls::ClientConfig> {
    use ferrotls::{InMemoryClientStore, ManualClock, UnixTime};
    let clock = std::sync::Arc::new(ManualClock::new(UnixTime::from_secs(common::NOW)));
    let store = store.then(|| {
        std::sync::Arc::new(InMemoryClientStore::new(clock))
            as std::sync::Arc<dyn ferrotls::ClientSessionStore>
    });
    client_builder("p256")
        .groups(groups)
        .session_store(store)
        .build()
        .unwrap()
}

#[test]
fn rfc8446_4_2_8_a_client_sends_the_group_a_server_chose_last_time_and_keeps_its_kem_share() {
    use NamedGroup as G;
    let p256_only = || server_builder("p256").groups(&[G::secp256r1]);
    // The defaults: the hybrid and X25519, then a retry for P-256.
    let client = client_with_store(&[G::X25519MLKEM768, G::X25519, G::secp256r1], true);
    let first = exchange(client.clone(), p256_only());
    assert_eq!(first.shares, [G::X25519MLKEM768, G::X25519]);
    assert_eq!((first.retried, first.group), (true, Some(G::secp256r1)));
    // Next time P-256 takes X25519's place beside the hybrid: no retry.
    let second = exchange(client.clone(), p256_only());
    assert_eq!(second.shares, [G::X25519MLKEM768, G::secp256r1]);
    assert_eq!((second.retried, second.group), (false, Some(G::secp256r1)));
    // A server that then takes the hybrid moves the hint back: the
    // defaults again.
    exchange(client.clone(), server_builder("p256"));
    assert_eq!(
        exchange(client, server_builder("p256")).shares,
        [G::X25519MLKEM768, G::X25519]
    );

    // A classical first group gives way to the hint.
    let client = client_with_store(&[G::X25519, G::secp256r1], true);
    assert!(exchange(client.clone(), p256_only()).retried);
    let second = exchange(client, p256_only());
    assert_eq!((second.shares, second.retried), (vec![G::secp256r1], false));
}

#[test]
fn a_key_share_hint_needs_a_store_an_authenticated_server_and_no_chosen_shares() {
    use NamedGroup as G;
    let groups = [G::X25519, G::secp256r1];
    let p256_only = || server_builder("p256").groups(&[G::secp256r1]);
    // No store: nothing remembered, a retry each time.
    let client = client_with_store(&groups, false);
    exchange(client.clone(), p256_only());
    assert!(exchange(client, p256_only()).retried);
    // A server whose chain fails (the client trusts another root) leaves
    // no hint, though its ServerHello named P-256.
    let store: std::sync::Arc<dyn ferrotls::ClientSessionStore> =
        std::sync::Arc::new(ferrotls::InMemoryClientStore::new(std::sync::Arc::new(
            ferrotls::ManualClock::new(ferrotls::UnixTime::from_secs(common::NOW)),
        )));
    let distrusting = client_builder("rsa2048")
        .groups(&groups)
        .session_store(Some(store.clone()))
        .build()
        .unwrap();
    let server = p256_only().build().unwrap();
    let (mut c, mut s) = pair(distrusting, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    transfer(&mut c, &mut s).1.unwrap();
    let refused = transfer(&mut s, &mut c).1;
    assert!(
        refused.is_err(),
        "the client refuses the chain: {refused:?}"
    );
    assert_eq!(c.negotiated_group(), Some(G::secp256r1));
    assert_eq!(store.key_share_hint("leaf.p256.test"), None);
    // Shares the configuration names are sent whatever the store says.
    store.set_key_share_hint("leaf.p256.test", G::secp256r1);
    let chosen = client_builder("p256")
        .groups(&groups)
        .key_share_groups(&[G::X25519])
        .session_store(Some(store))
        .build()
        .unwrap();
    assert_eq!(exchange(chosen, p256_only()).shares, [G::X25519]);
}

#[test]
fn an_exported_ticket_carries_its_group_to_the_process_that_imports_it() {
    use ferrotls::{ClientConnection, ClientSessionData, ServerConnection};
    use NamedGroup as G;
    let groups = [G::X25519, G::secp256r1];
    let server = server_builder("p256")
        .groups(&[G::secp256r1])
        .build()
        .unwrap();
    let shares = |flight: &[u8]| -> Vec<NamedGroup> {
        let hello = client_hello_in(flight);
        hello
            .extensions()
            .iter()
            .find_map(|e| match e {
                Extension::KeyShareOffer(offered) => {
                    Some(offered.iter().map(|s| s.group).collect())
                }
                _ => None,
            })
            .unwrap()
    };
    // The first process: a retry for P-256, then tickets.
    let (mut c, mut s) = pair(
        client_with_store(&groups, true),
        server.clone(),
        server_name("p256"),
    );
    handshake(&mut c, &mut s);
    assert_eq!(c.negotiated_group(), Some(G::secp256r1));
    let bytes = c.session_data().unwrap().unwrap();
    let Ok(ClientSessionData::Tls13(ticket)) =
        ClientSessionData::from_bytes(&bytes, ferrotls::UnixTime::from_secs(common::NOW))
    else {
        panic!("not a TLS 1.3 ticket")
    };
    assert_eq!(ticket.key_share_group, Some(G::secp256r1));
    // A new process, its store empty: its first ClientHello shares X25519;
    // offering the imported ticket, P-256, and the resumption needs no
    // retry.
    let fresh = client_with_store(&groups, true);
    let (mut c, _) = pair(fresh.clone(), server.clone(), server_name("p256"));
    let mut flight = Vec::new();
    c.write_tls(&mut flight).unwrap();
    assert_eq!(shares(&flight), [G::X25519]);
    let mut c = ClientConnection::resume(fresh, server_name("p256"), &bytes).unwrap();
    let mut flight = Vec::new();
    c.write_tls(&mut flight).unwrap();
    assert_eq!(shares(&flight), [G::secp256r1]);
    let mut s = ServerConnection::new(server);
    s.read_tls(&mut flight.as_slice()).unwrap();
    s.process_new_packets().unwrap();
    handshake(&mut c, &mut s);
    assert!(c.is_resumed());
    assert_eq!(c.negotiated_group(), Some(G::secp256r1));
}
