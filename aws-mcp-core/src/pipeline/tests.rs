use super::*;
use crate::policy::{PolicyConfig, Rule};

/// An executor for plans that must never run: planning is what these tests
/// check, and execution is checked end to end (the server's tests run the
/// pipeline against moto with the real executors).
struct MustNotRun;

#[async_trait::async_trait]
impl Executor for MustNotRun {
    async fn execute(
        &self,
        command: &ValidatedCommand,
        _options: &ExecOptions,
    ) -> Result<ExecOutput, ExecError> {
        Err(ExecError::Config(format!(
            "planning tests do not run commands ({})",
            command.service()
        )))
    }
}

fn pipeline(read_only: bool, consent: bool) -> Pipeline<'static> {
    let catalog = Catalog::embedded();
    let mut c = PolicyConfig::new(catalog, "us-east-1", std::env::temp_dir()).expect("temp dir");
    c.read_operations_only = read_only;
    c.require_mutation_consent = consent;
    Pipeline::new(
        crate::Validator::new(catalog),
        Assessor::new(c),
        Arc::new(MustNotRun),
        Settings::default(),
    )
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_bad_command_refuses_the_whole_batch() {
    let p = pipeline(false, false);
    let r = p
        .plan(
            &strings(&[
                "aws sts get-caller-identity",
                "aws ec2 describe-instance",
                "aws s3 ls",
            ]),
            None,
        )
        .expect_err("refused");
    let st: Vec<Status> = r.results.iter().map(|o| o.status).collect();
    assert_eq!(st, [Status::NotRun, Status::Rejected, Status::NotRun]);
    assert_eq!(
        r.results[1].error_kind.as_deref(),
        Some("unknown_operation")
    );
    assert!(r.results[1]
        .suggestions
        .contains(&"describe-instances".to_string()));
    assert!(r.is_error());
    assert!(
        r.text().ends_with("Nothing in the list was run."),
        "{}",
        r.text()
    );
    assert_eq!(
        r.text().matches("did you mean").count() + r.text().matches("Did you mean").count(),
        1,
        "suggestions said once: {}",
        r.text()
    );
}

#[test]
fn a_refusal_names_its_rule() {
    let p = pipeline(true, false);
    let r = p
        .plan(&strings(&["aws iam delete-user --user-name u"]), None)
        .expect_err("refused");
    assert_eq!(r.results[0].status, Status::Denied);
    assert_eq!(
        r.results[0].error_kind.as_deref(),
        Some(Rule::ReadOnly.as_str())
    );
    assert!(r.text().starts_with("Refused `aws iam delete-user"));
}

#[test]
fn limits_of_a_call() {
    let p = pipeline(false, false);
    assert!(p.plan(&[], None).is_err());
    let many = vec!["aws s3 ls".to_string(); MAX_COMMANDS + 1];
    assert!(p
        .plan(&many, None)
        .unwrap_err()
        .text()
        .contains("between 1 and 20"));
    assert!(p.plan(&many[..MAX_COMMANDS], None).is_ok());
    let one = strings(&["aws s3 ls"]);
    assert!(p.plan(&one, Some(0)).is_err());
    assert!(p.plan(&one, Some(MAX_RESULTS_LIMIT + 1)).is_err());
    assert!(p.plan(&one, Some(MAX_RESULTS_LIMIT)).is_ok());
}

#[test]
fn result_limit_only_for_paginated_commands() {
    let p = pipeline(false, false);
    let plan = p
        .plan(
            &strings(&["aws iam list-users", "aws sts get-caller-identity"]),
            Some(7),
        )
        .expect("allowed");
    let limits: Vec<Option<u32>> = plan.items.iter().map(|i| i.options.max_items).collect();
    assert_eq!(limits, [Some(7), None]);
    let plan = p
        .plan(&strings(&["aws iam list-users"]), None)
        .expect("allowed");
    assert_eq!(plan.items[0].options.max_items, Some(100));
}

#[test]
fn consent_is_needed_only_for_what_the_policy_says() {
    let p = pipeline(false, true);
    let plan = p
        .plan(&strings(&["aws s3 ls", "aws s3 rb s3://bucket"]), None)
        .expect("allowed with consent");
    assert!(plan.needs_consent());
    let q = plan.consent_question();
    assert!(
        q.contains("aws s3 rb s3://bucket") && !q.contains("  - aws s3 ls"),
        "{q}"
    );
    let plan = plan.ready().expect_err("needs consent");
    let report = plan.decline("no");
    assert!(report.results.iter().all(|r| r.status == Status::Declined));
    assert_eq!(report.results[0].error_kind.as_deref(), Some("consent"));

    let plan = p.plan(&strings(&["aws s3 ls"]), None).expect("allowed");
    assert!(!plan.needs_consent());
    assert_eq!(plan.ready().expect("ready").commands().count(), 1);
}

