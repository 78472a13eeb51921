//! Fonts and colours. The app bundles its fonts so that it never depends on
//! the system having any: DejaVu Sans (Latin, Greek, Cyrillic, Armenian,
//! Georgian, Arabic, Hebrew), then fallbacks for the scripts it lacks: Droid
//! Sans Fallback (Chinese, Japanese), NanumSquare (Korean), and Noto Sans for
//! the scripts of South and South-East Asia and for Ethiopic, and Noto Emoji
//! (monochrome) for emoji. Licences are
//! beside them in `assets/fonts/`.

use std::sync::Arc;

use egui::{Color32, FontData, FontDefinitions, FontFamily};

use crate::model::Rgb;

const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Faces tried, in this order, for a character that egui's fonts and DejaVu
/// Sans lack. Han characters come before Korean: NanumSquare has 4,620
/// Hanja, and Chinese text would otherwise mix two designs.
const FALLBACK_FONTS: [(&str, &[u8]); 18] = [
    // Emoji in black and white: egui draws no colour glyphs, and without a
    // face for them 🚢 or 💪 in a quote would be boxes.
    (
        "NotoEmoji",
        include_bytes!("../../assets/fonts/NotoEmoji-Regular.ttf"),
    ),
    (
        "DroidSansFallback",
        include_bytes!("../../assets/fonts/DroidSansFallbackFull.ttf"),
    ),
    (
        "NanumSquare",
        include_bytes!("../../assets/fonts/NanumSquareR.ttf"),
    ),
    (
        "NotoSansDevanagari",
        include_bytes!("../../assets/fonts/NotoSansDevanagari-Regular.ttf"),
    ),
    (
        "NotoSansBengali",
        include_bytes!("../../assets/fonts/NotoSansBengali-Regular.ttf"),
    ),
    (
        "NotoSansTamil",
        include_bytes!("../../assets/fonts/NotoSansTamil-Regular.ttf"),
    ),
    (
        "NotoSansThai",
        include_bytes!("../../assets/fonts/NotoSansThai-Regular.ttf"),
    ),
    (
        "NotoSansGujarati",
        include_bytes!("../../assets/fonts/NotoSansGujarati-Regular.ttf"),
    ),
    (
        "NotoSansGurmukhi",
        include_bytes!("../../assets/fonts/NotoSansGurmukhi-Regular.ttf"),
    ),
    (
        "NotoSansKannada",
        include_bytes!("../../assets/fonts/NotoSansKannada-Regular.ttf"),
    ),
    (
        "NotoSansKhmer",
        include_bytes!("../../assets/fonts/NotoSansKhmer-Regular.ttf"),
    ),
    (
        "NotoSansLao",
        include_bytes!("../../assets/fonts/NotoSansLao-Regular.ttf"),
    ),
    (
        "NotoSansMalayalam",
        include_bytes!("../../assets/fonts/NotoSansMalayalam-Regular.ttf"),
    ),
    (
        "NotoSansMyanmar",
        include_bytes!("../../assets/fonts/NotoSansMyanmar-Regular.ttf"),
    ),
    (
        "NotoSansOriya",
        include_bytes!("../../assets/fonts/NotoSansOriya-Regular.ttf"),
    ),
    (
        "NotoSansSinhala",
        include_bytes!("../../assets/fonts/NotoSansSinhala-Regular.ttf"),
    ),
    (
        "NotoSansTelugu",
        include_bytes!("../../assets/fonts/NotoSansTelugu-Regular.ttf"),
    ),
    (
        "NotoSansEthiopic",
        include_bytes!("../../assets/fonts/NotoSansEthiopic-Regular.ttf"),
    ),
];

/// Adds the bundled fonts as fallbacks after egui's own fonts and starts in
/// the light theme (View → Dark theme switches). The fonts are set in one
/// call: each `add_font` would build egui's font set again.
pub fn install(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
    ctx.set_fonts(font_definitions());
}

/// egui's default fonts, then DejaVu Sans, then [`FALLBACK_FONTS`] in order,
/// for both the proportional and the monospace family.
fn font_definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    let bundled = std::iter::once(("DejaVuSans", DEJAVU_SANS)).chain(FALLBACK_FONTS);
    for (name, bytes) in bundled {
        fonts
            .font_data
            .insert(name.to_owned(), Arc::new(FontData::from_static(bytes)));
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            fonts
                .families
                .entry(family)
                .or_default()
                .push(name.to_owned());
        }
    }
    // The article view shapes right-to-left runs in a family whose first
    // face covers the whole run (letters, spaces, punctuation), so egui
    // shapes it as one right-to-left stretch.
    fonts.families.insert(
        FontFamily::Name(super::RTL_FAMILY.into()),
        vec!["DejaVuSans".to_owned()],
    );
    fonts
}

