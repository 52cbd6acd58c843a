//! The catalog's data model, as the generator writes it (JSON inside zstd frames).
//!
//! Field names follow the generator (`tools/catalog-gen/build.py`); shape and
//! member fields follow botocore's service model (camelCase) so that the raw
//! model needs no translation. Unknown fields are ignored, so a newer
//! generator can add data without breaking older readers of the same format.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize};

use super::dialect::Dialects;

/// A shared, immutable name or text in the catalog.
///
/// Service details are decoded with an interner: shape names, member names,
/// argument names and repeated documentation lines are stored once per
/// service and shared, which saves about a fifth of the decoded size.
pub type Name = Arc<str>;

thread_local! {
    static INTERNER: RefCell<Option<HashSet<Name>>> = const { RefCell::new(None) };
}

/// Run `f` with a fresh interner: strings decoded inside share storage.
pub(crate) fn with_interner<R>(f: impl FnOnce() -> R) -> R {
    INTERNER.with(|i| *i.borrow_mut() = Some(HashSet::new()));
    let r = f();
    INTERNER.with(|i| *i.borrow_mut() = None);
    r
}

fn intern(s: &str) -> Name {
    INTERNER.with(|i| match &mut *i.borrow_mut() {
        Some(set) => {
            if let Some(a) = set.get(s) {
                a.clone()
            } else {
                let a: Name = Arc::from(s);
                set.insert(a.clone());
                a
            }
        }
        None => Arc::from(s),
    })
}

/// A string deserialized through the interner.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
struct IStr(Name);

impl<'de> Deserialize<'de> for IStr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = IStr;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<IStr, E> {
                Ok(IStr(intern(v)))
            }
        }
        d.deserialize_str(V)
    }
}

fn de_name<'de, D: Deserializer<'de>>(d: D) -> Result<Name, D::Error> {
    Ok(IStr::deserialize(d)?.0)
}

fn de_opt_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Name>, D::Error> {
    Ok(Option::<IStr>::deserialize(d)?.map(|s| s.0))
}

fn de_names<'de, D: Deserializer<'de>>(d: D) -> Result<Box<[Name]>, D::Error> {
    Ok(Vec::<IStr>::deserialize(d)?
        .into_iter()
        .map(|s| s.0)
        .collect())
}

fn de_shapes<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<std::collections::HashMap<Name, Shape>, D::Error> {
    Ok(std::collections::HashMap::<IStr, Shape>::deserialize(d)?
        .into_iter()
        .map(|(k, v)| (k.0, v))
        .collect())
}

/// The decoded index: the services, without their commands (each
/// service's command summaries and detail live in frames of their own).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Index {
    pub format: u32,
    pub sources: Sources,
    pub global_args: Vec<Arg>,
    pub partitions: Vec<Partition>,
    /// botocore's `partitions.json`, as text (parsed by whoever needs it).
    #[serde(default)]
    pub partitions_data: String,
    pub services: Vec<ServiceEntry>,
}

/// Where the catalog data came from.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Sources {
    /// The `awscli` version whose command table was walked.
    pub awscli: String,
    /// The botocore version whose service data was used.
    pub botocore_data: String,
    /// The command that generated the catalog.
    #[serde(default)]
    pub generator: String,
    /// The AWS CLI v2 version whose command table was walked.
    #[serde(default)]
    pub awscli_v2: String,
}

/// An AWS partition (`aws`, `aws-cn`, `aws-us-gov`, ...) and its regions.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[non_exhaustive]
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
    #[serde(default)]
    pub metadata: Option<Box<ServiceMetadata>>,
    /// `[offset, length]` of the frame holding the command summaries
    /// (a JSON array of [`CommandSummary`]).
    pub summaries: [u64; 2],
    /// `[offset, length]` of the detail frame ([`ServiceDetail`]).
    pub blob: [u64; 2],
    /// The dialects that have this top-level command.
    #[serde(default)]
    pub dialects: Dialects,
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
    /// An API operation awscli removes from its command table (see
    /// [`Service::removed_command`](super::Service::removed_command)).
    #[serde(default)]
    pub removed: bool,
    /// The dialects that have this command (within its service's).
    #[serde(default)]
    pub dialects: Dialects,
}

