//! awscli's `customizations/datapipeline`: `list-runs`, the pipeline
//! definition arguments of `put-pipeline-definition`, and the translated
//! output of `get-pipeline-definition`.
//!
//! ## Design
//!
//! The translations are pure functions of parsed JSON, as in awscli's
//! `translator.py`: [`definition_to_api`] (a definition's `objects`,
//! `parameters` and `values` to `PutPipelineDefinition`'s
//! `pipelineObjects`, `parameterObjects` and `parameterValues`: fields
//! sorted by key, a `{"ref": id}` value a `refValue`, a list one field per
//! item) and [`api_to_definition`] (the reverse, which awscli applies to
//! every `GetPipelineDefinition` response: the executor calls it after
//! parsing that response). `list-runs` ([`query`], [`convert_described`],
//! [`format_runs`]) queries the pipeline's `INSTANCE` objects started in the
//! given intervals (default: the last four days, UTC) with every page of
//! `QueryObjects`, describes them 100 at a time, and prints them as
//! awscli's `ListRunsFormatter` does when no `--output` is given, else with
//! the caller's output format.
//!
//! Definition files (`--pipeline-definition file://...`,
//! `--parameter-objects`, `--parameter-values-uri`) are read through
//! [`crate::paramfiles::read_paramfile`] (the policy judged their paths
//! already); an error about a file's document never quotes it.
//!
//! ## Left to the `aws` program
//!
//! `http(s)://` values (AWS CLI v1 fetches them), a `--status` or an
//! interval awscli would reject, `--query` without `--output` for
//! `list-runs` (the custom formatter over a query result), inline JSON
//! that does not parse, and `--cli-input-json` or `--generate-cli-skeleton`
//! with the definition arguments.

use aws_mcp_core::command::{LocalPath, PathOrigin};
use aws_mcp_core::{ExecOptions, ValidatedCommand};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};

use super::credentials::{arg, value};
use super::{call, print};
use crate::s3::Printed;
use crate::{NativeError, NativeExecutor};

/// `DescribeObjects` takes at most this many ids (`MAX_ITEMS_PER_DESCRIBE`).
const MAX_ITEMS_PER_DESCRIBE: usize = 100;

/// `list-runs`'s valid `--status` values.
const VALID_STATUS: &[&str] = &[
    "waiting",
    "pending",
    "cancelled",
    "running",
    "finished",
    "failed",
    "waiting_for_runner",
    "waiting_on_dependencies",
    "shutting_down",
];

/// `put-pipeline-definition`'s arguments awscli adds or replaces.
const DEFINITION_ARGS: &[&str] = &[
    "pipeline-definition",
    "parameter-objects",
    "parameter-values",
    "parameter-values-uri",
];

/// Why a translation did not produce parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fail {
    /// The error awscli raises, as its message.
    Cli(String),
}

/// Whether `command` is one this module handles at all: `list-runs`, or
/// `put-pipeline-definition` given a definition argument only awscli
/// understands (the translated call this module makes gives none).
pub(crate) fn handles(command: &ValidatedCommand) -> bool {
    match (command.service(), command.operation()) {
        ("datapipeline", "list-runs") => true,
        ("datapipeline", "put-pipeline-definition") => {
            DEFINITION_ARGS.iter().any(|a| arg(command, a).is_some())
        }
        _ => false,
    }
}

