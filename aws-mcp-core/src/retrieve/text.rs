//! Text normalisation shared by the index and the queries: words (Unicode
//! letters and digits, camelCase split), lower case, a light English stemmer
//! (plurals, -ing, -ed, final e), a bounded edit distance for spelling, and
//! the recognition of values typed in requests (IDs, URLs, ARNs, regions,
//! paths…: [`value_hint`]), which both engines replace by what they are.

/// FNV-1a: a fast hash for the short keys of the index (words, terms).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A `HashMap` with [`Fnv`] hashing.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// Call `f` with each lower-case word of `text` (see [`words`]), reusing one buffer.
pub(crate) fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if ch.is_uppercase() && prev_lower && !cur.is_empty() {
                f(&cur);
                cur.clear();
            }
            prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
            if ch.is_ascii() {
                cur.push(ch.to_ascii_lowercase());
            } else {
                cur.extend(ch.to_lowercase());
            }
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                f(&cur);
                cur.clear();
            }
        }
    }
    if !cur.is_empty() {
        f(&cur);
    }
}

/// Split `text` into lower-case words: runs of letters/digits, also split at
/// camelCase boundaries (`DescribeInstances` → `describe`, `instances`).
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// A bit per letter a–z present in `word` (a cheap filter before edit distance).
pub(crate) fn letter_mask(word: &str) -> u32 {
    word.bytes()
        .filter(|b| b.is_ascii_lowercase())
        .fold(0u32, |m, b| m | 1 << (b - b'a'))
}

/// Whether a word looks like an identifier or a value rather than a word
/// (`0f1e2d3c4b5a69788`, `123456789012`, `abc123def`): long and mixing digits.
pub(crate) fn is_noise(word: &str) -> bool {
    let digits = word.chars().filter(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return false;
    }
    let n = word.chars().count();
    digits == n || n > 5
}

