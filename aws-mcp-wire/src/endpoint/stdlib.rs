//! The rule sets' standard library on plain Rust values, following
//! botocore 1.44.8's `RuleSetStandardLibrary` (and, for `parseURL`, Python's
//! `urllib.parse.urlparse` as botocore calls it).

use std::net::Ipv6Addr;

use super::eval::Value;

/// `substring(value, start, stop, reverse)`: characters `start..stop`
/// (counted from the end when `reverse`); `None` when the range is empty or
/// out of bounds, or the string is not ASCII.
pub(crate) fn substring(s: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    if start >= stop || s.len() < stop || !s.is_ascii() {
        return None;
    }
    if reverse {
        s.get(s.len() - stop..s.len() - start)
    } else {
        s.get(start..stop)
    }
}

/// `uriEncode`: percent-encode every byte of the UTF-8 string except the
/// unreserved characters `A-Z a-z 0-9 - . _ ~`.
pub(crate) fn uri_encode(s: &str) -> String {
    percent_encode(s, b"-._~")
}

/// Python's `quote(s, safe)`: letters, digits and `_.-~` are never encoded,
/// nor the bytes in `safe`; hex digits are upper case.
fn percent_encode(s: &str, safe: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"_.-~".contains(&b) || safe.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// `isValidHostLabel(value, allowSubDomains)`: 1 to 63 letters, digits and
/// hyphens, not starting or ending with a hyphen; with `allow_subdomains`,
/// every dot-separated label must be one.
pub(crate) fn is_valid_host_label(s: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        s.split('.').all(is_one_host_label)
    } else {
        is_one_host_label(s)
    }
}

fn is_one_host_label(s: &str) -> bool {
    let b = s.as_bytes();
    (1..=63).contains(&b.len())
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: at least three
/// characters, no upper case, not shaped like an IPv4 address, and a valid
/// host label (each label, with `allow_subdomains`).
pub(crate) fn is_virtual_hostable_s3_bucket(s: &str, allow_subdomains: bool) -> bool {
    s.len() >= 3
        && !s.chars().any(char::is_uppercase)
        && !looks_like_ipv4(s)
        && is_valid_host_label(s, allow_subdomains)
}

/// botocore's `IPV4_RE`: four dot-separated groups of one to three digits
/// (no range check).
fn looks_like_ipv4(s: &str) -> bool {
    let mut n = 0;
    for part in s.split('.') {
        n += 1;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    n == 4
}

/// The result of `parseURL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UrlParts {
    pub scheme: String,
    pub authority: String,
    pub path: String,
    pub normalized_path: String,
    pub is_ip: bool,
}

impl UrlParts {
    pub(crate) fn to_value(&self) -> Value {
        Value::object(vec![
            ("scheme", Value::str(&self.scheme)),
            ("authority", Value::str(&self.authority)),
            ("path", Value::str(&self.path)),
            ("normalizedPath", Value::str(&self.normalized_path)),
            ("isIp", Value::Bool(self.is_ip)),
        ])
    }
}

/// `parseURL`: an `http` or `https` URL without a query, split as Python's
/// `urlparse` splits it; `None` for anything else (another scheme, a query,
/// a bad port, unbalanced IPv6 brackets).
pub(crate) fn parse_url(url: &str) -> Option<UrlParts> {
    if url.contains(['\t', '\r', '\n']) {
        // Python strips these before parsing; botocore then refuses such a
        // URL as an IP address. Rule sets only ever see clean URLs.
        return None;
    }
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let (scheme, rest) = match url.find(':') {
        Some(i)
            if i > 0
                && url.as_bytes()[0].is_ascii_alphabetic()
                && url[..i]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) =>
        {
            (url[..i].to_ascii_lowercase(), &url[i + 1..])
        }
        _ => (String::new(), url),
    };
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let (netloc, rest) = match rest.strip_prefix("//") {
        Some(r) => {
            let end = r.find(['/', '?', '#']).unwrap_or(r.len());
            (&r[..end], &r[end..])
        }
        None => ("", rest),
    };
    if netloc.contains('[') != netloc.contains(']') {
        return None;
    }
    let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
    if let Some((_, query)) = rest.split_once('?') {
        if !query.is_empty() {
            return None;
        }
    }
    let mut path = rest.split_once('?').map_or(rest, |(r, _)| r);
    // `;params` of the last path segment are split off by urlparse.
    if let Some(slash) = path.rfind('/') {
        if let Some(semi) = path[slash..].find(';') {
            path = &path[..slash + semi];
        }
    } else if let Some(semi) = path.find(';') {
        path = &path[..semi];
    }
    let (hostname, port) = split_host_port(netloc);
    if !port.is_empty() {
        let ok = port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| p <= 65535);
        if !ok {
            return None;
        }
    }
    let mut normalized = percent_encode(&normalize_url_path(path), b"/");
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    let host = hostname.to_ascii_lowercase();
    let is_ip = looks_like_ipv4(&host) || is_ipv6_with_zone(hostname, netloc);
    Some(UrlParts {
        scheme,
        authority: netloc.to_string(),
        path: path.to_string(),
        normalized_path: normalized,
        is_ip,
    })
}

