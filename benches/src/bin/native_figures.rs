//! `native-figures`: what a native call costs, printed as JSON.
//!
//! 1. **Overhead** — the native executor against a canned HTTP server on
//!    127.0.0.1 that answers instantly: the whole call (validate → serialize
//!    → endpoint rules → SigV4 → send → parse → render) minus the loopback
//!    round trip of the same bytes sent raw. That difference is the
//!    executor's per-call overhead.
//! 2. **Against moto** (when `.venv/bin/moto_server` exists or `MOTO_URL`
//!    is set): the same commands run natively, through the `aws` program
//!    (`.venv/bin/aws`), and through botocore in-process in Python (how the
//!    reference server runs them), medians per command.
//! 3. **Memory**: peak RSS of this process after all native calls (catalog,
//!    endpoint rules and the HTTP client loaded).
//!
//! Run: `cargo run --release -p aws-mcp-benches --bin native-figures`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aws_mcp_benches::{peak_rss_bytes, print_figures};
use aws_mcp_core::{Catalog, ExecOptions, Validator};
use aws_mcp_native::{EndpointEnv, NativeExecutor};
use serde_json::json;

const STS_BODY: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/bench</Arn><UserId>AIDABENCH</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#;
const DDB_BODY: &str = r#"{"TableNames":["a","b","c"]}"#;

