//! A strict reader for the Distinguished Encoding Rules subset X.509 uses.
//!
//! Only what RFC 5280 certificates need is accepted (X.690 §8 and §10):
//! single-octet tags (tag numbers 0–30), definite lengths in their shortest
//! form, BOOLEAN as 0x00/0xFF, minimally encoded INTEGERs, BIT STRINGs with
//! zeroed padding bits, OBJECT IDENTIFIERs with minimal sub-identifiers,
//! UTCTime and GeneralizedTime in their `Z` forms. Anything else is a
//! [`CertificateError::BadEncoding`] naming the broken rule; nothing here
//! panics or indexes out of bounds.

use super::error::CertificateError;

/// The largest element length accepted: 4 length octets (X.690 §8.1.3.5
/// allows more, but no certificate is anywhere near 4 GiB, and a bound
/// keeps every length in `usize` on 32-bit targets).
pub const MAX_LENGTH_OCTETS: usize = 4;

/// Universal and context-specific tags used by X.509 (X.680 §8.6, RFC 5280
/// §4.1).
pub mod tag {
    /// UTF8String.
    pub const UTF8_STRING: u8 = 0x0c;
    /// PrintableString.
    pub const PRINTABLE_STRING: u8 = 0x13;
    /// IA5String.
    pub const IA5_STRING: u8 = 0x16;
    /// UniversalString (UCS-4).
    pub const UNIVERSAL_STRING: u8 = 0x1c;
    /// BMPString (UCS-2).
    pub const BMP_STRING: u8 = 0x1e;
    /// BOOLEAN.
    pub const BOOLEAN: u8 = 0x01;
    /// INTEGER.
    pub const INTEGER: u8 = 0x02;
    /// BIT STRING (primitive; the constructed form is not DER).
    pub const BIT_STRING: u8 = 0x03;
    /// OCTET STRING (primitive).
    pub const OCTET_STRING: u8 = 0x04;
    /// NULL.
    pub const NULL: u8 = 0x05;
    /// OBJECT IDENTIFIER.
    pub const OID: u8 = 0x06;
    /// UTCTime.
    pub const UTC_TIME: u8 = 0x17;
    /// GeneralizedTime.
    pub const GENERALIZED_TIME: u8 = 0x18;
    /// SEQUENCE / SEQUENCE OF (always constructed).
    pub const SEQUENCE: u8 = 0x30;
    /// SET / SET OF (always constructed).
    pub const SET: u8 = 0x31;

    /// The tag of a constructed context-specific element `[n]`.
    pub const fn context_constructed(n: u8) -> u8 {
        0xa0 | n
    }

    /// The tag of a primitive context-specific element `[n]`.
    pub const fn context_primitive(n: u8) -> u8 {
        0x80 | n
    }
}

fn bad(why: &'static str) -> CertificateError {
    CertificateError::BadEncoding(why)
}

/// One DER element: its tag, its contents and the whole encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Element<'a> {
    /// The identifier octet.
    pub tag: u8,
    /// The contents octets.
    pub value: &'a [u8],
    /// Tag, length and contents: the bytes a signature covers.
    pub raw: &'a [u8],
}

/// A cursor over DER bytes. Every accessor checks the DER rules for the
/// type it reads and fails with [`CertificateError::BadEncoding`].
#[derive(Clone, Debug)]
pub struct Der<'a> {
    rest: &'a [u8],
}

