//! Session tickets: a server's session state sealed so that only the
//! server can read it back (RFC 5077 §4, RFC 8446 §4.6.1; design §3).
//!
//! A ticket made by [`RotatingTicketer`] is
//!
//! ```text
//! struct {
//!     opaque key_name[16];
//!     opaque nonce[12];
//!     opaque sealed_state[rest];  /* AEAD(state) ‖ tag, AAD = key_name */
//! } Ticket;
//! ```
//!
//! after the construction RFC 5077 §4 recommends, with an AEAD in place of
//! AES-CBC + HMAC. Keys are named and rotate on a schedule timed by the
//! injected clock: the current key seals, the current and the previous key
//! unseal. A ticket that does not unseal — unknown key name, altered bytes,
//! too short or long, expired state — is "not accepted", which means a full
//! handshake, never an error that ends the connection (design §3).
//!
//! The key set can be exported and imported in the session format (kind
//! `ticket_keys`), so that several servers accept each other's tickets.

use crate::codec::{LengthPrefix, Reader, Writer};
use crate::crypto::aead::{AeadAlgorithm, AeadKey, NONCE_LEN, TAG_LEN};
use crate::crypto::rng::{random_array, SecureRandom};
use crate::crypto::secret::Secret;
use crate::error::{DecodeReason, Error};
use crate::session::format::{
    tag, FieldReader, FieldWriter, Kind, SessionDataError, UnknownFields,
};
use crate::session::state::ServerSessionState;
use crate::time::{Clock, UnixTime};
use core::time::Duration;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use zeroize::Zeroizing;

/// The length of a ticket key's name, the first bytes of every ticket
/// (RFC 5077 §4, `key_name[16]`).
pub const TICKET_KEY_NAME_LEN: usize = 16;

/// How long a ticket key seals before the next one takes over: 12 hours.
/// A key keeps unsealing for one more period after that, so a ticket
/// stays acceptable for at least 12 hours — longer than the default
/// session lifetime of 2 hours — and at most 24. Not an RFC value;
/// RFC 5077 §5.5 only asks that keys change regularly.
pub const TICKET_KEY_ROTATION_PERIOD: Duration = Duration::from_secs(12 * 60 * 60);

/// The longest ticket accepted or issued: `opaque ticket<1..2^16-1>`
/// (RFC 8446 §4.6.1) and `opaque ticket<0..2^16-1>` (RFC 5077 §3.3).
pub const MAX_TICKET_SIZE: usize = 0xffff;

/// What [`RotatingTicketer`] adds to the sealed plaintext: key name,
/// nonce and AEAD tag.
pub const TICKET_OVERHEAD: usize = TICKET_KEY_NAME_LEN + NONCE_LEN + TAG_LEN;

/// The AEAD [`RotatingTicketer::new`] seals with.
pub const DEFAULT_TICKET_AEAD: AeadAlgorithm = AeadAlgorithm::Aes256Gcm;

/// Something that seals bytes into tickets and opens them again. Plug in
/// your own to share tickets across servers with your own key management;
/// [`RotatingTicketer`] is the default.
pub trait Ticketer: Send + Sync {
    /// Seals `plaintext` into a ticket of at most [`MAX_TICKET_SIZE`]
    /// bytes. An error means "issue no ticket"; the handshake goes on.
    fn seal(&self, plaintext: &[u8]) -> Result<Vec<u8>, Error>;

    /// The bytes [`Self::seal_in_place`] writes before the plaintext and
    /// appends after it, so that a caller can encode the plaintext where
    /// the ticket will be. `(0, 0)` by default.
    fn seal_room(&self) -> (usize, usize) {
        (0, 0)
    }

    /// Seals the plaintext that follows the first `seal_room().0` bytes of
    /// `buffer`, turning `buffer` into the ticket, as [`Self::seal`] would
    /// make it. By default through [`Self::seal`], the plaintext buffer
    /// wiped and replaced; a ticketer that seals in place saves that
    /// allocation.
    fn seal_in_place(&self, buffer: &mut Zeroizing<Vec<u8>>) -> Result<(), Error> {
        let plaintext = buffer.get(self.seal_room().0..).unwrap_or_default();
        let ticket = self.seal(plaintext)?;
        // The plaintext is wiped as the old buffer drops.
        drop(Zeroizing::new(std::mem::replace(&mut **buffer, ticket)));
        Ok(())
    }

