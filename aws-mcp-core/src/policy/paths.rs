//! Local file confinement.
//!
//! Every local path a command would touch is resolved with
//! [`crate::localpath`] exactly the way the program that opens it resolves
//! it ([`Judge`]: awscli's parameter files expand `~` and open with the
//! kernel's `..`; its `s3` transfers collapse `..` textually first), walked
//! over the real file system with `lstat`/`readlink` ([`StdWalk`]), and the
//! physical location must lie inside the working directory. Where this
//! project has not pinned down how a customization opens a path, the path
//! is judged both ways and must be inside under both ([`Judge::Both`]).
//!
//! Directory trees: a recursive `s3` upload (`sync`, `cp|mv --recursive`)
//! reads every file under the source and follows the symbolic links it finds
//! (unless `--no-follow-symlinks`); a recursive download writes below the
//! destination through whatever links are there; `deploy push` and
//! `gamelift upload-build` zip a directory. Those trees are scanned
//! ([`check_tree`]): every symbolic link inside must lead inside the working
//! directory (its target tree is scanned too), at most [`MAX_TREE_ENTRIES`]
//! entries, beyond which the command is refused with what to do.
//!
//! Text the policy cannot resolve exactly is refused rather than guessed
//! (see [`crate::localpath::PathError`]).
//!
//! The decision and the run are separate moments: a directory changed in
//! between can still mislead a program that opens paths by name (the `aws`
//! program). An opener that walks with the same resolver over directory
//! handles (`aws_mcp_native::files`) cannot be misled that way.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::config::{FileAccess, PolicyConfig};
use crate::command::PathAccess;
use crate::localpath::{self, Entry, Kind, PathError, Semantics, Walk};

/// The most directory entries scanned for one tree.
pub const MAX_TREE_ENTRIES: usize = 100_000;

/// How the policy judges a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Judge {
    /// As the opening program does, exactly.
    Exact(Semantics),
    /// Both ways (`..` by the kernel and textually), `~` expanded and `$`
    /// refused: for paths whose opening program's rules are not pinned down.
    Both,
}

impl Judge {
    fn semantics(self) -> Vec<Semantics> {
        match self {
            Judge::Exact(s) => vec![s],
            Judge::Both => vec![
                Semantics::PARAM_FILE,
                Semantics {
                    lexical_parent: true,
                    ..Semantics::PARAM_FILE
                },
            ],
        }
    }
}

/// The file system as the policy sees it: `lstat` and `readlink` by path.
/// The file system as the policy sees it (see [`policy_location`]).
pub(crate) struct StdWalk;

impl Walk for StdWalk {
    type Dir = PathBuf;

    fn root(&mut self) -> Result<PathBuf, PathError> {
        Ok(PathBuf::from("/"))
    }

    fn entry(
        &mut self,
        dir: &PathBuf,
        name: &OsStr,
        at: &Path,
    ) -> Result<Entry<PathBuf>, PathError> {
        let p = dir.join(name);
        let io = |e: std::io::Error| PathError::Io {
            path: at.to_path_buf(),
            message: e.to_string(),
        };
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                Ok(Entry::Symlink(std::fs::read_link(&p).map_err(io)?))
            }
            Ok(m) if m.is_dir() => Ok(Entry::Dir(p)),
            Ok(m) if m.is_file() => Ok(Entry::File),
            Ok(_) => Ok(Entry::Other),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Entry::Missing),
            Err(e) => Err(io(e)),
        }
    }
}

fn verb(access: PathAccess) -> &'static str {
    match access {
        PathAccess::Read => "read",
        PathAccess::Write => "write",
    }
}

/// The file access modes that end the check before any resolution:
/// `Some(result)` for unrestricted (allowed) and no-access (denied).
fn by_mode(
    raw: &str,
    access: PathAccess,
    arg: &str,
    cfg: &PolicyConfig,
) -> Option<Result<(), String>> {
    match cfg.file_access {
        FileAccess::Unrestricted => Some(Ok(())),
        FileAccess::NoAccess => Some(Err(format!(
            "the command would {} the local file {raw:?} (--{arg}), and local file access is disabled (AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS=no-access)",
            verb(access)
        ))),
        _ => None,
    }
}

/// Resolve `raw` as `semantics` says, over the real file system.
pub(crate) fn resolve(
    raw: &str,
    semantics: Semantics,
    cfg: &PolicyConfig,
) -> Result<localpath::Resolved<PathBuf>, PathError> {
    let plan = localpath::plan(raw, semantics, &cfg.working_dir, cfg.home.as_deref())?;
    localpath::resolve(&plan, &mut StdWalk)
}

