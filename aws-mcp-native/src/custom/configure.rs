//! `aws configure get` and `aws configure set`, run natively.
//!
//! They read and edit the AWS CLI's own configuration files: the config
//! file (`AWS_CONFIG_FILE`, else `~/.aws/config`) and the shared
//! credentials file (`AWS_SHARED_CREDENTIALS_FILE`, else
//! `~/.aws/credentials`). Everything that decides what is read or written
//! is pure and reproduces awscli:
//!
//! * [`parse_ini`]: Python's `configparser.RawConfigParser` as botocore's
//!   `raw_config_parse` uses it (`=`/`:` delimiters, whole-line `#`/`;`
//!   comments, indented continuation lines, lower-cased option names,
//!   `[DEFAULT]` inherited, strict duplicates), with botocore's nested
//!   values (`s3 =` followed by indented `key = value` lines);
//! * [`FullConfig::load`]: botocore's `Session.full_config` (`[profile x]`
//!   and `[default]` sections as profiles, the credentials file's sections
//!   merged into them, other sections such as `[preview]` kept by name);
//! * [`get`]: `configure/get.py` (plain names in the profile in use, dotted
//!   names `default.region`, `profile.x.region`, `x.region` for a known
//!   profile, `s3.max_concurrent_requests`, `preview.cloudsearch`);
//! * [`set_target`] and [`update_config`]: `configure/set.py` and
//!   `configure/writer.py` (the section `[default]`, `[profile x]` or the
//!   credentials file's `[x]` for keys and tokens; the writer's line edits,
//!   which keep every other line, comment and quirk of the file as it was).
//!
//! AWS CLI v1 and v2 differ where their sources do: v2 reads `AWS_PROFILE`
//! before `AWS_DEFAULT_PROFILE`, takes `plugins` as its only predefined
//! section (by substring, as its code does) and writes
//! `aws_security_token` to the config file.
//!
//! The files are opened through [`crate::files`] (directory handles, no
//! check-then-open by path). They are the executor's configuration, not
//! files the command names, so they are not confined to the working
//! directory; what may run is the policy's to say (it lets `configure get`
//! read only settings that are not secrets, and refuses `configure set`).
//! A new file is written to a temporary file (mode 0600 as awscli creates
//! it) renamed into place; an existing one likewise, keeping its mode; a
//! configuration file that is a symbolic link is rewritten where it points,
//! as awscli's `open(path, 'w')` does.

use std::io::{Read, Write};

use aws_mcp_core::localpath::Semantics;
use aws_mcp_core::policy::FileAccess;
use aws_mcp_core::{Dialect, ExecOptions, ValidatedCommand};

use crate::files::{self, Confinement};
use crate::s3::Printed;
use crate::{NativeError, NativeExecutor};

/// The largest configuration file read (1 MiB).
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Whether this `configure` command is reproduced here.
///
/// # Errors
/// Why not: another subcommand, or a use awscli answers with a traceback
/// or a validation error of its own.
pub(crate) fn support(command: &ValidatedCommand) -> Result<(), String> {
    let op = command.operation();
    if !matches!(op, "get" | "set") {
        return Err(format!("`configure {op}` is left to the AWS CLI"));
    }
    let varname = arg(command, "varname").unwrap_or_default();
    let parts: Vec<&str> = varname.split('.').collect();
    if varname.contains('.') && parts[0] == "profile" && parts.len() < 3 {
        return Err(format!(
            "`configure {op} {varname}` names no setting (awscli fails on it)"
        ));
    }
    if op == "set" {
        let value = arg(command, "value").unwrap_or_default();
        if [varname.as_str(), value.as_str()]
            .iter()
            .any(|s| s.contains(['\n', '\r']))
        {
            return Err("a setting with a line break is left to the AWS CLI".into());
        }
    }
    for var in ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"] {
        if let Some(p) = std::env::var_os(var) {
            let p = p.to_string_lossy();
            if p.contains('$') || (p.starts_with('~') && p != "~" && !p.starts_with("~/")) {
                return Err(format!(
                    "{var} needs shell expansion the native executor does not do"
                ));
            }
        }
    }
    Ok(())
}

/// The value of the positional argument `name`.
fn arg(command: &ValidatedCommand, name: &str) -> Option<String> {
    command
        .args()
        .iter()
        .find(|a| a.name == name)
        .and_then(|a| a.values.first().cloned())
}

