//! Retries as botocore makes them: the three retry modes, the maximum
//! number of attempts, backoff, the retry quota and the adaptive client-side
//! rate limiter.
//!
//! ## Settings
//!
//! `AWS_RETRY_MODE` (`legacy`, the AWS CLI v1 default; `standard`, the
//! AWS CLI v2 default; `adaptive`) and `AWS_MAX_ATTEMPTS` (total attempts, at least 1), else the
//! profile's `retry_mode` and `max_attempts` in the config file, as botocore
//! reads them. A bad value is an error in botocore's words.
//!
//! ## Modes (botocore 1.44)
//!
//! * **legacy** (`botocore/data/_retry.json`, transcribed in [`legacy_rule`]):
//!   5 attempts (DynamoDB 10); connection errors; HTTP 429, 500, 502, 503,
//!   504 and 509; `Throttling`, `ThrottlingException`, `ThrottledException`,
//!   `RequestThrottledException` and `ProvisionedThroughputExceededException`
//!   with status 400, and each service's own rules (EC2
//!   `RequestLimitExceeded`, S3 `RequestTimeout` and `BadDigest`, ...).
//!   Delay before retry *n* (1-based): `rand() × 2^(n-1)` seconds
//!   (DynamoDB: `0.05 × 2^(n-1)`).
//! * **standard** (`botocore/retries/standard.py`): 3 attempts; connection
//!   errors, status 500/502/503/504, the transient codes (`RequestTimeout`,
//!   `RequestTimeoutException`, `PriorRequestNotComplete`), the throttling
//!   codes, and STS's `IDPCommunicationError`. Delay `min(rand() × 2^(n-1),
//!   20)` seconds. A retry draws on a quota shared by the executor's calls
//!   (500 units; 5 per retry, 10 after a timeout; a success gives back what
//!   its last retry took, or 1): when it runs dry, errors are not retried.
//! * **adaptive** (`botocore/retries/adaptive.py`): standard, plus a
//!   client-side rate limiter that turns on at the first throttling answer:
//!   a token bucket whose rate follows CUBIC (drop to 0.7× the measured send
//!   rate on throttling, grow back along the cubic curve on success), and
//!   every request waits for a token.
//!
//! When retries stopped because the attempts ran out on an error that would
//! have been retried, botocore marks the response and the AWS CLI's message
//! says `(reached max retries: N)`; standard and adaptive also mark it when
//! `max_attempts` is 1, whatever the error ([`Policy::exhausted`]).

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A retry mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetryMode {
    /// botocore's `legacy` mode, the AWS CLI v1 default.
    #[default]
    Legacy,
    /// `standard`.
    Standard,
    /// `adaptive`: standard with client-side rate limiting.
    Adaptive,
}

impl RetryMode {
    /// The mode named `v` (`legacy`, `standard`, `adaptive`).
    pub fn parse(v: &str) -> Option<RetryMode> {
        match v.trim() {
            "legacy" => Some(RetryMode::Legacy),
            "standard" => Some(RetryMode::Standard),
            "adaptive" => Some(RetryMode::Adaptive),
            _ => None,
        }
    }
}

/// The retry settings in force: the mode and the total attempts when set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RetrySettings {
    /// The mode.
    pub mode: RetryMode,
    /// `max_attempts` (total attempts), when set.
    pub max_attempts: Option<u32>,
}

impl RetrySettings {
    /// The settings from `AWS_RETRY_MODE` and `AWS_MAX_ATTEMPTS` (by `env`),
    /// else from the config file's `retry_mode` and `max_attempts` of
    /// `profile` (`config`: the file's text), else `default_mode` (the AWS
    /// CLI's: `legacy` in v1, `standard` in v2).
    ///
    /// # Errors
    /// A message naming the setting when its value is not valid.
    pub fn resolve(
        env: impl Fn(&str) -> Option<String>,
        config: &str,
        profile: Option<&str>,
        default_mode: RetryMode,
    ) -> Result<RetrySettings, String> {
        let from_file = |key: &str| profile_value(config, profile.unwrap_or("default"), key);
        let mode = env("AWS_RETRY_MODE")
            .filter(|v| !v.is_empty())
            .or_else(|| from_file("retry_mode"));
        let mode = match mode {
            None => default_mode,
            Some(v) => RetryMode::parse(&v).ok_or_else(|| {
                format!(
                    "Invalid value provided to \"mode\": \"{v}\" must be one of: ('legacy', 'standard', 'adaptive')"
                )
            })?,
        };
        let attempts = env("AWS_MAX_ATTEMPTS")
            .filter(|v| !v.is_empty())
            .or_else(|| from_file("max_attempts"));
        let max_attempts = match attempts {
            None => None,
            Some(v) => match v.trim().parse::<i64>() {
                Ok(n) if n >= 1 => Some(u32::try_from(n).unwrap_or(u32::MAX)),
                Ok(n) => {
                    return Err(format!(
                        "Value provided to \"max_attempts\": {n} must be an integer greater than or equal to 1."
                    ))
                }
                Err(_) => {
                    return Err(format!(
                        "invalid literal for int() with base 10: '{}'",
                        v.trim()
                    ))
                }
            },
        };
        Ok(RetrySettings { mode, max_attempts })
    }
}