/// A light stemmer: the same rules for documents and queries, so that
/// `instances`/`instance`, `creating`/`created`/`create`, `policies`/`policy`
/// meet. Short words and words with digits are left alone.
pub(crate) fn stem(word: &str) -> String {
    if word.len() <= 3 || !word.is_ascii() || word.bytes().any(|b| b.is_ascii_digit()) {
        return word.to_string();
    }
    let mut w = word.to_string();
    if let Some(base) = w.strip_suffix("ies") {
        if base.len() >= 2 {
            w = format!("{base}y");
        }
    } else if w.ends_with("sses")
        || w.ends_with("xes")
        || w.ends_with("ches")
        || w.ends_with("shes")
    {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && w.len() > 3
    {
        w.truncate(w.len() - 1);
    }
    for suf in ["ing", "ed"] {
        if w.len() > suf.len() + 3 && w.ends_with(suf) {
            let base = &w[..w.len() - suf.len()];
            if base.bytes().any(|b| b"aeiouy".contains(&b)) {
                let b = base.as_bytes();
                let n = b.len();
                let undouble = n >= 2
                    && b[n - 1] == b[n - 2]
                    && !b"lsz".contains(&b[n - 1])
                    && !b"aeiou".contains(&b[n - 1]);
                w = if undouble {
                    base[..n - 1].to_string()
                } else {
                    base.to_string()
                };
            }
            break;
        }
    }
    if w.len() > 4 && w.ends_with('e') && !w.ends_with("ee") {
        w.truncate(w.len() - 1);
    }
    w
}

/// AWS resource-ID prefixes (`i-0abc…`) → what the ID names. From the EC2
/// and EFS ID formats; an ID says which kind of resource the request is about.
const ID_PREFIXES: &[(&str, &str)] = &[
    ("i", "instance ec2"),
    ("ami", "image ami ec2"),
    ("vol", "volume ec2"),
    ("snap", "snapshot ec2"),
    ("sg", "security group ec2"),
    ("subnet", "subnet ec2"),
    ("vpc", "vpc ec2"),
    ("eni", "network interface ec2"),
    ("igw", "internet gateway ec2"),
    ("nat", "nat gateway ec2"),
    ("rtb", "route table ec2"),
    ("acl", "network acl ec2"),
    ("eipalloc", "address ec2"),
    ("vpce", "vpc endpoint ec2"),
    ("tgw", "transit gateway ec2"),
    ("lt", "launch template ec2"),
    ("pcx", "vpc peering connection ec2"),
    ("fs", "file system"),
];

/// File extensions: a token `name.ext` is a local file.
const FILE_EXTENSIONS: &[&str] = &[
    "json", "yaml", "yml", "txt", "csv", "tsv", "pdf", "png", "jpg", "jpeg", "gif", "zip", "gz",
    "tar", "tgz", "dump", "sql", "py", "js", "ts", "sh", "log", "xml", "html", "md", "parquet",
    "bin", "iso", "pem", "key", "crt", "jar", "war", "mp3", "mp4", "wav", "docx", "xlsx",
];

/// Top-level domains recognised in host names (`api.example.com`).
const TLDS: &[&str] = &[
    "com", "net", "org", "io", "dev", "app", "co", "uk", "de", "info", "cloud", "ai", "us", "eu",
    "biz", "me", "fr", "jp", "in", "au", "ca", "xyz", "tech", "site",
];

/// ARN service namespaces that differ from the CLI's service name.
const ARN_SERVICES: &[(&str, &str)] = &[
    ("states", "stepfunctions state machine"),
    ("elasticloadbalancing", "elbv2 load balancer"),
    ("execute-api", "apigateway api"),
    ("es", "opensearch domain"),
    ("events", "events rule"),
    ("logs", "logs log group"),
    ("secretsmanager", "secretsmanager secret"),
    ("ssm", "ssm parameter"),
    ("sns", "sns topic"),
    ("sqs", "sqs queue"),
];

fn is_hex_id(s: &str) -> bool {
    (8..=17).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The instance-size words of EC2 / RDS / ElastiCache instance types (`t3.micro`).
fn is_instance_size(s: &str) -> bool {
    matches!(s, "nano" | "micro" | "small" | "medium" | "large" | "metal")
        || s.strip_suffix("xlarge")
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
}

/// A value typed in a request rather than a word: an S3 URL, an ARN, a
/// resource ID, a region, an instance type, an IP address, a phone number, an
/// e-mail address, a host name, a path or a file name. Returns the words that
/// say what kind of thing the value is (possibly none): `i-0abc…` →
/// "instance ec2", `s3://b/k` → "s3 bucket object", `eu-west-1` → nothing.
/// The value's own words are names (`s3://archive/db.dump` is not about
/// databases) and must not be read as the request's words. `None`: not a value.
pub(crate) fn value_hint(token: &str) -> Option<String> {
    let t = token
        .trim_matches(|c: char| "\"'`()[]{},;!?<>".contains(c))
        .trim_end_matches(['.', ':']);
    if t.is_empty() || !t.is_ascii() {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let l = lower.as_str();
    if l.starts_with("s3://") {
        return Some("s3 bucket object".into());
    }
    if l.starts_with("http://") || l.starts_with("https://") {
        return Some("url".into());
    }
    if let Some(rest) = l.strip_prefix("arn:") {
        let ns = rest.split(':').nth(1).unwrap_or_default();
        let hint = ARN_SERVICES
            .iter()
            .find(|(k, _)| *k == ns)
            .map_or_else(|| ns.replace('-', " "), |(_, v)| v.to_string());
        return Some(hint);
    }
    if let Some((prefix, id)) = l.split_once('-') {
        if is_hex_id(id) {
            let hint = ID_PREFIXES.iter().find(|(k, _)| *k == prefix);
            return Some(hint.map_or("", |(_, v)| v).to_string());
        }
    }
    // regions and availability zones: us-east-1, eu-west-1a, us-gov-west-1
    let parts: Vec<&str> = l.split('-').collect();
    if (3..=4).contains(&parts.len())
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[parts.len() - 1]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit())
        && parts[parts.len() - 1].len() <= 2
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| p.len() >= 3 && p.bytes().all(|b| b.is_ascii_lowercase()))
    {
        return Some(String::new());
    }
    if let Some((family, size)) = l.rsplit_once('.') {
        if is_instance_size(size) && family.bytes().any(|b| b.is_ascii_digit()) {
            return Some(if family.starts_with("db.") {
                "db instance class".into()
            } else if family.starts_with("cache.") {
                "cache node type".into()
            } else {
                "instance type".into()
            });
        }
    }
    // version numbers (1.30, 3.8, 2.4.1): of an engine, a runtime, Kubernetes…
    let dotted: Vec<&str> = l.split('.').collect();
    if (2..=3).contains(&dotted.len())
        && dotted
            .iter()
            .all(|x| !x.is_empty() && x.len() <= 3 && x.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some(String::new());
    }
    let ip = |s: &str| {
        let o: Vec<&str> = s.split('.').collect();
        o.len() == 4
            && o.iter()
                .all(|x| !x.is_empty() && x.len() <= 3 && x.bytes().all(|b| b.is_ascii_digit()))
    };
    if ip(l.split('/').next().unwrap_or_default()) {
        return Some(
            if l.contains('/') {
                "cidr"
            } else {
                "ip address"
            }
            .into(),
        );
    }
    if let Some(num) = l.strip_prefix('+') {
        if (7..=15).contains(&num.len()) && num.bytes().all(|b| b.is_ascii_digit()) {
            return Some("phone number sms".into());
        }
    }
    if let Some((user, host)) = l.split_once('@') {
        if !user.is_empty() && host.contains('.') {
            return Some("email address".into());
        }
    }
    // CloudWatch Logs group names by AWS's conventions: /aws/<service>/…
    // (Lambda, CodeBuild, EKS, RDS…) and /ecs/<task definition>
    if l.starts_with("/aws/") || l.starts_with("/ecs/") {
        return Some("logs log group".into());
    }
    // paths and names with slashes (/prod/app, 2024/05/01, alias/s3),
    // but not "role/creds" (two words)
    let segments: Vec<&str> = l.split('/').collect();
    if segments.len() > 1
        && (l.starts_with('/')
            || segments.len() > 2
            || segments
                .iter()
                .any(|x| x.is_empty() || !x.bytes().all(|b| b.is_ascii_lowercase())))
    {
        return Some(String::new());
    }
    if let Some((base, ext)) = l.rsplit_once('.') {
        if !base.is_empty() && FILE_EXTENSIONS.contains(&ext) {
            return Some(format!("{} file", base.replace(['-', '_', '.'], " ")));
        }
        let labels: Vec<&str> = l.split('.').collect();
        if labels.len() >= 2
            && TLDS.contains(&ext)
            && labels
                .iter()
                .all(|x| !x.is_empty() && x.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        {
            return Some("domain dns record".into());
        }
    }
    None
}

/// A request with its values replaced by what they are ([`value_hint`]):
/// `stop i-0abc… now` → `stop instance ec2 now`.
#[cfg_attr(not(feature = "dense"), allow(dead_code))]
pub(crate) fn replace_values(query: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for tok in query.split_whitespace() {
        match value_hint(tok) {
            Some(h) if h.is_empty() => {}
            Some(h) => out.push(h),
            None => out.push(tok.to_string()),
        }
    }
    out.join(" ")
}

/// Words that carry no meaning for finding a command.
pub(crate) fn is_stopword(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "my"
            | "our"
            | "me"
            | "i"
            | "we"
            | "us"
            | "you"
            | "your"
            | "it"
            | "its"
            | "this"
            | "that"
            | "these"
            | "those"
            | "to"
            | "of"
            | "in"
            | "on"
            | "for"
            | "from"
            | "with"
            | "by"
            | "at"
            | "as"
            | "and"
            | "or"
            | "is"
            | "are"
            | "be"
            | "was"
            | "do"
            | "does"
            | "did"
            | "can"
            | "could"
            | "would"
            | "should"
            | "please"
            | "so"
            | "some"
            | "any"
            | "every"
            | "all"
            | "there"
            | "here"
            | "have"
            | "has"
            | "now"
            | "right"
            | "just"
            | "want"
            | "need"
            | "like"
            | "how"
            | "aws"
            | "amazon"
            | "s"
            | "t"
            | "don"
            | "into"
            | "up"
            | "about"
            | "around"
            | "them"
            | "their"
            | "they"
            | "if"
            | "when"
            | "where"
            | "who"
            | "why"
            | "will"
            | "same"
            | "using"
            | "use"
            | "called"
            | "named"
            | "few"
            | "also"
            | "then"
            | "than"
            | "one"
    )
}

/// Edit distance between `a` and `b` (insertions, deletions, substitutions,
/// adjacent transpositions), or `None` when it exceeds `max`.
pub(crate) fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut prev2 = vec![0usize; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur = vec![0usize; w];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_camel_case_and_punctuation() {
        assert_eq!(
            words("DescribeInstances, s3://x-y ÉTÉ"),
            vec!["describe", "instances", "s3", "x", "y", "été"]
        );
        assert_eq!(
            words("ec2 EC2 listVPCs"),
            vec!["ec2", "ec2", "list", "vpcs"]
        );
        assert!(words("  ---  ").is_empty());
    }

    #[test]
    fn stems_meet() {
        assert_eq!(stem("instances"), stem("instance"));
        assert_eq!(stem("creating"), stem("create"));
        assert_eq!(stem("created"), stem("create"));
        assert_eq!(stem("policies"), stem("policy"));
        assert_eq!(stem("stopped"), stem("stop"));
        assert_eq!(stem("running"), "run");
        assert_eq!(stem("buckets"), "bucket");
        assert_eq!(stem("access"), "access");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("ec2"), "ec2");
        assert_eq!(stem("üben"), "üben");
    }

    #[test]
    fn noise_words() {
        assert!(is_noise("0f1e2d3c4b5a69788"));
        assert!(is_noise("123456"));
        assert!(!is_noise("ec2"));
        assert!(!is_noise("s3"));
        assert!(!is_noise("bucket"));
    }

    #[test]
    fn values_are_recognised() {
        let h = |t: &str| value_hint(t);
        assert_eq!(h("i-0f1e2d3c4b5a69788").as_deref(), Some("instance ec2"));
        assert_eq!(h("(sg-0123abcd),").as_deref(), Some("security group ec2"));
        assert_eq!(
            h("s3://archive/2019/db.dump").as_deref(),
            Some("s3 bucket object")
        );
        assert_eq!(
            h("arn:aws:states:us-east-1:123456789012:stateMachine:x").as_deref(),
            Some("stepfunctions state machine")
        );
        assert_eq!(
            h("arn:aws:lambda:us-east-1:1:function:f").as_deref(),
            Some("lambda")
        );
        assert_eq!(h("eu-west-1a").as_deref(), Some(""));
        assert_eq!(h("us-gov-west-1").as_deref(), Some(""));
        assert_eq!(h("t3.micro").as_deref(), Some("instance type"));
        assert_eq!(h("db.r6g.xlarge").as_deref(), Some("db instance class"));
        assert_eq!(h("10.0.0.0/16").as_deref(), Some("cidr"));
        assert_eq!(h("+15555550100").as_deref(), Some("phone number sms"));
        assert_eq!(h("ops@example.com").as_deref(), Some("email address"));
        assert_eq!(h("api.example.com").as_deref(), Some("domain dns record"));
        assert_eq!(h("policy.json").as_deref(), Some("policy file"));
        assert_eq!(h("/aws/lambda/x").as_deref(), Some("logs log group"));
        assert_eq!(h("/prod/db-password").as_deref(), Some(""));
        assert_eq!(h("alias/s3").as_deref(), Some(""));
        assert_eq!(h("1.30").as_deref(), Some(""));
        for word in [
            "bucket",
            "site-to-site",
            "on-demand",
            "SSE-KMS",
            "web-app",
            "ec2",
            "e.g.",
            "role/creds",
            "-",
            "日本",
        ] {
            assert_eq!(h(word), None, "{word}");
        }
        assert_eq!(
            replace_values("stop i-0abcdef12 in us-east-1 now"),
            "stop instance ec2 in now"
        );
    }

    #[test]
    fn edit_distance_bounded() {
        assert_eq!(edit_distance("secrt", "secret", 2), Some(1));
        assert_eq!(edit_distance("lamda", "lambda", 1), Some(1));
        assert_eq!(edit_distance("teh", "the", 1), Some(1));
        assert_eq!(edit_distance("abc", "xyz", 1), None);
        assert_eq!(edit_distance("a", "abcdef", 2), None);
        assert_eq!(edit_distance("", "", 0), Some(0));
    }
}
