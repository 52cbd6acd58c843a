//! Requests: a validated command's API parameters to an [`HttpRequest`].
//!
//! ## Design
//!
//! * One entry point, [`serialize`], dispatching on the service's
//!   [`Protocol`]; one module per body format: `query` (the `query` and
//!   `ec2` form encodings), `json` (AWS JSON 1.0/1.1 and the JSON bodies
//!   of `rest-json`), `xml` (the XML bodies of `rest-xml`), `cbor`
//!   (`smithy-rpc-v2-cbor`), and `rest` for the HTTP bindings both REST
//!   protocols share (URI labels, query string, headers, payload members).
//! * The rules are botocore's (`botocore/serialize.py` plus the handlers
//!   that fill idempotency tokens and the request checksum), so that a
//!   native call sends what `aws ...` would send. Where botocore's own
//!   protocol test suite records botocore as wrong (its ignore list) and the
//!   fix cannot change a request botocore gets right, the Smithy rule is
//!   followed instead: null values are left out (botocore writes JSON
//!   `null`), explicitly bound query members win over a query-parameter
//!   map, an unset union payload sends no body, a document payload is the
//!   document itself, EC2 capitalises plain member names too, and an XML
//!   root without a `locationName` takes the shape's name (botocore fails).
//! * Checksums: botocore 1.36+'s flexible checksums ([`super::checksum`]):
//!   an operation that requires one, or supports one (unless
//!   `when_required`), gets `x-amz-checksum-crc32` (or the algorithm of
//!   `--checksum-algorithm`), unless a checksum header or `Content-MD5` is
//!   already set.
//! * Left to the sender: `Host`, `Content-Length`, signing, request
//!   compression (`requestcompression`), and botocore's per-service
//!   customizations (S3: SSE-C key encoding and `...KeyMD5`,
//!   `EncodingType=url` on `ListObjects*`; virtual-hosted bucket addressing
//!   is endpoint resolution).
//! * Shapes are the catalog's botocore shapes. A member's serialization
//!   traits are the member reference's traits over the target shape's, as
//!   botocore merges them (`Ser`).
//! * Values are typed as the validator leaves them: strings, numbers,
//!   booleans, arrays and objects; timestamps as ISO 8601/RFC 822 strings or
//!   epoch numbers; blobs as strings whose UTF-8 bytes are the data (or
//!   `{"$bytes": "<base64>"}` or an array of byte values, for bytes that
//!   are not UTF-8); a
//!   streaming payload (S3 `PutObject` `Body`) as a string that becomes the
//!   body verbatim. A value of the wrong JSON type, an unknown member, a
//!   missing URI or host label and an unknown shape are
//!   [`ProtocolError`]s, never panics.
//! * Strings botocore derives from Python values are reproduced: booleans
//!   `true`/`false`, floats as Python's `repr` (`1e+16`), timestamps per
//!   location (headers `rfc822`, query strings and URIs `iso8601`, bodies
//!   the protocol's default unless the shape says otherwise).

use std::borrow::Cow;

use base64::Engine as _;
use serde_json::{Map, Number, Value};

use super::{HttpRequest, Protocol, ProtocolError, ServiceModel};
use aws_mcp_core::catalog::{MemberRef, OperationModel, Shape, ShapeType, XmlNamespace};

mod cbor;
mod json;
mod query;
mod rest;
pub(crate) mod time;
mod xml;

#[cfg(test)]
mod tests;

use time::Format;

/// Options for [`serialize`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SerializeOptions {
    /// The value given to top-level `idempotencyToken` members the
    /// parameters leave unset (botocore fills them with a fresh UUID 4; the
    /// caller generates one). `None` leaves them unset.
    pub idempotency_token: Option<String>,
    /// When flexible request checksums are calculated
    /// (`AWS_REQUEST_CHECKSUM_CALCULATION`; see [`super::checksum`]).
    pub checksum_calculation: super::checksum::Calculation,
    /// The streaming payload is not among the parameters: the caller sends
    /// it from elsewhere (a file, a part of one) and computes its checksum
    /// itself ([`super::checksum::request_checksum_headers`] over those
    /// bytes); none is computed over the serialized (empty) body.
    pub external_payload: bool,
}

