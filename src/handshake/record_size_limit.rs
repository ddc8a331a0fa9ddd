//! The record_size_limit extension (RFC 8449) as the handshakes of both
//! roles and both protocol families negotiate it: what a client offers,
//! what a server answers, and when each limit takes effect; and the
//! max_fragment_length extension (RFC 6066 §4) it replaces, which a
//! server answers for clients that send only that one (constrained
//! clients, as mbedTLS, wolfSSL and Erlang/OTP ones may be; OpenSSL and
//! GnuTLS servers answer it too), or that send it beside a
//! record_size_limit to a server configured without one, and which then
//! binds both directions.
//!
//! Each endpoint announces the largest protected record it is willing to
//! receive: the client in its ClientHello, the server in its ServerHello
//! (TLS ≤ 1.2) or EncryptedExtensions (TLS 1.3), only when the client
//! announced one (RFC 8449 §4). Once both have, each sends records no
//! larger than the other's limit (the record layer's fragmenter) and
//! refuses a protected record over its own with `record_overflow` (the
//! record layer's receive check). A value under 64 is `illegal_parameter`
//! (the extension decoder); one over the protocol's maximum counts as the
//! maximum (2^14 in TLS ≤ 1.2, 2^14 + 1 in TLS 1.3, whose limit also
//! covers the inner content type and padding).

use crate::common_state::{HandshakeEvent, HandshakeIo};
use crate::config::CommonConfig;
use crate::error::{Error, IllegalParameterReason, UnsupportedExtensionReason};
use crate::msgs::enums::ProtocolVersion;
use crate::msgs::extensions::{max_fragment_length_bytes, Extension, MAX_FRAGMENT_LENGTH_CODES};
use crate::record::{MAX_PLAINTEXT_LEN, MAX_RECORD_SIZE_LIMIT_TLS12, MAX_RECORD_SIZE_LIMIT_TLS13};

/// Our configured limit capped at the protocol's maximum, which is what
/// we announce (RFC 8449 §4: larger values are not sent); `None` when
/// the configuration announces none.
fn announced(common: &CommonConfig, tls13: bool) -> Option<u16> {
    let max = if tls13 {
        MAX_RECORD_SIZE_LIMIT_TLS13
    } else {
        MAX_RECORD_SIZE_LIMIT_TLS12
    };
    common.record_size_limit.map(|limit| limit.min(max))
}

/// The client's record_size_limit extension: the TLS 1.3 maximum when
/// TLS 1.3 is offered (a TLS 1.2 server then counts it as 2^14, RFC 8449
/// §4), the TLS 1.2 one otherwise; and beside a limit under 2^14 bytes of
/// plaintext, max_fragment_length ([`client_max_fragment_length`]).
pub(crate) fn client_offer(
    common: &CommonConfig,
    offers_tls13: bool,
) -> impl Iterator<Item = Extension> {
    announced(common, offers_tls13)
        .map(Extension::RecordSizeLimit)
        .into_iter()
        .chain(client_max_fragment_length(common).map(Extension::MaxFragmentLength))
}

/// The max_fragment_length code a client sends beside a record_size_limit
/// that allows less than 2^14 bytes of plaintext (RFC 8449 §5: "Clients
/// that depend on having a small record size MAY continue to advertise
/// the max_fragment_length"), so that a server without record_size_limit,
/// as OpenSSL's, still keeps to it: the largest 2^(8 + code) within the
/// plaintext our limit allows in every version offered (TLS 1.3's counts
/// the content type). None under 2^9, which no code expresses.
pub(crate) fn client_max_fragment_length(common: &CommonConfig) -> Option<u8> {
    let tls13 = common.versions.contains(&ProtocolVersion::TLSv1_3);
    let plaintext = announced(common, tls13)? - u16::from(tls13);
    if usize::from(plaintext) >= MAX_PLAINTEXT_LEN {
        return None;
    }
    MAX_FRAGMENT_LENGTH_CODES
        .rev()
        .find(|&code| max_fragment_length_bytes(code).is_some_and(|bytes| bytes <= plaintext))
}

/// The limits a server agreed to: the client's record_size_limit and
/// ours, or the client's max_fragment_length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Agreed {
    /// The client's limit on what we send, as a record_size_limit (for
    /// max_fragment_length, its plaintext, and in TLS 1.3 the content
    /// type byte).
    peer: u16,
    /// What we answer.
    answer: Answer,
    tls13: bool,
}

