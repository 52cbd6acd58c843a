//! A bounded, seeded fuzz test of the parser and validator on stable Rust.
//!
//! It runs in every `cargo test` (3,000 inputs, a few seconds;
//! `AWS_MCP_FUZZ_ITERATIONS` for more): random byte soup drawn
//! from the characters that matter to a shell and to awscli's parsers, and
//! mutations (insert, delete, replace, splice) of real commands. Properties:
//!
//! * nothing panics;
//! * where the tokenizer accepts an input without line continuations, the
//!   `shell-words` crate splits it into the same words;
//! * a validated command's normalized `argv`, validated again, gives the
//!   same parameters and local paths (normalization is faithful).
//!
//! A second test feeds deep and explosive `--query` expressions (fragments
//! repeated up to 20,000 times) to the validator and the evaluator.
//!
//! For longer, coverage-guided runs use the cargo-fuzz targets in `fuzz/`
//! (`cargo +nightly fuzz run validate -- -max_total_time=600`).

#![allow(clippy::print_stdout)] // the figures are the point of this test

use aws_mcp_core::{tokenize, Catalog, Validator};

mod common;
use common::Rng;

const SEEDS: &[&str] = &[
    "aws ec2 describe-instances --region us-west-2 --filters Name=instance-state-name,Values=running Name=tag:Env,Values=prod --query 'Reservations[].Instances[] | [0]'",
    "aws s3api put-object --bucket b --key k --body ./file.txt --metadata a=b,c=d",
    "aws dynamodb get-item --table-name T --key '{\"pk\":{\"S\":\"a\"}}' --projection-expression \"#n\" --expression-attribute-names '{\"#n\":\"name\"}'",
    "aws ec2 run-instances --image-id ami-1 --instance-type t3.micro --block-device-mappings 'DeviceName=/dev/sda1,Ebs={VolumeSize=20,DeleteOnTermination=true}' --tag-specifications 'ResourceType=instance,Tags=[{Key=a,Value=b}]'",
    "aws s3 cp ./a s3://b/c --recursive --exclude '*' --include '*.txt'",
    "aws sns publish --topic-arn arn:aws:sns:us-east-1:1:t --message file://m.json --message-attributes '{\"a\":{\"DataType\":\"String\",\"StringValue\":\"x\"}}'",
    "aws lambda invoke --function-name f --payload '{}' out.json",
    "aws cloudwatch get-metric-statistics --namespace AWS/EC2 --metric-name CPUUtilization --start-time 2024-01-01T00:00:00Z --end-time 2024-01-02 --period 3600 --statistics Average",
    "aws --output json iam list-users --max-items 5 --starting-token abc",
    "aws ec2 modify-subnet-attribute --subnet-id s --map-public-ip-on-launch",
];

const ALPHABET: &[&str] = &[
    " ",
    " ",
    " ",
    "a",
    "b",
    "1",
    "-",
    "--",
    "=",
    ",",
    "'",
    "\"",
    "\\",
    "\\\n",
    "\n",
    "|",
    "&",
    ";",
    ">",
    "<",
    "`",
    "$(",
    "${",
    "$",
    "#",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "@=",
    "file://",
    "fileb://",
    "s3://",
    "~",
    "*",
    "\u{2013}",
    "é",
    "\0",
    "\t",
    "aws",
    "ec2",
    "s3",
    "describe-instances",
    "--region",
    "--query",
    "--filters",
    "Name=a,Values=b",
    "--cli-input-json",
    "{\"a\":1}",
    "--max-items",
    "-5",
    "true",
];

fn soup(r: &mut Rng) -> String {
    let n = r.below(24);
    let mut s = String::from(if r.below(3) > 0 { "aws " } else { "" });
    for _ in 0..n {
        s.push_str(ALPHABET[r.below(ALPHABET.len())]);
    }
    s
}

