//! Right-to-left and mixed-direction text in the article view (issue 11),
//! on the test article `tests/fixtures/rtl/article.txt`. Words are found
//! where they are DRAWN (from the laid-out glyphs), never from logical
//! offsets: a double click, a click and a drag there select the word's code
//! points; the drawn word order of every line is the bidi algorithm's; a
//! selection inside an Arabic word leaves every glyph form as it was; the
//! Annotations pane's filter dims the other annotations. Also: scripts the
//! main font lacks (Chinese, Japanese, Korean, Indic, Thai) are drawn.

use crate::common;

use egui::{Key, Modifiers, Pos2, Rect, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use gloss::model::{Document, Entity, Project};
use gloss::ui::files::ScriptedPicker;
use gloss::ui::{DrawnGlyph, GlossApp, Startup, drawn_glyphs};

const ARTICLE: &str = include_str!("../fixtures/rtl/article.txt");

fn project(text: &str, entities: Vec<Entity>) -> Project {
    let mut doc = Document::new("rtl", "مقال تجريبي", text.trim_end());
    doc.entities = entities;
    let mut project = Project::new("rtl");
    project.documents.push(doc.into());
    project
}

/// Code-point range of the first occurrence of `needle`.
fn range_of(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.find(needle).expect("the needle is in the text");
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// The app on `project`, `width` points wide, frames 50 ms apart so that
/// two clicks make a double click.
fn harness(project: Project, width: f32) -> (Harness<'static, GlossApp>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let app = GlossApp::new_in(
        Startup::InMemory(Box::new(project), None),
        Box::new(ScriptedPicker::default()),
        dir.path().join("data"),
    );
    let mut harness = Harness::builder()
        .with_size(Vec2::new(width, 820.0))
        .with_theme(egui::Theme::Light)
        .with_step_dt(0.05)
        .with_max_steps(40)
        .with_context_setup(gloss::ui::theme::install)
        .build_ui_state(|ui, app: &mut GlossApp| app.frame(ui), app);
    harness.run();
    (harness, dir)
}

/// A word as drawn: its glyphs grouped between white space (and where the
/// direction changes), its text in reading order, its rectangle on screen.
#[derive(Debug, Clone)]
struct DrawnWord {
    text: String,
    rect: Rect,
    row: usize,
    atlas: Vec<([u16; 2], [u16; 2])>,
}

fn drawn_words(harness: &Harness<'static, GlossApp>, piece: usize) -> Vec<DrawnWord> {
    let mut glyphs: Vec<DrawnGlyph> = drawn_glyphs(harness.state())
        .into_iter()
        .filter(|g| g.piece == piece && g.rect.width() > 0.0)
        .collect();
    glyphs.sort_by(|a, b| {
        (a.row, a.rect.min.x)
            .partial_cmp(&(b.row, b.rect.min.x))
            .unwrap()
    });
    let mut groups: Vec<Vec<DrawnGlyph>> = Vec::new();
    for g in glyphs {
        if g.chr.is_whitespace() {
            groups.push(Vec::new());
            continue;
        }
        match groups.last_mut() {
            Some(group)
                if group.last().is_some_and(|p| {
                    p.row == g.row && p.rtl == g.rtl && (g.rect.min.x - p.rect.max.x).abs() < 1.0
                }) =>
            {
                group.push(g)
            }
            _ => groups.push(vec![g]),
        }
    }
    groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|g| {
            let mut text: Vec<char> = g.iter().map(|x| x.chr).collect();
            if g[0].rtl {
                text.reverse();
            }
            let rect = g.iter().fold(Rect::NOTHING, |r, x| r.union(x.rect));
            DrawnWord {
                text: text.into_iter().collect(),
                rect,
                row: g[0].row,
                atlas: g.iter().map(|x| x.atlas).collect(),
            }
        })
        .collect()
}

/// The drawn word whose letters are `word` (punctuation aside).
fn drawn(harness: &Harness<'static, GlossApp>, piece: usize, word: &str) -> DrawnWord {
    drawn_words(harness, piece)
        .into_iter()
        .find(|w| w.text.trim_matches(|c: char| !c.is_alphanumeric()) == word)
        .unwrap_or_else(|| panic!("{word} is drawn in piece {piece}"))
}

fn double_click(harness: &mut Harness<'static, GlossApp>, point: Pos2) {
    for _ in 0..8 {
        harness.step();
    }
    common::double_click(harness, point);
}

