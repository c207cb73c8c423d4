//! Values for matched expressions: calendar arithmetic and anchoring.

use crate::grammar::{Expression, Field, Op};
use jiff::civil::Date;
use jiff::ToSpan;
use lagebild_core::Anchoring;

/// A date the text mentioned, as precisely as it was mentioned. Years before Christ are
/// negative (478 BC = -478); there is no year 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mentioned {
    pub year: i32,
    pub month: Option<i8>,
    pub day: Option<i8>,
}

impl Mentioned {
    fn of(d: Date) -> Self {
        Mentioned {
            year: from_astro(d.year()),
            month: Some(d.month()),
            day: Some(d.day()),
        }
    }
    fn date(self) -> Option<Date> {
        Date::new(to_astro(self.year)?, self.month?, self.day?).ok()
    }
    /// Reads the calendar part of a TIMEX3 value (`1941-06-22`, `BC0478`, `2003-03`).
    pub(crate) fn parse(value: &str) -> Option<Self> {
        let (bc, rest) = match value.strip_prefix("BC") {
            Some(r) => (true, r),
            None => (false, value),
        };
        let digits = |s: &str| s.len() >= 2 && s.bytes().all(|b| b.is_ascii_digit());
        let mut parts = rest.split(['-', 'T']);
        let y = parts.next().filter(|y| y.len() == 4 && digits(y))?;
        let y: i32 = y.parse().ok()?;
        if y == 0 {
            return None;
        }
        let month = parts.next().filter(|m| m.len() == 2 && digits(m));
        let month: Option<i8> = month.and_then(|m| m.parse().ok());
        let day: Option<i8> = match month {
            Some(_) => parts
                .next()
                .filter(|d| d.len() == 2 && digits(d))
                .and_then(|d| d.parse().ok()),
            None => None,
        };
        Some(Mentioned {
            year: if bc { -y } else { y },
            month,
            day,
        })
    }
}

/// What relative expressions resolve against while the tagger walks through a document.
#[derive(Clone, Debug, Default)]
pub(crate) struct Context {
    pub published: Option<Date>,
    /// The last date the text mentioned, at its own precision.
    last: Option<Mentioned>,
    last_year: Option<i32>,
    last_month: Option<(i32, i8)>,
    last_day: Option<Date>,
    /// Whether the sentence of the expression being resolved speaks of the future.
    pub future: bool,
}

/// A value with its modifier and what it was resolved against.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Resolved {
    pub value: String,
    pub modifier: Option<String>,
    pub anchoring: Anchoring,
}

/// An anchor and how it was found.
#[derive(Clone, Copy, Debug)]
struct Anchor {
    at: Mentioned,
    how: Anchoring,
}

impl Context {
    pub(crate) fn new(published: Option<Date>) -> Self {
        Context {
            published,
            ..Context::default()
        }
    }

    /// Remembers a resolved date as the narrative anchor for what follows.
    /// A relative value that points back before the current anchor ("im Vorjahr") is a
    /// glance back, not a step of the narrative, and leaves the anchor where it is.
    pub(crate) fn mention(&mut self, value: &str, how: Anchoring) {
        let Some(m) = Mentioned::parse(value) else {
            return;
        };
        let key = |m: Mentioned| (m.year, m.month.unwrap_or(0), m.day.unwrap_or(0));
        if how != Anchoring::Absolute && self.last.is_some_and(|l| key(m) < key(l)) {
            return;
        }
        self.last = Some(m);
        self.last_year = Some(m.year);
        if let Some(month) = m.month {
            self.last_month = Some((m.year, month));
        }
        if let Some(d) = m.date() {
            self.last_day = Some(d);
        }
    }

    /// Deictic expressions ("gestern", "letzte Woche") count from the publication date,
    /// else from the narrative's last date.
    fn deictic(&self) -> Option<Anchor> {
        self.published
            .map(|d| Anchor {
                at: Mentioned::of(d),
                how: Anchoring::Published,
            })
            .or_else(|| self.narrative())
    }

    /// Anaphoric expressions ("am selben Tag", "drei Tage später") count from the last
    /// date mentioned, else from the publication date.
    fn anaphoric(&self) -> Option<Anchor> {
        self.narrative().or_else(|| self.deictic())
    }

    fn narrative(&self) -> Option<Anchor> {
        self.last.map(|at| Anchor {
            at,
            how: Anchoring::Narrative,
        })
    }

