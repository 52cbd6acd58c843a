//! awscli's `customizations/cloudfront.py` arguments of generated
//! commands: `create-invalidation --paths` and `create-distribution
//! --origin-domain-name` / `--default-root-object`.
//!
//! ## Design
//!
//! These commands are generated operations with arguments awscli adds
//! (`CustomArgument.add_to_params`): the arguments become the operation's
//! parameters at execution, with a caller reference of awscli's
//! `unique_string` (`cli-<epoch seconds>-<random 1..=1000000>`, a fresh one
//! for every call). The translation is pure ([`invalidation_batch`],
//! [`distribution_config`]: the time and random number are inputs); [`run`]
//! adds the result to the parameters the validator built from the other
//! arguments and sends `CreateInvalidation` / `CreateDistribution` through
//! [`super::call`] (the same generated command without the added
//! arguments, so the executor's own path sends it), then prints the
//! response as the generated command prints it ([`super::print`], titled
//! with the operation's name).
//!
//! ## Left to the `aws` program
//!
//! awscli's mutual-exclusion error (`--paths` with `--invalidation-batch`,
//! `--origin-domain-name`/`--default-root-object` with
//! `--distribution-config`), `--cli-input-json` or `--generate-cli-skeleton`
//! alongside the added arguments, and local-file values (`file://`),
//! which the executor's parameter files would read after this translation
//! in a different order than awscli.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_mcp_core::catalog::CommandKind;
use aws_mcp_core::{ExecOptions, ValidatedCommand};
use serde_json::{json, Map, Value};

use super::credentials::{arg, loaded_value, value};
use super::{call, print};
use crate::s3::Printed;
use crate::{NativeError, NativeExecutor};

/// The arguments awscli adds to each generated command handled here.
fn added(operation: &str) -> &'static [&'static str] {
    match operation {
        "create-invalidation" => &["paths"],
        "create-distribution" => &["origin-domain-name", "default-root-object"],
        _ => &[],
    }
}

/// The generated argument an added one excludes.
fn exclusive_to(operation: &str) -> &'static str {
    match operation {
        "create-invalidation" => "invalidation-batch",
        _ => "distribution-config",
    }
}

/// Whether `command` uses an argument awscli adds to this generated
/// command (only such uses are this module's).
pub(crate) fn customized(command: &ValidatedCommand) -> bool {
    command.kind() == CommandKind::Operation
        && added(command.operation())
            .iter()
            .any(|a| arg(command, a).is_some())
}

/// Whether this module reproduces `command`, or why not.
pub(crate) fn support(command: &ValidatedCommand) -> Result<(), String> {
    if !customized(command) {
        return Err("no argument of awscli's cloudfront customization is given".into());
    }
    let other = exclusive_to(command.operation());
    if arg(command, other).is_some() {
        return Err(format!(
            "--{other} with {}: awscli's mutual-exclusion error is left to the AWS CLI",
            added(command.operation())
                .iter()
                .map(|a| format!("--{a}"))
                .collect::<Vec<_>>()
                .join("/")
        ));
    }
    for a in ["cli-input-json", "cli-input-yaml", "generate-cli-skeleton"] {
        if arg(command, a).is_some() {
            return Err(format!(
                "--{a} with awscli's cloudfront arguments is left to the AWS CLI"
            ));
        }
    }
    if let Some(p) = command.local_paths().first() {
        return Err(format!(
            "--{} reads the local file {:?}; left to the AWS CLI with awscli's cloudfront arguments",
            p.arg, p.path
        ));
    }
    loaded_value(command)
}

/// awscli's `unique_string(prefix)`: `<prefix>-<epoch seconds>-<n>`.
pub(crate) fn unique_string(prefix: &str, epoch: u64, n: u32) -> String {
    format!("{prefix}-{epoch}-{n}")
}

/// The current time and a random number in `1..=1_000_000`, as
/// `unique_string` draws them.
fn draw() -> (u64, u32) {
    let epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let n = (uuid::Uuid::new_v4().as_u128() % 1_000_000) as u32 + 1;
    (epoch, n)
}

/// `PathsArgument.add_to_params`: the `InvalidationBatch` of `paths`.
pub(crate) fn invalidation_batch(paths: &[String], caller_reference: String) -> Value {
    json!({
        "CallerReference": caller_reference,
        "Paths": {"Quantity": paths.len(), "Items": paths},
    })
}

/// `OriginDomainName` and `CreateDefaultRootObject.add_to_params`: the
/// `DistributionConfig` awscli builds from its template.
/// `unique` makes a caller reference or origin id from a prefix.
pub(crate) fn distribution_config(
    origin_domain_name: Option<&str>,
    default_root_object: Option<&str>,
    mut unique: impl FnMut(&str) -> String,
) -> Value {
    let mut config = json!({
        "CallerReference": unique("cli"),
        "Origins": {"Quantity": 0, "Items": []},
        "DefaultCacheBehavior": {
            "TargetOriginId": "placeholder",
            "ForwardedValues": {
                "QueryString": false,
                "Cookies": {"Forward": "none"},
            },
            "TrustedSigners": {"Enabled": false, "Quantity": 0},
            "ViewerProtocolPolicy": "allow-all",
            "MinTTL": 0,
        },
        "Enabled": true,
        "Comment": "",
    });
    if let Some(domain) = origin_domain_name {
        let origin_id = unique(domain);
        let mut item = json!({"Id": origin_id, "DomainName": domain, "OriginPath": ""});
        // Only `.s3.amazonaws.com` is an S3 origin (GovCloud buckets are
        // custom origins to CloudFront).
        if domain.ends_with(".s3.amazonaws.com") {
            item["S3OriginConfig"] = json!({"OriginAccessIdentity": ""});
        } else {
            item["CustomOriginConfig"] =
                json!({"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"});
        }
        config["Origins"] = json!({"Quantity": 1, "Items": [item]});
        config["DefaultCacheBehavior"]["TargetOriginId"] = json!(origin_id);
    }
    if let Some(object) = default_root_object {
        config["DefaultRootObject"] = json!(object);
    }
    config
}

