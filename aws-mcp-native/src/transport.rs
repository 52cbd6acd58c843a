//! Sending: credentials from the standard provider chain, SigV4 signing,
//! one shared HTTP client (through an HTTP proxy when `HTTPS_PROXY` /
//! `HTTP_PROXY` / `ALL_PROXY` say so and `NO_PROXY` does not, as botocore
//! does), retries with backoff.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SigningSettings,
    UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
pub use hyper_util::client::proxy::matcher::Matcher;
use tokio::sync::Mutex;

use crate::NativeError;

type Https = hyper_rustls::HttpsConnector<ProxyConnector>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// TCP connections, direct or through an HTTP proxy's `CONNECT` tunnel
/// (TLS then runs end to end inside the tunnel).
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    direct: HttpConnector,
    proxies: Option<Arc<Matcher>>,
}

impl tower_service::Service<http::Uri> for ProxyConnector {
    type Response = hyper_util::rt::TokioIo<tokio::net::TcpStream>;
    type Error = BoxError;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Self::Response, BoxError>> + Send>,
    >;

    fn poll_ready(
        &mut self,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), BoxError>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        let mut direct = self.direct.clone();
        match self.proxies.as_ref().and_then(|m| m.intercept(&dst)) {
            None => Box::pin(async move { direct.call(dst).await.map_err(Into::into) }),
            Some(via) => {
                let mut tunnel = Tunnel::new(via.uri().clone(), direct);
                if let Some(auth) = via.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                Box::pin(async move { tunnel.call(dst).await.map_err(Into::into) })
            }
        }
    }
}

/// The proxy settings of an environment lookup (`HTTPS_PROXY`,
/// `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, upper or lower case), or `None`
/// when no proxy is set.
pub fn proxies_from_lookup(get: impl Fn(&str) -> Option<String>) -> Option<Matcher> {
    let var = |k: &str| {
        get(k)
            .or_else(|| get(&k.to_ascii_lowercase()))
            .filter(|v| !v.trim().is_empty())
    };
    let (all, http, https) = (var("ALL_PROXY"), var("HTTP_PROXY"), var("HTTPS_PROXY"));
    if all.is_none() && http.is_none() && https.is_none() {
        return None;
    }
    let mut b = Matcher::builder();
    if let Some(v) = all {
        b = b.all(v);
    }
    if let Some(v) = http {
        b = b.http(v);
    }
    if let Some(v) = https {
        b = b.https(v);
    }
    if let Some(v) = var("NO_PROXY") {
        b = b.no(v);
    }
    Some(b.build())
}

/// The shared HTTP client (HTTP/1.1, rustls with the system's roots).
#[derive(Clone)]
pub(crate) struct HttpClient {
    client: Client<Https, Full<Bytes>>,
}

impl HttpClient {
    pub(crate) fn new(
        connect_timeout: Duration,
        proxies: Option<Arc<Matcher>>,
    ) -> Result<HttpClient, NativeError> {
        let mut http = HttpConnector::new();
        http.set_connect_timeout(Some(connect_timeout));
        http.enforce_http(false);
        http.set_nodelay(true);
        let connector = ProxyConnector {
            direct: http,
            proxies,
        };
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_native_roots()
            .map_err(|e| NativeError::Config(format!("no TLS root certificates: {e}")))?
            .https_or_http()
            .enable_http1()
            .wrap_connector(connector);
        let client = Client::builder(hyper_util::rt::TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(https);
        Ok(HttpClient { client })
    }

    /// Send one request; the response with its body still to be read. A
    /// failure says whether the request may have reached the server, as
    /// [`HttpClient::send`]'s does.
    pub(crate) async fn send_streaming(
        &self,
        req: http::Request<Full<Bytes>>,
    ) -> Result<http::Response<hyper::body::Incoming>, SendError> {
        self.client.request(req).await.map_err(|e| {
            let text = format!("{e}: {}", source_chain(&e));
            if e.is_connect() {
                SendError::NotSent(text)
            } else {
                SendError::MaybeSent(text)
            }
        })
    }

    /// Send one request; the response's status, headers and body. A failure
    /// says whether the request may have reached the server
    /// ([`SendError::MaybeSent`]) or surely did not ([`SendError::NotSent`]:
    /// the connection could not be made).
    pub(crate) async fn send(
        &self,
        req: http::Request<Full<Bytes>>,
        body_cap: usize,
    ) -> Result<(u16, Vec<(String, String)>, Vec<u8>), SendError> {
        let url = req.uri().to_string();
        let resp = self.client.request(req).await.map_err(|e| {
            tracing::debug!(error = %e, chain = %source_chain(&e), "request failed");
            let text = connection_error(&url, &e);
            if e.is_connect() {
                SendError::NotSent(text)
            } else {
                SendError::MaybeSent(text)
            }
        })?;
        let status = resp.status().as_u16();
        let headers = header_pairs(resp.headers());
        let mut body = resp.into_body();
        let mut buf = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| {
                SendError::MaybeSent(format!(
                    "An error occurred while reading from response stream: {e}"
                ))
            })?;
            if let Some(d) = frame.data_ref() {
                if buf.len() + d.len() > body_cap {
                    return Err(SendError::Failed(NativeError::TooLarge(body_cap)));
                }
                buf.extend_from_slice(d);
            }
        }
        Ok((status, headers, buf))
    }
}

