//! `--region '*'` and `--region a,b,c`: one read-only command in several
//! regions.
//!
//! ## Design
//!
//! * Which regions: the list given, or for `*` the regions enabled for the
//!   account, read with `aws ec2 describe-regions` (same profile, through
//!   the same executor and assessment); when that cannot run or fails, every
//!   region of the default region's partition (a region not enabled then
//!   answers with an error for that region).
//! * How: [`ValidatedCommand::for_region`] copies of the command, run by the
//!   pipeline's executor at most [`MAX_CONCURRENT_REGIONS`] at a time, each
//!   with the command's own options (its timeout applies per region); each
//!   finished region is reported as progress. Cancelling the call drops them
//!   all.
//! * What comes back: one JSON document keyed by region,
//!   `{"Regions": {"eu-west-1": <output>, ...}, "Errors": {"ap-east-1":
//!   "An error occurred ...", ...}}` (regions in the order given, sorted for
//!   `*`; a region's output is
//!   its parsed JSON, or its text for `--output text|table`, or `null` when
//!   it printed nothing). A region's failure never fails the others: the
//!   call succeeds when at least one region did, and fails (exit code of a
//!   failing region, every region's error in the message) when none did.
//!   The output cap applies to the whole document.
//! * The policy refuses several regions for any command that is not
//!   read-only (`Rule::MultiRegion`), before anything runs.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::Instant;

use serde_json::{Map, Value};

use crate::command::{RegionSet, ValidatedCommand};
use crate::exec::{cap_output, Capped, ExecError, ExecOptions, ExecOutput, Progress, ProgressSink};

use super::Pipeline;

/// How many regions run at the same time.
pub const MAX_CONCURRENT_REGIONS: usize = 8;

type Run<'a> = Pin<Box<dyn Future<Output = Result<ExecOutput, ExecError>> + Send + 'a>>;

