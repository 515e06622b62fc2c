use super::*;

impl Scanner<'_> {
    // ---- times ------------------------------------------------------------------------------

    /// Parses an optional time after a date ending at `j` and stores it in `f`; returns the
    /// index after the time (or `j`). `iso` allows `T10:00`, `T185600`.
    pub(super) fn attach_time(&self, j: usize, f: &mut Found, iso: bool) -> usize {
        match self.parse_time(j, iso) {
            Some((end, t, off)) => {
                f.time = Some(t);
                f.offset = off;
                end
            }
            None => {
                // "25th, August 2025 GMT": a zone name with no time.
                match self.lex.get(j).copied().flatten() {
                    Some((Lex::Zone(_), e)) if !self.text(j).starts_with('z') => e,
                    _ => j,
                }
            }
        }
    }

    pub(super) fn parse_time(
        &self,
        j: usize,
        iso: bool,
    ) -> Option<(usize, NaiveTime, Option<i32>)> {
        let mut k = j;
        let mut t_sep = false;
        if iso && self.text_is(k, "t") && self.adjacent(k) {
            k += 1;
            t_sep = true;
            if !self.adjacent(k) {
                return None;
            }
        } else {
            k = self.skip(k, 2, |s, t| {
                matches!(s.punct(t), Some(',' | '،' | '-' | '|' | '–'))
                    || s.text_is(t, "في")
                    || s.text_is(t, "علي")
                    || s.text_is(t, "عند")
                    || s.text_is(t, "at")
            });
        }
        let clock = self.is(k, Lex::Clock);
        if let Some(e) = clock {
            k = e;
            if let Some(e) = self.is(k, Lex::About) {
                k = e;
            }
        }
        // "الساعة الثامنة والنصف مساء".
        if clock.is_some() {
            if let Some((Lex::HourWord(h), e)) = self.lex.get(k).copied().flatten() {
                k = e;
                let mut min = 0;
                if let Some((Lex::MinuteWord(m), e)) = self.lex.get(k).copied().flatten() {
                    min = m;
                    k = e;
                }
                let (mut hour, min) = if min < 0 {
                    ((h as u32 + 11) % 12, (60 + min) as u32)
                } else {
                    (h as u32, min as u32)
                };
                if let Some((Lex::Part(p), e)) = self.lex.get(k).copied().flatten() {
                    hour = apply_part(hour, p);
                    k = e;
                }
                return Some((k, NaiveTime::from_hms_opt(hour, min, 0)?, None));
            }
        }
        let (h, hl) = self.num(k)?;
        k += 1;
        let (mut hour, mut min, mut sec) = (h, 0, 0);
        let mut has_colon = false;
        if t_sep && hl == 6 {
            hour = h / 10000;
            min = h / 100 % 100;
            sec = h % 100;
            has_colon = true;
        } else if t_sep && hl == 4 {
            hour = h / 100;
            min = h % 100;
            has_colon = true;
        } else if hl > 2 {
            return None;
        }
        // "10:30"; after الساعة also "15.00".
        let colon = |c: Option<char>| c == Some(':') || (clock.is_some() && c == Some('.'));
        if !has_colon && colon(self.punct(k)) && self.adjacent(k) {
            let (m, ml) = self.num(k + 1)?;
            if ml != 2 || !self.adjacent(k + 1) {
                return None;
            }
            min = m;
            k += 2;
            has_colon = true;
            if self.punct(k) == Some(':') && self.adjacent(k) {
                if let Some((s, 2)) = self.num(k + 1) {
                    sec = s;
                    k += 2;
                    if self.punct(k) == Some('.') && self.adjacent(k) && self.num(k + 1).is_some() {
                        k += 2;
                    }
                }
            }
        }
        if !has_colon && clock.is_none() {
            return None;
        }
        // AM/PM.
        match self.lex.get(k).copied().flatten() {
            Some((Lex::Part(p), e)) => {
                hour = apply_part(hour, p);
                k = e;
            }
            Some((Lex::M, e)) => {
                hour = apply_part(hour, Part::Pm);
                k = e;
            }
            _ => {}
        }
        if hour == 24 && min == 0 && sec == 0 {
            hour = 0;
        }
        let time = NaiveTime::from_hms_opt(hour, min, sec)?;
        // Zone.
        let mut offset = None;
        match self.lex.get(k).copied().flatten() {
            Some((Lex::Zone(z), e)) => {
                offset = Some(z);
                k = e;
            }
            _ => {
                if let Some(sign @ ('+' | '-')) = self.punct(k) {
                    if let Some((o, ol)) = self.num(k + 1) {
                        let s = if sign == '-' { -1 } else { 1 };
                        let (oh, om, e) = if ol == 4 {
                            (o / 100, o % 100, k + 2)
                        } else if ol == 2 && self.punct(k + 2) == Some(':') {
                            match self.num(k + 3) {
                                Some((m, 2)) => (o, m, k + 4),
                                _ => (o, 0, k + 2),
                            }
                        } else if ol == 2 {
                            (o, 0, k + 2)
                        } else {
                            (99, 0, k)
                        };
                        if oh <= 14 && om < 60 {
                            offset = Some(s * (oh as i32 * 60 + om as i32));
                            k = e;
                        }
                    }
                }
            }
        }
        Some((k, time, offset))
    }
}

pub(super) fn apply_part(hour: u32, p: Part) -> u32 {
    match p {
        Part::Am if hour == 12 => 0,
        Part::Am => hour,
        Part::Noon if hour < 11 => hour + 12,
        Part::Noon => hour,
        Part::Pm if hour < 12 => hour + 12,
        Part::Pm => hour,
        Part::Night if (6..12).contains(&hour) => hour + 12,
        Part::Night if hour == 12 => 0,
        Part::Night => hour,
    }
}
