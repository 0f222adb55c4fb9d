//! Properties of extraction and look-up on generated text: never a panic, `low <= high`, every
//! span inside the text and equal to the quote, unique claim ids.

use proptest::prelude::*;
use tollmap::gazetteer::{Context, Gazetteer};
use tollmap::model::Document;

/// Words that exercise the extractor's rules, mixed with noise.
const VOCAB: &[&str] = &[
    "killed",
    "wounded",
    "dead",
    "died",
    "deaths",
    "casualties",
    "captured",
    "missing",
    "at",
    "least",
    "more",
    "than",
    "over",
    "nearly",
    "about",
    "between",
    "and",
    "up",
    "to",
    "dozens",
    "of",
    "hundreds",
    "tens",
    "thousands",
    "scores",
    "several",
    "a",
    "dozen",
    "one",
    "two",
    "thirty-five",
    "hundred",
    "thousand",
    "million",
    "0",
    "1",
    "8",
    "60",
    "1,556",
    "119,000",
    "4,294,967,296",
    "99999999999999999999",
    "2011",
    "12.5",
    "3rd",
    "-",
    "–",
    "—",
    ",",
    ".",
    ":",
    ";",
    "(",
    ")",
    "\"",
    "'",
    "`",
    "ʿ",
    "\n",
    "\n\n",
    "soldiers",
    "civilians",
    "rebels",
    "children",
    "regime",
    "forces",
    "including",
    "among",
    "them",
    "the",
    "in",
    "near",
    "from",
    "residents",
    "Aleppo",
    "Idlib",
    "Hama",
    "Jableh",
    "Beit",
    "Yashout",
    "Al-Daatour",
    "Lattakia",
    "Deir",
    "Ezzor",
    "اللاذقية",
    "حلب",
    "since",
    "May",
    "March",
    "6",
    "Friday",
    "yesterday",
    "last",
    "week",
    "month",
    "in",
    "five",
    "weeks",
    "according",
    "said",
    "monitor",
    "Syrian",
    "Observatory",
    "for",
    "Human",
    "Rights",
    "was",
    "a",
    "commander",
    "20-year-old",
    "deadline",
    "years",
    "villages",
    "Related",
    "by",
    "category",
    "é",
    "ß",
    "🙂",
    "\u{200b}",
    "\t",
    "toll",
    "rose",
    "passes",
    "killing",
    "funerals",
    "bodies",
    "taken",
    "morgue",
];

fn document(text: String, published: bool) -> Document {
    Document {
        id: "p".into(),
        title: None,
        text,
        source: "proptest".into(),
        url: None,
        outlet: None,
        published: published.then(|| jiff::civil::date(2016, 8, 8)),
    }
}

fn gaz() -> &'static Gazetteer {
    Gazetteer::shared().expect("bundled gazetteer")
}

fn check(text: String, published: bool) -> Result<(), TestCaseError> {
    let doc = document(text, published);
    let claims = tollmap::extract::claims(&doc, gaz());
    let mut ids = std::collections::HashSet::new();
    for c in &claims {
        prop_assert!(ids.insert(c.id.clone()), "duplicate id {}", c.id);
        if let Some(high) = c.count.high {
            prop_assert!(c.count.low <= high, "low > high in {:?}", c.count);
        }
        let [a, b] = c.span;
        prop_assert!(
            a <= b && b <= doc.text.len(),
            "span {a}..{b} outside the text"
        );
        prop_assert!(doc.text.is_char_boundary(a) && doc.text.is_char_boundary(b));
        prop_assert_eq!(&doc.text[a..b], c.quote.as_str());
        prop_assert!(!c.count.text.is_empty());
        if let (Some(s), Some(e)) = (c.date.start, c.date.end) {
            prop_assert!(s <= e, "date {s} after {e}");
        }
        if !published {
            prop_assert!(c.date.start.is_none() || c.date.text.is_some());
        }
        if let Some(p) = &c.part_of {
            prop_assert!(
                claims.iter().any(|t| &t.id == p),
                "part_of {p} names no claim"
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn rule_words_in_any_order(words in prop::collection::vec(prop::sample::select(VOCAB), 0..60),
                               published in any::<bool>()) {
        check(words.join(" "), published)?;
    }

    #[test]
    fn rule_words_glued_without_spaces(words in prop::collection::vec(prop::sample::select(VOCAB), 0..30)) {
        check(words.concat(), true)?;
    }

    #[test]
    fn arbitrary_unicode(text in any::<String>(), published in any::<bool>()) {
        check(text, published)?;
    }

    #[test]
    fn look_ups_of_arbitrary_names(name in any::<String>(),
                                   words in prop::collection::vec(prop::sample::select(VOCAB), 0..6)) {
        let g = gaz();
        let ctx = Context::default();
        for n in [name, words.join(" ")] {
            for c in g.candidates(&n, &ctx) {
                prop_assert!(c.score.is_finite());
                prop_assert!((-90.0..=90.0).contains(&c.entry.lat));
                prop_assert!((-180.0..=180.0).contains(&c.entry.lon));
            }
        }
    }
}
