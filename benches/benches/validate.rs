//! Validation throughput and latency over the awscli example corpus.
//!
//! Reads `examples.jsonl` from `AWS_MCP_EVAL_DIR` (default
//! `../shared/eval`): every example command of the pinned awscli, valid or
//! not (rejections are work too). Without the corpus, a small built-in set
//! is used. The catalog is fully decoded before measuring: the figure is the
//! steady state of a running server. Target: ≥ 200,000 commands/s on one core.
#![allow(missing_docs)]

use std::time::Duration;

use aws_mcp_core::{Catalog, Validator};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

const BUILTIN: &[&str] = &[
    "aws ec2 describe-instances --region us-west-2 --filters Name=instance-state-name,Values=running --query 'Reservations[].Instances[].InstanceId'",
    "aws s3api list-objects-v2 --bucket my-bucket --prefix logs/ --max-items 10",
    "aws dynamodb get-item --table-name Users --key '{\"pk\":{\"S\":\"USER#42\"}}'",
    "aws ec2 run-instances --image-id ami-0abcdef1234567890 --instance-type t3.micro --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=web}]'",
    "aws s3 cp ./report.csv s3://bucket/reports/ --sse AES256",
    "aws iam get-role",
    "aws ec2 list-instances",
    "aws s3 ls | head",
];

fn corpus() -> Vec<String> {
    let dir = std::env::var("AWS_MCP_EVAL_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/eval").into());
    match std::fs::read_to_string(format!("{dir}/examples.jsonl")) {
        Ok(text) => text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["command"].as_str().map(String::from))
            .collect(),
        Err(_) => BUILTIN.iter().map(|s| s.to_string()).collect(),
    }
}

fn bench(c: &mut Criterion) {
    let cat = Catalog::embedded();
    cat.load_all().expect("valid catalog");
    let v = Validator::new(cat);
    let cmds = corpus();
    let mut g = c.benchmark_group("validate");
    g.throughput(Throughput::Elements(cmds.len() as u64));
    g.measurement_time(Duration::from_secs(10));
    g.sample_size(20);
    g.bench_function("example_corpus", |b| {
        b.iter(|| {
            let mut ok = 0usize;
            for cmd in &cmds {
                ok += v.validate(black_box(cmd)).is_ok() as usize;
            }
            ok
        })
    });
    g.finish();
    let one = "aws ec2 describe-instances --region us-west-2 --instance-ids i-1234567890abcdef0 --filters Name=tag:Name,Values=web";
    c.bench_function("validate_one_describe_instances", |b| {
        b.iter(|| v.validate(black_box(one)).is_ok())
    });
    c.bench_function("tokenize_one", |b| {
        b.iter(|| aws_mcp_core::tokenize(black_box(one)).map(|w| w.len()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
