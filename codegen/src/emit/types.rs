//! Schema types: structs, string enums, tagged and untagged unions, aliases.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_lines, docs, field_serde, field_type, ident, rust_type};
use crate::ir::{
    Field, Head, Item, ItemKind, StringEnum, TaggedUnion, Type, UnionVariant, UntaggedUnion,
};

/// A types module (`types`, or one file of it): `doc`, then one item per schema. When the types
/// are split into files, `split` brings the other files' types into scope where they are used.
pub fn emit_types(doc: &str, items: &[&Item], split: bool) -> TokenStream {
    let doc = doc_lines(doc);
    // Structs derive `Serialize`; the private head structs of unions derive both.
    let heads = items.iter().any(|item| {
        matches!(
            item.kind,
            ItemKind::Tagged(TaggedUnion { head: Some(_), .. })
        )
    });
    let structs = items
        .iter()
        .any(|item| matches!(item.kind, ItemKind::Struct(_)));
    let derives = if heads {
        quote!(
            use serde::{Deserialize, Serialize};
        )
    } else if structs {
        quote!(
            use serde::Serialize;
        )
    } else {
        quote!()
    };
    let siblings = if split && uses_siblings(items) {
        quote!(
            use super::*;
        )
    } else {
        quote!()
    };
    let items = items.iter().map(|item| emit_item(item));
    quote! {
        #(#![doc = #doc])*
        #siblings
        #derives
        #(#items)*
    }
}

/// Whether these items name a type defined elsewhere.
fn uses_siblings(items: &[&Item]) -> bool {
    let defined: BTreeSet<&str> = items
        .iter()
        .flat_map(|item| {
            let extra = match &item.kind {
                ItemKind::Tagged(TaggedUnion {
                    head: Some(head), ..
                }) => vec![head.kind_enum.as_str(), head.head_struct.as_str()],
                _ => Vec::new(),
            };
            std::iter::once(item.name.as_str()).chain(extra)
        })
        .collect();
    let mut named = Vec::new();
    for item in items {
        item.kind.named_items(&mut named);
    }
    named.iter().any(|name| !defined.contains(name))
}

/// A union variant's payload type, boxed if the variant contains the union.
fn payload(variant: &UnionVariant) -> TokenStream {
    let ty = rust_type(&variant.ty, &quote!());
    if variant.boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

/// The item's description, then where it comes from: the component's name, or for an inline
/// schema the place it stands.
fn item_doc(item: &Item) -> TokenStream {
    let component = format!("#/components/schemas/{}", item.wire);
    let source = if item.origin.as_str() == component {
        format!("Schema `{}`.", item.wire)
    } else {
        format!("The inline schema at `{}`.", item.origin)
    };
    let text = match &item.doc {
        Some(doc) => format!("{}\n\n{source}", doc.trim()),
        None => source,
    };
    docs(&text)
}

fn emit_item(item: &Item) -> TokenStream {
    let doc = item_doc(item);
    let name = ident(&item.name);
    match &item.kind {
        ItemKind::Struct(s) => super::structs::emit_struct(&doc, item, s),
        ItemKind::Enum(e) => emit_enum(&doc, &name, e),
        ItemKind::Tagged(u) => emit_tagged(&doc, item, u),
        ItemKind::Untagged(u) => emit_untagged(&doc, &name, u),
        ItemKind::Alias(ty) => {
            let ty = rust_type(ty, &quote!());
            quote! { #doc pub type #name = #ty; }
        }
    }
}

/// One struct field with its docs and, unless its struct's serde impls are written out
/// (`serde: None`), the serde attributes for a derived `Serialize`, and for a derived
/// `Deserialize` too when `serde` is `Some(true)`.
pub(super) fn emit_field(field: &Field, public: bool, serde: Option<bool>) -> TokenStream {
    let doc = match &field.doc {
        Some(text) => docs(text),
        None => docs(&format!("The `{}` property.", field.wire)),
    };
    let serde = match serde {
        Some(derived_deserialize) => field_serde(field, derived_deserialize),
        None => quote!(),
    };
    let name = ident(&field.name);
    let ty = field_type(field, &quote!());
    let vis = if public { quote!(pub) } else { quote!() };
    quote! { #doc #serde #vis #name: #ty, }
}

fn emit_enum(doc: &TokenStream, name: &proc_macro2::Ident, e: &StringEnum) -> TokenStream {
    let unknown = ident(&e.unknown);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<_> = e.variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = e.variants.iter().map(|v| docs(&format!("`{}`", v.wire)));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value this version of the crate does not know, kept as it came; a known value
            /// always becomes its own variant.
            #unknown(crate::UnknownValue),
        }

        impl #name {
            /// The value as it is on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
                    other => Self::#unknown(crate::runtime::json::UnknownValue::new(other)),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::json::deserialize_str_enum(deserializer)
            }
        }
    }
}

fn emit_tagged(doc: &TokenStream, item: &Item, u: &TaggedUnion) -> TokenStream {
    let Some(head) = &u.head else {
        return emit_tag_enum(doc, &ident(&item.name), &item.wire, u);
    };
    let name = ident(&item.name);
    let kind_enum = ident(&head.kind_enum);
    let kind_doc = format!(
        "The variants of [`{}`], told apart by its `{}` property.",
        item.name, u.property
    );
    let kind = emit_tag_enum(&docs(&kind_doc), &kind_enum, &item.wire, u);
    let fields = head.fields.iter().map(|f| emit_field(f, true, None));
    let kind_field = ident(&head.kind_field);
    let kind_field_doc = docs(&format!("Which variant this is, by its `{}`.", u.property));
    let head_impls = emit_head(&name, &kind_enum, &kind_field, head);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#fields)*
            #kind_field_doc
            pub #kind_field: #kind_enum,
        }
        #head_impls
        #kind
    }
}

