//! The history table's rows, fetched a page at a time around what is on screen: a ledger of a
//! million rows costs the window a few pages of memory, and a frame never waits for SQLite.
//! Pages are found by keyset (after the previous page's last row) when scrolling, and through
//! the time index when the person jumps far.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use crate::ledger::{HistoryCursor, HistoryFilter, HistorySummary, TxRecord};
use crate::ui::backend::{Command, PageStart};
use crate::ui::text::words::Words;

/// Rows per page.
pub const PAGE_ROWS: usize = 100;
/// Pages kept in memory; the ones farthest from the screen go first.
const KEEP_PAGES: usize = 40;
/// Page requests in flight at once: a fast scroll asks only for where it ends up.
const MAX_IN_FLIGHT: usize = 3;

/// The rows of one filter, as far as they are loaded.
#[derive(Default)]
pub struct HistoryPages {
    generation: u64,
    filter: HistoryFilter,
    pages: BTreeMap<usize, Vec<TxRecord>>,
    in_flight: HashSet<usize>,
    /// Pages whose read failed: not asked for again until the next reset (Refresh).
    failed: HashSet<usize>,
    summary: Option<HistorySummary>,
    summary_loading: bool,
    error: Option<Words>,
}

impl HistoryPages {
    /// Starts over with `filter`: drops every page and asks for the totals and the first page.
    pub fn reset(&mut self, filter: HistoryFilter, run: &mut dyn FnMut(Command)) {
        self.generation += 1;
        self.filter = filter;
        self.pages.clear();
        self.in_flight.clear();
        self.failed.clear();
        self.summary = None;
        self.error = None;
        self.summary_loading = true;
        run(Command::HistorySummary {
            generation: self.generation,
            filter: self.filter.clone(),
        });
        self.want(0..1, run);
    }

    /// The filter the rows are for.
    pub fn filter(&self) -> &HistoryFilter {
        &self.filter
    }

    /// How many rows the filter has: the counted total once known, the first page before.
    pub fn total_rows(&self) -> usize {
        match &self.summary {
            Some(summary) => summary.count as usize,
            None => self.pages.get(&0).map_or(0, Vec::len),
        }
    }

    /// The totals of the filter, once counted.
    pub fn summary(&self) -> Option<&HistorySummary> {
        self.summary.as_ref()
    }

    /// Whether anything is still being read.
    pub fn is_loading(&self) -> bool {
        self.summary_loading || !self.in_flight.is_empty()
    }

    /// Why the last read failed.
    pub fn error(&self) -> Option<&Words> {
        self.error.as_ref()
    }

    /// The row at `index` (newest first), when its page is loaded.
    pub fn row(&self, index: usize) -> Option<&TxRecord> {
        self.pages
            .get(&(index / PAGE_ROWS))
            .and_then(|page| page.get(index % PAGE_ROWS))
    }

    /// Asks for the pages holding `rows` that are neither loaded nor on their way.
    pub fn want(&mut self, rows: Range<usize>, run: &mut dyn FnMut(Command)) {
        if rows.is_empty() {
            return;
        }
        let first = rows.start / PAGE_ROWS;
        let last = (rows.end - 1) / PAGE_ROWS;
        for page in first..=last {
            if self.in_flight.len() >= MAX_IN_FLIGHT {
                break;
            }
            if self.pages.contains_key(&page)
                || self.in_flight.contains(&page)
                || self.failed.contains(&page)
            {
                continue;
            }
            let start = self.start_of(page);
            self.in_flight.insert(page);
            run(Command::HistoryPage {
                generation: self.generation,
                page,
                filter: self.filter.clone(),
                start,
            });
        }
        self.forget_far_from(first..last + 1);
    }

    /// Where `page` starts: after the previous page when it is loaded, otherwise a skip from
    /// the nearest loaded page before it.
    fn start_of(&self, page: usize) -> PageStart {
        if page == 0 {
            return PageStart::After(None);
        }
        let end_of = |p: &usize| {
            self.pages
                .get(p)
                .and_then(|rows| rows.last())
                .filter(|_| self.pages[p].len() == PAGE_ROWS)
                .map(HistoryCursor::after)
        };
        if let Some(cursor) = end_of(&(page - 1)) {
            return PageStart::After(Some(cursor));
        }
        let nearest = self
            .pages
            .range(..page)
            .rev()
            .find_map(|(p, _)| end_of(p).map(|cursor| (*p, cursor)));
        match nearest {
            Some((p, cursor)) => PageStart::Skip {
                from: Some(cursor),
                rows: ((page - p - 1) * PAGE_ROWS) as u64,
            },
            None => PageStart::Skip {
                from: None,
                rows: (page * PAGE_ROWS) as u64,
            },
        }
    }

