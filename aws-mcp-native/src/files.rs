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
//! Every other use of a local path by the native executor is built the same
//! way, so nothing is ever done by path after a check by path:
//!
//! * [`stat`] (`os.stat`: links followed), [`is_symlink`] (`os.path.islink`)
//!   and [`list_dir`] (`os.listdir`, read from the directory's handle) for
//!   the listings of `s3` transfers;
//! * [`make_dirs`] (`os.makedirs`: `mkdirat` below the deepest existing
//!   directory's handle);
//! * [`remove`] (`os.remove`: `unlinkat` of the final name in its
//!   directory's handle; a final symbolic link is removed, not followed);
//! * [`create_beside`]: a new temporary file (`O_EXCL`) in the directory of
//!   a destination, held by handle, that [`Staged::commit`] renames over the
//!   final name with `renameat` in that same directory (a destination
//!   swapped for a symbolic link meanwhile is replaced, never followed) and
//!   that is removed when dropped uncommitted: downloads and output files
//!   never leave a partial file under the final name.
//!
//! Errors carry the operating system's `errno` where there is one, so that
//! callers can print them as Python's `OSError` does
//! ([`FileError::python`]).
//!
//! Unix only; elsewhere every call answers [`FileError::Unsupported`] (and
//! the native executor leaves commands with local files to the `aws`
//! program).

use std::ffi::OsString;
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

    /// The process's current directory (canonical), files confined to it,
    /// `~` from `HOME` when it is absolute.
    pub fn current_dir() -> Confinement {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        Confinement {
            working_dir: cwd.canonicalize().unwrap_or(cwd),
            access: FileAccess::Workdir,
            home: std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|h| h.is_absolute()),
        }
    }
}

/// What [`stat`] reports (links followed, as `os.stat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    /// A directory.
    pub is_dir: bool,
    /// A character or block device, FIFO or socket.
    pub is_special: bool,
    /// The size in bytes.
    pub size: u64,
    /// The modification time, microseconds since the epoch.
    pub mtime_us: i64,
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
        /// The operating system's error number.
        errno: Option<i32>,
    },
    /// This platform has no opener yet.
    #[error("opening local files is not supported on this platform")]
    Unsupported,
}

impl FileError {
    /// The `errno` Python's `OSError` would carry for this error, if any.
    pub fn errno(&self) -> Option<i32> {
        match self {
            FileError::Io { errno, .. } => *errno,
            FileError::Kind { problem, .. } => match *problem {
                PROBLEM_DIR => Some(EISDIR),
                PROBLEM_MISSING | PROBLEM_MISSING_DIR => Some(ENOENT),
                _ => None,
            },
            FileError::Path {
                source: PathError::NotDirectory(_),
                ..
            } => Some(ENOTDIR),
            FileError::Path {
                source: PathError::Loop,
                ..
            } => Some(ELOOP),
            FileError::Path {
                source: PathError::MissingThenParent(_),
                ..
            } => Some(ENOENT),
            _ => None,
        }
    }

    /// The error as Python prints an `OSError` about `shown`
    /// (`[Errno 2] No such file or directory: 'a.txt'`) when it has an
    /// `errno`; else this error's own message (confinement, paths that
    /// cannot be judged).
    pub fn python(&self, shown: &str) -> String {
        match self.errno() {
            Some(n) => format!("[Errno {n}] {}: '{shown}'", strerror(n)),
            None => self.to_string(),
        }
    }
}

const PROBLEM_DIR: &str = "is a directory";
const PROBLEM_MISSING: &str = "does not exist";
const PROBLEM_MISSING_DIR: &str = "is in a directory that does not exist";
const PROBLEM_NOT_REGULAR: &str = "is not a regular file";
const ENOENT: i32 = 2;
const ENOTDIR: i32 = 20;
const EISDIR: i32 = 21;
const ELOOP: i32 = 40;