/// A server's answer to the client's limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    /// Our own record_size_limit, which we then enforce on receive.
    RecordSizeLimit(u16),
    /// The client's max_fragment_length code, echoed (RFC 6066 §4). It
    /// binds both directions: what we send, and what we receive, a
    /// larger record being `record_overflow` (RFC 6066 §4: "MUST discard
    /// the message and send a 'record_overflow' alert").
    MaxFragmentLength(u8),
}

impl Agreed {
    /// The max_fragment_length code agreed, when that is what we answer:
    /// it binds the session, resumptions included (RFC 6066 §4), so a
    /// TLS ≤ 1.2 session keeps it.
    pub(crate) fn max_fragment_length(&self) -> Option<u8> {
        match self.answer {
            Answer::MaxFragmentLength(code) => Some(code),
            Answer::RecordSizeLimit(_) => None,
        }
    }

    /// Our answer: the record_size_limit extension, or the
    /// max_fragment_length one.
    pub(crate) fn extension(&self) -> Extension {
        match self.answer {
            Answer::RecordSizeLimit(own) => Extension::RecordSizeLimit(own),
            Answer::MaxFragmentLength(code) => Extension::MaxFragmentLength(code),
        }
    }

    /// The client's limit applies to everything we send from now on
    /// (records before our first protected one may be smaller than they
    /// need be, which RFC 8449 §4 allows; RFC 6066 §4 has both sides
    /// fragment "immediately"), or in a renegotiation from our
    /// ChangeCipherSpec on ([`set_peer`]); a record_size_limit is
    /// reported.
    pub(crate) fn apply_peer(&self, io: &mut dyn HandshakeIo) -> Result<(), Error> {
        set_peer(io, self.peer, self.tls13)?;
        if let Answer::RecordSizeLimit(_) = self.answer {
            io.report(HandshakeEvent::PeerRecordSizeLimit(self.peer));
        }
        Ok(())
    }

    /// Our record_size_limit, or the agreed max_fragment_length, applies
    /// to the protected records received from now on: the caller calls
    /// this before the first record the client protects under this
    /// handshake's keys (TLS 1.3 0-RTT data, under the keys of an earlier
    /// handshake, is not held to it).
    pub(crate) fn apply_own(&self, io: &mut dyn HandshakeIo) -> Result<(), Error> {
        let own = match self.answer {
            Answer::RecordSizeLimit(own) => own,
            Answer::MaxFragmentLength(_) => self.peer,
        };
        io.set_own_record_size_limit(own, self.tls13)
    }
}

/// A TLS ≤ 1.2 renegotiation (RFC 5746) agrees on limits anew while
/// records go on flowing both ways under the old keys, and each side
/// learns the other's answer only from a hello that may still be in
/// flight. A limit binds the records of the connection state its
/// handshake established (RFC 8449 §4): what we send under the old keys,
/// the new hellos and the rest of our flight included, keeps to the
/// peer's old limit, which the peer still enforces, and from our
/// ChangeCipherSpec on the new handshake's applies, the protocol's 2^14
/// (RFC 5246 §6.2.1) unless a new hello announces one ([`set_peer`]).
/// Our own limit goes back to 2^14 when one starts and is tightened
/// again only on the client, which reads the server's answer before the
/// server's records under the new handshake; the server keeps to 2^14 on
/// receive for the rest of the connection, since tightening it would
/// refuse records the client protected before it read our ServerHello.
pub(crate) fn start_renegotiation(io: &mut dyn HandshakeIo) -> Result<(), Error> {
    io.set_next_epoch_peer_record_size_limit(MAX_RECORD_SIZE_LIMIT_TLS12, false)?;
    io.set_own_record_size_limit(MAX_RECORD_SIZE_LIMIT_TLS12, false)
}

/// The peer's limit on what we send: at once in a first handshake, from
/// our next write epoch on in a renegotiation ([`start_renegotiation`]).
fn set_peer(io: &mut dyn HandshakeIo, limit: u16, tls13: bool) -> Result<(), Error> {
    if io.renegotiation().in_progress() {
        io.set_next_epoch_peer_record_size_limit(limit, tls13)
    } else {
        io.set_peer_record_size_limit(limit, tls13)
    }
}

