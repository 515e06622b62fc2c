use super::*;

impl Scanner<'_> {
    pub(super) fn resolve_partial(&self, p: Partial) -> Option<Found> {
        let r = self.reference?;
        let ry = r.year();
        let cands: Vec<NaiveDate> = (ry - 1..=ry + 1)
            .filter_map(|y| gregorian(y, p.month, p.day.unwrap_or(1)))
            .collect();
        let precision = if p.day.is_some() {
            Precision::Day
        } else {
            Precision::Month
        };
        let rmonth = r.with_day(1)?;
        let date = match (p.qual, p.day) {
            (Some(Qual::Past), Some(_)) => cands.into_iter().filter(|d| *d < r).max()?,
            (Some(Qual::Next), Some(_)) => cands.into_iter().filter(|d| *d > r).min()?,
            (Some(Qual::Past), None) => cands.into_iter().filter(|d| *d < rmonth).max()?,
            (Some(Qual::Next), None) => cands.into_iter().filter(|d| *d > rmonth).min()?,
            (Some(Qual::Current), _) => gregorian(ry, p.month, p.day.unwrap_or(1))?,
            (None, _) => {
                let anchor = if p.day.is_some() { r } else { rmonth };
                // Closest to the reference; on a tie, the past one.
                cands
                    .into_iter()
                    .min_by_key(|d| ((*d - anchor).num_days().abs(), *d > anchor))?
            }
        };
        Some(Found::day(date).with(precision, true))
    }

    // ---- "الشهر الماضي", "هذا العام", "مطلع الشهر الجاري" -----------------------------------

    pub(super) fn parse_period(&self, i: usize) -> Option<(usize, Found)> {
        let mut j = i;
        if let Some(e) = self.is(j, Lex::Modifier) {
            j = e;
        }
        let this = self.is(j, Lex::This);
        if let Some(e) = this {
            j = e;
        }
        let (l, e) = self.take(j, |l| matches!(l, Lex::Period(_) | Lex::YearWord))?;
        let unit = match l {
            Lex::Period(u) => u,
            // العام / السنة are listed as YearWord; only their definite forms are periods.
            Lex::YearWord if self.text(j).starts_with("ال") => Unit::Year,
            _ => return None,
        };
        j = e;
        let qual = match self.take(j, |l| matches!(l, Lex::Qual(_))) {
            Some((Lex::Qual(q), e)) => {
                j = e;
                q
            }
            _ if this.is_some() => Qual::Current,
            _ => return None,
        };
        let r = self.reference?;
        let step: i32 = match qual {
            Qual::Past => -1,
            Qual::Current => 0,
            Qual::Next => 1,
        };
        let f = match unit {
            Unit::Year => Found::day(gregorian(r.year() + step, 1, 1)?).with(Precision::Year, true),
            Unit::Month => {
                Found::day(add_months(r.with_day(1)?, step)?).with(Precision::Month, true)
            }
            Unit::Week => Found::day(add_days(r, 7 * step as i64)?).with(Precision::Day, true),
            _ => return None,
        };
        Some((j, f))
    }

    // ---- "قبل خمس سنوات", "منذ ساعتين" ------------------------------------------------------

    pub(super) fn parse_ago(&self, i: usize) -> Option<(usize, Found)> {
        let mut j = self.is(i, Lex::Ago)?;
        if let Some(e) = self.is(j, Lex::About) {
            j = e;
        }
        let count: Option<u32> = if let Some((n, l)) = self.num(j) {
            if l > 5 {
                return None;
            }
            j += 1;
            Some(n)
        } else if let Some((Lex::NumWord(n), e)) = self.lex.get(j).copied().flatten() {
            j = e;
            Some(n as u32)
        } else {
            None
        };
        let (l, e) = self.take(j, |l| {
            matches!(
                l,
                Lex::Unit(..) | Lex::YearWord | Lex::MonthWord | Lex::DayWord
            )
        })?;
        let (unit, form) = match l {
            Lex::Unit(u, c) => (u, c),
            Lex::YearWord if !self.text(j).starts_with("ال") => (Unit::Year, 1),
            Lex::MonthWord => (Unit::Month, 1),
            Lex::DayWord => (Unit::Day, 1),
            _ => return None,
        };
        // "منذ عام 2020" is a year and "منذ شهر مارس" a month, not "a year/month ago".
        if self.num(e).is_some()
            || matches!(
                self.lex_of(e),
                Some(Lex::Month { .. } | Lex::HijriMonth(_) | Lex::Weekday(_))
            )
        {
            return None;
        }
        // "قبل يومين من الانتخابات": before some other event.
        if self.is(e, Lex::From).is_some() || self.text_is(e, "علي") {
            return None;
        }
        let n = match (count, form) {
            (Some(n), _) => n,
            (None, 0) => return None,
            (None, c) => c as u32,
        };
        let r = self.reference?;
        let f = match unit {
            Unit::Year => Found::day(gregorian(r.year() - n.min(500) as i32, 1, 1)?)
                .with(Precision::Year, true),
            Unit::Month => Found::day(r.checked_sub_months(Months::new(n))?.with_day(1)?)
                .with(Precision::Month, true),
            Unit::Week => Found::day(add_days(r, -7 * n as i64)?).with(Precision::Day, true),
            Unit::Day => Found::day(add_days(r, -(n as i64))?).with(Precision::Day, true),
            Unit::Hour => Found::day(add_days(r, -(n as i64 / 24))?).with(Precision::Day, true),
            Unit::Minute => Found::day(add_days(r, -(n as i64 / 1440))?).with(Precision::Day, true),
        };
        Some((e, f))
    }

    pub(super) fn text_is(&self, i: usize, s: &str) -> bool {
        i < self.toks.len() && self.toks[i].kind == TokKind::Word && self.text(i) == s
    }

    // ---- weekday / relative-day lead, then maybe an absolute date ----------------------------

    pub(super) fn parse_lead(&self, i: usize) -> Option<(usize, Found)> {
        let mut j = i;
        let mut any = false;
        if let Some((Lex::Part(_), e)) = self.lex.get(j).copied().flatten() {
            // Only as a prefix: "مساء أمس", "صباح اليوم", "مساء يوم الأحد".
            if !matches!(
                self.lex_of(e),
                Some(Lex::RelDay(_) | Lex::DayWord | Lex::Weekday(_))
            ) {
                return None;
            }
            j = e;
        }
        if let Some(e) = self.is(j, Lex::DayWord) {
            if !matches!(self.lex_of(e), Some(Lex::RelDay(_) | Lex::Weekday(_))) {
                return None;
            }
            j = e;
        }
        let mut rel: Option<i8> = None;
        if let Some((Lex::RelDay(n), e)) = self.lex.get(j).copied().flatten() {
            if n == 0 && !self.today_reading(j, e) {
                return None;
            }
            rel = Some(n);
            j = e;
            any = true;
            if let Some(e) = self.is(j, Lex::DayWord) {
                if matches!(self.lex_of(e), Some(Lex::Weekday(_))) {
                    j = e;
                }
            }
        }
        let mut weekday: Option<u8> = None;
        let mut qual: Option<Qual> = None;
        if let Some((Lex::Weekday(w), e)) = self.lex.get(j).copied().flatten() {
            weekday = Some(w);
            j = e;
            any = true;
            if let Some((Lex::Qual(q), e)) = self.lex.get(j).copied().flatten() {
                qual = Some(q);
                j = e;
            }
        }
        if !any {
            return None;
        }
        // An absolute date after the lead wins: "أمس الجمعة 17 أفريل 2015", "Mon, 25 Aug …",
        // "السبت الموافق (3 يونيو 2017م)".
        let mut k = j;
        k = self.skip(k, 3, |s, t| {
            matches!(s.punct(t), Some(',' | '،' | '-' | '(' | '|' | ':'))
                || s.is(t, Lex::Muwafiq).is_some()
        });
        if k < self.toks.len() {
            let abs = match self.toks[k].kind {
                TokKind::Num => self.parse_numeric(k).or_else(|| self.parse_day_first(k)),
                TokKind::Word => match self.lex_of(k) {
                    Some(Lex::Al | Lex::Ordinal(_)) => self.parse_day_first(k),
                    Some(Lex::Month { en: true, .. }) => self.parse_month_first(k),
                    _ => None,
                },
                TokKind::Punct => None,
            };
            if let Some((end, f)) = abs {
                if f.precision == Precision::Day {
                    let mut end = end;
                    if self.punct(end) == Some(')')
                        && self.toks[j..k]
                            .iter()
                            .any(|t| t.kind == TokKind::Punct && &self.key[t.start..t.end] == "(")
                    {
                        end += 1;
                    }
                    return Some((end, f));
                }
            }
        }
        let r = self.reference?;
        let rw = r.weekday().num_days_from_monday() as i64;
        let date = match (rel, weekday) {
            (Some(0), Some(w)) => add_days(r, -((rw - w as i64).rem_euclid(7)))?,
            (Some(n), _) => add_days(r, n as i64)?,
            (None, Some(w)) => {
                let w = w as i64;
                match qual {
                    Some(Qual::Past) => {
                        let k = (rw - w).rem_euclid(7);
                        add_days(r, -(if k == 0 { 7 } else { k }))?
                    }
                    Some(Qual::Next) => {
                        let k = (w - rw).rem_euclid(7);
                        add_days(r, if k == 0 { 7 } else { k })?
                    }
                    _ => add_days(r, -((rw - w).rem_euclid(7)))?,
                }
            }
            (None, None) => return None,
        };
        let mut f = Found::day(date).with(Precision::Day, true);
        let end = self.attach_time(j, &mut f, false);
        Some((end, f))
    }

    /// Is `اليوم` at `i` "today" rather than "the day" (اليوم التالي، اليوم العالمي، في ذلك
    /// اليوم)?
    pub(super) fn today_reading(&self, i: usize, e: usize) -> bool {
        if i > 0 && self.toks[i - 1].kind == TokKind::Word {
            let prev = self.text(i - 1);
            // "في ذلك اليوم"; newspapers and channels: روسيا اليوم، المصري اليوم، أخبار اليوم.
            if matches!(
                prev,
                "ذلك" | "تلك" | "نفس" | "ذات" | "ذاك" | "هذا" | "روسيا" | "المصري" | "اخبار"
            ) {
                return false;
            }
        }
        // «اليوم» / "اليوم": a title.
        let quote = |t: Option<char>| matches!(t, Some('"' | '«' | '»' | '“' | '”'));
        if i > 0 && quote(self.punct(i - 1)) && quote(self.punct(e)) {
            return false;
        }
        if e < self.toks.len() && self.toks[e].kind == TokKind::Word {
            let next = self.text(e);
            let def = next.starts_with("ال") || next.starts_with("وال");
            if def && !matches!(self.lex_of(e), Some(Lex::Weekday(_) | Lex::Clock)) {
                return false;
            }
        }
        true
    }
}
