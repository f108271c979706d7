//! The public API of a generated crate, read back from its Rust source, and what changed in it
//! between two versions: what `cargo xtask regenerate` and `cargo xtask diff` report.
//!
//! The model is taken from the files with syn, not from the IR, so a directory written by any
//! earlier generator compares with what this one generates. It holds the `pub` items of the
//! public modules: operation modules, types with their fields and variants, functions and
//! methods (their signatures, without parameter names), constants, re-exports, and trait
//! implementations, derived ones included. Types are compared as token text, so a change in how
//! a type is spelled counts as a change. This module only reads source; it writes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;

/// The module whose child modules are the crate's operations, one each.
const OPERATIONS: &str = "operations";

/// What kind of item a change is to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum What {
    /// A module of [`OPERATIONS`]: one operation.
    Operation,
    /// A struct, enum, trait or type alias.
    Type,
    /// A field of a struct.
    Field,
    /// A variant of an enum.
    Variant,
    /// A function, method or trait method.
    Function,
    /// A constant or static, also an associated one.
    Constant,
    /// A `pub use`.
    Reexport,
    /// A trait implemented for a type, by a derive or an `impl` block.
    Impl,
    /// Any other public module.
    Module,
}

impl What {
    /// The plural used in reports: `operations`, `fields`, ...
    pub fn plural(self) -> &'static str {
        match self {
            What::Operation => "operations",
            What::Type => "types",
            What::Field => "fields",
            What::Variant => "variants",
            What::Function => "functions and methods",
            What::Constant => "constants",
            What::Reexport => "re-exports",
            What::Impl => "trait implementations",
            What::Module => "modules",
        }
    }
}

/// How an item changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum How {
    /// Only in the new API.
    Added,
    /// Only in the old API.
    Removed,
    /// In both, with a different shape (type, signature, payload).
    Changed,
}

/// One item of the public API.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    what: What,
    /// The type of a field or constant, the payload of a variant, the signature of a
    /// function, the target of a re-export, the kind and generics of a type.
    shape: String,
    /// Whether a struct or enum is `#[non_exhaustive]`.
    non_exhaustive: bool,
    /// The item this one belongs to (a field's struct, an item's module), whose own addition or
    /// removal already says this one's.
    parent: Option<String>,
}

/// The public API of a crate: its items by path (`types::RevUser`, `types::RevUser.email`,
/// `types::UserState::Active`, `Client::rev_users_scan`, `impl Debug for RevUser`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Api {
    items: BTreeMap<String, Entry>,
}

/// A Rust file that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The file, relative to the crate.
    pub path: String,
    /// What syn says (without the line: proc-macro2 tracks none here, which keeps it fast).
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for ParseError {}

/// One change to the public API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The kind of item.
    pub what: What,
    /// Added, removed or changed.
    pub how: How,
    /// The item's path, as in [`Api`].
    pub path: String,
    /// Its shape before (type, signature, payload), when it had one.
    pub before: Option<String>,
    /// Its shape after.
    pub after: Option<String>,
    /// Why the change breaks code that uses the item, when it does: `removed`, `became
    /// required`, `type changed`, ...
    pub breaking: Option<&'static str>,
}

/// What changed between two versions of a crate's public API, sorted by kind, then path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiDiff {
    /// Each change; the items of an added or removed module or type are not listed apart from it.
    pub changes: Vec<Change>,
}

impl ApiDiff {
    /// How many changes break code that uses the crate.
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking.is_some()).count()
    }

    /// The change to the item at `path`, if any.
    pub fn get(&self, path: &str) -> Option<&Change> {
        self.changes.iter().find(|c| c.path == path)
    }
}

