//! When the deaths of a claim happened: date words in its sentence resolved against the publication date.
//!
//! Weekday names are the latest such day on or before publication; "yesterday" and "today"
//! count from it; "in five weeks", "in the past three days" are ranges ending on it; "since
//! May" and "since the start of the battle" are ranges ending on it (the latter with an open
//! start); explicit dates ("6 March 2025", "March 6") are days. With no publication date,
//! relative words stay unresolved: precision `unknown`, never an invented date.

use crate::util::calendar::MONTHS;
use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

use super::text::Token;
use crate::model::{ClaimDate, DatePrecision};

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

fn month_of(w: &str) -> Option<i8> {
    let w = w.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() >= 3 && m.starts_with(w) && w != "mar" && w != "may"))
        .or_else(|| MONTHS.iter().position(|m| *m == w))
        .map(|p| p as i8 + 1)
}

fn small_number(w: &str) -> Option<i64> {
    if let Ok(n) = w.parse::<i64>() {
        return (1..=60).contains(&n).then_some(n);
    }
    let words = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    words
        .iter()
        .position(|x| *x == w)
        .map(|p| p as i64 + 1)
        .or(match w {
            "a" | "an" | "the" => Some(1),
            _ => None,
        })
}

/// The date of a claim from the tokens of its sentence and the publication date.
pub fn date_of(sentence: &str, toks: &[Token<'_>], published: Option<Date>) -> ClaimDate {
    let read = DateWords {
        sentence,
        toks,
        lw: toks.iter().map(|t| t.lw()).collect(),
        published,
    };
    (0..toks.len())
        .find_map(|i| read.date_at(i))
        .unwrap_or_else(|| ClaimDate::unknown(published))
}

/// A sentence's words, read for the date its claims happened on.
struct DateWords<'a> {
    sentence: &'a str,
    toks: &'a [Token<'a>],
    lw: Vec<&'a str>,
    published: Option<Date>,
}

