//! The high-level S3 commands (`aws s3 ls|cp|mv|rm|sync|mb|rb|presign|
//! website`) run natively: awscli's `customizations/s3` re-implemented over
//! the executor's S3 calls, with the pure decisions in
//! [`aws_mcp_wire::s3`] and the I/O here.
//!
//! ## What a transfer command does
//!
//! As the CLI's `CommandArchitecture`: check the paths (path type, a local
//! source that must exist, `mv` onto itself, SSE-C pairs), list the source
//! (a local tree or S3 keys, see [`listing`]), apply `--include`/`--exclude`,
//! for `sync` list the destination too and compare ([`aws_mcp_wire::s3::sync`]),
//! then run each file's transfer ([`transfer`]) with the CLI's
//! concurrency: up to 10 requests in flight, multipart above 8 MiB, a bound
//! on the memory held by upload parts. Each finished file prints its line
//! as it completes (`upload: ./a to s3://b/a`); failures and warnings go to
//! standard error; the exit status is the CLI's (1 when a file failed, 2
//! when one was skipped with a warning). `--dryrun` prints what would be
//! done; `--quiet` prints nothing; `--only-show-errors` only errors (and,
//! as in the CLI, dry-run lines). Progress lines are never printed (as with
//! `--no-progress`: they are a terminal animation).
//!
//! ## Local files
//!
//! Relative paths start at the working directory (where the `aws` program
//! would run), local names print relative to it (`./a.txt`, `../b`), and
//! every file is opened through [`crate::localfs::LocalFiles`], confined
//! like the policy confines the command's paths. Downloads never leave a
//! partial file under the final name.
//!
//! ## The AWS CLI dialect
//!
//! AWS CLI v1 and v2 print the same transfer lines; they differ in exit
//! statuses of parameter errors (255 / 252) and service errors (255 / 254),
//! a few messages (`It --sse-c is specified` / `If ...`), presigned URLs
//! (SigV2 / SigV4) and `--copy-props` (v2 carries metadata and tags into
//! multipart copies).
//!
//! A streaming `cp` of one object runs here too (`cp - s3://b/k` uploads
//! the empty standard input every executor gives a command; `cp s3://b/k -`
//! prints the object).
//!
//! ## Left to the `aws` program
//!
//! Other streaming (`-` with `--recursive`, `--dryrun`, `mv`, ...),
//! `--no-overwrite`, `--case-conflict` other than
//! `ignore`, checksum algorithms other than CRC32, file arguments other
//! than the paths, `--no-verify-ssl`/`--ca-bundle` ([`support`] says why).

pub(crate) mod client;
mod listing;
mod transfer;

use std::sync::Arc;
use std::time::Duration;

use aws_mcp_core::catalog::{CommandKind, Dialect};
use aws_mcp_core::command::PathOrigin;
use aws_mcp_core::{ExecOptions, ValidatedCommand};
use aws_mcp_wire::s3::filter::Filter;
use aws_mcp_wire::s3::mime::MimeTypes;
use aws_mcp_wire::s3::options::S3Options;
use aws_mcp_wire::s3::output::{self, TransferType};
use aws_mcp_wire::s3::paths::{self, Format, PathsType};
use aws_mcp_wire::s3::sync::{self, Action, Direction, Stat, Strategy};
use aws_mcp_wire::s3::S3Error;
use futures_util::stream::{FuturesUnordered, StreamExt};
use serde_json::{json, Map, Value};
use tokio::sync::Semaphore;

use client::{CallError, Op, S3Client};
use listing::Listed;
use transfer::{CopyProps, Ctx, Sizes};

use crate::{NativeError, NativeExecutor};

const COMMANDS: &[&str] = &[
    "ls", "cp", "mv", "rm", "sync", "mb", "rb", "presign", "website",
];

/// The checksum algorithms uploads compute natively.
const CHECKSUMS: &[&str] = &["CRC32"];

/// Whether the `s3` command runs natively, or why not.
pub(crate) fn support(command: &ValidatedCommand) -> Result<(), String> {
    if command.kind() != CommandKind::Custom || !COMMANDS.contains(&command.operation()) {
        return Err(format!(
            "`s3 {}` is not one of the s3 commands the native executor runs",
            command.operation()
        ));
    }
    let o = S3Options::from_command(command);
    if o.paths.iter().any(|p| p == "-") && !is_stream(&o) {
        return Err(
            "streaming from standard input or to standard output (`-`) other than a plain `cp` of one object is left to the AWS CLI"
                .into(),
        );
    }
    if o.no_overwrite {
        return Err("--no-overwrite is left to the AWS CLI".into());
    }
    if o.case_conflict.as_deref().is_some_and(|c| c != "ignore") {
        return Err("--case-conflict other than ignore is left to the AWS CLI".into());
    }
    if let Some(a) = o.checksum_algorithm.as_deref().filter(|a| !a.is_empty()) {
        if !CHECKSUMS.contains(&a) {
            return Err(format!("--checksum-algorithm {a} is left to the AWS CLI"));
        }
    }
    if let Some(p) = command
        .local_paths()
        .iter()
        .find(|p| p.origin != PathOrigin::Positional)
    {
        return Err(format!(
            "--{} reads the local file {:?}, which the native s3 commands leave to the AWS CLI",
            p.arg, p.path
        ));
    }
    let g = command.globals();
    if g.no_verify_ssl || g.ca_bundle.is_some() {
        return Err("--no-verify-ssl and --ca-bundle are left to the AWS CLI".into());
    }
    Ok(())
}

