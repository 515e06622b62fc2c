//! `rased text …`: the text layer over stdin/stdout, one result per input line.
//!
//! Input that is not valid UTF-8 is decoded lossily (bad bytes become U+FFFD) and a warning
//! naming the line number goes to stderr: a text tool in a pipeline should keep its line
//! alignment rather than stop halfway. Empty lines give empty results.

use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Subcommand;
use rased_text::date::parse_date;
use rased_text::namekey::name_key;
use rased_text::segment::segment;
use rased_text::sentence::sentences;
use rased_text::stem::search_stem;
use rased_text::tokenize::{tokenize, TokenKind};
use rased_text::{normalize_str, Level};

#[derive(Subcommand, Debug)]
pub enum TextCommand {
    /// Normalize each line (display, match or search level).
    Normalize {
        /// display: NFC, no tatweel/bidi marks; match: also no tashkeel, folded alif/yeh/digits;
        /// search: also ة → ه.
        #[arg(long, default_value = "match")]
        level: Level,
    },
    /// Tokenize each line: tokens separated by spaces (or JSON with offsets).
    Tokens {
        /// Print a JSON array of tokens with kind, byte and code-point offsets.
        #[arg(long)]
        json: bool,
    },
    /// Cut clitics from each word: proclitics and enclitics joined to the stem with `+`.
    Segment,
    /// Search stem of each word (match-normalized, segmented, Light10, then ة → ه).
    Stem,
    /// Split each line into sentences, one per line, with a blank line after each input line.
    Sentences,
    /// Name key of each line (spelling variants of one name share a key).
    Namekey,
    /// First date expression of each line as an ISO date, or `none`.
    Date {
        /// Reference date for relative expressions (أمس، قبل خمس سنوات); none by default.
        #[arg(long = "ref", value_name = "YYYY-MM-DD")]
        reference: Option<NaiveDate>,
        /// Print JSON with the date, its precision and the matched span.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: &TextCommand) -> anyhow::Result<ExitCode> {
    let stdin = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    for_each_line(stdin, |line| {
        write_result(cmd, line, &mut out)?;
        Ok(())
    })?;
    out.flush().context("writing to stdout")?;
    Ok(ExitCode::SUCCESS)
}

/// Calls `f` on every line of `input` (without its line ending), decoding lossily.
fn for_each_line(
    mut input: impl BufRead,
    mut f: impl FnMut(&str) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    let mut number = 0usize;
    loop {
        buf.clear();
        let read = input
            .read_until(b'\n', &mut buf)
            .context("reading standard input")?;
        if read == 0 {
            return Ok(());
        }
        number += 1;
        if buf.ends_with(b"\n") {
            buf.pop();
            if buf.ends_with(b"\r") {
                buf.pop();
            }
        }
        let line = String::from_utf8_lossy(&buf);
        if let std::borrow::Cow::Owned(_) = line {
            eprintln!("rased: warning: stdin line {number}: invalid UTF-8 replaced with U+FFFD");
        }
        f(&line)?;
    }
}

fn write_result(cmd: &TextCommand, line: &str, out: &mut impl Write) -> anyhow::Result<()> {
    match cmd {
        TextCommand::Normalize { level } => writeln!(out, "{}", normalize_str(line, *level))?,
        TextCommand::Tokens { json: false } => {
            let words: Vec<&str> = tokenize(line).iter().map(|t| t.text).collect();
            writeln!(out, "{}", words.join(" "))?;
        }
        TextCommand::Tokens { json: true } => {
            writeln!(out, "{}", serde_json::to_string(&tokenize(line))?)?;
        }
        TextCommand::Segment => {
            let words: Vec<String> = tokenize(line)
                .iter()
                .map(|t| match t.kind {
                    TokenKind::Arabic => segmented(t.text),
                    _ => t.text.to_string(),
                })
                .collect();
            writeln!(out, "{}", words.join(" "))?;
        }
        TextCommand::Stem => {
            let stems: Vec<String> = tokenize(line)
                .iter()
                .filter(|t| t.kind.is_word() || t.kind == TokenKind::Number)
                .map(|t| search_stem(t.text))
                .collect();
            writeln!(out, "{}", stems.join(" "))?;
        }
        TextCommand::Sentences => {
            for range in sentences(line) {
                writeln!(out, "{}", &line[range])?;
            }
            writeln!(out)?;
        }
        TextCommand::Namekey => writeln!(out, "{}", name_key(line))?,
        TextCommand::Date { reference, json } => {
            let found = parse_date(line, *reference);
            if *json {
                let value = match &found {
                    Some(m) => serde_json::json!({
                        "date": m.date.to_string(),
                        "precision": m.precision,
                        "text": &line[m.span.clone()],
                        "start": rased_text::char_offset(line, m.span.start),
                        "end": rased_text::char_offset(line, m.span.end),
                    }),
                    None => serde_json::Value::Null,
                };
                writeln!(out, "{value}")?;
            } else {
                match found {
                    Some(m) => writeln!(out, "{}", m.date)?,
                    None => writeln!(out, "none")?,
                }
            }
        }
    }
    Ok(())
}

/// `وبالجنرال` → `و+ب+ال+جنرال`.
fn segmented(word: &str) -> String {
    let s = segment(word);
    let mut parts: Vec<&str> = s.proclitics.clone();
    parts.push(s.stem);
    parts.extend(s.enclitic);
    parts.join("+")
}
