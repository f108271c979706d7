//! The public API report of `cargo xtask regenerate` and `cargo xtask diff`, on real specs: edits
//! of the fragment `spec/rev-users-scan.yaml` that a user makes, each with the change it must
//! report and whether it breaks users' code, and DevRev's public description against its beta.

use codegen::api_diff::{self, ApiDiff, How, What};
use codegen::{GeneratedCrate, Selection};

const FRAGMENT: &str = "spec/rev-users-scan.yaml";

fn generate(spec_path: &str, text: &str) -> GeneratedCrate {
    let input = codegen::Input {
        spec_path,
        text,
        package: "devrev-client",
    };
    match codegen::generate_selected(&input, &Selection::all(), None) {
        Ok((krate, _)) => krate,
        Err(err) => panic!("generating from {spec_path} failed:\n{err}"),
    }
}

fn read(path: &str) -> String {
    let path = tests::workspace().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The report for the fragment edited by replacing `from` with `to` (once; it must be there).
fn edit(from: &str, to: &str) -> ApiDiff {
    let text = read(FRAGMENT);
    assert!(text.contains(from), "the fragment has {from:?}");
    let edited = text.replacen(from, to, 1);
    let old = generate(FRAGMENT, &text);
    let new = generate(FRAGMENT, &edited);
    api_diff::between(&old.files, &new.files).expect("generated code parses")
}

fn summary(diff: &ApiDiff) -> Vec<(What, How, &str, Option<&str>)> {
    diff.changes
        .iter()
        .map(|c| (c.what, c.how, c.path.as_str(), c.breaking))
        .collect()
}

#[test]
fn the_same_spec_changes_nothing() {
    assert_eq!(edit("Scan Rev Users", "Scan Rev Users"), ApiDiff::default());
}

#[test]
fn an_optional_field_added_is_one_change_that_breaks_nothing() {
    let diff = edit(
        "            description:\n              type: string\n              format: text\n              description: Description of the Rev user.\n",
        "            description:\n              type: string\n              format: text\n              description: Description of the Rev user.\n            nickname:\n              type: string\n              description: What the Rev user likes to be called.\n",
    );
    assert_eq!(
        summary(&diff),
        [(What::Field, How::Added, "types::RevUser.nickname", None)]
    );
    assert_eq!(diff.changes[0].after.as_deref(), Some("Option<String>"));
}

#[test]
fn a_field_made_required_is_breaking() {
    let diff = edit(
        "        - $ref: '#/components/schemas/user-base'\n        - type: object\n",
        "        - $ref: '#/components/schemas/user-base'\n        - type: object\n          required:\n            - external_ref\n",
    );
    assert_eq!(
        summary(&diff),
        [(
            What::Field,
            How::Changed,
            "types::RevUser.external_ref",
            Some("became required")
        )]
    );
    let change = &diff.changes[0];
    assert_eq!(change.before.as_deref(), Some("Option<String>"));
    assert_eq!(change.after.as_deref(), Some("String"));
}

#[test]
fn an_enum_value_removed_is_breaking() {
    let diff = edit("        - locked\n        - shadow\n", "        - shadow\n");
    assert_eq!(
        summary(&diff),
        [(
            What::Variant,
            How::Removed,
            "types::UserState::Locked",
            Some("removed")
        )]
    );
}

#[test]
fn a_changed_type_is_breaking_wherever_the_field_is() {
    // `display_id` of `atom-base`, which `rev-user` and the user summaries merge.
    let diff = edit(
        "        display_id:\n          type: string\n          format: text\n          description: Human-readable object ID unique to the Dev organization.\n        id:",
        "        display_id:\n          type: integer\n          format: int64\n          description: Human-readable object ID unique to the Dev organization.\n        id:",
    );
    assert!(!diff.changes.is_empty());
    for change in &diff.changes {
        assert_eq!(
            (change.what, change.how, change.breaking),
            (What::Field, How::Changed, Some("type changed")),
            "{change:?}"
        );
        assert!(change.path.ends_with(".display_id"), "{change:?}");
        assert_eq!(change.before.as_deref(), Some("Option<String>"));
        assert_eq!(change.after.as_deref(), Some("Option<i64>"));
    }
    assert!(diff.get("types::RevUser.display_id").is_some());
}

#[test]
fn an_operation_added_breaks_nothing() {
    let operation = "  /rev-users.get:
    get:
      operationId: rev-users-get
      summary: Get Rev User
      description: Gets a Rev user.
      parameters:
        - name: id
          in: query
          required: true
          description: The ID of the Rev user.
          schema:
            type: string
      responses:
        '200':
          description: The Rev user.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/rev-user'

components:";
    let diff = edit("\ncomponents:", &format!("\n{operation}"));
    assert_eq!(diff.breaking(), 0, "{diff:#?}");
    let added = |what| {
        diff.changes
            .iter()
            .filter(|c| c.what == what && c.how == How::Added)
            .map(|c| c.path.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(added(What::Operation), ["operations::rev_users_get"]);
    assert_eq!(
        added(What::Type),
        [
            "operations::RevUsersGetError",
            "operations::RevUsersGetQuery"
        ]
    );
    assert_eq!(
        added(What::Function),
        [
            "BlockingClient::rev_users_get",
            "Client::rev_users_get",
            "Mock::rev_users_get"
        ]
    );
    assert!(diff.changes.iter().all(|c| c.how == How::Added));
}

/// DevRev's public description against its beta: facts read off the two specs. The counts of
/// the whole report are printed for the record (`--nocapture`).
#[test]
fn public_to_beta() {
    let public_path = "../shared/reference/devrev-openapi-public.yaml";
    let beta_path = "../shared/specs/devrev-beta.yaml";
    let public = generate(public_path, &read(public_path));
    let beta = generate(beta_path, &read(beta_path));
    let diff = api_diff::between(&public.files, &beta.files).expect("generated code parses");
    let count = |what, how| {
        diff.changes
            .iter()
            .filter(|c| c.what == what && c.how == how)
            .count()
    };
    // Beta keeps every public operation (both specs list them) and adds the rest.
    assert_eq!(count(What::Operation, How::Removed), 0);
    assert_eq!(
        count(What::Operation, How::Added),
        beta.operations - public.operations
    );
    let change = |path: &str| {
        diff.get(path)
            .unwrap_or_else(|| panic!("no change to {path}"))
    };
    assert_eq!(
        change("operations::ai_agent_events_execute_async").how,
        How::Added
    );
    // `dev-org` gains a required `dev_slug` in beta.
    let dev_slug = change("types::DevOrg.dev_slug");
    assert_eq!(
        (dev_slug.how, dev_slug.after.as_deref(), dev_slug.breaking),
        (How::Added, Some("String"), Some("required field added"))
    );
    // `chat` has a `type` discriminator in both, and a `oneOf` (of `dm`) only in beta: from
    // a struct to a union.
    let chat = change("types::Chat");
    assert_eq!(
        (chat.before.as_deref(), chat.after.as_deref(), chat.breaking),
        (Some("struct"), Some("enum"), Some("kind changed"))
    );
    assert!(diff.breaking() > 0);
    let mut counts = std::collections::BTreeMap::<(What, How), usize>::new();
    for c in &diff.changes {
        *counts.entry((c.what, c.how)).or_default() += 1;
    }
    println!(
        "public -> beta: {} changes, {} breaking; {counts:?}",
        diff.changes.len(),
        diff.breaking()
    );
}
