//! Rust names from wire names: the only place that uses heck.
//!
//! Every name the IR holds was made here, so casing and keyword escapes are decided once.

use std::collections::BTreeSet;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers as they are: Rust's keywords (strict and reserved).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either; they get a trailing underscore.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Escapes a cased name: a keyword becomes a raw identifier (`r#type`), a leading digit gets a
/// leading underscore or letter, an empty name gets a placeholder.
fn escape(name: String, fallback: &str) -> String {
    if name.is_empty() {
        return fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("{fallback}{name}");
    }
    if NOT_RAW.contains(&name.as_str()) {
        return format!("{name}_");
    }
    if KEYWORDS.contains(&name.as_str()) {
        return format!("r#{name}");
    }
    name
}

/// Keeps letters and digits; everything else separates words.
fn words(wire: &str) -> String {
    wire.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A type or variant name: `rev-users-scan-request` becomes `RevUsersScanRequest`.
pub fn type_name(wire: &str) -> String {
    escape(words(wire).to_upper_camel_case(), "Value")
}

/// A field, function or module name: `created_date.after` becomes `created_date_after`.
pub fn value_name(wire: &str) -> String {
    escape(words(wire).to_snake_case(), "value")
}

/// A cargo feature name: `Rev Users` becomes `rev-users`. Feature names start with a letter
/// here, so a tag that starts with a digit gets a `tag-` prefix.
pub fn feature_name(wire: &str) -> String {
    let name = words(wire).to_kebab_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("tag-{name}").trim_end_matches('-').to_owned()
    } else {
        name
    }
}

/// The name without a raw-identifier prefix, for building longer names from it.
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The names handed out in one Rust namespace (a module's types, a struct's fields, ...).
///
/// A name that is already taken gets the first free numeric suffix, so collisions after case
/// conversion resolve the same way on every run as long as names are asked for in the same order.
#[derive(Debug, Clone, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A namespace where `reserved` are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            taken: reserved.into_iter().map(|n| bare(n).to_owned()).collect(),
        }
    }

    /// Whether `name` (with or without `r#`) is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(bare(name))
    }

    /// Takes `name` as it is, whether or not it was free.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(bare(name).to_owned());
    }

    /// `candidate` if free, else `candidate2`, `candidate3`, ...; `separator` goes before the
    /// number (`_` for snake case names). A raw identifier keeps its `r#` only when unsuffixed.
    pub fn unique(&mut self, candidate: &str, separator: &str) -> String {
        let base = bare(candidate);
        if self.taken.insert(base.to_owned()) {
            return candidate.to_owned();
        }
        let mut n = 2;
        loop {
            let name = format!("{base}{separator}{n}");
            if self.taken.insert(name.clone()) {
                return name;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_and_escapes() {
        assert_eq!(type_name("rev-users-scan-request"), "RevUsersScanRequest");
        assert_eq!(type_name("dev_user"), "DevUser");
        assert_eq!(value_name("created_date.after"), "created_date_after");
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(value_name("2fa"), "value2fa");
        assert_eq!(type_name("404"), "Value404");
        assert_eq!(feature_name("Rev Users"), "rev-users");
        assert_eq!(feature_name("snap_kit.execution"), "snap-kit-execution");
        assert_eq!(feature_name("2fa"), "tag-2fa");
        assert_eq!(feature_name("---"), "tag");
        assert_eq!(value_name("---"), "value");
        assert_eq!(bare("r#type"), "type");
    }

    #[test]
    fn namespaces_suffix_collisions() {
        let mut names = Namespace::with_reserved(["String"]);
        assert_eq!(names.unique("String", ""), "String2");
        assert_eq!(names.unique("FooBar", ""), "FooBar");
        assert_eq!(names.unique("FooBar", ""), "FooBar2");
        assert_eq!(names.unique("r#type", "_"), "r#type");
        assert_eq!(names.unique("r#type", "_"), "type_2");
        assert!(names.contains("type"));
    }
}
