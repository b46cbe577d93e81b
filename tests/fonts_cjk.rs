//! The fonts for Japanese and Chinese, with this system's real fonts and fontconfig
//! (`platform::fonts`): every character of the CJK catalogues has a glyph, Han characters take
//! Japanese forms in Japanese and Chinese forms in Chinese, and where no CJK font is installed
//! the window stays English and says what to install. Needs Debian's `fonts-noto-cjk`
//! (`scripts/test` installs it). Linux only: elsewhere the system's own fonts differ.
#![cfg(target_os = "linux")]

#[path = "support/child.rs"]
mod child;
#[path = "support/fakes.rs"]
mod fakes;
#[path = "support/ui.rs"]
mod ui;

use std::path::Path;

use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::core::i18n::{self, Lang};
use aaai_key_setup::platform::fonts::{self, NoFont};
use egui::epaint::text::FontFamily;
use egui::{Color32, FontId};
use egui_kittest::kittest::Queryable as _;

/// Kana and kanji as the Japanese catalogue will use them, while `ja.txt` may still be empty.
const JAPANESE: &str = "日本語の設定：キーをコピーして、アプリに貼り付けてください。直骨写「確認」";
/// Characters whose Japanese and Chinese forms differ.
const DIFFERING: [char; 2] = ['直', '骨'];
/// A character drawn the same in both: the comparison's control.
const SAME: char = '一';
/// Debian's `fonts-noto-cjk` file with the JP, KR, SC, TC and HK faces.
const NOTO_CJK: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// Run one pass of `ctx` with no UI, as a frame would (its texture changes are dropped).
fn pass(ctx: &egui::Context) {
    ctx.run_ui(egui::RawInput::default(), |_| {})
        .textures_delta
        .clear();
}

/// A context that has run one pass with `lang`'s fonts, as the window's next frame would.
fn context_for(lang: Lang) -> egui::Context {
    assert!(
        Path::new(NOTO_CJK).exists(),
        "{NOTO_CJK} is missing: install Debian's fonts-noto-cjk (scripts/test does)"
    );
    let ctx = egui::Context::default();
    ctx.set_missing_glyph_policy(egui::epaint::text::MissingGlyphPolicy::Tofu);
    pass(&ctx);
    fonts::use_fonts_for(&ctx, lang, false).unwrap_or_else(|e| panic!("{}: {e}", lang.tag()));
    pass(&ctx);
    ctx
}

