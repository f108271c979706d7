//! Property tests: every generated type round-trips through JSON that follows its schema.
//!
//! The JSON is generated from the fragment spec itself (read as plain JSON values, independent of
//! the generator): objects with their required and a random choice of optional properties,
//! string enums with known and unknown values, discriminated unions with known, unknown and
//! missing tags, RFC 3339 date-times with offsets and fractions, the edges of int32 and int64,
//! and unknown extra properties. Each case is decoded into the Rust type and encoded again:
//!
//! - decoding the re-encoded JSON gives the same value, and
//! - the re-encoded JSON is the input less what a struct does not keep (unknown properties,
//!   `null` for an absent optional property) and with instants in chrono's UTC notation; an
//!   object kept whole as an unknown union variant, and an unknown enum value, come back exactly.
//!
//! A generated case is a [`Sample`]: the JSON sent and the JSON expected back.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::sync::OnceLock;

use devrev_client::chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};
use devrev_client::types;
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

const SPEC: &str = include_str!("../../../spec/rev-users-scan.yaml");

/// Cases for each type the issue names; `every_schema_round_trips` runs a sixteenth as many for
/// every schema of the fragment.
const CASES: u32 = 256;

/// How deep schemas may nest before optional properties and arrays are left out; the fragment
/// has no cycles, so this only guards against one being added.
const MAX_DEPTH: usize = 12;

/// One generated case: what is sent, and what re-encoding the decoded value must give.
#[derive(Clone, Debug)]
struct Sample {
    input: Value,
    expected: Value,
}

impl Sample {
    /// A value that comes back exactly as it went.
    fn same(value: Value) -> Self {
        Self {
            input: value.clone(),
            expected: value,
        }
    }
}

/// The properties of one JSON object as generated so far.
#[derive(Clone, Debug, Default)]
struct Fields {
    input: Map<String, Value>,
    expected: Map<String, Value>,
    /// Whether a union at this object kept it whole (unknown or missing tag): then the whole
    /// object, extras and all, comes back exactly as it was sent.
    kept_whole: bool,
}

impl Fields {
    fn merge(mut self, other: Fields) -> Fields {
        self.input.extend(other.input);
        self.expected.extend(other.expected);
        self.kept_whole |= other.kept_whole;
        self
    }
}

/// An object schema with its `allOf` parts merged: every property, which are required, and the
/// discriminated union (`oneOf` + `discriminator`) if there is one.
#[derive(Debug, Default)]
struct Shape {
    properties: BTreeMap<String, Value>,
    required: BTreeSet<String>,
    union: Option<Union>,
}

#[derive(Debug)]
struct Union {
    property: String,
    /// Tag to variant schema (a `$ref`).
    variants: BTreeMap<String, Value>,
}

/// `components.schemas` of the fragment, as JSON values.
fn schemas() -> &'static Map<String, Value> {
    static SCHEMAS: OnceLock<Map<String, Value>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let spec: Value = serde_yaml::from_str(SPEC).expect("the fragment spec is YAML");
        spec["components"]["schemas"]
            .as_object()
            .expect("the spec has component schemas")
            .clone()
    })
}

/// Follows `$ref`s to the schema itself.
fn resolve(schema: &Value) -> &Value {
    let mut schema = schema;
    for _ in 0..32 {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return schema;
        };
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unsupported $ref {reference}"));
        schema = &schemas()[name];
    }
    panic!("a $ref cycle at {schema}")
}

fn shape(schema: &Value) -> Shape {
    let schema = resolve(schema);
    let mut shape = Shape::default();
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let part = self::shape(part);
        shape.properties.extend(part.properties);
        shape.required.extend(part.required);
        if part.union.is_some() {
            assert!(shape.union.is_none(), "two unions in one allOf");
            shape.union = part.union;
        }
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            shape.properties.insert(name.clone(), property.clone());
        }
    }
    for name in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        shape
            .required
            .insert(name.as_str().expect("a property name").to_owned());
    }
    if let Some(discriminator) = schema.get("discriminator") {
        let property = discriminator["propertyName"].as_str().unwrap().to_owned();
        let variants = discriminator["mapping"]
            .as_object()
            .expect("a discriminator mapping")
            .iter()
            .map(|(tag, target)| (tag.clone(), serde_json::json!({ "$ref": target })))
            .collect();
        shape.union = Some(Union { property, variants });
    } else {
        assert!(
            schema.get("oneOf").is_none(),
            "a oneOf without a discriminator is not covered here"
        );
    }
    shape
}

