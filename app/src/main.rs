//! Entry point of the widget's wasm: it only mounts.

fn main() {
    mend_app::mount();
}
