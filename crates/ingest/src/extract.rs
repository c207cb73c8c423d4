//! Main-content extraction from HTML over html5ever (via `scraper`), plus title, author, date.
//!
//! 1. `prepare`: one linear pass cuts what never becomes text before the parser sees it
//!    (scripts, styles, SVG, comments, menus, sidebars, footers, unused attributes, whitespace
//!    runs); that halves the parser's work.
//! 2. The page is linearised into text blocks (paragraphs, headings, list items, cells, text
//!    directly inside containers), skipping non-content elements and remembering each block
//!    element's class/id verdict (token lists in `lang/*/ingest-*-tokens.txt`).
//! 3. Subtrees named as boilerplate (comments, sharing, sidebar…) drop out, unless most of
//!    their text sits in descendants named as content (a `sidebar-wrapper` around the
//!    `entry-content`).
//! 4. Blocks score by their non-link text; the score goes to the enclosing container, its
//!    parent and grandparent. The best container and its strong siblings are the core; it
//!    then grows through wrappers to the ancestor that adds the most good text (an article
//!    split into sections), from which only clean paragraphs and their headings are taken.
//! 5. Link-heavy blocks, furniture lines ("Artikel teilen", photo credits; patterns in
//!    `lang/*/ingest-boilerplate-lines.txt`) and headings that head nothing are dropped. If
//!    that leaves almost nothing, selection reruns without the class rules.

use crate::dates::{date_in_url, parse_date};
use ego_tree::NodeRef;
use jiff::civil::Date;
use scraper::{Html, Node};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// What extraction finds in a page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extracted {
    /// Main text, one block (paragraph, heading, list item) per line.
    pub text: String,
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<Date>,
    /// Canonical URL from `<link rel=canonical>` or `og:url`.
    pub url: Option<String>,
    /// Site name (`og:site_name`, JSON-LD publisher).
    pub site_name: Option<String>,
    /// `<html lang>`, a hint for language identification.
    pub lang: Option<String>,
}

/// Extracts the main content and metadata of an HTML page. `page_url` (where the page came
/// from) helps find a date in the URL when the page states none.
pub fn extract(html: &str, page_url: Option<&str>) -> Extracted {
    let doc = Html::parse_document(&prepare(html));
    let mut meta = MetaScan::default();
    let page = Linearizer::new(true, &mut meta).run(doc.tree.root());
    let mut text = select(&page, true);
    if text.chars().count() < 200 {
        let retry = select(&page, false);
        if retry.chars().count() > text.chars().count() * 2 {
            text = retry;
        }
    }
    let url = meta.url.clone().or_else(|| page_url.map(str::to_string));
    let published = meta
        .published
        .or(meta.time_element)
        .or_else(|| url.as_deref().and_then(date_in_url))
        .or_else(|| page_url.and_then(date_in_url));
    Extracted {
        text,
        title: meta.og_title.or(meta.title).map(|t| collapse(&t)),
        author: meta.author.map(|a| collapse(&a)),
        published,
        url: meta.url,
        site_name: meta.site_name,
        lang: meta.lang,
    }
}

/// Deepest nesting of container tags handed to the parser. html5ever's tree builder scans the
/// stack of open elements per tag, so pathological nesting (100 000 `<div>`s) would take
/// quadratic time; real pages stay far below this.
const MAX_NESTING: usize = 512;

/// Tags counted for nesting: those that are closed explicitly in practice.
const NESTING_TAGS: &[&str] = &[
    "div",
    "span",
    "section",
    "article",
    "main",
    "aside",
    "header",
    "footer",
    "nav",
    "form",
    "table",
    "ul",
    "ol",
    "blockquote",
    "center",
    "font",
    "a",
    "b",
    "i",
    "em",
    "strong",
    "small",
];

/// Elements whose whole content never reaches the text, cut out before parsing: about half of
/// a typical page's bytes are inline scripts, styles and SVG, and the tokenizer would walk
/// them char by char. JSON-LD scripts stay (they carry the metadata). Raw-text elements are
/// among them, so no `<` inside them is taken for a tag.
const STRIP: &[&str] = &[
    "script", "style", "svg", "noscript", "template", "math", "textarea", "iframe", "xmp",
    "noembed", "noframes",
];

/// Attributes extraction reads; the rest (`href`s, `srcset`s, `data-*`, inline styles) are
/// dropped before parsing, which spares the tokenizer about a fifth of the remaining bytes.
const ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "role",
    "hidden",
    "aria-hidden",
    "itemprop",
    "content",
    "property",
    "name",
    "datetime",
    "type",
    "lang",
    "rel",
];

