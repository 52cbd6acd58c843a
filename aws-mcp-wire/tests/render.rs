//! Byte-for-byte comparison of `aws_mcp_wire::render` with the AWS CLI v1's
//! own formatters, over the vectors `tools/testdata/render_vectors.py`
//! generates with awscli 1.46.3 (`tests/data/render_vectors.json`),
//! including paginated text output through `render_text_pages`.

use aws_mcp_wire::render::{render_text_pages, render_with_width, OutputFormat, RenderError};
use serde_json::Value;

#[test]
fn every_vector_matches_the_cli() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/render_vectors.json"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run tools/testdata/render_vectors.py"));
    let data: Value = serde_json::from_str(&text).unwrap();
    let docs = data["documents"].as_object().unwrap();
    let vectors = data["vectors"].as_array().unwrap();
    assert!(vectors.len() > 1000, "only {} vectors", vectors.len());
    let mut failures = Vec::new();
    for (i, v) in vectors.iter().enumerate() {
        let doc = &docs[v["doc"].as_str().unwrap()];
        let format: OutputFormat = v["format"].as_str().unwrap().parse().unwrap();
        let query = v["query"].as_str();
        let title = v["title"].as_str().unwrap();
        let width = v["width"].as_u64().unwrap() as usize;
        let got = match v.get("result_keys") {
            // Paginated text output, from the pages.
            Some(keys) => {
                let strs = |x: &Value| -> Vec<String> {
                    x.as_array()
                        .unwrap()
                        .iter()
                        .map(|k| k.as_str().unwrap().to_string())
                        .collect()
                };
                let result_keys = strs(keys);
                let non_agg = strs(&v["non_aggregate_keys"]);
                render_text_pages(
                    doc.as_array().unwrap(),
                    &result_keys.iter().map(String::as_str).collect::<Vec<_>>(),
                    &non_agg.iter().map(String::as_str).collect::<Vec<_>>(),
                    v["resume_token"].as_str(),
                    query,
                )
            }
            None => render_with_width(doc, format, query, title, width),
        };
        let ok = match (
            &got,
            v.get("expected"),
            v.get("error").and_then(Value::as_str),
        ) {
            (Ok(out), Some(Value::String(want)), _) => out == want,
            (Err(RenderError::InvalidQuery { .. }), _, Some("invalid_query")) => true,
            (Err(RenderError::QueryFailed { .. }), _, Some("query_failed")) => true,
            (Err(RenderError::Unrenderable { .. }), _, Some("unrenderable")) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "vector {i} ({title}, {format}, query {query:?}, width {width}):\n--- want\n{}\n--- got\n{}",
                v.get("expected").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| format!("error {}", v["error"])),
                match &got {
                    Ok(s) => s.clone(),
                    Err(e) => format!("error {e:?}"),
                }
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors differ:\n{}",
        failures.len(),
        vectors.len(),
        failures
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

/// Every case of the JMESPath compliance suite answered as the Python
/// `jmespath` library answers it (`tools/testdata/jmespath_vectors.py`).
#[test]
fn jmespath_compliance_matches_python() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/jmespath_vectors.json"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run tools/testdata/jmespath_vectors.py"));
    let data: Value = serde_json::from_str(&text).unwrap();
    let docs = data["documents"].as_array().unwrap();
    let vectors = data["vectors"].as_array().unwrap();
    assert!(vectors.len() > 800, "only {} cases", vectors.len());
    let mut failures = Vec::new();
    for v in vectors {
        let doc = &docs[v["doc"].as_u64().unwrap() as usize];
        let query = v["query"].as_str().unwrap();
        let got = render_with_width(doc, OutputFormat::Json, Some(query), "Op", 80);
        let ok = match (
            &got,
            v.get("expected"),
            v.get("error").and_then(Value::as_str),
        ) {
            (Ok(out), Some(Value::String(want)), _) => out == want,
            (Err(RenderError::InvalidQuery { .. }), _, Some("invalid_query")) => true,
            (Err(RenderError::QueryFailed { .. }), _, Some("query_failed")) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{} {query:?}:\n--- want\n{}\n--- got\n{}",
                v["file"],
                v.get("expected")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("error {}", v["error"])),
                match &got {
                    Ok(s) => s.clone(),
                    Err(e) => format!("error {e:?}"),
                }
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n\n")
    );
}

/// `--output yaml` and `yaml-stream` byte for byte as AWS CLI v2's own
/// formatters print them (`tools/testdata/yaml_vectors.py`: generated with
/// 2.36.7, checked equal with 2.9.19), and every YAML output reads back as
/// the value it prints.
#[test]
fn yaml_vectors_match_aws_cli_v2() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/yaml_vectors.json");
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run tools/testdata/yaml_vectors.py"));
    let data: Value = serde_json::from_str(&text).unwrap();
    assert!(data["awscli"].as_str().unwrap().starts_with("2."));
    let docs = data["documents"].as_object().unwrap();
    let vectors = data["vectors"].as_array().unwrap();
    assert!(vectors.len() > 1000, "only {} vectors", vectors.len());
    let mut failures = Vec::new();
    let mut read_back = 0;
    for (i, v) in vectors.iter().enumerate() {
        let doc = &docs[v["doc"].as_str().unwrap()];
        let format: OutputFormat = v["format"].as_str().unwrap().parse().unwrap();
        assert!(matches!(
            format,
            OutputFormat::Yaml | OutputFormat::YamlStream
        ));
        let query = v["query"].as_str();
        let got = render_with_width(doc, format, query, "Op", 80);
        let ok = match (
            &got,
            v.get("expected"),
            v.get("error").and_then(Value::as_str),
        ) {
            (Ok(out), Some(Value::String(want)), _) => out == want,
            (
                Err(RenderError::QueryFailed { .. } | RenderError::InvalidQuery { .. }),
                _,
                Some("query_failed"),
            ) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "vector {i} ({}, {format}, query {query:?}):\n--- want\n{}\n--- got\n{}",
                v["doc"],
                v.get("expected")
                    .and_then(Value::as_str)
                    .unwrap_or("(error)"),
                match &got {
                    Ok(s) => s.clone(),
                    Err(e) => format!("error {e:?}"),
                }
            ));
            continue;
        }
        // The YAML (not the one-line JSON of a scalar) reads back as the value.
        if let (Ok(out), None, OutputFormat::Yaml) = (&got, query, format) {
            if !out.is_empty() {
                let back: Value = serde_yaml_ng::from_str(out)
                    .unwrap_or_else(|e| panic!("vector {i}: {e}\n{out}"));
                let mut want = doc.clone();
                want.as_object_mut().unwrap().remove("ResponseMetadata");
                if back == want {
                    read_back += 1;
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors differ:\n{}",
        failures.len(),
        vectors.len(),
        failures
            .iter()
            .take(6)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
    assert!(read_back > 300, "only {read_back} outputs read back equal");
}