/// A service's decoded detail: each command's arguments, and the shapes they use.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ServiceDetail {
    pub args: Vec<Arg>,
    pub commands: Vec<CommandDetail>,
    #[serde(deserialize_with = "de_shapes")]
    pub shapes: std::collections::HashMap<Name, Shape>,
    #[serde(default)]
    pub endpoint_rules: Option<String>,
}

/// A service's botocore metadata: what a client needs to talk to it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServiceMetadata {
    /// The protocol botocore's model names first (`query`, `json`, ...).
    #[serde(default)]
    pub protocol: Option<String>,
    /// Every protocol the service speaks, in preference order (newer models).
    #[serde(default)]
    pub protocols: Vec<String>,
    /// The JSON protocol version (`1.0`, `1.1`).
    #[serde(default)]
    pub json_version: Option<String>,
    /// The `X-Amz-Target` prefix of JSON protocols.
    #[serde(default)]
    pub target_prefix: Option<String>,
    /// The API version (`2016-11-15`).
    #[serde(default)]
    pub api_version: Option<String>,
    /// The endpoint prefix (`ec2`).
    #[serde(default)]
    pub endpoint_prefix: Option<String>,
    /// The SigV4 signing name, when it differs from the endpoint prefix.
    #[serde(default)]
    pub signing_name: Option<String>,
    /// The signature version (`v4`, `s3`, `s3v4`, `bearer`).
    #[serde(default)]
    pub signature_version: Option<String>,
    /// Supported auth schemes (`aws.auth#sigv4`, ...), newer models.
    #[serde(default)]
    pub auth: Vec<String>,
    /// The XML namespace of query and rest-xml services.
    #[serde(default)]
    pub xml_namespace: Option<String>,
    /// The service id (`EC2`).
    #[serde(default)]
    pub service_id: Option<String>,
    /// The global endpoint of partition-global services.
    #[serde(default)]
    pub global_endpoint: Option<String>,
    /// JSON service answering with query-protocol error codes.
    #[serde(default)]
    pub aws_query_compatible: Option<serde_json::Value>,
    /// The endpoint rule set's client context parameters (`ForcePathStyle`, ...).
    #[serde(default)]
    pub client_context_params: serde_json::Map<String, serde_json::Value>,
}

/// An XML namespace: a URI and an optional prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct XmlNamespace {
    /// The namespace URI.
    pub uri: Name,
    /// The prefix (`xmlns:prefix`), when there is one.
    pub prefix: Option<Name>,
}

impl<'de> Deserialize<'de> for XmlNamespace {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Uri(IStr),
            Full {
                #[serde(default)]
                uri: Option<IStr>,
                #[serde(default)]
                prefix: Option<IStr>,
            },
        }
        Ok(match Raw::deserialize(d)? {
            Raw::Uri(u) => XmlNamespace {
                uri: u.0,
                prefix: None,
            },
            Raw::Full { uri, prefix } => XmlNamespace {
                uri: uri.map(|u| u.0).unwrap_or_else(|| Arc::from("")),
                prefix: prefix.map(|p| p.0),
            },
        })
    }
}

/// An error shape's `error` trait.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ErrorTrait {
    /// The error code on the wire, when it differs from the shape name.
    #[serde(default, deserialize_with = "de_opt_name")]
    pub code: Option<Name>,
    /// The HTTP status code.
    #[serde(default)]
    pub http_status_code: Option<u16>,
    /// A client (sender) fault.
    #[serde(default)]
    pub sender_fault: bool,
}

/// The full description of one command.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CommandDetail {
    /// Indices into the service's argument table, in the CLI's order.
    pub(crate) args: Box<[u32]>,
    /// The paginator, when the operation has one.
    #[serde(default)]
    pub paginator: Option<Box<Paginator>>,
    /// The botocore operation model (generated commands and waiters).
    #[serde(default)]
    pub op: Option<Box<OperationModel>>,
    /// The botocore waiter a waiter command runs (`waiters-2.json`).
    #[serde(default)]
    pub waiter: Option<Box<WaiterModel>>,
}

/// A waiter from botocore's `waiters-2.json`: poll the command's operation
/// every `delay` seconds, at most `max_attempts` times, until an acceptor
/// says success or failure.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WaiterModel {
    /// The waiter's name (`InstanceRunning`), as the CLI's errors say it.
    pub name: String,
    /// Seconds between attempts.
    pub delay: u32,
    /// The most attempts.
    pub max_attempts: u32,
    /// The acceptors, tried in order after each attempt.
    pub acceptors: Vec<Acceptor>,
}