/// Whether this module reproduces `command`, or why not.
pub(crate) fn support(command: &ValidatedCommand) -> Result<(), String> {
    for a in command.args() {
        for v in &a.values {
            if v.starts_with("http://") || v.starts_with("https://") {
                return Err(format!(
                    "--{} starts with {}: AWS CLI v1 fetches such a value",
                    a.name,
                    v.split("//").next().unwrap_or("")
                ));
            }
        }
    }
    match command.operation() {
        "list-runs" => {
            if let Some(s) = value(command, "status") {
                if let Some(bad) = split(s)
                    .iter()
                    .find(|s| !VALID_STATUS.contains(&s.as_str()))
                {
                    return Err(format!(
                        "--status {bad:?} is invalid; awscli's error is left to the AWS CLI"
                    ));
                }
            }
            for i in ["start-interval", "schedule-interval"] {
                if value(command, i).is_some_and(|v| split(v).len() < 2) {
                    return Err(format!("--{i} without two times is left to the AWS CLI"));
                }
            }
            if command.globals().query.is_some() && command.globals().output.is_none() {
                return Err(
                    "list-runs with --query and no --output (awscli's run formatter over a query result) is left to the AWS CLI"
                        .into(),
                );
            }
            if let Some(p) = command.local_paths().first() {
                return Err(format!("--{} names a local file", p.arg));
            }
            Ok(())
        }
        "put-pipeline-definition" => {
            for a in ["cli-input-json", "cli-input-yaml", "generate-cli-skeleton"] {
                if arg(command, a).is_some() {
                    return Err(format!(
                        "--{a} with awscli's pipeline definition arguments is left to the AWS CLI"
                    ));
                }
            }
            for p in command.local_paths() {
                if p.origin != PathOrigin::FileUrl
                    || ![
                        "pipeline-definition",
                        "parameter-objects",
                        "parameter-values-uri",
                    ]
                    .contains(&p.arg.as_str())
                {
                    return Err(format!(
                        "--{} names the local file {:?} in a way this translation does not read",
                        p.arg, p.path
                    ));
                }
            }
            for a in [
                "pipeline-definition",
                "parameter-objects",
                "parameter-values-uri",
            ] {
                if let Some(v) = value(command, a).filter(|v| !v.starts_with("file://")) {
                    if serde_json::from_str::<Value>(v).is_err() {
                        return Err(format!(
                            "--{a} is not JSON; awscli's error is left to the AWS CLI"
                        ));
                    }
                }
            }
            if arg(command, "parameter-values").is_some_and(|v| v.iter().any(|x| !x.contains('=')))
            {
                return Err(
                    "--parameter-values without key=value is left to the AWS CLI (its error)"
                        .into(),
                );
            }
            Ok(())
        }
        c => Err(format!("`datapipeline {c}` is not reproduced natively")),
    }
}

/// `_parse_type_args`: a comma-separated value, each part stripped.
fn split(v: &str) -> Vec<String> {
    v.split(',').map(|s| s.trim().to_string()).collect()
}

/// Run a command [`support`] accepted.
pub(crate) async fn run(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<Printed, NativeError> {
    support(command).map_err(NativeError::Unsupported)?;
    match command.operation() {
        "list-runs" => list_runs(ex, command, options).await,
        _ => {
            let mut texts = Vec::new();
            for a in DEFINITION_ARGS {
                texts.push(match local_path(command, a) {
                    Some(lp) => Some(read_text(ex, lp)?),
                    None => value(command, a).map(String::from),
                });
            }
            let inline = arg(command, "parameter-values").map(<[String]>::to_vec);
            let params = match put_parameters(
                command.parameters(),
                texts[0].as_deref(),
                texts[1].as_deref(),
                inline.as_deref(),
                texts[3].as_deref(),
            ) {
                Ok(p) => p,
                Err(Fail::Cli(msg)) => return Ok(cli_error(ex, command, &msg)),
            };
            match call(
                ex,
                command,
                "datapipeline",
                "put-pipeline-definition",
                &params,
                options,
            )
            .await?
            {
                Ok(r) => print(ex, command, &r, "PutPipelineDefinition"),
                Err(p) => Ok(p),
            }
        }
    }
}

/// The local file the policy judged for `arg`.
fn local_path<'a>(command: &'a ValidatedCommand, arg: &str) -> Option<&'a LocalPath> {
    command
        .local_paths()
        .iter()
        .find(|p| p.arg == arg && p.origin == PathOrigin::FileUrl)
}

