//! The TLS 1.0–1.2 key schedule.
//!
//! Everything is the TLS PRF ([`crate::crypto::prf::prf`]) under a label;
//! the PRF is chosen by the handshake's transcript hash:
//! `HashAlgorithm::Md5Sha1` for TLS 1.0/1.1, the cipher suite's hash for
//! TLS 1.2.
//!
//! - master secret (RFC 5246 §8.1) and extended master secret (RFC 7627 §4),
//! - key block and its split (RFC 5246 §6.3),
//! - Finished `verify_data` (RFC 2246/4346/5246 §7.4.9),
//! - the keying-material exporter (RFC 5705 §4).

use crate::crypto::hash::{Digest, HashAlgorithm};
use crate::crypto::prf::{prf, PrfKey};
use crate::crypto::secret::Secret;
use crate::error::{CryptoReason, DecryptErrorReason, Error};
use crate::keyschedule::secret_log::{log_to, KeyLogger, SecretKind};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The master secret is always 48 bytes (RFC 5246 §8.1, RFC 7627 §4).
pub const MASTER_SECRET_LEN: usize = 48;

/// Finished `verify_data` length: 12 bytes in TLS 1.0/1.1 (RFC 2246
/// §7.4.9) and for every TLS 1.2 cipher suite ferrotls supports (RFC 5246
/// §7.4.9, `verify_data_length` defaults to 12).
pub const VERIFY_DATA_LEN: usize = 12;

/// The length of a Hello random (RFC 5246 §7.4.1.2).
pub const RANDOM_LEN: usize = 32;

/// PRF labels TLS itself uses, which an exporter label must not repeat
/// (RFC 5705 §4: labels must not collide with existing PRF labels).
const RESERVED_EXPORTER_LABELS: [&[u8]; 5] = [
    b"client finished",
    b"server finished",
    b"master secret",
    b"key expansion",
    b"extended master secret",
];

/// Which side sent a Finished message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sender {
    /// The client's Finished ("client finished").
    Client,
    /// The server's Finished ("server finished").
    Server,
}

/// The key sizes of a cipher suite, which fix how the key block is cut
/// (RFC 5246 §6.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyBlockLengths {
    /// `mac_key_length`: the HMAC key size; 0 for AEAD suites.
    pub mac_key_len: usize,
    /// `enc_key_length`: the cipher key size.
    pub enc_key_len: usize,
    /// `fixed_iv_length`: the IV (TLS 1.0 CBC) or implicit nonce part
    /// (AEAD: 4 for GCM, 12 for ChaCha20-Poly1305, RFC 5288 §3, RFC 7905
    /// §2); 0 for TLS 1.1/1.2 CBC.
    pub fixed_iv_len: usize,
}

/// The key block cut into its six parts, in the order RFC 5246 §6.3
/// lists them.
#[derive(Debug)]
pub struct KeyBlock {
    /// client_write_MAC_key.
    pub client_write_mac_key: Secret,
    /// server_write_MAC_key.
    pub server_write_mac_key: Secret,
    /// client_write_key.
    pub client_write_key: Secret,
    /// server_write_key.
    pub server_write_key: Secret,
    /// client_write_IV.
    pub client_write_iv: Secret,
    /// server_write_IV.
    pub server_write_iv: Secret,
}

/// The six parts of a key block, borrowed from the buffer
/// [`MasterSecret::with_key_block`] derived it into, in the order RFC 5246
/// §6.3 lists them.
#[derive(Clone, Copy)]
pub struct KeyBlockParts<'a> {
    /// client_write_MAC_key.
    pub client_write_mac_key: &'a [u8],
    /// server_write_MAC_key.
    pub server_write_mac_key: &'a [u8],
    /// client_write_key.
    pub client_write_key: &'a [u8],
    /// server_write_key.
    pub server_write_key: &'a [u8],
    /// client_write_IV.
    pub client_write_iv: &'a [u8],
    /// server_write_IV.
    pub server_write_iv: &'a [u8],
}

/// The longest key block of a suite this crate implements: two HMAC-SHA384
/// MAC keys (48 bytes each), two AES-256 keys (32) and two TLS 1.0 CBC
/// IVs (16, the AES block) (RFC 5246 §6.3, RFC 5289 §3.2, RFC 2246 §6.3).
pub const MAX_KEY_BLOCK_LEN: usize = 2 * (48 + 32 + 16);