/// The server's agreement to a client that announced the record_size_limit
/// `offered`, when we announce a limit too (RFC 8449 §4: a server answers
/// only an announcement); or else to its `max_fragment_length` code. A
/// server that supports record_size_limit ignores a max_fragment_length
/// beside it (RFC 8449 §5); one configured to announce no limit does not
/// support it, and answers the max_fragment_length as OpenSSL 3.0's
/// server does.
pub(crate) fn server_agreement(
    common: &CommonConfig,
    offered: Option<u16>,
    max_fragment_length: Option<u8>,
    tls13: bool,
) -> Option<Agreed> {
    if let (Some(peer), Some(own)) = (offered, announced(common, tls13)) {
        return Some(Agreed {
            peer,
            answer: Answer::RecordSizeLimit(own),
            tls13,
        });
    }
    let code = max_fragment_length?;
    let plaintext = max_fragment_length_bytes(code)?;
    Some(Agreed {
        peer: plaintext + u16::from(tls13),
        answer: Answer::MaxFragmentLength(code),
        tls13,
    })
}

/// The client reads the server's answer `answered` (the caller has
/// checked that we offered one): the server's limit applies to what we
/// send from now on (in a renegotiation from our ChangeCipherSpec on,
/// [`set_peer`]), ours to the protected records we receive from now on
/// (in TLS 1.3 the records after EncryptedExtensions; in TLS ≤ 1.2 all
/// protected ones, which come after the ServerHello).
pub(crate) fn client_accept(
    common: &CommonConfig,
    io: &mut dyn HandshakeIo,
    answered: u16,
    tls13: bool,
) -> Result<(), Error> {
    set_peer(io, answered, tls13)?;
    io.report(HandshakeEvent::PeerRecordSizeLimit(answered));
    if let Some(own) = announced(common, tls13) {
        io.set_own_record_size_limit(own, tls13)?;
    }
    Ok(())
}

/// The client reads the server's max_fragment_length answer `code` in a
/// message that answered our record_size_limit too (`with_limit`) or not.
/// It must be the code we sent and stand alone (RFC 6066 §4: another code
/// is `illegal_parameter`; RFC 8449 §5: a server that answers a
/// record_size_limit ignores max_fragment_length); one we did not send is
/// `unsupported_extension` (RFC 8446 §4.2). Then 2^(8 + code) bytes of
/// plaintext bind what either side sends, as a record_size_limit of that
/// size would ([`client_accept`]).
pub(crate) fn client_accept_max_fragment_length(
    common: &CommonConfig,
    io: &mut dyn HandshakeIo,
    code: u8,
    with_limit: bool,
    tls13: bool,
) -> Result<(), Error> {
    let sent = client_max_fragment_length(common).ok_or(Error::UnsupportedExtension(
        UnsupportedExtensionReason::NotOffered,
    ))?;
    if code != sent || with_limit {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::MaxFragmentLengthAnswer,
        ));
    }
    apply_max_fragment_length(io, code, tls13)
}

/// The client holds both directions to the max_fragment_length `code`,
/// one of [`MAX_FRAGMENT_LENGTH_CODES`]: 2^(8 + code) bytes of plaintext,
/// as a record_size_limit of that size would. Besides an answer in this
/// handshake, that is a resumed TLS ≤ 1.2 session's code when the server
/// does not repeat it, since the length "applies for the duration of the
/// session including session resumptions" (RFC 6066 §4), and RFC 4366
/// §3, which RFC 6066 replaced, had servers answer no extension on
/// resumption.
pub(crate) fn apply_max_fragment_length(
    io: &mut dyn HandshakeIo,
    code: u8,
    tls13: bool,
) -> Result<(), Error> {
    let bytes = max_fragment_length_bytes(code).ok_or(Error::IllegalParameter(
        IllegalParameterReason::MaxFragmentLengthValue,
    ))?;
    let limit = bytes + u16::from(tls13);
    set_peer(io, limit, tls13)?;
    io.set_own_record_size_limit(limit, tls13)
}

/// Whether the configuration announces a limit, so that a server's
/// answer is one we asked for (RFC 8449 §4; otherwise it is
/// `unsupported_extension`, RFC 8446 §4.2).
pub(crate) fn offered(common: &CommonConfig) -> bool {
    common.record_size_limit.is_some()
}
