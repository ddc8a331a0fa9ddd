//! Sessions and their identifiers (design §3): everything a handshake
//! needs to make a session resumable and to resume it, but no handshake
//! logic and no choice of version or cipher.
//!
//! - [`id`]: [`SessionId`], 0 to 32 bytes, with `copy_to` semantics of
//!   `copy_session_id`;
//! - [`state`]: the resumable values of both roles and their versioned,
//!   self-describing binary format ([`mod@format`] frames it);
//! - [`store`]: the server store (by session ID or ticket identity) and
//!   the client store (by server name), traits plus bounded LRU defaults;
//! - [`resumption_check`]: whether a cached session may resume a new
//!   connection;
//! - [`ticketer`]: sealing server state into tickets under rotating keys;
//! - [`external_psk`]: TLS 1.3 PSKs agreed outside TLS, by identity;
//! - [`anti_replay`]: the ClientHello-recording filter that lets 0-RTT
//!   go with tickets that resume more than once;
//! - `redis` (feature `redis`): the server store, the ticket keys and
//!   the anti-replay record shared by a fleet of servers in Redis.

pub mod anti_replay;
pub mod external_psk;
pub mod file_store;
pub mod format;
pub mod id;
mod lru;
#[cfg(feature = "redis")]
pub mod redis;
pub mod resumption_check;
pub mod state;
pub mod store;
pub mod ticketer;

pub use anti_replay::{
    AntiReplay, InMemoryAntiReplay, ReplayCheck, DEFAULT_ANTI_REPLAY_CAPACITY,
    DEFAULT_ANTI_REPLAY_WINDOW_MS,
};
pub use external_psk::{
    ExternalPsk, ExternalPskStore, ExternalPsks, MAX_EXTERNAL_PSK_LEN, MIN_EXTERNAL_PSK_LEN,
};
pub use file_store::FileServerStore;
pub use format::SessionDataError;
pub use id::SessionId;
pub use resumption_check::{
    check_resumption, server_chain_passes, ResumptionOffer, ResumptionRefusal,
};
pub use state::{
    ClientSessionData, ClientSessionTls12, ClientTicketTls13, ServerChain, ServerSessionState,
    Validity, DEFAULT_LIFETIME_SECS, MAX_RESUMPTION_DATA_LEN,
};
pub use store::{
    store_key, ClientSessionStore, InMemoryClientStore, InMemoryServerStore, ServerSessionStore,
    StoreKey, StoreKeyKind, DEFAULT_CLIENT_STORE_SERVERS, MAX_INLINE_STORE_ID_LEN,
};
pub use ticketer::{RotatingTicketer, Ticketer};
