//! Suggestions in the app: the recommenders ([`crate::suggest`]) are
//! trained on a worker whenever what they learn from changes (a document
//! marked Done, an annotation in a Done document, a decision), and the
//! shown document's suggestions are worked out when it, the recommenders or
//! the threshold change. The walk, accept and reject run here as edits: an
//! accepted suggestion becomes an ordinary entity stamped with the
//! annotator, and the decision is recorded in the document in the same
//! undoable step.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::edit::{Edit, FieldTarget};
use crate::model::{Document, SuggestionDecision};
use crate::suggest::claims::ClaimCandidate;
use crate::suggest::{DEFAULT_MIN_SCORE, Recommender, Source, Suggestion};

/// The label a claim candidate has in the walk and in decisions.
pub const CLAIM: &str = "claim";

use super::app::{AnnotationKind, AnnotationRef, GlossApp};
use super::jobs::JobOutput;

/// The app's suggestions.
pub struct Suggestions {
    /// Shown at all (View → Show suggestions).
    pub enabled: bool,
    /// Only suggestions scoring at least this are shown.
    pub threshold: f64,
    /// The trained recommenders, and the training set they are for.
    recommender: Option<(u64, Arc<Recommender>)>,
    /// The training set of the project version last looked at.
    wanted: Option<((u64, u64), u64)>,
    /// A worker is training for this training set.
    training: Option<u64>,
    /// The shown document's suggestions and what they were worked out for.
    shown: Option<(ShownKey, Arc<Vec<Suggestion>>)>,
    /// The shown document's candidate claims, for the same key.
    claims: Arc<Vec<ClaimCandidate>>,
    /// A long document's suggestions being worked out on a worker.
    pending: Option<ShownKey>,
    /// The suggestion the walk is on, by its span and label.
    pub focus: Option<(usize, usize, String)>,
    /// The learning curve and the training set it is for; a worker draws
    /// it while the Dashboard is open.
    curve: Option<(u64, Arc<Vec<crate::suggest::CurvePoint>>)>,
    curve_job: Option<u64>,
    /// The document whose stale decisions were last warned about.
    warned: Option<usize>,
    /// Accepted and rejected suggestions per type, for the project version
    /// they were counted at (the Dashboard reads them every frame).
    decisions: Option<((u64, u64), DecisionCounts)>,
}

/// Per type: (type, accepted, rejected).
type DecisionCounts = Arc<Vec<(String, usize, usize)>>;

/// Articles longer than this (bytes) get their suggestions on a worker:
/// below it, working them out takes well under a millisecond a thousand
/// characters in a release build.
const SUGGEST_ON_THE_UI_THREAD: usize = 20_000;

/// What the shown suggestions were worked out for.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownKey {
    /// The project version: any edit may change the shown document.
    version: (u64, u64),
    /// The document's place in the project.
    index: usize,
    document: usize,
    recommender: usize,
    threshold: u64,
}

impl Default for Suggestions {
    fn default() -> Self {
        Self {
            enabled: true,
            threshold: DEFAULT_MIN_SCORE,
            recommender: None,
            wanted: None,
            training: None,
            shown: None,
            claims: Arc::default(),
            pending: None,
            focus: None,
            curve: None,
            curve_job: None,
            warned: None,
            decisions: None,
        }
    }
}

impl Suggestions {
    /// Whether a worker is learning.
    pub fn is_training(&self) -> bool {
        self.training.is_some()
    }

    /// Whether a worker is learning or working out a long document's
    /// suggestions (tests wait for it before measuring the view).
    pub fn is_working(&self) -> bool {
        self.training.is_some() || self.pending.is_some()
    }

    /// The trained recommenders, once there are some.
    pub fn recommender(&self) -> Option<&Recommender> {
        self.recommender.as_ref().map(|(_, r)| &**r)
    }

    /// The shown document's suggestions (empty while hidden or untrained).
    pub fn shown(&self) -> Arc<Vec<Suggestion>> {
        match (&self.shown, self.enabled) {
            (Some((_, list)), true) => list.clone(),
            _ => Arc::default(),
        }
    }

    /// The learning curve, once worked out (it may be for an older state).
    pub fn curve(&self) -> Option<Arc<Vec<crate::suggest::CurvePoint>>> {
        self.curve.as_ref().map(|(_, c)| c.clone())
    }

    /// Whether a worker is drawing the learning curve.
    pub fn curve_pending(&self) -> bool {
        self.curve_job.is_some()
    }

