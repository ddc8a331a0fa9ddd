//! The connection's secure renegotiation state and its rules (RFC 5746):
//! whether the peer signalled support in the first handshake, the
//! Finished verify_data of the latest handshake that a renegotiation's
//! hellos must carry (and tls-unique is, RFC 5929), the extended master
//! secret use a renegotiation may not drop, and how many renegotiations
//! were accepted.
//!
//! Only TLS 1.0–1.2 renegotiate; TLS 1.3 has no renegotiation (RFC 8446
//! §4.1.2) and never touches this.

use super::Negotiated;
use crate::error::{Error, HandshakeFailureReason};
use crate::keyschedule::tls12::{Sender, VERIFY_DATA_LEN};

/// What a connection knows about renegotiation (RFC 5746 §3.1:
/// `secure_renegotiation`, `client_verify_data`, `server_verify_data`).
#[derive(Debug, Default)]
pub(crate) struct Renegotiation {
    /// The peer signalled secure renegotiation in the first handshake
    /// (the extension, or the SCSV from a client).
    secure: bool,
    /// The client's Finished verify_data of the latest handshake; read
    /// only once a handshake has completed (`in_progress`).
    client_verify_data: [u8; VERIFY_DATA_LEN],
    /// The server's Finished verify_data of the latest handshake, as
    /// `client_verify_data`.
    server_verify_data: [u8; VERIFY_DATA_LEN],
    /// The latest handshake used the extended master secret (RFC 7627).
    extended_master_secret: bool,
    /// A renegotiation handshake runs now.
    in_progress: bool,
    /// Server: a HelloRequest is out and no ClientHello has answered it.
    requested: bool,
    /// Renegotiations accepted so far.
    accepted: usize,
    /// While a renegotiation runs, what the handshake it replaces settled,
    /// which the connection reports until the new one completes: until
    /// then that handshake's keys protect the data (RFC 5246 §7.4.1.1),
    /// so its peer, chain and protocols are the ones the data is
    /// exchanged with. Boxed, since few connections renegotiate.
    replaced: Option<Box<Negotiated>>,
}

impl Renegotiation {
    /// Whether the peer signalled secure renegotiation.
    pub(crate) fn is_secure(&self) -> bool {
        self.secure
    }

    /// Whether a renegotiation handshake runs now.
    pub(crate) fn in_progress(&self) -> bool {
        self.in_progress
    }

    /// Whether a server's HelloRequest waits for its ClientHello.
    pub(crate) fn requested(&self) -> bool {
        self.requested
    }

    /// A server sent a HelloRequest.
    pub(crate) fn set_requested(&mut self) {
        self.requested = true;
    }

    /// The peer refused to renegotiate (a no_renegotiation warning, RFC
    /// 5746 §4.5): a HelloRequest out is answered.
    pub(crate) fn refused(&mut self) {
        self.requested = false;
    }

    /// How many renegotiations were accepted, the one under way included.
    pub(crate) fn accepted(&self) -> usize {
        self.accepted
    }

    /// Whether one more renegotiation fits under `max`.
    pub(crate) fn has_room(&self, max: usize) -> bool {
        self.accepted < max
    }

    /// Starts a renegotiation handshake, counted against `max`; false
    /// (nothing changes) when the peer is not secure or `max` is reached,
    /// and the attempt is to be refused.
    pub(crate) fn begin(&mut self, max: usize) -> bool {
        if !self.secure || !self.has_room(max) {
            return false;
        }
        self.accepted += 1;
        self.in_progress = true;
        self.requested = false;
        true
    }

    /// The renegotiation handshake is complete: what it settled is what
    /// the connection reports from now on.
    pub(crate) fn end(&mut self) {
        self.in_progress = false;
        self.replaced = None;
    }

    /// A renegotiation starts over `established`, the facts of the
    /// handshake it replaces, kept to be reported until it completes.
    pub(crate) fn replacing(&mut self, established: Negotiated) {
        self.replaced = Some(Box::new(established));
    }

    /// What the handshake a running renegotiation replaces settled.
    pub(crate) fn replaced(&self) -> Option<&Negotiated> {
        self.replaced.as_deref()
    }

    /// Keeps the verify_data of a Finished sent or received (RFC 5746
    /// §3.4, §3.6), for the next renegotiation's hellos.
    pub(crate) fn record_finished(&mut self, sender: Sender, verify_data: &[u8; VERIFY_DATA_LEN]) {
        let kept = match sender {
            Sender::Client => &mut self.client_verify_data,
            Sender::Server => &mut self.server_verify_data,
        };
        *kept = *verify_data;
    }

    /// The verify_data of the latest handshake's first Finished (RFC 5929
    /// §3.1, tls-unique): the client's in a full handshake, the server's
    /// when the handshake `resumed` (RFC 5246 Figure 2: it sends first).
    pub(crate) fn first_finished(&self, resumed: bool) -> &[u8] {
        if resumed {
            &self.server_verify_data
        } else {
            &self.client_verify_data
        }
    }

    /// The `renegotiated_connection` a ClientHello carries: empty in the
    /// first handshake, the client's last verify_data in a renegotiation
    /// (RFC 5746 §3.4, §3.5).
    pub(crate) fn client_hello_info(&self) -> Vec<u8> {
        if self.in_progress {
            self.client_verify_data.to_vec()
        } else {
            Vec::new()
        }
    }

    /// The `renegotiated_connection` a ServerHello carries: empty in the
    /// first handshake, client then server verify_data in a renegotiation
    /// (RFC 5746 §3.6, §3.7).
    pub(crate) fn server_hello_info(&self) -> Vec<u8> {
        if self.in_progress {
            [&self.client_verify_data[..], &self.server_verify_data[..]].concat()
        } else {
            Vec::new()
        }
    }

