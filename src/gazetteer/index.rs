//! The name index of a gazetteer: fst maps from strict and loose keys to entries, built once.
//!
//! For the bundled gazetteer `build.rs` builds it at compile time from `gazetteer/places.tsv`
//! (this file is compiled into the build script too), so loading costs no normalisation.
//! Overlays and other gazetteers build it in memory at load.
//!
//! Layout (all integers little-endian u32):
//! - `exact`: strict key -> offset `p` into `postings`; `postings[p]` = n, then n entry ids.
//! - `loose`: loose key -> offset `p`; `postings[p]` = n, then n pairs (entry id, name-key id).
//! - `keys`: the distinct strict keys of names, `\n`-separated; `key_offsets[i]..[i+1]` bounds
//!   key i in it.
//! - `demonyms`: strict keys of demonym names (marked `~` in the TSV), `\n`-separated.

use std::collections::{BTreeMap, HashMap};

use super::normalize;

/// The byte sections of an index, as written by `build` and read by `Index::from_parts`.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    pub exact: Vec<u8>,
    pub loose: Vec<u8>,
    pub postings: Vec<u8>,
    pub keys: Vec<u8>,
    pub key_offsets: Vec<u8>,
    pub demonyms: Vec<u8>,
}

impl Parts {
    /// The sections as the files of an index folder (what `build.rs` writes into `OUT_DIR`
    /// and `gazetteer import` into its folder), by file name.
    pub fn files(&self) -> [(&'static str, &[u8]); 6] {
        [
            ("exact.fst", &self.exact),
            ("loose.fst", &self.loose),
            ("postings.bin", &self.postings),
            ("keys.txt", &self.keys),
            ("key_offsets.bin", &self.key_offsets),
            ("demonyms.txt", &self.demonyms),
        ]
    }
}

/// Builds the index sections for entries given as (entry id, names).
pub fn build<'a>(entries: impl Iterator<Item = (u32, &'a [&'a str])>) -> Parts {
    let mut exact: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut loose: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
    let mut key_ids: HashMap<String, u32> = HashMap::new();
    let mut keys: Vec<String> = Vec::new();
    let mut demonyms: Vec<String> = Vec::new();
    for (idx, names) in entries {
        for n in names {
            let k = normalize::key(n);
            if k.is_empty() {
                continue;
            }
            if n.starts_with('~') && !demonyms.contains(&k) {
                demonyms.push(k.clone());
            }
            let list = exact.entry(k.clone()).or_default();
            if list.last() == Some(&idx) {
                continue; // another spelling of the entry with the same key
            }
            list.push(idx);
            let lk = normalize::loose_key_of_key(&k);
            let kid = *key_ids.entry(k.clone()).or_insert_with(|| {
                keys.push(k);
                (keys.len() - 1) as u32
            });
            loose.entry(lk).or_default().push((idx, kid));
        }
    }
    let mut postings: Vec<u32> = Vec::new();
    let mut exact_builder = fst::MapBuilder::memory();
    for (k, ids) in &exact {
        let p = postings.len() as u64;
        postings.push(ids.len() as u32);
        postings.extend(ids);
        // Keys are unique and sorted (BTreeMap): insertion cannot fail.
        let _ = exact_builder.insert(k, p);
    }
    let mut loose_builder = fst::MapBuilder::memory();
    for (k, pairs) in &loose {
        let p = postings.len() as u64;
        postings.push(pairs.len() as u32);
        for &(e, kid) in pairs {
            postings.push(e);
            postings.push(kid);
        }
        let _ = loose_builder.insert(k, p);
    }
    let mut key_blob = String::new();
    let mut offsets: Vec<u32> = Vec::with_capacity(keys.len() + 1);
    for k in &keys {
        offsets.push(key_blob.len() as u32);
        key_blob.push_str(k);
        key_blob.push('\n');
    }
    offsets.push(key_blob.len() as u32);
    demonyms.sort();
    Parts {
        exact: exact_builder.into_inner().unwrap_or_default(),
        loose: loose_builder.into_inner().unwrap_or_default(),
        postings: postings.iter().flat_map(|x| x.to_le_bytes()).collect(),
        keys: key_blob.into_bytes(),
        key_offsets: offsets.iter().flat_map(|x| x.to_le_bytes()).collect(),
        demonyms: demonyms.join("\n").into_bytes(),
    }
}

/// Index or data bytes: compiled into the binary, built in memory, or memory-mapped.
#[derive(Clone)]
pub enum Bytes {
    /// Compiled into the binary.
    Static(&'static [u8]),
    /// Built in memory.
    Owned(std::sync::Arc<Vec<u8>>),
    /// A file mapped into memory (or any other shared buffer).
    Shared(std::sync::Arc<dyn AsRef<[u8]> + Send + Sync>),
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        match self {
            Bytes::Static(b) => b,
            Bytes::Owned(v) => v.as_slice(),
            Bytes::Shared(s) => (**s).as_ref(),
        }
    }
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bytes({} bytes)", self.as_ref().len())
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_ref()
    }
}

/// A loaded index over borrowed (bundled) or owned (built at load) bytes.
pub struct Index {
    exact: fst::Map<Bytes>,
    loose: fst::Map<Bytes>,
    postings: Bytes,
    keys: Bytes,
    key_offsets: Bytes,
    demonyms: std::collections::HashSet<String>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Index({} keys)", self.exact.len())
    }
}

