//! Certificate policies: the policy processing of RFC 5280 §6.1 (steps
//! 6.1.2 (a), (d)–(f); 6.1.3 (d)–(f); 6.1.4 (a), (b), (h)–(j); 6.1.5 (a),
//! (b), (g)), with the valid policy tree kept as the graph of RFC 9618,
//! which gives the same outcome without the tree's exponential growth.
//!
//! ```text
//!  depth 0      anyPolicy {anyPolicy}            the trust anchor's domain
//!                 /            \
//!  depth 1    P1 {P1}        P2 {Q1, Q2}         P2 mapped to Q1 and Q2
//!                |            /       \          by certificate 1
//!  depth 2    P1 {P1}     Q1 {Q1}   Q2 {Q2}      certificate 2 lists them
//!
//!  node = valid_policy {expected_policy_set}, with a set of parents
//!  one level up (RFC 9618 §3: one node per policy and depth)
//! ```
//!
//! The extensions are read at parse time ([`super::x509`]) with the readers
//! here, so a malformed one refuses the certificate; [`check`] then runs
//! over a whole path once it reaches a trust anchor. The trust anchor is
//! not one of the path's certificates (RFC 5280 §6.1: its information
//! only initialises the state). The work is bounded by
//! [`MAX_POLICY_GRAPH_WORK`].

use super::oid;
use crate::der::{self, tag, Der};
use crate::error::CertificateError;

/// The most policy-graph steps (nodes made, parents linked, sets compared)
/// one path may take. RFC 9618 §1 shows certificates whose RFC 5280 tree
/// grows exponentially; the graph grows with the product of the policies
/// of neighbouring certificates, which this bounds. Real paths take a few
/// dozen steps.
pub const MAX_POLICY_GRAPH_WORK: usize = 10_000;

/// The most PolicyInformation entries or mappings one extension may hold;
/// real certificates carry one to four.
pub const MAX_POLICIES_PER_EXTENSION: usize = 64;

/// The user's inputs to policy processing (RFC 5280 §6.1.1 (c), (e)–(g)).
/// The default is what a TLS client uses: any policy acceptable, and none
/// of the three initial restrictions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyInputs {
    /// user-initial-policy-set: the policies acceptable to the user, as
    /// OBJECT IDENTIFIER contents octets; empty, or holding anyPolicy,
    /// means any policy.
    pub acceptable: Vec<Vec<u8>>,
    /// initial-explicit-policy: the path must be valid for at least one
    /// policy of `acceptable`.
    pub require_explicit_policy: bool,
    /// initial-policy-mapping-inhibit: policy mapping is not permitted.
    pub inhibit_policy_mapping: bool,
    /// initial-any-policy-inhibit: anyPolicy in a certificate is not
    /// processed.
    pub inhibit_any_policy: bool,
}

impl PolicyInputs {
    /// The contents octets of a policy written in dotted decimal
    /// (`2.23.140.1.2.1`), as [`PolicyInputs::acceptable`] holds them;
    /// `None` when the text is not an OBJECT IDENTIFIER.
    pub fn policy_from_dotted(text: &str) -> Option<Vec<u8>> {
        oid::from_dotted(text)
    }
}

/// policyConstraints (RFC 5280 §4.2.1.11): each SkipCerts value, if
/// present.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PolicyConstraints {
    /// requireExplicitPolicy `[0]`.
    pub require_explicit_policy: Option<u64>,
    /// inhibitPolicyMapping `[1]`.
    pub inhibit_policy_mapping: Option<u64>,
    /// Whether the extension is critical.
    pub critical: bool,
}

fn too_complex() -> CertificateError {
    CertificateError::TooComplexPolicies
}

/// certificatePolicies (RFC 5280 §4.2.1.4): `SEQUENCE SIZE (1..MAX) OF
/// PolicyInformation`, each a policyIdentifier and optional, non-empty
/// policyQualifiers; "a certificate policy OID MUST NOT appear more than
/// once". Returns the contents.
pub fn read_certificate_policies<'a>(d: &mut Der<'a>) -> Result<&'a [u8], CertificateError> {
    let value = d.read(tag::SEQUENCE)?;
    if value.is_empty() {
        return Err(CertificateError::BadEncoding("empty certificatePolicies"));
    }
    let mut seen: Vec<&[u8]> = Vec::new();
    for id in policy_ids(value) {
        let id = id?;
        if seen.contains(&id) {
            return Err(CertificateError::MisIssued("duplicate certificate policy"));
        }
        if seen.len() == MAX_POLICIES_PER_EXTENSION {
            return Err(too_complex());
        }
        seen.push(id);
    }
    Ok(value)
}