/// What an `s3` command printed.
#[derive(Debug, Default)]
pub(crate) struct Printed {
    pub code: i32,
    pub out: String,
    pub err: String,
    pub out_total: u64,
    pub err_total: u64,
}

impl Printed {
    /// A command's success: `out` on standard output, nothing on error.
    pub(crate) fn ok(out: String) -> Printed {
        Printed {
            code: 0,
            out_total: out.len() as u64,
            err_total: 0,
            out,
            err: String::new(),
        }
    }
}

/// Standard output and error, kept up to their caps (the rest counted),
/// with the CLI's result counters.
struct Printer {
    p: Printed,
    out_cap: usize,
    err_cap: usize,
    quiet: bool,
    only_errors: bool,
    failed: u64,
    warned: u64,
}

impl Printer {
    fn new(options: &ExecOptions) -> Printer {
        Printer {
            p: Printed::default(),
            out_cap: options.output_cap,
            err_cap: options.error_cap,
            quiet: false,
            only_errors: false,
            failed: 0,
            warned: 0,
        }
    }

    fn out(&mut self, s: &str) {
        self.p.out_total += s.len() as u64;
        push_capped(&mut self.p.out, s, self.out_cap);
    }

    fn err(&mut self, s: &str) {
        self.p.err_total += s.len() as u64;
        push_capped(&mut self.p.err, s, self.err_cap);
    }

    fn success(&mut self, line: &str) {
        if !self.quiet && !self.only_errors {
            self.out(line);
        }
    }

    fn dryrun(&mut self, line: &str) {
        if !self.quiet {
            self.out(line);
        }
    }

    fn failure(&mut self, line: &str) {
        self.failed += 1;
        if !self.quiet {
            self.err(line);
        }
    }

    fn warning(&mut self, line: &str) {
        self.warned += 1;
        if !self.quiet {
            self.err(line);
        }
    }

    fn finish(mut self) -> Printed {
        self.p.code = if self.failed > 0 {
            1
        } else if self.warned > 0 {
            2
        } else {
            0
        };
        self.p
    }

    /// An exception the CLI's driver prints: `\n<message>\n`.
    fn raised(mut self, msg: &str, code: i32) -> Printed {
        self.err(&format!("\n{msg}\n"));
        self.p.code = code;
        self.p
    }
}

fn push_capped(buf: &mut String, s: &str, cap: usize) {
    if buf.len() >= cap {
        return;
    }
    let room = cap - buf.len();
    if s.len() <= room {
        buf.push_str(s);
    } else {
        let mut end = room;
        while end > 0 && !s.is_char_boundary(end) {
            end -= 1;
        }
        buf.push_str(&s[..end]);
    }
}

/// The exit status of an API error the CLI's driver reports.
fn client_error_code(d: Dialect) -> i32 {
    match d {
        Dialect::V1 => 255,
        _ => 254,
    }
}

