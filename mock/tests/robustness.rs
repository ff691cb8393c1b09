//! What the mock does with requests no real client would send: it answers each with the
//! protocol's own error, never a 500 and never a dropped connection.

mod support;

use reqwest::StatusCode;
use serde_json::Value;
use support::*;

#[tokio::test]
async fn a_body_over_one_mebibyte_is_refused_with_413() {
    let mock = start().await;
    let big = vec![b'a'; 1024 * 1024 + 1];

    let login = client()
        .post(format!("{}/common/oauth2/v2.0/token", mock.uri()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big.clone())
        .send()
        .await
        .expect("an answer, not a dropped connection");
    let graph = client()
        .post(format!("{}/v1.0/me/sendMail", mock.uri()))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .expect("an answer, not a dropped connection");

    assert_eq!(login.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = login.json().await.unwrap();
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .starts_with("AADSTS")
    );
    assert_graph_error(graph, 413, "RequestEntityTooLarge").await;
}

#[tokio::test]
async fn a_body_of_exactly_one_mebibyte_is_read() {
    let mock = start().await;
    let mut form = b"grant_type=password&pad=".to_vec();
    form.resize(1024 * 1024, b'a');

    let response = client()
        .post(format!("{}/common/oauth2/v2.0/token", mock.uri()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();

    assert_aadsts(response, 400, "invalid_request", 900144).await;
}

#[tokio::test]
async fn an_unknown_login_path_is_404_with_an_entra_body() {
    let mock = start().await;

    for path in ["/common/oauth2/v2.0/nothing", "/common", "/a/b/c/d/e/f"] {
        let response = client()
            .get(format!("{}{path}", mock.uri()))
            .send()
            .await
            .unwrap();

        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error_description"]
                .as_str()
                .unwrap()
                .starts_with("AADSTS"),
            "{path}"
        );
    }
}

/// Real Graph answers an unknown segment with 400 `BadRequest` (PROTOCOL §7.2).
#[tokio::test]
async fn an_unknown_graph_path_gets_a_graph_error_body() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;

    let response = graph_get(&mock, "/v1.0/nothing/here", &token).await;

    let body = assert_graph_error(response, 400, "BadRequest").await;
    assert_eq!(
        body["error"]["message"],
        "Resource not found for the segment 'nothing'."
    );
}

#[tokio::test]
async fn the_wrong_method_on_a_known_path_is_405() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;
    let login_paths = [
        (
            reqwest::Method::DELETE,
            "/common/v2.0/.well-known/openid-configuration",
        ),
        (reqwest::Method::POST, "/common/discovery/v2.0/keys"),
        (reqwest::Method::PUT, "/common/oauth2/v2.0/authorize"),
        (reqwest::Method::GET, "/common/login"),
        (reqwest::Method::GET, "/common/consent"),
        (reqwest::Method::PUT, "/common/oauth2/token"),
    ];
    let graph_paths = [
        (reqwest::Method::POST, "/v1.0/me"),
        (reqwest::Method::GET, "/v1.0/me/sendMail"),
        (reqwest::Method::DELETE, "/v1.0/applications"),
        (reqwest::Method::POST, "/v1.0/me/mailFolders/inbox/messages"),
    ];

    for (method, path) in login_paths {
        let response = client()
            .request(method.clone(), format!("{}{path}", mock.uri()))
            .send()
            .await
            .unwrap();

        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert!(response.headers().contains_key("allow"), "{method} {path}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error_description"]
                .as_str()
                .unwrap()
                .starts_with("AADSTS")
        );
    }
    for (method, path) in graph_paths {
        let response = client()
            .request(method.clone(), format!("{}{path}", mock.uri()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();

        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert!(response.json::<Value>().await.unwrap()["error"]["code"].is_string());
    }
}

#[tokio::test]
async fn malformed_forms_get_protocol_errors() {
    let mock = start().await;
    let bodies: [&[u8]; 6] = [
        b"%%%&&&===",
        b"grant_type=%ZZ&client_id=%",
        b"grant_type=authorization_code&client_id=\xff\xfe&code=\xc3\x28",
        b"\x00\x01\x02\x03",
        b"grant_type",
        b"=&=&=",
    ];

    for body in bodies {
        let response = client()
            .post(format!("{}/common/oauth2/v2.0/token", mock.uri()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_vec())
            .send()
            .await
            .expect("an answer, not a dropped connection");

        let status = response.status().as_u16();
        assert!((400..500).contains(&status), "{body:?}: {status}");
        let json: Value = response.json().await.unwrap();
        assert!(json["error_codes"][0].is_u64(), "{body:?}");
    }
}

#[tokio::test]
async fn broken_basic_headers_count_as_no_credentials() {
    let mock = start().await;

    for header in [
        "Basic",
        "Basic !!!not-base64!!!",
        "Basic bm8tY29sb24=",
        "Basic //79",
        "Basic",
        "Bearer x",
        "Basic dTolWlo=",
    ] {
        let response = client()
            .post(format!("{}/common/oauth2/v2.0/token", mock.uri()))
            .header("authorization", header)
            .form(&[("grant_type", "authorization_code"), ("code", "x")])
            .send()
            .await
            .unwrap();

        let status = response.status().as_u16();
        assert!((400..500).contains(&status), "{header}: {status}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error_codes"][0].is_u64(), "{header}");
    }
}

#[tokio::test]
async fn odd_authorization_headers_on_graph_get_401() {
    let mock = start().await;

    for header in [
        "Bearer",
        "Bearer ",
        "bearer    ",
        "Basic abc",
        "Bearer a b c",
        "Bearer ...",
    ] {
        let response = client()
            .get(format!("{}/v1.0/me", mock.uri()))
            .header("authorization", header)
            .send()
            .await
            .unwrap();

        assert_graph_error(response, 401, "InvalidAuthenticationToken").await;
    }
}

#[tokio::test]
async fn invalid_utf8_in_headers_is_not_an_error_of_ours() {
    let mock = start().await;

    let answer = raw_exchange(
        &mock,
        b"GET /common/v2.0/.well-known/openid-configuration HTTP/1.1\r\nHost: \xff\xfe\r\nClient-Request-Id: \xc3\x28\r\nX-Forwarded-Host: \xe2\x28\xa1\r\nConnection: close\r\n\r\n",
    )
    .await;

    assert_eq!(raw_status(&answer), 200, "{answer}");
    assert!(
        answer.contains("\"issuer\":\"http://localhost/common/v2.0\""),
        "{answer}"
    );
}

#[tokio::test]
async fn a_huge_header_gets_an_http_error_not_a_silent_close() {
    let mock = start().await;
    let mut request =
        b"GET /common/v2.0/.well-known/openid-configuration HTTP/1.1\r\nHost: x\r\nX-Big: "
            .to_vec();
    request.extend(std::iter::repeat_n(b'a', 512 * 1024));
    request.extend_from_slice(b"\r\nConnection: close\r\n\r\n");

    let answer = raw_exchange(&mock, &request).await;

    let status = raw_status(&answer);
    assert!((400..500).contains(&status), "{status}");
}

#[tokio::test]
async fn garbage_instead_of_http_gets_400() {
    let mock = start().await;

    let answer = raw_exchange(&mock, b"HELLO THERE\r\n\r\n").await;

    assert_eq!(raw_status(&answer), 400, "{answer}");
}

#[tokio::test]
async fn a_long_client_request_id_is_not_echoed_and_odd_forwarded_headers_fall_back() {
    let mock = start().await;
    let long_id = "x".repeat(500);

    let response = client()
        .get(format!(
            "{}/common/v2.0/.well-known/openid-configuration",
            mock.uri()
        ))
        .header("client-request-id", &long_id)
        .header("x-forwarded-proto", "gopher")
        .header("x-forwarded-host", "")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("client-request-id").is_none());
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["issuer"], format!("{}/common/v2.0", mock.uri()));
}

