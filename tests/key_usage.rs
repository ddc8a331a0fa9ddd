//! The end entity's keyUsage (RFC 5280 §4.2.1.3): against the bits an
//! application requires of a validation (`Validation::with_key_usage`),
//! and against the use the negotiated handshake makes of its key:
//! digitalSignature to sign a TLS
//! 1.3 CertificateVerify (RFC 8446 §4.4.2.2, §4.4.2.3), a TLS 1.2
//! ServerKeyExchange (RFC 5246 §7.4.2, RFC 8422 §5.3) or a TLS 1.2 client
//! CertificateVerify (RFC 5246 §7.4.6); keyEncipherment to receive the
//! premaster secret of the RSA key exchange (RFC 5246 §7.4.2).
//!
//! Both halves: a peer's certificate whose keyUsage forbids the use is
//! refused (`unsupported_certificate`), and our side never picks such a
//! certificate of its own. Since ours would not send one, the refusals
//! are shown by replacing the Certificate message of a flight with one
//! carrying the restricted leaf: the same key under the same root, so
//! only its keyUsage differs. The chains are written here with rcgen
//! from the fixed RSA keys of `vectors/pki`.

mod common;

use std::sync::Arc;

use common::*;
use ferrotls::{
    verify_chain, AlertDescription, CertificateError, CertifiedKey, CipherSuite, ClientAuth,
    ClientConfig, Error, KeyUsage, ManualClock, ProtocolVersion, Purpose, RootStore, ServerConfig,
    ServerName, UnixTime, Validation, WebPkiClientVerifier, WebPkiServerVerifier,
};
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};

const TLS12: &[ProtocolVersion] = &[ProtocolVersion::TLSv1_2];
const TLS13: &[ProtocolVersion] = &[ProtocolVersion::TLSv1_3];
const ECDHE_RSA: CipherSuite = CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
#[cfg(feature = "legacy")]
const RSA_KX: CipherSuite = CipherSuite::TLS_RSA_WITH_AES_128_GCM_SHA256;

const SIGN: &[KeyUsagePurpose] = &[KeyUsagePurpose::DigitalSignature];
const ENCIPHER: &[KeyUsagePurpose] = &[KeyUsagePurpose::KeyEncipherment];
const BOTH: &[KeyUsagePurpose] = &[
    KeyUsagePurpose::DigitalSignature,
    KeyUsagePurpose::KeyEncipherment,
];

const FORBIDS: Error = Error::InvalidCertificate(CertificateError::KeyUsageForbids);

/// The name in every leaf written here.
const NAME: &str = "leaf.key-usage.test";

const CERTIFICATE: u8 = 11;

fn rsa_key(file: &str) -> KeyPair {
    KeyPair::from_pem_and_sign_algo(&read_vector(file), &rcgen::PKCS_RSA_SHA256).unwrap()
}

/// A root and leaves of one key under it, differing in keyUsage.
struct Hierarchy {
    root_key: KeyPair,
    root: CertificateParams,
    root_der: Vec<u8>,
}

impl Hierarchy {
    fn new() -> Self {
        let root_key = rsa_key("rsa2048-root.key");
        let mut root = CertificateParams::default();
        root.distinguished_name
            .push(DnType::CommonName, "Key Usage Root");
        root.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        root.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        (root.not_before, root.not_after) = (date_time_ymd(2020, 1, 1), date_time_ymd(2040, 1, 1));
        let root_der = root.self_signed(&root_key).unwrap().der().to_vec();
        Self {
            root_key,
            root,
            root_der,
        }
    }

