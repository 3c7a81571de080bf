//! Reading a device's text export: records (a line, or more when a quoted
//! cell holds a line break), cells, headers, and the numbers, dates and
//! times in them, each error naming its line.

use std::io::{BufRead, Read};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::{error_at, Pos};
use crate::transfer::{ImportError, ImportFailure, MAX_CSV_LINE_BYTES};

/// A text export read a record at a time: one line, or more when a quoted
/// cell holds a line break. Counts lines for messages; a record longer than
/// [`MAX_CSV_LINE_BYTES`] is refused (a file of zeros is not an export).
pub(crate) struct Records<R> {
    inner: R,
    file: Option<&'static str>,
    /// The cell delimiter, to tell a quote that opens a cell from one in
    /// its text.
    delim: char,
    /// The line the next record starts on.
    next_line: u64,
    buf: Vec<u8>,
    /// Bytes read so far, for the progress bar.
    pub(crate) bytes: u64,
}

impl<R: BufRead> Records<R> {
    pub(crate) fn new(inner: R, file: Option<&'static str>, delim: char) -> Self {
        Records {
            inner,
            file,
            delim,
            next_line: 1,
            buf: Vec::new(),
            bytes: 0,
        }
    }

    /// The first record, the header: an empty file is an error at line 1.
    pub(crate) fn header(&mut self) -> Result<(Pos, String), ImportFailure> {
        let at = Pos {
            file: self.file,
            line: 1,
        };
        self.next_record()?
            .ok_or_else(|| error_at(at, "header", "the file is empty").into())
    }

    /// The next record, without its line break (and without a UTF-8 byte
    /// order mark on the first), and where it starts; `None` at the end.
    /// Bytes that are not UTF-8 become U+FFFD: only dates and numbers are
    /// read, and a note in another encoding must not stop an import.
    /// A quoted cell still open at the end of the file is an error at the
    /// line of its opening quote: the rows after it are not one cell.
    pub(crate) fn next_record(&mut self) -> Result<Option<(Pos, String)>, ImportFailure> {
        let pos = Pos {
            file: self.file,
            line: self.next_line,
        };
        self.buf.clear();
        let mut quote = Quote::Start;
        // The line of the quote that opened the cell still open.
        let mut opened = pos;
        loop {
            let line = self.next_line;
            let before = self.buf.len();
            let n = (&mut self.inner)
                .take(MAX_CSV_LINE_BYTES + 1)
                .read_until(b'\n', &mut self.buf)
                .map_err(ImportFailure::Read)?;
            self.bytes += n as u64;
            if n == 0 {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                if quote == Quote::Open {
                    return Err(
                        error_at(opened, "row", "a quote opened here is never closed").into(),
                    );
                }
                break;
            }
            if self.buf.len() > MAX_CSV_LINE_BYTES as usize && opened.line < line {
                return Err(error_at(
                    opened,
                    "row",
                    format!(
                        "a quote opened here is not closed within {} MB",
                        MAX_CSV_LINE_BYTES / 1_000_000
                    ),
                )
                .into());
            }
            if self.buf.len() > MAX_CSV_LINE_BYTES as usize {
                return Err(error_at(
                    pos,
                    "row",
                    format!(
                        "longer than {} MB without a line break; this is not a device export",
                        MAX_CSV_LINE_BYTES / 1_000_000
                    ),
                )
                .into());
            }
            // Bytes of UTF-8 beyond ASCII are never a quote or a delimiter.
            for &b in &self.buf[before..] {
                let (next, _) = quote.step(char::from(b), self.delim);
                if quote == Quote::Start && next == Quote::Open {
                    opened.line = line;
                }
                // A quoted cell over several lines that "closes" on a quote
                // with text after it (the next row's first quote) was never
                // closed: the rows in it are not a note.
                if quote == Quote::Closing
                    && next == Quote::Plain
                    && !matches!(b, b'\r' | b'\n')
                    && opened.line < line
                {
                    return Err(error_at(
                        opened,
                        "row",
                        format!(
                            "a quote opened here is never closed (the quote on line {line} that would close it has text after it)"
                        ),
                    )
                    .into());
                }
                quote = next;
            }
            if self.buf[before..].ends_with(b"\n") {
                self.next_line += 1;
            }
            // A quoted cell still open goes on to the next line.
            if quote != Quote::Open {
                break;
            }
        }
        let mut s = String::from_utf8_lossy(&self.buf).into_owned();
        while s.ends_with(['\n', '\r']) {
            s.pop();
        }
        if pos.line == 1 {
            if let Some(rest) = s.strip_prefix('\u{feff}') {
                s = rest.to_string();
            }
        }
        Ok(Some((pos, s)))
    }
}

