//! Saving off the UI thread. A save takes a snapshot of the project (one
//! pointer per document, see [`crate::model::Project::documents`]) and a
//! worker serializes and writes it atomically; the frame only polls. The
//! session counts as saved only when the write succeeded, and then only up
//! to the state that was snapshotted: an edit made while the file was being
//! written stays unsaved. One save runs at a time, so two writes of the same
//! file never race; a save asked for meanwhile waits its turn. Quitting
//! waits for a save in flight.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::store::{FileIdentity, SaveError};
use crate::workspace::{SaveTicket, SaveWrite};

use super::unsaved::AfterSave;

/// A save asked for while another was being written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    /// Where to (the session's file when `None`).
    pub path: Option<PathBuf>,
    /// What waits for it.
    pub then: Option<AfterSave>,
}

/// The save being written.
pub(crate) struct InFlight {
    pub(crate) ticket: SaveTicket,
    /// The session it was started for ([`super::GlossApp::session_serial`]).
    pub(crate) session: u64,
    /// What to do once it succeeded (quit, open another project…).
    pub(crate) then: Option<AfterSave>,
    pub(crate) started: Instant,
    receiver: Receiver<Result<Option<FileIdentity>, SaveError>>,
}

/// The app's saves: at most one in flight and one waiting.
#[derive(Default)]
pub struct Saving {
    pub(crate) in_flight: Option<InFlight>,
    pub(crate) queued: Option<Queued>,
    /// Holds every save's write until opened (tests: a save kept in flight
    /// deterministically).
    #[doc(hidden)]
    pub gate: Option<Arc<Gate>>,
}

/// A save that finished: its ticket, what waited for it and the outcome.
pub(crate) struct Finished {
    pub(crate) ticket: SaveTicket,
    pub(crate) session: u64,
    pub(crate) then: Option<AfterSave>,
    pub(crate) result: Result<Option<FileIdentity>, SaveError>,
}

impl Saving {
    /// Whether a save is being written.
    pub fn busy(&self) -> bool {
        self.in_flight.is_some()
    }

    /// The file being written and since when, for the status bar.
    pub fn current(&self) -> Option<(&Path, Instant)> {
        self.in_flight
            .as_ref()
            .map(|f| (f.ticket.target(), f.started))
    }

    /// Writes `write` on a worker thread. `journal` is the autosave's write
    /// in flight, if any: the worker lets it finish before removing the
    /// recovery copy, so that a late journal cannot bring it back.
    pub(crate) fn start(
        &mut self,
        ticket: SaveTicket,
        write: SaveWrite,
        session: u64,
        then: Option<AfterSave>,
        journal: Option<Receiver<Result<(), String>>>,
    ) {
        let (sender, receiver) = channel();
        let gate = self.gate.clone();
        let target = ticket.target().display().to_string();
        let spawned = std::thread::Builder::new()
            .name("gloss: save".to_owned())
            .spawn(move || {
                if let Some(gate) = gate {
                    gate.wait();
                }
                if let Some(journal) = journal {
                    let _ = journal.recv_timeout(Duration::from_secs(30));
                }
                // A bug in the writer must reach the user, not leave the
                // save in flight forever.
                let result = super::jobs::caught(|| write.run()).unwrap_or_else(|panic| {
                    Err(SaveError {
                        path: target,
                        message: format!("the writer stopped (a bug in Gloss: {panic})"),
                        ..Default::default()
                    })
                });
                let _ = sender.send(result);
            });
        let receiver = match spawned {
            Ok(_) => receiver,
            Err(e) => {
                // Report it as a failed write, through the same path.
                let (sender, receiver) = channel();
                let _ = sender.send(Err(SaveError {
                    path: ticket.target().display().to_string(),
                    message: format!("cannot start the writer: {e}"),
                    ..Default::default()
                }));
                receiver
            }
        };
        self.in_flight = Some(InFlight {
            ticket,
            session,
            then,
            started: Instant::now(),
            receiver,
        });
    }

    /// The save in flight, once it has finished (never blocks).
    pub(crate) fn poll(&mut self) -> Option<Finished> {
        let flight = self.in_flight.as_ref()?;
        let result = match flight.receiver.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => Err(self.lost()),
        };
        self.take(result)
    }

    /// Waits for the save in flight to finish (quitting, tests).
    pub(crate) fn wait(&mut self) -> Option<Finished> {
        let flight = self.in_flight.as_ref()?;
        let result = match flight.receiver.recv_timeout(Duration::from_secs(120)) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => Err(SaveError {
                path: flight.ticket.target().display().to_string(),
                message: "the write did not finish within two minutes".to_owned(),
                ..Default::default()
            }),
            Err(RecvTimeoutError::Disconnected) => Err(self.lost()),
        };
        self.take(result)
    }

    fn lost(&self) -> SaveError {
        SaveError {
            path: self
                .in_flight
                .as_ref()
                .map(|f| f.ticket.target().display().to_string())
                .unwrap_or_default(),
            message: "the writer stopped without an answer".to_owned(),
            ..Default::default()
        }
    }

    fn take(&mut self, result: Result<Option<FileIdentity>, SaveError>) -> Option<Finished> {
        let flight = self.in_flight.take()?;
        Some(Finished {
            ticket: flight.ticket,
            session: flight.session,
            then: flight.then,
            result,
        })
    }
}

/// A gate that saves wait at before writing, for tests that need a save to
/// stay in flight while they act.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    /// A closed gate.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Lets every waiting and later save through.
    pub fn open(&self) {
        if let Ok(mut open) = self.open.lock() {
            *open = true;
        }
        self.opened.notify_all();
    }

    fn wait(&self) {
        let Ok(mut open) = self.open.lock() else {
            return;
        };
        while !*open {
            match self.opened.wait(open) {
                Ok(guard) => open = guard,
                Err(_) => return,
            }
        }
    }
}
