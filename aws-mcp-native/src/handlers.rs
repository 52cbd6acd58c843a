//! botocore's `before-call` handlers on the serialized request (headers and
//! body), for the operations the native executor runs. Each function names
//! the handler it reproduces (`botocore/handlers.py`).

use aws_mcp_wire::protocol::HttpRequest;

fn has_header(req: &HttpRequest, name: &str) -> bool {
    req.headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case(name))
}

/// Apply the request handlers botocore registers for `service` (the API
/// name) and `operation` to a serialized request. `api_version` is the
/// service's (`2012-06-01` for Glacier).
pub(crate) fn before_call(
    service: &str,
    operation: &str,
    api_version: Option<&str>,
    req: &mut HttpRequest,
) {
    match service {
        // add_glacier_version
        "glacier" => {
            if let Some(v) = api_version {
                req.headers
                    .push(("x-amz-glacier-version".into(), v.to_string()));
            }
            // add_glacier_checksums (UploadArchive, UploadMultipartPart).
            if matches!(operation, "UploadArchive" | "UploadMultipartPart") {
                if !has_header(req, "x-amz-content-sha256") {
                    let h = aws_mcp_wire::protocol::checksum::sha256_hex(&req.body);
                    req.headers.push(("x-amz-content-sha256".into(), h));
                }
                if !has_header(req, "x-amz-sha256-tree-hash") {
                    let h = aws_mcp_wire::protocol::checksum::glacier_tree_hash(&req.body);
                    req.headers.push(("x-amz-sha256-tree-hash".into(), h));
                }
            }
        }
        // add_accept_header
        "apigateway" if !has_header(req, "Accept") => {
            req.headers
                .push(("Accept".into(), "application/json".into()));
        }
        // escape_xml_payload
        "s3" if matches!(
            operation,
            "DeleteObjects" | "PutBucketLifecycleConfiguration"
        ) && req.body.iter().any(|b| *b == b'\r' || *b == b'\n') =>
        {
            let mut out = Vec::with_capacity(req.body.len() + 16);
            for &b in &req.body {
                match b {
                    b'\r' => out.extend_from_slice(b"&#xD;"),
                    b'\n' => out.extend_from_slice(b"&#xA;"),
                    b => out.push(b),
                }
            }
            req.body = out;
        }
        _ => {}
    }
}

/// botocore's `add_recursion_detection_header`: inside AWS Lambda, the
/// trace id of the invocation goes along as `X-Amzn-Trace-Id`.
pub(crate) fn recursion_detection(req: &mut HttpRequest, lookup: impl Fn(&str) -> Option<String>) {
    if has_header(req, "X-Amzn-Trace-Id") || lookup("AWS_LAMBDA_FUNCTION_NAME").is_none() {
        return;
    }
    if let Some(id) = lookup("_X_AMZN_TRACE_ID") {
        let encoded: String = id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-=;:+&[]{}\"',".contains(c) {
                    c.to_string()
                } else {
                    let mut b = [0u8; 4];
                    c.encode_utf8(&mut b)
                        .bytes()
                        .map(|x| format!("%{x:02X}"))
                        .collect()
                }
            })
            .collect();
        req.headers.push(("X-Amzn-Trace-Id".into(), encoded));
    }
}

/// awscli v1's preview services (`awscli/customizations/preview.py`):
/// they run only when the config file's `[preview]` section says
/// `<service> = true`.
pub(crate) const PREVIEW_SERVICES: &[&str] = &["sdb"];

/// The message and exit code awscli v1 gives a preview service that is not
/// enabled (`PreviewModeCommandMixin._display_opt_in_message`).
pub(crate) fn preview_refusal(service: &str) -> (i32, String, String) {
    let msg = format!(
        "AWS CLI support for this service is only available in a preview stage.\n\n\
However, if you'd like to use the \"aws {service}\" commands with the\n\
AWS CLI, you can enable this service by adding the following to your CLI\n\
config file:\n\n    [preview]\n    {service}=true\n\nor by running:\n\n    \
aws configure set preview.{service} true\n\n"
    );
    (1, String::new(), msg)
}

