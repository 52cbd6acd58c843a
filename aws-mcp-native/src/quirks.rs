//! botocore's request and response handlers that the AWS CLI's output
//! depends on, for the operations the native executor runs. Each function
//! names the botocore handler it reproduces; operations whose handlers are
//! not reproduced are listed in [`crate::NOT_NATIVE`].

use std::collections::HashMap;

use aws_mcp_core::catalog::{Name, OperationModel, Shape};
use base64::Engine as _;
use serde_json::{Map, Value};

/// What a request handler decided that its response handler needs.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Applied {
    /// `EncodingType=url` was added to an S3 listing by us, not the user.
    pub encoding_auto_set: bool,
}

const S3_LISTINGS: &[&str] = &["ListObjects", "ListObjectsV2", "ListObjectVersions"];

/// Before serializing: botocore's `remove_bucket_from_url_paths_from_model`
/// (S3's endpoint rules place the bucket), `set_list_objects_encoding_type_url`,
/// `sse_md5`,
/// `fix_route53_ids`, `base64_encode_user_data` (EC2 RunInstances, Auto
/// Scaling CreateLaunchConfiguration) and `inject_account_id` (Glacier).
pub(crate) fn before_request(
    service: &str,
    operation: &str,
    op: &mut OperationModel,
    model_shapes: &HashMap<Name, Shape>,
    params: &mut Map<String, Value>,
) -> Applied {
    let mut applied = Applied::default();
    if service == "route53" {
        fix_route53_ids(op, model_shapes, params);
    }
    if service == "s3control" {
        // botocore's remove_accid_host_prefix_from_model: the endpoint
        // rules put `{AccountId}.` in the host already.
        let requires = op
            .static_context_params
            .get("RequiresAccountId")
            .and_then(|v| v.get("value"))
            .and_then(Value::as_bool)
            == Some(true);
        if requires && op.endpoint.as_ref().map(|e| e.host_prefix.as_str()) == Some("{AccountId}.")
        {
            op.endpoint = None;
        }
    }
    if service == "glacier" && !params.contains_key("accountId") {
        // botocore's inject_account_id: `-` is the caller's account.
        params.insert("accountId".into(), Value::String("-".into()));
    }
    if (service, operation) == ("ec2", "RunInstances") {
        fix_run_instances_args(params);
    }
    if (service, operation) == ("ec2", "RunInstances")
        || (service, operation) == ("autoscaling", "CreateLaunchConfiguration")
    {
        // botocore's base64_encode_user_data.
        if let Some(Value::String(u)) = params.get_mut("UserData") {
            *u = base64::engine::general_purpose::STANDARD.encode(u.as_bytes());
        }
    }
    if service == "s3" && matches!(operation, "CopyObject" | "UploadPartCopy") {
        if let Some(Value::String(src)) = params.get_mut("CopySource") {
            *src = quote_copy_source(src);
        }
    }
    if service == "s3" {
        sse_md5(params, "SSECustomer");
        sse_md5(params, "CopySourceSSECustomer");
        if let Some(http) = &mut op.http {
            let uri = http.request_uri.replacen("/{Bucket}", "", 1);
            let uri = if uri.is_empty() || uri.starts_with('?') {
                format!("/{uri}")
            } else {
                uri
            };
            http.request_uri = uri.into();
        }
        if S3_LISTINGS.contains(&operation) && !params.contains_key("EncodingType") {
            params.insert("EncodingType".into(), Value::String("url".into()));
            applied.encoding_auto_set = true;
        }
    }
    applied
}

/// awscli's `runinstances._fix_args` (a `before-parameter-build` handler):
/// when the first network interface carries an address setting (what
/// `--secondary-private-ip-address(es|-count)` and
/// `--[no-]associate-public-ip-address` put there), the instance-level
/// subnet, security groups, private address and IPv6 settings move into it,
/// as EC2 refuses them side by side.
fn fix_run_instances_args(params: &mut Map<String, Value>) {
    let Some(Value::Array(list)) = params.get("NetworkInterfaces") else {
        return;
    };
    let Some(Value::Object(first)) = list.first() else {
        return;
    };
    let wants = [
        "PrivateIpAddresses",
        "SecondaryPrivateIpAddressCount",
        "AssociatePublicIpAddress",
    ];
    if !wants.iter().any(|k| first.contains_key(*k)) {
        return;
    }
    let mut moved = Map::new();
    if let Some(v) = params.remove("SubnetId") {
        moved.insert("SubnetId".into(), v);
    }
    if let Some(v) = params.remove("SecurityGroupIds") {
        moved.insert("Groups".into(), v);
    }
    if let Some(v) = params.remove("PrivateIpAddress") {
        moved.insert(
            "PrivateIpAddresses".into(),
            serde_json::json!([{"PrivateIpAddress": v, "Primary": true}]),
        );
    }
    if let Some(v) = params.remove("Ipv6AddressCount") {
        moved.insert("Ipv6AddressCount".into(), v);
    }
    if let Some(v) = params.remove("Ipv6Addresses") {
        moved.insert("Ipv6Addresses".into(), v);
    }
    if let Some(v) = params.remove("EnablePrimaryIpv6") {
        moved.insert("PrimaryIpv6".into(), v);
    }
    if let Some(Value::Array(list)) = params.get_mut("NetworkInterfaces") {
        if let Some(Value::Object(first)) = list.first_mut() {
            first.extend(moved);
        }
    }
}

