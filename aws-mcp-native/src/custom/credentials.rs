//! The AWS CLI's hand-written commands that print credentials:
//! `ecr get-login-password`, `ecr-public get-login-password`, `ecr
//! get-login` (AWS CLI v1), `rds generate-db-auth-token` and `eks
//! get-token`.
//!
//! The policy decides whether they run at all (they are flagged as
//! returning credentials: refused unless `AWS_MCP_ALLOW_CREDENTIAL_COMMANDS`
//! is `true`); here they only reproduce what awscli prints:
//!
//! * `get-login-password` (`customizations/ecr.py`, `ecr_public.py`):
//!   `GetAuthorizationToken` through the executor ([`super::call`]), the
//!   first authorization token base64-decoded, `AWS:<password>` split on
//!   `:`, the password printed with a newline. `ecr get-login` prints one
//!   `docker login -u AWS -p <password> [-e none] <proxy endpoint>` line per
//!   registry.
//! * `rds generate-db-auth-token` (botocore's `generate_db_auth_token`):
//!   `https://<hostname>:<port>/?Action=connect&DBUser=<user>` presigned
//!   for `rds-db` in the command's region, valid 900 seconds, printed
//!   without its scheme. Nothing is sent.
//! * `eks get-token` (`customizations/eks/get_token.py`): STS
//!   `GetCallerIdentity` presigned as a `GET` valid 60 seconds with the
//!   `x-k8s-aws-id: <cluster>` header signed, at the STS endpoint of the
//!   command's region (awscli's STS client ignores `--endpoint-url`;
//!   `AWS_ENDPOINT_URL_STS`/`AWS_ENDPOINT_URL` still apply), with the
//!   credentials of `--role-arn` (STS `AssumeRole`, session
//!   `EKSGetTokenAuth`) when given. The token is `k8s-aws-v1.` and the URL
//!   in URL-safe base64 without padding, printed in an `ExecCredential`
//!   (its `apiVersion` from `KUBERNETES_EXEC_INFO`, expiring in 14 minutes)
//!   with the caller's output and query, then an empty line.
//!
//! Every presigned URL is signed by [`crate::presign`] (the executor's one
//! query-string signer) and its parameters put in botocore's order.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_mcp_core::catalog::CommandKind;
use aws_mcp_core::{ExecOptions, ValidatedCommand};
use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::s3::Printed;
use crate::{NativeError, NativeExecutor};

/// `eks get-token`'s presigned URL lifetime (`URL_TIMEOUT`).
const EKS_URL_TIMEOUT: Duration = Duration::from_secs(60);
/// `eks get-token`'s token expiry (`TOKEN_EXPIRATION_MINS`).
const EKS_TOKEN_MINUTES: i64 = 14;
/// `eks get-token`'s token prefix.
const EKS_TOKEN_PREFIX: &str = "k8s-aws-v1.";
/// The header naming the cluster in `eks get-token`'s signed request.
const K8S_AWS_ID_HEADER: &str = "x-k8s-aws-id";
/// `rds generate-db-auth-token`'s token lifetime.
const RDS_TOKEN_EXPIRES: Duration = Duration::from_secs(900);

/// The client authentication API versions `eks get-token` prints.
const V1_API: &str = "client.authentication.k8s.io/v1";
const BETA_API: &str = "client.authentication.k8s.io/v1beta1";
const ALPHA_API: &str = "client.authentication.k8s.io/v1alpha1";

/// The values of argument `name` of `command`.
pub(super) fn arg<'a>(command: &'a ValidatedCommand, name: &str) -> Option<&'a [String]> {
    command
        .args()
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.values.as_slice())
}

/// The single value of argument `name`.
pub(super) fn value<'a>(command: &'a ValidatedCommand, name: &str) -> Option<&'a str> {
    arg(command, name)
        .and_then(|v| v.first())
        .map(String::as_str)
}

/// Why a value of `command` is left to the AWS CLI: awscli reads an
/// argument value that starts with `file://` or `fileb://` from that file,
/// and AWS CLI v1 one that starts with `http://` or `https://` from that
/// URL, before the command sees it (its `load-cli-arg` handler) — for
/// hand-written commands too.
pub(super) fn loaded_value(command: &ValidatedCommand) -> Result<(), String> {
    const PREFIXES: &[&str] = &["file://", "fileb://", "http://", "https://"];
    for a in command.args() {
        for v in &a.values {
            if let Some(p) = PREFIXES.iter().find(|p| v.starts_with(*p)) {
                return Err(format!(
                    "--{} starts with {p}: awscli replaces such a value with what it reads there",
                    a.name
                ));
            }
        }
    }
    Ok(())
}

