//! Checks that the hand-written fragment `spec/rev-users-scan.yaml` says exactly what DevRev's
//! reference description says about the two operations of `/rev-users.scan` and the components they
//! reach, so that code generated from the fragment is code the whole reference would also produce.
//!
//! The fragment is free to order keys and schemas differently and to carry comments: both files are
//! parsed into `serde_json::Value` and compared as data. The reference is parsed once per test binary.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde_json::Value;

const REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/reference/devrev-openapi-public.yaml"
);
const FRAGMENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/rev-users-scan.yaml");

const PATH: &str = "/rev-users.scan";
const METHODS: [&str; 2] = ["get", "post"];
const RESPONSES: [&str; 7] = [
    "bad-request",
    "unauthorized",
    "forbidden",
    "not-found",
    "too-many-requests",
    "internal-server-error",
    "service-unavailable",
];

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("cannot parse {path}: {e}"))
}

fn reference() -> &'static Value {
    static REFERENCE_VALUE: OnceLock<Value> = OnceLock::new();
    REFERENCE_VALUE.get_or_init(|| load(REFERENCE))
}

fn fragment() -> &'static Value {
    static FRAGMENT_VALUE: OnceLock<Value> = OnceLock::new();
    FRAGMENT_VALUE.get_or_init(|| load(FRAGMENT))
}

/// Escapes one reference token of a JSON Pointer (RFC 6901): `~` first, then `/`.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn pointer(tokens: &[&str]) -> String {
    tokens.iter().map(|t| format!("/{}", escape(t))).collect()
}

fn at<'a>(document: &'a Value, tokens: &[&str]) -> Option<&'a Value> {
    document.pointer(&pointer(tokens))
}

fn object<'a>(document: &'a Value, tokens: &[&str]) -> &'a serde_json::Map<String, Value> {
    at(document, tokens)
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("the document has no object at {}", pointer(tokens)))
}

/// The first place where two values differ, as a JSON Pointer relative to them, with the value on
/// each side (`None` where one side has no such member or element). Object members are visited in
/// sorted key order so the answer does not depend on the order of keys in either file.
fn first_difference<'a>(
    left: &'a Value,
    right: &'a Value,
) -> Option<(String, Option<&'a Value>, Option<&'a Value>)> {
    match (left, right) {
        (Value::Object(l), Value::Object(r)) => {
            let keys: BTreeSet<&String> = l.keys().chain(r.keys()).collect();
            keys.into_iter().find_map(|key| {
                let here = format!("/{}", escape(key));
                match (l.get(key), r.get(key)) {
                    (Some(a), Some(b)) => first_difference(a, b).map(|(p, a, b)| (here + &p, a, b)),
                    (a, b) => Some((here, a, b)),
                }
            })
        }
        (Value::Array(l), Value::Array(r)) => (0..l.len().max(r.len())).find_map(|i| {
            let here = format!("/{i}");
            match (l.get(i), r.get(i)) {
                (Some(a), Some(b)) => first_difference(a, b).map(|(p, a, b)| (here + &p, a, b)),
                (a, b) => Some((here, a, b)),
            }
        }),
        _ if left == right => None,
        _ => Some((String::new(), Some(left), Some(right))),
    }
}

