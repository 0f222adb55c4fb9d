//! The property names of the layers, each once: the GeoJSON, the GeoPackage, the tiles, the
//! CSV tables and the web page all name a property through these constants.
//!
//! Changing a name breaks the layer contract of `docs/contract.md` and every map and notebook
//! that reads the layers.

/// `admin1`.
pub const ADMIN1: &str = "admin1";
/// `admin2`.
pub const ADMIN2: &str = "admin2";
/// `captured_high`.
pub const CAPTURED_HIGH: &str = "captured_high";
/// `captured_low`.
pub const CAPTURED_LOW: &str = "captured_low";
/// `claim_ids`.
pub const CLAIM_IDS: &str = "claim_ids";
/// `claimant`.
pub const CLAIMANT: &str = "claimant";
/// `claimants`.
pub const CLAIMANTS: &str = "claimants";
/// `claims`.
pub const CLAIMS: &str = "claims";
/// `count_high`.
pub const COUNT_HIGH: &str = "count_high";
/// `count_low`.
pub const COUNT_LOW: &str = "count_low";
/// `count_text`.
pub const COUNT_TEXT: &str = "count_text";
/// `date_end`.
pub const DATE_END: &str = "date_end";
/// `date_precision`.
pub const DATE_PRECISION: &str = "date_precision";
/// `date_start`.
pub const DATE_START: &str = "date_start";
/// `date_text`.
pub const DATE_TEXT: &str = "date_text";
/// `doc`.
pub const DOC: &str = "doc";
/// `documents`.
pub const DOCUMENTS: &str = "documents";
/// `end`.
pub const END: &str = "end";
/// `event_id`.
pub const EVENT_ID: &str = "event_id";
/// `event_ids`.
pub const EVENT_IDS: &str = "event_ids";
/// `events`.
pub const EVENTS: &str = "events";
/// `gazetteer_id`.
pub const GAZETTEER_ID: &str = "gazetteer_id";
/// `high`.
pub const HIGH: &str = "high";
/// `id`.
pub const ID: &str = "id";
/// `killed_civilians_high`.
pub const KILLED_CIVILIANS_HIGH: &str = "killed_civilians_high";
/// `killed_civilians_low`.
pub const KILLED_CIVILIANS_LOW: &str = "killed_civilians_low";
/// `killed_foreign_forces_high`.
pub const KILLED_FOREIGN_FORCES_HIGH: &str = "killed_foreign_forces_high";
/// `killed_foreign_forces_low`.
pub const KILLED_FOREIGN_FORCES_LOW: &str = "killed_foreign_forces_low";
/// `killed_high`.
pub const KILLED_HIGH: &str = "killed_high";
/// `killed_jihadist_high`.
pub const KILLED_JIHADIST_HIGH: &str = "killed_jihadist_high";
/// `killed_jihadist_low`.
pub const KILLED_JIHADIST_LOW: &str = "killed_jihadist_low";
/// `killed_kurdish_forces_high`.
pub const KILLED_KURDISH_FORCES_HIGH: &str = "killed_kurdish_forces_high";
/// `killed_kurdish_forces_low`.
pub const KILLED_KURDISH_FORCES_LOW: &str = "killed_kurdish_forces_low";
/// `killed_low`.
pub const KILLED_LOW: &str = "killed_low";
/// `killed_opposition_high`.
pub const KILLED_OPPOSITION_HIGH: &str = "killed_opposition_high";
/// `killed_opposition_low`.
pub const KILLED_OPPOSITION_LOW: &str = "killed_opposition_low";
/// `killed_or_wounded_high`.
pub const KILLED_OR_WOUNDED_HIGH: &str = "killed_or_wounded_high";
/// `killed_or_wounded_low`.
pub const KILLED_OR_WOUNDED_LOW: &str = "killed_or_wounded_low";
/// `killed_pro_government_high`.
pub const KILLED_PRO_GOVERNMENT_HIGH: &str = "killed_pro_government_high";
/// `killed_pro_government_low`.
pub const KILLED_PRO_GOVERNMENT_LOW: &str = "killed_pro_government_low";
/// `killed_unknown_high`.
pub const KILLED_UNKNOWN_HIGH: &str = "killed_unknown_high";
/// `killed_unknown_low`.
pub const KILLED_UNKNOWN_LOW: &str = "killed_unknown_low";
/// `kind`.
pub const KIND: &str = "kind";
/// `low`.
pub const LOW: &str = "low";
/// `missing_high`.
pub const MISSING_HIGH: &str = "missing_high";
/// `missing_low`.
pub const MISSING_LOW: &str = "missing_low";
/// `name`.
pub const NAME: &str = "name";
/// `name_ar`.
pub const NAME_AR: &str = "name_ar";
/// `near`.
pub const NEAR: &str = "near";
/// `origins`.
pub const ORIGINS: &str = "origins";
/// `outcome`.
pub const OUTCOME: &str = "outcome";
/// `outlet`.
pub const OUTLET: &str = "outlet";
/// `part_of`.
pub const PART_OF: &str = "part_of";
/// `pcode`.
pub const PCODE: &str = "pcode";
/// `period`.
pub const PERIOD: &str = "period";
/// `period_end`.
pub const PERIOD_END: &str = "period_end";
/// `period_start`.
pub const PERIOD_START: &str = "period_start";
/// `place_id`.
pub const PLACE_ID: &str = "place_id";
/// `place_kind`.
pub const PLACE_KIND: &str = "place_kind";
/// `place_mention`.
pub const PLACE_MENTION: &str = "place_mention";
/// `place_name`.
pub const PLACE_NAME: &str = "place_name";
/// `precision`.
pub const PRECISION: &str = "precision";
/// `published`.
pub const PUBLISHED: &str = "published";
/// `qualifier`.
pub const QUALIFIER: &str = "qualifier";
/// `corrected`.
pub const CORRECTED: &str = "corrected";
/// `confidence`.
pub const CONFIDENCE: &str = "confidence";
/// `reasons`.
pub const REASONS: &str = "reasons";
/// `quote`.
pub const QUOTE: &str = "quote";
/// `radius_m`.
pub const RADIUS_M: &str = "radius_m";
/// `restated_ids`.
pub const RESTATED_IDS: &str = "restated_ids";
/// `spanning`.
pub const SPANNING: &str = "spanning";
/// `start`.
pub const START: &str = "start";
/// `title`.
pub const TITLE: &str = "title";
/// `url`.
pub const URL: &str = "url";
/// `victims`.
pub const VICTIMS: &str = "victims";
/// `victims_text`.
pub const VICTIMS_TEXT: &str = "victims_text";
/// `weak_source`.
pub const WEAK_SOURCE: &str = "weak_source";
/// `wounded_high`.
pub const WOUNDED_HIGH: &str = "wounded_high";
/// `wounded_low`.
pub const WOUNDED_LOW: &str = "wounded_low";
