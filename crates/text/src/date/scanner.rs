use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokKind {
    Num,
    Word,
    Punct,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Tok {
    pub(super) kind: TokKind,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Whitespace precedes the token.
    pub(super) ws: bool,
}

pub(super) fn tokenize(key: &str) -> Vec<Tok> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Digit,
        Ascii,
        Letter,
        Space,
        Other,
    }
    let class = |c: char| {
        if c.is_ascii_digit() {
            Class::Digit
        } else if c.is_ascii_alphabetic() {
            Class::Ascii
        } else if is_arabic_letter(c)
            || (!('\u{0600}'..='\u{06FF}').contains(&c) && c.is_alphabetic())
        {
            Class::Letter
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        }
    };
    let mut toks: Vec<Tok> = Vec::new();
    let mut ws = false;
    let mut cur: Option<(Class, usize)> = None;
    let flush =
        |toks: &mut Vec<Tok>, cur: &mut Option<(Class, usize)>, end: usize, ws: &mut bool| {
            if let Some((cl, start)) = cur.take() {
                let kind = if cl == Class::Digit {
                    TokKind::Num
                } else {
                    TokKind::Word
                };
                toks.push(Tok {
                    kind,
                    start,
                    end,
                    ws: *ws,
                });
                *ws = false;
            }
        };
    for (i, c) in key.char_indices() {
        let cl = class(c);
        match cl {
            Class::Space => {
                flush(&mut toks, &mut cur, i, &mut ws);
                ws = true;
            }
            Class::Other => {
                flush(&mut toks, &mut cur, i, &mut ws);
                toks.push(Tok {
                    kind: TokKind::Punct,
                    start: i,
                    end: i + c.len_utf8(),
                    ws,
                });
                ws = false;
            }
            _ => {
                if let Some((prev, _)) = cur {
                    if prev != cl {
                        flush(&mut toks, &mut cur, i, &mut ws);
                    }
                }
                if cur.is_none() {
                    cur = Some((cl, i));
                }
            }
        }
    }
    flush(&mut toks, &mut cur, key.len(), &mut ws);
    toks
}

/// Arabic-block letters without the general Unicode table lookup (the tokenizer's hot path).
#[inline]
pub(super) fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{066F}' | '\u{0671}'..='\u{06D3}' | '\u{06D5}' | '\u{06EE}'..='\u{06EF}' | '\u{06FA}'..='\u{06FC}' | '\u{06FF}')
}

impl<'a> Scanner<'a> {
    pub(super) fn new(key: &'a str, reference: Option<NaiveDate>) -> Scanner<'a> {
        let toks = tokenize(key);
        let mut sc = Scanner {
            key,
            lex: vec![None; toks.len()],
            toks,
            reference,
        };
        for i in 0..sc.toks.len() {
            sc.lex[i] = sc.lookup(i);
        }
        sc
    }

    pub(super) fn text(&self, i: usize) -> &'a str {
        let t = &self.toks[i];
        &self.key[t.start..t.end]
    }

    pub(super) fn lookup(&self, i: usize) -> Option<(Lex, usize)> {
        if self.toks[i].kind != TokKind::Word {
            return None;
        }
        with_clitic_variants(self.text(i), |w, preposition| {
            let entries = LEXICON.get(w)?;
            'entry: for (rest, lex) in entries {
                // لامس (touched) is not ل + أمس; بالأمس and لليوم are fine.
                if preposition && matches!(lex, Lex::RelDay(_)) && !w.starts_with("ال") {
                    continue;
                }
                let mut j = i + 1;
                for r in rest {
                    if j >= self.toks.len()
                        || self.toks[j].kind != TokKind::Word
                        || self.text(j) != r
                    {
                        continue 'entry;
                    }
                    j += 1;
                }
                return Some((*lex, j));
            }
            None
        })
    }

    pub(super) fn lex_of(&self, i: usize) -> Option<Lex> {
        self.lex.get(i).copied().flatten().map(|(l, _)| l)
    }

    /// The entry at `i` if `pred` accepts it, with the index after it.
    pub(super) fn take(&self, i: usize, pred: impl Fn(Lex) -> bool) -> Option<(Lex, usize)> {
        match self.lex.get(i).copied().flatten() {
            Some((l, e)) if pred(l) => Some((l, e)),
            _ => None,
        }
    }

    pub(super) fn is(&self, i: usize, want: Lex) -> Option<usize> {
        self.take(i, |l| l == want).map(|(_, e)| e)
    }

    pub(super) fn num(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.toks.get(i)?;
        if t.kind != TokKind::Num {
            return None;
        }
        let s = &self.key[t.start..t.end];
        if s.len() > 9 {
            return None;
        }
        s.parse().ok().map(|v| (v, s.len()))
    }

    pub(super) fn punct(&self, i: usize) -> Option<char> {
        let t = self.toks.get(i)?;
        if t.kind != TokKind::Punct {
            return None;
        }
        self.key[t.start..t.end].chars().next()
    }

    pub(super) fn adjacent(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| !t.ws)
    }

    /// Skips tokens matching `pred` (at most `max`).
    pub(super) fn skip(
        &self,
        mut i: usize,
        max: usize,
        pred: impl Fn(&Self, usize) -> bool,
    ) -> usize {
        let mut n = 0;
        while i < self.toks.len() && n < max && pred(self, i) {
            i += 1;
            n += 1;
        }
        i
    }

    /// Punctuation or words that join a date to its other-calendar equivalent.
    pub(super) fn is_glue(&self, i: usize) -> bool {
        self.toks[i].kind == TokKind::Punct
            || matches!(self.lex_of(i), Some(Lex::Muwafiq | Lex::M | Lex::Ad))
    }

    pub(super) fn is_comma(&self, i: usize) -> bool {
        matches!(self.punct(i), Some(',' | '،'))
    }

    // ---- entry point ------------------------------------------------------------------------

    pub(super) fn parse_at(&self, i: usize) -> Option<(usize, Found)> {
        match self.toks[i].kind {
            TokKind::Num => self
                .parse_numeric(i)
                .or_else(|| self.parse_day_first(i))
                .or_else(|| self.parse_bare_hijri_year(i))
                .or_else(|| self.parse_bare_year(i)),
            TokKind::Word => {
                let lex = self.lex_of(i)?;
                match lex {
                    Lex::Al | Lex::Ordinal(_) => self.parse_day_first(i),
                    Lex::Month { .. } | Lex::HijriMonth(_) | Lex::MonthWord | Lex::Modifier => self
                        .parse_month_first(i)
                        .or_else(|| self.parse_period(i))
                        .or_else(|| self.parse_year(i)),
                    Lex::YearWord => self.parse_year(i).or_else(|| self.parse_period(i)),
                    Lex::Period(_) | Lex::This => self.parse_period(i),
                    Lex::Ago => self.parse_ago(i),
                    Lex::Weekday(_) | Lex::RelDay(_) | Lex::DayWord | Lex::Part(_) => {
                        self.parse_lead(i)
                    }
                    _ => None,
                }
            }
            TokKind::Punct => {
                // "(مارس) آذار": a parenthesised month name starts the expression.
                if self.punct(i) == Some('(') {
                    let closes = self
                        .lex
                        .get(i + 1)
                        .copied()
                        .flatten()
                        .is_some_and(|(_, e)| self.punct(e) == Some(')'));
                    if let (Some(Lex::Month { .. }), true) = (self.lex_of(i + 1), closes) {
                        return self.parse_month_first(i + 1);
                    }
                }
                None
            }
        }
    }
}
