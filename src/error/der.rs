//! Why bytes are not DER (X.690 §10); the DER reader, `crate::der`, makes
//! these, and the certificate and key errors carry them.

use core::fmt;

/// Bytes that are not valid DER for what was expected; the text names the
/// broken rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DerError(&'static str);

impl DerError {
    /// An error naming the broken `rule`; only the DER reader makes them.
    pub(crate) const fn new(rule: &'static str) -> Self {
        Self(rule)
    }

    /// The rule that was broken, as a short stable text.
    pub fn reason(&self) -> &'static str {
        self.0
    }
}

impl fmt::Display for DerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid DER: {}", self.0)
    }
}

impl std::error::Error for DerError {}
