//! `eks update-kubeconfig`, as awscli's `customizations/eks/
//! update_kubeconfig.py` and `kubeconfig.py` do it:
//!
//! 1. `DescribeCluster` through the executor ([`super::call`]); a cluster
//!    without a status is "Cluster not found", one neither `ACTIVE` nor
//!    `UPDATING` is refused with its status.
//! 2. The cluster entry (certificate, endpoint, `--proxy-url`, named by the
//!    cluster's ARN) and the user entry (`aws --region <region of the ARN>
//!    eks get-token --cluster-name <name>` — `--cluster-id <id>` for an
//!    Outposts local cluster — `--output json`, `--role <arn>` for
//!    `--role-arn`, `AWS_PROFILE` for a profile; named `--user-alias` or
//!    the ARN).
//! 3. The file: `--kubeconfig`, else the first file of `KUBECONFIG` that
//!    already has the cluster, else its first file, else `~/.kube/config`,
//!    each as `abspath(expanduser(p))` — the paths the policy judged. A
//!    missing file starts from an empty kubeconfig; an existing one must
//!    pass awscli's type checks.
//! 4. Cluster, user and context (named `--alias` or the user's name) are
//!    added or replace the entry of the same name; the context becomes
//!    current.
//! 5. `--dry-run` prints the YAML; otherwise it is written through
//!    [`crate::localfs::LocalFiles`] (a temporary file beside it renamed
//!    over it, mode 0600 for a new file, the old mode kept) and "Added new
//!    context ... to ..." or, when the file already had the cluster,
//!    "Updated context ... in ..." is printed (`--verbose` adds the
//!    entries).
//!
//! The YAML is read and written by [`super::kubeyaml`] as PyYAML does; a
//! file it cannot read exactly as PyYAML would is an error, not a guess.
//! `--assume-role-arn` makes `DescribeCluster` with the role's credentials
//! (STS `AssumeRole`, session `EKSDescribeClusterSession`, in the
//! configured region, as awscli's own STS client). Values awscli would
//! load from a file or URL (`--proxy-url http://...` in AWS CLI v1) are
//! left to the AWS CLI.

use std::io::Read as _;

use aws_mcp_core::catalog::CommandKind;
use aws_mcp_core::localpath::{plan, Semantics, Step};
use aws_mcp_core::{ExecOptions, ValidatedCommand};
use aws_mcp_wire::render::{render_error, CliError, ErrorKind};
use serde_json::{json, Map, Value};

use super::kubeyaml;
use crate::s3::Printed;
use crate::{NativeError, NativeExecutor};

/// The exec API version of the user entries awscli writes.
const API_VERSION: &str = "client.authentication.k8s.io/v1beta1";

/// How kubeconfig paths are read (`os.path.abspath(os.path.expanduser(p))`).
const PATHS: Semantics = Semantics::ABSPATH_EXPANDUSER;

/// The values of argument `name` of `command`.
fn value<'a>(command: &'a ValidatedCommand, name: &str) -> Option<&'a str> {
    command
        .args()
        .iter()
        .find(|a| a.name == name)
        .and_then(|a| a.values.first())
        .map(String::as_str)
}

/// Whether flag `name` was given.
fn flag(command: &ValidatedCommand, name: &str) -> bool {
    command.args().iter().any(|a| a.name == name)
}

/// Whether this module reproduces `command`, or why not.
pub(crate) fn support(command: &ValidatedCommand) -> Result<(), String> {
    if command.kind() != CommandKind::Custom
        || (command.service(), command.operation()) != ("eks", "update-kubeconfig")
    {
        return Err("not eks update-kubeconfig".into());
    }
    super::credentials::loaded_value(command)?;
    if value(command, "name").is_none() {
        return Err("eks update-kubeconfig without --name: the AWS CLI reports it".into());
    }
    Ok(())
}

/// A kubeconfig awscli would write to: where (as shown), what it holds,
/// and the existing file's mode.
struct Kubeconfig {
    raw: String,
    path: String,
    content: Value,
    mode: Option<u32>,
}

