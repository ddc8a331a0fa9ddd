//! CRL distribution points: a certificate's cRLDistributionPoints (RFC
//! 5280 §4.2.1.13), the distributionPoint and onlySomeReasons of a CRL's
//! issuingDistributionPoint (§5.2.5), and the two checks of §6.3.3 that
//! join them: whether a CRL is one the certificate's points name ((b)(1),
//! (b)(2)(i)), and for which revocation reasons it answers ((d)).
//!
//! ```text
//!  certificate                            CRL (issuer I)
//!  cRLDistributionPoints                  issuingDistributionPoint
//!    DP 1: name N1, reasons R1              name M, onlySomeReasons S
//!    DP 2: name N2
//!    (every certificate, §6.3.3 end:
//!     the issuer's own name, all reasons)
//!
//!  the CRL answers for  ∪ { S ∩ Ri  :  M absent, or M and Ni share a name }
//!  over the points whose CRL issuer is I: the certificate's issuer, or
//!  for a point with a cRLIssuer that issuer, if the CRL is indirect
//!  (an absent S or Ri is every reason; an empty union: not this CRL)
//! ```
//!
//! A name relative to the CRL issuer (nameRelativeToCRLIssuer) is that
//! issuer's Name with the RDN appended. Directory names match as RFC 5280
//! §7.1 has them compared; other GeneralNames match when their encodings
//! are equal. A point with a cRLIssuer names an indirect CRL of that
//! issuer (RFC 5280 §5.2.5, §6.3.3 (b)(1)).

use super::name_match::names_match;
use super::names::{self, DIRECTORY_NAME};
use crate::der::{self, tag, BitString, Der, Element};
use crate::error::CertificateError;
use std::borrow::Cow;

/// The most DistributionPoints one cRLDistributionPoints may hold; real
/// certificates carry one or two.
pub const MAX_DISTRIBUTION_POINTS: usize = 16;

/// A set of revocation reasons, bit n standing for ReasonFlags bit n
/// (RFC 5280 §4.2.1.13: keyCompromise (1) … aACompromise (8); bit 0 is
/// `unused` and stands for no reason).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reasons(u16);

impl Reasons {
    /// No reason.
    pub const NONE: Self = Self(0);
    /// all-reasons (RFC 5280 §6.3.3): ReasonFlags bits 1 to 8.
    pub const ALL: Self = Self(0x1fe);

    /// A ReasonFlags named-bit BIT STRING (DER: no trailing zero bits).
    fn read(bits: BitString<'_>) -> Result<Self, CertificateError> {
        bits.check_named_bits()?;
        if bits.bytes.len() > 2 {
            return Err(CertificateError::BadEncoding(
                "ReasonFlags longer than its nine bits",
            ));
        }
        let mask = (0..=8).filter(|&n| bits.bit(n)).fold(0, |m, n| m | 1 << n);
        Ok(Self(mask & Self::ALL.0))
    }

