//! `s3-figures`: what the native `aws s3` commands cost, printed as JSON.
//!
//! 1. **Overhead** — `aws s3 cp` of a 1 KiB file (upload and download) and
//!    `aws s3 ls` run natively against a canned S3 server on 127.0.0.1 that
//!    answers instantly, minus the raw loopback round trips of the same
//!    requests (two for a download: `HeadObject` then `GetObject`). The
//!    difference is the executor's per-call overhead: validation, option
//!    parsing, local file work, endpoint rules, SigV4, parsing and the
//!    printed lines.
//! 2. **Against moto** (`.venv/bin/moto_server`, or `MOTO_URL`): the same
//!    commands natively and through the `aws` program (AWS CLI v1 from
//!    `.venv`, and v2 at `AWS_MCP_AWS_CLI_V2` or `/usr/bin/aws` when
//!    present), medians per command; and a 20 MiB upload and download
//!    (multipart) natively and through the `aws` program.
//! 3. **Memory**: peak RSS of this process after every native transfer
//!    (the 20 MiB ones included: upload parts are read when sent, at most
//!    six 8 MiB chunks held; downloads are written as they arrive).
//!
//! Run: `cargo run --release -p aws-mcp-benches --bin s3-figures`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aws_mcp_benches::{peak_rss_bytes, print_figures};
use aws_mcp_core::policy::FileAccess;
use aws_mcp_core::{Catalog, ExecOptions, Validator};
use aws_mcp_native::{Confinement, EndpointEnv, NativeExecutor};
use serde_json::json;

const LIST_BODY: &str = r#"<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated><Contents><Key>a.txt</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"x"</ETag><Size>1024</Size><StorageClass>STANDARD</StorageClass></Contents><CommonPrefixes><Prefix>d/</Prefix></CommonPrefixes></ListBucketResult>"#;

/// A keep-alive HTTP/1.1 server answering S3 requests at once: `PUT` 200
/// with an ETag, `HEAD` the object's headers, `GET` of an object 1 KiB,
/// `GET` of a bucket a listing.
fn canned_server() -> String {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", l.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            std::thread::spawn(move || serve(s));
        }
    });
    url
}

fn serve(s: TcpStream) {
    let _ = s.set_nodelay(true);
    let mut r = BufReader::new(s.try_clone().expect("clone"));
    let mut w = s;
    let object = vec![b'x'; 1024];
    loop {
        let mut first = String::new();
        if r.read_line(&mut first).unwrap_or(0) == 0 {
            return;
        }
        let mut len = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            if r.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let l = line.trim_end().to_ascii_lowercase();
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.strip_prefix("content-length:") {
                len = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0u8; len];
        if r.read_exact(&mut body).is_err() {
            return;
        }
        let mut parts = first.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let common = "x-amz-request-id: 1\r\netag: \"x\"\r\nlast-modified: Thu, 01 Jan 2026 00:00:00 GMT\r\n";
        let resp: Vec<u8> = match method {
            "PUT" => format!("HTTP/1.1 200 OK\r\n{common}content-length: 0\r\n\r\n").into_bytes(),
            "HEAD" => format!(
                "HTTP/1.1 200 OK\r\n{common}content-type: text/plain\r\ncontent-length: 1024\r\n\r\n"
            )
            .into_bytes(),
            _ if target.contains("list-type") => format!(
                "HTTP/1.1 200 OK\r\n{common}content-type: application/xml\r\ncontent-length: {}\r\n\r\n{LIST_BODY}",
                LIST_BODY.len()
            )
            .into_bytes(),
            _ => {
                let mut v = format!(
                    "HTTP/1.1 200 OK\r\n{common}content-type: text/plain\r\ncontent-length: {}\r\n\r\n",
                    object.len()
                )
                .into_bytes();
                v.extend_from_slice(&object);
                v
            }
        };
        if w.write_all(&resp).is_err() {
            return;
        }
    }
}

/// Median and 99th percentile of durations, in microseconds.
fn stats(mut v: Vec<Duration>) -> serde_json::Value {
    v.sort();
    let us = |d: Duration| (d.as_secs_f64() * 1e6 * 10.0).round() / 10.0;
    json!({"p50_us": us(v[v.len() / 2]), "p99_us": us(v[(v.len() * 99 / 100).min(v.len() - 1)]), "n": v.len()})
}

fn p50(v: &serde_json::Value) -> f64 {
    v["p50_us"].as_f64().unwrap_or(0.0)
}

