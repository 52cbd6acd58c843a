//! Each caller's own AWS identity: their bearer token exchanged with STS
//! `AssumeRoleWithWebIdentity`.
//!
//! ## Design
//!
//! * **Which role**: the first value of the mapped claim that
//!   `AWS_MCP_CALLER_ROLE_MAP` names, else `AWS_MCP_CALLER_ROLE_ARN`; no
//!   role, no commands (the call fails with the reason; never the server's
//!   identity as a fallback).
//! * **Who**: the role session name is the token's `sub` (characters STS
//!   does not allow become `-`, cut to 64), so CloudTrail names the person.
//!   A *source identity* cannot be passed to `AssumeRoleWithWebIdentity`:
//!   STS takes it from the token's `https://aws.amazon.com/source_identity`
//!   claim, which the identity provider sets (and the role's trust policy
//!   may require with `sts:SetSourceIdentity`).
//! * **Cache**: the credentials are kept per caller *and* role until
//!   [`REFRESH_BEFORE`] ahead of their expiry, never given to another
//!   caller; one exchange at a time per caller (concurrent calls of a new
//!   caller wait for the first). At most [`MAX_CACHED`] callers are kept;
//!   expired entries go first.
//! * The exchange is unsigned (the token is the proof), so the server needs
//!   no AWS credentials of its own for it. STS's endpoint follows the usual
//!   configuration (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, region).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_mcp_core::Credentials;

use super::config::RoleMapping;
use crate::caller::{Assumed, Caller, CallerIdentities, IdentityError};

/// Credentials are exchanged again this long before they expire.
pub const REFRESH_BEFORE: Duration = Duration::from_secs(300);

/// The most callers whose credentials are kept.
pub const MAX_CACHED: usize = 10_000;

type Slot = Arc<tokio::sync::Mutex<Option<Assumed>>>;

/// Callers' credentials from STS (see the module docs).
pub struct StsIdentities {
    client: aws_sdk_sts::Client,
    mapping: RoleMapping,
    cache: std::sync::Mutex<HashMap<String, Slot>>,
}

impl std::fmt::Debug for StsIdentities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StsIdentities")
            .field("mapping", &self.mapping)
            .finish_non_exhaustive()
    }
}

/// The role session name for a subject: STS's characters
/// (`[\w+=,.@-]`), 2 to 64 of them.
pub fn session_name(subject: &str) -> String {
    let mut s: String = subject
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_+=,.@-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    while s.len() < 2 {
        s.push('-');
    }
    s
}

