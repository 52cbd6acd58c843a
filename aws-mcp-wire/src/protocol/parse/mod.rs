//! Responses: an [`HttpResponse`] to the JSON the AWS CLI prints, or to an
//! [`ApiError`].
//!
//! ## Design
//!
//! This is a port of botocore's `parsers.py` (botocore 1.44.8, the version
//! behind awscli 1.46.3), one module per body format:
//!
//! * `xml`: the `query`, `ec2` and `rest-xml` bodies. botocore builds an
//!   ElementTree and maps each structure's children by tag name, repeated
//!   tags collected into a list; this module does the same over a
//!   [`roxmltree`] document, quirks included: a non-flattened list takes
//!   every child element whatever its tag, an empty element is the empty
//!   string (or an empty list or structure), a missing element is an absent
//!   member, an `xmlAttribute` member is read only when no child element has
//!   its name.
//! * `json`: the `json` and `rest-json` bodies (`rest-json` converts numbers
//!   and booleans given as strings, `json` passes them through).
//! * `rest`: the members bound to headers (`location: header`, prefixed
//!   `headers` maps, comma-separated header lists, base64 `jsonvalue`
//!   headers), the status code, and the `payload` member.
//! * `handlers`: botocore's service-specific after-call handlers that change
//!   what the CLI prints (IAM policy documents decoded to JSON, EC2 console
//!   output decoded, CloudFormation templates parsed, S3's bucket location,
//!   `ExpiresString`, errors in S3 200 responses), and
//!   [`decode_s3_list_keys`] for callers that add `EncodingType=url`.
//! * `time`: botocore's `parse_timestamp` (epoch numbers, ISO 8601,
//!   RFC 1123) for [`TimestampMode::EpochSeconds`] and
//!   [`TimestampMode::Iso8601`] (epoch numbers in the zone
//!   [`ParseOptions::local_offset`] gives, as Python's `tzlocal()`).
//!
//! ## Output
//!
//! With [`ParseOptions::CLI`] the result is what `aws ... --output json`
//! prints with awscli's defaults: timestamps and blobs as the service sent
//! them (awscli's `scalarparse` replaces botocore's timestamp and blob
//! parsers by the identity), `ResponseMetadata` left out, members in the
//! order botocore inserts them: for the REST protocols the header and
//! status-code members first, then the body's, each in model order. A
//! streaming payload (S3 `GetObject`'s `Body`) is left out in that mode: the
//! CLI writes it to the outfile and removes it; the caller has the bytes in
//! [`HttpResponse::body`]. [`ParseOptions::BOTOCORE`] gives what botocore's
//! own protocol tests expect (epoch-second timestamps, decoded blobs, the
//! streaming payload as text). [`TimestampMode::Iso8601`] prints timestamps
//! as the CLI does with `cli_timestamp_format = iso8601`.
//!
//! Floats that are not finite (`NaN`, `Infinity`) have no JSON number and
//! come out as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
//!
//! ## Checks
//!
//! The tests run every output case of botocore's protocol suites (skipping
//! only the cases botocore's own runner skips), hand-written responses for
//! real operations of the embedded catalog, and corrupted bodies. The
//! ignored test `parse_diff` compares with botocore itself on synthetic
//! responses for every operation of every service
//! (`tools/testdata/parse-diff.py`).
//!
//! ## Errors
//!
//! A status of 301 or more is an error (botocore's rule), parsed per
//! protocol into the code and message the CLI prints in `An error occurred
//! (CODE) when calling the OP operation: MESSAGE`. A 5xx answer with an
//! empty or HTML body gets the status as its code and the HTTP reason as its
//! message, as does an S3 error without a body (`HeadObject`'s 404 prints
//! `(404) ... Not Found`). When an XML body names no code or message, the
//! field is `Unknown`, and when its element is empty, `None`: what the CLI
//! prints then. A body that cannot be read as its protocol's format is a
//! [`ProtocolError::BadResponse`], except where botocore tolerates it (a
//! JSON error body that is not JSON becomes the message; a rest-xml error
//! body that is not XML falls back to the status). [`parse_error_details`]
//! reads the modeled members of an error (botocore's second pass).

mod handlers;
mod json;
mod rest;
pub(crate) mod time;
mod xml;

#[cfg(test)]
mod tests;

use std::sync::LazyLock;

use serde_json::{Map, Value};

use super::{ApiError, HttpResponse, Protocol, ProtocolError, ServiceModel};
use aws_mcp_core::catalog::{MemberRef, MemberTraits, OperationModel, Shape, ShapeType};

