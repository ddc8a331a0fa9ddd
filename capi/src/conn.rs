//! Connections for C: a sans-IO [`Connection`] of either role, a transport
//! (a borrowed file descriptor or two callbacks), and the calls of
//! [`Stream`] over them. They block as the transport blocks; a transport
//! that would block (a non-blocking descriptor, or a callback failing
//! with `EAGAIN`) makes them return `FERROTLS_E_AGAIN`, with everything
//! the connection had read or queued kept for the next call.
//!
//! A client connection is started (its ClientHello built) at the first
//! handshake, send or receive, so that `ferrotls_session_set_data` can
//! still choose the session it resumes ([`Client`]).

use core::ffi::{c_int, c_void, CStr};
use std::ffi::CString;
use std::fs::File;
use std::io::{self, Read, Write};
use std::mem::ManuallyDrop;
use std::os::fd::{FromRawFd, RawFd};
use std::sync::OnceLock;

use ferrotls::{
    ClientConnection, ClientSessionData, Connection, Error, ServerConnection, ServerName, Stream,
};

use super::config::{CClientConfig, CServerConfig, ClientSnapshot};
use super::{
    copy_out, data_arg, free_handle, guard, guard_count, guard_int, handle, handle_mut, put_out,
    Code,
};

/// `ferrotls_pull_fn`: reads up to `len` bytes into `buf`; returns how
/// many (0 at the end of the stream) or a negative value on failure, with
/// `errno` `EAGAIN` or `EWOULDBLOCK` when it would block. It may block.
pub type PullFn = unsafe extern "C" fn(user: *mut c_void, buf: *mut c_void, len: usize) -> isize;

/// `ferrotls_push_fn`: writes up to `len` bytes from `buf`; returns how
/// many (at least 1) or a negative value on failure, with `errno` as for
/// [`PullFn`]. It may block.
pub type PushFn = unsafe extern "C" fn(user: *mut c_void, buf: *const c_void, len: usize) -> isize;

/// Where a connection's TLS bytes go.
enum Transport {
    /// A descriptor the caller owns and keeps open; never closed here.
    Fd(ManuallyDrop<File>),
    /// The caller's callbacks and their context pointer.
    Callbacks {
        pull: PullFn,
        push: PushFn,
        user: *mut c_void,
    },
}

/// The count a callback returned; for a negative value, the error in
/// `errno` (which the callback set just before returning), so `EAGAIN`
/// and `EWOULDBLOCK` become `WouldBlock` and `EINTR` `Interrupted`; an
/// error too if it claims more than it was given.
fn callback_count(n: isize, len: usize) -> io::Result<usize> {
    if n < 0 {
        let errno = io::Error::last_os_error();
        return match errno.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Err(errno),
            _ => Err(io::Error::other("transport callback failed")),
        };
    }
    usize::try_from(n)
        .ok()
        .filter(|&n| n <= len)
        .ok_or_else(|| io::Error::other("transport callback claimed more than its buffer"))
}

/// Calls `op` again while it is interrupted (`EINTR`): a signal is not a
/// reason to give up or to return to C.
fn retry_interrupted(mut op: impl FnMut() -> io::Result<usize>) -> io::Result<usize> {
    loop {
        match op() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

impl Read for Transport {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Transport::Fd(file) => retry_interrupted(|| file.read(buf)),
            Transport::Callbacks { pull, user, .. } => retry_interrupted(|| {
                // SAFETY: the caller of `ferrotls_conn_set_callbacks`
                // guarantees `pull` may be called with its `user` pointer
                // and a buffer valid for `len` bytes of writes, which `buf`
                // is.
                let n = unsafe { pull(*user, buf.as_mut_ptr().cast(), buf.len()) };
                callback_count(n, buf.len())
            }),
        }
    }
}