fn show(value: Option<&Value>) -> String {
    const LIMIT: usize = 200;
    let Some(value) = value else {
        return "nothing".to_owned();
    };
    let text = value.to_string();
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// Compares the value at `tokens` in `mine` (the fragment) and `theirs` (the reference). A
/// difference is described, not panicked on, so that one run reports every disagreement.
fn compare_in(
    mine: &Value,
    theirs: &Value,
    label: &str,
    tokens: &[&str],
    failures: &mut Vec<String>,
) {
    let base = pointer(tokens);
    match (at(mine, tokens), at(theirs, tokens)) {
        (Some(mine), Some(theirs)) => {
            if let Some((rest, mine, theirs)) = first_difference(mine, theirs) {
                failures.push(format!(
                    "{label} differs from the reference at {base}{rest}: the fragment has {}, the reference has {}",
                    show(mine),
                    show(theirs),
                ));
            }
        }
        (None, _) => failures.push(format!("{label}: the fragment has nothing at {base}")),
        (_, None) => failures.push(format!("{label}: the reference has nothing at {base}")),
    }
}

fn compare(label: &str, tokens: &[&str], failures: &mut Vec<String>) {
    compare_in(fragment(), reference(), label, tokens, failures);
}

fn assert_no_failures(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every reference in `value`: each `$ref`, and each discriminator mapping target (a bare schema
/// name there is short for `#/components/schemas/<name>`).
fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            if let Some(Value::String(target)) = members.get("$ref") {
                refs.push(target.clone());
            }
            if let Some(Value::Object(mapping)) =
                members.get("discriminator").and_then(|d| d.get("mapping"))
            {
                for target in mapping.values().filter_map(Value::as_str) {
                    refs.push(if target.starts_with('#') {
                        target.to_owned()
                    } else {
                        format!("#/components/schemas/{}", escape(target))
                    });
                }
            }
            members.values().for_each(|v| collect_refs(v, refs));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}

/// Follows every reference from `paths` through the fragment; returns what was reached and the
/// references that do not resolve inside the fragment.
fn reachable_from_paths() -> (BTreeSet<String>, Vec<String>) {
    let mut pending = Vec::new();
    collect_refs(&fragment()["paths"], &mut pending);
    let mut reached = BTreeSet::new();
    let mut unresolved = Vec::new();
    while let Some(target) = pending.pop() {
        if !reached.insert(target.clone()) {
            continue;
        }
        match target.strip_prefix('#').and_then(|p| fragment().pointer(p)) {
            Some(found) => collect_refs(found, &mut pending),
            None => unresolved.push(target),
        }
    }
    (reached, unresolved)
}

fn names_under(reached: &BTreeSet<String>, prefix: &str) -> BTreeSet<String> {
    reached
        .iter()
        .filter_map(|r| r.strip_prefix(prefix))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_fragment_declares_91_schemas_and_7_responses() {
    let schemas = object(fragment(), &["components", "schemas"]);
    let responses = object(fragment(), &["components", "responses"]);
    assert_eq!(schemas.len(), 91, "number of schemas in {FRAGMENT}");
    assert_eq!(responses.len(), 7, "number of responses in {FRAGMENT}");
    let names: BTreeSet<&str> = responses.keys().map(String::as_str).collect();
    assert_eq!(names, RESPONSES.into_iter().collect());
}

#[test]
fn every_schema_equals_the_reference() {
    let mut failures = Vec::new();
    for name in object(fragment(), &["components", "schemas"]).keys() {
        if at(reference(), &["components", "schemas", name]).is_none() {
            failures.push(format!("schema `{name}` is not in the reference"));
            continue;
        }
        let label = format!("schema `{name}`");
        compare(&label, &["components", "schemas", name], &mut failures);
    }
    assert_no_failures(&failures);
}

#[test]
fn the_schemas_are_exactly_those_the_operations_reach() {
    // Walking the fragment rather than the reference also proves the fragment is self-contained.
    let (reached, unresolved) = reachable_from_paths();
    let mut failures: Vec<String> = unresolved
        .iter()
        .map(|r| format!("`{r}` does not resolve inside the fragment"))
        .collect();
    for (kind, prefix) in [
        ("schemas", "#/components/schemas/"),
        ("responses", "#/components/responses/"),
    ] {
        let reachable = names_under(&reached, prefix);
        let declared: BTreeSet<String> = object(fragment(), &["components", kind])
            .keys()
            .cloned()
            .collect();
        for extra in declared.difference(&reachable) {
            failures.push(format!(
                "components.{kind}.{extra} is not reached from the operations"
            ));
        }
        for missing in reachable.difference(&declared) {
            failures.push(format!(
                "components.{kind}.{missing} is reached but not declared"
            ));
        }
    }
    let other: Vec<&String> = reached
        .iter()
        .filter(|r| {
            !r.starts_with("#/components/schemas/") && !r.starts_with("#/components/responses/")
        })
        .collect();
    if !other.is_empty() {
        failures.push(format!(
            "references to neither a schema nor a response: {other:?}"
        ));
    }
    assert_no_failures(&failures);
}

#[test]
fn every_ref_in_the_fragment_resolves_inside_it() {
    let mut refs = Vec::new();
    collect_refs(fragment(), &mut refs);
    assert!(!refs.is_empty(), "the fragment has no references at all");
    let unresolved: BTreeSet<&String> = refs
        .iter()
        .filter(|r| {
            r.strip_prefix('#')
                .and_then(|p| fragment().pointer(p))
                .is_none()
        })
        .collect();
    assert!(
        unresolved.is_empty(),
        "references that do not resolve inside the fragment: {unresolved:?}"
    );
}

#[test]
fn the_responses_equal_the_reference() {
    let mut failures = Vec::new();
    for name in RESPONSES {
        let label = format!("response `{name}`");
        compare(&label, &["components", "responses", name], &mut failures);
    }
    assert_no_failures(&failures);
}

#[test]
fn both_operations_equal_the_reference() {
    let paths: Vec<&String> = object(fragment(), &["paths"]).keys().collect();
    assert_eq!(paths, [PATH], "the fragment describes one path");
    let methods: BTreeSet<&str> = object(fragment(), &["paths", PATH])
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        methods,
        METHODS.into_iter().collect(),
        "the operations of {PATH}"
    );
    let mut failures = Vec::new();
    for method in METHODS {
        let label = format!("operation {} {PATH}", method.to_uppercase());
        compare(&label, &["paths", PATH, method], &mut failures);
    }
    assert_no_failures(&failures);
}

#[test]
fn the_security_and_servers_equal_the_reference() {
    let mut failures = Vec::new();
    // `info.description` is left out: the fragment may say there that it is only a fragment.
    for tokens in [
        &["openapi"][..],
        &["info", "title"],
        &["info", "version"],
        &["servers"],
        &["security"],
        &["components", "securitySchemes"],
    ] {
        compare(&tokens.join("."), tokens, &mut failures);
    }
    assert_no_failures(&failures);
}

#[test]
fn first_difference_names_the_pointer_and_both_values() {
    let left: Value = serde_json::json!({"a": {"b/c": [1, 2, {"d": "x"}]}, "e": true});
    let mut right = left.clone();
    right["a"]["b/c"][2]["d"] = Value::from("y");
    let (at, l, r) = first_difference(&left, &right).expect("a difference");
    assert_eq!(
        (at.as_str(), l, r),
        (
            "/a/b~1c/2/d",
            Some(&Value::from("x")),
            Some(&Value::from("y"))
        )
    );

    right = left.clone();
    right["a"]["b/c"].as_array_mut().unwrap().pop();
    let (at, l, r) = first_difference(&left, &right).expect("a difference");
    assert_eq!((at.as_str(), r), ("/a/b~1c/2", None));
    assert!(l.is_some());

    right = left.clone();
    right.as_object_mut().unwrap().remove("e");
    assert_eq!(
        first_difference(&left, &right),
        Some(("/e".to_owned(), Some(&Value::Bool(true)), None))
    );
    assert_eq!(first_difference(&left, &left.clone()), None);
}
