//! Windows paths as text: parsing, normalizing, joining and comparing, on any OS.
//!
//! Local-file confinement must decide whether a path a command names lies
//! inside the working directory. On Windows that question has answers a POSIX
//! path library does not know, and getting one wrong lets a command out of the
//! directory. This module is the pure part of the answer, written over strings
//! so that every rule is unit-tested on Linux with Windows inputs; the
//! resolver that touches the file system ([`resolve_with`]) takes the file
//! system as a function, and the policy passes the real one on Windows.
//!
//! ## What a path is made of
//!
//! | text | [`Prefix`] | rooted |
//! |---|---|---|
//! | `C:\a\b`, `C:/a/b`, `c:\a` | `Disk('C')` | yes |
//! | `\\server\share\a`, `//server/share/a` | `Unc{server, share}` | yes |
//! | `\\?\C:\a` (verbatim) | `Disk('C')` | yes |
//! | `\\?\UNC\server\share\a` (verbatim) | `Unc{server, share}` | yes |
//! | `\a`, `/a` (root of the current drive) | none | yes |
//! | `a\b`, `.\a`, `..\a` | none | no |
//!
//! Verbatim (`\\?\`) paths are what `std::fs::canonicalize` returns on
//! Windows; they name the same files as their plain forms, so the two compare
//! equal. Refused, because what they name depends on state the policy cannot
//! see or is not a plain file: drive-relative paths (`C:a`, relative to a
//! per-drive current directory), device paths (`\\.\`, `\\?\GLOBALROOT`,
//! `\\?\Volume{…}`), reserved device names in any component (`NUL`, `CON`,
//! `COM1`, `LPT1`, … also with an extension: `nul.txt`), alternate data
//! streams (`file:stream`), characters Windows forbids in names
//! (`< > " | ? *`, control characters), and components that end in a dot or a
//! space (Win32 strips those, so `a.` and `a` would be the same file while
//! looking different).
//!
//! ## Normalizing and comparing
//!
//! Plain paths are normalized as Win32 does before the kernel sees them:
//! `/` and `\` are both separators, repeated separators collapse, `.` is
//! dropped and `..` removes the previous component (never above the root).
//! Verbatim paths are not normalized by Windows, so a `.` or `..` component in
//! one is refused rather than guessed.
//!
//! Names compare case-insensitively, as NTFS and the Win32 name space do by
//! default: each character is mapped through its simple uppercase (one
//! character to one; characters whose uppercase is longer, like `ß`, stay as
//! they are, as in NTFS's upcase table). Drive letters and UNC server and
//! share names compare the same way.
//!
//! ## Links, junctions and short names
//!
//! [`resolve_with`] walks a path one component at a time, asking the file
//! system about each prefix that exists: an existing prefix is replaced by its
//! final, canonical path (what `std::fs::canonicalize` returns on Windows,
//! following symbolic links *and* junctions, and expanding 8.3 short names
//! like `PROGRA~1`); components that do not exist yet are applied lexically,
//! since they cannot be links. A link whose target does not exist is refused
//! (a write through it would create a file wherever it points).
//!
//! Known limits: directories with per-directory case sensitivity (a WSL
//! option) are compared case-insensitively; a check-then-use race is outside
//! what a policy can prevent.

use std::fmt;

/// The part of a Windows path before its components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prefix {
    /// A drive letter (`C:`), uppercase.
    Disk(char),
    /// A network share, `\\server\share`.
    Unc {
        /// The server name, as written.
        server: String,
        /// The share name, as written.
        share: String,
    },
}

/// A parsed, normalized Windows path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WinPath {
    prefix: Option<Prefix>,
    rooted: bool,
    components: Vec<String>,
}

