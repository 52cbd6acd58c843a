//! AWS JSON 1.0/1.1 (`POST /` with `X-Amz-Target: {targetPrefix}.{Operation}`
//! and `Content-Type: application/x-amz-json-{jsonVersion}`), and the JSON
//! value writer the `rest-json` bodies share.
//!
//! Values follow botocore's `JSONSerializer`: members under their
//! `locationName`, null members left out, timestamps as epoch seconds
//! unless the shape says otherwise, blobs in base64, special floats as the
//! strings `"Infinity"`, `"-Infinity"` and `"NaN"`, documents as given. An
//! operation without input still sends `{}`. Services marked
//! `awsQueryCompatible` also get `x-amzn-query-mode: true`.

use serde_json::{Map, Number, Value};

use super::time::{self, Format};
use super::{
    array, base64, blob_bytes, index, join, member, object, resolve, special_float, timestamp,
    HttpRequest, ProtocolError, Ser, ServiceModel,
};
use aws_mcp_core::catalog::{OperationModel, Shape, ShapeType};

pub(super) fn serialize_rpc(
    svc: &ServiceModel<'_>,
    op_name: &str,
    op: &OperationModel,
    input: Option<&Shape>,
    params: &Map<String, Value>,
) -> Result<HttpRequest, ProtocolError> {
    let body = match input {
        Some(sh) => structure(svc, sh, params, "", Format::UnixTimestamp)?,
        None => {
            if let Some(k) = params.keys().next() {
                return Err(super::bad(k, "the operation takes no input"));
            }
            Value::Object(Map::new())
        }
    };
    let md = svc.metadata;
    let mut headers = vec![
        (
            "X-Amz-Target".to_string(),
            format!(
                "{}.{op_name}",
                md.target_prefix.as_deref().unwrap_or_default()
            ),
        ),
        (
            "Content-Type".to_string(),
            format!(
                "application/x-amz-json-{}",
                md.json_version.as_deref().unwrap_or("1.0")
            ),
        ),
    ];
    if md.aws_query_compatible.is_some() {
        headers.push(("x-amzn-query-mode".into(), "true".into()));
    }
    Ok(HttpRequest {
        method: super::method(op, "POST"),
        path: "/".into(),
        headers,
        body: body.to_string().into_bytes(),
        host_prefix: None,
    })
}

/// A structure's members as a JSON object (the top-level body of both JSON
/// protocols); `ts` is the protocol's default timestamp format.
pub(super) fn structure(
    svc: &ServiceModel<'_>,
    sh: &Shape,
    v: &Map<String, Value>,
    path: &str,
    ts: Format,
) -> Result<Value, ProtocolError> {
    let mut out = Map::new();
    for (k, mv) in v {
        let m = member(sh, k, path)?;
        if mv.is_null() {
            continue;
        }
        let (msh, mser) = resolve(svc, m)?;
        let name = mser.name.unwrap_or(k);
        out.insert(
            name.to_string(),
            value(svc, msh, &mser, mv, &join(path, k), ts)?,
        );
    }
    Ok(Value::Object(out))
}

/// One value as JSON.
pub(super) fn value(
    svc: &ServiceModel<'_>,
    sh: &Shape,
    ser: &Ser<'_>,
    v: &Value,
    path: &str,
    ts: Format,
) -> Result<Value, ProtocolError> {
    let wrong = |expected: &str| {
        super::bad(
            path,
            format!("expected {expected}, got {}", super::short(v)),
        )
    };
    Ok(match sh.shape_type {
        ShapeType::Structure if sh.traits().document => v.clone(),
        ShapeType::Structure => structure(svc, sh, object(v, path)?, path, ts)?,
        ShapeType::List => {
            let (msh, mser) = super::list_member(svc, sh, path)?;
            let mut out = Vec::new();
            for (i, item) in array(v, path)?.iter().enumerate() {
                out.push(if item.is_null() {
                    Value::Null
                } else {
                    value(svc, msh, &mser, item, &index(path, i), ts)?
                });
            }
            Value::Array(out)
        }
        ShapeType::Map => {
            let m = sh
                .value
                .as_deref()
                .ok_or_else(|| super::bad(path, "the map shape has no value"))?;
            let (vsh, vser) = resolve(svc, m)?;
            let mut out = Map::new();
            for (k, item) in object(v, path)? {
                let iv = if item.is_null() {
                    Value::Null
                } else {
                    value(svc, vsh, &vser, item, &join(path, k), ts)?
                };
                out.insert(k.clone(), iv);
            }
            Value::Object(out)
        }
        ShapeType::String => match v {
            Value::String(_) => v.clone(),
            // A JSON-valued string member may hold any JSON; botocore passes it through.
            _ if ser.jsonvalue => v.clone(),
            _ => return Err(wrong("a string")),
        },
        ShapeType::Integer | ShapeType::Long => match v {
            Value::Number(n) if n.is_i64() || n.is_u64() => v.clone(),
            _ => return Err(wrong("an integer")),
        },
        ShapeType::Float | ShapeType::Double => match v {
            Value::Number(_) => v.clone(),
            _ => match special_float(v) {
                Some(s) => Value::String(s.into()),
                None => return Err(wrong("a number")),
            },
        },
        ShapeType::Boolean => match v {
            Value::Bool(_) => v.clone(),
            _ => return Err(wrong("true or false")),
        },
        ShapeType::Timestamp => {
            let f = ser.ts_format(ts);
            let text = time::format(timestamp(v, path)?, f);
            if f == Format::UnixTimestamp {
                number(&text)
            } else {
                Value::String(text)
            }
        }
        ShapeType::Blob => Value::String(base64(&blob_bytes(v, path)?)),
    })
}

/// A JSON number from decimal text (an epoch timestamp).
fn number(text: &str) -> Value {
    if let Ok(i) = text.parse::<i64>() {
        return Value::Number(i.into());
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
        .unwrap_or_else(|| Value::String(text.to_string()))
}