/// The host (without brackets) and port text of a netloc, as Python's
/// `hostname` and `port` see them.
fn split_host_port(netloc: &str) -> (&str, &str) {
    let hostinfo = netloc.rsplit_once('@').map_or(netloc, |(_, h)| h);
    if let Some((_, bracketed)) = hostinfo.split_once('[') {
        let (host, after) = bracketed.split_once(']').unwrap_or((bracketed, ""));
        let port = after.split_once(':').map_or("", |(_, p)| p);
        (host, port)
    } else {
        hostinfo.split_once(':').unwrap_or((hostinfo, ""))
    }
}

/// Whether the netloc holds a bracketed IPv6 address with an optional zone
/// (`%25eth0` or `%eth0`).
fn is_ipv6_with_zone(host: &str, netloc: &str) -> bool {
    if !netloc.contains('[') {
        return false;
    }
    let (addr, zone) = match host.split_once('%') {
        Some((a, z)) => (a, Some(z)),
        None => (host, None),
    };
    if let Some(z) = zone {
        let z = z.strip_prefix("25").filter(|z| !z.is_empty()).unwrap_or(z);
        if z.is_empty() || !valid_zone(z) {
            return false;
        }
    }
    addr.parse::<Ipv6Addr>().is_ok()
}

fn valid_zone(z: &str) -> bool {
    let b = z.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if i + 2 >= b.len() {
                return false;
            }
            if !(b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
        } else if b[i].is_ascii_alphanumeric() || b"._!-~".contains(&b[i]) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

/// botocore's `normalize_url_path`: `/` for an empty path, else dot
/// segments resolved and empty segments removed, keeping a leading and a
/// trailing slash.
fn normalize_url_path(path: &str) -> String {
    if path.is_empty() {
        return "/".into();
    }
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let first = if path.starts_with('/') { "/" } else { "" };
    let last = if path.ends_with('/') && !out.is_empty() {
        "/"
    } else {
        ""
    };
    format!("{first}{}{last}", out.join("/"))
}

/// The result of `aws.parseArn`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account_id: String,
    pub resource_id: Vec<String>,
}

