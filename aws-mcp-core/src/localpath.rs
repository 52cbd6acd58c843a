//! Local paths, resolved exactly the way the program that opens them
//! resolves them: one resolver for the policy (which decides whether a path
//! may be used) and for every opener (which opens it), so the two can never
//! disagree.
//!
//! ## Two steps
//!
//! 1. [`plan`] is pure text work: how the opening program turns the string
//!    it was given into an absolute list of steps ([`Semantics`]). awscli's
//!    parameter files (`file://`, `fileb://`) and streaming blobs run
//!    `os.path.expandvars(os.path.expanduser(p))` and then `open()`, so
//!    `..` is left to the kernel; its `s3 cp|mv|sync` commands run
//!    `os.path.abspath(p)`, which collapses `..` textually *before* the disk
//!    is touched (`link/../x` is `x`, wherever `link` points); `eks
//!    update-kubeconfig` runs `abspath(expanduser(p))`. Text that cannot be
//!    judged exactly is refused: `$VAR` where the program expands variables,
//!    `~user`, NUL bytes, empty paths.
//! 2. [`resolve`] walks the steps the way the kernel does, one component at
//!    a time, over a [`Walk`] — a view of the file system that answers "what
//!    is this name in this directory". It follows symbolic links itself
//!    (splicing the link's target into the remaining steps, at most
//!    [`MAX_SYMLINKS`] of them, as Linux does), applies `..` to the physical
//!    directory it is in, and stops at the first name that does not exist
//!    (the rest would be created; a `..` after it fails, as in the kernel).
//!    The result is the physical location: the chain of real directories,
//!    the final name and what it is.
//!
//! The policy walks with path-based `lstat`/`readlink` and checks that the
//! physical location lies inside the working directory. An opener walks the
//! same steps with directory handles (`openat` with `O_NOFOLLOW`, see
//! `aws_mcp_native::files`), so what it opens is what the policy judged,
//! even if the tree changes in between (a component replaced by a symbolic
//! link then fails to open instead of being followed).
//!
//! This module is pure: it does no I/O itself. Paths are POSIX paths here;
//! other forms (Windows drive letters, UNC) are a separate [`plan`] step
//! to add, and [`resolve`] does not depend on how the steps were made.

use std::collections::VecDeque;
use std::ffi::{OsStr, OsString};
use std::path::{Component, Path, PathBuf};

/// The most symbolic links followed in one resolution (Linux's `MAXSYMLINKS`).
pub const MAX_SYMLINKS: usize = 40;

/// How the program that opens a path turns its text into a location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Semantics {
    /// `~` and `~/...` become the home directory (`os.path.expanduser`).
    pub expand_user: bool,
    /// `$VAR` and `${VAR}` are replaced from the environment
    /// (`os.path.expandvars`); such paths are refused, since the policy
    /// cannot know the program's environment exactly.
    pub expand_vars: bool,
    /// `..` is collapsed textually before the disk is touched
    /// (`os.path.abspath`); otherwise the kernel applies it to the
    /// directory a symbolic link led to.
    pub lexical_parent: bool,
}

impl Semantics {
    /// awscli's parameter files and streaming blobs: `open(expandvars(expanduser(p)))`.
    pub const PARAM_FILE: Semantics = Semantics {
        expand_user: true,
        expand_vars: true,
        lexical_parent: false,
    };
    /// awscli's `s3 cp|mv|sync` local paths: `os.path.abspath(p)`.
    pub const S3_TRANSFER: Semantics = Semantics {
        expand_user: false,
        expand_vars: false,
        lexical_parent: true,
    };
    /// `eks update-kubeconfig`: `os.path.abspath(os.path.expanduser(p))`.
    pub const ABSPATH_EXPANDUSER: Semantics = Semantics {
        expand_user: true,
        expand_vars: false,
        lexical_parent: true,
    };
    /// A plain `open(p)` (streaming output files).
    pub const OPEN: Semantics = Semantics {
        expand_user: false,
        expand_vars: false,
        lexical_parent: false,
    };
}

/// One step of a planned path, after the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A name to look up in the current directory.
    Name(OsString),
    /// `..`: the parent of the current directory.
    Parent,
}

/// An absolute path as the opening program will hand it to the kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The steps from `/`.
    pub steps: Vec<Step>,
    /// The path as a string (for messages).
    pub absolute: PathBuf,
}

