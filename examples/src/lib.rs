//! Runnable examples of the `aws-mcp-core` API: `cargo run -p aws-mcp-examples --example <name>`.
