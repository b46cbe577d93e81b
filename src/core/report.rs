//! Pure renderers of a [`CheckReport`]: the JSON object `shared/CLI.md` defines, and the plain
//! text a support person pastes into a ticket. Both show the key masked, never whole.

use serde_json::{Value, json};

use crate::core::readiness::CheckReport;
use crate::core::verdict::StepId;

/// The JSON object of `check --json`, with the fields of `shared/CLI.md` (`verdict`, `key`,
/// `steps`, `organization`, `tier`, `message`, `fix_url`) plus these added ones: `next_step`,
/// `project`, `warning`, `offer_paid_probe`, `notes`.
pub fn render_json(report: &CheckReport) -> Value {
    let key = match &report.key {
        Some((kind, masked)) => json!({"kind": kind.as_str(), "masked": masked}),
        None => Value::Null,
    };
    let mut steps = serde_json::Map::new();
    for (id, state) in report.steps.all() {
        steps.insert(id.as_str().to_owned(), json!(state.as_str()));
    }
    let organization = match &report.organization {
        Some(o) => json!({"name": o.name, "title": o.title}),
        None => Value::Null,
    };
    let mut features = serde_json::Map::new();
    for (feature, status) in report.features.all() {
        features.insert(feature.as_str().to_owned(), json!(status.state.as_str()));
    }
    json!({
        "verdict": report.verdict.as_str(),
        "key": key,
        "steps": steps,
        "features": features,
        "organization": organization,
        "tier": report.tier,
        "message": report.message,
        "fix_url": report.fix_url,
        "next_step": report.next_step,
        "project": report.project,
        "warning": report.other_orgs_warning,
        "offer_paid_probe": report.offer_paid_probe,
        "notes": report.notes,
    })
}

fn step_title(id: StepId) -> &'static str {
    match id {
        StepId::Account => "1. Account",
        StepId::Key => "2. Key",
        StepId::Billing => "3. Billing",
        StepId::Verification => "4. Verification",
    }
}

/// The plain-text report: masked key, organization, each step's state, the message and the
/// fix. Safe to paste into a support ticket.
pub fn render_text(report: &CheckReport) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: &str| {
        let padded = format!("{label:<18}{value}");
        out.push_str(padded.trim_end());
        out.push('\n');
    };
    line("AAAI Key Setup:", "key check report");
    line(
        "Result:",
        &format!(
            "{} (exit code {})",
            report.verdict.as_str(),
            report.verdict.exit_code()
        ),
    );
    match &report.key {
        Some((kind, masked)) => line("Key:", &format!("{masked} ({})", kind.as_str())),
        None => line("Key:", "none found"),
    }
    match &report.organization {
        Some(o) => match &o.title {
            Some(t) => line("Organization:", &format!("{t} ({})", o.name)),
            None => line("Organization:", &o.name),
        },
        None => line("Organization:", "unknown"),
    }
    if let Some(p) = &report.project {
        line("Project:", p);
    }
    if let Some(t) = &report.tier {
        line("Usage tier:", &format!("{t} (a guess)"));
    }
    line("Steps:", "");
    for (id, state) in report.steps.all() {
        line(&format!("  {}", step_title(id)), state.as_str());
    }
    line("What we found:", &report.message);
    line("What to do:", &report.next_step);
    if let Some(url) = report.fix_url {
        line("Fix it here:", url);
    }
    if let Some(w) = &report.other_orgs_warning {
        line("Warning:", w);
    }
    for n in &report.notes {
        line("Note:", n);
    }
    if report.offer_paid_probe {
        line(
            "Paid test:",
            "available with your consent (one token, a tiny fraction of a cent)",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::key::KeyKind;
    use crate::core::readiness::{CheckOptions, Probe, ReadinessCheck, TransportError};

    #[test]
    fn json_shape_follows_cli_md() {
        let mut c = ReadinessCheck::new(CheckOptions {
            key: Some((KeyKind::Project, "sk-proj-…AbCd".into())),
            ..CheckOptions::default()
        });
        c.feed(Probe::Models, Err(TransportError::Dns));
        let r = c.report();
        let v = render_json(&r);
        assert_eq!(v["verdict"], "network_error");
        assert_eq!(v["key"]["kind"], "project");
        assert_eq!(v["key"]["masked"], "sk-proj-…AbCd");
        for s in ["account", "key", "billing", "verification"] {
            assert_eq!(v["steps"][s], "unknown");
        }
        assert!(v["organization"].is_null());
        assert!(v["tier"].is_null());
        assert!(v["fix_url"].is_null());
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));

        let t = render_text(&r);
        assert!(t.contains("network_error (exit code 2)"));
        assert!(t.contains("sk-proj-…AbCd (project)"));
        assert!(t.contains("3. Billing"));
    }
}
