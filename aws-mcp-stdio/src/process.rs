//! The `aws` program as a process tree that is killed whole, on Unix and on Windows.
//!
//! A command the subprocess executor runs may start processes of its own
//! (`aws.cmd` starts `python.exe`, a credential process starts a helper, a
//! pager...). Killing only the process we started would leave those running
//! when a command times out or its client cancels it, so every run is a
//! *tree* that [`ProcessTree::kill`] ends as a whole:
//!
//! * **Unix**: the child leads a new process group (`process_group(0)`);
//!   killing sends `SIGKILL` to the group. The group is also killed once the
//!   leader has exited, so nothing it left behind lingers, and when the tree
//!   is dropped (a cancelled call drops its future).
//! * **Windows**: the child is created suspended, put into a new job object
//!   with `JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE`, then resumed (so not even its
//!   first child can escape the job), by the `process-wrap` crate. Killing
//!   terminates the job; dropping the tree closes the job handle, which makes
//!   Windows terminate every process in it. Waiting waits for the whole job,
//!   which the executor's timeout bounds.
//!
//! Everything else about the run (arguments, environment, pipes, working
//! directory) is set on the [`tokio::process::Command`] by the caller.

use std::io;
use std::process::ExitStatus;

use tokio::process::{ChildStderr, ChildStdout, Command};

/// A spawned process and everything it starts.
#[derive(Debug)]
pub(crate) struct ProcessTree {
    #[cfg(not(windows))]
    child: tokio::process::Child,
    #[cfg(not(windows))]
    group: Option<u32>,
    #[cfg(windows)]
    child: Box<dyn process_wrap::tokio::ChildWrapper>,
}

impl ProcessTree {
    /// Spawns `cmd` as the leader of a new tree, with its standard output and
    /// error (which the caller must have set to `Stdio::piped()`).
    ///
    /// # Errors
    ///
    /// The spawn error (program not found, not executable, ...), or an error
    /// when an output stream was not piped.
    pub(crate) fn spawn(mut cmd: Command) -> io::Result<(ProcessTree, ChildStdout, ChildStderr)> {
        cmd.kill_on_drop(true);
        #[cfg(not(windows))]
        {
            #[cfg(unix)]
            cmd.process_group(0);
            let mut child = cmd.spawn()?;
            let group = child.id();
            let (out, err) = (child.stdout.take(), child.stderr.take());
            let tree = ProcessTree { child, group };
            Ok((tree, piped(out, "output")?, piped(err, "error")?))
        }
        #[cfg(windows)]
        {
            use process_wrap::tokio::{CommandWrap, JobObject, KillOnDrop};
            let mut child = CommandWrap::from(cmd)
                .wrap(JobObject)
                .wrap(KillOnDrop)
                .spawn()?;
            let (out, err) = (child.stdout().take(), child.stderr().take());
            let tree = ProcessTree { child };
            Ok((tree, piped(out, "output")?, piped(err, "error")?))
        }
    }

    /// Waits for the leader to exit (on Windows, for the whole job).
    pub(crate) async fn wait(&mut self) -> io::Result<ExitStatus> {
        self.child.wait().await
    }

    /// Kills every process of the tree that is still running. Idempotent.
    pub(crate) fn kill(&mut self) {
        #[cfg(unix)]
        if let Some(pid) = self.group.take().and_then(|p| i32::try_from(p).ok()) {
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        #[cfg(all(not(unix), not(windows)))]
        {
            self.group = None;
            let _ = self.child.start_kill();
        }
        #[cfg(windows)]
        {
            let _ = self.child.start_kill();
        }
    }
}

impl Drop for ProcessTree {
    fn drop(&mut self) {
        self.kill();
    }
}

fn piped<T>(stream: Option<T>, which: &str) -> io::Result<T> {
    stream.ok_or_else(|| io::Error::other(format!("standard {which} was not captured")))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::process::Stdio;
    use std::time::Duration;
    use tokio::io::AsyncReadExt;

    fn alive(pid: i32) -> bool {
        // Signal 0 checks for existence; a zombie (exited, not yet reaped by
        // its parent, init here) counts as gone.
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok() && !zombie(pid)
    }

    fn zombie(pid: i32) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Ok(stat) => stat.split(") ").nth(1).is_some_and(|r| r.starts_with('Z')),
            // No /proc (macOS): ask ps.
            Err(_) => std::process::Command::new("ps")
                .args(["-o", "stat=", "-p", &pid.to_string()])
                .output()
                .map(|o| {
                    String::from_utf8_lossy(&o.stdout)
                        .trim_start()
                        .starts_with('Z')
                })
                .unwrap_or(false),
        }
    }

    async fn grandchild_of(script: &str) -> (ProcessTree, i32) {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let (tree, mut out, _err) = ProcessTree::spawn(cmd).expect("sh runs");
        // The script prints its background child's pid first.
        let mut buf = [0u8; 32];
        let mut text = String::new();
        while !text.contains('\n') {
            let n = out.read(&mut buf).await.expect("reads");
            assert!(n > 0, "no pid printed");
            text.push_str(std::str::from_utf8(&buf[..n]).expect("utf-8"));
        }
        let pid: i32 = text.trim().parse().expect("a pid");
        (tree, pid)
    }

    async fn gone(pid: i32) -> bool {
        for _ in 0..100 {
            if !alive(pid) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    #[tokio::test]
    async fn kill_ends_the_whole_tree() {
        let (mut tree, pid) = grandchild_of("sleep 300 & echo $!; wait").await;
        assert!(alive(pid));
        tree.kill();
        assert!(gone(pid).await, "the grandchild {pid} survived the kill");
        let status = tree.wait().await.expect("waits");
        assert!(!status.success());
    }

    #[tokio::test]
    async fn dropping_the_tree_ends_it() {
        let (tree, pid) = grandchild_of("sleep 300 & echo $!; wait").await;
        drop(tree);
        assert!(gone(pid).await, "the grandchild {pid} survived the drop");
    }

    #[tokio::test]
    async fn what_the_leader_leaves_behind_is_killed_after_it_exits() {
        // The leader exits at once; its child (stdout closed) would run on.
        let (mut tree, pid) = grandchild_of("sleep 300 >/dev/null 2>&1 & echo $!").await;
        assert!(tree.wait().await.expect("waits").success());
        assert!(alive(pid));
        tree.kill();
        assert!(gone(pid).await);
    }

    #[test]
    fn a_missing_program_is_a_spawn_error() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let _guard = rt.enter();
        let mut cmd = Command::new("/nonexistent/aws");
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let e = ProcessTree::spawn(cmd).expect_err("no such program");
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
    }
}
