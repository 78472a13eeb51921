//! How wide the side panels may be in a small window or at a large zoom:
//! the article keeps a readable column ([`ARTICLE_MIN`] points); the side
//! panels narrow first, then fold into a strip of buttons that unfolds them
//! on a click.

use super::app::GlossApp;

/// The narrowest article column the panels leave, in points.
pub const ARTICLE_MIN: f32 = 340.0;
/// A side panel narrower than this folds into its strip.
const PANEL_MIN: f32 = 170.0;
/// The width of a folded panel's strip.
const STRIP: f32 = 36.0;

/// What a side panel may take this frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fit {
    /// At most this many points (its own size when that is smaller).
    Width(f32),
    /// A strip of buttons only.
    Folded,
}

/// The side panels' fits for a window `window` points wide whose panels
/// want `left` and `right` points.
pub fn fits(window: f32, left: f32, right: f32) -> (Fit, Fit) {
    let spare = (window - ARTICLE_MIN).max(0.0);
    if left + right <= spare {
        // Room for both: each may grow by half of what is left over.
        let slack = (spare - left - right) / 2.0;
        return (Fit::Width(left + slack), Fit::Width(right + slack));
    }
    // Shared in proportion to what each wants; one too narrow folds and
    // leaves the rest to the other.
    let left_share = spare * left / (left + right).max(1.0);
    let right_share = spare - left_share;
    match (left_share >= PANEL_MIN, right_share >= PANEL_MIN) {
        (true, true) => (Fit::Width(left_share), Fit::Width(right_share)),
        (false, true) => (Fit::Folded, fit_alone(spare - STRIP)),
        (true, false) => (fit_alone(spare - STRIP), Fit::Folded),
        (false, false) => {
            // The wider wish gets the room if there is room for one.
            let one = fit_alone(spare - STRIP);
            if right >= left {
                (Fit::Folded, one)
            } else {
                (one, Fit::Folded)
            }
        }
    }
}

fn fit_alone(room: f32) -> Fit {
    if room >= PANEL_MIN {
        Fit::Width(room)
    } else {
        Fit::Folded
    }
}

/// Which side panels the user unfolded from their strip although the
/// window is small (until they fold them again or the window grows).
#[derive(Debug, Default, Clone, Copy)]
pub struct Unfolded {
    /// The document list.
    pub left: bool,
    /// The inspector and its tabs.
    pub right: bool,
}

/// The panels' fits this frame, with what the user unfolded.
pub fn current(app: &GlossApp, ctx: &egui::Context, right_wanted: f32) -> (Fit, Fit) {
    let window = ctx.content_rect().width();
    let (left, right) = fits(window, LEFT_WANTED, right_wanted);
    let unfold = |fit: Fit, unfolded: bool| match (fit, unfolded) {
        (Fit::Folded, true) => Fit::Width(PANEL_MIN),
        _ => fit,
    };
    (
        unfold(left, app.unfolded.left),
        unfold(right, app.unfolded.right),
    )
}

/// The document list's own width.
pub const LEFT_WANTED: f32 = 250.0;

/// A folded panel: a strip with a button per view it holds; the button
/// unfolds the panel. Returns the index of the button clicked.
pub fn strip(
    ui: &mut egui::Ui,
    id: &'static str,
    left_side: bool,
    buttons: &[(&str, &str)],
) -> Option<usize> {
    let panel = if left_side {
        egui::Panel::left(id)
    } else {
        egui::Panel::right(id)
    };
    let mut clicked = None;
    panel.exact_size(STRIP).resizable(false).show(ui, |ui| {
        ui.vertical_centered(|ui| {
            for (i, (icon, name)) in buttons.iter().enumerate() {
                if ui.button(*icon).on_hover_text(*name).clicked() {
                    clicked = Some(i);
                }
            }
        });
    });
    clicked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_window_constrains_nothing() {
        let (left, right) = fits(1600.0, 250.0, 300.0);
        assert!(matches!(left, Fit::Width(w) if w >= 250.0));
        assert!(matches!(right, Fit::Width(w) if w >= 300.0));
    }

    #[test]
    fn a_small_window_keeps_the_article_and_narrows_or_folds_the_panels() {
        for window in [500.0, 667.0, 800.0, 1000.0] {
            let (left, right) = fits(window, 250.0, 300.0);
            let taken = |fit: Fit| match fit {
                Fit::Width(w) => w,
                Fit::Folded => STRIP,
            };
            assert!(
                window - taken(left) - taken(right) >= ARTICLE_MIN - 0.5,
                "{window}: {left:?} {right:?}"
            );
        }
        // 1000 × 700 at zoom 1.5 is 667 points: one panel folds.
        let (left, right) = fits(667.0, 250.0, 300.0);
        assert_eq!(left, Fit::Folded);
        assert!(matches!(right, Fit::Width(w) if w >= PANEL_MIN));
    }
}