/// A click (press and release without moving); returns the caret it left.
fn caret_at(harness: &mut Harness<'static, GlossApp>, pos: Pos2) -> usize {
    for _ in 0..8 {
        harness.step();
    }
    harness.hover_at(pos);
    harness.drag_at(pos);
    harness.drop_at(pos);
    harness.run();
    harness
        .state()
        .selection
        .expect("a click on plain text leaves a caret")
        .0
}

fn drag(harness: &mut Harness<'static, GlossApp>, from: Pos2, to: Pos2) {
    for _ in 0..8 {
        harness.step();
    }
    harness.hover_at(from);
    harness.drag_at(from);
    let steps = 6;
    for n in 1..=steps {
        harness.hover_at(from + (to - from) * (n as f32 / steps as f32));
    }
    harness.drop_at(to);
    harness.run();
}

#[test]
fn double_clicks_on_drawn_words_select_their_code_points() {
    let (mut harness, _dir) = harness(project(ARTICLE, vec![]), 1280.0);
    let text = harness.state().session.project().documents[0].text.clone();
    // The report: العام (drawn at the left end) selected بوتين,
    // بنسبة selected 2023. Arabic, Latin and digits on one line, English
    // with Arabic inside, Hebrew.
    for (piece, word) in [
        (0, "العام"),
        (0, "بنسبة"),
        (0, "بوتين"),
        (0, "قال"),
        (0, "Gazprom"),
        (0, "2023"),
        (1, "مرحبا"),
        (1, "reporters"),
        (2, "بيسكوف"),
        (3, "השיחות"),
        (4, "Reuters"),
        (4, "דיווח"),
    ] {
        let shown = drawn(&harness, piece, word);
        double_click(&mut harness, shown.rect.center());
        assert_eq!(
            harness.state().selection_range(),
            Some(range_of(&text, word)),
            "double click on {word} drawn at {:?}",
            shown.rect
        );
    }
}

#[test]
fn clicks_and_drags_at_drawn_edges_give_reading_order_offsets() {
    let (mut harness, _dir) = harness(project(ARTICLE, vec![]), 1280.0);
    let text = harness.state().session.project().documents[0].text.clone();
    let putin = drawn(&harness, 0, "بوتين");
    let (start, end) = range_of(&text, "بوتين");
    // Arabic reads from the right: the word starts at its right edge.
    let y = putin.rect.center().y;
    assert_eq!(
        caret_at(&mut harness, Pos2::new(putin.rect.max.x - 1.0, y)),
        start
    );
    assert_eq!(
        caret_at(&mut harness, Pos2::new(putin.rect.min.x + 1.0, y)),
        end
    );
    // Shift+← moves forward in right-to-left text.
    caret_at(&mut harness, Pos2::new(putin.rect.max.x - 1.0, y));
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    harness.run();
    assert_eq!(harness.state().selection, Some((start, start + 1)));

    // A drag from the right edge of بوتين to the left edge of سبتمبر.
    let september = drawn(&harness, 0, "سبتمبر");
    drag(
        &mut harness,
        Pos2::new(putin.rect.max.x - 1.0, y),
        Pos2::new(september.rect.min.x + 1.0, september.rect.center().y),
    );
    assert_eq!(
        harness.state().selection_range(),
        Some(range_of(&text, "بوتين في 4 سبتمبر"))
    );
    let _ = end;

    // Hebrew with a Latin name: from the right edge of דיווח to the right
    // edge of Reuters (drawn to its left).
    let report = drawn(&harness, 4, "דיווח");
    let reuters = drawn(&harness, 4, "Reuters");
    drag(
        &mut harness,
        Pos2::new(report.rect.max.x - 1.0, report.rect.center().y),
        Pos2::new(reuters.rect.max.x - 1.0, reuters.rect.center().y),
    );
    assert_eq!(
        harness.state().selection_range(),
        Some(range_of(&text, "דיווח של Reuters"))
    );
}

#[test]
fn drawn_word_order_is_the_bidi_algorithms() {
    // Wide enough that every line is one row.
    let (harness, _dir) = harness(project(ARTICLE, vec![]), 2600.0);
    for (piece, line) in ARTICLE.lines().enumerate() {
        let n = line.chars().count();
        let chars: Vec<char> = line.chars().collect();
        let runs = &gloss::model::bidi::visual_lines(line, std::slice::from_ref(&(0..n)))[0];
        let mut expected = Vec::new();
        for run in runs {
            let s: String = chars[run.start..run.end].iter().collect();
            let mut words: Vec<String> = s.split_whitespace().map(str::to_owned).collect();
            if run.rtl {
                words.reverse();
            }
            expected.extend(words);
        }
        let words: Vec<String> = drawn_words(&harness, piece)
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert!(
            drawn_words(&harness, piece).iter().all(|w| w.row == 0),
            "line {piece} is one row"
        );
        // The drawn words, left to right, for a reader to compare with a
        // reference (`fribidi`, a browser): `--nocapture`.
        println!("line {piece}: {}", words.join(" | "));
        assert_eq!(words, expected, "line {piece}: {line}");
    }
}

