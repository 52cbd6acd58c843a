//! Text normalisation shared by the index and the queries: words (Unicode
//! letters and digits, camelCase split), lower case, a light English stemmer
//! (plurals, -ing, -ed, final e) and a bounded edit distance for spelling.

/// FNV-1a: a fast hash for the short keys of the index (words, terms).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A `HashMap` with [`Fnv`] hashing.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// Call `f` with each lower-case word of `text` (see [`words`]), reusing one buffer.
pub(crate) fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if ch.is_uppercase() && prev_lower && !cur.is_empty() {
                f(&cur);
                cur.clear();
            }
            prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
            if ch.is_ascii() {
                cur.push(ch.to_ascii_lowercase());
            } else {
                cur.extend(ch.to_lowercase());
            }
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                f(&cur);
                cur.clear();
            }
        }
    }
    if !cur.is_empty() {
        f(&cur);
    }
}

/// Split `text` into lower-case words: runs of letters/digits, also split at
/// camelCase boundaries (`DescribeInstances` → `describe`, `instances`).
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// A bit per letter a–z present in `word` (a cheap filter before edit distance).
pub(crate) fn letter_mask(word: &str) -> u32 {
    word.bytes()
        .filter(|b| b.is_ascii_lowercase())
        .fold(0u32, |m, b| m | 1 << (b - b'a'))
}

/// Whether a word looks like an identifier or a value rather than a word
/// (`0f1e2d3c4b5a69788`, `123456789012`, `abc123def`): long and mixing digits.
pub(crate) fn is_noise(word: &str) -> bool {
    let digits = word.chars().filter(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return false;
    }
    let n = word.chars().count();
    digits == n || n > 5
}

/// A light stemmer: the same rules for documents and queries, so that
/// `instances`/`instance`, `creating`/`created`/`create`, `policies`/`policy`
/// meet. Short words and words with digits are left alone.
pub(crate) fn stem(word: &str) -> String {
    if word.len() <= 3 || !word.is_ascii() || word.bytes().any(|b| b.is_ascii_digit()) {
        return word.to_string();
    }
    let mut w = word.to_string();
    if let Some(base) = w.strip_suffix("ies") {
        if base.len() >= 2 {
            w = format!("{base}y");
        }
    } else if w.ends_with("sses")
        || w.ends_with("xes")
        || w.ends_with("ches")
        || w.ends_with("shes")
    {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && w.len() > 3
    {
        w.truncate(w.len() - 1);
    }
    for suf in ["ing", "ed"] {
        if w.len() > suf.len() + 3 && w.ends_with(suf) {
            let base = &w[..w.len() - suf.len()];
            if base.bytes().any(|b| b"aeiouy".contains(&b)) {
                let b = base.as_bytes();
                let n = b.len();
                let undouble = n >= 2
                    && b[n - 1] == b[n - 2]
                    && !b"lsz".contains(&b[n - 1])
                    && !b"aeiou".contains(&b[n - 1]);
                w = if undouble {
                    base[..n - 1].to_string()
                } else {
                    base.to_string()
                };
            }
            break;
        }
    }
    if w.len() > 4 && w.ends_with('e') && !w.ends_with("ee") {
        w.truncate(w.len() - 1);
    }
    w
}

/// Words that carry no meaning for finding a command.
pub(crate) fn is_stopword(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "my"
            | "our"
            | "me"
            | "i"
            | "we"
            | "us"
            | "you"
            | "your"
            | "it"
            | "its"
            | "this"
            | "that"
            | "these"
            | "those"
            | "to"
            | "of"
            | "in"
            | "on"
            | "for"
            | "from"
            | "with"
            | "by"
            | "at"
            | "as"
            | "and"
            | "or"
            | "is"
            | "are"
            | "be"
            | "was"
            | "do"
            | "does"
            | "did"
            | "can"
            | "could"
            | "would"
            | "should"
            | "please"
            | "so"
            | "some"
            | "any"
            | "every"
            | "all"
            | "there"
            | "here"
            | "have"
            | "has"
            | "now"
            | "right"
            | "just"
            | "want"
            | "need"
            | "like"
            | "how"
            | "aws"
            | "amazon"
            | "s"
            | "t"
            | "don"
            | "into"
            | "up"
            | "about"
            | "around"
            | "them"
            | "their"
            | "they"
            | "if"
            | "when"
            | "where"
            | "who"
            | "why"
            | "will"
            | "same"
            | "using"
            | "use"
            | "called"
            | "named"
            | "few"
            | "also"
            | "then"
            | "than"
            | "one"
    )
}

/// Edit distance between `a` and `b` (insertions, deletions, substitutions,
/// adjacent transpositions), or `None` when it exceeds `max`.
pub(crate) fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut prev2 = vec![0usize; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur = vec![0usize; w];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_camel_case_and_punctuation() {
        assert_eq!(
            words("DescribeInstances, s3://x-y ÉTÉ"),
            vec!["describe", "instances", "s3", "x", "y", "été"]
        );
        assert_eq!(
            words("ec2 EC2 listVPCs"),
            vec!["ec2", "ec2", "list", "vpcs"]
        );
        assert!(words("  ---  ").is_empty());
    }

    #[test]
    fn stems_meet() {
        assert_eq!(stem("instances"), stem("instance"));
        assert_eq!(stem("creating"), stem("create"));
        assert_eq!(stem("created"), stem("create"));
        assert_eq!(stem("policies"), stem("policy"));
        assert_eq!(stem("stopped"), stem("stop"));
        assert_eq!(stem("running"), "run");
        assert_eq!(stem("buckets"), "bucket");
        assert_eq!(stem("access"), "access");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("ec2"), "ec2");
        assert_eq!(stem("üben"), "üben");
    }

    #[test]
    fn noise_words() {
        assert!(is_noise("0f1e2d3c4b5a69788"));
        assert!(is_noise("123456"));
        assert!(!is_noise("ec2"));
        assert!(!is_noise("s3"));
        assert!(!is_noise("bucket"));
    }

    #[test]
    fn edit_distance_bounded() {
        assert_eq!(edit_distance("secrt", "secret", 2), Some(1));
        assert_eq!(edit_distance("lamda", "lambda", 1), Some(1));
        assert_eq!(edit_distance("teh", "the", 1), Some(1));
        assert_eq!(edit_distance("abc", "xyz", 1), None);
        assert_eq!(edit_distance("a", "abcdef", 2), None);
        assert_eq!(edit_distance("", "", 0), Some(0));
    }
}
