//! The AWS CLI's global options (`--region`, `--output`, `--query`, ...).
//!
//! awscli's main parser takes them wherever they stand — before the service,
//! between the service and the operation, or among the operation's
//! arguments — and it reads any unique prefix of a global option as that
//! option, even where the operation has an argument of that name. So a word
//! that abbreviates a global option is rejected here with the full name
//! suggested: accepting it would either run a different option than the one
//! a reader sees, or disagree with the real CLI.

use super::args::looks_like_option;
use super::error::ValidationError;
use super::suggest::closest;
use crate::catalog::{ArgType, Catalog, Dialect};
use crate::command::{GlobalOptions, LocalPath, PathAccess, PathOrigin};

/// The result of the global pass.
pub(crate) struct Globals<'w> {
    pub options: GlobalOptions,
    /// Every other word, in order.
    pub rest: Vec<&'w str>,
    /// The global options as normalized words, for `argv`.
    pub argv: Vec<String>,
    /// Local files named by global options (`--ca-bundle`).
    pub paths: Vec<LocalPath>,
}

fn is_flag(catalog: &Catalog, dialect: Dialect, name: &str) -> bool {
    name == "version"
        || catalog
            .global_arg_in(name, dialect)
            .is_some_and(|a| a.arg_type == ArgType::Boolean)
}

/// Take the global options of `dialect` out of `words` (everything after `aws`).
pub(crate) fn extract<'w>(
    catalog: &Catalog,
    dialect: Dialect,
    words: &'w [String],
) -> Result<Globals<'w>, ValidationError> {
    let mut g = Globals {
        options: GlobalOptions::default(),
        rest: Vec::with_capacity(words.len()),
        argv: Vec::new(),
        paths: Vec::new(),
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        i += 1;
        if !(w.starts_with("--") && looks_like_option(w)) {
            g.rest.push(w);
            continue;
        }
        let (name, inline) = match w.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (w.as_str(), None),
        };
        let bare = &name[2..];
        let Some(arg) = catalog.global_arg_in(bare, dialect) else {
            let prefixed: Vec<String> = catalog
                .global_args_in(dialect)
                .filter(|a| !bare.is_empty() && a.name.starts_with(bare))
                .map(|a| format!("--{}", a.name))
                .collect();
            if !prefixed.is_empty() {
                return Err(ValidationError::AbbreviatedArgument {
                    name: name.to_string(),
                    suggestions: prefixed,
                });
            }
            g.rest.push(w);
            continue;
        };
        let arg_name: &str = &arg.name;
        if seen.contains(&arg_name) {
            return Err(ValidationError::DuplicateArgument {
                arg: name.to_string(),
            });
        }
        seen.push(arg_name);
        let value = if is_flag(catalog, dialect, bare) {
            if inline.is_some() {
                return Err(ValidationError::UnexpectedValue {
                    arg: name.to_string(),
                });
            }
            None
        } else if let Some(v) = inline {
            Some(v.to_string())
        } else {
            match words.get(i) {
                Some(v) if !looks_like_option(v) => {
                    i += 1;
                    Some(v.clone())
                }
                _ => {
                    return Err(ValidationError::MissingValue {
                        arg: name.to_string(),
                        expected: format!("a {}", arg.arg_type.as_str()),
                    })
                }
            }
        };
        if !arg.choices.is_empty() {
            if let Some(v) = &value {
                if !arg.choices.iter().any(|c| **c == **v) {
                    return Err(ValidationError::InvalidChoice {
                        arg: name.to_string(),
                        value: super::shorten(v),
                        allowed: arg.choices.iter().map(|c| c.to_string()).collect(),
                    });
                }
            }
        }
        super::push_option(&mut g.argv, name, value.as_deref());
        set(catalog, &mut g, bare, value)?;
    }
    Ok(g)
}

fn timeout(name: &str, v: &str) -> Result<i64, ValidationError> {
    v.trim().parse().map_err(|_| ValidationError::InvalidType {
        arg: format!("--{name}"),
        expected: "an integer number of seconds".into(),
        value: super::shorten(v),
    })
}

