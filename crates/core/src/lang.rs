//! Language knowledge as data: every file under `lang/<code>/` is embedded at build time.
//! Stages ask for a file by name; adding a language means adding a folder.

/// (language code, [(file name, contents)])
static FILES: &[(&str, &[(&str, &str)])] = include!(concat!(env!("OUT_DIR"), "/lang_files.rs"));

/// The data files of one language.
#[derive(Clone, Copy, Debug)]
pub struct Language {
    pub code: &'static str,
    files: &'static [(&'static str, &'static str)],
}

impl Language {
    /// Contents of a data file, e.g. `abbreviations.txt`.
    pub fn file(&self, name: &str) -> Option<&'static str> {
        self.files.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
    }

    /// The non-empty lines of a list file, without `#` comments and surrounding blanks.
    /// A missing file yields no lines.
    pub fn lines(&self, name: &str) -> impl Iterator<Item = &'static str> {
        self.file(name)
            .unwrap_or("")
            .lines()
            .map(|l| match l.find(" #") {
                Some(i) => &l[..i],
                None => l,
            })
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
    }

    /// Tab-separated rows of a table file, comments and blank lines skipped.
    pub fn rows(&self, name: &str) -> impl Iterator<Item = Vec<&'static str>> {
        self.file(name)
            .unwrap_or("")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| l.split('\t').map(str::trim).collect())
    }
}

/// The languages lagebild has data for.
pub fn available() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(c, _)| *c)
}

/// Data of a language by ISO 639-1 code.
pub fn get(code: &str) -> Option<Language> {
    FILES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(code, files)| Language { code, files })
}

/// Data of a language, falling back to German, the first-class language.
pub fn get_or_default(code: &str) -> Language {
    get(code)
        .or_else(|| get("de"))
        .expect("German language data is embedded")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_is_embedded() {
        assert!(available().any(|c| c == "de"));
        assert_eq!(get_or_default("xx").code, "de");
    }
}
