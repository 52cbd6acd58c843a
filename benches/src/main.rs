//! `catalog-figures`: prints the catalog's load-time and memory figures as JSON.
//!
//! Run with `cargo run --release -p aws-mcp-benches --bin catalog-figures`. Criterion benches
//! (`cargo bench -p aws-mcp-benches`) give the statistically careful timings;
//! this binary measures what criterion cannot: first-use cost in a fresh
//! process and resident memory.

use std::time::Instant;

use aws_mcp_benches::{live_heap_bytes, peak_rss_bytes, rss_bytes, CountingAlloc};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;
use aws_mcp_core::Catalog;

fn main() {
    let rss0 = rss_bytes().unwrap_or(0);
    let t = Instant::now();
    let cat = Catalog::embedded();
    let index_ms = t.elapsed().as_secs_f64() * 1e3;
    let heap_index = live_heap_bytes();
    let t = Instant::now();
    let first = cat
        .command("ec2", "describe-instances")
        .map(|c| c.args().map(|a| a.len()).unwrap_or(0));
    let first_lookup_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let ok = cat.load_all().is_ok();
    let all_ms = t.elapsed().as_secs_f64() * 1e3;
    let rss1 = rss_bytes().unwrap_or(0);
    let heap_all = live_heap_bytes();
    let figures = serde_json::json!({
        "catalog_file_bytes": include_bytes!("../../aws-mcp-core/data/catalog.bin").len(),
        "index_decode_ms": index_ms,
        "live_heap_index_bytes": heap_index,
        "first_command_lookup_ms": first_lookup_ms,
        "first_command_args": first,
        "decode_all_services_ms": all_ms,
        "all_decoded_ok": ok,
        "rss_before_bytes": rss0,
        "rss_all_loaded_bytes": rss1,
        "catalog_memory_bytes": rss1.saturating_sub(rss0),
        "live_heap_all_loaded_bytes": heap_all,
        "peak_rss_bytes": peak_rss_bytes(),
    });
    aws_mcp_benches::print_figures(&figures);
}
