//! `tollmap serve`: one request's bytes in, the answer written to memory, against a folder
//! with a page, a subfolder and a dotfile.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

fn root() -> Option<&'static PathBuf> {
    static ROOT: OnceLock<Option<PathBuf>> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = tempfile::tempdir().ok()?.keep();
        std::fs::write(dir.join("index.html"), "<p>map</p>").ok()?;
        std::fs::write(dir.join("tiles.pmtiles"), vec![7u8; 4096]).ok()?;
        std::fs::create_dir(dir.join("sub")).ok()?;
        std::fs::write(dir.join("sub").join("index.html"), "sub").ok()?;
        std::fs::write(dir.join(".hidden"), "secret").ok()?;
        Some(dir)
    })
    .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Some(root) = root() else { return };
    let mut answer = Vec::new();
    let _ = tollmap::serve::respond(data, &mut answer, root);
    assert!(
        !answer.windows(6).any(|w| w == b"secret"),
        "a dotfile was served"
    );
});
