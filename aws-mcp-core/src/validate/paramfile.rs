//! Parameter files: the value an argument takes when it is given as
//! `file://path` or `fileb://path`, from the file's bytes, exactly as awscli
//! turns a parameter file into a parameter (its `paramfile` handler, then
//! the usual unpacking).
//!
//! The validator never reads files: it records them ([`LocalPath`]) and
//! leaves `file://...` as written. An executor that runs the command itself
//! reads each file after the policy allowed its path, and asks
//! [`Validator::file_value`] for the parameter:
//!
//! * a string parameter takes the text of a `file://` file (UTF-8);
//! * a blob parameter takes the bytes of a `fileb://` file as they are, and
//!   the text of a `file://` file as text (AWS CLI v1, and v2 with
//!   `raw-in-base64-out`) or as base64 to decode (v2's default);
//! * anything else (structures, lists, maps, numbers, booleans) is the text
//!   unpacked and checked like a value typed on the command line (JSON or
//!   shorthand), blobs inside decoded as v2 decodes them.
//!
//! Bytes that are not UTF-8 become `{"$bytes": "<base64>"}`
//! ([`blob_value`](crate::command::blob_value)), the
//! representation the serializers send as bytes.
//!
//! Errors never show the file's contents: they name the argument, the file
//! and what is wrong (invalid JSON and where, a missing member, a type),
//! never the offending text.

use serde_json::Value;

use super::types::{Raw, Seg, Typer};
use super::{decode_blobs, BinaryFormat, ValidationError, Validator};
use crate::catalog::{ArgKind, Command, Dialect, Service, ShapeType};
use crate::command::{LocalPath, PathOrigin, ValidatedCommand};

/// Why a parameter file cannot be the value of its argument.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`--{arg}`: the contents of {file} are not a valid value: {problem} (the file's contents are not shown)")]
pub struct FileValueError {
    /// The argument, without `--`.
    pub arg: String,
    /// The file as written (`file://p.json`).
    pub file: String,
    /// What is wrong, without the contents.
    pub problem: String,
}

