//! What RFC 5280 §4 asks of the CA that issues a certificate, in the
//! extensions X509-Anvil probes: an inhibitAnyPolicy marked critical
//! (§4.2.1.14), absolute URIs naming a host in subjectAltName and
//! issuerAltName (§4.2.1.6, §4.2.1.7), and policy qualifiers of the
//! syntax §4.2.1.4 gives them; and in the tbsCertificate, no unique
//! identifiers (§4.1.2.8) and validity dates through 2049 as UTCTime
//! (§4.1.2.5). The `rfc5280` and `webpki` profiles refuse a chain
//! breaking one of these, `rfc5280-path` (the path validation alone)
//! takes it; a malformed qualifier is a malformed extension under every
//! profile. Chains are written here with rcgen; the tbsCertificate
//! fields rcgen always writes as RFC 5280 wants are edited afterwards
//! and the certificate signed again with ring.

use ferrotls::{
    verify_chain, CertificateError, Profile, Purpose, RootStore, ServerName, Validation,
};
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, CustomExtension, DnType,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType,
};

/// 2030-01-01T00:00:00Z, inside every certificate's validity.
const NOW: u64 = 1_893_456_000;
const NAME: &str = "leaf.example.com";

/// One DER element: `tag`, a definite length (X.690 §8.1.3), `value`;
/// short values only (under 128 octets), as this file writes.
fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let len = u8::try_from(value.len()).ok().filter(|&n| n < 0x80);
    [&[tag, len.expect("a short value")][..], value].concat()
}

/// A definite DER length (X.690 §8.1.3), up to 65535 octets.
fn der_len(len: usize) -> Vec<u8> {
    match u16::try_from(len).expect("a length under 64 KiB") {
        n @ 0..=0x7f => vec![n as u8],
        n @ 0x80..=0xff => vec![0x81, n as u8],
        n => [&[0x82][..], &n.to_be_bytes()].concat(),
    }
}

/// The elements of the DER SEQUENCE `der`, each whole.
fn elements(der: &[u8]) -> Vec<Vec<u8>> {
    let header = |at: &[u8]| match at[1] {
        n if n < 0x80 => (2, usize::from(n)),
        0x81 => (3, usize::from(at[2])),
        _ => (4, usize::from(u16::from_be_bytes([at[2], at[3]]))),
    };
    let (outer, _) = header(der);
    let mut rest = &der[outer..];
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (h, len) = header(rest);
        out.push(rest[..h + len].to_vec());
        rest = &rest[h + len..];
    }
    out
}

fn sequence(elements: &[Vec<u8>]) -> Vec<u8> {
    let body = elements.concat();
    [&[0x30][..], &der_len(body.len()), &body].concat()
}

/// An edit of a tbsCertificate's fields: version, serialNumber,
/// signature, issuer, validity, subject, subjectPublicKeyInfo, … (RFC
/// 5280 §4.1).
type TbsEdit = fn(&mut Vec<Vec<u8>>);

/// The certificate `der` with `edit` applied to its tbsCertificate and
/// signed again (ECDSA P-256 with SHA-256, as rcgen signed it) by
/// `issuer`.
fn resigned(der: &[u8], edit: TbsEdit, issuer: &KeyPair) -> Vec<u8> {
    let outer = elements(der);
    let mut tbs = elements(&outer[0]);
    edit(&mut tbs);
    let tbs = sequence(&tbs);
    let rng = ring::rand::SystemRandom::new();
    let key = ring::signature::EcdsaKeyPair::from_pkcs8(
        &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
        &issuer.serialize_der(),
        &rng,
    )
    .expect("a P-256 key");
    let signature = key.sign(&rng, &tbs).expect("a signature");
    let bits = [&[0][..], signature.as_ref()].concat();
    let bit_string = [&[0x03][..], &der_len(bits.len()), &bits].concat();
    sequence(&[tbs, outer[1].clone(), bit_string])
}

/// What a test changes in the root, the intermediate and the leaf.
#[derive(Default)]
struct Changes {
    root: Vec<CustomExtension>,
    intermediate: Vec<CustomExtension>,
    leaf: Vec<CustomExtension>,
    leaf_uri: Option<&'static str>,
    root_tbs: Option<TbsEdit>,
    leaf_tbs: Option<TbsEdit>,
}

