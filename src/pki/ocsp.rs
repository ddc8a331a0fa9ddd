//! OCSP responses (RFC 6960 §4.2): parsing a DER OCSPResponse into a
//! borrowed [`Response`], and the checks of RFC 6960 §3.2 and §4.2.2.2
//! that make one answer for a certificate.
//!
//! Only successful basic responses (id-pkix-ocsp-basic) are accepted.
//! The signer is the certificate's issuer itself or a delegated responder
//! included in `certs`, issued directly by the issuer and carrying
//! id-kp-OCSPSigning. CertIDs hashed with SHA-1 or SHA-256 are matched.
//! The nonce is not required (responses are configured or stapled, not
//! requested here). Freshness is judged by [`super::revocation`].

use super::algorithm;
use super::keys::CertifiedKey;
use super::name_match::names_match;
use super::names;
use super::oid;
use super::status::{key_bits, Answer, Issuer};
use super::time;
use super::x509::{self, Certificate, Extension};
use crate::crypto::hash::HashAlgorithm;
use crate::crypto::verify;
use crate::der::{self, tag, Der};
use crate::error::{CertificateError, RevocationReason};

/// The most SingleResponses one response may carry: a bound on the work
/// of a lookup (RFC 6960 sets none; responders answer one request, which
/// rarely names more than a handful of certificates).
pub const MAX_SINGLE_RESPONSES: usize = 64;

/// The most certificates a response's `certs` may carry (RFC 6960
/// §4.2.1: only what helps verify the signature, normally one responder
/// certificate).
pub const MAX_RESPONSE_CERTS: usize = 4;

/// The PEM label of an OCSP response (not in RFC 7468; the label tools
/// that write PEM responses use).
pub const PEM_LABEL: &str = "OCSP RESPONSE";

/// OCSPResponseStatus successful (RFC 6960 §4.2.1).
const SUCCESSFUL: u8 = 0;

fn bad(why: &'static str) -> CertificateError {
    CertificateError::BadRevocationInfo(why)
}

/// ResponderID (RFC 6960 §4.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponderId<'a> {
    /// byName: the responder's subject Name (whole DER element).
    ByName(&'a [u8]),
    /// byKey: the SHA-1 hash of the responder's subjectPublicKey.
    ByKey(&'a [u8]),
}

/// A parsed successful basic OCSP response borrowing its DER.
#[derive(Clone, Debug)]
pub struct Response<'a> {
    /// The tbsResponseData element: the bytes the responder signed.
    pub tbs: &'a [u8],
    /// The signatureAlgorithm AlgorithmIdentifier (whole DER element).
    pub signature_algorithm: &'a [u8],
    /// The signature octets.
    pub signature: &'a [u8],
    /// Who signed.
    pub responder: ResponderId<'a>,
    /// The contents of `responses`, every SingleResponse checked by
    /// [`Response::parse`].
    responses: &'a [u8],
    /// The contents of `certs` (empty when absent), every certificate
    /// checked to parse.
    certs: &'a [u8],
}

/// One SingleResponse (RFC 6960 §4.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SingleResponse<'a> {
    /// The CertID's hash algorithm.
    pub hash: HashAlgorithm,
    /// issuerNameHash.
    pub issuer_name_hash: &'a [u8],
    /// issuerKeyHash.
    pub issuer_key_hash: &'a [u8],
    /// serialNumber contents.
    pub serial: &'a [u8],
    /// certStatus.
    pub status: Answer,
    /// thisUpdate in UNIX seconds.
    pub this_update: i64,
    /// nextUpdate in UNIX seconds, if present.
    pub next_update: Option<i64>,
}

