//! Consent questions whose state travels with the client (protocol
//! 2026-07-28 and later), sealed so that any replica can take the answer.
//!
//! ## Design
//!
//! On 2026-07-28 a tool that needs the user's approval answers with an
//! input-required result carrying an opaque `requestState`; the client asks
//! the user and calls the tool again with the same arguments, the answer and
//! that state. Behind a load balancer the second call may reach another
//! replica, so the state cannot be a handle into one process's memory.
//!
//! [`ConsentSeal`] makes the state a value sealed with HMAC-SHA256 (rmcp's
//! [`RequestStateCodec`], no hand-written crypto) under a key every replica
//! shares (`AWS_MCP_CONSENT_KEY`). The seal binds, as associated data that
//! is authenticated but not carried:
//!
//! * the **caller** (`issuer|subject` of their token, `local` over stdio):
//!   another caller's answer never opens it;
//! * the **exact call**: the `call_aws` arguments (every command line, in
//!   order, and `max_results`) serialized as JSON; a changed command, an
//!   added one or a different limit never opens it;
//!
//! and carries an **expiry** ([`CONSENT_TTL`]) and a random nonce. A replica
//! remembers the nonces it redeemed until they expire, so an approval is
//! used once there; a copy replayed to *another* replica within the expiry
//! would run the same approved commands again for the same caller (no
//! shared store exists to prevent that; the window is the expiry).
//!
//! Without `AWS_MCP_CONSENT_KEY` the key is random per process: consent
//! works as long as the answer comes back to the same process (always true
//! over stdio).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rmcp::model::{RequestStateCodec, RequestStateError, SealOptions};

/// How long a consent question stays answerable.
pub const CONSENT_TTL: Duration = Duration::from_secs(300);

/// The most redeemed nonces remembered (older ones are dropped first once
/// they expired; the set is cleared beyond twice this).
const MAX_REDEEMED: usize = 16_384;

/// Why a consent state was not accepted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConsentStateError {
    /// Forged, tampered with, sealed for another caller or other commands,
    /// or sealed with another key.
    #[error("the consent state does not match this caller and these exact commands (or was sealed with another key)")]
    Mismatch,
    /// Past its expiry.
    #[error("the consent question expired (answers are taken for {} seconds)", CONSENT_TTL.as_secs())]
    Expired,
    /// Already used once on this replica.
    #[error("this consent answer was already used")]
    Replayed,
}

impl ConsentStateError {
    /// A stable snake_case kind.
    pub fn kind(&self) -> &'static str {
        match self {
            ConsentStateError::Mismatch => "mismatch",
            ConsentStateError::Expired => "expired",
            ConsentStateError::Replayed => "replayed",
        }
    }
}

/// A bad `AWS_MCP_CONSENT_KEY`.
#[derive(Debug, thiserror::Error)]
#[error("AWS_MCP_CONSENT_KEY is not valid: {0}; give at least 32 random bytes in base64 (for example: openssl rand -base64 48)")]
pub struct ConsentKeyError(String);

/// Seals and opens consent states (see the module docs).
pub struct ConsentSeal {
    codec: RequestStateCodec,
    shared_key: bool,
    ttl: Duration,
    redeemed: Mutex<HashMap<String, Instant>>,
}

impl std::fmt::Debug for ConsentSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsentSeal")
            .field("shared_key", &self.shared_key)
            .finish_non_exhaustive()
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    /// A random nonce (single use per replica).
    n: String,
}

impl ConsentSeal {
    /// A seal with a random key of this process.
    pub fn random() -> ConsentSeal {
        let mut key = Vec::with_capacity(32);
        key.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
        key.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
        ConsentSeal {
            // Two v4 UUIDs: 244 random bits from the operating system, 32 bytes.
            codec: RequestStateCodec::try_new(key).expect("32 bytes is the minimum key length"),
            shared_key: false,
            ttl: CONSENT_TTL,
            redeemed: Mutex::new(HashMap::new()),
        }
    }