impl Write for Transport {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Transport::Fd(file) => retry_interrupted(|| file.write(buf)),
            Transport::Callbacks { push, user, .. } => retry_interrupted(|| {
                // SAFETY: as for `pull`; `buf` is valid for `len` bytes of
                // reads.
                let n = unsafe { push(*user, buf.as_ptr().cast(), buf.len()) };
                match callback_count(n, buf.len())? {
                    0 if !buf.is_empty() => Err(io::ErrorKind::WriteZero.into()),
                    n => Ok(n),
                }
            }),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The role of a connection and its sans-IO state.
enum Role {
    /// A client, started at its first use.
    Client(Client),
    /// A server, waiting for its ClientHello.
    Server {
        conn: ServerConnection,
        /// What it asked of the client and still waits for, when the call
        /// that asked returned before the answer.
        asked: Option<Ask>,
    },
}

/// A client connection: its configuration, the session to offer, and
/// the connection, made at its first use (a handshake, send or receive),
/// so that `ferrotls_session_set_data` can still choose the session.
struct Client {
    snapshot: ClientSnapshot,
    /// The session to offer first, exported by another connection and
    /// parsed once, by `ferrotls_session_set_data`; it holds the
    /// session's secret, wiped on drop.
    import: Option<ClientSessionData>,
    conn: Option<ClientConnection>,
}

impl Client {
    /// The connection, if started.
    fn started(&self) -> Option<&ClientConnection> {
        self.conn.as_ref()
    }

    /// The connection, started now (its ClientHello built, offering the
    /// imported session if there is one) if it was not.
    fn start(&mut self) -> Result<&mut ClientConnection, Code> {
        let conn = match self.conn.take() {
            Some(conn) => conn,
            None => {
                let config = self.snapshot.config.clone();
                let name = ServerName::clone(&self.snapshot.server_name);
                match self.import.take() {
                    Some(session) => ClientConnection::resume_session(config, name, session)?,
                    None => ClientConnection::new(config, name)?,
                }
            }
        };
        Ok(self.conn.insert(conn))
    }

    /// Keeps `session`, exported bytes, to offer when the connection
    /// starts, in place of one kept before; the bytes are parsed here, by
    /// the configuration's clock, and an error (bytes that do not parse,
    /// a session that has expired) changes nothing.
    /// [`Code::InvalidRequest`] with resumption off or once started.
    fn import(&mut self, session: &[u8]) -> Result<(), Code> {
        if !self.snapshot.resumption || self.conn.is_some() {
            return Err(Code::InvalidRequest);
        }
        let now = self.snapshot.config.common.clock.now();
        self.import = Some(ClientSessionData::from_bytes(session, now)?);
        Ok(())
    }
}

/// `ferrotls_conn`: one TLS connection and its transport.
pub struct CConn {
    role: Role,
    transport: Option<Transport>,
    /// The text of the connection's error, made when C first asks.
    error_text: OnceLock<CString>,
}

impl CConn {
    /// The connection, if started (a server always is).
    pub(super) fn connection(&self) -> Option<&Connection> {
        match &self.role {
            Role::Client(client) => client.started().map(|conn| &**conn),
            Role::Server { conn, .. } => Some(conn),
        }
    }

    /// The server connection; [`Code::InvalidRequest`] for a client.
    pub(super) fn server_mut(&mut self) -> Result<&mut ServerConnection, Code> {
        match &mut self.role {
            Role::Server { conn, .. } => Ok(conn),
            Role::Client(_) => Err(Code::InvalidRequest),
        }
    }

    /// The server connection; [`Code::InvalidRequest`] for a client.
    pub(super) fn server(&self) -> Result<&ServerConnection, Code> {
        match &self.role {
            Role::Server { conn, .. } => Ok(conn),
            Role::Client(_) => Err(Code::InvalidRequest),
        }
    }

    /// The text of the error that ended the connection (its `Display`,
    /// which names the reason), NUL-terminated; kept with the connection,
    /// whose first error stays its only one.
    pub(super) fn error_text(&self) -> Option<&CStr> {
        let error = self.connection()?.error()?;
        let text = self.error_text.get_or_init(|| {
            // Text from peer data could hold a NUL; shown, not cut at.
            CString::new(error.to_string().replace('\0', "\\0")).unwrap_or_default()
        });
        Some(text)
    }

    /// The client connection, `None` before it starts;
    /// [`Code::InvalidRequest`] for a server or a client with resumption
    /// off (the callers handle sessions).
    pub(super) fn resuming_client(&self) -> Result<Option<&ClientConnection>, Code> {
        match &self.role {
            Role::Client(client) if client.snapshot.resumption => Ok(client.started()),
            _ => Err(Code::InvalidRequest),
        }
    }

