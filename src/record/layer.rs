//! The record layer proper: a [`Deframer`], a read epoch and a write epoch,
//! each with its [`RecordProtection`] and sequence number, and a
//! [`Fragmenter`] for outgoing data.

use super::deframer::Deframer;
use super::fragmenter::Fragmenter;
use super::protection::{NullProtection, RecordProtection, Tls13AeadProtection};
use super::{
    HEADER_LEN, MAX_INNER_PLAINTEXT_LEN_TLS13, MAX_PLAINTEXT_LEN, MIN_RECORD_SIZE_LIMIT,
    SEQUENCE_NUMBER_LIMIT,
};
use crate::error::{
    DecodeReason, Error, IllegalParameterReason, ProtocolVersionReason, UnexpectedMessageReason,
};
use crate::msgs::enums::{ContentType, ProtocolVersion};
use std::io;
use std::ops::Range;

/// One received record's plaintext, still in the receive buffer.
#[derive(Debug, PartialEq, Eq)]
pub struct PlaintextRecord<'a> {
    /// The plaintext's content type (for TLS 1.3, the inner type).
    pub content_type: ContentType,
    /// The plaintext, decrypted in place.
    pub plaintext: &'a [u8],
    /// Whether the record was protected (see [`Opened::protected`](crate::record::protection::Opened::protected)).
    pub protected: bool,
}

/// What the version field of received record headers must hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ReceivedVersion {
    /// Anything with major version 3 (the deframer's check): before the
    /// version is negotiated, a peer's first records may carry any TLS
    /// 1.x value (RFC 5246 Appendix E.1, RFC 8446 §5.1).
    Unchecked,
    /// TLS ≤ 1.2 once negotiated: every record carries the negotiated
    /// version (RFC 5246 §6.2.1); another is `protocol_version`, as
    /// OpenSSL answers it.
    Exactly(ProtocolVersion),
    /// TLS 1.3: every protected record (a `TLSCiphertext`, header type
    /// application_data) carries 0x0303 (RFC 9846 §5.2: "always 0x0303";
    /// validating it is allowed, RFC 9846 Appendix E); another is
    /// `decode_error`, as OpenSSL answers it. Unprotected records (a
    /// second ClientHello, a dummy ChangeCipherSpec) are a
    /// `TLSPlaintext`, whose version must be ignored (RFC 8446 §5.1).
    Tls13Ciphertext,
}

/// One direction of one epoch.
struct Epoch {
    protection: Box<dyn RecordProtection>,
    next_seq: u64,
    /// The records this epoch's key may protect ([`usage_limit`]); the
    /// sequence number, which restarts with every key (RFC 8446 §5.3),
    /// counts them.
    limit: u64,
}

impl Epoch {
    fn new(protection: Box<dyn RecordProtection>, next_seq: u64) -> Self {
        let limit = usage_limit(&*protection);
        Self {
            protection,
            next_seq,
            limit,
        }
    }

    /// A new epoch under `protection` in this one's place, when this one
    /// is TLS 1.3 protection too: its keys are replaced in place, its
    /// sequence numbers restart from 0 with the new key's usage limit.
    /// Hands `protection` back when this epoch is of another kind.
    fn rekey_tls13(&mut self, protection: Tls13AeadProtection) -> Option<Tls13AeadProtection> {
        let Some(current) = self.protection.as_tls13_mut() else {
            return Some(protection);
        };
        *current = protection;
        self.next_seq = 0;
        self.limit = usage_limit(&*self.protection);
        None
    }

    /// The sequence number for the next protected record, refused once
    /// [`SEQUENCE_NUMBER_LIMIT`] is reached so it never wraps.
    fn sequence_number(&self) -> Result<u64, Error> {
        if self.next_seq == SEQUENCE_NUMBER_LIMIT {
            return Err(Error::SequenceNumberExhausted);
        }
        Ok(self.next_seq)
    }

    /// Counts one record. Only protected records count: TLS 1.3's
    /// unprotected `change_cipher_spec` takes no sequence number (RFC 8446
    /// §5.3 numbers the records of an epoch's keys).
    fn advance(&mut self, protected: bool) {
        if protected {
            self.next_seq += 1;
        }
    }
}

