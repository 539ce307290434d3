//! History pages, newest first, by keyset (never large OFFSETs), with the filters the window and
//! the command line offer; each filter has an index behind it.

use rusqlite::{Connection, ToSql};

use super::transactions::{TX_COLUMNS, TxRecord, tx_from_row};
use super::{Ledger, LedgerError, read_error};
use crate::domain::{Country, PhoneNumber, TxState};

/// Where the next (older) page starts: the last row of the previous page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HistoryCursor {
    pub created_at: i64,
    pub id: i64,
}

impl HistoryCursor {
    /// The cursor after a row.
    pub fn after(row: &TxRecord) -> HistoryCursor {
        HistoryCursor {
            created_at: row.created_at,
            id: row.id,
        }
    }
}

/// Which operations a history page shows. Empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    /// From this time on (Unix ms, included).
    pub from_ms: Option<i64>,
    /// Before this time (Unix ms, excluded).
    pub to_ms: Option<i64>,
    /// Only this profile, by name.
    pub profile: Option<String>,
    pub state: Option<TxState>,
    /// Only this destination: a number in E.164 form, a sub-account or a child account id.
    pub destination: Option<String>,
    /// Only destinations with this text in them (part of a number or of an account id).
    pub destination_part: Option<String>,
}

impl HistoryFilter {
    /// Narrows to what a person typed as a number or account: one number exactly when it reads
    /// as a mobile number of one of `countries` (any usual spelling), else every destination
    /// with the typed text in it, separators left out ("4239" finds +5352942390, "100" finds
    /// sub-account 1002). Blank text narrows nothing.
    pub fn with_destination(mut self, typed: &str, countries: &[Country]) -> HistoryFilter {
        let typed = typed.trim();
        if typed.is_empty() {
            return self;
        }
        match countries
            .iter()
            .find_map(|country| PhoneNumber::parse_mobile(typed, *country).ok())
        {
            Some(number) => self.destination = Some(number.e164()),
            None => {
                let part: String = typed
                    .chars()
                    .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')')))
                    .collect();
                self.destination_part = Some(part);
            }
        }
        self
    }

    /// The SQL conditions and their parameters, after the keyset condition.
    pub(super) fn conditions(&self) -> (String, Vec<Box<dyn ToSql>>) {
        let mut sql = String::new();
        let mut params: Vec<Box<dyn ToSql>> = Vec::new();
        if let Some(from) = self.from_ms {
            sql.push_str(" AND t.created_at >= ?");
            params.push(Box::new(from));
        }
        if let Some(to) = self.to_ms {
            sql.push_str(" AND t.created_at < ?");
            params.push(Box::new(to));
        }
        if let Some(profile) = &self.profile {
            sql.push_str(" AND t.profile_id = (SELECT id FROM profiles WHERE name = ?)");
            params.push(Box::new(profile.clone()));
        }
        if let Some(state) = self.state {
            sql.push_str(" AND t.state = ?");
            params.push(Box::new(state.as_str()));
        }
        if let Some(destination) = &self.destination {
            sql.push_str(" AND t.destination = ?");
            params.push(Box::new(destination.clone()));
        }
        if let Some(part) = &self.destination_part {
            // instr, not LIKE: a typed % or _ is only a character.
            sql.push_str(" AND instr(t.destination, ?) > 0");
            params.push(Box::new(part.clone()));
        }
        (sql, params)
    }

    /// The page query: keyset condition, filters, newest first.
    fn page_sql(&self) -> (String, Vec<Box<dyn ToSql>>) {
        let (conditions, params) = self.conditions();
        let sql = format!(
            "SELECT {TX_COLUMNS} FROM transactions t JOIN profiles p ON p.id = t.profile_id
             WHERE (t.created_at, t.id) < (?, ?){conditions}
             ORDER BY t.created_at DESC, t.id DESC LIMIT ?"
        );
        (sql, params)
    }
}

/// One history page read on `conn` (the ledger's own connection or a reader's).
pub(super) fn page_on(
    conn: &Connection,
    filter: &HistoryFilter,
    before: Option<HistoryCursor>,
    limit: usize,
) -> Result<Vec<TxRecord>, LedgerError> {
    let (created_at, id) = before.map_or((i64::MAX, i64::MAX), |c| (c.created_at, c.id));
    let (sql, filters) = filter.page_sql();
    let limit = limit as i64;
    let mut params: Vec<&dyn ToSql> = vec![&created_at, &id];
    params.extend(filters.iter().map(|p| p.as_ref()));
    params.push(&limit);
    let mut stmt = conn.prepare_cached(&sql).map_err(read_error)?;
    let rows = stmt
        .query_map(params.as_slice(), tx_from_row)
        .map_err(read_error)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(read_error)?;
    rows.into_iter().collect()
}

impl Ledger {
    /// Up to `limit` operations older than `before` (or the newest, without a cursor).
    pub fn history_page(
        &self,
        before: Option<HistoryCursor>,
        limit: usize,
    ) -> Result<Vec<TxRecord>, LedgerError> {
        self.history_page_filtered(&HistoryFilter::default(), before, limit)
    }

    /// Up to `limit` operations matching `filter`, older than `before`, newest first.
    pub fn history_page_filtered(
        &self,
        filter: &HistoryFilter,
        before: Option<HistoryCursor>,
        limit: usize,
    ) -> Result<Vec<TxRecord>, LedgerError> {
        page_on(&self.conn(), filter, before, limit)
    }

