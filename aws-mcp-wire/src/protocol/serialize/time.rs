//! Timestamps and numbers as botocore writes them.
//!
//! * Timestamps come in as the CLI passes them to botocore: epoch seconds
//!   (a JSON number or a numeric string) or a date string (ISO 8601 with
//!   optional time and zone, or RFC 822 `Thu, 01 Jan 1970 00:00:00 GMT`);
//!   a missing zone means UTC (botocore's `parse_to_aware_datetime`).
//!   They are kept as whole seconds plus microseconds, Python's precision.
//! * They go out in the three wire formats: `iso8601`
//!   (`2015-01-25T08:00:00Z`, with `.ffffffZ` only when there are
//!   microseconds), `unixtimestamp` (an integer, or a float when there are
//!   microseconds) and `rfc822` (`Sun, 25 Jan 2015 08:00:00 GMT`, whole seconds).
//! * Floats are written as Python's `repr` does (`1.1`, `1e+16`, `1e-05`),
//!   which is what botocore puts on the wire for query strings, form bodies,
//!   headers and XML text.

use crate::protocol::calendar::{civil_from_days, days_from_civil};
use serde_json::Value;

/// A point in time: seconds since the epoch and microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Instant {
    pub secs: i64,
    pub micros: u32,
}

/// Parse a timestamp parameter, or `None` when it is not one.
pub(crate) fn parse(v: &Value) -> Option<Instant> {
    match v {
        Value::Number(n) => from_decimal(&n.to_string()),
        Value::String(s) => {
            let t = s.trim();
            from_decimal(t)
                .or_else(|| parse_iso(t))
                .or_else(|| parse_rfc822(t))
        }
        _ => None,
    }
}

/// Epoch seconds written in decimal (`1422172800`, `-1.5`, `1.4e9`), rounded
/// to microseconds.
fn from_decimal(s: &str) -> Option<Instant> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i32>().ok()?),
        None => (body, 0),
    };
    if !(-400..=400).contains(&exp) {
        return None;
    }
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    if digits.len() > 30 {
        return None;
    }
    let mut m: i128 = 0;
    for c in digits.bytes() {
        m = m * 10 + i128::from(c - b'0');
    }
    // value = m * 10^(exp - frac.len()); in microseconds: * 10^6.
    let scale = exp - frac.len() as i32 + 6;
    let micros = if scale >= 0 {
        if scale > 20 {
            return None;
        }
        m.checked_mul(10i128.pow(scale as u32))?
    } else {
        let d = 10i128.checked_pow((-scale) as u32)?;
        let (q, r) = (m / d, m % d);
        // Round half to even, as Python's fromtimestamp does.
        if r * 2 > d || (r * 2 == d && q % 2 == 1) {
            q + 1
        } else {
            q
        }
    };
    let micros = if neg { -micros } else { micros };
    let secs = i64::try_from(micros.div_euclid(1_000_000)).ok()?;
    // Python's datetime covers years 1..=9999.
    if !(-62_135_596_800..=253_402_300_799).contains(&secs) {
        return None;
    }
    Some(Instant {
        secs,
        micros: micros.rem_euclid(1_000_000) as u32,
    })
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    if !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0, |a, c| a * 10 + u32::from(c - b'0')))
}

