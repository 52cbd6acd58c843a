//! Rule-set loading and evaluation on small hand-written rule sets; the
//! library functions on their own are tested in `stdlib`, and botocore's
//! whole endpoint test suite runs in `tests/endpoint_rules.rs`.

use std::collections::HashMap;

use serde_json::{json, Value as Json};

use super::*;

fn partitions() -> Partitions {
    Partitions::from_json(&json!({
        "partitions": [
            {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
             "regions": {"aws-global": {"description": "global"}},
             "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com",
                         "dualStackDnsSuffix": "api.aws", "supportsFIPS": true,
                         "supportsDualStack": true, "implicitGlobalRegion": "us-east-1"}},
            {"id": "aws-cn", "regionRegex": "^cn\\-\\w+\\-\\d+$",
             "regions": {"aws-cn-global": {"description": "global"}},
             "outputs": {"name": "aws-cn", "dnsSuffix": "amazonaws.com.cn",
                         "dualStackDnsSuffix": "api.amazonwebservices.com.cn",
                         "supportsFIPS": false, "supportsDualStack": true,
                         "implicitGlobalRegion": "cn-northwest-1"}}
        ]
    }))
    .unwrap()
}

fn params(pairs: &[(&str, ParamValue)]) -> HashMap<String, ParamValue> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn standard_params() -> Json {
    json!({
        "Region": {"type": "String", "builtIn": "AWS::Region", "required": false},
        "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true,
                    "default": false},
        "Bucket": {"type": "string"},
        "Tags": {"type": "stringArray"}
    })
}

/// Whether `cond` holds for `p`: the rule set yields `https://yes` when it
/// does and `https://no` otherwise.
fn holds(cond: Json, p: &[(&str, ParamValue)]) -> Result<bool, EndpointError> {
    let rs = RuleSet::from_json(&json!({
        "version": "1.0",
        "parameters": standard_params(),
        "rules": [
            {"type": "endpoint", "conditions": [cond], "endpoint": {"url": "https://yes"}},
            {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://no"}}
        ]
    }))
    .unwrap();
    let ep = resolve(&rs, &partitions(), &params(p))?;
    Ok(ep.url == "https://yes")
}

fn f(name: &str, argv: Json) -> Json {
    json!({"fn": name, "argv": argv})
}

fn s(v: &str) -> ParamValue {
    ParamValue::from(v)
}

#[test]
fn parameters_are_described() {
    let rs = RuleSet::from_json(&json!({"parameters": standard_params(), "rules": []})).unwrap();
    let names: Vec<&str> = rs.parameters().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Region", "UseFIPS", "Bucket", "Tags"]);
    let fips = rs.parameter("UseFIPS").unwrap();
    assert_eq!(fips.kind, ParamType::Boolean);
    assert_eq!(fips.built_in.as_deref(), Some("AWS::UseFIPS"));
    assert_eq!(fips.default, Some(ParamValue::Bool(false)));
    assert!(fips.required);
    assert_eq!(rs.parameter("Tags").unwrap().kind, ParamType::StringArray);
    assert!(!rs.parameter("Region").unwrap().required);
    assert!(rs.parameter("Nope").is_none());
}

#[test]
fn defaults_required_and_types() {
    let rs = RuleSet::from_json(&json!({
        "parameters": {
            "Region": {"type": "string", "required": true},
            "UseFIPS": {"type": "boolean", "required": true, "default": false}
        },
        "rules": [{"type": "endpoint", "conditions": [
            f("booleanEquals", json!([{"ref": "UseFIPS"}, false]))
        ], "endpoint": {"url": "https://{Region}.example"}}]
    }))
    .unwrap();
    let p = partitions();
    let ep = resolve(&rs, &p, &params(&[("Region", s("r1"))])).unwrap();
    assert_eq!(ep.url, "https://r1.example", "UseFIPS took its default");
    assert_eq!(
        resolve(&rs, &p, &HashMap::new()),
        Err(EndpointError::MissingParameter("Region".into()))
    );
    let e = resolve(&rs, &p, &params(&[("Region", ParamValue::Bool(true))])).unwrap_err();
    assert_eq!(
        e,
        EndpointError::ParameterType {
            name: "Region".into(),
            expected: ParamType::String,
            got: ParamType::Boolean
        }
    );
    assert_eq!(
        e.to_string(),
        "endpoint parameter `Region` must be a string, not a boolean"
    );
    // Undeclared parameters are ignored.
    let ep = resolve(&rs, &p, &params(&[("Region", s("r2")), ("Other", s("x"))])).unwrap();
    assert_eq!(ep.url, "https://r2.example");
    // No rule matches with UseFIPS on.
    let e = resolve(
        &rs,
        &p,
        &params(&[("Region", s("r1")), ("UseFIPS", ParamValue::Bool(true))]),
    )
    .unwrap_err();
    assert!(
        matches!(e, EndpointError::NoMatch(ref m) if m.contains("Region=\"r1\"")),
        "{e}"
    );
}

#[test]
fn error_rules_template_their_message() {
    let rs = RuleSet::from_json(&json!({
        "parameters": standard_params(),
        "rules": [
            {"type": "error", "conditions": [
                f("isSet", json!([{"ref": "Region"}])),
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}
             ], "error": "Region {Region} is in {P#name}; braces {{kept}}"},
            {"type": "error", "conditions": [], "error": {"ref": "Bucket"}}
        ]
    }))
    .unwrap();
    let e = resolve(&rs, &partitions(), &params(&[("Region", s("cn-north-1"))])).unwrap_err();
    assert_eq!(
        e,
        EndpointError::Rule("Region cn-north-1 is in aws-cn; braces {kept}".into())
    );
    assert_eq!(
        e.to_string(),
        "Region cn-north-1 is in aws-cn; braces {kept}"
    );
    let e = resolve(&rs, &partitions(), &params(&[("Bucket", s("msg"))])).unwrap_err();
    assert_eq!(e, EndpointError::Rule("msg".into()));
    // An unset message is an evaluation error, not a panic.
    let e = resolve(&rs, &partitions(), &HashMap::new()).unwrap_err();
    assert!(matches!(e, EndpointError::Evaluation(_)), "{e}");
}

