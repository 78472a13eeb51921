//! Article import: plain text and Markdown in any common encoding, HTML pages
//! (boilerplate stripped), JSON and JSONL batches.

mod admit;
mod decode;
mod html;
mod json;

use std::path::{Path, PathBuf};

use crate::edit::Edit;
use crate::model::{Document, Project, content_hash};

pub use decode::{binary_kind, decode};
pub use html::{HtmlMode, NO_ARTICLE_WARNING};

/// One article read from a file, before it becomes a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    /// Id wanted by the source (a JSON `id`), if any.
    pub id: Option<String>,
    /// Title.
    pub title: String,
    /// Full text, LF line ends.
    pub text: String,
    /// File path or URL.
    pub source: Option<String>,
    /// Publication date as given.
    pub date: Option<String>,
    /// Author line, from a web page's metadata.
    pub byline: Option<String>,
    /// Name of the site that published it, from a web page's metadata.
    pub site_name: Option<String>,
    /// Language tag (`en`, `ar-SA`), from a web page's `lang`.
    pub language: Option<String>,
    /// Text direction (`rtl`, `ltr` or `auto`), from a web page's `dir`.
    pub direction: Option<String>,
    /// What the reader had to do that the user should know, without the
    /// file's path (e.g. [`NO_ARTICLE_WARNING`]).
    pub warnings: Vec<String>,
}

/// An article file that could not be read, with the file's path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct IngestError {
    /// The file.
    pub path: String,
    /// What is wrong, with a line number where it helps.
    pub message: String,
    /// The file could not be read at all (missing, a folder, no
    /// permission), as opposed to read and found wanting: exit code 2.
    pub cannot_read: bool,
}

impl IngestError {
    fn new(path: &Path, message: impl Into<String>) -> Self {
        Self {
            path: path.display().to_string(),
            message: message.into(),
            cannot_read: false,
        }
    }
}

/// Reads the articles of one file; the format comes from the extension
/// (`.html`/`.htm`, `.json`, `.jsonl`/`.ndjson`; anything else is text).
/// Web pages are read in [`HtmlMode::Auto`].
pub fn read_articles(path: &Path) -> Result<Vec<Article>, IngestError> {
    read_articles_with(path, HtmlMode::Auto)
}

/// [`read_articles`], with web pages read as `html` asks.
pub fn read_articles_with(path: &Path, html: HtmlMode) -> Result<Vec<Article>, IngestError> {
    let mut articles = Vec::new();
    read_articles_each(path, html, &mut |article| {
        articles.push(article);
        Ok(())
    })?;
    Ok(articles)
}

/// [`read_articles_with`], giving each article to `take` as it is read (a
/// JSONL batch line by line) instead of collecting them. The file's checks
/// are the same: an error stops the reading, and articles already taken
/// belong to a file that, as a whole, could not be read.
pub fn read_articles_each(
    path: &Path,
    html: HtmlMode,
    take: &mut dyn FnMut(Article) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    let bytes = crate::store::read_regular_file(path).map_err(|e| {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_owned(),
            _ if path.is_dir() => "is a directory, not an article".to_owned(),
            _ => e.to_string(),
        };
        IngestError {
            cannot_read: true,
            ..IngestError::new(path, message)
        }
    })?;
    if let Some(kind) = decode::binary_kind(&bytes) {
        return Err(IngestError::new(
            path,
            format!("not a text article (looks like {kind}); nothing was added"),
        ));
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let source = Some(path.display().to_string());
    let (text, decode_note) = decode::decode_owned_with_note(bytes);
    let mut checked = CheckedArticles {
        path,
        decode_note,
        count: 0,
        held_back: None,
        take,
    };
    match extension.as_str() {
        "html" | "htm" | "xhtml" => checked.take(html::read(&text, source, html))?,
        "json" => {
            for article in json::read_json(&text).map_err(|m| IngestError::new(path, m))? {
                checked.take(article)?;
            }
        }
        "jsonl" | "ndjson" => {
            let mut failed = None;
            json::each_jsonl(&text, &mut |article| {
                checked.take(article).map_err(|e| {
                    let message = e.message.clone();
                    failed = Some(e);
                    message
                })
            })
            .map_err(|m| failed.take().unwrap_or_else(|| IngestError::new(path, m)))?;
        }
        _ => checked.take(text_article(text, source))?,
    }
    checked.finish()
}

