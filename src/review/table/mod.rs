//! The Annotations pane's data, UI-free: one row per annotation of a
//! project (entity, claim or relation), and the filters and sorts over them.
//!
//! A [`Table`] is built once per project state; it keeps that state's
//! documents (shared `Arc`s, so a worker thread can keep them while the
//! project changes) and reads ids and texts from them, which keeps a row at
//! 32 bytes with no heap block of its own. [`Table::view`]
//! filters and sorts it into row indices. On the 2,000-document project
//! (≈430k annotations) both run off the UI thread; see
//! `docs/performance.md`.
//!
//! Here: rows and the table. Beside it: `filter` (the filters, compiled per
//! view), `sort` (columns and orders), `text` (interned names and
//! case-insensitive comparison).

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use crate::model::{Claimant, Document, Project, Review, Status, Verdict};

/// `Row::claimant` and `Row::annotator` when there is none.
const NONE: u32 = u32::MAX;

mod filter;
mod sort;
mod text;

pub use filter::*;
pub use sort::*;
use text::*;

/// What an annotation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An entity mention.
    Entity,
    /// A claim.
    Claim,
    /// A relation between two annotations.
    Relation,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 3] = [Kind::Entity, Kind::Claim, Kind::Relation];

    /// The kind as people read it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Entity => "entity",
            Kind::Claim => "claim",
            Kind::Relation => "relation",
        }
    }
}

/// A review state as people read it.
pub fn review_label(review: Review) -> &'static str {
    match review {
        Review::Unreviewed => "unreviewed",
        Review::Accepted => "accepted",
        Review::Rejected => "rejected",
        Review::Discuss => "discuss",
    }
}

/// Every review state, in the order the pane and dashboard list them.
pub const REVIEWS: [Review; 4] = [
    Review::Unreviewed,
    Review::Accepted,
    Review::Rejected,
    Review::Discuss,
];

/// One document of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct DocInfo {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its workflow status.
    pub status: Status,
    /// Id and title, lowercased, for the document filter.
    search: String,
    /// The document as the table was built from it: rows read their ids and
    /// texts here.
    document: Arc<Document>,
}

/// One annotation: 32 bytes, its strings read from the table's documents
/// (a large project has hundreds of thousands of rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Index of its document in [`Table::documents`] (and in the project).
    pub doc: u32,
    /// Where it is: an index into its document's entities or claims, or
    /// into the table's relations.
    item: u32,
    /// Its type: an index into [`Table::labels`] (an entity's type key, a
    /// claim's claim type, a relation's type key; "" when none).
    pub label: u32,
    /// A claim's claimant: an index into the table's sorted claimant names,
    /// or [`NONE`].
    claimant: u32,
    /// Who made it: an index into [`Table::annotators`], or [`NONE`].
    annotator: u32,
    /// The first 8 bytes of the lowercased text, big-endian, zero-padded:
    /// sorting by text compares these first and reads the strings (scattered
    /// in memory) only on a tie, which makes the sort several times faster.
    prefix: u64,
    /// Entity, claim or relation.
    pub kind: Kind,
    /// A claim's verdict.
    pub verdict: Option<Verdict>,
    /// Its review state; `None` for relations, which are not reviewed.
    pub review: Option<Review>,
}

/// A relation's row data that its document does not hold as such.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RelationText {
    /// Its index in its document's relations.
    index: u32,
    /// "from → to".
    text: Box<str>,
}

/// Every annotation of a project, as rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// The project's documents, in project order.
    pub documents: Vec<DocInfo>,
    /// Every annotation, by document; in a document, in reading order.
    pub rows: Vec<Row>,
    /// Type names, sorted, so comparing indices compares names.
    pub labels: Vec<String>,
    /// Annotator names, sorted likewise.
    pub annotators: Vec<String>,
    /// The rows of each document.
    ranges: Vec<Range<u32>>,
    /// Claimant names, sorted, so comparing indices compares names.
    claimants: Vec<String>,
    /// The relations' rows' texts (relations are few: one or two a document).
    relations: Vec<RelationText>,
}

