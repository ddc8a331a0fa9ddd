//! Parses arbitrary bytes as an X.509 certificate and validates them
//! against a fixed root (the P-256 test hierarchy of `vectors/pki`), as an
//! end entity and as an intermediate. Nothing may panic.
#![no_main]

use ferrotls::internal::pki::Certificate;
use ferrotls::{verify_chain, Purpose, RootStore, ServerName, Validation};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const ROOT: &str = include_str!("../../vectors/pki/p256-root.pem");
const INTERMEDIATE: &str = include_str!("../../vectors/pki/p256-int.pem");
const LEAF: &str = include_str!("../../vectors/pki/p256-leaf.pem");

struct Fixed {
    roots: RootStore,
    intermediate: Vec<u8>,
    leaf: Vec<u8>,
    name: ServerName,
}

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| {
        let mut roots = RootStore::new();
        roots.add_pem(ROOT).expect("root");
        let one = |pem| ferrotls::certificates_from_pem(pem).expect("pem")[0].clone();
        Fixed {
            roots,
            intermediate: one(INTERMEDIATE),
            leaf: one(LEAF),
            name: ServerName::parse("leaf.p256.test").expect("name"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let fixed = fixed();
    let _ = Certificate::parse(data);
    let validation = Validation {
        roots: &fixed.roots,
        purpose: Purpose::ServerAuth,
        name: Some(&fixed.name),
        time: 1_893_456_000,
    };
    let _ = verify_chain(data, &[fixed.intermediate.as_slice(), data], &validation);
    let _ = verify_chain(&fixed.leaf, &[data], &validation);
});
