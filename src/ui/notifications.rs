//! The messages window: every message the status bar showed this session,
//! newest first and in full (the status bar shows one line, cut to fit).
//! A click on the status bar's message or View → Messages… opens it.

use std::collections::VecDeque;

use super::app::GlossApp;

/// Messages kept; older ones are dropped first.
const KEPT: usize = 500;
/// A message longer than this (a file's whole error list) is cut, so the
/// window never lays out megabytes.
const LONGEST: usize = 20_000;

/// One message and when it was shown.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The time of day, `HH:MM:SS` (UTC, as the rest of Gloss's stamps).
    pub at: String,
    /// The message as given.
    pub text: String,
}

/// The session's messages, and whether their window is open.
#[derive(Debug, Default)]
pub struct Log {
    /// Newest last.
    pub entries: VecDeque<Entry>,
    /// Whether the window is shown.
    pub open: bool,
}

impl Log {
    /// Records `text`.
    pub fn push(&mut self, text: &str) {
        let mut text = text.to_owned();
        if let Some((cut, _)) = text.char_indices().nth(LONGEST) {
            text.truncate(cut);
            text.push('…');
        }
        let now = crate::edit::now();
        // `now()` is RFC 3339 (`2026-12-07T15:04:05Z`): keep the time of day.
        let at = now.get(11..19).unwrap_or(&now).to_owned();
        if self.entries.len() == KEPT {
            self.entries.pop_front();
        }
        self.entries.push_back(Entry { at, text });
    }
}

/// Draws the window when open.
pub fn show(app: &mut GlossApp, ctx: &egui::Context) {
    if !app.notifications.open {
        return;
    }
    let mut open = true;
    let mut clear = false;
    egui::Window::new("Messages")
        .default_pos([320.0, 120.0])
        .default_size([560.0, 360.0])
        .open(&mut open)
        .collapsible(false)
        .show(ctx, |ui| {
            let log = &app.notifications;
            ui.horizontal(|ui| {
                ui.label(crate::model::plural(log.entries.len(), "message"));
                if ui.button("Copy all").clicked() {
                    let all: Vec<String> = log
                        .entries
                        .iter()
                        .map(|e| format!("{} {}", e.at, e.text))
                        .collect();
                    ui.ctx().copy_text(all.join("\n"));
                }
                if ui.button("Clear").clicked() {
                    clear = true;
                }
            });
            ui.separator();
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    if log.entries.is_empty() {
                        ui.weak("No messages yet.");
                    }
                    for entry in log.entries.iter().rev() {
                        ui.horizontal_top(|ui| {
                            ui.weak(&entry.at);
                            ui.add(egui::Label::new(&entry.text).wrap().selectable(true));
                        });
                    }
                });
        });
    if clear {
        app.notifications.entries.clear();
    }
    if !open {
        app.notifications.open = false;
    }
}