/// Why a kubeconfig is not used (awscli's `KubeconfigError` and
/// `EKSClusterError` texts).
#[derive(Debug, thiserror::Error)]
enum KubeError {
    /// The message awscli prints.
    #[error("{0}")]
    Cli(String),
}

/// awscli's new kubeconfig (`_get_new_kubeconfig_content`).
fn new_content() -> Value {
    json!({
        "apiVersion": "v1",
        "clusters": [],
        "contexts": [],
        "current-context": "",
        "kind": "Config",
        "preferences": {},
        "users": [],
    })
}

/// Python's `type(v)` as printed (`<class 'str'>`), for awscli's messages.
fn py_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'collections.OrderedDict'>",
    }
}

/// `KubeconfigValidator.validate_config`.
fn validate(content: &Value) -> Result<(), KubeError> {
    let Value::Object(m) = content else {
        return Err(KubeError::Cli("Content not a <class 'dict'>.".into()));
    };
    let template = new_content();
    let Value::Object(t) = &template else {
        return Ok(());
    };
    for (key, model) in t {
        if let Some(v) = m.get(key).filter(|v| !v.is_null()) {
            if std::mem::discriminant(v) != std::mem::discriminant(model) {
                return Err(KubeError::Cli(format!(
                    "{key} is wrong type: {} (Should be {})",
                    py_type(v),
                    py_type(model)
                )));
            }
        }
    }
    for (key, model) in t {
        if let (Some(Value::Array(items)), Value::Array(_)) = (m.get(key), model) {
            if items.iter().any(|e| !e.is_object()) {
                return Err(KubeError::Cli(format!(
                    "Entry in {key} not a <class 'dict'>. "
                )));
            }
        }
    }
    Ok(())
}

/// `Kubeconfig.has_cluster`.
fn has_cluster(content: &Value, name: &str) -> bool {
    content["clusters"].as_array().is_some_and(|c| {
        c.iter()
            .any(|e| e.get("name").and_then(Value::as_str) == Some(name))
    })
}

/// `KubeconfigAppender.insert_entry`: replace the entry of the same name
/// or append.
fn insert_entry(
    content: &mut Map<String, Value>,
    key: &str,
    entry: Value,
) -> Result<(), KubeError> {
    let empty = match content.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Bool(b)) => !b,
        Some(Value::Object(o)) => o.is_empty(),
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
    };
    if empty {
        content.insert(key.into(), Value::Array(Vec::new()));
    }
    let Some(Value::Array(entries)) = content.get_mut(key) else {
        let t = content.get(key).map_or("<class 'NoneType'>", py_type);
        return Err(KubeError::Cli(format!(
            "Tried to insert into {key}, which is a {t} not a <class 'list'>"
        )));
    };
    let same = entry.get("name").and_then(|n| {
        entries
            .iter()
            .position(|e| e.get("name").is_some_and(|x| x == n))
    });
    match same {
        Some(i) => entries[i] = entry,
        None => entries.push(entry),
    }
    Ok(())
}

/// `insert_cluster_user_pair`: the new context.
fn insert_pair(
    content: &mut Value,
    cluster: &Value,
    user: &Value,
    alias: Option<&str>,
) -> Result<Value, KubeError> {
    let user_name = user["name"].clone();
    let name = alias
        .filter(|a| !a.is_empty())
        .map_or(user_name.clone(), Value::from);
    let context = json!({
        "context": {"cluster": cluster["name"].clone(), "user": user_name},
        "name": name,
    });
    let Value::Object(m) = content else {
        return Err(KubeError::Cli("Content not a <class 'dict'>.".into()));
    };
    insert_entry(m, "clusters", cluster.clone())?;
    insert_entry(m, "users", user.clone())?;
    insert_entry(m, "contexts", context.clone())?;
    m.insert("current-context".into(), context["name"].clone());
    Ok(context)
}

