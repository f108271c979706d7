//! Enums: a schema's `enum` (or `const`) values into an enum that keeps unknown values.
//!
//! What kind of enum is decided by `type`, or when there is none by the values themselves:
//! strings and integers become open enums; booleans and other numbers stay `bool` and `f64`,
//! which already hold every value (an enum of `true` alone is a `bool` that is documented so);
//! values of several kinds stay JSON.

use std::collections::BTreeSet;

use serde_yaml::Value;

use crate::diag::Pointer;
use crate::ir::{IntEnum, IntVariant, StringEnum, Type, Variant};
use crate::names::{self, Namespace};
use crate::spec::model::Schema;

use super::Lowering;

/// The name of the variant that keeps a value the spec does not list.
const UNKNOWN: &str = "Unknown";

/// What an enum's values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EnumForm {
    /// Text: an open string enum.
    String,
    /// Integers: an open integer enum.
    Integer,
    /// Anything else, typed as the plain type that holds every listed value.
    Plain(PlainEnum),
}

/// The plain type of an enum that gets no enum of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PlainEnum {
    Bool,
    F64,
    Json,
}

impl PlainEnum {
    pub(super) fn ty(self) -> Type {
        match self {
            PlainEnum::Bool => Type::Bool,
            PlainEnum::F64 => Type::F64,
            PlainEnum::Json => Type::Json,
        }
    }
}

/// The form of an enum schema: its `type`'s, or when it has none, the one kind all its values
/// (`null` aside) share.
pub(super) fn enum_form(schema: &Schema, values: &[Value]) -> EnumForm {
    let by_type = match schema.kind.as_deref() {
        Some("string") => Some(EnumForm::String),
        Some("integer") => Some(EnumForm::Integer),
        Some("boolean") => Some(EnumForm::Plain(PlainEnum::Bool)),
        Some("number") => Some(EnumForm::Plain(PlainEnum::F64)),
        Some(_) => Some(EnumForm::Plain(PlainEnum::Json)),
        None => None,
    };
    if let Some(form) = by_type {
        return form;
    }
    let kinds: BTreeSet<&str> = values
        .iter()
        .filter_map(|value| match value {
            Value::Null => None,
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => Some("other"),
        })
        .collect();
    match kinds.into_iter().collect::<Vec<_>>()[..] {
        [] | ["string"] => EnumForm::String,
        ["integer"] => EnumForm::Integer,
        ["boolean"] => EnumForm::Plain(PlainEnum::Bool),
        ["integer", "number"] | ["number"] => EnumForm::Plain(PlainEnum::F64),
        _ => EnumForm::Plain(PlainEnum::Json),
    }
}

impl Lowering<'_> {
    /// An open string enum of `values`, each with where it stands; `null` is left to the place
    /// the value stands, and a value listed twice is one variant.
    pub(super) fn string_enum<'v>(
        &mut self,
        values: impl IntoIterator<Item = (&'v Value, Pointer)>,
    ) -> StringEnum {
        let mut variants = Vec::new();
        let mut seen = Namespace::with_reserved([UNKNOWN]);
        let mut wires = BTreeSet::new();
        for (value, at) in values {
            let wire = match value {
                Value::String(text) => text.clone(),
                Value::Null => continue,
                _ => {
                    self.error(&at, "a string enum value is not a string");
                    continue;
                }
            };
            if !wires.insert(wire.clone()) {
                continue;
            }
            let name = seen.unique(names::bare(&names::type_name(&wire)), "");
            variants.push(Variant { name, wire });
        }
        StringEnum {
            variants,
            unknown: UNKNOWN.to_owned(),
        }
    }

    /// An open integer enum of the `enum` values of the schema at `at`.
    pub(super) fn int_enum(&mut self, values: &[Value], at: &Pointer) -> IntEnum {
        let mut variants = Vec::new();
        let mut seen = Namespace::with_reserved([UNKNOWN]);
        let mut known = BTreeSet::new();
        for (index, value) in values.iter().enumerate() {
            let number = match value {
                Value::Number(number) => number.as_i64(),
                Value::Null => continue,
                _ => None,
            };
            let Some(number) = number else {
                self.error(
                    &at.join("enum").join(index),
                    "an integer enum value is not an integer of 64 bits",
                );
                continue;
            };
            if !known.insert(number) {
                continue;
            }
            let candidate = if number < 0 {
                format!("Minus{}", number.unsigned_abs())
            } else {
                format!("V{number}")
            };
            let name = seen.unique(names::bare(&names::type_name(&candidate)), "");
            variants.push(IntVariant {
                name,
                value: number,
            });
        }
        IntEnum {
            variants,
            unknown: UNKNOWN.to_owned(),
        }
    }
}
