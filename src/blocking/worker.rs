//! The blocking client's runtime thread: one current-thread tokio runtime on a
//! thread of its own that runs each call's future, and stops when the last
//! handle to it is dropped.

use azure_core::error::{Error, ErrorKind};
use std::{future::Future, pin::Pin, sync::mpsc, thread};
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};

type Job = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The name of the runtime thread (Linux shows its first 15 bytes).
const THREAD_NAME: &str = "acs-identity-blocking";

/// Owns the runtime thread; dropping it stops the thread and waits for it.
pub(crate) struct Worker {
    jobs: Option<UnboundedSender<Job>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Worker {
    /// Starts the runtime thread.
    pub(crate) fn start() -> azure_core::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                Error::with_message(
                    ErrorKind::Io,
                    format!("could not start the blocking client's tokio runtime: {e}"),
                )
            })?;
        let (jobs, mut incoming) = unbounded_channel::<Job>();
        let (started, running) = mpsc::sync_channel::<()>(1);
        let thread = thread::Builder::new()
            .name(THREAD_NAME.to_owned())
            .spawn(move || {
                // The thread is running (and named) before start() returns.
                let _ = started.send(());
                runtime.block_on(async move {
                    // Each call runs as its own task, so calls from several threads
                    // proceed concurrently; the loop ends when every sender is gone.
                    while let Some(job) = incoming.recv().await {
                        tokio::spawn(job);
                    }
                });
            })
            .map_err(|e| {
                Error::with_message(
                    ErrorKind::Io,
                    format!("could not start the blocking client's runtime thread: {e}"),
                )
            })?;
        let _ = running.recv();
        Ok(Self {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Runs `call` on the runtime thread and waits for its result. From inside an
    /// async runtime it refuses at once (blocking there would stall that runtime,
    /// or deadlock a current-thread one).
    pub(crate) fn run<T, F>(&self, call: F) -> azure_core::Result<T>
    where
        T: Send + 'static,
        F: Future<Output = azure_core::Result<T>> + Send + 'static,
    {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::with_message(
                ErrorKind::Other,
                "acs_identity::blocking::CommunicationIdentityClient was called from inside an \
                 async runtime, where blocking would stall it; use the async \
                 acs_identity::CommunicationIdentityClient there and `.await` its methods",
            ));
        }
        let (done, result) = mpsc::sync_channel(1);
        let job: Job = Box::pin(async move {
            let _ = done.send(call.await);
        });
        let stopped = || {
            Error::with_message(
                ErrorKind::Other,
                "the blocking client's runtime thread stopped before answering",
            )
        };
        self.jobs
            .as_ref()
            .ok_or_else(stopped)?
            .send(job)
            .map_err(|_| stopped())?;
        // A panicking call drops `done` without sending: an error, not a hang.
        result.recv().map_err(|_| stopped())?
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop; then wait for it, unless
        // this is the runtime thread itself (a job never owns the worker).
        self.jobs.take();
        if let Some(thread) = self.thread.take() {
            if thread.thread().id() != thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}