/// What changed in the public API from the crate `old` to the crate `new`, both as relative path
/// (`src/types.rs`) to text. Only the Rust files that differ are parsed, with the files of the
/// modules above them to learn whether they are public.
pub fn between(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> Result<ApiDiff, ParseError> {
    let differing: BTreeSet<&str> = old
        .keys()
        .chain(new.keys())
        .map(String::as_str)
        .filter(|path| old.get(*path) != new.get(*path))
        .collect();
    let old = Api::parse(old, &differing)?;
    let new = Api::parse(new, &differing)?;
    Ok(old.diff(&new))
}

impl Api {
    /// The public API of the crate `files` (relative path to text).
    pub fn of(files: &BTreeMap<String, String>) -> Result<Api, ParseError> {
        let all: BTreeSet<&str> = files.keys().map(String::as_str).collect();
        Self::parse(files, &all)
    }

    fn parse(files: &BTreeMap<String, String>, only: &BTreeSet<&str>) -> Result<Api, ParseError> {
        let mut api = Api::default();
        let mut parsed = BTreeMap::new();
        for path in only {
            let Some(module) = module_of(path) else {
                continue;
            };
            let Some(public) = public_path(files, &module, &mut parsed)? else {
                continue;
            };
            let Some(text) = files.get(*path) else {
                continue;
            };
            let file = parse_text(path, text)?;
            let mut hidden = BTreeSet::new();
            hidden_traits(files, &file.items, &mut parsed, &mut hidden)?;
            api.add_items(&public, &file.items, &hidden);
        }
        Ok(api)
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn insert(&mut self, path: String, what: What, shape: String, parent: Option<&str>) {
        self.items.insert(
            path,
            Entry {
                what,
                shape,
                non_exhaustive: false,
                parent: parent.filter(|p| !p.is_empty()).map(str::to_owned),
            },
        );
    }

    /// The items of `module`; `hidden`: the crate's traits that users cannot name.
    fn add_items(&mut self, module: &str, items: &[syn::Item], hidden: &BTreeSet<String>) {
        // Impl blocks of types private to this file are not API; those of types defined in
        // other files are. Neither are implementations of traits users cannot name.
        let mut private: BTreeSet<String> = items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(s) if !is_pub(&s.vis) => Some(s.ident.to_string()),
                syn::Item::Enum(e) if !is_pub(&e.vis) => Some(e.ident.to_string()),
                _ => None,
            })
            .collect();
        private.extend(hidden.iter().cloned());
        // A private module's items re-exported whole are read as this module's own, under
        // its path, not as a re-export.
        let flattened = |item: &syn::Item| match item {
            syn::Item::Use(u) => {
                items.iter().any(|other| {
                    matches!(other, syn::Item::Mod(m) if !is_pub(&m.vis)
                    && reexports_all(std::slice::from_ref(item), &m.ident.to_string()))
                }) && is_pub(&u.vis)
            }
            _ => false,
        };
        for item in items.iter().filter(|item| !flattened(item)) {
            self.add_item(module, item, &private);
        }
    }

    fn add_item(&mut self, module: &str, item: &syn::Item, private: &BTreeSet<String>) {
        let path = |ident: &syn::Ident| join(module, &ident.to_string());
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let key = path(&s.ident);
                self.add_type(&key, module, "struct", &s.generics, &s.attrs);
                for (i, field) in s.fields.iter().enumerate() {
                    if !is_pub(&field.vis) {
                        continue;
                    }
                    let name = field
                        .ident
                        .as_ref()
                        .map_or_else(|| i.to_string(), ToString::to_string);
                    self.insert(
                        format!("{key}.{name}"),
                        What::Field,
                        compact(field.ty.to_token_stream()),
                        Some(&key),
                    );
                }
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                let key = path(&e.ident);
                self.add_type(&key, module, "enum", &e.generics, &e.attrs);
                for variant in &e.variants {
                    self.insert(
                        format!("{key}::{}", variant.ident),
                        What::Variant,
                        compact(variant.fields.to_token_stream()),
                        Some(&key),
                    );
                }
            }
            syn::Item::Type(t) if is_pub(&t.vis) => {
                let shape = format!(
                    "type{} = {}",
                    compact(t.generics.to_token_stream()),
                    compact(t.ty.to_token_stream())
                );
                self.insert(path(&t.ident), What::Type, shape, Some(module));
            }
            syn::Item::Trait(t) if is_pub(&t.vis) => {
                let key = path(&t.ident);
                let shape = format!("trait{}", compact(t.generics.to_token_stream()));
                self.insert(key.clone(), What::Type, shape, Some(module));
                for item in &t.items {
                    if let syn::TraitItem::Fn(f) = item {
                        let name = format!("{key}::{}", f.sig.ident);
                        self.insert(name, What::Function, signature(&f.sig), Some(&key));
                    }
                }
            }
            syn::Item::Fn(f) if is_pub(&f.vis) => {
                self.insert(
                    path(&f.sig.ident),
                    What::Function,
                    signature(&f.sig),
                    Some(module),
                );
            }
            syn::Item::Const(c) if is_pub(&c.vis) => {
                let shape = compact(c.ty.to_token_stream());
                self.insert(path(&c.ident), What::Constant, shape, Some(module));
            }
            syn::Item::Static(s) if is_pub(&s.vis) => {
                let shape = compact(s.ty.to_token_stream());
                self.insert(path(&s.ident), What::Constant, shape, Some(module));
            }
            syn::Item::Mod(m) if is_pub(&m.vis) => {
                let key = path(&m.ident);
                let what = if module == OPERATIONS {
                    What::Operation
                } else {
                    What::Module
                };
                self.insert(key.clone(), what, String::new(), Some(module));
                if let Some((_, items)) = &m.content {
                    let hidden = private.iter().filter(|p| p.starts_with("crate")).cloned();
                    self.add_items(&key, items, &hidden.collect());
                }
            }
            syn::Item::Use(u) if is_pub(&u.vis) => {
                let mut leaves = Vec::new();
                use_leaves(&u.tree, String::new(), &mut leaves);
                for (name, target) in leaves {
                    self.insert(join(module, &name), What::Reexport, target, Some(module));
                }
            }
            syn::Item::Impl(i) => self.add_impl(module, i, private),
            _ => {}
        }
    }

    /// A struct or enum, and the traits it derives.
    fn add_type(
        &mut self,
        key: &str,
        module: &str,
        kind: &str,
        generics: &syn::Generics,
        attrs: &[syn::Attribute],
    ) {
        let shape = format!("{kind}{}", compact(generics.to_token_stream()));
        self.insert(key.to_owned(), What::Type, shape, Some(module));
        let non_exhaustive = attrs.iter().any(|a| a.path().is_ident("non_exhaustive"));
        if let Some(entry) = self.items.get_mut(key) {
            entry.non_exhaustive = non_exhaustive;
        }
        let ident = key.rsplit("::").next().unwrap_or(key);
        for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
            let Ok(paths) = attr.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            ) else {
                continue;
            };
            for trait_path in paths {
                let name = format!("impl {} for {ident}", last_ident(&trait_path));
                self.insert(name, What::Impl, String::new(), Some(key));
            }
        }
    }

    /// The public methods and constants of an inherent impl, or the trait of a trait impl,
    /// keyed by the type's name (its module is where it is defined, not always here).
    fn add_impl(&mut self, module: &str, block: &syn::ItemImpl, private: &BTreeSet<String>) {
        let syn::Type::Path(self_ty) = &*block.self_ty else {
            return;
        };
        let ident = last_ident(&self_ty.path);
        if private.contains(&ident) {
            return;
        }
        let parent = join(module, &ident);
        if let Some((_, trait_path, _)) = &block.trait_ {
            if private.contains(&compact(trait_path.to_token_stream())) {
                return;
            }
            let name = format!("impl {} for {ident}", last_ident(trait_path));
            self.insert(name, What::Impl, String::new(), Some(&parent));
            return;
        }
        for item in &block.items {
            match item {
                syn::ImplItem::Fn(f) if is_pub(&f.vis) => {
                    let name = format!("{ident}::{}", f.sig.ident);
                    self.insert(name, What::Function, signature(&f.sig), Some(&parent));
                }
                syn::ImplItem::Const(c) if is_pub(&c.vis) => {
                    let name = format!("{ident}::{}", c.ident);
                    let shape = compact(c.ty.to_token_stream());
                    self.insert(name, What::Constant, shape, Some(&parent));
                }
                _ => {}
            }
        }
    }

    /// What changed from this API to `new`.
    pub fn diff(&self, new: &Api) -> ApiDiff {
        let keys: BTreeSet<&String> = self.items.keys().chain(new.items.keys()).collect();
        let mut changes = Vec::new();
        for key in keys {
            let change = match (self.items.get(key), new.items.get(key)) {
                (None, Some(after)) if !new.parent_only_here(after, self) => Change {
                    what: after.what,
                    how: How::Added,
                    path: key.clone(),
                    before: None,
                    after: Some(after.shape.clone()),
                    breaking: added_breaks(after, new),
                },
                (Some(before), None) if !self.parent_only_here(before, new) => Change {
                    what: before.what,
                    how: How::Removed,
                    path: key.clone(),
                    before: Some(before.shape.clone()),
                    after: None,
                    breaking: Some("removed"),
                },
                (Some(before), Some(after)) if before != after => {
                    let Some(breaking) = changed_breaks(before, after) else {
                        continue;
                    };
                    Change {
                        what: after.what,
                        how: How::Changed,
                        path: key.clone(),
                        before: Some(before.shape.clone()),
                        after: Some(after.shape.clone()),
                        breaking,
                    }
                }
                _ => continue,
            };
            changes.push(change);
        }
        changes.sort_by(|a, b| (a.what, &a.path).cmp(&(b.what, &b.path)));
        ApiDiff { changes }
    }

    /// Whether some item above `entry` in this API is missing from `other`, so that its own
    /// addition or removal covers `entry`'s.
    fn parent_only_here(&self, entry: &Entry, other: &Api) -> bool {
        let mut parent = entry.parent.as_deref();
        while let Some(key) = parent {
            if !other.items.contains_key(key) && self.items.contains_key(key) {
                return true;
            }
            parent = self.items.get(key).and_then(|p| p.parent.as_deref());
        }
        false
    }
}

