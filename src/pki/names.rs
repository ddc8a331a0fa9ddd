//! Names: distinguished-name structure and its character strings (X.680
//! §41), subjectAltName entries, reference names ([`ServerName`]), RFC 6125
//! matching and RFC 5280 name constraints for DNS names and IP addresses.

use crate::der::{tag, Der, Element};
use crate::error::Error;
use crate::error::{CertificateError, IllegalParameterReason, InvalidRequestReason};
use std::net::IpAddr;

/// The longest DNS name in presentation form without the trailing dot
/// (RFC 1035 §2.3.4: 255 octets on the wire).
pub const MAX_DNS_NAME_LEN: usize = 253;

/// The longest DNS label (RFC 1035 §2.3.4).
pub const MAX_DNS_LABEL_LEN: usize = 63;

/// The fewest labels that must follow a wildcard (`*.example.com`, not
/// `*.com`): a wildcard never covers a top-level domain (RFC 6125 §7.2;
/// multi-label public suffixes such as `co.uk` are not detected, see
/// `docs/pki.md`).
pub const MIN_LABELS_AFTER_WILDCARD: usize = 2;

/// GeneralName tag of dNSName `[2] IA5String` (RFC 5280 §4.2.1.6).
const DNS_NAME: u8 = tag::context_primitive(2);
/// GeneralName tag of iPAddress `[7] OCTET STRING`.
const IP_ADDRESS: u8 = tag::context_primitive(7);

/// The name a client expects its server to hold (or a server its client):
/// a DNS name or an IP address. Reference names never carry wildcards.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ServerName {
    /// A DNS name in lower case, without trailing dot.
    Dns(String),
    /// An IPv4 or IPv6 literal.
    Ip(IpAddr),
}

impl ServerName {
    /// Parses an IP literal or a DNS host name (letters, digits and
    /// hyphens in labels of 1–63 octets, RFC 1123 §2.1; one trailing dot
    /// allowed). Anything else is [`Error::IllegalParameter`].
    pub fn parse(name: &str) -> Result<Self, Error> {
        if let Ok(ip) = name.parse::<IpAddr>() {
            return Ok(Self::Ip(ip));
        }
        let name = name.strip_suffix('.').unwrap_or(name);
        if check_dns_syntax(name.as_bytes(), false).is_err() {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::InvalidServerName,
            ));
        }
        if name
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::InvalidServerName,
            ));
        }
        Ok(Self::Dns(name.to_ascii_lowercase()))
    }
}

/// A string that is neither an IP literal nor a DNS host name, with the
/// string itself, for [`ServerName`]'s `FromStr` and `TryFrom<&str>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidServerName(pub String);

impl core::fmt::Display for InvalidServerName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "invalid server name {:?}: neither an IP address nor a DNS host name",
            self.0
        )
    }
}

impl std::error::Error for InvalidServerName {}

impl From<InvalidServerName> for Error {
    /// A caller's bad name is a local error, without the text (see
    /// [`InvalidServerName`] for it).
    fn from(_: InvalidServerName) -> Self {
        Error::InvalidRequest(InvalidRequestReason::InvalidServerName)
    }
}

impl core::str::FromStr for ServerName {
    type Err = InvalidServerName;

    /// [`ServerName::parse`], with an error that names the input.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::parse(name).map_err(|_| InvalidServerName(name.to_owned()))
    }
}

impl TryFrom<&str> for ServerName {
    type Error = InvalidServerName;

    /// [`ServerName::parse`], with an error that names the input.
    fn try_from(name: &str) -> Result<Self, Self::Error> {
        name.parse()
    }
}

impl TryFrom<String> for ServerName {
    type Error = InvalidServerName;

    /// [`ServerName::parse`], with an error that names the input.
    fn try_from(name: String) -> Result<Self, Self::Error> {
        name.as_str().parse()
    }
}

