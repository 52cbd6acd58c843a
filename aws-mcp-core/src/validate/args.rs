//! Matching words to a command's arguments, as awscli's argparse parsers do.
//!
//! awscli parses in three passes: the main parser takes the global options
//! wherever they stand ([`super::globals`]), the service parser the operation
//! name, and the operation's parser the rest. This module is the last pass,
//! with argparse's rules: a word that starts with `-` is an option unless it
//! is a negative number, `-` alone, or contains a space; `--opt=value` gives
//! exactly one value; a list option takes every following word up to the
//! next option; words no option takes are positional arguments.
//!
//! Differences from argparse, on purpose: abbreviations are errors (with the
//! full names suggested), and an API member option given twice is an error
//! (argparse silently keeps the last one, so `--instance-ids a --instance-ids b`
//! would run with `b` alone). Options of customizations may repeat, since
//! several of them append (`s3 cp --exclude a --exclude b`).

use super::error::ValidationError;
use super::suggest::closest;
use crate::catalog::{Arg, ArgKind, ArgType, Args};

/// How many words an argument takes (argparse's `nargs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nargs {
    Flag,
    One,
    Optional,
    AtLeastOne,
    Any,
    Exactly(usize),
}

/// Whether an argument is positional (`outfile` of streaming operations is
/// one even though the catalog lists it among options: awscli adds it to
/// the parser without dashes).
pub(crate) fn is_positional(arg: &Arg) -> bool {
    arg.positional || (arg.kind == ArgKind::Custom && &*arg.name == "outfile")
}

pub(crate) fn nargs(arg: &Arg) -> Nargs {
    match arg.nargs.as_deref() {
        Some("?") => Nargs::Optional,
        Some("+") => Nargs::AtLeastOne,
        Some("*") => Nargs::Any,
        Some(n) => n.parse().map(Nargs::Exactly).unwrap_or(Nargs::One),
        None if is_positional(arg) => Nargs::One,
        None if arg.arg_type == ArgType::Boolean => Nargs::Flag,
        None if arg.arg_type == ArgType::List && arg.kind == ArgKind::Member => Nargs::Any,
        None => Nargs::One,
    }
}

/// Whether argparse would read a word as an option name: it starts with
/// `-`, is not `-` alone or a negative number, and its name (the part before
/// any `=`) has no space.
pub(crate) fn looks_like_option(t: &str) -> bool {
    let b = t.as_bytes();
    let name = t.split_once('=').map_or(t, |(n, _)| n);
    if b.len() < 2 || b[0] != b'-' || name.contains(' ') {
        return false;
    }
    // argparse's negative-number pattern: ^-\d+$|^-\d*\.\d+$
    let rest = &t[1..];
    let negative = rest.bytes().all(|c| c.is_ascii_digit())
        || rest.split_once('.').is_some_and(|(a, f)| {
            a.bytes().all(|c| c.is_ascii_digit())
                && !f.is_empty()
                && f.bytes().all(|c| c.is_ascii_digit())
        });
    !negative
}

/// One option as given.
pub(crate) struct Given<'a> {
    pub arg: &'a Arg,
    pub values: Vec<String>,
}

/// The operation's words, matched to its arguments.
pub(crate) struct Matched<'a> {
    pub given: Vec<Given<'a>>,
    pub positionals: Vec<(&'a Arg, Vec<String>)>,
}

fn non_ascii(token: &str) -> Option<ValidationError> {
    token
        .chars()
        .find(|c| !c.is_ascii())
        .map(|c| ValidationError::NonAsciiName {
            token: super::shorten(token),
            character: format!("'{c}' (U+{:04X})", c as u32),
        })
}

