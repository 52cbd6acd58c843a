//! # aws-mcp-wire
//!
//! Everything an executor needs to talk to AWS without the AWS CLI, as pure
//! functions over the service models of the [`aws_mcp_core`] catalog: no
//! sockets, no clock, no signing (the native executor, `aws-mcp-native`,
//! owns those).
//!
//! ## Design
//!
//! This crate was split out of the core so that the core holds what the
//! design card says (catalog, parser, validator, classifier, policy,
//! retrieval) and nothing only the native executor uses. The data flows one
//! way: a validated command's typed parameters go through
//!
//! * **[`endpoint`]** — an interpreter for AWS's Smithy endpoint rule sets
//!   (botocore's `endpoint-rule-set-1.json` and `partitions.json`): the URL,
//!   headers and auth properties of a request from its endpoint parameters;
//! * **[`protocol`]** — the AWS wire protocols (query, ec2, json, rest-json,
//!   rest-xml, and CBOR requests): API parameters to an HTTP request,
//!   responses to the JSON the AWS CLI prints;
//! * **[`paginate`]** — the AWS CLI's pagination (merge pages, `--max-items`
//!   cut, resume tokens compatible with botocore's) as a pure state machine;
//! * **[`render`](mod@render)** — API results printed exactly as the AWS CLI
//!   prints them with `--output json|text|table` and `--query` (a JMESPath
//!   interpreter with the Python library's semantics, over the expression
//!   [`aws_mcp_core::query::parse`] accepted);
//! * **[`waiter`]** — botocore's waiters (`aws ec2 wait ...`) as a pure
//!   state machine: acceptors, delay, attempts, the CLI's failure texts.
//!
//! The crate depends on `aws-mcp-core` (for the catalog's service models and
//! the `--query` parser) and never the other way round.
#![warn(missing_docs)]

pub mod endpoint;
pub mod paginate;
pub mod protocol;
pub mod render;
#[cfg(test)]
pub(crate) mod testutil;
pub mod waiter;

pub use render::{
    apply_query, render, render_text_pages, render_yaml_stream_pages, OutputFormat, RenderError,
};
