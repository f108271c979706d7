//! A user summary is one of the documented kinds, or one this version does not know yet.

use devrev_client::types::UserSummary;

fn describe(summary: &UserSummary) -> String {
    match summary {
        UserSummary::DevUser(user) => format!("dev user {}", user.id),
        UserSummary::RevUser(user) => format!("rev user {}", user.id),
        UserSummary::ServiceAccount(account) => format!("service account {}", account.id),
        UserSummary::SysUser(user) => format!("system user {}", user.id),
        UserSummary::Unknown(value) => format!("something new: {value}"),
    }
}

fn main() {
    let known: UserSummary = serde_json::from_str(r#"{"type":"dev_user","id":"d1"}"#).unwrap();
    assert_eq!(describe(&known), "dev user d1");
    let new: UserSummary = serde_json::from_str(r#"{"type":"robot","id":"r1"}"#).unwrap();
    assert!(describe(&new).starts_with("something new"));
}
