//! Lowering rules on small specs: what each construct becomes in the IR, and the diagnostics for
//! what is not supported.

use super::{lower, Options};
use crate::diag::Diagnostic;
use crate::diag::Severity;
use crate::ir::{
    BodyKind, Crate, Idempotent, Item, ItemKind, LeftOut, LeftOutKind, Operation, ResponseBody,
    StatusMatch, Type,
};
use crate::spec::{self, selection::Selection};

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

/// The crate and its warnings, or the errors.
fn lower_leniently(
    body: &str,
    selection: &Selection,
) -> Result<(Crate, Vec<Diagnostic>), Vec<Diagnostic>> {
    let text = format!("{HEAD}{body}");
    let spec = spec::load("spec.yaml", &text).expect("the spec loads");
    let options = Options {
        package: "p".to_owned(),
        spec_path: "spec.yaml".to_owned(),
        selection: selection.clone(),
    };
    lower(&spec, &options)
}

/// The crate, or every diagnostic, warnings included (as `--strict` has it).
fn lower_with(body: &str, selection: &Selection) -> Result<Crate, Vec<Diagnostic>> {
    match lower_leniently(body, selection)? {
        (krate, warnings) if warnings.is_empty() => Ok(krate),
        (_, warnings) => Err(warnings),
    }
}

fn lowered(body: &str) -> Crate {
    lower_with(body, &Selection::all()).unwrap_or_else(|d| panic!("diagnostics: {d:#?}"))
}

fn messages(body: &str) -> Vec<String> {
    match lower_with(body, &Selection::all()) {
        Ok(_) => panic!("expected diagnostics"),
        Err(diagnostics) => diagnostics.into_iter().map(|d| d.message).collect(),
    }
}

fn item<'k>(krate: &'k Crate, name: &str) -> &'k Item {
    krate
        .items
        .iter()
        .find(|item| item.name == name)
        .unwrap_or_else(|| panic!("no item {name}"))
}

fn operation<'k>(krate: &'k Crate, wire: &str) -> &'k Operation {
    krate
        .operations
        .iter()
        .find(|op| op.wire == wire)
        .unwrap_or_else(|| panic!("no operation {wire}"))
}

#[test]
fn nullable_stays_with_the_place_a_value_stands() {
    let krate = lowered(
        "paths: {}
components:
  schemas:
    maybe-text: {type: string, nullable: true}
    holder:
      type: object
      properties:
        direct: {type: string, nullable: true}
        referred: {$ref: '#/components/schemas/maybe-text'}
        wrapped: {allOf: [{$ref: '#/components/schemas/holder'}], nullable: true}
        list: {type: array, items: {type: integer, nullable: true}}
",
    );
    assert!(matches!(
        item(&krate, "MaybeText").kind,
        ItemKind::Alias(Type::String)
    ));
    let ItemKind::Struct(holder) = &item(&krate, "Holder").kind else {
        panic!("a struct")
    };
    let field = |name: &str| holder.fields.iter().find(|f| f.name == name).unwrap();
    assert!(field("direct").nullable && field("referred").nullable && field("wrapped").nullable);
    assert_eq!(field("wrapped").ty, Type::Named("Holder".to_owned()));
    assert!(
        field("wrapped").boxed,
        "a struct holding itself through `Option` is boxed"
    );
    assert_eq!(
        field("list").ty,
        Type::List(Box::new(Type::Nullable(Box::new(Type::I64))))
    );
}

#[test]
fn open_objects_keep_their_other_properties() {
    let krate = lowered(
        "paths: {}
components:
  schemas:
    open:
      type: object
      properties: {additional_properties: {type: string}}
      additionalProperties: {type: integer}
    closed:
      type: object
      additionalProperties: false
    anything: {type: object}
    base-with-variants:
      type: object
      discriminator: {propertyName: type}
      properties: {type: {type: string}}
",
    );
    let ItemKind::Struct(open) = &item(&krate, "Open").kind else {
        panic!("a struct")
    };
    let additional = open.additional.as_ref().expect("an open object");
    assert_eq!(
        (additional.name.as_str(), &additional.ty),
        ("additional_properties_2", &Type::I64)
    );
    let ItemKind::Struct(closed) = &item(&krate, "Closed").kind else {
        panic!("a struct")
    };
    assert!(closed.fields.is_empty() && closed.additional.is_none());
    assert!(matches!(
        &item(&krate, "Anything").kind,
        ItemKind::Alias(Type::Map(value)) if **value == Type::Json
    ));
    let ItemKind::Struct(base) = &item(&krate, "BaseWithVariants").kind else {
        panic!("a struct")
    };
    assert_eq!(base.additional.as_ref().map(|a| &a.ty), Some(&Type::Json));
}