/// A TLS 1.0–1.2 master secret with the PRF it goes with.
pub struct MasterSecret {
    hash: HashAlgorithm,
    secret: Secret,
    /// The PRF over `secret`, set up once for its several uses (boxed: its
    /// HMAC states are large, and handshake states move the secret).
    prf: Box<PrfKey>,
}

impl MasterSecret {
    /// `PRF(pre_master_secret, "master secret", ClientHello.random +
    /// ServerHello.random)[0..47]` (RFC 5246 §8.1).
    pub fn from_premaster(
        hash: HashAlgorithm,
        pre_master_secret: &[u8],
        client_random: &[u8; RANDOM_LEN],
        server_random: &[u8; RANDOM_LEN],
        log: Option<&KeyLogger>,
    ) -> Result<Self, Error> {
        Self::derive(
            hash,
            pre_master_secret,
            b"master secret",
            &[client_random, server_random],
            log,
        )
    }

    /// The extended master secret, `PRF(pre_master_secret, "extended master
    /// secret", session_hash)[0..47]`, where `session_hash` is the
    /// transcript hash through the ClientKeyExchange (RFC 7627 §3, §4).
    pub fn from_premaster_extended(
        hash: HashAlgorithm,
        pre_master_secret: &[u8],
        session_hash: &Digest,
        log: Option<&KeyLogger>,
    ) -> Result<Self, Error> {
        Self::derive(
            hash,
            pre_master_secret,
            b"extended master secret",
            &[session_hash.as_ref()],
            log,
        )
    }

    /// A master secret restored from a cached session or ticket. Fails with
    /// [`Error::Crypto`] unless it is `MASTER_SECRET_LEN` bytes.
    pub fn from_bytes(hash: HashAlgorithm, master_secret: &[u8]) -> Result<Self, Error> {
        if master_secret.len() != MASTER_SECRET_LEN {
            return Err(Error::Crypto(CryptoReason::MasterSecretLength));
        }
        Self::new(hash, Secret::from_slice(master_secret))
    }

    fn new(hash: HashAlgorithm, secret: Secret) -> Result<Self, Error> {
        Ok(Self {
            hash,
            prf: Box::new(PrfKey::new(hash, secret.as_bytes())?),
            secret,
        })
    }

    fn derive(
        hash: HashAlgorithm,
        pre_master_secret: &[u8],
        label: &[u8],
        seed: &[&[u8]],
        log: Option<&KeyLogger>,
    ) -> Result<Self, Error> {
        let mut secret = Secret::zeroed(MASTER_SECRET_LEN);
        prf(hash, pre_master_secret, label, seed, secret.as_mut_bytes())?;
        log_to(log, SecretKind::MasterSecret, &secret);
        Self::new(hash, secret)
    }

    /// The master secret itself (for the session cache).
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The transcript hash that selects this secret's PRF.
    pub fn hash(&self) -> HashAlgorithm {
        self.hash
    }

    /// `key_block = PRF(master_secret, "key expansion", server_random +
    /// client_random)`, cut into MAC keys, encryption keys and IVs of the
    /// given lengths (RFC 5246 §6.3). Fails with [`Error::Crypto`] when
    /// the lengths add up to more than `MAX_KEY_BLOCK_LEN`.
    pub fn key_block(
        &self,
        lengths: KeyBlockLengths,
        client_random: &[u8; RANDOM_LEN],
        server_random: &[u8; RANDOM_LEN],
    ) -> Result<KeyBlock, Error> {
        self.with_key_block(lengths, client_random, server_random, |parts| {
            Ok(KeyBlock {
                client_write_mac_key: Secret::from_slice(parts.client_write_mac_key),
                server_write_mac_key: Secret::from_slice(parts.server_write_mac_key),
                client_write_key: Secret::from_slice(parts.client_write_key),
                server_write_key: Secret::from_slice(parts.server_write_key),
                client_write_iv: Secret::from_slice(parts.client_write_iv),
                server_write_iv: Secret::from_slice(parts.server_write_iv),
            })
        })
    }

