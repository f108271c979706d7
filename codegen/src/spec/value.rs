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
///
/// A JSON document (the largest real specs are JSON) is read by serde_json, several times
/// faster than the YAML parser, into the same value through the same visitor. Anything it does
/// not take (YAML written in braces, a duplicate key, nesting deeper than its limit) goes to the
/// YAML parser, which gives every error, with its line.
pub(super) fn parse(text: &str) -> Result<Value, serde_yaml::Error> {
    parse_json(text).map_or_else(|| parse_yaml(text), Ok)
}

/// `text` as JSON (after a byte-order mark, which serde_json does not skip), if it is a JSON
/// object that the visitor takes whole.
fn parse_json(text: &str) -> Option<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.trim_start().starts_with('{') {
        return None;
    }
    let mut json = serde_json::Deserializer::from_str(text);
    let Loose(value) = Loose::deserialize(&mut json).ok()?;
    json.end().ok()?;
    Some(value)
}

fn parse_yaml(text: &str) -> Result<Value, serde_yaml::Error> {
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
    use super::{parse, parse_json, parse_yaml};
    use serde_yaml::Value;

    #[test]
    fn json_reads_as_the_yaml_parser_reads_it() {
        let json = r#" {"openapi": "3.1.0", "paths": {"/a\/b": {"get": {"responses":
            {"200": {"description": "caf\u00e9 \"ok\"\n", "x-n": [1, -2, 3.5, 1e3, null, true,
            18446744073709551615, -9223372036854776000, 340282366920938463463374607431768211455]}}}}},
            "components": {}, "": [[], {}]} "#;
        // A byte-order mark first, as editors on Windows write it, takes the JSON way too.
        for text in [json.to_owned(), format!("\u{feff}{json}")] {
            let read = parse_json(&text).expect("serde_json reads it");
            assert_eq!(read, parse_yaml(&text).unwrap());
            assert_eq!(parse(&text).unwrap(), read);
        }
    }

    #[test]
    fn what_json_does_not_take_goes_to_the_yaml_parser() {
        // YAML in braces.
        let braces = "{openapi: 3.0.3, info: {title: t}}";
        assert_eq!(parse_json(braces), None);
        assert_eq!(parse(braces).unwrap()["info"]["title"], Value::from("t"));
        // A duplicate key: the YAML parser's error, with its line.
        let duplicate = "{\"a\": 1,\n \"a\": 2}";
        assert_eq!(parse_json(duplicate), None);
        let err = parse(duplicate).unwrap_err();
        assert!(err.to_string().contains("duplicate"), "{err}");
        assert!(err.location().is_some());
        // Text after the document.
        assert_eq!(parse_json("{\"a\": 1} trailing"), None);
        assert!(parse("{\"a\": 1} trailing").is_err());
        // Nesting deeper than serde_json's limit: the YAML parser's error (it has a limit too).
        let deep = format!("{{\"a\": {}1{}}}", "[".repeat(200), "]".repeat(200));
        assert_eq!(parse_json(&deep), None);
        assert_eq!(
            parse(&deep).unwrap_err().to_string(),
            parse_yaml(&deep).unwrap_err().to_string()
        );
    }

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
