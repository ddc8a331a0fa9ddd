//! The TLS 1.0–1.2 key exchange messages: ServerKeyExchange for ECDHE
//! (RFC 8422 §5.4) and DHE (RFC 5246 §7.4.3), and ClientKeyExchange for
//! ECDHE (RFC 8422 §5.7), DHE (RFC 5246 §7.4.7.2) and RSA (RFC 5246
//! §7.4.7.1).

use crate::codec::{Codec, LengthPrefix, Reader, Writer};
use crate::error::{Error, IllegalParameterReason};
use crate::msgs::enums::{EcCurveType, NamedGroup};
use crate::msgs::signature::DigitallySigned;
use crate::msgs::syntax::VectorSpec;

/// `opaque point<1..2^8-1>` of an ECPoint (RFC 8422 §5.4, §5.7).
pub const EC_POINT: VectorSpec = VectorSpec::new(LengthPrefix::U8, 1, 0xff);

/// `opaque dh_p<1..2^16-1>`, and so `dh_g`, `dh_Ys` and `dh_Yc`: the
/// DHE parameters and public values (RFC 5246 §7.4.3, §7.4.7.2).
pub const DH_VALUE: VectorSpec = VectorSpec::new(LengthPrefix::U16, 1, 0xffff);

/// `opaque EncryptedPreMasterSecret<0..2^16-1>` as TLS 1.0–1.2 write it
/// (RFC 5246 §7.4.7.1; RFC 2246 §7.4.7.1).
pub const ENCRYPTED_PRE_MASTER_SECRET: VectorSpec = VectorSpec::new(LengthPrefix::U16, 0, 0xffff);

/// The 1.0–1.2 key exchange method of the negotiated cipher suite, which
/// decides the syntax of ServerKeyExchange and ClientKeyExchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyExchangeAlgorithm {
    /// Ephemeral elliptic-curve Diffie-Hellman (RFC 8422).
    Ecdhe,
    /// Ephemeral finite-field Diffie-Hellman (RFC 5246 §7.4.3, RFC 7919).
    Dhe,
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

/// `ServerDHParams` (RFC 5246 §7.4.3): the group and the server's public
/// value, as the signature covers them after the two randoms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerDhParams {
    /// The prime modulus, big-endian.
    pub prime: Vec<u8>,
    /// The generator, big-endian.
    pub generator: Vec<u8>,
    /// The server's public value g^X mod p, big-endian.
    pub public: Vec<u8>,
}

impl Codec for ServerDhParams {
    fn encode(&self, w: &mut Writer) {
        DH_VALUE.write(w, &self.prime);
        DH_VALUE.write(w, &self.generator);
        DH_VALUE.write(w, &self.public);
    }

    /// Reads the parameters; an empty or truncated value is
    /// [`Error::Decode`].
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            prime: DH_VALUE.read_vec(r)?,
            generator: DH_VALUE.read_vec(r)?,
            public: DH_VALUE.read_vec(r)?,
        })
    }
}

/// The signed parameters of a ServerKeyExchange, by key exchange.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerKxParams {
    /// ECDHE (RFC 8422 §5.4).
    Ecdh(ServerEcdhParams),
    /// DHE (RFC 5246 §7.4.3).
    Dh(ServerDhParams),
}

impl ServerKxParams {
    /// Appends the parameters.
    pub fn encode(&self, w: &mut Writer) {
        match self {
            Self::Ecdh(params) => params.encode(w),
            Self::Dh(params) => params.encode(w),
        }
    }

    /// The length of the encoding.
    pub fn encoded_len(&self) -> usize {
        match self {
            // curve_type (1), named_curve (2), the point with its length.
            Self::Ecdh(params) => 1 + 2 + 1 + params.public.len(),
            Self::Dh(params) => {
                2 + params.prime.len() + 2 + params.generator.len() + 2 + params.public.len()
            }
        }
    }
}

/// A ServerKeyExchange (RFC 8422 §5.4, RFC 5246 §7.4.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerKeyExchange {
    /// The signed parameters.
    pub params: ServerKxParams,
    /// The signature over client_random ‖ server_random ‖ params.
    pub signature: DigitallySigned,
}

impl ServerKeyExchange {
    /// Appends the message body.
    pub fn encode(&self, w: &mut Writer) {
        self.params.encode(w);
        self.signature.encode(w);
    }

    /// Reads the message body in the form `algorithm` gives it (`None` for
    /// RSA key exchange, which has no ServerKeyExchange); `with_scheme` is
    /// true for TLS 1.2. Errors as [`ServerEcdhParams::decode`],
    /// [`ServerDhParams::decode`] and [`DigitallySigned::decode`].
    pub fn decode(
        r: &mut Reader<'_>,
        algorithm: KeyExchangeAlgorithm,
        with_scheme: bool,
    ) -> Result<Option<Self>, Error> {
        let params = match algorithm {
            KeyExchangeAlgorithm::Ecdhe => ServerKxParams::Ecdh(ServerEcdhParams::decode(r)?),
            KeyExchangeAlgorithm::Dhe => ServerKxParams::Dh(ServerDhParams::decode(r)?),
            KeyExchangeAlgorithm::Rsa => return Ok(None),
        };
        Ok(Some(Self {
            params,
            signature: DigitallySigned::decode(r, with_scheme)?,
        }))
    }
}

