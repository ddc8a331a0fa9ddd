//! The handshake state machines (design §1, §2): one per role, each an
//! enum of `Expect…` states that consume themselves on every message.
//!
//! - [`client`]: `hello.rs` builds the ClientHello and reads the
//!   ServerHello's version, `tls13.rs` runs the TLS 1.3 handshake.
//! - [`server`]: `hello.rs` reads the ClientHello and picks the version,
//!   `tls13.rs` runs the TLS 1.3 handshake.
//! - `transcript`: the running transcript hash (RFC 8446 §4.4.1).
//! - `certificate_types`: what each side's Certificate carries, X.509 or
//!   a raw public key (RFC 7250), for both versions.
//! - `proof`: the values only a passed check can create (signature,
//!   Finished); the traffic states cannot be built without them.
//! - `authorities`: certificate_authorities, the CA names a server sends
//!   and a client picks its certificate by, and the other way round.
//! - `stapling`: the OCSP response and SCTs stapled to the server's
//!   certificate, asked for, sent, accepted and verified.
//!
//! - `tls12`: what the TLS 1.0–1.2 state machines (`tls12.rs` on each
//!   side) share: the suite table, the message log, key block to record
//!   protection and signing; the checks of the peer's signatures and
//!   Finished are in `proof`, with TLS 1.3's.

mod authorities;
mod certificate_compression;
mod certificate_types;
pub mod client;
mod proof;
mod record_size_limit;
pub mod server;
mod stapling;
pub(crate) mod tls12;
mod transcript;

#[cfg(test)]
mod tests;

use crate::common_state::{HandshakeIo, ReceivedHandshake};
use crate::crypto::aead::AeadAlgorithm;
use crate::crypto::hash::HashAlgorithm;
use crate::error::{CertificateError, Error, UnexpectedMessageReason};
use crate::msgs::enums::{CipherSuite, HandshakeType, ProtocolVersion};
use crate::msgs::handshake::{DecodeContext, HandshakeMessage};
use crate::msgs::key_exchange::KeyExchangeAlgorithm;

/// A connection's handshake state, of either role.
///
/// The client's states are larger (the ClientHello's key share, a ticket
/// on offer); boxing them would allocate on every transition, which design
/// §2 rules out, and there is one `State` per connection.
#[allow(clippy::large_enum_variant)]
pub(crate) enum State {
    /// A client's state.
    Client(client::State),
    /// A server's state.
    Server(server::State),
}

impl State {
    /// Feeds one received handshake message to the state machine.
    pub(crate) fn handle(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<Self, Error> {
        let expected = match &self {
            Self::Client(state) => state.expected(&*common),
            Self::Server(state) => state.expected(),
        };
        expected.check(message.typ)?;
        Ok(match self {
            Self::Client(state) => Self::Client(state.handle(common, message)?),
            Self::Server(state) => Self::Server(state.handle(common, message)?),
        })
    }
}

/// The handshake message types a state accepts next, judged from the
/// type alone, before the body's length or content (RFC 8446 §6.2,
/// RFC 5246 §7.2.2: the wrong message is `unexpected_message`, whatever
/// it holds). So a Certificate body under the KeyUpdate type, or a
/// malformed CertificateRequest where a Certificate is due, is the wrong
/// message, not one that fails to decode; OpenSSL orders its checks so
/// too. A state may still refuse a listed type for what it carries or
/// for what was negotiated (a second HelloRetryRequest, a
/// CompressedCertificate without compress_certificate offered).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Expected {
    types: &'static [HandshakeType],
    otherwise: UnexpectedMessageReason,
}

impl Expected {
    /// Accepts `types`; another type is
    /// [`Error::UnexpectedMessage`] for `otherwise`.
    pub(crate) const fn new(
        types: &'static [HandshakeType],
        otherwise: UnexpectedMessageReason,
    ) -> Self {
        Self { types, otherwise }
    }

    /// Accepts a message of type `typ`, or fails as [`Self::new`] says.
    fn check(&self, typ: HandshakeType) -> Result<(), Error> {
        if self.types.contains(&typ) {
            Ok(())
        } else {
            Err(Error::UnexpectedMessage(self.otherwise))
        }
    }
}