/// ISO 8601: `YYYY-MM-DD` or `YYYYMMDD`, then optionally `T`/space and
/// `HH[:MM[:SS[.ffffff]]]` (or `HHMMSS`), then optionally `Z`, `±HH[:MM]`.
fn parse_iso(s: &str) -> Option<Instant> {
    let b = s.as_bytes();
    let (y, mo, d, mut i) = if b.get(4) == Some(&b'-') {
        if b.get(7) != Some(&b'-') {
            return None;
        }
        (digits(b, 0, 4)?, digits(b, 5, 2)?, digits(b, 8, 2)?, 10)
    } else {
        (digits(b, 0, 4)?, digits(b, 4, 2)?, digits(b, 6, 2)?, 8)
    };
    let (mut h, mut mi, mut sec, mut micros) = (0, 0, 0, 0u32);
    let mut offset: i64 = 0;
    if i < b.len() {
        if !matches!(b[i], b'T' | b't' | b' ') {
            return None;
        }
        i += 1;
        h = digits(b, i, 2)?;
        i += 2;
        let colon = b.get(i) == Some(&b':');
        let field = |i: &mut usize| -> Option<Option<u32>> {
            if colon {
                if b.get(*i) != Some(&b':') {
                    return Some(None);
                }
                *i += 1;
            } else if !b.get(*i).is_some_and(u8::is_ascii_digit) {
                return Some(None);
            }
            let v = digits(b, *i, 2)?;
            *i += 2;
            Some(Some(v))
        };
        if let Some(v) = field(&mut i)? {
            mi = v;
            if let Some(v) = field(&mut i)? {
                sec = v;
                if matches!(b.get(i), Some(b'.' | b',')) {
                    i += 1;
                    let start = i;
                    while b.get(i).is_some_and(u8::is_ascii_digit) {
                        i += 1;
                    }
                    let f = &s[start..i];
                    if f.is_empty() {
                        return None;
                    }
                    let mut f6: String = f.chars().take(6).collect();
                    while f6.len() < 6 {
                        f6.push('0');
                    }
                    micros = f6.parse().ok()?;
                }
            }
        }
        match b.get(i) {
            None => {}
            Some(b'Z' | b'z') if i + 1 == b.len() => {}
            Some(&c @ (b'+' | b'-')) => {
                let oh = digits(b, i + 1, 2)?;
                let mut j = i + 3;
                if b.get(j) == Some(&b':') {
                    j += 1;
                }
                let om = if j < b.len() { digits(b, j, 2)? } else { 0 };
                if j < b.len() && j + 2 != b.len() {
                    return None;
                }
                let o = i64::from(oh * 3600 + om * 60);
                offset = if c == b'-' { -o } else { o };
            }
            _ => return None,
        }
    }
    build(y, mo, d, h, mi, sec, micros, offset)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// RFC 822 / 1123: `[Day, ]DD Mon YYYY HH:MM:SS [GMT|UTC|Z|±HHMM]`.
fn parse_rfc822(s: &str) -> Option<Instant> {
    let s = match s.split_once(',') {
        Some((_, rest)) => rest.trim(),
        None => s,
    };
    let mut it = s.split_ascii_whitespace();
    let d: u32 = it.next()?.parse().ok()?;
    let mon = it.next()?;
    let mo = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(mon))? as u32 + 1;
    let y: u32 = it.next()?.parse().ok()?;
    let mut hms = it.next()?.split(':');
    let h: u32 = hms.next()?.parse().ok()?;
    let mi: u32 = hms.next()?.parse().ok()?;
    let sec: u32 = hms.next().map(str::parse).transpose().ok()?.unwrap_or(0);
    let offset = match it.next() {
        None => 0,
        Some(z)
            if ["GMT", "UTC", "UT", "Z"]
                .iter()
                .any(|g| g.eq_ignore_ascii_case(z)) =>
        {
            0
        }
        Some(z) if z.len() == 5 && (z.starts_with('+') || z.starts_with('-')) => {
            let b = z.as_bytes();
            let o = i64::from(digits(b, 1, 2)? * 3600 + digits(b, 3, 2)? * 60);
            if b[0] == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    if it.next().is_some() {
        return None;
    }
    build(y, mo, d, h, mi, sec, 0, offset)
}

#[allow(clippy::too_many_arguments)]
fn build(
    y: u32,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    sec: u32,
    micros: u32,
    offset: i64,
) -> Option<Instant> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mdays = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=9999).contains(&y) || !(1..=12).contains(&mo) || d == 0 || d > mdays[mo as usize - 1] {
        return None;
    }
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let days = days_from_civil(i64::from(y), mo, d);
    let secs = days * 86_400 + i64::from(h * 3600 + mi * 60 + sec) - offset;
    Some(Instant { secs, micros })
}

/// A timestamp wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Iso8601,
    UnixTimestamp,
    Rfc822,
}

impl Format {
    /// The format named by a `timestampFormat` trait (case-insensitive).
    pub fn from_name(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "iso8601" => Format::Iso8601,
            "unixtimestamp" => Format::UnixTimestamp,
            "rfc822" => Format::Rfc822,
            _ => return None,
        })
    }
}

