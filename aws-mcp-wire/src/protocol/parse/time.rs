//! Timestamps as botocore's `parse_timestamp` reads them: a number (epoch
//! seconds), ISO 8601 (`2014-04-29T18:30:38Z`, fractions and offsets
//! allowed), or an HTTP date (`Tue, 29 Apr 2014 18:30:38 GMT`, RFC 850 and
//! asctime forms too); to epoch seconds, or to Python's `isoformat()` of the
//! parsed `datetime` (what the CLI prints with `cli_timestamp_format =
//! iso8601`). Python gives epoch numbers the machine's local zone; here
//! that is UTC. Fractions keep microseconds, truncated as dateutil does.

use crate::protocol::calendar::{civil_from_days, days_from_civil};

/// A parsed timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// Whole seconds since the epoch (UTC).
    secs: i64,
    /// Microseconds past `secs`.
    micros: u32,
    /// The written UTC offset in seconds; `None` for a time without one
    /// (a naive `datetime`).
    offset: Option<i64>,
    /// Read from an epoch number (no zone of its own).
    epoch: bool,
}

impl Stamp {
    /// Whether it was an epoch number (whose zone is the reader's to choose).
    pub(crate) fn is_epoch(&self) -> bool {
        self.epoch
    }

    /// Whole seconds since the epoch.
    pub(crate) fn secs(&self) -> i64 {
        self.secs
    }

    /// The same instant shown at UTC offset `offset` (seconds).
    pub(crate) fn with_offset(self, offset: i64) -> Stamp {
        Stamp {
            offset: Some(offset),
            ..self
        }
    }

    /// Seconds since the epoch (a time without offset taken as UTC).
    pub(crate) fn epoch(&self) -> f64 {
        self.secs as f64 + f64::from(self.micros) / 1e6
    }

    /// Python's `datetime.isoformat()`.
    pub(crate) fn isoformat(&self) -> String {
        let off = self.offset.unwrap_or(0);
        let local = self.secs + off;
        let (days, rem) = (local.div_euclid(86_400), local.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        let mut out = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        );
        if self.micros != 0 {
            out.push_str(&format!(".{:06}", self.micros));
        }
        if let Some(o) = self.offset {
            let sign = if o < 0 { '-' } else { '+' };
            let o = o.abs();
            out.push_str(&format!("{sign}{:02}:{:02}", o / 3600, o % 3600 / 60));
        }
        out
    }
}

/// A timestamp from epoch seconds.
pub(crate) fn from_epoch(f: f64) -> Option<Stamp> {
    if !f.is_finite() || f.abs() > 1e14 {
        return None;
    }
    let secs = f.floor();
    let mut micros = ((f - secs) * 1e6).round() as i64;
    let mut secs = secs as i64;
    if micros >= 1_000_000 {
        secs += 1;
        micros -= 1_000_000;
    }
    Some(Stamp {
        secs,
        micros: micros as u32,
        offset: Some(0),
        epoch: true,
    })
}

/// Parse a timestamp's text.
pub(crate) fn parse(s: &str) -> Option<Stamp> {
    let s = s.trim();
    if let Ok(f) = s.parse::<f64>() {
        return from_epoch(f);
    }
    iso8601(s).or_else(|| http_date(s))
}

/// Microseconds since the epoch, or `None` when `s` is no timestamp.
pub(crate) fn parse_epoch_us(s: &str) -> Option<i64> {
    parse(s).map(|t| t.secs * 1_000_000 + i64::from(t.micros))
}

/// Seconds since the epoch, or `None` when `s` is no timestamp.
pub(crate) fn parse_timestamp(s: &str) -> Option<f64> {
    parse(s).map(|t| t.epoch())
}

