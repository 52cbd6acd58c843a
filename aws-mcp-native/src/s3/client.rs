//! The S3 API calls behind the high-level commands, through the executor's
//! own machinery: the core's rest-xml serializer and parser, botocore's S3
//! request rules (`quirks`), the S3 endpoint rule set per call (bucket
//! names choose virtual-hosted or path-style addressing), SigV4 with S3's
//! rules, retries like the rest of the executor, and a bound on requests in
//! flight (the CLI's `max_concurrent_requests`, 10).
//!
//! Bodies are bytes the caller already holds (a part of at most the chunk
//! size, hashed off the async thread); `GetObject` streams its body into a
//! file at an offset, so a download never holds more than a network frame.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aws_credential_types::Credentials;
use aws_mcp_core::catalog::{OperationModel, Service};
use aws_mcp_wire::endpoint::RuleSet;
use aws_mcp_wire::protocol::parse::{parse_response, ParseOptions};
use aws_mcp_wire::protocol::serialize::{serialize, SerializeOptions};
use aws_mcp_wire::protocol::{ApiError, HttpResponse, Protocol, ServiceModel};
use aws_sigv4::http_request::SignableBody;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use serde_json::{Map, Value};
use tokio::sync::Semaphore;

use crate::retry::{self, Policy, Quota, RateLimiter, RetryMode};
use crate::transport::{self, HttpClient};
use crate::{endpoint, join_url, NativeError, NativeExecutor};

/// The S3 operations the high-level commands call: (s3api command, API name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Op {
    ListBuckets,
    ListObjectsV2,
    HeadObject,
    GetObject,
    PutObject,
    CopyObject,
    CreateMultipartUpload,
    UploadPart,
    UploadPartCopy,
    CompleteMultipartUpload,
    AbortMultipartUpload,
    DeleteObject,
    CreateBucket,
    DeleteBucket,
    PutBucketWebsite,
    GetObjectTagging,
    PutObjectTagging,
}

impl Op {
    fn command(self) -> &'static str {
        match self {
            Op::ListBuckets => "list-buckets",
            Op::ListObjectsV2 => "list-objects-v2",
            Op::HeadObject => "head-object",
            Op::GetObject => "get-object",
            Op::PutObject => "put-object",
            Op::CopyObject => "copy-object",
            Op::CreateMultipartUpload => "create-multipart-upload",
            Op::UploadPart => "upload-part",
            Op::UploadPartCopy => "upload-part-copy",
            Op::CompleteMultipartUpload => "complete-multipart-upload",
            Op::AbortMultipartUpload => "abort-multipart-upload",
            Op::DeleteObject => "delete-object",
            Op::CreateBucket => "create-bucket",
            Op::DeleteBucket => "delete-bucket",
            Op::PutBucketWebsite => "put-bucket-website",
            Op::GetObjectTagging => "get-object-tagging",
            Op::PutObjectTagging => "put-object-tagging",
        }
    }

    /// Whether sending the request again after it may have been acted on
    /// (a lost response, a 5xx) leaves the same state: reads, and writes of
    /// a given key or part (the same bytes again, a delete again). The two
    /// that create something new each time (a multipart upload, a bucket)
    /// are retried only when the request surely was not acted on (no
    /// connection, throttling, 429), as the executor's writes without an
    /// idempotency token are.
    fn repeatable(self) -> bool {
        !matches!(self, Op::CreateMultipartUpload | Op::CreateBucket)
    }

    /// The API name (`PutObject`), as error messages name it.
    pub(crate) fn api(self) -> &'static str {
        match self {
            Op::ListBuckets => "ListBuckets",
            Op::ListObjectsV2 => "ListObjectsV2",
            Op::HeadObject => "HeadObject",
            Op::GetObject => "GetObject",
            Op::PutObject => "PutObject",
            Op::CopyObject => "CopyObject",
            Op::CreateMultipartUpload => "CreateMultipartUpload",
            Op::UploadPart => "UploadPart",
            Op::UploadPartCopy => "UploadPartCopy",
            Op::CompleteMultipartUpload => "CompleteMultipartUpload",
            Op::AbortMultipartUpload => "AbortMultipartUpload",
            Op::DeleteObject => "DeleteObject",
            Op::CreateBucket => "CreateBucket",
            Op::DeleteBucket => "DeleteBucket",
            Op::PutBucketWebsite => "PutBucketWebsite",
            Op::GetObjectTagging => "GetObjectTagging",
            Op::PutObjectTagging => "PutObjectTagging",
        }
    }
}

