//! Tests: every output case of botocore's protocol test suites, then
//! hand-written responses against the real embedded catalog.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::*;
use crate::protocol::{ApiError, HttpResponse, Protocol, ProtocolError, ServiceModel};
use aws_mcp_core::catalog::{Catalog, Name, ServiceMetadata, Shape};

// ---------------------------------------------------------------------------
// botocore's protocol test suites
// ---------------------------------------------------------------------------

/// Deep equality with numbers compared numerically and objects compared as
/// maps (Python dict equality).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-6 * x.abs().max(1.0)
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        _ => a == b,
    }
}

/// Cases botocore's own runner skips (`protocol-tests-ignore-list.json`),
/// as (protocol file, suite description, case id).
fn botocore_ignored(src: &std::path::Path) -> Vec<(String, String, String)> {
    let p = src.join("tests/unit/protocols/protocol-tests-ignore-list.json");
    let v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    let mut out = Vec::new();
    let general = &v["general"]["output"];
    for s in general["suites"].as_array().into_iter().flatten() {
        out.push(("*".into(), s.as_str().unwrap().into(), "*".into()));
    }
    for (proto, t) in v["protocols"].as_object().unwrap() {
        for c in t["output"]["cases"].as_array().into_iter().flatten() {
            out.push((proto.clone(), "*".into(), c.as_str().unwrap().into()));
        }
        for s in t["output"]["suites"].as_array().into_iter().flatten() {
            out.push((proto.clone(), s.as_str().unwrap().into(), "*".into()));
        }
    }
    out
}

/// Our own skips: (file, case id, reason).
const SKIPS: &[(&str, &str, &str)] = &[];

#[derive(Default, Debug)]
struct Tally {
    passed: usize,
    failed: Vec<String>,
    skipped: Vec<String>,
}

fn run_suite_file(file: &str) -> Tally {
    let src = crate::testutil::botocore_src();
    let ignored = botocore_ignored(&src);
    let proto_key = file.trim_end_matches(".json");
    let path = src.join("tests/unit/protocols/output").join(file);
    let suites: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let mut tally = Tally::default();
    for suite in suites.as_array().unwrap() {
        let desc = suite["description"].as_str().unwrap_or_default();
        let metadata: ServiceMetadata = serde_json::from_value(suite["metadata"].clone()).unwrap();
        let shapes: HashMap<Name, Shape> = serde_json::from_value(suite["shapes"].clone()).unwrap();
        let protocol = Protocol::from_name(metadata.protocol.as_deref().unwrap()).unwrap();
        let svc = ServiceModel {
            metadata: &metadata,
            shapes: &shapes,
            protocol,
        };
        for case in suite["cases"].as_array().unwrap() {
            let id = case["id"].as_str().unwrap_or_default().to_string();
            let label = format!("{file} {id} ({desc})");
            if ignored.iter().any(|(p, s, c)| {
                (p == "*" || p == proto_key) && (s == "*" || s == desc) && (c == "*" || *c == id)
            }) {
                tally
                    .skipped
                    .push(format!("{label}: skipped by botocore's own runner"));
                continue;
            }
            if let Some((_, _, why)) = SKIPS.iter().find(|(f, c, _)| *f == file && *c == id) {
                tally.skipped.push(format!("{label}: {why}"));
                continue;
            }
            match run_case(&svc, case) {
                Ok(()) => tally.passed += 1,
                Err(e) => tally.failed.push(format!("{label}: {e}")),
            }
        }
    }
    tally
}

fn run_case(svc: &ServiceModel<'_>, case: &Value) -> Result<(), String> {
    let given = &case["given"];
    let name = given["name"].as_str().unwrap_or("OperationName");
    let mut op: OperationModel =
        serde_json::from_value(given.clone()).map_err(|e| e.to_string())?;
    let is_error = case.get("error").is_some();
    if !is_error && svc.protocol == Protocol::Query {
        if let Some(out) = &mut op.output {
            if !svc.shape(&out.shape).unwrap().members.is_empty() {
                out.result_wrapper = Some(format!("{name}Result").into());
            }
        }
    }
    let r = &case["response"];
    let status = r["status_code"].as_u64().unwrap() as u16;
    let headers: Vec<(String, String)> = r["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let body = match r["body"].as_str() {
        Some(b) => b.to_string(),
        None if svc.protocol == Protocol::Query => "<xml/>".into(),
        None => String::new(),
    };
    let resp = HttpResponse {
        status,
        headers: &headers,
        body: body.as_bytes(),
    };
    let got = parse_response(svc, name, &op, &resp, &ParseOptions::BOTOCORE)
        .map_err(|e| format!("ProtocolError: {e}"))?;
    if is_error {
        let err = match got {
            Err(e) => e,
            Ok(v) => return Err(format!("expected an error, got {v}")),
        };
        let want_code = case["errorCode"].as_str().unwrap_or_default();
        let want_msg = case["errorMessage"].as_str().unwrap_or_default();
        if err.code != want_code || err.message != want_msg {
            return Err(format!(
                "got error ({}, {:?}), want ({want_code}, {want_msg:?})",
                err.code, err.message
            ));
        }
        let details = parse_error_details(svc, &op, &resp, &err, &ParseOptions::BOTOCORE)
            .map_err(|e| format!("error details: ProtocolError: {e}"))?
            .unwrap_or_else(|| json!({}));
        let want = &case["error"];
        return if same(&details, want) {
            Ok(())
        } else {
            Err(format!("error details {details}\n  want {want}"))
        };
    }
    let want = &case["result"];
    match got {
        Ok(v) if same(&v, want) => Ok(()),
        Ok(v) => Err(format!("got {v}\n  want {want}")),
        Err(e) => Err(format!("got error {e:?}")),
    }
}

fn check_suite(file: &str, floor: usize) {
    let t = run_suite_file(file);
    eprintln!(
        "{file}: {} passed, {} failed, {} skipped",
        t.passed,
        t.failed.len(),
        t.skipped.len()
    );
    for s in &t.skipped {
        eprintln!("  skipped {s}");
    }
    for f in &t.failed {
        eprintln!("  FAILED {f}");
    }
    assert!(
        t.failed.is_empty(),
        "{file}: {} cases failed",
        t.failed.len()
    );
    assert!(
        t.passed >= floor,
        "{file}: only {} cases passed, want {floor}",
        t.passed
    );
}