/// Where the policy finds that `raw` leads, resolved as `semantics` says
/// over the real file system (path-based `lstat`/`readlink`): the physical
/// location it judges against the working directory. Openers walk the same
/// steps over directory handles (`aws_mcp_native::files`).
pub fn policy_location(
    raw: &str,
    semantics: Semantics,
    cfg: &PolicyConfig,
) -> Result<PathBuf, PathError> {
    Ok(resolve(raw, semantics, cfg)?.path())
}

/// Check one local path; `Err` holds the reason to deny.
pub(crate) fn check(
    raw: &str,
    judge: Judge,
    access: PathAccess,
    arg: &str,
    cfg: &PolicyConfig,
) -> Result<(), String> {
    if let Some(r) = by_mode(raw, access, arg, cfg) {
        return r;
    }
    for s in judge.semantics() {
        let resolved = resolve(raw, s, cfg).map_err(|why| {
            format!(
                "the local path {raw:?} (--{arg}) {why}; use a plain path inside the working directory {}",
                cfg.working_dir.display()
            )
        })?;
        inside(&resolved.path(), raw, access, arg, cfg)?;
    }
    Ok(())
}

fn inside(
    physical: &Path,
    raw: &str,
    access: PathAccess,
    arg: &str,
    cfg: &PolicyConfig,
) -> Result<(), String> {
    if physical.starts_with(&cfg.working_dir) {
        Ok(())
    } else {
        Err(format!(
            "the command would {} {raw:?} (--{arg}), which resolves to {} outside the working directory {}; only files inside it may be used (AWS_API_MCP_WORKING_DIR)",
            verb(access),
            physical.display(),
            cfg.working_dir.display()
        ))
    }
}

/// `s3 cp|mv s3://b/key DIR`: when the local destination is an existing
/// directory (or ends with `/`), the CLI writes `DIR/<last part of key>`,
/// following a symbolic link of that name: check that file too.
pub(crate) fn check_download_into_dir(
    raw_dest: &str,
    key_name: &str,
    cfg: &PolicyConfig,
) -> Result<(), String> {
    if by_mode(raw_dest, PathAccess::Write, "paths", cfg).is_some() || key_name.is_empty() {
        return Ok(());
    }
    let is_dir = raw_dest.ends_with('/')
        || resolve(raw_dest, Semantics::S3_TRANSFER, cfg).is_ok_and(|r| r.kind == Kind::Dir);
    if !is_dir {
        return Ok(());
    }
    let target = format!("{}/{key_name}", raw_dest.trim_end_matches('/'));
    check(
        &target,
        Judge::Exact(Semantics::S3_TRANSFER),
        PathAccess::Write,
        "paths",
        cfg,
    )
}

/// Scan the directory tree at `raw` (see the module docs): every symbolic
/// link inside must lead inside the working directory; with `follow` false
/// (`--no-follow-symlinks` on an upload) links are skipped, as the CLI does.
pub(crate) fn check_tree(
    raw: &str,
    semantics: Semantics,
    follow: bool,
    access: PathAccess,
    arg: &str,
    cfg: &PolicyConfig,
) -> Result<(), String> {
    if by_mode(raw, access, arg, cfg).is_some() {
        return Ok(());
    }
    let Ok(top) = resolve(raw, semantics, cfg) else {
        // `check` reports the path itself.
        return Ok(());
    };
    if top.kind != Kind::Dir {
        return Ok(());
    }
    let mut stack = vec![top.path()];
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut entries = 0usize;
    while let Some(dir) = stack.pop() {
        if !seen.insert(dir.clone()) {
            continue;
        }
        let Ok(list) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in list.flatten() {
            entries += 1;
            if entries > MAX_TREE_ENTRIES {
                return Err(format!(
                    "the command would {} the whole directory tree {raw:?} (--{arg}), which holds more than {MAX_TREE_ENTRIES} entries, too many to check for symbolic links leading outside the working directory; use a smaller directory",
                    verb(access)
                ));
            }
            let Ok(ft) = e.file_type() else { continue };
            let p = e.path();
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_symlink() {
                if !follow {
                    continue;
                }
                let shown = p.display().to_string();
                let r = resolve(&shown, Semantics::OPEN, cfg).map_err(|why| {
                    format!(
                        "the directory tree {raw:?} (--{arg}) holds the symbolic link {shown:?}, which {why}; remove the link or use another directory"
                    )
                })?;
                let target = r.path();
                if !target.starts_with(&cfg.working_dir) {
                    return Err(format!(
                        "the command would {} the whole directory tree {raw:?} (--{arg}), which holds the symbolic link {shown:?} leading to {} outside the working directory {}; remove the link{}",
                        verb(access),
                        target.display(),
                        cfg.working_dir.display(),
                        if access == PathAccess::Read { ", or add --no-follow-symlinks" } else { "" }
                    ));
                }
                if r.kind == Kind::Dir {
                    stack.push(target);
                }
            }
        }
    }
    Ok(())
}
