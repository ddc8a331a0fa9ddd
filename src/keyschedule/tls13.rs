//! The TLS 1.3 key schedule (RFC 8446 §7.1–§7.5; unchanged in RFC 9846).
//!
//! ```text
//!              0
//!              |
//!    PSK ->  HKDF-Extract = Early Secret        (EarlySecret)
//!              +-> binder key, c e traffic, e exp master
//!              v
//!        Derive-Secret(., "derived", "")
//!              |
//!  (EC)DHE -> HKDF-Extract = Handshake Secret   (HandshakeSecret)
//!              +-> c hs traffic, s hs traffic
//!              v
//!        Derive-Secret(., "derived", "")
//!              |
//!       0 -> HKDF-Extract = Master Secret       (MasterSecret)
//!              +-> c ap traffic, s ap traffic, exp master, res master
//! ```
//!
//! Each state is consumed by the transition to the next one, so the chain
//! can only run forwards. Transcript hashes are passed in as [`Digest`]s
//! computed by the caller with [`HashContext`](crate::crypto::hash_context::HashContext).

use crate::crypto::hash::{Digest, HashAlgorithm, MAX_HASH_LEN};
use crate::crypto::hkdf::{self, Prk};
use crate::crypto::hmac::{HmacKey, Tag};
use crate::crypto::secret::Secret;
use crate::error::{CryptoReason, DecryptErrorReason, Error};
use crate::keyschedule::secret_log::{log_to, KeyLogger, SecretKind};
use crate::msgs::enums::HandshakeType;
use std::sync::OnceLock;
use zeroize::Zeroizing;

/// The per-record nonce length of every TLS 1.3 AEAD: `iv_length` is
/// `max(8 bytes, N_MIN)` = 12 for the AEADs TLS 1.3 defines (RFC 8446
/// §5.3, RFC 5116 §5).
pub const AEAD_IV_LEN: usize = 12;

/// The longest write key of a TLS 1.3 AEAD: 32 bytes for AES-256-GCM
/// (RFC 5116 §5.2) and ChaCha20-Poly1305 (RFC 8439 §2.8), the suites of
/// RFC 8446 §B.4 with the longest keys.
pub const MAX_AEAD_KEY_LEN: usize = 32;

/// Which kind of PSK a binder is for (RFC 8446 §7.1: "ext binder" for
/// external PSKs, "res binder" for resumption PSKs; RFC 9258 §5.2: "imp
/// binder" for imported ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PskKind {
    /// A PSK established out of band.
    External,
    /// An external PSK imported for one target KDF (RFC 9258).
    Imported,
    /// A PSK from a NewSessionTicket of an earlier connection.
    Resumption,
}

/// The hashes TLS 1.3 cipher suites use (RFC 8446 §B.4).
fn check_hash(hash: HashAlgorithm) -> Result<(), Error> {
    match hash {
        HashAlgorithm::Sha256 | HashAlgorithm::Sha384 => Ok(()),
        _ => Err(Error::Crypto(CryptoReason::Tls13Hash)),
    }
}

/// Hands `use_bytes` `HKDF-Expand-Label(secret, label, context,
/// Hash.length)` (RFC 8446 §7.1) from a zeroizing stack buffer, for the
/// intermediate values no state keeps, so nothing is allocated.
fn with_expanded<T>(
    prk: &Prk,
    label: &[u8],
    context: &[u8],
    use_bytes: impl FnOnce(&[u8]) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut buf = Zeroizing::new([0u8; MAX_HASH_LEN]);
    let out = buf
        .get_mut(..prk.hash().output_len())
        .ok_or(Error::Crypto(CryptoReason::HashTooLong))?;
    prk.expand_label_into(label, context, out)?;
    use_bytes(out)
}

/// `HKDF-Extract(Derive-Secret(secret, "derived", ""), ikm)`: the next
/// secret of the chain (RFC 8446 §7.1).
fn extract_next(prk: &Prk, ikm: &[u8]) -> Result<Keyed, Error> {
    let hash = prk.hash();
    let secret = with_expanded(prk, b"derived", empty_hash(hash)?.as_ref(), |salt| {
        hkdf::extract(hash, salt, ikm)
    })?;
    Keyed::new(hash, secret)
}

