//! Local files the native executor reads and writes: the `s3` transfer
//! commands' local sides, parameter files, streaming inputs and outfiles,
//! with awscli's error texts.
//!
//! ## One mechanism
//!
//! [`LocalFiles`] is the executor's view of local files; it does nothing by
//! path itself. Every call goes through [`crate::files`], which resolves the
//! path with the policy's own resolver ([`aws_mcp_core::localpath`]) over
//! directory handles (`openat` with `O_NOFOLLOW`), checks that the physical
//! location lies inside the working directory (unless access is
//! unrestricted; nothing at all with `no-access`), and opens, lists, makes,
//! removes or renames relative to the handles it walked. So the files a
//! recursive transfer discovers, links inside a tree, and a tree changed
//! after the policy's decision are all held to the same rule, with no window
//! between a check and an open.
//!
//! Paths are resolved as the program that opens them does: the `s3`
//! commands' paths as `os.path.abspath` ([`Semantics::S3_TRANSFER`]: `..`
//! collapsed first), parameter files and streaming inputs as `open()` after
//! `expanduser` ([`Semantics::PARAM_FILE`]), output files as `open()`
//! ([`Semantics::OPEN`]) — the same semantics the policy judged them with.
//!
//! ## Writes never leave a partial file under the final name
//!
//! A download is written to `<name>.<8 hex digits>` in the destination's
//! directory (created with `O_EXCL` in that directory's handle), its
//! modification time set, then renamed over the final name in the same
//! handle. A failed or cancelled transfer removes the temporary file
//! ([`TempFile`] does on drop); a killed process can leave it behind, never
//! a truncated file under the final name.

use std::fs::File;
use std::io;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_mcp_core::localpath::Semantics;
use aws_mcp_core::policy::FileAccess;

use crate::files::{self, FileError, Staged};
pub use crate::files::{Confinement, Meta};

/// Why a local file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LocalError {
    /// Local file access is off.
    #[error("local file access is disabled (AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS=no-access)")]
    Disabled,
    /// The path leads outside the working directory, or cannot be judged.
    #[error("{0}")]
    Refused(String),
    /// The operating system refused, in Python's words
    /// (`[Errno 2] No such file or directory: '/w/a'`).
    #[error("{0}")]
    Io(String),
}

impl LocalError {
    /// `e` about the path shown as `shown`.
    fn from_file(e: &FileError, shown: &str) -> LocalError {
        match e {
            FileError::Disabled => LocalError::Disabled,
            FileError::Outside { .. } | FileError::Unsupported => {
                LocalError::Refused(e.to_string())
            }
            _ if e.errno().is_some() => LocalError::Io(e.python(shown)),
            _ => LocalError::Refused(e.to_string()),
        }
    }
}

/// An `io::Error` about `path` as Python's `OSError` prints it.
pub fn py_os_error(e: &io::Error, path: &str) -> String {
    match e.raw_os_error() {
        Some(n) => {
            let text = e.to_string();
            let msg = text
                .strip_suffix(&format!(" (os error {n})"))
                .unwrap_or(&text)
                .to_string();
            format!("[Errno {n}] {msg}: '{path}'")
        }
        None => e.to_string(),
    }
}

/// A temporary file beside a destination; removed on drop unless committed.
#[derive(Debug)]
pub struct TempFile {
    staged: Staged,
    final_path: String,
}

impl TempFile {
    /// The open file (read and write).
    pub fn file(&self) -> &File {
        &self.staged.file
    }
}

/// The native executor's local files (see the module docs).
#[derive(Debug, Clone)]
pub struct LocalFiles {
    c: Confinement,
}

impl LocalFiles {
    /// Files confined by `c`.
    pub fn new(c: Confinement) -> LocalFiles {
        LocalFiles { c }
    }

    /// The working directory, as a string (the `cwd` of path arithmetic).
    pub fn working_dir(&self) -> String {
        self.c.working_dir.to_string_lossy().into_owned()
    }

    /// The home directory, for `~`.
    pub fn home(&self) -> Option<&Path> {
        self.c.home.as_deref()
    }

    /// Whether any local access is allowed.
    pub fn disabled(&self) -> bool {
        self.c.access == FileAccess::NoAccess
    }

    /// `os.stat(path)` (follows symbolic links); `None` when it does not
    /// exist; an error when it cannot be examined or leads outside.
    pub fn stat(&self, path: &str) -> Result<Option<Meta>, LocalError> {
        files::stat(path, Semantics::S3_TRANSFER, &self.c)
            .map_err(|e| LocalError::from_file(&e, path))
    }

    /// `os.path.islink(path)`.
    pub fn is_symlink(&self, path: &str) -> bool {
        files::is_symlink(path, Semantics::S3_TRANSFER, &self.c).unwrap_or(false)
    }

