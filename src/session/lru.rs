//! A bounded map that evicts its least recently used entry: the core of
//! the in-memory session stores. Every operation is O(1) expected (a hash
//! lookup plus a few link updates in a doubly linked list kept in a
//! vector of slots, so no `unsafe` and no per-operation scan).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

struct Node<K, V> {
    key: K,
    value: V,
    /// The next more recently used slot.
    newer: Option<usize>,
    /// The next less recently used slot.
    older: Option<usize>,
}

/// A map of at most `capacity` entries; inserting into a full map evicts
/// the least recently used entry. `get_mut` and `insert` count as use.
pub(crate) struct LruMap<K, V> {
    index: HashMap<K, usize>,
    slots: Vec<Option<Node<K, V>>>,
    free: Vec<usize>,
    newest: Option<usize>,
    oldest: Option<usize>,
    capacity: usize,
}

impl<K: Hash + Eq + Clone, V> LruMap<K, V> {
    /// An empty map holding at most `capacity` entries (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            index: HashMap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            newest: None,
            oldest: None,
            capacity: capacity.max(1),
        }
    }

    /// How many entries the map holds.
    pub(crate) fn len(&self) -> usize {
        self.index.len()
    }

    /// The value for `key`, marked as most recently used.
    pub(crate) fn get_mut<Q: Hash + Eq + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let slot = *self.index.get(key)?;
        self.unlink(slot);
        self.link_newest(slot);
        self.slots
            .get_mut(slot)
            .and_then(Option::as_mut)
            .map(|node| &mut node.value)
    }

    /// Inserts or replaces the value for `key` as the most recently used
    /// entry; returns the entry evicted to make room, if any.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(existing) = self.get_mut(&key) {
            *existing = value;
            return None;
        }
        let evicted = if self.len() >= self.capacity {
            self.pop_oldest()
        } else {
            None
        };
        let node = Node {
            key: key.clone(),
            value,
            newer: None,
            older: None,
        };
        let slot = match self.free.pop() {
            Some(slot) => {
                if let Some(place) = self.slots.get_mut(slot) {
                    *place = Some(node);
                }
                slot
            }
            None => {
                self.slots.push(Some(node));
                self.slots.len() - 1
            }
        };
        self.index.insert(key, slot);
        self.link_newest(slot);
        evicted
    }

    /// Removes and returns the value for `key`.
    pub(crate) fn remove<Q: Hash + Eq + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let slot = self.index.remove(key)?;
        self.release(slot).map(|(_, value)| value)
    }

    /// Removes and returns the least recently used entry.
    pub(crate) fn pop_oldest(&mut self) -> Option<(K, V)> {
        let slot = self.oldest?;
        let (key, value) = self.release(slot)?;
        self.index.remove(&key);
        Some((key, value))
    }

    /// The least recently used entry, without marking it used.
    pub(crate) fn peek_oldest(&self) -> Option<(&K, &V)> {
        let node = self.slots.get(self.oldest?)?.as_ref()?;
        Some((&node.key, &node.value))
    }

    /// Unlinks `slot`, empties it and returns its entry (the index is the
    /// caller's to update).
    fn release(&mut self, slot: usize) -> Option<(K, V)> {
        self.unlink(slot);
        let node = self.slots.get_mut(slot)?.take()?;
        self.free.push(slot);
        Some((node.key, node.value))
    }

    fn node_mut(&mut self, slot: usize) -> Option<&mut Node<K, V>> {
        self.slots.get_mut(slot).and_then(Option::as_mut)
    }

    fn unlink(&mut self, slot: usize) {
        let Some(node) = self.node_mut(slot) else {
            return;
        };
        let (newer, older) = (node.newer.take(), node.older.take());
        match newer.and_then(|n| self.node_mut(n)) {
            Some(n) => n.older = older,
            None => self.newest = older,
        }
        match older.and_then(|o| self.node_mut(o)) {
            Some(o) => o.newer = newer,
            None => self.oldest = newer,
        }
    }

    fn link_newest(&mut self, slot: usize) {
        let previous_newest = self.newest;
        if let Some(node) = self.node_mut(slot) {
            node.older = previous_newest;
            node.newer = None;
        }
        match previous_newest.and_then(|n| self.node_mut(n)) {
            Some(n) => n.newer = Some(slot),
            None => self.oldest = Some(slot),
        }
        self.newest = Some(slot);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used_first() {
        let mut map = LruMap::new(3);
        assert_eq!(map.insert(1, "a"), None);
        assert_eq!(map.insert(2, "b"), None);
        assert_eq!(map.insert(3, "c"), None);
        map.get_mut(&1);
        assert_eq!(map.insert(4, "d"), Some((2, "b")));
        assert_eq!(map.insert(5, "e"), Some((3, "c")));
        assert_eq!(map.insert(6, "f"), Some((1, "a")));
        assert_eq!(map.len(), 3);
    }

    #[test]
    fn replace_does_not_evict_and_counts_as_use() {
        let mut map = LruMap::new(2);
        map.insert(1, 10);
        map.insert(2, 20);
        assert_eq!(map.insert(1, 11), None);
        assert_eq!(map.insert(3, 30), Some((2, 20)));
        assert_eq!(map.get_mut(&1).copied(), Some(11));
    }

    #[test]
    fn remove_and_pop_keep_links_consistent() {
        let mut map = LruMap::new(4);
        for k in 1..=4 {
            map.insert(k, k * 10);
        }
        assert_eq!(map.remove(&2), Some(20));
        assert_eq!(map.remove(&2), None);
        assert_eq!(map.peek_oldest(), Some((&1, &10)));
        assert_eq!(map.pop_oldest(), Some((1, 10)));
        assert_eq!(map.remove(&4), Some(40));
        assert_eq!(map.pop_oldest(), Some((3, 30)));
        assert_eq!(map.pop_oldest(), None);
        assert_eq!(map.len(), 0);
        // Freed slots are reused and the list still works.
        map.insert(7, 70);
        map.insert(8, 80);
        assert_eq!(map.pop_oldest(), Some((7, 70)));
        assert_eq!(map.pop_oldest(), Some((8, 80)));
    }

    #[test]
    fn capacity_zero_means_one() {
        let mut map = LruMap::new(0);
        map.insert(1, 1);
        assert_eq!(map.insert(2, 2), Some((1, 1)));
        assert_eq!(map.len(), 1);
    }
}
