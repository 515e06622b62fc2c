//! WARC archives as several units: a unit is a run of whole records (at most `--unit-records`
//! records and [`MAX_UNIT_BYTES`](super::MAX_UNIT_BYTES) bytes), itself a valid WARC file, so
//! one large archive is shared by many workers. Records are read raw (their header block and
//! `Content-Length` bytes of content), never parsed further here; the worker's extractor reads
//! each unit as it reads any WARC.
//!
//! Two cases cannot travel in a message. A record larger than a message goes by path with its
//! record number (`from` = `to`); the worker reads the file (shared file system) and copies
//! that record out. A record that is not a WARC record (no version line, no valid
//! `Content-Length`, truncated, a broken gzip member) ends the splitting: the rest of the
//! input, from that record on, is one last unit — by path (`to` unset: the worker copies the
//! rest verbatim), or for standard input the bytes read so far — and the worker's extractor
//! records the failure as it would for the whole file.

use std::io::{BufRead, Read, Write};

/// The longest header line and header block accepted (as the extractor's reader).
const MAX_HEADER_LINE: usize = 64 * 1024;
const MAX_HEADER_BLOCK: usize = 1024 * 1024;

/// What reading the next record found.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Next {
    /// The end of the input (after the last record's trailing blank lines).
    End,
    /// A record, written whole to `out` (with its `\r\n\r\n` end).
    Record,
    /// A record larger than the limit: skipped, nothing written.
    TooLarge,
    /// Not a WARC record (why); what was read of it is in `out`.
    Malformed(String),
}

/// Reads the next WARC record of `r` into `out` when it fits in `limit` bytes.
pub(super) fn next_record(r: &mut dyn BufRead, out: &mut dyn Write, limit: u64) -> Next {
    match next_record_io(r, out, limit) {
        Ok(n) => n,
        Err(e) => Next::Malformed(e.to_string()),
    }
}

fn next_record_io(r: &mut dyn BufRead, out: &mut dyn Write, limit: u64) -> std::io::Result<Next> {
    if !rased_extract::warc::skip_record_separators(r)? {
        return Ok(Next::End);
    }
    let mut head = Vec::new();
    let mut length = None;
    let mut first = true;
    loop {
        let start = head.len();
        let n = (&mut *r)
            .take(MAX_HEADER_LINE as u64 + 1)
            .read_until(b'\n', &mut head)?;
        let line = &head[start..];
        if n == 0 || !line.ends_with(b"\n") {
            out.write_all(&head)?;
            let why = if n > MAX_HEADER_LINE {
                "a WARC header line too long"
            } else {
                "end of input inside WARC headers"
            };
            return Ok(Next::Malformed(why.into()));
        }
        let text = String::from_utf8_lossy(line);
        let text = text.trim_end_matches(['\r', '\n']);
        if first {
            if !text.starts_with("WARC/") {
                out.write_all(&head)?;
                return Ok(Next::Malformed(
                    "a record that does not start with a WARC version line".into(),
                ));
            }
            first = false;
        } else if text.is_empty() {
            break;
        } else if let Some((k, v)) = text.split_once(':') {
            if k.trim().eq_ignore_ascii_case("content-length") {
                length = v.trim().parse::<u64>().ok();
            }
        }
        if head.len() > MAX_HEADER_BLOCK {
            out.write_all(&head)?;
            return Ok(Next::Malformed("a WARC header block too long".into()));
        }
    }
    let Some(length) = length else {
        out.write_all(&head)?;
        return Ok(Next::Malformed(
            "a WARC record without a valid Content-Length".into(),
        ));
    };
    if (head.len() as u64).saturating_add(length).saturating_add(4) > limit {
        let skipped = std::io::copy(&mut (&mut *r).take(length), &mut std::io::sink())?;
        if skipped < length {
            return Ok(Next::Malformed(format!(
                "a WARC record truncated: {skipped} of {length} bytes"
            )));
        }
        return Ok(Next::TooLarge);
    }
    out.write_all(&head)?;
    let copied = std::io::copy(&mut (&mut *r).take(length), out)?;
    if copied < length {
        return Ok(Next::Malformed(format!(
            "a WARC record truncated: {copied} of {length} bytes"
        )));
    }
    out.write_all(b"\r\n\r\n")?;
    Ok(Next::Record)
}

