//! Responses: each documented status, status class (`4XX`) or `default` into a success case or
//! an error case with its body: JSON as its type, `text/*` as text, anything else as bytes with
//! their content type. Success cases with different bodies become an enum of the successes.

use std::collections::BTreeSet;

use crate::diag::Pointer;
use crate::ir::{ErrorCase, ItemKind, ResponseBody, StatusMatch, Success, SuccessCase, Type};
use crate::names::{self, Namespace};
use crate::spec::model::{self, MediaType};

use super::super::Lowering;
use super::bodies::{essence, is_json};
use super::resolve_component;

/// Variant names the error unions define themselves.
const RESERVED_VARIANTS: &[&str] = &["UnexpectedStatus", "Undecodable"];

/// The success cases and the error cases, each in match order (codes, then classes, then
/// `default`).
pub(super) fn responses<'s>(
    lowering: &mut Lowering<'s>,
    operation: &'s model::Operation,
    type_prefix: &str,
    types: &mut Namespace,
    at: &Pointer,
) -> (Success, Vec<ErrorCase>) {
    let mut successes = Vec::new();
    let mut errors = Vec::new();
    let mut accept = BTreeSet::new();
    for (key, response) in &operation.responses {
        let response_at = at.join("responses").join(key);
        let Some(status) = status_match(key) else {
            lowering.error(
                &response_at,
                format!(
                    "response status `{key}` is not a number from 100 to 999, a class such as \
                     `4XX`, or `default`"
                ),
            );
            continue;
        };
        let Some((response, response_at)) = resolve_component(
            lowering,
            response,
            response.reference.as_deref(),
            ("responses", &lowering.spec.responses, "response"),
            &response_at,
        ) else {
            continue;
        };
        let success = matches!(status, StatusMatch::Code(200..=299) | StatusMatch::Range(2));
        let doc = response.description.trim().trim_end_matches('.').to_owned();
        let label = match status {
            StatusMatch::Code(code) => code.to_string(),
            StatusMatch::Range(class) => format!("{class}XX"),
            StatusMatch::Default => "Default".to_owned(),
        };
        let context = format!("{type_prefix}Response{label}");
        let chosen = chosen_media(&response.content);
        // RFC 9110: 204 and 205 responses have no body, whatever the spec documents for them.
        let body = match (status, chosen) {
            (StatusMatch::Code(204 | 205), _) | (_, None) => ResponseBody::Empty,
            (_, Some((media, value))) => {
                if success {
                    accept.insert(media.to_owned());
                }
                let schema_at = response_at.join("content").join(media).join("schema");
                if is_json(media) {
                    ResponseBody::Json(match &value.schema {
                        Some(schema) => lowering.field_type(schema, &context, &schema_at),
                        None => Type::Json,
                    })
                } else if essence(media).starts_with("text/")
                    && essence(media) != "text/event-stream"
                {
                    ResponseBody::Text
                } else {
                    ResponseBody::Binary
                }
            }
        };
        if success {
            successes.push(SuccessCase {
                status,
                variant: String::new(),
                doc,
                body,
            });
        } else {
            // An error body that is not JSON is kept whole, as the raw response.
            let ty = match body {
                ResponseBody::Json(ty) => Some(ty),
                _ => None,
            };
            errors.push(ErrorCase {
                status,
                variant: String::new(),
                doc,
                has_message: ty.as_ref().is_some_and(|ty| has_message(lowering, ty)),
                ty,
            });
        }
    }
    successes.sort_by_key(|case| case.status);
    errors.sort_by_key(|case| case.status);
    let mut variants = Namespace::with_reserved(RESERVED_VARIANTS.iter().copied());
    for case in &mut errors {
        case.variant = variants.unique(&status_variant(case.status), "");
    }
    let mut variants = Namespace::default();
    for case in &mut successes {
        case.variant = variants.unique(&status_variant(case.status), "");
    }
    let shared = successes
        .windows(2)
        .all(|pair| pair[0].body == pair[1].body);
    let enum_name = (!shared).then(|| types.unique(&format!("{type_prefix}Response"), ""));
    if successes.is_empty() {
        successes.push(SuccessCase {
            status: StatusMatch::Code(200),
            variant: "Ok".to_owned(),
            doc: String::new(),
            body: ResponseBody::Empty,
        });
    }
    // The media types the successes are read as; JSON when they document none.
    let accept = if accept.is_empty() {
        "application/json".to_owned()
    } else {
        accept.into_iter().collect::<Vec<_>>().join(", ")
    };
    let success = Success {
        cases: successes,
        enum_name,
        accept,
    };
    (success, errors)
}

/// The media type a response is read as: the first JSON one, else the first listed.
fn chosen_media(
    content: &std::collections::BTreeMap<String, MediaType>,
) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find(|(media, _)| is_json(media))
        .or_else(|| content.iter().next())
        .map(|(media, value)| (media.as_str(), value))
}

/// `429`, `4XX` (or `4xx`) and `default` as statuses.
fn status_match(key: &str) -> Option<StatusMatch> {
    if key == "default" {
        return Some(StatusMatch::Default);
    }
    if let Some(class) = key
        .strip_suffix("XX")
        .or_else(|| key.strip_suffix("xx"))
        .and_then(|class| class.parse::<u16>().ok())
        .filter(|class| (1..=5).contains(class))
    {
        return Some(StatusMatch::Range(class));
    }
    key.parse::<u16>()
        .ok()
        .filter(|code| (100..=999).contains(code))
        .map(StatusMatch::Code)
}

/// `TooManyRequests` for 429 (the canonical reason phrase in UpperCamelCase), `ClientError`
/// for `4XX`, `ServerError` for `5XX`, `Default` for `default`.
fn status_variant(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|status| status.canonical_reason())
            .map(|reason| names::bare(&names::type_name(reason)).to_owned())
            .unwrap_or_else(|| format!("Status{code}")),
        StatusMatch::Range(1) => "Informational".to_owned(),
        StatusMatch::Range(2) => "Success".to_owned(),
        StatusMatch::Range(3) => "Redirection".to_owned(),
        StatusMatch::Range(4) => "ClientError".to_owned(),
        StatusMatch::Range(_) => "ServerError".to_owned(),
        StatusMatch::Default => "Default".to_owned(),
    }
}

/// Whether the type (after aliases) has an optional text `message` field, which the error's
/// `Display` shows when the server sent one.
fn has_message(lowering: &Lowering<'_>, ty: &Type) -> bool {
    let Type::Named(name) = ty else { return false };
    let Some(item) = lowering.items.get(name) else {
        return false;
    };
    if let ItemKind::Alias(inner) = &item.kind {
        return has_message(lowering, inner);
    }
    item.kind
        .fields()
        .iter()
        .any(|f| f.name == "message" && f.ty == Type::String && !f.required && !f.nullable)
}