#[test]
fn recursion_through_unions_only_boxes_the_variant() {
    let krate = lowered(
        "paths: {}
components:
  schemas:
    expr:
      oneOf:
        - {type: string}
        - $ref: '#/components/schemas/group'
    group:
      oneOf:
        - $ref: '#/components/schemas/expr'
        - {type: integer}
",
    );
    let boxed: Vec<bool> = ["Expr", "Group"]
        .iter()
        .flat_map(|name| match &item(&krate, name).kind {
            ItemKind::Untagged(u) => u.variants.iter().map(|v| v.boxed).collect::<Vec<_>>(),
            _ => panic!("a union"),
        })
        .collect();
    assert_eq!(boxed, [false, true, true, false]);
}

#[test]
fn aliases_that_contain_themselves_are_reported() {
    let messages = messages(
        "paths: {}
components:
  schemas:
    tree: {type: array, items: {$ref: '#/components/schemas/tree'}}
",
    );
    assert_eq!(
        messages,
        ["`Tree` contains itself only through type aliases"]
    );
}

#[test]
fn colliding_names_get_suffixes() {
    let krate = lowered(
        "paths:
  /a/{body}/{Body}:
    get:
      operationId: get-thing
      parameters:
        - {name: body, in: path, required: true, schema: {type: string}}
        - {name: Body, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
  /b:
    get:
      operationId: get_thing
      x-request-name: Client
      parameters:
        - {name: q, in: query, schema: {type: string}}
      responses: {'200': {description: ok}}
  /c:
    get:
      operationId: config
      responses: {'200': {description: ok}}
  /d:
    get:
      operationId: get-thing-all
      responses: {'200': {description: ok}}
components: {}
",
    );
    let names: Vec<(&str, &str)> = krate
        .operations
        .iter()
        .map(|op| (op.wire.as_str(), op.fn_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("config", "config_2"),
            ("get-thing", "get_thing"),
            ("get_thing", "get_thing_2"),
            ("get-thing-all", "get_thing_all_2"),
        ]
    );
    let params: Vec<&str> = operation(&krate, "get-thing")
        .path_params
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(params, ["body_2", "body_3"]);
    let second = operation(&krate, "get_thing");
    assert_eq!(
        second.query.as_ref().map(|q| q.name.as_str()),
        Some("Client2")
    );
    assert_eq!(second.error_enum, "GetThingError2");
}

#[test]
fn responses_without_a_body_and_with_one() {
    let krate = lowered(
        "paths:
  /delete:
    post:
      operationId: things-delete
      responses:
        '204':
          description: gone
          content: {application/json: {schema: {type: object}}}
        '404': {description: missing, content: {text/plain: {schema: {type: string}}}}
  /create:
    post:
      operationId: things-create
      requestBody:
        content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}
      responses:
        '201':
          description: created
          content: {application/problem+json: {schema: {type: string}}}
components: {}
",
    );
    let delete = operation(&krate, "things-delete");
    let statuses: Vec<StatusMatch> = delete.success.cases.iter().map(|c| c.status).collect();
    assert_eq!(statuses, [StatusMatch::Code(204)]);
    assert_eq!(delete.success.body(), &ResponseBody::Empty);
    assert_eq!(
        delete.errors[0].ty, None,
        "a body that is not JSON is kept raw"
    );
    let create = operation(&krate, "things-create");
    assert!(matches!(
        &create.body.as_ref().map(|b| &b.kind),
        Some(BodyKind::Json(Type::Named(name))) if name == "ThingsCreateBody"
    ));
    assert_eq!(create.success.json(), Some(&Type::String));
}