    fn anchor(&self, kind: &str) -> Option<Anchor> {
        if kind == "anaphoric" {
            self.anaphoric()
        } else {
            self.deictic()
        }
    }

    /// A day to hang a time of day on: the last day mentioned, else the publication date.
    fn day_anchor(&self) -> Option<(Date, Anchoring)> {
        self.last_day
            .map(|d| (d, Anchoring::Narrative))
            .or_else(|| self.published.map(|d| (d, Anchoring::Published)))
    }

    /// The year of a day/month the text gave without one. With a publication date: the
    /// nearest such day (or the next one when the sentence speaks of the future); in a
    /// narrative: the year of the last date mentioned; else none (never guessed).
    fn year_for(&self, month: i8, day: Option<i8>) -> Option<(i32, Anchoring)> {
        if let Some(p) = self.published {
            let candidates = [p.year() - 1, p.year(), p.year() + 1];

            let dated = candidates.iter().filter_map(|&y| {
                let d = Date::new(y, month, day.unwrap_or(15)).ok()?;
                Some((y, d))
            });
            let best = if self.future {
                dated
                    .filter(|(_, d)| match day {
                        Some(_) => *d >= p,
                        None => (d.year(), d.month()) >= (p.year(), p.month()),
                    })
                    .map(|(y, _)| y)
                    .next()
            } else {
                dated
                    .min_by_key(|(_, d)| d.since(p).map_or(i32::MAX, |s| s.get_days().abs()))
                    .map(|(y, _)| y)
            };
            return best.map(|y| (from_astro(y), Anchoring::Published));
        }
        self.last_year.map(|y| (y, Anchoring::Narrative))
    }

    /// The month of a day the text gave alone ("in der Nacht vom 16.").
    fn month_for_day(&self) -> Option<(i32, i8, Anchoring)> {
        self.last_month
            .map(|(y, m)| (y, m, Anchoring::Narrative))
            .or_else(|| {
                self.published
                    .map(|p| (from_astro(p.year()), p.month(), Anchoring::Published))
            })
    }

    /// Resolves one expression of a rule with operation `op`.
    pub(crate) fn resolve(
        &self,
        op: Op,
        e: &Expression,
        year_hint: Option<i32>,
    ) -> Option<Resolved> {
        match op {
            Op::Date | Op::Range => self.date(e, year_hint),
            Op::Time => self.time(e),
            Op::Rel => self.rel(e),
            Op::Shift => self.shift(e),
            Op::Duration => duration_of(e),
            Op::Ref => e.get("ref").map(|f| Resolved {
                value: f.value().to_string(),
                modifier: None,
                anchoring: Anchoring::Absolute,
            }),
            Op::Set => set_of(e),
        }
    }

