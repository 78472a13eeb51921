//! Every command as data: label, menu, shortcuts and when the keys work.
//! The menus, the keyboard map, the help overlay and the command palette
//! are all generated from [`table`], so a shortcut is written once and two
//! commands cannot silently share one (a test checks).

use egui::{Key, KeyboardShortcut, Modifiers};

use super::actions::Action;
use crate::model::{Schema, Status};

/// The menu a command sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    /// File.
    File,
    /// Edit.
    Edit,
    /// Annotate.
    Annotate,
    /// Document.
    Document,
    /// View.
    View,
    /// Help.
    Help,
}

impl Menu {
    /// Every menu, in menu-bar order.
    pub const ALL: [Menu; 6] = [
        Menu::File,
        Menu::Edit,
        Menu::Annotate,
        Menu::Document,
        Menu::View,
        Menu::Help,
    ];

    /// The menu's title.
    pub fn title(self) -> &'static str {
        match self {
            Menu::File => "File",
            Menu::Edit => "Edit",
            Menu::Annotate => "Annotate",
            Menu::Document => "Document",
            Menu::View => "View",
            Menu::Help => "Help",
        }
    }
}

/// When a command's keys work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Anywhere, even while typing in a field (Ctrl+S).
    Global,
    /// Only while no text field has focus and no dialog is open: single
    /// keys (digits, C, N, Delete) that would otherwise be typed.
    Text,
    /// Like `Text`, but only in review mode, where the `Text` keys are off.
    Review,
    /// Like `Text`, but only while the adjudication walk-through is open
    /// (and not editing a kept version), where the `Text` keys are off.
    Adjudicate,
    /// Read by egui itself (zoom); listed so that it shows and clashes count.
    Builtin,
}

/// One command.
#[derive(Debug, Clone)]
pub struct Command {
    /// What menus, help and the palette show.
    pub label: String,
    /// Where it sits; `None` for commands only reached by key or palette.
    pub menu: Option<Menu>,
    /// Its shortcuts, the first one shown.
    pub keys: Vec<KeyboardShortcut>,
    /// When the keys work.
    pub scope: Scope,
    /// What it does.
    pub action: Action,
    /// A separator goes above it in its menu.
    pub group_start: bool,
}

fn key(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

/// The digit keys 1–9.
pub const DIGIT_KEYS: [(char, Key); 9] = [
    ('1', Key::Num1),
    ('2', Key::Num2),
    ('3', Key::Num3),
    ('4', Key::Num4),
    ('5', Key::Num5),
    ('6', Key::Num6),
    ('7', Key::Num7),
    ('8', Key::Num8),
    ('9', Key::Num9),
];

/// [`table`] for `schema`, built once and kept while the schema stays the
/// same: the menus and the keyboard map read it every frame, and building
/// it (a hundred labels and shortcut lists) showed in frame profiles.
pub fn shared_table(schema: &Schema) -> std::rc::Rc<Vec<Command>> {
    thread_local! {
        static CACHE: std::cell::RefCell<Option<(Schema, std::rc::Rc<Vec<Command>>)>> =
            const { std::cell::RefCell::new(None) };
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        match cache.as_ref() {
            Some((cached, commands)) if cached == schema => commands.clone(),
            _ => {
                let commands = std::rc::Rc::new(table(schema));
                *cache = Some((schema.clone(), commands.clone()));
                commands
            }
        }
    })
}

