//! Error reports: an error and the chain of its sources as one line, the way the binary
//! prints them (`tollmap: error: out/places.geojson: No space left on device`).

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
    fn a_chain_names_every_source() {
        let e = Outer {
            source: std::io::Error::other("disk full"),
        };
        assert_eq!(super::chain(&e), "out/places.geojson: disk full");
    }
}