/// The value of `key` in the `[default]` or `[profile NAME]` section of an
/// AWS config file's text.
fn profile_value(config: &str, profile: &str, key: &str) -> Option<String> {
    let want = if profile == "default" {
        "default".to_string()
    } else {
        format!("profile {profile}")
    };
    let mut inside = false;
    let mut found = None;
    for line in config.lines() {
        let t = line.trim();
        if t.starts_with('[') && t.ends_with(']') {
            let name = t[1..t.len() - 1]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            inside = name == want;
            continue;
        }
        if !inside || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        if let Some((k, v)) = t.split_once('=') {
            if k.trim() == key {
                found = Some(v.trim().to_string());
            }
        }
    }
    found
}

/// The throttling error codes of botocore's standard mode.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// The transient error codes of botocore's standard mode.
const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

/// Whether an error answer is throttling (what turns the adaptive rate
/// limiter on).
pub(crate) fn is_throttling(code: &str) -> bool {
    THROTTLING_CODES.contains(&code)
}

/// A legacy-mode rule of `_retry.json` that matches an API error answer:
/// the service's own rules, then the default ones. Each names an error code
/// (checked with its status) or a status alone.
fn legacy_rule(service: &str, status: u16, code: &str) -> bool {
    let pair = |c: &str, s: u16| code == c && status == s;
    let default = matches!(status, 429 | 500 | 502 | 503 | 504 | 509)
        || pair("ThrottlingException", 400)
        || pair("ThrottledException", 400)
        || pair("RequestThrottledException", 400)
        || pair("Throttling", 400)
        || pair("ProvisionedThroughputExceededException", 400);
    let own = match service {
        "organizations" => pair("TooManyRequestsException", 400),
        "dynamodb" => {
            pair("ReplicatedWriteConflictException", 409)
                || pair("TransactionInProgressException", 400)
        }
        "ec2" => pair("RequestLimitExceeded", 503) || pair("EC2ThrottledException", 503),
        "cloudsearch" => pair("BandwidthLimitExceeded", 509),
        "kinesis" => pair("LimitExceededException", 400),
        "sqs" => pair("RequestThrottled", 403),
        "s3" => pair("RequestTimeout", 400) || pair("BadDigest", 400),
        "glacier" => pair("RequestTimeoutException", 408),
        "route53" => pair("Throttling", 400) || pair("PriorRequestNotComplete", 400),
        "sts" => pair("IDPCommunicationError", 400),
        _ => false,
    };
    default || own
}

/// The retry behaviour of one command (see the module docs).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    mode: RetryMode,
    service: &'static str,
    max_attempts: u32,
}

/// A borrowed service name kept as a small static choice (only the names
/// legacy rules know matter; others map to "").
fn known_service(service: &str) -> &'static str {
    const KNOWN: &[&str] = &[
        "organizations",
        "dynamodb",
        "ec2",
        "cloudsearch",
        "kinesis",
        "sqs",
        "s3",
        "glacier",
        "route53",
        "sts",
    ];
    KNOWN.iter().find(|k| **k == service).copied().unwrap_or("")
}

impl Policy {
    /// The policy for a call to botocore service `service` (the API name).
    pub(crate) fn new(settings: RetrySettings, service: &str) -> Policy {
        let service = known_service(service);
        let default = match settings.mode {
            RetryMode::Legacy if service == "dynamodb" => 10,
            RetryMode::Legacy => 5,
            _ => 3,
        };
        Policy {
            mode: settings.mode,
            service,
            max_attempts: settings.max_attempts.unwrap_or(default).max(1),
        }
    }

    /// Total attempts allowed.
    pub(crate) fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The mode.
    pub(crate) fn mode(&self) -> RetryMode {
        self.mode
    }

    /// Whether an API error answer is one this mode retries.
    pub(crate) fn retryable(&self, status: u16, code: &str) -> bool {
        match self.mode {
            RetryMode::Legacy => legacy_rule(self.service, status, code),
            RetryMode::Standard | RetryMode::Adaptive => {
                matches!(status, 500 | 502 | 503 | 504)
                    || TRANSIENT_CODES.contains(&code)
                    || THROTTLING_CODES.contains(&code)
                    || code == "IDPCommunicationError"
            }
        }
    }

