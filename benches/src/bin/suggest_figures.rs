//! `suggest-figures`: per engine, the load time, memory, first-answer and warm
//! latency figures of the suggestion engines in a fresh process, as JSON.
//!
//! `cargo run --release -p aws-mcp-benches --bin suggest-figures -- [default|lexical|dense|hybrid] [REQUESTS.jsonl]`
//! (`default`, the default: the engine the server picks, hybrid when the model
//! and ONNX Runtime are found). Run one engine per process to read its peak
//! RSS: "start + one suggest" is what the server pays. `first_answer_ms` is
//! from the start of the process to the first answer (catalog, engine, one
//! request); the warm p50/p99 are over the requests of REQUESTS.jsonl (default
//! `tools/eval/suggest_corpus.jsonl`), each answered once before timing.

use std::time::Instant;

use aws_mcp_benches::{live_heap_bytes, peak_rss_bytes, rss_bytes, CountingAlloc};
use aws_mcp_core::retrieve::{self, Engine};
use aws_mcp_core::Catalog;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn requests(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut out: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["query"].as_str().map(String::from))
        .collect();
    if out.is_empty() {
        out = [
            "list my ec2 instances in us-east-1",
            "delete the s3 bucket old-logs",
            "who am i",
            "How can I see which IAM user or role my CLI is using right now?",
        ]
        .map(String::from)
        .to_vec();
    }
    out
}

fn main() {
    let start = Instant::now();
    let arg = std::env::args().nth(1).unwrap_or_else(|| "default".into());
    let file = std::env::args().nth(2).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tools/eval/suggest_corpus.jsonl"
        )
        .into()
    });
    let engine: Option<Engine> = if arg == "default" {
        None
    } else {
        Some(arg.parse().unwrap_or(Engine::Lexical))
    };
    let rss0 = rss_bytes().unwrap_or(0);
    let t = Instant::now();
    let cat = Catalog::embedded();
    let catalog_ms = t.elapsed().as_secs_f64() * 1e3;
    let heap0 = live_heap_bytes();
    let rss1 = rss_bytes().unwrap_or(0);
    let t = Instant::now();
    let r = match engine {
        Some(e) => retrieve::retriever(cat, e),
        None => retrieve::default_retriever(cat),
    };
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    let heap1 = live_heap_bytes();
    let rss2 = rss_bytes().unwrap_or(0);
    let figures = match r {
        Err(e) => serde_json::json!({ "engine": arg, "error": e.to_string() }),
        Ok(r) => {
            let t = Instant::now();
            let first = r.suggest("list my ec2 instances", 3).map(|s| s.len());
            let first_ms = t.elapsed().as_secs_f64() * 1e3;
            let first_answer_ms = start.elapsed().as_secs_f64() * 1e3;
            let peak_after_first = peak_rss_bytes();
            let qs = requests(&file);
            for q in &qs {
                let _ = r.suggest(q, 3);
            }
            let mut lat: Vec<f64> = qs
                .iter()
                .map(|q| {
                    let t = Instant::now();
                    let _ = r.suggest(q, 3);
                    t.elapsed().as_secs_f64() * 1e3
                })
                .collect();
            lat.sort_by(f64::total_cmp);
            let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize];
            let warm_ms = lat.iter().sum::<f64>() / lat.len() as f64;
            serde_json::json!({
                "engine": r.name(),
                "first_answer_ms": first_answer_ms,
                "peak_rss_after_first_answer_bytes": peak_after_first,
                "warm_requests": lat.len(),
                "warm_p50_ms": pct(0.5),
                "warm_p99_ms": pct(0.99),
                "catalog_index_ms": catalog_ms,
                "engine_load_ms": load_ms,
                "engine_heap_bytes": heap1.saturating_sub(heap0),
                "engine_rss_bytes": rss2.saturating_sub(rss1),
                "first_suggest_ms": first_ms,
                "first_suggest_ok": first.is_ok(),
                "warm_suggest_ms": warm_ms,
                "rss_start_bytes": rss0,
                "live_heap_after_bytes": live_heap_bytes(),
                "peak_rss_bytes": peak_rss_bytes(),
            })
        }
    };
    aws_mcp_benches::print_figures(&figures);
}
