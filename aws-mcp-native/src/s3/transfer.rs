//! One file's transfer, as s3transfer does it for the CLI.
//!
//! * **Upload**: below the multipart threshold (8 MiB) one `PutObject`;
//!   above, `CreateMultipartUpload`, `UploadPart`s of the chunk size
//!   (8 MiB, doubled until there are at most 10,000 parts, within S3's
//!   5 MiB–5 GiB), `CompleteMultipartUpload`, and `AbortMultipartUpload`
//!   when a part fails. Every body carries a CRC32 checksum, the CLI's
//!   default (`ChecksumAlgorithm=CRC32`). Parts are read from the file
//!   when a request slot and a memory slot are free (at most
//!   [`MAX_IN_MEMORY_CHUNKS`] chunks held at once), hashed off the async
//!   thread.
//! * **Download**: into a temporary file beside the destination (see
//!   [`crate::localfs`]): one `GetObject` below the threshold (its CRC32
//!   checked when S3 sends one), ranged `GetObject`s with `IfMatch` above,
//!   each streamed to its offset; then the object's time as the file's
//!   modification time and a rename over the final name.
//! * **Copy**: `CopyObject` below the threshold; above, a multipart upload
//!   of `UploadPartCopy` ranges (`CopySourceIfMatch`), the object's metadata
//!   not carried over (AWS CLI v1's behaviour; v2 copies it, see
//!   [`CopyProps`]).
//! * **Delete**: `DeleteObject`, or removing a local file.

use std::sync::Arc;

use base64::Engine as _;
use bytes::Bytes;
use futures_util::stream::{FuturesUnordered, StreamExt};
use serde_json::{json, Map, Value};
use tokio::sync::Semaphore;

use aws_mcp_wire::protocol::serialize::percent_encode;

use super::client::{Body, CallError, Op, S3Client};
use crate::localfs::{py_os_error, LocalFiles};

/// s3transfer's `max_in_memory_upload_chunks` for the CLI.
pub(crate) const MAX_IN_MEMORY_CHUNKS: usize = 6;

/// The CLI's transfer settings (`multipart_threshold`, `multipart_chunksize`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sizes {
    pub threshold: u64,
    pub chunksize: u64,
}

impl Default for Sizes {
    fn default() -> Self {
        Sizes {
            threshold: 8 << 20,
            chunksize: 8 << 20,
        }
    }
}

/// s3transfer's `ChunksizeAdjuster`: at most 10,000 parts, each within
/// 5 MiB and 5 GiB.
pub(crate) fn adjust_chunksize(chunksize: u64, size: u64) -> u64 {
    let mut c = chunksize.max(1);
    while size.div_ceil(c) > 10_000 {
        c *= 2;
    }
    c.clamp(5 << 20, 5 << 30)
}

/// `bytes=start-end` of part `i` (the last part open-ended when `open_end`).
fn range(part: u64, i: u64, parts: u64, size: u64, open_end: bool) -> String {
    let start = i * part;
    if i == parts - 1 {
        if open_end {
            format!("bytes={start}-")
        } else {
            format!("bytes={start}-{}", size - 1)
        }
    } else {
        format!("bytes={start}-{}", start + part - 1)
    }
}

/// How an AWS CLI v2 copy carries the source's properties (`--copy-props`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CopyProps {
    /// AWS CLI v1: nothing beyond what `CopyObject` copies itself.
    V1,
    /// `none`.
    None,
    /// `metadata-directive`.
    MetadataDirective,
    /// `default`: metadata and tags.
    Default,
}

/// What every transfer shares.
pub(crate) struct Ctx<'a> {
    pub client: &'a S3Client<'a>,
    pub source: &'a S3Client<'a>,
    pub fs: &'a LocalFiles,
    pub sizes: Sizes,
    pub chunks: Arc<Semaphore>,
}

