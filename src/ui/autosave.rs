//! Background journal: a few seconds after a change, a copy of the project is
//! written to its recovery file on a worker thread, so a crash loses at most
//! those seconds.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::workspace::Session;

/// How long after a change the journal is written.
pub const INTERVAL: Duration = Duration::from_secs(3);

/// Autosave state.
#[derive(Default)]
pub struct Autosave {
    /// History generation last journalled (or found clean).
    written_generation: u64,
    /// When the first unjournalled change was seen.
    dirty_since: Option<Instant>,
    /// A write in flight.
    in_flight: Option<Receiver<Result<(), String>>>,
}

impl Autosave {
    /// Autosave for a session whose state is not in the journal yet (a
    /// restored one, whose history starts again at generation 0).
    pub fn journal_soon() -> Self {
        Self {
            written_generation: u64::MAX,
            ..Self::default()
        }
    }

    /// Waits for a journal write in flight, so that deleting the recovery
    /// file afterwards cannot be undone by a late write.
    pub fn settle(&mut self) {
        if let Some(receiver) = self.in_flight.take() {
            let _ = receiver.recv_timeout(std::time::Duration::from_secs(10));
        }
    }

    /// Hands over the journal write in flight, for a save to wait for.
    pub fn take_in_flight(&mut self) -> Option<Receiver<Result<(), String>>> {
        self.in_flight.take()
    }

    /// Starts a journal write when one is due; returns a failure to report.
    pub fn tick(&mut self, session: &Session, recovery: PathBuf) -> Option<String> {
        if let Some(receiver) = &self.in_flight {
            match receiver.try_recv() {
                Ok(result) => {
                    self.in_flight = None;
                    if let Err(e) = result {
                        return Some(e);
                    }
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => return None,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.in_flight = None,
            }
        }
        let generation = session.history.generation();
        if generation == self.written_generation {
            self.dirty_since = None;
            return None;
        }
        if !session.is_dirty() {
            // Back at the saved state (saved, or undone to it): nothing to journal.
            self.written_generation = generation;
            crate::store::recovery::remove(&recovery);
            return None;
        }
        let since = *self.dirty_since.get_or_insert_with(Instant::now);
        if since.elapsed() < INTERVAL {
            return None;
        }
        // Snapshot on the UI thread (one pointer per document), serialise
        // and write on a worker.
        let project = session.project().clone();
        // The journal beside a file records the version it was made against
        // (a read-only session journals elsewhere and records none).
        let file = session
            .path
            .clone()
            .filter(|_| session.holds_lock() && !session.is_read_only());
        let identity = session.disk_identity();
        let (sender, receiver) = channel();
        let spawned = std::thread::Builder::new()
            .name("gloss: autosave".to_owned())
            .spawn(move || {
                let against = file
                    .as_deref()
                    .map(|file| crate::store::recovery::Against { file, identity });
                let result = crate::store::recovery::write(&recovery, &project, against)
                    .map_err(|e| format!("{}: {e}", recovery.display()));
                let _ = sender.send(result);
            });
        if let Err(e) = spawned {
            return Some(format!("cannot start the recovery writer: {e}"));
        }
        self.in_flight = Some(receiver);
        self.written_generation = generation;
        self.dirty_since = None;
        None
    }
}