/// Where a WARC unit's records are.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Segment {
    /// Records `from..=to` (1-based), their bytes in the message.
    Bytes {
        from: usize,
        to: usize,
        bytes: Vec<u8>,
    },
    /// Record `from` (to `to`, or to the end of the input when `None`), read from the file
    /// by the worker.
    ByPath { from: usize, to: Option<usize> },
    /// What was read of the input's malformed rest (standard input, which has no path).
    Rest { from: usize, bytes: Vec<u8> },
}

/// Splits a WARC (decompressed) into segments of at most `records` records and `max_bytes`
/// bytes. `by_path` says whether the input is a file a worker can read itself.
pub(super) fn split(
    r: &mut dyn BufRead,
    records: usize,
    max_bytes: usize,
    by_path: bool,
    mut segment: impl FnMut(Segment) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    /// The records gathered so far: `count` of them from record `first` on.
    struct Chunk {
        bytes: Vec<u8>,
        first: usize,
        count: usize,
    }
    fn flush(
        c: &mut Chunk,
        last: usize,
        segment: &mut dyn FnMut(Segment) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        if c.count > 0 {
            segment(Segment::Bytes {
                from: c.first,
                to: last,
                bytes: std::mem::take(&mut c.bytes),
            })?;
        }
        c.count = 0;
        c.first = last + 1;
        Ok(())
    }
    let mut chunk = Chunk {
        bytes: Vec::new(),
        first: 1,
        count: 0,
    };
    let mut n = 0usize;
    loop {
        let mut record = Vec::new();
        match next_record(r, &mut record, max_bytes as u64) {
            Next::End => break,
            Next::Record => {
                if chunk.count > 0 && chunk.bytes.len() + record.len() > max_bytes {
                    flush(&mut chunk, n, &mut segment)?;
                }
                n += 1;
                chunk.bytes.extend_from_slice(&record);
                chunk.count += 1;
                if chunk.count >= records.max(1) {
                    flush(&mut chunk, n, &mut segment)?;
                }
            }
            Next::TooLarge => {
                flush(&mut chunk, n, &mut segment)?;
                n += 1;
                if !by_path {
                    anyhow::bail!(
                        "WARC record {n} is larger than one unit ({max_bytes} bytes); save standard input to a file"
                    );
                }
                segment(Segment::ByPath {
                    from: n,
                    to: Some(n),
                })?;
                chunk.first = n + 1;
            }
            Next::Malformed(_) => {
                flush(&mut chunk, n, &mut segment)?;
                n += 1;
                if by_path {
                    segment(Segment::ByPath { from: n, to: None })?;
                } else {
                    let room = max_bytes.saturating_sub(record.len()) as u64;
                    // A broken stream may fail again: what was read is enough for the
                    // worker to record the failure.
                    let _ = (&mut *r).take(room).read_to_end(&mut record);
                    segment(Segment::Rest {
                        from: n,
                        bytes: record,
                    })?;
                }
                return Ok(());
            }
        }
    }
    flush(&mut chunk, n, &mut segment)
}

