//! `aws-mcp serve --http [ADDR]`: MCP over streamable HTTP for teams.
//!
//! ## Design
//!
//! * **Transport**: rmcp's [`StreamableHttpService`] at `/mcp`. Protocol
//!   2026-07-28 requests are stateless (any request may reach any replica);
//!   earlier versions (2025-11-25) get sessions (`Mcp-Session-Id`) kept by
//!   the replica that made them, unless `AWS_API_MCP_STATELESS_HTTP=true`.
//!   Plain JSON answers when a tool sends nothing before its result, SSE
//!   otherwise (progress, elicitation).
//! * **Closed by default** (the checks run in this order, each before any
//!   work): `Host` and `Origin` against their allowlists (`403`; DNS
//!   rebinding and cross-site requests); while draining, `503` with
//!   `Connection: close` so the balancer retries elsewhere; the bearer token
//!   (`401` with `WWW-Authenticate` naming the protected resource
//!   metadata); the body size (`413`); a session made by another caller
//!   (`404`, as an unknown session); the caller's requests in flight (`429`
//!   with `Retry-After`). Only then does rmcp parse the body. The HTTP/1
//!   header read is bounded ([`HEADER_READ_TIMEOUT`]), each command by
//!   `AWS_MCP_TIMEOUT` and each call by `AWS_MCP_CALL_TIMEOUT`.
//! * **Identity**: the verified [`Caller`] rides in the request's extensions
//!   to the tools; with a role mapping every command runs with the caller's
//!   own credentials ([`sts`]).
//! * **Operations**: `GET /healthz` (the process answers), `GET /readyz`
//!   (the issuer's keys are loaded and the server is not draining),
//!   `GET /.well-known/oauth-protected-resource[/mcp]` (RFC 9728).
//!   SIGTERM (or Ctrl-C) stops accepting connections, turns readiness off,
//!   waits up to `AWS_MCP_DRAIN_SECONDS` for the requests in flight to
//!   finish, then closes the sessions' streams and exits.
//!
//! Why a module of `aws-mcp-stdio` and not a crate of its own: the `aws-mcp`
//! binary lives in this crate and must offer `serve --http`; a separate
//! `aws-mcp-http` crate depending on this one would make a dependency
//! cycle, and moving or renaming the binary's crate now would break the
//! packages (wheel, npm) and release work built on it. The module sits
//! behind the `http` feature (on by default), so an embedder can leave its
//! dependencies out.

pub mod auth;
pub mod config;
pub mod sts;

use std::collections::HashMap;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{header, Method, Request, Response, StatusCode};
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

use crate::caller::Caller;
use crate::server::AwsMcpServer;
use crate::{ServeError, ServerConfig};
pub use auth::{AuthError, Verifier};
pub use config::{AuthMode, HttpConfig, MCP_PATH};

/// How long a client may take to send a request's headers.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The most sessions remembered with their callers.
const MAX_SESSIONS: usize = 100_000;

type Body_ = BoxBody<Bytes, Infallible>;

fn text(status: StatusCode, body: impl Into<Bytes>) -> Response<Body_> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Full::new(body.into()).boxed())
        .unwrap_or_default()
}

/// The HTTP application: the checks of the module docs, then rmcp.
pub struct App {
    mcp: StreamableHttpService<AwsMcpServer, LocalSessionManager>,
    cfg: HttpConfig,
    verifier: Option<Arc<Verifier>>,
    per_caller: Mutex<HashMap<String, Arc<Semaphore>>>,
    sessions: Mutex<HashMap<String, String>>,
    draining: AtomicBool,
    in_flight: Arc<AtomicUsize>,
    metadata_url: String,
    metadata_path: String,
    metadata: Bytes,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("cfg", &self.cfg)
            .finish_non_exhaustive()
    }
}

/// Where the protected resource metadata of `resource` is (RFC 9728 §3.1:
/// the well-known segment between the host and the resource's path).
pub fn metadata_url(resource: &str) -> String {
    let (scheme, rest) = resource.split_once("://").unwrap_or(("http", resource));
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let path = path.trim_end_matches('/');
    format!("{scheme}://{host}/.well-known/oauth-protected-resource{path}")
}

/// The host and port of a `Host` header value (lowercase, without brackets).
fn split_host(value: &str) -> Option<(String, Option<u16>)> {
    let a: http::uri::Authority = value.parse().ok()?;
    Some((
        a.host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase(),
        a.port_u16(),
    ))
}