/// `Hash("")`, the context of every `Derive-Secret(., label, "")` (RFC
/// 8446 §7.1): the same for every handshake, so hashed once per process.
fn empty_hash(hash: HashAlgorithm) -> Result<&'static Digest, Error> {
    static EMPTY: PerHash<Digest> = [OnceLock::new(), OnceLock::new()];
    Ok(once_per_hash(&EMPTY, hash)?.get_or_init(|| hash.hash(b"")))
}

/// One value per TLS 1.3 hash (SHA-256, SHA-384), computed once per
/// process.
type PerHash<T> = [OnceLock<T>; 2];

/// The cell of `hash` among `cells`; any hash but the two of RFC 8446
/// §B.4 is refused.
fn once_per_hash<T>(
    cells: &'static PerHash<T>,
    hash: HashAlgorithm,
) -> Result<&'static OnceLock<T>, Error> {
    let index = match hash {
        HashAlgorithm::Sha256 => 0,
        HashAlgorithm::Sha384 => 1,
        _ => return Err(Error::Crypto(CryptoReason::Tls13Hash)),
    };
    cells
        .get(index)
        .ok_or(Error::Crypto(CryptoReason::Tls13Hash))
}

/// The start of the schedule without a PSK (RFC 8446 §7.1: the PSK input
/// is `Hash.length` zeros): the early secret `HKDF-Extract(0, 0)` and the
/// salt of the handshake secret's extraction, `Derive-Secret(early,
/// "derived", "")`, with its HMAC key set up. Both depend on the hash
/// alone (RFC 8448 §3 prints the SHA-256 values), so a process computes
/// them once per hash instead of once per full handshake. They are public
/// values, not secrets.
struct NoPskStart {
    early: Keyed,
    derived_salt: HmacKey,
}

impl NoPskStart {
    /// The start for `hash` (SHA-256 or SHA-384), computed on first use.
    fn get(hash: HashAlgorithm) -> Result<&'static Self, Error> {
        static STARTS: PerHash<Option<NoPskStart>> = [OnceLock::new(), OnceLock::new()];
        once_per_hash(&STARTS, hash)?
            .get_or_init(|| Self::compute(hash).ok())
            .as_ref()
            .ok_or(Error::Crypto(CryptoReason::Tls13Hash))
    }

    fn compute(hash: HashAlgorithm) -> Result<Self, Error> {
        let early = Keyed::new(hash, hkdf::extract(hash, b"", zeros(hash))?)?;
        let derived_salt =
            with_expanded(&early.prk, b"derived", empty_hash(hash)?.as_ref(), |salt| {
                HmacKey::new(hash, salt)
            })?;
        Ok(Self {
            early,
            derived_salt,
        })
    }
}

/// The early secret a schedule starts from: derived from a PSK, or the
/// shared [`NoPskStart`].
enum Early {
    /// Boxed: a client holds its offered PSK's early secret in its first
    /// state, the largest one, whose size every connection pays.
    Psk(Box<Keyed>),
    NoPsk(&'static NoPskStart),
}

impl Early {
    fn keyed(&self) -> &Keyed {
        match self {
            Self::Psk(keyed) => keyed,
            Self::NoPsk(start) => &start.early,
        }
    }
}

/// A secret of the schedule with its HKDF key set up once, since each is
/// expanded more than once (RFC 8446 §7.1 derives two to four secrets
/// from the early, handshake and master secrets). These live only during
/// the handshake; the secrets an established connection keeps (traffic,
/// exporter, resumption) hold their bytes alone.
///
/// The key is held inline: the handshake and master secrets are made
/// once per handshake each, and allocating for them cost two calls per
/// handshake. Only the PSK's early secret, which a client carries in its
/// largest state while waiting for the ServerHello, is boxed ([`Early`]).
struct Keyed {
    secret: Secret,
    prk: Prk,
}

impl Keyed {
    fn new(hash: HashAlgorithm, secret: Secret) -> Result<Self, Error> {
        let prk = Prk::new(hash, secret.as_bytes())?;
        Ok(Self { secret, prk })
    }
}

/// `Hash.length` zero bytes: the IKM where no PSK or no (EC)DHE is used.
fn zeros(hash: HashAlgorithm) -> &'static [u8] {
    const ZEROS: [u8; MAX_HASH_LEN] = [0; MAX_HASH_LEN];
    ZEROS.get(..hash.output_len()).unwrap_or_default()
}

