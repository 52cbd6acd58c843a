//! Pagination: merging N pages of 100 items each (the shape of a large
//! `s3api list-objects-v2` or `ec2 describe-instances` walk). The cost per
//! page must not grow with the number of pages already merged: the
//! 3,000-page walk takes about 3× the 1,000-page walk (linear), not 9×.
//! Measured on the shared 2-core machine under load (medians): 1,000 pages
//! 360 ms, 3,000 pages 1.11 s (3.08×); each walk includes copying its input
//! pages. Before, every page re-searched (deep-copied) the whole merged
//! result: quadratic.
#![allow(missing_docs)]

use aws_mcp_core::catalog::Paginator;
use aws_mcp_wire::paginate::{PageRequest, Pages};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use serde_json::{json, Value};

fn page(i: usize, last: bool) -> Value {
    let items: Vec<Value> = (0..100)
        .map(|k| {
            json!({"Key": format!("logs/2026/12/{i:05}/{k:03}.gz"), "Size": k * 1024,
                   "ETag": "\"9b2cf535f27731c974343645a3985328\"", "StorageClass": "STANDARD"})
        })
        .collect();
    let mut p = json!({"Contents": items, "KeyCount": 100, "Name": "bucket"});
    if !last {
        p["NextContinuationToken"] = json!(format!("token-{i}"));
    }
    p
}

fn walk(paginator: &Paginator, pages: &[Value]) -> usize {
    let mut w = Pages::new(paginator, &PageRequest::default()).expect("paginator");
    for p in pages {
        if !w.add_page(p.clone()).expect("page") {
            break;
        }
    }
    w.finish()["Contents"].as_array().map_or(0, Vec::len)
}

fn bench(c: &mut Criterion) {
    let paginator: Paginator = serde_json::from_value(json!({
        "input_token": "ContinuationToken", "output_token": "NextContinuationToken",
        "limit_key": "MaxKeys", "result_key": ["Contents", "CommonPrefixes"],
        "non_aggregate_keys": ["Name"]
    }))
    .expect("paginator");
    let mut group = c.benchmark_group("paginate_merge");
    group.sample_size(10);
    for n in [10usize, 100, 1000, 3000] {
        let pages: Vec<Value> = (0..n).map(|i| page(i, i + 1 == n)).collect();
        assert_eq!(walk(&paginator, &pages), n * 100);
        group.bench_with_input(BenchmarkId::from_parameter(n), &pages, |b, pages| {
            b.iter(|| walk(&paginator, black_box(pages)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