#[test]
fn botocore_query() {
    check_suite("query.json", 36);
}

#[test]
fn botocore_ec2() {
    check_suite("ec2.json", 27);
}

#[test]
fn botocore_json() {
    check_suite("json.json", 52);
}

#[test]
fn botocore_json_1_0() {
    check_suite("json_1_0.json", 26);
}

#[test]
fn botocore_json_1_0_query_compatible() {
    check_suite("json_1_0-query-compatible.json", 2);
}

#[test]
fn botocore_rest_json() {
    check_suite("rest-json.json", 82);
}

#[test]
fn botocore_rest_xml() {
    check_suite("rest-xml.json", 72);
}

#[test]
fn same_compares_numbers_numerically_and_objects_as_maps() {
    assert!(same(
        &json!({"a": 1, "b": [1.0]}),
        &json!({"b": [1], "a": 1.0})
    ));
    assert!(!same(&json!({"a": 1}), &json!({"a": 2})));
    assert!(!same(&json!({"a": 1}), &json!({"a": 1, "b": 1})));
    assert!(!same(&json!(["x"]), &json!(["x", "y"])));
}

// ---------------------------------------------------------------------------
// The real embedded catalog, CLI mode
// ---------------------------------------------------------------------------

/// Parse a response to `aws <service> <command>` with the embedded
/// catalog's model, as the CLI prints it.
fn cli(
    service: &str,
    command: &str,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Result<Value, ApiError>, ProtocolError> {
    let cat = Catalog::embedded();
    let svc = cat.service(service).unwrap();
    let md = svc.metadata().unwrap();
    let model = ServiceModel {
        metadata: md,
        shapes: svc.shapes().unwrap(),
        protocol: Protocol::for_service(md).unwrap(),
    };
    let cmd = svc.command(command).unwrap();
    let op = cmd.detail().unwrap().op.as_deref().unwrap();
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let resp = HttpResponse {
        status,
        headers: &headers,
        body: body.as_bytes(),
    };
    parse_response(
        &model,
        cmd.api_operation().unwrap(),
        op,
        &resp,
        &ParseOptions::CLI,
    )
}

/// The success value, compared with `want` (botocore's output for the same
/// response with awscli's identity timestamp and blob parsers) as text, so
/// that member order counts.
fn assert_prints(got: Result<Result<Value, ApiError>, ProtocolError>, want: &str) {
    let got = got.unwrap().unwrap();
    let want: Value = serde_json::from_str(want).unwrap();
    assert_eq!(
        serde_json::to_string_pretty(&got).unwrap(),
        serde_json::to_string_pretty(&want).unwrap()
    );
}

fn api_error(got: Result<Result<Value, ApiError>, ProtocolError>) -> ApiError {
    match got.unwrap() {
        Err(e) => e,
        Ok(v) => panic!("expected an error, got {v}"),
    }
}

fn bad_response(got: Result<Result<Value, ApiError>, ProtocolError>) -> String {
    match got {
        Err(e @ (ProtocolError::BadResponse { .. } | ProtocolError::InvalidXml { .. })) => {
            e.to_string()
        }
        other => panic!("expected BadResponse or InvalidXml, got {other:?}"),
    }
}

const S3_LIST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>my-bucket</Name><Prefix>logs/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated><Contents><Key>logs/a.txt</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents><Contents><Key>logs/b.txt</Key><LastModified>2024-01-03T00:00:00.000Z</LastModified><ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>0</Size><StorageClass>STANDARD</StorageClass></Contents><CommonPrefixes><Prefix>logs/2024/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>logs/2025/</Prefix></CommonPrefixes></ListBucketResult>"#;

#[test]
fn s3_list_objects_v2() {
    let got = cli(
        "s3api",
        "list-objects-v2",
        200,
        &[
            ("x-amz-request-id", "TX1"),
            ("x-amz-bucket-region", "us-east-1"),
        ],
        S3_LIST,
    );
    assert_prints(
        got,
        r#"{"IsTruncated": false, "Contents": [{"Key": "logs/a.txt", "LastModified": "2024-01-02T03:04:05.000Z", "ETag": "\"9b2cf535f27731c974343645a3985328\"", "ChecksumAlgorithm": ["CRC64NVME"], "ChecksumType": "FULL_OBJECT", "Size": 12, "StorageClass": "STANDARD"}, {"Key": "logs/b.txt", "LastModified": "2024-01-03T00:00:00.000Z", "ETag": "\"d41d8cd98f00b204e9800998ecf8427e\"", "Size": 0, "StorageClass": "STANDARD"}], "Name": "my-bucket", "Prefix": "logs/", "Delimiter": "/", "MaxKeys": 1000, "CommonPrefixes": [{"Prefix": "logs/2024/"}, {"Prefix": "logs/2025/"}], "KeyCount": 2}"#,
    );
    // botocore's form: epoch seconds.
    let cat = Catalog::embedded();
    let svc = cat.service("s3api").unwrap();
    let md = svc.metadata().unwrap();
    let model = ServiceModel {
        metadata: md,
        shapes: svc.shapes().unwrap(),
        protocol: Protocol::RestXml,
    };
    let cmd = svc.command("list-objects-v2").unwrap();
    let op = cmd.detail().unwrap().op.as_deref().unwrap();
    let resp = HttpResponse {
        status: 200,
        headers: &[],
        body: S3_LIST.as_bytes(),
    };
    let v = parse_response(&model, "ListObjectsV2", op, &resp, &ParseOptions::BOTOCORE)
        .unwrap()
        .unwrap();
    assert_eq!(v["Contents"][0]["LastModified"], json!(1704164645.0));
}

#[test]
fn s3_head_object_headers() {
    let got = cli(
        "s3api",
        "head-object",
        200,
        &[
            ("x-amz-request-id", "TX2"),
            ("Last-Modified", "Tue, 02 Jan 2024 03:04:05 GMT"),
            ("ETag", "\"9b2c\""),
            ("Content-Length", "12"),
            ("Content-Type", "text/plain"),
            ("x-amz-meta-owner", "alice"),
            ("x-amz-meta-Team", "data"),
            ("Accept-Ranges", "bytes"),
            ("x-amz-server-side-encryption", "AES256"),
            ("x-amz-missing-meta", "2"),
            ("Expires", "Wed, 21 Oct 2015 07:28:00 GMT"),
        ],
        "",
    );
    assert_prints(
        got,
        r#"{"AcceptRanges": "bytes", "LastModified": "Tue, 02 Jan 2024 03:04:05 GMT", "ContentLength": 12, "ETag": "\"9b2c\"", "MissingMeta": 2, "ContentType": "text/plain", "Expires": "Wed, 21 Oct 2015 07:28:00 GMT", "ServerSideEncryption": "AES256", "Metadata": {"owner": "alice", "Team": "data"}, "ExpiresString": "Wed, 21 Oct 2015 07:28:00 GMT"}"#,
    );
    // An Expires that is no date: only ExpiresString (handle_expires_header).
    let got = cli(
        "s3api",
        "head-object",
        200,
        &[("Content-Length", "0"), ("Expires", "never")],
        "",
    );
    assert_prints(
        got,
        r#"{"ContentLength": 0, "Metadata": {}, "ExpiresString": "never"}"#,
    );
}

#[test]
fn s3_get_object_leaves_the_streamed_body_out() {
    let got = cli(
        "s3api",
        "get-object",
        200,
        &[
            ("Content-Length", "5"),
            ("ETag", "\"abc\""),
            ("Content-Type", "text/plain"),
            ("Last-Modified", "Tue, 02 Jan 2024 03:04:05 GMT"),
            ("x-amz-meta-k", "v"),
        ],
        "hello",
    );
    assert_prints(
        got,
        r#"{"LastModified": "Tue, 02 Jan 2024 03:04:05 GMT", "ContentLength": 5, "ETag": "\"abc\"", "ContentType": "text/plain", "Metadata": {"k": "v"}}"#,
    );
}

#[test]
fn s3_get_bucket_location() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>"#;
    assert_prints(
        cli("s3api", "get-bucket-location", 200, &[], body),
        r#"{"LocationConstraint": "eu-west-1"}"#,
    );
    let body = r#"<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>"#;
    assert_prints(
        cli("s3api", "get-bucket-location", 200, &[], body),
        r#"{"LocationConstraint": null}"#,
    );
}

