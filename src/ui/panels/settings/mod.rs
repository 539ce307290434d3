//! Settings: the window's language, and the provider profiles — add, edit, remove, each
//! provider's own fields, denominations, balance levels, the duplicate guard — with secrets
//! typed masked, stored straight into the keychain and shown only as "saved", and a
//! "test connection" that reads the balance (or the cheapest read the provider offers).

pub mod data_section;
pub mod ledger_section;
pub mod receipts_section;

use std::collections::BTreeMap;

use egui::RichText;

use crate::domain::Money;
use crate::providers::{Profile, ProfileSettings, ProviderKind};
use crate::secrets::{Secret, SecretKind};
use crate::t;
use crate::ui::backend::{Command, ProfileDraft, SecretStatus};
use crate::ui::panels::PanelContext;
use crate::ui::panels::settings::data_section::data_section_ui;
use crate::ui::shop::Shop;
use crate::ui::text::error_text::{money_error_text, secret_kind_text};
use crate::ui::text::i18n::{Language, set_language};
use crate::ui::text::words::Words;
use crate::ui::theme::{FAILURE, SUCCESS, WARNING};
use crate::ui::theme::{ThemeChoice, icon, with_icon};

/// The profile form as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ProfileForm {
    existing: Option<String>,
    name: String,
    provider: ProviderKind,
    base_url: String,
    denominations: String,
    timeout: String,
    duplicate_window: String,
    low_balance: String,
    sales_floor: String,
    options: BTreeMap<String, String>,
}

impl ProfileForm {
    fn new_for(provider: ProviderKind) -> ProfileForm {
        ProfileForm::from_settings(
            None,
            "",
            provider,
            provider.default_base_url(),
            &provider.default_settings(),
        )
    }

    fn from_profile(profile: &Profile) -> ProfileForm {
        ProfileForm::from_settings(
            Some(profile.name.clone()),
            &profile.name,
            profile.provider,
            &profile.base_url,
            &profile.settings,
        )
    }

    fn from_settings(
        existing: Option<String>,
        name: &str,
        provider: ProviderKind,
        base_url: &str,
        settings: &ProfileSettings,
    ) -> ProfileForm {
        let amount = |minor: Option<i64>| {
            minor
                .map(|m| Money::from_minor(m, settings.unit).to_decimal_string())
                .unwrap_or_default()
        };
        ProfileForm {
            existing,
            name: name.to_string(),
            provider,
            base_url: base_url.to_string(),
            denominations: settings
                .denomination_amounts()
                .iter()
                .map(|m| m.to_decimal_string())
                .collect::<Vec<_>>()
                .join(", "),
            timeout: settings.request_timeout_secs.to_string(),
            duplicate_window: (settings.duplicate_window_secs / 60).to_string(),
            low_balance: amount(settings.low_balance_minor),
            sales_floor: amount(settings.sales_floor_minor),
            options: provider
                .info()
                .options
                .iter()
                .filter_map(|spec| Some((spec.name.to_string(), settings.option(spec)?)))
                .collect(),
        }
    }

    /// The draft to save, or what is wrong with the form.
    fn draft(&self, base: &ProfileSettings) -> Result<ProfileDraft, String> {
        let unit = base.unit;
        let denominations = if self.denominations.trim().is_empty() {
            Vec::new()
        } else {
            ProfileSettings::parse_denominations(&self.denominations, unit).map_err(|e| {
                t!(
                    "settings-error-denominations",
                    reason = money_error_text(&e)
                )
            })?
        };
        let timeout: u64 = self
            .timeout
            .trim()
            .parse()
            .ok()
            .filter(|s| (1..=120).contains(s))
            .ok_or_else(|| t!("settings-error-timeout"))?;
        let window_minutes: u64 = self
            .duplicate_window
            .trim()
            .parse()
            .ok()
            .filter(|m| *m <= 24 * 60)
            .ok_or_else(|| t!("settings-error-window"))?;
        let level = |text: &str| -> Result<Option<i64>, String> {
            if text.trim().is_empty() {
                return Ok(None);
            }
            Money::parse(text, unit)
                .map(|m| Some(m.minor()))
                .map_err(|e| money_error_text(&e))
        };
        let mut settings = ProfileSettings {
            denominations,
            request_timeout_secs: timeout,
            duplicate_window_secs: window_minutes * 60,
            low_balance_minor: level(&self.low_balance)?,
            sales_floor_minor: level(&self.sales_floor)?,
            options: BTreeMap::new(),
            ..base.clone()
        };
        let assignments: Vec<String> = self
            .options
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", v.trim()))
            .collect();
        self.provider
            .apply_options(&mut settings, &assignments)
            .map_err(|e| t!("settings-error-option", reason = e))?;
        Ok(ProfileDraft {
            existing: self.existing.clone(),
            name: self.name.trim().to_string(),
            provider: self.provider,
            base_url: self.base_url.trim().to_string(),
            settings,
        })
    }
}