/// How many records one key of `protection` may protect: its AEAD's
/// confidentiality limit (RFC 8446 §5.5, RFC 9147 §4.5.3). The one place
/// the record layer, and through it the connection, learns the limit;
/// unit tests lower it with `lower_usage_limit_in_this_thread` so that a
/// key runs out after a few records instead of 23 million.
fn usage_limit(protection: &dyn RecordProtection) -> u64 {
    let limit = protection.usage_limit();
    #[cfg(test)]
    let limit = LOWERED_USAGE_LIMIT.with(|lowered| lowered.get().map_or(limit, |l| l.min(limit)));
    limit
}

#[cfg(test)]
thread_local! {
    static LOWERED_USAGE_LIMIT: std::cell::Cell<Option<u64>> = const { std::cell::Cell::new(None) };
}

/// Caps the usage limit of every key installed from now on in this
/// thread (unit tests only; each test runs in its own thread).
#[cfg(test)]
pub(crate) fn lower_usage_limit_in_this_thread(limit: u64) {
    LOWERED_USAGE_LIMIT.with(|lowered| lowered.set(Some(limit)));
}

/// Records in and out of one connection.
///
/// Both directions start unprotected; the connection installs each epoch's
/// protection as the key schedule produces it. Received records are opened
/// in place in the receive buffer; outgoing records are sealed in place at
/// the end of the caller's output buffer.
pub struct RecordLayer {
    deframer: Deframer,
    read: Epoch,
    write: Epoch,
    fragmenter: Fragmenter,
    write_version: ProtocolVersion,
    received_version: ReceivedVersion,
    /// The `record_size_limit` we announced and the peer agreed to, as
    /// the most bytes RFC 8449 §4 lets one protected record carry
    /// (plaintext, and in TLS 1.3 its content type and padding); `None`
    /// when none was negotiated.
    own_record_size_limit: Option<usize>,
    last_record_len: usize,
    /// Where in the receive buffer the plaintext of the record
    /// [`RecordLayer::next_record`] last opened lies (empty when it did
    /// not open, or once kept).
    last_plaintext: Range<usize>,
    /// 1/n−1 splitting of application data (see
    /// [`RecordLayer::set_split_application_data`]).
    split_application_data: bool,
}

impl Default for RecordLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl RecordLayer {
    /// A record layer with null protection both ways, writing record
    /// version 0x0303 (RFC 8446 §5.1; the connection may set 0x0301 for an
    /// initial ClientHello, or the negotiated version for TLS ≤ 1.2).
    pub fn new() -> Self {
        Self {
            deframer: Deframer::new(),
            read: Epoch::new(Box::new(NullProtection), 0),
            write: Epoch::new(Box::new(NullProtection), 0),
            fragmenter: Fragmenter::new(),
            write_version: ProtocolVersion::TLSv1_2,
            received_version: ReceivedVersion::Unchecked,
            own_record_size_limit: None,
            last_record_len: 0,
            last_plaintext: 0..0,
            split_application_data: false,
        }
    }

    /// Turns 1/n−1 record splitting on: every later write of more than
    /// one byte of application data starts with a record holding only its
    /// first byte. Under TLS 1.0 CBC, where a record's IV is the previous
    /// record's last ciphertext block (RFC 2246 §6.2.3.2), this puts a
    /// MAC the attacker cannot predict in front of chosen plaintext, the
    /// usual defence against BEAST (CVE-2011-3389).
    pub fn set_split_application_data(&mut self, on: bool) {
        self.split_application_data = on;
    }

    /// Sets the version field of outgoing record headers.
    pub fn set_write_version(&mut self, version: ProtocolVersion) {
        self.write_version = version;
    }

    /// The version is negotiated: from now on received record headers
    /// must carry `version` (TLS ≤ 1.2, RFC 5246 §6.2.1) or, for TLS 1.3,
    /// 0x0303 on every protected record (RFC 9846 §5.2). See
    /// [`Self::next_record`] for the errors.
    pub fn set_negotiated_version(&mut self, version: ProtocolVersion) {
        self.received_version = if version == ProtocolVersion::TLSv1_3 {
            ReceivedVersion::Tls13Ciphertext
        } else {
            ReceivedVersion::Exactly(version)
        };
    }

