//! botocore's service-specific response handlers (`botocore/handlers.py`)
//! that change what the CLI prints:
//!
//! * IAM: members of shape `policyDocumentType` are URL-decoded and parsed
//!   as JSON (`json_decode_policies`); left as they are when that fails.
//! * EC2 `GetConsoleOutput`: `Output` base64-decoded (`decode_console_output`).
//! * CloudFormation `GetTemplate`: a JSON `TemplateBody` parsed
//!   (`json_decode_template_body`); YAML stays a string.
//! * S3 `GetBucketLocation`: `LocationConstraint` is the root element's
//!   text, `null` when empty (`parse_get_bucket_location`).
//! * S3 `Expires`: the header also comes back as `ExpiresString`, and an
//!   `Expires` that is not a date is dropped (`handle_expires_header`).
//! * S3 200 errors: a 200 whose body is an `<Error>` document, or not XML
//!   at all, is an error with status 500 (`_handle_200_error`).
//!
//! SQS's `_handle_sqs_compatible_error` only picks the exception class: the
//! CLI still prints the query-compatible code (`AWS.SimpleQueueService.NonExistentQueue`).
//!
//! Not applied by [`parse_response`](super::parse_response): S3's
//! `ListObjects*` key decoding, which botocore does only when it added
//! `EncodingType=url` to the request itself; see
//! [`decode_s3_list_keys`](super::decode_s3_list_keys).

use serde_json::{Map, Value};

use super::xml::parse_doc;
use super::{header, time, Cx, R};
use crate::protocol::{HttpResponse, ProtocolError};
use aws_mcp_core::catalog::{OperationModel, ShapeType};

fn service_is(cx: &Cx<'_, '_>, service_id: &str, endpoint_prefix: &str) -> bool {
    let md = cx.svc.metadata;
    match md.service_id.as_deref() {
        Some(id) => id == service_id,
        None => md.endpoint_prefix.as_deref() == Some(endpoint_prefix),
    }
}

fn is_s3(cx: &Cx<'_, '_>) -> bool {
    service_is(cx, "S3", "s3")
}

/// An S3 200 response that is really an error.
pub(crate) fn is_s3_200_error(
    cx: &Cx<'_, '_>,
    op: &OperationModel,
    resp: &HttpResponse<'_>,
) -> Result<bool, ProtocolError> {
    if resp.status != 200 || resp.body.is_empty() || !is_s3(cx) {
        return Ok(false);
    }
    let Some(out) = &op.output else {
        return Ok(false);
    };
    let shape = cx.svc.shape(&out.shape)?;
    for (name, m) in shape.members.iter() {
        let target = cx.svc.shape(&m.shape)?;
        if target.traits().event_stream {
            return Ok(false);
        }
        if shape.traits().payload.as_deref() == Some(&**name)
            && matches!(target.shape_type, ShapeType::Blob | ShapeType::String)
        {
            return Ok(false);
        }
    }
    Ok(match parse_doc(cx, resp.body) {
        Err(_) => true,
        Ok(doc) => {
            let root = doc.root_element().tag_name();
            root.name() == "Error" && root.namespace().is_none()
        }
    })
}

/// S3 headers without an `Expires` that is not a date, when the output has
/// an `Expires` member; `None` when nothing changes.
pub(crate) fn s3_headers(
    cx: &Cx<'_, '_>,
    op: &OperationModel,
    headers: &[(String, String)],
) -> Result<Option<Vec<(String, String)>>, ProtocolError> {
    if !is_s3(cx) || !has_expires_member(cx, op)? {
        return Ok(None);
    }
    match header(headers, "Expires") {
        Some(v) if time::parse_timestamp(&v).is_none() => Ok(Some(
            headers
                .iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("Expires"))
                .cloned()
                .collect(),
        )),
        _ => Ok(None),
    }
}

