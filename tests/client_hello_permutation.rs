//! ClientHello extension permutation (`ClientConfig::permute_extensions`,
//! as Chromium's client does): each ClientHello lists the same extensions
//! in an order drawn from its random; the GREASE extensions keep the
//! first and next-to-last places and pre_shared_key the last (RFC 8446
//! §4.2); a second ClientHello keeps the first one's order (§4.1.2),
//! which our server checks; without the option the order is fixed.

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use common::*;
use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::internal::msgs::hello::ClientHello;
use ferrotls::{ClientConfig, NamedGroup, ProtocolVersion};

/// The extension types of `hello`, in its order.
fn types(hello: &ClientHello) -> Vec<u16> {
    hello
        .extensions()
        .iter()
        .map(|e| u16::from(e.ext_type()))
        .collect()
}

/// Whether `value` is one of RFC 8701 §2's reserved values.
fn is_grease(value: u16) -> bool {
    let [high, low] = value.to_be_bytes();
    high == low && high & 0x0F == 0x0A
}

fn client(permute: bool, grease: bool) -> Arc<ClientConfig> {
    client_builder("p256")
        .permute_extensions(permute)
        .grease(grease)
        .build()
        .unwrap()
}

/// How many ClientHellos each test draws.
const DRAWS: usize = 8;

#[test]
fn a_permuting_client_lists_the_same_extensions_in_an_order_of_each_hello() {
    for versions in [
        &[ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2][..],
        &[ProtocolVersion::TLSv1_2],
    ] {
        let builder = || client_builder("p256").versions(versions);
        let fixed = types(&first_client_hello(builder().build().unwrap()));
        assert!(fixed.len() >= 8, "{fixed:?}");
        // Without the option every ClientHello has the one order.
        let again = types(&first_client_hello(builder().build().unwrap()));
        assert_eq!(again, fixed);
        let permuting = builder().permute_extensions(true).build().unwrap();
        let orders: HashSet<Vec<u16>> = (0..DRAWS)
            .map(|_| types(&first_client_hello(permuting.clone())))
            .collect();
        // Eight draws of one of more than 8! orders: all differ.
        assert_eq!(orders.len(), DRAWS, "{versions:?}: {orders:?}");
        let mut sorted = fixed.clone();
        sorted.sort_unstable();
        for order in orders {
            let mut same = order.clone();
            same.sort_unstable();
            assert_eq!(same, sorted, "{versions:?}: {order:?} against {fixed:?}");
        }
    }
}

#[test]
fn grease_stays_first_and_next_to_last_and_the_psk_last() {
    let client = client(true, true);
    let server = server_builder("p256").build().unwrap();
    handshaken(client.clone(), server.clone(), server_name("p256"));
    let mut middles = HashSet::new();
    for _ in 0..DRAWS {
        let (mut c, mut s) = pair(client.clone(), server.clone(), server_name("p256"));
        let mut flight = Vec::new();
        c.write_tls(&mut flight).unwrap();
        let hello = client_hello_in(&flight);
        let order = types(&hello);
        let last = hello.extensions().last();
        assert!(
            matches!(last, Some(Extension::PreSharedKeyOffer(_))),
            "{order:?}"
        );
        let [first, middle @ .., grease, _psk] = &order[..] else {
            panic!("{order:?}")
        };
        assert!(is_grease(*first) && is_grease(*grease), "{order:?}");
        assert!(!middle.iter().any(|t| is_grease(*t)), "{order:?}");
        middles.insert(middle.to_vec());
        // The server takes it and resumes.
        s.read_tls(&mut flight.as_slice()).unwrap();
        s.process_new_packets().unwrap();
        handshake(&mut c, &mut s);
        assert!(c.is_resumed());
    }
    assert_eq!(middles.len(), DRAWS);
}

#[test]
fn a_second_client_hello_keeps_the_first_ones_order_and_our_server_takes_it() {
    // Our server asks for X25519 with a HelloRetryRequest and refuses a
    // second ClientHello whose extensions moved (RFC 8446 §4.1.2). The
    // named key share keeps the client from learning to send X25519's.
    let (_, server) = retrying_configs();
    let client = client_builder("p256")
        .groups(&[NamedGroup::secp384r1, NamedGroup::X25519])
        .key_share_groups(&[NamedGroup::secp384r1])
        .permute_extensions(true)
        .build()
        .unwrap();
    let mut firsts = HashSet::new();
    for _ in 0..DRAWS {
        let (mut c, mut s) = pair(client.clone(), server.clone(), server_name("p256"));
        let mut hellos = Vec::new();
        for _ in 0..2 {
            let (_, r) = transfer_altered(&mut c, &mut s, |bytes| {
                hellos.push(types(&client_hello_in(bytes)))
            });
            r.unwrap();
            transfer(&mut s, &mut c).1.unwrap();
        }
        handshake(&mut c, &mut s);
        assert_eq!(c.negotiated_group(), Some(NamedGroup::X25519));
        let cookie = 44;
        let second: Vec<u16> = hellos[1].iter().copied().filter(|&t| t != cookie).collect();
        assert_eq!(second, hellos[0], "{:?}", hellos[1]);
        firsts.insert(hellos.swap_remove(0));
    }
    assert_eq!(firsts.len(), DRAWS);
}