/// Why a path could not be judged or resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// The path is empty.
    #[error("is empty")]
    Empty,
    /// The path holds a NUL byte.
    #[error("contains a NUL byte")]
    Nul,
    /// The program would expand an environment variable.
    #[error("contains `$`, which the AWS CLI expands as an environment variable here")]
    Variable,
    /// `~user`.
    #[error("starts with `~user`, which is not resolved")]
    UserHome,
    /// `~` without a known home directory.
    #[error(
        "starts with `~` but the home directory is not known (HOME is not set or not absolute)"
    )]
    NoHome,
    /// The working directory is not absolute.
    #[error("is relative and the working directory {0:?} is not absolute")]
    RelativeBase(PathBuf),
    /// Too many symbolic links (a loop).
    #[error("goes through more than {MAX_SYMLINKS} symbolic links (a loop?)")]
    Loop,
    /// An empty symbolic link target.
    #[error("goes through the symbolic link {0:?}, whose target is empty")]
    EmptyLink(PathBuf),
    /// A component that is not a directory has more components after it.
    #[error("goes through {0:?}, which is not a directory")]
    NotDirectory(PathBuf),
    /// `..` after a component that does not exist (the kernel fails too).
    #[error("goes through {0:?}, which does not exist, and then `..`")]
    MissingThenParent(PathBuf),
    /// The file system could not be examined.
    #[error("cannot be examined at {path:?}: {message}")]
    Io {
        /// Where.
        path: PathBuf,
        /// The operating system's message.
        message: String,
    },
}

/// Turn `raw` into absolute steps the way a program with `semantics`
/// does, relative paths taken from `working_dir` (the program's current
/// directory). Pure: no file system access.
pub fn plan(
    raw: &str,
    semantics: Semantics,
    working_dir: &Path,
    home: Option<&Path>,
) -> Result<Plan, PathError> {
    if raw.is_empty() {
        return Err(PathError::Empty);
    }
    if raw.contains('\0') {
        return Err(PathError::Nul);
    }
    if semantics.expand_vars && raw.contains('$') {
        return Err(PathError::Variable);
    }
    let path: PathBuf = if semantics.expand_user && (raw == "~" || raw.starts_with("~/")) {
        let home = home.filter(|h| h.is_absolute()).ok_or(PathError::NoHome)?;
        home.join(raw[1..].trim_start_matches('/'))
    } else if semantics.expand_user && raw.starts_with('~') {
        return Err(PathError::UserHome);
    } else {
        let p = Path::new(raw);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            if !working_dir.is_absolute() {
                return Err(PathError::RelativeBase(working_dir.to_path_buf()));
            }
            working_dir.join(p)
        }
    };
    let mut steps = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(n) => steps.push(Step::Name(n.to_os_string())),
            Component::ParentDir => {
                if semantics.lexical_parent {
                    // normpath: `..` removes the name before it; at `/` it stays at `/`.
                    steps.pop();
                } else {
                    steps.push(Step::Parent);
                }
            }
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    let mut absolute = PathBuf::from("/");
    for s in &steps {
        match s {
            Step::Name(n) => absolute.push(n),
            Step::Parent => absolute.push(".."),
        }
    }
    Ok(Plan { steps, absolute })
}

/// What a name is in a directory, as [`Walk::entry`] reports it (without
/// following a final symbolic link).
#[derive(Debug)]
pub enum Entry<D> {
    /// A directory, and the walker's handle to it.
    Dir(D),
    /// A regular file.
    File,
    /// Something else that is not a directory (a device, socket, FIFO).
    Other,
    /// A symbolic link, and its target.
    Symlink(PathBuf),
    /// Nothing by that name.
    Missing,
}

/// A view of the file system for [`resolve`].
pub trait Walk {
    /// A handle to a directory (a path, a file descriptor).
    type Dir;
    /// The root directory.
    fn root(&mut self) -> Result<Self::Dir, PathError>;
    /// What `name` is in `dir` (never following a symbolic link); `at` is
    /// the physical path of `name`, for messages.
    fn entry(
        &mut self,
        dir: &Self::Dir,
        name: &OsStr,
        at: &Path,
    ) -> Result<Entry<Self::Dir>, PathError>;
}

/// What the final component of a resolved path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// An existing directory.
    Dir,
    /// An existing regular file.
    File,
    /// Something else that exists (device, socket, FIFO).
    Other,
    /// It does not exist (it, and maybe directories before it, would be created).
    Missing,
}

/// A resolved path: where the kernel would end up.
#[derive(Debug)]
pub struct Resolved<D> {
    /// The physical directories from `/` (excluded) to the deepest existing
    /// one: (name, handle). Empty when that is `/`.
    pub dirs: Vec<(OsString, D)>,
    /// The handle of `/`.
    pub root: D,
    /// The final component when it is not one of `dirs`: an existing file
    /// (or other non-directory), or the first missing name.
    pub last: Option<OsString>,
    /// Names after `last` that do not exist either (directories to create).
    pub missing_after: Vec<OsString>,
    /// What the final component is.
    pub kind: Kind,
}