/// Why a text is not a path the policy can reason about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WinPathError {
    /// The text is empty.
    #[error("is empty")]
    Empty,
    /// The text holds a NUL byte.
    #[error("contains a NUL byte")]
    Nul,
    /// `C:name`: relative to the current directory of drive C, which the policy cannot know.
    #[error("is relative to the current directory of drive {0}: (write {0}:\\...)")]
    DriveRelative(char),
    /// `\\.\...`, `\\?\GLOBALROOT`, `\\?\Volume{...}` and the like.
    #[error("is a Windows device path, not a file path")]
    Device,
    /// `\\server` without a share, or `\\?\` without a drive or `UNC\server\share`.
    #[error("is an incomplete network (UNC) path: write \\\\server\\share\\...")]
    IncompleteUnc,
    /// A component is a reserved device name (`NUL`, `CON`, `COM1`, ...).
    #[error("names the Windows device {0:?}")]
    ReservedName(String),
    /// A component names an alternate data stream (`file:stream`).
    #[error("names an alternate data stream ({0:?})")]
    Stream(String),
    /// A component holds a character Windows does not allow in names.
    #[error("contains {0:?}, which Windows does not allow in file names")]
    InvalidChar(char),
    /// A component ends with a dot or a space, which Win32 strips.
    #[error("has a component ending in a dot or a space ({0:?}), which Windows would strip")]
    TrailingDotOrSpace(String),
    /// `.` or `..` in a verbatim (`\\?\`) path, which Windows does not normalize.
    #[error("has `.` or `..` in a \\\\?\\ path, which Windows does not resolve")]
    VerbatimDots,
    /// A relative path was joined to a base that is not absolute.
    #[error("cannot be resolved against a relative base")]
    RelativeBase,
    /// A link (symbolic link or junction) whose target does not exist.
    #[error("goes through a link whose target does not exist")]
    DanglingLink,
}

/// Reserved device names (with or without an extension).
const RESERVED: [&str; 6] = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

fn is_sep(c: char) -> bool {
    c == '\\' || c == '/'
}

/// The character NTFS compares `c` as: its simple uppercase.
fn fold(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Whether two names are the same name on Windows (case-insensitive).
pub fn same_name(a: &str, b: &str) -> bool {
    a.chars().map(fold).eq(b.chars().map(fold))
}

fn is_reserved(component: &str) -> bool {
    let base = component
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end_matches(' ');
    let upper: String = base.chars().map(fold).collect();
    if RESERVED.contains(&upper.as_str()) {
        return true;
    }
    // COM0-9 and LPT0-9, and the superscript digits Windows also accepts.
    let mut chars = upper.chars();
    let head: String = chars.by_ref().take(3).collect();
    let rest: Vec<char> = chars.collect();
    (head == "COM" || head == "LPT")
        && rest.len() == 1
        && (rest[0].is_ascii_digit() || matches!(rest[0], '¹' | '²' | '³'))
}

fn check_component(c: &str) -> Result<(), WinPathError> {
    if let Some(bad) = c
        .chars()
        .find(|ch| matches!(ch, '<' | '>' | '"' | '|' | '?' | '*') || (*ch as u32) < 32)
    {
        return Err(WinPathError::InvalidChar(bad));
    }
    if c.contains(':') {
        return Err(WinPathError::Stream(c.to_string()));
    }
    if c.ends_with('.') || c.ends_with(' ') {
        return Err(WinPathError::TrailingDotOrSpace(c.to_string()));
    }
    if is_reserved(c) {
        return Err(WinPathError::ReservedName(c.to_string()));
    }
    Ok(())
}

/// The text up to the first separator, and the rest (starting at it).
fn split_name(s: &str) -> (&str, &str) {
    match s.find(is_sep) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

/// Splits on both separators, dropping empty pieces.
fn pieces(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_sep).filter(|p| !p.is_empty())
}

fn drive_of(s: &str) -> Option<char> {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(d), Some(':')) if d.is_ascii_alphabetic() => Some(d.to_ascii_uppercase()),
        _ => None,
    }
}

