//! Generated chains for the differential test of the certificate
//! validator (`tests/pki_differential.rs`) and its fuzz target
//! (`fuzz/fuzz_targets/x509_differential.rs`), which both include this
//! file by path: a root → intermediate → leaf hierarchy written with
//! rcgen from the fixed keys of `vectors/pki`, valid unless [`Mutation`]s
//! are applied; ferrotls (webpki profile) and rustls-webpki as judges of
//! it; and [`EXPECTED_DIFFERENCES`], the one table of the disagreements
//! that are known, each with the text that makes ferrotls right.
//!
//! The including crate must have rustls-pki-types as `pki_types` at its
//! root.

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use crate::pki_types::{
    CertificateDer, ServerName as WebPkiName, SignatureVerificationAlgorithm, UnixTime,
};
use ferrotls::{verify_chain, Profile, Purpose, RootStore, ServerName, Validation};
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, CustomExtension, DnType,
    ExtendedKeyUsagePurpose, GeneralSubtree, IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose,
    NameConstraints, SanType, SignatureAlgorithm,
};

/// The reference name every chain is validated for.
pub const NAME: &str = "leaf.example.com";

/// The validation time: 2030-01-01T00:00:00Z, inside every certificate's
/// validity unless a mutation moves the leaf's.
pub const NOW: u64 = 1_893_456_000;

/// An OID under the private arc of RFC 5280's examples space that no
/// validator knows: the unknown critical extension.
const UNKNOWN_EXTENSION: &[u64] = &[1, 3, 6, 1, 4, 1, 55555, 1];

/// The key of one certificate of the hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    Rsa2048,
    P256,
    P384,
}

/// Every [`KeyType`].
pub const KEY_TYPES: [KeyType; 3] = [KeyType::Rsa2048, KeyType::P256, KeyType::P384];

/// A position in the hierarchy; each has its own key per [`KeyType`].
#[derive(Clone, Copy)]
enum Role {
    Root,
    Intermediate,
    Leaf,
}

/// The nine keys (PKCS #8 from `vectors/pki`), parsed once.
fn key(key_type: KeyType, role: Role) -> &'static KeyPair {
    static KEYS: OnceLock<Vec<KeyPair>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        let rsa = &rcgen::PKCS_RSA_SHA256;
        let p256 = &rcgen::PKCS_ECDSA_P256_SHA256;
        let p384 = &rcgen::PKCS_ECDSA_P384_SHA384;
        let files: [(&str, &'static SignatureAlgorithm); 9] = [
            (include_str!("../../vectors/pki/rsa2048-root.key"), rsa),
            (include_str!("../../vectors/pki/rsa2048-int.key"), rsa),
            (include_str!("../../vectors/pki/rsa2048-leaf.key"), rsa),
            (include_str!("../../vectors/pki/p256-root.key"), p256),
            (include_str!("../../vectors/pki/p256-int.key"), p256),
            (include_str!("../../vectors/pki/p256-leaf.key"), p256),
            (include_str!("../../vectors/pki/p384-root.key"), p384),
            (include_str!("../../vectors/pki/p384-int.key"), p384),
            (include_str!("../../vectors/pki/p384-leaf.key"), p384),
        ];
        files
            .into_iter()
            .map(|(pem, alg)| KeyPair::from_pem_and_sign_algo(pem, alg).expect("test key"))
            .collect()
    });
    let family = match key_type {
        KeyType::Rsa2048 => 0,
        KeyType::P256 => 3,
        KeyType::P384 => 6,
    };
    &keys[family + role as usize]
}

