//! JSON-RPC messages over the size limit are answered with an error.
//!
//! rmcp's stdio transport reads one message per line and drops a line longer
//! than [`MAX_MESSAGE_BYTES`] (16 MiB) with only a log line: the client waits
//! for an answer that never comes. This module wraps the two streams:
//!
//! * [`GuardedReader`] passes every byte on to rmcp unchanged and watches the
//!   lines go by: their length, and the top-level `"id"` of each message (a
//!   streaming scan, no buffering: the id may come after a huge `params`).
//!   When a line reaches the limit, rmcp drops it; the reader then queues a
//!   JSON-RPC error response for that id (`-32600`, with the size and what to
//!   do).
//! * [`LineWriter`] cuts what rmcp writes into whole lines and hands them to
//!   one task (`pump`) that owns standard output, the same queue the
//!   reader's errors go to: an error can never land inside another message.
//!
//! [`guarded`] builds the pair; the pump ends, after writing everything
//! queued, once both are dropped.

use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

/// The largest JSON-RPC message read (rmcp's own line limit).
pub const MAX_MESSAGE_BYTES: usize = rmcp::transport::async_rw::DEFAULT_MAX_LINE_LENGTH;

/// The longest `"id"` value kept (ids are short).
const MAX_ID_BYTES: usize = 256;

/// Wrap `read` and `write`; returns the streams to give rmcp and the task
/// that writes standard output (await it after the service ends).
pub fn guarded<R, W>(
    read: R,
    write: W,
) -> (GuardedReader<R>, LineWriter, tokio::task::JoinHandle<()>)
where
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (tx, rx) = unbounded_channel();
    let pump = tokio::spawn(pump(rx, write));
    (
        GuardedReader {
            inner: read,
            line: LineState::default(),
            tx: tx.clone(),
            limit: MAX_MESSAGE_BYTES,
        },
        LineWriter {
            pending: Vec::new(),
            tx,
        },
        pump,
    )
}

/// Writes every queued line, in order, flushing after each.
async fn pump<W: AsyncWrite + Unpin>(mut rx: UnboundedReceiver<Vec<u8>>, mut out: W) {
    while let Some(line) = rx.recv().await {
        if out.write_all(&line).await.is_err() || out.flush().await.is_err() {
            return;
        }
    }
}

/// The error response for a message of `len` bytes with id `id` (JSON text).
fn error_line(id: Option<&[u8]>, len: usize, limit: usize) -> Vec<u8> {
    let id = id
        .and_then(|raw| serde_json::from_slice::<serde_json::Value>(raw).ok())
        .filter(|v| v.is_string() || v.is_number())
        .unwrap_or(serde_json::Value::Null);
    let message = format!(
        "the message is {len} bytes, over the limit of {limit} bytes ({} MiB) for one JSON-RPC message, so it was not read; send smaller requests: fewer commands in a list, and large values in a file:// parameter file",
        limit >> 20
    );
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": -32600, "message": message},
    });
    let mut out = body.to_string().into_bytes();
    out.push(b'\n');
    out
}

/// Standard input, watched line by line (see the module docs).
pub struct GuardedReader<R> {
    inner: R,
    line: LineState,
    tx: UnboundedSender<Vec<u8>>,
    limit: usize,
}

impl<R> GuardedReader<R> {
    fn observe(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if b == b'\n' {
                self.end_line();
            } else {
                self.line.len += 1;
                self.line.scan.push(b);
            }
        }
    }

    fn end_line(&mut self) {
        // rmcp drops a line whose length with its newline is over the limit.
        if self.line.len >= self.limit {
            let _ = self.tx.send(error_line(
                self.line.scan.id.as_deref(),
                self.line.len,
                self.limit,
            ));
        }
        self.line = LineState::default();
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for GuardedReader<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &r {
            let new = buf.filled()[before..].to_vec();
            if new.is_empty() {
                // End of input: an unterminated over-long line is answered too.
                if self.line.len > 0 {
                    self.end_line();
                }
            } else {
                self.observe(&new);
            }
        }
        r
    }
}

/// Standard output as rmcp writes it, cut into whole lines for the pump.
pub struct LineWriter {
    pending: Vec<u8>,
    tx: UnboundedSender<Vec<u8>>,
}

impl AsyncWrite for LineWriter {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.pending.extend_from_slice(buf);
        while let Some(i) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=i).collect();
            if self.tx.send(line).is_err() {
                return Poll::Ready(Err(std::io::Error::new(
                    std::io::ErrorKind::BrokenPipe,
                    "standard output is closed",
                )));
            }
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            let _ = self.tx.send(rest);
        }
        Poll::Ready(Ok(()))
    }
}

/// One line seen so far.
#[derive(Default)]
struct LineState {
    len: usize,
    scan: IdScan,
}

