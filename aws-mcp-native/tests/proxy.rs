//! Requests through an HTTP proxy (`CONNECT` tunnel), and `NO_PROXY`,
//! against real sockets on 127.0.0.1.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use aws_mcp_core::{Catalog, ExecOptions, Validator};
use aws_mcp_native::{proxies_from_lookup, EndpointEnv, NativeExecutor};

const STS: &str = "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>";

/// An AWS stand-in: answers every request with one STS response.
fn aws() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            std::thread::spawn(move || {
                let mut r = BufReader::new(s.try_clone().unwrap());
                let mut w = s;
                let mut len = 0;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let l = line.trim_end().to_ascii_lowercase();
                    if l.is_empty() {
                        break;
                    }
                    if let Some(v) = l.strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                r.read_exact(&mut body).unwrap();
                let resp = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{STS}",
                    STS.len()
                );
                w.write_all(resp.as_bytes()).unwrap();
            });
        }
    });
    url
}

/// A CONNECT proxy that records the targets it tunnelled to.
fn proxy(seen: Arc<Mutex<Vec<String>>>) -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut r = BufReader::new(s.try_clone().unwrap());
                let mut first = String::new();
                r.read_line(&mut first).unwrap();
                loop {
                    let mut line = String::new();
                    r.read_line(&mut line).unwrap();
                    if line.trim().is_empty() {
                        break;
                    }
                }
                let target = first.split_whitespace().nth(1).unwrap_or("").to_string();
                seen.lock().unwrap().push(format!(
                    "{} {target}",
                    first.split_whitespace().next().unwrap_or("")
                ));
                let up = TcpStream::connect(&target).unwrap();
                let mut client = s;
                client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .unwrap();
                let (mut up_r, mut up_w) = (up.try_clone().unwrap(), up);
                let mut client_w = client.try_clone().unwrap();
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut r, &mut up_w);
                });
                let _ = std::io::copy(&mut up_r, &mut client_w);
            });
        }
    });
    url
}

async fn call(aws: &str, env: &[(&str, String)]) -> (i32, String) {
    let lookup = |k: &str| env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
    let ex = NativeExecutor::with_env(
        Catalog::embedded(),
        EndpointEnv {
            endpoint_url: Some(aws.to_string()),
            ..Default::default()
        },
    )
    .with_proxies(proxies_from_lookup(lookup))
    .with_defaults(Some("us-east-1".into()), None)
    .with_credentials("testing", "secret", None);
    let cmd = Validator::new(Catalog::embedded())
        .validate("aws sts get-caller-identity")
        .unwrap();
    let (code, out, err) = ex.run(&cmd, &ExecOptions::default()).await.unwrap();
    (code, out + &err)
}

#[tokio::test]
async fn requests_go_through_the_proxy_and_no_proxy_bypasses_it() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (aws, proxy) = (aws(), proxy(seen.clone()));
    let host = aws.trim_start_matches("http://").to_string();

    let (code, out) = call(&aws, &[("HTTP_PROXY", proxy.clone())]).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("123456789012"), "{out}");
    assert_eq!(*seen.lock().unwrap(), vec![format!("CONNECT {host}")]);

    // Lower-case names work too; NO_PROXY naming the host goes direct.
    let (code, out) = call(
        &aws,
        &[
            ("http_proxy", proxy.clone()),
            ("no_proxy", "127.0.0.1".into()),
        ],
    )
    .await;
    assert_eq!(code, 0, "{out}");
    assert_eq!(seen.lock().unwrap().len(), 1, "NO_PROXY bypassed the proxy");

    // No proxy variables: no proxy.
    assert!(proxies_from_lookup(|_| None).is_none());
    // HTTPS_PROXY applies to https only: this http endpoint goes direct.
    let (code, _) = call(&aws, &[("HTTPS_PROXY", proxy)]).await;
    assert_eq!(code, 0);
    assert_eq!(seen.lock().unwrap().len(), 1);
}