    /// Offers `session` (exported bytes) when the client starts
    /// ([`Client::import`]); [`Code::InvalidRequest`] unless this is a
    /// client with resumption on that has not started yet.
    pub(super) fn import_session(&mut self, session: &[u8]) -> Result<(), Code> {
        match &mut self.role {
            Role::Client(client) => client.import(session),
            Role::Server { .. } => Err(Code::InvalidRequest),
        }
    }

    /// Asks the client for `ask` and waits for the answer
    /// ([`await_answer`]), blocking as the transport does. After
    /// [`Code::Again`] or [`Code::GotApplicationData`] the request is
    /// not sent again: the next call for the same `ask` goes on waiting
    /// for its answer, which a receive call in between may have read.
    /// [`Code::InvalidRequest`] for a client, a server without a
    /// transport, and a request the connection refuses to send.
    fn ask_client(&mut self, ask: Ask) -> Result<(), Code> {
        let Role::Server { conn, asked } = &mut self.role else {
            return Err(Code::InvalidRequest);
        };
        let transport = self.transport.as_mut().ok_or(Code::InvalidRequest)?;
        if *asked != Some(ask) {
            ask.send(conn)?;
            *asked = Some(ask);
        }
        let result = await_answer(conn, transport, ask);
        if !matches!(result, Err(Code::Again | Code::GotApplicationData)) {
            *asked = None;
        }
        result
    }

    /// Runs `f` over the connection (started now if it is a client that
    /// was not) and its transport, blocking as the transport does. A
    /// connection that has failed fails `f` with its error even when `f`
    /// found nothing left to do: the alert a failure queued may have gone
    /// out only on this call, after an earlier one returned
    /// [`Code::Again`].
    fn drive<R>(
        &mut self,
        f: impl FnOnce(&mut Stream<'_, &mut Connection, Transport>) -> io::Result<R>,
    ) -> Result<R, Code> {
        let transport = self.transport.as_mut().ok_or(Code::InvalidRequest)?;
        let mut conn: &mut Connection = match &mut self.role {
            Role::Client(client) => client.start()?,
            Role::Server { conn, .. } => conn,
        };
        let result = f(&mut Stream::new(&mut conn, transport)).map_err(Code::from)?;
        match conn.error() {
            Some(error) => Err(Code::of_error(error)),
            None => Ok(result),
        }
    }
}

/// What a server asks of its client after the handshake, whose answer
/// it then waits for ([`CConn::ask_client`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// A certificate, by a post-handshake CertificateRequest (TLS 1.3,
    /// RFC 8446 §4.6.2).
    Certificate,
    /// A new handshake, by a HelloRequest (TLS ≤1.2, RFC 5246 §7.4.1.1,
    /// RFC 5746).
    Renegotiation,
}

impl Ask {
    /// Queues the request.
    fn send(self, conn: &mut ServerConnection) -> Result<(), Error> {
        match self {
            Ask::Certificate => conn.request_client_certificate(),
            Ask::Renegotiation => conn.renegotiate(),
        }
    }

    /// Whether the client's answer has been received and checked.
    fn answered(self, conn: &ServerConnection) -> bool {
        match self {
            Ask::Certificate => conn.pending_certificate_requests() == 0,
            Ask::Renegotiation => !conn.is_renegotiating(),
        }
    }
}

/// Reads records until the client's answer to `ask` is in, sending what
/// the connection queues meanwhile (the request first, an alert on
/// failure). The client's application data that comes before it is kept
/// for the receive calls; [`Code::GotApplicationData`] when it fills the
/// connection's receive buffer, so nothing more can be read, and
/// [`Code::PrematureEof`] when the client closed, or its transport ended,
/// before answering.
fn await_answer(
    conn: &mut ServerConnection,
    transport: &mut Transport,
    ask: Ask,
) -> Result<(), Code> {
    loop {
        // What is queued goes first, also the alert of a failure that an
        // earlier call could not send.
        conn.complete_io_until_writable(transport)?;
        if ask.answered(conn) {
            return Ok(());
        }
        if !conn.wants_read() {
            // A failed connection fails here with its error.
            let unread = conn.process_new_packets()?.plaintext_bytes_to_read;
            return Err(if unread > 0 {
                Code::GotApplicationData
            } else {
                Code::PrematureEof
            });
        }
        conn.complete_io(transport)?;
    }
}

/// Creates a client connection in `*out` with the settings `config` has
/// now (it needs a CA file and a server name). Set a transport before the
/// handshake.
///
/// # Safety
/// `out` must be NULL or valid for writes; `config` NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_new_client(
    out: *mut *mut CConn,
    config: *const CClientConfig,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let snapshot = unsafe { handle(config) }?.snapshot()?;
        let conn = CConn {
            role: Role::Client(Client {
                snapshot,
                conn: None,
                import: None,
            }),
            transport: None,
            error_text: OnceLock::new(),
        };
        // SAFETY: forwarded from the caller.
        unsafe { put_out(out, conn) }
    })
}

