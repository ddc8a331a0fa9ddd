//! A [`ServerSessionStore`] kept in a directory of files, one per session
//! (design §3 "server store"): resumption by session ID,
//! and TLS 1.3 stateful tickets, survive a server restart, and several
//! server processes on one machine can share the directory.
//!
//! Each file is named by the hex of its key (so no key can name a path
//! outside the directory) plus [`FILE_SUFFIX`], and holds the 8-byte
//! big-endian expiry time in seconds since the Unix epoch followed by the
//! state in the versioned format of docs/session-format.md. Writes go to a
//! temporary file that is then renamed over the final name, so a reader
//! never sees half a session; `take` renames the file away before reading
//! it, so only one connection can use a single-use entry, even across
//! processes. A file that does not parse is deleted and treated as absent.
//!
//! Each store keeps an index of its files, built by one scan of the
//! directory when it is opened and kept under a lock: the least recently
//! used map of the in-memory stores (`LruMap`), so an insert evicts
//! (deletes) the least recently used file without listing the directory,
//! in O(1), and the index never holds more than `capacity` files,
//! whatever the number of threads inserting. Expired files go when they
//! are read, when they are evicted, and at open. Files are not fsynced: a
//! crash may lose recent sessions, which costs those clients a full
//! handshake and nothing else.
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::lru::LruMap;
use super::state::{ServerSessionState, DEFAULT_LIFETIME_SECS, MAX_LIFETIME_SECS};
use super::store::{ServerSessionStore, DEFAULT_SERVER_STORE_CAPACITY};
use crate::error::{Error, InvalidRequestReason};
use crate::time::{Clock, UnixTime};
use zeroize::Zeroizing;

/// The longest key stored: 64 bytes make a 128-character hex name, well
/// under the 255-byte file name limit of common file systems. Session IDs
/// are at most 32 bytes (RFC 5246 §7.4.1.2) and ferrotls's TLS 1.3 ticket
/// identities are shorter still; a longer key is simply not stored.
pub const MAX_FILE_STORE_KEY_LEN: usize = 64;

/// The suffix of a session file's name.
pub const FILE_SUFFIX: &str = ".sess";

/// The bytes before the encoded state: its expiry, big-endian seconds.
const EXPIRY_LEN: usize = 8;

/// Distinguishes temporary names made by one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A [`ServerSessionStore`] backed by a directory of files: at most
/// `capacity` sessions (the least recently used evicted first when full),
/// each expiring at the end of its own lifetime or the store's, whichever
/// is first. I/O failures are not errors: the session is then simply not
/// stored or not found, as the trait asks.
///
/// Several stores (in one or several processes) may share a directory:
/// each finds the others' sessions and `take` stays single-use, but each
/// bounds only the files in its own index (those found at open, those it
/// wrote, those it read), so n stores hold at most n × `capacity` files
/// together.
pub struct FileServerStore {
    dir: PathBuf,
    capacity: usize,
    lifetime: Duration,
    clock: Arc<dyn Clock>,
    index: Mutex<Index>,
}

/// The files a store knows of, with their expiry, least recently used
/// first. A file evicted to make room is deleted.
struct Index(LruMap<PathBuf, UnixTime>);

impl Index {
    fn new(capacity: usize) -> Self {
        Self(LruMap::new(capacity))
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    /// Records `path` as the most recently used file, deleting the least
    /// recently used one when the index is full.
    fn insert(&mut self, path: PathBuf, expires: UnixTime) {
        if let Some((evicted, _)) = self.0.insert(path, expires) {
            let _ = fs::remove_file(evicted);
        }
    }

    /// Marks `path` as used, or records it (a file another store wrote).
    fn touch_or_insert(&mut self, path: PathBuf, expires: UnixTime) {
        if self.0.get_mut(&path).is_none() {
            self.insert(path, expires);
        }
    }

    fn remove(&mut self, path: &Path) {
        self.0.remove(path);
    }
}

impl core::fmt::Debug for FileServerStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FileServerStore")
            .field("dir", &self.dir)
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl FileServerStore {
    /// A store in `dir` (created if missing) of
    /// [`DEFAULT_SERVER_STORE_CAPACITY`] sessions kept at most
    /// [`DEFAULT_LIFETIME_SECS`], timed by `clock`. Fails with
    /// [`Error::InvalidRequest`] when `dir` cannot be
    /// created or is not a directory.
    pub fn new(dir: impl Into<PathBuf>, clock: Arc<dyn Clock>) -> Result<Self, Error> {
        Self::with_limits(
            dir,
            DEFAULT_SERVER_STORE_CAPACITY,
            DEFAULT_LIFETIME_SECS,
            clock,
        )
    }

    /// A store in `dir` of at most `capacity` sessions (at least 1) kept at
    /// most `lifetime_secs` seconds, capped at [`MAX_LIFETIME_SECS`].
    /// Fails as [`FileServerStore::new`].
    pub fn with_limits(
        dir: impl Into<PathBuf>,
        capacity: usize,
        lifetime_secs: u32,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, Error> {
        let dir = dir.into();
        fs::create_dir_all(&dir)
            .map_err(|_| Error::InvalidRequest(InvalidRequestReason::SessionDirCreate))?;
        if !dir.is_dir() {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::SessionDirNotDir,
            ));
        }
        let store = Self {
            dir,
            capacity: capacity.max(1),
            lifetime: Duration::from_secs(u64::from(lifetime_secs.min(MAX_LIFETIME_SECS))),
            clock,
            index: Mutex::new(Index::new(capacity.max(1))),
        };
        store.build_index();
        Ok(store)
    }