/// The checks every file's articles pass on their way to the taker: the
/// decoding note said once, with the first article; no empty article
/// ("article 3 is empty" in a batch, "the article is empty" alone); at
/// least one article. The first article is held back until a second one
/// or the end shows which of the two wordings is right.
struct CheckedArticles<'a> {
    path: &'a Path,
    decode_note: Option<String>,
    count: usize,
    held_back: Option<Article>,
    take: &'a mut dyn FnMut(Article) -> Result<(), IngestError>,
}

impl CheckedArticles<'_> {
    fn take(&mut self, mut article: Article) -> Result<(), IngestError> {
        self.count += 1;
        if let Some(note) = self.decode_note.take() {
            article.warnings.push(note);
        }
        if self.count == 1 {
            self.held_back = Some(article);
            return Ok(());
        }
        if let Some(first) = self.held_back.take() {
            self.check_and_take(first, 1, true)?;
        }
        self.check_and_take(article, self.count, true)
    }

    fn check_and_take(
        &mut self,
        article: Article,
        n: usize,
        batch: bool,
    ) -> Result<(), IngestError> {
        if article.text.trim().is_empty() {
            let which = if batch {
                format!("article {n} is empty")
            } else {
                "the article is empty".to_owned()
            };
            return Err(IngestError::new(self.path, which));
        }
        (self.take)(article)
    }

    fn finish(mut self) -> Result<(), IngestError> {
        match self.held_back.take() {
            Some(only) => self.check_and_take(only, 1, false),
            None if self.count == 0 => Err(IngestError::new(self.path, "no articles in the file")),
            None => Ok(()),
        }
    }
}

/// A text or Markdown article: the whole decoded text, titled by its first
/// non-empty line (without Markdown heading marks).
pub fn text_article(text: String, source: Option<String>) -> Article {
    let title = first_line_title(&text);
    Article {
        title,
        text,
        source,
        ..Article::default()
    }
}

fn first_line_title(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| l.trim_start_matches('#').trim().to_owned())
        .unwrap_or_default()
}

/// An article read from `path`, with its text's content hash: computed
/// where the file is read (a worker thread in the app), not where the
/// articles are added, which in the app is the UI thread.
#[derive(Debug, Clone)]
pub struct ReadArticle {
    /// The file it came from.
    pub path: PathBuf,
    /// The article.
    pub article: Article,
    /// [`content_hash`] of `article.text`.
    pub content_hash: String,
}

impl ReadArticle {
    /// `article` from `path`, hashed.
    pub fn new(path: &Path, article: Article) -> Self {
        Self {
            path: path.to_owned(),
            content_hash: content_hash(&article.text),
            article,
        }
    }
}

/// What [`add_articles`] did.
#[derive(Debug, Default)]
pub struct AddReport {
    /// Ids of the documents added.
    pub added: Vec<String>,
    /// One line per article skipped because the project has it already.
    pub skipped: Vec<String>,
    /// Files that could not be read.
    pub errors: Vec<IngestError>,
    /// One line per article read with a warning, starting with its file
    /// (e.g. `page.html: no clear article found; imported the whole page text`).
    pub warnings: Vec<String>,
}

/// Reads `paths` and returns one undoable edit that adds every new article to
/// `project` (`None` when there is nothing to add), with a report. Articles
/// whose text is already in the project (same content hash) are skipped.
pub fn add_articles(project: &Project, paths: &[PathBuf]) -> (Option<Edit>, AddReport) {
    add_articles_with(project, paths, HtmlMode::Auto)
}

/// [`add_articles`], with web pages read as `html` asks.
pub fn add_articles_with(
    project: &Project,
    paths: &[PathBuf],
    html: HtmlMode,
) -> (Option<Edit>, AddReport) {
    let mut report = AddReport::default();
    let mut articles = Vec::new();
    for path in paths {
        match read_articles_with(path, html) {
            Ok(found) => articles.extend(found.into_iter().map(|a| ReadArticle::new(path, a))),
            Err(e) => report.errors.push(e),
        }
    }
    let edit = add_read_articles(project, articles, &mut report);
    (edit, report)
}