fn is_object(schema: &Value) -> bool {
    let schema = resolve(schema);
    ["allOf", "oneOf", "properties", "discriminator"]
        .iter()
        .any(|key| schema.get(key).is_some())
        || schema.get("type").and_then(Value::as_str) == Some("object")
}

// --- Strategies --------------------------------------------------------------------------------

/// JSON following `schema`.
fn sample(schema: &Value, depth: usize) -> BoxedStrategy<Sample> {
    assert!(depth < 64, "schemas nest too deep: a required cycle?");
    if is_object(schema) {
        return object(&shape(schema), depth);
    }
    let schema = resolve(schema);
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let known: Vec<String> = values
            .iter()
            .map(|v| v.as_str().expect("string enums only").to_owned())
            .collect();
        return string_enum(known);
    }
    let format = schema.get("format").and_then(Value::as_str);
    match (schema.get("type").and_then(Value::as_str), format) {
        (Some("string"), Some("date-time")) => date_time(),
        (Some("string"), _) => text().prop_map(|s| Sample::same(Value::String(s))).boxed(),
        (Some("integer"), Some("int32")) => prop_oneof![
            Just(i32::MIN),
            Just(i32::MAX),
            Just(0),
            Just(-1),
            any::<i32>()
        ]
        .prop_map(|n| Sample::same(Value::from(n)))
        .boxed(),
        (Some("integer"), _) => prop_oneof![
            Just(i64::MIN),
            Just(i64::MAX),
            Just(0),
            Just(-1),
            any::<i64>()
        ]
        .prop_map(|n| Sample::same(Value::from(n)))
        .boxed(),
        (Some("boolean"), _) => any::<bool>()
            .prop_map(|b| Sample::same(Value::Bool(b)))
            .boxed(),
        (Some("array"), _) => {
            let max = if depth >= MAX_DEPTH { 1 } else { 4 };
            vec(sample(&schema["items"], depth + 1), 0..max)
                .prop_map(|items| Sample {
                    input: items.iter().map(|s| s.input.clone()).collect(),
                    expected: items.into_iter().map(|s| s.expected).collect(),
                })
                .boxed()
        }
        other => panic!("unsupported schema {other:?}: {schema}"),
    }
}

/// Strings with the characters JSON has to escape, non-ASCII and astral ones among them.
fn text() -> BoxedStrategy<String> {
    // Built once per thread: the regexes are parsed when the strategy is made, and a schema tree
    // asks for hundreds of strings.
    thread_local! {
        static TEXT: BoxedStrategy<String> = prop_oneof![
            3 => "[a-zA-Z0-9 _.:/-]{0,16}",
            1 => "[\\x00-\\x1f\"\\\\/\\x7f\u{80}\u{2028}\u{fffd}é漢🦀]{0,8}",
            1 => any::<String>(),
        ]
        .boxed();
    }
    TEXT.with(BoxedStrategy::clone)
}

/// A known value, or an unknown one (never equal to a known value) that must come back as is.
fn string_enum(known: Vec<String>) -> BoxedStrategy<Sample> {
    let unknown_from = known.clone();
    let shouted = known.clone();
    prop_oneof![
        3 => proptest::sample::select(known.clone()),
        1 => proptest::sample::select(shouted).prop_map(|v| v.to_uppercase()),
        1 => text().prop_filter("an unknown value", move |v| !unknown_from.contains(v)),
    ]
    .prop_map(|v| Sample::same(Value::String(v)))
    .boxed()
}

