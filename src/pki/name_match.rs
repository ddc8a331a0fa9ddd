//! Distinguished-name matching (RFC 5280 §7.1): whether an issuer field
//! names the subject of a candidate issuer, a trust anchor, or a CRL's
//! signer, and whether a name lies under a directoryName constraint
//! ([`name_starts_with`]). Equal bytes match at once; otherwise the two
//! names are walked side by side, without allocating, and compared as
//! canonical forms.
//!
//! ```text
//!   Name ──> RDN ... RDN            (order kept, RFC 5280 §7.1)
//!             └─> {AVA, AVA, ...}   (a set: any order)
//!                   └─> type OID + value
//!                         string ──> characters, spaces trimmed and
//!                                    folded, lower case (RFC 4518 §2.4,
//!                                    §2.6)
//!                         other  ──> tag and bytes as they are
//! ```
//!
//! RFC 5280 §7.1 has PrintableString and UTF8String values compared after
//! the LDAP StringPrep profile (RFC 4518): here, insignificant space
//! handling (leading and trailing white space dropped, inner runs one
//! space) and case folding by Unicode lower case, as OpenSSL and
//! BoringSSL canonicalise names; the Unicode normalisation step (NFKC) is
//! not applied. IA5String values (domainComponent, emailAddress) are
//! compared without case (§7.3), and BMPString and UniversalString ones
//! are decoded and compared like the others, so a value matches across
//! string types. Anything else (TeletexString, non-string values) must be
//! equal byte for byte. A name that does not parse matches only its own
//! bytes.

use crate::der::{tag, Der, Element};
use crate::error::CertificateError;

/// Whether two DER Names (whole elements) name the same entity (RFC 5280
/// §7.1): equal bytes, or the same RDNs in the same order, each the same
/// set of attributes, values compared canonically.
pub fn names_match(a: &[u8], b: &[u8]) -> bool {
    a == b || rdns_match(a, b).unwrap_or(false)
}

/// [`names_match`] past equal bytes; `None` when either does not parse.
fn rdns_match(a: &[u8], b: &[u8]) -> Option<bool> {
    let (matched, rest) = leading_match(a, b)?;
    Some(matched && rest.is_empty())
}

/// Whether the DER Name `name` begins with the RDNs of `prefix`, each
/// compared as [`names_match`] compares them: a directoryName name
/// constraint (RFC 5280 §4.2.1.10, names compared as §7.1 has them).
/// `None` when either does not parse.
pub fn name_starts_with(name: &[u8], prefix: &[u8]) -> Option<bool> {
    leading_match(name, prefix).map(|(matched, _)| matched)
}

/// Walks `name` and `prefix` RDN by RDN until `prefix` ends: whether
/// every RDN of `prefix` matched, and what is left of `name`.
fn leading_match<'a>(name: &'a [u8], prefix: &[u8]) -> Option<(bool, Der<'a>)> {
    let mut x = Der::whole(name, tag::SEQUENCE).ok()?;
    let mut y = Der::whole(prefix, tag::SEQUENCE).ok()?;
    while !y.is_empty() {
        if x.is_empty() {
            return Some((false, x));
        }
        let rdn_x = x.nested(tag::SET).ok()?;
        let rdn_y = y.nested(tag::SET).ok()?;
        if !same_set(rdn_x, rdn_y)? {
            return Some((false, x));
        }
    }
    Some((true, x))
}

/// Whether two RelativeDistinguishedNames hold the same attributes, in
/// any order (a SET carries none): as many, each of one found in the
/// other. An RDN of one attribute each, as nearly all are, is compared
/// at once.
fn same_set(x: Der<'_>, y: Der<'_>) -> Option<bool> {
    let (mut xs, mut ys) = (attributes(x.clone()), attributes(y.clone()));
    if let (Some(first_x), Some(first_y)) = (xs.next(), ys.next()) {
        if xs.next().is_none() && ys.next().is_none() {
            let ((id_x, value_x), (id_y, value_y)) = (first_x?, first_y?);
            return Some(id_x == id_y && values_match(value_x, value_y));
        }
    }
    let count = |set: Der<'_>| attributes(set).try_fold(0usize, |n, a| a.map(|_| n + 1));
    if count(x.clone())? != count(y.clone())? {
        return Some(false);
    }
    for attribute in attributes(x) {
        let (id, value) = attribute?;
        let mut found = false;
        for other in attributes(y.clone()) {
            let (other_id, other_value) = other?;
            if id == other_id && values_match(value, other_value) {
                found = true;
                break;
            }
        }
        if !found {
            return Some(false);
        }
    }
    Some(true)
}

