//! Parameters: the path's and the operation's parameters merged, each checked against its
//! location's styles and lowered into a path argument or a field of the query struct (query and
//! header parameters), and the path template checked against the path parameters.

use crate::diag::Pointer;
use crate::ir::{Field, ItemKind, Param, ParamLocation, ParamStyle, QueryField, Type};
use crate::names::{self, Namespace};
use crate::spec::model::{Location, Parameter, Style};

use super::super::Lowering;
use super::{resolve_component, Place, RESERVED_ARGUMENTS};

/// Header parameters the spec says to ignore (OpenAPI 3.0.3, "Parameter Object", `in`), and
/// `Authorization`, which the transport's token sets.
const IGNORED_HEADERS: &[&str] = &["accept", "authorization", "content-type"];

/// The path parameters in template order and the query and header fields: the path's
/// parameters, overridden by the operation's own with the same name and location.
pub(super) fn parameters<'s>(
    lowering: &mut Lowering<'s>,
    place: &Place<'_, 's>,
    type_prefix: &str,
) -> (Vec<Param>, Vec<QueryField>) {
    let path_list = Pointer::root()
        .join("paths")
        .join(place.path)
        .join("parameters");
    let own_list = place.at.join("parameters");
    let mut merged: Vec<(&'s Parameter, Location, Pointer)> = Vec::new();
    let lists = [
        (&place.item.parameters, path_list),
        (&place.operation.parameters, own_list),
    ];
    for (list, list_at) in lists {
        for (index, param) in list.iter().enumerate() {
            let Some((param, param_at)) = resolve_component(
                lowering,
                param,
                param.reference.as_deref(),
                ("parameters", &lowering.spec.parameters, "parameter"),
                &list_at.join(index),
            ) else {
                continue;
            };
            let Some(location) = param.location else {
                lowering.error(&param_at, format!("parameter `{}` has no `in`", param.name));
                continue;
            };
            merged.retain(|(p, l, _)| (&p.name, *l) != (&param.name, location));
            merged.push((param, location, param_at));
        }
    }
    // Declared, whether or not they lower: one that cannot is reported once, for itself.
    let declared: Vec<(String, Pointer)> = merged
        .iter()
        .filter(|(_, location, _)| *location == Location::Path)
        .map(|(p, _, at)| (p.name.clone(), at.clone()))
        .collect();
    let mut path_params = Vec::new();
    let mut query_fields = Vec::new();
    let mut arguments = Namespace::with_reserved(RESERVED_ARGUMENTS.iter().copied());
    let mut fields = Namespace::default();
    for (param, location, param_at) in merged {
        if location == Location::Header
            && IGNORED_HEADERS.contains(&param.name.to_ascii_lowercase().as_str())
        {
            continue;
        }
        if param.content.is_some() {
            lowering.error(
                &param_at.join("content"),
                format!(
                    "parameter `{}` is described by `content`, which is not supported",
                    param.name
                ),
            );
            continue;
        }
        let context = format!(
            "{type_prefix}{}",
            names::bare(&names::type_name(&param.name))
        );
        let ty = match &param.schema {
            Some(schema) => lowering.schema_type(schema, &context, &param_at.join("schema")),
            None => Type::String,
        };
        let Some(style) = style(lowering, param, location, &param_at) else {
            continue;
        };
        let explode = param.explode.unwrap_or(style == ParamStyle::Form);
        let shape = shape(lowering, &ty);
        let fits = match style {
            ParamStyle::DeepObject => shape == Shape::Object || shape == Shape::Nested,
            ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited => {
                shape == Shape::List || shape == Shape::Object
            }
            _ => shape != Shape::Nested,
        };
        if !fits {
            lowering.error(
                &param_at.join("schema"),
                format!(
                    "{} parameter `{}` is {}, which `style: {}` cannot express",
                    location.as_str(),
                    param.name,
                    shape.describe(),
                    spec_style(style).as_str()
                ),
            );
            continue;
        }
        match location {
            Location::Path => path_params.push(Param {
                name: arguments.unique(&names::value_name(&param.name), "_"),
                wire: param.name.clone(),
                ty,
                style,
                explode,
            }),
            Location::Query | Location::Header => query_fields.push(QueryField {
                field: Field {
                    name: fields.unique(&names::value_name(&param.name), "_"),
                    wire: param.name.clone(),
                    doc: param.description.clone(),
                    ty,
                    // A path parameter is always required; others say so.
                    required: param.required,
                    nullable: false,
                    boxed: false,
                },
                location: if location == Location::Query {
                    ParamLocation::Query
                } else {
                    ParamLocation::Header
                },
                style,
                explode,
            }),
            // Cookies are the transport's: an optional one can be left out, but a request
            // without a required one would be wrong.
            Location::Cookie => {
                if param.required {
                    lowering.error(
                        &param_at,
                        format!(
                            "required cookie parameter `{}` is not supported",
                            param.name
                        ),
                    );
                }
            }
        }
    }
    check_template(lowering, place, &declared, &mut path_params);
    (path_params, query_fields)
}

/// Sorts the path parameters into template order, reporting `{name}`s that no path parameter
/// declares and path parameters the template lacks, since either would send a wrong path.
fn check_template(
    lowering: &mut Lowering<'_>,
    place: &Place<'_, '_>,
    declared: &[(String, Pointer)],
    params: &mut Vec<Param>,
) {
    let names = template_names(place.path);
    for name in &names {
        if !declared.iter().any(|(declared, _)| declared == name) {
            let diagnostic = lowering
                .spec
                .diag(
                    place.at,
                    format!(
                        "path template `{}` names `{{{name}}}`, which no path parameter declares",
                        place.path
                    ),
                )
                .help(format!(
                    "declare `{name}` under `parameters` with `in: path` and `required: true`"
                ));
            lowering.diagnostics.push(diagnostic);
        }
    }
    for (name, at) in declared {
        if !names.contains(name) {
            lowering.error(
                at,
                format!(
                    "path parameter `{name}` does not appear in the path template `{}`",
                    place.path
                ),
            );
        }
    }
    params.retain(|param| names.contains(&param.wire));
    params.sort_by_key(|p| names.iter().position(|n| *n == p.wire));
}

/// The `{name}`s of a path template, in order.
fn template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        names.push(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    names
}

/// The parameter's style, defaulted by location; `None` (reported) when the location does not
/// allow it.
fn style(
    lowering: &mut Lowering<'_>,
    param: &Parameter,
    location: Location,
    at: &Pointer,
) -> Option<ParamStyle> {
    let (default, allowed): (Style, &[Style]) = match location {
        Location::Path => (Style::Simple, &[Style::Simple, Style::Label, Style::Matrix]),
        Location::Query => (
            Style::Form,
            &[
                Style::Form,
                Style::SpaceDelimited,
                Style::PipeDelimited,
                Style::DeepObject,
            ],
        ),
        Location::Header => (Style::Simple, &[Style::Simple]),
        Location::Cookie => (Style::Form, &[Style::Form]),
    };
    let style = param.style.unwrap_or(default);
    if !allowed.contains(&style) {
        let listed: Vec<String> = allowed
            .iter()
            .map(|s| format!("`{}`", s.as_str()))
            .collect();
        let diagnostic = lowering
            .spec
            .diag(
                &at.join("style"),
                format!(
                    "`style: {}` is not defined for {} parameter `{}`",
                    style.as_str(),
                    location.as_str(),
                    param.name
                ),
            )
            .help(format!(
                "{} parameters take {}",
                location.as_str(),
                listed.join(", ")
            ));
        lowering.diagnostics.push(diagnostic);
        return None;
    }
    Some(ir_style(style))
}

fn ir_style(style: Style) -> ParamStyle {
    match style {
        Style::Simple => ParamStyle::Simple,
        Style::Label => ParamStyle::Label,
        Style::Matrix => ParamStyle::Matrix,
        Style::Form => ParamStyle::Form,
        Style::SpaceDelimited => ParamStyle::SpaceDelimited,
        Style::PipeDelimited => ParamStyle::PipeDelimited,
        Style::DeepObject => ParamStyle::DeepObject,
    }
}

fn spec_style(style: ParamStyle) -> Style {
    match style {
        ParamStyle::Simple => Style::Simple,
        ParamStyle::Label => Style::Label,
        ParamStyle::Matrix => Style::Matrix,
        ParamStyle::Form => Style::Form,
        ParamStyle::SpaceDelimited => Style::SpaceDelimited,
        ParamStyle::PipeDelimited => Style::PipeDelimited,
        ParamStyle::DeepObject => Style::DeepObject,
    }
}

/// The style of a form property's `encoding` in the IR.
pub(super) fn form_style(style: Style) -> ParamStyle {
    ir_style(style)
}

/// What a parameter's value looks like to the styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Scalar,
    List,
    Object,
    /// Lists or objects inside lists or objects: only `deepObject` writes them.
    Nested,
}

