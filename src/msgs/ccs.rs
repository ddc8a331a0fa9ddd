//! The ChangeCipherSpec message (RFC 5246 §7.1; RFC 8446 §5 keeps it for
//! middlebox compatibility).

use crate::codec::{Codec, Reader, Writer};
use crate::error::{Error, UnexpectedMessageReason};

/// The single value a ChangeCipherSpec body may hold (RFC 5246 §7.1).
pub const CHANGE_CIPHER_SPEC_VALUE: u8 = 1;

/// A ChangeCipherSpec: one byte, 0x01.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeCipherSpec;

impl Codec for ChangeCipherSpec {
    fn encode(&self, w: &mut Writer) {
        w.u8(CHANGE_CIPHER_SPEC_VALUE);
    }

    /// Reads the one byte. An empty input is [`Error::Decode`]; any value
    /// but 0x01 is [`Error::UnexpectedMessage`] (RFC 8446 §5).
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        if r.u8()? != CHANGE_CIPHER_SPEC_VALUE {
            return Err(Error::UnexpectedMessage(UnexpectedMessageReason::CcsValue));
        }
        Ok(Self)
    }

    /// Reads the whole body of a ChangeCipherSpec record: anything but
    /// the single byte 0x01 — another value, no byte, more bytes — is
    /// [`Error::UnexpectedMessage`], in TLS 1.3 by RFC 8446 §5 and in
    /// TLS ≤ 1.2 as OpenSSL 3.0 answers it (docs/interop.md).
    fn decode_exact(bytes: &[u8]) -> Result<Self, Error> {
        match bytes {
            [CHANGE_CIPHER_SPEC_VALUE] => Ok(Self),
            _ => Err(Error::UnexpectedMessage(UnexpectedMessageReason::CcsBody)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::UnexpectedMessageReason;

    #[test]
    fn only_the_single_byte_one_decodes() {
        assert_eq!(ChangeCipherSpec::decode_exact(&[1]), Ok(ChangeCipherSpec));
        assert_eq!(ChangeCipherSpec.to_bytes().unwrap(), [1]);
        assert!(matches!(
            ChangeCipherSpec::decode_exact(&[]),
            Err(Error::UnexpectedMessage(UnexpectedMessageReason::CcsBody))
        ));
        assert!(matches!(
            ChangeCipherSpec::decode_exact(&[1, 1]),
            Err(Error::UnexpectedMessage(UnexpectedMessageReason::CcsBody))
        ));
        assert!(matches!(
            ChangeCipherSpec::decode_exact(&[2]),
            Err(Error::UnexpectedMessage(UnexpectedMessageReason::CcsBody))
        ));
    }
}
