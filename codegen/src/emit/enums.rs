//! Enums that keep unknown values: string enums and integer enums. A value the crate does not
//! know decodes into the `Unknown` variant and encodes back as it came.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{docs, ident};
use crate::ir::{IntEnum, StringEnum};

pub(super) fn emit_string_enum(doc: &TokenStream, name: &Ident, e: &StringEnum) -> TokenStream {
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

/// An integer enum: `Copy`, with its wire value through [`i64`] both ways.
pub(super) fn emit_int_enum(doc: &TokenStream, name: &Ident, e: &IntEnum) -> TokenStream {
    let unknown = ident(&e.unknown);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<_> = e.variants.iter().map(|v| int_literal(v.value)).collect();
    let variant_docs = e.variants.iter().map(|v| docs(&format!("`{}`", v.value)));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value this version of the crate does not know, kept as it came; a known value
            /// always becomes its own variant.
            #unknown(crate::UnknownInt),
        }

        impl #name {
            /// The value as it is on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    #(Self::#variants => #values,)*
                    Self::#unknown(value) => value.value(),
                }
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::#unknown(crate::runtime::json::UnknownInt::new(other)),
                }
            }
        }

        impl From<#name> for i64 {
            fn from(value: #name) -> Self {
                value.value()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i64 as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

/// An integer as written in source: `-1`, not `-1i64`.
fn int_literal(value: i64) -> TokenStream {
    let magnitude = proc_macro2::Literal::u64_unsuffixed(value.unsigned_abs());
    if value < 0 {
        quote!(-#magnitude)
    } else {
        quote!(#magnitude)
    }
}