fn text(e: CallError) -> String {
    e.to_string()
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

#[cfg(unix)]
fn read_at(f: &std::fs::File, buf: &mut [u8], off: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    f.read_exact_at(buf, off)
}

#[cfg(windows)]
fn read_at(f: &std::fs::File, buf: &mut [u8], mut off: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    let mut done = 0;
    while done < buf.len() {
        let n = f.seek_read(&mut buf[done..], off)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        done += n;
        off += n as u64;
    }
    Ok(())
}

#[cfg(unix)]
fn write_at(f: &std::fs::File, buf: &[u8], off: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    f.write_all_at(buf, off)
}

#[cfg(windows)]
fn write_at(f: &std::fs::File, mut buf: &[u8], mut off: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        let n = f.seek_write(buf, off)?;
        buf = &buf[n..];
        off += n as u64;
    }
    Ok(())
}

/// botocore's parameter validation of an empty key.
fn check_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err(
            "Parameter validation failed:\nInvalid length for parameter Key, value: 0, valid min length: 1"
                .into(),
        );
    }
    Ok(())
}

/// Read `len` bytes at `off` and hash them, off the async thread.
async fn read_part(
    file: Arc<std::fs::File>,
    off: u64,
    len: u64,
    path: &str,
) -> Result<Body, String> {
    let shown = path.to_string();
    tokio::task::spawn_blocking(move || {
        let mut buf = vec![0u8; len as usize];
        read_at(&file, &mut buf, off).map_err(|e| py_os_error(&e, &shown))?;
        Ok(Body::new(Bytes::from(buf), true))
    })
    .await
    .map_err(|e| format!("reading the file failed: {e}"))?
}

/// Upload the local file `src` (`size` bytes) to `bucket`/`key` with
/// `extra` (the mapped `PutObject` parameters, content type included).
pub(crate) async fn upload(
    ctx: &Ctx<'_>,
    src: &str,
    size: u64,
    bucket: &str,
    key: &str,
    mut extra: Map<String, Value>,
) -> Result<(), String> {
    check_key(key)?;
    let file = Arc::new(ctx.fs.open_read(src).map_err(|e| e.to_string())?);
    extra
        .entry("ChecksumAlgorithm")
        .or_insert_with(|| s("CRC32"));
    let mut base = Map::new();
    base.insert("Bucket".into(), s(bucket));
    base.insert("Key".into(), s(key));
    if size < ctx.sizes.threshold {
        let _mem = ctx.chunks.acquire().await.map_err(|e| e.to_string())?;
        let body = read_part(file, 0, size, src).await?;
        let mut p = base;
        p.extend(extra);
        ctx.client
            .call(Op::PutObject, p, Some(body))
            .await
            .map_err(text)?;
        return Ok(());
    }
    let mut create = base.clone();
    create.extend(extra.clone());
    let r = ctx
        .client
        .call(Op::CreateMultipartUpload, create, None)
        .await
        .map_err(text)?;
    let upload_id = r.data["UploadId"].as_str().unwrap_or_default().to_string();
    let mut part_args = Map::new();
    for k in [
        "ChecksumAlgorithm",
        "SSECustomerKey",
        "SSECustomerAlgorithm",
        "SSECustomerKeyMD5",
        "RequestPayer",
        "ExpectedBucketOwner",
    ] {
        if let Some(v) = extra.get(k) {
            part_args.insert(k.into(), v.clone());
        }
    }
    let part = adjust_chunksize(ctx.sizes.chunksize, size);
    let parts = size.div_ceil(part);
    let result = async {
        let mut futs = FuturesUnordered::new();
        let mut done: Vec<Value> = Vec::new();
        for i in 0..parts {
            let len = if i == parts - 1 {
                size - i * part
            } else {
                part
            };
            let mut p = base.clone();
            p.insert("UploadId".into(), s(&upload_id));
            p.insert("PartNumber".into(), Value::from(i + 1));
            p.extend(part_args.clone());
            let file = file.clone();
            let chunks = ctx.chunks.clone();
            futs.push(async move {
                let _mem = chunks.acquire_owned().await.map_err(|e| e.to_string())?;
                let body = read_part(file, i * part, len, src).await?;
                let r = ctx
                    .client
                    .call(Op::UploadPart, p, Some(body))
                    .await
                    .map_err(text)?;
                let mut m = Map::new();
                m.insert("ETag".into(), r.data["ETag"].clone());
                m.insert("PartNumber".into(), Value::from(i + 1));
                if let Some(c) = r.data.get("ChecksumCRC32") {
                    m.insert("ChecksumCRC32".into(), c.clone());
                }
                Ok::<Value, String>(Value::Object(m))
            });
            // Keep the futures list short; the request and memory limits
            // decide how many run.
            while futs.len() >= super::client::MAX_CONCURRENT_REQUESTS {
                if let Some(r) = futs.next().await {
                    done.push(r?);
                }
            }
        }
        while let Some(r) = futs.next().await {
            done.push(r?);
        }
        done.sort_by_key(|v| v["PartNumber"].as_u64());
        let mut complete = base.clone();
        complete.insert("UploadId".into(), s(&upload_id));
        complete.insert("MultipartUpload".into(), json!({ "Parts": done }));
        for k in [
            "SSECustomerKey",
            "SSECustomerAlgorithm",
            "SSECustomerKeyMD5",
            "RequestPayer",
            "ExpectedBucketOwner",
        ] {
            if let Some(v) = extra.get(k) {
                complete.insert(k.into(), v.clone());
            }
        }
        ctx.client
            .call(Op::CompleteMultipartUpload, complete, None)
            .await
            .map_err(text)?;
        Ok::<(), String>(())
    }
    .await;
    if result.is_err() {
        abort(ctx.client, &base, &upload_id, &extra).await;
    }
    result
}