/// The HTML as handed to the parser: comments, [`STRIP`] elements, closed [`CUT`] elements
/// and `<link>`s other than the canonical one cut out, attributes reduced to [`ATTRIBUTES`]
/// (plus `href` of `<link>`, and `style` when it hides the element), whitespace runs
/// collapsed outside `<pre>`, container tags nested deeper than [`MAX_NESTING`] removed
/// (their text stays). One linear scan. Every cut starts at `<` and ends after `>` or at the
/// end, so the output stays valid UTF-8.
fn prepare(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    if memchr::memchr(b'<', b).is_none() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() / 2);
    let (mut depth, mut suppressed, mut pre) = (0usize, 0usize, 0usize);
    let mut attributes = Vec::new();
    let mut unbalanced: Vec<&str> = Vec::new();
    // `html[copied..]` is not yet handled.
    let mut copied = 0;
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        let start = i + p;
        push_text(&mut out, &html[copied..start], pre > 0);
        copied = start;
        i = start + 1;
        if b[start..].starts_with(b"<!--") {
            let end = memchr::memmem::find(&b[start + 4..], b"-->")
                .map_or(b.len(), |q| start + 4 + q + 3);
            (copied, i) = (end, end);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let name_start = i + closing as usize;
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            // `<!DOCTYPE …>`, `<?xml …>`, `</ >` or a lone `<` in text: left to the parser.
            continue;
        }
        let name_end = b[name_start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len(), |q| name_start + q);
        let name = &html[name_start..name_end];
        let Some(tag) = scan_tag(b, name_end, &mut attributes) else {
            break;
        };
        let end = tag.end;
        (copied, i) = (end, end);
        let mut buf = [0u8; MAX_NAME];
        let lname = lowercase(name, &mut buf).unwrap_or("");
        let nesting = NESTING_TAGS.contains(&lname);
        if matches!(lname, "pre" | "listing") && !tag.self_closing {
            pre = if closing {
                pre.saturating_sub(1)
            } else {
                pre + 1
            };
        }
        if closing {
            if nesting && suppressed > 0 {
                suppressed -= 1;
                continue;
            }
            if nesting {
                depth = depth.saturating_sub(1);
            }
            out.push_str("</");
            out.push_str(name);
            out.push('>');
            continue;
        }
        if CUT.contains(&lname) && !tag.self_closing && !unbalanced.contains(&lname) {
            match find_balanced_close(b, end, lname.as_bytes()) {
                Some(close) => {
                    (copied, i) = (close, close);
                    continue;
                }
                // Left to the parser, and not searched again: that keeps the scan linear.
                None => unbalanced.push(CUT.iter().find(|t| **t == lname).copied().unwrap_or("")),
            }
        }
        if lname == "link" && !is_canonical(html, &attributes) {
            continue;
        }
        if STRIP.contains(&lname) {
            let close = find_close(b, end, lname.as_bytes());
            let json_ld =
                lname == "script" && memchr::memmem::find(&b[start..end], b"ld+json").is_some();
            if json_ld {
                out.push_str(&html[start..close]);
            }
            (copied, i) = (close, close);
            continue;
        }
        if nesting && !tag.self_closing {
            if depth >= MAX_NESTING {
                suppressed += 1;
                continue;
            }
            depth += 1;
        }
        out.push('<');
        out.push_str(name);
        let link = lname == "link";
        for a in &attributes {
            let mut buf = [0u8; MAX_NAME];
            let attr = lowercase(&html[a.name.0..a.name.1], &mut buf).unwrap_or("");
            let wanted = ATTRIBUTES.contains(&attr)
                || (link && attr == "href")
                || (attr == "style" && hides(&html[a.value.0..a.value.1]));
            if wanted {
                out.push(' ');
                out.push_str(&html[a.name.0..a.end]);
            }
        }
        if tag.self_closing {
            out.push('/');
        }
        out.push('>');
        if lname == "title" {
            // Raw text up to `</title>`: a `<` in a title is text.
            let close = find_close(b, end, b"title");
            out.push_str(&html[end..close]);
            (copied, i) = (close, close);
        }
    }
    push_text(&mut out, &html[copied..], pre > 0);
    Cow::Owned(out)
}

/// Appends text between tags, each run of ASCII whitespace as one character (a newline if
/// the run has one) unless inside `<pre>`: indentation is a sixth of a page's bytes, and
/// HTML renders such a run as one space anyway.
fn push_text(out: &mut String, text: &str, pre: bool) {
    if pre {
        out.push_str(text);
        return;
    }
    let b = text.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let run = i;
        let mut newline = false;
        while i < b.len() && b[i].is_ascii_whitespace() {
            newline |= b[i] == b'\n';
            i += 1;
        }
        if i - run > 1 {
            // Runs are ASCII: slicing at their ends keeps char boundaries.
            out.push_str(&text[from..run]);
            out.push(if newline { '\n' } else { ' ' });
            from = i;
        }
    }
    out.push_str(&text[from..]);
}

/// One attribute of a tag: byte ranges of its name and (unquoted) value, and the end of its
/// `name="value"` text.
#[derive(Clone, Copy)]
struct Attribute {
    name: (usize, usize),
    value: (usize, usize),
    end: usize,
}

/// A start or end tag as [`scan_tag`] reads it (its attributes go to a reused buffer).
struct Tag {
    self_closing: bool,
    /// Just after the closing `>`.
    end: usize,
}

/// Reads the attributes of a tag whose name ends at `from` into `attributes`, as the HTML
/// tokenizer does (quoted values may hold `>`); `None` when the input ends inside the tag.
fn scan_tag(b: &[u8], from: usize, attributes: &mut Vec<Attribute>) -> Option<Tag> {
    attributes.clear();
    let mut tag = Tag {
        self_closing: false,
        end: 0,
    };
    let mut i = from;
    loop {
        while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        match *b.get(i)? {
            b'>' => {
                tag.end = i + 1;
                return Some(tag);
            }
            b'/' => {
                tag.self_closing = b.get(i + 1) == Some(&b'>');
                i += 1;
                continue;
            }
            _ => {}
        }
        let name_start = i;
        i += 1;
        while b
            .get(i)
            .is_some_and(|&c| !c.is_ascii_whitespace() && !matches!(c, b'/' | b'>' | b'='))
        {
            i += 1;
        }
        let mut attribute = Attribute {
            name: (name_start, i),
            value: (i, i),
            end: i,
        };
        let mut j = i;
        while b.get(j).is_some_and(|c| c.is_ascii_whitespace()) {
            j += 1;
        }
        if b.get(j) == Some(&b'=') {
            j += 1;
            while b.get(j).is_some_and(|c| c.is_ascii_whitespace()) {
                j += 1;
            }
            match *b.get(j)? {
                q @ (b'"' | b'\'') => {
                    let close = j + 1 + memchr::memchr(q, &b[j + 1..])?;
                    attribute.value = (j + 1, close);
                    j = close + 1;
                }
                _ => {
                    let start = j;
                    while b
                        .get(j)
                        .is_some_and(|&c| !c.is_ascii_whitespace() && c != b'>')
                    {
                        j += 1;
                    }
                    attribute.value = (start, j);
                }
            }
            attribute.end = j;
            i = j;
        }
        attributes.push(attribute);
    }
}

/// Whether an inline style hides the element.
fn hides(style: &str) -> bool {
    let s = style.to_ascii_lowercase().replace(' ', "");
    s.contains("display:none") || s.contains("visibility:hidden")
}

/// Elements extraction skips whole (see [`is_skipped`]), cut before parsing when their end tag is
/// there: menus, sidebars and footers are a quarter of what remains of a page.
const CUT: &[&str] = &[
    "nav", "aside", "footer", "menu", "select", "button", "dialog",
];

/// The end (after `>`) of the end tag that closes the `name` element opened just before
/// `from`, counting nested ones; `None` when it is never closed.
fn find_balanced_close(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut depth = 1usize;
    let mut i = from;
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        let at = i + p + 1;
        i = at;
        let closing = b.get(at) == Some(&b'/');
        let n0 = at + closing as usize;
        let n1 = n0 + name.len();
        if b.len() < n1
            || !b[n0..n1].eq_ignore_ascii_case(name)
            || !b
                .get(n1)
                .is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'>' | b'/'))
        {
            continue;
        }
        if !closing {
            depth += 1;
            continue;
        }
        depth -= 1;
        if depth == 0 {
            return Some(memchr::memchr(b'>', &b[n1..]).map_or(b.len(), |q| n1 + q + 1));
        }
    }
    None
}

