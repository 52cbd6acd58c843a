//! Paths of the high-level S3 commands: S3 URIs split as awscli splits them
//! (`find_bucket_key`, with access point and Outposts ARNs), POSIX path
//! arithmetic as Python's `posixpath` does it (`normpath`, `abspath`,
//! `relpath`, `join`), the command's path type (`locals3`, `s3local`,
//! `s3s3`, `s3`), and awscli's `FileFormat` / `find_dest_path_comp_key`:
//! where each source file goes and the key the sync comparison uses.
//!
//! Local paths are strings here (the CLI works on `str` paths); nothing
//! touches the disk: whether a local path is an existing directory is asked
//! of the caller.

use std::sync::OnceLock;

use regex::Regex;

use super::S3Error;

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}")))
}

static ACCESSPOINT: OnceLock<Regex> = OnceLock::new();
static OUTPOST_ACCESSPOINT: OnceLock<Regex> = OnceLock::new();
static OUTPOST_BUCKET: OnceLock<Regex> = OnceLock::new();
static OBJECT_LAMBDA: OnceLock<Regex> = OnceLock::new();

fn accesspoint() -> &'static Regex {
    re(
        &ACCESSPOINT,
        r"^(?P<bucket>arn:(aws).*:s3:[a-z\-0-9]*:[0-9]{12}:accesspoint[:/][^/]+)/?(?P<key>(?s:.*))$",
    )
}

fn outpost_accesspoint() -> &'static Regex {
    re(
        &OUTPOST_ACCESSPOINT,
        r"^(?P<bucket>arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\-]{1,63})[/:]?(?P<key>(?s:.*))$",
    )
}

fn outpost_bucket() -> &'static Regex {
    re(
        &OUTPOST_BUCKET,
        r"^(?P<bucket>arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]bucket[/:][a-zA-Z0-9\-]{1,63})[/:]?(?P<key>(?s:.*))$",
    )
}

fn object_lambda() -> &'static Regex {
    re(
        &OBJECT_LAMBDA,
        r"^(?P<bucket>arn:(aws).*:s3-object-lambda:[a-z\-0-9]+:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\-]{1,63})[/:]?(?P<key>(?s:.*))$",
    )
}

/// awscli's `block_unsupported_resources`: S3 Object Lambda access points
/// and Outposts bucket ARNs are refused by the `s3` commands.
pub fn block_unsupported(path: &str) -> Result<(), S3Error> {
    if object_lambda().is_match(path) {
        return Err(S3Error::Param(
            "s3 commands do not support S3 Object Lambda resources. Use s3api commands instead."
                .into(),
        ));
    }
    if outpost_bucket().is_match(path) {
        return Err(S3Error::Param(
            "s3 commands do not support Outpost Bucket ARNs. Use s3control commands instead."
                .into(),
        ));
    }
    Ok(())
}

/// awscli's `find_bucket_key`: `bucket/key` (without `s3://`) split into the
/// bucket (or access point ARN) and the key.
pub fn find_bucket_key(path: &str) -> Result<(String, String), S3Error> {
    block_unsupported(path)?;
    for r in [accesspoint(), outpost_accesspoint()] {
        if let Some(c) = r.captures(path) {
            return Ok((c["bucket"].to_string(), c["key"].to_string()));
        }
    }
    Ok(match path.split_once('/') {
        Some((b, k)) => (b.to_string(), k.to_string()),
        None => (path.to_string(), String::new()),
    })
}

/// awscli's `split_s3_bucket_key`: like [`find_bucket_key`], `s3://` allowed.
pub fn split_s3_bucket_key(path: &str) -> Result<(String, String), S3Error> {
    find_bucket_key(path.strip_prefix("s3://").unwrap_or(path))
}

/// True for an `s3://` URI.
pub fn is_s3(path: &str) -> bool {
    path.starts_with("s3://")
}

/// Python's `posixpath.normpath`.
pub fn normpath(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    // POSIX keeps exactly two leading slashes; three or more become one.
    let initial = if path.starts_with("//") && !path.starts_with("///") {
        2
    } else if path.starts_with('/') {
        1
    } else {
        0
    };
    let mut out: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        if comp.is_empty() || comp == "." {
            continue;
        }
        if comp != ".." || (initial == 0 && out.is_empty()) || out.last() == Some(&"..") {
            out.push(comp);
        } else if !out.is_empty() {
            out.pop();
        }
    }
    let joined = out.join("/");
    let s = format!("{}{joined}", "/".repeat(initial));
    if s.is_empty() {
        ".".into()
    } else {
        s
    }
}

