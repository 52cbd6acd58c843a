//! Ready commands: the values a request names, put where the suggested command takes them.
//!
//! "route tables for vpc-0a1b2c3d4e5f67890" is answered with `aws ec2 describe-route-tables`
//! *and* `aws ec2 describe-route-tables --filters Name=vpc-id,Values=vpc-0a1b2c3d4e5f67890`,
//! a line a model can run as it is. The request is read for values that say what they are
//! ([`values`]): resource IDs by their prefix (`i-`, `vpc-`, `sg-`…), ARNs, S3 URLs, regions,
//! availability zones, instance types, account numbers, `/paths`, local file names, and names
//! introduced by "named"/"called" or by the noun of what they name ("function resize-images",
//! "bucket invoices"). Each kind goes to an option only when the mapping is unambiguous:
//!
//! * an ID to the one option named for it (`--instance-id`, `--instance-ids`,
//!   `--group-id(s)`/`--security-group-id(s)` for `sg-`), else to an EC2 `--filters`
//!   (`Name=vpc-id,Values=…`) on a `describe-*` command that has one;
//! * an ARN to the one `*-arn` option, or the one whose name is the ARN's resource type
//!   (`role/…` → `--role-arn`, `targetgroup/…` → `--target-group-arn`);
//! * an S3 URL to the positional paths of the `s3` commands (in the request's order, with a
//!   local path if one is named), or to `--bucket` and `--key` (`--prefix` for listings);
//! * a region to the global `--region` (only when the request names one region), a zone to
//!   `--availability-zone`, an instance type to the one type option;
//! * a name to the command's one option for that noun (`--function-name`, `--table-name`,
//!   `--bucket`, `--stack-name`, `--db-instance-identifier`…), or, after "named"/"called", to
//!   the command's one required `--*-name`/`--name`.
//!
//! A value that fits no option, or several, is left out rather than guessed. Required
//! options the request does not give are written as `<option>` placeholders and listed as
//! missing, so the line shows what is left to decide (quoted, `--device '<device>'`, since an
//! unquoted `<` is a shell redirection); the line is checked with [`crate::validate`] before it
//! is offered (placeholders are accepted where a string is).

use super::Suggestion;
use crate::catalog::Catalog;

/// What a value in a request is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A resource ID with its prefix (`i`, `vpc`, `sg`…).
    Id(String),
    /// An ARN: its service namespace and resource type (`iam`, `role`).
    Arn(String, String),
    /// `s3://bucket/key`.
    S3Url,
    /// A region (`eu-west-1`).
    Region,
    /// An availability zone (`eu-west-1a`).
    Zone,
    /// An instance type or class (`t3.micro`, `db.r6g.large`, `cache.t4g.small`).
    InstanceType,
    /// A 12-digit account number.
    Account,
    /// A `/path` (a parameter name or a log group).
    Path,
    /// A local file (`payload.json`, `./site`).
    LocalFile,
    /// A name, with the noun that introduced it (`function`), empty after "named"/"called".
    Name(String),
}

/// One value found in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Value {
    pub kind: Kind,
    pub text: String,
}

/// ID prefixes: (prefix, option stems, EC2 filter name).
const IDS: &[(&str, &[&str], &str)] = &[
    ("i", &["instance-id"], "instance-id"),
    ("ami", &["image-id"], "image-id"),
    ("vol", &["volume-id"], "volume-id"),
    ("snap", &["snapshot-id"], "snapshot-id"),
    ("sg", &["group-id", "security-group-id"], "group-id"),
    ("subnet", &["subnet-id"], "subnet-id"),
    ("vpc", &["vpc-id"], "vpc-id"),
    ("eni", &["network-interface-id"], "network-interface-id"),
    ("igw", &["internet-gateway-id"], "internet-gateway-id"),
    ("nat", &["nat-gateway-id"], "nat-gateway-id"),
    ("rtb", &["route-table-id"], "route-table-id"),
    ("acl", &["network-acl-id"], "network-acl-id"),
    ("eipalloc", &["allocation-id"], "allocation-id"),
    ("vpce", &["vpc-endpoint-id"], "vpc-endpoint-id"),
    ("tgw", &["transit-gateway-id"], "transit-gateway-id"),
    ("lt", &["launch-template-id"], "launch-template-id"),
    (
        "pcx",
        &["vpc-peering-connection-id"],
        "vpc-peering-connection-id",
    ),
    ("fs", &["file-system-id"], "file-system-id"),
    (
        "sir",
        &["spot-instance-request-id"],
        "spot-instance-request-id",
    ),
];