/// Creates a server connection in `*out` with the settings `config` has
/// now. Set a transport before the handshake.
///
/// # Safety
/// `out` must be NULL or valid for writes; `config` NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_new_server(
    out: *mut *mut CConn,
    config: *const CServerConfig,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let config = unsafe { handle(config) }?.snapshot()?;
        let conn = CConn {
            role: Role::Server {
                conn: ServerConnection::new(config),
                asked: None,
            },
            transport: None,
            error_text: OnceLock::new(),
        };
        // SAFETY: forwarded from the caller.
        unsafe { put_out(out, conn) }
    })
}

/// Carries the connection over the descriptor `fd` (a connected stream
/// socket or pipe). The caller keeps owning `fd` and must keep it open
/// until the connection is freed or given another transport; ferrotls
/// never closes it. Writes use `write(2)`: a program that must survive a
/// vanished peer ignores `SIGPIPE`. On a non-blocking descriptor
/// (`O_NONBLOCK`), calls return `FERROTLS_E_AGAIN` where they would block.
///
/// # Safety
/// `conn` must be NULL or live; `fd` must stay open as said above.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_set_fd(conn: *mut CConn, fd: c_int) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, used by no other thread, per the
        // caller.
        let c = unsafe { handle_mut(conn) }?;
        if fd < 0 {
            return Err(Code::InvalidRequest);
        }
        // SAFETY: `fd` is open and stays open while the connection uses it
        // (the caller's promise); `ManuallyDrop` keeps the `File` from
        // closing what it does not own.
        let file = ManuallyDrop::new(unsafe { File::from_raw_fd(fd as RawFd) });
        c.transport = Some(Transport::Fd(file));
        Ok(())
    })
}

/// Carries the connection over two callbacks, each called with `user`.
///
/// # Safety
/// `conn` must be NULL or live; `pull` and `push` must be safe to call
/// with `user` and a buffer of the given length until the connection is
/// freed or given another transport.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_set_callbacks(
    conn: *mut CConn,
    pull: Option<PullFn>,
    push: Option<PushFn>,
    user: *mut c_void,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, used by no other thread, per the
        // caller.
        let c = unsafe { handle_mut(conn) }?;
        let (pull, push) = pull.zip(push).ok_or(Code::InvalidRequest)?;
        c.transport = Some(Transport::Callbacks { pull, push, user });
        Ok(())
    })
}

/// Runs the handshake until application data may be sent, blocking on
/// the transport (`FERROTLS_E_AGAIN` if it would block: call again when
/// it is ready): to its end, but for a TLS 1.2 client with False Start on
/// only through its Finished when the handshake allows a False Start
/// (RFC 7918), and for a TLS 1.3 server with half-RTT data on only
/// through its Finished (RFC 8446 §4.4.4), as GnuTLS's `gnutls_handshake`
/// returns under `GNUTLS_ENABLE_FALSE_START` and
/// `GNUTLS_ENABLE_EARLY_START`. [`ferrotls_conn_handshake_complete`]
/// tells which; the rest of the handshake then runs in the next receive.
/// On failure the alert due to the peer has been sent, and every later
/// call fails the same way.
///
/// # Safety
/// `conn` must be NULL or live, and not used by another thread meanwhile.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_handshake(conn: *mut CConn) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, used by no other thread, per the
        // caller.
        unsafe { handle_mut(conn) }?.drive(|s| {
            s.conn.complete_io_until_writable(s.sock)?;
            Ok(())
        })
    })
}

