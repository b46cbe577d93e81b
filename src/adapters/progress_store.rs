//! The progress file in the platform's config directory. A damaged or foreign save is moved
//! aside (never deleted) and the app starts from defaults with a one-line notice.

use std::fs;
use std::io::{Read as _, Write as _};
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
    pub(crate) fn in_config_dir() -> Self {
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

    /// Load the progress. Never fails: problems become defaults plus a notice.
    pub fn load(&self) -> Loaded {
        let fresh = |notice: Option<String>| Loaded {
            progress: Progress::default(),
            notice,
        };
        let Some(path) = &self.path else {
            return fresh(None);
        };
        let bytes = match read_regular_file(path) {
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

    /// Save the progress atomically: a temporary file is created exclusively next to it (so a
    /// file or link planted under a fixed temporary name is never followed), then renamed over
    /// it.
    pub(crate) fn save(&self, progress: &Progress) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        fs::create_dir_all(dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".progress-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        tmp.write_all(progress.to_text().as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// The most a progress file may hold. A real save is well under a kilobyte; anything larger is
/// not ours and is treated as damaged rather than read into memory.
pub(crate) const MAX_PROGRESS_BYTES: u64 = 64 * 1024;

/// Reads `path` only if it is a regular file of at most [`MAX_PROGRESS_BYTES`]. A FIFO, a
/// device or a directory in its place is refused without blocking (on Unix it is opened
/// non-blocking, and checked after opening, so swapping it in between cannot block either).
fn read_regular_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let not_a_save = || std::io::Error::new(std::io::ErrorKind::InvalidData, "not a regular file");
    if !fs::metadata(path)?.is_file() {
        return Err(not_a_save());
    }
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_a_save());
    }
    let mut bytes = Vec::new();
    file.take(MAX_PROGRESS_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_PROGRESS_BYTES {
        // Too big to be a save: read as damaged, so it is kept aside.
        bytes.clear();
    }
    Ok(bytes)
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
    fn unreadable_files_are_kept_aside_with_a_notice() {
        let cases: [(&[u8], &str); 2] = [
            (b"{\"version\": 1, \"checklist\": [oops", "damaged"),
            (b"{\"version\": 0}", "another version"),
        ];
        for (bytes, says) in cases {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("p.json");
            fs::write(&path, bytes).expect("write");
            let loaded = ProgressStore::at(&path).load();
            assert_eq!(loaded.progress, Progress::default(), "{says}");
            let notice = loaded.notice.expect("notice");
            assert!(notice.contains(says), "{notice}");
            assert!(!path.exists(), "{says}");
            let kept: Vec<_> = fs::read_dir(dir.path()).expect("ls").collect();
            assert_eq!(kept.len(), 1, "{says}");
            let kept = kept[0].as_ref().expect("entry").path();
            assert_eq!(fs::read(kept).expect("read"), bytes, "{says}");
        }
    }

    #[test]
    fn a_setting_that_was_never_offered_keeps_the_rest_of_the_save() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.json");
        let store = ProgressStore::at(&path);
        let mut p = Progress::default();
        p.checklist.set(ItemId::SignedIn, Mark::Done);
        p.clear_after_secs = 120;
        store.save(&p).expect("save");
        let text = fs::read_to_string(&path).expect("read");
        let huge = text.replace(
            "\"clear_after_secs\": 120",
            "\"clear_after_secs\": 18446744073709551615",
        );
        assert_ne!(huge, text);
        fs::write(&path, huge).expect("write");
        let loaded = store.load();
        assert!(loaded.notice.is_none(), "{:?}", loaded.notice);
        assert_eq!(loaded.progress.clear_after_secs, 30);
        assert_eq!(loaded.progress.checklist, p.checklist);
        assert!(path.exists(), "the save is kept, not moved aside");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_named_like_the_save_does_not_block() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("progress.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let store = ProgressStore::at(&path);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name(String::from("test-load-fifo"))
            .spawn(move || {
                let _ = tx.send(store.load());
            })
            .expect("thread");
        let loaded = rx
            .recv_timeout(std::time::Duration::from_secs(5))
            .expect("loading must not wait for a writer on a FIFO");
        assert_eq!(loaded.progress, Progress::default());
        assert!(
            loaded
                .notice
                .as_deref()
                .is_some_and(|n| n.contains("could not be read")),
            "{:?}",
            loaded.notice
        );
        // A save replaces the FIFO with a real file.
        let mut p = Progress::default();
        p.checklist.set(ItemId::SignedIn, Mark::Done);
        ProgressStore::at(&path).save(&p).expect("save");
        assert_eq!(ProgressStore::at(&path).load().progress, p);
    }

    #[test]
    fn a_directory_named_like_the_save_is_not_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("progress.json");
        fs::create_dir(&path).expect("mkdir");
        let loaded = ProgressStore::at(&path).load();
        assert_eq!(loaded.progress, Progress::default());
        assert!(loaded.notice.is_some());
    }

    #[test]
    fn an_oversized_file_is_kept_aside_unread() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.json");
        let mut text = Progress::default().to_text();
        text.push_str(&" ".repeat(usize::try_from(MAX_PROGRESS_BYTES).expect("fits")));
        fs::write(&path, &text).expect("write");
        let loaded = ProgressStore::at(&path).load();
        assert_eq!(loaded.progress, Progress::default());
        assert!(loaded.notice.expect("notice").contains("damaged"));
        assert!(!path.exists());
        assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_the_old_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("progress.json");
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, b"precious").expect("write");
        std::os::unix::fs::symlink(&victim, dir.path().join("progress.json.tmp")).expect("symlink");
        let mut p = Progress::default();
        p.checklist.set(ItemId::SignedIn, Mark::Done);
        ProgressStore::at(&path).save(&p).expect("save");
        assert_eq!(fs::read(&victim).expect("read"), b"precious");
        assert!(
            fs::symlink_metadata(&path)
                .expect("saved")
                .file_type()
                .is_file()
        );
        assert_eq!(ProgressStore::at(&path).load().progress, p);
        let left: Vec<_> = fs::read_dir(dir.path())
            .expect("ls")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp") && n != "progress.json.tmp")
            .collect();
        assert!(left.is_empty(), "temporary files left behind: {left:?}");
    }
}
