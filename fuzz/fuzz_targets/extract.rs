//! The extractor on any text, then events grouped from its claims.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tollmap::gazetteer::Gazetteer;
use tollmap::model::Document;

fuzz_target!(|data: &[u8]| {
    let Ok(gaz) = Gazetteer::shared() else { return };
    let doc = Document {
        id: "fuzz".into(),
        title: None,
        text: String::from_utf8_lossy(data).into_owned(),
        source: "fuzz".into(),
        url: None,
        outlet: None,
        published: tollmap::ingest::parse_date("2016-08-08"),
    };
    let claims = tollmap::extract::claims(&doc, gaz);
    let _ = tollmap::aggregate::events(&claims, &Default::default());
});
