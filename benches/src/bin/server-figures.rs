//! `server-figures`: start-up, memory and per-call figures of the `aws-mcp`
//! stdio server, measured from outside as a client sees them.
//!
//! ```sh
//! cargo build --release -p aws-mcp-stdio
//! cargo run --release -p aws-mcp-benches --bin server-figures -- \
//!     [--bin target/release/aws-mcp] [--venv .venv] [--runs 20]
//! ```
//!
//! * `launch_to_tools_list_ms`: from spawning the binary to the `tools/list`
//!   answer read back (initialize, initialized, tools/list written at once).
//! * `peak_rss_after_suggest_bytes`: the server's peak resident set
//!   (`VmHWM`) after start and one `suggest_aws_commands` call.
//! * `per_call_overhead_ms`: the median time of `call_aws` for
//!   `aws sts get-caller-identity` through the server, minus the median time
//!   of running the bare `aws` program for the same command, both against a
//!   local moto server (`<venv>/bin/moto_server`, started on a free port).
//!   Skipped when the venv has no moto.
//!
//! Everything runs on 127.0.0.1 with dummy credentials.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Args {
    bin: PathBuf,
    venv: PathBuf,
    runs: usize,
}

fn parse_args() -> Args {
    let mut a = Args {
        bin: PathBuf::from("target/release/aws-mcp"),
        venv: PathBuf::from(".venv"),
        runs: 20,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        match (k.as_str(), it.next()) {
            ("--bin", Some(v)) => a.bin = v.into(),
            ("--venv", Some(v)) => a.venv = v.into(),
            ("--runs", Some(v)) => a.runs = v.parse().unwrap_or(20),
            _ => {
                eprintln!("usage: server-figures [--bin PATH] [--venv DIR] [--runs N]");
                std::process::exit(2);
            }
        }
    }
    a
}

struct Session {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: u64,
}

impl Session {
    fn start(args: &Args, env: &[(String, String)]) -> Session {
        let mut cmd = Command::new(&args.bin);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap_or_else(|e| {
            eprintln!("cannot start {}: {e}", args.bin.display());
            std::process::exit(1)
        });
        let stdin = child.stdin.take().expect("stdin piped");
        let stdout = BufReader::new(child.stdout.take().expect("stdout piped"));
        Session {
            child,
            stdin,
            stdout,
            next_id: 1,
        }
    }