fn params(cn: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, cn);
    params.not_before = date_time_ymd(2029, 1, 1);
    params.not_after = date_time_ymd(2031, 1, 1);
    params
}

fn extension(oid: &[u64], critical: bool, der: Vec<u8>) -> CustomExtension {
    let mut extension = CustomExtension::from_oid_content(oid, der);
    extension.set_criticality(critical);
    extension
}

/// ferrotls's verdict on root → intermediate → leaf with `changes`,
/// under `profile`.
fn verdict(changes: Changes, profile: Profile) -> Result<(), CertificateError> {
    let key = || KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("a key");
    let ca = |cn: &str| {
        let mut params = params(cn);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.use_authority_key_identifier_extension = true;
        params
    };
    let (root_key, int_key, leaf_key) = (key(), key(), key());
    let mut root = ca("Issuer Rules Root");
    root.custom_extensions = changes.root;
    let mut int = ca("Issuer Rules Intermediate");
    int.custom_extensions = changes.intermediate;
    let mut leaf = params(NAME);
    leaf.subject_alt_names = vec![SanType::DnsName(NAME.try_into().expect("IA5"))];
    if let Some(uri) = changes.leaf_uri {
        leaf.subject_alt_names
            .push(SanType::URI(uri.try_into().expect("IA5")));
    }
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.use_authority_key_identifier_extension = true;
    leaf.custom_extensions = changes.leaf;
    let root_cert = root.self_signed(&root_key).expect("root");
    let int_cert = int
        .signed_by(&int_key, &Issuer::from_params(&root, &root_key))
        .expect("intermediate");
    let leaf_cert = leaf
        .signed_by(&leaf_key, &Issuer::from_params(&int, &int_key))
        .expect("leaf");
    let root_der = match changes.root_tbs {
        Some(edit) => resigned(root_cert.der(), edit, &root_key),
        None => root_cert.der().to_vec(),
    };
    let leaf_der = match changes.leaf_tbs {
        Some(edit) => resigned(leaf_cert.der(), edit, &int_key),
        None => leaf_cert.der().to_vec(),
    };
    let mut roots = RootStore::new();
    roots.add_der(root_der).expect("the root");
    let name = ServerName::parse(NAME).expect("a name");
    let validation = Validation::new(&roots, Purpose::ServerAuth, NOW)
        .with_profile(profile)
        .with_name(&name);
    verify_chain(&leaf_der, &[int_cert.der()], &validation).map(|_| ())
}

const INHIBIT_ANY_POLICY: &[u64] = &[2, 5, 29, 54];
const ISSUER_ALT_NAME: &[u64] = &[2, 5, 29, 18];
const CERTIFICATE_POLICIES: &[u64] = &[2, 5, 29, 32];
const PROFILES: [Profile; 3] = [Profile::Rfc5280, Profile::Rfc5280Path, Profile::WebPki];

/// The verdict under each of [`PROFILES`].
fn verdicts(changes: impl Fn() -> Changes) -> Vec<Result<(), CertificateError>> {
    PROFILES.iter().map(|&p| verdict(changes(), p)).collect()
}

fn refused_but_by_rfc5280_path(rule: &'static str) -> Vec<Result<(), CertificateError>> {
    let refused = Err(CertificateError::MisIssued(rule));
    vec![refused, Ok(()), refused]
}

#[test]
fn the_chain_without_changes_validates_under_every_profile() {
    assert_eq!(verdicts(Changes::default), vec![Ok(()); 3]);
}

#[test]
fn rfc5280_4_2_1_14_inhibit_any_policy_is_critical() {
    let inhibit = |critical| {
        move || Changes {
            intermediate: vec![extension(INHIBIT_ANY_POLICY, critical, vec![0x02, 1, 5])],
            ..Changes::default()
        }
    };
    assert_eq!(verdicts(inhibit(true)), vec![Ok(()); 3]);
    assert_eq!(
        verdicts(inhibit(false)),
        refused_but_by_rfc5280_path("inhibitAnyPolicy not critical")
    );
    // The trust anchor's certificate is held to the rule as a CA, but
    // for `rfc5280-path`.
    let in_root = || Changes {
        root: vec![extension(INHIBIT_ANY_POLICY, false, vec![0x02, 1, 5])],
        ..Changes::default()
    };
    assert_eq!(
        verdicts(in_root),
        refused_but_by_rfc5280_path("inhibitAnyPolicy not critical")
    );
}

