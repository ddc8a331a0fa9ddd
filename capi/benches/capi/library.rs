//! The C library as a C program gets it: `libferrotls.so`, built from
//! this tree by cargo when the bench starts (a no-op when it is up to
//! date), loaded with `dlopen`, each function looked up by its name in
//! `include/ferrotls.h` and called through a pointer of the header's
//! prototype.

use core::ffi::{c_char, c_int, c_void, CStr};
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::cargo_env;

/// A pointer to an opaque handle of the header (`ferrotls_conn *`,
/// `ferrotls_client_config *`, ...).
pub type Handle = *mut c_void;
/// `ferrotls_pull_fn`.
pub type PullFn = unsafe extern "C" fn(user: *mut c_void, buf: *mut c_void, len: usize) -> isize;
/// `ferrotls_push_fn`.
pub type PushFn = unsafe extern "C" fn(user: *mut c_void, buf: *const c_void, len: usize) -> isize;

/// `FERROTLS_SUCCESS`.
pub const SUCCESS: c_int = 0;
/// `FERROTLS_E_AGAIN`.
pub const E_AGAIN: c_int = -28;
/// `FERROTLS_TLS1_2`.
pub const TLS1_2: u16 = 0x0303;
/// `FERROTLS_TLS1_3`.
pub const TLS1_3: u16 = 0x0304;

// glibc (libc.so.6 since 2.34, and libdl.so.2 before it).
#[link(name = "dl")]
extern "C" {
    fn dlopen(filename: *const c_char, flags: c_int) -> *mut c_void;
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
    fn dlerror() -> *const c_char;
}

/// `RTLD_NOW`: every symbol bound at load time.
const RTLD_NOW: c_int = 2;

/// The text of the latest `dlopen`/`dlsym` failure.
fn dl_error() -> String {
    // SAFETY: dlerror returns NULL or a NUL-terminated string valid until
    // the next dl call; it is copied at once.
    unsafe {
        let text = dlerror();
        if text.is_null() {
            "unknown dl error".to_owned()
        } else {
            CStr::from_ptr(text).to_string_lossy().into_owned()
        }
    }
}

/// The table of the C functions the bench calls: `ferrotls_` + field
/// name, with the header's prototype.
macro_rules! functions {
    ($($field:ident: fn($($arg:ty),*) $(-> $ret:ty)?;)*) => {
        /// The C functions, looked up in the loaded library.
        pub struct Capi {
            $(pub $field: unsafe extern "C" fn($($arg),*) $(-> $ret)?,)*
        }

        impl Capi {
            /// Looks every function up in `lib`, a `dlopen` handle.
            ///
            /// # Safety
            /// `lib` must be a live handle of a library whose symbols of
            /// these names have these prototypes (`ferrotls.h`).
            unsafe fn look_up(lib: *mut c_void) -> Result<Self, String> {
                Ok(Self {
                    $($field: {
                        let name = concat!("ferrotls_", stringify!($field), "\0");
                        // SAFETY: a live handle, a NUL-terminated name.
                        let ptr = unsafe { dlsym(lib, name.as_ptr().cast()) };
                        if ptr.is_null() {
                            return Err(format!("{}: {}", name.trim_end_matches('\0'), dl_error()));
                        }
                        // SAFETY: the symbol is this function, of this
                        // prototype, per the caller.
                        unsafe {
                            core::mem::transmute::<*mut c_void, unsafe extern "C" fn($($arg),*) $(-> $ret)?>(ptr)
                        }
                    },)*
                })
            }
        }
    };
}