    /// Reads once from `rd` into the receive buffer (see
    /// [`Deframer::read_tls`]).
    pub fn read_tls(&mut self, rd: &mut dyn io::Read) -> io::Result<usize> {
        self.deframer.read_tls(rd)
    }

    /// Copies received bytes into the receive buffer and returns how many
    /// fitted (see [`Deframer::push`]).
    pub fn push_received(&mut self, data: &[u8]) -> usize {
        self.deframer.push(data)
    }

    /// Whether a partial record is buffered.
    pub fn has_partial_record(&self) -> bool {
        self.deframer.has_partial_record()
    }

    /// How many more bytes complete the record being received (see
    /// [`Deframer::missing_len`]).
    pub fn missing_len(&self) -> usize {
        self.deframer.missing_len()
    }

    /// Keeps the plaintext of the record [`Self::next_record`] just
    /// returned in the receive buffer, to be read with
    /// [`Self::read_plaintext`] (see [`Deframer::keep_plaintext`]).
    ///
    /// Keeps nothing when that record did not open or its plaintext was
    /// kept already; fails with [`Error::InvalidRequest`] when a read
    /// since reclaimed its space.
    pub fn keep_plaintext(&mut self) -> Result<(), Error> {
        let plaintext = std::mem::replace(&mut self.last_plaintext, 0..0);
        self.deframer.keep_plaintext(plaintext)
    }

    /// How many kept plaintext bytes wait to be read.
    pub fn plaintext_len(&self) -> usize {
        self.deframer.plaintext_len()
    }

    /// Copies kept plaintext into `out` and returns how many bytes that
    /// was (see [`Deframer::read_plaintext`]).
    pub fn read_plaintext(&mut self, out: &mut [u8]) -> usize {
        self.deframer.read_plaintext(out)
    }

    /// Frees the receive buffer when it holds nothing (see
    /// [`Deframer::release_if_empty`]).
    pub fn release_receive_buffer_if_empty(&mut self) {
        self.deframer.release_if_empty();
    }