/// Every command, for the project's schema (one "tag as" per entity type).
pub fn table(schema: &Schema) -> Vec<Command> {
    let none = Modifiers::NONE;
    let cmd = Modifiers::COMMAND;
    let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
    let alt = Modifiers::ALT;
    let alt_shift = Modifiers::ALT | Modifiers::SHIFT;
    let mut commands = Vec::new();
    let mut add = |label: &str, menu, keys: Vec<KeyboardShortcut>, scope, action, group_start| {
        commands.push(Command {
            label: label.to_owned(),
            menu,
            keys,
            scope,
            action,
            group_start,
        });
    };
    use Scope::{Builtin, Global, Text};
    let file = Some(Menu::File);
    add(
        "New project",
        file,
        vec![key(cmd, Key::N)],
        Global,
        Action::NewProject,
        false,
    );
    add(
        "Open project…",
        file,
        vec![key(cmd, Key::O)],
        Global,
        Action::OpenProject,
        false,
    );
    add(
        "Open by path…",
        file,
        vec![],
        Global,
        Action::TypePath,
        false,
    );
    add(
        "Import articles…",
        file,
        vec![key(cmd, Key::I)],
        Global,
        Action::ImportArticles,
        true,
    );
    add(
        "Import dataset…",
        file,
        vec![],
        Global,
        Action::ImportDataset,
        false,
    );
    add(
        "Export dataset…",
        file,
        vec![],
        Global,
        Action::ExportDataset,
        false,
    );
    add(
        "Save",
        file,
        vec![key(cmd, Key::S)],
        Global,
        Action::Save,
        true,
    );
    add(
        "Save as…",
        file,
        vec![key(cmd_shift, Key::S)],
        Global,
        Action::SaveAs,
        false,
    );
    add(
        "Compare with…",
        file,
        vec![],
        Global,
        Action::CompareWith,
        true,
    );
    add(
        "Adjudicate the comparison (new curated project)",
        file,
        vec![],
        Global,
        Action::AdjudicateComparison,
        true,
    );
    add(
        "Quit",
        file,
        vec![key(cmd, Key::Q)],
        Global,
        Action::Quit,
        true,
    );

    let edit = Some(Menu::Edit);
    add(
        "Undo",
        edit,
        vec![key(cmd, Key::Z)],
        Global,
        Action::Undo,
        false,
    );
    add(
        "Redo",
        edit,
        vec![key(cmd_shift, Key::Z), key(cmd, Key::Y)],
        Global,
        Action::Redo,
        false,
    );
    add(
        "Find…",
        edit,
        vec![key(cmd, Key::F)],
        Global,
        Action::Find,
        true,
    );
    add(
        "Annotate all occurrences…",
        edit,
        vec![key(none, Key::A)],
        Text,
        Action::AnnotateAll,
        false,
    );
    add(
        "Delete annotation",
        edit,
        vec![key(none, Key::Delete), key(none, Key::Backspace)],
        Text,
        Action::DeleteSelected,
        false,
    );
    add(
        "Move start a word left",
        edit,
        vec![key(alt, Key::ArrowLeft)],
        Text,
        Action::MoveBoundary { start: -1, end: 0 },
        true,
    );
    add(
        "Move start a word right",
        edit,
        vec![key(alt, Key::ArrowRight)],
        Text,
        Action::MoveBoundary { start: 1, end: 0 },
        false,
    );
    add(
        "Move end a word left",
        edit,
        vec![key(alt_shift, Key::ArrowLeft)],
        Text,
        Action::MoveBoundary { start: 0, end: -1 },
        false,
    );
    add(
        "Move end a word right",
        edit,
        vec![key(alt_shift, Key::ArrowRight)],
        Text,
        Action::MoveBoundary { start: 0, end: 1 },
        false,
    );
    add("Schema…", edit, vec![], Global, Action::EditSchema, true);
    add(
        "Your name (annotator)…",
        edit,
        vec![],
        Global,
        Action::SetAnnotatorName,
        false,
    );
    add(
        "Command palette…",
        edit,
        vec![key(cmd_shift, Key::P)],
        Global,
        Action::CommandPalette,
        false,
    );

    let annotate = Some(Menu::Annotate);
    for t in &schema.entity_types {
        let keys = t
            .hotkey
            .and_then(|h| DIGIT_KEYS.iter().find(|(d, _)| *d == h))
            .map(|(_, k)| vec![key(none, *k)])
            .unwrap_or_default();
        add(
            &format!("Tag as {} — {}", t.key, t.name),
            annotate,
            keys,
            Text,
            Action::TagEntity(t.key.clone()),
            false,
        );
    }
    add(
        "Claim…",
        annotate,
        vec![key(none, Key::C)],
        Text,
        Action::MakeClaim,
        true,
    );
    add(
        "Edit claim…",
        annotate,
        vec![key(none, Key::E)],
        Text,
        Action::EditClaim,
        false,
    );
    add(
        "Link to another annotation (L, select the target, L)",
        annotate,
        vec![key(none, Key::L)],
        Text,
        Action::Link,
        false,
    );

    let document = Some(Menu::Document);
    add(
        "Review mode (on/off)",
        document,
        vec![key(cmd_shift, Key::R)],
        Global,
        Action::ToggleReviewMode,
        false,
    );
    use crate::model::Review;
    for (label, k, review) in [
        ("Accept annotation (review)", Key::A, Review::Accepted),
        ("Reject annotation (review)", Key::R, Review::Rejected),
        ("Needs discussion (review)", Key::D, Review::Discuss),
    ] {
        add(
            label,
            document,
            vec![key(none, k)],
            Scope::Review,
            Action::Review(review),
            false,
        );
    }
    add(
        "Next unreviewed annotation",
        document,
        vec![key(none, Key::J), key(none, Key::N)],
        Scope::Review,
        Action::NextUnreviewed(true),
        false,
    );
    add(
        "Previous unreviewed annotation",
        document,
        vec![key(none, Key::K), key(none, Key::P)],
        Scope::Review,
        Action::NextUnreviewed(false),
        false,
    );
    add(
        "Adjudicate disagreements (on/off)",
        document,
        vec![key(cmd_shift, Key::J)],
        Global,
        Action::Adjudicate,
        true,
    );
    {
        use crate::review::adjudicate::Choice;
        for (label, k, action) in [
            (
                "Take version A (adjudication)",
                Key::A,
                Action::Settle(Choice::Take(0)),
            ),
            (
                "Take version B (adjudication)",
                Key::B,
                Action::Settle(Choice::Take(1)),
            ),
            (
                "Keep both versions (adjudication)",
                Key::O,
                Action::Settle(Choice::Both),
            ),
            (
                "Keep neither version (adjudication)",
                Key::X,
                Action::Settle(Choice::Neither),
            ),
            (
                "Keep a version and edit it (adjudication)",
                Key::E,
                Action::SettleAndEdit,
            ),
        ] {
            add(
                label,
                document,
                vec![key(none, k)],
                Scope::Adjudicate,
                action,
                false,
            );
        }
    }
    add(
        "Next disagreement",
        document,
        vec![key(none, Key::J), key(none, Key::N)],
        Scope::Adjudicate,
        Action::NextDisagreement(true),
        false,
    );
    add(
        "Previous disagreement",
        document,
        vec![key(none, Key::K), key(none, Key::P)],
        Scope::Adjudicate,
        Action::NextDisagreement(false),
        false,
    );
    add(
        "Next document",
        document,
        vec![key(none, Key::N), key(alt, Key::ArrowDown)],
        Text,
        Action::NextDocument,
        false,
    );
    add(
        "Previous document",
        document,
        vec![key(none, Key::P), key(alt, Key::ArrowUp)],
        Text,
        Action::PreviousDocument,
        false,
    );
    for ((status, (_, digit)), n) in Status::ALL.into_iter().zip(DIGIT_KEYS).zip(0..) {
        add(
            &format!("Mark {}", status.label()),
            document,
            vec![key(cmd, digit)],
            Text,
            Action::SetStatus(status),
            n == 0,
        );
    }

    let view = Some(Menu::View);
    add(
        "Dark or light theme",
        view,
        vec![],
        Global,
        Action::ToggleTheme,
        false,
    );
    add(
        "Zoom in",
        view,
        vec![egui::gui_zoom::kb_shortcuts::ZOOM_IN],
        Builtin,
        Action::ZoomIn,
        false,
    );
    add(
        "Zoom out",
        view,
        vec![egui::gui_zoom::kb_shortcuts::ZOOM_OUT],
        Builtin,
        Action::ZoomOut,
        false,
    );
    add(
        "Annotations pane",
        view,
        vec![key(cmd_shift, Key::A)],
        Global,
        Action::ShowAnnotations,
        true,
    );
    add(
        "Dashboard",
        view,
        vec![key(cmd_shift, Key::D)],
        Global,
        Action::Dashboard,
        false,
    );
    add(
        "Show suggestions (on/off)",
        view,
        vec![],
        Global,
        Action::ToggleSuggestions,
        false,
    );
    let suggest = Some(Menu::Annotate);
    add(
        "Next suggestion",
        suggest,
        vec![key(none, Key::S)],
        Text,
        Action::NextSuggestion(true),
        true,
    );
    add(
        "Previous suggestion",
        suggest,
        vec![key(Modifiers::SHIFT, Key::S)],
        Text,
        Action::NextSuggestion(false),
        false,
    );
    add(
        "Accept suggestion",
        suggest,
        vec![key(none, Key::Enter)],
        Text,
        Action::AcceptSuggestion,
        false,
    );
    add(
        "Reject suggestion",
        suggest,
        vec![key(none, Key::X)],
        Text,
        Action::RejectSuggestion,
        false,
    );
    add(
        "Accept all suggestions of this type here",
        suggest,
        vec![key(Modifiers::SHIFT, Key::Enter)],
        Text,
        Action::AcceptAllSuggestions(None),
        false,
    );
    add(
        "Snap selections to words (on/off)",
        view,
        vec![],
        Global,
        Action::ToggleWordSnap,
        false,
    );

    add(
        "Messages…",
        view,
        vec![],
        Global,
        Action::ShowMessages,
        false,
    );

    add(
        "Show keyboard shortcuts",
        Some(Menu::Help),
        vec![key(none, Key::F1)],
        Global,
        Action::Help,
        false,
    );
    commands
}

