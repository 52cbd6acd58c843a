//! Smithy RPC v2 CBOR: `POST /service/{targetPrefix}/operation/{Operation}`
//! with a CBOR body (botocore's `RpcV2CBORSerializer`), encoded by hand.
//!
//! * Headers: `smithy-protocol: rpc-v2-cbor`, `Accept: application/cbor`,
//!   `Content-Type: application/cbor` when there is a body, and
//!   `x-amzn-query-mode: true` for `awsQueryCompatible` services.
//! * The body is the input structure as a definite-length map (`{}` is
//!   `0xa0`); an operation without input sends no body.
//! * Integers use the shortest head; floats are 32-bit, doubles 64-bit,
//!   and the special values the half-precision forms; timestamps are tag 1
//!   over epoch seconds (an integer, or a double with a fraction); blobs
//!   are byte strings; documents are encoded from their JSON.

use serde_json::{Map, Value};

use super::time::{self, Format};
use super::{
    array, blob_bytes, has_header, index, join, member, object, resolve, special_float, timestamp,
    HttpRequest, ProtocolError, ServiceModel,
};
use aws_mcp_core::catalog::{OperationModel, Shape, ShapeType};

pub(super) fn serialize(
    svc: &ServiceModel<'_>,
    op_name: &str,
    _op: &OperationModel,
    input: Option<&Shape>,
    params: &Map<String, Value>,
) -> Result<HttpRequest, ProtocolError> {
    let mut body = Vec::new();
    match input {
        Some(sh) => structure(svc, sh, params, "", &mut body)?,
        None => {
            if let Some(k) = params.keys().next() {
                return Err(super::bad(k, "the operation takes no input"));
            }
        }
    }
    let md = svc.metadata;
    let mut headers = vec![("smithy-protocol".to_string(), "rpc-v2-cbor".to_string())];
    if md.aws_query_compatible.is_some() {
        headers.push(("x-amzn-query-mode".into(), "true".into()));
    }
    headers.push(("Accept".into(), "application/cbor".into()));
    if !body.is_empty() && !has_header(&headers, "Content-Type") {
        headers.push(("Content-Type".into(), "application/cbor".into()));
    }
    Ok(HttpRequest {
        method: "POST".into(),
        path: format!(
            "/service/{}/operation/{op_name}",
            md.target_prefix.as_deref().unwrap_or_default()
        ),
        headers,
        body,
        host_prefix: None,
    })
}

/// A major type and argument, in the shortest form.
fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    if n < 24 {
        out.push(m | n as u8);
    } else if n < 0x100 {
        out.extend([m | 24, n as u8]);
    } else if n < 0x1_0000 {
        out.push(m | 25);
        out.extend((n as u16).to_be_bytes());
    } else if n < 0x1_0000_0000 {
        out.push(m | 26);
        out.extend((n as u32).to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend(n.to_be_bytes());
    }
}

fn text(out: &mut Vec<u8>, s: &str) {
    head(out, 3, s.len() as u64);
    out.extend(s.as_bytes());
}

fn int(out: &mut Vec<u8>, n: &serde_json::Number) -> bool {
    if let Some(u) = n.as_u64() {
        head(out, 0, u);
    } else if let Some(i) = n.as_i64() {
        // -1 - n, for negative n.
        head(out, 1, (-1 - i) as u64);
    } else {
        return false;
    }
    true
}

fn special(out: &mut Vec<u8>, f: f64) -> bool {
    let half: u16 = if f.is_nan() {
        0x7e00
    } else if f == f64::INFINITY {
        0x7c00
    } else if f == f64::NEG_INFINITY {
        0xfc00
    } else {
        return false;
    };
    out.push(0xf9);
    out.extend(half.to_be_bytes());
    true
}

fn double(out: &mut Vec<u8>, f: f64) {
    if !special(out, f) {
        out.push(0xfb);
        out.extend(f.to_be_bytes());
    }
}

