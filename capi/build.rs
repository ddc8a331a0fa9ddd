//! Gives the shared library its SONAME on Linux, `libferrotls.so.MAJOR`
//! (the major version of this package), so programs linked against it
//! load the ABI they were built for; `install.sh` installs it under that
//! name.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        let major = env!("CARGO_PKG_VERSION_MAJOR");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libferrotls.so.{major}");
    }
}
