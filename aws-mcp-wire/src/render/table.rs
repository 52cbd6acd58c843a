//! `--output table`: `awscli/formatter.py`'s `TableFormatter` over
//! `awscli/table.py`'s `MultiTable`.
//!
//! Building: the result is walked into *sections* (a title, optional
//! column headers, rows, an indent level). A structure's scalar members
//! become one header row and one value row (keys sorted; a single scalar
//! member becomes a `key | value` row); each non-empty nested member opens a
//! section one level deeper, titled with its key. A list of structures
//! shares the sorted union of scalar keys as headers, one row per element,
//! and repeats the section for each element when elements have nested
//! members. A list of scalars gives one row per element.
//!
//! Rendering: the table is as wide as its widest section (column widths are
//! the widest cell plus 4, scaled to the table width with Python's
//! round-half-even and corrected one column at a time). When that is wider
//! than the terminal, single-row sections are turned into two-column
//! `header | value` sections first. Nested sections are framed with one `|`
//! per level on each side.
//!
//! Python quirks kept on purpose: a section opened with no title (a list
//! nested directly in a list) counts its title as `None`, four columns, in
//! the width; a top-level scalar prints only the title box; rows of
//! different lengths in one section, and lists mixing structures with other
//! values, make the CLI raise, which is [`RenderError::Unrenderable`] here.

use serde_json::{Map, Value};

use super::pyfmt::{py_str, text_len};
use super::{OutputFormat, RenderError};

/// A table the CLI cannot print: our `reason`, and the text of the Python
/// exception the CLI raises (`cli`).
fn unrenderable(reason: impl Into<String>, cli: impl Into<String>) -> RenderError {
    RenderError::Unrenderable {
        format: OutputFormat::Table,
        reason: reason.into(),
        cli_message: cli.into(),
        partial: String::new(),
    }
}

/// What `_group_scalar_keys` raises on an element of a list of structures
/// that is not one (`for element in current: current[element]`), or when a
/// later `.get` fails on it.
fn non_dict_element(v: &Value) -> String {
    match v {
        Value::String(s) if s.is_empty() => "'str' object has no attribute 'get'".into(),
        Value::String(_) => "string indices must be integers, not 'str'".into(),
        Value::Array(a) => match a.first() {
            None => "'list' object has no attribute 'get'".into(),
            Some(Value::Number(n)) if !n.is_f64() => "list index out of range".into(),
            Some(e) => format!(
                "list indices must be integers or slices, not {}",
                super::text::python_type(e)
            ),
        },
        other => format!(
            "'{}' object is not iterable",
            super::text::python_type(other)
        ),
    }
}

/// The CLI's table output of a (prepared) result for a terminal `width`
/// columns wide.
pub(crate) fn format_table(v: &Value, title: &str, width: usize) -> Result<String, RenderError> {
    let mut t = MultiTable::default();
    if !t.build(Some(title), v, 0)? {
        return Ok(String::new());
    }
    Ok(t.render(width as i64))
}

#[derive(Default, Clone)]
struct Section {
    /// `None` is Python's `None` title (not shown, but four columns wide).
    title: Option<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    num_cols: Option<usize>,
    max_widths: Vec<usize>,
}

impl Section {
    fn add_header(&mut self, headers: Vec<String>) -> Result<(), RenderError> {
        self.update_max_widths(&headers)?;
        if self.num_cols.is_none() {
            self.num_cols = Some(headers.len());
        }
        self.headers = headers;
        Ok(())
    }

    fn add_row(&mut self, row: Vec<String>) -> Result<(), RenderError> {
        let n = *self.num_cols.get_or_insert(row.len());
        if row.len() != n {
            return Err(unrenderable(
                format!(
                    "a table row has {} columns where its section has {n}",
                    row.len()
                ),
                format!("Row should have {n} elements, instead it has {}", row.len()),
            ));
        }
        self.update_max_widths(&row)?;
        self.rows.push(row);
        Ok(())
    }