    pub(crate) fn curve_done(
        &mut self,
        same_session: bool,
        signature: u64,
        points: Vec<crate::suggest::CurvePoint>,
    ) {
        self.curve_job = None;
        if same_session {
            self.curve = Some((signature, Arc::new(points)));
        }
    }

    /// The shown document's candidate claims (empty while hidden).
    pub fn claims(&self) -> Arc<Vec<ClaimCandidate>> {
        if self.enabled {
            self.claims.clone()
        } else {
            Arc::default()
        }
    }

    /// Entity suggestions and candidate claims together, in reading order;
    /// a claim candidate has the label [`CLAIM`].
    pub fn walk_list(&self) -> Vec<Suggestion> {
        let mut all: Vec<Suggestion> = self.shown().iter().cloned().collect();
        all.extend(self.claims().iter().map(|c| Suggestion {
            start: c.start,
            end: c.end,
            label: CLAIM.to_owned(),
            text: c.text.clone(),
            score: c.score,
            source: Source::Dictionary,
        }));
        all.sort_by_key(|s| (s.start, s.end));
        all
    }

    /// The suggestion the walk is on.
    pub fn focused(&self) -> Option<Suggestion> {
        let (start, end, label) = self.focus.as_ref()?;
        self.walk_list()
            .into_iter()
            .find(|s| s.start == *start && s.end == *end && &s.label == label)
    }
}

/// What the recommenders learn from, as one number: the training
/// documents' entities (a document's pointer is no guide: an edit of a
/// document nobody else holds changes it in place) and the other
/// documents' rejected suggestions.
fn training_signature(documents: &[Arc<Document>]) -> u64 {
    let mut hasher = DefaultHasher::new();
    for doc in documents {
        if crate::suggest::is_training(doc) {
            doc.id.hash(&mut hasher);
            doc.content_hash.hash(&mut hasher);
            for e in &doc.entities {
                (
                    e.start,
                    e.end,
                    e.label.as_str(),
                    e.review == crate::model::Review::Rejected,
                )
                    .hash(&mut hasher);
            }
            for c in &doc.claims {
                c.cue
                    .as_ref()
                    .map(|cue| cue.text.as_str())
                    .hash(&mut hasher);
            }
        } else {
            // Rejections count against their strings; acceptances teach
            // nothing until the document is finished.
            for rejected in doc.suggestion_decisions.iter().filter(|d| !d.accepted) {
                rejected.hash(&mut hasher);
            }
        }
    }
    hasher.finish()
}

/// A document's entity suggestions and candidate claims at `threshold`;
/// a finished document gets none (it is what the recommenders learn from).
fn shown_for(
    doc: &Document,
    project: &crate::model::Project,
    recommender: &Recommender,
    threshold: f64,
) -> (Vec<Suggestion>, Vec<ClaimCandidate>) {
    if crate::suggest::is_training(doc) {
        return (Vec::new(), Vec::new());
    }
    let lexicon = crate::edit::cues::CueLexicon::of(project);
    let rejected: Vec<(usize, usize)> = doc
        .suggestion_decisions
        .iter()
        .filter(|d| !d.accepted && d.label == CLAIM)
        .map(|d| (d.start, d.end))
        .collect();
    let mut claims = crate::suggest::claims::candidates(doc, &project.schema, &lexicon);
    claims.retain(|c| c.score >= threshold && !rejected.contains(&(c.start, c.end)));
    (recommender.suggest(doc, threshold), claims)
}

impl GlossApp {
    /// Accepted and rejected suggestions per type, counted again only when
    /// the project changed.
    pub(crate) fn suggestion_decisions(&mut self) -> DecisionCounts {
        let version = self.project_version();
        match &self.suggestions.decisions {
            Some((v, counts)) if *v == version => counts.clone(),
            _ => {
                let counts = Arc::new(crate::suggest::decisions_by_type(self.session.project()));
                self.suggestions.decisions = Some((version, counts.clone()));
                counts
            }
        }
    }

