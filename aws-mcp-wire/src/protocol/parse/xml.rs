//! XML bodies: `query`, `ec2` and `rest-xml` (botocore's
//! `BaseXMLResponseParser`, `QueryParser`, `EC2QueryParser` and the body
//! half of `RestXMLParser`).

use indexmap::IndexMap;
use roxmltree::{Document, Node, ParsingOptions};
use serde_json::{Map, Value};

use super::{header_request_id, status_error, Cx, R};
use crate::protocol::{ApiError, HttpResponse, Protocol, ProtocolError};
use aws_mcp_core::catalog::ShapeType;

/// One element, or the elements of a repeated tag (botocore's "list of
/// nodes" from `_build_name_to_xml_node`).
#[derive(Clone)]
pub(crate) enum XNode<'a, 'i> {
    One(Node<'a, 'i>),
    Many(Vec<Node<'a, 'i>>),
}

impl<'a, 'i> XNode<'a, 'i> {
    fn first(&self) -> Node<'a, 'i> {
        match self {
            XNode::One(n) => *n,
            XNode::Many(v) => v[0],
        }
    }

    /// The items of a list or map: the nodes of a repeated tag, the node
    /// itself when `flattened`, else its child elements.
    fn items(&self, flattened: bool) -> Vec<Node<'a, 'i>> {
        match self {
            XNode::Many(v) => v.clone(),
            XNode::One(n) if flattened => vec![*n],
            XNode::One(n) => elements(*n).collect(),
        }
    }
}

/// The child elements of a node.
pub(crate) fn elements<'a, 'i>(n: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children().filter(|c| c.is_element())
}

/// The child elements of a node by local tag name, repeated tags collected.
fn by_name<'a, 'i>(n: Node<'a, 'i>) -> IndexMap<&'a str, XNode<'a, 'i>> {
    let mut m: IndexMap<&'a str, XNode<'a, 'i>> = IndexMap::new();
    for c in elements(n) {
        let tag = c.tag_name().name();
        match m.get_mut(tag) {
            None => {
                m.insert(tag, XNode::One(c));
            }
            Some(XNode::One(prev)) => {
                let prev = *prev;
                m.insert(tag, XNode::Many(vec![prev, c]));
            }
            Some(XNode::Many(v)) => v.push(c),
        }
    }
    m
}

/// An element's text (`""` when empty), as ElementTree's `.text`.
fn text<'a>(n: Node<'a, '_>) -> &'a str {
    n.text().unwrap_or("")
}

/// A parsed XML document, or botocore's `ResponseParserError` for a body
/// that is not XML ([`ProtocolError::InvalidXml`]).
pub(crate) fn parse_doc<'i>(
    _cx: &Cx<'_, '_>,
    body: &'i [u8],
) -> Result<Document<'i>, ProtocolError> {
    let invalid = |reason: String| ProtocolError::InvalidXml {
        reason,
        body: python_bytes_repr(body),
    };
    let s = std::str::from_utf8(body).map_err(|e| {
        let (line, col) = position(&body[..e.valid_up_to()]);
        invalid(format!(
            "not well-formed (invalid token): line {line}, column {col}"
        ))
    })?;
    Document::parse_with_options(
        s,
        ParsingOptions {
            allow_dtd: true,
            ..ParsingOptions::default()
        },
    )
    .map_err(|e| invalid(expat_reason(s, &e)))
}

/// Line (1-based) and column (0-based, in bytes) after `bytes`, as expat
/// counts them.
fn position(bytes: &[u8]) -> (usize, usize) {
    let line = 1 + bytes.iter().filter(|b| **b == b'\n').count();
    let col = bytes.len() - bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    (line, col)
}