impl Shape {
    fn describe(self) -> &'static str {
        match self {
            Shape::Scalar => "a scalar",
            Shape::List => "an array",
            Shape::Object => "an object",
            Shape::Nested => "nested deeper than one level",
        }
    }
}

fn shape(lowering: &Lowering<'_>, ty: &Type) -> Shape {
    match ty {
        Type::List(item) if is_scalar(lowering, item) => Shape::List,
        Type::Map(value) if is_scalar(lowering, value) => Shape::Object,
        Type::List(_) | Type::Map(_) => Shape::Nested,
        Type::Nullable(inner) => shape(lowering, inner),
        Type::Named(name) => match lowering.items.get(name).map(|item| &item.kind) {
            Some(ItemKind::Alias(inner)) => shape(lowering, inner),
            Some(ItemKind::Struct(s))
                if s.fields.iter().all(|f| is_scalar(lowering, &f.ty))
                    && s.additional
                        .as_ref()
                        .is_none_or(|a| is_scalar(lowering, &a.ty)) =>
            {
                Shape::Object
            }
            Some(ItemKind::Struct(_)) => Shape::Nested,
            // A union fits when one of its variants does: a value of another variant is
            // refused when sent, as any JSON is.
            Some(ItemKind::Untagged(union))
                if union.variants.iter().any(|v| is_scalar(lowering, &v.ty)) =>
            {
                Shape::Scalar
            }
            _ if is_scalar(lowering, ty) => Shape::Scalar,
            _ => Shape::Nested,
        },
        _ => Shape::Scalar,
    }
}

/// Whether a value of `ty` is text, a number, a boolean, a string enum or a union of those,
/// which is what one value of a style can hold. Any JSON is let through: it is checked when
/// sent.
pub(super) fn is_scalar(lowering: &Lowering<'_>, ty: &Type) -> bool {
    match ty {
        Type::String | Type::Bool | Type::I32 | Type::I64 | Type::F64 | Type::DateTime => true,
        Type::Json => true,
        Type::Named(name) => match lowering.items.get(name).map(|item| &item.kind) {
            Some(ItemKind::Enum(_) | ItemKind::IntEnum(_)) => true,
            Some(ItemKind::Alias(inner)) => is_scalar(lowering, inner),
            Some(ItemKind::Untagged(union)) => {
                union.variants.iter().all(|v| is_scalar(lowering, &v.ty))
            }
            _ => false,
        },
        Type::Nullable(inner) => is_scalar(lowering, inner),
        Type::List(_) | Type::Tuple(_) | Type::Map(_) => false,
    }
}