/// A `file://` value's text, read as awscli's `get_paramfile` reads it.
fn read_text(ex: &NativeExecutor, lp: &LocalPath) -> Result<String, NativeError> {
    let bytes = crate::paramfiles::read_paramfile(&ex.files, lp)?;
    String::from_utf8(bytes).map_err(|_| {
        NativeError::File(format!(
            "Error parsing parameter '--{}': Unable to load paramfile file://{}: the file is not UTF-8 text",
            lp.arg, lp.path
        ))
    })
}

fn cli_error(ex: &NativeExecutor, command: &ValidatedCommand, msg: &str) -> Printed {
    super::failed(ex, command, String::new(), msg)
}

// ---------------------------------------------------------------------
// put-pipeline-definition

/// `json.loads` of a definition argument's text (the error says where
/// the document stops parsing, never what it holds).
fn parse(text: &str, what: &str) -> Result<Value, Fail> {
    serde_json::from_str(text).map_err(|e| {
        Fail::Cli(format!(
            "--{what} is not valid JSON: line {} column {}",
            e.line(),
            e.column()
        ))
    })
}

fn definition_error(msg: &str) -> Fail {
    Fail::Cli(format!("Error in pipeline definition: {msg}\n"))
}

/// `PutPipelineDefinition`'s parameters: the validator's (`pipelineId`)
/// with the definition arguments translated in awscli's order
/// (`--parameter-objects`, `--parameter-values`, `--pipeline-definition`,
/// `--parameter-values-uri`).
pub(crate) fn put_parameters(
    base: &Map<String, Value>,
    definition: Option<&str>,
    parameter_objects: Option<&str>,
    parameter_values: Option<&[String]>,
    parameter_values_uri: Option<&str>,
) -> Result<Map<String, Value>, Fail> {
    let mut p = base.clone();
    let only_one = || Fail::Cli("Only parameter-values or parameter-values-uri is allowed".into());
    if let Some(text) = parameter_objects {
        let parsed = parse(text, "parameter-objects")?;
        p.insert(
            "parameterObjects".into(),
            definition_to_api_parameters(&parsed)?.unwrap_or(Value::Null),
        );
    }
    if let Some(words) = parameter_values {
        if p.get("parameterValues").is_some_and(|v| !v.is_null()) {
            return Err(only_one());
        }
        let mut values = Map::new();
        for w in words {
            let (k, v) = w.split_once('=').ok_or_else(|| {
                Fail::Cli(format!(
                    "Error in parameter: Invalid inline parameter format: {w}\n"
                ))
            })?;
            match values.get_mut(k) {
                Some(Value::Array(a)) => a.push(json!(v)),
                Some(old) => *old = json!([old.take(), v]),
                None => {
                    values.insert(k.into(), json!(v));
                }
            }
        }
        p.insert(
            "parameterValues".into(),
            definition_to_parameter_values(&json!({ "values": values }))?.unwrap_or(Value::Null),
        );
    }
    if let Some(text) = definition {
        let parsed = parse(text, "pipeline-definition")?;
        let (objects, parameters, values) = definition_to_api(&parsed)?;
        p.insert("pipelineObjects".into(), objects);
        if let (false, Some(o)) = (p.contains_key("parameterObjects"), parameters) {
            p.insert("parameterObjects".into(), o);
        }
        if let (false, Some(v)) = (p.contains_key("parameterValues"), values) {
            p.insert("parameterValues".into(), v);
        }
    }
    if let Some(text) = parameter_values_uri {
        if p.get("parameterValues").is_some_and(|v| !v.is_null()) {
            return Err(only_one());
        }
        let parsed = parse(text, "parameter-values-uri")?;
        p.insert(
            "parameterValues".into(),
            definition_to_parameter_values(&parsed)?.unwrap_or(Value::Null),
        );
    }
    Ok(p)
}

