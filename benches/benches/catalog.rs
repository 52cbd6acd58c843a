//! Catalog benchmarks: index decode, one service decode, lookups.
#![allow(missing_docs)]

use aws_mcp_core::Catalog;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

const DATA: &[u8] = include_bytes!("../../aws-mcp-core/data/catalog.bin");

fn bench(c: &mut Criterion) {
    c.bench_function("catalog_index_decode", |b| {
        b.iter(|| Catalog::from_bytes(black_box(DATA.to_vec())).map(|c| c.services().len()))
    });
    c.bench_function("catalog_index_plus_ec2_decode", |b| {
        b.iter(|| {
            let cat = Catalog::from_bytes(DATA.to_vec()).expect("valid");
            let n = cat
                .command("ec2", "run-instances")
                .map(|c| c.args().map(|a| a.len()).unwrap_or(0));
            black_box(n)
        })
    });
    let cat = Catalog::embedded();
    cat.load_all().expect("valid");
    c.bench_function("command_and_arg_lookup_warm", |b| {
        b.iter(|| {
            let cmd = cat.command(black_box("ec2"), black_box("describe-instances"));
            cmd.and_then(|c| c.arg(black_box("instance-ids")).ok().flatten())
                .is_some()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