/// A keep-alive HTTP/1.1 server answering every request at once.
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
    loop {
        let mut len = 0usize;
        let mut json = false;
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
            if l.starts_with("x-amz-target:") {
                json = true;
            }
        }
        let mut body = vec![0u8; len];
        if r.read_exact(&mut body).is_err() {
            return;
        }
        let (ct, b) = if json {
            ("application/x-amz-json-1.0", DDB_BODY)
        } else {
            ("text/xml", STS_BODY)
        };
        let resp = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: {ct}\r\ncontent-length: {}\r\nx-amzn-requestid: 1\r\n\r\n{b}",
            b.len()
        );
        if w.write_all(resp.as_bytes()).is_err() {
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

/// Raw loopback round trips of a request like the native one.
fn raw_round_trips(url: &str, n: usize, json_target: bool) -> Vec<Duration> {
    let addr = url.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_nodelay(true).expect("nodelay");
    let mut r = BufReader::new(s.try_clone().expect("clone"));
    let body = if json_target {
        "{}"
    } else {
        "Action=GetCallerIdentity&Version=2011-06-15"
    };
    let target = if json_target {
        "x-amz-target: DynamoDB_20120810.ListTables\r\n"
    } else {
        ""
    };
    let req = format!(
        "POST / HTTP/1.1\r\nhost: {addr}\r\n{target}content-length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        s.write_all(req.as_bytes()).expect("write");
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
        let mut b = vec![0u8; len];
        r.read_exact(&mut b).expect("body");
        out.push(t.elapsed());
    }
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn main() {
    let catalog = Catalog::embedded();
    let validator = Validator::new(catalog);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let opts = ExecOptions::default();
    let mut figures = serde_json::Map::new();

    // 1. Overhead against an instant local server.
    let url = canned_server();
    let ex = NativeExecutor::with_env(
        catalog,
        EndpointEnv {
            endpoint_url: Some(url.clone()),
            ..Default::default()
        },
    )
    .with_defaults(Some("us-east-1".into()), None)
    .with_credentials("AKIDBENCH", "secret", None);
    let mut overhead = serde_json::Map::new();
    for (cmd, json_target) in [
        ("aws sts get-caller-identity", false),
        ("aws dynamodb list-tables", true),
    ] {
        let n = 2000;
        let mut native = Vec::with_capacity(n);
        rt.block_on(async {
            for i in 0..n + 50 {
                let t = Instant::now();
                let c = validator.validate(cmd).expect("valid");
                let (code, out, err) = ex.run(&c, &opts).await.expect("runs");
                assert_eq!(code, 0, "{err}");
                assert!(!out.is_empty());
                if i >= 50 {
                    native.push(t.elapsed());
                }
            }
        });
        let raw = raw_round_trips(&url, n, json_target);
        let n50 = stats(native.clone());
        let r50 = stats(raw);
        let over = n50["p50_us"].as_f64().unwrap_or(0.0) - r50["p50_us"].as_f64().unwrap_or(0.0);
        overhead.insert(
            cmd.into(),
            json!({"native": n50, "raw_round_trip": r50, "overhead_p50_us": (over * 10.0).round() / 10.0}),
        );
    }
    figures.insert("overhead_vs_instant_local_server".into(), overhead.into());

    // 2. Against moto: native vs aws program vs botocore in-process.
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
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(url);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    });
    if let Some(murl) = &moto_url {
        let ex = NativeExecutor::with_env(
            catalog,
            EndpointEnv {
                endpoint_url: Some(murl.clone()),
                ..Default::default()
            },
        )
        .with_defaults(Some("us-east-1".into()), None)
        .with_credentials("testing", "testing", None);
        let cmds = [
            ("aws sts get-caller-identity", "sts", "get_caller_identity"),
            ("aws iam list-users", "iam", "list_users"),
            ("aws dynamodb list-tables", "dynamodb", "list_tables"),
            ("aws s3api list-buckets", "s3", "list_buckets"),
            ("aws ec2 describe-vpcs", "ec2", "describe_vpcs"),
            ("aws lambda list-functions", "lambda", "list_functions"),
        ];
        let mut per = serde_json::Map::new();
        for (cmd, svc, method) in cmds {
            let c = validator.validate(cmd).expect("valid");
            let mut native = Vec::new();
            rt.block_on(async {
                for i in 0..33 {
                    let t = Instant::now();
                    let (code, _, err) = ex.run(&c, &opts).await.expect("runs");
                    assert_eq!(code, 0, "{err}");
                    if i >= 3 {
                        native.push(t.elapsed());
                    }
                }
            });
            let mut cli = Vec::new();
            for _ in 0..5 {
                let t = Instant::now();
                let st = Command::new(venv.join("aws"))
                    .args(cmd.split_whitespace().skip(1))
                    .env("AWS_ENDPOINT_URL", murl)
                    .env("AWS_ACCESS_KEY_ID", "testing")
                    .env("AWS_SECRET_ACCESS_KEY", "testing")
                    .env("AWS_DEFAULT_REGION", "us-east-1")
                    .stdout(Stdio::null())
                    .status()
                    .expect("aws runs");
                assert!(st.success(), "{cmd}");
                cli.push(t.elapsed());
            }
            let py = format!(
                "import boto3,time,json\nc=boto3.client('{svc}',endpoint_url='{murl}',region_name='us-east-1',aws_access_key_id='testing',aws_secret_access_key='testing')\nc.{method}()\nts=[]\nfor _ in range(30):\n    t=time.perf_counter(); c.{method}(); ts.append(time.perf_counter()-t)\nts.sort(); print(json.dumps(ts[len(ts)//2]*1e6))"
            );
            let botocore = Command::new(venv.join("python"))
                .args(["-c", &py])
                .output()
                .ok()
                .filter(|o| o.status.success())
                .and_then(|o| {
                    String::from_utf8_lossy(&o.stdout)
                        .trim()
                        .parse::<f64>()
                        .ok()
                });
            per.insert(
                cmd.into(),
                json!({
                    "native": stats(native),
                    "aws_subprocess": stats(cli),
                    "botocore_in_process_p50_us": botocore.map(|x| x.round()),
                }),
            );
        }
        figures.insert("against_moto".into(), per.into());
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
    figures.insert(
        "peak_rss_mb".into(),
        json!(peak_rss_bytes().map(|b| (b as f64 / 1048576.0 * 10.0).round() / 10.0)),
    );
    print_figures(&serde_json::Value::Object(figures));
}
