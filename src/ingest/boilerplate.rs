//! Generic trimming of scraped plain text by its structure, not by strings of one site: a
//! leading logo or section line, and a trailing block of link lists, teasers and prompts
//! ("Related", "Latest news", "Comments") after the article's last paragraph of prose.

/// Fewest non-prose paragraphs after the last prose one that make a trailing block to drop.
const TRAILING_BLOCK: usize = 3;

/// A paragraph of running text: enough words, and it ends a sentence (or holds two).
fn is_prose(p: &str) -> bool {
    let end = p.trim_end();
    if end.ends_with("...") || end.ends_with('…') {
        return false;
    }
    // A list item that is a sentence ("• 14 were killed by ISIS.") is the article's own
    // list, not a link list: link lists and teasers do not end in full stops.
    let item = p.trim_start().starts_with(['•', '-', '*', '·', '–']);
    if item && end.ends_with('.') && p.split_whitespace().nth(3).is_some() {
        return true;
    }
    // Counting stops as soon as the answer is known: an article may be one long paragraph.
    if p.split_whitespace().nth(11).is_none() {
        return false;
    }
    // A closing quote or bracket counts after a full stop only: a headline may end in one.
    let ends = end
        .trim_end_matches(['"', '”', '’', '\'', ')'])
        .ends_with(['.', '!', '?', ':']);
    ends || p
        .as_bytes()
        .windows(2)
        .filter(|w| matches!(w, [b'.' | b'?' | b'!', b' ']))
        .nth(1)
        .is_some()
}

/// A line a logo or a section label makes: a few words, no sentence.
fn is_label(p: &str) -> bool {
    p.lines().all(|l| {
        let l = l.trim();
        l.split_whitespace().count() <= 3 && !l.ends_with(['.', '!', '?'])
    })
}

/// The text without its leading labels and its trailing block; unchanged when it has no prose.
pub fn trim(text: &str) -> &str {
    // Paragraphs as byte ranges, split at blank lines.
    let mut paras: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some(offset),
            (true, Some(s)) => {
                paras.push((s, offset));
                start = None;
            }
            _ => {}
        }
        offset += line.len();
    }
    if let Some(s) = start {
        paras.push((s, text.len()));
    }
    let para = |i: usize| &text[paras[i].0..paras[i].1];
    let Some(last_prose) = (0..paras.len()).rev().find(|&i| is_prose(para(i))) else {
        return text;
    };
    let first = (0..last_prose)
        .find(|&i| !is_label(para(i)))
        .unwrap_or(last_prose);
    let start = if first == 0 { 0 } else { paras[first].0 };
    if paras.len() - last_prose > TRAILING_BLOCK {
        text[start..paras[last_prose].1].trim_end()
    } else {
        &text[start..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_articles_own_bulleted_sentences_stay() {
        let text = "Monthly toll\n\nThe monitor documented the deaths of 30 people in the month, as follows, with details for every case below:\n\n• 12 were killed by shelling.\n\n• Nine died in clashes near the river.\n\n• Five were killed by old mines.\n\n• Four were shot at a checkpoint.\n";
        assert!(trim(text).contains("• Four were shot at a checkpoint."));
        assert!(trim(text).contains("• 12 were killed by shelling."));
    }

    #[test]
    fn leading_labels_and_trailing_lists_go_prose_stays() {
        let text = "WIRE\nWIRE\n\nShelling Kills Nine in Ariha\n\n\
                    Nine civilians were killed on Monday when shells hit a market in Ariha, medics said.\n\n\
                    Residents said the shelling went on for most of the day, and the road was closed.\n\n\
                    Related stories\n\nMarkets fall for a third day\n\n\
                    Photo credit: example.org Ministers meet to discuss the budget in...\n\n\
                    Leave a comment\n";
        let t = trim(text);
        assert!(t.starts_with("Shelling Kills Nine in Ariha"), "{t}");
        assert!(t.ends_with("the road was closed."), "{t}");
        // A headline ending in a quote is not prose.
        let quoted = "Nine civilians were killed on Monday when shells hit a market in Ariha, medics said.\n\n\
                      Related\n\nSenator Blames Economic Trouble on the Rival Party's 'Chaos and Uncertainty'\n\n\
                      Latest news\n";
        assert!(trim(quoted).ends_with("medics said."), "{}", trim(quoted));

        // Fewer than three trailing paragraphs, or no prose at all: unchanged.
        let short = "Nine civilians were killed on Monday when shells hit a market in Ariha, medics said.\n\nReuters\n";
        assert_eq!(trim(short), short);
        assert_eq!(
            trim("Home\n\nNews\n\nContact\n"),
            "Home\n\nNews\n\nContact\n"
        );
        assert_eq!(trim(""), "");
    }
}
