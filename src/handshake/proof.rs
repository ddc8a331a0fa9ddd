//! Proof values (design §2, "proofs, not flags"): [`SignatureVerified`]
//! and [`FinishedVerified`] can only be made here, by the functions that
//! perform the check, so a state that requires one cannot be reached
//! without the check. TLS 1.3 and TLS 1.0–1.2 share them: a CertificateVerify
//! or a ServerKeyExchange signature gives a [`SignatureVerified`] in every
//! version, a Finished a [`FinishedVerified`]. The peer-certificate proofs
//! come from [`crate::pki`] verifiers.

use crate::common_state::HandshakeEvent;
use crate::crypto::hash::{Digest, MAX_HASH_LEN};
use crate::crypto::sign::SigningKey;
use crate::crypto::verify::{
    algorithm_for_scheme, rsa_pss_family_fits, verify_scheme, verify_tls12, PublicKey,
};
use crate::error::{DecodeReason, Error, IllegalParameterReason, InvalidRequestReason};
use crate::handshake::tls12::{legacy_algorithm, signed_params, Params};
use crate::keyschedule::tls12::{MasterSecret, Sender, VERIFY_DATA_LEN};
use crate::keyschedule::tls13::{BinderKey, FinishedKey};
use crate::msgs::enums::SignatureScheme;
use crate::msgs::key_exchange::ServerKxParams;
use crate::msgs::signature::DigitallySigned;

/// The context string of a server's CertificateVerify (RFC 8446 §4.4.3).
pub(crate) const SERVER_CERTIFICATE_VERIFY_CONTEXT: &[u8] = b"TLS 1.3, server CertificateVerify";

/// The context string of a client's CertificateVerify (RFC 8446 §4.4.3).
pub(crate) const CLIENT_CERTIFICATE_VERIFY_CONTEXT: &[u8] = b"TLS 1.3, client CertificateVerify";

/// The 64 spaces that start the signed content (RFC 8446 §4.4.3).
const PREFIX_SPACES: usize = 64;

/// Proof that the peer's CertificateVerify or ServerKeyExchange signature
/// checked out.
#[derive(Debug)]
pub(crate) struct SignatureVerified(());

/// A checked signature: its proof, and what the connection reports of it
/// ([`crate::Connection::peer_signature_scheme`]: the scheme, none for
/// TLS 1.0/1.1).
pub(crate) type CheckedSignature = (SignatureVerified, HandshakeEvent);

/// Proof that the peer's Finished checked out.
#[derive(Debug)]
pub(crate) struct FinishedVerified(());

/// Proof that a client's PSK binder checked out: the client holds the
/// ticket's PSK (RFC 8446 §4.2.11.2).
#[derive(Debug)]
pub(crate) struct BinderVerified(());

/// The longest content a TLS 1.3 CertificateVerify signs: the spaces,
/// either context string (both are 33 bytes), the zero byte and the
/// longest transcript hash.
const MAX_SIGNED_CONTENT_LEN: usize =
    PREFIX_SPACES + SERVER_CERTIFICATE_VERIFY_CONTEXT.len() + 1 + MAX_HASH_LEN;

/// Hands `use_content` the content a TLS 1.3 CertificateVerify signs: 64
/// spaces, the context string, a zero byte, the transcript hash (RFC 8446
/// §4.4.3), built on the stack. A context longer than the two of RFC
/// 8446 is [`Error::InvalidRequest`].
fn with_signed_content<T>(
    context: &[u8],
    transcript_hash: &Digest,
    use_content: impl FnOnce(&[u8]) -> Result<T, Error>,
) -> Result<T, Error> {
    let hash = transcript_hash.as_ref();
    let len = PREFIX_SPACES + context.len() + 1 + hash.len();
    let mut content = [0u8; MAX_SIGNED_CONTENT_LEN];
    let content = content.get_mut(..len).ok_or(Error::InvalidRequest(
        InvalidRequestReason::CertificateVerifyContext,
    ))?;
    let bytes = core::iter::repeat_n(0x20, PREFIX_SPACES)
        .chain(context.iter().copied())
        .chain([0])
        .chain(hash.iter().copied());
    for (dst, src) in content.iter_mut().zip(bytes) {
        *dst = src;
    }
    use_content(content)
}

/// Whether TLS 1.3 allows `scheme` in CertificateVerify: not the
/// PKCS#1 v1.5 or SHA-1 schemes (RFC 8446 §4.2.3, §4.4.3).
pub(crate) fn tls13_handshake_scheme(scheme: SignatureScheme) -> bool {
    use SignatureScheme as S;
    matches!(
        scheme,
        S::ecdsa_secp256r1_sha256
            | S::ecdsa_secp384r1_sha384
            | S::ecdsa_secp521r1_sha512
            | S::ed25519
            | S::rsa_pss_rsae_sha256
            | S::rsa_pss_rsae_sha384
            | S::rsa_pss_rsae_sha512
            | S::rsa_pss_pss_sha256
            | S::rsa_pss_pss_sha384
            | S::rsa_pss_pss_sha512
    )
}

