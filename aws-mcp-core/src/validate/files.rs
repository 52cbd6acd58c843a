//! Which arguments name local files, and whether the command reads or writes them.
//!
//! Three sources: `file://`/`fileb://` parameter values (any argument; the
//! AWS CLI loads them itself), the streaming-blob arguments that take a plain
//! path (`s3api put-object --body ./f`), and the customizations whose
//! arguments are local paths — the table below, checked against the catalog
//! by a test so that a renamed argument cannot silently drop out.
//! Paths are recorded as written; resolving `~`, `$HOME`, `..` and symlinks
//! is the policy's job.

use crate::command::{LocalPath, PathAccess, PathOrigin};

/// Customization arguments that name a local file: (service, command, argument, access).
pub(crate) const CUSTOM_PATH_ARGS: &[(&str, &str, &str, PathAccess)] = &[
    (
        "cloudformation",
        "package",
        "template-file",
        PathAccess::Read,
    ),
    (
        "cloudformation",
        "package",
        "output-template-file",
        PathAccess::Write,
    ),
    (
        "cloudformation",
        "deploy",
        "template-file",
        PathAccess::Read,
    ),
    ("deploy", "push", "source", PathAccess::Read),
    ("cloudfront", "sign", "private-key", PathAccess::Read),
    ("ecs", "deploy", "task-definition", PathAccess::Read),
    ("ecs", "deploy", "codedeploy-appspec", PathAccess::Read),
    ("gamelift", "upload-build", "build-root", PathAccess::Read),
    (
        "gamelift",
        "get-game-session-log",
        "save-as",
        PathAccess::Write,
    ),
    ("deploy", "install", "config-file", PathAccess::Read),
    ("eks", "update-kubeconfig", "kubeconfig", PathAccess::Write),
    ("emr", "ssh", "key-pair-file", PathAccess::Read),
    ("emr", "socks", "key-pair-file", PathAccess::Read),
    ("emr", "get", "key-pair-file", PathAccess::Read),
    ("emr", "get", "dest", PathAccess::Write),
    ("emr", "put", "key-pair-file", PathAccess::Read),
    ("emr", "put", "src", PathAccess::Read),
    (
        "servicecatalog",
        "generate product",
        "file-path",
        PathAccess::Read,
    ),
    (
        "servicecatalog",
        "generate provisioning-artifact",
        "file-path",
        PathAccess::Read,
    ),
    (
        "ec2",
        "get-password-data",
        "priv-launch-key",
        PathAccess::Read,
    ),
    (
        "iot",
        "create-keys-and-certificate",
        "certificate-pem-outfile",
        PathAccess::Write,
    ),
    (
        "iot",
        "create-keys-and-certificate",
        "public-key-outfile",
        PathAccess::Write,
    ),
    (
        "iot",
        "create-keys-and-certificate",
        "private-key-outfile",
        PathAccess::Write,
    ),
    (
        "iot",
        "create-certificate-from-csr",
        "certificate-pem-outfile",
        PathAccess::Write,
    ),
];

/// The access of a customization argument that names a local path.
pub(crate) fn custom_path(service: &str, command: &str, arg: &str) -> Option<PathAccess> {
    CUSTOM_PATH_ARGS
        .iter()
        .find(|(s, c, a, _)| *s == service && *c == command && *a == arg)
        .map(|(_, _, _, acc)| *acc)
}

/// A `file://`/`fileb://` reference as a local path, if it is one.
pub(crate) fn file_ref(value: &str, arg: &str, origin_nested: bool) -> Option<LocalPath> {
    let (path, origin) = if let Some(p) = value.strip_prefix("fileb://") {
        (p, PathOrigin::FilebUrl)
    } else if let Some(p) = value.strip_prefix("file://") {
        (p, PathOrigin::FileUrl)
    } else {
        return None;
    };
    Some(LocalPath {
        path: path.to_string(),
        access: PathAccess::Read,
        arg: arg.to_string(),
        origin: if origin_nested {
            PathOrigin::Nested
        } else {
            origin
        },
    })
}

fn is_s3(p: &str) -> bool {
    p.starts_with("s3://")
}

/// The local sides of `s3 cp/mv/sync SRC DST` (and `s3 ls`/`rm` given a local path, which the CLI refuses anyway).
pub(crate) fn s3_transfer(command: &str, paths: &[String]) -> Vec<LocalPath> {
    let mut out = Vec::new();
    let transfer = matches!(command, "cp" | "mv" | "sync");
    for (i, p) in paths.iter().enumerate() {
        if is_s3(p) || p == "-" || !transfer {
            continue;
        }
        // The source is read (and removed by `mv`); the destination is written.
        let access = if i == 0 && command != "mv" {
            PathAccess::Read
        } else {
            PathAccess::Write
        };
        out.push(LocalPath {
            path: p.clone(),
            access,
            arg: "paths".into(),
            origin: PathOrigin::Positional,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;

    #[test]
    fn every_path_argument_exists_in_the_catalog() {
        for (s, c, a, _) in CUSTOM_PATH_ARGS {
            let cmd = Catalog::embedded()
                .command(s, c)
                .unwrap_or_else(|| panic!("{s} {c}"));
            assert!(cmd.arg(a).expect("decodes").is_some(), "{s} {c} --{a}");
        }
    }

    #[test]
    fn s3_sides() {
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let r = s3_transfer("cp", &p(&["./a", "s3://b/a"]));
        assert_eq!((r.len(), r[0].access), (1, PathAccess::Read));
        let r = s3_transfer("cp", &p(&["s3://b/a", "/tmp/a"]));
        assert_eq!((r.len(), r[0].access), (1, PathAccess::Write));
        assert_eq!(
            s3_transfer("mv", &p(&["a", "s3://b/"]))[0].access,
            PathAccess::Write
        );
        assert!(s3_transfer("ls", &p(&["s3://b/"])).is_empty());
    }
}
