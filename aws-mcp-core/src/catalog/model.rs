//! The catalog's data model, as the generator writes it (JSON inside zstd frames).
//!
//! Field names follow the generator (`tools/catalog-gen/build.py`); shape and
//! member fields follow botocore's service model (camelCase) so that the raw
//! model needs no translation. Unknown fields are ignored, so a newer
//! generator can add data without breaking older readers of the same format.

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize};

/// The decoded index: everything but per-command arguments and shapes.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Index {
    pub format: u32,
    pub sources: Sources,
    pub global_args: Vec<Arg>,
    pub partitions: Vec<Partition>,
    pub services: Vec<ServiceEntry>,
}

/// Where the catalog data came from.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Sources {
    /// The `awscli` version whose command table was walked.
    pub awscli: String,
    /// The botocore version whose service data was used.
    pub botocore_data: String,
    /// The command that generated the catalog.
    #[serde(default)]
    pub generator: String,
}

/// An AWS partition (`aws`, `aws-cn`, `aws-us-gov`, ...) and its regions.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Partition {
    /// Partition id, such as `aws`.
    pub id: String,
    /// botocore's regular expression for region names of this partition.
    #[serde(default)]
    pub regex: String,
    /// Every region the partition lists.
    pub regions: Vec<String>,
}

/// One top-level command (`ec2`, `s3api`, `s3`, `configure`) as stored in the index.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ServiceEntry {
    pub name: String,
    #[serde(default)]
    pub api: Option<String>,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub protocol: Option<String>,
    #[serde(default)]
    pub api_version: Option<String>,
    #[serde(default)]
    pub signing_name: Option<String>,
    #[serde(default)]
    pub endpoint_prefix: Option<String>,
    #[serde(default)]
    pub service_id: Option<String>,
    pub commands: Vec<CommandSummary>,
    pub blob: [u64; 2],
}

/// What kind of command an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum CommandKind {
    /// A command generated from a botocore operation (`ec2 describe-instances`).
    Operation,
    /// A hand-written awscli customization (`s3 cp`, `eks update-kubeconfig`).
    Custom,
    /// A waiter (`ec2 wait instance-running`).
    Waiter,
}

/// A command as the index lists it: enough for name lookups and retrieval.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct CommandSummary {
    pub name: String,
    pub kind: CommandKind,
    #[serde(default)]
    pub api: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub hidden: bool,
}

/// A service's decoded detail: each command's arguments, and the shapes they use.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ServiceDetail {
    pub commands: Vec<CommandDetail>,
    pub shapes: std::collections::HashMap<String, Shape>,
}

/// The full description of one command.
#[derive(Debug, Clone, Deserialize)]
pub struct CommandDetail {
    /// Every argument the CLI accepts for this command, in the CLI's order,
    /// hidden aliases and hidden pagination members included (flagged).
    pub args: Vec<Arg>,
    /// The paginator, when the operation has one.
    #[serde(default)]
    pub paginator: Option<Paginator>,
    /// The botocore operation model (generated commands and waiters).
    #[serde(default)]
    pub op: Option<OperationModel>,
}

/// The CLI type of an argument (awscli's `cli_type_name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ArgType {
    /// A string.
    String,
    /// A 32-bit integer.
    Integer,
    /// A 64-bit integer.
    Long,
    /// A 32-bit float.
    Float,
    /// A 64-bit float.
    Double,
    /// A boolean flag (`--flag` / `--no-flag`).
    Boolean,
    /// A timestamp (ISO 8601 or epoch seconds).
    Timestamp,
    /// Binary data.
    Blob,
    /// A list (space-separated or JSON).
    List,
    /// A structure (shorthand or JSON).
    Structure,
    /// A map (shorthand or JSON).
    Map,
}

impl ArgType {
    /// The name the AWS CLI uses for this type.
    pub fn as_str(self) -> &'static str {
        match self {
            ArgType::String => "string",
            ArgType::Integer => "integer",
            ArgType::Long => "long",
            ArgType::Float => "float",
            ArgType::Double => "double",
            ArgType::Boolean => "boolean",
            ArgType::Timestamp => "timestamp",
            ArgType::Blob => "blob",
            ArgType::List => "list",
            ArgType::Structure => "structure",
            ArgType::Map => "map",
        }
    }
}

/// Where an argument comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ArgKind {
    /// Generated from a member of the operation's input shape.
    #[default]
    Member,
    /// Added by an awscli customization (`--cli-input-json`, `s3 cp --acl`).
    Custom,
    /// awscli's pagination arguments (`--starting-token`, `--page-size`, `--max-items`).
    Pagination,
}

/// One command-line argument.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Arg {
    /// The CLI name without the leading `--` (`instance-ids`), or the
    /// positional argument's name (`paths`).
    pub name: String,
    /// The CLI type.
    #[serde(rename = "type")]
    pub arg_type: ArgType,
    /// Whether the CLI requires it.
    #[serde(default)]
    pub required: bool,
    /// A positional argument (customizations only: `aws s3 cp SRC DST`).
    #[serde(default)]
    pub positional: bool,
    /// argparse's `nargs` (`?`, `+`, `*`, or a count), when set.
    #[serde(default)]
    pub nargs: Option<String>,
    /// Hidden from help but accepted (aliases, hidden pagination members).
    #[serde(default)]
    pub hidden: bool,
    /// The `--no-flag` form of a boolean member.
    #[serde(default)]
    pub negated: bool,
    /// Where the argument comes from.
    #[serde(default)]
    pub kind: ArgKind,
    /// The API member it fills (generated arguments), e.g. `InstanceIds`.
    #[serde(default)]
    pub member: Option<String>,
    /// The shape (in the service's shape table) that describes its value.
    #[serde(default)]
    pub shape: Option<String>,
    /// The allowed values, when the CLI or the model restricts them.
    #[serde(default)]
    pub choices: Vec<String>,
    /// A one-line description.
    #[serde(default)]
    pub doc: String,
}