/// Run `configure get` or `configure set`.
pub(crate) async fn run(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    _options: &ExecOptions,
) -> Result<Printed, NativeError> {
    let dialect = ex.cli.dialect;
    let profile = profile_in_use(command, ex, dialect, |k| {
        std::env::var_os(k).map(|v| v.to_string_lossy().into_owned())
    });
    let conf = Confinement {
        working_dir: ex.files.working_dir().into(),
        home: ex.files.home().map(Into::into),
        access: FileAccess::Unrestricted,
    };
    let config_path = config_path_of(&conf, "AWS_CONFIG_FILE", "~/.aws/config");
    let creds_path = config_path_of(&conf, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials");
    let varname = arg(command, "varname").unwrap_or_default();
    // The AWS CLI loads both files before any command runs.
    let config = read_config(&conf, &config_path);
    let creds = read_config(&conf, &creds_path);
    let full = match FullConfig::load(config.as_deref(), creds.as_deref()) {
        Ok(f) => f,
        Err(in_creds) => {
            let p = if in_creds { &creds_path } else { &config_path };
            return Ok(match dialect {
                // v1 fails with a traceback ending in botocore's exception.
                Dialect::V1 => failed(
                    1,
                    format!(
                        "botocore.exceptions.ConfigParseError: Unable to parse config file: {p}\n"
                    ),
                ),
                _ => failed(255, format!("\nUnable to parse config file: {p}\n")),
            });
        }
    };
    match command.operation() {
        "get" => Ok(match get(&full, &varname, profile.as_deref(), dialect) {
            Got::Text(v) => printed(0, format!("{v}\n"), String::new()),
            Got::Section => printed(
                1,
                String::new(),
                format!(
                    "varname ({varname}) must reference a value, not a section or sub-section."
                ),
            ),
            Got::Missing => printed(1, String::new(), String::new()),
            Got::ProfileNotFound(p) => failed(
                255,
                format!("\nThe config profile ({p}) could not be found\n"),
            ),
        }),
        "set" => {
            let value = arg(command, "value").unwrap_or_default();
            let t = set_target(&varname, &value, profile.as_deref(), dialect);
            let path = if t.credentials {
                &creds_path
            } else {
                &config_path
            };
            write_config(&conf, path, &t)?;
            Ok(printed(0, String::new(), String::new()))
        }
        other => Err(NativeError::Unsupported(format!(
            "`configure {other}` is left to the AWS CLI"
        ))),
    }
}

fn printed(code: i32, out: String, err: String) -> Printed {
    Printed {
        code,
        out_total: out.len() as u64,
        err_total: err.len() as u64,
        out,
        err,
    }
}

/// An error awscli prints from its main loop (`\n<message>\n`, exit 255).
fn failed(code: i32, err: String) -> Printed {
    printed(code, String::new(), err)
}

/// The profile awscli's session uses: `--profile`, the executor's default
/// profile, then the environment in the dialect's order (v1:
/// `AWS_DEFAULT_PROFILE` first, v2: `AWS_PROFILE` first).
fn profile_in_use(
    command: &ValidatedCommand,
    ex: &NativeExecutor,
    dialect: Dialect,
    env: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let order = match dialect {
        Dialect::V1 => ["AWS_DEFAULT_PROFILE", "AWS_PROFILE"],
        _ => ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"],
    };
    command
        .globals()
        .profile
        .clone()
        .or_else(|| ex.default_profile.clone())
        .or_else(|| order.iter().find_map(|k| env(k)))
}

/// The configuration file named by `var`, else `default`, `~` expanded.
fn config_path_of(conf: &Confinement, var: &str, default: &str) -> String {
    let raw = std::env::var_os(var)
        .map(|v| v.to_string_lossy().into_owned())
        .unwrap_or_else(|| default.to_string());
    expand_user(&raw, conf.home.as_deref())
}

/// Python's `os.path.expanduser` for `~` and `~/...` (other forms are left
/// to the AWS CLI by [`support`]).
fn expand_user(raw: &str, home: Option<&std::path::Path>) -> String {
    match home.map(|h| h.to_string_lossy().into_owned()) {
        Some(h) if raw == "~" => h,
        Some(h) if raw.starts_with("~/") => {
            format!("{}/{}", h.trim_end_matches('/'), &raw[2..])
        }
        _ => raw.to_string(),
    }
}

/// A configuration file's text, `None` when there is no regular file
/// (botocore's `ConfigNotFound`). A file that cannot be read or decoded is
/// empty, as `configparser.read` skips files it cannot open.
fn read_config(conf: &Confinement, path: &str) -> Option<String> {
    match files::stat(path, Semantics::OPEN, conf) {
        Ok(Some(m)) if !m.is_dir && !m.is_special => {}
        _ => return None,
    }
    let Ok(f) = files::open_read(path, Semantics::OPEN, conf) else {
        return Some(String::new());
    };
    let mut buf = Vec::new();
    if f.take(MAX_CONFIG_BYTES).read_to_end(&mut buf).is_err() {
        return Some(String::new());
    }
    Some(String::from_utf8(buf).unwrap_or_default())
}

/// awscli's EMR `configutils.update_roles` (`emr create-default-roles`):
/// unless the profile in use already names `instance_profile` or
/// `service_role` under `emr`, write each of `settings` into its section of
/// the config file (`[default]`, or `[profile x]` for a named profile, even
/// `default`), nested under `emr`, one at a time as `ConfigWriter` does.
///
/// # Errors
/// A config file that cannot be read, parsed or written.
pub(crate) fn update_emr_roles(
    ex: &NativeExecutor,
    command: &ValidatedCommand,
    settings: &[(&str, &str)],
) -> Result<(), NativeError> {
    let profile = profile_in_use(command, ex, ex.cli.dialect, |k| {
        std::env::var_os(k).map(|v| v.to_string_lossy().into_owned())
    });
    let conf = Confinement {
        working_dir: ex.files.working_dir().into(),
        home: ex.files.home().map(Into::into),
        access: FileAccess::Unrestricted,
    };
    let config_path = config_path_of(&conf, "AWS_CONFIG_FILE", "~/.aws/config");
    let creds_path = config_path_of(&conf, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials");
    let full = FullConfig::load(
        read_config(&conf, &config_path).as_deref(),
        read_config(&conf, &creds_path).as_deref(),
    )
    .map_err(|in_creds| {
        let p = if in_creds { &creds_path } else { &config_path };
        NativeError::Config(format!("Unable to parse config file: {p}"))
    })?;
    let scoped = full.profile(profile.as_deref().unwrap_or("default"));
    // `'instance_profile' in parsed_configs`: a key of the nested block,
    // or a substring of a plain value.
    let configured = match lookup(scoped, "emr") {
        Some(IniValue::Nested(n)) => n
            .iter()
            .any(|(k, _)| k == "instance_profile" || k == "service_role"),
        Some(IniValue::Text(t)) => t.contains("instance_profile") || t.contains("service_role"),
        None => false,
    };
    if configured {
        return Ok(());
    }
    let section = match &profile {
        None => "default".to_string(),
        Some(p) => format!("profile {p}"),
    };
    for (key, value) in settings {
        let t = SetTarget {
            credentials: false,
            section: section.clone(),
            key: "emr".into(),
            value: SetValue::Nested((*key).to_string(), (*value).to_string()),
        };
        write_config(&conf, &config_path, &t)?;
    }
    Ok(())
}

/// Write the setting `t` into the file at `path` as awscli's writer does.
fn write_config(conf: &Confinement, path: &str, t: &SetTarget) -> Result<(), NativeError> {
    let ferr = |e: files::FileError| NativeError::File(e.python(path));
    let existing = match files::stat(path, Semantics::OPEN, conf).map_err(ferr)? {
        Some(m) if !m.is_dir && !m.is_special => {
            let f = files::open_read(path, Semantics::OPEN, conf).map_err(ferr)?;
            let mode = {
                use std::os::unix::fs::PermissionsExt;
                f.metadata()
                    .map(|m| m.permissions().mode() & 0o7777)
                    .unwrap_or(0o600)
            };
            let mut buf = Vec::new();
            f.take(MAX_CONFIG_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|e| NativeError::File(crate::localfs::py_os_error(&e, path)))?;
            if buf.len() as u64 > MAX_CONFIG_BYTES {
                return Err(NativeError::File(format!(
                    "{path} is larger than the native executor edits ({} MiB)",
                    MAX_CONFIG_BYTES >> 20
                )));
            }
            let text = String::from_utf8(buf).map_err(|_| {
                NativeError::File(format!("{path} is not UTF-8 text; awscli cannot edit it"))
            })?;
            Some((text, mode))
        }
        Some(_) => {
            return Err(NativeError::File(format!(
                "[Errno 21] Is a directory: '{path}'"
            )))
        }
        None => None,
    };
    let new = update_config(
        existing.as_ref().map(|(t, _)| t.as_str()),
        &t.section,
        &t.key,
        &t.value,
    )
    .map_err(NativeError::File)?;
    if existing.is_some() && files::is_symlink(path, Semantics::OPEN, conf).unwrap_or(false) {
        // Rewritten where the link points, as open(path, 'w').
        let mut f = files::open_write(path, Semantics::OPEN, conf, false).map_err(ferr)?;
        return f
            .write_all(new.as_bytes())
            .map_err(|e| NativeError::File(crate::localfs::py_os_error(&e, path)));
    }
    let staged = files::create_beside(path, Semantics::OPEN, conf, true).map_err(ferr)?;
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = existing.as_ref().map(|(_, m)| *m).unwrap_or(0o600);
        staged
            .file
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| NativeError::File(crate::localfs::py_os_error(&e, path)))?;
    }
    (&staged.file)
        .write_all(new.as_bytes())
        .map_err(|e| NativeError::File(crate::localfs::py_os_error(&e, path)))?;
    staged.commit().map_err(ferr)
}

