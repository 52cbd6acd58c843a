//! A bounded, seeded fuzz test of `--query` on stable Rust: deep and
//! explosive expressions (a fragment or two repeated up to 20,000 times)
//! through the validator and the evaluator. Nothing may panic or overflow
//! the stack, every expression nested beyond the limit is refused before it
//! is parsed (`aws_mcp_core::query`), and the evaluator's work budget stops
//! the explosive ones. The coverage-guided version is `fuzz/fuzz_targets/query.rs`.

#![allow(clippy::print_stdout)] // the figures are the point of this test

use aws_mcp_core::{Catalog, Validator};

/// xorshift64*, seeded: the same inputs on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1) as u64) as usize
    }
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
        let deep = aws_mcp_core::query::nesting_depth(&q) > aws_mcp_core::query::MAX_QUERY_DEPTH;
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
        if aws_mcp_wire::render::apply_query_with_budget(&doc, &q, 4 << 20).is_ok() {
            ran += 1;
        }
    }
    println!("200 queries: {too_deep} refused as too deep, {ran} evaluated");
    assert!(too_deep > 20 && ran > 10, "the generator lost its power");
}
