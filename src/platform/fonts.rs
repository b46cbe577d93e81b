//! Fonts that can draw the window's language: an adapter between the system's fonts (found
//! with `fontique`, which asks fontconfig, Core Text or DirectWrite) and egui's font lookup.
//!
//! English and Italian need nothing beyond egui's own fonts. Japanese and Chinese need a CJK
//! font, and the right one: many Han characters (直, 骨, 写) are drawn differently in Japan and
//! in China, and one `.ttc` such as Noto Sans CJK holds a face for each. eframe's own system font
//! provider picks by the system's locale, not the window's, and on Debian its sans-serif list
//! yields only the JP face (and fontconfig maps its `zh-SG` lookup to JP too), so Chinese would
//! take Japanese forms. So [`use_fonts_for`] asks for the face of the language itself
//! (`ja`, `zh-CN`) and installs it after egui's fonts; eframe's provider stays off
//! (`NativeOptions::system_font_fallback` is `false`, see `app::native_options`).

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use egui::epaint::text::{
    FontData, FontDefinitions, FontFamily, FontId, FontInsert, FontPriority, FontProvider, Fonts,
    InsertFontFamily, TextOptions,
};
use fontique::{
    Collection, CollectionOptions, FallbackKey, Language, Script, SourceCache, SourceCacheOptions,
};

use crate::core::i18n::{self, Lang};

/// No font on this computer can draw the language's text; the window stays English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoFont {
    /// The language that cannot be shown.
    pub lang: Lang,
    /// How many of its characters no font has (for the trace; the user needs only the words).
    pub missing: usize,
}

impl NoFont {
    /// The notice for the user, in English (the window keeps English): what happened and
    /// what to do about it. It names the language in English only: its own name (日本語)
    /// would draw as empty boxes for want of the very font.
    pub fn message(&self) -> String {
        let name = self.lang.english_name();
        format!(
            "No font on this computer can show {name}, so the window stays in English. \
             Install a {name} font (on Debian or Ubuntu: the package fonts-noto-cjk), then \
             choose {name} again."
        )
    }

    /// Whether `text` is the notice of a [`NoFont`] for any language.
    pub fn is_notice(text: &str) -> bool {
        Lang::ALL
            .iter()
            .any(|&lang| text == Self { lang, missing: 0 }.message())
    }
}

impl fmt::Display for NoFont {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for NoFont {}

/// Install fonts in `ctx` that can draw `lang`, in place of any installed for another
/// language, from the next pass on. English and Italian need none (egui's own fonts draw
/// them). Japanese and Chinese get the system's CJK face for the language: Japanese forms
/// in Japanese, Chinese forms in Chinese; where that face lacks characters of the
/// language's texts, the faces of the other CJK locales follow it.
///
/// # Errors
/// [`NoFont`] when no font on this system has every character of the language's texts;
/// then nothing is installed and `ctx` keeps the fonts it had, English only.
///
/// With `names`, the language menu's names of the other languages (日本語, 简体中文) are
/// drawable too where a font on the system has them, also in English and Italian; without a
/// font for them the menu names those languages in English.
pub fn use_fonts_for(ctx: &egui::Context, lang: Lang, names: bool) -> Result<(), NoFont> {
    let mut providers: Vec<Arc<dyn FontProvider>> = Vec::new();
    if lang.needs_cjk_font() {
        providers.push(Arc::new(CjkFaces::find(lang, &cjk_text(lang))?));
    } else if names {
        // The names alone; when nothing draws them, the menu uses the English names.
        let names: String = Lang::ALL
            .iter()
            .map(|l| l.native_name())
            .flat_map(str::chars)
            .filter(|&c| c >= '\u{2E80}')
            .collect();
        if let Ok(faces) = CjkFaces::find(Lang::Ja, &names) {
            providers.push(Arc::new(faces));
        }
    }
    ctx.set_font_providers(providers);
    Ok(())
}

/// The characters of `text` that no font in `ctx` can draw (no glyph in the proportional
/// family, whose fallback chain has every installed font), each once, in order. Whitespace
/// and control characters are not asked about. Valid only once `ctx` has run a pass.
pub fn missing_glyphs(ctx: &egui::Context, text: &str) -> Vec<char> {
    let font = FontId::proportional(14.0);
    ctx.fonts_mut(|fonts| missing(text, |c| fonts.has_glyph(&font, c)))
}

/// The characters of `text` for which `has` is false, each once, in order.
fn missing(text: &str, mut has: impl FnMut(char) -> bool) -> Vec<char> {
    let mut seen = BTreeSet::new();
    text.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .filter(|&c| seen.insert(c))
        .filter(|&c| !has(c))
        .collect()
}

/// What a CJK font must draw for `lang`: every character of the catalogue's translations
/// that egui's own fonts leave to it (from U+2E80, CJK radicals, on: ideographs, kana,
/// CJK punctuation, full-width forms), and a sample with kana and characters whose forms differ.
fn cjk_text(lang: Lang) -> String {
    let sample = match lang {
        Lang::Ja => "日本語ひらがなカタカナ直骨写。「」",
        Lang::ZhHans => "简体中文直骨写。，（）",
        Lang::En | Lang::It => "",
    };
    i18n::source(lang)
        .lines()
        .filter_map(|line| line.strip_prefix("= "))
        .chain([sample, lang.native_name()])
        .flat_map(str::chars)
        .filter(|&c| c >= '\u{2E80}')
        .collect()
}

/// The CJK faces for one language, best first, installed after egui's fonts in both families.
struct CjkFaces {
    faces: Vec<FontInsert>,
}

impl CjkFaces {
    /// The system's faces that together draw every character of `text`, looked for in the
    /// order of `lang`'s locales.
    fn find(lang: Lang, text: &str) -> Result<Self, NoFont> {
        let mut collection = Collection::new(CollectionOptions {
            shared: false,
            system_fonts: true,
        });
        let mut source_cache = SourceCache::new(SourceCacheOptions::default());
        let mut found = Self { faces: Vec::new() };
        let mut left = missing(text, |_| false);
        for locale in locales(lang) {
            for face in faces_for(&mut collection, &mut source_cache, locale) {
                if left.is_empty() {
                    break;
                }
                if found.faces.iter().any(|f| f.name == face.name) {
                    continue;
                }
                found.faces.push(face);
                left = found.missing(&left);
            }
        }
        if left.is_empty() {
            Ok(found)
        } else {
            Err(NoFont {
                lang,
                missing: left.len(),
            })
        }
    }

