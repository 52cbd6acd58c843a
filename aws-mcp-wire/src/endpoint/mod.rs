//! Endpoint resolution: a pure interpreter for AWS's Smithy endpoint rule
//! sets (botocore's `endpoint-rule-set-1.json`) and partitions
//! (`partitions.json`).
//!
//! Given a service's [`RuleSet`], the [`Partitions`] and the endpoint
//! parameters of one request (`Region`, `UseFIPS`, `Bucket`, `Endpoint`, ...),
//! [`resolve`] computes the [`Endpoint`] the request goes to: its URL, the
//! headers it must carry and its properties (the `authSchemes` with signing
//! name and region, among others), or the error the rule set gives for those
//! parameters.
//!
//! ## Design
//!
//! * **Compiled once, evaluated many times.** [`RuleSet::from_json`] checks
//!   the whole rule set and turns it into a tree of typed nodes: every
//!   function call is resolved to a built-in (an unknown function is an error
//!   at load time, not at request time), every `ref` and template variable to
//!   a numbered slot, every `getAttr` path and template string to parsed
//!   parts. A reference to a name that is neither a parameter nor assigned by
//!   an enclosing or earlier condition is an error at load time too. Because
//!   names are checked against the scope when the rule set is loaded, the
//!   evaluator needs no scope copies: one slot vector per call, written by
//!   `assign` and read by references, is enough. Arguments are borrowed, not
//!   copied. An S3 resolution (87 conditions for a plain bucket) takes about
//!   5 µs of CPU in a release build.
//! * **botocore's semantics.** Where the Smithy specification leaves room
//!   (partition fallback, `parseURL`'s normalized path, host-label checks,
//!   a tree rule none of whose children matches), the interpreter does what
//!   botocore 1.44.8 does, since botocore's own endpoint tests are the
//!   reference; those tests run against every service in
//!   `tests/endpoint_rules.rs`. One deliberate difference: a region listed
//!   explicitly by a partition wins over another partition's `regionRegex`
//!   (the Smithy order), then the regexes are tried in order, then the `aws`
//!   partition is the fallback.
//! * **Values.** Rule-set values are strings, booleans, integers, arrays and
//!   objects (partition and ARN records, parsed URLs), shared by reference
//!   count so that assigning a partition record copies nothing.
//! * **Errors, never panics.** Bad rule-set or partition JSON is an
//!   [`EndpointError::InvalidRuleSet`] / [`EndpointError::InvalidPartitions`]
//!   naming the place in the document; an `error` rule is
//!   [`EndpointError::Rule`] with the rule's own message; parameters of the
//!   wrong type or missing required ones have their own variants.
//!
//! For executors, [`RuleSet::bind_builtins`] maps SDK built-ins
//! (`AWS::Region`, `AWS::UseFIPS`, `SDK::Endpoint`, ...) to the rule set's
//! parameters, and [`Endpoint::auth_schemes`] reads the signing properties
//! (`authSchemes`) into [`AuthScheme`] values. Filling the operation's
//! context parameters (`Bucket`, `staticContextParams`, ...) from the service
//! model is the caller's part.
//!
//! The standard library covers every function botocore 1.44.8's rule sets
//! call: `isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr`,
//! `substring`, `uriEncode`, `parseURL`, `isValidHostLabel`,
//! `aws.partition`, `aws.parseArn` and `aws.isVirtualHostableS3Bucket`.

use std::collections::{BTreeMap, HashMap};

mod eval;
mod partitions;
mod rules;
mod stdlib;

pub use partitions::Partitions;
pub use rules::{ParamType, Parameter, RuleSet};

/// Why an endpoint could not be resolved, or a rule set not loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// The rule-set document is malformed; the message names the place.
    #[error("invalid endpoint rule set: {0}")]
    InvalidRuleSet(String),
    /// The partitions document is malformed; the message names the place.
    #[error("invalid partitions data: {0}")]
    InvalidPartitions(String),
    /// A required parameter without a default was not given.
    #[error("missing required endpoint parameter `{0}`")]
    MissingParameter(String),
    /// A parameter was given with the wrong type.
    #[error("endpoint parameter `{name}` must be a {expected}, not a {got}")]
    ParameterType {
        /// The parameter's name.
        name: String,
        /// The type the rule set declares.
        expected: ParamType,
        /// The type given.
        got: ParamType,
    },
    /// An `error` rule matched: the message is the rule set's own (templated),
    /// such as `Invalid region: region was not a valid DNS name.`.
    #[error("{0}")]
    Rule(String),
    /// No rule matched the parameters (a gap in the rule set).
    #[error("no endpoint rule matched the parameters ({0})")]
    NoMatch(String),
    /// A function was given values of the wrong type while evaluating (a rule
    /// set that botocore would reject at run time too).
    #[error("endpoint rule evaluation failed: {0}")]
    Evaluation(String),
}

