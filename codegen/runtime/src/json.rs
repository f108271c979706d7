//! JSON plumbing for the forward-compatible types: string enums that keep unknown values and
//! tagged unions that keep unknown variants.
//!
//! A tagged union captures its object's text, which costs a scan that builds nothing, and decodes
//! the variant from it in one pass when the tag is the first property (as most servers write
//! it): the variant's own visitor reads the rest of the object, with no buffering. A tag
//! elsewhere is found first, from the end of the text when it is the last property, and the
//! variant is decoded after. Unknown tags, and known ones whose fields do not fit their variant,
//! keep the whole object as a `serde_json::Value`.
//!
//! Responses skip the capture: [`from_str`] has the whole text at hand, so its unions read their
//! objects as they come, and the rare response that needs a capture is read again with them.
//!
//! Build cost shapes this code as much as speed: each struct's reading code is generic over the
//! map it reads, so every struct reads through one map type ([`Props`]) and from one reader
//! (serde_json's `&str` one, the kept text of a union included), which compiles it once.

use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StrDeserializer};
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

/// How the tagged unions of the decode under way on this thread read their objects.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Each union captures its object's text, so that a variant that does not fit can be kept
    /// whole: what serde's own entry points (`serde_json::from_str` and the like) get.
    Captured,
    /// Inside [`from_str`]: each union reads its object as it comes, tag first, and gives up on
    /// anything it could only mend from the text. `from_str` then reads the text again.
    One,
    /// A union gave up during a one-pass read: the rest of it is wasted work, cut short.
    GaveUp,
}

thread_local! {
    static PASS: std::cell::Cell<Pass> = const { std::cell::Cell::new(Pass::Captured) };
}

/// Sets the thread's [`Pass`] for as long as it lives, and puts back the one before, even when
/// a decode panics.
struct PassGuard(Pass);

impl PassGuard {
    fn set(pass: Pass) -> Self {
        Self(PASS.replace(pass))
    }
}

impl Drop for PassGuard {
    fn drop(&mut self) {
        PASS.set(self.0);
    }
}

/// Decodes JSON text as `T`, as `serde_json::from_str` does, giving the same value or error,
/// but faster: every tagged union whose tag is its object's first property (the order most
/// servers write) is read in one pass, without capturing its text first.
///
/// Capturing is what lets a union keep an object whose fields do not fit the variant its tag
/// names; in one pass, the text to keep is gone. So a union that meets such an object, or whose
/// tag is not first, gives up, and the whole text is read again the captured way, where every
/// union reads as it always does. That costs a second read of the text only when a union gave
/// up, and the union that gives up cuts the first read short. When none did, every union read
/// its object as a captured read would have, so the first read's value or error is the answer.
///
/// Every response the client decodes goes through here.
pub fn from_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let (one_pass, pass) = {
        let _pass = PassGuard::set(Pass::One);
        (serde_json::from_str(text), PASS.get())
    };
    if pass == Pass::One {
        return one_pass;
    }
    let _pass = PassGuard::set(Pass::Captured);
    serde_json::from_str(text)
}

