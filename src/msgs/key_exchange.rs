//! The TLS 1.0–1.2 key exchange messages: ServerKeyExchange for ECDHE
//! (RFC 8422 §5.4) and ClientKeyExchange for ECDHE (RFC 8422 §5.7) and RSA
//! (RFC 5246 §7.4.7.1).

use crate::codec::{Codec, LengthPrefix, Reader, Writer};
use crate::error::{Error, IllegalParameterReason};
use crate::msgs::enums::{EcCurveType, NamedGroup};
use crate::msgs::signature::DigitallySigned;
use crate::msgs::syntax::VectorSpec;

/// `opaque point<1..2^8-1>` of an ECPoint (RFC 8422 §5.4, §5.7).
pub const EC_POINT: VectorSpec = VectorSpec::new(LengthPrefix::U8, 1, 0xff);

/// `opaque EncryptedPreMasterSecret<0..2^16-1>` as TLS 1.0–1.2 write it
/// (RFC 5246 §7.4.7.1; RFC 2246 §7.4.7.1).
pub const ENCRYPTED_PRE_MASTER_SECRET: VectorSpec = VectorSpec::new(LengthPrefix::U16, 0, 0xffff);

/// The 1.0–1.2 key exchange method of the negotiated cipher suite, which
/// decides the syntax of ServerKeyExchange and ClientKeyExchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyExchangeAlgorithm {
    /// Ephemeral elliptic-curve Diffie-Hellman (RFC 8422).
    Ecdhe,
    /// RSA key transport (RFC 5246 §7.4.7.1); no ServerKeyExchange.
    Rsa,
}

/// `ServerECDHParams` with a named curve (RFC 8422 §5.4): the part of a
/// ServerKeyExchange the signature covers after the two randoms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerEcdhParams {
    /// The curve.
    pub group: NamedGroup,
    /// The server's ephemeral public point.
    pub public: Vec<u8>,
}

impl Codec for ServerEcdhParams {
    fn encode(&self, w: &mut Writer) {
        EcCurveType::NamedCurve.encode(w);
        self.group.encode(w);
        EC_POINT.write(w, &self.public);
    }

    /// Reads the parameters. A curve type other than `named_curve` is
    /// [`Error::IllegalParameter`] (the explicit forms are deprecated,
    /// RFC 8422 §5.4); a bad point length is [`Error::Decode`].
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        if EcCurveType::decode(r)? != EcCurveType::NamedCurve {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::CurveTypeNotNamed,
            ));
        }
        Ok(Self {
            group: NamedGroup::decode(r)?,
            public: EC_POINT.read_vec(r)?,
        })
    }
}

/// An ECDHE ServerKeyExchange (RFC 8422 §5.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerKeyExchange {
    /// The signed parameters.
    pub params: ServerEcdhParams,
    /// The signature over client_random ‖ server_random ‖ params.
    pub signature: DigitallySigned,
}

impl ServerKeyExchange {
    /// Appends the message body.
    pub fn encode(&self, w: &mut Writer) {
        self.params.encode(w);
        self.signature.encode(w);
    }

    /// Reads the message body; `with_scheme` is true for TLS 1.2. Errors
    /// as [`ServerEcdhParams::decode`] and [`DigitallySigned::decode`].
    pub fn decode(r: &mut Reader<'_>, with_scheme: bool) -> Result<Self, Error> {
        Ok(Self {
            params: ServerEcdhParams::decode(r)?,
            signature: DigitallySigned::decode(r, with_scheme)?,
        })
    }
}

/// A ClientKeyExchange (RFC 5246 §7.4.7, RFC 8422 §5.7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientKeyExchange {
    /// The client's ephemeral public point (`ClientECDiffieHellmanPublic`).
    Ecdhe(Vec<u8>),
    /// The RSA-encrypted premaster secret.
    Rsa(Vec<u8>),
}

impl ClientKeyExchange {
    /// Appends the message body.
    pub fn encode(&self, w: &mut Writer) {
        match self {
            Self::Ecdhe(point) => EC_POINT.write(w, point),
            Self::Rsa(encrypted) => ENCRYPTED_PRE_MASTER_SECRET.write(w, encrypted),
        }
    }

    /// Reads the message body in the form `algorithm` gives it. A short
    /// input or an empty point is [`Error::Decode`].
    pub fn decode(r: &mut Reader<'_>, algorithm: KeyExchangeAlgorithm) -> Result<Self, Error> {
        Ok(match algorithm {
            KeyExchangeAlgorithm::Ecdhe => Self::Ecdhe(EC_POINT.read_vec(r)?),
            KeyExchangeAlgorithm::Rsa => Self::Rsa(ENCRYPTED_PRE_MASTER_SECRET.read_vec(r)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{DecodeReason, IllegalParameterReason};
    use crate::msgs::enums::SignatureScheme;

    #[test]
    fn explicit_curves_are_illegal() {
        let bytes = [1, 0, 0x17, 1, 4];
        assert!(matches!(
            ServerEcdhParams::decode_exact(&bytes),
            Err(Error::IllegalParameter(
                IllegalParameterReason::CurveTypeNotNamed
            ))
        ));
    }

    #[test]
    fn server_key_exchange_params_encode_as_rfc_8422_says() {
        let ske = ServerKeyExchange {
            params: ServerEcdhParams {
                group: NamedGroup::X25519,
                public: vec![0xaa; 32],
            },
            signature: DigitallySigned {
                scheme: Some(SignatureScheme::rsa_pss_rsae_sha256),
                signature: vec![0xbb; 4],
            },
        };
        let mut w = Writer::new();
        ske.encode(&mut w);
        let bytes = w.finish().unwrap();
        // curve_type 3, group 0x001d, point length 32 (RFC 8422 §5.4).
        assert_eq!(bytes.get(..4).unwrap(), [3, 0x00, 0x1d, 32]);
        let mut r = Reader::new(&bytes);
        assert_eq!(ServerKeyExchange::decode(&mut r, true).unwrap(), ske);
        r.finish().unwrap();
    }

    #[test]
    fn client_key_exchange_forms() {
        for (cke, algorithm, prefix) in [
            (
                ClientKeyExchange::Ecdhe(vec![4; 65]),
                KeyExchangeAlgorithm::Ecdhe,
                [65u8].to_vec(),
            ),
            (
                ClientKeyExchange::Rsa(vec![1; 256]),
                KeyExchangeAlgorithm::Rsa,
                vec![1, 0],
            ),
        ] {
            let mut w = Writer::new();
            cke.encode(&mut w);
            let bytes = w.finish().unwrap();
            assert!(bytes.starts_with(&prefix));
            let mut r = Reader::new(&bytes);
            assert_eq!(ClientKeyExchange::decode(&mut r, algorithm).unwrap(), cke);
            r.finish().unwrap();
        }
        assert!(matches!(
            ClientKeyExchange::decode(&mut Reader::new(&[0]), KeyExchangeAlgorithm::Ecdhe),
            Err(Error::Decode(DecodeReason::VectorLength))
        ));
    }
}