/// Whether a `Host` value is allowed: an entry `name` allows any port,
/// `name:port` that port; `*` allows every host.
pub fn host_allowed(value: &str, allowed: &[String]) -> bool {
    if allowed.iter().any(|a| a == "*") {
        return true;
    }
    let Some((host, port)) = split_host(value) else {
        return false;
    };
    allowed.iter().any(|a| {
        match a
            .parse::<std::net::IpAddr>()
            .map(|ip| (ip.to_string(), None))
            .ok()
            .or_else(|| split_host(a))
        {
            Some((h, p)) => h == host && (p.is_none() || p == port),
            None => false,
        }
    })
}

/// Whether an `Origin` is allowed: exact `scheme://host[:port]` (the
/// scheme's default port may be left out), `*` for any.
pub fn origin_allowed(origin: &str, allowed: &[String]) -> bool {
    fn norm(o: &str) -> Option<(String, String, u16)> {
        if o.eq_ignore_ascii_case("null") {
            return Some(("null".into(), String::new(), 0));
        }
        let uri: http::Uri = o.parse().ok()?;
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let a = uri.authority()?;
        let port = a
            .port_u16()
            .unwrap_or(if scheme == "https" { 443 } else { 80 });
        Some((
            scheme,
            a.host()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_ascii_lowercase(),
            port,
        ))
    }
    if allowed.iter().any(|a| a == "*") {
        return true;
    }
    let Some(o) = norm(origin) else {
        return false;
    };
    allowed.iter().any(|a| norm(a).as_ref() == Some(&o))
}

/// Whether a JSON-RPC body holds a request (a message with `method` and
/// `id`), as opposed to answers and notifications only. A body that does
/// not parse counts as a request (rmcp then refuses it).
fn carries_request(body: &[u8]) -> bool {
    fn is_request(v: &serde_json::Value) -> bool {
        v.get("method").is_some() && v.get("id").is_some_and(|i| !i.is_null())
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Array(a)) => a.iter().any(is_request),
        Ok(v) => is_request(&v),
        Err(_) => true,
    }
}

/// A response body that holds the caller's slot and counts as in flight
/// until it is done (or dropped).
struct Guarded {
    inner: Body_,
    _permit: Option<OwnedSemaphorePermit>,
    _flight: Option<FlightGuard>,
}

impl Body for Guarded {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }
    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }
    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

struct FlightGuard(Arc<AtomicUsize>);

impl FlightGuard {
    fn new(counter: &Arc<AtomicUsize>) -> FlightGuard {
        counter.fetch_add(1, Ordering::SeqCst);
        FlightGuard(counter.clone())
    }
}