impl core::fmt::Display for ServerName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Dns(name) => f.write_str(name),
            Self::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

/// Reads a Name (RFC 5280 §4.1.2.4): a SEQUENCE OF non-empty SETs of
/// (OID, value) pairs. Returns the whole element and whether it is empty.
pub fn check_name<'a>(seq: &mut Der<'a>) -> Result<(&'a [u8], bool), CertificateError> {
    let name = seq.expect_tag(tag::SEQUENCE)?;
    let mut rdns = Der::new(name.value);
    while !rdns.is_empty() {
        let mut set = rdns.nested(tag::SET)?;
        if set.is_empty() {
            return Err(CertificateError::BadEncoding(
                "empty RelativeDistinguishedName",
            ));
        }
        while !set.is_empty() {
            set.sequence(|atv| {
                atv.oid()?;
                let value = atv.element()?;
                check_string(value.tag, value.value)
            })?;
        }
    }
    Ok((name.raw, name.value.is_empty()))
}

/// Checks the contents of a character string against its type (X.680
/// §41): PrintableString's repertoire, IA5String's 7 bits, UTF8String's
/// encoding, whole BMPString and UniversalString characters. Other tags
/// (TeletexString, non-string values) are not checked.
pub fn check_string(string_tag: u8, value: &[u8]) -> Result<(), CertificateError> {
    let ok = match string_tag {
        tag::PRINTABLE_STRING => value
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&b)),
        tag::IA5_STRING => value.is_ascii(),
        tag::UTF8_STRING => core::str::from_utf8(value).is_ok(),
        tag::BMP_STRING => value.len().is_multiple_of(2),
        tag::UNIVERSAL_STRING => value.len().is_multiple_of(4),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(CertificateError::BadEncoding(
            "character string invalid for its type",
        ))
    }
}

/// A GeneralName form this crate distinguishes (RFC 5280 §4.2.1.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeneralName<'a> {
    /// dNSName.
    Dns(&'a [u8]),
    /// iPAddress: 4 or 16 octets in a SAN, 8 or 32 (address and mask) in a
    /// name constraint.
    Ip(&'a [u8]),
    /// Any other form; the tag says which.
    Other(u8),
}

/// The tags of the GeneralName CHOICE (RFC 5280 §4.2.1.6, implicit
/// tagging): otherName, x400Address, directoryName and ediPartyName are
/// constructed, the others primitive.
const GENERAL_NAME_TAGS: [u8; 9] = [0xa0, 0x81, 0x82, 0xa3, 0xa4, 0xa5, 0x86, 0x87, 0x88];

impl<'a> GeneralName<'a> {
    fn from_element(e: Element<'a>) -> Result<Self, CertificateError> {
        if !GENERAL_NAME_TAGS.contains(&e.tag) {
            return Err(CertificateError::BadEncoding("not a GeneralName tag"));
        }
        Ok(match e.tag {
            DNS_NAME => Self::Dns(e.value),
            IP_ADDRESS => Self::Ip(e.value),
            other => Self::Other(other),
        })
    }
}

/// Checks that `e` is a GeneralName (RFC 5280 §4.2.1.6): one of the
/// CHOICE's tags, in its form.
pub fn check_general_name(e: Element<'_>) -> Result<(), CertificateError> {
    GeneralName::from_element(e).map(|_| ())
}

/// Iterates over the GeneralNames in `value` (the contents of a
/// GeneralNames SEQUENCE); DER errors end the iteration with an error.
fn general_names(value: &[u8]) -> impl Iterator<Item = Result<GeneralName<'_>, CertificateError>> {
    let mut der = Der::new(value);
    core::iter::from_fn(move || {
        if der.is_empty() {
            return None;
        }
        let item = der
            .element()
            .map_err(CertificateError::from)
            .and_then(GeneralName::from_element);
        if item.is_err() {
            der = Der::new(&[]);
        }
        Some(item)
    })
}

