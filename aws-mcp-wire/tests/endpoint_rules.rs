//! botocore's own endpoint tests (`tests/functional/endpoint-rules/*/
//! endpoint-tests-1.json` in the botocore 1.44.8 source distribution), every
//! case of every service, against the service's rule set and
//! `partitions.json` from botocore's data.
//!
//! Each case gives the endpoint parameters and either the endpoint (URL,
//! headers, properties, all compared) or an error message (compared
//! exactly), as botocore's `test_endpoint_rulesets.py` does.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use aws_mcp_wire::endpoint::{resolve, EndpointError, ParamValue, Partitions, RuleSet};
use serde_json::Value;

#[path = "../../aws-mcp-core/tests/common/mod.rs"]
mod common;
use common::Rng;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate lives in the workspace")
        .to_path_buf()
}

fn botocore_src() -> PathBuf {
    let dir = std::env::var_os("AWS_MCP_BOTOCORE_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".venv/sdist/botocore-1.44.8"));
    assert!(
        dir.join("tests/functional/endpoint-rules").is_dir(),
        "botocore 1.44.8 source distribution not found at {} (set AWS_MCP_BOTOCORE_SRC, or run \
         tools/testdata/fetch-botocore-src.sh)",
        dir.display()
    );
    dir
}

fn botocore_data() -> PathBuf {
    let dir = std::env::var_os("AWS_MCP_BOTOCORE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".venv/botocore-data-1.44.8/botocore/data"));
    assert!(
        dir.join("partitions.json").is_file(),
        "botocore 1.44.8 data not found at {} (set AWS_MCP_BOTOCORE_DATA, or run \
         tools/testdata/fetch-botocore-src.sh)",
        dir.display()
    );
    dir
}

/// Read a JSON file, or its `.gz` twin.
fn read_json(path: &Path) -> Option<Value> {
    if let Ok(text) = std::fs::read(path) {
        return Some(serde_json::from_slice(&text).expect("botocore's JSON parses"));
    }
    let gz = PathBuf::from(format!("{}.gz", path.display()));
    let bytes = std::fs::read(gz).ok()?;
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_end(&mut text)
        .expect("botocore's .json.gz decompresses");
    Some(serde_json::from_slice(&text).expect("botocore's JSON parses"))
}

/// The rule set of the newest API version of `service` that has one.
fn rule_set_json(data: &Path, service: &str) -> Option<Value> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir(data.join(service))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    versions.sort();
    versions
        .iter()
        .rev()
        .find_map(|v| read_json(&v.join("endpoint-rule-set-1.json")))
}

fn params_of(case: &Value) -> HashMap<String, ParamValue> {
    let mut out = HashMap::new();
    if let Some(p) = case.get("params").and_then(Value::as_object) {
        for (k, v) in p {
            if v.is_null() {
                continue;
            }
            let pv = ParamValue::from_json(v)
                .unwrap_or_else(|| panic!("unsupported parameter value {k}={v}"));
            out.insert(k.clone(), pv);
        }
    }
    out
}

/// Compare one case; `Err` describes the difference.
fn check(rules: &RuleSet, partitions: &Partitions, case: &Value) -> Result<(), String> {
    let params = params_of(case);
    let got = resolve(rules, partitions, &params);
    let expect = &case["expect"];
    if let Some(want) = expect.get("error") {
        return match got {
            Ok(ep) => Err(format!("expected error {want}, got endpoint {}", ep.url)),
            Err(e) => match want.as_str() {
                Some(msg) if e.to_string() != msg => {
                    Err(format!("expected error {msg:?}, got {:?}", e.to_string()))
                }
                _ => Ok(()),
            },
        };
    }
    let want = &expect["endpoint"];
    let ep = got.map_err(|e| format!("expected {}, got error {e}", want["url"]))?;
    if want["url"].as_str() != Some(ep.url.as_str()) {
        return Err(format!("url: expected {}, got {}", want["url"], ep.url));
    }
    let empty = serde_json::Map::new();
    let want_props = want
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    if *want_props != ep.properties {
        return Err(format!(
            "properties: expected {}, got {}",
            Value::Object(want_props.clone()),
            Value::Object(ep.properties.clone())
        ));
    }
    let want_headers: std::collections::BTreeMap<String, Vec<String>> = want
        .get("headers")
        .map(|h| serde_json::from_value(h.clone()).expect("headers are string lists"))
        .unwrap_or_default();
    if want_headers != ep.headers {
        return Err(format!(
            "headers: expected {want_headers:?}, got {:?}",
            ep.headers
        ));
    }
    Ok(())
}

/// Cases that are known to fail, by service and documentation, with why.
/// Empty: every case passes.
const EXCEPTIONS: &[(&str, &str, &str)] = &[];

#[test]
fn botocore_endpoint_tests_all_pass() {
    let src = botocore_src();
    let data = botocore_data();
    let partitions = Partitions::from_json(&read_json(&data.join("partitions.json")).unwrap())
        .expect("partitions.json loads");
    let mut services: Vec<PathBuf> = std::fs::read_dir(src.join("tests/functional/endpoint-rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    services.sort();
    let (mut cases, mut passed, mut errors, mut failures) = (0usize, 0usize, 0usize, Vec::new());
    let mut n_services = 0;
    for dir in &services {
        let service = dir.file_name().unwrap().to_str().unwrap();
        let Some(tests) = read_json(&dir.join("endpoint-tests-1.json")) else {
            continue;
        };
        let rs_json = rule_set_json(&data, service)
            .unwrap_or_else(|| panic!("no endpoint rule set for {service} in {}", data.display()));
        let rules = RuleSet::from_json(&rs_json)
            .unwrap_or_else(|e| panic!("rule set of {service} does not load: {e}"));
        n_services += 1;
        for case in tests["testCases"].as_array().unwrap() {
            cases += 1;
            if case["expect"].get("error").is_some() {
                errors += 1;
            }
            let doc = case["documentation"].as_str().unwrap_or("");
            match check(&rules, &partitions, case) {
                Ok(()) => passed += 1,
                Err(why) => {
                    if !EXCEPTIONS
                        .iter()
                        .any(|(s, d, _)| *s == service && *d == doc)
                    {
                        failures.push(format!("{service}: {doc}: {why}"));
                    }
                }
            }
        }
    }
    eprintln!(
        "endpoint rules: {passed} of {cases} cases passed over {n_services} services \
         ({errors} expect an error)"
    );
    for f in failures.iter().take(40) {
        eprintln!("FAIL {f}");
    }
    assert!(n_services >= 400, "only {n_services} services found");
    assert!(cases >= 14_000, "only {cases} cases found");
    assert!(
        failures.is_empty(),
        "{} unexpected failures (first: {})",
        failures.len(),
        failures[0]
    );
    assert_eq!(passed + EXCEPTIONS.len(), cases);
}

/// Every rule set in botocore's data loads, including those of services
/// without tests, and every parameter is described.
#[test]
fn every_botocore_rule_set_loads() {
    let data = botocore_data();
    let mut n = 0;
    for e in std::fs::read_dir(&data).unwrap() {
        let dir = e.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let service = dir.file_name().unwrap().to_str().unwrap().to_string();
        if let Some(rs) = rule_set_json(&data, &service) {
            let rules = RuleSet::from_json(&rs)
                .unwrap_or_else(|e| panic!("rule set of {service} does not load: {e}"));
            assert!(rules
                .parameters()
                .iter()
                .any(|p| p.name == "Region" || p.built_in.as_deref() == Some("SDK::Endpoint")));
            n += 1;
        }
    }
    assert!(n >= 400, "only {n} rule sets");
}

/// S3 resolutions are fast: microseconds each, measured over many calls
/// (a loose bound, so that a slow debug build on a busy machine still
/// passes, while a quadratic or copying evaluator does not).
#[test]
fn s3_resolution_is_fast() {
    let data = botocore_data();
    let partitions =
        Partitions::from_json(&read_json(&data.join("partitions.json")).unwrap()).unwrap();
    let rules = RuleSet::from_json(&rule_set_json(&data, "s3").unwrap()).unwrap();
    let params: HashMap<String, ParamValue> = [
        ("Region", ParamValue::from("us-west-2")),
        ("Bucket", ParamValue::from("my-bucket")),
        ("UseFIPS", ParamValue::from(false)),
        ("UseDualStack", ParamValue::from(false)),
        ("Accelerate", ParamValue::from(false)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let ep = resolve(&rules, &partitions, &params).unwrap();
    assert_eq!(ep.url, "https://my-bucket.s3.us-west-2.amazonaws.com");
    // ENDPOINT_BENCH_N sets the count, for a timing in a release build.
    let n: u32 = std::env::var("ENDPOINT_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(resolve(&rules, &partitions, &params).unwrap());
    }
    let per = start.elapsed() / n;
    eprintln!("s3 resolve: {per:?} per call");
    assert!(per.as_micros() < 2000, "{per:?} per S3 resolution");
    // An access point ARN takes the long path through the rule set.
    let mut arn = params.clone();
    arn.insert(
        "Bucket".into(),
        ParamValue::from("arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint"),
    );
    let ep = resolve(&rules, &partitions, &arn).unwrap();
    assert_eq!(
        ep.url,
        "https://myendpoint-123456789012.s3-accesspoint.us-west-2.amazonaws.com"
    );
    let auth = ep.auth_schemes();
    assert_eq!(auth[0].name, "sigv4");
    assert_eq!(auth[0].signing_name.as_deref(), Some("s3"));
    assert_eq!(auth[0].signing_region.as_deref(), Some("us-west-2"));
    assert!(auth[0].disable_double_encoding);
    // Built-ins bind by their `builtIn` names.
    let bound = rules.bind_builtins([
        ("AWS::Region", ParamValue::from("eu-central-1")),
        ("AWS::UseDualStack", ParamValue::from(true)),
        ("AWS::S3::ForcePathStyle", ParamValue::from(true)),
    ]);
    let mut with_bucket = bound.clone();
    with_bucket.insert("Bucket".into(), ParamValue::from("b1"));
    assert_eq!(
        resolve(&rules, &partitions, &with_bucket).unwrap().url,
        "https://s3.dualstack.eu-central-1.amazonaws.com/b1"
    );
    assert!(matches!(
        resolve(&rules, &partitions, &HashMap::new()),
        Err(EndpointError::Rule(_)) | Err(EndpointError::MissingParameter(_))
    ));
}

/// Every JSON pointer in `v`.
fn pointers(v: &Value, here: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                let p = format!("{here}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(c, p, out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                let p = format!("{here}/{i}");
                out.push(p.clone());
                pointers(c, p, out);
            }
        }
        _ => {}
    }
}

/// A random value of the parameter's type, drawn from what breaks parsers:
/// URLs with brackets, ports, queries and zones, ARNs, dots, upper case,
/// non-ASCII.
fn odd_param(rng: &mut Rng, kind: aws_mcp_wire::endpoint::ParamType) -> ParamValue {
    use aws_mcp_wire::endpoint::ParamType;
    const PIECES: &[&str] = &[
        "https://",
        "http://",
        "ftp://",
        "[",
        "]",
        "::1",
        "%25",
        "%",
        ":",
        "443",
        "99999",
        "/",
        "..",
        ".",
        "?",
        "#",
        "@",
        "arn:",
        "aws",
        "s3",
        "us-east-1",
        "cn-north-1",
        "accesspoint",
        "outpost",
        "--x-s3",
        "--op-s3",
        "-",
        "A",
        "\u{e9}",
        " ",
        "",
        "a",
        "123456789012",
        "1.2.3.4",
        "{Region}",
        "}",
        "{",
    ];
    match kind {
        ParamType::Boolean => ParamValue::Bool(rng.below(2) == 1),
        ParamType::StringArray => ParamValue::StringArray(
            (0..rng.below(3))
                .map(|_| PIECES[rng.below(PIECES.len())].to_string())
                .collect(),
        ),
        _ => ParamValue::String(
            (0..rng.below(8))
                .map(|_| PIECES[rng.below(PIECES.len())])
                .collect::<String>(),
        ),
    }
}

/// Nothing panics: not rule sets with a random node replaced by a value of
/// another shape, and not resolutions with odd parameter values. Errors are
/// fine; a panic fails the test.
#[test]
fn mutated_rule_sets_and_odd_parameters_never_panic() {
    let data = botocore_data();
    let partitions =
        Partitions::from_json(&read_json(&data.join("partitions.json")).unwrap()).unwrap();
    let replacements = [
        Value::Null,
        serde_json::json!(1),
        serde_json::json!(-1),
        serde_json::json!("x"),
        serde_json::json!("{Region}"),
        serde_json::json!("{Nope#a[9]}"),
        serde_json::json!({}),
        serde_json::json!([]),
        serde_json::json!(true),
        serde_json::json!({"ref": "Bucket"}),
        serde_json::json!({"fn": "getAttr", "argv": [{"ref": "Region"}, "a[0]"]}),
    ];
    let mut rng = Rng(0x5EED_E4D0_1234_5678);
    let (mut loaded, mut rejected, mut resolved) = (0, 0, 0);
    for service in ["s3", "s3control", "ec2", "dynamodb", "sts"] {
        let original = rule_set_json(&data, service).unwrap();
        let rules = RuleSet::from_json(&original).unwrap();
        // Odd parameters against the real rule set.
        for _ in 0..300 {
            let mut params = HashMap::new();
            for p in rules.parameters() {
                if rng.below(4) != 0 {
                    params.insert(p.name.clone(), odd_param(&mut rng, p.kind));
                }
            }
            if resolve(&rules, &partitions, &params).is_ok() {
                resolved += 1;
            }
        }
        // Mutated rule sets.
        let mut ptrs = Vec::new();
        pointers(&original, String::new(), &mut ptrs);
        for _ in 0..40 {
            let mut doc = original.clone();
            for _ in 0..1 + rng.below(3) {
                let p = &ptrs[rng.below(ptrs.len())];
                if let Some(slot) = doc.pointer_mut(p) {
                    *slot = replacements[rng.below(replacements.len())].clone();
                }
            }
            match RuleSet::from_json(&doc) {
                Err(e) => {
                    assert!(
                        e.to_string().starts_with("invalid endpoint rule set: "),
                        "{e}"
                    );
                    rejected += 1;
                }
                Ok(rs) => {
                    loaded += 1;
                    for _ in 0..20 {
                        let params: HashMap<String, ParamValue> = rs
                            .parameters()
                            .iter()
                            .map(|p| (p.name.clone(), odd_param(&mut rng, p.kind)))
                            .collect();
                        let _ = resolve(&rs, &partitions, &params);
                    }
                }
            }
        }
    }
    eprintln!(
        "mutations: {loaded} loaded, {rejected} rejected; odd parameters: {resolved} of 1500 \
         resolved to an endpoint"
    );
    assert!(rejected > 0 && loaded > 0);
}
