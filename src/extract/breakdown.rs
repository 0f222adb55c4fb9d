//! Breakdowns inside a sentence: which counts list the parts of an earlier count ("34,
//! including 12 children and 5 women", "10 citizens (9 children and an old man)", "23
//! -including six children-", "of whom", "among them"), and where each total's list ends.

use super::numbers::CountMatch;

/// The breakdown structure of a sentence's counts, by count index.
#[derive(Debug, Default)]
pub(super) struct Groups {
    /// The total a count is a part of.
    pub parent: Vec<Option<usize>>,
    /// For a total followed by its list of parts: the token where the list ends (where the
    /// total's own verb is looked for).
    pub end: Vec<Option<usize>>,
}

/// Words that open a list of parts after a total.
fn opens(lw: &[&str], k: usize) -> bool {
    match lw[k] {
        "including" | "incl" | "(" | ":" => true,
        "among" | "of" => lw.get(k + 1).is_some_and(|w| matches!(*w, "them" | "whom")),
        "-" | "–" | "—" => lw.get(k + 1).copied() == Some("including"),
        // "467 civilians, they are 108 children ... and 299 men".
        "they" => {
            k > 0 && lw[k - 1] == "," && lw.get(k + 1).is_some_and(|w| matches!(*w, "are" | "were"))
        }
        _ => false,
    }
}

/// Tokens that end a list of parts: the closing mark, or the verb of the sentence.
fn closes(lw: &[&str], k: usize, opener: &str) -> Option<usize> {
    let w = lw[k];
    match w {
        ")" if opener == "(" => Some(k + 1),
        "-" | "–" | "—" if opener != "(" => Some(k + 1),
        ";" | "." => Some(k),
        _ if opener == ":" => None,
        "were" | "was" | "are" | "is" | "had" | "have" | "has" | "died" | "killed" | "wounded"
        | "injured" | "perished" => Some(k),
        _ => None,
    }
}

/// Finds each sentence's totals and their parts.
pub(super) fn groups(lw: &[&str], counts: &[CountMatch]) -> Groups {
    let mut g = Groups {
        parent: vec![None; counts.len()],
        end: vec![None; counts.len()],
    };
    let mut ti = 0usize;
    while ti < counts.len() {
        let total = &counts[ti];
        // The opener follows the total's noun phrase closely: "34, including", "10 citizens (".
        // Or, however far on, a colon after "they are", "the dead were", "these include"
        // before the next figure: "... 56 the number of persons killed in the villages of
        // X, and they are: 25 civilians, 4 persons ..."
        let next_count = counts.get(ti + 1).map_or(lw.len(), |c| c.first);
        let Some(open) = (total.end..(total.end + 5).min(lw.len()))
            .take_while(|&k| !counts.iter().any(|c| c.first == k))
            .find(|&k| opens(lw, k))
            .or_else(|| {
                (total.end + 1..next_count).find(|&k| {
                    lw[k] == ":"
                        && matches!(
                            lw[k - 1],
                            "are" | "were" | "include" | "includes" | "included"
                        )
                })
            })
        else {
            ti += 1;
            continue;
        };
        // A verb between the total and the opener belongs to the total's clause: "five
        // were killed, including two children" lists the parts after the verb.
        let verb_before = (total.end..open).any(|k| {
            matches!(
                lw[k],
                "were" | "was" | "killed" | "wounded" | "injured" | "died"
            )
        });
        let opener = lw[open];
        let mut end = None;
        // "they are" opens with its own verb: the list starts after it.
        let from = if opener == "they" { open + 2 } else { open + 1 };
        for k in from..lw.len() {
            if counts.iter().any(|c| c.first == k) {
                continue;
            }
            // "five civilians including a child dead": the outcome word ends the list.
            let outcome_here = opener != ":" && super::outcome_word(lw[k]).is_some();
            if let Some(e) = closes(lw, k, opener).or(outcome_here.then_some(k)) {
                end = Some(e);
                break;
            }
        }
        let end_at = end.unwrap_or(lw.len());
        // Later (inner) totals overwrite the parents set by the ones around them, so a part
        // of a part points at its immediate total.
        let mut any = false;
        for (pi, part) in counts.iter().enumerate().skip(ti + 1) {
            if part.first >= end_at {
                break;
            }
            if part.first > open {
                g.parent[pi] = Some(ti);
                any = true;
            }
        }
        if any && !verb_before {
            g.end[ti] = end;
        }
        ti += 1;
    }
    g
}
