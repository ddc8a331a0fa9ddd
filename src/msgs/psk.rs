//! The ClientHello form of the pre_shared_key extension (RFC 8446 §4.2.11):
//! the offered identities and their binders, and where the binders sit in
//! the encoded ClientHello (the "truncated ClientHello" of §4.2.11.2).

use crate::codec::{Codec, LengthPrefix, Reader, Writer};
use crate::error::{Error, IllegalParameterReason};
use crate::msgs::inline_list::InlineList;
use crate::msgs::syntax::VectorSpec;

/// `opaque identity<1..2^16-1>` of a PskIdentity (RFC 8446 §4.2.11).
pub const PSK_IDENTITY: VectorSpec = VectorSpec::new(LengthPrefix::U16, 1, 0xffff);

/// `PskIdentity identities<7..2^16-1>` (RFC 8446 §4.2.11).
pub const PSK_IDENTITIES: VectorSpec = VectorSpec::new(LengthPrefix::U16, 7, 0xffff);

/// `opaque PskBinderEntry<32..255>` (RFC 8446 §4.2.11).
pub const PSK_BINDER: VectorSpec = VectorSpec::new(LengthPrefix::U8, 32, 255);

/// How many bytes of a binder are held in place: a binder is an HMAC
/// output of the PSK's hash (RFC 8446 §4.2.11.2), at most 48 bytes with
/// the TLS 1.3 suites' SHA-384. A sizing choice, not a limit: a longer
/// binder (up to [`PSK_BINDER`]'s 255) is held on the heap.
pub const PSK_BINDER_INLINE: usize = 48;

/// One binder ([`PSK_BINDER`]).
pub type PskBinder = InlineList<u8, PSK_BINDER_INLINE>;

/// `PskBinderEntry binders<33..2^16-1>` (RFC 8446 §4.2.11).
pub const PSK_BINDERS: VectorSpec = VectorSpec::new(LengthPrefix::U16, 33, 0xffff);

/// `opaque external_identity<1..2^16-1>` of an ImportedIdentity (RFC 9258
/// §5.1).
pub const IMPORTED_EXTERNAL_IDENTITY: VectorSpec = VectorSpec::new(LengthPrefix::U16, 1, 0xffff);

/// `opaque context<0..2^16-1>` of an ImportedIdentity (RFC 9258 §5.1).
pub const IMPORTED_CONTEXT: VectorSpec = VectorSpec::new(LengthPrefix::U16, 0, 0xffff);

/// The identity an imported PSK is offered under (RFC 9258 §5.1): the
/// external PSK's identity, the context both sides agreed, and the
/// protocol and KDF the PSK is imported for.
#[derive(Clone, Copy, Debug)]
pub struct ImportedIdentity<'a> {
    /// The external PSK's own identity.
    pub external_identity: &'a [u8],
    /// Context both sides agreed on (empty when none).
    pub context: &'a [u8],
    /// The protocol version the PSK is for (0x0304 for TLS 1.3).
    pub target_protocol: u16,
    /// The KDF identifier of the target hash (RFC 9258 §10).
    pub target_kdf: u16,
}

impl ImportedIdentity<'_> {
    /// The encoding, the identity on the wire; a field outside its bounds
    /// is [`Error`] from the writer.
    pub fn to_bytes(self) -> Result<Vec<u8>, Error> {
        let mut w = Writer::new();
        IMPORTED_EXTERNAL_IDENTITY.write(&mut w, self.external_identity);
        IMPORTED_CONTEXT.write(&mut w, self.context);
        w.u16(self.target_protocol);
        w.u16(self.target_kdf);
        w.finish()
    }
}

/// One offered PSK identity (RFC 8446 §4.2.11): a ticket or an external
/// identity, with the obfuscated age of a ticket (0 for external PSKs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PskIdentity {
    /// The identity: a ticket's opaque label or an external PSK's name.
    pub identity: Vec<u8>,
    /// The ticket age in milliseconds plus the ticket's `age_add`,
    /// modulo 2^32.
    pub obfuscated_ticket_age: u32,
}

impl Codec for PskIdentity {
    fn encode(&self, w: &mut Writer) {
        PSK_IDENTITY.write(w, &self.identity);
        w.u32(self.obfuscated_ticket_age);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            identity: PSK_IDENTITY.read_vec(r)?,
            obfuscated_ticket_age: r.u32()?,
        })
    }
}