    /// A leaf of the rsa2048 leaf key for [`NAME`] with keyUsage `usages`
    /// (none when empty), for servers and clients alike.
    fn leaf(&self, usages: &[KeyUsagePurpose]) -> Arc<CertifiedKey> {
        let leaf_key = rsa_key("rsa2048-leaf.key");
        let mut leaf = CertificateParams::default();
        leaf.distinguished_name.push(DnType::CommonName, NAME);
        leaf.subject_alt_names = vec![SanType::DnsName(NAME.try_into().unwrap())];
        leaf.key_usages = usages.to_vec();
        leaf.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ];
        leaf.use_authority_key_identifier_extension = true;
        (leaf.not_before, leaf.not_after) = (date_time_ymd(2029, 1, 1), date_time_ymd(2031, 1, 1));
        let der = leaf
            .signed_by(&leaf_key, &Issuer::from_params(&self.root, &self.root_key))
            .unwrap()
            .der()
            .to_vec();
        let key = ferrotls::private_key_from_pem(&read_vector("rsa2048-leaf.key")).unwrap();
        Arc::new(CertifiedKey::new(vec![der], key).unwrap())
    }

    fn roots(&self) -> Arc<RootStore> {
        let mut store = RootStore::new();
        store.add_der(self.root_der.clone()).unwrap();
        Arc::new(store)
    }

    /// A client of `versions` and `suite` trusting the root, without
    /// certificate compression, so that a Certificate message is what a
    /// test swaps.
    fn client(&self, versions: &[ProtocolVersion], suite: CipherSuite) -> Arc<ClientConfig> {
        ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(self.roots())))
            .clock(clock())
            .versions(versions)
            .cipher_suites(&[suite])
            .certificate_compression(&[])
            .build()
            .unwrap()
    }

    /// A server of `versions` and `suite` serving `certificates`, in
    /// that order.
    fn server(
        &self,
        versions: &[ProtocolVersion],
        suite: CipherSuite,
        certificates: &[Arc<CertifiedKey>],
    ) -> Arc<ServerConfig> {
        let (first, rest) = certificates.split_first().unwrap();
        rest.iter()
            .fold(ServerConfig::builder(first.clone()), |b, c| {
                b.certificate(c.clone())
            })
            .clock(clock())
            .versions(versions)
            .cipher_suites(&[suite])
            .build()
            .unwrap()
    }
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(UnixTime::from_secs(NOW)))
}

fn name() -> ServerName {
    ServerName::parse(NAME).unwrap()
}

/// A Certificate message carrying `leaf` alone: TLS 1.3's form (RFC 8446
/// §4.4.2, an empty context and no entry extensions) or TLS 1.2's (RFC
/// 5246 §7.4.2).
fn certificate_message(leaf: &CertifiedKey, tls13: bool) -> Vec<u8> {
    let der = &leaf.chain()[0];
    let u24 = |n: usize| (n as u32).to_be_bytes()[1..].to_vec();
    let mut entry = [u24(der.len()), der.clone()].concat();
    if tls13 {
        entry.extend([0, 0]);
    }
    let mut body = if tls13 { vec![0] } else { Vec::new() };
    body.extend(u24(entry.len()));
    body.extend(entry);
    [vec![CERTIFICATE], u24(body.len()), body].concat()
}

/// Replaces the Certificate message among `messages`.
fn swap_certificate(messages: &mut [Vec<u8>], replacement: Vec<u8>) {
    *messages.iter_mut().find(|m| m[0] == CERTIFICATE).unwrap() = replacement;
}

/// What the client makes of the server's certificate when its flight
/// carries a leaf with keyUsage `usages` instead of one allowing
/// everything.
fn client_sees_server_leaf(
    usages: &[KeyUsagePurpose],
    versions: &[ProtocolVersion],
    suite: CipherSuite,
) -> (Error, Option<u8>) {
    let pki = Hierarchy::new();
    let replacement = certificate_message(&pki.leaf(usages), versions == TLS13);
    let client = pki.client(versions, suite);
    if versions != TLS13 {
        let server = pki.server(versions, suite, &[pki.leaf(BOTH)]);
        return refuses(client, server, name(), Refuser::Client, 1, |flight| {
            edit_plaintext_flight(flight, |m| swap_certificate(m, replacement))
        });
    }
    let secrets = Arc::new(CapturedSecrets::default());
    let server = ServerConfig::builder(pki.leaf(BOTH))
        .clock(clock())
        .versions(versions)
        .cipher_suites(&[suite])
        .key_log(secrets.clone())
        .build()
        .unwrap();
    let (err, received) = client_refuses_encrypted_flight(client, server, name(), &secrets, |m| {
        swap_certificate(m, replacement)
    });
    let Error::AlertReceived(alert) = received else {
        panic!("the server read no alert: {received:?}");
    };
    (err, Some(alert.into()))
}