/// One acceptor of a waiter: when its matcher matches a response, the
/// waiter goes to its state.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Acceptor {
    /// The state it leads to.
    pub state: AcceptorState,
    /// How it matches.
    pub matcher: Matcher,
    /// The JMESPath expression of `path`, `pathAll` and `pathAny` matchers.
    #[serde(default)]
    pub argument: Option<String>,
    /// The expected value: a JSON value (path matchers), an HTTP status
    /// (`status`), an error code or `true`/`false` (`error`).
    pub expected: serde_json::Value,
}

/// Where an acceptor leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AcceptorState {
    /// The wait is over.
    Success,
    /// The wait failed for good.
    Failure,
    /// Try again.
    Retry,
    /// A state this version does not know (the waiter refuses to run).
    #[serde(other)]
    Unknown,
}

/// How an acceptor matches a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Matcher {
    /// The expression's result equals `expected`.
    Path,
    /// The expression gives a non-empty list whose every element equals `expected`.
    PathAll,
    /// The expression gives a non-empty list with an element equal to `expected`.
    PathAny,
    /// The HTTP status code equals `expected`.
    Status,
    /// The error code equals `expected` (`true`: any error; `false`: none).
    Error,
    /// A matcher this version does not know (the waiter refuses to run).
    #[serde(other)]
    Unknown,
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
#[non_exhaustive]
pub struct Arg {
    /// The CLI name without the leading `--` (`instance-ids`), or the
    /// positional argument's name (`paths`).
    #[serde(deserialize_with = "de_name")]
    pub name: Name,
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
    #[serde(default, deserialize_with = "de_opt_name")]
    pub nargs: Option<Name>,
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
    #[serde(default, deserialize_with = "de_opt_name")]
    pub member: Option<Name>,
    /// The shape (in the service's shape table) that describes its value.
    #[serde(default, deserialize_with = "de_opt_name")]
    pub shape: Option<Name>,
    /// The allowed values, when the CLI or the model restricts them.
    #[serde(default, deserialize_with = "de_names")]
    pub choices: Box<[Name]>,
    /// A one-line description.
    #[serde(default, deserialize_with = "de_name")]
    pub doc: Name,
    /// The AWS CLI dialects that have this argument (global options and
    /// command arguments alike).
    #[serde(default, skip_serializing_if = "Dialects::is_both")]
    pub dialects: Dialects,
}

/// A botocore shape type.
///
/// Exhaustive on purpose: the protocol serializers and parsers of
/// `aws-mcp-wire` must handle every type, and a new one (which would come
/// with a new botocore model format) has to fail their build, not fall
/// through a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
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
///
/// Kept small: rare traits live behind [`Shape::traits`], references are
/// boxed, so the ~70,000 input shapes of all services fit in a few megabytes.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(from = "RawShape", into = "RawShape")]
#[non_exhaustive]
pub struct Shape {
    /// The shape's type.
    pub shape_type: ShapeType,
    /// Structure members, in model order.
    pub members: Box<[(Name, MemberRef)]>,
    /// Required structure members.
    pub required: Box<[Name]>,
    /// The list member.
    pub member: Option<Box<MemberRef>>,
    /// The map key.
    pub key: Option<Box<MemberRef>>,
    /// The map value.
    pub value: Option<Box<MemberRef>>,
    /// Allowed string values.
    pub enum_values: Box<[Name]>,
    /// Minimum (length for strings, lists and maps; value for numbers).
    pub min: Option<f64>,
    /// Maximum.
    pub max: Option<f64>,
    /// Rarely set traits.
    pub traits: Option<Box<ShapeTraits>>,
}

impl Shape {
    /// A structure member by name.
    pub fn member_ref(&self, name: &str) -> Option<&MemberRef> {
        self.members
            .iter()
            .find(|(n, _)| &**n == name)
            .map(|(_, m)| m)
    }

    /// Whether the structure requires `name`.
    pub fn is_required(&self, name: &str) -> bool {
        self.required.iter().any(|r| &**r == name)
    }

    /// The rarely set traits, or their defaults.
    pub fn traits(&self) -> &ShapeTraits {
        static DEFAULT: ShapeTraits = ShapeTraits {
            union: false,
            document: false,
            flattened: false,
            sensitive: false,
            timestamp_format: None,
            payload: None,
            location_name: None,
            xml_namespace: None,
            exception: false,
            error: None,
            streaming: false,
            event_stream: false,
            event: false,
            wrapper: false,
        };
        self.traits.as_deref().unwrap_or(&DEFAULT)
    }
}