impl WinPath {
    /// Parses and normalizes `raw` (see the module documentation).
    ///
    /// # Errors
    ///
    /// A [`WinPathError`] naming what makes `raw` unfit: drive-relative and
    /// device paths, reserved names, streams, forbidden characters, trailing
    /// dots or spaces, `.`/`..` in a verbatim path.
    pub fn parse(raw: &str) -> Result<WinPath, WinPathError> {
        if raw.is_empty() {
            return Err(WinPathError::Empty);
        }
        if raw.contains('\0') {
            return Err(WinPathError::Nul);
        }
        if let Some(rest) = raw.strip_prefix(r"\\?\") {
            return Self::parse_verbatim(rest);
        }
        if raw.starts_with(r"\\.\")
            || raw.starts_with("//./")
            || raw.starts_with("//?/")
            || raw.starts_with(r"\??\")
        {
            return Err(WinPathError::Device);
        }
        let (prefix, rooted, rest) = if raw.len() >= 2
            && raw.chars().take(2).all(is_sep)
            && !raw.chars().nth(2).is_some_and(is_sep)
        {
            let (server, after) = split_name(&raw[2..]);
            let (share, rest) = split_name(after.trim_start_matches(is_sep));
            if server.is_empty() || share.is_empty() {
                return Err(WinPathError::IncompleteUnc);
            }
            check_component(server)?;
            check_component(share)?;
            (
                Some(Prefix::Unc {
                    server: server.to_string(),
                    share: share.to_string(),
                }),
                true,
                rest,
            )
        } else if let Some(d) = drive_of(raw) {
            let rest = &raw[2..];
            if !rest.starts_with(is_sep) {
                // `C:x` and `C:` are relative to the current directory of drive C.
                return Err(WinPathError::DriveRelative(d));
            }
            (Some(Prefix::Disk(d)), true, rest)
        } else {
            (None, raw.starts_with(is_sep), raw)
        };
        let mut path = WinPath {
            prefix,
            rooted,
            components: Vec::new(),
        };
        for p in pieces(rest) {
            path.push_lexical(p)?;
        }
        Ok(path)
    }

    fn parse_verbatim(rest: &str) -> Result<WinPath, WinPathError> {
        // In a verbatim path only `\` separates, and nothing is normalized.
        let mut parts = rest.split('\\');
        let first = parts.next().unwrap_or("");
        let prefix = if let Some(d) = drive_of(first).filter(|_| first.len() == 2) {
            Prefix::Disk(d)
        } else if first.eq_ignore_ascii_case("UNC") {
            let (Some(server), Some(share)) = (parts.next(), parts.next()) else {
                return Err(WinPathError::IncompleteUnc);
            };
            if server.is_empty() || share.is_empty() {
                return Err(WinPathError::IncompleteUnc);
            }
            check_component(server)?;
            check_component(share)?;
            Prefix::Unc {
                server: server.to_string(),
                share: share.to_string(),
            }
        } else if first.is_empty() {
            return Err(WinPathError::IncompleteUnc);
        } else {
            // GLOBALROOT, Volume{GUID}, pipes and other namespaces.
            return Err(WinPathError::Device);
        };
        let mut components = Vec::new();
        for p in parts.filter(|p| !p.is_empty()) {
            if p == "." || p == ".." {
                return Err(WinPathError::VerbatimDots);
            }
            if p.contains('/') {
                return Err(WinPathError::InvalidChar('/'));
            }
            check_component(p)?;
            components.push(p.to_string());
        }
        Ok(WinPath {
            prefix: Some(prefix),
            rooted: true,
            components,
        })
    }

    /// Applies one component as Win32 would: `.` does nothing, `..` goes up
    /// (never above the root), a name is checked and appended.
    fn push_lexical(&mut self, p: &str) -> Result<(), WinPathError> {
        match p {
            "." => {}
            ".." => {
                if self.components.last().is_some_and(|l| l != "..") {
                    self.components.pop();
                } else if !self.rooted {
                    // A relative path that climbs above its start keeps its `..`s
                    // (applied when it is made absolute).
                    self.components.push("..".into());
                }
            }
            name => {
                check_component(name)?;
                self.components.push(name.to_string());
            }
        }
        Ok(())
    }

    /// The prefix (drive or share), if any.
    pub fn prefix(&self) -> Option<&Prefix> {
        self.prefix.as_ref()
    }

    /// Whether the path starts at a root (`C:\`, `\\server\share\`, or `\`).
    pub fn is_rooted(&self) -> bool {
        self.rooted
    }

    /// Whether the path names one file without any current directory: a drive
    /// or share prefix and a root.
    pub fn is_absolute(&self) -> bool {
        self.prefix.is_some() && self.rooted
    }

    /// The components after the root, normalized.
    pub fn components(&self) -> &[String] {
        &self.components
    }

    /// `self` resolved against the absolute directory `base`, as Win32 would
    /// resolve it in that current directory: an absolute path stays as it is,
    /// `\a` is taken on `base`'s drive or share, a relative path is appended
    /// and normalized.
    ///
    /// # Errors
    ///
    /// [`WinPathError::RelativeBase`] when `base` is not absolute.
    pub fn absolute_in(&self, base: &WinPath) -> Result<WinPath, WinPathError> {
        if self.is_absolute() {
            return Ok(self.clone());
        }
        if !base.is_absolute() {
            return Err(WinPathError::RelativeBase);
        }
        let mut out = WinPath {
            prefix: base.prefix.clone(),
            rooted: true,
            components: if self.rooted {
                Vec::new()
            } else {
                base.components.clone()
            },
        };
        for c in &self.components {
            out.push_lexical(c)?;
        }
        Ok(out)
    }

    /// Whether `self` is `base` or lies under it, comparing as Windows does
    /// (case-insensitive, verbatim and plain forms alike). Both must be
    /// absolute; a relative path is never inside anything.
    pub fn starts_with(&self, base: &WinPath) -> bool {
        if !self.is_absolute() || !base.is_absolute() {
            return false;
        }
        let same_prefix = match (&self.prefix, &base.prefix) {
            (Some(Prefix::Disk(a)), Some(Prefix::Disk(b))) => a == b,
            (
                Some(Prefix::Unc { server, share }),
                Some(Prefix::Unc {
                    server: s2,
                    share: sh2,
                }),
            ) => same_name(server, s2) && same_name(share, sh2),
            _ => false,
        };
        same_prefix
            && self.components.len() >= base.components.len()
            && self
                .components
                .iter()
                .zip(&base.components)
                .all(|(a, b)| same_name(a, b))
    }

    /// The path with one more component (no checks: for the resolver's walk).
    fn child(&self, name: &str) -> WinPath {
        let mut p = self.clone();
        p.components.push(name.to_string());
        p
    }

    /// The root of the path (its prefix and root, no components).
    fn root(&self) -> WinPath {
        WinPath {
            prefix: self.prefix.clone(),
            rooted: self.rooted,
            components: Vec::new(),
        }
    }

    /// The `\\?\` form, which Windows accepts for paths of any length.
    pub fn to_verbatim(&self) -> String {
        let mut s = match &self.prefix {
            Some(Prefix::Disk(d)) => format!(r"\\?\{d}:"),
            Some(Prefix::Unc { server, share }) => format!(r"\\?\UNC\{server}\{share}"),
            None => String::new(),
        };
        if self.components.is_empty() && self.rooted {
            s.push('\\');
        }
        for c in &self.components {
            s.push('\\');
            s.push_str(c);
        }
        s
    }
}

impl fmt::Display for WinPath {
    /// The plain form: `C:\a\b`, `\\server\share\a`, `\a`, `a\b`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.prefix {
            Some(Prefix::Disk(d)) => write!(f, "{d}:")?,
            Some(Prefix::Unc { server, share }) => write!(f, r"\\{server}\{share}")?,
            None => {}
        }
        if self.rooted && self.components.is_empty() {
            return f.write_str("\\");
        }
        for (i, c) in self.components.iter().enumerate() {
            if i > 0 || self.rooted {
                f.write_str("\\")?;
            }
            f.write_str(c)?;
        }
        Ok(())
    }
}