    /// The same key block as [`MasterSecret::key_block`], derived into a
    /// zeroizing stack buffer and handed to `use_parts` (which builds the
    /// record protection from it), so nothing is allocated. Fails like
    /// [`MasterSecret::key_block`], or with what `use_parts` returns.
    pub fn with_key_block<T>(
        &self,
        lengths: KeyBlockLengths,
        client_random: &[u8; RANDOM_LEN],
        server_random: &[u8; RANDOM_LEN],
        use_parts: impl FnOnce(KeyBlockParts<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let sizes = [
            lengths.mac_key_len,
            lengths.mac_key_len,
            lengths.enc_key_len,
            lengths.enc_key_len,
            lengths.fixed_iv_len,
            lengths.fixed_iv_len,
        ];
        let total = sizes
            .iter()
            .try_fold(0usize, |acc, n| acc.checked_add(*n))
            .ok_or(Error::Crypto(CryptoReason::KeyBlockTooLong))?;
        let mut buf = Zeroizing::new([0u8; MAX_KEY_BLOCK_LEN]);
        let block = buf
            .get_mut(..total)
            .ok_or(Error::Crypto(CryptoReason::KeyBlockTooLong))?;
        self.prf
            .fill(b"key expansion", &[server_random, client_random], block);
        // The block is exactly `total` bytes, so every cut succeeds; the
        // fields below are evaluated in the order RFC 5246 §6.3 lists them.
        let mut rest: &[u8] = block;
        let mut next = |n: usize| {
            let (head, tail) = rest.split_at_checked(n).unwrap_or((rest, &[]));
            rest = tail;
            head
        };
        use_parts(KeyBlockParts {
            client_write_mac_key: next(lengths.mac_key_len),
            server_write_mac_key: next(lengths.mac_key_len),
            client_write_key: next(lengths.enc_key_len),
            server_write_key: next(lengths.enc_key_len),
            client_write_iv: next(lengths.fixed_iv_len),
            server_write_iv: next(lengths.fixed_iv_len),
        })
    }

    /// Finished `verify_data = PRF(master_secret, finished_label,
    /// Hash(handshake_messages))[0..11]` (RFC 5246 §7.4.9; TLS 1.0/1.1 use
    /// the MD5‖SHA-1 transcript, RFC 2246 §7.4.9). `handshake_hash` must be
    /// the transcript hash of this secret's [`hash`](Self::hash).
    pub fn verify_data(
        &self,
        sender: Sender,
        handshake_hash: &Digest,
    ) -> Result<[u8; VERIFY_DATA_LEN], Error> {
        let label: &[u8] = match sender {
            Sender::Client => b"client finished",
            Sender::Server => b"server finished",
        };
        let mut out = [0u8; VERIFY_DATA_LEN];
        self.prf.fill(label, &[handshake_hash.as_ref()], &mut out);
        Ok(out)
    }

    /// Checks the peer's Finished `verify_data` in constant time and
    /// returns it, as the array it is; a mismatch is
    /// [`Error::DecryptError`] (RFC 5246 §7.4.9: `decrypt_error`).
    ///
    /// Fuzzing mode (compiled only under `cfg(fuzzing)`, see
    /// `docs/fuzzing.md`): every received `verify_data` matches.
    #[cfg_attr(fuzzing, allow(unreachable_code, unused_variables))]
    pub fn verify_finished(
        &self,
        sender: Sender,
        handshake_hash: &Digest,
        received: &[u8],
    ) -> Result<[u8; VERIFY_DATA_LEN], Error> {
        let expected = self.verify_data(sender, handshake_hash)?;
        #[cfg(fuzzing)]
        return Ok(expected);
        if bool::from(expected.as_slice().ct_eq(received)) {
            Ok(expected)
        } else {
            Err(Error::DecryptError(DecryptErrorReason::FinishedMismatch))
        }
    }

    /// RFC 5705 keying material: `PRF(master_secret, label, client_random +
    /// server_random [+ context_length + context])`, filling all of `out`.
    /// `None` and `Some(&[])` differ, as the RFC says (§4).
    ///
    /// Fails with [`Error::Crypto`] when `label` is one TLS itself uses or
    /// the context is longer than its `uint16` length field can say
    /// (RFC 5705 §4).
    pub fn export(
        &self,
        label: &[u8],
        client_random: &[u8; RANDOM_LEN],
        server_random: &[u8; RANDOM_LEN],
        context: Option<&[u8]>,
        out: &mut [u8],
    ) -> Result<(), Error> {
        if RESERVED_EXPORTER_LABELS.contains(&label) {
            return Err(Error::Crypto(CryptoReason::ExporterLabelReserved));
        }
        let seed: [&[u8]; 2] = [client_random, server_random];
        match context {
            None => self.prf.fill(label, &seed, out),
            Some(context) => {
                let len = u16::try_from(context.len())
                    .map_err(|_| Error::Crypto(CryptoReason::ExporterContextTooLong))?
                    .to_be_bytes();
                self.prf
                    .fill(label, &[client_random, server_random, &len, context], out);
            }
        }
        Ok(())
    }
}

/// The RFC 5705 exporter of a TLS 1.0–1.2 connection. It keeps the
/// master secret's bytes only: exports are rare, and the PRF's HMAC state
/// would cost an idle connection more memory than setting it up again.
pub struct Tls12Exporter {
    hash: HashAlgorithm,
    master: Secret,
    client_random: [u8; RANDOM_LEN],
    server_random: [u8; RANDOM_LEN],
}

impl Tls12Exporter {
    /// The exporter of the connection whose hellos carried these randoms,
    /// under `master`, which it takes over: the handshake is done with it.
    pub fn new(
        master: MasterSecret,
        client_random: [u8; RANDOM_LEN],
        server_random: [u8; RANDOM_LEN],
    ) -> Self {
        Self {
            hash: master.hash,
            master: master.secret,
            client_random,
            server_random,
        }
    }

