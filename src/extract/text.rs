//! Sentences and word tokens of a document, each with its byte offsets in the document text.

/// A sentence (or a headline line) of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence<'a> {
    /// The sentence text, trimmed.
    pub text: &'a str,
    /// Byte offset of `text` in the document.
    pub start: usize,
    /// Index of the paragraph (block of lines between blank lines) it belongs to.
    pub paragraph: usize,
    /// True when the line looks like a headline (Title Case, no final full stop).
    pub headline: bool,
}

impl Sentence<'_> {
    /// True for a photo caption or credit line ("... (photo credit: AP)", "[Getty Images]"):
    /// page furniture that tells no part of the story's place.
    pub fn is_caption(&self) -> bool {
        // Every form below has a bracket or a colon: most sentences are passed in one scan.
        if !self
            .text
            .bytes()
            .any(|b| matches!(b, b'(' | b':' | b'[' | b']'))
        {
            return false;
        }
        let t = self.text.to_lowercase();
        [
            "photo credit",
            "(photo",
            "photo:",
            "getty images",
            "file photo",
            "image credit",
        ]
        .iter()
        .any(|w| t.contains(w))
    }

    /// Byte offset one past the sentence's end in the document.
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// A word, number or punctuation mark of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token text.
    pub text: &'a str,
    /// Byte offset in the sentence.
    pub start: usize,
    /// The text in lower case (borrowed when it already is).
    lower: std::borrow::Cow<'a, str>,
}

impl<'a> Token<'a> {
    /// Byte offset one past the token in the sentence.
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// True for a word token starting with an upper-case letter (after a leading ʿayn mark).
    pub fn is_capitalized(&self) -> bool {
        self.text
            .trim_start_matches(LEADING_MARKS)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }

    /// True for a token made of letters (and inner hyphens or apostrophes).
    pub fn is_word(&self) -> bool {
        self.text
            .trim_start_matches(LEADING_MARKS)
            .chars()
            .next()
            .is_some_and(char::is_alphabetic)
    }

    /// True for punctuation.
    pub fn is_punct(&self) -> bool {
        !self.text.chars().next().is_some_and(char::is_alphanumeric)
    }

    /// A token of `text` at byte offset `start`.
    /// A word with asterisks a page put inside it to defeat scrapers ("fata*lities",
    /// "assa*ssinations"): read as if they were not there.
    fn starred(text: &'a str, start: usize) -> Token<'a> {
        let joined: String = text.chars().filter(|c| *c != '*').collect();
        Token {
            text,
            start,
            lower: std::borrow::Cow::Owned(joined.to_lowercase()),
        }
    }

    pub fn new(text: &'a str, start: usize) -> Token<'a> {
        let lower = if text.is_ascii() {
            if text.bytes().any(|b| b.is_ascii_uppercase()) {
                std::borrow::Cow::Owned(text.to_ascii_lowercase())
            } else {
                std::borrow::Cow::Borrowed(text)
            }
        } else if text.chars().any(char::is_uppercase) {
            std::borrow::Cow::Owned(text.to_lowercase())
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        Token { text, start, lower }
    }

    /// Lower-cased text, computed once.
    pub fn lw(&self) -> &str {
        &self.lower
    }
}

/// Transliteration marks for ʿayn that may start a word ("Al `Uqayrib", "ʿAyn"); the ASCII
/// apostrophe and curly quotes are left out, as they open quotations.
const LEADING_MARKS: &[char] = &['`', 'ʿ', 'ʻ'];

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "maj", "capt", "sgt", "no", "jan", "feb",
    "aug", "sept", "oct", "nov", "dec", "u.s", "u.n", "vs", "approx", "km",
];

/// Splits a document text into sentences: at line breaks, and after `.`, `!` or `?` followed
/// by white space and an upper-case letter, a digit or a quote. Hard-wrapped prose (a line
/// that runs on into the next: the next starts in lower case, or the block is wrapped at a
/// fixed width) is joined first, so that a sentence broken over lines is one sentence.
pub fn sentences(text: &str) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    let mut paragraph = 0usize;
    let mut block: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0usize;
    fn flush<'a>(
        text: &'a str,
        block: &mut Vec<(usize, &'a str)>,
        paragraph: &mut usize,
        out: &mut Vec<Sentence<'a>>,
    ) {
        if block.is_empty() {
            return;
        }
        if !out.is_empty() {
            *paragraph += 1;
        }
        for (start, end) in logical_lines(block) {
            split_line(&text[start..end], start, *paragraph, out);
        }
        block.clear();
    }
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim().is_empty() {
            flush(text, &mut block, &mut paragraph, &mut out);
        } else {
            block.push((offset, body));
        }
        offset += line.len();
    }
    flush(text, &mut block, &mut paragraph, &mut out);
    out
}

