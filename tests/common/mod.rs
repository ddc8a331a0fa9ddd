//! The one harness of the integration tests: test certificates and
//! configurations ([`pki`]), an in-memory client–server pair ([`pair`]),
//! a peer that holds its last flight back ([`held`]), records on the wire
//! ([`records`]), the RFC 8448 trace reader ([`rfc8448`]), scratch
//! directories ([`scratch`]), the vector-file reader ([`sections`]) and
//! the tally of a conformance suite's verdicts ([`suite`]).
#![allow(dead_code, unused_imports)]

pub mod held;
pub mod pair;
pub mod pki;
pub mod records;
pub mod rfc8448;
pub mod scratch;
pub mod sections;
pub mod suite;

pub use held::*;
pub use pair::*;
pub use pki::*;
pub use records::*;
pub use scratch::*;