    /// How SQLite runs the page query for `filter` (for checking that an index serves it).
    pub fn history_plan(&self, filter: &HistoryFilter) -> Result<String, LedgerError> {
        let conn = self.conn();
        let (sql, filters) = filter.page_sql();
        let (created_at, id, limit) = (i64::MAX, i64::MAX, 50i64);
        let mut params: Vec<&dyn ToSql> = vec![&created_at, &id];
        params.extend(filters.iter().map(|p| p.as_ref()));
        params.push(&limit);
        let mut stmt = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .map_err(read_error)?;
        let lines = stmt
            .query_map(params.as_slice(), |r| r.get::<_, String>(3))
            .map_err(read_error)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(read_error)?;
        Ok(lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Money, Reference, Unit};
    use crate::ledger::{NewOperation, StateChange, TxKind};
    use crate::providers::ProviderKind;

    fn add(ledger: &Ledger, profile_id: i64, destination: &str, cents: i64) -> Reference {
        let reference = Reference::generate();
        ledger
            .record_new(&NewOperation {
                reference: &reference,
                kind: TxKind::TopUp,
                profile_id,
                destination,
                amount: Money::from_minor(cents, Unit::Usd),
                repeat_guard: None,
                request: None,
                batch_row: None,
            })
            .unwrap();
        reference
    }

    fn ledger_with_two_profiles() -> (tempfile::TempDir, Ledger, i64, i64) {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open_in(dir.path()).unwrap();
        let kind = ProviderKind::Qvatel;
        let a = ledger
            .add_profile(
                "cuba",
                kind,
                "https://qvatel.com/api",
                &kind.default_settings(),
            )
            .unwrap();
        let b = ledger
            .add_profile(
                "cuba2",
                kind,
                "https://qvatel.com/api",
                &kind.default_settings(),
            )
            .unwrap();
        (dir, ledger, a.id, b.id)
    }

    #[test]
    fn pages_walk_the_whole_history_newest_first_without_repeats() {
        let (_dir, ledger, profile, _) = ledger_with_two_profiles();
        let mut made = Vec::new();
        for i in 0..25 {
            made.push(add(&ledger, profile, "+5352942387", 100 + i));
        }
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = ledger.history_page(cursor, 10).unwrap();
            if page.is_empty() {
                break;
            }
            cursor = page.last().map(HistoryCursor::after);
            seen.extend(page.into_iter().map(|r| r.reference));
        }
        made.reverse();
        assert_eq!(seen, made);
    }

    #[test]
    fn every_filter_selects_exactly_its_rows_and_pages_through_them() {
        let (_dir, ledger, cuba, cuba2) = ledger_with_two_profiles();
        for i in 0..30 {
            let profile = if i % 3 == 0 { cuba2 } else { cuba };
            let number = if i % 2 == 0 {
                "+5352942387"
            } else {
                "+5352000000"
            };
            let reference = add(&ledger, profile, number, 1500);
            if i % 5 == 0 {
                ledger
                    .transition(&reference, TxState::Sending, &StateChange::default())
                    .unwrap();
            }
        }
        let all = ledger.history_page(None, 100).unwrap();
        let count = |filter: &HistoryFilter| {
            let mut rows = Vec::new();
            let mut cursor = None;
            loop {
                let page = ledger.history_page_filtered(filter, cursor, 4).unwrap();
                if page.is_empty() {
                    break rows;
                }
                cursor = page.last().map(HistoryCursor::after);
                rows.extend(page);
            }
        };
        let by_profile = count(&HistoryFilter {
            profile: Some("cuba2".into()),
            ..HistoryFilter::default()
        });
        assert_eq!(by_profile.len(), 10);
        assert!(by_profile.iter().all(|r| r.profile_name == "cuba2"));
        let by_state = count(&HistoryFilter {
            state: Some(TxState::Sending),
            ..HistoryFilter::default()
        });
        assert_eq!(by_state.len(), 6);
        let by_number = count(&HistoryFilter {
            destination: Some("+5352000000".into()),
            profile: Some("cuba".into()),
            ..HistoryFilter::default()
        });
        assert_eq!(by_number.len(), 10);
        let middle = all[10].created_at;
        let by_time = count(&HistoryFilter {
            from_ms: Some(middle),
            to_ms: Some(middle + 1),
            ..HistoryFilter::default()
        });
        assert!(by_time.iter().all(|r| r.created_at == middle));
        assert!(!by_time.is_empty());
        let nothing = count(&HistoryFilter {
            profile: Some("nobody".into()),
            ..HistoryFilter::default()
        });
        assert!(nothing.is_empty());
    }

    #[test]
    fn an_index_serves_every_filter() {
        let (_dir, ledger, _, _) = ledger_with_two_profiles();
        let filters = [
            ("time", HistoryFilter::default(), "transactions_by_time"),
            (
                "state",
                HistoryFilter {
                    state: Some(TxState::Pending),
                    ..HistoryFilter::default()
                },
                "transactions_by_state",
            ),
            (
                "number",
                HistoryFilter {
                    destination: Some("+5352942387".into()),
                    ..HistoryFilter::default()
                },
                "transactions_by_destination",
            ),
            (
                "profile",
                HistoryFilter {
                    profile: Some("cuba".into()),
                    ..HistoryFilter::default()
                },
                "transactions_by_profile",
            ),
        ];
        for (what, filter, index) in filters {
            let plan = ledger.history_plan(&filter).unwrap();
            assert!(plan.contains(index), "{what}: {plan}");
            assert!(
                !plan.contains("USE TEMP B-TREE"),
                "{what} sorts without its index: {plan}"
            );
        }
    }
}