/// A ClientKeyExchange (RFC 5246 §7.4.7, RFC 8422 §5.7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientKeyExchange {
    /// The client's ephemeral public point (`ClientECDiffieHellmanPublic`).
    Ecdhe(Vec<u8>),
    /// The client's public value `dh_Yc` (`ClientDiffieHellmanPublic`,
    /// explicit: RFC 5246 §7.4.7.2).
    Dhe(Vec<u8>),
    /// The RSA-encrypted premaster secret.
    Rsa(Vec<u8>),
}

impl ClientKeyExchange {
    /// Appends the message body.
    pub fn encode(&self, w: &mut Writer) {
        match self {
            Self::Ecdhe(point) => EC_POINT.write(w, point),
            Self::Dhe(public) => DH_VALUE.write(w, public),
            Self::Rsa(encrypted) => ENCRYPTED_PRE_MASTER_SECRET.write(w, encrypted),
        }
    }

    /// Reads the message body in the form `algorithm` gives it. A short
    /// input or an empty point is [`Error::Decode`].
    pub fn decode(r: &mut Reader<'_>, algorithm: KeyExchangeAlgorithm) -> Result<Self, Error> {
        Ok(match algorithm {
            KeyExchangeAlgorithm::Ecdhe => Self::Ecdhe(EC_POINT.read_vec(r)?),
            KeyExchangeAlgorithm::Dhe => Self::Dhe(DH_VALUE.read_vec(r)?),
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
            params: ServerKxParams::Ecdh(ServerEcdhParams {
                group: NamedGroup::X25519,
                public: vec![0xaa; 32],
            }),
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
        assert_eq!(ske.params.encoded_len() + 2 + 2 + 4, bytes.len());
        let mut r = Reader::new(&bytes);
        let decoded = ServerKeyExchange::decode(&mut r, KeyExchangeAlgorithm::Ecdhe, true);
        assert_eq!(decoded.unwrap(), Some(ske));
        r.finish().unwrap();
    }

    #[test]
    fn dhe_server_key_exchange_encodes_as_rfc_5246_7_4_3_says() {
        let ske = ServerKeyExchange {
            params: ServerKxParams::Dh(ServerDhParams {
                prime: vec![0xcc; 3],
                generator: vec![2],
                public: vec![0xaa; 2],
            }),
            signature: DigitallySigned {
                scheme: None,
                signature: vec![0xbb; 4],
            },
        };
        let mut w = Writer::new();
        ske.encode(&mut w);
        let bytes = w.finish().unwrap();
        // dh_p, dh_g, dh_Ys each with a two-byte length, then the
        // signature without a scheme (TLS 1.0/1.1).
        assert_eq!(
            bytes,
            [0, 3, 0xcc, 0xcc, 0xcc, 0, 1, 2, 0, 2, 0xaa, 0xaa, 0, 4, 0xbb, 0xbb, 0xbb, 0xbb]
        );
        assert_eq!(ske.params.encoded_len() + 2 + 4, bytes.len());
        let mut r = Reader::new(&bytes);
        let decoded = ServerKeyExchange::decode(&mut r, KeyExchangeAlgorithm::Dhe, false);
        assert_eq!(decoded.unwrap(), Some(ske));
        // An empty dh_g is not a value (RFC 5246 §7.4.3: <1..2^16-1>).
        let empty_g = [0, 1, 0xcc, 0, 0, 0, 1, 2, 0, 0];
        assert!(matches!(
            ServerKeyExchange::decode(&mut Reader::new(&empty_g), KeyExchangeAlgorithm::Dhe, false),
            Err(Error::Decode(DecodeReason::VectorLength))
        ));
        // RSA key exchange has no ServerKeyExchange.
        let decoded =
            ServerKeyExchange::decode(&mut Reader::new(&bytes), KeyExchangeAlgorithm::Rsa, true);
        assert_eq!(decoded.unwrap(), None);
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
            (
                ClientKeyExchange::Dhe(vec![7; 256]),
                KeyExchangeAlgorithm::Dhe,
                vec![1, 0, 7],
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
        for algorithm in [KeyExchangeAlgorithm::Ecdhe, KeyExchangeAlgorithm::Dhe] {
            assert!(matches!(
                ClientKeyExchange::decode(&mut Reader::new(&[0, 0]), algorithm),
                Err(Error::Decode(DecodeReason::VectorLength))
            ));
        }
    }
}
