//! Reading YAML (or JSON) text into a `serde_yaml::Value` the way an OpenAPI document means it.
//!
//! Two things real files contain that `serde_yaml::Value` refuses or keeps apart:
//! - integers outside 64 bits (`minimum: -9223372036854776000`): serde_yaml hands them over as
//!   `i128`, which its `Value` does not take. They only ever stand in annotations and examples,
//!   so they become the nearest floating-point number, as a JSON parser reads them;
//! - mapping keys that are not strings (`200:` unquoted under `responses`): an OpenAPI document
//!   is JSON's data model, whose object keys are strings, so scalar keys become their text.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Number, Value};

/// Parses `text` as one YAML document.
pub(super) fn parse(text: &str) -> Result<Value, serde_yaml::Error> {
    Loose::deserialize(serde_yaml::Deserializer::from_str(text)).map(|loose| loose.0)
}

/// A YAML value read with the two allowances above.
struct Loose(Value);

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor).map(Loose)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Value, E> {
        Ok(Value::Number(match i64::try_from(value) {
            Ok(small) => small.into(),
            // The nearest float is what the value is closest to in JSON's number model.
            #[allow(clippy::cast_precision_loss)]
            Err(_) => Number::from(value as f64),
        }))
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Value, E> {
        Ok(Value::Number(match u64::try_from(value) {
            Ok(small) => small.into(),
            #[allow(clippy::cast_precision_loss)]
            Err(_) => Number::from(value as f64),
        }))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Loose::deserialize(deserializer).map(|loose| loose.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Loose(value)) = seq.next_element()? {
            values.push(value);
        }
        Ok(Value::Sequence(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut mapping = Mapping::new();
        while let Some(Loose(key)) = map.next_key()? {
            let key = match key {
                Value::Number(number) => Value::String(number.to_string()),
                Value::Bool(flag) => Value::String(flag.to_string()),
                other => other,
            };
            if mapping.contains_key(&key) {
                let shown = match &key {
                    Value::String(text) => text.clone(),
                    other => format!("{other:?}"),
                };
                return Err(de::Error::custom(format!(
                    "duplicate entry with key `{shown}`"
                )));
            }
            let Loose(value) = map.next_value()?;
            mapping.insert(key, value);
        }
        Ok(Value::Mapping(mapping))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use de::VariantAccess;
        let (tag, contents) = data.variant::<String>()?;
        let Loose(value) = contents.newtype_variant()?;
        if tag.is_empty() {
            return Ok(value);
        }
        Ok(Value::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use serde_yaml::Value;

    #[test]
    fn integers_wider_than_64_bits_become_floats() {
        let value = parse("minimum: -9223372036854776000\nmaximum: 340282366920938463463374607431768211455\nsmall: -3\n").unwrap();
        assert_eq!(value["minimum"].as_f64(), Some(-9.223372036854776e18));
        assert_eq!(value["maximum"].as_f64(), Some(3.402823669209385e38));
        assert_eq!(value["small"].as_i64(), Some(-3));
    }

    #[test]
    fn scalar_keys_become_strings() {
        let value = parse("responses:\n  200: {description: ok}\n  true: yes\n").unwrap();
        assert_eq!(value["responses"]["200"]["description"], Value::from("ok"));
        assert_eq!(value["responses"]["true"], Value::from("yes"));
    }

    #[test]
    fn duplicate_keys_are_refused_also_after_conversion() {
        let err = parse("a:\n  200: x\n  '200': y\n").unwrap_err();
        assert!(
            err.to_string().contains("duplicate entry with key `200`"),
            "{err}"
        );
        assert!(err.location().is_some());
    }
}