    /// The plaintext sealed in `ticket`, or `None` when this ticketer does
    /// not accept it (unknown or retired key, altered or malformed
    /// ticket). Must never panic, whatever the bytes.
    fn unseal(&self, ticket: &[u8]) -> Option<Secret>;
}

/// Why a ticket was not accepted ([`unseal_state`]). None of these is a
/// peer error: each means the handshake runs in full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketRejection {
    /// The ticketer did not unseal the ticket.
    NotUnsealed,
    /// The ticket unsealed but does not hold a server session state.
    Malformed(SessionDataError),
    /// The state's lifetime is over, or its authentication too old
    /// ([`ServerSessionState::is_expired`]).
    Expired,
}

/// Seals `state` into a ticket with `ticketer`. Errors as
/// [`Ticketer::seal`] or [`ServerSessionState::to_bytes`].
pub fn seal_state(ticketer: &dyn Ticketer, state: &ServerSessionState) -> Result<Vec<u8>, Error> {
    // Wiped on drop, like the unsealed plaintext (a `Secret`); encoded
    // with room for the ticket around it, and sealed there.
    let mut buffer = state.to_bytes_with_room(ticketer.seal_room())?;
    ticketer.seal_in_place(&mut buffer)?;
    Ok(std::mem::take(&mut *buffer))
}

/// The state sealed in `ticket`, if `ticketer` accepts it and it is still
/// valid at `now`; otherwise why not.
pub fn unseal_state(
    ticketer: &dyn Ticketer,
    ticket: &[u8],
    now: UnixTime,
) -> Result<ServerSessionState, TicketRejection> {
    let plaintext = ticketer
        .unseal(ticket)
        .ok_or(TicketRejection::NotUnsealed)?;
    let state =
        ServerSessionState::decode(plaintext.as_bytes()).map_err(TicketRejection::Malformed)?;
    if state.is_expired(now) {
        return Err(TicketRejection::Expired);
    }
    Ok(state)
}

struct TicketKey {
    name: [u8; TICKET_KEY_NAME_LEN],
    /// The raw key, kept only so the key set can be exported.
    secret: Secret,
    key: AeadKey,
    created: UnixTime,
}

impl TicketKey {
    /// Writes `struct { opaque name[16]; opaque key<16..32>;
    /// uint64 created; }` (`created` in ms since the epoch).
    fn encode(&self, w: &mut Writer) {
        w.bytes(&self.name);
        w.vector(LengthPrefix::U8, self.secret.as_bytes());
        w.u64(self.created.as_millis());
    }

    fn decode(algorithm: AeadAlgorithm, r: &mut Reader<'_>) -> Result<Self, Error> {
        let name = r.array()?;
        let secret = Secret::from_slice(r.vector(LengthPrefix::U8)?);
        Ok(Self {
            name,
            key: AeadKey::new(algorithm, secret.as_bytes())?,
            secret,
            created: UnixTime::from_millis(r.u64()?),
        })
    }
}

struct KeySet {
    algorithm: AeadAlgorithm,
    current: TicketKey,
    previous: Option<TicketKey>,
}

/// The IANA "AEAD Algorithms" registry number of `algorithm` (RFC 5116
/// §6: AES-128-GCM 1, AES-256-GCM 2; RFC 8439 §5: ChaCha20-Poly1305 29),
/// which names the AEAD in an exported key set.
fn aead_id(algorithm: AeadAlgorithm) -> u16 {
    match algorithm {
        AeadAlgorithm::Aes128Gcm => 1,
        AeadAlgorithm::Aes256Gcm => 2,
        AeadAlgorithm::ChaCha20Poly1305 => 29,
    }
}

fn aead_from_id(id: u16) -> Result<AeadAlgorithm, Error> {
    match id {
        1 => Ok(AeadAlgorithm::Aes128Gcm),
        2 => Ok(AeadAlgorithm::Aes256Gcm),
        29 => Ok(AeadAlgorithm::ChaCha20Poly1305),
        _ => Err(Error::Decode(DecodeReason::TicketAead)),
    }
}

