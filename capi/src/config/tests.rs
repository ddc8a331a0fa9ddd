//! The verifier a C configuration keeps between connections.

use std::ffi::CString;

use super::*;

/// `vectors/pki/<name>` as a C string.
fn vector(name: &str) -> CString {
    CString::new(format!(
        "{}/../vectors/pki/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn a_clients_connections_share_one_verifier_until_its_anchors_or_crls_change() {
    let mut config = core::ptr::null_mut();
    // SAFETY: valid pointers and NUL-terminated strings; `config` is
    // freed once, at the end.
    unsafe {
        assert_eq!(ferrotls_client_config_new(&mut config), 0);
        let roots = vector("crl/root.pem");
        assert_eq!(
            ferrotls_client_config_set_ca_file(config, roots.as_ptr()),
            0
        );
        let name = c"crl.test";
        assert_eq!(
            ferrotls_client_config_set_server_name(config, name.as_ptr()),
            0
        );
        let c = &*config;
        let verifier = || c.snapshot().unwrap().config.verifier.clone();
        let first = verifier();
        assert!(Arc::ptr_eq(&first, &verifier()));
        let crl = vector("crl/int.crl.pem");
        assert_eq!(ferrotls_client_config_set_crl_file(config, crl.as_ptr()), 1);
        let with_crl = verifier();
        assert!(!Arc::ptr_eq(&first, &with_crl));
        assert!(Arc::ptr_eq(&with_crl, &verifier()));
        assert_eq!(
            ferrotls_client_config_set_ca_file(config, roots.as_ptr()),
            0
        );
        assert!(!Arc::ptr_eq(&with_crl, &verifier()));
        ferrotls_client_config_free(config);
    }
}

#[test]
fn a_servers_connections_share_one_client_verifier_until_its_anchors_or_crls_change() {
    let mut config = core::ptr::null_mut();
    let (chain, key) = (vector("crl/good-chain.pem"), vector("crl/good.key"));
    // SAFETY: as above.
    unsafe {
        assert_eq!(
            ferrotls_server_config_new(&mut config, chain.as_ptr(), key.as_ptr()),
            0
        );
        let roots = vector("crl/root.pem");
        assert_eq!(
            ferrotls_server_config_set_client_ca_file(config, roots.as_ptr(), 1),
            0
        );
        let c = &*config;
        let verifier = || {
            let config = c.snapshot().unwrap();
            config.client_auth.verifier().unwrap().clone()
        };
        let first = verifier();
        assert!(Arc::ptr_eq(&first, &verifier()));
        assert_eq!(
            ferrotls_server_config_set_revocation_policy(config, REVOCATION_HARD_FAIL),
            0
        );
        let hard = verifier();
        assert!(!Arc::ptr_eq(&first, &hard));
        assert!(Arc::ptr_eq(&hard, &verifier()));
        ferrotls_server_config_free(config);
    }
}
