use super::*;

impl Scanner<'_> {
    // ---- numeric forms ----------------------------------------------------------------------

    pub(super) fn parse_numeric(&self, i: usize) -> Option<(usize, Found)> {
        let (a, la) = self.num(i)?;
        let sep = self.punct(i + 1)?;
        if !matches!(sep, '/' | '-' | '.') {
            return None;
        }
        let tight = sep == '.';
        let (b, lb) = self.num(i + 2)?;
        if self.punct(i + 3) != Some(sep) {
            return None;
        }
        let (c, lc) = self.num(i + 4)?;
        if tight && !(self.adjacent(i + 1) && self.adjacent(i + 2) && self.adjacent(i + 3)) {
            return None;
        }
        if tight && !self.adjacent(i + 4) {
            return None;
        }
        // Part of a longer dotted/dashed run (versions, IPs, phone numbers).
        if i >= 2
            && self.num(i - 2).is_some()
            && matches!(self.punct(i - 1), Some('/' | '-' | '.' | ':'))
            && self.adjacent(i)
        {
            return None;
        }
        if self.punct(i + 5) == Some(sep) && self.num(i + 6).is_some() && self.adjacent(i + 5) {
            return None;
        }
        let mut end = i + 5;
        let hijri_marker = self.take(end, |l| l == Lex::Ah);
        let (y, m, d) = if la == 4 && lb <= 2 && lc <= 2 {
            (a, b, c)
        } else if la <= 2 && lb <= 2 && (lc == 4 || (lc == 2 && sep != '-')) {
            let y = if lc == 2 {
                if c < 70 {
                    2000 + c
                } else {
                    1900 + c
                }
            } else {
                c
            };
            let (d, m) = if b <= 12 {
                (a, b)
            } else if a <= 12 {
                (b, a)
            } else {
                return None;
            };
            (y, m, d)
        } else {
            return None;
        };
        let mut found = if let Some((_, e)) = hijri_marker {
            if !(1300..=1550).contains(&y) {
                return None;
            }
            end = e;
            let mut f = Found::day(hijri_to_gregorian(y as i32, m, d)?);
            f.calendar = Calendar::Hijri;
            f
        } else {
            if !(1900..=2100).contains(&y) {
                return None;
            }
            Found::day(gregorian(y as i32, m, d)?)
        };
        if let Some((_, e)) = self.take(end, |l| matches!(l, Lex::M | Lex::Ad)) {
            // "25/08/2025 م": the era marker (a PM marker needs a time before it).
            end = e;
        }
        end = self.attach_time(end, &mut found, true);
        Some((end, found))
    }

    // ---- day first: "25 أغسطس 2025", "العاشر من مارس", "25th, August 2025 GMT" -----------

    pub(super) fn parse_day_first(&self, i: usize) -> Option<(usize, Found)> {
        let mut j = i;
        if self.is(j, Lex::Al).is_some() {
            j += 1;
            self.num(j)?;
        }
        let (day, mut j) = match self.num(j) {
            Some((d, l)) if l <= 2 && (1..=31).contains(&d) => (d, j + 1),
            Some(_) => return None,
            None => {
                let (l, e) = self.take(j, |l| matches!(l, Lex::Ordinal(_)))?;
                let Lex::Ordinal(d) = l else { return None };
                // "الأسبوع الأول من أبريل", "الربع الثاني من العام" are not days.
                if j > 0
                    && matches!(
                        self.text(j - 1),
                        "الاسبوع"
                            | "الربع"
                            | "النصف"
                            | "الثلث"
                            | "العقد"
                            | "الشطر"
                            | "الفصل"
                    )
                {
                    return None;
                }
                // An ordinal must be followed by من ("العاشر من مارس") or by another ordinal
                // day that is ("الثالث والرابع من أبريل", "الثالث إلى الخامس من مايو").
                if self.is(e, Lex::From).is_none() {
                    let next = self.is(e, Lex::Range).unwrap_or(e);
                    let Some((Lex::Ordinal(d2), _)) = self.lex.get(next).copied().flatten() else {
                        return None;
                    };
                    if d2 <= d {
                        return None;
                    }
                    let (_, f2) = self.parse_day_first(next)?;
                    if f2.precision != Precision::Day {
                        return None;
                    }
                    let mut f = f2;
                    f.date = f2.date.with_day(d as u32)?;
                    f.time = None;
                    f.offset = None;
                    return Some((e, f));
                }
                (d as u32, e)
            }
        };
        if let Some(e) = self.is(j, Lex::OrdSuffix) {
            if self.adjacent(j) {
                j = e;
            }
        }
        // "5 و6 دجنبر 2018", "من 5 إلى 10 مارس": the first day takes the rest's month and year.
        if let Some(e) = self
            .is(j, Lex::Range)
            .or_else(|| (self.punct(j) == Some('-')).then_some(j + 1))
        {
            if let Some((d2, l2)) = self.num(e) {
                if l2 <= 2 && (1..=31).contains(&d2) && d2 > day {
                    if let Some((_, f2)) = self.parse_day_first(e) {
                        if f2.precision == Precision::Day {
                            let date = f2.date.with_day(day)?;
                            let mut f = f2;
                            f.date = date;
                            f.time = None;
                            f.offset = None;
                            return Some((j, f));
                        }
                    }
                }
            }
        }
        if self.is_comma(j) {
            j += 1;
        }
        if let Some(e) = self.is(j, Lex::From) {
            j = e;
        }
        if let Some(e) = self.is(j, Lex::MonthWord) {
            j = e;
        }
        let paren = self.punct(j) == Some('(');
        if paren {
            j += 1;
        }
        let (mlex, e) = self.take(j, |l| matches!(l, Lex::Month { .. } | Lex::HijriMonth(_)))?;
        // A day and Hijri month with no year ("27 رمضان") is only trusted when the month is
        // written plainly (not "وصفر") and is not صفر (also "zero": "6 وصفر-6").
        let plain_hijri =
            matches!(mlex, Lex::HijriMonth(n) if n != 2) && LEXICON.contains_key(self.text(j));
        j = e;
        if paren && self.punct(j) == Some(')') {
            j += 1;
        }
        match mlex {
            Lex::Month { n, .. } => {
                j = self.skip_dual(j, n);
                self.finish_gregorian(j, Some(day), n as u32)
            }
            Lex::HijriMonth(n) => self.finish_hijri(j, Some(day), n as u32, plain_hijri),
            _ => None,
        }
    }

    /// After a Gregorian month name: "/ آذار", "(آذار)", "آذار".
    pub(super) fn skip_dual(&self, j: usize, n: u8) -> usize {
        let mut k = j;
        while matches!(self.punct(k), Some('/' | '-' | '(' | ')' | '\\' | '|')) {
            k += 1;
        }
        if let Some((Lex::Month { n: n2, .. }, e)) = self.lex.get(k).copied().flatten() {
            if n2 == n {
                let mut e = e;
                if self.punct(e) == Some(')') {
                    e += 1;
                }
                return e;
            }
        }
        j
    }

    pub(super) fn has_dual(&self, j: usize, n: u8) -> bool {
        self.skip_dual(j, n) != j
    }

    /// Year (and era marker, qualifier, time) after a Gregorian day-month or month.
    pub(super) fn finish_gregorian(
        &self,
        j: usize,
        day: Option<u32>,
        month: u32,
    ) -> Option<(usize, Found)> {
        let mut k = j;
        if self.is_comma(k) {
            k += 1;
        }
        // "مارس/ آذار من عام 2016".
        if let Some(e) = self.is(k, Lex::From) {
            if self.is(e, Lex::YearWord).is_some() {
                k = e;
            }
        }
        if let Some(e) = self.is(k, Lex::YearWord) {
            // "ديسمبر من العام الماضي": the year is relative.
            if let (Some(r), Some((Lex::Qual(q), qe))) =
                (self.reference, self.lex.get(e).copied().flatten())
            {
                if self.text(k).starts_with("ال") {
                    let y = r.year()
                        + match q {
                            Qual::Past => -1,
                            Qual::Current => 0,
                            Qual::Next => 1,
                        };
                    let mut f = match day {
                        Some(d) => Found::day(gregorian(y, month, d)?),
                        None => Found::day(gregorian(y, month, 1)?).with(Precision::Month, true),
                    };
                    f.relative = true;
                    return Some((qe, f));
                }
            }
            k = e;
        }
        if let Some((y, 4)) = self.num(k) {
            if (1900..=2100).contains(&y) {
                let mut end = k + 1;
                if let Some((_, e)) = self.take(end, |l| matches!(l, Lex::M | Lex::Ad)) {
                    end = e;
                }
                if let Some((_, e)) = self.take(end, |l| matches!(l, Lex::Qual(_))) {
                    end = e;
                }
                let mut f = match day {
                    Some(d) => Found::day(gregorian(y as i32, month, d)?),
                    None => {
                        Found::day(gregorian(y as i32, month, 1)?).with(Precision::Month, false)
                    }
                };
                end = if day.is_some() {
                    self.attach_time(end, &mut f, false)
                } else {
                    end
                };
                return Some((end, f));
            }
        }
        // No year: the qualifier or the reference decides.
        let mut end = j;
        let qual = match self.take(j, |l| matches!(l, Lex::Qual(_))) {
            Some((Lex::Qual(q), e)) => {
                end = e;
                Some(q)
            }
            _ => None,
        };
        if day.is_none() && qual.is_none() {
            return None;
        }
        let mut f = self.resolve_partial(Partial { day, month, qual })?;
        if day.is_some() {
            end = self.attach_time(end, &mut f, false);
        }
        Some((end, f))
    }

    // ---- month first ------------------------------------------------------------------------

    pub(super) fn parse_month_first(&self, i: usize) -> Option<(usize, Found)> {
        // "31 فبراير 2020": the day-first reading failed (invalid day); don't fall back to
        // the month and year alone.
        if i > 0 && self.num(i - 1).is_some_and(|(_, l)| l <= 2) {
            return None;
        }
        if i > 1 && self.is(i - 1, Lex::From).is_some() && self.num(i - 2).is_some() {
            return None;
        }
        let mut j = i;
        let mut anchored = false;
        if let Some(e) = self.is(j, Lex::Modifier) {
            j = e;
            anchored = true;
        }
        if let Some(e) = self.is(j, Lex::MonthWord) {
            j = e;
            anchored = true;
        }
        let paren = self.punct(j) == Some('(');
        if paren {
            j += 1;
        }
        let (mlex, e) = self.take(j, |l| matches!(l, Lex::Month { .. } | Lex::HijriMonth(_)))?;
        j = e;
        if paren && self.punct(j) == Some(')') {
            j += 1;
        }
        match mlex {
            Lex::HijriMonth(n) => self.finish_hijri(j, None, n as u32, anchored),
            Lex::Month { n, en } => {
                // English "August 25, 2025", "Aug. 25, 2025"; Arabic only with the comma, as
                // WordPress writes it: "أغسطس 25, 2025" (not "تسليم أكتوبر 30 سنتا").
                let mut k = j;
                if en && self.punct(k) == Some('.') && self.adjacent(k) {
                    k += 1;
                }
                if let Some((d, l)) = self.num(k) {
                    if l <= 2 && (1..=31).contains(&d) {
                        let mut k2 = k + 1;
                        if let Some(e) = self.is(k2, Lex::OrdSuffix) {
                            k2 = e;
                        }
                        let comma = self.is_comma(k2);
                        if comma {
                            k2 += 1;
                        }
                        if let (Some((y, 4)), true) = (self.num(k2), en || comma) {
                            if (1900..=2100).contains(&y) {
                                let mut f = Found::day(gregorian(y as i32, n as u32, d)?);
                                let end = self.attach_time(k2 + 1, &mut f, false);
                                return Some((end, f));
                            }
                        }
                    }
                }
                let dual = self.has_dual(j, n);
                j = self.skip_dual(j, n);
                if let Some(r) = self.finish_gregorian(j, None, n as u32) {
                    return Some(r);
                }
                if anchored || dual {
                    let f = self.resolve_partial(Partial {
                        day: None,
                        month: n as u32,
                        qual: None,
                    })?;
                    return Some((j, f));
                }
                None
            }
            _ => None,
        }
    }

    // ---- years ------------------------------------------------------------------------------

    pub(super) fn parse_year(&self, i: usize) -> Option<(usize, Found)> {
        let j = self.is(i, Lex::YearWord)?;
        let (y, l) = self.num(j)?;
        if l != 4 {
            return None;
        }
        let mut end = j + 1;
        if let Some(e) = self.is(end, Lex::Ah) {
            if !(1300..=1550).contains(&y) {
                return None;
            }
            let mut f = Found::day(hijri_to_gregorian(y as i32, 1, 1)?);
            f.calendar = Calendar::Hijri;
            f.precision = Precision::Year;
            return Some((e, f));
        }
        if !(1900..=2100).contains(&y) {
            return None;
        }
        if let Some((_, e)) = self.take(end, |l| matches!(l, Lex::M | Lex::Ad)) {
            end = e;
        }
        Some((
            end,
            Found::day(gregorian(y as i32, 1, 1)?).with(Precision::Year, false),
        ))
    }

    /// A bare Gregorian year after a preposition and before punctuation or an era marker:
    /// "منذ 2015،", "في 2014م", "حتى 2030." ("في 2000 موقع" is a count, not a year).
    pub(super) fn parse_bare_year(&self, i: usize) -> Option<(usize, Found)> {
        let (y, l) = self.num(i)?;
        if l != 4 || !(1900..=2100).contains(&y) || i == 0 {
            return None;
        }
        let prev = self.text(i - 1);
        let prev = prev
            .strip_prefix('و')
            .filter(|p| p.chars().count() >= 2)
            .unwrap_or(prev);
        if self.toks[i - 1].kind != TokKind::Word
            || !matches!(
                prev,
                "منذ" | "في" | "قبل" | "حتي" | "خلال" | "بعد" | "مطلع" | "نهايه"
            )
        {
            return None;
        }
        let mut end = i + 1;
        if let Some((_, e)) = self.take(end, |l| matches!(l, Lex::M | Lex::Ad)) {
            end = e;
        } else if end < self.toks.len() {
            let ok = match self.punct(end) {
                Some(',' | '،' | ')' | '؛' | ';' | '"' | '»' | '”' | '!' | '؟' | '?') => true,
                Some('.') => self.num(end + 1).is_none() || !self.adjacent(end + 1),
                _ => false,
            };
            if !ok {
                return None;
            }
        }
        Some((
            end,
            Found::day(gregorian(y as i32, 1, 1)?).with(Precision::Year, false),
        ))
    }
}
