//! The native executor against hostile HTTP servers on 127.0.0.1: one that
//! drops responses (a write is sent again only when that cannot apply it
//! twice) and one that answers with endless pages (pagination stops at a
//! bound tied to the output cap).
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use aws_mcp_core::{Catalog, ExecOptions, Executor, Validator};
use aws_mcp_native::{EndpointEnv, NativeExecutor};

/// What the server does with one request.
#[derive(Clone)]
enum Act {
    /// Read the whole request, then close the connection without answering.
    Drop,
    /// Answer with this status and JSON body.
    Answer(u16, &'static str),
}

/// A server that plays `script` (one act per request, the last one repeated)
/// and records every request it read.
struct Server {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

fn read_request(s: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = s.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = s.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(String::from_utf8_lossy(&buf).into_owned())
}

fn server(script: Vec<Act>) -> Server {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    std::thread::spawn(move || {
        for conn in l.incoming() {
            let Ok(mut s) = conn else { return };
            let Some(req) = read_request(&mut s) else {
                continue;
            };
            let n = {
                let mut r = seen.lock().unwrap();
                r.push(req);
                r.len()
            };
            match script[(n - 1).min(script.len() - 1)].clone() {
                Act::Drop => drop(s),
                Act::Answer(status, body) => {
                    let _ = write!(
                        s,
                        "HTTP/1.1 {status} X\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                }
            }
        }
    });
    Server { url, requests }
}

async fn run(srv: &Server, cmd: &str) -> (i32, String, String) {
    let env = EndpointEnv {
        endpoint_url: Some(srv.url.clone()),
        ..Default::default()
    };
    let ex = NativeExecutor::with_env(Catalog::embedded(), env)
        .with_defaults(Some("us-east-1".into()), None)
        .with_credentials("testing", "secret", None);
    let c = Validator::new(Catalog::embedded()).validate(cmd).unwrap();
    let out = ex.execute(&c, &ExecOptions::default()).await.unwrap();
    (
        out.exit_code.unwrap_or(-1),
        out.json
            .map(|j| j.to_string())
            .or(out.text)
            .unwrap_or_default(),
        out.stderr,
    )
}

fn count(srv: &Server) -> usize {
    srv.requests.lock().unwrap().len()
}

const SENT: &str = r#"{"MessageId":"m-1","MD5OfMessageBody":"49f68a5c8493ec2c0bf489821c21fc3b"}"#;
const SEND: &str = "aws sqs send-message --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/q --message-body hi";

/// The finding of issue 19: after a dropped response, `sqs send-message` was
/// sent again (two messages in the queue).
#[tokio::test]
async fn a_write_without_a_token_is_not_sent_twice() {
    let srv = server(vec![Act::Drop, Act::Answer(200, SENT)]);
    let (code, _, err) = run(&srv, SEND).await;
    assert_eq!(count(&srv), 1, "sent once");
    assert_eq!(code, 255);
    assert!(
        err.contains("may have been applied") && err.contains("aws sqs send-message"),
        "{err}"
    );
    // A 500 while the service handled it: the same.
    let srv = server(vec![
        Act::Answer(500, r#"{"__type":"InternalError","message":"boom"}"#),
        Act::Answer(200, SENT),
    ]);
    let (code, _, err) = run(&srv, SEND).await;
    assert_eq!((count(&srv), code), (1, 255));
    assert!(
        err.contains("InternalError") && err.contains("may have been applied"),
        "{err}"
    );
    // Throttled: the service did not act on it, so it is sent again.
    let srv = server(vec![
        Act::Answer(
            400,
            r#"{"__type":"ThrottlingException","message":"slow down"}"#,
        ),
        Act::Answer(200, SENT),
    ]);
    let (code, out, err) = run(&srv, SEND).await;
    assert_eq!((count(&srv), code), (2, 0), "{err}");
    assert!(out.contains("m-1"));
}

#[tokio::test]
async fn reads_are_retried_after_a_dropped_response() {
    let srv = server(vec![Act::Drop, Act::Answer(200, r#"{"QueueUrls":["u"]}"#)]);
    let (code, out, err) = run(&srv, "aws sqs list-queues").await;
    assert_eq!((count(&srv), code), (2, 0), "{err}");
    assert!(out.contains("QueueUrls"));
}

/// A write with an idempotency token is sent again with the same token, so
/// the service applies it once.
#[tokio::test]
async fn a_write_with_a_token_is_retried_with_the_same_token() {
    let srv = server(vec![
        Act::Drop,
        Act::Drop,
        Act::Answer(200, r#"{"ARN":"arn:x","Name":"s"}"#),
    ]);
    let (code, out, err) = run(
        &srv,
        "aws secretsmanager create-secret --name s --secret-string v",
    )
    .await;
    assert_eq!((count(&srv), code), (3, 0), "{err}");
    assert!(out.contains("arn:x"));
    let tokens: Vec<String> = srv
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| {
            let body = &r[r.find("\r\n\r\n").unwrap() + 4..];
            let v: serde_json::Value = serde_json::from_str(body).unwrap();
            v["ClientRequestToken"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(tokens.len(), 3);
    assert!(
        tokens.iter().all(|t| t == &tokens[0] && t.len() == 36),
        "{tokens:?}"
    );
}

/// Issue 19, finding 11: a hostile endpoint answering `--max-items
/// 100000000` with endless pages grew the process to gigabytes; pagination
/// now stops at a bound tied to the output cap.
#[tokio::test]
async fn endless_pages_stop_at_a_bound_tied_to_the_output_cap() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    let served = Arc::new(Mutex::new(0usize));
    let count = served.clone();
    std::thread::spawn(move || {
        let names: Vec<String> = (0..1000).map(|i| format!("\"table-{i:0>60}\"")).collect();
        for conn in l.incoming() {
            let Ok(mut s) = conn else { return };
            if read_request(&mut s).is_none() {
                continue;
            }
            let n = {
                let mut c = count.lock().unwrap();
                *c += 1;
                *c
            };
            let body = format!(
                "{{\"TableNames\":[{}],\"LastEvaluatedTableName\":\"page-{n}\"}}",
                names.join(",")
            );
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let env = EndpointEnv {
        endpoint_url: Some(url),
        ..Default::default()
    };
    let ex = NativeExecutor::with_env(Catalog::embedded(), env)
        .with_defaults(Some("us-east-1".into()), None)
        .with_credentials("testing", "secret", None);
    let c = Validator::new(Catalog::embedded())
        .validate("aws dynamodb list-tables --max-items 100000000")
        .unwrap();
    let mut opts = ExecOptions::default();
    opts.output_cap = 64 * 1024;
    opts.timeout = std::time::Duration::from_secs(120);
    let out = ex.execute(&c, &opts).await.unwrap();
    assert_eq!(out.exit_code, Some(255));
    assert!(
        out.stderr.contains("MB") && out.stderr.contains("--max-items"),
        "{}",
        out.stderr
    );
    // The 16 MiB floor (64 KiB × 64 is less): about a hundred pages of
    // ~170 KB of results, not thousands.
    let pages = *served.lock().unwrap();
    assert!((20..=200).contains(&pages), "{pages} pages");
}

/// The `s3` commands' own requests follow the same rule: `CreateBucket`
/// (`s3 mb`) creates something new, so a dropped response is not sent
/// again; `DeleteBucket` (`s3 rb`) leaves the same state when repeated, so
/// it is.
#[tokio::test]
async fn s3_commands_resend_only_what_repeats_safely() {
    let srv = server(vec![Act::Drop, Act::Answer(200, "")]);
    let (code, _, err) = run(&srv, "aws s3 mb s3://fresh-bucket").await;
    assert_eq!(count(&srv), 1, "sent once: {err}");
    assert_ne!(code, 0);
    assert!(
        err.contains("may have been applied") && err.contains("CreateBucket"),
        "{err}"
    );
    let srv = server(vec![Act::Drop, Act::Answer(204, "")]);
    let (code, out, err) = run(&srv, "aws s3 rb s3://old-bucket").await;
    assert_eq!((count(&srv), code), (2, 0), "{err}");
    assert!(out.contains("remove_bucket: old-bucket"), "{out}");
}