/// Nouns that introduce a name, and the option stems they name.
const NOUNS: &[(&str, &[&str])] = &[
    ("function", &["function-name"]),
    ("lambda", &["function-name"]),
    ("bucket", &["bucket"]),
    ("table", &["table-name"]),
    ("stack", &["stack-name"]),
    ("role", &["role-name"]),
    ("user", &["user-name", "username"]),
    ("group", &["group-name", "auto-scaling-group-name"]),
    ("asg", &["auto-scaling-group-name"]),
    ("queue", &["queue-name"]),
    (
        "cluster",
        &[
            "cluster",
            "cluster-name",
            "cluster-identifier",
            "db-cluster-identifier",
        ],
    ),
    ("database", &["db-instance-identifier"]),
    ("db", &["db-instance-identifier"]),
    ("instance", &["db-instance-identifier"]),
    ("repository", &["repository-name"]),
    ("repo", &["repository-name"]),
    ("secret", &["secret-id"]),
    ("alarm", &["alarm-name", "alarm-names"]),
    ("service", &["service", "service-name"]),
    ("project", &["project-name", "name"]),
    ("pipeline", &["pipeline-name", "name"]),
    ("crawler", &["name", "crawler-name"]),
    ("job", &["job-name"]),
    ("key", &["key-name"]),
    ("domain", &["domain-name"]),
    ("environment", &["environment-name"]),
    ("topic", &["name"]),
    ("rule", &["name", "rule-name"]),
    ("profile", &["profile"]),
    ("alias", &["alias-name", "name"]),
    ("snapshot", &["db-snapshot-identifier", "snapshot-name"]),
    ("vault", &["vault-name", "backup-vault-name"]),
    ("workgroup", &["work-group", "workgroup-name"]),
];