    fn update_max_widths(&mut self, row: &[String]) -> Result<(), RenderError> {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|s| text_len(s)).collect();
            return Ok(());
        }
        if row.len() > self.max_widths.len() {
            return Err(unrenderable(
                "a table row has more columns than its section",
                "list index out of range",
            ));
        }
        for (w, s) in self.max_widths.iter_mut().zip(row) {
            *w = (*w).max(text_len(s));
        }
        Ok(())
    }

    fn title_len(&self) -> usize {
        self.title.as_deref().map(text_len).unwrap_or(4)
    }

    fn total_width(&self) -> i64 {
        let outer = self.indent as i64 * 2;
        let cols: i64 = self.max_widths.iter().map(|w| *w as i64 + 4).sum::<i64>() + 2 + outer;
        cols.max(self.title_len() as i64 + 2 + outer)
    }

    /// `Section.calculate_column_widths(padding=4, max_width)`.
    fn column_widths(&self, max_width: i64) -> Vec<i64> {
        let unscaled: Vec<i64> = self.max_widths.iter().map(|w| *w as i64 + 4).collect();
        if unscaled.is_empty() {
            return unscaled;
        }
        let total: i64 = unscaled.iter().sum();
        let scale = max_width as f64 / total as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|w| (scale * *w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by: i64 = scaled.iter().sum::<i64>() - max_width;
        let n = scaled.len();
        while off_by != 0 {
            let forward = off_by > 0;
            for j in 0..n {
                let i = if forward { j } else { n - 1 - j };
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled
    }
}

#[derive(Default)]
struct MultiTable {
    sections: Vec<Section>,
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// Sorted scalar and non-scalar keys of a structure.
fn group_scalar_keys(m: &Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let mut headers = Vec::new();
    let mut more = Vec::new();
    for (k, v) in m {
        if is_scalar(v) {
            headers.push(k.clone());
        } else {
            more.push(k.clone());
        }
    }
    headers.sort();
    more.sort();
    (headers, more)
}

impl MultiTable {
    fn current(&mut self) -> Result<&mut Section, RenderError> {
        self.sections
            .last_mut()
            .ok_or_else(|| unrenderable("a row has no section", "list index out of range"))
    }

    fn new_section(&mut self, title: Option<&str>, indent: usize) {
        self.sections.push(Section {
            title: title.map(str::to_string),
            indent,
            ..Section::default()
        });
    }

    fn build(
        &mut self,
        title: Option<&str>,
        current: &Value,
        indent: usize,
    ) -> Result<bool, RenderError> {
        if !super::python_truthy(current) {
            return Ok(false);
        }
        if let Some(t) = title {
            self.new_section(Some(t), indent);
        }
        match current {
            Value::Array(items) => {
                if items[0].is_object() {
                    self.sub_table_from_list(items, indent, title)?;
                } else {
                    for item in items {
                        match item {
                            Value::Object(m) => {
                                let keys = m.keys().cloned().collect();
                                self.current()?.add_row(keys)?;
                            }
                            Value::Array(a) if a.iter().all(is_scalar) => {
                                let row = a.iter().map(py_str).collect();
                                self.current()?.add_row(row)?;
                            }
                            Value::Array(_) => {
                                self.build(None, item, 0)?;
                            }
                            scalar => {
                                let row = vec![py_str(scalar)];
                                self.current()?.add_row(row)?;
                            }
                        }
                    }
                }
            }
            Value::Object(m) => self.sub_table_from_dict(m, indent)?,
            _ => {}
        }
        Ok(true)
    }

    fn sub_table_from_dict(
        &mut self,
        m: &Map<String, Value>,
        indent: usize,
    ) -> Result<(), RenderError> {
        let (headers, more) = group_scalar_keys(m);
        if headers.len() == 1 {
            let row = vec![headers[0].clone(), py_str(&m[&headers[0]])];
            self.current()?.add_row(row)?;
        } else if !headers.is_empty() {
            let row = headers.iter().map(|k| py_str(&m[k])).collect();
            let s = self.current()?;
            s.add_header(headers)?;
            s.add_row(row)?;
        }
        for key in more {
            self.build(Some(&key), &m[&key], indent + 1)?;
        }
        Ok(())
    }

    fn sub_table_from_list(
        &mut self,
        items: &[Value],
        indent: usize,
        title: Option<&str>,
    ) -> Result<(), RenderError> {
        let mut dicts = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::Object(m) => dicts.push(m),
                other => {
                    return Err(unrenderable(
                        "a list mixes structures with other values",
                        non_dict_element(other),
                    ))
                }
            }
        }
        let mut headers = Vec::new();
        let mut more = Vec::new();
        for m in &dicts {
            let (h, r) = group_scalar_keys(m);
            headers.extend(h);
            more.extend(r);
        }
        headers.sort();
        headers.dedup();
        more.sort();
        more.dedup();
        self.current()?.add_header(headers.clone())?;
        for (i, m) in dicts.iter().enumerate() {
            if i > 0 && !more.is_empty() {
                self.new_section(title, indent);
                self.current()?.add_header(headers.clone())?;
            }
            let row = headers
                .iter()
                .map(|h| m.get(h).map(py_str).unwrap_or_default())
                .collect();
            self.current()?.add_row(row)?;
            for key in &more {
                if let Some(v) = m.get(key) {
                    self.build(Some(key), v, indent + 1)?;
                }
            }
        }
        Ok(())
    }

    fn max_width(&self) -> i64 {
        self.sections
            .iter()
            .map(Section::total_width)
            .max()
            .unwrap_or(0)
    }

    fn render(&mut self, terminal_width: i64) -> String {
        let mut max_width = self.max_width();
        if max_width > terminal_width {
            for s in &mut self.sections {
                if s.rows.len() == 1 && !s.headers.is_empty() {
                    let mut v = Section {
                        title: s.title.clone(),
                        indent: s.indent,
                        ..Section::default()
                    };
                    for (h, e) in s.headers.iter().zip(&s.rows[0]) {
                        // Two columns each time: cannot fail.
                        let _ = v.add_row(vec![h.clone(), e.clone()]);
                    }
                    *s = v;
                }
            }
            max_width = self.max_width();
        }
        let mut out = String::new();
        push_n(&mut out, '-', max_width);
        out.push('\n');
        for s in &self.sections {
            render_section(s, max_width, &mut out);
        }
        out
    }
}

fn push_n(out: &mut String, c: char, n: i64) {
    if n > 0 {
        out.extend(std::iter::repeat_n(c, n as usize));
    }
}

/// One line through `IndentedStream`: `|` per indent level on both sides.
fn write_line(out: &mut String, indent: usize, line: &str) {
    push_n(out, '|', indent as i64);
    out.push_str(line);
    push_n(out, '|', indent as i64);
    out.push('\n');
}

fn center_text(text: &str, length: i64, left: &str, right: &str) -> String {
    let tl = text_len(text) as i64;
    let char_start = length.div_euclid(2) - tl.div_euclid(2) - 1;
    let mut out = String::from(left);
    push_n(&mut out, ' ', char_start);
    out.push_str(text);
    let so_far = left.len() as i64 + char_start + tl;
    push_n(&mut out, ' ', length - right.len() as i64 - so_far);
    out.push_str(right);
    out
}

fn align_left(text: &str, length: i64, left: &str, right: &str) -> String {
    let tl = text_len(text) as i64;
    let computed = tl + 2 + left.len() as i64 + right.len() as i64;
    let padding = if length - computed >= 0 { 2 } else { 0 };
    let mut out = String::from(left);
    push_n(&mut out, ' ', padding);
    out.push_str(text);
    let so_far = left.len() as i64 + padding + tl;
    push_n(&mut out, ' ', length - so_far - right.len() as i64);
    out.push_str(right);
    out
}

fn line_break(widths: &[i64]) -> String {
    let mut out = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            out.push('+');
            push_n(&mut out, '-', w - 2);
        } else {
            push_n(&mut out, '-', w - 1);
        }
        out.push('+');
    }
    out
}

