//! Loading a spec: YAML text into our OpenAPI model. All serde_yaml use lives here.
//!
//! Each component, path and response is converted on its own, so one bad schema does not hide
//! the problems of the others: all diagnostics are collected.

pub mod model;
pub mod selection;
mod value;

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, LineIndex, Pointer, Severity};
use model::{Document, Parameter, PathItem, RequestBody, Response, Schema};

/// A loaded spec: the model plus what is needed to point at places in the file.
#[derive(Debug)]
pub struct Spec {
    /// The file as the user named it.
    pub file: String,
    /// The document root (components and paths are in the maps below).
    pub document: Document,
    /// `components.schemas`, converted.
    pub schemas: BTreeMap<String, Schema>,
    /// `components.responses`, converted.
    pub responses: BTreeMap<String, Response>,
    /// `components.parameters`, converted.
    pub parameters: BTreeMap<String, Parameter>,
    /// `components.requestBodies`, converted.
    pub request_bodies: BTreeMap<String, RequestBody>,
    /// `paths`, converted.
    pub paths: BTreeMap<String, PathItem>,
    /// What the spec says that is read and deliberately left out (such as `webhooks`): notes
    /// for the user, not errors.
    pub notes: Vec<Diagnostic>,
    /// Entries of `paths` and `components` that are not even a path item or component, left
    /// out of the maps above rather than refusing the file (a schema is kept as an empty one,
    /// any JSON value, so that references to it still resolve).
    pub unloaded: Vec<Unloaded>,
    lines: LineIndex,
}

/// An entry of `paths` or `components` that could not be read.
#[derive(Debug)]
pub struct Unloaded {
    /// Why, with where, as a warning.
    pub warning: Diagnostic,
    /// For a path item, the operationIds it declares (left out with it); for a schema, none.
    pub operations: Vec<String>,
    /// Whether it is a schema (typed as any JSON value) rather than a path item or another
    /// component (whose users are left out where they refer to it).
    pub schema: bool,
}

impl Spec {
    /// A diagnostic at `pointer`, with its line when it can be found.
    pub fn diag(&self, pointer: &Pointer, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: self.file.clone(),
            line: self.lines.line_of(pointer),
            pointer: Some(pointer.clone()),
            message: message.into(),
            help: None,
        }
    }
}

impl Spec {
    /// The component schema a local `$ref` names (its name and itself), if there is one; for
    /// lookups that report nothing, where lowering's resolver has reported or will.
    pub fn schema(&self, reference: &str) -> Option<(&String, &Schema)> {
        component(reference, "schemas", &self.schemas)
    }
}

/// The component a local `$ref` names in `components/<section>` (its name and itself), if the
/// reference points there and the component exists.
pub fn component<'a, T>(
    reference: &str,
    section: &str,
    components: &'a BTreeMap<String, T>,
) -> Option<(&'a String, &'a T)> {
    let name = reference
        .strip_prefix("#/components/")?
        .strip_prefix(section)?
        .strip_prefix('/')?;
    components.get_key_value(name)
}

/// Parses `text` (the contents of `file`) into a [`Spec`], or says everything that is wrong.
pub fn load(file: &str, text: &str) -> Result<Spec, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::file(file, "the spec file is empty")
            .help("expected an OpenAPI 3.0 or 3.1 document in YAML or JSON")]);
    }
    let value = match value::parse(text) {
        Ok(value) => value,
        Err(err) => {
            let mut diagnostic =
                Diagnostic::file(file, format!("invalid YAML: {}", strip_location(&err)));
            diagnostic.line = err.location().map(|l| l.line());
            return Err(vec![diagnostic]);
        }
    };
    let serde_yaml::Value::Mapping(_) = value else {
        return Err(vec![Diagnostic::file(
            file,
            format!("the spec is a YAML {}, not a mapping", kind_of(&value)),
        )
        .help(
            "an OpenAPI document starts with keys such as `openapi:`, `info:` and `paths:`",
        )]);
    };
    let lines = LineIndex::new(text);
    let document: Document = match serde_yaml::from_value(value) {
        Ok(document) => document,
        Err(err) => {
            return Err(vec![Diagnostic::file(
                file,
                format!("not an OpenAPI document: {}", strip_location(&err)),
            )])
        }
    };
    let mut spec = Spec {
        file: file.to_owned(),
        document,
        schemas: BTreeMap::new(),
        responses: BTreeMap::new(),
        parameters: BTreeMap::new(),
        request_bodies: BTreeMap::new(),
        paths: BTreeMap::new(),
        notes: Vec::new(),
        unloaded: Vec::new(),
        lines,
    };
    let mut diagnostics = Vec::new();
    if spec.document.swagger.is_some() {
        diagnostics.push(
            spec.diag(
                &Pointer::root().join("swagger"),
                "Swagger 2.0 documents are not supported",
            )
            .help("convert it to OpenAPI 3.0 first, for example with swagger2openapi"),
        );
        return Err(diagnostics);
    }
    match spec.document.openapi.as_deref() {
        Some(version) if supported_version(version) => {}
        Some(version) => diagnostics.push(
            spec.diag(
                &Pointer::root().join("openapi"),
                format!("OpenAPI {version} is not supported"),
            )
            .help("this generator reads OpenAPI 3.0.x and 3.1.x"),
        ),
        None => diagnostics.push(
            Diagnostic::file(
                file,
                "no `openapi` version key: this is not an OpenAPI 3.0 or 3.1 document",
            )
            .help("add `openapi: 3.1.0` (or the 3.0.x version it follows) at the top"),
        ),
    }
    if spec.document.webhooks.is_some() {
        let note = spec
            .diag(
                &Pointer::root().join("webhooks"),
                "`webhooks` are ignored: they describe requests the API sends, not ones a client makes",
            )
            .help("the component schemas they use are generated like any other");
        spec.notes.push(note);
    }
    let components = Pointer::root().join("components");
    let schemas = std::mem::take(&mut spec.document.components.schemas);
    spec.schemas = convert_all(
        &mut spec,
        schemas,
        &components.join("schemas"),
        Some(Schema::default),
    );
    for (name, schema) in &mut spec.schemas {
        schema.resolve_recursive_refs(name);
    }
    let responses = std::mem::take(&mut spec.document.components.responses);
    spec.responses = convert_all(&mut spec, responses, &components.join("responses"), None);
    let parameters = std::mem::take(&mut spec.document.components.parameters);
    spec.parameters = convert_all(&mut spec, parameters, &components.join("parameters"), None);
    let request_bodies = std::mem::take(&mut spec.document.components.request_bodies);
    spec.request_bodies = convert_all(
        &mut spec,
        request_bodies,
        &components.join("requestBodies"),
        None,
    );
    let paths = std::mem::take(&mut spec.document.paths);
    spec.paths = convert_all(&mut spec, paths, &Pointer::root().join("paths"), None);
    if diagnostics.is_empty() {
        Ok(spec)
    } else {
        Err(diagnostics)
    }
}