/// Why a call failed: the API's error, or one before AWS answered.
#[derive(Debug, Clone)]
pub(crate) enum CallError {
    /// AWS answered with an error.
    Api { op: Op, err: ApiError },
    /// The request could not be made.
    Native(NativeError),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Api { op, err } => f.write_str(&aws_mcp_wire::s3::output::client_error(
                &err.code,
                op.api(),
                &err.message,
            )),
            CallError::Native(e) => write!(f, "{e}"),
        }
    }
}

impl From<NativeError> for CallError {
    fn from(e: NativeError) -> Self {
        CallError::Native(e)
    }
}

/// A successful answer.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    /// The parsed output (headers and body members), as the CLI would print it.
    pub data: Value,
}

/// A request body and its hashes, computed off the async thread.
#[derive(Debug, Clone)]
pub(crate) struct Body {
    pub bytes: Bytes,
    /// Hex SHA-256 of the bytes (the SigV4 payload hash).
    pub sha256_hex: String,
    /// Base64 big-endian CRC32 (`x-amz-checksum-crc32`), when sent.
    pub crc32_b64: Option<String>,
}

impl Body {
    /// Hash `bytes` (SHA-256, and CRC32 when `crc32`).
    pub(crate) fn new(bytes: Bytes, crc32: bool) -> Body {
        use base64::Engine as _;
        use sha2::Digest as _;
        let sha = sha2::Sha256::digest(&bytes);
        let sha256_hex = sha.iter().map(|b| format!("{b:02x}")).collect();
        let crc32_b64 = crc32.then(|| {
            let c = crc32fast::hash(&bytes);
            base64::engine::general_purpose::STANDARD.encode(c.to_be_bytes())
        });
        Body {
            bytes,
            sha256_hex,
            crc32_b64,
        }
    }
}

/// S3 for one command: region, credentials, endpoint override and client.
pub(crate) struct S3Client<'e> {
    ex: &'e NativeExecutor,
    service: Service<'static>,
    region: String,
    creds: Option<Credentials>,
    override_url: Option<String>,
    http: Arc<HttpClient>,
    rules: Arc<RuleSet>,
    ops: Mutex<HashMap<Op, Arc<OperationModel>>>,
    requests: Arc<Semaphore>,
    retry: Policy,
}

/// The CLI's `max_concurrent_requests`.
pub(crate) const MAX_CONCURRENT_REQUESTS: usize = 10;