/// botocore's wording of a failed request (`EndpointConnectionError`,
/// `ConnectTimeoutError`, `ConnectionClosedError`), which the AWS CLI
/// prints as is.
fn connection_error(url: &str, e: &hyper_util::client::legacy::Error) -> String {
    let chain = source_chain(e).to_ascii_lowercase();
    if e.is_connect() {
        if chain.contains("timed out") || chain.contains("timeout") {
            format!("Connect timeout on endpoint URL: \"{url}\"")
        } else {
            format!("Could not connect to the endpoint URL: \"{url}\"")
        }
    } else {
        format!(
            "Connection was closed before we received a valid response from endpoint URL: \"{url}\"."
        )
    }
}

/// Why [`HttpClient::send`] got no complete response.
#[derive(Debug)]
pub(crate) enum SendError {
    /// The connection could not be made: the request did not leave.
    NotSent(String),
    /// The connection failed after the request may have been written (a
    /// dropped or cut response): the server may have acted on it.
    MaybeSent(String),
    /// Anything else (a response over the size limit).
    Failed(NativeError),
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut out = Vec::new();
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push(s.to_string());
        cur = s.source();
    }
    out.join(": ")
}

/// Credentials and default regions per profile, loaded once from the
/// standard chain (environment, profile files, SSO, web identity, container,
/// instance metadata) and refreshed before they expire.
#[derive(Default)]
pub(crate) struct Identity {
    configs: Mutex<HashMap<Option<String>, Arc<aws_config::SdkConfig>>>,
    cached: Mutex<HashMap<Option<String>, Credentials>>,
    /// Credentials given by the embedder, used instead of the chain.
    pub(crate) fixed: Option<Credentials>,
}

impl Identity {
    async fn config(&self, profile: Option<&str>) -> Arc<aws_config::SdkConfig> {
        let key = profile.map(str::to_string);
        let mut map = self.configs.lock().await;
        if let Some(c) = map.get(&key) {
            return c.clone();
        }
        // The retry settings are botocore's (the `retry` module); aws-config
        // would reject AWS_RETRY_MODE=legacy, the AWS CLI v1 default, with a
        // panic, so it is not asked to read them.
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .retry_config(aws_config::retry::RetryConfig::standard());
        if let Some(p) = profile {
            loader = loader.profile_name(p);
        }
        let cfg = Arc::new(loader.load().await);
        map.insert(key, cfg.clone());
        cfg
    }

    /// The region configured for a profile (environment, then config file).
    pub(crate) async fn region(&self, profile: Option<&str>) -> Option<String> {
        self.config(profile).await.region().map(|r| r.to_string())
    }

    /// Credentials for a profile.
    pub(crate) async fn credentials(
        &self,
        profile: Option<&str>,
    ) -> Result<Credentials, NativeError> {
        if let Some(c) = &self.fixed {
            return Ok(c.clone());
        }
        let key = profile.map(str::to_string);
        {
            let cached = self.cached.lock().await;
            if let Some(c) = cached.get(&key) {
                let fresh = c
                    .expiry()
                    .is_none_or(|exp| exp > SystemTime::now() + Duration::from_secs(300));
                if fresh {
                    return Ok(c.clone());
                }
            }
        }
        let cfg = self.config(profile).await;
        let provider = cfg
            .credentials_provider()
            .ok_or(NativeError::NoCredentials(
                "no credential provider is configured".into(),
            ))?;
        let creds = provider
            .provide_credentials()
            .await
            .map_err(|e| NativeError::NoCredentials(format!("{e}: {}", source_chain(&e))))?;
        self.cached.lock().await.insert(key, creds.clone());
        Ok(creds)
    }
}