/// OpenAPI 3.0.x and 3.1.x: their differences are in the schemas, which the model reads both ways.
fn supported_version(version: &str) -> bool {
    ["3.0", "3.1"]
        .iter()
        .any(|minor| version == *minor || version.starts_with(&format!("{minor}.")))
}

/// Converts each entry of a map on its own; one that does not convert is left out of the map,
/// or replaced by `placeholder` where there is one, and recorded in [`Spec::unloaded`], so one
/// bad entry costs only its own place.
fn convert_all<T: serde::de::DeserializeOwned>(
    spec: &mut Spec,
    values: BTreeMap<String, serde_yaml::Value>,
    at: &Pointer,
    placeholder: Option<fn() -> T>,
) -> BTreeMap<String, T> {
    let mut out = BTreeMap::new();
    for (name, value) in values {
        let operations = match at.as_str() {
            "#/paths" => operation_ids(&value),
            _ => Vec::new(),
        };
        match serde_yaml::from_value(value) {
            Ok(converted) => {
                out.insert(name, converted);
            }
            Err(err) => {
                let mut warning = spec.diag(&at.join(&name), strip_location(&err));
                warning.severity = Severity::Warning;
                spec.unloaded.push(Unloaded {
                    warning,
                    operations,
                    schema: placeholder.is_some(),
                });
                if let Some(placeholder) = placeholder {
                    out.insert(name, placeholder());
                }
            }
        }
    }
    out
}

/// The operationIds a path item declares, read from its YAML, for reporting them left out
/// (nothing, for what is not a path item).
fn operation_ids(value: &serde_yaml::Value) -> Vec<String> {
    let Some(item) = value.as_mapping() else {
        return Vec::new();
    };
    item.values()
        .filter_map(|operation| operation.get("operationId")?.as_str())
        .map(str::to_owned)
        .collect()
}

/// serde_yaml's message without its own "at line N column M" suffix, which we report apart.
pub(crate) fn strip_location(err: &serde_yaml::Error) -> String {
    let message = err.to_string();
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

fn kind_of(value: &serde_yaml::Value) -> &'static str {
    match value {
        serde_yaml::Value::Null => "null",
        serde_yaml::Value::Bool(_) => "boolean",
        serde_yaml::Value::Number(_) => "number",
        serde_yaml::Value::String(_) => "string",
        serde_yaml::Value::Sequence(_) => "sequence",
        serde_yaml::Value::Mapping(_) => "mapping",
        serde_yaml::Value::Tagged(_) => "tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::load;

    #[test]
    fn openapi_3_1_loads_and_webhooks_are_a_note() {
        let text =
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  ping:\n    post: {}\n";
        let spec = load("spec.yaml", text).expect("3.1 loads");
        let [note] = &spec.notes[..] else {
            panic!("one note: {:?}", spec.notes)
        };
        assert!(note.message.starts_with("`webhooks` are ignored"), "{note}");
        assert_eq!(note.line, Some(3));
    }

    #[test]
    fn other_versions_are_refused_where_they_stand() {
        for version in ["2.0", "3.2.0", "3.10"] {
            let text = format!("openapi: '{version}'\ninfo: {{title: t, version: '1'}}\n");
            let diagnostics = load("spec.yaml", &text).expect_err(version);
            assert_eq!(
                diagnostics[0].message,
                format!("OpenAPI {version} is not supported")
            );
        }
    }
}