fn render_section(s: &Section, max_width: i64, out: &mut String) {
    let mw = max_width - s.indent as i64 * 2;
    if let Some(title) = s.title.as_deref().filter(|t| !t.is_empty()) {
        write_line(out, s.indent, &center_text(title, mw, "|", "|"));
        if s.headers.is_empty() && s.rows.is_empty() {
            let mut l = String::from("+");
            push_n(&mut l, '-', mw - 2);
            l.push('+');
            write_line(out, s.indent, &l);
        }
    }
    if !s.headers.is_empty() {
        let widths = s.column_widths(mw);
        let mut line = String::new();
        for (i, (w, h)) in widths.iter().zip(&s.headers).enumerate() {
            line.push_str(&center_text(h, *w, if i == 0 { "|" } else { "" }, "|"));
        }
        write_line(out, s.indent, &line_break(&widths));
        write_line(out, s.indent, &line);
    }
    if s.rows.is_empty() {
        return;
    }
    let widths = s.column_widths(mw);
    if widths.is_empty() {
        return;
    }
    write_line(out, s.indent, &line_break(&widths));
    for row in &s.rows {
        let mut line = String::new();
        for (i, (w, e)) in widths.iter().zip(row).enumerate() {
            line.push_str(&align_left(e, *w, if i == 0 { "|" } else { "" }, "|"));
        }
        write_line(out, s.indent, &line);
    }
    write_line(out, s.indent, &line_break(&widths));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn small_table() {
        // Output of awscli 1.46.3's TableFormatter for the same data.
        let v = json!({"Buckets": [{"Name": "a", "CreationDate": "2024"}], "Owner": {"ID": "x"}});
        assert_eq!(
            format_table(&v, "ListBuckets", 80).unwrap(),
            "----------------------------\n|        ListBuckets       |\n+--------------------------+\n\
             ||         Buckets        ||\n|+---------------+--------+|\n|| CreationDate  | Name   ||\n\
             |+---------------+--------+|\n||  2024         |  a     ||\n|+---------------+--------+|\n\
             ||          Owner         ||\n|+------------+-----------+|\n||  ID        |  x        ||\n\
             |+------------+-----------+|\n"
        );
        assert_eq!(format_table(&json!({}), "Op", 80).unwrap(), "");
        assert!(format_table(&json!([{"a": 1}, 2]), "Op", 80).is_err());
    }
}
