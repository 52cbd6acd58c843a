//! The security policy file: `denyList` and `elicitList` of command patterns.
//!
//! ```json
//! {"version": "1.0", "policy": {"denyList": ["aws iam delete-*"], "elicitList": ["aws s3 *"]}}
//! ```
//!
//! The lists may also sit at the top level (`{"denyList": [...]}`). Each
//! entry is `aws <service> [<command>]`; `*` matches any run of characters
//! (including spaces, so `aws ec2 wait *` covers every waiter), and a pattern
//! naming only a service covers all of its commands.
//!
//! Names are normalized: whitespace collapsed, lower case, and an operation
//! written as its API name (`aws s3api ListBuckets`) is mapped to its CLI
//! name (`list-buckets`). A pattern without `*` must name a command that
//! exists, and a service without `*` must exist: a typo would otherwise
//! silently deny or ask nothing. Unknown keys are errors for the same
//! reason (`denylist` is not `denyList`). A malformed file is an error when
//! the policy is loaded, never ignored.

use serde::Deserialize;

use super::config::PolicyError;
use crate::catalog::Catalog;

/// One normalized pattern, `aws <service> <command>` in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pattern {
    /// The normalized text.
    pub text: String,
}

impl Pattern {
    /// Whether the pattern matches `aws <service> <operation>`.
    pub fn matches(&self, service: &str, operation: &str) -> bool {
        let mut target = String::with_capacity(5 + service.len() + operation.len());
        target.push_str("aws ");
        target.push_str(service);
        if !operation.is_empty() {
            target.push(' ');
            target.push_str(operation);
        }
        glob(self.text.as_bytes(), target.to_ascii_lowercase().as_bytes())
    }
}

