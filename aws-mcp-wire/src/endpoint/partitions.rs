//! botocore's `partitions.json`: which partition a region belongs to and
//! that partition's outputs (`name`, `dnsSuffix`, `dualStackDnsSuffix`,
//! `supportsFIPS`, `supportsDualStack`, `implicitGlobalRegion`).

use std::collections::HashMap;

use regex::Regex;
use serde_json::Value as Json;

use super::eval::Value;
use super::EndpointError;

/// The AWS partitions, loaded once from `partitions.json` with
/// [`Partitions::from_json`]; `aws.partition` looks regions up here.
#[derive(Debug, Clone)]
pub struct Partitions {
    parts: Vec<Partition>,
    /// Regions listed explicitly, with their result (the partition's
    /// outputs merged with the region's own overrides, if any).
    by_region: HashMap<String, Value>,
    /// The partition used when no other matches: `aws`, else the first.
    fallback: usize,
}

#[derive(Debug, Clone)]
struct Partition {
    id: String,
    region_regex: Regex,
    result: Value,
}

fn invalid(place: &str, what: &str) -> EndpointError {
    EndpointError::InvalidPartitions(format!("{place}: {what}"))
}

impl Partitions {
    /// Load `partitions.json` (`{"partitions": [{"id", "regionRegex",
    /// "regions", "outputs"}, ...]}`); a malformed document or a regex that
    /// does not compile is an [`EndpointError::InvalidPartitions`].
    pub fn from_json(v: &Json) -> Result<Partitions, EndpointError> {
        let list = v
            .get("partitions")
            .and_then(Json::as_array)
            .ok_or_else(|| invalid("the document", "needs a `partitions` array"))?;
        if list.is_empty() {
            return Err(invalid("partitions", "is empty"));
        }
        let mut parts = Vec::with_capacity(list.len());
        let mut by_region = HashMap::new();
        for (i, p) in list.iter().enumerate() {
            let place = format!("partitions[{i}]");
            let id = p
                .get("id")
                .and_then(Json::as_str)
                .ok_or_else(|| invalid(&place, "needs a string `id`"))?;
            let place = format!("partition `{id}`");
            let re = p
                .get("regionRegex")
                .and_then(Json::as_str)
                .ok_or_else(|| invalid(&place, "needs a string `regionRegex`"))?;
            let region_regex = Regex::new(re)
                .map_err(|e| invalid(&place, &format!("bad `regionRegex` `{re}`: {e}")))?;
            let outputs = p
                .get("outputs")
                .and_then(Json::as_object)
                .ok_or_else(|| invalid(&place, "needs an `outputs` object"))?;
            let result = result_value(id, outputs, None);
            if let Some(regions) = p.get("regions") {
                let regions = regions
                    .as_object()
                    .ok_or_else(|| invalid(&place, "`regions` must be an object"))?;
                for (name, r) in regions {
                    let overrides = r.as_object().ok_or_else(|| {
                        invalid(&place, &format!("region `{name}` must be an object"))
                    })?;
                    let value = if overrides.keys().any(|k| k != "description") {
                        result_value(id, outputs, Some(overrides))
                    } else {
                        result.clone()
                    };
                    by_region.entry(name.clone()).or_insert(value);
                }
            }
            parts.push(Partition {
                id: id.to_string(),
                region_regex,
                result,
            });
        }
        let fallback = parts.iter().position(|p| p.id == "aws").unwrap_or(0);
        Ok(Partitions {
            parts,
            by_region,
            fallback,
        })
    }

    /// The ids of the partitions, in the document's order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().map(|p| p.id.as_str())
    }

    /// The id of the partition `region` belongs to: a partition listing it
    /// explicitly, else the first whose `regionRegex` matches, else `aws`.
    pub fn partition_of(&self, region: &str) -> &str {
        // The record's `name` is the partition id (see result_value).
        let record = self.lookup(region);
        let name = record.get("name").and_then(Value::as_str).unwrap_or("");
        self.ids()
            .find(|id| *id == name)
            .unwrap_or(&self.parts[self.fallback].id)
    }

    /// `aws.partition(region)`: the partition record.
    pub(crate) fn lookup(&self, region: &str) -> Value {
        if let Some(v) = self.by_region.get(region) {
            return v.clone();
        }
        for p in &self.parts {
            if p.region_regex.is_match(region) {
                return p.result.clone();
            }
        }
        self.parts[self.fallback].result.clone()
    }
}

