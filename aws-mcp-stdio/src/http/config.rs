//! The HTTP transport's configuration: the command line (`--http [ADDR]`,
//! `--allow-unauthenticated`) over the environment, under this project's
//! names and the reference server's (`AWS_API_MCP_*`, `AUTH_*`).
//!
//! Every value is checked at start-up; a bad one is an error naming the
//! variable. The defaults are closed: loopback address, loopback `Host`
//! names only, every browser `Origin` refused, and a non-loopback address
//! without authentication refused unless the operator says
//! `--allow-unauthenticated` (or `AWS_MCP_ALLOW_UNAUTHENTICATED=true`).

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use crate::config::ConfigError;

/// The default address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8000";

/// The MCP endpoint's path.
pub const MCP_PATH: &str = "/mcp";

/// How callers authenticate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthMode {
    /// Nobody: every request is the `anonymous` caller.
    None,
    /// OAuth 2.1 bearer JWTs from `issuer`.
    OAuth {
        /// `AUTH_ISSUER`: the authorization server (the tokens' `iss`).
        issuer: String,
        /// `AUTH_JWKS_URI`: its JWKS; discovered from the issuer's metadata
        /// when unset.
        jwks_uri: Option<String>,
    },
}

/// How a caller's token chooses the AWS role their commands run with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleMapping {
    /// `AWS_MCP_CALLER_ROLE_ARN`: the role for every caller (or for those
    /// the map does not place).
    pub default_role: Option<String>,
    /// `AWS_MCP_CALLER_ROLE_MAP`: `{"claim": "groups", "roles": {"admins":
    /// "arn:...", ...}}`: the first value of the claim (a string or a list)
    /// that the map names chooses the role.
    pub claim: Option<String>,
    /// The claim's values and their roles, in the map's order.
    pub roles: Vec<(String, String)>,
    /// `AWS_MCP_CALLER_SESSION_SECONDS`: how long the assumed credentials
    /// last (900–43200, default 3600).
    pub session_duration: Duration,
}

impl RoleMapping {
    /// True when callers run with their own roles.
    pub fn enabled(&self) -> bool {
        self.default_role.is_some() || !self.roles.is_empty()
    }
}

/// Everything the HTTP transport needs besides the server's configuration.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Where to listen.
    pub addr: SocketAddr,
    /// `AWS_API_MCP_ALLOWED_HOSTS`: accepted `Host` names (`name` or
    /// `name:port`; `*` accepts any).
    pub allowed_hosts: Vec<String>,
    /// `AWS_API_MCP_ALLOWED_ORIGINS`: accepted browser origins
    /// (`https://app.example.com`, `*` for any); requests without `Origin`
    /// always pass.
    pub allowed_origins: Vec<String>,
    /// `AWS_API_MCP_STATELESS_HTTP`: no sessions for protocol versions
    /// before 2026-07-28 either (2026-07-28 is always stateless).
    pub stateless: bool,
    /// `AUTH_TYPE`, `AUTH_ISSUER`, `AUTH_JWKS_URI`.
    pub auth: AuthMode,
    /// `AWS_MCP_RESOURCE_URL`: this server's public URL (the tokens' `aud`
    /// and the protected resource metadata's `resource`); default
    /// `http://ADDR/mcp`.
    pub resource_url: String,
    /// Serve without authentication on a non-loopback address.
    pub allow_unauthenticated: bool,
    /// `AWS_MCP_MAX_BODY_BYTES`: the largest request body (default 1 MiB).
    pub max_body_bytes: usize,
    /// `AWS_MCP_MAX_CALLS_PER_CALLER`: requests one caller may have in
    /// flight (default 16); more are answered 429.
    pub max_calls_per_caller: usize,
    /// `AWS_MCP_DRAIN_SECONDS`: how long SIGTERM waits for calls in flight
    /// (default 30).
    pub drain: Duration,
    /// The callers' roles.
    pub roles: RoleMapping,
}

fn invalid(var: &'static str, value: &str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        var,
        value: value.to_string(),
        reason: reason.into(),
    }
}