impl Arn {
    pub(crate) fn to_value(&self) -> Value {
        Value::object(vec![
            ("partition", Value::str(&self.partition)),
            ("service", Value::str(&self.service)),
            ("region", Value::str(&self.region)),
            ("accountId", Value::str(&self.account_id)),
            (
                "resourceId",
                Value::Array(
                    self.resource_id
                        .iter()
                        .map(|s| Value::str(s))
                        .collect::<Vec<_>>()
                        .into(),
                ),
            ),
        ])
    }
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource`, with a
/// non-empty partition, service and resource; the resource is split on `:`
/// and `/` into `resourceId`.
pub(crate) fn parse_arn(s: &str) -> Option<Arn> {
    let rest = s.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.into(),
        service: service.into(),
        region: region.into(),
        account_id: account.into(),
        resource_id: resource.split([':', '/']).map(str::to_string).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_forward_reverse_and_bounds() {
        assert_eq!(substring("abcdef", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcdef", 0, 4, true), Some("cdef"));
        assert_eq!(substring("abcdef", 1, 3, true), Some("de"));
        assert_eq!(substring("abcdef", 0, 6, false), Some("abcdef"));
        assert_eq!(substring("abcdef", 0, 7, false), None);
        assert_eq!(substring("abcdef", 3, 3, false), None);
        assert_eq!(substring("abcdef", 4, 2, false), None);
        assert_eq!(substring("abcdé", 0, 2, false), None, "non-ASCII");
    }

    #[test]
    fn uri_encode_keeps_only_unreserved() {
        assert_eq!(uri_encode("abc-._~XYZ019"), "abc-._~XYZ019");
        assert_eq!(uri_encode("a b/c:d"), "a%20b%2Fc%3Ad");
        assert_eq!(uri_encode("é"), "%C3%A9");
        assert_eq!(uri_encode(""), "");
        assert_eq!(uri_encode("%"), "%25");
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("a", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-abc", false));
        assert!(!is_valid_host_label("abc-", false));
        assert!(!is_valid_host_label("a_b", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(is_valid_host_label("abc.def-1.x", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("a.-b", true));
        assert!(!is_valid_host_label("a b", true));
    }

    #[test]
    fn virtual_hostable_buckets() {
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(is_virtual_hostable_s3_bucket("abc", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false), "too short");
        assert!(
            !is_virtual_hostable_s3_bucket("My-Bucket", false),
            "upper case"
        );
        assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true), "IPv4");
        assert!(!is_virtual_hostable_s3_bucket("my.bucket", false));
        assert!(is_virtual_hostable_s3_bucket("my.bucket", true));
        assert!(!is_virtual_hostable_s3_bucket("my..bucket", true));
        assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket name", false));
    }

    #[test]
    fn parse_url_parts() {
        let u = parse_url("https://example.com:8443/a/b").unwrap();
        assert_eq!(u.scheme, "https");
        assert_eq!(u.authority, "example.com:8443");
        assert_eq!(u.path, "/a/b");
        assert_eq!(u.normalized_path, "/a/b/");
        assert!(!u.is_ip);

        let u = parse_url("http://example.com").unwrap();
        assert_eq!((u.path.as_str(), u.normalized_path.as_str()), ("", "/"));
        let u = parse_url("HTTP://example.com/").unwrap();
        assert_eq!(u.scheme, "http");
        assert_eq!(u.normalized_path, "/");
        let u = parse_url("https://example.com/a//b/./c/../d").unwrap();
        assert_eq!(u.normalized_path, "/a/b/d/");
        let u = parse_url("https://example.com/a b").unwrap();
        assert_eq!(u.normalized_path, "/a%20b/");
    }

    #[test]
    fn parse_url_ip_addresses() {
        assert!(parse_url("https://127.0.0.1").unwrap().is_ip);
        assert!(parse_url("https://127.0.0.1:80/path").unwrap().is_ip);
        assert!(parse_url("http://[fe80::1]").unwrap().is_ip);
        assert!(parse_url("http://[fe80::1%25en0]:8080/x").unwrap().is_ip);
        assert!(parse_url("http://[::ffff:127.0.0.1]").unwrap().is_ip);
        assert!(!parse_url("http://[fe80::1%]").unwrap().is_ip);
        assert!(!parse_url("https://127.0.0.1.example.com").unwrap().is_ip);
        assert!(!parse_url("https://1.2.3").unwrap().is_ip);
        assert_eq!(
            parse_url("https://[::1]:9000").unwrap().authority,
            "[::1]:9000"
        );
    }

    #[test]
    fn parse_url_rejects() {
        assert_eq!(parse_url("ftp://example.com"), None, "scheme");
        assert_eq!(parse_url("example.com"), None, "no scheme");
        assert_eq!(parse_url("https://example.com?x=1"), None, "query");
        assert_eq!(parse_url("https://example.com:port"), None, "port");
        assert_eq!(parse_url("https://example.com:70000"), None, "port range");
        assert_eq!(parse_url("https://[::1"), None, "bracket");
        assert_eq!(parse_url("https://exa\nmple.com"), None, "control");
        assert_eq!(parse_url(""), None);
        // An empty query is no query, as for Python.
        assert!(parse_url("https://example.com?").is_some());
    }

    #[test]
    fn parse_arn_parts() {
        let a = parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint:my-ap/x").unwrap();
        assert_eq!(a.partition, "aws");
        assert_eq!(a.service, "s3");
        assert_eq!(a.region, "us-west-2");
        assert_eq!(a.account_id, "123456789012");
        assert_eq!(a.resource_id, vec!["accesspoint", "my-ap", "x"]);
        let a = parse_arn("arn:aws:s3:::bucket").unwrap();
        assert_eq!((a.region.as_str(), a.account_id.as_str()), ("", ""));
        assert_eq!(a.resource_id, vec!["bucket"]);
        assert_eq!(
            parse_arn("arn:aws:iam::123:user/a:b").unwrap().resource_id,
            vec!["user", "a", "b"]
        );
    }

    #[test]
    fn parse_arn_rejects() {
        assert_eq!(parse_arn("aws:s3:us-west-2:123:bucket"), None);
        assert_eq!(parse_arn("arn:aws:s3:us-west-2:123"), None, "five parts");
        assert_eq!(parse_arn("arn::s3:us-west-2:123:x"), None, "no partition");
        assert_eq!(parse_arn("arn:aws::us-west-2:123:x"), None, "no service");
        assert_eq!(parse_arn("arn:aws:s3:us-west-2:123:"), None, "no resource");
        assert_eq!(parse_arn("my-bucket"), None);
    }

    #[test]
    fn normalize_paths() {
        assert_eq!(normalize_url_path(""), "/");
        assert_eq!(normalize_url_path("/"), "/");
        assert_eq!(normalize_url_path("/a/../.."), "/");
        assert_eq!(normalize_url_path("a/b/"), "a/b/");
        assert_eq!(normalize_url_path("//a///b"), "/a/b");
    }
}