/// What the server makes of the client's certificate when the client's
/// flight carries a leaf with keyUsage `usages` instead of one allowing
/// everything.
fn server_sees_client_leaf(usages: &[KeyUsagePurpose], versions: &[ProtocolVersion]) -> Error {
    let pki = Hierarchy::new();
    let tls13 = versions == TLS13;
    let replacement = certificate_message(&pki.leaf(usages), tls13);
    let secrets = Arc::new(CapturedSecrets::default());
    let client = logged_aes128_client("rsa2048", &secrets)
        .versions(versions)
        .cipher_suites(&[CipherSuite::TLS_AES_128_GCM_SHA256, ECDHE_RSA])
        .client_certificate(pki.leaf(BOTH))
        .build()
        .unwrap();
    let verifier = Arc::new(WebPkiClientVerifier::new(pki.roots()));
    let server = server_builder("rsa2048")
        .versions(versions)
        .client_auth(ClientAuth::Required(verifier))
        .certificate_compression(&[])
        .build()
        .unwrap();
    let (err, _) = refuses(
        client,
        server,
        server_name("rsa2048"),
        Refuser::Server,
        2,
        |flight| {
            let swap = |m: &mut Vec<Vec<u8>>| swap_certificate(m, replacement);
            if tls13 {
                let secret = secrets.get("CLIENT_HANDSHAKE_TRAFFIC_SECRET");
                edit_encrypted_flight(flight, &secret, swap)
            } else {
                edit_plaintext_flight(flight, swap)
            }
        },
    );
    err
}

#[test]
fn rfc8446_4_4_2_2_tls13_server_key_without_digital_signature_is_unsupported_certificate() {
    let suite = CipherSuite::TLS_AES_128_GCM_SHA256;
    let (err, alert) = client_sees_server_leaf(ENCIPHER, TLS13, suite);
    assert_eq!(err, FORBIDS);
    assert_eq!(alert, Some(AlertDescription::UnsupportedCertificate.into()));
    // The same swap with digitalSignature allowed passes this check and
    // fails no other: the handshake's CertificateVerify is over the
    // original transcript, so the signature is what fails then.
    let (err, _) = client_sees_server_leaf(SIGN, TLS13, suite);
    assert!(matches!(err, Error::DecryptError(_)), "{err:?}");
}

#[test]
fn rfc5246_7_4_2_tls12_ecdhe_rsa_server_key_without_digital_signature_is_unsupported_certificate() {
    let (err, alert) = client_sees_server_leaf(ENCIPHER, TLS12, ECDHE_RSA);
    assert_eq!(err, FORBIDS);
    assert_eq!(alert, Some(AlertDescription::UnsupportedCertificate.into()));
}

#[cfg(feature = "legacy")]
#[test]
fn rfc5246_7_4_2_tls12_rsa_key_exchange_server_key_without_key_encipherment_is_unsupported_certificate(
) {
    let (err, alert) = client_sees_server_leaf(SIGN, TLS12, RSA_KX);
    assert_eq!(err, FORBIDS);
    assert_eq!(alert, Some(AlertDescription::UnsupportedCertificate.into()));
}

#[test]
fn rfc8446_4_4_2_3_client_key_without_digital_signature_is_unsupported_certificate() {
    for versions in [TLS13, TLS12] {
        assert_eq!(
            server_sees_client_leaf(ENCIPHER, versions),
            FORBIDS,
            "{versions:?}"
        );
    }
}

/// Which side failed first, with its error.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// The handshake completed, the client having met this end entity.
    Completed(Vec<u8>),
    ClientRefused(Error),
    ServerRefused(Error),
}

fn run(client: Arc<ClientConfig>, server: Arc<ServerConfig>, name: ServerName) -> Outcome {
    let (mut c, mut s) = pair(client, server, name);
    for _ in 0..10 {
        if let Err(e) = transfer(&mut c, &mut s).1 {
            return Outcome::ServerRefused(e);
        }
        if let Err(e) = transfer(&mut s, &mut c).1 {
            return Outcome::ClientRefused(e);
        }
        if !c.is_handshaking() && !s.is_handshaking() {
            return Outcome::Completed(c.peer_certificates()[0].clone());
        }
    }
    panic!("the handshake neither completed nor failed");
}

