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
//!
//! Each engine's overhead is taken above the operations it performs
//! ([`Floor::ops`]): a ferrotls client whose verifier remembers the
//! chain checks the handshake signature alone, and rustls's hybrid
//! scenarios run on AWS-LC, so its floor there is AWS-LC's X25519,
//! ML-KEM-768 and ECDSA.

use ferrotls::internal::crypto::mlkem::{encapsulate, DecapsulationKey, MlKem};
use ferrotls::internal::crypto::verify::PublicKey;
use ferrotls::internal::pki::{pem, Certificate};
use ferrotls::{certificate_blocks_from_pem, OsRng};
use ring::agreement::{agree_ephemeral, EphemeralPrivateKey, UnparsedPublicKey, X25519};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, KeyPair, RsaKeyPair, VerificationAlgorithm};

use super::{vector, Resumption, Setup, Side, Version};

/// The bytes a handshake signature covers, at a typical size (64 spaces,
/// the context string and a SHA-256 transcript hash make 130 in TLS 1.3).
const SIGNED_LEN: usize = 130;

/// How many of [`Floor`]'s client checks come first and cover the
/// handshake signature rather than the chain.
const HANDSHAKE_SIGNATURE_CHECKS: usize = 1;

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
    /// The same operations on AWS-LC, rustls's provider in the hybrid
    /// scenarios.
    aws_lc: Option<AwsLcFloor>,
}

/// Which engine's floor: they differ in what ferrotls remembers and in
/// rustls's provider.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Engine {
    Ferrotls,
    Rustls,
}

/// The operations of one side's floor.
#[derive(Clone, Copy, PartialEq)]
pub(super) struct Ops {
    crypto: Crypto,
    side: Side,
    /// The client's verifier has met the chain before: only the
    /// handshake signature is checked.
    chain_remembered: bool,
}

/// Whose primitives a floor is measured on.
#[derive(Clone, Copy, PartialEq)]
enum Crypto {
    /// ring, and libcrux for ML-KEM: what ferrotls uses, and rustls's
    /// provider outside the hybrid scenarios.
    Ring,
    /// AWS-LC (aws-lc-rs): rustls's provider in the hybrid scenarios.
    AwsLc,
}

/// A hybrid scenario's operations on AWS-LC, so that rustls's cost there
/// is taken above its own primitives' (AWS-LC's X25519 and ML-KEM are
/// faster than ring's and libcrux's, docs/performance.md).
struct AwsLcFloor {
    signer: Option<aws_lc_rs::signature::EcdsaKeyPair>,
    peer_share: Vec<u8>,
    encapsulation_key: Vec<u8>,
    ciphertext: Vec<u8>,
    rng: aws_lc_rs::rand::SystemRandom,
}