/// What rows are built with besides the document.
#[derive(Default)]
struct Builder {
    labels: Interner,
    annotators: Interner,
    claimants: Interner,
    relations: Vec<RelationText>,
}

fn doc_rows(doc: &Document, index: u32, b: &mut Builder, rows: &mut Vec<Row>) {
    // (start, end, row): sorted into reading order below.
    let mut found: Vec<(usize, usize, Row)> =
        Vec::with_capacity(doc.entities.len() + doc.claims.len() + doc.relations.len());
    let mut annotator = |name: Option<&str>| name.map_or(NONE, |a| b.annotators.get(a));
    let row = |kind, item: usize, label, text: &str| Row {
        doc: index,
        item: item as u32,
        label,
        claimant: NONE,
        annotator: NONE,
        prefix: prefix(text),
        kind,
        verdict: None,
        review: None,
    };
    for (i, e) in doc.entities.iter().enumerate() {
        let mut r = row(Kind::Entity, i, b.labels.get(&e.label), &e.text);
        r.annotator = annotator(e.annotator.as_deref());
        r.review = Some(e.review);
        found.push((e.start, e.end, r));
    }
    for (i, c) in doc.claims.iter().enumerate() {
        let claimant = match &c.claimant {
            Some(Claimant::Entity(id)) => doc.entity(id).map(|e| e.text.as_str()),
            Some(Claimant::Text(text)) => Some(text.as_str()),
            None => None,
        };
        let label = b.labels.get(c.claim_type.map(|t| t.name()).unwrap_or(""));
        let mut r = row(Kind::Claim, i, label, &c.text);
        r.claimant = claimant.map_or(NONE, |name| b.claimants.get(name));
        r.annotator = annotator(c.annotator.as_deref());
        r.verdict = c.verdict;
        r.review = Some(c.review);
        found.push((c.start, c.end, r));
    }
    // Relations have no span: they sit where their source does.
    let mut spans: HashMap<&str, (usize, usize, &str)> = HashMap::new();
    if !doc.relations.is_empty() {
        for e in &doc.entities {
            spans.insert(&e.id, (e.start, e.end, &e.text));
        }
        for c in &doc.claims {
            spans.insert(&c.id, (c.start, c.end, &c.text));
        }
    }
    for (i, r) in doc.relations.iter().enumerate() {
        let from = spans.get(r.from.as_str());
        let to = spans.get(r.to.as_str());
        let text = format!(
            "{} → {}",
            from.map_or(r.from.as_str(), |s| s.2),
            to.map_or(r.to.as_str(), |s| s.2)
        );
        let (start, end) = from.map_or((0, 0), |s| (s.0, s.1));
        let row = row(
            Kind::Relation,
            b.relations.len(),
            b.labels.get(&r.label),
            &text,
        );
        b.relations.push(RelationText {
            index: i as u32,
            text: text.into_boxed_str(),
        });
        found.push((start, end, row));
    }
    found.sort_by_key(|(start, end, r)| (*start, *end, r.kind));
    rows.extend(found.into_iter().map(|(_, _, r)| r));
}

impl Table {
    /// The rows of `project`, by document, each document's in reading order.
    pub fn build(project: &Project) -> Self {
        let mut b = Builder::default();
        let mut rows = Vec::with_capacity(project.annotation_count());
        let mut documents = Vec::with_capacity(project.documents.len());
        let mut ranges = Vec::with_capacity(project.documents.len());
        for (index, doc) in project.documents.iter().enumerate() {
            let first = rows.len() as u32;
            doc_rows(doc, index as u32, &mut b, &mut rows);
            ranges.push(first..rows.len() as u32);
            documents.push(DocInfo {
                id: doc.id.clone(),
                title: doc.title.clone(),
                status: doc.status,
                search: format!("{} {}", doc.id, doc.title).to_lowercase(),
                document: Arc::clone(doc),
            });
        }
        let (labels, label_order) = b.labels.finish();
        let (annotators, annotator_order) = b.annotators.finish();
        let (claimants, claimant_order) = b.claimants.finish();
        let renumber = |order: &[u32], old: u32| order.get(old as usize).copied().unwrap_or(NONE);
        for row in &mut rows {
            row.label = label_order.get(row.label as usize).copied().unwrap_or(0);
            row.annotator = renumber(&annotator_order, row.annotator);
            row.claimant = renumber(&claimant_order, row.claimant);
        }
        Self {
            documents,
            rows,
            labels,
            annotators,
            ranges,
            claimants,
            relations: b.relations,
        }
    }

