//! Presigned URLs: botocore's cross-region copy handlers and the query
//! string signing they use.
//!
//! A copy from another region (`ec2 copy-snapshot`, `rds copy-db-snapshot
//! --source-region ...`, and the same operations of DocumentDB and Neptune)
//! carries a URL presigned in the *source* region that lets the destination
//! region read the source. botocore builds it in `before-call` handlers,
//! after the request was serialized; they are reproduced here exactly:
//!
//! * `inject_presigned_url_ec2` (EC2 `CopySnapshot`): unless the caller gave
//!   `PresignedUrl`, the serialized request plus `DestinationRegion` is
//!   presigned as a `GET` to the endpoint URL with the destination region's
//!   name replaced by the source region's (`SourceRegion`), valid one hour;
//!   the request then carries `PresignedUrl` and `DestinationRegion`.
//! * `inject_presigned_url_rds` (RDS `CopyDBSnapshot`,
//!   `CopyDBClusterSnapshot`, `CreateDBCluster`,
//!   `CreateDBInstanceReadReplica`, `StartDBInstanceAutomatedBackupsReplication`;
//!   DocumentDB's and Neptune's `CopyDBClusterSnapshot` and
//!   `CreateDBCluster`): only when `SourceRegion` is given; it is removed
//!   from the request (RDS does not take it), and unless the caller gave
//!   `PreSignedUrl`, the request plus `DestinationRegion` is presigned the
//!   same way; the request carries `PreSignedUrl` (not `DestinationRegion`).

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_mcp_core::catalog::OperationModel;
use aws_mcp_wire::protocol::serialize::{serialize, SerializeOptions};
use aws_mcp_wire::protocol::ServiceModel;
use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use serde_json::{Map, Value};

use crate::NativeError;

/// How long a presigned copy URL is valid (botocore's default).
pub(crate) const EXPIRES: Duration = Duration::from_secs(3600);

/// Which of botocore's copy handlers an operation has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CopyHandler {
    /// `inject_presigned_url_ec2`.
    Ec2,
    /// `inject_presigned_url_rds`.
    Rds,
}

/// The copy handler botocore registers for `service` (the API name) and
/// `operation`, if any.
pub(crate) fn copy_handler(service: &str, operation: &str) -> Option<CopyHandler> {
    match (service, operation) {
        ("ec2", "CopySnapshot") => Some(CopyHandler::Ec2),
        (
            "rds",
            "CopyDBSnapshot"
            | "CopyDBClusterSnapshot"
            | "CreateDBCluster"
            | "CreateDBInstanceReadReplica"
            | "StartDBInstanceAutomatedBackupsReplication",
        )
        | ("docdb" | "neptune", "CopyDBClusterSnapshot" | "CreateDBCluster") => {
            Some(CopyHandler::Rds)
        }
        _ => None,
    }
}

/// What a copy needs presigned: the parameters to presign (the request's;
/// [`source_url`] adds `DestinationRegion`, which RDS does not model) and
/// the source region; `params` already holds what the handler changes in
/// the request itself. `None`: nothing to sign.
pub(crate) fn prepare(
    handler: CopyHandler,
    params: &mut Map<String, Value>,
    destination: &str,
) -> Option<(Map<String, Value>, String)> {
    let source = match handler {
        CopyHandler::Ec2 => {
            if params.contains_key("PresignedUrl") {
                return None;
            }
            params.get("SourceRegion")?.as_str()?.to_string()
        }
        CopyHandler::Rds => {
            let source = params.remove("SourceRegion")?;
            if params.contains_key("PreSignedUrl") {
                return None;
            }
            source.as_str()?.to_string()
        }
    };
    let _ = destination;
    Some((params.clone(), source))
}

/// Put the presigned URL into the request parameters.
pub(crate) fn inject(
    handler: CopyHandler,
    params: &mut Map<String, Value>,
    url: String,
    destination: &str,
) {
    match handler {
        CopyHandler::Ec2 => {
            params.insert("PresignedUrl".into(), url.into());
            params.insert("DestinationRegion".into(), destination.into());
        }
        CopyHandler::Rds => {
            params.insert("PreSignedUrl".into(), url.into());
        }
    }
}

