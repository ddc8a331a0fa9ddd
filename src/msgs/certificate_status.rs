//! The TLS 1.0–1.2 CertificateStatus message (handshake type 22, RFC 6066
//! §8): the OCSP response a server staples after its Certificate when it
//! acknowledged the client's status_request. TLS 1.3 carries the same
//! structure inside the end entity's CertificateEntry instead (RFC 8446
//! §4.4.2.1, [`Extension::OcspResponse`](crate::msgs::extensions::Extension)).

use crate::codec::{Codec, Reader, Writer};
use crate::error::{DecodeReason, Error};
use crate::msgs::enums::CertificateStatusType;
use crate::msgs::extensions::OCSP_RESPONSE;

/// `struct { CertificateStatusType status_type; select (status_type) {
/// case ocsp: OCSPResponse; } response; } CertificateStatus;` (RFC 6066
/// §8). Only the ocsp type is defined; any other is `decode_error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateStatus {
    /// The DER OCSPResponse (RFC 6960 §4.2.1), not parsed here.
    pub ocsp_response: Vec<u8>,
}

impl Codec for CertificateStatus {
    fn encode(&self, w: &mut Writer) {
        CertificateStatusType::Ocsp.encode(w);
        OCSP_RESPONSE.write(w, &self.ocsp_response);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        match CertificateStatusType::decode(r)? {
            CertificateStatusType::Ocsp => Ok(Self {
                ocsp_response: OCSP_RESPONSE.read_vec(r)?,
            }),
            _ => Err(Error::Decode(DecodeReason::CertificateStatusType)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<CertificateStatus, Error> {
        let mut r = Reader::new(bytes);
        let status = CertificateStatus::decode(&mut r)?;
        r.finish()?;
        Ok(status)
    }

    #[test]
    fn round_trips_an_ocsp_response() {
        let status = CertificateStatus {
            ocsp_response: vec![0x30, 0x03, 0x0a, 0x01, 0x00],
        };
        let mut w = Writer::new();
        status.encode(&mut w);
        let bytes = w.finish().unwrap();
        assert_eq!(bytes, [1, 0, 0, 5, 0x30, 0x03, 0x0a, 0x01, 0x00]);
        assert_eq!(decode(&bytes).unwrap(), status);
    }

    #[test]
    fn refuses_other_types_empty_responses_and_trailing_bytes() {
        assert_eq!(
            decode(&[2, 0, 0, 1, 0x30]),
            Err(Error::Decode(DecodeReason::CertificateStatusType))
        );
        assert!(matches!(decode(&[1, 0, 0, 0]), Err(Error::Decode(_))));
        assert!(matches!(
            decode(&[1, 0, 0, 1, 0x30, 0]),
            Err(Error::Decode(_))
        ));
        assert!(matches!(decode(&[1, 0, 0, 2, 0x30]), Err(Error::Decode(_))));
    }
}