/// Why adding `entry` to `api` breaks code, if it does: a struct literal needs a new required
/// field, an exhaustive `match` a new variant.
fn added_breaks(entry: &Entry, api: &Api) -> Option<&'static str> {
    let parent_open = || {
        entry
            .parent
            .as_ref()
            .and_then(|p| api.items.get(p))
            .is_some_and(|p| p.non_exhaustive)
    };
    match entry.what {
        What::Field if !is_option(&entry.shape) && !parent_open() => Some("required field added"),
        What::Variant if !parent_open() => Some("breaks exhaustive matches"),
        _ => None,
    }
}

/// Whether the change from `before` to `after` is one at all (`None` when only something that
/// is not API moved), and why it breaks code if it does.
fn changed_breaks(before: &Entry, after: &Entry) -> Option<Option<&'static str>> {
    if before.what != after.what {
        return Some(Some("kind changed"));
    }
    if before.shape == after.shape {
        if before.non_exhaustive == after.non_exhaustive {
            return None;
        }
        return Some(after.non_exhaustive.then_some("became non-exhaustive"));
    }
    Some(Some(match after.what {
        What::Field if option_of(&before.shape) == Some(after.shape.as_str()) => "became required",
        What::Field if option_of(&after.shape) == Some(before.shape.as_str()) => "became optional",
        What::Field | What::Constant => "type changed",
        What::Variant => "payload changed",
        What::Function => "signature changed",
        What::Reexport => "names another item",
        What::Type
            if before.shape.split(['<', ' ']).next() != after.shape.split(['<', ' ']).next() =>
        {
            "kind changed"
        }
        _ => "shape changed",
    }))
}

