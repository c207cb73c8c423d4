//! `--meta FILE`: metadata for documents that carry none (plain text), keyed by id.
//! JSON Lines (`{"id":…, "published":…, "source":…, "url":…, "title":…}`) or CSV with a
//! header row naming the same columns.

use crate::dates::parse_date;
use lagebild_core::{InputError, Metadata, Origin};
use std::collections::HashMap;
use std::path::Path;

#[derive(Default)]
pub struct Sidecar {
    by_id: HashMap<String, Metadata>,
}

impl Sidecar {
    /// Loads the whole sidecar (it is small: one short row per document). Any bad row is an
    /// error naming its line, since silently missing metadata would be worse.
    pub fn load(path: &Path) -> Result<Self, InputError> {
        let origin = |record: Option<u64>| Origin {
            path: path.display().to_string(),
            record,
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            InputError::new(origin(None), format!("cannot read metadata file: {e}"))
        })?;
        let mut by_id = HashMap::new();
        let is_csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let rows: Vec<(u64, HashMap<String, String>)> = if is_csv {
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            let headers = reader
                .headers()
                .map_err(|e| InputError::new(origin(Some(1)), format!("bad CSV header: {e}")))?
                .clone();
            let mut rows = Vec::new();
            for (i, rec) in reader.records().enumerate() {
                let line = i as u64 + 2;
                let rec = rec.map_err(|e| {
                    InputError::new(origin(Some(line)), format!("bad CSV row: {e}"))
                })?;
                let row = headers
                    .iter()
                    .zip(rec.iter())
                    .map(|(h, v)| (h.trim().to_string(), v.to_string()))
                    .collect();
                rows.push((line, row));
            }
            rows
        } else {
            let mut rows = Vec::new();
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let n = i as u64 + 1;
                let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line)
                    .map_err(|e| InputError::new(origin(Some(n)), format!("invalid JSON: {e}")))?;
                let row = map
                    .into_iter()
                    .filter_map(|(k, v)| match v {
                        serde_json::Value::String(s) => Some((k, s)),
                        serde_json::Value::Number(n) => Some((k, n.to_string())),
                        _ => None,
                    })
                    .collect();
                rows.push((n, row));
            }
            rows
        };
        for (line, mut row) in rows {
            let id = row
                .remove("id")
                .filter(|s| !s.trim().is_empty())
                .ok_or_else(|| InputError::new(origin(Some(line)), "row without id"))?;
            let published = match row.remove("published").filter(|s| !s.trim().is_empty()) {
                Some(p) => Some(parse_date(&p).ok_or_else(|| {
                    InputError::new(origin(Some(line)), format!("unreadable date {p:?}"))
                })?),
                None => None,
            };
            let mut take = |k: &str| row.remove(k).filter(|s| !s.trim().is_empty());
            let meta = Metadata {
                id: id.clone(),
                source: take("source"),
                url: take("url"),
                title: take("title"),
                published,
                language: take("language"),
            };
            by_id.insert(id, meta);
        }
        Ok(Sidecar { by_id })
    }

    /// Fills the fields `meta` lacks from the sidecar row with the same id.
    pub fn fill(&self, meta: &mut Metadata) {
        let Some(row) = self.by_id.get(&meta.id) else {
            return;
        };
        meta.source = meta.source.take().or_else(|| row.source.clone());
        meta.url = meta.url.take().or_else(|| row.url.clone());
        meta.title = meta.title.take().or_else(|| row.title.clone());
        meta.published = meta.published.or(row.published);
        meta.language = meta.language.take().or_else(|| row.language.clone());
    }
}
