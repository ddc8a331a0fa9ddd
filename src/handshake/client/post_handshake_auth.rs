//! The client's side of TLS 1.3 post-handshake authentication (RFC 8446
//! §4.6.2): a client that offered post_handshake_auth answers each
//! CertificateRequest at once with Certificate, CertificateVerify (when
//! it has a certificate that fits) and Finished. The traffic state sends
//! the Certificate and CertificateVerify as the handshake does; this
//! module checks the request, starts the answer's transcript and ends
//! the answer with its Finished.

use super::hello::offers_post_handshake_auth;
use crate::common_state::{HandshakeIo, ReceivedHandshake};
use crate::config::ClientConfig;
use crate::error::{Error, IllegalParameterReason, UnexpectedMessageReason};
use crate::handshake::Transcript;
use crate::msgs::certificate::CertificateRequestTls13;
use crate::msgs::handshake::HandshakeMessage;

/// Checks a post-handshake CertificateRequest and returns the transcript
/// of its answer: the handshake's through our Finished, then the request
/// (RFC 8446 §4.4). Without our post_handshake_auth offer the request is
/// `unexpected_message` (RFC 8446 §4.6.2), and so it is after a handshake
/// the server authenticated with an external PSK (`external_psk`; RFC
/// 9846 §4.4.2 forbids the request, and Appendix F.1 combining external
/// PSKs with certificates); an empty context is `illegal_parameter` (RFC
/// 8446 §4.3.2: the context tells post-handshake requests apart).
pub(super) fn start_answer(
    config: &ClientConfig,
    external_psk: bool,
    handshake: &Transcript,
    request: &CertificateRequestTls13,
    message: &ReceivedHandshake,
) -> Result<Transcript, Error> {
    if !offers_post_handshake_auth(config) {
        return Err(Error::UnexpectedMessage(
            UnexpectedMessageReason::CertificateRequestNotOffered,
        ));
    }
    if external_psk {
        return Err(Error::UnexpectedMessage(
            UnexpectedMessageReason::CertificateRequestAfterExternalPsk,
        ));
    }
    if request.context.is_empty() {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::PostHandshakeRequestContext,
        ));
    }
    let mut transcript = handshake.clone();
    transcript.add(&message.raw);
    Ok(transcript)
}

/// Ends an answer with its Finished, keyed from our current application
/// traffic secret over the answer's transcript (RFC 8446 §4.4.4).
pub(super) fn finish_answer(
    transcript: &Transcript,
    common: &mut dyn HandshakeIo,
) -> Result<(), Error> {
    let verify_data = common
        .post_handshake_finished_key()?
        .verify_data(&transcript.current())?;
    common.send_handshake(&HandshakeMessage::Finished(verify_data.as_bytes().into()))?;
    Ok(())
}
