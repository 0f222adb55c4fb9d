//! Values remembered per property position, by the name's address: a layer's features name
//! the same properties in the same order, from the same `'static` strings, so a position
//! whose name has the same address and length holds the same name, and a value worked out
//! from that name (its key number, its written form) need not be worked out again.

/// For each property position, the last name seen there (its address and length) and the
/// value worked out from it.
#[derive(Debug, Clone)]
pub struct NameSlots<T> {
    slots: Vec<Option<((usize, usize), T)>>,
}

impl<T> Default for NameSlots<T> {
    fn default() -> Self {
        NameSlots { slots: Vec::new() }
    }
}

fn address(name: &str) -> (usize, usize) {
    (name.as_ptr() as usize, name.len())
}

impl<T> NameSlots<T> {
    /// The value remembered for `name` at position `pos`, if `name` (the same text at the
    /// same address) was the last name there.
    pub fn get(&self, pos: usize, name: &str) -> Option<&T> {
        match self.slots.get(pos) {
            Some(Some((a, v))) if *a == address(name) => Some(v),
            _ => None,
        }
    }

    /// Remembers `value` for `name` at position `pos`.
    pub fn set(&mut self, pos: usize, name: &str, value: T) {
        if self.slots.len() <= pos {
            self.slots.resize_with(pos + 1, || None);
        }
        self.slots[pos] = Some((address(name), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_answers_only_for_the_name_last_set_there() {
        let mut s: NameSlots<u32> = NameSlots::default();
        let (a, b) = ("claims", "places");
        assert_eq!(s.get(0, a), None);
        s.set(2, a, 7);
        assert_eq!(s.get(2, a), Some(&7));
        assert_eq!(s.get(2, b), None);
        assert_eq!(s.get(0, a), None);
        // The same text elsewhere in memory is another name to the slots.
        let copy = String::from(a);
        assert_eq!(s.get(2, &copy), None);
        s.set(2, b, 8);
        assert_eq!(s.get(2, a), None);
        assert_eq!(s.get(2, b), Some(&8));
    }
}
