//! Columns and sort orders.

/// A column of the pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// Entity, claim or relation.
    Kind,
    /// The type.
    Type,
    /// The quoted text.
    Text,
    /// A claim's claimant.
    Claimant,
    /// A claim's verdict.
    Verdict,
    /// Who made it.
    Annotator,
    /// Its review state.
    Review,
    /// Its document (then reading order).
    Document,
}

impl Column {
    /// Every column, in display order.
    pub const ALL: [Column; 8] = [
        Column::Kind,
        Column::Type,
        Column::Text,
        Column::Claimant,
        Column::Verdict,
        Column::Annotator,
        Column::Review,
        Column::Document,
    ];

    /// The column's title.
    pub fn title(self) -> &'static str {
        match self {
            Column::Kind => "Kind",
            Column::Type => "Type",
            Column::Text => "Text",
            Column::Claimant => "Claimant",
            Column::Verdict => "Verdict",
            Column::Annotator => "Annotator",
            Column::Review => "Review",
            Column::Document => "Document",
        }
    }
}

/// A sort order: by a column, then by document and reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sort {
    /// The column.
    pub column: Column,
    /// Largest first.
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Self {
            column: Column::Document,
            descending: false,
        }
    }
}