/// The role for `caller` under `mapping`.
pub fn role_for(mapping: &RoleMapping, caller: &Caller) -> Result<String, IdentityError> {
    if let Some(claim) = &mapping.claim {
        let values: Vec<&str> = match caller.claims.get(claim) {
            Some(serde_json::Value::String(s)) => s.split_whitespace().collect(),
            Some(serde_json::Value::Array(a)) => a.iter().filter_map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        };
        for (value, role) in &mapping.roles {
            if values.contains(&value.as_str()) {
                return Ok(role.clone());
            }
        }
        if let Some(r) = &mapping.default_role {
            return Ok(r.clone());
        }
        return Err(IdentityError::NoRole(format!(
            "the token's {claim:?} claim holds none of {}",
            mapping
                .roles
                .iter()
                .map(|(v, _)| format!("{v:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    mapping
        .default_role
        .clone()
        .ok_or_else(|| IdentityError::NoRole("no role is configured".into()))
}

impl StsIdentities {
    /// Exchanges tokens for the roles of `mapping`, calling STS in `region`.
    pub async fn new(region: &str, mapping: RoleMapping) -> StsIdentities {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(region.to_string()))
            .no_credentials()
            .load()
            .await;
        StsIdentities {
            client: aws_sdk_sts::Client::new(&config),
            mapping,
            cache: std::sync::Mutex::new(HashMap::new()),
        }
    }

    fn slot(&self, key: &str) -> Slot {
        let mut cache = match self.cache.lock() {
            Ok(c) => c,
            Err(p) => p.into_inner(),
        };
        if let Some(s) = cache.get(key) {
            return s.clone();
        }
        if cache.len() >= MAX_CACHED {
            let now = SystemTime::now();
            cache.retain(|_, s| {
                s.try_lock().map_or(true, |g| {
                    g.as_ref()
                        .and_then(|a| a.credentials.expires)
                        .is_some_and(|e| e > now)
                })
            });
            if cache.len() >= MAX_CACHED {
                cache.clear();
            }
        }
        let s: Slot = Arc::new(tokio::sync::Mutex::new(None));
        cache.insert(key.to_string(), s.clone());
        s
    }

    async fn exchange(&self, caller: &Caller, role: &str) -> Result<Assumed, IdentityError> {
        let token = caller.token.as_deref().ok_or(IdentityError::NoToken)?;
        let subject = caller.subject.as_deref().unwrap_or("caller");
        let out = self
            .client
            .assume_role_with_web_identity()
            .role_arn(role)
            .role_session_name(session_name(subject))
            .web_identity_token(token)
            .duration_seconds(
                i32::try_from(self.mapping.session_duration.as_secs()).unwrap_or(3600),
            )
            .send()
            .await
            .map_err(|e| IdentityError::Sts {
                role: role.to_string(),
                reason: match e.as_service_error() {
                    Some(s) => s.to_string(),
                    None => {
                        let mut text = e.to_string();
                        let mut src = std::error::Error::source(&e);
                        while let Some(s) = src {
                            text.push_str(": ");
                            text.push_str(&s.to_string());
                            src = s.source();
                        }
                        text
                    }
                },
            })?;
        let c = out.credentials().ok_or_else(|| IdentityError::Sts {
            role: role.to_string(),
            reason: "the answer carried no credentials".into(),
        })?;
        let expires = SystemTime::try_from(*c.expiration()).ok();
        tracing::info!(
            caller = %caller.key,
            role,
            assumed = out.assumed_role_user().map(|u| u.arn()).unwrap_or(""),
            "assumed the caller's role"
        );
        Ok(Assumed {
            credentials: Credentials {
                access_key_id: c.access_key_id().to_string(),
                secret_access_key: c.secret_access_key().to_string(),
                session_token: Some(c.session_token().to_string()),
                expires,
            },
            role_arn: role.to_string(),
        })
    }
}

#[async_trait::async_trait]
impl CallerIdentities for StsIdentities {
    async fn credentials(&self, caller: &Caller) -> Result<Assumed, IdentityError> {
        let role = role_for(&self.mapping, caller)?;
        let slot = self.slot(&format!("{}\u{0}{role}", caller.key));
        let mut held = slot.lock().await;
        if let Some(a) = held.as_ref() {
            let fresh = a
                .credentials
                .expires
                .is_none_or(|e| e > SystemTime::now() + REFRESH_BEFORE);
            if fresh {
                return Ok(a.clone());
            }
        }
        let a = self.exchange(caller, &role).await?;
        *held = Some(a.clone());
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(claims: serde_json::Value) -> Caller {
        let serde_json::Value::Object(m) = claims else {
            panic!("an object")
        };
        Caller {
            key: "iss|alice".into(),
            subject: Some("alice".into()),
            issuer: Some("iss".into()),
            claims: Arc::new(m),
            token: Some(Arc::from("t")),
        }
    }

    #[test]
    fn session_names_are_what_sts_allows() {
        assert_eq!(session_name("alice@example.com"), "alice@example.com");
        assert_eq!(session_name("auth0|12345"), "auth0-12345");
        assert_eq!(session_name("x"), "x-");
        assert_eq!(session_name(&"é".repeat(100)).len(), 64);
    }

    #[test]
    fn roles_from_claims_then_the_default() {
        let mapping = RoleMapping {
            default_role: None,
            claim: Some("groups".into()),
            roles: vec![
                ("admins".into(), "arn:aws:iam::1:role/Admin".into()),
                ("devs".into(), "arn:aws:iam::1:role/Dev".into()),
            ],
            session_duration: Duration::from_secs(3600),
        };
        let c = caller(serde_json::json!({"groups": ["devs", "admins"]}));
        assert_eq!(
            role_for(&mapping, &c).expect("mapped"),
            "arn:aws:iam::1:role/Admin"
        );
        let c = caller(serde_json::json!({"groups": "devs other"}));
        assert_eq!(
            role_for(&mapping, &c).expect("mapped"),
            "arn:aws:iam::1:role/Dev"
        );
        let c = caller(serde_json::json!({"groups": ["sales"]}));
        let e = role_for(&mapping, &c).expect_err("unmapped");
        assert_eq!(e.kind(), "no_role");
        assert!(e.to_string().contains("\"groups\""), "{e}");
        let with_default = RoleMapping {
            default_role: Some("arn:aws:iam::1:role/Reader".into()),
            ..mapping
        };
        assert_eq!(
            role_for(&with_default, &c).expect("default"),
            "arn:aws:iam::1:role/Reader"
        );
    }
}