#[test]
fn trees_assignments_and_fallthrough() {
    let rs = RuleSet::from_json(&json!({
        "parameters": standard_params(),
        "rules": [
            {"type": "tree", "conditions": [
                f("isSet", json!([{"ref": "Region"}])),
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}
             ], "rules": [
                // Reuses nothing; a tree none of whose children match falls
                // through to the next rule.
                {"type": "tree", "conditions": [
                    f("stringEquals", json!([{"ref": "Region"}, "eu-west-1"]))
                 ], "rules": [
                    {"type": "endpoint", "conditions": [
                        f("booleanEquals", json!([{"ref": "UseFIPS"}, true]))
                     ], "endpoint": {"url": "https://fips.{Region}.{P#dnsSuffix}"}}
                 ]},
                {"type": "endpoint", "conditions": [
                    {"fn": "getAttr", "argv": [{"ref": "P"}, "dualStackDnsSuffix"],
                     "assign": "D"}
                 ], "endpoint": {"url": "https://svc.{Region}.{D}"}}
             ]},
            // A sibling may assign the same name again.
            {"type": "endpoint", "conditions": [
                {"fn": "aws.partition", "argv": ["aws-cn-global"], "assign": "P"}
             ], "endpoint": {"url": "https://global.{P#dnsSuffix}"}}
        ]
    }))
    .unwrap();
    let p = partitions();
    let url = |ps: &[(&str, ParamValue)]| resolve(&rs, &p, &params(ps)).unwrap().url;
    assert_eq!(
        url(&[("Region", s("eu-west-1"))]),
        "https://svc.eu-west-1.api.aws"
    );
    assert_eq!(
        url(&[
            ("Region", s("eu-west-1")),
            ("UseFIPS", ParamValue::Bool(true))
        ]),
        "https://fips.eu-west-1.amazonaws.com"
    );
    assert_eq!(
        url(&[("Region", s("cn-north-1"))]),
        "https://svc.cn-north-1.api.amazonwebservices.com.cn"
    );
    assert_eq!(url(&[]), "https://global.amazonaws.com.cn");
}