/// Whether a `<link>` is the canonical URL (the only link extraction reads).
fn is_canonical(html: &str, attributes: &[Attribute]) -> bool {
    attributes.iter().any(|a| {
        html[a.name.0..a.name.1].eq_ignore_ascii_case("rel")
            && html[a.value.0..a.value.1].eq_ignore_ascii_case("canonical")
    })
}

/// The end (after `>`) of the closing tag `</name …>` at or after `from`, or the end of the
/// input when it is missing (as the parser would read it).
fn find_close(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(p) = memchr::memmem::find(&b[i..], b"</") {
        let at = i + p + 2;
        let after = at + name.len();
        if b.len() >= after
            && b[at..after].eq_ignore_ascii_case(name)
            && b.get(after).is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            return memchr::memchr(b'>', &b[after..]).map_or(b.len(), |q| after + q + 1);
        }
        i = at;
    }
    b.len()
}

/// Plain text of an HTML fragment (feed item content): every block on its own line, no
/// content selection.
pub fn fragment_text(html: &str) -> String {
    let doc = Html::parse_fragment(&prepare(html));
    let mut ignore = MetaScan::default();
    let page = Linearizer::new(false, &mut ignore).run(doc.tree.root());
    page.blocks
        .iter()
        .filter(|b| !b.text.is_empty())
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text as later stages expect it: soft hyphens (invisible break hints, `Mit\u{ad}tel\u{ad}al\u{ad}ter`)
/// removed and Unicode in NFC, so that `ü` written as `u` + combining diaeresis matches a lexicon.
fn normalize(text: &mut String) {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    if text.contains('\u{ad}') {
        text.retain(|c| c != '\u{ad}');
    }
    if is_nfc_quick(text.chars()) != IsNormalized::Yes {
        *text = text.nfc().collect();
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Elements whose subtree never holds main text.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "map"
            | "button"
            | "select"
            | "option"
            | "input"
            | "textarea"
            | "label"
            | "nav"
            | "aside"
            | "footer"
            | "menu"
            | "dialog"
            | "title"
            | "link"
            | "meta"
    )
}

/// Elements that start and end a text block.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "blockquote"
            | "body"
            | "center"
            | "dd"
            | "details"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "html"
            | "li"
            | "main"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "caption"
            | "legend"
    )
}

/// Block elements that are themselves a paragraph-like unit (their container is the parent).
fn is_unit(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "dd"
            | "dt"
            | "pre"
            | "blockquote"
            | "td"
            | "th"
            | "figcaption"
            | "caption"
    )
}

/// Class/id/role tokens marking boilerplate subtrees, from every language's data file.
struct Tokens {
    /// Words (`true`: prefixes) by their first byte: a class word is compared with the few
    /// tokens that start like it.
    words: Vec<Vec<(String, bool)>>,
    /// Whole class entries (`widget-area`).
    entries: HashSet<String>,
}

fn tokens() -> &'static Tokens {
    static T: OnceLock<Tokens> = OnceLock::new();
    T.get_or_init(|| load_tokens("ingest-boilerplate-tokens.txt"))
}

fn content_tokens() -> &'static Tokens {
    static T: OnceLock<Tokens> = OnceLock::new();
    T.get_or_init(|| load_tokens("ingest-content-tokens.txt"))
}

/// Short blocks that are page furniture ("Artikel teilen", "Mehr zum Thema", photo credits).
fn furniture() -> &'static regex::RegexSet {
    static R: OnceLock<regex::RegexSet> = OnceLock::new();
    R.get_or_init(|| {
        let patterns: Vec<String> = lagebild_core::lang::available()
            .filter_map(lagebild_core::lang::get)
            .flat_map(|l| l.lines("ingest-boilerplate-lines.txt"))
            // ASCII word boundaries: a Unicode `\b` makes the regex engine fall back to its
            // slowest matcher on non-ASCII text.
            .map(|p| format!("(?i){}", p.replace(r"\b", r"(?-u:\b)")))
            .collect();
        regex::RegexSet::new(&patterns).expect("valid patterns in ingest-boilerplate-lines.txt")
    })
}

/// A short line that is page furniture by its wording.
fn is_furniture(line: &str) -> bool {
    line.len() < FURNITURE_MAX * 4
        && line.chars().count() < FURNITURE_MAX
        && furniture().is_match(line)
}

/// Heading level of an element, 0 when it is none.
fn heading_level(name: &str) -> u8 {
    match name {
        "h1" => 1,
        "h2" => 2,
        "h3" => 3,
        "h4" => 4,
        "h5" => 5,
        "h6" => 6,
        _ => 0,
    }
}

/// How many blocks before the main content a headline is looked for.
const HEAD_WINDOW: usize = 12;

/// Level of the heading taken as the headline when there is no `<h1>` before the content.
const HEAD_FALLBACK: u8 = 2;

/// Longest block that may be judged page furniture by its wording alone.
const FURNITURE_MAX: usize = 120;

fn load_tokens(file: &str) -> Tokens {
    {
        let mut t = Tokens {
            words: vec![Vec::new(); 256],
            entries: HashSet::new(),
        };
        for code in lagebild_core::lang::available() {
            let Some(lang) = lagebild_core::lang::get(code) else {
                continue;
            };
            for line in lang.lines(file) {
                let line = line.to_ascii_lowercase();
                if let Some(entry) = line.strip_prefix('=') {
                    t.entries.insert(entry.to_string());
                    continue;
                }
                let (word, prefix) = match line.strip_suffix('*') {
                    Some(p) => (p.to_string(), true),
                    None => (line, false),
                };
                if let Some(&first) = word.as_bytes().first() {
                    t.words[first as usize].push((word, prefix));
                }
            }
        }
        t
    }
}

impl Tokens {
    /// Whether one word of a class/id is in the list (`word` in lowercase).
    fn matches(&self, word: &str) -> bool {
        let Some(&first) = word.as_bytes().first() else {
            return false;
        };
        self.words[first as usize].iter().any(|(t, prefix)| {
            if *prefix {
                word.starts_with(t.as_str())
            } else {
                word == t
            }
        })
    }
}

/// Longest class word or entry compared with the token lists; longer ones are generated
/// names.
const MAX_NAME: usize = 64;

/// `s` in ASCII lowercase, in `buf`; `None` when longer than [`MAX_NAME`].
fn lowercase<'b>(s: &str, buf: &'b mut [u8; MAX_NAME]) -> Option<&'b str> {
    let out = buf.get_mut(..s.len())?;
    for (d, c) in out.iter_mut().zip(s.bytes()) {
        *d = c.to_ascii_lowercase();
    }
    // ASCII lowercasing keeps UTF-8 valid.
    std::str::from_utf8(out).ok()
}