// ---------------------------------------------------------------------
// Pure parts.
// ---------------------------------------------------------------------

/// A configuration value: text, or botocore's nested block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IniValue {
    /// A plain value.
    Text(String),
    /// `key =` followed by indented `sub = value` lines.
    Nested(Vec<(String, String)>),
}

/// A section's options in file order.
pub(crate) type Options = Vec<(String, IniValue)>;

/// Sections in file order (botocore's `raw_config_parse`).
pub(crate) type RawConfig = Vec<(String, Options)>;

/// Python's universal newlines: `\r\n`, `\r` and `\n` end a line.
fn universal_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                out.push(&text[start..i]);
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < b.len() {
        out.push(&text[start..]);
    }
    out
}

/// Parse `text` as botocore's `raw_config_parse` (see the module docs).
///
/// # Errors
/// The text is not a configuration file `configparser` reads (a line
/// outside any section, a line that is no option, a duplicate section or
/// option, a nested block line without `=`).
pub(crate) fn parse_ini(text: &str) -> Result<RawConfig, String> {
    /// Where options go: a named section (its index) or `[DEFAULT]`.
    #[derive(Clone, Copy, PartialEq)]
    enum Cur {
        Section(usize),
        Defaults,
    }
    /// Options with their lines, before they are joined.
    type Lines = Vec<(String, Vec<String>)>;
    let mut sections: Vec<(String, Lines)> = Vec::new();
    let mut defaults: Lines = Vec::new();
    let mut cur: Option<Cur> = None;
    let mut optname: Option<String> = None;
    let mut indent_level = 0usize;
    let mut error: Option<String> = None;
    for (n, line) in universal_lines(text).into_iter().enumerate() {
        let lineno = n + 1;
        let stripped = line.trim();
        let comment = stripped.starts_with('#') || stripped.starts_with(';');
        let value = if comment { "" } else { stripped };
        if value.is_empty() {
            if !comment {
                if let (Some(c), Some(o)) = (cur, optname.as_deref().filter(|o| !o.is_empty())) {
                    let list = match c {
                        Cur::Section(i) => &mut sections[i].1,
                        Cur::Defaults => &mut defaults,
                    };
                    if let Some((_, v)) = list.iter_mut().find(|(k, _)| k == o) {
                        v.push(String::new());
                    }
                }
            }
            continue;
        }
        let cur_indent = line
            .char_indices()
            .find(|(_, c)| !c.is_whitespace())
            .map(|(i, _)| line[..i].chars().count())
            .unwrap_or(0);
        if let (Some(c), Some(o)) = (cur, optname.as_deref().filter(|o| !o.is_empty())) {
            if cur_indent > indent_level {
                let list = match c {
                    Cur::Section(i) => &mut sections[i].1,
                    Cur::Defaults => &mut defaults,
                };
                if let Some((_, v)) = list.iter_mut().find(|(k, _)| k == o) {
                    v.push(value.to_string());
                }
                continue;
            }
        }
        indent_level = cur_indent;
        if let Some(header) = section_header(value) {
            if header == "DEFAULT" {
                cur = Some(Cur::Defaults);
            } else if sections.iter().any(|(s, _)| s == header) {
                return Err(format!(
                    "While reading from '<file>' [line {lineno:2}]: section '{header}' already exists"
                ));
            } else {
                sections.push((header.to_string(), Vec::new()));
                cur = Some(Cur::Section(sections.len() - 1));
            }
            optname = None;
            continue;
        }
        let Some(c) = cur else {
            return Err(format!(
                "File contains no section headers. [line {lineno:2}]: {line:?}"
            ));
        };
        match value.find(['=', ':']) {
            Some(d) => {
                let name = value[..d].trim_end().to_lowercase();
                if name.is_empty() {
                    error.get_or_insert_with(|| {
                        format!("Source contains parsing errors: [line {lineno:2}]: {line:?}")
                    });
                }
                let v = value[d + 1..].trim().to_string();
                let list = match c {
                    Cur::Section(i) => &mut sections[i].1,
                    Cur::Defaults => &mut defaults,
                };
                if list.iter().any(|(k, _)| *k == name) {
                    return Err(format!(
                        "While reading from '<file>' [line {lineno:2}]: option '{name}' already exists"
                    ));
                }
                list.push((name.clone(), vec![v]));
                optname = Some(name);
            }
            None => {
                error.get_or_insert_with(|| {
                    format!("Source contains parsing errors: [line {lineno:2}]: {line:?}")
                });
            }
        }
    }
    if let Some(e) = error {
        return Err(e);
    }
    let join = |v: &[String]| v.join("\n").trim_end().to_string();
    let defaults: Vec<(String, String)> =
        defaults.iter().map(|(k, v)| (k.clone(), join(v))).collect();
    let mut out = Vec::new();
    for (name, opts) in &sections {
        let mut merged: Vec<(String, String)> =
            opts.iter().map(|(k, v)| (k.clone(), join(v))).collect();
        for (k, v) in &defaults {
            if !merged.iter().any(|(m, _)| m == k) {
                merged.push((k.clone(), v.clone()));
            }
        }
        let mut values = Vec::new();
        for (k, v) in merged {
            let value = if v.starts_with('\n') {
                IniValue::Nested(parse_nested(&v)?)
            } else {
                IniValue::Text(v)
            };
            values.push((k, value));
        }
        out.push((name.clone(), values));
    }
    Ok(out)
}