/// Whether this module reproduces `command`, or why not.
pub(crate) fn support(command: &ValidatedCommand) -> Result<(), String> {
    if command.kind() != CommandKind::Custom {
        return Err("not a hand-written command".into());
    }
    loaded_value(command)?;
    let g = command.globals();
    let presigns = matches!(
        (command.service(), command.operation()),
        ("rds", "generate-db-auth-token") | ("eks", "get-token")
    );
    if presigns && g.no_sign_request {
        return Err("--no-sign-request: an unsigned token is left to the AWS CLI".into());
    }
    match (command.service(), command.operation()) {
        ("ecr", "get-login-password" | "get-login") | ("ecr-public", "get-login-password") => {
            Ok(())
        }
        ("rds", "generate-db-auth-token") => {
            let port = value(command, "port").unwrap_or("");
            if port.trim().parse::<i64>().is_err() {
                return Err("a --port that is not a plain integer is left to the AWS CLI".into());
            }
            Ok(())
        }
        ("eks", "get-token") => {
            let name = value(command, "cluster-name").is_some();
            let id = value(command, "cluster-id").is_some();
            if name == id {
                return Err(
                    "eks get-token needs exactly one of --cluster-name and --cluster-id; the AWS CLI reports it"
                        .into(),
                );
            }
            Ok(())
        }
        (s, c) => Err(format!("`{s} {c}` is not a credentials command")),
    }
}

