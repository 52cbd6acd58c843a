//! Local file confinement.
//!
//! A path is resolved the way the kernel would see it when the executor runs
//! the command in the working directory: `~` and `~/...` become the home
//! directory (the AWS CLI expands them in `file://` values), relative paths
//! are taken from the working directory, and the path is walked one
//! component at a time: every component that exists is canonicalized (so a
//! symlink anywhere is followed, `..` after a symlink goes where the kernel
//! goes), and components that do not exist yet are applied lexically (they
//! cannot be symlinks). The result must lie inside the working directory.
//!
//! Text the policy cannot resolve exactly is refused rather than guessed:
//! `$VAR` / `${VAR}` (the CLI runs `os.path.expandvars` on `file://` paths, so
//! `$HOME` would escape), `~user`, NUL bytes, and symlinks whose target does
//! not exist (a write would create a file wherever they point).
//!
//! Known limit: a check-then-use race (the directory changing between the
//! decision and the execution) is outside what a policy can prevent.

use std::path::{Component, Path, PathBuf};

use super::config::{FileAccess, PolicyConfig};
use crate::command::PathAccess;

/// Check one local path; `Err` holds the reason to deny.
pub(crate) fn check(
    raw: &str,
    access: PathAccess,
    arg: &str,
    cfg: &PolicyConfig,
) -> Result<(), String> {
    let verb = match access {
        PathAccess::Read => "read",
        PathAccess::Write => "write",
    };
    match cfg.file_access {
        FileAccess::Unrestricted => return Ok(()),
        FileAccess::NoAccess => {
            return Err(format!(
                "the command would {verb} the local file {raw:?} (--{arg}), and local file access is disabled (AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS=no-access)"
            ))
        }
        _ => {}
    }
    let resolved = resolve(raw, cfg).map_err(|why| {
        format!("the local path {raw:?} (--{arg}) {why}; use a plain path inside the working directory {}", cfg.working_dir.display())
    })?;
    if resolved.starts_with(&cfg.working_dir) {
        Ok(())
    } else {
        Err(format!(
            "the command would {verb} {raw:?} (--{arg}), which resolves to {} outside the working directory {}; only files inside it may be used (AWS_API_MCP_WORKING_DIR)",
            resolved.display(),
            cfg.working_dir.display()
        ))
    }
}

/// Resolve a path as described in the module documentation.
pub(crate) fn resolve(raw: &str, cfg: &PolicyConfig) -> Result<PathBuf, String> {
    if raw.is_empty() {
        return Err("is empty".into());
    }
    if raw.contains('\0') {
        return Err("contains a NUL byte".into());
    }
    if raw.contains('$') {
        return Err("contains `$`, which the AWS CLI may expand as an environment variable".into());
    }
    let path = if raw == "~" || raw.starts_with("~/") {
        let home = cfg
            .home
            .as_ref()
            .ok_or("starts with `~` but HOME is not set")?;
        home.join(raw.trim_start_matches('~').trim_start_matches('/'))
    } else if raw.starts_with('~') {
        return Err("starts with `~user`, which is not resolved".into());
    } else {
        let p = Path::new(raw);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            cfg.working_dir.join(p)
        }
    };
    let mut out = PathBuf::from("/");
    let mut exists = true;
    for comp in path.components() {
        match comp {
            Component::RootDir | Component::Prefix(_) | Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
                // Back in a canonical directory (or still below a missing one).
                exists = std::fs::symlink_metadata(&out).is_ok();
            }
            Component::Normal(name) => {
                out.push(name);
                if exists {
                    match std::fs::symlink_metadata(&out) {
                        Ok(_) => {
                            out = std::fs::canonicalize(&out).map_err(|_| {
                                "goes through a symbolic link whose target does not exist"
                                    .to_string()
                            })?;
                        }
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    Ok(out)
}
