//! Enums: a schema's `enum` values into an enum that keeps unknown values.

use crate::diag::Pointer;
use crate::ir::{StringEnum, Variant};
use crate::names::{self, Namespace};

use super::Lowering;

impl Lowering<'_> {
    pub(super) fn string_enum(&mut self, values: &[serde_yaml::Value], at: &Pointer) -> StringEnum {
        let mut variants = Vec::new();
        let mut seen = Namespace::with_reserved(["Unknown"]);
        for (index, value) in values.iter().enumerate() {
            let wire = match value {
                serde_yaml::Value::String(text) => text.clone(),
                serde_yaml::Value::Null => continue,
                _ => {
                    self.error(
                        &at.join("enum").join(index),
                        "a string enum value is not a string",
                    );
                    continue;
                }
            };
            let name = seen.unique(names::bare(&names::type_name(&wire)), "");
            variants.push(Variant { name, wire });
        }
        StringEnum {
            variants,
            unknown: "Unknown".to_owned(),
        }
    }
}
