//! Parses arbitrary bytes as an X.509 certificate and validates them
//! against a fixed root (the P-256 test hierarchy of `vectors/pki`), as an
//! end entity and as an intermediate; then as a CRL and as an OCSP
//! response checked under hard-fail on the good chain of
//! `vectors/pki/revocation`, whose CRLs and responses are seeds. Nothing
//! may panic.
#![no_main]

use ferrotls::internal::pki::Certificate;
use ferrotls::{
    verify_chain, Purpose, Revocation, RevocationPolicy, RootStore, ServerName, TrustAnchor,
    Validation, VerifiedPath,
};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const ROOT: &str = include_str!("../../vectors/pki/p256-root.pem");
const INTERMEDIATE: &str = include_str!("../../vectors/pki/p256-int.pem");
const LEAF: &str = include_str!("../../vectors/pki/p256-leaf.pem");
const REVOCATION_PATH: [&str; 3] = [
    include_str!("../../vectors/pki/revocation/good.pem"),
    include_str!("../../vectors/pki/revocation/int.pem"),
    include_str!("../../vectors/pki/revocation/root.pem"),
];

struct Fixed {
    roots: RootStore,
    intermediate: Vec<u8>,
    leaf: Vec<u8>,
    name: ServerName,
    /// Leaf, intermediate, root of `vectors/pki/revocation`: the path
    /// revocation is checked on.
    path: VerifiedPath,
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
            path: VerifiedPath {
                chain: REVOCATION_PATH.into_iter().map(one).collect(),
                anchor: TrustAnchor::from_der(one(REVOCATION_PATH[2])).expect("root"),
            },
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let fixed = fixed();
    let _ = Certificate::parse(data);
    let validation =
        Validation::new(&fixed.roots, Purpose::ServerAuth, 1_893_456_000).with_name(&fixed.name);
    let _ = verify_chain(data, &[fixed.intermediate.as_slice(), data], &validation);
    let _ = verify_chain(&fixed.leaf, &[data], &validation);
    let mut revocation = Revocation::new(RevocationPolicy::HardFail);
    let _ = revocation.check(&fixed.path, validation.time, Some(data));
    if revocation.add_crl_der(data.to_vec()).is_ok() {
        let _ = revocation.check(&fixed.path, validation.time, None);
    }
});
