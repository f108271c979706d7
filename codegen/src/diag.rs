//! Spec locations and diagnostics: what went wrong, where (file, line, JSON Pointer), and how to
//! fix it. Every stage reports through here; rendering is plain text for terminals and snapshots.

use std::fmt;

/// A place in the spec: a JSON Pointer such as `#/components/schemas/rev-user/allOf/1`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Self("#".to_owned())
    }

    /// This pointer with one more segment, escaped per RFC 6901.
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        /// Writes what it is given with `~` and `/` escaped.
        struct Escaping<'a>(&'a mut String);

        impl fmt::Write for Escaping<'_> {
            fn write_str(&mut self, text: &str) -> fmt::Result {
                for c in text.chars() {
                    match c {
                        '~' => self.0.push_str("~0"),
                        '/' => self.0.push_str("~1"),
                        c => self.0.push(c),
                    }
                }
                Ok(())
            }
        }

        // Lowering joins a pointer for every schema and property it visits: one allocation,
        // not four.
        let mut joined = String::with_capacity(self.0.len() + 24);
        joined.push_str(&self.0);
        joined.push('/');
        fmt::Write::write_fmt(&mut Escaping(&mut joined), format_args!("{segment}"))
            .expect("writing to a String cannot fail");
        Self(joined)
    }

    /// The unescaped segments after `#`.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
    }

    /// The pointer as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Nothing is generated.
    #[default]
    Error,
    /// The place it names is left out of the crate (an operation) or typed loosely (a schema as
    /// `serde_json::Value`); the rest is generated. `--strict` makes it an error.
    Warning,
    /// Something the spec says that is read and deliberately left out, such as `webhooks`.
    Note,
}

/// One problem found in the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Whether it stops generation.
    pub severity: Severity,
    /// The spec file as the user named it.
    pub file: String,
    /// The line in the file, 1-based, where known.
    pub line: Option<usize>,
    /// Where in the document, where known.
    pub pointer: Option<Pointer>,
    /// What is wrong: lowercase, no trailing period.
    pub message: String,
    /// How to fix it, where we can say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic about the file as a whole.
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.to_owned(),
            line: None,
            pointer: None,
            message: message.into(),
            help: None,
        }
    }

    /// Adds a hint on how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        writeln!(f, "{label}: {}", self.message)?;
        write!(f, "  --> {}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(pointer) = &self.pointer {
            write!(f, " at {pointer}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// All the diagnostics of one run, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}\n")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{} in the spec", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// Finds the line of a JSON Pointer in block-style YAML by following keys down the indentation.
///
/// serde_yaml keeps no positions for values, so this reads the text itself. It is exact for the
/// block style specs are written in and answers `None` rather than guess for flow style.
#[derive(Debug)]
pub struct LineIndex {
    lines: Vec<(usize, String)>,
}

impl LineIndex {
    /// Indexes `text` by line: each line's indentation and content.
    pub fn new(text: &str) -> Self {
        let lines = text
            .lines()
            .map(|line| {
                let content = line.trim_start();
                (line.len() - content.len(), content.to_owned())
            })
            .collect();
        Self { lines }
    }

    /// The 1-based line where `pointer` (or the nearest ancestor that can be found) starts.
    pub fn line_of(&self, pointer: &Pointer) -> Option<usize> {
        let mut start = 0;
        let mut parent_indent: Option<usize> = None;
        let mut found = None;
        for segment in pointer.segments() {
            // The nearest ancestor found is still worth reporting.
            let Some((line, indent)) = self.find_child(start, parent_indent, &segment) else {
                break;
            };
            found = Some(line + 1);
            start = line + 1;
            parent_indent = Some(indent);
        }
        found
    }

    /// The line of `segment` (a key, or an array index) among the children of the line before
    /// `start`: the lines indented like the first one after it.
    fn find_child(
        &self,
        start: usize,
        parent: Option<usize>,
        segment: &str,
    ) -> Option<(usize, usize)> {
        let index: Option<usize> = segment.parse().ok();
        let mut seen_items = 0;
        let mut child_indent = None;
        for (n, (indent, content)) in self.lines.iter().enumerate().skip(start) {
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let is_item = content.starts_with("- ") || content == "-";
            if parent.is_some_and(|p| *indent < p || (*indent == p && !is_item)) {
                return None;
            }
            let level = *child_indent.get_or_insert(*indent);
            if *indent < level {
                return None;
            }
            if *indent > level {
                continue;
            }
            if let Some(index) = index {
                if is_item {
                    if seen_items == index {
                        return Some((n, indent + 1));
                    }
                    seen_items += 1;
                }
                continue;
            }
            let key = content.trim_start_matches("- ");
            let key_indent = indent + (content.len() - key.len());
            for quoted in [
                segment.to_owned(),
                format!("\"{segment}\""),
                format!("'{segment}'"),
            ] {
                if key
                    .strip_prefix(quoted.as_str())
                    .is_some_and(|rest| rest.starts_with(':'))
                {
                    return Some((n, key_indent));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::Pointer;

    #[test]
    fn joined_segments_are_escaped_and_read_back() {
        let pointer = Pointer::root().join("paths").join("/a~b/{id}").join(3);
        assert_eq!(pointer.as_str(), "#/paths/~1a~0b~1{id}/3");
        assert_eq!(
            pointer.segments().collect::<Vec<_>>(),
            ["paths", "/a~b/{id}", "3"]
        );
        assert_eq!(Pointer::root().join("").as_str(), "#/");
    }
}
