//! The fuzz targets' bodies, kept in a library so that `cargo test` here (on stable, without
//! cargo-fuzz) replays the committed corpus through exactly the code the fuzzer runs.
//!
//! Each function panics only on a finding: a panic inside the generator or the client, an
//! `Error::Bug` from the generator, an unbounded error message, or a decoded value that does not
//! survive re-encoding.

use std::fmt::{Debug, Write as _};
use std::sync::OnceLock;

use devrev_client::http;
use devrev_client::operations::{
    rev_users_scan, rev_users_scan_post, RevUsersScanError, RevUsersScanPostError,
};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_yaml::Value as Yaml;

/// The longest error message a response may produce, whatever its body: the status, the
/// operation, the decoder's reason and a 512-character excerpt fit in this with room to spare.
pub const MAX_ERROR_CHARS: usize = 2048;

// --- generation --------------------------------------------------------------------------------

/// Generates a crate from `text` leniently, as `cargo xtask regenerate` does, so that what is
/// left out or typed loosely is emitted too; diagnostics are fine, a panic or `Error::Bug` is a
/// finding.
pub fn generate(text: &str) {
    let input = codegen::Input {
        spec_path: "spec/fuzz.yaml",
        text,
        package: "fuzz-client",
    };
    match codegen::generate_selected(&input, &codegen::Selection::all(), None) {
        Ok((generated, _)) => {
            assert!(!generated.files.is_empty(), "generated no files");
            let mut rendered = generated.summary();
            for warning in &generated.warnings {
                write!(rendered, "{warning}").expect("warnings render");
            }
        }
        // Rendering exercises the line lookup of every diagnostic.
        Err(err @ codegen::Error::Spec(_)) => {
            let mut rendered = String::new();
            write!(rendered, "{err}").expect("diagnostics render");
        }
        Err(codegen::Error::Bug(message)) => {
            panic!("generator bug: {message}\n--- spec ---\n{text}")
        }
    }
}

/// One edit of the fragment spec. Nodes are numbered in pre-order over the whole YAML document;
/// every index is taken modulo the number of nodes, so any value is a valid edit.
#[derive(Arbitrary, Debug, Clone)]
pub enum Edit {
    /// Replaces the node with a value from [`pool`].
    Replace { node: u16, value: u8 },
    /// Replaces the node with a string of the fuzzer's choosing.
    Text { node: u16, text: String },
    /// Renames a mapping key to a value from [`pool`] (the node must be a mapping; otherwise the
    /// nearest mapping after it is used).
    RenameKey { node: u16, entry: u8, value: u8 },
    /// Removes an entry of a mapping or an item of a sequence.
    Remove { node: u16, entry: u8 },
    /// Replaces the node `to` with a copy of the node `from`.
    Graft { from: u16, to: u16 },
}

/// The fragment spec, parsed once.
fn fragment() -> &'static Yaml {
    static SPEC: OnceLock<Yaml> = OnceLock::new();
    SPEC.get_or_init(|| {
        serde_yaml::from_str(include_str!("../../../spec/rev-users-scan.yaml"))
            .expect("the fragment spec parses")
    })
}

