//! The `query` and `ec2` protocols: a form-encoded `POST /` with `Action`
//! and `Version` first, then every parameter flattened to a dotted key.
//!
//! Key names follow botocore's `QuerySerializer` and `EC2Serializer`:
//!
//! * query: a member's `locationName`, else its name; lists are
//!   `Name.member.N` (or `Name.<member locationName>.N`), flattened lists
//!   `Name.N` (the last segment replaced by the member's `locationName` when
//!   it has one), and an empty list is sent as `Name=` so the service sees
//!   it; maps are `Name.entry.N.key` / `.value` (flattened: `Name.N.key`),
//!   key and value names taken from their `locationName`s.
//! * ec2: a member's `queryName`, else its `locationName` with the first
//!   letter capitalised, else its name; lists are always `Name.N`, and an
//!   empty list sends nothing.
//!
//! Timestamps default to ISO 8601; blobs are base64.

use serde_json::{Map, Value};

use super::time::Format;
use super::{
    array, encode_pairs, index, member, object, resolve, scalar_text, HttpRequest, ProtocolError,
    Ser, ServiceModel,
};
use aws_mcp_core::catalog::{OperationModel, Shape, ShapeType};

pub(super) fn serialize(
    svc: &ServiceModel<'_>,
    op_name: &str,
    op: &OperationModel,
    input: Option<&Shape>,
    params: &Map<String, Value>,
    ec2: bool,
) -> Result<HttpRequest, ProtocolError> {
    let mut q = Query {
        svc,
        ec2,
        pairs: vec![
            ("Action".into(), op_name.to_string()),
            (
                "Version".into(),
                svc.metadata.api_version.clone().unwrap_or_default(),
            ),
        ],
    };
    if let Some(sh) = input {
        q.structure(sh, params, "", "")?;
    } else if let Some(k) = params.keys().next() {
        return Err(super::bad(k, "the operation takes no input"));
    }
    let body = encode_pairs(q.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    Ok(HttpRequest {
        method: super::method(op, "POST"),
        path: "/".into(),
        headers: vec![(
            "Content-Type".into(),
            "application/x-www-form-urlencoded; charset=utf-8".into(),
        )],
        body: body.into_bytes(),
        host_prefix: None,
    })
}

struct Query<'s, 'a> {
    svc: &'s ServiceModel<'a>,
    ec2: bool,
    pairs: Vec<(String, String)>,
}

impl<'a> Query<'_, 'a> {
    /// The wire name of a structure member (`default`: its API name) or of
    /// a map's key or value (`default`: `key`, `value`).
    fn name(&self, ser: &Ser<'_>, default: &str, is_member: bool) -> String {
        if !self.ec2 {
            return ser.name.unwrap_or(default).to_string();
        }
        if let Some(q) = ser.query_name {
            return q.to_string();
        }
        // botocore capitalises only a locationName; Smithy's ec2Query also
        // capitalises a plain member name (EC2's own members already start
        // with a capital, so both agree on real models). Map entry names
        // stay `key` and `value`.
        let n = match ser.name {
            Some(n) => n,
            None if is_member => default,
            None => return default.to_string(),
        };
        let mut c = n.chars();
        match c.next() {
            Some(f) => f.to_uppercase().chain(c).collect(),
            None => String::new(),
        }
    }

    fn value(
        &mut self,
        sh: &'a Shape,
        ser: &Ser<'a>,
        v: &Value,
        prefix: &str,
        path: &str,
    ) -> Result<(), ProtocolError> {
        if v.is_null() {
            return Ok(());
        }
        match sh.shape_type {
            ShapeType::Structure => {
                if sh.traits().document {
                    return Err(super::bad(
                        path,
                        "document values cannot be sent with the query protocol",
                    ));
                }
                self.structure(sh, object(v, path)?, prefix, path)
            }
            ShapeType::List => self.list(sh, ser, array(v, path)?, prefix, path),
            ShapeType::Map => self.map(sh, ser, object(v, path)?, prefix, path),
            _ => {
                let t = scalar_text(sh, ser, v, path, Format::Iso8601)?;
                self.pairs.push((prefix.to_string(), t));
                Ok(())
            }
        }
    }

    fn structure(
        &mut self,
        sh: &'a Shape,
        v: &Map<String, Value>,
        prefix: &str,
        path: &str,
    ) -> Result<(), ProtocolError> {
        for (k, mv) in v {
            let m = member(sh, k, path)?;
            let (msh, mser) = resolve(self.svc, m)?;
            let name = self.name(&mser, k, true);
            let p = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}.{name}")
            };
            self.value(msh, &mser, mv, &p, &super::join(path, k))?;
        }
        Ok(())
    }

    fn list(
        &mut self,
        sh: &'a Shape,
        ser: &Ser<'a>,
        v: &[Value],
        prefix: &str,
        path: &str,
    ) -> Result<(), ProtocolError> {
        let (msh, mser) = super::list_member(self.svc, sh, path)?;
        let list_prefix = if self.ec2 {
            prefix.to_string()
        } else {
            if v.is_empty() {
                self.pairs.push((prefix.to_string(), String::new()));
                return Ok(());
            }
            if ser.flattened {
                match mser.name {
                    Some(n) => match prefix.rsplit_once('.') {
                        Some((head, _)) => format!("{head}.{n}"),
                        None => n.to_string(),
                    },
                    None => prefix.to_string(),
                }
            } else {
                format!("{prefix}.{}", mser.name.unwrap_or("member"))
            }
        };
        for (i, item) in v.iter().enumerate() {
            self.value(
                msh,
                &mser,
                item,
                &format!("{list_prefix}.{}", i + 1),
                &index(path, i),
            )?;
        }
        Ok(())
    }

    fn map(
        &mut self,
        sh: &'a Shape,
        ser: &Ser<'a>,
        v: &Map<String, Value>,
        prefix: &str,
        path: &str,
    ) -> Result<(), ProtocolError> {
        let (Some(k), Some(val)) = (sh.key.as_deref(), sh.value.as_deref()) else {
            return Err(super::bad(path, "the map shape has no key or value"));
        };
        let (ksh, kser) = resolve(self.svc, k)?;
        let (vsh, vser) = resolve(self.svc, val)?;
        let full = if ser.flattened {
            prefix.to_string()
        } else {
            format!("{prefix}.entry")
        };
        let kname = self.name(&kser, "key", false);
        let vname = self.name(&vser, "value", false);
        for (i, (key, value)) in v.iter().enumerate() {
            let p = super::join(path, key);
            self.value(
                ksh,
                &kser,
                &Value::String(key.clone()),
                &format!("{full}.{}.{kname}", i + 1),
                &p,
            )?;
            self.value(vsh, &vser, value, &format!("{full}.{}.{vname}", i + 1), &p)?;
        }
        Ok(())
    }
}