fn has_expires_member(cx: &Cx<'_, '_>, op: &OperationModel) -> Result<bool, ProtocolError> {
    let Some(out) = &op.output else {
        return Ok(false);
    };
    let shape = cx.svc.shape(&out.shape)?;
    // botocore's `_has_expires_shape`: a member whose shape is named
    // `Expires` and whose wire name is `Expires`.
    for (_, m) in shape.members.iter() {
        if &*m.shape == "Expires" && cx.resolve(m)?.location_name() == Some("Expires") {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Apply the after-call handlers to a parsed success.
pub(crate) fn after_call<'a>(
    cx: &Cx<'_, 'a>,
    op_name: &str,
    op: &'a OperationModel,
    resp: &HttpResponse<'_>,
    out: &mut Map<String, Value>,
) -> Result<(), ProtocolError> {
    if service_is(cx, "IAM", "iam") {
        if let Some(o) = &op.output {
            let r = cx.top(&o.shape)?;
            let mut v = Value::Object(std::mem::take(out));
            decode_policies(cx, &r, &mut v)?;
            if let Value::Object(m) = v {
                *out = m;
            }
        }
    } else if service_is(cx, "EC2", "ec2") && op_name == "GetConsoleOutput" {
        if let Some(Value::String(s)) = out.get_mut("Output") {
            let latin1: Option<String> = s.chars().all(|c| (c as u32) < 256).then(|| s.clone());
            if let Some(bytes) = latin1.as_deref().and_then(super::decode_base64) {
                *s = String::from_utf8_lossy(&bytes).into_owned();
            }
        }
    } else if service_is(cx, "CloudFormation", "cloudformation") && op_name == "GetTemplate" {
        if let Some(v) = out.get_mut("TemplateBody") {
            if let Some(parsed) = v
                .as_str()
                .and_then(|s| serde_json::from_str::<Value>(s).ok())
            {
                *v = parsed;
            }
        }
    } else if is_s3(cx) {
        if op_name == "GetBucketLocation" && !resp.body.is_empty() {
            let doc = parse_doc(cx, resp.body)?;
            let loc = doc.root_element().text();
            out.insert(
                "LocationConstraint".into(),
                loc.map_or(Value::Null, |s| Value::String(s.to_string())),
            );
        }
        if has_expires_member(cx, op)? {
            if let Some(v) = header(resp.headers, "Expires") {
                out.insert("ExpiresString".into(), Value::String(v.into_owned()));
            }
        }
    }
    Ok(())
}

/// IAM's `_decode_policy_types`: walk structures and lists, decoding every
/// string member whose shape is `policyDocumentType`.
fn decode_policies<'a>(cx: &Cx<'_, 'a>, r: &R<'a>, v: &mut Value) -> Result<(), ProtocolError> {
    match (r.shape.shape_type, v) {
        (ShapeType::Structure, Value::Object(obj)) => {
            for (name, mref) in r.shape.members.iter() {
                let Some(x) = obj.get_mut(&**name) else {
                    continue;
                };
                let m = cx.resolve(mref)?;
                if m.shape.shape_type == ShapeType::String && m.name == "policyDocumentType" {
                    if let Value::String(s) = x {
                        if let Ok(doc) = serde_json::from_str::<Value>(&percent_decode(s)) {
                            *x = doc;
                        }
                    }
                } else {
                    decode_policies(cx, &m, x)?;
                }
            }
        }
        (ShapeType::List, Value::Array(items)) => {
            let m = cx.part(r, r.shape.member.as_deref(), "list member")?;
            for i in items {
                decode_policies(cx, &m, i)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Python's `urllib.parse.unquote`: `%XX` escapes decoded as UTF-8 (invalid
/// sequences replaced), `+` left alone.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// botocore's `decode_list_object`, `decode_list_object_v2` and
/// `decode_list_object_versions`: with `"EncodingType": "url"` in the
/// output, URL-decode (`unquote_plus`) the keys and prefixes S3 encoded.
pub(crate) fn decode_s3_list_keys(op_name: &str, out: &mut Value) {
    let (top, nested): (&[&str], &[(&str, &str)]) = match op_name {
        // botocore leaves ListObjects' Prefix encoded.
        "ListObjects" => (
            &["Delimiter", "Marker", "NextMarker"],
            &[("Contents", "Key"), ("CommonPrefixes", "Prefix")],
        ),
        "ListObjectsV2" => (
            &["Delimiter", "Prefix", "StartAfter"],
            &[("Contents", "Key"), ("CommonPrefixes", "Prefix")],
        ),
        "ListObjectVersions" => (
            &["KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"],
            &[
                ("Versions", "Key"),
                ("DeleteMarkers", "Key"),
                ("CommonPrefixes", "Prefix"),
            ],
        ),
        _ => return,
    };
    let Some(obj) = out.as_object_mut() else {
        return;
    };
    if obj.get("EncodingType").and_then(Value::as_str) != Some("url") {
        return;
    }
    let decode = |v: &mut Value| {
        if let Value::String(s) = v {
            *s = percent_decode(&s.replace('+', " "));
        }
    };
    for k in top {
        if let Some(v) = obj.get_mut(*k) {
            decode(v);
        }
    }
    for (list, key) in nested {
        if let Some(Value::Array(items)) = obj.get_mut(*list) {
            for item in items {
                if let Some(v) = item.get_mut(*key) {
                    decode(v);
                }
            }
        }
    }
}
