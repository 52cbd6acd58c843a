//! Finding the `aws` program the way Windows finds a command.
//!
//! On Unix, `exec` searches `PATH` itself. On Windows, Rust's
//! `Command::new("aws")` only tries `aws.exe`, but the AWS CLI v1 installed by
//! pip is `aws.cmd` (next to a Python script named `aws`), while AWS CLI v2's
//! installer provides `aws.exe`. So on Windows a bare program name is looked
//! up as `cmd.exe` looks it up: each directory of `PATH` in order, and in each
//! the name with each extension of `PATHEXT` (default `.COM;.EXE;.BAT;.CMD`),
//! unless the name already ends with one of them. The full path found is what
//! the executor spawns (Rust runs `.cmd` and `.bat` files through `cmd.exe`
//! with arguments escaped for it).
//!
//! [`find_on_path`] is pure (the file test is a parameter), so the Windows
//! rules are unit-tested on every OS.

/// The extensions Windows tries when `PATHEXT` is not set.
pub const DEFAULT_PATHEXT: &str = ".COM;.EXE;.BAT;.CMD";

/// The full path of the Windows command `name`, searched in the `;`-separated
/// directories of `path` with the extensions of `pathext`; `None` when `name`
/// has a directory part (it is used as given) or nothing matches.
/// `is_file` tells whether a candidate path is an existing file.
pub fn find_on_path(
    name: &str,
    path: &str,
    pathext: Option<&str>,
    is_file: impl Fn(&str) -> bool,
) -> Option<String> {
    if name.is_empty() || name.contains(['\\', '/']) || name.get(1..2) == Some(":") {
        return None;
    }
    let exts: Vec<&str> = pathext
        .filter(|p| !p.trim().is_empty())
        .unwrap_or(DEFAULT_PATHEXT)
        .split(';')
        .map(str::trim)
        .filter(|e| e.starts_with('.') && e.len() > 1)
        .collect();
    let has_ext = name
        .rfind('.')
        .map(|i| &name[i..])
        .is_some_and(|ext| exts.iter().any(|e| e.eq_ignore_ascii_case(ext)));
    for dir in path.split(';') {
        let dir = dir.trim().trim_matches('"');
        if dir.is_empty() {
            continue;
        }
        let base = if dir.ends_with(['\\', '/']) {
            format!("{dir}{name}")
        } else {
            format!("{dir}\\{name}")
        };
        if has_ext {
            if is_file(&base) {
                return Some(base);
            }
            continue;
        }
        for ext in &exts {
            let candidate = format!("{base}{}", ext.to_ascii_lowercase());
            if is_file(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

/// The program to spawn for `program`: on Windows a bare name is looked up
/// with [`find_on_path`] in the process's `PATH` and `PATHEXT`; everything
/// else (and every name on Unix) is returned as it is.
pub fn resolve(program: std::path::PathBuf) -> std::path::PathBuf {
    #[cfg(windows)]
    {
        if let Some(name) = program.to_str() {
            let path = std::env::var("PATH").unwrap_or_default();
            let pathext = std::env::var("PATHEXT").ok();
            if let Some(found) = find_on_path(name, &path, pathext.as_deref(), |p| {
                std::path::Path::new(p).is_file()
            }) {
                return std::path::PathBuf::from(found);
            }
        }
    }
    program
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &'static [&'static str]) -> impl Fn(&str) -> bool {
        move |p| list.iter().any(|f| f.eq_ignore_ascii_case(p))
    }

    #[test]
    fn pip_installed_cli_v1_is_aws_cmd() {
        let fs = files(&[
            r"C:\Users\me\venv\Scripts\aws",
            r"C:\Users\me\venv\Scripts\aws.cmd",
        ]);
        let path = r"C:\Windows\system32;C:\Users\me\venv\Scripts";
        assert_eq!(
            find_on_path("aws", path, None, &fs).as_deref(),
            Some(r"C:\Users\me\venv\Scripts\aws.cmd"),
            "the extension-less Python script is not a program"
        );
    }

    #[test]
    fn cli_v2_installer_is_aws_exe_and_path_order_wins() {
        let fs = files(&[
            r"C:\Program Files\Amazon\AWSCLIV2\aws.exe",
            r"C:\tools\aws.cmd",
        ]);
        let path = r#""C:\Program Files\Amazon\AWSCLIV2\";;C:\tools"#;
        assert_eq!(
            find_on_path("aws", path, None, &fs).as_deref(),
            Some(r"C:\Program Files\Amazon\AWSCLIV2\aws.exe")
        );
        assert_eq!(
            find_on_path(
                "aws",
                r"C:\tools;C:\Program Files\Amazon\AWSCLIV2",
                None,
                &fs
            )
            .as_deref(),
            Some(r"C:\tools\aws.cmd")
        );
    }

    #[test]
    fn pathext_order_and_explicit_extensions() {
        let fs = files(&[r"C:\bin\aws.exe", r"C:\bin\aws.cmd"]);
        assert_eq!(
            find_on_path("aws", r"C:\bin", Some(".CMD;.EXE"), &fs).as_deref(),
            Some(r"C:\bin\aws.cmd")
        );
        assert_eq!(
            find_on_path("aws.exe", r"C:\bin", Some(".CMD;.EXE"), &fs).as_deref(),
            Some(r"C:\bin\aws.exe"),
            "a name with a known extension is taken as it is"
        );
        assert_eq!(find_on_path("aws.py", r"C:\bin", None, &fs), None);
        assert_eq!(
            find_on_path("aws", r"C:\bin", Some("  "), &fs).as_deref(),
            Some(r"C:\bin\aws.exe"),
            "an empty PATHEXT means the default"
        );
    }

    #[test]
    fn paths_and_missing_programs_are_not_searched() {
        let fs = files(&[r"C:\bin\aws.exe"]);
        assert_eq!(find_on_path(r"C:\bin\aws.exe", r"C:\bin", None, &fs), None);
        assert_eq!(find_on_path(r".\aws", r"C:\bin", None, &fs), None);
        assert_eq!(find_on_path("tools/aws", r"C:\bin", None, &fs), None);
        assert_eq!(find_on_path("C:aws", r"C:\bin", None, &fs), None);
        assert_eq!(find_on_path("", r"C:\bin", None, &fs), None);
        assert_eq!(find_on_path("aws", r"C:\other;D:\", None, &fs), None);
    }

    #[cfg(unix)]
    #[test]
    fn on_unix_the_name_is_left_to_exec() {
        let p = std::path::PathBuf::from("aws");
        assert_eq!(resolve(p.clone()), p);
    }
}
