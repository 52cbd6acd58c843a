//! Opening local files exactly where the policy judged them.
//!
//! The policy decides with [`aws_mcp_core::localpath`] over path-based
//! `lstat`/`readlink`; this opener walks the very same steps with the same
//! resolver over directory handles: it starts from a handle to `/`, looks
//! every name up with `fstatat(..., AT_SYMLINK_NOFOLLOW)` in the directory
//! it holds, descends with `openat(..., O_DIRECTORY | O_NOFOLLOW)`, reads
//! symbolic links with `readlinkat` and follows them itself, keeps the
//! handles of the directories above for `..`, and opens the final name with
//! `openat(..., O_NOFOLLOW)` in the last directory handle. Nothing is checked
//! by path and then opened by path: a component swapped for a symbolic link
//! between the look-up and the open makes the open fail (`ELOOP`,
//! `ENOTDIR`) instead of following it. The physical location must lie inside
//! the working directory (unless file access is unrestricted), as in the
//! policy.
//!
//! Reads open regular files only (not devices or FIFOs); writes truncate an
//! existing regular file, or create a new one with `O_EXCL` (and the missing
//! directories before it, one `mkdirat` at a time, when asked).
//!
//! Unix only; elsewhere every call answers [`FileError::Unsupported`].

use std::fs::File;
use std::path::{Path, PathBuf};

use aws_mcp_core::localpath::{PathError, Semantics};
use aws_mcp_core::policy::{FileAccess, PolicyConfig};

/// Where local files may be opened: the policy's working directory, home
/// directory and file access mode.
#[derive(Debug, Clone)]
pub struct Confinement {
    /// The working directory (canonical): relative paths start here, and
    /// files must lie inside it unless access is unrestricted.
    pub working_dir: PathBuf,
    /// The home directory, for `~`.
    pub home: Option<PathBuf>,
    /// The file access mode.
    pub access: FileAccess,
}

impl Confinement {
    /// The confinement the policy applies.
    pub fn from_policy(cfg: &PolicyConfig) -> Confinement {
        Confinement {
            working_dir: cfg.working_dir.clone(),
            home: cfg.home.clone(),
            access: cfg.file_access,
        }
    }
}

/// Why a file was not opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// The path cannot be judged or resolved.
    #[error("the local path {raw:?} {source}")]
    Path {
        /// The path as given.
        raw: String,
        /// Why.
        source: PathError,
    },
    /// The path resolves outside the working directory.
    #[error(
        "the local path {raw:?} resolves to {physical} outside the working directory {working_dir}"
    )]
    Outside {
        /// The path as given.
        raw: String,
        /// Where it leads.
        physical: PathBuf,
        /// The working directory.
        working_dir: PathBuf,
    },
    /// Local file access is disabled.
    #[error("local file access is disabled (AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS=no-access)")]
    Disabled,
    /// The file is not what the operation needs.
    #[error("the local path {raw:?} {problem}")]
    Kind {
        /// The path as given.
        raw: String,
        /// What is wrong (a directory, not a regular file, missing).
        problem: &'static str,
    },
    /// The operating system refused (including a component that changed
    /// into a symbolic link while it was being opened).
    #[error("cannot open the local path {raw:?}: {message}")]
    Io {
        /// The path as given.
        raw: String,
        /// The operating system's message.
        message: String,
    },
    /// This platform has no opener yet.
    #[error("opening local files is not supported on this platform")]
    Unsupported,
}

/// Open `raw` for reading, resolved as `semantics` says (see the module docs).
pub fn open_read(raw: &str, semantics: Semantics, c: &Confinement) -> Result<File, FileError> {
    imp::open(raw, semantics, c, Mode::Read)
}

/// Open `raw` for writing (truncating an existing regular file, or creating
/// it; with `create_dirs`, the missing directories before it too).
pub fn open_write(
    raw: &str,
    semantics: Semantics,
    c: &Confinement,
    create_dirs: bool,
) -> Result<File, FileError> {
    imp::open(raw, semantics, c, Mode::Write { create_dirs })
}

#[derive(Debug, Clone, Copy)]
enum Mode {
    Read,
    Write { create_dirs: bool },
}

fn check_inside(raw: &str, physical: &Path, c: &Confinement) -> Result<(), FileError> {
    if c.access == FileAccess::Unrestricted || physical.starts_with(&c.working_dir) {
        Ok(())
    } else {
        Err(FileError::Outside {
            raw: raw.to_string(),
            physical: physical.to_path_buf(),
            working_dir: c.working_dir.clone(),
        })
    }
}

#[cfg(unix)]
mod imp {
    use std::ffi::OsStr;
    use std::fs::File;
    use std::os::fd::OwnedFd;
    use std::path::{Path, PathBuf};

    use nix::errno::Errno;
    use nix::fcntl::{openat, readlinkat, AtFlags, OFlag, AT_FDCWD};
    use nix::sys::stat::{fstat, fstatat, mkdirat, Mode as Perm, SFlag};

    use super::{check_inside, Confinement, FileError, Mode};
    use aws_mcp_core::localpath::{self, Entry, Kind, PathError, Semantics, Walk};
    use aws_mcp_core::policy::FileAccess;

    /// The file system through directory handles.
    struct FdWalk;

    fn dir_flags() -> OFlag {
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC
    }

    fn io(at: &Path, e: Errno) -> PathError {
        PathError::Io {
            path: at.to_path_buf(),
            message: e.desc().to_string(),
        }
    }

    impl Walk for FdWalk {
        type Dir = OwnedFd;

