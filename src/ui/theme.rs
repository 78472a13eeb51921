//! Fonts and colours. The app bundles its fonts (DejaVu Sans, which covers
//! Arabic) so that it never depends on the system having any.

use egui::epaint::text::{FontInsert, InsertFontFamily};
use egui::{Color32, FontData, FontFamily};

use crate::model::Rgb;

const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Adds the bundled fonts as fallbacks after egui's own fonts and starts in
/// the light theme (View → Dark theme switches).
pub fn install(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
    let families = [FontFamily::Proportional, FontFamily::Monospace]
        .into_iter()
        .map(|family| InsertFontFamily {
            family,
            priority: egui::epaint::text::FontPriority::Lowest,
        })
        .collect();
    ctx.add_font(FontInsert::new(
        "DejaVuSans",
        FontData::from_static(DEJAVU_SANS),
        families,
    ));
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

/// Colour of the text selection.
pub fn selection_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(80, 140, 255, 140)
    } else {
        Color32::from_rgba_unmultiplied(60, 120, 255, 90)
    }
}

/// Colour of find hits.
pub fn find_hit_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(255, 255, 0, 90)
    } else {
        Color32::from_rgba_unmultiplied(255, 230, 0, 170)
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