/// The URL a copy's presigned request goes to: the endpoint URL with the
/// destination region's name replaced by the source's (botocore's own
/// `str.replace`), the serialized form body with `DestinationRegion` set as
/// its query string.
pub(crate) fn source_url(
    endpoint_url: &str,
    path: &str,
    form_body: &[u8],
    destination: &str,
    source: &str,
) -> String {
    let base = endpoint_url.replace(destination, source);
    let body = String::from_utf8_lossy(form_body);
    let mut query: Vec<&str> = body
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("DestinationRegion="))
        .collect();
    let dest = format!(
        "DestinationRegion={}",
        aws_mcp_wire::protocol::serialize::percent_encode(destination, b"")
    );
    query.push(&dest);
    let query = query.join("&");
    let path = if path.is_empty() { "/" } else { path };
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{}{path}{sep}{query}", base.trim_end_matches('/'))
}

/// botocore's copy handler on the request parameters: `params` gets what
/// the handler changes (a presigned URL made with `creds` at `now`, signed
/// as `signing_name` in the source region; `SourceRegion` removed for RDS).
#[allow(clippy::too_many_arguments)]
pub(crate) fn apply(
    handler: CopyHandler,
    model: &ServiceModel<'_>,
    op_name: &str,
    op: &OperationModel,
    params: &mut Map<String, Value>,
    endpoint_url: &str,
    region: &str,
    creds: &Credentials,
    signing_name: &str,
    now: SystemTime,
) -> Result<(), NativeError> {
    let Some((signed, source)) = prepare(handler, params, region) else {
        return Ok(());
    };
    let req = serialize(model, op_name, op, &signed, &SerializeOptions::default())
        .map_err(|e| NativeError::Request(e.to_string()))?;
    let url = source_url(endpoint_url, &req.path, &req.body, region, &source);
    let url = presign_get(&url, creds, signing_name, &source, EXPIRES, now)?;
    inject(handler, params, url, region);
    Ok(())
}

/// Presign a `GET` of `url` with SigV4 in the query string, valid for
/// `expires` (botocore's `SigV4QueryAuth`).
pub(crate) fn presign_get(
    url: &str,
    creds: &Credentials,
    signing_name: &str,
    region: &str,
    expires: Duration,
    now: SystemTime,
) -> Result<String, NativeError> {
    presign_get_with_headers(url, &[], creds, signing_name, region, expires, now)
}

/// The authentication parameters botocore's `SigV4QueryAuth` adds, in the
/// order it adds them (after the request's own query; the signature last).
const AUTH_PARAMS: &[&str] = &[
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
];

/// `url` with its query parameters in botocore's order: the request's own
/// first, as they were, then the authentication parameters as
/// [`AUTH_PARAMS`] lists them (the signature covers the sorted form, so
/// the order changes nothing but the text).
pub(crate) fn botocore_order(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let name = |kv: &str| kv.split_once('=').map_or(kv, |(k, _)| k).to_string();
    let parts: Vec<&str> = query.split('&').filter(|kv| !kv.is_empty()).collect();
    let mut out: Vec<&str> = parts
        .iter()
        .filter(|kv| !AUTH_PARAMS.contains(&name(kv).as_str()))
        .copied()
        .collect();
    for a in AUTH_PARAMS {
        out.extend(parts.iter().filter(|kv| name(kv) == *a).copied());
    }
    format!("{base}?{}", out.join("&"))
}