/// The outputs, with `name` set to the partition id (as botocore does) and
/// a region's overrides applied.
fn result_value(
    id: &str,
    outputs: &serde_json::Map<String, Json>,
    overrides: Option<&serde_json::Map<String, Json>>,
) -> Value {
    let mut fields: Vec<(&str, Value)> = Vec::with_capacity(outputs.len() + 1);
    for (k, v) in outputs {
        if let Some(v) = Value::from_json(v) {
            fields.push((k.as_str(), v));
        }
    }
    if let Some(o) = overrides {
        for (k, v) in o {
            if k == "description" {
                continue;
            }
            if let Some(v) = Value::from_json(v) {
                match fields.iter_mut().find(|(f, _)| *f == k.as_str()) {
                    Some(slot) => slot.1 = v,
                    None => fields.push((k.as_str(), v)),
                }
            }
        }
    }
    match fields.iter_mut().find(|(f, _)| *f == "name") {
        Some(slot) => slot.1 = Value::str(id),
        None => fields.push(("name", Value::str(id))),
    }
    Value::object(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Partitions {
        Partitions::from_json(&json!({
            "version": "1.1",
            "partitions": [
                {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
                 "regions": {"aws-global": {"description": "global"},
                             "us-east-1": {"description": "N. Virginia"}},
                 "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com",
                             "dualStackDnsSuffix": "api.aws", "supportsFIPS": true,
                             "supportsDualStack": true, "implicitGlobalRegion": "us-east-1"}},
                {"id": "aws-cn", "regionRegex": "^cn\\-\\w+\\-\\d+$",
                 "regions": {"aws-cn-global": {"description": "global"},
                             "cn-special": {"description": "x", "supportsFIPS": false}},
                 "outputs": {"name": "aws-cn", "dnsSuffix": "amazonaws.com.cn",
                             "dualStackDnsSuffix": "api.amazonwebservices.com.cn",
                             "supportsFIPS": true, "supportsDualStack": true,
                             "implicitGlobalRegion": "cn-northwest-1"}}
            ]
        }))
        .unwrap()
    }

    #[test]
    fn regex_explicit_and_fallback() {
        let p = sample();
        assert_eq!(p.partition_of("eu-west-9"), "aws");
        assert_eq!(p.partition_of("cn-north-1"), "aws-cn");
        assert_eq!(p.partition_of("aws-cn-global"), "aws-cn");
        assert_eq!(p.partition_of("mars-east-1"), "aws", "fallback");
        assert_eq!(p.partition_of(""), "aws");
        let r = p.lookup("cn-north-1");
        assert_eq!(
            r.get("dnsSuffix").and_then(Value::as_str),
            Some("amazonaws.com.cn")
        );
        assert_eq!(r.get("supportsFIPS"), Some(&Value::Bool(true)));
        assert_eq!(
            r.get("implicitGlobalRegion").and_then(Value::as_str),
            Some("cn-northwest-1")
        );
    }

    #[test]
    fn region_overrides_apply() {
        let p = sample();
        let r = p.lookup("cn-special");
        assert_eq!(r.get("supportsFIPS"), Some(&Value::Bool(false)));
        assert_eq!(r.get("name").and_then(Value::as_str), Some("aws-cn"));
        assert_eq!(r.get("description"), None);
    }

    #[test]
    fn bad_documents_are_errors() {
        for (doc, want) in [
            (json!([]), "needs a `partitions` array"),
            (json!({"partitions": []}), "is empty"),
            (
                json!({"partitions": [{"regionRegex": "x", "outputs": {}}]}),
                "`id`",
            ),
            (
                json!({"partitions": [{"id": "a", "outputs": {}}]}),
                "`regionRegex`",
            ),
            (
                json!({"partitions": [{"id": "a", "regionRegex": "(", "outputs": {}}]}),
                "bad `regionRegex`",
            ),
            (
                json!({"partitions": [{"id": "a", "regionRegex": "x"}]}),
                "`outputs`",
            ),
            (
                json!({"partitions": [{"id": "a", "regionRegex": "x", "outputs": {},
                                       "regions": {"r": 1}}]}),
                "region `r`",
            ),
        ] {
            let e = Partitions::from_json(&doc).unwrap_err();
            assert!(matches!(e, EndpointError::InvalidPartitions(_)), "{e}");
            assert!(e.to_string().contains(want), "{e} lacks {want}");
        }
    }
}