#[test]
fn what_is_not_supported_is_reported_where_it_stands() {
    let mut messages = messages(
        "paths:
  /upload/{id}/{ghost}:
    post:
      operationId: upload
      parameters:
        - {name: id, in: path, required: true, schema: {type: object, properties: {a: {type: object}}}}
        - {name: gone, in: path, required: true, schema: {type: string}}
        - {name: filter, in: query, schema: {type: object, additionalProperties: {type: array}}}
        - {name: deep, in: query, style: deepObject, schema: {type: string}}
        - {name: lab, in: query, style: label, schema: {type: string}}
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
        - {name: Authorization, in: header, required: true, schema: {type: string}}
        - {name: session, in: cookie, required: true, schema: {type: string}}
        - {name: c, in: query, content: {application/json: {}}}
      requestBody:
        content: {multipart/form-data: {schema: {type: object}}}
      responses:
        '200': {description: ok, content: {text/csv: {schema: {type: string}}}}
        '201': {description: ok, content: {application/json: {schema: {type: integer}}}}
        '4X': {description: bad}
components: {}
",
    );
    messages.sort();
    assert_eq!(
        messages,
        [
            "`style: label` is not defined for query parameter `lab`",
            "multipart body schema has no `properties`, which name its parts",
            "parameter `c` is described by `content`, which is not supported",
            "path parameter `gone` does not appear in the path template `/upload/{id}/{ghost}`",
            "path parameter `id` is nested deeper than one level, which `style: simple` cannot express",
            "path template `/upload/{id}/{ghost}` names `{ghost}`, which no path parameter declares",
            "query parameter `deep` is a scalar, which `style: deepObject` cannot express",
            "query parameter `filter` is nested deeper than one level, which `style: form` cannot express",
            "required cookie parameter `session` is not supported",
            "response status `4X` is not a number from 100 to 999, a class such as `4XX`, or `default`",
        ]
    );
}

#[test]
fn a_selection_lowers_only_what_its_operations_reach() {
    let spec = "paths:
  /a:
    post:
      operationId: a-create
      tags: [a]
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/a-request'}}}
      responses: {'200': {description: ok}}
  /b:
    get:
      operationId: b-get
      tags: [b]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/b'}}}
components:
  schemas:
    a-request:
      type: object
      properties:
        kind: {$ref: '#/components/schemas/shape'}
    shape:
      oneOf: [{$ref: '#/components/schemas/circle'}]
      discriminator: {propertyName: type, mapping: {square: '#/components/schemas/square'}}
    circle: {type: object, properties: {r: {type: number}}}
    square: {type: object, properties: {s: {type: number}}}
    b: {type: object, properties: {bad: {not: {type: string}}}}
";
    let mut selection = Selection::all();
    selection.add("tag:a");
    let krate = lower_with(spec, &selection).expect("b's unsupported schema is not lowered");
    let names: Vec<&str> = krate.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["ARequest", "Circle", "Shape", "Square"]);
    assert_eq!(krate.operations.len(), 1);
    assert!(krate.items.iter().all(|i| i.module.name == "a"));
    assert!(lower_with(spec, &Selection::all()).is_err());
}

#[test]
fn modules_follow_tags_and_large_ones_are_cut() {
    let mut spec = String::from("paths:\n");
    for n in 0..25 {
        spec.push_str(&format!(
            "  /x{n}:\n    get:\n      operationId: x{n}\n      tags: [xs]\n      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/shared'}}}}}}}}\n"
        ));
    }
    spec.push_str(
        "  /y:
    get:
      operationId: y
      tags: [ys, xs]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/shared'}}}}
        '400': {description: bad, content: {application/json: {schema: {$ref: '#/components/schemas/problem'}}}}
components:
  schemas:
    shared: {type: object, properties: {a: {type: string}}}
    problem: {type: object, properties: {a: {type: string}}}
    unused: {type: object, properties: {a: {type: string}}}
",
    );
    let krate = lowered(&spec);
    let module = |name: &str| item(&krate, name).module.name.clone();
    assert_eq!(
        [module("Shared"), module("Problem"), module("Unused")],
        ["shared", "errors", "other"]
    );
    assert_eq!(operation(&krate, "y").module.name, "ys");
    let parts: std::collections::BTreeSet<&str> = krate
        .operations
        .iter()
        .filter(|op| op.wire != "y")
        .map(|op| op.module.name.as_str())
        .collect();
    assert_eq!(parts.into_iter().collect::<Vec<_>>(), ["xs_1", "xs_2"]);
}

#[test]
fn an_operation_that_cannot_be_expressed_is_left_out_alone() {
    let spec = "\
paths:
  /good:
    get:
      operationId: good
      responses: {'200': {description: ok}}
  /bad:
    get:
      operationId: bad
      parameters:
        - {name: x, in: query, content: {application/json: {schema: {type: string}}}}
      responses: {'200': {description: ok}}
    post:
      responses: {'200': {description: ok}}
";
    let (krate, warnings) = lower_leniently(spec, &Selection::all()).expect("lowers");
    let ids: Vec<&str> = krate.operations.iter().map(|op| op.wire.as_str()).collect();
    assert_eq!(ids, ["good"]);
    assert!(warnings.iter().all(|w| w.severity == Severity::Warning));
    let left: Vec<(&LeftOutKind, &str)> = krate
        .left_out
        .iter()
        .map(|left| (&left.kind, left.origin.as_str()))
        .collect();
    assert_eq!(
        left,
        [
            (
                &LeftOutKind::Operation("bad".to_owned()),
                "#/paths/~1bad/get"
            ),
            (
                &LeftOutKind::Operation("POST /bad".to_owned()),
                "#/paths/~1bad/post"
            ),
        ]
    );
    assert!(
        krate.left_out[1].reason.contains("operationId"),
        "{:?}",
        krate.left_out
    );
}

