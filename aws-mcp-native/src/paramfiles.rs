//! Local files of generated operations: parameter files (`file://`,
//! `fileb://`), streaming inputs given as a path (`s3api put-object --body
//! ./f`) and output files of streaming responses (`s3api get-object ...
//! out.bin`).
//!
//! The policy has judged every path the command names before the executor
//! runs it ([`aws_mcp_core::ValidatedCommand::local_paths`]); here each one
//! is opened through [`LocalFiles`] (the policy's resolver walked over
//! directory handles, confined the same way, see [`crate::files`]), read up
//! to [`MAX_FILE_BYTES`], and turned into its parameter by the validator
//! ([`aws_mcp_core::Validator::file_value`]: text, bytes, or JSON/shorthand
//! unpacked and checked as awscli does; v2's `file://` blobs are base64
//! decoded into the byte arrays v2's blob parameters are everywhere else).
//! Paths resolve as awscli opens them, with the semantics the policy judged
//! them with: parameter files and streaming inputs as
//! `open(expandvars(expanduser(p)))` ([`Semantics::PARAM_FILE`]: `~` is the
//! home directory, `$` refused, `..` left to the kernel), output files as
//! `open(p)` ([`Semantics::OPEN`]); relative paths start at the working
//! directory.
//!
//! Error messages read like awscli's (`Error parsing parameter '--x':
//! Unable to load paramfile file://p.json: [Errno 2] ...`) and never include
//! a file's contents.
//!
//! An output file is written to a temporary file beside it, streamed as the
//! response arrives (never held whole in memory), its CRC32 checked when the
//! service sends one (botocore's response checksum validation), and renamed
//! over the final name only when the call succeeded.

use std::sync::Mutex;

use aws_mcp_core::command::{LocalPath, PathOrigin, ValidatedCommand};
use aws_mcp_core::localpath::Semantics;
use aws_mcp_core::Validator;
use aws_mcp_wire::s3::paths::join;
use bytes::Bytes;
use http_body_util::BodyExt;
use serde_json::{Map, Value};

use crate::localfs::{LocalFiles, TempFile};
use crate::transport::{HttpClient, SendError};
use crate::NativeError;

/// The largest local file read as a parameter or a request body (64 MiB;
/// larger uploads belong to `aws s3 cp`, which streams in parts).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// What the command's local files make of its request.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    /// A streaming input's bytes (the request body), from its file.
    pub body: Option<Bytes>,
    /// Where the streaming output goes.
    pub outfile: Option<String>,
}

/// A path as awscli's error messages show it: after `expanduser`.
fn shown_path(files: &LocalFiles, raw: &str) -> String {
    match (raw, files.home()) {
        ("~", Some(h)) => h.to_string_lossy().into_owned(),
        (r, Some(h)) if r.starts_with("~/") => join(&h.to_string_lossy(), &r[2..]),
        _ => raw.to_string(),
    }
}

/// Read a local file, at most [`MAX_FILE_BYTES`].
fn read(files: &LocalFiles, raw: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let shown = shown_path(files, raw);
    let f = files
        .open_read_as(raw, Semantics::PARAM_FILE, &shown)
        .map_err(|e| e.to_string())?;
    let meta = f.metadata().map_err(|e| e.to_string())?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "the file is {} bytes, more than the native executor reads ({} MiB); use `aws s3 cp` for large uploads",
            meta.len(),
            MAX_FILE_BYTES >> 20
        ));
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| crate::localfs::py_os_error(&e, &shown))?;
    if buf.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "the file is larger than the native executor reads ({} MiB)",
            MAX_FILE_BYTES >> 20
        ));
    }
    Ok(buf)
}

/// Read a `file://`/`fileb://` value's file, failing as awscli's
/// `get_paramfile` does (`Error parsing parameter '--x': Unable to load
/// paramfile file://p: ...`).
pub(crate) fn read_paramfile(files: &LocalFiles, lp: &LocalPath) -> Result<Vec<u8>, NativeError> {
    let scheme = if lp.origin == PathOrigin::FilebUrl {
        "fileb://"
    } else {
        "file://"
    };
    read(files, &lp.path).map_err(|e| {
        NativeError::File(format!(
            "Error parsing parameter '--{}': Unable to load paramfile {scheme}{}: {e}",
            lp.arg, lp.path
        ))
    })
}