#[test]
fn s3_errors() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a.txt</Key><RequestId>4442587FB7D0A2F9</RequestId><HostId>aGVsbG8=</HostId></Error>"#;
    let e = api_error(cli(
        "s3api",
        "get-object",
        404,
        &[("x-amz-request-id", "4442587FB7D0A2F9")],
        body,
    ));
    assert_eq!(
        e,
        ApiError {
            code: "NoSuchKey".into(),
            message: "The specified key does not exist.".into(),
            request_id: Some("4442587FB7D0A2F9".into()),
            status: 404,
        }
    );
    // HEAD: no body, so the status is the code.
    let e = api_error(cli(
        "s3api",
        "head-object",
        404,
        &[("x-amz-request-id", "R")],
        "",
    ));
    assert_eq!((e.code.as_str(), e.message.as_str()), ("404", "Not Found"));
    assert_eq!(e.request_id.as_deref(), Some("R"));
    // A 200 carrying an error (CompleteMultipartUpload, CopyObject).
    let body = "<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>";
    let e = api_error(cli("s3api", "copy-object", 200, &[], body));
    assert_eq!((e.code.as_str(), e.status), ("InternalError", 500));
    // A proxy's HTML page.
    let e = api_error(cli(
        "s3api",
        "list-buckets",
        503,
        &[],
        "<html><body>busy</body></html>",
    ));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("503", "Service Unavailable")
    );
}

const EC2_DESCRIBE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
    <reservationSet>
        <item>
            <reservationId>r-1234567890abcdef0</reservationId>
            <ownerId>123456789012</ownerId>
            <groupSet/>
            <instancesSet>
                <item>
                    <instanceId>i-1234567890abcdef0</instanceId>
                    <imageId>ami-bff32ccc</imageId>
                    <instanceState>
                        <code>16</code>
                        <name>running</name>
                    </instanceState>
                    <privateDnsName>ip-192-168-1-88.eu-west-1.compute.internal</privateDnsName>
                    <dnsName>ec2-54-194-252-215.eu-west-1.compute.amazonaws.com</dnsName>
                    <reason/>
                    <keyName>my_keypair</keyName>
                    <amiLaunchIndex>0</amiLaunchIndex>
                    <productCodes/>
                    <instanceType>t2.micro</instanceType>
                    <launchTime>2018-05-08T16:46:19.000Z</launchTime>
                    <placement>
                        <availabilityZone>eu-west-1c</availabilityZone>
                        <groupName/>
                        <tenancy>default</tenancy>
                    </placement>
                    <monitoring>
                        <state>disabled</state>
                    </monitoring>
                    <subnetId>subnet-56f5f633</subnetId>
                    <vpcId>vpc-11112222</vpcId>
                    <privateIpAddress>192.168.1.88</privateIpAddress>
                    <ipAddress>54.194.252.215</ipAddress>
                    <sourceDestCheck>true</sourceDestCheck>
                    <groupSet>
                        <item>
                            <groupId>sg-e4076980</groupId>
                            <groupName>SecurityGroup1</groupName>
                        </item>
                    </groupSet>
                    <architecture>x86_64</architecture>
                    <rootDeviceType>ebs</rootDeviceType>
                    <rootDeviceName>/dev/xvda</rootDeviceName>
                    <blockDeviceMapping>
                        <item>
                            <deviceName>/dev/xvda</deviceName>
                            <ebs>
                                <volumeId>vol-1234567890abcdef0</volumeId>
                                <status>attached</status>
                                <attachTime>2015-12-22T10:44:09.000Z</attachTime>
                                <deleteOnTermination>true</deleteOnTermination>
                            </ebs>
                        </item>
                    </blockDeviceMapping>
                    <virtualizationType>hvm</virtualizationType>
                    <clientToken>xMcwG14507example</clientToken>
                    <tagSet>
                        <item>
                            <key>Name</key>
                            <value>Server_1</value>
                        </item>
                    </tagSet>
                    <hypervisor>xen</hypervisor>
                    <ebsOptimized>false</ebsOptimized>
                    <cpuOptions>
                        <coreCount>1</coreCount>
                        <threadsPerCore>1</threadsPerCore>
                    </cpuOptions>
                </item>
            </instancesSet>
        </item>
    </reservationSet>
