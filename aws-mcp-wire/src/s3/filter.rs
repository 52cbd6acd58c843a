//! `--include` / `--exclude`, exactly as awscli's `Filter` applies them.
//!
//! * Every pattern is joined to a root: the source directory (or the
//!   source's parent for a single file) and, separately, the destination
//!   root (which matters for `sync --delete`, where destination files pass
//!   through the same filter). `--exclude "*.tmp"` on `sync . s3://b/p` is
//!   really `/work/dir/*.tmp` and `b/p/*.tmp`.
//! * Each file starts included; the patterns are tried in command-line
//!   order, each the source-rooted then the destination-rooted form, and
//!   every match sets the verdict (`include` → in, `exclude` → out), so
//!   the last matching rule wins.
//! * Matching is Python's `fnmatch.fnmatch` on POSIX: case-sensitive, the
//!   whole path, `*` crosses `/`, `?` is one character, `[...]` a class
//!   (`[!...]` negated; ranges as `fnmatch.translate` builds them, empty
//!   ranges dropped), an unclosed `[` literal.

use super::paths::{abspath, dirname, join, split_s3_bucket_key};
use super::S3Error;

/// Which kind of rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// `--include`.
    Include,
    /// `--exclude`.
    Exclude,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Any,
    Star,
    /// A class: ranges, negated; `None` never matches.
    Class(Option<(Vec<(char, char)>, bool)>),
}

/// A compiled `fnmatch` pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    toks: Vec<Tok>,
}

impl Glob {
    /// Compile `pattern` as `fnmatch.translate` reads it.
    pub fn new(pattern: &str) -> Glob {
        let pat: Vec<char> = pattern.chars().collect();
        let n = pat.len();
        let mut toks = Vec::new();
        let mut i = 0;
        while i < n {
            let c = pat[i];
            i += 1;
            match c {
                '*' => {
                    if toks.last() != Some(&Tok::Star) {
                        toks.push(Tok::Star);
                    }
                }
                '?' => toks.push(Tok::Any),
                '[' => {
                    let mut j = i;
                    if j < n && pat[j] == '!' {
                        j += 1;
                    }
                    if j < n && pat[j] == ']' {
                        j += 1;
                    }
                    while j < n && pat[j] != ']' {
                        j += 1;
                    }
                    if j >= n {
                        toks.push(Tok::Lit('['));
                    } else {
                        toks.push(class(&pat, i, j));
                        i = j + 1;
                    }
                }
                c => toks.push(Tok::Lit(c)),
            }
        }
        Glob { toks }
    }

    /// Whether `name` matches the whole pattern.
    pub fn matches(&self, name: &str) -> bool {
        let s: Vec<char> = name.chars().collect();
        let t = &self.toks;
        let (mut p, mut i) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while i < s.len() {
            if p < t.len() && t[p] == Tok::Star {
                star = Some((p, i));
                p += 1;
            } else if p < t.len() && one(&t[p], s[i]) {
                p += 1;
                i += 1;
            } else if let Some((sp, si)) = star {
                p = sp + 1;
                i = si + 1;
                star = Some((sp, si + 1));
            } else {
                return false;
            }
        }
        while p < t.len() && t[p] == Tok::Star {
            p += 1;
        }
        p == t.len()
    }
}

fn one(t: &Tok, c: char) -> bool {
    match t {
        Tok::Lit(x) => *x == c,
        Tok::Any => true,
        Tok::Star => false,
        Tok::Class(None) => false,
        Tok::Class(Some((ranges, negated))) => {
            ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi) != *negated
        }
    }
}

/// The class `pat[i..j]` (between `[` and `]`) as `fnmatch.translate`
/// builds it: the text of the regular expression class it would write, then
/// read as Python's `re` reads a class.
fn class(pat: &[char], i: usize, j: usize) -> Tok {
    let stuff: Vec<char> = pat[i..j].to_vec();
    // The class body as `translate` writes it: items are (char, escaped).
    let mut body: Vec<(char, bool)> = Vec::new();
    if !stuff.contains(&'-') {
        body.extend(stuff.iter().map(|c| (*c, *c == '\\')));
    } else {
        let mut chunks: Vec<Vec<char>> = Vec::new();
        let mut start = i;
        let mut k = if pat[i] == '!' { i + 2 } else { i + 1 };
        loop {
            let found = (k..j).find(|&x| pat[x] == '-');
            let Some(f) = found else { break };
            chunks.push(pat[start..f].to_vec());
            start = f + 1;
            k = f + 3;
        }
        let last: Vec<char> = pat[start..j].to_vec();
        if last.is_empty() {
            if let Some(l) = chunks.last_mut() {
                l.push('-');
            }
        } else {
            chunks.push(last);
        }
        // Remove empty ranges (a chunk ending after the next one starts).
        let mut k = chunks.len();
        while k > 1 {
            k -= 1;
            let (prev_last, next_first) = (chunks[k - 1].last(), chunks[k].first());
            if let (Some(a), Some(b)) = (prev_last, next_first) {
                if a > b {
                    let tail: Vec<char> = chunks[k][1..].to_vec();
                    let prev = &mut chunks[k - 1];
                    prev.pop();
                    prev.extend(tail);
                    chunks.remove(k);
                }
            }
        }
        for (n, ch) in chunks.iter().enumerate() {
            if n > 0 {
                body.push(('-', false));
            }
            body.extend(ch.iter().map(|c| (*c, *c == '\\' || *c == '-')));
        }
    }
    if body.is_empty() {
        return Tok::Class(None);
    }
    if body.len() == 1 && body[0] == ('!', false) {
        return Tok::Any;
    }
    let negated = body[0] == ('!', false);
    let items = if negated { &body[1..] } else { &body[..] };
    // Python's re: `a-b` is a range unless the `-` is escaped or last.
    let mut ranges = Vec::new();
    let mut x = 0;
    while x < items.len() {
        let (c, _) = items[x];
        if x + 2 < items.len() && items[x + 1] == ('-', false) {
            let hi = items[x + 2].0;
            ranges.push((c, hi));
            x += 3;
        } else {
            ranges.push((c, c));
            x += 1;
        }
    }
    Tok::Class(Some((ranges, negated)))
}