/// Python's `posixpath.join(a, b)`.
pub fn join(a: &str, b: &str) -> String {
    if b.starts_with('/') {
        b.to_string()
    } else if a.is_empty() || a.ends_with('/') {
        format!("{a}{b}")
    } else {
        format!("{a}/{b}")
    }
}

/// Python's `os.path.abspath` with `cwd` as the current directory.
pub fn abspath(path: &str, cwd: &str) -> String {
    if path.starts_with('/') {
        normpath(path)
    } else {
        normpath(&join(cwd, path))
    }
}

/// Python's `posixpath.split`: (head, tail).
pub fn split(path: &str) -> (String, String) {
    let i = path.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (head, tail) = (&path[..i], &path[i..]);
    let head = if !head.is_empty() && head.chars().any(|c| c != '/') {
        head.trim_end_matches('/')
    } else {
        head
    };
    (head.to_string(), tail.to_string())
}

/// Python's `posixpath.dirname`.
pub fn dirname(path: &str) -> String {
    split(path).0
}

/// Python's `posixpath.basename`.
pub fn basename(path: &str) -> String {
    split(path).1
}

/// Python's `posixpath.relpath(path, start)`.
pub fn relpath(path: &str, start: &str, cwd: &str) -> String {
    let start_list: Vec<String> = abspath(start, cwd)
        .split('/')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect();
    let path_list: Vec<String> = abspath(path, cwd)
        .split('/')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect();
    let common = start_list
        .iter()
        .zip(&path_list)
        .take_while(|(a, b)| a == b)
        .count();
    let mut rel: Vec<&str> = vec![".."; start_list.len() - common];
    rel.extend(path_list[common..].iter().map(String::as_str));
    if rel.is_empty() {
        ".".into()
    } else {
        rel.join("/")
    }
}

/// awscli's `relative_path`: how a local file is named in the CLI's output
/// lines, relative to the current directory (`./a.txt`, `dir/b.txt`,
/// `../c.txt`).
pub fn relative_path(filename: &str, cwd: &str) -> String {
    let (dir, base) = split(filename);
    join(&relpath(&dir, ".", cwd), &base)
}

/// The shape of a high-level S3 command's paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathsType {
    /// A local source and an S3 destination (upload).
    LocalS3,
    /// An S3 source and a local destination (download).
    S3Local,
    /// Both in S3 (copy).
    S3S3,
    /// One S3 path (`rm`, `mb`, `rb`).
    S3,
}

impl PathsType {
    /// awscli's name (`locals3`, `s3local`, `s3s3`, `s3`).
    pub fn as_str(self) -> &'static str {
        match self {
            PathsType::LocalS3 => "locals3",
            PathsType::S3Local => "s3local",
            PathsType::S3S3 => "s3s3",
            PathsType::S3 => "s3",
        }
    }

    /// The usage words of a path type (`<LocalPath> <S3Uri>`).
    pub fn usage(self) -> &'static str {
        match self {
            PathsType::LocalS3 => "<LocalPath> <S3Uri>",
            PathsType::S3Local => "<S3Uri> <LocalPath>",
            PathsType::S3S3 => "<S3Uri> <S3Uri>",
            PathsType::S3 => "<S3Uri>",
        }
    }
}

/// awscli's `check_path_type`: the path type of `paths` for `cmd`, or the
/// CLI's usage error (`usage` is the command's usage text).
pub fn paths_type(cmd: &str, usage: &str, paths: &[String]) -> Result<PathsType, S3Error> {
    let kinds: Vec<bool> = paths.iter().map(|p| is_s3(p)).collect();
    let t = match (cmd, kinds.as_slice()) {
        ("cp" | "mv" | "sync", [false, true]) => Some(PathsType::LocalS3),
        ("cp" | "mv" | "sync", [true, false]) => Some(PathsType::S3Local),
        ("cp" | "mv" | "sync", [true, true]) => Some(PathsType::S3S3),
        ("rm" | "mb" | "rb", [true]) => Some(PathsType::S3),
        _ => None,
    };
    t.ok_or_else(|| {
        S3Error::Usage(format!(
            "usage: aws s3 {cmd} {usage}\nError: Invalid argument type"
        ))
    })
}

