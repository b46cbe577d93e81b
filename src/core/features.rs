//! What AAAI can do with a key: write articles, and generate images. Each is ready, not proven
//! yet, or blocked by a named problem. The readiness check fills these in; the window, the text
//! report and `check --json` all show the same [`Features`], so no two places can disagree.

use crate::core::verdict::Verdict;

/// One thing AAAI does with the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feature {
    /// Text generation: AAAI's articles.
    Articles,
    /// Image generation: featured and in-article images.
    Images,
}

impl Feature {
    /// Both features, articles first.
    pub const ALL: [Self; 2] = [Self::Articles, Self::Images];

    /// The word used in JSON output (`features.articles`, `features.images`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Articles => "articles",
            Self::Images => "images",
        }
    }

    /// The plain label shown before the state ("Writing articles: ready").
    pub fn label(self) -> &'static str {
        match self {
            Self::Articles => "Writing articles",
            Self::Images => "Images",
        }
    }
}

/// How far one feature is proven.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum FeatureState {
    /// Proven to work.
    Ready,
    /// Not proven either way; the feature's line says why and how to prove it.
    #[default]
    Unknown,
    /// This problem stops it.
    Blocked(Verdict),
}

impl FeatureState {
    /// The word used in JSON output: `ready`, `unknown`, or the blocking verdict's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ready => "ready",
            Self::Unknown => "unknown",
            Self::Blocked(verdict) => verdict.as_str(),
        }
    }
}

/// One feature's state with its plain line and its one fix.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FeatureStatus {
    /// How far it is proven.
    pub state: FeatureState,
    /// What follows the label, in plain words ("ready", "your organization must be verified").
    pub line: String,
    /// The one page that fixes it, when a page does.
    pub fix_url: Option<&'static str>,
}

/// Both features.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Features {
    /// Writing articles.
    pub articles: FeatureStatus,
    /// Generating images.
    pub images: FeatureStatus,
}

impl Features {
    /// One feature's status.
    pub fn get(&self, feature: Feature) -> &FeatureStatus {
        match feature {
            Feature::Articles => &self.articles,
            Feature::Images => &self.images,
        }
    }

    /// Both, articles first.
    pub fn all(&self) -> [(Feature, &FeatureStatus); 2] {
        Feature::ALL.map(|f| (f, self.get(f)))
    }
}