/// Traits few shapes carry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ShapeTraits {
    /// A union: exactly one member may be set.
    #[serde(default)]
    pub union: bool,
    /// A document type (any JSON).
    #[serde(default)]
    pub document: bool,
    /// A flattened list or map (XML protocols).
    #[serde(default)]
    pub flattened: bool,
    /// Sensitive data (never logged).
    #[serde(default)]
    pub sensitive: bool,
    /// Timestamp wire format.
    #[serde(default, deserialize_with = "de_opt_name")]
    pub timestamp_format: Option<Name>,
    /// The payload member of a structure (REST protocols).
    #[serde(default, deserialize_with = "de_opt_name")]
    pub payload: Option<Name>,
    /// XML/query name of a list member or map entry.
    #[serde(default, deserialize_with = "de_opt_name")]
    pub location_name: Option<Name>,
    /// The XML namespace of a structure (rest-xml payloads).
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
    /// An error structure.
    #[serde(default)]
    pub exception: bool,
    /// The error trait of an error structure.
    #[serde(default)]
    pub error: Option<ErrorTrait>,
    /// A streaming blob (S3 object bodies).
    #[serde(default)]
    pub streaming: bool,
    /// An event stream union.
    #[serde(default, rename = "eventstream")]
    pub event_stream: bool,
    /// An event of an event stream.
    #[serde(default)]
    pub event: bool,
    /// A wrapper structure (query protocol outputs).
    #[serde(default)]
    pub wrapper: bool,
}