/// Build the HTTP request (unsigned, without `Host`) for one operation.
///
/// `params` are the input's members keyed by API member name, typed as the
/// validator leaves them. `op_name` is the operation's API name
/// (`DescribeInstances`), used by the RPC protocols.
pub fn serialize(
    svc: &ServiceModel<'_>,
    op_name: &str,
    op: &OperationModel,
    params: &Map<String, Value>,
    opts: &SerializeOptions,
) -> Result<HttpRequest, ProtocolError> {
    let input = match &op.input {
        Some(r) => {
            let sh = svc.shape(&r.shape)?;
            if sh.shape_type != ShapeType::Structure {
                return Err(bad(
                    &r.shape,
                    "the operation's input shape is not a structure",
                ));
            }
            Some(sh)
        }
        None => None,
    };
    let params = fill_idempotency_tokens(input, params, opts);
    let params = params.as_ref();
    let mut req = match svc.protocol {
        Protocol::Query | Protocol::Ec2 => query::serialize(
            svc,
            op_name,
            op,
            input,
            params,
            svc.protocol == Protocol::Ec2,
        )?,
        Protocol::Json => json::serialize_rpc(svc, op_name, op, input, params)?,
        Protocol::RestJson | Protocol::RestXml => rest::serialize(svc, op, input, params)?,
        Protocol::RpcV2Cbor => cbor::serialize(svc, op_name, op, input, params)?,
    };
    req.host_prefix = host_prefix(op, input, params)?;
    if !opts.external_payload && !has_header(&req.headers, "Content-MD5") {
        let extra = super::checksum::request_checksum_headers(
            op,
            input,
            params,
            &req.headers,
            &req.body,
            opts.checksum_calculation,
        )?;
        req.headers.extend(extra);
    }
    Ok(req)
}

/// The base64 of the MD5 digest of `bytes`: the form of `Content-MD5` and of
/// S3's `SSECustomerKeyMD5`.
pub fn base64_md5(bytes: &[u8]) -> String {
    use md5::Digest as _;
    base64(md5::Md5::digest(bytes).as_slice())
}

/// Top-level idempotency-token members left unset get the caller's token
/// (botocore's `generate_idempotent_uuid` handler).
fn fill_idempotency_tokens<'p>(
    input: Option<&Shape>,
    params: &'p Map<String, Value>,
    opts: &SerializeOptions,
) -> Cow<'p, Map<String, Value>> {
    let (Some(sh), Some(token)) = (input, opts.idempotency_token.as_deref()) else {
        return Cow::Borrowed(params);
    };
    let mut out = Cow::Borrowed(params);
    for (name, m) in sh.members.iter() {
        if m.traits().idempotency_token && params.get(&**name).is_none_or(Value::is_null) {
            out.to_mut()
                .insert(name.to_string(), Value::String(token.to_string()));
        }
    }
    out
}