async fn abort(
    client: &S3Client<'_>,
    base: &Map<String, Value>,
    id: &str,
    extra: &Map<String, Value>,
) {
    let mut p = base.clone();
    p.insert("UploadId".into(), s(id));
    if let Some(v) = extra.get("RequestPayer") {
        p.insert("RequestPayer".into(), v.clone());
    }
    if let Err(e) = client.call(Op::AbortMultipartUpload, p, None).await {
        tracing::debug!(error = %e, "could not abort the multipart upload");
    }
}

/// What a download needs to know of the object.
pub(crate) struct Object<'a> {
    pub bucket: &'a str,
    pub key: &'a str,
    pub size: u64,
    pub etag: Option<&'a str>,
    pub mtime_us: Option<i64>,
}

/// Download `obj` to the local file `dest` with `extra` (the mapped
/// `GetObject` parameters).
pub(crate) async fn download(
    ctx: &Ctx<'_>,
    obj: &Object<'_>,
    dest: &str,
    extra: &Map<String, Value>,
) -> Result<(), String> {
    let dir = aws_mcp_wire::s3::paths::dirname(dest);
    if !dir.is_empty() && ctx.fs.stat(&dir).ok().flatten().is_none() {
        ctx.fs
            .make_dirs(&dir)
            .map_err(|e| format!("Could not create directory {dir}: {e}"))?;
    }
    let tmp = ctx.fs.create_temp(dest).map_err(|e| e.to_string())?;
    let file = tmp.file();
    let sink = |off: u64, data: &[u8]| write_at(file, data, off);
    let mut base = Map::new();
    base.insert("Bucket".into(), s(obj.bucket));
    base.insert("Key".into(), s(obj.key));
    base.extend(extra.clone());
    if obj.size < ctx.sizes.threshold {
        let mut p = base;
        p.entry("ChecksumMode").or_insert_with(|| s("ENABLED"));
        let (n, reply) = ctx.get(p, &sink, 0).await.map_err(text)?;
        file.set_len(n).map_err(|e| py_os_error(&e, dest))?;
        if let Some(want) = reply.data["ChecksumCRC32"].as_str() {
            if !want.contains('-') {
                check_crc32(file, n, want, dest).await?;
            }
        }
    } else {
        let part = ctx.sizes.chunksize.max(1);
        let parts = obj.size.div_ceil(part);
        let mut futs = FuturesUnordered::new();
        for i in 0..parts {
            let mut p = base.clone();
            p.insert("Range".into(), s(&range(part, i, parts, obj.size, true)));
            if let Some(e) = obj.etag {
                p.insert("IfMatch".into(), s(e));
            }
            p.entry("ChecksumMode").or_insert_with(|| s("ENABLED"));
            let sink = &sink;
            futs.push(async move { ctx.get(p, sink, i * part).await });
            while futs.len() >= super::client::MAX_CONCURRENT_REQUESTS {
                if let Some(r) = futs.next().await {
                    r.map_err(text)?;
                }
            }
        }
        while let Some(r) = futs.next().await {
            r.map_err(text)?;
        }
        file.set_len(obj.size).map_err(|e| py_os_error(&e, dest))?;
    }
    let mtime = obj.mtime_us.map(|us| us.div_euclid(1_000_000));
    ctx.fs.commit(tmp, mtime).map_err(|e| e.to_string())
}