    fn forget_far_from(&mut self, visible: Range<usize>) {
        while self.pages.len() > KEEP_PAGES {
            let distance = |p: usize| {
                if p < visible.start {
                    visible.start - p
                } else {
                    p.saturating_sub(visible.end)
                }
            };
            let farthest = self.pages.keys().copied().max_by_key(|p| distance(*p));
            match farthest {
                Some(p) => {
                    self.pages.remove(&p);
                }
                None => break,
            }
        }
    }

    /// Takes a page read for `generation` (ignored when the filter changed since).
    pub fn page_loaded(
        &mut self,
        generation: u64,
        page: usize,
        result: Result<Vec<TxRecord>, Words>,
    ) {
        if generation != self.generation {
            return;
        }
        self.in_flight.remove(&page);
        match result {
            Ok(rows) => {
                self.pages.insert(page, rows);
            }
            Err(error) => {
                self.failed.insert(page);
                self.error = Some(error);
            }
        }
    }

    /// Takes the totals counted for `generation`.
    pub fn summary_loaded(&mut self, generation: u64, result: Result<HistorySummary, Words>) {
        if generation != self.generation {
            return;
        }
        self.summary_loading = false;
        match result {
            Ok(summary) => self.summary = Some(summary),
            Err(error) => self.error = Some(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Money, Reference, TxState, Unit};
    use crate::ledger::TxKind;

    fn record(id: i64) -> TxRecord {
        TxRecord {
            id,
            reference: Reference::from_text(&format!("SAL-{id}")),
            kind: TxKind::TopUp,
            profile_id: 1,
            profile_name: "cuba".into(),
            destination: "+5352942387".into(),
            amount: Money::from_minor(100, Unit::Usd),
            state: TxState::Succeeded,
            provider_ref: None,
            provider_message: None,
            created_at: 1_000_000 - id,
            updated_at: 0,
            basis: None,
            request: None,
            first_reading: None,
            next_check_at: None,
            checks: 0,
            review_reason: None,
            counter: None,
        }
    }

    fn page(n: usize) -> Vec<TxRecord> {
        (0..PAGE_ROWS)
            .map(|i| record((n * PAGE_ROWS + i) as i64))
            .collect()
    }

    #[test]
    fn scrolling_follows_keysets_and_jumps_skip_through_the_index() {
        let mut pages = HistoryPages::default();
        let mut asked = Vec::new();
        pages.reset(HistoryFilter::default(), &mut |c| asked.push(c));
        assert!(matches!(asked[0], Command::HistorySummary { .. }));
        assert!(matches!(
            asked[1],
            Command::HistoryPage {
                page: 0,
                start: PageStart::After(None),
                ..
            }
        ));
        let generation = pages.generation;
        pages.page_loaded(generation, 0, Ok(page(0)));
        asked.clear();
        pages.want(90..130, &mut |c| asked.push(c));
        let last_of_first = HistoryCursor::after(&page(0)[PAGE_ROWS - 1]);
        assert!(matches!(
            &asked[..],
            [Command::HistoryPage { page: 1, start: PageStart::After(Some(c)), .. }] if *c == last_of_first
        ));
        asked.clear();
        pages.want(500_000..500_030, &mut |c| asked.push(c));
        assert!(matches!(
            &asked[..],
            [Command::HistoryPage { page: 5000, start: PageStart::Skip { from: Some(c), rows: 499_900 }, .. }]
                if *c == last_of_first
        ));
        // Still in flight: not asked again.
        asked.clear();
        pages.want(500_000..500_030, &mut |c| asked.push(c));
        assert!(asked.is_empty());
        // An answer for an older filter is dropped.
        pages.page_loaded(generation - 1, 1, Ok(page(1)));
        assert!(pages.row(150).is_none());
        pages.page_loaded(generation, 1, Ok(page(1)));
        assert_eq!(pages.row(150).unwrap().id, 150);
    }

    #[test]
    fn memory_stays_bounded_however_far_one_scrolls() {
        let mut pages = HistoryPages::default();
        pages.reset(HistoryFilter::default(), &mut |_| {});
        let generation = pages.generation;
        for n in 0..200 {
            pages.want(n * PAGE_ROWS..(n + 1) * PAGE_ROWS, &mut |_| {});
            pages.page_loaded(generation, n, Ok(page(n)));
        }
        assert!(pages.pages.len() <= KEEP_PAGES + 1);
        assert!(
            pages.row(199 * PAGE_ROWS).is_some(),
            "the page on screen is kept"
        );
    }
}
