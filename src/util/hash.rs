//! A fast hasher for short string keys (word sets, look-up memos): FNV-1a, which beats the
//! standard SipHash on words of a few bytes. Not for keys an attacker chooses at scale.
//! Also SHA-256 and the lower-case hex spelling of digests.

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

/// A word-at-a-time multiplicative hasher (the "Fx" hash of rustc): eight bytes per step,
/// for keys of tens of bytes (encoded tile values), where FNV's byte loop is slow. Not for
/// keys an attacker chooses at scale.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fx(u64);

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        // The multiply leaves the low bits weakest; hash tables take their bucket from them.
        self.0.rotate_left(26)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.add(u64::from_le_bytes(b));
        }
        let rest = words.remainder();
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        // The length tells "ab" from "ab\0".
        self.add(u64::from_le_bytes(b) ^ ((bytes.len() as u64) << 56));
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

/// A hash map with the Fx hash.
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Fx>>;

/// Lower-case hex of bytes (a digest as manifests and cache keys spell it).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lower-case hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn fx<T: Hash + ?Sized>(v: &T) -> u64 {
        BuildHasherDefault::<Fx>::default().hash_one(v)
    }

    /// Keys that differ in a byte, in length or only by trailing zeros hash apart; a map keyed
    /// by encoded values finds each again.
    #[test]
    fn fx_tells_keys_apart() {
        let keys: [&[u8]; 7] = [
            b"",
            b"\0",
            b"ab",
            b"ab\0",
            b"abcdefgh",
            b"abcdefgh\0",
            b"abcdefgi",
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(fx(a), fx(b), "{a:?} {b:?}");
            }
        }
        let mut m: FxHashMap<Vec<u8>, usize> = FxHashMap::default();
        for i in 0..10_000usize {
            m.insert(format!("b{i}").into_bytes(), i);
        }
        assert!((0..10_000usize).all(|i| m.get(format!("b{i}").as_bytes()) == Some(&i)));
    }
}
