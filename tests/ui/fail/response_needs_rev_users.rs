//! `rev_users` is required in the spec, so a response cannot be made without it.

use devrev_client::types::RevUsersScanResponse;

fn main() {
    let _ = RevUsersScanResponse {
        next_cursor: None,
    };
}