/// Python's `fnmatch.fnmatch` on POSIX.
pub fn fnmatch(name: &str, pattern: &str) -> bool {
    Glob::new(pattern).matches(name)
}

/// awscli's `Filter`, built from the command's rules (see the module docs).
#[derive(Debug, Clone)]
pub struct Filter {
    patterns: Vec<(Rule, Glob)>,
    dst_patterns: Vec<(Rule, Glob)>,
}

impl Filter {
    /// No rules: everything passes.
    pub fn none() -> Filter {
        Filter {
            patterns: Vec::new(),
            dst_patterns: Vec::new(),
        }
    }

    /// The filter of a command: `rules` in command-line order, `src` and
    /// `dest` the raw paths (after `s3://bucket` → `s3://bucket/`), `cwd`
    /// the current directory for local paths.
    pub fn new(
        rules: &[(Rule, String)],
        src: &str,
        dest: &str,
        dir_op: bool,
        cwd: &str,
    ) -> Result<Filter, S3Error> {
        if rules.is_empty() {
            return Ok(Filter::none());
        }
        let root = |loc: &str| -> Result<String, S3Error> {
            if loc.starts_with("s3://") {
                let (bucket, mut key) = split_s3_bucket_key(loc)?;
                if !dir_op && !key.ends_with('/') {
                    let parts: Vec<&str> = key.split('/').collect();
                    key = parts[..parts.len() - 1].join("/");
                }
                Ok(format!("{bucket}/{key}"))
            } else if dir_op {
                Ok(abspath(loc, cwd))
            } else {
                Ok(abspath(&dirname(loc), cwd))
            }
        };
        let (src_root, dst_root) = (root(src)?, root(dest)?);
        let full = |r: &str| -> Vec<(Rule, Glob)> {
            rules
                .iter()
                .map(|(k, p)| (*k, Glob::new(&join(r, p))))
                .collect()
        };
        Ok(Filter {
            patterns: full(&src_root),
            dst_patterns: full(&dst_root),
        })
    }

    /// Whether the file `path` (`bucket/key`, or an absolute local path)
    /// passes the filter.
    pub fn includes(&self, path: &str) -> bool {
        let mut status = true;
        for ((kind, pat), (dkind, dpat)) in self.patterns.iter().zip(&self.dst_patterns) {
            if pat.matches(path) {
                status = *kind == Rule::Include;
            }
            if dpat.matches(path) {
                status = *dkind == Rule::Include;
            }
        }
        status
    }

    /// True when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnmatch_like_python() {
        // (name, pattern, Python's fnmatch.fnmatchcase) — checked against
        // CPython 3.11 by tests/e2e (test_s3_filters_match_python).
        for (name, pat, want) in [
            ("a.txt", "*.txt", true),
            ("dir/a.txt", "*.txt", true),
            ("a.txt", "*.TXT", false),
            ("abc", "a?c", true),
            ("ac", "a?c", false),
            ("a/c", "a?c", true),
            ("abc", "a[bx]c", true),
            ("aXc", "a[!bx]c", true),
            ("abc", "a[!bx]c", false),
            ("a[c", "a[c", true),
            ("a]c", "a[]]c", true),
            ("a-c", "a[a-]c", true),
            ("abc", "a[a-c]c", true),
            ("abc", "a[c-a]c", false),
            ("a\\c", "a[\\]c", true),
            ("", "*", true),
            ("x", "", false),
            ("aaab", "*a*b", true),
            ("mississippi", "*iss*pi", true),
            ("mississippi", "*iss*px", false),
            ("a-z", "a[!-]z", false),
            ("a.z", "a[!-]z", true),
        ] {
            assert_eq!(fnmatch(name, pat), want, "{name} ~ {pat}");
        }
    }

    #[test]
    fn last_matching_rule_wins_with_roots() {
        let rules = vec![
            (Rule::Exclude, "*".to_string()),
            (Rule::Include, "*.txt".to_string()),
        ];
        let f = Filter::new(&rules, "d", "s3://b/p/", true, "/w").unwrap();
        assert!(f.includes("/w/d/a.txt"));
        assert!(f.includes("/w/d/sub/b.txt"));
        assert!(!f.includes("/w/d/a.json"));
        // Destination files of a sync pass through the destination roots.
        assert!(f.includes("b/p/x.txt"));
        assert!(!f.includes("b/p/x.json"));
        // A single file: the root is its directory.
        let f = Filter::new(
            &[(Rule::Exclude, "a.*".to_string())],
            "s3://b/k/a.txt",
            "out.txt",
            false,
            "/w",
        )
        .unwrap();
        assert!(!f.includes("b/k/a.txt"));
        assert!(f.includes("b/k/c.txt"));
        assert!(Filter::new(&[], "a", "s3://b/", false, "/w")
            .unwrap()
            .includes("anything"));
    }
}