/// The synthetic `message_hash` handshake message that replaces
/// ClientHello1 in the transcript after a HelloRetryRequest (RFC 8446
/// §4.4.1): `handshake_type = message_hash (254)`, a 3-byte length equal to
/// `Hash.length`, then `Hash(ClientHello1)`.
pub fn message_hash(client_hello1_hash: &Digest) -> Vec<u8> {
    let hash = client_hello1_hash.as_ref();
    let len = u32::try_from(hash.len()).unwrap_or_default().to_be_bytes();
    let mut out = Vec::with_capacity(4 + hash.len());
    out.push(u8::from(HandshakeType::MessageHash));
    out.extend_from_slice(len.get(1..).unwrap_or_default());
    out.extend_from_slice(hash);
    out
}

/// The Early Secret (RFC 8446 §7.1): `HKDF-Extract(0, PSK)`.
pub struct EarlySecret {
    hash: HashAlgorithm,
    secret: Early,
    log: Option<KeyLogger>,
}

impl EarlySecret {
    /// Starts the schedule for a suite with hash `hash` (SHA-256 or
    /// SHA-384), from `psk` or, without one, from `Hash.length` zeros.
    /// `log`, when given, sees every secret of this connection.
    ///
    /// Fails with [`Error::Crypto`] for any other hash.
    pub fn new(
        hash: HashAlgorithm,
        psk: Option<&[u8]>,
        log: Option<KeyLogger>,
    ) -> Result<Self, Error> {
        check_hash(hash)?;
        let secret = match psk {
            Some(psk) => Early::Psk(Box::new(Keyed::new(hash, hkdf::extract(hash, b"", psk)?)?)),
            None => Early::NoPsk(NoPskStart::get(hash)?),
        };
        Ok(Self { hash, secret, log })
    }

    /// The suite hash.
    pub fn hash(&self) -> HashAlgorithm {
        self.hash
    }

    /// The early secret itself.
    pub fn secret(&self) -> &Secret {
        &self.secret.keyed().secret
    }

    /// The binder key, `Derive-Secret(., "ext binder" | "imp binder" |
    /// "res binder", "")` (RFC 8446 §7.1, RFC 9258 §5.2), ready to
    /// compute and check PSK binders.
    pub fn binder_key(&self, kind: PskKind) -> Result<BinderKey, Error> {
        let label: &[u8] = match kind {
            PskKind::External => b"ext binder",
            PskKind::Imported => b"imp binder",
            PskKind::Resumption => b"res binder",
        };
        let secret = self
            .secret
            .keyed()
            .prk
            .derive_secret(label, empty_hash(self.hash)?)?;
        Ok(BinderKey {
            finished: FinishedKey::from_base(&Prk::new(self.hash, secret.as_bytes())?)?,
            secret,
        })
    }

    /// client_early_traffic_secret, `Derive-Secret(., "c e traffic",
    /// ClientHello)`, for 0-RTT data (RFC 8446 §7.1).
    pub fn client_early_traffic_secret(
        &self,
        client_hello_hash: &Digest,
    ) -> Result<TrafficSecret, Error> {
        let secret = self.derive(b"c e traffic", client_hello_hash)?;
        log_to(self.log.as_ref(), SecretKind::ClientEarlyTraffic, &secret);
        Ok(TrafficSecret::new(self.hash, secret))
    }

    /// early_exporter_master_secret, `Derive-Secret(., "e exp master",
    /// ClientHello)` (RFC 8446 §7.1, §7.5).
    pub fn early_exporter(&self, client_hello_hash: &Digest) -> Result<Exporter, Error> {
        let secret = self.derive(b"e exp master", client_hello_hash)?;
        log_to(self.log.as_ref(), SecretKind::EarlyExporter, &secret);
        Ok(Exporter {
            hash: self.hash,
            secret,
        })
    }

    /// The Handshake Secret, `HKDF-Extract(Derive-Secret(., "derived", ""),
    /// (EC)DHE)`. Without a shared secret (`psk_ke` mode) the input is
    /// `Hash.length` zeros (RFC 8446 §7.1).
    pub fn into_handshake(
        self,
        ecdhe_shared_secret: Option<&[u8]>,
    ) -> Result<HandshakeSecret, Error> {
        let ikm = ecdhe_shared_secret.unwrap_or(zeros(self.hash));
        let secret = match &self.secret {
            Early::Psk(keyed) => extract_next(&keyed.prk, ikm)?,
            Early::NoPsk(start) => {
                Keyed::new(self.hash, hkdf::extract_with(&start.derived_salt, ikm))?
            }
        };
        Ok(HandshakeSecret {
            hash: self.hash,
            secret,
            log: self.log,
        })
    }