/// Poll `runs` with at most `limit` in flight; results in input order.
/// `done` is told each finished index.
async fn join_bounded<'a>(
    runs: Vec<Run<'a>>,
    limit: usize,
    mut done: impl FnMut(usize, &Result<ExecOutput, ExecError>),
) -> Vec<Result<ExecOutput, ExecError>> {
    let n = runs.len();
    let mut waiting: std::collections::VecDeque<(usize, Run<'a>)> =
        runs.into_iter().enumerate().collect();
    let mut running: Vec<(usize, Run<'a>)> = Vec::new();
    let mut results: Vec<Option<Result<ExecOutput, ExecError>>> = (0..n).map(|_| None).collect();
    let mut finished = 0;
    std::future::poll_fn(|cx| {
        while running.len() < limit.max(1) {
            match waiting.pop_front() {
                Some(r) => running.push(r),
                None => break,
            }
        }
        let mut i = 0;
        while i < running.len() {
            if let Poll::Ready(r) = running[i].1.as_mut().poll(cx) {
                let (idx, _) = running.swap_remove(i);
                done(idx, &r);
                results[idx] = Some(r);
                finished += 1;
                // A freed slot takes the next region at once.
                if let Some(next) = waiting.pop_front() {
                    running.push(next);
                }
                continue;
            }
            i += 1;
        }
        if finished == n {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    results
        .into_iter()
        .map(|r| r.unwrap_or(Err(ExecError::Cancelled)))
        .collect()
}

impl Pipeline<'_> {
    /// The regions `set` stands for (see the module docs).
    async fn resolve_regions(
        &self,
        command: &ValidatedCommand,
        set: &RegionSet,
        options: &ExecOptions,
    ) -> Vec<String> {
        match set {
            RegionSet::List(l) => l.clone(),
            RegionSet::All => {
                let mut probe = String::from("aws ec2 describe-regions --output json");
                if let Some(p) = &command.globals().profile {
                    probe.push_str(" --profile ");
                    probe.push_str(&shell_quote(p));
                }
                let enabled = match self.validator.validate(&probe) {
                    Ok(c) if self.assessor.assess(&c).is_allowed() => {
                        match self.executor.execute(&c, options).await {
                            Ok(out) if out.success() => out
                                .json
                                .as_ref()
                                .and_then(|j| j["Regions"].as_array())
                                .map(|rs| {
                                    rs.iter()
                                        .filter_map(|r| r["RegionName"].as_str())
                                        .map(str::to_string)
                                        .collect::<Vec<_>>()
                                })
                                .unwrap_or_default(),
                            _ => Vec::new(),
                        }
                    }
                    _ => Vec::new(),
                };
                let mut regions = if enabled.is_empty() {
                    let default = &self.assessor.policy().config().region;
                    self.catalog
                        .partition_of(default)
                        .map(|p| p.regions.clone())
                        .unwrap_or_default()
                } else {
                    enabled
                };
                regions.sort();
                regions.dedup();
                regions
            }
        }
    }

    /// Run `command` once per region of its [`ValidatedCommand::regions`]
    /// (see the module docs).
    pub(super) async fn run_in_regions(
        &self,
        command: &ValidatedCommand,
        set: &RegionSet,
        options: &ExecOptions,
        progress: &dyn ProgressSink,
    ) -> Result<ExecOutput, ExecError> {
        let start = Instant::now();
        let regions = self.resolve_regions(command, set, options).await;
        if regions.is_empty() {
            return Err(ExecError::Config(
                "no region to run in: the enabled regions could not be read and the default region's partition lists none".into(),
            ));
        }
        let commands: Vec<ValidatedCommand> =
            regions.iter().map(|r| command.for_region(r)).collect();
        let runs: Vec<Run<'_>> = commands
            .iter()
            .map(|c| -> Run<'_> {
                Box::pin(self.executor.execute_with_progress(c, options, progress))
            })
            .collect();
        let total = regions.len() as u64;
        let mut count = 0u64;
        let results = join_bounded(runs, MAX_CONCURRENT_REGIONS, |i, r| {
            count += 1;
            let how = match r {
                Ok(o) if o.success() => "done",
                _ => "failed",
            };
            progress.report(Progress {
                done: count,
                total: Some(total),
                message: format!("{} {how} ({count} of {total} regions)", regions[i]),
            });
        })
        .await;
        Ok(combine(&regions, results, options, start))
    }
}

/// A word quoted for the command-line tokenizer (single quotes unless it is
/// plain).
fn shell_quote(w: &str) -> String {
    if !w.is_empty()
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/' | b'@'))
    {
        return w.to_string();
    }
    format!("'{}'", w.replace('\'', "'\\''"))
}

/// JSON indented by four spaces, as the AWS CLI prints it.
fn json_text(v: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    let _ = serde::Serialize::serialize(v, &mut ser);
    let mut s = String::from_utf8(buf).unwrap_or_default();
    s.push('\n');
    s
}

/// The combined document and output (see the module docs).
fn combine(
    regions: &[String],
    results: Vec<Result<ExecOutput, ExecError>>,
    options: &ExecOptions,
    start: Instant,
) -> ExecOutput {
    let mut ok = Map::new();
    let mut errors = Map::new();
    let mut first_failure: Option<i32> = None;
    for (region, r) in regions.iter().zip(results) {
        match r {
            Ok(o) if o.success() => {
                let v = match (o.json, o.text) {
                    (Some(j), _) => j,
                    (None, Some(t)) if !t.trim().is_empty() => Value::String(t),
                    _ => Value::Null,
                };
                ok.insert(region.clone(), v);
            }
            Ok(o) => {
                first_failure.get_or_insert(o.exit_code.unwrap_or(255));
                let e = o.stderr.trim();
                let e = if e.is_empty() {
                    format!("exited with code {:?}", o.exit_code)
                } else {
                    e.to_string()
                };
                errors.insert(region.clone(), Value::String(e));
            }
            Err(e) => {
                first_failure.get_or_insert(255);
                errors.insert(region.clone(), Value::String(e.to_string()));
            }
        }
    }
    let all_failed = ok.is_empty();
    let mut doc = Map::new();
    doc.insert("Regions".into(), Value::Object(ok));
    if !errors.is_empty() {
        doc.insert("Errors".into(), Value::Object(errors.clone()));
    }
    let text = json_text(&Value::Object(doc));
    let stdout = cap_output(text.as_bytes(), options.output_cap, text.len() as u64);
    let stderr = if all_failed {
        let lines: Vec<String> = errors
            .iter()
            .map(|(r, e)| format!("{r}: {}", e.as_str().unwrap_or_default()))
            .collect();
        let all = lines.join("\n");
        cap_output(all.as_bytes(), options.error_cap, all.len() as u64)
    } else {
        Capped::default()
    };
    let code = if all_failed {
        first_failure.unwrap_or(255)
    } else {
        0
    };
    ExecOutput::from_streams(Some(code), stdout, stderr, start.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn out(code: i32, stdout: &str, stderr: &str) -> Result<ExecOutput, ExecError> {
        Ok(ExecOutput::from_streams(
            Some(code),
            cap_output(stdout.as_bytes(), 1 << 20, 0),
            cap_output(stderr.as_bytes(), 1 << 20, 0),
            Duration::ZERO,
        ))
    }

    #[test]
    fn results_are_keyed_by_region_and_failures_kept_apart() {
        let regions = vec![
            "eu-west-1".to_string(),
            "us-east-1".into(),
            "ap-east-1".into(),
        ];
        let o = combine(
            &regions,
            vec![
                out(0, "{\"Vpcs\": []}", ""),
                out(0, "", ""),
                out(255, "", "\nAn error occurred (AuthFailure) when calling the DescribeVpcs operation: no\n"),
            ],
            &ExecOptions::default(),
            Instant::now(),
        );
        assert!(o.success());
        let j = o.json.unwrap();
        assert_eq!(j["Regions"]["eu-west-1"], serde_json::json!({"Vpcs": []}));
        assert_eq!(j["Regions"]["us-east-1"], Value::Null);
        assert!(j["Errors"]["ap-east-1"]
            .as_str()
            .unwrap()
            .contains("AuthFailure"));
        // All failed: the call fails with every region's error.
        let o = combine(
            &regions[..2],
            vec![out(255, "", "boom"), Err(ExecError::Cancelled)],
            &ExecOptions::default(),
            Instant::now(),
        );
        assert_eq!(o.exit_code, Some(255));
        assert!(
            o.stderr.contains("eu-west-1: boom")
                && o.stderr.contains("us-east-1: the command was cancelled")
        );
    }

    #[test]
    fn at_most_the_limit_run_at_once_and_all_finish() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let live = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let runs: Vec<Run<'static>> = (0..20)
            .map(|i| {
                let (live, peak) = (live.clone(), peak.clone());
                let mut polls = 0;
                let mut started = false;
                Box::pin(std::future::poll_fn(move |cx| {
                    if !started {
                        started = true;
                        let now = live.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                    }
                    polls += 1;
                    if polls < 3 + i % 4 {
                        cx.waker().wake_by_ref();
                        return Poll::Pending;
                    }
                    live.fetch_sub(1, Ordering::SeqCst);
                    Poll::Ready(out(0, &i.to_string(), ""))
                })) as Run<'static>
            })
            .collect();
        let mut seen = Vec::new();
        let results = block_on(join_bounded(runs, 8, |i, _| seen.push(i)));
        assert_eq!(results.len(), 20);
        for (i, r) in results.iter().enumerate() {
            assert_eq!(
                r.as_ref().unwrap().text.as_deref(),
                Some(i.to_string().as_str())
            );
        }
        assert_eq!(seen.len(), 20);
        assert!(
            peak.load(Ordering::SeqCst) <= 8,
            "{}",
            peak.load(Ordering::SeqCst)
        );
        assert_eq!(peak.load(Ordering::SeqCst), 8);
    }

    /// A minimal executor for a future that wakes itself.
    fn block_on<F: Future>(f: F) -> F::Output {
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut f = std::pin::pin!(f);
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }
}
