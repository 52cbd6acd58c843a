//! Classify and decide AWS CLI commands under the policy the environment
//! configures (the same variables as the server).
//!
//! Reads one AWS CLI command per line on stdin and writes one JSON line per
//! command: the assessment (`access_level`, `read_only`, `iam_actions`,
//! `decision`, `rule`, `reason`, ...), or `error` and `kind` when the command
//! does not validate.
//!
//! ```sh
//! echo "aws s3 rb s3://b" | AWS_REGION=us-east-1 READ_OPERATIONS_ONLY=true \
//!   cargo run -p aws-mcp-examples --example decide
//! ```
use std::io::{BufRead, Write};

use aws_mcp_core::{Assessor, Catalog, PolicyConfig, Validator};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalog = Catalog::embedded();
    let assessor = Assessor::new(PolicyConfig::from_env(catalog, |k| std::env::var(k).ok())?);
    let validator = Validator::new(catalog);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let mut v = match validator.validate(&line) {
            Ok(cmd) => serde_json::to_value(assessor.assess(&cmd))?,
            Err(e) => serde_json::json!({"error": e.to_string(), "kind": e.kind()}),
        };
        if let Some(o) = v.as_object_mut() {
            o.insert("command".into(), line.clone().into());
        }
        writeln!(out, "{v}")?;
    }
    Ok(())
}