</DescribeInstancesResponse>"#;

#[test]
fn ec2_describe_instances() {
    assert_prints(
        cli("ec2", "describe-instances", 200, &[], EC2_DESCRIBE),
        r#"{"Reservations": [{"ReservationId": "r-1234567890abcdef0", "OwnerId": "123456789012", "Groups": [], "Instances": [{"Architecture": "x86_64", "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"AttachTime": "2015-12-22T10:44:09.000Z", "DeleteOnTermination": true, "Status": "attached", "VolumeId": "vol-1234567890abcdef0"}}], "ClientToken": "xMcwG14507example", "EbsOptimized": false, "Hypervisor": "xen", "RootDeviceName": "/dev/xvda", "RootDeviceType": "ebs", "SecurityGroups": [{"GroupId": "sg-e4076980", "GroupName": "SecurityGroup1"}], "SourceDestCheck": true, "Tags": [{"Key": "Name", "Value": "Server_1"}], "VirtualizationType": "hvm", "CpuOptions": {"CoreCount": 1, "ThreadsPerCore": 1}, "InstanceId": "i-1234567890abcdef0", "ImageId": "ami-bff32ccc", "State": {"Code": 16, "Name": "running"}, "PrivateDnsName": "ip-192-168-1-88.eu-west-1.compute.internal", "PublicDnsName": "ec2-54-194-252-215.eu-west-1.compute.amazonaws.com", "StateTransitionReason": "", "KeyName": "my_keypair", "AmiLaunchIndex": 0, "ProductCodes": [], "InstanceType": "t2.micro", "LaunchTime": "2018-05-08T16:46:19.000Z", "Placement": {"GroupName": "", "Tenancy": "default", "AvailabilityZone": "eu-west-1c"}, "Monitoring": {"State": "disabled"}, "SubnetId": "subnet-56f5f633", "VpcId": "vpc-11112222", "PrivateIpAddress": "192.168.1.88", "PublicIpAddress": "54.194.252.215"}]}]}"#,
    );
}

#[test]
fn ec2_error_and_console_output() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID 'i-1' does not exist</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>"#;
    let e = api_error(cli("ec2", "describe-instances", 400, &[], body));
    assert_eq!(
        e,
        ApiError {
            code: "InvalidInstanceID.NotFound".into(),
            message: "The instance ID 'i-1' does not exist".into(),
            request_id: Some("ea966190-f9aa-478e-9ede-example".into()),
            status: 400,
        }
    );
    let body = r#"<GetConsoleOutputResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><instanceId>i-1</instanceId><timestamp>2024-01-01T00:00:00.000Z</timestamp><output>TGludXggdmVyc2lvbiA2LjE=</output></GetConsoleOutputResponse>"#;
    assert_prints(
        cli("ec2", "get-console-output", 200, &[], body),
        r#"{"InstanceId": "i-1", "Timestamp": "2024-01-01T00:00:00.000Z", "Output": "Linux version 6.1"}"#,
    );
}

#[test]
fn iam_get_user_and_policies() {
    let body = r#"<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <GetUserResult>
    <User>
      <Path>/division_abc/subdivision_xyz/</Path>
      <UserName>Bob</UserName>
      <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
      <Arn>arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob</Arn>
      <CreateDate>2013-10-02T17:01:44Z</CreateDate>
      <PasswordLastUsed>2014-10-10T14:37:51Z</PasswordLastUsed>
      <Tags>
        <member><Key>team</Key><Value>eng</Value></member>
      </Tags>
    </User>
  </GetUserResult>
  <ResponseMetadata>
    <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>
  </ResponseMetadata>
</GetUserResponse>"#;
    assert_prints(
        cli("iam", "get-user", 200, &[], body),
        r#"{"User": {"Path": "/division_abc/subdivision_xyz/", "UserName": "Bob", "UserId": "AIDACKCEVSQ6C2EXAMPLE", "Arn": "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob", "CreateDate": "2013-10-02T17:01:44Z", "PasswordLastUsed": "2014-10-10T14:37:51Z", "Tags": [{"Key": "team", "Value": "eng"}]}}"#,
    );
    let body = r#"<GetRolePolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
<GetRolePolicyResult>
  <PolicyName>S3AccessPolicy</PolicyName>
  <RoleName>S3Access</RoleName>
  <PolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D</PolicyDocument>
</GetRolePolicyResult>
<ResponseMetadata><RequestId>7e7cd8bc-99ef-11e1-a4c3-27EXAMPLE804</RequestId></ResponseMetadata>
</GetRolePolicyResponse>"#;
    assert_prints(
        cli("iam", "get-role-policy", 200, &[], body),
        r#"{"RoleName": "S3Access", "PolicyName": "S3AccessPolicy", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}"#,
    );
    let body = r#"<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name bob cannot be found.</Message></Error>
  <RequestId>5d3a1b5e-example</RequestId>
</ErrorResponse>"#;
    let e = api_error(cli("iam", "get-user", 404, &[], body));
    assert_eq!(
        e,
        ApiError {
            code: "NoSuchEntity".into(),
            message: "The user with name bob cannot be found.".into(),
            request_id: Some("5d3a1b5e-example".into()),
            status: 404,
        }
    );
}

