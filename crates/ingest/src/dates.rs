//! Publication dates from metadata strings: ISO dates, RFC 3339 timestamps, RFC 2822 (feeds)
//! and day-first dotted dates. A string that is not clearly a date yields `None`: dates are
//! never guessed.

use jiff::civil::Date;

/// Parses the calendar date of a metadata value. Timestamps keep the date as written in their
/// own offset (the publisher's local day), not converted to UTC.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    iso(s).or_else(|| dotted(s)).or_else(|| rfc2822(s))
}

fn num(s: &str) -> Option<i32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn ymd(y: i32, m: i32, d: i32) -> Option<Date> {
    if !(1800..=2200).contains(&y) {
        return None;
    }
    Date::new(y as i16, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// `2023-09-22`, `2023-09-22T10:00:00+02:00`, `2023/09/22 …`.
fn iso(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() < 10 || !(b[4] == b'-' || b[4] == b'/') || b[7] != b[4] {
        return None;
    }
    if b.len() > 10 && b[10].is_ascii_digit() {
        return None;
    }
    ymd(num(s.get(0..4)?)?, num(s.get(5..7)?)?, num(s.get(8..10)?)?)
}

/// `22.09.2023` (day first, four-digit year), optionally followed by a time.
fn dotted(s: &str) -> Option<Date> {
    let head = s.split([' ', 'T', ',']).next()?;
    let mut parts = head.split('.');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some_and(|p| !p.is_empty()) || y.len() != 4 || d.len() > 2 || m.len() > 2 {
        return None;
    }
    ymd(num(y)?, num(m)?, num(d)?)
}

/// RFC 2822 as in RSS: `Fri, 22 Sep 2023 10:00:00 +0200`; lenient about the zone and weekday.
fn rfc2822(s: &str) -> Option<Date> {
    if let Ok(z) = jiff::fmt::rfc2822::DateTimeParser::new().parse_zoned(s) {
        return Some(z.date());
    }
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let i = words.iter().position(|w| {
        w.len() >= 3 && MONTHS.contains(&w.get(..3).unwrap_or("").to_ascii_lowercase().as_str())
    })?;
    let m = MONTHS
        .iter()
        .position(|m| *m == words[i][..3].to_ascii_lowercase())? as i32
        + 1;
    let d = num(words.get(i.checked_sub(1)?)?)?;
    let y = num(words.get(i + 1)?)?;
    ymd(y, m, d)
}

/// A date in a URL path such as `/2023/09/22/` or `/2023-09-22-title`; `None` without a full date.
pub fn date_in_url(url: &str) -> Option<Date> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = path.split(['?', '#']).next()?;
    let b = path.as_bytes();
    for i in 0..b.len() {
        if b[i] != b'/' || i + 11 > b.len() {
            continue;
        }
        let seg = &path[i + 1..];
        let sb = seg.as_bytes();
        if sb.len() >= 10 && (sb[4] == b'/' || sb[4] == b'-') && sb[7] == sb[4] {
            if let (Some(y), Some(m), Some(d)) = (
                seg.get(0..4).and_then(num),
                seg.get(5..7).and_then(num),
                seg.get(8..10).and_then(num),
            ) {
                let end_ok = sb.len() == 10 || !sb[10].is_ascii_digit();
                if end_ok {
                    if let Some(date) = ymd(y, m, d) {
                        return Some(date);
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        parse_date(s).map(|d| d.to_string())
    }

    #[test]
    fn accepted_formats() {
        assert_eq!(d("2023-09-22").as_deref(), Some("2023-09-22"));
        assert_eq!(
            d("2023-09-22T23:30:00-02:00").as_deref(),
            Some("2023-09-22")
        );
        assert_eq!(d("2023-09-22T10:00:00Z").as_deref(), Some("2023-09-22"));
        assert_eq!(
            d("Fri, 22 Sep 2023 10:00:00 +0200").as_deref(),
            Some("2023-09-22")
        );
        assert_eq!(d("22 Sep 2023 10:00:00 GMT").as_deref(), Some("2023-09-22"));
        assert_eq!(
            d("Mon, 25 Sep 2023 10:00:00 CEST").as_deref(),
            Some("2023-09-25")
        );
        assert_eq!(d("22.09.2023").as_deref(), Some("2023-09-22"));
        assert_eq!(d("22.09.2023, 10:15 Uhr").as_deref(), Some("2023-09-22"));
    }

    #[test]
    fn rejects_non_dates() {
        for s in [
            "",
            "gestern",
            "2023-13-01",
            "2023-02-30",
            "12345",
            "1.2.3",
            "Sep 2023",
            "20230922",
        ] {
            assert_eq!(d(s), None, "{s}");
        }
    }

    #[test]
    fn url_dates() {
        let u = |s: &str| date_in_url(s).map(|d| d.to_string());
        assert_eq!(
            u("https://x.de/2023/09/22/titel").as_deref(),
            Some("2023-09-22")
        );
        assert_eq!(
            u("https://x.de/news/2023-09-22-titel.html").as_deref(),
            Some("2023-09-22")
        );
        assert_eq!(u("https://x.de/2023/09/titel"), None);
        assert_eq!(u("https://x.de/id/20230922"), None);
    }
}
