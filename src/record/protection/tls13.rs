//! TLS 1.3 record protection (RFC 8446 §5.2–5.4).

use super::{fragment_len, fragment_mut, header_fields, header_mut, xor_nonce, Opened};
use super::{set_length, RecordProtection};
use crate::crypto::aead::{AeadAlgorithm, AeadKey, NONCE_LEN, TAG_LEN};
use crate::error::{CryptoReason, Error, UnexpectedMessageReason};
use crate::msgs::enums::ContentType;
use crate::record::{HEADER_LEN, MAX_CIPHERTEXT_LEN_TLS13, MAX_INNER_PLAINTEXT_LEN_TLS13};
use zeroize::Zeroizing;

/// TLS 1.3 AEAD protection: `TLSInnerPlaintext` (content ‖ type ‖ zero
/// padding) sealed under the nonce `iv ⊕ seq` with the record header as
/// additional data, carried in an `application_data` record of version
/// 0x0303 (RFC 8446 §5.2, §5.3).
///
/// Sealing adds no padding. Opening strips any padding, refuses a record
/// that is padding only (`unexpected_message`, §5.4), an inner plaintext
/// over 2^14 + 1 bytes (`record_overflow`, §5.4) and an inner content type
/// other than handshake, alert or application data. An unprotected
/// `change_cipher_spec` record passes through unopened (§5), marked
/// unprotected; the connection checks that it is allowed there. So does
/// an unprotected alert on a key made with
/// [`Tls13AeadProtection::allowing_plaintext_alerts`], until a record
/// opens under it.
pub struct Tls13AeadProtection {
    key: AeadKey,
    iv: Zeroizing<[u8; NONCE_LEN]>,
    /// Unprotected alerts still pass (see
    /// [`Tls13AeadProtection::allowing_plaintext_alerts`]).
    plaintext_alerts: bool,
}

impl Tls13AeadProtection {
    /// Protection under the traffic `key` and `iv` derived for this epoch
    /// (RFC 8446 §7.3).
    ///
    /// Fails with [`Error::Crypto`] when `key` does not fit `algorithm` or
    /// `iv` is not 12 bytes.
    pub fn new(algorithm: AeadAlgorithm, key: &[u8], iv: &[u8]) -> Result<Self, Error> {
        let mut fixed = Zeroizing::new([0u8; NONCE_LEN]);
        if iv.len() != NONCE_LEN {
            return Err(Error::Crypto(CryptoReason::Tls13IvLength));
        }
        fixed.copy_from_slice(iv);
        Ok(Self {
            key: AeadKey::new(algorithm, key)?,
            iv: fixed,
            plaintext_alerts: false,
        })
    }

    /// This protection, also passing unprotected alerts (marked
    /// unprotected) until the first record opens under it. A server's
    /// first read key needs it: a client that cannot go on after our
    /// ServerHello may not have installed its handshake keys, and answers
    /// with a plaintext alert, which then says why the handshake ended
    /// (OpenSSL allows the same; RFC 8446 §6 has alerts encrypted under
    /// the current state, which for that client is none).
    pub fn allowing_plaintext_alerts(mut self) -> Self {
        self.plaintext_alerts = true;
        self
    }
}

impl RecordProtection for Tls13AeadProtection {
    fn explicit_nonce_len(&self) -> usize {
        0
    }

    fn max_suffix_len(&self) -> usize {
        1 + TAG_LEN
    }

    fn max_fragment_len(&self) -> usize {
        MAX_CIPHERTEXT_LEN_TLS13
    }

    fn as_tls13_mut(&mut self) -> Option<&mut Tls13AeadProtection> {
        Some(self)
    }

    fn is_protected(&self) -> bool {
        true
    }

    fn usage_limit(&self) -> u64 {
        self.key.algorithm().confidentiality_limit()
    }

    fn seal(&mut self, seq: u64, out: &mut Vec<u8>, record_start: usize) -> Result<(), Error> {
        let plaintext_len = fragment_len(out, record_start)?;
        let (content_type, _) = header_fields(out.get(record_start..).unwrap_or_default())?;
        out.push(u8::from(content_type));
        let header = header_mut(out, record_start)?;
        header.copy_from_slice(&[u8::from(ContentType::ApplicationData), 0x03, 0x03, 0, 0]);
        set_length(out, record_start, plaintext_len + 1 + TAG_LEN)?;
        let mut aad = [0u8; HEADER_LEN];
        aad.copy_from_slice(header_mut(out, record_start)?);
        let body = out
            .get_mut(record_start + HEADER_LEN..)
            .ok_or(Error::Crypto(CryptoReason::RecordBufferTooShort))?;
        let tag = self
            .key
            .seal_in_place(xor_nonce(&self.iv, seq), &aad, body)?;
        out.extend_from_slice(&tag);
        Ok(())
    }

    fn open(&mut self, seq: u64, record: &mut [u8]) -> Result<Opened, Error> {
        let (outer_type, _) = header_fields(record)?;
        match outer_type {
            ContentType::ApplicationData => {}
            ContentType::ChangeCipherSpec => return Ok(unprotected(outer_type, record)),
            ContentType::Alert if self.plaintext_alerts => {
                return Ok(unprotected(outer_type, record))
            }
            _ => {
                return Err(Error::UnexpectedMessage(
                    UnexpectedMessageReason::ProtectedRecordType,
                ))
            }
        }
        let mut aad = [0u8; HEADER_LEN];
        aad.copy_from_slice(record.get(..HEADER_LEN).ok_or(Error::BadRecordMac)?);
        let inner =
            self.key
                .open_in_place(xor_nonce(&self.iv, seq), &aad, fragment_mut(record)?)?;
        if inner.len() > MAX_INNER_PLAINTEXT_LEN_TLS13 {
            return Err(Error::RecordOverflow);
        }
        let type_at = inner
            .iter()
            .rposition(|&b| b != 0)
            .ok_or(Error::UnexpectedMessage(
                UnexpectedMessageReason::NoInnerContentType,
            ))?;
        let content_type = inner
            .get(type_at)
            .map(|&b| ContentType::from(b))
            .ok_or(Error::BadRecordMac)?;
        match content_type {
            ContentType::Handshake | ContentType::Alert | ContentType::ApplicationData => {}
            _ => {
                return Err(Error::UnexpectedMessage(
                    UnexpectedMessageReason::InnerContentType,
                ))
            }
        }
        // A record opened: the peer has our keys, so its alerts come
        // protected from now on.
        self.plaintext_alerts = false;
        Ok(Opened {
            content_type,
            plaintext: HEADER_LEN..HEADER_LEN + type_at,
            protected: true,
            inner_overhead: inner.len() - type_at,
        })
    }
}

/// An unprotected record passed through unopened: its whole fragment,
/// marked unprotected.
fn unprotected(content_type: ContentType, record: &[u8]) -> Opened {
    Opened {
        content_type,
        plaintext: HEADER_LEN..record.len(),
        protected: false,
        inner_overhead: 0,
    }
}