/// What an element's class and id say about it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Names {
    /// Some class entry or the id names boilerplate (`comment-list`, `share`, `sidebar`).
    boilerplate: bool,
    /// Some class entry or the id names a content holder (`entry-content`, `article-body`)
    /// and no boilerplate word: `comment-content` is a comment.
    content: bool,
}

impl std::ops::BitOr for Names {
    type Output = Names;
    fn bitor(self, o: Names) -> Names {
        Names {
            boilerplate: self.boilerplate || o.boilerplate,
            content: self.content || o.content,
        }
    }
}

/// Classifies the entries of a class or id value; each entry is split into words at `-`
/// and `_`.
fn names(value: &str) -> Names {
    let (bp, ct) = (tokens(), content_tokens());
    let mut n = Names::default();
    let mut buf = [0u8; MAX_NAME];
    for entry in value.split_whitespace() {
        let Some(entry) = lowercase(entry, &mut buf) else {
            continue;
        };
        let words = || entry.split(['-', '_']).filter(|w| !w.is_empty());
        if bp.entries.contains(entry) || words().any(|w| bp.matches(w)) {
            n.boilerplate = true;
        } else if words().any(|w| ct.matches(w)) {
            n.content = true;
        }
    }
    n
}

/// The linearised page: blocks in document order and the block elements above them.
struct Page {
    blocks: Vec<Block>,
    table: Vec<Container>,
}

/// One linear text block.
#[derive(Debug)]
struct Block {
    text: String,
    /// Length of `text` in chars.
    chars: usize,
    /// Chars of text inside links.
    link_chars: usize,
    /// Innermost block element holding the text (index into the container table).
    owner: u32,
}

/// A block element: its parent block element and whether it is a paragraph-like unit.
#[derive(Clone, Copy, Debug)]
struct Container {
    parent: u32,
    unit: bool,
    /// Prior of the element as a content holder from its tag.
    weight: f64,
    /// Prior from its class/id/itemprop.
    name_weight: f64,
    names: Names,
    /// Hash of the class attribute, to find siblings styled like the main content.
    class: u64,
    /// Heading level, 1 to 6 for `<h1>` to `<h6>`, 0 for other elements. A top-level heading
    /// just before the content is the article's title.
    level: u8,
}

fn class_key(class: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    class.hash(&mut h);
    h.finish()
}

/// The attributes extraction reads, gathered in one pass over an element's attributes
/// (looking each up by name would intern the name every time).
#[derive(Default)]
struct Attrs<'a> {
    class: Option<&'a str>,
    id: Option<&'a str>,
    role: Option<&'a str>,
    style: Option<&'a str>,
    hidden: bool,
    aria_hidden: Option<&'a str>,
    itemprop: Option<&'a str>,
    content: Option<&'a str>,
    property: Option<&'a str>,
    name: Option<&'a str>,
    datetime: Option<&'a str>,
    kind: Option<&'a str>,
    lang: Option<&'a str>,
    rel: Option<&'a str>,
    href: Option<&'a str>,
}

impl<'a> Attrs<'a> {
    fn of(el: &'a scraper::node::Element) -> Self {
        let mut a = Attrs::default();
        for (name, value) in el.attrs() {
            match name {
                "class" => a.class = Some(value),
                "id" => a.id = Some(value),
                "role" => a.role = Some(value),
                "style" => a.style = Some(value),
                "hidden" => a.hidden = true,
                "aria-hidden" => a.aria_hidden = Some(value),
                "itemprop" => a.itemprop = Some(value),
                "content" => a.content = Some(value),
                "property" => a.property = Some(value),
                "name" => a.name = Some(value),
                "datetime" => a.datetime = Some(value),
                "type" => a.kind = Some(value),
                "lang" => a.lang = Some(value),
                "rel" => a.rel = Some(value),
                "href" => a.href = Some(value),
                _ => {}
            }
        }
        a
    }
}

/// Tag prior of a container (after readability): article-ish tags a little up, lists and
/// headings down.
fn tag_weight(name: &str) -> f64 {
    match name {
        "div" | "article" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// Name prior of a container (after readability): content-like names +25, boilerplate-like
/// names -25 (when kept at all), `itemprop=articleBody` +50.
fn name_weight(names: Names, attrs: &Attrs) -> f64 {
    if attrs
        .itemprop
        .is_some_and(|p| p.eq_ignore_ascii_case("articleBody"))
    {
        return 50.0;
    }
    match (names.content, names.boilerplate) {
        (true, false) => 25.0,
        (false, true) => -25.0,
        _ => 0.0,
    }
}

/// Metadata found while walking the page.
#[derive(Default)]
struct MetaScan {
    title: Option<String>,
    og_title: Option<String>,
    author: Option<String>,
    published: Option<Date>,
    time_element: Option<Date>,
    url: Option<String>,
    site_name: Option<String>,
    lang: Option<String>,
}

impl MetaScan {
    fn meta_tag(&mut self, a: &Attrs) {
        let key = a
            .property
            .or(a.name)
            .or(a.itemprop)
            .unwrap_or("")
            .to_ascii_lowercase();
        let Some(content) = a.content.or(a.datetime) else {
            return;
        };
        let content = content.trim();
        if content.is_empty() {
            return;
        }
        match key.as_str() {
            "og:title" | "twitter:title" if self.og_title.is_none() => {
                self.og_title = Some(content.to_string())
            }
            "author" | "article:author" | "dc.creator" | "sailthru.author" | "parsely-author"
                if self.author.is_none() && !content.starts_with("http") =>
            {
                self.author = Some(content.to_string())
            }
            "og:url" if self.url.is_none() => self.url = Some(content.to_string()),
            "og:site_name" if self.site_name.is_none() => {
                self.site_name = Some(content.to_string())
            }
            "article:published_time"
            | "og:published_time"
            | "datepublished"
            | "date"
            | "dc.date"
            | "dc.date.issued"
            | "dcterms.date"
            | "dcterms.created"
            | "pubdate"
            | "publishdate"
            | "publish-date"
            | "publish_date"
            | "sailthru.date"
            | "parsely-pub-date"
            | "article.published"
            | "date.published"
            | "og:pubdate"
            | "article:published"
                if self.published.is_none() =>
            {
                self.published = parse_date(content);
            }
            _ => {}
        }
    }

    fn json_ld(&mut self, text: &str) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text.trim()) else {
            return;
        };
        self.json_ld_value(&value, 0);
    }

    fn json_ld_value(&mut self, v: &serde_json::Value, depth: usize) {
        use serde_json::Value;
        if depth > 8 {
            return;
        }
        match v {
            Value::Array(items) => items.iter().for_each(|i| self.json_ld_value(i, depth + 1)),
            Value::Object(map) => {
                if self.published.is_none() {
                    if let Some(Value::String(d)) = map.get("datePublished") {
                        self.published = parse_date(d);
                    }
                }
                if self.author.is_none() {
                    let name = |a: &Value| match a {
                        Value::String(s) => Some(s.clone()),
                        Value::Object(o) => {
                            o.get("name").and_then(Value::as_str).map(str::to_string)
                        }
                        _ => None,
                    };
                    self.author = match map.get("author") {
                        Some(Value::Array(list)) => {
                            let names: Vec<String> = list.iter().filter_map(name).collect();
                            (!names.is_empty()).then(|| names.join(", "))
                        }
                        Some(a) => name(a),
                        None => None,
                    };
                }
                if self.og_title.is_none() {
                    if let Some(Value::String(h)) = map.get("headline") {
                        self.og_title = Some(h.clone());
                    }
                }
                if let Some(g) = map.get("@graph") {
                    self.json_ld_value(g, depth + 1);
                }
            }
            _ => {}
        }
    }
}

