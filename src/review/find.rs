//! Find across a project: every occurrence of a query, case-folded or not,
//! as exact code-point ranges. Pure; the app's find bar and tests use it.

/// Every occurrence of `query` in every document, as code-point ranges.
pub fn find_all(
    project: &crate::model::Project,
    query: &str,
    match_case: bool,
) -> Vec<(String, usize, usize)> {
    let mut hits = Vec::new();
    for doc in &project.documents {
        for (start, end) in find_in(&doc.text, query, match_case) {
            hits.push((doc.id.clone(), start, end));
        }
    }
    hits
}

/// Every occurrence of `query` in `text`, as code-point ranges in text
/// order; case-folded unless `match_case`.
pub fn find_in(text: &str, query: &str, match_case: bool) -> Vec<(usize, usize)> {
    let mut hits = Vec::new();
    if query.is_empty() {
        return hits;
    }
    let fold = |text: &str| -> (String, Vec<usize>) {
        // The searched text with each character case-folded, and where each
        // original character starts in it, so that hits map back to exact
        // code-point offsets even when folding changes lengths ("İ", "ẞ").
        let mut folded = String::with_capacity(text.len());
        let mut starts = Vec::with_capacity(text.len() + 1);
        for c in text.chars() {
            starts.push(folded.len());
            if match_case {
                folded.push(c);
            } else {
                folded.extend(c.to_lowercase());
            }
        }
        starts.push(folded.len());
        (folded, starts)
    };
    let (needle, _) = fold(query);
    let (haystack, starts) = fold(text);
    for (byte, matched) in haystack.match_indices(&needle) {
        // Only hits that begin and end on whole original characters.
        if let (Ok(start), Ok(end)) = (
            starts.binary_search(&byte),
            starts.binary_search(&(byte + matched.len())),
        ) {
            hits.push((start, end));
        }
    }
    hits
}