/// A yes/no query of a connection: 1, 0, or an error code.
///
/// # Safety
/// `conn` must be NULL or live.
pub(crate) unsafe fn flag(conn: *const CConn, query: fn(&Connection) -> bool) -> c_int {
    guard_int(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(conn) }?;
        Ok(c_int::from(c.connection().is_some_and(query)))
    })
}

/// A byte-string query of a connection, copied to `out` under the size
/// convention of `ferrotls_session_get_id`: empty when the connection has
/// not started or `query` finds nothing.
///
/// # Safety
/// `conn` must be NULL or live; `size` NULL or valid for reads and
/// writes; `out` NULL or valid for `*size` bytes of writes.
pub(crate) unsafe fn copy_field(
    conn: *const CConn,
    out: *mut c_void,
    size: *mut usize,
    query: fn(&Connection) -> Option<&[u8]>,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(conn) }?;
        let bytes = c.connection().and_then(query).unwrap_or_default();
        // SAFETY: the size and buffer pointers are as `copy_out` needs,
        // per the caller.
        unsafe { copy_out(bytes, out, size) }
    })
}

/// 1 once the handshake has completed, 0 while it runs (before it
/// starts, and where [`ferrotls_conn_handshake`] returned at a False
/// Start or for half-RTT data) and after a failure,
/// `FERROTLS_E_INVALID_REQUEST` for NULL.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_handshake_complete(conn: *const CConn) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { flag(conn, |c| !c.is_handshaking() && c.error().is_none()) }
}

/// Sends application data, finishing the handshake first if needed (or,
/// in a TLS 1.2 False Start, as far as the client's Finished). Returns
/// how many of the `len` bytes were taken (at least 1 when `len` is not
/// 0), or a negative error code: `FERROTLS_E_AGAIN` when the
/// transport would block with nothing taken. Taken bytes whose records
/// the transport would not take yet go at the next call.
///
/// # Safety
/// `conn` must be NULL or live; `data` NULL or valid for `len` bytes of
/// reads.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_send(
    conn: *mut CConn,
    data: *const c_void,
    len: usize,
) -> isize {
    guard_count(|| {
        // SAFETY: NULL or valid for `len` bytes of reads, per the caller.
        let data = unsafe { data_arg(data, len) }?;
        // SAFETY: a live handle or NULL, used by no other thread, per the
        // caller.
        unsafe { handle_mut(conn) }?.drive(|s| {
            // Data may go before the handshake's end in a False Start
            // (RFC 7918); otherwise the handshake completes first.
            if s.conn.is_handshaking() {
                s.conn.complete_io_until_writable(s.sock)?;
            }
            // What is queued goes first, as far as the transport takes it;
            // the writer then refuses `data` (`WouldBlock`) only if the
            // queue is still full, and nothing of `data` was taken.
            unless_would_block(s.flush())?;
            let n = s.conn.writer().write(data)?;
            // `data` was taken: its records go now, or, if the transport
            // would block, at the next call.
            unless_would_block(s.flush())?;
            Ok(n)
        })
    })
}

/// Queues `len` bytes of `data` as 0-RTT data (RFC 8446 §4.2.10), sent
/// with the ClientHello by the next handshake, send or receive. Only a
/// client with early data on whose stored session (or the one set by
/// `ferrotls_session_set_data`) is a TLS 1.3 ticket allowing it may, and
/// only until the server's answer is read (before
/// `ferrotls_conn_handshake`, or between its `FERROTLS_E_AGAIN`
/// returns): otherwise `FERROTLS_E_INVALID_REQUEST`. Returns how many
/// bytes were taken (at most the ticket's `max_early_data_size` in all).
/// Whether the server accepted them shows in
/// `ferrotls_conn_early_data_status` after the handshake; if it rejected
/// them they were not delivered, and the program sends them again with
/// `ferrotls_conn_send`.
///
/// # Safety
/// `conn` must be NULL or live; `data` NULL or valid for `len` bytes of
/// reads.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_write_early_data(
    conn: *mut CConn,
    data: *const c_void,
    len: usize,
) -> isize {
    guard_count(|| {
        // SAFETY: NULL or valid for `len` bytes of reads, per the caller.
        let data = unsafe { data_arg(data, len) }?;
        // SAFETY: a live handle or NULL, used by no other thread, per the
        // caller.
        match &mut unsafe { handle_mut(conn) }?.role {
            Role::Client(client) => Ok(client.start()?.write_early_data(data)?),
            Role::Server { .. } => Err(Code::InvalidRequest),
        }
    })
}