/// The message Python's expat gives for the commonest ways a body is not
/// XML: nothing at all or an unclosed document (`no element found` at the
/// end), text before any element (`syntax error`); anything else is
/// `not well-formed (invalid token)` where the parser stopped.
fn expat_reason(s: &str, e: &roxmltree::Error) -> String {
    let start = s.len() - s.trim_start().len();
    if s.trim().is_empty()
        || matches!(
            e,
            roxmltree::Error::UnexpectedEndOfStream
                | roxmltree::Error::UnclosedRootNode
                | roxmltree::Error::NoRootNode
        )
    {
        let (line, col) = position(s.as_bytes());
        return format!("no element found: line {line}, column {col}");
    }
    if !s[start..].starts_with('<') {
        let (line, col) = position(&s.as_bytes()[..start]);
        return format!("syntax error: line {line}, column {col}");
    }
    let p = e.pos();
    format!(
        "not well-formed (invalid token): line {}, column {}",
        p.row,
        p.col.saturating_sub(1)
    )
}

/// Python's `repr()` of a `bytes` value (`b'...'`).
pub(crate) fn python_bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(b.len() + 3);
    out.push('b');
    out.push(quote);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            c if c as char == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote);
    out
}

/// A simplified error body: tags to texts or nested maps (botocore's
/// `_replace_nodes`). An empty element's text is `None`, which the CLI
/// prints as `None`.
#[derive(Debug, Clone)]
pub(crate) enum Tree {
    Text(Option<String>),
    Map(IndexMap<String, Tree>),
}

impl Tree {
    fn get(&self, k: &str) -> Option<&Tree> {
        match self {
            Tree::Map(m) => m.get(k),
            Tree::Text(_) => None,
        }
    }

    /// The text as the CLI prints it (`None` for an empty element), or
    /// `None` for a nested map.
    fn text(&self) -> Option<&str> {
        match self {
            Tree::Text(s) => Some(s.as_deref().unwrap_or("None")),
            Tree::Map(_) => None,
        }
    }
}

fn tree(n: &XNode<'_, '_>) -> Tree {
    let first = n.first();
    if elements(first).next().is_some() || matches!(n, XNode::Many(_)) {
        Tree::Map(
            by_name(first)
                .iter()
                .map(|(k, v)| (k.to_string(), tree(v)))
                .collect(),
        )
    } else {
        Tree::Text(first.text().map(str::to_string))
    }
}

fn tree_map(root: Node<'_, '_>) -> IndexMap<String, Tree> {
    by_name(root)
        .iter()
        .map(|(k, v)| (k.to_string(), tree(v)))
        .collect()
}