#[test]
fn a_selection_inside_an_arabic_word_keeps_every_glyph_form() {
    let (mut harness, _dir) = harness(project(ARTICLE, vec![]), 1280.0);
    let text = harness.state().session.project().documents[0].text.clone();
    let before: Vec<DrawnWord> = drawn_words(&harness, 0);
    // The middle letters of بوتين, then of إنتاج.
    for word in ["بوتين", "إنتاج"] {
        let (start, _) = range_of(&text, word);
        harness.state_mut().selection = Some((start + 1, start + 3));
        harness.run();
        let after = drawn_words(&harness, 0);
        assert_eq!(before.len(), after.len());
        for (b, a) in before.iter().zip(&after) {
            assert_eq!(b.text, a.text);
            assert_eq!(
                b.atlas, a.atlas,
                "glyph forms of {} change when {word} is half selected",
                b.text
            );
        }
    }
}

/// The rendered colours at `spots`.
fn pixels(harness: &mut Harness<'static, GlossApp>, spots: &[Pos2]) -> Vec<[u8; 4]> {
    let ppp = harness.ctx.pixels_per_point();
    let image = harness.render().expect("rendered");
    spots
        .iter()
        .map(|p| image.get_pixel((p.x * ppp) as u32, (p.y * ppp) as u32).0)
        .collect()
}

#[test]
fn the_annotations_pane_filter_dims_the_other_annotations() {
    let text = format!(
        "{}\nAn English line names Reuters and Moscow.",
        ARTICLE.trim_end()
    );
    let entity = |id: &str, needle: &str, label: &str| {
        let (s, e) = range_of(&text, needle);
        Entity::new(id, label, s, e, needle.to_owned())
    };
    let entities = vec![
        entity("e1", "بوتين", "PER"),
        entity("e2", "Gazprom", "ORG"),
        entity("e3", "Reuters and", "ORG"),
        entity("e4", "Moscow.", "GPE"),
    ];
    let (mut harness, _dir) = harness(project(&text, entities), 1280.0);
    // The Annotations pane, over the whole project.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    harness.run();
    harness.get_by_label("Whole project").click();
    harness.run();
    // A point of each entity's background above its letters.
    let spot = |h: &Harness<'static, GlossApp>, piece: usize, word: &str| {
        let r = drawn(h, piece, word).rect;
        Pos2::new(r.center().x, r.min.y + 1.5)
    };
    let spots = [
        spot(&harness, 0, "بوتين"),
        spot(&harness, 0, "Gazprom"),
        spot(&harness, 5, "Reuters"),
        spot(&harness, 5, "Moscow"),
    ];
    let full = pixels(&mut harness, &spots);
    // Filter the pane to persons: only بوتين matches.
    harness
        .get_by_role_and_label(egui::Role::ComboBox, "Type:")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Button, "PER — Person")
        .click();
    harness.run();
    let matches: Vec<(String, String)> = harness
        .state()
        .pane_matches
        .as_ref()
        .map(|m| m.iter().cloned().collect())
        .unwrap_or_default();
    assert_eq!(matches, vec![("rtl".to_owned(), "e1".to_owned())]);
    let filtered = pixels(&mut harness, &spots);
    let lightness = |c: [u8; 4]| c[0] as u32 + c[1] as u32 + c[2] as u32;
    // The match keeps its colour (right to left); the others fade towards
    // the page, in the right-to-left piece and the left-to-right one.
    assert_eq!(full[0], filtered[0], "the matching Arabic entity");
    for i in [1, 2, 3] {
        assert!(
            lightness(filtered[i]) > lightness(full[i]) + 60,
            "entity {i} is dimmed: {:?} -> {:?}",
            full[i],
            filtered[i]
        );
    }
}

