//! Reading dates, numbers and periods as Vietnamese portals print them.
//!
//! Dates: "Thứ 3, 30.06.2020 | 16:45:14", "Thứ ba, 11/07/2023", "23-08-2022 16:13",
//! "Thứ Tư, 13/01/2021, 19:45 [GMT+7]", and "Sáng 30/6" (no year: read against the page's
//! own date). Numbers: "." groups thousands and "," marks decimals ("1.272", "1,5");
//! "1.272/1.337" is a part of a whole; "trên 95%", "Hơn 1000" are bounds, not values.
//! Periods: "6 tháng đầu năm 2020", "năm 2021", "quý III năm 2021", "tháng 6/2020",
//! "giai đoạn 2016-2020".

use crate::fold;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// A date as printed, with its time of day when the page gives one (Vietnam time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortalDate {
    /// The day.
    pub date: NaiveDate,
    /// The time of day, if printed.
    pub time: Option<NaiveTime>,
}

impl PortalDate {
    /// The local date and time, midnight when no time was printed.
    pub fn local(&self) -> NaiveDateTime {
        self.date.and_time(self.time.unwrap_or(NaiveTime::MIN))
    }
}

/// Runs of ASCII digits in a text, with where each starts and ends.
fn numbers(text: &str) -> Vec<(usize, usize, u32)> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if let Ok(n) = text[start..i].parse() {
                found.push((start, i, n));
            }
        } else {
            i += 1;
        }
    }
    found
}

/// Reads the first full date (day, month, four-digit year, separated by `.`, `/` or `-`,
/// or written out: "ngày 5 tháng 8 năm 2024") and its time (`16:45`, `16:45:14`, `9h15`,
/// "9 giờ 15"), after the date or, failing that, before it ("Cập nhật lúc 9h15 ngày
/// 14/3/2023").
pub fn parse_date(text: &str) -> Option<PortalDate> {
    let nums = numbers(text);
    let separated = |a: usize, b: usize| {
        let between = &text[a..b];
        between.len() == 1 && matches!(between, "." | "/" | "-")
    };
    let numeric = nums.windows(3).find_map(|w| {
        let [(s1, e1, d), (s2, e2, m), (s3, e3, y)] = [w[0], w[1], w[2]];
        let is_date = separated(e1, s2) && separated(e2, s3) && e3 - s3 == 4;
        is_date.then(|| {
            NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d).map(|date| (date, s1, e3))
        })?
    });
    let (date, start, end) = numeric.or_else(|| written_date(text, &nums))?;
    Some(PortalDate {
        date,
        time: parse_time(&text[end..]).or_else(|| parse_time(&text[..start])),
    })
}

/// "5 tháng 8 năm 2024": the day, the month and the year in words, with where they start
/// and end.
fn written_date(text: &str, nums: &[(usize, usize, u32)]) -> Option<(NaiveDate, usize, usize)> {
    let word = |a: usize, b: usize, w: &str| fold(text[a..b].trim()) == w;
    nums.windows(3).find_map(|w| {
        let [(s1, e1, d), (s2, e2, m), (s3, e3, y)] = [w[0], w[1], w[2]];
        (word(e1, s2, "thang") && word(e2, s3, "nam") && e3 - s3 == 4)
            .then(|| {
                NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d).map(|date| (date, s1, e3))
            })
            .flatten()
    })
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    let nums = numbers(text);
    nums.windows(2).find_map(|w| {
        let [(_, e1, h), (s2, e2, m)] = [w[0], w[1]];
        let between = &text[e1..s2];
        let clock = between == ":";
        // "9h15", "9 giờ 15", "9g15": the hour's mark, then two digits of minutes.
        let spoken = matches!(fold(between.trim()).as_str(), "h" | "gio" | "g") && e2 - s2 == 2;
        if !clock && !spoken {
            return None;
        }
        let second = nums
            .iter()
            .find(|(s, _, _)| clock && *s == e2 + 1 && text.get(e2..=e2) == Some(":"))
            .map_or(0, |(_, _, s)| *s);
        NaiveTime::from_hms_opt(h, m, second)
    })
}