/// The panel's state.
#[derive(Default)]
pub struct SettingsPanel {
    /// The profile being edited (`Some(None)`: a new one is being added).
    editing: Option<Option<String>>,
    form: Option<ProfileForm>,
    secrets: BTreeMap<SecretKind, String>,
    status: Option<(String, SecretStatus)>,
    /// The last save's or removal's outcome, worded when it is drawn.
    message: Option<(egui::Color32, Words)>,
    test: Option<(String, Result<Words, Words>)>,
    testing: bool,
    saving: bool,
    confirm_remove: bool,
    /// Changes each time secrets are saved, so the masked fields start over.
    secret_fields_generation: u64,
    /// "Your data and backups".
    pub data: data_section::DataSection,
    /// "The shop's books": this counter's ledger and the shop's counters.
    pub ledger: ledger_section::LedgerSection,
    /// "Receipts": the shop's details on them and this counter's printer.
    pub receipts: receipts_section::ReceiptsSection,
}

impl SettingsPanel {
    /// Opens the form for a new profile (the welcome's "Add your first provider").
    pub fn start_new_profile(&mut self) {
        open_profile(self, None, &mut |_| {});
    }

    /// Takes the result of saving a profile.
    pub fn saved(&mut self, result: Result<String, Words>) {
        self.saving = false;
        match result {
            Ok(name) => {
                let saved = name.clone();
                let text = Words::new(move || t!("settings-saved", name = saved.as_str()));
                self.message = Some((SUCCESS, text));
                // The form holds what was saved; it now edits that profile. (Rebuilding it from
                // the profile list would show the values from before the save until the list
                // is read again.)
                if let Some(form) = &mut self.form {
                    form.existing = Some(name.clone());
                }
                self.editing = Some(Some(name));
            }
            Err(error) => self.message = Some((FAILURE, error)),
        }
    }

    /// Takes the result of removing a profile.
    pub fn removed(&mut self, result: Result<String, Words>) {
        self.confirm_remove = false;
        match result {
            Ok(name) => {
                let text = Words::new(move || t!("settings-removed", name = name.as_str()));
                self.message = Some((SUCCESS, text));
                self.editing = None;
                self.form = None;
            }
            Err(error) => self.message = Some((FAILURE, error)),
        }
    }

    /// Takes which secrets a profile has.
    pub fn secret_status(&mut self, profile: String, status: SecretStatus) {
        self.status = Some((profile, status));
    }

    /// Takes the result of storing a secret.
    pub fn secret_saved(
        &mut self,
        profile: &str,
        kind: SecretKind,
        result: Result<(), Words>,
        run: &mut dyn FnMut(Command),
    ) {
        match result {
            Ok(()) => {
                let text = Words::new(move || {
                    t!("settings-secret-saved", secret = secret_kind_text(kind))
                });
                self.message = Some((SUCCESS, text));
                run(Command::LoadSecretStatus {
                    profile: profile.to_string(),
                });
            }
            Err(error) => self.message = Some((FAILURE, error)),
        }
    }

    /// Takes the result of a connection test.
    pub fn tested(&mut self, profile: String, result: Result<Words, Words>) {
        self.testing = false;
        self.test = Some((profile, result));
    }
}

