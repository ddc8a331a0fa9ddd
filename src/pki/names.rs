//! Names: distinguished-name structure and its character strings (X.680
//! §41), subjectAltName entries, reference names ([`ServerName`]), RFC 6125
//! matching and the public-suffix rule for wildcards. Name constraints
//! are in [`super::name_constraints`].

use crate::der::{self, tag, Der, Element};
use crate::error::Error;
use crate::error::{CertificateError, IllegalParameterReason, InvalidRequestReason};
use psl::Psl;
use std::net::IpAddr;

/// The longest DNS name in presentation form without the trailing dot
/// (RFC 1035 §2.3.4: 255 octets on the wire).
pub const MAX_DNS_NAME_LEN: usize = 253;

/// The longest DNS label (RFC 1035 §2.3.4).
pub const MAX_DNS_LABEL_LEN: usize = 63;

/// GeneralName tag of rfc822Name `[1] IA5String` (RFC 5280 §4.2.1.6).
const RFC822_NAME: u8 = tag::context_primitive(1);
/// GeneralName tag of dNSName `[2] IA5String`.
const DNS_NAME: u8 = tag::context_primitive(2);
/// GeneralName tag of directoryName `[4] Name`.
pub(crate) const DIRECTORY_NAME: u8 = tag::context_constructed(4);
/// GeneralName tag of uniformResourceIdentifier `[6] IA5String`.
const URI: u8 = tag::context_primitive(6);
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
    /// Parses an IP literal or a DNS host name (letters, digits,
    /// hyphens and underscores in labels of 1–63 octets, RFC 1123 §2.1;
    /// one trailing dot allowed). Underscores are accepted because real
    /// host names carry them (`foo_bar.example.com`, RFC 2181 §11 allows
    /// any octet in a DNS label) even though certificates may no longer
    /// name them (baseline requirements §7.1.4.2.1). Anything else is
    /// [`Error::IllegalParameter`].
    pub fn parse(name: &str) -> Result<Self, Error> {
        if let Ok(ip) = name.parse::<IpAddr>() {
            return Ok(Self::Ip(ip));
        }
        let name = name.strip_suffix('.').unwrap_or(name);
        if check_dns_syntax(name.as_bytes(), DnsForm::Reference).is_err() {
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

impl ServerName {
    /// The name as [`Display`](core::fmt::Display) writes it, borrowed
    /// when it is a DNS name: what the client session stores are keyed
    /// by, without a copy per lookup.
    pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Self::Dns(name) => std::borrow::Cow::Borrowed(name),
            Self::Ip(ip) => std::borrow::Cow::Owned(ip.to_string()),
        }
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
    /// rfc822Name: a mailbox `local@host` in a SAN; a mailbox, a host or
    /// a `.domain` in a name constraint.
    Email(&'a [u8]),
    /// uniformResourceIdentifier: a URI in a SAN; a host or a `.domain`
    /// in a name constraint.
    Uri(&'a [u8]),
    /// directoryName: a whole Name element (the `[4]` tag is explicit).
    Directory(&'a [u8]),
    /// Any other form (otherName, x400Address, ediPartyName,
    /// registeredID); the tag says which.
    Other(u8),
}

/// The tags of the GeneralName CHOICE (RFC 5280 §4.2.1.6, implicit
/// tagging): otherName, x400Address, directoryName and ediPartyName are
/// constructed, the others primitive.
const GENERAL_NAME_TAGS: [u8; 9] = [0xa0, 0x81, 0x82, 0xa3, 0xa4, 0xa5, 0x86, 0x87, 0x88];

impl<'a> GeneralName<'a> {
    pub(crate) fn from_element(e: Element<'a>) -> Result<Self, CertificateError> {
        if !GENERAL_NAME_TAGS.contains(&e.tag) {
            return Err(CertificateError::BadEncoding("not a GeneralName tag"));
        }
        Ok(match e.tag {
            RFC822_NAME => Self::Email(e.value),
            DNS_NAME => Self::Dns(e.value),
            DIRECTORY_NAME => Self::Directory(e.value),
            URI => Self::Uri(e.value),
            IP_ADDRESS => Self::Ip(e.value),
            other => Self::Other(other),
        })
    }
}

/// Calls `f` with each attribute of a Name (the whole DER element, RFC
/// 5280 §4.1.2.4), RDN by RDN: its type (OBJECT IDENTIFIER contents) and
/// its value element.
pub(crate) fn for_each_attribute<'a>(
    name: &'a [u8],
    mut f: impl FnMut(&'a [u8], Element<'a>) -> Result<(), CertificateError>,
) -> Result<(), CertificateError> {
    let mut rdns = Der::whole(name, tag::SEQUENCE)?;
    while !rdns.is_empty() {
        let mut set = rdns.nested(tag::SET)?;
        while !set.is_empty() {
            let (id, value) =
                set.sequence(|atv| Ok::<_, CertificateError>((atv.oid()?, atv.element()?)))?;
            f(id, value)?;
        }
    }
    Ok(())
}

/// The host of a URI's authority (RFC 3986 §3.2: after `scheme://`,
/// without user information and port); `None` when the URI has no
/// authority or an empty host.
pub(crate) fn uri_host(uri: &[u8]) -> Option<&[u8]> {
    let colon = uri.iter().position(|&b| b == b':')?;
    if colon == 0 || uri.get(..colon)?.contains(&b'/') {
        return None;
    }
    let rest = uri.get(colon + 1..)?.strip_prefix(b"//")?;
    let end = rest
        .iter()
        .position(|&b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let authority = rest.get(..end)?;
    let host_port = match authority.iter().rposition(|&b| b == b'@') {
        Some(at) => authority.get(at + 1..)?,
        None => authority,
    };
    let host = if host_port.starts_with(b"[") {
        let close = host_port.iter().position(|&b| b == b']')?;
        host_port.get(..=close)?
    } else {
        match host_port.iter().position(|&b| b == b':') {
            Some(port) => host_port.get(..port)?,
            None => host_port,
        }
    };
    (!host.is_empty()).then_some(host)
}

/// Whether a uniformResourceIdentifier is one RFC 5280 §4.2.1.6 lets a
/// CA issue: not a relative URI, so a scheme (RFC 3986 §3.1: a letter,
/// then letters, digits, `+`, `-` and `.`), a colon and a non-empty
/// scheme-specific part, and a host when it has an authority (`//`).
pub(crate) fn is_absolute_uri(uri: &[u8]) -> bool {
    let Some(colon) = uri.iter().position(|&b| b == b':') else {
        return false;
    };
    let scheme = uri.get(..colon).unwrap_or_default();
    let rest = uri.get(colon + 1..).unwrap_or_default();
    let scheme_ok = scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    scheme_ok && !rest.is_empty() && (!rest.starts_with(b"//") || uri_host(uri).is_some())
}

/// Checks that `e` is a GeneralName (RFC 5280 §4.2.1.6): one of the
/// CHOICE's tags, in its form.
pub fn check_general_name(e: Element<'_>) -> Result<(), CertificateError> {
    GeneralName::from_element(e).map(|_| ())
}

/// Iterates over the GeneralNames in `value` (the contents of a
/// GeneralNames SEQUENCE); DER errors end the iteration with an error.
pub(crate) fn general_names(
    value: &[u8],
) -> impl Iterator<Item = Result<GeneralName<'_>, CertificateError>> {
    der::items(value, |names| GeneralName::from_element(names.element()?))
}

/// Checks the contents of a GeneralNames (RFC 5280 §4.2.1.6: `SEQUENCE
/// SIZE (1..MAX) OF GeneralName`): at least one, each a GeneralName;
/// `empty` says which field had none.
pub(crate) fn check_general_names(
    value: &[u8],
    empty: &'static str,
) -> Result<(), CertificateError> {
    if value.is_empty() {
        return Err(CertificateError::BadEncoding(empty));
    }
    general_names(value).try_for_each(|name| name.map(|_| ()))
}

/// Checks the contents of a subjectAltName or issuerAltName: at least
/// one entry (else `empty`), every dNSName a valid host name (wildcard
/// only as the whole left-most label), every iPAddress 4 or 16 octets. A
/// dNSName with an underscore or an empty label is
/// [`CertificateError::MisIssued`] (RFC 5280 §4.2.1.6, baseline
/// requirements §7.1.2.7.12).
pub fn check_alt_names(value: &[u8], empty: &'static str) -> Result<(), CertificateError> {
    if value.is_empty() {
        return Err(CertificateError::BadEncoding(empty));
    }
    for name in general_names(value) {
        match name? {
            GeneralName::Dns(dns) => check_dns_syntax(dns, DnsForm::Presented)?,
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

/// Where a DNS name comes from, which decides the characters it may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DnsForm {
    /// A reference name: underscores allowed, no wildcard.
    Reference,
    /// A dNSName in a certificate: no underscore, a wildcard allowed in
    /// the left-most label.
    Presented,
    /// A dNSName constraint: no underscore, no wildcard.
    Constraint,
}

/// Checks a DNS name's syntax: ASCII letters, digits and hyphens (and
/// underscores in a [`DnsForm::Reference`]) in labels of 1–63 octets, no
/// label starting or ending with a hyphen, at most 253 octets; in a
/// [`DnsForm::Presented`] name the left-most label may hold `*`.
pub(crate) fn check_dns_syntax(name: &[u8], form: DnsForm) -> Result<(), CertificateError> {
    if name.is_empty() || name.len() > MAX_DNS_NAME_LEN {
        return Err(CertificateError::MisIssued("DNS name empty or too long"));
    }
    for (i, label) in name.split(|&b| b == b'.').enumerate() {
        // A `*` is presented syntax only in the left-most label; only the
        // whole label `*` is a wildcard when matching, so a partial one
        // (`f*`) never matches anything.
        if form == DnsForm::Presented
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
        if label.contains(&b'_') && form != DnsForm::Reference {
            return Err(CertificateError::MisIssued("DNS name with an underscore"));
        }
        if !label
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
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

/// Whether `name` (ASCII, any case) is itself a public suffix: an ICANN
/// or private entry of the Public Suffix List (`com`, `co.uk`,
/// `github.io`), a name a wildcard rule of the list covers (`*.ck`), or a
/// single label (the list's implicit `*` rule).
pub fn is_public_suffix(name: &[u8]) -> bool {
    let name = name.to_ascii_lowercase();
    psl::List.find(name.rsplit(|&b| b == b'.')).len == name.len()
}

/// Whether a presented dNSName matches a reference DNS name (RFC 6125
/// §6.4): equal ignoring ASCII case, or a wildcard `*` as the whole
/// left-most label standing for exactly one non-empty label. A wildcard
/// whose base is a public suffix ([`is_public_suffix`]: `*.com`,
/// `*.co.uk`, `*.github.io`) matches nothing: it would cover names of
/// unrelated owners (RFC 6125 §7.2, baseline requirements §3.2.2.6).
pub fn dns_name_matches(presented: &[u8], reference: &str) -> bool {
    let reference = reference.as_bytes();
    match presented.strip_prefix(b"*.") {
        Some(base) => {
            if is_public_suffix(base) {
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
        let presented = |name: &[u8]| check_dns_syntax(name, DnsForm::Presented);
        assert!(presented(b"*.example.com").is_ok());
        assert!(check_dns_syntax(b"*.example.com", DnsForm::Constraint).is_err());
        assert!(check_dns_syntax(b"*.example.com", DnsForm::Reference).is_err());
        assert_eq!(
            presented(b"a_b.example.com"),
            Err(CertificateError::MisIssued("DNS name with an underscore"))
        );
        assert!(check_dns_syntax(b"a_b.example.com", DnsForm::Constraint).is_err());
        assert!(check_dns_syntax(b"a_b.example.com", DnsForm::Reference).is_ok());
        assert!(presented(b"a..example.com").is_err());
        assert!(presented(b"-a.example.com").is_err());
        assert!(presented(b"a.*.example.com").is_err());
        assert!(presented(b"f*.example.com").is_ok());
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
        assert_eq!(
            ServerName::parse("Foo_Bar.example.com"),
            Ok(ServerName::Dns("foo_bar.example.com".into()))
        );
        assert_eq!(
            ServerName::parse("_acme-challenge.example.com"),
            Ok(ServerName::Dns("_acme-challenge.example.com".into()))
        );
        assert!(ServerName::parse("a_b..example.com").is_err());
        assert!(ServerName::parse("a b.example.com").is_err());
    }

    #[test]
    fn wildcards_never_cover_a_public_suffix() {
        assert!(is_public_suffix(b"com"));
        assert!(is_public_suffix(b"co.uk"));
        assert!(is_public_suffix(b"CO.UK"));
        assert!(is_public_suffix(b"github.io"));
        assert!(is_public_suffix(b"anything.ck"));
        assert!(is_public_suffix(b"test"));
        assert!(!is_public_suffix(b"www.ck"));
        assert!(!is_public_suffix(b"example.co.uk"));
        assert!(!is_public_suffix(b"user.github.io"));
        assert!(!dns_name_matches(b"*.co.uk", "example.co.uk"));
        assert!(!dns_name_matches(b"*.github.io", "user.github.io"));
        assert!(!dns_name_matches(b"*.Github.IO", "user.github.io"));
        assert!(!dns_name_matches(b"*.test", "x.test"));
        assert!(dns_name_matches(b"*.example.co.uk", "www.example.co.uk"));
        assert!(dns_name_matches(b"*.user.github.io", "a.user.github.io"));
        assert!(dns_name_matches(b"example.co.uk", "example.co.uk"));
    }

    #[test]
    fn underscored_reference_names_match() {
        let name = ServerName::parse("foo_bar.example.com").unwrap();
        let ServerName::Dns(reference) = &name else {
            panic!("{name:?}");
        };
        assert!(dns_name_matches(b"*.example.com", reference));
        assert!(dns_name_matches(b"FOO_BAR.example.com", reference));
        assert!(!dns_name_matches(b"foo-bar.example.com", reference));
        // One dNSName [2] "*.example.com".
        let mut san = vec![0x82, 13];
        san.extend_from_slice(b"*.example.com");
        assert_eq!(san_matches(&san, &name), Ok(true));
        assert_eq!(
            san_matches(&san, &ServerName::parse("a.b.example.com").unwrap()),
            Ok(false)
        );
    }
}