/// `definition_to_api_objects`, `definition_to_api_parameters` and
/// `definition_to_parameter_values` of one definition.
pub(crate) fn definition_to_api(
    definition: &Value,
) -> Result<(Value, Option<Value>, Option<Value>), Fail> {
    let objects = definition
        .get("objects")
        .ok_or_else(|| definition_error("Missing \"objects\" key"))?;
    let mut api = Vec::new();
    for element in iterate(objects)? {
        let e = element
            .as_object()
            .ok_or_else(|| Fail::Cli("an object of the definition is not a JSON object".into()))?;
        let id = e
            .get("id")
            .ok_or_else(|| definition_error("Missing \"id\" key of element"))?;
        let name = e.get("name").unwrap_or(id);
        api.push(json!({
            "id": id,
            "name": name,
            "fields": fields(e, &["id", "name"]),
        }));
    }
    Ok((
        Value::Array(api),
        definition_to_api_parameters(definition)?,
        definition_to_parameter_values(definition)?,
    ))
}

/// Python's iteration of a JSON value (a list's items, an object's keys).
fn iterate(v: &Value) -> Result<Vec<Value>, Fail> {
    match v {
        Value::Array(a) => Ok(a.clone()),
        Value::Object(m) => Ok(m.keys().map(|k| json!(k)).collect()),
        Value::String(s) => Ok(s.chars().map(|c| json!(c.to_string())).collect()),
        _ => Err(Fail::Cli("a definition list is not a list".into())),
    }
}

/// An element's fields in awscli's order (sorted by key), the keys in
/// `skip` left out: one `{"key", "stringValue"|"refValue"}` per value.
fn fields(e: &Map<String, Value>, skip: &[&str]) -> Value {
    let mut keys: Vec<&String> = e.keys().filter(|k| !skip.contains(&k.as_str())).collect();
    keys.sort();
    let mut out = Vec::new();
    for k in keys {
        let one = |v: &Value| match v {
            Value::Object(m) if m.len() == 1 && m.contains_key("ref") => {
                json!({"key": k, "refValue": m["ref"]})
            }
            v => json!({"key": k, "stringValue": v}),
        };
        match &e[k] {
            Value::Array(items) => out.extend(items.iter().map(one)),
            v => out.push(one(v)),
        }
    }
    Value::Array(out)
}

/// `definition_to_api_parameters`: `None` without `parameters`.
fn definition_to_api_parameters(definition: &Value) -> Result<Option<Value>, Fail> {
    let Some(params) = definition.get("parameters") else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for element in iterate(params)? {
        let e = element.as_object().ok_or_else(|| {
            Fail::Cli("a parameter of the definition is not a JSON object".into())
        })?;
        let id = e
            .get("id")
            .ok_or_else(|| definition_error("Missing \"id\" key of parameter"))?;
        let attributes = fields(e, &["id"]);
        out.push(json!({"id": id, "attributes": attributes}));
    }
    Ok(Some(Value::Array(out)))
}

/// `definition_to_parameter_values`: `None` without `values`.
fn definition_to_parameter_values(definition: &Value) -> Result<Option<Value>, Fail> {
    let Some(values) = definition.get("values") else {
        return Ok(None);
    };
    let m = values
        .as_object()
        .ok_or_else(|| Fail::Cli("the definition's values are not a JSON object".into()))?;
    let mut out = Vec::new();
    for (k, v) in m {
        match v {
            Value::Array(items) => {
                out.extend(items.iter().map(|i| json!({"id": k, "stringValue": i})));
            }
            v => out.push(json!({"id": k, "stringValue": v})),
        }
    }
    Ok(Some(Value::Array(out)))
}