impl CertifiedKey {
    /// The same certificate, stapling the DER OCSP response `der` (as
    /// `openssl ocsp -respout` writes it) for clients that send
    /// status_request (RFC 6066 §8, RFC 8446 §4.4.2.1). Refused with its
    /// reason when it is not a successful basic OCSP response (RFC 6960
    /// §4.2.1); which certificate it is about and whether it is current
    /// is the client's to judge. It lives here, beside the parser, so
    /// that `keys` does not import the revocation modules that import it.
    pub fn with_ocsp_response(mut self, der: Vec<u8>) -> Result<Self, CertificateError> {
        Response::parse(&der)?;
        self.ocsp_response = Some(der);
        Ok(self)
    }
}

impl<'a> Response<'a> {
    /// Parses one DER OCSPResponse (RFC 6960 §4.2.1). Responses that are
    /// not successful, not basic, or carry an unknown critical extension
    /// are refused with the reason.
    pub fn parse(der: &'a [u8]) -> Result<Self, CertificateError> {
        let mut outer = Der::new(der);
        let basic = outer.sequence(|seq| -> Result<_, CertificateError> {
            if seq.small_enumerated()? != SUCCESSFUL {
                return Err(bad("OCSP response status is not successful"));
            }
            let mut explicit = seq
                .nested(tag::context_constructed(0))
                .map_err(|_| bad("successful OCSP response without responseBytes"))?;
            let basic = explicit.sequence(|bytes| -> Result<_, CertificateError> {
                if bytes.oid()? != oid::OCSP_BASIC {
                    return Err(bad("OCSP response type is not basic"));
                }
                Ok(bytes.read(tag::OCTET_STRING)?)
            })?;
            explicit.finish()?;
            Ok(basic)
        })?;
        outer.finish()?;
        let mut basic = Der::new(basic);
        let response = basic.sequence(|seq| {
            let tbs = seq.expect_tag(tag::SEQUENCE)?;
            let signature_algorithm = seq.expect_tag(tag::SEQUENCE)?.raw;
            let signature = seq.bit_string()?.octets()?;
            let certs = match seq.optional(tag::context_constructed(0))? {
                Some(wrapped) => read_certs(wrapped)?,
                None => &[],
            };
            parse_response_data(tbs.raw, tbs.value, signature_algorithm, signature, certs)
        })?;
        basic.finish()?;
        Ok(response)
    }

    /// The SingleResponses, in order.
    pub fn single_responses(&self) -> impl Iterator<Item = SingleResponse<'a>> + 'a {
        der::items(self.responses, |list| list.sequence(read_single_response)).map_while(Result::ok)
    }

    /// What this response says about `cert`, issued by `issuer`: `None`
    /// when no SingleResponse's CertID names it (RFC 6960 §4.1.1: hashes
    /// of the issuer's name and key, and the serial); otherwise, once the
    /// signer is shown to be authorized (§4.2.2.2) and its signature to
    /// verify (§3.2 (2)), the certificate's status with thisUpdate and
    /// nextUpdate. A delegated responder's own certificate is believed
    /// when it carries id-pkix-ocsp-nocheck or `unrevoked` says so
    /// (§4.2.2.2.1 leaves its revocation check to local policy).
    /// Freshness is the caller's.
    pub fn answer_for(
        &self,
        cert: &Certificate<'_>,
        issuer: &Issuer<'_>,
        time: i64,
        unrevoked: &dyn Fn(&Certificate<'_>) -> bool,
    ) -> Result<Option<SingleResponse<'a>>, CertificateError> {
        let key_bits = issuer.key_bits;
        let Some(single) = self.single_responses().find(|single| {
            single.serial == cert.serial
                && single.hash.hash(cert.issuer).as_bytes() == single.issuer_name_hash
                && single.hash.hash(key_bits).as_bytes() == single.issuer_key_hash
        }) else {
            return Ok(None);
        };
        let signer_key = self.signer(issuer, key_bits, time, unrevoked)?;
        let algorithm = algorithm::signature_algorithm(self.signature_algorithm)?;
        verify::verify(&signer_key, algorithm, self.tbs, self.signature)
            .map_err(|_| bad("OCSP response signature does not verify"))?;
        Ok(Some(single))
    }

