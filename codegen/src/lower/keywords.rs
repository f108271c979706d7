//! The keyword check: what a schema says that lowering does not read is either a vendor
//! extension, an annotation that does not change the type, or reported.

use crate::diag::{Diagnostic, Pointer, Severity};
use crate::spec::model::Schema;

use super::Lowering;

impl Lowering<'_> {
    pub(super) fn check_keywords(&mut self, schema: &Schema, at: &Pointer) {
        if schema
            .not
            .as_deref()
            .is_some_and(|not| !constrains_presence_only(not))
        {
            self.error(&at.join("not"), "`not` is not supported");
        }
        if schema.prefix_items.is_some() && schema.kind.as_deref() != Some("array") {
            self.error(
                &at.join("prefixItems"),
                "`prefixItems` without `type: array`",
            );
        }
        if schema.type_list.as_ref().is_some_and(Vec::is_empty) {
            self.error(&at.join("type"), "`type` is an empty list");
        }
        if schema.never {
            self.error(at, "the schema `false` allows no value");
        }
        for key in schema.other.keys() {
            if key.starts_with("x-") || IGNORED_KEYWORDS.contains(&key.as_str()) {
                continue;
            }
            if UNSUPPORTED_KEYWORDS.contains(&key.as_str()) {
                self.error(&at.join(key), format!("`{key}` is not supported"));
                continue;
            }
            // JSON Schema reads a keyword it does not define as an annotation, so the type
            // stands; the note is there in case it is a misspelt one that does change it.
            let note = self
                .spec
                .diag(
                    &at.join(key),
                    format!("unknown schema keyword `{key}` is ignored"),
                )
                .help("JSON Schema treats keywords it does not define as annotations; check the spelling");
            self.diagnostics.push(Diagnostic {
                severity: Severity::Note,
                ..note
            });
        }
    }
}

/// Keywords that only annotate a schema: read and ignored.
pub(super) const IGNORED_KEYWORDS: &[&str] = &[
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "pattern",
    "uniqueItems",
    "externalDocs",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minProperties",
    "maxProperties",
    "xml",
    // JSON Schema 2020-12 (OpenAPI 3.1) annotations.
    "$comment",
    "$schema",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    // Constraints on what a string (here an object's keys) may be, like `pattern`.
    "propertyNames",
    // Names for a place in the document; only the references to them change meaning, and those
    // are reported (or, `$recursiveRef: "#"`, resolved when loading).
    "$anchor",
    "$dynamicAnchor",
    "$recursiveAnchor",
];

/// Whether a schema only says which properties must be present (`required`): under `not` it
/// rules out some combinations of fields, which changes no type.
fn constrains_presence_only(schema: &Schema) -> bool {
    schema.kind.is_none()
        && schema.reference.is_none()
        && schema.properties.is_empty()
        && schema.enumeration.is_none()
        && schema.items.is_none()
        && schema.all_of.is_none()
        && schema.one_of.is_none()
        && schema.any_of.is_none()
        && schema.not.is_none()
        && schema.type_list.is_none()
        && schema.additional_properties.is_none()
        && schema
            .other
            .keys()
            .all(|key| key.starts_with("x-") || key == "description")
}

/// JSON Schema 2020-12 keywords (OpenAPI 3.1) that change what a value may be in ways a Rust type
/// does not express: reported as not supported rather than as unknown.
const UNSUPPORTED_KEYWORDS: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "patternProperties",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "$id",
    "$dynamicRef",
    "$recursiveRef",
];