/// Reads a day and month without a year ("Sáng 30/6", "ngày 23/8") as the latest such day
/// on or before `reference` (the page's date): a report is written after the meeting.
pub fn parse_day_month(text: &str, reference: NaiveDate) -> Option<NaiveDate> {
    let nums = numbers(text);
    nums.windows(2).find_map(|w| {
        let [(_, e1, d), (s2, _, m)] = [w[0], w[1]];
        if &text[e1..s2] != "/" {
            return None;
        }
        let this_year = NaiveDate::from_ymd_opt(reference.year(), m, d)?;
        if this_year <= reference {
            Some(this_year)
        } else {
            NaiveDate::from_ymd_opt(reference.year() - 1, m, d)
        }
    })
}

/// How a printed number bounds the true one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// Exactly.
    Exact,
    /// More than ("hơn", "trên", "vượt").
    MoreThan,
    /// At least ("ít nhất", "tối thiểu").
    AtLeast,
    /// Less than ("dưới", "chưa đến").
    LessThan,
    /// At most ("tối đa", "không quá").
    AtMost,
    /// About ("khoảng", "gần", "xấp xỉ").
    About,
}

/// A number as printed: "1.272/1.337", "trên 95%", "Hơn 1000".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    /// The number.
    pub value: f64,
    /// The whole it is part of, after a "/".
    pub denominator: Option<f64>,
    /// How it bounds the truth.
    pub bound: Bound,
    /// Whether it is a percentage.
    pub percent: bool,
}

/// Reads a Vietnamese number: "." groups thousands when followed by exactly three digits
/// ("1.272", "79.935.807"), "," marks decimals ("1,5").
fn number(text: &str) -> Option<(f64, usize)> {
    let bytes = text.as_bytes();
    let mut end = 0;
    let mut digits = String::new();
    while end < bytes.len() {
        let b = bytes[end];
        if b.is_ascii_digit() {
            digits.push(char::from(b));
            end += 1;
        } else if b == b'.'
            && !digits.is_empty()
            && bytes
                .get(end + 1..end + 4)
                .is_some_and(|g| g.iter().all(u8::is_ascii_digit))
            && !bytes.get(end + 4).is_some_and(u8::is_ascii_digit)
        {
            end += 1;
        } else if b == b','
            && !digits.is_empty()
            && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
            && !digits.contains('.')
        {
            digits.push('.');
            end += 1;
        } else {
            break;
        }
    }
    if digits.is_empty() {
        return None;
    }
    digits.parse().ok().map(|n| (n, end))
}

/// The bound words that come before a number, as folded text (without diacritics).
const BOUNDS: [(&str, Bound); 12] = [
    ("hon", Bound::MoreThan),
    ("tren", Bound::MoreThan),
    ("vuot", Bound::MoreThan),
    ("it nhat", Bound::AtLeast),
    ("toi thieu", Bound::AtLeast),
    ("duoi", Bound::LessThan),
    ("chua den", Bound::LessThan),
    ("toi da", Bound::AtMost),
    ("khong qua", Bound::AtMost),
    ("khoang", Bound::About),
    ("gan", Bound::About),
    ("xap xi", Bound::About),
];

/// Reads the first quantity in a text, with the bound word just before it.
pub fn parse_quantity(text: &str) -> Option<Quantity> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let (value, used) = number(&text[start..])?;
    let mut rest = &text[start + used..];
    let denominator = match rest.strip_prefix('/') {
        Some(after) => number(after).map(|(d, n)| {
            rest = &after[n..];
            d
        }),
        None => None,
    };
    let percent = rest.trim_start().starts_with('%');
    let before = fold(&text[..start]);
    let before = before.trim_end();
    let bound = BOUNDS
        .iter()
        .find(|(word, _)| {
            before.ends_with(word)
                && before[..before.len() - word.len()]
                    .chars()
                    .last()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
        .map_or(Bound::Exact, |(_, bound)| *bound);
    Some(Quantity {
        value,
        denominator,
        bound,
        percent,
    })
}

/// A reporting period as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodText {
    /// "năm 2021".
    Year(i32),
    /// "6 tháng đầu năm 2020" (1) or "6 tháng cuối năm 2020" (2).
    HalfYear(i32, u8),
    /// "quý III năm 2021".
    Quarter(i32, u8),
    /// "tháng 6 năm 2020", "tháng 6/2020".
    Month(i32, u8),
    /// "giai đoạn 2016-2020", "nhiệm kỳ 2020-2025".
    Phase(i32, i32),
}