/// The C library's text for `errno` (as Python's `strerror`).
fn strerror(n: i32) -> String {
    let text = std::io::Error::from_raw_os_error(n).to_string();
    text.strip_suffix(&format!(" (os error {n})"))
        .unwrap_or(&text)
        .to_string()
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

/// `os.stat(raw)`: what the path leads to (links followed), `None` when
/// nothing is there. Confined like [`open_read`].
pub fn stat(raw: &str, semantics: Semantics, c: &Confinement) -> Result<Option<Meta>, FileError> {
    imp::stat(raw, semantics, c)
}

/// `os.path.islink(raw)`: whether the final name is a symbolic link (its
/// directory resolved and confined like [`open_read`]).
pub fn is_symlink(raw: &str, semantics: Semantics, c: &Confinement) -> Result<bool, FileError> {
    imp::is_symlink(raw, semantics, c)
}

/// `os.listdir(raw)`: the names in a directory, read from its handle.
pub fn list_dir(
    raw: &str,
    semantics: Semantics,
    c: &Confinement,
) -> Result<Vec<OsString>, FileError> {
    imp::list_dir(raw, semantics, c)
}

/// `os.makedirs(raw, exist_ok=True)`: the missing directories, each made
/// with `mkdirat` in its parent's handle.
pub fn make_dirs(raw: &str, semantics: Semantics, c: &Confinement) -> Result<(), FileError> {
    imp::make_dirs(raw, semantics, c)
}

/// `os.remove(raw)`: unlink the final name in its directory's handle (a
/// symbolic link itself, not what it points to).
pub fn remove(raw: &str, semantics: Semantics, c: &Confinement) -> Result<(), FileError> {
    imp::remove(raw, semantics, c)
}

/// A new temporary file in the directory where `raw` resolves (the missing
/// directories made when `create_dirs`), to be renamed over the final name
/// by [`Staged::commit`] (see the module docs).
pub fn create_beside(
    raw: &str,
    semantics: Semantics,
    c: &Confinement,
    create_dirs: bool,
) -> Result<Staged, FileError> {
    imp::create_beside(raw, semantics, c, create_dirs)
}

/// A temporary file beside its destination, held with its directory's
/// handle; removed on drop unless committed.
#[derive(Debug)]
pub struct Staged {
    /// The open file (read and write).
    pub file: File,
    inner: imp::StagedDir,
}

impl Staged {
    /// Rename the file over its final name, in the directory it was created in.
    ///
    /// # Errors
    /// [`FileError::Io`] when the rename fails (the file is then removed).
    pub fn commit(self) -> Result<(), FileError> {
        imp::commit(self)
    }
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
    use std::ffi::{OsStr, OsString};
    use std::fs::File;
    use std::os::fd::OwnedFd;
    use std::os::unix::ffi::OsStrExt;
    use std::path::{Path, PathBuf};

    use nix::errno::Errno;
    use nix::fcntl::{openat, readlinkat, renameat, AtFlags, OFlag, AT_FDCWD};
    use nix::sys::stat::{fstat, fstatat, mkdirat, FileStat, Mode as Perm, SFlag};
    use nix::unistd::{unlinkat, UnlinkatFlags};

    use super::{
        check_inside, Confinement, FileError, Meta, Mode, Staged, PROBLEM_DIR, PROBLEM_MISSING,
        PROBLEM_MISSING_DIR, PROBLEM_NOT_REGULAR,
    };
    use aws_mcp_core::localpath::{
        self, Entry, Kind, PathError, Plan, Resolved, Semantics, Step, Walk,
    };
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

    fn os_err(raw: &str) -> impl Fn(Errno) -> FileError + '_ {
        move |e: Errno| FileError::Io {
            raw: raw.to_string(),
            message: e.desc().to_string(),
            errno: Some(e as i32),
        }
    }

    fn path_err(raw: &str) -> impl Fn(PathError) -> FileError + '_ {
        move |source: PathError| FileError::Path {
            raw: raw.to_string(),
            source,
        }
    }

    fn kind_err(raw: &str, problem: &'static str) -> FileError {
        FileError::Kind {
            raw: raw.to_string(),
            problem,
        }
    }

    fn planned(raw: &str, semantics: Semantics, c: &Confinement) -> Result<Plan, FileError> {
        if c.access == FileAccess::NoAccess {
            return Err(FileError::Disabled);
        }
        localpath::plan(raw, semantics, &c.working_dir, c.home.as_deref()).map_err(path_err(raw))
    }

    /// `raw` resolved over handles, its physical location checked.
    fn resolved(
        raw: &str,
        semantics: Semantics,
        c: &Confinement,
    ) -> Result<Resolved<OwnedFd>, FileError> {
        let plan = planned(raw, semantics, c)?;
        let r = localpath::resolve(&plan, &mut FdWalk).map_err(path_err(raw))?;
        check_inside(raw, &r.path(), c)?;
        Ok(r)
    }

    /// The directory holding the final name of `raw` (resolved, following
    /// links on the way) and that name, not followed; the name's physical
    /// location checked. `None` when the path ends at a directory (`/`, `..`).
    fn parent_of(
        raw: &str,
        semantics: Semantics,
        c: &Confinement,
    ) -> Result<Option<(OwnedFd, OsString)>, FileError> {
        let mut plan = planned(raw, semantics, c)?;
        let Some(Step::Name(name)) = plan.steps.pop() else {
            return Ok(None);
        };
        let mut r = localpath::resolve(&plan, &mut FdWalk).map_err(path_err(raw))?;
        match r.kind {
            Kind::Dir => {}
            Kind::Missing => return Err(kind_err(raw, PROBLEM_MISSING_DIR)),
            _ => {
                return Err(FileError::Path {
                    raw: raw.to_string(),
                    source: PathError::NotDirectory(r.path()),
                })
            }
        }
        check_inside(raw, &r.path().join(&name), c)?;
        let dir = match r.dirs.pop() {
            Some((_, d)) => d,
            None => r.root,
        };
        Ok(Some((dir, name)))
    }

    fn meta(st: &FileStat) -> Meta {
        let kind = SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT;
        #[allow(clippy::unnecessary_cast)]
        let (secs, nsecs) = (st.st_mtime as i64, st.st_mtime_nsec as i64);
        Meta {
            is_dir: kind == SFlag::S_IFDIR,
            is_special: [
                SFlag::S_IFCHR,
                SFlag::S_IFBLK,
                SFlag::S_IFIFO,
                SFlag::S_IFSOCK,
            ]
            .contains(&kind),
            #[allow(clippy::unnecessary_cast)]
            size: st.st_size as u64,
            mtime_us: secs * 1_000_000 + nsecs / 1_000,
        }
    }

    pub(super) fn stat(
        raw: &str,
        semantics: Semantics,
        c: &Confinement,
    ) -> Result<Option<Meta>, FileError> {
        let r = resolved(raw, semantics, c)?;
        let os = os_err(raw);
        let st = match (&r.last, r.kind) {
            (_, Kind::Missing) => return Ok(None),
            (None, _) | (_, Kind::Dir) => fstat(r.deepest_dir()).map_err(os)?,
            (Some(last), _) => fstatat(
                r.deepest_dir(),
                last.as_os_str(),
                AtFlags::AT_SYMLINK_NOFOLLOW,
            )
            .map_err(os)?,
        };
        Ok(Some(meta(&st)))
    }

    pub(super) fn is_symlink(
        raw: &str,
        semantics: Semantics,
        c: &Confinement,
    ) -> Result<bool, FileError> {
        let Some((dir, name)) = parent_of(raw, semantics, c)? else {
            return Ok(false);
        };
        match fstatat(&dir, name.as_os_str(), AtFlags::AT_SYMLINK_NOFOLLOW) {
            Ok(st) => Ok(SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT == SFlag::S_IFLNK),
            Err(Errno::ENOENT) => Ok(false),
            Err(e) => Err(os_err(raw)(e)),
        }
    }

    pub(super) fn list_dir(
        raw: &str,
        semantics: Semantics,
        c: &Confinement,
    ) -> Result<Vec<OsString>, FileError> {
        let mut r = resolved(raw, semantics, c)?;
        let os = os_err(raw);
        match r.kind {
            Kind::Dir => {}
            Kind::Missing => return Err(os(Errno::ENOENT)),
            _ => return Err(os(Errno::ENOTDIR)),
        }
        let fd = match r.dirs.pop() {
            Some((_, d)) => d,
            None => r.root,
        };
        let mut dir = nix::dir::Dir::from_fd(fd).map_err(&os)?;
        let mut out = Vec::new();
        for e in dir.iter() {
            let e = e.map_err(&os)?;
            let name = e.file_name().to_bytes();
            if name != b"." && name != b".." {
                out.push(OsStr::from_bytes(name).to_os_string());
            }
        }
        Ok(out)
    }

    /// Make `names` one below the other under `parent`; the handle of the last.
    fn mkdirs(
        parent: &OwnedFd,
        names: &[OsString],
        raw: &str,
    ) -> Result<Option<OwnedFd>, FileError> {
        let os = os_err(raw);
        let mut held: Option<OwnedFd> = None;
        for n in names {
            let p = held.as_ref().unwrap_or(parent);
            match mkdirat(p, n.as_os_str(), Perm::from_bits_truncate(0o777)) {
                Ok(()) | Err(Errno::EEXIST) => {}
                Err(e) => return Err(os(e)),
            }
            // O_NOFOLLOW: a link planted meanwhile is not followed.
            let d = openat(p, n.as_os_str(), dir_flags(), Perm::empty()).map_err(&os)?;
            held = Some(d);
        }
        Ok(held)
    }

    pub(super) fn make_dirs(
        raw: &str,
        semantics: Semantics,
        c: &Confinement,
    ) -> Result<(), FileError> {
        let mut r = resolved(raw, semantics, c)?;
        match (r.kind, r.last.take()) {
            (Kind::Dir, _) => Ok(()),
            (Kind::Missing, Some(first)) => {
                let mut names = vec![first];
                names.append(&mut r.missing_after);
                mkdirs(r.deepest_dir(), &names, raw).map(|_| ())
            }
            _ => Err(os_err(raw)(Errno::EEXIST)),
        }
    }

    pub(super) fn remove(
        raw: &str,
        semantics: Semantics,
        c: &Confinement,
    ) -> Result<(), FileError> {
        let Some((dir, name)) = parent_of(raw, semantics, c)? else {
            return Err(os_err(raw)(Errno::EISDIR));
        };
        unlinkat(&dir, name.as_os_str(), UnlinkatFlags::NoRemoveDir).map_err(os_err(raw))
    }

    /// The directory handle and names of a [`Staged`] file.
    #[derive(Debug)]
    pub(super) struct StagedDir {
        dir: OwnedFd,
        tmp: OsString,
        name: OsString,
        raw: String,
        done: bool,
    }

    impl Drop for StagedDir {
        fn drop(&mut self) {
            if !self.done {
                let _ = unlinkat(&self.dir, self.tmp.as_os_str(), UnlinkatFlags::NoRemoveDir);
            }
        }
    }

    pub(super) fn create_beside(
        raw: &str,
        semantics: Semantics,
        c: &Confinement,
        create_dirs: bool,
    ) -> Result<Staged, FileError> {
        let mut r = resolved(raw, semantics, c)?;
        let os = os_err(raw);
        let (dir, name) = match (r.kind, r.last.take()) {
            (Kind::File, Some(last)) => {
                let d = match r.dirs.pop() {
                    Some((_, d)) => d,
                    None => r.root,
                };
                (d, last)
            }
            (Kind::Missing, Some(first)) => {
                let mut names = vec![first];
                names.append(&mut r.missing_after);
                let file = names.pop().unwrap_or_default();
                if names.is_empty() {
                    let d = match r.dirs.pop() {
                        Some((_, d)) => d,
                        None => r.root,
                    };
                    (d, file)
                } else if !create_dirs {
                    return Err(kind_err(raw, PROBLEM_MISSING_DIR));
                } else {
                    match mkdirs(r.deepest_dir(), &names, raw)? {
                        Some(d) => (d, file),
                        None => return Err(kind_err(raw, PROBLEM_MISSING_DIR)),
                    }
                }
            }
            (Kind::Other, Some(_)) => return Err(kind_err(raw, PROBLEM_NOT_REGULAR)),
            _ => return Err(kind_err(raw, PROBLEM_DIR)),
        };
        for _ in 0..8 {
            let mut tmp = name.clone();
            tmp.push(format!(".{}", crate::localfs::random_hex8()));
            match openat(
                &dir,
                tmp.as_os_str(),
                OFlag::O_RDWR
                    | OFlag::O_CREAT
                    | OFlag::O_EXCL
                    | OFlag::O_NOFOLLOW
                    | OFlag::O_CLOEXEC,
                Perm::from_bits_truncate(0o666),
            ) {
                Ok(fd) => {
                    return Ok(Staged {
                        file: File::from(fd),
                        inner: StagedDir {
                            dir,
                            tmp,
                            name,
                            raw: raw.to_string(),
                            done: false,
                        },
                    })
                }
                Err(Errno::EEXIST) => continue,
                Err(e) => return Err(os(e)),
            }
        }
        Err(os(Errno::EEXIST))
    }

    pub(super) fn commit(s: Staged) -> Result<(), FileError> {
        let Staged { file, mut inner } = s;
        drop(file);
        renameat(
            &inner.dir,
            inner.tmp.as_os_str(),
            &inner.dir,
            inner.name.as_os_str(),
        )
        .map_err(os_err(&inner.raw))?;
        inner.done = true;
        Ok(())
    }

    pub(super) fn open(
        raw: &str,
        semantics: Semantics,
        c: &Confinement,
        mode: Mode,
    ) -> Result<File, FileError> {
        let mut r = resolved(raw, semantics, c)?;
        let os = os_err(raw);
        let kind_err = |problem| kind_err(raw, problem);
        let last = match (&r.last, r.kind) {
            (None, _) | (_, Kind::Dir) => return Err(kind_err(PROBLEM_DIR)),
            (Some(_), Kind::Other) => return Err(kind_err(PROBLEM_NOT_REGULAR)),
            (Some(l), _) => l.clone(),
        };
        let fd = match (mode, r.kind) {
            (Mode::Read, Kind::File) => openat(
                r.deepest_dir(),
                last.as_os_str(),
                OFlag::O_RDONLY | OFlag::O_NOFOLLOW | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC,
                Perm::empty(),
            )
            .map_err(&os)?,
            (Mode::Read, _) => return Err(kind_err(PROBLEM_MISSING)),
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
            .map_err(&os)?,
            (Mode::Write { create_dirs }, _) => {
                // Missing: `last` is the first missing name, then `missing_after`.
                let mut names = vec![last];
                names.append(&mut r.missing_after);
                let file = names.pop().unwrap_or_default();
                if !names.is_empty() && !create_dirs {
                    return Err(kind_err(PROBLEM_MISSING_DIR));
                }
                let held = mkdirs(r.deepest_dir(), &names, raw)?;
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
                .map_err(&os)?
            }
        };
        // Whatever was opened must be a regular file (a FIFO or device
        // swapped in is refused; O_NONBLOCK kept the open from hanging).
        let st = fstat(&fd).map_err(&os)?;
        if SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT != SFlag::S_IFREG {
            return Err(kind_err(PROBLEM_NOT_REGULAR));
        }
        let f = File::from(fd);
        clear_nonblock(&f).map_err(&os)?;
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
    use super::{Confinement, FileError, Meta, Mode, Staged};
    use aws_mcp_core::localpath::Semantics;
    use std::ffi::OsString;
    use std::fs::File;

    pub(super) fn open(_: &str, _: Semantics, _: &Confinement, _: Mode) -> Result<File, FileError> {
        Err(FileError::Unsupported)
    }
    pub(super) fn stat(_: &str, _: Semantics, _: &Confinement) -> Result<Option<Meta>, FileError> {
        Err(FileError::Unsupported)
    }
    pub(super) fn is_symlink(_: &str, _: Semantics, _: &Confinement) -> Result<bool, FileError> {
        Err(FileError::Unsupported)
    }
    pub(super) fn list_dir(
        _: &str,
        _: Semantics,
        _: &Confinement,
    ) -> Result<Vec<OsString>, FileError> {
        Err(FileError::Unsupported)
    }
    pub(super) fn make_dirs(_: &str, _: Semantics, _: &Confinement) -> Result<(), FileError> {
        Err(FileError::Unsupported)
    }
    pub(super) fn remove(_: &str, _: Semantics, _: &Confinement) -> Result<(), FileError> {
        Err(FileError::Unsupported)
    }
    pub(super) fn create_beside(
        _: &str,
        _: Semantics,
        _: &Confinement,
        _: bool,
    ) -> Result<Staged, FileError> {
        Err(FileError::Unsupported)
    }
    /// Never made on this platform.
    #[derive(Debug)]
    pub(super) enum StagedDir {}
    pub(super) fn commit(s: Staged) -> Result<(), FileError> {
        match s.inner {}
    }
}