/// [`presign_get`] with `headers` signed too (botocore signs every header
/// of the request it presigns: `eks get-token`'s `x-k8s-aws-id`). The
/// headers are not part of the URL: whoever uses it must send them.
pub(crate) fn presign_get_with_headers(
    url: &str,
    headers: &[(&str, &str)],
    creds: &Credentials,
    signing_name: &str,
    region: &str,
    expires: Duration,
    now: SystemTime,
) -> Result<String, NativeError> {
    let identity = creds.clone().into();
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(expires);
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(signing_name)
        .time(now)
        .settings(settings)
        .build()
        .map_err(|e| NativeError::Sign(e.to_string()))?
        .into();
    let signable = SignableRequest::new(
        "GET",
        url,
        headers.iter().copied(),
        SignableBody::Bytes(b""),
    )
    .map_err(|e| NativeError::Sign(e.to_string()))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| NativeError::Sign(e.to_string()))?
        .into_parts();
    let mut req = http::Request::builder()
        .method("GET")
        .uri(url)
        .body(())
        .map_err(|e| NativeError::Sign(e.to_string()))?;
    instructions.apply_to_request_http1x(&mut req);
    Ok(req.uri().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handlers_are_botocores() {
        assert_eq!(copy_handler("ec2", "CopySnapshot"), Some(CopyHandler::Ec2));
        assert_eq!(
            copy_handler("rds", "CopyDBSnapshot"),
            Some(CopyHandler::Rds)
        );
        assert_eq!(
            copy_handler("docdb", "CreateDBCluster"),
            Some(CopyHandler::Rds)
        );
        assert_eq!(
            copy_handler("neptune", "CopyDBClusterSnapshot"),
            Some(CopyHandler::Rds)
        );
        assert_eq!(copy_handler("docdb", "CopyDBClusterParameterGroup"), None);
        assert_eq!(copy_handler("ec2", "CopyImage"), None);
    }

    #[test]
    fn rds_drops_source_region_and_signs_with_the_destination() {
        let mut p = Map::new();
        p.insert("SourceDBSnapshotIdentifier".into(), "arn:x".into());
        p.insert("SourceRegion".into(), "us-west-2".into());
        let (signed, src) = prepare(CopyHandler::Rds, &mut p, "us-east-1").unwrap();
        assert_eq!(src, "us-west-2");
        assert!(!p.contains_key("SourceRegion"));
        assert!(!signed.contains_key("SourceRegion"));
        inject(CopyHandler::Rds, &mut p, "https://u".into(), "us-east-1");
        assert_eq!(p["PreSignedUrl"], "https://u");
        assert!(!p.contains_key("DestinationRegion"));
        // Without SourceRegion: a local copy, nothing to do.
        let mut p = Map::new();
        assert!(prepare(CopyHandler::Rds, &mut p, "us-east-1").is_none());
        // A caller-given URL is kept, SourceRegion still removed.
        let mut p = Map::new();
        p.insert("SourceRegion".into(), "us-west-2".into());
        p.insert("PreSignedUrl".into(), "mine".into());
        assert!(prepare(CopyHandler::Rds, &mut p, "us-east-1").is_none());
        assert!(!p.contains_key("SourceRegion"));
    }

    #[test]
    fn ec2_keeps_source_region_and_adds_destination() {
        let mut p = Map::new();
        p.insert("SourceRegion".into(), "us-west-2".into());
        p.insert("SourceSnapshotId".into(), "snap-1".into());
        let (signed, src) = prepare(CopyHandler::Ec2, &mut p, "eu-west-1").unwrap();
        assert_eq!(
            (src.as_str(), signed["SourceRegion"].as_str()),
            ("us-west-2", Some("us-west-2"))
        );
        inject(CopyHandler::Ec2, &mut p, "https://u".into(), "eu-west-1");
        assert_eq!(p["PresignedUrl"], "https://u");
        assert_eq!(p["DestinationRegion"], "eu-west-1");
        assert_eq!(p["SourceRegion"], "us-west-2");
    }

    /// The request parameters of a validated command after the copy
    /// handler, with the test credentials at 2023-11-14T22:13:20Z.
    fn handled(cmd: &str, service: &str, op_name: &str) -> Map<String, Value> {
        let cat = aws_mcp_core::Catalog::embedded();
        let c = aws_mcp_core::Validator::new(cat).validate(cmd).unwrap();
        let svc = cat.service(service).unwrap();
        let md = svc.metadata().unwrap();
        let model = ServiceModel {
            metadata: md,
            shapes: svc.shapes().unwrap(),
            protocol: aws_mcp_wire::protocol::Protocol::for_service(md).unwrap(),
        };
        let detail = svc.command(c.operation()).unwrap().detail().unwrap();
        let op = detail.op.as_deref().unwrap();
        let region = c.region().unwrap().to_string();
        let endpoint = format!("https://{service}.{region}.amazonaws.com");
        let mut params = c.parameters().clone();
        let creds = Credentials::new("AKID", "SECRET", Some("TOKEN".into()), None, "t");
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let h = copy_handler(service, op_name).unwrap();
        apply(
            h,
            &model,
            op_name,
            op,
            &mut params,
            &endpoint,
            &region,
            &creds,
            service,
            now,
        )
        .unwrap();
        params
    }

    /// The query parameters of a URL, sorted (the signature covers the
    /// canonical, sorted form).
    fn query(url: &str) -> Vec<String> {
        let mut q: Vec<String> = url
            .split_once('?')
            .unwrap()
            .1
            .split('&')
            .map(String::from)
            .collect();
        q.sort();
        q
    }

    #[test]
    fn copies_carry_the_url_botocore_presigns() {
        // Expected URLs: botocore 1.44.18, `create_client(..., aws_access_key_id="AKID",
        // aws_secret_access_key="SECRET", aws_session_token="TOKEN")`,
        // `botocore.auth.get_current_datetime` patched to 2023-11-14T22:13:20,
        // the request body captured at `before-send`.
        let p = handled(
            "aws ec2 copy-snapshot --source-region us-west-2 --source-snapshot-id snap-1 --region eu-west-1",
            "ec2",
            "CopySnapshot",
        );
        let botocore = "https://ec2.us-west-2.amazonaws.com/?Action=CopySnapshot&Version=2016-11-15&SourceRegion=us-west-2&SourceSnapshotId=snap-1&DestinationRegion=eu-west-1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20231114%2Fus-west-2%2Fec2%2Faws4_request&X-Amz-Date=20231114T221320Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=TOKEN&X-Amz-Signature=73c6dfedd9cae214261030c16d266d5f6aba7e8cc9c457eb7e560d01e5661e6e";
        let ours = p["PresignedUrl"].as_str().unwrap();
        assert!(
            ours.starts_with("https://ec2.us-west-2.amazonaws.com/?"),
            "{ours}"
        );
        assert_eq!(query(ours), query(botocore));
        assert_eq!(p["DestinationRegion"], "eu-west-1");
        let p = handled(
            "aws rds copy-db-snapshot --source-db-snapshot-identifier arn:aws:rds:us-west-2:123456789012:snapshot:s1 --target-db-snapshot-identifier copy --source-region us-west-2 --region us-east-1",
            "rds",
            "CopyDBSnapshot",
        );
        let botocore = "https://rds.us-west-2.amazonaws.com/?Action=CopyDBSnapshot&Version=2014-10-31&SourceDBSnapshotIdentifier=arn%3Aaws%3Ards%3Aus-west-2%3A123456789012%3Asnapshot%3As1&TargetDBSnapshotIdentifier=copy&DestinationRegion=us-east-1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20231114%2Fus-west-2%2Frds%2Faws4_request&X-Amz-Date=20231114T221320Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=TOKEN&X-Amz-Signature=7474ba28e08ae0aadfe91e591098d753032e10ec5f2aca7c84608444b7e26efc";
        assert_eq!(query(p["PreSignedUrl"].as_str().unwrap()), query(botocore));
        assert!(!p.contains_key("SourceRegion") && !p.contains_key("DestinationRegion"));
    }

    #[test]
    fn presigned_url_is_signed_in_the_source_region() {
        let url = source_url(
            "https://ec2.eu-west-1.amazonaws.com",
            "/",
            b"Action=CopySnapshot&Version=2016-11-15&DestinationRegion=x&SourceSnapshotId=snap-1",
            "eu-west-1",
            "us-west-2",
        );
        assert_eq!(
            url,
            "https://ec2.us-west-2.amazonaws.com/?Action=CopySnapshot&Version=2016-11-15&SourceSnapshotId=snap-1&DestinationRegion=eu-west-1"
        );
        let creds = Credentials::new("AKID", "SECRET", Some("TOKEN".into()), None, "t");
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let signed = presign_get(&url, &creds, "ec2", "us-west-2", EXPIRES, now).unwrap();
        assert!(signed.starts_with(&url), "{signed}");
        for part in [
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Credential=AKID%2F20231114%2Fus-west-2%2Fec2%2Faws4_request",
            "X-Amz-Date=20231114T221320Z",
            "X-Amz-Expires=3600",
            "X-Amz-SignedHeaders=host",
            "X-Amz-Security-Token=TOKEN",
            "X-Amz-Signature=",
        ] {
            assert!(signed.contains(part), "{part} in {signed}");
        }
    }
}