/// Where a CSV record is read to, as RFC 4180 has it: only a `"` at the
/// start of a cell opens a quoted cell (which may hold the delimiter, line
/// breaks and `""` for a quote); in an unquoted cell a `"` is text, as in a
/// comment `after 5" of snow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    /// At the start of a cell.
    Start,
    /// In a cell that did not start with a quote.
    Plain,
    /// In a quoted cell.
    Open,
    /// Just after a `"` in a quoted cell: its end, or the first of `""`.
    Closing,
}

/// What a character of a record is.
enum Char {
    Text(char),
    /// The delimiter between cells.
    Delim,
    /// A quote around a cell, not part of its text.
    Quote,
}

impl Quote {
    fn step(self, c: char, delim: char) -> (Quote, Char) {
        match (self, c) {
            (Quote::Open, '"') => (Quote::Closing, Char::Quote),
            (Quote::Open, c) => (Quote::Open, Char::Text(c)),
            (Quote::Closing, '"') => (Quote::Open, Char::Text('"')),
            (Quote::Start, '"') => (Quote::Open, Char::Quote),
            (_, c) if c == delim => (Quote::Start, Char::Delim),
            // Text after a closing quote is kept, as it is after a stray one.
            (_, c) => (Quote::Plain, Char::Text(c)),
        }
    }
}

/// Split one CSV record on `delim`, removing the quotes around cells and
/// undoubling `""` inside them (see [`Quote`]). Cells are trimmed.
pub(crate) fn split(record: &str, delim: char) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quote = Quote::Start;
    for c in record.chars() {
        let (next, what) = quote.step(c, delim);
        quote = next;
        match what {
            Char::Text(c) => cell.push(c),
            Char::Delim => cells.push(std::mem::take(&mut cell).trim().to_string()),
            Char::Quote => {}
        }
    }
    cells.push(cell.trim().to_string());
    cells
}

/// A header's cells, compared without case.
pub(crate) struct Header {
    pub(crate) cells: Vec<String>,
}

impl Header {
    pub(crate) fn new(cells: Vec<String>) -> Self {
        Header { cells }
    }

    /// The index of the column named `name` (any case).
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.cells.iter().position(|c| c.eq_ignore_ascii_case(name))
    }

    /// The index of a column that must be there.
    pub(crate) fn require(&self, pos: Pos, name: &str, device: &str) -> Result<usize, ImportError> {
        self.find(name).ok_or_else(|| {
            error_at(
                pos,
                "header",
                format!(
                    "no '{name}' column, so this is not {device} (its header is: {})",
                    self.shown()
                ),
            )
        })
    }

    fn shown(&self) -> String {
        let s = self.cells.join(",");
        let mut out: String = s.chars().take(80).collect();
        if out.len() < s.len() {
            out.push('…');
        }
        out.escape_debug().to_string()
    }
}

/// A cell of a row: empty (or `-`, Omron's placeholder) means not measured.
pub(crate) fn cell(cells: &[String], i: usize) -> Option<&str> {
    cells
        .get(i)
        .map(|c| c.trim())
        .filter(|c| !c.is_empty() && *c != "-")
}

/// A decimal number in a cell (a decimal comma is read as a point, as
/// exports from some locales write one). Anything else stops the import:
/// the column is not what the header says.
pub(crate) fn number(pos: Pos, field: &str, s: &str) -> Result<f64, ImportError> {
    let t = s.trim();
    let t = if t.contains('.') {
        t.to_string()
    } else {
        t.replacen(',', ".", 1)
    };
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(error_at(
            pos,
            field,
            format!("'{}' is not a number", s.trim().escape_debug()),
        )),
    }
}