#[test]
fn sqs_json() {
    let body = r#"{"Messages":[{"MessageId":"5fea7756-0ea4-451a-a703-a558b933e274","ReceiptHandle":"MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3+STFFljTM8tJJg6HRG6PYSasuWXPJB+Cw","MD5OfBody":"fafb00f5732ab283681e124bf8747ed1","Body":"This is a test message","Attributes":{"SenderId":"195004372649","ApproximateReceiveCount":"5","SentTimestamp":"1238099229000"},"MessageAttributes":{"City":{"StringValue":"Any City","DataType":"String"},"Blob":{"BinaryValue":"aGVsbG8=","DataType":"Binary"}}}]}"#;
    assert_prints(
        cli(
            "sqs",
            "receive-message",
            200,
            &[("x-amzn-RequestId", "r1")],
            body,
        ),
        r#"{"Messages": [{"MessageId": "5fea7756-0ea4-451a-a703-a558b933e274", "ReceiptHandle": "MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3+STFFljTM8tJJg6HRG6PYSasuWXPJB+Cw", "MD5OfBody": "fafb00f5732ab283681e124bf8747ed1", "Body": "This is a test message", "Attributes": {"SenderId": "195004372649", "ApproximateReceiveCount": "5", "SentTimestamp": "1238099229000"}, "MessageAttributes": {"City": {"StringValue": "Any City", "DataType": "String"}, "Blob": {"BinaryValue": "aGVsbG8=", "DataType": "Binary"}}}]}"#,
    );
    // Query-compatible error: the CLI prints the query code.
    let body = r#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#;
    let e = api_error(cli(
        "sqs",
        "get-queue-url",
        400,
        &[
            ("x-amzn-RequestId", "r2"),
            (
                "x-amzn-query-error",
                "AWS.SimpleQueueService.NonExistentQueue;Sender",
            ),
        ],
        body,
    ));
    assert_eq!(
        e,
        ApiError {
            code: "AWS.SimpleQueueService.NonExistentQueue".into(),
            message: "The specified queue does not exist.".into(),
            request_id: Some("r2".into()),
            status: 400,
        }
    );
}

#[test]
fn dynamodb_json() {
    let body = r#"{"Item":{"Artist":{"S":"Acme Band"},"Year":{"N":"2019"},"Tags":{"SS":["rock","pop"]},"Cover":{"B":"iVBORw0KGgo="},"Meta":{"M":{"Live":{"BOOL":true},"Rating":{"NULL":true}}},"Tracks":{"L":[{"S":"One"},{"N":"2.50"}]}},"ConsumedCapacity":{"TableName":"Music","CapacityUnits":0.5}}"#;
    assert_prints(
        cli("dynamodb", "get-item", 200, &[], body),
        r#"{"Item": {"Artist": {"S": "Acme Band"}, "Year": {"N": "2019"}, "Tags": {"SS": ["rock", "pop"]}, "Cover": {"B": "iVBORw0KGgo="}, "Meta": {"M": {"Live": {"BOOL": true}, "Rating": {"NULL": true}}}, "Tracks": {"L": [{"S": "One"}, {"N": "2.50"}]}}, "ConsumedCapacity": {"TableName": "Music", "CapacityUnits": 0.5}}"#,
    );
    // Epoch timestamps print as the service sent them (1.7040672E9 is a float).
    let body = r#"{"Table":{"TableName":"Music","TableStatus":"ACTIVE","CreationDateTime":1.7040672E9,"ItemCount":0,"TableSizeBytes":0,"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":5,"WriteCapacityUnits":5,"LastIncreaseDateTime":1704067200.5},"KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"}]}}"#;
    let got = cli("dynamodb", "describe-table", 200, &[], body);
    let text = serde_json::to_string(got.as_ref().unwrap().as_ref().unwrap()).unwrap();
    assert!(
        text.contains(r#""CreationDateTime":1704067200.0"#),
        "{text}"
    );
    assert_prints(
        got,
        r#"{"Table": {"AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}], "TableName": "Music", "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}], "TableStatus": "ACTIVE", "CreationDateTime": 1704067200.0, "ProvisionedThroughput": {"LastIncreaseDateTime": 1704067200.5, "NumberOfDecreasesToday": 0, "ReadCapacityUnits": 5, "WriteCapacityUnits": 5}, "TableSizeBytes": 0, "ItemCount": 0}}"#,
    );
    let body = r#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}"#;
    let e = api_error(cli(
        "dynamodb",
        "get-item",
        400,
        &[("x-amzn-RequestId", "D1")],
        body,
    ));
    assert_eq!(
        e,
        ApiError {
            code: "ResourceNotFoundException".into(),
            message: "Requested resource not found".into(),
            request_id: Some("D1".into()),
            status: 400,
        }
    );
}

#[test]
fn lambda_rest_json() {
    let body = r#"{"Configuration":{"FunctionName":"my-function","FunctionArn":"arn:aws:lambda:us-west-2:123456789012:function:my-function","Runtime":"nodejs20.x","Role":"arn:aws:iam::123456789012:role/lambda-role","Handler":"index.handler","CodeSize":5797206,"Timeout":3,"MemorySize":128,"LastModified":"2024-10-10T12:34:56.000+0000","Version":"$LATEST","TracingConfig":{"Mode":"PassThrough"},"State":"Active","Architectures":["x86_64"],"EphemeralStorage":{"Size":512}},"Code":{"RepositoryType":"S3","Location":"https://awslambda-us-west-2-tasks.s3.us-west-2.amazonaws.com/snapshots/123456789012/my-function"},"Tags":{"team":"eng"}}"#;
    assert_prints(
        cli(
            "lambda",
            "get-function",
            200,
            &[("x-amzn-RequestId", "r")],
            body,
        ),
        r#"{"Configuration": {"FunctionName": "my-function", "FunctionArn": "arn:aws:lambda:us-west-2:123456789012:function:my-function", "Runtime": "nodejs20.x", "Role": "arn:aws:iam::123456789012:role/lambda-role", "Handler": "index.handler", "CodeSize": 5797206, "Timeout": 3, "MemorySize": 128, "LastModified": "2024-10-10T12:34:56.000+0000", "Version": "$LATEST", "TracingConfig": {"Mode": "PassThrough"}, "State": "Active", "Architectures": ["x86_64"], "EphemeralStorage": {"Size": 512}}, "Code": {"RepositoryType": "S3", "Location": "https://awslambda-us-west-2-tasks.s3.us-west-2.amazonaws.com/snapshots/123456789012/my-function"}, "Tags": {"team": "eng"}}"#,
    );
    let e = api_error(cli(
        "lambda",
        "get-function",
        404,
        &[
            ("x-amzn-RequestId", "L1"),
            (
                "x-amzn-ErrorType",
                "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/",
            ),
        ],
        r#"{"Type":"User","Message":"Function not found: arn:aws:lambda:us-west-2:123456789012:function:nope"}"#,
    ));
    assert_eq!(
        e,
        ApiError {
            code: "ResourceNotFoundException".into(),
            message: "Function not found: arn:aws:lambda:us-west-2:123456789012:function:nope"
                .into(),
            request_id: Some("L1".into()),
            status: 404,
        }
    );
}

#[test]
fn malformed_bodies_are_bad_responses() {
    // Bodies that are not XML read as botocore's ResponseParserError.
    let e = bad_response(cli(
        "iam",
        "get-user",
        200,
        &[],
        "<GetUserResponse><GetUserResult>",
    ));
    assert_eq!(
        e,
        "Unable to parse response (no element found: line 1, column 32), invalid XML received. \
         Further retries may succeed:\nb'<GetUserResponse><GetUserResult>'"
    );
    let e = bad_response(cli("iam", "get-user", 403, &[], "not xml"));
    assert!(
        e.starts_with("Unable to parse response (syntax error: line 1, column 0)"),
        "{e}"
    );
    bad_response(cli(
        "ec2",
        "describe-instances",
        200,
        &[],
        "<DescribeInstancesResponse",
    ));
    let e = bad_response(cli(
        "ec2",
        "describe-instances",
        200,
        &[],
        "<R><reservationSet><item><instancesSet><item><amiLaunchIndex>zero</amiLaunchIndex></item></instancesSet></item></reservationSet></R>",
    ));
    assert!(e.contains("\"zero\" is not an integer"), "{e}");
    bad_response(cli("dynamodb", "get-item", 200, &[], "{\"Item\": "));
    bad_response(cli("dynamodb", "get-item", 200, &[], "{\"Item\": [1]}"));
    bad_response(cli("lambda", "get-function", 200, &[], "<html>"));
    bad_response(cli(
        "route53",
        "list-hosted-zones",
        200,
        &[],
        "<ListHostedZonesResponse><Hos",
    ));
    bad_response(cli("route53", "list-hosted-zones", 200, &[], "\u{0}\u{1}"));
    bad_response(cli(
        "s3api",
        "head-object",
        200,
        &[("Content-Length", "many")],
        "",
    ));
    // S3 treats a cut-off 200 body as a server error (botocore retries it).
    let e = api_error(cli("s3api", "list-objects-v2", 200, &[], &S3_LIST[..200]));
    assert_eq!((e.code.as_str(), e.status), ("500", 500));
}

#[test]
fn error_bodies_botocore_tolerates() {
    // A JSON error body that is not JSON becomes the message.
    let e = api_error(cli(
        "dynamodb",
        "get-item",
        400,
        &[],
        "Bad Gateway, try later",
    ));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("400", "Bad Gateway, try later")
    );
    // A rest-xml error body that is not XML: the status.
    let e = api_error(cli("s3api", "get-object", 403, &[], "Forbidden!"));
    assert_eq!((e.code.as_str(), e.message.as_str()), ("403", "Forbidden"));
}

