//! Opening the window: try each renderer this system has, in order, and fall back to the next
//! when one cannot start; when none starts, say so in a message box (`dialog`) and return the
//! last error for the command line to print. Which renderer started, on what, and why the
//! ones before it could not, is kept ([`started`]) for the support report, and traced.
//!
//! Linux and macOS have glow (OpenGL) only. Windows has wgpu on Direct3D 12 first, which falls
//! back to WARP (software rendering) where there is no GPU driver, as in many VMs and RDP
//! sessions, and glow second. eframe keeps its event loop in a thread-local between runs
//! (`run_and_return`, on by default), which is what lets a second renderer try after the first
//! failed.
//!
//! On Windows the D3D12 adapter and device are found before `run_native`, on a thread of their
//! own with a deadline ([`WGPU_DEADLINE`]), and handed to eframe. A driver that hangs there
//! would otherwise keep the window from ever opening; past the deadline the app carries on
//! with OpenGL and leaves that thread behind.

use std::sync::Mutex;
use std::time::Duration;

/// How long wgpu may take to find an adapter and a device on Windows before the app gives up
/// on it and opens the window with OpenGL. Found in well under a second with a driver and
/// with WARP; the rest is room for a slow first start.
pub const WGPU_DEADLINE: Duration = Duration::from_secs(10);

/// How the window started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Start {
    /// The renderer that started: "wgpu" or "glow".
    pub renderer: String,
    /// What it runs on, in the driver's words (the adapter or the OpenGL renderer).
    pub on: String,
    /// Why each renderer tried before it could not start, in order.
    pub failed_first: Vec<String>,
}

impl Start {
    /// One line for the support report and the trace.
    pub fn line(&self) -> String {
        let mut line = format!("{} on {}", self.renderer, self.on);
        if !self.failed_first.is_empty() {
            line.push_str(&format!(
                "; could not start first: {}",
                self.failed_first.join("; ")
            ));
        }
        line
    }
}

static STARTED: Mutex<Option<Start>> = Mutex::new(None);

/// How the window started, once it has.
pub fn started() -> Option<Start> {
    STARTED.lock().ok().and_then(|s| s.clone())
}

fn trace(line: &str) {
    if std::env::var_os("AAAI_KEY_SETUP_TRACE").is_some() {
        eprintln!("aaai-key-setup: {line}");
    }
}

/// The renderers tried, in order, on this system.
pub fn renderers() -> &'static [eframe::Renderer] {
    #[cfg(windows)]
    {
        &[eframe::Renderer::Wgpu, eframe::Renderer::Glow]
    }
    #[cfg(not(windows))]
    {
        &[eframe::Renderer::Glow]
    }
}

/// Whether `error` says the renderer could not start, so that another one may.
pub fn renderer_failed(error: &eframe::Error) -> bool {
    match error {
        eframe::Error::Glutin(_)
        | eframe::Error::NoGlutinConfigs(..)
        | eframe::Error::OpenGL(_) => true,
        #[cfg(windows)]
        eframe::Error::Wgpu(_) => true,
        _ => false,
    }
}

/// What the renderer that just started runs on, from eframe's creation context.
fn started_on(cc: &eframe::CreationContext<'_>) -> String {
    #[cfg(windows)]
    if let Some(state) = &cc.wgpu_render_state {
        let info = state.adapter.get_info();
        return format!("{:?}, {} ({:?})", info.backend, info.name, info.device_type);
    }
    match &cc.gl {
        Some(gl) => gl_renderer(gl),
        None => String::from("an unknown adapter"),
    }
}

#[allow(unsafe_code)]
fn gl_renderer(gl: &eframe::glow::Context) -> String {
    use eframe::glow::HasContext as _;
    // SAFETY: eframe calls the app creator with its OpenGL context current on this thread
    // (its painter has just been made on it); glGetString takes no pointers of ours and the
    // strings are copied out before the call returns.
    let (renderer, version) = unsafe {
        (
            gl.get_parameter_string(eframe::glow::RENDERER),
            gl.get_parameter_string(eframe::glow::VERSION),
        )
    };
    format!("OpenGL {version}, {renderer}")
}

