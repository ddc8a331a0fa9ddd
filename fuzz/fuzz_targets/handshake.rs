//! Arbitrary bytes into a TLS 1.3 server and client, and arbitrary damage
//! to a real server flight on its way to a client. Nothing may panic; every
//! failure must be an `Error`.
#![no_main]

use std::sync::Arc;

use ferrotls::time::{ManualClock, UnixTime};

use ferrotls::config::{ClientConfig, ServerConfig};
use ferrotls::conn::{ClientConnection, Connection, ServerConnection};
use ferrotls::crypto::rng::SeededRng;
use ferrotls::pki::{CertifiedKey, InsecureAcceptAnyServerCertForTests, ServerName};
use libfuzzer_sys::fuzz_target;

const CHAIN: &str = include_str!("../../vectors/pki/ed25519-chain.pem");
const KEY: &str = include_str!("../../vectors/pki/ed25519-leaf.key");
/// 2030-01-01, inside the test certificates' validity.
const NOW: u64 = 1_893_456_000;

fn server() -> ServerConnection {
    let key = Arc::new(CertifiedKey::from_pem(CHAIN, KEY).unwrap());
    let config = ServerConfig::builder(key)
        .rng(Arc::new(SeededRng::new(b"server").unwrap()))
        .clock(Arc::new(ManualClock::new(UnixTime::from_secs(NOW))))
        .build()
        .unwrap();
    ServerConnection::new(config)
}

fn client() -> ClientConnection {
    let config = ClientConfig::builder(Arc::new(InsecureAcceptAnyServerCertForTests))
        .rng(Arc::new(SeededRng::new(b"client").unwrap()))
        .clock(Arc::new(ManualClock::new(UnixTime::from_secs(NOW))))
        .build()
        .unwrap();
    ClientConnection::new(config, ServerName::parse("leaf.ed25519.test").unwrap()).unwrap()
}

fn drain(conn: &mut Connection) -> Vec<u8> {
    let mut out = Vec::new();
    while conn.wants_write() {
        if conn.write_tls(&mut out).is_err() {
            break;
        }
    }
    out
}

fn feed(conn: &mut Connection, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        match conn.read_tls(&mut bytes) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        if conn.process_new_packets().is_err() {
            break;
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => feed(&mut server(), rest),
        1 => feed(&mut client(), rest),
        _ => {
            // A real server flight, xored with the input, into the client.
            let mut c = client();
            let mut s = server();
            let hello = drain(&mut c);
            feed(&mut s, &hello);
            let mut flight = drain(&mut s);
            for (b, d) in flight.iter_mut().zip(rest) {
                *b ^= d;
            }
            feed(&mut c, &flight);
            let answer = drain(&mut c);
            feed(&mut s, &answer);
        }
    }
});
