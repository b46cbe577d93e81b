//! Which models AAAI calls, read from one small data file (`assets/aaai-models.json`) that is
//! compiled in. Support staff can point the app at another copy of the file (the adapter reads
//! it; see README, "Which models the check uses"). Every probe of the readiness check asks for
//! these models, so "ready" means ready for what AAAI really uses.

use serde::Deserialize;

/// The file compiled into the binary.
pub(crate) const BUILT_IN: &str = include_str!("../../assets/aaai-models.json");

/// The environment variable that names a replacement models file.
pub(crate) const OVERRIDE_VAR: &str = "AAAI_KEY_SETUP_MODELS";

/// The models AAAI calls, with why and when each was chosen.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AaaiModels {
    /// The file format's version (1).
    pub version: u32,
    /// The text model AAAI writes articles with.
    pub articles: TextModel,
    /// The image model AAAI makes images with.
    pub images: ImageModel,
}

/// AAAI's text model.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextModel {
    /// The model id, a dated snapshot where one exists.
    pub model: String,
    /// When it was chosen (YYYY-MM-DD).
    pub chosen: String,
    /// Why it was chosen.
    pub why: String,
}

/// AAAI's image model, and the smallest image it makes.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageModel {
    /// The model id.
    pub model: String,
    /// The smallest size it makes, e.g. `1024x1024`.
    pub size: String,
    /// The cheapest quality, e.g. `low`.
    pub quality: String,
    /// When it was chosen (YYYY-MM-DD).
    pub chosen: String,
    /// Why it was chosen.
    pub why: String,
}

/// Why a models file could not be used. Never repeats the file's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ModelsError {
    /// Not JSON of the expected shape.
    #[error("it is not a models file of the expected shape (see the README)")]
    Shape,
    /// A version this app does not know.
    #[error("it has a version this app does not know")]
    Version,
    /// A model id is empty or holds characters no model id has.
    #[error("a model name in it is empty or holds characters no model name has")]
    BadModelId,
}

fn plausible_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':'))
}

impl AaaiModels {
    /// Reads a models file's text.
    pub fn parse(text: &str) -> Result<Self, ModelsError> {
        let models: Self = serde_json::from_str(text).map_err(|_| ModelsError::Shape)?;
        if models.version != 1 {
            return Err(ModelsError::Version);
        }
        let ids = [
            &models.articles.model,
            &models.images.model,
            &models.images.size,
            &models.images.quality,
        ];
        if !ids.iter().all(|id| plausible_id(id)) {
            return Err(ModelsError::BadModelId);
        }
        Ok(models)
    }

    /// The compiled-in file (checked by a test, so this never falls back in practice).
    pub fn built_in() -> Self {
        Self::parse(BUILT_IN).unwrap_or_else(|_| Self {
            version: 1,
            articles: TextModel {
                model: "gpt-4.1-mini-2025-04-14".to_owned(),
                chosen: String::new(),
                why: String::new(),
            },
            images: ImageModel {
                model: "gpt-image-1-mini".to_owned(),
                size: "1024x1024".to_owned(),
                quality: "low".to_owned(),
                chosen: String::new(),
                why: String::new(),
            },
        })
    }
}

impl Default for AaaiModels {
    fn default() -> Self {
        Self::built_in()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_file_parses_and_names_a_dated_text_snapshot() {
        let m = AaaiModels::parse(BUILT_IN).expect("the compiled-in file is valid");
        assert_eq!(m, AaaiModels::built_in());
        // A dated snapshot ends in -YYYY-MM-DD.
        let tail: Vec<&str> = m.articles.model.rsplitn(4, '-').collect();
        assert!(
            tail.len() == 4
                && tail[..3]
                    .iter()
                    .all(|p| p.chars().all(|c| c.is_ascii_digit())),
            "{}",
            m.articles.model
        );
        assert!(m.images.model.starts_with("gpt-image"));
        assert!(!m.articles.why.is_empty() && !m.images.why.is_empty());
    }

    #[test]
    fn bad_files_are_refused_without_echo() {
        assert_eq!(AaaiModels::parse("nope"), Err(ModelsError::Shape));
        let v2 = BUILT_IN.replace("\"version\": 1", "\"version\": 2");
        assert_eq!(AaaiModels::parse(&v2), Err(ModelsError::Version));
        let bad = BUILT_IN.replace("gpt-image-1-mini", "gpt image");
        assert_eq!(AaaiModels::parse(&bad), Err(ModelsError::BadModelId));
        assert!(!ModelsError::Shape.to_string().contains("nope"));
    }
}
