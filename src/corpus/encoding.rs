//! A file's bytes become text whatever encoding it was saved in: UTF-8 as it
//! is, UTF-16 or UTF-8 by its byte order mark, a page by the charset its
//! `<meta>` declares, and anything else (Windows-1252, Latin-1, Shift_JIS,
//! KOI8-R, …) by what the bytes look like (chardetng). Quotes are spans of
//! the decoded text, and every encoding maps a line break to a line break,
//! so the text keeps the file's lines.

use std::borrow::Cow;
use std::fmt;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8};
use serde::{Deserialize, Serialize};

use super::SkipReason;
use super::formats::html;

/// How far into a file a NUL byte (a NUL character in UTF-16) marks it as binary.
const BINARY_SNIFF: usize = 8192;

/// How much of a page is read for its `<meta>` charset, as the HTML
/// Standard's prescan reads.
const DECLARATION_SNIFF: usize = 1024;

/// How a file that is not plain UTF-8 was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decoding {
    /// The encoding's name in the Encoding Standard: `windows-1252`,
    /// `UTF-16LE`, `Shift_JIS` (Latin-1 is read as its superset windows-1252).
    pub encoding: String,
    /// What chose it.
    pub by: DecodedBy,
    /// Some bytes were not valid in it and read as U+FFFD (�).
    pub replaced: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecodedBy {
    ByteOrderMark,
    /// The page's `<meta charset>` or `http-equiv` Content-Type.
    Declared,
    /// chardetng's guess from the bytes.
    Detected,
}

impl Decoding {
    fn new(encoding: &'static Encoding, by: DecodedBy, replaced: bool) -> Decoding {
        Decoding {
            encoding: encoding.name().to_string(),
            by,
            replaced,
        }
    }
}

impl fmt::Display for Decoding {
    /// `windows-1252 (detected)`, `UTF-16LE (byte order mark)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let by = match self.by {
            DecodedBy::ByteOrderMark => "byte order mark",
            DecodedBy::Declared => "declared in the page",
            DecodedBy::Detected => "detected",
        };
        write!(f, "{} ({by}", self.encoding)?;
        if self.replaced {
            write!(f, "; unreadable bytes shown as �")?;
        }
        write!(f, ")")
    }
}

/// A file's text, and how it was decoded when it was not plain UTF-8.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub decoding: Option<Decoding>,
}

/// Decodes a file's bytes (`html` when it is a page, which may declare its
/// charset). A NUL byte near the start marks a binary file.
pub fn decode(bytes: &[u8], html: bool) -> Result<Decoded<'_>, SkipReason> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, replaced) = encoding.decode_without_bom_handling(&bytes[bom..]);
        // UTF-16 has NUL bytes in every ASCII character: look at its characters.
        if text.chars().take(BINARY_SNIFF).any(|c| c == '\0') {
            return Err(SkipReason::Binary);
        }
        let plain = encoding == UTF_8 && !replaced;
        let decoding =
            (!plain).then(|| Decoding::new(encoding, DecodedBy::ByteOrderMark, replaced));
        return Ok(Decoded { text, decoding });
    }
    if bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
        return Err(SkipReason::Binary);
    }
    // Valid UTF-8 stays UTF-8 even where a page declares another charset:
    // legacy text that happens to be valid UTF-8 is next to impossible, a
    // stale declaration is common.
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: Cow::Borrowed(text),
            decoding: None,
        });
    }
    // A declaration is believed unless the bytes break its rules; one
    // saying UTF-8 is already proven wrong here.
    let declared = html
        .then(|| declared_encoding(bytes))
        .flatten()
        .filter(|&encoding| encoding != UTF_8)
        .and_then(|encoding| {
            let text = encoding.decode_without_bom_handling_and_without_replacement(bytes)?;
            Some(Decoded {
                text,
                decoding: Some(Decoding::new(encoding, DecodedBy::Declared, false)),
            })
        });
    if let Some(decoded) = declared {
        return Ok(decoded);
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, Utf8Detection::Deny);
    let (text, replaced) = encoding.decode_without_bom_handling(bytes);
    Ok(Decoded {
        text,
        decoding: Some(Decoding::new(encoding, DecodedBy::Detected, replaced)),
    })
}