/// The default [`Ticketer`]: AEAD-sealed tickets under named keys drawn
/// from the injected RNG, rotated every `period` by the injected clock
/// (or on demand with [`RotatingTicketer::rotate`]). The current key
/// seals; the current and the previous key unseal. Nonces are random
/// (96 bits) and keys retire long before 2^32 tickets.
pub struct RotatingTicketer {
    period: Duration,
    rng: Arc<dyn SecureRandom>,
    clock: Arc<dyn Clock>,
    keys: Mutex<KeySet>,
}

impl RotatingTicketer {
    /// A ticketer sealing with AES-256-GCM (`DEFAULT_TICKET_AEAD`) and rotating every
    /// [`TICKET_KEY_ROTATION_PERIOD`]. Fails with [`Error::Crypto`] when
    /// `rng` cannot provide the first key.
    pub fn new(rng: Arc<dyn SecureRandom>, clock: Arc<dyn Clock>) -> Result<Self, Error> {
        Self::with_settings(DEFAULT_TICKET_AEAD, TICKET_KEY_ROTATION_PERIOD, rng, clock)
    }

    /// A ticketer sealing with `algorithm` and rotating every `period`
    /// (at least one second). Fails as [`RotatingTicketer::new`].
    pub fn with_settings(
        algorithm: AeadAlgorithm,
        period: Duration,
        rng: Arc<dyn SecureRandom>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, Error> {
        let current = new_key(algorithm, rng.as_ref(), clock.now())?;
        Ok(Self {
            period: period.max(Duration::from_secs(1)),
            rng,
            clock,
            keys: Mutex::new(KeySet {
                algorithm,
                current,
                previous: None,
            }),
        })
    }

    /// The key set (AEAD, current key, previous key) in the session format
    /// (kind `ticket_keys`), so that other servers can unseal this one's
    /// tickets. The bytes are as secret as the keys. Rotation
    /// due by the clock happens first. Fails only if the RNG fails during
    /// that rotation.
    pub fn export_keys(&self) -> Result<Secret, Error> {
        let keys = self.current_keys()?;
        let no_unknown_fields = UnknownFields::default();
        // Two keys: name, length-prefixed key bytes, creation time each.
        let variable_len = 2 * (TICKET_KEY_NAME_LEN + 1 + keys.algorithm.key_len());
        let mut f = FieldWriter::new(Kind::TicketKeys, &no_unknown_fields, variable_len);
        f.field(tag::TICKET_AEAD, |w| w.u16(aead_id(keys.algorithm)));
        f.field(tag::CURRENT_TICKET_KEY, |w| keys.current.encode(w));
        f.optional(tag::PREVIOUS_TICKET_KEY, keys.previous.as_ref(), |w, k| {
            k.encode(w)
        });
        Ok(Secret::new(core::mem::take(&mut *f.finish()?)))
    }

    /// Replaces the whole key set (AEAD included) with one made by
    /// [`RotatingTicketer::export_keys`]. Bytes that are not such a set
    /// fail with [`Error::SessionData`] and change nothing.
    ///
    /// Servers that share keys should rotate in one place: give the others
    /// a period longer than the interval at which they import, or each
    /// would rotate to a key of its own.
    pub fn import_keys(&self, bytes: &[u8]) -> Result<(), Error> {
        let mut f = FieldReader::parse(bytes)?;
        f.expect_kind(Kind::TicketKeys)?;
        let algorithm = f.required(tag::TICKET_AEAD, |r| aead_from_id(r.u16()?))?;
        let current = f.required(tag::CURRENT_TICKET_KEY, |r| TicketKey::decode(algorithm, r))?;
        let previous = f.optional(tag::PREVIOUS_TICKET_KEY, |r| {
            TicketKey::decode(algorithm, r)
        })?;
        f.finish()?;
        *self.keys.lock().unwrap_or_else(PoisonError::into_inner) = KeySet {
            algorithm,
            current,
            previous,
        };
        Ok(())
    }

    /// Makes a new current key now; the current one becomes the previous
    /// (still unsealing) and the previous one is forgotten. Fails with
    /// [`Error::Crypto`] when the RNG fails, changing nothing.
    pub fn rotate(&self) -> Result<(), Error> {
        let now = self.clock.now();
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        let fresh = new_key(keys.algorithm, self.rng.as_ref(), now)?;
        let retired = core::mem::replace(&mut keys.current, fresh);
        keys.previous = Some(retired);
        Ok(())
    }

    /// Rotates when the clock says the current key's period is over; when
    /// two periods are over, the old current key is past its unsealing
    /// window too and is dropped.
    fn rotate_if_due(&self, keys: &mut KeySet) -> Result<(), Error> {
        let now = self.clock.now();
        let age = now.saturating_since(keys.current.created);
        if age < self.period {
            return Ok(());
        }
        let fresh = new_key(keys.algorithm, self.rng.as_ref(), now)?;
        let retired = core::mem::replace(&mut keys.current, fresh);
        keys.previous = (age < self.period.saturating_mul(2)).then_some(retired);
        Ok(())
    }

    fn current_keys(&self) -> Result<MutexGuard<'_, KeySet>, Error> {
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        self.rotate_if_due(&mut keys)?;
        Ok(keys)
    }
}