    fn date(&self, e: &Expression, year_hint: Option<i32>) -> Option<Resolved> {
        let bc = e.has("bc");
        let mut modifier = modifier_of(e);
        let mut how = Anchoring::Absolute;
        let out = |value: String, how: Anchoring, modifier: Option<String>| {
            Some(Resolved {
                value,
                modifier,
                anchoring: how,
            })
        };
        if let Some(d) = e.get("decadeyear") {
            let y = d.num()? as i32;
            return out(
                format!("{}{:03}", if bc { "BC" } else { "" }, y / 10),
                how,
                modifier,
            );
        }
        if let Some(t) = e.get("tens") {
            let t = t.num()? as i32;
            return match self.deictic() {
                Some(a) if a.at.year > 0 => {
                    let y0 = a.at.year;
                    let mut base = y0 - y0.rem_euclid(100) + t * 10;
                    if base > y0 {
                        base -= 100;
                    }
                    out(format!("{:03}", base / 10), a.how, modifier)
                }
                _ => out(format!("XX{t}"), Anchoring::Unanchored, modifier),
            };
        }
        if let Some(c) = e.get("century") {
            let n = c.num()? as i32;
            if !(1..=30).contains(&n) {
                return None;
            }
            return out(
                format!("{}{:02}", if bc { "BC" } else { "" }, n - 1),
                how,
                modifier,
            );
        }
        let mut year = match e.get("year") {
            Some(y) => {
                let y = y.num()? as i32;
                if y == 0 || y > 9999 {
                    return None;
                }
                Some(if bc { -y } else { y })
            }
            None => None,
        };
        if let Some(yy) = e.get("yy") {
            let yy = yy.num()? as i32;
            let (base, anchored) = match year_hint {
                Some(h) => (Some(h), Anchoring::Absolute),
                None => match self.deictic() {
                    Some(a) => (Some(a.at.year + 10), a.how),
                    None => (None, Anchoring::Unanchored),
                },
            };
            year = base.map(|b| {
                if year_hint.is_some() {
                    let y = b - b.rem_euclid(100) + yy;
                    if y < b {
                        y + 100
                    } else {
                        y
                    }
                } else {
                    let y = b - b.rem_euclid(100) + yy;
                    if y > b {
                        y - 100
                    } else {
                        y
                    }
                }
            });
            how = anchored;
        }
        let month = match e.get("month") {
            Some(m) => {
                let m = m.num()? as i8;
                (1..=12).contains(&m).then_some(m)?;
                Some(m)
            }
            None => None,
        };
        let day = match e.get("day") {
            Some(d) => {
                let d = d.num()? as i8;
                (1..=31).contains(&d).then_some(d)?;
                Some(d)
            }
            None => None,
        };
        let daypart = e
            .get("daypart")
            .or_else(|| e.get("dayparts"))
            .map(|f| f.value().to_string());
        let with_daypart = |v: String| match &daypart {
            Some(p) => format!("{v}T{p}"),
            None => v,
        };
        // Fill the year from an anchor when the text names a month or a period of a year.
        let needs_year = year.is_none()
            && (month.is_some()
                || e.has("season")
                || e.has("holiday")
                || e.has("subyear")
                || e.has("yearword")
                || e.has("yearpart"));
        if needs_year {
            match self.year_for(month.unwrap_or(6), day) {
                Some((y, a)) => {
                    year = Some(y);
                    how = a;
                }
                None => how = Anchoring::Unanchored,
            }
        }
        let y = year.map(fmt_year).unwrap_or_else(|| "XXXX".into());
        if let Some(h) = e.get("holiday") {
            let v = h.value();
            let date = match v.strip_prefix('E') {
                Some(offset) => {
                    let offset: i64 = offset.parse().ok()?;
                    match year {
                        Some(y) => Some(easter(y)?.checked_add(offset.days()).ok()?),
                        None => return out("XXXX-XX-XX".into(), how, modifier),
                    }
                }
                None => None,
            };
            return match date {
                Some(d) => out(with_daypart(d.to_string()), how, modifier),
                None => out(with_daypart(format!("{y}-{v}")), how, modifier),
            };
        }
        if let Some(s) = e.get("subyear") {
            let n = e.get("ordinal")?.num()? as i32;
            let max = if s.value() == "H" { 2 } else { 4 };
            (1..=max).contains(&n).then_some(())?;
            return out(format!("{y}-{}{n}", s.value()), how, modifier);
        }
        if let Some(s) = e.get("season") {
            if modifier.is_none() && !s.extra().is_empty() {
                modifier = Some(s.extra().to_string());
            }
            return out(format!("{y}-{}", s.value()), how, modifier);
        }
        if let Some(m) = month {
            if let Some(d) = day {
                // Impossible days ("31. Februar") are no date at all.
                Date::new(year.and_then(to_astro).unwrap_or(2000), m, d).ok()?;
                return out(with_daypart(format!("{y}-{m:02}-{d:02}")), how, modifier);
            }
            return out(format!("{y}-{m:02}"), how, modifier);
        }
        if let Some(d) = day {
            return match self.month_for_day() {
                Some((y, m, a)) => {
                    Date::new(to_astro(y)?, m, d).ok()?;
                    out(
                        with_daypart(format!("{}-{m:02}-{d:02}", fmt_year(y))),
                        a,
                        modifier,
                    )
                }
                None => out(
                    with_daypart(format!("XXXX-XX-{d:02}")),
                    Anchoring::Unanchored,
                    modifier,
                ),
            };
        }
        if let Some(w) = e.get("weekday") {
            let w = w.num()? as i8;
            return match self.deictic().and_then(|a| Some((a.at.date()?, a.how))) {
                Some((anchor, a)) => {
                    let d = weekday_near(anchor, w, if self.future { 1 } else { -1 }, true)?;
                    out(with_daypart(d.to_string()), a, modifier)
                }
                None => out(
                    with_daypart(format!("XXXX-WXX-{w}")),
                    Anchoring::Unanchored,
                    modifier,
                ),
            };
        }
        if let Some(p) = e.get("yearpart") {
            modifier = Some(p.value().to_string());
            return out(y, how, modifier);
        }
        if e.has("monthpart") || e.has("monthword") {
            if let Some(p) = e.get("monthpart") {
                modifier = Some(p.value().to_string());
            }
            return match self
                .last_month
                .or_else(|| self.published.map(|p| (from_astro(p.year()), p.month())))
            {
                Some((y, m)) => out(
                    format!("{}-{m:02}", fmt_year(y)),
                    self.anaphoric()?.how,
                    modifier,
                ),
                None => out("XXXX-XX".into(), Anchoring::Unanchored, modifier),
            };
        }
        if year.is_some() || e.has("yearword") {
            return out(y, how, modifier);
        }
        if let Some(p) = daypart {
            return match self.day_anchor() {
                Some((d, a)) => out(format!("{d}T{p}"), a, modifier),
                None => out(format!("XXXX-XX-XXT{p}"), Anchoring::Unanchored, modifier),
            };
        }
        None
    }