/// The cluster entry (`get_cluster_entry`).
fn cluster_entry(cluster: &Value, proxy_url: Option<&str>) -> Value {
    let data = cluster["certificateAuthority"]["data"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let mut c = json!({
        "certificate-authority-data": data,
        "server": cluster.get("endpoint").cloned().unwrap_or(Value::Null),
    });
    if let (Some(p), Value::Object(m)) = (proxy_url, &mut c) {
        m.insert("proxy-url".into(), p.into());
    }
    json!({"cluster": c, "name": cluster.get("arn").cloned().unwrap_or(Value::Null)})
}

/// The user entry (`get_user_entry`).
fn user_entry(
    cluster: &Value,
    cluster_name: &str,
    user_alias: Option<&str>,
    role_arn: Option<&str>,
    profile: Option<&str>,
) -> Result<Value, KubeError> {
    let arn = cluster["arn"]
        .as_str()
        .ok_or_else(|| KubeError::Cli("'NoneType' object has no attribute 'split'".into()))?;
    let region = arn
        .split(':')
        .nth(3)
        .ok_or_else(|| KubeError::Cli("list index out of range".into()))?;
    let outpost = cluster.get("outpostConfig").filter(|v| !v.is_null());
    let by_name = outpost.is_none_or(|o| o.get("etcdInstanceType").is_some_and(|e| !e.is_null()));
    let (param, id) = if by_name {
        ("--cluster-name", Value::from(cluster_name))
    } else {
        (
            "--cluster-id",
            cluster.get("id").cloned().unwrap_or(Value::Null),
        )
    };
    let mut args = vec![
        json!("--region"),
        json!(region),
        json!("eks"),
        json!("get-token"),
        json!(param),
        id,
        json!("--output"),
        json!("json"),
    ];
    if let Some(r) = role_arn {
        args.extend([json!("--role"), json!(r)]);
    }
    let mut exec = json!({"apiVersion": API_VERSION, "args": args, "command": "aws"});
    if let (Some(p), Value::Object(m)) = (profile, &mut exec) {
        m.insert("env".into(), json!([{"name": "AWS_PROFILE", "value": p}]));
    }
    let name = match user_alias.filter(|a| !a.is_empty()) {
        Some(a) => Value::from(a),
        None => Value::from(arn),
    };
    Ok(json!({"name": name, "user": {"exec": exec}}))
}

/// `abspath(expanduser(raw))`, as awscli shows it.
fn shown_path(ex: &NativeExecutor, raw: &str) -> Result<String, KubeError> {
    let cwd = std::path::PathBuf::from(ex.files.working_dir());
    let p = plan(raw, PATHS, &cwd, ex.files.home())
        .map_err(|e| KubeError::Cli(format!("{raw}: {e}")))?;
    let mut out = String::new();
    for s in &p.steps {
        if let Step::Name(n) = s {
            out.push('/');
            out.push_str(&n.to_string_lossy());
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    Ok(out)
}

/// `KubeconfigLoader.load_kubeconfig`.
fn load(ex: &NativeExecutor, raw: &str) -> Result<Kubeconfig, KubeError> {
    let path = shown_path(ex, raw)?;
    let file = ex
        .files
        .open_read_existing(raw, PATHS, &path)
        .map_err(|e| KubeError::Cli(format!("Can't open kubeconfig for reading: {e}")))?;
    let (content, mode) = match file {
        None => (new_content(), None),
        Some(mut f) => {
            let mode = file_mode(&f);
            let mut text = String::new();
            (&mut f)
                .take(crate::MAX_FILE_BYTES + 1)
                .read_to_string(&mut text)
                .map_err(|e| {
                    KubeError::Cli(format!(
                        "Can't open kubeconfig for reading: {}",
                        crate::localfs::py_os_error(&e, &path)
                    ))
                })?;
            if text.len() as u64 > crate::MAX_FILE_BYTES {
                return Err(KubeError::Cli(format!(
                    "the kubeconfig {path} is larger than {} bytes",
                    crate::MAX_FILE_BYTES
                )));
            }
            let v = kubeyaml::load(&text).map_err(|e| match e {
                kubeyaml::YamlError::Parse(m) => {
                    KubeError::Cli(format!("YamlError while loading kubeconfig: {m}"))
                }
                kubeyaml::YamlError::Unsupported(m) => KubeError::Cli(format!(
                    "the native executor does not rewrite the kubeconfig {path}: {m}; run this command with the aws program"
                )),
            })?;
            (if v.is_null() { new_content() } else { v }, mode)
        }
    };
    validate(&content)?;
    Ok(Kubeconfig {
        raw: raw.to_string(),
        path,
        content,
        mode,
    })
}

/// The profile awscli's session has: `--profile`, the server's, else
/// `AWS_DEFAULT_PROFILE`, `AWS_PROFILE`.
fn session_profile(ex: &NativeExecutor, command: &ValidatedCommand) -> Option<String> {
    command
        .globals()
        .profile
        .clone()
        .or_else(|| ex.default_profile.clone())
        .or_else(|| std::env::var("AWS_DEFAULT_PROFILE").ok())
        .or_else(|| std::env::var("AWS_PROFILE").ok())
        .filter(|p| !p.is_empty())
}

/// The candidate files (`KubeconfigSelector`).
fn candidates(command: &ValidatedCommand) -> Vec<String> {
    if let Some(k) = value(command, "kubeconfig") {
        return vec![k.to_string()];
    }
    let env = std::env::var("KUBECONFIG").unwrap_or_default();
    let env = if env.is_empty() {
        "~/.kube/config".to_string()
    } else {
        env
    };
    let paths: Vec<String> = env
        .split(':')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .collect();
    if paths.is_empty() {
        vec!["~/.kube/config".into()]
    } else {
        paths
    }
}

/// Print awscli's error for `e`.
fn failure(ex: &NativeExecutor, command: &ValidatedCommand, message: &str) -> Printed {
    let style = ex
        .cli
        .error_style(command.globals().cli_error_format.as_deref());
    let (code, err) = render_error(style, &CliError::other(ErrorKind::General, message));
    Printed {
        code,
        out_total: 0,
        err_total: err.len() as u64,
        out: String::new(),
        err,
    }
}

/// Run `eks update-kubeconfig`.
pub(crate) async fn run(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    options: &ExecOptions,
) -> Result<Printed, NativeError> {
    support(command).map_err(NativeError::Unsupported)?;
    let name = value(command, "name").unwrap_or("");
    let mut params = Map::new();
    params.insert("name".into(), name.into());
    // --assume-role-arn: DescribeCluster with the role's credentials,
    // assumed by awscli's STS client in the configured region.
    let mut with_role;
    let mut call_options = options;
    if let Some(role) = value(command, "assume-role-arn") {
        let assumed = match super::credentials::assume_role(
            ex,
            command,
            None,
            role,
            "EKSDescribeClusterSession",
            options,
        )
        .await?
        {
            Ok(c) => c,
            Err(printed) => return Ok(printed),
        };
        with_role = options.clone();
        with_role.credentials = Some(assumed);
        call_options = &with_role;
    }
    let described = match super::call(
        ex,
        command,
        "eks",
        "describe-cluster",
        &params,
        call_options,
    )
    .await?
    {
        Ok(r) => r,
        Err(printed) => return Ok(printed),
    };
    match update(ex, command, name, &described) {
        Ok(p) => Ok(p),
        Err(KubeError::Cli(m)) => Ok(failure(ex, command, &m)),
    }
}

/// Everything after `DescribeCluster`.
fn update(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    name: &str,
    described: &Value,
) -> Result<Printed, KubeError> {
    let cluster = &described["cluster"];
    let status = cluster
        .get("status")
        .filter(|_| cluster.as_object().is_some_and(|m| !m.is_empty()));
    let Some(status) = status else {
        return Err(KubeError::Cli("Cluster not found".into()));
    };
    if !matches!(status.as_str(), Some("ACTIVE" | "UPDATING")) {
        let s = match status {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        return Err(KubeError::Cli(format!("Cluster status is {s}")));
    }
    let new_cluster = cluster_entry(cluster, value(command, "proxy-url"));
    let profile = session_profile(ex, command);
    let new_user = user_entry(
        cluster,
        name,
        value(command, "user-alias"),
        value(command, "role-arn"),
        profile.as_deref(),
    )?;
    let cluster_name = new_cluster["name"].as_str().unwrap_or("").to_string();
    // choose_kubeconfig: the first file that has the cluster (files that
    // cannot be read are passed over), else the first file.
    let paths = candidates(command);
    let mut chosen = None;
    for p in &paths {
        if let Ok(k) = load(ex, p) {
            if has_cluster(&k.content, &cluster_name) {
                chosen = Some(k);
                break;
            }
        }
    }
    let mut config = match chosen {
        Some(k) => k,
        None => load(ex, &paths[0])?,
    };
    let updating = has_cluster(&config.content, &cluster_name);
    let context = insert_pair(
        &mut config.content,
        &new_cluster,
        &new_user,
        value(command, "alias"),
    )?;
    let dump = |v: &Value| {
        kubeyaml::dump(v).map_err(|e| {
            KubeError::Cli(format!(
                "the native executor does not write this kubeconfig: {e}; run this command with the aws program"
            ))
        })
    };
    let text = dump(&config.content)?;
    let mut out = String::new();
    if flag(command, "dry-run") {
        out = text;
    } else {
        write(ex, &config, &text)?;
        let context_name = match &context["name"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if updating {
            out.push_str(&format!(
                "Updated context {context_name} in {}\n",
                config.path
            ));
        } else {
            out.push_str(&format!(
                "Added new context {context_name} to {}\n",
                config.path
            ));
        }
        if flag(command, "verbose") {
            out.push_str("Entries:\n\n");
            for e in [&context, &new_user, &new_cluster] {
                out.push_str(&dump(e)?);
                out.push('\n');
            }
        }
    }
    Ok(Printed {
        code: 0,
        out_total: out.len() as u64,
        err_total: 0,
        out,
        err: String::new(),
    })
}

/// `KubeconfigWriter.write_kubeconfig`, through a temporary file renamed
/// over the kubeconfig (its directories made when missing).
fn write(ex: &NativeExecutor, config: &Kubeconfig, text: &str) -> Result<(), KubeError> {
    use std::io::Write as _;
    let fail = |e: String| KubeError::Cli(format!("Can't open kubeconfig for writing: {e}"));
    let t = ex
        .files
        .create_temp_as(&config.raw, PATHS, true)
        .map_err(|e| fail(e.to_string()))?;
    set_mode(t.file(), config.mode.unwrap_or(0o600))
        .map_err(|e| fail(crate::localfs::py_os_error(&e, &config.path)))?;
    t.file()
        .write_all(text.as_bytes())
        .map_err(|e| fail(crate::localfs::py_os_error(&e, &config.path)))?;
    ex.files.commit(t, None).map_err(|e| fail(e.to_string()))
}

/// The permission bits of an open file.
#[cfg(unix)]
fn file_mode(f: &std::fs::File) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt as _;
    f.metadata().ok().map(|m| m.permissions().mode() & 0o7777)
}

/// The permission bits of an open file (none off Unix).
#[cfg(not(unix))]
fn file_mode(_: &std::fs::File) -> Option<u32> {
    None
}

/// Give an open file the permission bits `mode` (awscli creates a new
/// kubeconfig 0600; an existing one keeps its mode).
#[cfg(unix)]
fn set_mode(f: &std::fs::File, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    f.set_permissions(std::fs::Permissions::from_mode(mode))
}

/// Off Unix the file keeps the mode it was made with.
#[cfg(not(unix))]
fn set_mode(_: &std::fs::File, _: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn described() -> Value {
        json!({
            "arn": "arn:aws:eks:eu-west-1:123456789012:cluster/c1",
            "status": "ACTIVE",
            "endpoint": "https://E.gr7.eu-west-1.eks.amazonaws.com",
            "certificateAuthority": {"data": "LS0tCERT"},
        })
    }

    #[test]
    fn entries_are_awscli_s() {
        let c = described();
        let cluster = cluster_entry(&c, Some("http://proxy:3128"));
        assert_eq!(
            kubeyaml::dump(&cluster).unwrap(),
            "cluster:\n  certificate-authority-data: LS0tCERT\n  server: https://E.gr7.eu-west-1.eks.amazonaws.com\n  proxy-url: http://proxy:3128\nname: arn:aws:eks:eu-west-1:123456789012:cluster/c1\n"
        );
        let user = user_entry(&c, "c1", None, Some("arn:aws:iam::1:role/r"), Some("dev")).unwrap();
        assert_eq!(
            kubeyaml::dump(&user).unwrap(),
            "name: arn:aws:eks:eu-west-1:123456789012:cluster/c1
user:
  exec:
    apiVersion: client.authentication.k8s.io/v1beta1
    args:
    - --region
    - eu-west-1
    - eks
    - get-token
    - --cluster-name
    - c1
    - --output
    - json
    - --role
    - arn:aws:iam::1:role/r
    command: aws
    env:
    - name: AWS_PROFILE
      value: dev
"
        );
        // An Outposts local cluster (no etcd instance type) is named by id.
        let mut o = described();
        o["outpostConfig"] = json!({"controlPlaneInstanceType": "m5.large"});
        o["id"] = json!("abcd-1234");
        let user = user_entry(&o, "c1", Some("me"), None, None).unwrap();
        assert_eq!(user["name"], "me");
        assert_eq!(user["user"]["exec"]["args"][4], "--cluster-id");
        assert_eq!(user["user"]["exec"]["args"][5], "abcd-1234");
    }

    #[test]
    fn merge_replaces_same_names_and_sets_the_context() {
        let c = described();
        let cluster = cluster_entry(&c, None);
        let user = user_entry(&c, "c1", None, None, None).unwrap();
        let mut content = new_content();
        let ctx = insert_pair(&mut content, &cluster, &user, None).unwrap();
        assert_eq!(ctx["name"], "arn:aws:eks:eu-west-1:123456789012:cluster/c1");
        assert!(has_cluster(
            &content,
            "arn:aws:eks:eu-west-1:123456789012:cluster/c1"
        ));
        let ctx = insert_pair(&mut content, &cluster, &user, Some("al")).unwrap();
        assert_eq!(ctx["name"], "al");
        assert_eq!(content["clusters"].as_array().unwrap().len(), 1);
        assert_eq!(content["users"].as_array().unwrap().len(), 1);
        assert_eq!(content["contexts"].as_array().unwrap().len(), 2);
        assert_eq!(content["current-context"], "al");
        // Order of the template kept; a null list becomes one.
        let mut content = json!({"kind": "Config", "clusters": null});
        insert_pair(&mut content, &cluster, &user, None).unwrap();
        let keys: Vec<&String> = content.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["kind", "clusters", "users", "contexts", "current-context"]
        );
    }

    #[test]
    fn validation_is_awscli_s() {
        assert!(validate(&new_content()).is_ok());
        let KubeError::Cli(m) = validate(&json!([1])).unwrap_err();
        assert_eq!(m, "Content not a <class 'dict'>.");
        let KubeError::Cli(m) = validate(&json!({"clusters": "x"})).unwrap_err();
        assert_eq!(
            m,
            "clusters is wrong type: <class 'str'> (Should be <class 'list'>)"
        );
        let KubeError::Cli(m) = validate(&json!({"users": ["x"]})).unwrap_err();
        assert_eq!(m, "Entry in users not a <class 'dict'>. ");
        assert!(validate(&json!({"clusters": null, "other": 1})).is_ok());
    }
}
