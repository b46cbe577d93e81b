//! Opening the window: try each renderer this system has, in order, and fall back to the next
//! when one cannot start; when none starts, say so in a message box (`dialog`) and return the
//! last error for the command line to print.
//!
//! Linux and macOS have glow (OpenGL) only. Windows has wgpu on Direct3D 12 first, which falls
//! back to WARP (software rendering) where there is no GPU driver, as in many VMs and RDP
//! sessions, and glow second. eframe keeps its event loop in a thread-local between runs
//! (`run_and_return`, on by default), which is what lets a second renderer try after the first
//! failed.

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
    let mut reasons = Vec::new();
    let mut last = None;
    for &renderer in renderers() {
        let native = eframe::NativeOptions {
            renderer,
            ..options()
        };
        match eframe::run_native(title, native, create()) {
            Ok(()) => return Ok(()),
            Err(e) if renderer_failed(&e) => {
                reasons.push(format!("{renderer}: {e}"));
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
        eframe::Error::AppCreation(Box::from("this build has no renderer for this system"))
    }))
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
}