    fn time(&self, e: &Expression) -> Option<Resolved> {
        let (mut hour, minute) = if e.has("midnight") {
            (24, 0)
        } else {
            let h = e.get("hour")?.num()? as i32;
            let m = e.get("minute").map_or(Some(0.0), Field::num)? as i32;
            (h, m)
        };
        if hour > 24 || minute > 59 || (hour == 24 && minute > 0) {
            return None;
        }
        if let Some(p) = e.get("dayparts") {
            if matches!(p.value(), "AF" | "EV" | "NI")
                && (1..12).contains(&hour)
                && !(p.value() == "NI" && hour < 5)
            {
                hour += 12;
            }
        }
        let clock = format!("T{hour:02}:{minute:02}");
        if e.has("month") {
            let mut r = self.date(e, None)?;
            r.value.push_str(&clock);
            return Some(r);
        }
        Some(match self.day_anchor() {
            Some((d, how)) => Resolved {
                value: format!("{d}{clock}"),
                modifier: None,
                anchoring: how,
            },
            None => Resolved {
                value: format!("XXXX-XX-XX{clock}"),
                modifier: None,
                anchoring: Anchoring::Unanchored,
            },
        })
    }

    fn rel(&self, e: &Expression) -> Option<Resolved> {
        let modifier = modifier_of(e);
        let done = |value: String, how: Anchoring| {
            Some(Resolved {
                value,
                modifier: modifier.clone(),
                anchoring: how,
            })
        };
        if let Some(r) = e.get("relday") {
            let n = r.num()? as i64;
            let daypart = e
                .get("daypart")
                .or_else(|| e.get("dayparts"))
                .map(|f| format!("T{}", f.value()));
            if n == 0 && r.extra() == "deictic" && self.published.is_none() {
                return done("PRESENT_REF".into(), Anchoring::Absolute);
            }
            let (anchor, how) = match r.extra() {
                "anaphoric" => self.day_anchor(),
                _ => self
                    .published
                    .map(|d| (d, Anchoring::Published))
                    .or_else(|| self.last_day.map(|d| (d, Anchoring::Narrative))),
            }
            .map_or((None, Anchoring::Unanchored), |(d, h)| (Some(d), h));
            let value = match anchor {
                Some(d) => d.checked_add(n.days()).ok()?.to_string(),
                None => "XXXX-XX-XX".into(),
            };
            return done(value + daypart.as_deref().unwrap_or(""), how);
        }
        if let Some(r) = e.get("relyear") {
            let n = r.num()? as i32;
            return match self.anchor(r.extra()) {
                Some(a) => done(fmt_year(add_years(a.at.year, n)?), a.how),
                None => done("XXXX".into(), Anchoring::Unanchored),
            };
        }
        let dir = e.get("reldir")?;
        let n = dir.num()? as i32;
        let Some(a) = self.anchor(dir.extra()) else {
            let v = match (e.get("unit").map(Field::value), e.get("weekday")) {
                (_, Some(w)) => format!("XXXX-WXX-{}", w.value()),
                (Some("W"), _) => "XXXX-WXX".into(),
                (Some("M"), _) => "XXXX-XX".into(),
                (Some("D"), _) => "XXXX-XX-XX".into(),
                _ => "XXXX".into(),
            };
            return done(v, Anchoring::Unanchored);
        };
        let how = a.how;
        let fallback = || done(vague_ref(n).into(), Anchoring::Absolute);
        if let Some(w) = e.get("weekday") {
            let Some(anchor) = a.at.date() else {
                return fallback();
            };
            let dir = if n == 0 {
                if self.future {
                    1
                } else {
                    -1
                }
            } else {
                n.signum()
            };
            let d = weekday_near(anchor, w.num()? as i8, dir, n == 0)?;
            return done(d.to_string(), how);
        }
        if let Some(p) = e.get("daypart") {
            let Some(anchor) = a.at.date() else {
                return fallback();
            };
            return done(
                format!(
                    "{}T{}",
                    anchor.checked_add((n as i64).days()).ok()?,
                    p.value()
                ),
                how,
            );
        }
        if let Some(m) = e.get("month") {
            let m = m.num()? as i8;
            if e.has("unit") {
                // "März des folgenden Jahres"
                return done(
                    format!("{}-{m:02}", fmt_year(add_years(a.at.year, n)?)),
                    how,
                );
            }
            let y = match (n.signum(), a.at.month) {
                (0, _) => a.at.year,
                (-1, Some(am)) => a.at.year - i32::from(m >= am),
                (1, Some(am)) => a.at.year + i32::from(m <= am),
                _ => return fallback(),
            };
            return done(format!("{}-{m:02}", fmt_year(y)), how);
        }
        if let Some(s) = e.get("season") {
            let start = match s.value() {
                "SP" => 3,
                "SU" => 6,
                "FA" => 9,
                _ => 12,
            };
            let y = match (n.signum(), a.at.month) {
                (0, _) => a.at.year,
                (-1, Some(am)) => a.at.year - i32::from(am < start + 3),
                (1, Some(am)) => a.at.year + i32::from(am >= start),
                _ => return fallback(),
            };
            return done(format!("{}-{}", fmt_year(y), s.value()), how);
        }
        let unit = e.get("unit")?.value();
        match at_unit(a.at, unit, n as i64, false) {
            Some(v) => done(v, how),
            None => fallback(),
        }
    }