/// What the file system says about one path, for [`resolve_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Nothing exists there.
    Missing,
    /// It exists; its final path (links and junctions followed, short names
    /// expanded), as `std::fs::canonicalize` returns it.
    Exists(String),
    /// It is a link (symbolic link or junction) whose target does not exist.
    Dangling,
}

/// Resolves the absolute path `path` as the file system sees it (see the
/// module documentation): each existing prefix is replaced by what `lookup`
/// says is its final path, the rest is applied lexically.
///
/// # Errors
///
/// [`WinPathError::DanglingLink`] for a link to nothing, a parse error for a
/// final path `lookup` returns that cannot be parsed, and
/// [`WinPathError::RelativeBase`] when `path` is not absolute.
pub fn resolve_with(
    path: &WinPath,
    lookup: impl Fn(&WinPath) -> Lookup,
) -> Result<WinPath, WinPathError> {
    if !path.is_absolute() {
        return Err(WinPathError::RelativeBase);
    }
    let mut out = path.root();
    let mut exists = true;
    for name in &path.components {
        let next = out.child(name);
        out = if exists {
            match lookup(&next) {
                Lookup::Exists(real) => WinPath::parse(&real)?,
                Lookup::Dangling => return Err(WinPathError::DanglingLink),
                Lookup::Missing => {
                    exists = false;
                    next
                }
            }
        } else {
            next
        };
    }
    Ok(out)
}

