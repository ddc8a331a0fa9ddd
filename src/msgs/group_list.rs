//! Key-exchange group lists written as OpenSSL 3.5 writes them
//! (`SSL_CTX_set1_groups_list`, `openssl s_server -groups`), so that a
//! configuration string carries over between the two: group names
//! ([`NamedGroup::from_name`]) separated by `:` or `,`, tiers of groups a
//! server counts as equally good separated by `/`, and before a name, in
//! either order, `?` (skip it when unknown instead of refusing the list)
//! and `*` (a client sends a key share for it). The `ferrotls` tool and
//! the C library read `--groups` and `*_set_groups` with it.

use crate::msgs::enums::NamedGroup;
use core::fmt;

/// A parsed group list (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupList {
    /// The groups in tiers, best first, each most preferred first; none
    /// empty. `ServerConfigBuilder::group_tiers` takes them; a client
    /// offers [`Self::groups`].
    pub tiers: Vec<Vec<NamedGroup>>,
    /// The groups named with `*`, in order: a client's first key shares
    /// (`ClientConfigBuilder::key_share_groups`); a server ignores them,
    /// as OpenSSL's does.
    pub key_shares: Vec<NamedGroup>,
}

/// Why a group list was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupListError {
    /// A name without `?` that is no group this crate knows.
    UnknownGroup(String),
    /// A tier between two `/` (or at either end) that names nothing.
    EmptyTier,
    /// No group this crate knows in the whole list.
    NoGroup,
}

impl fmt::Display for GroupListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownGroup(name) => write!(f, "unknown group {name:?}"),
            Self::EmptyTier => f.write_str("a group tier names nothing"),
            Self::NoGroup => f.write_str("no known group in the list"),
        }
    }
}

impl std::error::Error for GroupListError {}

impl GroupList {
    /// Reads `list`. A tier whose every name was skipped (`?`) is dropped.
    pub fn parse(list: &str) -> Result<Self, GroupListError> {
        let mut parsed = Self {
            tiers: Vec::new(),
            key_shares: Vec::new(),
        };
        for tier in list.split('/') {
            let mut names = items(tier).peekable();
            if names.peek().is_none() {
                return Err(GroupListError::EmptyTier);
            }
            let mut groups = Vec::new();
            for item in names {
                let name = item.trim_start_matches(['?', '*']);
                let flags = item.get(..item.len() - name.len()).unwrap_or_default();
                match NamedGroup::from_name(name) {
                    Some(group) => {
                        if flags.contains('*') {
                            parsed.key_shares.push(group);
                        }
                        groups.push(group);
                    }
                    None if flags.contains('?') => {}
                    None => return Err(GroupListError::UnknownGroup(name.to_owned())),
                }
            }
            if !groups.is_empty() {
                parsed.tiers.push(groups);
            }
        }
        if parsed.tiers.is_empty() {
            return Err(GroupListError::NoGroup);
        }
        Ok(parsed)
    }

    /// Every group, tier after tier: what a client offers, most
    /// preferred first (to a client, `/` only separates).
    pub fn groups(&self) -> Vec<NamedGroup> {
        self.tiers.concat()
    }
}

/// The non-empty items of a list separated by `:` or `,`, trimmed.
fn items(list: &str) -> impl Iterator<Item = &str> {
    list.split([':', ','])
        .map(str::trim)
        .filter(|name| !name.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use NamedGroup as G;

    #[test]
    fn tiers_key_shares_and_skipped_names() {
        let list = GroupList::parse("*X25519MLKEM768 / ?*curve9999:*x25519,P-256/?foo").unwrap();
        assert_eq!(
            list,
            GroupList {
                tiers: vec![vec![G::X25519MLKEM768], vec![G::X25519, G::secp256r1]],
                key_shares: vec![G::X25519MLKEM768, G::X25519],
            }
        );
        assert_eq!(list.groups(), [G::X25519MLKEM768, G::X25519, G::secp256r1]);
        assert_eq!(
            GroupList::parse("x25519:curve9999"),
            Err(GroupListError::UnknownGroup("curve9999".into()))
        );
        assert_eq!(
            GroupList::parse("x25519//P-256"),
            Err(GroupListError::EmptyTier)
        );
        assert_eq!(GroupList::parse("P-384/"), Err(GroupListError::EmptyTier));
        assert_eq!(GroupList::parse("?curve9999"), Err(GroupListError::NoGroup));
    }
}
