//! What a server staples to its end-entity certificate when the client
//! asks, in both roles: an OCSP response (status_request, RFC 6066 §8;
//! RFC 8446 §4.4.2.1) and signed certificate timestamps
//! (signed_certificate_timestamp, RFC 6962 §3.3).
//!
//! Where they travel depends on the version: TLS 1.3 puts both in the end
//! entity's CertificateEntry; TLS 1.0–1.2 acknowledges status_request in
//! the ServerHello and sends the response in a CertificateStatus message
//! after the Certificate, and puts the SCT list in the ServerHello. The
//! state machines move the bytes; this module decides what is asked for,
//! what may be sent, what a client accepts, and hands the staples to the
//! verifier.

use crate::common_state::{HandshakeEvent, HandshakeIo};
use crate::config::ClientConfig;
use crate::crypto::verify::PublicKey;
use crate::error::{CertificateError, Error, UnsupportedExtensionReason};
use crate::handshake::{certificate_types, end_entity_key, KeyUse};
use crate::msgs::certificate::CertificateEntry;
use crate::msgs::client_hello_extensions::ClientHelloExtensions;
use crate::msgs::enums::CertificateType;
use crate::msgs::extensions::{CertificateStatusRequest, Extension};
use crate::pki::{CertifiedKey, ServerCertVerified, ServerName, Staples};

/// Client: the ClientHello extensions that ask for staples: an
/// OCSPStatusRequest without responder IDs or request extensions (RFC
/// 6066 §8: the server knows its responders) and an empty
/// signed_certificate_timestamp (RFC 6962 §3.3.1).
pub(crate) fn request_extensions(config: &ClientConfig) -> impl Iterator<Item = Extension> {
    let ocsp = config
        .asks_for_ocsp_staple()
        .then_some(Extension::StatusRequest(CertificateStatusRequest::Ocsp {
            responder_id_list: Vec::new(),
            request_extensions: Vec::new(),
        }));
    let scts = config.request_scts.then_some(Extension::SctRequest);
    ocsp.into_iter().chain(scts)
}

/// Server: what `certificate` has of what the client asked for in
/// `hello`. An OCSP response is sent only for an OCSP status_request (RFC
/// 6066 §8), SCTs only for signed_certificate_timestamp (RFC 6962
/// §3.3.1).
pub(crate) fn to_send(hello: &ClientHelloExtensions<'_>, certificate: &CertifiedKey) -> Staples {
    Staples {
        ocsp_response: certificate
            .ocsp_response()
            .filter(|_| hello.status_request)
            .map(<[u8]>::to_vec),
        scts: if hello.signed_certificate_timestamp {
            certificate.scts().to_vec()
        } else {
            Vec::new()
        },
    }
}

/// Server, TLS 1.3: the extensions of the end entity's CertificateEntry
/// (RFC 8446 §4.4.2, §4.4.2.1).
pub(crate) fn entry_extensions(staples: &Staples) -> Vec<Extension> {
    let ocsp = staples.ocsp_response.clone().map(Extension::OcspResponse);
    let scts = (!staples.scts.is_empty()).then(|| Extension::SctList(staples.scts.clone()));
    ocsp.into_iter().chain(scts).collect()
}

/// Server, TLS 1.0–1.2: the ServerHello extensions that announce the
/// staples: an empty status_request for the CertificateStatus to come
/// (RFC 6066 §8), the SCT list itself (RFC 6962 §3.3.1).
pub(crate) fn server_hello_extensions(staples: &Staples) -> impl Iterator<Item = Extension> {
    let ocsp = staples
        .ocsp_response
        .is_some()
        .then_some(Extension::StatusRequestAck);
    let scts = (!staples.scts.is_empty()).then(|| Extension::SctList(staples.scts.clone()));
    ocsp.into_iter().chain(scts)
}

/// Client, TLS 1.3: the staples of the server's CertificateEntries. RFC
/// 8446 §4.4.2: an extension the client did not ask for is
/// `unsupported_extension`, so is any other type; the status of a
/// certificate other than the end entity is accepted and not used.
pub(crate) fn received_in(
    config: &ClientConfig,
    entries: &[CertificateEntry],
) -> Result<Staples, Error> {
    let mut staples = Staples::default();
    for (i, entry) in entries.iter().enumerate() {
        for extension in &entry.extensions {
            match extension {
                Extension::OcspResponse(der) if config.asks_for_ocsp_staple() => {
                    if i == 0 {
                        staples.ocsp_response = Some(der.clone());
                    }
                }
                Extension::SctList(scts) if config.request_scts => {
                    if i == 0 {
                        staples.scts = scts.clone();
                    }
                }
                _ => {
                    return Err(Error::UnsupportedExtension(
                        UnsupportedExtensionReason::CertificateExtensionNotRequested,
                    ))
                }
            }
        }
    }
    Ok(staples)
}

