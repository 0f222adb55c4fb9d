//! Stand-ins for the web page when tollmap is built without the `web` feature: `WebOptions`
//! has no value, so a build never makes the page.

use super::{MapShape, OutputError, Staged};

/// Web page options: none can be made, as this tollmap was built without the `web` feature.
#[derive(Debug, Clone)]
pub enum WebOptions {}

/// A layer's features kept for the page: nothing is kept without the `web` feature (and no
/// layer is asked for: `layers_needed` is empty).
#[derive(Default)]
pub(super) struct ValueSink(pub Vec<serde_json::Value>);

impl ValueSink {
    pub(super) fn add(&mut self, _f: &crate::layers::Feature<'_>) {}
}

/// The layers the page needs: none.
pub(super) fn layers_needed(_shape: &MapShape) -> &'static [&'static str] {
    &[]
}

/// The page's files: never made, as no options exist.
pub(super) fn stage_web(
    _layer: &mut dyn FnMut(&str) -> Vec<serde_json::Value>,
    _shape: &MapShape,
    opts: &WebOptions,
) -> Result<Vec<Staged>, OutputError> {
    match *opts {}
}