    /// [`Self::new`] for a handshake that still needs `master`: a False
    /// Start exports before the server's Finished, which is checked with
    /// it (RFC 7918 §3 lets application data flow then; RFC 5705 needs
    /// only the master secret and the randoms).
    pub fn copied(
        master: &MasterSecret,
        client_random: [u8; RANDOM_LEN],
        server_random: [u8; RANDOM_LEN],
    ) -> Self {
        Self {
            hash: master.hash,
            master: Secret::from_slice(master.secret.as_bytes()),
            client_random,
            server_random,
        }
    }

    /// Fills `out` (RFC 5705 §4); failures as [`MasterSecret::export`].
    pub fn export(
        &self,
        label: &[u8],
        context: Option<&[u8]>,
        out: &mut [u8],
    ) -> Result<(), Error> {
        MasterSecret::from_bytes(self.hash, self.master.as_bytes())?.export(
            label,
            &self.client_random,
            &self.server_random,
            context,
            out,
        )
    }
}

impl core::fmt::Debug for MasterSecret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "MasterSecret({:?})", self.hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn master() -> MasterSecret {
        MasterSecret::from_bytes(HashAlgorithm::Sha256, &[9u8; 48]).unwrap()
    }

    #[test]
    fn from_bytes_wants_48_bytes() {
        assert!(MasterSecret::from_bytes(HashAlgorithm::Sha256, &[0u8; 47]).is_err());
    }

    #[test]
    fn verify_finished_checks_the_sender_and_the_bytes() {
        let ms = master();
        let h = HashAlgorithm::Sha256.hash(b"msgs");
        let client = ms.verify_data(Sender::Client, &h).unwrap();
        assert_eq!(ms.verify_finished(Sender::Client, &h, &client), Ok(client));
        assert!(ms.verify_finished(Sender::Server, &h, &client).is_err());
        assert!(ms
            .verify_finished(Sender::Client, &h, &client[..11])
            .is_err());
    }

    #[test]
    fn exporter_refuses_tls_labels_and_distinguishes_empty_context() {
        let ms = master();
        let r = [1u8; 32];
        let mut out = [0u8; 16];
        assert!(ms.export(b"key expansion", &r, &r, None, &mut out).is_err());
        let mut none = [0u8; 16];
        let mut empty = [0u8; 16];
        ms.export(b"EXPORTER-x", &r, &r, None, &mut none).unwrap();
        ms.export(b"EXPORTER-x", &r, &r, Some(b""), &mut empty)
            .unwrap();
        assert_ne!(none, empty);
    }

    #[test]
    fn aead_key_block_has_no_mac_keys() {
        let lengths = KeyBlockLengths {
            mac_key_len: 0,
            enc_key_len: 16,
            fixed_iv_len: 4,
        };
        let kb = master().key_block(lengths, &[1; 32], &[2; 32]).unwrap();
        assert!(kb.client_write_mac_key.is_empty());
        assert_eq!(kb.server_write_key.len(), 16);
        assert_eq!(kb.server_write_iv.len(), 4);
        assert_ne!(kb.client_write_key, kb.server_write_key);
    }
}