/// The policyIdentifier of each PolicyInformation in the contents of
/// certificatePolicies ([`policy_information`]).
fn policy_ids(value: &[u8]) -> impl Iterator<Item = Result<&[u8], CertificateError>> {
    policy_information(value).map(|info| info.map(|(id, _)| id))
}

/// Each PolicyInformation in the contents of certificatePolicies: its
/// policyIdentifier and the contents of its policyQualifiers, if any,
/// each qualifier checked ([`check_qualifier`]). Qualifiers inform the
/// user and play no part in validation (RFC 5280 §4.2.1.4).
fn policy_information(
    value: &[u8],
) -> impl Iterator<Item = Result<(&[u8], Option<&[u8]>), CertificateError>> {
    der::items(value, |list| {
        list.sequence(|info| -> Result<_, CertificateError> {
            let id = info.oid()?;
            let qualifiers = info.optional(tag::SEQUENCE)?;
            if let Some(qualifiers) = qualifiers {
                if qualifiers.is_empty() {
                    return Err(CertificateError::BadEncoding("empty policyQualifiers"));
                }
                let mut qualifiers = Der::new(qualifiers);
                while !qualifiers.is_empty() {
                    qualifiers.sequence(|q| check_qualifier(q.oid()?, q))?;
                }
            }
            Ok((id, qualifiers))
        })
    })
}

/// Whether anyPolicy carries, in the contents of certificatePolicies
/// `value`, a qualifier other than the CPS pointer and the user notice:
/// "When qualifiers are used with the special policy anyPolicy, they MUST
/// be limited to the qualifiers identified in this section" (RFC 5280
/// §4.2.1.4), a rule for the CA, which the `rfc5280` and `webpki`
/// profiles apply.
pub fn any_policy_has_other_qualifiers(value: &[u8]) -> Result<bool, CertificateError> {
    for info in policy_information(value) {
        let (id, qualifiers) = info?;
        if id != oid::ANY_POLICY {
            continue;
        }
        let ids = der::items(qualifiers.unwrap_or_default(), |list| {
            list.sequence(|q| -> Result<_, CertificateError> {
                let id = q.oid()?;
                q.element()?;
                Ok(id)
            })
        });
        for id in ids {
            if ![oid::QT_CPS, oid::QT_UNOTICE].contains(&id?) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// A PolicyQualifierInfo's qualifier after its id (RFC 5280 §4.2.1.4): a
/// CPS pointer is an IA5String; a user notice a SEQUENCE of an optional
/// NoticeReference (an organization and a SEQUENCE OF INTEGER) and an
/// optional explicitText, each text a non-empty DisplayText; another
/// qualifier any one element.
fn check_qualifier(id: &[u8], q: &mut Der<'_>) -> Result<(), CertificateError> {
    match id {
        oid::QT_CPS => {
            q.read(tag::IA5_STRING)?;
        }
        oid::QT_UNOTICE => q.sequence(|notice| -> Result<_, CertificateError> {
            if notice.peek_tag() == Some(tag::SEQUENCE) {
                notice.sequence(|reference| -> Result<_, CertificateError> {
                    display_text(reference)?;
                    reference.sequence(|numbers| -> Result<_, CertificateError> {
                        while !numbers.is_empty() {
                            numbers.integer()?;
                        }
                        Ok(())
                    })
                })?;
            }
            if !notice.is_empty() {
                display_text(notice)?;
            }
            Ok(())
        })?,
        _ => {
            q.element()?;
        }
    }
    Ok(())
}

/// A DisplayText (RFC 5280 §4.2.1.4): an IA5String, VisibleString,
/// BMPString or UTF8String of at least one character.
fn display_text(d: &mut Der<'_>) -> Result<(), CertificateError> {
    let text = d.element()?;
    if ![
        tag::IA5_STRING,
        tag::VISIBLE_STRING,
        tag::BMP_STRING,
        tag::UTF8_STRING,
    ]
    .contains(&text.tag)
    {
        return Err(CertificateError::BadEncoding(
            "policy qualifier text is not a DisplayText",
        ));
    }
    if text.value.is_empty() {
        return Err(CertificateError::BadEncoding("empty DisplayText"));
    }
    Ok(())
}

/// policyMappings (RFC 5280 §4.2.1.5): `SEQUENCE SIZE (1..MAX) OF
/// SEQUENCE { issuerDomainPolicy, subjectDomainPolicy }`; "policies MUST
/// NOT be mapped either to or from the special value anyPolicy". Returns
/// the contents.
pub fn read_policy_mappings<'a>(d: &mut Der<'a>) -> Result<&'a [u8], CertificateError> {
    let value = d.read(tag::SEQUENCE)?;
    if value.is_empty() {
        return Err(CertificateError::BadEncoding("empty policyMappings"));
    }
    let mut count = 0;
    for pair in mappings(value) {
        let (issuer, subject) = pair?;
        if issuer == oid::ANY_POLICY || subject == oid::ANY_POLICY {
            return Err(CertificateError::MisIssued(
                "policy mapped to or from anyPolicy",
            ));
        }
        count += 1;
        if count > MAX_POLICIES_PER_EXTENSION {
            return Err(too_complex());
        }
    }
    Ok(value)
}

/// Each (issuerDomainPolicy, subjectDomainPolicy) of policyMappings'
/// contents.
fn mappings(value: &[u8]) -> impl Iterator<Item = Result<(&[u8], &[u8]), CertificateError>> {
    der::items(value, |list| {
        list.sequence(|m| -> Result<_, CertificateError> { Ok((m.oid()?, m.oid()?)) })
    })
}

/// policyConstraints (RFC 5280 §4.2.1.11): "conforming CAs MUST NOT issue
/// certificates where policy constraints is an empty sequence".
pub fn read_policy_constraints(
    d: &mut Der<'_>,
    critical: bool,
) -> Result<PolicyConstraints, CertificateError> {
    d.sequence(|pc| -> Result<_, CertificateError> {
        let require_explicit_policy = pc.optional_small_unsigned(tag::context_primitive(0))?;
        let inhibit_policy_mapping = pc.optional_small_unsigned(tag::context_primitive(1))?;
        if require_explicit_policy.is_none() && inhibit_policy_mapping.is_none() {
            return Err(CertificateError::MisIssued("empty policyConstraints"));
        }
        Ok(PolicyConstraints {
            require_explicit_policy,
            inhibit_policy_mapping,
            critical,
        })
    })
}

/// inhibitAnyPolicy (RFC 5280 §4.2.1.14): `SkipCerts ::= INTEGER (0..MAX)`.
pub fn read_inhibit_any_policy(d: &mut Der<'_>) -> Result<u64, CertificateError> {
    Ok(d.small_unsigned()?)
}

/// One policy: OBJECT IDENTIFIER contents octets.
type Policy<'a> = &'a [u8];

/// A node of the valid policy graph (RFC 9618 §3).
#[derive(Debug)]
struct Node<'a> {
    valid_policy: Policy<'a>,
    expected: Vec<Policy<'a>>,
    /// Indexes into the level above.
    parents: Vec<usize>,
}

