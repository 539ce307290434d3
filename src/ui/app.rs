//! The window: the demo banner, a side bar of panels (Ctrl+1…7), the panel on show, and
//! notifications for what finishes in the background. Panels emit commands; results arrive
//! as events drained at the start of every frame.

use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use egui::RichText;
use egui_notify::Toasts;

use super::backend::{Backend, Command, Event, ExportEnd, FileDialog, native_file_dialog};
use super::balances_panel::{balances_ui, refresh_all, refresh_one};
use super::data_section::{DataSection, data_section_ui};
use super::history_panel::{HistoryPanel, history_ui};
use super::i18n::set_language;
use super::panels::{Panel, shortcut_text};
use super::prefs::Prefs;
use super::review_panel::{ReviewPanel, review_ui};
use super::services::Services;
use super::settings_panel::{SettingsPanel, settings_ui};
use super::shop::Shop;
use super::statement_panel::{StatementPanel, statement_ui};
use super::subaccounts_panel::{SubAccountsPanel, subaccounts_ui};
use super::theme::{DEMO, FAILURE, WARNING};
use super::topup_panel::{TopUpPanel, topup_ui};
use super::welcome::{DemoLauncher, Welcome, WelcomeChoice, native_demo_launcher, welcome_ui};
use crate::domain::TxState;
use crate::t;

/// Set (to anything) to have the window print "first frame drawn" after its first frame and
/// close: how `benches/startup.rs` times a cold start.
pub const FIRST_FRAME_ENV: &str = "SALDO_BENCH_FIRST_FRAME";

/// How a notification is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    Info,
    Success,
    Warning,
    Error,
}

/// Notifications for what finishes in the background, and the last few of them in words.
struct Notifications {
    toasts: Toasts,
    recent: std::collections::VecDeque<String>,
}

/// Above this many operations settled by one reconciler pass, one notification says how many.
const MAX_SETTLED_NOTIFICATIONS: usize = 3;

/// How many notification texts are kept.
const RECENT_NOTIFICATIONS: usize = 20;

impl Notifications {
    /// Adds a notification with a coloured bullet (drawn with the bundled fonts everywhere).
    fn add(&mut self, level: Level, text: String) {
        let colour = match level {
            Level::Info => egui::Color32::from_rgb(0x1f, 0x6f, 0xb2),
            Level::Success => super::theme::SUCCESS,
            Level::Warning => WARNING,
            Level::Error => FAILURE,
        };
        let duration = match level {
            Level::Warning | Level::Error => Duration::from_secs(10),
            Level::Info | Level::Success => Duration::from_secs(6),
        };
        if self.recent.len() == RECENT_NOTIFICATIONS {
            self.recent.pop_front();
        }
        self.recent.push_back(text.clone());
        self.toasts
            .custom(text, "•".to_string(), colour)
            .duration(Some(duration))
            // The close cross is a glyph the bundled fonts lack; notifications go by themselves.
            .closable(false);
    }
}

/// The saldo window.
pub struct SaldoApp {
    services: Services,
    backend: Backend,
    events: Receiver<Event>,
    prefs: Prefs,
    shop: Shop,
    profiles_error: Option<String>,
    topup: TopUpPanel,
    subaccounts: SubAccountsPanel,
    statement: StatementPanel,
    history: HistoryPanel,
    review: ReviewPanel,
    settings: SettingsPanel,
    notifications: Notifications,
    /// How many operations the reconciler says a person must look at.
    needs_review: usize,
    /// Profiles already warned about a low balance (warned again only after it recovers).
    warned_low: std::collections::BTreeSet<String>,
    /// For the start-up benchmark: say so after the first frame, then close.
    report_first_frame: bool,
    first_frame_reported: bool,
    /// When the window opened (Unix ms).
    opened_at: i64,
    data: DataSection,
    welcome: Welcome,
    demo_launcher: DemoLauncher,
    /// The profile list has been read once (so an empty one means a new shop).
    profiles_loaded: bool,
    /// When to look next whether today's automatic backup exists.
    next_daily_backup: std::time::Instant,
}