/// The private head struct and the impls that read and write a union with shared fields.
fn emit_head(
    name: &proc_macro2::Ident,
    kind_enum: &proc_macro2::Ident,
    kind_field: &proc_macro2::Ident,
    head: &Head,
) -> TokenStream {
    let head_name = ident(&head.head_struct);
    let head_doc = docs(&format!(
        "The fields every [`{name}`] has besides its variant's."
    ));
    let fields = head.fields.iter().map(|f| emit_field(f, false, Some(true)));
    let names: Vec<_> = head.fields.iter().map(|f| ident(&f.name)).collect();
    let copies = head.fields.iter().map(|f| {
        let name = ident(&f.name);
        if is_copy(f) {
            quote!(#name: self.#name)
        } else {
            quote!(#name: self.#name.clone())
        }
    });
    quote! {
        #head_doc
        #[derive(Serialize, Deserialize)]
        struct #head_name { #(#fields)* }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let head = #head_name { #(#copies,)* };
                self.#kind_field.serialize_with(serializer, Some(&head))
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error;
                let raw = crate::runtime::json::capture(deserializer)?;
                let head: #head_name = crate::runtime::json::decode(&raw).map_err(D::Error::custom)?;
                let #kind_field = #kind_enum::from_raw(&raw).map_err(D::Error::custom)?;
                Ok(Self { #(#names: head.#names,)* #kind_field })
            }
        }
    }
}

/// The enum of a tagged union's variants, with the impls that dispatch on the tag.
fn emit_tag_enum(
    doc: &TokenStream,
    name: &proc_macro2::Ident,
    wire: &str,
    u: &TaggedUnion,
) -> TokenStream {
    let property = &u.property;
    let unknown = ident(&u.unknown);
    let variants: Vec<_> = u.variants.iter().map(|v| ident(&v.name)).collect();
    let tags: Vec<_> = u.variants.iter().map(|v| v.tag.as_str()).collect();
    let payloads = u.variants.iter().map(payload);
    let variant_docs = u
        .variants
        .iter()
        .map(|v| docs(&format!("`{property}: {}`.", v.tag)));
    let unknown_doc = docs(&format!(
        "An object whose `{property}` this version of the crate does not know, that has none, \
         or whose fields do not fit its variant: kept whole as it came."
    ));
    let tag_doc = docs(&format!(
        "The `{property}` of this `{wire}`, if it has one."
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variant_docs #variants(#payloads),)*
            #unknown_doc
            #unknown(serde_json::Value),
        }

        impl #name {
            #tag_doc
            pub fn tag(&self) -> Option<&str> {
                match self {
                    #(Self::#variants(_) => Some(#tags),)*
                    Self::#unknown(value) => value.get(#property).and_then(serde_json::Value::as_str),
                }
            }

            fn from_raw(raw: &serde_json::value::RawValue) -> Result<Self, serde_json::Error> {
                use crate::runtime::json;
                Ok(match json::tag(raw, #property)?.as_deref() {
                    #(Some(#tags) => json::variant(raw, Self::#variants, Self::#unknown)?,)*
                    _ => Self::#unknown(json::decode(raw)?),
                })
            }

            fn serialize_with<S: serde::Serializer, H: serde::Serialize>(
                &self,
                serializer: S,
                head: Option<&H>,
            ) -> Result<S::Ok, S::Error> {
                use crate::runtime::json;
                match self {
                    #(Self::#variants(value) => json::serialize_tagged(serializer, #property, Some(#tags), head, value),)*
                    Self::#unknown(value) => json::serialize_tagged(serializer, #property, None, head, value),
                }
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.serialize_with(serializer, None::<&()>)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error;
                let raw = crate::runtime::json::capture(deserializer)?;
                Self::from_raw(&raw).map_err(D::Error::custom)
            }
        }
    }
}

fn emit_untagged(doc: &TokenStream, name: &proc_macro2::Ident, u: &UntaggedUnion) -> TokenStream {
    let unknown = ident(&u.unknown);
    let variants: Vec<_> = u.variants.iter().map(|v| ident(&v.name)).collect();
    let payloads = u.variants.iter().map(payload);
    let variant_docs = u.variants.iter().map(|v| match &v.ty {
        Type::Named(target) => docs(&format!("A [`{target}`].")),
        _ => docs("A value of this shape."),
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variant_docs #variants(#payloads),)*
            /// A value no variant decodes, kept whole as it came.
            #unknown(serde_json::Value),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#variants(value) => serde::Serialize::serialize(value, serializer),)*
                    Self::#unknown(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error;
                use crate::runtime::json;
                let raw = json::capture(deserializer)?;
                #(if let Ok(value) = json::decode(&raw) {
                    return Ok(Self::#variants(value));
                })*
                json::decode(&raw).map(Self::#unknown).map_err(D::Error::custom)
            }
        }
    }
}

/// Whether a field's type is `Copy`, so it is copied rather than cloned.
fn is_copy(field: &Field) -> bool {
    !field.boxed
        && matches!(
            field.ty,
            Type::Bool | Type::I32 | Type::I64 | Type::F64 | Type::DateTime
        )
}
