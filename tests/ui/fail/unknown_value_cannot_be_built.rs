//! An unknown enum value is made only by decoding, so a known value cannot be built as unknown
//! (and then compare unequal to its own variant).

use devrev_client::types::UserState;
use devrev_client::UnknownValue;

fn main() {
    let _ = UserState::Unknown(UnknownValue("active".into()));
}
