use serde::Deserialize;

use super::*;

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Page {
    users: Vec<User>,
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct User {
    id: String,
    age: Option<u32>,
    tags: Option<Vec<String>>,
    address: Option<Address>,
    #[serde(default)]
    extra: std::collections::BTreeMap<String, u32>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Address {
    city: String,
    lines: Vec<String>,
}

/// The path `at` finds, and the one a path-tracking decode of the same text finds.
fn both(text: &str) -> (String, String) {
    let error = serde_json::from_str::<Page>(text).expect_err(text);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let tracked = serde_path_to_error::deserialize::<_, Page>(&mut deserializer)
        .expect_err(text)
        .path()
        .to_string();
    (at(text, &error), tracked)
}

/// Documents that fail to decode as a `Page` in every way a server's body can: wrong types of
/// scalars, arrays and objects, missing fields at each depth, escaped keys, nothing at all.
const BAD: &[&str] = &[
    r#"{"users": [{"id": 1}]}"#,
    r#"{"users": [{"id": "a"}, {"id": "b", "age": "old"}]}"#,
    r#"{"users": [{"id": "a", "age": -1}]}"#,
    r#"{"users": [{"id": "a", "tags": ["x", 2]}]}"#,
    r#"{"users": [{"id": "a", "tags": "x"}]}"#,
    r#"{"users": [{"id": "a", "address": {"lines": []}}]}"#,
    r#"{"users": [{"id": "a", "address": {"city": "c", "lines": [1]}}]}"#,
    r#"{"users": [{"id": "a", "address": []}]}"#,
    r#"{"users": [{"age": 3}]}"#,
    r#"{"users": [{"id": "a"}, {"id": "b"}, {"tags": []}]}"#,
    r#"{"users": [{"id": "a", "extra": {"k\"ey": "v"}}]}"#,
    r#"{"users": [{"id": "a", "extra": {"k\u00e9y,[": true}}]}"#,
    r#"{"users": [{"id": "a, b]", "age": {}}]}"#,
    r#"{"users": {}}"#,
    r#"{"users": [], "next": 5}"#,
    r#"{"next": "n"}"#,
    r#"[]"#,
    r#"42"#,
    r#"{"users": [{"id": "a"}"#,
    r#"{"users": [{"id": "a", "age": 1e400}]}"#,
];

#[test]
fn the_path_is_the_one_a_path_tracking_decode_finds() {
    for text in BAD {
        let (found, tracked) = both(text);
        assert_eq!(found, tracked, "{text}");
    }
}

#[test]
fn the_path_is_found_in_text_over_many_lines() {
    for text in BAD {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
            continue;
        };
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let (found, tracked) = both(&pretty);
        assert_eq!(found, tracked, "{pretty}");
    }
}

#[test]
fn examples_read_as_expected() {
    assert_eq!(
        both(r#"{"users": [{"id": "a"}, {"age": 1}]}"#).0,
        "users[1]"
    );
    assert_eq!(
        both(r#"{"users": [{"id": "a", "address": {"city": 7}}]}"#).0,
        "users[0].address.city"
    );
    assert_eq!(both("[]").0, ".");
}

/// Every value of a valid page replaced, one at a time, by each kind of JSON value: wherever the
/// decode fails, both find the same path, compact and pretty-printed.
#[test]
fn every_replaced_value_is_found_where_a_path_tracking_decode_finds_it() {
    let page = serde_json::json!({
        "users": [
            {"id": "a", "age": 3, "tags": ["x", "y"], "extra": {"k": 1}},
            {"id": "b", "address": {"city": "c", "lines": ["l1", "l2"]}}
        ],
        "next": "n"
    });
    fn pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    pointers(value, format!("{at}/{key}"), out);
                }
            }
            serde_json::Value::Array(items) => {
                for (index, value) in items.iter().enumerate() {
                    pointers(value, format!("{at}/{index}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }
    let mut all = Vec::new();
    pointers(&page, String::new(), &mut all);
    let replacements = [
        serde_json::json!(1),
        serde_json::json!(-1.5),
        serde_json::json!("s"),
        serde_json::json!([]),
        serde_json::json!([1]),
        serde_json::json!({}),
        serde_json::json!({"id": 1}),
        serde_json::json!(null),
        serde_json::json!(true),
    ];
    let mut failures = 0;
    for pointer in all.iter().filter(|p| !p.is_empty()) {
        for replacement in &replacements {
            let mut bad = page.clone();
            *bad.pointer_mut(pointer).unwrap() = replacement.clone();
            for text in [bad.to_string(), serde_json::to_string_pretty(&bad).unwrap()] {
                if serde_json::from_str::<Page>(&text).is_ok() {
                    continue;
                }
                failures += 1;
                let (found, tracked) = both(&text);
                assert_eq!(found, tracked, "{pointer} = {replacement}:\n{text}");
            }
        }
    }
    assert!(failures > 100, "only {failures} documents failed to decode");
}
