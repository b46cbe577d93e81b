//! An account that pays: one organization, credit, images that need no verification.

use serde_json::{Value, json};
use wiremock::MockServer;

use crate::openai_mock::{
    credit_ok, image_size_refused, mount_credit, mount_images, mount_me, mount_models_ok,
};

/// `/v1/me` for a user in one personal organization.
pub fn me_single_org() -> Value {
    json!({"object": "user", "id": "user-abc123", "email": "writer@example.com",
    "orgs": {"object": "list", "data": [
        {"object": "organization", "id": "org-AAA", "name": "user-abc123",
         "title": "Personal", "personal": true, "is_default": true, "role": "owner"}
    ]}})
}

/// Models, /me (one organization), credit and image evidence all as for a paying account.
pub async fn mount_paying_account(server: &MockServer) {
    mount_models_ok(server).await;
    mount_me(server, 200, me_single_org()).await;
    mount_credit(server, credit_ok()).await;
    mount_images(server, image_size_refused()).await;
}
