//! The catalogue reader, the template matcher and the catalogue files themselves.

use super::*;

const IT: &str = "\
# a comment
Step {n} above says what to do.
= Il passo {n} qui sopra dice cosa fare.
Not ready yet.
= Non ancora pronto.
OpenAI retired {model} on {date:date}.
= OpenAI ha ritirato {model} il {date:date}.
Images: {state:t}
= Immagini: {state:t}
your organization must be verified
= l'organizzazione deve essere verificata
";

fn it() -> Catalog {
    Catalog::from_text(Lang::It, IT).unwrap()
}

#[test]
fn a_whole_text_and_its_parts() {
    let c = it();
    assert_eq!(c.translate("Not ready yet.").text, "Non ancora pronto.");
    assert_eq!(
        c.translate("Step 3 above says what to do.").text,
        "Il passo 3 qui sopra dice cosa fare."
    );
    assert_eq!(
        c.translate("OpenAI retired gpt-image-1 on 1 December 2026.")
            .text,
        "OpenAI ha ritirato gpt-image-1 il 1 dicembre 2026."
    );
    assert_eq!(
        c.translate("Images: your organization must be verified")
            .text,
        "Immagini: l'organizzazione deve essere verificata"
    );
}

#[test]
fn sentences_are_looked_up_one_by_one_and_misses_are_listed() {
    let c = it();
    let t = c.translate("Not ready yet. Step 2 above says what to do.");
    assert_eq!(
        t.text,
        "Non ancora pronto. Il passo 2 qui sopra dice cosa fare."
    );
    assert!(t.missed.is_empty());
    let t = c.translate("Not ready yet. Something new.");
    assert_eq!(t.text, "Non ancora pronto. Something new.");
    assert_eq!(t.missed, ["Something new."]);
    let t = c.translate("Images: not a known state");
    assert_eq!(t.missed, ["Images: not a known state"]);
}

#[test]
fn addresses_keys_and_numbers_are_not_misses() {
    let c = it();
    for text in [
        "https://platform.openai.com/api-keys",
        "sk-proj-…AbCd",
        "12",
        "3 / 5",
    ] {
        let t = c.translate(text);
        assert_eq!(t.text, text);
        assert!(t.missed.is_empty(), "{text}");
    }
}

#[test]
fn japanese_sentences_join_without_a_space_and_dates_follow_the_language() {
    let ja = "Not ready yet.\n= まだ準備ができていません。\nOpenAI retired {model} on {date:date}.\n= OpenAIは{date:date}に{model}を廃止しました。\n";
    let c = Catalog::from_text(Lang::Ja, ja).unwrap();
    assert_eq!(
        c.translate("Not ready yet. OpenAI retired m on 11 December 2026.")
            .text,
        "まだ準備ができていません。OpenAIは2026年12月11日にmを廃止しました。"
    );
}

#[test]
fn a_bad_catalogue_says_where() {
    let err = Catalog::from_text(Lang::It, "Step {n}.\n= Passo.\n").unwrap_err();
    assert!(
        err.contains("line 1") && err.contains("parts differ"),
        "{err}"
    );
    let err = Catalog::from_text(Lang::It, "Step.\nNext.\n= Dopo.\n").unwrap_err();
    assert!(err.contains("no translation"), "{err}");
    assert!(Template::parse("{a}{b}").is_err());
    assert!(Template::parse("{a}").is_err());
    assert!(Template::parse("a {b:x}").is_err());
    assert!(Template::parse("a {b").is_err());
}

#[test]
fn a_text_with_a_full_stop_after_it_is_the_text_ended_the_language_way() {
    let ja =
        "Done: {item:t}\n= 完了：{item:t}\nKey kept somewhere safe\n= キーを安全な場所に保管\n";
    let c = Catalog::from_text(Lang::Ja, ja).unwrap();
    assert_eq!(
        c.translate("Done: Key kept somewhere safe.").text,
        "完了：キーを安全な場所に保管。"
    );
}

#[test]
fn the_most_specific_template_wins() {
    let text = "Images: {state:t}\n= Immagini: {state:t}\nImages: ready\n= Immagini: pronte\n{what} ready\n= {what} pronto\n";
    let c = Catalog::from_text(Lang::It, text).unwrap();
    assert_eq!(c.translate("Images: ready").text, "Immagini: pronte");
}