    fn shift(&self, e: &Expression) -> Option<Resolved> {
        let dir = e.get("dirpre").or_else(|| e.get("dirpost"))?;
        let sign = dir.num()? as i64;
        let unit = e.get("unit")?.value();
        let Some(a) = self.anchor(dir.extra()) else {
            return Some(Resolved {
                value: vague_ref(sign as i32).into(),
                modifier: modifier_of(e),
                anchoring: Anchoring::Unanchored,
            });
        };
        let n = match e.get("num") {
            Some(n) => n.num()?,
            None => {
                return Some(Resolved {
                    value: vague_ref(sign as i32).into(),
                    modifier: None,
                    anchoring: Anchoring::Absolute,
                })
            }
        };
        // Half units move by the next smaller one ("vor einem halben Jahr" = six months).
        let (unit, n) = if n.fract() != 0.0 {
            match unit {
                "Y" => ("M", n * 12.0),
                "M" => ("D", n * 30.0),
                "W" => ("D", n * 7.0),
                "DE" => ("Y", n * 10.0),
                _ => return None,
            }
        } else {
            (unit, n)
        };
        if n.fract() != 0.0 || n > 10_000.0 || unit.starts_with('T') {
            return None;
        }
        let keep_day = dir.extra() == "anaphoric";
        let value = at_unit(a.at, unit, sign * n as i64, keep_day)?;
        Some(Resolved {
            value,
            modifier: modifier_of(e),
            anchoring: a.how,
        })
    }
}

/// The modifier an expression's words carry: a part of a period, else an approximation.
fn modifier_of(e: &Expression) -> Option<String> {
    let m = e
        .get("part")
        .map(Field::value)
        .filter(|v| !v.is_empty())
        .or_else(|| e.get("quant").map(Field::value))
        .or_else(|| e.get("approx").map(Field::value))?;
    Some(m.to_string())
}

fn vague_ref(dir: i32) -> &'static str {
    match dir.signum() {
        -1 => "PAST_REF",
        1 => "FUTURE_REF",
        _ => "PRESENT_REF",
    }
}