fn roman(word: &str) -> Option<u8> {
    match word {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

/// Reads the first period a text names. Years are four digits.
pub fn parse_period(text: &str) -> Option<PeriodText> {
    period(text, None)
}

/// Reads the first period a text names, taking `year` for a half or a quarter printed
/// without one: in a report of 2020, "6 tháng đầu năm" is the first half of 2020.
pub fn parse_period_in(text: &str, year: i32) -> Option<PeriodText> {
    period(text, Some(year))
}

fn period(text: &str, default_year: Option<i32>) -> Option<PeriodText> {
    let folded = fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '/'))
        .filter(|w| !w.is_empty())
        .collect();
    let year = |w: &str| (w.len() == 4).then(|| w.parse::<i32>().ok()).flatten();
    for (i, w) in words.iter().enumerate() {
        let next = |k: usize| words.get(i + k).copied().unwrap_or_default();
        // "giai đoạn 2016-2020", "2016 - 2020"
        if let Some((a, b)) = w.split_once('-')
            && let (Some(a), Some(b)) = (year(a), year(b))
        {
            return Some(PeriodText::Phase(a, b));
        }
        if *w == "6" && next(1) == "thang" && matches!(next(2), "dau" | "cuoi") && next(3) == "nam"
        {
            let half = if next(2) == "dau" { 1 } else { 2 };
            if let Some(y) = year(next(4)).or(default_year) {
                return Some(PeriodText::HalfYear(y, half));
            }
        }
        if *w == "quy"
            && let Some(q) = roman(next(1))
        {
            let printed = (next(2) == "nam").then(|| year(next(3))).flatten();
            if let Some(y) = printed.or(default_year) {
                return Some(PeriodText::Quarter(y, q));
            }
        }
        if *w == "thang" {
            if let Some((m, y)) = next(1).split_once('/')
                && let (Ok(m), Some(y)) = (m.parse::<u8>(), year(y))
            {
                return Some(PeriodText::Month(y, m));
            }
            if let Ok(m) = next(1).parse::<u8>()
                && next(2) == "nam"
                && let Some(y) = year(next(3))
            {
                return Some(PeriodText::Month(y, m));
            }
        }
        if *w == "nam"
            && let Some(y) = year(next(1))
        {
            // "năm 2021" only when no longer form starts here ("6 tháng đầu năm" is above).
            return Some(PeriodText::Year(y));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn time(h: u32, m: u32, s: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, s)
    }

    #[test]
    fn every_portal_date_form_is_read() {
        let cases = [
            (
                "Thứ 3, 30.06.2020 | 16:45:14",
                date(2020, 6, 30),
                time(16, 45, 14),
            ),
            ("Thứ ba, 11/07/2023", date(2023, 7, 11), None),
            ("23-08-2022 16:13", date(2022, 8, 23), time(16, 13, 0)),
            (
                "Thứ Tư, 13/01/2021, 19:45 [GMT+7]",
                date(2021, 1, 13),
                time(19, 45, 0),
            ),
            (
                "Thứ Ba, 14/03/2023 - 09:15",
                date(2023, 3, 14),
                time(9, 15, 0),
            ),
            ("14-03-2023 09:15:00", date(2023, 3, 14), time(9, 15, 0)),
            (
                "Cập nhật lúc 9h15 ngày 14/3/2023",
                date(2023, 3, 14),
                time(9, 15, 0),
            ),
            ("Đăng ngày 5 tháng 8 năm 2024", date(2024, 8, 5), None),
            (
                "Ngày 25 tháng 11 năm 2024, 15 giờ 30",
                date(2024, 11, 25),
                time(15, 30, 0),
            ),
        ];
        for (text, day, at) in cases {
            assert_eq!(
                parse_date(text),
                Some(PortalDate {
                    date: day,
                    time: at
                }),
                "{text}"
            );
        }
        assert_eq!(parse_date("328 lượt xem"), None);
        assert_eq!(parse_date("31/02/2020"), None);
    }

    #[test]
    fn a_day_without_a_year_is_read_against_the_page_date() {
        assert_eq!(
            parse_day_month("Sáng 30/6, Ban Chỉ đạo", date(2020, 6, 30)),
            Some(date(2020, 6, 30))
        );
        assert_eq!(
            parse_day_month("Ngày 23/8", date(2022, 8, 23)),
            Some(date(2022, 8, 23))
        );
        // A report of 2 January about "ngày 30/12" is about last year.
        assert_eq!(
            parse_day_month("ngày 30/12", date(2021, 1, 2)),
            Some(date(2020, 12, 30))
        );
    }

    #[test]
    fn numbers_use_dots_for_thousands_and_commas_for_decimals() {
        let q = |t| parse_quantity(t).unwrap();
        assert_eq!(q("ban hành 23 văn bản").value, 23.0);
        assert_eq!(q("1.272 đơn").value, 1272.0);
        assert_eq!(q("79.935.807 lượt").value, 79_935_807.0);
        assert_eq!(q("tăng 1,5 lần").value, 1.5);
        let part = q("giải quyết 1.272/1.337 đơn");
        assert_eq!((part.value, part.denominator), (1272.0, Some(1337.0)));
        assert_eq!(part.bound, Bound::Exact);
    }

    #[test]
    fn bound_words_make_bounds_not_values() {
        let above = parse_quantity("đạt trên 95%").unwrap();
        assert_eq!(
            (above.value, above.bound, above.percent),
            (95.0, Bound::MoreThan, true)
        );
        let more = parse_quantity("Hơn 1000 mô hình, điển hình").unwrap();
        assert_eq!(
            (more.value, more.bound, more.percent),
            (1000.0, Bound::MoreThan, false)
        );
        assert_eq!(parse_quantity("khoảng 50 hộ").unwrap().bound, Bound::About);
        // A bound word must be a word of its own: "ngàn" ends like "gần" once folded.
        assert_eq!(parse_quantity("Ngàn 3 người").unwrap().bound, Bound::Exact);
        assert_eq!(parse_quantity("Gần 3 người").unwrap().bound, Bound::About);
    }

    #[test]
    fn periods_are_read_in_their_printed_forms() {
        let cases = [
            (
                "Hội nghị sơ kết 6 tháng đầu năm 2020",
                PeriodText::HalfYear(2020, 1),
            ),
            (
                "triển khai nhiệm vụ 6 tháng cuối năm 2023",
                PeriodText::HalfYear(2023, 2),
            ),
            ("tổng kết công tác năm 2020", PeriodText::Year(2020)),
            (
                "biểu dương điển hình giai đoạn 2016-2020",
                PeriodText::Phase(2016, 2020),
            ),
            ("sơ kết quý III năm 2021", PeriodText::Quarter(2021, 3)),
            ("giao ban tháng 6/2020", PeriodText::Month(2020, 6)),
            ("giao ban tháng 12 năm 2024", PeriodText::Month(2024, 12)),
        ];
        for (text, period) in cases {
            assert_eq!(parse_period(text), Some(period), "{text}");
        }
        assert_eq!(parse_period("Dân vận khéo"), None);
    }

    #[test]
    fn a_period_without_its_year_takes_the_reports_year() {
        let text = "sơ kết 6 tháng đầu năm, triển khai nhiệm vụ 6 tháng cuối năm 2020";
        assert_eq!(parse_period(text), Some(PeriodText::HalfYear(2020, 2)));
        assert_eq!(
            parse_period_in(text, 2020),
            Some(PeriodText::HalfYear(2020, 1))
        );
        assert_eq!(
            parse_period_in("kết quả quý III", 2021),
            Some(PeriodText::Quarter(2021, 3))
        );
        assert_eq!(
            parse_period_in("giai đoạn 2016-2021", 2022),
            Some(PeriodText::Phase(2016, 2021))
        );
    }
}
