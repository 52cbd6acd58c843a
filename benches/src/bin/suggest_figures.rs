//! `suggest-figures`: per engine, the load time, memory and first-answer
//! figures of the suggestion engines in a fresh process, as JSON.
//!
//! `cargo run --release -p aws-mcp-benches --bin suggest-figures -- [lexical|dense|hybrid]`
//! (`--features dense` for dense and hybrid). Run one engine per process to
//! read its peak RSS: "start + one suggest" is what the server pays.

use std::time::Instant;

use aws_mcp_benches::{live_heap_bytes, peak_rss_bytes, rss_bytes, CountingAlloc};
use aws_mcp_core::retrieve::{self, Engine};
use aws_mcp_core::Catalog;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn main() {
    let engine: Engine = std::env::args()
        .nth(1)
        .as_deref()
        .unwrap_or("lexical")
        .parse()
        .unwrap_or(Engine::Lexical);
    let rss0 = rss_bytes().unwrap_or(0);
    let t = Instant::now();
    let cat = Catalog::embedded();
    let catalog_ms = t.elapsed().as_secs_f64() * 1e3;
    let heap0 = live_heap_bytes();
    let rss1 = rss_bytes().unwrap_or(0);
    let t = Instant::now();
    let r = retrieve::retriever(cat, engine);
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    let heap1 = live_heap_bytes();
    let rss2 = rss_bytes().unwrap_or(0);
    let figures = match r {
        Err(e) => serde_json::json!({ "engine": engine, "error": e.to_string() }),
        Ok(r) => {
            let t = Instant::now();
            let first = r.suggest("list my ec2 instances", 3).map(|s| s.len());
            let first_ms = t.elapsed().as_secs_f64() * 1e3;
            let t = Instant::now();
            let n = 50;
            for _ in 0..n {
                let _ = r.suggest("delete an old s3 bucket", 3);
            }
            let warm_ms = t.elapsed().as_secs_f64() * 1e3 / n as f64;
            serde_json::json!({
                "engine": engine,
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