/// Read the command's parameter files and streaming input into `params`
/// and the request body; note its output file.
pub(crate) fn prepare(
    files: &LocalFiles,
    validator: &Validator<'_>,
    command: &ValidatedCommand,
    params: &mut Map<String, Value>,
) -> Result<Prepared, NativeError> {
    let mut out = Prepared::default();
    // An input document fills in what the command line leaves out, so it
    // is merged after every parameter file (awscli's order).
    let mut documents = Vec::new();
    for lp in command.local_paths() {
        match lp.origin {
            PathOrigin::FileUrl | PathOrigin::FilebUrl if is_input_document(&lp.arg) => {
                documents.push(lp);
            }
            PathOrigin::FileUrl | PathOrigin::FilebUrl
                if lp.arg == "zip-file" && hoisted_zip(command) =>
            {
                let bytes = read_paramfile(files, lp)?;
                let (member, value) = validator
                    .zip_file_value(command, lp, &bytes)
                    .map_err(|e| NativeError::File(e.to_string()))?;
                // awscli's ZipFileArgument updates the structure --code gave.
                match (params.get_mut(&member), value) {
                    (Some(Value::Object(o)), Value::Object(v)) => o.extend(v),
                    (_, v) => {
                        params.insert(member, v);
                    }
                }
            }
            PathOrigin::FileUrl | PathOrigin::FilebUrl => {
                let bytes = read_paramfile(files, lp)?;
                let (member, value) = validator
                    .file_value(command, lp, &bytes)
                    .map_err(|e| NativeError::File(e.to_string()))?;
                let api = command.api().map(|a| a.service.as_str());
                // configservice's --recording-group goes inside
                // ConfigurationRecorder, where the validator left its URL.
                match aws_mcp_core::validate::nested_parameter(api, command.operation(), &lp.arg)
                    .and_then(|parent| params.get_mut(parent))
                {
                    Some(Value::Object(parent)) => {
                        parent.insert(member, value);
                    }
                    _ => {
                        params.insert(member, value);
                    }
                }
            }
            PathOrigin::OptionPath => {
                let bytes = read(files, &lp.path).map_err(|e| {
                    NativeError::File(format!(
                        "Error parsing parameter '--{}': Unable to read the file {}: {e}",
                        lp.arg, lp.path
                    ))
                })?;
                // The caller takes the streaming member out of the parameters.
                out.body = Some(Bytes::from(bytes));
            }
            PathOrigin::OutputFile if lp.arg == "outfile" => {
                out.outfile = Some(lp.path.clone());
            }
            // Written from the response ([`save_query_outfiles`]).
            PathOrigin::OutputFile if query_outfile(command, &lp.arg).is_some() => {}
            _ => {
                return Err(NativeError::Unsupported(format!(
                    "--{} names the local file {:?}, which the native executor does not open",
                    lp.arg, lp.path
                )))
            }
        }
    }
    for lp in documents {
        let bytes = read_paramfile(files, lp)?;
        validator
            .merge_input_document(command, lp, &bytes, params)
            .map_err(|e| NativeError::File(e.to_string()))?;
    }
    Ok(out)
}

/// awscli's `QueryOutFileArgument`s: arguments that save a part of a
/// successful response to a file created with mode 0600 (the response is
/// still printed whole): (API service, operation, argument, the value's
/// dotted path in the response).
const QUERY_OUTFILES: &[(&str, &str, &str, &str)] = &[
    (
        "iot",
        "CreateKeysAndCertificate",
        "certificate-pem-outfile",
        "certificatePem",
    ),
    (
        "iot",
        "CreateKeysAndCertificate",
        "public-key-outfile",
        "keyPair.PublicKey",
    ),
    (
        "iot",
        "CreateKeysAndCertificate",
        "private-key-outfile",
        "keyPair.PrivateKey",
    ),
    (
        "iot",
        "CreateCertificateFromCsr",
        "certificate-pem-outfile",
        "certificatePem",
    ),
];

/// The response path `arg` of `command` saves, when it is one of awscli's
/// query outfiles.
pub(crate) fn query_outfile(command: &ValidatedCommand, arg: &str) -> Option<&'static str> {
    let api = command.api()?;
    QUERY_OUTFILES
        .iter()
        .find(|(s, o, a, _)| *s == api.service && *o == api.operation && *a == arg)
        .map(|(_, _, _, q)| *q)
}

