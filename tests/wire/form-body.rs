//! An `application/x-www-form-urlencoded` body with an `encoding` and a nested object.

use fixture_form_body::operations::messages_create;
use fixture_form_body::types::{MessageRequest, MessageRequestMetadata};
use fixture_form_body::{BaseUrl, Config, Token};

#[test]
fn form_bodies_follow_their_encodings() {
    let config = Config::new(
        BaseUrl::new("https://api.example.com").unwrap(),
        Token::new("t").unwrap(),
    );
    let body = MessageRequest {
        body: "Hi & bye".into(),
        metadata: Some(MessageRequestMetadata {
            note: Some("x=y".into()),
            order: Some(7),
        }),
        status_callback_event: Some(vec!["initiated".into(), "ringing".into()]),
        tags: Some(vec!["a".into(), "b".into()]),
        to: "+15551234".into(),
    };
    let request = messages_create::request(&config, &body).unwrap();
    assert_eq!(
        request.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        std::str::from_utf8(request.body()).unwrap(),
        "Body=Hi%20%26%20bye\
         &Metadata%5Bnote%5D=x%3Dy&Metadata%5Border%5D=7\
         &StatusCallbackEvent=initiated&StatusCallbackEvent=ringing\
         &Tags=a,b\
         &To=%2B15551234"
    );
}
