//! NewSessionTicket in its RFC 5077 form (TLS 1.0–1.2, §3.3) and its
//! TLS 1.3 form (RFC 8446 §4.6.1).

use crate::codec::{Codec, LengthPrefix, Reader, Writer};
use crate::error::Error;
use crate::msgs::extensions::{
    decode_extensions, encode_extensions, Extension, ExtensionContext, EXTENSIONS,
};
use crate::msgs::inline_list::InlineList;
use crate::msgs::syntax::VectorSpec;

/// `opaque ticket<0..2^16-1>` of an RFC 5077 NewSessionTicket (§3.3).
pub const TICKET_TLS12: VectorSpec = VectorSpec::new(LengthPrefix::U16, 0, 0xffff);

/// `opaque ticket_nonce<0..255>` (RFC 8446 §4.6.1).
pub const TICKET_NONCE: VectorSpec = VectorSpec::new(LengthPrefix::U8, 0, 255);

/// How many bytes of a ticket nonce are held in place: servers number
/// their tickets (ferrotls in 1 byte, OpenSSL in 8), and 32 also holds a
/// random nonce of a hash's length. A sizing choice, not a limit: a
/// longer nonce (up to [`TICKET_NONCE`]'s 255) is held on the heap.
pub const TICKET_NONCE_INLINE: usize = 32;

/// A NewSessionTicket's `ticket_nonce`.
pub type TicketNonce = InlineList<u8, TICKET_NONCE_INLINE>;

/// `opaque ticket<1..2^16-1>` of a TLS 1.3 NewSessionTicket
/// (RFC 8446 §4.6.1).
pub const TICKET_TLS13: VectorSpec = VectorSpec::new(LengthPrefix::U16, 1, 0xffff);

/// An RFC 5077 NewSessionTicket (§3.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSessionTicketTls12 {
    /// Seconds the ticket should be kept; 0 means unspecified.
    pub lifetime_hint: u32,
    /// The opaque ticket; empty when the server will not issue one after
    /// all (RFC 5077 §3.3).
    pub ticket: Vec<u8>,
}

impl Codec for NewSessionTicketTls12 {
    fn encode(&self, w: &mut Writer) {
        w.u32(self.lifetime_hint);
        TICKET_TLS12.write(w, &self.ticket);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            lifetime_hint: r.u32()?,
            ticket: TICKET_TLS12.read_vec(r)?,
        })
    }
}

/// A TLS 1.3 NewSessionTicket (RFC 8446 §4.6.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSessionTicketTls13 {
    /// Seconds the ticket may be used (at most 7 days, which the handshake
    /// layer checks).
    pub lifetime: u32,
    /// Added to the ticket age to obfuscate it.
    pub age_add: u32,
    /// Per-ticket value the PSK is derived with.
    pub nonce: TicketNonce,
    /// The opaque ticket, used as the PSK identity.
    pub ticket: Vec<u8>,
    /// The ticket's extensions (early_data's `max_early_data_size`).
    pub extensions: Vec<Extension>,
}

impl Codec for NewSessionTicketTls13 {
    fn encode(&self, w: &mut Writer) {
        w.u32(self.lifetime);
        w.u32(self.age_add);
        TICKET_NONCE.write(w, &self.nonce);
        TICKET_TLS13.write(w, &self.ticket);
        encode_extensions(EXTENSIONS, w, &self.extensions);
    }

    /// Decodes the message; an empty ticket or other bound violation is
    /// [`Error::Decode`], extension rules as [`decode_extensions`].
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            lifetime: r.u32()?,
            age_add: r.u32()?,
            nonce: TICKET_NONCE.read(r)?.into(),
            ticket: TICKET_TLS13.read_vec(r)?,
            extensions: decode_extensions(EXTENSIONS, r, ExtensionContext::NewSessionTicket)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DecodeReason;

    #[test]
    fn empty_tls13_ticket_is_refused_both_ways() {
        let t = NewSessionTicketTls13 {
            lifetime: 7200,
            age_add: 1,
            nonce: [0].into(),
            ticket: vec![],
            extensions: vec![],
        };
        assert_eq!(t.to_bytes(), Err(Error::EncodeOverflow));
        // The same message written without the ticket's bounds, as a faulty
        // peer could.
        let mut w = Writer::new();
        w.u32(7200);
        w.u32(1);
        TICKET_NONCE.write(&mut w, &[0]);
        w.vector(TICKET_TLS13.prefix, &[]);
        encode_extensions(EXTENSIONS, &mut w, &[]);
        let bytes = w.finish().unwrap();
        assert!(matches!(
            NewSessionTicketTls13::decode_exact(&bytes),
            Err(Error::Decode(DecodeReason::VectorLength))
        ));
    }

    #[test]
    fn empty_tls12_ticket_is_allowed() {
        let t = NewSessionTicketTls12 {
            lifetime_hint: 0,
            ticket: vec![],
        };
        let bytes = t.to_bytes().unwrap();
        assert_eq!(bytes, [0, 0, 0, 0, 0, 0]);
        assert_eq!(NewSessionTicketTls12::decode_exact(&bytes).unwrap(), t);
    }
}
