//! The security policy file: `denyList` and `elicitList` of command patterns.
//!
//! ```json
//! {"version": "1.0", "policy": {"denyList": ["aws iam delete-*"], "elicitList": ["aws s3 *"]}}
//! ```
//!
//! The lists may also sit at the top level (`{"denyList": [...]}`). Each
//! entry is either a command, `aws <service> [<command>]`, or an IAM action,
//! `<prefix>:<Action>`; `*` matches any run of characters (including spaces,
//! so `aws ec2 wait *` covers every waiter; `s3:Delete*` every S3 delete
//! action), and a pattern naming only a service covers all of its commands.
//!
//! An action pattern matches a command when it matches any IAM action the
//! command needs, as the classifier lists them: every API call a
//! customization makes (`s3 rb` needs `s3:DeleteBucket`, `s3 rm`
//! `s3:DeleteObject`), the action an operation authorizes as (`s3api
//! delete-objects` is `s3:DeleteObject`), and the statements of PartiQL
//! operations (`dynamodb execute-statement "DELETE ..."` needs
//! `dynamodb:PartiQLDelete`). So one entry covers every spelling of the same
//! thing. Actions compare without regard to case, as IAM does.
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

/// One normalized pattern: `aws <service> <command>` in lower case, or an
/// IAM action (`s3:DeleteBucket`, `s3:Delete*`) as written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pattern {
    /// The normalized text.
    pub text: String,
    /// An IAM action pattern rather than a command pattern.
    pub action: bool,
}

impl Pattern {
    /// Whether the pattern matches `aws <service> <operation>` (command
    /// patterns only).
    pub fn matches(&self, service: &str, operation: &str) -> bool {
        if self.action {
            return false;
        }
        let mut target = String::with_capacity(5 + service.len() + operation.len());
        target.push_str("aws ");
        target.push_str(service);
        if !operation.is_empty() {
            target.push(' ');
            target.push_str(operation);
        }
        glob(self.text.as_bytes(), target.to_ascii_lowercase().as_bytes())
    }

    /// Whether the pattern matches the IAM action `action` (action patterns
    /// only; case does not matter).
    pub fn matches_action(&self, action: &str) -> bool {
        self.action
            && glob(
                self.text.to_ascii_lowercase().as_bytes(),
                action.to_ascii_lowercase().as_bytes(),
            )
    }

    /// Whether the pattern matches the command, or one of the IAM actions it
    /// needs; `Some(None)` for a command match, `Some(Some(action))` for an
    /// action match.
    pub fn matches_command<'a>(
        &self,
        service: &str,
        operation: &str,
        actions: &'a [String],
    ) -> Option<Option<&'a str>> {
        if self.matches(service, operation) {
            return Some(None);
        }
        actions
            .iter()
            .find(|a| self.matches_action(a))
            .map(|a| Some(a.as_str()))
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

    /// The first deny pattern matching the command (command patterns only).
    pub fn denied(&self, service: &str, operation: &str) -> Option<&Pattern> {
        self.deny.iter().find(|p| p.matches(service, operation))
    }

    /// The first elicit pattern matching the command (command patterns only).
    pub fn elicited(&self, service: &str, operation: &str) -> Option<&Pattern> {
        self.elicit.iter().find(|p| p.matches(service, operation))
    }

    /// The first deny pattern matching the command or one of the IAM
    /// `actions` it needs, and the action it matched (see
    /// [`Pattern::matches_command`]).
    pub fn denied_with<'a>(
        &self,
        service: &str,
        operation: &str,
        actions: &'a [String],
    ) -> Option<(&Pattern, Option<&'a str>)> {
        first_match(&self.deny, service, operation, actions)
    }

    /// The first elicit pattern matching the command or one of its actions.
    pub fn elicited_with<'a>(
        &self,
        service: &str,
        operation: &str,
        actions: &'a [String],
    ) -> Option<(&Pattern, Option<&'a str>)> {
        first_match(&self.elicit, service, operation, actions)
    }
}

fn first_match<'p, 'a>(
    list: &'p [Pattern],
    service: &str,
    operation: &str,
    actions: &'a [String],
) -> Option<(&'p Pattern, Option<&'a str>)> {
    list.iter()
        .find_map(|p| Some((p, p.matches_command(service, operation, actions)?)))
}

/// Every IAM action the access table names, in lower case (for checking
/// action patterns).
fn known_actions() -> &'static std::collections::HashSet<String> {
    static KNOWN: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    KNOWN.get_or_init(|| {
        crate::classify::AccessTable::embedded()
            .entries()
            .flat_map(|(_, _, e)| e.actions.iter().map(|a| a.to_ascii_lowercase()))
            .collect()
    })
}