#[test]
fn modeled_error_details() {
    let cat = Catalog::embedded();
    let svc = cat.service("dynamodb").unwrap();
    let md = svc.metadata().unwrap();
    let model = ServiceModel {
        metadata: md,
        shapes: svc.shapes().unwrap(),
        protocol: Protocol::for_service(md).unwrap(),
    };
    let cmd = svc.command("put-item").unwrap();
    let op = cmd.detail().unwrap().op.as_deref().unwrap();
    let body = br#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"id":{"S":"1"}}}"#;
    let resp = HttpResponse {
        status: 400,
        headers: &[],
        body,
    };
    let e = parse_response(&model, "PutItem", op, &resp, &ParseOptions::CLI)
        .unwrap()
        .unwrap_err();
    assert_eq!(e.code, "ConditionalCheckFailedException");
    let d = parse_error_details(&model, op, &resp, &e, &ParseOptions::CLI)
        .unwrap()
        .unwrap();
    assert_eq!(
        d,
        json!({"message": "The conditional request failed", "Item": {"id": {"S": "1"}}})
    );
    let other = ApiError {
        code: "NoSuchCode".into(),
        ..e
    };
    assert_eq!(
        parse_error_details(&model, op, &resp, &other, &ParseOptions::CLI).unwrap(),
        None
    );
}

#[test]
fn unsupported_protocol_and_event_streams() {
    let md = ServiceMetadata::default();
    let shapes = HashMap::new();
    let model = ServiceModel {
        metadata: &md,
        shapes: &shapes,
        protocol: Protocol::RpcV2Cbor,
    };
    let op: OperationModel = serde_json::from_value(json!({})).unwrap();
    let resp = HttpResponse {
        status: 200,
        headers: &[],
        body: b"",
    };
    assert!(matches!(
        parse_response(&model, "Op", &op, &resp, &ParseOptions::CLI),
        Err(ProtocolError::UnsupportedProtocol(_))
    ));
    // S3 SelectObjectContent streams events.
    assert!(matches!(
        cli("s3api", "select-object-content", 200, &[], ""),
        Err(ProtocolError::Streaming(_))
    ));
}