fn u32_at(bytes: &[u8], i: usize) -> u32 {
    bytes
        .get(i * 4..i * 4 + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .unwrap_or(0)
}

impl Index {
    /// An index over its sections; `None` when the fst bytes are not valid.
    pub fn from_parts(
        exact: Bytes,
        loose: Bytes,
        postings: Bytes,
        keys: Bytes,
        key_offsets: Bytes,
        demonyms: &[u8],
    ) -> Option<Index> {
        Some(Index {
            exact: fst::Map::new(exact).ok()?,
            loose: fst::Map::new(loose).ok()?,
            postings,
            keys,
            key_offsets,
            demonyms: String::from_utf8_lossy(demonyms)
                .split('\n')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        })
    }

    /// An index built in memory.
    pub fn from_built(p: Parts) -> Option<Index> {
        let own = |v: Vec<u8>| Bytes::Owned(std::sync::Arc::new(v));
        Index::from_parts(
            own(p.exact),
            own(p.loose),
            own(p.postings),
            own(p.keys),
            own(p.key_offsets),
            &p.demonyms,
        )
    }

    /// Number of distinct strict keys.
    pub fn len(&self) -> usize {
        self.exact.len()
    }

    /// True when the index has no key.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }

    /// Entries with exactly this strict key.
    pub fn exact(&self, key: &str) -> impl Iterator<Item = u32> + use<'_> {
        let (start, n) = match self.exact.get(key) {
            Some(p) => (p as usize + 1, u32_at(&self.postings, p as usize) as usize),
            None => (0, 0),
        };
        (start..start + n).map(|i| u32_at(&self.postings, i))
    }

    /// (entry, name-key id) of every name with this loose key.
    pub fn loose(&self, loose_key: &str) -> impl Iterator<Item = (u32, u32)> + '_ {
        let (start, n) = match self.loose.get(loose_key) {
            Some(p) => (p as usize + 1, u32_at(&self.postings, p as usize) as usize),
            None => (0, 0),
        };
        (0..n).map(move |j| {
            (
                u32_at(&self.postings, start + 2 * j),
                u32_at(&self.postings, start + 2 * j + 1),
            )
        })
    }

    /// The strict key of a name-key id.
    pub fn key(&self, id: u32) -> &str {
        let a = u32_at(&self.key_offsets, id as usize) as usize;
        let b = u32_at(&self.key_offsets, id as usize + 1) as usize;
        std::str::from_utf8(self.keys.get(a..b.saturating_sub(1).max(a)).unwrap_or(&[]))
            .unwrap_or("")
    }

    /// True when the strict key is a demonym's.
    pub fn is_demonym(&self, key: &str) -> bool {
        self.demonyms.contains(key)
    }

    /// Strict keys within `distance` byte edits of `key` that start with its first byte.
    pub fn fuzzy(&self, key: &str, distance: u8) -> Vec<String> {
        use fst::{IntoStreamer, Streamer};
        if key.is_empty() || key.len() > MAX_FUZZY {
            return Vec::new();
        }
        let automaton = EditDistance {
            query: key.as_bytes(),
            distance,
        };
        let mut stream = self.exact.search(automaton).into_stream();
        let mut out = Vec::new();
        while let Some((k, _)) = stream.next() {
            if let Ok(s) = std::str::from_utf8(k) {
                out.push(s.to_string());
            }
        }
        out
    }
}

/// Keys within `distance` byte edits (Levenshtein) of `query` and with its first byte: a
/// lazy automaton that keeps one row of the edit-distance table per fst state, so nothing is
/// built ahead of a look-up. Rows live in fixed arrays: queries are at most `MAX_FUZZY` bytes.
struct EditDistance<'q> {
    query: &'q [u8],
    distance: u8,
}

/// The longest key the fuzzy search takes.
pub const MAX_FUZZY: usize = 47;

impl fst::Automaton for EditDistance<'_> {
    /// The current row (entries 0..=query length); `None` once no key below can be close.
    type State = Option<[u8; MAX_FUZZY + 1]>;

    fn start(&self) -> Self::State {
        let mut row = [0u8; MAX_FUZZY + 1];
        for (i, v) in row.iter_mut().enumerate().take(self.query.len() + 1) {
            *v = i as u8;
        }
        Some(row)
    }

    fn is_match(&self, state: &Self::State) -> bool {
        state
            .as_ref()
            .is_some_and(|row| row[self.query.len()] <= self.distance)
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let row = state.as_ref()?;
        // Row 0 is the start: the first byte must be the query's.
        if row[0] == 0 && self.query.first() != Some(&byte) {
            return None;
        }
        let n = self.query.len();
        let d = usize::from(self.distance);
        // Cells farther than `distance` from the diagonal exceed it: only the band is computed,
        // the rest is set just past the limit.
        let out_of_band = self.distance.saturating_add(1);
        let mut next = [out_of_band; MAX_FUZZY + 1];
        let depth = usize::from(row[0]) + 1;
        next[0] = u8::try_from(depth).unwrap_or(u8::MAX);
        let mut best = next[0];
        let lo = depth.saturating_sub(d).max(1);
        let hi = (depth + d).min(n);
        for i in lo..=hi {
            let cost = u8::from(self.query[i - 1] != byte);
            let v = (row[i - 1].saturating_add(cost))
                .min(row[i].saturating_add(1))
                .min(next[i - 1].saturating_add(1))
                .min(out_of_band);
            next[i] = v;
            best = best.min(v);
        }
        (best <= self.distance).then_some(next)
    }
}