    fn send(&mut self, msg: &Value) {
        let mut line = msg.to_string();
        line.push('\n');
        self.stdin.write_all(line.as_bytes()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn request(&mut self, method: &str, params: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    fn wait_for(&mut self, id: u64) -> Value {
        let mut line = String::new();
        loop {
            line.clear();
            if self.stdout.read_line(&mut line).expect("read") == 0 {
                eprintln!("server closed stdout");
                std::process::exit(1);
            }
            if let Ok(v) = serde_json::from_str::<Value>(&line) {
                if v.get("id").and_then(Value::as_u64) == Some(id) {
                    return v;
                }
            }
        }
    }

    fn handshake(&mut self) {
        let id = self.request(
            "initialize",
            json!({"protocolVersion": "2025-11-25", "capabilities": {},
                   "clientInfo": {"name": "server-figures", "version": "1"}}),
        );
        self.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        self.wait_for(id);
    }

    fn peak_rss(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    }

    fn stop(mut self) {
        drop(self.stdin);
        let _ = self.child.wait();
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    v[v.len() / 2]
}

fn p95(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    v[((v.len() as f64 * 0.95).ceil() as usize)
        .saturating_sub(1)
        .min(v.len() - 1)]
}

fn base_env(workdir: &std::path::Path) -> Vec<(String, String)> {
    let mut env = vec![
        ("AWS_REGION".to_string(), "us-east-1".to_string()),
        (
            "AWS_API_MCP_WORKING_DIR".to_string(),
            workdir.display().to_string(),
        ),
        ("AWS_ACCESS_KEY_ID".to_string(), "testing".to_string()),
        ("AWS_SECRET_ACCESS_KEY".to_string(), "testing".to_string()),
    ];
    if let Ok(p) = std::env::var("AWS_DATA_PATH") {
        env.push(("AWS_DATA_PATH".into(), p));
    }
    env
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(47123)
}

fn main() {
    let args = parse_args();
    let workdir = std::env::temp_dir().join(format!("aws-mcp-figures-{}", std::process::id()));
    std::fs::create_dir_all(&workdir).expect("workdir");
    let env = base_env(&workdir);

    // 1. Launch to tools/list answered.
    let mut launch = Vec::new();
    for _ in 0..args.runs {
        let t = Instant::now();
        let mut s = Session::start(&args, &env);
        s.send(
            &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params":
            {"protocolVersion": "2025-11-25", "capabilities": {},
             "clientInfo": {"name": "server-figures", "version": "1"}}}),
        );
        s.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        s.next_id = 2;
        let id = s.request("tools/list", json!({}));
        s.wait_for(id);
        launch.push(t.elapsed().as_secs_f64() * 1e3);
        s.stop();
    }

    // 2. Peak RSS after start and one suggest.
    let mut s = Session::start(&args, &env);
    s.handshake();
    let rss_start = s.peak_rss();
    let id = s.request(
        "tools/call",
        json!({"name": "suggest_aws_commands", "arguments": {"query": "list the objects in an s3 bucket"}}),
    );
    let t = Instant::now();
    s.wait_for(id);
    let suggest_ms = t.elapsed().as_secs_f64() * 1e3;
    let rss_suggest = s.peak_rss();
    s.stop();

    // 3. Per-call overhead over a bare `aws` process, on moto.
    let moto = args.venv.join("bin/moto_server");
    let aws = args.venv.join("bin/aws");
    let mut overhead = Value::Null;
    if moto.exists() && aws.exists() {
        let port = free_port();
        let mut moto_proc = Command::new(&moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                let _ = moto_proc.kill();
                eprintln!("moto did not start");
                std::process::exit(1);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut env = env.clone();
        env.push(("AWS_ENDPOINT_URL".into(), url));
        env.push(("AWS_MCP_AWS_CLI".into(), aws.display().to_string()));
        let runs = args.runs.clamp(3, 10);
        // The bare run uses the argv the server hands to `aws` (region,
        // output format and connect timeout added), interleaved with the
        // server runs so that machine load affects both alike.
        let mut s = Session::start(&args, &env);
        s.handshake();
        let mut bare = Vec::new();
        let mut via = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            let mut c = Command::new(&aws);
            c.args([
                "sts",
                "get-caller-identity",
                "--output",
                "json",
                "--cli-connect-timeout",
                "10",
                "--region",
                "us-east-1",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
            for (k, v) in &env {
                c.env(k, v);
            }
            let ok = c.status().map(|s| s.success()).unwrap_or(false);
            assert!(ok, "bare aws failed");
            bare.push(t.elapsed().as_secs_f64() * 1e3);

            let t = Instant::now();
            let id = s.request(
                "tools/call",
                json!({"name": "call_aws", "arguments": {"cli_command": "aws sts get-caller-identity"}}),
            );
            let r = s.wait_for(id);
            via.push(t.elapsed().as_secs_f64() * 1e3);
            assert_eq!(r["result"]["isError"], json!(false), "{r}");
        }
        let rss_calls = s.peak_rss();
        s.stop();
        let _ = moto_proc.kill();
        let _ = moto_proc.wait();
        let (b, v) = (median(&mut bare), median(&mut via));
        overhead = json!({
            "runs": runs,
            "bare_aws_median_ms": b,
            "call_aws_median_ms": v,
            "per_call_overhead_ms": v - b,
            "peak_rss_after_calls_bytes": rss_calls,
        });
    }
    let _ = std::fs::remove_dir_all(&workdir);

    let figures = json!({
        "binary": args.bin.display().to_string(),
        "runs": args.runs,
        "launch_to_tools_list_ms": {"median": median(&mut launch.clone()), "p95": p95(&mut launch)},
        "peak_rss_after_start_bytes": rss_start,
        "peak_rss_after_suggest_bytes": rss_suggest,
        "first_suggest_ms": suggest_ms,
        "call_overhead_on_moto": overhead,
    });
    let mut out = std::io::stdout().lock();
    let _ = serde_json::to_writer_pretty(&mut out, &figures);
    let _ = writeln!(out);
}