/// The period `n` units away from `at`, at the precision of the unit — or, for anaphoric
/// shifts ("zwei Wochen später"), at the anchor's own precision where that is finer.
fn at_unit(at: Mentioned, unit: &str, n: i64, keep_day: bool) -> Option<String> {
    let date = at.date();
    match unit {
        "D" => Some(date?.checked_add(n.days()).ok()?.to_string()),
        "W" | "WE" => {
            let d = date?.checked_add((7 * n).days()).ok()?;
            if keep_day && unit == "W" {
                return Some(d.to_string());
            }
            let w = d.iso_week_date();
            let week = format!("{:04}-W{:02}", w.year(), w.week());
            Some(if unit == "WE" { week + "-WE" } else { week })
        }
        "M" => {
            let m = at.month?;
            let total = i64::from(at.year) * 12 + i64::from(m - 1) + n;
            let (y, m) = (total.div_euclid(12) as i32, total.rem_euclid(12) + 1);
            if keep_day {
                if let Some(d) = date {
                    return Some(d.checked_add(n.months()).ok()?.to_string());
                }
            }
            Some(format!("{}-{m:02}", fmt_year(y)))
        }
        "Q" => {
            let q = i64::from(at.month? - 1) / 3;
            let total = i64::from(at.year) * 4 + q + n;
            Some(format!(
                "{}-Q{}",
                fmt_year(total.div_euclid(4) as i32),
                total.rem_euclid(4) + 1
            ))
        }
        "Y" => {
            let y = add_years(at.year, i32::try_from(n).ok()?)?;
            if keep_day {
                if let (Some(m), Some(d)) = (at.month, at.day) {
                    return Some(format!("{}-{m:02}-{d:02}", fmt_year(y)));
                }
            }
            Some(fmt_year(y))
        }
        "DE" => Some(format!(
            "{:03}",
            add_years(at.year, i32::try_from(10 * n).ok()?)? / 10
        )),
        "CE" => Some(format!(
            "{:02}",
            add_years(at.year, i32::try_from(100 * n).ok()?)? / 100
        )),
        _ => None,
    }
}

fn duration_of(e: &Expression) -> Option<Resolved> {
    let value = if let Some(w) = e.get("vaguedur") {
        w.value().to_string()
    } else {
        let unit = e
            .get("unit")
            .or_else(|| e.get("units"))
            .or_else(|| e.get("unitadj"))?
            .value();
        let n = match e.get("num") {
            Some(n) => Some(n.num()?),
            None => None,
        };
        let mut parts = vec![(n, unit)];
        if let (Some(n2), Some(u2)) = (e.get("num2"), e.get("unit2")) {
            parts.push((Some(n2.num()?), u2.value()));
        }
        duration_value(&parts)?
    };
    Some(Resolved {
        value,
        modifier: modifier_of(e),
        anchoring: Anchoring::Absolute,
    })
}

/// ISO 8601 duration of amounts of units; an unknown amount is `X`, half units go down
/// one unit ("anderthalb Jahre" = P1Y6M).
fn duration_value(parts: &[(Option<f64>, &str)]) -> Option<String> {
    let mut date = String::new();
    let mut time = String::new();
    let mut push = |amount: String, unit: &str| match unit.strip_prefix('T') {
        Some(u) => time.push_str(&format!("{amount}{u}")),
        None => date.push_str(&format!("{amount}{unit}")),
    };
    for &(n, unit) in parts {
        let unit = if unit == "Q" { "M" } else { unit };
        let Some(n) = n else {
            push("X".into(), unit);
            continue;
        };
        let n = if parts.len() == 1 && unit == "M" && n == 0.0 {
            return None;
        } else {
            n
        };
        let (whole, half) = (n.trunc(), n.fract());
        if !(0.0..100_000.0).contains(&n) {
            return None;
        }
        if whole > 0.0 {
            push(format!("{}", whole as u64), unit);
        }
        if half != 0.0 {
            let (sub, k) = match unit {
                "Y" => ("M", 12.0),
                "DE" => ("Y", 10.0),
                "CE" => ("DE", 10.0),
                "M" => ("W", 4.0),
                "W" => ("D", 7.0),
                "D" => ("TH", 24.0),
                "TH" => ("TM", 60.0),
                "TM" => ("TS", 60.0),
                _ => return None,
            };
            push(format!("{}", (half * k).round() as u64), sub);
        }
    }
    if date.is_empty() && time.is_empty() {
        return None;
    }
    Some(if time.is_empty() {
        format!("P{date}")
    } else {
        format!("P{date}T{time}")
    })
}

