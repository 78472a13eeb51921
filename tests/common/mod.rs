//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// `../shared/corpus`, or `None` (with a printed notice) when it is absent,
/// as in a user's clone.
pub fn corpus() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!(
            "skipped: ../shared/corpus not found (tests that need the shared corpus do nothing)"
        );
        None
    }
}

/// How long one run of the binary may take before the test kills it and
/// fails. Generous: a debug build on a busy two-core machine is slow, and the
/// point is only that a binary that blocks makes the test fail, not hang.
pub const GLOSS_TIMEOUT: Duration = Duration::from_secs(120);

/// Runs the real `gloss` binary (stdin closed), killing it and failing the
/// test when it has not finished within [`GLOSS_TIMEOUT`].
pub fn gloss(args: &[&str]) -> Output {
    spawn_gloss(args).wait()
}

/// Runs the real `gloss` binary with a deadline of `timeout`.
pub fn gloss_within(args: &[&str], timeout: Duration) -> Output {
    spawn_gloss(args).wait_within(timeout)
}

/// A running `gloss`, its output read as it comes.
pub struct Running {
    child: Child,
    command: String,
    stdout: JoinHandle<Vec<u8>>,
    stderr: JoinHandle<Vec<u8>>,
}

/// Starts the real `gloss` binary (stdin closed, output captured), for tests
/// that run several at once; finish each with [`Running::wait`].
pub fn spawn_gloss(args: &[&str]) -> Running {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gloss"));
    command.args(args).env("RUST_LOG", "off");
    spawn(command)
}

/// Runs any command (say `git` with Gloss as its merge driver) under the same
/// deadline as [`gloss`]: stdin closed, output captured.
pub fn run(command: Command) -> Output {
    spawn(command).wait()
}

/// Starts any command with stdin closed and its output captured.
pub fn spawn(mut command: Command) -> Running {
    let description = format!("{command:?}");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{description} starts: {e}"));
    // Both pipes are drained on threads, so that a chatty binary cannot block
    // on a full pipe while the test waits.
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    Running {
        child,
        command: description,
        stdout,
        stderr,
    }
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

impl Running {
    /// Waits for the binary to finish, at most [`GLOSS_TIMEOUT`].
    pub fn wait(self) -> Output {
        self.wait_within(GLOSS_TIMEOUT)
    }

    /// Waits for the binary to finish; when it has not within `timeout`, kills
    /// it and fails the test, saying so.
    pub fn wait_within(mut self, timeout: Duration) -> Output {
        let deadline = Instant::now() + timeout;
        let status = loop {
            match self.child.try_wait().expect("waiting for the gloss binary") {
                Some(status) => break status,
                None if Instant::now() >= deadline => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    panic!(
                        "`{}` did not finish within {} s and was killed (it blocked or hung)",
                        self.command,
                        timeout.as_secs()
                    );
                }
                None => std::thread::sleep(Duration::from_millis(10)),
            }
        };
        Output {
            status,
            stdout: self.stdout.join().expect("stdout was read"),
            stderr: self.stderr.join().expect("stderr was read"),
        }
    }
}

/// Stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh temporary folder.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// Python-style slicing by code points.
pub fn py_slice(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

/// A harness that drives the real app as a user would, with the app's
/// bundled fonts (egui's own have no Arabic) and a fixed window size.
#[cfg(feature = "gui")]
pub fn harness(app: gloss::ui::GlossApp) -> egui_kittest::Harness<'static, gloss::ui::GlossApp> {
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::Vec2::new(1280.0, 820.0))
        .with_theme(egui::Theme::Light)
        // A spinner (a save, an open, a comparison on a worker) asks for a
        // repaint every frame until its job ends, so run() settles only
        // then: 60 steps leave a loaded CI machine room (12 once ran out at
        // 15), and an endless repaint still fails.
        .with_max_steps(60)
        .with_context_setup(gloss::ui::theme::install)
        .build_ui_state(|ui, app: &mut gloss::ui::GlossApp| app.frame(ui), app);
    harness.run();
    harness
}

/// A double click at `point` as a mouse makes one: hover, then press and
/// release twice, one frame each.
#[cfg(feature = "gui")]
pub fn double_click(
    harness: &mut egui_kittest::Harness<'static, gloss::ui::GlossApp>,
    point: egui::Pos2,
) {
    harness.hover_at(point);
    harness.step();
    for pressed in [true, false, true, false] {
        harness.event(egui::Event::PointerButton {
            pos: point,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        harness.step();
    }
    harness.run();
}

/// Runs git in `dir` with a private configuration (no system or user
/// settings, a fixed author), for tests of the merge driver.
pub fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org")
        .output()
        .expect("git runs")
}

/// [`git`], failing the test when git fails; its standard output, trimmed.
pub fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {}: {}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}
