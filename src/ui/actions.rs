//! Every user intent as one [`Action`], with its menu text and shortcut, so
//! the menus, the keyboard map and the help overlay come from one table.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::Status;

/// Something the user asked for. Panels push actions; `commands.rs` runs them.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// New empty project.
    NewProject,
    /// Open a project file (dialog).
    OpenProject,
    /// Open a given project file.
    OpenProjectPath(std::path::PathBuf),
    /// Import articles (dialog).
    ImportArticles,
    /// Import given article files.
    ImportArticlePaths(Vec<std::path::PathBuf>),
    /// Import a dataset (brat, doccano, CoNLL, JSONL) through a dialog.
    ImportDataset,
    /// Export a dataset through a dialog.
    ExportDataset,
    /// Save to the project's file (asks for one when there is none).
    Save,
    /// Save under a new name.
    SaveAs,
    /// Type a path instead of using a dialog.
    TypePath,
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Tag the selection as an entity of this type, or retype the selected entity.
    TagEntity(String),
    /// Make a claim from the selection and open the claim editor.
    MakeClaim,
    /// Open the claim editor on the selected claim.
    EditClaim,
    /// Delete the selected annotation.
    DeleteSelected,
    /// Grow or shrink the selected annotation: (start delta, end delta) in words.
    MoveBoundary { start: i32, end: i32 },
    /// Set the current document's status.
    SetStatus(Status),
    /// Next document.
    NextDocument,
    /// Previous document.
    PreviousDocument,
    /// Show a document (by index).
    SelectDocument(usize),
    /// Select an annotation of the current document.
    SelectAnnotation(crate::ui::AnnotationRef),
    /// Show a document and select a span in it.
    JumpTo {
        doc: String,
        start: usize,
        end: usize,
    },
    /// Open the find bar.
    Find,
    /// "Annotate all occurrences" of the selection or find text.
    AnnotateAll,
    /// Show the schema editor.
    EditSchema,
    /// Toggle dark/light theme.
    ToggleTheme,
    /// Bigger text.
    ZoomIn,
    /// Smaller text.
    ZoomOut,
    /// Toggle snapping selections to word boundaries.
    ToggleWordSnap,
    /// Choose how imported web pages are read.
    SetHtmlMode(crate::ingest::HtmlMode),
    /// Show the keyboard help overlay.
    Help,
    /// Close the window (asks when there are unsaved changes).
    Quit,
    /// Escape: clear selection, close overlays.
    Escape,
}

/// Keyboard shortcuts that work anywhere (even while typing in a field).
pub fn global_shortcuts() -> Vec<(KeyboardShortcut, Action)> {
    let cmd = Modifiers::COMMAND;
    let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
    vec![
        (KeyboardShortcut::new(cmd_shift, Key::S), Action::SaveAs),
        (KeyboardShortcut::new(cmd, Key::S), Action::Save),
        (KeyboardShortcut::new(cmd, Key::O), Action::OpenProject),
        (KeyboardShortcut::new(cmd, Key::N), Action::NewProject),
        (KeyboardShortcut::new(cmd, Key::I), Action::ImportArticles),
        (KeyboardShortcut::new(cmd_shift, Key::Z), Action::Redo),
        (KeyboardShortcut::new(cmd, Key::Y), Action::Redo),
        (KeyboardShortcut::new(cmd, Key::Z), Action::Undo),
        (KeyboardShortcut::new(cmd, Key::F), Action::Find),
        (KeyboardShortcut::new(cmd, Key::Q), Action::Quit),
        (
            KeyboardShortcut::new(Modifiers::NONE, Key::F1),
            Action::Help,
        ),
    ]
}

/// Rows of the help overlay: keys and what they do.
pub const HELP_ROWS: &[(&str, &str)] = &[
    (
        "Mouse drag / Shift+←→",
        "select text (snaps to words; toggle in View)",
    ),
    ("C", "make a claim from the selection and edit it"),
    ("E", "edit the selected claim"),
    ("A", "annotate all occurrences of the selection"),
    ("Delete / Backspace", "delete the selected annotation"),
    ("Alt+←/→", "move the selected annotation's start by a word"),
    (
        "Alt+Shift+←/→",
        "move the selected annotation's end by a word",
    ),
    ("Tab / Shift+Tab", "select the next / previous annotation"),
    ("N / P, Alt+↓/↑", "next / previous document"),
    (
        "Ctrl+1 … Ctrl+4",
        "status New / In progress / Done / Reviewed",
    ),
    ("Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y", "undo, redo"),
    ("Ctrl+Q", "quit (asks first when there are unsaved changes)"),
    ("Ctrl+S, Ctrl+Shift+S", "save, save as"),
    (
        "Ctrl+O, Ctrl+N, Ctrl+I",
        "open project, new project, import articles",
    ),
    ("Ctrl+F", "find in the article and across the project"),
    ("Ctrl + / Ctrl −", "zoom"),
    ("F1 or ?", "this help"),
    ("Esc", "clear the selection, close overlays"),
];
