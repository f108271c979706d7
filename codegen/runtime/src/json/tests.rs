//! Tests of `json`: not copied into generated crates.

mod object_tests {
    use std::collections::BTreeMap;

    use super::super::{field, object, optional, other, required, Fields, Key, Object};

    /// What the generator writes for an open object with each kind of field.
    #[derive(Debug, PartialEq)]
    struct Sample {
        id: String,
        note: Option<String>,
        bio: Option<Option<String>>,
        owner: Option<String>,
        additional_properties: BTreeMap<String, serde_json::Value>,
    }

    impl<'de> serde::Deserialize<'de> for Sample {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            object(deserializer)
        }
    }

    impl Object for Sample {
        const NAME: &'static str = "sample";

        fn visit<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let (mut id, mut note, mut bio, mut owner) = (None, None, None, None);
            let mut additional_properties = BTreeMap::new();
            while let Some(key) = map.next_key::<Key<'de>>()? {
                match key.as_str() {
                    "id" => field(&mut map, &mut id, "id"),
                    "note" => field(&mut map, &mut note, "note"),
                    "bio" => field(&mut map, &mut bio, "bio"),
                    "owner" => field(&mut map, &mut owner, "owner"),
                    _ => other(&mut map, &mut additional_properties, key),
                }?;
            }
            Ok(Self {
                id: required(id, "id")?,
                note: optional(note),
                bio,
                owner: optional(owner),
                additional_properties,
            })
        }
    }

    impl serde::Serialize for Sample {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut fields = Fields::new(serializer);
            fields.field("id", &self.id);
            fields.optional("note", &self.note);
            fields.optional("bio", &self.bio);
            fields.optional("owner", &self.owner);
            fields.others(&self.additional_properties);
            fields.end()
        }
    }

    fn decode(text: &str) -> Result<Sample, serde_json::Error> {
        serde_json::from_str(text)
    }

    #[test]
    fn absent_null_and_values_stay_apart() {
        let absent = decode(r#"{"id":"a"}"#).unwrap();
        assert_eq!((absent.note, absent.bio, absent.owner), (None, None, None));
        let null = decode(r#"{"id":"a","note":null,"bio":null,"owner":null}"#).unwrap();
        assert_eq!((null.note, null.bio, null.owner), (None, Some(None), None));
        let set = decode(r#"{"id":"a","note":"n","bio":"b","owner":"o"}"#).unwrap();
        assert_eq!(set.bio, Some(Some("b".to_owned())));
        assert_eq!(set.owner.as_deref(), Some("o"));
    }

    #[test]
    fn other_properties_are_kept_and_escaped_keys_read() {
        let sample = decode(r#"{"i\u0064":"a","extra":[1],"x":{"y":null}}"#).unwrap();
        assert_eq!(sample.id, "a");
        assert_eq!(sample.additional_properties.len(), 2);
        assert_eq!(
            sample.additional_properties["extra"],
            serde_json::json!([1])
        );
        let from_value: Sample =
            serde_json::from_value(serde_json::json!({"id": "v", "k": true})).unwrap();
        assert_eq!(
            from_value.additional_properties["k"],
            serde_json::json!(true)
        );
    }

    #[test]
    fn absent_fields_are_left_out_and_the_rest_written_back() {
        for text in [
            r#"{"id":"a"}"#,
            r#"{"id":"a","bio":null}"#,
            r#"{"id":"a","note":"n","bio":"b","owner":"o","x":[1,{"y":null}]}"#,
        ] {
            let sample = decode(text).unwrap();
            assert_eq!(serde_json::to_string(&sample).unwrap(), text);
        }
    }

    /// A value whose encoding fails.
    struct Refused;

    impl serde::Serialize for Refused {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("refused"))
        }
    }

    #[test]
    fn the_first_write_error_ends_the_map_and_nothing_is_written_after_it() {
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut out);
        let mut fields = Fields::new(&mut serializer);
        fields.field("a", &1);
        fields.field("b", &Refused);
        fields.field("c", &3);
        fields.optional("d", &Some(4));
        let err = fields.end().unwrap_err();
        assert_eq!(err.to_string(), "refused");
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"a":1,"b":"#);
    }

    #[test]
    fn errors_match_the_derive() {
        let missing = decode(r#"{"note":"n"}"#).unwrap_err().to_string();
        assert!(missing.contains("missing field `id`"), "{missing}");
        let repeated = decode(r#"{"id":"a","id":"b"}"#).unwrap_err().to_string();
        assert!(repeated.contains("duplicate field `id`"), "{repeated}");
        let wrong = decode(r#"["a"]"#).unwrap_err().to_string();
        assert!(wrong.contains("a `sample` object"), "{wrong}");
    }
}

mod tag_tests {
    use serde_json::value::RawValue;

    use super::super::{last_entry_tag, tag};

    fn read(json: &str) -> Option<String> {
        let raw = RawValue::from_string(json.to_owned()).unwrap();
        tag(&raw, "type").unwrap().map(|tag| tag.into_owned())
    }

    #[test]
    fn a_last_tag_is_read_from_the_end() {
        for json in [
            r#"{"id":"a","type":"dev_user"}"#,
            r#"{ "id" : "a" , "type" : "dev_user" }"#,
            "{\"nested\":{\"type\":\"x\"},\n  \"type\":\"dev_user\"\n}",
            r#"{"type":"rev_user","id":"a","type":"dev_user"}"#,
        ] {
            assert_eq!(last_entry_tag(json, "type"), Some("dev_user"), "{json}");
            assert_eq!(read(json).as_deref(), Some("dev_user"), "{json}");
        }
    }

    #[test]
    fn anything_else_is_read_from_the_start() {
        for (json, expected) in [
            (r#"{"type":"dev_user","id":"a"}"#, Some("dev_user")),
            (r#"{"type":"a\"b"}"#, Some("a\"b")),
            (r#"{"type":"a\\"}"#, Some("a\\")),
            (r#"{"t\u0079pe":"dev_user"}"#, Some("dev_user")),
            (r#"{"type":"dev_user","type":1}"#, None),
            (r#"{"id":{"type":"dev_user"}}"#, None),
            (r#"{"id":"\"type\":\"dev_user\""}"#, None),
            (r#"{"id":"type"}"#, None),
            ("{}", None),
        ] {
            assert_eq!(last_entry_tag(json, "type"), None, "{json}");
            assert_eq!(read(json).as_deref(), expected, "{json}");
        }
    }

    #[test]
    fn a_value_that_is_not_an_object_has_no_tag() {
        assert_eq!(read(r#"["type","x"]"#), None);
        assert_eq!(read(r#""type""#), None);
    }
}

mod pass_tests {
    use super::super::{from_str, Pass, PassGuard, PASS};

    #[test]
    fn the_pass_before_is_back_after_a_read_and_after_a_panic() {
        assert!(PASS.get() == Pass::Captured);
        let value: serde_json::Value = from_str(r#"{"a": [1, {"b": null}]}"#).expect("JSON");
        assert_eq!(value["a"][1]["b"], serde_json::Value::Null);
        assert!(PASS.get() == Pass::Captured);
        assert!(from_str::<serde_json::Value>("{").is_err());
        assert!(PASS.get() == Pass::Captured);
        let panicked = std::panic::catch_unwind(|| {
            let _pass = PassGuard::set(Pass::One);
            panic!("inside a one-pass read");
        });
        assert!(panicked.is_err());
        assert!(PASS.get() == Pass::Captured);
    }
}