    /// The key that must have signed (RFC 6960 §4.2.2.2): the issuer's
    /// when the responder ID names it, else a delegated responder's from
    /// `certs`, which must be issued and signed by `issuer`, carry
    /// id-kp-OCSPSigning, be valid at `time` and, without
    /// id-pkix-ocsp-nocheck, be `unrevoked`.
    fn signer(
        &self,
        issuer: &Issuer<'_>,
        issuer_key_bits: &[u8],
        time: i64,
        unrevoked: &dyn Fn(&Certificate<'_>) -> bool,
    ) -> Result<crate::crypto::verify::PublicKey, CertificateError> {
        if self.names(issuer.subject, issuer_key_bits) {
            return Ok(issuer.public_key.clone());
        }
        let mut certs = Der::new(self.certs);
        while !certs.is_empty() {
            let der = certs.expect_tag(tag::SEQUENCE)?.raw;
            let responder = Certificate::parse(der)?;
            if !self.names(responder.subject, key_bits(responder.spki)?) {
                continue;
            }
            if !names_match(responder.issuer, issuer.subject) {
                return Err(bad("OCSP responder not issued by the certificate's issuer"));
            }
            let algorithm = algorithm::signature_algorithm(responder.signature_algorithm)?;
            verify::verify(
                &issuer.public_key,
                algorithm,
                responder.tbs,
                responder.signature,
            )
            .map_err(|_| bad("OCSP responder certificate signature does not verify"))?;
            let authorized = responder.extended_key_usage.is_some()
                && responder.extended_key_usage_allows(oid::OCSP_SIGNING, false)?;
            if !authorized {
                return Err(bad("OCSP responder certificate lacks id-kp-OCSPSigning"));
            }
            if time < responder.not_before || time > responder.not_after {
                return Err(bad("OCSP responder certificate not valid now"));
            }
            if !responder.ocsp_no_check && !unrevoked(&responder) {
                return Err(bad("OCSP responder certificate revoked"));
            }
            return Ok(responder.public_key);
        }
        Err(bad("OCSP response signed by an unknown responder"))
    }

    /// Whether the responder ID names the holder of this subject and key.
    fn names(&self, subject: &[u8], key_bits: &[u8]) -> bool {
        match self.responder {
            ResponderId::ByName(name) => names_match(name, subject),
            ResponderId::ByKey(hash) => HashAlgorithm::Sha1.hash(key_bits).as_bytes() == hash,
        }
    }
}

/// `certs [0] EXPLICIT SEQUENCE OF Certificate`: at most
/// [`MAX_RESPONSE_CERTS`], each parsed; returns the SEQUENCE contents.
fn read_certs(wrapped: &[u8]) -> Result<&[u8], CertificateError> {
    let mut wrapper = Der::new(wrapped);
    let contents = wrapper.read(tag::SEQUENCE)?;
    wrapper.finish()?;
    let mut list = Der::new(contents);
    let mut count = 0usize;
    while !list.is_empty() {
        count += 1;
        if count > MAX_RESPONSE_CERTS {
            return Err(bad(
                "OCSP response carries more than MAX_RESPONSE_CERTS certificates",
            ));
        }
        Certificate::parse(list.expect_tag(tag::SEQUENCE)?.raw)?;
    }
    Ok(contents)
}

/// ResponseData (RFC 6960 §4.2.1) field by field.
fn parse_response_data<'a>(
    tbs_raw: &'a [u8],
    tbs: &'a [u8],
    signature_algorithm: &'a [u8],
    signature: &'a [u8],
    certs: &'a [u8],
) -> Result<Response<'a>, CertificateError> {
    let mut seq = Der::new(tbs);
    // version [0] EXPLICIT DEFAULT v1: only v1 exists, and DER omits it.
    if seq.optional(tag::context_constructed(0))?.is_some() {
        return Err(CertificateError::BadEncoding(
            "OCSP ResponseData version encoded although DEFAULT",
        ));
    }
    let responder = match seq.element()? {
        e if e.tag == tag::context_constructed(1) => {
            let mut name = Der::new(e.value);
            let name_der = names::check_name(&mut name)?.0;
            name.finish()?;
            ResponderId::ByName(name_der)
        }
        e if e.tag == tag::context_constructed(2) => {
            ResponderId::ByKey(x509::whole(e.value, |d| Ok(d.read(tag::OCTET_STRING)?))?)
        }
        _ => {
            return Err(CertificateError::BadEncoding(
                "unexpected tag for a ResponderID",
            ))
        }
    };
    // producedAt: when the responder signed; freshness is thisUpdate's
    // and nextUpdate's (RFC 6960 §4.2.2.1), so it is only checked.
    generalized_time(&mut seq)?;
    let responses = seq.read(tag::SEQUENCE)?;
    let mut list = Der::new(responses);
    let mut count = 0usize;
    while !list.is_empty() {
        count += 1;
        if count > MAX_SINGLE_RESPONSES {
            return Err(bad(
                "OCSP response carries more than MAX_SINGLE_RESPONSES answers",
            ));
        }
        list.sequence(read_single_response)?;
    }
    if count == 0 {
        return Err(bad("OCSP response without an answer"));
    }
    if let Some(extensions) = seq.optional(tag::context_constructed(1))? {
        read_extensions(extensions)?;
    }
    seq.finish()?;
    Ok(Response {
        tbs: tbs_raw,
        signature_algorithm,
        signature,
        responder,
        responses,
        certs,
    })
}