/// How soon after opening the window looks for today's automatic backup (after the first
/// frames, not competing with them).
const FIRST_DAILY_BACKUP_AFTER: Duration = Duration::from_secs(3);
/// How often it looks again (the day may change while the window is open).
const DAILY_BACKUP_CHECK_EVERY: Duration = Duration::from_secs(3600);

impl SaldoApp {
    /// Builds the window's state with the native save dialog and starts loading.
    pub fn new(cc: &eframe::CreationContext<'_>, services: Services) -> SaldoApp {
        SaldoApp::with_file_dialog(cc, services, native_file_dialog())
    }

    /// Builds the window's state with `file_dialog` answering which file to save or open
    /// (tests answer with fixed paths).
    pub fn with_file_dialog(
        cc: &eframe::CreationContext<'_>,
        services: Services,
        file_dialog: FileDialog,
    ) -> SaldoApp {
        let ctx = &cc.egui_ctx;
        super::theme::install(ctx);
        let prefs = Prefs::load(cc.storage);
        set_language(prefs.effective_language());
        let (sender, events) = channel();
        let backend = Backend::new(
            services.runtime.handle().clone(),
            services.engine.clone(),
            sender,
            ctx.clone(),
            file_dialog,
        );
        backend.watch_for_terminate();
        let app = SaldoApp {
            services,
            backend,
            events,
            prefs,
            shop: Shop::default(),
            profiles_error: None,
            topup: TopUpPanel::default(),
            subaccounts: SubAccountsPanel::default(),
            statement: StatementPanel::default(),
            history: HistoryPanel::default(),
            review: ReviewPanel::default(),
            settings: SettingsPanel::default(),
            notifications: Notifications {
                toasts: Toasts::default().with_anchor(egui_notify::Anchor::BottomRight),
                recent: Default::default(),
            },
            needs_review: 0,
            warned_low: Default::default(),
            report_first_frame: std::env::var_os(FIRST_FRAME_ENV).is_some(),
            first_frame_reported: false,
            opened_at: crate::domain::clock::Clock::now_ms(&crate::domain::clock::SystemClock),
            data: DataSection::default(),
            welcome: Welcome::default(),
            demo_launcher: native_demo_launcher(),
            profiles_loaded: false,
            next_daily_backup: std::time::Instant::now() + FIRST_DAILY_BACKUP_AFTER,
        };
        let mut app = app;
        if let Some(report) =
            crate::logging::panic_report::take_unshown_report(app.services.data_dir())
        {
            let path = report.display().to_string();
            app.notifications
                .add(Level::Error, t!("toast-crash-report", path = path.as_str()));
        }
        app.backend.run(Command::LoadProfiles);
        app.backend.run(Command::LoadBalances);
        app.backend.start_reconciler();
        app
    }

    /// The services the window runs on (for tests: the ledger, the simulator).
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// The panel on show.
    pub fn panel(&self) -> Panel {
        self.prefs.panel
    }

    /// Shows another panel.
    pub fn show_panel(&mut self, panel: Panel) {
        self.prefs.panel = panel;
    }

    /// Takes every notification off the screen (for snapshots; the texts are kept).
    pub fn dismiss_notifications(&mut self) {
        self.notifications.toasts.dismiss_all_toasts();
    }

    /// The texts of the last notifications, oldest first.
    pub fn recent_notifications(&self) -> Vec<String> {
        self.notifications.recent.iter().cloned().collect()
    }

    /// The profiles and balances the panels see.
    pub fn shop(&self) -> &Shop {
        &self.shop
    }

    fn balance_read(
        &mut self,
        profile: String,
        result: Result<crate::ledger::BalanceReading, String>,
    ) {
        let view = self.shop.balances.entry(profile.clone()).or_default();
        view.loading = false;
        match result {
            Ok(reading) => {
                view.reading = Some(reading);
                view.error = None;
            }
            Err(error) => view.error = Some(error),
        }
        self.warn_if_low(&profile);
    }