    /// A row's annotation id in its document.
    pub fn id<'a>(&'a self, row: &Row) -> &'a str {
        let Some(doc) = self.documents.get(row.doc as usize).map(|d| &d.document) else {
            return "";
        };
        let item = row.item as usize;
        match row.kind {
            Kind::Entity => doc.entities.get(item).map(|e| e.id.as_str()),
            Kind::Claim => doc.claims.get(item).map(|c| c.id.as_str()),
            Kind::Relation => self
                .relations
                .get(item)
                .and_then(|r| doc.relations.get(r.index as usize))
                .map(|r| r.id.as_str()),
        }
        .unwrap_or("")
    }

    /// A row's quoted text; for a relation, "from → to".
    pub fn text<'a>(&'a self, row: &Row) -> &'a str {
        let item = row.item as usize;
        if row.kind == Kind::Relation {
            return self.relations.get(item).map_or("", |r| &r.text);
        }
        let Some(doc) = self.documents.get(row.doc as usize).map(|d| &d.document) else {
            return "";
        };
        match row.kind {
            Kind::Entity => doc.entities.get(item).map(|e| e.text.as_str()),
            _ => doc.claims.get(item).map(|c| c.text.as_str()),
        }
        .unwrap_or("")
    }

    /// A claim's claimant as people read it.
    pub fn claimant(&self, row: &Row) -> Option<&str> {
        self.claimants
            .get(row.claimant as usize)
            .map(String::as_str)
    }

    /// A row's type name ("" when it has none).
    pub fn label(&self, row: &Row) -> &str {
        self.labels
            .get(row.label as usize)
            .map(String::as_str)
            .unwrap_or("")
    }

    /// A row's annotator.
    pub fn annotator(&self, row: &Row) -> Option<&str> {
        self.annotators
            .get(row.annotator as usize)
            .map(String::as_str)
    }

    /// A row's document.
    pub fn document(&self, row: &Row) -> Option<&DocInfo> {
        self.documents.get(row.doc as usize)
    }

    /// The indices of the rows that pass `filter`, in `sort` order.
    pub fn view(&self, filter: &Filter, sort: Sort) -> Vec<u32> {
        let compiled = Compiled::new(self, filter);
        let range = match filter.document {
            Some(d) => self.ranges.get(d).cloned().unwrap_or(0..0),
            None => 0..self.rows.len() as u32,
        };
        let mut scratch = String::new();
        let mut order: Vec<u32> = range
            .filter(|&i| {
                self.rows
                    .get(i as usize)
                    .is_some_and(|row| compiled.matches(self, row, &mut scratch))
            })
            .collect();
        self.sort(&mut order, sort);
        order
    }

    fn sort(&self, order: &mut [u32], sort: Sort) {
        // Rows are stored in document, then reading order: their index is
        // the tie-break, so every sort is total and stable.
        let key = |a: &Row, b: &Row| -> Ordering {
            match sort.column {
                Column::Document => Ordering::Equal,
                Column::Kind => a.kind.cmp(&b.kind),
                Column::Type => a.label.cmp(&b.label),
                // Sorted by `sort_by_text`.
                Column::Text => Ordering::Equal,
                // No claimant first, as `None` sorts before any name.
                Column::Claimant => {
                    (a.claimant != NONE, a.claimant).cmp(&(b.claimant != NONE, b.claimant))
                }
                Column::Verdict => a.verdict.map(|v| v as u8).cmp(&b.verdict.map(|v| v as u8)),
                Column::Annotator => {
                    (a.annotator != NONE, a.annotator).cmp(&(b.annotator != NONE, b.annotator))
                }
                Column::Review => a.review.map(|r| r as u8).cmp(&b.review.map(|r| r as u8)),
            }
        };
        if sort.column == Column::Document {
            if sort.descending {
                order.reverse();
            }
            return;
        }
        if sort.column == Column::Text {
            self.sort_by_text(order, sort.descending);
            return;
        }
        let rows = &self.rows;
        order.sort_unstable_by(|&x, &y| {
            let (Some(a), Some(b)) = (rows.get(x as usize), rows.get(y as usize)) else {
                return x.cmp(&y);
            };
            let by_key = key(a, b);
            let by_key = if sort.descending {
                by_key.reverse()
            } else {
                by_key
            };
            by_key.then(x.cmp(&y))
        });
    }

    /// Sorts by text: the prefixes first, the lowercased texts on a tie,
    /// then the texts as they are. The keys are gathered first (32 bytes a
    /// listed row, while sorting): a tie then reads the text at once, not
    /// through the row and its document.
    fn sort_by_text(&self, order: &mut [u32], descending: bool) {
        let mut keyed: Vec<(u64, &str, u32)> = order
            .iter()
            .map(|&i| match self.rows.get(i as usize) {
                Some(row) => (row.prefix, self.text(row), i),
                None => (0, "", i),
            })
            .collect();
        keyed.sort_unstable_by(|(pa, a, x), (pb, b, y)| {
            let by_key = pa
                .cmp(pb)
                .then_with(|| cmp_lower(a, b).then_with(|| a.cmp(b)));
            let by_key = if descending { by_key.reverse() } else { by_key };
            by_key.then(x.cmp(y))
        });
        for (slot, (_, _, i)) in order.iter_mut().zip(keyed) {
            *slot = i;
        }
    }

    /// (document id, annotation id) of the rows of document `doc` among
    /// `order`'s: what the article view keeps bright while the pane filters.
    /// Only the shown document's, since the view draws no other: a set over
    /// a whole large project takes half a second to build.
    pub fn matches_in(&self, doc: usize, order: &[u32]) -> HashSet<(String, String)> {
        let Some(info) = self.documents.get(doc) else {
            return HashSet::new();
        };
        order
            .iter()
            .filter_map(|&i| self.rows.get(i as usize))
            .filter(|row| row.doc as usize == doc)
            .map(|row| (info.id.clone(), self.id(row).to_owned()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Claim, Entity, Relation};

    /// Two documents: d1 has Kim (PER, by ann, accepted), Seoul (GPE, by
    /// bob), a claim by Kim (supports, by ann) and a relation; d2 (done)
    /// has Putin (PER, nobody) and a claimant-less claim.
    fn project() -> Project {
        let mut p = Project::new("p");
        let mut d1 = Document::new("d1", "Summit news", "Kim said Seoul will talk. More.");
        let mut kim = Entity::new("e1", "PER", 0, 3, "Kim");
        kim.annotator = Some("ann".into());
        kim.review = Review::Accepted;
        let mut seoul = Entity::new("e2", "GPE", 9, 14, "Seoul");
        seoul.annotator = Some("bob".into());
        d1.entities.push(seoul);
        d1.entities.push(kim);
        let mut claim = Claim::new("c1", 9, 24, "Seoul will talk");
        claim.claimant = Some(Claimant::Entity("e1".into()));
        claim.verdict = Some(Verdict::Supports);
        claim.annotator = Some("ann".into());
        d1.claims.push(claim);
        d1.relations
            .push(Relation::new("r1", "Located", "e1", "e2"));
        let mut d2 = Document::new("d2", "Moscow", "Putin spoke. Talks go on.");
        d2.status = Status::Done;
        d2.entities.push(Entity::new("e1", "PER", 0, 5, "Putin"));
        d2.claims.push(Claim::new("c1", 13, 25, "Talks go on."));
        p.documents.push(std::sync::Arc::new(d1));
        p.documents.push(std::sync::Arc::new(d2));
        p
    }

    /// The (document id, annotation id) of a view, in order.
    fn ids(table: &Table, order: &[u32]) -> Vec<String> {
        order
            .iter()
            .map(|&i| {
                let row = &table.rows[i as usize];
                format!("{}/{}", table.documents[row.doc as usize].id, table.id(row))
            })
            .collect()
    }

    fn view(filter: Filter) -> Vec<String> {
        let table = Table::build(&project());
        ids(&table, &table.view(&filter, Sort::default()))
    }

    #[test]
    fn rows_cover_every_annotation_in_reading_order() {
        let table = Table::build(&project());
        assert_eq!(
            ids(&table, &table.view(&Filter::default(), Sort::default())),
            ["d1/e1", "d1/r1", "d1/e2", "d1/c1", "d2/e1", "d2/c1"]
        );
        let relation = &table.rows[1];
        assert_eq!(relation.kind, Kind::Relation);
        assert_eq!(table.text(relation), "Kim → Seoul");
        assert_eq!(table.id(relation), "r1");
        assert_eq!(table.label(relation), "Located");
        assert_eq!(relation.review, None);
        let claim = &table.rows[3];
        assert_eq!(table.claimant(claim), Some("Kim"));
        assert_eq!(table.text(claim), "Seoul will talk");
        assert_eq!(table.annotator(claim), Some("ann"));
        assert_eq!(table.labels, ["", "GPE", "Located", "PER"]);
        assert_eq!(table.annotators, ["ann", "bob"]);
    }

    #[test]
    fn each_column_filters() {
        let with = |f: fn(&mut Filter)| {
            let mut filter = Filter::default();
            f(&mut filter);
            assert!(filter.is_active());
            view(filter)
        };
        assert_eq!(with(|f| f.kind = Some(Kind::Claim)), ["d1/c1", "d2/c1"]);
        assert_eq!(with(|f| f.label = Some("PER".into())), ["d1/e1", "d2/e1"]);
        assert!(with(|f| f.label = Some("NOPE".into())).is_empty());
        // Case is ignored; a part matches; quotes ask for the whole text.
        assert_eq!(
            with(|f| f.text = "SEOUL".into()),
            ["d1/r1", "d1/e2", "d1/c1"]
        );
        assert_eq!(with(|f| f.text = "\"seoul\"".into()), ["d1/e2"]);
        assert_eq!(with(|f| f.claimant = "ki".into()), ["d1/c1"]);
        assert_eq!(with(|f| f.claimant = "\"\"".into()), ["d2/c1"]);
        assert_eq!(
            with(|f| f.verdict = Some(Some(Verdict::Supports))),
            ["d1/c1"]
        );
        assert_eq!(with(|f| f.verdict = Some(None)), ["d2/c1"]);
        assert_eq!(
            with(|f| f.annotator = Some(Some("ann".into()))),
            ["d1/e1", "d1/c1"]
        );
        // Nobody is recorded for d2's annotations; relations have no
        // annotator at all and stay out.
        assert_eq!(with(|f| f.annotator = Some(None)), ["d2/e1", "d2/c1"]);
        assert!(with(|f| f.annotator = Some(Some("zed".into()))).is_empty());
        assert_eq!(with(|f| f.review = Some(Review::Accepted)), ["d1/e1"]);
        assert_eq!(
            with(|f| f.review = Some(Review::Unreviewed)),
            ["d1/e2", "d1/c1", "d2/e1", "d2/c1"]
        );
        assert_eq!(with(|f| f.status = Some(Status::Done)), ["d2/e1", "d2/c1"]);
        assert_eq!(
            with(|f| f.doc_text = "summit".into()),
            view(Filter {
                document: Some(0),
                ..Filter::default()
            })
        );
        assert_eq!(with(|f| f.doc_text = "\"d2\"".into()), ["d2/e1", "d2/c1"]);
    }

    #[test]
    fn filters_combine_and_the_scope_is_not_a_filter() {
        let filter = Filter {
            document: Some(1),
            ..Filter::default()
        };
        assert!(!filter.is_active());
        assert_eq!(view(filter.clone()), ["d2/e1", "d2/c1"]);
        assert_eq!(
            view(Filter {
                label: Some("PER".into()),
                ..filter
            }),
            ["d2/e1"]
        );
        assert_eq!(
            view(Filter {
                kind: Some(Kind::Entity),
                annotator: Some(Some("ann".into())),
                ..Filter::default()
            }),
            ["d1/e1"]
        );
        assert!(
            view(Filter {
                document: Some(7),
                ..Filter::default()
            })
            .is_empty()
        );
    }

    #[test]
    fn sorts_by_each_column_both_ways_with_reading_order_as_tie_break() {
        let table = Table::build(&project());
        let sorted = |column, descending| {
            ids(
                &table,
                &table.view(&Filter::default(), Sort { column, descending }),
            )
        };
        assert_eq!(
            sorted(Column::Text, false),
            ["d1/e1", "d1/r1", "d2/e1", "d1/e2", "d1/c1", "d2/c1"]
        );
        assert_eq!(
            sorted(Column::Text, true),
            ["d2/c1", "d1/c1", "d1/e2", "d2/e1", "d1/r1", "d1/e1"]
        );
        // Equal types keep reading order, whichever way the sort goes.
        assert_eq!(
            sorted(Column::Type, false),
            ["d1/c1", "d2/c1", "d1/e2", "d1/r1", "d1/e1", "d2/e1"]
        );
        assert_eq!(
            sorted(Column::Type, true),
            ["d1/e1", "d2/e1", "d1/r1", "d1/e2", "d1/c1", "d2/c1"]
        );
        assert_eq!(
            sorted(Column::Kind, false),
            ["d1/e1", "d1/e2", "d2/e1", "d1/c1", "d2/c1", "d1/r1"]
        );
        assert_eq!(
            sorted(Column::Document, true),
            ["d2/c1", "d2/e1", "d1/c1", "d1/e2", "d1/r1", "d1/e1"]
        );
        assert_eq!(sorted(Column::Annotator, true)[..2], ["d1/e2", "d1/e1"]);
        assert_eq!(sorted(Column::Review, true)[0], "d1/e1");
        assert_eq!(sorted(Column::Claimant, true)[0], "d1/c1");
        assert_eq!(sorted(Column::Verdict, true)[0], "d1/c1");
    }

    #[test]
    fn matches_name_document_and_annotation() {
        let table = Table::build(&project());
        let order = table.view(
            &Filter {
                label: Some("PER".into()),
                ..Filter::default()
            },
            Sort::default(),
        );
        let set = |pairs: &[(&str, &str)]| -> HashSet<(String, String)> {
            pairs
                .iter()
                .map(|(d, a)| ((*d).to_owned(), (*a).to_owned()))
                .collect()
        };
        assert_eq!(table.matches_in(0, &order), set(&[("d1", "e1")]));
        assert_eq!(table.matches_in(1, &order), set(&[("d2", "e1")]));
        assert_eq!(table.matches_in(5, &order), set(&[]));
    }

    #[test]
    fn rows_stay_lean() {
        // A large project has hundreds of thousands of rows: the app's peak
        // memory with the Annotations pane open depends on this.
        assert!(std::mem::size_of::<Row>() <= 32);
    }

    #[test]
    fn text_filter_and_sort_ignore_case_in_and_beyond_ascii() {
        let mut p = Project::new("p");
        let mut d = Document::new("d", "Cases", "ÉCOLE école Zed apple Apple KIM ΟΔΟΣ");
        for (i, (start, end, text)) in [
            (0, 5, "ÉCOLE"),
            (6, 11, "école"),
            (12, 15, "Zed"),
            (16, 21, "apple"),
            (22, 27, "Apple"),
            (28, 31, "KIM"),
            (32, 36, "ΟΔΟΣ"),
        ]
        .into_iter()
        .enumerate()
        {
            d.entities
                .push(Entity::new(format!("e{i}"), "X", start, end, text));
        }
        p.documents.push(std::sync::Arc::new(d));
        let table = Table::build(&p);
        let texts = |filter: &str, descending| -> Vec<String> {
            let filter = Filter {
                text: filter.into(),
                ..Filter::default()
            };
            let sort = Sort {
                column: Column::Text,
                descending,
            };
            table
                .view(&filter, sort)
                .iter()
                .map(|&i| table.text(&table.rows[i as usize]).to_owned())
                .collect()
        };
        // Lowercased first; equal lowercased texts by their own bytes.
        assert_eq!(
            texts("", false),
            ["Apple", "apple", "KIM", "Zed", "ÉCOLE", "école", "ΟΔΟΣ"]
        );
        assert_eq!(texts("", true)[..3], ["ΟΔΟΣ", "école", "ÉCOLE"]);
        assert_eq!(texts("éCo", false), ["ÉCOLE", "école"]);
        assert_eq!(texts("PPL", false), ["Apple", "apple"]);
        assert_eq!(texts("\"kim\"", false), ["KIM"]);
        assert_eq!(texts("\"Écolé\"", false), Vec::<String>::new());
        assert_eq!(texts("\"École\"", false), ["ÉCOLE", "école"]);
        assert!(texts("kimx", false).is_empty());
        // A capital sigma lowercases to the word-final ς at a word's end.
        assert_eq!(texts("\"οδος\"", false), ["ΟΔΟΣ"]);
    }

    proptest::proptest! {
        /// Ignoring case on the fly agrees with lowercasing the strings,
        /// capital sigma, dotted İ and all.
        #[test]
        fn ignoring_case_agrees_with_lowercasing(
            a in "[aAzZkéÉσςΣİiK ]{0,6}",
            b in "[aAzZkéÉσςΣİiK ]{0,6}",
            typed in "[aAzkéÉσςΣİiK ]{1,3}",
        ) {
            let (la, lb, part) = (a.to_lowercase(), b.to_lowercase(), typed.to_lowercase());
            let mut scratch = String::new();
            proptest::prop_assert_eq!(cmp_lower(&a, &b), la.cmp(&lb));
            proptest::prop_assert_eq!(contains_lower(&a, &part, &mut scratch), la.contains(&part));
            proptest::prop_assert_eq!(equals_lower(&a, &part, &mut scratch), la == part);
            let (pa, pb) = (prefix(&a), prefix(&b));
            if pa != pb {
                proptest::prop_assert_eq!(pa.cmp(&pb), la.cmp(&lb));
            }
        }
    }

    #[test]
    fn only_the_characters_known_lowercase_to_ascii() {
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            if c.to_lowercase().any(|l| l.is_ascii()) {
                let mut utf8 = [0; 4];
                assert!(
                    may_lower_to_ascii(c.encode_utf8(&mut utf8)),
                    "{c:?} lowercases to ASCII"
                );
            }
        }
        assert!(!may_lower_to_ascii("école ΟΔΟΣ دمشق 😀"));
    }

    #[test]
    fn text_filter_syntax() {
        assert_eq!(TextMatch::parse("  "), TextMatch::Any);
        assert_eq!(TextMatch::parse("Kim "), TextMatch::Contains("kim".into()));
        assert_eq!(TextMatch::parse("\"Kim\""), TextMatch::Exact("kim".into()));
        assert_eq!(
            TextMatch::parse(&TextMatch::exact("")),
            TextMatch::Exact(String::new())
        );
        // A lone quote is text to find.
        assert_eq!(TextMatch::parse("\""), TextMatch::Contains("\"".into()));
    }

    #[test]
    fn the_generated_project_has_a_row_per_annotation() {
        let project = crate::sample::large_project(20, 3000);
        let table = Table::build(&project);
        assert_eq!(table.rows.len(), project.annotation_count());
        let per = table.view(
            &Filter {
                label: Some("PER".into()),
                ..Filter::default()
            },
            Sort::default(),
        );
        let expected = project
            .documents
            .iter()
            .flat_map(|d| &d.entities)
            .filter(|e| e.label == "PER")
            .count();
        assert_eq!(per.len(), expected);
    }
}