/// The ClientHello's `OfferedPsks` (RFC 8446 §4.2.11): identities and one
/// binder per identity, in the same order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PskOffer {
    /// The offered identities, most preferred first.
    pub identities: Vec<PskIdentity>,
    /// One HMAC binder per identity (RFC 8446 §4.2.11.2).
    pub binders: Vec<PskBinder>,
}

impl PskOffer {
    /// How many bytes the binders list occupies at the very end of the
    /// encoded ClientHello, its 2-byte length prefix included. The
    /// pre_shared_key extension is last in the ClientHello and the binders
    /// are its last field, so the transcript the binders are computed over
    /// (RFC 8446 §4.2.11.2) is the encoded message minus this many bytes.
    pub fn binders_len(&self) -> usize {
        PSK_BINDERS.prefix.size()
            + self
                .binders
                .iter()
                .map(|b| PSK_BINDER.prefix.size() + b.len())
                .sum::<usize>()
    }
}

impl Codec for PskOffer {
    fn encode(&self, w: &mut Writer) {
        PSK_IDENTITIES.write_list(w, &self.identities);
        PSK_BINDERS.write_with(w, |w| {
            self.binders
                .iter()
                .for_each(|binder| PSK_BINDER.write(w, binder))
        });
    }

    /// Decodes the offer. Bound violations are [`Error::Decode`]; a binder
    /// count that differs from the identity count is
    /// [`Error::IllegalParameter`] (RFC 8446 §4.2.11: each identity has its
    /// binder).
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        let identities = PSK_IDENTITIES.read_list(r)?;
        let mut list = Reader::new(PSK_BINDERS.read(r)?);
        let mut binders = Vec::new();
        while !list.is_empty() {
            binders.push(PskBinder::from_slice(PSK_BINDER.read(&mut list)?));
        }
        if identities.len() != binders.len() {
            return Err(Error::IllegalParameter(IllegalParameterReason::BinderCount));
        }
        Ok(Self {
            identities,
            binders,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{DecodeReason, IllegalParameterReason};

    fn offer(binders: usize) -> PskOffer {
        PskOffer {
            identities: vec![PskIdentity {
                identity: b"ticket".to_vec(),
                obfuscated_ticket_age: 0x0102_0304,
            }],
            binders: vec![[0xab; 32].into(); binders],
        }
    }

    #[test]
    fn offer_round_trips_and_binders_are_the_tail() {
        let o = offer(1);
        let bytes = o.to_bytes().unwrap();
        assert_eq!(PskOffer::decode_exact(&bytes).unwrap(), o);
        assert_eq!(o.binders_len(), 2 + 1 + 32);
        let tail = bytes.get(bytes.len() - o.binders_len()..).unwrap();
        assert_eq!(tail.get(..3).unwrap(), [0, 33, 32]);
    }

    /// A binder longer than [`PSK_BINDER_INLINE`] (within `PSK_BINDER`'s
    /// 255) decodes and round-trips: the inline size is not a limit.
    #[test]
    fn binder_longer_than_the_inline_size_round_trips() {
        let mut o = offer(1);
        o.binders = vec![[0xcd; PSK_BINDER_INLINE + 16].into()];
        let bytes = o.to_bytes().unwrap();
        let decoded = PskOffer::decode_exact(&bytes).unwrap();
        assert_eq!(decoded, o);
        assert!(decoded.binders.iter().all(PskBinder::is_spilled));
    }

    #[test]
    fn binder_count_must_match_identities() {
        let bytes = offer(2).to_bytes().unwrap();
        assert!(matches!(
            PskOffer::decode_exact(&bytes),
            Err(Error::IllegalParameter(IllegalParameterReason::BinderCount))
        ));
    }

    #[test]
    fn short_binder_is_refused_both_ways() {
        let mut o = offer(1);
        o.binders = vec![[0; 31].into()];
        assert_eq!(o.to_bytes(), Err(Error::EncodeOverflow));
        // The same offer written without the binder's bounds, as a faulty
        // peer could.
        let mut w = Writer::new();
        PSK_IDENTITIES.write_list(&mut w, &o.identities);
        w.scope(PSK_BINDERS.prefix, |w| {
            w.vector(PSK_BINDER.prefix, &[0; 31])
        });
        let bytes = w.finish().unwrap();
        assert!(matches!(
            PskOffer::decode_exact(&bytes),
            Err(Error::Decode(DecodeReason::VectorLength))
        ));
    }
}