#[test]
fn headers_and_properties_are_templated_recursively() {
    let rs = RuleSet::from_json(&json!({
        "parameters": standard_params(),
        "rules": [{"type": "endpoint", "conditions": [
            {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}
        ], "endpoint": {
            "url": {"ref": "Bucket"},
            "headers": {"x-region": ["{Region}", "literal"], "x-b": [{"ref": "Bucket"}]},
            "properties": {
                "authSchemes": [{"name": "sigv4", "signingName": "s3",
                                 "signingRegion": "{Region}", "disableDoubleEncoding": true,
                                 "signingRegionSet": ["*"]}],
                "nested": {"deep": ["{P#name}", 3, null, {"k": "{P#implicitGlobalRegion}"}]},
                "json": "{\"not\": \"a template\"}"
            }
        }}]
    }))
    .unwrap();
    let ep = resolve(
        &rs,
        &partitions(),
        &params(&[
            ("Region", s("us-west-2")),
            ("Bucket", s("https://b.example")),
        ]),
    )
    .unwrap();
    assert_eq!(ep.url, "https://b.example");
    assert_eq!(ep.headers["x-region"], ["us-west-2", "literal"]);
    assert_eq!(ep.headers["x-b"], ["https://b.example"]);
    assert_eq!(
        Json::Object(ep.properties),
        json!({
            "authSchemes": [{"name": "sigv4", "signingName": "s3",
                             "signingRegion": "us-west-2", "disableDoubleEncoding": true,
                             "signingRegionSet": ["*"]}],
            "nested": {"deep": ["aws", 3, null, {"k": "us-east-1"}]},
            "json": "{\"not\": \"a template\"}"
        })
    );
}

#[test]
fn is_set_and_not() {
    let c = f("isSet", json!([{"ref": "Bucket"}]));
    assert!(holds(c.clone(), &[("Bucket", s("b"))]).unwrap());
    assert!(!holds(c.clone(), &[]).unwrap());
    let n = f("not", json!([c]));
    assert!(holds(n.clone(), &[]).unwrap());
    assert!(!holds(n, &[("Bucket", s("b"))]).unwrap());
    // isSet on a stringArray parameter.
    let t = f("isSet", json!([{"ref": "Tags"}]));
    assert!(holds(t, &[("Tags", ParamValue::StringArray(vec!["a".into()]))]).unwrap());
}

#[test]
fn boolean_and_string_equals() {
    let b = f("booleanEquals", json!([{"ref": "UseFIPS"}, true]));
    assert!(holds(b.clone(), &[("UseFIPS", ParamValue::Bool(true))]).unwrap());
    assert!(!holds(b, &[]).unwrap());
    let st = f("stringEquals", json!([{"ref": "Region"}, "us-east-1"]));
    assert!(holds(st.clone(), &[("Region", s("us-east-1"))]).unwrap());
    assert!(!holds(st.clone(), &[("Region", s("us-east-2"))]).unwrap());
    // Wrong or unset types are errors with a clear message, as in botocore.
    let e = holds(st, &[]).unwrap_err();
    assert!(
        e.to_string().contains("stringEquals needs two strings"),
        "{e}"
    );
    let e = holds(
        f("booleanEquals", json!([{"ref": "Region"}, true])),
        &[("Region", s("x"))],
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("booleanEquals needs two booleans"),
        "{e}"
    );
}

#[test]
fn get_attr_paths() {
    let arn = "arn:aws:s3:us-west-2:123456789012:accesspoint:my-ap";
    let attr = |path: &str, want: &str| {
        f(
            "stringEquals",
            json!([
                f(
                    "getAttr",
                    json!([f("aws.parseArn", json!([{"ref": "Bucket"}])), path])
                ),
                want
            ]),
        )
    };
    assert!(holds(attr("resourceId[1]", "my-ap"), &[("Bucket", s(arn))]).unwrap());
    assert!(holds(attr("resourceId[0]", "accesspoint"), &[("Bucket", s(arn))]).unwrap());
    assert!(holds(attr("accountId", "123456789012"), &[("Bucket", s(arn))]).unwrap());
    assert!(!holds(attr("region", "us-east-1"), &[("Bucket", s(arn))]).unwrap());
    // Out of range and missing keys are unset, so the condition fails.
    let set = |path: &str| {
        f(
            "isSet",
            json!([f(
                "getAttr",
                json!([f("aws.parseArn", json!([{"ref": "Bucket"}])), path])
            )]),
        )
    };
    assert!(holds(set("resourceId[1]"), &[("Bucket", s(arn))]).unwrap());
    assert!(!holds(set("resourceId[2]"), &[("Bucket", s(arn))]).unwrap());
    assert!(!holds(set("nope"), &[("Bucket", s(arn))]).unwrap());
    assert!(!holds(set("region.deeper"), &[("Bucket", s(arn))]).unwrap());
    assert!(!holds(set("accountId"), &[("Bucket", s("not-an-arn"))]).unwrap());
}

