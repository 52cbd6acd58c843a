//! Classification and policy benchmarks: the cost per command of the
//! read-only classifier (target: well under a microsecond), of a policy
//! decision, and of decoding the embedded access table's index once (each
//! service is decoded on first use: `classify_first_use_one_service`).
#![allow(missing_docs)]

use aws_mcp_core::command::{GivenArg, LocalPath, PathAccess, PathOrigin};
use aws_mcp_core::{
    AccessTable, Catalog, Classifier, CommandKind, Policy, PolicyConfig, ValidatedCommand,
};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

const DATA: &[u8] = include_bytes!("../../aws-mcp-core/data/access.bin");

fn cmd(service: &str, operation: &str) -> ValidatedCommand {
    ValidatedCommand {
        service: service.into(),
        operation: operation.into(),
        kind: CommandKind::Operation,
        api: None,
        region: None,
        globals: Default::default(),
        parameters: Default::default(),
        args: Vec::new(),
        local_paths: Vec::new(),
        argv: Vec::new(),
    }
}

fn bench(c: &mut Criterion) {
    let table = AccessTable::embedded();
    let cmds = [
        cmd("ec2", "describe-instances"),
        cmd("s3api", "list-objects-v2"),
        cmd("iam", "attach-user-policy"),
        cmd("s3", "cp"),
        cmd("ec2", "wait instance-running"),
        cmd("ec2", "no-such-command"),
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
    let mut partiql = cmd("dynamodb", "execute-statement");
    partiql.parameters.insert(
        "Statement".into(),
        "SELECT * FROM Orders WHERE pk = 'a'".into(),
    );
    c.bench_function("classify_partiql_select", |b| {
        b.iter(|| table.classify(black_box(&partiql)))
    });

    let dir = std::env::temp_dir();
    let cfg = PolicyConfig::new(Catalog::embedded(), "us-east-1", &dir).expect("temp dir");
    let policy = Policy::new(cfg);
    let plain = cmd("ec2", "describe-instances");
    let plain_class = table.classify(&plain);
    c.bench_function("policy_decide_no_files", |b| {
        b.iter(|| policy.decide(black_box(&plain), black_box(&plain_class)))
    });
    let mut with_file = cmd("sns", "publish");
    with_file.args.push(GivenArg {
        name: "message".into(),
        values: vec!["file://msg.txt".into()],
    });
    with_file.local_paths.push(LocalPath {
        path: "msg.txt".into(),
        access: PathAccess::Read,
        arg: "message".into(),
        origin: PathOrigin::FileUrl,
    });
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
