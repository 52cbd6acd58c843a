//! OAuth 2.1 resource server: bearer JWTs checked against the issuer's
//! JWKS, as the MCP authorization specification asks.
//!
//! ## Design
//!
//! * **Crypto is `jsonwebtoken`'s** (aws-lc-rs backend): this module only
//!   chooses the key and the rules. Accepted algorithms: RS256 and ES256.
//!   A key whose JWK names another `alg` than the token's is not used.
//! * **Checks**: signature; `iss` = `AUTH_ISSUER`; `aud` contains this
//!   server's resource URL (`AWS_MCP_RESOURCE_URL`); `exp` (required) and
//!   `nbf` (when present) with [`LEEWAY_SECS`] of clock skew; `sub` required
//!   (it names the caller).
//! * **JWKS**: fetched at start (readiness waits for it), from
//!   `AUTH_JWKS_URI` or the `jwks_uri` of the issuer's metadata
//!   (`/.well-known/oauth-authorization-server`, then
//!   `/.well-known/openid-configuration`). Kept for [`JWKS_TTL`]; a token
//!   whose `kid` is unknown makes one refetch (single flight, at most one
//!   per [`REFRESH_COOLDOWN`]) so rotated keys are picked up at once
//!   without letting unknown `kid`s hammer the issuer.
//! * **Failures** are `401` with `WWW-Authenticate: Bearer
//!   resource_metadata="…"` (RFC 9728) and, for a bad token,
//!   `error="invalid_token"` with a short description (RFC 6750).
//!   Nothing of the token is logged.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use jsonwebtoken::{jwk::JwkSet, Algorithm, DecodingKey, Validation};

use crate::caller::Caller;

/// Clock skew allowed on `exp` and `nbf`, in seconds.
pub const LEEWAY_SECS: u64 = 30;

/// How long a fetched JWKS is used before it is fetched again.
pub const JWKS_TTL: Duration = Duration::from_secs(600);

/// The least time between two fetches caused by unknown `kid`s.
pub const REFRESH_COOLDOWN: Duration = Duration::from_secs(1);

/// The largest JWKS or metadata document read.
const MAX_DOC_BYTES: usize = 1 << 20;

/// Why a request was not authenticated.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// No `Authorization: Bearer` header.
    #[error("no bearer token")]
    Missing,
    /// The token is not acceptable (the reason is safe to show).
    #[error("{0}")]
    Invalid(String),
    /// The issuer's keys could not be had.
    #[error("the issuer's keys are unavailable: {0}")]
    Unavailable(String),
}

impl AuthError {
    /// A stable snake_case kind.
    pub fn kind(&self) -> &'static str {
        match self {
            AuthError::Missing => "missing",
            AuthError::Invalid(_) => "invalid_token",
            AuthError::Unavailable(_) => "unavailable",
        }
    }
}

type HttpsClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    Full<Bytes>,
>;

struct Keys {
    keys: HashMap<String, (DecodingKey, Option<Algorithm>)>,
    /// Keys without a `kid` (tried in turn for a token without one).
    anonymous: Vec<(DecodingKey, Option<Algorithm>)>,
    fetched: Option<Instant>,
    last_attempt: Option<Instant>,
}

/// Checks bearer tokens for one issuer and audience.
pub struct Verifier {
    issuer: String,
    jwks_uri: tokio::sync::OnceCell<String>,
    configured_jwks_uri: Option<String>,
    audience: String,
    client: HttpsClient,
    keys: tokio::sync::RwLock<Keys>,
    refresh: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish_non_exhaustive()
    }
}

/// The claims this server reads (others are kept for the role mapping).
#[derive(serde::Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

impl Verifier {
    /// A verifier for tokens of `issuer` meant for `audience` (this
    /// server's resource URL), with keys from `jwks_uri` or the issuer's
    /// metadata.
    pub fn new(
        issuer: &str,
        jwks_uri: Option<String>,
        audience: &str,
    ) -> Result<Verifier, AuthError> {
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
        http.set_connect_timeout(Some(Duration::from_secs(5)));
        http.enforce_http(false);
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_native_roots()
            .map_err(|e| AuthError::Unavailable(format!("no TLS root certificates: {e}")))?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(https);
        Ok(Verifier {
            issuer: issuer.to_string(),
            jwks_uri: tokio::sync::OnceCell::new(),
            configured_jwks_uri: jwks_uri,
            audience: audience.to_string(),
            client,
            keys: tokio::sync::RwLock::new(Keys {
                keys: HashMap::new(),
                anonymous: Vec::new(),
                fetched: None,
                last_attempt: None,
            }),
            refresh: tokio::sync::Mutex::new(()),
        })
    }

    /// The issuer.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// True once a JWKS was fetched (readiness).
    pub async fn ready(&self) -> bool {
        self.keys.read().await.fetched.is_some()
    }