        fn root(&mut self) -> Result<OwnedFd, PathError> {
            openat(AT_FDCWD, "/", dir_flags(), Perm::empty()).map_err(|e| io(Path::new("/"), e))
        }

        fn entry(
            &mut self,
            dir: &OwnedFd,
            name: &OsStr,
            at: &Path,
        ) -> Result<Entry<OwnedFd>, PathError> {
            let st = match fstatat(dir, name, AtFlags::AT_SYMLINK_NOFOLLOW) {
                Ok(st) => st,
                Err(Errno::ENOENT) => return Ok(Entry::Missing),
                Err(e) => return Err(io(at, e)),
            };
            let kind = SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT;
            Ok(if kind == SFlag::S_IFLNK {
                Entry::Symlink(PathBuf::from(readlinkat(dir, name).map_err(|e| io(at, e))?))
            } else if kind == SFlag::S_IFDIR {
                // O_NOFOLLOW: if the name became a link since fstatat, this fails.
                Entry::Dir(openat(dir, name, dir_flags(), Perm::empty()).map_err(|e| io(at, e))?)
            } else if kind == SFlag::S_IFREG {
                Entry::File
            } else {
                Entry::Other
            })
        }
    }

    pub(super) fn open(
        raw: &str,
        semantics: Semantics,
        c: &Confinement,
        mode: Mode,
    ) -> Result<File, FileError> {
        if c.access == FileAccess::NoAccess {
            return Err(FileError::Disabled);
        }
        let path_err = |source: PathError| FileError::Path {
            raw: raw.to_string(),
            source,
        };
        let plan =
            localpath::plan(raw, semantics, &c.working_dir, c.home.as_deref()).map_err(path_err)?;
        let mut r = localpath::resolve(&plan, &mut FdWalk).map_err(path_err)?;
        check_inside(raw, &r.path(), c)?;
        let os = |e: Errno| FileError::Io {
            raw: raw.to_string(),
            message: e.desc().to_string(),
        };
        let kind_err = |problem| FileError::Kind {
            raw: raw.to_string(),
            problem,
        };
        let last = match (&r.last, r.kind) {
            (None, _) | (_, Kind::Dir) => return Err(kind_err("is a directory")),
            (Some(_), Kind::Other) => return Err(kind_err("is not a regular file")),
            (Some(l), _) => l.clone(),
        };
        let fd = match (mode, r.kind) {
            (Mode::Read, Kind::File) => openat(
                r.deepest_dir(),
                last.as_os_str(),
                OFlag::O_RDONLY | OFlag::O_NOFOLLOW | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC,
                Perm::empty(),
            )
            .map_err(os)?,
            (Mode::Read, _) => return Err(kind_err("does not exist")),
            (Mode::Write { .. }, Kind::File) => openat(
                r.deepest_dir(),
                last.as_os_str(),
                OFlag::O_WRONLY
                    | OFlag::O_TRUNC
                    | OFlag::O_NOFOLLOW
                    | OFlag::O_NONBLOCK
                    | OFlag::O_CLOEXEC,
                Perm::empty(),
            )
            .map_err(os)?,
            (Mode::Write { create_dirs }, _) => {
                // Missing: `last` is the first missing name, then `missing_after`.
                let mut names = vec![last];
                names.append(&mut r.missing_after);
                let file = names.pop().unwrap_or_default();
                if !names.is_empty() && !create_dirs {
                    return Err(kind_err("is in a directory that does not exist"));
                }
                let mut held: Option<OwnedFd> = None;
                for n in &names {
                    let parent = held.as_ref().unwrap_or_else(|| r.deepest_dir());
                    mkdirat(parent, n.as_os_str(), Perm::from_bits_truncate(0o777)).map_err(os)?;
                    let d = openat(
                        parent,
                        n.as_os_str(),
                        super::imp::dir_flags(),
                        Perm::empty(),
                    )
                    .map_err(os)?;
                    held = Some(d);
                }
                let parent = held.as_ref().unwrap_or_else(|| r.deepest_dir());
                openat(
                    parent,
                    file.as_os_str(),
                    OFlag::O_WRONLY
                        | OFlag::O_CREAT
                        | OFlag::O_EXCL
                        | OFlag::O_NOFOLLOW
                        | OFlag::O_CLOEXEC,
                    Perm::from_bits_truncate(0o666),
                )
                .map_err(os)?
            }
        };
        // Whatever was opened must be a regular file (a FIFO or device
        // swapped in is refused; O_NONBLOCK kept the open from hanging).
        let st = fstat(&fd).map_err(os)?;
        if SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT != SFlag::S_IFREG {
            return Err(kind_err("is not a regular file"));
        }
        let f = File::from(fd);
        clear_nonblock(&f).map_err(os)?;
        Ok(f)
    }

    fn clear_nonblock(f: &File) -> Result<(), Errno> {
        use nix::fcntl::{fcntl, FcntlArg};
        let flags = OFlag::from_bits_truncate(fcntl(f, FcntlArg::F_GETFL)?);
        fcntl(f, FcntlArg::F_SETFL(flags - OFlag::O_NONBLOCK))?;
        Ok(())
    }
}

#[cfg(not(unix))]
mod imp {
    use super::{Confinement, FileError, Mode};
    use aws_mcp_core::localpath::Semantics;
    use std::fs::File;

    pub(super) fn open(_: &str, _: Semantics, _: &Confinement, _: Mode) -> Result<File, FileError> {
        Err(FileError::Unsupported)
    }
}