#[test]
fn rfc5280_4_2_1_6_alternative_names_hold_absolute_uris_with_hosts() {
    let relative = "relative URI or URI without a host in an alternative name";
    let in_san = |uri| {
        move || Changes {
            leaf_uri: Some(uri),
            ..Changes::default()
        }
    };
    assert_eq!(
        verdicts(in_san("https://leaf.example.com/x")),
        vec![Ok(()); 3]
    );
    assert_eq!(verdicts(in_san("urn:uuid:6e8bc430")), vec![Ok(()); 3]);
    for uri in [
        "leaf/relative",
        "//leaf.example.com/x",
        "https:///x",
        "1https://a/",
    ] {
        assert_eq!(
            verdicts(in_san(uri)),
            refused_but_by_rfc5280_path(relative),
            "{uri}"
        );
    }
    // issuerAltName is written as subjectAltName is (§4.2.1.7).
    let in_ian = |uri: &'static str| {
        move || Changes {
            intermediate: vec![extension(
                ISSUER_ALT_NAME,
                false,
                tlv(0x30, &tlv(0x86, uri.as_bytes())),
            )],
            ..Changes::default()
        }
    };
    assert_eq!(verdicts(in_ian("https://ca.example.com/")), vec![Ok(()); 3]);
    assert_eq!(
        verdicts(in_ian("ca/relative")),
        refused_but_by_rfc5280_path(relative)
    );
    let empty_ian = || Changes {
        intermediate: vec![extension(ISSUER_ALT_NAME, false, tlv(0x30, &[]))],
        ..Changes::default()
    };
    assert_eq!(
        verdicts(empty_ian),
        vec![Err(CertificateError::BadEncoding("empty issuerAltName")); 3]
    );
}

#[test]
fn rfc5280_4_2_1_4_policy_qualifiers_have_their_syntax() {
    // PolicyInformation { anyPolicy, [ PolicyQualifierInfo { id, qualifier } ] }
    let policies = |qualifier_id: &'static [u8], qualifier: Vec<u8>| {
        move || {
            let info = tlv(
                0x30,
                &[
                    tlv(0x06, &[0x55, 0x1d, 0x20, 0x00]),
                    tlv(
                        0x30,
                        &tlv(0x30, &[tlv(0x06, qualifier_id), qualifier.clone()].concat()),
                    ),
                ]
                .concat(),
            );
            Changes {
                leaf: vec![extension(CERTIFICATE_POLICIES, false, tlv(0x30, &info))],
                ..Changes::default()
            }
        }
    };
    const CPS: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x01];
    const UNOTICE: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x02];
    let cps = tlv(0x16, b"https://ca.example.com/cps");
    assert_eq!(verdicts(policies(CPS, cps)), vec![Ok(()); 3]);
    let notice = tlv(
        0x30,
        &[
            tlv(
                0x30,
                &[tlv(0x0c, b"Example CA"), tlv(0x30, &tlv(0x02, &[1]))].concat(),
            ),
            tlv(0x1a, b"Relying parties beware"),
        ]
        .concat(),
    );
    assert_eq!(verdicts(policies(UNOTICE, notice)), vec![Ok(()); 3]);
    let every_profile = |why| vec![Err(CertificateError::BadEncoding(why)); 3];
    let utf8_cps = tlv(0x0c, b"https://ca.example.com/cps");
    assert!(verdicts(policies(CPS, utf8_cps)).iter().all(Result::is_err));
    assert_eq!(
        verdicts(policies(UNOTICE, tlv(0x30, &tlv(0x13, b"printable")))),
        every_profile("policy qualifier text is not a DisplayText")
    );
    assert_eq!(
        verdicts(policies(UNOTICE, tlv(0x30, &tlv(0x0c, b"")))),
        every_profile("empty DisplayText")
    );
}