/// One departure from the valid chain. Each is applied to the rcgen
/// parameters of the certificate it names; [`Description`] keeps them in
/// the order of [`MUTATIONS`], so a set of them always gives one chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mutation {
    /// notAfter before [`NOW`].
    LeafExpired,
    /// notBefore after [`NOW`].
    LeafNotYetValid,
    /// No subjectAltName; the subject CN is still [`NAME`].
    LeafWithoutSan,
    /// The only dNSName is `other.example.com`.
    LeafOtherName,
    /// The only dNSName is `*.example.com`.
    LeafWildcard,
    /// An empty subject (with a critical subjectAltName, as RFC 5280
    /// §4.2.1.6 asks).
    LeafEmptySubject,
    /// basicConstraints cA=TRUE on the leaf.
    LeafCa,
    /// extKeyUsage clientAuth only.
    LeafClientAuthOnly,
    /// No extKeyUsage.
    LeafWithoutEku,
    /// No authorityKeyIdentifier on the leaf.
    LeafWithoutAki,
    /// An unknown critical extension on the leaf.
    LeafUnknownCritical,
    /// The leaf names the intermediate as issuer (and its key identifier)
    /// but is signed by the leaf's own key.
    LeafWrongSigner,
    /// No basicConstraints (and so no subjectKeyIdentifier either) on the
    /// intermediate.
    IntermediateWithoutBasicConstraints,
    /// basicConstraints present with cA=FALSE on the intermediate.
    IntermediateNotCa,
    /// keyUsage digitalSignature and cRLSign, without keyCertSign.
    IntermediateWithoutKeyCertSign,
    /// extKeyUsage clientAuth only on the intermediate.
    IntermediateClientAuthOnly,
    /// pathLenConstraint 0 on the intermediate (the leaf below does not
    /// count).
    IntermediatePathLenZero,
    /// nameConstraints permitting `example.org` only.
    IntermediatePermitsOther,
    /// nameConstraints excluding `example.com`.
    IntermediateExcludesLeaf,
    /// An unknown critical extension on the intermediate.
    IntermediateUnknownCritical,
    /// pathLenConstraint 0 on the root, with the intermediate below it.
    RootPathLenZero,
}

/// Every [`Mutation`], in the order they are applied.
pub const MUTATIONS: [Mutation; 21] = [
    Mutation::LeafExpired,
    Mutation::LeafNotYetValid,
    Mutation::LeafWithoutSan,
    Mutation::LeafOtherName,
    Mutation::LeafWildcard,
    Mutation::LeafEmptySubject,
    Mutation::LeafCa,
    Mutation::LeafClientAuthOnly,
    Mutation::LeafWithoutEku,
    Mutation::LeafWithoutAki,
    Mutation::LeafUnknownCritical,
    Mutation::LeafWrongSigner,
    Mutation::IntermediateWithoutBasicConstraints,
    Mutation::IntermediateNotCa,
    Mutation::IntermediateWithoutKeyCertSign,
    Mutation::IntermediateClientAuthOnly,
    Mutation::IntermediatePathLenZero,
    Mutation::IntermediatePermitsOther,
    Mutation::IntermediateExcludesLeaf,
    Mutation::IntermediateUnknownCritical,
    Mutation::RootPathLenZero,
];

/// What a chain is made of: the key of each certificate and the
/// mutations applied (sorted, without repeats).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Description {
    pub root: KeyType,
    pub intermediate: KeyType,
    pub leaf: KeyType,
    mutations: Vec<Mutation>,
}

impl Description {
    /// A chain with these keys and mutations (in any order, repeats
    /// ignored).
    pub fn new(keys: [KeyType; 3], mutations: &[Mutation]) -> Self {
        let mut mutations = mutations.to_vec();
        mutations.sort();
        mutations.dedup();
        let [root, intermediate, leaf] = keys;
        Self {
            root,
            intermediate,
            leaf,
            mutations,
        }
    }

    /// The description fuzz bytes choose: the first byte picks the three
    /// keys, the next three are a bit set over [`MUTATIONS`] (missing bytes
    /// are zero). Returns the bytes left over.
    pub fn from_fuzz(data: &[u8]) -> (Self, &[u8]) {
        let byte = |i: usize| data.get(i).copied().unwrap_or(0);
        let keys = byte(0) as usize;
        let pick = |n: usize| KEY_TYPES[(keys / n) % KEY_TYPES.len()];
        let bits = u32::from_le_bytes([byte(1), byte(2), byte(3), 0]);
        let mutations: Vec<Mutation> = MUTATIONS
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .map(|(_, m)| *m)
            .collect();
        let rest = data.get(4..).unwrap_or(&[]);
        (Self::new([pick(1), pick(3), pick(9)], &mutations), rest)
    }