/// `api_to_definition`, awscli's `after-call` handler of
/// `GetPipelineDefinition`: the response's `pipelineObjects`,
/// `parameterObjects` and `parameterValues` become a definition's
/// `objects`, `parameters` and `values` (appended after the other keys, as
/// awscli pops and re-adds them; repeated keys become lists).
pub(crate) fn api_to_definition(mut response: Value) -> Value {
    let Some(m) = response.as_object_mut() else {
        return response;
    };
    if let Some(objects) = m.shift_remove("pipelineObjects") {
        let list = as_list(&objects)
            .iter()
            .map(|e| {
                let mut current = Map::new();
                current.insert("id".into(), e.get("id").cloned().unwrap_or(Value::Null));
                current.insert("name".into(), e.get("name").cloned().unwrap_or(Value::Null));
                for f in as_list(e.get("fields").unwrap_or(&Value::Null)) {
                    let key = f.get("key").and_then(Value::as_str).unwrap_or("");
                    let value = match f.get("stringValue") {
                        Some(v) => v.clone(),
                        None => json!({"ref": f.get("refValue").cloned().unwrap_or(Value::Null)}),
                    };
                    add_value(key, value, &mut current);
                }
                Value::Object(current)
            })
            .collect();
        m.insert("objects".into(), Value::Array(list));
    }
    if let Some(params) = m.shift_remove("parameterObjects") {
        let list = as_list(&params)
            .iter()
            .map(|e| {
                let mut current = Map::new();
                current.insert("id".into(), e.get("id").cloned().unwrap_or(Value::Null));
                for a in as_list(e.get("attributes").unwrap_or(&Value::Null)) {
                    let key = a.get("key").and_then(Value::as_str).unwrap_or("");
                    let v = a.get("stringValue").cloned().unwrap_or(Value::Null);
                    add_value(key, v, &mut current);
                }
                Value::Object(current)
            })
            .collect();
        m.insert("parameters".into(), Value::Array(list));
    }
    if let Some(values) = m.shift_remove("parameterValues") {
        let mut current = Map::new();
        for e in as_list(&values) {
            let id = e.get("id").and_then(Value::as_str).unwrap_or("");
            let v = e.get("stringValue").cloned().unwrap_or(Value::Null);
            add_value(id, v, &mut current);
        }
        m.insert("values".into(), Value::Object(current));
    }
    response
}

fn as_list(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// `_add_value`: a repeated key's values aggregate into a list.
fn add_value(key: &str, value: Value, current: &mut Map<String, Value>) {
    match current.get_mut(key) {
        None => {
            current.insert(key.into(), value);
        }
        Some(Value::Array(a)) => a.push(value),
        Some(old) => *old = json!([old.take(), value]),
    }
}

// ---------------------------------------------------------------------
// list-runs

/// `QueryArgBuilder.build_query` at `now` (UTC).
pub(crate) fn query(command: &ValidatedCommand, now: DateTime<Utc>) -> Value {
    let between = |field: &str, values: Vec<String>| json!({"fieldName": field, "operator": {"type": "BETWEEN", "values": values}});
    let interval = |name: &str| value(command, name).map(|v| split(v)[..2].to_vec());
    let start = interval("start-interval");
    let schedule = interval("schedule-interval");
    let mut selectors = Vec::new();
    if start.is_none() && schedule.is_none() {
        let fmt = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S").to_string();
        selectors.push(between(
            "@actualStartTime",
            vec![fmt(now - Duration::days(4)), fmt(now)],
        ));
    } else {
        if let Some(s) = start {
            selectors.push(between("@actualStartTime", s));
        }
        if let Some(s) = schedule {
            selectors.push(between("@scheduledStartTime", s));
        }
    }
    if let Some(s) = value(command, "status") {
        let upper: Vec<String> = split(s).iter().map(|s| s.to_uppercase()).collect();
        selectors
            .push(json!({"fieldName": "@status", "operator": {"type": "EQ", "values": upper}}));
    }
    json!({ "selectors": selectors })
}

/// `convert_described_objects` with `list-runs`' sort key
/// (`@scheduledStartTime`, then `name`; an absent one first).
pub(crate) fn convert_described(objects: &[Value]) -> Vec<Value> {
    let mut converted: Vec<Value> = objects
        .iter()
        .map(|o| {
            let mut m = Map::new();
            m.insert("@id".into(), o.get("id").cloned().unwrap_or(Value::Null));
            m.insert("name".into(), o.get("name").cloned().unwrap_or(Value::Null));
            for f in as_list(o.get("fields").unwrap_or(&Value::Null)) {
                let key = f.get("key").and_then(Value::as_str).unwrap_or("");
                let v = f
                    .get("stringValue")
                    .or_else(|| f.get("refValue"))
                    .cloned()
                    .unwrap_or(Value::Null);
                m.insert(key.into(), v);
            }
            Value::Object(m)
        })
        .collect();
    let key = |v: &Value| {
        (
            v.get("@scheduledStartTime")
                .and_then(Value::as_str)
                .map(String::from),
            v.get("name").and_then(Value::as_str).map(String::from),
        )
    };
    converted.sort_by_key(key);
    converted
}

/// Python's `'%-W.Ws' % text`: truncated to `w` characters, padded to `w`.
fn cell(text: &str, w: usize) -> String {
    let t: String = text.chars().take(w).collect();
    format!("{t:<w$}")
}

/// A run's value as `%s` prints it.
fn text(v: Option<&Value>) -> String {
    match v {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) => "None".into(),
        Some(other) => other.to_string(),
    }
}