impl DateWords<'_> {
    /// The text of tokens `a..b`.
    fn text_of(&self, a: usize, b: usize) -> String {
        self.sentence[self.toks[a].start..self.toks[b - 1].end()].to_string()
    }

    /// The date that token `i` begins, if it begins one.
    fn date_at(&self, i: usize) -> Option<ClaimDate> {
        let lw = &self.lw;
        let w = lw[i];
        // Explicit dates: "6 March 2025", "March 6, 2025", "March 6".
        if let Some(m) = month_of(w) {
            if self.toks[i].is_capitalized() {
                return self.explicit(i, m);
            }
        }
        let p = self.published?;
        if let Some(&(_, wd)) = WEEKDAYS.iter().find(|(n, _)| *n == w) {
            let back =
                (p.weekday().to_monday_zero_offset() - wd.to_monday_zero_offset()).rem_euclid(7);
            return p
                .checked_sub((back as i64).days())
                .ok()
                .map(|d| day_date(d, self.text_of(i, i + 1)));
        }
        match w {
            "yesterday" => p
                .checked_sub(1.day())
                .ok()
                .map(|d| day_date(d, self.text_of(i, i + 1))),
            "today" | "tonight" => Some(day_date(p, self.text_of(i, i + 1))),
            "since" => self.since_the_start(i, p),
            "last" | "this"
                if matches!(
                    lw.get(i + 1).copied(),
                    Some("week" | "month" | "year" | "night")
                ) =>
            {
                // Calendar periods: "last week" is Monday to Sunday before the publication
                // week, "this month" runs from its first day to publication.
                calendar_period(p, lw[i + 1], w == "last", self.text_of(i, i + 2))
            }
            "in" | "over" | "past" | "last" => self.span_back(i, p),
            _ => None,
        }
    }

    /// "6 March 2025", "March 6, 2025", "March 6", "March", "since May": month `m` named at
    /// token `i`. Without a year, the latest such month on or before publication.
    fn explicit(&self, i: usize, m: i8) -> Option<ClaimDate> {
        let (lw, published) = (&self.lw, self.published);
        let day_before = i
            .checked_sub(1)
            .and_then(|k| lw[k].parse::<i8>().ok())
            .filter(|d| (1..=31).contains(d));
        let day_after = lw
            .get(i + 1)
            .and_then(|x| x.parse::<i8>().ok())
            .filter(|d| (1..=31).contains(d));
        let (day, a, mut b) = match (day_before, day_after) {
            (Some(d), _) => (Some(d), i - 1, i + 1),
            (None, Some(d)) => (Some(d), i, i + 2),
            _ => (None, i, i + 1),
        };
        let mut k = b;
        if lw.get(k).copied() == Some(",") {
            k += 1;
        }
        let year = lw
            .get(k)
            .and_then(|y| y.parse::<i16>().ok())
            .filter(|y| (1900..=2100).contains(y));
        if year.is_some() {
            b = k + 1;
        }
        // "since May", "Since the deal went into effect in May, ...".
        let since = (a.saturating_sub(16)..a).any(|k| lw[k] == "since")
            && !(a.saturating_sub(16)..a).any(|k| matches!(lw[k], "," | ";"));
        let y = year.or_else(|| {
            published.map(|p| {
                if m <= p.month() {
                    p.year()
                } else {
                    p.year() - 1
                }
            })
        })?;
        let text = self.text_of(a, b);
        match day {
            Some(d) => {
                let date = Date::new(y, m, d).ok()?;
                Some(if since {
                    range(Some(date), published, text)
                } else {
                    day_date(date, text)
                })
            }
            None => {
                let first = Date::new(y, m, 1).ok()?;
                Some(if since {
                    range(Some(first), published, text)
                } else {
                    ClaimDate {
                        start: Some(first),
                        end: Some(first.last_of_month()),
                        precision: DatePrecision::Month,
                        text: Some(text),
                    }
                })
            }
        }
    }

    /// "since the start of the battle": open start, ends at publication `p`.
    fn since_the_start(&self, i: usize, p: Date) -> Option<ClaimDate> {
        let lw = &self.lw;
        if lw.get(i + 1).copied() != Some("the") {
            return None;
        }
        let end = (i + 7).min(self.toks.len());
        let phrase = &lw[i + 1..end];
        if !phrase
            .iter()
            .any(|x| matches!(*x, "start" | "beginning" | "outbreak"))
        {
            return None;
        }
        let stop = phrase
            .iter()
            .position(|x| {
                matches!(
                    *x,
                    "battle"
                        | "offensive"
                        | "war"
                        | "conflict"
                        | "assault"
                        | "campaign"
                        | "fighting"
                        | "clashes"
                        | "operation"
                )
            })
            .map(|k| i + 1 + k + 1)
            .unwrap_or(end);
        Some(range(None, Some(p), self.text_of(i, stop)))
    }

    /// "in five weeks", "over the past three days", "in the last week": a span back from
    /// publication `p`.
    fn span_back(&self, i: usize, p: Date) -> Option<ClaimDate> {
        let lw = &self.lw;
        let mut k = i + 1;
        while lw
            .get(k)
            .is_some_and(|x| matches!(*x, "the" | "past" | "last" | "recent"))
        {
            k += 1;
        }
        let (n, unit_at) = match lw.get(k).and_then(|x| small_number(x)) {
            Some(n) if lw.get(k).is_some_and(|x| *x != "the") => (n, k + 1),
            _ => (1, k),
        };
        let days = match lw.get(unit_at).copied() {
            Some("day" | "days") => n,
            Some("week" | "weeks") => 7 * n,
            Some("month" | "months") => 30 * n,
            _ => return None,
        };
        if unit_at == k && k == i + 1 {
            return None; // "in week" is not a span
        }
        let start = p.checked_sub((days - 1).days()).ok()?;
        Some(range(Some(start), Some(p), self.text_of(i, unit_at + 1)))
    }
}

