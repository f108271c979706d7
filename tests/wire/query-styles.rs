//! Query parameters of every style, as generated code writes them.

use fixture_query_styles::operations::{items_list, ItemsListQuery};
use fixture_query_styles::types::{ItemsListOwner, Rgb, State};
use fixture_query_styles::{BaseUrl, Config, Token};

fn config() -> Config {
    Config::new(
        BaseUrl::new("https://api.example.com").unwrap(),
        Token::new("t").unwrap(),
    )
}

fn query_of(query: &ItemsListQuery) -> String {
    let request = items_list::request(&config(), query).unwrap();
    request.uri().query().unwrap_or_default().to_owned()
}

// Struct fields are serialised in the order the generated struct declares them (by wire
// name), so the table's `R, G, B` comes out as `B, G, R`.
const RGB: Rgb = Rgb {
    b: 150,
    g: 200,
    r: 100,
};

#[test]
fn an_object_in_exploded_form_style_spreads_its_keys() {
    let query = ItemsListQuery {
        color: RGB,
        custom_fields: None,
        filter: None,
        words: None,
        pipes: None,
        states: None,
        owner: None,
    };
    assert_eq!(query_of(&query), "B=150&G=200&R=100");
}

#[test]
fn every_style_follows_the_openapi_table() {
    let query = ItemsListQuery {
        color: RGB,
        custom_fields: Some([("tier".to_owned(), "gold, old".to_owned())].into()),
        filter: Some(RGB),
        words: Some(vec!["blue".into(), "black".into(), "brown".into()]),
        pipes: Some(vec![1, 2, 3]),
        states: Some(vec![State::Open, State::Closed]),
        owner: Some(ItemsListOwner::I64(42)),
    };
    assert_eq!(
        query_of(&query),
        "B=150&G=200&R=100\
         &custom_fields=tier,gold%2C%20old\
         &filter%5BB%5D=150&filter%5BG%5D=200&filter%5BR%5D=100\
         &words=blue%20black%20brown\
         &pipes=1%7C2%7C3\
         &states=open&states=closed\
         &owner=42"
    );
    let query = ItemsListQuery {
        owner: Some(ItemsListOwner::String("me".into())),
        ..query
    };
    assert!(query_of(&query).ends_with("&owner=me"));
}