/// Turns articles already read into one edit that adds the new ones.
pub fn add_read_articles(
    project: &Project,
    articles: Vec<ReadArticle>,
    report: &mut AddReport,
) -> Option<Edit> {
    let candidates = articles
        .into_iter()
        .map(|read| {
            let ReadArticle {
                path,
                article,
                content_hash,
            } = read;
            report.warnings.extend(warnings_of(&path, &article));
            let document = document_of(&path, article, content_hash);
            (path.display().to_string(), document)
        })
        .collect();
    add_documents(project, candidates, report)
}

/// An article's warnings, each starting with its file.
fn warnings_of<'a>(path: &'a Path, article: &'a Article) -> impl Iterator<Item = String> + 'a {
    article
        .warnings
        .iter()
        .map(move |w| format!("{}: {w}", path.display()))
}

/// The document an article from `path` becomes, with the id it wants (the
/// article's own, else the file's name); [`Admission`] gives the id it gets.
fn document_of(path: &Path, article: Article, content_hash: String) -> Document {
    let wanted = article.id.unwrap_or_else(|| {
        path.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("doc")
            .to_owned()
    });
    let mut document =
        Document::with_content_hash(wanted, article.title, article.text, content_hash);
    document.source = article.source;
    document.date = article.date;
    document.byline = article.byline;
    document.site_name = article.site_name;
    document.language = article.language;
    document.direction = article.direction;
    document
}

/// What [`stream_new_documents`] did. Unlike [`AddReport`] it keeps no
/// line per article: a batch may hold millions.
#[derive(Debug, Default)]
pub struct StreamReport {
    /// How many documents were added.
    pub added: usize,
    /// The ids of the first few added, to name them.
    pub first_added: Vec<String>,
    /// How many articles were skipped because the project had their text.
    pub skipped: usize,
    /// Files that could not be read; when there is one, the caller must
    /// not keep what was written (nothing more is given to it after).
    pub errors: Vec<IngestError>,
}

/// How many added ids a [`StreamReport`] keeps.
pub const NAMED_ADDED: usize = 10;