fn stamp(
    y: i64,
    mo: u32,
    d: u32,
    (h, mi, sec, micros): Clock,
    offset: Option<i64>,
) -> Option<Stamp> {
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 24 || mi > 59 || sec > 60 {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    Some(Stamp {
        secs: days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(sec)
            - offset.unwrap_or(0),
        micros,
        offset,
        epoch: false,
    })
}

/// Hours, minutes, seconds, microseconds.
type Clock = (u32, u32, u32, u32);

fn num(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `Z`, `UTC`, `GMT`, `+01:00`, `-0100` or `+01`: the offset in seconds.
fn offset(tz: &str) -> Option<i64> {
    let tz = tz.trim();
    if tz.eq_ignore_ascii_case("z")
        || tz.eq_ignore_ascii_case("utc")
        || tz.eq_ignore_ascii_case("gmt")
    {
        return Some(0);
    }
    let (sign, rest) = match *tz.as_bytes().first()? {
        b'+' => (1, &tz[1..]),
        b'-' => (-1, &tz[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (num(&digits)?, 0),
        4 => (num(&digits[..2])?, num(&digits[2..])?),
        _ => return None,
    };
    Some(sign * i64::from(h * 3600 + m * 60))
}

/// `HH:MM[:SS[.frac]]`.
fn clock(t: &str) -> Option<Clock> {
    let mut parts = t.split(':');
    let h = num(parts.next()?)?;
    let m = num(parts.next()?)?;
    let (s, micros) = match parts.next() {
        None => (0, 0),
        Some(s) => {
            let (whole, frac) = s.split_once(['.', ',']).unwrap_or((s, ""));
            let whole = num(whole)?;
            if frac.is_empty() {
                (whole, 0)
            } else {
                num(frac)?;
                let six: String = frac.chars().chain(std::iter::repeat('0')).take(6).collect();
                (whole, num(&six)?)
            }
        }
    };
    if parts.next().is_some() {
        return None;
    }
    Some((h, m, s, micros))
}

fn iso8601(s: &str) -> Option<Stamp> {
    let (date, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let mut dp = date.split('-');
    let y = num(dp.next()?)?;
    let mo = num(dp.next()?)?;
    let d = num(dp.next()?)?;
    if dp.next().is_some() || date.len() != 10 {
        return None;
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return stamp(i64::from(y), mo, d, (0, 0, 0, 0), None);
    }
    let tz_at = rest
        .char_indices()
        .find(|(_, c)| matches!(c, '+' | '-' | ' ') || c.is_ascii_alphabetic())
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let time = clock(rest[..tz_at].trim())?;
    let tz = rest[tz_at..].trim();
    let off = if tz.is_empty() {
        None
    } else {
        Some(offset(tz)?)
    };
    stamp(i64::from(y), mo, d, time, off)
}

fn month(s: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let l = s.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| l.len() >= 3 && l.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// RFC 1123 (`Tue, 29 Apr 2014 18:30:38 GMT`), RFC 850
/// (`Tuesday, 29-Apr-14 18:30:38 GMT`) and asctime (`Tue Apr 29 18:30:38 2014`).
fn http_date(s: &str) -> Option<Stamp> {
    let tokens: Vec<&str> = s
        .split([' ', ','])
        .flat_map(|t| {
            if t.contains(':') {
                vec![t]
            } else {
                t.split('-').collect()
            }
        })
        .filter(|t| !t.is_empty())
        .collect();
    let (mut day, mut mon, mut year, mut time, mut tz) = (None, None, None, None, None);
    for t in tokens {
        if t.contains(':') && time.is_none() {
            time = Some(clock(t)?);
        } else if let Some(n) = num(t) {
            if day.is_none() && t.len() <= 2 {
                day = Some(n);
            } else if year.is_none() {
                year = Some(if t.len() == 2 {
                    i64::from(n) + if n < 70 { 2000 } else { 1900 }
                } else {
                    i64::from(n)
                });
            } else {
                return None;
            }
        } else if let Some(m) = month(t).filter(|_| mon.is_none()) {
            mon = Some(m);
        } else if t.starts_with(['+', '-'])
            || t.eq_ignore_ascii_case("gmt")
            || t.eq_ignore_ascii_case("utc")
            || t.eq_ignore_ascii_case("z")
        {
            tz = Some(offset(t)?);
        } else if !t.chars().all(|c| c.is_ascii_alphabetic()) {
            return None;
        }
    }
    stamp(year?, mon?, day?, time.unwrap_or((0, 0, 0, 0)), tz)
}

#[cfg(test)]
mod tests {
    use super::{from_epoch, parse, parse_timestamp};

    #[test]
    fn formats() {
        let want = Some(1398796238.0);
        assert_eq!(parse_timestamp("2014-04-29T18:30:38Z"), want);
        assert_eq!(parse_timestamp("2014-04-29T18:30:38+00:00"), want);
        assert_eq!(parse_timestamp("2014-04-29T19:30:38+01:00"), want);
        assert_eq!(parse_timestamp("2014-04-29T17:30:38-0100"), want);
        assert_eq!(parse_timestamp("2014-04-29T18:30:38"), want);
        assert_eq!(parse_timestamp("Tue, 29 Apr 2014 18:30:38 GMT"), want);
        assert_eq!(parse_timestamp("Tuesday, 29-Apr-14 18:30:38 GMT"), want);
        assert_eq!(parse_timestamp("Tue Apr 29 18:30:38 2014"), want);
        assert_eq!(parse_timestamp("1398796238"), want);
        assert_eq!(
            parse_timestamp("2014-04-29T18:30:38.123Z"),
            Some(1398796238.123)
        );
        assert_eq!(parse_timestamp("1969-12-31T23:59:59Z"), Some(-1.0));
        assert_eq!(parse_timestamp("2000-02-29T00:00:00Z"), Some(951782400.0));
        assert_eq!(parse_timestamp("not a date"), None);
        assert_eq!(parse_timestamp("2014-13-29T18:30:38Z"), None);
        assert_eq!(parse_timestamp(""), None);
        assert_eq!(parse_timestamp("2024-01-02T03:04:05+ü1"), None);
        assert_eq!(parse_timestamp("2024-01-02T03:04:05+"), None);
    }

    /// Python's `botocore.utils.parse_timestamp(v).isoformat()` with TZ=UTC.
    #[test]
    fn isoformat_like_python() {
        let iso = |s: &str| parse(s).unwrap().isoformat();
        assert_eq!(iso("2024-01-02T03:04:05Z"), "2024-01-02T03:04:05+00:00");
        assert_eq!(
            iso("2024-01-02T03:04:05.1234567Z"),
            "2024-01-02T03:04:05.123456+00:00"
        );
        assert_eq!(
            iso("2024-01-02T03:04:05+01:00"),
            "2024-01-02T03:04:05+01:00"
        );
        assert_eq!(iso("2024-01-02T03:04:05"), "2024-01-02T03:04:05");
        assert_eq!(
            iso("Tue, 02 Jan 2024 03:04:05 GMT"),
            "2024-01-02T03:04:05+00:00"
        );
        assert_eq!(iso("2024-01-02T03:04:05.000Z"), "2024-01-02T03:04:05+00:00");
        assert_eq!(iso("1704067200"), "2024-01-01T00:00:00+00:00");
        assert_eq!(iso("2024-01-02T03:04:05-0130"), "2024-01-02T03:04:05-01:30");
        assert_eq!(iso("2024-01-02T03:04:05 UTC"), "2024-01-02T03:04:05+00:00");
        let num = |f: f64| from_epoch(f).unwrap().isoformat();
        assert_eq!(num(1704067200.5), "2024-01-01T00:00:00.500000+00:00");
        assert_eq!(num(1.7040672E9), "2024-01-01T00:00:00+00:00");
        assert_eq!(num(1704067200.0000005), "2024-01-01T00:00:00+00:00");
        assert_eq!(num(-1.5), "1969-12-31T23:59:58.500000+00:00");
        assert_eq!(iso("2000-02-29T23:59:59Z"), "2000-02-29T23:59:59+00:00");
        // Python's fromtimestamp(v, tzlocal()) with TZ=America/New_York.
        let local = |f: f64, off: i64| from_epoch(f).unwrap().with_offset(off).isoformat();
        assert_eq!(
            local(1704067200.5, -5 * 3600),
            "2023-12-31T19:00:00.500000-05:00"
        );
        assert_eq!(local(1720000000.0, -4 * 3600), "2024-07-03T05:46:40-04:00");
        assert_eq!(
            local(1720000000.0, 5 * 3600 + 1800),
            "2024-07-03T15:16:40+05:30"
        );
        assert!(from_epoch(1.0).unwrap().is_epoch() && !parse("2024-01-02").unwrap().is_epoch());
    }
}
