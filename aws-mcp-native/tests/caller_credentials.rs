//! A call that carries its caller's credentials (the HTTP server acting for
//! many callers) is signed with them, never with the executor's own
//! identity: the generated operations and the high-level `s3` commands
//! alike. A local HTTP server on 127.0.0.1 records the requests.
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use aws_mcp_core::exec::Credentials;
use aws_mcp_core::{Catalog, ExecOptions, Executor, Validator};
use aws_mcp_native::{EndpointEnv, NativeExecutor};

const LIST_BUCKETS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
<Owner><ID>o</ID></Owner><Buckets><Bucket><Name>b</Name>\
<CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets>\
</ListAllMyBucketsResult>";

/// A server answering every request with `ListBuckets`' result; the
/// requests' heads are kept.
fn server() -> (String, Arc<Mutex<Vec<String>>>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let kept = seen.clone();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { return };
            let mut buf = [0u8; 16384];
            let n = s.read(&mut buf).unwrap_or(0);
            kept.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&buf[..n]).into_owned());
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{LIST_BUCKETS}",
                LIST_BUCKETS.len()
            );
        }
    });
    (url, seen)
}

#[tokio::test]
async fn the_callers_credentials_sign_every_kind_of_command() {
    for line in ["aws s3api list-buckets", "aws s3 ls"] {
        let (url, seen) = server();
        let env = EndpointEnv {
            endpoint_url: Some(url),
            ..Default::default()
        };
        let ex = NativeExecutor::with_env(Catalog::embedded(), env)
            .with_defaults(Some("us-east-1".into()), None)
            .with_credentials("SERVERKEY", "server-secret", None);
        let cmd = Validator::new(Catalog::embedded()).validate(line).unwrap();
        let mut opts = ExecOptions::default();
        opts.credentials = Some(Credentials {
            access_key_id: "CALLERKEY".into(),
            secret_access_key: "caller-secret".into(),
            session_token: Some("caller-token".into()),
            expires: None,
        });
        let out = ex.execute(&cmd, &opts).await.unwrap();
        assert_eq!(out.exit_code, Some(0), "{line}: {out:?}");
        let seen = seen.lock().unwrap();
        assert!(!seen.is_empty(), "{line}: no request");
        for req in seen.iter() {
            let lower = req.to_ascii_lowercase();
            assert!(
                req.contains("Credential=CALLERKEY/")
                    && lower.contains("x-amz-security-token: caller-token"),
                "{line}: not signed with the caller's credentials:\n{req}"
            );
            assert!(
                !req.contains("SERVERKEY"),
                "{line}: the server's identity was used"
            );
        }
    }
}