    /// Once a frame: trains when what the recommenders learn from changed
    /// (on a worker), and works out the shown document's suggestions when
    /// it, the recommenders or the threshold changed.
    pub(crate) fn suggestions_logic(&mut self) {
        if !self.suggestions.enabled {
            return;
        }
        let version = self.project_version();
        let signature = match self.suggestions.wanted {
            Some((v, signature)) if v == version => signature,
            _ => {
                let signature = training_signature(&self.session.project().documents);
                self.suggestions.wanted = Some((version, signature));
                signature
            }
        };
        let trained = self.suggestions.recommender.as_ref().map(|(s, _)| *s);
        if trained != Some(signature) && self.suggestions.training.is_none() {
            self.start_training(signature);
        }
        // The learning curve costs several trainings: only while the
        // Dashboard shows it, and after the model for the same state.
        let curve = self.suggestions.curve.as_ref().map(|(s, _)| *s);
        if self.show_dashboard
            && curve != Some(signature)
            && self.suggestions.curve_job.is_none()
            && self.suggestions.training.is_none()
        {
            let snapshot = self.session.project().clone();
            self.suggestions.curve_job = Some(signature);
            let origin = self.job_origin();
            self.jobs
                .spawn_quiet("drawing the learning curve", origin, move |_| {
                    JobOutput::LearningCurve {
                        signature,
                        points: crate::suggest::learning_curve(&snapshot, &|| false),
                    }
                });
        }
        self.refresh_shown_suggestions();
    }

    fn start_training(&mut self, signature: u64) {
        // One pointer per document: the worker reads a frozen copy.
        let snapshot = self.session.project().clone();
        let documents = snapshot
            .documents
            .iter()
            .filter(|d| crate::suggest::is_training(d))
            .count();
        self.suggestions.training = Some(signature);
        // What the last training worked out for unchanged documents is
        // reused: marking one document Done retrains in about a second at
        // 700 documents instead of a second and a half.
        let previous = self
            .suggestions
            .recommender
            .as_ref()
            .map(|(_, r)| r.clone());
        let origin = self.job_origin();
        self.jobs.spawn_quiet(
            format!(
                "learning suggestions from {}",
                crate::model::plural(documents, "document")
            ),
            origin,
            move |_| JobOutput::SuggestionsTrained {
                signature,
                recommender: Arc::new(Recommender::retrain(previous.as_deref(), &snapshot)),
            },
        );
    }

    /// A worker finished training: the suggestions use it from now on, and
    /// training starts again if what it learns from changed meanwhile.
    pub(crate) fn on_suggestions_trained(
        &mut self,
        same_session: bool,
        signature: u64,
        recommender: Arc<Recommender>,
    ) {
        self.suggestions.training = None;
        if same_session {
            self.suggestions.recommender = Some((signature, recommender));
        }
    }

    fn refresh_shown_suggestions(&mut self) {
        let Some((_, recommender)) = &self.suggestions.recommender else {
            self.suggestions.shown = None;
            return;
        };
        let Some(doc) = self.session.project().documents.get(self.current) else {
            self.suggestions.shown = None;
            return;
        };
        let key = ShownKey {
            version: self.project_version(),
            index: self.current,
            document: Arc::as_ptr(doc) as usize,
            recommender: Arc::as_ptr(recommender) as usize,
            threshold: self.suggestions.threshold.to_bits(),
        };
        let shown_key = self.suggestions.shown.as_ref().map(|(k, _)| k);
        if shown_key == Some(&key) || self.suggestions.pending.as_ref() == Some(&key) {
            return;
        }
        if doc.text.len() <= SUGGEST_ON_THE_UI_THREAD {
            let (list, claims) = shown_for(
                doc,
                self.session.project(),
                recommender,
                self.suggestions.threshold,
            );
            self.install_shown(key, list, claims);
            return;
        }
        // A long article: worked out on a worker, so that no frame waits
        // for it; what another document showed is not left drawn meanwhile.
        if shown_key.is_some_and(|k| k.index != key.index) {
            self.suggestions.shown = None;
            self.suggestions.claims = Arc::default();
        }
        self.suggestions.pending = Some(key.clone());
        let project = self.session.project().clone();
        let recommender = recommender.clone();
        let (index, threshold) = (self.current, self.suggestions.threshold);
        let origin = self.job_origin();
        self.jobs
            .spawn_quiet("working out suggestions", origin, move |_| {
                let (list, claims) = project
                    .documents
                    .get(index)
                    .map(|doc| shown_for(doc, &project, &recommender, threshold))
                    .unwrap_or_default();
                JobOutput::ShownSuggestions {
                    key: Box::new(key),
                    list,
                    claims,
                }
            });
    }

    /// A worker worked out a long document's suggestions: shown when they
    /// are still for what is shown.
    pub(crate) fn on_shown_suggestions(
        &mut self,
        key: ShownKey,
        list: Vec<Suggestion>,
        claims: Vec<ClaimCandidate>,
    ) {
        if self.suggestions.pending.as_ref() == Some(&key) {
            self.suggestions.pending = None;
            self.install_shown(key, list, claims);
        }
    }

