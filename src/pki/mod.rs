//! Public-key infrastructure: everything needed to judge a peer's
//! certificates and to load our own, written from the RFCs.
//!
//! - [`time`]: RFC 5280 times, read with the crate's DER reader
//!   ([`crate::der`]); [`pem`]: RFC 7468 text encoding.
//! - [`x509`]: X.509 v3 certificates (RFC 5280 §4); [`algorithm`]: the
//!   signature algorithms and public keys they name.
//! - [`names`]: reference names, RFC 6125 matching, name constraints.
//! - [`profile`]: the mis-issuance rules; [`path`]: path building and
//!   validation (RFC 5280 §6).
//! - [`sigcache`]: remembered signature checks shared by a verifier's
//!   connections; [`trust`]: trust anchors; [`keys`]: certificate and private-key
//!   loading; [`verifier`]: the traits the handshake calls.
//!
//! What is checked and what is refused is listed in `docs/pki.md`. Nothing
//! here reads the clock: every validation takes the time as an argument.

pub mod algorithm;
pub mod keys;
pub mod names;
pub mod oid;
pub mod path;
pub mod pem;
pub mod profile;
#[cfg(feature = "pki-types")]
mod shared_types;
pub mod sigcache;
pub mod time;
pub mod trust;
pub mod verifier;
pub mod x509;

pub use keys::{
    certificate_blocks_from_pem, certificates_from_pem, certificates_to_pem, private_key_from_pem,
    private_key_from_pem_file, CertifiedKey, LoadError,
};
pub use names::{InvalidServerName, ServerName};
pub use path::{
    verify_chain, verify_chain_cached, Purpose, Validation, VerifiedPath, MAX_INTERMEDIATES,
    MAX_SIGNATURE_CHECKS,
};
pub use sigcache::SignatureCache;
pub use trust::{RootStore, TrustAnchor};
pub(crate) use verifier::AcceptAnyServerCertificate;
pub use verifier::{
    ClientAuth, ClientCertVerified, ClientCertVerifier, ServerCertVerified, ServerCertVerifier,
    WebPkiClientVerifier, WebPkiServerVerifier,
};
pub use x509::Certificate;
