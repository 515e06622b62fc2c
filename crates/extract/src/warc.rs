//! WARC archives (`.warc`, `.warc.gz` with gzip per record, Common Crawl layout), read
//! record by record: every `response` record with an HTML payload becomes a page.

use std::io::{BufRead, Read};

use crate::{extract_page, io_error, ExtractError, ExtractOptions, Sink};

/// Skips the blank lines between WARC records; `false` at the end of the input.
pub fn skip_record_separators<R: BufRead + ?Sized>(r: &mut R) -> std::io::Result<bool> {
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        let n = buf
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        if n == 0 {
            return Ok(true);
        }
        r.consume(n);
    }
}

/// Reads one header block (lines up to an empty line). `Ok(None)` at a clean end of input.
/// A header block: its first line and its (lowercased name, value) fields.
type HeaderBlock = (String, Vec<(String, String)>);

fn read_headers<R: BufRead>(r: &mut R) -> std::io::Result<Option<HeaderBlock>> {
    if !skip_record_separators(r)? {
        return Ok(None);
    }
    let mut first = String::new();
    let mut headers = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "end of input inside WARC headers",
            ));
        }
        if line.len() > 64 * 1024 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "WARC header line too long",
            ));
        }
        let l = String::from_utf8_lossy(&line);
        let l = l.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        if first.is_empty() {
            first = l.to_string();
            continue;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    Ok(Some((first, headers)))
}

fn header<'a>(h: &'a [(String, String)], k: &str) -> Option<&'a str> {
    h.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str())
}

pub(crate) fn extract<R: BufRead>(
    name: &str,
    reader: &mut R,
    opts: &ExtractOptions,
    sink: &mut Sink,
    gz: bool,
) {
    let mut n = 0usize;
    loop {
        let (version, headers) = match read_headers(reader) {
            Ok(Some(x)) => x,
            Ok(None) => break,
            Err(e) => return sink.error(warc_error(name, n + 1, &e, gz)),
        };
        n += 1;
        let record = format!("{name}#record-{n}");
        if !version.starts_with("WARC/") {
            return sink.error(ExtractError::BadWarc {
                input: name.to_string(),
                detail: format!("record {n} does not start with a WARC version line"),
            });
        }
        let Some(len) = header(&headers, "content-length").and_then(|v| v.parse::<u64>().ok())
        else {
            return sink.error(ExtractError::BadWarc {
                input: name.to_string(),
                detail: format!("record {n} has no valid Content-Length"),
            });
        };
        let wanted = header(&headers, "warc-type") == Some("response")
            && header(&headers, "content-type").is_some_and(|c| c.contains("application/http"));
        if !wanted || len > opts.max_bytes {
            if wanted {
                sink.error(ExtractError::TooLarge {
                    input: record.clone(),
                    size: len,
                    limit: opts.max_bytes,
                });
            }
            match std::io::copy(&mut reader.take(len), &mut std::io::sink()) {
                Ok(got) if got == len => continue,
                Ok(got) => {
                    return sink.error(ExtractError::BadWarc {
                        input: name.to_string(),
                        detail: format!("record {n} truncated: {got} of {len} bytes"),
                    })
                }
                Err(e) => return sink.error(warc_error(name, n, &e, gz)),
            }
        }
        let mut payload = Vec::with_capacity(len as usize);
        match reader.take(len).read_to_end(&mut payload) {
            Ok(got) if got as u64 == len => {}
            Ok(got) => {
                return sink.error(ExtractError::BadWarc {
                    input: name.to_string(),
                    detail: format!("record {n} truncated: {got} of {len} bytes"),
                })
            }
            Err(e) => return sink.error(warc_error(name, n, &e, gz)),
        }
        let url =
            header(&headers, "warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_string());
        http_response(&record, &payload, url.as_deref(), sink);
    }
    if n == 0 {
        sink.error(ExtractError::BadWarc {
            input: name.to_string(),
            detail: "no records".into(),
        });
    }
}

fn warc_error(name: &str, n: usize, e: &std::io::Error, gz: bool) -> ExtractError {
    match io_error(name, e, gz) {
        ExtractError::Io { input, detail } => ExtractError::BadWarc {
            input,
            detail: format!("record {n}: {detail}"),
        },
        ExtractError::TruncatedGzip { input, detail } => ExtractError::TruncatedGzip {
            input,
            detail: format!("in record {n}: {detail}"),
        },
        other => other,
    }
}

/// Parses an HTTP response and extracts its HTML payload.
fn http_response(record: &str, payload: &[u8], url: Option<&str>, sink: &mut Sink) {
    let split = find(payload, b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| find(payload, b"\n\n").map(|i| (i, 2)));
    let Some((at, sep)) = split else {
        return sink.error(ExtractError::BadWarc {
            input: record.to_string(),
            detail: "HTTP response without header end".into(),
        });
    };
    let head = String::from_utf8_lossy(&payload[..at]);
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    if !(200..300).contains(&status) {
        return; // Redirects and errors are not pages.
    }
    let content_type = header(&headers, "content-type");
    if content_type.is_some_and(|c| !c.to_ascii_lowercase().contains("html")) {
        return;
    }
    let mut body = payload[at + sep..].to_vec();
    if header(&headers, "transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
    {
        body = dechunk(&body);
    }
    if body.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        if flate2::read::MultiGzDecoder::new(&body[..])
            .read_to_end(&mut out)
            .is_ok()
            || !out.is_empty()
        {
            body = out;
        }
    }
    extract_page(
        url.unwrap_or(record),
        record,
        &body,
        content_type,
        url,
        sink,
    );
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes HTTP chunked transfer encoding (tolerant: stops at the first malformed chunk).
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    while let Some(eol) = find(data, b"\r\n") {
        let size_txt = String::from_utf8_lossy(&data[..eol]);
        let size_txt = size_txt.split(';').next().unwrap_or("").trim().to_string();
        let Ok(size) = usize::from_str_radix(&size_txt, 16) else {
            break;
        };
        data = &data[eol + 2..];
        if size == 0 {
            break;
        }
        let take = size.min(data.len());
        out.extend_from_slice(&data[..take]);
        data = &data[take..];
        data = data.strip_prefix(b"\r\n").unwrap_or(data);
        if take < size {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn dechunk_works() {
        assert_eq!(
            super::dechunk(b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n"),
            b"Wikipedia"
        );
    }
}