    /// The reasons in both sets.
    pub fn and(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    /// The reasons in either set.
    pub fn or(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether the set holds every reason.
    pub fn is_all(self) -> bool {
        self == Self::ALL
    }
}

/// A DistributionPointName (RFC 5280 §4.2.1.13).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PointName<'a> {
    /// fullName: the contents of its GeneralNames.
    Full(&'a [u8]),
    /// nameRelativeToCRLIssuer: the attributes of a
    /// RelativeDistinguishedName (the contents of its SET, which the
    /// implicit `[1]` tag replaces), to be appended to the CRL issuer's
    /// Name as one more RDN.
    Relative(&'a [u8]),
}

/// One DistributionPoint of a certificate's cRLDistributionPoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DistributionPoint<'a> {
    /// distributionPoint, if present.
    pub name: Option<PointName<'a>>,
    /// reasons; absent means every reason.
    pub reasons: Option<Reasons>,
    /// cRLIssuer: the contents of its GeneralNames, if present.
    pub crl_issuer: Option<&'a [u8]>,
}

/// What a CRL's issuingDistributionPoint says of the points it serves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IssuingPoint<'a> {
    /// distributionPoint, if present.
    pub name: Option<PointName<'a>>,
    /// onlySomeReasons; absent means every reason.
    pub reasons: Option<Reasons>,
    /// indirectCRL: the CRL may list certificates of other issuers than
    /// its own (RFC 5280 §5.2.5).
    pub indirect: bool,
}

/// Reads an optional `[0] DistributionPointName` (the CHOICE makes the tag
/// explicit): fullName `[0]` GeneralNames, at least one, each a
/// GeneralName; nameRelativeToCRLIssuer `[1]` a non-empty SET of
/// attributes.
pub(crate) fn read_point_name<'a>(
    d: &mut Der<'a>,
) -> Result<Option<PointName<'a>>, CertificateError> {
    let Some(choice) = d.optional(tag::context_constructed(0))? else {
        return Ok(None);
    };
    let mut choice = Der::new(choice);
    let name = choice.element()?;
    choice.finish()?;
    match name.tag {
        t if t == tag::context_constructed(0) => {
            names::check_general_names(name.value, "empty fullName")?;
            Ok(Some(PointName::Full(name.value)))
        }
        t if t == tag::context_constructed(1) => {
            if name.value.is_empty() {
                return Err(CertificateError::BadEncoding(
                    "empty nameRelativeToCRLIssuer",
                ));
            }
            let mut attributes = Der::new(name.value);
            while !attributes.is_empty() {
                attributes.sequence(|atv| {
                    atv.oid()?;
                    atv.element()?;
                    Ok::<_, CertificateError>(())
                })?;
            }
            Ok(Some(PointName::Relative(name.value)))
        }
        _ => Err(CertificateError::BadEncoding("not a DistributionPointName")),
    }
}

/// Reads an optional `[n] IMPLICIT ReasonFlags`.
pub(crate) fn read_reasons(d: &mut Der<'_>, n: u8) -> Result<Option<Reasons>, CertificateError> {
    d.optional(tag::context_primitive(n))?
        .map(|value| Reasons::read(BitString::parse(value)?))
        .transpose()
}

/// cRLDistributionPoints (RFC 5280 §4.2.1.13): `SEQUENCE SIZE (1..MAX) OF
/// DistributionPoint`, each with a distributionPoint or a cRLIssuer (not
/// reasons alone), at most [`MAX_DISTRIBUTION_POINTS`]. Returns the
/// contents, which [`distribution_points`] walks.
pub fn read_crl_distribution_points<'a>(d: &mut Der<'a>) -> Result<&'a [u8], CertificateError> {
    let value = d.read(tag::SEQUENCE)?;
    let mut count = 0;
    for point in distribution_points(value) {
        point?;
        count += 1;
        if count > MAX_DISTRIBUTION_POINTS {
            return Err(CertificateError::BadEncoding(
                "more distribution points than MAX_DISTRIBUTION_POINTS",
            ));
        }
    }
    if count == 0 {
        return Err(CertificateError::BadEncoding("empty cRLDistributionPoints"));
    }
    Ok(value)
}

/// The DistributionPoints of cRLDistributionPoints contents.
pub fn distribution_points(
    value: &[u8],
) -> impl Iterator<Item = Result<DistributionPoint<'_>, CertificateError>> {
    der::items(value, |list| list.sequence(read_distribution_point))
}

fn read_distribution_point<'a>(d: &mut Der<'a>) -> Result<DistributionPoint<'a>, CertificateError> {
    let name = read_point_name(d)?;
    let reasons = read_reasons(d, 1)?;
    let crl_issuer = d.optional(tag::context_constructed(2))?;
    if let Some(issuers) = crl_issuer {
        names::check_general_names(issuers, "empty cRLIssuer")?;
    }
    if name.is_none() && crl_issuer.is_none() {
        return Err(CertificateError::BadEncoding(
            "distribution point with neither a name nor a cRLIssuer",
        ));
    }
    Ok(DistributionPoint {
        name,
        reasons,
        crl_issuer,
    })
}

