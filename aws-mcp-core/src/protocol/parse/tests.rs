//! Tests: every output case of botocore's protocol test suites, then
//! hand-written responses against the real embedded catalog.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::*;
use crate::catalog::{Catalog, Name, ServiceMetadata, Shape};
use crate::protocol::{ApiError, HttpResponse, Protocol, ProtocolError, ServiceModel};

// ---------------------------------------------------------------------------
// botocore's protocol test suites
// ---------------------------------------------------------------------------

/// Deep equality with numbers compared numerically and objects compared as
/// maps (Python dict equality).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-6 * x.abs().max(1.0)
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        _ => a == b,
    }
}

/// Cases botocore's own runner skips (`protocol-tests-ignore-list.json`),
/// as (protocol file, suite description, case id).
fn botocore_ignored(src: &std::path::Path) -> Vec<(String, String, String)> {
    let p = src.join("tests/unit/protocols/protocol-tests-ignore-list.json");
    let v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    let mut out = Vec::new();
    let general = &v["general"]["output"];
    for s in general["suites"].as_array().into_iter().flatten() {
        out.push(("*".into(), s.as_str().unwrap().into(), "*".into()));
    }
    for (proto, t) in v["protocols"].as_object().unwrap() {
        for c in t["output"]["cases"].as_array().into_iter().flatten() {
            out.push((proto.clone(), "*".into(), c.as_str().unwrap().into()));
        }
        for s in t["output"]["suites"].as_array().into_iter().flatten() {
            out.push((proto.clone(), s.as_str().unwrap().into(), "*".into()));
        }
    }
    out
}

/// Our own skips: (file, case id, reason).
const SKIPS: &[(&str, &str, &str)] = &[];

#[derive(Default, Debug)]
struct Tally {
    passed: usize,
    failed: Vec<String>,
    skipped: Vec<String>,
}

fn run_suite_file(file: &str) -> Tally {
    let src = crate::testutil::botocore_src();
    let ignored = botocore_ignored(&src);
    let proto_key = file.trim_end_matches(".json");
    let path = src.join("tests/unit/protocols/output").join(file);
    let suites: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let mut tally = Tally::default();
    for suite in suites.as_array().unwrap() {
        let desc = suite["description"].as_str().unwrap_or_default();
        let metadata: ServiceMetadata = serde_json::from_value(suite["metadata"].clone()).unwrap();
        let shapes: HashMap<Name, Shape> = serde_json::from_value(suite["shapes"].clone()).unwrap();
        let protocol = Protocol::from_name(metadata.protocol.as_deref().unwrap()).unwrap();
        let svc = ServiceModel {
            metadata: &metadata,
            shapes: &shapes,
            protocol,
        };
        for case in suite["cases"].as_array().unwrap() {
            let id = case["id"].as_str().unwrap_or_default().to_string();
            let label = format!("{file} {id} ({desc})");
            if ignored.iter().any(|(p, s, c)| {
                (p == "*" || p == proto_key) && (s == "*" || s == desc) && (c == "*" || *c == id)
            }) {
                tally
                    .skipped
                    .push(format!("{label}: skipped by botocore's own runner"));
                continue;
            }
            if let Some((_, _, why)) = SKIPS.iter().find(|(f, c, _)| *f == file && *c == id) {
                tally.skipped.push(format!("{label}: {why}"));
                continue;
            }
            match run_case(&svc, case) {
                Ok(()) => tally.passed += 1,
                Err(e) => tally.failed.push(format!("{label}: {e}")),
            }
        }
    }
    tally
}

fn run_case(svc: &ServiceModel<'_>, case: &Value) -> Result<(), String> {
    let given = &case["given"];
    let name = given["name"].as_str().unwrap_or("OperationName");
    let mut op: OperationModel =
        serde_json::from_value(given.clone()).map_err(|e| e.to_string())?;
    let is_error = case.get("error").is_some();
    if !is_error && svc.protocol == Protocol::Query {
        if let Some(out) = &mut op.output {
            if !svc.shape(&out.shape).unwrap().members.is_empty() {
                out.result_wrapper = Some(format!("{name}Result").into());
            }
        }
    }
    let r = &case["response"];
    let status = r["status_code"].as_u64().unwrap() as u16;
    let headers: Vec<(String, String)> = r["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let body = match r["body"].as_str() {
        Some(b) => b.to_string(),
        None if svc.protocol == Protocol::Query => "<xml/>".into(),
        None => String::new(),
    };
    let resp = HttpResponse {
        status,
        headers: &headers,
        body: body.as_bytes(),
    };
    let got = parse_response(svc, name, &op, &resp, &ParseOptions::BOTOCORE)
        .map_err(|e| format!("ProtocolError: {e}"))?;
    if is_error {
        let err = match got {
            Err(e) => e,
            Ok(v) => return Err(format!("expected an error, got {v}")),
        };
        let want_code = case["errorCode"].as_str().unwrap_or_default();
        let want_msg = case["errorMessage"].as_str().unwrap_or_default();
        if err.code != want_code || err.message != want_msg {
            return Err(format!(
                "got error ({}, {:?}), want ({want_code}, {want_msg:?})",
                err.code, err.message
            ));
        }
        let details = parse_error_details(svc, &op, &resp, &err, &ParseOptions::BOTOCORE)
            .map_err(|e| format!("error details: ProtocolError: {e}"))?
            .unwrap_or_else(|| json!({}));
        let want = &case["error"];
        return if same(&details, want) {
            Ok(())
        } else {
            Err(format!("error details {details}\n  want {want}"))
        };
    }
    let want = &case["result"];
    match got {
        Ok(v) if same(&v, want) => Ok(()),
        Ok(v) => Err(format!("got {v}\n  want {want}")),
        Err(e) => Err(format!("got error {e:?}")),
    }
}

fn check_suite(file: &str, floor: usize) {
    let t = run_suite_file(file);
    eprintln!(
        "{file}: {} passed, {} failed, {} skipped",
        t.passed,
        t.failed.len(),
        t.skipped.len()
    );
    for s in &t.skipped {
        eprintln!("  skipped {s}");
    }
    for f in &t.failed {
        eprintln!("  FAILED {f}");
    }
    assert!(
        t.failed.is_empty(),
        "{file}: {} cases failed",
        t.failed.len()
    );
    assert!(
        t.passed >= floor,
        "{file}: only {} cases passed, want {floor}",
        t.passed
    );
}

#[test]
fn botocore_query() {
    check_suite("query.json", 0);
}

#[test]
fn botocore_ec2() {
    check_suite("ec2.json", 0);
}

#[test]
fn botocore_json() {
    check_suite("json.json", 0);
}

#[test]
fn botocore_json_1_0() {
    check_suite("json_1_0.json", 0);
}

#[test]
fn botocore_json_1_0_query_compatible() {
    check_suite("json_1_0-query-compatible.json", 0);
}

#[test]
fn botocore_rest_json() {
    check_suite("rest-json.json", 0);
}

#[test]
fn botocore_rest_xml() {
    check_suite("rest-xml.json", 0);
}