/// How timestamps are returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TimestampMode {
    /// As the service sent them: the XML or header text, or the JSON number
    /// or string. What AWS CLI v1 prints by default (`cli_timestamp_format`
    /// `none`/`wire`).
    #[default]
    Raw,
    /// Parsed to seconds since the epoch (a JSON number): what botocore's
    /// protocol tests expect.
    EpochSeconds,
    /// Python's `isoformat()` of the parsed time (`2024-01-02T03:04:05+00:00`,
    /// the offset as written, none for a time written without one, epoch
    /// numbers in UTC): what AWS CLI v1 prints with `cli_timestamp_format =
    /// iso8601`.
    Iso8601,
}

/// How blobs are returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BlobMode {
    /// As sent (base64 text in XML and JSON bodies): what AWS CLI v1 prints.
    #[default]
    Base64,
    /// Base64-decoded, the bytes read as UTF-8 (invalid sequences replaced):
    /// what botocore's protocol tests expect.
    Decoded,
}

/// The machine's UTC offset in seconds at an instant (seconds since the
/// epoch): Python's `dateutil.tz.tzlocal()`, the zone the AWS CLI gives
/// timestamps the service sent as epoch numbers. The parser has no clock
/// and no time-zone data: the caller supplies it.
#[derive(Clone, Copy)]
pub struct LocalOffset(pub fn(i64) -> i32);

impl PartialEq for LocalOffset {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.0, other.0)
    }
}

impl Eq for LocalOffset {}

impl std::hash::Hash for LocalOffset {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.0 as usize).hash(state);
    }
}

impl std::fmt::Debug for LocalOffset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LocalOffset(..)")
    }
}

/// How scalars are returned; see [`TimestampMode`] and [`BlobMode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct ParseOptions {
    /// Timestamps.
    pub timestamps: TimestampMode,
    /// Blobs.
    pub blobs: BlobMode,
    /// With [`TimestampMode::Iso8601`], the zone of timestamps sent as epoch
    /// numbers; `None`: UTC.
    pub local_offset: Option<LocalOffset>,
}

impl ParseOptions {
    /// What the AWS CLI v1 prints (the default).
    pub const CLI: ParseOptions = ParseOptions {
        timestamps: TimestampMode::Raw,
        blobs: BlobMode::Base64,
        local_offset: None,
    };
    /// What botocore's protocol tests expect.
    pub const BOTOCORE: ParseOptions = ParseOptions {
        timestamps: TimestampMode::EpochSeconds,
        blobs: BlobMode::Decoded,
        local_offset: None,
    };
}

/// Parse a response to operation `op_name` of `svc`.
///
/// `Ok(Ok(value))`: the operation succeeded and `value` is the JSON object
/// the CLI prints. `Ok(Err(error))`: AWS answered with an error.
/// `Err(..)`: the response could not be read (malformed body, a shape the
/// model lacks, an event stream).
pub fn parse_response(
    svc: &ServiceModel<'_>,
    op_name: &str,
    op: &OperationModel,
    resp: &HttpResponse<'_>,
    opts: &ParseOptions,
) -> Result<Result<Value, ApiError>, ProtocolError> {
    let cx = Cx::new(svc, opts)?;
    let mut status = resp.status;
    if status < 301 && handlers::is_s3_200_error(&cx, op, resp)? {
        status = 500;
    }
    if status >= 301 {
        return cx.error(&HttpResponse { status, ..*resp }).map(Err);
    }
    let filtered = handlers::s3_headers(&cx, op, resp.headers)?;
    let parse_resp = HttpResponse {
        headers: filtered.as_deref().unwrap_or(resp.headers),
        ..*resp
    };
    let mut out = match &op.output {
        None => Map::new(),
        Some(out) => {
            let r = cx.top(&out.shape)?;
            match cx.svc.protocol {
                Protocol::Query | Protocol::Ec2 => {
                    cx.xml_rpc_success(r, out.result_wrapper.as_deref(), resp.body)?
                }
                Protocol::Json => cx.json_rpc_success(op_name, r, resp.body)?,
                Protocol::RestJson | Protocol::RestXml => {
                    cx.rest_success(op_name, r, &parse_resp)?
                }
                Protocol::RpcV2Cbor => return Err(cx.unsupported()),
            }
        }
    };
    handlers::after_call(&cx, op_name, op, resp, &mut out)?;
    Ok(Ok(Value::Object(out)))
}