    async fn get_json(&self, url: &str) -> Result<serde_json::Value, String> {
        let req = http::Request::get(url)
            .header(http::header::ACCEPT, "application/json")
            .body(Full::new(Bytes::new()))
            .map_err(|e| e.to_string())?;
        let resp = tokio::time::timeout(Duration::from_secs(10), self.client.request(req))
            .await
            .map_err(|_| format!("{url}: no answer within 10 s"))?
            .map_err(|e| format!("{url}: {e}"))?;
        let status = resp.status();
        let body = http_body_util::Limited::new(resp.into_body(), MAX_DOC_BYTES)
            .collect()
            .await
            .map_err(|e| format!("{url}: {e}"))?
            .to_bytes();
        if !status.is_success() {
            return Err(format!("{url}: HTTP {status}"));
        }
        serde_json::from_slice(&body).map_err(|e| format!("{url}: not JSON ({e})"))
    }

    async fn jwks_uri(&self) -> Result<String, String> {
        if let Some(u) = &self.configured_jwks_uri {
            return Ok(u.clone());
        }
        self.jwks_uri
            .get_or_try_init(|| async {
                let mut errors = Vec::new();
                for doc in ["oauth-authorization-server", "openid-configuration"] {
                    let url = format!("{}/.well-known/{doc}", self.issuer);
                    match self.get_json(&url).await {
                        Ok(v) => match v.get("jwks_uri").and_then(|u| u.as_str()) {
                            Some(u) => return Ok(u.to_string()),
                            None => errors.push(format!("{url}: no jwks_uri")),
                        },
                        Err(e) => errors.push(e),
                    }
                }
                Err(format!(
                    "no JWKS location (set AUTH_JWKS_URI): {}",
                    errors.join("; ")
                ))
            })
            .await
            .cloned()
    }

    /// Fetches the JWKS now (at start, and when a `kid` is unknown).
    pub async fn refresh(&self) -> Result<(), AuthError> {
        let _single = self.refresh.lock().await;
        self.keys.write().await.last_attempt = Some(Instant::now());
        let uri = self.jwks_uri().await.map_err(AuthError::Unavailable)?;
        let v = self.get_json(&uri).await.map_err(AuthError::Unavailable)?;
        let set: JwkSet = serde_json::from_value(v)
            .map_err(|e| AuthError::Unavailable(format!("{uri}: not a JWKS ({e})")))?;
        let mut keys = HashMap::new();
        let mut anonymous = Vec::new();
        for jwk in &set.keys {
            let alg = jwk
                .common
                .key_algorithm
                .and_then(|a| a.to_string().parse::<Algorithm>().ok());
            let Ok(key) = DecodingKey::from_jwk(jwk) else {
                continue;
            };
            match &jwk.common.key_id {
                Some(kid) => {
                    keys.insert(kid.clone(), (key, alg));
                }
                None => anonymous.push((key, alg)),
            }
        }
        let mut k = self.keys.write().await;
        k.keys = keys;
        k.anonymous = anonymous;
        k.fetched = Some(Instant::now());
        tracing::info!(jwks = %uri, keys = set.keys.len(), "JWKS fetched");
        Ok(())
    }

    fn validation(&self, alg: Algorithm) -> Validation {
        let mut v = Validation::new(alg);
        v.leeway = LEEWAY_SECS;
        v.validate_nbf = true;
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[&self.audience]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        v
    }

    fn check_with(
        &self,
        token: &str,
        alg: Algorithm,
        key: &DecodingKey,
    ) -> Result<Claims, AuthError> {
        jsonwebtoken::decode::<Claims>(token, key, &self.validation(alg))
            .map(|d| d.claims)
            .map_err(|e| {
                use jsonwebtoken::errors::ErrorKind as K;
                AuthError::Invalid(
                    match e.kind() {
                        K::ExpiredSignature => "the token has expired",
                        K::ImmatureSignature => "the token is not valid yet (nbf)",
                        K::InvalidIssuer => "the token's issuer (iss) is not this server's",
                        K::InvalidAudience => {
                            "the token's audience (aud) is not this server's resource URL"
                        }
                        K::InvalidSignature => "the token's signature does not verify",
                        K::MissingRequiredClaim(_) => {
                            "the token lacks a required claim (exp, iss, aud, sub)"
                        }
                        K::InvalidAlgorithm => "the token's algorithm does not match its key",
                        _ => "the token is malformed",
                    }
                    .to_string(),
                )
            })
    }

