//! Services for headless UI tests: an in-memory clipboard and keyring standing in for the
//! real ones.

/// A clipboard in memory that tests write to, standing in for the X clipboard.
#[derive(Clone, Default)]
pub struct FakeClipboard(pub std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl FakeClipboard {
    /// Put text on the fake clipboard.
    pub fn set(&self, text: &str) {
        *self.0.lock().expect("lock") = Some(text.to_owned());
    }
}

impl aaai_key_setup::adapters::clipboard::ClipboardSource for FakeClipboard {
    fn text(
        &mut self,
    ) -> Result<zeroize::Zeroizing<String>, aaai_key_setup::adapters::clipboard::ClipError> {
        use aaai_key_setup::adapters::clipboard::ClipError;
        let guard = self.0.lock().map_err(|_| ClipError::Busy)?;
        guard
            .clone()
            .map(zeroize::Zeroizing::new)
            .ok_or(ClipError::NoText)
    }
    fn clear(&mut self) -> Result<(), aaai_key_setup::adapters::clipboard::ClipError> {
        *self.0.lock().expect("lock") = None;
        Ok(())
    }
    fn set_sensitive(
        &mut self,
        text: &str,
    ) -> Result<(), aaai_key_setup::adapters::clipboard::ClipError> {
        self.set(text);
        Ok(())
    }
}

/// Services for headless UI tests: the given browser, store and fake clipboard, a check
/// configuration pointing at nothing (tests that check set their own), no tracing.
pub fn services(
    browser: Box<dyn aaai_key_setup::adapters::browser::Browser>,
    store: aaai_key_setup::adapters::progress_store::ProgressStore,
    clipboard: FakeClipboard,
) -> aaai_key_setup::app::Services {
    use aaai_key_setup::adapters::clipboard::ClipboardSource;
    aaai_key_setup::app::Services {
        browser,
        store,
        clipboard: Some(Box::new(move || {
            Ok(Box::new(clipboard.clone()) as Box<dyn ClipboardSource>)
        })),
        check_config: aaai_key_setup::adapters::net::CheckConfig {
            base_url: String::from("http://127.0.0.1:9/v1"),
            ..aaai_key_setup::adapters::net::CheckConfig::default()
        },
        vault: std::sync::Arc::new(FakeVault::default()),
        trace: false,
        locales: Vec::new(),
    }
}

/// A keyring in memory; `missing` makes every call fail as with no Secret Service.
#[derive(Default)]
pub struct FakeVault {
    /// The stored key.
    pub stored: std::sync::Mutex<Option<aaai_key_setup::core::key::ApiKey>>,
    /// Fail every call.
    pub missing: bool,
    /// Locked: every call fails as a locked keyring does, until this is set back to false.
    pub locked: std::sync::atomic::AtomicBool,
    /// Where it says the key is kept (default: "the test keyring").
    pub location: Option<&'static str>,
}

impl aaai_key_setup::adapters::vault::KeyStore for FakeVault {
    fn store(
        &self,
        key: &aaai_key_setup::core::key::ApiKey,
    ) -> Result<(), aaai_key_setup::adapters::vault::VaultError> {
        self.check()?;
        *self.stored.lock().expect("lock") = Some(key.clone());
        Ok(())
    }
    fn load(
        &self,
    ) -> Result<
        Option<aaai_key_setup::core::key::ApiKey>,
        aaai_key_setup::adapters::vault::VaultError,
    > {
        self.check()?;
        Ok(self.stored.lock().expect("lock").clone())
    }
    fn forget(&self) -> Result<bool, aaai_key_setup::adapters::vault::VaultError> {
        self.check()?;
        Ok(self.stored.lock().expect("lock").take().is_some())
    }
    fn location(&self) -> &'static str {
        self.location.unwrap_or("the test keyring")
    }
}

impl FakeVault {
    fn check(&self) -> Result<(), aaai_key_setup::adapters::vault::VaultError> {
        if self.missing {
            Err(aaai_key_setup::adapters::vault::VaultError::Missing {
                location: "the test keyring",
            })
        } else if self.locked.load(std::sync::atomic::Ordering::SeqCst) {
            Err(aaai_key_setup::adapters::vault::VaultError::Locked {
                location: "the test keyring",
            })
        } else {
            Ok(())
        }
    }
}
