//! Character set handling: declared charsets (HTTP header, `<meta>`, XML declaration), BOMs,
//! and detection with chardetng when nothing is declared or the declaration is wrong.

use encoding_rs::{Encoding, UTF_8};

/// Text decoded from bytes, with the encoding used and a warning when the declared charset
/// did not match the bytes.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub warning: Option<String>,
}

/// Finds `charset=NAME` in a `Content-Type` value.
pub fn charset_param(content_type: &str) -> Option<&str> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = content_type[at + 7..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| {
            c == '"'
                || c == '\''
                || c == ';'
                || c == ','
                || c.is_whitespace()
                || c == '>'
                || c == '/'
        })
        .unwrap_or(rest.len());
    let name = &rest[..end];
    (!name.is_empty()).then_some(name)
}

/// The charset declared inside the document: `<meta charset>`, `<meta http-equiv
/// content="…; charset=…">` or `<?xml … encoding="…"?>`, searched in the first 8 KiB.
pub fn declared_in_document(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(8192)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let text = String::from_utf8_lossy(&lower);
    if text.trim_start().starts_with("<?xml") {
        if let Some(end) = text.find("?>") {
            let decl = &text[..end];
            if let Some(at) = decl.find("encoding") {
                let rest = decl[at + 8..].trim_start().strip_prefix('=')?.trim_start();
                let q = rest.chars().next()?;
                let rest = &rest[1..];
                let end = rest.find(q)?;
                return Some(rest[..end].to_string());
            }
        }
    }
    let mut from = 0;
    while let Some(at) = text[from..].find("<meta") {
        let start = from + at;
        let end = text[start..].find('>').map_or(text.len(), |e| start + e);
        let tag = &text[start..end];
        if let Some(cs) = charset_param(tag) {
            return Some(cs.to_string());
        }
        from = end.max(start + 5);
        if from >= text.len() {
            break;
        }
    }
    None
}

/// Decodes `bytes`. `declared` is the charset from outside the document (HTTP header);
/// otherwise the document's own declaration is used, and detection when there is none or
/// when the declaration does not fit the bytes.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text: text.into_owned(),
            encoding: enc,
            warning: None,
        };
    }
    let declared_name = declared
        .map(str::to_string)
        .or_else(|| declared_in_document(bytes));
    let declared_enc = declared_name
        .as_deref()
        .and_then(|n| Encoding::for_label(n.trim().as_bytes()));
    let utf8_ok = std::str::from_utf8(bytes).is_ok();
    match declared_enc {
        Some(enc) if enc == UTF_8 || enc.output_encoding() == UTF_8 => {
            if utf8_ok {
                return plain(bytes, UTF_8);
            }
            let guess = detect(bytes);
            Decoded {
                warning: Some(format!(
                    "declared charset {} does not match the bytes (invalid UTF-8); decoded as {}",
                    declared_name.unwrap_or_default(),
                    guess.name()
                )),
                ..decode_with(bytes, guess)
            }
        }
        Some(enc) => {
            // A single-byte declaration over bytes that are valid non-ASCII UTF-8 is wrong.
            let non_ascii = bytes.iter().any(|&b| b >= 0x80);
            if utf8_ok && non_ascii {
                return Decoded {
                    warning: Some(format!(
                        "declared charset {} does not match the bytes (they are UTF-8); decoded as UTF-8",
                        declared_name.unwrap_or_default()
                    )),
                    ..plain(bytes, UTF_8)
                };
            }
            if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
                return Decoded {
                    text: text.into_owned(),
                    encoding: enc,
                    warning: None,
                };
            }
            let guess = detect(bytes);
            Decoded {
                warning: Some(format!(
                    "declared charset {} does not match the bytes; decoded as {}",
                    declared_name.unwrap_or_default(),
                    guess.name()
                )),
                ..decode_with(bytes, guess)
            }
        }
        None => {
            if utf8_ok {
                return plain(bytes, UTF_8);
            }
            decode_with(bytes, detect(bytes))
        }
    }
}

fn plain(bytes: &[u8], enc: &'static Encoding) -> Decoded {
    decode_with(bytes, enc)
}

fn decode_with(bytes: &[u8], enc: &'static Encoding) -> Decoded {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: enc,
        warning: None,
    }
}

/// Guesses the encoding of bytes with chardetng.
pub fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    det.guess(None, chardetng::Utf8Detection::Allow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_meta_charset() {
        assert_eq!(
            declared_in_document(b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\"/>").as_deref(),
            Some("windows-1256")
        );
        assert_eq!(
            declared_in_document(b"<meta charset='utf-8'>").as_deref(),
            Some("utf-8")
        );
        assert_eq!(
            declared_in_document(b"<?xml version=\"1.0\" encoding=\"ISO-8859-6\"?><rss>")
                .as_deref(),
            Some("iso-8859-6")
        );
    }

    #[test]
    fn windows_1256_roundtrip_and_detection() {
        let text = "<p>أكدت جهات سورية معارضة أن فصائل مسلحة معارضة لنظام الرئيس سيطرت على مستودعات للأسلحة بريف دمشق</p>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(text);
        let d = decode(&bytes, None);
        assert_eq!(d.text, text);
        let d = decode(&bytes, Some("utf-8"));
        assert_eq!(d.text, text);
        assert!(d.warning.is_some());
    }
}