/// A streaming scan for the top-level `"id"` of one JSON object.
#[derive(Default)]
struct IdScan {
    depth: u32,
    in_string: bool,
    escape: bool,
    /// At depth 1, the next string is a key.
    want_key: bool,
    /// The key being read (first bytes only).
    key: Option<Vec<u8>>,
    /// The last complete key at depth 1 was `id`.
    key_is_id: bool,
    /// Reading the value of `id`.
    value: Option<Vec<u8>>,
    /// The value of the top-level `id`, raw JSON text.
    id: Option<Vec<u8>>,
}

impl IdScan {
    fn push(&mut self, b: u8) {
        if let Some(v) = self.value.as_mut() {
            let ends = !self.in_string && self.depth == 1 && (b == b',' || b == b'}');
            if ends {
                let v = self.value.take().unwrap_or_default();
                if self.id.is_none() && v.len() <= MAX_ID_BYTES {
                    self.id = Some(v.trim_ascii().to_vec());
                }
            } else if v.len() <= MAX_ID_BYTES {
                v.push(b);
            }
        }
        if self.in_string {
            if let Some(k) = self.key.as_mut() {
                if k.len() <= 8 {
                    k.push(b);
                }
            }
            if self.escape {
                self.escape = false;
            } else if b == b'\\' {
                self.escape = true;
            } else if b == b'"' {
                self.in_string = false;
                if let Some(mut k) = self.key.take() {
                    k.pop(); // the closing quote
                    self.key_is_id = k == b"id";
                }
            }
            return;
        }
        match b {
            b'"' => {
                self.in_string = true;
                if self.depth == 1 && self.want_key {
                    self.key = Some(Vec::new());
                    self.want_key = false;
                }
            }
            b'{' | b'[' => {
                self.depth += 1;
                if self.depth == 1 && b == b'{' {
                    self.want_key = true;
                }
            }
            b'}' | b']' => self.depth = self.depth.saturating_sub(1),
            b':' if self.depth == 1 => {
                if self.key_is_id && self.value.is_none() && self.id.is_none() {
                    self.value = Some(Vec::new());
                }
                self.key_is_id = false;
            }
            b',' if self.depth == 1 => self.want_key = true,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_of(text: &str) -> Option<String> {
        let mut s = IdScan::default();
        for b in text.bytes() {
            s.push(b);
        }
        s.id.map(|v| String::from_utf8_lossy(&v).into_owned())
    }

    #[test]
    fn finds_the_top_level_id_wherever_it_is() {
        assert_eq!(
            id_of(r#"{"jsonrpc":"2.0","id":7,"method":"x"}"#).as_deref(),
            Some("7")
        );
        assert_eq!(
            id_of(r#"{"method":"tools/call","params":{"id":"inner","a":[{"id":1}]},"jsonrpc":"2.0","id":"abc\"d"}"#).as_deref(),
            Some(r#""abc\"d""#)
        );
        assert_eq!(id_of(r#"{"method":"x","params":{"id":3}}"#), None);
        assert_eq!(id_of(r#"{ "id" : 42 }"#).as_deref(), Some("42"));
        assert_eq!(id_of(r#"{"ids":1,"xid":2}"#), None);
        assert_eq!(id_of(r#"{"k":"\"id\":5","id":6}"#).as_deref(), Some("6"));
    }

    #[tokio::test]
    async fn an_over_long_line_is_answered_and_others_pass() {
        let id = "x".repeat(50);
        let big = format!(
            "{{\"method\":\"tools/call\",\"params\":{{\"a\":\"{}\"}},\"jsonrpc\":\"2.0\",\"id\":\"{id}\"}}\n",
            "y".repeat(2000)
        );
        let input = format!("{{\"a\":1}}\n{big}{{\"b\":2}}\n");
        let (out_tx, mut out_rx) = unbounded_channel::<Vec<u8>>();
        let mut reader = GuardedReader {
            inner: input.as_bytes(),
            line: LineState::default(),
            tx: out_tx,
            limit: 1000,
        };
        let mut passed = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut passed)
            .await
            .unwrap();
        assert_eq!(passed, input.as_bytes(), "every byte reaches rmcp");
        drop(reader);
        let err = out_rx.recv().await.expect("one error");
        assert!(out_rx.recv().await.is_none(), "only one");
        let v: serde_json::Value = serde_json::from_slice(&err).unwrap();
        assert_eq!(v["id"], serde_json::json!(id));
        assert_eq!(v["error"]["code"], -32600);
        let msg = v["error"]["message"].as_str().unwrap();
        assert!(msg.contains(&format!("{} bytes", big.len() - 1)), "{msg}");
    }

    #[tokio::test]
    async fn the_writer_keeps_lines_whole() {
        let (tx, mut rx) = unbounded_channel();
        let mut w = LineWriter {
            pending: Vec::new(),
            tx,
        };
        w.write_all(b"{\"a\":").await.unwrap();
        w.write_all(b"1}\n{\"b\"").await.unwrap();
        w.write_all(b":2}\n").await.unwrap();
        assert_eq!(rx.recv().await.unwrap(), b"{\"a\":1}\n");
        assert_eq!(rx.recv().await.unwrap(), b"{\"b\":2}\n");
    }
}
