//! Whether each operation is idempotent: the HTTP method's answer, overridden by the operation's
//! `x-idempotent` extension, overridden by the generation config's `idempotent:` list.
//!
//! The generated client retries a request that may have reached the server only when it is
//! idempotent, so this decides what a retry can do twice. APIs that read with `POST` (searches,
//! scans, exports) say so in their config, not here.

use crate::ir::{Idempotent, Method, Operation};
use crate::spec::selection::Selection;

/// What the method and the spec say about one operation.
pub(super) fn by_spec(method: Method, extension: Option<bool>) -> Idempotent {
    match extension {
        Some(yes) => Idempotent::BySpec(yes),
        None => Idempotent::ByMethod(method.is_idempotent()),
    }
}

/// Marks the operations the config's `idempotent:` list names, by operationId or path.
pub(super) fn configure(operations: &mut [Operation], selection: &Selection) {
    for operation in operations {
        if selection.marks_idempotent(&operation.wire, &operation.path) {
            operation.idempotent = Idempotent::ByConfig;
        }
    }
}