impl ShapeTraits {
    fn is_default(&self) -> bool {
        *self == ShapeTraits::default()
    }
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct RawShape {
    #[serde(rename = "type")]
    shape_type: ShapeType,
    #[serde(default)]
    members: IndexMap<IStr, MemberRef>,
    #[serde(default, deserialize_with = "de_names")]
    required: Box<[Name]>,
    #[serde(default)]
    member: Option<MemberRef>,
    #[serde(default)]
    key: Option<MemberRef>,
    #[serde(default)]
    value: Option<MemberRef>,
    #[serde(default, rename = "enum", deserialize_with = "de_names")]
    enum_values: Box<[Name]>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
    // The traits are listed here rather than flattened: `#[serde(flatten)]`
    // buffers every field, which doubled decode time and fragmented the heap.
    #[serde(default)]
    union: bool,
    #[serde(default)]
    document: bool,
    #[serde(default)]
    flattened: bool,
    #[serde(default)]
    sensitive: bool,
    #[serde(default, deserialize_with = "de_opt_name")]
    timestamp_format: Option<Name>,
    #[serde(default, deserialize_with = "de_opt_name")]
    payload: Option<Name>,
    #[serde(default, deserialize_with = "de_opt_name")]
    location_name: Option<Name>,
    #[serde(default)]
    xml_namespace: Option<XmlNamespace>,
    #[serde(default)]
    exception: bool,
    #[serde(default)]
    error: Option<ErrorTrait>,
    #[serde(default)]
    streaming: bool,
    #[serde(default, rename = "eventstream")]
    event_stream: bool,
    #[serde(default)]
    event: bool,
    #[serde(default)]
    wrapper: bool,
}

impl From<RawShape> for Shape {
    fn from(r: RawShape) -> Shape {
        Shape {
            shape_type: r.shape_type,
            members: r.members.into_iter().map(|(k, v)| (k.0, v)).collect(),
            required: r.required,
            member: r.member.map(Box::new),
            key: r.key.map(Box::new),
            value: r.value.map(Box::new),
            enum_values: r.enum_values,
            min: r.min,
            max: r.max,
            traits: {
                let t = ShapeTraits {
                    union: r.union,
                    document: r.document,
                    flattened: r.flattened,
                    sensitive: r.sensitive,
                    timestamp_format: r.timestamp_format,
                    payload: r.payload,
                    location_name: r.location_name,
                    xml_namespace: r.xml_namespace,
                    exception: r.exception,
                    error: r.error,
                    streaming: r.streaming,
                    event_stream: r.event_stream,
                    event: r.event,
                    wrapper: r.wrapper,
                };
                (!t.is_default()).then(|| Box::new(t))
            },
        }
    }
}

impl From<Shape> for RawShape {
    fn from(s: Shape) -> RawShape {
        let t = s.traits.map(|t| *t).unwrap_or_default();
        RawShape {
            shape_type: s.shape_type,
            members: s
                .members
                .into_vec()
                .into_iter()
                .map(|(k, v)| (IStr(k), v))
                .collect(),
            required: s.required,
            member: s.member.map(|m| *m),
            key: s.key.map(|m| *m),
            value: s.value.map(|m| *m),
            enum_values: s.enum_values,
            min: s.min,
            max: s.max,
            union: t.union,
            document: t.document,
            flattened: t.flattened,
            sensitive: t.sensitive,
            timestamp_format: t.timestamp_format,
            payload: t.payload,
            location_name: t.location_name,
            xml_namespace: t.xml_namespace,
            exception: t.exception,
            error: t.error,
            streaming: t.streaming,
            event_stream: t.event_stream,
            event: t.event,
            wrapper: t.wrapper,
        }
    }
}

/// A reference from a structure, list or map to another shape, with its traits.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(from = "RawMemberRef", into = "RawMemberRef")]
pub struct MemberRef {
    /// The target shape's name.
    pub shape: Name,
    /// Serialization traits, when the reference has any.
    pub traits: Option<Box<MemberTraits>>,
}

impl MemberRef {
    /// The reference's traits, or their defaults.
    pub fn traits(&self) -> &MemberTraits {
        static DEFAULT: MemberTraits = MemberTraits {
            location: None,
            location_name: None,
            query_name: None,
            jsonvalue: false,
            idempotency_token: false,
            host_label: false,
            flattened: false,
            streaming: false,
            deprecated: false,
            xml_attribute: false,
            xml_namespace: None,
            timestamp_format: None,
            context_param: None,
            event_payload: false,
            event_header: false,
        };
        self.traits.as_deref().unwrap_or(&DEFAULT)
    }
}

/// Serialization traits of a member reference.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MemberTraits {
    /// Where the member goes in a REST request (`uri`, `querystring`, `header`, `headers`).
    #[serde(default, deserialize_with = "de_opt_name")]
    pub location: Option<Name>,
    /// The wire name.
    #[serde(default, deserialize_with = "de_opt_name")]
    pub location_name: Option<Name>,
    /// The EC2 query name.
    #[serde(default, deserialize_with = "de_opt_name")]
    pub query_name: Option<Name>,
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
    /// Serialized as an XML attribute.
    #[serde(default)]
    pub xml_attribute: bool,
    /// The member's XML namespace.
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
    /// Timestamp wire format set on the reference (overrides the shape's).
    #[serde(default, deserialize_with = "de_opt_name")]
    pub timestamp_format: Option<Name>,
    /// The endpoint rule parameter this member feeds (`contextParam.name`).
    #[serde(default, deserialize_with = "de_context_param")]
    pub context_param: Option<Name>,
    /// The payload of an event.
    #[serde(default)]
    pub event_payload: bool,
    /// A header of an event.
    #[serde(default)]
    pub event_header: bool,
}

fn de_context_param<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Name>, D::Error> {
    #[derive(Deserialize)]
    struct ContextParam {
        name: IStr,
    }
    Ok(Option::<ContextParam>::deserialize(d)?.map(|c| c.name.0))
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct RawMemberRef {
    #[serde(deserialize_with = "de_name")]
    shape: Name,
    #[serde(default, deserialize_with = "de_opt_name")]
    location: Option<Name>,
    #[serde(default, deserialize_with = "de_opt_name")]
    location_name: Option<Name>,
    #[serde(default, deserialize_with = "de_opt_name")]
    query_name: Option<Name>,
    #[serde(default)]
    jsonvalue: bool,
    #[serde(default)]
    idempotency_token: bool,
    #[serde(default)]
    host_label: bool,
    #[serde(default)]
    flattened: bool,
    #[serde(default)]
    streaming: bool,
    #[serde(default)]
    deprecated: bool,
    #[serde(default)]
    xml_attribute: bool,
    #[serde(default)]
    xml_namespace: Option<XmlNamespace>,
    #[serde(default, deserialize_with = "de_opt_name")]
    timestamp_format: Option<Name>,
    #[serde(
        default,
        deserialize_with = "de_context_param",
        serialize_with = "ser_context_param"
    )]
    context_param: Option<Name>,
    #[serde(default)]
    event_payload: bool,
    #[serde(default)]
    event_header: bool,
}

