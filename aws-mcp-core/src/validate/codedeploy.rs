//! awscli's CodeDeploy revision arguments, translated into API parameters.
//!
//! `deploy create-deployment`, `register-application-revision` and
//! `get-application-revision` take `--s3-location bucket=..,key=..,
//! bundleType=..[,eTag=..][,version=..]` and `--github-location
//! repository=..,commitId=..` in place of the API's `revision` structure
//! (awscli's `customizations/codedeploy/locationargs.py`): the value,
//! unpacked like any shorthand or JSON value (the validator already did),
//! becomes `revision` with its `revisionType`, and a location without its
//! required keys is the CLI's error. The value is JSON when it starts with
//! `{` and shorthand otherwise (awscli's `unpack_cli_arg` for a structure);
//! its members' types are then checked against the model's `revision`.

use serde_json::{json, Map, Value};

use super::args::Given;
use super::error::ValidationError;

/// The commands whose revision awscli builds from a location argument.
const COMMANDS: &[&str] = &[
    "create-deployment",
    "register-application-revision",
    "get-application-revision",
];

/// Whether `arg` of `command` (of the API service `api_service`) is one of
/// the location arguments translated here.
pub(crate) fn translates(api_service: Option<&str>, command: &str, arg: &str) -> bool {
    api_service == Some("codedeploy")
        && COMMANDS.contains(&command)
        && matches!(arg, "s3-location" | "github-location")
}

/// A location's value: JSON when it starts with `{`, else shorthand.
fn unpack(arg: &str, text: &str) -> Result<Map<String, Value>, ValidationError> {
    let label = format!("--{arg}");
    if text.trim_start().starts_with('{') {
        return match serde_json::from_str(text) {
            Ok(Value::Object(o)) => Ok(o),
            Ok(_) => Err(ValidationError::InvalidJson {
                arg: label,
                detail: "expected a JSON object".into(),
            }),
            Err(e) => Err(ValidationError::InvalidJson {
                arg: label,
                detail: e.to_string(),
            }),
        };
    }
    match super::shorthand::parse(text) {
        Ok(p) => match p.value {
            Value::Object(o) => Ok(o),
            _ => Ok(Map::new()),
        },
        Err(detail) => Err(ValidationError::InvalidShorthand { arg: label, detail }),
    }
}

/// Put the revision a location argument describes into `params`.
pub(crate) fn apply(
    api_service: Option<&str>,
    command: &str,
    given: &[Given<'_>],
    params: &mut Map<String, Value>,
) -> Result<(), ValidationError> {
    if api_service != Some("codedeploy") || !COMMANDS.contains(&command) {
        return Ok(());
    }
    // awscli adds the arguments in this order; the last one given wins.
    for arg in ["s3-location", "github-location"] {
        let Some(g) = given.iter().rev().find(|g| &*g.arg.name == arg) else {
            continue;
        };
        let v = unpack(arg, g.values.first().map(String::as_str).unwrap_or(""))?;
        let present = |k: &str| {
            v.get(k)
                .is_some_and(|x| !matches!(x, Value::Null) && x.as_str() != Some(""))
        };
        let revision = if arg == "s3-location" {
            if !["bucket", "key", "bundleType"].iter().all(|k| present(k)) {
                return Err(ValidationError::ConflictingArguments {
                    detail: "--s3-location must specify bucket, key and bundleType.".into(),
                });
            }
            let mut loc = Map::new();
            for k in ["bucket", "key", "bundleType", "eTag", "version"] {
                if let Some(x) = v.get(k) {
                    loc.insert(k.into(), x.clone());
                }
            }
            json!({ "revisionType": "S3", "s3Location": loc })
        } else {
            if !["repository", "commitId"].iter().all(|k| present(k)) {
                return Err(ValidationError::ConflictingArguments {
                    detail: "--github-location must specify repository and commitId.".into(),
                });
            }
            json!({
                "revisionType": "GitHub",
                "gitHubLocation": { "repository": v["repository"], "commitId": v["commitId"] }
            })
        };
        params.insert("revision".into(), revision);
    }
    Ok(())
}