/// `ListRunsFormatter`: two lines a run under a two-line header. `Err` is
/// awscli's `KeyError` for a run without `@componentParent`.
pub(crate) fn format_runs(runs: &[Value]) -> Result<String, String> {
    let mut out = format!(
        "       {}  {}  {}\n",
        cell("Name", 50),
        cell("Scheduled Start", 19),
        cell("Status", 23)
    );
    let second = format!(
        "       {}  {}  {}",
        cell("ID", 50),
        cell("Started", 19),
        cell("Ended", 19)
    );
    out.push_str(&second);
    out.push('\n');
    out.push_str(&"-".repeat(second.chars().count()));
    out.push('\n');
    for (i, run) in runs.iter().enumerate() {
        let parent = run
            .get("@componentParent")
            .ok_or_else(|| "'@componentParent'".to_string())?;
        out.push_str(&format!(
            "{:>4}.  {}  {}  {}\n",
            i + 1,
            cell(&text(Some(parent)), 50),
            cell(&text(run.get("@scheduledStartTime")), 19),
            cell(&text(run.get("@status")), 23)
        ));
        out.push_str(&format!(
            "       {}  {}  {}\n\n",
            cell(&text(run.get("@id")), 50),
            cell(&text(run.get("@actualStartTime")), 19),
            cell(&text(run.get("@actualEndTime")), 19)
        ));
    }
    Ok(out)
}

