//! Name constraints (RFC 5280 §4.2.1.10): their syntax in a CA
//! certificate, and whether the names of a certificate below that CA lie
//! within them (§6.1.3 (b)-(c)). Every form RFC 5280 defines a matching
//! rule for is processed: dNSName, iPAddress, rfc822Name,
//! uniformResourceIdentifier and directoryName. The other forms are
//! refused only where they would decide something: a constraint of such a
//! form over a certificate that holds a name of that form.
//!
//! The names of a certificate are its subjectAltName entries, its subject
//! (a directoryName, §6.1.3 (b)), the emailAddress attributes of its
//! subject (rfc822Names, §4.2.1.10) and, in an end entity without a
//! subjectAltName, a subject common name that looks like a host name (a
//! dNSName). RFC 5280 and the baseline requirements are silent on the
//! common name, and ferrotls never matches it (RFC 9525 leaves
//! common names out); an end entity that names nothing else is the one a
//! client could only know by its common name, so that is when it is
//! constrained. This is mozilla::pkix's rule, and BetterTLS's cases take
//! it; OpenSSL also constrains it beside a subjectAltName without a
//! dNSName, and rustls-webpki never does.

use super::name_match;
use super::names::{self, check_dns_syntax, check_name, DnsForm, GeneralName};
use super::oid;
use crate::der::{self, tag, Der};
use crate::error::CertificateError;

/// The most (name, constraint subtree) comparisons one validation may
/// make, over every CA and every certificate below it on every path
/// tried. A constraint bomb (a CA with hundreds of subtrees over leaves
/// with hundreds of names, presented in many candidate paths) would
/// otherwise cost their product again and again. Real chains stay far
/// below: constrained CAs carry tens of subtrees and large leaves a few
/// hundred names (200 names under 100 subtrees is 20,000). RFC 5280 sets
/// no bound; this is a denial-of-service guard, like the one RFC 4158 §5
/// recommends for path building.
pub const MAX_NAME_CONSTRAINT_CHECKS: usize = 250_000;

/// The names of one certificate that the name constraints of the CAs
/// above it apply to.
#[derive(Clone, Copy, Debug)]
pub struct ConstrainedNames<'a> {
    /// The subject Name, whole DER element.
    pub subject: &'a [u8],
    /// The subjectAltName contents, if any.
    pub subject_alt_name: Option<&'a [u8]>,
    /// Whether this is the end entity, whose common name counts as a
    /// dNSName when it looks like a host name and there is no
    /// subjectAltName.
    pub end_entity: bool,
}

impl<'a> ConstrainedNames<'a> {
    /// Every name, in the form it is constrained as.
    fn collect(&self) -> Result<Vec<GeneralName<'a>>, CertificateError> {
        let mut out = Vec::new();
        if let Some(san) = self.subject_alt_name {
            for name in names::general_names(san) {
                out.push(name?);
            }
        }
        let common_name_counts = self.end_entity && self.subject_alt_name.is_none();
        if !Der::whole(self.subject, tag::SEQUENCE)?.is_empty() {
            out.push(GeneralName::Directory(self.subject));
        }
        names::for_each_attribute(self.subject, |id, value| {
            if id == oid::EMAIL_ADDRESS {
                out.push(GeneralName::Email(value.value));
            } else if id == oid::COMMON_NAME && common_name_counts && looks_like_host(value.value) {
                out.push(GeneralName::Dns(value.value));
            }
            Ok(())
        })?;
        Ok(out)
    }
}

/// Whether a common name looks like a host name: a dot, only the
/// characters of (possibly wildcard or underscored) host names, and a
/// last label that is not all digits. A top-level domain is alphabetic
/// (RFC 1123 §2.1, RFC 3696 §2), so `192.0.2.1` is an IPv4 address in
/// text, which no client takes for a host name to match against DNS
/// constraints.
fn looks_like_host(cn: &[u8]) -> bool {
    let numeric_tld = cn
        .rsplit(|&b| b == b'.')
        .next()
        .is_some_and(|tld| tld.iter().all(u8::is_ascii_digit));
    cn.contains(&b'.')
        && !numeric_tld
        && cn
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'*'))
}