fn is_hex(s: &str) -> bool {
    (8..=17).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn trim_token(tok: &str) -> &str {
    tok.trim_matches(|c: char| "\"'`()[]{},;!?<>".contains(c))
        .trim_end_matches(['.', ':'])
}

fn is_region(l: &str) -> Option<bool> {
    // Some(false): a region; Some(true): a zone
    let parts: Vec<&str> = l.split('-').collect();
    if !(3..=4).contains(&parts.len())
        || parts[0].len() != 2
        || !parts[0].bytes().all(|b| b.is_ascii_lowercase())
        || !parts[1..parts.len() - 1]
            .iter()
            .all(|p| p.len() >= 3 && p.bytes().all(|b| b.is_ascii_lowercase()))
    {
        return None;
    }
    let last = parts[parts.len() - 1];
    let digits = last.bytes().take_while(|b| b.is_ascii_digit()).count();
    match (digits, last.len() - digits) {
        (1..=2, 0) => Some(false),
        (1..=2, 1) if last.as_bytes()[last.len() - 1].is_ascii_lowercase() => Some(true),
        _ => None,
    }
}

fn is_instance_type(l: &str) -> bool {
    let Some((family, size)) = l.rsplit_once('.') else {
        return false;
    };
    let size_ok = matches!(
        size,
        "nano" | "micro" | "small" | "medium" | "large" | "metal"
    ) || size
        .strip_suffix("xlarge")
        .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
    let fam = family
        .strip_prefix("db.")
        .or_else(|| family.strip_prefix("cache."))
        .unwrap_or(family);
    size_ok
        && fam.len() >= 2
        && fam.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && fam.bytes().any(|b| b.is_ascii_digit())
}

/// Whether a word looks like a resource's name rather than an English word: it has a digit,
/// a hyphen, an underscore, a dot inside, or a capital letter after the first.
fn looks_like_name(w: &str) -> bool {
    !w.is_empty()
        && w.len() <= 255
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        && w.as_bytes()[0].is_ascii_alphanumeric()
        && (w
            .bytes()
            .any(|b| b.is_ascii_digit() || b == b'-' || b == b'_')
            || w[1..].bytes().any(|b| b.is_ascii_uppercase())
            || w.as_bytes()[0].is_ascii_uppercase())
}

/// The values a request names, in order.
pub(crate) fn values(query: &str) -> Vec<Value> {
    let tokens: Vec<&str> = query.split_whitespace().collect();
    let mut out = Vec::new();
    for (n, raw) in tokens.iter().enumerate() {
        let t = trim_token(raw);
        if t.is_empty() || !t.is_ascii() {
            continue;
        }
        let l = t.to_ascii_lowercase();
        let kind = if l.starts_with("s3://") && t.len() > 5 {
            Some(Kind::S3Url)
        } else if let Some(rest) = t.strip_prefix("arn:") {
            let f: Vec<&str> = rest.splitn(5, ':').collect();
            (f.len() == 5).then(|| {
                let res = f[4];
                let rtype = res
                    .split(['/', ':'])
                    .next()
                    .filter(|_| res.contains(['/', ':']))
                    .unwrap_or_default();
                Kind::Arn(f[1].to_string(), rtype.to_ascii_lowercase())
            })
        } else if let Some(r) = is_region(&l) {
            Some(if r { Kind::Zone } else { Kind::Region })
        } else if is_instance_type(&l) {
            Some(Kind::InstanceType)
        } else if t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit()) {
            Some(Kind::Account)
        } else if l.starts_with('/') && l.len() > 1 && !l[1..].starts_with('/') {
            Some(Kind::Path)
        } else if l.starts_with("./") || l.starts_with("~/") || l.starts_with("../") {
            Some(Kind::LocalFile)
        } else if let Some((prefix, id)) = l.split_once('-') {
            (IDS.iter().any(|x| x.0 == prefix) && is_hex(id)).then(|| Kind::Id(prefix.to_string()))
        } else {
            None
        };
        let kind = kind.or_else(|| {
            let (base, ext) = l.rsplit_once('.')?;
            (!base.is_empty() && FILE_EXTENSIONS.contains(&ext)).then_some(Kind::LocalFile)
        });
        let kind = kind.or_else(|| {
            let prev = n
                .checked_sub(1)
                .map(|p| trim_token(tokens[p]).to_ascii_lowercase())?;
            if prev == "named" || prev == "called" {
                return looks_like_name(t)
                    .then(|| Kind::Name(String::new()))
                    .or_else(|| {
                        t.bytes()
                            .all(|b| b.is_ascii_alphanumeric())
                            .then(|| Kind::Name(String::new()))
                    });
            }
            let noun = prev.trim_end_matches('s');
            (NOUNS.iter().any(|x| x.0 == noun) && looks_like_name(t))
                .then(|| Kind::Name(noun.to_string()))
        });
        if let Some(kind) = kind {
            out.push(Value {
                kind,
                text: t.to_string(),
            });
        }
    }
    out
}

/// File extensions: a token `name.ext` is a local file.
const FILE_EXTENSIONS: &[&str] = &[
    "json", "yaml", "yml", "txt", "csv", "tsv", "pdf", "png", "jpg", "jpeg", "gif", "zip", "gz",
    "tar", "tgz", "dump", "sql", "py", "js", "sh", "log", "xml", "html", "md", "parquet", "pem",
];

/// A ready command line for a suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ready {
    pub line: String,
    pub filled: Vec<String>,
    pub missing: Vec<String>,
}

struct Builder<'a> {
    params: &'a [super::ParamInfo],
    /// option (with dashes) → values
    set: Vec<(String, Vec<String>)>,
    positional: Vec<String>,
}

impl Builder<'_> {
    fn has(&self, opt: &str) -> Option<&super::ParamInfo> {
        self.params.iter().find(|p| p.name == opt)
    }
    fn taken(&self, opt: &str) -> bool {
        self.set.iter().any(|(o, _)| o == opt)
    }
    fn put(&mut self, opt: &str, v: &str) {
        if let Some(e) = self.set.iter_mut().find(|(o, _)| o == opt) {
            e.1.push(v.to_string());
        } else {
            self.set.push((opt.to_string(), vec![v.to_string()]));
        }
    }
    /// The one free option among `stems` (singular or plural); a list option takes several.
    fn slot(&self, stems: &[&str]) -> Option<(String, bool)> {
        let mut found = Vec::new();
        for s in stems {
            for opt in [format!("--{s}"), format!("--{s}s")] {
                if let Some(p) = self.has(&opt) {
                    found.push((opt, p.param_type == "list"));
                }
            }
        }
        found.dedup();
        match found.as_slice() {
            [(o, list)] if *list || !self.taken(o) => Some((o.clone(), *list)),
            _ => None,
        }
    }
}