fn ser_context_param<S: serde::Serializer>(v: &Option<Name>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    match v {
        None => s.serialize_none(),
        Some(n) => {
            let mut st = s.serialize_struct("ContextParam", 1)?;
            st.serialize_field("name", &**n)?;
            st.end()
        }
    }
}

impl From<RawMemberRef> for MemberRef {
    fn from(r: RawMemberRef) -> MemberRef {
        let t = MemberTraits {
            location: r.location,
            location_name: r.location_name,
            query_name: r.query_name,
            jsonvalue: r.jsonvalue,
            idempotency_token: r.idempotency_token,
            host_label: r.host_label,
            flattened: r.flattened,
            streaming: r.streaming,
            deprecated: r.deprecated,
            xml_attribute: r.xml_attribute,
            xml_namespace: r.xml_namespace,
            timestamp_format: r.timestamp_format,
            context_param: r.context_param,
            event_payload: r.event_payload,
            event_header: r.event_header,
        };
        let traits = (t != MemberTraits::default()).then(|| Box::new(t));
        MemberRef {
            shape: r.shape,
            traits,
        }
    }
}

impl From<MemberRef> for RawMemberRef {
    fn from(m: MemberRef) -> RawMemberRef {
        let t = m.traits.map(|t| *t).unwrap_or_default();
        RawMemberRef {
            shape: m.shape,
            location: t.location,
            location_name: t.location_name,
            query_name: t.query_name,
            jsonvalue: t.jsonvalue,
            idempotency_token: t.idempotency_token,
            host_label: t.host_label,
            flattened: t.flattened,
            streaming: t.streaming,
            deprecated: t.deprecated,
            xml_attribute: t.xml_attribute,
            xml_namespace: t.xml_namespace,
            timestamp_format: t.timestamp_format,
            context_param: t.context_param,
            event_payload: t.event_payload,
            event_header: t.event_header,
        }
    }
}

/// A paginator from botocore's `paginators-1.json`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[non_exhaustive]
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
    /// Response members taken from the first page into the full result.
    #[serde(default)]
    pub non_aggregate_keys: Vec<String>,
}

/// The parts of a botocore operation model the core uses.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
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
    /// Error shapes the operation declares.
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    /// Legacy auth type (`none`, `v4`, `v4-unsigned-body`, `bearer`).
    #[serde(default)]
    pub authtype: Option<String>,
    /// Auth schemes (`smithy.api#noAuth`, `aws.auth#sigv4`, ...).
    #[serde(default)]
    pub auth: Vec<String>,
    /// The request must carry a checksum (`Content-MD5` or a flexible checksum).
    #[serde(default)]
    pub http_checksum_required: bool,
    /// Flexible checksum settings.
    #[serde(default)]
    pub http_checksum: Option<serde_json::Value>,
    /// Endpoint rule parameters the operation sets (`{"UseS3ExpressControlEndpoint": {"value": true}}`).
    #[serde(default)]
    pub static_context_params: serde_json::Map<String, serde_json::Value>,
    /// Endpoint rule parameters taken from the input by JMESPath.
    #[serde(default)]
    pub operation_context_params: serde_json::Map<String, serde_json::Value>,
}

/// An operation's HTTP method and URI template.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct HttpBinding {
    /// HTTP method.
    #[serde(default, deserialize_with = "de_name")]
    pub method: Name,
    /// URI template, such as `/{Bucket}/{Key+}`.
    #[serde(default, deserialize_with = "de_name")]
    pub request_uri: Name,
    /// The success status code, when it is not 200.
    #[serde(default)]
    pub response_code: Option<u16>,
}

/// A reference to a named shape (an operation's input, output or error).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ShapeRef {
    /// The shape's name.
    #[serde(deserialize_with = "de_name")]
    pub shape: Name,
    /// The XML element name of a rest-xml input.
    #[serde(default, deserialize_with = "de_opt_name")]
    pub location_name: Option<Name>,
    /// The XML namespace of a rest-xml input.
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
    /// The element wrapping a query-protocol result (`DescribeStacksResult`).
    #[serde(default, deserialize_with = "de_opt_name")]
    pub result_wrapper: Option<Name>,
}

/// The endpoint trait of an operation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
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