impl<'a> Cx<'_, 'a> {
    /// Any shape from an XML node.
    pub(crate) fn xml_value(
        &self,
        r: &R<'a>,
        node: &XNode<'_, '_>,
    ) -> Result<Value, ProtocolError> {
        match r.shape.shape_type {
            ShapeType::Structure => Ok(Value::Object(self.xml_struct(r, node.first())?)),
            ShapeType::List => {
                let m = self.part(r, r.shape.member.as_deref(), "list member")?;
                node.items(r.flattened())
                    .into_iter()
                    .map(|item| self.xml_value(&m, &XNode::One(item)))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array)
            }
            ShapeType::Map => {
                let k = self.part(r, r.shape.key.as_deref(), "map key")?;
                let v = self.part(r, r.shape.value.as_deref(), "map value")?;
                let kname = k.location_name().unwrap_or("key");
                let vname = v.location_name().unwrap_or("value");
                let mut out = Map::new();
                for entry in node.items(r.flattened()) {
                    let (mut key, mut val) = (None, None);
                    for pair in elements(entry) {
                        let tag = pair.tag_name().name();
                        if tag == kname {
                            key = Some(self.xml_value(&k, &XNode::One(pair))?);
                        } else if tag == vname {
                            val = Some(self.xml_value(&v, &XNode::One(pair))?);
                        } else {
                            return Err(self.bad(format!("unknown tag <{tag}> in a map entry")));
                        }
                    }
                    match (key, val) {
                        (Some(key), Some(val)) => {
                            let key = match key {
                                Value::String(s) => s,
                                other => other.to_string(),
                            };
                            out.insert(key, val);
                        }
                        _ => {
                            return Err(self.bad(format!(
                                "a map entry lacks its <{kname}> or <{vname}> element"
                            )))
                        }
                    }
                }
                Ok(Value::Object(out))
            }
            _ => self.scalar_text(r, text(node.first()), false),
        }
    }

    /// The element holding an exception's members.
    fn error_root<'x, 'i>(&self, root: Node<'x, 'i>) -> Node<'x, 'i> {
        if self.svc.protocol == Protocol::Ec2 {
            for c in elements(root) {
                if c.tag_name().name() == "Errors" {
                    if let Some(e) = elements(c).find(|e| e.tag_name().name() == "Error") {
                        return e;
                    }
                }
            }
            root
        } else if root.tag_name().name() == "ErrorResponse" {
            elements(root)
                .find(|e| e.tag_name().name() == "Error")
                .unwrap_or(root)
        } else {
            root
        }
    }

    /// A structure from its element.
    pub(crate) fn xml_struct(
        &self,
        r: &R<'a>,
        node: Node<'_, '_>,
    ) -> Result<Map<String, Value>, ProtocolError> {
        let node = if r.shape.traits().exception {
            self.error_root(node)
        } else {
            node
        };
        let dict = by_name(node);
        if r.shape.traits().union {
            if dict.len() != 1 {
                return Err(self.bad(format!("{} must have one and only one member set", r.name)));
            }
            let tag = dict.keys().next().copied().unwrap_or_default();
            let mut known = false;
            for (n, m) in r.shape.members.iter() {
                known |= self.resolve(m)?.location_name().unwrap_or(n) == tag;
            }
            if !known {
                let mut inner = Map::new();
                inner.insert("name".into(), Value::String(tag.to_string()));
                let mut out = Map::new();
                out.insert("SDK_UNKNOWN_MEMBER".into(), Value::Object(inner));
                return Ok(out);
            }
        }
        let mut out = Map::new();
        for (name, mref) in r.shape.members.iter() {
            let mt = mref.traits();
            if matches!(
                mt.location.as_deref(),
                Some("header" | "headers" | "statusCode")
            ) || mt.event_header
            {
                continue;
            }
            let m = self.resolve(mref)?;
            let key = member_key_name(self, &m, name)?;
            if let Some(x) = dict.get(key) {
                out.insert(name.to_string(), self.xml_value(&m, x)?);
            } else if mt.xml_attribute {
                let loc = m.location_name().unwrap_or(name);
                let prefix = loc.split(':').next().unwrap_or(loc);
                for a in node.attributes() {
                    let k = match a.namespace() {
                        Some(_) => format!("{prefix}:{}", a.name()),
                        None => a.name().to_string(),
                    };
                    if k == loc {
                        out.insert(name.to_string(), Value::String(a.value().to_string()));
                    }
                }
            }
        }
        Ok(out)
    }

    /// A `query` or `ec2` success: the output structure, inside its
    /// `resultWrapper` element when it has one.
    pub(crate) fn xml_rpc_success(
        &self,
        r: R<'a>,
        wrapper: Option<&str>,
        body: &[u8],
    ) -> Result<Map<String, Value>, ProtocolError> {
        if body.trim_ascii().is_empty() {
            return Ok(Map::new());
        }
        let doc = parse_doc(self, body)?;
        let root = doc.root_element();
        let start = match wrapper {
            Some(w) => match elements(root).find(|e| e.tag_name().name() == w) {
                Some(e) => e,
                // botocore raises a KeyError here; an empty result is kinder.
                None => return Ok(Map::new()),
            },
            None => root,
        };
        self.xml_struct(&r, start)
    }

    /// The modeled members of a `query`/`ec2` error.
    pub(crate) fn xml_error_details(
        &self,
        r: R<'a>,
        body: &[u8],
    ) -> Result<Map<String, Value>, ProtocolError> {
        let doc = parse_doc(self, body)?;
        self.xml_struct(&r, doc.root_element())
    }

    /// A `query` or `ec2` error: `<ErrorResponse><Error>` or
    /// `<Response><Errors><Error>`.
    pub(crate) fn xml_rpc_error(&self, resp: &HttpResponse<'_>) -> Result<ApiError, ProtocolError> {
        let doc = parse_doc(self, resp.body)?;
        let mut parsed = tree_map(doc.root_element());
        if let Some(Tree::Map(errors)) = parsed.shift_remove("Errors") {
            parsed.extend(errors);
        }
        let rid_key = if self.svc.protocol == Protocol::Ec2 {
            "RequestID"
        } else {
            "RequestId"
        };
        let request_id = parsed
            .get(rid_key)
            .and_then(Tree::text)
            .map(str::to_string)
            .or_else(|| header_request_id(resp.headers));
        let err = parsed.get("Error");
        let field = |k: &str| {
            err.and_then(|e| e.get(k))
                .map(|t| t.text().unwrap_or_default().to_string())
                .unwrap_or_else(|| "Unknown".to_string())
        };
        Ok(ApiError {
            code: field("Code"),
            message: field("Message"),
            request_id,
            status: resp.status,
        })
    }

    /// A `rest-xml` error: S3's `<Error>` or `<ErrorResponse><Error>`; an
    /// empty or unreadable body gives the status (`404`, `Not Found`).
    pub(crate) fn rest_xml_error(&self, resp: &HttpResponse<'_>) -> ApiError {
        if resp.body.is_empty() {
            return status_error(resp, None);
        }
        let Ok(doc) = parse_doc(self, resp.body) else {
            return status_error(resp, None);
        };
        let root = doc.root_element();
        let parsed = tree_map(root);
        let text = |t: Option<&Tree>| t.map(|t| t.text().unwrap_or_default().to_string());
        if root.tag_name().name() == "Error" && root.tag_name().namespace().is_none() {
            return ApiError {
                code: text(parsed.get("Code")).unwrap_or_else(|| "Unknown".into()),
                message: text(parsed.get("Message")).unwrap_or_else(|| "Unknown".into()),
                request_id: header_request_id(resp.headers)
                    .or_else(|| text(parsed.get("RequestId"))),
                status: resp.status,
            };
        }
        let err = parsed.get("Error");
        let field = |k: &str| text(err.and_then(|e| e.get(k))).unwrap_or_default();
        ApiError {
            code: field("Code"),
            message: field("Message"),
            request_id: text(parsed.get("RequestId")).or_else(|| header_request_id(resp.headers)),
            status: resp.status,
        }
    }
}

