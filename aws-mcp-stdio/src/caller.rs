//! Who is calling, and with which AWS identity their commands run.
//!
//! ## Design
//!
//! * Over stdio there is one caller, the local user ([`Caller::local`]).
//!   Over HTTP with OAuth, every request carries a bearer token; the HTTP
//!   layer checks it and puts the [`Caller`] it proves into the request's
//!   extensions, where the tools read it ([`Caller::of_request`]).
//! * A [`Caller`] is what the server knows for sure about a person: the
//!   issuer and subject of a token it verified, the claims that choose a
//!   role, and the token itself (needed to exchange it with STS; never
//!   printed: `Debug` leaves it out).
//! * [`CallerIdentities`] turns a caller into the AWS credentials their
//!   commands run with. The HTTP transport implements it with STS
//!   `AssumeRoleWithWebIdentity` (`crate::http::sts`); without one, commands
//!   run with the server's own identity, as over stdio.

use std::sync::Arc;

use aws_mcp_core::Credentials;

/// The caller of a request, as proven by its credentials.
#[derive(Clone)]
pub struct Caller {
    /// A stable key for the caller: `issuer|subject` for a token, `local`
    /// over stdio, `anonymous` over HTTP without authentication.
    pub key: String,
    /// The token's `sub`.
    pub subject: Option<String>,
    /// The token's `iss`.
    pub issuer: Option<String>,
    /// The token's claims (as verified).
    pub claims: Arc<serde_json::Map<String, serde_json::Value>>,
    /// The bearer token itself, for the STS exchange.
    pub token: Option<Arc<str>>,
}

impl std::fmt::Debug for Caller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caller")
            .field("key", &self.key)
            .field("token", &self.token.as_ref().map(|_| "** redacted **"))
            .finish_non_exhaustive()
    }
}

impl Caller {
    /// The local user of a stdio server.
    pub fn local() -> Caller {
        Caller::unauthenticated("local")
    }

    /// A caller nobody authenticated (`key` says which kind).
    pub fn unauthenticated(key: &str) -> Caller {
        Caller {
            key: key.to_string(),
            subject: None,
            issuer: None,
            claims: Arc::new(serde_json::Map::new()),
            token: None,
        }
    }

    /// The caller of an MCP request: the one the HTTP layer proved and put
    /// into the request's extensions, else the local user.
    pub fn of_request(extensions: &rmcp::model::Extensions) -> Caller {
        extensions
            .get::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<Caller>().cloned())
            .unwrap_or_else(Caller::local)
    }
}

/// Why a caller's AWS credentials could not be had.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum IdentityError {
    /// No role applies to this caller (the claim→role mapping has none).
    #[error("no AWS role is mapped to this caller: {0}")]
    NoRole(String),
    /// The caller did not authenticate with a token to exchange.
    #[error("this caller has no token to exchange for AWS credentials")]
    NoToken,
    /// STS refused or failed.
    #[error("STS AssumeRoleWithWebIdentity failed for role {role}: {reason}")]
    Sts {
        /// The role asked for.
        role: String,
        /// STS's answer.
        reason: String,
    },
}

impl IdentityError {
    /// A stable snake_case kind.
    pub fn kind(&self) -> &'static str {
        match self {
            IdentityError::NoRole(_) => "no_role",
            IdentityError::NoToken => "no_token",
            IdentityError::Sts { .. } => "sts",
        }
    }
}

/// The AWS identity a caller's commands run with.
#[derive(Debug, Clone)]
pub struct Assumed {
    /// Their temporary credentials.
    pub credentials: Credentials,
    /// The role they were issued for.
    pub role_arn: String,
}

/// Turns a caller into the credentials their commands run with.
#[async_trait::async_trait]
pub trait CallerIdentities: Send + Sync {
    /// The caller's own temporary credentials (cached by the implementation
    /// until shortly before they expire, never shared between callers).
    async fn credentials(&self, caller: &Caller) -> Result<Assumed, IdentityError>;
}