/// RFC 3339 instants between the years 2 and 9998 (so that any offset stays in range), with 0 to
/// 9 fraction digits and `Z` or a `±hh:mm` offset. Expected back: the same instant in UTC, as
/// chrono writes it: `Z`, and 0, 3, 6 or 9 fraction digits, the fewest that keep it exact.
fn date_time() -> BoxedStrategy<Sample> {
    const FIRST: i64 = -62_104_060_800; // 0002-01-01T00:00:00Z
    const LAST: i64 = 253_370_764_799; // 9998-12-31T23:59:59Z
    let nanos = prop_oneof![
        Just(0u32),
        (0u32..1000).prop_map(|ms| ms * 1_000_000),
        (0u32..1_000_000).prop_map(|us| us * 1000),
        0u32..1_000_000_000,
    ];
    let offset = prop_oneof![Just(None), (-1439i32..=1439).prop_map(Some)];
    let digits = prop_oneof![Just(None), (1usize..=9).prop_map(Some)];
    (FIRST..=LAST, nanos, offset, digits)
        .prop_map(|(secs, nanos, offset, digits)| {
            let instant = DateTime::from_timestamp(secs, nanos).expect("in range");
            let input = match offset {
                None => format!("{}Z", local(&instant, nanos, digits)),
                Some(minutes) => {
                    let zone = FixedOffset::east_opt(minutes * 60).expect("under a day");
                    let sign = if minutes < 0 { '-' } else { '+' };
                    let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
                    let local_time = instant.with_timezone(&zone);
                    format!("{}{sign}{h:02}:{m:02}", local(&local_time, nanos, digits))
                }
            };
            Sample {
                input: Value::String(input),
                expected: Value::String(utc(&instant)),
            }
        })
        .boxed()
}

/// `yyyy-mm-ddThh:mm:ss` and a fraction of at least enough digits to keep `nanos` exact, padded
/// to `digits` when that is more.
fn local<Tz: devrev_client::chrono::TimeZone>(
    at: &DateTime<Tz>,
    nanos: u32,
    digits: Option<usize>,
) -> String {
    let mut text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    let nine = format!("{nanos:09}");
    let needed = nine.trim_end_matches('0').len();
    let shown = digits.unwrap_or(0).max(needed);
    if shown > 0 {
        text.push('.');
        text.push_str(&nine[..shown]);
    }
    text
}