/// Differential check against botocore: `AWS_MCP_PARSE_DIFF=cases.jsonl
/// cargo test -p aws-mcp-core parse_diff -- --ignored`, with cases made by
/// `tools/testdata/parse-diff.py` (synthetic responses for real operations,
/// each with what botocore and awscli's scalar parsers make of it).
#[test]
#[ignore = "needs cases from tools/testdata/parse-diff.py in AWS_MCP_PARSE_DIFF"]
fn parse_diff() {
    let path = std::env::var("AWS_MCP_PARSE_DIFF").expect("set AWS_MCP_PARSE_DIFF");
    let text = std::fs::read_to_string(path).unwrap();
    let cat = Catalog::embedded();
    let (mut passed, mut failed, mut missing) = (0, Vec::new(), 0);
    for line in text.lines() {
        let case: Value = serde_json::from_str(line).unwrap();
        let (api, op_name) = (
            case["service"].as_str().unwrap(),
            case["op"].as_str().unwrap(),
        );
        let Some(svc) = cat.services().find(|s| s.api_name() == Some(api)) else {
            missing += 1;
            continue;
        };
        let Some(cmd) = svc.commands().find(|c| {
            c.api_operation() == Some(op_name)
                && c.kind() == aws_mcp_core::catalog::CommandKind::Operation
        }) else {
            missing += 1;
            continue;
        };
        let Some(op) = cmd.detail().unwrap().op.as_deref() else {
            missing += 1;
            continue;
        };
        let md = svc.metadata().unwrap();
        let model = ServiceModel {
            metadata: md,
            shapes: svc.shapes().unwrap(),
            protocol: Protocol::for_service(md).unwrap(),
        };
        let headers: Vec<(String, String)> = case["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h[0].as_str().unwrap().to_string(),
                    h[1].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let body = case["body"].as_str().unwrap();
        let resp = HttpResponse {
            status: case["status"].as_u64().unwrap() as u16,
            headers: &headers,
            body: body.as_bytes(),
        };
        let got = parse_response(&model, op_name, op, &resp, &ParseOptions::CLI);
        if let Some(why) = case.get("raises") {
            match &got {
                Err(ProtocolError::BadResponse { .. }) => passed += 1,
                _ => failed.push(format!(
                    "{api} {op_name}: got {got:?}, want BadResponse like botocore's {why}"
                )),
            }
            continue;
        }
        if let Some(want) = case.get("error") {
            let want = (want[0].as_str().unwrap(), want[1].as_str().unwrap());
            match &got {
                Ok(Err(e)) if (e.code.as_str(), e.message.as_str()) == want => passed += 1,
                _ => failed.push(format!("{api} {op_name}: got {got:?}\n  want {want:?}\n  body {body}\n  headers {headers:?}")),
            }
            continue;
        }
        if let Some(iso) = case.get("expected_iso8601").filter(|v| !v.is_null()) {
            let opts = ParseOptions {
                timestamps: TimestampMode::Iso8601,
                blobs: BlobMode::Base64,
                local_offset: None,
            };
            let want = serde_json::to_string(iso).unwrap();
            match parse_response(&model, op_name, op, &resp, &opts) {
                Ok(Ok(v)) if serde_json::to_string(&v).unwrap() == want => passed += 1,
                other => failed.push(format!(
                    "{api} {op_name} (iso8601): got {other:?}\n  want {want}\n  body {body}\n  headers {headers:?}"
                )),
            }
        }
        let want = serde_json::to_string(&case["expected"]).unwrap();
        match got {
            Ok(Ok(v)) if serde_json::to_string(&v).unwrap() == want => passed += 1,
            other => failed.push(format!(
                "{api} {op_name}: got {other:?}\n  want {want}\n  body {body}\n  headers {headers:?}"
            )),
        }
    }
    for f in failed.iter().take(15) {
        eprintln!("FAILED {f}");
    }
    eprintln!(
        "parse_diff: {passed} passed, {} failed, {missing} without a command",
        failed.len()
    );
    assert!(failed.is_empty());
}

#[test]
fn s3_list_keys_decoded_when_the_caller_asked_for_url_encoding() {
    let body = S3_LIST
        .replace(
            "<Prefix>logs/</Prefix>",
            "<Prefix>logs%2F</Prefix><EncodingType>url</EncodingType>",
        )
        .replace("<Key>logs/a.txt</Key>", "<Key>logs/a+b%26c.txt</Key>")
        .replace(
            "<Prefix>logs/2024/</Prefix>",
            "<Prefix>logs/2024+%C3%BC/</Prefix>",
        );
    let mut v = cli("s3api", "list-objects-v2", 200, &[], &body)
        .unwrap()
        .unwrap();
    let before = v.clone();
    decode_s3_list_keys("ListObjects", &mut json!({"EncodingType": "url"}));
    decode_s3_list_keys("ListBuckets", &mut v);
    assert_eq!(v, before);
    decode_s3_list_keys("ListObjectsV2", &mut v);
    assert_eq!(v["Prefix"], "logs/");
    assert_eq!(v["EncodingType"], "url");
    assert_eq!(v["Contents"][0]["Key"], "logs/a b&c.txt");
    assert_eq!(v["Contents"][1]["Key"], "logs/b.txt");
    assert_eq!(v["CommonPrefixes"][0]["Prefix"], "logs/2024 ü/");
    // ListObjects (v1): botocore leaves Prefix encoded.
    let mut v1 = json!({"Prefix": "a%2F", "Marker": "m%2F", "EncodingType": "url"});
    decode_s3_list_keys("ListObjects", &mut v1);
    assert_eq!(
        v1,
        json!({"Prefix": "a%2F", "Marker": "m/", "EncodingType": "url"})
    );
}

#[test]
fn iso8601_timestamps_like_cli_timestamp_format_iso8601() {
    let cat = Catalog::embedded();
    let svc = cat.service("dynamodb").unwrap();
    let md = svc.metadata().unwrap();
    let model = ServiceModel {
        metadata: md,
        shapes: svc.shapes().unwrap(),
        protocol: Protocol::for_service(md).unwrap(),
    };
    let cmd = svc.command("describe-table").unwrap();
    let op = cmd.detail().unwrap().op.as_deref().unwrap();
    let body = br#"{"Table":{"TableName":"Music","CreationDateTime":1.7040672E9,"ProvisionedThroughput":{"LastIncreaseDateTime":1704067200.5}}}"#;
    let resp = HttpResponse {
        status: 200,
        headers: &[],
        body,
    };
    let opts = ParseOptions {
        timestamps: TimestampMode::Iso8601,
        blobs: BlobMode::Base64,
        local_offset: None,
    };
    let v = parse_response(&model, "DescribeTable", op, &resp, &opts)
        .unwrap()
        .unwrap();
    assert_eq!(v["Table"]["CreationDateTime"], "2024-01-01T00:00:00+00:00");
    assert_eq!(
        v["Table"]["ProvisionedThroughput"]["LastIncreaseDateTime"],
        "2024-01-01T00:00:00.500000+00:00"
    );
}

#[test]
fn s3_acl_xsi_type_attribute() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID><DisplayName>mtd@amazon.com</DisplayName></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID><DisplayName>mtd@amazon.com</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>"#;
    assert_prints(
        cli(
            "s3api",
            "get-object-acl",
            200,
            &[("x-amz-request-charged", "requester")],
            body,
        ),
        r#"{"RequestCharged": "requester", "Owner": {"DisplayName": "mtd@amazon.com", "ID": "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"}, "Grants": [{"Grantee": {"DisplayName": "mtd@amazon.com", "ID": "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a", "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"}, {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}]}"#,
    );
}

