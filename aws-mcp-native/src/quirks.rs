//! botocore's request and response handlers that the AWS CLI's output
//! depends on, for the operations the native executor runs. Each function
//! names the botocore handler it reproduces; operations whose handlers are
//! not reproduced are listed in [`crate::NOT_NATIVE`].

use aws_mcp_core::catalog::{OperationModel, ShapeType};
use aws_mcp_core::protocol::ServiceModel;
use serde_json::{Map, Value};

/// What a request handler decided that its response handler needs.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Applied {
    /// `EncodingType=url` was added to an S3 listing by us, not the user.
    pub encoding_auto_set: bool,
}

const S3_LISTINGS: &[&str] = &["ListObjects", "ListObjectsV2", "ListObjectVersions"];

/// Before serializing: botocore's `remove_bucket_from_url_paths_from_model`
/// (S3's endpoint rules place the bucket) and
/// `set_list_objects_encoding_type_url`.
pub(crate) fn before_request(
    service: &str,
    operation: &str,
    op: &mut OperationModel,
    params: &mut Map<String, Value>,
) -> Applied {
    let mut applied = Applied::default();
    if service == "s3" {
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

/// After parsing one page: botocore's `json_decode_policies` (IAM) and
/// `decode_list_object*` (S3).
pub(crate) fn after_response(
    service: &str,
    operation: &str,
    model: &ServiceModel<'_>,
    op: &OperationModel,
    applied: Applied,
    mut page: Value,
) -> Value {
    if service == "iam" {
        if let Some(out) = &op.output {
            decode_policies(&mut page, &out.shape, model, 0);
        }
    }
    if service == "s3" && applied.encoding_auto_set && page["EncodingType"].as_str() == Some("url")
    {
        let (top, nested): (&[&str], &[(&str, &str)]) = match operation {
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
            _ => (&[], &[]),
        };
        if let Value::Object(m) = &mut page {
            for k in top {
                if let Some(Value::String(s)) = m.get_mut(*k) {
                    *s = unquote_plus(s);
                }
            }
            for (list, key) in nested {
                if let Some(Value::Array(items)) = m.get_mut(*list) {
                    for it in items {
                        if let Some(Value::String(s)) = it.get_mut(*key) {
                            *s = unquote_plus(s);
                        }
                    }
                }
            }
        }
    }
    page
}

fn decode_policies(v: &mut Value, shape_name: &str, model: &ServiceModel<'_>, depth: usize) {
    if depth > 32 {
        return;
    }
    let Some(shape) = model.shapes.get(shape_name) else {
        return;
    };
    match (shape.shape_type, v) {
        (ShapeType::Structure, Value::Object(m)) => {
            for (name, mref) in shape.members.iter() {
                let Some(child) = m.get_mut(&**name) else {
                    continue;
                };
                let is_doc = &*mref.shape == "policyDocumentType"
                    && model
                        .shapes
                        .get(&mref.shape)
                        .is_some_and(|s| s.shape_type == ShapeType::String);
                if is_doc {
                    if let Value::String(s) = child {
                        if let Ok(doc) = serde_json::from_str::<Value>(&unquote(s)) {
                            *child = doc;
                        }
                    }
                } else {
                    decode_policies(child, &mref.shape, model, depth + 1);
                }
            }
        }
        (ShapeType::List, Value::Array(items)) => {
            if let Some(member) = &shape.member {
                for it in items {
                    decode_policies(it, &member.shape, model, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Python's `urllib.parse.unquote` (UTF-8, bad escapes kept).
fn unquote(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Python's `urllib.parse.unquote_plus`.
fn unquote_plus(s: &str) -> String {
    unquote(&s.replace('+', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquoting_matches_python() {
        assert_eq!(unquote_plus("a+b%2Fc%20d"), "a b/c d");
        assert_eq!(unquote("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(unquote("100%"), "100%");
    }
}