fn utc(at: &DateTime<Utc>) -> String {
    let nine = format!("{:09}", at.nanosecond());
    let shown = match nine.trim_end_matches('0').len() {
        0 => 0,
        1..=3 => 3,
        4..=6 => 6,
        _ => 9,
    };
    let fraction = if shown == 0 {
        String::new()
    } else {
        format!(".{}", &nine[..shown])
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}Z",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// Any JSON at all, for unknown properties and the insides of unknown variants.
fn any_json() -> BoxedStrategy<Value> {
    thread_local! {
        static ANY: BoxedStrategy<Value> = new_any_json();
    }
    ANY.with(BoxedStrategy::clone)
}

fn new_any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        exact_float().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map(text(), inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Floats whose shortest decimal form has at most 13 digits, which serde_json parses exactly
/// without its `float_roundtrip` feature (see `unknown_variants_keep_floats_bit_exact`).
fn exact_float() -> impl Strategy<Value = f64> {
    (any::<i16>(), 0..=8i32).prop_map(|(m, k)| f64::from(m) / 2f64.powi(k))
}

/// Properties no schema of the fragment has: `x_` names never clash with a real one.
fn extras() -> BoxedStrategy<Map<String, Value>> {
    btree_map("x_[a-z0-9_]{0,8}", any_json(), 0..3)
        .prop_map(|m| m.into_iter().collect())
        .boxed()
}

/// An object of `shape`, with unknown properties: a struct drops them, a union kept whole keeps
/// them.
fn object(shape: &Shape, depth: usize) -> BoxedStrategy<Sample> {
    (fields(shape, depth), extras())
        .prop_map(|(fields, extras)| {
            let mut input = fields.input;
            input.extend(extras);
            let input = Value::Object(input);
            let expected = if fields.kept_whole {
                input.clone()
            } else {
                Value::Object(fields.expected)
            };
            Sample { input, expected }
        })
        .boxed()
}

/// The properties of `shape`, its union's tag and variant included.
fn fields(shape: &Shape, depth: usize) -> BoxedStrategy<Fields> {
    let tag = shape.union.as_ref().map(|u| u.property.as_str());
    let mut parts: Vec<BoxedStrategy<Fields>> = shape
        .properties
        .iter()
        .filter(|(name, _)| Some(name.as_str()) != tag)
        .map(|(name, schema)| property(name, schema, shape.required.contains(name), depth))
        .collect();
    if let Some(union) = &shape.union {
        parts.push(variant(union, depth));
    }
    parts
        .prop_map(|parts| parts.into_iter().fold(Fields::default(), Fields::merge))
        .boxed()
}

/// One property: always there when required; otherwise absent, present, or `null` (which a
/// struct reads as absent).
fn property(name: &str, schema: &Value, required: bool, depth: usize) -> BoxedStrategy<Fields> {
    let name = name.to_owned();
    let present = {
        let name = name.clone();
        sample(schema, depth + 1).prop_map(move |sample| Fields {
            input: Map::from_iter([(name.clone(), sample.input)]),
            expected: Map::from_iter([(name.clone(), sample.expected)]),
            kept_whole: false,
        })
    };
    if required {
        return present.boxed();
    }
    if depth >= MAX_DEPTH {
        return Just(Fields::default()).boxed();
    }
    let null = Fields {
        input: Map::from_iter([(name, Value::Null)]),
        ..Fields::default()
    };
    prop_oneof![
        2 => Just(Fields::default()),
        3 => present,
        1 => Just(null),
    ]
    .boxed()
}

/// A union's tag and its variant's properties: a known tag with a variant that fits, an unknown
/// tag, or no tag at all (the last two kept whole, whatever the properties).
fn variant(union: &Union, depth: usize) -> BoxedStrategy<Fields> {
    let property = union.property.clone();
    let known: Vec<BoxedStrategy<Fields>> = union
        .variants
        .iter()
        .map(|(tag, schema)| {
            let tagged = Fields {
                input: Map::from_iter([(property.clone(), Value::String(tag.clone()))]),
                expected: Map::from_iter([(property.clone(), Value::String(tag.clone()))]),
                kept_whole: false,
            };
            fields(&shape(schema), depth + 1)
                .prop_map(move |fields| tagged.clone().merge(fields))
                .boxed()
        })
        .collect();
    let tags: BTreeSet<String> = union.variants.keys().cloned().collect();
    let unknown_property = property.clone();
    let unknown = (
        text().prop_filter("an unknown tag", move |t| !tags.contains(t)),
        extras(),
    )
        .prop_map(move |(tag, mut rest)| {
            rest.insert(unknown_property.clone(), Value::String(tag));
            Fields {
                input: rest,
                expected: Map::new(),
                kept_whole: true,
            }
        });
    let untagged = extras().prop_map(|rest| Fields {
        input: rest,
        expected: Map::new(),
        kept_whole: true,
    });
    prop_oneof![
        6 => proptest::strategy::Union::new(known),
        2 => unknown,
        1 => untagged,
    ]
    .boxed()
}

// --- The check ---------------------------------------------------------------------------------

fn round_trip<T>(sample: &Sample) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let text = sample.input.to_string();
    let decoded: T = serde_json::from_str(&text)
        .map_err(|err| TestCaseError::fail(format!("does not decode: {err}\ninput: {text}")))?;
    let encoded = serde_json::to_string(&decoded)
        .map_err(|err| TestCaseError::fail(format!("does not encode: {err}\n{decoded:?}")))?;
    let encoded_value: Value = serde_json::from_str(&encoded).expect("serde_json writes JSON");
    prop_assert_eq!(
        &encoded_value,
        &sample.expected,
        "re-encoded JSON differs from the input less what is not kept\ninput: {}",
        text
    );
    let again: T = serde_json::from_str(&encoded).map_err(|err| {
        TestCaseError::fail(format!("re-encoded JSON does not decode: {err}\n{encoded}"))
    })?;
    prop_assert_eq!(
        &again,
        &decoded,
        "decode(encode(x)) != x\nencoded: {}",
        encoded
    );
    Ok(())
}

fn check<T>(schema: &str, cases: u32)
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    assert!(schemas().contains_key(schema), "no schema {schema}");
    let strategy = sample(
        &serde_json::json!({ "$ref": format!("#/components/schemas/{schema}") }),
        0,
    );
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new(config)
        .run(&strategy, |sample| round_trip::<T>(&sample))
        .unwrap_or_else(|err| panic!("{schema} ({}): {err}", std::any::type_name::<T>()));
}