/// A GeneralizedTime (RFC 6960 §4.2.1 uses no UTCTime).
fn generalized_time(d: &mut Der<'_>) -> Result<i64, CertificateError> {
    if d.peek_tag() != Some(tag::GENERALIZED_TIME) {
        return Err(CertificateError::BadEncoding(
            "OCSP time is not a GeneralizedTime",
        ));
    }
    time::read(d)
}

/// `[n] EXPLICIT Extensions`: the nonce and any other non-critical
/// extension are ignored; an unknown critical one is refused (RFC 6960
/// §4.4: "critical extensions ... MUST be understood").
fn read_extensions(wrapped: &[u8]) -> Result<(), CertificateError> {
    let mut wrapper = Der::new(wrapped);
    let list = wrapper.nested(tag::SEQUENCE)?;
    wrapper.finish()?;
    x509::for_each_extension(list, |_, ext: Extension<'_>| {
        if ext.critical {
            Err(CertificateError::UnsupportedCriticalExtension(
                "unknown critical OCSP extension",
            ))
        } else {
            Ok(())
        }
    })
}

/// One SingleResponse (RFC 6960 §4.2.1).
fn read_single_response<'a>(d: &mut Der<'a>) -> Result<SingleResponse<'a>, CertificateError> {
    let (hash, issuer_name_hash, issuer_key_hash, serial) = d.sequence(read_cert_id)?;
    let status = read_cert_status(d)?;
    let this_update = generalized_time(d)?;
    let next_update = match d.optional(tag::context_constructed(0))? {
        Some(wrapped) => Some(x509::whole(wrapped, generalized_time)?),
        None => None,
    };
    if let Some(extensions) = d.optional(tag::context_constructed(1))? {
        read_extensions(extensions)?;
    }
    Ok(SingleResponse {
        hash,
        issuer_name_hash,
        issuer_key_hash,
        serial,
        status,
        this_update,
        next_update,
    })
}

/// The parts of a CertID: hashAlgorithm, issuerNameHash, issuerKeyHash,
/// serialNumber.
type CertId<'a> = (HashAlgorithm, &'a [u8], &'a [u8], &'a [u8]);

