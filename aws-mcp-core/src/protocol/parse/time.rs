//! Timestamps to seconds since the epoch, as botocore's `parse_timestamp`
//! reads them: a number (epoch seconds), ISO 8601 (`2014-04-29T18:30:38Z`,
//! fractions and offsets allowed, no offset meaning UTC), or an HTTP date
//! (`Tue, 29 Apr 2014 18:30:38 GMT`, RFC 850 and asctime forms too).

/// Seconds since the epoch, or `None` when `s` is no timestamp.
pub(crate) fn parse_timestamp(s: &str) -> Option<f64> {
    let s = s.trim();
    if let Ok(f) = s.parse::<f64>() {
        return f.is_finite().then_some(f);
    }
    iso8601(s).or_else(|| http_date(s))
}

/// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn epoch(y: i64, mo: u32, d: u32, h: u32, mi: u32, sec: f64, offset_secs: i64) -> Option<f64> {
    if !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
        || h > 24
        || mi > 59
        || !(0.0..61.0).contains(&sec)
    {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    Some((days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 - offset_secs) as f64 + sec)
}

fn num(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `Z`, `UTC`, `GMT`, `+01:00`, `-0100`, `+01`, or empty: the offset in seconds.
fn offset(tz: &str) -> Option<i64> {
    let tz = tz.trim();
    if tz.is_empty()
        || tz.eq_ignore_ascii_case("z")
        || tz.eq_ignore_ascii_case("utc")
        || tz.eq_ignore_ascii_case("gmt")
    {
        return Some(0);
    }
    let (sign, rest) = match tz.as_bytes()[0] {
        b'+' => (1, &tz[1..]),
        b'-' => (-1, &tz[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    let (h, m) = match digits.len() {
        2 => (num(&digits)?, 0),
        4 => (num(&digits[..2])?, num(&digits[2..])?),
        _ => return None,
    };
    Some(sign * i64::from(h * 3600 + m * 60))
}

/// `HH:MM[:SS[.frac]]`.
fn clock(t: &str) -> Option<(u32, u32, f64)> {
    let mut parts = t.split(':');
    let h = num(parts.next()?)?;
    let m = num(parts.next()?)?;
    let s = match parts.next() {
        None => 0.0,
        Some(s) => {
            let (whole, frac) = s.split_once(['.', ',']).unwrap_or((s, ""));
            let whole = f64::from(num(whole)?);
            if frac.is_empty() {
                whole
            } else {
                num(frac)?;
                whole + format!("0.{frac}").parse::<f64>().ok()?
            }
        }
    };
    if parts.next().is_some() {
        return None;
    }
    Some((h, m, s))
}

fn iso8601(s: &str) -> Option<f64> {
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
        return epoch(i64::from(y), mo, d, 0, 0, 0.0, 0);
    }
    let tz_at = rest
        .char_indices()
        .find(|(_, c)| matches!(c, 'Z' | 'z' | '+' | '-'))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let (h, mi, sec) = clock(rest[..tz_at].trim())?;
    let off = offset(&rest[tz_at..])?;
    epoch(i64::from(y), mo, d, h, mi, sec, off)
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
fn http_date(s: &str) -> Option<f64> {
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
    let (mut day, mut mon, mut year, mut time, mut tz) = (None, None, None, None, 0i64);
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
            tz = offset(t)?;
        } else if !t.chars().all(|c| c.is_ascii_alphabetic()) {
            return None;
        }
    }
    let (h, mi, sec) = time.unwrap_or((0, 0, 0.0));
    epoch(year?, mon?, day?, h, mi, sec, tz)
}

#[cfg(test)]
mod tests {
    use super::parse_timestamp;

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
    }
}
