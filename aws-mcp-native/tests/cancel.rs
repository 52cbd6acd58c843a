//! Cancellation and timeouts against a real (silent) TCP server on 127.0.0.1.
#![allow(clippy::unwrap_used)]

use std::io::Read;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use aws_mcp_core::{Catalog, ExecError, ExecOptions, Executor, Validator};
use aws_mcp_native::{EndpointEnv, NativeExecutor};

fn silent() -> (TcpListener, String) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    (l, url)
}

fn executor(url: &str) -> NativeExecutor {
    let env = EndpointEnv {
        endpoint_url: Some(url.to_string()),
        ..Default::default()
    };
    NativeExecutor::with_env(Catalog::embedded(), env)
        .with_defaults(Some("us-east-1".into()), None)
        .with_credentials("testing", "secret", None)
}

#[tokio::test]
async fn dropping_the_call_closes_the_connection() {
    let (l, url) = silent();
    let ex = executor(&url);
    let cmd = Validator::new(Catalog::embedded())
        .validate("aws sqs list-queues")
        .unwrap();
    let opts = ExecOptions::default();
    let accept = std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut buf = [0u8; 65536];
        let mut got = Vec::new();
        let start = Instant::now();
        loop {
            match s.read(&mut buf) {
                Ok(0) => return (got, Some(start.elapsed())),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(_) => return (got, None),
            }
        }
    });
    let r = tokio::time::timeout(Duration::from_millis(800), ex.execute(&cmd, &opts)).await;
    assert!(r.is_err(), "the call was still waiting when dropped");
    let (request, closed_after) = tokio::task::spawn_blocking(move || accept.join().unwrap())
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&request);
    assert!(text.starts_with("POST / HTTP/1.1"), "{text}");
    assert!(
        text.contains("AWS4-HMAC-SHA256 Credential=testing/"),
        "signed: {text}"
    );
    assert!(
        text.contains("x-amz-target: AmazonSQS.ListQueues"),
        "{text}"
    );
    assert!(
        closed_after.is_some(),
        "the connection was closed after the drop"
    );
}

#[tokio::test]
async fn the_timeout_is_an_error() {
    let (l, url) = silent();
    let _keep = std::thread::spawn(move || {
        let conns: Vec<_> = l.incoming().take(3).collect();
        std::thread::sleep(Duration::from_secs(5));
        drop(conns);
    });
    let ex = executor(&url);
    let cmd = Validator::new(Catalog::embedded())
        .validate("aws iam list-users")
        .unwrap();
    let mut opts = ExecOptions::default();
    opts.timeout = Duration::from_millis(500);
    let start = Instant::now();
    let r = ex.execute(&cmd, &opts).await;
    assert!(matches!(r, Err(ExecError::Timeout { .. })), "{r:?}");
    assert!(start.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn uncovered_commands_are_refused_with_the_reason() {
    let ex = executor("http://127.0.0.1:9");
    let cmd = Validator::new(Catalog::embedded())
        .validate("aws s3 cp - s3://b/k --recursive")
        .unwrap();
    match ex.execute(&cmd, &ExecOptions::default()).await {
        Err(ExecError::Config(why)) => assert!(why.contains("streaming"), "{why}"),
        other => panic!("{other:?}"),
    }
}