/// The panel: the window's language and theme (changed in the preferences), the data
/// section, and the profiles.
pub fn settings_ui(ui: &mut egui::Ui, panel: &mut SettingsPanel, cx: &mut PanelContext<'_>) {
    ui.heading(t!("settings-title"));
    ui.horizontal(|ui| {
        language_picker_ui(ui, "settings-language", &mut cx.prefs.language);
        ui.add_space(24.0);
        theme_picker_ui(ui, &mut cx.prefs.theme);
    });
    data_section_ui(ui, &mut panel.data, cx);
    ledger_section::ledger_section_ui(ui, &mut panel.ledger, cx);
    receipts_section::receipts_section_ui(ui, &mut panel.receipts, cx);
    let (shop, run) = (&*cx.shop, &mut *cx.run);
    ui.separator();
    if let Some((colour, words)) = &panel.message {
        ui.colored_label(*colour, words.text());
    }
    ui.columns(2, |columns| {
        profile_list_ui(&mut columns[0], panel, shop, run);
        egui::ScrollArea::vertical()
            .id_salt("settings-form")
            .show(&mut columns[1], |ui| profile_form_ui(ui, panel, shop, run));
    });
}

/// The language drop-down: switches the whole window at once and records the choice.
pub fn language_picker_ui(ui: &mut egui::Ui, id_salt: &str, language: &mut Option<Language>) {
    ui.horizontal(|ui| {
        let label = ui.label(t!("settings-language"));
        let current = crate::ui::text::i18n::language();
        let mut chosen = current;
        egui::ComboBox::from_id_salt(id_salt)
            .selected_text(current.native_name())
            .show_ui(ui, |ui| {
                for option in Language::ALL {
                    ui.selectable_value(&mut chosen, option, option.native_name());
                }
            })
            .response
            .labelled_by(label.id);
        if chosen != current {
            set_language(chosen);
            *language = Some(chosen);
        }
    });
}

/// The theme: as the system is, light or dark; applied at once.
fn theme_picker_ui(ui: &mut egui::Ui, theme: &mut ThemeChoice) {
    let label = ui.label(t!("settings-theme"));
    let name = |choice: ThemeChoice| match choice {
        ThemeChoice::System => with_icon(icon::SYSTEM, &t!("settings-theme-system")),
        ThemeChoice::Light => with_icon(icon::LIGHT, &t!("settings-theme-light")),
        ThemeChoice::Dark => with_icon(icon::DARK, &t!("settings-theme-dark")),
    };
    let mut chosen = *theme;
    egui::ComboBox::from_id_salt("settings-theme")
        .selected_text(name(chosen))
        .show_ui(ui, |ui| {
            for option in ThemeChoice::ALL {
                ui.selectable_value(&mut chosen, option, name(option));
            }
        })
        .response
        .labelled_by(label.id);
    if chosen != *theme {
        *theme = chosen;
        ui.ctx().set_theme(chosen.preference());
    }
}

fn profile_list_ui(
    ui: &mut egui::Ui,
    panel: &mut SettingsPanel,
    shop: &Shop,
    run: &mut dyn FnMut(Command),
) {
    ui.strong(t!("settings-profiles"));
    for profile in &shop.profiles {
        let selected = panel.editing.as_ref() == Some(&Some(profile.name.clone()));
        let text = format!(
            "{} · {}",
            profile.name,
            crate::ui::text::error_text::provider_text(profile.provider)
        );
        if ui.selectable_label(selected, text).clicked() && !selected {
            open_profile(panel, Some(profile.name.clone()), run);
        }
    }
    ui.add_space(8.0);
    if ui.button(t!("settings-add-profile")).clicked() {
        open_profile(panel, None, run);
    }
}

fn open_profile(panel: &mut SettingsPanel, name: Option<String>, run: &mut dyn FnMut(Command)) {
    panel.editing = Some(name.clone());
    panel.form = None;
    panel.secrets.clear();
    panel.test = None;
    panel.confirm_remove = false;
    panel.message = None;
    panel.status = None;
    if let Some(profile) = name {
        run(Command::LoadSecretStatus { profile });
    }
}

fn option_help(name: &str, fallback: &str) -> String {
    let id = format!("option-{name}");
    let text = crate::ui::text::i18n::tr(&id);
    if text == id {
        fallback.to_string()
    } else {
        text
    }
}