/// Checks nameConstraints contents (RFC 5280 §4.2.1.10): at least one of
/// permittedSubtrees `[0]` and excludedSubtrees `[1]`, each non-empty,
/// every GeneralSubtree without minimum and maximum, and every base of a
/// processed form well-formed: DNS and URI constraints a host name with
/// an optional leading dot, email constraints a mailbox, a host or a
/// `.domain`, IP constraints an address and a contiguous mask of 8 or 32
/// octets with no address bit outside the mask, directory constraints a
/// Name.
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
                GeneralName::Dns(host) | GeneralName::Uri(host) => check_domain(host)?,
                GeneralName::Email(email) => match split_mailbox(email) {
                    Some((_, host)) => check_dns_syntax(host, DnsForm::Constraint)?,
                    None if email.contains(&b'@') => {
                        return Err(CertificateError::MisIssued(
                            "rfc822Name constraint not a mailbox, host or domain",
                        ))
                    }
                    None => check_domain(email)?,
                },
                GeneralName::Ip(ip) => {
                    ip_constraint(ip)?;
                }
                GeneralName::Directory(name) => {
                    let mut der = Der::new(name);
                    check_name(&mut der)?;
                    der.finish()?;
                }
                GeneralName::Other(_) => {}
            }
        }
    }
    Ok(())
}

/// A host-name constraint: empty (everything), or a host name with an
/// optional leading dot.
fn check_domain(constraint: &[u8]) -> Result<(), CertificateError> {
    let host = constraint.strip_prefix(b".").unwrap_or(constraint);
    if host.is_empty() {
        return Ok(());
    }
    check_dns_syntax(host, DnsForm::Constraint)
}

/// Iterates over the base names of GeneralSubtrees, refusing a minimum or
/// maximum (RFC 5280 §4.2.1.10: minimum MUST be zero, maximum MUST be
/// absent; a zero minimum is the DEFAULT and so never encoded in DER).
fn subtree_bases(
    subtrees: &[u8],
) -> impl Iterator<Item = Result<GeneralName<'_>, CertificateError>> {
    der::items(subtrees, |list| {
        list.sequence(|subtree| {
            let base = GeneralName::from_element(subtree.element()?)?;
            if !subtree.is_empty() {
                return Err(CertificateError::MisIssued(
                    "GeneralSubtree with minimum or maximum",
                ));
            }
            Ok(base)
        })
    })
}

/// Splits an iPAddress constraint into address and mask, checking the
/// length (8 or 32), that the mask is a contiguous prefix and that the
/// address has no bit set outside it (RFC 5280 §4.2.1.10 gives the
/// network as address and mask, "the address range 192.0.2.0/24").
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
    if address.iter().zip(mask).any(|(a, m)| a & !m != 0) {
        return Err(CertificateError::MisIssued(
            "iPAddress constraint address has bits outside its mask",
        ));
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
    match constraint.strip_prefix(b".") {
        Some(_) => is_subdomain(name, constraint),
        None => name.eq_ignore_ascii_case(constraint) || subdomain_of(name, constraint),
    }
}

/// Whether `name` ends with `suffix` (which starts with a dot) and has
/// at least one more label before it, ignoring ASCII case.
fn is_subdomain(name: &[u8], dotted_suffix: &[u8]) -> bool {
    name.len() > dotted_suffix.len()
        && name
            .get(name.len() - dotted_suffix.len()..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(dotted_suffix))
}