#[tokio::test]
async fn the_index_page_describes_the_demo_tenant() {
    let mock = start().await;

    let response = client().get(mock.uri()).send().await.unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    assert!(page.contains(WEB_APP.client_id));
    assert!(page.contains(&format!("{}/common/oauth2/v2.0/token", mock.uri())));
}

#[tokio::test]
async fn many_requests_in_parallel_all_get_answers() {
    let mock = start().await;

    let answers = futures_join_all((0..50).map(|_| {
        let url = format!("{}/common/discovery/v2.0/keys", mock.uri());
        async move { client().get(url).send().await.map(|r| r.status()) }
    }))
    .await;

    assert!(
        answers
            .iter()
            .all(|a| matches!(a, Ok(s) if *s == StatusCode::OK))
    );
}

/// Runs futures on the test's runtime and waits for all of them.
async fn futures_join_all<F, T>(futures: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.expect("the task finishes"));
    }
    out
}

#[tokio::test]
async fn odd_paths_and_queries_never_get_a_server_error() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;
    let targets = [
        "//",
        "/%00/oauth2/v2.0/token",
        "/common//oauth2/v2.0/authorize",
        "/common/oauth2/v2.0/authorize?client_id=%FF%FE&redirect_uri=%&scope=",
        "/common/oauth2/v2.0/authorize?client_id=d5349743-219e-4081-a993-259e49c29915&redirect_uri=http://127.0.0.1:8000/connect/get_token/&response_type=code&scope=openid&code_challenge=%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF%FF",
        "/common/oauth2/v2.0/authorize?client_id=d5349743-219e-4081-a993-259e49c29915&response_mode=form_post&response_type=code&scope=openid&state=%22%3E%3Cscript%3E",
        "/v1.0/",
        "/v1.0//me",
        "/v1.0/applications(appId=)/addPassword",
        "/v1.0/applications(/addPassword",
        "/v1.0/me/mailFolders//messages",
        "/v1.0/me/messages?$top=-1",
        "/v1.0/me/messages?$top=99999999999999999999999",
        "/.well-known/openid-configuration",
        "/common/login?flow=x",
    ];

    for target in targets {
        for method in [reqwest::Method::GET, reqwest::Method::POST] {
            let response = client()
                .request(method.clone(), format!("{}{target}", mock.uri()))
                .bearer_auth(&token)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("flow=%FF&user=-1&decision=accept")
                .send()
                .await
                .expect("an answer, not a dropped connection");

            assert!(
                response.status().as_u16() < 500,
                "{method} {target}: {}",
                response.status()
            );
        }
    }
}