/// Why a local path named by a command cannot be allowed on Windows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LocalPathError {
    /// The path is not one the policy can reason about.
    #[error(transparent)]
    Path(#[from] WinPathError),
    /// `$VAR`, `${VAR}` or `%VAR%`: the AWS CLI runs `os.path.expandvars` on
    /// `file://` paths, which on Windows expands all three forms.
    #[error("contains `{0}`, which the AWS CLI may expand as an environment variable")]
    Variable(char),
    /// `~` without a home directory to expand it to.
    #[error("starts with `~` but the home directory (USERPROFILE) is not set")]
    NoHome,
    /// `~user`, which is not resolved.
    #[error("starts with `~user`, which is not resolved")]
    OtherUsersHome,
}

/// Resolves a local path a command names, as the AWS CLI on Windows would
/// open it from `working_dir`: `~` and `~\...` / `~/...` are the home
/// directory, environment variables are refused, relative and root-relative
/// paths are taken from the working directory, and the result is walked
/// through the file system with `lookup` ([`resolve_with`]). The caller
/// compares the result with the working directory ([`WinPath::starts_with`]).
///
/// # Errors
///
/// A [`LocalPathError`] saying why the path cannot be allowed.
pub fn resolve_local(
    raw: &str,
    working_dir: &WinPath,
    home: Option<&WinPath>,
    lookup: impl Fn(&WinPath) -> Lookup,
) -> Result<WinPath, LocalPathError> {
    if let Some(c) = raw.chars().find(|c| matches!(c, '$' | '%')) {
        return Err(LocalPathError::Variable(c));
    }
    let path = if raw == "~" || raw.starts_with("~/") || raw.starts_with("~\\") {
        let home = home.ok_or(LocalPathError::NoHome)?;
        let rest = raw[1..].trim_start_matches(is_sep);
        if rest.is_empty() {
            home.clone()
        } else {
            WinPath::parse(rest)?.absolute_in(home)?
        }
    } else if raw.starts_with('~') {
        return Err(LocalPathError::OtherUsersHome);
    } else {
        WinPath::parse(raw)?.absolute_in(working_dir)?
    };
    Ok(resolve_with(&path, lookup)?)
}

