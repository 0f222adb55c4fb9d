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
//! - `deletes` (optional): every strict key with one byte deleted (not its first) -> offset
//!   `p`; `postings[p]` = n, then n name-key ids. One-edit look-ups become a few exact ones
//!   (the symmetric-deletion method); without it they walk the fst with an automaton.

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
    pub deletes: Vec<u8>,
}

impl Parts {
    /// The sections as the files of an index folder (what `build.rs` writes into `OUT_DIR`
    /// and `gazetteer import` into its folder), by file name.
    pub fn files(&self) -> [(&'static str, &[u8]); 7] {
        [
            ("exact.fst", &self.exact),
            ("loose.fst", &self.loose),
            ("postings.bin", &self.postings),
            ("keys.txt", &self.keys),
            ("key_offsets.bin", &self.key_offsets),
            ("demonyms.txt", &self.demonyms),
            ("deletes.fst", &self.deletes),
        ]
    }

    /// Adds the deletion section: each key of `keys` with one byte deleted (any but the
    /// first, which one-edit matches share), mapped to the keys that give it.
    #[allow(dead_code)] // Called by build.rs (which includes this file) and the tests.
    pub fn add_deletes(&mut self) {
        let keys: Vec<&[u8]> = self
            .keys
            .split(|&b| b == b'\n')
            .take(self.key_offsets.len() / 4 - 1)
            .collect();
        let mut variants: Vec<(Vec<u8>, u32)> = Vec::new();
        for (id, k) in keys.iter().enumerate() {
            for i in 1..k.len() {
                // Deleting either byte of a doubled pair gives the same variant: keep one.
                if k[i] == k[i - 1] && i > 1 {
                    continue;
                }
                let mut v = Vec::with_capacity(k.len() - 1);
                v.extend_from_slice(&k[..i]);
                v.extend_from_slice(&k[i + 1..]);
                variants.push((v, id as u32));
            }
        }
        variants.sort_unstable();
        variants.dedup();
        let mut postings: Vec<u32> = self
            .postings
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let mut builder = fst::MapBuilder::memory();
        let mut i = 0;
        while i < variants.len() {
            let mut j = i;
            while j < variants.len() && variants[j].0 == variants[i].0 {
                j += 1;
            }
            let p = postings.len() as u64;
            postings.push((j - i) as u32);
            postings.extend(variants[i..j].iter().map(|v| v.1));
            // Variants are sorted and grouped: insertion cannot fail.
            let _ = builder.insert(&variants[i].0, p);
            i = j;
        }
        self.deletes = builder.into_inner().unwrap_or_default();
        self.postings = postings.iter().flat_map(|x| x.to_le_bytes()).collect();
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
            // A landmark's name that is also a settlement's: found only with a kind word.
            if n.starts_with('^') {
                continue;
            }
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
        deletes: Vec::new(),
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
    deletes: Option<fst::Map<Bytes>>,
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
        deletes: Bytes,
    ) -> Option<Index> {
        let deletes = if deletes.is_empty() {
            None
        } else {
            Some(fst::Map::new(deletes).ok()?)
        };
        Some(Index {
            deletes,
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
            own(p.deletes),
        )
    }

    /// Number of distinct strict keys.
    pub fn len(&self) -> usize {
        self.exact.len()
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
        if key.is_empty() || key.len() > MAX_FUZZY {
            return Vec::new();
        }
        let distance = distance.min(MAX_DISTANCE);
        if distance == 1 {
            if let Some(deletes) = &self.deletes {
                return self.one_edit(deletes, key.as_bytes());
            }
        }
        self.fuzzy_by_automaton(key, distance)
    }

    /// `fuzzy` by walking the fst with the banded edit-distance automaton.
    fn fuzzy_by_automaton(&self, key: &str, distance: u8) -> Vec<String> {
        use fst::{IntoStreamer, Streamer};
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

impl Index {
    /// Keys within one byte edit of `query` that share its first byte, by exact look-ups of
    /// deletion variants: the query itself among the keys' deletions (the query lacks a
    /// byte), the query's deletions among the keys (it has one too many) and among the keys'
    /// deletions (one byte differs, or two are swapped: checked away below).
    fn one_edit(&self, deletes: &fst::Map<Bytes>, query: &[u8]) -> Vec<String> {
        let mut ids: Vec<u32> = Vec::new();
        let mut keys: Vec<Vec<u8>> = Vec::new();
        let posting = |p: u64, ids: &mut Vec<u32>| {
            let n = u32_at(&self.postings, p as usize) as usize;
            ids.extend((p as usize + 1..p as usize + 1 + n).map(|i| u32_at(&self.postings, i)));
        };
        if let Some(p) = deletes.get(query) {
            posting(p, &mut ids);
        }
        let mut variant = Vec::with_capacity(query.len());
        for i in 1..query.len() {
            if query[i] == query[i - 1] && i > 1 {
                continue;
            }
            variant.clear();
            variant.extend_from_slice(&query[..i]);
            variant.extend_from_slice(&query[i + 1..]);
            if self.exact.contains_key(&variant) {
                keys.push(variant.clone());
            }
            if let Some(p) = deletes.get(&variant) {
                posting(p, &mut ids);
            }
        }
        if self.exact.contains_key(query) {
            keys.push(query.to_vec());
        }
        keys.extend(ids.iter().map(|&id| self.key(id).as_bytes().to_vec()));
        keys.retain(|k| within_one_edit(k, query));
        keys.sort_unstable();
        keys.dedup();
        keys.into_iter()
            .filter_map(|k| String::from_utf8(k).ok())
            .collect()
    }
}

/// True when `a` and `b` are at most one byte insertion, deletion or substitution apart.
fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short[prefix..].get(1..) == long[prefix..].get(1..) || prefix == short.len()
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// Keys within `distance` byte edits (Levenshtein) of `query` and with its first byte: a
/// lazy automaton that keeps, per fst state, only the band of the edit-distance row that can
/// still be within `distance` (cells farther from the diagonal exceed it), so nothing is
/// built ahead of a look-up and a state is a few bytes.
struct EditDistance<'q> {
    query: &'q [u8],
    distance: u8,
}

/// The longest key the fuzzy search takes.
pub const MAX_FUZZY: usize = 47;

/// The largest edit distance the fuzzy search takes.
pub const MAX_DISTANCE: u8 = 2;

const BAND: usize = 2 * MAX_DISTANCE as usize + 1;

/// One row of the edit-distance table, inside the band: `cells[j]` is the distance between
/// the key prefix of length `depth` and the query prefix of length `depth + j - distance`.
#[derive(Clone, Copy)]
struct Band {
    depth: u8,
    cells: [u8; BAND],
}

impl EditDistance<'_> {
    /// The query position of band cell `j` at `depth`, when it is one (0..=query length).
    fn position(&self, depth: usize, j: usize) -> Option<usize> {
        let i = (depth + j).checked_sub(usize::from(self.distance))?;
        (i <= self.query.len()).then_some(i)
    }
}

impl fst::Automaton for EditDistance<'_> {
    /// The current band; `None` once no key below can be close.
    type State = Option<Band>;

    fn start(&self) -> Self::State {
        let far = self.distance.saturating_add(1);
        let mut cells = [far; BAND];
        for (j, cell) in cells.iter_mut().enumerate() {
            if let Some(i) = self.position(0, j) {
                *cell = u8::try_from(i).unwrap_or(u8::MAX).min(far);
            }
        }
        Some(Band { depth: 0, cells })
    }

    fn is_match(&self, state: &Self::State) -> bool {
        state.as_ref().is_some_and(|band| {
            let d = usize::from(self.distance);
            (self.query.len() + d)
                .checked_sub(usize::from(band.depth))
                .and_then(|j| band.cells.get(j))
                .is_some_and(|&v| v <= self.distance)
        })
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let band = state.as_ref()?;
        // The first byte must be the query's.
        if band.depth == 0 && self.query.first() != Some(&byte) {
            return None;
        }
        let far = self.distance.saturating_add(1);
        let width = 2 * usize::from(self.distance) + 1;
        let depth = usize::from(band.depth) + 1;
        let mut cells = [far; BAND];
        let mut best = far;
        for j in 0..width {
            let Some(i) = self.position(depth, j) else {
                continue;
            };
            let v = if i == 0 {
                u8::try_from(depth).unwrap_or(u8::MAX).min(far)
            } else {
                let cost = u8::from(self.query[i - 1] != byte);
                // Same query position one key byte back is cell j (diagonal) or j + 1 (up).
                let diagonal = band.cells[j].saturating_add(cost);
                let up = band
                    .cells
                    .get(j + 1)
                    .filter(|_| j + 1 < width)
                    .map_or(far, |v| v.saturating_add(1));
                let left = if j > 0 {
                    cells[j - 1].saturating_add(1)
                } else {
                    far
                };
                diagonal.min(up).min(left).min(far)
            };
            cells[j] = v;
            best = best.min(v);
        }
        (best <= self.distance).then_some(Band {
            depth: u8::try_from(depth).ok()?,
            cells,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::{IntoStreamer, Streamer};

    /// Byte-wise Levenshtein distance, the slow way.
    fn levenshtein(a: &[u8], b: &[u8]) -> usize {
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, &x) in a.iter().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, &y) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = (prev + usize::from(x != y)).min(cur + 1).min(row[j] + 1);
                prev = cur;
            }
        }
        row[b.len()]
    }