/// The modeled members of an error response: the error shape that `error`'s
/// code names (among the operation's errors, else any of the service's
/// exception shapes, matched by its `error.code` or else its name), parsed
/// from the response as botocore's second, "modeled error fields" pass does.
/// `None` when no shape has that code.
pub fn parse_error_details(
    svc: &ServiceModel<'_>,
    op: &OperationModel,
    resp: &HttpResponse<'_>,
    error: &ApiError,
    opts: &ParseOptions,
) -> Result<Option<Value>, ProtocolError> {
    let cx = Cx::new(svc, opts)?;
    let Some(name) = cx.error_shape_for_code(op, &error.code) else {
        return Ok(None);
    };
    let r = cx.top(name)?;
    let out = match svc.protocol {
        Protocol::Query | Protocol::Ec2 => {
            if resp.body.trim_ascii().is_empty() {
                Map::new()
            } else {
                cx.xml_error_details(r, resp.body)?
            }
        }
        Protocol::Json => cx.json_body_struct(r, resp.body)?,
        Protocol::RestJson | Protocol::RestXml => cx.rest_fields(r, resp)?,
        Protocol::RpcV2Cbor => return Err(cx.unsupported()),
    };
    Ok(Some(Value::Object(out)))
}

/// URL-decode the keys of an S3 `ListObjects`, `ListObjectsV2` or
/// `ListObjectVersions` output (parsed by [`parse_response`]) whose
/// `EncodingType` is `url`, as botocore's `decode_list_object*` handlers do.
///
/// botocore adds `EncodingType=url` to every such request that does not set
/// it, and decodes the answer only then (leaving `"EncodingType": "url"` in
/// what the CLI prints); a caller that does the same calls this, a caller
/// that passes the user's own `--encoding-type url` does not. Other
/// operations and outputs without `"EncodingType": "url"` are left alone.
pub fn decode_s3_list_keys(op_name: &str, output: &mut Value) {
    handlers::decode_s3_list_keys(op_name, output)
}

/// A resolved reference: the target shape with the traits botocore merges
/// from the member reference over the shape.
#[derive(Clone, Copy)]
pub(crate) struct R<'a> {
    /// The target shape's name.
    pub name: &'a str,
    /// The target shape.
    pub shape: &'a Shape,
    /// The reference's own traits.
    pub mt: &'a MemberTraits,
}

static NO_TRAITS: LazyLock<MemberTraits> = LazyLock::new(MemberTraits::default);

impl<'a> R<'a> {
    /// The wire name (`locationName` of the reference, else of the shape).
    pub fn location_name(&self) -> Option<&'a str> {
        self.mt
            .location_name
            .as_deref()
            .or(self.shape.traits().location_name.as_deref())
    }

    /// A flattened list or map.
    pub fn flattened(&self) -> bool {
        self.mt.flattened || self.shape.traits().flattened
    }

    /// The reference's `location` (`header`, `headers`, `statusCode`, ...).
    pub fn location(&self) -> Option<&'a str> {
        self.mt.location.as_deref()
    }

    /// A streaming blob.
    pub fn streaming(&self) -> bool {
        self.mt.streaming || self.shape.traits().streaming
    }
}

/// The parsing context: the model, the options and the protocol's name.
pub(crate) struct Cx<'s, 'a> {
    pub svc: &'s ServiceModel<'a>,
    pub opts: &'s ParseOptions,
    pub proto: &'static str,
}

impl<'s, 'a> Cx<'s, 'a> {
    fn new(svc: &'s ServiceModel<'a>, opts: &'s ParseOptions) -> Result<Self, ProtocolError> {
        if svc.protocol == Protocol::RpcV2Cbor {
            return Err(ProtocolError::UnsupportedProtocol(
                svc.protocol.name().to_string(),
            ));
        }
        Ok(Cx {
            svc,
            opts,
            proto: svc.protocol.name(),
        })
    }

    /// A [`ProtocolError::UnsupportedProtocol`].
    fn unsupported(&self) -> ProtocolError {
        ProtocolError::UnsupportedProtocol(self.proto.to_string())
    }

    /// A [`ProtocolError::BadResponse`].
    pub fn bad(&self, detail: impl Into<String>) -> ProtocolError {
        ProtocolError::BadResponse {
            protocol: self.proto,
            detail: detail.into(),
        }
    }

