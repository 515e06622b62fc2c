use super::*;

impl Scanner<'_> {
    /// Year (or qualifier) after a Hijri day-month or month. Without a year the month needs a
    /// qualifier (رمضان الماضي) or an anchor (`anchored`: شهر رمضان, or a trusted day as in
    /// 27 رمضان), and a reference.
    pub(super) fn finish_hijri(
        &self,
        j: usize,
        day: Option<u32>,
        month: u32,
        anchored: bool,
    ) -> Option<(usize, Found)> {
        let mut k = j;
        if self.is_comma(k) {
            k += 1;
        }
        if let Some(e) = self.is(k, Lex::YearWord) {
            k = e;
        }
        let Some((y, _)) = self
            .num(k)
            .filter(|&(y, l)| l == 4 && (1300..=1550).contains(&y))
        else {
            let (qual, end) = match self.lex.get(j).copied().flatten() {
                Some((Lex::Qual(q), e)) => (Some(q), e),
                _ if anchored => (None, j),
                _ => return None,
            };
            let mut f = self.resolve_hijri_partial(day, month, qual)?;
            let end = if day.is_some() {
                self.attach_time(end, &mut f, false)
            } else {
                end
            };
            return Some((end, f));
        };
        let mut end = k + 1;
        if let Some(e) = self.is(end, Lex::Ah) {
            end = e;
        }
        let mut f = Found::day(hijri_to_gregorian(y as i32, month, day.unwrap_or(1))?);
        f.calendar = Calendar::Hijri;
        if day.is_none() {
            f.precision = Precision::Month;
        } else {
            end = self.attach_time(end, &mut f, false);
        }
        Some((end, f))
    }

    pub(super) fn resolve_hijri_partial(
        &self,
        day: Option<u32>,
        month: u32,
        qual: Option<Qual>,
    ) -> Option<Found> {
        let r = self.reference?;
        let (hy, hm, _) = gregorian_to_hijri(r)?;
        let this_month = hijri_to_gregorian(hy, hm, 1)?;
        let cands: Vec<NaiveDate> = (hy - 1..=hy + 1)
            .filter_map(|y| hijri_to_gregorian(y, month, day.unwrap_or(1)))
            .collect();
        let date = match (qual, day) {
            (Some(Qual::Past), Some(_)) => cands.into_iter().filter(|d| *d < r).max()?,
            (Some(Qual::Next), Some(_)) => cands.into_iter().filter(|d| *d > r).min()?,
            (Some(Qual::Past), None) => cands.into_iter().filter(|d| *d < this_month).max()?,
            (Some(Qual::Next), None) => cands.into_iter().filter(|d| *d > this_month).min()?,
            (Some(Qual::Current), _) => hijri_to_gregorian(hy, month, day.unwrap_or(1))?,
            (None, _) => {
                let anchor = if day.is_some() { r } else { this_month };
                cands
                    .into_iter()
                    .min_by_key(|d| ((*d - anchor).num_days().abs(), *d > anchor))?
            }
        };
        let mut f = Found::day(date);
        f.calendar = Calendar::Hijri;
        f.relative = true;
        if day.is_none() {
            f.precision = Precision::Month;
        }
        Some(f)
    }

    pub(super) fn parse_bare_hijri_year(&self, i: usize) -> Option<(usize, Found)> {
        let (y, l) = self.num(i)?;
        if l != 4 || !(1300..=1550).contains(&y) {
            return None;
        }
        let e = self.is(i + 1, Lex::Ah)?;
        let mut f = Found::day(hijri_to_gregorian(y as i32, 1, 1)?);
        f.calendar = Calendar::Hijri;
        f.precision = Precision::Year;
        Some((e, f))
    }
}

/// Converts a Hijri date with the tabular Islamic calendar (civil epoch: 1 Muharram 1 AH =
/// 19 July 622 proleptic Gregorian; leap years 2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29 of each
/// 30-year cycle). Days up to 30 are accepted in every month, since an observed month can
/// have 30 days where the table has 29; such a day rolls into the next month. Differs from
/// Umm al-Qura and from sighting by up to ±2 days (usually 0–1).
pub fn hijri_to_gregorian_tabular(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=30).contains(&day) {
        return None;
    }
    let y = year as i64;
    let m = month as i64;
    let days = (day as i64 - 1) + (59 * (m - 1) + 1) / 2 + (y - 1) * 354 + (3 + 11 * y) / 30;
    let epoch = NaiveDate::from_ymd_opt(622, 7, 19)?;
    add_days(epoch, days)
}

/// Converts a Hijri date the way the Umm al-Qura calendar (Saudi Arabia's official one, which
/// most Arab news uses) is computed since 1420 AH: a month begins on the day after the
/// astronomical new moon when the conjunction falls before sunset at Mecca, else one day
/// later. The conjunction comes from Meeus' new-moon series (error about a minute) and
/// sunset from a short solar formula (a few minutes), so a date can be a day off from the
/// published table when the conjunction is within minutes of sunset, or where the official
/// table also required moonset after sunset; years before 1420 AH (other rules) and
/// announced sightings (رمضان، شوال، ذو الحجة in some countries) can differ by a day too.
/// Falls back to [`hijri_to_gregorian_tabular`] if the computation fails.
pub fn hijri_to_gregorian(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let tabular_start = hijri_to_gregorian_tabular(year, month, 1)?;
    if !(1..=30).contains(&day) {
        return None;
    }
    let start = umm_al_qura_month_start(tabular_start).unwrap_or(tabular_start);
    add_days(start, day as i64 - 1)
}