impl Ctx<'_> {
    async fn get(
        &self,
        p: Map<String, Value>,
        sink: &(dyn Fn(u64, &[u8]) -> std::io::Result<()> + Sync),
        off: u64,
    ) -> Result<(u64, super::client::Reply), CallError> {
        self.client.get_into(p, sink, off).await
    }
}

async fn check_crc32(file: &std::fs::File, n: u64, want: &str, dest: &str) -> Result<(), String> {
    let f = file.try_clone().map_err(|e| py_os_error(&e, dest))?;
    let got = tokio::task::spawn_blocking(move || -> std::io::Result<String> {
        let mut h = crc32fast::Hasher::new();
        let mut off = 0u64;
        let mut buf = vec![0u8; 1 << 20];
        while off < n {
            let len = (n - off).min(buf.len() as u64) as usize;
            read_at(&f, &mut buf[..len], off)?;
            h.update(&buf[..len]);
            off += len as u64;
        }
        Ok(base64::engine::general_purpose::STANDARD.encode(h.finalize().to_be_bytes()))
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| py_os_error(&e, dest))?;
    if got != want {
        return Err(format!(
            "Expected checksum {want} did not match calculated checksum: {got}"
        ));
    }
    Ok(())
}

/// botocore's `CopySource` header for `{Bucket, Key}`.
pub(crate) fn copy_source(bucket: &str, key: &str) -> String {
    let k = percent_encode(key, b"/");
    if bucket.starts_with("arn:") {
        format!("{bucket}/object/{k}")
    } else {
        format!("{bucket}/{k}")
    }
}

/// The source of a copy.
pub(crate) struct CopySrc<'a> {
    pub bucket: &'a str,
    pub key: &'a str,
    pub size: u64,
    pub etag: Option<&'a str>,
}