    /// Whether the CLI's error message says `(reached max retries: N)`
    /// after `attempts` attempts ended on an error (`retryable`: whether
    /// this mode retries it).
    pub(crate) fn exhausted(&self, attempts: u32, retryable: bool) -> bool {
        attempts >= self.max_attempts
            && match self.mode {
                RetryMode::Legacy => retryable,
                // MaxAttemptsChecker runs before the error checks.
                RetryMode::Standard | RetryMode::Adaptive => true,
            }
    }

    /// The wait before retry number `retry` (1 for the first retry).
    pub(crate) fn delay(&self, retry: u32, random: f64) -> Duration {
        let growth = 2f64.powi(retry.saturating_sub(1).min(30) as i32);
        let secs = match self.mode {
            RetryMode::Legacy if self.service == "dynamodb" => 0.05 * growth,
            RetryMode::Legacy => random * growth,
            _ => (random * growth).min(20.0),
        };
        Duration::from_secs_f64(secs.max(0.0))
    }
}

/// A uniform random number in [0, 1).
pub(crate) fn random() -> f64 {
    let b = uuid::Uuid::new_v4().as_u128() >> 75; // 53 random bits (v4 has 122)
    b as f64 / (1u64 << 53) as f64
}

/// The retry quota of standard and adaptive modes, shared by the calls of
/// one executor (botocore keeps one per client).
#[derive(Debug)]
pub(crate) struct Quota {
    available: Mutex<u32>,
}

impl Default for Quota {
    fn default() -> Self {
        Quota {
            available: Mutex::new(Quota::CAPACITY),
        }
    }
}

impl Quota {
    /// The initial (and largest) capacity.
    pub(crate) const CAPACITY: u32 = 500;
    /// What a retry costs.
    pub(crate) const RETRY_COST: u32 = 5;
    /// What a retry after a timeout costs.
    pub(crate) const TIMEOUT_COST: u32 = 10;

    /// Take `cost` for a retry; false when the quota cannot pay it.
    pub(crate) fn acquire(&self, cost: u32) -> bool {
        let mut a = self.available.lock().unwrap_or_else(|e| e.into_inner());
        if *a < cost {
            return false;
        }
        *a -= cost;
        true
    }

    /// Give back `amount` after a success.
    pub(crate) fn release(&self, amount: u32) {
        let mut a = self.available.lock().unwrap_or_else(|e| e.into_inner());
        *a = (*a + amount).min(Quota::CAPACITY);
    }

    /// What is left.
    #[cfg(test)]
    pub(crate) fn available(&self) -> u32 {
        *self.available.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The adaptive mode's client-side rate limiter (one per executor).
#[derive(Debug)]
pub(crate) struct RateLimiter {
    state: Mutex<Limiter>,
    start: Instant,
}

#[derive(Debug)]
struct Limiter {
    enabled: bool,
    // Token bucket.
    fill_rate: f64,
    max_capacity: f64,
    capacity: f64,
    last_refill: Option<f64>,
    // Measured send rate.
    measured: f64,
    last_bucket: f64,
    count: f64,
    // CUBIC.
    w_max: f64,
    k: f64,
    last_fail: f64,
}

const MIN_RATE: f64 = 0.5;
const SMOOTHING: f64 = 0.8;
const BUCKET_SCALE: f64 = 2.0; // time buckets of 0.5 s
const CUBIC_SCALE: f64 = 0.4;
const CUBIC_BETA: f64 = 0.7;
const MAX_RATE_ADJUST_SCALE: f64 = 2.0;

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter {
            state: Mutex::new(Limiter {
                enabled: false,
                fill_rate: 1.0,
                max_capacity: 1.0,
                capacity: 0.0,
                last_refill: None,
                measured: 0.0,
                last_bucket: 0.0,
                count: 0.0,
                w_max: 0.0,
                k: 0.0,
                last_fail: 0.0,
            }),
            start: Instant::now(),
        }
    }
}

impl Limiter {
    fn refill(&mut self, now: f64) {
        match self.last_refill {
            None => self.last_refill = Some(now),
            Some(t) => {
                self.capacity = (self.capacity + (now - t) * self.fill_rate).min(self.max_capacity);
                self.last_refill = Some(now);
            }
        }
    }

