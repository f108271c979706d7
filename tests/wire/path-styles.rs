//! Path parameters in simple, label and matrix style, and a `oneOf` id.

use fixture_path_styles::operations::colors_get;
use fixture_path_styles::types::NameOrId;
use fixture_path_styles::{BaseUrl, Config, Token};

#[test]
fn path_styles_follow_the_openapi_table() {
    let config = Config::new(
        BaseUrl::new("https://api.example.com").unwrap(),
        Token::new("t").unwrap(),
    );
    let request = colors_get::request(
        &config,
        &NameOrId::Name("my project".into()),
        &[1, 2],
        &["blue".to_owned(), "black".to_owned()],
        "a;b",
    )
    .unwrap();
    assert_eq!(
        request.uri().path(),
        "/projects/my%20project/colors/1,2/.blue.black;matrix=a%3Bb"
    );
}
