//! `date-time` values: RFC 3339 timestamps as `chrono::DateTime<Utc>`.
//!
//! chrono's parser is general (it reads many formats through one table of items), and a page of
//! records carries a few timestamps each, so the form servers write,
//! `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)`, is read here digit by digit. Anything else
//! goes to chrono as it is, so what is accepted, and every error, is chrono's: the fast path only
//! takes strings chrono reads the same way (no leap second, at most nine fraction digits,
//! uppercase `T` and `Z`).

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::de::{self, Deserializer, Visitor};

/// A `date-time` property's value (`T` is `DateTime<Utc>`, or an `Option` of one for a property
/// that may be `null`), decoded through [`parse`].
pub(crate) struct Timestamp<T>(pub(crate) T);

impl<'de> serde::Deserialize<'de> for Timestamp<DateTime<Utc>> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_str(TimestampVisitor)
            .map(Timestamp)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp<Option<DateTime<Utc>>> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Option::<Timestamp<DateTime<Utc>>>::deserialize(deserializer)?;
        Ok(Timestamp(value.map(|timestamp| timestamp.0)))
    }
}

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = DateTime<Utc>;

    // chrono's words, so that a value of the wrong type reads the same as it would there.
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<DateTime<Utc>, E> {
        parse(value).map_err(E::custom)
    }
}

/// Reads an RFC 3339 timestamp as chrono's `DateTime<Utc>` does (`FromStr`), faster for the
/// usual form.
pub(crate) fn parse(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    match usual(text.as_bytes()) {
        Some(timestamp) => Ok(timestamp),
        None => text.parse(),
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±hh:mm)`, or None for anything else, including values that
/// do not exist (February 30th, hour 24, second 60), which chrono then reads or rejects.
fn usual(text: &[u8]) -> Option<DateTime<Utc>> {
    let (head, rest) = (text.get(..19)?, &text[19..]);
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, b'T', h1, h2, b':', n1, n2, b':', s1, s2] =
        *head
    else {
        return None;
    };
    let year = number(&[y1, y2, y3, y4])?;
    let (month, day) = (number(&[m1, m2])?, number(&[d1, d2])?);
    let (hour, minute, second) = (number(&[h1, h2])?, number(&[n1, n2])?, number(&[s1, s2])?);
    let (nanos, zone) = match rest.split_first() {
        Some((b'.', fraction)) => {
            let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
            if !(1..=9).contains(&digits) {
                return None;
            }
            let scale = 10u32.pow(9 - digits as u32);
            (number(&fraction[..digits])? * scale, &fraction[digits..])
        }
        _ => (0, rest),
    };
    let offset = match *zone {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (number(&[h1, h2])?, number(&[m1, m2])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = (hours * 3600 + minutes * 60) as i32;
            if sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    if second > 59 {
        return None;
    }
    let local = NaiveDate::from_ymd_opt(year as i32, month, day)?
        .and_hms_nano_opt(hour, minute, second, nanos)?;
    let timestamp = FixedOffset::east_opt(offset)?
        .from_local_datetime(&local)
        .single()?;
    Some(timestamp.with_timezone(&Utc))
}

/// The value of ASCII decimal digits, or None if any byte is not one.
fn number(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |value, &digit| {
        digit
            .is_ascii_digit()
            .then(|| value * 10 + u32::from(digit - b'0'))
    })
}