    fn install_shown(&mut self, key: ShownKey, list: Vec<Suggestion>, claims: Vec<ClaimCandidate>) {
        self.suggestions.claims = Arc::new(claims);
        if let Some(doc) = self.session.project().documents.get(self.current) {
            let stale = crate::suggest::stale_decisions(doc);
            if stale > 0 && self.suggestions.warned != Some(Arc::as_ptr(doc) as usize) {
                self.suggestions.warned = Some(Arc::as_ptr(doc) as usize);
                self.notify(format!(
                    "{} of this document ignored: no longer matching its text (the file was edited by hand)",
                    crate::model::plural(stale, "suggestion decision")
                ));
            }
        }
        self.suggestions.shown = Some((key, Arc::new(list)));
        if self.suggestions.focus.is_some() && self.suggestions.focused().is_none() {
            self.suggestions.focus = None;
        }
    }

    /// Moves the walk to the next (or previous) suggestion in reading
    /// order, selects its span and scrolls to it.
    pub(crate) fn walk_suggestions(&mut self, forward: bool) {
        self.suggestions_logic();
        let list = self.suggestions.walk_list();
        if list.is_empty() {
            self.notify(if self.suggestions.recommender.is_none() {
                "no suggestions yet: mark annotated documents Done to teach Gloss"
            } else {
                "no suggestions in this document"
            });
            return;
        }
        let at = self
            .suggestions
            .focus
            .as_ref()
            .and_then(|(start, end, label)| {
                list.iter()
                    .position(|s| s.start == *start && s.end == *end && &s.label == label)
            });
        let next = match (at, forward) {
            (None, true) => 0,
            (None, false) => list.len() - 1,
            (Some(i), true) => (i + 1) % list.len(),
            (Some(i), false) => (i + list.len() - 1) % list.len(),
        };
        if let Some(s) = list.get(next) {
            self.suggestions.focus = Some((s.start, s.end, s.label.clone()));
            self.selection = Some((s.start, s.end));
            self.selected = None;
            self.article_view.scroll_to = Some(s.start);
            let what = if s.label == CLAIM {
                "a claim".to_owned()
            } else {
                s.label.clone()
            };
            self.notify(format!(
                "suggestion {} of {}: {:?} as {what} ({:.2}) — Enter accepts, X rejects",
                next + 1,
                list.len(),
                s.text,
                s.score
            ));
        }
    }

    /// The decisions list of `doc` with `more` added, as the edit that sets it.
    pub(crate) fn decisions_edit(
        doc: &Document,
        more: impl IntoIterator<Item = SuggestionDecision>,
    ) -> Edit {
        let mut list = doc.suggestion_decisions.clone();
        list.extend(more);
        Edit::SetField {
            target: FieldTarget::Document(doc.id.clone()),
            field: "suggestion_decisions".to_owned(),
            value: serde_json::to_value(list).ok(),
        }
    }

    /// Accepts `chosen` (the focused suggestion when `None`): each becomes an
    /// entity by the annotator, recorded as an accepted suggestion, all in
    /// one undoable step.
    pub(crate) fn accept_suggestions(&mut self, chosen: Option<Vec<Suggestion>>) {
        let chosen = match chosen {
            Some(list) => list,
            None => match self.suggestions.focused() {
                Some(s) if s.label == CLAIM => {
                    self.accept_claim_candidate(s);
                    return;
                }
                Some(s) => vec![s],
                None => {
                    self.notify("no suggestion chosen: S walks them");
                    return;
                }
            },
        };
        let Some(doc) = self.document() else { return };
        let mut edits = Vec::new();
        let mut scratch = doc.clone();
        let mut first_id = None;
        for s in &chosen {
            match crate::edit::ops::tag_span(&scratch, s.start, s.end, s.text.as_str(), &s.label) {
                crate::edit::ops::Tagging::Insert { id, edit } => {
                    first_id.get_or_insert(id);
                    if let Edit::InsertEntity { entity, .. } = &edit {
                        scratch.entities.push(entity.clone());
                    }
                    edits.push(edit);
                }
                crate::edit::ops::Tagging::Exists { .. } => {}
            }
        }
        let decisions = chosen.iter().map(|s| SuggestionDecision {
            start: s.start,
            end: s.end,
            label: s.label.as_str().into(),
            text: s.text.as_str().into(),
            accepted: true,
        });
        edits.push(Self::decisions_edit(doc, decisions));
        let label = if chosen.len() == 1 {
            "accept suggestion".to_owned()
        } else {
            format!(
                "accept {}",
                crate::model::plural(chosen.len(), "suggestion")
            )
        };
        if self.apply(Edit::Batch { label, edits }) {
            self.selection = None;
            self.suggestions.focus = None;
            if chosen.len() == 1 {
                self.selected = first_id.map(|id| AnnotationRef {
                    kind: AnnotationKind::Entity,
                    id,
                });
            }
            self.notify(format!(
                "accepted {}",
                crate::model::plural(chosen.len(), "suggestion")
            ));
            self.suggestions_logic();
        }
    }

