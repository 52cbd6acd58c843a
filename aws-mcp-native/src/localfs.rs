//! Local files the native executor reads and writes (the `s3` transfer
//! commands' local sides, and later parameter files and outfiles), confined
//! as the policy confines them.
//!
//! ## The boundary
//!
//! Every file operation of the native executor goes through
//! [`LocalFiles`]: open for reading, create a temporary file next to a
//! destination and rename it over the final name, remove, make directories,
//! stat and list. Each call first checks that the path, with every
//! symbolic link on the way resolved, lies inside the working directory
//! (unless access is unrestricted; nothing at all with `no-access`). The
//! policy has already judged the paths the command names; this check covers
//! what only the run discovers (the files of a recursive transfer, links
//! inside a tree) and is the one place to swap in the shared resolver and
//! directory-handle opener of issue 19 (`localpath` + `files`), which also
//! closes the window between this check and the open.
//!
//! ## Writes never leave a partial file under the final name
//!
//! A download is written to `<name>.<8 hex digits>` in the destination's
//! directory (created with `O_EXCL`), its modification time set, then
//! renamed over the final name. A failed or cancelled transfer removes the
//! temporary file ([`TempFile`] does on drop); a killed process can leave
//! it behind, never a truncated file under the final name.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_mcp_core::policy::{FileAccess, PolicyConfig};

/// Where local files may be used.
#[derive(Debug, Clone)]
pub struct Confinement {
    /// The working directory: relative paths start here, and files must lie
    /// inside it unless access is unrestricted.
    pub working_dir: PathBuf,
    /// The file access mode.
    pub access: FileAccess,
    /// The home directory, for `~` in parameter files.
    pub home: Option<PathBuf>,
}

impl Confinement {
    /// The policy's confinement.
    pub fn from_policy(cfg: &PolicyConfig) -> Confinement {
        Confinement {
            working_dir: cfg.working_dir.clone(),
            access: cfg.file_access,
            home: cfg.home.clone(),
        }
    }

    /// The process's current directory, files confined to it.
    pub fn current_dir() -> Confinement {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        Confinement {
            working_dir: cwd.canonicalize().unwrap_or(cwd),
            access: FileAccess::Workdir,
            home: std::env::var_os("HOME").map(PathBuf::from),
        }
    }
}

/// Why a local file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LocalError {
    /// Local file access is off.
    #[error("local file access is disabled (AWS_API_MCP_ALLOW_UNRESTRICTED_LOCAL_FILE_ACCESS=no-access)")]
    Disabled,
    /// The path leads outside the working directory.
    #[error("{path} resolves to {physical}, outside the working directory {working_dir} (AWS_API_MCP_WORKING_DIR)")]
    Outside {
        /// The path as used.
        path: String,
        /// Where it leads.
        physical: String,
        /// The working directory.
        working_dir: String,
    },
    /// The operating system refused, in Python's words
    /// (`[Errno 2] No such file or directory: '/w/a'`).
    #[error("{0}")]
    Io(String),
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

/// What [`LocalFiles::stat`] reports (following symbolic links, as
/// `os.stat`).
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