/// A command's first shortcut as this platform writes it (⌘ on macOS).
pub fn shortcut_text(ctx: &egui::Context, command: &Command) -> String {
    command
        .keys
        .iter()
        .map(|k| ctx.format_shortcut(k))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `shortcut` was pressed this frame, with exactly its modifiers
/// (so Alt+← does not also fire Alt+Shift+←); consumes the key event. The
/// modifiers are those of the event itself: a fast press and release (or
/// a test) can end before the frame does.
pub fn consume_exact(input: &mut egui::InputState, shortcut: &KeyboardShortcut) -> bool {
    let position = input.events.iter().position(|event| {
        matches!(
            event,
            egui::Event::Key {
                key,
                pressed: true,
                modifiers,
                ..
            } if *key == shortcut.logical_key && modifiers.matches_exact(shortcut.modifiers)
        )
    });
    match position {
        Some(index) => {
            input.events.remove(index);
            true
        }
        None => false,
    }
}

/// Ranks `label` for a palette `query`: `None` when the query's letters do
/// not all appear in order; lower is better (earlier and tighter matches,
/// word starts preferred).
pub fn fuzzy_score(label: &str, query: &str) -> Option<usize> {
    let label: Vec<char> = label.to_lowercase().chars().collect();
    let mut score = 0;
    let mut at = 0;
    let mut previous: Option<usize> = None;
    for q in query.to_lowercase().chars().filter(|c| !c.is_whitespace()) {
        let found = label.iter().skip(at).position(|c| *c == q)? + at;
        let word_start = found == 0 || label.get(found - 1).is_some_and(|c| !c.is_alphanumeric());
        score += match previous {
            Some(p) if found == p + 1 => 0,
            _ if word_start => 1,
            _ => 3 + (found - at),
        };
        previous = Some(found);
        at = found + 1;
    }
    Some(score)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pairs of commands bound to one key where both keys work at once.
    fn clashes(commands: &[Command]) -> Vec<(String, String)> {
        // Global and built-in keys work everywhere, so they clash with every
        // scope; text and review keys are never active together.
        let modal = |s: Scope| matches!(s, Scope::Text | Scope::Review | Scope::Adjudicate);
        let overlaps = |a: Scope, b: Scope| !(modal(a) && modal(b)) || a == b;
        let mut found = Vec::new();
        for (i, a) in commands.iter().enumerate() {
            for b in commands.iter().skip(i + 1) {
                let shared = a.keys.iter().any(|k| b.keys.contains(k));
                if shared && overlaps(a.scope, b.scope) && a.action != b.action {
                    found.push((a.label.clone(), b.label.clone()));
                }
            }
        }
        found
    }

    #[test]
    fn no_two_commands_share_a_shortcut_where_both_work() {
        assert_eq!(
            clashes(&table(&Schema::default())),
            Vec::<(String, String)>::new()
        );
    }

    #[test]
    fn the_clash_check_sees_a_clash() {
        // A schema whose second type takes the first one's digit: the check
        // above must see it, or it checks nothing.
        let mut schema = Schema::default();
        if let Some(t) = schema.entity_types.get_mut(1) {
            t.hotkey = Some('1');
        }
        assert_eq!(
            clashes(&table(&schema)),
            vec![(
                "Tag as PER — Person".to_owned(),
                "Tag as ORG — Organisation".to_owned()
            )]
        );
    }

    #[test]
    fn every_type_is_a_command_with_its_digit() {
        let commands = table(&Schema::default());
        let tag_per = commands
            .iter()
            .find(|c| c.action == Action::TagEntity("PER".into()))
            .expect("PER can be tagged");
        assert_eq!(tag_per.keys, vec![key(Modifiers::NONE, Key::Num1)]);
    }

    #[test]
    fn fuzzy_search_finds_letters_in_order_and_prefers_word_starts() {
        assert!(fuzzy_score("Save as…", "sva").is_some());
        assert!(fuzzy_score("Save as…", "xyz").is_none());
        let save_as = fuzzy_score("Save as…", "sa").expect("match");
        let schema = fuzzy_score("Schema…", "sa").expect("match");
        assert!(save_as <= schema, "{save_as} vs {schema}");
        assert_eq!(fuzzy_score("Anything", ""), Some(0));
    }
}