impl Validator<'_> {
    /// The API member and value that `file` (a `file://` or `fileb://`
    /// argument value of `command`, recorded in its
    /// [`ValidatedCommand::local_paths`]) gives with these `contents`.
    pub fn file_value(
        &self,
        command: &ValidatedCommand,
        file: &LocalPath,
        contents: &[u8],
    ) -> Result<(String, Value), FileValueError> {
        let fail = failure(file);
        if !matches!(file.origin, PathOrigin::FileUrl | PathOrigin::FilebUrl) {
            return Err(fail(
                "only file:// and fileb:// argument values are read as parameters".into(),
            ));
        }
        let (service, cmd) = self.command_for_file(command, &fail)?;
        let args = cmd.args().map_err(|e| fail(e.to_string()))?;
        let arg = args
            .get(&file.arg)
            .filter(|a| a.kind == ArgKind::Member)
            .ok_or_else(|| fail("the argument is not an API parameter".into()))?;
        let member = arg
            .member
            .as_deref()
            .ok_or_else(|| fail("the argument is not an API parameter".into()))?
            .to_string();
        let detail = cmd.detail().map_err(|e| fail(e.to_string()))?;
        let input = detail
            .op
            .as_ref()
            .and_then(|o| o.input.as_ref())
            .and_then(|r| service.shape(&r.shape).ok().flatten());
        let mref = input.and_then(|s| s.member_ref(&member));
        let sh = match (mref, arg.shape.as_deref()) {
            (Some(m), _) => service.shape(&m.shape),
            (None, Some(s)) => service.shape(s),
            (None, None) => Ok(None),
        }
        .map_err(|e| fail(e.to_string()))?
        .ok_or_else(|| fail("the parameter has no shape".into()))?;
        let label = format!("--{}", file.arg);
        let text = || {
            std::str::from_utf8(contents).map_err(|e| {
                fail(format!(
                    "the file is not UTF-8 text (byte {}): use fileb:// for binary files",
                    e.valid_up_to()
                ))
            })
        };
        let bytes_value = |b: &[u8]| crate::command::blob_value(b.to_vec());
        if super::lambda::checks_zip(
            command.api().map(|a| a.service.as_str()),
            command.operation(),
            &file.arg,
        ) && !super::lambda::is_zip(contents)
        {
            return Err(fail(super::lambda::NOT_A_ZIP.into()));
        }
        let value = match (sh.shape_type, file.origin) {
            (ShapeType::Blob, PathOrigin::FilebUrl) => bytes_value(contents),
            (ShapeType::Blob, _) => {
                let t = text()?;
                if self.base64_blobs(command) {
                    let b = super::python_b64decode(t)
                        .ok_or_else(|| fail("AWS CLI v2 reads a file:// blob as base64, and this file is not base64: use fileb:// for the raw bytes".into()))?;
                    bytes_value(&b)
                } else {
                    Value::String(t.to_string())
                }
            }
            (ShapeType::String, PathOrigin::FilebUrl) => {
                return Err(fail(
                    "fileb:// gives bytes, and this parameter is text: use file://".into(),
                ))
            }
            (ShapeType::String, _) => Value::String(text()?.to_string()),
            _ => {
                let t = text()?;
                let mut typer = Typer::new(service, self.enum_check);
                let mut v = typer
                    .unpack(sh, false, &Raw::One(t), &label, false)
                    .map_err(|e| fail(problem(&e)))?;
                typer
                    .check(sh, &v, Seg::Root(&label), 0)
                    .map_err(|e| fail(problem(&e)))?;
                if self.base64_blobs(command) {
                    decode_blobs(service, sh, &mut v, Some(&label), args)
                        .map_err(|e| fail(problem(&e)))?;
                }
                v
            }
        };
        Ok((member, value))
    }

    /// The value a `file://` value of a customization's argument (awscli's
    /// `CustomArgument`, `emr create-cluster --steps file://s.json`) gives
    /// with these `contents`, as awscli makes it: its `paramfile` handler
    /// loads the file's text in place of the value, which is then unpacked
    /// like a value typed on the command line. An argument with a schema
    /// (the catalog's `cli:` shape) is unpacked with it (JSON or
    /// shorthand), exactly as the validator types the inline value
    /// ([`ValidatedCommand::custom_values`]); any other argument takes the
    /// text.
    ///
    /// # Errors
    ///
    /// A [`FileValueError`] naming the argument and the file, never quoting
    /// the contents: not a `file://` value, not a customization's argument,
    /// not UTF-8, or not a valid value of the schema.
    pub fn custom_file_value(
        &self,
        command: &ValidatedCommand,
        file: &LocalPath,
        contents: &[u8],
    ) -> Result<Value, FileValueError> {
        let fail = failure(file);
        if file.origin != PathOrigin::FileUrl {
            return Err(fail(
                "only file:// values of a customization's argument are read here".into(),
            ));
        }
        let (service, cmd) = self.command_for_file(command, &fail)?;
        let arg = cmd
            .arg(&file.arg)
            .map_err(|e| fail(e.to_string()))?
            .filter(|a| a.kind == ArgKind::Custom)
            .ok_or_else(|| fail("the argument is not a customization's argument".into()))?;
        let text = std::str::from_utf8(contents).map_err(|e| {
            fail(format!(
                "the file is not UTF-8 text (byte {})",
                e.valid_up_to()
            ))
        })?;
        let shape = match arg.shape.as_deref() {
            Some(s) => service.shape(s).map_err(|e| fail(e.to_string()))?,
            None => None,
        };
        let Some(sh) = shape else {
            return Ok(Value::String(text.to_string()));
        };
        let label = format!("--{}", file.arg);
        Typer::new(service, self.enum_check)
            .unpack(sh, false, &Raw::One(text), &label, false)
            .map_err(|e| fail(problem(&e)))
    }

    /// Merge the API parameters of an input document into `params`: `file`
    /// is the `file://`/`fileb://` value of `--cli-input-json` or
    /// `--cli-input-yaml` (recorded in the command's
    /// [`ValidatedCommand::local_paths`]) and `contents` its bytes, read by
    /// an executor after the policy allowed the path.
    ///
    /// As awscli does (`_update_call_parameters`), a parameter given on the
    /// command line keeps its value and the document fills in the others;
    /// the document's values are then checked like any parameter (members
    /// of the input, types, enums and lengths) and the operation's required
    /// members must be present once merged (the validator could not check
    /// them without the document). AWS CLI v2 reads the document's blobs as
    /// base64 like every other blob.
    ///
    /// # Errors
    ///
    /// A [`FileValueError`] naming the argument and the file, never quoting
    /// the contents: the document is not UTF-8, not JSON (YAML), not an
    /// object, names a member the operation does not have, has a value of
    /// the wrong type, or leaves a required member out.
    pub fn merge_input_document(
        &self,
        command: &ValidatedCommand,
        file: &LocalPath,
        contents: &[u8],
        params: &mut serde_json::Map<String, Value>,
    ) -> Result<(), FileValueError> {
        let fail = failure(file);
        let yaml = match &*file.arg {
            "cli-input-json" => false,
            "cli-input-yaml" => true,
            _ => return Err(fail("the argument does not take an input document".into())),
        };
        if !matches!(file.origin, PathOrigin::FileUrl | PathOrigin::FilebUrl) {
            return Err(fail(
                "only file:// and fileb:// values are read as input documents".into(),
            ));
        }
        let (service, cmd) = self.command_for_file(command, &fail)?;
        let args = cmd.args().map_err(|e| fail(e.to_string()))?;
        let detail = cmd.detail().map_err(|e| fail(e.to_string()))?;
        let input = detail
            .op
            .as_ref()
            .and_then(|o| o.input.as_ref())
            .map(|r| service.shape(&r.shape))
            .transpose()
            .map_err(|e| fail(e.to_string()))?
            .flatten();
        let text = std::str::from_utf8(contents).map_err(|e| {
            fail(format!(
                "the file is not UTF-8 text (byte {})",
                e.valid_up_to()
            ))
        })?;
        let label = format!("--{}", file.arg);
        let doc = if yaml {
            super::yaml_input(text, &label)
        } else {
            super::json_input(text, &label)
        }
        .map_err(|e| fail(problem(&e)))?;
        let mut added: serde_json::Map<String, Value> = doc
            .into_iter()
            .filter(|(k, _)| !params.contains_key(k))
            .collect();
        let Some(input) = input else {
            if let Some(k) = added.keys().next() {
                return Err(fail(format!(
                    "the operation takes no parameters, and the document gives {k}"
                )));
            }
            return Ok(());
        };
        let mut typer = Typer::new(service, self.enum_check);
        let full = || format!("{} {}", command.service(), command.operation());
        self.check_params(&mut typer, &added, Some(input), args, false, &full)
            .map_err(|e| match e {
                ValidationError::UnknownKey { .. } => fail(format!(
                    "a key is not a parameter of {} {}",
                    command.service(),
                    command.operation()
                )),
                e => fail(problem(&e)),
            })?;
        if self.base64_blobs(command) {
            let mut v = Value::Object(std::mem::take(&mut added));
            decode_blobs(service, input, &mut v, None, args).map_err(|e| fail(problem(&e)))?;
            if let Value::Object(o) = v {
                added = o;
            }
        }
        params.extend(added);
        let missing = super::missing_required(input, params, args);
        if !missing.is_empty() {
            return Err(fail(format!(
                "required parameters are missing from the command line and the document: {}",
                missing.join(", ")
            )));
        }
        Ok(())
    }

    /// The parameter a Lambda `--zip-file fileb://f.zip` gives with these
    /// `contents` (awscli's `ZipFileArgument`): `("Code", {"ZipFile":
    /// bytes})` for `create-function`, `("Content", ...)` for
    /// `publish-layer-version`, to be merged into that structure.
    ///
    /// # Errors
    ///
    /// The CLI's message when the contents are not a zip archive, or when
    /// the command's `--zip-file` is not awscli's own argument.
    pub fn zip_file_value(
        &self,
        command: &ValidatedCommand,
        file: &LocalPath,
        contents: &[u8],
    ) -> Result<(String, Value), FileValueError> {
        let fail = failure(file);
        let api = command.api().map(|a| a.service.as_str());
        let Some(member) = super::lambda::hoisted_into(api, command.operation()) else {
            return Err(fail("the command has no --zip-file of awscli's own".into()));
        };
        if file.arg != "zip-file" {
            return Err(fail("only --zip-file takes a zip file".into()));
        }
        if !super::lambda::is_zip(contents) {
            return Err(fail(super::lambda::NOT_A_ZIP.into()));
        }
        let bytes = match std::str::from_utf8(contents) {
            Ok(s) => Value::String(s.to_string()),
            Err(_) => Value::Array(contents.iter().map(|x| Value::from(*x)).collect()),
        };
        let mut o = serde_json::Map::new();
        o.insert("ZipFile".into(), bytes);
        Ok((member.to_string(), Value::Object(o)))
    }

    fn base64_blobs(&self, command: &ValidatedCommand) -> bool {
        self.dialect == Dialect::V2
            && command
                .globals()
                .cli_binary_format
                .as_deref()
                .and_then(BinaryFormat::parse)
                .unwrap_or(self.binary_format)
                == BinaryFormat::Base64
    }
}