impl<'e> S3Client<'e> {
    pub(crate) async fn new(
        ex: &'e NativeExecutor,
        region: String,
        creds: Option<Credentials>,
        override_url: Option<String>,
        http: Arc<HttpClient>,
        requests: Arc<Semaphore>,
        retry: Policy,
    ) -> Result<S3Client<'e>, NativeError> {
        let service = ex
            .catalog
            .service("s3api")
            .ok_or_else(|| NativeError::Config("the catalog has no s3api service".into()))?;
        let rules = ex.rules(service).await?;
        Ok(S3Client {
            ex,
            service,
            region,
            creds,
            override_url,
            http,
            rules,
            ops: Mutex::new(HashMap::new()),
            requests,
            retry,
        })
    }

    /// The region requests go to.
    pub(crate) fn region(&self) -> &str {
        &self.region
    }

    /// The credentials requests are signed with (`None`: unsigned).
    pub(crate) fn credentials(&self) -> Option<&Credentials> {
        self.creds.as_ref()
    }

    fn op(&self, op: Op) -> Result<Arc<OperationModel>, NativeError> {
        let mut ops = self.ops.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(o) = ops.get(&op) {
            return Ok(o.clone());
        }
        let cmd = self
            .service
            .command(op.command())
            .ok_or_else(|| NativeError::Config(format!("no s3api {}", op.command())))?;
        let detail = cmd
            .detail()
            .map_err(|e| NativeError::Config(e.to_string()))?;
        let model = detail
            .op
            .as_deref()
            .ok_or_else(|| NativeError::Config(format!("s3api {} has no model", op.command())))?
            .clone();
        let model = Arc::new(model);
        ops.insert(op, model.clone());
        Ok(model)
    }

    fn model(&self) -> Result<ServiceModel<'static>, NativeError> {
        let md = self
            .service
            .metadata()
            .ok_or_else(|| NativeError::Config("s3 has no API model".into()))?;
        Ok(ServiceModel {
            metadata: md,
            shapes: self
                .service
                .shapes()
                .map_err(|e| NativeError::Config(e.to_string()))?,
            protocol: Protocol::RestXml,
        })
    }

    /// The URL, headers and body of one call, signed (a fresh signature per
    /// attempt), plus what parsing needs.
    fn build(
        &self,
        op: Op,
        params: &Map<String, Value>,
        body: Option<&Body>,
    ) -> Result<Built, NativeError> {
        let model = self.model()?;
        let mut opm = (*self.op(op)?).clone();
        let mut p = params.clone();
        // CopySource is botocore's dict form, already quoted
        // (`transfer::copy_source`: the key only, ARN buckets as
        // `arn/object/key`): the string form's quoting, which `quirks`
        // applies to `s3api copy-object --copy-source`, must not apply twice.
        let copy_source = p.remove("CopySource");
        let applied = crate::quirks::before_request("s3", op.api(), &mut opm, model.shapes, &mut p);
        if let Some(cs) = copy_source {
            p.insert("CopySource".into(), cs);
        }
        let input = opm.input.as_ref().and_then(|r| model.shapes.get(&r.shape));
        let ep = endpoint::resolve(
            &self.rules,
            self.ex.partitions()?,
            &opm,
            input,
            &p,
            &self.region,
            self.override_url.as_deref(),
            &self.ex.env,
        )?;
        // An upload's body (and its CRC32, `Body`) is the caller's.
        let mut opts = SerializeOptions::default();
        opts.external_payload = body.is_some();
        let req = serialize(&model, op.api(), &opm, &p, &opts)
            .map_err(|e| NativeError::Request(e.to_string()))?;
        let url = join_url(&ep.url, &req.path, req.host_prefix.as_deref());
        Ok(Built {
            url,
            method: req.method,
            headers: req
                .headers
                .into_iter()
                .chain(ep.headers.iter().cloned())
                .collect(),
            body: match body {
                Some(b) => b.clone(),
                None => Body {
                    sha256_hex: EMPTY_SHA256.to_string(),
                    bytes: Bytes::from(req.body),
                    crc32_b64: None,
                },
            },
            signing_name: ep.signing_name.unwrap_or_else(|| "s3".into()),
            signing_region: ep.signing_region.unwrap_or_else(|| self.region.clone()),
            opm,
            applied,
        })
    }

    fn signed(&self, b: &Built) -> Result<http::Request<Full<Bytes>>, NativeError> {
        let mut builder = http::Request::builder()
            .method(b.method.as_str())
            .uri(&b.url);
        for (k, v) in &b.headers {
            builder = builder.header(k, v);
        }
        if let Some(c) = &b.body.crc32_b64 {
            builder = builder.header("x-amz-checksum-crc32", c);
        }
        if b.body.bytes.is_empty() && matches!(b.method.as_str(), "PUT" | "POST") {
            builder = builder.header("content-length", "0");
        }
        builder = builder.header(
            "User-Agent",
            concat!("aws-mcp/", env!("CARGO_PKG_VERSION"), " native s3"),
        );
        let mut hreq = builder
            .body(Full::new(b.body.bytes.clone()))
            .map_err(|e| NativeError::Request(e.to_string()))?;
        if let Some(creds) = &self.creds {
            let spec = transport::SignSpec {
                name: &b.signing_name,
                region: &b.signing_region,
                s3: true,
            };
            let body = if b.body.bytes.is_empty() {
                SignableBody::Bytes(&[])
            } else {
                SignableBody::Precomputed(b.body.sha256_hex.clone())
            };
            transport::sign_request_with(&mut hreq, body, creds, &spec)?;
        }
        Ok(hreq)
    }

    /// One call with retries.
    pub(crate) async fn call(
        &self,
        op: Op,
        params: Map<String, Value>,
        body: Option<Body>,
    ) -> Result<Reply, CallError> {
        let built = self.build(op, &params, body.as_ref())?;
        let model = self.model()?;
        let mut tries = self.attempts(op);
        loop {
            tries.before_send().await;
            let req = self.signed(&built)?;
            let sent = {
                let _permit =
                    self.requests.acquire().await.map_err(|_| {
                        NativeError::Config("the request limiter was closed".into())
                    })?;
                self.http.send(req, crate::MAX_BODY).await
            };
            let (status, headers, rbody) = match sent {
                Ok(r) => r,
                Err(e) => {
                    tries.lost(e).await?;
                    continue;
                }
            };
            let resp = HttpResponse {
                status,
                headers: &headers,
                body: &rbody,
            };
            let parsed = parse_response(&model, op.api(), &built.opm, &resp, &PARSE)
                .map_err(|e| NativeError::Response(e.to_string()))?;
            match parsed {
                Ok(v) => {
                    tries.succeeded();
                    let data = crate::quirks::after_response(op.api(), built.applied, v);
                    return Ok(Reply { data });
                }
                Err(err) => {
                    if tries.retry_error(status, &err.code).await {
                        continue;
                    }
                    return Err(CallError::Api { op, err });
                }
            }
        }
    }

    /// `GetObject` with its body written to `sink` at `offset` as it
    /// arrives; the number of bytes written and the parsed headers.
    pub(crate) async fn get_into(
        &self,
        params: Map<String, Value>,
        sink: &(dyn Fn(u64, &[u8]) -> std::io::Result<()> + Sync),
        offset: u64,
    ) -> Result<(u64, Reply), CallError> {
        let op = Op::GetObject;
        let built = self.build(op, &params, None)?;
        let model = self.model()?;
        let mut tries = self.attempts(op);
        'attempts: loop {
            tries.before_send().await;
            let req = self.signed(&built)?;
            let permit = self
                .requests
                .acquire()
                .await
                .map_err(|_| NativeError::Config("the request limiter was closed".into()))?;
            let resp = match self.http.send_streaming(req).await {
                Ok(r) => r,
                Err(e) => {
                    drop(permit);
                    tries.lost(e).await?;
                    continue;
                }
            };
            let status = resp.status().as_u16();
            let headers = crate::transport::header_pairs(resp.headers());
            let mut body = resp.into_body();
            if status >= 300 {
                let mut buf = Vec::new();
                while let Some(frame) = body.frame().await {
                    match frame {
                        Ok(f) => {
                            if let Some(d) = f.data_ref() {
                                if buf.len() + d.len() <= 1 << 20 {
                                    buf.extend_from_slice(d);
                                }
                            }
                        }
                        Err(_) => break,
                    }
                }
                let r = HttpResponse {
                    status,
                    headers: &headers,
                    body: &buf,
                };
                let parsed = parse_response(&model, op.api(), &built.opm, &r, &PARSE)
                    .map_err(|e| NativeError::Response(e.to_string()))?;
                match parsed {
                    Ok(_) => {
                        return Err(
                            NativeError::Response(format!("unexpected status {status}")).into()
                        )
                    }
                    Err(err) => {
                        drop(permit);
                        if tries.retry_error(status, &err.code).await {
                            continue;
                        }
                        return Err(CallError::Api { op, err });
                    }
                }
            }
            let mut written = 0u64;
            while let Some(frame) = body.frame().await {
                let frame = match frame {
                    Ok(f) => f,
                    Err(e) => {
                        // A download cut short: sent again (a read).
                        tracing::debug!(error = %e, "a broken download");
                        drop(permit);
                        tries
                            .lost(transport::SendError::MaybeSent(e.to_string()))
                            .await?;
                        continue 'attempts;
                    }
                };
                if let Some(d) = frame.data_ref() {
                    sink(offset + written, d)
                        .map_err(|e| CallError::Native(NativeError::Response(e.to_string())))?;
                    written += d.len() as u64;
                }
            }
            let r = HttpResponse {
                status,
                headers: &headers,
                body: &[],
            };
            let data = parse_response(&model, op.api(), &built.opm, &r, &PARSE)
                .map_err(|e| NativeError::Response(e.to_string()))?
                .map_err(|err| CallError::Api { op, err })?;
            tries.succeeded();
            return Ok((written, Reply { data }));
        }
    }

    /// The URL of a GET of `bucket`/`key` (for `presign`): the endpoint
    /// resolved for the bucket, the key encoded into the path.
    pub(crate) fn object_url(
        &self,
        bucket: &str,
        key: &str,
    ) -> Result<(String, String), NativeError> {
        let mut p = Map::new();
        p.insert("Bucket".into(), Value::String(bucket.to_string()));
        p.insert("Key".into(), Value::String(key.to_string()));
        let b = self.build(Op::GetObject, &p, None)?;
        Ok((b.url, b.signing_region))
    }
}

