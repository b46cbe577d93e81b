//! The retry policy, pure: which outcomes are worth another try, and after how long. As in the
//! official SDKs: at most [`MAX_RETRIES`] retries, on 408, 409, 5xx, rate limits (never billing
//! answers) and connection failures, honouring `retry-after-ms` / `retry-after`, else backing
//! off `min(0.5 * 2^attempt, 8)` seconds with jitter. One addition: a wait that does not fit in
//! the time left is not waited at all, so the real answer (say, a rate limit with "try again
//! in 40 seconds") is reported instead of a timeout. And one exception: a request that can cost
//! money ([`Probe::may_cost`]) is never retried, whatever went wrong. A gateway that answers
//! 504, or drops the connection, after reading the whole request may well have passed it on:
//! a second copy could be billed a second time.

use std::time::Duration;

use super::classify::{Class, classify, server_wait_secs};
use super::probe::{Answer, Probe, TransportError};

/// How many times one request is retried at most (so at most 3 attempts).
pub(crate) const MAX_RETRIES: u32 = 2;

/// After how long to retry, or `None` to keep `outcome` as the probe's result.
///
/// `probe` is the request; one that may cost money gets `None` at once. `attempt` is the number of retries already made for this request, `jitter` a number in
/// 0..1 (it shortens the backoff by up to a quarter), and `time_left` what remains of the whole
/// check's time bound.
pub(crate) fn retry_after(
    probe: &Probe,
    attempt: u32,
    outcome: &Result<Answer, TransportError>,
    jitter: f64,
    time_left: Duration,
) -> Option<Duration> {
    if attempt >= MAX_RETRIES || probe.may_cost() {
        return None;
    }
    let answer = match outcome {
        Err(TransportError::Tls | TransportError::Proxy) => return None,
        Err(_) => None,
        Ok(a) => {
            let retryable = match a.status {
                408 | 409 | 500..=599 => true,
                429 => classify(a) == Class::RateLimited,
                _ => false,
            };
            if !retryable {
                return None;
            }
            Some(a)
        }
    };
    let delay = match answer.and_then(server_wait_secs) {
        Some(secs) => Duration::from_secs_f64(secs),
        None => {
            let base = (0.5 * 2f64.powi(attempt.min(10) as i32)).min(8.0);
            let jitter = if jitter.is_finite() {
                jitter.clamp(0.0, 1.0)
            } else {
                0.0
            };
            Duration::from_secs_f64(base * (1.0 - 0.25 * jitter))
        }
    };
    // A wait that leaves no time for the request itself is not worth starting.
    (delay < time_left).then_some(delay)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PLENTY: Duration = Duration::from_secs(30);

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    fn err_body(code: &str, kind: &str) -> String {
        json!({"error": {"message": "x", "type": kind, "param": null, "code": code}}).to_string()
    }

    #[test]
    fn backoff_and_limits() {
        let ok = |status: u16, body: &str| Ok::<_, TransportError>(answer(status, body));
        let r = |attempt, o: &Result<Answer, TransportError>| {
            retry_after(&Probe::Models, attempt, o, 0.0, PLENTY)
        };
        assert_eq!(r(0, &ok(503, "")), Some(Duration::from_millis(500)));
        assert_eq!(r(1, &ok(500, "")), Some(Duration::from_secs(1)));
        assert_eq!(r(2, &ok(500, "")), None);
        assert_eq!(r(0, &ok(408, "")), Some(Duration::from_millis(500)));
        assert_eq!(r(0, &ok(409, "")), Some(Duration::from_millis(500)));
        assert_eq!(r(0, &ok(200, "")), None);
        assert_eq!(r(0, &ok(401, "")), None);
        assert_eq!(
            retry_after(&Probe::Models, 0, &ok(503, ""), 1.0, PLENTY),
            Some(Duration::from_millis(375))
        );
        assert!(r(0, &Err(TransportError::Timeout)).is_some());
        assert!(r(0, &Err(TransportError::Connect)).is_some());
        assert_eq!(r(0, &Err(TransportError::Tls)), None);
        assert_eq!(r(0, &Err(TransportError::Proxy)), None);
    }

    #[test]
    fn a_request_that_may_cost_is_never_retried_on_any_error() {
        let billable = [
            Probe::PaidOneToken { model: "m".into() },
            Probe::TestImage {
                model: "m".into(),
                size: "1024x1024".into(),
                quality: "low".into(),
            },
        ];
        let outcomes = [
            Ok(answer(504, "")),
            Ok(answer(500, "")),
            Ok(answer(408, "")),
            Ok(answer(429, &err_body("rate_limit_exceeded", "requests"))),
            Err(TransportError::Timeout),
            Err(TransportError::Connect),
            Err(TransportError::Other),
        ];
        for probe in &billable {
            assert!(probe.may_cost());
            for outcome in &outcomes {
                assert_eq!(
                    retry_after(probe, 0, outcome, 0.0, PLENTY),
                    None,
                    "{outcome:?}"
                );
            }
        }
        // The free ones keep the SDKs' retries.
        let free = Probe::CreditProbe {
            model: "m".into(),
            budget: crate::core::models::BudgetParam::default(),
        };
        assert!(retry_after(&free, 0, &outcomes[0], 0.0, PLENTY).is_some());
    }

    #[test]
    fn billing_answers_are_never_retried() {
        for code in [
            "insufficient_quota",
            "credit_balance_exhausted",
            "project_spend_limit_exceeded",
            "billing_not_active",
            "billing_hard_limit_reached",
        ] {
            for status in [400, 429] {
                let a = Ok(answer(status, &err_body(code, code)));
                assert_eq!(
                    retry_after(&Probe::Models, 0, &a, 0.0, PLENTY),
                    None,
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn rate_limits_honour_the_server_when_the_wait_fits() {
        let mut rl = answer(429, &err_body("rate_limit_exceeded", "requests"));
        rl.headers.push(("retry-after-ms".into(), "20".into()));
        assert_eq!(
            retry_after(&Probe::Models, 0, &Ok(rl.clone()), 0.0, PLENTY),
            Some(Duration::from_millis(20))
        );
        rl.headers.retain(|(n, _)| n != "retry-after-ms");
        rl.headers.push(("retry-after".into(), "2".into()));
        assert_eq!(
            retry_after(&Probe::Models, 1, &Ok(rl.clone()), 0.0, PLENTY),
            Some(Duration::from_secs(2))
        );
        // The wait does not fit in the time left: keep the rate limit as the answer.
        assert_eq!(
            retry_after(
                &Probe::Models,
                0,
                &Ok(rl.clone()),
                0.0,
                Duration::from_secs(1)
            ),
            None
        );
        // Nor does a backoff.
        assert_eq!(
            retry_after(
                &Probe::Models,
                0,
                &Ok(answer(503, "")),
                0.0,
                Duration::from_millis(100)
            ),
            None
        );
    }
}