    fn derive(&self, label: &[u8], transcript_hash: &Digest) -> Result<Secret, Error> {
        self.secret
            .keyed()
            .prk
            .derive_secret(label, transcript_hash)
    }
}

/// The Handshake Secret (RFC 8446 §7.1).
pub struct HandshakeSecret {
    hash: HashAlgorithm,
    secret: Keyed,
    log: Option<KeyLogger>,
}

impl HandshakeSecret {
    /// The handshake secret itself.
    pub fn secret(&self) -> &Secret {
        &self.secret.secret
    }

    /// client_handshake_traffic_secret, `Derive-Secret(., "c hs traffic",
    /// ClientHello...ServerHello)`.
    pub fn client_handshake_traffic_secret(
        &self,
        hello_hash: &Digest,
    ) -> Result<TrafficSecret, Error> {
        self.traffic(
            b"c hs traffic",
            SecretKind::ClientHandshakeTraffic,
            hello_hash,
        )
    }

    /// server_handshake_traffic_secret, `Derive-Secret(., "s hs traffic",
    /// ClientHello...ServerHello)`.
    pub fn server_handshake_traffic_secret(
        &self,
        hello_hash: &Digest,
    ) -> Result<TrafficSecret, Error> {
        self.traffic(
            b"s hs traffic",
            SecretKind::ServerHandshakeTraffic,
            hello_hash,
        )
    }

    /// The Master Secret, `HKDF-Extract(Derive-Secret(., "derived", ""), 0)`.
    pub fn into_master(self) -> Result<MasterSecret, Error> {
        Ok(MasterSecret {
            hash: self.hash,
            secret: extract_next(&self.secret.prk, zeros(self.hash))?,
            log: self.log,
        })
    }

    fn traffic(
        &self,
        label: &[u8],
        kind: SecretKind,
        transcript_hash: &Digest,
    ) -> Result<TrafficSecret, Error> {
        let secret = self.secret.prk.derive_secret(label, transcript_hash)?;
        log_to(self.log.as_ref(), kind, &secret);
        Ok(TrafficSecret::new(self.hash, secret))
    }
}

/// The Master Secret (RFC 8446 §7.1).
pub struct MasterSecret {
    hash: HashAlgorithm,
    secret: Keyed,
    log: Option<KeyLogger>,
}

impl MasterSecret {
    /// The master secret itself.
    pub fn secret(&self) -> &Secret {
        &self.secret.secret
    }

    /// The secrets derived from the transcript through the server Finished
    /// (RFC 8446 §7.1): both application traffic secrets 0 and the exporter
    /// master secret; the resumption master secret follows once the client
    /// Finished is known ([`PendingResumption`]).
    pub fn into_application(
        self,
        server_finished_hash: &Digest,
    ) -> Result<ApplicationSecrets, Error> {
        let derive = |label: &[u8], kind| -> Result<Secret, Error> {
            let secret = self.secret.prk.derive_secret(label, server_finished_hash)?;
            log_to(self.log.as_ref(), kind, &secret);
            Ok(secret)
        };
        let client = derive(b"c ap traffic", SecretKind::ClientApplicationTraffic0)?;
        let server = derive(b"s ap traffic", SecretKind::ServerApplicationTraffic0)?;
        let exporter = derive(b"exp master", SecretKind::Exporter)?;
        Ok(ApplicationSecrets {
            client: TrafficSecret::new(self.hash, client),
            server: TrafficSecret::new(self.hash, server),
            exporter: Exporter {
                hash: self.hash,
                secret: exporter,
            },
            resumption: PendingResumption {
                hash: self.hash,
                master: self.secret.secret,
            },
        })
    }
}

/// What the master secret yields (RFC 8446 §7.1).
pub struct ApplicationSecrets {
    /// client_application_traffic_secret_0.
    pub client: TrafficSecret,
    /// server_application_traffic_secret_0.
    pub server: TrafficSecret,
    /// exporter_master_secret, for [`Exporter::export`].
    pub exporter: Exporter,
    /// The master secret kept until the client Finished is in the
    /// transcript.
    pub resumption: PendingResumption,
}

