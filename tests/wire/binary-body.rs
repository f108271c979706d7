//! Bytes and text bodies, and JSON chosen among several offered media types.

use fixture_binary_body::operations::{blobs_put, notes_create, settings_update};
use fixture_binary_body::types::Settings;
use fixture_binary_body::{BaseUrl, Config, Token};

fn config() -> Config {
    Config::new(
        BaseUrl::new("https://api.example.com").unwrap(),
        Token::new("t").unwrap(),
    )
}

#[test]
fn bytes_and_text_are_sent_as_they_are() {
    let request = blobs_put::request(&config(), b"\x00\x01\xff").unwrap();
    assert_eq!(
        request.headers()["content-type"],
        "application/octet-stream"
    );
    assert_eq!(request.body(), b"\x00\x01\xff");
    let request = notes_create::request(&config(), "héllo").unwrap();
    assert_eq!(request.headers()["content-type"], "text/plain");
    assert_eq!(request.body(), "héllo".as_bytes());
}

#[test]
fn json_is_chosen_over_a_form() {
    let body = Settings {
        theme: Some("dark".into()),
    };
    let request = settings_update::request(&config(), &body).unwrap();
    assert_eq!(
        request.headers()["content-type"],
        "application/merge-patch+json"
    );
    assert_eq!(request.body(), br#"{"theme":"dark"}"#);
}