/// Copy `src` to `bucket`/`key` with `extra` (the mapped `CopyObject`
/// parameters).
pub(crate) async fn copy(
    ctx: &Ctx<'_>,
    src: &CopySrc<'_>,
    bucket: &str,
    key: &str,
    mut extra: Map<String, Value>,
    props: CopyProps,
    head_params: &Map<String, Value>,
) -> Result<(), String> {
    check_key(key)?;
    let multipart = src.size >= ctx.sizes.threshold;
    let mut tags: Option<Value> = None;
    apply_copy_props(
        ctx,
        src,
        &mut extra,
        props,
        multipart,
        head_params,
        &mut tags,
    )
    .await?;
    let mut base = Map::new();
    base.insert("Bucket".into(), s(bucket));
    base.insert("Key".into(), s(key));
    let cs = copy_source(src.bucket, src.key);
    if !multipart {
        let mut p = base;
        p.insert("CopySource".into(), s(&cs));
        p.extend(extra);
        ctx.client
            .call(Op::CopyObject, p, None)
            .await
            .map_err(text)?;
        return Ok(());
    }
    let mut create = base.clone();
    for (k, v) in &extra {
        let blocked = k.starts_with("CopySource")
            || matches!(
                k.as_str(),
                "MetadataDirective" | "TaggingDirective" | "AnnotationDirective" | "Tagging"
            );
        if !blocked {
            create.insert(k.clone(), v.clone());
        }
    }
    if let Some(Value::String(t)) = &tags {
        create.insert("Tagging".into(), s(t));
    }
    let r = ctx
        .client
        .call(Op::CreateMultipartUpload, create, None)
        .await
        .map_err(text)?;
    let upload_id = r.data["UploadId"].as_str().unwrap_or_default().to_string();
    let mut part_args = Map::new();
    for k in [
        "CopySourceIfMatch",
        "CopySourceIfModifiedSince",
        "CopySourceIfNoneMatch",
        "CopySourceIfUnmodifiedSince",
        "CopySourceSSECustomerKey",
        "CopySourceSSECustomerAlgorithm",
        "CopySourceSSECustomerKeyMD5",
        "SSECustomerKey",
        "SSECustomerAlgorithm",
        "SSECustomerKeyMD5",
        "RequestPayer",
        "ExpectedBucketOwner",
    ] {
        if let Some(v) = extra.get(k) {
            part_args.insert(k.into(), v.clone());
        }
    }
    let part = adjust_chunksize(ctx.sizes.chunksize, src.size);
    let parts = src.size.div_ceil(part);
    let result = async {
        let mut futs = FuturesUnordered::new();
        let mut done = Vec::new();
        for i in 0..parts {
            let mut p = base.clone();
            p.insert("UploadId".into(), s(&upload_id));
            p.insert("PartNumber".into(), Value::from(i + 1));
            p.insert("CopySource".into(), s(&cs));
            p.insert(
                "CopySourceRange".into(),
                s(&range(part, i, parts, src.size, false)),
            );
            if let Some(e) = src.etag {
                p.insert("CopySourceIfMatch".into(), s(e));
            }
            p.extend(part_args.clone());
            futs.push(async move {
                let r = ctx
                    .client
                    .call(Op::UploadPartCopy, p, None)
                    .await
                    .map_err(text)?;
                Ok::<Value, String>(json!({
                    "ETag": r.data["CopyPartResult"]["ETag"],
                    "PartNumber": i + 1,
                }))
            });
            while futs.len() >= super::client::MAX_CONCURRENT_REQUESTS {
                if let Some(r) = futs.next().await {
                    done.push(r?);
                }
            }
        }
        while let Some(r) = futs.next().await {
            done.push(r?);
        }
        done.sort_by_key(|v| v["PartNumber"].as_u64());
        let mut complete = base.clone();
        complete.insert("UploadId".into(), s(&upload_id));
        complete.insert("MultipartUpload".into(), json!({ "Parts": done }));
        for k in [
            "SSECustomerKey",
            "SSECustomerAlgorithm",
            "SSECustomerKeyMD5",
            "RequestPayer",
            "ExpectedBucketOwner",
        ] {
            if let Some(v) = extra.get(k) {
                complete.insert(k.into(), v.clone());
            }
        }
        ctx.client
            .call(Op::CompleteMultipartUpload, complete, None)
            .await
            .map_err(text)?;
        if let Some(set @ Value::Array(_)) = &tags {
            let mut p = base.clone();
            p.insert("Tagging".into(), json!({ "TagSet": set }));
            if let Err(e) = ctx.client.call(Op::PutObjectTagging, p, None).await {
                let mut d = base.clone();
                if let Some(v) = extra.get("RequestPayer") {
                    d.insert("RequestPayer".into(), v.clone());
                }
                let _ = ctx.client.call(Op::DeleteObject, d, None).await;
                return Err(text(e));
            }
        }
        Ok::<(), String>(())
    }
    .await;
    if result.is_err() {
        abort(ctx.client, &base, &upload_id, &extra).await;
    }
    result
}

const METADATA_PROPS: [&str; 7] = [
    "CacheControl",
    "ContentDisposition",
    "ContentEncoding",
    "ContentLanguage",
    "ContentType",
    "Expires",
    "Metadata",
];

