//! Where a request goes: endpoint overrides, then the service's endpoint rule
//! set, evaluated by the core's pure rules interpreter.
//!
//! The order is botocore's: `--endpoint-url`, then
//! `AWS_ENDPOINT_URL_<SERVICE_ID>`, then `AWS_ENDPOINT_URL`; an override is
//! passed to the rules as the `Endpoint` parameter (so S3 still chooses
//! between path-style and virtual-hosted addressing), never used raw.

use std::collections::HashMap;

use aws_mcp_core::catalog::{OperationModel, Shape};
use aws_mcp_wire::endpoint::{self, ParamValue, Partitions, RuleSet};
use serde_json::{Map, Value};

use crate::NativeError;

/// The environment an endpoint is resolved in.
#[derive(Debug, Clone, Default)]
pub struct EndpointEnv {
    /// `AWS_ENDPOINT_URL`.
    pub endpoint_url: Option<String>,
    /// `AWS_ENDPOINT_URL_<SERVICE>` values by upper-cased service id.
    pub service_urls: HashMap<String, String>,
    /// `AWS_USE_FIPS_ENDPOINT=true`.
    pub use_fips: bool,
    /// `AWS_USE_DUALSTACK_ENDPOINT=true`.
    pub use_dual_stack: bool,
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`.
    pub ignore_configured: bool,
}

impl EndpointEnv {
    /// Read the endpoint settings from an environment lookup.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>, service_ids: &[&str]) -> EndpointEnv {
        let truthy = |k: &str| get(k).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let mut service_urls = HashMap::new();
        for id in service_ids {
            let key = env_suffix(id);
            if let Some(v) = get(&format!("AWS_ENDPOINT_URL_{key}")) {
                service_urls.insert(key, v);
            }
        }
        EndpointEnv {
            endpoint_url: get("AWS_ENDPOINT_URL").filter(|v| !v.is_empty()),
            service_urls,
            use_fips: truthy("AWS_USE_FIPS_ENDPOINT"),
            use_dual_stack: truthy("AWS_USE_DUALSTACK_ENDPOINT"),
            ignore_configured: truthy("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"),
        }
    }

    /// The configured override for a service id, if any.
    pub fn configured(&self, service_id: &str) -> Option<&str> {
        if self.ignore_configured {
            return None;
        }
        self.service_urls
            .get(&env_suffix(service_id))
            .or(self.endpoint_url.as_ref())
            .map(String::as_str)
    }
}

/// `AWS_ENDPOINT_URL_<X>`'s suffix for a service id: upper case, spaces and
/// dashes to underscores (`Elastic Load Balancing v2` → `ELASTIC_LOAD_BALANCING_V2`).
pub fn env_suffix(service_id: &str) -> String {
    service_id
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// A resolved endpoint: URL, extra headers and how to sign.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Resolved {
    /// The endpoint URL (scheme, host, optional path).
    pub url: String,
    /// Headers the rules add.
    pub headers: Vec<(String, String)>,
    /// The SigV4 signing name.
    pub signing_name: Option<String>,
    /// The SigV4 signing region.
    pub signing_region: Option<String>,
    /// Single (not double) percent-encoding when signing (S3).
    pub disable_double_encoding: bool,
}

/// Resolve the endpoint of one call.
#[allow(clippy::too_many_arguments)]
pub(crate) fn resolve(
    rules: &RuleSet,
    partitions: &Partitions,
    op: &OperationModel,
    input: Option<&Shape>,
    params: &Map<String, Value>,
    region: &str,
    override_url: Option<&str>,
    env: &EndpointEnv,
) -> Result<Resolved, NativeError> {
    let mut p: HashMap<String, ParamValue> = HashMap::new();
    for def in rules.parameters() {
        let name = &def.name;
        let value = match def.built_in.as_deref() {
            Some("AWS::Region") => Some(ParamValue::String(region.to_string())),
            Some("AWS::UseFIPS") => Some(ParamValue::Bool(env.use_fips)),
            Some("AWS::UseDualStack") => Some(ParamValue::Bool(env.use_dual_stack)),
            Some("SDK::Endpoint") => override_url.map(|u| ParamValue::String(u.to_string())),
            Some("AWS::S3::ForcePathStyle") => Some(ParamValue::Bool(s3_path_style(op, params))),
            Some("AWS::S3::Accelerate") => Some(ParamValue::Bool(false)),
            Some("AWS::S3::UseArnRegion") => Some(ParamValue::Bool(true)),
            Some("AWS::S3::DisableMultiRegionAccessPoints") => Some(ParamValue::Bool(false)),
            Some("AWS::S3::UseGlobalEndpoint") => Some(ParamValue::Bool(false)),
            Some("AWS::STS::UseGlobalEndpoint") => Some(ParamValue::Bool(false)),
            _ => None,
        };
        if let Some(v) = value {
            p.insert(name.clone(), v);
        }
    }
    // Parameters the operation's input feeds (`Bucket`), then static ones.
    if let Some(shape) = input {
        for (member, mref) in shape.members.iter() {
            if let (Some(name), Some(v)) = (&mref.traits().context_param, params.get(&**member)) {
                if let Some(pv) = to_param(v) {
                    p.insert(name.to_string(), pv);
                }
            }
        }
    }
    for (name, spec) in &op.static_context_params {
        if let Some(pv) = to_param(&spec["value"]) {
            p.insert(name.clone(), pv);
        }
    }
    for (name, spec) in &op.operation_context_params {
        if let Some(path) = spec["path"].as_str() {
            if let Ok(expr) = jmespath_search(path, &Value::Object(params.clone())) {
                if let Some(pv) = to_param(&expr) {
                    p.insert(name.clone(), pv);
                }
            }
        }
    }
    let ep = endpoint::resolve(rules, partitions, &p)
        .map_err(|e| NativeError::Endpoint(e.to_string()))?;
    let mut resolved = Resolved {
        url: ep.url.clone(),
        headers: ep
            .headers
            .iter()
            .flat_map(|(k, vs)| vs.iter().map(move |v| (k.clone(), v.clone())))
            .collect(),
        signing_name: None,
        signing_region: None,
        disable_double_encoding: false,
    };
    if let Some(schemes) = ep.properties.get("authSchemes").and_then(Value::as_array) {
        let sigv4 = schemes
            .iter()
            .find(|s| s["name"].as_str() == Some("sigv4"))
            .ok_or_else(|| {
                NativeError::Unsupported(format!(
                    "the endpoint needs an auth scheme the native executor lacks ({})",
                    schemes
                        .iter()
                        .filter_map(|s| s["name"].as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        resolved.signing_name = sigv4["signingName"].as_str().map(str::to_string);
        resolved.signing_region = sigv4["signingRegion"].as_str().map(str::to_string);
        resolved.disable_double_encoding =
            sigv4["disableDoubleEncoding"].as_bool().unwrap_or(false);
    }
    Ok(resolved)
}

/// botocore's `customize_endpoint_resolver_builtins` for S3's
/// `ForcePathStyle`: on for `GetBucketLocation` (the one operation on
/// `/{Bucket}?location`) and for bucket names that are not a valid host
/// label (dots: `my.bucket`), off for ARNs.
fn s3_path_style(op: &OperationModel, params: &Map<String, Value>) -> bool {
    let bucket = params.get("Bucket").and_then(Value::as_str);
    if bucket.is_some_and(|b| b.starts_with("arn:")) {
        return false;
    }
    let location = op
        .http
        .as_ref()
        .is_some_and(|h| h.request_uri.ends_with("?location"));
    location || bucket.is_some_and(|b| !valid_host_label(b))
}

/// botocore's `VALID_HOST_LABEL_RE`: `^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$`.
fn valid_host_label(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn to_param(v: &Value) -> Option<ParamValue> {
    match v {
        Value::String(s) => Some(ParamValue::String(s.clone())),
        Value::Bool(b) => Some(ParamValue::Bool(*b)),
        Value::Array(a) => Some(ParamValue::StringArray(
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
        )),
        _ => None,
    }
}

fn jmespath_search(expr: &str, v: &Value) -> Result<Value, String> {
    let e = aws_mcp_core::query::compile(expr).map_err(|e| e.to_string())?;
    let r = e.search(v).map_err(|e| e.to_string())?;
    serde_json::to_value(&*r).map_err(|e| e.to_string())
}

/// botocore's `_urljoin`: the endpoint URL's path joined with the request
/// path, the query kept, the host prefix put before the host.
pub fn join_url(endpoint: &str, path_and_query: &str, host_prefix: Option<&str>) -> String {
    let (path, query) = match path_and_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_and_query, None),
    };
    let (scheme, rest) = endpoint.split_once("://").unwrap_or(("https", endpoint));
    let (authority, ep_path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let new_path = if path.is_empty() || path == "/" {
        if ep_path.is_empty() {
            "/".to_string()
        } else {
            ep_path.to_string()
        }
    } else if ep_path.ends_with('/') && path.starts_with('/') {
        format!("{}{}", &ep_path[..ep_path.len() - 1], path)
    } else {
        format!("{ep_path}{path}")
    };
    let mut url = format!(
        "{scheme}://{}{authority}{new_path}",
        host_prefix.unwrap_or("")
    );
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        url.push('?');
        url.push_str(q);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_like_botocore() {
        assert_eq!(
            join_url("http://127.0.0.1:5000", "/", None),
            "http://127.0.0.1:5000/"
        );
        assert_eq!(
            join_url("http://127.0.0.1:5000/b", "/k?x=1", None),
            "http://127.0.0.1:5000/b/k?x=1"
        );
        assert_eq!(
            join_url("https://h.example/", "/k", Some("data.")),
            "https://data.h.example/k"
        );
        assert_eq!(
            join_url("https://h.example/base", "/?list-type=2", None),
            "https://h.example/base?list-type=2"
        );
    }

    #[test]
    fn env_overrides() {
        let env = EndpointEnv::from_lookup(
            |k| match k {
                "AWS_ENDPOINT_URL" => Some("http://all".into()),
                "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2" => Some("http://elb".into()),
                _ => None,
            },
            &["Elastic Load Balancing v2", "S3"],
        );
        assert_eq!(
            env.configured("Elastic Load Balancing v2"),
            Some("http://elb")
        );
        assert_eq!(env.configured("S3"), Some("http://all"));
        let off = EndpointEnv {
            ignore_configured: true,
            ..env
        };
        assert_eq!(off.configured("S3"), None);
    }

    fn s3(command: &str) -> OperationModel {
        let c = aws_mcp_core::Catalog::embedded()
            .command("s3api", command)
            .unwrap();
        c.detail().unwrap().op.as_deref().unwrap().clone()
    }

    #[test]
    fn s3_path_style_like_botocore() {
        let bucket = |b: &str| {
            let mut m = Map::new();
            m.insert("Bucket".into(), Value::String(b.into()));
            m
        };
        let list = s3("list-objects-v2");
        assert!(!s3_path_style(&list, &bucket("plain-bucket")));
        assert!(s3_path_style(&list, &bucket("my.dotted.bucket")));
        assert!(s3_path_style(&list, &bucket("Under_score")));
        assert!(!s3_path_style(
            &list,
            &bucket("arn:aws:s3:us-east-1:123456789012:accesspoint/ap")
        ));
        assert!(s3_path_style(
            &s3("get-bucket-location"),
            &bucket("plain-bucket")
        ));
        assert!(!s3_path_style(&s3("list-buckets"), &Map::new()));
    }
}
