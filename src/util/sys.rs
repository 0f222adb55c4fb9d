//! The library's only unsafe code, each use with the reason it is sound: read-only memory maps
//! of input files, and a vector filled in parallel where its items will lie. Every other
//! module is compiled under `#![deny(unsafe_code)]`.

use std::fs::File;

/// A read-only memory map of `file` (which must not be empty).
///
/// Sound as tollmap uses it: the map is only read, and tollmap never writes a file while it
/// has it mapped (outputs and imports replace files by rename, which leaves an existing map
/// intact). Another program truncating the file meanwhile could fault the process; one
/// changing its bytes gives text that the callers check again (UTF-8, CSV, the index's own
/// bounds), never undefined behaviour in safe code reading a `&[u8]` that changes.
pub fn map_read_only(file: &File) -> std::io::Result<memmap2::Mmap> {
    // SAFETY: see above: read-only, and not written by this process while mapped.
    unsafe { memmap2::Mmap::map(file) }
}

/// Makes a chunk's items: given the chunk's number, hands each item to `emit` in order.
pub type ChunkItems<'a, T, E> =
    dyn Fn(usize, &mut dyn FnMut(T) -> Result<(), E>) -> Result<(), E> + Sync + 'a;

/// A vector of `len` items made in parallel, `chunk` at a time, each written straight into
/// its place (no second copy of a million items to allocate and fill). Chunk `k` must give
/// exactly the items `k * chunk ..` up to its end; giving fewer or more is the error
/// `mismatch()`. On any error the items made are dropped and the first error in chunk order
/// is returned.
pub fn fill_in_parallel<T: Send, E: Send>(
    len: usize,
    chunk: usize,
    each: &ChunkItems<'_, T, E>,
    mismatch: &(dyn Fn() -> E + Sync),
) -> Result<Vec<T>, E> {
    use rayon::prelude::*;
    let chunk = chunk.max(1);
    let mut out: Vec<T> = Vec::with_capacity(len);
    let slots = &mut out.spare_capacity_mut()[..len];
    // Each chunk: how many of its slots hold an item, and how it ended.
    let filled: Vec<(usize, Result<(), E>)> = slots
        .par_chunks_mut(chunk)
        .enumerate()
        .map(|(k, part)| {
            let mut i = 0;
            let r = each(k, &mut |item| match part.get_mut(i) {
                Some(slot) => {
                    slot.write(item);
                    i += 1;
                    Ok(())
                }
                None => Err(mismatch()),
            });
            let r = r.and_then(|()| {
                if i == part.len() {
                    Ok(())
                } else {
                    Err(mismatch())
                }
            });
            (i, r)
        })
        .collect();
    if filled.iter().any(|(_, r)| r.is_err()) {
        let mut first = None;
        for (part, (i, r)) in slots.chunks_mut(chunk).zip(filled) {
            for slot in &mut part[..i] {
                // SAFETY: the first `i` slots of this chunk were written above, and each is
                // dropped once, here; `out`'s length stays 0, so it drops none of them.
                unsafe { slot.assume_init_drop() };
            }
            if let (None, Err(e)) = (&first, r) {
                first = Some(e);
            }
        }
        return Err(first.unwrap_or_else(mismatch));
    }
    // SAFETY: every chunk wrote each of its slots (checked above), so the first `len`
    // elements are initialised.
    unsafe { out.set_len(len) };
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squares(k: usize, emit: &mut dyn FnMut(String) -> Result<(), String>) -> Result<(), String> {
        for i in k * 3..(k * 3 + 3).min(10) {
            emit((i * i).to_string())?;
        }
        Ok(())
    }

    #[test]
    fn chunks_land_in_order() {
        let got = fill_in_parallel(10, 3, &squares, &|| "mismatch".to_string()).unwrap();
        let want: Vec<String> = (0..10).map(|i: usize| (i * i).to_string()).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_short_or_failing_chunk_is_an_error_and_drops_what_was_made() {
        let short = |k: usize, emit: &mut dyn FnMut(String) -> Result<(), String>| {
            if k == 2 {
                return Ok(());
            }
            squares(k, emit)
        };
        let r = fill_in_parallel(10, 3, &short, &|| "mismatch".to_string());
        assert_eq!(r, Err("mismatch".to_string()));
        let failing = |k: usize, emit: &mut dyn FnMut(String) -> Result<(), String>| {
            squares(k, emit)?;
            if k >= 1 {
                return Err(format!("chunk {k}"));
            }
            Ok(())
        };
        let r = fill_in_parallel(10, 3, &failing, &|| "mismatch".to_string());
        assert_eq!(r, Err("chunk 1".to_string()));
        let long = |k: usize, emit: &mut dyn FnMut(String) -> Result<(), String>| {
            squares(k, emit)?;
            emit("extra".into())
        };
        let r = fill_in_parallel(10, 3, &long, &|| "mismatch".to_string());
        assert_eq!(r, Err("mismatch".to_string()));
    }
}
