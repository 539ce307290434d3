//! History pages, newest first, by keyset (never large OFFSETs), with the filters the window and
//! the command line offer; each filter has an index behind it.

use super::db::{Dialect, Sql, Value};
use super::transactions::{TX_COLUMNS, TxRecord, tx_from_row};
use super::{Ledger, LedgerError};
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
    /// Only what this counter recorded, by its name.
    pub counter: Option<String>,
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
    pub(super) fn conditions(&self, dialect: Dialect) -> (String, Vec<Value>) {
        let mut sql = String::new();
        let mut params = Vec::new();
        if let Some(from) = self.from_ms {
            sql.push_str(" AND t.created_at >= ?");
            params.push(Value::Int(from));
        }
        if let Some(to) = self.to_ms {
            sql.push_str(" AND t.created_at < ?");
            params.push(Value::Int(to));
        }
        if let Some(profile) = &self.profile {
            sql.push_str(" AND t.profile_id = (SELECT id FROM profiles WHERE name = ?)");
            params.push(Value::Text(profile.clone()));
        }
        if let Some(state) = self.state {
            sql.push_str(" AND t.state = ?");
            params.push(Value::Text(state.as_str().to_string()));
        }
        if let Some(destination) = &self.destination {
            sql.push_str(" AND t.destination = ?");
            params.push(Value::Text(destination.clone()));
        }
        if let Some(part) = &self.destination_part {
            // A position, not LIKE: a typed % or _ is only a character.
            sql.push_str(match dialect {
                Dialect::Sqlite => " AND instr(t.destination, ?) > 0",
                Dialect::Postgres => " AND strpos(t.destination, ?) > 0",
            });
            params.push(Value::Text(part.clone()));
        }
        if let Some(counter) = &self.counter {
            sql.push_str(" AND t.counter = ?");
            params.push(Value::Text(counter.clone()));
        }
        (sql, params)
    }

    /// The page query and its parameters: keyset condition, filters, newest first.
    fn page_sql(
        &self,
        dialect: Dialect,
        before: Option<HistoryCursor>,
        limit: usize,
    ) -> (String, Vec<Value>) {
        let (conditions, filters) = self.conditions(dialect);
        let sql = format!(
            "SELECT {TX_COLUMNS} FROM transactions t JOIN profiles p ON p.id = t.profile_id
             WHERE (t.created_at, t.id) < (?, ?){conditions}
             ORDER BY t.created_at DESC, t.id DESC LIMIT ?"
        );
        let (created_at, id) = before.map_or((i64::MAX, i64::MAX), |c| (c.created_at, c.id));
        let mut params = vec![Value::Int(created_at), Value::Int(id)];
        params.extend(filters);
        params.push(Value::Int(limit as i64));
        (sql, params)
    }
}

/// One history page read on `sql` (the ledger's own connection or a reader's).
pub(super) fn page_on(
    sql: &mut Sql<'_>,
    filter: &HistoryFilter,
    before: Option<HistoryCursor>,
    limit: usize,
) -> Result<Vec<TxRecord>, LedgerError> {
    let (query, params) = filter.page_sql(sql.dialect(), before, limit);
    sql.rows(&query, &params, tx_from_row)
        .map_err(LedgerError::reading)
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
        self.query(|sql| page_on(sql, filter, before, limit))
    }

    /// How the store runs the page query for `filter` (for checking that an index serves
    /// it): SQLite's query plan, or PostgreSQL's `EXPLAIN`.
    pub fn history_plan(&self, filter: &HistoryFilter) -> Result<String, LedgerError> {
        self.query(|sql| {
            let (query, params) = filter.page_sql(sql.dialect(), None, 50);
            let lines: Vec<String> = match sql.dialect() {
                Dialect::Sqlite => {
                    sql.rows(&format!("EXPLAIN QUERY PLAN {query}"), &params, |r| {
                        Ok::<_, LedgerError>(r.get(3)?)
                    })?
                }
                Dialect::Postgres => sql.rows(&format!("EXPLAIN {query}"), &params, |r| {
                    Ok::<_, LedgerError>(r.get(0)?)
                })?,
            };
            Ok(lines.join("\n"))
        })
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
        two_profiles_in(crate::ledger::testkit::open_in)
    }

    fn two_profiles_in(
        open: fn(&std::path::Path) -> Result<Ledger, LedgerError>,
    ) -> (tempfile::TempDir, Ledger, i64, i64) {
        let dir = tempfile::tempdir().unwrap();
        let ledger = open(dir.path()).unwrap();
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
        // SQLite's plan: the server plans by its statistics, so a table this small is read
        // whole there, rightly.
        let (_dir, ledger, _, _) = two_profiles_in(Ledger::open_in);
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