/// Every translation in `lang`'s catalogue, one after the other.
fn translations(lang: Lang) -> String {
    i18n::source(lang)
        .lines()
        .filter_map(|line| line.strip_prefix("= "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_character_of_the_cjk_catalogues_has_a_glyph() {
    let mut checked = 0;
    for lang in Lang::ALL.into_iter().filter(|l| l.needs_cjk_font()) {
        let mut text = translations(lang);
        if lang == Lang::Ja {
            text.push_str(JAPANESE);
        }
        text.push_str(lang.native_name());
        for other in Lang::ALL {
            text.push_str(other.native_name());
        }
        let ctx = context_for(lang);
        let missing = fonts::missing_glyphs(&ctx, &text);
        assert!(
            missing.is_empty(),
            "{}: no glyph for {:?}",
            lang.tag(),
            missing
        );
        checked += text.chars().count();
    }
    // The Chinese catalogue alone has thousands of characters: the check did look.
    assert!(checked > 5_000, "only {checked} characters checked");
}

#[test]
fn without_the_fonts_a_cjk_character_has_no_glyph() {
    // The check above can fail: egui's own fonts have no kanji.
    let ctx = egui::Context::default();
    pass(&ctx);
    assert_eq!(fonts::missing_glyphs(&ctx, "a直b骨"), vec!['直', '骨']);
}

#[test]
fn the_language_menu_names_each_language_in_itself_also_in_english() {
    let names: String = Lang::ALL.iter().map(|l| l.native_name()).collect();
    let ctx = egui::Context::default();
    ctx.set_missing_glyph_policy(egui::epaint::text::MissingGlyphPolicy::Tofu);
    pass(&ctx);
    fonts::use_fonts_for(&ctx, Lang::En, false).expect("English");
    pass(&ctx);
    // Without the names' fonts, English draws no 日本語 (the menu then says "Japanese").
    assert!(!fonts::missing_glyphs(&ctx, &names).is_empty());
    fonts::use_fonts_for(&ctx, Lang::En, true).expect("English with the names");
    pass(&ctx);
    assert_eq!(fonts::missing_glyphs(&ctx, &names), Vec::<char>::new());
}

/// The name of the font egui draws `c` with, and its bitmap at 64 px as egui rasterizes it.
fn drawn(ctx: &egui::Context, c: char) -> (String, Vec<Color32>) {
    let face = ctx.fonts_mut(|f| {
        f.characters(&FontFamily::Proportional)
            .get(&c)
            .and_then(|names| names.first().cloned())
            .unwrap_or_default()
    });
    let galley = ctx
        .fonts_mut(|f| f.layout_no_wrap(c.to_string(), FontId::proportional(64.0), Color32::WHITE));
    let glyph = galley.rows[0].glyphs[0];
    let image = ctx.fonts(|f| f.image());
    let [x0, y0] = glyph.uv_rect.min.map(usize::from);
    let [x1, y1] = glyph.uv_rect.max.map(usize::from);
    assert!(x1 > x0 && y1 > y0, "{c:?} drew nothing");
    let pixels = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .map(|(x, y)| image.pixels[y * image.size[0] + x])
        .collect();
    (face, pixels)
}

#[test]
fn han_characters_take_japanese_forms_in_japanese_and_chinese_forms_in_chinese() {
    let ja = context_for(Lang::Ja);
    let zh = context_for(Lang::ZhHans);
    for c in DIFFERING {
        let (ja_face, ja_pixels) = drawn(&ja, c);
        let (zh_face, zh_pixels) = drawn(&zh, c);
        assert!(ja_face.contains("CJK JP"), "{c:?} in Japanese: {ja_face}");
        assert!(zh_face.contains("CJK SC"), "{c:?} in Chinese: {zh_face}");
        assert_ne!(
            ja_pixels, zh_pixels,
            "{c:?} looks the same in Japanese ({ja_face}) and Chinese ({zh_face})"
        );
    }
    // The control: a character with one form is drawn alike, so the difference above is
    // the form, not the way the bitmaps were taken.
    assert_eq!(drawn(&ja, SAME).1, drawn(&zh, SAME).1);
}

/// The app, headless, with nothing saved, after its first frame.
fn window() -> egui_kittest::Harness<'static, aaai_key_setup::app::App> {
    let services = fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::none(),
        fakes::FakeClipboard::default(),
    );
    let mut h = ui::harness(services, [1024.0, 720.0]);
    h.run_ok();
    h
}

#[test]
fn the_window_speaks_japanese_and_chinese_where_the_fonts_are() {
    let mut h = window();
    for lang in [Lang::Ja, Lang::ZhHans, Lang::En] {
        h.state_mut().speak(lang);
        h.run_ok();
        assert_eq!(h.state().lang, lang);
        assert_eq!(h.state().notice, None);
    }
}

/// The environment variable that makes the test below the child that runs without CJK fonts.
const CHILD: &str = "FONTS_CJK_CHILD";

#[test]
fn without_cjk_fonts_the_window_stays_english_and_says_what_to_install() {
    // The test runs itself again in a child process that sees no CJK font, and is the child
    // there (no test of its own, so nothing is ever skipped).
    if std::env::var_os(CHILD).is_some() {
        no_cjk_font_child();
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // Only DejaVu, which Debian's fontconfig brings: Latin, no kanji, no kana.
    let conf = dir.path().join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n\
             <fontconfig>\n  <dir>/usr/share/fonts/truetype/dejavu</dir>\n  \
             <cachedir>{}</cachedir>\n</fontconfig>\n",
            dir.path().join("cache").display()
        ),
    )
    .expect("write fonts.conf");
    let mut cmd = child::this_test_binary();
    cmd.env(CHILD, "1").env("FONTCONFIG_FILE", &conf);
    child::passes(
        &mut cmd,
        "without_cjk_fonts_the_window_stays_english_and_says_what_to_install",
    );
}

/// The child of the test above, run with a fontconfig that knows no CJK font.
fn no_cjk_font_child() {
    let ctx = egui::Context::default();
    pass(&ctx);
    for lang in [Lang::Ja, Lang::ZhHans] {
        let err =
            fonts::use_fonts_for(&ctx, lang, false).expect_err("no CJK font, yet fonts were found");
        assert_eq!(err.lang, lang);
        assert!(err.missing > 0);
    }
    fonts::use_fonts_for(&ctx, Lang::En, false).expect("English needs no font of its own");

    let mut h = window();
    h.state_mut().speak(Lang::Ja);
    h.run_ok();
    assert_eq!(h.state().lang, Lang::En, "the window left English");
    let expected = NoFont {
        lang: Lang::Ja,
        missing: 0,
    }
    .message();
    assert_eq!(h.state().notice.as_deref(), Some(expected.as_str()));
    assert!(
        expected.starts_with("No font on this computer can show Japanese,"),
        "{expected}"
    );
    // The notice is on screen, in English, which egui's own fonts draw (the harness panics
    // on a character no font has).
    let shown = h.query_all_by(|node| {
        node.value()
            .or_else(|| node.label())
            .is_some_and(|t| t.contains("so the window stays in English"))
    });
    assert!(shown.count() > 0, "the notice is not shown");

    // The language menu names the languages it cannot draw in English, and picking one from
    // it says the same (the harness would panic on a box for 日本語).
    h.get_by_label("Language:").click();
    h.run_ok();
    assert!(h.query_by_label("日本語").is_none());
    h.get_by_label("Japanese").click();
    h.run_ok();
    assert_eq!(h.state().lang, Lang::En);
    assert_eq!(h.state().notice.as_deref(), Some(expected.as_str()));
}