    /// The characters of `chars` that neither egui's own fonts nor these faces can draw,
    /// through egui's own lookup.
    fn missing(&self, chars: &[char]) -> Vec<char> {
        let providers: Vec<Arc<dyn FontProvider>> = vec![Arc::new(Self {
            faces: self.faces.clone(),
        })];
        let mut fonts = Fonts::new(TextOptions::default(), FontDefinitions::default())
            .with_font_providers(providers);
        let font = FontId::proportional(14.0);
        chars
            .iter()
            .copied()
            .filter(|&c| !fonts.has_glyph(&font, c))
            .collect()
    }
}

impl FontProvider for CjkFaces {
    fn fonts_for_family(&self, family: &FontFamily) -> Vec<FontInsert> {
        if matches!(family, FontFamily::Proportional | FontFamily::Monospace) {
            self.faces
                .iter()
                .map(|face| FontInsert {
                    families: vec![InsertFontFamily {
                        family: family.clone(),
                        priority: FontPriority::Lowest,
                    }],
                    ..face.clone()
                })
                .collect()
        } else {
            Vec::new()
        }
    }
}

/// The locales whose CJK faces may draw `lang`, the language's own first. `zh-CN`, not
/// `zh-SG` or `zh-Hans`: fontconfig's rules choose the Simplified Chinese face for it.
fn locales(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Ja => &["ja", "zh-CN", "zh-TW", "ko"],
        Lang::ZhHans => &["zh-CN", "zh-TW", "ja", "ko"],
        Lang::En | Lang::It => &[],
    }
}

/// The system's fallback faces for Han text in `locale` (regular weight, upright), each named
/// `system:<family>:<index>`.
fn faces_for(
    collection: &mut Collection,
    source_cache: &mut SourceCache,
    locale: &str,
) -> Vec<FontInsert> {
    let Ok(language) = Language::parse(locale) else {
        return Vec::new();
    };
    let key = FallbackKey::new(Script::from_bytes(*b"Hani"), Some(&language));
    let families: Vec<_> = collection.fallback_families(key).collect();
    let mut faces = Vec::new();
    for id in families {
        let name = collection.family_name(id).unwrap_or("unknown").to_owned();
        let Some(family) = collection.family(id) else {
            continue;
        };
        let Some(font) = family.default_font() else {
            continue;
        };
        let Some(blob) = font.load(Some(source_cache)) else {
            continue;
        };
        let (data, _id) = blob.into_raw_parts();
        faces.push(FontInsert {
            name: format!("system:{name}:{}", font.index()),
            data: FontData::from_blob(data, font.index()),
            families: Vec::new(),
        });
    }
    faces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_lists_each_absent_character_once_in_order() {
        assert_eq!(missing("a 直b直\n骨", |c| c.is_ascii()), vec!['直', '骨']);
    }

    #[test]
    fn latin_languages_need_no_cjk_text() {
        assert_eq!(cjk_text(Lang::En), "");
        assert_eq!(cjk_text(Lang::It), "");
        assert!(cjk_text(Lang::Ja).contains('ひ'));
        assert!(cjk_text(Lang::ZhHans).contains('简'));
    }

    #[test]
    fn the_notice_is_english_and_says_what_to_do() {
        let no = NoFont {
            lang: Lang::Ja,
            missing: 3,
        };
        let text = no.message();
        assert!(text.starts_with("No font on this computer can show Japanese,"));
        assert!(text.contains("stays in English"));
        assert!(text.contains("Install a Japanese font"));
        assert!(NoFont::is_notice(&text));
        assert!(!NoFont::is_notice("Saved progress was damaged."));
    }
}
