//! Main-content extraction from HTML over html5ever (via `scraper`), plus title, author, date.
//!
//! The page is linearised into text blocks (paragraphs, headings, list items, cells, and text
//! directly inside containers), skipping non-content elements and subtrees whose class, id or
//! role names boilerplate (comments, sharing, navigation…; token lists in
//! `lang/*/ingest-boilerplate-tokens.txt`). Blocks score by their non-link text; the score goes
//! to the enclosing container and, halved, its parent. The best container and its strong
//! siblings form the main content; link-heavy blocks inside it are dropped. If that leaves
//! almost nothing (a page whose body carries a boilerplate class), extraction reruns without
//! the class rules.

use crate::dates::{date_in_url, parse_date};
use ego_tree::NodeRef;
use jiff::civil::Date;
use scraper::{Html, Node};
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
    let doc = Html::parse_document(&bound_nesting(html));
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

/// The HTML with container tags nested deeper than [`MAX_NESTING`] removed (their text stays).
/// A linear scan; the page is copied only when it is that deep.
fn bound_nesting(html: &str) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    // (start, end) byte ranges of tags to drop, filled only in the rewriting pass.
    let scan = |drop: Option<&mut Vec<(usize, usize)>>| -> usize {
        let mut drop = drop;
        let (mut depth, mut max, mut suppressed) = (0usize, 0usize, 0usize);
        let mut i = 0;
        while let Some(p) = memchr::memchr(b'<', &b[i..]) {
            let start = i + p;
            let Some(q) = memchr::memchr(b'>', &b[start..]) else {
                break;
            };
            let end = start + q + 1;
            i = end;
            let inner = &b[start + 1..end - 1];
            let (closing, body) = match inner.first() {
                Some(b'/') => (true, &inner[1..]),
                Some(c) if c.is_ascii_alphabetic() => (false, inner),
                _ => continue,
            };
            let name_len = body
                .iter()
                .position(|c| !c.is_ascii_alphanumeric())
                .unwrap_or(body.len());
            let name = &body[..name_len];
            if !NESTING_TAGS
                .iter()
                .any(|t| t.as_bytes().eq_ignore_ascii_case(name))
            {
                continue;
            }
            if closing {
                if suppressed > 0 {
                    suppressed -= 1;
                    if let Some(d) = drop.as_deref_mut() {
                        d.push((start, end));
                    }
                } else {
                    depth = depth.saturating_sub(1);
                }
            } else if !inner.ends_with(b"/") {
                if depth >= MAX_NESTING {
                    suppressed += 1;
                    max = max.max(depth + suppressed);
                    if let Some(d) = drop.as_deref_mut() {
                        d.push((start, end));
                    }
                } else {
                    depth += 1;
                    max = max.max(depth);
                }
            }
        }
        max
    };
    if scan(None) <= MAX_NESTING {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut drop = Vec::new();
    scan(Some(&mut drop));
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for (start, end) in drop {
        out.push_str(&html[last..start]);
        last = end;
    }
    out.push_str(&html[last..]);
    std::borrow::Cow::Owned(out)
}

/// Plain text of an HTML fragment (feed item content): every block on its own line, no
/// content selection.
pub fn fragment_text(html: &str) -> String {
    let doc = Html::parse_fragment(&bound_nesting(html));
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
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "map", "button", "select", "option", "input", "textarea", "label",
    "nav", "aside", "footer", "menu", "dialog", "title", "link", "meta",
];

/// Elements that start and end a text block.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "caption",
    "legend",
];

/// Block elements that are themselves a paragraph-like unit (their container is the parent).
const UNIT: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dd",
    "dt",
    "pre",
    "blockquote",
    "td",
    "th",
    "figcaption",
    "caption",
];

/// Class/id/role tokens marking boilerplate subtrees, from every language's data file.
struct Tokens {
    exact: Vec<String>,
    prefix: Vec<String>,
    /// Whole class entries (`widget-area`).
    entries: Vec<String>,
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
            .map(|p| format!("(?i){p}"))
            .collect();
        regex::RegexSet::new(&patterns).expect("valid patterns in ingest-boilerplate-lines.txt")
    })
}

/// How many blocks before the main content a headline is looked for.
const HEAD_WINDOW: usize = 12;

/// Longest block that may be judged page furniture by its wording alone.
const FURNITURE_MAX: usize = 120;

fn load_tokens(file: &str) -> Tokens {
    {
        let mut t = Tokens {
            exact: Vec::new(),
            prefix: Vec::new(),
            entries: Vec::new(),
        };
        for code in lagebild_core::lang::available() {
            let Some(lang) = lagebild_core::lang::get(code) else {
                continue;
            };
            for line in lang.lines(file) {
                let line = line.to_ascii_lowercase();
                if let Some(entry) = line.strip_prefix('=') {
                    t.entries.push(entry.to_string());
                } else if let Some(p) = line.strip_suffix('*') {
                    t.prefix.push(p.to_string());
                } else {
                    t.exact.push(line);
                }
            }
        }
        t
    }
}

