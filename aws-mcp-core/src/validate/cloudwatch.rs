//! awscli's `cloudwatch put-metric-data` arguments, translated into API
//! parameters.
//!
//! awscli (`customizations/putmetricdata.py`) adds `--metric-name`,
//! `--timestamp`, `--unit`, `--value`, `--dimensions`, `--statistic-values`
//! and `--storage-resolution`, each writing one member of the first element
//! of `MetricData` (created as `[{}]` when `--metric-data` was not given),
//! in the argument table's order. `--dimensions Name=Value,...` and
//! `--statistic-values Sum=1,...` are split with awscli's `split_on_commas`
//! ([`split_on_commas`]) and each pair at its `=`; `--value` and the
//! statistic values are decimals, `--storage-resolution` an integer.
//! `--metric-data` and the first six are mutually exclusive (awscli's
//! `validate_mutually_exclusive`, with its message). The parameters are then
//! checked against the model like any other (`--unit`'s allowed values).

use serde_json::{Map, Number, Value};

use super::args::Given;
use super::error::ValidationError;

/// The arguments awscli adds, in its argument table's order.
const ARGS: &[&str] = &[
    "metric-name",
    "timestamp",
    "unit",
    "value",
    "dimensions",
    "statistic-values",
    "storage-resolution",
];

/// Whether `arg` of `command` (of the API service `api_service`) is one of
/// the arguments translated here.
pub(crate) fn translates(api_service: Option<&str>, command: &str, arg: &str) -> bool {
    api_service == Some("cloudwatch") && command == "put-metric-data" && ARGS.contains(&arg)
}

/// Put the parameters the arguments of `given` stand for into `params`.
pub(crate) fn apply(
    api_service: Option<&str>,
    command: &str,
    given: &[Given<'_>],
    params: &mut Map<String, Value>,
) -> Result<(), ValidationError> {
    if api_service != Some("cloudwatch") || command != "put-metric-data" {
        return Ok(());
    }
    let value_of = |name: &str| {
        // argparse keeps the last value given.
        given
            .iter()
            .rev()
            .find(|g| &*g.arg.name == name)
            .and_then(|g| g.values.first())
    };
    if value_of("metric-data").is_some() {
        // `metric_data` comes first in the argument table, so the first
        // of the other group given is the one awscli names.
        if let Some(other) = ARGS[..6].iter().find(|a| value_of(a).is_some()) {
            return Err(ValidationError::ConflictingArguments {
                detail: format!(
                    "The key \"{}\" cannot be specified when one of the following keys are also specified: metric_data",
                    other.replace('-', "_")
                ),
            });
        }
    }
    for name in ARGS {
        let Some(text) = value_of(name) else {
            continue;
        };
        let label = format!("--{name}");
        let (key, value) = match *name {
            "metric-name" => ("MetricName", Value::String(text.clone())),
            "timestamp" => ("Timestamp", Value::String(text.clone())),
            "unit" => ("Unit", Value::String(text.clone())),
            "value" => ("Value", decimal(&label, text)?),
            "dimensions" => {
                let mut dims = Vec::new();
                for pair in split_on_commas(&label, text)? {
                    let (k, v) = key_value(&label, &pair)?;
                    let mut d = Map::new();
                    d.insert("Name".into(), Value::String(k));
                    d.insert("Value".into(), Value::String(v));
                    dims.push(Value::Object(d));
                }
                ("Dimensions", Value::Array(dims))
            }
            "statistic-values" => {
                let mut stats = Map::new();
                for pair in split_on_commas(&label, text)? {
                    let (k, v) = key_value(&label, &pair)?;
                    stats.insert(k, decimal(&format!("{label} {pair}"), &v)?);
                }
                ("StatisticValues", Value::Object(stats))
            }
            "storage-resolution" => {
                let n: i64 = text
                    .trim()
                    .parse()
                    .map_err(|_| invalid(&label, "an integer", text))?;
                ("StorageResolution", Value::from(n))
            }
            _ => continue,
        };
        // `insert_first_element('MetricData')`.
        let data = params
            .entry("MetricData")
            .or_insert_with(|| Value::Array(vec![Value::Object(Map::new())]));
        match data {
            Value::Array(items) if items.is_empty() => items.push(Value::Object(Map::new())),
            _ => {}
        }
        if let Some(Value::Object(first)) = data.as_array_mut().and_then(|a| a.first_mut()) {
            first.insert(key.into(), value);
        }
    }
    Ok(())
}

fn invalid(arg: &str, expected: &str, value: &str) -> ValidationError {
    ValidationError::InvalidType {
        arg: arg.to_string(),
        expected: expected.into(),
        value: value.to_string(),
    }
}

/// `decimal.Decimal(text)` as a JSON number (finite values only: the
/// API takes no NaN or infinity).
fn decimal(arg: &str, text: &str) -> Result<Value, ValidationError> {
    let t = text.trim().replace('_', "");
    t.parse::<f64>()
        .ok()
        .filter(|f| {
            f.is_finite()
                && !t
                    .chars()
                    .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
        })
        .and_then(Number::from_f64)
        .map(Value::Number)
        .ok_or_else(|| invalid(arg, "a number", text))
}

/// `key, value = pair.split('=')`: exactly one `=`.
fn key_value(arg: &str, pair: &str) -> Result<(String, String), ValidationError> {
    let mut parts = pair.split('=');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(k), Some(v), None) => Ok((k.to_string(), v.to_string())),
        _ => Err(ValidationError::InvalidShorthand {
            arg: arg.to_string(),
            detail: format!("`{pair}` is not Name=Value (one `=` in each comma-separated pair)"),
        }),
    }
}