/// Decodes a tagged union: in one pass inside [`from_str`], else from its captured text.
pub(crate) fn union<'de, D: Deserializer<'de>, T: Tagged>(
    deserializer: D,
    unknown: fn(serde_json::Value) -> T,
) -> Result<T, D::Error> {
    match PASS.get() {
        Pass::Captured => {
            let raw = capture(deserializer)?;
            tagged(&raw, unknown).map_err(de::Error::custom)
        }
        Pass::One => deserializer
            .deserialize_map(Variant::<T>::new(None, None))
            .inspect_err(|_| PASS.set(Pass::GaveUp)),
        Pass::GaveUp => Err(de::Error::custom("the one-pass read gave up")),
    }
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

/// A tagged union's variants, for [`tagged`].
pub(crate) trait Tagged: Sized {
    /// The tag property, such as `type`.
    const PROPERTY: &'static str;

    /// Decodes the variant `tag` names from the object's properties (without the tag when it
    /// was read first); an unknown tag keeps them all, the tag included (through [`unknown`]).
    ///
    /// `raw` is the object's text, for a variant that is not a struct reading the properties
    /// (a union itself, or a struct with the tag among its fields): it is decoded from the text
    /// (through [`reread`]). A one-pass read has no text.
    fn variant<'de, A: MapAccess<'de>>(
        tag: &str,
        map: A,
        raw: Option<&RawValue>,
    ) -> Result<Self, A::Error>;
}

/// Decodes a captured tagged union: in one pass when its tag is its first property, else after
/// finding the tag. An object with no string tag is kept whole by `unknown`, and so is one whose
/// fields do not fit the variant its tag names (a required field missing, a field of another
/// type): the response is never lost.
///
/// An object with a repeated key fails the first decode (serde reports a duplicate field) but is
/// kept, like every `serde_json::Value`, with the last of its values; the variant is tried once
/// more on that, so that the unknown value, once encoded, cannot decode as a known variant.
pub(crate) fn tagged<T: Tagged>(
    raw: &RawValue,
    unknown: fn(serde_json::Value) -> T,
) -> Result<T, serde_json::Error> {
    if starts_with_key(raw.get(), T::PROPERTY) {
        let mut deserializer = serde_json::Deserializer::from_str(raw.get());
        let decoded = deserializer.deserialize_map(Variant::<T>::new(None, Some(raw)));
        if let Ok(value) = decoded.and_then(|value| deserializer.end().map(|()| value)) {
            return Ok(value);
        }
    }
    let Some(tag) = tag(raw, T::PROPERTY)? else {
        return decode(raw).map(unknown);
    };
    let visitor = Variant::<T>::new(Some(&tag), Some(raw));
    if let Ok(value) = serde_json::Deserializer::from_str(raw.get()).deserialize_map(visitor) {
        return Ok(value);
    }
    // The kept value is read again as text, not through its own deserializer, so that the
    // variants are compiled for one deserializer only.
    let kept: serde_json::Value = decode(raw)?;
    let text = RawValue::from_string(serde_json::to_string(&kept)?)?;
    let visitor = Variant::<T>::new(Some(&tag), Some(&text));
    match serde_json::Deserializer::from_str(text.get()).deserialize_map(visitor) {
        Ok(value) => Ok(value),
        Err(_) => Ok(unknown(kept)),
    }
}

/// Decodes a union's variant that is a struct from the properties its map reads.
pub(crate) fn fields<'de, A, T>(map: A) -> Result<T, A::Error>
where
    A: MapAccess<'de>,
    T: Object,
{
    T::visit(map)
}

/// Decodes a union's variant that is a union itself from the object's text: it captures its own
/// text, which a map cannot give. The rest of `map` is skipped, so that the object is read to its
/// end; this variant costs the second pass the others are spared. Without the text (a one-pass
/// read) it fails, for [`from_str`] to read the text again.
pub(crate) fn reread<'de, A, T>(map: A, raw: Option<&RawValue>) -> Result<T, A::Error>
where
    A: MapAccess<'de>,
    T: serde::de::DeserializeOwned,
{
    let raw = raw.ok_or_else(|| de::Error::custom("this variant is read from its text"))?;
    rest(map)?;
    decode(raw).map_err(de::Error::custom)
}

/// Reads the rest of an object, skipping every property: all that reading an object without
/// fields does.
pub(crate) fn rest<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Keeps every property of an object whose tag no variant has: those `map` gives, and the tag
/// `property: tag` when a one-pass read has taken it already.
pub(crate) fn unknown<'de, A: MapAccess<'de>>(
    map: A,
    property: &str,
    tag: &str,
) -> Result<serde_json::Value, A::Error> {
    let mut value: serde_json::Value =
        serde::Deserialize::deserialize(MapAccessDeserializer::new(map))?;
    if let Some(object) = value.as_object_mut() {
        object
            .entry(property)
            .or_insert_with(|| serde_json::Value::String(tag.to_owned()));
    }
    Ok(value)
}

/// Whether `object`'s first key is `key`, written without escapes: the tag-first form.
fn starts_with_key(object: &str, key: &str) -> bool {
    let json_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    object
        .trim_start_matches(json_space)
        .strip_prefix('{')
        .map(|rest| rest.trim_start_matches(json_space))
        .and_then(|rest| rest.strip_prefix('"'))
        .and_then(|rest| rest.strip_prefix(key))
        .is_some_and(|rest| rest.starts_with('"'))
}

/// An object's properties as a struct's fields read them: the deserializer's own map, or, in a
/// tagged union read in one pass, the rest of the map after the tag, where a second tag would be
/// an error.
///
/// Every struct reads its properties through this one type, whether it stands alone, is a field
/// or is a union's variant, so that each struct's reading code is compiled once.
pub(crate) struct Props<A> {
    /// The tag property of a union read in one pass, already read.
    property: Option<&'static str>,
    map: A,
}

impl<A> Props<A> {
    /// The properties of `map` as they come.
    fn new(map: A) -> Self {
        Self {
            property: None,
            map,
        }
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Props<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(property) = self.property else {
            return self.map.next_key_seed(seed);
        };
        let Some(key) = self.map.next_key::<Key<'de>>()? else {
            return Ok(None);
        };
        if key.as_str() == property {
            return Err(de::Error::custom("the tag is given twice"));
        }
        match key.0 {
            std::borrow::Cow::Borrowed(key) => seed.deserialize(BorrowedStrDeserializer::new(key)),
            std::borrow::Cow::Owned(key) => seed.deserialize(StrDeserializer::new(&key)),
        }
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// Reads an object into a variant of `T`: the one `tag` names, read before, or, without a
/// `tag`, the one its first property names, the other properties being handed to the variant
/// (a variant that has the tag among its fields is read from the text instead). Without a tag it
/// fails, for [`tagged`] to try the slower way, on an object whose first property is not a
/// string tag, or that has a second tag property.
struct Variant<'t, T> {
    tag: Option<&'t str>,
    /// The object's text, for a variant that rereads it; none in a one-pass read.
    raw: Option<&'t RawValue>,
    marker: std::marker::PhantomData<T>,
}

impl<'t, T> Variant<'t, T> {
    fn new(tag: Option<&'t str>, raw: Option<&'t RawValue>) -> Self {
        Self {
            tag,
            raw,
            marker: std::marker::PhantomData,
        }
    }
}

impl<'de, T: Tagged> Visitor<'de> for Variant<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        if let Some(tag) = self.tag {
            return T::variant(tag, Props::new(map), self.raw);
        }
        if !map
            .next_key::<Key<'de>>()?
            .is_some_and(|key| key.as_str() == T::PROPERTY)
        {
            return Err(de::Error::custom("the tag is not the first property"));
        }
        let tag: Key<'de> = map.next_value()?;
        let rest = Props {
            property: Some(T::PROPERTY),
            map,
        };
        T::variant(tag.as_str(), rest, self.raw)
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
            T::visit(Props::new(map))
        }
    }

    deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
}