/// Values that mean something to the generator: OpenAPI keywords, types and formats, `$ref`
/// targets that exist and that do not, Rust keywords, numbers at the edges, and every scalar
/// of the fragment itself.
fn pool() -> &'static [Yaml] {
    static POOL: OnceLock<Vec<Yaml>> = OnceLock::new();
    POOL.get_or_init(|| {
        let words = [
            "",
            " ",
            "0",
            "-1",
            "1e309",
            "null",
            "~",
            "true",
            "object",
            "string",
            "integer",
            "number",
            "array",
            "boolean",
            "int32",
            "int64",
            "date-time",
            "date",
            "uuid",
            "id",
            "text",
            "$ref",
            "type",
            "enum",
            "properties",
            "required",
            "allOf",
            "oneOf",
            "anyOf",
            "not",
            "discriminator",
            "mapping",
            "propertyName",
            "items",
            "additionalProperties",
            "nullable",
            "format",
            "description",
            "title",
            "schema",
            "content",
            "responses",
            "parameters",
            "requestBody",
            "application/json",
            "text/plain",
            "default",
            "2XX",
            "200",
            "204",
            "399",
            "999",
            "1000",
            "get",
            "post",
            "put",
            "delete",
            "query",
            "path",
            "header",
            "in",
            "name",
            "explode",
            "operationId",
            "x-fern",
            "#/",
            "#",
            "#/components/schemas/",
            "#/components/schemas/rev-user",
            "#/components/schemas/user-summary",
            "#/components/schemas/missing",
            "#/components/responses/bad-request",
            "#/components/responses/missing",
            "other.yaml#/x",
            "self",
            "Self",
            "crate",
            "super",
            "fn",
            "match",
            "async",
            "try",
            "r#type",
            "_",
            "__",
            "9lives",
            "a-b",
            "a b",
            "A",
            "a",
            "ünïcödé",
            "🦀",
            "\u{0}",
            "type_",
            "Type",
            "kind",
            "Unknown",
            "rev_user",
            "dev_user",
            "3.0.3",
            "3.1.0",
            "2.0",
            "/rev-users.scan",
            "/{id}",
            "{id}",
            "/",
        ];
        let mut pool: Vec<Yaml> = words
            .iter()
            .map(|w| Yaml::String((*w).to_owned()))
            .collect();
        pool.extend([
            Yaml::Null,
            Yaml::Bool(true),
            Yaml::Bool(false),
            Yaml::Number(0.into()),
            Yaml::Number((-1).into()),
            Yaml::Number(i64::MAX.into()),
            Yaml::Number(u64::MAX.into()),
            Yaml::Number(1.5.into()),
            Yaml::Mapping(Default::default()),
            Yaml::Sequence(Vec::new()),
        ]);
        let mut scalars = Vec::new();
        collect_scalars(fragment(), &mut scalars);
        scalars.sort_by_key(|v| serde_yaml::to_string(v).unwrap_or_default());
        scalars.dedup();
        pool.extend(scalars);
        pool
    })
}

fn collect_scalars(node: &Yaml, out: &mut Vec<Yaml>) {
    match node {
        Yaml::Mapping(map) => {
            for (key, value) in map {
                out.push(key.clone());
                collect_scalars(value, out);
            }
        }
        Yaml::Sequence(items) => items.iter().for_each(|item| collect_scalars(item, out)),
        Yaml::Tagged(tagged) => collect_scalars(&tagged.value, out),
        scalar => out.push(scalar.clone()),
    }
}

fn count(node: &Yaml) -> usize {
    1 + match node {
        Yaml::Mapping(map) => map.values().map(count).sum(),
        Yaml::Sequence(items) => items.iter().map(count).sum(),
        Yaml::Tagged(tagged) => count(&tagged.value),
        _ => 0,
    }
}

/// The node at pre-order index `index` (which must be below `count(root)`).
fn nth(root: &mut Yaml, index: usize) -> &mut Yaml {
    fn walk<'a>(node: &'a mut Yaml, index: &mut usize) -> Option<&'a mut Yaml> {
        if *index == 0 {
            return Some(node);
        }
        *index -= 1;
        match node {
            Yaml::Mapping(map) => map.values_mut().find_map(|child| walk(child, index)),
            Yaml::Sequence(items) => items.iter_mut().find_map(|child| walk(child, index)),
            Yaml::Tagged(tagged) => walk(&mut tagged.value, index),
            _ => None,
        }
    }
    let mut index = index;
    walk(root, &mut index).expect("index below the node count")
}

