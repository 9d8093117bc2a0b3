//! A fake library system for tests: pysip2's SIP2 server run by `tests/interop/sip2/ils.py`
//! with a small patron database (see that file). Needs Python with pysip2; without it
//! [`Ils::start`] says it is skipping and returns `None`, unless `TILGANG_REQUIRE_INTEROP=1`,
//! which makes it fail instead.

use crate::peer::PythonPeer;

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

/// The fake library system.
pub struct Ils;

impl Ils {
    /// The running `ils.py` (see [`PythonPeer`]).
    pub fn start(args: &[&str]) -> Option<PythonPeer> {
        PythonPeer::start("pysip2", "sip2/ils.py", "sip2/requirements.txt", args)
    }
}
