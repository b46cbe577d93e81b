//! Models that come and go, as OpenAI answers for them: a list with chosen shutdown dates, a
//! shut-down model that answers 404 `model_not_found` on every endpoint, a project allow-list
//! that answers 403, and a reasoning model that refuses `max_tokens`.

use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer};

use crate::openai_mock::{ListedModel, error_body, json_reply, model_list};

/// [`crate::openai_mock::SERVER_DATE`] in seconds since 1970.
pub const SERVER_DATE_SECS: i64 = 1_796_126_400;

/// `/v1/models` listing `models`.
pub async fn mount_models(server: &MockServer, models: &[ListedModel<'_>]) {
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(json_reply(200, model_list(models)))
        .mount(server)
        .await;
}

/// Every request for `model` answers as OpenAI does once a model is shut down (or was never
/// there): 404 `model_not_found`, whatever the endpoint. Takes precedence over other mocks.
pub async fn mount_gone(server: &MockServer, model: &str) {
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"model": model})))
        .respond_with(json_reply(
            404,
            error_body(
                &format!("The model `{model}` does not exist or you do not have access to it."),
                "invalid_request_error",
                Some("model_not_found"),
                None,
            ),
        ))
        .with_priority(1)
        .mount(server)
        .await;
}

/// The key's project may not use `model` (a project model allow-list): 403.
#[allow(dead_code)] // ui_models needs only a retired model.
pub async fn mount_project_refuses(server: &MockServer, model: &str) {
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"model": model})))
        .respond_with(json_reply(
            403,
            error_body(
                &format!("Project `proj_abc123` does not have access to model `{model}`"),
                "invalid_request_error",
                Some("model_not_found"),
                None,
            ),
        ))
        .with_priority(1)
        .mount(server)
        .await;
}

/// A reasoning model refuses `max_tokens` (as seen for the o-series and gpt-5).
#[allow(dead_code)] // ui_models needs only a retired model.
pub async fn mount_refuses_max_tokens(server: &MockServer, model: &str) {
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(body_partial_json(json!({"model": model, "max_tokens": 0})))
        .respond_with(json_reply(
            400,
            error_body(
                "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
                "invalid_request_error",
                Some("unsupported_parameter"),
                Some("max_tokens"),
            ),
        ))
        .with_priority(2)
        .mount(server)
        .await;
}
