//! Distinguished-name matching (RFC 5280 §7.1): whether an issuer field
//! names the subject of a candidate issuer, a trust anchor, or a CRL's
//! signer. Equal bytes match at once; otherwise both names are brought to
//! a canonical form and compared.
//!
//! ```text
//!   Name ──> RDN ... RDN            (order kept, RFC 5280 §7.1)
//!             └─> {AVA, AVA, ...}   (a set: sorted)
//!                   └─> type OID + value
//!                         string ──> Unicode, spaces trimmed and folded,
//!                                    lower case (RFC 4518 §2.4, §2.6)
//!                         other  ──> tag and bytes as they are
//! ```
//!
//! RFC 5280 §7.1 has PrintableString and UTF8String values compared after
//! the LDAP StringPrep profile (RFC 4518): here, insignificant space
//! handling (leading and trailing spaces dropped, inner runs of white
//! space one space) and case folding by Unicode lower case, as OpenSSL and
//! BoringSSL canonicalise names; the Unicode normalisation step (NFKC) is
//! not applied. IA5String values (domainComponent, emailAddress) are
//! compared without case (§7.3), and BMPString and UniversalString ones
//! are decoded and compared like the others, so a value matches across
//! string types. Anything else (TeletexString, non-string values) must be
//! equal byte for byte. A name that does not parse matches only its own
//! bytes.

use crate::der::{tag, Der};

/// The canonical form of a DER Name (the whole element), as bytes: per
/// RDN, its attributes sorted, each as type OID and canonical value with
/// lengths in front. `None` when the name does not parse.
pub(crate) fn canonical_name(name: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(name.len());
    let mut rdns = Der::whole(name, tag::SEQUENCE).ok()?;
    while !rdns.is_empty() {
        let mut set = rdns.nested(tag::SET).ok()?;
        let mut attributes = Vec::new();
        while !set.is_empty() {
            let (id, value) = set
                .sequence(|atv| {
                    Ok::<_, crate::error::CertificateError>((atv.oid()?, atv.element()?))
                })
                .ok()?;
            let mut attribute = Vec::new();
            push_field(&mut attribute, id);
            match canonical_text(value.tag, value.value) {
                Some(text) => {
                    attribute.push(0);
                    push_field(&mut attribute, text.as_bytes());
                }
                None => {
                    attribute.push(value.tag);
                    push_field(&mut attribute, value.value);
                }
            }
            attributes.push(attribute);
        }
        // A RelativeDistinguishedName is a SET: its order carries nothing.
        attributes.sort_unstable();
        out.extend_from_slice(&u32::try_from(attributes.len()).ok()?.to_be_bytes());
        for attribute in attributes {
            out.extend_from_slice(&attribute);
        }
    }
    Some(out)
}

/// Whether two DER Names name the same entity (RFC 5280 §7.1): equal
/// bytes, or equal canonical forms ([`canonical_name`]).
pub(crate) fn names_match(a: &[u8], b: &[u8]) -> bool {
    a == b
        || matches!(
            (canonical_name(a), canonical_name(b)),
            (Some(x), Some(y)) if x == y
        )
}

/// `field` with its length in front, so that concatenations stay apart.
fn push_field(out: &mut Vec<u8>, field: &[u8]) {
    out.extend_from_slice(&u32::try_from(field.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(field);
}

/// The canonical text of a string value of type `string_tag`, or `None`
/// for a value compared byte for byte (another tag, or a value that does
/// not decode).
fn canonical_text(string_tag: u8, value: &[u8]) -> Option<String> {
    let text: String = match string_tag {
        tag::PRINTABLE_STRING | tag::IA5_STRING if value.is_ascii() => {
            core::str::from_utf8(value).ok()?.to_owned()
        }
        tag::UTF8_STRING => core::str::from_utf8(value).ok()?.to_owned(),
        tag::BMP_STRING if value.len().is_multiple_of(2) => char::decode_utf16(
            value
                .chunks_exact(2)
                .filter_map(|pair| <[u8; 2]>::try_from(pair).ok())
                .map(u16::from_be_bytes),
        )
        .collect::<Result<_, _>>()
        .ok()?,
        tag::UNIVERSAL_STRING if value.len().is_multiple_of(4) => value
            .chunks_exact(4)
            .filter_map(|quad| <[u8; 4]>::try_from(quad).ok())
            .map(|quad| char::from_u32(u32::from_be_bytes(quad)))
            .collect::<Option<_>>()?,
        _ => return None,
    };
    let mut canonical = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !canonical.is_empty() {
            canonical.push(' ');
        }
        canonical.extend(word.chars().flat_map(char::to_lowercase));
    }
    Some(canonical)
}

#[cfg(test)]
mod tests {
    use super::names_match;

    /// A Name of one RDN per `(oid, tag, value)`.
    fn name(attributes: &[(&[u8], u8, &[u8])]) -> Vec<u8> {
        let mut rdns = Vec::new();
        for (oid, tag, value) in attributes {
            let atv = [
                &[0x06, oid.len() as u8][..],
                oid,
                &[*tag, value.len() as u8],
                value,
            ]
            .concat();
            let seq = [&[0x30, atv.len() as u8][..], &atv].concat();
            rdns.extend([&[0x31, seq.len() as u8][..], &seq].concat());
        }
        [&[0x30, rdns.len() as u8][..], &rdns].concat()
    }

    const CN: &[u8] = &[0x55, 0x04, 0x03];
    const O: &[u8] = &[0x55, 0x04, 0x0a];
    const DC: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19];

    #[test]
    fn rfc5280_7_1_string_types_case_and_spaces_do_not_count() {
        let printable = name(&[(O, 0x13, b"Example Org"), (CN, 0x13, b"Root CA")]);
        let utf8 = name(&[(O, 0x0c, b"example  org "), (CN, 0x0c, b" ROOT ca")]);
        let bmp_cn: Vec<u8> = "Root CA"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let bmp = name(&[(O, 0x0c, b"Example Org"), (CN, 0x1e, &bmp_cn)]);
        assert!(names_match(&printable, &utf8));
        assert!(names_match(&printable, &bmp));
        // RFC 5280 §7.3: domainComponent without case.
        assert!(names_match(
            &name(&[(DC, 0x16, b"Example")]),
            &name(&[(DC, 0x16, b"example")])
        ));
    }

    #[test]
    fn other_values_types_and_order_still_count() {
        let root = name(&[(O, 0x13, b"Example Org"), (CN, 0x13, b"Root CA")]);
        for other in [
            name(&[(O, 0x13, b"Example Org"), (CN, 0x13, b"Root CA 2")]),
            name(&[(CN, 0x13, b"Root CA"), (O, 0x13, b"Example Org")]),
            name(&[(O, 0x13, b"Example Org"), (O, 0x13, b"Root CA")]),
            name(&[(O, 0x13, b"ExampleOrg"), (CN, 0x13, b"Root CA")]),
            // A TeletexString is compared as bytes.
            name(&[(O, 0x14, b"Example Org"), (CN, 0x13, b"Root CA")]),
        ] {
            assert!(!names_match(&root, &other), "{other:02x?}");
        }
        assert!(!names_match(&root, b"\x30\x03\x31"), "a broken name");
    }
}