fn quote(v: &str) -> String {
    if !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=,@+*%".contains(&b))
    {
        v.to_string()
    } else {
        format!("'{}'", v.replace('\'', "'\\''"))
    }
}

/// The values a request names, as `(kind, text)` (`("id", "i-0abc…")`, `("s3_url", …)`,
/// `("name", "resize-images")`…): what the ready commands are filled from.
pub fn values_in(query: &str) -> Vec<(&'static str, String)> {
    values(query)
        .into_iter()
        .map(|v| {
            let k = match v.kind {
                Kind::Id(_) => "id",
                Kind::Arn(..) => "arn",
                Kind::S3Url => "s3_url",
                Kind::Region => "region",
                Kind::Zone => "availability_zone",
                Kind::InstanceType => "instance_type",
                Kind::Account => "account",
                Kind::Path => "path",
                Kind::LocalFile => "local_file",
                Kind::Name(_) => "name",
            };
            (k, v.text)
        })
        .collect()
}

/// Build the ready line of `s` for `query`.
pub(crate) fn ready(query: &str, s: &Suggestion) -> Ready {
    let vals = values(query);
    let mut b = Builder {
        params: &s.parameters,
        set: Vec::new(),
        positional: Vec::new(),
    };
    let regions: Vec<&Value> = vals.iter().filter(|v| v.kind == Kind::Region).collect();
    let is_s3_high = s.service == "s3";
    let mut filters: Vec<(&str, Vec<String>)> = Vec::new();
    for v in &vals {
        match &v.kind {
            Kind::Id(prefix) => {
                let Some(&(_, stems, filter)) = IDS.iter().find(|x| x.0 == prefix) else {
                    continue;
                };
                if let Some((opt, _)) = b.slot(stems) {
                    b.put(&opt, &v.text);
                } else if s.operation.starts_with("describe-")
                    && s.service == "ec2"
                    && b.has("--filters").is_some()
                {
                    match filters.iter_mut().find(|f| f.0 == filter) {
                        Some(f) => f.1.push(v.text.clone()),
                        None => filters.push((filter, vec![v.text.clone()])),
                    }
                }
            }
            Kind::Arn(_, rtype) => {
                let arn_opts: Vec<&super::ParamInfo> = s
                    .parameters
                    .iter()
                    .filter(|p| p.name.ends_with("-arn") || p.name.ends_with("-arns"))
                    .collect();
                let compact = |x: &str| x.replace('-', "");
                let chosen = if arn_opts.len() == 1 {
                    Some(arn_opts[0].name.clone())
                } else if !rtype.is_empty() {
                    let want = compact(rtype);
                    let m: Vec<&&super::ParamInfo> = arn_opts
                        .iter()
                        .filter(|p| {
                            let stem = p.name.trim_start_matches("--");
                            let stem = stem
                                .strip_suffix("-arns")
                                .or_else(|| stem.strip_suffix("-arn"))
                                .unwrap_or(stem);
                            compact(stem) == want
                        })
                        .collect();
                    match m.as_slice() {
                        [p] => Some(p.name.clone()),
                        [] => {
                            // an option named for the resource (`--task`, `--cluster`)
                            b.slot(&[rtype.as_str()]).map(|x| x.0)
                        }
                        _ => None,
                    }
                } else {
                    None
                };
                if let Some(opt) = chosen {
                    if !b.taken(&opt) || opt.ends_with('s') {
                        b.put(&opt, &v.text);
                    }
                }
            }
            Kind::S3Url => {
                if is_s3_high {
                    b.positional.push(v.text.clone());
                } else {
                    let rest = &v.text[5..];
                    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
                    if b.has("--bucket").is_some() && !b.taken("--bucket") {
                        b.put("--bucket", bucket);
                        if !key.is_empty() {
                            if b.has("--key").is_some() {
                                b.put("--key", key);
                            } else if b.has("--prefix").is_some() {
                                b.put("--prefix", key);
                            }
                        }
                    }
                }
            }
            Kind::LocalFile if is_s3_high => b.positional.push(v.text.clone()),
            Kind::Region if regions.len() == 1 => b.put("--region", &v.text),
            Kind::Zone => {
                if let Some((opt, _)) = b.slot(&["availability-zone"]) {
                    b.put(&opt, &v.text);
                }
            }
            Kind::InstanceType => {
                let stems: &[&str] = if v.text.starts_with("db.") {
                    &["db-instance-class"]
                } else if v.text.starts_with("cache.") {
                    &["cache-node-type"]
                } else {
                    &["instance-type"]
                };
                if let Some((opt, _)) = b.slot(stems) {
                    b.put(&opt, &v.text);
                }
            }
            Kind::Account => {
                if let Some((opt, _)) = b.slot(&["account-id"]) {
                    b.put(&opt, &v.text);
                }
            }
            Kind::Path => {
                let stems: &[&str] = if s.service == "logs" || v.text.starts_with("/aws/") {
                    &["log-group-name"]
                } else if s.service == "ssm" {
                    &["path", "name"]
                } else {
                    &[]
                };
                if let Some((opt, _)) = b.slot(stems) {
                    b.put(&opt, &v.text);
                }
            }
            Kind::Name(noun) => {
                let opt = if noun.is_empty() {
                    // "named X": the command's one required name option
                    let req: Vec<&super::ParamInfo> = s
                        .parameters
                        .iter()
                        .filter(|p| {
                            p.required
                                && (p.name.ends_with("-name")
                                    || p.name == "--name"
                                    || p.name == "--bucket")
                                && !b.taken(&p.name)
                        })
                        .collect();
                    match req.as_slice() {
                        [p] => Some(p.name.clone()),
                        _ => None,
                    }
                } else {
                    NOUNS
                        .iter()
                        .find(|x| x.0 == noun)
                        .and_then(|x| b.slot(x.1))
                        .map(|x| x.0)
                };
                if let Some(opt) = opt {
                    if !b.taken(&opt) {
                        b.put(&opt, &v.text);
                    }
                }
            }
            _ => {}
        }
    }
    if !filters.is_empty() {
        let spec: Vec<String> = filters
            .iter()
            .map(|(name, vs)| format!("Name={name},Values={}", vs.join(",")))
            .collect();
        for f in spec {
            b.put("--filters", &f);
        }
    }
    let mut filled: Vec<String> = b.set.iter().map(|(o, _)| o.clone()).collect();
    let mut line = s.command.clone();
    for p in &b.positional {
        line.push(' ');
        line.push_str(&quote(p));
    }
    if !b.positional.is_empty() {
        filled.push("paths".into());
    }
    let mut missing = Vec::new();
    let positional_needed = s
        .parameters
        .iter()
        .filter(|p| p.required && !p.name.starts_with("--"))
        .count();
    for p in s.parameters.iter().filter(|p| p.required) {
        if p.name.starts_with("--") {
            if !b.taken(&p.name) {
                missing.push(p.name.clone());
            }
        } else if b.positional.len() < positional_needed {
            missing.push(p.name.clone());
        }
    }
    for (opt, vs) in &b.set {
        line.push(' ');
        line.push_str(opt);
        for v in vs {
            line.push(' ');
            line.push_str(&quote(v));
        }
    }
    // placeholders for what is still required, in the catalog's order
    if positional_needed > b.positional.len() {
        for p in s
            .parameters
            .iter()
            .filter(|p| p.required && !p.name.starts_with("--"))
            .skip(b.positional.len())
        {
            line.push(' ');
            line.push_str(&quote(&format!("<{}>", p.name)));
        }
    }
    for m in missing.iter().filter(|m| m.starts_with("--")) {
        line.push_str(&format!(
            " {m} {}",
            quote(&format!("<{}>", m.trim_start_matches("--")))
        ));
    }
    Ready {
        line,
        filled,
        missing,
    }
}

