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

/// Element content for XML and HTML: escaped by `html-escape`, control characters as pictures.
pub fn xml_text(s: &str) -> String {
    html_escape::encode_text(&pictures(s)).into_owned()
}

/// A double-quoted attribute value for XML and HTML: escaped by `html-escape`, control
/// characters as pictures; newlines and tabs become character references, so that XML's
/// attribute-value normalisation keeps them.
pub fn xml_attr(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(&pictures(s))
        .replace('\n', "&#10;")
        .replace('\t', "&#9;")
}

/// Control characters other than newline and tab as pictures (`\r` too: a parser would turn
/// `\r\n` into `\n`).
fn pictures(s: &str) -> String {
    s.chars().map(|c| picture(c).unwrap_or(c)).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            xml_text("a<b>&\"'\x1b[0m\x00\r\n"),
            "a&lt;b&gt;&amp;\"'\u{241b}[0m\u{2400}\u{240d}\n"
        );
        assert_eq!(xml_attr("\"x'\n\t<"), "&quot;x'&#10;&#9;&lt;");
        assert_eq!(one_line(" a\nb\tc\r\x07 "), "a b c\u{2407}");
        assert_eq!(visible("a\r\nb\x7f"), "a\nb\u{2421}");
    }
}