#[test]
fn substring_and_uri_encode() {
    let sub = |start: i64, stop: i64, rev: bool, want: &str| {
        f(
            "stringEquals",
            json!([
                f("substring", json!([{"ref": "Bucket"}, start, stop, rev])),
                want
            ]),
        )
    };
    let b = [("Bucket", s("bucket--x-s3"))];
    assert!(holds(sub(0, 6, false, "bucket"), &b).unwrap());
    assert!(holds(sub(0, 5, true, "-x-s3"), &b).unwrap());
    assert!(!holds(sub(0, 6, false, "bucke"), &b).unwrap());
    // Out of range: unset, so the comparison's condition is an error; guard
    // with isSet as the rule sets do.
    let guarded = f(
        "isSet",
        json!([f("substring", json!([{"ref": "Bucket"}, 0, 99, false]))]),
    );
    assert!(!holds(guarded, &b).unwrap());
    let enc = f(
        "stringEquals",
        json!([f("uriEncode", json!([{"ref": "Bucket"}])), "a%2Fb%20c"]),
    );
    assert!(holds(enc.clone(), &[("Bucket", s("a/b c"))]).unwrap());
    assert!(!holds(enc, &[("Bucket", s("a/b"))]).unwrap());
}

#[test]
fn parse_url_fields() {
    let field = |name: &str, want: Json| {
        let get = f(
            "getAttr",
            json!([f("parseURL", json!([{"ref": "Bucket"}])), name]),
        );
        if want.is_boolean() {
            f("booleanEquals", json!([get, want]))
        } else {
            f("stringEquals", json!([get, want]))
        }
    };
    let u = [("Bucket", s("https://example.com:8443/a/b"))];
    assert!(holds(field("scheme", json!("https")), &u).unwrap());
    assert!(holds(field("authority", json!("example.com:8443")), &u).unwrap());
    assert!(holds(field("path", json!("/a/b")), &u).unwrap());
    assert!(holds(field("normalizedPath", json!("/a/b/")), &u).unwrap());
    assert!(holds(field("isIp", json!(false)), &u).unwrap());
    assert!(holds(
        field("isIp", json!(true)),
        &[("Bucket", s("http://10.0.0.1"))]
    )
    .unwrap());
    let parsed = f("isSet", json!([f("parseURL", json!([{"ref": "Bucket"}]))]));
    assert!(!holds(parsed.clone(), &[("Bucket", s("https://e.com?q=1"))]).unwrap());
    assert!(!holds(parsed, &[("Bucket", s("ftp://e.com"))]).unwrap());
}

#[test]
fn host_label_and_bucket_checks() {
    let label = |sub: bool| f("isValidHostLabel", json!([{"ref": "Bucket"}, sub]));
    assert!(holds(label(false), &[("Bucket", s("abc-1"))]).unwrap());
    assert!(!holds(label(false), &[("Bucket", s("a.b"))]).unwrap());
    assert!(holds(label(true), &[("Bucket", s("a.b"))]).unwrap());
    assert!(!holds(label(true), &[]).unwrap(), "unset is not a label");
    let vh = |sub: bool| {
        f(
            "aws.isVirtualHostableS3Bucket",
            json!([{"ref": "Bucket"}, sub]),
        )
    };
    assert!(holds(vh(false), &[("Bucket", s("my-bucket"))]).unwrap());
    assert!(!holds(vh(false), &[("Bucket", s("My-Bucket"))]).unwrap());
    assert!(!holds(vh(false), &[("Bucket", s("my.bucket"))]).unwrap());
    assert!(holds(vh(true), &[("Bucket", s("my.bucket"))]).unwrap());
    assert!(!holds(vh(true), &[("Bucket", s("1.2.3.4"))]).unwrap());
    let e = holds(
        f("isValidHostLabel", json!([{"ref": "Bucket"}, "yes"])),
        &[],
    )
    .unwrap_err();
    assert!(matches!(e, EndpointError::Evaluation(_)), "{e}");
}