/// Reads `paths` and gives every article whose text `project` does not
/// have to `write` as a new document with a free id, one at a time (the
/// CLI writes each into the saved file as it comes). Warnings and skipped
/// articles are told to `say` as they come. Every file is read even after
/// one fails, so that all errors are reported, but nothing more is written.
pub fn stream_new_documents(
    project: &Project,
    paths: &[PathBuf],
    html: HtmlMode,
    say: &mut dyn FnMut(&str),
    write: &mut dyn FnMut(&Document) -> std::io::Result<()>,
) -> std::io::Result<StreamReport> {
    let mut admission = admit::Admission::of(project);
    let mut report = StreamReport::default();
    let mut written = Ok(());
    for path in paths {
        let result = read_articles_each(path, html, &mut |article| {
            if !report.errors.is_empty() || written.is_err() {
                return Ok(());
            }
            for warning in warnings_of(path, &article) {
                say(&warning);
            }
            let hash = content_hash(&article.text);
            let mut document = document_of(path, article, hash);
            match admission.admit(&document.id, &document.content_hash) {
                Err(existing) => {
                    report.skipped += 1;
                    say(&skipped_line(
                        &path.display().to_string(),
                        &document,
                        &existing,
                    ));
                }
                Ok(id) => {
                    document.id = id;
                    written = write(&document);
                    report.added += 1;
                    if report.first_added.len() < NAMED_ADDED {
                        report.first_added.push(document.id);
                    }
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            report.errors.push(e);
        }
        std::mem::replace(&mut written, Ok(()))?;
    }
    Ok(report)
}

fn skipped_line(label: &str, document: &Document, existing: &str) -> String {
    format!(
        "{label}: {:?} is already in the project as document {existing:?}; skipped",
        document.title
    )
}

/// An import edit made by [`add_read_articles`] against an earlier state of
/// `project` (the app prepares it on the worker that read the files), made
/// again for the project as it is now: documents added meanwhile may have
/// taken an id or hold the same text. `report.added` is redone; articles
/// skipped then stay skipped.
pub fn rebase_import(project: &Project, edit: Edit, report: &mut AddReport) -> Option<Edit> {
    let Edit::Batch { edits, .. } = edit else {
        return Some(edit);
    };
    let candidates = edits
        .into_iter()
        .filter_map(|edit| match edit {
            Edit::InsertDocument { document, .. } => {
                Some((format!("document {:?}", document.id), *document))
            }
            _ => None,
        })
        .collect();
    report.added.clear();
    add_documents(project, candidates, report)
}

/// Adds each document (labelled for messages, its id the one it wants)
/// unless its text is in the project already, giving it a free id: the
/// wanted one, or that with the next free suffix.
fn add_documents(
    project: &Project,
    candidates: Vec<(String, Document)>,
    report: &mut AddReport,
) -> Option<Edit> {
    // Ids and hashes of the project plus this batch, so that duplicates
    // inside one batch are caught too.
    let mut admission = admit::Admission::of(project);
    let mut edits = Vec::new();
    for (label, mut document) in candidates {
        match admission.admit(&document.id, &document.content_hash) {
            Err(existing) => report
                .skipped
                .push(skipped_line(&label, &document, &existing)),
            Ok(id) => {
                document.id = id.clone();
                edits.push(Edit::InsertDocument {
                    index: project.documents.len() + edits.len(),
                    document: Box::new(document),
                });
                report.added.push(id);
            }
        }
    }
    (!edits.is_empty()).then(|| Edit::Batch {
        label: format!("import {} articles", edits.len()),
        edits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(file: &str, text: &str) -> ReadArticle {
        let article = Article {
            title: format!("About {text}"),
            text: text.to_owned(),
            ..Article::default()
        };
        ReadArticle::new(Path::new(file), article)
    }

    fn doc(id: &str, text: &str) -> Document {
        Document::new(id, id, text)
    }

    /// The app prepares an import on its reading worker against the project
    /// as it was; documents added meanwhile take ids and texts the prepared
    /// edit used, so it is made again for the project as it is.
    #[test]
    fn an_import_prepared_before_a_change_is_made_again_for_the_project_now() {
        let mut then = Project::new("p");
        then.documents.push(doc("alpha", "Alpha").into());
        let mut report = AddReport::default();
        let articles = vec![
            read("beta.txt", "Beta"),
            read("gamma.txt", "Gamma"),
            read("delta.txt", "Delta"),
        ];
        let prepared = add_read_articles(&then, articles, &mut report).expect("three new");
        assert_eq!(report.added, ["beta", "gamma", "delta"]);

        // Meanwhile: a document took the id "beta", another has Gamma's text.
        let mut now = then.clone();
        now.documents.push(doc("beta", "Another text").into());
        now.documents.push(doc("copy", "Gamma").into());
        let rebased = rebase_import(&now, prepared, &mut report).expect("two still new");
        assert_eq!(report.added, ["beta-2", "delta"]);
        assert_eq!(report.skipped.len(), 1);
        assert!(
            report.skipped[0].contains("\"copy\""),
            "{:?}",
            report.skipped
        );

        crate::edit::apply(&mut now, rebased).expect("the rebased edit applies");
        let ids: Vec<&str> = now.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["alpha", "beta", "copy", "beta-2", "delta"]);
        assert_eq!(now.documents[3].text, "Beta");
        assert_eq!(crate::model::validate::validate(&now), []);
    }

    /// With no change meanwhile the prepared edit is what the app applies,
    /// and making it again gives the same edit.
    #[test]
    fn an_import_made_again_without_a_change_is_the_same() {
        let mut project = Project::new("p");
        project.documents.push(doc("alpha", "Alpha").into());
        let mut first = AddReport::default();
        let articles = vec![read("beta.txt", "Beta"), read("alpha.txt", "Alpha")];
        let prepared = add_read_articles(&project, articles, &mut first).expect("one new");
        let mut again = AddReport::default();
        let rebased = rebase_import(&project, prepared.clone(), &mut again);
        assert_eq!(rebased, Some(prepared));
        assert_eq!(again.added, first.added);
    }
}