// --- The types the issue names, each with its own test -----------------------------------------

#[test]
fn rev_users_scan_response_round_trips() {
    check::<types::RevUsersScanResponse>("rev-users-scan-response", CASES);
}

#[test]
fn rev_user_round_trips() {
    check::<types::RevUser>("rev-user", CASES);
}

#[test]
fn user_summary_round_trips() {
    check::<types::UserSummary>("user-summary", CASES);
}

#[test]
fn org_summary_round_trips() {
    check::<types::OrgSummary>("org-summary", CASES);
}

#[test]
fn error_bad_request_round_trips() {
    check::<types::ErrorBadRequest>("error-bad-request", CASES);
}

#[test]
fn error_too_many_requests_round_trips() {
    check::<types::ErrorTooManyRequests>("error-too-many-requests", CASES);
}

#[test]
fn error_internal_server_error_round_trips() {
    check::<types::ErrorInternalServerError>("error-internal-server-error", CASES);
}

#[test]
fn rev_users_scan_request_round_trips() {
    check::<types::RevUsersScanRequest>("rev-users-scan-request", CASES);
}

// --- Every other schema ------------------------------------------------------------------------

macro_rules! every_schema {
    ($($schema:literal => $ty:ident,)*) => {
        /// Every component schema of the fragment, with the type generated for it.
        const EVERY_SCHEMA: &[&str] = &[$($schema),*];

        #[test]
        fn every_schema_round_trips() {
            $(check::<types::$ty>($schema, CASES / 16);)*
        }
    };
}

