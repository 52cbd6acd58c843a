//! `s3 presign` with Signature Version 2 (what AWS CLI v1 produces unless
//! the profile asks for `s3v4`): botocore's `HmacV1QueryAuth`, minus the
//! HMAC itself (the native executor computes it).
//!
//! The string to sign is `GET\n\n\n<expires>\n` (no Content-MD5, no
//! Content-Type, the expiry time instead of a date), then
//! `x-amz-security-token:<token>\n` with temporary credentials, then the
//! canonical resource `/<bucket>/<key>` (URI-encoded, whatever the
//! addressing style of the URL). The query appended to the URL is
//! `AWSAccessKeyId`, `Signature` (base64), `x-amz-security-token`,
//! `Expires`, each percent-encoded with only `-_.~` left as they are.

use crate::protocol::serialize::percent_encode;

/// The string SigV2 signs for a presigned GET of `auth_path`.
pub fn v2_string_to_sign(expires: i64, token: Option<&str>, auth_path: &str) -> String {
    let mut s = format!("GET\n\n\n{expires}\n");
    if let Some(t) = token {
        s.push_str(&format!("x-amz-security-token:{}\n", t.trim()));
    }
    s.push_str(auth_path);
    s
}

/// The presigned URL: `url` (endpoint and path, no query) with the SigV2
/// query appended (`signature` is the base64 HMAC-SHA1).
pub fn v2_url(
    url: &str,
    access_key: &str,
    signature: &str,
    token: Option<&str>,
    expires: i64,
) -> String {
    let mut q = vec![
        ("AWSAccessKeyId", access_key.to_string()),
        ("Signature", signature.to_string()),
    ];
    if let Some(t) = token {
        q.push(("x-amz-security-token", t.to_string()));
    }
    q.push(("Expires", expires.to_string()));
    let query: Vec<String> = q
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k, b""), percent_encode(v, b"")))
        .collect();
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{}", query.join("&"))
}

/// botocore's `authPath` of `GetObject`: `/<bucket>/<key>`, the bucket
/// encoded as a URI label and the key as a greedy one (`/` kept).
pub fn auth_path(bucket: &str, key: &str) -> String {
    format!(
        "/{}/{}",
        percent_encode(bucket, b"~"),
        percent_encode(key, b"/~")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_pieces() {
        assert_eq!(
            v2_string_to_sign(1700000000, None, "/b/a%20b.txt"),
            "GET\n\n\n1700000000\n/b/a%20b.txt"
        );
        assert_eq!(
            v2_string_to_sign(1, Some("tok"), "/b/k"),
            "GET\n\n\n1\nx-amz-security-token:tok\n/b/k"
        );
        assert_eq!(auth_path("b", "d/a b+c.txt"), "/b/d/a%20b%2Bc.txt");
        assert_eq!(
            v2_url("http://h/b/k", "AK", "a+b/c=", Some("t/1"), 5),
            "http://h/b/k?AWSAccessKeyId=AK&Signature=a%2Bb%2Fc%3D&x-amz-security-token=t%2F1&Expires=5"
        );
    }
}