#[test]
fn rfc5280_4_2_1_4_any_policy_takes_only_the_qualifiers_rfc5280_defines() {
    // "When qualifiers are used with the special policy anyPolicy, they
    // MUST be limited to the qualifiers identified in this section": the
    // CPS pointer and the user notice. Another qualifier is allowed on
    // any other policy.
    const ANY_POLICY: &[u8] = &[0x55, 0x1d, 0x20, 0x00];
    const DOMAIN_VALIDATED: &[u8] = &[0x67, 0x81, 0x0c, 0x01, 0x02, 0x01];
    const OTHER_QUALIFIER: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x03];
    let with = |policy: &'static [u8]| {
        move || {
            let qualifier = tlv(
                0x30,
                &[tlv(0x06, OTHER_QUALIFIER), tlv(0x16, b"a qualifier")].concat(),
            );
            let info = tlv(0x30, &[tlv(0x06, policy), tlv(0x30, &qualifier)].concat());
            Changes {
                intermediate: vec![extension(CERTIFICATE_POLICIES, false, tlv(0x30, &info))],
                ..Changes::default()
            }
        }
    };
    assert_eq!(verdicts(with(DOMAIN_VALIDATED)), vec![Ok(()); 3]);
    assert_eq!(
        verdicts(with(ANY_POLICY)),
        refused_but_by_rfc5280_path(
            "anyPolicy with a qualifier other than a CPS pointer or a user notice"
        )
    );
}

/// The index of subjectPublicKeyInfo among a v3 tbsCertificate's fields.
const SPKI: usize = 6;
/// The index of validity.
const VALIDITY: usize = 4;

#[test]
fn rfc5280_4_1_2_8_no_unique_identifiers() {
    // issuerUniqueID [1] and subjectUniqueID [2], IMPLICIT BIT STRINGs.
    fn both(tbs: &mut Vec<Vec<u8>>) {
        tbs.insert(SPKI + 1, tlv(0x81, &[0, 0xaa, 0xbb]));
        tbs.insert(SPKI + 2, tlv(0x82, &[0, 0xcc]));
    }
    fn subject_only(tbs: &mut Vec<Vec<u8>>) {
        tbs.insert(SPKI + 1, tlv(0x82, &[0, 0xcc]));
    }
    fn unchanged(_: &mut Vec<Vec<u8>>) {}
    let in_leaf = |edit: TbsEdit| {
        move || Changes {
            leaf_tbs: Some(edit),
            ..Changes::default()
        }
    };
    // The resigning itself changes nothing.
    assert_eq!(verdicts(in_leaf(unchanged)), vec![Ok(()); 3]);
    for edit in [both as TbsEdit, subject_only] {
        assert_eq!(
            verdicts(in_leaf(edit)),
            refused_but_by_rfc5280_path("unique identifiers")
        );
    }
    // A trust anchor's certificate too.
    let in_root = || Changes {
        root_tbs: Some(both),
        ..Changes::default()
    };
    assert_eq!(
        verdicts(in_root),
        refused_but_by_rfc5280_path("unique identifiers")
    );
}

#[test]
fn rfc5280_4_1_2_5_validity_through_2049_is_utc_time() {
    // notBefore 2029-01-01 and notAfter 2031-01-01 as GeneralizedTime.
    let generalized_before_2050: TbsEdit = |tbs| {
        tbs[VALIDITY] = sequence(&[tlv(0x18, b"20290101000000Z"), tlv(0x18, b"20310101000000Z")]);
    };
    // notBefore 2029-01-01 as UTCTime, notAfter 2050-01-01 as
    // GeneralizedTime, as RFC 5280 wants them.
    let generalized_from_2050: TbsEdit = |tbs| {
        tbs[VALIDITY] = sequence(&[tlv(0x17, b"290101000000Z"), tlv(0x18, b"20500101000000Z")]);
    };
    let in_leaf = |edit: TbsEdit| {
        move || Changes {
            leaf_tbs: Some(edit),
            ..Changes::default()
        }
    };
    assert_eq!(verdicts(in_leaf(generalized_from_2050)), vec![Ok(()); 3]);
    assert_eq!(
        verdicts(in_leaf(generalized_before_2050)),
        refused_but_by_rfc5280_path("validity date before 2050 as GeneralizedTime")
    );
    // Not asked of a trust anchor: Certum Trusted Network CA 2, in
    // Debian's bundle, has a 2046 notAfter in GeneralizedTime.
    let in_root = move || Changes {
        root_tbs: Some(generalized_before_2050),
        ..Changes::default()
    };
    assert_eq!(verdicts(in_root), vec![Ok(()); 3]);
}
