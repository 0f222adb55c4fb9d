//! Build script: compiles the name index of the bundled gazetteer (`gazetteer/places.tsv`)
//! into `OUT_DIR`, so that loading the gazetteer normalises nothing at run time.

use std::io::Write;
use std::path::Path;

#[allow(dead_code)]
#[path = "src/gazetteer/normalize.rs"]
mod normalize;

#[allow(dead_code)]
#[path = "src/gazetteer/index.rs"]
mod index;

fn fail(msg: &str) -> ! {
    let _ = writeln!(std::io::stderr(), "build.rs: {msg}");
    std::process::exit(1)
}

fn main() {
    println!("cargo:rerun-if-changed=gazetteer/places.tsv");
    println!("cargo:rerun-if-changed=src/gazetteer/normalize.rs");
    println!("cargo:rerun-if-changed=src/gazetteer/index.rs");
    let tsv = std::fs::read_to_string("gazetteer/places.tsv")
        .unwrap_or_else(|e| fail(&format!("gazetteer/places.tsv: {e}")));
    let mut rows: Vec<Vec<&str>> = Vec::new();
    for (i, line) in tsv.lines().enumerate().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != 13 && fields.len() != 11 {
            fail(&format!(
                "gazetteer/places.tsv:{}: expected 13 fields",
                i + 1
            ));
        }
        rows.push(fields[10].split('|').filter(|n| !n.is_empty()).collect());
    }
    let mut parts = index::build(
        rows.iter()
            .enumerate()
            .map(|(i, names)| (i as u32, names.as_slice())),
    );
    parts.add_deletes();
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| fail("OUT_DIR not set"));
    let out = Path::new(&out);
    let version = {
        // FNV-1a over the file: a stable content id without a hashing dependency here.
        let mut h: u64 = 0xcbf29ce484222325;
        for b in tsv.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
        format!("{h:016x}")
    };
    let files = parts.files();
    for (name, bytes) in files
        .iter()
        .copied()
        .chain([("version.txt", version.as_bytes())])
    {
        std::fs::write(out.join(name), bytes)
            .unwrap_or_else(|e| fail(&format!("{}: {e}", out.join(name).display())));
    }
}