/// The deny and elicit lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PolicyRules {
    /// Commands that are always denied.
    pub deny: Vec<Pattern>,
    /// Commands that need the user's consent.
    pub elicit: Vec<Pattern>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Lists {
    #[serde(default)]
    deny_list: Vec<String>,
    #[serde(default)]
    elicit_list: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct File {
    #[serde(default)]
    version: Option<serde_json::Value>,
    #[serde(default)]
    policy: Option<Lists>,
    #[serde(default)]
    deny_list: Option<Vec<String>>,
    #[serde(default)]
    elicit_list: Option<Vec<String>>,
}

impl PolicyRules {
    /// Parse a policy file's bytes; `path` names it in errors.
    pub fn parse(catalog: &Catalog, bytes: &[u8], path: &str) -> Result<PolicyRules, PolicyError> {
        let file: File = serde_json::from_slice(bytes).map_err(|e| PolicyError::PolicyFile {
            path: path.into(),
            message: e.to_string(),
        })?;
        let _ = file.version;
        let (deny, elicit) = match file.policy {
            Some(l) => {
                if file.deny_list.is_some() || file.elicit_list.is_some() {
                    return Err(PolicyError::PolicyFile {
                        path: path.into(),
                        message: "lists both inside \"policy\" and at the top level".into(),
                    });
                }
                (l.deny_list, l.elicit_list)
            }
            None => (
                file.deny_list.unwrap_or_default(),
                file.elicit_list.unwrap_or_default(),
            ),
        };
        let conv = |list: &str, entries: Vec<String>| -> Result<Vec<Pattern>, PolicyError> {
            entries
                .into_iter()
                .map(|e| {
                    normalize(catalog, &e).map_err(|message| PolicyError::PolicyRule {
                        path: path.into(),
                        list: list.into(),
                        entry: e.clone(),
                        message,
                    })
                })
                .collect()
        };
        Ok(PolicyRules {
            deny: conv("denyList", deny)?,
            elicit: conv("elicitList", elicit)?,
        })
    }

    /// The first deny pattern matching the command.
    pub fn denied(&self, service: &str, operation: &str) -> Option<&Pattern> {
        self.deny.iter().find(|p| p.matches(service, operation))
    }

    /// The first elicit pattern matching the command.
    pub fn elicited(&self, service: &str, operation: &str) -> Option<&Pattern> {
        self.elicit.iter().find(|p| p.matches(service, operation))
    }
}

fn normalize(catalog: &Catalog, entry: &str) -> Result<Pattern, String> {
    let words: Vec<&str> = entry.split_whitespace().collect();
    match words.first() {
        Some(w) if w.eq_ignore_ascii_case("aws") => {}
        _ => return Err("an entry must start with `aws`, as in `aws iam delete-user`".into()),
    }
    let Some(service) = words.get(1) else {
        return Err(
            "an entry must name a service, as in `aws iam delete-user` or `aws iam *`".into(),
        );
    };
    let service = service.to_ascii_lowercase();
    let svc = if service.contains('*') {
        None
    } else {
        Some(
            catalog
                .service(&service)
                .ok_or_else(|| format!("there is no service `{service}` in the AWS CLI"))?,
        )
    };
    let mut rest: Vec<String> = words[2..].iter().map(|w| w.to_string()).collect();
    // An API operation name (ListBuckets) becomes its CLI name (list-buckets).
    if let (Some(s), [one]) = (svc, rest.as_mut_slice()) {
        if !one.contains('*') && one.chars().any(|c| c.is_ascii_uppercase()) {
            if let Some(c) = s.commands().find(|c| {
                c.api_operation()
                    .is_some_and(|a| a.eq_ignore_ascii_case(one))
                    && !c.name().starts_with("wait ")
            }) {
                *one = c.name().to_string();
            }
        }
    }
    let op = rest.join(" ").to_ascii_lowercase();
    let text = if op.is_empty() {
        if service == "configure" {
            // `aws configure` is itself a command; the service covers its subcommands too.
            "aws configure*".to_string()
        } else {
            format!("aws {service} *")
        }
    } else {
        format!("aws {service} {op}")
    };
    if let Some(s) = svc {
        if !op.is_empty() && !op.contains('*') && s.command(&op).is_none() {
            return Err(format!(
                "there is no command `aws {service} {op}` in the AWS CLI"
            ));
        }
    }
    Ok(Pattern { text })
}

/// Glob match where `*` matches any run of bytes (the classic two-pointer
/// algorithm with one backtrack point: linear in practice, no recursion).
fn glob(pat: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pat.len() && pat[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pat.len() && pat[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while p < pat.len() && pat[p] == b'*' {
        p += 1;
    }
    p == pat.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat() -> &'static Catalog {
        Catalog::embedded()
    }

    fn rules(json: &str) -> Result<PolicyRules, PolicyError> {
        PolicyRules::parse(cat(), json.as_bytes(), "test.json")
    }

    #[test]
    fn glob_matches() {
        assert!(glob(b"aws s3 *", b"aws s3 cp"));
        assert!(glob(b"aws * delete-*", b"aws iam delete-user"));
        assert!(glob(b"aws ec2 wait *", b"aws ec2 wait instance-running"));
        assert!(!glob(b"aws s3 *", b"aws s3api list-buckets"));
        assert!(glob(b"aws s3*", b"aws s3api list-buckets"));
        assert!(!glob(b"aws iam delete-user", b"aws iam delete-user-policy"));
        assert!(glob(b"*", b""));
        assert!(glob(b"a*b*c", b"aXbYbc"));
        assert!(!glob(b"a*b*c", b"aXbYb"));
    }

    #[test]
    fn both_layouts_and_normalization() {
        let r = rules(r#"{"version":"1.0","policy":{"denyList":["aws  IAM   Delete-User"],"elicitList":["aws s3 *"]}}"#)
            .unwrap();
        assert!(r.denied("iam", "delete-user").is_some());
        assert!(r.denied("iam", "delete-user-policy").is_none());
        assert!(r.elicited("s3", "rm").is_some());
        assert!(r.elicited("s3api", "delete-object").is_none());
        let r = rules(r#"{"denyList":["aws s3api ListBuckets", "aws ec2"]}"#).unwrap();
        assert!(r.denied("s3api", "list-buckets").is_some());
        assert!(r.denied("ec2", "run-instances").is_some());
        assert!(r.denied("ec2", "wait instance-running").is_some());
        let r = rules(r#"{"denyList":["aws configure"]}"#).unwrap();
        assert!(r.denied("configure", "").is_some());
        assert!(r.denied("configure", "get").is_some());
        let r = rules(r#"{}"#).unwrap();
        assert!(r.deny.is_empty() && r.elicit.is_empty());
    }

    #[test]
    fn malformed_files_are_errors() {
        for bad in [
            "not json",
            r#"{"denylist":["aws iam delete-user"]}"#,
            r#"{"denyList":"aws iam delete-user"}"#,
            r#"{"denyList":[1]}"#,
            r#"{"policy":{"denyList":[]},"denyList":[]}"#,
        ] {
            assert!(
                matches!(rules(bad), Err(PolicyError::PolicyFile { .. })),
                "{bad}"
            );
        }
        for (bad, needle) in [
            (r#"{"denyList":["iam delete-user"]}"#, "start with `aws`"),
            (r#"{"denyList":["aws"]}"#, "name a service"),
            (r#"{"denyList":["aws iam delete-usr"]}"#, "no command"),
            (r#"{"elicitList":["aws iamm *"]}"#, "no service"),
        ] {
            let e = rules(bad).unwrap_err();
            assert!(matches!(e, PolicyError::PolicyRule { .. }), "{bad}");
            assert!(e.to_string().contains(needle), "{e}");
        }
    }
}
