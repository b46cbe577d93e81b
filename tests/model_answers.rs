//! A property of the readiness check (issue 17): for every answer OpenAI can give about a
//! model (404 "does not exist", 403 "Project … does not have access to model", other
//! `model_not_found` answers, with or without a readable model list), the words "project" and
//! "model limits" appear in what the user reads only when the answer was the project's 403.
//! A retired or unknown model is never the user's project's fault. Pure: the check is fed
//! answers directly, without a network.

use aaai_key_setup::core::models::AaaiModels;
use aaai_key_setup::core::readiness::{Answer, CheckOptions, CheckReport, Probe, ReadinessCheck};
use aaai_key_setup::core::report::render_json;
use aaai_key_setup::core::verdict::Verdict;
use proptest::prelude::*;
use serde_json::json;

/// One answer about a model, as OpenAI may give it.
#[derive(Clone, Debug)]
struct ModelAnswer {
    status: u16,
    code: Option<&'static str>,
    message: usize,
}

const MESSAGES: [&str; 5] = [
    "The model `{m}` does not exist or you do not have access to it.",
    "Project `proj_abc123` does not have access to model `{m}`",
    "The model `{m}` does not exist",
    "The model `{m}` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations",
    "Invalid model.",
];

impl ModelAnswer {
    /// True for the one answer that is about the project: the 403 naming its access.
    fn is_projects_403(&self) -> bool {
        self.status == 403 && self.message == 1
    }

    fn answer(&self, model: &str) -> Answer {
        let message = MESSAGES[self.message].replace("{m}", model);
        Answer {
            status: self.status,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("date".into(), "Tue, 01 Dec 2026 12:00:00 GMT".into()),
            ],
            body: json!({"error": {"message": message, "type": "invalid_request_error",
                                   "param": null, "code": self.code}})
            .to_string(),
        }
    }
}

fn model_answer() -> impl Strategy<Value = ModelAnswer> {
    (
        prop::sample::select(vec![400u16, 403, 404]),
        prop::sample::select(vec![Some("model_not_found"), None]),
        0..MESSAGES.len(),
    )
        .prop_map(|(status, code, message)| ModelAnswer {
            status,
            code,
            message,
        })
}

fn plain(status: u16, body: serde_json::Value) -> Answer {
    Answer {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.to_string(),
    }
}

/// The model list: every candidate listed, none listed, or unreadable (403 missing scope).
fn list_answer(kind: usize, models: &AaaiModels) -> Answer {
    match kind {
        0 => {
            let data: Vec<_> = models
                .articles
                .candidates
                .iter()
                .map(|c| c.model.clone())
                .chain(models.images.candidates.iter().map(|c| c.model.clone()))
                .map(|id| json!({"id": id, "created": 1, "shutdown_date": null}))
                .collect();
            plain(200, json!({"object": "list", "data": data}))
        }
        1 => plain(
            200,
            json!({"object": "list", "data": [{"id": "gpt-4o-mini", "created": 1}]}),
        ),
        _ => plain(
            403,
            json!({"error": {"message": "You have insufficient permissions for this operation. Missing scopes: api.model.read.",
                             "type": "invalid_request_error", "param": null, "code": null}}),
        ),
    }
}

/// Everything the user reads about the result (the report's words, not the labels of the
/// support report such as "Project:").
fn words(r: &CheckReport) -> String {
    let mut all = vec![
        r.message.clone(),
        r.next_step.clone(),
        r.features.articles.line.clone(),
        r.features.images.line.clone(),
    ];
    all.extend(r.notes.iter().cloned());
    if let Some(m) = &r.models {
        for c in [&m.articles, &m.images] {
            all.extend(c.notice.clone());
            all.push(c.text_line());
        }
    }
    all.join(" | ")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn project_words_only_for_the_projects_403(
        text in model_answer(),
        image in model_answer(),
        // Which probes get the model answer: 1 text, 2 images, 3 both.
        which in 1usize..4,
        list in 0usize..3,
    ) {
        let models = AaaiModels::built_in();
        let mut check = ReadinessCheck::new(CheckOptions::default());
        let mut project_answer_given = false;
        while !check.is_finished() {
            let batch = check.take_ready();
            prop_assert!(!batch.is_empty());
            for probe in batch {
                let answer = match &probe {
                    Probe::Models => list_answer(list, &models),
                    Probe::Me => plain(404, json!({})),
                    Probe::CreditProbe { model, .. } if which & 1 != 0 => {
                        project_answer_given |= text.is_projects_403();
                        text.answer(model)
                    }
                    Probe::CreditProbe { .. } => plain(400, json!({"error": {
                        "message": "Invalid 'max_completion_tokens': integer below minimum value.",
                        "type": "invalid_request_error", "param": "max_completion_tokens",
                        "code": "integer_below_min_value"}})),
                    Probe::ImageEvidence { model } if which & 2 != 0 => {
                        project_answer_given |= image.is_projects_403();
                        image.answer(model)
                    }
                    _ => plain(400, json!({"error": {"message": "Invalid size", "param": "size",
                        "type": "invalid_request_error", "code": "invalid_value"}})),
                };
                check.feed(probe, Ok(answer));
            }
        }
        let r = check.report();
        let said = words(&r);
        let lower = said.to_lowercase();
        let project_words = lower.contains("project") || lower.contains("model limits");
        prop_assert_eq!(project_words, project_answer_given, "{}", said);
        if r.verdict == Verdict::ModelUnavailable {
            prop_assert!(project_answer_given, "{}", said);
        }
        let json = render_json(&r);
        let is_unavailable = |f: &str| json["features"][f] == "model_unavailable";
        prop_assert_eq!(
            is_unavailable("articles") || is_unavailable("images"),
            project_answer_given
        );
    }
}