/// An IAM action pattern: `prefix:Action`, with `*`/`?`-free prefix of
/// letters, digits and `-`, and an action of letters, digits and `*`. It
/// must match at least one action the access table knows (a typo would
/// otherwise silently deny nothing).
fn action_pattern(entry: &str) -> Option<Result<Pattern, String>> {
    let (prefix, action) = entry.split_once(':')?;
    let prefix_ok = !prefix.is_empty()
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    let action_ok = !action.is_empty()
        && action
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?');
    if !prefix_ok || !action_ok {
        return None;
    }
    let pattern = Pattern {
        text: format!("{prefix}:{action}"),
        action: true,
    };
    let known = known_actions();
    let lower_prefix = format!("{}:", prefix.to_ascii_lowercase());
    if !known.iter().any(|a| a.starts_with(&lower_prefix)) {
        return Some(Err(format!(
            "there is no IAM service prefix `{prefix}` among the actions AWS CLI commands need"
        )));
    }
    if !known.iter().any(|a| pattern.matches_action(a)) {
        return Some(Err(format!(
            "no action that an AWS CLI command needs matches `{entry}` (a typo?); use names such as `s3:DeleteBucket` or `s3:Delete*`"
        )));
    }
    Some(Ok(pattern))
}

fn normalize(catalog: &Catalog, entry: &str) -> Result<Pattern, String> {
    let words: Vec<&str> = entry.split_whitespace().collect();
    match words.first() {
        Some(w) if w.eq_ignore_ascii_case("aws") => {}
        Some(w) if words.len() == 1 => {
            if let Some(p) = action_pattern(w) {
                return p;
            }
            return Err("an entry is a command starting with `aws`, as in `aws iam delete-user`, or an IAM action, as in `s3:DeleteBucket` or `s3:Delete*`".into());
        }
        _ => return Err("an entry is a command starting with `aws`, as in `aws iam delete-user`, or an IAM action, as in `s3:DeleteBucket` or `s3:Delete*`".into()),
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
    Ok(Pattern {
        text,
        action: false,
    })
}

/// Glob match where `*` matches any run of bytes and `?` any one byte (the
/// classic two-pointer algorithm with one backtrack point: linear in
/// practice, no recursion).
fn glob(pat: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pat.len() && pat[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pat.len() && (pat[p] == text[t] || pat[p] == b'?') {
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
    fn iam_action_patterns() {
        let r = rules(r#"{"denyList":["s3:DeleteBucket","s3:Delete*Tagging","aws s3 mb"],"elicitList":["IAM:create?ser"]}"#)
            .unwrap();
        assert!(r.deny[0].action && r.deny[1].action && !r.deny[2].action);
        let acts = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let rb = acts(&["s3:DeleteBucket", "s3:ListBucket"]);
        let hit = r.denied_with("s3", "rb", &rb);
        assert_eq!(
            hit.map(|(p, a)| (p.text.as_str(), a)),
            Some(("s3:DeleteBucket", Some("s3:DeleteBucket")))
        );
        assert!(r
            .denied_with("s3", "rm", &acts(&["s3:DeleteObject"]))
            .is_none());
        assert!(r
            .denied_with(
                "s3api",
                "delete-object-tagging",
                &acts(&["s3:DeleteObjectTagging"])
            )
            .is_some());
        // Case does not matter, as in IAM; `?` is one character.
        assert!(r
            .denied_with("x", "y", &acts(&["S3:deletebucket"]))
            .is_some());
        assert!(r
            .elicited_with("iam", "create-user", &acts(&["iam:CreateUser"]))
            .is_some());
        assert!(r
            .elicited_with("iam", "create-group", &acts(&["iam:CreateGroup"]))
            .is_none());
        // Command patterns still match commands, not actions.
        assert_eq!(
            r.denied_with("s3", "mb", &acts(&["s3:CreateBucket"]))
                .map(|(_, a)| a),
            Some(None)
        );
        assert!(
            r.denied("s3", "rb").is_none(),
            "denied() keeps to command patterns"
        );
        for (bad, needle) in [
            (
                r#"{"denyList":["s4:DeleteBucket"]}"#,
                "no IAM service prefix",
            ),
            (r#"{"denyList":["s3:DeleteBuckett"]}"#, "a typo"),
            (r#"{"denyList":["s3:Delete Bucket"]}"#, "IAM action"),
            (r#"{"denyList":["s3:"]}"#, "IAM action"),
        ] {
            let e = rules(bad).unwrap_err();
            assert!(e.to_string().contains(needle), "{bad}: {e}");
        }
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
            (r#"{"denyList":["iam delete-user"]}"#, "starting with `aws`"),
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
