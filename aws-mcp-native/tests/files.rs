//! The local file opener against real directories: it opens exactly what
//! the policy judged, and a tree changing underneath cannot lead it outside.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::os::unix::fs::symlink;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use aws_mcp_core::localpath::Semantics;
use aws_mcp_core::policy::{policy_location, FileAccess, PolicyConfig};
use aws_mcp_core::Catalog;
use aws_mcp_native::files::{open_read, open_write, Confinement, FileError};

struct Sandbox {
    root: PathBuf,
    home: PathBuf,
    work: PathBuf,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn sandbox(name: &str) -> Sandbox {
    let root = std::env::temp_dir().join(format!("aws-mcp-files-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let home = root.join("home");
    let work = root.join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    let root = std::fs::canonicalize(root).unwrap();
    Sandbox {
        home: root.join("home"),
        work: root.join("work"),
        root,
    }
}

fn policy(s: &Sandbox) -> PolicyConfig {
    let mut c = PolicyConfig::new(Catalog::embedded(), "us-east-1", &s.work).unwrap();
    c.home = Some(s.home.clone());
    c
}

fn read(f: &mut std::fs::File) -> String {
    let mut out = String::new();
    f.read_to_string(&mut out).unwrap();
    out
}

/// For every path and both semantics: the policy's location and the
/// opener's agree; inside, the opener reads the file the policy named.
#[test]
fn the_opener_opens_what_the_policy_judged() {
    let s = sandbox("agree");
    std::fs::write(s.home.join(".aws/credentials"), "REAL").unwrap();
    std::fs::create_dir_all(s.work.join("releases/v1")).unwrap();
    symlink("releases/v1", s.work.join("current")).unwrap();
    std::fs::create_dir_all(s.work.join(".aws")).unwrap();
    std::fs::write(s.work.join(".aws/credentials"), "DECOY").unwrap();
    std::fs::write(s.work.join("releases/v1/app.txt"), "APP").unwrap();
    symlink(s.home.join(".aws"), s.work.join("aws-link")).unwrap();
    symlink("releases/v1/app.txt", s.work.join("app-link")).unwrap();
    let cfg = policy(&s);
    let c = Confinement::from_policy(&cfg);
    let mut checked = 0;
    for raw in [
        "current/../../.aws/credentials",
        "current/app.txt",
        "app-link",
        "aws-link/credentials",
        "releases/v1/../v1/app.txt",
        "~/.aws/credentials",
        "../home/.aws/credentials",
        "current/../app.txt",
    ] {
        for sem in [
            Semantics::PARAM_FILE,
            Semantics::S3_TRANSFER,
            Semantics::OPEN,
        ] {
            let judged = policy_location(raw, sem, &cfg);
            let opened = open_read(raw, sem, &c);
            match judged {
                Ok(p) if p.starts_with(&cfg.working_dir) => {
                    let want = std::fs::read_to_string(&p).ok();
                    match opened {
                        Ok(mut f) => assert_eq!(Some(read(&mut f)), want, "{raw} {sem:?}"),
                        Err(e) => assert!(want.is_none(), "{raw} {sem:?}: {e}"),
                    }
                }
                Ok(p) => {
                    assert!(
                        matches!(opened, Err(FileError::Outside { .. })),
                        "{raw} {sem:?} -> {p:?}"
                    );
                }
                Err(_) => assert!(
                    matches!(opened, Err(FileError::Path { .. })),
                    "{raw} {sem:?}"
                ),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 24);
    // The finding: for s3 (abspath) the path is the real file, outside; for
    // a parameter file (open) it is the decoy, inside.
    let raw = "current/../../.aws/credentials";
    assert!(matches!(
        open_read(raw, Semantics::S3_TRANSFER, &c),
        Err(FileError::Outside { .. })
    ));
    assert_eq!(
        read(&mut open_read(raw, Semantics::PARAM_FILE, &c).unwrap()),
        "DECOY"
    );
}

#[test]
fn writes_create_confined_files_and_never_follow_links_out() {
    let s = sandbox("write");
    let cfg = policy(&s);
    let c = Confinement::from_policy(&cfg);
    let mut f = open_write("out/deeper/report.txt", Semantics::S3_TRANSFER, &c, true).unwrap();
    f.write_all(b"ok").unwrap();
    assert_eq!(
        std::fs::read_to_string(s.work.join("out/deeper/report.txt")).unwrap(),
        "ok"
    );
    // Truncates an existing file.
    open_write("out/deeper/report.txt", Semantics::OPEN, &c, false).unwrap();
    assert_eq!(
        std::fs::read_to_string(s.work.join("out/deeper/report.txt")).unwrap(),
        ""
    );
    // Missing directories only when asked.
    assert!(matches!(
        open_write("nope/x", Semantics::OPEN, &c, false),
        Err(FileError::Kind { .. })
    ));
    // A dangling link to outside: the write would create the file there.
    symlink(s.home.join("planted"), s.work.join("dangling")).unwrap();
    assert!(matches!(
        open_write("dangling", Semantics::OPEN, &c, false),
        Err(FileError::Outside { .. })
    ));
    assert!(!s.home.join("planted").exists());
    // Directories and special files are not opened as files.
    assert!(matches!(
        open_read("out", Semantics::OPEN, &c),
        Err(FileError::Kind { .. })
    ));
    nix::unistd::mkfifo(
        &s.work.join("fifo"),
        nix::sys::stat::Mode::from_bits_truncate(0o600),
    )
    .unwrap();
    assert!(matches!(
        open_read("fifo", Semantics::OPEN, &c),
        Err(FileError::Kind { .. })
    ));
    // File access modes.
    let mut c2 = c.clone();
    c2.access = FileAccess::NoAccess;
    assert!(matches!(
        open_read("out/deeper/report.txt", Semantics::OPEN, &c2),
        Err(FileError::Disabled)
    ));
    std::fs::write(s.home.join("outside.txt"), "O").unwrap();
    c2.access = FileAccess::Unrestricted;
    let outside = s.home.join("outside.txt").display().to_string();
    assert_eq!(
        read(&mut open_read(&outside, Semantics::OPEN, &c2).unwrap()),
        "O"
    );
    assert!(matches!(
        open_read(&outside, Semantics::OPEN, &c),
        Err(FileError::Outside { .. })
    ));
}

/// A directory of the path is swapped, as fast as possible, between a real
/// directory inside and a symbolic link to outside. A check-then-open by
/// path would sometimes read the outside file; the opener never does.
#[test]
fn a_tree_changing_underneath_never_leads_outside() {
    let s = sandbox("race");
    std::fs::create_dir_all(s.work.join("real")).unwrap();
    std::fs::write(s.work.join("real/f"), "INSIDE").unwrap();
    std::fs::create_dir_all(s.home.join("out")).unwrap();
    std::fs::write(s.home.join("out/f"), "OUTSIDE").unwrap();
    symlink(s.home.join("out"), s.work.join("link")).unwrap();
    let cfg = policy(&s);
    let c = Confinement::from_policy(&cfg);
    let stop = Arc::new(AtomicBool::new(false));
    let work = s.work.clone();
    let flag = stop.clone();
    let swapper = std::thread::spawn(move || {
        let (d, real, link) = (work.join("d"), work.join("real"), work.join("link"));
        let mut swaps = 0u64;
        while !flag.load(Ordering::Relaxed) {
            let _ = std::fs::rename(&real, &d);
            let _ = std::fs::rename(&d, &real);
            let _ = std::fs::rename(&link, &d);
            let _ = std::fs::rename(&d, &link);
            swaps += 1;
        }
        swaps
    });
    let (mut inside, mut refused) = (0, 0);
    for _ in 0..20_000 {
        match open_read("d/f", Semantics::OPEN, &c) {
            Ok(mut f) => {
                assert_eq!(read(&mut f), "INSIDE");
                inside += 1;
            }
            Err(_) => refused += 1,
        }
    }
    stop.store(true, Ordering::Relaxed);
    let swaps = swapper.join().unwrap();
    assert!(
        swaps > 100 && inside > 0 && refused > 0,
        "swaps {swaps}, inside {inside}, refused {refused}"
    );
}