/// A temporary file beside a destination; removed on drop unless renamed.
#[derive(Debug)]
pub struct TempFile {
    /// The open file.
    pub file: File,
    path: PathBuf,
    final_path: PathBuf,
    done: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.path);
        }
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

    /// Check that `path` (absolute) leads inside the working directory.
    pub fn check(&self, path: &str) -> Result<(), LocalError> {
        match self.c.access {
            FileAccess::Unrestricted => return Ok(()),
            FileAccess::NoAccess => return Err(LocalError::Disabled),
            _ => {}
        }
        let physical = physical(Path::new(path));
        if physical.starts_with(&self.c.working_dir) {
            Ok(())
        } else {
            Err(LocalError::Outside {
                path: path.to_string(),
                physical: physical.to_string_lossy().into_owned(),
                working_dir: self.c.working_dir.to_string_lossy().into_owned(),
            })
        }
    }

    /// `os.stat(path)` (follows symbolic links); `None` when it does not exist.
    pub fn stat(&self, path: &str) -> io::Result<Option<Meta>> {
        match std::fs::metadata(path) {
            Ok(m) => Ok(Some(meta(&m))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `os.path.islink(path)`.
    pub fn is_symlink(&self, path: &str) -> bool {
        std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
    }

    /// The names in a directory; names that are not UTF-8 come back as
    /// `Err(lossy name)`.
    pub fn list_dir(&self, path: &str) -> io::Result<Vec<Result<String, String>>> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(path)? {
            let e = e?;
            let name = e.file_name();
            out.push(match name.into_string() {
                Ok(s) => Ok(s),
                Err(os) => Err(os.to_string_lossy().into_owned()),
            });
        }
        Ok(out)
    }

    /// Whether a file can be opened for reading / a directory listed
    /// (awscli's `is_readable`).
    pub fn readable(&self, path: &str, is_dir: bool) -> bool {
        if is_dir {
            std::fs::read_dir(path).is_ok()
        } else {
            File::open(path).is_ok()
        }
    }

    /// Open a file for reading.
    pub fn open_read(&self, path: &str) -> Result<File, LocalError> {
        self.check(path)?;
        File::open(path).map_err(|e| LocalError::Io(py_os_error(&e, path)))
    }

    /// `os.makedirs(path)` for missing directories.
    pub fn make_dirs(&self, path: &str) -> Result<(), LocalError> {
        self.check(path)?;
        std::fs::create_dir_all(path).map_err(|e| LocalError::Io(py_os_error(&e, path)))
    }

    /// A new temporary file in the directory of `final_path` (created when
    /// missing), to be [`LocalFiles::commit`]ted.
    pub fn create_temp(&self, final_path: &str) -> Result<TempFile, LocalError> {
        self.check(final_path)?;
        let fp = Path::new(final_path);
        if let Some(dir) = fp.parent() {
            if !dir.as_os_str().is_empty() && !dir.exists() {
                self.make_dirs(&dir.to_string_lossy())?;
            }
        }
        for _ in 0..8 {
            let tmp = format!("{final_path}.{}", random_hex8());
            self.check(&tmp)?;
            match OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&tmp)
            {
                Ok(file) => {
                    return Ok(TempFile {
                        file,
                        path: PathBuf::from(tmp),
                        final_path: fp.to_path_buf(),
                        done: false,
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(LocalError::Io(py_os_error(&e, &tmp))),
            }
        }
        Err(LocalError::Io(format!(
            "could not create a temporary file beside '{final_path}'"
        )))
    }

    /// Give the temporary file its modification (and access) time, then
    /// rename it over its final name.
    pub fn commit(&self, mut t: TempFile, mtime_secs: Option<i64>) -> Result<(), LocalError> {
        let shown = t.final_path.to_string_lossy().into_owned();
        if let Some(secs) = mtime_secs {
            let when = if secs >= 0 {
                UNIX_EPOCH + Duration::from_secs(secs as u64)
            } else {
                UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
            };
            let times = std::fs::FileTimes::new()
                .set_accessed(when)
                .set_modified(when);
            t.file
                .set_times(times)
                .map_err(|e| LocalError::Io(py_os_error(&e, &shown)))?;
        }
        self.check(&shown)?;
        std::fs::rename(&t.path, &t.final_path)
            .map_err(|e| LocalError::Io(py_os_error(&e, &shown)))?;
        t.done = true;
        Ok(())
    }

    /// `os.remove(path)`.
    pub fn remove(&self, path: &str) -> Result<(), LocalError> {
        self.check(path)?;
        std::fs::remove_file(path).map_err(|e| LocalError::Io(py_os_error(&e, path)))
    }
}

#[cfg(unix)]
fn is_special(ft: &std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    ft.is_char_device() || ft.is_block_device() || ft.is_fifo() || ft.is_socket()
}

#[cfg(not(unix))]
fn is_special(_: &std::fs::FileType) -> bool {
    false
}

fn meta(m: &std::fs::Metadata) -> Meta {
    let ft = m.file_type();
    let mtime_us = match m.modified() {
        Ok(t) => match t.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_micros() as i64,
            Err(e) => -(e.duration().as_micros() as i64),
        },
        Err(_) => 0,
    };
    Meta {
        is_dir: ft.is_dir(),
        is_special: is_special(&ft),
        size: m.len(),
        mtime_us,
    }
}

/// Where `path` (absolute, normalised) leads: its longest existing prefix
/// with links resolved, then the missing rest as written.
fn physical(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut p = c;
            for r in rest.iter().rev() {
                p.push(r);
            }
            return p;
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    // Nothing exists (not even `/`): the lexical path.
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

fn random_hex8() -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(matches!(e, LocalError::Outside { .. }), "{e}");
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
        let mut t = f.create_temp(&fin).unwrap();
        t.file.write_all(b"data").unwrap();
        assert!(
            !Path::new(&fin).exists(),
            "nothing under the final name yet"
        );
        f.commit(t, Some(1_000_000_000)).unwrap();
        assert_eq!(std::fs::read(&fin).unwrap(), b"data");
        let m = f.stat(&fin).unwrap().unwrap();
        assert_eq!(m.mtime_us, 1_000_000_000_000_000);
        // Dropped without commit: gone, the old file untouched.
        let mut t = f.create_temp(&fin).unwrap();
        t.file.write_all(b"partial").unwrap();
        drop(t);
        assert_eq!(std::fs::read(&fin).unwrap(), b"data");
        let left: Vec<_> = std::fs::read_dir(wd.join("d/e")).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");
        std::fs::remove_dir_all(&wd).unwrap();
    }
}