every_schema! {
    "artifact-file-summary" => ArtifactFileSummary,
    "artifact-summary" => ArtifactSummary,
    "atom-base" => AtomBase,
    "atom-base-summary" => AtomBaseSummary,
    "date-time-filter" => DateTimeFilter,
    "dev-user-summary" => DevUserSummary,
    "error-bad-request" => ErrorBadRequest,
    "error-bad-request-artifact-already-attached-to-a-parent" => ErrorBadRequestArtifactAlreadyAttachedToAParent,
    "error-bad-request-bad-request" => ErrorBadRequestBadRequest,
    "error-bad-request-customization-validation-error" => ErrorBadRequestCustomizationValidationError,
    "error-bad-request-customization-validation-error-bad-id-type" => ErrorBadRequestCustomizationValidationErrorBadIdType,
    "error-bad-request-customization-validation-error-date-parse-error" => ErrorBadRequestCustomizationValidationErrorDateParseError,
    "error-bad-request-customization-validation-error-enum-out-of-range" => ErrorBadRequestCustomizationValidationErrorEnumOutOfRange,
    "error-bad-request-customization-validation-error-expression-parse-error" => ErrorBadRequestCustomizationValidationErrorExpressionParseError,
    "error-bad-request-customization-validation-error-field-dropped" => ErrorBadRequestCustomizationValidationErrorFieldDropped,
    "error-bad-request-customization-validation-error-field-immutable" => ErrorBadRequestCustomizationValidationErrorFieldImmutable,
    "error-bad-request-customization-validation-error-field-not-in-schema" => ErrorBadRequestCustomizationValidationErrorFieldNotInSchema,
    "error-bad-request-customization-validation-error-field-required" => ErrorBadRequestCustomizationValidationErrorFieldRequired,
    "error-bad-request-customization-validation-error-fragment-not-found" => ErrorBadRequestCustomizationValidationErrorFragmentNotFound,
    "error-bad-request-customization-validation-error-id-parse-error" => ErrorBadRequestCustomizationValidationErrorIdParseError,
    "error-bad-request-customization-validation-error-id-type-not-allowed" => ErrorBadRequestCustomizationValidationErrorIdTypeNotAllowed,
    "error-bad-request-customization-validation-error-invalid-argument" => ErrorBadRequestCustomizationValidationErrorInvalidArgument,
    "error-bad-request-customization-validation-error-subtype" => ErrorBadRequestCustomizationValidationErrorSubtype,
    "error-bad-request-customization-validation-error-timestamp-parse-error" => ErrorBadRequestCustomizationValidationErrorTimestampParseError,
    "error-bad-request-customization-validation-error-unknown-error" => ErrorBadRequestCustomizationValidationErrorUnknownError,
    "error-bad-request-customization-validation-error-unsupported-type" => ErrorBadRequestCustomizationValidationErrorUnsupportedType,
    "error-bad-request-customization-validation-error-wrong-type" => ErrorBadRequestCustomizationValidationErrorWrongType,
    "error-bad-request-invalid-api-version" => ErrorBadRequestInvalidApiVersion,
    "error-bad-request-invalid-enum-value" => ErrorBadRequestInvalidEnumValue,
    "error-bad-request-invalid-field" => ErrorBadRequestInvalidField,
    "error-bad-request-invalid-id" => ErrorBadRequestInvalidId,
    "error-bad-request-merge-works-error" => ErrorBadRequestMergeWorksError,
    "error-bad-request-merge-works-error-error" => ErrorBadRequestMergeWorksErrorError,
    "error-bad-request-merge-works-error-error-already-merged" => ErrorBadRequestMergeWorksErrorErrorAlreadyMerged,
    "error-bad-request-merge-works-error-error-closed" => ErrorBadRequestMergeWorksErrorErrorClosed,
    "error-bad-request-merge-works-error-error-different-reporters" => ErrorBadRequestMergeWorksErrorErrorDifferentReporters,
    "error-bad-request-merge-works-error-error-different-workspace" => ErrorBadRequestMergeWorksErrorErrorDifferentWorkspace,
    "error-bad-request-merge-works-error-error-invalid-stage-transition" => ErrorBadRequestMergeWorksErrorErrorInvalidStageTransition,
    "error-bad-request-merge-works-error-error-locked" => ErrorBadRequestMergeWorksErrorErrorLocked,
    "error-bad-request-merge-works-error-error-stage-not-found-for-subtype" => ErrorBadRequestMergeWorksErrorErrorStageNotFoundForSubtype,
    "error-bad-request-missing-dependency" => ErrorBadRequestMissingDependency,
    "error-bad-request-missing-dependency-dependency" => ErrorBadRequestMissingDependencyDependency,
    "error-bad-request-missing-required-field" => ErrorBadRequestMissingRequiredField,
    "error-bad-request-parse-error" => ErrorBadRequestParseError,
    "error-bad-request-stale-schema-fragments" => ErrorBadRequestStaleSchemaFragments,
    "error-bad-request-type" => ErrorBadRequestType,
    "error-bad-request-unexpected-id-type" => ErrorBadRequestUnexpectedIdType,
    "error-bad-request-unexpected-json-type" => ErrorBadRequestUnexpectedJsonType,
    "error-bad-request-unexpected-json-type-type" => ErrorBadRequestUnexpectedJsonTypeType,
    "error-bad-request-value-not-permitted" => ErrorBadRequestValueNotPermitted,
    "error-bad-request-workflow-component-validation-error" => ErrorBadRequestWorkflowComponentValidationError,
    "error-bad-request-workflow-component-validation-error-field" => ErrorBadRequestWorkflowComponentValidationErrorField,
    "error-bad-request-workflow-component-validation-error-operation" => ErrorBadRequestWorkflowComponentValidationErrorOperation,
    "error-bad-request-workflow-component-validation-error-workflow" => ErrorBadRequestWorkflowComponentValidationErrorWorkflow,
    "error-bad-request-workflow-component-validation-error-workflow-component-validation-location-type" => ErrorBadRequestWorkflowComponentValidationErrorWorkflowComponentValidationLocationType,
    "error-bad-request-workflow-component-validation-error-workflow-step" => ErrorBadRequestWorkflowComponentValidationErrorWorkflowStep,
    "error-bad-request-workflow-component-validation-errors" => ErrorBadRequestWorkflowComponentValidationErrors,
    "error-base" => ErrorBase,
    "error-forbidden" => ErrorForbidden,
    "error-forbidden-forbidden" => ErrorForbiddenForbidden,
    "error-forbidden-type" => ErrorForbiddenType,
    "error-internal-server-error" => ErrorInternalServerError,
    "error-internal-server-error-internal-error" => ErrorInternalServerErrorInternalError,
    "error-internal-server-error-type" => ErrorInternalServerErrorType,
    "error-not-found" => ErrorNotFound,
    "error-not-found-not-found" => ErrorNotFoundNotFound,
    "error-not-found-type" => ErrorNotFoundType,
    "error-service-unavailable" => ErrorServiceUnavailable,
    "error-service-unavailable-service-unavailable" => ErrorServiceUnavailableServiceUnavailable,
    "error-service-unavailable-type" => ErrorServiceUnavailableType,
    "error-too-many-requests" => ErrorTooManyRequests,
    "error-too-many-requests-too-many-requests" => ErrorTooManyRequestsTooManyRequests,
    "error-too-many-requests-type" => ErrorTooManyRequestsType,
    "error-unauthorized" => ErrorUnauthorized,
    "error-unauthorized-type" => ErrorUnauthorizedType,
    "error-unauthorized-unauthenticated" => ErrorUnauthorizedUnauthenticated,
    "org-base-summary" => OrgBaseSummary,
    "org-summary" => OrgSummary,
    "org-type" => OrgType,
    "rev-org-summary" => RevOrgSummary,
    "rev-user" => RevUser,
    "rev-user-summary" => RevUserSummary,
    "rev-users-scan-request" => RevUsersScanRequest,
    "rev-users-scan-response" => RevUsersScanResponse,
    "service-account-summary" => ServiceAccountSummary,
    "sys-user-summary" => SysUserSummary,
    "user-base" => UserBase,
    "user-base-summary" => UserBaseSummary,
    "user-state" => UserState,
    "user-summary" => UserSummary,
    "user-type" => UserType,
}

#[test]
fn every_schema_of_the_spec_is_covered() {
    let listed: BTreeSet<&str> = EVERY_SCHEMA.iter().copied().collect();
    let in_spec: BTreeSet<&str> = schemas().keys().map(String::as_str).collect();
    assert_eq!(listed, in_spec);
}

/// Unknown union variants are kept as `serde_json::Value`; the generated crate turns on
/// serde_json's `float_roundtrip`, without which its parser may be one unit in the last place off
/// for floats of 16 or 17 significant digits. Keys come back sorted, so the text is compared
/// number by number.
#[test]
fn unknown_variants_keep_floats_bit_exact() {
    let text = r#"{"type":"robot","score":-3.1841415002785237e+74}"#;
    let decoded: types::UserSummary = serde_json::from_str(text).unwrap();
    let encoded = serde_json::to_string(&decoded).unwrap();
    assert_eq!(
        encoded,
        r#"{"score":-3.1841415002785237e+74,"type":"robot"}"#
    );
    let again: types::UserSummary = serde_json::from_str(&encoded).unwrap();
    assert_eq!(again, decoded);
}
