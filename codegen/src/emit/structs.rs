//! Structs: the type, with written-out `Serialize` and `Deserialize`.
//!
//! `Deserialize` goes through the runtime's `json::Object`: one loop over the object's
//! properties, with a slot per field. A derived `Deserialize` is several times that code per
//! struct (a field enum and its visitor, a sequence visitor), and with a thousand schemas it was
//! most of the generated crate's compile time. `Serialize` writes the fields through the
//! runtime's `json::Fields`, skipping absent ones: what the derive does, without its length
//! count, its skip calls for absent fields and a proc-macro pass over every struct.
//!
//! Both are plain calls with one `?` per property read and none per field written: each `?` is
//! a match the compiler builds, checks and lowers. Without them, type and borrow checking of
//! these impls in DevRev's crate went from 6.6 to 3.7 s (rustc's self-profile).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{emit_field, ident, rust_type};
use crate::ir::{Additional, Field, Item, Struct, Type};
use crate::names::Namespace;

/// The struct of an object schema, with its serde impls.
pub(super) fn emit_struct(doc: &TokenStream, item: &Item, s: &Struct) -> TokenStream {
    let name = ident(&item.name);
    let fields = s.fields.iter().map(|f| emit_field(f, true));
    let others = s.additional.as_ref().map(|additional| {
        let name = ident(&additional.name);
        let ty = rust_type(&additional.ty, &quote!());
        quote! {
            /// Properties the schema does not name, kept as they came.
            pub #name: std::collections::BTreeMap<String, #ty>,
        }
    });
    // Structs whose fields can all be left out get `Default`, so a request with a few fields
    // set reads `Request { email: Some(..), ..Default::default() }`.
    let default = if s.fields.iter().all(Field::has_default) {
        quote!(Default,)
    } else {
        quote!()
    };
    let serialize = emit_serialize(&name, &s.fields, s.additional.as_ref());
    let deserialize = emit_deserialize(&name, &item.wire, &s.fields, s.additional.as_ref());
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name { #(#fields)* #others }

        #serialize
        #deserialize
    }
}

/// `Serialize` as a map, through the runtime's `json::Fields`: required fields always, optional
/// ones when present, then the open object's other properties. A union's head struct is
/// written the same way.
pub(super) fn emit_serialize(
    name: &Ident,
    fields: &[Field],
    additional: Option<&Additional>,
) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = &f.wire;
        if f.required {
            quote!(fields.field(#wire, &self.#field);)
        } else {
            quote!(fields.optional(#wire, &self.#field);)
        }
    });
    let others = additional.map(|additional| {
        let other = ident(&additional.name);
        quote!(fields.others(&self.#other);)
    });
    let mutable = (!fields.is_empty() || others.is_some()).then(|| quote!(mut));
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let #mutable fields = crate::runtime::json::Fields::new(serializer);
                #(#entries)*
                #others
                fields.end()
            }
        }
    }
}

/// `Deserialize` through `json::Object`: a slot per field, filled by property name; `wire` names
/// the object in errors. A union's head struct is read the same way.
pub(super) fn emit_deserialize(
    name: &Ident,
    wire: &str,
    fields: &[Field],
    additional: Option<&Additional>,
) -> TokenStream {
    // The slots are named after the fields; the map and key get names no field has.
    let mut locals = Namespace::with_reserved(fields.iter().map(|f| f.name.as_str()));
    let map = ident(&locals.unique("map", "_"));
    let key = ident(&locals.unique("key", "_"));
    let slots: Vec<Ident> = fields.iter().map(|f| ident(&f.name)).collect();
    let wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    // Timestamps have a reader of their own, faster than chrono's `Deserialize`.
    let readers = fields.iter().map(|f| match (&f.ty, f.boxed) {
        (Type::DateTime, false) => quote!(date_time),
        _ => quote!(field),
    });
    let inits = fields.iter().map(|f| {
        let slot = ident(&f.name);
        let wire = &f.wire;
        match (f.required, f.nullable) {
            (true, false) => quote!(#slot: json::required(#slot, #wire)?),
            // A required nullable property that is missing reads as `null`, as serde's derive
            // reads any missing `Option`.
            (true, true) | (false, false) => quote!(#slot: json::optional(#slot)),
            (false, true) => quote!(#slot),
        }
    });
    // What becomes of a property that is not a field: skipped, or kept in the open object's
    // map, which is filled under the field's own name so the struct takes it as it is.
    let other = additional.map(|additional| ident(&additional.name));
    let (declare, fallback, keep) = match &other {
        None => (quote!(), quote!(json::skip(&mut #map)), quote!()),
        Some(other) => (
            quote!(let mut #other = std::collections::BTreeMap::new();),
            quote!(json::other(&mut #map, &mut #other, #key)),
            quote!(#other),
        ),
    };
    let empty = fields.is_empty() && other.is_none();
    let visit = if empty {
        // Nothing to keep: every property is skipped.
        quote! {
            crate::runtime::json::rest(#map)?;
            Ok(Self {})
        }
    } else {
        // Without fields, every property goes to the map: no `match` with only a wildcard.
        // One `?` for the property, whichever arm reads it, rather than one per arm.
        let read = if fields.is_empty() {
            quote!(#fallback?;)
        } else {
            quote! {
                match #key.as_str() {
                    #(#wires => json::#readers(&mut #map, &mut #slots, #wires),)*
                    _ => #fallback,
                }?;
            }
        };
        quote! {
            use crate::runtime::json;
            #(let mut #slots = None;)*
            #declare
            while let Some(#key) = #map.next_key::<json::Key<'de>>()? {
                #read
            }
            Ok(Self { #(#inits,)* #keep })
        }
    };
    let mutable = (!empty).then(|| quote!(mut));
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::json::object(deserializer)
            }
        }

        impl crate::runtime::json::Object for #name {
            const NAME: &'static str = #wire;

            fn visit<'de, A: serde::de::MapAccess<'de>>(#mutable #map: A) -> Result<Self, A::Error> {
                #visit
            }
        }
    }
}
