//! The Windows-only paths, run for real on Windows (the GitHub job) and under Wine
//! (`scripts/cross test`): the app binary is started the ways Windows starts it, and what it
//! does is read back through Win32 (its windows, its message box, the clipboard).
//!
//! - The window opens with the renderers Windows tries, and the trace names the one that
//!   started; started with a console of its own (as from Explorer) the app lets go of it; started
//!   with no console at all it opens its window all the same.
//! - With D3D12 out of wgpu's reach the app falls back to OpenGL and says why wgpu could not
//!   start; with OpenGL out of reach too, a message box says the window could not open and the
//!   app exits with code 1.
//! - Under Wine only (built with `--cfg wine`): the command line stores, shows and forgets a key
//!   in the Credential Manager. Wine's prefix is private; on a real Windows this would touch
//!   the user's own entry, so there it is ignored and says why.
//! - The clipboard's change counter moves when anything is copied, and the concealed copy
//!   carries the formats that keep it out of clipboard history and monitors.

#![cfg(windows)]
#![allow(unsafe_code)]

#[path = "support/keys.rs"]
mod keys;

use std::io::{Read as _, Write as _};
use std::os::windows::process::CommandExt as _;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use windows_sys::Win32::Foundation::{HWND, LPARAM};
use windows_sys::Win32::UI::WindowsAndMessaging::{
    EnumWindows, GetWindowTextW, GetWindowThreadProcessId, IsWindowVisible, PostMessageW, WM_CLOSE,
};

/// The app's window title.
const TITLE: &str = "AAAI Key Setup";
/// The message box's title (`platform::dialog::TITLE`).
const BOX_TITLE: &str = aaai_key_setup::platform::dialog::TITLE;
/// CREATE_NEW_CONSOLE: the child gets a console of its own, as when started from Explorer.
const CREATE_NEW_CONSOLE: u32 = 0x0000_0010;
/// DETACHED_PROCESS: the child has no console at all.
const DETACHED_PROCESS: u32 = 0x0000_0008;
/// How long a window may take to appear (Wine's first start of a renderer is slow).
const WINDOW_WAIT: Duration = Duration::from_secs(90);

/// One window at a time: the tests look windows up by title and process.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The visible top-level windows of process `pid`, with their titles.
fn windows_of(pid: u32) -> Vec<(HWND, String)> {
    struct Found {
        pid: u32,
        list: Vec<(HWND, String)>,
    }
    unsafe extern "system" fn each(hwnd: HWND, data: LPARAM) -> i32 {
        // SAFETY: `data` is the address of the `Found` below, alive for the whole EnumWindows
        // call that calls us; nothing else touches it meanwhile.
        let found = unsafe { &mut *(data as *mut Found) };
        let mut owner = 0u32;
        let mut title = [0u16; 256];
        // SAFETY: `hwnd` comes from EnumWindows; the out-pointers are to live locals and the
        // length given is the buffer's.
        let (visible, len) = unsafe {
            GetWindowThreadProcessId(hwnd, &mut owner);
            (
                IsWindowVisible(hwnd) != 0,
                GetWindowTextW(hwnd, title.as_mut_ptr(), title.len() as i32),
            )
        };
        if owner == found.pid && visible {
            let len = usize::try_from(len).unwrap_or(0);
            found
                .list
                .push((hwnd, String::from_utf16_lossy(&title[..len])));
        }
        1
    }
    let mut found = Found {
        pid,
        list: Vec::new(),
    };
    // SAFETY: `each` only runs during this call, and `found` outlives it.
    unsafe {
        EnumWindows(Some(each), &mut found as *mut Found as LPARAM);
    }
    found.list
}