    /// The names in a directory; names that are not UTF-8 come back as
    /// `Err(lossy name)`.
    pub fn list_dir(&self, path: &str) -> Result<Vec<Result<String, String>>, LocalError> {
        let names = files::list_dir(path, Semantics::S3_TRANSFER, &self.c)
            .map_err(|e| LocalError::from_file(&e, path))?;
        Ok(names
            .into_iter()
            .map(|n| match n.into_string() {
                Ok(s) => Ok(s),
                Err(os) => Err(os.to_string_lossy().into_owned()),
            })
            .collect())
    }

    /// Whether a file can be opened for reading / a directory listed
    /// (awscli's `is_readable`).
    pub fn readable(&self, path: &str, is_dir: bool) -> bool {
        if is_dir {
            self.list_dir(path).is_ok()
        } else {
            self.open_read(path).is_ok()
        }
    }

    /// Open a file of an `s3` transfer for reading.
    pub fn open_read(&self, path: &str) -> Result<File, LocalError> {
        self.open_read_as(path, Semantics::S3_TRANSFER, path)
    }

    /// Open `raw` for reading, resolved as `semantics` says; errors show
    /// the path as `shown`.
    pub fn open_read_as(
        &self,
        raw: &str,
        semantics: Semantics,
        shown: &str,
    ) -> Result<File, LocalError> {
        files::open_read(raw, semantics, &self.c).map_err(|e| LocalError::from_file(&e, shown))
    }

    /// [`LocalFiles::open_read_as`], `None` when the file does not exist
    /// (`ENOENT`, as Python's `open` reports it).
    pub fn open_read_existing(
        &self,
        raw: &str,
        semantics: Semantics,
        shown: &str,
    ) -> Result<Option<File>, LocalError> {
        match files::open_read(raw, semantics, &self.c) {
            Ok(f) => Ok(Some(f)),
            // ENOENT (2 on every Unix this runs on, as in `files`).
            Err(e) if e.errno() == Some(2) => Ok(None),
            Err(e) => Err(LocalError::from_file(&e, shown)),
        }
    }

    /// `os.makedirs(path)` for missing directories.
    pub fn make_dirs(&self, path: &str) -> Result<(), LocalError> {
        files::make_dirs(path, Semantics::S3_TRANSFER, &self.c)
            .map_err(|e| LocalError::from_file(&e, path))
    }

    /// A new temporary file in the directory of `final_path` (an `s3`
    /// transfer's destination; created when missing), to be
    /// [`LocalFiles::commit`]ted.
    pub fn create_temp(&self, final_path: &str) -> Result<TempFile, LocalError> {
        self.create_temp_as(final_path, Semantics::S3_TRANSFER, true)
    }

    /// A new temporary file beside `raw`, resolved as `semantics` says
    /// (the missing directories made when `create_dirs`).
    pub fn create_temp_as(
        &self,
        raw: &str,
        semantics: Semantics,
        create_dirs: bool,
    ) -> Result<TempFile, LocalError> {
        let staged = files::create_beside(raw, semantics, &self.c, create_dirs)
            .map_err(|e| LocalError::from_file(&e, raw))?;
        Ok(TempFile {
            staged,
            final_path: raw.to_string(),
        })
    }

    /// Give the temporary file its modification (and access) time, then
    /// rename it over its final name (in the directory it was made in).
    pub fn commit(&self, t: TempFile, mtime_secs: Option<i64>) -> Result<(), LocalError> {
        let shown = t.final_path.clone();
        if let Some(secs) = mtime_secs {
            let when = if secs >= 0 {
                UNIX_EPOCH + Duration::from_secs(secs as u64)
            } else {
                UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
            };
            let times = std::fs::FileTimes::new()
                .set_accessed(when)
                .set_modified(when);
            t.staged
                .file
                .set_times(times)
                .map_err(|e| LocalError::Io(py_os_error(&e, &shown)))?;
        }
        t.staged
            .commit()
            .map_err(|e| LocalError::from_file(&e, &shown))
    }

    /// `os.remove(path)`.
    pub fn remove(&self, path: &str) -> Result<(), LocalError> {
        files::remove(path, Semantics::S3_TRANSFER, &self.c)
            .map_err(|e| LocalError::from_file(&e, path))
    }
}

/// Eight random hexadecimal digits (temporary file names).
pub(crate) fn random_hex8() -> String {
    let b = uuid::Uuid::new_v4();
    let b = b.as_bytes();
    format!("{:02x}{:02x}{:02x}{:02x}", b[0], b[1], b[2], b[3])
}