impl<'a> Node<'a> {
    fn new(valid_policy: Policy<'a>, parents: Vec<usize>) -> Self {
        Self {
            valid_policy,
            expected: vec![valid_policy],
            parents,
        }
    }
}

/// valid_policy_graph: one level per depth, level 0 the anchor's
/// anyPolicy node. Empty stands for RFC 5280's NULL tree.
struct Graph<'a> {
    levels: Vec<Vec<Node<'a>>>,
    work: usize,
}

impl<'a> Graph<'a> {
    /// RFC 5280 §6.1.2 (a): one anyPolicy node expecting anyPolicy.
    fn new() -> Self {
        Self {
            levels: vec![vec![Node::new(oid::ANY_POLICY, Vec::new())]],
            work: 0,
        }
    }

    fn is_null(&self) -> bool {
        self.levels.first().is_none_or(Vec::is_empty)
    }

    fn charge(&mut self, steps: usize) -> Result<(), CertificateError> {
        self.work = self.work.saturating_add(steps);
        if self.work > MAX_POLICY_GRAPH_WORK {
            Err(too_complex())
        } else {
            Ok(())
        }
    }

    fn last(&self) -> &[Node<'a>] {
        self.levels.last().map_or(&[], Vec::as_slice)
    }

    /// RFC 5280 §6.1.3 (d) (1)–(2): the level for a certificate listing
    /// `policies` (certificatePolicies contents); `any_processed` says
    /// whether its anyPolicy, if listed, counts.
    fn add_level(
        &mut self,
        policies: &'a [u8],
        any_processed: bool,
    ) -> Result<(), CertificateError> {
        let mut next: Vec<Node<'a>> = Vec::new();
        let mut lists_any = false;
        for id in policy_ids(policies) {
            let id = id?;
            if id == oid::ANY_POLICY {
                lists_any = true;
                continue;
            }
            let above = self.last();
            // (1)(i): every node expecting the policy is a parent; (ii)
            // failing that, the anyPolicy node is.
            let mut parents: Vec<usize> = positions(above, |n| n.expected.contains(&id));
            if parents.is_empty() {
                parents = positions(above, |n| n.valid_policy == oid::ANY_POLICY);
            }
            let steps = above.len() + parents.len();
            self.charge(steps)?;
            if !parents.is_empty() {
                next.push(Node::new(id, parents));
            }
        }
        if lists_any && any_processed {
            // (2): every expected policy not met yet gets a node.
            let above = self.last();
            let mut links: Vec<(usize, Policy<'a>)> = Vec::new();
            for (index, node) in above.iter().enumerate() {
                links.extend(node.expected.iter().map(|&p| (index, p)));
            }
            for (index, policy) in links {
                self.charge(next.len() + 1)?;
                match next.iter_mut().find(|n| n.valid_policy == policy) {
                    Some(node) if !node.parents.contains(&index) => node.parents.push(index),
                    Some(_) => {}
                    None => next.push(Node::new(policy, vec![index])),
                }
            }
        }
        self.levels.push(next);
        self.prune();
        Ok(())
    }

    /// RFC 5280 §6.1.3 (d)(3) and §6.1.4 (b)(2)(ii): removes every node
    /// above the last level that has no child, level by level upwards,
    /// renumbering the parents below. A graph whose last level is empty
    /// becomes NULL.
    fn prune(&mut self) {
        for depth in (1..self.levels.len()).rev() {
            let (above, below) = self.levels.split_at_mut(depth);
            let (Some(parent_level), Some(child_level)) = (above.last_mut(), below.first_mut())
            else {
                continue;
            };
            let mut has_child = vec![false; parent_level.len()];
            for index in child_level.iter().flat_map(|n| n.parents.iter()) {
                if let Some(flag) = has_child.get_mut(*index) {
                    *flag = true;
                }
            }
            let mut renumber = vec![usize::MAX; parent_level.len()];
            let mut kept = 0;
            for (old, keep) in has_child.iter().enumerate() {
                if *keep {
                    if let Some(slot) = renumber.get_mut(old) {
                        *slot = kept;
                    }
                    kept += 1;
                }
            }
            let mut flags = has_child.iter();
            parent_level.retain(|_| flags.next().copied().unwrap_or(false));
            for node in child_level.iter_mut() {
                for index in node.parents.iter_mut() {
                    *index = renumber.get(*index).copied().unwrap_or(usize::MAX);
                }
            }
        }
        if self.levels.last().is_some_and(Vec::is_empty) {
            self.levels.clear();
        }
    }

    /// RFC 5280 §6.1.4 (b): applies certificate `i`'s policyMappings to
    /// the last level: when mapping is permitted, each issuerDomainPolicy's
    /// node (or, failing one, a node made beside the anyPolicy node) now
    /// expects the subjectDomainPolicies mapped from it; when it is not,
    /// the mapped policies' nodes are removed.
    fn map(&mut self, mapping_value: &'a [u8], permitted: bool) -> Result<(), CertificateError> {
        let mut pairs: Vec<(Policy<'a>, Policy<'a>)> = Vec::new();
        for pair in mappings(mapping_value) {
            pairs.push(pair?);
        }
        self.charge(pairs.len() * pairs.len())?;
        let Some(level) = self.levels.last_mut() else {
            return Ok(());
        };
        let mut issuer_policies: Vec<Policy<'a>> = Vec::new();
        for &(issuer, _) in &pairs {
            if !issuer_policies.contains(&issuer) {
                issuer_policies.push(issuer);
            }
        }
        for issuer in issuer_policies {
            let subjects: Vec<Policy<'a>> = pairs
                .iter()
                .filter(|(i, _)| *i == issuer)
                .map(|&(_, s)| s)
                .collect();
            if !permitted {
                level.retain(|n| n.valid_policy != issuer);
                continue;
            }
            if let Some(node) = level.iter_mut().find(|n| n.valid_policy == issuer) {
                node.expected = subjects;
            } else if let Some(any) = level.iter().find(|n| n.valid_policy == oid::ANY_POLICY) {
                let parents = any.parents.clone();
                level.push(Node {
                    valid_policy: issuer,
                    expected: subjects,
                    parents,
                });
            }
        }
        if !permitted {
            self.prune();
        }
        Ok(())
    }

    /// Removes the nodes of level `depth` marked in `doomed`, then every
    /// node below left without a parent (RFC 5280 §6.1.5 (g)(iii)(2):
    /// "delete the node and all its children"; a node of the graph with
    /// another parent left stands for a tree node that stays).
    fn remove_down(&mut self, depth: usize, doomed: Vec<bool>) {
        let mut doomed = doomed;
        for d in depth..self.levels.len() {
            if !doomed.contains(&true) {
                return;
            }
            let (upper, lower) = self.levels.split_at_mut(d + 1);
            let Some(level) = upper.last_mut() else {
                return;
            };
            let mut renumber = Vec::with_capacity(level.len());
            let mut kept = 0;
            for gone in &doomed {
                renumber.push(if *gone { usize::MAX } else { kept });
                kept += usize::from(!*gone);
            }
            let mut flags = doomed.iter();
            level.retain(|_| !flags.next().copied().unwrap_or(false));
            let Some(below) = lower.first_mut() else {
                return;
            };
            doomed = below
                .iter_mut()
                .map(|node| {
                    node.parents = node
                        .parents
                        .iter()
                        .filter_map(|&p| renumber.get(p).copied().filter(|&q| q != usize::MAX))
                        .collect();
                    node.parents.is_empty()
                })
                .collect();
        }
    }

    /// RFC 5280 §6.1.5 (g): the graph's intersection with the
    /// user-initial-policy-set; true when a policy is left at the last
    /// depth.
    fn intersect(mut self, acceptable: &'a [Vec<u8>]) -> Result<bool, CertificateError> {
        if self.is_null() {
            return Ok(false);
        }
        // (ii): a set holding anyPolicy accepts every policy.
        if acceptable.is_empty() || acceptable.iter().any(|p| p == oid::ANY_POLICY) {
            return Ok(true);
        }
        let is_acceptable = |p: Policy<'_>| acceptable.iter().any(|a| a.as_slice() == p);
        // (iii)(1)–(2): the nodes whose parent is anyPolicy name policies
        // of the anchor's domain; those not acceptable go.
        let mut authority: Vec<Policy<'a>> = Vec::new();
        for depth in 1..self.levels.len() {
            let (Some(above), Some(level)) = (self.levels.get(depth - 1), self.levels.get(depth))
            else {
                continue;
            };
            let doomed: Vec<bool> = level
                .iter()
                .map(|node| {
                    let under_any = node.parents.iter().any(|&p| {
                        above
                            .get(p)
                            .is_some_and(|n| n.valid_policy == oid::ANY_POLICY)
                    });
                    let named = under_any && node.valid_policy != oid::ANY_POLICY;
                    if named {
                        authority.push(node.valid_policy);
                    }
                    named && !is_acceptable(node.valid_policy)
                })
                .collect();
            self.charge(doomed.len())?;
            self.remove_down(depth, doomed);
        }
        // (iii)(3): an anyPolicy leaf stands for each acceptable policy
        // not named above.
        if let Some(level) = self.levels.last_mut() {
            if let Some(any) = level.iter().position(|n| n.valid_policy == oid::ANY_POLICY) {
                let parents = level.remove(any).parents;
                for policy in acceptable {
                    let policy = policy.as_slice();
                    if authority.contains(&policy) {
                        continue;
                    }
                    match level.iter_mut().find(|n| n.valid_policy == policy) {
                        Some(node) => node.parents.extend(parents.iter().copied()),
                        None => level.push(Node::new(policy, parents.clone())),
                    }
                }
            }
        }
        // (iii)(4).
        self.prune();
        Ok(!self.is_null())
    }
}

/// The indexes of the nodes of `level` that satisfy `pred`.
fn positions(level: &[Node<'_>], pred: impl Fn(&Node<'_>) -> bool) -> Vec<usize> {
    level
        .iter()
        .enumerate()
        .filter(|(_, n)| pred(n))
        .map(|(i, _)| i)
        .collect()
}

/// What policy processing reads of one certificate of the path
/// ([`super::x509::Certificate::policies`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Step<'a> {
    /// certificatePolicies contents, if present.
    pub policies: Option<&'a [u8]>,
    /// policyMappings contents, if present.
    pub mappings: Option<&'a [u8]>,
    /// policyConstraints (empty when absent).
    pub constraints: PolicyConstraints,
    /// inhibitAnyPolicy's SkipCerts, if present.
    pub inhibit_any_policy: Option<u64>,
    /// Whether the certificate is self-issued (RFC 5280 §3.2).
    pub self_issued: bool,
}