    /// The caller a bearer token proves, or why it proves none.
    pub async fn verify(&self, token: &str) -> Result<Caller, AuthError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| AuthError::Invalid("the token is malformed".into()))?;
        if !matches!(header.alg, Algorithm::RS256 | Algorithm::ES256) {
            return Err(AuthError::Invalid(format!(
                "the token's algorithm {:?} is not accepted (RS256, ES256)",
                header.alg
            )));
        }
        let stale = {
            let k = self.keys.read().await;
            k.fetched.is_none_or(|t| t.elapsed() > JWKS_TTL)
        };
        if stale {
            // An old set still serves when the issuer cannot be reached.
            if let Err(e) = self.refresh().await {
                tracing::warn!(error = %e, "JWKS refresh failed");
            }
        }
        let claims = match &header.kid {
            Some(kid) => {
                let mut found = self.key_for(kid, header.alg).await;
                if found.is_none() {
                    let may = {
                        let k = self.keys.read().await;
                        k.last_attempt
                            .is_none_or(|t| t.elapsed() >= REFRESH_COOLDOWN)
                    };
                    if may {
                        if let Err(e) = self.refresh().await {
                            tracing::warn!(error = %e, "JWKS refresh for an unknown kid failed");
                        }
                        found = self.key_for(kid, header.alg).await;
                    }
                }
                let Some(key) = found else {
                    if !self.ready().await {
                        return Err(AuthError::Unavailable("no JWKS fetched yet".into()));
                    }
                    return Err(AuthError::Invalid(
                        "the token's key id (kid) is not among the issuer's keys".into(),
                    ));
                };
                self.check_with(token, header.alg, &key)?
            }
            None => {
                let candidates: Vec<DecodingKey> = self
                    .keys
                    .read()
                    .await
                    .anonymous
                    .iter()
                    .filter(|(_, a)| a.is_none_or(|a| a == header.alg))
                    .map(|(k, _)| k.clone())
                    .collect();
                let mut last = AuthError::Invalid(
                    "the token has no key id (kid) and no key without one matches".into(),
                );
                let mut ok = None;
                for key in &candidates {
                    match self.check_with(token, header.alg, key) {
                        Ok(c) => {
                            ok = Some(c);
                            break;
                        }
                        Err(e) => last = e,
                    }
                }
                ok.ok_or(last)?
            }
        };
        if claims.sub.is_empty() {
            return Err(AuthError::Invalid(
                "the token's subject (sub) is empty".into(),
            ));
        }
        let mut all = claims.rest;
        all.insert("sub".into(), claims.sub.clone().into());
        all.insert("iss".into(), claims.iss.clone().into());
        Ok(Caller {
            key: format!("{}|{}", claims.iss, claims.sub),
            subject: Some(claims.sub),
            issuer: Some(claims.iss),
            claims: Arc::new(all),
            token: Some(Arc::from(token)),
        })
    }

    async fn key_for(&self, kid: &str, alg: Algorithm) -> Option<DecodingKey> {
        let k = self.keys.read().await;
        k.keys
            .get(kid)
            .filter(|(_, a)| a.is_none_or(|a| a == alg))
            .map(|(key, _)| key.clone())
    }
}

/// The bearer token of an `Authorization` header value.
pub fn bearer(value: Option<&http::HeaderValue>) -> Option<&str> {
    let v = value?.to_str().ok()?.trim();
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The `WWW-Authenticate` value of a 401 for `error` (RFC 6750, RFC 9728).
pub fn www_authenticate(metadata_url: &str, error: &AuthError) -> String {
    match error {
        AuthError::Missing => format!("Bearer resource_metadata=\"{metadata_url}\""),
        AuthError::Invalid(why) | AuthError::Unavailable(why) => format!(
            "Bearer resource_metadata=\"{metadata_url}\", error=\"invalid_token\", error_description=\"{}\"",
            why.replace(['"', '\\'], "'")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_headers() {
        let h = |s: &str| http::HeaderValue::from_str(s).expect("header");
        assert_eq!(bearer(Some(&h("Bearer abc.def.ghi"))), Some("abc.def.ghi"));
        assert_eq!(bearer(Some(&h("bearer  abc"))), Some("abc"));
        assert_eq!(bearer(Some(&h("Basic dXNlcjpwYXNz"))), None);
        assert_eq!(bearer(Some(&h("Bearer "))), None);
        assert_eq!(bearer(None), None);
    }

    #[test]
    fn challenges_name_the_metadata() {
        let m = "https://mcp.example.com/.well-known/oauth-protected-resource/mcp";
        assert_eq!(
            www_authenticate(m, &AuthError::Missing),
            format!("Bearer resource_metadata=\"{m}\"")
        );
        let w = www_authenticate(m, &AuthError::Invalid("the \"token\" has expired".into()));
        assert!(w.contains("error=\"invalid_token\""), "{w}");
        assert!(
            w.contains("error_description=\"the 'token' has expired\""),
            "{w}"
        );
    }
}
