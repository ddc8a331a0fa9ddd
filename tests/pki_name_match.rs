//! Issuer and subject names are matched as RFC 5280 §7.1 has them
//! compared, not byte for byte: an issuer field that spells its CA's
//! subject in another string type, case or spacing still names it
//! (X509-Anvil's `AttributeTypeMismatchTests` and
//! `DomainComponentCaseInsensitiveTests`); one naming another CA does
//! not. The chains are written with rcgen from the fixed keys of
//! `vectors/pki`: a root, an intermediate under it, and a leaf signed by
//! either one's key under the issuer name of each case.

use ferrotls::{
    verify_chain, CertificateError, Profile, Purpose, RootStore, ServerName, Validation,
};
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, DistinguishedName, DnType, DnValue,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType,
};

/// 2030-01-01, inside every validity below.
const NOW: u64 = 1_893_456_000;

/// The leaf's name.
const NAME: &str = "leaf.example.com";

/// A name of a domainComponent, an organization and a common name.
fn name(dc: DnValue, org: DnValue, cn: DnValue) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(
        DnType::CustomDnType(vec![0, 9, 2342, 19200300, 100, 1, 25]),
        dc,
    );
    name.push(DnType::OrganizationName, org);
    name.push(DnType::CommonName, cn);
    name
}

fn printable(text: &str) -> DnValue {
    DnValue::PrintableString(text.try_into().unwrap())
}

fn ia5(text: &str) -> DnValue {
    DnValue::Ia5String(text.try_into().unwrap())
}

fn utf8(text: &str) -> DnValue {
    DnValue::Utf8String(text.into())
}

/// The subject of the leaf's issuer: the root's, or the intermediate's.
fn issuer_name(cn: &str) -> DistinguishedName {
    name(ia5("Example"), printable("Example Org"), printable(cn))
}

fn key(file: &str) -> KeyPair {
    KeyPair::from_pem_and_sign_algo(file, &rcgen::PKCS_ECDSA_P256_SHA256).unwrap()
}

/// A CA certificate's parameters with subject `name`.
fn ca(name: DistinguishedName) -> CertificateParams {
    let mut ca = CertificateParams::default();
    ca.distinguished_name = name;
    ca.not_before = date_time_ymd(2020, 1, 1);
    ca.not_after = date_time_ymd(2040, 1, 1);
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.use_authority_key_identifier_extension = true;
    ca
}

/// ferrotls's verdict (RFC 5280 profile, the root as the only anchor) on
/// a leaf whose issuer field is `issuer`, signed by the key of the CA
/// whose common name `cn` is: the root (`Name Match Root`), or an
/// intermediate under it (`Name Match Intermediate`), sent beside the
/// leaf.
fn verdict(cn: &str, issuer: DistinguishedName) -> Result<(), CertificateError> {
    let root = ca(issuer_name("Name Match Root"));
    let root_key = key(include_str!("../vectors/pki/p256-root.key"));
    let root_cert = root.self_signed(&root_key).unwrap();
    let int = ca(issuer_name("Name Match Intermediate"));
    let int_key = key(include_str!("../vectors/pki/p256-int.key"));
    let int_cert = int
        .signed_by(&int_key, &Issuer::from_params(&root, &root_key))
        .unwrap();
    let (mut signer, signer_key) = if cn == "Name Match Root" {
        (root, &root_key)
    } else {
        (int, &int_key)
    };

    let mut leaf = CertificateParams::default();
    leaf.distinguished_name = DistinguishedName::new();
    leaf.distinguished_name.push(DnType::CommonName, NAME);
    leaf.subject_alt_names = vec![SanType::DnsName(NAME.try_into().unwrap())];
    leaf.not_before = date_time_ymd(2029, 1, 1);
    leaf.not_after = date_time_ymd(2031, 1, 1);
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.use_authority_key_identifier_extension = true;
    signer.distinguished_name = issuer;
    let leaf_key = key(include_str!("../vectors/pki/p256-leaf.key"));
    let leaf_cert = leaf
        .signed_by(&leaf_key, &Issuer::new(signer, signer_key))
        .unwrap();

    let mut roots = RootStore::new();
    roots.add_der(root_cert.der().to_vec()).unwrap();
    let server = ServerName::parse(NAME).unwrap();
    let validation = Validation::new(&roots, Purpose::ServerAuth, NOW)
        .with_name(&server)
        .with_profile(Profile::Rfc5280);
    verify_chain(leaf_cert.der(), &[int_cert.der()], &validation).map(|_| ())
}

/// The CAs the leaf may name.
const ISSUERS: [&str; 2] = ["Name Match Root", "Name Match Intermediate"];

#[test]
fn each_cas_own_name_chains() {
    for cn in ISSUERS {
        verdict(cn, issuer_name(cn)).unwrap();
    }
}

/// RFC 5280 §7.1: PrintableString and UTF8String values are compared
/// after RFC 4518's preparation (case, insignificant spaces), so another
/// string type, case or spacing names the same CA, a trust anchor or an
/// intermediate; §7.3: a domainComponent is compared without case.
#[test]
fn rfc5280_7_1_another_string_type_case_or_spacing_names_the_same_issuer() {
    for cn in ISSUERS {
        for issuer in [
            name(ia5("Example"), utf8("Example Org"), utf8(cn)),
            name(
                ia5("example"),
                printable("example org"),
                printable(&cn.to_uppercase()),
            ),
            name(
                ia5("EXAMPLE"),
                utf8("  Example   Org "),
                utf8(&format!(" {} ", cn.to_lowercase())),
            ),
        ] {
            assert_eq!(verdict(cn, issuer), Ok(()), "{cn}");
        }
    }
}

/// Another value, or an attribute spelt otherwise than by case and
/// spaces, names another CA: no issuer is found.
#[test]
fn another_value_still_names_another_issuer() {
    for cn in ISSUERS {
        for issuer in [
            name(
                ia5("Example"),
                printable("Example Org"),
                printable(&format!("{cn} 2")),
            ),
            name(ia5("Examples"), printable("Example Org"), printable(cn)),
            name(ia5("Example"), printable("ExampleOrg"), printable(cn)),
        ] {
            assert_eq!(
                verdict(cn, issuer),
                Err(CertificateError::UnknownIssuer),
                "{cn}"
            );
        }
    }
}