fn new_key(
    algorithm: AeadAlgorithm,
    rng: &dyn SecureRandom,
    created: UnixTime,
) -> Result<TicketKey, Error> {
    let name = random_array(rng)?;
    let mut secret = Secret::zeroed(algorithm.key_len());
    rng.fill(secret.as_mut_bytes())?;
    Ok(TicketKey {
        name,
        key: AeadKey::new(algorithm, secret.as_bytes())?,
        secret,
        created,
    })
}

impl Ticketer for RotatingTicketer {
    fn seal(&self, plaintext: &[u8]) -> Result<Vec<u8>, Error> {
        // Sealed in place in the ticket itself: the plaintext copy is
        // overwritten by its ciphertext (or, if sealing fails, wiped).
        let mut ticket = Zeroizing::new(Vec::with_capacity(plaintext.len() + TICKET_OVERHEAD));
        ticket.resize(TICKET_KEY_NAME_LEN + NONCE_LEN, 0);
        ticket.extend_from_slice(plaintext);
        self.seal_in_place(&mut ticket)?;
        Ok(std::mem::take(&mut *ticket))
    }

    fn seal_room(&self) -> (usize, usize) {
        (TICKET_KEY_NAME_LEN + NONCE_LEN, TAG_LEN)
    }

    fn seal_in_place(&self, buffer: &mut Zeroizing<Vec<u8>>) -> Result<(), Error> {
        if buffer.len() > MAX_TICKET_SIZE.saturating_sub(TAG_LEN) {
            return Err(Error::EncodeOverflow);
        }
        let keys = self.current_keys()?;
        let nonce: [u8; NONCE_LEN] = random_array(self.rng.as_ref())?;
        let (header, body) = buffer
            .split_at_mut_checked(TICKET_KEY_NAME_LEN + NONCE_LEN)
            .ok_or(Error::EncodeOverflow)?;
        let (name, nonce_slot) = header
            .split_at_mut_checked(TICKET_KEY_NAME_LEN)
            .ok_or(Error::EncodeOverflow)?;
        name.copy_from_slice(&keys.current.name);
        nonce_slot.copy_from_slice(&nonce);
        let tag = keys
            .current
            .key
            .seal_in_place(nonce, &keys.current.name, body)?;
        buffer.extend_from_slice(&tag);
        Ok(())
    }

    fn unseal(&self, ticket: &[u8]) -> Option<Secret> {
        if ticket.len() > MAX_TICKET_SIZE {
            return None;
        }
        let (name, rest) = ticket.split_at_checked(TICKET_KEY_NAME_LEN)?;
        let (nonce, sealed) = rest.split_at_checked(NONCE_LEN)?;
        let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
        let keys = self.current_keys().ok()?;
        // Key names are public (they travel in every ticket), so a plain
        // comparison leaks nothing.
        let key = [Some(&keys.current), keys.previous.as_ref()]
            .into_iter()
            .flatten()
            .find(|k| k.name.as_slice() == name)?;
        // Opened in place and cut to the plaintext, which becomes the
        // Secret: one buffer (wiped on drop, also when opening fails).
        let mut buffer = Zeroizing::new(sealed.to_vec());
        let plaintext_len = key
            .key
            .open_in_place(nonce, &key.name, &mut buffer)
            .ok()?
            .len();
        buffer.truncate(plaintext_len);
        Some(Secret::new(std::mem::take(&mut *buffer)))
    }
}