impl Drop for FlightGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl App {
    /// True when the server takes calls: keys loaded, not draining.
    pub async fn ready(&self) -> Result<(), &'static str> {
        if self.draining.load(Ordering::SeqCst) {
            return Err("draining");
        }
        if let Some(v) = &self.verifier {
            if !v.ready().await {
                return Err("the issuer's keys (JWKS) are not loaded yet");
            }
        }
        Ok(())
    }

    /// Answers one HTTP request.
    pub async fn handle(self: Arc<Self>, req: Request<Incoming>) -> Response<Body_> {
        let path = req.uri().path().to_string();
        let get = matches!(*req.method(), Method::GET | Method::HEAD);
        if path == MCP_PATH {
            return self.handle_mcp(req).await;
        }
        match path.as_str() {
            "/healthz" if get => text(StatusCode::OK, "ok\n"),
            "/readyz" if get => match self.ready().await {
                Ok(()) => text(StatusCode::OK, "ready\n"),
                Err(why) => text(
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!("not ready: {why}\n"),
                ),
            },
            p if get
                && self.verifier.is_some()
                && (p == "/.well-known/oauth-protected-resource" || p == self.metadata_path) =>
            {
                Response::builder()
                    .status(StatusCode::OK)
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::CACHE_CONTROL, "max-age=3600")
                    .body(Full::new(self.metadata.clone()).boxed())
                    .unwrap_or_default()
            }
            _ => text(StatusCode::NOT_FOUND, "not found\n"),
        }
    }

    fn unauthorized(&self, e: &AuthError) -> Response<Body_> {
        let status = match e {
            AuthError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::UNAUTHORIZED,
        };
        let mut r = text(status, format!("{e}\n"));
        if let Ok(v) = header::HeaderValue::from_str(&auth::www_authenticate(&self.metadata_url, e))
        {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
        r
    }

    async fn handle_mcp(self: Arc<Self>, req: Request<Incoming>) -> Response<Body_> {
        // 1. DNS rebinding and cross-site requests.
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
            .or_else(|| req.uri().authority().map(|a| a.to_string()));
        if !host
            .as_deref()
            .is_some_and(|h| host_allowed(h, &self.cfg.allowed_hosts))
        {
            tracing::warn!(host = ?host, "refused a request for a Host not allowed");
            return text(
                StatusCode::FORBIDDEN,
                "Forbidden: Host header is not allowed\n",
            );
        }
        if let Some(origin) = req.headers().get(header::ORIGIN) {
            let ok = origin
                .to_str()
                .is_ok_and(|o| origin_allowed(o, &self.cfg.allowed_origins));
            if !ok {
                tracing::warn!(origin = ?origin, "refused a request from an Origin not allowed");
                return text(StatusCode::FORBIDDEN, "Forbidden: Origin is not allowed\n");
            }
        }
        // 2. Who is calling.
        let caller = match &self.verifier {
            None => Caller::unauthenticated("anonymous"),
            Some(v) => match auth::bearer(req.headers().get(header::AUTHORIZATION)) {
                None => return self.unauthorized(&AuthError::Missing),
                Some(token) => match v.verify(token).await {
                    Ok(c) => c,
                    Err(e) => {
                        tracing::info!(reason = %e, "refused a bearer token");
                        return self.unauthorized(&e);
                    }
                },
            },
        };
        // 3. The body, read up to its limit: whether it carries a new
        // request (counted, refused while draining) or only answers and
        // notifications (an elicitation's answer must reach the call
        // waiting for it, whatever the limits).
        let too_large = || {
            let mut r = text(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "the request body is larger than {} bytes (AWS_MCP_MAX_BODY_BYTES)\n",
                    self.cfg.max_body_bytes
                ),
            );
            r.headers_mut().insert(
                header::CONNECTION,
                header::HeaderValue::from_static("close"),
            );
            r
        };
        let announced = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if announced.is_some_and(|n| n > self.cfg.max_body_bytes as u64) {
            return too_large();
        }
        let (parts, body) = req.into_parts();
        let body = match http_body_util::Limited::new(body, self.cfg.max_body_bytes)
            .collect()
            .await
        {
            Ok(b) => b.to_bytes(),
            Err(e)
                if e.downcast_ref::<http_body_util::LengthLimitError>()
                    .is_some() =>
            {
                return too_large()
            }
            Err(e) => {
                return text(
                    StatusCode::BAD_REQUEST,
                    format!("cannot read the body: {e}\n"),
                )
            }
        };
        let new_request = parts.method == Method::POST && carries_request(&body);
        let mut req = Request::from_parts(parts, Full::new(body));
        // 4. Draining: new requests go elsewhere (the balancer retries them).
        if new_request && self.draining.load(Ordering::SeqCst) {
            let mut r = text(StatusCode::SERVICE_UNAVAILABLE, "shutting down\n");
            r.headers_mut().insert(
                header::CONNECTION,
                header::HeaderValue::from_static("close"),
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
            return r;
        }
        // 5. A session belongs to the caller who made it.
        let session = req
            .headers()
            .get("mcp-session-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if let Some(sid) = &session {
            let owner = self.sessions.lock().ok().and_then(|s| s.get(sid).cloned());
            if owner.is_some_and(|o| o != caller.key) {
                tracing::warn!(caller = %caller.key, "refused a session made by another caller");
                return text(StatusCode::NOT_FOUND, "Not Found: Session not found\n");
            }
        }
        // 6. The caller's requests in flight.
        let post = new_request;
        let permit = if post {
            let sem = {
                let mut m = match self.per_caller.lock() {
                    Ok(m) => m,
                    Err(p) => p.into_inner(),
                };
                if m.len() > MAX_SESSIONS {
                    let max = self.cfg.max_calls_per_caller;
                    m.retain(|_, s| s.available_permits() < max);
                }
                m.entry(caller.key.clone())
                    .or_insert_with(|| Arc::new(Semaphore::new(self.cfg.max_calls_per_caller)))
                    .clone()
            };
            match sem.try_acquire_owned() {
                Ok(p) => Some(p),
                Err(_) => {
                    let mut r = text(
                        StatusCode::TOO_MANY_REQUESTS,
                        format!(
                            "more than {} requests of this caller in flight (AWS_MCP_MAX_CALLS_PER_CALLER)\n",
                            self.cfg.max_calls_per_caller
                        ),
                    );
                    r.headers_mut()
                        .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
                    return r;
                }
            }
        } else {
            None
        };
        let flight = post.then(|| FlightGuard::new(&self.in_flight));
        let deleting = req.method() == Method::DELETE;
        let key = caller.key.clone();
        req.extensions_mut().insert(caller);
        let resp = self.mcp.handle(req).await;
        if let Ok(mut s) = self.sessions.lock() {
            if deleting {
                if let Some(sid) = &session {
                    s.remove(sid);
                }
            } else if let Some(sid) = resp
                .headers()
                .get("mcp-session-id")
                .and_then(|v| v.to_str().ok())
            {
                if s.len() >= MAX_SESSIONS {
                    s.clear();
                }
                s.entry(sid.to_string()).or_insert(key);
            }
        }
        let (parts, body) = resp.into_parts();
        Response::from_parts(
            parts,
            Guarded {
                inner: body,
                _permit: permit,
                _flight: flight,
            }
            .boxed(),
        )
    }
}