impl AwsLcFloor {
    /// The operations for a peer whose X25519 share is `peer_share`,
    /// signing with the PKCS#8 P-256 `key` in a full handshake.
    fn new(peer_share: &[u8], key: Option<&[u8]>) -> Result<Self, String> {
        use aws_lc_rs::kem::{DecapsulationKey, ML_KEM_768};
        use aws_lc_rs::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
        let err = |e: aws_lc_rs::error::Unspecified| e.to_string();
        let peer = DecapsulationKey::generate(&ML_KEM_768).map_err(err)?;
        let encapsulation_key = peer.encapsulation_key().map_err(err)?;
        let (ciphertext, _) = encapsulation_key.encapsulate().map_err(err)?;
        let signer = key
            .map(|key| EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, key))
            .transpose()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            signer,
            peer_share: peer_share.to_vec(),
            encapsulation_key: encapsulation_key
                .key_bytes()
                .map_err(err)?
                .as_ref()
                .to_vec(),
            ciphertext: ciphertext.as_ref().to_vec(),
            rng: aws_lc_rs::rand::SystemRandom::new(),
        })
    }

    fn key_exchange(&self) -> Result<(), String> {
        use aws_lc_rs::agreement::{
            agree_ephemeral, EphemeralPrivateKey, UnparsedPublicKey, X25519,
        };
        let err = |e: aws_lc_rs::error::Unspecified| e.to_string();
        let ours = EphemeralPrivateKey::generate(&X25519, &self.rng).map_err(err)?;
        std::hint::black_box(ours.compute_public_key().map_err(err)?);
        agree_ephemeral(
            ours,
            UnparsedPublicKey::new(&X25519, &self.peer_share),
            aws_lc_rs::error::Unspecified,
            |k| Ok(std::hint::black_box(k.len())),
        )
        .map_err(err)?;
        Ok(())
    }

    /// A key pair, decapsulation and the chain's checks (P-256 only).
    fn client(&self, checks: &[Check]) -> Result<(), String> {
        use aws_lc_rs::kem::{DecapsulationKey, ML_KEM_768};
        use aws_lc_rs::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};
        let err = |e: aws_lc_rs::error::Unspecified| e.to_string();
        self.key_exchange()?;
        let key = DecapsulationKey::generate(&ML_KEM_768).map_err(err)?;
        std::hint::black_box(key.encapsulation_key().map_err(err)?);
        std::hint::black_box(
            key.decapsulate(self.ciphertext.as_slice().into())
                .map_err(err)?,
        );
        let verified = checks.iter().all(|check| {
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, &check.key)
                .verify(&check.message, &check.signature)
                .is_ok()
        });
        if !verified {
            return Err("an AWS-LC floor signature check failed".into());
        }
        Ok(())
    }

    /// Encapsulation to the peer's key (parsed, as a server receives it)
    /// and the handshake signature.
    fn server(&self) -> Result<(), String> {
        use aws_lc_rs::kem::{EncapsulationKey, ML_KEM_768};
        let err = |e: aws_lc_rs::error::Unspecified| e.to_string();
        self.key_exchange()?;
        let key = EncapsulationKey::new(&ML_KEM_768, &self.encapsulation_key)
            .map_err(|e| e.to_string())?;
        std::hint::black_box(key.encapsulate().map_err(err)?);
        if let Some(signer) = &self.signer {
            std::hint::black_box(signer.sign(&self.rng, &[0x20; SIGNED_LEN]).map_err(err)?);
        }
        Ok(())
    }
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
            aws_lc: None,
        };
        match (setup.version, setup.resumption) {
            (Version::Tls12, Resumption::Off) | (Version::Tls13, Resumption::Off) => {}
            (Version::Tls13, _) => {
                if setup.hybrid {
                    floor.aws_lc = Some(AwsLcFloor::new(&floor.peer_share, None)?);
                }
                return Ok(Some(floor));
            }
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
        if setup.hybrid {
            if setup.key_type != "p256" {
                return Err("hybrid floors are for P-256 leaves only".into());
            }
            floor.aws_lc = Some(AwsLcFloor::new(&floor.peer_share, Some(&key))?);
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

    /// What `engine`'s `side` cannot avoid in `setup`'s handshakes. A
    /// ferrotls client sharing one configuration checks the chain's
    /// signatures once per process (`pki::SignatureCache`); rustls runs
    /// the hybrid scenarios on AWS-LC.
    pub(super) fn ops(setup: Setup, engine: Engine, side: Side) -> Ops {
        let crypto = if engine == Engine::Rustls && setup.hybrid {
            Crypto::AwsLc
        } else {
            Crypto::Ring
        };
        Ops {
            crypto,
            side,
            chain_remembered: engine == Engine::Ferrotls
                && side == Side::Client
                && !setup.cold_verifier
                && setup.resumption == Resumption::Off,
        }
    }

    /// The floor of the `-vs-crypto` rows: ring's primitives, every
    /// signature check, as a client with nothing remembered.
    pub(super) fn limit(side: Side) -> Ops {
        Ops {
            crypto: Crypto::Ring,
            side,
            chain_remembered: false,
        }
    }

    /// Runs one side's operations.
    pub(super) fn run(&self, ops: Ops) -> Result<(), String> {
        match ops.side {
            Side::Client => self.client(ops.crypto, ops.chain_remembered),
            Side::Server => self.server(ops.crypto),
        }
    }

    /// The client's operations; with `chain_remembered`, those of a
    /// client whose verifier has met the chain before (ferrotls's
    /// `pki::SignatureCache`): the handshake signature is new every time,
    /// the chain's two certificate signatures are not checked again.
    fn client(&self, crypto: Crypto, chain_remembered: bool) -> Result<(), String> {
        let checks = if chain_remembered {
            HANDSHAKE_SIGNATURE_CHECKS
        } else {
            self.checks.len()
        };
        let checks = self.checks.get(..checks).unwrap_or(&self.checks);
        if crypto == Crypto::AwsLc {
            return self.aws_lc()?.client(checks);
        }
        self.key_exchange()?;
        self.kem_client()?;
        if !checks.iter().all(Check::run) {
            return Err("a floor signature check failed".into());
        }
        Ok(())
    }

    /// The server's operations.
    fn server(&self, crypto: Crypto) -> Result<(), String> {
        if crypto == Crypto::AwsLc {
            return self.aws_lc()?.server();
        }
        self.key_exchange()?;
        self.kem_server()?;
        std::hint::black_box(self.sign(&[0x20; SIGNED_LEN])?);
        Ok(())
    }

    fn aws_lc(&self) -> Result<&AwsLcFloor, String> {
        self.aws_lc
            .as_ref()
            .ok_or_else(|| "an AWS-LC floor exists in the hybrid scenarios only".into())
    }
}