/// `result`, with `WouldBlock` counted as success: for a flush whose
/// records may wait for the next call.
fn unless_would_block(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(()),
        other => other,
    }
}

/// Receives application data into `buf`, finishing the handshake first if
/// needed, blocking until some arrives (`FERROTLS_E_AGAIN` if the
/// transport would block first). Returns how many bytes were
/// written (0 once the peer has sent close_notify), or a negative error
/// code.
///
/// # Safety
/// `conn` must be NULL or live; `buf` NULL or valid for `len` bytes of
/// writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_recv(
    conn: *mut CConn,
    buf: *mut c_void,
    len: usize,
) -> isize {
    guard_count(|| {
        if buf.is_null() {
            return Err(Code::InvalidRequest);
        }
        // Zeroed before it becomes a Rust slice, so no uninitialised byte
        // is ever read through it.
        // SAFETY: not NULL, valid for `len` bytes of writes per the caller.
        unsafe { core::ptr::write_bytes(buf.cast::<u8>(), 0, len) };
        // SAFETY: valid for `len` bytes, now initialised, not aliased
        // during the call.
        let buf = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), len) };
        // SAFETY: a live handle or NULL, used by no other thread, per the
        // caller.
        unsafe { handle_mut(conn) }?.drive(|s| s.read(buf))
    })
}

/// Sends close_notify (RFC 8446 §6.1); sending afterwards is refused.
/// Receiving stays possible until the peer's close_notify.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_close(conn: *mut CConn) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, used by no other thread, per the
        // caller.
        let c = unsafe { handle_mut(conn) }?;
        if c.connection().is_none() {
            return Err(Code::InvalidRequest);
        }
        c.drive(|s| {
            s.conn.send_close_notify();
            s.flush()
        })
    })
}

/// `FERROTLS_KU_PEER`, a flag of [`ferrotls_conn_update_key`] (GnuTLS's
/// `GNUTLS_KU_PEER`, of the same value): the peer is asked to update its
/// keys too (`update_requested`, RFC 8446 §4.6.3).
pub const KU_PEER: c_int = 1;

/// Updates the keys this side sends under, TLS 1.3 (RFC 8446 §4.6.3), as
/// GnuTLS's `gnutls_session_key_update` does: sends a KeyUpdate and
/// protects what follows under the next traffic secret
/// (`Connection::refresh_traffic_keys`). With `flags` holding
/// [`KU_PEER`], the KeyUpdate asks the peer to update its own, which it
/// does in answer, before its next data (read by the next receive); 0
/// asks nothing. The KeyUpdate goes at once, or, when the transport would
/// block, waits in the queue for the next call (or
/// `ferrotls_conn_flush`): it is never sent twice.
/// `FERROTLS_E_INVALID_REQUEST` for NULL, another flag, a connection
/// whose TLS 1.3 handshake has not completed or that is not TLS 1.3, and
/// once `MAX_KEY_UPDATES_SENT` KeyUpdates have gone; the connection's
/// error if it has failed.
///
/// # Safety
/// `conn` must be NULL or live, and not used by another thread meanwhile.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_update_key(conn: *mut CConn, flags: c_int) -> c_int {
    guard(|| {
        if flags & !KU_PEER != 0 {
            return Err(Code::InvalidRequest);
        }
        // SAFETY: a live handle or NULL, used by no other thread, per the
        // caller.
        let c = unsafe { handle_mut(conn) }?;
        // A client not yet started has no keys to update, and is not
        // started here.
        if c.connection().is_none() {
            return Err(Code::InvalidRequest);
        }
        c.drive(|s| {
            s.conn
                .refresh_traffic_keys(flags & KU_PEER != 0)
                .map_err(io::Error::other)?;
            unless_would_block(s.flush())
        })
    })
}