/// Walks the DOM once (iteratively: deep nesting cannot overflow the stack) into blocks.
struct Linearizer<'m> {
    class_rules: bool,
    meta: &'m mut MetaScan,
    blocks: Vec<Block>,
    table: Vec<Container>,
    current: String,
    current_links: usize,
    /// Open containers (block elements), innermost last; 0 is the document.
    containers: Vec<u32>,
    link_depth: usize,
    pre_depth: usize,
}

enum Step<'a> {
    Open(NodeRef<'a, Node>),
    Close { block: bool, link: bool, pre: bool },
}

impl<'m> Linearizer<'m> {
    fn new(class_rules: bool, meta: &'m mut MetaScan) -> Self {
        Linearizer {
            class_rules,
            meta,
            blocks: Vec::new(),
            table: vec![Container {
                parent: 0,
                unit: false,
                weight: 0.0,
                name_weight: 0.0,
                names: Names::default(),
                class: 0,
                level: 0,
            }],
            current: String::new(),
            current_links: 0,
            containers: vec![0],
            link_depth: 0,
            pre_depth: 0,
        }
    }

    fn run(mut self, root: NodeRef<'_, Node>) -> Page {
        let mut stack = vec![Step::Open(root)];
        // Class values repeat across a page (every teaser, every paragraph): judged once.
        let mut classes: HashMap<&str, (Names, u64)> = HashMap::new();
        while let Some(step) = stack.pop() {
            match step {
                Step::Close { block, link, pre } => {
                    if block {
                        self.flush();
                        self.containers.pop();
                    }
                    if link {
                        self.link_depth -= 1;
                    }
                    if pre {
                        self.pre_depth -= 1;
                    }
                }
                Step::Open(node) => match node.value() {
                    Node::Text(t) => self.text(t),
                    Node::Element(el) => {
                        let name = el.name();
                        let attrs = Attrs::of(el);
                        if name == "meta" {
                            self.meta.meta_tag(&attrs);
                        }
                        if name == "title" && self.meta.title.is_none() {
                            let t: String = node
                                .children()
                                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                                .collect();
                            self.meta.title = Some(t);
                        }
                        if name == "script" && attrs.kind.is_some_and(|t| t.contains("ld+json")) {
                            let t: String = node
                                .children()
                                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                                .collect();
                            self.meta.json_ld(&t);
                        }
                        self.element_meta(name, &attrs);
                        let (class_names, class) = match attrs.class {
                            Some(c) => {
                                *classes.entry(c).or_insert_with(|| (names(c), class_key(c)))
                            }
                            None => (Names::default(), 0),
                        };
                        let mut names = class_names | attrs.id.map(names).unwrap_or_default();
                        if matches!(name, "html" | "body" | "main" | "article") {
                            names.boilerplate = false;
                        }
                        let block = is_block(name);
                        if self.skip(name, &attrs)
                            || (self.class_rules && !block && names.boilerplate)
                        {
                            continue;
                        }
                        if name == "br" {
                            self.current.push('\n');
                            continue;
                        }
                        if block {
                            self.flush();
                            let id = self.table.len() as u32;
                            self.table.push(Container {
                                parent: *self.containers.last().unwrap_or(&0),
                                unit: is_unit(name),
                                weight: tag_weight(name),
                                name_weight: name_weight(names, &attrs),
                                names,
                                // schema.org's headline is the title whatever its tag.
                                level: if attrs
                                    .itemprop
                                    .is_some_and(|p| p.eq_ignore_ascii_case("headline"))
                                {
                                    1
                                } else {
                                    heading_level(name)
                                },
                                class,
                            });
                            self.containers.push(id);
                        }
                        let link = name == "a";
                        let pre = name == "pre";
                        self.link_depth += link as usize;
                        self.pre_depth += pre as usize;
                        stack.push(Step::Close { block, link, pre });
                        stack.extend(node.children().rev().map(Step::Open));
                    }
                    Node::Document | Node::Fragment => {
                        stack.extend(node.children().rev().map(Step::Open));
                    }
                    _ => {}
                },
            }
        }
        self.flush();
        Page {
            blocks: self.blocks,
            table: self.table,
        }
    }

    fn element_meta(&mut self, name: &str, a: &Attrs) {
        match name {
            "html" if self.meta.lang.is_none() => self.meta.lang = a.lang.map(str::to_string),
            "link" if self.meta.url.is_none() && a.rel == Some("canonical") => {
                self.meta.url = a.href.map(str::to_string)
            }
            "time" if self.meta.time_element.is_none() => {
                self.meta.time_element = a.datetime.and_then(parse_date)
            }
            _ => {
                if let Some(prop) = a.itemprop {
                    if prop.eq_ignore_ascii_case("datePublished") && self.meta.published.is_none() {
                        self.meta.published = a.content.or(a.datetime).and_then(parse_date);
                    }
                }
            }
        }
    }

    fn skip(&self, name: &str, a: &Attrs) -> bool {
        if is_skipped(name) {
            return true;
        }
        if a.hidden || a.aria_hidden == Some("true") || a.style.is_some_and(hides) {
            return true;
        }
        if let Some(role) = a.role {
            if matches!(
                role,
                "navigation"
                    | "complementary"
                    | "contentinfo"
                    | "banner"
                    | "menu"
                    | "menubar"
                    | "dialog"
                    | "alert"
            ) {
                return true;
            }
        }
        false
    }