/// Fill in `s.ready`, `s.filled` and `s.missing` for `query`; the line is kept only if it
/// validates (with placeholders, then without them), else the bare command is kept.
pub(crate) fn complete(catalog: &Catalog, query: &str, s: &mut Suggestion) {
    let r = ready(query, s);
    if crate::validate(catalog, &r.line).is_ok() {
        s.ready = r.line;
        s.filled = r.filled;
        s.missing = r.missing;
        return;
    }
    s.missing = r.missing;
    s.filled = Vec::new();
    s.ready = s.command.clone();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retrieve::make_suggestion;

    fn ready_for(query: &str, cmd: &str) -> Suggestion {
        let (svc, op) = cmd.split_once(' ').unwrap();
        let mut s = make_suggestion(Catalog::embedded(), svc, op, "", 1.0).unwrap();
        complete(Catalog::embedded(), query, &mut s);
        s
    }

    #[test]
    fn values_say_what_they_are() {
        let v = values("attach vol-0aaa1111bbbb22223 to i-0bbb2222cccc33334 in eu-west-1a");
        assert_eq!(v[0].kind, Kind::Id("vol".into()));
        assert_eq!(v[1].kind, Kind::Id("i".into()));
        assert_eq!(v[2].kind, Kind::Zone);
        let v = values("copy s3://a/b.txt to ./local, region us-east-1, t3.micro, 123456789012");
        let kinds: Vec<&Kind> = v.iter().map(|x| &x.kind).collect();
        assert_eq!(
            kinds,
            [
                &Kind::S3Url,
                &Kind::LocalFile,
                &Kind::Region,
                &Kind::InstanceType,
                &Kind::Account
            ]
        );
        let v = values("assume arn:aws:iam::123456789012:role/Admin");
        assert_eq!(v[0].kind, Kind::Arn("iam".into(), "role".into()));
        assert!(values("list my servers and the stuff in them").is_empty());
        assert!(values("i-xyz is not an id, nor is vpc-12").is_empty());
        let v = values("invoke the function order-processor");
        assert_eq!(v[0].kind, Kind::Name("function".into()));
        assert!(
            values("invoke the function now").is_empty(),
            "an English word is no name"
        );
    }

    #[test]
    fn ids_go_to_their_option_or_an_ec2_filter() {
        let s = ready_for(
            "route tables for vpc-0a1b2c3d4e5f67890",
            "ec2 describe-route-tables",
        );
        assert_eq!(
            s.ready,
            "aws ec2 describe-route-tables --filters Name=vpc-id,Values=vpc-0a1b2c3d4e5f67890"
        );
        let s = ready_for(
            "stop i-0f1e2d3c4b5a69788 and i-0123456789abcdef0",
            "ec2 stop-instances",
        );
        assert_eq!(
            s.ready,
            "aws ec2 stop-instances --instance-ids i-0f1e2d3c4b5a69788 i-0123456789abcdef0"
        );
        assert!(s.missing.is_empty());
        let s = ready_for(
            "attach vol-0aaa1111bbbb22223 to i-0bbb2222cccc33334 as /dev/sdf",
            "ec2 attach-volume",
        );
        assert!(
            s.ready.contains("--volume-id vol-0aaa1111bbbb22223"),
            "{}",
            s.ready
        );
        assert!(s.ready.contains("--instance-id i-0bbb2222cccc33334"));
        assert_eq!(s.missing, ["--device"]);
        assert!(s.ready.ends_with("--device '<device>'"), "{}", s.ready);
    }

    #[test]
    fn s3_urls_names_and_regions() {
        let s = ready_for("upload report.pdf to s3://team-docs/q3/", "s3 cp");
        assert_eq!(s.ready, "aws s3 cp report.pdf s3://team-docs/q3/");
        let s = ready_for(
            "get the bucket policy on s3://acme-public in eu-west-1",
            "s3api get-bucket-policy",
        );
        assert_eq!(
            s.ready,
            "aws s3api get-bucket-policy --bucket acme-public --region eu-west-1"
        );
        let s = ready_for(
            "change the memory of lambda function resize-images",
            "lambda update-function-configuration",
        );
        assert!(
            s.ready.contains("--function-name resize-images"),
            "{}",
            s.ready
        );
        let s = ready_for(
            "assume arn:aws:iam::123456789012:role/Admin",
            "sts assume-role",
        );
        assert!(s
            .ready
            .contains("--role-arn arn:aws:iam::123456789012:role/Admin"));
        assert_eq!(s.missing, ["--role-session-name"]);
        // two regions: which is which is not clear, so neither is used
        let s = ready_for(
            "copy AMI ami-0123456789abcdef0 from us-east-1 to eu-central-1",
            "ec2 copy-image",
        );
        assert!(!s.ready.contains("--region"), "{}", s.ready);
    }

    #[test]
    fn ready_lines_validate_or_fall_back() {
        for (q, c) in [
            ("list my servers", "ec2 describe-instances"),
            ("create a bucket", "s3api create-bucket"),
            ("put item", "dynamodb put-item"),
            ("run task", "ecs run-task"),
            ("send message to queue jobs", "sqs send-message"),
        ] {
            let s = ready_for(q, c);
            assert!(
                s.ready == s.command || crate::validate(Catalog::embedded(), &s.ready).is_ok(),
                "{q}: {}",
                s.ready
            );
        }
    }
}