impl<D> Resolved<D> {
    /// The physical absolute path.
    pub fn path(&self) -> PathBuf {
        let mut p = PathBuf::from("/");
        for (n, _) in &self.dirs {
            p.push(n);
        }
        if let Some(l) = &self.last {
            p.push(l);
        }
        for m in &self.missing_after {
            p.push(m);
        }
        p
    }

    /// The handle of the deepest existing directory.
    pub fn deepest_dir(&self) -> &D {
        self.dirs.last().map(|(_, d)| d).unwrap_or(&self.root)
    }
}

/// Walk `plan` over `walk` as the kernel would (see the module docs).
pub fn resolve<W: Walk>(plan: &Plan, walk: &mut W) -> Result<Resolved<W::Dir>, PathError> {
    let root = walk.root()?;
    let mut dirs: Vec<(OsString, W::Dir)> = Vec::new();
    let mut queue: VecDeque<Step> = plan.steps.iter().cloned().collect();
    let mut links = 0usize;
    let here = |dirs: &Vec<(OsString, W::Dir)>| -> PathBuf {
        let mut p = PathBuf::from("/");
        for (n, _) in dirs {
            p.push(n);
        }
        p
    };
    while let Some(step) = queue.pop_front() {
        let name = match step {
            Step::Parent => {
                dirs.pop();
                continue;
            }
            Step::Name(n) => n,
        };
        let at = here(&dirs).join(&name);
        let entry = {
            let dir = dirs.last().map(|(_, d)| d).unwrap_or(&root);
            walk.entry(dir, &name, &at)?
        };
        match entry {
            Entry::Dir(d) => dirs.push((name, d)),
            Entry::Symlink(target) => {
                links += 1;
                if links > MAX_SYMLINKS {
                    return Err(PathError::Loop);
                }
                if target.as_os_str().is_empty() {
                    return Err(PathError::EmptyLink(at));
                }
                if target.is_absolute() {
                    dirs.clear();
                }
                let mut spliced: Vec<Step> = Vec::new();
                for c in target.components() {
                    match c {
                        Component::Normal(n) => spliced.push(Step::Name(n.to_os_string())),
                        Component::ParentDir => spliced.push(Step::Parent),
                        Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
                    }
                }
                for s in spliced.into_iter().rev() {
                    queue.push_front(s);
                }
            }
            Entry::File | Entry::Other => {
                if !queue.is_empty() {
                    return Err(PathError::NotDirectory(at));
                }
                let kind = if matches!(entry, Entry::File) {
                    Kind::File
                } else {
                    Kind::Other
                };
                return Ok(Resolved {
                    dirs,
                    root,
                    last: Some(name),
                    missing_after: Vec::new(),
                    kind,
                });
            }
            Entry::Missing => {
                let mut missing_after = Vec::new();
                let mut at = at;
                for s in queue {
                    match s {
                        Step::Name(n) => {
                            at.push(&n);
                            missing_after.push(n);
                        }
                        Step::Parent => return Err(PathError::MissingThenParent(at)),
                    }
                }
                return Ok(Resolved {
                    dirs,
                    root,
                    last: Some(name),
                    missing_after,
                    kind: Kind::Missing,
                });
            }
        }
    }
    Ok(Resolved {
        dirs,
        root,
        last: None,
        missing_after: Vec::new(),
        kind: Kind::Dir,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// An in-memory tree: absolute path → entry.
    #[derive(Default)]
    struct Mem(HashMap<PathBuf, MemEntry>);
    enum MemEntry {
        Dir,
        File,
        Link(&'static str),
    }
    impl Mem {
        fn with(items: &[(&str, MemEntry)]) -> Mem {
            let mut m = Mem::default();
            for (p, e) in items {
                let e = match e {
                    MemEntry::Dir => MemEntry::Dir,
                    MemEntry::File => MemEntry::File,
                    MemEntry::Link(t) => MemEntry::Link(t),
                };
                m.0.insert(PathBuf::from(p), e);
            }
            m
        }
    }
    impl Walk for Mem {
        type Dir = PathBuf;
        fn root(&mut self) -> Result<PathBuf, PathError> {
            Ok(PathBuf::from("/"))
        }
        fn entry(
            &mut self,
            dir: &PathBuf,
            name: &OsStr,
            _: &Path,
        ) -> Result<Entry<PathBuf>, PathError> {
            let p = dir.join(name);
            Ok(match self.0.get(&p) {
                Some(MemEntry::Dir) => Entry::Dir(p),
                Some(MemEntry::File) => Entry::File,
                Some(MemEntry::Link(t)) => Entry::Symlink(PathBuf::from(t)),
                None => Entry::Missing,
            })
        }
    }

    fn tree() -> Mem {
        use MemEntry::*;
        Mem::with(&[
            ("/home", Dir),
            ("/home/.aws", Dir),
            ("/home/.aws/credentials", File),
            ("/w", Dir),
            ("/w/releases", Dir),
            ("/w/releases/v1", Dir),
            ("/w/current", Link("releases/v1")),
            ("/w/home", Dir),
            ("/w/home/.aws", Dir),
            ("/w/home/.aws/credentials", File),
            ("/w/abs", Link("/home")),
            ("/w/loop", Link("loop")),
            ("/w/f", File),
        ])
    }

    fn at(raw: &str, sem: Semantics) -> Result<PathBuf, PathError> {
        let p = plan(raw, sem, Path::new("/w"), Some(Path::new("/home")))?;
        Ok(resolve(&p, &mut tree())?.path())
    }

    #[test]
    fn dotdot_after_a_symlink_follows_the_opening_program() {
        // open(): the kernel applies `..` to where `current` leads.
        assert_eq!(
            at("current/../../home/.aws/credentials", Semantics::PARAM_FILE).unwrap(),
            PathBuf::from("/w/home/.aws/credentials")
        );
        // os.path.abspath: `..` is collapsed first (the finding of issue 19).
        assert_eq!(
            at(
                "current/../../home/.aws/credentials",
                Semantics::S3_TRANSFER
            )
            .unwrap(),
            PathBuf::from("/home/.aws/credentials")
        );
    }

    #[test]
    fn expansions_follow_the_program() {
        assert_eq!(
            at("~/.aws/credentials", Semantics::PARAM_FILE).unwrap(),
            PathBuf::from("/home/.aws/credentials")
        );
        // s3 paths are not expanded: `~` is a directory name.
        assert_eq!(
            at("~/x", Semantics::S3_TRANSFER).unwrap(),
            PathBuf::from("/w/~/x")
        );
        assert_eq!(
            at("$HOME/x", Semantics::S3_TRANSFER).unwrap(),
            PathBuf::from("/w/$HOME/x")
        );
        assert_eq!(
            at("$HOME/x", Semantics::PARAM_FILE),
            Err(PathError::Variable)
        );
        assert_eq!(
            at("~root/x", Semantics::PARAM_FILE),
            Err(PathError::UserHome)
        );
        assert_eq!(at("", Semantics::OPEN), Err(PathError::Empty));
        assert_eq!(at("a\0b", Semantics::OPEN), Err(PathError::Nul));
        let p = plan("~/x", Semantics::PARAM_FILE, Path::new("/w"), None);
        assert_eq!(p, Err(PathError::NoHome));
    }

    #[test]
    fn links_missing_names_and_errors() {
        assert_eq!(
            at("abs/.aws", Semantics::OPEN).unwrap(),
            PathBuf::from("/home/.aws")
        );
        assert_eq!(
            at("abs/../w/f", Semantics::OPEN).unwrap(),
            PathBuf::from("/w/f")
        );
        assert_eq!(at("loop", Semantics::OPEN), Err(PathError::Loop));
        assert!(matches!(
            at("f/x", Semantics::OPEN),
            Err(PathError::NotDirectory(_))
        ));
        assert!(matches!(
            at("new/../x", Semantics::OPEN),
            Err(PathError::MissingThenParent(_))
        ));
        let p = plan(
            "current/new/deeper/file",
            Semantics::OPEN,
            Path::new("/w"),
            None,
        )
        .unwrap();
        let r = resolve(&p, &mut tree()).unwrap();
        assert_eq!(r.kind, Kind::Missing);
        assert_eq!(r.path(), PathBuf::from("/w/releases/v1/new/deeper/file"));
        assert_eq!(r.deepest_dir(), &PathBuf::from("/w/releases/v1"));
        assert_eq!(r.missing_after.len(), 2);
        // `..` above `/` stays at `/`, in both semantics.
        assert_eq!(
            at("/../../home", Semantics::OPEN).unwrap(),
            PathBuf::from("/home")
        );
        assert_eq!(
            at("/../../home", Semantics::S3_TRANSFER).unwrap(),
            PathBuf::from("/home")
        );
        let r = resolve(
            &plan("/w", Semantics::OPEN, Path::new("/"), None).unwrap(),
            &mut tree(),
        )
        .unwrap();
        assert_eq!((r.kind, r.last.is_none()), (Kind::Dir, true));
    }
}
