//! Error reports: an error and the chain of its sources as one line, the way the binary
//! prints them (`tollmap: error: out/places.geojson: No space left on device`).

/// `n` and the noun, singular for one: `counted(1, "document")` is "1 document",
/// `counted(2, "document")` "2 documents" (the nouns tollmap counts take an `s`).
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The error's message followed by each of its sources', joined by ": ".
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    #[derive(Debug, thiserror::Error)]
    #[error("out/places.geojson")]
    struct Outer {
        #[source]
        source: std::io::Error,
    }

    #[test]
    fn one_is_singular() {
        for (n, want) in [
            (0, "0 claims"),
            (1, "1 claim"),
            (2, "2 claims"),
            (1000, "1000 claims"),
        ] {
            assert_eq!(super::counted(n, "claim"), want);
        }
    }

    #[test]
    fn a_chain_names_every_source() {
        let e = Outer {
            source: std::io::Error::other("disk full"),
        };
        assert_eq!(super::chain(&e), "out/places.geojson: disk full");
    }
}