/// AWS CLI v2's `--copy-props` (`CopyPropsSubscriberFactory`): `none`
/// replaces metadata and tags; `metadata-directive` and `default` carry
/// the source's metadata into multipart copies (and into single copies
/// that set a metadata property, which then replace); `default` carries
/// tags into multipart copies too (in the `Tagging` header when they fit
/// in 2 KiB, else by `PutObjectTagging` afterwards).
async fn apply_copy_props(
    ctx: &Ctx<'_>,
    src: &CopySrc<'_>,
    extra: &mut Map<String, Value>,
    props: CopyProps,
    multipart: bool,
    head_params: &Map<String, Value>,
    tags: &mut Option<Value>,
) -> Result<(), String> {
    match props {
        CopyProps::V1 => return Ok(()),
        CopyProps::None => {
            extra.insert("MetadataDirective".into(), s("REPLACE"));
            extra.insert("TaggingDirective".into(), s("REPLACE"));
            return Ok(());
        }
        CopyProps::MetadataDirective | CopyProps::Default => {}
    }
    let explicit = METADATA_PROPS.iter().any(|k| extra.contains_key(*k));
    if multipart || explicit {
        if !multipart {
            extra.insert("MetadataDirective".into(), s("REPLACE"));
        }
        let mut p = Map::new();
        p.insert("Bucket".into(), s(src.bucket));
        p.insert("Key".into(), s(src.key));
        p.extend(head_params.clone());
        let head = ctx
            .source
            .call(Op::HeadObject, p, None)
            .await
            .map_err(text)?
            .data;
        for k in METADATA_PROPS {
            if !extra.contains_key(k) {
                if let Some(v) = head.get(k) {
                    extra.insert(k.into(), v.clone());
                }
            }
        }
    }
    if props == CopyProps::MetadataDirective {
        extra.insert("TaggingDirective".into(), s("REPLACE"));
    } else if multipart {
        let mut p = Map::new();
        p.insert("Bucket".into(), s(src.bucket));
        p.insert("Key".into(), s(src.key));
        if let Some(v) = extra.get("RequestPayer") {
            p.insert("RequestPayer".into(), v.clone());
        }
        let r = ctx
            .source
            .call(Op::GetObjectTagging, p, None)
            .await
            .map_err(text)?
            .data;
        let set: Vec<Value> = r["TagSet"].as_array().cloned().unwrap_or_default();
        if !set.is_empty() {
            let header: Vec<String> = set
                .iter()
                .map(|t| {
                    format!(
                        "{}={}",
                        percent_encode(t["Key"].as_str().unwrap_or(""), b""),
                        percent_encode(t["Value"].as_str().unwrap_or(""), b"")
                    )
                })
                .collect();
            let header = header.join("&");
            *tags = Some(if header.len() <= 2048 {
                Value::String(header)
            } else {
                Value::Array(set)
            });
        }
    }
    Ok(())
}

/// `DeleteObject` of `bucket`/`key`.
pub(crate) async fn delete_object(
    client: &S3Client<'_>,
    bucket: &str,
    key: &str,
    payer: &Map<String, Value>,
) -> Result<(), String> {
    let mut p = Map::new();
    p.insert("Bucket".into(), s(bucket));
    p.insert("Key".into(), s(key));
    p.extend(payer.clone());
    client
        .call(Op::DeleteObject, p, None)
        .await
        .map(|_| ())
        .map_err(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_and_ranges_like_s3transfer() {
        assert_eq!(adjust_chunksize(8 << 20, 20 << 20), 8 << 20);
        assert_eq!(adjust_chunksize(1, 10), 5 << 20);
        // 100 GiB in 8 MiB parts would be 12,800 parts: doubled once.
        assert_eq!(adjust_chunksize(8 << 20, 100 << 30), 16 << 20);
        assert_eq!(adjust_chunksize(10 << 30, 1), 5 << 30);
        let p = 8 << 20;
        assert_eq!(range(p, 0, 3, 20 << 20, true), "bytes=0-8388607");
        assert_eq!(range(p, 2, 3, 20 << 20, true), "bytes=16777216-");
        assert_eq!(range(p, 2, 3, 20 << 20, false), "bytes=16777216-20971519");
        assert_eq!(copy_source("b", "d/a b+c"), "b/d/a%20b%2Bc");
        assert_eq!(
            copy_source("arn:aws:s3:us-west-2:123456789012:accesspoint/ap", "k"),
            "arn:aws:s3:us-west-2:123456789012:accesspoint/ap/object/k"
        );
    }
}
