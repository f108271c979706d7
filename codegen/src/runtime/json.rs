//! JSON plumbing for the forward-compatible types: string enums that keep unknown values and
//! tagged unions that keep unknown variants.
//!
//! A tagged union is decoded in two cheap passes over the object's bytes instead of serde's
//! internally-tagged buffering: the first reads only the tag, the second decodes the chosen
//! variant. Unknown tags keep the whole object as a `serde_json::Value`.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Error as _, SerializeMap, Serializer};
use serde::Serialize;
use serde_json::value::RawValue;

/// Reads a string enum's wire value without allocating for borrowed input.
pub(crate) fn deserialize_str_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct StrVisitor<T>(std::marker::PhantomData<T>);

    impl<T: for<'a> From<&'a str>> Visitor<'_> for StrVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }
    }

    deserializer.deserialize_str(StrVisitor(std::marker::PhantomData))
}

/// Captures a union's JSON text so it can be read twice.
pub(crate) fn capture<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Box<RawValue>, D::Error> {
    serde::Deserialize::deserialize(deserializer)
}

/// Decodes a captured union (or its variant) from its text.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    raw: &RawValue,
) -> Result<T, serde_json::Error> {
    serde_json::from_str(raw.get())
}

/// Decodes a known variant, or keeps the object as unknown when its fields do not fit the
/// variant (a required field missing, a field of another type): the response is never lost.
pub(crate) fn variant<T, U>(
    raw: &RawValue,
    known: fn(T) -> U,
    unknown: fn(serde_json::Value) -> U,
) -> Result<U, serde_json::Error>
where
    T: serde::de::DeserializeOwned,
{
    match decode(raw) {
        Ok(value) => Ok(known(value)),
        Err(_) => decode(raw).map(unknown),
    }
}

/// The string value of `property` in the captured object, if it is an object with that key
/// holding a string. Every other value is skipped without being built.
pub(crate) fn tag(raw: &RawValue, property: &str) -> Result<Option<String>, serde_json::Error> {
    if !raw.get().trim_start().starts_with('{') {
        return Ok(None);
    }
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    deserializer.deserialize_map(TagVisitor { property })
}

struct TagVisitor<'p> {
    property: &'p str,
}

impl<'de> Visitor<'de> for TagVisitor<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(is_tag) = map.next_key_seed(KeyIs(self.property))? {
            if is_tag && found.is_none() {
                found = match map.next_value::<serde_json::Value>()? {
                    serde_json::Value::String(tag) => Some(tag),
                    _ => None,
                };
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Compares a map key with the tag property without allocating.
struct KeyIs<'p>(&'p str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

/// Writes a tagged union: the variant's fields, the union's shared fields (`head`), and the tag.
///
/// `tag` is `None` for an unknown variant, whose kept object already holds its tag.
pub(crate) fn serialize_tagged<S, H, V>(
    serializer: S,
    property: &str,
    tag: Option<&str>,
    head: Option<&H>,
    body: &V,
) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    H: Serialize,
    V: Serialize,
{
    let body = serde_json::to_value(body).map_err(S::Error::custom)?;
    let serde_json::Value::Object(mut fields) = body else {
        // An unknown variant that is not even an object is written back as it came.
        return body.serialize(serializer);
    };
    if let Some(head) = head {
        match serde_json::to_value(head).map_err(S::Error::custom)? {
            serde_json::Value::Object(head) => fields.extend(head),
            _ => {
                return Err(S::Error::custom(
                    "a union's shared fields must form an object",
                ))
            }
        }
    }
    if let Some(tag) = tag {
        fields.insert(
            property.to_owned(),
            serde_json::Value::String(tag.to_owned()),
        );
    }
    let mut map = serializer.serialize_map(Some(fields.len()))?;
    for (key, value) in &fields {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

/// Reads a property that may be absent, `null` or a value into `Option<Option<T>>`: absent is
/// the outer `None` (through `#[serde(default)]`), `null` is `Some(None)`.
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}
