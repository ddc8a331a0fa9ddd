//! `SessionId::copy_to`: the `copy_session_id` semantics of design §3.

use ferrotls::crypto::rng::SeededRng;
use ferrotls::msgs::hello::MAX_SESSION_ID_SIZE;
use ferrotls::session::SessionId;
use ferrotls::Error;

#[test]
fn copy_to_a_large_enough_buffer_copies_and_returns_the_length() {
    let id = SessionId::from_peer(&[1, 2, 3]).unwrap();
    let mut out = [0xee; 8];
    assert_eq!(id.copy_to(&mut out), Ok(3));
    assert_eq!(out, [1, 2, 3, 0xee, 0xee, 0xee, 0xee, 0xee]);
}

#[test]
fn copy_to_a_buffer_of_exactly_the_length() {
    let id = SessionId::random(&SeededRng::new(b"exact").unwrap()).unwrap();
    let mut out = [0u8; MAX_SESSION_ID_SIZE];
    assert_eq!(id.copy_to(&mut out), Ok(MAX_SESSION_ID_SIZE));
    assert_eq!(&out[..], id.as_bytes());
}

#[test]
fn copy_to_a_short_buffer_names_the_size_and_leaves_it_untouched() {
    let id = SessionId::from_peer(&[9; 32]).unwrap();
    let mut out = [0x5a; 31];
    assert_eq!(
        id.copy_to(&mut out),
        Err(Error::BufferTooSmall { needed: 32 })
    );
    assert_eq!(out, [0x5a; 31], "nothing copied");
    assert_eq!(
        id.copy_to(&mut []),
        Err(Error::BufferTooSmall { needed: 32 })
    );
}

#[test]
fn empty_id_copies_nothing_even_into_an_empty_buffer() {
    let mut out = [7u8; 4];
    assert_eq!(SessionId::empty().copy_to(&mut out), Ok(0));
    assert_eq!(out, [7; 4]);
    assert_eq!(SessionId::empty().copy_to(&mut []), Ok(0));
}

#[test]
fn buffer_too_small_is_a_local_error_without_alert() {
    assert_eq!(Error::BufferTooSmall { needed: 32 }.alert(), None);
}