/// Client, both versions: checks what the server's Certificate carried,
/// of type `typ`, and returns the verifier's verdict with the key that
/// will sign the handshake or, in a TLS 1.2 RSA key exchange, encrypt the
/// premaster secret (`key_use`, which an X.509 end entity's keyUsage must
/// allow: [`end_entity_key`]). A raw public key (RFC 7250 §3) goes to the
/// verifier's raw-key check; there is no certificate for a staple to be
/// about, so staples play no part. An X.509 chain goes to the verifier
/// with the staples, which are then recorded. A configuration that
/// requires an OCSP staple refuses a chain without one with
/// `bad_certificate_status_response`: RFC 6066 §8 names that alert for a
/// response that is not satisfactory, and none at all is not (RFC 8446
/// §4.4.2.1 leaves what a client requires to it).
pub(crate) fn verify_server_chain(
    config: &ClientConfig,
    common: &mut dyn HandshakeIo,
    server_name: &ServerName,
    typ: CertificateType,
    chain: &[Vec<u8>],
    staples: Staples,
    key_use: KeyUse,
) -> Result<(ServerCertVerified, PublicKey), Error> {
    common.report(HandshakeEvent::ServerCertificateType(typ));
    let now = config.common.clock.now().as_secs();
    if typ == CertificateType::RawPublicKey {
        let (spki, public_key) = certificate_types::raw_public_key(chain)?;
        let verified = config
            .verifier
            .verify_server_raw_public_key(spki, server_name, now)?;
        return Ok((verified, public_key));
    }
    // RFC 7250 §4.2: a server that did not answer our server_certificate_type
    // sends X.509, which a verifier of raw public keys alone cannot check.
    if !config
        .verifier
        .certificate_types()
        .contains(&CertificateType::X509)
    {
        return Err(Error::InvalidCertificate(
            CertificateError::UnsupportedCertificateType,
        ));
    }
    let (end_entity, intermediates) = chain.split_first().ok_or(Error::Decode(
        crate::error::DecodeReason::NoServerCertificate,
    ))?;
    if config.require_ocsp_staple && staples.ocsp_response.is_none() {
        return Err(Error::InvalidCertificate(
            CertificateError::BadRevocationInfo("no OCSP response stapled"),
        ));
    }
    let intermediates: Vec<&[u8]> = intermediates.iter().map(Vec::as_slice).collect();
    let verified = config.verifier.verify_server_cert_stapled(
        end_entity,
        &intermediates,
        server_name,
        staples.status(),
        now,
    )?;
    let public_key = end_entity_key(end_entity, key_use)?;
    common.report(HandshakeEvent::Stapled(staples));
    Ok((verified, public_key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(ocsp: bool, scts: bool) -> ClientConfig {
        let config = ClientConfig::dangerous()
            .builder_accepting_any_server_certificate()
            .request_ocsp_staple(ocsp)
            .request_scts(scts)
            .build()
            .unwrap();
        ClientConfig::clone(&config)
    }

    /// A leaf entry with `extensions`, then an intermediate with an OCSP
    /// response of its own.
    fn entries(extensions: Vec<Extension>) -> Vec<CertificateEntry> {
        vec![
            CertificateEntry {
                cert_data: vec![1],
                extensions,
            },
            CertificateEntry {
                cert_data: vec![2],
                extensions: vec![Extension::OcspResponse(vec![9])],
            },
        ]
    }

    #[test]
    fn the_hello_asks_for_what_is_configured() {
        let asked = |ocsp, scts| request_extensions(&config(ocsp, scts)).collect::<Vec<_>>();
        assert!(asked(false, false).is_empty());
        assert!(matches!(
            asked(true, false).as_slice(),
            [Extension::StatusRequest(
                CertificateStatusRequest::Ocsp { .. }
            )]
        ));
        assert_eq!(asked(false, true), [Extension::SctRequest]);
        assert_eq!(asked(true, true).len(), 2);
    }

    #[test]
    fn tls13_entries_carry_only_what_was_asked_for_and_the_leaf_counts() {
        let stapled = vec![
            Extension::OcspResponse(vec![7]),
            Extension::SctList(vec![vec![8]]),
        ];
        let got = received_in(&config(true, true), &entries(stapled.clone())).unwrap();
        assert_eq!(got.ocsp_response, Some(vec![7]));
        assert_eq!(got.scts, [vec![8]]);
        let refused = Err(Error::UnsupportedExtension(
            UnsupportedExtensionReason::CertificateExtensionNotRequested,
        ));
        for (ocsp, scts) in [(false, false), (true, false), (false, true)] {
            assert_eq!(
                received_in(&config(ocsp, scts), &entries(stapled.clone())).map(|_| ()),
                refused,
                "{ocsp} {scts}"
            );
        }
        let unknown = vec![Extension::SctRequest];
        assert_eq!(
            received_in(&config(true, true), &entries(unknown)).map(|_| ()),
            refused
        );
    }
}
