//! HTTP bindings shared by `rest-json` and `rest-xml` (botocore's
//! `BaseRestSerializer`).
//!
//! Each input member goes where its `location` says:
//!
//! * `uri`: fills `{Name}` in the request URI, percent-encoded (everything
//!   but letters, digits and `-._~`); a greedy `{Name+}` keeps `/`. A label
//!   the template names but the parameters lack is
//!   [`ProtocolError::MissingLabel`].
//! * `querystring`: `Name=value` (lists repeat the key; a map of strings or
//!   of string lists adds its own keys, which lose to explicitly bound
//!   members of the same name); appended with `?` or `&` after the
//!   template's own query.
//! * `header`: one header (lists joined with `,`, strings holding `,` or
//!   `"` quoted; timestamps RFC 822 unless the shape says otherwise, to the
//!   second; JSON-valued strings as base64 JSON); `headers`: a map whose
//!   keys are appended to the prefix `locationName`.
//! * no location: the body. The input's `payload` member, when there is
//!   one, is the whole body: a blob or string verbatim (no `Content-Type`),
//!   a structure, union or document serialized (an unset structure is `{}`
//!   in rest-json, an unset union or any unset rest-xml payload nothing).
//!   Without a payload member the unbound members form the body; rest-json
//!   sends `{}` when the input has body members but none is set. rest-json
//!   bodies get `Content-Type: application/json`.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::time::{self, Format};
use super::{
    array, base64, encode_pairs, has_header, json, member, object, percent_encode, py_json_compact,
    resolve, scalar_text, timestamp, xml, HttpRequest, Protocol, ProtocolError, Ser, ServiceModel,
};
use aws_mcp_core::catalog::{OperationModel, Shape, ShapeType};

/// A query-string entry: its values, and whether a member bound it by name.
struct QueryEntry {
    values: Vec<String>,
    explicit: bool,
}

