//! The crypto floor of a handshake: the public-key operations one side
//! cannot avoid, done with ring alone and nothing else. Both engines'
//! handshake figures sit above it, so `engine − floor` is what an engine
//! adds (parsing, transcript hashing, key schedule, record protection,
//! tickets, allocation) and a ratio goal against rustls is reachable only
//! while it leaves room above the floor.
//!
//! Per side of a full handshake: X25519 key generation and agreement; the
//! server's handshake signature (TLS 1.3 CertificateVerify or TLS 1.2
//! ServerKeyExchange: ECDSA P-256 SHA-256 or RSA-PSS SHA-256 over 130
//! bytes); the client's verification of that signature and of the chain's
//! two certificate signatures (leaf by intermediate, intermediate by root,
//! from `vectors/pki`), as a client with nothing remembered does. A
//! resumed TLS 1.3 handshake (psk_dhe_ke) is X25519 alone; a resumed TLS
//! 1.2 handshake has no public-key operation, so no floor. In the hybrid
//! (X25519MLKEM768) scenarios each side adds its ML-KEM-768 operations:
//! the client generates a key pair and decapsulates, the server
//! encapsulates (through `crypto::mlkem`, libcrux, the fastest of the
//! implementations compared in docs/architecture.md).

use ferrotls::internal::crypto::mlkem::{encapsulate, DecapsulationKey, MlKem};
use ferrotls::internal::crypto::verify::PublicKey;
use ferrotls::internal::pki::{pem, Certificate};
use ferrotls::{certificate_blocks_from_pem, OsRng};
use ring::agreement::{agree_ephemeral, EphemeralPrivateKey, UnparsedPublicKey, X25519};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, KeyPair, RsaKeyPair, VerificationAlgorithm};

use super::{vector, Resumption, Setup, Version};

/// The bytes a handshake signature covers, at a typical size (64 spaces,
/// the context string and a SHA-256 transcript hash make 130 in TLS 1.3).
const SIGNED_LEN: usize = 130;

/// A private key that signs the server's handshake signature.
enum Signer {
    Ecdsa(EcdsaKeyPair),
    Rsa(RsaKeyPair),
}

/// One signature check a client makes.
struct Check {
    algorithm: &'static dyn VerificationAlgorithm,
    key: Vec<u8>,
    message: Vec<u8>,
    signature: Vec<u8>,
}

impl Check {
    fn run(&self) -> bool {
        signature::UnparsedPublicKey::new(self.algorithm, &self.key)
            .verify(&self.message, &self.signature)
            .is_ok()
    }
}

/// A peer's ML-KEM-768 encapsulation key and a ciphertext, for the
/// hybrid scenarios' floor.
struct KemPeer {
    encapsulation_key: Vec<u8>,
    ciphertext: Vec<u8>,
}

/// The public-key operations of each side of one handshake of a setup.
pub(super) struct Floor {
    signer: Option<Signer>,
    checks: Vec<Check>,
    peer_share: Vec<u8>,
    kem: Option<KemPeer>,
    rng: SystemRandom,
}

