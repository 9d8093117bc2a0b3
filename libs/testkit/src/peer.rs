//! Third-party peers written in Python, for interop tests: a script under `tests/interop/`
//! that prints `PORT n` once it listens, then one line per thing it saw. Without the Python
//! package it needs, [`PythonPeer::start`] says it is skipping and returns `None`, unless
//! `TILGANG_REQUIRE_INTEROP=1`, which makes it fail instead.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A running peer; stopped when dropped.
pub struct PythonPeer {
    child: Child,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
    /// What it printed, line by line.
    pub lines: Arc<Mutex<Vec<String>>>,
}

impl PythonPeer {
    /// Runs `tests/interop/{script}` with `args` if Python can import `module` (installed from
    /// `tests/interop/{requirements}`).
    pub fn start(module: &str, script: &str, requirements: &str, args: &[&str]) -> Option<Self> {
        let (python, script) = python_for(module, script, requirements)?;
        let mut child = Command::new(&python)
            .arg(script)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the peer starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (port_tx, port_rx) = mpsc::channel();
        let seen = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(port) = line.strip_prefix("PORT ") {
                    let _ = port_tx.send(port.trim().parse::<u16>().expect("a port number"));
                }
                seen.lock().unwrap().push(line);
            }
        });
        let port = port_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the peer prints its port");
        Some(Self { child, port, lines })
    }

    /// The lines printed so far that start with `prefix`, without it.
    pub fn lines_after(&self, prefix: &str) -> Vec<String> {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter_map(|l| l.strip_prefix(prefix).map(str::to_owned))
            .collect()
    }
}

/// Runs the client `tests/interop/{script}` with `args` to the end if Python can import
/// `module` (installed from `tests/interop/{requirements}`); its output, or `None` when
/// skipping as [`PythonPeer::start`] does.
pub fn run_python(
    module: &str,
    script: &str,
    requirements: &str,
    args: &[&str],
) -> Option<std::process::Output> {
    let (python, script) = python_for(module, script, requirements)?;
    Some(
        Command::new(python)
            .arg(script)
            .args(args)
            .output()
            .expect("the client runs"),
    )
}

/// The Python to run `script` with, if it can import `module`.
fn python_for(module: &str, script: &str, requirements: &str) -> Option<(String, PathBuf)> {
    let python = std::env::var("TILGANG_PYTHON").unwrap_or_else(|_| "python3".into());
    let importable = Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !importable {
        let message = format!(
            "{module} is not importable by {python}; pip install -r tests/interop/{requirements}"
        );
        if std::env::var("TILGANG_REQUIRE_INTEROP").as_deref() == Ok("1") {
            panic!("{message} (TILGANG_REQUIRE_INTEROP=1 makes this a failure)");
        }
        eprintln!("skipping: {message}");
        return None;
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/interop")
        .join(script);
    Some((python, script))
}

impl Drop for PythonPeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