    fn text(&mut self, t: &str) {
        if self.pre_depth > 0 {
            self.current.push_str(t);
            if self.link_depth > 0 {
                self.current_links += t.chars().count();
            }
            return;
        }
        let mut first = true;
        let starts_space = t.starts_with(char::is_whitespace);
        for word in t.split_whitespace() {
            if (!first || starts_space)
                && !self.current.is_empty()
                && !self.current.ends_with(['\n', ' '])
            {
                self.current.push(' ');
            } else if first && !starts_space && self.current.ends_with(' ') {
                // keep the space that ended the previous text node
            }
            first = false;
            self.current.push_str(word);
            if self.link_depth > 0 {
                self.current_links += word.chars().count();
            }
        }
        if t.ends_with(char::is_whitespace)
            && !self.current.is_empty()
            && !self.current.ends_with(['\n', ' '])
        {
            self.current.push(' ');
        }
    }

    fn flush(&mut self) {
        let links = std::mem::take(&mut self.current_links);
        if self.current.is_empty() {
            return;
        }
        let raw = self.current.as_str();
        let mut text = if self.pre_depth > 0 {
            raw.trim_matches('\n').trim_end().to_string()
        } else if !raw.contains('\n') {
            raw.trim().to_string()
        } else {
            raw.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        };
        // Cleared, not replaced: the buffer keeps its capacity for the next block.
        self.current.clear();
        if text.is_empty() {
            return;
        }
        normalize(&mut text);
        let chars = text.chars().count();
        self.blocks.push(Block {
            link_chars: links.min(chars),
            chars,
            text,
            owner: *self.containers.last().unwrap_or(&0),
        });
    }
}

/// Weight of link text against a container, and of short fragments (tuned on the benchmark).
const LINK_PENALTY: f64 = 4.0;
const FRAGMENT_PENALTY: f64 = 0.1;
/// Text (chars) from which a container's class name counts in full.
const NAME_TEXT: f64 = 1000.0;
/// Longest heading that is dropped when no text follows it.
const ORPHAN_HEADING_MAX: usize = 50;
/// Shortest block counted as a paragraph.
const MIN_PARAGRAPH: usize = 25;
/// How far the alternative-candidate rule climbs (bounds the work on deeply nested pages).
const MAX_CLIMB: usize = 40;

/// Containers inside an element whose class or id names boilerplate (comments, sharing,
/// sidebar…), unless most of that element's text sits in a descendant named as content: a
/// page builder's `sidebar-wrapper` or a post whose taxonomy classes read `tag-werbung`
/// around its `entry-content` is not boilerplate.
fn boilerplate_subtrees(page: &Page) -> Vec<bool> {
    let table = &page.table;
    let n = table.len();
    let mut text = vec![0usize; n];
    for b in &page.blocks {
        text[b.owner as usize] += b.chars - b.link_chars;
    }
    for c in (1..n).rev() {
        text[table[c].parent as usize] += text[c];
    }
    // Text held by content-named elements in each subtree (the outermost ones, so nothing
    // counts twice).
    let mut below = vec![0usize; n];
    for c in (1..n).rev() {
        let held = if table[c].names.content {
            text[c]
        } else {
            below[c]
        };
        below[table[c].parent as usize] += held;
    }
    let content = |c: usize| {
        if table[c].names.content {
            text[c]
        } else {
            below[c]
        }
    };
    let mut dead = vec![false; n];
    for c in 1..n {
        dead[c] = dead[table[c].parent as usize]
            || (table[c].names.boilerplate && 2 * content(c) <= text[c]);
    }
    dead
}

