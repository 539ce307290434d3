//! Every word the window shows, in English and Spanish, from the Fluent files in
//! `assets/i18n/`. Panels call [`tr`] (or the [`t!`](crate::t) macro with arguments); the
//! language can change while the window is open.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

/// The languages the window speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    #[default]
    English,
    Spanish,
}

impl Language {
    /// Every language, in the order the settings list them.
    pub const ALL: [Language; 2] = [Language::English, Language::Spanish];

    /// The language's name in itself, as a language picker shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Spanish => "Español",
        }
    }

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Spanish => "es",
        }
    }

    /// The language for a tag such as `es_MX.UTF-8` or `en-GB` (English when unknown).
    pub fn from_locale(locale: &str) -> Language {
        if locale.to_ascii_lowercase().starts_with("es") {
            Language::Spanish
        } else {
            Language::English
        }
    }

    fn source(self) -> &'static str {
        match self {
            Language::English => include_str!("../../../assets/i18n/en.ftl"),
            Language::Spanish => include_str!("../../../assets/i18n/es.ftl"),
        }
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);
static BUNDLES: OnceLock<Vec<FluentBundle<FluentResource>>> = OnceLock::new();

fn bundles() -> &'static [FluentBundle<FluentResource>] {
    BUNDLES.get_or_init(|| Language::ALL.iter().map(|&l| bundle(l)).collect())
}

fn bundle(language: Language) -> FluentBundle<FluentResource> {
    // The files are part of the program and checked by the tests below, so a parse error
    // can only come from a broken build; what parsed is still used.
    let resource = FluentResource::try_new(language.source().to_string())
        .unwrap_or_else(|(partial, _errors)| partial);
    let tag = language.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // egui draws the Unicode isolation marks Fluent adds around arguments as boxes.
    bundle.set_use_isolating(false);
    let _ = bundle.add_resource(resource);
    bundle
}

/// Switches every text of the window to `language`.
pub fn set_language(language: Language) {
    CURRENT.store(language as u8, Ordering::Relaxed);
}

/// The language the window speaks now.
pub fn language() -> Language {
    Language::ALL[usize::from(CURRENT.load(Ordering::Relaxed)).min(Language::ALL.len() - 1)]
}

/// The text of message `id` in the current language.
pub fn tr(id: &str) -> String {
    translate(language(), id, None)
}

/// The text of message `id` in the current language, with its arguments filled in.
pub fn tr_with(id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    translate(language(), id, Some(&fluent_args))
}

/// The text of message `id` (or `id.attribute`) in `language`; the id itself when missing, so
/// a forgotten message shows up in tests instead of an empty label.
pub fn translate(language: Language, id: &str, args: Option<&FluentArgs<'_>>) -> String {
    let bundle = &bundles()[language as usize];
    let (message_id, attribute) = match id.split_once('.') {
        Some((message, attribute)) => (message, Some(attribute)),
        None => (id, None),
    };
    let Some(message) = bundle.get_message(message_id) else {
        return id.to_string();
    };
    let pattern = match attribute {
        Some(name) => message.get_attribute(name).map(|a| a.value()),
        None => message.value(),
    };
    let Some(pattern) = pattern else {
        return id.to_string();
    };
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, args, &mut errors)
        .into_owned()
}

/// Whether `language`'s file has message `id` (used by the tests).
pub fn has_message(language: Language, id: &str) -> bool {
    bundles()[language as usize].has_message(id)
}

/// The ids of every message in `language`'s file, in file order.
pub fn message_ids(language: Language) -> Vec<String> {
    language
        .source()
        .lines()
        .filter_map(|line| {
            let (id, _) = line.split_once(" =")?;
            let id = id.trim_end();
            let starts_well = id.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            let simple = id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            (starts_well && simple).then(|| id.to_string())
        })
        .collect()
}

/// A translated text: `t!(ID)`, or `t!(ID, name = value, …)` with Fluent arguments.
#[macro_export]
macro_rules! t {
    ($id:expr) => {
        $crate::ui::text::i18n::tr($id)
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::ui::text::i18n::tr_with(
            $id,
            &[$((stringify!($name), $crate::ui::text::i18n::arg($value))),+],
        )
    };
}

/// Turns a value into a Fluent argument: numbers stay numbers (for plural rules), everything
/// else becomes text.
pub fn arg<T: IntoArg>(value: T) -> FluentValue<'static> {
    value.into_arg()
}

/// Values a translated text can take as arguments.
pub trait IntoArg {
    fn into_arg(self) -> FluentValue<'static>;
}

macro_rules! number_arg {
    ($($ty:ty),*) => {$(
        impl IntoArg for $ty {
            fn into_arg(self) -> FluentValue<'static> {
                FluentValue::from(self)
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize);

impl IntoArg for String {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from(self)
    }
}

impl IntoArg for &String {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from(self.clone())
    }
}

impl IntoArg for &str {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from(self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_files_parse_and_have_the_same_messages() {
        for language in Language::ALL {
            let parsed = FluentResource::try_new(language.source().to_string());
            assert!(parsed.is_ok(), "{language:?} file has syntax errors");
        }
        let english = message_ids(Language::English);
        let spanish = message_ids(Language::Spanish);
        assert!(english.len() > 100, "only {} messages found", english.len());
        let missing: Vec<_> = english.iter().filter(|id| !spanish.contains(id)).collect();
        let extra: Vec<_> = spanish.iter().filter(|id| !english.contains(id)).collect();
        assert!(missing.is_empty(), "Spanish lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "Spanish has messages English lacks: {extra:?}"
        );
    }

    #[test]
    fn every_message_the_code_asks_for_exists_in_both_languages() {
        let mut asked = Vec::new();
        collect_ids(std::path::Path::new("src/ui"), &mut asked);
        assert!(
            asked.len() > 100,
            "only {} ids found in src/ui",
            asked.len()
        );
        for id in &asked {
            let message = id.split('.').next().unwrap_or(id);
            for language in Language::ALL {
                assert!(
                    has_message(language, message),
                    "{language:?} has no message {id}"
                );
            }
        }
    }

    /// Finds every `t!` call with a literal message id in the Rust files under `dir`.
    fn collect_ids(dir: &std::path::Path, ids: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect_ids(&path, ids);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let mut rest = text.as_str();
                while let Some(at) = rest.find("t!(\"") {
                    let before = rest[..at].chars().next_back();
                    rest = &rest[at + 4..];
                    // Skips the tail of longer macro names such as format.
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    if let Some((id, _)) = rest.split_once('"') {
                        ids.push(id.to_string());
                    }
                }
            }
        }
    }

    #[test]
    fn arguments_and_plurals_are_filled_in() {
        let one = translate(
            Language::English,
            "review-count",
            Some(&FluentArgs::from_iter([("count", 1)])),
        );
        let many = translate(
            Language::Spanish,
            "review-count",
            Some(&FluentArgs::from_iter([("count", 3)])),
        );
        assert_eq!(one, "1 operation needs review");
        assert_eq!(many, "3 operaciones requieren revisión");
    }

    #[test]
    fn a_missing_message_shows_its_id() {
        assert_eq!(
            translate(Language::Spanish, "no-such-message", None),
            "no-such-message"
        );
    }

    #[test]
    fn locales_pick_the_language() {
        assert_eq!(Language::from_locale("es_MX.UTF-8"), Language::Spanish);
        assert_eq!(Language::from_locale("en_GB"), Language::English);
        assert_eq!(Language::from_locale("C"), Language::English);
    }
}
