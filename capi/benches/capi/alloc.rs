//! Counts the allocating calls of the whole process at glibc's `malloc`
//! family: the bench's own Rust code (whose `System` allocator calls
//! `malloc`), and `libferrotls.so`, whose Rust allocator is its own and
//! which a `#[global_allocator]` in the bench would never see. Each
//! function below is defined in the executable, which exports it
//! dynamically (the linker does so for a symbol a shared library on the
//! link line also defines), so the loaded library's calls bind to it
//! too; it counts the call and forwards to glibc's implementation,
//! `__libc_*`, unchanged. `free` is left to glibc: the memory is glibc's.
//!
//! What counts is what `benches/compare.rs` counts: each call that
//! allocates or grows (`malloc`, `calloc`, `realloc`, and the aligned
//! ones Rust's `System` uses for alignments above 16).
//! [`check_interposed`] makes sure both sides are seen.

use core::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Allocating calls so far, by any code in the process.
static CALLS: AtomicU64 = AtomicU64::new(0);

/// The allocating calls made so far.
pub fn calls() -> u64 {
    CALLS.load(Relaxed)
}

// glibc's own allocator, under the names it exports for this purpose.
extern "C" {
    fn __libc_malloc(size: usize) -> *mut c_void;
    fn __libc_calloc(count: usize, size: usize) -> *mut c_void;
    fn __libc_realloc(ptr: *mut c_void, size: usize) -> *mut c_void;
    fn __libc_memalign(align: usize, size: usize) -> *mut c_void;
}

/// `EINVAL` and `ENOMEM` on Linux, for `posix_memalign`.
const EINVAL: c_int = 22;
const ENOMEM: c_int = 12;

/// `malloc(3)`, counted.
///
/// # Safety
/// As `malloc(3)`.
#[no_mangle]
pub unsafe extern "C" fn malloc(size: usize) -> *mut c_void {
    CALLS.fetch_add(1, Relaxed);
    // SAFETY: forwarded as received.
    unsafe { __libc_malloc(size) }
}

/// `calloc(3)`, counted.
///
/// # Safety
/// As `calloc(3)`.
#[no_mangle]
pub unsafe extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
    CALLS.fetch_add(1, Relaxed);
    // SAFETY: forwarded as received.
    unsafe { __libc_calloc(count, size) }
}

/// `realloc(3)`, counted.
///
/// # Safety
/// As `realloc(3)`: `ptr` NULL or from this allocator.
#[no_mangle]
pub unsafe extern "C" fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    CALLS.fetch_add(1, Relaxed);
    // SAFETY: forwarded as received.
    unsafe { __libc_realloc(ptr, size) }
}

/// `memalign(3)`, counted.
///
/// # Safety
/// As `memalign(3)`.
#[no_mangle]
pub unsafe extern "C" fn memalign(align: usize, size: usize) -> *mut c_void {
    CALLS.fetch_add(1, Relaxed);
    // SAFETY: forwarded as received.
    unsafe { __libc_memalign(align, size) }
}

/// `aligned_alloc(3)`, counted (glibc's is `memalign`).
///
/// # Safety
/// As `aligned_alloc(3)`.
#[no_mangle]
pub unsafe extern "C" fn aligned_alloc(align: usize, size: usize) -> *mut c_void {
    CALLS.fetch_add(1, Relaxed);
    // SAFETY: forwarded as received.
    unsafe { __libc_memalign(align, size) }
}

/// `posix_memalign(3)`, counted: glibc's checks, then `memalign`.
///
/// # Safety
/// As `posix_memalign(3)`: `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn posix_memalign(out: *mut *mut c_void, align: usize, size: usize) -> c_int {
    if !align.is_power_of_two() || !align.is_multiple_of(core::mem::size_of::<*mut c_void>()) {
        return EINVAL;
    }
    CALLS.fetch_add(1, Relaxed);
    // SAFETY: forwarded as received; the alignment is one memalign takes.
    let ptr = unsafe { __libc_memalign(align, size) };
    if ptr.is_null() {
        return ENOMEM;
    }
    // SAFETY: valid for a write, per the caller.
    unsafe { out.write(ptr) };
    0
}

/// Panics unless allocations by the bench's Rust code, and by a call
/// into the library (`allocating_call`, which must allocate), are both
/// counted: without that the allocation rows would compare nothing.
pub fn check_interposed(allocating_call: impl FnOnce()) {
    let before = calls();
    std::hint::black_box(Vec::<u8>::with_capacity(64));
    let own = calls() - before;
    let before = calls();
    allocating_call();
    let library = calls() - before;
    assert!(
        own >= 1 && library >= 1,
        "the counting malloc does not see every allocation (bench: {own}, library: {library}); \
         this bench needs glibc and a dynamically linked executable"
    );
}
