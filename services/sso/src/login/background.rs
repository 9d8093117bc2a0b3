//! Where PIN hashing runs: a few threads at a lower scheduling priority (nice 10).
//!
//! An argon2id check takes about 20 ms of CPU and 19 MiB. On the tokio blocking pool, a burst
//! of logins would start hundreds of them at once. That would use hundreds of 19 MiB buffers
//! and keep the request threads from the CPU, so token, introspection and page requests would
//! wait behind password work. Here at most one check per core runs at a time, the rest queue,
//! and the kernel lets request threads go first: PIN checks use the CPU the requests leave.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};

use thread_priority::{ThreadPriority, ThreadPriorityValue, set_current_thread_priority};

type Job = Box<dyn FnOnce() + Send>;

/// On the 0–99 scale of `thread_priority`, 22 is nice 10 on Linux: request threads (nice 0)
/// get about nine tenths of a contended core.
const PRIORITY: u8 = 22;

fn queue() -> &'static Sender<Job> {
    static QUEUE: OnceLock<Sender<Job>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (jobs, receiver) = channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        for n in 0..threads {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("pin-hash-{n}"))
                .spawn(move || work(&receiver))
                .expect("a PIN hashing thread starts");
        }
        jobs
    })
}

fn work(jobs: &Mutex<Receiver<Job>>) {
    let priority = ThreadPriorityValue::try_from(PRIORITY).expect("a valid priority");
    if let Err(e) = set_current_thread_priority(ThreadPriority::Crossplatform(priority)) {
        tracing::warn!(error = ?e, "PIN hashing runs at normal priority");
    }
    loop {
        let job = jobs.lock().expect("PIN job queue").recv();
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

/// Runs `f` on a PIN hashing thread and waits for its answer.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(f());
    });
    queue()
        .send(job)
        .expect("PIN hashing threads run as long as the process");
    rx.await.expect("a PIN hashing job answers")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nice value of the calling thread, from Linux's `/proc/thread-self/stat`.
    fn nice() -> i32 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
        // Fields after the command name (which is in parentheses); nice is field 19.
        let rest = &stat[stat.rfind(')').unwrap() + 2..];
        rest.split(' ').nth(16).unwrap().parse().unwrap()
    }

    #[tokio::test]
    async fn jobs_run_on_threads_that_yield_to_request_threads() {
        let here = nice();
        let there = run(nice).await;
        assert_eq!(
            there,
            here.max(10),
            "PIN work runs at nice 10 (or the process's own)"
        );
    }

    #[tokio::test]
    async fn many_jobs_queue_and_all_answer() {
        let pending: Vec<_> = (0..50).map(|n| tokio::spawn(run(move || n * 2))).collect();
        let mut answers = Vec::new();
        for job in pending {
            answers.push(job.await.unwrap());
        }
        assert_eq!(answers, (0..50).map(|n| n * 2).collect::<Vec<_>>());
    }
}