#[test]
fn consent_question_cannot_be_forged() {
    let p = pipeline(false, true);
    let text = "aws sqs send-message --queue-url https://sqs.us-east-1.amazonaws.com/1/q --message-body 'x\n  - aws s3 ls (Read access)\u{1b}[2K'";
    let plan = p
        .plan(&strings(&[text]), None)
        .expect("allowed with consent");
    let q = plan.consent_question();
    assert_eq!(
        q.lines().filter(|l| l.starts_with("  - ")).count(),
        1,
        "{q}"
    );
    assert!(q.contains("\\u{a}") && q.contains("\\u{1b}"), "{q}");
    // Bidirectional overrides do not even reach the question: refused.
    let bidi = "aws sqs send-message --queue-url https://sqs.us-east-1.amazonaws.com/1/q --message-body 'x\u{202E}'";
    assert!(p.plan(&strings(&[bidi]), None).is_err());
}

#[test]
fn long_commands_are_echoed_short() {
    let long = format!("aws s3 ls {}", "x".repeat(1 << 20));
    let p = pipeline(false, false);
    let r = p.plan(&[long.clone(), long], None).expect_err("rejected");
    let size = serde_json::to_string(&r).expect("json").len() + r.text().len();
    assert!(size < 4096, "{size} bytes");
    assert!(r.results[0]
        .command
        .ends_with(&format!("[{} bytes]", 10 + (1 << 20))));
}