/// Every catalogue file loads, and the translated ones hold exactly the English templates, with
/// the same changing parts.
#[test]
fn every_catalogue_has_every_text_with_the_same_parts() {
    let english = entries(Lang::En, &source(Lang::En)).unwrap();
    assert!(!english.is_empty());
    let mut seen = std::collections::HashSet::new();
    for e in &english {
        assert!(
            seen.insert(e.english.as_str()),
            "en.txt line {}: {:?} twice",
            e.line,
            e.english
        );
    }
    for lang in Lang::ALL {
        let catalog = Catalog::load(lang).unwrap_or_else(|e| panic!("{}: {e}", lang.tag()));
        assert_eq!(catalog.lang(), lang);
        if lang == Lang::En {
            continue;
        }
        let theirs = entries(lang, &source(lang)).unwrap();
        if theirs.is_empty() {
            // Not translated yet: not offered (`is_translated`).
            assert!(!is_translated(lang), "{}", lang.tag());
            continue;
        }
        let theirs_set: std::collections::HashSet<&str> =
            theirs.iter().map(|e| e.english.as_str()).collect();
        let missing: Vec<&str> = english
            .iter()
            .map(|e| e.english.as_str())
            .filter(|e| !theirs_set.contains(e))
            .collect();
        assert!(missing.is_empty(), "{}.txt lacks {missing:#?}", lang.tag());
        let extra: Vec<&str> = theirs_set
            .iter()
            .copied()
            .filter(|t| !seen.contains(t))
            .collect();
        assert!(
            extra.is_empty(),
            "{}.txt has texts en.txt does not: {extra:#?}",
            lang.tag()
        );
        for e in &theirs {
            let a = Template::parse(&e.english).unwrap();
            let b = Template::parse(&e.translation).unwrap();
            assert_eq!(a.holes(), b.holes(), "{}.txt line {}", lang.tag(), e.line);
        }
    }
}

#[test]
fn a_kept_part_never_swallows_a_sentence_and_a_bad_date_is_no_match() {
    let text = "{n:n}. {item:t}\n= {n:n}) {item:t}\nOpenAI retired {m} on {d:date}.\n= Ritirato {m} il {d:date}.\nOpen billing.\n= Apri la fatturazione.\n";
    let c = Catalog::from_text(Lang::It, text).unwrap();
    assert_eq!(
        c.translate("2. Open billing.").text,
        "2) Apri la fatturazione."
    );
    let t = c.translate("Open the page. Open billing.");
    assert_eq!(t.text, "Open the page. Apri la fatturazione.");
    assert_eq!(t.missed, ["Open the page."]);
    let t = c.translate("OpenAI retired m on Tuesday.");
    assert!(!t.missed.is_empty());
}

#[test]
fn simplified_chinese_is_complete_and_offered() {
    assert!(is_translated(Lang::ZhHans));
    assert!(is_translated(Lang::En));
}

#[test]
fn a_text_that_splits_more_than_one_way_takes_the_split_that_translates() {
    let c = Catalog::from_text(
        Lang::It,
        "\
Your key: {kind:t} {key}, {place:t}
= La tua chiave: {kind:t} {key}, {place:t}
project key
= chiave di progetto
saved on this computer
= salvata su questo computer
",
    )
    .unwrap();
    // The first split gives `kind` "project", which is no text of the catalogue; the next
    // one, "project key", is.
    let masked = format!("{}…AbCd", "sk-proj-");
    let done = c.translate(&format!(
        "Your key: project key {masked}, saved on this computer"
    ));
    assert_eq!(done.missed, Vec::<String>::new());
    assert_eq!(
        done.text,
        format!("La tua chiave: chiave di progetto {masked}, salvata su questo computer")
    );
}

#[test]
fn a_text_with_many_ways_to_split_gives_up_in_time_and_stays_english() {
    let c = Catalog::from_text(
        Lang::It,
        "{a:t} {b:t} {c:t} {d:t}!\n= {a:t} {b:t} {c:t} {d:t}!\n",
    )
    .unwrap();
    // Thousands of splits, none of which translates: the matcher stops after a bounded number.
    let text = format!("{}!", vec!["x"; 400].join(" "));
    let done = c.translate(&text);
    assert_eq!(done.text, text);
    assert_eq!(done.missed, vec![text.clone()]);
}

