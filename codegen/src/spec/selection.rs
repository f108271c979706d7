//! Endpoint selection: which operations to generate, by operationId or by tag.
//!
//! A selection comes from command-line values (`--select rev-users-scan,tag:works`) or from a
//! small YAML file (`--config spec/select.yaml`). It only names operations; lowering walks from
//! them to the schemas they reach.
//!
//! The file may also list, under `idempotent:`, operations that are idempotent whatever their
//! HTTP method says (a `POST` that only reads): by operationId or, starting with `/`, by path,
//! with `*` matching any run of characters (`*-scan-post`, `/*.scan`).

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::diag::Diagnostic;

/// The operations to generate. Empty means every operation of the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// operationIds to generate.
    pub operations: BTreeSet<String>,
    /// Tags whose operations to generate.
    pub tags: BTreeSet<String>,
    /// Patterns of operationIds, or of paths when they start with `/`, of operations that are
    /// idempotent whatever their method; they select nothing.
    pub idempotent: BTreeSet<String>,
}

/// The selection file: `operations:` and `tags:` lists, both optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SelectionFile {
    #[serde(default)]
    operations: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    idempotent: Vec<String>,
}

impl Selection {
    /// Every operation.
    pub fn all() -> Self {
        Self::default()
    }

    /// Whether this selects every operation.
    pub fn is_all(&self) -> bool {
        self.operations.is_empty() && self.tags.is_empty()
    }

    /// Adds one command-line value: `tag:NAME` selects a tag, anything else an operationId.
    pub fn add(&mut self, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        match value.strip_prefix("tag:") {
            Some(tag) => self.tags.insert(tag.trim().to_owned()),
            None => self.operations.insert(value.to_owned()),
        };
    }

    /// Adds what a selection file (`file`, with contents `text`) lists.
    pub fn add_file(&mut self, file: &str, text: &str) -> Result<(), Diagnostic> {
        let parsed: SelectionFile = if text.trim().is_empty() {
            SelectionFile {
                operations: Vec::new(),
                tags: Vec::new(),
                idempotent: Vec::new(),
            }
        } else {
            serde_yaml::from_str(text).map_err(|err| {
                let mut diagnostic =
                    Diagnostic::file(file, format!("invalid selection file: {}", message(&err)))
                        .help(
                            "expected `operations:`, `tags:` and `idempotent:` lists, for example `tags: [works]`",
                        );
                diagnostic.line = err.location().map(|l| l.line());
                diagnostic
            })?
        };
        self.operations.extend(parsed.operations);
        self.tags.extend(parsed.tags);
        self.idempotent.extend(parsed.idempotent);
        Ok(())
    }

    /// Whether the `idempotent:` list names the operation `id` at `path`.
    pub fn marks_idempotent(&self, id: &str, path: &str) -> bool {
        self.idempotent.iter().any(|pattern| {
            let subject = if pattern.starts_with('/') { path } else { id };
            glob(pattern, subject)
        })
    }

    /// Whether an operation with this id and these tags is selected.
    pub fn selects(&self, operation_id: Option<&str>, tags: &[String]) -> bool {
        self.is_all()
            || operation_id.is_some_and(|id| self.operations.contains(id))
            || tags.iter().any(|tag| self.tags.contains(tag))
    }
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters (none included)
/// and everything else for itself.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// serde_yaml's message without its own position, which the diagnostic carries.
fn message(err: &serde_yaml::Error) -> String {
    let text = err.to_string();
    match text.find(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_files_add_up() {
        let mut selection = Selection::all();
        assert!(selection.is_all());
        selection.add("rev-users-scan");
        selection.add("tag:works");
        selection
            .add_file(
                "select.yaml",
                "operations: [accounts-get]\ntags:\n  - parts\n",
            )
            .unwrap();
        assert!(selection.selects(Some("rev-users-scan"), &[]));
        assert!(selection.selects(Some("accounts-get"), &[]));
        assert!(selection.selects(None, &["parts".to_owned()]));
        assert!(selection.selects(Some("works-get"), &["works".to_owned()]));
        assert!(!selection.selects(Some("works-get"), &["other".to_owned()]));
    }

    #[test]
    fn idempotent_patterns_match_ids_or_paths_and_select_nothing() {
        let mut selection = Selection::all();
        selection
            .add_file(
                "select.yaml",
                "idempotent: ['*-scan-post', '/*.count', 'works-get-post']\n",
            )
            .unwrap();
        assert!(selection.is_all(), "an idempotent list selects nothing");
        assert!(selection.marks_idempotent("rev-users-scan-post", "/rev-users.scan"));
        assert!(selection.marks_idempotent("works-count-post", "/works.count"));
        assert!(selection.marks_idempotent("works-get-post", "/works.get"));
        assert!(!selection.marks_idempotent("works-create", "/works.create"));
        assert!(!selection.marks_idempotent("rev-users-scan-post-x", "/x"));
        assert!(!selection.marks_idempotent("works-get-post2", "/works.get2"));
    }

    #[test]
    fn glob_stars_match_any_run() {
        for (pattern, text, expected) in [
            ("*", "", true),
            ("a*", "a", true),
            ("*a", "ba", true),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "abc", true),
            ("a*a", "a", false),
            ("abc", "abcd", false),
            ("*.scan", "/x.scanner", false),
        ] {
            assert_eq!(glob(pattern, text), expected, "{pattern} ~ {text}");
        }
    }

    #[test]
    fn unknown_keys_are_reported() {
        let err = Selection::all()
            .add_file("select.yaml", "operation: [a]\n")
            .unwrap_err();
        assert!(
            err.message.contains("unknown field `operation`"),
            "{}",
            err.message
        );
        assert_eq!(err.line, Some(1));
    }
}