/// The encoding a page's `<meta>` names, as browsers read it: a UTF-16
/// label on a page without a byte order mark means UTF-8, an unknown label
/// nothing.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(DECLARATION_SNIFF)];
    // Any ASCII-compatible reading finds an ASCII `<meta>`; windows-1252 maps every byte.
    let (head, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(head);
    let label = html::declared_charset(&head)?;
    Encoding::for_label(label.as_bytes()).map(Encoding::output_encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8], html: bool) -> (String, Option<Decoding>) {
        let decoded = decode(bytes, html).expect("decoded");
        (decoded.text.into_owned(), decoded.decoding)
    }

    fn detected(encoding: &str) -> Option<Decoding> {
        Some(Decoding {
            encoding: encoding.to_string(),
            by: DecodedBy::Detected,
            replaced: false,
        })
    }

    #[test]
    fn utf8_is_read_as_it_is() {
        let text = "Café “crème” — 日本\n";
        let as_is = decode(text.as_bytes(), false).expect("decoded");
        assert!(matches!(as_is.text, Cow::Borrowed(t) if t == text));
        assert_eq!(as_is.decoding, None);
        // A page that claims Latin-1 but is valid UTF-8 stays UTF-8.
        let page = "<meta charset=iso-8859-1><p>Café crème.</p>";
        assert_eq!(decoded(page.as_bytes(), true), (page.to_string(), None));
    }

    #[test]
    fn windows_1252_curly_quotes_and_accents() {
        let bytes = b"The caf\xe9 menu said \x93fresh cr\xe8me br\xfbl\xe9e\x94 \x96 \x80 4.50.\n\
                      Second line.\n";
        let (text, decoding) = decoded(bytes, false);
        assert_eq!(
            text,
            "The café menu said “fresh crème brûlée” – € 4.50.\nSecond line.\n"
        );
        assert_eq!(decoding, detected("windows-1252"));
        assert_eq!(text.lines().count(), 2, "the file's lines stay lines");
    }

    #[test]
    fn latin1_reads_as_windows_1252() {
        let bytes =
            b"Gr\xfc\xdfe aus K\xf6ln, sch\xf6ne Gr\xfc\xdfe an die Stra\xdfe \xe0 la fa\xe7on.";
        let (text, decoding) = decoded(bytes, false);
        assert_eq!(
            text,
            "Grüße aus Köln, schöne Grüße an die Straße à la façon."
        );
        assert_eq!(decoding, detected("windows-1252"));
    }

    #[test]
    fn other_legacy_encodings_are_detected() {
        for (text, name) in [
            (
                "Привет, как дела? Это пример текста на русском языке.",
                "windows-1251",
            ),
            ("東京は日本の首都です。人口はとても多いです。", "Shift_JIS"),
        ] {
            let encoding = Encoding::for_label(name.as_bytes()).expect("known");
            let (bytes, _, _) = encoding.encode(text);
            assert_eq!(
                decoded(&bytes, false),
                (text.to_string(), detected(name)),
                "{name}"
            );
        }
    }

    #[test]
    fn utf16_by_its_byte_order_mark() {
        let text = "Caf\u{e9} \u{201c}cr\u{e8}me\u{201d}\nline two\n";
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for (bytes, name) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
            assert_eq!(
                decoded(&bytes, false),
                (
                    text.to_string(),
                    Some(Decoding {
                        encoding: name.to_string(),
                        by: DecodedBy::ByteOrderMark,
                        replaced: false,
                    })
                )
            );
        }
    }

    #[test]
    fn a_utf8_byte_order_mark_is_dropped() {
        assert_eq!(
            decoded("\u{feff}Caf\u{e9}.".as_bytes(), false),
            ("Caf\u{e9}.".to_string(), None)
        );
        let (text, decoding) = decoded(b"\xef\xbb\xbfCaf\xe9.", false);
        assert_eq!(text, "Caf\u{fffd}.");
        assert_eq!(
            decoding.expect("reported").to_string(),
            "UTF-8 (byte order mark; unreadable bytes shown as �)"
        );
    }

    #[test]
    fn a_page_declares_its_charset() {
        // 0xE9 is é in windows-1252 and И in KOI8-R: the declaration decides.
        let page =
            b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">\
                     </head><body><p>\xf0\xd2\xc9\xd7\xc5\xd4 \xe9</p></body></html>";
        let (text, decoding) = decoded(page, true);
        assert!(text.contains("<p>Привет И</p>"), "{text}");
        let decoding = decoding.expect("reported");
        assert_eq!(decoding.by, DecodedBy::Declared);
        assert_eq!(decoding.to_string(), "KOI8-R (declared in the page)");
        // Latin-1 is windows-1252, as in browsers.
        let (text, decoding) = decoded(b"<meta charset=\"ISO-8859-1\"><p>caf\xe9</p>", true);
        assert_eq!(text, "<meta charset=\"ISO-8859-1\"><p>café</p>");
        assert_eq!(decoding.expect("reported").encoding, "windows-1252");
        // Not a page: the same bytes are only detected.
        let (_, decoding) = decoded(page, false);
        assert_eq!(decoding.expect("reported").by, DecodedBy::Detected);
    }

    #[test]
    fn a_declaration_the_bytes_break_is_not_believed() {
        let page = b"<meta charset=utf-8><p>The caf\xe9 served cr\xe8me br\xfbl\xe9e.</p>";
        let (text, decoding) = decoded(page, true);
        assert!(text.contains("café served crème brûlée"), "{text}");
        assert_eq!(decoding, detected("windows-1252"));
        // 0x81 0x20 is no Shift_JIS character.
        let page = b"<meta charset=shift_jis><p>Caf\xe9 cr\xe8me \x81 fine.</p>";
        let (_, decoding) = decoded(page, true);
        assert_eq!(decoding.expect("reported").by, DecodedBy::Detected);
    }

    #[test]
    fn binary_files_are_refused() {
        for bytes in [
            &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..],
            b"ab\0cd",
            b"caf\xe9\0",
            b"\xff\xfeA\0\0\0B\0",
        ] {
            assert!(
                matches!(decode(bytes, false), Err(SkipReason::Binary)),
                "{bytes:?}"
            );
        }
    }
}