    /// Raises a notification the first time a profile's balance is seen below its level.
    fn warn_if_low(&mut self, name: &str) {
        let Some(profile) = self.shop.profile(name).cloned() else {
            return;
        };
        if !self.shop.is_low(&profile) {
            self.warned_low.remove(name);
            return;
        }
        if self.warned_low.insert(name.to_string())
            && let (Some(reading), Some(level)) =
                (self.shop.reading(name), profile.settings.low_balance())
        {
            self.notifications.add(
                Level::Warning,
                t!(
                    "toast-low-balance",
                    profile = name,
                    balance = reading.amount.to_string(),
                    level = level.to_string()
                ),
            );
        }
    }

    fn after_money_moved(&mut self, profile: Option<&str>) {
        let backend = &self.backend;
        self.history.reload(&mut |c| backend.run(c));
        if let Some(profile) = profile {
            self.refresh_balance(profile);
        }
    }

    fn refresh_balance(&mut self, profile: &str) {
        let can = self
            .shop
            .profile(profile)
            .is_some_and(|p| crate::providers::registry::capabilities_of(p.provider).balance);
        if can {
            let backend = &self.backend;
            refresh_one(&mut self.shop, profile, &mut |c| backend.run(c));
        }
    }

    fn handle(&mut self, ctx: &egui::Context, event: Event) {
        let backend = &self.backend;
        let mut run = |c: Command| backend.run(c);
        match event {
            Event::Profiles(Ok(profiles)) => {
                self.profiles_loaded = true;
                let first_load = self.shop.profiles.is_empty();
                self.shop.profiles = profiles;
                self.profiles_error = None;
                self.shop
                    .balances
                    .retain(|name, _| self.shop.profiles.iter().any(|p| &p.name == name));
                if first_load {
                    refresh_all(&mut self.shop, &mut run);
                }
                let names: Vec<String> =
                    self.shop.profiles.iter().map(|p| p.name.clone()).collect();
                for name in names {
                    self.warn_if_low(&name);
                }
            }
            Event::Profiles(Err(error)) => self.profiles_error = Some(error),
            Event::TopUpFinished(result) => {
                let profile = result.as_ref().ok().map(|r| r.profile_name.clone());
                if let Ok(record) = &result
                    && record.state == TxState::Unknown
                {
                    self.notifications.add(
                        Level::Warning,
                        t!("toast-unknown", reference = record.reference.as_str()),
                    );
                }
                self.topup.finished(result);
                self.after_money_moved(profile.as_deref());
            }
            Event::CounterMemory {
                profile,
                recent,
                favourites,
            } => self.topup.memory_loaded(&profile, recent, favourites),
            Event::NumberChoices {
                profile,
                number,
                choices,
            } => self.topup.choices_loaded(&profile, &number, choices),
            Event::TopUpLists { profile, result } => self.topup.lists_loaded(&profile, result),
            Event::Balance { profile, result } => self.balance_read(profile, result),
            Event::Balances(readings) => {
                for (name, reading) in readings {
                    let view = self.shop.balances.entry(name.clone()).or_default();
                    if view.reading.is_none_or(|r| r.read_at < reading.read_at) {
                        view.reading = Some(reading);
                    }
                    self.warn_if_low(&name);
                }
            }
            Event::SubAccounts { profile, result } => {
                self.subaccounts.accounts_loaded(&profile, result)
            }
            Event::CreditMoved(result) => {
                let profile = result.as_ref().ok().map(|o| o.record.profile_name.clone());
                self.toast_for_move(result.as_ref().map(|o| &o.record).map_err(|f| &f.message));
                self.subaccounts.credit_moved(result);
                self.after_money_moved(profile.as_deref());
            }
            Event::SubAccountDeleted { profile, result } => {
                match &result {
                    Ok(account) => self.notifications.add(
                        Level::Success,
                        t!(
                            "toast-subaccount-deleted",
                            account = account.as_str(),
                            profile = profile.as_str()
                        ),
                    ),
                    Err(error) => self.notifications.add(Level::Error, error.clone()),
                };
                self.subaccounts.deleted(&result);
            }
            Event::SubAccountCreated {
                profile,
                result,
                credit,
            } => {
                match &result {
                    Ok(()) => self.notifications.add(
                        Level::Success,
                        t!("toast-subaccount-created", profile = profile.as_str()),
                    ),
                    Err(error) => self.notifications.add(Level::Error, error.clone()),
                };
                self.subaccounts.created(&result);
                if let Some(moved) = credit {
                    self.toast_for_move(moved.as_ref().map(|o| &o.record).map_err(|f| &f.message));
                    self.subaccounts.credit_moved(moved);
                    self.after_money_moved(Some(&profile));
                }
            }
            Event::Transferred(result) => {
                let profile = result.as_ref().ok().map(|r| r.profile_name.clone());
                self.toast_for_move(result.as_ref().map_err(|f| &f.message));
                self.subaccounts.transferred(result);
                self.after_money_moved(profile.as_deref());
            }
            Event::Statement { profile, result } => self.statement.loaded(&profile, result),
            Event::HistoryPage {
                generation,
                page,
                result,
            } => self.history.pages.page_loaded(generation, page, result),
            Event::HistorySummary { generation, result } => {
                self.history.pages.summary_loaded(generation, result)
            }
            Event::ExportProgress(rows) => self.history.export.progressed(rows),
            Event::BackupWritten(result) => self.data.backed_up(result),
            Event::RestoreChecked(result) => self.data.restore_checked(result),
            Event::Restored(result) => {
                self.data.restored(&result);
                if result.is_ok() {
                    self.reload_after_restore();
                }
            }
            Event::DailyBackup(result) => self.data.daily_done(result),
            Event::ExportFinished(end) => {
                match &end {
                    ExportEnd::Written { path, rows } => {
                        self.notifications.add(
                            Level::Success,
                            t!(
                                "history-export-done",
                                rows = *rows,
                                path = path.display().to_string()
                            ),
                        );
                    }
                    ExportEnd::Failed(error) => {
                        self.notifications.add(Level::Error, error.clone());
                    }
                    ExportEnd::Cancelled | ExportEnd::NoFileChosen => {}
                }
                self.history.export.finished(end);
            }
            Event::Review(result) => self.review.loaded(result),
            Event::Rechecked(result) | Event::Settled(result) => {
                let moved = result.is_ok();
                self.review.acted(result, &mut run);
                if moved {
                    self.history.reload(&mut run);
                }
            }
            Event::ProfileSaved(result) => {
                if let Ok(name) = &result {
                    run(Command::LoadProfiles);
                    run(Command::LoadSecretStatus {
                        profile: name.clone(),
                    });
                }
                self.settings.saved(result);
            }
            Event::ProfileRemoved(result) => {
                if result.is_ok() {
                    run(Command::LoadProfiles);
                }
                self.settings.removed(result);
            }
            Event::SecretSaved {
                profile,
                kind,
                result,
            } => self.settings.secret_saved(&profile, kind, result, &mut run),
            Event::SecretStatus { profile, status } => self.settings.secret_status(profile, status),
            Event::ConnectionTested { profile, result } => {
                if result.is_ok() {
                    run(Command::LoadBalances);
                }
                self.settings.tested(profile, result)
            }
            Event::Reconciled {
                settled,
                needs_review,
            } => {
                for record in &settled {
                    self.topup.settled_later(record);
                }
                // Operations started in this window get a notification when they settle
                // later; older ones (a crash's leftovers, days-old pending ones) change quietly
                // in History and Review, so a shop left open stays calm and idle.
                let ours: Vec<_> = settled
                    .iter()
                    .filter(|r| r.created_at >= self.opened_at)
                    .collect();
                if ours.len() <= MAX_SETTLED_NOTIFICATIONS {
                    for record in ours {
                        self.notifications.add(
                            Level::Info,
                            t!(
                                "toast-settled",
                                reference = record.reference.as_str(),
                                state = super::error_text::state_text(record.state)
                            ),
                        );
                    }
                } else {
                    self.notifications
                        .add(Level::Info, t!("toast-settled-many", count = ours.len()));
                }
                self.needs_review = needs_review;
                if !settled.is_empty() {
                    self.history.reload(&mut run);
                    if self.prefs.panel == Panel::Review {
                        self.review.reload(&mut run);
                    }
                }
            }
            Event::CloseRequested => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    fn toast_for_move(&mut self, result: Result<&crate::ledger::TxRecord, &String>) {
        match result {
            Ok(record) if record.state == TxState::Succeeded => {
                self.notifications.add(
                    Level::Success,
                    t!(
                        "toast-moved",
                        amount = record.amount.to_string(),
                        destination = record.destination.as_str()
                    ),
                );
            }
            Ok(record) if !record.state.is_final() => {
                self.notifications.add(
                    Level::Warning,
                    t!("toast-unknown", reference = record.reference.as_str()),
                );
            }
            Ok(_) => {}
            Err(error) => {
                self.notifications.add(Level::Error, error.clone());
            }
        }
    }

    fn demo_banner_ui(&self, ui: &mut egui::Ui) {
        egui::Frame::new()
            .fill(DEMO)
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(
                    RichText::new(t!("demo-banner"))
                        .color(egui::Color32::BLACK)
                        .strong(),
                );
            });
    }