/// How to sign one request.
pub(crate) struct SignSpec<'a> {
    pub name: &'a str,
    pub region: &'a str,
    /// S3's rules: single encoding, no path normalisation, `x-amz-content-sha256`.
    pub s3: bool,
}

/// Sign `req` in place with SigV4.
pub(crate) fn sign_request(
    req: &mut http::Request<Full<Bytes>>,
    body: &[u8],
    creds: &Credentials,
    spec: &SignSpec<'_>,
) -> Result<(), NativeError> {
    sign_request_with(req, SignableBody::Bytes(body), creds, spec)
}

/// Sign `req` in place with SigV4, the payload given as `body` (bytes, or
/// its precomputed SHA-256 for large bodies hashed off the async thread).
pub(crate) fn sign_request_with(
    req: &mut http::Request<Full<Bytes>>,
    body: SignableBody<'_>,
    creds: &Credentials,
    spec: &SignSpec<'_>,
) -> Result<(), NativeError> {
    let identity = creds.clone().into();
    let mut settings = SigningSettings::default();
    if spec.s3 {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(spec.region)
        .name(spec.name)
        .time(SystemTime::now())
        .settings(settings)
        .build()
        .map_err(|e| NativeError::Sign(e.to_string()))?
        .into();
    let uri = req.uri().to_string();
    let headers: Vec<(&str, &str)> = req
        .headers()
        .iter()
        .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str(), v)))
        .collect();
    let signable = SignableRequest::new(req.method().as_str(), &uri, headers.into_iter(), body)
        .map_err(|e| NativeError::Sign(e.to_string()))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| NativeError::Sign(e.to_string()))?
        .into_parts();
    instructions.apply_to_request_http1x(req);
    Ok(())
}

/// A SigV4 presigned GET of `url` (botocore's `S3SigV4QueryAuth`: the
/// `host` header signed, `UNSIGNED-PAYLOAD`, S3's single encoding).
pub(crate) fn presign_v4(
    url: &str,
    creds: &Credentials,
    region: &str,
    expires_in: i64,
) -> Result<String, NativeError> {
    use aws_sigv4::http_request::SignatureLocation;
    let identity = creds.clone().into();
    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = PercentEncodingMode::Single;
    settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    settings.payload_checksum_kind = PayloadChecksumKind::NoHeader;
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(Duration::from_secs(expires_in.max(0) as u64));
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("s3")
        .time(SystemTime::now())
        .settings(settings)
        .build()
        .map_err(|e| NativeError::Sign(e.to_string()))?
        .into();
    let mut req = http::Request::builder()
        .method("GET")
        .uri(url)
        .body(Full::new(Bytes::new()))
        .map_err(|e| NativeError::Request(e.to_string()))?;
    let host = req
        .uri()
        .authority()
        .map(|a| a.as_str().to_string())
        .unwrap_or_default();
    let headers = [("host", host.as_str())];
    let signable = SignableRequest::new(
        "GET",
        url,
        headers.into_iter(),
        SignableBody::UnsignedPayload,
    )
    .map_err(|e| NativeError::Sign(e.to_string()))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| NativeError::Sign(e.to_string()))?
        .into_parts();
    instructions.apply_to_request_http1x(&mut req);
    Ok(req.uri().to_string())
}

/// Error codes that say the request was refused before it was acted on
/// (throttling, a request the server never finished reading): safe to
/// retry even for a write that has no idempotency token.
pub(crate) fn not_processed_code(code: &str) -> bool {
    matches!(
        code,
        "Throttling"
            | "ThrottlingException"
            | "ThrottledException"
            | "RequestThrottledException"
            | "TooManyRequestsException"
            | "ProvisionedThroughputExceededException"
            | "RequestLimitExceeded"
            | "BandwidthLimitExceeded"
            | "RequestThrottled"
            | "SlowDown"
            | "EC2ThrottledException"
            | "PriorRequestNotComplete"
            | "RequestTimeout"
    )
}

/// A response's headers as (name, value) pairs, values read as UTF-8 with
/// replacement (how the executor and the s3 commands keep them).
pub(crate) fn header_pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}