fn is_option(ty: &str) -> bool {
    option_of(ty).is_some()
}

/// `T` of `Option<T>`.
fn option_of(ty: &str) -> Option<&str> {
    ty.strip_prefix("Option<")
        .or_else(|| ty.strip_prefix("std::option::Option<"))
        .and_then(|rest| rest.strip_suffix('>'))
}

/// The module path of a Rust file of the crate (`src/runtime/retry/policy.rs` is `runtime`,
/// `retry`, `policy`; `src/lib.rs` is the root), or None for a file that is not one.
fn module_of(path: &str) -> Option<Vec<String>> {
    let file = path.strip_prefix("src/")?.strip_suffix(".rs")?;
    let mut module: Vec<String> = file.split('/').map(str::to_owned).collect();
    if module == ["lib"] {
        module.clear();
    } else if module.last().is_some_and(|last| last == "mod") {
        module.pop();
    }
    Some(module)
}

/// The file that declares `module` (its parent module's file), if the crate has it.
fn declaring_file(files: &BTreeMap<String, String>, parent: &[String]) -> Option<String> {
    if parent.is_empty() {
        return Some("src/lib.rs".to_owned()).filter(|p| files.contains_key(p));
    }
    let base = parent.join("/");
    [format!("src/{base}.rs"), format!("src/{base}/mod.rs")]
        .into_iter()
        .find(|p| files.contains_key(p))
}

