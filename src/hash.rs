//! A fast hasher for short string keys (word sets, look-up memos): FNV-1a, which beats the
//! standard SipHash on words of a few bytes. Not for keys an attacker chooses at scale.
//! Also the lower-case hex spelling of digests.

use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a, 64 bits.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A `HashMap` / `HashSet` hasher builder using FNV-1a.
pub type FnvBuild = BuildHasherDefault<Fnv>;

/// A hash map with FNV-1a.
pub type FnvHashMap<K, V> = std::collections::HashMap<K, V, FnvBuild>;

/// A hash set with FNV-1a.
pub type FnvHashSet<T> = std::collections::HashSet<T, FnvBuild>;

/// Lower-case hex of bytes (a digest as manifests and cache keys spell it).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