/// awscli's `_normalize_s3_trailing_slash`: `s3://bucket` becomes
/// `s3://bucket/`.
pub fn normalize_s3_trailing_slash(paths: &mut [String]) -> Result<(), S3Error> {
    for p in paths.iter_mut() {
        if let Some(rest) = p.strip_prefix("s3://") {
            let (_, key) = find_bucket_key(rest)?;
            if key.is_empty() && !p.ends_with('/') {
                p.push('/');
            }
        }
    }
    Ok(())
}

/// One side of a transfer after awscli's `FileFormat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// The path: `bucket/key` for S3 (no `s3://`), absolute for local
    /// (with a trailing `/` when it names a directory).
    pub path: String,
    /// An S3 location.
    pub s3: bool,
}

/// awscli's `FileFormat().format(src, dest, parameters)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Format {
    /// The source.
    pub src: Side,
    /// The destination.
    pub dest: Side,
    /// A recursive operation (`--recursive`, `sync`).
    pub dir_op: bool,
    /// The destination takes the source's names.
    pub use_src_name: bool,
}

impl Format {
    /// Format `src` and `dest` (raw command-line paths, `s3://` or local):
    /// local paths become absolute from `cwd`; `is_dir` says whether a
    /// local absolute path is an existing directory.
    pub fn new(
        src: &str,
        dest: &str,
        dir_op: bool,
        cwd: &str,
        is_dir: &dyn Fn(&str) -> bool,
    ) -> Format {
        let fmt = |p: &str| -> (Side, bool) {
            match p.strip_prefix("s3://") {
                Some(rest) => {
                    let mut path = rest.to_string();
                    if dir_op {
                        if !path.ends_with('/') {
                            path.push('/');
                        }
                        (Side { path, s3: true }, true)
                    } else {
                        let use_src = path.ends_with('/');
                        (Side { path, s3: true }, use_src)
                    }
                }
                None => {
                    let full = abspath(p, cwd);
                    if is_dir(&full) || dir_op || p.ends_with('/') {
                        (
                            Side {
                                path: format!("{full}/"),
                                s3: false,
                            },
                            true,
                        )
                    } else {
                        (
                            Side {
                                path: full,
                                s3: false,
                            },
                            false,
                        )
                    }
                }
            }
        };
        let (src_side, _) = fmt(src);
        let (dest_side, use_src_name) = fmt(dest);
        Format {
            src: src_side,
            dest: dest_side,
            dir_op,
            use_src_name,
        }
    }