/// The operation's host prefix with its `{Label}`s filled from the
/// `hostLabel` members (which must be letters, digits, hyphens and dots).
fn host_prefix(
    op: &OperationModel,
    input: Option<&Shape>,
    params: &Map<String, Value>,
) -> Result<Option<String>, ProtocolError> {
    let Some(tpl) = op.endpoint.as_ref().map(|e| e.host_prefix.as_str()) else {
        return Ok(None);
    };
    if tpl.is_empty() {
        return Ok(None);
    }
    let mut out = String::new();
    let mut rest = tpl;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let label = &rest[open + 1..open + close];
        let is_label =
            input.is_some_and(|sh| sh.member_ref(label).is_some_and(|m| m.traits().host_label));
        let value = params.get(label).filter(|v| !v.is_null());
        match (is_label, value) {
            (true, Some(Value::String(s)))
                if !s.is_empty()
                    && s.bytes()
                        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.') =>
            {
                out.push_str(s)
            }
            (true, Some(v)) => {
                return Err(bad(
                    label,
                    format!(
                        "{} is not a valid host label: it goes in the host name, so it may \
                         contain only letters, digits, hyphens and periods",
                        short(v)
                    ),
                ))
            }
            (true, None) => {
                return Err(bad(
                    label,
                    "is required: it is part of the endpoint's host name",
                ))
            }
            (false, _) => {
                return Err(bad(
                    label,
                    "the model's host prefix names it, but it is not a host label member",
                ))
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(Some(out))
}

/// A member's serialization traits: the member reference's over the
/// target shape's (botocore's `Shape.serialization` of a resolved member).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Ser<'a> {
    /// `locationName`: the wire name.
    pub name: Option<&'a str>,
    /// `location`: `uri`, `querystring`, `header`, `headers`.
    pub location: Option<&'a str>,
    /// EC2's `queryName`.
    pub query_name: Option<&'a str>,
    /// A flattened list or map.
    pub flattened: bool,
    /// `timestampFormat`.
    pub timestamp_format: Option<&'a str>,
    /// `xmlNamespace`.
    pub xml_namespace: Option<&'a XmlNamespace>,
    /// `xmlAttribute`.
    pub xml_attribute: bool,
    /// `jsonvalue`: a string header carrying JSON.
    pub jsonvalue: bool,
}

impl<'a> Ser<'a> {
    /// The traits of a reference `m` (when there is one) to shape `sh`.
    pub fn of(m: Option<&'a MemberRef>, sh: &'a Shape) -> Ser<'a> {
        let st = sh.traits();
        let mt = m.map(MemberRef::traits);
        Ser {
            name: mt
                .and_then(|t| t.location_name.as_deref())
                .or(st.location_name.as_deref()),
            location: mt.and_then(|t| t.location.as_deref()),
            query_name: mt.and_then(|t| t.query_name.as_deref()),
            flattened: mt.is_some_and(|t| t.flattened) || st.flattened,
            timestamp_format: mt
                .and_then(|t| t.timestamp_format.as_deref())
                .or(st.timestamp_format.as_deref()),
            xml_namespace: mt
                .and_then(|t| t.xml_namespace.as_ref())
                .or(st.xml_namespace.as_ref()),
            xml_attribute: mt.is_some_and(|t| t.xml_attribute),
            jsonvalue: mt.is_some_and(|t| t.jsonvalue),
        }
    }

    /// The timestamp format to use, or `default`.
    pub fn ts_format(&self, default: Format) -> Format {
        self.timestamp_format
            .and_then(Format::from_name)
            .unwrap_or(default)
    }
}

/// A resolved reference: the target shape and the merged traits.
pub(crate) fn resolve<'a>(
    svc: &ServiceModel<'a>,
    m: &'a MemberRef,
) -> Result<(&'a Shape, Ser<'a>), ProtocolError> {
    let sh = svc.shape(&m.shape)?;
    Ok((sh, Ser::of(Some(m), sh)))
}

/// The member shape of a list and its merged traits.
pub(crate) fn list_member<'a>(
    svc: &ServiceModel<'a>,
    sh: &'a Shape,
    path: &str,
) -> Result<(&'a Shape, Ser<'a>), ProtocolError> {
    let m = sh
        .member
        .as_deref()
        .ok_or_else(|| bad(path, "the list shape has no member"))?;
    resolve(svc, m)
}

/// The operation's HTTP method, or `default` when the model names none.
pub(crate) fn method(op: &OperationModel, default: &str) -> String {
    op.http
        .as_ref()
        .map(|h| h.method.to_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| default.to_string())
}

/// A structure member by name, or an error naming the members that exist.
pub(crate) fn member<'a>(
    sh: &'a Shape,
    name: &str,
    path: &str,
) -> Result<&'a MemberRef, ProtocolError> {
    sh.member_ref(name).ok_or_else(|| {
        let known: Vec<&str> = sh.members.iter().map(|(n, _)| &**n).collect();
        bad(
            &join(path, name),
            format!("is not a member of the input (valid: {})", known.join(", ")),
        )
    })
}

/// `path.key`, or `key` at the top.
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `path[i]`.
pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// A [`ProtocolError::BadParameter`].
pub(crate) fn bad(path: &str, detail: impl Into<String>) -> ProtocolError {
    ProtocolError::BadParameter {
        path: if path.is_empty() {
            "(input)".into()
        } else {
            path.to_string()
        },
        detail: detail.into(),
    }
}

/// A value, shortened for an error message.
pub(crate) fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}...", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

fn type_error(path: &str, expected: &str, v: &Value) -> ProtocolError {
    bad(path, format!("expected {expected}, got {}", short(v)))
}

/// The object a structure or map value must be.
pub(crate) fn object<'v>(
    v: &'v Value,
    path: &str,
) -> Result<&'v Map<String, Value>, ProtocolError> {
    v.as_object()
        .ok_or_else(|| type_error(path, "an object", v))
}