impl Tokens {
    /// Whether one word of a class/id (lowercase-insensitive) is in the list.
    fn matches(&self, word: &str) -> bool {
        self.exact.iter().any(|e| e.eq_ignore_ascii_case(word))
            || self.prefix.iter().any(|p| {
                word.len() >= p.len() && word.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
            })
    }
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

/// Classifies the class entries and id of an element; each entry is split into words at `-`
/// and `_`.
fn names(class: Option<&str>, id: Option<&str>) -> Names {
    let (bp, ct) = (tokens(), content_tokens());
    let mut n = Names::default();
    for entry in class.into_iter().chain(id).flat_map(str::split_whitespace) {
        let words = || entry.split(['-', '_']).filter(|w| !w.is_empty());
        if bp.entries.iter().any(|e| e.eq_ignore_ascii_case(entry))
            || words().any(|w| bp.matches(w))
        {
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
#[derive(Clone, Debug)]
struct Container {
    parent: u32,
    unit: bool,
    /// Prior of the element as a content holder, from its tag and class/id/itemprop.
    weight: f64,
    names: Names,
    /// Hash of the class attribute, to find siblings styled like the main content.
    class: u64,
    desc: String, // DEBUG
    /// A top-level heading: the article's title when it stands just before the content.
    h1: bool,
    /// Any heading, `<h1>` to `<h6>`.
    heading: bool,
}

fn class_key(el: &scraper::node::Element) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    el.attr("class").unwrap_or("").hash(&mut h);
    h.finish()
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
fn name_weight(names: Names, el: &scraper::node::Element) -> f64 {
    if el
        .attr("itemprop")
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
    fn meta_tag(&mut self, el: &scraper::node::Element) {
        let key = el
            .attr("property")
            .or_else(|| el.attr("name"))
            .or_else(|| el.attr("itemprop"))
            .unwrap_or("")
            .to_ascii_lowercase();
        let Some(content) = el.attr("content").or_else(|| el.attr("datetime")) else {
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
                names: Names::default(),
                class: 0,
                h1: false,
                heading: false,
                desc: String::new(), // DEBUG
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
                        if name == "meta" {
                            self.meta.meta_tag(el);
                        }
                        if name == "title" && self.meta.title.is_none() {
                            let t: String = node
                                .children()
                                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                                .collect();
                            self.meta.title = Some(t);
                        }
                        if name == "script"
                            && el.attr("type").is_some_and(|t| t.contains("ld+json"))
                        {
                            let t: String = node
                                .children()
                                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                                .collect();
                            self.meta.json_ld(&t);
                        }
                        self.element_meta(name, el);
                        let names = if matches!(name, "html" | "body" | "main" | "article") {
                            Names {
                                boilerplate: false,
                                ..names(el.attr("class"), el.attr("id"))
                            }
                        } else {
                            names(el.attr("class"), el.attr("id"))
                        };
                        let block = BLOCK.contains(&name);
                        if self.skip(name, el) || (self.class_rules && !block && names.boilerplate)
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
                                unit: UNIT.contains(&name),
                                weight: tag_weight(name) + name_weight(names, el),
                                names,
                                h1: name == "h1",
                                heading: matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6"),
                                class: class_key(el),
                                desc: format!("{}.{}#{}", name, el.attr("class").unwrap_or("").chars().take(60).collect::<String>(), el.attr("id").unwrap_or("")), // DEBUG
                            });
                            self.containers.push(id);
                        }
                        let link = name == "a";
                        let pre = name == "pre";
                        self.link_depth += link as usize;
                        self.pre_depth += pre as usize;
                        stack.push(Step::Close { block, link, pre });
                        let children: Vec<_> = node.children().collect();
                        stack.extend(children.into_iter().rev().map(Step::Open));
                    }
                    Node::Document | Node::Fragment => {
                        let children: Vec<_> = node.children().collect();
                        stack.extend(children.into_iter().rev().map(Step::Open));
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

    fn element_meta(&mut self, name: &str, el: &scraper::node::Element) {
        match name {
            "html" if self.meta.lang.is_none() => {
                self.meta.lang = el.attr("lang").map(str::to_string)
            }
            "link" if self.meta.url.is_none() && el.attr("rel") == Some("canonical") => {
                self.meta.url = el.attr("href").map(str::to_string)
            }
            "time" if self.meta.time_element.is_none() => {
                self.meta.time_element = el.attr("datetime").and_then(parse_date)
            }
            _ => {
                if let Some(prop) = el.attr("itemprop") {
                    if prop.eq_ignore_ascii_case("datePublished") && self.meta.published.is_none() {
                        self.meta.published = el
                            .attr("content")
                            .or_else(|| el.attr("datetime"))
                            .and_then(parse_date);
                    }
                }
            }
        }
    }

    fn skip(&self, name: &str, el: &scraper::node::Element) -> bool {
        if SKIP.contains(&name) {
            return true;
        }
        if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
            return true;
        }
        if let Some(style) = el.attr("style") {
            let s = style.to_ascii_lowercase().replace(' ', "");
            if s.contains("display:none") || s.contains("visibility:hidden") {
                return true;
            }
        }
        if let Some(role) = el.attr("role") {
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
        let raw = std::mem::take(&mut self.current);
        let links = std::mem::take(&mut self.current_links);
        let mut text = if self.pre_depth > 0 {
            raw.trim_matches('\n').trim_end().to_string()
        } else {
            raw.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        };
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
    // The most text held by one content-named element in each subtree.
    let mut content: Vec<usize> = (0..n)
        .map(|c| if table[c].names.content { text[c] } else { 0 })
        .collect();
    for c in (1..n).rev() {
        let p = table[c].parent as usize;
        content[p] = content[p].max(content[c]);
    }
    let mut dead = vec![false; n];
    for c in 1..n {
        dead[c] = dead[table[c].parent as usize]
            || (table[c].names.boilerplate && 2 * content[c] <= text[c]);
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
    // holds the paragraph and, halved, its parent; each candidate starts from its prior and
    // ends scaled by its non-link share.
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
    let dbg = std::env::var("LBDBG").is_ok(); // DEBUG
    let path = |mut c: usize| { let mut v = vec![]; for _ in 0..6 { v.push(table[c].desc.clone()); if c == 0 { break; } c = table[c].parent as usize; } v.join(" < ") }; // DEBUG
    if dbg { let mut t: Vec<usize> = (0..n).filter(|&c| candidate[c]).collect(); t.sort_by(|&a, &b| score[b].total_cmp(&score[a])); for &c in t.iter().take(8) { eprintln!("cand {c} score {:.1} w {:.0} chars {} value {:.0} :: {}", score[c], table[c].weight, chars[c], value[c], path(c)); } eprintln!("best(after alt) {best} :: {}", path(best)); } // DEBUG
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
    if dbg { eprintln!("final {best} value {:.0} :: {}", value[best], path(best)); for c in 0..n { if chosen[c] { eprintln!("  chosen {c} :: {}", path(c)); } } } // DEBUG
    let inside = mark(&chosen);
    // The headline and lead often sit just above the body container: take the last `<h1>`
    // within a few blocks before it, and the substantial blocks between the two.
    let first = blocks
        .iter()
        .position(|b| inside[b.owner as usize])
        .unwrap_or(0);
    let head = (first.saturating_sub(HEAD_WINDOW)..first)
        .rev()
        .find(|&i| table[blocks[i].owner as usize].h1);
    // What growing added holds paragraphs of a split article but also the furniture between
    // them: only clean paragraphs and the headings right above kept text stay.
    let paragraph = |b: &Block| {
        b.chars >= MIN_PARAGRAPH
            && b.link_chars * 2 < b.chars
            && !(b.chars < FURNITURE_MAX && furniture().is_match(&b.text))
    };
    let mut keep: Vec<bool> = blocks
        .iter()
        .map(|b| core[b.owner as usize] || (inside[b.owner as usize] && paragraph(b)))
        .collect();
    for i in (0..blocks.len().saturating_sub(1)).rev() {
        let c = blocks[i].owner as usize;
        if inside[c] && !keep[i] && table[c].heading && keep[i + 1] {
            keep[i] = true;
        }
    }
    if let Some(h) = head {
        keep[h] = true;
        for i in h + 1..first {
            let b = &blocks[i];
            keep[i] = b.chars >= 50 && b.link_chars == 0;
        }
    }
    let out: Vec<&str> = blocks
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(b, _)| b)
        .filter(|b| {
            let len = b.chars;
            ((b.link_chars as f64) < 0.5 * len as f64 || len > 300)
                && !(len < FURNITURE_MAX && furniture().is_match(&b.text))
        })
        .map(|b| b.text.as_str())
        .collect();
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
        assert_eq!(bound_nesting(&deep).matches("<div>").count(), MAX_NESTING);
        assert!(extract(&deep, None).text.contains("Tiefer Text"));
        let shallow = "<div><p>x</p></div>";
        assert!(matches!(
            bound_nesting(shallow),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