/// The path by which users reach the items of `module`, or None when they cannot: each `mod`
/// from the crate root down is `pub`, or private with all its items re-exported
/// (`mod users; pub use users::*;`), in which case they are its parent's.
fn public_path(
    files: &BTreeMap<String, String>,
    module: &[String],
    parsed: &mut BTreeMap<String, syn::File>,
) -> Result<Option<String>, ParseError> {
    let mut public = Vec::new();
    for depth in 0..module.len() {
        let Some(parent) = declaring_file(files, &module[..depth]) else {
            return Ok(None);
        };
        let Some(file) = parse_file(files, &parent, parsed)? else {
            return Ok(None);
        };
        let name = &module[depth];
        let declared = file.items.iter().find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == *name => Some(is_pub(&m.vis)),
            _ => None,
        });
        match declared {
            Some(true) => public.push(name.clone()),
            Some(false) if reexports_all(&file.items, name) => {}
            _ => return Ok(None),
        }
    }
    Ok(Some(public.join("::")))
}

/// Whether `items` hold `pub use name::*;`.
fn reexports_all(items: &[syn::Item], name: &str) -> bool {
    items.iter().any(|item| match item {
        syn::Item::Use(u) if is_pub(&u.vis) => match &u.tree {
            syn::UseTree::Path(p) => p.ident == name && matches!(*p.tree, syn::UseTree::Glob(_)),
            _ => false,
        },
        _ => false,
    })
}

/// Adds to `hidden` the paths of the crate's traits that `items` (and their inline modules)
/// implement and that users cannot name: `crate::runtime::json::Object` in a private module.
fn hidden_traits(
    files: &BTreeMap<String, String>,
    items: &[syn::Item],
    parsed: &mut BTreeMap<String, syn::File>,
    hidden: &mut BTreeSet<String>,
) -> Result<(), ParseError> {
    for item in items {
        match item {
            syn::Item::Impl(syn::ItemImpl {
                trait_: Some((_, path, _)),
                ..
            }) if path.segments.first().is_some_and(|s| s.ident == "crate") => {
                let module: Vec<String> = path
                    .segments
                    .iter()
                    .skip(1)
                    .map(|s| s.ident.to_string())
                    .collect();
                let module = &module[..module.len().saturating_sub(1)];
                if public_path(files, module, parsed)?.is_none() {
                    hidden.insert(compact(path.to_token_stream()));
                }
            }
            syn::Item::Mod(syn::ItemMod {
                content: Some((_, items)),
                ..
            }) => hidden_traits(files, items, parsed, hidden)?,
            _ => {}
        }
    }
    Ok(())
}

fn parse_text(path: &str, text: &str) -> Result<syn::File, ParseError> {
    syn::parse_file(text).map_err(|err| ParseError {
        path: path.to_owned(),
        message: err.to_string(),
    })
}

fn parse_file<'a>(
    files: &BTreeMap<String, String>,
    path: &str,
    parsed: &'a mut BTreeMap<String, syn::File>,
) -> Result<Option<&'a syn::File>, ParseError> {
    let Some(text) = files.get(path) else {
        return Ok(None);
    };
    if !parsed.contains_key(path) {
        let file = parse_text(path, text)?;
        parsed.insert(path.to_owned(), file);
    }
    Ok(parsed.get(path))
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn join(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_owned()
    } else {
        format!("{module}::{name}")
    }
}

