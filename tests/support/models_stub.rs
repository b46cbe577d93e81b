//! A local stand-in for OpenAI's models list, enough for a free check to pass.

/// `GET /v1/models` answering as OpenAI does for a working key.
pub async fn mount_models(server: &wiremock::MockServer) {
    use wiremock::matchers::{method, path};
    wiremock::Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .insert_header("openai-organization", "acme-publishing")
                .insert_header("openai-project", "proj_aaai_site")
                .set_body_json(
                    serde_json::json!({"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model"}]}),
                ),
        )
        .mount(server)
        .await;
}
