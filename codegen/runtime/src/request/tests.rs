use super::*;

fn expanded(template: &str, segments: &[(&'static str, &str)]) -> String {
    let segments: Vec<_> = segments
        .iter()
        .map(|(name, segment)| (*name, (*segment).to_owned()))
        .collect();
    let mut uri = String::from("https://api.example");
    expand(&mut uri, template, &segments);
    uri
}

#[test]
fn each_name_in_the_template_takes_its_segment() {
    assert_eq!(
        expanded(
            "/orgs/{org}/repos/{repo}.json",
            &[("repo", "a%2Fb"), ("org", "o")]
        ),
        "https://api.example/orgs/o/repos/a%2Fb.json"
    );
}

#[test]
fn a_template_without_names_is_copied() {
    assert_eq!(
        expanded("/rev-users.scan", &[]),
        "https://api.example/rev-users.scan"
    );
}

#[test]
fn a_name_without_a_segment_and_an_unclosed_brace_stay_as_written() {
    assert_eq!(
        expanded("/a/{missing}/{id}/{open", &[("id", "7")]),
        "https://api.example/a/{missing}/7/{open"
    );
}

#[test]
fn a_segment_that_looks_like_a_name_is_not_expanded_again() {
    assert_eq!(
        expanded("/{a}/{b}", &[("a", "{b}"), ("b", "x")]),
        "https://api.example/{b}/x"
    );
}

#[test]
fn path_parameters_are_written_in_their_style() {
    let mut params = Params::default();
    params.path("id", Style::Label, false, &["x", "y"]).unwrap();
    let base = crate::config::BaseUrl::new("https://api.example").unwrap();
    let config = Config::new(base, crate::config::Token::new("t").unwrap());
    let request = build(
        &config,
        http::Method::GET,
        "/items/{id}",
        params,
        "application/json",
        None,
    )
    .unwrap();
    assert_eq!(request.uri(), "https://api.example/items/.x,y");
}