pub(super) fn serialize(
    svc: &ServiceModel<'_>,
    op: &OperationModel,
    input: Option<&Shape>,
    params: &Map<String, Value>,
) -> Result<HttpRequest, ProtocolError> {
    let is_json = svc.protocol == Protocol::RestJson;
    let uri = op
        .http
        .as_ref()
        .map(|h| &*h.request_uri)
        .filter(|u| !u.is_empty())
        .unwrap_or("/");
    let mut req = HttpRequest {
        method: super::method(op, "POST"),
        ..Default::default()
    };
    let Some(sh) = input else {
        if let Some(k) = params.keys().next() {
            return Err(super::bad(k, "the operation takes no input"));
        }
        req.path = render_uri(uri, &IndexMap::new(), None)?;
        return Ok(req);
    };

    let mut labels: IndexMap<String, String> = IndexMap::new();
    let mut query: IndexMap<String, QueryEntry> = IndexMap::new();
    let mut body = Map::new();
    for (k, v) in params {
        let m = member(sh, k, "")?;
        if v.is_null() {
            continue;
        }
        let (msh, mser) = resolve(svc, m)?;
        let key_name = mser.name.unwrap_or(k);
        match mser.location {
            Some("uri") => {
                let t = scalar_text(msh, &mser, v, k, Format::Iso8601)?;
                labels.insert(key_name.to_string(), t);
            }
            Some("querystring") => match msh.shape_type {
                ShapeType::Map => query_map(svc, msh, v, k, &mut query)?,
                ShapeType::List => {
                    let (ish, iser) = super::list_member(svc, msh, k)?;
                    let mut values = Vec::new();
                    for (i, x) in array(v, k)?.iter().enumerate() {
                        if !x.is_null() {
                            values.push(scalar_text(
                                ish,
                                &iser,
                                x,
                                &super::index(k, i),
                                Format::Iso8601,
                            )?);
                        }
                    }
                    query.insert(
                        key_name.to_string(),
                        QueryEntry {
                            values,
                            explicit: true,
                        },
                    );
                }
                _ => {
                    let t = scalar_text(msh, &mser, v, k, Format::Iso8601)?;
                    query.insert(
                        key_name.to_string(),
                        QueryEntry {
                            values: vec![t],
                            explicit: true,
                        },
                    );
                }
            },
            Some("header") => {
                if msh.shape_type == ShapeType::List && v.as_array().is_some_and(Vec::is_empty) {
                    continue;
                }
                let t = header_value(svc, msh, &mser, v, k)?;
                set_header(&mut req.headers, key_name, t);
            }
            Some("headers") => {
                let vsh = match msh.value.as_deref() {
                    Some(r) => Some(resolve(svc, r)?),
                    None => None,
                };
                for (hk, hv) in object(v, k)? {
                    if hv.is_null() {
                        continue;
                    }
                    let p = super::join(k, hk);
                    let t = match vsh {
                        Some((vsh, vser)) => header_value(svc, vsh, &vser, hv, &p)?,
                        None => plain(hv, &p)?,
                    };
                    set_header(&mut req.headers, &format!("{key_name}{hk}"), t);
                }
            }
            Some(other) if other != "body" => {
                return Err(super::bad(
                    k,
                    format!("the model binds it to {other:?}, which a request cannot carry"),
                ))
            }
            _ => {
                body.insert(k.clone(), v.clone());
            }
        }
    }

    let mut path = render_uri(uri, &labels, Some(sh))?;
    let pairs: Vec<(&str, &str)> = query
        .iter()
        .flat_map(|(k, e)| e.values.iter().map(move |v| (k.as_str(), v.as_str())))
        .collect();
    if !pairs.is_empty() {
        path.push(if path.contains('?') { '&' } else { '?' });
        path.push_str(&encode_pairs(pairs));
    }
    req.path = path;

    // The body.
    let payload = sh.traits().payload.as_deref();
    let mut raw_payload = false;
    if let Some(pname) = payload {
        let pm = member(sh, pname, "")?;
        let (psh, pser) = resolve(svc, pm)?;
        if psh.traits().event_stream {
            return Err(ProtocolError::Streaming(pname.to_string()));
        }
        let value = params.get(pname).filter(|v| !v.is_null());
        match psh.shape_type {
            ShapeType::Blob | ShapeType::String => {
                raw_payload = true;
                req.body = match value {
                    Some(Value::String(s)) => s.clone().into_bytes(),
                    Some(v @ (Value::Array(_) | Value::Object(_)))
                        if psh.shape_type == ShapeType::Blob =>
                    {
                        super::blob_bytes(v, pname)?.into_owned()
                    }
                    Some(v) => {
                        return Err(super::bad(
                            pname,
                            format!("expected the body as a string, got {}", super::short(v)),
                        ))
                    }
                    None => Vec::new(),
                };
            }
            _ => {
                req.body = match value {
                    Some(v) if is_json => {
                        let j = if psh.shape_type == ShapeType::Structure && !psh.traits().document
                        {
                            json::structure(
                                svc,
                                psh,
                                object(v, pname)?,
                                pname,
                                Format::UnixTimestamp,
                            )?
                        } else {
                            json::value(svc, psh, &pser, v, pname, Format::UnixTimestamp)?
                        };
                        j.to_string().into_bytes()
                    }
                    Some(v) => {
                        let root = pser.name.unwrap_or(&pm.shape);
                        xml::document(svc, root, psh, &pser, v, pname)?
                    }
                    None if is_json && !psh.traits().union => b"{}".to_vec(),
                    None => Vec::new(),
                };
            }
        }
    } else if !body.is_empty() {
        req.body = if is_json {
            json::structure(svc, sh, &body, "", Format::UnixTimestamp)?
                .to_string()
                .into_bytes()
        } else {
            let iref = op.input.as_ref();
            let mut ser = Ser::of(None, sh);
            if let Some(r) = iref {
                if let Some(n) = r.location_name.as_deref() {
                    ser.name = Some(n);
                }
                if let Some(ns) = r.xml_namespace.as_ref() {
                    ser.xml_namespace = Some(ns);
                }
            }
            let root = ser.name.or(iref.map(|r| &*r.shape)).unwrap_or("Input");
            xml::document(svc, root, sh, &ser, &Value::Object(body), "")?
        };
    } else if is_json
        && sh
            .members
            .iter()
            .any(|(_, m)| m.traits().location.is_none())
    {
        req.body = b"{}".to_vec();
    }
    if is_json && !raw_payload && !req.body.is_empty() && !has_header(&req.headers, "Content-Type")
    {
        req.headers
            .push(("Content-Type".into(), "application/json".into()));
    }
    Ok(req)
}

