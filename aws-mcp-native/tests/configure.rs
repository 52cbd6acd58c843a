//! `aws configure set` and `get` run natively against the real AWS CLIs:
//! the same sequence of commands in two directories, one through the
//! native executor and one through the `aws` program (v1 from the
//! workspace's `.venv`, v2 at `/usr/bin/aws`, each skipped when missing),
//! leaves byte-identical files and prints the same.
//!
//! `configure set` never passes the server's policy, so this test, not the
//! end-to-end suite, is where it is compared. One test function: the
//! configuration file locations are process-wide environment variables.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use aws_mcp_core::{Catalog, Dialect, ExecOptions, Validator};
use aws_mcp_native::{CliOutput, Confinement, NativeExecutor};

/// What a command printed: exit code, standard output, standard error.
type Out = (i32, String, String);

fn cli(program: &Path, dir: &Path, words: &[&str]) -> Out {
    let o = std::process::Command::new(program)
        .args(words)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", dir)
        .env("AWS_CONFIG_FILE", dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("creds/credentials"))
        .current_dir(dir)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

async fn native(dialect: Dialect, dir: &Path, words: &[&str]) -> Out {
    std::env::set_var("HOME", dir);
    std::env::set_var("AWS_CONFIG_FILE", dir.join("config"));
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.join("creds/credentials"));
    let mut all = vec!["aws".to_string()];
    all.extend(words.iter().map(|w| w.to_string()));
    let v = Validator::new(Catalog::embedded()).dialect(dialect);
    let cmd = v.validate_words(&all).unwrap();
    let c = Confinement {
        working_dir: dir.to_path_buf(),
        home: Some(dir.to_path_buf()),
        access: aws_mcp_core::policy::FileAccess::Workdir,
    };
    let ex = NativeExecutor::new(Catalog::embedded())
        .with_cli(CliOutput::new(dialect))
        .with_files(c);
    ex.run(&cmd, &ExecOptions::default()).await.unwrap()
}

fn read(p: PathBuf) -> Option<Vec<u8>> {
    std::fs::read(p).ok()
}

/// The documentation's examples and the writer's harder cases.
const STEPS: &[&[&str]] = &[
    &["configure", "get", "region"],
    &[
        "configure",
        "set",
        "aws_access_key_id",
        "default_access_key",
    ],
    &[
        "configure",
        "set",
        "aws_secret_access_key",
        "default_secret_key",
    ],
    &["configure", "set", "default.region", "us-west-2"],
    &[
        "configure",
        "set",
        "region",
        "us-west-1",
        "--profile",
        "testing",
    ],
    &["configure", "set", "profile.testing2.region", "eu-west-1"],
    &["configure", "set", "cli_follow_urlparam", "false"],
    &[
        "configure",
        "set",
        "default.ca_bundle",
        "/path/to/ca-bundle.pem",
    ],
    &["configure", "set", "preview.cloudsearch", "true"],
    &["configure", "set", "s3.max_concurrent_requests", "20"],
    &["configure", "set", "default.s3.addressing_style", "path"],
    &["configure", "set", "s3.max_concurrent_requests", "30"],
    &[
        "configure",
        "set",
        "region",
        "ap-south-1",
        "--profile",
        "a b",
    ],
    &[
        "configure",
        "set",
        "aws_access_key_id",
        "testing_key",
        "--profile",
        "testing",
    ],
    &["configure", "set", "default.region", "us-east-2"],
    &["configure", "get", "region"],
    &["configure", "get", "default.region"],
    &["configure", "get", "region", "--profile", "testing"],
    &["configure", "get", "profile.testing2.region"],
    &["configure", "get", "testing.region"],
    &["configure", "get", "aws_access_key_id"],
    &[
        "configure",
        "get",
        "aws_access_key_id",
        "--profile",
        "testing",
    ],
    &["configure", "get", "profile.testing.aws_access_key_id"],
    &["configure", "get", "default.aws_access_key_id"],
    &["configure", "get", "preview.cloudsearch"],
    &["configure", "get", "preview.does-not-exist"],
    &["configure", "get", "s3"],
    &["configure", "get", "s3.max_concurrent_requests"],
    &["configure", "get", "default.s3.addressing_style"],
    &["configure", "get", "output"],
    &["configure", "get", "region", "--profile", "nope"],
    &["configure", "get", "region", "--profile", "a b"],
];

/// A config file written by hand: comments, odd spacing, a section
/// without a final newline.
const HAND_WRITTEN: &str = "# my settings\n[default]\n;region = old\nregion=eu-north-1\noutput = json\n\n[profile dev]\nregion = us-east-1\ns3 =\n  max_concurrent_requests = 5\n[profile last]\nregion = x";

#[tokio::test]
async fn configure_matches_the_aws_cli() {
    let root = std::env::temp_dir().join(format!("aws-mcp-configure-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let v1 = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/aws");
    let v2 = PathBuf::from("/usr/bin/aws");
    let mut compared = 0;
    for (dialect, program) in [(Dialect::V1, v1), (Dialect::V2, v2)] {
        if !program.exists() {
            eprintln!("skipped: {} is not installed", program.display());
            continue;
        }
        for start in [None, Some(HAND_WRITTEN)] {
            let (a, b) = (root.join("cli"), root.join("native"));
            for d in [&a, &b] {
                let _ = std::fs::remove_dir_all(d);
                std::fs::create_dir_all(d).unwrap();
                if let Some(text) = start {
                    std::fs::write(d.join("config"), text).unwrap();
                }
            }
            let a = std::fs::canonicalize(a).unwrap();
            let b = std::fs::canonicalize(b).unwrap();
            let mut steps: Vec<Vec<&str>> = STEPS.iter().map(|s| s.to_vec()).collect();
            if start.is_some() {
                steps.push(vec![
                    "configure",
                    "set",
                    "dev.s3.max_concurrent_requests",
                    "9",
                ]);
                steps.push(vec!["configure", "set", "profile.last.output", "text"]);
                steps.push(vec!["configure", "get", "dev.s3.max_concurrent_requests"]);
            }
            for words in &steps {
                let want = cli(&program, &a, words);
                let got = native(dialect, &b, words).await;
                assert_eq!(got, want, "{dialect:?} {words:?}");
                for f in ["config", "creds/credentials"] {
                    assert_eq!(
                        read(b.join(f)).map(String::from_utf8),
                        read(a.join(f)).map(String::from_utf8),
                        "{dialect:?} {words:?}: {f}"
                    );
                }
                compared += 1;
            }
            // New files are owner-only, as awscli creates them.
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: PathBuf| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(
                mode(b.join("creds/credentials")),
                mode(a.join("creds/credentials"))
            );
        }
    }
    let _ = std::fs::remove_dir_all(&root);
    eprintln!("{compared} commands compared");
}