/// botocore's `handle_copy_source_param` for a string: `bucket/key` with
/// the key URL-encoded (`/` and `-._~` kept), a `?versionId=...` suffix
/// left as is.
fn quote_copy_source(src: &str) -> String {
    let quote = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                    (b as char).to_string()
                }
                b => format!("%{b:02X}"),
            })
            .collect()
    };
    // VERSION_ID_SUFFIX: `\?versionId=[^\s]+$`.
    if let Some(i) = src.rfind("?versionId=") {
        let v = &src[i + "?versionId=".len()..];
        if !v.is_empty() && !v.chars().any(char::is_whitespace) {
            return format!("{}{}", quote(&src[..i]), &src[i..]);
        }
    }
    quote(src)
}

/// botocore's `sse_md5` / `copy_source_sse_md5`: an SSE-C key given as
/// text is sent base64-encoded with the base64 MD5 of its bytes, unless the
/// caller set the MD5 itself.
fn sse_md5(params: &mut Map<String, Value>, prefix: &str) {
    let (key, md5) = (format!("{prefix}Key"), format!("{prefix}KeyMD5"));
    if params.contains_key(&md5) {
        return;
    }
    if let Some(Value::String(k)) = params.get(&key) {
        let digest = aws_mcp_wire::protocol::serialize::base64_md5(k.as_bytes());
        let encoded = base64::engine::general_purpose::STANDARD.encode(k.as_bytes());
        params.insert(key, Value::String(encoded));
        params.insert(md5, Value::String(digest));
    }
}

/// botocore's `fix_route53_ids`: members of shape `ResourceId`,
/// `DelegationSetId` or `ChangeId` keep only their last `/` part, so that
/// `/hostedzone/Z123` from one call's output works as another's input.
fn fix_route53_ids(
    op: &OperationModel,
    shapes: &HashMap<Name, Shape>,
    params: &mut Map<String, Value>,
) {
    let Some(input) = op.input.as_ref().and_then(|r| shapes.get(&r.shape)) else {
        return;
    };
    for (name, m) in input.members.iter() {
        if matches!(&*m.shape, "ResourceId" | "DelegationSetId" | "ChangeId") {
            if let Some(Value::String(v)) = params.get_mut(&**name) {
                if let Some(last) = v.rsplit('/').next() {
                    *v = last.to_string();
                }
            }
        }
    }
}