#[test]
fn a_schema_that_cannot_be_expressed_is_any_json_and_the_rest_is_typed() {
    let spec = "\
paths: {}
components:
  schemas:
    thing:
      type: object
      properties:
        name: {type: string}
        odd: {type: string, if: {minLength: 1}}
        other: {$ref: '#/components/schemas/nowhere'}
    bad-named: {type: object, properties: {a: {type: string}}, allOf: [{$ref: '#/components/schemas/bad-named'}]}
";
    let (krate, warnings) = lower_leniently(spec, &Selection::all()).expect("lowers");
    let ItemKind::Struct(thing) = &item(&krate, "Thing").kind else {
        panic!("Thing is a struct");
    };
    let types: Vec<(&str, &Type)> = thing
        .fields
        .iter()
        .map(|f| (f.wire.as_str(), &f.ty))
        .collect();
    assert_eq!(
        types,
        [
            ("name", &Type::String),
            ("odd", &Type::Json),
            ("other", &Type::Json)
        ]
    );
    assert!(matches!(
        item(&krate, "BadNamed").kind,
        ItemKind::Alias(Type::Json)
    ));
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    let origins: Vec<&str> = krate
        .left_out
        .iter()
        .map(|l: &LeftOut| l.origin.as_str())
        .collect();
    assert_eq!(
        origins,
        [
            "#/components/schemas/bad-named",
            "#/components/schemas/thing/properties/odd",
            "#/components/schemas/thing/properties/other",
        ]
    );
}

#[test]
fn entries_that_do_not_load_cost_only_their_place() {
    let spec = "\
paths:
  /good:
    get:
      operationId: good
      responses: {'200': {description: ok}}
  /bad:
    parameters: 5
    get:
      operationId: bad-get
      responses: {'200': {description: ok}}
    delete:
      operationId: bad-delete
      responses: {'200': {description: ok}}
components:
  schemas:
    odd: {type: object, required: 7}
    user: {type: object, properties: {odd: {$ref: '#/components/schemas/odd'}}}
";
    let (krate, warnings) = lower_leniently(spec, &Selection::all()).expect("lowers");
    let ids: Vec<&str> = krate.operations.iter().map(|op| op.wire.as_str()).collect();
    assert_eq!(ids, ["good"]);
    assert!(matches!(
        item(&krate, "Odd").kind,
        ItemKind::Alias(Type::Json)
    ));
    assert!(matches!(item(&krate, "User").kind, ItemKind::Struct(_)));
    let pointers: Vec<&str> = warnings
        .iter()
        .map(|w| w.pointer.as_ref().map_or("", |p| p.as_str()))
        .collect();
    assert_eq!(pointers, ["#/paths/~1bad", "#/components/schemas/odd"]);
    let left: Vec<&LeftOutKind> = krate.left_out.iter().map(|l| &l.kind).collect();
    assert_eq!(
        left,
        [
            &LeftOutKind::Schema,
            &LeftOutKind::Operation("bad-get".to_owned()),
            &LeftOutKind::Operation("bad-delete".to_owned()),
        ]
    );
}

#[test]
fn unions_beside_properties_add_optional_properties() {
    let krate = lowered(
        "paths: {}
components:
  schemas:
    contact:
      type: object
      required: [name]
      properties:
        name: {type: string}
      oneOf:
        - required: [email]
          properties: {email: {type: string}}
        - required: [phone]
          properties: {phone: {type: string}}
    filter:
      type: object
      properties:
        a: {type: string}
        b: {type: string}
      anyOf:
        - required: [a]
        - required: [b]
",
    );
    let ItemKind::Struct(contact) = &item(&krate, "Contact").kind else {
        panic!("a struct, not a union that drops `name`")
    };
    let fields: Vec<(&str, bool)> = contact
        .fields
        .iter()
        .map(|f| (f.wire.as_str(), f.required))
        .collect();
    assert_eq!(fields, [("email", false), ("name", true), ("phone", false)]);
    let ItemKind::Struct(filter) = &item(&krate, "Filter").kind else {
        panic!("members that only constrain change no type")
    };
    assert!(filter.fields.iter().all(|f| !f.required));
}