pub(crate) fn check_ascii(token: &str) -> Result<(), ValidationError> {
    match non_ascii(token) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Match `words` (everything after the operation name, globals removed).
pub(crate) fn match_args<'a>(
    args: Args<'a>,
    words: &[&str],
    command: &dyn Fn() -> String,
    special: &dyn Fn(&Arg) -> Option<Nargs>,
) -> Result<Matched<'a>, ValidationError> {
    let mut given: Vec<Given<'a>> = Vec::new();
    let mut loose: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        i += 1;
        if !looks_like_option(w) {
            // An en dash or other look-alike where an option should be.
            if w.starts_with(['\u{2013}', '\u{2014}', '\u{2012}', '\u{2212}']) {
                return Err(
                    non_ascii(w).unwrap_or(ValidationError::Parse(crate::parse::ParseError::Empty))
                );
            }
            loose.push(w.to_string());
            continue;
        }
        let (name, inline) = match w.split_once('=') {
            Some((n, v)) if w.starts_with("--") => (n, Some(v)),
            _ => (w, None),
        };
        let bare = name.strip_prefix("--").unwrap_or(name);
        let found = if name.starts_with("--") {
            args.iter().find(|a| !is_positional(a) && &*a.name == bare)
        } else {
            None
        };
        let Some(arg) = found else {
            check_ascii(name)?;
            let visible = || args.iter().filter(|a| !is_positional(a) && !a.hidden);
            let prefixed: Vec<String> = if name.starts_with("--") && bare.len() >= 2 {
                args.iter()
                    .filter(|a| !is_positional(a) && a.name.starts_with(bare))
                    .map(|a| format!("--{}", a.name))
                    .take(super::suggest::MAX_SUGGESTIONS)
                    .collect()
            } else {
                Vec::new()
            };
            if !prefixed.is_empty() {
                return Err(ValidationError::AbbreviatedArgument {
                    name: name.to_string(),
                    suggestions: prefixed,
                });
            }
            let names: Vec<String> = visible().map(|a| format!("--{}", a.name)).collect();
            return Err(ValidationError::UnknownArgument {
                command: command(),
                name: name.to_string(),
                suggestions: closest(name, names.iter().map(String::as_str)),
            });
        };
        let n = special(arg).unwrap_or_else(|| nargs(arg));
        let mut values = Vec::new();
        match (n, inline) {
            (Nargs::Flag, Some(_)) => {
                return Err(ValidationError::UnexpectedValue {
                    arg: format!("--{}", arg.name),
                })
            }
            (Nargs::Flag, None) => {}
            (_, Some(v)) => values.push(v.to_string()),
            (Nargs::One, None) | (Nargs::Exactly(_), None) => {
                let want = if let Nargs::Exactly(k) = n { k } else { 1 };
                for _ in 0..want {
                    match words.get(i) {
                        Some(v) if !looks_like_option(v) => {
                            values.push(v.to_string());
                            i += 1;
                        }
                        _ => {
                            return Err(ValidationError::MissingValue {
                                arg: format!("--{}", arg.name),
                                expected: expected_words(arg),
                            })
                        }
                    }
                }
            }
            (Nargs::Optional, None) => {
                if let Some(v) = words.get(i).filter(|v| !looks_like_option(v)) {
                    values.push(v.to_string());
                    i += 1;
                }
            }
            (Nargs::AtLeastOne | Nargs::Any, None) => {
                while let Some(v) = words.get(i).filter(|v| !looks_like_option(v)) {
                    values.push(v.to_string());
                    i += 1;
                }
                if values.is_empty() && n == Nargs::AtLeastOne {
                    return Err(ValidationError::MissingValue {
                        arg: format!("--{}", arg.name),
                        expected: expected_words(arg),
                    });
                }
            }
        }
        if arg.kind != ArgKind::Custom {
            let dest = arg.member.as_deref().unwrap_or(&arg.name);
            if given.iter().any(|g| {
                g.arg.kind != ArgKind::Custom
                    && g.arg.member.as_deref().unwrap_or(&g.arg.name) == dest
            }) {
                return Err(ValidationError::DuplicateArgument {
                    arg: format!("--{}", arg.name),
                });
            }
        }
        given.push(Given { arg, values });
    }
    let positionals = if loose.is_empty() && !args.iter().any(is_positional) {
        Vec::new()
    } else {
        assign_positionals(args, loose, &command())?
    };
    Ok(Matched { given, positionals })
}

fn min_of(n: Nargs) -> usize {
    match n {
        Nargs::One | Nargs::AtLeastOne => 1,
        Nargs::Exactly(k) => k,
        _ => 0,
    }
}

fn assign_positionals<'a>(
    args: Args<'a>,
    mut loose: Vec<String>,
    command: &str,
) -> Result<Vec<(&'a Arg, Vec<String>)>, ValidationError> {
    let pos: Vec<&Arg> = args.iter().filter(|a| is_positional(a)).collect();
    let mut out = Vec::new();
    let mut missing = Vec::new();
    let mut rest = std::mem::take(&mut loose)
        .into_iter()
        .collect::<std::collections::VecDeque<_>>();
    for (k, a) in pos.iter().enumerate() {
        let n = nargs(a);
        let later: usize = pos[k + 1..].iter().map(|p| min_of(nargs(p))).sum();
        let avail = rest.len().saturating_sub(later);
        let take = match n {
            Nargs::One | Nargs::Flag => 1.min(avail),
            Nargs::Exactly(m) => m.min(avail),
            Nargs::Optional => 1.min(avail),
            Nargs::AtLeastOne | Nargs::Any => avail,
        };
        if take < min_of(n) {
            missing.push(match n {
                Nargs::Exactly(m) if m > 1 => format!("<{}> ({m} values)", a.name),
                _ => format!("<{}>", a.name),
            });
        }
        let vals: Vec<String> = rest.drain(..take).collect();
        if !vals.is_empty() {
            out.push((*a, vals));
        }
    }
    if !missing.is_empty() {
        return Err(ValidationError::MissingRequired {
            command: command.to_string(),
            missing,
        });
    }
    if !rest.is_empty() {
        if rest.iter().any(|w| w == "help") {
            return Err(ValidationError::HelpRequested);
        }
        return Err(ValidationError::UnexpectedWords {
            command: command.to_string(),
            words: rest.into_iter().collect(),
        });
    }
    Ok(out)
}

fn expected_words(arg: &Arg) -> String {
    match arg.arg_type {
        ArgType::List => "one or more values".into(),
        ArgType::Structure => "a structure in shorthand or JSON".into(),
        ArgType::Map => "a map in shorthand or JSON".into(),
        t => format!("a {}", t.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_words_follow_argparse() {
        assert!(looks_like_option("--x"));
        assert!(looks_like_option("-x"));
        assert!(!looks_like_option("-"));
        assert!(!looks_like_option("-5"));
        assert!(!looks_like_option("-.5"));
        assert!(!looks_like_option("-1.5"));
        assert!(!looks_like_option("--a b"));
        assert!(looks_like_option("--a={\"b c\": 1}"));
        assert!(!looks_like_option("x"));
    }
}
