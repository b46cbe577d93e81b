//! The little code that differs between Windows, macOS and Linux, one file per concern with
//! the `cfg` branches side by side, so that the code no local compiler sees stays small and in
//! one place: the console (`console`), the message box shown when no window can open
//! (`dialog`), the window's start-up with its renderer fallback (`window`) and the clipboard's
//! change counter (`clipboard_counter`). Everything here is at the edge, like `adapters`.

pub mod clipboard_counter;
pub mod console;
pub mod dialog;
pub mod window;