/// The byte ranges of a block's lines after joining the lines that run on into the next.
fn logical_lines(block: &[(usize, &str)]) -> Vec<(usize, usize)> {
    let ends_sentence = |l: &str| {
        l.trim_end()
            .ends_with(['.', '!', '?', ':', '"', '”', '’', ')', ';'])
    };
    if let [(start, line)] = block {
        return vec![(*start, start + line.len())];
    }
    // A block wrapped at a fixed width: most of its lines are of middling length and stop
    // mid-sentence.
    let wrapped = block.len() >= 4 && {
        let wrapped_lines = block
            .iter()
            .filter(|(_, l)| {
                (40..=320).contains(&l.len())
                    && (40..=80).contains(&l.chars().count())
                    && !ends_sentence(l)
            })
            .count();
        wrapped_lines * 2 >= block.len() && wrapped_lines >= 3
    };
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut open = false;
    for (k, &(start, line)) in block.iter().enumerate() {
        let end = start + line.len();
        match out.last_mut() {
            Some(last) if open => last.1 = end,
            _ => out.push((start, end)),
        }
        let next = block.get(k + 1).map(|(_, l)| l.trim_start()).unwrap_or("");
        let bullet = next.starts_with(['•', '*', '-', '–', '—', '·']);
        let runs_on = !ends_sentence(line)
            && !bullet
            && !next.is_empty()
            && !is_headline(line)
            && (next.starts_with(|c: char| c.is_lowercase()) || (wrapped && !is_headline(next)));
        open = runs_on;
    }
    out
}

fn split_line<'a>(line: &'a str, offset: usize, paragraph: usize, out: &mut Vec<Sentence<'a>>) {
    let headline = is_headline(line);
    let bytes = line.as_bytes();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        // "Damascus.Just over": a stop with the space lost, between a word of three or more
        // lower-case letters and a capitalized word.
        let glued = b == b'.'
            && i >= 3
            && bytes[i - 3..i].iter().all(u8::is_ascii_lowercase)
            && bytes.get(i + 1).is_some_and(u8::is_ascii_uppercase)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_lowercase);
        if glued {
            push_trimmed(line, start, i + 1, offset, paragraph, headline, out);
            start = i + 1;
            i += 1;
            continue;
        }
        if matches!(b, b'.' | b'!' | b'?')
            && i + 1 < bytes.len()
            && bytes[i + 1].is_ascii_whitespace()
        {
            let next = line[i + 1..].trim_start();
            let next_ok = next
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"“'‘(".contains(c));
            if !next_ok {
                i += 1;
                continue;
            }
            let word_before = line[start..i]
                .rsplit(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("")
                .trim_start_matches(['(', '"', '“'])
                .to_lowercase();
            let single_initial =
                word_before.chars().count() == 1 && word_before.chars().all(char::is_alphabetic);
            if b == b'.' && (ABBREVIATIONS.contains(&word_before.as_str()) || single_initial) {
                i += 1;
                continue;
            }
            push_trimmed(line, start, i + 1, offset, paragraph, headline, out);
            start = i + 1;
        }
        i += 1;
    }
    push_trimmed(line, start, line.len(), offset, paragraph, headline, out);
}

fn push_trimmed<'a>(
    line: &'a str,
    from: usize,
    to: usize,
    offset: usize,
    paragraph: usize,
    headline: bool,
    out: &mut Vec<Sentence<'a>>,
) {
    let raw = &line[from..to];
    let lead = raw.len() - raw.trim_start().len();
    let text = raw.trim();
    if !text.is_empty() {
        out.push(Sentence {
            text,
            start: offset + from + lead,
            paragraph,
            headline,
        });
    }
}

/// A line is a headline when it has no final full stop and most of its long words are
/// capitalized ("Barrel Bombs Kill 13 in Aleppo").
pub fn is_headline(line: &str) -> bool {
    let t = line.trim();
    if t.ends_with('.') {
        return false;
    }
    let (mut words, mut caps) = (0usize, 0usize);
    for w in t.split_whitespace() {
        if w.chars().filter(|c| c.is_alphabetic()).nth(3).is_none() {
            continue;
        }
        words += 1;
        if w.chars().next().is_some_and(char::is_uppercase) {
            caps += 1;
        }
    }
    words >= 2 && caps * 10 >= words * 7
}

/// Splits a sentence into tokens: words (with inner hyphens and apostrophes), numbers (with
/// thousands separators and decimals) and single punctuation marks. A possessive `'s` is a
/// token of its own.
/// The letters from byte `k` to the next character that is no letter.
fn word_at(s: &str, k: usize) -> &str {
    let rest = s.get(k..).unwrap_or("");
    let end = rest
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(rest.len(), |(i, _)| i);
    &rest[..end]
}