/// The tag of a member's element: a flattened list's member name when set,
/// else the member's `locationName`, else its name.
fn member_key_name<'a>(
    cx: &Cx<'_, 'a>,
    m: &R<'a>,
    name: &'a str,
) -> Result<&'a str, ProtocolError> {
    if m.shape.shape_type == ShapeType::List && m.flattened() {
        if let Some(item) = m.shape.member.as_deref() {
            if let Some(n) = cx.resolve(item)?.location_name() {
                return Ok(n);
            }
        }
    }
    Ok(m.location_name().unwrap_or(name))
}

#[cfg(test)]
mod invalid_xml_tests {
    use super::*;

    fn reason(body: &[u8]) -> String {
        let s = std::str::from_utf8(body).unwrap();
        let e = Document::parse(s).unwrap_err();
        expat_reason(s, &e)
    }

    #[test]
    fn reasons_read_like_expat() {
        // The texts Python's expat gives for these bodies (botocore 1.44's
        // "Unable to parse response (...)").
        assert_eq!(reason(b""), "no element found: line 1, column 0");
        assert_eq!(
            reason(b"<Error><Code>Oops</Code><Message>unclosed"),
            "no element found: line 1, column 41"
        );
        assert_eq!(reason(b"plain words"), "syntax error: line 1, column 0");
        assert_eq!(reason(b"\n  not xml"), "syntax error: line 2, column 2");
    }

    #[test]
    fn bytes_repr_is_pythons() {
        assert_eq!(python_bytes_repr(b"a'b"), "b\"a'b\"");
        assert_eq!(python_bytes_repr(b"a'\"b"), "b'a\\'\"b'");
        assert_eq!(
            python_bytes_repr(b"\t\n\r\\\x00\xff"),
            "b'\\t\\n\\r\\\\\\x00\\xff'"
        );
    }
}
