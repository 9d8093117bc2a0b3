//! Staff passwords hashed and checked ([`tilgang_kernel::passwords`], 19 MiB each) at most
//! two at a time, off the async threads, so a burst of logins cannot exhaust memory.

use tokio::sync::Semaphore;

static SLOTS: Semaphore = Semaphore::const_new(2);

/// The hash of `password`.
pub async fn hash(password: String) -> String {
    let _slot = SLOTS
        .acquire()
        .await
        .expect("the semaphore is never closed");
    tokio::task::spawn_blocking(move || tilgang_kernel::passwords::hash(&password))
        .await
        .expect("hashing does not panic")
}

/// Whether `password` matches `hash`; with no hash, does the same work and says no.
pub async fn verify(hash: Option<String>, password: String) -> bool {
    let _slot = SLOTS
        .acquire()
        .await
        .expect("the semaphore is never closed");
    tokio::task::spawn_blocking(move || {
        tilgang_kernel::passwords::verify(hash.as_deref(), &password)
    })
    .await
    .unwrap_or(false)
}
