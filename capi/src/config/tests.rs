//! The configuration a C handle keeps between connections.

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
fn a_clients_connections_share_one_configuration_until_a_setter_runs() {
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
        let built = || c.snapshot().unwrap().config;
        let first = built();
        assert!(Arc::ptr_eq(&first, &built()));
        // So the verifier, and its signature cache, is shared too.
        assert!(Arc::ptr_eq(&first.verifier, &built().verifier));
        let crl = vector("crl/int.crl.pem");
        assert_eq!(ferrotls_client_config_set_crl_file(config, crl.as_ptr()), 1);
        let with_crl = built();
        assert!(!Arc::ptr_eq(&first, &with_crl));
        assert!(Arc::ptr_eq(&with_crl, &built()));
        assert_eq!(ferrotls_client_config_set_tickets(config, 0), 0);
        let without_tickets = built();
        assert!(!Arc::ptr_eq(&with_crl, &without_tickets));
        assert!(without_tickets.session_store.is_none());
        // A failed build keeps nothing: a later one succeeds.
        assert_eq!(
            ferrotls_client_config_set_ca_file(config, roots.as_ptr()),
            0
        );
        assert!(!Arc::ptr_eq(&without_tickets, &built()));
        ferrotls_client_config_free(config);
    }
}

#[test]
fn a_servers_connections_share_one_configuration_until_a_setter_runs() {
    let mut config = core::ptr::null_mut();
    let (chain, key) = (vector("crl/good-chain.pem"), vector("crl/good.key"));
    // SAFETY: as above.
    unsafe {
        assert_eq!(
            ferrotls_server_config_new(&mut config, chain.as_ptr(), key.as_ptr()),
            0
        );
        let c = &*config;
        let built = || c.snapshot().unwrap();
        let first = built();
        assert!(Arc::ptr_eq(&first, &built()));
        let roots = vector("crl/root.pem");
        assert_eq!(
            ferrotls_server_config_set_client_ca_file(config, roots.as_ptr(), 1),
            0
        );
        let asking = built();
        assert!(!Arc::ptr_eq(&first, &asking));
        assert!(Arc::ptr_eq(&asking, &built()));
        assert!(asking.client_auth.verifier().is_some());
        assert_eq!(
            ferrotls_server_config_set_revocation_policy(config, REVOCATION_HARD_FAIL),
            0
        );
        assert!(!Arc::ptr_eq(&asking, &built()));
        ferrotls_server_config_free(config);
    }
}
