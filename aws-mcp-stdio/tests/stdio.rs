//! The `aws-mcp` binary driven by the Rust rmcp client over stdio.
//!
//! These tests need no AWS and no moto: they cover the protocol surface
//! (tools, schemas, annotations, server identity) and the checks that stop a
//! command before it runs. The end-to-end runs against moto are in
//! `tests/e2e` (Python MCP client), run by `scripts/test`.

use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{object, RoleClient, ServiceExt};

async fn start(read_only: bool) -> RunningService<RoleClient, ()> {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_aws-mcp"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_REGION", "us-west-2")
        .env("HOME", std::env::temp_dir())
        .env("AWS_API_MCP_WORKING_DIR", std::env::temp_dir())
        .env("AWS_MCP_AWS_CLI", "/nonexistent/aws")
        .env(
            "READ_OPERATIONS_ONLY",
            if read_only { "true" } else { "false" },
        );
    let transport = TokioChildProcess::new(cmd).expect("spawn aws-mcp");
    ().serve(transport).await.expect("initialize")
}

async fn call(client: &RunningService<RoleClient, ()>, command: &str) -> CallToolResult {
    client
        .call_tool(
            CallToolRequestParams::new("call_aws")
                .with_arguments(object!({ "cli_command": command })),
        )
        .await
        .expect("tools/call answered")
}

fn text(r: &CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect()
}

#[tokio::test]
async fn lists_tools_with_identity_and_truthful_annotations() {
    let client = start(false).await;
    let info = client.peer_info().expect("server info");
    let server = info.server_info.clone().expect("server identity");
    assert_eq!(server.name, "aws-mcp-stdio");
    assert_eq!(server.version, env!("CARGO_PKG_VERSION"));
    assert!(info
        .instructions
        .as_deref()
        .unwrap_or("")
        .contains("call_aws"));
    let tools = client.list_all_tools().await.expect("tools/list");
    let names: Vec<_> = tools.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(names.len(), 2);
    let call_aws = tools
        .iter()
        .find(|t| t.name == "call_aws")
        .expect("call_aws");
    let ann = call_aws.annotations.clone().expect("annotations");
    assert_eq!(ann.read_only_hint, Some(false));
    assert!(call_aws.output_schema.is_some());
    assert!(call_aws
        .description
        .as_deref()
        .unwrap_or("")
        .contains("us-west-2"));
    let suggest = tools
        .iter()
        .find(|t| t.name == "suggest_aws_commands")
        .expect("suggest");
    assert_eq!(
        suggest.annotations.clone().and_then(|a| a.read_only_hint),
        Some(true)
    );
    client.cancel().await.expect("close");
}

#[tokio::test]
async fn read_only_server_says_so_and_refuses_mutations() {
    let client = start(true).await;
    let tools = client.list_all_tools().await.expect("tools/list");
    let call_aws = tools
        .iter()
        .find(|t| t.name == "call_aws")
        .expect("call_aws");
    assert_eq!(
        call_aws.annotations.clone().and_then(|a| a.read_only_hint),
        Some(true)
    );
    let r = call(&client, "aws ec2 terminate-instances --instance-ids i-123").await;
    assert_eq!(r.is_error, Some(true));
    assert!(text(&r).contains("read-only"), "{}", text(&r));
    let status = &r.structured_content.expect("structured")["results"][0]["status"];
    assert_eq!(status, "denied");
    client.cancel().await.expect("close");
}

#[tokio::test]
async fn invalid_commands_and_unrunnable_programs_are_tool_errors() {
    let client = start(false).await;
    for bad in [
        "aws ec2 describe-instancez",
        "aws s3api list-buckets && echo hi",
        "gcloud compute instances list",
        "aws s3api get-object --bucket b",
    ] {
        let r = call(&client, bad).await;
        assert_eq!(r.is_error, Some(true), "{bad}");
        let s = r.structured_content.expect("structured");
        assert_eq!(s["results"][0]["status"], "rejected", "{bad}: {s}");
    }
    // A valid command the native executor does not cover, with no `aws`
    // program: an error result naming the fix and why it was not native.
    let r = call(&client, "aws s3 mv s3://b/k -").await;
    assert_eq!(r.is_error, Some(true));
    assert!(text(&r).contains("AWS_MCP_AWS_CLI"), "{}", text(&r));
    assert!(text(&r).contains("streaming"), "{}", text(&r));
    client.cancel().await.expect("close");
}