fn mutate(r: &mut Rng, seed: &str) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    for _ in 0..=r.below(4) {
        let at = r.below(chars.len() + 1);
        match r.below(4) {
            0 => {
                let ins: Vec<char> = ALPHABET[r.below(ALPHABET.len())].chars().collect();
                chars.splice(at..at, ins);
            }
            1 if at < chars.len() => {
                chars.remove(at);
            }
            2 if at < chars.len() => {
                let c = ALPHABET[r.below(ALPHABET.len())]
                    .chars()
                    .next()
                    .unwrap_or('x');
                chars[at] = c;
            }
            _ => {
                let other: Vec<char> = SEEDS[r.below(SEEDS.len())].chars().collect();
                let from = r.below(other.len());
                let to = (from + r.below(20)).min(other.len());
                chars.splice(at..at, other[from..to].iter().copied());
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn parser_and_validator_survive_random_input() {
    let v = Validator::new(Catalog::embedded());
    let mut r = Rng(0x5eed_1234_abcd_0042);
    let iterations = std::env::var("AWS_MCP_FUZZ_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3_000usize);
    let (mut tokenized, mut valid, mut agreed) = (0, 0, 0);
    for i in 0..iterations {
        let input = if i % 2 == 0 {
            soup(&mut r)
        } else {
            let seed = SEEDS[r.below(SEEDS.len())];
            mutate(&mut r, seed)
        };
        if let Ok(words) = tokenize(&input) {
            tokenized += 1;
            if !input.contains("\\\n") && !input.contains("\\\r\n") {
                if let Ok(sw) = shell_words::split(&input) {
                    assert_eq!(words, sw, "differs from shell-words on {input:?}");
                    agreed += 1;
                }
            }
        }
        if let Ok(c) = v.validate(&input) {
            valid += 1;
            let mut again = vec!["aws".to_string()];
            again.extend(c.argv.iter().cloned());
            let c2 = v
                .validate_words(&again)
                .unwrap_or_else(|e| panic!("argv of {input:?} does not validate: {e}"));
            assert_eq!(c.parameters, c2.parameters, "{input:?}");
            assert_eq!(c.local_paths, c2.local_paths, "{input:?}");
        }
    }
    println!("{iterations} inputs: {tokenized} tokenized ({agreed} compared with shell-words), {valid} valid");
    assert!(
        valid > 20 && tokenized > valid,
        "the generator lost its power"
    );
}

/// JMESPath fragments for deep and explosive queries.
const QUERY_FRAGMENTS: &[&str] = &[
    "[",
    "]",
    "!",
    "&",
    "(",
    ")",
    "{a:",
    "}",
    ".a",
    " | a",
    " || a",
    " && a",
    "[*].a",
    "[?a].a",
    "[]",
    "[0]",
    "abs(",
    "sort_by(@, &",
    " | [@,@]",
    " | {a: @, b: @}",
    " | [sort(@), reverse(@)]",
    " | to_array(@)",
    " | [to_string(@), to_string(@)]",
    "`[[[[`",
    "'x'",
    ",",
    "@",
];

/// Deep and explosive `--query` expressions (a fragment or two repeated up
/// to 20,000 times): the validator and the evaluator answer each with a
/// result or an error, never a crash, and every expression nested beyond
/// the limit is refused before it is parsed.
#[test]
fn deep_and_explosive_queries_never_crash() {
    let v = Validator::new(Catalog::embedded());
    let mut r = Rng(0x0de7_9e55_0042_f00d);
    let doc = serde_json::json!({"a": [{"a": 1, "b": "x"}, {"a": [2, 3]}], "b": {"c": true}});
    let (mut too_deep, mut ran) = (0, 0);
    for _ in 0..200 {
        let mut q = String::from(if r.below(2) == 0 { "@" } else { "" });
        let a = QUERY_FRAGMENTS[r.below(QUERY_FRAGMENTS.len())];
        let b = QUERY_FRAGMENTS[r.below(QUERY_FRAGMENTS.len())];
        let times = [1, 5, 30, 200, 2_000, 20_000][r.below(6)];
        for i in 0..times {
            q.push_str(if i % 3 == 2 { b } else { a });
        }
        let deep = aws_mcp_core::jmes::nesting_depth(&q) > aws_mcp_core::jmes::MAX_QUERY_DEPTH;
        let words = ["aws", "s3api", "list-buckets", "--query", q.as_str()].map(String::from);
        match v.validate_words(&words) {
            Ok(_) => assert!(!deep, "{q:.80}"),
            Err(e) if deep => {
                assert_eq!(e.kind(), "query_too_deep", "{q:.80}");
                too_deep += 1;
            }
            Err(_) => {}
        }
        // A small budget keeps the explosive ones quick.
        if aws_mcp_core::render::apply_query_with_budget(&doc, &q, 4 << 20).is_ok() {
            ran += 1;
        }
    }
    println!("200 queries: {too_deep} refused as too deep, {ran} evaluated");
    assert!(too_deep > 20 && ran > 10, "the generator lost its power");
}