#[test]
fn a_selection_that_wraps_covers_its_words_on_each_row() {
    // One right-to-left paragraph of three lines, in a narrow window so
    // that it wraps.
    let lines: Vec<&str> = ARTICLE.lines().collect();
    let paragraph = format!("{} {} {}", lines[0], lines[2], lines[4]);
    let (mut harness, _dir) = harness(project(&paragraph, vec![]), 900.0);
    let words = drawn_words(&harness, 0);
    let on_row = |row: usize| {
        let mut w: Vec<DrawnWord> = words.iter().filter(|w| w.row == row).cloned().collect();
        w.sort_by(|a, b| a.rect.min.x.total_cmp(&b.rect.min.x));
        w
    };
    let (row0, row1) = (on_row(0), on_row(1));
    assert!(!row0.is_empty() && !row1.is_empty(), "the paragraph wraps");
    // Read from the right: the last word of the first row is drawn at its
    // left end, the first word of the second row at its right end.
    let last_of_first = row0[0].clone();
    let first_of_second = row1[row1.len() - 1].clone();
    let needle = format!("{} {}", last_of_first.text, first_of_second.text);
    let (start, end) = range_of(&paragraph, &needle);
    let background = pixels(
        &mut harness,
        &[Pos2::new(row0[1].rect.center().x, row0[1].rect.min.y + 1.5)],
    )[0];
    harness.state_mut().selection = Some((start, end));
    harness.run();
    let top = |w: &DrawnWord, x: f32| Pos2::new(x, w.rect.min.y + 1.5);
    let inside = [
        top(&last_of_first, last_of_first.rect.min.x + 2.0),
        top(&last_of_first, last_of_first.rect.max.x - 2.0),
        top(&first_of_second, first_of_second.rect.min.x + 2.0),
        top(&first_of_second, first_of_second.rect.max.x - 2.0),
    ];
    // Their neighbours on the same rows stay unselected.
    let outside = [
        top(&row0[1], row0[1].rect.min.x + 2.0),
        top(&row1[row1.len() - 2], row1[row1.len() - 2].rect.max.x - 2.0),
    ];
    let seen_inside = pixels(&mut harness, &inside);
    let seen_outside = pixels(&mut harness, &outside);
    for (p, c) in inside.iter().zip(&seen_inside) {
        assert_ne!(*c, background, "selected at {p:?} ({needle})");
    }
    for (p, c) in outside.iter().zip(&seen_outside) {
        assert_eq!(*c, background, "not selected at {p:?} ({needle})");
    }
}

#[test]
fn hovering_selecting_and_finding_never_re_lay_right_to_left_pieces() {
    let (mut harness, _dir) = harness(project(ARTICLE, vec![]), 1280.0);
    let putin = drawn(&harness, 0, "بوتين");
    harness.hover_at(putin.rect.center());
    harness.step();
    assert_eq!(gloss::ui::layouts_last_frame(harness.state()), 0);
    harness.state_mut().selection = Some((4, 12));
    harness.step();
    assert_eq!(gloss::ui::layouts_last_frame(harness.state()), 0);
    harness.step();
    assert_eq!(gloss::ui::layouts_last_frame(harness.state()), 0);
}

/// Where `word` starts in the label of the first node whose label holds
/// it (byte offset), with that label.
fn in_label(harness: &Harness<'static, GlossApp>, word: &str) -> (usize, String) {
    let label = harness
        .query_all_by(|node| node.label().is_some_and(|l| l.contains(word)))
        .filter_map(|node| node.accesskit_node().label())
        .next()
        .unwrap_or_else(|| panic!("a widget shows {word:?}"));
    (label.find(word).unwrap_or(0), label)
}

#[test]
fn the_document_list_and_the_inspector_show_arabic_titles_and_quotes_in_reading_order() {
    // A right-to-left title with an English name: read right to left, the
    // name comes last, so it is drawn leftmost. egui alone draws the runs
    // in stored order (Arabic first, on the left).
    let text = "قال مسؤول في Gazprom إن الإنتاج سيزيد.";
    let mut project = project(text, Vec::new());
    let doc = std::sync::Arc::make_mut(&mut project.documents[0]);
    doc.title = "مقال عن Gazprom".into();
    let (start, end) = range_of(text, "مسؤول في Gazprom");
    doc.entities
        .push(Entity::new("e1", "PER", start, end, "مسؤول في Gazprom"));
    let (mut harness, _dir) = harness(project, 1280.0);
    // The list's entry (its second line counts entities).
    let (_, title) = in_label(&harness, "entities");
    let latin = title.find("Gazprom").unwrap_or(usize::MAX);
    let arabic = title.find("مقال").unwrap_or(0);
    assert!(
        latin < arabic && title.contains("مقال"),
        "the list draws the English name left of the Arabic words: {title:?}"
    );
    // The inspector's quote of the selected entity, the same way.
    harness.state_mut().selected = Some(gloss::ui::AnnotationRef {
        kind: gloss::ui::AnnotationKind::Entity,
        id: "e1".into(),
    });
    harness.run();
    // Plain labels carry their text as the node's value.
    let quote = harness
        .query_all_by(|node| node.value().is_some_and(|v| v.contains('“')))
        .filter_map(|node| node.accesskit_node().value())
        .find(|v| v.contains("Gazprom"))
        .expect("the inspector quotes the entity");
    let (latin, arabic) = (
        quote.find("Gazprom").unwrap_or(usize::MAX),
        quote.find("مسؤول").unwrap_or(0),
    );
    assert!(latin < arabic, "{quote:?}");
}

