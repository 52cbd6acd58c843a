//! `--query` must never take the process down: no panic, no stack overflow,
//! no unbounded work. The input is either a whole expression, or (first byte
//! `0xff`) a repeat instruction — a count (two bytes) and a fragment repeated
//! that many times after a prefix — so that short inputs reach the deep and
//! explosive shapes (`[[[[...`, `!!!!...`, `@ | [@,@] | [@,@] ...`).
#![no_main]

use aws_mcp_core::{Catalog, Validator};
use aws_mcp_wire::render::apply_query;
use libfuzzer_sys::fuzz_target;

fn expression(data: &[u8]) -> Option<String> {
    if data.first() == Some(&0xff) && data.len() >= 4 {
        let count = u16::from_le_bytes([data[1], data[2]]) as usize;
        let fragment = std::str::from_utf8(&data[3..]).ok()?;
        let (prefix, fragment) = fragment.split_once('\u{1}').unwrap_or(("@", fragment));
        if fragment.is_empty() {
            return None;
        }
        return Some(format!("{prefix}{}", fragment.repeat(count)));
    }
    std::str::from_utf8(data).ok().map(str::to_string)
}

fuzz_target!(|data: &[u8]| {
    let Some(q) = expression(data) else { return };
    let doc = serde_json::json!({"a": [{"a": 1, "b": "x"}, {"a": [2, 3], "b": null}], "b": {"c": true}});
    let _ = apply_query(&doc, &q);
    let v = Validator::new(Catalog::embedded());
    let _ = v.validate_words(&[
        "aws".to_string(),
        "s3api".to_string(),
        "list-buckets".to_string(),
        "--query".to_string(),
        q,
    ]);
});