async fn list_runs(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<Printed, NativeError> {
    let pipeline = value(command, "pipeline-id").unwrap_or("");
    let q = query(command, Utc::now());
    // The paginator's full result: every page's ids.
    let mut ids: Vec<Value> = Vec::new();
    let mut marker: Option<Value> = None;
    loop {
        let mut params = Map::new();
        params.insert("pipelineId".into(), json!(pipeline));
        params.insert("query".into(), q.clone());
        params.insert("sphere".into(), json!("INSTANCE"));
        if let Some(m) = &marker {
            params.insert("marker".into(), m.clone());
        }
        let page = match call(
            ex,
            command,
            "datapipeline",
            "query-objects",
            &params,
            options,
        )
        .await?
        {
            Ok(r) => r,
            Err(p) => return Ok(p),
        };
        ids.extend(
            as_list(page.get("ids").unwrap_or(&Value::Null))
                .iter()
                .cloned(),
        );
        let next = page
            .get("marker")
            .filter(|m| m.as_str().is_some_and(|s| !s.is_empty()));
        match (page.get("hasMoreResults"), next) {
            (Some(Value::Bool(true)), Some(m)) if Some(m) != marker.as_ref() => {
                marker = Some(m.clone());
            }
            _ => break,
        }
    }
    let mut objects = Vec::new();
    for chunk in ids.chunks(MAX_ITEMS_PER_DESCRIBE) {
        let params = json!({"pipelineId": pipeline, "objectIds": chunk});
        let params = params.as_object().cloned().unwrap_or_default();
        let r = match call(
            ex,
            command,
            "datapipeline",
            "describe-objects",
            &params,
            options,
        )
        .await?
        {
            Ok(r) => r,
            Err(p) => return Ok(p),
        };
        objects.extend(
            as_list(r.get("pipelineObjects").unwrap_or(&Value::Null))
                .iter()
                .cloned(),
        );
    }
    let runs = convert_described(&objects);
    if command.globals().output.is_some() {
        return print(ex, command, &Value::Array(runs), "list-runs");
    }
    match format_runs(&runs) {
        Ok(out) => Ok(Printed {
            code: 0,
            out_total: out.len() as u64,
            err_total: 0,
            out,
            err: String::new(),
        }),
        Err(msg) => Ok(cli_error(ex, command, &msg)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    use crate::custom::validated as cmd;

    const DEFINITION: &str = r#"{
        "objects": [
            {"id": "Default", "name": "Default", "scheduleType": "ondemand", "failureAndRerunMode": "CASCADE"},
            {"id": "S", "type": "ShellCommandActivity", "runsOn": {"ref": "Default"}, "tags": ["b", "a"]}
        ],
        "parameters": [{"id": "myP", "type": "String", "description": "d"}],
        "values": {"myP": "v", "list": ["x", "y"]}
    }"#;

    #[test]
    fn definitions_translate_like_awscli() {
        let base = cmd("aws datapipeline put-pipeline-definition --pipeline-id df-1 --pipeline-definition file://d.json");
        assert_eq!(support(&base), Ok(()));
        let p = put_parameters(base.parameters(), Some(DEFINITION), None, None, None).unwrap();
        assert_eq!(
            Value::Object(p.clone()),
            json!({
                "pipelineId": "df-1",
                "pipelineObjects": [
                    {"id": "Default", "name": "Default", "fields": [
                        {"key": "failureAndRerunMode", "stringValue": "CASCADE"},
                        {"key": "scheduleType", "stringValue": "ondemand"},
                    ]},
                    {"id": "S", "name": "S", "fields": [
                        {"key": "runsOn", "refValue": "Default"},
                        {"key": "tags", "stringValue": "b"},
                        {"key": "tags", "stringValue": "a"},
                        {"key": "type", "stringValue": "ShellCommandActivity"},
                    ]},
                ],
                "parameterObjects": [{"id": "myP", "attributes": [
                    {"key": "description", "stringValue": "d"},
                    {"key": "type", "stringValue": "String"},
                ]}],
                "parameterValues": [
                    {"id": "myP", "stringValue": "v"},
                    {"id": "list", "stringValue": "x"},
                    {"id": "list", "stringValue": "y"},
                ],
            })
        );
        // And back, as get-pipeline-definition prints it.
        let back = api_to_definition(json!({
            "pipelineObjects": p["pipelineObjects"],
            "parameterObjects": p["parameterObjects"],
            "parameterValues": p["parameterValues"],
        }));
        assert_eq!(back["objects"][1]["runsOn"], json!({"ref": "Default"}));
        assert_eq!(back["objects"][1]["tags"], json!(["b", "a"]));
        assert_eq!(back["values"], json!({"myP": "v", "list": ["x", "y"]}));
        assert_eq!(back["parameters"][0]["id"], "myP");
    }

    #[test]
    fn command_line_parameters_win_and_conflicts_fail() {
        let base = Map::new();
        let inline = vec!["a=1".to_string(), "a=2".to_string(), "b=x=y".to_string()];
        let p = put_parameters(&base, Some(DEFINITION), None, Some(&inline), None).unwrap();
        assert_eq!(
            p["parameterValues"],
            json!([
                {"id": "a", "stringValue": "1"},
                {"id": "a", "stringValue": "2"},
                {"id": "b", "stringValue": "x=y"},
            ])
        );
        let objs = r#"{"parameters": [{"id": "o", "type": "String"}]}"#;
        let p = put_parameters(&base, Some(DEFINITION), Some(objs), None, None).unwrap();
        assert_eq!(p["parameterObjects"][0]["id"], "o");
        // The definition's values, then --parameter-values-uri: awscli's error.
        let e = put_parameters(
            &base,
            Some(DEFINITION),
            None,
            None,
            Some(r#"{"values": {}}"#),
        );
        assert_eq!(
            e,
            Err(Fail::Cli(
                "Only parameter-values or parameter-values-uri is allowed".into()
            ))
        );
        let e = put_parameters(&base, Some(r#"{"o": 1}"#), None, None, None);
        assert_eq!(
            e,
            Err(Fail::Cli(
                "Error in pipeline definition: Missing \"objects\" key\n".into()
            ))
        );
        // A document that does not parse: where, never what.
        let Err(Fail::Cli(msg)) =
            put_parameters(&base, Some("{\"secret\": nope"), None, None, None)
        else {
            panic!("parsed")
        };
        assert!(!msg.contains("secret") && !msg.contains("nope"), "{msg}");
    }

    #[test]
    fn list_runs_queries_and_prints_like_awscli() {
        let now = Utc.with_ymd_and_hms(2024, 3, 5, 12, 30, 0).unwrap();
        let c = cmd("aws datapipeline list-runs --pipeline-id df-1");
        assert_eq!(support(&c), Ok(()));
        assert_eq!(
            query(&c, now),
            json!({"selectors": [{"fieldName": "@actualStartTime", "operator": {
                "type": "BETWEEN", "values": ["2024-03-01T12:30:00", "2024-03-05T12:30:00"]}}]})
        );
        let c = cmd("aws datapipeline list-runs --pipeline-id df-1 --start-interval 2017-10-07T00:00:00,2017-10-08T00:00:00 --schedule-interval a,b --status running,FINISHED");
        assert_eq!(
            support(&c),
            Err("--status \"FINISHED\" is invalid; awscli's error is left to the AWS CLI".into())
        );
        let c = cmd("aws datapipeline list-runs --pipeline-id df-1 --start-interval '2017-10-07T00:00:00, 2017-10-08T00:00:00' --schedule-interval a,b --status running,finished");
        assert_eq!(
            query(&c, now)["selectors"],
            json!([
                {"fieldName": "@actualStartTime", "operator": {"type": "BETWEEN", "values": ["2017-10-07T00:00:00", "2017-10-08T00:00:00"]}},
                {"fieldName": "@scheduledStartTime", "operator": {"type": "BETWEEN", "values": ["a", "b"]}},
                {"fieldName": "@status", "operator": {"type": "EQ", "values": ["RUNNING", "FINISHED"]}},
            ])
        );
        let objects = [
            json!({"id": "i2", "name": "@A_2", "fields": [
                {"key": "@componentParent", "refValue": "A"},
                {"key": "@scheduledStartTime", "stringValue": "2017-10-07T21:00:00"},
                {"key": "@status", "stringValue": "FINISHED"},
            ]}),
            json!({"id": "i1", "name": "@A_1", "fields": [
                {"key": "@componentParent", "refValue": "A"},
                {"key": "@scheduledStartTime", "stringValue": "2017-10-07T20:00:00"},
                {"key": "@actualStartTime", "stringValue": "2017-10-07T20:01:00"},
            ]}),
        ];
        let runs = convert_described(&objects);
        assert_eq!(runs[0]["@id"], "i1");
        let out = format_runs(&runs).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            format!(
                "       {:<50}  {:<19}  {:<23}",
                "Name", "Scheduled Start", "Status"
            )
        );
        assert_eq!(lines[2], "-".repeat(7 + 50 + 2 + 19 + 2 + 19));
        assert_eq!(
            lines[3],
            format!("   1.  {:<50}  2017-10-07T20:00:00  {:<23}", "A", "")
        );
        assert_eq!(
            lines[4],
            format!("       {:<50}  2017-10-07T20:01:00  {:<19}", "i1", "")
        );
        assert_eq!(lines[5], "");
        assert!(format_runs(&[json!({"@id": "x"})]).is_err());
        assert_eq!(cell("abcdef", 3), "abc");
    }
}