/// CertID (RFC 6960 §4.1.1): hashAlgorithm SHA-1 or SHA-256 (parameters
/// NULL or absent), hashes of that length, the serial.
fn read_cert_id<'a>(d: &mut Der<'a>) -> Result<CertId<'a>, CertificateError> {
    let hash = d.sequence(|alg| -> Result<_, CertificateError> {
        let hash = match alg.oid()? {
            oid::SHA1 => HashAlgorithm::Sha1,
            oid::SHA256 => HashAlgorithm::Sha256,
            _ => return Err(bad("OCSP CertID hash is neither SHA-1 nor SHA-256")),
        };
        if !alg.is_empty() {
            alg.null()?;
        }
        Ok(hash)
    })?;
    let name_hash = d.read(tag::OCTET_STRING)?;
    let key_hash = d.read(tag::OCTET_STRING)?;
    if name_hash.len() != hash.output_len() || key_hash.len() != hash.output_len() {
        return Err(CertificateError::BadEncoding(
            "OCSP CertID hash of the wrong length",
        ));
    }
    let serial = d.integer()?;
    Ok((hash, name_hash, key_hash, serial))
}

/// CertStatus (RFC 6960 §4.2.1): good `[0] IMPLICIT NULL`, revoked
/// `[1] IMPLICIT RevokedInfo` (revocationTime, optional `[0] EXPLICIT`
/// CRLReason), unknown `[2] IMPLICIT NULL`.
fn read_cert_status(d: &mut Der<'_>) -> Result<Answer, CertificateError> {
    let element = d.element()?;
    match (element.tag, element.value) {
        (t, []) if t == tag::context_primitive(0) => Ok(Answer::Good),
        (t, []) if t == tag::context_primitive(2) => Ok(Answer::Unknown),
        (t, info) if t == tag::context_constructed(1) => {
            let mut info = Der::new(info);
            generalized_time(&mut info)?;
            let reason = match info.optional(tag::context_constructed(0))? {
                Some(wrapped) => x509::whole(wrapped, |r| {
                    RevocationReason::from_code(r.small_enumerated()?)
                        .ok_or(CertificateError::BadEncoding("unknown CRL reason code"))
                })?,
                None => RevocationReason::Unspecified,
            };
            info.finish()?;
            Ok(Answer::Revoked(reason))
        }
        _ => Err(CertificateError::BadEncoding(
            "unexpected tag for a CertStatus",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::der::encode as tlv;

    const TIME: &[u8] = b"\x18\x0f20291201000000Z";
    const SHA1_ID: &[u8] = &[
        0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00,
    ];
    const ECDSA_SHA256_ID: &[u8] = &[
        0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
    ];

    /// A SingleResponse for serial `serial` with status element `status`
    /// and `extra` appended (nextUpdate, extensions).
    fn single(serial: &[u8], status: &[u8], extra: &[u8]) -> Vec<u8> {
        let mut id = SHA1_ID.to_vec();
        id.extend(tlv(0x04, &[0; 20]));
        id.extend(tlv(0x04, &[0; 20]));
        id.extend(tlv(0x02, serial));
        let mut s = tlv(0x30, &id);
        s.extend_from_slice(status);
        s.extend_from_slice(TIME);
        s.extend_from_slice(extra);
        tlv(0x30, &s)
    }

    /// A whole OCSPResponse around the SingleResponses `singles` and
    /// responseExtensions contents `extensions`.
    fn response(singles: &[u8], extensions: Option<&[u8]>) -> Vec<u8> {
        let mut data = tlv(0xa2, &tlv(0x04, &[0; 20]));
        data.extend_from_slice(TIME);
        data.extend(tlv(0x30, singles));
        if let Some(x) = extensions {
            data.extend(tlv(0xa1, &tlv(0x30, x)));
        }
        let mut basic = tlv(0x30, &data);
        basic.extend_from_slice(ECDSA_SHA256_ID);
        basic.extend(tlv(0x03, &[0, 1, 2]));
        let mut bytes = tlv(0x06, oid::OCSP_BASIC);
        bytes.extend(tlv(0x04, &tlv(0x30, &basic)));
        let mut outer = vec![0x0a, 1, 0];
        outer.extend(tlv(0xa0, &tlv(0x30, &bytes)));
        tlv(0x30, &outer)
    }

    fn statuses(der: &[u8]) -> Result<Vec<Answer>, CertificateError> {
        Ok(Response::parse(der)?
            .single_responses()
            .map(|s| s.status)
            .collect())
    }

    #[test]
    fn each_status_is_read() {
        let revoked_info = {
            let mut info = TIME.to_vec();
            info.extend(tlv(0xa0, &[0x0a, 1, 2]));
            tlv(0xa1, &info)
        };
        let mut singles = single(&[1], &[0x80, 0], &[]);
        singles.extend(single(&[2], &revoked_info, &tlv(0xa0, TIME)));
        singles.extend(single(&[3], &[0x82, 0], &[]));
        singles.extend(single(&[4], &tlv(0xa1, TIME), &[]));
        assert_eq!(
            statuses(&response(&singles, None)),
            Ok(vec![
                Answer::Good,
                Answer::Revoked(RevocationReason::CaCompromise),
                Answer::Unknown,
                Answer::Revoked(RevocationReason::Unspecified),
            ])
        );
    }

    #[test]
    fn bad_responses_give_their_reason() {
        let good = response(&single(&[1], &[0x80, 0], &[]), None);
        for cut in 0..good.len() {
            assert!(Response::parse(&good[..cut]).is_err(), "truncated at {cut}");
        }
        let mut trailing = good.clone();
        trailing.push(0);
        assert_eq!(
            Response::parse(&trailing).map(|_| ()),
            Err(CertificateError::BadEncoding("trailing data"))
        );
        assert_eq!(
            Response::parse(&[0x30, 3, 0x0a, 1, 6]).map(|_| ()),
            Err(bad("OCSP response status is not successful"))
        );
        assert_eq!(
            Response::parse(&[0x30, 3, 0x0a, 1, 0]).map(|_| ()),
            Err(bad("successful OCSP response without responseBytes"))
        );
        assert_eq!(
            statuses(&response(&[], None)),
            Err(bad("OCSP response without an answer"))
        );
        let critical = tlv(0x30, &[6, 2, 0x2a, 3, 1, 1, 0xff, 4, 0]);
        assert_eq!(
            statuses(&response(&single(&[1], &[0x80, 0], &[]), Some(&critical))),
            Err(CertificateError::UnsupportedCriticalExtension(
                "unknown critical OCSP extension"
            ))
        );
        let nonce = tlv(0x30, &[6, 2, 0x2a, 3, 4, 2, 4, 0]);
        assert!(statuses(&response(&single(&[1], &[0x80, 0], &[]), Some(&nonce))).is_ok());
        let huge_serial = single(&[0x7f; 200], &[0x80, 0], &[]);
        assert_eq!(
            statuses(&response(&huge_serial, None)),
            Ok(vec![Answer::Good])
        );
        let too_many: Vec<u8> = (0..=MAX_SINGLE_RESPONSES)
            .flat_map(|_| single(&[1], &[0x80, 0], &[]))
            .collect();
        assert_eq!(
            statuses(&response(&too_many, None)),
            Err(bad(
                "OCSP response carries more than MAX_SINGLE_RESPONSES answers"
            ))
        );
        assert_eq!(
            statuses(&response(&single(&[1], &[0x80, 1, 0], &[]), None)),
            Err(CertificateError::BadEncoding(
                "unexpected tag for a CertStatus"
            ))
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let good = response(&single(&[1], &[0x80, 0], &[]), None);
        for i in 0..good.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut bad = good.clone();
                bad[i] ^= flip;
                if let Ok(r) = Response::parse(&bad) {
                    let _ = r.single_responses().count();
                }
            }
        }
    }
}
