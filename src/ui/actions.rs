//! Every user intent as one [`Action`], with its menu text and shortcut, so
//! the menus, the keyboard map and the help overlay come from one table.

use egui::KeyboardShortcut;

use crate::model::Status;

/// Something the user asked for. Panels push actions; `commands/` runs them.
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
    /// Open the list of every message the status bar showed this session.
    ShowMessages,
    /// Open the command palette.
    CommandPalette,
    /// Ask for the annotator's name (recorded on annotations).
    SetAnnotatorName,
    /// Switch review mode on or off (text read-only, keys for review).
    ToggleReviewMode,
    /// Give the selected annotation this review state and go to the next
    /// unreviewed one.
    Review(crate::model::Review),
    /// Select the next (true) or previous unreviewed annotation.
    NextUnreviewed(bool),
    /// Mark an annotation "needs discussion" with an optional comment (the
    /// D prompt's answer), then go to the next unreviewed one.
    Discuss {
        doc: String,
        target: crate::review::mode::Reviewed,
        comment: Option<String>,
    },
    /// Start a link at the selected annotation, or end it at the selected
    /// annotation (a relation of the schema's first type).
    Link,
    /// Compare this project with another annotator's (dialog).
    CompareWith,
    /// Close the comparison.
    CloseComparison,
    /// Work the comparison's figures out again for the project as it is.
    Recompare,
    /// Merge this project (as saved) with the compared one into a new,
    /// unsaved curated project and walk its disagreements.
    AdjudicateComparison,
    /// Open or close the adjudication walk-through (while editing a kept
    /// version: go on walking).
    Adjudicate,
    /// Settle the disagreement shown as chosen.
    Settle(crate::review::adjudicate::Choice),
    /// Keep a version of the disagreement shown (the one of the selected
    /// annotation, else the first) and change it by hand.
    SettleAndEdit,
    /// Show the next (true) or previous unsettled disagreement.
    NextDisagreement(bool),
    /// Show the Annotations pane.
    ShowAnnotations,
    /// Show the Annotations pane with this filter over the whole project.
    FilterAnnotations(Box<crate::review::table::Filter>),
    /// Open or close the Dashboard.
    Dashboard,
    /// Close the window (asks when there are unsaved changes).
    Quit,
    /// Escape: clear selection, close overlays.
    Escape,
    /// A change a panel made (the inspector, the schema editor…): panels
    /// never apply edits themselves, so undo, provenance and dirty state
    /// have one path.
    Edit(Box<crate::edit::Edit>),
    /// A continuous change (a colour drag) merged into one undo step with
    /// the previous edit of the same key.
    EditCoalescing {
        edit: Box<crate::edit::Edit>,
        key: String,
    },
    /// Apply the claim editor's draft; the editor closes when it applied.
    ApplyClaimDraft,
    /// The annotate-all prompt was confirmed: tag every occurrence.
    AnnotateAllConfirmed {
        text: String,
        label: String,
        all_documents: bool,
    },
    /// The dataset form was confirmed: import or export on a worker thread.
    RunDataset(Box<super::dialogs::DatasetForm>),
    /// Stop a background job (its Cancel button in the status bar).
    CancelJob(u64),
    /// Walk to the next (true) or previous suggestion.
    NextSuggestion(bool),
    /// Accept the suggestion the walk is on.
    AcceptSuggestion,
    /// Reject the suggestion the walk is on.
    RejectSuggestion,
    /// Accept every shown suggestion of the focused one's type (or of this
    /// type) in the document, as one step.
    AcceptAllSuggestions(Option<String>),
    /// Show or hide suggestions.
    ToggleSuggestions,
}

/// Keyboard shortcuts that work anywhere (even while typing in a field),
/// from the command table.
pub fn global_shortcuts(schema: &crate::model::Schema) -> Vec<(KeyboardShortcut, Action)> {
    super::command_table::shared_table(schema)
        .iter()
        .filter(|c| c.scope == super::command_table::Scope::Global)
        .flat_map(|c| c.keys.iter().map(move |k| (*k, c.action.clone())))
        .collect()
}

/// Help rows for keys that are not commands of the command table: the
/// commands' own rows are generated from the table.
pub const HELP_ROWS: &[(&str, &str)] = &[
    (
        "Mouse drag / Shift+←→",
        "select text (snaps to words; toggle in View)",
    ),
    ("Ctrl+Shift+←→", "grow or shrink the selection by a word"),
    ("Double click", "select a word"),
    ("Tab / Shift+Tab", "select the next / previous annotation"),
    ("?", "this help"),
    ("Esc", "clear the selection, close overlays"),
];
