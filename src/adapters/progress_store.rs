//! The progress file in the platform's config directory. A damaged or foreign save is moved
//! aside (never deleted) and the app starts from defaults with a one-line notice.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::core::progress::{Progress, ProgressProblem};

/// Where progress is kept. `None` path: nothing is saved (no config dir could be found).
#[derive(Clone, Debug)]
pub struct ProgressStore {
    path: Option<PathBuf>,
}

/// What loading found.
#[derive(Debug)]
pub struct Loaded {
    /// The progress to start with.
    pub progress: Progress,
    /// A one-line notice for the user, if the save could not be used.
    pub notice: Option<String>,
}

impl ProgressStore {
    /// The file `progress.json` in the platform's config dir
    /// (`$XDG_CONFIG_HOME/aaai-key-setup` on Linux).
    pub fn in_config_dir() -> Self {
        let path = directories::ProjectDirs::from("", "", "aaai-key-setup")
            .map(|d| d.config_dir().join("progress.json"));
        Self { path }
    }

    /// A store at an explicit path.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self {
            path: Some(path.into()),
        }
    }

    /// A store that keeps nothing.
    pub fn none() -> Self {
        Self { path: None }
    }

    /// The file's path, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Load the progress. Never fails: problems become defaults plus a notice.
    pub fn load(&self) -> Loaded {
        let fresh = |notice: Option<String>| Loaded {
            progress: Progress::default(),
            notice,
        };
        let Some(path) = &self.path else {
            return fresh(None);
        };
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return fresh(None),
            Err(_) => {
                return fresh(Some(String::from(
                    "Your saved progress could not be read, so the checklist starts fresh.",
                )));
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        match Progress::parse(&text) {
            Ok(progress) => Loaded {
                progress,
                notice: None,
            },
            Err(problem) => {
                let kept = keep_aside(path);
                let what = match problem {
                    ProgressProblem::Corrupt => "was damaged",
                    ProgressProblem::OtherVersion(_) => "came from another version of this app",
                };
                let notice = match kept {
                    Some(aside) => format!(
                        "Your saved progress {what}, so the checklist starts fresh (the old file is kept as {}).",
                        aside.display()
                    ),
                    None => format!("Your saved progress {what}, so the checklist starts fresh."),
                };
                fresh(Some(notice))
            }
        }
    }

    /// Save the progress atomically (write a temporary file next to it, then rename).
    pub fn save(&self, progress: &Progress) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        {
            let mut f = fs::File::create(&tmp)?;
            f.write_all(progress.to_text().as_bytes())?;
            f.sync_all()?;
        }
        fs::rename(&tmp, path)
    }
}

/// Move a bad save to `progress.json.bad-<unix seconds>`; returns the new path.
fn keep_aside(path: &Path) -> Option<PathBuf> {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut name = path.file_name()?.to_os_string();
    name.push(format!(".bad-{secs}"));
    let aside = path.with_file_name(name);
    fs::rename(path, &aside).ok().map(|()| aside)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::checklist::{ItemId, Mark};

    #[test]
    fn missing_file_is_a_quiet_fresh_start() {
        let dir = tempfile::tempdir().expect("tempdir");
        let loaded = ProgressStore::at(dir.path().join("p.json")).load();
        assert_eq!(loaded.progress, Progress::default());
        assert!(loaded.notice.is_none());
    }

    #[test]
    fn save_then_load() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = ProgressStore::at(dir.path().join("sub/p.json"));
        let mut p = Progress::default();
        p.checklist.set(ItemId::SignedIn, Mark::Done);
        store.save(&p).expect("save");
        assert_eq!(store.load().progress, p);
    }

    #[test]
    fn corrupt_file_is_kept_aside_with_a_notice() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.json");
        fs::write(&path, b"{\"version\": 1, \"checklist\": [oops").expect("write");
        let loaded = ProgressStore::at(&path).load();
        assert_eq!(loaded.progress, Progress::default());
        let notice = loaded.notice.expect("notice");
        assert!(notice.contains("damaged"), "{notice}");
        assert!(!path.exists());
        let kept: Vec<_> = fs::read_dir(dir.path()).expect("ls").collect();
        assert_eq!(kept.len(), 1);
        let kept = kept[0].as_ref().expect("entry").path();
        assert_eq!(
            fs::read(kept).expect("read"),
            b"{\"version\": 1, \"checklist\": [oops"
        );
    }

    #[test]
    fn older_format_is_kept_aside_with_a_notice() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.json");
        fs::write(&path, b"{\"version\": 0}").expect("write");
        let loaded = ProgressStore::at(&path).load();
        assert!(loaded.notice.expect("notice").contains("another version"));
        assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 1);
    }
}