struct Built {
    url: String,
    method: String,
    headers: Vec<(String, String)>,
    body: Body,
    signing_name: String,
    signing_region: String,
    opm: OperationModel,
    applied: crate::quirks::Applied,
}

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// What the CLI prints (timestamps and blobs as received).
const PARSE: ParseOptions = ParseOptions::CLI;

/// The attempts of one call under the command's retry policy (botocore's
/// mode, attempts and backoff; the executor's retry quota and adaptive rate
/// limiter, as the generated operations use them), with one rule of this
/// executor on top: an operation that is not [`Op::repeatable`] is sent
/// again only when it surely was not acted on (no connection, throttling,
/// 429).
struct Attempts<'a> {
    op: Op,
    policy: Policy,
    quota: Option<&'a Quota>,
    limiter: Option<&'a RateLimiter>,
    attempt: u32,
    /// What the last retry took from the quota (given back on success).
    taken: Option<u32>,
}

impl S3Client<'_> {
    fn attempts(&self, op: Op) -> Attempts<'_> {
        let mode = self.retry.mode();
        Attempts {
            op,
            policy: self.retry,
            quota: (mode != RetryMode::Legacy).then_some(&self.ex.quota),
            limiter: (mode == RetryMode::Adaptive).then_some(&self.ex.limiter),
            attempt: 0,
            taken: None,
        }
    }
}

