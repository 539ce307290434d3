//! One event's detail in an operation's event log (Review's evidence, History's details):
//! saldo's notes read as sentences in the window's language, the provider's raw reply waits
//! behind "Details", and anything that looks like a secret is blanked.

use egui::RichText;

use crate::domain::Note;
use crate::logging::redact::names_a_secret;
use crate::t;
use crate::ui::text::notes::event_text;
use crate::ui::text::rtl::{has_rtl, rtl_job};

/// Draws an event's detail; `id` tells its "Details" section apart from the others'.
pub fn event_detail_ui(
    ui: &mut egui::Ui,
    detail: &str,
    id: impl std::hash::Hash + std::fmt::Debug,
) {
    // A provider's reply alone is blanked whole first: split into lines, a JSON reply would
    // no longer read as JSON and a secret in it could slip through. saldo's notes hold no
    // secret, and what follows them is blanked below.
    let whole;
    let detail = if Note::read(detail).notes.is_empty() {
        whole = redact_secrets(detail);
        whole.as_str()
    } else {
        detail
    };
    let text = event_text(detail);
    for sentence in &text.sentences {
        let sentence = redact_secrets(sentence);
        if has_rtl(&sentence) {
            let size = egui::TextStyle::Body.resolve(ui.style()).size;
            ui.add(egui::Label::new(rtl_job(
                &sentence,
                size,
                ui.visuals().text_color(),
            )));
        } else {
            ui.add(egui::Label::new(sentence).wrap());
        }
    }
    let raw = redact_secrets(&text.raw);
    if !raw.trim().is_empty() {
        egui::CollapsingHeader::new(t!("review-raw-reply"))
            .id_salt(id)
            .show(ui, |ui| {
                if has_rtl(&raw) {
                    ui.label(rtl_job(&raw, 12.0, ui.visuals().text_color()));
                } else {
                    ui.label(RichText::new(raw).monospace().size(12.0));
                }
            });
    }
}

fn redact_value(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if names_a_secret(key) {
                    *inner = serde_json::Value::String("[removed]".to_string());
                } else {
                    redact_value(inner);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_value),
        _ => {}
    }
}

/// Removes what looks like a credential from a provider's reply before it is shown: values of
/// JSON keys naming a token, password, key or secret, and `name=value` pairs of the same in
/// form-encoded or free text.
pub fn redact_secrets(text: &str) -> String {
    if let Some(start) = text.find(['{', '['])
        && let Ok(mut json) = serde_json::from_str::<serde_json::Value>(&text[start..])
    {
        redact_value(&mut json);
        return format!("{}{json}", &text[..start]);
    }
    text.split_inclusive(['&', ' ', '\n', ','])
        .map(|part| match part.split_once(['=', ':']) {
            Some((key, rest)) if names_a_secret(key) => {
                let tail: String = rest
                    .chars()
                    .rev()
                    .take_while(|c| matches!(c, '&' | ' ' | '\n' | ','))
                    .collect();
                let separator = &part[key.len()..key.len() + 1];
                format!(
                    "{key}{separator}[removed]{}",
                    tail.chars().rev().collect::<String>()
                )
            }
            _ => part.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_replies_are_removed_and_the_rest_kept() {
        let reply = r#"{"status":"ok","msg":"a\"b","token":"eyJhbGciOi.abc","data":{"password" : "hunter2"},"api_key":123,"balance":12.5}"#;
        let shown = redact_secrets(reply);
        for secret in ["eyJhbGciOi", "hunter2", "123"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains(r#""status":"ok""#), "{shown}");
        assert!(shown.contains("12.5"), "{shown}");
        let form = redact_secrets("user=ana&password=hunter2&amount=5");
        assert_eq!(form, "user=ana&password=[removed]&amount=5");
        assert_eq!(redact_secrets("no secrets here"), "no secrets here");
        assert_eq!(
            redact_secrets("status check: not found {\"error\":1}"),
            "status check: not found {\"error\":1}"
        );
    }
}
