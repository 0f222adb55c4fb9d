//! Table-driven extractor tests: a sentence in, the claims expected out.

use super::*;
use crate::model::{DatePrecision, Qualifier};
use jiff::civil::date;

fn doc(text: &str) -> Document {
    Document {
        id: "t".into(),
        title: None,
        text: text.into(),
        source: "test".into(),
        url: None,
        outlet: None,
        // A Monday.
        published: Some(date(2016, 8, 8)),
    }
}

fn extract(text: &str) -> Vec<Claim> {
    claims(&doc(text), Gazetteer::shared().expect("gazetteer"))
}

/// What a test expects of one claim: low, high, outcome, victims, event place name.
type Want = (u64, Option<u64>, Outcome, Victims, Option<&'static str>);

#[test]
fn sentences_to_claims() {
    use Outcome::*;
    use Victims::*;
    let cases: &[(&str, &[Want])] = &[
        (
            "Eight people were killed in Jableh on Friday.",
            &[(8, Some(8), Killed, Unknown, Some("Jablah"))],
        ),
        (
            "At least 75 regime troops were killed near Idlib.",
            &[(75, None, Killed, ProGovernment, Some("Idleb"))],
        ),
        (
            "Air strikes on Douma killed 12 civilians, medics said.",
            &[(12, Some(12), Killed, Civilians, Some("Duma"))],
        ),
        (
            "More than 60 rebels died in clashes in Hama.",
            &[(61, None, Killed, Opposition, Some("Hama"))],
        ),
        (
            "Thirty-five soldiers were wounded in Homs.",
            &[(35, Some(35), Wounded, ProGovernment, Some("Homs"))],
        ),
        (
            "Shelling injured 1,250 people in Aleppo over the week.",
            &[(1250, Some(1250), Wounded, Unknown, Some("Aleppo"))],
        ),
        (
            "Dozens of fighters were killed and wounded in Deir Ezzor.",
            &[(24, Some(99), KilledOrWounded, Unknown, Some("Deir-ez-Zor"))],
        ),
        (
            "Rebels said they seized 40 soldiers in Daraa.",
            &[(40, Some(40), Captured, ProGovernment, Some("Dar'a"))],
        ),
        (
            "Twelve people remain missing after the raid on Raqqa.",
            &[(12, Some(12), Missing, Unknown, Some("Ar-Raqqa"))],
        ),
        (
            "Between 10 and 15 ISIS militants were killed in Palmyra.",
            &[(10, Some(15), Killed, Jihadist, Some("Tadmor"))],
        ),
        (
            "About 30 SDF fighters died in Manbij.",
            &[(27, Some(33), Killed, KurdishForces, Some("Menbij"))],
        ),
        (
            "Two Russian soldiers were killed in Latakia.",
            &[(2, Some(2), Killed, ForeignForces, Some("Lattakia"))],
        ),
        // Not casualties.
        ("Government forces captured 15 villages near Hama.", &[]),
        ("The war has lasted 14 years.", &[]),
        ("Some 30,000 residents fled Idlib in five months.", &[]),
        ("The deadline for talks in Geneva passed in 2016.", &[]),
        ("The deadlock over Aleppo lasted 20 days.", &[]),
    ];
    for (text, want) in cases {
        let got: Vec<Want> = extract(text)
            .iter()
            .map(|c| {
                let place = c.event_place().and_then(|p| p.name.clone());
                let place: Option<&'static str> = place.map(|p| &*Box::leak(p.into_boxed_str()));
                (c.count.low, c.count.high, c.outcome, c.victims, place)
            })
            .collect();
        assert_eq!(&got, want, "{text}");
    }
}

#[test]
fn qualifiers_claimants_and_dates() {
    let c = &extract(
        "At least 21 civilians were killed in Douma on Tuesday, according to local medics.",
    )[0];
    assert_eq!(c.count.qualifier, Qualifier::AtLeast);
    assert_eq!(c.claimant.as_deref(), Some("local medics"));
    assert_eq!(c.date.start, Some(date(2016, 8, 2)));
    assert_eq!(c.date.precision, DatePrecision::Day);

    let c = &extract("Nine soldiers were killed in Hama yesterday, a military source said.")[0];
    assert_eq!(c.claimant.as_deref(), Some("a military source"));
    assert_eq!(c.date.start, Some(date(2016, 8, 7)));

    let c =
        &extract("The Syrian Observatory for Human Rights said 14 rebels were killed in Aleppo.")
            [0];
    assert_eq!(
        c.claimant.as_deref(),
        Some("Syrian Observatory for Human Rights")
    );

    let c = &extract("Five civilians were killed in Idlib.")[0];
    assert_eq!(c.claimant, None);
    assert_eq!(c.date.precision, DatePrecision::Unknown);
    assert_eq!(c.date.end, Some(date(2016, 8, 8)));
    assert_eq!(c.date.start, None);
}

#[test]
fn cumulative_tolls_and_breakdowns() {
    let cs = extract("More than 400,000 people have been killed since 2011, the monitor said.");
    assert_eq!(cs.len(), 1);
    assert_eq!(cs[0].scope, Scope::Cumulative);

    let cs = extract(
        "Over 50 people were killed in Jableh, a monitor said.\n\
         The dead included 30 soldiers, 15 gunmen and six civilians.",
    );
    assert_eq!(cs.len(), 4, "{cs:#?}");
    assert_eq!(cs[0].count.low, 51);
    for part in &cs[1..] {
        assert_eq!(part.part_of.as_deref(), Some(cs[0].id.as_str()));
        assert_eq!(
            part.event_place().and_then(|p| p.name.as_deref()),
            Some("Jablah")
        );
    }

    let cs = extract("The toll reached 2,000 deaths, including 450 children.");
    assert_eq!(cs.len(), 2);
    assert_eq!(cs[1].part_of.as_deref(), Some(cs[0].id.as_str()));
}

#[test]
fn places_get_roles() {
    let cs = extract("Five fighters from Qardaha were killed in Aleppo, and their bodies were taken to a hospital in Latakia.");
    assert_eq!(cs.len(), 1);
    let roles: Vec<(&str, PlaceRole)> = cs[0]
        .places
        .iter()
        .map(|p| (p.mention.as_str(), p.role))
        .collect();
    assert_eq!(
        roles,
        [
            ("Qardaha", PlaceRole::Origin),
            ("Aleppo", PlaceRole::Event),
            ("Latakia", PlaceRole::Remains)
        ]
    );
}

#[test]
fn a_sentence_without_a_place_takes_the_paragraphs() {
    let cs =
        extract("Fighting raged in Tartous on Sunday.\nSix soldiers were killed, the army said.");
    assert_eq!(cs.len(), 1);
    assert_eq!(
        cs[0].event_place().and_then(|p| p.name.as_deref()),
        Some("Tartous")
    );
}

#[test]
fn spans_point_at_the_quote() {
    let text = "Intro line.\n\nThree civilians were killed in Hama. Another sentence.";
    let cs = extract(text);
    assert_eq!(cs.len(), 1);
    let [a, b] = cs[0].span;
    assert_eq!(&text[a..b], cs[0].quote);
    assert_eq!(cs[0].quote, "Three civilians were killed in Hama.");
}

#[test]
fn unknown_places_fall_back_to_the_enclosing_place_with_precision_2() {
    let cs = extract(
        "Three fighters from Al-Daatour, a suburb of Lattakia city, were killed in Aleppo.",
    );
    let p = cs[0]
        .places
        .iter()
        .find(|p| p.mention == "Al-Daatour")
        .expect("Al-Daatour kept");
    assert_eq!(p.role, PlaceRole::Origin);
    assert_eq!(p.precision.map(u8::from), Some(2));
    assert_eq!(p.admin1.as_deref(), Some("Lattakia"));

    let cs = extract(
        "Rebels fought for Aleppo all week.\nNine soldiers were killed at the Hikmeh school, rebels said.",
    );
    assert_eq!(cs.len(), 1);
    let p = cs[0].event_place().expect("event place");
    assert_eq!(p.mention, "Hikmeh school");
    assert_eq!(p.kind, Some(PlaceKind::School));
    assert_eq!(p.precision.map(u8::from), Some(1));
    assert!(p.weak_source, "a single map mark");

    // A site the gazetteer does not hold: within about 25 km of the town it is named after.
    let cs = extract("Six soldiers were killed at the Rastan stadium on Friday.");
    assert_eq!(cs.len(), 1);
    let p = cs[0].event_place().expect("event place");
    assert_eq!(p.mention, "Rastan stadium");
    assert_eq!(p.admin1.as_deref(), Some("Homs"));
    assert_eq!(p.precision.map(u8::from), Some(2));
    // ... unless the sentence puts it in a place far from that town.
    let cs = extract("Six soldiers were killed at the Rastan stadium in Aleppo on Friday.");
    let p = cs[0].event_place().expect("event place");
    assert_eq!(p.admin1.as_deref(), Some("Aleppo"));
    assert_eq!(p.precision.map(u8::from), Some(2));
}

#[test]
fn names_opened_by_an_ayn_mark_are_one_word() {
    let cs = extract("Nine soldiers were killed in Al `Uqayrib on Monday.");
    assert_eq!(cs.len(), 1);
    let p = cs[0].event_place().expect("resolved");
    assert_eq!(p.mention, "Al `Uqayrib");
    assert_eq!(p.precision.map(u8::from), Some(1));
}

#[test]
fn geocoding_context_comes_from_the_other_places_of_the_text() {
    let gaz = Gazetteer::shared().expect("gazetteer");
    let cases: &[(&str, &str, &str)] = &[
        // (text, name, expected country of the resolved place)
        (
            "Hundreds gathered in London, Canada, on Saturday to mourn relatives killed in Aleppo.",
            "London",
            "CA",
        ),
        (
            "A vigil was held in London by British relatives of the victims.",
            "London",
            "GB",
        ),
        (
            "American officials in Texas said two soldiers from Manchester were wounded.",
            "Manchester",
            "US",
        ),
        (
            "British officials said a paratrooper from Manchester was wounded in Syria.",
            "Manchester",
            "GB",
        ),
    ];
    for (text, name, country) in cases {
        let places = TextPlaces::of_text(text, gaz);
        let ctx = places.context_without(name);
        let best = gaz.resolve(name, &ctx).expect("resolves");
        assert_eq!(best.entry.country, *country, "{name} in {text:?}");
    }
}

/// Document context: where each field came from is recorded, and points at the right text.
#[test]
fn claims_read_their_context_and_say_where_from() {
    let text = "Shelling hits Ariha\n\n\
According to the monitor, rockets struck the town overnight.\n\
Seven civilians were killed and 12 others wounded.\n\n\
Rescuers said two more bodies were recovered on Tuesday.";
    let cs = extract(text);
    let by = |t: &str| cs.iter().find(|c| c.count.text == t).expect(t);
    let seven = by("Seven");
    assert_eq!(seven.claimant.as_deref(), Some("monitor"));
    let from = |c: &Claim, field: &str| {
        c.inherited
            .iter()
            .find(|i| i.field == field)
            .map(|i| (i.from.clone(), i.span.map(|[a, b]| text[a..b].to_string())))
    };
    assert_eq!(
        from(seven, "claimant"),
        Some((
            "paragraph".into(),
            Some("According to the monitor, rockets struck the town overnight.".into())
        ))
    );
    // The place is the headline's: the paragraph names no place.
    assert_eq!(
        seven.event_place().and_then(|p| p.name.as_deref()),
        Some("Ariha")
    );
    assert_eq!(
        from(seven, "place").map(|(f, _)| f),
        Some("headline".into())
    );
    // "12 others" are who the seven were.
    let others = by("12");
    assert_eq!(others.victims, Victims::Civilians);
    assert_eq!(
        from(others, "victims").map(|(f, _)| f),
        Some("sentence".into())
    );
    // A sentence that says everything inherits nothing.
    let own = extract("Five soldiers were killed in Hama, the army said.");
    assert!(own[0].inherited.is_empty(), "{:?}", own[0].inherited);
}

#[test]
fn a_self_reporting_outlet_claims_its_own_figures() {
    let mut d = doc("Three citizens were killed in Saraqib.");
    d.outlet = Some("Syrian Observatory for Human Rights".into());
    let cs = claims(&d, Gazetteer::shared().expect("gazetteer"));
    assert_eq!(cs[0].claimant.as_deref(), Some("SOHR"));
    assert_eq!(cs[0].victims, Victims::Civilians);
    assert_eq!(cs[0].inherited[0].from, "outlet");
    // A wire outlet does not.
    let mut d = doc("Three citizens were killed in Saraqib.");
    d.outlet = Some("Reuters".into());
    let cs = claims(&d, Gazetteer::shared().expect("gazetteer"));
    assert_eq!(cs[0].claimant, None);
}

#[test]
fn joined_places_are_mapped_at_the_area_holding_them() {
    // Two towns of one governorate: the governorate or district, at its precision.
    let cs = extract("Air strikes killed nine civilians in Saraqib and Binnish.");
    let p = cs[0].event_place().expect("place");
    assert!(
        matches!(p.kind, Some(PlaceKind::District | PlaceKind::Governorate)),
        "{p:?}"
    );
    assert_eq!(p.admin1.as_deref(), Some("Idleb"));
    assert_eq!(p.mention, "Saraqib and Binnish");
    // The towns stay on the claim, as mentions.
    assert!(cs[0]
        .places
        .iter()
        .any(|q| q.name.as_deref() == Some("Saraqab")));
    // Two governorates: the country.
    let cs = extract("Shelling killed 40 people in Homs and Hama.");
    assert_eq!(
        cs[0].event_place().and_then(|p| p.kind),
        Some(PlaceKind::Country)
    );
}

#[test]
fn page_furniture_and_areas_give_way_to_the_storys_town() {
    // A photo caption names no place of the story; the figure the body restates is at the
    // body's village.
    let text = "Up to 40 people dead after an attack on a village\n\n\
Protesters march in Idlib province last year. (photo credit: Agency photo)\n\n\
HAMA (Wire) - Gunmen stormed Halfaya on Monday and killed at least 30 people, activists said.";
    let cs = extract(text);
    let place = |c: &Claim| c.event_place().and_then(|p| p.name.clone());
    assert_eq!(cs.len(), 2, "{cs:?}");
    assert_eq!(
        place(&cs[0]).as_deref(),
        Some("Ḩalfāyā"),
        "{:?}",
        cs[0].places
    );
    // A headline's area ("a town in Daraa countryside") takes the town the body names.
    let text = "4 dead in shelling on a town in Daraa countryside\n\n\
Government shelling on Nawa in the Daraa countryside killed 4 civilians today.";
    let cs = extract(text);
    assert_eq!(place(&cs[0]).as_deref(), Some("Nawa"), "{:?}", cs[0].places);
    // A day after a name ends it; a month of fasting is no place.
    let cs = extract("Rockets hit the city of Hama Friday, killing three people during Ramadan.");
    assert_eq!(place(&cs[0]).as_deref(), Some("Hama"), "{:?}", cs[0].places);
    assert_eq!(cs[0].places.len(), 1, "{:?}", cs[0].places);
}

#[test]
fn the_town_is_the_name_the_text_calls_a_town() {
    let place = |c: &Claim| c.event_place().and_then(|p| p.name.clone());
    let from = |c: &Claim| {
        c.inherited
            .iter()
            .find(|i| i.field == "place")
            .map(|i| i.from.clone())
    };
    // Back to the last name called a town.
    let cs = extract(
        "Shells fell on Inkhil town on Monday.\n\nThe monitor said 4 civilians were killed near a bakery in the town.",
    );
    assert_eq!(
        place(&cs[0]).as_deref(),
        Some("Inkhil"),
        "{:?}",
        cs[0].places
    );
    assert_eq!(from(&cs[0]).as_deref(), Some("anaphor"));
    // A city is not "the town": the town is named later.
    let cs = extract(
        "Rockets hit Daraa city on Monday.\n\nThe monitor documented the killing of 6 citizens near a school in the town.\n\nJasim town hosts many displaced families.",
    );
    assert_eq!(
        place(&cs[0]).as_deref(),
        Some("Jasim"),
        "{:?}",
        cs[0].places
    );
}

#[test]
fn hard_wrapped_lines_are_one_sentence() {
    let text = "The bodies of at least 30 people\nwere found in a town close to\nHama on Saturday, activists said.";
    let cs = extract(text);
    assert_eq!(cs.len(), 1);
    assert_eq!((cs[0].count.low, cs[0].count.high), (30, None));
    assert_eq!(cs[0].outcome, Outcome::Killed);
}

/// Landmark phrases of every kind in sentences written for tollmap: (sentence, the event
/// place's gazetteer id, its kind, its precision). A site the gazetteer lacks is placed within
/// about 25 km of its town (precision 2, the town's id).
const LANDMARK_CASES: &[(&str, &str, &str, u8)] = &[
    (
        "Four soldiers were killed in strikes on Kuweires airbase on Friday.",
        "landmark:6",
        "airbase",
        1,
    ),
    (
        "Six soldiers died when rebels shelled the Kuweires Military Airport.",
        "landmark:6",
        "airbase",
        1,
    ),
    (
        "Shelling on Hama's military airport killed three soldiers.",
        "landmark:21",
        "airbase",
        1,
    ),
    (
        "Eleven detainees died in Sednaya prison last month, a rights group said.",
        "landmark:157",
        "prison",
        1,
    ),
    (
        "Eleven detainees died in Saydnaya Prison last month.",
        "landmark:157",
        "prison",
        1,
    ),
    (
        "Two children died in the al-Hol camp on Tuesday.",
        "landmark:158",
        "camp",
        1,
    ),
    (
        "Two children died in el-Hol Camp on Tuesday.",
        "landmark:158",
        "camp",
        1,
    ),
    (
        "Nine fighters were killed near the Tishreen Dam.",
        "landmark:164",
        "dam",
        1,
    ),
    (
        "Fourteen soldiers were killed in an assault on the Hikmeh school.",
        "landmark:576",
        "school",
        1,
    ),
    (
        "Five people were killed in a strike on the Kafranbel hospital.",
        "landmark:172",
        "hospital",
        1,
    ),
    (
        "Three guards were killed at the Bab al-Hawa crossing on Sunday.",
        "landmark:183",
        "border_crossing",
        1,
    ),
    (
        "Seven soldiers were killed on Jabal Laylun, the monitor said.",
        "landmark:194",
        "hill",
        1,
    ),
    (
        "Twelve fighters were killed on the Hawarat Jabbul hill.",
        "landmark:192",
        "hill",
        1,
    ),
    (
        "Two civilians were killed on the Castello road north of Aleppo.",
        "landmark:261",
        "road",
        1,
    ),
    (
        "Four fighters were killed at the Tadef roundabout on Monday.",
        "landmark:263",
        "junction",
        1,
    ),
    (
        "Three people were killed on the Deir ez-Zor suspension bridge.",
        "landmark:267",
        "bridge",
        1,
    ),
    (
        "Eight workers were killed at the Maliha oil field.",
        "landmark:190",
        "oil_field",
        1,
    ),
    (
        "Ten cadets were killed at the Aleppo Infantry Academy.",
        "landmark:150",
        "military_academy",
        1,
    ),
    (
        "Six soldiers were killed at the Aleppo Air Defence Base on Sunday.",
        "landmark:40",
        "military_base",
        1,
    ),
    (
        "Three people were killed at the al-Rai Grain Silo.",
        "landmark:1002",
        "industrial_zone",
        1,
    ),
    (
        "Five detainees died in سجن صيدنايا last year.",
        "landmark:157",
        "prison",
        1,
    ),
    // Sites the gazetteer lacks: the town they are named after, at precision 2.
    (
        "Six soldiers were killed at the Rastan stadium on Friday.",
        "geonames:172946",
        "town",
        2,
    ),
    (
        "Nine people were killed at the Saraqeb hospital on Friday.",
        "geonames:164816",
        "town",
        2,
    ),
];

#[test]
fn landmark_table() {
    let mut failures = Vec::new();
    for &(text, id, kind, precision) in LANDMARK_CASES {
        let cs = extract(text);
        let got = cs.first().and_then(|c| c.event_place()).map(|p| {
            (
                p.gazetteer_id.clone().unwrap_or_default(),
                p.kind.map(|k| k.as_str()).unwrap_or_default(),
                p.precision.map_or(0, u8::from),
            )
        });
        if got.as_ref().map(|(i, k, p)| (i.as_str(), *k, *p)) != Some((id, kind, precision)) {
            failures.push(format!(
                "{text}\n  want {id} {kind} {precision}, got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn several_landmarks_in_one_claim_are_mapped_at_the_area_holding_them() {
    let cs = extract(
        "Fourteen soldiers were killed in an assault on the Hikmeh school and the Aleppo Infantry Academy.",
    );
    assert_eq!(cs.len(), 1);
    let p = cs[0].event_place().expect("event place");
    // Both lie in the district of Jebel Saman (the city of Aleppo's).
    assert_eq!(p.kind, Some(PlaceKind::District), "{p:?}");
    assert_eq!(p.admin2.as_deref(), Some("Jebel Saman"));
    assert_eq!(p.precision.map(u8::from), Some(3));
    let sites: Vec<Option<PlaceKind>> = cs[0].places.iter().skip(1).map(|p| p.kind).collect();
    assert_eq!(
        sites,
        [Some(PlaceKind::School), Some(PlaceKind::MilitaryAcademy)]
    );
}

#[test]
fn a_toll_whose_among_stands_right_before_the_count_names_no_subject() {
    // Found by the property test: "among" with nothing between it and the count made an
    // empty subject span, and slicing its text panicked.
    for text in [
        "The toll rose among one at dawn.",
        "toll rose among 12 killed",
    ] {
        let claims = extract(text);
        assert!(claims.iter().all(|c| c.victims_text.as_deref() != Some("")));
    }
}

/// Texts the fuzz targets (`fuzz/run.sh`) found to panic: each gives claims or none.
#[test]
fn texts_the_fuzzer_found_do_not_panic() {
    for text in [
        // Two implicit single counts overlapped: the second's modifiers ran back into the first.
        "captured(a volunteer e volunteer",
        // Its kin: pairs and singles packed together.
        "killed a man and a woman man and a woman a man",
        "wounded (a boy x boy y boy",
        // A qualifier of one number read back over the number before it.
        "Shell)ng Kills Eight At least 21 civilians were kinil J",
        "Eight at least 21 killed",
    ] {
        let _ = extract(text);
    }
}

#[test]
fn claim_ids_stay_when_the_article_around_them_changes() {
    let ids = |text: &str| -> Vec<(u64, String, Option<String>)> {
        extract(text)
            .into_iter()
            .map(|c| (c.count.low, c.id, c.part_of))
            .collect()
    };
    let story =
        "Shelling killed 12 people in Ariha on Sunday, among them five children, medics said.\n\n\
                 Separately, three fighters were wounded in Saraqeb, activists said.";
    let first = ids(story);
    assert_eq!(first.len(), 3, "{first:?}");
    // Ids have the document's id and ten hex digits, and breakdowns point at their total.
    assert!(
        first.iter().all(|(_, id, _)| id.starts_with("t#")
            && id.len() == 12
            && id[2..].bytes().all(|b| b.is_ascii_hexdigit())),
        "{first:?}"
    );
    assert_eq!(first[1].2.as_ref(), Some(&first[0].1), "{first:?}");
    // A paragraph with a claim of its own added above, another below: the old claims keep
    // their ids, the breakdown its link.
    let grown = format!(
        "Two civilians were killed in Binnish on Saturday, residents said.\n\n{story}\n\n\
         Four soldiers were captured near Taftanaz, a monitor said."
    );
    let second = ids(&grown);
    assert_eq!(second.len(), 5, "{second:?}");
    for old in &first {
        assert!(second.contains(old), "{old:?} lost in {second:?}");
    }
    // Whitespace re-wrapped inside the claim's sentence changes nothing either.
    let rewrapped = story.replace("among them five", "among them\nfive");
    assert_eq!(ids(&rewrapped), first);
    // Editing the claim's own sentence gives it a new id; the other claim keeps its id.
    let edited = story.replace("medics said", "local medics said");
    let third = ids(&edited);
    assert_ne!(third[0].1, first[0].1);
    assert_eq!(third[2].1, first[2].1);
    // Two claims on one number in a sentence are told apart.
    let twice = ids("Five people were killed and five were wounded in Ariha on Sunday.");
    assert_eq!(twice.len(), 2, "{twice:?}");
    assert_ne!(twice[0].1, twice[1].1);
}

#[test]
fn claims_say_how_sure_they_are_and_why() {
    use crate::model::Reason::*;
    let cases: &[(&str, &[crate::model::Reason])] = &[
        // Everything in its own sentence, a named source: nothing to doubt.
        (
            "Shelling killed 12 civilians in Ariha on Sunday, local medics said.",
            &[],
        ),
        // The place from the sentence before, nobody named as the source.
        (
            "Fighting raged in Tartous on Sunday.\nSix soldiers were killed.",
            &[PlaceFromNearby, NoClaimant],
        ),
        // Victims unknown, a vague count, both outcomes at once.
        (
            "Dozens of people were killed or wounded in Homs on Sunday, activists said.",
            &[VictimsUnknown, MixedOutcome, VagueCount],
        ),
        // No place at all, and a name that fits nothing (not Atlanta).
        (
            "Eight soldiers were killed on Sunday, the army said.",
            &[NoPlace],
        ),
        (
            "Five civilians were killed in Atlantis on Sunday, medics said.",
            &[NoPlace],
        ),
        // A running total needs no place.
        (
            "More than 400,000 people have been killed since 2011, the monitor said.",
            &[VictimsUnknown],
        ),
    ];
    for (text, want) in cases {
        let cs = extract(text);
        assert_eq!(cs.len(), 1, "{text}: {cs:#?}");
        assert_eq!(cs[0].reasons, *want, "{text}");
        assert_eq!(
            cs[0].confidence,
            crate::confidence::of(want),
            "{text}: confidence"
        );
    }
    assert_eq!(extract(cases[0].0)[0].confidence, 1.0);
    assert!(extract(cases[3].0)[0].confidence < 0.5);
}

/// A total with no place takes the one place its parts all happened at, when they account
/// for all of it; parts short of the total, or at places of their own, leave it unplaced.
#[test]
fn a_total_takes_the_place_of_its_parts() {
    let lead = "Fighting between Kurdish forces and jihadists has killed {} fighters in two \
                days, a monitor said on Thursday.\n\n";
    let cases: [(&str, &str, Option<&str>); 3] = [
        (
            "nearly 50",
            "The clashes around Tal Abyad killed 14 Kurdish fighters and 35 jihadists, the monitor said.",
            Some("Tell Abiad"),
        ),
        (
            "at least 60",
            "The clashes around Tal Abyad killed 14 Kurdish fighters and 35 jihadists, the monitor said.",
            None,
        ),
        (
            "nearly 50",
            "The clashes killed 14 Kurdish fighters in Tal Abyad and 35 jihadists in Ras al-Ain, the monitor said.",
            None,
        ),
    ];
    for (total, body, want) in cases {
        let text = lead.replace("{}", total) + body;
        let claims = extract(&text);
        let t = &claims[0];
        assert_eq!(
            claims
                .iter()
                .filter(|c| c.part_of.as_deref() == Some(&t.id))
                .count(),
            2,
            "{text}: {claims:#?}"
        );
        let place = t
            .places
            .iter()
            .find(|p| p.role == crate::model::PlaceRole::Event)
            .and_then(|p| p.name.as_deref());
        assert_eq!(place, want, "{text}");
        let from_parts = t
            .inherited
            .iter()
            .any(|i| i.field == "place" && i.from == "parts");
        assert_eq!(from_parts, want.is_some(), "{text}");
    }
}