/// Copies records `from..=to` of the WARC `r` (decompressed) to `out`; with `to` unset,
/// everything from record `from` on, verbatim (the malformed rest of an archive).
pub(super) fn copy_records(
    r: &mut dyn BufRead,
    from: usize,
    to: Option<usize>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut n = 0usize;
    while n + 1 < from {
        match next_record(r, &mut std::io::sink(), u64::MAX) {
            Next::Record => n += 1,
            other => anyhow::bail!("record {} before the unit's first: {other:?}", n + 1),
        }
    }
    match to {
        None => {
            // A broken stream may fail again: the extractor records what it finds.
            let _ = std::io::copy(r, out);
        }
        Some(to) => {
            while n < to {
                match next_record(r, out, u64::MAX) {
                    Next::Record => n += 1,
                    // Changed since it was split: what was copied is extracted as it is.
                    _ => break,
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(i: usize, body_len: usize) -> Vec<u8> {
        let body = "x".repeat(body_len);
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{i}>\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\n",
            body.len()
        )
        .into_bytes()
    }

    fn segments(input: &[u8], records: usize, max: usize, by_path: bool) -> Vec<Segment> {
        let mut out = Vec::new();
        split(&mut &input[..], records, max, by_path, |s| {
            out.push(s);
            Ok(())
        })
        .unwrap();
        out
    }

    fn range(s: &Segment) -> (usize, Option<usize>) {
        match s {
            Segment::Bytes { from, to, .. } => (*from, Some(*to)),
            Segment::ByPath { from, to } => (*from, *to),
            Segment::Rest { from, .. } => (*from, None),
        }
    }

    #[test]
    fn records_split_by_count_and_bytes_and_copy_back() {
        let mut warc = Vec::new();
        for i in 0..7 {
            warc.extend(record(i, 100));
        }
        let got = segments(&warc, 3, 1 << 20, true);
        let ranges: Vec<_> = got.iter().map(range).collect();
        assert_eq!(
            ranges,
            [(1, Some(3)), (4, Some(6)), (7, Some(7))],
            "by count"
        );
        // The segments put together are the archive again.
        let joined: Vec<u8> = got
            .iter()
            .flat_map(|s| match s {
                Segment::Bytes { bytes, .. } => bytes.clone(),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(joined, warc);
        // By bytes: two records fit, not three.
        let one = record(0, 100).len();
        let ranges: Vec<_> = segments(&warc, 100, 2 * one + 10, true)
            .iter()
            .map(range)
            .collect();
        assert_eq!(ranges[0], (1, Some(2)));
        assert_eq!(ranges.len(), 4);
        // A worker copies records 4–6 out of the file.
        let mut out = Vec::new();
        copy_records(&mut &warc[..], 4, Some(6), &mut out).unwrap();
        assert_eq!(out, warc[3 * one..6 * one]);
    }

    #[test]
    fn a_large_record_goes_by_path_and_a_broken_one_ends_the_split() {
        let mut warc = Vec::new();
        warc.extend(record(1, 10));
        warc.extend(record(2, 5000));
        warc.extend(record(3, 10));
        let mut broken = record(4, 100);
        broken.truncate(broken.len() - 50);
        warc.extend(&broken);
        let got = segments(&warc, 10, 1000, true);
        let ranges: Vec<_> = got.iter().map(range).collect();
        assert_eq!(
            ranges,
            [(1, Some(1)), (2, Some(2)), (3, Some(3)), (4, None)]
        );
        assert!(matches!(got[1], Segment::ByPath { .. }));
        assert!(matches!(got[3], Segment::ByPath { .. }));
        let mut big = Vec::new();
        copy_records(&mut &warc[..], 2, Some(2), &mut big).unwrap();
        assert_eq!(big, record(2, 5000));
        let mut rest = Vec::new();
        copy_records(&mut &warc[..], 4, None, &mut rest).unwrap();
        // Verbatim from the end of record 3 (its blank lines, which readers skip).
        assert!(rest.ends_with(&broken));
        assert!(rest[..rest.len() - broken.len()]
            .iter()
            .all(|b| matches!(b, b'\r' | b'\n')));
        // Standard input: the large record cannot be carried; the broken rest is.
        assert!(split(&mut &warc[..], 10, 1000, false, |_| Ok(())).is_err());
        let tail = [record(1, 10), broken.clone()].concat();
        let got = segments(&tail, 10, 1000, false);
        assert!(matches!(&got[1], Segment::Rest { from: 2, bytes } if *bytes == broken));
    }

    #[test]
    fn garbage_never_panics() {
        for input in [
            &b""[..],
            b"WARC/1.0\r\n",
            b"WARC/1.0\r\nContent-Length: 99999999999999999999\r\n\r\nabc",
            b"WARC/1.0\r\nContent-Length: -3\r\n\r\n",
            b"not a warc at all",
            b"\r\n\r\n\r\n",
        ] {
            let got = segments(input, 2, 100, true);
            assert!(got.len() <= 1, "{got:?}");
            let mut out = Vec::new();
            let _ = copy_records(&mut &input[..], 1, None, &mut out);
            let _ = copy_records(&mut &input[..], 3, Some(5), &mut out);
        }
        let long_line = [b"WARC/1.0\r\nX: ".as_slice(), &vec![b'a'; 70_000]].concat();
        assert!(matches!(
            next_record(&mut &long_line[..], &mut Vec::new(), u64::MAX),
            Next::Malformed(_)
        ));
    }
}