    /// The mutations applied, in [`MUTATIONS`] order.
    pub fn mutations(&self) -> &[Mutation] {
        &self.mutations
    }

    fn has(&self, mutation: Mutation) -> bool {
        self.mutations.contains(&mutation)
    }
}

impl fmt::Display for Description {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "keys {:?}/{:?}/{:?} (root/intermediate/leaf), mutations {:?}",
            self.root, self.intermediate, self.leaf, self.mutations
        )
    }
}

/// The three certificates of a generated chain, DER.
pub struct Chain {
    pub root: Vec<u8>,
    pub intermediate: Vec<u8>,
    pub leaf: Vec<u8>,
}

/// Byte flips of the leaf a fuzz input may ask for: a few are enough to
/// reach every field, more only re-randomise the certificate.
pub const MAX_LEAF_FLIPS: usize = 4;

/// The header of the DER element at the start of `der`: its length, and
/// the length of its contents (definite lengths up to two octets, as
/// every generated certificate has).
fn der_header(der: &[u8]) -> Option<(usize, usize)> {
    match *der.get(1..)? {
        [len, ..] if len < 0x80 => Some((2, usize::from(len))),
        [0x81, len, ..] => Some((3, usize::from(len))),
        [0x82, hi, lo, ..] => Some((4, usize::from(hi) << 8 | usize::from(lo))),
        _ => None,
    }
}

/// Where the tbsCertificate of the certificate `der` lies (RFC 5280
/// §4.1: the first element of the outer SEQUENCE).
pub fn tbs_span(der: &[u8]) -> Option<std::ops::Range<usize>> {
    let (outer, _) = der_header(der)?;
    let (header, len) = der_header(der.get(outer..)?)?;
    Some(outer..outer + header + len)
}

impl Chain {
    /// Applies up to [`MAX_LEAF_FLIPS`] byte flips from `flips` (3 bytes
    /// each: a little-endian offset, reduced modulo the length of the
    /// leaf's tbsCertificate, and the XOR mask) to the leaf's
    /// tbsCertificate, and returns whether any changed a byte. The
    /// tbsCertificate is the same in every run (fixed keys, rcgen's
    /// serials derived from them, fixed dates), unlike the ECDSA
    /// signatures after it, so an input flips the same bytes every time
    /// and a finding replays; the signature, believed by both judges,
    /// is never flipped.
    pub fn flip_leaf_tbs(&mut self, flips: &[u8]) -> bool {
        let Some(span) = tbs_span(&self.leaf) else {
            return false;
        };
        let mut flipped = false;
        for flip in flips.chunks_exact(3).take(MAX_LEAF_FLIPS) {
            let at = span.start + usize::from(u16::from_le_bytes([flip[0], flip[1]])) % span.len();
            if let Some(byte) = self.leaf.get_mut(at) {
                *byte ^= flip[2];
                flipped |= flip[2] != 0;
            }
        }
        flipped
    }
}

/// A certificate whose subject is the common name `cn`.
fn params(cn: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, cn);
    params
}

fn unknown_critical_extension() -> CustomExtension {
    // The value is a DER NULL: the content does not matter, the OID does.
    let mut extension = CustomExtension::from_oid_content(UNKNOWN_EXTENSION, vec![0x05, 0x00]);
    extension.set_criticality(true);
    extension
}

fn dns(name: &str) -> SanType {
    SanType::DnsName(name.try_into().expect("an IA5 name"))
}

