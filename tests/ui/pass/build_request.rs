//! A request with a few filters and the rest left out, as the README shows it.

use devrev_client::chrono::{TimeZone, Utc};
use devrev_client::operations::rev_users_scan_post;
use devrev_client::types::{DateTimeFilter, RevUsersScanRequest};
use devrev_client::{BaseUrl, Config, Token};

fn main() {
    let request = RevUsersScanRequest {
        email: Some(vec!["ada@example.com".to_owned()]),
        is_verified: Some(true),
        created_date: Some(DateTimeFilter {
            after: Some(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let config = Config::new(
        BaseUrl::new("https://api.devrev.ai").unwrap(),
        Token::new("t").unwrap(),
    );
    let http_request = rev_users_scan_post::request(&config, &request).unwrap();
    assert_eq!(http_request.method(), rev_users_scan_post::METHOD);
    assert_eq!(http_request.uri().path(), rev_users_scan_post::PATH);
}