fn profile_form_ui(
    ui: &mut egui::Ui,
    panel: &mut SettingsPanel,
    shop: &Shop,
    run: &mut dyn FnMut(Command),
) {
    let Some(editing) = panel.editing.clone() else {
        ui.label(RichText::new(t!("settings-pick-profile")).weak());
        return;
    };
    let existing = editing
        .as_deref()
        .and_then(|name| shop.profile(name))
        .cloned();
    let just_saved = panel.form.as_ref().is_some_and(|f| f.existing.is_some());
    if editing.is_some() && existing.is_none() && just_saved {
        // Saved a moment ago; the profile list is on its way.
        ui.spinner();
        return;
    }
    if panel.form.is_none() {
        panel.form = Some(match &existing {
            Some(profile) => ProfileForm::from_profile(profile),
            None => ProfileForm::new_for(ProviderKind::Qvatel),
        });
    }
    let Some(form) = panel.form.as_mut() else {
        return;
    };
    let adding = existing.is_none();
    ui.strong(if adding {
        t!("settings-new-profile")
    } else {
        t!("settings-edit-profile", name = form.name.as_str())
    });
    egui::Grid::new("settings-grid")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label(t!("settings-name"));
            ui.add_enabled(adding, egui::TextEdit::singleline(&mut form.name))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(t!("settings-provider"));
            let mut provider = form.provider;
            ui.add_enabled_ui(adding, |ui| {
                egui::ComboBox::from_id_salt("settings-provider")
                    .selected_text(crate::ui::text::error_text::provider_text(provider))
                    .show_ui(ui, |ui| {
                        for kind in ProviderKind::ALL {
                            ui.selectable_value(
                                &mut provider,
                                kind,
                                crate::ui::text::error_text::provider_text(kind),
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
            ui.end_row();
            if provider != form.provider {
                let name = std::mem::take(&mut form.name);
                *form = ProfileForm::new_for(provider);
                form.name = name;
            }
            let unit = form.provider.default_settings().unit;
            let rows: [(String, &mut String, String); 6] = [
                (
                    t!("settings-address"),
                    &mut form.base_url,
                    t!("settings-address-tip"),
                ),
                (
                    t!("settings-denominations", unit = unit.code()),
                    &mut form.denominations,
                    t!("settings-denominations-tip"),
                ),
                (
                    t!("settings-timeout"),
                    &mut form.timeout,
                    t!("settings-timeout-tip"),
                ),
                (
                    t!("settings-duplicate-window"),
                    &mut form.duplicate_window,
                    t!("settings-duplicate-window-tip"),
                ),
                (
                    t!("settings-low-balance", unit = unit.code()),
                    &mut form.low_balance,
                    t!("settings-low-balance-tip"),
                ),
                (
                    t!("settings-sales-floor", unit = unit.code()),
                    &mut form.sales_floor,
                    t!("settings-sales-floor-tip"),
                ),
            ];
            for (name, value, tip) in rows {
                let label = ui.label(name);
                ui.add(egui::TextEdit::singleline(value).desired_width(260.0))
                    .labelled_by(label.id)
                    .on_hover_text(tip);
                ui.end_row();
            }
            for spec in form.provider.info().options {
                let label = ui.label(spec.name);
                let value = form.options.entry(spec.name.to_string()).or_default();
                ui.add(egui::TextEdit::singleline(value).desired_width(260.0))
                    .labelled_by(label.id)
                    .on_hover_text(option_help(spec.name, spec.help));
                ui.end_row();
            }
        });
    let base = existing
        .as_ref()
        .map(|p| p.settings.clone())
        .unwrap_or_else(|| form.provider.default_settings());
    let draft = form.draft(&base);
    if let Err(error) = &draft {
        ui.colored_label(FAILURE, error);
    }
    ui.horizontal(|ui| {
        let save = ui.add_enabled(
            draft.is_ok() && !panel.saving,
            egui::Button::new(t!("settings-save")),
        );
        if save.clicked()
            && let Ok(draft) = draft
        {
            panel.saving = true;
            panel.message = None;
            run(Command::SaveProfile(draft));
        }
        if let Some(profile) = &existing {
            if !panel.confirm_remove {
                if ui.button(t!("settings-remove")).clicked() {
                    panel.confirm_remove = true;
                }
            } else {
                ui.colored_label(
                    WARNING,
                    t!("settings-remove-confirm", name = profile.name.as_str()),
                );
                if ui.button(t!("settings-remove-yes")).clicked() {
                    panel.confirm_remove = false;
                    run(Command::RemoveProfile {
                        name: profile.name.clone(),
                    });
                }
                if ui.button(t!("counter-cancel")).clicked() {
                    panel.confirm_remove = false;
                }
            }
        }
    });
    if let Some(profile) = existing {
        ui.separator();
        secrets_ui(ui, panel, &profile, run);
        let lacking = ledger_section::counters_lacking(shop.place.as_ref(), &profile.name);
        if !lacking.is_empty() {
            ui.colored_label(
                WARNING,
                t!("settings-counters-lacking", counters = lacking.join(", ")),
            );
        }
    } else {
        ui.label(RichText::new(t!("settings-secrets-after-save")).weak());
    }
}

fn secrets_ui(
    ui: &mut egui::Ui,
    panel: &mut SettingsPanel,
    profile: &Profile,
    run: &mut dyn FnMut(Command),
) {
    ui.strong(t!("settings-secrets"));
    ui.label(RichText::new(t!("settings-secrets-help")).weak());
    let status = panel
        .status
        .as_ref()
        .filter(|(name, _)| name == &profile.name)
        .map(|(_, status)| status.clone())
        .unwrap_or_default();
    let panel_generation = panel.secret_fields_generation;
    egui::Grid::new("settings-secrets")
        .num_columns(3)
        .show(ui, |ui| {
            for &kind in profile.secret_kinds() {
                let label = ui.label(secret_kind_text(kind));
                let value = panel.secrets.entry(kind).or_default();
                ui.add(
                    egui::TextEdit::singleline(value)
                        .id_salt(("secret", kind, panel_generation))
                        .password(true)
                        .min_size(egui::vec2(200.0, 0.0))
                        .desired_width(200.0),
                )
                .labelled_by(label.id);
                let state = status
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .map(|(_, s)| s.clone());
                match state {
                    Some(Ok(true)) => ui.colored_label(SUCCESS, t!("settings-secret-is-saved")),
                    Some(Ok(false)) => ui.colored_label(WARNING, t!("settings-secret-not-saved")),
                    Some(Err(error)) => ui.colored_label(FAILURE, &error),
                    None => ui.label(""),
                };
                ui.end_row();
            }
        });
    let any_typed = panel.secrets.values().any(|v| !v.is_empty());
    ui.horizontal(|ui| {
        if ui
            .add_enabled(any_typed, egui::Button::new(t!("settings-save-secrets")))
            .clicked()
        {
            // Typed secrets leave the window's memory as soon as they are handed over, and
            // the fields get new ids so their undo history goes with them.
            for (kind, value) in std::mem::take(&mut panel.secrets) {
                if !value.is_empty() {
                    run(Command::SaveSecret {
                        profile: profile.name.clone(),
                        kind,
                        secret: Secret::new(value),
                    });
                }
            }
            panel.secret_fields_generation += 1;
        }
        if panel.testing {
            ui.spinner();
        } else if ui
            .button(t!("settings-test"))
            .on_hover_text(t!("settings-test-tip"))
            .clicked()
        {
            panel.testing = true;
            panel.test = None;
            run(Command::TestConnection {
                profile: profile.name.clone(),
            });
        }
    });
    if let Some((name, result)) = &panel.test
        && name == &profile.name
    {
        match result {
            Ok(text) => ui.colored_label(SUCCESS, t!("settings-test-ok", detail = text)),
            Err(error) => ui.colored_label(FAILURE, t!("settings-test-failed", reason = error)),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_round_trips_a_profile_and_refuses_bad_numbers() {
        let kind = ProviderKind::Qvatel;
        let mut settings = kind.default_settings();
        settings.low_balance_minor = Some(5000);
        let profile = Profile {
            id: 1,
            name: "cuba".into(),
            provider: kind,
            base_url: kind.default_base_url().into(),
            settings: settings.clone(),
        };
        let form = ProfileForm::from_profile(&profile);
        let draft = form.draft(&settings).unwrap();
        assert_eq!(draft.settings, settings);
        let mut bad = form.clone();
        bad.timeout = "0".into();
        assert!(bad.draft(&settings).is_err());
        let mut bad = form.clone();
        bad.low_balance = "ten".into();
        assert!(bad.draft(&settings).is_err());
        let mut bad = form;
        bad.denominations = "5, x".into();
        assert!(bad.draft(&settings).is_err());
    }

    #[test]
    fn every_provider_option_has_help_in_both_languages() {
        for kind in ProviderKind::ALL {
            for spec in kind.info().options {
                for language in Language::ALL {
                    let id = format!("option-{}", spec.name);
                    assert!(
                        crate::ui::text::i18n::has_message(language, &id),
                        "{language:?} lacks {id}"
                    );
                }
            }
        }
    }
}