/// Save the parts of a successful `response` that the command's query
/// outfiles name, as awscli's `save_query` does: the value's text (an
/// absent value writes an empty file), mode 0600 whether the file is new or
/// not; each written to a temporary file beside it and renamed over it.
/// Paths resolve as `resolve_given_outfile_path` (`expanduser(expandvars(p))`,
/// the semantics the policy judged them with).
pub(crate) fn save_query_outfiles(
    files: &LocalFiles,
    command: &ValidatedCommand,
    response: &Value,
) -> Result<(), NativeError> {
    use std::io::Write as _;
    for lp in command.local_paths() {
        if lp.origin != PathOrigin::OutputFile {
            continue;
        }
        let Some(query) = query_outfile(command, &lp.arg) else {
            continue;
        };
        let value = query
            .split('.')
            .try_fold(response, |v, k| v.get(k))
            .cloned()
            .unwrap_or(Value::Null);
        let text = match value {
            Value::Null => String::new(),
            Value::String(s) => s,
            other => other.to_string(),
        };
        let fail =
            |e: String| NativeError::File(format!("Unable to write to file: {}: {e}", lp.path));
        let tmp = files
            .create_temp_as(&lp.path, Semantics::PARAM_FILE, false)
            .map_err(|e| fail(e.to_string()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.file()
                .set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| fail(e.to_string()))?;
        }
        tmp.file()
            .write_all(text.as_bytes())
            .map_err(|e| fail(e.to_string()))?;
        files.commit(tmp, None).map_err(|e| fail(e.to_string()))?;
    }
    Ok(())
}

/// Whether `command`'s `--zip-file` is awscli's own argument (Lambda's
/// `create-function` and `publish-layer-version`), read here into the
/// code's structure.
pub(crate) fn hoisted_zip(command: &ValidatedCommand) -> bool {
    aws_mcp_core::validate::translates_cli_argument(
        command.api().map(|a| a.service.as_str()),
        command.operation(),
        "zip-file",
    )
}

/// Whether the CLI argument `arg` takes a document of API parameters
/// (`--cli-input-json`, `--cli-input-yaml`).
pub(crate) fn is_input_document(arg: &str) -> bool {
    matches!(arg, "cli-input-json" | "cli-input-yaml")
}

/// A streaming response on its way into an output file.
pub(crate) struct OutFile<'a> {
    files: &'a LocalFiles,
    path: String,
    pending: Mutex<Option<(TempFile, crc32fast::Hasher, u64)>>,
}

impl<'a> OutFile<'a> {
    pub(crate) fn new(files: &'a LocalFiles, path: String) -> OutFile<'a> {
        OutFile {
            files,
            path,
            pending: Mutex::new(None),
        }
    }

    /// Send `req`; a successful response's body goes into a new temporary
    /// file (the status, headers and an empty body are returned), an error
    /// response's body is read (at most 1 MiB) for its message. A response
    /// cut short is [`SendError::MaybeSent`] (a read: retried, into a new
    /// temporary file).
    pub(crate) async fn receive(
        &self,
        client: &HttpClient,
        req: http::Request<http_body_util::Full<Bytes>>,
    ) -> Result<(u16, Vec<(String, String)>, Vec<u8>), SendError> {
        use std::io::Write;
        let resp = client.send_streaming(req).await?;
        let status = resp.status().as_u16();
        let headers = crate::transport::header_pairs(resp.headers());
        let mut body = resp.into_body();
        if status >= 300 {
            let mut buf = Vec::new();
            while let Some(frame) = body.frame().await {
                let frame = frame.map_err(|e| SendError::MaybeSent(e.to_string()))?;
                if let Some(d) = frame.data_ref() {
                    if buf.len() + d.len() <= 1 << 20 {
                        buf.extend_from_slice(d);
                    }
                }
            }
            return Ok((status, headers, buf));
        }
        // As open(path, 'wb'): no directories are made.
        let tmp = self
            .files
            .create_temp_as(&self.path, Semantics::OPEN, false)
            .map_err(|e| SendError::Failed(NativeError::File(e.to_string())))?;
        let mut crc = crc32fast::Hasher::new();
        let mut n = 0u64;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| SendError::MaybeSent(e.to_string()))?;
            if let Some(d) = frame.data_ref() {
                tmp.file().write_all(d).map_err(|e| {
                    SendError::Failed(NativeError::File(crate::localfs::py_os_error(
                        &e, &self.path,
                    )))
                })?;
                crc.update(d);
                n += d.len() as u64;
            }
        }
        *self.pending.lock().unwrap_or_else(|p| p.into_inner()) = Some((tmp, crc, n));
        Ok((status, headers, Vec::new()))
    }

    /// The call succeeded with `output`: check the body's CRC32 against the
    /// one the service sent (if any), and rename the file into place.
    pub(crate) fn commit(&self, output: &Value) -> Result<(), NativeError> {
        use base64::Engine as _;
        let Some((tmp, crc, _n)) = self
            .pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        else {
            return Ok(());
        };
        if let Some(want) = output["ChecksumCRC32"]
            .as_str()
            .filter(|w| !w.contains('-'))
        {
            let got =
                base64::engine::general_purpose::STANDARD.encode(crc.finalize().to_be_bytes());
            if got != want {
                return Err(NativeError::Response(format!(
                    "Expected checksum {want} did not match calculated checksum: {got}"
                )));
            }
        }
        self.files
            .commit(tmp, None)
            .map_err(|e| NativeError::File(e.to_string()))
    }
}
