use super::*;

// Lexicon: the word tables of `data/text/dates/` (spellings written naturally, key-folded
// when the table loads) and the clitic variants of a word.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Qual {
    Past,
    Current,
    Next,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Am,
    Noon,
    Pm,
    Night,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lex {
    /// Gregorian month; `en` for English names (which may come before the day).
    Month {
        n: u8,
        en: bool,
    },
    HijriMonth(u8),
    /// Monday = 0 … Sunday = 6.
    Weekday(u8),
    RelDay(i8),
    Qual(Qual),
    /// A duration unit; `count` 1 = singular, 2 = dual, 0 = plural (needs a number).
    Unit(Unit, u8),
    NumWord(u8),
    Ordinal(u8),
    /// A clock hour in words after الساعة: الثامنة = 8.
    HourWord(u8),
    /// Minutes after an hour word: والنصف = 30, إلا ربعا = −15.
    MinuteWord(i8),
    /// عام / سنة (also a singular year unit).
    YearWord,
    /// شهر (also a singular month unit).
    MonthWord,
    /// يوم (also a singular day unit).
    DayWord,
    /// The definite period words العام / السنة / الشهر / الأسبوع before a qualifier.
    Period(Unit),
    This,
    Ago,
    About,
    Modifier,
    Clock,
    /// Part of the day: a prefix (مساء أمس) or an AM/PM marker after a time.
    Part(Part),
    /// `م`: PM after a time, ميلادي after a year.
    M,
    Ad,
    Ah,
    Zone(i32),
    OrdSuffix,
    From,
    Muwafiq,
    Al,
    Range,
}

/// Key form of a word or text: match-normalized, ASCII lower-cased, ة → ه (length-preserving).
pub(super) fn key_form(normalized: &str) -> String {
    normalized
        .chars()
        .map(|c| match c {
            '\u{0629}' => '\u{0647}',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

pub(super) type Entries = Vec<(Vec<String>, Lex)>;

/// First word → (remaining words, entry), longest entries first.
pub(super) static LEXICON: LazyLock<LexMap> = LazyLock::new(build_lexicon);

macro_rules! table {
    ($file:literal) => {
        (
            $file,
            include_str!(concat!("../../../../data/text/dates/", $file)),
        )
    };
}

type Table = (&'static str, &'static str);

static MONTHS: Table = table!("months.tsv");
static EN_MONTHS: Table = table!("en_months.tsv");
static HIJRI_MONTHS: Table = table!("hijri_months.tsv");
static WEEKDAYS: Table = table!("weekdays.tsv");
static REL_DAYS: Table = table!("relative_days.tsv");
static QUALS: Table = table!("qualifiers.tsv");
static UNITS: Table = table!("units.tsv");
static NUM_WORDS: Table = table!("number_words.tsv");
static HOUR_WORDS: Table = table!("hour_words.tsv");
static MINUTE_WORDS: Table = table!("minute_words.tsv");
static PERIODS: Table = table!("periods.tsv");
static PARTS: Table = table!("day_parts.tsv");
static ZONES: Table = table!("zones.tsv");
static WORDS: Table = table!("words.tsv");
/// Ordinal day words 1–9, used to build 1–31.
static ORDINAL_UNITS: Table = table!("ordinals.tsv");

/// The rows of a table: (spelling, further fields); `#` comments and blank lines skipped.
fn rows((_, text): Table) -> impl Iterator<Item = (&'static str, Vec<&'static str>)> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut fields = l.split('\t');
            let spelling = fields.next().unwrap_or_default();
            (spelling, fields.collect())
        })
}

/// Field `i` (after the spelling) of a row, parsed; a malformed embedded table is a bug.
fn field<T>(table: Table, fields: &[&str], i: usize, parse: impl Fn(&str) -> Option<T>) -> T {
    fields
        .get(i)
        .and_then(|f| parse(f))
        .unwrap_or_else(|| panic!("data/text/dates/{}: bad row {fields:?}", table.0))
}

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.parse().ok()
}

fn unit(s: &str) -> Option<Unit> {
    Some(match s {
        "Minute" => Unit::Minute,
        "Hour" => Unit::Hour,
        "Day" => Unit::Day,
        "Week" => Unit::Week,
        "Month" => Unit::Month,
        "Year" => Unit::Year,
        _ => return None,
    })
}

fn qual(s: &str) -> Option<Qual> {
    Some(match s {
        "Past" => Qual::Past,
        "Current" => Qual::Current,
        "Next" => Qual::Next,
        _ => return None,
    })
}

fn part(s: &str) -> Option<Part> {
    Some(match s {
        "Am" => Part::Am,
        "Noon" => Part::Noon,
        "Pm" => Part::Pm,
        "Night" => Part::Night,
        _ => return None,
    })
}

/// The roles of `words.tsv`.
fn role(s: &str) -> Option<Lex> {
    Some(match s {
        "YearWord" => Lex::YearWord,
        "MonthWord" => Lex::MonthWord,
        "DayWord" => Lex::DayWord,
        "This" => Lex::This,
        "Ago" => Lex::Ago,
        "About" => Lex::About,
        "Modifier" => Lex::Modifier,
        "Clock" => Lex::Clock,
        "M" => Lex::M,
        "Ad" => Lex::Ad,
        "Ah" => Lex::Ah,
        "OrdSuffix" => Lex::OrdSuffix,
        "From" => Lex::From,
        "Muwafiq" => Lex::Muwafiq,
        "Al" => Lex::Al,
        "Range" => Lex::Range,
        _ => return None,
    })
}

