//! XML bodies of the `rest-xml` protocol (botocore's `RestXMLSerializer`).
//!
//! * The root element is the input's `locationName` (the operation's input
//!   reference or the payload member), else the shape's name; its
//!   `xmlNamespace` becomes `xmlns` (or `xmlns:prefix`).
//! * Structure members are elements named by their `locationName`, in the
//!   order given; `xmlAttribute` members become attributes of the
//!   structure's element.
//! * Lists wrap their items in `<member>` (or the member's `locationName`);
//!   flattened lists repeat the list's own element. Maps are
//!   `<entry><key/><value/></entry>` (names from the key and value
//!   `locationName`s); flattened maps repeat the map's element per entry.
//! * Text: booleans `true`/`false`, floats as Python prints them,
//!   timestamps ISO 8601 unless the shape says otherwise, blobs in base64.
//!   No XML declaration, as botocore.

use serde_json::{Map, Value};

use super::time::Format;
use super::{
    array, index, join, member, object, resolve, scalar_text, ProtocolError, Ser, ServiceModel,
};
use aws_mcp_core::catalog::{Shape, ShapeType, XmlNamespace};

/// A whole XML document: `root` is the root element's name.
pub(super) fn document(
    svc: &ServiceModel<'_>,
    root: &str,
    sh: &Shape,
    ser: &Ser<'_>,
    v: &Value,
    path: &str,
) -> Result<Vec<u8>, ProtocolError> {
    let mut w = Writer {
        svc,
        out: String::new(),
    };
    w.value(root, sh, ser, v, path)?;
    Ok(w.out.into_bytes())
}

struct Writer<'s, 'a> {
    svc: &'s ServiceModel<'a>,
    out: String,
}

fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

fn escape_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#09;"),
            _ => out.push(c),
        }
    }
}

impl<'a> Writer<'_, 'a> {
    fn open(&mut self, name: &str, ns: Option<&XmlNamespace>, attrs: &[(String, String)]) {
        self.out.push('<');
        self.out.push_str(name);
        if let Some(ns) = ns {
            self.out.push_str(" xmlns");
            if let Some(p) = ns.prefix.as_deref().filter(|p| !p.is_empty()) {
                self.out.push(':');
                self.out.push_str(p);
            }
            self.out.push_str("=\"");
            escape_attr(&mut self.out, &ns.uri);
            self.out.push('"');
        }
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_attr(&mut self.out, v);
            self.out.push('"');
        }
        self.out.push('>');
    }

    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn value(
        &mut self,
        name: &str,
        sh: &'a Shape,
        ser: &Ser<'a>,
        v: &Value,
        path: &str,
    ) -> Result<(), ProtocolError> {
        if v.is_null() {
            return Ok(());
        }
        match sh.shape_type {
            ShapeType::Structure if sh.traits().document => Err(super::bad(
                path,
                "document values cannot be sent in an XML body",
            )),
            ShapeType::Structure => self.structure(name, sh, ser, object(v, path)?, path),
            ShapeType::List => self.list(name, sh, ser, array(v, path)?, path),
            ShapeType::Map => self.map(name, sh, ser, object(v, path)?, path),
            _ => {
                let text = scalar_text(sh, ser, v, path, Format::Iso8601)?;
                self.open(name, ser.xml_namespace, &[]);
                escape_text(&mut self.out, &text);
                self.close(name);
                Ok(())
            }
        }
    }

    fn structure(
        &mut self,
        name: &str,
        sh: &'a Shape,
        ser: &Ser<'a>,
        v: &Map<String, Value>,
        path: &str,
    ) -> Result<(), ProtocolError> {
        let mut attrs = Vec::new();
        let mut children = Vec::new();
        for (k, mv) in v {
            let m = member(sh, k, path)?;
            if mv.is_null() {
                continue;
            }
            let (msh, mser) = resolve(self.svc, m)?;
            let p = join(path, k);
            if mser.xml_attribute {
                let text = scalar_text(msh, &mser, mv, &p, Format::Iso8601)?;
                attrs.push((mser.name.unwrap_or(k).to_string(), text));
            } else {
                children.push((k, msh, mser, mv, p));
            }
        }
        self.open(name, ser.xml_namespace, &attrs);
        for (k, msh, mser, mv, p) in children {
            self.value(mser.name.unwrap_or(k), msh, &mser, mv, &p)?;
        }
        self.close(name);
        Ok(())
    }

    fn list(
        &mut self,
        name: &str,
        sh: &'a Shape,
        ser: &Ser<'a>,
        v: &[Value],
        path: &str,
    ) -> Result<(), ProtocolError> {
        let (msh, mser) = super::list_member(self.svc, sh, path)?;
        if ser.flattened {
            for (i, item) in v.iter().enumerate() {
                self.value(name, msh, &mser, item, &index(path, i))?;
            }
        } else {
            let item_name = mser.name.unwrap_or("member");
            self.open(name, ser.xml_namespace, &[]);
            for (i, item) in v.iter().enumerate() {
                self.value(item_name, msh, &mser, item, &index(path, i))?;
            }
            self.close(name);
        }
        Ok(())
    }

    fn map(
        &mut self,
        name: &str,
        sh: &'a Shape,
        ser: &Ser<'a>,
        v: &Map<String, Value>,
        path: &str,
    ) -> Result<(), ProtocolError> {
        let (Some(k), Some(val)) = (sh.key.as_deref(), sh.value.as_deref()) else {
            return Err(super::bad(path, "the map shape has no key or value"));
        };
        let (ksh, kser) = resolve(self.svc, k)?;
        let (vsh, vser) = resolve(self.svc, val)?;
        let kname = kser.name.unwrap_or("key");
        let vname = vser.name.unwrap_or("value");
        if !ser.flattened {
            self.open(name, ser.xml_namespace, &[]);
        }
        for (key, value) in v {
            let p = join(path, key);
            let entry = if ser.flattened { name } else { "entry" };
            self.open(entry, None, &[]);
            self.value(kname, ksh, &kser, &Value::String(key.clone()), &p)?;
            self.value(vname, vsh, &vser, value, &p)?;
            self.close(entry);
        }
        if !ser.flattened {
            self.close(name);
        }
        Ok(())
    }
}
