//! Cryptographic primitives: the only module that names `ring`,
//! `libcrux-ml-kem`, `crypto-bigint` or a RustCrypto crate. Everything above it works with
//! ferrotls types.

pub mod aead;
pub mod cbc;
#[cfg(feature = "legacy")]
mod cbc_mac;
pub mod ffdhe;
pub mod groups;
pub mod hash;
pub mod hash_context;
pub mod hkdf;
pub mod hmac;
pub mod kem_groups;
pub mod kx;
pub mod mlkem;
pub mod prf;
pub mod rng;
pub mod rsa_kx;
pub mod rsa_pss;
pub mod secret;
mod sha_blocks;
pub mod sign;
pub mod verify;

pub use secret::Secret;