/// Run an `aws s3 ...` command.
pub(crate) async fn run(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<Printed, NativeError> {
    support(command).map_err(NativeError::Unsupported)?;
    let o = S3Options::from_command(command);
    let g = command.globals();
    let profile = g.profile.clone().or_else(|| ex.default_profile.clone());
    let region = ex.region_of(command).await?;
    // The caller's own credentials when the call carries them.
    let creds = if g.no_sign_request {
        None
    } else {
        Some(ex.credentials_for(command, options).await?)
    };
    let connect = g
        .cli_connect_timeout
        .filter(|t| *t > 0)
        .map(|t| Duration::from_secs(t as u64))
        .unwrap_or(options.connect_timeout);
    let http = ex.client(connect)?;
    let env_url = ex.env.configured("S3").map(str::to_string);
    let override_url = g.endpoint_url.clone().or_else(|| env_url.clone());
    let requests = Arc::new(Semaphore::new(client::MAX_CONCURRENT_REQUESTS));
    let retry = ex.retry_policy(profile.as_deref(), "s3")?;
    let client = S3Client::new(
        ex,
        region.clone(),
        creds.clone(),
        override_url,
        http.clone(),
        requests.clone(),
        retry,
    )
    .await?;
    let mut pr = Printer::new(options);
    let d = ex.cli.dialect;
    Ok(match o.cmd.as_str() {
        "cp" if is_stream(&o) => stream(&client, &o, pr, d).await,
        "ls" => ls(&client, &o, pr, d).await,
        "mb" => mb(&client, &o, pr, d).await,
        "rb" => rb(ex, &client, &o, pr, d, options).await,
        "website" => website(&client, &o, pr, d).await,
        "presign" => presign(&client, &o, pr, d),
        _ => {
            // --source-region: the source of an S3 copy in its own region,
            // reached without --endpoint-url (as the CLI builds that client).
            let source = match (
                &o.source_region,
                o.paths.iter().all(|p| p.starts_with("s3://")),
            ) {
                (Some(r), true) if o.cmd != "rm" => {
                    Some(S3Client::new(ex, r.clone(), creds, env_url, http, requests, retry).await?)
                }
                _ => None,
            };
            pr.quiet = o.quiet;
            pr.only_errors = o.only_show_errors;
            transfer_command(ex, &client, source.as_ref().unwrap_or(&client), &o, pr, d).await
        }
    })
}

/// `cp - s3://b/k` or `cp s3://b/k -` of one object, without `--recursive`
/// or `--dryrun` (the streaming transfers run here).
fn is_stream(o: &S3Options) -> bool {
    o.cmd == "cp"
        && !o.recursive
        && !o.dryrun
        && matches!(
            o.paths.as_slice(),
            [a, b] if (a == "-" && b.starts_with("s3://")) || (a.starts_with("s3://") && b == "-")
        )
}

/// awscli's streaming transfers. The server's standard input is the MCP
/// connection, never the command's: as the subprocess executor gives the
/// AWS CLI an empty standard input, an upload from `-` uploads an empty
/// object (one `PutObject` with the command's object options). A download
/// to `-` prints the object's bytes on standard output (`HeadObject`, then
/// `GetObject`, as s3transfer's stream download does), held up to the
/// output cap; nothing else is printed on success.
async fn stream(client: &S3Client<'_>, o: &S3Options, mut pr: Printer, d: Dialect) -> Printed {
    let (src, dest) = (o.paths[0].as_str(), o.paths[1].as_str());
    let upload = src == "-";
    let kind = if upload {
        TransferType::Upload
    } else {
        TransferType::Download
    };
    let s3 = if upload { dest } else { src };
    let fail = |mut pr: Printer, e: String| {
        pr.failure(&output::failure(kind, src, Some(dest), &e));
        pr.finish()
    };
    let (bucket, key) = match paths::split_s3_bucket_key(s3) {
        Ok(x) => x,
        Err(e) => return pr.raised(&e.to_string(), e.exit_code(d)),
    };
    let mut p = Map::new();
    p.insert("Bucket".into(), Value::String(bucket));
    p.insert("Key".into(), Value::String(key));
    if upload {
        let mut extra = match o.put_object_params() {
            Ok(x) => x,
            Err(e) => return pr.raised(&e.to_string(), e.exit_code(d)),
        };
        extra
            .entry("ChecksumAlgorithm")
            .or_insert_with(|| Value::String("CRC32".into()));
        p.extend(extra);
        let body = client::Body::new(bytes::Bytes::new(), true);
        return match client.call(Op::PutObject, p, Some(body)).await {
            Ok(_) => pr.finish(),
            Err(e) => fail(pr, e.to_string()),
        };
    }
    let mut head = p.clone();
    head.extend(o.head_object_params(false));
    if let Err(e) = client.call(Op::HeadObject, head, None).await {
        return fail(pr, e.to_string());
    }
    p.extend(o.get_object_params());
    let cap = pr.out_cap;
    let buf = std::sync::Mutex::new(Vec::new());
    let sink = |off: u64, data: &[u8]| -> std::io::Result<()> {
        let mut b = buf.lock().unwrap_or_else(|e| e.into_inner());
        let off = off as usize;
        // What is past the output cap is counted, not kept.
        let end = (off + data.len()).min(cap + 1);
        if off < end {
            if b.len() < end {
                b.resize(end, 0);
            }
            b[off..end].copy_from_slice(&data[..end - off]);
        }
        Ok(())
    };
    match client.get_into(p, &sink, 0).await {
        Ok((n, _)) => {
            let b = buf.into_inner().unwrap_or_else(|e| e.into_inner());
            pr.out(&String::from_utf8_lossy(&b));
            pr.p.out_total = pr.p.out_total.max(n);
            pr.finish()
        }
        Err(e) => fail(pr, e.to_string()),
    }
}

/// A local time as `ls` prints it.
fn ls_date(text: &str) -> String {
    use chrono::{Datelike, Timelike};
    let Some(us) = aws_mcp_wire::s3::parse_time_us(text) else {
        return format!("{text:<19}");
    };
    let Some(utc) = chrono::DateTime::from_timestamp_micros(us) else {
        return format!("{text:<19}");
    };
    let t = utc.with_timezone(&chrono::Local);
    output::ls_date(
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    )
}

async fn ls(client: &S3Client<'_>, o: &S3Options, mut pr: Printer, d: Dialect) -> Printed {
    let path = o.paths.first().map(String::as_str).unwrap_or("s3://");
    let path = path.strip_prefix("s3://").unwrap_or(path);
    let (bucket, key) = match paths::find_bucket_key(path) {
        Ok(x) => x,
        Err(e) => return pr.raised(&e.to_string(), e.exit_code(d)),
    };
    let (mut total_objects, mut total_size) = (0u64, 0u64);
    let (mut empty, mut first_page) = (false, true);
    let result: Result<(), CallError> = async {
        if bucket.is_empty() {
            let mut token: Option<String> = None;
            loop {
                let mut p = Map::new();
                if let Some(n) = o.page_size {
                    p.insert("MaxBuckets".into(), Value::from(n));
                }
                if let Some(x) = o.bucket_name_prefix.as_deref().filter(|x| !x.is_empty()) {
                    p.insert("Prefix".into(), Value::from(x));
                }
                if let Some(x) = o.bucket_region.as_deref().filter(|x| !x.is_empty()) {
                    p.insert("BucketRegion".into(), Value::from(x));
                }
                if let Some(t) = &token {
                    p.insert("ContinuationToken".into(), Value::from(t.as_str()));
                }
                let page = client.call(Op::ListBuckets, p, None).await?.data;
                for b in page["Buckets"].as_array().into_iter().flatten() {
                    let date = ls_date(b["CreationDate"].as_str().unwrap_or(""));
                    pr.out(&output::ls_bucket(&date, b["Name"].as_str().unwrap_or("")));
                }
                token = page["ContinuationToken"].as_str().map(str::to_string);
                if token.is_none() {
                    return Ok(());
                }
            }
        }
        let mut token: Option<String> = None;
        loop {
            let mut p = Map::new();
            p.insert("Bucket".into(), Value::from(bucket.as_str()));
            p.insert("Prefix".into(), Value::from(key.as_str()));
            if !o.recursive {
                p.insert("Delimiter".into(), Value::from("/"));
            }
            if let Some(n) = o.page_size {
                p.insert("MaxKeys".into(), Value::from(n));
            }
            if let Some(x) = o.request_payer.as_deref() {
                p.insert("RequestPayer".into(), Value::from(x));
            }
            if let Some(t) = &token {
                p.insert("ContinuationToken".into(), Value::from(t.as_str()));
            }
            let page = client.call(Op::ListObjectsV2, p, None).await?.data;
            let prefixes = page["CommonPrefixes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let contents = page["Contents"].as_array().cloned().unwrap_or_default();
            if prefixes.is_empty() && contents.is_empty() {
                empty = true;
            } else {
                for cp in &prefixes {
                    pr.out(&output::ls_prefix(cp["Prefix"].as_str().unwrap_or("")));
                }
                for c in &contents {
                    let size = c["Size"].as_u64().unwrap_or(0);
                    total_size += size;
                    total_objects += 1;
                    let date = ls_date(c["LastModified"].as_str().unwrap_or(""));
                    let name = output::ls_name(c["Key"].as_str().unwrap_or(""), o.recursive);
                    pr.out(&output::ls_object(&date, size, name, o.human_readable));
                }
                first_page = false;
            }
            token = page["NextContinuationToken"]
                .as_str()
                .filter(|_| page["IsTruncated"].as_bool() == Some(true))
                .map(str::to_string);
            if token.is_none() {
                return Ok(());
            }
        }
    }
    .await;
    if let Err(e) = result {
        let code = match e {
            CallError::Api { .. } => client_error_code(d),
            CallError::Native(_) => 255,
        };
        return pr.raised(&e.to_string(), code);
    }
    if o.summarize {
        pr.out(&output::ls_summary(
            total_objects,
            total_size,
            o.human_readable,
        ));
    }
    let mut p = pr.finish();
    p.code = if !key.is_empty() && empty && first_page {
        1
    } else {
        0
    };
    p
}

fn bucket_of(path: &str, usage: &str, cmd: &str) -> Result<(String, String), S3Error> {
    if !path.starts_with("s3://") {
        return Err(S3Error::Usage(format!(
            "{usage}\nError: Invalid argument type"
        )));
    }
    let _ = cmd;
    paths::split_s3_bucket_key(path)
}

async fn mb(client: &S3Client<'_>, o: &S3Options, mut pr: Printer, d: Dialect) -> Printed {
    let path = o.paths.first().cloned().unwrap_or_default();
    let bucket = match bucket_of(&path, o.usage(), "mb") {
        Ok((b, _)) => b,
        Err(e) => return pr.raised(&e.to_string(), e.exit_code(d)),
    };
    if bucket.ends_with("--x-s3") {
        let e = S3Error::Param("Cannot use mb command with a directory bucket.".into());
        return pr.raised(&e.to_string(), e.exit_code(d));
    }
    let mut p = Map::new();
    p.insert("Bucket".into(), Value::from(bucket.as_str()));
    if bucket.ends_with("-an") {
        p.insert("BucketNamespace".into(), Value::from("account-regional"));
    }
    let mut cfg = Map::new();
    if client.region() != "us-east-1" {
        cfg.insert("LocationConstraint".into(), Value::from(client.region()));
    }
    if !o.tags.is_empty() {
        cfg.insert(
            "Tags".into(),
            Value::Array(
                o.tags
                    .iter()
                    .map(|(k, v)| json!({"Key": k, "Value": v}))
                    .collect(),
            ),
        );
    }
    if !cfg.is_empty() {
        p.insert("CreateBucketConfiguration".into(), Value::Object(cfg));
    }
    match client.call(Op::CreateBucket, p, None).await {
        Ok(_) => {
            pr.out(&format!("make_bucket: {bucket}\n"));
            pr.finish()
        }
        Err(e) => {
            pr.err(&format!("make_bucket failed: {path} {e}\n"));
            let mut p = pr.finish();
            p.code = 1;
            p
        }
    }
}

async fn rb(
    ex: &NativeExecutor,
    client: &S3Client<'_>,
    o: &S3Options,
    mut pr: Printer,
    d: Dialect,
    _options: &ExecOptions,
) -> Printed {
    let path = o.paths.first().cloned().unwrap_or_default();
    let (bucket, key) = match bucket_of(&path, o.usage(), "rb") {
        Ok(x) => x,
        Err(e) => return pr.raised(&e.to_string(), e.exit_code(d)),
    };
    if !key.is_empty() {
        let e = S3Error::Param(format!(
            "Please specify a valid bucket name only. E.g. s3://{bucket}"
        ));
        return pr.raised(&e.to_string(), e.exit_code(d));
    }
    if o.force {
        let rm = S3Options {
            cmd: "rm".into(),
            paths: vec![path.clone()],
            recursive: true,
            follow_symlinks: true,
            guess_mime_type: true,
            ..Default::default()
        };
        let sub = Printer {
            p: Printed::default(),
            out_cap: pr.out_cap,
            err_cap: pr.err_cap,
            quiet: false,
            only_errors: false,
            failed: 0,
            warned: 0,
        };
        let r = transfer_command(ex, client, client, &rm, sub, d).await;
        pr.out(&r.out);
        pr.err(&r.err);
        if r.code != 0 {
            return pr.raised(
                "remove_bucket failed: Unable to delete all objects in the bucket, bucket will not be deleted.",
                255,
            );
        }
    }
    let mut p = Map::new();
    p.insert("Bucket".into(), Value::from(bucket.as_str()));
    match client.call(Op::DeleteBucket, p, None).await {
        Ok(_) => {
            pr.out(&format!("remove_bucket: {bucket}\n"));
            pr.finish()
        }
        Err(e) => {
            pr.err(&format!("remove_bucket failed: {path} {e}\n"));
            let mut p = pr.finish();
            p.code = 1;
            p
        }
    }
}

async fn website(client: &S3Client<'_>, o: &S3Options, pr: Printer, d: Dialect) -> Printed {
    let path = o.paths.first().cloned().unwrap_or_default();
    let mut b = path.strip_prefix("s3://").unwrap_or(&path).to_string();
    if b.ends_with('/') {
        b.pop();
    }
    if let Err(e) = paths::block_unsupported(&b) {
        return pr.raised(&e.to_string(), e.exit_code(d));
    }
    let mut cfg = Map::new();
    if let Some(i) = &o.index_document {
        cfg.insert("IndexDocument".into(), json!({ "Suffix": i }));
    }
    if let Some(e) = &o.error_document {
        cfg.insert("ErrorDocument".into(), json!({ "Key": e }));
    }
    let mut p = Map::new();
    p.insert("Bucket".into(), Value::from(b));
    p.insert("WebsiteConfiguration".into(), Value::Object(cfg));
    match client.call(Op::PutBucketWebsite, p, None).await {
        Ok(_) => pr.finish(),
        Err(e) => {
            let code = match e {
                CallError::Api { .. } => client_error_code(d),
                CallError::Native(_) => 255,
            };
            pr.raised(&e.to_string(), code)
        }
    }
}

fn presign(client: &S3Client<'_>, o: &S3Options, mut pr: Printer, d: Dialect) -> Printed {
    let path = o.paths.first().cloned().unwrap_or_default();
    let path = path.strip_prefix("s3://").unwrap_or(&path).to_string();
    let (bucket, key) = match paths::find_bucket_key(&path) {
        Ok(x) => x,
        Err(e) => return pr.raised(&e.to_string(), e.exit_code(d)),
    };
    let (url, signing_region) = match client.object_url(&bucket, &key) {
        Ok(x) => x,
        Err(e) => return pr.raised(&e.to_string(), 255),
    };
    let signed = match client.credentials() {
        None => Ok(url),
        Some(c) if d == Dialect::V1 => {
            let expires = crate::localfs::now_secs() + o.expires_in;
            let token = c.session_token();
            let auth = aws_mcp_wire::s3::presign::auth_path(&bucket, &key);
            let sts = aws_mcp_wire::s3::presign::v2_string_to_sign(expires, token, &auth);
            let sig = hmac_sha1_b64(c.secret_access_key().as_bytes(), sts.as_bytes());
            Ok(aws_mcp_wire::s3::presign::v2_url(
                &url,
                c.access_key_id(),
                &sig,
                token,
                expires,
            ))
        }
        Some(c) => crate::transport::presign_v4(&url, c, &signing_region, o.expires_in),
    };
    match signed {
        Ok(u) => {
            pr.out(&format!("{u}\n"));
            pr.finish()
        }
        Err(e) => pr.raised(&e.to_string(), 255),
    }
}

/// HMAC-SHA1 (RFC 2104), base64: SigV2's signature.
fn hmac_sha1_b64(key: &[u8], msg: &[u8]) -> String {
    use base64::Engine as _;
    use sha1::Digest as _;
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        let h = sha1::Sha1::digest(key);
        k[..h.len()].copy_from_slice(&h);
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = sha1::Sha1::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(msg);
    let mut outer = sha1::Sha1::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    base64::engine::general_purpose::STANDARD.encode(outer.finalize())
}

/// One file's work after listing, filtering and comparing.
#[derive(Debug, Clone)]
enum Work {
    Upload {
        l: Listed,
        dest: String,
    },
    Download {
        l: Listed,
        dest: String,
        compare_key: String,
    },
    Copy {
        l: Listed,
        dest: String,
    },
    DeleteS3 {
        path: String,
    },
    DeleteLocal {
        path: String,
    },
}

/// A finished (or skipped) file, as the result printer sees it.
struct Done {
    kind: TransferType,
    src: String,
    dest: Option<String>,
    result: Result<(), String>,
}

#[allow(clippy::too_many_lines)]
async fn transfer_command(
    ex: &NativeExecutor,
    client: &S3Client<'_>,
    source: &S3Client<'_>,
    o: &S3Options,
    mut pr: Printer,
    d: Dialect,
) -> Printed {
    let (t, ps) = match o.check_transfer(d) {
        Ok(x) => x,
        Err(e) => return pr.raised(&e.to_string(), e.exit_code(d)),
    };
    let fs = &ex.files;
    let cwd = fs.working_dir();
    let (src, dest) = (
        ps[0].clone(),
        ps.get(1).cloned().unwrap_or_else(|| ps[0].clone()),
    );
    let dir_op = o.recursive;
    let is_move = o.cmd == "mv";
    let uses_local = matches!(t, PathsType::LocalS3 | PathsType::S3Local);
    if uses_local && fs.disabled() {
        return pr.raised(&crate::localfs::LocalError::Disabled.to_string(), 255);
    }
    if t == PathsType::LocalS3
        && fs
            .stat(&paths::abspath(&src, &cwd))
            .ok()
            .flatten()
            .is_none()
    {
        let e = S3Error::Runtime(format!("The user-provided path {src} does not exist."));
        return pr.raised(&e.to_string(), e.exit_code(d));
    }
    if t == PathsType::S3Local && dir_op {
        let full = paths::abspath(&dest, &cwd);
        if fs.stat(&full).ok().flatten().is_none() {
            if let Err(e) = fs.make_dirs(&full) {
                return pr.raised(&e.to_string(), 255);
            }
        }
    }
    let is_dir = |p: &str| fs.stat(p).ok().flatten().is_some_and(|m| m.is_dir);
    let files = Format::new(&src, &dest, dir_op, &cwd, &is_dir);
    let filter = match Filter::new(&o.filters, &src, &dest, dir_op, &cwd) {
        Ok(f) => f,
        Err(e) => return pr.raised(&e.to_string(), e.exit_code(d)),
    };
    let op_delete = t == PathsType::S3;
    let head_params = o.head_object_params(t == PathsType::S3S3);
    let payer = o.payer_params();

    // The source listing.
    let mut warnings = Vec::new();
    let listed = if files.src.s3 {
        match listing::list_s3(
            source,
            &files.src.path,
            dir_op,
            op_delete,
            o.page_size,
            &payer,
            &head_params,
        )
        .await
        {
            Ok(l) => l,
            Err(e) => {
                pr.failure(&output::fatal(&e.to_string()));
                return pr.finish();
            }
        }
    } else {
        listing::list_local(
            fs,
            &files.src.path,
            dir_op,
            o.follow_symlinks,
            &mut warnings,
        )
    };
    for w in warnings.drain(..) {
        pr.warning(&w);
    }
    let listed: Vec<Listed> = listed
        .into_iter()
        .filter(|l| filter.includes(&l.path))
        .collect();

    // What to do with each file.
    let mut work: Vec<Work> = Vec::new();
    let to_work = |l: Listed| -> Work {
        let (dest_path, key) = files.dest_and_key(Some(&l.path));
        match t {
            PathsType::LocalS3 => Work::Upload { l, dest: dest_path },
            PathsType::S3Local => Work::Download {
                l,
                dest: dest_path,
                compare_key: key,
            },
            PathsType::S3S3 => Work::Copy { l, dest: dest_path },
            PathsType::S3 => Work::DeleteS3 { path: l.path },
        }
    };
    if o.cmd == "sync" {
        let rev = Format::new(&dest, &src, dir_op, &cwd, &is_dir);
        let dest_listed = if rev.src.s3 {
            match listing::list_s3(
                client,
                &rev.src.path,
                true,
                false,
                o.page_size,
                &payer,
                &Map::new(),
            )
            .await
            {
                Ok(l) => l,
                Err(e) => {
                    pr.failure(&output::fatal(&e.to_string()));
                    return pr.finish();
                }
            }
        } else {
            let mut w = Vec::new();
            let l = listing::list_local(fs, &rev.src.path, true, o.follow_symlinks, &mut w);
            for x in w {
                pr.warning(&x);
            }
            l
        };
        let dest_listed: Vec<Listed> = dest_listed
            .into_iter()
            .filter(|l| filter.includes(&l.path))
            .collect();
        let stat = |f: &Format, l: &Listed| Stat {
            compare_key: f.dest_and_key(Some(&l.path)).1,
            size: l.size.unwrap_or(0),
            mtime_us: l.mtime_us.unwrap_or(0),
        };
        let s: Vec<Stat> = listed.iter().map(|l| stat(&files, l)).collect();
        let ds: Vec<Stat> = dest_listed.iter().map(|l| stat(&rev, l)).collect();
        let strategy = if o.size_only {
            Strategy::SizeOnly
        } else if o.exact_timestamps {
            Strategy::ExactTimestamps
        } else {
            Strategy::SizeAndLastModified
        };
        let dir = match t {
            PathsType::LocalS3 => Direction::Upload,
            PathsType::S3Local => Direction::Download,
            _ => Direction::Copy,
        };
        for a in sync::compare(&s, &ds, strategy, dir, o.delete) {
            match a {
                Action::Transfer(i) => work.push(to_work(listed[i].clone())),
                Action::Delete(j) => {
                    let path = dest_listed[j].path.clone();
                    work.push(if rev.src.s3 {
                        Work::DeleteS3 { path }
                    } else {
                        Work::DeleteLocal { path }
                    });
                }
            }
        }
    } else {
        work.extend(listed.into_iter().map(to_work));
    }

    let mime = content_types();
    let sizes = Sizes::default();
    let ctx = Ctx {
        client,
        source,
        fs,
        sizes,
        chunks: Arc::new(Semaphore::new(transfer::MAX_IN_MEMORY_CHUNKS)),
    };
    let props = match (d, o.copy_props.as_deref()) {
        (Dialect::V1, _) => CopyProps::V1,
        (_, _)
            if o.metadata_directive
                .as_deref()
                .is_some_and(|m| !m.is_empty()) =>
        {
            CopyProps::V1
        }
        (_, Some("none")) => CopyProps::None,
        (_, Some("metadata-directive")) => CopyProps::MetadataDirective,
        _ => CopyProps::Default,
    };
    let kind = |base: TransferType| if is_move { TransferType::Move } else { base };
    let mut futs = FuturesUnordered::new();
    for w in work {
        // Display names, skips and dry runs, as the submitters decide them.
        let (k, s_disp, d_disp): (TransferType, String, Option<String>) = match &w {
            Work::Upload { l, dest } => (
                kind(TransferType::Upload),
                paths::relative_path(&l.path, &cwd),
                Some(format!("s3://{dest}")),
            ),
            Work::Download { l, dest, .. } => (
                kind(TransferType::Download),
                format!("s3://{}", l.path),
                Some(paths::relative_path(dest, &cwd)),
            ),
            Work::Copy { l, dest } => (
                kind(TransferType::Copy),
                format!("s3://{}", l.path),
                Some(format!("s3://{dest}")),
            ),
            Work::DeleteS3 { path } => (TransferType::Delete, format!("s3://{path}"), None),
            Work::DeleteLocal { path } => {
                (TransferType::Delete, paths::relative_path(path, &cwd), None)
            }
        };
        if let Some(skip) = skip_warning(&w, o, &cwd) {
            if let Some(line) = &skip.warning {
                pr.warning(line);
            }
            if skip.skip {
                continue;
            }
        }
        // The request parameters are mapped before anything is submitted
        // (dry runs included); a mapping error stops the command.
        let mapped = match &w {
            Work::Upload { .. } => o.put_object_params().map(|_| ()),
            Work::Copy { .. } => o.copy_object_params().map(|_| ()),
            _ => Ok(()),
        };
        if let Err(e) = mapped {
            pr.failure(&output::fatal(&e.to_string()));
            break;
        }
        if o.dryrun {
            pr.dryrun(&output::dryrun(k, &s_disp, d_disp.as_deref()));
            continue;
        }
        if let Work::DeleteLocal { path } = &w {
            // The CLI removes local files in its main thread, in order.
            match fs.remove(path) {
                Ok(()) => pr.success(&output::success(k, &s_disp, None)),
                Err(e) => pr.failure(&output::failure(k, &s_disp, None, &e.to_string())),
            }
            continue;
        }
        let ctx = &ctx;
        let head_params = &head_params;
        let payer = &payer;
        futs.push(async move {
            let result = run_work(ctx, &w, o, mime, props, head_params, payer, is_move).await;
            Done {
                kind: k,
                src: s_disp,
                dest: d_disp,
                result,
            }
        });
        while futs.len() >= MAX_FILES_IN_FLIGHT {
            if let Some(done) = futs.next().await {
                report(&mut pr, done);
            }
        }
    }
    while let Some(done) = futs.next().await {
        report(&mut pr, done);
    }
    pr.finish()
}

/// Files transferred at once (their requests share the 10 request slots).
const MAX_FILES_IN_FLIGHT: usize = 20;

fn report(pr: &mut Printer, done: Done) {
    match done.result {
        Ok(()) => pr.success(&output::success(done.kind, &done.src, done.dest.as_deref())),
        Err(e) => pr.failure(&output::failure(
            done.kind,
            &done.src,
            done.dest.as_deref(),
            &e,
        )),
    }
}

/// A submitter's verdict on a file before it is transferred.
struct Skip {
    /// The warning printed (and counted), if any.
    warning: Option<String>,
    /// Whether the file is skipped.
    skip: bool,
}

/// The CLI's submitter warnings (`_warn_if_too_large`, `_warn_glacier`,
/// `_warn_parent_reference`).
fn skip_warning(w: &Work, o: &S3Options, cwd: &str) -> Option<Skip> {
    match w {
        Work::Upload { l, .. } => {
            const MAX: u64 = 5 * (1 << 30) * 10_000;
            let size = l.size.unwrap_or(0);
            (size > MAX).then(|| {
                let p = paths::relative_path(&l.path, cwd);
                Skip {
                    warning: Some(output::warning(
                        &p,
                        &format!(
                            "File {p} exceeds s3 upload limit of {}.",
                            output::human_readable_size(MAX)
                        ),
                        false,
                    )),
                    skip: false,
                }
            })
        }
        Work::Download { l, compare_key, .. } => glacier(l, "download", o).or_else(|| {
            let normalized = paths::normpath(&format!("./{compare_key}"));
            (normalized.starts_with("../") || normalized == "..").then(|| Skip {
                warning: Some(output::warning(
                    compare_key,
                    "File references a parent directory.",
                    true,
                )),
                skip: true,
            })
        }),
        Work::Copy { l, .. } => glacier(l, "copy", o),
        _ => None,
    }
}

fn glacier(l: &Listed, op: &str, o: &S3Options) -> Option<Skip> {
    if o.force_glacier_transfer {
        return None;
    }
    let cold = matches!(l.storage_class.as_deref(), Some("GLACIER" | "DEEP_ARCHIVE"))
        && !l
            .restore
            .as_deref()
            .is_some_and(|r| r.contains("ongoing-request=\"false\""));
    if !cold {
        return None;
    }
    let warning = (!o.ignore_glacier_warnings).then(|| {
        output::warning(
            &format!("s3://{}", l.path),
            &format!(
                "Object is of storage class GLACIER. Unable to perform {op} operations on GLACIER objects. You must restore the object to be able to perform the operation. See aws s3 {op} help for additional parameter options to ignore or force these transfers."
            ),
            true,
        )
    });
    Some(Skip {
        warning,
        skip: true,
    })
}

#[allow(clippy::too_many_arguments)]
async fn run_work(
    ctx: &Ctx<'_>,
    w: &Work,
    o: &S3Options,
    mime: &MimeTypes,
    props: CopyProps,
    head_params: &Map<String, Value>,
    payer: &Map<String, Value>,
    is_move: bool,
) -> Result<(), String> {
    match w {
        Work::Upload { l, dest } => {
            let (bucket, key) = paths::find_bucket_key(dest).map_err(|e| e.to_string())?;
            let mut extra = o.put_object_params().map_err(|e| e.to_string())?;
            if o.guess_mime_type && o.content_type.as_deref().unwrap_or("").is_empty() {
                if let Some(t) = mime.guess_type(&l.path) {
                    extra.insert("ContentType".into(), Value::String(t));
                }
            }
            transfer::upload(ctx, &l.path, l.size.unwrap_or(0), &bucket, &key, extra).await?;
            if is_move {
                ctx.fs.remove(&l.path).map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        Work::Download { l, dest, .. } => {
            let (bucket, key) = paths::find_bucket_key(&l.path).map_err(|e| e.to_string())?;
            let obj = transfer::Object {
                bucket: &bucket,
                key: &key,
                size: l.size.unwrap_or(0),
                etag: l.etag.as_deref(),
                mtime_us: l.mtime_us,
            };
            transfer::download(ctx, &obj, dest, &o.get_object_params()).await?;
            if is_move {
                transfer::delete_object(ctx.source, &bucket, &key, payer).await?;
            }
            Ok(())
        }
        Work::Copy { l, dest } => {
            let (sb, sk) = paths::find_bucket_key(&l.path).map_err(|e| e.to_string())?;
            let (db, dk) = paths::find_bucket_key(dest).map_err(|e| e.to_string())?;
            let src = transfer::CopySrc {
                bucket: &sb,
                key: &sk,
                size: l.size.unwrap_or(0),
                etag: l.etag.as_deref(),
            };
            let extra = o.copy_object_params().map_err(|e| e.to_string())?;
            transfer::copy(ctx, &src, &db, &dk, extra, props, head_params).await?;
            if is_move {
                transfer::delete_object(ctx.source, &sb, &sk, payer).await?;
            }
            Ok(())
        }
        Work::DeleteS3 { path } => {
            let (b, k) = paths::find_bucket_key(path).map_err(|e| e.to_string())?;
            transfer::delete_object(ctx.client, &b, &k, payer).await
        }
        Work::DeleteLocal { path } => ctx.fs.remove(path).map_err(|e| e.to_string()),
    }
}

/// Python's MIME tables plus the system's `mime.types` files (not user
/// files: read directly, once).
fn content_types() -> &'static MimeTypes {
    static TYPES: std::sync::OnceLock<MimeTypes> = std::sync::OnceLock::new();
    TYPES.get_or_init(|| {
        let mut m = MimeTypes::builtin();
        for f in m.known_files().to_vec() {
            if let Ok(text) = std::fs::read_to_string(&f) {
                m.read(&text);
            }
        }
        m
    })
}
