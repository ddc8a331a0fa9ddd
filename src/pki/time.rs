//! Time (RFC 5280 §4.1.2.5): UTCTime and GeneralizedTime in the `Z` forms
//! RFC 5280 requires, read as UNIX seconds for the validity period. The
//! DER reader itself is `crate::der`.

use crate::der::{tag, Der};
use crate::error::CertificateError;

fn bad(why: &'static str) -> CertificateError {
    CertificateError::BadEncoding(why)
}

/// 2050-01-01T00:00:00Z in UNIX seconds: RFC 5280 §4.1.2.5 has CAs
/// encode validity dates before it as UTCTime, and from it on as
/// GeneralizedTime.
pub const FIRST_GENERALIZED_TIME: i64 = 2_524_608_000;

/// Reads a UTCTime or GeneralizedTime as UNIX seconds (RFC 5280
/// §4.1.2.5). Fails with [`CertificateError::BadEncoding`] on another tag
/// or a time not in the form RFC 5280 requires.
pub fn read(der: &mut Der<'_>) -> Result<i64, CertificateError> {
    read_with_form(der).map(|(time, _)| time)
}

/// [`read`], and whether the time is in the type RFC 5280 §4.1.2.5 asks
/// a CA to choose for it: UTCTime through 2049, GeneralizedTime from
/// 2050 ([`FIRST_GENERALIZED_TIME`]). (A UTCTime cannot hold a later
/// year, so only a GeneralizedTime can be in the wrong type.)
pub fn read_with_form(der: &mut Der<'_>) -> Result<(i64, bool), CertificateError> {
    let element = der.element()?;
    match element.tag {
        tag::UTC_TIME => Ok((parse_time(element.value, false)?, true)),
        tag::GENERALIZED_TIME => {
            let time = parse_time(element.value, true)?;
            Ok((time, time >= FIRST_GENERALIZED_TIME))
        }
        _ => Err(bad("unexpected tag for a time")),
    }
}

/// The UNIX seconds of a GeneralizedTime's contents, `YYYYMMDDHHMMSSZ`
/// (RFC 5280 §4.1.2.5.2), for times given outside a certificate (a test
/// suite's validation time, say).
pub fn generalized_time(value: &[u8]) -> Result<i64, CertificateError> {
    parse_time(value, true)
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

    // Expected values computed independently with `date -u -d ... +%s`.
    #[test]
    fn times_convert_to_unix_seconds() {
        let read = |bytes: &[u8]| super::read(&mut Der::new(bytes));
        assert_eq!(read(b"\x17\x0d300101000000Z"), Ok(1_893_456_000));
        assert_eq!(read(b"\x18\x0f20991231235959Z"), Ok(4_102_444_799));
        let old = b"\x17\x0d500229120000Z";
        assert!(read(old).is_err(), "1950 is not a leap year");
        assert_eq!(read(b"\x17\x0d000229000000Z"), Ok(951_782_400));
        // RFC 5280 §4.1.2.5 wants UTCTime here, but roots in use (Certum
        // Trusted Network CA 2) carry GeneralizedTime: read, and marked as
        // out of form for the profiles to judge.
        assert_eq!(read(b"\x18\x0f20000229000000Z"), Ok(951_782_400));
        let form = |bytes: &[u8]| read_with_form(&mut Der::new(bytes)).map(|(_, form)| form);
        assert_eq!(form(b"\x18\x0f20491231235959Z"), Ok(false));
        assert_eq!(form(b"\x18\x0f20500101000000Z"), Ok(true));
        assert_eq!(form(b"\x17\x0d491231235959Z"), Ok(true));
        assert_eq!(form(b"\x17\x0d500101000000Z"), Ok(true));
        assert!(read(b"\x17\x0d3001010000Z00").is_err());
        assert!(read(b"\x17\x0b3001010000Z").is_err());
        assert_eq!(
            read(b"\x04\x0d300101000000Z"),
            Err(bad("unexpected tag for a time"))
        );
    }
}