#[test]
fn partition_outputs() {
    let out = |field: &str, want: Json| {
        let get = f(
            "getAttr",
            json!([f("aws.partition", json!([{"ref": "Region"}])), field]),
        );
        if want.is_boolean() {
            f("booleanEquals", json!([get, want]))
        } else {
            f("stringEquals", json!([get, want]))
        }
    };
    let cn = [("Region", s("cn-north-1"))];
    assert!(holds(out("name", json!("aws-cn")), &cn).unwrap());
    assert!(holds(out("dnsSuffix", json!("amazonaws.com.cn")), &cn).unwrap());
    assert!(holds(
        out("dualStackDnsSuffix", json!("api.amazonwebservices.com.cn")),
        &cn
    )
    .unwrap());
    assert!(holds(out("supportsFIPS", json!(false)), &cn).unwrap());
    assert!(holds(out("supportsDualStack", json!(true)), &cn).unwrap());
    assert!(holds(out("implicitGlobalRegion", json!("cn-northwest-1")), &cn).unwrap());
    // Explicit regions, regex matches and the fallback.
    assert!(holds(
        out("name", json!("aws-cn")),
        &[("Region", s("aws-cn-global"))]
    )
    .unwrap());
    assert!(holds(out("name", json!("aws")), &[("Region", s("aws-global"))]).unwrap());
    assert!(holds(out("name", json!("aws")), &[("Region", s("mars-1"))]).unwrap());
    assert!(!holds(out("name", json!("aws-cn")), &[("Region", s("us-east-1"))]).unwrap());
}

#[test]
fn parse_arn_and_virtual_host_in_rules() {
    let arn = f(
        "isSet",
        json!([f("aws.parseArn", json!([{"ref": "Bucket"}]))]),
    );
    assert!(holds(arn.clone(), &[("Bucket", s("arn:aws:s3:::b"))]).unwrap());
    assert!(!holds(arn.clone(), &[("Bucket", s("arn:aws:s3"))]).unwrap());
    assert!(!holds(arn, &[]).unwrap());
}

fn load_err(doc: Json) -> String {
    match RuleSet::from_json(&doc) {
        Err(e @ EndpointError::InvalidRuleSet(_)) => e.to_string(),
        Err(e) => panic!("wrong error kind: {e}"),
        Ok(_) => panic!("loaded: {doc}"),
    }
}

fn one_rule(rule: Json) -> Json {
    json!({"parameters": standard_params(), "rules": [rule]})
}