/// The error of `file` (as written, `file://p.json`) with a problem.
impl<'c> Validator<'c> {
    /// The table's service and command `command` was validated against.
    fn command_for_file(
        &self,
        command: &ValidatedCommand,
        fail: &impl Fn(String) -> FileValueError,
    ) -> Result<(Service<'c>, Command<'c>), FileValueError> {
        let service = self
            .catalog
            .service_in(command.service(), self.dialect)
            .ok_or_else(|| fail(format!("unknown service {}", command.service())))?;
        let cmd = service
            .command_of(command)
            .ok_or_else(|| fail(format!("unknown command {}", command.operation())))?;
        Ok((service, cmd))
    }
}

fn failure(file: &LocalPath) -> impl Fn(String) -> FileValueError + '_ {
    let scheme = if file.origin == PathOrigin::FilebUrl {
        "fileb://"
    } else {
        "file://"
    };
    move |problem| FileValueError {
        arg: file.arg.clone(),
        file: format!("{scheme}{}", file.path),
        problem,
    }
}

/// What is wrong with a value, in words that never quote it.
fn problem(e: &ValidationError) -> String {
    match e {
        ValidationError::InvalidJson { detail, .. } => {
            // serde_json's syntax messages name positions, not text; any
            // other detail might quote the value.
            if detail.contains('`') || detail.contains('"') {
                "invalid JSON".into()
            } else {
                format!("invalid JSON ({detail})")
            }
        }
        ValidationError::InvalidShorthand { .. } => {
            "neither JSON nor valid shorthand syntax".into()
        }
        ValidationError::InvalidType { expected, .. } => {
            format!("a value has the wrong type (expected {expected})")
        }
        ValidationError::InvalidEnum { allowed, .. } => format!(
            "a value is not one of the allowed values ({})",
            allowed.join(", ")
        ),
        ValidationError::MissingRequired { missing, .. } => {
            // The model's member names only (a path may pass through map keys).
            let names: Vec<&str> = missing
                .iter()
                .map(|m| m.rsplit(['.', ']']).next().unwrap_or(m))
                .collect();
            format!("required members are missing: {}", names.join(", "))
        }
        ValidationError::UnknownKey { .. } => "a member the parameter does not have".into(),
        ValidationError::OutOfRange { .. } => {
            "a value is out of range (too short, too long or too small)".into()
        }
        ValidationError::InvalidBase64 { .. } => "a blob is not valid base64".into(),
        other => format!("{} error", other.kind()),
    }
}