/// The fragment spec with `edits` applied, as YAML text.
pub fn mutate_spec(edits: &[Edit]) -> String {
    let mut spec = fragment().clone();
    let pool = pool();
    for edit in edits.iter().take(16) {
        let nodes = count(&spec);
        let pick = |node: u16| usize::from(node) % nodes;
        match edit {
            Edit::Replace { node, value } => {
                *nth(&mut spec, pick(*node)) = pool[usize::from(*value) % pool.len()].clone();
            }
            Edit::Text { node, text } => {
                *nth(&mut spec, pick(*node)) = Yaml::String(text.clone());
            }
            Edit::RenameKey { node, entry, value } => {
                if let Yaml::Mapping(map) = nth(&mut spec, pick(*node)) {
                    if !map.is_empty() {
                        let at = usize::from(*entry) % map.len();
                        let old = map.keys().nth(at).cloned().expect("entry in range");
                        let item = map.remove(&old).expect("key present");
                        map.insert(pool[usize::from(*value) % pool.len()].clone(), item);
                    }
                }
            }
            Edit::Remove { node, entry } => match nth(&mut spec, pick(*node)) {
                Yaml::Mapping(map) if !map.is_empty() => {
                    let at = usize::from(*entry) % map.len();
                    let key = map.keys().nth(at).cloned().expect("entry in range");
                    map.remove(&key);
                }
                Yaml::Sequence(items) if !items.is_empty() => {
                    items.remove(usize::from(*entry) % items.len());
                }
                _ => {}
            },
            Edit::Graft { from, to } => {
                let copy = nth(&mut spec, pick(*from)).clone();
                // Bounded so a few grafts cannot grow the document without limit.
                if count(&copy) <= 2_000 {
                    *nth(&mut spec, pick(*to)) = copy;
                }
            }
        }
    }
    serde_yaml::to_string(&spec).expect("a YAML value serialises")
}

// --- responses ---------------------------------------------------------------------------------

/// The `Content-Type` headers the response target chooses from; decoding must not depend on it.
const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some("application/json"),
    Some("application/json; charset=utf-8"),
    Some("text/plain"),
    Some("text/html; charset=iso-8859-1"),
    Some("application/problem+json"),
];

/// Sends `data` through both operations' response mappers: two bytes of status (100 to 999),
/// one byte of content type, the rest as the body.
pub fn response(data: &[u8]) {
    let [lo, hi, content_type, body @ ..] = data else {
        return;
    };
    let status = 100 + u16::from_le_bytes([*lo, *hi]) % 900;
    let content_type = CONTENT_TYPES[usize::from(*content_type) % CONTENT_TYPES.len()];
    let build = || {
        let mut response = http::Response::builder().status(status);
        if let Some(content_type) = content_type {
            response = response.header(http::header::CONTENT_TYPE, content_type);
        }
        response.body(body.to_vec()).expect("a valid response")
    };
    match rev_users_scan_post::response(build()) {
        Ok(page) => round_trip(&page),
        Err(err) => {
            check_error(status, &err, err.status(), bounded_post(&err));
            if let RevUsersScanPostError::Undecodable(undecodable) = &err {
                assert_eq!(undecodable.response.body, body, "the body is kept whole");
            }
        }
    }
    match rev_users_scan::response(build()) {
        Ok(page) => round_trip(&page),
        Err(err) => check_error(status, &err, err.status(), bounded_get(&err)),
    }
}

/// Whether the error's message must be bounded: documented error bodies quote the server's
/// `message` in full, the other variants only a bounded excerpt.
fn bounded_post(err: &RevUsersScanPostError) -> bool {
    matches!(
        err,
        RevUsersScanPostError::Undecodable(_) | RevUsersScanPostError::UnexpectedStatus(_)
    )
}

fn bounded_get(err: &RevUsersScanError) -> bool {
    matches!(
        err,
        RevUsersScanError::Undecodable(_) | RevUsersScanError::UnexpectedStatus(_)
    )
}

fn check_error<E: std::error::Error>(status: u16, err: &E, got: http::StatusCode, bounded: bool) {
    assert_eq!(got.as_u16(), status, "the error keeps the status");
    let message = err.to_string();
    if bounded {
        assert!(
            message.chars().count() <= MAX_ERROR_CHARS,
            "an error message of {} characters: {}...",
            message.chars().count(),
            message.chars().take(300).collect::<String>()
        );
    }
    let _ = format!("{err:?}");
    let mut source = err.source();
    while let Some(cause) = source {
        let _ = cause.to_string();
        source = cause.source();
    }
}

// --- types -------------------------------------------------------------------------------------