/// What a TLS 1.3 cipher suite is made of (RFC 8446 §B.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tls13Suite {
    pub(crate) suite: CipherSuite,
    pub(crate) hash: HashAlgorithm,
    pub(crate) aead: AeadAlgorithm,
}

/// The parts of a TLS 1.3 suite, `None` for any other suite.
pub(crate) fn tls13_suite(suite: CipherSuite) -> Option<Tls13Suite> {
    let (hash, aead) = match suite {
        CipherSuite::TLS_AES_128_GCM_SHA256 => (HashAlgorithm::Sha256, AeadAlgorithm::Aes128Gcm),
        CipherSuite::TLS_AES_256_GCM_SHA384 => (HashAlgorithm::Sha384, AeadAlgorithm::Aes256Gcm),
        CipherSuite::TLS_CHACHA20_POLY1305_SHA256 => {
            (HashAlgorithm::Sha256, AeadAlgorithm::ChaCha20Poly1305)
        }
        _ => return None,
    };
    Some(Tls13Suite { suite, hash, aead })
}

/// The key-schedule logger for the connection with ClientHello random
/// `client_random`, when a key log is configured.
pub(crate) fn key_logger(
    config: &crate::config::CommonConfig,
    client_random: [u8; crate::msgs::hello::RANDOM_LEN],
) -> Option<crate::keyschedule::KeyLogger> {
    config.key_log.as_ref().map(|log| {
        crate::keyschedule::KeyLogger::new(
            Arc::new(crate::keylog::KeyLogBridge(log.clone())),
            client_random,
        )
    })
}

/// This handshake's GREASE values (RFC 8701), when `on`: drawn afresh
/// from `config`'s generator, so a peer cannot come to expect one.
pub(crate) fn draw_grease(
    on: bool,
    config: &crate::config::CommonConfig,
) -> Result<Option<crate::msgs::grease::Grease>, Error> {
    use crate::msgs::grease::{Grease, GREASE_SEED_LEN};
    on.then(|| crate::crypto::rng::random_array::<GREASE_SEED_LEN>(&*config.rng))
        .transpose()
        .map(|seed| seed.map(Grease::from_seed))
}

/// Decodes a received message as TLS 1.3 defines it; the Finished length
/// is the suite hash's (RFC 8446 §4.4.4).
pub(crate) fn decode_tls13(
    message: &ReceivedHandshake,
    hash: HashAlgorithm,
) -> Result<HandshakeMessage, Error> {
    let cx = DecodeContext {
        version: ProtocolVersion::TLSv1_3,
        key_exchange: KeyExchangeAlgorithm::Ecdhe,
        finished_len: hash.output_len(),
    };
    HandshakeMessage::decode(message.typ, message.body()?, &cx)
}

use std::sync::Arc;

use crate::crypto::verify::PublicKey;
use crate::msgs::enums::SignatureScheme;
use crate::pki::{CertifiedKey, KeyUsage, ServerName};
pub use authorities::MAX_CERTIFICATE_AUTHORITIES_BYTES;
pub(crate) use proof::tls13_handshake_scheme;

/// What the handshake does with the peer's end-entity key, which the
/// certificate's keyUsage, when present, must allow (RFC 5280 §4.2.1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyUse {
    /// Signs the handshake, which needs digitalSignature: a TLS 1.3
    /// CertificateVerify of either side (RFC 8446 §4.4.2.2, §4.4.2.3), a
    /// TLS 1.2 ServerKeyExchange (RFC 5246 §7.4.2 for DHE_RSA and
    /// ECDHE_RSA, RFC 8422 §5.3 for ECDHE_ECDSA) or a TLS 1.2 client's
    /// CertificateVerify (RFC 5246 §7.4.6).
    Sign,
    /// Encrypts the TLS 1.2 premaster secret (the RSA key exchange, RFC
    /// 5246 §7.4.2), which needs keyEncipherment.
    Encipher,
}

