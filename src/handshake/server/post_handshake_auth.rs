//! The server's side of TLS 1.3 post-handshake client authentication
//! (RFC 8446 §4.6.2): a CertificateRequest sent on the application's
//! request after the handshake, and the client's Certificate,
//! CertificateVerify and Finished that answer it.
//!
//! Each request carries a context unique on the connection (a counter)
//! and remembers its own transcript: the handshake's through the client
//! Finished, then that CertificateRequest (RFC 8446 §4.4). Answers may
//! come in any order (their context says which request they answer) and
//! after any amount of application data, but one answer's three messages
//! are not interleaved with other handshake messages. A verified chain
//! becomes the connection's peer certificates; a client that sends none
//! to an optional request leaves them as they were. The answers carry
//! what the handshake's EncryptedExtensions settled for the client's
//! certificates (RFC 8446 §4.4.2): a raw public key when
//! client_certificate_type chose one (RFC 7250 §4.2), else X.509.

use std::sync::Arc;

use super::certificate_request::certificate_request;
use crate::common_state::{HandshakeEvent, HandshakeIo, ReceivedHandshake};
use crate::config::{ClientAuth, ServerConfig};
use crate::crypto::verify::PublicKey;
use crate::error::{Error, IllegalParameterReason, InvalidRequestReason, UnexpectedMessageReason};
use crate::handshake::{
    certificate_compression, certificate_types, verify_certificate_verify, verify_finished,
    FinishedVerified, SignatureVerified, Transcript, CLIENT_CERTIFICATE_VERIFY_CONTEXT,
};
use crate::msgs::certificate::CertificateTls13;
use crate::msgs::enums::CertificateType;
use crate::msgs::handshake::HandshakeMessage;
use crate::pki::ClientCertVerified;

/// The most post-handshake CertificateRequests a server keeps unanswered
/// on one connection. RFC 8446 §4.6.2 lets a client take its time and
/// answer several in any order, so each outstanding request holds a
/// transcript; four bounds that memory while leaving room for an
/// application that asks again before an answer came.
pub const MAX_OUTSTANDING_CERTIFICATE_REQUESTS: usize = 4;

/// One CertificateRequest not yet answered.
struct Outstanding {
    context: Vec<u8>,
    /// The handshake transcript followed by this CertificateRequest.
    transcript: Transcript,
}

/// Where the answer being received stands.
enum Answer {
    /// No answer is under way.
    Idle,
    /// A chain the verifier accepted; its CertificateVerify comes next.
    ExpectCertificateVerify {
        transcript: Transcript,
        chain: Vec<Vec<u8>>,
        verified: ClientCertVerified,
        public_key: PublicKey,
    },
    /// The client's Finished comes next; `identity` is `None` when it sent
    /// no certificate to an optional request.
    ExpectFinished {
        transcript: Transcript,
        identity: Option<Authenticated>,
    },
}

/// A client chain and the proofs that it was accepted and that the client
/// signed with its key.
struct Authenticated {
    chain: Vec<Vec<u8>>,
    _verified: ClientCertVerified,
    _signature: SignatureVerified,
}

/// The post-handshake authentication state of a TLS 1.3 server
/// connection.
pub(crate) struct PostHandshakeAuth {
    config: Arc<ServerConfig>,
    /// Why no CertificateRequest may be sent on this connection, if
    /// none may: the client did not offer post_handshake_auth (RFC 8446
    /// §4.2.6), or the handshake authenticated with an external PSK
    /// (RFC 9846 §4.4.2: such a server "MUST NOT ... request
    /// post-handshake authentication").
    refusal: Option<InvalidRequestReason>,
    /// The transcript through the client Finished.
    handshake: Transcript,
    /// What the client's Certificate carries, as negotiated in the
    /// handshake (RFC 7250 §4.2; X.509 when not negotiated).
    certificate_type: CertificateType,
    /// Requests sent so far: the next request's context.
    sent: u64,
    outstanding: Vec<Outstanding>,
    answer: Answer,
}

impl PostHandshakeAuth {
    /// The state after a handshake whose transcript through the client
    /// Finished is `handshake` and which settled `certificate_type` for
    /// the client's certificates; `offered` says whether the client
    /// offered post_handshake_auth, `external_psk` whether the handshake
    /// authenticated with an external PSK.
    pub(super) fn new(
        config: Arc<ServerConfig>,
        offered: bool,
        external_psk: bool,
        handshake: Transcript,
        certificate_type: CertificateType,
    ) -> Self {
        let refusal = if !offered {
            Some(InvalidRequestReason::PostHandshakeAuthNotOffered)
        } else if external_psk {
            Some(InvalidRequestReason::PostHandshakeAuthAfterExternalPsk)
        } else {
            None
        };
        Self {
            config,
            refusal,
            handshake,
            certificate_type,
            sent: 0,
            outstanding: Vec::new(),
            answer: Answer::Idle,
        }
    }

    /// Requests not yet answered in full (Finished checked).
    pub(crate) fn pending(&self) -> usize {
        self.outstanding.len() + usize::from(!matches!(self.answer, Answer::Idle))
    }