#[test]
fn a_server_never_picks_a_certificate_whose_key_usage_forbids_the_use() {
    let pki = Hierarchy::new();
    #[cfg_attr(not(feature = "legacy"), allow(unused_mut))]
    let mut cases = vec![
        (TLS13, CipherSuite::TLS_AES_128_GCM_SHA256, ENCIPHER, SIGN),
        (TLS12, ECDHE_RSA, ENCIPHER, SIGN),
    ];
    #[cfg(feature = "legacy")]
    cases.push((TLS12, RSA_KX, SIGN, ENCIPHER));
    for (versions, suite, forbidden, allowed) in cases {
        let (forbidden, allowed) = (pki.leaf(forbidden), pki.leaf(allowed));
        let client = pki.client(versions, suite);
        // Alone, the certificate is not used: no certificate fits.
        let server = pki.server(versions, suite, std::slice::from_ref(&forbidden));
        let outcome = run(client.clone(), server, name());
        assert!(
            matches!(outcome, Outcome::ServerRefused(Error::HandshakeFailure(_))),
            "{suite:?}: {outcome:?}"
        );
        // Listed first, it is passed over for the one that fits.
        let server = pki.server(versions, suite, &[forbidden, allowed.clone()]);
        assert_eq!(
            run(client, server, name()),
            Outcome::Completed(allowed.chain()[0].clone()),
            "{suite:?}"
        );
    }
}

#[test]
fn a_client_never_sends_a_certificate_whose_key_usage_forbids_signing() {
    let pki = Hierarchy::new();
    for versions in [TLS13, TLS12] {
        let verifier = Arc::new(WebPkiClientVerifier::new(pki.roots()));
        let server = server_builder("rsa2048")
            .versions(versions)
            .client_auth(ClientAuth::Optional(verifier))
            .build()
            .unwrap();
        let client = client_builder("rsa2048")
            .versions(versions)
            .client_certificate(pki.leaf(ENCIPHER))
            .build()
            .unwrap();
        let (mut c, mut s) = pair(client, server, server_name("rsa2048"));
        handshake(&mut c, &mut s);
        assert!(s.peer_certificates().is_empty(), "{versions:?}");
    }
}

#[test]
fn rfc5280_4_2_1_3_a_validation_requiring_key_usage_refuses_a_leaf_without_it() {
    let pki = Hierarchy::new();
    let roots = pki.roots();
    let name = name();
    let validation = Validation::new(&roots, Purpose::ServerAuth, NOW).with_name(&name);
    let verdict = |leaf: &CertifiedKey, required: &[KeyUsage]| {
        verify_chain(&leaf.chain()[0], &[], &validation.with_key_usage(required)).map(|_| ())
    };
    let signing = pki.leaf(SIGN);
    assert_eq!(verdict(&signing, &[]), Ok(()));
    assert_eq!(verdict(&signing, &[KeyUsage::DigitalSignature]), Ok(()));
    assert_eq!(
        verdict(
            &signing,
            &[KeyUsage::DigitalSignature, KeyUsage::KeyEncipherment]
        ),
        Err(CertificateError::KeyUsageForbids)
    );
    // Without a keyUsage extension the key's use is unrestricted.
    let unrestricted = pki.leaf(&[]);
    assert_eq!(verdict(&unrestricted, &KeyUsage::ALL), Ok(()));
}

#[test]
fn key_usage_names_are_rfc_5280_s() {
    for usage in KeyUsage::ALL {
        assert_eq!(usage.name().parse(), Ok(usage));
        assert_eq!(usage.name().to_uppercase().parse(), Ok(usage));
    }
    assert_eq!("cRLSign".parse(), Ok(KeyUsage::CrlSign));
    assert_eq!("nonRepudiation".parse(), Ok(KeyUsage::ContentCommitment));
    assert_eq!(
        "signing".parse::<KeyUsage>(),
        Err(ferrotls::UnknownKeyUsage)
    );
}