fn last_ident(path: &syn::Path) -> String {
    path.segments
        .last()
        .map_or_else(String::new, |s| s.ident.to_string())
}

/// `async fn name<T>(&self, &Query) -> Result<T, E>`: the parameters' types without their
/// names, which callers do not see.
fn signature(sig: &syn::Signature) -> String {
    let inputs: Vec<String> = sig
        .inputs
        .iter()
        .map(|input| match input {
            syn::FnArg::Receiver(receiver) => compact(receiver.to_token_stream()),
            syn::FnArg::Typed(typed) => compact(typed.ty.to_token_stream()),
        })
        .collect();
    let output = match &sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, ty) => format!(" -> {}", compact(ty.to_token_stream())),
    };
    let asyncness = if sig.asyncness.is_some() {
        "async "
    } else {
        ""
    };
    let where_clause = sig
        .generics
        .where_clause
        .as_ref()
        .map(|w| format!(" {}", compact(w.to_token_stream())))
        .unwrap_or_default();
    format!(
        "{asyncness}fn {}{}({}){output}{where_clause}",
        sig.ident,
        compact(sig.generics.to_token_stream()),
        inputs.join(", ")
    )
}

/// Each name a `use` tree brings in, with the path it names.
fn use_leaves(tree: &syn::UseTree, prefix: String, out: &mut Vec<(String, String)>) {
    let prefixed = |name: &str| {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}::{name}")
        }
    };
    match tree {
        syn::UseTree::Path(p) => use_leaves(&p.tree, prefixed(&p.ident.to_string()), out),
        syn::UseTree::Name(n) => out.push((n.ident.to_string(), prefixed(&n.ident.to_string()))),
        syn::UseTree::Rename(r) => {
            out.push((r.rename.to_string(), prefixed(&r.ident.to_string())));
        }
        syn::UseTree::Glob(_) => out.push((prefixed("*"), prefixed("*"))),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_leaves(tree, prefix.clone(), out);
            }
        }
    }
}