/// Whether the AWS config file (`config`: its text) enables preview
/// service `service`: a `[preview]` section with `service = true` (the
/// value compared exactly, as awscli does).
pub(crate) fn preview_enabled(config: &str, service: &str) -> bool {
    let mut in_preview = false;
    for line in config.lines() {
        let t = line.trim();
        if t.starts_with('[') && t.ends_with(']') {
            in_preview = t[1..t.len() - 1].trim() == "preview";
            continue;
        }
        if !in_preview || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        if let Some((k, v)) = t.split_once('=') {
            if k.trim() == service && v.trim() == "true" {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(body: &[u8]) -> HttpRequest {
        let mut r = HttpRequest::default();
        r.method = "POST".into();
        r.path = "/".into();
        r.body = body.to_vec();
        r
    }

    fn header<'r>(r: &'r HttpRequest, name: &str) -> Option<&'r str> {
        r.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn glacier_gets_its_version_and_upload_checksums() {
        let mut r = req(b"");
        before_call("glacier", "ListVaults", Some("2012-06-01"), &mut r);
        assert_eq!(header(&r, "x-amz-glacier-version"), Some("2012-06-01"));
        assert_eq!(header(&r, "x-amz-sha256-tree-hash"), None);
        let mut r = req(b"hello world");
        before_call("glacier", "UploadArchive", Some("2012-06-01"), &mut r);
        // sha256("hello world"); a body under 1 MiB is its own tree hash.
        let h = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
        assert_eq!(header(&r, "x-amz-content-sha256"), Some(h));
        assert_eq!(header(&r, "x-amz-sha256-tree-hash"), Some(h));
    }

    #[test]
    fn apigateway_asks_for_json() {
        let mut r = req(b"");
        before_call("apigateway", "GetRestApis", None, &mut r);
        assert_eq!(header(&r, "Accept"), Some("application/json"));
        let mut r = req(b"");
        r.headers.push(("accept".into(), "application/pdf".into()));
        before_call("apigateway", "GetExport", None, &mut r);
        assert_eq!(header(&r, "Accept"), Some("application/pdf"));
    }

    #[test]
    fn s3_line_breaks_are_escaped_in_two_payloads() {
        let mut r = req(b"<Key>a\r\nb</Key>");
        before_call("s3", "DeleteObjects", None, &mut r);
        assert_eq!(r.body, b"<Key>a&#xD;&#xA;b</Key>");
        let mut r = req(b"<Key>a\nb</Key>");
        before_call("s3", "PutBucketTagging", None, &mut r);
        assert_eq!(r.body, b"<Key>a\nb</Key>");
    }

    #[test]
    fn preview_services_need_the_config_setting() {
        assert!(!preview_enabled("", "sdb"));
        assert!(preview_enabled(
            "[default]\nregion = x\n[preview]\nsdb = true\n",
            "sdb"
        ));
        assert!(!preview_enabled("[preview]\nsdb = True\n", "sdb"));
        assert!(!preview_enabled("[default]\nsdb = true\n", "sdb"));
        let (code, out, err) = preview_refusal("sdb");
        assert_eq!((code, out.as_str()), (1, ""));
        assert!(err.starts_with("AWS CLI support for this service is only available in a preview stage.\n\nHowever, if you'd like to use the \"aws sdb\" commands with the\nAWS CLI"));
        assert!(err.ends_with("    [preview]\n    sdb=true\n\nor by running:\n\n    aws configure set preview.sdb true\n\n"));
    }

    #[test]
    fn trace_id_only_inside_lambda() {
        let mut r = req(b"");
        recursion_detection(&mut r, |k| {
            (k == "_X_AMZN_TRACE_ID").then(|| "Root=1-a".into())
        });
        assert_eq!(header(&r, "X-Amzn-Trace-Id"), None);
        let mut r = req(b"");
        recursion_detection(&mut r, |k| match k {
            "AWS_LAMBDA_FUNCTION_NAME" => Some("f".into()),
            "_X_AMZN_TRACE_ID" => Some("Root=1-a;Parent=b c".into()),
            _ => None,
        });
        assert_eq!(header(&r, "X-Amzn-Trace-Id"), Some("Root=1-a;Parent=b%20c"));
    }
}