/// Whether [`check`] accepts a path of `steps` without building a policy
/// graph: the inputs do not require an explicit policy and no step has
/// certificatePolicies, policyMappings or requireExplicitPolicy. Then
/// every level leaves the graph null (RFC 5280 §6.1.3 (e)), nothing is
/// parsed, and explicit_policy, which starts at n + 1 (§6.1.2 (d)) and
/// falls at most once per certificate (§6.1.4 (h), §6.1.5 (a)), stays
/// above zero, so the outcome (§6.1.5 (g)) is success. Path validation
/// asks this first, so that chains without policy extensions cost no
/// graph.
pub fn accepted_without_graph<'a>(
    mut steps: impl Iterator<Item = Step<'a>>,
    inputs: &PolicyInputs,
) -> bool {
    !inputs.require_explicit_policy
        && steps.all(|s| {
            s.policies.is_none()
                && s.mappings.is_none()
                && s.constraints.require_explicit_policy.is_none()
        })
}

/// RFC 5280 §6.1 policy processing over `path`, trust anchor side first
/// and end entity last (the anchor itself not included). Fails with
/// [`CertificateError::NoAcceptablePolicy`] when explicit policy is
/// required, by the inputs or by a certificate's policyConstraints, and no
/// acceptable policy is valid for the whole path.
pub fn check(path: &[Step<'_>], inputs: &PolicyInputs) -> Result<(), CertificateError> {
    let n = path.len() as u64;
    let initial = |inhibit: bool| if inhibit { 0 } else { n + 1 };
    // §6.1.2 (d)–(f).
    let mut explicit_policy = initial(inputs.require_explicit_policy);
    let mut inhibit_any_policy = initial(inputs.inhibit_any_policy);
    let mut policy_mapping = initial(inputs.inhibit_policy_mapping);
    let mut graph = Graph::new();
    for (index, step) in path.iter().enumerate() {
        let last = index + 1 == path.len();
        // §6.1.3 (d)–(e).
        match step.policies {
            Some(policies) if !graph.is_null() => {
                graph.add_level(
                    policies,
                    inhibit_any_policy > 0 || (!last && step.self_issued),
                )?;
            }
            _ => graph.levels.clear(),
        }
        // §6.1.3 (f).
        if explicit_policy == 0 && graph.is_null() {
            return Err(CertificateError::NoAcceptablePolicy);
        }
        if last {
            // §6.1.5 (a)–(b).
            explicit_policy = explicit_policy.saturating_sub(1);
            if step.constraints.require_explicit_policy == Some(0) {
                explicit_policy = 0;
            }
            break;
        }
        // §6.1.4 (a) is enforced when the extension is read.
        if let Some(mappings) = step.mappings {
            graph.map(mappings, policy_mapping > 0)?;
        }
        // §6.1.4 (h)–(j).
        if !step.self_issued {
            explicit_policy = explicit_policy.saturating_sub(1);
            policy_mapping = policy_mapping.saturating_sub(1);
            inhibit_any_policy = inhibit_any_policy.saturating_sub(1);
        }
        if let Some(skip) = step.constraints.require_explicit_policy {
            explicit_policy = explicit_policy.min(skip);
        }
        if let Some(skip) = step.constraints.inhibit_policy_mapping {
            policy_mapping = policy_mapping.min(skip);
        }
        if let Some(skip) = step.inhibit_any_policy {
            inhibit_any_policy = inhibit_any_policy.min(skip);
        }
    }
    // §6.1.5 (g) and the outcome.
    if graph.intersect(&inputs.acceptable)? || explicit_policy > 0 {
        Ok(())
    } else {
        Err(CertificateError::NoAcceptablePolicy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::der::encode as tlv;

    const P1: &[u8] = &[0x2a, 1];
    const P2: &[u8] = &[0x2a, 2];
    const P3: &[u8] = &[0x2a, 3];

    /// certificatePolicies contents listing `ids`.
    fn policies(ids: &[&[u8]]) -> Vec<u8> {
        ids.iter()
            .flat_map(|id| tlv(tag::SEQUENCE, &tlv(tag::OID, id)))
            .collect()
    }

    /// policyMappings contents with the (issuer, subject) `pairs`.
    fn mapped(pairs: &[(&[u8], &[u8])]) -> Vec<u8> {
        pairs
            .iter()
            .flat_map(|(i, s)| {
                tlv(
                    tag::SEQUENCE,
                    &[tlv(tag::OID, i), tlv(tag::OID, s)].concat(),
                )
            })
            .collect()
    }

    fn step(policies: Option<&[u8]>) -> Step<'_> {
        Step {
            policies,
            ..Step::default()
        }
    }

    fn explicit() -> PolicyConstraints {
        PolicyConstraints {
            require_explicit_policy: Some(0),
            ..PolicyConstraints::default()
        }
    }

    fn inputs(acceptable: &[&[u8]], explicit: bool) -> PolicyInputs {
        PolicyInputs {
            acceptable: acceptable.iter().map(|p| p.to_vec()).collect(),
            require_explicit_policy: explicit,
            ..PolicyInputs::default()
        }
    }

    const REFUSED: Result<(), CertificateError> = Err(CertificateError::NoAcceptablePolicy);

    #[test]
    fn without_explicit_policy_anything_goes() {
        let none = [step(None), step(None)];
        assert_eq!(check(&none, &PolicyInputs::default()), Ok(()));
        let p1 = policies(&[P1]);
        let p2 = policies(&[P2]);
        let disjoint = [step(Some(&p1)), step(Some(&p2))];
        assert_eq!(check(&disjoint, &PolicyInputs::default()), Ok(()));
        // RFC 5280 §6.1.3 (f): the same path once the user requires an
        // explicit policy.
        assert_eq!(check(&disjoint, &inputs(&[], true)), REFUSED);
        assert_eq!(check(&none, &inputs(&[], true)), REFUSED);
    }

    #[test]
    fn a_path_accepted_without_graph_is_accepted_by_check() {
        let p1 = policies(&[P1]);
        let inhibiting = Step {
            inhibit_any_policy: Some(0),
            constraints: PolicyConstraints {
                inhibit_policy_mapping: Some(0),
                ..PolicyConstraints::default()
            },
            ..step(None)
        };
        let bare = [step(None), inhibiting, step(None)];
        let any = PolicyInputs::default();
        assert!(accepted_without_graph(bare.iter().copied(), &any));
        assert_eq!(check(&bare, &any), Ok(()));
        // Each of these needs the graph (and some are refused by it).
        let explicit_ca = Step {
            constraints: explicit(),
            ..step(None)
        };
        for path in [
            &[step(Some(&p1)), step(None)][..],
            &[explicit_ca, step(None)][..],
            &[
                Step {
                    mappings: Some(&p1),
                    ..step(None)
                },
                step(None),
            ][..],
        ] {
            assert!(!accepted_without_graph(path.iter().copied(), &any));
        }
        assert_eq!(check(&[explicit_ca, step(None)], &any), REFUSED);
        assert!(!accepted_without_graph(
            bare.iter().copied(),
            &inputs(&[], true)
        ));
        assert_eq!(check(&bare, &inputs(&[], true)), REFUSED);
    }

    #[test]
    fn the_user_policy_set_is_intersected() {
        let p1 = policies(&[P1]);
        let path = [step(Some(&p1)), step(Some(&p1))];
        assert_eq!(check(&path, &inputs(&[], true)), Ok(()));
        assert_eq!(check(&path, &inputs(&[P1], true)), Ok(()));
        assert_eq!(check(&path, &inputs(&[P2], true)), REFUSED);
        assert_eq!(check(&path, &inputs(&[P2, P1], true)), Ok(()));
        // Without explicit policy an empty intersection is still a valid
        // path (§6.1.5 (g)–(h): explicit_policy stays above zero).
        assert_eq!(check(&path, &inputs(&[P2], false)), Ok(()));
    }

    #[test]
    fn require_explicit_policy_in_a_certificate_binds_the_path_below() {
        let p1 = policies(&[P1]);
        let p2 = policies(&[P2]);
        let ca = Step {
            constraints: explicit(),
            ..step(Some(&p1))
        };
        assert_eq!(
            check(&[ca, step(Some(&p1))], &PolicyInputs::default()),
            Ok(())
        );
        assert_eq!(
            check(&[ca, step(Some(&p2))], &PolicyInputs::default()),
            REFUSED
        );
        assert_eq!(check(&[ca, step(None)], &PolicyInputs::default()), REFUSED);
        // SkipCerts counts the certificates below the CA, the end entity
        // included (§6.1.4 (i), §6.1.5 (a)): 2 lets one more through.
        let ca_skip = Step {
            constraints: PolicyConstraints {
                require_explicit_policy: Some(2),
                ..PolicyConstraints::default()
            },
            ..step(Some(&p1))
        };
        let path = [ca_skip, step(None), step(None)];
        assert_eq!(check(&path, &PolicyInputs::default()), REFUSED);
        assert_eq!(check(&path[..2], &PolicyInputs::default()), Ok(()));
    }

    #[test]
    fn any_policy_matches_every_policy_unless_inhibited() {
        let any = policies(&[oid::ANY_POLICY]);
        let p2 = policies(&[P2]);
        let ca = Step {
            constraints: explicit(),
            ..step(Some(&any))
        };
        assert_eq!(
            check(&[ca, step(Some(&p2))], &PolicyInputs::default()),
            Ok(())
        );
        // §6.1.2 (e) initial-any-policy-inhibit: the CA's anyPolicy is not
        // processed, so nothing is valid below it.
        let inhibited = PolicyInputs {
            inhibit_any_policy: true,
            ..PolicyInputs::default()
        };
        assert_eq!(check(&[ca, step(Some(&p2))], &inhibited), REFUSED);
        // §6.1.4 (j) inhibitAnyPolicy 0 in the CA: a leaf listing only
        // anyPolicy is no longer valid for any policy.
        let ca_inhibit = Step {
            inhibit_any_policy: Some(0),
            ..ca
        };
        assert_eq!(
            check(&[ca_inhibit, step(Some(&any))], &PolicyInputs::default()),
            REFUSED
        );
        assert_eq!(
            check(&[ca_inhibit, step(Some(&p2))], &PolicyInputs::default()),
            Ok(())
        );
        // An anyPolicy leaf under a P1 CA stands for P1 (§6.1.3 (d)(2)).
        let p1 = policies(&[P1]);
        let path = [step(Some(&p1)), step(Some(&any))];
        assert_eq!(check(&path, &inputs(&[P1], true)), Ok(()));
        assert_eq!(check(&path, &inputs(&[P2], true)), REFUSED);
    }

    #[test]
    fn mappings_translate_policies_unless_inhibited() {
        let p1 = policies(&[P1]);
        let p2 = policies(&[P2]);
        let map = mapped(&[(P1, P2), (P1, P3)]);
        let ca = Step {
            mappings: Some(&map),
            constraints: explicit(),
            ..step(Some(&p1))
        };
        // P1 in the CA's domain is P2 (or P3) below it; the user names
        // policies in the trust anchor's domain (§6.1.5 (g)).
        assert_eq!(
            check(&[ca, step(Some(&p2))], &PolicyInputs::default()),
            Ok(())
        );
        assert_eq!(check(&[ca, step(Some(&p2))], &inputs(&[P1], true)), Ok(()));
        assert_eq!(check(&[ca, step(Some(&p2))], &inputs(&[P2], true)), REFUSED);
        assert_eq!(
            check(&[ca, step(Some(&p1))], &PolicyInputs::default()),
            REFUSED
        );
        let no_mapping = PolicyInputs {
            inhibit_policy_mapping: true,
            ..PolicyInputs::default()
        };
        assert_eq!(check(&[ca, step(Some(&p2))], &no_mapping), REFUSED);
        // A mapping of a policy the CA only has through anyPolicy makes
        // its node beside the anyPolicy node (§6.1.4 (b)(1)).
        let any = policies(&[oid::ANY_POLICY]);
        let any_ca = Step {
            policies: Some(&any),
            ..ca
        };
        assert_eq!(
            check(&[any_ca, step(Some(&p2))], &inputs(&[P1], true)),
            Ok(())
        );
        assert_eq!(
            check(&[any_ca, step(Some(&p2))], &inputs(&[P3], true)),
            REFUSED
        );
    }

    #[test]
    fn wide_paths_end_with_a_reason_within_bounded_work() {
        let ids: Vec<Vec<u8>> = (0..MAX_POLICIES_PER_EXTENSION as u8)
            .map(|i| vec![0x2a, i])
            .collect();
        let many: Vec<&[u8]> = ids.iter().map(Vec::as_slice).collect();
        let mut pairs = Vec::new();
        for i in &many {
            for j in many.iter().take(2) {
                pairs.push((*i, *j));
            }
        }
        let listed = policies(&many);
        let map = mapped(&pairs[..MAX_POLICIES_PER_EXTENSION]);
        let ca = Step {
            mappings: Some(&map),
            ..step(Some(&listed))
        };
        let path = vec![ca; 7];
        assert_eq!(
            check(&path, &PolicyInputs::default()),
            Err(CertificateError::TooComplexPolicies)
        );
    }
}