/// Writes the chain `description` describes.
pub fn generate(description: &Description) -> Chain {
    let m = |mutation| description.has(mutation);
    let ca_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];

    let mut root = params("Differential Root");
    root.not_before = date_time_ymd(2020, 1, 1);
    root.not_after = date_time_ymd(2040, 1, 1);
    root.is_ca = IsCa::Ca(if m(Mutation::RootPathLenZero) {
        BasicConstraints::Constrained(0)
    } else {
        BasicConstraints::Unconstrained
    });
    root.key_usages = ca_usages.clone();
    let root_key = key(description.root, Role::Root);

    let mut int = params("Differential Intermediate");
    int.not_before = root.not_before;
    int.not_after = root.not_after;
    int.use_authority_key_identifier_extension = true;
    int.is_ca = if m(Mutation::IntermediateWithoutBasicConstraints) {
        IsCa::NoCa
    } else if m(Mutation::IntermediateNotCa) {
        IsCa::ExplicitNoCa
    } else if m(Mutation::IntermediatePathLenZero) {
        IsCa::Ca(BasicConstraints::Constrained(0))
    } else {
        IsCa::Ca(BasicConstraints::Unconstrained)
    };
    int.key_usages = if m(Mutation::IntermediateWithoutKeyCertSign) {
        vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::CrlSign]
    } else {
        ca_usages
    };
    if m(Mutation::IntermediateClientAuthOnly) {
        int.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    }
    let subtrees = |name: &str| vec![GeneralSubtree::DnsName(name.to_owned())];
    if m(Mutation::IntermediatePermitsOther) || m(Mutation::IntermediateExcludesLeaf) {
        int.name_constraints = Some(NameConstraints {
            permitted_subtrees: if m(Mutation::IntermediatePermitsOther) {
                subtrees("example.org")
            } else {
                Vec::new()
            },
            excluded_subtrees: if m(Mutation::IntermediateExcludesLeaf) {
                subtrees("example.com")
            } else {
                Vec::new()
            },
        });
    }
    if m(Mutation::IntermediateUnknownCritical) {
        int.custom_extensions.push(unknown_critical_extension());
    }
    let int_key = key(description.intermediate, Role::Intermediate);

    let leaf_name = if m(Mutation::LeafOtherName) {
        "other.example.com"
    } else if m(Mutation::LeafWildcard) {
        "*.example.com"
    } else {
        NAME
    };
    let mut leaf = params(leaf_name);
    if m(Mutation::LeafEmptySubject) {
        leaf.distinguished_name = rcgen::DistinguishedName::new();
    }
    if !m(Mutation::LeafWithoutSan) {
        leaf.subject_alt_names = vec![dns(leaf_name)];
    }
    (leaf.not_before, leaf.not_after) = if m(Mutation::LeafExpired) {
        (date_time_ymd(2028, 1, 1), date_time_ymd(2029, 6, 1))
    } else if m(Mutation::LeafNotYetValid) {
        (date_time_ymd(2030, 6, 1), date_time_ymd(2031, 6, 1))
    } else {
        (date_time_ymd(2029, 1, 1), date_time_ymd(2031, 1, 1))
    };
    leaf.use_authority_key_identifier_extension = !m(Mutation::LeafWithoutAki);
    if m(Mutation::LeafCa) {
        leaf.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    }
    leaf.key_usages = match description.leaf {
        KeyType::Rsa2048 => vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ],
        KeyType::P256 | KeyType::P384 => vec![KeyUsagePurpose::DigitalSignature],
    };
    leaf.extended_key_usages = if m(Mutation::LeafWithoutEku) {
        Vec::new()
    } else if m(Mutation::LeafClientAuthOnly) {
        vec![ExtendedKeyUsagePurpose::ClientAuth]
    } else {
        vec![ExtendedKeyUsagePurpose::ServerAuth]
    };
    if m(Mutation::LeafUnknownCritical) {
        leaf.custom_extensions.push(unknown_critical_extension());
    }
    let leaf_key = key(description.leaf, Role::Leaf);

    let root_cert = root.self_signed(root_key).expect("root");
    let root_issuer = Issuer::from_params(&root, root_key);
    let int_cert = int.signed_by(int_key, &root_issuer).expect("intermediate");
    let leaf_cert = if m(Mutation::LeafWrongSigner) {
        // The intermediate's name and key identifier, the wrong key.
        let mut forged = int.clone();
        forged.key_identifier_method = KeyIdMethod::PreSpecified(int.key_identifier(int_key));
        leaf.signed_by(leaf_key, &Issuer::new(forged, leaf_key))
    } else {
        leaf.signed_by(leaf_key, &Issuer::from_params(&int, int_key))
    }
    .expect("leaf");
    Chain {
        root: root_cert.der().to_vec(),
        intermediate: int_cert.der().to_vec(),
        leaf: leaf_cert.der().to_vec(),
    }
}