/// What the real file system says about `path` (Windows only): missing,
/// existing with its final path (`std::fs::canonicalize`, which follows
/// symbolic links and junctions and expands short names), or a link whose
/// target is missing.
#[cfg(windows)]
pub fn fs_lookup(path: &WinPath) -> Lookup {
    let native = std::path::PathBuf::from(path.to_verbatim());
    if std::fs::symlink_metadata(&native).is_err() {
        return Lookup::Missing;
    }
    match std::fs::canonicalize(&native) {
        Ok(real) => match real.to_str() {
            Some(s) => Lookup::Exists(s.to_string()),
            // Not valid Unicode: cannot be compared, so treat it as unusable.
            None => Lookup::Dangling,
        },
        Err(_) => Lookup::Dangling,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> WinPath {
        WinPath::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn err(s: &str) -> WinPathError {
        WinPath::parse(s).expect_err(s)
    }

    #[test]
    fn drive_letters_both_separators_and_normalization() {
        let a = p(r"c:\Users\alice\work");
        assert_eq!(a.prefix(), Some(&Prefix::Disk('C')));
        assert!(a.is_absolute());
        assert_eq!(a.to_string(), r"C:\Users\alice\work");
        assert_eq!(
            p("C:/Users//alice/./work/").to_string(),
            r"C:\Users\alice\work"
        );
        assert_eq!(
            p(r"C:\a\b\..\..\..\c").to_string(),
            r"C:\c",
            "never above the root"
        );
        assert_eq!(p(r"C:\").to_string(), r"C:\");
    }

    #[test]
    fn unc_and_verbatim_forms_are_the_same_paths() {
        let unc = p(r"\\fileserver\team\docs\a.txt");
        assert_eq!(
            unc.prefix(),
            Some(&Prefix::Unc {
                server: "fileserver".into(),
                share: "team".into()
            })
        );
        assert_eq!(unc.components(), ["docs", "a.txt"]);
        assert_eq!(p("//fileserver/team/docs/a.txt"), unc);
        assert_eq!(p(r"\\?\UNC\fileserver\team\docs\a.txt"), unc);
        assert_eq!(p(r"\\?\C:\work\x"), p(r"C:\work\x"));
        assert_eq!(p(r"\\?\C:\work\x").to_verbatim(), r"\\?\C:\work\x");
        assert_eq!(unc.to_verbatim(), r"\\?\UNC\fileserver\team\docs\a.txt");
        assert_eq!(unc.to_string(), r"\\fileserver\team\docs\a.txt");
        // `..` cannot climb out of a share.
        assert_eq!(p(r"\\srv\share\..\..\x"), p(r"\\srv\share\x"));
        // The share's name may repeat the server's.
        assert_eq!(p(r"\\data\data\x").components(), ["x"]);
    }

    #[test]
    fn refused_forms_say_why() {
        assert_eq!(err(""), WinPathError::Empty);
        assert_eq!(err("a\0b"), WinPathError::Nul);
        assert_eq!(err(r"C:secret.txt"), WinPathError::DriveRelative('C'));
        assert_eq!(err("d:"), WinPathError::DriveRelative('D'));
        assert_eq!(err(r"\\.\C:\x"), WinPathError::Device);
        assert_eq!(err(r"\\.\PhysicalDrive0"), WinPathError::Device);
        assert_eq!(
            err(r"\\?\GLOBALROOT\Device\HarddiskVolume1\x"),
            WinPathError::Device
        );
        assert_eq!(
            err(r"\\?\Volume{00000000-0000-0000-0000-000000000000}\x"),
            WinPathError::Device
        );
        assert_eq!(err(r"\??\C:\x"), WinPathError::Device);
        assert_eq!(err(r"\\server"), WinPathError::IncompleteUnc);
        assert_eq!(err(r"\\?\UNC\server"), WinPathError::IncompleteUnc);
        assert_eq!(err(r"\\?\C:\a\..\b"), WinPathError::VerbatimDots);
        assert_eq!(err(r"\\?\C:\a\.\b"), WinPathError::VerbatimDots);
        assert_eq!(
            err(r"C:\work\a.txt:hidden"),
            WinPathError::Stream("a.txt:hidden".into())
        );
        assert_eq!(err(r"C:\work\a*.txt"), WinPathError::InvalidChar('*'));
        assert_eq!(err("C:\\work\\a\u{1}"), WinPathError::InvalidChar('\u{1}'));
        assert_eq!(
            err(r"C:\work\x."),
            WinPathError::TrailingDotOrSpace("x.".into())
        );
        assert_eq!(
            err(r"C:\work\x \y"),
            WinPathError::TrailingDotOrSpace("x ".into())
        );
        assert_eq!(
            err(r"C:\work\..."),
            WinPathError::TrailingDotOrSpace("...".into())
        );
    }

    #[test]
    fn reserved_device_names_in_any_case_and_with_extensions() {
        for name in [
            "NUL",
            "nul",
            "Con",
            "aux.txt",
            "prn.tar.gz",
            "COM1",
            "com9.log",
            "LPT3",
            "lpt¹",
            "CONIN$",
            "conout$",
            "nul .txt",
        ] {
            assert_eq!(
                err(&format!(r"C:\work\{name}")),
                WinPathError::ReservedName(name.into()),
                "{name}"
            );
        }
        for fine in [
            "nullable",
            "console.log",
            "COM10",
            "LPT",
            "auxiliary",
            "com",
        ] {
            assert!(
                WinPath::parse(&format!(r"C:\work\{fine}")).is_ok(),
                "{fine}"
            );
        }
    }

    #[test]
    fn comparison_is_case_insensitive_like_ntfs() {
        let work = p(r"C:\Users\Alice\Work");
        assert!(p(r"c:\users\alice\work\report.CSV").starts_with(&work));
        assert!(p(r"\\?\C:\USERS\ALICE\WORK").starts_with(&work));
        assert!(p(r"C:\Users\Ålice\work").starts_with(&p(r"c:\users\åLICE")));
        assert!(
            !p(r"C:\Users\Alice\Workshop\x").starts_with(&work),
            "a prefix of a name is not a parent"
        );
        assert!(
            !p(r"D:\Users\Alice\Work\x").starts_with(&work),
            "another drive"
        );
        assert!(!p(r"C:\Users\Alice").starts_with(&work));
        assert!(
            !p(r"Users\Alice\Work\x").starts_with(&work),
            "relative is never inside"
        );
        let share = p(r"\\Server\Share\work");
        assert!(p(r"\\?\UNC\SERVER\share\Work\x").starts_with(&share));
        assert!(!p(r"\\server\other\work\x").starts_with(&share));
        assert!(!p(r"C:\work").starts_with(&share));
        // `ß` has no one-character uppercase: NTFS leaves it, and so do we.
        assert!(same_name("straße", "STRAßE"));
        assert!(!same_name("straße", "STRASSE"));
    }

    #[test]
    fn relative_and_root_relative_paths_resolve_in_the_working_directory() {
        let work = p(r"\\?\C:\Users\alice\work");
        assert_eq!(
            p(r"a\b.txt").absolute_in(&work).unwrap(),
            p(r"C:\Users\alice\work\a\b.txt")
        );
        assert_eq!(
            p("./a/../b").absolute_in(&work).unwrap(),
            p(r"C:\Users\alice\work\b")
        );
        let up = p(r"..\..\bob\secret").absolute_in(&work).unwrap();
        assert_eq!(up, p(r"C:\Users\bob\secret"));
        assert!(!up.starts_with(&work));
        assert_eq!(
            p(r"\Windows\x").absolute_in(&work).unwrap(),
            p(r"C:\Windows\x")
        );
        assert_eq!(p(r"D:\x").absolute_in(&work).unwrap(), p(r"D:\x"));
        let share = p(r"\\srv\share\work");
        assert_eq!(p(r"\x").absolute_in(&share).unwrap(), p(r"\\srv\share\x"));
        assert_eq!(
            p("x").absolute_in(&p("rel")),
            Err(WinPathError::RelativeBase)
        );
    }

    /// A model of an NTFS volume for the walk: existing paths and their final
    /// paths, with a junction and a symbolic link.
    fn volume(path: &WinPath) -> Lookup {
        let s = path.to_string().to_uppercase();
        let real = match s.as_str() {
            r"C:\USERS" => r"\\?\C:\Users",
            r"C:\USERS\ALICE" => r"\\?\C:\Users\alice",
            r"C:\USERS\ALICE\WORK" => r"\\?\C:\Users\alice\work",
            r"C:\USERS\ALICE\WORK\DATA" => r"\\?\C:\Users\alice\work\data",
            // A junction inside the working directory pointing out of it.
            r"C:\USERS\ALICE\WORK\OUT" => r"\\?\C:\Users\alice\secrets",
            r"C:\USERS\ALICE\SECRETS" => r"\\?\C:\Users\alice\secrets",
            // A symbolic link pointing back in, through a share.
            r"C:\USERS\ALICE\WORK\SHARED" => r"\\?\UNC\srv\team\drop",
            r"\\SRV\TEAM\DROP" => r"\\?\UNC\srv\team\drop",
            // An 8.3 short name of the working directory.
            r"C:\USERS\ALICE~1" => r"\\?\C:\Users\alice",
            r"C:\USERS\ALICE\WORK\BROKEN" => return Lookup::Dangling,
            _ => return Lookup::Missing,
        };
        Lookup::Exists(real.into())
    }

    #[test]
    fn the_walk_follows_junctions_links_and_short_names() {
        let work = p(r"\\?\C:\Users\alice\work");
        let resolve = |raw: &str| {
            let abs = p(raw).absolute_in(&work)?;
            resolve_with(&abs, volume)
        };
        let inside = resolve(r"data\new\file.txt").unwrap();
        assert_eq!(inside.to_string(), r"C:\Users\alice\work\data\new\file.txt");
        assert!(inside.starts_with(&work));
        let out = resolve(r"out\id_rsa").unwrap();
        assert_eq!(out.to_string(), r"C:\Users\alice\secrets\id_rsa");
        assert!(
            !out.starts_with(&work),
            "a junction out of the working directory"
        );
        let share = resolve(r"SHARED\x").unwrap();
        assert!(!share.starts_with(&work));
        assert!(share.starts_with(&p(r"\\srv\team")));
        let short = resolve(r"C:\USERS\ALICE~1\work\report.csv").unwrap();
        assert!(short.starts_with(&work), "{short}");
        assert_eq!(resolve(r"broken\x"), Err(WinPathError::DanglingLink));
        // `..` is applied before the walk, as Win32 does.
        let back = resolve(r"out\..\data\x").unwrap();
        assert!(back.starts_with(&work));
    }

    #[test]
    fn local_paths_as_the_cli_on_windows_opens_them() {
        let work = p(r"\\?\C:\Users\alice\work");
        let home = p(r"C:\Users\alice");
        let resolve = |raw: &str| resolve_local(raw, &work, Some(&home), volume);
        assert!(resolve(r"data\x.json").unwrap().starts_with(&work));
        assert!(resolve(r"C:\Users\Alice\WORK\data\x.json")
            .unwrap()
            .starts_with(&work));
        assert!(!resolve(r"~\.aws\credentials").unwrap().starts_with(&work));
        assert_eq!(resolve("~").unwrap(), home);
        assert!(resolve("~/work/a").unwrap().starts_with(&work));
        for var in [
            r"%USERPROFILE%\.aws\credentials",
            r"$HOME\x",
            r"${HOME}\x",
            r"work\%TEMP%",
        ] {
            assert!(
                matches!(resolve(var), Err(LocalPathError::Variable(_))),
                "{var}"
            );
        }
        assert_eq!(resolve(r"~bob\x"), Err(LocalPathError::OtherUsersHome));
        assert_eq!(
            resolve_local("~", &work, None, volume),
            Err(LocalPathError::NoHome)
        );
        assert_eq!(
            resolve(r"C:relative"),
            Err(LocalPathError::Path(WinPathError::DriveRelative('C')))
        );
        assert_eq!(
            resolve(r"out\..\..\secrets\x").map(|r| r.starts_with(&work)),
            Ok(false)
        );
        assert_eq!(
            resolve(r"broken\x"),
            Err(LocalPathError::Path(WinPathError::DanglingLink))
        );
    }
}