impl<'a> Der<'a> {
    /// A reader over `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// Whether every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next tag, without consuming anything.
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Succeeds only when every byte has been read (no trailing data).
    pub fn finish(&self) -> Result<(), CertificateError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(bad("trailing data"))
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CertificateError> {
        let (head, tail) = self
            .rest
            .split_at_checked(n)
            .ok_or(bad("element truncated"))?;
        self.rest = tail;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, CertificateError> {
        let (&first, tail) = self.rest.split_first().ok_or(bad("element truncated"))?;
        self.rest = tail;
        Ok(first)
    }

    /// Reads the next element, whatever its tag (X.690 §8.1.2–§8.1.3,
    /// §10.1).
    pub fn element(&mut self) -> Result<Element<'a>, CertificateError> {
        let start = self.rest;
        let tag = self.byte()?;
        if tag & 0x1f == 0x1f {
            return Err(bad("high tag numbers are not used by X.509"));
        }
        let first = self.byte()?;
        let len = if first < 0x80 {
            usize::from(first)
        } else if first == 0x80 {
            return Err(bad("indefinite length"));
        } else {
            let count = usize::from(first & 0x7f);
            if count > MAX_LENGTH_OCTETS {
                return Err(bad("length too large"));
            }
            let octets = self.take(count)?;
            if octets.first() == Some(&0) {
                return Err(bad("length not minimally encoded"));
            }
            let len = octets
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if len < 0x80 {
                return Err(bad("length not minimally encoded"));
            }
            len
        };
        let value = self.take(len)?;
        let raw = start
            .get(..start.len() - self.rest.len())
            .ok_or(bad("element truncated"))?;
        Ok(Element { tag, value, raw })
    }

    /// Reads an element that must carry `tag` and returns it.
    pub fn expect(&mut self, tag: u8) -> Result<Element<'a>, CertificateError> {
        match self.peek_tag() {
            Some(t) if t == tag => self.element(),
            Some(_) => Err(bad("unexpected tag")),
            None => Err(bad("element missing")),
        }
    }

    /// Reads the contents of an element that must carry `tag`.
    pub fn read(&mut self, tag: u8) -> Result<&'a [u8], CertificateError> {
        Ok(self.expect(tag)?.value)
    }

    /// Reads the contents of an element carrying `tag` if one is next.
    pub fn optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>, CertificateError> {
        if self.peek_tag() == Some(tag) {
            self.read(tag).map(Some)
        } else {
            Ok(None)
        }
    }

    /// A reader over the contents of a constructed element carrying `tag`.
    pub fn nested(&mut self, tag: u8) -> Result<Der<'a>, CertificateError> {
        self.read(tag).map(Der::new)
    }

    /// Reads a SEQUENCE and hands its contents to `f`, which must consume
    /// them all.
    pub fn sequence<T>(
        &mut self,
        f: impl FnOnce(&mut Der<'a>) -> Result<T, CertificateError>,
    ) -> Result<T, CertificateError> {
        let mut inner = self.nested(tag::SEQUENCE)?;
        let out = f(&mut inner)?;
        inner.finish()?;
        Ok(out)
    }

    /// Reads a BOOLEAN: exactly one octet, 0x00 or 0xFF (X.690 §11.1).
    pub fn boolean(&mut self) -> Result<bool, CertificateError> {
        match self.read(tag::BOOLEAN)? {
            [0x00] => Ok(false),
            [0xff] => Ok(true),
            _ => Err(bad("BOOLEAN not 0x00 or 0xFF")),
        }
    }

    /// Reads NULL (empty contents).
    pub fn null(&mut self) -> Result<(), CertificateError> {
        match self.read(tag::NULL)? {
            [] => Ok(()),
            _ => Err(bad("NULL with contents")),
        }
    }

    /// Reads an INTEGER and returns its two's-complement contents, checked
    /// to be non-empty and minimal (X.690 §8.3.2).
    pub fn integer(&mut self) -> Result<&'a [u8], CertificateError> {
        let value = self.read(tag::INTEGER)?;
        check_integer(value)?;
        Ok(value)
    }

    /// Reads a non-negative INTEGER that fits in a `u64`.
    pub fn small_unsigned(&mut self) -> Result<u64, CertificateError> {
        let value = self.integer()?;
        if value.first().is_some_and(|b| b & 0x80 != 0) {
            return Err(bad("negative INTEGER"));
        }
        let digits = match value {
            [0, rest @ ..] => rest,
            other => other,
        };
        if digits.len() > 8 {
            return Err(bad("INTEGER too large"));
        }
        Ok(digits
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    /// Reads a BIT STRING (X.690 §8.6, §11.2).
    pub fn bit_string(&mut self) -> Result<BitString<'a>, CertificateError> {
        BitString::parse(self.read(tag::BIT_STRING)?)
    }

    /// Reads an OBJECT IDENTIFIER and returns its contents octets, checked
    /// to be non-empty with minimal sub-identifiers (X.690 §8.19.2).
    pub fn oid(&mut self) -> Result<&'a [u8], CertificateError> {
        let value = self.read(tag::OID)?;
        let mut at_start = true;
        for &b in value {
            if at_start && b == 0x80 {
                return Err(bad("OID sub-identifier not minimal"));
            }
            at_start = b & 0x80 == 0;
        }
        if value.is_empty() || !at_start {
            return Err(bad("OID truncated"));
        }
        Ok(value)
    }

    /// Reads a UTCTime or GeneralizedTime as UNIX seconds (RFC 5280
    /// §4.1.2.5).
    pub fn time(&mut self) -> Result<i64, CertificateError> {
        let element = self.element()?;
        match element.tag {
            tag::UTC_TIME => parse_time(element.value, false),
            tag::GENERALIZED_TIME => parse_time(element.value, true),
            _ => Err(bad("unexpected tag for a time")),
        }
    }
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
        Err(bad("character string invalid for its type"))
    }
}