    /// Server: checks the ClientHello's signal and returns whether the
    /// client supports secure renegotiation. First handshake (RFC 5746
    /// §3.6): the SCSV or an empty extension signal it, a non-empty one
    /// is `handshake_failure`. Renegotiation (§3.7): the SCSV is
    /// `handshake_failure`, and so is an extension that is missing or
    /// does not carry the client's last verify_data.
    pub(crate) fn check_client_hello(
        &mut self,
        info: Option<&[u8]>,
        scsv: bool,
    ) -> Result<bool, Error> {
        if !self.in_progress {
            if info.is_some_and(|data| !data.is_empty()) {
                return Err(Error::HandshakeFailure(
                    HandshakeFailureReason::RenegotiationInfoNotEmpty,
                ));
            }
            self.secure = info.is_some() || scsv;
            return Ok(self.secure);
        }
        if scsv {
            return Err(Error::HandshakeFailure(
                HandshakeFailureReason::RenegotiationScsv,
            ));
        }
        check_info(info, &self.client_hello_info())?;
        Ok(true)
    }

    /// Client: checks the ServerHello's renegotiation_info (`info`, `None`
    /// when absent). First handshake (RFC 5746 §3.4): present means
    /// secure, and must be empty (`handshake_failure`). Renegotiation
    /// (§3.5): it must be there and carry both last verify_data values
    /// (`handshake_failure`).
    pub(crate) fn check_server_hello(&mut self, info: Option<&[u8]>) -> Result<(), Error> {
        if !self.in_progress {
            if info.is_some_and(|data| !data.is_empty()) {
                return Err(Error::HandshakeFailure(
                    HandshakeFailureReason::RenegotiationInfoNotEmpty,
                ));
            }
            self.secure = info.is_some();
            return Ok(());
        }
        check_info(info, &self.server_hello_info())
    }

    /// Keeps whether this handshake uses the extended master secret; a
    /// renegotiation that drops it after a handshake that used it is
    /// `handshake_failure`: the rule RFC 7627 §5.3 sets for resumption,
    /// applied to the handshake a renegotiation replaces, so the new
    /// handshake is never weaker than the one before it.
    pub(crate) fn check_extended_master_secret(&mut self, used: bool) -> Result<(), Error> {
        if self.in_progress && self.extended_master_secret && !used {
            return Err(Error::HandshakeFailure(
                HandshakeFailureReason::RenegotiationDropsEms,
            ));
        }
        self.extended_master_secret = used;
        Ok(())
    }
}

/// A renegotiation's renegotiation_info must be present and equal
/// `expected` (RFC 5746 §3.5, §3.7), compared in constant time.
fn check_info(info: Option<&[u8]>, expected: &[u8]) -> Result<(), Error> {
    use subtle::ConstantTimeEq;
    let data = info.ok_or(Error::HandshakeFailure(
        HandshakeFailureReason::RenegotiationInfoMissing,
    ))?;
    if !bool::from(data.ct_eq(expected)) {
        return Err(Error::HandshakeFailure(
            HandshakeFailureReason::RenegotiationInfoMismatch,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after_first_handshake() -> Renegotiation {
        let mut r = Renegotiation::default();
        assert!(r.check_client_hello(Some(&[]), false).unwrap());
        r.record_finished(Sender::Client, &[1; 12]);
        r.record_finished(Sender::Server, &[2; 12]);
        r
    }

    #[test]
    fn the_hellos_of_a_renegotiation_carry_the_last_verify_data() {
        let mut r = after_first_handshake();
        assert!(r.client_hello_info().is_empty());
        assert!(r.begin(1));
        assert_eq!(r.client_hello_info(), vec![1; 12]);
        assert_eq!(r.server_hello_info(), [[1; 12], [2; 12]].concat());
        assert!(r.check_client_hello(Some(&[1; 12]), false).unwrap());
        assert!(r.check_server_hello(Some(&r.server_hello_info())).is_ok());
    }

    #[test]
    fn a_renegotiation_without_the_right_info_or_with_the_scsv_fails() {
        let mut r = after_first_handshake();
        assert!(r.begin(1));
        let fails = |e: Result<_, Error>, reason| {
            assert_eq!(e.unwrap_err(), Error::HandshakeFailure(reason));
        };
        fails(
            r.check_client_hello(Some(&[]), false),
            HandshakeFailureReason::RenegotiationInfoMismatch,
        );
        fails(
            r.check_client_hello(None, false),
            HandshakeFailureReason::RenegotiationInfoMissing,
        );
        fails(
            r.check_client_hello(Some(&[1; 12]), true),
            HandshakeFailureReason::RenegotiationScsv,
        );
        fails(
            r.check_server_hello(Some(&[1; 12])).map(|()| true),
            HandshakeFailureReason::RenegotiationInfoMismatch,
        );
    }

    #[test]
    fn renegotiation_needs_a_secure_peer_and_room_under_the_limit() {
        let mut insecure = Renegotiation::default();
        assert!(!insecure.check_client_hello(None, false).unwrap());
        assert!(!insecure.begin(4));
        let mut r = after_first_handshake();
        assert!(r.begin(1));
        r.end();
        assert!(!r.begin(1));
    }

    #[test]
    fn a_renegotiation_may_not_drop_the_extended_master_secret() {
        let mut r = after_first_handshake();
        r.check_extended_master_secret(true).unwrap();
        assert!(r.begin(2));
        assert_eq!(
            r.check_extended_master_secret(false).unwrap_err(),
            Error::HandshakeFailure(HandshakeFailureReason::RenegotiationDropsEms)
        );
        r.check_extended_master_secret(true).unwrap();
    }
}
