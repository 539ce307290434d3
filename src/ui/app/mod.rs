//! The window: the demo banner, a side bar of panels (Ctrl+1…7), the panel on show, and
//! notifications for what finishes in the background. Panels emit commands; results arrive
//! as events drained at the start of every frame.

mod close_guard;
mod events;
mod notifications;
mod side_bar;

use notifications::{Level, Notifications};

use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use egui_notify::Toasts;

use crate::t;
use crate::ui::backend::{Backend, Command, Event, FileDialog, native_file_dialog};
use crate::ui::panels::balances::balances_ui;
use crate::ui::panels::counter::{CounterPanel, counter_ui};
use crate::ui::panels::history::{HistoryPanel, history_ui};
use crate::ui::panels::review::{ReviewPanel, review_ui};
use crate::ui::panels::settings::{SettingsPanel, settings_ui};
use crate::ui::panels::statement::{StatementPanel, statement_ui};
use crate::ui::panels::subaccounts::{SubAccountsPanel, subaccounts_ui};
use crate::ui::panels::welcome::{
    DemoLauncher, Welcome, WelcomeChoice, native_demo_launcher, welcome_ui,
};
use crate::ui::panels::{Panel, PanelContext};
use crate::ui::prefs::Prefs;
use crate::ui::services::Services;
use crate::ui::shop::Shop;
use crate::ui::text::i18n::set_language;
use crate::ui::theme::FAILURE;

/// Set (to anything) to have the window print "first frame drawn" after its first frame and
/// close: how `benches/startup.rs` times a cold start.
pub const FIRST_FRAME_ENV: &str = "SALDO_BENCH_FIRST_FRAME";

/// The saldo window.
pub struct SaldoApp {
    services: Services,
    backend: Backend,
    events: Receiver<Event>,
    prefs: Prefs,
    shop: Shop,
    profiles_error: Option<crate::ui::text::words::Words>,
    counter: CounterPanel,
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
    welcome: Welcome,
    demo_launcher: DemoLauncher,
    /// The profile list has been read once (so an empty one means a new shop).
    profiles_loaded: bool,
    /// When to look next whether today's automatic backup exists.
    next_daily_backup: std::time::Instant,
    close_guard: close_guard::CloseGuard,
}

/// The side bar's width: room for every panel's icon and name, and the review count.
pub const SIDE_BAR_WIDTH: f32 = 200.0;

/// How soon after opening the window looks for today's automatic backup (after the first
/// frames, not competing with them).
const FIRST_DAILY_BACKUP_AFTER: Duration = Duration::from_secs(3);
/// How often it looks again (the day may change while the window is open).
const DAILY_BACKUP_CHECK_EVERY: Duration = Duration::from_secs(3600);

impl SaldoApp {
    /// Builds the window's state with the native save dialog and starts loading.
    pub fn new(cc: &eframe::CreationContext<'_>, services: Services) -> SaldoApp {
        let file_dialog = native_file_dialog(services.data_dir());
        SaldoApp::with_file_dialog(cc, services, file_dialog)
    }

    /// Builds the window's state with `file_dialog` answering which file to save or open
    /// (tests answer with fixed paths).
    pub fn with_file_dialog(
        cc: &eframe::CreationContext<'_>,
        services: Services,
        file_dialog: FileDialog,
    ) -> SaldoApp {
        let ctx = &cc.egui_ctx;
        let prefs = Prefs::load(cc.storage);
        crate::ui::theme::install(ctx, prefs.theme);
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
            counter: CounterPanel::default(),
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
            welcome: Welcome::default(),
            demo_launcher: native_demo_launcher(),
            profiles_loaded: false,
            next_daily_backup: std::time::Instant::now() + FIRST_DAILY_BACKUP_AFTER,
            close_guard: Default::default(),
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
        app.backend.run(Command::LoadCounters);
        app.backend.run(Command::LoadBalances);
        let generation = app.shop.ask_today();
        app.backend.run(Command::LoadToday { generation });
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

    /// Shows `panel`, reloading what it shows when that may have changed meanwhile.
    fn open(&mut self, panel: Panel) {
        let backend = &self.backend;
        let mut run = |c: Command| backend.run(c);
        if panel == Panel::Review && self.prefs.panel != Panel::Review {
            self.review.reload(&mut run);
        }
        if panel == Panel::Counter {
            run(Command::LoadToday {
                generation: self.shop.ask_today(),
            });
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
        let selling = self.counter.is_sending() || self.subaccounts.is_busy();
        let cx = &mut PanelContext {
            shop: &mut self.shop,
            prefs: &mut self.prefs,
            now_ms: crate::domain::clock::Clock::now_ms(&crate::domain::clock::SystemClock),
            data_dir: self.services.data_dir(),
            demo: self.services.is_demo(),
            selling,
            run: &mut run,
        };
        match cx.prefs.panel {
            Panel::Counter => counter_ui(ui, &mut self.counter, cx),
            Panel::Balances => balances_ui(ui, cx),
            Panel::SubAccounts => subaccounts_ui(ui, &mut self.subaccounts, cx),
            Panel::Statement => statement_ui(ui, &mut self.statement, cx),
            Panel::History => history_ui(ui, &mut self.history, cx),
            Panel::Review => review_ui(ui, &mut self.review, cx),
            Panel::Settings => settings_ui(ui, &mut self.settings, cx),
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
        self.counter = CounterPanel::default();
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
        self.counter.is_sending()
            || self.subaccounts.is_busy()
            || self.statement.is_loading()
            || self.history.pages.is_loading()
            || self.history.export.is_running()
            || self.review.is_busy()
            || self.settings.data.is_busy()
            || self.shop.balances.values().any(|b| b.loading)
            || self.shop.counting_today()
    }

    /// When the window must draw again by itself, nothing else happening: every frame is
    /// rasterised on the CPU where there is no GPU, so an idle window draws only when what it
    /// shows changes with time (a spinner, an "updated N min ago" on screen) or work is due.
    fn next_frame_after(&self) -> Option<Duration> {
        if self.is_busy() {
            // Keep spinners turning while the engine works.
            return Some(Duration::from_millis(100));
        }
        let now = crate::domain::clock::Clock::now_ms(&crate::domain::clock::SystemClock);
        let ages_on_screen = matches!(self.prefs.panel, Panel::Balances | Panel::Counter);
        let age_changes = ages_on_screen
            .then(|| self.shop.next_age_change(now))
            .flatten();
        let backup_due = self.prefs.daily_backup.then(|| {
            self.next_daily_backup
                .saturating_duration_since(std::time::Instant::now())
        });
        age_changes.into_iter().chain(backup_due).min()
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
        self.guard_close(&ctx);
        self.shortcuts(&ctx);
        self.daily_backup_when_due();
        if self.services.is_demo() {
            egui::Panel::top("demo-banner")
                .frame(egui::Frame::new())
                .show(ui, |ui| self.demo_banner_ui(ui));
        }
        egui::Panel::left("side-bar")
            .resizable(false)
            .exact_size(SIDE_BAR_WIDTH)
            .show(ui, |ui| self.side_bar_ui(ui));
        egui::CentralPanel::default_margins().show(ui, |ui| self.central_ui(ui));
        self.close_guard_ui(&ctx);
        self.notifications.toasts.show(&ctx);
        if self.report_first_frame && !self.first_frame_reported {
            self.first_frame_reported = true;
            println!("first frame drawn");
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if let Some(after) = self.next_frame_after() {
            ctx.request_repaint_after(after);
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
