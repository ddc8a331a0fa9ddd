//! [`InlineList`]: a list of small `Copy` items (cipher suites, groups,
//! signature schemes, versions, a session ID's bytes) that keeps up to
//! `N` of them in place and moves to the heap only beyond that.
//!
//! A hello carries about ten such lists, each a few items long; held in a
//! `Vec` each costs an allocation on every handshake, on both the side
//! that builds the hello and the side that decodes it. The capacity `N`
//! of each list is a sizing choice named where the list's wire shape is
//! declared, never a limit: a longer list (within its RFC bounds, which
//! [`VectorSpec`](crate::msgs::syntax::VectorSpec) enforces) spills to a
//! `Vec` and decodes, encodes and compares exactly as a short one.

use core::fmt;
use core::ops::{Deref, DerefMut};

/// Up to `N` items of a `Copy` type in place, more on the heap. Derefs
/// (also mutably) to `[T]`; equality and `Debug` are those of the
/// slice, so an inline and a spilled list of the same items are equal.
///
/// `N` must be between 1 and 255 (the inline length is a `u8`); a larger
/// or zero `N` fails to compile.
#[derive(Clone)]
pub struct InlineList<T: Copy, const N: usize>(Repr<T, N>);

#[derive(Clone)]
enum Repr<T: Copy, const N: usize> {
    /// 1 to `N` items: the first `len` of `items` (the others repeat the
    /// first item, a filler that is never read).
    Inline { len: u8, items: [T; N] },
    /// No item (an empty `Vec` does not allocate), or more than `N`, or
    /// a list made from a `Vec` (kept without copying).
    Heap(Vec<T>),
}

impl<T: Copy, const N: usize> InlineList<T, N> {
    /// Checked at compile time for each `N` used: the inline length fits
    /// a `u8`, and an empty inline array would hold nothing.
    const CAPACITY_FITS: () = assert!(N >= 1 && N <= u8::MAX as usize);

    /// The empty list; does not allocate.
    pub const fn new() -> Self {
        let () = Self::CAPACITY_FITS;
        Self(Repr::Heap(Vec::new()))
    }

    /// The items of `items`, copied; allocates only when there are more
    /// than `N`.
    pub fn from_slice(items: &[T]) -> Self {
        let () = Self::CAPACITY_FITS;
        match items {
            [first, ..] if items.len() <= N => {
                let mut inline = [*first; N];
                for (slot, item) in inline.iter_mut().zip(items) {
                    *slot = *item;
                }
                Self(Repr::Inline {
                    // items.len() <= N <= 255 here.
                    len: items.len() as u8,
                    items: inline,
                })
            }
            _ => Self(Repr::Heap(items.to_vec())),
        }
    }

    /// Appends `item`; the list moves to the heap when it is full in
    /// place.
    pub fn push(&mut self, item: T) {
        match &mut self.0 {
            Repr::Inline { len, items } => match items.get_mut(usize::from(*len)) {
                Some(slot) => {
                    *slot = item;
                    *len += 1;
                }
                None => {
                    let mut spilled = Vec::with_capacity(2 * N);
                    spilled.extend_from_slice(items);
                    spilled.push(item);
                    self.0 = Repr::Heap(spilled);
                }
            },
            Repr::Heap(list) if list.capacity() == 0 => {
                self.0 = Repr::Inline {
                    len: 1,
                    items: [item; N],
                };
            }
            Repr::Heap(list) => list.push(item),
        }
    }

    /// The items, as a slice.
    pub fn as_slice(&self) -> &[T] {
        match &self.0 {
            Repr::Inline { len, items } => items.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Heap(list) => list,
        }
    }

    /// Whether the items are held on the heap (more than `N` of them, or
    /// the list was made from a non-empty `Vec`). Only tests ask: the
    /// handshake reads the items alike either way.
    #[cfg(test)]
    pub fn is_spilled(&self) -> bool {
        matches!(&self.0, Repr::Heap(list) if list.capacity() != 0)
    }
}