/// The (type OID, value) pairs of an RDN's contents; `None` for one that
/// does not parse.
fn attributes<'a>(mut set: Der<'a>) -> impl Iterator<Item = Option<(&'a [u8], Element<'a>)>> {
    core::iter::from_fn(move || {
        (!set.is_empty()).then(|| {
            set.sequence(|atv| Ok::<_, CertificateError>((atv.oid()?, atv.element()?)))
                .ok()
        })
    })
}

/// Whether two attribute values match: as canonical text when both are
/// strings that decode, else as tag and bytes.
fn values_match(a: Element<'_>, b: Element<'_>) -> bool {
    if a.tag == b.tag && a.value == b.value {
        return true;
    }
    match (text(a.tag, a.value), text(b.tag, b.value)) {
        (Some(x), Some(y)) => canonical(x).eq(canonical(y)),
        _ => a.tag == b.tag && a.value == b.value,
    }
}

/// A string value's characters; `None` for a type compared byte for
/// byte, or a value that does not decode.
fn text(string_tag: u8, value: &[u8]) -> Option<Text<'_>> {
    match string_tag {
        tag::PRINTABLE_STRING | tag::IA5_STRING if value.is_ascii() => {
            Some(Text::Utf8(core::str::from_utf8(value).ok()?))
        }
        tag::UTF8_STRING => Some(Text::Utf8(core::str::from_utf8(value).ok()?)),
        tag::BMP_STRING
            if value.len().is_multiple_of(2)
                && char::decode_utf16(units(value)).all(|c| c.is_ok()) =>
        {
            Some(Text::Bmp(value))
        }
        tag::UNIVERSAL_STRING
            if value.len().is_multiple_of(4)
                && scalars(value).all(|c| char::from_u32(c).is_some()) =>
        {
            Some(Text::Universal(value))
        }
        _ => None,
    }
}

/// A decoded string value, read as characters on demand.
#[derive(Clone, Copy)]
enum Text<'a> {
    Utf8(&'a str),
    /// Big-endian UTF-16 code units, checked to decode.
    Bmp(&'a [u8]),
    /// Big-endian UCS-4 scalars, checked to be characters.
    Universal(&'a [u8]),
}

/// The code units of a BMPString.
fn units(value: &[u8]) -> impl Iterator<Item = u16> + '_ {
    value
        .chunks_exact(2)
        .filter_map(|pair| <[u8; 2]>::try_from(pair).ok())
        .map(u16::from_be_bytes)
}

/// The scalars of a UniversalString.
fn scalars(value: &[u8]) -> impl Iterator<Item = u32> + '_ {
    value
        .chunks_exact(4)
        .filter_map(|quad| <[u8; 4]>::try_from(quad).ok())
        .map(u32::from_be_bytes)
}

impl<'a> Text<'a> {
    /// The characters, decoded as read.
    fn chars(self) -> impl Iterator<Item = char> + 'a {
        let (utf8, bmp, universal) = match self {
            Text::Utf8(s) => (Some(s.chars()), None, None),
            Text::Bmp(v) => (
                None,
                Some(char::decode_utf16(units(v)).filter_map(Result::ok)),
                None,
            ),
            Text::Universal(v) => (None, None, Some(scalars(v).filter_map(char::from_u32))),
        };
        utf8.into_iter()
            .flatten()
            .chain(bmp.into_iter().flatten())
            .chain(universal.into_iter().flatten())
    }
}

/// The canonical characters of `text`: leading and trailing white space
/// dropped, each inner run of it one space, every character in lower
/// case.
fn canonical<'a>(text: Text<'a>) -> impl Iterator<Item = char> + 'a {
    FoldSpaces {
        inner: text.chars(),
        pending: None,
        started: false,
    }
    .flat_map(char::to_lowercase)
}