/// The master secret, waiting for the transcript through the client
/// Finished to derive the resumption master secret.
pub struct PendingResumption {
    hash: HashAlgorithm,
    master: Secret,
}

impl PendingResumption {
    /// resumption_master_secret, `Derive-Secret(master, "res master",
    /// ClientHello...client Finished)` (RFC 8446 §7.1).
    pub fn resumption_master_secret(
        self,
        client_finished_hash: &Digest,
    ) -> Result<ResumptionMasterSecret, Error> {
        let secret = hkdf::derive_secret(
            self.hash,
            self.master.as_bytes(),
            b"res master",
            client_finished_hash,
        )?;
        Ok(ResumptionMasterSecret {
            hash: self.hash,
            secret,
        })
    }
}

/// The resumption master secret (RFC 8446 §7.1), from which each ticket's
/// PSK is derived.
pub struct ResumptionMasterSecret {
    hash: HashAlgorithm,
    secret: Secret,
}

impl ResumptionMasterSecret {
    /// The secret itself.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The PSK of the ticket with `ticket_nonce` (RFC 8446 §4.6.1):
    /// `HKDF-Expand-Label(., "resumption", ticket_nonce, Hash.length)`.
    pub fn ticket_psk(&self, ticket_nonce: &[u8]) -> Result<Secret, Error> {
        hkdf::expand_label(
            self.hash,
            self.secret.as_bytes(),
            b"resumption",
            ticket_nonce,
            self.hash.output_len(),
        )
    }
}

/// A traffic secret: handshake, application or early (RFC 8446 §7.1).
pub struct TrafficSecret {
    hash: HashAlgorithm,
    /// Only the bytes: an established connection keeps two of these for
    /// KeyUpdate, and an HMAC key set up beside each would cost more
    /// memory than the expansions it saves.
    secret: Secret,
}

/// The record protection key and IV derived from a traffic secret
/// (RFC 8446 §7.3).
pub struct TrafficKeys {
    /// `HKDF-Expand-Label(secret, "key", "", key_length)`.
    pub key: Secret,
    /// `HKDF-Expand-Label(secret, "iv", "", iv_length)`, [`AEAD_IV_LEN`] bytes.
    pub iv: Secret,
}

impl TrafficSecret {
    fn new(hash: HashAlgorithm, secret: Secret) -> Self {
        Self { hash, secret }
    }

    /// The secret itself.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The suite hash.
    pub fn hash(&self) -> HashAlgorithm {
        self.hash
    }

    /// The write key of `key_len` bytes (the AEAD's key length) and the
    /// 12-byte IV (RFC 8446 §7.3).
    pub fn keys(&self, key_len: usize) -> Result<TrafficKeys, Error> {
        self.with_keys(key_len, |key, iv| {
            Ok(TrafficKeys {
                key: Secret::from_slice(key),
                iv: Secret::from_slice(iv),
            })
        })
    }

    /// Derives the same write key and IV as [`TrafficSecret::keys`] into
    /// zeroizing stack buffers and hands them to `use_keys` (which builds
    /// the record protection from them), so nothing is allocated. Fails
    /// with [`Error::Crypto`] when `key_len` exceeds `MAX_AEAD_KEY_LEN`,
    /// or with what `use_keys` returns.
    pub fn with_keys<T>(
        &self,
        key_len: usize,
        use_keys: impl FnOnce(&[u8], &[u8]) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut key_buf = Zeroizing::new([0u8; MAX_AEAD_KEY_LEN]);
        let key = key_buf
            .get_mut(..key_len)
            .ok_or(Error::Crypto(CryptoReason::AeadKeyTooLong))?;
        let mut iv = Zeroizing::new([0u8; AEAD_IV_LEN]);
        let prk = Prk::new(self.hash, self.secret.as_bytes())?;
        prk.expand_label_into(b"key", b"", key)?;
        prk.expand_label_into(b"iv", b"", iv.as_mut_slice())?;
        use_keys(key, iv.as_slice())
    }

    /// The finished_key for the Finished message sent under this
    /// (handshake) traffic secret (RFC 8446 §4.4.4).
    pub fn finished_key(&self) -> Result<FinishedKey, Error> {
        FinishedKey::from_base(&Prk::new(self.hash, self.secret.as_bytes())?)
    }

