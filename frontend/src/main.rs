//! Entry point of the web app. The app only runs in a browser: a native build of this binary
//! exists so that `cargo test --workspace` can build the crate, and it does nothing.

fn main() {
    #[cfg(target_arch = "wasm32")]
    frontend::start();
}