/// Scripts DejaVu Sans lacks are drawn with the bundled fallback fonts, in
/// the article and in the document list, never as boxes: the harness's
/// missing-glyph policy panics on a character no installed font has (as it
/// did here before the fallbacks), and every letter of each sample resolves
/// to a face that has it.
#[test]
fn chinese_japanese_korean_and_indic_text_is_drawn_with_the_bundled_fonts() {
    let samples = [
        ("Chinese", "普京与金正恩在符拉迪沃斯托克举行会谈。"),
        ("Japanese", "プーチン大統領は金正恩氏と会談した。"),
        ("Korean", "푸틴 대통령은 김정은 위원장과 회담했다."),
        ("Hindi", "पुतिन ने किम जोंग उन से मुलाकात की।"),
        ("Bengali", "পুতিন কিম জং উনের সঙ্গে বৈঠক করেন।"),
        ("Tamil", "புடின் கிம் ஜாங் உன்னை சந்தித்தார்."),
        ("Thai", "ปูตินพบกับคิมจองอึน"),
        // "Putin" in more scripts of South and South-East Asia, and Amharic.
        ("Gujarati", "પુતિન"),
        ("Gurmukhi", "ਪੁਤਿਨ"),
        ("Kannada", "ಪುಟಿನ್"),
        ("Malayalam", "പുടിൻ"),
        ("Telugu", "పుతిన్"),
        ("Oriya", "ପୁଟିନ"),
        ("Sinhala", "පුටින්"),
        ("Khmer", "ពូទីន"),
        ("Lao", "ປູຕິນ"),
        ("Myanmar", "ပူတင်"),
        ("Amharic", "ፑቲን"),
        // Emoji in a quote, and a flag (two regional indicators).
        ("Emoji", "⚓🚢💪👍😀🇺🇦"),
    ];
    let text = samples.map(|(_, sample)| sample).join("\n");
    let mut project = Project::new("scripts");
    // A title per script for the first few (the list shows about seven).
    for (n, (_, title)) in samples.iter().take(7).enumerate() {
        let doc = Document::new(format!("doc{n}"), *title, &text);
        project.documents.push(doc.into());
    }
    let (mut harness, _dir) = harness(project, 1200.0);
    harness.run();

    let drawn: String = drawn_glyphs(harness.state())
        .iter()
        .map(|glyph| glyph.chr)
        .collect();
    for (script, sample) in samples {
        let first_word = sample.split(' ').next().unwrap_or(sample);
        let first = first_word.chars().next().expect("a sample has letters");
        assert!(
            drawn.contains(first),
            "the article view drew no glyph of the {script} sample"
        );
        for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
            let font = egui::FontId::new(14.0, family.clone());
            assert!(
                harness
                    .ctx
                    .fonts_mut(|fonts| fonts.has_glyphs(&font, sample)),
                "{script}: a letter of {sample:?} has no face in {family:?}"
            );
        }
    }
    for (script, title) in samples.iter().take(7) {
        let first_word = title.split(' ').next().unwrap_or(title);
        assert!(
            harness
                .query_all_by_label_contains(first_word)
                .next()
                .is_some(),
            "the {script} title is not shown"
        );
    }
}