fn set_of(e: &Expression) -> Option<Resolved> {
    let value = if let Some(w) = e.get("weekday").or_else(|| e.get("weekdays")) {
        format!("XXXX-WXX-{}", w.value())
    } else if let Some(s) = e.get("setword") {
        s.value().to_string()
    } else {
        duration_value(&[(Some(1.0), e.get("unit")?.value())])?
    };
    Some(Resolved {
        value,
        modifier: None,
        anchoring: Anchoring::Absolute,
    })
}

/// The nearest `weekday` (1 = Monday) before (`dir` < 0) or after the anchor; the anchor
/// itself counts when `inclusive`.
fn weekday_near(anchor: Date, weekday: i8, dir: i32, inclusive: bool) -> Option<Date> {
    let start = if inclusive { 0 } else { 1 };
    (start..start + 7).find_map(|k: i64| {
        let d = anchor
            .checked_add((k * i64::from(dir.signum())).days())
            .ok()?;
        (d.weekday().to_monday_one_offset() == weekday).then_some(d)
    })
}

/// Easter Sunday of a Gregorian year (the anonymous Gregorian computus).
fn easter(year: i32) -> Option<Date> {
    if year < 1583 {
        return None;
    }
    let (a, b, c) = (year % 19, year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let g = (8 * b + 13) / 25;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 19 * l) / 433;
    let month = (h + l - 7 * m + 90) / 25;
    let day = (h + l - 7 * m + 33 * month + 19) % 32;
    Date::new(year as i16, month as i8, day as i8).ok()
}

fn fmt_year(y: i32) -> String {
    if y < 0 {
        format!("BC{:04}", -y)
    } else {
        format!("{y:04}")
    }
}

/// Years with no year 0 between 1 BC (-1) and AD 1.
fn add_years(y: i32, n: i32) -> Option<i32> {
    let astro = i32::from(to_astro(y)?) + n;
    let y = if astro <= 0 { astro - 1 } else { astro };
    (-9999..=9999).contains(&y).then_some(y)
}

fn to_astro(y: i32) -> Option<i16> {
    let a = if y < 0 { y + 1 } else { y };
    i16::try_from(a).ok().filter(|a| (-9999..=9999).contains(a))
}

fn from_astro(a: i16) -> i32 {
    let a = i32::from(a);
    if a <= 0 {
        a - 1
    } else {
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_values_back() {
        assert_eq!(
            Mentioned::parse("1941-06-22TMO"),
            Some(Mentioned {
                year: 1941,
                month: Some(6),
                day: Some(22)
            })
        );
        assert_eq!(Mentioned::parse("BC0478").map(|m| m.year), Some(-478));
        assert_eq!(Mentioned::parse("1940-SU").map(|m| m.month), Some(None));
        assert_eq!(Mentioned::parse("XXXX-09-22"), None);
        assert_eq!(Mentioned::parse("199"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(
            duration_value(&[(Some(1.5), "Y")]).as_deref(),
            Some("P1Y6M")
        );
        assert_eq!(
            duration_value(&[(Some(2.0), "TH")]).as_deref(),
            Some("PT2H")
        );
        assert_eq!(duration_value(&[(None, "D")]).as_deref(), Some("PXD"));
        assert_eq!(
            duration_value(&[(Some(0.5), "CE")]).as_deref(),
            Some("P5DE")
        );
    }

    #[test]
    fn easter_dates() {
        assert_eq!(easter(2024), Some(jiff::civil::date(2024, 3, 31)));
        assert_eq!(easter(2025), Some(jiff::civil::date(2025, 4, 20)));
        assert_eq!(easter(1000), None);
    }

    #[test]
    fn years_skip_zero() {
        assert_eq!(add_years(-1, 1), Some(1));
        assert_eq!(add_years(2, -2), Some(-1));
        assert_eq!(fmt_year(-478), "BC0478");
    }

    #[test]
    fn weekdays_resolve_backwards_and_forwards() {
        let fri = jiff::civil::date(2023, 9, 22);
        assert_eq!(
            weekday_near(fri, 6, -1, true),
            Some(jiff::civil::date(2023, 9, 16))
        );
        assert_eq!(
            weekday_near(fri, 6, 1, true),
            Some(jiff::civil::date(2023, 9, 23))
        );
        assert_eq!(
            weekday_near(fri, 5, -1, false),
            Some(jiff::civil::date(2023, 9, 15))
        );
    }
}