    /// The next received record, opened in place, or `None` until more
    /// bytes arrive.
    ///
    /// Fails with the deframer's header errors; once the version is
    /// negotiated ([`Self::set_negotiated_version`]), with
    /// [`Error::ProtocolVersion`] for a TLS ≤ 1.2 record of another
    /// version (but for an unprotected alert, which is read) and [`Error::Decode`] for a protected TLS 1.3 record whose
    /// version is not 0x0303; with
    /// [`Error::SequenceNumberExhausted`] when the read sequence number
    /// reached its limit; with the protection's errors (a record that does
    /// not open is skipped and takes no sequence number, so a TLS 1.3
    /// server can skip rejected early data, RFC 8446 §4.2.10); with
    /// [`Error::RecordOverflow`] for plaintext over 2^14 bytes or a
    /// protected record over our own `record_size_limit`
    /// ([`Self::set_own_record_size_limit`]); and
    /// with [`Error::UnexpectedMessage`] for an empty handshake, alert or
    /// change_cipher_spec record (RFC 8446 §5.1, RFC 5246 §6.2.1).
    pub fn next_record(&mut self) -> Result<Option<PlaintextRecord<'_>>, Error> {
        let seq = self.read.sequence_number()?;
        let Some(record) = self.deframer.next_record()? else {
            return Ok(None);
        };
        match self.received_version {
            // An unprotected alert is read whatever its version: a peer
            // refusing our hello sends it before it has learnt the
            // version (RFC 5246 Appendix E.1), and it says why the
            // handshake ends (OpenSSL ends on such a record without an
            // alert of its own).
            ReceivedVersion::Exactly(version)
                if record.version != version
                    && (record.content_type != ContentType::Alert
                        || self.read.protection.is_protected()) =>
            {
                return Err(Error::ProtocolVersion(
                    ProtocolVersionReason::RecordVersionMismatch,
                ));
            }
            ReceivedVersion::Tls13Ciphertext
                if record.content_type == ContentType::ApplicationData
                    && self.read.protection.is_protected()
                    && record.version != ProtocolVersion::TLSv1_2 =>
            {
                return Err(Error::Decode(DecodeReason::Tls13RecordVersion));
            }
            _ => {}
        }
        self.last_record_len = record.bytes.len().saturating_sub(HEADER_LEN);
        self.last_plaintext = 0..0;
        let opened = self.read.protection.open(seq, record.bytes)?;
        self.read.advance(opened.protected);
        let plaintext = record
            .bytes
            .get(opened.plaintext.clone())
            .ok_or(Error::BadRecordMac)?;
        self.last_plaintext =
            record.offset + opened.plaintext.start..record.offset + opened.plaintext.end;
        let limited_len = plaintext.len() + opened.inner_overhead;
        if plaintext.len() > MAX_PLAINTEXT_LEN
            || (opened.protected
                && self
                    .own_record_size_limit
                    .is_some_and(|limit| limited_len > limit))
        {
            return Err(Error::RecordOverflow);
        }
        if plaintext.is_empty()
            && matches!(
                opened.content_type,
                ContentType::Handshake | ContentType::Alert | ContentType::ChangeCipherSpec
            )
        {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::EmptyRecord,
            ));
        }
        Ok(Some(PlaintextRecord {
            content_type: opened.content_type,
            plaintext,
            protected: opened.protected,
        }))
    }

    /// The fragment length of the record [`Self::next_record`] last took
    /// from the receive buffer, opened or not: from it a TLS 1.3 server
    /// that skips rejected early data works out the most plaintext the
    /// record could carry, which it counts against its budget (RFC 8446
    /// §4.2.10).
    pub fn last_record_len(&self) -> usize {
        self.last_record_len
    }

    /// Installs the read protection of a new epoch; its sequence numbers
    /// start at 0 (RFC 8446 §5.3, RFC 5246 §6.1).
    pub fn set_read_protection(&mut self, protection: Box<dyn RecordProtection>) {
        self.resume_read_protection(protection, 0);
    }

    /// Installs read protection whose next sequence number is `next_seq`,
    /// for a connection state carried over from elsewhere (an exported
    /// connection, a kernel TLS hand-back).
    pub fn resume_read_protection(&mut self, protection: Box<dyn RecordProtection>, next_seq: u64) {
        self.deframer
            .set_max_fragment_len(protection.max_fragment_len());
        self.read = Epoch::new(protection, next_seq);
    }

    /// Installs the write protection of a new epoch; its sequence numbers
    /// start at 0.
    pub fn set_write_protection(&mut self, protection: Box<dyn RecordProtection>) {
        self.resume_write_protection(protection, 0);
    }

    /// Installs TLS 1.3 read protection for a new epoch, replacing the
    /// current one's keys in place when it is TLS 1.3 protection too (the
    /// handshake-to-application change and KeyUpdate, RFC 8446 §7.2,
    /// §4.6.3), so a key change allocates nothing.
    pub fn set_tls13_read_protection(&mut self, protection: Tls13AeadProtection) {
        if let Some(protection) = self.read.rekey_tls13(protection) {
            self.read = Epoch::new(Box::new(protection), 0);
        }
        self.deframer
            .set_max_fragment_len(self.read.protection.max_fragment_len());
    }

    /// [`Self::set_tls13_read_protection`] for writing.
    pub fn set_tls13_write_protection(&mut self, protection: Tls13AeadProtection) {
        if let Some(protection) = self.write.rekey_tls13(protection) {
            self.write = Epoch::new(Box::new(protection), 0);
        }
    }

    /// Installs write protection whose next sequence number is `next_seq`
    /// (see [`Self::resume_read_protection`]).
    pub fn resume_write_protection(
        &mut self,
        protection: Box<dyn RecordProtection>,
        next_seq: u64,
    ) {
        self.write = Epoch::new(protection, next_seq);
        self.fragmenter.start_epoch();
    }

    /// Whether received records are currently protected.
    pub fn is_read_protected(&self) -> bool {
        self.read.protection.is_protected()
    }

    /// Whether outgoing records are currently protected.
    pub fn is_write_protected(&self) -> bool {
        self.write.protection.is_protected()
    }

    /// The sequence number the next protected received record will have.
    pub fn read_sequence_number(&self) -> u64 {
        self.read.next_seq
    }

    /// The sequence number the next protected outgoing record will have.
    pub fn write_sequence_number(&self) -> u64 {
        self.write.next_seq
    }

    /// The most application data [`Self::seal`] may take now while `keep`
    /// records of the write key's usage limit stay unused (for the
    /// KeyUpdate or close_notify that retires the key): whole fragments,
    /// less one record when 1/n−1 splitting adds one.
    pub fn sealable_len(&self, keep: u64) -> usize {
        let records = self
            .write
            .limit
            .saturating_sub(self.write.next_seq)
            .saturating_sub(keep)
            .saturating_sub(u64::from(self.split_application_data));
        usize::try_from(records)
            .unwrap_or(usize::MAX)
            .saturating_mul(self.max_plaintext_len())
    }

    /// Puts at most `len` bytes of content in each outgoing record, below
    /// what the protocol and the peer allow (a configuration's
    /// `max_fragment_size`).
    pub fn set_max_fragment_size(&mut self, len: u16) {
        self.fragmenter.set_cap(len);
    }

    /// Applies the peer's `record_size_limit` to outgoing records
    /// (RFC 8449 §4). Fails with [`Error::IllegalParameter`] below 64.
    pub fn set_peer_record_size_limit(&mut self, limit: u16, tls13: bool) -> Result<(), Error> {
        self.fragmenter.set_record_size_limit(limit, tls13)
    }

    /// Applies the peer's `record_size_limit` to the records of the next
    /// write epoch (the next [`Self::resume_write_protection`]) and after;
    /// those of the current one keep its limit (see
    /// [`Fragmenter::set_next_epoch_record_size_limit`]).
    pub fn set_next_epoch_peer_record_size_limit(
        &mut self,
        limit: u16,
        tls13: bool,
    ) -> Result<(), Error> {
        self.fragmenter
            .set_next_epoch_record_size_limit(limit, tls13)
    }

    /// Applies the `record_size_limit` we announced to the protected
    /// records received from now on (RFC 8449 §4: unprotected ones are
    /// not subject to it): a record whose plaintext, with TLS 1.3's
    /// content type and padding, is longer is `record_overflow`. A limit
    /// over the protocol's own counts as the protocol's. Fails with
    /// [`Error::IllegalParameter`] below 64.
    pub fn set_own_record_size_limit(&mut self, limit: u16, tls13: bool) -> Result<(), Error> {
        let limit = usize::from(limit);
        if limit < MIN_RECORD_SIZE_LIMIT {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::RecordSizeLimitTooSmall,
            ));
        }
        let protocol_max = if tls13 {
            MAX_INNER_PLAINTEXT_LEN_TLS13
        } else {
            MAX_PLAINTEXT_LEN
        };
        self.own_record_size_limit = Some(limit.min(protocol_max));
        Ok(())
    }

    /// The most plaintext one outgoing record carries now.
    pub fn max_plaintext_len(&self) -> usize {
        self.fragmenter.max_fragment_len()
    }

    /// The most bytes [`Self::seal`] appends for `plaintext_len` bytes of
    /// data under the current write protection (for reserving space).
    pub fn max_sealed_len(&self, plaintext_len: usize) -> usize {
        let records = plaintext_len.div_ceil(self.max_plaintext_len().max(1))
            + usize::from(self.split_application_data);
        let per_record = HEADER_LEN
            + self.write.protection.explicit_nonce_len()
            + self.write.protection.max_suffix_len();
        plaintext_len + records * per_record
    }

    /// Fragments `data` and seals each fragment as a record of
    /// `content_type`, appending them to `out` (empty `data` makes no
    /// record).
    ///
    /// Fails with [`Error::SequenceNumberExhausted`] before a record would
    /// need a sequence number at the limit, with
    /// [`Error::KeyUsageLimitReached`] before the write key would seal
    /// more records than its usage limit allows (RFC 8446 §5.5; the
    /// connection retires keys before that, see [`Self::sealable_len`]),
    /// or with the protection's local error. A failed record is removed
    /// from `out`, and so are the records the protection was still
    /// encrypting with it ([`RecordProtection::seal_batched`]); records
    /// finished before stay. The removed records' sequence numbers may be
    /// spent, so the caller sends nothing more under this key.
    pub fn seal(
        &mut self,
        content_type: ContentType,
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        let version = u16::from(self.write_version).to_be_bytes();
        let explicit = self.write.protection.explicit_nonce_len();
        // One allocation for all the records, not one growth per record.
        out.reserve(self.max_sealed_len(data.len()));
        let (first, rest) = match data.split_at_checked(1) {
            Some(split)
                if self.split_application_data
                    && content_type == ContentType::ApplicationData
                    && data.len() > 1 =>
            {
                split
            }
            _ => (&[][..], data),
        };
        let first = (!first.is_empty()).then_some(first);
        let write = &mut self.write;
        let sealed = first
            .into_iter()
            .chain(self.fragmenter.fragments(rest))
            .try_for_each(|fragment| {
                let seq = write.sequence_number()?;
                if seq >= write.limit {
                    return Err(Error::KeyUsageLimitReached);
                }
                let start = out.len();
                out.extend_from_slice(&[content_type.into(), version[0], version[1], 0, 0]);
                out.resize(out.len() + explicit, 0);
                out.extend_from_slice(fragment);
                if let Err(e) = write.protection.seal_batched(seq, out, start) {
                    out.truncate(start);
                    return Err(e);
                }
                let protected = write.protection.is_protected();
                write.advance(protected);
                Ok(())
            });
        // On every path, so that no record is left unencrypted.
        let finished = self.write.protection.finish_sealing(out);
        sealed.and(finished)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::aead::AeadAlgorithm;
    use crate::record::Tls13AeadProtection;

    const KEY: [u8; 16] = [7; 16];
    const IV: [u8; 12] = [9; 12];

    fn tls13() -> Box<dyn RecordProtection> {
        Box::new(Tls13AeadProtection::new(AeadAlgorithm::Aes128Gcm, &KEY, &IV).unwrap())
    }

    /// A writer and a reader under the same TLS 1.3 key.
    fn pair() -> (RecordLayer, RecordLayer) {
        let mut writer = RecordLayer::new();
        writer.set_write_protection(tls13());
        let mut reader = RecordLayer::new();
        reader.set_read_protection(tls13());
        (writer, reader)
    }

    #[test]
    fn a_tls13_key_change_replaces_the_keys_in_place_and_restarts_the_sequence() {
        let (mut writer, mut reader) = pair();
        let mut wire = Vec::new();
        for _ in 0..3 {
            writer
                .seal(ContentType::ApplicationData, b"old key", &mut wire)
                .unwrap();
        }
        assert_eq!(receive(&mut reader, &wire), Ok(21));
        let address = |p: &dyn RecordProtection| p as *const dyn RecordProtection as *const u8;
        let (write_at, read_at) = (
            address(&*writer.write.protection),
            address(&*reader.read.protection),
        );
        let next = || Tls13AeadProtection::new(AeadAlgorithm::Aes128Gcm, &[8; 16], &IV).unwrap();
        writer.set_tls13_write_protection(next());
        reader.set_tls13_read_protection(next());
        assert_eq!(address(&*writer.write.protection), write_at);
        assert_eq!(address(&*reader.read.protection), read_at);
        // Both restart at sequence number 0 under the new key: each
        // interoperates with a layer given the new key afresh.
        let mut fresh_reader = RecordLayer::new();
        fresh_reader.set_read_protection(Box::new(next()));
        let mut fresh_writer = RecordLayer::new();
        fresh_writer.set_write_protection(Box::new(next()));
        wire.clear();
        writer
            .seal(ContentType::ApplicationData, b"new key", &mut wire)
            .unwrap();
        assert_eq!(receive(&mut fresh_reader, &wire), Ok(7));
        wire.clear();
        fresh_writer
            .seal(ContentType::ApplicationData, b"new key", &mut wire)
            .unwrap();
        assert_eq!(receive(&mut reader, &wire), Ok(7));
    }

    fn receive(reader: &mut RecordLayer, wire: &[u8]) -> Result<usize, Error> {
        assert_eq!(reader.push_received(wire), wire.len());
        let mut total = 0;
        while let Some(record) = reader.next_record()? {
            total += record.plaintext.len();
        }
        Ok(total)
    }

    #[test]
    fn tls13_limit_counts_the_content_type_byte() {
        // A limit of 100 admits 99 bytes of content plus the type byte.
        let (mut writer, mut reader) = pair();
        reader.set_own_record_size_limit(100, true).unwrap();
        let mut wire = Vec::new();
        writer
            .seal(ContentType::ApplicationData, &[1; 99], &mut wire)
            .unwrap();
        assert_eq!(receive(&mut reader, &wire), Ok(99));
        let mut wire = Vec::new();
        writer
            .seal(ContentType::ApplicationData, &[1; 100], &mut wire)
            .unwrap();
        assert_eq!(receive(&mut reader, &wire), Err(Error::RecordOverflow));
    }

    /// A TLS 1.3 record (sequence number 0) of application data
    /// `content` followed by `padding` zero bytes (RFC 8446 §5.4), sealed
    /// by hand: the record layer itself never pads.
    fn seal_padded(content: &[u8], padding: usize) -> Vec<u8> {
        let mut inner = content.to_vec();
        inner.push(ContentType::ApplicationData.into());
        inner.resize(inner.len() + padding, 0);
        let len = u16::try_from(inner.len() + crate::crypto::aead::TAG_LEN).unwrap();
        let header = [
            ContentType::ApplicationData.into(),
            3,
            3,
            len.to_be_bytes()[0],
            len.to_be_bytes()[1],
        ];
        let key = crate::crypto::aead::AeadKey::new(AeadAlgorithm::Aes128Gcm, &KEY).unwrap();
        let tag = key.seal_in_place(IV, &header, &mut inner).unwrap();
        [&header[..], &inner, &tag].concat()
    }

    #[test]
    fn tls13_limit_counts_padding() {
        // 90 bytes of content, the type byte and 19 bytes of padding are a
        // 110-byte TLSInnerPlaintext: within a limit of 110; one more byte
        // of padding is over it (RFC 8449 §4), though the content is not.
        for (padding, expected) in [(19, Ok(90)), (20, Err(Error::RecordOverflow))] {
            let mut reader = RecordLayer::new();
            reader.set_read_protection(tls13());
            reader.set_own_record_size_limit(110, true).unwrap();
            assert_eq!(
                receive(&mut reader, &seal_padded(&[1; 90], padding)),
                expected
            );
        }
    }

    #[test]
    fn unprotected_records_are_not_limited() {
        // RFC 8449 §4: only protected records are subject to the limit.
        let mut writer = RecordLayer::new();
        let mut reader = RecordLayer::new();
        reader.set_own_record_size_limit(64, false).unwrap();
        let mut wire = Vec::new();
        writer
            .seal(ContentType::Handshake, &[1; 1000], &mut wire)
            .unwrap();
        assert_eq!(receive(&mut reader, &wire), Ok(1000));
    }

    #[test]
    fn without_a_negotiated_limit_the_protocol_limit_holds() {
        let (mut writer, mut reader) = pair();
        let mut wire = Vec::new();
        writer
            .seal(
                ContentType::ApplicationData,
                &[1; MAX_PLAINTEXT_LEN],
                &mut wire,
            )
            .unwrap();
        assert_eq!(receive(&mut reader, &wire), Ok(MAX_PLAINTEXT_LEN));
    }

    #[test]
    fn own_limit_below_64_is_illegal_parameter() {
        let mut layer = RecordLayer::new();
        assert_eq!(
            layer.set_own_record_size_limit(63, true),
            Err(Error::IllegalParameter(
                IllegalParameterReason::RecordSizeLimitTooSmall
            ))
        );
        assert!(layer.set_own_record_size_limit(64, true).is_ok());
    }

    #[test]
    fn peer_limit_sizes_outgoing_records() {
        // TLS 1.3: a peer limit of 64 means 63 bytes of content per
        // record; TLS 1.2: 64.
        for (tls13, per_record) in [(true, 63), (false, 64)] {
            let mut writer = RecordLayer::new();
            writer.set_peer_record_size_limit(64, tls13).unwrap();
            let mut wire = Vec::new();
            writer
                .seal(ContentType::Handshake, &[1; 200], &mut wire)
                .unwrap();
            let mut reader = RecordLayer::new();
            reader.push_received(&wire);
            let mut lens = Vec::new();
            while let Some(record) = reader.next_record().unwrap() {
                lens.push(record.plaintext.len());
            }
            assert_eq!(
                lens,
                [per_record, per_record, per_record, 200 - 3 * per_record]
            );
        }
    }
}
