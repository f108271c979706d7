//! The keyword check: what a schema says that lowering does not read is either a vendor
//! extension, an annotation that does not change the type, or reported.

use crate::diag::Pointer;
use crate::spec::model::Schema;

use super::Lowering;

impl Lowering<'_> {
    pub(super) fn check_keywords(&mut self, schema: &Schema, at: &Pointer) {
        if schema.not.is_some() {
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
            let message = if UNSUPPORTED_KEYWORDS.contains(&key.as_str()) {
                format!("`{key}` is not supported")
            } else {
                format!("unknown schema keyword `{key}`")
            };
            self.error(&at.join(key), message);
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
];

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
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
];
