//! Decodes arbitrary text as PEM, as a certificate bundle, as a root store
//! and as a private key. Nothing may panic.
#![no_main]

use ferrotls::internal::pki::pem;
use ferrotls::{certificates_from_pem, private_key_from_pem, RootStore};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = pem::decode_base64(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = pem::parse(text);
        let _ = certificates_from_pem(text);
        let _ = RootStore::new().add_pem(text);
        let _ = private_key_from_pem(text);
    }
});