    /// awscli's `find_dest_path_comp_key`: the destination path and the
    /// compare key of the source file `src_path` (`None`: the source itself).
    pub fn dest_and_key(&self, src_path: Option<&str>) -> (String, String) {
        let src_path = src_path.unwrap_or(&self.src.path);
        let rel = if self.dir_op {
            src_path
                .get(self.src.path.len()..)
                .unwrap_or("")
                .to_string()
        } else {
            src_path.rsplit('/').next().unwrap_or("").to_string()
        };
        // Both separators are `/` on POSIX.
        let dest = if self.use_src_name {
            format!("{}{rel}", self.dest.path)
        } else {
            self.dest.path.clone()
        };
        (dest, rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_keys_and_arns() {
        let f = |p: &str| find_bucket_key(p).unwrap();
        assert_eq!(f("b/k/x"), ("b".into(), "k/x".into()));
        assert_eq!(f("b"), ("b".into(), "".into()));
        assert_eq!(f("b/"), ("b".into(), "".into()));
        assert_eq!(
            f("arn:aws:s3:us-west-2:123456789012:accesspoint/endpoint/key/x"),
            (
                "arn:aws:s3:us-west-2:123456789012:accesspoint/endpoint".into(),
                "key/x".into()
            )
        );
        assert_eq!(
            split_s3_bucket_key("s3://b/k").unwrap(),
            ("b".into(), "k".into())
        );
        let e =
            find_bucket_key("arn:aws:s3-object-lambda:us-west-2:123456789012:accesspoint/my-ap/k")
                .unwrap_err();
        assert!(e.to_string().contains("Object Lambda"), "{e}");
        let e = find_bucket_key(
            "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01ac5d28a6a232904/bucket/b",
        )
        .unwrap_err();
        assert!(e.to_string().contains("Outpost Bucket"), "{e}");
    }

    #[test]
    fn posix_path_arithmetic() {
        for (p, n) in [
            ("", "."),
            ("/", "/"),
            ("//", "//"),
            ("///", "/"),
            ("a/./b/../c", "a/c"),
            ("../a", "../a"),
            ("/../a", "/a"),
            ("a/../..", ".."),
            ("a/", "a"),
            ("//a//b/", "//a/b"),
        ] {
            assert_eq!(normpath(p), n, "{p}");
        }
        assert_eq!(abspath("x/../y", "/w"), "/w/y");
        assert_eq!(abspath("/t/./u", "/w"), "/t/u");
        assert_eq!(join("/a/", "b"), "/a/b");
        assert_eq!(join("/a", "/b"), "/b");
        assert_eq!(dirname("/a/b"), "/a");
        assert_eq!(dirname("/a"), "/");
        assert_eq!(dirname("a"), "");
        assert_eq!(basename("/a/b/"), "");
        assert_eq!(relpath("/w/d", "/w", "/"), "d");
        assert_eq!(relpath("/w", "/w/d/e", "/"), "../..");
        assert_eq!(relative_path("/w/a.txt", "/w"), "./a.txt");
        assert_eq!(relative_path("/w/d/sub/y.txt", "/w"), "d/sub/y.txt");
        assert_eq!(relative_path("/t/c.txt", "/w"), "../t/c.txt");
    }

    #[test]
    fn path_types_and_usage() {
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            paths_type("cp", "", &p(&["a", "s3://b/"])).unwrap(),
            PathsType::LocalS3
        );
        assert_eq!(
            paths_type("rm", "", &p(&["s3://b/k"])).unwrap(),
            PathsType::S3
        );
        let e = paths_type("cp", "<LocalPath> <S3Uri>", &p(&["a", "bar"])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "usage: aws s3 cp <LocalPath> <S3Uri>\nError: Invalid argument type"
        );
        let mut v = p(&["s3://b", "s3://b/k", "x"]);
        normalize_s3_trailing_slash(&mut v).unwrap();
        assert_eq!(v, p(&["s3://b/", "s3://b/k", "x"]));
    }

    #[test]
    fn file_format_and_destinations() {
        let no_dir = |_: &str| false;
        // cp a.txt s3://b/ : the object takes the file's name.
        let f = Format::new("a.txt", "s3://b/", false, "/w", &no_dir);
        assert_eq!(f.src.path, "/w/a.txt");
        assert!(f.use_src_name);
        assert_eq!(f.dest_and_key(None), ("b/a.txt".into(), "a.txt".into()));
        // cp a.txt s3://b/x : the name given.
        let f = Format::new("a.txt", "s3://b/x", false, "/w", &no_dir);
        assert_eq!(f.dest_and_key(None), ("b/x".into(), "a.txt".into()));
        // cp s3://b/k/x.txt dir (an existing directory).
        let is_dir = |p: &str| p == "/w/dir";
        let f = Format::new("s3://b/k/x.txt", "dir", false, "/w", &is_dir);
        assert_eq!(
            f.dest_and_key(None),
            ("/w/dir/x.txt".into(), "x.txt".into())
        );
        // cp --recursive d s3://b/p
        let f = Format::new("d", "s3://b/p", true, "/w", &no_dir);
        assert_eq!(f.src.path, "/w/d/");
        assert_eq!(
            f.dest_and_key(Some("/w/d/sub/y.txt")),
            ("b/p/sub/y.txt".into(), "sub/y.txt".into())
        );
        // sync s3://b/ local
        let f = Format::new("s3://b/", "out", true, "/w", &no_dir);
        assert_eq!(
            f.dest_and_key(Some("b/k/z")),
            ("/w/out/k/z".into(), "k/z".into())
        );
    }
}