    /// Sends a CertificateRequest (RFC 8446 §4.3.2) with a fresh context
    /// and the extensions of the handshake's ([`certificate_request`]:
    /// our TLS 1.3 signature schemes, the post-handshake verifier's CA
    /// names, the certificate compression we take). Refused unless the client
    /// offered post_handshake_auth, the handshake did not authenticate with
    /// an external PSK, a post-handshake verifier is configured, and fewer
    /// than [`MAX_OUTSTANDING_CERTIFICATE_REQUESTS`] are pending.
    pub(crate) fn request(&mut self, common: &mut dyn HandshakeIo) -> Result<(), Error> {
        if let Some(reason) = self.refusal {
            return Err(Error::InvalidRequest(reason));
        }
        let Some(verifier) = self.config.post_handshake_client_auth.verifier() else {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::PostHandshakeAuthNoVerifier,
            ));
        };
        if self.pending() >= MAX_OUTSTANDING_CERTIFICATE_REQUESTS {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::TooManyCertificateRequests,
            ));
        }
        // The context is the request's number on the connection, 8 bytes
        // big-endian: never empty, never repeated (RFC 8446 §4.3.2).
        self.sent += 1;
        let context = self.sent.to_be_bytes().to_vec();
        let (request, _) = certificate_request(&self.config, verifier.as_ref(), context.clone())?;
        let bytes = common.send_handshake(&HandshakeMessage::CertificateRequestTls13(request))?;
        let mut transcript = self.handshake.clone();
        transcript.add(bytes);
        self.outstanding.push(Outstanding {
            context,
            transcript,
        });
        common.flush_handshake()
    }

    /// Whether an answer is under way, so that the next handshake message
    /// must continue it.
    pub(super) fn answering(&self) -> bool {
        !matches!(self.answer, Answer::Idle)
    }

    /// Takes one message of an answer: Certificate when none is under
    /// way (or CompressedCertificate, which our requests offer when
    /// compression is configured, RFC 8879 §3; the transcript keeps the
    /// message as received, §4), then CertificateVerify (after a chain)
    /// and Finished. Any other message in the middle of an answer is
    /// `unexpected_message`.
    pub(super) fn receive(
        &mut self,
        common: &mut dyn HandshakeIo,
        message: HandshakeMessage,
        raw: &ReceivedHandshake,
    ) -> Result<(), Error> {
        let message = match self.answer {
            Answer::Idle => certificate_compression::expand(message, &self.config.common, common)?,
            _ => message,
        };
        self.answer = match (std::mem::replace(&mut self.answer, Answer::Idle), message) {
            (Answer::Idle, HandshakeMessage::CertificateTls13(certificate)) => {
                self.expect_certificate(certificate, raw)?
            }
            (
                Answer::ExpectCertificateVerify {
                    mut transcript,
                    chain,
                    verified,
                    public_key,
                },
                HandshakeMessage::CertificateVerify(signed),
            ) => {
                let (signature, _) = verify_certificate_verify(
                    &public_key,
                    &signed,
                    &self.config.common.signature_schemes,
                    CLIENT_CERTIFICATE_VERIFY_CONTEXT,
                    &transcript.current(),
                )?;
                transcript.add(&raw.raw);
                Answer::ExpectFinished {
                    transcript,
                    identity: Some(Authenticated {
                        chain,
                        _verified: verified,
                        _signature: signature,
                    }),
                }
            }
            (
                Answer::ExpectFinished {
                    transcript,
                    identity,
                },
                HandshakeMessage::Finished(verify_data),
            ) => {
                let finished = verify_finished(
                    &common.post_handshake_finished_key()?,
                    &transcript.current(),
                    &verify_data,
                )?;
                accept(common, identity, finished);
                Answer::Idle
            }
            (Answer::Idle, _) => {
                return Err(Error::UnexpectedMessage(
                    UnexpectedMessageReason::UnexpectedPostHandshake,
                ))
            }
            (Answer::ExpectCertificateVerify { .. }, _) => {
                return Err(Error::UnexpectedMessage(
                    UnexpectedMessageReason::ExpectedCertificateVerify,
                ))
            }
            (Answer::ExpectFinished { .. }, _) => {
                return Err(Error::UnexpectedMessage(
                    UnexpectedMessageReason::ExpectedFinished,
                ))
            }
        };
        Ok(())
    }

    /// Reads a Certificate answering one of our requests (RFC 8446
    /// §4.4.2): with no request outstanding it is `unexpected_message`, a
    /// context that names none is `illegal_parameter`, certificate
    /// extensions are `unsupported_extension` (we asked for none); an
    /// empty chain is `certificate_required` for a required request, a
    /// chain is judged by the post-handshake verifier.
    fn expect_certificate(
        &mut self,
        certificate: CertificateTls13,
        raw: &ReceivedHandshake,
    ) -> Result<Answer, Error> {
        if self.outstanding.is_empty() {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::CertificateNotRequested,
            ));
        }
        let index = self
            .outstanding
            .iter()
            .position(|r| r.context == certificate.context)
            .ok_or(Error::IllegalParameter(
                IllegalParameterReason::CertificateContextMismatch,
            ))?;
        let mut transcript = self.outstanding.remove(index).transcript;
        let chain = certificate_types::tls13_client_chain(certificate.entries)?;
        transcript.add(&raw.raw);
        if chain.is_empty() {
            return match &self.config.post_handshake_client_auth {
                ClientAuth::Required(_) => Err(Error::CertificateRequired),
                _ => Ok(Answer::ExpectFinished {
                    transcript,
                    identity: None,
                }),
            };
        }
        let (verified, public_key) = certificate_types::verify_client_chain(
            &self.config.post_handshake_client_auth,
            self.config.common.clock.now().as_secs(),
            self.certificate_type,
            &chain,
        )?;
        Ok(Answer::ExpectCertificateVerify {
            transcript,
            chain,
            verified,
            public_key,
        })
    }
}

/// An answer passed its Finished check: a client that authenticated
/// becomes the connection's peer (the accessor of during-handshake
/// authentication reports it).
fn accept(
    common: &mut dyn HandshakeIo,
    identity: Option<Authenticated>,
    _finished: FinishedVerified,
) {
    if let Some(authenticated) = identity {
        common.report(HandshakeEvent::PeerCertificates(authenticated.chain));
    }
}
