//! Suggestion benchmarks: index build, query latency per engine, and (with
//! `--features dense`) the dense parts: vectors load, one embedding, exact search.
//!
//! `cargo bench -p aws-mcp-benches --bench suggest [--features dense]`
//! (dense needs ORT_DYLIB_PATH or the onnxruntime wheel in .venv).
#![allow(missing_docs)]

use aws_mcp_core::retrieve::{Bm25Retriever, Corpus, Retriever};
use aws_mcp_core::Catalog;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

/// Requests written for the benchmark (not the evaluation set).
const QUERIES: &[&str] = &[
    "list my ec2 instances in us-east-1",
    "delete the s3 bucket old-logs",
    "who am i",
    "show cloudwatch alarms that are firing",
    "create a dynamodb table",
    "rotate the database password secret",
    "attach a policy to role deployer",
    "lamda functons using python",
];

fn bench(c: &mut Criterion) {
    let cat = Catalog::embedded();
    c.bench_function("lexical_corpus_decode", |b| {
        b.iter(|| Corpus::embedded().map(|c| c.docs.len()))
    });
    c.bench_function("lexical_index_build", |b| {
        b.iter(|| Bm25Retriever::new(cat).map(|r| r.len()))
    });
    let lex = Bm25Retriever::new(cat).expect("embedded corpus");
    c.bench_function("lexical_rank_top3", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % QUERIES.len();
            lex.rank_names(black_box(QUERIES[i]), 3).map(|r| r.len())
        })
    });
    for q in QUERIES {
        let _ = lex.suggest(q, 3);
    }
    c.bench_function("lexical_suggest_top3_with_parameters", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % QUERIES.len();
            lex.suggest(black_box(QUERIES[i]), 3).map(|r| r.len())
        })
    });
    #[cfg(feature = "dense")]
    dense(c, cat);
}

#[cfg(feature = "dense")]
fn dense(c: &mut Criterion, cat: &'static Catalog) {
    use aws_mcp_core::retrieve::{
        DenseFiles, DenseRetriever, Embedder, ExactIndex, HybridRetriever, OnnxEmbedder,
        VectorIndex,
    };
    let Ok(files) = DenseFiles::locate() else {
        eprintln!("dense files not found: skipping the dense benchmarks");
        return;
    };
    c.bench_function("dense_vectors_load", |b| {
        b.iter(|| ExactIndex::from_path(&files.vectors).map(|i| i.len()))
    });
    let emb = OnnxEmbedder::load(&files).expect("model");
    let idx = ExactIndex::from_path(&files.vectors).expect("vectors");
    c.bench_function("dense_embed_query", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % QUERIES.len();
            emb.embed(black_box(QUERIES[i])).map(|v| v.len())
        })
    });
    let v = emb.embed(QUERIES[0]).expect("embedding");
    hnsw(c, &files, &v);
    c.bench_function("dense_exact_search_top100", |b| {
        b.iter(|| idx.nearest(black_box(&v), 100).len())
    });
    let d = DenseRetriever::new(cat).expect("dense");
    let h = HybridRetriever::new(cat).expect("hybrid");
    for (name, r) in [
        ("dense_suggest_top3", &d as &dyn Retriever),
        ("hybrid_suggest_top3", &h as &dyn Retriever),
    ] {
        c.bench_function(name, |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % QUERIES.len();
                r.suggest(black_box(QUERIES[i]), 3).map(|r| r.len())
            })
        });
    }
}

/// HNSW (instant-distance) over the same vectors, for comparison with exact search.
#[cfg(feature = "dense")]
fn hnsw(c: &mut Criterion, files: &aws_mcp_core::retrieve::DenseFiles, query: &[f32]) {
    use aws_mcp_core::retrieve::{ExactIndex, VectorIndex};
    use instant_distance::{Builder, Search};

    #[derive(Clone)]
    struct P(std::sync::Arc<[f32]>);
    impl instant_distance::Point for P {
        fn distance(&self, other: &Self) -> f32 {
            // four accumulators: lets the compiler vectorise the dot product
            let (a, b) = (&self.0, &other.0);
            let mut acc = [0f32; 4];
            for (x, y) in a.chunks_exact(4).zip(b.chunks_exact(4)) {
                for i in 0..4 {
                    acc[i] += x[i] * y[i];
                }
            }
            1.0 - acc.iter().sum::<f32>()
        }
    }
    let exact = ExactIndex::from_path(&files.vectors).expect("vectors");
    let points: Vec<P> = exact.rows().map(|r| P(r.into())).collect();
    // a command may have several vectors: a hit is the command a vector belongs to
    let values: Vec<u32> = exact.owners().to_vec();
    let t = std::time::Instant::now();
    let map = Builder::default().seed(7).build(points, values);
    eprintln!("hnsw build: {:?} for {} vectors", t.elapsed(), exact.len());
    let q = P(query.into());
    let truth: Vec<u32> = exact.nearest(query, 10).into_iter().map(|x| x.0).collect();
    let mut search = Search::default();
    let mut got: Vec<u32> = Vec::new();
    for i in map.search(&q, &mut search) {
        if !got.contains(i.value) {
            got.push(*i.value);
        }
        if got.len() == 10 {
            break;
        }
    }
    let recall = got.iter().filter(|d| truth.contains(d)).count() as f32 / 10.0;
    eprintln!("hnsw recall@10 vs exact on the probe query: {recall}");
    c.bench_function("dense_hnsw_search_top10", |b| {
        b.iter(|| {
            let mut s = Search::default();
            map.search(black_box(&q), &mut s).take(10).count()
        })
    });
    c.bench_function("dense_exact_search_top10", |b| {
        b.iter(|| exact.nearest(black_box(query), 10).len())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
