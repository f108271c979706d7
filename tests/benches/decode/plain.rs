//! The baseline: the `rev-users-scan-response` types as one would write them by hand with no
//! forward compatibility. Plain derived structs, serde's internally tagged enums for the unions
//! and plain enums for the string enums, so an unknown `type` or state is an error here where the
//! generated types keep it. Field types match the generated ones (owned strings, chrono dates).

// The fields are there to be decoded, not read.
#![allow(dead_code)]

use devrev_client::chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct RevUsersScanResponse {
    #[serde(default)]
    pub next_cursor: Option<String>,
    pub rev_users: Vec<RevUser>,
}

#[derive(Debug, Deserialize)]
pub struct RevUser {
    #[serde(default)]
    pub created_by: Option<UserSummary>,
    #[serde(default)]
    pub created_date: Option<DateTime<Utc>>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub display_id: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub display_picture: Option<ArtifactSummary>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub external_ref: Option<String>,
    #[serde(default)]
    pub full_name: Option<String>,
    pub id: String,
    #[serde(default)]
    pub modified_by: Option<UserSummary>,
    #[serde(default)]
    pub modified_date: Option<DateTime<Utc>>,
    #[serde(default)]
    pub phone_numbers: Option<Vec<String>>,
    #[serde(default)]
    pub primary_identity: Option<UserSummary>,
    #[serde(default)]
    pub rev_org: Option<OrgSummary>,
    #[serde(default)]
    pub state: Option<UserState>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type")]
pub enum UserSummary {
    #[serde(rename = "dev_user")]
    DevUser(UserBaseSummary),
    #[serde(rename = "rev_user")]
    RevUser(RevUserSummary),
    #[serde(rename = "service_account")]
    ServiceAccount(UserBaseSummary),
    #[serde(rename = "sys_user")]
    SysUser(UserBaseSummary),
}

#[derive(Debug, Deserialize)]
pub struct UserBaseSummary {
    #[serde(default)]
    pub display_id: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub display_picture: Option<ArtifactSummary>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub full_name: Option<String>,
    pub id: String,
    #[serde(default)]
    pub state: Option<UserState>,
}

#[derive(Debug, Deserialize)]
pub struct RevUserSummary {
    #[serde(default)]
    pub display_id: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub display_picture: Option<ArtifactSummary>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub external_ref: Option<String>,
    #[serde(default)]
    pub full_name: Option<String>,
    pub id: String,
    #[serde(default)]
    pub rev_org: Option<OrgSummary>,
    #[serde(default)]
    pub state: Option<UserState>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type")]
pub enum OrgSummary {
    #[serde(rename = "rev_org")]
    RevOrg(RevOrgSummary),
}

#[derive(Debug, Deserialize)]
pub struct RevOrgSummary {
    #[serde(default)]
    pub display_id: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    pub id: String,
}

#[derive(Debug, Deserialize)]
pub struct ArtifactSummary {
    #[serde(default)]
    pub display_id: Option<String>,
    #[serde(default)]
    pub file: Option<ArtifactFileSummary>,
    pub id: String,
}

#[derive(Debug, Deserialize)]
pub struct ArtifactFileSummary {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub size: Option<i32>,
    #[serde(default)]
    pub r#type: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserState {
    Active,
    Deactivated,
    Deleted,
    Locked,
    Shadow,
    Unassigned,
}