/// Serves MCP over streamable HTTP until SIGTERM or Ctrl-C (see the module
/// docs), with the embedded catalog or `catalog`.
pub async fn serve_http(
    catalog: &'static aws_mcp_core::Catalog,
    mut config: ServerConfig,
    http: HttpConfig,
) -> Result<(), ServeError> {
    if http.roles.enabled() {
        if config.policy.allow_other_profiles {
            return Err(ServeError::Config(crate::ConfigError::Invalid {
                var: "AWS_MCP_ALLOW_OTHER_PROFILES",
                value: "true".into(),
                reason: "commands run with each caller's own role (AWS_MCP_CALLER_ROLE_ARN / AWS_MCP_CALLER_ROLE_MAP), and --profile would switch to the server's credentials".into(),
            }));
        }
        // Any --profile would reach the server's credentials: refused.
        config.policy.profile = None;
    }
    let verifier = match &http.auth {
        AuthMode::OAuth { issuer, jwks_uri } => Some(Arc::new(
            Verifier::new(issuer, jwks_uri.clone(), &http.resource_url)
                .map_err(|e| ServeError::Protocol(e.to_string()))?,
        )),
        _ => None,
    };
    let mut server = crate::build_server(catalog, config.clone())?.with_transport("http");
    if http.roles.enabled() {
        server = server.with_identities(Arc::new(
            sts::StsIdentities::new(&config.region, http.roles.clone()).await,
        ));
    }
    server.warm();
    if !config.consent.has_shared_key() {
        tracing::warn!("AWS_MCP_CONSENT_KEY is not set: consent answers are taken only by this process; give every replica the same key");
    }

    let ct = CancellationToken::new();
    let mut mcfg = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(!http.stateless)
        .with_json_response(true)
        .with_cancellation_token(ct.clone())
        .with_max_request_body_bytes(http.max_body_bytes);
    // The checks above come first; rmcp's own stay as a second line.
    mcfg = if http.allowed_hosts.iter().any(|h| h == "*") {
        mcfg.disable_allowed_hosts()
    } else {
        mcfg.with_allowed_hosts(http.allowed_hosts.clone())
    };
    mcfg = if http.allowed_origins.iter().any(|o| o == "*") {
        mcfg.disable_allowed_origins()
    } else {
        mcfg.with_allowed_origins(http.allowed_origins.clone())
            .enforce_origin_validation()
    };
    let mcp = StreamableHttpService::new(
        move || Ok(server.clone()),
        Arc::new(LocalSessionManager::default()),
        mcfg,
    );
    let metadata_url = metadata_url(&http.resource_url);
    let metadata_path = metadata_url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_default();
    let metadata = match &http.auth {
        AuthMode::OAuth { issuer, .. } => serde_json::json!({
            "resource": http.resource_url,
            "authorization_servers": [issuer],
            "bearer_methods_supported": ["header"],
            "resource_name": "aws-mcp",
        }),
        _ => serde_json::json!({}),
    };
    let app = Arc::new(App {
        mcp,
        cfg: http.clone(),
        verifier: verifier.clone(),
        per_caller: Mutex::new(HashMap::new()),
        sessions: Mutex::new(HashMap::new()),
        draining: AtomicBool::new(false),
        in_flight: Arc::new(AtomicUsize::new(0)),
        metadata_url,
        metadata_path,
        metadata: Bytes::from(serde_json::to_vec(&metadata).unwrap_or_default()),
    });
    if let Some(v) = verifier {
        // Readiness waits for the keys; retried until they come.
        tokio::spawn(async move {
            while let Err(e) = v.refresh().await {
                tracing::warn!(error = %e, "cannot fetch the issuer's keys yet; retrying in 5 s");
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        });
    }

    let listener = tokio::net::TcpListener::bind(http.addr)
        .await
        .map_err(|e| ServeError::Protocol(format!("cannot listen on {}: {e}", http.addr)))?;
    let local = listener.local_addr().unwrap_or(http.addr);
    tracing::warn!(
        "serving MCP on http://{local}{MCP_PATH} ({}; sessions for protocol versions before 2026-07-28: {})",
        match &http.auth {
            AuthMode::OAuth { issuer, .. } => format!("OAuth bearer tokens from {issuer}"),
            _ => "no authentication".into(),
        },
        if http.stateless { "off" } else { "on" }
    );
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        #[cfg(unix)]
        let stop = term.recv();
        #[cfg(not(unix))]
        let stop = std::future::pending::<Option<()>>();
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let app = app.clone();
                let svc = hyper::service::service_fn(move |req| {
                    let app = app.clone();
                    async move { Ok::<_, Infallible>(app.handle(req).await) }
                });
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(HEADER_READ_TIMEOUT)
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), svc);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    if let Err(e) = conn.await {
                        tracing::debug!(error = %e, "connection ended");
                    }
                });
            }
            _ = stop => break,
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    // Drain: no new connections, readiness off, calls in flight finish.
    app.draining.store(true, Ordering::SeqCst);
    drop(listener);
    let started = std::time::Instant::now();
    let waiting = app.in_flight.load(Ordering::SeqCst);
    tracing::warn!(in_flight = waiting, "draining");
    while app.in_flight.load(Ordering::SeqCst) > 0 && started.elapsed() < http.drain {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let left = app.in_flight.load(Ordering::SeqCst);
    ct.cancel();
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
    tracing::warn!(
        drained = waiting.saturating_sub(left),
        cut = left,
        ms = started.elapsed().as_millis() as u64,
        "stopped"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn requests_are_told_from_answers() {
        assert!(carries_request(
            br#"{"jsonrpc":"2.0","id":1,"method":"tools/call"}"#
        ));
        assert!(!carries_request(
            br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#
        ));
        assert!(!carries_request(
            br#"{"jsonrpc":"2.0","id":3,"result":{"action":"accept"}}"#
        ));
        assert!(carries_request(
            br#"[{"jsonrpc":"2.0","id":3,"result":{}},{"jsonrpc":"2.0","id":4,"method":"ping"}]"#
        ));
        assert!(carries_request(b"not json"));
    }

    #[test]
    fn hosts() {
        let allowed = v(&["localhost", "127.0.0.1", "::1", "mcp.example.com:443"]);
        assert!(host_allowed("localhost:8000", &allowed));
        assert!(host_allowed("127.0.0.1", &allowed));
        assert!(host_allowed("[::1]:8000", &allowed));
        assert!(host_allowed("MCP.example.com:443", &allowed));
        assert!(!host_allowed("mcp.example.com:8443", &allowed));
        assert!(!host_allowed("evil.example.com", &allowed));
        assert!(!host_allowed("localhost.evil.example.com:8000", &allowed));
        assert!(!host_allowed("not a host", &allowed));
        assert!(host_allowed("anything.example", &v(&["*"])));
    }

    #[test]
    fn origins() {
        let allowed = v(&["https://app.example.com", "http://localhost:3000"]);
        assert!(origin_allowed("https://app.example.com", &allowed));
        assert!(origin_allowed("https://app.example.com:443", &allowed));
        assert!(origin_allowed("http://localhost:3000", &allowed));
        assert!(!origin_allowed("http://localhost:3001", &allowed));
        assert!(!origin_allowed("http://app.example.com", &allowed));
        assert!(!origin_allowed("https://evil.example.com", &allowed));
        assert!(!origin_allowed("null", &allowed));
        assert!(!origin_allowed("https://app.example.com", &[]));
        assert!(origin_allowed("https://x.example", &v(&["*"])));
    }

    #[test]
    fn metadata_location() {
        assert_eq!(
            metadata_url("https://mcp.example.com/mcp"),
            "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"
        );
        assert_eq!(
            metadata_url("http://127.0.0.1:8000/mcp/"),
            "http://127.0.0.1:8000/.well-known/oauth-protected-resource/mcp"
        );
        assert_eq!(
            metadata_url("https://mcp.example.com"),
            "https://mcp.example.com/.well-known/oauth-protected-resource"
        );
    }
}
