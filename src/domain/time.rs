//! Times as the ledger stores them (Unix milliseconds, UTC) and as people read them.

/// A ledger time as local date and time, e.g. "2026-11-22 18:30:12".
pub fn local_text(unix_ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(unix_ms) {
        Ok(ts) => ts
            .to_zoned(jiff::tz::TimeZone::system())
            .strftime("%Y-%m-%d %H:%M:%S")
            .to_string(),
        Err(_) => format!("invalid time {unix_ms}"),
    }
}

/// A ledger time in ISO 8601 UTC, e.g. "2026-11-22T18:30:12.345Z".
pub fn utc_iso(unix_ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(unix_ms) {
        Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Err(_) => format!("invalid time {unix_ms}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_text_is_iso_8601() {
        assert_eq!(
            super::utc_iso(1_774_000_000_123),
            "2026-03-20T09:46:40.123Z"
        );
    }
}