/// Every (spelling, entry) of the tables, spellings as written, in load order.
pub(super) fn lexicon_entries() -> Vec<(String, Lex)> {
    let mut all: Vec<(String, Lex)> = Vec::new();
    let mut add = |s: &str, l: Lex| all.push((s.to_string(), l));
    for t in [MONTHS, EN_MONTHS] {
        for (s, f) in rows(t) {
            let n = field(t, &f, 0, num);
            add(
                s,
                Lex::Month {
                    n,
                    en: t == EN_MONTHS,
                },
            );
        }
    }
    for (s, f) in rows(HIJRI_MONTHS) {
        add(s, Lex::HijriMonth(field(HIJRI_MONTHS, &f, 0, num)));
    }
    for (s, f) in rows(WEEKDAYS) {
        add(s, Lex::Weekday(field(WEEKDAYS, &f, 0, num)));
    }
    for (s, f) in rows(REL_DAYS) {
        add(s, Lex::RelDay(field(REL_DAYS, &f, 0, num)));
    }
    for (s, f) in rows(QUALS) {
        add(s, Lex::Qual(field(QUALS, &f, 0, qual)));
    }
    for (s, f) in rows(UNITS) {
        add(
            s,
            Lex::Unit(field(UNITS, &f, 0, unit), field(UNITS, &f, 1, num)),
        );
    }
    for (s, f) in rows(NUM_WORDS) {
        add(s, Lex::NumWord(field(NUM_WORDS, &f, 0, num)));
    }
    for (s, f) in rows(HOUR_WORDS) {
        add(s, Lex::HourWord(field(HOUR_WORDS, &f, 0, num)));
    }
    for (s, f) in rows(MINUTE_WORDS) {
        add(s, Lex::MinuteWord(field(MINUTE_WORDS, &f, 0, num)));
    }
    for (s, f) in rows(PERIODS) {
        add(s, Lex::Period(field(PERIODS, &f, 0, unit)));
    }
    for (s, f) in rows(PARTS) {
        add(s, Lex::Part(field(PARTS, &f, 0, part)));
    }
    for (s, f) in rows(ZONES) {
        add(s, Lex::Zone(field(ZONES, &f, 0, num)));
    }
    for (s, f) in rows(WORDS) {
        add(s, field(WORDS, &f, 0, role));
    }
    // Ordinal day words 1–31: الأول … التاسع, العاشر, الحادي عشر …, العشرين, الحادي والعشرين
    // …, الثلاثين, الحادي والثلاثين (nominative -ون forms too).
    for (i, (w, _)) in rows(ORDINAL_UNITS).enumerate() {
        let n = i as u8 + 1;
        add(w, Lex::Ordinal(n));
        let compound = if n == 1 { "الحادي" } else { w };
        add(&format!("{compound} عشر"), Lex::Ordinal(10 + n));
        for (tens, base) in [("العشرين", 20u8), ("العشرون", 20)] {
            add(&format!("{compound} و{}", &tens), Lex::Ordinal(base + n));
        }
        if n == 1 {
            add("الحادي والثلاثين", Lex::Ordinal(31));
            add("الحادي والثلاثون", Lex::Ordinal(31));
        }
    }
    add("العاشر", Lex::Ordinal(10));
    add("العشرين", Lex::Ordinal(20));
    add("العشرون", Lex::Ordinal(20));
    add("الثلاثين", Lex::Ordinal(30));
    add("الثلاثون", Lex::Ordinal(30));
    all
}

pub(super) fn build_lexicon() -> LexMap {
    let mut map = LexMap::default();
    for (s, lex) in lexicon_entries() {
        let k = key_form(&normalize_str(&s, Level::Match));
        let mut words = k.split_whitespace().map(str::to_string);
        let Some(first) = words.next() else { continue };
        let rest: Vec<String> = words.collect();
        // One entry per spelling: the first added wins (the tables are checked for clashes
        // by `lexicon_has_no_clashes`).
        let v = map.entry(first).or_default();
        if !v.iter().any(|(r, _)| *r == rest) {
            v.push((rest, lex));
        }
    }
    for v in map.values_mut() {
        v.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
    }
    map
}

/// Tries the clitic-stripped readings of a word in order, each with whether a ب/ل/ك proclitic
/// was removed: itself, then without و/ف, then لل → ال, then without ب/ل/ك. Returns the first
/// answer of `f`.
pub(super) fn with_clitic_variants<R>(
    w: &str,
    mut f: impl FnMut(&str, bool) -> Option<R>,
) -> Option<R> {
    if let Some(r) = f(w, false) {
        return Some(r);
    }
    let long = |s: &str| s.chars().count() >= 3;
    let mut base = w;
    if let Some(rest) = w.strip_prefix('و').or_else(|| w.strip_prefix('ف')) {
        if long(rest) {
            if let Some(r) = f(rest, false) {
                return Some(r);
            }
            base = rest;
        }
    }
    if let Some(rest) = base.strip_prefix("لل") {
        if rest.chars().count() >= 2 {
            if let Some(r) = f(&format!("ال{rest}"), true) {
                return Some(r);
            }
        }
    }
    let rest = base
        .strip_prefix('ب')
        .or_else(|| base.strip_prefix('ل'))
        .or_else(|| base.strip_prefix('ك'))?;
    if long(rest) {
        f(rest, true)
    } else {
        None
    }
}

pub(super) type LexMap = HashMap<String, Entries, crate::hash::FnvBuild>;