/// Waits for a visible window of `child` whose title contains `title`.
fn wait_for_window(child: &mut Child, title: &str) -> Option<(HWND, Duration)> {
    let start = Instant::now();
    while start.elapsed() < WINDOW_WAIT {
        if let Some((hwnd, _)) = windows_of(child.id())
            .into_iter()
            .find(|(_, t)| t.contains(title))
        {
            return Some((hwnd, start.elapsed()));
        }
        if child.try_wait().ok().flatten().is_some() {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

/// Asks a window to close, as its close button does.
fn close(hwnd: HWND) {
    // SAFETY: posting a message takes no pointers; a window that is gone makes it fail.
    unsafe {
        PostMessageW(hwnd, WM_CLOSE, 0, 0);
    }
}

/// Waits for `child` to end (killing it after 30 s); its exit code and standard error.
fn finish(mut child: Child) -> (Option<i32>, String) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break child.wait().ok();
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    (status.and_then(|s| s.code()), stderr)
}

/// The app, with its trace on, `env` added and `flags` given to CreateProcess.
fn start_app(env: &[(&str, &str)], flags: u32) -> Child {
    let mut app = Command::new(env!("CARGO_BIN_EXE_aaai-key-setup"));
    app.env("AAAI_KEY_SETUP_TRACE", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .creation_flags(flags);
    app.spawn().expect("start the app")
}

/// Opens the window, checks it and closes it; the trace.
fn open_and_close(env: &[(&str, &str)], flags: u32) -> String {
    let _one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut app = start_app(env, flags);
    let found = wait_for_window(&mut app, TITLE);
    if let Some((hwnd, after)) = found {
        eprintln!("window visible after {} ms", after.as_millis());
        // Let a few frames draw, then close it like the close button does.
        std::thread::sleep(Duration::from_secs(2));
        close(hwnd);
    } else {
        let _ = app.kill();
    }
    let (code, stderr) = finish(app);
    assert!(
        found.is_some(),
        "no window titled '{TITLE}' appeared; stderr: {stderr}"
    );
    assert_eq!(
        code,
        Some(0),
        "closing the window ends the app; stderr: {stderr}"
    );
    stderr
}

#[test]
fn the_window_opens_and_the_trace_names_the_renderer_that_started() {
    let trace = open_and_close(&[], 0);
    assert!(
        trace.contains("renderer wgpu started on") || trace.contains("renderer glow started on"),
        "{trace}"
    );
}

#[test]
fn started_with_a_console_of_its_own_the_app_lets_go_of_it() {
    // As from Explorer: a new console with only the app on it. Standard error is a pipe, which
    // outlives the console, so the trace after letting go still reaches us.
    let trace = open_and_close(&[], CREATE_NEW_CONSOLE);
    assert!(trace.contains("console let go"), "{trace}");
}

#[test]
fn started_with_no_console_the_window_opens_all_the_same() {
    let trace = open_and_close(&[], DETACHED_PROCESS);
    assert!(!trace.contains("console let go"), "{trace}");
    assert!(trace.contains("started on"), "{trace}");
}

/// D3D12 out of wgpu's reach: under Wine its DLLs are switched off; on Windows wgpu is asked
/// for its OpenGL backend (`WGPU_BACKEND`), which this build does not have.
fn no_d3d12() -> (&'static str, &'static str) {
    if cfg!(wine) {
        ("WINEDLLOVERRIDES", "mscoree,mshtml,d3d12,d3d12core=")
    } else {
        ("WGPU_BACKEND", "gl")
    }
}

/// OpenGL out of glow's reach: glutin loads the DLL this names instead of opengl32.dll.
const NO_OPENGL: (&str, &str) = ("GLUTIN_WGL_OPENGL_DLL", "aaai-no-such-opengl32.dll");

#[test]
fn without_d3d12_the_window_opens_with_opengl_and_says_why() {
    let trace = open_and_close(&[no_d3d12()], 0);
    assert!(trace.contains("renderer wgpu: "), "{trace}");
    assert!(trace.contains("renderer glow started on OpenGL"), "{trace}");
}

#[test]
fn no_renderer_means_a_message_box_and_exit_code_1() {
    let _one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut app = start_app(&[no_d3d12(), NO_OPENGL], 0);
    let found = wait_for_window(&mut app, BOX_TITLE);
    match found {
        Some((hwnd, _)) => close(hwnd),
        None => {
            let _ = app.kill();
        }
    }
    let (code, stderr) = finish(app);
    assert!(
        found.is_some(),
        "no message box titled '{BOX_TITLE}'; stderr: {stderr}"
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("The window could not be opened"),
        "{stderr}"
    );
    assert!(stderr.contains("aaai-key-setup.exe --help"), "{stderr}");
}

/// The command line with `args`, `input` on standard input: exit code and standard output.
fn cli(args: &[&str], input: &str) -> (Option<i32>, String, String) {
    let mut run = Command::new(env!("CARGO_BIN_EXE_aaai-key-setup"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the command line");
    if let Some(mut i) = run.stdin.take() {
        i.write_all(input.as_bytes()).expect("write stdin");
    }
    let out = run.wait_with_output().expect("the command line ends");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
#[cfg_attr(
    not(wine),
    ignore = "stores and forgets the user's own key in the real Credential Manager"
)]
fn the_credential_manager_stores_shows_and_forgets_the_key() {
    let key = keys::made_up("sk-proj-", &keys::chars(74, 23), &keys::chars(74, 24));
    let (code, out, err) = cli(&["key", "store", "--stdin"], &key);
    assert_eq!(code, Some(0), "{out}{err}");
    let (code, out, err) = cli(&["key", "status"], "");
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("Windows Credential Manager"), "{out}");
    let (code, out, err) = cli(&["key", "forget"], "");
    assert_eq!(code, Some(0), "{out}{err}");
    let (code, out, err) = cli(&["key", "status"], "");
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("No key is stored in the Windows Credential Manager. Store one with: aaai-key-setup.exe key store"),
        "{out}"
    );
    for text in [&out, &err] {
        assert!(!text.contains(&key[8..40]), "the key was printed");
    }
}

#[test]
fn the_usage_line_names_the_exe() {
    let (code, _, err) = cli(&["--no-such-option"], "");
    assert_eq!(code, Some(64), "{err}");
    assert!(err.contains("Usage: aaai-key-setup.exe"), "{err}");
    let (code, out, _) = cli(&["--help"], "");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Usage: aaai-key-setup.exe"), "{out}");
}

#[test]
fn the_counter_moves_on_a_copy_and_the_concealed_copy_is_marked() {
    use aaai_key_setup::adapters::clipboard::SystemClipboard;
    use windows_sys::Win32::System::DataExchange::{
        CloseClipboard, IsClipboardFormatAvailable, OpenClipboard, RegisterClipboardFormatW,
    };
    let _one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut clipboard = (SystemClipboard::factory())().expect("the clipboard opens");
    let before = clipboard
        .change_count()
        .expect("Windows keeps a change counter");
    let secret = keys::made_up("sk-proj-", &keys::chars(74, 25), &keys::chars(74, 26));
    clipboard
        .set_sensitive(&secret)
        .expect("the concealed copy");
    let after = clipboard
        .change_count()
        .expect("Windows keeps a change counter");
    assert_ne!(before, after, "the counter did not move on a copy");
    assert_eq!(clipboard.text().expect("text").as_str(), secret);
    let format = |name: &str| {
        let wide: Vec<u16> = name.encode_utf16().chain(Some(0)).collect();
        // SAFETY: a NUL-terminated UTF-16 buffer that lives through the call.
        unsafe { RegisterClipboardFormatW(wide.as_ptr()) }
    };
    // SAFETY: no owner window; the clipboard is closed again below, and only format
    // numbers are asked for in between.
    let marked = unsafe {
        assert_ne!(OpenClipboard(std::ptr::null_mut()), 0, "open the clipboard");
        let marked = [
            "ExcludeClipboardContentFromMonitorProcessing",
            "CanIncludeInClipboardHistory",
            "CanUploadToCloudClipboard",
        ]
        .map(|name| (name, IsClipboardFormatAvailable(format(name)) != 0));
        CloseClipboard();
        marked
    };
    assert!(marked.iter().all(|(_, on)| *on), "{marked:?}");
    clipboard.clear().expect("clear");
}