fn list(v: Option<String>) -> Vec<String> {
    v.map(|v| {
        v.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// True for a loopback address (127.0.0.0/8, ::1).
pub fn is_loopback(ip: IpAddr) -> bool {
    ip.is_loopback()
}

/// True when `url` is `https://`, or `http://` to a loopback host (tests).
fn secure_or_loopback(url: &str) -> bool {
    if url.starts_with("https://") {
        return true;
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match host.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host
            .parse::<IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

impl HttpConfig {
    /// The configuration from `lookup` (a variable to its value), with the
    /// command line's address (`--http ADDR`; `None` or empty: the
    /// environment's, else [`DEFAULT_ADDR`]) and `--allow-unauthenticated`.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        addr: Option<&str>,
        allow_unauthenticated: bool,
    ) -> Result<HttpConfig, ConfigError> {
        let get = |k: &str| {
            lookup(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let flag = |k: &'static str| -> Result<bool, ConfigError> {
            match get(k) {
                None => Ok(false),
                Some(v) => aws_mcp_core::policy::parse_bool(&v)
                    .ok_or_else(|| invalid(k, &v, "it must be true or false")),
            }
        };
        let addr_text = match addr.map(str::trim).filter(|a| !a.is_empty()) {
            Some(a) => a.to_string(),
            None => {
                let host = get("AWS_API_MCP_HOST").unwrap_or_else(|| "127.0.0.1".into());
                let port = get("AWS_API_MCP_PORT").unwrap_or_else(|| "8000".into());
                if port.parse::<u16>().is_err() {
                    return Err(invalid(
                        "AWS_API_MCP_PORT",
                        &port,
                        "it must be a port number",
                    ));
                }
                if host.contains(':') && !host.starts_with('[') {
                    format!("[{host}]:{port}")
                } else {
                    format!("{host}:{port}")
                }
            }
        };
        let addr: SocketAddr = match addr_text.parse() {
            Ok(a) => a,
            // A bare host: the default port.
            Err(_) => format!("{addr_text}:8000").parse().map_err(|_| {
                invalid(
                    "--http / AWS_API_MCP_HOST",
                    &addr_text,
                    "give an IP address and port, such as 127.0.0.1:8000 or 0.0.0.0:8000",
                )
            })?,
        };

        let auth = match get("AUTH_TYPE")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("no-auth") | Some("none") => AuthMode::None,
            Some("oauth") => {
                let issuer = get("AUTH_ISSUER").ok_or_else(|| {
                    invalid("AUTH_ISSUER", "", "AUTH_TYPE=oauth needs the issuer's URL")
                })?;
                if !secure_or_loopback(&issuer) {
                    return Err(invalid(
                        "AUTH_ISSUER",
                        &issuer,
                        "it must be an https:// URL (http:// only on a loopback host)",
                    ));
                }
                let jwks_uri = get("AUTH_JWKS_URI");
                if let Some(j) = &jwks_uri {
                    if !secure_or_loopback(j) {
                        return Err(invalid(
                            "AUTH_JWKS_URI",
                            j,
                            "it must be an https:// URL (http:// only on a loopback host)",
                        ));
                    }
                }
                AuthMode::OAuth {
                    issuer: issuer.trim_end_matches('/').to_string(),
                    jwks_uri,
                }
            }
            Some(other) => {
                return Err(invalid("AUTH_TYPE", other, "it must be no-auth or oauth"));
            }
        };

        let allow_unauthenticated = allow_unauthenticated || flag("AWS_MCP_ALLOW_UNAUTHENTICATED")?;
        if auth == AuthMode::None && !is_loopback(addr.ip()) && !allow_unauthenticated {
            return Err(invalid(
                "AUTH_TYPE",
                "no-auth",
                format!(
                    "{addr} is not a loopback address, and serving AWS access there without authentication would let anyone who reaches it act with this server's AWS identity; set AUTH_TYPE=oauth with AUTH_ISSUER, or start with --allow-unauthenticated if a gateway in front authenticates every caller"
                ),
            ));
        }

        let mut allowed_hosts = list(get("AWS_API_MCP_ALLOWED_HOSTS"));
        if allowed_hosts.is_empty() {
            allowed_hosts = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
            if !addr.ip().is_unspecified() {
                allowed_hosts.push(addr.ip().to_string());
            }
        }
        let allowed_origins = list(get("AWS_API_MCP_ALLOWED_ORIGINS"));
        for o in &allowed_origins {
            if o != "*" && o != "null" && !(o.starts_with("http://") || o.starts_with("https://")) {
                return Err(invalid(
                    "AWS_API_MCP_ALLOWED_ORIGINS",
                    o,
                    "each origin is scheme://host[:port] (or * for any)",
                ));
            }
        }
        let stateless = flag("AWS_API_MCP_STATELESS_HTTP")?;

        let resource_url = match get("AWS_MCP_RESOURCE_URL") {
            Some(u) => {
                if !(u.starts_with("https://") || u.starts_with("http://")) {
                    return Err(invalid(
                        "AWS_MCP_RESOURCE_URL",
                        &u,
                        "it must be this server's public URL, such as https://aws-mcp.example.com/mcp",
                    ));
                }
                u
            }
            None => format!("http://{addr}{MCP_PATH}"),
        };

        let num = |k: &'static str, default: u64, min: u64, max: u64| -> Result<u64, ConfigError> {
            match get(k) {
                None => Ok(default),
                Some(v) => match v.parse::<u64>() {
                    Ok(n) if (min..=max).contains(&n) => Ok(n),
                    _ => Err(invalid(
                        k,
                        &v,
                        format!("it must be a whole number from {min} to {max}"),
                    )),
                },
            }
        };
        let max_body_bytes = num("AWS_MCP_MAX_BODY_BYTES", 1 << 20, 1024, 64 << 20)? as usize;
        let max_calls_per_caller = num("AWS_MCP_MAX_CALLS_PER_CALLER", 16, 1, 100_000)? as usize;
        let drain = Duration::from_secs(num("AWS_MCP_DRAIN_SECONDS", 30, 0, 3600)?);

        let mut roles = RoleMapping {
            default_role: get("AWS_MCP_CALLER_ROLE_ARN"),
            session_duration: Duration::from_secs(num(
                "AWS_MCP_CALLER_SESSION_SECONDS",
                3600,
                900,
                43_200,
            )?),
            ..RoleMapping::default()
        };
        if let Some(r) = &roles.default_role {
            check_role_arn("AWS_MCP_CALLER_ROLE_ARN", r)?;
        }
        if let Some(m) = get("AWS_MCP_CALLER_ROLE_MAP") {
            let bad = |why: &str| {
                invalid(
                    "AWS_MCP_CALLER_ROLE_MAP",
                    &m,
                    format!("{why}; write {{\"claim\": \"groups\", \"roles\": {{\"admins\": \"arn:aws:iam::123456789012:role/Admin\"}}}}"),
                )
            };
            let v: serde_json::Value =
                serde_json::from_str(&m).map_err(|e| bad(&format!("not JSON ({e})")))?;
            let claim = v
                .get("claim")
                .and_then(|c| c.as_str())
                .filter(|c| !c.is_empty())
                .ok_or_else(|| bad("\"claim\" (the token claim to look at) is missing"))?;
            let map = v
                .get("roles")
                .and_then(|r| r.as_object())
                .filter(|r| !r.is_empty())
                .ok_or_else(|| bad("\"roles\" (claim value → role ARN) is missing or empty"))?;
            for (value, role) in map {
                let role = role
                    .as_str()
                    .ok_or_else(|| bad(&format!("the role of {value:?} is not a string")))?;
                check_role_arn("AWS_MCP_CALLER_ROLE_MAP", role)?;
                roles.roles.push((value.clone(), role.to_string()));
            }
            roles.claim = Some(claim.to_string());
        }
        if roles.enabled() && !matches!(auth, AuthMode::OAuth { .. }) {
            return Err(invalid(
                "AWS_MCP_CALLER_ROLE_ARN",
                roles.default_role.as_deref().unwrap_or("(a role map)"),
                "callers' own roles need their tokens: set AUTH_TYPE=oauth",
            ));
        }

        Ok(HttpConfig {
            addr,
            allowed_hosts,
            allowed_origins,
            stateless,
            auth,
            resource_url,
            allow_unauthenticated,
            max_body_bytes,
            max_calls_per_caller,
            drain,
            roles,
        })
    }
}

fn check_role_arn(var: &'static str, arn: &str) -> Result<(), ConfigError> {
    let ok = arn.starts_with("arn:")
        && arn.split(':').count() == 6
        && arn
            .split(':')
            .nth(5)
            .is_some_and(|r| r.starts_with("role/"));
    if ok {
        Ok(())
    } else {
        Err(invalid(
            var,
            arn,
            "it must be an IAM role ARN (arn:aws:iam::123456789012:role/Name)",
        ))
    }
}

/// Whether the `aws-mcp serve` without `--http` should serve HTTP: the
/// reference's `AWS_API_MCP_TRANSPORT=streamable-http`.
pub fn transport_is_http(lookup: impl Fn(&str) -> Option<String>) -> Result<bool, ConfigError> {
    match lookup("AWS_API_MCP_TRANSPORT")
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("") | Some("stdio") => Ok(false),
        Some("streamable-http") | Some("http") => Ok(true),
        Some(other) => Err(invalid(
            "AWS_API_MCP_TRANSPORT",
            other,
            "it must be stdio or streamable-http",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(
        vars: &[(&str, &str)],
        addr: Option<&str>,
        allow: bool,
    ) -> Result<HttpConfig, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        HttpConfig::from_lookup(move |k| map.get(k).cloned(), addr, allow)
    }

    #[test]
    fn defaults_are_closed() {
        let c = cfg(&[], None, false).expect("loopback without auth is fine");
        assert_eq!(c.addr.to_string(), DEFAULT_ADDR);
        assert_eq!(c.resource_url, "http://127.0.0.1:8000/mcp");
        assert!(c.allowed_hosts.contains(&"localhost".to_string()));
        assert!(c.allowed_origins.is_empty());
        assert!(!c.stateless);
        assert_eq!(c.auth, AuthMode::None);
        assert_eq!(c.max_body_bytes, 1 << 20);
    }

    #[test]
    fn non_loopback_without_auth_refuses_unless_told() {
        let e = cfg(&[], Some("0.0.0.0:8000"), false)
            .expect_err("refused")
            .to_string();
        assert!(
            e.contains("--allow-unauthenticated") && e.contains("AUTH_TYPE"),
            "{e}"
        );
        let c = cfg(&[], Some("0.0.0.0:8000"), true).expect("the operator said so");
        assert!(c.allow_unauthenticated);
        assert!(cfg(
            &[("AWS_MCP_ALLOW_UNAUTHENTICATED", "true")],
            Some("0.0.0.0:8000"),
            false
        )
        .is_ok());
        let c = cfg(
            &[
                ("AUTH_TYPE", "oauth"),
                ("AUTH_ISSUER", "https://idp.example.com/"),
            ],
            Some("0.0.0.0:9000"),
            false,
        )
        .expect("authenticated");
        assert_eq!(
            c.auth,
            AuthMode::OAuth {
                issuer: "https://idp.example.com".into(),
                jwks_uri: None
            }
        );
    }

    #[test]
    fn reference_variables() {
        let c = cfg(
            &[
                ("AWS_API_MCP_HOST", "127.0.0.2"),
                ("AWS_API_MCP_PORT", "9001"),
                (
                    "AWS_API_MCP_ALLOWED_HOSTS",
                    "mcp.example.com, mcp.example.com:443",
                ),
                ("AWS_API_MCP_ALLOWED_ORIGINS", "https://app.example.com"),
                ("AWS_API_MCP_STATELESS_HTTP", "true"),
            ],
            None,
            false,
        )
        .expect("valid");
        assert_eq!(c.addr.to_string(), "127.0.0.2:9001");
        assert_eq!(c.allowed_hosts, ["mcp.example.com", "mcp.example.com:443"]);
        assert_eq!(c.allowed_origins, ["https://app.example.com"]);
        assert!(c.stateless);
        assert!(transport_is_http(|_| Some("streamable-http".into())).expect("valid"));
        assert!(!transport_is_http(|_| None).expect("valid"));
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (vars, var) in [
            (vec![("AUTH_TYPE", "basic")], "AUTH_TYPE"),
            (vec![("AUTH_TYPE", "oauth")], "AUTH_ISSUER"),
            (
                vec![
                    ("AUTH_TYPE", "oauth"),
                    ("AUTH_ISSUER", "http://idp.example.com"),
                ],
                "AUTH_ISSUER",
            ),
            (
                vec![
                    ("AUTH_TYPE", "oauth"),
                    ("AUTH_ISSUER", "https://idp.example.com"),
                    ("AUTH_JWKS_URI", "http://idp.example.com/jwks"),
                ],
                "AUTH_JWKS_URI",
            ),
            (vec![("AWS_API_MCP_PORT", "http")], "AWS_API_MCP_PORT"),
            (
                vec![("AWS_API_MCP_STATELESS_HTTP", "maybe")],
                "AWS_API_MCP_STATELESS_HTTP",
            ),
            (
                vec![("AWS_API_MCP_ALLOWED_ORIGINS", "app.example.com")],
                "AWS_API_MCP_ALLOWED_ORIGINS",
            ),
            (
                vec![("AWS_MCP_MAX_BODY_BYTES", "10")],
                "AWS_MCP_MAX_BODY_BYTES",
            ),
            (
                vec![("AWS_MCP_MAX_CALLS_PER_CALLER", "0")],
                "AWS_MCP_MAX_CALLS_PER_CALLER",
            ),
            (
                vec![("AWS_MCP_RESOURCE_URL", "mcp.example.com")],
                "AWS_MCP_RESOURCE_URL",
            ),
            (
                vec![("AWS_MCP_CALLER_ROLE_ARN", "arn:aws:iam::1:role/R")],
                "AWS_MCP_CALLER_ROLE_ARN",
            ),
            (
                vec![
                    ("AUTH_TYPE", "oauth"),
                    ("AUTH_ISSUER", "https://idp.example.com"),
                    ("AWS_MCP_CALLER_ROLE_ARN", "arn:aws:iam::1:user/U"),
                ],
                "AWS_MCP_CALLER_ROLE_ARN",
            ),
            (
                vec![
                    ("AUTH_TYPE", "oauth"),
                    ("AUTH_ISSUER", "https://idp.example.com"),
                    ("AWS_MCP_CALLER_ROLE_MAP", "{\"claim\": \"groups\"}"),
                ],
                "AWS_MCP_CALLER_ROLE_MAP",
            ),
            (
                vec![
                    ("AUTH_TYPE", "oauth"),
                    ("AUTH_ISSUER", "https://idp.example.com"),
                    ("AWS_MCP_CALLER_SESSION_SECONDS", "60"),
                ],
                "AWS_MCP_CALLER_SESSION_SECONDS",
            ),
        ] {
            let e = cfg(&vars, None, false).expect_err("refused").to_string();
            assert!(e.contains(var), "{var}: {e}");
        }
        let e = cfg(&[], Some("localhost:80:80"), false)
            .expect_err("refused")
            .to_string();
        assert!(e.contains("--http"), "{e}");
    }

    #[test]
    fn role_map_keeps_its_order() {
        let c = cfg(
            &[
                ("AUTH_TYPE", "oauth"),
                ("AUTH_ISSUER", "http://127.0.0.1:9/"),
                (
                    "AWS_MCP_CALLER_ROLE_MAP",
                    r#"{"claim":"groups","roles":{"admins":"arn:aws:iam::123456789012:role/Admin","devs":"arn:aws:iam::123456789012:role/Dev"}}"#,
                ),
            ],
            None,
            false,
        )
        .expect("valid");
        assert_eq!(c.roles.claim.as_deref(), Some("groups"));
        assert_eq!(c.roles.roles[0].0, "admins");
        assert_eq!(c.roles.roles[1].1, "arn:aws:iam::123456789012:role/Dev");
        assert_eq!(c.roles.session_duration, Duration::from_secs(3600));
    }
}