/// awscli's `split_on_commas` (`awscli/utils.py`): a plain split when the
/// value has no quote, bracket or backslash; Python's `csv` reader with
/// `\` as its escape character when it has backslashes only; else the
/// reader followed by awscli's re-joining of quoted parts (`a="x,y"`) and
/// of bracketed lists (`a=[x,y]`).
pub(crate) fn split_on_commas(arg: &str, value: &str) -> Result<Vec<String>, ValidationError> {
    let special = |cs: &[char]| value.chars().any(|c| cs.contains(&c));
    if !special(&['"', '\\', '\'', ']', '[']) {
        return Ok(value.split(',').map(str::to_string).collect());
    }
    let bad = || ValidationError::InvalidShorthand {
        arg: arg.to_string(),
        detail: format!("Bad csv value: {value}"),
    };
    let parts = csv_row(value);
    if !special(&['"', '\'', '[', ']']) {
        return Ok(parts);
    }
    split_with_quotes(value, parts).ok_or_else(bad)
}

/// One row of Python's `csv.reader` (excel dialect, `escapechar='\\'`,
/// not strict) over a value without line breaks.
fn csv_row(line: &str) -> Vec<String> {
    #[derive(PartialEq)]
    enum S {
        Start,
        Field,
        Escaped,
        Quoted,
        EscapedInQuotes,
        QuoteInQuotes,
    }
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut s = S::Start;
    for c in line.chars() {
        s = match s {
            S::Start | S::Field => match c {
                '"' if s == S::Start => S::Quoted,
                '\\' => S::Escaped,
                ',' => {
                    fields.push(std::mem::take(&mut field));
                    S::Start
                }
                _ => {
                    field.push(c);
                    S::Field
                }
            },
            S::Escaped => {
                field.push(c);
                S::Field
            }
            S::Quoted => match c {
                '\\' => S::EscapedInQuotes,
                '"' => S::QuoteInQuotes,
                _ => {
                    field.push(c);
                    S::Quoted
                }
            },
            S::EscapedInQuotes => {
                field.push(c);
                S::Quoted
            }
            S::QuoteInQuotes => match c {
                '"' => {
                    field.push('"');
                    S::Quoted
                }
                ',' => {
                    fields.push(std::mem::take(&mut field));
                    S::Start
                }
                _ => {
                    field.push(c);
                    S::Field
                }
            },
        };
    }
    // The reader is not strict: at the end of the data an escape stands
    // for the line's end and an open quote closes.
    if matches!(s, S::Escaped | S::EscapedInQuotes) {
        field.push('\n');
    }
    fields.push(field);
    fields
}

/// awscli's `_split_with_quotes` over the reader's `parts`.
fn split_with_quotes(value: &str, parts: Vec<String>) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut it = parts.into_iter();
    while let Some(part) = it.next() {
        let quote = part.chars().find(|c| *c == '"' || *c == '\'');
        let list_start = part.find("=[");
        if let Some(ls) = list_start.filter(|&ls| {
            value.contains(']') && quote.is_none_or(|q| part.find(q).is_some_and(|p| p > ls))
        }) {
            let chunk = if part.contains(']') {
                part
            } else {
                eat_items(&mut it, part, ']', None)?
            };
            let inner = chunk
                .get(ls + 2..chunk.len().saturating_sub(1))
                .unwrap_or("");
            let items = split_with_quotes(inner, csv_row(inner))?;
            out.push(format!("{}{}", &chunk[..ls + 1], items.join(",")));
        } else if let Some(q) = quote {
            if part.matches(q).count() == 2 {
                out.push(part.replace(q, ""));
            } else {
                out.push(eat_items(&mut it, part, q, Some(q))?);
            }
        } else {
            out.push(part);
        }
    }
    Some(out)
}