/// `configparser`'s section header: `[` then everything up to the last `]`.
fn section_header(value: &str) -> Option<&str> {
    let rest = value.strip_prefix('[')?;
    let end = rest.rfind(']')?;
    (end > 0).then(|| &rest[..end])
}

/// botocore's `_parse_nested`: `key = value` lines, blank ones skipped.
fn parse_nested(value: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in value.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .ok_or_else(|| format!("not enough values to unpack: {line:?}"))?;
        let (k, v) = (k.trim().to_string(), v.trim().to_string());
        match out.iter_mut().find(|(o, _)| *o == k) {
            Some(e) => e.1 = v,
            None => out.push((k, v)),
        }
    }
    Ok(out)
}

/// POSIX `shlex.split` of a section name (`None` for unbalanced quotes).
fn shlex_split(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => cur.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`' | '\n') => cur.push(c),
                            c => {
                                cur.push('\\');
                                cur.push(c);
                            }
                        },
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.push(chars.next()?);
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Some(out)
}

/// botocore's `Session.full_config`, as far as `configure get` reads it.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct FullConfig {
    /// Profiles by name.
    pub profiles: Vec<(String, Options)>,
    /// Sections that are not profiles (`[preview]`, `[plugins]`).
    pub sections: Vec<(String, Options)>,
}

impl FullConfig {
    /// The configuration from the config file's and the credentials file's
    /// texts (`None`: no such file).
    ///
    /// # Errors
    /// `Err(false)`: the config file does not parse; `Err(true)`: the
    /// credentials file does not.
    pub(crate) fn load(config: Option<&str>, creds: Option<&str>) -> Result<FullConfig, bool> {
        let mut full = FullConfig::default();
        if let Some(text) = config {
            let raw = parse_ini(text).map_err(|_| false)?;
            for (name, values) in raw {
                if name.starts_with("profile") {
                    if let Some(parts) = shlex_split(&name).filter(|p| p.len() == 2) {
                        put(&mut full.profiles, &parts[1], values);
                    }
                } else if name.starts_with("sso-session") || name.starts_with("services") {
                    // Not read by `configure get`.
                } else if name == "default" {
                    put(&mut full.profiles, &name, values);
                } else {
                    put(&mut full.sections, &name, values);
                }
            }
        }
        if let Some(text) = creds {
            for (name, values) in parse_ini(text).map_err(|_| true)? {
                match full.profiles.iter_mut().find(|(p, _)| *p == name) {
                    Some((_, existing)) => {
                        for (k, v) in values {
                            match existing.iter_mut().find(|(e, _)| *e == k) {
                                Some(e) => e.1 = v,
                                None => existing.push((k, v)),
                            }
                        }
                    }
                    None => full.profiles.push((name, values)),
                }
            }
        }
        Ok(full)
    }

    fn profile(&self, name: &str) -> Option<&Options> {
        self.profiles
            .iter()
            .find(|(p, _)| p == name)
            .map(|(_, o)| o)
    }

    fn section(&self, name: &str) -> Option<&Options> {
        self.sections
            .iter()
            .find(|(p, _)| p == name)
            .map(|(_, o)| o)
    }
}

/// Insert or replace `name` in a by-name list (a Python dict's assignment).
fn put(list: &mut Vec<(String, Options)>, name: &str, values: Options) {
    match list.iter_mut().find(|(n, _)| n == name) {
        Some(e) => e.1 = values,
        None => list.push((name.to_string(), values)),
    }
}

fn lookup<'a>(opts: Option<&'a Options>, key: &str) -> Option<&'a IniValue> {
    opts?.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// What `configure get` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Got {
    /// A value (printed with a newline, exit 0).
    Text(String),
    /// A nested block (an error, exit 1).
    Section,
    /// Nothing (exit 1, nothing printed).
    Missing,
    /// The profile in use does not exist (exit 255).
    ProfileNotFound(String),
}

/// awscli's predefined sections: v1 `('preview', 'plugins')`; v2's is the
/// string `'plugins'`, which its `in` tests by substring.
fn predefined(name: &str, dialect: Dialect) -> bool {
    match dialect {
        Dialect::V1 => matches!(name, "preview" | "plugins"),
        _ => "plugins".contains(name),
    }
}

/// `configure get varname` over `full` with `profile` in use (`None`:
/// none named), as awscli's `ConfigureGetCommand`.
pub(crate) fn get(
    full: &FullConfig,
    varname: &str,
    profile: Option<&str>,
    dialect: Dialect,
) -> Got {
    let as_got = |v: Option<&IniValue>| match v {
        Some(IniValue::Text(t)) => Got::Text(t.clone()),
        Some(IniValue::Nested(_)) => Got::Section,
        None => Got::Missing,
    };
    if !varname.contains('.') {
        let scoped = match profile {
            None => full.profile("default"),
            Some(p) => match full.profile(p) {
                Some(o) => Some(o),
                None => return Got::ProfileNotFound(p.to_string()),
            },
        };
        return as_got(lookup(scoped, varname));
    }
    let parts: Vec<&str> = varname.split('.').collect();
    if parts.len() == 2 && predefined(parts[0], dialect) {
        let v = lookup(full.section(parts[0]), parts[1])
            .or_else(|| lookup(full.profile(parts[0]), parts[1]));
        return as_got(v);
    }
    let (profile_name, config_name, remaining) = if parts[0] == "profile" {
        (parts[1].to_string(), parts[2], &parts[3..])
    } else if parts[0] == "default" || full.profile(parts[0]).is_some() {
        (parts[0].to_string(), parts[1], &parts[2..])
    } else {
        (
            profile.unwrap_or("default").to_string(),
            parts[0],
            &parts[1..],
        )
    };
    let value = lookup(full.profile(&profile_name), config_name);
    if remaining.len() == 1 {
        return match value {
            Some(IniValue::Nested(n)) => n
                .iter()
                .find(|(k, _)| k == remaining[0])
                .map_or(Got::Missing, |(_, v)| Got::Text(v.clone())),
            _ => Got::Missing,
        };
    }
    as_got(value)
}

/// A value `configure set` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SetValue {
    /// `key = value`.
    Text(String),
    /// `key =` then `    sub = value`.
    Nested(String, String),
}

/// Where `configure set` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SetTarget {
    /// The credentials file (else the config file).
    pub credentials: bool,
    /// The section's header text (`default`, `profile x`, `preview`).
    pub section: String,
    /// The option.
    pub key: String,
    /// The value.
    pub value: SetValue,
}

/// `configure set varname value` with `profile` in use, as awscli's
/// `ConfigureSetCommand` decides it.
pub(crate) fn set_target(
    varname: &str,
    value: &str,
    profile_in_use: Option<&str>,
    dialect: Dialect,
) -> SetTarget {
    let mut profile = "default".to_string();
    let mut key = varname.to_string();
    let mut val = SetValue::Text(value.to_string());
    if !varname.contains('.') {
        if let Some(p) = profile_in_use {
            profile = p.to_string();
        }
    } else {
        let parts: Vec<&str> = varname.split('.').collect();
        if parts[0] == "default" || parts[0] == "profile" {
            let remaining = if parts[0] == "default" {
                &parts[1..]
            } else {
                profile = parts[1].to_string();
                &parts[2..]
            };
            key = remaining[0].to_string();
            if remaining.len() == 2 {
                val = SetValue::Nested(remaining[1].to_string(), value.to_string());
            }
        } else if !predefined(parts[0], dialect) {
            if let Some(p) = profile_in_use {
                profile = p.to_string();
            }
            key = parts[0].to_string();
            if parts.len() == 2 {
                val = SetValue::Nested(parts[1].to_string(), value.to_string());
            }
        } else if parts.len() == 2 {
            profile = parts[0].to_string();
            key = parts[1].to_string();
        }
    }
    let creds_keys: &[&str] = match dialect {
        Dialect::V1 => &[
            "aws_access_key_id",
            "aws_secret_access_key",
            "aws_session_token",
            "aws_security_token",
        ],
        _ => &[
            "aws_access_key_id",
            "aws_secret_access_key",
            "aws_session_token",
        ],
    };
    let credentials = creds_keys.contains(&key.as_str());
    let section = if credentials || predefined(&profile, dialect) || profile == "default" {
        profile
    } else {
        profile_to_section(&profile)
    };
    SetTarget {
        credentials,
        section,
        key,
        value: val,
    }
}

/// awscli's `profile_to_section`: `profile <name>`, the name quoted as
/// `shlex.quote` does when it has a space or tab.
fn profile_to_section(name: &str) -> String {
    if name.contains([' ', '\t']) {
        format!("profile '{}'", name.replace('\'', "'\"'\"'"))
    } else {
        format!("profile {name}")
    }
}

/// `SECTION_REGEX` (`^\s*\[([^]]+)\]`): the whole match.
fn writer_section(line: &str) -> Option<&str> {
    let start = line.len() - line.trim_start().len();
    let rest = line[start..].strip_prefix('[')?;
    let end = rest.find(']')?;
    (end > 0).then(|| &line[..start + 1 + end + 1])
}

/// `OPTION_REGEX` searched in `line`: the option group (the text before the
/// first `:` or `=` from the first character that is neither).
fn writer_option(line: &str) -> Option<&str> {
    let s = line.find(|c| c != ':' && c != '=')?;
    let d = line[s..].find([':', '='])?;
    Some(&line[s..s + d])
}

fn indent_of(option: &str) -> usize {
    option.chars().count() - option.trim_start().chars().count()
}

fn matches_section(found: &str, section: &str) -> bool {
    if found == format!("[{section}]") {
        return true;
    }
    let parts: Vec<&str> = section.split(' ').collect();
    parts.len() > 1 && found == format!("[{} \"{}\"]", parts[0], parts[1..].join(" "))
}

fn new_values(key: &str, value: &SetValue, indent: &str) -> String {
    match value {
        SetValue::Text(v) => format!("{indent}{key} = {v}\n"),
        SetValue::Nested(k, v) => format!("{indent}{key} =\n{indent}    {k} = {v}\n"),
    }
}

/// awscli's `ConfigFileWriter.update_config` for one setting: the new text
/// of the file whose text is `existing` (`None`: no file yet).
///
/// # Errors
/// Where awscli's writer fails with a Python exception (a nested setting
/// with no line after it).
pub(crate) fn update_config(
    existing: Option<&str>,
    section: &str,
    key: &str,
    value: &SetValue,
) -> Result<String, String> {
    let Some(text) = existing else {
        return Ok(format!("[{section}]\n{}", new_values(key, value, "")));
    };
    // Read in text mode: universal newlines, lines kept with their '\n'.
    let normalized = universal_lines(text).join("\n")
        + if text.ends_with(['\n', '\r']) {
            "\n"
        } else {
            ""
        };
    let mut contents: Vec<String> = normalized.split_inclusive('\n').map(String::from).collect();
    let start = contents.iter().position(|line| {
        let t = line.trim();
        !(t.starts_with('#') || t.starts_with(';'))
            && writer_section(line).is_some_and(|m| matches_section(m, section))
    });
    let Some(start) = start else {
        // A new section appended to the file as it is.
        let sep = if !text.is_empty() && !text.ends_with('\n') {
            "\n"
        } else {
            ""
        };
        return Ok(format!(
            "{text}{sep}[{section}]\n{}",
            new_values(key, value, "")
        ));
    };
    let mut last = start;
    let mut j = start + 1;
    let mut pending = true;
    while j < contents.len() {
        let line = contents[j].clone();
        if writer_section(&line).is_some() {
            if pending {
                contents.insert(last + 1, new_values(key, value, ""));
            }
            return Ok(contents.concat());
        }
        if let Some(opt) = writer_option(&line) {
            last = j;
            if pending && opt.trim() == key {
                match value {
                    SetValue::Text(v) => {
                        contents[j] = format!("{key} = {v}\n");
                        pending = false;
                    }
                    SetValue::Nested(k, v) => {
                        update_subattribute(&mut contents, j, k, v, indent_of(opt))?;
                        return Ok(contents.concat());
                    }
                }
            }
        }
        j += 1;
    }
    if pending {
        if !contents.last().is_some_and(|l| l.ends_with('\n')) {
            contents.push("\n".into());
        }
        contents.insert(last + 1, new_values(key, value, ""));
    }
    Ok(contents.concat())
}

/// awscli's `_update_subattributes` for one sub-setting.
fn update_subattribute(
    contents: &mut Vec<String>,
    index: usize,
    key: &str,
    value: &str,
    starting_indent: usize,
) -> Result<(), String> {
    let mut pending = true;
    let mut current: Option<usize> = None;
    let mut i = index + 1;
    if i >= contents.len() {
        return Err(format!(
            "awscli cannot add {key} under the last line of the file"
        ));
    }
    while i < contents.len() {
        let line = contents[i].clone();
        if let Some(opt) = writer_option(&line) {
            let indent = indent_of(opt);
            current = Some(indent);
            if pending && opt.trim() == key {
                contents[i] = format!("{}{key} = {value}\n", " ".repeat(indent));
                pending = false;
            }
        }
        let Some(cur) = current else {
            return Err(format!(
                "awscli cannot add {key} below a line that is no option"
            ));
        };
        if cur == starting_indent || writer_section(&line).is_some() {
            let text = if pending {
                format!("    {key} = {value}\n")
            } else {
                String::new()
            };
            contents.insert(i, text);
            return Ok(());
        }
        i += 1;
    }
    let last = contents.len() - 1;
    if current != Some(starting_indent) {
        let text = if pending {
            format!("    {key} = {value}\n")
        } else {
            String::new()
        };
        contents.insert(last + 1, text);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(config: &str, creds: Option<&str>) -> FullConfig {
        FullConfig::load(Some(config), creds).expect("parses")
    }

    #[test]
    fn ini_as_configparser() {
        let raw = parse_ini(
            "# c\n[default]\nRegion = us-east-1\n; x\nout: json\n\n[profile a b]\ns3 =\n  max_concurrent_requests = 20\n  addressing_style=path\nlong = one\n  two\n\n",
        )
        .unwrap();
        assert_eq!(raw[0].0, "default");
        assert_eq!(
            raw[0].1,
            vec![
                ("region".into(), IniValue::Text("us-east-1".into())),
                ("out".into(), IniValue::Text("json".into()))
            ]
        );
        assert_eq!(raw[1].0, "profile a b");
        assert_eq!(
            raw[1].1[0].1,
            IniValue::Nested(vec![
                ("max_concurrent_requests".into(), "20".into()),
                ("addressing_style".into(), "path".into())
            ])
        );
        assert_eq!(raw[1].1[1].1, IniValue::Text("one\ntwo".into()));
        // [DEFAULT] is inherited; CRLF lines read as lines.
        let raw = parse_ini("[DEFAULT]\nx = 1\r\n[s]\ny = 2\r\n").unwrap();
        assert_eq!(raw.len(), 1);
        assert_eq!(raw[0].1.len(), 2);
        for bad in [
            "region = x\n",
            "[a]\nnot an option\n",
            "[a]\n[a]\n",
            "[a]\nx=1\nX=2\n",
            "[a]\ns3 =\n  novalue\n",
        ] {
            assert!(parse_ini(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn get_reads_like_awscli() {
        let f = full(
            "[default]\nregion = us-east-1\ns3 =\n  max_concurrent_requests = 20\n[profile testing]\nregion = eu-west-1\n[profile \"x y\"]\noutput = text\n[preview]\ncloudsearch = true\n",
            Some("[default]\naws_access_key_id = AKIA\n[testing]\naws_access_key_id = AKIB\n[credsonly]\nregion = sa-east-1\n"),
        );
        let v1 = Dialect::V1;
        let t = |s: &str| Got::Text(s.into());
        assert_eq!(get(&f, "region", None, v1), t("us-east-1"));
        assert_eq!(get(&f, "region", Some("testing"), v1), t("eu-west-1"));
        assert_eq!(get(&f, "region", Some("credsonly"), v1), t("sa-east-1"));
        assert_eq!(
            get(&f, "region", Some("nope"), v1),
            Got::ProfileNotFound("nope".into())
        );
        assert_eq!(get(&f, "aws_access_key_id", None, v1), t("AKIA"));
        assert_eq!(get(&f, "default.aws_access_key_id", None, v1), t("AKIA"));
        assert_eq!(
            get(&f, "profile.testing.aws_access_key_id", None, v1),
            t("AKIB")
        );
        assert_eq!(get(&f, "testing.region", None, v1), t("eu-west-1"));
        assert_eq!(get(&f, "profile.x y.output", None, v1), t("text"));
        assert_eq!(get(&f, "s3", None, v1), Got::Section);
        assert_eq!(get(&f, "s3.max_concurrent_requests", None, v1), t("20"));
        assert_eq!(
            get(&f, "default.s3.max_concurrent_requests", None, v1),
            t("20")
        );
        assert_eq!(get(&f, "s3.nope", None, v1), Got::Missing);
        assert_eq!(get(&f, "region.x", None, v1), Got::Missing);
        assert_eq!(get(&f, "preview.cloudsearch", None, v1), t("true"));
        assert_eq!(get(&f, "preview.does-not-exist", None, v1), Got::Missing);
        // v2 has no [preview] predefined: `preview` is a profile name there.
        assert_eq!(
            get(&f, "preview.cloudsearch", None, Dialect::V2),
            Got::Missing
        );
        assert_eq!(get(&f, "output", None, v1), Got::Missing);
        // No files at all.
        let empty = FullConfig::load(None, None).unwrap();
        assert_eq!(get(&empty, "region", None, v1), Got::Missing);
        assert_eq!(FullConfig::load(Some("x"), None), Err(false));
        assert_eq!(FullConfig::load(None, Some("[a]\n[a]\n")), Err(true));
    }

    #[test]
    fn set_targets() {
        let v1 = Dialect::V1;
        let s = |v: &str, p: Option<&str>, d| {
            let t = set_target(v, "VAL", p, d);
            (t.credentials, t.section, t.key, t.value)
        };
        let txt = SetValue::Text("VAL".into());
        assert_eq!(
            s("region", None, v1),
            (false, "default".into(), "region".into(), txt.clone())
        );
        assert_eq!(
            s("region", Some("testing"), v1),
            (
                false,
                "profile testing".into(),
                "region".into(),
                txt.clone()
            )
        );
        assert_eq!(
            s("aws_access_key_id", Some("testing"), v1),
            (
                true,
                "testing".into(),
                "aws_access_key_id".into(),
                txt.clone()
            )
        );
        assert_eq!(
            s("profile.testing2.region", None, v1),
            (
                false,
                "profile testing2".into(),
                "region".into(),
                txt.clone()
            )
        );
        assert_eq!(
            s("default.region", Some("x"), v1),
            (false, "default".into(), "region".into(), txt.clone())
        );
        assert_eq!(
            s("s3.max_concurrent_requests", None, v1),
            (
                false,
                "default".into(),
                "s3".into(),
                SetValue::Nested("max_concurrent_requests".into(), "VAL".into())
            )
        );
        assert_eq!(
            s("preview.cloudsearch", None, v1),
            (false, "preview".into(), "cloudsearch".into(), txt.clone())
        );
        assert_eq!(
            s("preview.cloudsearch", None, Dialect::V2),
            (
                false,
                "default".into(),
                "preview".into(),
                SetValue::Nested("cloudsearch".into(), "VAL".into())
            )
        );
        assert_eq!(
            s("region", Some("a b"), v1),
            (false, "profile 'a b'".into(), "region".into(), txt.clone())
        );
        assert!(set_target("aws_security_token", "v", None, v1).credentials);
        assert!(!set_target("aws_security_token", "v", None, Dialect::V2).credentials);
    }

    #[test]
    fn writer_edits_in_place() {
        let txt = |v: &str| SetValue::Text(v.into());
        let u =
            |e: Option<&str>, s: &str, k: &str, v: &SetValue| update_config(e, s, k, v).unwrap();
        assert_eq!(
            u(None, "default", "region", &txt("x")),
            "[default]\nregion = x\n"
        );
        // Replaced where it is; comments and other lines kept.
        let f = "# top\n[default]\n# region = old\nregion=old\noutput = json\n\n[profile a]\nregion = a\n";
        assert_eq!(
            u(Some(f), "default", "region", &txt("new")),
            "# top\n[default]\n# region = old\nregion = new\noutput = json\n\n[profile a]\nregion = a\n"
        );
        // Added after the section's last option, before the next section.
        assert_eq!(
            u(Some(f), "default", "cli_pager", &txt("")),
            "# top\n[default]\n# region = old\nregion=old\noutput = json\ncli_pager = \n\n[profile a]\nregion = a\n"
        );
        // Added at the end of the last section.
        assert_eq!(
            u(Some(f), "profile a", "output", &txt("text")),
            format!("{f}output = text\n")
        );
        // A new section appended, a newline first when the file lacks one.
        assert_eq!(
            u(
                Some("[default]\nregion = x"),
                "profile b",
                "region",
                &txt("y")
            ),
            "[default]\nregion = x\n[profile b]\nregion = y\n"
        );
        // awscli's quirk: the last line without a newline gets the new one glued on.
        assert_eq!(
            u(
                Some("[default]\nregion = x"),
                "default",
                "output",
                &txt("json")
            ),
            "[default]\nregion = xoutput = json\n\n"
        );
        // Quoted section names match.
        assert_eq!(
            u(
                Some("[profile \"a b\"]\n"),
                "profile a b",
                "region",
                &txt("r")
            ),
            "[profile \"a b\"]\nregion = r\n"
        );
        // Nested values.
        let nested = SetValue::Nested("max_concurrent_requests".into(), "20".into());
        assert_eq!(
            u(Some("[default]\nregion = x\n"), "default", "s3", &nested),
            "[default]\nregion = x\ns3 =\n    max_concurrent_requests = 20\n"
        );
        assert_eq!(
            u(
                Some("[default]\ns3 =\n  max_concurrent_requests = 10\n  addressing_style = path\nregion = x\n"),
                "default",
                "s3",
                &nested
            ),
            "[default]\ns3 =\n  max_concurrent_requests = 20\n  addressing_style = path\nregion = x\n"
        );
        assert_eq!(
            u(
                Some("[default]\ns3 =\n  addressing_style = path\nregion = x\n"),
                "default",
                "s3",
                &nested
            ),
            "[default]\ns3 =\n  addressing_style = path\n    max_concurrent_requests = 20\nregion = x\n"
        );
        assert!(update_config(Some("[default]\ns3 =\n"), "default", "s3", &nested).is_err());
    }
}
