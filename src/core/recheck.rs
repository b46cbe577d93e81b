//! When to ask OpenAI again while the user waits for something to arrive: credit after "I added
//! credit", or the end of "must be verified" after "I've verified my organization". Both take a
//! few minutes to show, so checks come at growing intervals and stop after a while. The schedule
//! runs only free checks: nothing here ever asks for a paid one. No clock: times are offsets
//! from the moment the user asked.

use std::time::Duration;

use super::readiness::Steps;
use super::verdict::{StepId, StepState};

/// How long the app keeps re-checking for credit.
pub(crate) const RECHECK_FOR: Duration = Duration::from_secs(15 * 60);

/// How long the app keeps re-checking for verification.
pub(crate) const VERIFICATION_RECHECK_FOR: Duration = Duration::from_secs(30 * 60);

/// What the user is waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Awaited {
    /// Credit, after "I added credit".
    Credit,
    /// The organization's verification, after "I've verified my organization".
    Verification,
}

impl Awaited {
    /// The step whose state tells whether it arrived.
    pub fn step(self) -> StepId {
        match self {
            Self::Credit => StepId::Billing,
            Self::Verification => StepId::Verification,
        }
    }

    /// How long re-checking goes on in all.
    pub fn limit(self) -> Duration {
        match self {
            Self::Credit => RECHECK_FOR,
            Self::Verification => VERIFICATION_RECHECK_FOR,
        }
    }

    /// Whether a free check's steps show it arrived. Credit: billing is done. Verification: OpenAI
    /// no longer says the organization must be verified (only a real image, which costs money
    /// and so never runs on a timer, could prove more).
    pub fn arrived(self, steps: &Steps) -> bool {
        match self {
            Self::Credit => steps.billing == StepState::Done,
            Self::Verification => steps.verification != StepState::Pending,
        }
    }
}

/// What to do after a re-check's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterResult {
    /// It arrived: stop re-checking.
    Arrived,
    /// Not yet: the next check is due at this offset from the start.
    Again(Duration),
    /// Not after the whole time: stop and tell the user.
    GaveUp,
}

/// A re-check schedule: 20 s, 40 s, 80 s, 160 s, then every 5 minutes, until its limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recheck {
    /// What is awaited.
    pub awaited: Awaited,
    /// How many checks ran.
    pub attempt: u32,
    due_at: Duration,
}

impl Recheck {
    /// Start waiting; the first check is due after the first interval.
    pub fn start(awaited: Awaited) -> Self {
        Self {
            awaited,
            attempt: 0,
            due_at: recheck_delay(0, Duration::ZERO, awaited.limit()).unwrap_or_default(),
        }
    }

    /// When the next check is due, as an offset from the start.
    pub(crate) fn due_at(&self) -> Duration {
        self.due_at
    }

    /// Whether a check is due, `elapsed` after the start.
    pub(crate) fn is_due(&self, elapsed: Duration) -> bool {
        elapsed >= self.due_at
    }

    /// Make the next check due now (for tests and "check now").
    pub fn make_due(&mut self, elapsed: Duration) {
        self.due_at = elapsed;
    }

    /// A check started from this schedule.
    pub(crate) fn started_one(&mut self) {
        self.attempt = self.attempt.saturating_add(1);
    }

    /// After a check's result that came `elapsed` after the start.
    pub fn after(&mut self, steps: &Steps, elapsed: Duration) -> AfterResult {
        if self.awaited.arrived(steps) {
            return AfterResult::Arrived;
        }
        match recheck_delay(self.attempt, elapsed, self.awaited.limit()) {
            Some(delay) => {
                self.due_at = elapsed.saturating_add(delay);
                AfterResult::Again(self.due_at)
            }
            None => AfterResult::GaveUp,
        }
    }
}

/// The wait before re-check number `attempt` (0 for the first), given how long re-checking has
/// gone on already; `None` when the next one would pass `limit`.
fn recheck_delay(attempt: u32, elapsed: Duration, limit: Duration) -> Option<Duration> {
    let delay = Duration::from_secs(20u64.saturating_mul(1u64 << attempt.min(10)))
        .min(Duration::from_secs(300));
    (elapsed.saturating_add(delay) <= limit).then_some(delay)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(billing: StepState, verification: StepState) -> Steps {
        Steps {
            account: StepState::Done,
            key: StepState::Done,
            billing,
            verification,
        }
    }

    fn run_to_the_end(awaited: Awaited, still: &Steps) -> Vec<u64> {
        let mut r = Recheck::start(awaited);
        let mut due = vec![r.due_at().as_secs()];
        loop {
            assert!(!r.is_due(r.due_at() - Duration::from_secs(1)));
            assert!(r.is_due(r.due_at()));
            r.started_one();
            match r.after(still, r.due_at()) {
                AfterResult::Again(at) => due.push(at.as_secs()),
                AfterResult::GaveUp => return due,
                AfterResult::Arrived => panic!("nothing arrived"),
            }
        }
    }

    #[test]
    fn credit_intervals_grow_then_stop_after_fifteen_minutes() {
        let due = run_to_the_end(
            Awaited::Credit,
            &steps(StepState::Pending, StepState::Unknown),
        );
        assert_eq!(due, vec![20, 60, 140, 300, 600, 900]);
    }

    #[test]
    fn verification_rechecks_for_thirty_minutes() {
        let due = run_to_the_end(
            Awaited::Verification,
            &steps(StepState::Done, StepState::Pending),
        );
        assert_eq!(due.first(), Some(&20));
        assert_eq!(due.last(), Some(&1800));
        assert!(due.windows(2).all(|w| w[1] - w[0] <= 300));
    }

    #[test]
    fn arrival_ends_the_schedule() {
        use StepState::{Done, Pending, Unknown};
        let again_at_60 = AfterResult::Again(Duration::from_secs(60));
        // What was awaited, what the first re-check (at 20 s) found, and what follows.
        let cases = [
            (Awaited::Credit, steps(Done, Unknown), AfterResult::Arrived),
            // Free evidence no longer says "must be verified": that is all a timer may learn.
            (
                Awaited::Verification,
                steps(Done, Unknown),
                AfterResult::Arrived,
            ),
            (Awaited::Verification, steps(Done, Pending), again_at_60),
        ];
        for (awaited, found, want) in cases {
            let mut r = Recheck::start(awaited);
            r.started_one();
            let got = r.after(&found, Duration::from_secs(20));
            assert_eq!(got, want, "{awaited:?} after {found:?}");
        }
    }

    #[test]
    fn huge_attempts_and_times_do_not_overflow() {
        let mut r = Recheck::start(Awaited::Credit);
        r.attempt = u32::MAX;
        r.started_one();
        assert_eq!(
            r.after(
                &steps(StepState::Pending, StepState::Unknown),
                Duration::MAX
            ),
            AfterResult::GaveUp
        );
    }
}