/// The array a list value must be.
pub(crate) fn array<'v>(v: &'v Value, path: &str) -> Result<&'v [Value], ProtocolError> {
    v.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| type_error(path, "a list", v))
}

/// Standard base64.
pub(crate) fn base64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// Whether a header is set (names compare case-insensitively).
pub(crate) fn has_header(h: &[(String, String)], name: &str) -> bool {
    h.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
}

/// A number as Python's `str` writes it: integers as integers, floats as `repr`.
pub(crate) fn number_text(n: &Number) -> String {
    if n.is_i64() || n.is_u64() {
        n.to_string()
    } else {
        time::py_float(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// A special float spelled as a string (`Infinity`, `-Infinity`, `NaN`).
pub(crate) fn special_float(v: &Value) -> Option<&'static str> {
    match v.as_str()? {
        "Infinity" => Some("Infinity"),
        "-Infinity" => Some("-Infinity"),
        "NaN" => Some("NaN"),
        _ => None,
    }
}

/// A parsed timestamp, or a [`ProtocolError`].
pub(crate) fn timestamp(v: &Value, path: &str) -> Result<time::Instant, ProtocolError> {
    time::parse(v).ok_or_else(|| {
        type_error(
            path,
            "a timestamp (ISO 8601 such as 2024-01-31T12:00:00Z, or seconds since the epoch)",
            v,
        )
    })
}

/// The bytes of a blob value ([`aws_mcp_core::command::blob_bytes`]): a
/// string's UTF-8, the validator's `{"$bytes": "<base64>"}` for bytes that
/// are not UTF-8, or an array of byte values.
pub(crate) fn blob_bytes<'v>(v: &'v Value, path: &str) -> Result<Cow<'v, [u8]>, ProtocolError> {
    aws_mcp_core::command::blob_bytes(v)
        .ok_or_else(|| type_error(path, "binary data as a string or an array of bytes", v))
}

/// A scalar as text (form bodies, XML text, URI labels, query strings):
/// booleans `true`/`false`, numbers as Python prints them, timestamps in
/// the member's format or `default_ts`, blobs in base64.
pub(crate) fn scalar_text(
    sh: &Shape,
    ser: &Ser<'_>,
    v: &Value,
    path: &str,
    default_ts: Format,
) -> Result<String, ProtocolError> {
    match sh.shape_type {
        ShapeType::String => match v {
            Value::String(s) => Ok(s.clone()),
            _ => Err(type_error(path, "a string", v)),
        },
        ShapeType::Integer | ShapeType::Long => match v {
            Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
            _ => Err(type_error(path, "an integer", v)),
        },
        ShapeType::Float | ShapeType::Double => match v {
            Value::Number(n) => Ok(number_text(n)),
            _ => special_float(v)
                .map(str::to_string)
                .ok_or_else(|| type_error(path, "a number", v)),
        },
        ShapeType::Boolean => match v {
            Value::Bool(b) => Ok(b.to_string()),
            _ => Err(type_error(path, "true or false", v)),
        },
        ShapeType::Timestamp => Ok(time::format(timestamp(v, path)?, ser.ts_format(default_ts))),
        ShapeType::Blob => Ok(base64(&blob_bytes(v, path)?)),
        ShapeType::Structure | ShapeType::List | ShapeType::Map => Err(bad(
            path,
            "a structure, list or map cannot go here (only a single value can)",
        )),
    }
}

/// Percent-encode as botocore's `percent_encode` (Python's `quote`): letters,
/// digits and `-._~` stay, plus the bytes in `safe`.
pub fn percent_encode(s: &str, safe: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || safe.contains(&b)
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `k=v&k=v`, each side percent-encoded (botocore's `percent_encode_sequence`).
pub(crate) fn encode_pairs<'s>(pairs: impl IntoIterator<Item = (&'s str, &'s str)>) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&percent_encode(k, b""));
        out.push('=');
        out.push_str(&percent_encode(v, b""));
    }
    out
}

/// JSON as Python's `json.dumps(v, separators=(',', ':'))` writes it:
/// compact, non-ASCII escaped as `\uXXXX`.
pub(crate) fn py_json_compact(v: &Value) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for u in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}
