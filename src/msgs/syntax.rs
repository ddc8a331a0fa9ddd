//! The shape of one vector of the RFCs' presentation language
//! (`opaque x<min..max>`, `T list<min..max>`; RFC 8446 §3.4, RFC 5246 §4.3),
//! declared once per field as a named constant and used for both directions.

use crate::codec::{Codec, LengthPrefix, Reader, Writer};
use crate::error::Error;

/// The most items [`VectorSpec::read_list`] reserves room for before
/// decoding them: enough for the lists of a usual hello (cipher suites,
/// groups, signature schemes, extensions) in one allocation, while a list
/// whose first item is short cannot make it reserve much more than the
/// items really need. A sizing choice, not a limit; longer lists grow.
pub const PRESIZED_LIST_ITEMS: usize = 32;

/// A vector's length prefix and the inclusive bounds on its body length in
/// bytes, exactly as the RFC writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VectorSpec {
    /// The size of the length prefix.
    pub prefix: LengthPrefix,
    /// The smallest body length allowed.
    pub min: usize,
    /// The largest body length allowed.
    pub max: usize,
}

impl VectorSpec {
    /// A vector shape with the given prefix and bounds.
    pub const fn new(prefix: LengthPrefix, min: usize, max: usize) -> Self {
        Self { prefix, min, max }
    }

    /// Reads the vector's body. A short input or a length outside
    /// `min..=max` is [`Error::Decode`].
    pub fn read<'a>(&self, r: &mut Reader<'a>) -> Result<&'a [u8], Error> {
        r.bounded_vector(self.prefix, self.min, self.max)
    }

    /// Reads the vector's body as an owned byte string; failures as
    /// [`VectorSpec::read`].
    pub fn read_vec(&self, r: &mut Reader<'_>) -> Result<Vec<u8>, Error> {
        self.read(r).map(<[u8]>::to_vec)
    }

    /// Reads the vector as a list of items that must fill it exactly;
    /// failures as [`VectorSpec::read`], plus any item's own decode error.
    /// The list is presized as [`read_opaque_list`]'s is.
    pub fn read_list<T: Codec>(&self, r: &mut Reader<'_>) -> Result<Vec<T>, Error> {
        read_items(self.read(r)?, T::decode, Vec::with_capacity)
    }

    /// Reads the vector as a list of items that must fill it exactly,
    /// into a list type that holds the usual count in place
    /// ([`InlineList`](crate::msgs::inline_list::InlineList),
    /// [`SingleList`](crate::msgs::single_list::SingleList)), so a
    /// usual hello's lists need no allocation; failures as
    /// [`VectorSpec::read_list`]. Longer lists decode too, on the heap.
    pub fn read_small_list<T: Codec, L: Default + Extend<T>>(
        &self,
        r: &mut Reader<'_>,
    ) -> Result<L, Error> {
        read_items(self.read(r)?, T::decode, |_| L::default())
    }

    /// Writes `body` with this vector's length prefix. Encoding is as
    /// strict as [`VectorSpec::read`]: a body whose length is outside
    /// `min..=max` makes the writer's `finish` report
    /// [`Error::EncodeOverflow`], so nothing our own decoder would reject is
    /// ever sent.
    pub fn write(&self, w: &mut Writer, body: &[u8]) {
        self.write_with(w, |w| w.bytes(body));
    }

    /// Writes `items` as a list with this vector's length prefix, under the
    /// same terms as [`VectorSpec::write`].
    pub fn write_list<T: Codec>(&self, w: &mut Writer, items: &[T]) {
        self.write_with(w, |w| items.iter().for_each(|item| item.encode(w)));
    }

    /// Writes a vector whose body `f` produces, under the same terms as
    /// [`VectorSpec::write`].
    pub fn write_with(&self, w: &mut Writer, f: impl FnOnce(&mut Writer)) {
        w.bounded_scope(self.prefix, self.min, self.max, f);
    }
}

/// Reads a vector (`outer`) of opaque byte strings (each `inner`), such as
/// ALPN protocol names or a certificate list. Every byte of the outer vector
/// must belong to an item; failures are [`Error::Decode`]. The list is
/// allocated once for the usual lists (see [`PRESIZED_LIST_ITEMS`]).
pub fn read_opaque_list(
    outer: VectorSpec,
    inner: VectorSpec,
    r: &mut Reader<'_>,
) -> Result<Vec<Vec<u8>>, Error> {
    read_items(
        outer.read(r)?,
        |list| inner.read_vec(list),
        Vec::with_capacity,
    )
}

