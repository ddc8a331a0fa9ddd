//! The groups built on ML-KEM against rustls with its aws-lc-rs provider
//! (AWS-LC's ML-KEM and X25519, not ring's or libcrux's), in memory, both
//! ways: our client with a rustls server, a rustls client with our server;
//! the hybrid X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem) and ML-KEM-768
//! and ML-KEM-1024 alone (draft-ietf-tls-mlkem). rustls is
//! a dev-dependency; nothing here needs a network. rustls's own zlib and
//! brotli certificate compression (RFC 8879) is checked the same way,
//! both certificates, both directions.

mod common;

use std::io::{Read, Write};
use std::sync::Arc;

use common::*;
use ferrotls::{NamedGroup, ProtocolVersion};
use rustls::crypto::aws_lc_rs::{default_provider, kx_group};
use rustls::crypto::{CryptoProvider, SupportedKxGroup};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};

/// Each group built on ML-KEM both engines speak: ours, and rustls's.
fn kem_groups() -> [(NamedGroup, &'static dyn SupportedKxGroup); 3] {
    [
        (NamedGroup::X25519MLKEM768, kx_group::X25519MLKEM768),
        (NamedGroup::MLKEM768, kx_group::MLKEM768),
        (NamedGroup::MLKEM1024, kx_group::MLKEM1024),
    ]
}

/// aws-lc-rs offering `group` alone, so a handshake succeeds only if that
/// exchange does.
fn provider(group: &'static dyn SupportedKxGroup) -> Arc<CryptoProvider> {
    Arc::new(CryptoProvider {
        kx_groups: vec![group],
        ..default_provider()
    })
}

fn rustls_server(group: &'static dyn SupportedKxGroup) -> Arc<rustls::ServerConfig> {
    let chain = CertificateDer::pem_slice_iter(read_vector("p256-chain.pem").as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(read_vector("p256-leaf.key").as_bytes()).unwrap();
    Arc::new(
        rustls::ServerConfig::builder_with_provider(provider(group))
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap(),
    )
}

fn rustls_client(group: &'static dyn SupportedKxGroup) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(read_vector("p256-root.pem").as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    Arc::new(
        rustls::ClientConfig::builder_with_provider(provider(group))
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

/// Moves every byte `from` wants to write into `to` and lets `to` process
/// them.
fn pump(from: &mut dyn Peerish, to: &mut dyn Peerish) {
    let mut bytes = Vec::new();
    while from.wants_write() {
        from.write_to(&mut bytes);
    }
    to.read_from(&bytes);
}

/// The little both engines' connections need to face each other.
trait Peerish {
    fn wants_write(&self) -> bool;
    fn write_to(&mut self, out: &mut Vec<u8>);
    fn read_from(&mut self, bytes: &[u8]);
    fn is_handshaking(&self) -> bool;
}

impl Peerish for ferrotls::Connection {
    fn wants_write(&self) -> bool {
        ferrotls::Connection::wants_write(self)
    }
    fn write_to(&mut self, out: &mut Vec<u8>) {
        self.write_tls(out).unwrap();
    }
    fn read_from(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let n = self.read_tls(&mut bytes).unwrap();
            assert!(n > 0);
            self.process_new_packets().unwrap();
        }
    }
    fn is_handshaking(&self) -> bool {
        ferrotls::Connection::is_handshaking(self)
    }
}

impl<T> Peerish for rustls::ConnectionCommon<T> {
    fn wants_write(&self) -> bool {
        let common: &rustls::CommonState = self;
        common.wants_write()
    }
    fn write_to(&mut self, out: &mut Vec<u8>) {
        self.write_tls(out).unwrap();
    }
    fn read_from(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            self.read_tls(&mut bytes).unwrap();
            self.process_new_packets().unwrap();
        }
    }
    fn is_handshaking(&self) -> bool {
        let common: &rustls::CommonState = self;
        common.is_handshaking()
    }
}

/// Runs the handshake between `client` and `server`, then sends a line
/// each way.
fn handshake_and_talk(client: &mut dyn Peerish, server: &mut dyn Peerish) {
    for _ in 0..MAX_FLIGHTS {
        pump(client, server);
        pump(server, client);
        if !client.is_handshaking() && !server.is_handshaking() {
            return;
        }
    }
    panic!("the handshake did not complete");
}

/// Flights each way a TLS 1.3 handshake takes here, with room to spare.
const MAX_FLIGHTS: usize = 6;

#[test]
fn our_client_and_a_rustls_aws_lc_server_agree_on_each_ml_kem_group() {
    for (group, theirs_group) in kem_groups() {
        let client = client_builder("p256").groups(&[group]).build().unwrap();
        let mut ours = ferrotls::ClientConnection::new(client, server_name("p256")).unwrap();
        let mut theirs = rustls::ServerConnection::new(rustls_server(theirs_group)).unwrap();
        handshake_and_talk(&mut *ours, &mut *theirs);
        assert_eq!(ours.negotiated_group(), Some(group));
        assert_eq!(ours.protocol_version(), Some(ProtocolVersion::TLSv1_3));
        assert_eq!(
            theirs.negotiated_key_exchange_group().map(|g| g.name()),
            Some(theirs_group.name())
        );
        ours.writer().write_all(b"from ferrotls").unwrap();
        pump(&mut *ours, &mut *theirs);
        let mut got = [0; 13];
        theirs.reader().read_exact(&mut got).unwrap();
        assert_eq!(&got, b"from ferrotls", "{group:?}");
    }
}

#[test]
fn a_rustls_aws_lc_client_and_our_server_agree_on_each_ml_kem_group() {
    for (group, theirs_group) in kem_groups() {
        let server = server_builder("p256").groups(&[group]).build().unwrap();
        let mut ours = ferrotls::ServerConnection::new(server);
        let name = ServerName::try_from("leaf.p256.test").unwrap();
        let mut theirs = rustls::ClientConnection::new(rustls_client(theirs_group), name).unwrap();
        handshake_and_talk(&mut *theirs, &mut *ours);
        assert_eq!(ours.negotiated_group(), Some(group));
        assert_eq!(
            theirs.negotiated_key_exchange_group().map(|g| g.name()),
            Some(theirs_group.name())
        );
        theirs.writer().write_all(b"from rustls").unwrap();
        pump(&mut *theirs, &mut *ours);
        let mut got = [0; 11];
        ours.reader().read_exact(&mut got).unwrap();
        assert_eq!(&got, b"from rustls", "{group:?}");
    }
}

// ---- certificate compression (RFC 8879) against rustls's own zlib
// (zlib-rs) and brotli, both certificates, both directions ----

/// rustls's compressors and decompressors, with the algorithm each is.
fn rustls_codecs() -> [(
    ferrotls::CertificateCompressionAlgorithm,
    &'static dyn rustls::compress::CertCompressor,
    &'static dyn rustls::compress::CertDecompressor,
); 2] {
    use ferrotls::CertificateCompressionAlgorithm as A;
    use rustls::compress::{
        BROTLI_COMPRESSOR, BROTLI_DECOMPRESSOR, ZLIB_COMPRESSOR, ZLIB_DECOMPRESSOR,
    };
    [
        (A::Zlib, ZLIB_COMPRESSOR, ZLIB_DECOMPRESSOR),
        (A::Brotli, BROTLI_COMPRESSOR, BROTLI_DECOMPRESSOR),
    ]
}

/// The P-384 test chain and key, as rustls takes them.
fn rustls_p384_identity() -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>) {
    let chain = CertificateDer::pem_slice_iter(read_vector("p384-chain.pem").as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(read_vector("p384-leaf.key").as_bytes()).unwrap();
    (chain, key)
}

#[test]
fn rustls_and_our_client_compress_certificates_for_each_other() {
    // A rustls server compressing its chain with one algorithm and
    // requiring a client certificate it can decompress with the same:
    // our client decompresses the server's chain and compresses its own.
    for (algorithm, compressor, decompressor) in rustls_codecs() {
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(read_vector("p384-root.pem").as_bytes()) {
            roots.add(cert.unwrap()).unwrap();
        }
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
            Arc::new(roots),
            Arc::new(default_provider()),
        )
        .build()
        .unwrap();
        let chain = CertificateDer::pem_slice_iter(read_vector("p256-chain.pem").as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let key = PrivateKeyDer::from_pem_slice(read_vector("p256-leaf.key").as_bytes()).unwrap();
        let mut server = rustls::ServerConfig::builder_with_provider(Arc::new(default_provider()))
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(chain, key)
            .unwrap();
        server.cert_compressors = vec![compressor];
        server.cert_decompressors = vec![decompressor];
        let client = client_builder("p256")
            .client_certificate(certified_key("p384"))
            .build()
            .unwrap();
        let mut ours = ferrotls::ClientConnection::new(client, server_name("p256")).unwrap();
        let mut theirs = rustls::ServerConnection::new(Arc::new(server)).unwrap();
        handshake_and_talk(&mut *ours, &mut *theirs);
        assert_eq!(ours.peer_certificate_compression(), Some(algorithm));
        assert_eq!(ours.sent_certificate_compression(), Some(algorithm));
        assert_eq!(ours.peer_certificates().len(), 2);
        assert_eq!(theirs.peer_certificates().map(<[_]>::len), Some(2));
    }
}

#[test]
fn rustls_client_and_our_server_compress_certificates_for_each_other() {
    // A rustls client decompressing with one algorithm only and sending
    // its certificate compressed with it: our server compresses its chain
    // for it and decompresses the client's.
    for (algorithm, compressor, decompressor) in rustls_codecs() {
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(read_vector("p256-root.pem").as_bytes()) {
            roots.add(cert.unwrap()).unwrap();
        }
        let (chain, key) = rustls_p384_identity();
        let mut client = rustls::ClientConfig::builder_with_provider(Arc::new(default_provider()))
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .with_root_certificates(roots)
            .with_client_auth_cert(chain, key)
            .unwrap();
        client.cert_compressors = vec![compressor];
        client.cert_decompressors = vec![decompressor];
        let server = client_auth_server_builder("p256", "p384", true)
            .build()
            .unwrap();
        let name = ServerName::try_from("leaf.p256.test").unwrap();
        let mut theirs = rustls::ClientConnection::new(Arc::new(client), name).unwrap();
        let mut ours = ferrotls::ServerConnection::new(server);
        handshake_and_talk(&mut *theirs, &mut *ours);
        assert_eq!(ours.sent_certificate_compression(), Some(algorithm));
        assert_eq!(ours.peer_certificate_compression(), Some(algorithm));
        assert_eq!(ours.peer_certificates().len(), 2);
    }
}

#[test]
fn a_rustls_aws_lc_server_takes_our_clients_chromium_hello_and_resumes_it() {
    // GREASE and our extensions permuted, as Chromium's ClientHello, on a
    // full handshake and then on resumptions (a PSK binder over the
    // permuted hello).
    let [(group, theirs_group), ..] = kem_groups();
    let client = client_builder("p256")
        .groups(&[group])
        .grease(true)
        .permute_extensions(true)
        .build()
        .unwrap();
    let server = rustls_server(theirs_group);
    for resumed in [false, true, true, true] {
        let mut ours =
            ferrotls::ClientConnection::new(client.clone(), server_name("p256")).unwrap();
        let mut theirs = rustls::ServerConnection::new(server.clone()).unwrap();
        handshake_and_talk(&mut *ours, &mut *theirs);
        assert_eq!(ours.negotiated_group(), Some(group));
        assert_eq!(ours.is_resumed(), resumed);
    }
}
