//! Evaluate the suggestion engines on a JSONL file of
//! `{"query", "expected": ["service operation"], "also_ok": [...]}`:
//! recall@1, recall@3, MRR (within the top 10) and p50/p99 latency per engine, then the
//! same recalls per request length (1–5, 6–10 and 11+ words).
//!
//! ```text
//! cargo run --release -p aws-mcp-examples --example eval -- ../shared/eval/suggest_dev.jsonl \
//!     [--engine lexical|dense|hybrid|all] [--misses] [--ranks]
//! ```
//!
//! `BM25_PARAMS=k1=1.5,b=0.6` overrides the lexical engine's constants, and
//! `HYBRID_PARAMS=w_dense,depth` the hybrid fusion's, `DENSE_PRIOR=w` the dense
//! engine's prior weight and `DENSE_NOEXPAND=1` turns off its vocabulary
//! expansion (tuning runs; `--features dense`).
#![allow(clippy::print_stdout)]

use std::time::Instant;

use aws_mcp_core::retrieve::{self, Engine};
use aws_mcp_core::Catalog;

struct Case {
    query: String,
    ok: Vec<String>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut file = None;
    let mut engines: Vec<Engine> = Vec::new();
    let mut misses = false;
    let mut ranks = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--engine" => {
                let e = args.next().ok_or("--engine needs a value")?;
                if e == "all" {
                    engines.extend([Engine::Lexical, Engine::Dense, Engine::Hybrid]);
                } else {
                    engines.push(e.parse()?);
                }
            }
            "--misses" => misses = true,
            "--ranks" => ranks = true,
            _ => file = Some(a),
        }
    }
    let file = file.ok_or("usage: eval FILE.jsonl [--engine NAME] [--misses]")?;
    if engines.is_empty() {
        engines.extend([Engine::Lexical, Engine::Dense, Engine::Hybrid]);
    }
    let mut cases = Vec::new();
    for line in std::fs::read_to_string(&file)?.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line)?;
        let list = |k: &str| -> Vec<String> {
            v[k].as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut ok = list("expected");
        ok.extend(list("also_ok"));
        cases.push(Case {
            query: v["query"].as_str().unwrap_or_default().to_string(),
            ok,
        });
    }
    let catalog = Catalog::embedded();
    println!("{} queries from {file}", cases.len());
    println!(
        "{:<8} {:>9} {:>9} {:>7} {:>9} {:>9} {:>10}",
        "engine", "recall@1", "recall@3", "MRR", "p50 ms", "p99 ms", "load ms"
    );
    for engine in engines {
        let t0 = Instant::now();
        let built = match (engine, std::env::var("BM25_PARAMS")) {
            (Engine::Lexical, Ok(spec)) => {
                let params = retrieve::Bm25Params::default().with_overrides(&spec)?;
                let corpus = retrieve::Corpus::embedded()?;
                Ok(Box::new(retrieve::Bm25Retriever::with_params(
                    catalog, &corpus, params,
                )) as Box<dyn retrieve::Retriever>)
            }
            #[cfg(feature = "dense")]
            (Engine::Dense, _)
                if std::env::var("DENSE_PRIOR").is_ok()
                    || std::env::var("DENSE_NOEXPAND").is_ok() =>
            {
                let mut d = retrieve::DenseRetriever::new(catalog)?;
                if let Ok(p) = std::env::var("DENSE_PRIOR") {
                    d.prior_weight = p.parse()?;
                }
                d.expand = std::env::var("DENSE_NOEXPAND").is_err();
                Ok(Box::new(d) as Box<dyn retrieve::Retriever>)
            }
            #[cfg(feature = "dense")]
            (Engine::Hybrid, _)
                if std::env::var("HYBRID_PARAMS").is_ok()
                    || std::env::var("DENSE_PRIOR").is_ok()
                    || std::env::var("DENSE_NOEXPAND").is_ok() =>
            {
                let spec = std::env::var("HYBRID_PARAMS").unwrap_or_default();
                let v: Vec<f32> = spec
                    .split(',')
                    .filter_map(|x| x.trim().parse().ok())
                    .collect();
                let mut h = retrieve::HybridRetriever::new(catalog)?;
                if let [w, depth, ..] = v[..] {
                    h.w_dense = w;
                    h.depth = depth as usize;
                }
                if let Ok(p) = std::env::var("DENSE_PRIOR") {
                    h.dense_mut().prior_weight = p.parse()?;
                }
                h.dense_mut().expand = std::env::var("DENSE_NOEXPAND").is_err();
                Ok(Box::new(h) as Box<dyn retrieve::Retriever>)
            }
            _ => retrieve::retriever(catalog, engine),
        };
        let r = match built {
            Ok(r) => r,
            Err(e) => {
                println!("{:<8} unavailable: {e}", engine.as_str());
                continue;
            }
        };
        let load = t0.elapsed().as_secs_f64() * 1e3;
        // warm up: the first query decodes the services it returns
        for c in &cases {
            let _ = r.suggest(&c.query, 10);
        }
        let (mut h1, mut h3, mut mrr) = (0usize, 0usize, 0f64);
        // per length bucket: (requests, hits@1, hits@3, reciprocal ranks)
        let mut by_len = [(0usize, 0usize, 0usize, 0f64); 3];
        let mut lat = Vec::new();
        for c in &cases {
            let t = Instant::now();
            let s = r.suggest(&c.query, 10)?;
            lat.push(t.elapsed().as_secs_f64() * 1e3);
            let names: Vec<String> = s
                .iter()
                .map(|s| format!("{} {}", s.service, s.operation))
                .collect();
            let rank = names.iter().position(|n| c.ok.contains(n));
            if rank == Some(0) {
                h1 += 1;
            }
            if rank.is_some_and(|r| r < 3) {
                h3 += 1;
            }
            if let Some(r) = rank {
                mrr += 1.0 / (r as f64 + 1.0);
            }
            let b = &mut by_len[length_bucket(&c.query)];
            b.0 += 1;
            b.1 += usize::from(rank == Some(0));
            b.2 += usize::from(rank.is_some_and(|r| r < 3));
            b.3 += rank.map_or(0.0, |r| 1.0 / (r as f64 + 1.0));
            if ranks {
                println!("  RANK {} {:?}", rank.map_or(0, |r| r + 1), c.query);
            }
            if misses && rank.is_none_or(|r| r >= 3) {
                println!(
                    "  MISS {:?} want {:?} got {:?} (rank {:?})",
                    c.query,
                    c.ok,
                    &names[..names.len().min(3)],
                    rank.map(|r| r + 1)
                );
            }
        }
        lat.sort_by(f64::total_cmp);
        let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize];
        let n = cases.len().max(1) as f64;
        println!(
            "{:<8} {:>9.3} {:>9.3} {:>7.3} {:>9.3} {:>9.3} {:>10.1}",
            engine.as_str(),
            h1 as f64 / n,
            h3 as f64 / n,
            mrr / n,
            pct(0.5),
            pct(0.99),
            load
        );
        for (name, b) in LENGTHS.iter().zip(by_len) {
            let n = b.0.max(1) as f64;
            println!(
                "  {:<6} {:>9.3} {:>9.3} {:>7.3}   ({} requests)",
                name,
                b.1 as f64 / n,
                b.2 as f64 / n,
                b.3 / n,
                b.0
            );
        }
    }
    Ok(())
}

/// The request-length buckets of the report, in words.
const LENGTHS: [&str; 3] = ["1-5w", "6-10w", "11+w"];

fn length_bucket(query: &str) -> usize {
    match query.split_whitespace().count() {
        0..=5 => 0,
        6..=10 => 1,
        _ => 2,
    }
}
