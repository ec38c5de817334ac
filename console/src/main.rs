//! Entry point of the console's wasm: it only mounts.

fn main() {
    mend_console::mount();
}
