//! Keys read while no text field has focus: single-key annotation
//! commands and Shift/Ctrl+Shift+arrows that extend the selection.

use egui::{Key, Modifiers};

use crate::model::span;

use crate::ui::actions::Action;
use crate::ui::app::GlossApp;

/// Single-key annotation commands, read only while no text field has focus.
pub fn read_annotation_keys(app: &mut GlossApp, ctx: &egui::Context) {
    // Single-key commands come from the command table, like the menus.
    let text_commands: Vec<(egui::KeyboardShortcut, Action)> =
        crate::ui::command_table::shared_table(&app.session.project().schema)
            .iter()
            .filter(|c| {
                c.scope
                    == if app.adjudication.as_ref().is_some_and(|a| !a.editing) {
                        crate::ui::command_table::Scope::Adjudicate
                    } else if app.review_mode {
                        crate::ui::command_table::Scope::Review
                    } else {
                        crate::ui::command_table::Scope::Text
                    }
            })
            .flat_map(|c| c.keys.iter().map(move |k| (*k, c.action.clone())))
            .collect();
    let mut actions: Vec<Action> = ctx.input_mut(|i| {
        text_commands
            .iter()
            .filter(|(shortcut, _)| crate::ui::command_table::consume_exact(i, shortcut))
            .map(|(_, action)| action.clone())
            .collect()
    });
    let mut selection_moves = Vec::new();
    ctx.input(|i| {
        let pressed = |key| i.key_pressed(key);
        if pressed(Key::Escape) {
            actions.push(Action::Escape);
        }
        // Each key event's own modifiers, not the frame's: a quick
        // Shift+→ (pressed and released within one frame, as a fast typist
        // or a second tap does) has no Shift left by the frame's end.
        for event in &i.events {
            let egui::Event::Key {
                key: key @ (Key::ArrowLeft | Key::ArrowRight),
                pressed: true,
                modifiers,
                ..
            } = event
            else {
                continue;
            };
            // Ctrl+Shift arrives with both `ctrl` and `command` set on Linux
            // and Windows (`mac_cmd` and `command` on a Mac).
            let by_word = modifiers.shift && modifiers.command && !modifiers.alt;
            if modifiers.shift_only() || by_word {
                selection_moves.push((*key == Key::ArrowRight, by_word));
            }
        }
        for event in &i.events {
            if let egui::Event::Text(text) = event
                && text == "?"
            {
                actions.push(Action::Help);
            }
        }
    });
    let tab = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Tab));
    let shift_tab = ctx.input_mut(|i| i.consume_key(Modifiers::SHIFT, Key::Tab));
    if tab || shift_tab {
        // Tab walks the annotations here: keep egui from also moving keyboard
        // focus to a widget, which would swallow every later annotation key.
        ctx.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
    }
    if tab {
        app.cycle_annotation(true);
    }
    if shift_tab {
        app.cycle_annotation(false);
    }
    for (forward, by_word) in selection_moves {
        extend_selection(app, forward, by_word);
    }
    for action in actions {
        app.act(action);
    }
}

/// Shift+arrows: grows or shrinks the selection's head by a character (or a
/// word with Ctrl), starting from the selected annotation or the last click.
fn extend_selection(app: &mut GlossApp, forward: bool, by_word: bool) {
    let Some(doc) = app.document() else { return };
    let len = doc.text.chars().count();
    let (anchor, head) = match (app.selection, &app.selected) {
        (Some(selection), _) => selection,
        (None, Some(selected)) => match app.annotation_start(selected) {
            Some(start) => (start, start),
            None => return,
        },
        (None, None) => (0, 0),
    };
    // The arrows move the way they point: in right-to-left text ← goes forward.
    let forward = forward != app.article_view.rtl_at(&doc.text, head);
    let head = if by_word {
        span::next_word_boundary(&doc.text, head, forward)
    } else if forward {
        (head + 1).min(len)
    } else {
        head.saturating_sub(1)
    };
    app.selection = Some((anchor, head));
    app.selected = None;
}