impl<T: Copy, const N: usize> Deref for InlineList<T, N> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T: Copy, const N: usize> DerefMut for InlineList<T, N> {
    fn deref_mut(&mut self) -> &mut [T] {
        match &mut self.0 {
            Repr::Inline { len, items } => items.get_mut(..usize::from(*len)).unwrap_or_default(),
            Repr::Heap(list) => list,
        }
    }
}

impl<T: Copy, const N: usize> Default for InlineList<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Copy, const N: usize> Extend<T> for InlineList<T, N> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        iter.into_iter().for_each(|item| self.push(item));
    }
}

impl<T: Copy, const N: usize> FromIterator<T> for InlineList<T, N> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut list = Self::new();
        list.extend(iter);
        list
    }
}

impl<T: Copy, const N: usize> From<&[T]> for InlineList<T, N> {
    fn from(items: &[T]) -> Self {
        Self::from_slice(items)
    }
}

impl<T: Copy, const N: usize, const M: usize> From<[T; M]> for InlineList<T, N> {
    fn from(items: [T; M]) -> Self {
        Self::from_slice(&items)
    }
}

impl<T: Copy, const N: usize> From<Vec<T>> for InlineList<T, N> {
    /// Keeps `items`' allocation rather than copying it in place.
    fn from(items: Vec<T>) -> Self {
        Self(Repr::Heap(items))
    }
}

impl<T: Copy + PartialEq, const N: usize> PartialEq for InlineList<T, N> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Copy + Eq, const N: usize> Eq for InlineList<T, N> {}

impl<T: Copy + PartialEq, const N: usize> PartialEq<&[T]> for InlineList<T, N> {
    fn eq(&self, other: &&[T]) -> bool {
        **self == **other
    }
}

impl<T: Copy + PartialEq, const N: usize, const M: usize> PartialEq<[T; M]> for InlineList<T, N> {
    fn eq(&self, other: &[T; M]) -> bool {
        **self == *other
    }
}

impl<T: Copy + fmt::Debug, const N: usize> fmt::Debug for InlineList<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Four = InlineList<u16, 4>;

    #[test]
    fn empty_list_holds_nothing_and_does_not_allocate() {
        let list = Four::new();
        assert!(list.is_empty());
        assert!(!list.is_spilled());
        assert_eq!(Four::from_slice(&[]), list);
        assert!(!Four::from_slice(&[]).is_spilled());
    }

    #[test]
    fn up_to_capacity_stays_inline() {
        let list = Four::from_slice(&[1, 2, 3, 4]);
        assert_eq!(&*list, &[1, 2, 3, 4]);
        assert!(!list.is_spilled());
        let pushed: Four = [1, 2, 3, 4].into_iter().collect();
        assert_eq!(&*pushed, &[1, 2, 3, 4]);
        assert!(!pushed.is_spilled());
        let short = Four::from_slice(&[9]);
        assert_eq!(&*short, &[9]);
    }

    #[test]
    fn past_capacity_spills_and_keeps_every_item_in_order() {
        let list = Four::from_slice(&[1, 2, 3, 4, 5]);
        assert!(list.is_spilled());
        assert_eq!(&*list, &[1, 2, 3, 4, 5]);
        let mut pushed = Four::from_slice(&[1, 2, 3, 4]);
        pushed.push(5);
        pushed.push(6);
        assert!(pushed.is_spilled());
        assert_eq!(&*pushed, &[1, 2, 3, 4, 5, 6]);
        let collected: Four = (0..100).collect();
        assert_eq!(collected.len(), 100);
        assert!(collected.iter().copied().eq(0..100));
    }

    #[test]
    fn inline_and_spilled_lists_of_the_same_items_are_equal() {
        let inline = Four::from_slice(&[7, 8]);
        let spilled = Four::from(vec![7, 8]);
        assert!(spilled.is_spilled() && !inline.is_spilled());
        assert_eq!(inline, spilled);
        assert_ne!(inline, Four::from_slice(&[7]));
        assert_eq!(format!("{inline:?}"), "[7, 8]");
    }
}