/// Checks an INTEGER's contents: non-empty and minimally encoded.
pub fn check_integer(value: &[u8]) -> Result<(), CertificateError> {
    match value {
        [] => Err(bad("empty INTEGER")),
        [0x00, next, ..] if next & 0x80 == 0 => Err(bad("INTEGER not minimally encoded")),
        [0xff, next, ..] if next & 0x80 != 0 => Err(bad("INTEGER not minimally encoded")),
        _ => Ok(()),
    }
}

/// A decoded BIT STRING: the bytes and the number of unused bits in the
/// last one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BitString<'a> {
    /// The octets holding the bits, first bit in the most significant
    /// position.
    pub bytes: &'a [u8],
    /// How many low-order bits of the last octet are padding (0–7).
    pub unused_bits: u8,
}

impl<'a> BitString<'a> {
    fn parse(value: &'a [u8]) -> Result<Self, CertificateError> {
        let (&unused_bits, bytes) = value.split_first().ok_or(bad("empty BIT STRING"))?;
        if unused_bits > 7 || (bytes.is_empty() && unused_bits != 0) {
            return Err(bad("BIT STRING unused-bit count invalid"));
        }
        if let Some(last) = bytes.last() {
            let mask = (1u8 << unused_bits) - 1;
            if last & mask != 0 {
                return Err(bad("BIT STRING padding bits not zero"));
            }
        }
        Ok(Self { bytes, unused_bits })
    }

    /// The octets of a BIT STRING that holds whole octets (keys,
    /// signatures); an error when padding bits are present.
    pub fn octets(&self) -> Result<&'a [u8], CertificateError> {
        if self.unused_bits == 0 {
            Ok(self.bytes)
        } else {
            Err(bad("BIT STRING is not octet-aligned"))
        }
    }

    /// Whether named bit `n` is set (bit 0 is the most significant bit of
    /// the first octet, X.690 §8.6.2).
    pub fn bit(&self, n: usize) -> bool {
        self.bytes
            .get(n / 8)
            .is_some_and(|b| b & (0x80 >> (n % 8)) != 0)
    }

    /// Checks the DER rule for named bit lists: no trailing zero bits
    /// (X.690 §11.2.2).
    pub fn check_named_bits(&self) -> Result<(), CertificateError> {
        match self.bytes.last() {
            Some(last) if last & (1u8 << self.unused_bits) == 0 => {
                Err(bad("named BIT STRING has trailing zero bits"))
            }
            _ => Ok(()),
        }
    }
}

fn digits(bytes: &[u8]) -> Result<i64, CertificateError> {
    bytes.iter().try_fold(0i64, |acc, &b| {
        if b.is_ascii_digit() {
            Ok(acc * 10 + i64::from(b - b'0'))
        } else {
            Err(bad("time has a non-digit"))
        }
    })
}