impl KeyUse {
    /// The keyUsage bit the use needs.
    fn key_usage(self) -> KeyUsage {
        match self {
            Self::Sign => KeyUsage::DigitalSignature,
            Self::Encipher => KeyUsage::KeyEncipherment,
        }
    }

    /// Whether our certificate `certified` allows the use: a handshake
    /// never picks one the peer must refuse.
    pub(crate) fn allowed_by(self, certified: &CertifiedKey) -> bool {
        certified.key_usage_allows(self.key_usage())
    }
}

/// The public key of an end-entity certificate whose keyUsage allows
/// `key_use`; one that does not parse takes its certificate error's
/// alert, one whose keyUsage forbids the use is
/// [`CertificateError::KeyUsageForbids`] (`unsupported_certificate`), as
/// GnuTLS and BoringSSL refuse it. The verifier judged the chain for its
/// purpose (for serverAuth, a keyUsage allowing any one of signing, key
/// encipherment and key agreement); this is the use the negotiated
/// handshake makes of the key.
pub(crate) fn end_entity_key(der: &[u8], key_use: KeyUse) -> Result<PublicKey, Error> {
    let certificate = crate::pki::Certificate::parse(der).map_err(Error::InvalidCertificate)?;
    if !certificate.key_usage_allows(key_use.key_usage()) {
        return Err(Error::InvalidCertificate(CertificateError::KeyUsageForbids));
    }
    Ok(certificate.public_key)
}

/// The first certificate, those for `server_name` first ([`ForName`]),
/// whose keyUsage allows signing and whose key can sign with a TLS 1.3
/// handshake scheme in `accepted`, with that scheme (the key's preference
/// first).
pub(crate) fn choose_certificate<'a>(
    certificates: &'a [Arc<CertifiedKey>],
    server_name: Option<&str>,
    accepted: &[SignatureScheme],
) -> Option<(&'a Arc<CertifiedKey>, SignatureScheme)> {
    let for_name = ForName::new(certificates, server_name);
    let chosen = for_name.order(certificates).find_map(|certified| {
        if !KeyUse::Sign.allowed_by(certified) {
            return None;
        }
        certified
            .signing_schemes()
            .find(|s| tls13_handshake_scheme(*s) && accepted.contains(s))
            .map(|scheme| (certified, scheme))
    });
    chosen
}

/// Which of a server's certificates are for the host a client asked for
/// (RFC 6066 §3): those whose subjectAltName covers its server_name. A
/// server tries them before the others (the default ones, for a client
/// that named no server or a name none covers), whatever else it must
/// then give up for them: a TLS 1.2 server a more preferred suite. With
/// one certificate there is nothing to choose and no name is compared.
pub(crate) struct ForName(Option<ServerName>);

impl ForName {
    /// The name `server_name` as `certificates` are judged by it.
    pub(crate) fn new(certificates: &[Arc<CertifiedKey>], server_name: Option<&str>) -> Self {
        Self(
            server_name
                .filter(|_| certificates.len() > 1)
                .and_then(|name| ServerName::parse(name).ok()),
        )
    }

    /// Whether `certified` is for the name.
    pub(crate) fn covers(&self, certified: &CertifiedKey) -> bool {
        self.0
            .as_ref()
            .is_some_and(|name| certified.covers_name(name))
    }

    /// The certificates of `certificates` in the order to try them: those
    /// for the name, then the others.
    pub(crate) fn order<'s, 'c>(
        &'s self,
        certificates: &'c [Arc<CertifiedKey>],
    ) -> impl Iterator<Item = &'c Arc<CertifiedKey>> + use<'s, 'c> {
        let first = certificates.iter().filter(|c| self.covers(c));
        first.chain(certificates.iter().filter(|c| !self.covers(c)))
    }
}

pub(crate) use proof::{
    sign_certificate_verify, verify_binder, verify_certificate_verify, verify_finished,
    verify_params, verify_signed, verify_tls12_finished, BinderVerified, FinishedVerified,
    SignatureVerified, CLIENT_CERTIFICATE_VERIFY_CONTEXT, SERVER_CERTIFICATE_VERIFY_CONTEXT,
};
pub(crate) use transcript::Transcript;
