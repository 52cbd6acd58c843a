//! Classify and decide validated commands under the policy the environment
//! configures (the same variables as the server).
//!
//! Reads one `ValidatedCommand` JSON document per line on stdin and writes
//! one JSON line per command: `access_level`, `read_only`, `iam_actions`,
//! `decision`, `reason`.
//!
//! ```sh
//! AWS_REGION=us-east-1 cargo run -p aws-mcp-examples --example decide < commands.jsonl
//! ```
use std::io::{BufRead, Write};

use aws_mcp_core::{AccessTable, Catalog, Classifier, Policy, PolicyConfig, ValidatedCommand};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalog = Catalog::embedded();
    let policy = Policy::new(PolicyConfig::from_env(catalog, |k| std::env::var(k).ok())?);
    let table = AccessTable::embedded();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let cmd: ValidatedCommand = serde_json::from_str(&line)?;
        let class = table.classify(&cmd);
        let decision = policy.decide(&cmd, &class);
        let v = serde_json::json!({
            "command": cmd.argv.join(" "),
            "access_level": class.access_level,
            "read_only": class.read_only,
            "iam_actions": class.iam_actions,
            "decision": decision.as_str(),
            "reason": decision.reason(),
        });
        writeln!(out, "{v}")?;
    }
    Ok(())
}