/// A botocore shape type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ShapeType {
    /// A structure with named members.
    Structure,
    /// A list of one member shape.
    List,
    /// A map from key shape to value shape.
    Map,
    /// A string.
    String,
    /// A 32-bit integer.
    Integer,
    /// A 64-bit integer.
    Long,
    /// A 32-bit float.
    Float,
    /// A 64-bit float.
    Double,
    /// A boolean.
    Boolean,
    /// A timestamp.
    Timestamp,
    /// Binary data.
    Blob,
}

/// A botocore shape (input shapes only), documentation removed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    /// The shape's type.
    #[serde(rename = "type")]
    pub shape_type: ShapeType,
    /// Structure members, in model order.
    #[serde(default)]
    pub members: IndexMap<String, MemberRef>,
    /// Required structure members.
    #[serde(default)]
    pub required: Vec<String>,
    /// The list member.
    #[serde(default)]
    pub member: Option<MemberRef>,
    /// The map key.
    #[serde(default)]
    pub key: Option<MemberRef>,
    /// The map value.
    #[serde(default)]
    pub value: Option<MemberRef>,
    /// Allowed string values.
    #[serde(default, rename = "enum")]
    pub enum_values: Vec<String>,
    /// Minimum (length for strings, lists and maps; value for numbers).
    #[serde(default)]
    pub min: Option<f64>,
    /// Maximum.
    #[serde(default)]
    pub max: Option<f64>,
    /// A union: exactly one member may be set.
    #[serde(default)]
    pub union: bool,
    /// A document type (any JSON).
    #[serde(default)]
    pub document: bool,
    /// A flattened list or map (XML protocols).
    #[serde(default)]
    pub flattened: bool,
    /// Timestamp wire format.
    #[serde(default)]
    pub timestamp_format: Option<String>,
    /// The payload member of a structure (REST protocols).
    #[serde(default)]
    pub payload: Option<String>,
    /// XML/query name of a list member or map entry.
    #[serde(default)]
    pub location_name: Option<String>,
    /// Sensitive data (never logged).
    #[serde(default)]
    pub sensitive: bool,
}

/// A reference from a structure, list or map to another shape, with its traits.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberRef {
    /// The target shape's name.
    pub shape: String,
    /// Where the member goes in a REST request (`uri`, `querystring`, `header`, `headers`).
    #[serde(default)]
    pub location: Option<String>,
    /// The wire name.
    #[serde(default)]
    pub location_name: Option<String>,
    /// The EC2 query name.
    #[serde(default)]
    pub query_name: Option<String>,
    /// A string carrying JSON.
    #[serde(default)]
    pub jsonvalue: bool,
    /// Filled with a fresh UUID when absent.
    #[serde(default)]
    pub idempotency_token: bool,
    /// A host label.
    #[serde(default)]
    pub host_label: bool,
    /// A flattened list or map.
    #[serde(default)]
    pub flattened: bool,
    /// A streaming payload.
    #[serde(default)]
    pub streaming: bool,
    /// Deprecated member.
    #[serde(default)]
    pub deprecated: bool,
}

/// A paginator from botocore's `paginators-1.json`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Paginator {
    /// Request members that carry the continuation token.
    #[serde(deserialize_with = "one_or_many")]
    pub input_token: Vec<String>,
    /// Response expressions holding the next token.
    #[serde(deserialize_with = "one_or_many")]
    pub output_token: Vec<String>,
    /// The request member that limits the page size.
    #[serde(default)]
    pub limit_key: Option<String>,
    /// Response expressions holding the results.
    #[serde(deserialize_with = "one_or_many")]
    pub result_key: Vec<String>,
    /// Response expression telling whether more results exist.
    #[serde(default)]
    pub more_results: Option<String>,
}

/// The parts of a botocore operation model the core uses.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationModel {
    /// HTTP binding.
    #[serde(default)]
    pub http: Option<HttpBinding>,
    /// Input shape.
    #[serde(default)]
    pub input: Option<ShapeRef>,
    /// Output shape.
    #[serde(default)]
    pub output: Option<ShapeRef>,
    /// Deprecated operation (still runnable).
    #[serde(default)]
    pub deprecated: bool,
    /// Endpoint host prefix.
    #[serde(default)]
    pub endpoint: Option<EndpointTrait>,
}

/// An operation's HTTP method and URI template.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpBinding {
    /// HTTP method.
    #[serde(default)]
    pub method: String,
    /// URI template, such as `/{Bucket}/{Key+}`.
    #[serde(default)]
    pub request_uri: String,
}

/// A reference to a named shape.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ShapeRef {
    /// The shape's name.
    pub shape: String,
}

/// The endpoint trait of an operation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointTrait {
    /// Host prefix template.
    #[serde(default)]
    pub host_prefix: String,
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}