/// The value of one endpoint parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// A `string` parameter.
    String(String),
    /// A `boolean` parameter.
    Bool(bool),
    /// A `stringArray` parameter.
    StringArray(Vec<String>),
}

impl ParamValue {
    /// The parameter type this value has.
    pub fn param_type(&self) -> ParamType {
        match self {
            ParamValue::String(_) => ParamType::String,
            ParamValue::Bool(_) => ParamType::Boolean,
            ParamValue::StringArray(_) => ParamType::StringArray,
        }
    }

    /// A value from JSON: a string, a boolean, or an array of strings;
    /// `None` for anything else (null, numbers, objects, mixed arrays).
    pub fn from_json(v: &serde_json::Value) -> Option<ParamValue> {
        match v {
            serde_json::Value::String(s) => Some(ParamValue::String(s.clone())),
            serde_json::Value::Bool(b) => Some(ParamValue::Bool(*b)),
            serde_json::Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .map(ParamValue::StringArray),
            _ => None,
        }
    }
}

impl From<&str> for ParamValue {
    fn from(s: &str) -> Self {
        ParamValue::String(s.to_string())
    }
}

impl From<String> for ParamValue {
    fn from(s: String) -> Self {
        ParamValue::String(s)
    }
}

impl From<bool> for ParamValue {
    fn from(b: bool) -> Self {
        ParamValue::Bool(b)
    }
}

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Endpoint {
    /// The URL to send the request to (the operation's path is appended by
    /// the caller).
    pub url: String,
    /// Headers the request must carry.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Properties of the endpoint, such as `authSchemes` (a list of objects
    /// with `name`, `signingName`, `signingRegion` or `signingRegionSet`,
    /// `disableDoubleEncoding`); empty when the rule gives none.
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// One entry of an endpoint's `authSchemes` property: how to sign requests
/// to it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct AuthScheme {
    /// The scheme: `sigv4`, `sigv4a`, `sigv4-s3express`, `none`, ...
    pub name: String,
    /// The service name to sign with, when the endpoint sets one.
    pub signing_name: Option<String>,
    /// The region to sign with (`sigv4`), when the endpoint sets one.
    pub signing_region: Option<String>,
    /// The regions to sign for (`sigv4a`), such as `["*"]`; empty when unset.
    pub signing_region_set: Vec<String>,
    /// Whether the path must not be encoded a second time when signing (S3).
    pub disable_double_encoding: bool,
}

impl Endpoint {
    /// The endpoint's `authSchemes`, in preference order; empty when the
    /// endpoint gives none (sign as the service model says). Entries that
    /// are not objects with a string `name` are skipped.
    pub fn auth_schemes(&self) -> Vec<AuthScheme> {
        let Some(list) = self
            .properties
            .get("authSchemes")
            .and_then(|v| v.as_array())
        else {
            return Vec::new();
        };
        let string = |o: &serde_json::Map<String, serde_json::Value>, k: &str| {
            o.get(k).and_then(|v| v.as_str()).map(str::to_string)
        };
        list.iter()
            .filter_map(|v| v.as_object())
            .filter_map(|o| {
                Some(AuthScheme {
                    name: string(o, "name")?,
                    signing_name: string(o, "signingName"),
                    signing_region: string(o, "signingRegion"),
                    signing_region_set: o
                        .get("signingRegionSet")
                        .and_then(|v| v.as_array())
                        .map(|a| {
                            a.iter()
                                .filter_map(|r| r.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                    disable_double_encoding: o
                        .get("disableDoubleEncoding")
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false),
                })
            })
            .collect()
    }
}

/// Resolve the endpoint for `params` with `rules` and `partitions`.
///
/// Parameters the rule set does not declare are ignored; declared ones that
/// are missing take their default, and a required one without a default is
/// [`EndpointError::MissingParameter`].
pub fn resolve(
    rules: &RuleSet,
    partitions: &Partitions,
    params: &HashMap<String, ParamValue>,
) -> Result<Endpoint, EndpointError> {
    eval::resolve(rules, partitions, params)
}

#[cfg(test)]
mod tests;
