//! Unions: tagged (a tag property picks the variant, shared fields in a head struct) and untagged
//! (the first variant that decodes wins); both keep what they cannot place as JSON.
//!
//! A union's variants hold their payloads unboxed (only a variant containing its union is boxed):
//! boxing the large ones would cost an allocation per value and a `Box` in every match, for
//! memory that a response holds only briefly. Each union says so to clippy itself
//! (`large_enum_variant`), rather than the crate allowing it everywhere.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::structs::{emit_deserialize, emit_serialize};
use super::{docs, emit_field, ident, rust_type};
use crate::ir::{Field, Head, Item, TaggedUnion, Type, UnionVariant, UntaggedUnion, VariantRead};

/// A union variant's payload type, boxed if the variant contains the union.
fn payload(variant: &UnionVariant) -> TokenStream {
    let ty = rust_type(&variant.ty, &quote!());
    if variant.boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

pub(super) fn emit_tagged(doc: &TokenStream, item: &Item, u: &TaggedUnion) -> TokenStream {
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
    let fields = head.fields.iter().map(|f| emit_field(f, true));
    let kind_field = ident(&head.kind_field);
    let kind_field_doc = docs(&format!("Which variant this is, by its `{}`.", u.property));
    let head_impls = emit_head(item, &kind_enum, &kind_field, head, &ident(&u.unknown));
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

/// The private head struct and the impls that read and write a union with shared fields. The
/// head is read and written as a struct is, and named in errors as the union's object.
fn emit_head(
    item: &Item,
    kind_enum: &Ident,
    kind_field: &Ident,
    head: &Head,
    unknown: &Ident,
) -> TokenStream {
    let name = ident(&item.name);
    let head_name = ident(&head.head_struct);
    let head_doc = docs(&format!(
        "The fields every [`{name}`] has besides its variant's."
    ));
    let fields = head.fields.iter().map(|f| emit_field(f, false));
    let head_serialize = emit_serialize(&head_name, &head.fields, None);
    let head_deserialize = emit_deserialize(&head_name, &item.wire, &head.fields, None);
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
        struct #head_name { #(#fields)* }

        #head_serialize
        #head_deserialize

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
                let #kind_field = crate::runtime::json::tagged(&raw, #kind_enum::#unknown)
                    .map_err(D::Error::custom)?;
                Ok(Self { #(#names: head.#names,)* #kind_field })
            }
        }
    }
}

/// The enum of a tagged union's variants, with the impls that dispatch on the tag.
fn emit_tag_enum(doc: &TokenStream, name: &Ident, wire: &str, u: &TaggedUnion) -> TokenStream {
    let property = &u.property;
    let unknown = ident(&u.unknown);
    let variants: Vec<_> = u.variants.iter().map(|v| ident(&v.name)).collect();
    let tags: Vec<_> = u.variants.iter().map(|v| v.tag.as_str()).collect();
    // The object's text is named only where a variant rereads it.
    let raw = if u.variants.iter().any(|v| v.read == VariantRead::Text) {
        quote!(raw)
    } else {
        quote!(_raw)
    };
    let reads = u.variants.iter().map(|v| match v.read {
        VariantRead::Fields if v.boxed => quote!(json::fields(map).map(Box::new)),
        VariantRead::Fields => quote!(json::fields(map)),
        VariantRead::Text => quote!(json::reread(map, raw)),
    });
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
        #[allow(clippy::large_enum_variant)]
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

        impl crate::runtime::json::Tagged for #name {
            const PROPERTY: &'static str = #property;

            fn variant<'de, A: serde::de::MapAccess<'de>>(
                tag: &str,
                map: A,
                #raw: Option<&serde_json::value::RawValue>,
            ) -> Result<Self, A::Error> {
                use crate::runtime::json;
                match tag {
                    #(#tags => #reads.map(Self::#variants),)*
                    _ => json::unknown(map, Self::PROPERTY, tag).map(Self::#unknown),
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
                crate::runtime::json::union(deserializer, Self::#unknown)
            }
        }
    }
}

pub(super) fn emit_untagged(doc: &TokenStream, name: &Ident, u: &UntaggedUnion) -> TokenStream {
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
        #[allow(clippy::large_enum_variant)]
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