/// Signs a TLS 1.3 CertificateVerify with `key` under `scheme`.
pub(crate) fn sign_certificate_verify(
    key: &SigningKey,
    scheme: SignatureScheme,
    context: &[u8],
    transcript_hash: &Digest,
) -> Result<DigitallySigned, Error> {
    Ok(DigitallySigned {
        scheme: Some(scheme),
        signature: with_signed_content(context, transcript_hash, |content| {
            key.sign_scheme(scheme, content)
        })?,
    })
}

/// Checks a received TLS 1.3 CertificateVerify against the peer's
/// end-entity key.
///
/// A scheme we did not offer, or one TLS 1.3 forbids here, is
/// `illegal_parameter` (RFC 8446 §4.4.3); a bad signature is
/// `decrypt_error`.
pub(crate) fn verify_certificate_verify(
    key: &PublicKey,
    signed: &DigitallySigned,
    offered: &[SignatureScheme],
    context: &[u8],
    transcript_hash: &Digest,
) -> Result<CheckedSignature, Error> {
    let scheme = signed
        .scheme
        .ok_or(Error::Decode(DecodeReason::CertificateVerifyNoScheme))?;
    if !offered.contains(&scheme) || !tls13_handshake_scheme(scheme) {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::CertificateVerifySchemeNotOffered,
        ));
    }
    with_signed_content(context, transcript_hash, |content| {
        verify_scheme(key, scheme, content, &signed.signature)
    })?;
    Ok((
        SignatureVerified(()),
        HandshakeEvent::PeerSignature(Some(scheme)),
    ))
}

/// Checks a received Finished in constant time; a mismatch is
/// `decrypt_error` (RFC 8446 §4.4.4).
pub(crate) fn verify_finished(
    key: &FinishedKey,
    transcript_hash: &Digest,
    received: &[u8],
) -> Result<FinishedVerified, Error> {
    key.verify(transcript_hash, received)?;
    Ok(FinishedVerified(()))
}

/// Checks a received TLS 1.0–1.2 Finished (RFC 5246 §7.4.9) from
/// `sender` over the handshake hash, in constant time; a mismatch is
/// `decrypt_error`. With the proof comes the verify_data checked, which
/// secure renegotiation keeps (RFC 5746 §3.1).
pub(crate) fn verify_tls12_finished(
    master: &MasterSecret,
    sender: Sender,
    handshake_hash: &Digest,
    received: &[u8],
) -> Result<(FinishedVerified, [u8; VERIFY_DATA_LEN]), Error> {
    let verified = master.verify_finished(sender, handshake_hash, received)?;
    Ok((FinishedVerified(()), verified))
}

/// Checks a TLS 1.0–1.2 signature by the peer's `key` over `content`
/// (CertificateVerify, RFC 5246 §7.4.8). TLS 1.2: the
/// scheme must be one we offered (`illegal_parameter`, RFC 5246
/// §7.4.1.4.1), and an RSA-PSS scheme of the key's own family (RFC 8446
/// §4.2.3, `illegal_parameter`); an ECDSA scheme names the hash only, on
/// any curve ([`verify_tls12`]). TLS 1.0/1.1 (no scheme field): the key's
/// [`legacy_algorithm`], a key without one is `illegal_parameter`. A
/// signature that does not verify is `decrypt_error`.
pub(crate) fn verify_signed(
    key: &PublicKey,
    signed: &DigitallySigned,
    offered: &[SignatureScheme],
    content: &[u8],
) -> Result<CheckedSignature, Error> {
    let algorithm = match signed.scheme {
        Some(scheme) => {
            if !offered.contains(&scheme) {
                return Err(Error::IllegalParameter(
                    IllegalParameterReason::SchemeNotOffered,
                ));
            }
            if !rsa_pss_family_fits(key, scheme) {
                return Err(Error::IllegalParameter(
                    IllegalParameterReason::SchemeUnfitForKey,
                ));
            }
            algorithm_for_scheme(scheme).ok_or(Error::IllegalParameter(
                IllegalParameterReason::UnsupportedScheme,
            ))?
        }
        None => legacy_algorithm(key).ok_or(Error::IllegalParameter(
            IllegalParameterReason::KeyTypeCannotSignLegacy,
        ))?,
    };
    verify_tls12(key, algorithm, content, &signed.signature)?;
    Ok((
        SignatureVerified(()),
        HandshakeEvent::PeerSignature(signed.scheme),
    ))
}

/// Checks the server's signature over its ECDH or DH parameters
/// (ServerKeyExchange, RFC 8422 §5.4, RFC 5246 §7.4.3).
pub(crate) fn verify_params(
    key: &PublicKey,
    signed: &DigitallySigned,
    offered: &[SignatureScheme],
    params: &Params,
    kx: &ServerKxParams,
) -> Result<CheckedSignature, Error> {
    verify_signed(key, signed, offered, &signed_params(params, kx)?)
}

/// Checks a received PSK binder in constant time; a mismatch is
/// `decrypt_error` (RFC 8446 §4.2.11).
pub(crate) fn verify_binder(
    key: &BinderKey,
    truncated_transcript_hash: &Digest,
    received: &[u8],
) -> Result<BinderVerified, Error> {
    key.verify(truncated_transcript_hash, received)?;
    Ok(BinderVerified(()))
}