/// Tagging where words have no spaces or carry marks, with snapping to
/// words on (the default): a drag over two Han letters and 1 tags exactly
/// those two (it grew over the whole clause); a double click on a letter's
/// right half selects that letter (it took the next); a double click on "म" inside
/// "क्रेमलिन" (Kremlin) selects the whole word, over its virama, and 2 tags it
/// (it stopped at the virama).
#[test]
fn tagging_chinese_letters_and_a_devanagari_word_by_mouse() {
    let text = "普京与金正恩会谈。\n\nक्रेमलिन ने कहा।";
    let (mut harness, _dir) = harness(project(text, vec![]), 1000.0);
    assert!(harness.state().snap_to_words);
    let glyphs = drawn_glyphs(harness.state());
    let rect_of = |c: char| glyph_rect(&glyphs, c);
    let (pu, jing, ma) = (rect_of('普'), rect_of('京'), rect_of('म'));
    drag(
        &mut harness,
        pu.left_center() + Vec2::new(1.0, 0.0),
        jing.right_center() - Vec2::new(1.0, 0.0),
    );
    harness.key_press(Key::Num1);
    harness.run();
    let entities = |harness: &Harness<'static, GlossApp>| -> Vec<(usize, usize, String)> {
        harness.state().session.project().documents[0]
            .entities
            .iter()
            .map(|e| (e.start, e.end, e.text.to_string()))
            .collect()
    };
    assert_eq!(entities(&harness), [(0, 2, "普京".to_owned())]);
    // A double click on the right half of 恩 selects 恩, not the letter
    // after it (the caret there is 会's).
    let en = rect_of('恩');
    double_click(&mut harness, en.right_center() - Vec2::new(2.0, 0.0));
    assert_eq!(harness.state().selection, Some((5, 6)));

    double_click(&mut harness, ma.center());
    assert_eq!(
        harness.state().selection.map(|(a, b)| (a.min(b), a.max(b))),
        Some((11, 19))
    );
    harness.key_press(Key::Num2);
    harness.run();
    assert_eq!(
        entities(&harness),
        [(0, 2, "普京".to_owned()), (11, 19, "क्रेमलिन".to_owned())]
    );
}

/// A right-to-left title too long for its line is cut at its end (drawn on
/// the left) with "…", in the article's header and in the document list:
/// its first words stay, where cutting the reordered line kept its last.
#[test]
fn a_long_right_to_left_title_is_cut_at_its_end_and_keeps_its_start() {
    let title = format!(
        "{}الخاتمة",
        "افتتاح مكتبة عامة جديدة في وسط المدينة ".repeat(6)
    );
    let mut project = Project::new("rtl-title");
    project
        .documents
        .push(Document::new("d", title.as_str(), "نص قصير عن المكتبة.").into());
    let (harness, _dir) = harness(project, 1000.0);
    let shown: Vec<String> = harness
        .query_all_by(|node| {
            node.label()
                .or_else(|| node.value())
                .is_some_and(|t| t.contains("افتتاح"))
        })
        .filter_map(|node| {
            let node = node.accesskit_node();
            node.label().or_else(|| node.value())
        })
        .filter(|t| !t.contains("نص قصير"))
        .collect();
    assert!(shown.len() >= 2, "the header and the list: {shown:#?}");
    for text in &shown {
        assert!(text.contains('…'), "cut with an ellipsis: {text}");
        assert!(
            !text.contains("الخاتمة"),
            "its last word is what goes: {text}"
        );
    }
}

/// A double click in Chinese or Thai text selects the word the dictionary
/// (or, for Thai, the trained model) finds, not a single letter: 北京
/// ("Beijing"), 大学 ("university"), ปูติน ("Putin").
#[test]
fn a_double_click_in_chinese_or_thai_selects_a_dictionary_word() {
    let text = "我在北京大学学习。\n\nปูตินพบกับคิม";
    let (mut harness, _dir) = harness(project(text, vec![]), 1000.0);
    let glyphs = drawn_glyphs(harness.state());
    let rect_of = |c: char| glyph_rect(&glyphs, c);
    let selected = |harness: &Harness<'static, GlossApp>| {
        harness.state().selection.map(|(a, b)| (a.min(b), a.max(b)))
    };
    double_click(&mut harness, rect_of('京').center());
    assert_eq!(selected(&harness), Some((2, 4)), "北京");
    double_click(&mut harness, rect_of('学').center());
    assert_eq!(selected(&harness), Some((4, 6)), "大学");
    double_click(&mut harness, rect_of('ต').center());
    assert_eq!(selected(&harness), Some((11, 16)), "ปูติน");
}

/// Where the article drew the first glyph of `c`.
fn glyph_rect(glyphs: &[DrawnGlyph], c: char) -> Rect {
    glyphs
        .iter()
        .find(|g| g.chr == c)
        .map(|g| g.rect)
        .unwrap_or_else(|| panic!("{c} is drawn"))
}
