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

/// A string enum's value that this version of the crate does not know, as it came.
///
/// It can be read but not made: only decoding (or `From<&str>` of the enum, which maps known
/// values to their variants) creates one, so a known value can never be built as unknown and
/// compare unequal to its variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    /// Keeps `value`; the caller has checked that no variant has it.
    pub(crate) fn new(value: &str) -> Self {
        Self(value.into())
    }

    /// The value as it is on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An integer enum's value that this version of the crate does not know, kept as it came.
///
/// Opaque for the same reason as [`UnknownValue`]: only decoding (or `From<i64>`, which maps
/// known values to their variants) creates one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownInt(i64);

impl UnknownInt {
    /// Keeps `value`; the caller has checked that no variant has it.
    pub(crate) fn new(value: i64) -> Self {
        Self(value)
    }

    /// The value as it is on the wire.
    pub fn value(&self) -> i64 {
        self.0
    }
}

impl fmt::Display for UnknownInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

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
///
/// An object with a repeated key fails the first decode (serde reports a duplicate field) but is
/// kept, like every `serde_json::Value`, with the last of its values; the variant is tried once
/// more on that, so that the unknown value, once encoded, cannot decode as a known variant.
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
        Err(_) => {
            let kept: serde_json::Value = decode(raw)?;
            match <T as serde::Deserialize>::deserialize(&kept) {
                Ok(value) => Ok(known(value)),
                Err(_) => Ok(unknown(kept)),
            }
        }
    }
}

/// The string value of `property` in the captured object, if it is an object with that key
/// holding a string. Every other value is skipped without being built.
///
/// A key given more than once counts with its last value, as in `serde_json::Value`, which keeps
/// unknown variants: the tag read here is then always the tag the kept object has.
/// The fast path borrows the tag from the text; the slow one owns it.
pub(crate) fn tag<'r>(
    raw: &'r RawValue,
    property: &str,
) -> Result<Option<std::borrow::Cow<'r, str>>, serde_json::Error> {
    if !raw.get().trim_start().starts_with('{') {
        return Ok(None);
    }
    if let Some(tag) = last_entry_tag(raw.get(), property) {
        return Ok(Some(tag.into()));
    }
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    Ok(deserializer
        .deserialize_map(TagVisitor { property })?
        .map(Into::into))
}

/// The tag read from the end of the object, without a pass over it, when the object's last
/// property is `property` with a string value and neither has a backslash. APIs that write keys
/// in order put `type` last (it sorts after most names), and reading an object a second time just
/// for its tag is about a fifth of decoding a page of users.
/// The answer is exact: the last value of a repeated key is the one that counts.
///
/// `object` is a whole, valid JSON object, so the last value ends just before its closing brace,
/// and a quote that no backslash precedes is the start or end of a string.
fn last_entry_tag<'a>(object: &'a str, property: &str) -> Option<&'a str> {
    let bytes = object.trim_end().as_bytes();
    let brace = bytes.len().checked_sub(1).filter(|&i| bytes[i] == b'}')?;
    let (value, value_start) = string_before(bytes, brace)?;
    let colon = last_non_space(bytes, value_start)?;
    if bytes[colon] != b':' {
        return None;
    }
    let (key, _) = string_before(bytes, colon)?;
    if key != property.as_bytes() {
        return None;
    }
    std::str::from_utf8(value).ok()
}

/// The index of the last byte before `end` that is not JSON whitespace.
fn last_non_space(bytes: &[u8], end: usize) -> Option<usize> {
    bytes[..end]
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// The contents and opening quote of the string that ends just before `end` (whitespace aside),
/// if it has no backslash: with one, only a forward read can tell where the string starts.
fn string_before(bytes: &[u8], end: usize) -> Option<(&[u8], usize)> {
    let close = last_non_space(bytes, end)?;
    if bytes[close] != b'"' {
        return None;
    }
    let open = bytes[..close]
        .iter()
        .rposition(|&b| b == b'"' || b == b'\\')?;
    if bytes[open] != b'"' || open.checked_sub(1).is_some_and(|i| bytes[i] == b'\\') {
        return None;
    }
    Some((&bytes[open + 1..close], open))
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
            if is_tag {
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

/// A struct that generated code decodes from a JSON object, property by property.
///
/// Generated structs implement this instead of deriving `Deserialize`: the derive writes a field
/// enum, its visitor and a sequence visitor per struct, several times the code of the one loop
/// below, and with a thousand schemas that code is most of a crate's compile time. The loop keeps
/// the derive's rules: unknown properties are skipped, a repeated one is an error, a missing
/// required one is serde's `missing field` error.
pub(crate) trait Object: Sized {
    /// The schema's name, for error messages.
    const NAME: &'static str;

    /// Reads the object's properties.
    fn visit<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Decodes an [`Object`]; the body of each generated struct's `Deserialize` impl.
pub(crate) fn object<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(std::marker::PhantomData<T>);

    impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a `{}` object", T::NAME)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::visit(map)
        }
    }

    deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
}

/// An object's key, borrowed from the input when the input allows it.
pub(crate) struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string, for the map of an open object's other properties.
    pub(crate) fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads the value of property `name` into its slot; a second value for it is an error.
pub(crate) fn field<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A required property's value, or serde's `missing field` error.
pub(crate) fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// An optional property's value: absent and `null` are both `None`.
pub(crate) fn optional<T>(slot: Option<Option<T>>) -> Option<T> {
    slot.flatten()
}

#[cfg(test)]
mod tests;