/// A whole number in a cell (blood pressure, pulse); `72.0` is accepted.
pub(crate) fn whole(pos: Pos, field: &str, s: &str) -> Result<i64, ImportError> {
    let v = number(pos, field, s)?;
    if v.fract() != 0.0 || v.abs() > 1e9 {
        return Err(error_at(
            pos,
            field,
            format!("'{}' is not a whole number", s.trim().escape_debug()),
        ));
    }
    Ok(v as i64)
}

/// A date and time in one of `formats` (chrono syntax), or an error naming
/// the field and the expected shape.
pub(crate) fn datetime(
    pos: Pos,
    field: &str,
    s: &str,
    formats: &[&str],
    shape: &str,
) -> Result<NaiveDateTime, ImportError> {
    let t = s.trim();
    for f in formats {
        if let Ok(d) = NaiveDateTime::parse_from_str(t, f) {
            return Ok(d);
        }
    }
    Err(error_at(
        pos,
        field,
        format!("'{}' is not a date and time like {shape}", t.escape_debug()),
    ))
}

/// A date in one of `formats`.
pub(crate) fn date(
    pos: Pos,
    field: &str,
    s: &str,
    formats: &[&str],
    shape: &str,
) -> Result<NaiveDate, ImportError> {
    let t = s.trim();
    for f in formats {
        if let Ok(d) = NaiveDate::parse_from_str(t, f) {
            return Ok(d);
        }
    }
    Err(error_at(
        pos,
        field,
        format!("'{}' is not a date like {shape}", t.escape_debug()),
    ))
}

/// A clock time: `HH:MM`, `HH:MM:SS`, or `8:12 AM`.
pub(crate) fn time(pos: Pos, field: &str, s: &str) -> Result<NaiveTime, ImportError> {
    let t = s.trim();
    for f in ["%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p"] {
        if let Ok(d) = NaiveTime::parse_from_str(t, f) {
            return Ok(d);
        }
    }
    Err(error_at(
        pos,
        field,
        format!("'{}' is not a time like 08:12", t.escape_debug()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_inside_an_unquoted_cell_is_text() {
        assert_eq!(
            split(r#"2026-11-03,70.2,after 5" of snow,"x""#, ','),
            vec!["2026-11-03", "70.2", "after 5\" of snow", "x"]
        );
        assert_eq!(split(r#"a,b",c"#, ','), vec!["a", "b\"", "c"]);
        assert_eq!(split(r#""ab"c,d"#, ','), vec!["abc", "d"]);
    }

    fn records(text: &str) -> Result<Vec<(u64, String)>, String> {
        let mut r = Records::new(text.as_bytes(), None, ',');
        let mut out = Vec::new();
        loop {
            match r.next_record() {
                Ok(Some((pos, rec))) => out.push((pos.line, rec)),
                Ok(None) => return Ok(out),
                Err(e) => return Err(e.to_string()),
            }
        }
    }

    #[test]
    fn a_stray_quote_does_not_swallow_the_rows_after_it() {
        let got = records("h,n\n1,cuff 5\" lower\n2,\"a\nb\"\n3,x\n").unwrap();
        assert_eq!(
            got,
            [
                (1, "h,n".to_string()),
                (2, "1,cuff 5\" lower".to_string()),
                (3, "2,\"a\nb\"".to_string()),
                (5, "3,x".to_string()),
            ]
        );
    }

    #[test]
    fn a_quote_never_closed_is_an_error_at_its_line() {
        let e = records("h,n\n1,x\n2,\"after snow\n3,y\n4,z\n").unwrap_err();
        assert_eq!(e, "line 3: row: a quote opened here is never closed");
        // Closed only by the next row's first quote: never closed either.
        let e = records("h,n\n\"1\",\"after snow\n\"2\",y\n").unwrap_err();
        assert!(
            e.starts_with("line 2: row: a quote opened here is never closed (the quote on line 3"),
            "{e}"
        );
    }
}