/// Set a header, replacing one of the same name (a later member wins, as in
/// botocore's dict).
fn set_header(h: &mut Vec<(String, String)>, name: &str, value: String) {
    match h.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
        Some(e) => e.1 = value,
        None => h.push((name.to_string(), value)),
    }
}

/// A header value without a shape: strings as they are, scalars as text.
fn plain(v: &Value, path: &str) -> Result<String, ProtocolError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(super::number_text(n)),
        _ => Err(super::bad(
            path,
            format!("expected a string, got {}", super::short(v)),
        )),
    }
}

/// A query-string map: its keys join the query string unless a member
/// bound the same name.
fn query_map(
    svc: &ServiceModel<'_>,
    sh: &Shape,
    v: &Value,
    path: &str,
    query: &mut IndexMap<String, QueryEntry>,
) -> Result<(), ProtocolError> {
    let vref = sh
        .value
        .as_deref()
        .ok_or_else(|| super::bad(path, "the map shape has no value"))?;
    let (vsh, vser) = resolve(svc, vref)?;
    for (k, x) in object(v, path)? {
        if x.is_null() {
            continue;
        }
        let p = super::join(path, k);
        let values = if vsh.shape_type == ShapeType::List {
            let (ish, iser) = super::list_member(svc, vsh, &p)?;
            array(x, &p)?
                .iter()
                .filter(|y| !y.is_null())
                .map(|y| scalar_text(ish, &iser, y, &p, Format::Iso8601))
                .collect::<Result<Vec<_>, _>>()?
        } else {
            vec![scalar_text(vsh, &vser, x, &p, Format::Iso8601)?]
        };
        match query.get_mut(k) {
            Some(e) if e.explicit => {}
            Some(e) => e.values = values,
            None => {
                query.insert(
                    k.clone(),
                    QueryEntry {
                        values,
                        explicit: false,
                    },
                );
            }
        }
    }
    Ok(())
}

/// A header value (botocore's `_convert_header_value`).
fn header_value(
    svc: &ServiceModel<'_>,
    sh: &Shape,
    ser: &Ser<'_>,
    v: &Value,
    path: &str,
) -> Result<String, ProtocolError> {
    match sh.shape_type {
        ShapeType::Timestamp => {
            let mut t = timestamp(v, path)?;
            t.micros = 0;
            Ok(time::format(t, ser.ts_format(Format::Rfc822)))
        }
        ShapeType::List => {
            let (msh, mser) = super::list_member(svc, sh, path)?;
            let mut parts = Vec::new();
            for (i, x) in array(v, path)?.iter().enumerate() {
                if x.is_null() {
                    continue;
                }
                let p = super::index(path, i);
                parts.push(if msh.shape_type == ShapeType::String {
                    let s = scalar_text(msh, &mser, x, &p, Format::Iso8601)?;
                    if s.contains('"') || s.contains(',') {
                        format!("\"{}\"", s.replace('"', "\\\""))
                    } else {
                        s
                    }
                } else {
                    header_value(svc, msh, &mser, x, &p)?
                });
            }
            Ok(parts.join(","))
        }
        ShapeType::String if ser.jsonvalue => Ok(base64(py_json_compact(v).as_bytes())),
        _ => scalar_text(sh, ser, v, path, Format::Iso8601),
    }
}

/// The request URI with its labels filled and percent-encoded.
fn render_uri(
    tpl: &str,
    labels: &IndexMap<String, String>,
    input: Option<&Shape>,
) -> Result<String, ProtocolError> {
    let mut out = String::with_capacity(tpl.len());
    let mut rest = tpl;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let label = &rest[open + 1..open + close];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(n) => (n, true),
            None => (label, false),
        };
        match labels.get(name) {
            Some(v) => out.push_str(&percent_encode(v, if greedy { b"/~" } else { b"" })),
            None => {
                // Name the API member whose locationName is the label.
                let member = input
                    .and_then(|sh| {
                        sh.members
                            .iter()
                            .find(|(n, m)| m.traits().location_name.as_deref().unwrap_or(n) == name)
                    })
                    .map(|(n, _)| n.to_string())
                    .unwrap_or_else(|| name.to_string());
                return Err(ProtocolError::MissingLabel(member));
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    Ok(out)
}