/// ferrotls's verdict: `verify_chain` in the webpki profile, for
/// serverAuth and [`NAME`] at [`NOW`], the root as the only anchor.
pub fn ferrotls_verdict(chain: &Chain) -> Result<(), String> {
    let mut roots = RootStore::new();
    roots
        .add_der(chain.root.clone())
        .map_err(|e| format!("root refused: {e}"))?;
    let name = ServerName::parse(NAME).map_err(|e| format!("{e:?}"))?;
    let validation = Validation::new(&roots, Purpose::ServerAuth, NOW)
        .with_name(&name)
        .with_profile(Profile::WebPki);
    verify_chain(&chain.leaf, &[&chain.intermediate], &validation)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The signature algorithms rustls-webpki is given. In fuzzing mode
/// (docs/fuzzing.md) ferrotls checks that a key and algorithm fit and
/// believes every signature; rustls-webpki is made to do the same, so
/// that the two are compared on everything else.
fn webpki_algorithms() -> Vec<&'static dyn SignatureVerificationAlgorithm> {
    #[cfg(fuzzing)]
    {
        static BELIEVING: OnceLock<Vec<Believing>> = OnceLock::new();
        BELIEVING
            .get_or_init(|| {
                webpki::ALL_VERIFICATION_ALGS
                    .iter()
                    .map(|a| Believing(*a))
                    .collect()
            })
            .iter()
            .map(|a| a as &'static dyn SignatureVerificationAlgorithm)
            .collect()
    }
    #[cfg(not(fuzzing))]
    webpki::ALL_VERIFICATION_ALGS.to_vec()
}

/// A rustls-webpki algorithm that believes every signature, keeping its
/// algorithm identifiers (what selects it for a key and a signature).
#[cfg(fuzzing)]
#[derive(Debug)]
struct Believing(&'static dyn SignatureVerificationAlgorithm);

#[cfg(fuzzing)]
impl SignatureVerificationAlgorithm for Believing {
    fn verify_signature(
        &self,
        _public_key: &[u8],
        _message: &[u8],
        _signature: &[u8],
    ) -> Result<(), crate::pki_types::InvalidSignature> {
        Ok(())
    }

    fn public_key_alg_id(&self) -> crate::pki_types::AlgorithmIdentifier {
        self.0.public_key_alg_id()
    }

    fn signature_alg_id(&self) -> crate::pki_types::AlgorithmIdentifier {
        self.0.signature_alg_id()
    }
}

/// rustls-webpki's verdict on the same question: the path for
/// serverAuth, then the name.
pub fn webpki_verdict(chain: &Chain) -> Result<(), String> {
    let root = CertificateDer::from(chain.root.as_slice());
    let anchor = webpki::anchor_from_trusted_cert(&root).map_err(|e| format!("root: {e}"))?;
    let leaf = CertificateDer::from(chain.leaf.as_slice());
    let end_entity = webpki::EndEntityCert::try_from(&leaf).map_err(|e| e.to_string())?;
    let intermediates = [CertificateDer::from(chain.intermediate.as_slice())];
    end_entity
        .verify_for_usage(
            &webpki_algorithms(),
            &[anchor],
            &intermediates,
            UnixTime::since_unix_epoch(Duration::from_secs(NOW)),
            webpki::KeyUsage::server_auth(),
            None,
            None,
        )
        .map_err(|e| e.to_string())?;
    let name = WebPkiName::try_from(NAME).map_err(|e| e.to_string())?;
    end_entity
        .verify_is_valid_for_subject_name(&name)
        .map_err(|e| e.to_string())
}

/// The validators ferrotls is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Oracle {
    /// rustls-webpki, [`webpki_verdict`].
    Webpki,
    /// `openssl verify -x509_strict -auth_level 1 -purpose sslserver
    /// -verify_hostname` (the test only).
    Openssl,
}

/// A known disagreement: on a chain with `mutation`, `oracle` accepts
/// while ferrotls refuses (ferrotls never accepts what one refuses).
pub struct Difference {
    pub mutation: Mutation,
    pub oracle: Oracle,
    /// Why ferrotls is right, with the RFC or BR text.
    pub why: &'static str,
}

/// Every known disagreement; docs/pki.md, "Differential testing", shows
/// the same table. Any other disagreement fails the test and the fuzz
/// target.
pub const EXPECTED_DIFFERENCES: &[Difference] = &[
    Difference {
        mutation: Mutation::LeafWithoutSan,
        oracle: Oracle::Openssl,
        why: "OpenSSL falls back to the subject CN when the leaf has no dNSName; \
              a subscriber certificate must carry subjectAltName (BR §7.1.2.7.12) \
              and RFC 6125 §6.4.4 leaves the CN fallback to the client, which \
              ferrotls never takes",
    },
    Difference {
        mutation: Mutation::LeafCa,
        oracle: Oracle::Openssl,
        why: "OpenSSL's sslserver purpose takes a CA certificate as the server's; \
              a subscriber certificate must not be a CA (BR §7.1.2.7.8)",
    },
    Difference {
        mutation: Mutation::LeafWithoutEku,
        oracle: Oracle::Webpki,
        why: "rustls-webpki requires serverAuth only when extKeyUsage is present \
              (RFC 5280 §4.2.1.12); a subscriber certificate must carry it \
              (BR §7.1.2.7.10)",
    },
    Difference {
        mutation: Mutation::LeafWithoutEku,
        oracle: Oracle::Openssl,
        why: "OpenSSL requires serverAuth only when extKeyUsage is present \
              (RFC 5280 §4.2.1.12); a subscriber certificate must carry it \
              (BR §7.1.2.7.10)",
    },
    Difference {
        mutation: Mutation::LeafWithoutAki,
        oracle: Oracle::Webpki,
        why: "rustls-webpki does not require authorityKeyIdentifier; RFC 5280 \
              §4.2.1.1 makes it a MUST in every certificate but a self-signed \
              one, BR §7.1.2.7.6 too (OpenSSL -x509_strict agrees with ferrotls)",
    },
    Difference {
        mutation: Mutation::IntermediateWithoutKeyCertSign,
        oracle: Oracle::Webpki,
        why: "rustls-webpki does not read an issuer's keyUsage; RFC 5280 §6.1.4 (n) \
              requires keyCertSign when keyUsage is present (OpenSSL agrees with \
              ferrotls)",
    },
    Difference {
        mutation: Mutation::RootPathLenZero,
        oracle: Oracle::Webpki,
        why: "rustls-webpki keeps only an anchor's subject, key and name \
              constraints; ferrotls applies the anchor certificate's \
              pathLenConstraint to the path below it, as RFC 5937 §2 has \
              trust anchor constraints enforced (OpenSSL agrees with ferrotls)",
    },
];

/// The entry of [`EXPECTED_DIFFERENCES`] explaining a disagreement with
/// `oracle` on the chain `description` describes, given whether ferrotls
/// accepted it.
pub fn explained(
    description: &Description,
    oracle: Oracle,
    ferrotls_accepts: bool,
) -> Option<&'static Difference> {
    if ferrotls_accepts {
        return None;
    }
    EXPECTED_DIFFERENCES
        .iter()
        .find(|d| d.oracle == oracle && description.has(d.mutation))
}
