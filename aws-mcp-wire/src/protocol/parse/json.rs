//! JSON bodies: `json` and `rest-json` (botocore's `BaseJSONParser`,
//! `JSONParser` and the body half of `RestJSONParser`).

use serde_json::{Map, Value};

use super::{float_value, header, Cx, R};
use crate::protocol::{ApiError, HttpResponse, Protocol, ProtocolError};
use aws_mcp_core::catalog::ShapeType;

/// A JSON value as Python's `str()` would print it inside a message.
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "None".into(),
        other => other.to_string(),
    }
}

/// botocore's error-code cleanup: `prefix#Code:suffix` → `Code`.
fn clean_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    code.rsplit('#').next().unwrap_or(code)
}

impl<'a> Cx<'_, 'a> {
    /// Any shape from a JSON value.
    pub(crate) fn json_value(&self, r: &R<'a>, v: &Value) -> Result<Value, ProtocolError> {
        let rest = self.svc.protocol == Protocol::RestJson;
        if v.is_null() {
            return Ok(Value::Null);
        }
        match r.shape.shape_type {
            ShapeType::Structure => {
                if r.shape.traits().document {
                    return Ok(v.clone());
                }
                let Value::Object(obj) = v else {
                    return Err(self.bad(format!("{} should be an object, got {v}", r.name)));
                };
                if r.shape.traits().union {
                    let set: Vec<&String> = obj
                        .iter()
                        .filter(|(k, v)| *k != "__type" && !v.is_null())
                        .map(|(k, _)| k)
                        .collect();
                    if set.len() != 1 {
                        return Err(
                            self.bad(format!("{} must have one and only one member set", r.name))
                        );
                    }
                    let tag = set[0];
                    let mut known = false;
                    for (n, m) in r.shape.members.iter() {
                        let m = self.resolve(m)?;
                        known |= m.location_name().unwrap_or(n) == tag.as_str();
                    }
                    if !known {
                        let mut inner = Map::new();
                        inner.insert("name".into(), Value::String(tag.clone()));
                        let mut out = Map::new();
                        out.insert("SDK_UNKNOWN_MEMBER".into(), Value::Object(inner));
                        return Ok(Value::Object(out));
                    }
                }
                let mut out = Map::new();
                for (name, mref) in r.shape.members.iter() {
                    let m = self.resolve(mref)?;
                    let key = m.location_name().unwrap_or(name);
                    if let Some(raw) = obj.get(key).filter(|v| !v.is_null()) {
                        out.insert(name.to_string(), self.json_value(&m, raw)?);
                    }
                }
                Ok(Value::Object(out))
            }
            ShapeType::List => {
                let Value::Array(items) = v else {
                    return Err(self.bad(format!("{} should be a list, got {v}", r.name)));
                };
                let m = self.part(r, r.shape.member.as_deref(), "list member")?;
                items
                    .iter()
                    .map(|i| self.json_value(&m, i))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array)
            }
            ShapeType::Map => {
                let Value::Object(obj) = v else {
                    return Err(self.bad(format!("{} should be a map, got {v}", r.name)));
                };
                let val = self.part(r, r.shape.value.as_deref(), "map value")?;
                let mut out = Map::new();
                for (k, x) in obj {
                    out.insert(k.clone(), self.json_value(&val, x)?);
                }
                Ok(Value::Object(out))
            }
            ShapeType::Timestamp => self.timestamp(v.clone()),
            ShapeType::Blob => self.blob(v.clone()),
            ShapeType::Boolean if rest => Ok(match v {
                Value::Bool(b) => Value::Bool(*b),
                Value::String(s) => Value::Bool(s.eq_ignore_ascii_case("true")),
                Value::Number(n) => Value::Bool(n.as_f64() != Some(0.0)),
                other => other.clone(),
            }),
            ShapeType::Integer | ShapeType::Long if rest => match v {
                Value::Number(n) if n.is_i64() || n.is_u64() => Ok(v.clone()),
                Value::Number(n) => Ok(Value::from(n.as_f64().unwrap_or(0.0).trunc() as i64)),
                Value::String(s) => self.integer_text(s),
                other => Err(self.bad(format!("{other} is not an integer"))),
            },
            ShapeType::Float | ShapeType::Double if rest => match v {
                Value::Number(n) => Ok(float_value(n.as_f64().unwrap_or(f64::NAN))),
                Value::String(s) => self.float_text(s),
                other => Err(self.bad(format!("{other} is not a number"))),
            },
            _ => Ok(v.clone()),
        }
    }

    /// A JSON body: empty is `{}`.
    pub(crate) fn json_body(&self, body: &[u8]) -> Result<Value, ProtocolError> {
        if body.is_empty() {
            return Ok(Value::Object(Map::new()));
        }
        serde_json::from_slice(body).map_err(|e| self.bad(format!("invalid JSON ({e})")))
    }

    /// A structure from the whole JSON body.
    pub(crate) fn json_body_struct(
        &self,
        r: R<'a>,
        body: &[u8],
    ) -> Result<Map<String, Value>, ProtocolError> {
        let v = self.json_body(body)?;
        match self.json_value(&r, &v)? {
            Value::Object(m) => Ok(m),
            _ => Ok(Map::new()),
        }
    }

    /// A `json` success.
    pub(crate) fn json_rpc_success(
        &self,
        op_name: &str,
        r: R<'a>,
        body: &[u8],
    ) -> Result<Map<String, Value>, ProtocolError> {
        for (_, m) in r.shape.members.iter() {
            if self.resolve(m)?.shape.traits().event_stream {
                return Err(ProtocolError::Streaming(op_name.to_string()));
            }
        }
        self.json_body_struct(r, body)
    }

    /// A `json` or `rest-json` error: `__type`, `x-amzn-query-error`,
    /// and for `rest-json` the `x-amzn-errortype` header or a `code` member.
    pub(crate) fn json_error(&self, resp: &HttpResponse<'_>) -> ApiError {
        let body: Value = if resp.body.is_empty() {
            Value::Object(Map::new())
        } else {
            serde_json::from_slice(resp.body).unwrap_or_else(|_| {
                let mut m = Map::new();
                m.insert(
                    "message".into(),
                    Value::String(String::from_utf8_lossy(resp.body).into_owned()),
                );
                Value::Object(m)
            })
        };
        let empty = Map::new();
        let obj = body.as_object().unwrap_or(&empty);
        let message = obj
            .get("message")
            .or_else(|| obj.get("Message"))
            .map(as_text)
            .unwrap_or_default();
        let mut code = match obj.get("__type") {
            Some(Value::String(t)) => clean_code(t).to_string(),
            Some(other) => as_text(other),
            None => resp.status.to_string(),
        };
        if let Some(q) = header(resp.headers, "x-amzn-query-error") {
            let parts: Vec<&str> = q.split(';').collect();
            if parts.len() == 2 && !parts[0].is_empty() {
                code = parts[0].to_string();
            }
        }
        if self.svc.protocol == Protocol::RestJson {
            if let Some(t) = header(resp.headers, "x-amzn-errortype") {
                code = clean_code(&t).to_string();
            } else if let Some(c) = obj.get("code").or_else(|| obj.get("Code")) {
                code = match c {
                    Value::String(s) => clean_code(s).to_string(),
                    other => as_text(other),
                };
            }
        }
        ApiError {
            code,
            message,
            request_id: super::header_request_id(resp.headers),
            status: resp.status,
        }
    }
}
