//! Header parameters are sent as headers; the optional one only when set.

use fixture_header_params::operations::{items_list, ItemsListQuery};
use fixture_header_params::{BaseUrl, Config, Token};

fn config() -> Config {
    Config::new(
        BaseUrl::new("https://api.example.com").unwrap(),
        Token::new("secret").unwrap(),
    )
}

#[test]
fn required_and_optional_headers() {
    let query = ItemsListQuery {
        x_request_id: "abc-1".into(),
        x_page_size: Some(50),
        limit: Some(3),
    };
    let request = items_list::request(&config(), &query).unwrap();
    assert_eq!(request.headers()["x-request-id"], "abc-1");
    assert_eq!(request.headers()["x-page-size"], "50");
    assert_eq!(request.headers()["authorization"], "Bearer secret");
    assert_eq!(request.uri().query(), Some("limit=3"));
    let query = ItemsListQuery {
        x_page_size: None,
        ..query
    };
    let request = items_list::request(&config(), &query).unwrap();
    assert!(request.headers().get("x-page-size").is_none());
}

#[test]
fn a_header_value_with_a_line_break_is_refused() {
    let query = ItemsListQuery {
        x_request_id: "a\r\nInjected: yes".into(),
        x_page_size: None,
        limit: None,
    };
    let err = items_list::request(&config(), &query).unwrap_err();
    assert!(err.to_string().contains("X-Request-Id"), "{err}");
}