    /// The next generation after a KeyUpdate, application_traffic_secret_N+1
    /// `= HKDF-Expand-Label(., "traffic upd", "", Hash.length)` (RFC 8446
    /// §7.2).
    pub fn next(&self) -> Result<TrafficSecret, Error> {
        let next = hkdf::expand_label(
            self.hash,
            self.secret.as_bytes(),
            b"traffic upd",
            b"",
            self.hash.output_len(),
        )?;
        Ok(TrafficSecret::new(self.hash, next))
    }
}

/// A finished_key, `HKDF-Expand-Label(BaseKey, "finished", "",
/// Hash.length)` (RFC 8446 §4.4.4), which MACs a transcript hash.
pub struct FinishedKey {
    /// The HMAC keyed with finished_key; the key bytes themselves are
    /// derived on the stack and wiped.
    key: HmacKey,
}

impl FinishedKey {
    fn from_base(base_key: &Prk) -> Result<Self, Error> {
        with_expanded(base_key, b"finished", b"", |key| {
            Ok(Self {
                key: HmacKey::new(base_key.hash(), key)?,
            })
        })
    }

    /// Whether `received` is the HMAC of `transcript_hash` under this key,
    /// compared in constant time: the one check behind both a Finished and
    /// a PSK binder.
    ///
    /// Fuzzing mode (compiled only under `cfg(fuzzing)`, see
    /// `docs/fuzzing.md`): every received value matches.
    #[cfg_attr(fuzzing, allow(unreachable_code, unused_variables))]
    fn matches(&self, transcript_hash: &Digest, received: &[u8]) -> Result<bool, Error> {
        #[cfg(fuzzing)]
        return Ok(true);
        Ok(self.verify_data(transcript_hash)?.ct_eq(received))
    }

    /// `verify_data = HMAC(finished_key, transcript_hash)` (RFC 8446 §4.4.4).
    pub fn verify_data(&self, transcript_hash: &Digest) -> Result<Tag, Error> {
        Ok(self.key.sign(transcript_hash.as_ref()))
    }

    /// Checks a received Finished `verify_data` in constant time. A mismatch
    /// is [`Error::DecryptError`] (RFC 8446 §4.4.4: `decrypt_error`).
    pub fn verify(&self, transcript_hash: &Digest, received: &[u8]) -> Result<(), Error> {
        if self.matches(transcript_hash, received)? {
            Ok(())
        } else {
            Err(Error::DecryptError(DecryptErrorReason::FinishedMismatch))
        }
    }
}

/// A binder key with its finished key (RFC 8446 §4.2.11.2).
pub struct BinderKey {
    secret: Secret,
    finished: FinishedKey,
}

impl BinderKey {
    /// The binder key itself.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The PSK binder: `HMAC(finished_key(binder_key),
    /// Transcript-Hash(Truncate(ClientHello)))`, where the caller hashes the
    /// ClientHello up to (not including) the binders list, preceded after a
    /// HelloRetryRequest by the first flight (RFC 8446 §4.2.11.2).
    pub fn binder(&self, truncated_transcript_hash: &Digest) -> Result<Tag, Error> {
        self.finished.verify_data(truncated_transcript_hash)
    }

    /// Checks a received binder in constant time; a mismatch is
    /// [`Error::DecryptError`] (RFC 8446 §4.2.11: `decrypt_error`).
    pub fn verify(&self, truncated_transcript_hash: &Digest, received: &[u8]) -> Result<(), Error> {
        if self.finished.matches(truncated_transcript_hash, received)? {
            Ok(())
        } else {
            Err(Error::DecryptError(DecryptErrorReason::BinderMismatch))
        }
    }
}

/// An exporter master secret, early or not (RFC 8446 §7.5).
pub struct Exporter {
    hash: HashAlgorithm,
    secret: Secret,
}

impl Exporter {
    /// The exporter master secret itself.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// `TLS-Exporter(label, context_value, key_length) =
    /// HKDF-Expand-Label(Derive-Secret(Secret, label, ""), "exporter",
    /// Hash(context_value), key_length)` (RFC 8446 §7.5); an absent context
    /// is the same as an empty one. Fills all of `out`.
    ///
    /// Fails with [`Error::Crypto`] when `label` is longer than
    /// HKDF-Expand-Label allows or `out` is longer than `u16::MAX` or
    /// `255 * Hash.length` bytes.
    pub fn export(&self, label: &[u8], context: &[u8], out: &mut [u8]) -> Result<(), Error> {
        let secret = hkdf::derive_secret(
            self.hash,
            self.secret.as_bytes(),
            label,
            empty_hash(self.hash)?,
        )?;
        let keying = hkdf::expand_label(
            self.hash,
            secret.as_bytes(),
            b"exporter",
            self.hash.hash(context).as_ref(),
            out.len(),
        )?;
        out.copy_from_slice(keying.as_bytes());
        Ok(())
    }
}