/// The reasons a CRL issued by `crl_issuer` (whole Name) with `idp` answers
/// for about a certificate issued by `cert_issuer` whose
/// cRLDistributionPoints contents are `points` (RFC 5280 §6.3.3 (b), (d));
/// [`Reasons::NONE`] when it does not serve the certificate.
///
/// A point serves when the CRL is its CRL issuer's ((b)(1): the
/// certificate's issuer, or, for a point with a cRLIssuer, a name of
/// that field, and then only an indirect CRL) and, when the CRL names a
/// distribution point, one of its names is one of the point's ((b)(2)(i):
/// the point's distributionPoint, or its cRLIssuer when it has none).
/// Every certificate also has the point §6.3.3 gives it for CRLs no
/// point names: its issuer's name, for every reason.
pub fn reasons_served(
    idp: &IssuingPoint<'_>,
    crl_issuer: &[u8],
    cert_issuer: &[u8],
    points: Option<&[u8]>,
) -> Reasons {
    let scoped = idp.reasons.unwrap_or(Reasons::ALL);
    let served = idp.name.map(|name| aliases(&name, crl_issuer));
    let named = |point: &[Alias<'_>]| {
        served
            .as_ref()
            .is_none_or(|served| served.iter().any(|a| point.iter().any(|b| a.matches(b))))
    };
    let direct = names_match(crl_issuer, cert_issuer);
    let own = [Alias::Directory(cert_issuer.into())];
    let mut reasons = if direct && named(&own) {
        scoped
    } else {
        Reasons::NONE
    };
    for point in points.into_iter().flat_map(distribution_points).flatten() {
        let names = match (point.crl_issuer, point.name) {
            (None, Some(name)) if direct => aliases(&name, cert_issuer),
            (Some(issuers), name) if idp.indirect => {
                let issuers = aliases(&PointName::Full(issuers), crl_issuer);
                let own = Alias::Directory(crl_issuer.into());
                if !issuers.iter().any(|issuer| issuer.matches(&own)) {
                    continue;
                }
                match name {
                    Some(name) => aliases(&name, crl_issuer),
                    None => issuers,
                }
            }
            _ => continue,
        };
        if named(&names) {
            reasons = reasons.or(scoped.and(point.reasons.unwrap_or(Reasons::ALL)));
        }
    }
    reasons
}

/// One name a distribution point goes by.
enum Alias<'a> {
    /// A GeneralName other than a directoryName.
    General(Element<'a>),
    /// A directoryName: a whole Name element.
    Directory(Cow<'a, [u8]>),
}

impl Alias<'_> {
    /// Directory names match as RFC 5280 §7.1 compares names; other names
    /// when they are the same form with the same octets.
    fn matches(&self, other: &Alias<'_>) -> bool {
        match (self, other) {
            (Self::Directory(a), Alias::Directory(b)) => names_match(a, b),
            (Self::General(a), Alias::General(b)) => a.tag == b.tag && a.value == b.value,
            _ => false,
        }
    }
}

