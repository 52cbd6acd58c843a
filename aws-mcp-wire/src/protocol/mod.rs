//! AWS wire protocols: a validated command's API parameters to an HTTP
//! request, and an HTTP response back to the JSON the AWS CLI prints.
//!
//! ## Design
//!
//! * Pure functions over the catalog's service model ([`ServiceModel`]: the
//!   service metadata and every input, output and error shape). No sockets,
//!   no signing, no clock: the adapter that owns the network (the native
//!   executor) resolves the endpoint, signs the [`HttpRequest`] and hands the
//!   bytes it received back as an [`HttpResponse`].
//! * One module per direction: [`serialize`](mod@serialize) builds requests for the `query`,
//!   `ec2`, `json`, `rest-json`, `rest-xml` and `smithy-rpc-v2-cbor` protocols, and
//!   [`parse`](mod@parse) turns responses (results and errors) of the first five into
//!   [`serde_json::Value`]s, applying botocore's response handlers that change what the CLI
//!   prints.
//! * Output follows the AWS CLI v1 with its default configuration, so that a
//!   native call prints what `aws ... --output json` would print: members in
//!   model order, `ResponseMetadata` removed, timestamps as the service sent
//!   them (`cli_timestamp_format` defaults to `none` in v1), blobs in base64.
//! * Checked against botocore's own protocol test suites
//!   (`tests/unit/protocols/{input,output}/*.json` of the botocore source
//!   distribution, fetched by `tools/testdata/fetch-botocore-src.sh`).

use std::collections::HashMap;

use aws_mcp_core::catalog::{Name, ServiceMetadata, Shape};

mod calendar;
pub mod checksum;
pub mod parse;
pub mod serialize;

/// A wire protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// AWS query (form-encoded request, XML response): IAM, SQS (old), SNS, STS, CloudFormation.
    Query,
    /// EC2's variant of the query protocol.
    Ec2,
    /// AWS JSON 1.0/1.1 (`X-Amz-Target`): DynamoDB, Logs, SQS (new).
    Json,
    /// REST with JSON payloads: Lambda, API Gateway.
    RestJson,
    /// REST with XML payloads: S3, Route 53, CloudFront.
    RestXml,
    /// Smithy RPC v2 with CBOR payloads.
    RpcV2Cbor,
}

impl Protocol {
    /// Parse botocore's protocol name (`query`, `ec2`, `json`, `rest-json`,
    /// `rest-xml`, `smithy-rpc-v2-cbor`).
    pub fn from_name(name: &str) -> Option<Protocol> {
        Some(match name {
            "query" => Protocol::Query,
            "ec2" => Protocol::Ec2,
            "json" => Protocol::Json,
            "rest-json" => Protocol::RestJson,
            "rest-xml" => Protocol::RestXml,
            "smithy-rpc-v2-cbor" => Protocol::RpcV2Cbor,
            _ => return None,
        })
    }

    /// botocore's name for the protocol.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Query => "query",
            Protocol::Ec2 => "ec2",
            Protocol::Json => "json",
            Protocol::RestJson => "rest-json",
            Protocol::RestXml => "rest-xml",
            Protocol::RpcV2Cbor => "smithy-rpc-v2-cbor",
        }
    }

    /// The protocol a client should speak to a service: the first entry of
    /// `protocols` this crate implements (botocore's rule), else `protocol`.
    pub fn for_service(md: &ServiceMetadata) -> Option<Protocol> {
        md.protocols
            .iter()
            .filter_map(|p| Protocol::from_name(p))
            .find(|p| *p != Protocol::RpcV2Cbor || md.protocols.len() == 1)
            .or_else(|| md.protocol.as_deref().and_then(Protocol::from_name))
    }
}

/// A service's wire model: metadata and shapes.
#[derive(Debug, Clone, Copy)]
pub struct ServiceModel<'a> {
    /// The service metadata (protocol, JSON version, target prefix, XML namespace).
    pub metadata: &'a ServiceMetadata,
    /// Every shape by name.
    pub shapes: &'a HashMap<Name, Shape>,
    /// The protocol to speak (see [`Protocol::for_service`]).
    pub protocol: Protocol,
}

impl<'a> ServiceModel<'a> {
    /// A shape by name, or [`ProtocolError::UnknownShape`].
    pub fn shape(&self, name: &str) -> Result<&'a Shape, ProtocolError> {
        self.shapes
            .get(name)
            .ok_or_else(|| ProtocolError::UnknownShape(name.to_string()))
    }
}

/// An HTTP request to send (before signing).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The method (`GET`, `POST`, ...).
    pub method: String,
    /// The path and query string, already percent-encoded, to append to the
    /// endpoint's path (`/my-bucket/a%20key?list-type=2`). Always starts with `/`.
    pub path: String,
    /// Headers in the order they were set (`Content-Type`, `X-Amz-Target`, ...).
    /// `Host`, `Content-Length` and signing headers are the sender's job.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
    /// A host prefix to put before the endpoint's host (the operation's
    /// endpoint trait, labels filled), such as `data.` .
    pub host_prefix: Option<String>,
}

/// An HTTP response received.
#[derive(Debug, Clone, Copy)]
pub struct HttpResponse<'a> {
    /// The status code.
    pub status: u16,
    /// Headers as received (names in any case).
    pub headers: &'a [(String, String)],
    /// The body bytes.
    pub body: &'a [u8],
}

/// An error response from AWS, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ApiError {
    /// The error code (`NoSuchBucket`, `InvalidParameterValue`), as the AWS
    /// CLI reports it.
    pub code: String,
    /// The message.
    pub message: String,
    /// The request id, when the response carried one.
    pub request_id: Option<String>,
    /// The HTTP status code.
    pub status: u16,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

/// Why a request could not be built or a response could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// The service speaks a protocol this crate does not implement.
    #[error("the {0} protocol is not supported by the native executor")]
    UnsupportedProtocol(String),
    /// The model refers to a shape it does not define.
    #[error("the service model has no shape named {0}")]
    UnknownShape(String),
    /// A parameter value does not fit its shape.
    #[error("parameter {path}: {detail}")]
    BadParameter {
        /// Where in the input (`Filters[0].Name`).
        path: String,
        /// What is wrong.
        detail: String,
    },
    /// A required URI label is missing.
    #[error("parameter {0} is required: it is part of the request path")]
    MissingLabel(String),
    /// The response body could not be read.
    #[error("could not read the {protocol} response: {detail}")]
    BadResponse {
        /// The protocol.
        protocol: &'static str,
        /// What went wrong.
        detail: String,
    },
    /// The body is not XML: botocore's `ResponseParserError`, worded as the
    /// AWS CLI prints it.
    #[error("Unable to parse response ({reason}), invalid XML received. Further retries may succeed:\n{body}")]
    InvalidXml {
        /// What the XML parser (expat, in Python) said, with the position.
        reason: String,
        /// The body as Python's `repr()` of bytes.
        body: String,
    },
    /// The operation streams its input or output, which is not supported here.
    #[error("{0} streams data, which the native executor does not support")]
    Streaming(String),
}