    /// A top-level shape (output or error), without reference traits.
    pub fn top(&self, name: &'a str) -> Result<R<'a>, ProtocolError> {
        Ok(R {
            name,
            shape: self.svc.shape(name)?,
            mt: &NO_TRAITS,
        })
    }

    /// Resolve a member reference.
    pub fn resolve(&self, m: &'a MemberRef) -> Result<R<'a>, ProtocolError> {
        Ok(R {
            name: &m.shape,
            shape: self.svc.shape(&m.shape)?,
            mt: m.traits(),
        })
    }

    /// The list member, map key or map value of `r`.
    pub fn part(
        &self,
        r: &R<'a>,
        part: Option<&'a MemberRef>,
        what: &str,
    ) -> Result<R<'a>, ProtocolError> {
        match part {
            Some(m) => self.resolve(m),
            None => Err(self.bad(format!("the model's shape {} has no {what}", r.name))),
        }
    }

    /// A timestamp, given as the wire sent it.
    pub fn timestamp(&self, v: Value) -> Result<Value, ProtocolError> {
        match self.opts.timestamps {
            TimestampMode::Raw => Ok(v),
            mode => {
                let stamp = match &v {
                    Value::Number(n) => n.as_f64().and_then(time::from_epoch),
                    Value::String(s) => time::parse(s),
                    _ => None,
                };
                let mut stamp = stamp.ok_or_else(|| self.bad(format!("{v} is not a timestamp")))?;
                // Epoch numbers are shown in the machine's zone, as Python's
                // `datetime.fromtimestamp(value, tzlocal())`.
                if let (Some(LocalOffset(f)), true) = (self.opts.local_offset, stamp.is_epoch()) {
                    stamp = stamp.with_offset(i64::from(f(stamp.secs())));
                }
                Ok(if mode == TimestampMode::Iso8601 {
                    Value::String(stamp.isoformat())
                } else {
                    float_value(stamp.epoch())
                })
            }
        }
    }

    /// A blob, given as the wire sent it (base64 text).
    pub fn blob(&self, v: Value) -> Result<Value, ProtocolError> {
        match (self.opts.blobs, &v) {
            (BlobMode::Decoded, Value::String(s)) => {
                let bytes = decode_base64(s)
                    .ok_or_else(|| self.bad(format!("the blob {s:?} is not base64")))?;
                Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
            }
            _ => Ok(v),
        }
    }

    /// A scalar given as text (an XML element's text or a header value).
    /// `lenient_bool`: `rest-json` reads booleans case-insensitively.
    pub fn scalar_text(
        &self,
        r: &R<'a>,
        text: &str,
        lenient_bool: bool,
    ) -> Result<Value, ProtocolError> {
        Ok(match r.shape.shape_type {
            ShapeType::String => {
                if r.mt.jsonvalue && r.location() == Some("header") {
                    self.json_value_header(text)?
                } else {
                    Value::String(text.to_string())
                }
            }
            ShapeType::Boolean => Value::Bool(if lenient_bool {
                text.eq_ignore_ascii_case("true")
            } else {
                text == "true"
            }),
            ShapeType::Integer | ShapeType::Long => self.integer_text(text)?,
            ShapeType::Float | ShapeType::Double => self.float_text(text)?,
            ShapeType::Timestamp => self.timestamp(Value::String(text.to_string()))?,
            ShapeType::Blob => self.blob(Value::String(text.to_string()))?,
            ShapeType::Structure | ShapeType::List | ShapeType::Map => {
                return Err(self.bad(format!(
                    "got text {text:?} where the model's shape {} wants a {}",
                    r.name,
                    type_name(r.shape.shape_type)
                )))
            }
        })
    }

    /// Python's `int(text)`.
    pub fn integer_text(&self, text: &str) -> Result<Value, ProtocolError> {
        let t = text.trim();
        if let Ok(i) = t.parse::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = t.parse::<u64>() {
            return Ok(Value::from(u));
        }
        Err(self.bad(format!("{text:?} is not an integer")))
    }

    /// Python's `float(text)`.
    pub fn float_text(&self, text: &str) -> Result<Value, ProtocolError> {
        let t = text.trim();
        match t.parse::<f64>() {
            Ok(f) => Ok(float_value(f)),
            Err(_) => Err(self.bad(format!("{text:?} is not a number"))),
        }
    }

    /// A `jsonvalue` header: base64 of a JSON document.
    fn json_value_header(&self, text: &str) -> Result<Value, ProtocolError> {
        let bytes = decode_base64(text)
            .ok_or_else(|| self.bad(format!("header value {text:?} is not base64")))?;
        serde_json::from_slice(&bytes)
            .map_err(|e| self.bad(format!("header value {text:?} is not base64 of JSON: {e}")))
    }

    /// The name of the exception shape with this error code.
    fn error_shape_for_code(&self, op: &'a OperationModel, code: &str) -> Option<&'a str> {
        let matches = |name: &str, s: &Shape| {
            let t = s.traits();
            t.exception
                && t.error
                    .as_ref()
                    .and_then(|e| e.code.as_deref())
                    .unwrap_or(name)
                    == code
        };
        for e in &op.errors {
            if let Some(s) = self.svc.shapes.get(&*e.shape) {
                if matches(&e.shape, s) {
                    return Some(&e.shape);
                }
            }
        }
        let mut found: Option<&'a str> = None;
        for (name, s) in self.svc.shapes.iter() {
            if matches(name, s) && found.is_none_or(|f| **name < *f) {
                found = Some(name);
            }
        }
        found
    }

    /// Parse an error response (status 301 or more).
    fn error(&self, resp: &HttpResponse<'_>) -> Result<ApiError, ProtocolError> {
        let body = resp.body.trim_ascii();
        if resp.status >= 500 && (body.is_empty() || body.starts_with(b"<html>")) {
            return Ok(status_error(resp, None));
        }
        match self.svc.protocol {
            Protocol::Query | Protocol::Ec2 => self.xml_rpc_error(resp),
            Protocol::RestXml => Ok(self.rest_xml_error(resp)),
            Protocol::Json | Protocol::RestJson => Ok(self.json_error(resp)),
            Protocol::RpcV2Cbor => Err(self.unsupported()),
        }
    }
}

/// A float as JSON: finite numbers as numbers, the others as Python spells them.
pub(crate) fn float_value(f: f64) -> Value {
    match serde_json::Number::from_f64(f) {
        Some(n) => Value::Number(n),
        None if f.is_nan() => Value::String("NaN".into()),
        None if f > 0.0 => Value::String("Infinity".into()),
        None => Value::String("-Infinity".into()),
    }
}

/// Decode base64 as Python's `base64.b64decode` does: characters outside the
/// alphabet are dropped, padding may be missing.
pub(crate) fn decode_base64(s: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine;
    const ENGINE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let clean: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .collect();
    ENGINE.decode(clean.trim_end_matches('=')).ok()
}

/// A header's value (names compared case-insensitively; repeated headers
/// joined with `, ` as urllib3 does).
pub(crate) fn header<'h>(
    headers: &'h [(String, String)],
    name: &str,
) -> Option<std::borrow::Cow<'h, str>> {
    let mut found: Option<std::borrow::Cow<'h, str>> = None;
    for (k, v) in headers {
        if k.eq_ignore_ascii_case(name) {
            found = Some(match found {
                None => std::borrow::Cow::Borrowed(v.as_str()),
                Some(prev) => std::borrow::Cow::Owned(format!("{prev}, {v}")),
            });
        }
    }
    found
}

