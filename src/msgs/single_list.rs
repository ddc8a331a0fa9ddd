//! [`SingleList`]: a list that nearly always holds one item (the
//! server_name list, a ClientHello's key shares), kept in place when it
//! does and in a `Vec` otherwise.
//!
//! RFC 6066 §3 allows one name per name type and defines only
//! `host_name`, and a client sends one key share per ClientHello unless
//! it offers a hybrid group beside a classical one (RFC 8446 §4.2.8). The
//! items own byte strings, so [`InlineList`](crate::msgs::inline_list::InlineList)
//! (for `Copy` items) does not fit; holding the lone item in place saves
//! the list's allocation on both the side that builds the hello and the
//! side that decodes it. Longer lists are held on the heap and behave the
//! same: this is a sizing choice, never a limit.

use core::fmt;
use core::ops::{Deref, DerefMut};

/// No item, one item in place, or more on the heap. Derefs (also
/// mutably) to `[T]`;
/// equality and `Debug` are those of the slice.
#[derive(Clone)]
pub struct SingleList<T>(Repr<T>);

#[derive(Clone)]
enum Repr<T> {
    /// No item, or more than one (an empty `Vec` does not allocate).
    Heap(Vec<T>),
    /// Exactly one item.
    One(T),
}

impl<T> SingleList<T> {
    /// The empty list; does not allocate.
    pub const fn new() -> Self {
        Self(Repr::Heap(Vec::new()))
    }

    /// Appends `item`; a second item moves the list to the heap.
    pub fn push(&mut self, item: T) {
        self.0 = match core::mem::replace(&mut self.0, Repr::Heap(Vec::new())) {
            Repr::Heap(list) if list.is_empty() => Repr::One(item),
            Repr::Heap(mut list) => {
                list.push(item);
                Repr::Heap(list)
            }
            Repr::One(first) => Repr::Heap(vec![first, item]),
        };
    }

    /// Whether the items are held on the heap (more than one of them).
    /// Only tests ask: the handshake reads the items alike either way.
    #[cfg(test)]
    pub fn is_spilled(&self) -> bool {
        matches!(&self.0, Repr::Heap(list) if !list.is_empty())
    }
}

impl<T> Deref for SingleList<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match &self.0 {
            Repr::Heap(list) => list,
            Repr::One(item) => core::slice::from_ref(item),
        }
    }
}

impl<T> DerefMut for SingleList<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match &mut self.0 {
            Repr::Heap(list) => list,
            Repr::One(item) => core::slice::from_mut(item),
        }
    }
}

impl<T> Default for SingleList<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Extend<T> for SingleList<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        iter.into_iter().for_each(|item| self.push(item));
    }
}

impl<T> FromIterator<T> for SingleList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut list = Self::new();
        list.extend(iter);
        list
    }
}

impl<T> From<Vec<T>> for SingleList<T> {
    /// Keeps `items`' allocation (or none, when empty).
    fn from(items: Vec<T>) -> Self {
        Self(Repr::Heap(items))
    }
}

impl<T: PartialEq> PartialEq for SingleList<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Eq> Eq for SingleList<T> {}

impl<T: fmt::Debug> fmt::Debug for SingleList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_item_stays_in_place_and_more_spill_in_order() {
        let mut list = SingleList::new();
        assert!(list.is_empty() && !list.is_spilled());
        list.push(String::from("a"));
        assert_eq!(&*list, ["a"]);
        assert!(!list.is_spilled());
        list.push(String::from("b"));
        list.push(String::from("c"));
        assert_eq!(&*list, ["a", "b", "c"]);
        assert!(list.is_spilled());
    }

    #[test]
    fn lists_of_the_same_items_are_equal_however_held() {
        let one: SingleList<u8> = [7].into_iter().collect();
        assert_eq!(one, SingleList::from(vec![7]));
        assert_ne!(one, SingleList::new());
        assert_eq!(SingleList::<u8>::from(Vec::new()), SingleList::new());
        assert_eq!(format!("{one:?}"), "[7]");
    }
}