/// Run a command [`support`] accepted.
pub(crate) async fn run(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<Printed, NativeError> {
    support(command).map_err(NativeError::Unsupported)?;
    match (command.service(), command.operation()) {
        ("ecr", "get-login-password") | ("ecr-public", "get-login-password") => {
            let result = match super::call(
                ex,
                command,
                command.service(),
                "get-authorization-token",
                &Map::new(),
                options,
            )
            .await?
            {
                Ok(r) => r,
                Err(printed) => return Ok(printed),
            };
            // ECR answers a list of authorizations, ECR Public one.
            let auth = match &result["authorizationData"] {
                Value::Array(a) => a.first().cloned().unwrap_or(Value::Null),
                other => other.clone(),
            };
            let (_, password) = login(&auth)?;
            Ok(Printed::ok(format!("{password}\n")))
        }
        ("ecr", "get-login") => {
            let mut params = Map::new();
            if let Some(ids) = arg(command, "registry-ids") {
                params.insert("registryIds".into(), json!(ids));
            }
            let result = match super::call(
                ex,
                command,
                "ecr",
                "get-authorization-token",
                &params,
                options,
            )
            .await?
            {
                Ok(r) => r,
                Err(printed) => return Ok(printed),
            };
            let email = arg(command, "no-include-email").is_none();
            let mut out = String::new();
            let data = result["authorizationData"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for auth in &data {
                out.push_str(&docker_login(auth, email)?);
                out.push('\n');
            }
            Ok(Printed::ok(out))
        }
        ("rds", "generate-db-auth-token") => {
            let (region, creds) = region_and_credentials(ex, command, options).await?;
            let host = value(command, "hostname").unwrap_or("");
            let port: i64 = value(command, "port")
                .unwrap_or("")
                .trim()
                .parse()
                .map_err(|_| NativeError::Request("--port is not an integer".into()))?;
            let user = value(command, "username").unwrap_or("");
            let token = db_auth_token(host, port, user, &region, &creds, SystemTime::now())?;
            Ok(Printed::ok(format!("{token}\n")))
        }
        ("eks", "get-token") => get_token(ex, command, options).await,
        (s, c) => Err(NativeError::Unsupported(format!(
            "`{s} {c}` is not a credentials command"
        ))),
    }
}

/// The user name and password in an authorization's base64
/// `authorizationToken` (`user:password`, exactly one `:`, as awscli's
/// `auth_token.split(':')` needs).
fn login(auth: &Value) -> Result<(String, String), NativeError> {
    let token = auth["authorizationToken"].as_str().ok_or_else(|| {
        NativeError::Response("GetAuthorizationToken returned no authorizationToken".into())
    })?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .map_err(|e| {
            NativeError::Response(format!("the authorization token is not base64: {e}"))
        })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| NativeError::Response("the authorization token is not UTF-8".into()))?;
    let mut parts = text.split(':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(u), Some(p), None) => Ok((u.to_string(), p.to_string())),
        _ => Err(NativeError::Response(
            "the authorization token is not `user:password`".into(),
        )),
    }
}

/// `ecr get-login`'s line for one authorization.
fn docker_login(auth: &Value, include_email: bool) -> Result<String, NativeError> {
    let (user, password) = login(auth)?;
    let endpoint = auth["proxyEndpoint"].as_str().unwrap_or("");
    let mut words = vec!["docker", "login", "-u", &user, "-p", &password];
    if include_email {
        words.extend(["-e", "none"]);
    }
    words.push(endpoint);
    Ok(words.join(" "))
}

/// The command's region (as the executor chooses it) and the credentials
/// to sign with (the caller's own, else the executor's identity).
async fn region_and_credentials(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<(String, Credentials), NativeError> {
    Ok((
        ex.region_of(command).await?,
        ex.credentials_for(command, options).await?,
    ))
}

/// botocore's `generate_db_auth_token`: the presigned `connect` URL without
/// its scheme.
fn db_auth_token(
    host: &str,
    port: i64,
    user: &str,
    region: &str,
    creds: &Credentials,
    now: SystemTime,
) -> Result<String, NativeError> {
    let url = format!(
        "https://{host}:{port}/?Action=connect&DBUser={}",
        aws_mcp_wire::protocol::serialize::percent_encode(user, b"")
    );
    let signed =
        crate::presign::presign_get(&url, creds, "rds-db", region, RDS_TOKEN_EXPIRES, now)?;
    let signed = crate::presign::botocore_order(&signed);
    Ok(signed
        .strip_prefix("https://")
        .unwrap_or(&signed)
        .to_string())
}

/// `eks get-token`'s token: the presigned STS URL of `endpoint` for
/// `cluster`, URL-safe base64 without padding after the prefix.
fn eks_token(
    endpoint: &str,
    cluster: &str,
    region: &str,
    signing_name: &str,
    creds: &Credentials,
    now: SystemTime,
) -> Result<String, NativeError> {
    let url = format!(
        "{}/?Action=GetCallerIdentity&Version=2011-06-15",
        endpoint.trim_end_matches('/')
    );
    let signed = crate::presign::presign_get_with_headers(
        &url,
        &[(K8S_AWS_ID_HEADER, cluster)],
        creds,
        signing_name,
        region,
        EKS_URL_TIMEOUT,
        now,
    )?;
    let signed = crate::presign::botocore_order(&signed);
    Ok(format!(
        "{EKS_TOKEN_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signed.as_bytes())
    ))
}

/// `eks get-token`'s `discover_api_version`: the API version for
/// `KUBERNETES_EXEC_INFO` (`exec_info`) and the message awscli prints to
/// standard error, if any.
fn api_version(exec_info: Option<&str>) -> (&'static str, Option<String>) {
    let Some(raw) = exec_info.filter(|s| !s.is_empty()) else {
        return (BETA_API, None);
    };
    let Ok(info) = serde_json::from_str::<Value>(raw) else {
        return (
            BETA_API,
            Some(format!(
                "Error parsing KUBERNETES_EXEC_INFO, defaulting to {BETA_API}. This is likely a bug in your Kubernetes client. Please update your Kubernetes client.\n"
            )),
        );
    };
    match info.get("apiVersion").and_then(Value::as_str) {
        Some(V1_API) => (V1_API, None),
        Some(BETA_API) => (BETA_API, None),
        Some(ALPHA_API) => (
            ALPHA_API,
            Some(format!(
                "Kubeconfig user entry is using deprecated API version {ALPHA_API}. Run 'aws eks update-kubeconfig' to update.\n"
            )),
        ),
        _ => (
            BETA_API,
            Some(format!(
                "Unrecognized API version in KUBERNETES_EXEC_INFO, defaulting to {BETA_API}. This is likely due to an outdated AWS CLI. Please update your AWS CLI.\n"
            )),
        ),
    }
}

/// The `ExecCredential` `eks get-token` prints.
fn exec_credential(api_version: &str, token: &str, now: SystemTime) -> Value {
    let expires =
        chrono::DateTime::<chrono::Utc>::from(now) + chrono::Duration::minutes(EKS_TOKEN_MINUTES);
    json!({
        "kind": "ExecCredential",
        "apiVersion": api_version,
        "spec": {},
        "status": {
            "expirationTimestamp": expires.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "token": token,
        },
    })
}

/// `eks get-token`.
async fn get_token(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<Printed, NativeError> {
    let (region, mut creds) = region_and_credentials(ex, command, options).await?;
    let cluster = value(command, "cluster-id")
        .or_else(|| value(command, "cluster-name"))
        .unwrap_or("")
        .to_string();
    if let Some(role) = value(command, "role-arn") {
        let assumed = match assume_role(
            ex,
            command,
            Some(&region),
            role,
            "EKSGetTokenAuth",
            options,
        )
        .await?
        {
            Ok(c) => c,
            Err(printed) => return Ok(printed),
        };
        creds = Credentials::new(
            assumed.access_key_id,
            assumed.secret_access_key,
            assumed.session_token,
            None,
            "eks-get-token",
        );
    }
    let (endpoint, signing_name, signing_region) = sts_endpoint(ex, &region).await?;
    let now = SystemTime::now();
    let token = eks_token(
        &endpoint,
        &cluster,
        &signing_region,
        &signing_name,
        &creds,
        now,
    )?;
    let (version, warning) = api_version(std::env::var("KUBERNETES_EXEC_INFO").ok().as_deref());
    let object = exec_credential(version, &token, now);
    let mut p = super::print(ex, command, &object, "get-token")?;
    if p.code == 0 {
        p.out.push('\n');
        p.out_total += 1;
    }
    if let Some(w) = warning {
        p.err.insert_str(0, &w);
        p.err_total = p.err.len() as u64;
    }
    Ok(p)
}

/// The STS endpoint of `region` as awscli's nested STS client finds it
/// (no `--endpoint-url`; the endpoint environment variables and the rule
/// set), with its signing name and region.
async fn sts_endpoint(
    ex: &NativeExecutor,
    region: &str,
) -> Result<(String, String, String), NativeError> {
    let ep = super::nested_endpoint(ex, "sts", "get-caller-identity", region).await?;
    let name = ep.signing_name.clone().unwrap_or_else(|| "sts".into());
    let signing_region = ep.signing_region.clone().unwrap_or_else(|| region.into());
    Ok((ep.url, name, signing_region))
}

/// STS `AssumeRole` of `role` (session `session`) by awscli's nested STS
/// client (see [`sts_call`]): the role's credentials, or the failed call's
/// printed error.
pub(super) async fn assume_role(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    region: Option<&str>,
    role: &str,
    session: &str,
    options: &ExecOptions,
) -> Result<Result<aws_mcp_core::exec::Credentials, Printed>, NativeError> {
    let mut params = Map::new();
    params.insert("RoleArn".into(), role.into());
    params.insert("RoleSessionName".into(), session.into());
    let result = match sts_call(ex, command, region, "assume-role", &params, options).await? {
        Ok(r) => r,
        Err(printed) => return Ok(Err(printed)),
    };
    let c = &result["Credentials"];
    let field = |k: &str| {
        c[k].as_str()
            .map(str::to_string)
            .ok_or_else(|| NativeError::Response(format!("AssumeRole returned no Credentials.{k}")))
    };
    Ok(Ok(aws_mcp_core::exec::Credentials {
        access_key_id: field("AccessKeyId")?,
        secret_access_key: field("SecretAccessKey")?,
        session_token: Some(field("SessionToken")?),
        expires: None,
    }))
}

/// An STS call of awscli's nested STS client: as [`super::call`], but in
/// `region` (`None`: the configured one) and without the command's
/// `--endpoint-url` (which awscli does not pass to it).
async fn sts_call(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    region: Option<&str>,
    operation: &str,
    params: &Map<String, Value>,
    options: &ExecOptions,
) -> Result<Result<Value, Printed>, NativeError> {
    let mut g = command.globals().clone();
    g.endpoint_url = None;
    g.region = region.map(str::to_string);
    super::call_with_globals(ex, command, &g, "sts", operation, params, options).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn creds(token: Option<&str>) -> Credentials {
        Credentials::new("AKID", "SECRET", token.map(String::from), None, "t")
    }

    /// 2023-11-14T22:13:20Z.
    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    #[test]
    fn login_splits_user_and_password() {
        let t = base64::engine::general_purpose::STANDARD.encode("AWS:pass+word");
        let auth = json!({"authorizationToken": t, "proxyEndpoint": "https://1.dkr.ecr.us-east-1.amazonaws.com"});
        assert_eq!(login(&auth).unwrap(), ("AWS".into(), "pass+word".into()));
        assert_eq!(
            docker_login(&auth, true).unwrap(),
            "docker login -u AWS -p pass+word -e none https://1.dkr.ecr.us-east-1.amazonaws.com"
        );
        assert_eq!(
            docker_login(&auth, false).unwrap(),
            "docker login -u AWS -p pass+word https://1.dkr.ecr.us-east-1.amazonaws.com"
        );
        let bad = base64::engine::general_purpose::STANDARD.encode("a:b:c");
        assert!(login(&json!({ "authorizationToken": bad })).is_err());
        assert!(login(&json!({ "authorizationToken": "!!" })).is_err());
        assert!(login(&json!({})).is_err());
    }

    #[test]
    fn db_auth_token_is_botocores_url_without_scheme() {
        let t = db_auth_token(
            "db.x.rds.amazonaws.com",
            3306,
            "ad@min",
            "eu-west-1",
            &creds(Some("TOKEN")),
            now(),
        )
        .unwrap();
        let prefix = "db.x.rds.amazonaws.com:3306/?Action=connect&DBUser=ad%40min&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20231114%2Feu-west-1%2Frds-db%2Faws4_request&X-Amz-Date=20231114T221320Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Security-Token=TOKEN&X-Amz-Signature=";
        assert!(t.starts_with(prefix), "{t}");
        assert_eq!(t.len(), prefix.len() + 64);
        let t = db_auth_token("h", 5432, "u", "us-east-1", &creds(None), now()).unwrap();
        assert!(!t.contains("Security-Token"), "{t}");
        assert!(
            t.starts_with("h:5432/?Action=connect&DBUser=u&X-Amz-Algorithm="),
            "{t}"
        );
    }

    #[test]
    fn eks_token_is_the_presigned_sts_url() {
        let t = eks_token(
            "https://sts.eu-west-1.amazonaws.com",
            "my-cl",
            "eu-west-1",
            "sts",
            &creds(Some("TOKEN")),
            now(),
        )
        .unwrap();
        let b64 = t.strip_prefix(EKS_TOKEN_PREFIX).unwrap();
        assert!(!b64.contains('=') && !b64.contains('+') && !b64.contains('/'));
        let url = String::from_utf8(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(b64)
                .unwrap(),
        )
        .unwrap();
        let prefix = "https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20231114%2Feu-west-1%2Fsts%2Faws4_request&X-Amz-Date=20231114T221320Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Security-Token=TOKEN&X-Amz-Signature=";
        assert!(url.starts_with(prefix), "{url}");
        assert_eq!(url.len(), prefix.len() + 64);
    }

    #[test]
    fn api_version_follows_kubernetes_exec_info() {
        assert_eq!(api_version(None), (BETA_API, None));
        assert_eq!(api_version(Some("")), (BETA_API, None));
        let v1 = r#"{"apiVersion":"client.authentication.k8s.io/v1"}"#;
        assert_eq!(api_version(Some(v1)), (V1_API, None));
        let (v, w) = api_version(Some(
            r#"{"apiVersion":"client.authentication.k8s.io/v1alpha1"}"#,
        ));
        assert_eq!(v, ALPHA_API);
        assert!(w
            .unwrap()
            .starts_with("Kubeconfig user entry is using deprecated"));
        let (v, w) = api_version(Some("{bad"));
        assert_eq!(v, BETA_API);
        assert!(w.unwrap().starts_with("Error parsing KUBERNETES_EXEC_INFO"));
        let (v, w) = api_version(Some("{}"));
        assert_eq!(v, BETA_API);
        assert!(w.unwrap().starts_with("Unrecognized API version"));
    }

    #[test]
    fn exec_credential_expires_in_fourteen_minutes() {
        let o = exec_credential(BETA_API, "k8s-aws-v1.x", now());
        assert_eq!(o["status"]["expirationTimestamp"], "2023-11-14T22:27:20Z");
        assert_eq!(o["kind"], "ExecCredential");
        assert_eq!(o["spec"], json!({}));
    }
}
