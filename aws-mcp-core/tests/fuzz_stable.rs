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
//! Deep and explosive `--query` expressions are fuzzed by
//! `aws-mcp-wire/tests/fuzz_query.rs` (validator and evaluator).
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
            again.extend(c.argv().iter().cloned());
            let c2 = v
                .validate_words(&again)
                .unwrap_or_else(|e| panic!("argv of {input:?} does not validate: {e}"));
            assert_eq!(c.parameters(), c2.parameters(), "{input:?}");
            assert_eq!(c.local_paths(), c2.local_paths(), "{input:?}");
        }
    }
    println!("{iterations} inputs: {tokenized} tokenized ({agreed} compared with shell-words), {valid} valid");
    assert!(
        valid > 20 && tokenized > valid,
        "the generator lost its power"
    );
}