/// Decodes, re-encodes and decodes again: the second decode must succeed and equal the first.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) {
    let encoded = serde_json::to_string(value)
        .unwrap_or_else(|err| panic!("a decoded value does not encode: {err}\n{value:#?}"));
    let again: T = serde_json::from_str(&encoded).unwrap_or_else(|err| {
        panic!("re-encoded JSON does not decode: {err}\nencoded: {encoded}\nvalue: {value:#?}")
    });
    assert_eq!(&again, value, "decode(encode(x)) != x; encoded: {encoded}");
    let _ = format!("{value:?}");
}

/// Decodes with serde's entry point and, for text, with the crate's `from_str`, which reads its
/// unions in one pass where it can and must give the same value or error.
fn decode<T: Serialize + DeserializeOwned + PartialEq + Debug>(json: &[u8]) {
    let decoded = serde_json::from_slice::<T>(json);
    if let Ok(text) = std::str::from_utf8(json) {
        let ours = devrev_client::from_str::<T>(text).map_err(|err| err.to_string());
        let serde = serde_json::from_str::<T>(text).map_err(|err| err.to_string());
        assert_eq!(ours, serde, "from_str and serde_json::from_str differ on {text}");
    }
    if let Ok(value) = decoded {
        round_trip(&value);
    }
}

macro_rules! types {
    ($($name:ident),* $(,)?) => {
        /// Every type of `devrev_client::types` that decodes (the union `...Kind` enums decode
        /// only as part of their union), in the order of `types.rs`.
        pub const TYPES: &[(&str, fn(&[u8]))] = &[
            $((stringify!($name), decode::<devrev_client::types::$name>)),*
        ];
    };
}

types![
    ArtifactFileSummary,
    ArtifactSummary,
    AtomBase,
    AtomBaseSummary,
    DateTimeFilter,
    DevUserSummary,
    ErrorBadRequest,
    ErrorBadRequestArtifactAlreadyAttachedToAParent,
    ErrorBadRequestBadRequest,
    ErrorBadRequestCustomizationValidationError,
    ErrorBadRequestCustomizationValidationErrorBadIdType,
    ErrorBadRequestCustomizationValidationErrorDateParseError,
    ErrorBadRequestCustomizationValidationErrorEnumOutOfRange,
    ErrorBadRequestCustomizationValidationErrorExpressionParseError,
    ErrorBadRequestCustomizationValidationErrorFieldDropped,
    ErrorBadRequestCustomizationValidationErrorFieldImmutable,
    ErrorBadRequestCustomizationValidationErrorFieldNotInSchema,
    ErrorBadRequestCustomizationValidationErrorFieldRequired,
    ErrorBadRequestCustomizationValidationErrorFragmentNotFound,
    ErrorBadRequestCustomizationValidationErrorIdParseError,
    ErrorBadRequestCustomizationValidationErrorIdTypeNotAllowed,
    ErrorBadRequestCustomizationValidationErrorInvalidArgument,
    ErrorBadRequestCustomizationValidationErrorSubtype,
    ErrorBadRequestCustomizationValidationErrorTimestampParseError,
    ErrorBadRequestCustomizationValidationErrorUnknownError,
    ErrorBadRequestCustomizationValidationErrorUnsupportedType,
    ErrorBadRequestCustomizationValidationErrorWrongType,
    ErrorBadRequestInvalidApiVersion,
    ErrorBadRequestInvalidEnumValue,
    ErrorBadRequestInvalidField,
    ErrorBadRequestInvalidId,
    ErrorBadRequestMergeWorksError,
    ErrorBadRequestMergeWorksErrorError,
    ErrorBadRequestMergeWorksErrorErrorAlreadyMerged,
    ErrorBadRequestMergeWorksErrorErrorClosed,
    ErrorBadRequestMergeWorksErrorErrorDifferentReporters,
    ErrorBadRequestMergeWorksErrorErrorDifferentWorkspace,
    ErrorBadRequestMergeWorksErrorErrorInvalidStageTransition,
    ErrorBadRequestMergeWorksErrorErrorLocked,
    ErrorBadRequestMergeWorksErrorErrorStageNotFoundForSubtype,
    ErrorBadRequestMergeWorksErrorErrorSubtype,
    ErrorBadRequestMissingDependency,
    ErrorBadRequestMissingDependencyDependency,
    ErrorBadRequestMissingRequiredField,
    ErrorBadRequestParseError,
    ErrorBadRequestStaleSchemaFragments,
    ErrorBadRequestType,
    ErrorBadRequestUnexpectedIdType,
    ErrorBadRequestUnexpectedJsonType,
    ErrorBadRequestUnexpectedJsonTypeType,
    ErrorBadRequestValueNotPermitted,
    ErrorBadRequestWorkflowComponentValidationError,
    ErrorBadRequestWorkflowComponentValidationErrorField,
    ErrorBadRequestWorkflowComponentValidationErrorOperation,
    ErrorBadRequestWorkflowComponentValidationErrorWorkflow,
    ErrorBadRequestWorkflowComponentValidationErrorWorkflowComponentValidationLocationType,
    ErrorBadRequestWorkflowComponentValidationErrorWorkflowStep,
    ErrorBadRequestWorkflowComponentValidationErrors,
    ErrorBase,
    ErrorForbidden,
    ErrorForbiddenForbidden,
    ErrorForbiddenType,
    ErrorInternalServerError,
    ErrorInternalServerErrorInternalError,
    ErrorInternalServerErrorType,
    ErrorNotFound,
    ErrorNotFoundNotFound,
    ErrorNotFoundType,
    ErrorServiceUnavailable,
    ErrorServiceUnavailableServiceUnavailable,
    ErrorServiceUnavailableType,
    ErrorTooManyRequests,
    ErrorTooManyRequestsTooManyRequests,
    ErrorTooManyRequestsType,
    ErrorUnauthorized,
    ErrorUnauthorizedType,
    ErrorUnauthorizedUnauthenticated,
    OrgBaseSummary,
    OrgSummary,
    OrgType,
    RevOrgSummary,
    RevUser,
    RevUserSummary,
    RevUsersScanRequest,
    RevUsersScanResponse,
    ServiceAccountSummary,
    SysUserSummary,
    UserBase,
    UserBaseSummary,
    UserState,
    UserSummary,
    UserType,
];

