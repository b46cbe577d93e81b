//! The window's languages, and which one the system prefers. Pure: the locale names come in
//! from the platform seam (`sys-locale`), the choice goes out as a [`Lang`].

use serde::{Deserialize, Serialize};

/// A language the window speaks. The command line, the JSON words and the support report stay
/// English whatever this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// English, the language the texts are written in.
    #[serde(rename = "en")]
    En,
    /// Italian.
    #[serde(rename = "it")]
    It,
    /// Japanese.
    #[serde(rename = "ja")]
    Ja,
    /// Simplified Chinese.
    #[serde(rename = "zh-Hans")]
    ZhHans,
}

impl Lang {
    /// Every language, in the order the menu lists them.
    pub const ALL: [Self; 4] = [Self::En, Self::It, Self::Ja, Self::ZhHans];

    /// The BCP 47 tag: `en`, `it`, `ja`, `zh-Hans`.
    pub const fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::It => "it",
            Self::Ja => "ja",
            Self::ZhHans => "zh-Hans",
        }
    }

    /// The language's name in itself, as the menu shows it.
    pub const fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::It => "Italiano",
            Self::Ja => "日本語",
            Self::ZhHans => "简体中文",
        }
    }

    /// The language's name in English, for the support report and the CLI.
    pub const fn english_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::It => "Italian",
            Self::Ja => "Japanese",
            Self::ZhHans => "Simplified Chinese",
        }
    }

    /// Whether the language is written with Han characters or kana, which need a CJK font.
    pub const fn needs_cjk_font(self) -> bool {
        matches!(self, Self::Ja | Self::ZhHans)
    }

    /// What goes between two sentences: a space, or nothing in Japanese and Chinese.
    pub const fn sentence_gap(self) -> &'static str {
        if self.needs_cjk_font() { "" } else { " " }
    }

    /// The mark that ends a sentence.
    pub const fn full_stop(self) -> &'static str {
        if self.needs_cjk_font() { "。" } else { "." }
    }

    /// The language a locale name asks for, when we have it: `it-IT`, `it_IT.UTF-8`, `ja`,
    /// `zh-CN`, `zh-Hans-SG`. `None` for a language we do not have, for Traditional Chinese
    /// (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`), and for `C` and `POSIX`, which state no
    /// preference.
    pub fn from_locale(name: &str) -> Option<Self> {
        // Drop the encoding (`.UTF-8`) and modifier (`@euro`); `_` and `-` both separate.
        let name = name.split(['.', '@']).next().unwrap_or_default();
        let mut parts = name.split(['-', '_']).map(str::to_ascii_lowercase);
        let language = parts.next()?;
        match language.as_str() {
            "en" => Some(Self::En),
            "it" => Some(Self::It),
            "ja" => Some(Self::Ja),
            "zh" => {
                let rest: Vec<String> = parts.collect();
                let traditional = rest
                    .iter()
                    .any(|p| matches!(p.as_str(), "hant" | "tw" | "hk" | "mo"));
                let simplified = rest.iter().any(|p| p == "hans");
                (simplified || !traditional).then_some(Self::ZhHans)
            }
            _ => None,
        }
    }

    /// The first of the system's preferred languages (most preferred first) that we have;
    /// English when none is.
    pub fn pick<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Self {
        preferred
            .into_iter()
            .find_map(Self::from_locale)
            .unwrap_or(Self::En)
    }
}

/// The saved choice: the system's language, or one the user picked in the menu.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LangChoice {
    /// Follow the system's preferred languages.
    #[default]
    #[serde(rename = "system")]
    System,
    /// The language the user picked.
    #[serde(untagged)]
    Picked(Lang),
}

impl LangChoice {
    /// The language to show, given the system's preferred languages.
    pub fn resolve<'a>(self, preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        match self {
            Self::System => Lang::pick(preferred),
            Self::Picked(lang) => lang,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_names_as_systems_spell_them() {
        for (name, want) in [
            ("it-IT", Some(Lang::It)),
            ("it_IT.UTF-8", Some(Lang::It)),
            ("ja", Some(Lang::Ja)),
            ("ja_JP.eucJP", Some(Lang::Ja)),
            ("zh-CN", Some(Lang::ZhHans)),
            ("zh-Hans-SG", Some(Lang::ZhHans)),
            ("zh_SG", Some(Lang::ZhHans)),
            ("zh", Some(Lang::ZhHans)),
            ("zh-Hant", None),
            ("zh-TW", None),
            ("zh_HK.UTF-8", None),
            ("zh-Hant-HK", None),
            ("zh-MO", None),
            ("en-GB", Some(Lang::En)),
            ("de-DE", None),
            ("C", None),
            ("POSIX", None),
            ("C.UTF-8", None),
            ("", None),
        ] {
            assert_eq!(Lang::from_locale(name), want, "{name}");
        }
    }

    #[test]
    fn the_first_preferred_language_we_have_wins() {
        assert_eq!(Lang::pick(["de-DE", "ja-JP", "it-IT"]), Lang::Ja);
        assert_eq!(Lang::pick(["zh-TW", "it"]), Lang::It);
        assert_eq!(Lang::pick(["zh-Hant-TW"]), Lang::En);
        assert_eq!(Lang::pick(["C"]), Lang::En);
        assert_eq!(Lang::pick([]), Lang::En);
    }

    #[test]
    fn the_saved_choice_reads_back_and_garbage_is_the_system() {
        for choice in [LangChoice::System, LangChoice::Picked(Lang::ZhHans)] {
            let json = serde_json::to_string(&choice).unwrap();
            assert_eq!(serde_json::from_str::<LangChoice>(&json).unwrap(), choice);
        }
        assert_eq!(
            serde_json::to_string(&LangChoice::Picked(Lang::ZhHans)).unwrap(),
            "\"zh-Hans\""
        );
        assert!(serde_json::from_str::<LangChoice>("\"klingon\"").is_err());
    }
}