/// After parsing one page: botocore's `decode_list_object*` (S3) when we
/// asked for URL-encoded keys. (The parser itself applies the handlers that
/// do not depend on the request: IAM policy documents, EC2 console output,
/// CloudFormation templates, S3 bucket locations.)
pub(crate) fn after_response(operation: &str, applied: Applied, mut page: Value) -> Value {
    if applied.encoding_auto_set {
        aws_mcp_wire::protocol::parse::decode_s3_list_keys(operation, &mut page);
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_mcp_core::Catalog;

    fn op(service: &str, command: &str) -> OperationModel {
        let c = Catalog::embedded().command(service, command).unwrap();
        c.detail().unwrap().op.as_deref().unwrap().clone()
    }

    #[test]
    fn s3_bucket_leaves_the_path_and_listings_ask_for_encoded_keys() {
        let mut o = op("s3api", "list-objects-v2");
        let mut p = Map::new();
        let shapes = Catalog::embedded()
            .service("s3api")
            .unwrap()
            .shapes()
            .unwrap();
        let a = before_request("s3", "ListObjectsV2", &mut o, shapes, &mut p);
        assert_eq!(&*o.http.as_ref().unwrap().request_uri, "/?list-type=2");
        assert!(a.encoding_auto_set);
        assert_eq!(p["EncodingType"], "url");
        let page = serde_json::json!({"EncodingType": "url", "Contents": [{"Key": "a+b%2Fc"}]});
        let page = after_response("ListObjectsV2", a, page);
        assert_eq!(page["Contents"][0]["Key"], "a b/c");
        // The user's own --encoding-type is left alone, and so is the answer.
        let mut o = op("s3api", "get-object-tagging");
        let mut p = Map::new();
        p.insert("EncodingType".into(), "url".into());
        let a = before_request("s3", "ListObjects", &mut o, shapes, &mut p);
        assert!(!a.encoding_auto_set);
        assert_eq!(&*o.http.as_ref().unwrap().request_uri, "/{Key+}?tagging");
        let page = serde_json::json!({"EncodingType": "url", "Contents": [{"Key": "a+b"}]});
        assert_eq!(after_response("ListObjects", a, page.clone()), page);
    }

    #[test]
    fn sse_c_keys_are_encoded_with_their_md5() {
        let shapes = Catalog::embedded()
            .service("s3api")
            .unwrap()
            .shapes()
            .unwrap();
        let mut o = op("s3api", "head-object");
        let mut p = Map::new();
        p.insert(
            "SSECustomerKey".into(),
            "0123456789abcdef0123456789abcdef".into(),
        );
        before_request("s3", "HeadObject", &mut o, shapes, &mut p);
        // base64 and base64(md5) of the 32-byte key, as botocore computes them.
        assert_eq!(
            p["SSECustomerKey"],
            "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
        );
        assert_eq!(p["SSECustomerKeyMD5"], "hRasmdxgYDKV3nvbahU1MA==");
        // A caller-given MD5 leaves both alone.
        let mut p = Map::new();
        p.insert("SSECustomerKey".into(), "k".into());
        p.insert("SSECustomerKeyMD5".into(), "m".into());
        before_request("s3", "HeadObject", &mut o, shapes, &mut p);
        assert_eq!(
            (
                p["SSECustomerKey"].as_str(),
                p["SSECustomerKeyMD5"].as_str()
            ),
            (Some("k"), Some("m"))
        );
    }

    #[test]
    fn copy_sources_are_quoted_like_botocore() {
        assert_eq!(quote_copy_source("b/dir/a b+c.txt"), "b/dir/a%20b%2Bc.txt");
        assert_eq!(quote_copy_source("b/ké"), "b/k%C3%A9");
        assert_eq!(
            quote_copy_source("b/k x?versionId=v1"),
            "b/k%20x?versionId=v1"
        );
        assert_eq!(
            quote_copy_source("b/k?versionId=a b"),
            "b/k%3FversionId%3Da%20b"
        );
    }

    #[test]
    fn route53_ids_and_ec2_user_data() {
        let shapes = Catalog::embedded()
            .service("route53")
            .unwrap()
            .shapes()
            .unwrap();
        let mut o = op("route53", "get-hosted-zone");
        let mut p = Map::new();
        p.insert("Id".into(), "/hostedzone/Z123".into());
        before_request("route53", "GetHostedZone", &mut o, shapes, &mut p);
        assert_eq!(p["Id"], "Z123");
        let mut o = op("route53", "get-change");
        let mut p = Map::new();
        p.insert("Id".into(), "C9".into());
        before_request("route53", "GetChange", &mut o, shapes, &mut p);
        assert_eq!(p["Id"], "C9");
        let shapes = Catalog::embedded()
            .service("ec2")
            .unwrap()
            .shapes()
            .unwrap();
        let mut o = op("ec2", "run-instances");
        let mut p = Map::new();
        p.insert("UserData".into(), "#!/bin/sh\necho hi".into());
        before_request("ec2", "RunInstances", &mut o, shapes, &mut p);
        assert_eq!(p["UserData"], "IyEvYmluL3NoCmVjaG8gaGk=");
        // _fix_args: the subnet, groups and address join the interface the
        // secondary-address arguments made.
        let mut p = serde_json::json!({
            "SubnetId": "subnet-1", "SecurityGroupIds": ["sg-1"], "PrivateIpAddress": "10.0.0.5",
            "NetworkInterfaces": [{"DeviceIndex": 0, "SecondaryPrivateIpAddressCount": 2}]
        })
        .as_object()
        .unwrap()
        .clone();
        before_request("ec2", "RunInstances", &mut o, shapes, &mut p);
        assert_eq!(
            Value::Object(p),
            serde_json::json!({"NetworkInterfaces": [{
                "DeviceIndex": 0, "SecondaryPrivateIpAddressCount": 2, "SubnetId": "subnet-1",
                "Groups": ["sg-1"],
                "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.0.5", "Primary": true}]
            }]})
        );
        // Without an address setting in the interface, nothing moves.
        let mut p =
            serde_json::json!({"SubnetId": "subnet-1", "NetworkInterfaces": [{"DeviceIndex": 0}]})
                .as_object()
                .unwrap()
                .clone();
        before_request("ec2", "RunInstances", &mut o, shapes, &mut p);
        assert_eq!(p["SubnetId"], "subnet-1");
        let shapes = Catalog::embedded()
            .service("autoscaling")
            .unwrap()
            .shapes()
            .unwrap();
        let mut o = op("autoscaling", "create-launch-configuration");
        let mut p = Map::new();
        p.insert("UserData".into(), "#!/bin/sh\necho hi".into());
        before_request(
            "autoscaling",
            "CreateLaunchConfiguration",
            &mut o,
            shapes,
            &mut p,
        );
        assert_eq!(p["UserData"], "IyEvYmluL3NoCmVjaG8gaGk=");
    }
}