    #[test]
    fn deletion_index_finds_what_the_automaton_finds() {
        let names: Vec<String> = [
            "Baniyas",
            "Banias",
            "Qardaha",
            "Jableh",
            "Jablah",
            "Jebleh",
            "Idlib",
            "Idleb",
            "Hama",
            "Hamah",
            "Homs",
            "Aleppo",
            "Haleb",
            "Latakia",
            "Lattakia",
            "Tartus",
            "Tartous",
            "Deir ez-Zor",
            "Dayr az Zawr",
            "Beit Yashout",
            "Bayt Yashut",
            "Abbasiyeh",
            "Aabbasiyeh",
            "Kafr Nabl",
            "Kfar Nabl",
            "Maarat al-Numan",
            "Tall Abyad",
            "Tell Abiad",
            "Ayn al Arab",
            "Ain al-Arab",
            "اللاذقية",
            "جبلة",
            "حماة",
            "حمص",
            "Sabburah",
            "Saboura",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let lists: Vec<Vec<&str>> = names.iter().map(|n| vec![n.as_str()]).collect();
        let mut parts = build(
            lists
                .iter()
                .enumerate()
                .map(|(i, n)| (i as u32, n.as_slice())),
        );
        parts.add_deletes();
        let index = Index::from_built(parts).expect("valid index");
        assert!(index.deletes.is_some());
        let mut queries: Vec<String> = Vec::new();
        for n in &names {
            let k = normalize::key(n);
            let b = k.as_bytes();
            queries.push(k.clone());
            for i in 0..b.len() {
                let mut del = b.to_vec();
                del.remove(i);
                let mut ins = b.to_vec();
                ins.insert(i, b'a');
                let mut dup = b.to_vec();
                dup.insert(i, b[i]);
                let mut sub = b.to_vec();
                sub[i] = b'e';
                let mut swap = b.to_vec();
                if i + 1 < b.len() {
                    swap.swap(i, i + 1);
                }
                for q in [del, ins, dup, sub, swap] {
                    if let Ok(q) = String::from_utf8(q) {
                        queries.push(q);
                    }
                }
            }
        }
        for q in &queries {
            assert_eq!(index.fuzzy(q, 1), index.fuzzy_by_automaton(q, 1), "{q:?}");
        }
    }

    #[test]
    fn banded_automaton_finds_exactly_the_keys_within_the_distance() {
        let mut keys = vec![
            "a",
            "ab",
            "bab",
            "baniyas",
            "banias",
            "baniyasi",
            "bnaiyas",
            "banyas",
            "baniyas x",
            "baneyas",
            "qardaha",
            "qardahah",
            "kardaha",
            "qurdaha",
            "qrdaha",
            "qardha",
            "q",
            "qa",
            "qardahaaaa",
            "idlib",
            "idleb",
            "edlib",
            "idlb",
            "idlibb",
            "hama",
            "hamah",
            "hamaa",
            "ham",
            "homs",
            "haaa",
        ];
        keys.sort_unstable();
        keys.dedup();
        let set = fst::Set::from_iter(keys.iter()).expect("sorted keys");
        for query in [
            "baniyas", "qardaha", "idlib", "hama", "h", "bnyas", "qrdh", "idl",
        ] {
            for distance in 0..=MAX_DISTANCE {
                let automaton = EditDistance {
                    query: query.as_bytes(),
                    distance,
                };
                let mut stream = set.search(automaton).into_stream();
                let mut found = Vec::new();
                while let Some(k) = stream.next() {
                    found.push(String::from_utf8(k.to_vec()).expect("utf-8"));
                }
                let expected: Vec<String> = keys
                    .iter()
                    .filter(|k| {
                        k.as_bytes().first() == query.as_bytes().first()
                            && levenshtein(k.as_bytes(), query.as_bytes()) <= usize::from(distance)
                    })
                    .map(|k| k.to_string())
                    .collect();
                assert_eq!(found, expected, "{query} within {distance}");
            }
        }
    }
}
