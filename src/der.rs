//! The one strict reader for the Distinguished Encoding Rules (ITU-T
//! X.690 §8 and §10), shared by [`crate::pki`] (X.509 certificates,
//! RFC 5280) and [`crate::crypto`] (PKCS#1, PKCS#8 and SEC1 keys).
//!
//! Accepted: single-octet tags (tag numbers 0–30), definite lengths in
//! their shortest form, BOOLEAN as 0x00/0xFF, minimally encoded INTEGERs,
//! BIT STRINGs with zeroed padding bits, OBJECT IDENTIFIERs with minimal
//! sub-identifiers. Anything else is a [`DerError`] naming the broken rule;
//! each caller converts it into its own error. Nothing here panics or
//! indexes out of bounds. What a profile adds on top of DER (RFC 5280's
//! times and character strings) stays with that profile in `pki`.

/// The largest element length accepted: 4 length octets (X.690 §8.1.3.5
/// allows more, but no certificate or key is anywhere near 4 GiB, and a
/// bound keeps every length in `usize` on 32-bit targets).
pub const MAX_LENGTH_OCTETS: usize = 4;

pub use crate::error::DerError;

/// Universal and context-specific tags used by X.509 and the key formats
/// (X.680 §8.6, RFC 5280 §4.1).
pub mod tag {
    /// ENUMERATED (CRLReason, OCSPResponseStatus).
    pub const ENUMERATED: u8 = 0x0a;
    /// UTF8String.
    pub const UTF8_STRING: u8 = 0x0c;
    /// PrintableString.
    pub const PRINTABLE_STRING: u8 = 0x13;
    /// IA5String.
    pub const IA5_STRING: u8 = 0x16;
    /// VisibleString (a policy qualifier's DisplayText, RFC 5280 §4.2.1.4).
    pub const VISIBLE_STRING: u8 = 0x1a;
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

/// Encodes one element: `tag`, the length of `contents` in its shortest
/// definite form (X.690 §8.1.3, §10.1), then `contents`. What
/// [`Der::element`] reads back. Used to write SubjectPublicKeyInfos, to
/// rebuild `rustls-pki-types`' anchors, and by unit tests that build DER.
pub fn encode(tag: u8, contents: &[u8]) -> Vec<u8> {
    let len = contents.len();
    let mut out = Vec::with_capacity(contents.len() + 2 + MAX_LENGTH_OCTETS);
    out.push(tag);
    match u8::try_from(len) {
        Ok(short) if short < 0x80 => out.push(short),
        _ => {
            let octets = len.to_be_bytes();
            let first = octets.iter().position(|&b| b != 0).unwrap_or(0);
            let significant = octets.get(first..).unwrap_or_default();
            out.push(0x80 | u8::try_from(significant.len()).unwrap_or(0x7f));
            out.extend_from_slice(significant);
        }
    }
    out.extend_from_slice(contents);
    out
}

/// The items of a list's contents `value` (a SEQUENCE OF or SET OF, say),
/// each read from the cursor by `read`, which takes one item. An error is
/// the last item: the list is not read past it.
pub fn items<'a, T, E>(
    value: &'a [u8],
    mut read: impl FnMut(&mut Der<'a>) -> Result<T, E> + 'a,
) -> impl Iterator<Item = Result<T, E>> + 'a {
    let mut list = Der::new(value);
    core::iter::from_fn(move || {
        if list.is_empty() {
            return None;
        }
        let item = read(&mut list);
        if item.is_err() {
            list = Der::new(&[]);
        }
        Some(item)
    })
}