/// Whether `name` is a proper subdomain of host `base` (no leading dot).
fn subdomain_of(name: &[u8], base: &[u8]) -> bool {
    name.len() > base.len() + 1
        && name.get(name.len() - base.len() - 1) == Some(&b'.')
        && name
            .get(name.len() - base.len()..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(base))
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

/// Splits a mailbox `local@host` at its last `@`, both parts non-empty
/// and the local part a Dot-string or a Quoted-string (RFC 5280 §4.2.1.6
/// takes rfc822Name as RFC 2821's Mailbox; RFC 5321 §4.1.2): only a
/// quoted local part may hold another `@`, so `a@b@example.com` is no
/// mailbox, and under an email constraint a name that is none is a
/// violation.
fn split_mailbox(mailbox: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = mailbox.iter().rposition(|&b| b == b'@')?;
    let (local, host) = (mailbox.get(..at)?, mailbox.get(at + 1..)?);
    (is_local_part(local) && !host.is_empty()).then_some((local, host))
}

/// RFC 5321 §4.1.2 `Local-part = Dot-string / Quoted-string`: atoms of
/// atext (RFC 5322 §3.2.3) joined by single dots, or anything between
/// double quotes.
fn is_local_part(local: &[u8]) -> bool {
    if local.len() >= 2 && local.starts_with(b"\"") && local.ends_with(b"\"") {
        return true;
    }
    let atext = |b: &u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(b);
    !local.is_empty()
        && local
            .split(|&b| b == b'.')
            .all(|atom| !atom.is_empty() && atom.iter().all(atext))
}

/// Whether mailbox `name` lies within rfc822Name constraint `constraint`
/// (RFC 5280 §4.2.1.10): a mailbox constraint names that mailbox (local
/// part exact, host ignoring case), a host constraint every mailbox at
/// that host, a `.domain` constraint every mailbox at a host below it.
/// `None` when `name` is not a mailbox.
fn email_within(name: &[u8], constraint: &[u8]) -> Option<bool> {
    let (local, host) = split_mailbox(name)?;
    Some(match split_mailbox(constraint) {
        Some((c_local, c_host)) => local == c_local && host.eq_ignore_ascii_case(c_host),
        None if constraint.starts_with(b".") => is_subdomain(host, constraint),
        None => host.eq_ignore_ascii_case(constraint),
    })
}

/// Whether URI `name` lies within URI constraint `constraint` (RFC 5280
/// §4.2.1.10): the host of its authority equals a host constraint, or is
/// below a `.domain` constraint. `None` when the URI has no host.
fn uri_within(name: &[u8], constraint: &[u8]) -> Option<bool> {
    let host = names::uri_host(name)?;
    Some(if constraint.starts_with(b".") {
        is_subdomain(host, constraint)
    } else {
        host.eq_ignore_ascii_case(constraint)
    })
}

/// Whether directoryName `name` lies within constraint `constraint`: it
/// begins with the constraint's RDNs (RFC 5280 §4.2.1.10), compared as
/// §7.1 compares names ([`name_match::name_starts_with`]).
fn directory_within(name: &[u8], constraint: &[u8]) -> Option<bool> {
    name_match::name_starts_with(name, constraint)
}

/// Whether `name` and `constraint` are of the same form.
fn same_form(name: &GeneralName<'_>, constraint: &GeneralName<'_>) -> bool {
    match (name, constraint) {
        (GeneralName::Other(a), GeneralName::Other(b)) => a == b,
        _ => core::mem::discriminant(name) == core::mem::discriminant(constraint),
    }
}

/// Whether `name` lies within `constraint` of the same form; `None` when
/// the name cannot be judged in its form (a mailbox without `@`, a URI
/// without a host, a form not processed here).
fn within(name: &GeneralName<'_>, constraint: &GeneralName<'_>) -> Option<bool> {
    match (name, constraint) {
        (GeneralName::Dns(n), GeneralName::Dns(c)) => Some(dns_within(n, c)),
        (GeneralName::Ip(n), GeneralName::Ip(c)) => Some(ip_within(n, c)),
        (GeneralName::Email(n), GeneralName::Email(c)) => email_within(n, c),
        (GeneralName::Uri(n), GeneralName::Uri(c)) => uri_within(n, c),
        (GeneralName::Directory(n), GeneralName::Directory(c)) => directory_within(n, c),
        _ => None,
    }
}

/// Applies nameConstraints contents `constraints` to the names of one
/// certificate below the CA (RFC 5280 §6.1.3 (b)-(c)). Each name must
/// fall within some permitted subtree of its form, when any exists, and
/// within no excluded subtree of its form; a wildcard dNSName that could
/// stand for an excluded name is a violation, and so is a name that
/// cannot be judged in its form (a URI without a host) under a constraint
/// of that form. A constraint of a form not processed here is
/// [`CertificateError::UnsupportedNameConstraint`] when the certificate
/// holds a name of that form and ignored otherwise (§4.2.1.10). Every
/// comparison is counted in `checks` against
/// [`MAX_NAME_CONSTRAINT_CHECKS`], before any is made.
pub fn check_names_against_constraints(
    certificate: &ConstrainedNames<'_>,
    constraints: &[u8],
    checks: &mut usize,
) -> Result<(), CertificateError> {
    let mut der = Der::new(constraints);
    let permitted = subtree_bases(
        der.optional(tag::context_constructed(0))?
            .unwrap_or_default(),
    )
    .collect::<Result<Vec<_>, _>>()?;
    let excluded = subtree_bases(
        der.optional(tag::context_constructed(1))?
            .unwrap_or_default(),
    )
    .collect::<Result<Vec<_>, _>>()?;
    let names = certificate.collect()?;
    *checks = names
        .len()
        .saturating_mul(permitted.len() + excluded.len())
        .saturating_add(*checks);
    if *checks > MAX_NAME_CONSTRAINT_CHECKS {
        return Err(CertificateError::TooManyNameConstraintChecks);
    }
    for name in &names {
        let mut constrained = false;
        let mut inside = false;
        for base in permitted.iter().filter(|c| same_form(name, c)) {
            constrained = true;
            match within(name, base) {
                Some(hit) => inside |= hit,
                None => return Err(unjudged(name)),
            }
        }
        if constrained && !inside {
            return Err(CertificateError::NameConstraintsViolated);
        }
        for base in excluded.iter().filter(|c| same_form(name, c)) {
            let hit = match (name, base) {
                (GeneralName::Dns(n), GeneralName::Dns(c)) => wildcard_reaches(n, c),
                _ => false,
            };
            match within(name, base) {
                Some(inside) if !inside && !hit => {}
                Some(_) => return Err(CertificateError::NameConstraintsViolated),
                None => return Err(unjudged(name)),
            }
        }
    }
    Ok(())
}

/// The reason for a name that cannot be judged against a constraint of
/// its form: an unsupported form, or a malformed name (a violation).
fn unjudged(name: &GeneralName<'_>) -> CertificateError {
    match name {
        GeneralName::Other(_) => CertificateError::UnsupportedNameConstraint,
        _ => CertificateError::NameConstraintsViolated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_constraints_follow_rfc5280() {
        assert!(dns_within(b"example.com", b"example.com"));
        assert!(dns_within(b"www.example.com", b"example.com"));
        assert!(dns_within(b"WWW.Example.COM", b"example.com"));
        assert!(!dns_within(b"wwwexample.com", b"example.com"));
        assert!(!dns_within(b"example.com", b".example.com"));
        assert!(dns_within(b"a.example.com", b".example.com"));
        assert!(dns_within(b"*.example.com", b"example.com"));
        assert!(dns_within(b"foo_bar.example.com", b"example.com"));
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
        assert_eq!(
            ip_constraint(&[10, 0, 0, 0, 255, 0, 255, 0]),
            Err(CertificateError::MisIssued(
                "iPAddress constraint mask not contiguous"
            ))
        );
        assert_eq!(
            ip_constraint(&[10, 0, 0, 1, 255, 0, 0, 0]),
            Err(CertificateError::MisIssued(
                "iPAddress constraint address has bits outside its mask"
            ))
        );
        let mut v6 = [0u8; 32];
        v6[..2].copy_from_slice(&[0x20, 0x01]);
        v6[16..18].copy_from_slice(&[0xff, 0xff]);
        assert!(ip_constraint(&v6).is_ok());
        let mut inside = [0u8; 16];
        inside[..3].copy_from_slice(&[0x20, 0x01, 0x0d]);
        assert!(ip_within(&inside, &v6));
        v6[20] = 1;
        assert!(ip_constraint(&v6).is_err());
    }

    #[test]
    fn email_constraints_take_mailbox_host_or_domain() {
        assert_eq!(email_within(b"a@example.com", b"a@EXAMPLE.com"), Some(true));
        assert_eq!(
            email_within(b"A@example.com", b"a@example.com"),
            Some(false)
        );
        assert_eq!(email_within(b"b@example.com", b"example.com"), Some(true));
        assert_eq!(
            email_within(b"b@mail.example.com", b"example.com"),
            Some(false)
        );
        assert_eq!(
            email_within(b"b@mail.example.com", b".example.com"),
            Some(true)
        );
        assert_eq!(email_within(b"b@example.com", b".example.com"), Some(false));
        assert_eq!(
            email_within(b"\"a@b\"@example.com", b"example.com"),
            Some(true)
        );
        assert_eq!(email_within(b"example.com", b"example.com"), None);
        // RFC 5321 §4.1.2: only a Quoted-string local part holds an `@`;
        // a Dot-string has no empty atom.
        for not_mailbox in [
            &b"invalid@address@example.com"[..],
            b"a..b@example.com",
            b".a@example.com",
            b"a b@example.com",
        ] {
            assert_eq!(email_within(not_mailbox, b"example.com"), None);
        }
        assert_eq!(
            email_within(b"first.o'last+tag@example.com", b"example.com"),
            Some(true)
        );
    }

    #[test]
    fn uri_constraints_take_the_authority_host() {
        assert_eq!(
            names::uri_host(b"https://user@Host.example.com:8443/p?q#f"),
            Some(&b"Host.example.com"[..])
        );
        assert_eq!(
            names::uri_host(b"https://[2001:db8::1]:443/"),
            Some(&b"[2001:db8::1]"[..])
        );
        assert_eq!(names::uri_host(b"urn:isbn:0451450523"), None);
        assert_eq!(names::uri_host(b"mailto:a@example.com"), None);
        assert_eq!(names::uri_host(b"https:///path"), None);
        assert_eq!(
            uri_within(b"https://host.example.com/", b"host.example.com"),
            Some(true)
        );
        assert_eq!(
            uri_within(b"https://a.host.example.com/", b"host.example.com"),
            Some(false)
        );
        assert_eq!(
            uri_within(b"https://a.example.com/", b".example.com"),
            Some(true)
        );
        assert_eq!(
            uri_within(b"https://example.com/", b".example.com"),
            Some(false)
        );
        assert_eq!(uri_within(b"urn:x", b".example.com"), None);
    }

    /// A Name of RDNs each holding one (2.5.4.10, PrintableString) pair.
    fn name(orgs: &[&str]) -> Vec<u8> {
        name_in(tag::PRINTABLE_STRING, orgs)
    }

    /// [`name`] with its values in strings of type `string_tag`.
    fn name_in(string_tag: u8, orgs: &[&str]) -> Vec<u8> {
        let mut rdns = Vec::new();
        for org in orgs {
            let mut atv = vec![0x06, 3, 0x55, 0x04, 0x0a, string_tag, org.len() as u8];
            atv.extend_from_slice(org.as_bytes());
            let mut set = vec![0x31, atv.len() as u8 + 2, 0x30, atv.len() as u8];
            set.extend(atv);
            rdns.extend(set);
        }
        let mut out = vec![0x30, rdns.len() as u8];
        out.extend(rdns);
        out
    }

    #[test]
    fn directory_constraints_are_rdn_prefixes() {
        let dn = name(&["ferrotls", "unit", "leaf"]);
        assert_eq!(directory_within(&dn, &name(&["ferrotls"])), Some(true));
        assert_eq!(
            directory_within(&dn, &name(&["ferrotls", "unit"])),
            Some(true)
        );
        assert_eq!(
            directory_within(&dn, &name(&["ferrotls", "other"])),
            Some(false)
        );
        assert_eq!(directory_within(&dn, &name(&["unit"])), Some(false));
        assert_eq!(
            directory_within(&name(&["ferrotls"]), &name(&["ferrotls", "unit"])),
            Some(false)
        );
        assert_eq!(directory_within(&dn, &name(&[])), Some(true));
        // RFC 5280 §7.1: another string type, case or spacing is the same
        // name (the constraint's PrintableString against a UTF8String).
        let utf8 = name_in(tag::UTF8_STRING, &["  FerroTLS ", "unit"]);
        assert_eq!(directory_within(&utf8, &name(&["ferrotls"])), Some(true));
        assert_eq!(directory_within(&utf8, &name(&["ferro tls"])), Some(false));
    }

    /// GeneralSubtrees contents holding one subtree per (tag, value).
    fn subtrees(bases: &[(u8, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (t, value) in bases {
            out.extend([0x30, value.len() as u8 + 2, *t, value.len() as u8]);
            out.extend_from_slice(value);
        }
        out
    }

    fn constraints(permitted: &[(u8, &[u8])], excluded: &[(u8, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (t, bases) in [(0xa0, permitted), (0xa1, excluded)] {
            if !bases.is_empty() {
                let inner = subtrees(bases);
                out.extend([t, inner.len() as u8]);
                out.extend(inner);
            }
        }
        out
    }

    fn san(entries: &[(u8, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (t, value) in entries {
            out.extend([*t, value.len() as u8]);
            out.extend_from_slice(value);
        }
        out
    }

    fn check(
        subject: &[u8],
        san_entries: &[(u8, &[u8])],
        end_entity: bool,
        nc: &[u8],
    ) -> Result<(), CertificateError> {
        let san = san(san_entries);
        let names = ConstrainedNames {
            subject,
            subject_alt_name: (!san_entries.is_empty()).then_some(san.as_slice()),
            end_entity,
        };
        check_name_constraints(nc)?;
        check_names_against_constraints(&names, nc, &mut 0)
    }

    /// A subject with a common name (2.5.4.3, PrintableString) and an
    /// emailAddress (1.2.840.113549.1.9.1, IA5String).
    fn subject(cn: &str, email: Option<&str>) -> Vec<u8> {
        let mut rdns = Vec::new();
        let mut push = |oid: &[u8], string_tag: u8, value: &str| {
            let mut atv = vec![0x06, oid.len() as u8];
            atv.extend_from_slice(oid);
            atv.extend([string_tag, value.len() as u8]);
            atv.extend_from_slice(value.as_bytes());
            rdns.extend([0x31, atv.len() as u8 + 2, 0x30, atv.len() as u8]);
            rdns.extend(atv);
        };
        push(oid::COMMON_NAME, tag::PRINTABLE_STRING, cn);
        if let Some(email) = email {
            push(oid::EMAIL_ADDRESS, tag::IA5_STRING, email);
        }
        let mut out = vec![0x30, rdns.len() as u8];
        out.extend(rdns);
        out
    }

    #[test]
    fn each_form_is_checked_permitted_and_excluded() {
        let empty = [0x30, 0];
        let dns = constraints(
            &[(0x82, b"allowed.test")],
            &[(0x82, b"secret.allowed.test")],
        );
        assert_eq!(
            check(&empty, &[(0x82, b"a.allowed.test")], true, &dns),
            Ok(())
        );
        assert_eq!(
            check(&empty, &[(0x82, b"a.other.test")], true, &dns),
            Err(CertificateError::NameConstraintsViolated)
        );
        assert_eq!(
            check(&empty, &[(0x82, b"*.allowed.test")], true, &dns),
            Err(CertificateError::NameConstraintsViolated)
        );
        let email = constraints(
            &[(0x81, b".allowed.test")],
            &[(0x81, b"boss@mail.allowed.test")],
        );
        assert_eq!(
            check(&empty, &[(0x81, b"a@mail.allowed.test")], true, &email),
            Ok(())
        );
        assert_eq!(
            check(&empty, &[(0x81, b"boss@mail.allowed.test")], true, &email),
            Err(CertificateError::NameConstraintsViolated)
        );
        assert_eq!(
            check(&subject("x", Some("a@other.test")), &[], true, &email),
            Err(CertificateError::NameConstraintsViolated)
        );
        // Names of another form are not touched by an email constraint.
        assert_eq!(
            check(&empty, &[(0x82, b"a.other.test")], true, &email),
            Ok(())
        );
        let uri = constraints(&[(0x86, b".allowed.test")], &[(0x86, b"bad.allowed.test")]);
        assert_eq!(
            check(&empty, &[(0x86, b"https://a.allowed.test/x")], true, &uri),
            Ok(())
        );
        assert_eq!(
            check(&empty, &[(0x86, b"https://bad.allowed.test/x")], true, &uri),
            Err(CertificateError::NameConstraintsViolated)
        );
        assert_eq!(
            check(&empty, &[(0x86, b"urn:uuid:1")], true, &uri),
            Err(CertificateError::NameConstraintsViolated)
        );
        let ip = constraints(&[(0x87, &[192, 0, 2, 0, 255, 255, 255, 0])], &[]);
        assert_eq!(check(&empty, &[(0x87, &[192, 0, 2, 9])], true, &ip), Ok(()));
        assert_eq!(
            check(&empty, &[(0x87, &[192, 0, 3, 9])], true, &ip),
            Err(CertificateError::NameConstraintsViolated)
        );
    }

    #[test]
    fn directory_constraints_cover_subject_and_san() {
        let permitted = name(&["ferrotls"]);
        let mut dir = vec![0xa4, permitted.len() as u8];
        dir.extend(&permitted);
        let mut nc = vec![0xa0, dir.len() as u8 + 2, 0x30, dir.len() as u8];
        nc.extend(&dir);
        assert_eq!(check(&name(&["ferrotls", "leaf"]), &[], true, &nc), Ok(()));
        assert_eq!(
            check(&name(&["other", "leaf"]), &[], true, &nc),
            Err(CertificateError::NameConstraintsViolated)
        );
        // An empty subject is not a name to constrain.
        assert_eq!(check(&[0x30, 0], &[(0x82, b"a.test")], true, &nc), Ok(()));
        let other = name(&["other"]);
        let mut san_dir = vec![];
        san_dir.extend(&other);
        assert_eq!(
            check(&name(&["ferrotls"]), &[(0xa4, &san_dir)], true, &nc),
            Err(CertificateError::NameConstraintsViolated)
        );
    }

    #[test]
    fn host_like_common_names_of_end_entities_are_dns_names() {
        let nc = constraints(&[(0x82, b"allowed.test")], &[]);
        let outside = subject("www.other.test", None);
        assert_eq!(
            check(&outside, &[], true, &nc),
            Err(CertificateError::NameConstraintsViolated)
        );
        // Not beside a subjectAltName of any form, nor in an intermediate.
        assert_eq!(
            check(&outside, &[(0x82, b"www.allowed.test")], true, &nc),
            Ok(())
        );
        assert_eq!(
            check(&outside, &[(0x87, &[192, 0, 2, 1])], true, &nc),
            Ok(())
        );
        assert_eq!(check(&outside, &[], false, &nc), Ok(()));
        assert_eq!(
            check(&subject("www.allowed.test", None), &[], true, &nc),
            Ok(())
        );
        assert_eq!(
            check(&subject("Some CA Name", None), &[], true, &nc),
            Ok(())
        );
        assert_eq!(check(&subject("localhost", None), &[], true, &nc), Ok(()));
        // An IPv4 address in text is no host name (BetterTLS's cases).
        assert_eq!(check(&subject("127.0.0.1", None), &[], true, &nc), Ok(()));
        assert_eq!(
            check(&subject("www.other.test1", None), &[], true, &nc),
            Err(CertificateError::NameConstraintsViolated)
        );
    }

    #[test]
    fn unsupported_forms_are_refused_only_over_names_of_their_form() {
        // registeredID [8] constraint: ignored over DNS names, refused
        // over a registeredID name.
        let nc = constraints(&[(0x88, &[0x2a, 0x03])], &[]);
        assert_eq!(check(&[0x30, 0], &[(0x82, b"a.test")], true, &nc), Ok(()));
        assert_eq!(
            check(&[0x30, 0], &[(0x88, &[0x2a, 0x04])], true, &nc),
            Err(CertificateError::UnsupportedNameConstraint)
        );
        let excluded = constraints(&[], &[(0x88, &[0x2a, 0x03])]);
        assert_eq!(
            check(&[0x30, 0], &[(0x88, &[0x2a, 0x04])], true, &excluded),
            Err(CertificateError::UnsupportedNameConstraint)
        );
    }

    #[test]
    fn malformed_constraints_are_refused() {
        assert!(check_name_constraints(&constraints(&[(0x81, b"@example.com")], &[])).is_err());
        assert!(check_name_constraints(&constraints(&[(0x81, b"a_b.example.com")], &[])).is_err());
        assert!(check_name_constraints(&constraints(&[(0x86, b"https://x.test/")], &[])).is_err());
        assert!(check_name_constraints(&constraints(&[(0xa4, &[0x30, 1, 0])], &[])).is_err());
        assert!(check_name_constraints(&constraints(&[(0x81, b"a@example.com")], &[])).is_ok());
        assert!(check_name_constraints(&constraints(&[(0x86, b".example.com")], &[])).is_ok());
    }

    #[test]
    fn the_work_is_bounded_before_it_is_done() {
        let nc = constraints(
            &[(0x82, b"allowed.test")],
            &[(0x82, b"a.test"), (0x82, b"b.test")],
        );
        let entries = [(0x82, &b"x.allowed.test"[..]); 10];
        let san = san(&entries);
        let names = ConstrainedNames {
            subject: &[0x30, 0],
            subject_alt_name: Some(&san),
            end_entity: true,
        };
        let mut checks = 0;
        assert_eq!(
            check_names_against_constraints(&names, &nc, &mut checks),
            Ok(())
        );
        assert_eq!(checks, 30);
        let mut checks = MAX_NAME_CONSTRAINT_CHECKS - 29;
        assert_eq!(
            check_names_against_constraints(&names, &nc, &mut checks),
            Err(CertificateError::TooManyNameConstraintChecks)
        );
        let bound = CertificateError::TooManyNameConstraintChecks;
        assert_eq!(bound.to_string(), "too many name constraint checks");
        assert_eq!(
            bound.alert(),
            crate::error::AlertDescription::BadCertificate
        );
    }
}