/// The request id of a response from its headers (`x-amzn-requestid`, else
/// `x-amz-request-id`).
pub(crate) fn header_request_id(headers: &[(String, String)]) -> Option<String> {
    header(headers, "x-amzn-requestid")
        .or_else(|| header(headers, "x-amz-request-id"))
        .map(|v| v.into_owned())
}

/// An error named after the HTTP status (`404`, `Not Found`).
pub(crate) fn status_error(resp: &HttpResponse<'_>, request_id: Option<String>) -> ApiError {
    ApiError {
        code: resp.status.to_string(),
        message: reason_phrase(resp.status).to_string(),
        request_id: request_id.or_else(|| header_request_id(resp.headers)),
        status: resp.status,
    }
}

/// botocore's type name of a shape type.
pub(crate) fn type_name(t: ShapeType) -> &'static str {
    match t {
        ShapeType::Structure => "structure",
        ShapeType::List => "list",
        ShapeType::Map => "map",
        ShapeType::String => "string",
        ShapeType::Integer => "integer",
        ShapeType::Long => "long",
        ShapeType::Float => "float",
        ShapeType::Double => "double",
        ShapeType::Boolean => "boolean",
        ShapeType::Timestamp => "timestamp",
        ShapeType::Blob => "blob",
    }
}

/// Python's `http.client.responses` (the HTTP reason phrases), `""` for
/// unknown codes.
pub(crate) fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        208 => "Already Reported",
        226 => "IM Used",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Requested Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a Teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => "",
    }
}
