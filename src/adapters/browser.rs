//! Opening a page in the user's default browser.

/// Opening a page failed; the UI then shows the address with a copy button.
#[derive(Debug, thiserror::Error)]
#[error("the browser could not be opened: {0}")]
pub struct BrowserError(pub String);

/// Something that opens web pages.
pub trait Browser {
    /// Open `url` in a browser.
    fn open(&mut self, url: &str) -> Result<(), BrowserError>;
}

/// The system's default browser, through the `open` crate.
#[derive(Debug, Default)]
pub struct SystemBrowser;

impl Browser for SystemBrowser {
    fn open(&mut self, url: &str) -> Result<(), BrowserError> {
        // Detached: the browser must not be tied to this app's lifetime or block the UI.
        open::that_detached(url).map_err(|e| BrowserError(e.to_string()))
    }
}
