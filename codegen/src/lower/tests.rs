//! Lowering rules on small specs: what each construct becomes in the IR, and the diagnostics for
//! what is not supported.

use super::{lower, Options};
use crate::diag::Diagnostic;
use crate::ir::{Crate, Idempotent, Item, ItemKind, Operation, Type};
use crate::spec::{self, select::Selection};

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

fn lower_with(body: &str, selection: &Selection) -> Result<Crate, Vec<Diagnostic>> {
    let text = format!("{HEAD}{body}");
    let spec = spec::load("spec.yaml", &text).expect("the spec loads");
    let options = Options {
        package: "p".to_owned(),
        spec_path: "spec.yaml".to_owned(),
        selection: selection.clone(),
    };
    lower(&spec, &options)
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
  /a:
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
    assert_eq!(
        (delete.success.statuses.as_slice(), &delete.success.ty),
        (&[204][..], &None)
    );
    assert_eq!(
        delete.errors[0].ty, None,
        "a body that is not JSON is kept raw"
    );
    let create = operation(&krate, "things-create");
    assert_eq!(
        create.body,
        Some(Type::Named("ThingsCreateBody".to_owned()))
    );
    assert_eq!(create.success.ty, Some(Type::String));
}

#[test]
fn what_is_not_supported_is_reported_where_it_stands() {
    let mut messages = messages(
        "paths:
  /upload/{id}:
    post:
      operationId: upload
      parameters:
        - {name: id, in: path, required: true, schema: {type: object, properties: {a: {type: string}}}}
        - {name: filter, in: query, schema: {type: object, additionalProperties: true}}
        - {name: deep, in: query, style: deepObject, schema: {type: string}}
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
        - {name: Authorization, in: header, required: true, schema: {type: string}}
        - {name: c, in: query, content: {application/json: {}}}
      requestBody:
        content: {multipart/form-data: {schema: {type: object}}}
      responses:
        '200': {description: ok, content: {text/csv: {schema: {type: string}}}}
        '201': {description: ok, content: {application/json: {schema: {type: integer}}}}
components: {}
",
    );
    messages.sort();
    assert_eq!(
        messages,
        [
            "`style: deepObject` of query parameter `deep` is not supported",
            "parameter `c` is described by `content`, which is not supported",
            "path parameter `id` is not a string, number, boolean or string enum",
            "query parameter `filter` is an object, which a query string cannot hold",
            "request body media type `multipart/form-data` is not supported",
            "required header parameter `X-Trace` is not supported",
            "success response media type `text/csv` is not supported",
            "the success responses (200, 201) do not share one body type",
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
    b: {type: object, properties: {bad: {anyOf: [{type: string}]}}}
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