/// Tokens as short text, spaced only where Rust needs it: `Option<Vec<String>>`,
/// `&'static str`, `(String, i32)`.
fn compact(tokens: TokenStream) -> String {
    let mut out = String::new();
    let mut after_word = false;
    for token in tokens {
        match token {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                out.push_str(&compact(group.stream()));
                out.push_str(close);
                after_word = false;
            }
            TokenTree::Punct(punct) => {
                match punct.as_char() {
                    ',' => out.push_str(", "),
                    ':' if punct.spacing() == proc_macro2::Spacing::Alone
                        && !out.ends_with(':') =>
                    {
                        out.push_str(": ")
                    }
                    ch => out.push(ch),
                }
                after_word = false;
            }
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                if after_word {
                    out.push(' ');
                }
                out.push_str(&token.to_string());
                after_word = true;
            }
        }
    }
    out.trim_end_matches(", ").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn krate(files: &[(&str, &str)]) -> BTreeMap<String, String> {
        files
            .iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect()
    }

    const LIB: &str = "pub mod types; pub mod operations; mod runtime;";

    fn diff(types_before: &str, types_after: &str) -> ApiDiff {
        between(
            &krate(&[("src/lib.rs", LIB), ("src/types.rs", types_before)]),
            &krate(&[("src/lib.rs", LIB), ("src/types.rs", types_after)]),
        )
        .unwrap()
    }

    #[test]
    fn types_are_spelled_compactly() {
        let ty: syn::Type =
            syn::parse_quote!(Option<Vec<std::collections::BTreeMap<String, &'static str>>>);
        assert_eq!(
            compact(ty.to_token_stream()),
            "Option<Vec<std::collections::BTreeMap<String, &'static str>>>"
        );
        let f: syn::ItemFn = syn::parse_quote!(
            pub async fn get<T: Clone>(&self, query: &Q) -> Result<T, E> {}
        );
        assert_eq!(
            signature(&f.sig),
            "async fn get<T: Clone>(&self, &Q) -> Result<T, E>"
        );
    }

    #[test]
    fn an_optional_field_added_is_not_breaking_a_required_one_is() {
        let d = diff(
            "pub struct User { pub id: String }",
            "pub struct User { pub id: String, pub name: Option<String>, pub age: i32 }",
        );
        let name = d.get("types::User.name").unwrap();
        assert_eq!((name.how, name.breaking), (How::Added, None));
        assert_eq!(
            d.get("types::User.age").unwrap().breaking,
            Some("required field added")
        );
        assert_eq!(d.breaking(), 1);
    }

    #[test]
    fn a_field_that_became_required_or_changed_type_is_breaking() {
        let d = diff(
            "pub struct User { pub email: Option<String>, pub age: i32, pub tag: String }",
            "pub struct User { pub email: String, pub age: i64, pub tag: Option<String> }",
        );
        assert_eq!(
            d.get("types::User.email").unwrap().breaking,
            Some("became required")
        );
        assert_eq!(
            d.get("types::User.age").unwrap().breaking,
            Some("type changed")
        );
        assert_eq!(
            d.get("types::User.tag").unwrap().breaking,
            Some("became optional")
        );
        assert_eq!(
            d.get("types::User.age").unwrap().before.as_deref(),
            Some("i32")
        );
    }

    #[test]
    fn variants_added_break_only_exhaustive_enums() {
        let d = diff(
            "pub enum A { X } #[non_exhaustive] pub enum B { X } pub enum C { X, Y(u8) }",
            "pub enum A { X, Y } #[non_exhaustive] pub enum B { X, Y } pub enum C { X }",
        );
        assert_eq!(
            d.get("types::A::Y").unwrap().breaking,
            Some("breaks exhaustive matches")
        );
        assert_eq!(d.get("types::B::Y").unwrap().breaking, None);
        let removed = d.get("types::C::Y").unwrap();
        assert_eq!(
            (removed.how, removed.breaking),
            (How::Removed, Some("removed"))
        );
        assert_eq!(removed.before.as_deref(), Some("(u8)"));
    }

    #[test]
    fn a_removed_type_is_one_change_with_its_fields_and_impls() {
        let d = diff(
            "#[derive(Debug, Clone)] pub struct Old { pub a: u8 } impl Old { pub fn f(&self) {} }",
            "#[derive(Debug)] pub struct New { pub a: u8 }",
        );
        let paths: Vec<&str> = d.changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["types::New", "types::Old"]);
        assert_eq!(d.breaking(), 1);
    }

    #[test]
    fn operations_private_modules_and_unchanged_files() {
        let before = krate(&[
            ("src/lib.rs", LIB),
            ("src/operations.rs", "pub mod get { pub fn request() {} }"),
            ("src/runtime/mod.rs", "pub fn internal() {}"),
            ("src/types.rs", "pub struct Same;"),
        ]);
        let after = krate(&[
            ("src/lib.rs", LIB),
            (
                "src/operations.rs",
                "pub mod get { pub fn request(x: u8) {} } pub mod put { pub fn request() {} }",
            ),
            ("src/runtime/mod.rs", "pub fn internal(changed: u8) {}"),
            ("src/types.rs", "pub struct Same;"),
        ]);
        let d = between(&before, &after).unwrap();
        let summary: Vec<(What, How, &str)> = d
            .changes
            .iter()
            .map(|c| (c.what, c.how, c.path.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (What::Operation, How::Added, "operations::put"),
                (What::Function, How::Changed, "operations::get::request"),
            ]
        );
        assert_eq!(Api::of(&after).unwrap().len(), 7, "{:?}", Api::of(&after));
    }

    #[test]
    fn a_file_that_does_not_parse_is_named() {
        let err = between(
            &krate(&[("src/lib.rs", "pub struct A;")]),
            &krate(&[("src/lib.rs", "pub struct 1;")]),
        )
        .unwrap_err();
        assert_eq!(err.path, "src/lib.rs");
        assert!(err.to_string().starts_with("src/lib.rs: expected"), "{err}");
    }
}