    fn side_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.add_space(8.0);
        ui.label(RichText::new("saldo").size(22.0).strong());
        ui.add_space(8.0);
        for panel in Panel::ALL {
            let mut title = panel.title();
            if panel == Panel::Review && self.needs_review > 0 {
                title = format!("{title} ({})", self.needs_review);
            }
            let mut text = RichText::new(title).size(16.0);
            if panel == Panel::Review && self.needs_review > 0 {
                text = text.color(WARNING).strong();
            }
            let selected = self.prefs.panel == panel;
            let mut tip = shortcut_text(ui.ctx(), panel.shortcut());
            if panel == Panel::Review && self.needs_review > 0 {
                tip = format!("{} ({tip})", t!("review-count", count = self.needs_review));
            }
            let response = ui
                .add_sized(
                    [ui.available_width(), 30.0],
                    egui::Button::selectable(selected, text),
                )
                .on_hover_text(tip);
            if response.clicked() {
                self.open(panel);
            }
        }
    }

    /// Shows `panel`, reloading what it shows when that may have changed meanwhile.
    fn open(&mut self, panel: Panel) {
        let backend = &self.backend;
        let mut run = |c: Command| backend.run(c);
        if panel == Panel::Review && self.prefs.panel != Panel::Review {
            self.review.reload(&mut run);
        }
        self.prefs.panel = panel;
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        for panel in Panel::ALL {
            if ctx.input_mut(|i| i.consume_shortcut(&panel.shortcut())) {
                self.open(panel);
            }
        }
    }

    fn central_ui(&mut self, ui: &mut egui::Ui) {
        if let Some(error) = &self.profiles_error {
            ui.colored_label(FAILURE, error);
            return;
        }
        if self.shows_welcome() {
            let mut language = self.prefs.language;
            let choice = welcome_ui(ui, &self.welcome, self.services.data_dir(), &mut language);
            self.prefs.language = language;
            match choice {
                Some(WelcomeChoice::AddProvider) => {
                    self.prefs.panel = Panel::Settings;
                    self.settings.start_new_profile();
                }
                Some(WelcomeChoice::TryDemo) => {
                    self.welcome.demo_outcome =
                        Some((self.demo_launcher)(self.services.data_dir()));
                }
                None => {}
            }
            return;
        }
        let backend = &self.backend;
        let mut run = |command: Command| backend.run(command);
        let now = crate::domain::clock::Clock::now_ms(&crate::domain::clock::SystemClock);
        match self.prefs.panel {
            Panel::Counter => topup_ui(ui, &mut self.topup, &self.shop, &mut run),
            Panel::Balances => balances_ui(ui, &mut self.shop, now, &mut run),
            Panel::SubAccounts => subaccounts_ui(ui, &mut self.subaccounts, &self.shop, &mut run),
            Panel::Statement => statement_ui(ui, &mut self.statement, &self.shop, &mut run),
            Panel::History => history_ui(ui, &mut self.history, &self.shop, &mut run),
            Panel::Review => review_ui(ui, &mut self.review, &mut run),
            Panel::Settings => {
                let selling = self.topup.is_sending() || self.subaccounts.is_busy();
                let mut language = self.prefs.language;
                let (data, prefs) = (&mut self.data, &mut self.prefs);
                let (data_dir, demo) = (self.services.data_dir(), self.services.is_demo());
                let backend = &self.backend;
                let mut data_section = |ui: &mut egui::Ui| {
                    data_section_ui(ui, data, prefs, data_dir, demo, selling, &mut |c| {
                        backend.run(c)
                    })
                };
                settings_ui(
                    ui,
                    &mut self.settings,
                    &self.shop,
                    &mut language,
                    &mut data_section,
                    &mut run,
                );
                self.prefs.language = language;
            }
        }
    }

    /// Whether the first-run welcome is on show: a real shop with no profile yet, anywhere but
    /// in Settings (where the first one is added).
    pub fn shows_welcome(&self) -> bool {
        !self.services.is_demo()
            && self.profiles_loaded
            && self.shop.profiles.is_empty()
            && self.prefs.panel != Panel::Settings
    }

    /// Replaces how "Try the demo" opens the demo (tests record the call).
    pub fn set_demo_launcher(&mut self, launcher: DemoLauncher) {
        self.demo_launcher = launcher;
    }

    /// After a restore every panel reads the ledger again.
    fn reload_after_restore(&mut self) {
        self.topup = TopUpPanel::default();
        self.subaccounts = SubAccountsPanel::default();
        self.history = HistoryPanel::default();
        self.review = ReviewPanel::default();
        self.shop.balances.clear();
        self.backend.run(Command::LoadProfiles);
        self.backend.run(Command::LoadBalances);
        self.notifications.add(Level::Success, t!("toast-restored"));
    }

    /// Whether something on screen moves on its own (a spinner) and needs frames.
    pub fn is_busy(&self) -> bool {
        self.topup.is_sending()
            || self.subaccounts.is_busy()
            || self.statement.is_loading()
            || self.history.pages.is_loading()
            || self.history.export.is_running()
            || self.review.is_busy()
            || self.data.is_busy()
            || self.shop.balances.values().any(|b| b.loading)
    }

    /// Makes today's automatic backup when it is due (shortly after opening, then hourly).
    fn daily_backup_when_due(&mut self) {
        let now = std::time::Instant::now();
        if !self.prefs.daily_backup || now < self.next_daily_backup {
            return;
        }
        self.next_daily_backup = now + DAILY_BACKUP_CHECK_EVERY;
        self.backend.run(Command::DailyBackup {
            keep: self.prefs.backups_kept.max(1),
        });
    }
}

impl eframe::App for SaldoApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        while let Ok(event) = self.events.try_recv() {
            self.handle(&ctx, event);
        }
        self.shortcuts(&ctx);
        self.daily_backup_when_due();
        if self.services.is_demo() {
            egui::Panel::top("demo-banner")
                .frame(egui::Frame::new())
                .show(ui, |ui| self.demo_banner_ui(ui));
        }
        egui::Panel::left("side-bar")
            .resizable(false)
            .exact_size(170.0)
            .show(ui, |ui| self.side_bar_ui(ui));
        egui::CentralPanel::default_margins().show(ui, |ui| self.central_ui(ui));
        self.notifications.toasts.show(&ctx);
        if self.report_first_frame && !self.first_frame_reported {
            self.first_frame_reported = true;
            println!("first frame drawn");
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if self.is_busy() {
            // Keep spinners turning while the engine works.
            ctx.request_repaint_after(Duration::from_millis(100));
        } else {
            // "updated N min ago" ages by itself.
            ctx.request_repaint_after(Duration::from_secs(30));
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.report_first_frame {
            // A benchmark run leaves no trace in the shop's window settings.
            return;
        }
        self.prefs.save(storage);
    }
}