impl Attempts<'_> {
    /// Count an attempt; in adaptive mode, wait for the rate limiter.
    async fn before_send(&mut self) {
        self.attempt += 1;
        if let Some(l) = self.limiter {
            let wait = l.wait_before_send();
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
        }
    }

    fn take(&mut self, cost: u32) -> bool {
        match self.quota {
            None => true,
            Some(q) if q.acquire(cost) => {
                self.taken = Some(cost);
                true
            }
            Some(_) => false,
        }
    }

    async fn backoff(&self) {
        tokio::time::sleep(self.policy.delay(self.attempt, retry::random())).await;
    }

    /// The call succeeded.
    fn succeeded(&mut self) {
        if let Some(l) = self.limiter {
            l.record(false);
        }
        if let Some(q) = self.quota {
            q.release(self.taken.take().unwrap_or(1));
        }
    }

    /// An API error: whether to send the request again (after the backoff).
    async fn retry_error(&mut self, status: u16, code: &str) -> bool {
        if let Some(l) = self.limiter {
            l.record(retry::is_throttling(code));
        }
        let unprocessed = status == 429 || transport::not_processed_code(code);
        let retry = self.attempt < self.policy.max_attempts()
            && self.policy.retryable(status, code)
            && (self.op.repeatable() || unprocessed)
            && self.take(Quota::RETRY_COST);
        if retry {
            tracing::debug!(attempt = self.attempt, code, "retrying");
            self.backoff().await;
        }
        retry
    }

    /// No (complete) response: `Ok` to send the request again (after the
    /// backoff), else the error. A lost response is retried only for a
    /// repeatable operation.
    async fn lost(&mut self, e: transport::SendError) -> Result<(), NativeError> {
        use transport::SendError;
        let text = match e {
            SendError::Failed(e) => return Err(e),
            SendError::MaybeSent(e) if !self.op.repeatable() => {
                return Err(NativeError::MaybeApplied(format!(
                    "the connection was lost after the request was sent ({e}); {} creates something new each time, so it was not sent again: it may have been applied. Check whether it took effect before running the command again",
                    self.op.api()
                )))
            }
            SendError::NotSent(e) | SendError::MaybeSent(e) => e,
        };
        if let Some(l) = self.limiter {
            l.record(false);
        }
        let cost = if text.contains("timeout") {
            Quota::TIMEOUT_COST
        } else {
            Quota::RETRY_COST
        };
        if self.attempt >= self.policy.max_attempts() || !self.take(cost) {
            return Err(NativeError::Http(text));
        }
        tracing::debug!(attempt = self.attempt, error = %text, "retrying after a connection error");
        self.backoff().await;
        Ok(())
    }
}