    /// How many sessions the store's index holds, expired ones not yet
    /// removed included.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the index holds no session.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, Index> {
        self.index.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Lists the directory once: deletes the session files that are
    /// expired or unreadable and indexes the others, the soonest to expire
    /// as the least recently used, so that over capacity those go first.
    fn build_index(&self) {
        let now = self.clock.now();
        let mut files = Vec::new();
        if let Ok(listing) = fs::read_dir(&self.dir) {
            for path in listing.filter_map(Result::ok).map(|e| e.path()) {
                let is_session = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(FILE_SUFFIX) && !n.starts_with('.'));
                if !is_session {
                    continue;
                }
                match read_expiry(&path) {
                    Some(expires) if expires > now => files.push((expires, path)),
                    _ => {
                        let _ = fs::remove_file(&path);
                    }
                }
            }
        }
        files.sort_unstable();
        let mut index = self.lock();
        for (expires, path) in files {
            index.insert(path, expires);
        }
    }

    /// The file for `key`, or `None` for a key that is empty or too long.
    fn path_for(&self, key: &[u8]) -> Option<PathBuf> {
        (!key.is_empty() && key.len() <= MAX_FILE_STORE_KEY_LEN)
            .then(|| self.dir.join(format!("{}{FILE_SUFFIX}", hex::encode(key))))
    }

    /// A fresh name in the directory for a temporary file.
    fn temp_path(&self, what: &str) -> PathBuf {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        self.dir
            .join(format!(".{what}.{}.{n}.tmp", std::process::id()))
    }
}

/// The expiry at the start of the file at `path`.
fn read_expiry(path: &Path) -> Option<UnixTime> {
    let mut head = [0u8; EXPIRY_LEN];
    let mut file = fs::File::open(path).ok()?;
    std::io::Read::read_exact(&mut file, &mut head).ok()?;
    Some(UnixTime::from_secs(u64::from_be_bytes(head)))
}

/// The expiry at the start of `bytes` (a whole file).
fn file_expiry(bytes: &[u8]) -> Option<UnixTime> {
    let head = bytes.get(..EXPIRY_LEN)?;
    Some(UnixTime::from_secs(u64::from_be_bytes(
        head.try_into().ok()?,
    )))
}

/// The state in `bytes` (a whole file) if it has not expired at `now`.
fn decode_file(bytes: &[u8], now: UnixTime) -> Option<ServerSessionState> {
    if file_expiry(bytes)? <= now {
        return None;
    }
    ServerSessionState::from_bytes(bytes.get(EXPIRY_LEN..)?).ok()
}

/// Writes `bytes` to `temp` and renames it to `path`.
fn write_atomically(temp: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The file holds a master secret: readable by its owner only.
        options.mode(0o600);
    }
    // No fsync: a session cache may lose entries in a crash (module
    // documentation).
    let written = options.open(temp).and_then(|mut f| f.write_all(bytes));
    match written.and_then(|()| fs::rename(temp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = fs::remove_file(temp);
            Err(e)
        }
    }
}

impl ServerSessionStore for FileServerStore {
    fn put(&self, key: &[u8], state: ServerSessionState) -> bool {
        let Some(path) = self.path_for(key) else {
            return false;
        };
        let now = self.clock.now();
        let expires = state
            .validity
            .expires_at()
            .min(now.saturating_add(self.lifetime));
        if expires <= now {
            return false;
        }
        let Ok(encoded) = state.to_bytes() else {
            return false;
        };
        // The file's bytes hold the secret in clear: wiped on drop.
        let mut bytes = Zeroizing::new(Vec::with_capacity(EXPIRY_LEN + encoded.len()));
        bytes.extend_from_slice(&expires.as_secs().to_be_bytes());
        bytes.extend_from_slice(&encoded);
        // Under the lock, the write and the eviction are one step for every
        // thread: the index never exceeds the capacity.
        let mut index = self.lock();
        if write_atomically(&self.temp_path("put"), &path, &bytes).is_err() {
            return false;
        }
        index.insert(path, expires);
        true
    }

    fn get(&self, key: &[u8]) -> Option<ServerSessionState> {
        let path = self.path_for(key)?;
        let read = fs::read(&path).map(Zeroizing::new);
        let state = read
            .as_ref()
            .ok()
            .and_then(|bytes| decode_file(bytes, self.clock.now()));
        let mut index = self.lock();
        match (&read, &state) {
            // Used now; a file another store wrote is bounded by this one
            // from now on.
            (Ok(bytes), Some(_)) => {
                if let Some(expires) = file_expiry(bytes) {
                    index.touch_or_insert(path, expires);
                }
            }
            (Err(_), Some(_)) => {}
            (Ok(_), None) => {
                let _ = fs::remove_file(&path);
                index.remove(&path);
            }
            (Err(_), None) => index.remove(&path),
        }
        state
    }

    fn take(&self, key: &[u8]) -> Option<ServerSessionState> {
        let path = self.path_for(key)?;
        self.lock().remove(&path);
        // Claim the file first: of several takers, one rename succeeds.
        let claimed = self.temp_path("take");
        fs::rename(&path, &claimed).ok()?;
        let bytes = fs::read(&claimed).map(Zeroizing::new);
        let _ = fs::remove_file(&claimed);
        decode_file(&bytes.ok()?, self.clock.now())
    }
}