    fn set_max_rate(&mut self, rate: f64, now: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_RATE);
        self.max_capacity = if rate >= 1.0 { rate } else { 1.0 };
        self.capacity = self.capacity.min(self.max_capacity);
    }

    fn zero_point(&self) -> f64 {
        (self.w_max * (1.0 - CUBIC_BETA) / CUBIC_SCALE).cbrt()
    }
}

impl RateLimiter {
    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// How long a request must wait for a token before it is sent (zero
    /// until the first throttling answer). The token is taken.
    pub(crate) fn wait_before_send(&self) -> Duration {
        let now = self.now();
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if !s.enabled {
            return Duration::ZERO;
        }
        s.refill(now);
        s.capacity -= 1.0;
        if s.capacity >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-s.capacity / s.fill_rate)
        }
    }

    /// Record an answer: throttling or not.
    pub(crate) fn record(&self, throttled: bool) {
        let now = self.now();
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        // RateClocker.record.
        let bucket = (now * BUCKET_SCALE).floor() / BUCKET_SCALE;
        s.count += 1.0;
        if bucket > s.last_bucket {
            let current = s.count / (bucket - s.last_bucket);
            s.measured = current * SMOOTHING + s.measured * (1.0 - SMOOTHING);
            s.count = 0.0;
            s.last_bucket = bucket;
        }
        let measured = s.measured;
        let new_rate = if throttled {
            let rate = if s.enabled {
                measured.min(s.fill_rate)
            } else {
                measured
            };
            s.w_max = rate;
            s.k = s.zero_point();
            s.last_fail = now;
            s.enabled = true;
            rate * CUBIC_BETA
        } else {
            CUBIC_SCALE * (now - s.last_fail - s.k).powi(3) + s.w_max
        };
        s.set_max_rate(new_rate.min(MAX_RATE_ADJUST_SCALE * measured), now);
    }

    /// Whether the limiter is on (after a throttling answer).
    #[cfg(test)]
    pub(crate) fn enabled(&self) -> bool {
        self.state.lock().map(|s| s.enabled).unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(
        env: &[(&str, &str)],
        config: &str,
        profile: Option<&str>,
    ) -> Result<RetrySettings, String> {
        RetrySettings::resolve(
            |k| {
                env.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            },
            config,
            profile,
            RetryMode::Legacy,
        )
    }

    #[test]
    fn the_default_mode_is_the_cli_versions() {
        let none = |_: &str| None;
        let v1 = RetrySettings::resolve(none, "", None, RetryMode::Legacy).unwrap();
        let v2 = RetrySettings::resolve(none, "", None, RetryMode::Standard).unwrap();
        assert_eq!((v1.mode, v2.mode), (RetryMode::Legacy, RetryMode::Standard));
        // A setting wins over the version's default.
        let set = |k: &str| (k == "AWS_RETRY_MODE").then(|| "legacy".to_string());
        let s = RetrySettings::resolve(set, "", None, RetryMode::Standard).unwrap();
        assert_eq!(s.mode, RetryMode::Legacy);
    }

    #[test]
    fn settings_from_the_environment_then_the_profile() {
        assert_eq!(settings(&[], "", None).unwrap(), RetrySettings::default());
        let s = settings(
            &[("AWS_RETRY_MODE", "standard"), ("AWS_MAX_ATTEMPTS", "7")],
            "",
            None,
        )
        .unwrap();
        assert_eq!((s.mode, s.max_attempts), (RetryMode::Standard, Some(7)));
        let cfg = "[default]\nretry_mode = adaptive\n[profile p]\nretry_mode = standard\nmax_attempts = 2\n";
        assert_eq!(settings(&[], cfg, None).unwrap().mode, RetryMode::Adaptive);
        let s = settings(&[], cfg, Some("p")).unwrap();
        assert_eq!((s.mode, s.max_attempts), (RetryMode::Standard, Some(2)));
        // The environment wins.
        assert_eq!(
            settings(&[("AWS_RETRY_MODE", "legacy")], cfg, None)
                .unwrap()
                .mode,
            RetryMode::Legacy
        );
        // botocore's words.
        let e = settings(&[("AWS_RETRY_MODE", "fast")], "", None).unwrap_err();
        assert_eq!(e, "Invalid value provided to \"mode\": \"fast\" must be one of: ('legacy', 'standard', 'adaptive')");
        let e = settings(&[("AWS_MAX_ATTEMPTS", "0")], "", None).unwrap_err();
        assert_eq!(
            e,
            "Value provided to \"max_attempts\": 0 must be an integer greater than or equal to 1."
        );
        let e = settings(&[("AWS_MAX_ATTEMPTS", "-1")], "", None).unwrap_err();
        assert!(e.contains(": -1 must be"), "{e}");
        let e = settings(&[], "[default]\nmax_attempts = none\n", None).unwrap_err();
        assert_eq!(e, "invalid literal for int() with base 10: 'none'");
    }

    #[test]
    fn attempts_per_mode() {
        let legacy = RetrySettings::default();
        assert_eq!(Policy::new(legacy, "iam").max_attempts(), 5);
        assert_eq!(Policy::new(legacy, "dynamodb").max_attempts(), 10);
        let standard = RetrySettings {
            mode: RetryMode::Standard,
            max_attempts: None,
        };
        assert_eq!(Policy::new(standard, "dynamodb").max_attempts(), 3);
        let one = RetrySettings {
            mode: RetryMode::Legacy,
            max_attempts: Some(1),
        };
        assert_eq!(Policy::new(one, "dynamodb").max_attempts(), 1);
    }

    #[test]
    fn legacy_rules_pair_codes_with_statuses() {
        let p = Policy::new(RetrySettings::default(), "ec2");
        assert!(p.retryable(400, "Throttling"));
        assert!(
            !p.retryable(403, "Throttling"),
            "Throttling counts with status 400 only"
        );
        assert!(p.retryable(503, "RequestLimitExceeded"));
        assert!(p.retryable(429, "Anything"));
        assert!(p.retryable(509, ""));
        assert!(
            !p.retryable(400, "TooManyRequestsException"),
            "organizations only"
        );
        assert!(Policy::new(RetrySettings::default(), "organizations")
            .retryable(400, "TooManyRequestsException"));
        assert!(Policy::new(RetrySettings::default(), "s3").retryable(400, "BadDigest"));
        assert!(!p.retryable(400, "ValidationError"));
    }

    #[test]
    fn standard_rules() {
        let p = Policy::new(
            RetrySettings {
                mode: RetryMode::Standard,
                max_attempts: None,
            },
            "iam",
        );
        assert!(p.retryable(400, "TooManyRequestsException"));
        assert!(p.retryable(400, "PriorRequestNotComplete"));
        assert!(p.retryable(502, "Whatever"));
        assert!(
            !p.retryable(429, "Whatever"),
            "standard checks codes, not 429"
        );
        assert!(!p.retryable(400, "AccessDenied"));
    }

    #[test]
    fn max_retries_reached_like_botocore() {
        let legacy = Policy::new(RetrySettings::default(), "iam");
        assert!(legacy.exhausted(5, true));
        assert!(!legacy.exhausted(5, false));
        assert!(!legacy.exhausted(4, true));
        let one = Policy::new(
            RetrySettings {
                mode: RetryMode::Standard,
                max_attempts: Some(1),
            },
            "iam",
        );
        assert!(
            one.exhausted(1, false),
            "standard marks it whatever the error"
        );
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let legacy = Policy::new(RetrySettings::default(), "iam");
        assert_eq!(legacy.delay(1, 0.5), Duration::from_millis(500));
        assert_eq!(legacy.delay(3, 0.5), Duration::from_secs(2));
        let ddb = Policy::new(RetrySettings::default(), "dynamodb");
        assert_eq!(ddb.delay(3, 0.9), Duration::from_millis(200));
        let std = Policy::new(
            RetrySettings {
                mode: RetryMode::Standard,
                max_attempts: None,
            },
            "iam",
        );
        assert_eq!(std.delay(10, 0.99), Duration::from_secs(20));
        for _ in 0..100 {
            let r = random();
            assert!((0.0..1.0).contains(&r));
        }
    }

    #[test]
    fn quota_runs_dry_and_refills() {
        let q = Quota::default();
        let mut n = 0;
        while q.acquire(Quota::RETRY_COST) {
            n += 1;
        }
        assert_eq!(n, 100);
        assert!(!q.acquire(Quota::RETRY_COST));
        q.release(Quota::RETRY_COST);
        assert!(q.acquire(Quota::RETRY_COST));
        for _ in 0..1000 {
            q.release(1);
        }
        assert_eq!(q.available(), Quota::CAPACITY);
    }

    #[test]
    fn the_rate_limiter_turns_on_at_throttling_and_makes_requests_wait() {
        let l = RateLimiter::default();
        for _ in 0..5 {
            assert_eq!(l.wait_before_send(), Duration::ZERO);
            l.record(false);
        }
        assert!(!l.enabled());
        l.record(true);
        assert!(l.enabled());
        // At the minimum rate (0.5/s) a burst must wait.
        let waits: Vec<Duration> = (0..4).map(|_| l.wait_before_send()).collect();
        assert!(
            waits.last().is_some_and(|w| *w >= Duration::from_secs(1)),
            "{waits:?}"
        );
    }
}