/// Insignificant space handling (RFC 4518 §2.6.1) over a character
/// stream.
struct FoldSpaces<I> {
    inner: I,
    /// The character after a folded run of spaces, sent after its space.
    pending: Option<char>,
    /// Whether a character other than white space has been sent.
    started: bool,
}

impl<I: Iterator<Item = char>> Iterator for FoldSpaces<I> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(c) = self.pending.take() {
            return Some(c);
        }
        let mut space = false;
        for c in self.inner.by_ref() {
            if c.is_whitespace() {
                space = self.started;
                continue;
            }
            self.started = true;
            if space {
                self.pending = Some(c);
                return Some(' ');
            }
            return Some(c);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::names_match;

    /// An attribute: type OID, value tag, value.
    type Attribute<'a> = (&'a [u8], u8, &'a [u8]);

    /// A Name of one RDN per attribute set.
    fn name(rdns: &[&[Attribute<'_>]]) -> Vec<u8> {
        let der = |tag: u8, body: &[u8]| [&[tag, body.len() as u8][..], body].concat();
        let mut out = Vec::new();
        for rdn in rdns {
            let set: Vec<u8> = rdn
                .iter()
                .flat_map(|(oid, tag, value)| {
                    der(0x30, &[der(0x06, oid), der(*tag, value)].concat())
                })
                .collect();
            out.extend(der(0x31, &set));
        }
        der(0x30, &out)
    }

    const CN: &[u8] = &[0x55, 0x04, 0x03];
    const O: &[u8] = &[0x55, 0x04, 0x0a];
    const DC: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19];

    #[test]
    fn rfc5280_7_1_string_types_case_and_spaces_do_not_count() {
        let printable = name(&[&[(O, 0x13, b"Example Org")], &[(CN, 0x13, b"Root CA")]]);
        let utf8 = name(&[&[(O, 0x0c, b"example  org ")], &[(CN, 0x0c, b" ROOT ca")]]);
        let bmp_cn: Vec<u8> = "Root CA"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let bmp = name(&[&[(O, 0x0c, b"Example Org")], &[(CN, 0x1e, &bmp_cn)]]);
        let ucs4_cn: Vec<u8> = "root\tca"
            .chars()
            .flat_map(|c| u32::from(c).to_be_bytes())
            .collect();
        let universal = name(&[&[(O, 0x0c, b"Example Org")], &[(CN, 0x1c, &ucs4_cn)]]);
        for other in [&utf8, &bmp, &universal] {
            assert!(names_match(&printable, other), "{other:02x?}");
        }
        // RFC 5280 §7.3: domainComponent without case.
        assert!(names_match(
            &name(&[&[(DC, 0x16, b"Example")]]),
            &name(&[&[(DC, 0x16, b"example")]])
        ));
        // A multi-valued RDN is a set.
        assert!(names_match(
            &name(&[&[(O, 0x13, b"Org"), (CN, 0x13, b"CA")]]),
            &name(&[&[(CN, 0x0c, b"ca"), (O, 0x0c, b"org")]])
        ));
    }

    #[test]
    fn other_values_types_and_order_still_count() {
        let root = name(&[&[(O, 0x13, b"Example Org")], &[(CN, 0x13, b"Root CA")]]);
        for other in [
            name(&[&[(O, 0x13, b"Example Org")], &[(CN, 0x13, b"Root CA 2")]]),
            name(&[&[(CN, 0x13, b"Root CA")], &[(O, 0x13, b"Example Org")]]),
            name(&[&[(O, 0x13, b"Example Org")], &[(O, 0x13, b"Root CA")]]),
            name(&[&[(O, 0x13, b"ExampleOrg")], &[(CN, 0x13, b"Root CA")]]),
            name(&[&[(O, 0x13, b"Example Org")]]),
            name(&[&[(O, 0x13, b"Example Org"), (CN, 0x13, b"Root CA")]]),
            // A TeletexString is compared as bytes.
            name(&[&[(O, 0x14, b"Example Org")], &[(CN, 0x13, b"Root CA")]]),
        ] {
            assert!(!names_match(&root, &other), "{other:02x?}");
        }
        assert!(!names_match(&root, b"\x30\x03\x31"), "a broken name");
    }
}
