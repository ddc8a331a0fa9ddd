//! Public-key infrastructure: everything needed to judge a peer's
//! certificates and to load our own, written from the RFCs.
//!
//! - [`time`]: RFC 5280 times, read with the crate's DER reader
//!   ([`crate::der`]); [`pem`]: RFC 7468 text encoding.
//! - [`x509`]: X.509 v3 certificates (RFC 5280 §4); [`algorithm`]: the
//!   signature algorithms and public keys they name.
//! - [`names`]: reference names, RFC 6125 matching, public suffixes;
//!   [`name_constraints`]: RFC 5280 name constraints.
//! - [`profile`]: the mis-issuance rules; [`path`]: path building and
//!   validation (RFC 5280 §6); [`policy`]: certificate policies along a
//!   path (RFC 5280 §6.1, RFC 9618).
//! - [`crl`]: certificate revocation lists (RFC 5280 §5), and
//!   [`distribution_point`]: which certificates and reasons a CRL serves
//!   (§4.2.1.13, §5.2.5); [`ocsp`]: OCSP
//!   responses (RFC 6960); [`status`]: what either says about a
//!   certificate; [`revocation`]: the check of a validated path against
//!   them.
//! - [`sigcache`]: remembered signature checks shared by a verifier's
//!   connections; [`trust`]: trust anchors; [`keys`]: certificate and private-key
//!   loading; [`verifier`]: the traits the handshake calls;
//!   [`raw_public_key`]: the verifier that pins raw public keys (RFC 7250).
//!
//! What is checked and what is refused is listed in `docs/pki.md`. Nothing
//! here reads the clock: every validation takes the time as an argument.

pub mod algorithm;
mod client_resolver;
pub mod crl;
pub mod distribution_point;
pub mod keys;
pub mod name_constraints;
pub(crate) mod name_match;
pub mod names;
pub mod ocsp;
pub mod oid;
pub mod path;
pub mod pem;
pub mod policy;
pub mod profile;
pub mod raw_public_key;
pub mod revocation;
mod server_resolver;
#[cfg(feature = "pki-types")]
mod shared_types;
pub mod sigcache;
pub mod status;
pub mod time;
pub mod trust;
pub mod verifier;
pub mod x509;

pub use client_resolver::{default_certificate_types, CertificateRequestInfo, ClientCertResolver};
pub use keys::{
    certificate_blocks_from_pem, certificates_from_bytes, certificates_from_pem,
    certificates_to_pem, private_key_from_bytes, private_key_from_pem, private_key_from_pem_file,
    CertifiedKey, LoadError,
};
pub use name_constraints::MAX_NAME_CONSTRAINT_CHECKS;
pub use names::{InvalidServerName, ServerName};
pub use path::{
    verify_chain, verify_chain_cached, Purpose, Validation, VerifiedPath, MAX_INTERMEDIATES,
    MAX_SIGNATURE_CHECKS,
};
pub use policy::{PolicyInputs, MAX_POLICIES_PER_EXTENSION, MAX_POLICY_GRAPH_WORK};
pub use profile::{Profile, UnknownProfile};
pub use raw_public_key::{pin_of, public_keys_to_pem, PinnedKeys, PIN_LEN};
pub use revocation::{Revocation, RevocationPolicy};
pub use server_resolver::{ClientHelloInfo, ServerCertResolver};
pub use sigcache::SignatureCache;
pub use trust::{RootStore, TrustAnchor};
pub(crate) use verifier::AcceptAnyServerCertificate;
pub use verifier::{
    ClientAuth, ClientCertVerified, ClientCertVerifier, ServerCertVerified, ServerCertVerifier,
    StapledStatus, Staples, WebPkiClientVerifier, WebPkiServerVerifier,
};
pub use x509::{subject_common_name, Certificate, KeyUsage, UnknownKeyUsage};