#[test]
fn bad_rule_sets_are_clear_errors() {
    let ep = |conds: Json| json!({"type": "endpoint", "conditions": conds, "endpoint": {"url": "https://x"}});
    let cases: Vec<(Json, &str)> = vec![
        (json!([]), "must be a JSON object"),
        (json!({"parameters": {}}), "has no `rules`"),
        (json!({"rules": {}}), "rules: must be an array"),
        (
            json!({"parameters": [], "rules": []}),
            "parameters: must be an object",
        ),
        (
            json!({"parameters": {"A": {"type": "int"}}, "rules": []}),
            "parameters.A: unknown type `int`",
        ),
        (
            json!({"parameters": {"A": {}}, "rules": []}),
            "has no string `type`",
        ),
        (
            json!({"parameters": {"A": {"type": "string", "default": true}}, "rules": []}),
            "`default` must be a string",
        ),
        (
            json!({"parameters": {"A": {"type": "string", "required": "yes"}}, "rules": []}),
            "`required` must be a boolean",
        ),
        (
            one_rule(json!("rule")),
            "rules[0]: a rule must be an object",
        ),
        (one_rule(json!({"conditions": []})), "needs a string `type`"),
        (
            one_rule(json!({"type": "magic", "conditions": []})),
            "unknown rule type `magic`",
        ),
        (
            one_rule(json!({"type": "endpoint", "conditions": []})),
            "needs `endpoint`",
        ),
        (
            one_rule(json!({"type": "error", "conditions": []})),
            "needs `error`",
        ),
        (
            one_rule(json!({"type": "tree", "conditions": []})),
            "needs a `rules` array",
        ),
        (
            one_rule(json!({"type": "endpoint", "conditions": [], "endpoint": {}})),
            "has no `url`",
        ),
        (
            one_rule(json!({"type": "endpoint", "conditions": [],
                            "endpoint": {"url": "x", "headers": {"h": "v"}}})),
            "headers.h: must be an array",
        ),
        (one_rule(ep(json!({}))), "`conditions` must be an array"),
        (
            one_rule(ep(json!(["x"]))),
            "conditions[0]: a condition must be a function call",
        ),
        (one_rule(ep(json!([{"argv": []}]))), "needs a string `fn`"),
        (
            one_rule(ep(json!([{"fn": "isSet"}]))),
            "needs an `argv` array",
        ),
        (
            one_rule(ep(json!([f("aws.magic", json!([]))]))),
            "rules[0].conditions[0]: unknown function `aws.magic`",
        ),
        (
            one_rule(ep(json!([f("isSet", json!([]))]))),
            "`isSet` takes 1 argument(s), 0 given",
        ),
        (
            one_rule(ep(json!([f("isSet", json!([{"ref": "Nope"}]))]))),
            "reference to `Nope`",
        ),
        (
            one_rule(ep(json!([f("isSet", json!([{"ref": 3}]))]))),
            "`ref` must be a string",
        ),
        (
            one_rule(ep(json!([f("isSet", json!([{"x": 1}]))]))),
            "must be a function call (`fn`) or a reference (`ref`)",
        ),
        (
            one_rule(ep(json!([f("isSet", json!([null]))]))),
            "null is not a value",
        ),
        (
            one_rule(ep(json!([f("isSet", json!([1.5]))]))),
            "numbers must be integers",
        ),
        (
            one_rule(ep(json!([f(
                "getAttr",
                json!([{"ref": "Region"}, {"ref": "Region"}])
            )]))),
            "the path of `getAttr` must be a literal string",
        ),
        (
            one_rule(ep(json!([f(
                "getAttr",
                json!([{"ref": "Region"}, "a[x]"])
            )]))),
            "bad index in path",
        ),
        (
            one_rule(ep(json!([f(
                "getAttr",
                json!([{"ref": "Region"}, "a..b"])
            )]))),
            "empty name in path",
        ),
        (
            one_rule(ep(json!([f(
                "substring",
                json!([{"ref": "Region"}, {"ref": "Region"}, 1, false])
            )]))),
            "`substring` takes a string, two non-negative integer literals",
        ),
        (
            one_rule(ep(json!([f(
                "substring",
                json!([{"ref": "Region"}, -1, 1, false])
            )]))),
            "`substring` takes a string",
        ),
        (
            one_rule(ep(
                json!([{"fn": "isSet", "argv": [{"ref": "Region"}], "assign": "Region"}]),
            )),
            "`Region` is already defined here",
        ),
        (
            one_rule(ep(json!([
                {"fn": "isSet", "argv": [{"ref": "Region"}], "assign": "A"},
                {"fn": "isSet", "argv": [{"ref": "Region"}], "assign": "A"}
            ]))),
            "`A` is already defined here",
        ),
        (
            one_rule(ep(json!([f(
                "not",
                json!([
                    {"fn": "isSet", "argv": [{"ref": "Region"}], "assign": "A"}
                ])
            )]))),
            "`assign` is only allowed on a rule's conditions",
        ),
        (
            one_rule(json!({"type": "endpoint", "conditions": [],
                            "endpoint": {"url": "https://{Region}}"}})),
            "single `}`",
        ),
        (
            one_rule(json!({"type": "endpoint", "conditions": [],
                            "endpoint": {"url": "https://{Nope}"}})),
            "reference to `Nope`",
        ),
        (
            one_rule(json!({"type": "endpoint", "conditions": [],
                            "endpoint": {"url": "https://{Region#}"}})),
            "path cannot be empty",
        ),
        // An assignment is out of scope in the next rule.
        (
            json!({"parameters": standard_params(), "rules": [
                {"type": "endpoint", "conditions": [
                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}
                 ], "endpoint": {"url": "https://a"}},
                {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{P#name}"}}
            ]}),
            "rules[1].endpoint.url: reference to `P`",
        ),
    ];
    for (doc, want) in cases {
        let e = load_err(doc.clone());
        assert!(e.starts_with("invalid endpoint rule set: "), "{e}");
        assert!(e.contains(want), "{e:?} lacks {want:?} for {doc}");
    }
}

#[test]
fn unclosed_template_braces_are_literal_or_errors() {
    // `{Region` is no template (botocore's test needs a closing brace), so it
    // stays literal.
    let rs = RuleSet::from_json(&one_rule(json!({"type": "endpoint", "conditions": [],
        "endpoint": {"url": "https://{Region"}})));
    assert!(rs.is_ok());
    // A template with a stray brace after a variable is an error.
    let e = load_err(one_rule(json!({"type": "endpoint", "conditions": [],
        "endpoint": {"url": "https://{Region}/{x"}})));
    assert!(e.contains("unclosed `{`"), "{e}");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let mut rule = json!({"type": "endpoint", "conditions": [], "endpoint": {"url": "https://x"}});
    for _ in 0..400 {
        rule = json!({"type": "tree", "conditions": [], "rules": [rule]});
    }
    let e = load_err(one_rule(rule));
    assert!(e.contains("nested too deeply"), "{e}");
    let mut call = json!({"ref": "Region"});
    for _ in 0..400 {
        call = f("not", json!([call]));
    }
    let e = load_err(one_rule(json!({"type": "endpoint", "conditions": [call],
        "endpoint": {"url": "https://x"}})));
    assert!(e.contains("nested too deeply"), "{e}");
}

#[test]
fn param_values_from_json() {
    assert_eq!(ParamValue::from_json(&json!("a")), Some(s("a")));
    assert_eq!(
        ParamValue::from_json(&json!(true)),
        Some(ParamValue::Bool(true))
    );
    assert_eq!(
        ParamValue::from_json(&json!(["a", "b"])),
        Some(ParamValue::StringArray(vec!["a".into(), "b".into()]))
    );
    assert_eq!(ParamValue::from_json(&json!(["a", 1])), None);
    assert_eq!(ParamValue::from_json(&json!(1)), None);
    assert_eq!(ParamValue::from_json(&json!(null)), None);
}

#[test]
fn builtins_bind_to_their_parameters() {
    let rs = RuleSet::from_json(&json!({"parameters": standard_params(), "rules": []})).unwrap();
    let p = rs.bind_builtins([
        ("AWS::Region", s("eu-west-1")),
        ("AWS::UseFIPS", ParamValue::Bool(true)),
        ("AWS::UseDualStack", ParamValue::Bool(true)),
    ]);
    assert_eq!(
        p,
        params(&[
            ("Region", s("eu-west-1")),
            ("UseFIPS", ParamValue::Bool(true))
        ])
    );
}

#[test]
fn auth_schemes_are_typed() {
    let mut ep = Endpoint::default();
    assert!(ep.auth_schemes().is_empty());
    ep.properties.insert(
        "authSchemes".into(),
        json!([
            {"name": "sigv4a", "signingName": "s3", "signingRegionSet": ["*"],
             "disableDoubleEncoding": true},
            {"name": "sigv4", "signingRegion": "us-east-1"},
            {"signingName": "no-name"},
            "junk"
        ]),
    );
    assert_eq!(
        ep.auth_schemes(),
        vec![
            AuthScheme {
                name: "sigv4a".into(),
                signing_name: Some("s3".into()),
                signing_region: None,
                signing_region_set: vec!["*".into()],
                disable_double_encoding: true,
            },
            AuthScheme {
                name: "sigv4".into(),
                signing_region: Some("us-east-1".into()),
                ..AuthScheme::default()
            },
        ]
    );
}

#[test]
fn loaded_data_is_shareable_across_threads() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<RuleSet>();
    shareable::<Partitions>();
    shareable::<Endpoint>();
    shareable::<EndpointError>();
}
