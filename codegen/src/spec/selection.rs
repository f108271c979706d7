//! Endpoint selection: which operations to generate, by operationId or by tag.
//!
//! A selection comes from command-line values (`--select rev-users-scan,tag:works`) or from a
//! small YAML file (`--config spec/select.yaml`). It only names operations; lowering walks from
//! them to the schemas they reach.

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
}

/// The selection file: `operations:` and `tags:` lists, both optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SelectionFile {
    #[serde(default)]
    operations: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
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
            }
        } else {
            serde_yaml::from_str(text).map_err(|err| {
                let mut diagnostic =
                    Diagnostic::file(file, format!("invalid selection file: {}", message(&err)))
                        .help(
                            "expected `operations:` and `tags:` lists, for example `tags: [works]`",
                        );
                diagnostic.line = err.location().map(|l| l.line());
                diagnostic
            })?
        };
        self.operations.extend(parsed.operations);
        self.tags.extend(parsed.tags);
        Ok(())
    }

    /// Whether an operation with this id and these tags is selected.
    pub fn selects(&self, operation_id: Option<&str>, tags: &[String]) -> bool {
        self.is_all()
            || operation_id.is_some_and(|id| self.operations.contains(id))
            || tags.iter().any(|tag| self.tags.contains(tag))
    }
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