    /// A seal with the key in `AWS_MCP_CONSENT_KEY` (base64, standard or
    /// URL-safe alphabet, at least 32 bytes), or a random one when unset.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<ConsentSeal, ConsentKeyError> {
        let Some(v) = lookup("AWS_MCP_CONSENT_KEY").filter(|v| !v.trim().is_empty()) else {
            return Ok(ConsentSeal::random());
        };
        use base64::Engine as _;
        let t = v.trim().trim_end_matches('=');
        let key = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(t)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(t))
            .map_err(|e| ConsentKeyError(format!("not base64 ({e})")))?;
        if key.len() < RequestStateCodec::MIN_KEY_LENGTH {
            return Err(ConsentKeyError(format!(
                "it holds {} bytes, fewer than {}",
                key.len(),
                RequestStateCodec::MIN_KEY_LENGTH
            )));
        }
        let codec = RequestStateCodec::try_new(key).map_err(|e| ConsentKeyError(e.to_string()))?;
        Ok(ConsentSeal {
            codec,
            shared_key: true,
            ttl: CONSENT_TTL,
            redeemed: Mutex::new(HashMap::new()),
        })
    }

    /// Questions stay answerable for `ttl` instead of [`CONSENT_TTL`].
    pub fn with_ttl(mut self, ttl: Duration) -> ConsentSeal {
        self.ttl = ttl;
        self
    }

    /// True when the key came from `AWS_MCP_CONSENT_KEY` (replicas sharing it
    /// accept each other's states).
    pub fn has_shared_key(&self) -> bool {
        self.shared_key
    }

    fn associated_data(caller: &str, call: &[u8]) -> Vec<u8> {
        let mut ad = Vec::with_capacity(32 + caller.len() + call.len());
        ad.extend_from_slice(b"aws-mcp/consent/v1\0");
        ad.extend_from_slice(caller.as_bytes());
        ad.push(0);
        ad.extend_from_slice(call);
        ad
    }

    /// The state for a consent question about `call` (the canonical bytes of
    /// the tool's arguments) asked of `caller`.
    pub fn seal(&self, caller: &str, call: &[u8]) -> String {
        let payload = Payload {
            n: uuid::Uuid::new_v4().simple().to_string(),
        };
        let bytes = serde_json::to_vec(&payload).unwrap_or_default();
        let ad = Self::associated_data(caller, call);
        self.codec.seal_with(
            &bytes,
            &SealOptions::new().associated_data(&ad).ttl(self.ttl),
        )
    }

    /// Accepts `state` when it was sealed (by any replica with the key) for
    /// this caller and this exact call, has not expired and was not used on
    /// this replica yet; it is then used up.
    pub fn open(&self, state: &str, caller: &str, call: &[u8]) -> Result<(), ConsentStateError> {
        let ad = Self::associated_data(caller, call);
        let bytes = self.codec.open_with(state, &ad).map_err(|e| match e {
            RequestStateError::Expired => ConsentStateError::Expired,
            _ => ConsentStateError::Mismatch,
        })?;
        let payload: Payload =
            serde_json::from_slice(&bytes).map_err(|_| ConsentStateError::Mismatch)?;
        let now = Instant::now();
        let mut seen = self
            .redeemed
            .lock()
            .map_err(|_| ConsentStateError::Mismatch)?;
        if seen.len() >= MAX_REDEEMED {
            let ttl = self.ttl;
            seen.retain(|_, t| now.duration_since(*t) < ttl);
            if seen.len() >= 2 * MAX_REDEEMED {
                seen.clear();
            }
        }
        if seen.insert(payload.n, now).is_some() {
            return Err(ConsentStateError::Replayed);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyed(key: &[u8]) -> ConsentSeal {
        use base64::Engine as _;
        let k = base64::engine::general_purpose::STANDARD.encode(key);
        ConsentSeal::from_lookup(|v| (v == "AWS_MCP_CONSENT_KEY").then(|| k.clone())).expect("key")
    }

    #[test]
    fn a_state_opens_for_the_same_caller_and_call_once() {
        let seal = ConsentSeal::random();
        let s = seal.seal("iss|alice", br#"{"cli_command":"aws s3 mb s3://x"}"#);
        assert!(seal
            .open(&s, "iss|alice", br#"{"cli_command":"aws s3 mb s3://x"}"#)
            .is_ok());
        assert!(matches!(
            seal.open(&s, "iss|alice", br#"{"cli_command":"aws s3 mb s3://x"}"#),
            Err(ConsentStateError::Replayed)
        ));
    }

    #[test]
    fn another_caller_other_commands_or_a_forgery_never_open_it() {
        let seal = ConsentSeal::random();
        let call = br#"{"cli_command":["aws s3 mb s3://x"]}"#;
        let s = seal.seal("iss|alice", call);
        for (caller, c) in [
            ("iss|bob", &call[..]),
            ("iss|alice", br#"{"cli_command":["aws s3 mb s3://y"]}"#),
            (
                "iss|alice",
                br#"{"cli_command":["aws s3 mb s3://x","aws s3 rb s3://z"]}"#,
            ),
            (
                "iss|alice",
                br#"{"cli_command":["aws s3 mb s3://x"],"max_results":5}"#,
            ),
        ] {
            assert!(matches!(
                seal.open(&s, caller, c),
                Err(ConsentStateError::Mismatch)
            ));
        }
        // A flipped character in the state.
        let mut forged = s.clone().into_bytes();
        let i = forged.len() - 3;
        forged[i] = if forged[i] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(forged).expect("ascii");
        assert!(seal.open(&forged, "iss|alice", call).is_err());
        assert!(seal.open("not a state", "iss|alice", call).is_err());
        // Another process's random key.
        assert!(ConsentSeal::random().open(&s, "iss|alice", call).is_err());
        // Still good for the right caller and call.
        assert!(seal.open(&s, "iss|alice", call).is_ok());
    }

    #[test]
    fn replicas_with_the_same_key_take_each_others_states() {
        let key = [7u8; 48];
        let a = keyed(&key);
        let b = keyed(&key);
        assert!(a.has_shared_key());
        let s = a.seal("local", b"call");
        assert!(b.open(&s, "local", b"call").is_ok());
        let other = keyed(&[8u8; 48]);
        assert!(other
            .open(&a.seal("local", b"call"), "local", b"call")
            .is_err());
    }

    #[test]
    fn an_expired_state_is_refused() {
        let seal = ConsentSeal::random().with_ttl(Duration::from_millis(1));
        let s = seal.seal("local", b"call");
        std::thread::sleep(Duration::from_millis(20));
        assert!(matches!(
            seal.open(&s, "local", b"call"),
            Err(ConsentStateError::Expired)
        ));
    }

    #[test]
    fn bad_keys_name_the_variable() {
        for bad in ["short", "not base64 !!", "AAAA"] {
            let e = ConsentSeal::from_lookup(|_| Some(bad.to_string()))
                .expect_err("refused")
                .to_string();
            assert!(e.contains("AWS_MCP_CONSENT_KEY"), "{e}");
        }
        assert!(!ConsentSeal::from_lookup(|_| None)
            .expect("random")
            .has_shared_key());
    }
}