/// Raw loopback round trips of `requests` (method, target, body size) in turn.
fn raw_round_trips(url: &str, n: usize, requests: &[(&str, &str, usize)]) -> Vec<Duration> {
    let addr = url.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_nodelay(true).expect("nodelay");
    let mut r = BufReader::new(s.try_clone().expect("clone"));
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        for (method, target, size) in requests {
            let body = vec![b'x'; *size];
            let mut req = format!(
                "{method} {target} HTTP/1.1\r\nhost: {addr}\r\ncontent-length: {size}\r\n\r\n"
            )
            .into_bytes();
            req.extend_from_slice(&body);
            s.write_all(&req).expect("write");
            let mut len = 0usize;
            let mut line = String::new();
            loop {
                line.clear();
                r.read_line(&mut line).expect("read");
                let l = line.trim_end().to_ascii_lowercase();
                if l.is_empty() {
                    break;
                }
                if let Some(v) = l.strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
            if *method != "HEAD" {
                let mut b = vec![0u8; len];
                r.read_exact(&mut b).expect("body");
            }
        }
        out.push(t.elapsed());
    }
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn workdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("aws-mcp-s3-figures-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("workdir");
    d.canonicalize().expect("canonical")
}

fn executor(catalog: &'static Catalog, url: &str, dir: &Path, key: &str) -> NativeExecutor {
    NativeExecutor::with_env(
        catalog,
        EndpointEnv {
            endpoint_url: Some(url.to_string()),
            ..Default::default()
        },
    )
    .with_defaults(Some("us-east-1".into()), None)
    .with_credentials(key, "testing", None)
    .with_files(Confinement {
        working_dir: dir.to_path_buf(),
        access: FileAccess::Workdir,
        home: None,
    })
}

fn run_native(
    rt: &tokio::runtime::Runtime,
    ex: &NativeExecutor,
    v: &Validator<'_>,
    cmd: &str,
    n: usize,
) -> Vec<Duration> {
    let mut opts = ExecOptions::default();
    opts.timeout = Duration::from_secs(600);
    let mut out = Vec::with_capacity(n);
    rt.block_on(async {
        for i in 0..n + 3 {
            let t = Instant::now();
            let c = v.validate(cmd).expect("valid");
            let (code, _, err) = ex.run(&c, &opts).await.expect("runs");
            assert_eq!(code, 0, "{cmd}: {err}");
            if i >= 3 {
                out.push(t.elapsed());
            }
        }
    });
    out
}

fn run_cli(program: &Path, cmd: &str, moto: &str, dir: &Path, n: usize) -> Vec<Duration> {
    let mut out = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        let mut args: Vec<&str> = cmd.split_whitespace().skip(1).collect();
        args.extend(["--endpoint-url", moto]);
        let st = Command::new(program)
            .args(&args)
            .current_dir(dir)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("aws runs");
        assert!(st.success(), "{cmd}");
        out.push(t.elapsed());
    }
    out
}

fn main() {
    let catalog = Catalog::embedded();
    let validator = Validator::new(catalog);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut figures = serde_json::Map::new();

    // 1. Overhead against an instant local server.
    let url = canned_server();
    let dir = workdir("overhead");
    std::fs::write(dir.join("small.bin"), vec![b'x'; 1024]).expect("file");
    let ex = executor(catalog, &url, &dir, "AKIDBENCH");
    let mut overhead = serde_json::Map::new();
    let n = 1000;
    for (cmd, raw) in [
        (
            "aws s3 cp small.bin s3://b/small.bin",
            vec![("PUT", "/b/small.bin", 1024usize)],
        ),
        (
            "aws s3 cp s3://b/small.bin down.bin",
            vec![("HEAD", "/b/small.bin", 0), ("GET", "/b/small.bin", 0)],
        ),
        ("aws s3 ls s3://b", vec![("GET", "/b/?list-type=2", 0)]),
    ] {
        let native = stats(run_native(&rt, &ex, &validator, cmd, n));
        let rawrt = stats(raw_round_trips(&url, n, &raw));
        let over = p50(&native) - p50(&rawrt);
        overhead.insert(
            cmd.into(),
            json!({"native": native, "raw_round_trips": rawrt, "overhead_p50_us": (over * 10.0).round() / 10.0}),
        );
    }
    figures.insert("overhead_vs_instant_local_server".into(), overhead.into());

    // 2. Against moto.
    let venv = root().join(".venv/bin");
    let mut moto_proc = None;
    let moto_url = std::env::var("MOTO_URL").ok().or_else(|| {
        let bin = venv.join("moto_server");
        if !bin.exists() {
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let child = Command::new(bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        moto_proc = Some(child);
        for _ in 0..100 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(format!("http://127.0.0.1:{port}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    });
    if let Some(murl) = &moto_url {
        let dir = workdir("moto");
        std::fs::write(dir.join("small.bin"), vec![b'x'; 1024]).expect("file");
        let big: Vec<u8> = (0..20u32 << 20).map(|i| (i % 251) as u8).collect();
        std::fs::write(dir.join("big.bin"), &big).expect("file");
        let ex = executor(catalog, murl, &dir, "testing");
        rt.block_on(async {
            let c = validator.validate("aws s3 mb s3://figures").expect("valid");
            let (code, _, err) = ex.run(&c, &ExecOptions::default()).await.expect("runs");
            assert_eq!(code, 0, "{err}");
        });
        let v2 = std::env::var_os("AWS_MCP_AWS_CLI_V2")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/bin/aws"));
        let mut per = serde_json::Map::new();
        for (cmd, reps_native, reps_cli) in [
            ("aws s3 cp small.bin s3://figures/small.bin", 30, 5),
            ("aws s3 cp s3://figures/small.bin down.bin", 30, 5),
            ("aws s3 ls s3://figures", 30, 5),
            ("aws s3 cp big.bin s3://figures/big.bin", 5, 3),
            ("aws s3 cp s3://figures/big.bin big-down.bin", 5, 3),
        ] {
            let native = stats(run_native(&rt, &ex, &validator, cmd, reps_native));
            let v1 = stats(run_cli(&venv.join("aws"), cmd, murl, &dir, reps_cli));
            let mut entry = json!({"native": native, "aws_v1_subprocess": v1});
            if v2.exists() {
                entry["aws_v2_subprocess"] = stats(run_cli(&v2, cmd, murl, &dir, reps_cli));
            }
            per.insert(cmd.into(), entry);
        }
        figures.insert("against_moto".into(), per.into());
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        figures.insert(
            "against_moto".into(),
            json!("skipped: no .venv/bin/moto_server and no MOTO_URL"),
        );
    }
    if let Some(mut p) = moto_proc {
        let _ = p.kill();
        let _ = p.wait();
    }
    let _ = std::fs::remove_dir_all(&dir);
    figures.insert(
        "peak_rss_mb".into(),
        json!(peak_rss_bytes().map(|b| (b as f64 / 1048576.0 * 10.0).round() / 10.0)),
    );
    print_figures(&serde_json::Value::Object(figures));
}
