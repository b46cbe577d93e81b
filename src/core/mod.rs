//! The pure core: everything the app knows and decides, with no I/O, no egui, no async and no
//! platform services. The GUI and the CLI are thin shells around it.

pub mod checklist;
pub mod evidence;
pub mod features;
pub mod guide;
pub mod i18n;
pub mod key;
pub mod leak;
pub mod models;
pub mod paste;
pub mod progress;
pub mod readiness;
pub mod recheck;
pub mod report;
pub mod sentences;
pub mod status;
pub mod verdict;
pub mod watch;