/// An object's key (or a union's tag), borrowed from the input when the input allows it.
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

/// Reads the value of `date-time` property `name` into its slot, like [`field`]: RFC 3339 in the
/// form servers write is read without chrono's general parser (`super::date_time`).
pub(crate) fn date_time<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    super::date_time::Timestamp<T>: serde::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value::<super::date_time::Timestamp<T>>()?.0);
    Ok(())
}

/// Skips the value of a property that is not a field.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Keeps the value of a property that is not a field in an open object's map of the others.
pub(crate) fn other<'de, A, T>(
    map: &mut A,
    others: &mut std::collections::BTreeMap<String, T>,
    key: Key<'de>,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    others.insert(key.into_string(), map.next_value()?);
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

/// A struct being written as a map, field by field, like `fmt::DebugStruct`: the first error is
/// kept and returned by [`Fields::end`], and the writes after it are skipped. Generated
/// `Serialize` impls are plain calls, with no `?` to check per field.
pub(crate) struct Fields<S: Serializer> {
    map: Result<S::SerializeMap, S::Error>,
}

impl<S: Serializer> Fields<S> {
    /// Starts the map.
    pub(crate) fn new(serializer: S) -> Self {
        Self {
            map: serializer.serialize_map(None),
        }
    }

    /// Writes a property that is always present.
    pub(crate) fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if let Ok(map) = &mut self.map {
            if let Err(err) = map.serialize_entry(key, value) {
                self.map = Err(err);
            }
        }
    }

    /// Writes an optional property under `key` when present, not at all when absent.
    pub(crate) fn optional<T: Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(key, value);
        }
    }

    /// An open object's other properties, as they were kept.
    pub(crate) fn others<T: Serialize>(&mut self, others: &std::collections::BTreeMap<String, T>) {
        for (key, value) in others {
            self.field(key, value);
        }
    }

    /// Ends the map, or returns the first error.
    pub(crate) fn end(self) -> Result<S::Ok, S::Error> {
        self.map?.end()
    }
}

#[cfg(test)]
mod tests;
