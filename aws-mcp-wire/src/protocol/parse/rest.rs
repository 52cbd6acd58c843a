//! The REST protocols' bindings (botocore's `BaseRestParser`): members in
//! headers, the status code, and the payload member or the whole body.

use serde_json::{Map, Value};

use super::xml::{parse_doc, XNode};
use super::{header, BlobMode, Cx, R};
use crate::protocol::{HttpResponse, Protocol, ProtocolError};
use aws_mcp_core::catalog::ShapeType;

impl<'a> Cx<'_, 'a> {
    /// A `rest-json` or `rest-xml` success.
    pub(crate) fn rest_success(
        &self,
        op_name: &str,
        r: R<'a>,
        resp: &HttpResponse<'_>,
    ) -> Result<Map<String, Value>, ProtocolError> {
        if let Some(p) = r.shape.traits().payload.as_deref() {
            if let Some(m) = r.shape.member_ref(p) {
                if self.resolve(m)?.shape.traits().event_stream {
                    return Err(ProtocolError::Streaming(op_name.to_string()));
                }
            }
        }
        self.rest_fields(r, resp)
    }

    /// Every member of a REST output or error structure: headers and status
    /// code first, then the payload or body members.
    pub(crate) fn rest_fields(
        &self,
        r: R<'a>,
        resp: &HttpResponse<'_>,
    ) -> Result<Map<String, Value>, ProtocolError> {
        let mut out = Map::new();
        for (name, mref) in r.shape.members.iter() {
            let m = self.resolve(mref)?;
            match m.location() {
                Some("statusCode") => {
                    out.insert(name.to_string(), Value::from(resp.status));
                }
                Some("headers") => {
                    let prefix = m.location_name().unwrap_or("").to_ascii_lowercase();
                    let mut map = Map::new();
                    for (k, v) in resp.headers {
                        if k.to_ascii_lowercase().starts_with(&prefix) {
                            let key = k.get(prefix.len()..).unwrap_or_default().to_string();
                            let v = match map.get(&key) {
                                Some(Value::String(prev)) => format!("{prev}, {v}"),
                                _ => v.clone(),
                            };
                            map.insert(key, Value::String(v));
                        }
                    }
                    out.insert(name.to_string(), Value::Object(map));
                }
                Some("header") => {
                    let hname = m.location_name().unwrap_or(name);
                    if let Some(v) = header(resp.headers, hname) {
                        out.insert(name.to_string(), self.header_value(&m, &v)?);
                    }
                }
                _ => {}
            }
        }
        let payload = r.shape.traits().payload.as_deref();
        if let Some((pname, pref)) =
            payload.and_then(|p| r.shape.members.iter().find(|(n, _)| &**n == p))
        {
            let m = self.resolve(pref)?;
            match m.shape.shape_type {
                ShapeType::String | ShapeType::Blob => {
                    if !(m.streaming() && self.opts.blobs == BlobMode::Base64) {
                        out.insert(
                            pname.to_string(),
                            Value::String(String::from_utf8_lossy(resp.body).into_owned()),
                        );
                    }
                }
                _ => {
                    let v = self.rest_body_value(&m, resp.body)?;
                    out.insert(pname.to_string(), v);
                }
            }
        } else if let Value::Object(body) = self.rest_body_value(&r, resp.body)? {
            for (k, v) in body {
                out.insert(k, v);
            }
        }
        Ok(out)
    }

    /// The body parsed as `r` (an empty body as an empty object or element).
    fn rest_body_value(&self, r: &R<'a>, body: &[u8]) -> Result<Value, ProtocolError> {
        if self.svc.protocol == Protocol::RestJson {
            let v = self.json_body(body)?;
            return self.json_value(r, &v);
        }
        let empty = body.trim_ascii().is_empty();
        let doc = parse_doc(self, if empty { b"<_/>" } else { body })?;
        self.xml_value(r, &XNode::One(doc.root_element()))
    }

    /// A member bound to a header.
    fn header_value(&self, r: &R<'a>, text: &str) -> Result<Value, ProtocolError> {
        let lenient = self.svc.protocol == Protocol::RestJson;
        match r.shape.shape_type {
            ShapeType::List => {
                let m = self.part(r, r.shape.member.as_deref(), "list member")?;
                text.split(',')
                    .map(|item| self.scalar_text(&m, item.trim(), lenient))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array)
            }
            _ => self.scalar_text(r, text, lenient),
        }
    }
}