pub fn tokens(s: &str) -> Vec<Token<'_>> {
    let mut out = Vec::with_capacity(s.len() / 5 + 1);
    let at = |k: usize| char_at(s, k);
    let alnum_at = |k: usize| at(k).is_some_and(|(c, _)| c.is_alphanumeric());
    // A possessive 's at byte k (an apostrophe, then s, then no more letters).
    let possessive_at = |k: usize| match at(k) {
        Some(('\'' | '’', n)) => match at(k + n) {
            Some(('s' | 'S', m)) => !alnum_at(k + n + m),
            _ => false,
        },
        _ => false,
    };
    let mut i = 0usize;
    let mut prev_space = true;
    while let Some((c, len)) = at(i) {
        if c.is_whitespace() {
            i += len;
            prev_space = true;
            continue;
        }
        // A word opened by an ʿayn mark: "`Uqayrib".
        let marked = prev_space
            && LEADING_MARKS.contains(&c)
            && at(i + len).is_some_and(|(n, _)| n.is_alphabetic());
        prev_space = false;
        if c.is_alphanumeric() || marked {
            let numeric = c.is_ascii_digit();
            let mut starred = false;
            let mut j = i + len;
            while let Some((cj, lj)) = at(j) {
                if cj.is_alphanumeric() {
                    j += lj;
                    continue;
                }
                // Inner joiners: 1,556 and 3.5 in numbers; al-Assad, Ma'arrat in words.
                let joins = if numeric {
                    matches!(cj, ',' | '.') && at(j + lj).is_some_and(|(n, _)| n.is_ascii_digit())
                } else {
                    matches!(cj, '-' | '\'' | '’' | '‘' | 'ʿ' | '`' | '*') && alnum_at(j + lj)
                };
                // "Update-Eight civilians killed": a label glued to a number word.
                let label = cj == '-'
                    && !numeric
                    && at(j + lj).is_some_and(|(n, _)| n.is_uppercase())
                    && super::words::is_number_word(word_at(s, j + lj))
                    && !super::words::is_number_word(&s[i..j]);
                // A possessive 's ends the word.
                if joins && !possessive_at(j) && !label {
                    starred |= cj == '*';
                    j += lj;
                    continue;
                }
                break;
            }
            out.push(if starred {
                Token::starred(&s[i..j], i)
            } else {
                Token::new(&s[i..j], i)
            });
            i = j;
            continue;
        }
        let end = if possessive_at(i) {
            i + len + at(i + len).map_or(0, |(_, n)| n)
        } else {
            i + len
        };
        out.push(Token::new(&s[i..end], i));
        i = end;
    }
    out
}

/// The character at byte offset `k` of `s` and its length, if `k` starts one.
fn char_at(s: &str, k: usize) -> Option<(char, usize)> {
    let b = *s.as_bytes().get(k)?;
    if b.is_ascii() {
        return Some((b as char, 1));
    }
    let c = s.get(k..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_stops_and_lines_with_offsets() {
        let text = "Barrel Bombs Kill Thirteen Around Aleppo\n\nFive were killed. Mr. Smith said so.\nAnother line";
        let s = sentences(text);
        let texts: Vec<&str> = s.iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            [
                "Barrel Bombs Kill Thirteen Around Aleppo",
                "Five were killed.",
                "Mr. Smith said so.",
                "Another line"
            ]
        );
        for x in &s {
            assert_eq!(&text[x.start..x.end()], x.text);
        }
        assert!(s[0].headline);
        assert!(!s[1].headline);
        assert_eq!(s[0].paragraph, 0);
        assert_eq!(s[1].paragraph, 1);
    }

    #[test]
    fn tokens_keep_numbers_names_and_possessives() {
        let toks: Vec<&str> = tokens("Assad's 1,556 fighters in al-Bab, Ma'arrat (3.5 km).")
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            toks,
            [
                "Assad", "'s", "1,556", "fighters", "in", "al-Bab", ",", "Ma'arrat", "(", "3.5",
                "km", ")", "."
            ]
        );
    }

    #[test]
    fn tokens_table_of_edge_cases() {
        let cases: &[(&str, &[&str])] = &[
            ("`Uqayrib and ʿAyn", &["`Uqayrib", "and", "ʿAyn"]),
            ("x `quoted`", &["x", "`quoted", "`"]),
            ("Syria’s 12,000.", &["Syria", "’s", "12,000", "."]),
            ("rock'n'roll's end", &["rock'n'roll", "'s", "end"]),
            ("'s", &["'s"]),
            ("a 3.", &["a", "3", "."]),
            ("Ḥamāh — Ḥimṣ", &["Ḥamāh", "—", "Ḥimṣ"]),
            ("", &[]),
            ("  -  ", &["-"]),
        ];
        for (text, expected) in cases {
            let toks = tokens(text);
            let got: Vec<&str> = toks.iter().map(|t| t.text).collect();
            assert_eq!(&got, expected, "{text:?}");
            for t in &toks {
                assert_eq!(&text[t.start..t.end()], t.text, "{text:?}");
            }
        }
        assert_eq!(tokens("ḤAMĀH")[0].lw(), "ḥamāh");
        assert_eq!(tokens("Aleppo")[0].lw(), "aleppo");
    }

    #[test]
    fn tokens_handle_multibyte_text() {
        let toks = tokens("قتل ٨ في حلب — “eight”");
        assert!(toks.iter().any(|t| t.text == "حلب"));
        assert!(toks.iter().any(|t| t.text == "eight"));
    }
}