fn set(
    catalog: &Catalog,
    g: &mut Globals<'_>,
    name: &str,
    value: Option<String>,
) -> Result<(), ValidationError> {
    let o = &mut g.options;
    match (name, value) {
        // `--region '*'`: every region enabled for the account.
        ("region", Some(r)) if r == "*" => o.regions = Some(crate::command::RegionSet::All),
        // `--region a,b,c`: those regions.
        ("region", Some(r)) if r.contains(',') => {
            let mut list: Vec<String> = Vec::new();
            for one in r.split(',').map(str::trim) {
                if one.is_empty() {
                    return Err(ValidationError::InvalidRegion {
                        suggestions: Vec::new(),
                        region: super::shorten(&r),
                    });
                }
                if catalog.partition_of(one).is_none() {
                    let all = catalog
                        .partitions()
                        .iter()
                        .flat_map(|p| p.regions.iter().map(String::as_str));
                    return Err(ValidationError::InvalidRegion {
                        suggestions: closest(one, all),
                        region: super::shorten(one),
                    });
                }
                if !list.iter().any(|x| x == one) {
                    list.push(one.to_string());
                }
            }
            o.regions = Some(crate::command::RegionSet::List(list));
        }
        ("region", Some(r)) => {
            if catalog.partition_of(&r).is_none() {
                let all = catalog
                    .partitions()
                    .iter()
                    .flat_map(|p| p.regions.iter().map(String::as_str));
                return Err(ValidationError::InvalidRegion {
                    suggestions: closest(&r, all),
                    region: super::shorten(&r),
                });
            }
            o.region = Some(r);
        }
        ("output", v) => o.output = v,
        ("query", Some(q)) => {
            crate::query::parse(&q).map_err(|e| match e {
                crate::query::QueryError::TooDeep { .. } => ValidationError::QueryTooDeep {
                    detail: e.to_string(),
                },
                _ => ValidationError::InvalidQuery {
                    detail: e.to_string(),
                },
            })?;
            o.query = Some(q);
        }
        ("profile", v) => o.profile = v,
        ("endpoint-url", Some(u)) => {
            let lower = u.to_ascii_lowercase();
            if !(lower.starts_with("http://") || lower.starts_with("https://")) {
                return Err(ValidationError::InvalidType {
                    arg: "--endpoint-url".into(),
                    expected: "an http:// or https:// URL".into(),
                    value: super::shorten(&u),
                });
            }
            o.endpoint_url = Some(u);
        }
        ("ca-bundle", Some(p)) => {
            g.paths.push(LocalPath {
                path: p.clone(),
                access: PathAccess::Read,
                arg: "ca-bundle".into(),
                origin: PathOrigin::OptionPath,
            });
            o.ca_bundle = Some(p);
        }
        ("color", v) => o.color = v,
        ("cli-read-timeout", Some(v)) => o.cli_read_timeout = Some(timeout(name, &v)?),
        ("cli-connect-timeout", Some(v)) => o.cli_connect_timeout = Some(timeout(name, &v)?),
        ("debug", _) => o.debug = true,
        ("no-paginate", _) => o.no_paginate = true,
        ("no-verify-ssl", _) => o.no_verify_ssl = true,
        ("no-sign-request", _) => o.no_sign_request = true,
        ("version", _) => o.version = true,
        ("v2-debug", _) => o.v2_debug = true,
        ("cli-binary-format", v) => o.cli_binary_format = v,
        ("cli-error-format", v) => o.cli_error_format = v,
        ("no-cli-pager", _) => o.no_cli_pager = true,
        ("no-cli-auto-prompt", _) => o.no_cli_auto_prompt = true,
        ("cli-auto-prompt", _) => {
            return Err(ValidationError::Interactive {
                what: "`--cli-auto-prompt`".into(),
                instead: "write the complete command with every argument; use suggest_aws_commands to find them".into(),
            })
        }
        _ => {}
    }
    Ok(())
}