macro_rules! opaque_debug {
    ($($t:ty),*) => {$(
        impl core::fmt::Debug for $t {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(stringify!($t))
            }
        }
    )*};
}

opaque_debug!(
    EarlySecret,
    HandshakeSecret,
    MasterSecret,
    ApplicationSecrets,
    PendingResumption,
    ResumptionMasterSecret,
    TrafficSecret,
    TrafficKeys,
    FinishedKey,
    BinderKey,
    Exporter
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DecryptErrorReason;

    #[test]
    fn message_hash_has_the_synthetic_header() {
        let d = HashAlgorithm::Sha384.hash(b"ch1");
        let m = message_hash(&d);
        assert_eq!(&m[..4], &[254, 0, 0, 48]);
        assert_eq!(&m[4..], d.as_ref());
    }

    #[test]
    fn only_sha256_and_sha384_start_a_schedule() {
        assert!(EarlySecret::new(HashAlgorithm::Sha256, None, None).is_ok());
        assert!(EarlySecret::new(HashAlgorithm::Sha384, None, None).is_ok());
        assert!(EarlySecret::new(HashAlgorithm::Sha512, None, None).is_err());
        assert!(EarlySecret::new(HashAlgorithm::Sha1, None, None).is_err());
    }

    #[test]
    fn finished_verify_rejects_a_flipped_bit_and_a_short_value() {
        let early = EarlySecret::new(HashAlgorithm::Sha256, None, None).unwrap();
        let hs = early.into_handshake(Some(&[7u8; 32])).unwrap();
        let th = HashAlgorithm::Sha256.hash(b"transcript");
        let key = hs
            .server_handshake_traffic_secret(&th)
            .unwrap()
            .finished_key()
            .unwrap();
        let mut good = key.verify_data(&th).unwrap().as_bytes().to_vec();
        assert_eq!(key.verify(&th, &good), Ok(()));
        assert!(matches!(
            key.verify(&th, &good[..31]),
            Err(Error::DecryptError(DecryptErrorReason::FinishedMismatch))
        ));
        good[0] ^= 0x80;
        assert!(matches!(
            key.verify(&th, &good),
            Err(Error::DecryptError(DecryptErrorReason::FinishedMismatch))
        ));
    }

    #[test]
    fn key_update_changes_the_secret_and_keys() {
        let early = EarlySecret::new(HashAlgorithm::Sha384, None, None).unwrap();
        let hs = early.into_handshake(Some(&[1u8; 48])).unwrap();
        let th = HashAlgorithm::Sha384.hash(b"x");
        let app = hs.into_master().unwrap().into_application(&th).unwrap();
        let next = app.client.next().unwrap();
        assert_ne!(next.secret(), app.client.secret());
        assert_eq!(next.secret().len(), 48);
        let k0 = app.client.keys(32).unwrap();
        let k1 = next.keys(32).unwrap();
        assert_eq!(k0.key.len(), 32);
        assert_eq!(k0.iv.len(), AEAD_IV_LEN);
        assert_ne!(k0.key, k1.key);
    }

    #[test]
    fn exporter_depends_on_label_and_context() {
        let early = EarlySecret::new(HashAlgorithm::Sha256, None, None).unwrap();
        let th = HashAlgorithm::Sha256.hash(b"ch");
        let exp = early.early_exporter(&th).unwrap();
        let (mut a, mut b, mut c) = ([0u8; 20], [0u8; 20], [0u8; 20]);
        exp.export(b"EXPORTER-a", b"", &mut a).unwrap();
        exp.export(b"EXPORTER-b", b"", &mut b).unwrap();
        exp.export(b"EXPORTER-a", b"ctx", &mut c).unwrap();
        assert_ne!(a, b);
        assert_ne!(a, c);
        let mut huge = vec![0u8; 70_000];
        assert!(exp.export(b"EXPORTER-a", b"", &mut huge).is_err());
    }
}
