//! The lines the high-level S3 commands print, byte for byte as awscli's
//! `ResultPrinter` (`upload: ./a to s3://b/a`, `(dryrun) ...`,
//! `... failed: ...`, `warning: ...`, `fatal error: ...`) and `ls`
//! (`PRE`, the date/size/name columns, `--human-readable`, `--summarize`).
//!
//! Progress lines (`Completed 1.0 KiB/2.0 KiB (...) with 1 file(s)
//! remaining` followed by a carriage return) are a terminal animation whose
//! speed figure changes every run; these functions print what the CLI
//! prints with `--no-progress`, and the executor never animates.

/// The kind of transfer a result line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferType {
    /// `upload`.
    Upload,
    /// `download`.
    Download,
    /// `copy`.
    Copy,
    /// `delete`.
    Delete,
    /// `move` (every transfer of `s3 mv`).
    Move,
}

impl TransferType {
    /// The word the CLI prints.
    pub fn as_str(self) -> &'static str {
        match self {
            TransferType::Upload => "upload",
            TransferType::Download => "download",
            TransferType::Copy => "copy",
            TransferType::Delete => "delete",
            TransferType::Move => "move",
        }
    }
}

fn location(src: &str, dest: Option<&str>) -> String {
    match dest {
        Some(d) => format!("{src} to {d}"),
        None => src.to_string(),
    }
}

/// `upload: ./a to s3://b/a` (standard output).
pub fn success(t: TransferType, src: &str, dest: Option<&str>) -> String {
    format!("{}: {}\n", t.as_str(), location(src, dest))
}

/// `(dryrun) upload: ./a to s3://b/a` (standard output).
pub fn dryrun(t: TransferType, src: &str, dest: Option<&str>) -> String {
    format!("(dryrun) {}: {}\n", t.as_str(), location(src, dest))
}

/// `upload failed: ./a to s3://b/a <error>` (standard error).
pub fn failure(t: TransferType, src: &str, dest: Option<&str>, error: &str) -> String {
    format!("{} failed: {} {error}\n", t.as_str(), location(src, dest))
}

/// `warning: Skipping file <path>. <message>` (standard error), or
/// `warning: <message>` when the file is not skipped.
pub fn warning(path: &str, message: &str, skip_file: bool) -> String {
    if skip_file {
        format!("warning: Skipping file {path}. {message}\n")
    } else {
        format!("warning: {message}\n")
    }
}

/// `fatal error: <error>` (standard error).
pub fn fatal(error: &str) -> String {
    format!("fatal error: {error}\n")
}

/// The CLI's message of an API error:
/// `An error occurred (Code) when calling the Op operation: Message`.
pub fn client_error(code: &str, operation: &str, message: &str) -> String {
    format!("An error occurred ({code}) when calling the {operation} operation: {message}")
}

const SUFFIXES: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

/// awscli's `human_readable_size`: `1 Byte`, `10 Bytes`, `1.0 KiB`, ...
pub fn human_readable_size(value: u64) -> String {
    let base = 1024f64;
    let b = value as f64;
    if value == 1 {
        return "1 Byte".into();
    }
    if b < base {
        return format!("{value} Bytes");
    }
    for (i, suffix) in SUFFIXES.iter().enumerate() {
        let unit = base.powi(i as i32 + 2);
        if ((b / unit) * base).round_ties_even() < base {
            return format!("{} {suffix}", py_one_decimal(base * b / unit));
        }
    }
    // Python returns None here, printed as `None`.
    "None".into()
}

/// `'%.1f' % x` (round half to even on the exact binary value, as C's
/// printf; Rust's formatting rounds the same way).
fn py_one_decimal(x: f64) -> String {
    format!("{x:.1}")
}

/// A local date and time as the CLI prints it in listings:
/// `2026-12-06 17:32:40` (zero-padded, 19 columns).
pub fn ls_date(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> String {
    let t = format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}");
    format!("{t:<19}")
}

fn size_column(size: u64, human: bool) -> String {
    let s = if human {
        human_readable_size(size)
    } else {
        size.to_string()
    };
    format!("{s:>10}")
}

/// `2026-12-06 17:32:40          6 a.txt`.
pub fn ls_object(date: &str, size: u64, name: &str, human: bool) -> String {
    format!("{date} {} {name}\n", size_column(size, human))
}

/// `                           PRE d/` for the common prefix `p/d/`.
pub fn ls_prefix(common_prefix: &str) -> String {
    let parts: Vec<&str> = common_prefix.split('/').collect();
    let name = if parts.len() >= 2 {
        parts[parts.len() - 2]
    } else {
        ""
    };
    format!("{:>30} {name}/\n", "PRE")
}

/// `2026-12-06 17:32:38 bucket`.
pub fn ls_bucket(date: &str, name: &str) -> String {
    format!("{date} {name}\n")
}

/// The `--summarize` footer.
pub fn ls_summary(objects: u64, total_size: u64, human: bool) -> String {
    let size = if human {
        human_readable_size(total_size)
    } else {
        total_size.to_string()
    };
    format!(
        "{:>15}{objects}\n{:>15}{size}\n",
        "\nTotal Objects: ", "Total Size: "
    )
}

/// The name `ls` prints for a key: its last `/` part, or the whole key
/// with `--recursive`.
pub fn ls_name(key: &str, recursive: bool) -> &str {
    if recursive {
        key
    } else {
        key.rsplit('/').next().unwrap_or(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes_like_awscli() {
        for (n, s) in [
            (0, "0 Bytes"),
            (1, "1 Byte"),
            (10, "10 Bytes"),
            (1023, "1023 Bytes"),
            (1024, "1.0 KiB"),
            (1536, "1.5 KiB"),
            (1024 * 1024 - 1, "1.0 MiB"),
            (1024 * 1024, "1.0 MiB"),
            (20 * 1024 * 1024, "20.0 MiB"),
            (1_000_000_000, "953.7 MiB"),
            (5 * (1u64 << 30) * 10_000, "48.8 TiB"),
        ] {
            assert_eq!(human_readable_size(n), s, "{n}");
        }
    }

    #[test]
    fn lines() {
        assert_eq!(
            success(TransferType::Upload, "./a.txt", Some("s3://b/a.txt")),
            "upload: ./a.txt to s3://b/a.txt\n"
        );
        assert_eq!(
            dryrun(TransferType::Delete, "s3://b/k", None),
            "(dryrun) delete: s3://b/k\n"
        );
        assert_eq!(
            failure(TransferType::Download, "s3://b/k", Some("k"), "boom"),
            "download failed: s3://b/k to k boom\n"
        );
        assert_eq!(
            warning("x", "File does not exist.", true),
            "warning: Skipping file x. File does not exist.\n"
        );
        let d = ls_date(2026, 12, 6, 17, 32, 40);
        assert_eq!(
            ls_object(&d, 6, "a.txt", false),
            "2026-12-06 17:32:40          6 a.txt\n"
        );
        assert_eq!(
            ls_object(&d, 6, "a.txt", true),
            "2026-12-06 17:32:40    6 Bytes a.txt\n"
        );
        assert_eq!(ls_prefix("p/d/"), "                           PRE d/\n");
        assert_eq!(ls_bucket(&d, "bkt"), "2026-12-06 17:32:40 bkt\n");
        assert_eq!(
            ls_summary(3, 11, true),
            "\nTotal Objects: 3\n   Total Size: 11 Bytes\n"
        );
        assert_eq!(ls_name("a/b/c", false), "c");
        assert_eq!(ls_name("a/b/c", true), "a/b/c");
    }
}