/// The operation's parameters: the validator's, with the added
/// arguments' translation.
fn parameters(
    command: &ValidatedCommand,
    mut unique: impl FnMut(&str) -> String,
) -> Map<String, Value> {
    let mut params = command.parameters().clone();
    match command.operation() {
        "create-invalidation" => {
            if let Some(paths) = arg(command, "paths") {
                params.insert(
                    "InvalidationBatch".into(),
                    invalidation_batch(paths, unique("cli")),
                );
            }
        }
        _ => {
            params.insert(
                "DistributionConfig".into(),
                distribution_config(
                    value(command, "origin-domain-name"),
                    value(command, "default-root-object"),
                    unique,
                ),
            );
        }
    }
    params
}

/// Run a command [`support`] accepted.
pub(crate) async fn run(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<Printed, NativeError> {
    support(command).map_err(NativeError::Unsupported)?;
    let params = parameters(command, |prefix| {
        let (epoch, n) = draw();
        unique_string(prefix, epoch, n)
    });
    let title = command
        .api()
        .map(|a| a.operation.clone())
        .unwrap_or_default();
    match call(
        ex,
        command,
        "cloudfront",
        command.operation(),
        &params,
        options,
    )
    .await?
    {
        Ok(r) => print(ex, command, &r, &title),
        Err(p) => Ok(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::custom::validated as cmd;

    fn fixed(prefix: &str) -> String {
        unique_string(prefix, 1_700_000_000, 42)
    }

    #[test]
    fn paths_become_the_invalidation_batch() {
        let c = cmd("aws cloudfront create-invalidation --distribution-id E1 --paths /a /b*");
        assert_eq!(support(&c), Ok(()));
        let p = parameters(&c, fixed);
        assert_eq!(
            Value::Object(p),
            json!({
                "DistributionId": "E1",
                "InvalidationBatch": {
                    "CallerReference": "cli-1700000000-42",
                    "Paths": {"Quantity": 2, "Items": ["/a", "/b*"]},
                },
            })
        );
    }

    #[test]
    fn origin_and_root_object_build_the_template() {
        let c = cmd("aws cloudfront create-distribution --origin-domain-name b.s3.amazonaws.com --default-root-object index.html");
        assert_eq!(support(&c), Ok(()));
        let p = parameters(&c, fixed);
        let d = &p["DistributionConfig"];
        assert_eq!(d["CallerReference"], "cli-1700000000-42");
        assert_eq!(d["DefaultRootObject"], "index.html");
        assert_eq!(
            d["Origins"],
            json!({"Quantity": 1, "Items": [{
                "Id": "b.s3.amazonaws.com-1700000000-42",
                "DomainName": "b.s3.amazonaws.com",
                "OriginPath": "",
                "S3OriginConfig": {"OriginAccessIdentity": ""},
            }]})
        );
        assert_eq!(
            d["DefaultCacheBehavior"]["TargetOriginId"],
            "b.s3.amazonaws.com-1700000000-42"
        );
        assert_eq!(d["Enabled"], true);
        assert_eq!(d["Comment"], "");
        // A custom origin, and the root object alone (the placeholder
        // origin of the template).
        let c = cmd("aws cloudfront create-distribution --origin-domain-name example.com");
        let d = &parameters(&c, fixed)["DistributionConfig"];
        assert_eq!(
            d["Origins"]["Items"][0]["CustomOriginConfig"],
            json!({"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"})
        );
        assert!(d.get("DefaultRootObject").is_none());
        let c = cmd("aws cloudfront create-distribution --default-root-object i.html");
        let d = &parameters(&c, fixed)["DistributionConfig"];
        assert_eq!(d["Origins"], json!({"Quantity": 0, "Items": []}));
        assert_eq!(d["DefaultCacheBehavior"]["TargetOriginId"], "placeholder");
    }

    #[test]
    fn exclusive_and_file_uses_are_left_to_the_cli() {
        for line in [
            "aws cloudfront create-invalidation --distribution-id E1 --paths /a --invalidation-batch Paths={Quantity=1,Items=[/a]},CallerReference=x",
            "aws cloudfront create-distribution --origin-domain-name x.com --distribution-config file://c.json",
            "aws cloudfront create-invalidation --distribution-id E1 --paths file://p.txt",
        ] {
            assert!(support(&cmd(line)).is_err(), "{line}");
        }
        let plain = cmd("aws cloudfront create-invalidation --distribution-id E1 --invalidation-batch Paths={Quantity=1,Items=[/a]},CallerReference=x");
        assert!(!customized(&plain));
    }

    #[test]
    fn unique_strings_are_awscli_s() {
        let (epoch, n) = draw();
        assert!(epoch > 1_600_000_000 && (1..=1_000_000).contains(&n));
        assert_eq!(unique_string("cli", 5, 7), "cli-5-7");
    }
}