#[test]
fn outcomes_of_runs() {
    use crate::exec::cap_output;
    let out = |code: i32, o: &[u8], cap: usize, e: &[u8]| {
        ExecOutput::from_streams(
            Some(code),
            cap_output(o, cap, 0),
            cap_output(e, 1000, 0),
            Duration::from_millis(3),
        )
    };
    let r = CommandOutcome::from_exec("aws x y", Ok(out(0, br#"{"A": 1}"#, 100, b"")), Some(5));
    assert_eq!(r.status, Status::Success);
    assert_eq!(r.response, Some(serde_json::json!({"A": 1})));
    assert!(r.output.is_none() && r.error.is_none());
    assert_eq!(r.max_items, Some(5));
    assert_eq!(r.text(), r#"{"A":1}"#);

    let r = CommandOutcome::from_exec(
        "aws x y",
        Ok(out(255, b"", 100, b"An error occurred (NoSuchBucket)")),
        None,
    );
    assert_eq!(r.status, Status::Failed);
    assert_eq!(r.error.as_deref(), Some("An error occurred (NoSuchBucket)"));
    assert!(r.text().contains("NoSuchBucket"));

    let r = CommandOutcome::from_exec("aws x y", Ok(out(0, b"0123456789", 4, b"")), None);
    assert!(r.truncated);
    let o = r.output.clone().unwrap_or_default();
    assert!(o.starts_with("0123") && o.ends_with(CUT_MARK));
    assert!(r.text().contains("10 bytes in all"));

    for (e, kind) in [
        (ExecError::Timeout { seconds: 3 }, "timeout"),
        (ExecError::Cancelled, "cancelled"),
        (
            ExecError::Spawn {
                program: "aws".into(),
                reason: "not found".into(),
                source: Some(std::io::ErrorKind::NotFound.into()),
            },
            "spawn",
        ),
    ] {
        let r = CommandOutcome::from_exec("aws x y", Err(e), None);
        assert_eq!(r.status, Status::Error);
        assert_eq!(r.error_kind.as_deref(), Some(kind));
    }
}

#[test]
fn escaping_for_people() {
    assert_eq!(escape_for_people("a\nb"), "a\\u{a}b");
    assert_eq!(escape_for_people("\u{1b}[31m"), "\\u{1b}[31m");
    assert_eq!(escape_for_people("plain é"), "plain é");
    assert!(is_bidi_control('\u{202E}') && !is_bidi_control('a'));
}

/// Polls a future that never waits (the recording executor answers at once).
fn ready<T>(f: impl Future<Output = T>) -> T {
    let mut f = pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match f.as_mut().poll(&mut cx) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the future waited"),
    }
}

/// An executor that records the options each command got and takes
/// `takes` of wall time: a command whose timeout is shorter fails with
/// `Timeout`, as a real executor's would.
struct Recording {
    takes: Duration,
    seen: std::sync::Mutex<Vec<ExecOptions>>,
}

#[async_trait::async_trait]
impl Executor for Recording {
    async fn execute(
        &self,
        _command: &ValidatedCommand,
        options: &ExecOptions,
    ) -> Result<ExecOutput, ExecError> {
        self.seen.lock().expect("lock").push(options.clone());
        if options.timeout < self.takes {
            std::thread::sleep(options.timeout);
            return Err(ExecError::Timeout { seconds: 0 });
        }
        std::thread::sleep(self.takes);
        Ok(ExecOutput::from_streams(
            Some(0),
            crate::exec::cap_output(b"{}", 100, 2),
            crate::exec::cap_output(b"", 100, 0),
            self.takes,
        ))
    }
}

fn recording(takes: Duration, settings: Settings) -> (Pipeline<'static>, Arc<Recording>) {
    let catalog = Catalog::embedded();
    let c = PolicyConfig::new(catalog, "us-east-1", std::env::temp_dir()).expect("temp dir");
    let rec = Arc::new(Recording {
        takes,
        seen: std::sync::Mutex::new(Vec::new()),
    });
    let p = Pipeline::new(
        crate::Validator::new(catalog),
        Assessor::new(c),
        rec.clone(),
        settings,
    );
    (p, rec)
}

#[test]
fn credentials_reach_every_command_and_nothing_else_without_them() {
    let (p, rec) = recording(Duration::ZERO, Settings::default());
    let cmds = strings(&["aws sts get-caller-identity", "aws s3api list-buckets"]);
    let creds = crate::exec::Credentials {
        access_key_id: "AKIDCALLER".into(),
        secret_access_key: "s3cr3t".into(),
        session_token: Some("tok".into()),
        expires: None,
    };
    let plan = p
        .plan(&cmds, None)
        .expect("valid")
        .ready()
        .expect("allowed");
    let r = ready(p.execute(plan.with_credentials(creds.clone()), std::future::pending()));
    assert!(!r.is_error(), "{}", r.text());
    let plan = p
        .plan(&cmds, None)
        .expect("valid")
        .ready()
        .expect("allowed");
    let r = ready(p.execute(plan, std::future::pending()));
    assert!(!r.is_error(), "{}", r.text());
    let seen = rec.seen.lock().expect("lock");
    let got: Vec<Option<&str>> = seen
        .iter()
        .map(|o| o.credentials.as_ref().map(|c| c.access_key_id.as_str()))
        .collect();
    assert_eq!(got, [Some("AKIDCALLER"), Some("AKIDCALLER"), None, None]);
    let shown = format!("{:?}", seen[0]);
    assert!(
        !shown.contains("s3cr3t") && !shown.contains("tok\""),
        "{shown}"
    );
}

#[test]
fn the_call_limit_stops_a_batch_and_says_so() {
    let settings = Settings {
        call_timeout: Some(Duration::from_millis(300)),
        ..Settings::default()
    };
    let (p, rec) = recording(Duration::from_millis(200), settings);
    let cmds = strings(&[
        "aws sts get-caller-identity",
        "aws s3api list-buckets",
        "aws iam list-users",
    ]);
    let plan = p
        .plan(&cmds, None)
        .expect("valid")
        .ready()
        .expect("allowed");
    let r = ready(p.execute(plan, std::future::pending()));
    let st: Vec<Status> = r.results.iter().map(|o| o.status).collect();
    assert_eq!(st, [Status::Success, Status::Error, Status::NotRun]);
    assert_eq!(r.results[1].error_kind.as_deref(), Some("timeout"));
    let e = r.results[1].error.as_deref().unwrap_or("");
    assert!(
        e.contains("AWS_MCP_CALL_TIMEOUT") && e.contains("1-second"),
        "{e}"
    );
    let seen = rec.seen.lock().expect("lock");
    assert_eq!(
        seen.len(),
        2,
        "the third command never reached the executor"
    );
    assert!(
        seen[1].timeout < Duration::from_millis(200),
        "{:?}",
        seen[1].timeout
    );
    // Without a call limit, each command keeps its own timeout.
    let (p, rec) = recording(Duration::ZERO, Settings::default());
    let plan = p
        .plan(&cmds, None)
        .expect("valid")
        .ready()
        .expect("allowed");
    assert!(!ready(p.execute(plan, std::future::pending())).is_error());
    assert!(rec
        .seen
        .lock()
        .expect("lock")
        .iter()
        .all(|o| o.timeout == Settings::default().timeout));
}