/// Checks the contents of a subjectAltName: at least one entry, every
/// dNSName a valid host name (wildcard only as the whole left-most label),
/// every iPAddress 4 or 16 octets. A dNSName with an underscore or an
/// empty label is [`CertificateError::MisIssued`] (RFC 5280 §4.2.1.6,
/// baseline requirements §7.1.2.7.12).
pub fn check_subject_alt_names(value: &[u8]) -> Result<(), CertificateError> {
    if value.is_empty() {
        return Err(CertificateError::BadEncoding("empty subjectAltName"));
    }
    for name in general_names(value) {
        match name? {
            GeneralName::Dns(dns) => check_dns_syntax(dns, true)?,
            GeneralName::Ip(ip) if ip.len() != 4 && ip.len() != 16 => {
                return Err(CertificateError::BadEncoding(
                    "iPAddress not 4 or 16 octets",
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Checks a DNS name's syntax: ASCII letters, digits and hyphens in
/// labels of 1–63 octets, no label starting or ending with a hyphen, at
/// most 253 octets; with `wildcard`, the left-most label may hold `*`.
fn check_dns_syntax(name: &[u8], wildcard: bool) -> Result<(), CertificateError> {
    if name.is_empty() || name.len() > MAX_DNS_NAME_LEN {
        return Err(CertificateError::MisIssued("DNS name empty or too long"));
    }
    for (i, label) in name.split(|&b| b == b'.').enumerate() {
        // A `*` is presented syntax only in the left-most label; only the
        // whole label `*` is a wildcard when matching, so a partial one
        // (`f*`) never matches anything.
        if wildcard
            && i == 0
            && label.contains(&b'*')
            && label
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'*')
        {
            continue;
        }
        if label.is_empty() || label.len() > MAX_DNS_LABEL_LEN {
            return Err(CertificateError::MisIssued(
                "DNS name with an empty or long label",
            ));
        }
        if label.contains(&b'_') {
            return Err(CertificateError::MisIssued("DNS name with an underscore"));
        }
        if !label
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
            || label.first() == Some(&b'-')
            || label.last() == Some(&b'-')
        {
            return Err(CertificateError::MisIssued(
                "DNS name with an invalid character",
            ));
        }
    }
    Ok(())
}

/// Whether a presented dNSName matches a reference DNS name (RFC 6125
/// §6.4): equal ignoring ASCII case, or a wildcard `*` as the whole
/// left-most label standing for exactly one non-empty label, with at least
/// [`MIN_LABELS_AFTER_WILDCARD`] labels after it.
pub fn dns_name_matches(presented: &[u8], reference: &str) -> bool {
    let reference = reference.as_bytes();
    match presented.strip_prefix(b"*.") {
        Some(base) => {
            if base.split(|&b| b == b'.').count() < MIN_LABELS_AFTER_WILDCARD {
                return false;
            }
            match reference.iter().position(|&b| b == b'.') {
                Some(dot) if dot > 0 => reference
                    .get(dot + 1..)
                    .is_some_and(|rest| rest.eq_ignore_ascii_case(base)),
                _ => false,
            }
        }
        None => presented.eq_ignore_ascii_case(reference),
    }
}

fn ip_octets(ip: &IpAddr) -> Vec<u8> {
    match ip {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

/// Whether the subjectAltName contents `san` hold `name`: a DNS reference
/// matches dNSName entries only, an IP reference iPAddress entries only
/// (RFC 6125 §6.2.1, RFC 5280 §4.2.1.6). The subject's common name is
/// never consulted.
pub fn san_matches(san: &[u8], name: &ServerName) -> Result<bool, CertificateError> {
    for entry in general_names(san) {
        match (entry?, name) {
            (GeneralName::Dns(presented), ServerName::Dns(reference))
                if dns_name_matches(presented, reference) =>
            {
                return Ok(true);
            }
            (GeneralName::Ip(presented), ServerName::Ip(reference))
                if presented == ip_octets(reference).as_slice() =>
            {
                return Ok(true);
            }
            _ => {}
        }
    }
    Ok(false)
}

/// Checks nameConstraints contents (RFC 5280 §4.2.1.10): at least one of
/// permittedSubtrees `[0]` and excludedSubtrees `[1]`, each non-empty,
/// every GeneralSubtree without minimum and maximum, DNS constraints with
/// a valid syntax (an optional leading dot), IP constraints an address and
/// a contiguous mask of 8 or 32 octets.
pub fn check_name_constraints(value: &[u8]) -> Result<(), CertificateError> {
    let mut der = Der::new(value);
    let permitted = der.optional(tag::context_constructed(0))?;
    let excluded = der.optional(tag::context_constructed(1))?;
    der.finish()?;
    if permitted.is_none() && excluded.is_none() {
        return Err(CertificateError::MisIssued("empty nameConstraints"));
    }
    for subtrees in [permitted, excluded].into_iter().flatten() {
        if subtrees.is_empty() {
            return Err(CertificateError::BadEncoding("empty GeneralSubtrees"));
        }
        for base in subtree_bases(subtrees) {
            match base? {
                GeneralName::Dns(dns) => {
                    let dns = dns.strip_prefix(b".").unwrap_or(dns);
                    if !dns.is_empty() {
                        check_dns_syntax(dns, false)?;
                    }
                }
                GeneralName::Ip(ip) => {
                    ip_constraint(ip)?;
                }
                GeneralName::Other(_) => {}
            }
        }
    }
    Ok(())
}

/// Iterates over the base names of GeneralSubtrees, refusing a minimum or
/// maximum (RFC 5280 §4.2.1.10: minimum MUST be zero, maximum MUST be
/// absent; a zero minimum is the DEFAULT and so never encoded in DER).
fn subtree_bases(
    subtrees: &[u8],
) -> impl Iterator<Item = Result<GeneralName<'_>, CertificateError>> {
    let mut der = Der::new(subtrees);
    core::iter::from_fn(move || {
        if der.is_empty() {
            return None;
        }
        let item = der.sequence(|subtree| {
            let base = GeneralName::from_element(subtree.element()?)?;
            if !subtree.is_empty() {
                return Err(CertificateError::MisIssued(
                    "GeneralSubtree with minimum or maximum",
                ));
            }
            Ok(base)
        });
        if item.is_err() {
            der = Der::new(&[]);
        }
        Some(item)
    })
}

/// Splits an iPAddress constraint into address and mask, checking the
/// length (8 or 32) and that the mask is a contiguous prefix.
fn ip_constraint(value: &[u8]) -> Result<(&[u8], &[u8]), CertificateError> {
    if value.len() != 8 && value.len() != 32 {
        return Err(CertificateError::BadEncoding(
            "iPAddress constraint not 8 or 32 octets",
        ));
    }
    let (address, mask) = value.split_at(value.len() / 2);
    let mut ones_ended = false;
    for byte in mask {
        for bit in (0..8).rev() {
            let one = byte & (1 << bit) != 0;
            if one && ones_ended {
                return Err(CertificateError::MisIssued(
                    "iPAddress constraint mask not contiguous",
                ));
            }
            ones_ended |= !one;
        }
    }
    Ok((address, mask))
}

/// Whether DNS name `name` (possibly a wildcard) lies within DNS
/// constraint `constraint` (RFC 5280 §4.2.1.10): `example.com` covers
/// itself and its subdomains, `.example.com` only its subdomains, the
/// empty constraint everything. Comparison ignores ASCII case.
fn dns_within(name: &[u8], constraint: &[u8]) -> bool {
    if constraint.is_empty() {
        return true;
    }
    let (subdomains_only, base) = match constraint.strip_prefix(b".") {
        Some(base) => (true, base),
        None => (false, constraint),
    };
    if name.len() == base.len() {
        return !subdomains_only && name.eq_ignore_ascii_case(base);
    }
    name.len() > base.len()
        && name
            .get(name.len() - base.len()..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(base))
        && name.get(name.len() - base.len() - 1) == Some(&b'.')
}

/// Whether a wildcard name could stand for a name inside `constraint`
/// (the wildcard label replaced by the constraint's first label), which an
/// excluded subtree must also refuse.
fn wildcard_reaches(name: &[u8], constraint: &[u8]) -> bool {
    let Some(base) = name.strip_prefix(b"*.") else {
        return false;
    };
    let constraint = constraint.strip_prefix(b".").unwrap_or(constraint);
    match constraint.iter().position(|&b| b == b'.') {
        Some(dot) => constraint
            .get(dot + 1..)
            .is_some_and(|rest| rest.eq_ignore_ascii_case(base)),
        None => false,
    }
}

fn ip_within(address: &[u8], constraint: &[u8]) -> bool {
    let Ok((network, mask)) = ip_constraint(constraint) else {
        return false;
    };
    address.len() == network.len()
        && address
            .iter()
            .zip(network)
            .zip(mask)
            .all(|((a, n), m)| a & m == n & m)
}

/// Applies nameConstraints contents `constraints` to a certificate's
/// subjectAltName contents `san` (RFC 5280 §6.1.3 (b)-(c), DNS and IP
/// forms). A DNS or IP name must fall within some permitted subtree of
/// its form, when any exists, and within no excluded subtree; a wildcard
/// that could reach an excluded name is a violation. Constraints of other
/// forms are [`CertificateError::UnsupportedNameConstraint`].
pub fn check_names_against_constraints(
    san: Option<&[u8]>,
    constraints: &[u8],
) -> Result<(), CertificateError> {
    let mut der = Der::new(constraints);
    let permitted = der
        .optional(tag::context_constructed(0))?
        .unwrap_or_default();
    let excluded = der
        .optional(tag::context_constructed(1))?
        .unwrap_or_default();
    for base in subtree_bases(permitted).chain(subtree_bases(excluded)) {
        if let GeneralName::Other(_) = base? {
            return Err(CertificateError::UnsupportedNameConstraint);
        }
    }
    let Some(san) = san else {
        return Ok(());
    };
    for name in general_names(san) {
        let name = name?;
        let mut has_permitted_form = false;
        let mut permitted_hit = false;
        for base in subtree_bases(permitted) {
            match (name, base?) {
                (GeneralName::Dns(n), GeneralName::Dns(c)) => {
                    has_permitted_form = true;
                    permitted_hit |= dns_within(n, c);
                }
                (GeneralName::Ip(n), GeneralName::Ip(c)) => {
                    has_permitted_form = true;
                    permitted_hit |= ip_within(n, c);
                }
                _ => {}
            }
        }
        if has_permitted_form && !permitted_hit {
            return Err(CertificateError::NameConstraintsViolated);
        }
        for base in subtree_bases(excluded) {
            let hit = match (name, base?) {
                (GeneralName::Dns(n), GeneralName::Dns(c)) => {
                    dns_within(n, c) || wildcard_reaches(n, c)
                }
                (GeneralName::Ip(n), GeneralName::Ip(c)) => ip_within(n, c),
                _ => false,
            };
            if hit {
                return Err(CertificateError::NameConstraintsViolated);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_names_parse_from_strings_and_name_the_bad_input() {
        let name: ServerName = "Example.COM.".parse().unwrap();
        assert_eq!(name, ServerName::Dns("example.com".into()));
        assert_eq!(
            ServerName::try_from("::1"),
            Ok(ServerName::Ip("::1".parse().unwrap()))
        );
        assert_eq!(
            ServerName::try_from(String::from("a.test"))
                .unwrap()
                .to_string(),
            "a.test"
        );
        let bad = ServerName::try_from("not a host").unwrap_err();
        assert_eq!(bad, InvalidServerName("not a host".into()));
        assert!(bad.to_string().contains("\"not a host\""));
        assert_eq!(
            Error::from(bad),
            Error::InvalidRequest(InvalidRequestReason::InvalidServerName)
        );
    }

    #[test]
    fn strings_follow_their_type() {
        assert!(check_string(tag::PRINTABLE_STRING, b"Ferro TLS (test) 1.0").is_ok());
        assert!(check_string(tag::PRINTABLE_STRING, b"a@b").is_err());
        assert!(check_string(tag::IA5_STRING, b"a@b").is_ok());
        assert!(check_string(tag::IA5_STRING, &[0xc3, 0xa9]).is_err());
        assert!(check_string(tag::UTF8_STRING, &[0xc3, 0xa9]).is_ok());
        assert!(check_string(tag::UTF8_STRING, &[0xc3]).is_err());
        assert!(check_string(tag::BMP_STRING, &[0, 0x41, 0]).is_err());
    }

    #[test]
    fn wildcards_cover_exactly_one_label() {
        assert!(dns_name_matches(b"*.example.com", "www.example.com"));
        assert!(dns_name_matches(b"*.EXAMPLE.com", "www.example.COM"));
        assert!(!dns_name_matches(b"*.example.com", "example.com"));
        assert!(!dns_name_matches(b"*.example.com", "a.b.example.com"));
        assert!(!dns_name_matches(b"*.example.com", ".example.com"));
        assert!(!dns_name_matches(b"*.com", "example.com"));
        assert!(!dns_name_matches(b"f*.example.com", "foo.example.com"));
        assert!(dns_name_matches(b"Host.Example.com", "host.example.com"));
    }

    #[test]
    fn presented_names_are_checked() {
        assert!(check_dns_syntax(b"*.example.com", true).is_ok());
        assert!(check_dns_syntax(b"*.example.com", false).is_err());
        assert!(check_dns_syntax(b"a_b.example.com", true).is_err());
        assert!(check_dns_syntax(b"a..example.com", true).is_err());
        assert!(check_dns_syntax(b"-a.example.com", true).is_err());
        assert!(check_dns_syntax(b"a.*.example.com", true).is_err());
        assert!(check_dns_syntax(b"f*.example.com", true).is_ok());
    }

    #[test]
    fn reference_names_parse() {
        assert_eq!(
            ServerName::parse("Example.COM."),
            Ok(ServerName::Dns("example.com".into()))
        );
        assert!(matches!(ServerName::parse("::1"), Ok(ServerName::Ip(_))));
        assert!(ServerName::parse("1.2.3.04").is_err());
        assert!(ServerName::parse("*.example.com").is_err());
        assert!(ServerName::parse("").is_err());
    }

    #[test]
    fn dns_constraints_follow_rfc5280() {
        assert!(dns_within(b"example.com", b"example.com"));
        assert!(dns_within(b"www.example.com", b"example.com"));
        assert!(!dns_within(b"wwwexample.com", b"example.com"));
        assert!(!dns_within(b"example.com", b".example.com"));
        assert!(dns_within(b"a.example.com", b".example.com"));
        assert!(dns_within(b"anything", b""));
        assert!(wildcard_reaches(b"*.example.com", b"secret.example.com"));
        assert!(!wildcard_reaches(b"*.example.com", b"a.b.example.com"));
    }

    #[test]
    fn ip_constraints_mask_the_address() {
        let net = [10, 0, 0, 0, 255, 0, 0, 0];
        assert!(ip_within(&[10, 1, 2, 3], &net));
        assert!(!ip_within(&[11, 1, 2, 3], &net));
        assert!(!ip_within(&[0u8; 16], &net));
        assert!(ip_constraint(&[10, 0, 0, 0, 255, 0, 255, 0]).is_err());
    }
}