impl Floor {
    /// The floor of `setup`'s handshakes, or `None` when they have no
    /// public-key operation (resumed TLS 1.2).
    pub(super) fn new(setup: Setup) -> Result<Option<Self>, String> {
        let rng = SystemRandom::new();
        let peer = EphemeralPrivateKey::generate(&X25519, &rng).map_err(|e| e.to_string())?;
        let peer_share = peer
            .compute_public_key()
            .map_err(|e| e.to_string())?
            .as_ref()
            .to_vec();
        let kem = if setup.hybrid {
            let (_, encapsulation_key) = DecapsulationKey::generate(MlKem::Mlkem768, &OsRng::new())
                .map_err(|e| e.to_string())?;
            let (ciphertext, _) = encapsulate(MlKem::Mlkem768, &encapsulation_key, &OsRng::new())
                .map_err(|e| e.to_string())?;
            Some(KemPeer {
                encapsulation_key,
                ciphertext,
            })
        } else {
            None
        };
        let mut floor = Self {
            signer: None,
            checks: Vec::new(),
            peer_share,
            kem,
            rng,
        };
        match (setup.version, setup.resumption) {
            (Version::Tls12, Resumption::Off) | (Version::Tls13, Resumption::Off) => {}
            (Version::Tls13, _) => return Ok(Some(floor)),
            (Version::Tls12, _) => return Ok(None),
        }
        let text = |name: &str| String::from_utf8(vector(name)).map_err(|e| e.to_string());
        let key = pem::parse(&text(&format!("{}-leaf.key", setup.key_type))?)
            .map_err(|e| e.to_string())?
            .into_iter()
            .next()
            .ok_or("no private key")?
            .der;
        let chain = certificate_blocks_from_pem(&text(&format!("{}-chain.pem", setup.key_type))?)
            .map_err(|e| e.to_string())?;
        let roots = certificate_blocks_from_pem(&text(&format!("{}-root.pem", setup.key_type))?)
            .map_err(|e| e.to_string())?;
        let message = vec![0x20; SIGNED_LEN];
        let (signer, cert_algorithm, handshake_algorithm): (
            Signer,
            &'static dyn VerificationAlgorithm,
            &'static dyn VerificationAlgorithm,
        ) = match setup.key_type {
            "p256" => (
                Signer::Ecdsa(
                    EcdsaKeyPair::from_pkcs8(
                        &signature::ECDSA_P256_SHA256_ASN1_SIGNING,
                        &key,
                        &floor.rng,
                    )
                    .map_err(|e| e.to_string())?,
                ),
                &signature::ECDSA_P256_SHA256_ASN1,
                &signature::ECDSA_P256_SHA256_ASN1,
            ),
            "rsa2048" => (
                Signer::Rsa(RsaKeyPair::from_pkcs8(&key).map_err(|e| e.to_string())?),
                &signature::RSA_PKCS1_2048_8192_SHA256,
                &signature::RSA_PSS_2048_8192_SHA256,
            ),
            other => return Err(format!("no floor for {other} keys")),
        };
        floor.signer = Some(signer);
        let signature = floor.sign(&message)?;
        let leaf_key = match &floor.signer {
            Some(Signer::Ecdsa(k)) => k.public_key().as_ref().to_vec(),
            Some(Signer::Rsa(k)) => k.public_key().as_ref().to_vec(),
            None => return Err("no signer".into()),
        };
        floor.checks.push(Check {
            algorithm: handshake_algorithm,
            key: leaf_key,
            message,
            signature,
        });
        // The chain: leaf ← intermediate ← root.
        let issuers = chain.iter().skip(1).chain(roots.iter());
        for (child, issuer) in chain.iter().zip(issuers) {
            let child = Certificate::parse(child).map_err(|e| e.to_string())?;
            let issuer = Certificate::parse(issuer).map_err(|e| e.to_string())?;
            let key = match issuer.public_key {
                PublicKey::EcdsaP256(k) | PublicKey::Rsa(k) => k,
                _ => return Err("unexpected issuer key".into()),
            };
            floor.checks.push(Check {
                algorithm: cert_algorithm,
                key,
                message: child.tbs.to_vec(),
                signature: child.signature.to_vec(),
            });
        }
        if floor.checks.len() != 3 || !floor.checks.iter().all(Check::run) {
            return Err("the floor's signature checks do not verify".into());
        }
        Ok(Some(floor))
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        match &self.signer {
            Some(Signer::Ecdsa(k)) => k
                .sign(&self.rng, message)
                .map(|s| s.as_ref().to_vec())
                .map_err(|e| e.to_string()),
            Some(Signer::Rsa(k)) => {
                let mut out = vec![0; k.public().modulus_len()];
                k.sign(&signature::RSA_PSS_SHA256, &self.rng, message, &mut out)
                    .map_err(|e| e.to_string())?;
                Ok(out)
            }
            None => Ok(Vec::new()),
        }
    }

    fn key_exchange(&self) -> Result<(), String> {
        let ours = EphemeralPrivateKey::generate(&X25519, &self.rng).map_err(|e| e.to_string())?;
        std::hint::black_box(ours.compute_public_key().map_err(|e| e.to_string())?);
        agree_ephemeral(
            ours,
            &UnparsedPublicKey::new(&X25519, &self.peer_share),
            |k| std::hint::black_box(k.len()),
        )
        .map_err(|e| e.to_string())?;
        Ok(())
    }

    /// The client's ML-KEM operations in a hybrid scenario: a key pair,
    /// then decapsulation.
    fn kem_client(&self) -> Result<(), String> {
        if let Some(kem) = &self.kem {
            let (key, _) = DecapsulationKey::generate(MlKem::Mlkem768, &OsRng::new())
                .map_err(|e| e.to_string())?;
            std::hint::black_box(
                key.decapsulate(&kem.ciphertext)
                    .map_err(|e| e.to_string())?,
            );
        }
        Ok(())
    }

    /// The server's ML-KEM operation in a hybrid scenario: encapsulation.
    fn kem_server(&self) -> Result<(), String> {
        if let Some(kem) = &self.kem {
            std::hint::black_box(
                encapsulate(MlKem::Mlkem768, &kem.encapsulation_key, &OsRng::new())
                    .map_err(|e| e.to_string())?,
            );
        }
        Ok(())
    }

    /// The client's operations.
    pub(super) fn client(&self) -> Result<(), String> {
        self.key_exchange()?;
        self.kem_client()?;
        if !self.checks.iter().all(Check::run) {
            return Err("a floor signature check failed".into());
        }
        Ok(())
    }

    /// The server's operations.
    pub(super) fn server(&self) -> Result<(), String> {
        self.key_exchange()?;
        self.kem_server()?;
        std::hint::black_box(self.sign(&[0x20; SIGNED_LEN])?);
        Ok(())
    }
}
