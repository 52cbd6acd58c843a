//! awscli's Lambda zip arguments (`customizations/awslambda.py`).
//!
//! `lambda create-function` and `publish-layer-version` take the code's zip
//! file as a top-level `--zip-file fileb://f.zip`, which awscli puts into
//! `Code.ZipFile` (`Content.ZipFile`); `--code` (`--content`) keeps the
//! other members and refuses a `ZipFile` of its own. `update-function-code
//! --zip-file` is the API's own member. In every case the bytes must be a
//! zip archive, or the CLI stops with its message. The validator checks
//! what it can see (inline values, `--code ZipFile=...`); the file's bytes
//! are checked by [`super::Validator::zip_file_value`] when the executor
//! has read them.

use serde_json::{Map, Value};

use super::error::ValidationError;

/// awscli's message for bytes that are not a zip archive.
pub(crate) const NOT_A_ZIP: &str = "--zip-file must be a zip file with the fileb:// prefix.\nExample usage:  --zip-file fileb://path/to/file.zip";

/// The structure member `--zip-file` of `command` goes into (`Code`,
/// `Content`), for the commands whose `--zip-file` is awscli's own.
pub(crate) fn hoisted_into(api_service: Option<&str>, command: &str) -> Option<&'static str> {
    match (api_service?, command) {
        ("lambda", "create-function") => Some("Code"),
        ("lambda", "publish-layer-version") => Some("Content"),
        _ => None,
    }
}

/// Whether `arg` of `command` is one of the arguments translated here.
pub(crate) fn translates(api_service: Option<&str>, command: &str, arg: &str) -> bool {
    hoisted_into(api_service, command).is_some() && matches!(arg, "zip-file" | "code" | "content")
}

/// Whether the `--zip-file` of `command` must hold a zip archive.
pub(crate) fn checks_zip(api_service: Option<&str>, command: &str, arg: &str) -> bool {
    arg == "zip-file"
        && (hoisted_into(api_service, command).is_some()
            || (api_service == Some("lambda") && command == "update-function-code"))
}

/// Whether `bytes` is a zip archive, as Python's `zipfile` finds one: an
/// end-of-central-directory record in the last 64 KiB (plus its own 22
/// bytes).
pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    const EOCD: &[u8] = b"PK\x05\x06";
    let start = bytes.len().saturating_sub(22 + 65_535);
    bytes.len() >= 22 && bytes[start..].windows(4).any(|w| w == EOCD)
}

/// The validator's part: `--code`/`--content` may not carry a `ZipFile`,
/// and an inline `--zip-file` (not a `fileb://` or `file://` reference,
/// which the executor reads) must be a zip archive itself.
pub(crate) fn apply(
    api_service: Option<&str>,
    command: &str,
    zip_file: Option<&str>,
    params: &Map<String, Value>,
) -> Result<(), ValidationError> {
    let Some(member) = hoisted_into(api_service, command) else {
        return Ok(());
    };
    if params
        .get(member)
        .and_then(Value::as_object)
        .is_some_and(|o| o.contains_key("ZipFile"))
    {
        return Err(ValidationError::ConflictingArguments {
            detail: format!(
                "ZipFile cannot be provided as part of the --{} argument.  Please use the '--zip-file' option instead to specify a zip file.",
                member.to_lowercase()
            ),
        });
    }
    if let Some(v) = zip_file {
        if !v.starts_with("fileb://") && !v.starts_with("file://") && !is_zip(v.as_bytes()) {
            return Err(ValidationError::ConflictingArguments {
                detail: NOT_A_ZIP.into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_archives_are_found_by_their_directory_record() {
        let mut z = b"PK\x03\x04 some entry".to_vec();
        z.extend_from_slice(b"PK\x05\x06");
        z.extend_from_slice(&[0; 18]);
        assert!(is_zip(&z));
        assert!(!is_zip(b"not a zip at all, just text that is long enough"));
        assert!(!is_zip(b"PK\x05\x06"));
        // The record must be near the end.
        let mut far = z.clone();
        far.extend(std::iter::repeat_n(0u8, 70_000));
        assert!(!is_zip(&far));
    }
}
