//! The eframe app. One panel or view per file; every user intent is an
//! [`Action`] handled in `commands/`; every change to the project goes
//! through the edit layer, held by the session ([`crate::workspace::Session`]).

mod actions;
mod adjudication;
mod annotate_all;
pub mod annotations_pane;
mod app;
mod article_view;
mod autosave;
mod bidi_text;
mod claim_editor;
mod command_table;
mod commands;
pub mod compare;
mod dashboard;
mod dataset_job;
pub mod dialogs;
mod disk_prompt;
pub mod disk_sync;
mod document_list;
mod entities_pane;
pub mod files;
pub mod find;
mod help;
mod inspector;
pub mod jobs;
mod memo;
mod menu_bar;
pub mod notifications;
mod palette;
mod panel_widths;
pub mod prefs;
mod read_only_banner;
pub mod saving;
mod schema_editor;
mod status_bar;
pub mod suggestions;
mod suggestions_bar;
pub mod theme;
mod unsaved;

pub use actions::Action;
pub use app::{AnnotationKind, AnnotationRef, GlossApp, Startup};
pub use article_view::{
    DrawnGlyph, MAX_PIECE, RTL_FAMILY, drawn_glyphs, layouts_last_frame, piece_ranges,
    relations_drawn_last_frame, review_marks_last_frame, visual_line_job,
};
pub use files::{FilePicker, PickKind};

/// Opens the native window on `startup` and runs until it closes.
pub fn run(startup: Startup) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Gloss")
            // The desktop entry's StartupWMClass: docks group the window under its icon.
            .with_app_id("gloss")
            .with_inner_size([1280.0, 820.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Gloss",
        options,
        Box::new(move |cc| {
            theme::install(&cc.egui_ctx);
            let app = GlossApp::new(startup, Box::new(files::RfdPicker::default()));
            Ok(Box::new(app))
        }),
    )
}