    /// Accepts a candidate claim: the claim is made over its span (claimant,
    /// cue and attribution guessed from the text) together with the
    /// decision, as one undoable step, and the claim editor opens on it.
    fn accept_claim_candidate(&mut self, candidate: Suggestion) {
        let Some(doc) = self.document() else { return };
        let (insert, claim) = crate::edit::ops::insert_claim(
            doc,
            &self.session.project().schema,
            candidate.start,
            candidate.end,
            candidate.text.as_str(),
        );
        let decision = Self::decisions_edit(
            doc,
            [SuggestionDecision {
                start: candidate.start,
                end: candidate.end,
                label: CLAIM.into(),
                text: candidate.text.as_str().into(),
                accepted: true,
            }],
        );
        let doc_id = doc.id.clone();
        let edit = Edit::Batch {
            label: "accept a candidate claim".to_owned(),
            edits: vec![insert, decision],
        };
        if self.apply(edit) {
            self.selection = None;
            self.suggestions.focus = None;
            self.selected = Some(AnnotationRef {
                kind: AnnotationKind::Claim,
                id: claim.id.to_string(),
            });
            self.claim_editor = Some(super::claim_editor::ClaimEditor::new(doc_id, claim));
        }
    }

    /// Tagging the focused suggestion's span with a type digit decides it:
    /// accepted when the type is the suggested one, otherwise rejected (the
    /// analyst corrected it). `edit` (the tagging) and the decision become
    /// one step.
    pub(crate) fn with_digit_decision(
        &mut self,
        edit: Edit,
        start: usize,
        end: usize,
        label: &str,
    ) -> Edit {
        let Some(s) = self
            .suggestions
            .focused()
            .filter(|s| s.start == start && s.end == end && s.label != CLAIM)
        else {
            return edit;
        };
        let Some(doc) = self.document() else {
            return edit;
        };
        let decision = Self::decisions_edit(
            doc,
            [SuggestionDecision {
                start,
                end,
                label: s.label.as_str().into(),
                text: s.text.as_str().into(),
                accepted: s.label == label,
            }],
        );
        self.suggestions.focus = None;
        Edit::Batch {
            label: format!("tag as {label}"),
            edits: vec![edit, decision],
        }
    }

    /// Rejects the focused suggestion: recorded in the document, so that it
    /// is never proposed again and counts against its string; the walk
    /// moves on.
    pub(crate) fn reject_suggestion(&mut self) {
        let Some(s) = self.suggestions.focused() else {
            self.notify("no suggestion chosen: S walks them");
            return;
        };
        let Some(doc) = self.document() else { return };
        let edit = Self::decisions_edit(
            doc,
            [SuggestionDecision {
                start: s.start,
                end: s.end,
                label: s.label.as_str().into(),
                text: s.text.as_str().into(),
                accepted: false,
            }],
        );
        if self.apply_as_is(edit) {
            self.selection = None;
            self.notify(format!("rejected {:?} as {}", s.text, s.label));
            self.suggestions_logic();
            self.walk_suggestions(true);
        }
    }

    /// Accepts every shown suggestion of the focused one's type (or of the
    /// only type shown) in this document, as one undoable step.
    pub(crate) fn accept_all_suggestions_of_type(&mut self, label: Option<String>) {
        let list = self.suggestions.shown();
        let label = label
            .or_else(|| self.suggestions.focused().map(|s| s.label))
            .or_else(|| {
                let first = list.first()?.label.clone();
                list.iter().all(|s| s.label == first).then_some(first)
            });
        let Some(label) = label else {
            self.notify("choose a suggestion first (S): its type is the one accepted");
            return;
        };
        let chosen: Vec<Suggestion> = list.iter().filter(|s| s.label == label).cloned().collect();
        if chosen.is_empty() {
            self.notify(format!("no {label} suggestions here"));
            return;
        }
        self.accept_suggestions(Some(chosen));
    }
}
