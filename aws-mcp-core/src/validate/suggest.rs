//! "Did you mean": the closest valid names to a wrong one.
//!
//! Scores are normalized Damerau-Levenshtein similarity (`strsim`), raised
//! for names that contain the query (or the reverse), and computed also for
//! the query with its leading verb replaced by the verbs the AWS CLI uses for
//! the same idea (`list-instances` → `describe-instances`,
//! `remove-user` → `delete-user`). Up to three names above a floor are
//! returned, best first; a nonsense name gets none.

use strsim::normalized_damerau_levenshtein;

/// At most this many suggestions.
pub const MAX_SUGGESTIONS: usize = 3;
const FLOOR: f64 = 0.5;

const VERBS: &[(&str, &[&str])] = &[
    ("list", &["describe", "get"]),
    ("describe", &["list", "get"]),
    ("get", &["describe", "list"]),
    ("show", &["describe", "get", "list"]),
    ("remove", &["delete", "detach"]),
    ("delete", &["remove"]),
    ("add", &["create", "put", "attach"]),
    ("make", &["create"]),
    ("new", &["create"]),
    ("set", &["put", "update", "modify"]),
    ("update", &["modify", "put"]),
    ("modify", &["update"]),
    ("run", &["start", "execute"]),
    ("start", &["run"]),
    ("stop", &["terminate"]),
];

fn score(query: &str, cand: &str) -> f64 {
    let contains = query.len() >= 3 && (cand.contains(query) || query.contains(cand));
    // The edit distance is at least the difference in length: skip the
    // quadratic computation when even that cannot reach the floor.
    let (a, b) = (query.chars().count(), cand.chars().count());
    let bound = 1.0 - a.abs_diff(b) as f64 / a.max(b).max(1) as f64;
    let mut s = if bound < FLOOR - 0.1 {
        0.0
    } else {
        normalized_damerau_levenshtein(query, cand)
    };
    if contains {
        s = s.max(0.6) + 0.15;
    }
    s
}

/// The closest candidates to `query`, best first (at most [`MAX_SUGGESTIONS`]).
pub fn closest<'a>(query: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let q = query.trim_start_matches('-').to_ascii_lowercase();
    let variants: Vec<String> = match q.split_once('-') {
        Some((verb, rest)) => VERBS
            .iter()
            .filter(|(v, _)| *v == verb)
            .flat_map(|(_, alts)| alts.iter().map(move |a| format!("{a}-{rest}")))
            .collect(),
        None => Vec::new(),
    };
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        // An empty name (`aws configure` alone) is never a suggestion.
        .filter(|c| !c.trim_start_matches('-').is_empty())
        .filter_map(|c| {
            let cl = c.trim_start_matches('-').to_ascii_lowercase();
            let mut s = score(&q, &cl);
            for v in &variants {
                s = s.max(score(v, &cl) - 0.05);
            }
            (s >= FLOOR).then_some((s, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, c)| c.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_verb_synonyms() {
        let ops = [
            "describe-instances",
            "start-instances",
            "stop-instances",
            "describe-images",
            "run-instances",
        ];
        assert_eq!(closest("list-instances", ops)[0], "describe-instances");
        assert_eq!(closest("describe-instance", ops)[0], "describe-instances");
        assert_eq!(
            closest("lambdas", ["lambda", "lightsail", "logs"])[0],
            "lambda"
        );
        assert!(closest("zzzzzzzz", ops).is_empty());
        assert!(closest("describe", ops).len() <= MAX_SUGGESTIONS);
    }
}