/// The Hijri (year, month, day) of a Gregorian date, consistent with [`hijri_to_gregorian`].
pub fn gregorian_to_hijri(date: NaiveDate) -> Option<(i32, u32, u32)> {
    let epoch = NaiveDate::from_ymd_opt(622, 7, 19)?;
    let n = (date - epoch).num_days();
    if n < 0 {
        return None;
    }
    let y_est = (n as f64 / 354.367_056).floor() as i32 + 1;
    let mut best: Option<(i32, u32, NaiveDate)> = None;
    for y in y_est - 1..=y_est + 1 {
        for m in 1..=12 {
            let Some(start) = hijri_to_gregorian(y, m, 1) else {
                continue;
            };
            let later = match best {
                Some((_, _, b)) => start > b,
                None => true,
            };
            if start <= date && later {
                best = Some((y, m, start));
            }
        }
    }
    let (y, m, start) = best?;
    let day = (date - start).num_days() + 1;
    (1..=30).contains(&day).then_some((y, m, day as u32))
}

/// The Umm al-Qura–style start of the month whose tabular start is `approx`.
pub(super) fn umm_al_qura_month_start(approx: NaiveDate) -> Option<NaiveDate> {
    const UNIX_JD: f64 = 2_440_587.5;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    let approx_jd = (approx - epoch).num_days() as f64 + UNIX_JD;
    let k0 = ((approx_jd - 1.0 - 2_451_550.097_66) / 29.530_588_861).round();
    let mut best: Option<NaiveDate> = None;
    for dk in [-1.0, 0.0, 1.0] {
        let jd = new_moon_jd(k0 + dk);
        // Mecca local time (UTC+3) of the conjunction.
        let local = jd - UNIX_JD + 3.0 / 24.0;
        let day = local.floor();
        let date = add_days(epoch, day as i64)?;
        let local_hours = (local - day) * 24.0;
        let sunset = mecca_sunset_local_hours(date.ordinal() as f64);
        let start = add_days(date, if local_hours < sunset { 1 } else { 2 })?;
        let dist = (start - approx).num_days().abs();
        let better = match best {
            Some(b) => dist < (b - approx).num_days().abs(),
            None => true,
        };
        if better {
            best = Some(start);
        }
    }
    best.filter(|b| (*b - approx).num_days().abs() <= 3)
}

/// Julian Ephemeris Day of the new moon with lunation number `k` (k = 0: 6 January 2000),
/// after Meeus, *Astronomical Algorithms*, ch. 49 (periodic terms; planetary terms omitted).
pub(super) fn new_moon_jd(k: f64) -> f64 {
    let t = k / 1236.85;
    let (t2, t3, t4) = (t * t, t * t * t, t * t * t * t);
    let jde = 2_451_550.097_66 + 29.530_588_861 * k + 0.000_154_37 * t2 - 0.000_000_150 * t3
        + 0.000_000_000_73 * t4;
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    let rad = |deg: f64| (deg % 360.0).to_radians();
    let m = rad(2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3);
    let mp = rad(
        201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3 - 0.000_000_058 * t4,
    );
    let f = rad(
        160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3 + 0.000_000_011 * t4,
    );
    let om = rad(124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3);
    let terms = [
        (-0.40720, mp, 0),
        (0.17241, m, 1),
        (0.01608, 2.0 * mp, 0),
        (0.01039, 2.0 * f, 0),
        (0.00739, mp - m, 1),
        (-0.00514, mp + m, 1),
        (0.00208, 2.0 * m, 2),
        (-0.00111, mp - 2.0 * f, 0),
        (-0.00057, mp + 2.0 * f, 0),
        (0.00056, 2.0 * mp + m, 1),
        (-0.00042, 3.0 * mp, 0),
        (0.00042, m + 2.0 * f, 1),
        (0.00038, m - 2.0 * f, 1),
        (-0.00024, 2.0 * mp - m, 1),
        (-0.00017, om, 0),
        (-0.00007, mp + 2.0 * m, 0),
        (0.00004, 2.0 * mp - 2.0 * f, 0),
        (0.00004, 3.0 * m, 0),
        (0.00004, mp + m - 2.0 * f, 0),
        (0.00003, 2.0 * mp + 2.0 * f, 0),
        (-0.00003, mp + m + 2.0 * f, 0),
        (0.00003, mp - m + 2.0 * f, 0),
        (-0.00002, mp - m - 2.0 * f, 0),
        (-0.00002, 3.0 * mp + m, 0),
        (0.00002, 4.0 * mp, 0),
    ];
    let corr: f64 = terms
        .iter()
        .map(|&(c, arg, ep)| c * e.powi(ep) * arg.sin())
        .sum();
    // TT − UT is about a minute in this era; ignored.
    jde + corr
}

/// Approximate sunset at Mecca (21.42° N, 39.83° E) in local hours (UTC+3) on day-of-year `doy`.
pub(super) fn mecca_sunset_local_hours(doy: f64) -> f64 {
    let (lat, lon) = (21.4225f64.to_radians(), 39.8262f64);
    let b = 2.0 * std::f64::consts::PI * (doy - 81.0) / 364.0;
    let eot_min = 9.87 * (2.0 * b).sin() - 7.53 * b.cos() - 1.5 * b.sin();
    let decl = (23.44f64.to_radians()) * (2.0 * std::f64::consts::PI * (284.0 + doy) / 365.0).sin();
    let cos_h =
        ((-0.833f64).to_radians().sin() - lat.sin() * decl.sin()) / (lat.cos() * decl.cos());
    let h = cos_h.clamp(-1.0, 1.0).acos().to_degrees();
    let noon_utc = 12.0 - lon / 15.0 - eot_min / 60.0;
    noon_utc + h / 15.0 + 3.0
}