/// A timestamp as text in the given format.
pub(crate) fn format(t: Instant, f: Format) -> String {
    let days = t.secs.div_euclid(86_400);
    let sod = t.secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s) = (sod / 3600, sod % 3600 / 60, sod % 60);
    match f {
        Format::Iso8601 if t.micros > 0 => format!(
            "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:06}Z",
            t.micros
        ),
        Format::Iso8601 => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
        Format::UnixTimestamp if t.micros > 0 => {
            // botocore: (secs * 10**6 + micros) / 10**6, a Python float.
            let f: f64 = format!("{}.{:06}", t.secs, t.micros)
                .parse()
                .unwrap_or(t.secs as f64);
            py_float(f)
        }
        Format::UnixTimestamp => t.secs.to_string(),
        Format::Rfc822 => {
            let wd = DAYS[(days + 4).rem_euclid(7) as usize];
            let mon = MONTHS[mo as usize - 1];
            format!("{wd}, {d:02} {mon} {y:04} {h:02}:{mi:02}:{s:02} GMT")
        }
    }
}

/// A float as Python's `repr` writes it (shortest round-trip digits;
/// scientific notation below 1e-4 and from 1e16).
pub(crate) fn py_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    // `{:e}` gives the shortest round-trip digits: `-1.2345e-7`.
    let e = format!("{f:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mant) = match mant.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mant),
    };
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    if (-4..16).contains(&exp) {
        let n = digits.len() as i32;
        if exp < 0 {
            format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize))
        } else if exp + 1 >= n {
            format!("{sign}{digits}{}.0", "0".repeat((exp + 1 - n) as usize))
        } else {
            let (a, b) = digits.split_at((exp + 1) as usize);
            format!("{sign}{a}.{b}")
        }
    } else {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits
        };
        let es = if exp < 0 { '-' } else { '+' };
        format!("{sign}{m}e{es}{:02}", exp.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn iso(v: Value) -> String {
        format(parse(&v).unwrap(), Format::Iso8601)
    }

    #[test]
    fn parses_epochs_and_dates() {
        assert_eq!(iso(json!(0)), "1970-01-01T00:00:00Z");
        assert_eq!(iso(json!(1422172800.123)), "2015-01-25T08:00:00.123000Z");
        assert_eq!(iso(json!("1422172800")), "2015-01-25T08:00:00Z");
        assert_eq!(iso(json!("2015-01-25")), "2015-01-25T00:00:00Z");
        assert_eq!(iso(json!("2015-01-25T08:00:00Z")), "2015-01-25T08:00:00Z");
        assert_eq!(
            iso(json!("2015-01-25T10:00:00+02:00")),
            "2015-01-25T08:00:00Z"
        );
        assert_eq!(iso(json!("2015-01-25 08:00")), "2015-01-25T08:00:00Z");
        assert_eq!(iso(json!("20150125T080000Z")), "2015-01-25T08:00:00Z");
        assert_eq!(
            iso(json!("2024-02-29T23:59:59.5Z")),
            "2024-02-29T23:59:59.500000Z"
        );
        assert_eq!(
            iso(json!("Sun, 25 Jan 2015 08:00:00 GMT")),
            "2015-01-25T08:00:00Z"
        );
        assert_eq!(iso(json!(-1.5)), "1969-12-31T23:59:58.500000Z");
        for bad in [
            json!("yesterday"),
            json!("2015-02-30"),
            json!(true),
            json!("2015-01-25T25:00"),
        ] {
            assert_eq!(parse(&bad), None, "{bad}");
        }
    }

    #[test]
    fn formats() {
        let t = parse(&json!(1422172800)).unwrap();
        assert_eq!(format(t, Format::Rfc822), "Sun, 25 Jan 2015 08:00:00 GMT");
        assert_eq!(format(t, Format::UnixTimestamp), "1422172800");
        let t = parse(&json!(1422172800.25)).unwrap();
        assert_eq!(format(t, Format::UnixTimestamp), "1422172800.25");
        assert_eq!(format(t, Format::Rfc822), "Sun, 25 Jan 2015 08:00:00 GMT");
    }

    #[test]
    fn python_float_repr() {
        for (f, s) in [
            (1.1, "1.1"),
            (1.0, "1.0"),
            (100.0, "100.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e15, "1000000000000000.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5, "-2.5"),
            (0.0, "0.0"),
            (123.456, "123.456"),
        ] {
            assert_eq!(py_float(f), s, "{f}");
        }
    }
}
