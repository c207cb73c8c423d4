//! Language identification per document (whatlang), reported as ISO 639-1.

/// whatlang's ISO 639-3 codes mapped to ISO 639-1 (the contract's `language`).
const ISO_639_1: &[(&str, &str)] = &[
    ("afr", "af"),
    ("aka", "ak"),
    ("amh", "am"),
    ("ara", "ar"),
    ("aze", "az"),
    ("bel", "be"),
    ("ben", "bn"),
    ("bul", "bg"),
    ("cat", "ca"),
    ("ces", "cs"),
    ("cmn", "zh"),
    ("cym", "cy"),
    ("dan", "da"),
    ("deu", "de"),
    ("ell", "el"),
    ("eng", "en"),
    ("epo", "eo"),
    ("est", "et"),
    ("fin", "fi"),
    ("fra", "fr"),
    ("guj", "gu"),
    ("heb", "he"),
    ("hin", "hi"),
    ("hrv", "hr"),
    ("hun", "hu"),
    ("hye", "hy"),
    ("ind", "id"),
    ("ita", "it"),
    ("jav", "jv"),
    ("jpn", "ja"),
    ("kan", "kn"),
    ("kat", "ka"),
    ("khm", "km"),
    ("kor", "ko"),
    ("lat", "la"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("mal", "ml"),
    ("mar", "mr"),
    ("mkd", "mk"),
    ("mya", "my"),
    ("nep", "ne"),
    ("nld", "nl"),
    ("nob", "nb"),
    ("ori", "or"),
    ("pan", "pa"),
    ("pes", "fa"),
    ("pol", "pl"),
    ("por", "pt"),
    ("ron", "ro"),
    ("rus", "ru"),
    ("sin", "si"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("sna", "sn"),
    ("spa", "es"),
    ("srp", "sr"),
    ("swe", "sv"),
    ("tam", "ta"),
    ("tel", "te"),
    ("tgl", "tl"),
    ("tha", "th"),
    ("tuk", "tk"),
    ("tur", "tr"),
    ("ukr", "uk"),
    ("urd", "ur"),
    ("uzb", "uz"),
    ("vie", "vi"),
    ("yid", "yi"),
    ("zul", "zu"),
];

/// Characters looked at: enough for a stable guess, bounded for huge inputs.
const SAMPLE: usize = 4000;

/// ISO 639-1 code of the text's language, or `None` when the guess is unreliable
/// (too short or ambiguous); `hint` (e.g. `<html lang>`) is used only then.
pub fn detect(text: &str, hint: Option<&str>) -> Option<String> {
    let end = text
        .char_indices()
        .nth(SAMPLE)
        .map_or(text.len(), |(i, _)| i);
    let guess =
        whatlang::detect(&text[..end]).filter(|info| info.is_reliable() || info.confidence() > 0.5);
    if let Some(info) = guess {
        let code = info.lang().code();
        if let Some((_, two)) = ISO_639_1.iter().find(|(three, _)| *three == code) {
            return Some((*two).to_string());
        }
    }
    hint.map(|h| {
        h.trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    })
    .filter(|h| h.len() == 2 && h.bytes().all(|b| b.is_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_and_english() {
        let de = "Die Bundesregierung hat am Mittwoch beschlossen, die Förderung für Wärmepumpen zu erhöhen. Das teilte das Ministerium in Berlin mit.";
        let en = "The government decided on Wednesday to increase funding for heat pumps, the ministry said in a statement.";
        assert_eq!(detect(de, None).as_deref(), Some("de"));
        assert_eq!(detect(en, None).as_deref(), Some("en"));
    }

    #[test]
    fn short_text_falls_back_to_hint() {
        assert_eq!(detect("", Some("de-DE")).as_deref(), Some("de"));
        assert_eq!(detect("", None), None);
        assert_eq!(detect("", Some("<bad>")), None);
    }
}