/// Decodes `data[1..]` into the type `data[0]` picks.
pub fn types(data: &[u8]) {
    let [pick, json @ ..] = data else {
        return;
    };
    (TYPES[usize::from(*pick) % TYPES.len()].1)(json);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `pub struct` and `pub enum` of `types.rs` but the union `...Kind` enums is listed.
    #[test]
    fn types_lists_every_decodable_type() {
        let source = include_str!("../../../generated/src/types.rs");
        let mut declared: Vec<&str> = source
            .lines()
            .filter_map(|line| {
                line.strip_prefix("pub struct ")
                    .or_else(|| line.strip_prefix("pub enum "))
            })
            .filter_map(|rest| rest.split([' ', '{', '(', '<']).next())
            .filter(|name| !name.ends_with("Kind"))
            .collect();
        declared.sort_unstable();
        let mut listed: Vec<&str> = TYPES.iter().map(|(name, _)| *name).collect();
        listed.sort_unstable();
        assert_eq!(listed, declared);
    }

    fn replay(target: &str, run: impl Fn(&[u8])) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("a readable corpus entry").path();
            let data = std::fs::read(&path).expect("a readable corpus file");
            run(&data);
        }
    }

    #[test]
    fn corpus_generate() {
        replay("generate", |data| {
            if let Ok(text) = std::str::from_utf8(data) {
                generate(text);
            }
        });
    }

    #[test]
    fn corpus_generate_mutated() {
        replay("generate_mutated", |data| {
            let input = arbitrary::Unstructured::new(data);
            if let Ok(edits) = <Vec<Edit> as Arbitrary>::arbitrary_take_rest(input) {
                generate(&mutate_spec(&edits));
            }
        });
    }

    #[test]
    fn corpus_response() {
        replay("response", response);
    }

    #[test]
    fn corpus_types() {
        replay("types", types);
    }

    #[test]
    fn the_unmutated_fragment_generates() {
        generate(&mutate_spec(&[]));
    }
}