/// A cursor over DER bytes. Every accessor checks the DER rules for the
/// type it reads and fails with [`DerError`].
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
    pub fn finish(&self) -> Result<(), DerError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(DerError::TrailingData)
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DerError> {
        let (head, tail) = self
            .rest
            .split_at_checked(n)
            .ok_or(DerError::ElementTruncated)?;
        self.rest = tail;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, DerError> {
        let (&first, tail) = self.rest.split_first().ok_or(DerError::ElementTruncated)?;
        self.rest = tail;
        Ok(first)
    }

    /// Reads the next element, whatever its tag (X.690 §8.1.2–§8.1.3,
    /// §10.1).
    pub fn element(&mut self) -> Result<Element<'a>, DerError> {
        let start = self.rest;
        let tag = self.byte()?;
        if tag & 0x1f == 0x1f {
            return Err(DerError::HighTagNumber);
        }
        let first = self.byte()?;
        let len = if first < 0x80 {
            usize::from(first)
        } else if first == 0x80 {
            return Err(DerError::IndefiniteLength);
        } else {
            let count = usize::from(first & 0x7f);
            if count > MAX_LENGTH_OCTETS {
                return Err(DerError::LengthTooLarge);
            }
            let octets = self.take(count)?;
            if octets.first() == Some(&0) {
                return Err(DerError::LengthNotMinimal);
            }
            let len = octets
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if len < 0x80 {
                return Err(DerError::LengthNotMinimal);
            }
            len
        };
        let value = self.take(len)?;
        let raw = start
            .get(..start.len() - self.rest.len())
            .ok_or(DerError::ElementTruncated)?;
        Ok(Element { tag, value, raw })
    }

    /// Reads an element that must carry `tag` and returns it.
    pub fn expect_tag(&mut self, tag: u8) -> Result<Element<'a>, DerError> {
        match self.peek_tag() {
            Some(t) if t == tag => self.element(),
            Some(_) => Err(DerError::UnexpectedTag),
            None => Err(DerError::ElementMissing),
        }
    }

    /// Reads the contents of an element that must carry `tag`.
    pub fn read(&mut self, tag: u8) -> Result<&'a [u8], DerError> {
        Ok(self.expect_tag(tag)?.value)
    }

    /// Reads the contents of an element carrying `tag` if one is next.
    pub fn optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>, DerError> {
        if self.peek_tag() == Some(tag) {
            self.read(tag).map(Some)
        } else {
            Ok(None)
        }
    }

    /// A reader over the contents of a constructed element carrying `tag`.
    pub fn nested(&mut self, tag: u8) -> Result<Der<'a>, DerError> {
        self.read(tag).map(Der::new)
    }

    /// A reader over the contents of the one element carrying `tag` that
    /// makes up all of `bytes` (a whole RSAPublicKey, PKCS#8 or SEC1 key):
    /// anything before or after it is an error.
    pub fn whole(bytes: &'a [u8], tag: u8) -> Result<Der<'a>, DerError> {
        let mut outer = Der::new(bytes);
        let inner = outer.nested(tag)?;
        outer.finish()?;
        Ok(inner)
    }

    /// Reads a SEQUENCE and hands its contents to `f`, which must consume
    /// them all. `f` may fail with the caller's own error type.
    pub fn sequence<T, E: From<DerError>>(
        &mut self,
        f: impl FnOnce(&mut Der<'a>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut inner = self.nested(tag::SEQUENCE)?;
        let out = f(&mut inner)?;
        inner.finish()?;
        Ok(out)
    }

    /// Reads a BOOLEAN: exactly one octet, 0x00 or 0xFF (X.690 §11.1).
    pub fn boolean(&mut self) -> Result<bool, DerError> {
        match self.read(tag::BOOLEAN)? {
            [0x00] => Ok(false),
            [0xff] => Ok(true),
            _ => Err(DerError::BooleanValue),
        }
    }

    /// Reads NULL (empty contents).
    pub fn null(&mut self) -> Result<(), DerError> {
        match self.read(tag::NULL)? {
            [] => Ok(()),
            _ => Err(DerError::NullWithContents),
        }
    }

    /// Reads an INTEGER and returns its two's-complement contents, checked
    /// to be non-empty and minimal (X.690 §8.3.2).
    pub fn integer(&mut self) -> Result<&'a [u8], DerError> {
        let value = self.read(tag::INTEGER)?;
        check_integer(value)?;
        Ok(value)
    }

    /// Reads a non-negative INTEGER and returns its magnitude: big-endian,
    /// without the octet that only clears the sign bit (empty for zero).
    pub fn unsigned_integer(&mut self) -> Result<&'a [u8], DerError> {
        magnitude(self.read(tag::INTEGER)?)
    }

    /// Reads an INTEGER greater than zero (an RSA modulus or exponent,
    /// RFC 8017 §A.1) and returns its magnitude, as
    /// [`Der::unsigned_integer`].
    pub fn positive_integer(&mut self) -> Result<&'a [u8], DerError> {
        match self.unsigned_integer()? {
            [] => Err(DerError::IntegerNotPositive),
            magnitude => Ok(magnitude),
        }
    }

    /// Reads a non-negative INTEGER that fits in a `u64`.
    pub fn small_unsigned(&mut self) -> Result<u64, DerError> {
        let value = self.read(tag::INTEGER)?;
        small_unsigned(value)
    }

    /// Reads a non-negative INTEGER that fits in a `u64` and is encoded
    /// with the IMPLICIT tag `implicit` (X.680 §31.2.7), if one is next.
    pub fn optional_small_unsigned(&mut self, implicit: u8) -> Result<Option<u64>, DerError> {
        self.optional(implicit)?.map(small_unsigned).transpose()
    }

    /// Reads an ENUMERATED whose value fits in one octet (CRLReason,
    /// OCSPResponseStatus), encoded like an INTEGER (X.690 §8.4).
    pub fn small_enumerated(&mut self) -> Result<u8, DerError> {
        let value = self.read(tag::ENUMERATED)?;
        check_integer(value)?;
        match value {
            [v] if v & 0x80 == 0 => Ok(*v),
            [_] => Err(DerError::NegativeInteger),
            _ => Err(DerError::IntegerTooLarge),
        }
    }

    /// Reads a BIT STRING (X.690 §8.6, §11.2).
    pub fn bit_string(&mut self) -> Result<BitString<'a>, DerError> {
        BitString::parse(self.read(tag::BIT_STRING)?)
    }

    /// Reads an OBJECT IDENTIFIER and returns its contents octets, checked
    /// to be non-empty with minimal sub-identifiers (X.690 §8.19.2).
    pub fn oid(&mut self) -> Result<&'a [u8], DerError> {
        let value = self.read(tag::OID)?;
        let mut at_start = true;
        for &b in value {
            if at_start && b == 0x80 {
                return Err(DerError::OidNotMinimal);
            }
            at_start = b & 0x80 == 0;
        }
        if value.is_empty() || !at_start {
            return Err(DerError::OidTruncated);
        }
        Ok(value)
    }
}

