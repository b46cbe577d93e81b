//! Which model the check probes for each feature. The probes start at once with each
//! feature's first candidate, beside the `/models` request; when the list (or a 404 for the
//! model) shows that the first is gone, [`choose`] names the next one, and only then does a
//! second round trip happen.
//!
//! The rule: the first candidate that OpenAI lists and whose `shutdown_date` has not been
//! reached ("today" is the server's `Date`, else the local date the adapter gave). A candidate
//! that is not listed but answered as a live model would is kept: being listed is a weaker
//! proof than an answer. When no candidate is left, the newest listed model of the family.
//! When the list cannot be read, the first candidate no 404 has ruled out.

use crate::core::models::{Candidate, Day, Family, Listed};

/// What the check knows of OpenAI's model list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ListState {
    /// Not answered yet.
    Pending,
    /// The list could not be read (a restricted key, a transport failure, an odd answer).
    Unreadable,
    /// The models OpenAI lists for this key.
    Known(Vec<Listed>),
}

impl ListState {
    /// The listed entry for `id`.
    pub(crate) fn entry(&self, id: &str) -> Option<&Listed> {
        match self {
            Self::Known(list) => list.iter().find(|l| l.id == id),
            _ => None,
        }
    }
}

/// Why a candidate was passed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Passed {
    /// The list gives a shutdown date that has been reached.
    Retired(Day),
    /// OpenAI answered that the model does not exist (404 `model_not_found`).
    Gone,
    /// The list does not show it and no answer showed it alive.
    Unlisted,
}

/// How the checked model was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// The first candidate, as the file names it.
    First,
    /// A later candidate, because those before it were passed over.
    Next,
    /// No candidate was left: the newest listed model of the family.
    Newest,
    /// The list could not be read: the first candidate no answer ruled out, unconfirmed.
    ListUnreadable,
    /// No model of the family is offered to this key.
    NoModel,
}

/// The choice for one feature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pick {
    /// The model to probe, or none.
    pub model: Option<String>,
    /// How it was chosen.
    pub how: How,
}

/// True when `l`'s shutdown date has been reached on `today`.
pub(crate) fn reached(l: &Listed, today: Option<Day>) -> Option<Day> {
    match (l.shutdown, today) {
        (Some(d), Some(t)) if d <= t => Some(d),
        _ => None,
    }
}

/// Why `id` is passed over, or `None` when it may be probed. `alive` is true when an answer
/// already showed the model exists.
pub(crate) fn passed(
    id: &str,
    list: &ListState,
    today: Option<Day>,
    gone: &[String],
    alive: bool,
) -> Option<Passed> {
    // The list's date says most; a 404 alone says it is gone.
    if let Some(d) = list.entry(id).and_then(|l| reached(l, today)) {
        return Some(Passed::Retired(d));
    }
    if gone.iter().any(|g| g == id) {
        return Some(Passed::Gone);
    }
    match list {
        ListState::Known(_) if list.entry(id).is_none() && !alive => Some(Passed::Unlisted),
        _ => None,
    }
}

/// The model to probe for a feature. `alive` names the model whose answer showed it exists.
pub(crate) fn choose<M: Candidate>(
    family: &Family<M>,
    list: &ListState,
    today: Option<Day>,
    gone: &[String],
    alive: Option<&str>,
) -> Pick {
    let open = |id: &str| passed(id, list, today, gone, alive == Some(id)).is_none();
    if let Some((i, c)) = family
        .candidates
        .iter()
        .enumerate()
        .find(|(_, c)| open(c.id()))
    {
        let how = match (list, i) {
            (ListState::Unreadable, _) => How::ListUnreadable,
            (_, 0) => How::First,
            _ => How::Next,
        };
        return Pick {
            model: Some(c.id().to_owned()),
            how,
        };
    }
    let newest = match list {
        ListState::Known(models) => models
            .iter()
            .filter(|l| family.holds(&l.id) && reached(l, today).is_none())
            .filter(|l| !gone.contains(&l.id))
            .max_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id))),
        _ => None,
    };
    match newest {
        Some(l) => Pick {
            model: Some(l.id.clone()),
            how: How::Newest,
        },
        None => Pick {
            model: None,
            how: How::NoModel,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::models::AaaiModels;

    fn day(s: &str) -> Option<Day> {
        Day::parse_iso(s)
    }

    fn listed(id: &str, created: i64, shutdown: Option<&str>) -> Listed {
        Listed {
            id: id.to_owned(),
            created,
            shutdown: shutdown.and_then(Day::parse_iso),
        }
    }

    #[test]
    fn the_first_listed_candidate_not_shut_down_wins() {
        let m = AaaiModels::built_in();
        let list = ListState::Known(vec![
            listed("gpt-image-2", 1, Some("2026-12-01")),
            listed("gpt-image-2.6-sunburst", 2, None),
        ]);
        let today = day("2026-12-01");
        let p = choose(&m.images, &list, today, &[], None);
        assert_eq!(p.model.as_deref(), Some("gpt-image-2.6-sunburst"));
        assert_eq!(p.how, How::Next);
        // A day earlier, the first is still alive.
        let p = choose(&m.images, &list, day("2026-11-30"), &[], None);
        assert_eq!(
            (p.model.as_deref(), p.how),
            (Some("gpt-image-2"), How::First)
        );
        // A 404 rules a model out whatever the list says.
        let gone = vec!["gpt-image-2.6-sunburst".to_owned()];
        let p = choose(&m.images, &list, day("2026-11-30"), &gone, None);
        assert_eq!(p.model.as_deref(), Some("gpt-image-2"));
    }

    #[test]
    fn no_candidate_listed_takes_the_newest_of_the_family() {
        let m = AaaiModels::built_in();
        let list = ListState::Known(vec![
            listed("gpt-image-3", 30, None),
            listed("gpt-image-3-mini", 20, None),
            listed("gpt-image-4", 50, Some("2026-01-01")),
            listed("gpt-6-luna", 99, None),
        ]);
        let p = choose(&m.images, &list, day("2026-12-01"), &[], None);
        assert_eq!(
            (p.model.as_deref(), p.how),
            (Some("gpt-image-3"), How::Newest)
        );
        let p = choose(&m.images, &ListState::Known(vec![]), None, &[], None);
        assert_eq!((p.model, p.how), (None, How::NoModel));
    }

    #[test]
    fn an_unreadable_list_keeps_the_first_candidate_and_an_answer_keeps_an_unlisted_one() {
        let m = AaaiModels::built_in();
        let p = choose(&m.articles, &ListState::Unreadable, None, &[], None);
        assert_eq!(
            (p.model.as_deref(), p.how),
            (Some("gpt-6-luna"), How::ListUnreadable)
        );
        let list = ListState::Known(vec![listed("gpt-4o-mini", 1, None)]);
        let p = choose(&m.articles, &list, None, &[], Some("gpt-6-luna"));
        assert_eq!(
            (p.model.as_deref(), p.how),
            (Some("gpt-6-luna"), How::First)
        );
    }
}
