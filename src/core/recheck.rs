//! When to ask OpenAI again after the user says "I added credit": credit can take a few minutes
//! to show, so checks come at growing intervals and stop after 15 minutes.

use std::time::Duration;

/// How long the app keeps re-checking in all.
pub const RECHECK_FOR: Duration = Duration::from_secs(15 * 60);

/// The wait before re-check number `attempt` (0 for the first), given how long re-checking has
/// gone on already; `None` when it is time to stop. 20 s, 40 s, 80 s, 160 s, then every 5 minutes.
pub fn recheck_delay(attempt: u32, elapsed: Duration) -> Option<Duration> {
    let delay = Duration::from_secs(20u64.saturating_mul(1u64 << attempt.min(10)))
        .min(Duration::from_secs(300));
    (elapsed + delay <= RECHECK_FOR).then_some(delay)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_grow_then_stop_after_fifteen_minutes() {
        let mut elapsed = Duration::ZERO;
        let mut delays = Vec::new();
        let mut attempt = 0;
        while let Some(d) = recheck_delay(attempt, elapsed) {
            delays.push(d.as_secs());
            elapsed += d;
            attempt += 1;
        }
        assert_eq!(delays, vec![20, 40, 80, 160, 300, 300]);
        assert!(elapsed <= RECHECK_FOR);
        assert!(recheck_delay(0, RECHECK_FOR).is_none());
        assert_eq!(
            recheck_delay(40, Duration::ZERO),
            Some(Duration::from_secs(300))
        );
    }
}