/// Asks the client for a certificate after a TLS 1.3 handshake
/// (post-handshake authentication, RFC 8446 §4.6.2), as GnuTLS's
/// `gnutls_reauth` does on a server: sends a CertificateRequest
/// (`ServerConnection::request_client_certificate`) asking as
/// `ferrotls_server_config_set_post_handshake_ca_file` said, then reads
/// until the client's answer has been received and checked
/// ([`CConn::ask_client`]). 0 then: a certificate that passed is the
/// peer's (`ferrotls_conn_get_peer_certificate`), and an optional one
/// not sent leaves the peer's as they were. A client's application data
/// before its answer is kept for `ferrotls_conn_recv`;
/// `FERROTLS_E_GOT_APPLICATION_DATA` when it fills the receive buffer,
/// and `FERROTLS_E_AGAIN` when the transport would block: call again
/// (after receiving the data), which waits for the same answer. A chain
/// that does not pass, or none when one is required, ends the
/// connection (its code; the alert has been sent).
/// `FERROTLS_E_INVALID_REQUEST` for NULL, a client, a server without a
/// transport or whose TLS 1.3 handshake has not completed, under TLS 1.2
/// or earlier (which have no such message: see
/// [`ferrotls_conn_rehandshake`]), when the client did not
/// offer post-handshake authentication, and when no CA file was set for
/// it; nothing is sent then.
///
/// # Safety
/// `conn` must be NULL or live, and not used by another thread meanwhile.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_reauth(conn: *mut CConn) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, used by no other thread, per the
        // caller.
        unsafe { handle_mut(conn) }?.ask_client(Ask::Certificate)
    })
}

/// Asks the client to renegotiate after a TLS 1.0–1.2 handshake (secure
/// renegotiation, RFC 5746), as GnuTLS's `gnutls_rehandshake` and the
/// server's `gnutls_handshake` after it do: sends a HelloRequest
/// (RFC 5246 §7.4.1.1; `ServerConnection::renegotiate`), then reads until
/// the client has answered ([`CConn::ask_client`]): with a new full
/// handshake, under the current keys, which asks for a client
/// certificate as `ferrotls_server_config_set_post_handshake_ca_file`
/// says (as the first handshake did without it), or with a refusal (a
/// no_renegotiation warning, RFC 5246 §7.2.2), after which the
/// connection goes on as it was. 0 either way; `ferrotls_conn_renegotiations`
/// counts one more after a renegotiation, whose peer certificates and
/// session ID are then the connection's. Application data, the
/// transport, the client closing and a refused certificate as for
/// [`ferrotls_conn_reauth`]; a client that ignores the request leaves the
/// call waiting, as GnuTLS's does. `FERROTLS_E_INVALID_REQUEST`, with
/// nothing sent, for NULL, a client, a server without a transport or
/// whose handshake has not completed, under TLS 1.3 (which has no
/// renegotiation: see [`ferrotls_conn_reauth`]), when renegotiation is off
/// (`ferrotls_server_config_set_renegotiation`), when the client did not
/// signal secure renegotiation (RFC 5746 §4.3), and once
/// `DEFAULT_MAX_RENEGOTIATIONS` renegotiations were accepted.
///
/// # Safety
/// `conn` must be NULL or live, and not used by another thread meanwhile.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_rehandshake(conn: *mut CConn) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, used by no other thread, per the
        // caller.
        unsafe { handle_mut(conn) }?.ask_client(Ask::Renegotiation)
    })
}

/// Sends the records queued for the peer: 0 once all are sent,
/// `FERROTLS_E_AGAIN` if the transport would block first. Nothing is
/// queued on a client not yet started.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_flush(conn: *mut CConn) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, used by no other thread, per the
        // caller.
        let c = unsafe { handle_mut(conn) }?;
        if c.connection().is_none() {
            return Ok(());
        }
        c.drive(|s| s.flush())
    })
}

/// 1 if records wait to be sent (after `FERROTLS_E_AGAIN`, wait until the
/// transport can be written), 0 if not (wait until it can be read),
/// `FERROTLS_E_INVALID_REQUEST` for NULL.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_wants_write(conn: *const CConn) -> c_int {
    guard_int(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(conn) }?;
        Ok(c_int::from(
            c.connection().is_some_and(Connection::wants_write),
        ))
    })
}

/// Frees a connection (without sending anything; see
/// `ferrotls_conn_close`).
///
/// # Safety
/// `conn` must be NULL or a live handle, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_free(conn: *mut CConn) {
    // SAFETY: forwarded from the caller.
    unsafe { free_handle(conn) }
}
