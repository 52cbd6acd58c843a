//! Classification and policy benchmarks: the cost per command of the
//! read-only classifier (target: well under a microsecond), of a policy
//! decision, and of decoding the embedded access table's index once (each
//! service is decoded on first use: `classify_first_use_one_service`).
#![allow(missing_docs)]

use aws_mcp_core::{AccessTable, Catalog, Classifier, Policy, PolicyConfig, ValidatedCommand};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

const DATA: &[u8] = include_bytes!("../../aws-mcp-core/data/access.bin");

fn cmd(text: &str) -> ValidatedCommand {
    aws_mcp_core::validate(Catalog::embedded(), text).expect("a valid command")
}

fn bench(c: &mut Criterion) {
    let table = AccessTable::embedded();
    let cmds = [
        cmd("aws ec2 describe-instances"),
        cmd("aws s3api list-objects-v2 --bucket b"),
        cmd("aws iam attach-user-policy --user-name u --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess"),
        cmd("aws s3 cp s3://b/k s3://b/k2"),
        cmd("aws ec2 wait instance-running"),
        cmd("aws sts get-caller-identity"),
    ];
    c.bench_function("classify_one_command", |b| {
        b.iter(|| table.classify(black_box(&cmds[0])))
    });
    c.bench_function("classify_mixed_6_commands", |b| {
        b.iter(|| {
            cmds.iter()
                .map(|c| table.classify(black_box(c)).read_only as usize)
                .sum::<usize>()
        })
    });
    let partiql =
        cmd("aws dynamodb execute-statement --statement \"SELECT * FROM Orders WHERE pk = 'a'\"");
    c.bench_function("classify_partiql_select", |b| {
        b.iter(|| table.classify(black_box(&partiql)))
    });

    let dir = std::env::temp_dir();
    let cfg = PolicyConfig::new(Catalog::embedded(), "us-east-1", &dir).expect("temp dir");
    let policy = Policy::new(cfg);
    let plain = cmd("aws ec2 describe-instances");
    let plain_class = table.classify(&plain);
    c.bench_function("policy_decide_no_files", |b| {
        b.iter(|| policy.decide(black_box(&plain), black_box(&plain_class)))
    });
    let with_file = cmd(
        "aws sns publish --topic-arn arn:aws:sns:us-east-1:123456789012:t --message file://msg.txt",
    );
    let file_class = table.classify(&with_file);
    c.bench_function("policy_decide_one_local_file", |b| {
        b.iter(|| policy.decide(black_box(&with_file), black_box(&file_class)))
    });
    c.bench_function("classify_first_use_one_service", |b| {
        b.iter(|| {
            let t = AccessTable::from_bytes(DATA.to_vec()).expect("valid");
            t.classify(black_box(&cmds[0])).read_only
        })
    });
    c.bench_function("access_table_index_decode", |b| {
        b.iter(|| AccessTable::from_bytes(black_box(DATA).to_vec()).map(|t| t.is_empty()))
    });
    c.bench_function("access_table_decode_all_services", |b| {
        b.iter(|| {
            let t = AccessTable::from_bytes(black_box(DATA).to_vec()).expect("valid");
            t.load_all().map(|()| t.len())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