#[test]
fn sts_and_route53() {
    let body = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
   <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
    <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>"#;
    assert_prints(
        cli("sts", "get-caller-identity", 200, &[], body),
        r#"{"UserId": "AIDACKCEVSQ6C2EXAMPLE", "Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/Alice"}"#,
    );
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListHostedZonesResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZones><HostedZone><Id>/hostedzone/Z111111QQQQQQQ</Id><Name>example.com.</Name><CallerReference>2014-10-01T11:22:33</CallerReference><Config><Comment>Delegation test</Comment><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>17</ResourceRecordSetCount></HostedZone></HostedZones><IsTruncated>true</IsTruncated><NextMarker>Z222222VVVVVVV</NextMarker><MaxItems>1</MaxItems></ListHostedZonesResponse>"#;
    assert_prints(
        cli("route53", "list-hosted-zones", 200, &[], body),
        r#"{"HostedZones": [{"Id": "/hostedzone/Z111111QQQQQQQ", "Name": "example.com.", "CallerReference": "2014-10-01T11:22:33", "Config": {"Comment": "Delegation test", "PrivateZone": false}, "ResourceRecordSetCount": 17}], "IsTruncated": true, "NextMarker": "Z222222VVVVVVV", "MaxItems": "1"}"#,
    );
    // Route 53 errors: <ErrorResponse><Error> in rest-xml.
    let body = r#"<?xml version="1.0"?>
<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: Z1</Message></Error><RequestId>f4ed0c9d-example</RequestId></ErrorResponse>"#;
    let e = api_error(cli("route53", "get-hosted-zone", 404, &[], body));
    assert_eq!(
        e,
        ApiError {
            code: "NoSuchHostedZone".into(),
            message: "No hosted zone found with ID: Z1".into(),
            request_id: Some("f4ed0c9d-example".into()),
            status: 404,
        }
    );
}

/// Cut-off and corrupted bodies, and odd header values, never panic.
#[test]
fn corrupted_responses_do_not_panic() {
    let cases: &[(&str, &str, &str)] = &[
        ("s3api", "list-objects-v2", S3_LIST),
        ("ec2", "describe-instances", EC2_DESCRIBE),
        ("dynamodb", "get-item", r#"{"Item":{"A":{"S":"x"},"B":{"N":"1"},"C":{"L":[{"B":"aGk="}]}},"ConsumedCapacity":{"CapacityUnits":0.5}}"#),
        ("lambda", "get-function", r#"{"Configuration":{"FunctionName":"f","CodeSize":1,"LastModified":"2024-10-10T12:34:56.000+0000"},"Tags":{"a":"b"}}"#),
        ("iam", "get-user", "<GetUserResponse><GetUserResult><User><UserName>b</UserName><CreateDate>2013-10-02T17:01:44Z</CreateDate></User></GetUserResult></GetUserResponse>"),
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let junk = [
        "", "\u{0}", "<", "&", "ü", "-", "+", ":", "9", "]", "}", "\"", "<a>", "T", "Z",
    ];
    let opts = [
        ParseOptions::CLI,
        ParseOptions::BOTOCORE,
        ParseOptions {
            timestamps: TimestampMode::Iso8601,
            blobs: BlobMode::Base64,
            local_offset: None,
        },
    ];
    for (service, command, body) in cases {
        let cat = Catalog::embedded();
        let svc = cat.service(service).unwrap();
        let md = svc.metadata().unwrap();
        let model = ServiceModel {
            metadata: md,
            shapes: svc.shapes().unwrap(),
            protocol: Protocol::for_service(md).unwrap(),
        };
        let cmd = svc.command(command).unwrap();
        let op = cmd.detail().unwrap().op.as_deref().unwrap();
        let name = cmd.api_operation().unwrap();
        let chars: Vec<char> = body.chars().collect();
        for i in 0..400 {
            let mut b = chars.clone();
            let at = (next() as usize) % (b.len() + 1);
            if i % 3 == 0 {
                b.truncate(at);
            } else {
                let j = junk[(next() as usize) % junk.len()];
                let end = (at + (next() as usize) % 4).min(b.len());
                b.splice(at..end, j.chars());
            }
            let b: String = b.into_iter().collect();
            let h = junk[(next() as usize) % junk.len()];
            let headers = vec![
                (
                    "Last-Modified".to_string(),
                    format!("Tue, 02 Jan 2024 03:04:{h}5 GMT"),
                ),
                ("Content-Length".to_string(), h.to_string()),
                ("x-amzn-query-error".to_string(), h.to_string()),
                ("x-amzn-ErrorType".to_string(), h.to_string()),
            ];
            for status in [200, 400, 500] {
                let resp = HttpResponse {
                    status,
                    headers: &headers,
                    body: b.as_bytes(),
                };
                for o in &opts {
                    let r = parse_response(&model, name, op, &resp, o);
                    if let Ok(Err(e)) = &r {
                        let _ = parse_error_details(&model, op, &resp, e, o);
                    }
                }
            }
        }
    }
}

#[test]
fn xml_with_a_byte_order_mark() {
    let body = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?><GetCallerIdentityResponse><GetCallerIdentityResult><Account>1</Account></GetCallerIdentityResult></GetCallerIdentityResponse>";
    assert_prints(
        cli("sts", "get-caller-identity", 200, &[], body),
        r#"{"Account": "1"}"#,
    );
}

/// Checked against the real CLI: `An error occurred (Throttling) when
/// calling the GetUser operation: None`.
#[test]
fn empty_error_message_prints_none() {
    let body = "<ErrorResponse><Error><Code>Throttling</Code><Message/></Error></ErrorResponse>";
    let e = api_error(cli("iam", "get-user", 400, &[], body));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("Throttling", "None")
    );
    let body = "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>";
    let e = api_error(cli("iam", "get-user", 400, &[], body));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("Throttling", "Unknown")
    );
}