fn structure(
    svc: &ServiceModel<'_>,
    sh: &Shape,
    v: &Map<String, Value>,
    path: &str,
    out: &mut Vec<u8>,
) -> Result<(), ProtocolError> {
    let set: Vec<(&String, &Value)> = v.iter().filter(|(_, x)| !x.is_null()).collect();
    head(out, 5, set.len() as u64);
    for (k, mv) in set {
        let m = member(sh, k, path)?;
        let (msh, mser) = resolve(svc, m)?;
        text(out, mser.name.unwrap_or(k));
        value(svc, msh, mv, &join(path, k), out)?;
    }
    Ok(())
}

fn value(
    svc: &ServiceModel<'_>,
    sh: &Shape,
    v: &Value,
    path: &str,
    out: &mut Vec<u8>,
) -> Result<(), ProtocolError> {
    let wrong = |expected: &str| {
        super::bad(
            path,
            format!("expected {expected}, got {}", super::short(v)),
        )
    };
    if v.is_null() {
        out.push(0xf6);
        return Ok(());
    }
    match sh.shape_type {
        ShapeType::Structure if sh.traits().document => document(v, out),
        ShapeType::Structure => structure(svc, sh, object(v, path)?, path, out)?,
        ShapeType::List => {
            let msh = super::list_member(svc, sh, path)?.0;
            let items = array(v, path)?;
            head(out, 4, items.len() as u64);
            for (i, item) in items.iter().enumerate() {
                value(svc, msh, item, &index(path, i), out)?;
            }
        }
        ShapeType::Map => {
            let (Some(_), Some(val)) = (sh.key.as_deref(), sh.value.as_deref()) else {
                return Err(super::bad(path, "the map shape has no key or value"));
            };
            let vsh = resolve(svc, val)?.0;
            let o = object(v, path)?;
            head(out, 5, o.len() as u64);
            for (k, item) in o {
                text(out, k);
                value(svc, vsh, item, &join(path, k), out)?;
            }
        }
        ShapeType::String => match v {
            Value::String(s) => text(out, s),
            _ => return Err(wrong("a string")),
        },
        ShapeType::Integer | ShapeType::Long => match v {
            Value::Number(n) if int(out, n) => {}
            _ => return Err(wrong("an integer")),
        },
        ShapeType::Float | ShapeType::Double => {
            let f = match v {
                Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
                _ => match special_float(v) {
                    Some("Infinity") => f64::INFINITY,
                    Some("-Infinity") => f64::NEG_INFINITY,
                    Some(_) => f64::NAN,
                    None => return Err(wrong("a number")),
                },
            };
            if sh.shape_type == ShapeType::Float {
                if !special(out, f) {
                    out.push(0xfa);
                    out.extend((f as f32).to_be_bytes());
                }
            } else {
                double(out, f);
            }
        }
        ShapeType::Boolean => match v {
            Value::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
            _ => return Err(wrong("true or false")),
        },
        ShapeType::Timestamp => {
            let t = timestamp(v, path)?;
            out.push(0xc1);
            if t.micros == 0 {
                int(out, &t.secs.into());
            } else {
                let f: f64 = time::format(t, Format::UnixTimestamp)
                    .parse()
                    .unwrap_or(t.secs as f64);
                double(out, f);
            }
        }
        ShapeType::Blob => {
            let b = blob_bytes(v, path)?;
            head(out, 2, b.len() as u64);
            out.extend(b.iter());
        }
    }
    Ok(())
}

/// Any JSON value (a document).
fn document(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Null => out.push(0xf6),
        Value::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
        Value::Number(n) => {
            if !int(out, n) {
                double(out, n.as_f64().unwrap_or(f64::NAN));
            }
        }
        Value::String(s) => text(out, s),
        Value::Array(a) => {
            head(out, 4, a.len() as u64);
            for x in a {
                document(x, out);
            }
        }
        Value::Object(o) => {
            head(out, 5, o.len() as u64);
            for (k, x) in o {
                text(out, k);
                document(x, out);
            }
        }
    }
}
