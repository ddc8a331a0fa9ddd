//! The signed structures of ServerKeyExchange and CertificateVerify:
//! `DigitallySigned` (RFC 5246 §4.7, §7.4.8; RFC 8446 §4.4.3), with the
//! signature scheme field of TLS 1.2/1.3 or without it (TLS 1.0/1.1,
//! RFC 4346 §4.7, where the algorithm follows from the key).

use crate::codec::{Codec, LengthPrefix, Reader, Writer};
use crate::error::Error;
use crate::msgs::enums::SignatureScheme;
use crate::msgs::syntax::VectorSpec;

/// `opaque signature<0..2^16-1>` (RFC 5246 §4.7, RFC 8446 §4.4.3).
pub const SIGNATURE: VectorSpec = VectorSpec::new(LengthPrefix::U16, 0, 0xffff);

/// A signature with, from TLS 1.2 on, the scheme that made it. Also the
/// body of a CertificateVerify message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigitallySigned {
    /// The scheme: `Some` in TLS 1.2 and 1.3, `None` in TLS 1.0/1.1.
    pub scheme: Option<SignatureScheme>,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

impl DigitallySigned {
    /// Appends the structure: the scheme when present, then the signature.
    pub fn encode(&self, w: &mut Writer) {
        if let Some(scheme) = self.scheme {
            scheme.encode(w);
        }
        SIGNATURE.write(w, &self.signature);
    }

    /// Reads the structure; `with_scheme` is true for TLS 1.2 and 1.3.
    /// A short input is [`Error::Decode`].
    pub fn decode(r: &mut Reader<'_>, with_scheme: bool) -> Result<Self, Error> {
        Ok(Self {
            scheme: if with_scheme {
                Some(SignatureScheme::decode(r)?)
            } else {
                None
            },
            signature: SIGNATURE.read_vec(r)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_round_trip() {
        for scheme in [Some(SignatureScheme::ecdsa_secp256r1_sha256), None] {
            let signed = DigitallySigned {
                scheme,
                signature: vec![0x30, 0x02, 0x01, 0x00],
            };
            let mut w = Writer::new();
            signed.encode(&mut w);
            let bytes = w.finish().unwrap();
            assert_eq!(bytes.len(), 2 + 4 + usize::from(scheme.is_some()) * 2);
            let mut r = Reader::new(&bytes);
            assert_eq!(
                DigitallySigned::decode(&mut r, scheme.is_some()).unwrap(),
                signed
            );
            r.finish().unwrap();
        }
    }
}
