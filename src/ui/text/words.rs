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