fn day_date(d: Date, text: String) -> ClaimDate {
    ClaimDate {
        start: Some(d),
        end: Some(d),
        precision: DatePrecision::Day,
        text: Some(text),
    }
}

/// "last week" (Monday to Sunday before the publication week), "this week" (its Monday to
/// publication), "last month", "this month", "last year", "this year", "last night".
fn calendar_period(p: Date, unit: &str, last: bool, text: String) -> Option<ClaimDate> {
    Some(match unit {
        "night" if last => day_date(p.checked_sub(1.day()).ok()?, text),
        "night" => day_date(p, text),
        "week" => {
            let monday = p
                .checked_sub(i64::from(p.weekday().to_monday_zero_offset()).days())
                .ok()?;
            if last {
                let a = monday.checked_sub(7.days()).ok()?;
                let b = monday.checked_sub(1.day()).ok()?;
                period(a, b, DatePrecision::Week, text)
            } else {
                period(monday, p, DatePrecision::Week, text)
            }
        }
        "month" => {
            let first = p.first_of_month();
            if last {
                let prev = first.checked_sub(1.day()).ok()?;
                period(prev.first_of_month(), prev, DatePrecision::Month, text)
            } else {
                period(first, p, DatePrecision::Month, text)
            }
        }
        _ => {
            let y = if last { p.year() - 1 } else { p.year() };
            let a = Date::new(y, 1, 1).ok()?;
            let b = if last { Date::new(y, 12, 31).ok()? } else { p };
            period(a, b, DatePrecision::Year, text)
        }
    })
}

fn period(start: Date, end: Date, precision: DatePrecision, text: String) -> ClaimDate {
    ClaimDate {
        start: Some(start),
        end: Some(end),
        precision,
        text: Some(text),
    }
}

fn range(start: Option<Date>, end: Option<Date>, text: String) -> ClaimDate {
    ClaimDate {
        start,
        end,
        precision: DatePrecision::Range,
        text: Some(text),
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::tokens;
    use super::*;
    use jiff::civil::date;

    fn d(s: &str, published: Option<Date>) -> (Option<String>, Option<String>, &'static str) {
        let t = tokens(s);
        let c = date_of(s, &t, published);
        (
            c.start.map(|x| x.to_string()),
            c.end.map(|x| x.to_string()),
            c.precision.as_str(),
        )
    }

    #[test]
    #[allow(clippy::type_complexity)]
    fn dates_table() {
        // 2016-08-08 was a Monday.
        let p = Some(date(2016, 8, 8));
        let s = |x: &str| Some(x.to_string());
        let cases: &[(&str, Option<Date>, (Option<String>, Option<String>, &str))] = &[
            (
                "killed on Thursday",
                p,
                (s("2016-08-04"), s("2016-08-04"), "day"),
            ),
            (
                "killed on Monday",
                p,
                (s("2016-08-08"), s("2016-08-08"), "day"),
            ),
            (
                "killed yesterday",
                p,
                (s("2016-08-07"), s("2016-08-07"), "day"),
            ),
            (
                "killed in five weeks",
                p,
                (s("2016-07-05"), s("2016-08-08"), "range"),
            ),
            (
                "dead since the start of the battle",
                p,
                (None, s("2016-08-08"), "range"),
            ),
            (
                "killed on 6 March 2025",
                p,
                (s("2025-03-06"), s("2025-03-06"), "day"),
            ),
            (
                "killed on March 6",
                p,
                (s("2016-03-06"), s("2016-03-06"), "day"),
            ),
            (
                "since May, hundreds died",
                p,
                (s("2016-05-01"), s("2016-08-08"), "range"),
            ),
            (
                "killed in December",
                p,
                (s("2015-12-01"), s("2015-12-31"), "month"),
            ),
            ("killed on Thursday", None, (None, None, "unknown")),
            ("eight were killed", p, (None, s("2016-08-08"), "unknown")),
        ];
        for (text, published, want) in cases {
            assert_eq!(&d(text, *published), want, "{text}");
        }
    }
}