/// Decodes `body` as items read by `read_item` until it is used up
/// (every byte must belong to an item), into the list `with_room` makes
/// for as many items as the body would hold if all were as long as the
/// first (at most [`PRESIZED_LIST_ITEMS`]): a `Vec` is then allocated
/// once for the usual lists of equal-sized items, and a list that holds
/// its items in place ignores the count.
fn read_items<T, L: Extend<T>>(
    body: &[u8],
    mut read_item: impl FnMut(&mut Reader<'_>) -> Result<T, Error>,
    with_room: impl FnOnce(usize) -> L,
) -> Result<L, Error> {
    let mut list = Reader::new(body);
    if list.is_empty() {
        return Ok(with_room(0));
    }
    let first = read_item(&mut list)?;
    let first_len = body.len() - list.remaining();
    let estimate = body.len().checked_div(first_len).unwrap_or(1);
    let mut items = with_room(estimate.clamp(1, PRESIZED_LIST_ITEMS));
    items.extend(Some(first));
    while !list.is_empty() {
        items.extend(Some(read_item(&mut list)?));
    }
    Ok(items)
}

/// Writes `items` as a vector (`outer`) of opaque byte strings (each
/// `inner`); the inverse of [`read_opaque_list`].
pub fn write_opaque_list(outer: VectorSpec, inner: VectorSpec, w: &mut Writer, items: &[Vec<u8>]) {
    outer.write_with(w, |w| items.iter().for_each(|item| inner.write(w, item)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DecodeReason;
    use crate::msgs::inline_list::InlineList;

    const SPEC: VectorSpec = VectorSpec::new(LengthPrefix::U8, 2, 4);

    #[test]
    fn read_enforces_both_bounds() {
        assert!(SPEC.read(&mut Reader::new(&[1, 9])).is_err());
        assert!(SPEC.read(&mut Reader::new(&[5, 1, 2, 3, 4, 5])).is_err());
        assert_eq!(SPEC.read(&mut Reader::new(&[2, 7, 8])).unwrap(), &[7, 8]);
    }

    #[test]
    fn write_then_read_round_trips() {
        let mut w = Writer::new();
        SPEC.write_list(&mut w, &[0x0102u16, 0x0304]);
        let bytes = w.finish().unwrap();
        assert_eq!(bytes, [4, 1, 2, 3, 4]);
        let items: Vec<u16> = SPEC.read_list(&mut Reader::new(&bytes)).unwrap();
        assert_eq!(items, [0x0102, 0x0304]);
    }

    #[test]
    fn write_refuses_a_body_outside_the_bounds() {
        let min_one = VectorSpec::new(LengthPrefix::U16, 1, 0xffff);
        let mut w = Writer::new();
        min_one.write(&mut w, &[]);
        assert_eq!(w.finish(), Err(Error::EncodeOverflow));

        let mut w = Writer::new();
        SPEC.write(&mut w, &[1, 2, 3, 4, 5]);
        assert_eq!(w.finish(), Err(Error::EncodeOverflow));

        let mut w = Writer::new();
        SPEC.write_list(&mut w, &[1u8]);
        assert_eq!(w.finish(), Err(Error::EncodeOverflow));

        let mut w = Writer::new();
        SPEC.write_with(&mut w, |w| w.bytes(&[0; 5]));
        assert_eq!(w.finish(), Err(Error::EncodeOverflow));

        let mut w = Writer::new();
        SPEC.write(&mut w, &[1, 2]);
        SPEC.write(&mut w, &[1, 2, 3, 4]);
        assert_eq!(w.finish().unwrap(), [2, 1, 2, 4, 1, 2, 3, 4]);
    }

    #[test]
    fn lists_hold_whole_items_only() {
        let list = VectorSpec::new(LengthPrefix::U16, 2, 100);
        assert!(list
            .read_list::<u16>(&mut Reader::new(&[0, 3, 0, 1, 0]))
            .is_err());
        let items: Vec<u16> = list
            .read_list(&mut Reader::new(&[0, 4, 0, 1, 0, 2]))
            .unwrap();
        assert_eq!(items, vec![1, 2]);
        let mut w = Writer::new();
        list.write_list(&mut w, &items);
        assert_eq!(w.finish().unwrap(), vec![0, 4, 0, 1, 0, 2]);
    }

    /// The inline capacity is a sizing choice: the bounds and the
    /// whole-items rule hold exactly as for [`VectorSpec::read_list`], and
    /// a list longer than the capacity still decodes, spilled.
    #[test]
    fn inline_lists_keep_the_bounds_and_decode_past_their_capacity() {
        let list = VectorSpec::new(LengthPrefix::U8, 2, 12);
        let read =
            |bytes: &[u8]| list.read_small_list::<u16, InlineList<u16, 2>>(&mut Reader::new(bytes));
        assert!(matches!(
            read(&[0]),
            Err(Error::Decode(DecodeReason::VectorLength))
        ));
        assert!(matches!(
            read(&[14, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7]),
            Err(Error::Decode(DecodeReason::VectorLength))
        ));
        assert!(read(&[3, 0, 1, 0]).is_err());
        let two = read(&[4, 0, 1, 0, 2]).unwrap();
        assert_eq!(*two, [1, 2]);
        assert!(!two.is_spilled());
        let six = read(&[12, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6]).unwrap();
        assert_eq!(*six, [1, 2, 3, 4, 5, 6]);
        assert!(six.is_spilled());
        let mut w = Writer::new();
        list.write_list(&mut w, &six);
        assert_eq!(
            w.finish().unwrap(),
            [12, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6]
        );
    }

    #[test]
    fn opaque_lists_round_trip_and_reject_partial_items() {
        let inner = VectorSpec::new(LengthPrefix::U8, 1, 255);
        let outer = VectorSpec::new(LengthPrefix::U16, 2, 0xffff);
        let items = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        let mut w = Writer::new();
        write_opaque_list(outer, inner, &mut w, &items);
        let bytes = w.finish().unwrap();
        assert_eq!(bytes.len(), 2 + 3 + 9);
        assert_eq!(
            read_opaque_list(outer, inner, &mut Reader::new(&bytes)).unwrap(),
            items
        );
        // An inner length pointing past the outer vector's end.
        let bad = [0, 3, 5, b'a', b'b'];
        assert!(read_opaque_list(outer, inner, &mut Reader::new(&bad)).is_err());
    }
}