functions! {
    strerror: fn(c_int) -> *const c_char;
    client_config_new: fn(*mut Handle) -> c_int;
    client_config_set_ca_file: fn(Handle, *const c_char) -> c_int;
    client_config_set_server_name: fn(Handle, *const c_char) -> c_int;
    client_config_set_versions: fn(Handle, u16, u16) -> c_int;
    client_config_set_tickets: fn(Handle, c_int) -> c_int;
    client_config_set_cipher_suites: fn(Handle, *const c_char) -> c_int;
    client_config_set_groups: fn(Handle, *const c_char) -> c_int;
    client_config_free: fn(Handle);
    server_config_new: fn(*mut Handle, *const c_char, *const c_char) -> c_int;
    server_config_set_versions: fn(Handle, u16, u16) -> c_int;
    server_config_set_cipher_suites: fn(Handle, *const c_char) -> c_int;
    server_config_set_groups: fn(Handle, *const c_char) -> c_int;
    server_config_free: fn(Handle);
    conn_new_client: fn(*mut Handle, Handle) -> c_int;
    conn_new_server: fn(*mut Handle, Handle) -> c_int;
    conn_set_callbacks: fn(Handle, Option<PullFn>, Option<PushFn>, *mut c_void) -> c_int;
    conn_handshake: fn(Handle) -> c_int;
    conn_recv: fn(Handle, *mut c_void, usize) -> isize;
    conn_free: fn(Handle);
    conn_protocol_version: fn(Handle) -> c_int;
    conn_error_string: fn(Handle) -> *const c_char;
    session_is_resumed: fn(Handle) -> c_int;
    session_get_data: fn(Handle, *mut c_void, *mut usize) -> c_int;
    session_set_data: fn(Handle, *const c_void, usize) -> c_int;
}

impl Capi {
    /// What `code` means (`ferrotls_strerror`), and the connection's
    /// error string when there is one.
    pub fn describe(&self, code: isize, conn: Handle) -> String {
        let code = c_int::try_from(code).unwrap_or(c_int::MIN);
        // SAFETY: strerror returns a static NUL-terminated string for any
        // code; conn is NULL or live, and its error string lives as long.
        unsafe {
            let text = CStr::from_ptr((self.strerror)(code)).to_string_lossy();
            let detail = if conn.is_null() {
                core::ptr::null()
            } else {
                (self.conn_error_string)(conn)
            };
            if detail.is_null() {
                format!("{code} ({text})")
            } else {
                let detail = CStr::from_ptr(detail).to_string_lossy();
                format!("{code} ({text}: {detail})")
            }
        }
    }
}

/// Builds `libferrotls.so` from this tree with the bench's own profile
/// (`bench` in an optimised build, as `cargo bench` builds the bench,
/// `dev` otherwise) into the bench's target directory, and returns its
/// path: `<target>/<profile dir>/libferrotls.so`, beside the directory
/// of the bench's executable.
fn build() -> PathBuf {
    let exe = std::env::current_exe().expect("the bench's own path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the bench runs from <target>/<profile>/deps");
    let target_dir = profile_dir
        .parent()
        .expect("the bench runs from <target>/<profile>/deps");
    let profile = if cfg!(debug_assertions) {
        "dev"
    } else {
        "bench"
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = cargo_env::command(cargo)
        .args([
            "build",
            "--lib",
            "-p",
            "ferrotls-capi",
            "--profile",
            profile,
        ])
        .arg("--manifest-path")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir)
        .status()
        .expect("cargo starts, to build libferrotls.so");
    assert!(status.success(), "building libferrotls.so failed: {status}");
    profile_dir.join("libferrotls.so")
}

/// Builds and loads `libferrotls.so`, and looks its functions up.
/// Panics, saying why, when it cannot.
pub fn load() -> (Capi, PathBuf) {
    let path = build();
    let name = CString::new(path.as_os_str().as_bytes()).expect("a path without NUL");
    // SAFETY: a NUL-terminated path; the library is never unloaded, so
    // every function pointer taken from it stays valid.
    let lib = unsafe { dlopen(name.as_ptr(), RTLD_NOW) };
    assert!(!lib.is_null(), "dlopen {}: {}", path.display(), dl_error());
    // SAFETY: a live handle of libferrotls.so, whose functions have the
    // prototypes of ferrotls.h, which the table copies.
    let capi = unsafe { Capi::look_up(lib) }.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (capi, path)
}
