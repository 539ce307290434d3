//! A message a panel keeps on screen, worded each time it is drawn, so that it follows a
//! change of language instead of staying in the one it was first written in.

use std::fmt;
use std::sync::Arc;

/// Words a panel keeps, made again whenever they are drawn.
#[derive(Clone)]
pub struct Words(Arc<dyn Fn() -> String + Send + Sync>);

impl Words {
    /// Words made from data each time they are drawn (`t!` inside the closure).
    pub fn new(word: impl Fn() -> String + Send + Sync + 'static) -> Words {
        Words(Arc::new(word))
    }

    /// Text that came already worded (an error the background wrote), shown as it came.
    pub fn written(text: impl Into<String>) -> Words {
        let text = text.into();
        Words::new(move || text.clone())
    }

    /// An error, worded when it is drawn by `word` (one of `ui::text::error_text`'s).
    pub fn error<E: Send + Sync + 'static>(error: E, word: fn(&E) -> String) -> Words {
        Words::new(move || word(&error))
    }

    /// The words in the window's language now.
    pub fn text(&self) -> String {
        (self.0)()
    }
}

impl fmt::Debug for Words {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Words").field(&self.text()).finish()
    }
}

impl fmt::Display for Words {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl From<&Words> for egui::RichText {
    fn from(words: &Words) -> egui::RichText {
        egui::RichText::new(words.text())
    }
}

impl From<&Words> for egui::WidgetText {
    fn from(words: &Words) -> egui::WidgetText {
        egui::WidgetText::from(words.text())
    }
}

impl From<String> for Words {
    fn from(text: String) -> Words {
        Words::written(text)
    }
}

impl From<&str> for Words {
    fn from(text: &str) -> Words {
        Words::written(text)
    }
}

impl crate::ui::text::i18n::IntoArg for &Words {
    fn into_arg(self) -> fluent_bundle::FluentValue<'static> {
        fluent_bundle::FluentValue::from(self.text())
    }
}

/// Words are equal when they read the same now.
impl PartialEq for Words {
    fn eq(&self, other: &Words) -> bool {
        self.text() == other.text()
    }
}

impl Eq for Words {}

impl crate::ui::text::i18n::IntoArg for Words {
    fn into_arg(self) -> fluent_bundle::FluentValue<'static> {
        fluent_bundle::FluentValue::from(self.text())
    }
}