/// The names `point` goes by; a name relative to the CRL issuer is `base`
/// (the CRL issuer's Name) with the RDN appended.
fn aliases<'a>(point: &PointName<'a>, base: &[u8]) -> Vec<Alias<'a>> {
    match *point {
        PointName::Full(names) => {
            let mut list = Der::new(names);
            core::iter::from_fn(|| list.element().ok())
                .map(|name| match name.tag {
                    DIRECTORY_NAME => Alias::Directory(name.value.into()),
                    _ => Alias::General(name),
                })
                .collect()
        }
        PointName::Relative(attributes) => Der::new(base)
            .read(tag::SEQUENCE)
            .map(|rdns| {
                let mut contents = rdns.to_vec();
                contents.extend_from_slice(&der::encode(tag::SET, attributes));
                vec![Alias::Directory(
                    der::encode(tag::SEQUENCE, &contents).into(),
                )]
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::der::encode as tlv;

    /// A Name of one RDN, `cn=` `value` as a UTF8String.
    fn name(value: &[u8]) -> Vec<u8> {
        tlv(tag::SEQUENCE, &rdn(0x0c, value))
    }

    /// One RDN: commonName in a string of type `string_tag`.
    fn rdn(string_tag: u8, value: &[u8]) -> Vec<u8> {
        let atv = [tlv(tag::OID, &[0x55, 0x04, 0x03]), tlv(string_tag, value)].concat();
        tlv(tag::SET, &tlv(tag::SEQUENCE, &atv))
    }

    fn uri(text: &str) -> Vec<u8> {
        tlv(0x86, text.as_bytes())
    }

    /// A DistributionPoint with a fullName of `names`, and `extra` after.
    fn full_point(names: &[u8], extra: &[u8]) -> Vec<u8> {
        let name = tlv(0xa0, &tlv(0xa0, names));
        tlv(tag::SEQUENCE, &[name, extra.to_vec()].concat())
    }

    /// ReasonFlags under implicit tag `n`, named bits `bits` set.
    fn reasons(n: u8, bits: &[usize]) -> Vec<u8> {
        let mut octets = [0u8; 2];
        for &b in bits {
            octets[b / 8] |= 0x80 >> (b % 8);
        }
        let used = if octets[1] == 0 { 1 } else { 2 };
        let last = octets[used - 1];
        let unused = last.trailing_zeros().min(7) as u8;
        let mut value = vec![unused];
        value.extend_from_slice(&octets[..used]);
        tlv(tag::context_primitive(n), &value)
    }

    fn served(idp: IssuingPoint<'_>, points: Option<&[u8]>) -> Reasons {
        reasons_served(&idp, &name(b"ca"), &name(b"ca"), points)
    }

    fn points(list: &[Vec<u8>]) -> Vec<u8> {
        let contents = list.concat();
        read_crl_distribution_points(&mut Der::new(&tlv(tag::SEQUENCE, &contents)))
            .expect("cRLDistributionPoints")
            .to_vec()
    }

    #[test]
    fn a_crl_without_a_point_name_serves_every_certificate_of_its_issuer() {
        let a = points(&[full_point(&uri("http://a/"), &[])]);
        assert_eq!(served(IssuingPoint::default(), None), Reasons::ALL);
        assert_eq!(served(IssuingPoint::default(), Some(&a)), Reasons::ALL);
    }

    #[test]
    fn a_point_name_serves_the_certificates_naming_it_or_its_issuer() {
        let a_uri = uri("http://a/");
        let a = points(&[full_point(&a_uri, &[])]);
        let b = points(&[full_point(&uri("http://b/"), &[])]);
        let at_a = IssuingPoint {
            name: Some(PointName::Full(&a_uri)),
            reasons: None,
            indirect: false,
        };
        assert_eq!(served(at_a, Some(&a)), Reasons::ALL);
        assert_eq!(served(at_a, Some(&b)), Reasons::NONE);
        assert_eq!(served(at_a, None), Reasons::NONE);
        // §6.3.3: every certificate has a point named after its issuer.
        let issuer = tlv(DIRECTORY_NAME, &name(b"ca"));
        let at_issuer = IssuingPoint {
            name: Some(PointName::Full(&issuer)),
            reasons: None,
            indirect: false,
        };
        assert_eq!(served(at_issuer, None), Reasons::ALL);
        assert_eq!(served(at_issuer, Some(&b)), Reasons::ALL);
    }

    #[test]
    fn a_relative_name_is_the_crl_issuer_with_one_more_rdn() {
        // The certificate's point: nameRelativeToCRLIssuer cn=part1
        // (PrintableString); the CRL's: fullName of the whole name, with
        // the RDN as a UTF8String, which RFC 5280 §7.1 matches.
        let printable = rdn(0x13, b"part1");
        let mut set = Der::new(&printable);
        let attributes = set.read(tag::SET).expect("a SET");
        let relative = tlv(
            tag::SEQUENCE,
            &tlv(0xa0, &tlv(tag::context_constructed(1), attributes)),
        );
        let cert_points = points(&[relative]);
        let whole = [rdn(0x0c, b"ca"), rdn(0x0c, b"part1")].concat();
        let crl_name = tlv(DIRECTORY_NAME, &tlv(tag::SEQUENCE, &whole));
        let idp = IssuingPoint {
            name: Some(PointName::Full(&crl_name)),
            reasons: None,
            indirect: false,
        };
        assert_eq!(served(idp, Some(&cert_points)), Reasons::ALL);
        let other = [rdn(0x0c, b"ca"), rdn(0x0c, b"part2")].concat();
        let other = tlv(DIRECTORY_NAME, &tlv(tag::SEQUENCE, &other));
        let idp = IssuingPoint {
            name: Some(PointName::Full(&other)),
            reasons: None,
            indirect: false,
        };
        assert_eq!(served(idp, Some(&cert_points)), Reasons::NONE);
    }

    #[test]
    fn reasons_are_what_both_the_crl_and_the_point_name() {
        let a_uri = uri("http://a/");
        let key_compromise = points(&[full_point(&a_uri, &reasons(1, &[1]))]);
        let compromises = read_reasons(&mut Der::new(&reasons(3, &[1, 2])), 3)
            .expect("ReasonFlags")
            .expect("present");
        assert_eq!(compromises, Reasons(0b110));
        let idp = IssuingPoint {
            name: Some(PointName::Full(&a_uri)),
            reasons: Some(compromises),
            indirect: false,
        };
        assert_eq!(served(idp, Some(&key_compromise)), Reasons(0b10));
        // Without a name the CRL also serves the issuer's own point.
        let unnamed = IssuingPoint {
            name: None,
            reasons: Some(compromises),
            indirect: false,
        };
        assert_eq!(served(unnamed, Some(&key_compromise)), compromises);
        assert!(Reasons(0b110).or(Reasons(0x1f8)).is_all());
    }

    #[test]
    fn a_point_with_a_crl_issuer_is_served_by_that_issuers_indirect_crl() {
        let a_uri = uri("http://a/");
        let crl_issuer = tlv(
            tag::context_constructed(2),
            &tlv(DIRECTORY_NAME, &name(b"other")),
        );
        let at_other = points(&[full_point(&a_uri, &crl_issuer)]);
        let idp = |indirect| IssuingPoint {
            name: Some(PointName::Full(&a_uri)),
            reasons: None,
            indirect,
        };
        let by = |crl: &[u8], idp: IssuingPoint<'_>| {
            reasons_served(&idp, crl, &name(b"ca"), Some(&at_other))
        };
        // §6.3.3 (b)(1): the point's cRLIssuer, and an indirect CRL.
        assert_eq!(by(&name(b"other"), idp(true)), Reasons::ALL);
        assert_eq!(by(&name(b"other"), idp(false)), Reasons::NONE);
        assert_eq!(by(&name(b"third"), idp(true)), Reasons::NONE);
        // The certificate's own issuer does not serve that point.
        assert_eq!(by(&name(b"ca"), idp(true)), Reasons::NONE);
        // A point without a name is named by its cRLIssuer.
        let nameless = points(&[tlv(tag::SEQUENCE, &crl_issuer)]);
        let other = tlv(DIRECTORY_NAME, &name(b"other"));
        let named_other = IssuingPoint {
            name: Some(PointName::Full(&other)),
            reasons: None,
            indirect: true,
        };
        assert_eq!(
            reasons_served(&named_other, &name(b"other"), &name(b"ca"), Some(&nameless)),
            Reasons::ALL
        );
    }

    #[test]
    fn malformed_points_are_refused() {
        let read = |contents: &[u8]| {
            read_crl_distribution_points(&mut Der::new(&tlv(tag::SEQUENCE, contents))).map(|_| ())
        };
        assert_eq!(
            read(&[]),
            Err(CertificateError::BadEncoding("empty cRLDistributionPoints"))
        );
        assert_eq!(
            read(&tlv(tag::SEQUENCE, &reasons(1, &[1]))),
            Err(CertificateError::BadEncoding(
                "distribution point with neither a name nor a cRLIssuer"
            ))
        );
        let one = full_point(&uri("http://a/"), &[]);
        assert_eq!(read(&one.repeat(MAX_DISTRIBUTION_POINTS)), Ok(()));
        assert_eq!(
            read(&one.repeat(MAX_DISTRIBUTION_POINTS + 1)),
            Err(CertificateError::BadEncoding(
                "more distribution points than MAX_DISTRIBUTION_POINTS"
            ))
        );
        // ReasonFlags are a named-bit list: no trailing zero bits.
        let padded = tlv(tag::context_primitive(1), &[0, 0x40, 0]);
        assert!(read(&full_point(&uri("http://a/"), &padded)).is_err());
    }
}
