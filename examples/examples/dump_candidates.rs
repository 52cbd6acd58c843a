//! Dump both engines' rankings of every request of a JSONL file (one JSON
//! line per request: `{"query", "lex": [[doc, score]…], "den": [[doc, score]…],
//! "named": doc|null,
//! "text": what the model embeds}`; `DUMP_PRIORS=FILE` also writes every command's prior), the input of the Python reranker experiments.
//!
//! ```text
//! cargo run --release -p aws-mcp-examples --example dump_candidates -- FILE.jsonl DEPTH > OUT.jsonl
//! ```
#![allow(clippy::print_stdout)]

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let file = args
        .next()
        .ok_or("usage: dump_candidates FILE.jsonl [DEPTH]")?;
    let depth: usize = args.next().map_or(Ok(100), |d| d.parse())?;
    let h = aws_mcp_core::retrieve::HybridRetriever::new(aws_mcp_core::Catalog::embedded())?;
    if let Ok(path) = std::env::var("DUMP_PRIORS") {
        std::fs::write(&path, serde_json::to_string(h.dense().priors())?)?;
    }
    for line in std::fs::read_to_string(&file)?.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line)?;
        let q = v["query"].as_str().unwrap_or_default();
        let (lex, den, named) = h.rankings(q, depth)?;
        let text = h.dense().model_text(q.trim());
        let out =
            serde_json::json!({"query": q, "text": text, "lex": lex, "den": den, "named": named});
        println!("{out}");
    }
    Ok(())
}
