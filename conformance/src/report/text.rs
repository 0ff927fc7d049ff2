//! Escaping shared by the derived formats. Report strings come from targets (console logs,
//! exception texts, reasons) and may hold anything, including control characters.

/// A control character other than newline and tab, shown as its Unicode control picture
/// (`␛` for ESC, `␀` for NUL): visible, unambiguous, and legal in XML 1.0, which cannot carry
/// these characters at all (not even as character references).
pub fn picture(c: char) -> Option<char> {
    match c {
        '\n' | '\t' => None,
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32),
        '\x7f' => Some('\u{2421}'),
        // Not XML characters either.
        '\u{fffe}' | '\u{ffff}' => Some('\u{fffd}'),
        _ => None,
    }
}

/// Element content for XML and HTML.
pub fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // \r is legal, but a parser would turn \r\n into \n: keep it visible.
            c => out.push(picture(c).unwrap_or(c)),
        }
    }
    out
}

/// An attribute value (in double or single quotes) for XML and HTML. Newlines and tabs become
/// character references so attribute-value normalisation keeps them.
pub fn xml_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(picture(c).unwrap_or(c)),
        }
    }
    out
}

/// One line of text: line breaks and tabs become spaces, control characters pictures.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        match c {
            '\n' | '\t' => out.push(' '),
            '\r' => {}
            c => out.push(picture(c).unwrap_or(c)),
        }
    }
    out
}

/// Control characters as pictures, line structure kept (`\r\n` becomes `\n`).
pub fn visible(s: &str) -> String {
    let s = s.replace("\r\n", "\n");
    s.chars().map(|c| picture(c).unwrap_or(c)).collect()
}

/// `12.5 ms` as JUnit seconds.
pub fn seconds_ms(ms: f64) -> String {
    format!("{:.3}", ms / 1000.0)
}

/// A case duration as JUnit seconds.
pub fn seconds_ns(ns: u64) -> String {
    format!("{:.6}", ns as f64 / 1e9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            xml_text("a<b>&\"'\x1b[0m\x00\r\n"),
            "a&lt;b&gt;&amp;\"'\u{241b}[0m\u{2400}\u{240d}\n"
        );
        assert_eq!(xml_attr("\"x'\n\t<"), "&quot;x&#39;&#10;&#9;&lt;");
        assert_eq!(one_line(" a\nb\tc\r\x07 "), "a b c\u{2407}");
        assert_eq!(visible("a\r\nb\x7f"), "a\nb\u{2421}");
        assert_eq!(seconds_ms(1234.0), "1.234");
        assert_eq!(seconds_ns(12_345_678), "0.012346");
    }
}