#[test]
fn a_template_that_starts_with_words_holds_one_that_starts_with_a_part() {
    let c = Catalog::from_text(
        Lang::Ja,
        "\
{what:t} is next (step {n:n}).
= 次は{what:t}です（ステップ {n:n}）。
Welcome back: {key_words:t}; {rest:t}
= おかえりなさい。{key_words:t}。{rest:t}
your key works
= キーは有効です
billing
= 請求
",
    )
    .unwrap();
    let done = c.translate("Welcome back: your key works; billing is next (step 3).");
    assert_eq!(done.missed, Vec::<String>::new());
    assert_eq!(
        done.text,
        "おかえりなさい。キーは有効です。次は請求です（ステップ 3）。"
    );
}

#[test]
fn values_made_in_english_inside_a_sentence_are_translated_too() {
    let it = catalog(Lang::It);
    let ja = catalog(Lang::Ja);
    for (english, italian, japanese) in [
        (
            "OpenAI asked to wait 20 seconds: check again after that.",
            "20 secondi",
            "20 秒",
        ),
        (
            "This key belongs to “Acme”, not to your default organization, another one.",
            "un’altra",
            "別の組織",
        ),
        (
            "This key belongs to “Acme”, not to your default organization, “Home”.",
            "«Home»",
            "「Home」",
        ),
        (
            "The server sent the check on elsewhere (a redirect to portal.example) instead of answering it.",
            "portal.example",
            "portal.example",
        ),
    ] {
        for (catalog, word) in [(it, italian), (ja, japanese)] {
            let done = catalog.translate(english);
            assert_eq!(done.missed, Vec::<String>::new(), "{english}");
            assert!(done.text.contains(word), "{english} -> {}", done.text);
            assert!(!done.text.contains("seconds") && !done.text.contains("another"));
            assert!(!done.text.contains("redirect"), "{}", done.text);
        }
    }
}

/// The catalogues the binary carries unpack to the files in `assets/i18n`, byte for byte
/// (build.rs packs them; a change there that loses a line or a character fails here).
#[test]
fn packed_catalogues_unpack_to_the_files() {
    let files = [
        (Lang::En, include_str!("../../../assets/i18n/en.txt")),
        (Lang::It, include_str!("../../../assets/i18n/it.txt")),
        (Lang::Ja, include_str!("../../../assets/i18n/ja.txt")),
        (
            Lang::ZhHans,
            include_str!("../../../assets/i18n/zh-Hans.txt"),
        ),
    ];
    for (lang, file) in files {
        let unpacked = source(lang);
        assert!(!unpacked.is_empty(), "{}", lang.tag());
        assert!(
            unpacked == file,
            "{}.txt does not unpack as written",
            lang.tag()
        );
    }
    // zlib leaves about a third of a file; a translation, whose English is stored once (in
    // en.txt), packs to under a quarter.
    for (lang, z) in PACKED {
        let file = files.iter().find(|(l, _)| *l == lang).map(|(_, f)| f.len());
        let share = if lang == Lang::En { 2 } else { 4 };
        assert!(
            z.len() * share < file.unwrap(),
            "{}: {} bytes packed",
            lang.tag(),
            z.len()
        );
    }
}

/// A packed line stands for the English line it names; a stream that does not inflate, is not
/// UTF-8 or names a line the English file lacks unpacks to nothing (the language stays English).
#[test]
fn unpack_restores_english_lines_and_refuses_damage() {
    let english = "# head\nReady.\nNot ready yet.\n";
    let packed = fdeflate::compress_to_vec("\u{1}0\n\u{1}2\n= Non ancora pronto.\n".as_bytes());
    assert_eq!(
        unpack(&packed, english).as_deref(),
        Some("# head\nNot ready yet.\n= Non ancora pronto.\n")
    );
    let plain = fdeflate::compress_to_vec("Ready.\n= Pronto.".as_bytes());
    assert_eq!(
        unpack(&plain, english).as_deref(),
        Some("Ready.\n= Pronto.")
    );
    let beyond = fdeflate::compress_to_vec("\u{1}9\n= Pronto.".as_bytes());
    assert_eq!(unpack(&beyond, english), None);
    let not_a_number = fdeflate::compress_to_vec("\u{1}x\n".as_bytes());
    assert_eq!(unpack(&not_a_number, english), None);
    assert_eq!(unpack(b"not zlib at all", english), None);
    let not_utf8 = fdeflate::compress_to_vec(&[0xff, 0xfe, 0x41]);
    assert_eq!(unpack(&not_utf8, english), None);
}