/// Parses `YYMMDDHHMMSSZ` (UTCTime, years 1950–2049 per RFC 5280
/// §4.1.2.5.1) or `YYYYMMDDHHMMSSZ` (GeneralizedTime, §4.1.2.5.2) into UNIX
/// seconds. Fractional seconds and offsets are not DER and are refused.
fn parse_time(value: &[u8], generalized: bool) -> Result<i64, CertificateError> {
    let year_len = if generalized { 4 } else { 2 };
    let (body, zone) = value
        .split_last()
        .map(|(z, body)| (body, *z))
        .ok_or(bad("empty time"))?;
    if zone != b'Z' || body.len() != year_len + 10 {
        return Err(bad("time not in the form required by RFC 5280"));
    }
    let (year, rest) = body.split_at(year_len);
    let mut year = digits(year)?;
    if !generalized {
        year += if year >= 50 { 1900 } else { 2000 };
    }
    let field = |i: usize| digits(rest.get(i..i + 2).unwrap_or_default());
    let (month, day, hour, minute, second) =
        (field(0)?, field(2)?, field(4)?, field(6)?, field(8)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(bad("time out of range"));
    }
    Ok(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the classic
/// era-based conversion; valid for every year 0–9999 a certificate can
/// carry).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_must_be_definite_and_minimal() {
        assert!(Der::new(&[0x04, 0x80, 0x00, 0x00]).element().is_err());
        assert!(Der::new(&[0x04, 0x81, 0x01, 0xaa]).element().is_err());
        assert!(Der::new(&[0x04, 0x82, 0x00, 0x81]).element().is_err());
        assert!(Der::new(&[0x04, 0x02, 0x01]).element().is_err());
        assert!(Der::new(&[0x1f, 0x01, 0x00]).element().is_err());
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 0x80]);
        assert_eq!(Der::new(&long).element().map(|e| e.value.len()), Ok(0x80));
    }

    #[test]
    fn primitive_types_follow_der() {
        assert_eq!(Der::new(&[0x01, 0x01, 0xff]).boolean(), Ok(true));
        assert!(Der::new(&[0x01, 0x01, 0x01]).boolean().is_err());
        assert!(Der::new(&[0x02, 0x02, 0x00, 0x01]).integer().is_err());
        assert!(Der::new(&[0x02, 0x02, 0xff, 0x80]).integer().is_err());
        assert!(Der::new(&[0x02, 0x00]).integer().is_err());
        assert_eq!(
            Der::new(&[0x02, 0x02, 0x00, 0x80]).small_unsigned(),
            Ok(128)
        );
        assert!(Der::new(&[0x02, 0x01, 0x80]).small_unsigned().is_err());
        assert!(Der::new(&[0x03, 0x02, 0x01, 0x01]).bit_string().is_err());
        assert!(Der::new(&[0x03, 0x01, 0x01]).bit_string().is_err());
        assert!(Der::new(&[0x06, 0x02, 0x2a, 0x86]).oid().is_err());
        assert!(Der::new(&[0x06, 0x02, 0x80, 0x01]).oid().is_err());
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
    fn named_bits_have_no_trailing_zeros() {
        // keyUsage digitalSignature|keyCertSign = 1000 0100, 2 unused bits.
        let bits = Der::new(&[0x03, 0x02, 0x02, 0x84]).bit_string().unwrap();
        assert!(bits.bit(0) && bits.bit(5) && !bits.bit(1));
        assert!(bits.check_named_bits().is_ok());
        let padded = Der::new(&[0x03, 0x02, 0x01, 0x84]).bit_string().unwrap();
        assert!(padded.check_named_bits().is_err());
    }

    // Expected values computed independently with `date -u -d ... +%s`.
    #[test]
    fn times_convert_to_unix_seconds() {
        let utc = b"\x17\x0d300101000000Z";
        assert_eq!(Der::new(utc).time(), Ok(1_893_456_000));
        let gen = b"\x18\x0f20991231235959Z";
        assert_eq!(Der::new(gen).time(), Ok(4_102_444_799));
        let old = b"\x17\x0d500229120000Z";
        assert!(Der::new(old).time().is_err(), "1950 is not a leap year");
        let leap = b"\x17\x0d000229000000Z";
        assert_eq!(Der::new(leap).time(), Ok(951_782_400));
        // RFC 5280 §4.1.2.5 wants UTCTime here, but roots in use (Certum
        // Trusted Network CA 2) carry GeneralizedTime; accepted.
        let early = b"\x18\x0f20000229000000Z";
        assert_eq!(Der::new(early).time(), Ok(951_782_400));
        assert!(Der::new(b"\x17\x0d3001010000Z00").time().is_err());
        assert!(Der::new(b"\x17\x0b3001010000Z").time().is_err());
    }
}