/// The number of significant bits of a non-negative big-endian integer
/// (leading zero octets, such as DER's sign octet, count for nothing): the
/// size of an RSA modulus (RFC 8017 §3.1).
pub fn bit_length(unsigned: &[u8]) -> usize {
    let first = unsigned.iter().position(|&b| b != 0);
    let digits = first.and_then(|i| unsigned.get(i..)).unwrap_or_default();
    match digits.split_first() {
        Some((&top, rest)) => rest
            .len()
            .saturating_mul(8)
            .saturating_add(8 - top.leading_zeros() as usize),
        None => 0,
    }
}

/// Checks an INTEGER's contents: non-empty and minimally encoded.
/// The magnitude of a non-negative INTEGER's contents: big-endian, without
/// the octet that only clears the sign bit (empty for zero).
fn magnitude(value: &[u8]) -> Result<&[u8], DerError> {
    check_integer(value)?;
    match value {
        [first, ..] if first & 0x80 != 0 => Err(DerError::NegativeInteger),
        [0, rest @ ..] => Ok(rest),
        other => Ok(other),
    }
}

/// A non-negative INTEGER's contents as a `u64`, when it fits.
fn small_unsigned(value: &[u8]) -> Result<u64, DerError> {
    let digits = magnitude(value)?;
    if digits.len() > 8 {
        return Err(DerError::IntegerTooLarge);
    }
    Ok(digits
        .iter()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

fn check_integer(value: &[u8]) -> Result<(), DerError> {
    match value {
        [] => Err(DerError::EmptyInteger),
        [0x00, next, ..] if next & 0x80 == 0 => Err(DerError::IntegerNotMinimal),
        [0xff, next, ..] if next & 0x80 != 0 => Err(DerError::IntegerNotMinimal),
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
    /// A BIT STRING's contents octets (X.690 §8.6), also under an
    /// implicit tag: the unused-bit count, in range, and zero padding.
    pub fn parse(value: &'a [u8]) -> Result<Self, DerError> {
        let (&unused_bits, bytes) = value.split_first().ok_or(DerError::EmptyBitString)?;
        if unused_bits > 7 || (bytes.is_empty() && unused_bits != 0) {
            return Err(DerError::BitStringUnusedBits);
        }
        if let Some(last) = bytes.last() {
            let mask = (1u8 << unused_bits) - 1;
            if last & mask != 0 {
                return Err(DerError::BitStringPadding);
            }
        }
        Ok(Self { bytes, unused_bits })
    }

    /// The octets of a BIT STRING that holds whole octets (keys,
    /// signatures); an error when padding bits are present.
    pub fn octets(&self) -> Result<&'a [u8], DerError> {
        if self.unused_bits == 0 {
            Ok(self.bytes)
        } else {
            Err(DerError::BitStringNotOctetAligned)
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
    pub fn check_named_bits(&self) -> Result<(), DerError> {
        match self.bytes.last() {
            Some(last) if last & (1u8 << self.unused_bits) == 0 => {
                Err(DerError::NamedBitStringTrailingZeros)
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_must_be_definite_and_minimal() {
        assert!(Der::new(&[0x04, 0x80, 0x00, 0x00]).element().is_err());
        assert!(Der::new(&[0x04, 0x81, 0x01, 0xaa]).element().is_err());
        assert!(Der::new(&[0x04, 0x81, 0x05, 1, 2, 3, 4, 5])
            .element()
            .is_err());
        assert!(Der::new(&[0x04, 0x82, 0x00, 0x81]).element().is_err());
        assert!(Der::new(&[0x04, 0x85, 1, 0, 0, 0, 0]).element().is_err());
        assert!(Der::new(&[0x04, 0x02, 0x01]).element().is_err());
        assert!(Der::new(&[0x1f, 0x01, 0x00]).element().is_err());
        assert_eq!(
            Der::new(&[0x04, 0x02, 1, 2]).read(tag::OCTET_STRING),
            Ok(&[1u8, 2][..])
        );
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 0x80]);
        assert_eq!(Der::new(&long).element().map(|e| e.value.len()), Ok(0x80));
    }

    #[test]
    fn encoded_elements_read_back() {
        for len in [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x1_0000] {
            let contents = vec![0xa5; len];
            let der = encode(tag::SEQUENCE, &contents);
            assert_eq!(Der::whole(&der, tag::SEQUENCE).map(|_| ()), Ok(()), "{len}");
            assert_eq!(Der::new(&der).read(tag::SEQUENCE), Ok(&contents[..]));
        }
        assert_eq!(encode(tag::NULL, &[]), [0x05, 0x00]);
        assert_eq!(
            encode(tag::OCTET_STRING, &[0; 0x80])[..3],
            [0x04, 0x81, 0x80]
        );
    }

    #[test]
    fn tags_must_match() {
        assert_eq!(
            Der::new(&[0x04, 0x00]).read(tag::INTEGER),
            Err(DerError::UnexpectedTag)
        );
        assert_eq!(
            Der::new(&[]).read(tag::INTEGER),
            Err(DerError::ElementMissing)
        );
        assert_eq!(Der::new(&[0x04, 0x00]).optional(tag::INTEGER), Ok(None));
    }

    #[test]
    fn whole_refuses_bytes_around_the_element() {
        let mut inner = Der::whole(&[0x30, 0x03, 0x02, 0x01, 0x05], tag::SEQUENCE).unwrap();
        assert_eq!(inner.small_unsigned(), Ok(5));
        assert!(Der::whole(&[0x30, 0x00, 0x00], tag::SEQUENCE).is_err());
        assert!(Der::whole(&[0x31, 0x00], tag::SEQUENCE).is_err());
    }

    #[test]
    fn sequence_must_be_consumed_and_passes_the_callers_error() {
        #[derive(Debug, PartialEq)]
        struct Mine(&'static str);
        impl From<DerError> for Mine {
            fn from(e: DerError) -> Self {
                Mine(e.text())
            }
        }
        let two = [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02];
        let first = Der::new(&two).sequence(|s| s.small_unsigned().map_err(Mine::from));
        assert_eq!(first, Err(Mine("trailing data")));
        let own = Der::new(&two).sequence(|_| Err::<(), _>(Mine("own")));
        assert_eq!(own, Err(Mine("own")));
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
    fn integers_must_be_positive_and_minimal() {
        let positive = |bytes: &[u8]| Der::new(bytes).positive_integer().map(<[u8]>::to_vec);
        assert_eq!(positive(&[0x02, 0x02, 0x00, 0x80]), Ok(vec![0x80]));
        assert_eq!(positive(&[0x02, 0x01, 0x7f]), Ok(vec![0x7f]));
        assert!(positive(&[0x02, 0x01, 0x80]).is_err(), "negative");
        assert!(positive(&[0x02, 0x02, 0x00, 0x01]).is_err(), "non-minimal");
        assert!(positive(&[0x02, 0x01, 0x00]).is_err(), "zero");
        assert!(positive(&[0x02, 0x00]).is_err(), "empty");
        assert_eq!(
            Der::new(&[0x02, 0x01, 0x00]).unsigned_integer(),
            Ok(&[][..])
        );
    }

    #[test]
    fn bit_length_counts_significant_bits() {
        assert_eq!(bit_length(&[0x01, 0x00]), 9);
        assert_eq!(bit_length(&[0xff]), 8);
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x00]), 0);
        assert_eq!(bit_length(&[]), 0);
    }

    #[test]
    fn named_bits_have_no_trailing_zeros() {
        // keyUsage digitalSignature|keyCertSign = 1000 0100, 2 unused bits.
        let bits = Der::new(&[0x03, 0x02, 0x02, 0x84]).bit_string().unwrap();
        assert!(bits.bit(0) && bits.bit(5) && !bits.bit(1));
        assert!(bits.check_named_bits().is_ok());
        let padded = Der::new(&[0x03, 0x02, 0x01, 0x84]).bit_string().unwrap();
        assert!(padded.check_named_bits().is_err());
        assert_eq!(padded.octets(), Err(DerError::BitStringNotOctetAligned));
    }
}