/// Chooses the main-content blocks and joins them with newlines.
///
/// Every container is rated by the text it holds: good text (blocks of some length that are
/// not mostly links) counts for it, link text and short fragments against it. The container
/// with the best balance is the main content: large enough to hold the article, tight enough
/// to leave navigation and teaser lists out.
fn select(page: &Page, class_rules: bool) -> String {
    let (alpha, beta) = (LINK_PENALTY, FRAGMENT_PENALTY);
    let table = &page.table;
    let dead = if class_rules {
        boilerplate_subtrees(page)
    } else {
        vec![false; table.len()]
    };
    let blocks: Vec<&Block> = page
        .blocks
        .iter()
        .filter(|b| !dead[b.owner as usize])
        .collect();
    let mut value = vec![0f64; table.len()];
    for b in &blocks {
        let len = b.chars as f64;
        let links = b.link_chars as f64;
        let density = links / len.max(1.0);
        let v = if len >= MIN_PARAGRAPH as f64 && density < 0.5 {
            len - links - alpha * links
        } else if density >= 0.5 {
            -alpha * links - beta * (len - links)
        } else {
            -beta * len
        };
        value[b.owner as usize] += v;
    }
    // Children come after their parents: a reverse pass sums every subtree.
    for c in (1..table.len()).rev() {
        let p = table[c].parent as usize;
        value[p] += value[c];
    }
    // Seed: the readability-style best container. Paragraph scores go to the element that
    // holds the paragraph, half to its parent and a sixth to the grandparent; each candidate
    // starts from its tag prior, gets its name prior and ends scaled by its non-link share.
    let n = table.len();
    let mut chars = vec![0f64; n];
    let mut link_chars = vec![0f64; n];
    let mut score = vec![0f64; n];
    let mut candidate = vec![false; n];
    for b in &blocks {
        let len = b.chars;
        chars[b.owner as usize] += len as f64;
        link_chars[b.owner as usize] += b.link_chars as f64;
        if len < MIN_PARAGRAPH {
            continue;
        }
        let s = 1.0 + (len as f64 / 100.0).min(3.0) + b.text.matches([',', '，']).count() as f64;
        let mut c = b.owner as usize;
        if table[c].unit {
            c = table[c].parent as usize;
        }
        for (level, divisor) in [(0, 1.0), (1, 2.0), (2, 6.0)] {
            if !candidate[c] {
                candidate[c] = true;
                score[c] += table[c].weight;
            }
            score[c] += s / divisor;
            if c == 0 || level == 2 {
                break;
            }
            c = table[c].parent as usize;
        }
    }
    for c in (1..n).rev() {
        let p = table[c].parent as usize;
        chars[p] += chars[c];
        link_chars[p] += link_chars[c];
    }
    let density = |c: usize| link_chars[c] / chars[c].max(1.0);
    for (c, s) in score.iter_mut().enumerate() {
        if candidate[c] {
            // A name vouches for text, not for a one-line box: it counts in full from
            // NAME_TEXT chars on.
            *s += table[c].name_weight * (chars[c] / NAME_TEXT).min(1.0);
        }
        *s *= 1.0 - density(c);
    }
    let Some(mut best) = (0..n)
        .filter(|&c| candidate[c])
        .max_by(|&a, &b| score[a].total_cmp(&score[b]))
    else {
        return String::new();
    };
    if score[best] <= 0.0 {
        return String::new();
    }
    // When several strong candidates share an ancestor (an article split into sections), that
    // ancestor is the content.
    let mut top: Vec<usize> = (0..n).filter(|&c| candidate[c] && c != best).collect();
    top.sort_by(|&a, &b| score[b].total_cmp(&score[a]));
    let alternatives: Vec<usize> = top
        .into_iter()
        .take(5)
        .filter(|&c| score[c] >= 0.75 * score[best])
        .collect();
    if alternatives.len() >= 3 {
        let mut ancestor = table[best].parent as usize;
        for _ in 0..MAX_CLIMB {
            if ancestor == 0 {
                break;
            }
            let holds = alternatives
                .iter()
                .filter(|&&c| {
                    let mut x = c;
                    for _ in 0..MAX_CLIMB * 2 {
                        if x == 0 || x == ancestor {
                            break;
                        }
                        x = table[x].parent as usize;
                    }
                    x == ancestor
                })
                .count();
            if holds >= 3 {
                best = ancestor;
                break;
            }
            ancestor = table[ancestor].parent as usize;
        }
    }
    // Siblings of the best candidate that score well (or are clean paragraphs) join it.
    let mut chosen = vec![false; n];
    chosen[best] = true;
    if best != 0 {
        let parent = table[best].parent;
        let threshold = (score[best] * 0.2).max(10.0);
        for c in 1..n {
            if table[c].parent != parent || c == best {
                continue;
            }
            let bonus = if table[c].class == table[best].class && table[c].class != 0 {
                score[best] * 0.2
            } else {
                0.0
            };
            if candidate[c] && score[c] + bonus >= threshold {
                chosen[c] = true;
            }
        }
    }
    // Containers are numbered in document order, parents first: one pass marks the subtrees.
    let mark = |chosen: &[bool]| {
        let mut inside = vec![false; n];
        inside[0] = chosen[0];
        for c in 1..n {
            inside[c] = chosen[c] || inside[table[c].parent as usize];
        }
        inside
    };
    let core = mark(&chosen);
    // Grow upwards while what the parents add is more content than furniture, through
    // wrappers that add nothing, to the richest ancestor on that way.
    let mut c = best;
    while c != 0 {
        let p = table[c].parent as usize;
        if value[p] < value[c] {
            break;
        }
        c = p;
        if value[c] > value[best] {
            best = c;
        }
    }
    if best != table[best].parent as usize || best == 0 {
        chosen[best] = true;
    }
    let inside = mark(&chosen);
    // The headline and lead often sit just above the body container: take the last `<h1>`
    // (else `<h2>`) within a few blocks before it, and the substantial, nearly link-free
    // blocks between the two.
    let first = blocks
        .iter()
        .position(|b| inside[b.owner as usize])
        .unwrap_or(0);
    let window = first.saturating_sub(HEAD_WINDOW)..first;
    let headline = |level: u8| {
        window
            .clone()
            .rev()
            .find(|&i| table[blocks[i].owner as usize].level == level)
    };
    let head = headline(1).or_else(|| headline(HEAD_FALLBACK));
    // What growing added holds paragraphs of a split article but also the furniture between
    // them: only clean paragraphs and the headings right above kept text stay.
    let paragraph = |b: &Block| {
        b.chars >= MIN_PARAGRAPH && b.link_chars * 2 < b.chars && !is_furniture(&b.text)
    };
    let mut keep: Vec<bool> = blocks
        .iter()
        .map(|b| core[b.owner as usize] || (inside[b.owner as usize] && paragraph(b)))
        .collect();
    for i in (0..blocks.len().saturating_sub(1)).rev() {
        let c = blocks[i].owner as usize;
        if inside[c] && !keep[i] && table[c].level > 0 && keep[i + 1] {
            keep[i] = true;
        }
    }
    if let Some(h) = head {
        keep[h] = true;
        for i in h + 1..first {
            let b = &blocks[i];
            keep[i] = b.chars >= 50 && b.link_chars * 5 < b.chars;
        }
    }
    let kept: Vec<&Block> = blocks
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(b, _)| *b)
        .filter(|b| (b.link_chars as f64) < 0.5 * b.chars as f64 || b.chars > 300)
        .collect();
    // A heading introduces text: a short one followed by another heading or by nothing headed
    // a list of links or teasers that is gone ("Meistgelesen", "Related coverage"). Long
    // "headings" are lead paragraphs set in heading type.
    let mut out: Vec<&str> = Vec::with_capacity(kept.len());
    let mut next_is_text = false;
    for b in kept.iter().rev() {
        let heading = table[b.owner as usize].level > 0 && b.chars < ORPHAN_HEADING_MAX;
        if !heading || next_is_text {
            // Lines of a block (split by `<br>`) are judged one by one: a credit line under
            // a caption goes, the caption stays.
            let lines = b.text.lines().rev();
            out.extend(lines.filter(|l| !is_furniture(l)));
        }
        next_is_text = !heading;
    }
    out.reverse();
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_without_boilerplate() {
        let html = r#"<html lang="de"><head><title>Titel | Seite</title>
            <meta property="og:title" content="Der Titel">
            <meta property="article:published_time" content="2023-09-22T10:00:00+02:00">
            <meta name="author" content="Erika Muster">
            </head><body>
            <nav><a href="/">Start</a> <a href="/politik">Politik</a></nav>
            <div class="content"><article>
              <h1>Der Titel</h1>
              <p>Erster Absatz mit genug Text, damit er als Inhalt zählt, und einem Komma.</p>
              <p>Zweiter Absatz, ebenfalls lang genug, mit <a href="/x">einem Link</a> darin.</p>
            </article>
            <div class="comments"><p>Kommentar eines Lesers, der lang genug ist, um zu zählen.</p></div>
            </div><footer>Impressum</footer></body></html>"#;
        let e = extract(html, None);
        assert!(
            e.text.contains("Erster Absatz mit genug Text"),
            "{}",
            e.text
        );
        assert!(e.text.contains("mit einem Link darin."), "{}", e.text);
        assert!(e.text.contains('\n'));
        assert!(!e.text.contains("Impressum"));
        assert!(!e.text.contains("Kommentar eines Lesers"));
        assert!(!e.text.contains("Politik"));
        assert_eq!(e.title.as_deref(), Some("Der Titel"));
        assert_eq!(e.author.as_deref(), Some("Erika Muster"));
        assert_eq!(
            e.published.map(|d| d.to_string()).as_deref(),
            Some("2023-09-22")
        );
        assert_eq!(e.lang.as_deref(), Some("de"));
    }

    #[test]
    fn json_ld_and_url_dates() {
        let html = r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-03-04","author":{"name":"A. B."}}</script><p>x</p>"#;
        let e = extract(html, None);
        assert_eq!(
            e.published.map(|d| d.to_string()).as_deref(),
            Some("2021-03-04")
        );
        assert_eq!(e.author.as_deref(), Some("A. B."));
        let e = extract("<p>Text ohne Datum.</p>", Some("https://x.de/2020/01/02/a"));
        assert_eq!(
            e.published.map(|d| d.to_string()).as_deref(),
            Some("2020-01-02")
        );
        assert_eq!(extract("<p>Text ohne Datum.</p>", None).published, None);
    }

    #[test]
    fn soft_hyphens_go_and_text_is_nfc() {
        let html = "<article><p>Schon im Mit\u{ad}tel\u{ad}al\u{ad}ter war der Wein ein Aushängeschild, sagt man in Su\u{308}dtirol.</p></article>";
        let e = extract(html, None);
        assert!(
            e.text.contains("Schon im Mittelalter war") && e.text.contains("Südtirol"),
            "{}",
            e.text
        );
    }

    #[test]
    fn garbage_and_deep_nesting_do_not_panic() {
        for html in [
            "",
            "<",
            "<<<>>>",
            "</p></div>",
            "<table><td>x",
            "\u{0}\u{1}<p>\u{FFFD}",
        ] {
            let _ = extract(html, None);
        }
        let deep = "<div>".repeat(100_000)
            + "Tiefer Text, der lang genug ist, um als Absatz zu gelten."
            + &"</div>".repeat(100_000);
        assert_eq!(prepare(&deep).matches("<div>").count(), MAX_NESTING);
        assert!(extract(&deep, None).text.contains("Tiefer Text"));
        let shallow = "<div><p>x</p></div>";
        assert_eq!(prepare(shallow), shallow);
        assert!(matches!(prepare("kein Markup"), Cow::Borrowed(_)));
        // A huge single line stays linear.
        let line = "<p class=\"a\">".to_string() + &"Wort ".repeat(2_000_000) + "</p>";
        assert!(extract(&line, None).text.len() > 9_000_000);
    }

    #[test]
    fn prepare_cuts_what_never_becomes_text() {
        let html = "<html><head><title>A <b> B</title><script>var s = '</div>';</script>\
            <script type=\"application/ld+json\">{\"datePublished\":\"2021-03-04\"}</script>\
            <style>p > a { color: red }</style></head><body><!-- <p>alt</p> -->\
            <svg><text>Icon</text></svg><a href=\"/x\" title=\"a > b\" class='k'>Link</a>\
            <div style=\"display: none\">weg</div><div data-x=\"1\" style=\"color:red\">da</div>\
            <pre>  eingerückt\n    bleibt</pre><p>viel      Platz\n\n   hier</p>";
        let out = prepare(html);
        for gone in [
            "var s",
            "color: red",
            "alt",
            "Icon",
            "href",
            "title=",
            "data-x",
            "color:red",
        ] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        for kept in [
            "<title>A <b> B</title>",
            "datePublished",
            "<a class='k'>Link</a>",
            "style=\"display: none\"",
            "<pre>  eingerückt\n    bleibt</pre>",
            "<p>viel Platz\nhier</p>",
        ] {
            assert!(out.contains(kept), "{kept} not in {out}");
        }
        // Unclosed things run to the end, as the parser reads them; an unclosed menu stays.
        for html in [
            "<p>a<script>b",
            "<!-- x",
            "<p class=\"x",
            "<a b=\"x>\">t</a>",
            "<a b='",
        ] {
            let _ = extract(html, None);
        }
        assert!(prepare("<nav><p>Menü</p><nav>x</nav>").contains("Menü"));
        assert!(!prepare("<nav><nav>x</nav><p>Menü</p></nav>Text").contains("Menü"));
        // Many unclosed menus: one failed search per tag name keeps the scan linear.
        let many = "<nav>".repeat(200_000) + "Text";
        assert!(prepare(&many).ends_with("Text"));
    }

    /// A paragraph of `n` sentences of ordinary prose.
    fn prose(topic: &str, n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "Der {i}. Satz über {topic} erklärt, wie es dazu kam, und nennt die Folgen."
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn boilerplate_named_wrapper_around_the_article_is_kept() {
        let html = format!(
            r#"<body><div class="sidebar-wrapper"><article class="post tag-werbung">
            <div class="entry-content"><p>{}</p><p>{}</p></div></article></div>
            <div class="sidebar"><p>{}</p></div></body>"#,
            prose("den Hafen", 3),
            prose("die Brücke", 3),
            prose("Werbung im Seitenrand", 1)
        );
        let e = extract(&html, None);
        assert!(e.text.contains("über den Hafen") && e.text.contains("über die Brücke"));
        assert!(!e.text.contains("Seitenrand"), "{}", e.text);
    }

    #[test]
    fn article_split_into_sections_is_taken_whole() {
        let sections: String = ["den Haushalt", "die Schulen", "den Verkehr", "die Kliniken"]
            .iter()
            .map(|t| {
                format!(
                    r#"<div class="block"><div class="inner"><h2>Zu {t}</h2><p>{}</p></div></div>"#,
                    prose(t, 4)
                )
            })
            .collect();
        let html = format!(
            r#"<body><nav><a href="/">Start</a></nav><main><div class="page">{sections}</div>
            <div class="teaser"><h3>Meistgelesen</h3><ul><li><a href="/a">Ein anderer Artikel mit langem Titel</a></li></ul></div>
            </main></body>"#
        );
        let e = extract(&html, None);
        for t in ["über den Haushalt", "Zu die Schulen", "über die Kliniken"] {
            assert!(e.text.contains(t), "{t} missing: {}", e.text);
        }
        assert!(!e.text.contains("Meistgelesen"), "{}", e.text);
        assert!(!e.text.contains("anderer Artikel"), "{}", e.text);
    }

    #[test]
    fn furniture_lines_inside_blocks_go() {
        let html = format!(
            "<article><p>{}</p><p>Ein Bild vom Ufer am Morgen.<br>Foto: Agentur / Name</p><p>Jetzt teilen!</p></article>",
            prose("das Ufer", 4)
        );
        let e = extract(&html, None);
        assert!(
            e.text.contains("Ein Bild vom Ufer am Morgen."),
            "{}",
            e.text
        );
        assert!(
            !e.text.contains("Foto:") && !e.text.contains("teilen"),
            "{}",
            e.text
        );
    }
}
