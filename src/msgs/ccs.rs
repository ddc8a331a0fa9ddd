//! The ChangeCipherSpec message (RFC 5246 §7.1; RFC 8446 §5 keeps it for
//! middlebox compatibility).

use crate::codec::{Codec, Reader, Writer};
use crate::error::Error;

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
            return Err(Error::UnexpectedMessage("ChangeCipherSpec value is not 1"));
        }
        Ok(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_single_byte_one_decodes() {
        assert_eq!(ChangeCipherSpec::decode_exact(&[1]), Ok(ChangeCipherSpec));
        assert_eq!(ChangeCipherSpec.to_bytes().unwrap(), [1]);
        assert!(matches!(
            ChangeCipherSpec::decode_exact(&[]),
            Err(Error::Decode(_))
        ));
        assert!(matches!(
            ChangeCipherSpec::decode_exact(&[1, 1]),
            Err(Error::Decode(_))
        ));
        assert!(matches!(
            ChangeCipherSpec::decode_exact(&[2]),
            Err(Error::UnexpectedMessage(_))
        ));
    }
}