/// An entity colour as a text background, softened in dark mode.
pub fn entity_background(color: Rgb, dark: bool, strong: bool) -> Color32 {
    let [r, g, b] = color.0;
    let alpha = match (dark, strong) {
        (false, false) => 150,
        (false, true) => 255,
        (true, false) => 110,
        (true, true) => 200,
    };
    Color32::from_rgba_unmultiplied(r, g, b, alpha)
}

/// The colour of claim underlines and margin markers.
pub fn claim_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0xff, 0x8c, 0x5a)
    } else {
        Color32::from_rgb(0xc0, 0x39, 0x2b)
    }
}

/// Colour of the text selection: a deep indigo, darker than the pale ORG
/// blue, so a selection never reads as a tag.
pub fn selection_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(60, 100, 255, 170)
    } else {
        Color32::from_rgba_unmultiplied(30, 60, 220, 150)
    }
}

/// Colour of find hits: a saturated magenta, far from every default type
/// colour (pastels) and from the blue selection, in both themes.
pub fn find_hit_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(255, 0, 170, 200)
    } else {
        Color32::from_rgba_unmultiplied(220, 0, 140, 190)
    }
}

/// A solid swatch colour.
pub fn swatch(color: Rgb) -> Color32 {
    let [r, g, b] = color.0;
    Color32::from_rgb(r, g, b)
}

/// A combo box of the schema's entity types ("PER — Person"), editing `key`.
pub fn entity_type_combo(
    ui: &mut egui::Ui,
    id_salt: &str,
    key: &mut String,
    schema: &crate::model::Schema,
) -> egui::Response {
    egui::ComboBox::from_id_salt(id_salt)
        .selected_text(key.clone())
        .show_ui(ui, |ui| {
            for t in &schema.entity_types {
                ui.selectable_value(key, t.key.clone(), format!("{} — {}", t.key, t.name));
            }
        })
        .response
}

/// The colour of relation arcs drawn over the article.
pub fn relation_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x9a, 0xb8, 0xff)
    } else {
        Color32::from_rgb(0x3a, 0x5a, 0xa8)
    }
}

/// The colour of a review decision's mark in the article: green for
/// accepted, red for rejected, amber for "discuss".
pub fn review_color(review: crate::model::Review, dark: bool) -> Color32 {
    use crate::model::Review;
    match (review, dark) {
        (Review::Accepted, false) => Color32::from_rgb(0x1b, 0x8a, 0x3a),
        (Review::Accepted, true) => Color32::from_rgb(0x5c, 0xd6, 0x7d),
        (Review::Rejected, false) => Color32::from_rgb(0xc0, 0x22, 0x22),
        (Review::Rejected, true) => Color32::from_rgb(0xff, 0x6b, 0x6b),
        (_, false) => Color32::from_rgb(0xd9, 0x8c, 0x00),
        (_, true) => Color32::from_rgb(0xff, 0xc1, 0x4d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `color` drawn over `background`, as the painter blends it.
    fn over(color: Color32, background: [u8; 3]) -> [f32; 3] {
        let [r, g, b, a] = color.to_srgba_unmultiplied();
        let alpha = f32::from(a) / 255.0;
        let mix = |c: u8, bg: u8| f32::from(c) * alpha + f32::from(bg) * (1.0 - alpha);
        [
            mix(r, background[0]),
            mix(g, background[1]),
            mix(b, background[2]),
        ]
    }

    fn distance(a: [f32; 3], b: [f32; 3]) -> f32 {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y) * (x - y))
            .sum::<f32>()
            .sqrt()
    }

    #[test]
    fn find_hits_and_the_selection_stand_apart_from_every_type_colour() {
        for (dark, background) in [(false, [248, 248, 248]), (true, [27, 27, 27])] {
            let find = over(find_hit_color(dark), background);
            let selection = over(selection_color(dark), background);
            assert!(
                distance(find, selection) > 80.0,
                "dark {dark}: find vs selection"
            );
            for t in &crate::model::Schema::default().entity_types {
                for strong in [false, true] {
                    let fill = over(entity_background(t.color, dark, strong), background);
                    let (to_find, to_selection) = (distance(find, fill), distance(selection, fill));
                    assert!(
                        to_find > 80.0,
                        "dark {dark}: find hits look like {} ({to_find:.0})",
                        t.key
                    );
                    assert!(
                        to_selection > 40.0,
                        "dark {dark}: the selection looks like {} ({to_selection:.0})",
                        t.key
                    );
                }
            }
        }
    }
}