#[test]
fn any_of_with_null_is_the_other_member_where_it_stands() {
    let krate = lowered(
        "paths: {}
components:
  schemas:
    name:
      anyOf: [{type: string}, {type: 'null'}]
    holder:
      type: object
      required: [named, inline]
      properties:
        named: {$ref: '#/components/schemas/name'}
        inline: {oneOf: [{$ref: '#/components/schemas/holder'}, {type: 'null'}]}
        items: {type: array, items: {anyOf: [{type: integer}, {type: 'null'}]}}
",
    );
    assert!(matches!(
        item(&krate, "Name").kind,
        ItemKind::Alias(Type::String)
    ));
    let ItemKind::Struct(holder) = &item(&krate, "Holder").kind else {
        panic!("a struct")
    };
    let field = |name: &str| holder.fields.iter().find(|f| f.name == name).unwrap();
    assert!(field("named").nullable && field("inline").nullable);
    assert_eq!(field("inline").ty, Type::Named("Holder".to_owned()));
    assert_eq!(
        field("items").ty,
        Type::List(Box::new(Type::Nullable(Box::new(Type::I64))))
    );
}

#[test]
fn successes_with_different_bodies_get_an_enum_and_accept_their_media_types() {
    let krate = lowered(
        "paths:
  /a:
    post:
      operationId: a
      requestBody:
        content: {application/octet-stream: {}, text/plain: {}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
        '202': {description: queued, content: {application/zip: {}}}
        2XX: {description: other}
        5XX: {description: down, content: {application/json: {schema: {type: string}}}}
components: {}
",
    );
    let a = operation(&krate, "a");
    assert!(matches!(
        a.body.as_ref().map(|b| (&b.kind, b.media.as_str())),
        Some((BodyKind::Text, "text/plain"))
    ));
    assert_eq!(a.success.enum_name.as_deref(), Some("AResponse"));
    assert_eq!(a.success.accept, "application/json, application/zip");
    let cases: Vec<(StatusMatch, &str, &ResponseBody)> = a
        .success
        .cases
        .iter()
        .map(|c| (c.status, c.variant.as_str(), &c.body))
        .collect();
    assert_eq!(
        cases,
        [
            (
                StatusMatch::Code(200),
                "Ok",
                &ResponseBody::Json(Type::String)
            ),
            (StatusMatch::Code(202), "Accepted", &ResponseBody::Binary),
            (StatusMatch::Range(2), "Success", &ResponseBody::Empty),
        ]
    );
    let errors: Vec<(StatusMatch, &str)> = a
        .errors
        .iter()
        .map(|e| (e.status, e.variant.as_str()))
        .collect();
    assert_eq!(errors, [(StatusMatch::Range(5), "ServerError")]);
}

#[test]
fn idempotency_comes_from_the_method_then_the_extension_then_the_config() {
    let spec = "paths:
  /things.get:
    get: {operationId: things-get, responses: {'200': {description: ok}}}
    put: {operationId: things-put, responses: {'200': {description: ok}}}
    post: {operationId: things-get-post, responses: {'200': {description: ok}}}
  /things.other:
    delete: {operationId: things-delete, responses: {'200': {description: ok}}}
    patch: {operationId: things-patch, responses: {'200': {description: ok}}}
  /things.create:
    post: {operationId: things-create, responses: {'200': {description: ok}}}
  /things.touch:
    post: {operationId: things-touch, x-idempotent: true, responses: {'200': {description: ok}}}
  /things.read:
    get: {operationId: things-read, x-idempotent: false, responses: {'200': {description: ok}}}
";
    let mut selection = Selection::all();
    selection
        .add_file("config.yaml", "idempotent: ['/*.get']\n")
        .unwrap();
    let krate = lower_with(spec, &selection).expect("the spec lowers");
    let idempotent = |wire| operation(&krate, wire).idempotent;
    assert_eq!(idempotent("things-delete"), Idempotent::ByMethod(true));
    assert_eq!(idempotent("things-patch"), Idempotent::ByMethod(false));
    assert_eq!(idempotent("things-create"), Idempotent::ByMethod(false));
    assert_eq!(idempotent("things-touch"), Idempotent::BySpec(true));
    assert_eq!(idempotent("things-read"), Idempotent::BySpec(false));
    // The config's path pattern covers every method of `/things.get`.
    assert_eq!(idempotent("things-get-post"), Idempotent::ByConfig);
    assert_eq!(idempotent("things-put"), Idempotent::ByConfig);
    assert_eq!(idempotent("things-get"), Idempotent::ByConfig);
}