/// Open the window titled `title`, with `options()` (renderer set per try) and the app made by
/// `create()`, and run until it is closed.
///
/// # Errors
/// The last renderer's error when none could start, or the first error that is not a renderer
/// failing to start; a message box has then told the user.
pub fn open(
    title: &str,
    options: impl Fn() -> eframe::NativeOptions,
    create: impl Fn() -> eframe::AppCreator<'static>,
) -> eframe::Result {
    let mut reasons: Vec<String> = Vec::new();
    let mut last = None;
    for &renderer in renderers() {
        #[allow(unused_mut)]
        let mut native = eframe::NativeOptions {
            renderer,
            ..options()
        };
        #[cfg(windows)]
        if renderer == eframe::Renderer::Wgpu {
            match wgpu_start::find(WGPU_DEADLINE) {
                Ok(existing) => native.wgpu_options.wgpu_setup = existing.into(),
                Err(why) => {
                    let why = format!("{renderer}: {why}");
                    trace(&format!("renderer {why}"));
                    reasons.push(why);
                    continue;
                }
            }
        }
        let failed_first = reasons.clone();
        let app = create();
        let creator: eframe::AppCreator<'static> = Box::new(move |cc| {
            let start = Start {
                renderer: renderer.to_string(),
                on: started_on(cc),
                failed_first,
            };
            trace(&format!(
                "renderer {} started on {}",
                start.renderer, start.on
            ));
            if let Ok(mut s) = STARTED.lock() {
                *s = Some(start);
            }
            app(cc)
        });
        match eframe::run_native(title, native, creator) {
            Ok(()) => return Ok(()),
            Err(e) if renderer_failed(&e) => {
                let why = format!("{renderer}: {e}");
                trace(&format!("renderer {why}"));
                reasons.push(why);
                last = Some(e);
            }
            Err(e) => {
                reasons.push(e.to_string());
                super::dialog::show_error(&super::dialog::failure_text(&reasons));
                return Err(e);
            }
        }
    }
    super::dialog::show_error(&super::dialog::failure_text(&reasons));
    Err(last.unwrap_or_else(|| {
        eframe::Error::AppCreation(Box::from(
            reasons
                .last()
                .cloned()
                .unwrap_or_else(|| String::from("this build has no renderer for this system")),
        ))
    }))
}

/// wgpu's adapter and device on Windows, found on a thread of its own within a deadline.
#[cfg(windows)]
mod wgpu_start {
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::time::Duration;

    use eframe::egui_wgpu::{WgpuSetup, WgpuSetupCreateNew, WgpuSetupExisting};
    use eframe::wgpu;

    /// The adapter and device eframe would make itself (its default setup), or why none.
    pub(super) fn find(deadline: Duration) -> Result<WgpuSetupExisting, String> {
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name(String::from("wgpu start"))
            .spawn(move || {
                let _ = tx.send(pollster::block_on(start()));
            })
            .map_err(|e| format!("could not start a thread to find an adapter ({e})"))?;
        match rx.recv_timeout(deadline) {
            Ok(found) => found,
            Err(RecvTimeoutError::Timeout) => Err(format!(
                "no adapter and device within {} seconds",
                deadline.as_secs()
            )),
            Err(RecvTimeoutError::Disconnected) => {
                Err(String::from("finding an adapter stopped with a panic"))
            }
        }
    }

    async fn start() -> Result<WgpuSetupExisting, String> {
        let setup = WgpuSetupCreateNew::without_display_handle();
        let instance = WgpuSetup::CreateNew(setup.clone()).new_instance().await;
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: setup.power_preference,
                compatible_surface: None,
                force_fallback_adapter: false,
                apply_limit_buckets: false,
            })
            .await
            .map_err(|e| format!("no adapter ({e})"))?;
        let (device, queue) = adapter
            .request_device(&(setup.device_descriptor)(&adapter))
            .await
            .map_err(|e| {
                let info = adapter.get_info();
                format!("no device on {} ({e:?})", info.name)
            })?;
        Ok(WgpuSetupExisting {
            instance,
            adapter,
            device,
            queue,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_system_tries_glow_and_windows_tries_wgpu_first() {
        let order = renderers();
        assert!(order.contains(&eframe::Renderer::Glow));
        if cfg!(windows) {
            assert_eq!(
                order.first().map(ToString::to_string).as_deref(),
                Some("wgpu")
            );
        } else {
            assert_eq!(order, [eframe::Renderer::Glow]);
        }
    }

    #[test]
    fn only_renderer_failures_fall_back() {
        assert!(!renderer_failed(&eframe::Error::AppCreation(Box::from(
            "the app itself failed"
        ))));
    }

    #[test]
    fn the_start_line_names_the_renderer_and_why_the_first_failed() {
        let start = Start {
            renderer: String::from("glow"),
            on: String::from("OpenGL 4.5, llvmpipe"),
            failed_first: vec![String::from("wgpu: no device on llvmpipe (Lost)")],
        };
        assert_eq!(
            start.line(),
            "glow on OpenGL 4.5, llvmpipe; could not start first: wgpu: no device on llvmpipe (Lost)"
        );
        let first = Start {
            failed_first: Vec::new(),
            ..start
        };
        assert_eq!(first.line(), "glow on OpenGL 4.5, llvmpipe");
    }
}