/// Seconds since the epoch now.
pub(crate) fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("aws-mcp-localfs-{name}-{}", random_hex8()));
        std::fs::create_dir_all(&d).unwrap();
        d.canonicalize().unwrap()
    }

    #[test]
    fn confined_to_the_working_directory_with_links_resolved() {
        let root = tmpdir("confine");
        let wd = root.join("wd");
        let out = root.join("out");
        std::fs::create_dir_all(&wd).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(&out, wd.join("link")).unwrap();
        std::fs::write(wd.join("in.txt"), "i").unwrap();
        let f = LocalFiles::new(Confinement {
            working_dir: wd.clone(),
            access: FileAccess::Workdir,
            home: None,
        });
        let p = |x: &Path| x.to_string_lossy().into_owned();
        assert!(f.open_read(&p(&wd.join("in.txt"))).is_ok());
        let e = f.open_read(&p(&wd.join("link/secret"))).unwrap_err();
        assert!(matches!(e, LocalError::Refused(_)), "{e}");
        assert!(
            e.to_string().contains("outside the working directory"),
            "{e}"
        );
        // A new file below the link is outside too.
        assert!(f.create_temp(&p(&wd.join("link/new/x"))).is_err());
        assert!(!out.join("new").exists());
        // Missing files inside are fine to create; errors read like Python's.
        let e = f.open_read(&p(&wd.join("nope"))).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "[Errno 2] No such file or directory: '{}'",
                p(&wd.join("nope"))
            )
        );
        let off = LocalFiles::new(Confinement {
            working_dir: wd.clone(),
            access: FileAccess::NoAccess,
            home: None,
        });
        assert_eq!(
            off.open_read(&p(&wd.join("in.txt"))).unwrap_err(),
            LocalError::Disabled
        );
        let any = LocalFiles::new(Confinement {
            working_dir: wd.clone(),
            access: FileAccess::Unrestricted,
            home: None,
        });
        assert!(any.open_read(&p(&wd.join("link/secret"))).is_ok());
        // A listing of the link's directory, or a stat through it, is
        // refused; the link itself is seen and removed, not its target.
        assert!(f.list_dir(&p(&wd.join("link"))).is_err());
        assert!(f.stat(&p(&wd.join("link/secret"))).is_err());
        assert!(f.is_symlink(&p(&wd.join("link"))));
        assert_eq!(f.list_dir(&p(&wd)).unwrap().len(), 2);
        f.remove(&p(&wd.join("link"))).unwrap();
        assert!(out.join("secret").exists() && !wd.join("link").exists());
        // os.remove of a directory or a missing file: Python's errors.
        std::fs::create_dir(wd.join("sub")).unwrap();
        let e = f.remove(&p(&wd.join("sub"))).unwrap_err().to_string();
        assert!(
            e.starts_with("[Errno 21] Is a directory") || e.starts_with("[Errno 1]"),
            "{e}"
        );
        let e = f.remove(&p(&wd.join("gone"))).unwrap_err().to_string();
        assert!(e.starts_with("[Errno 2] No such file or directory"), "{e}");
        // make_dirs below the working directory only.
        f.make_dirs(&p(&wd.join("a/b/c"))).unwrap();
        assert!(wd.join("a/b/c").is_dir());
        assert!(f.make_dirs(&p(&out.join("x"))).is_err());
        assert!(!out.join("x").exists());
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn temp_files_become_the_final_name_or_disappear() {
        use std::io::Write;
        let wd = tmpdir("temp");
        let f = LocalFiles::new(Confinement {
            working_dir: wd.clone(),
            access: FileAccess::Workdir,
            home: None,
        });
        let fin = wd.join("d/e/out.bin").to_string_lossy().into_owned();
        let t = f.create_temp(&fin).unwrap();
        t.file().write_all(b"data").unwrap();
        assert!(
            !Path::new(&fin).exists(),
            "nothing under the final name yet"
        );
        f.commit(t, Some(1_000_000_000)).unwrap();
        assert_eq!(std::fs::read(&fin).unwrap(), b"data");
        let m = f.stat(&fin).unwrap().unwrap();
        assert_eq!(m.mtime_us, 1_000_000_000_000_000);
        // Dropped without commit: gone, the old file untouched.
        let t = f.create_temp(&fin).unwrap();
        t.file().write_all(b"partial").unwrap();
        drop(t);
        assert_eq!(std::fs::read(&fin).unwrap(), b"data");
        let left: Vec<_> = std::fs::read_dir(wd.join("d/e")).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");
        // A destination swapped for a link to outside after the temporary
        // file was made: the rename replaces the link, never writes through it.
        let outside = tmpdir("temp-outside");
        std::fs::write(outside.join("victim"), "keep").unwrap();
        let t = f.create_temp(&fin).unwrap();
        std::fs::remove_file(&fin).unwrap();
        std::os::unix::fs::symlink(outside.join("victim"), &fin).unwrap();
        f.commit(t, None).unwrap();
        assert_eq!(std::fs::read(outside.join("victim")).unwrap(), b"keep");
        assert!(!std::fs::symlink_metadata(&fin)
            .unwrap()
            .file_type()
            .is_symlink());
        // A destination that already is a link to outside: refused.
        std::fs::remove_file(&fin).unwrap();
        std::os::unix::fs::symlink(outside.join("victim"), &fin).unwrap();
        assert!(matches!(f.create_temp(&fin), Err(LocalError::Refused(_))));
        std::fs::remove_dir_all(&outside).unwrap();
        std::fs::remove_dir_all(&wd).unwrap();
    }
}