/// awscli's `_eat_items`: join parts with `,` up to the one ending in
/// `end`, dropping `strip` from each; `None` when none ends so.
fn eat_items(
    it: &mut impl Iterator<Item = String>,
    first: String,
    end: char,
    strip: Option<char>,
) -> Option<String> {
    let clean = |s: &str| match strip {
        Some(c) => s.replace(c, ""),
        None => s.to_string(),
    };
    let mut chunks = vec![clean(&first)];
    loop {
        let current = it.next()?;
        chunks.push(clean(&current));
        if current.ends_with(end) {
            return Some(chunks.join(","));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split_on_commas;
    use crate::catalog::Catalog;
    use crate::Validator;
    use serde_json::json;

    use crate::testutil::validated_params as params;

    fn error(line: &str) -> String {
        Validator::new(Catalog::embedded())
            .validate(line)
            .map(|c| panic!("{line} was accepted: {:?}", c.parameters()))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn scalar_arguments_make_the_first_metric() {
        assert_eq!(
            params("aws cloudwatch put-metric-data --namespace Usage --metric-name Buffers --unit Bytes --value 231434333 --dimensions InstanceId=1-23456789,InstanceType=m1.small --timestamp 2016-01-15T12:00:00Z"),
            json!({"Namespace": "Usage", "MetricData": [{
                "MetricName": "Buffers", "Timestamp": "2016-01-15T12:00:00Z", "Unit": "Bytes",
                "Value": 231434333.0,
                "Dimensions": [{"Name": "InstanceId", "Value": "1-23456789"},
                               {"Name": "InstanceType", "Value": "m1.small"}]}]})
        );
        assert_eq!(
            params("aws cloudwatch put-metric-data --namespace N --metric-name M --statistic-values Sum=11,Minimum=2,Maximum=5,SampleCount=3 --storage-resolution 1"),
            json!({"Namespace": "N", "MetricData": [{"MetricName": "M",
                "StatisticValues": {"Sum": 11.0, "Minimum": 2.0, "Maximum": 5.0, "SampleCount": 3.0},
                "StorageResolution": 1}]})
        );
        // --storage-resolution alone writes into the given --metric-data.
        assert_eq!(
            params("aws cloudwatch put-metric-data --namespace N --metric-data MetricName=M,Value=1 --storage-resolution 60"),
            json!({"Namespace": "N", "MetricData": [{"MetricName": "M", "Value": 1.0, "StorageResolution": 60}]})
        );
        // Without any of them the command is unchanged.
        assert_eq!(
            params(
                "aws cloudwatch put-metric-data --namespace N --metric-data MetricName=M,Value=1"
            ),
            json!({"Namespace": "N", "MetricData": [{"MetricName": "M", "Value": 1.0}]})
        );
    }

    #[test]
    fn bad_values_are_the_validators_errors() {
        let e = error("aws cloudwatch put-metric-data --namespace N --metric-data MetricName=M,Value=1 --value 2");
        assert!(e.contains("The key \"value\" cannot be specified when one of the following keys are also specified: metric_data"), "{e}");
        for (line, says) in [
            ("--metric-name M --value abc", "expects a number"),
            ("--metric-name M --value nan", "expects a number"),
            (
                "--metric-name M --storage-resolution 1.5",
                "expects an integer",
            ),
            ("--metric-name M --dimensions a=b=c", "not Name=Value"),
            ("--metric-name M --dimensions a", "not Name=Value"),
            ("--metric-name M --unit Parsecs", "Parsecs"),
        ] {
            let e = error(&format!(
                "aws cloudwatch put-metric-data --namespace N {line}"
            ));
            assert!(e.contains(says), "{line}: {e}");
        }
    }

    #[test]
    fn split_on_commas_as_awscli() {
        let s = |v: &str| split_on_commas("--x", v).unwrap();
        assert_eq!(s("a=b,c=d"), ["a=b", "c=d"]);
        assert_eq!(s(r"a=b\,c,d=e"), ["a=b,c", "d=e"]);
        assert_eq!(s(r#"a="b,c",d=e"#), ["a=b,c", "d=e"]);
        assert_eq!(s("a='b,c',d=e"), ["a=b,c", "d=e"]);
        assert_eq!(s("a=[b,c],d=e"), ["a=b,c", "d=e"]);
        assert_eq!(s(r#""a,b",c"#), ["a,b", "c"]);
        assert_eq!(s(r#""a"b,c"#), ["ab", "c"]);
        assert_eq!(s(r#""a,b"#), ["a,b"]);
        assert_eq!(s("a=[b,c"), ["a=[b", "c"]);
        assert_eq!(s(r"a=b\"), ["a=b\n"]);
        for bad in [r#"a="b,c"#, r#"x="a""b",c"#] {
            assert!(split_on_commas("--x", bad).is_err(), "{bad}");
        }
    }
}
