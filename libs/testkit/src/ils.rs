//! A fake library system for tests: pysip2's SIP2 server run by `tests/interop/sip2/ils.py`
//! with a small patron database (see that file). Needs Python with pysip2; without it
//! [`Ils::start`] says it is skipping and returns `None`, unless `TILGANG_REQUIRE_INTEROP=1`,
//! which makes it fail instead.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The institution id the fake library system answers for.
pub const INSTITUTION: &str = "NO-2030000";
/// A valid patron's card and PIN.
pub const GOOD: (&str, &str) = ("10000001", "1234");
/// A blocked patron's card and PIN.
pub const BLOCKED: (&str, &str) = ("10000002", "4321");
/// A patron whose card was reported lost.
pub const LOST: (&str, &str) = ("10000003", "5555");
/// The SIP2 login the fake system accepts.
pub const LOGIN: (&str, &str) = ("tilgang", "sip-secret");

/// A running `ils.py`; stopped when dropped.
pub struct Ils {
    child: Child,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
    /// What it printed, line by line.
    pub lines: Arc<Mutex<Vec<String>>>,
}

impl Ils {
    /// Starts the fake ILS, or returns `None` (after saying why) when pysip2 is not installed.
    pub fn start(args: &[&str]) -> Option<Self> {
        let python = std::env::var("TILGANG_PYTHON").unwrap_or_else(|_| "python3".into());
        let importable = Command::new(&python)
            .args(["-c", "import pysip2"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !importable {
            let message = format!(
                "pysip2 is not importable by {python}; \
                 pip install -r tests/interop/sip2/requirements.txt"
            );
            if std::env::var("TILGANG_REQUIRE_INTEROP").as_deref() == Ok("1") {
                panic!("{message} (TILGANG_REQUIRE_INTEROP=1 makes this a failure)");
            }
            eprintln!("skipping: {message}");
            return None;
        }
        let script =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/interop/sip2/ils.py");
        let mut child = Command::new(&python)
            .arg(script)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("ils.py starts");
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
            .expect("ils.py prints its port");
        Some(Self { child, port, lines })
    }
}

impl Drop for Ils {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
