//! A configuration handle's settings with the configuration last built
//! from them. Connections share that configuration, as a Rust
//! application's connections share one `Arc<ClientConfig>` or
//! `Arc<ServerConfig>`, so what a configuration keeps for all of them
//! serves C too: the verifier's signature cache, the server's compressed
//! certificate chain (brotli at its densest takes milliseconds). Setters
//! reach the settings only through [`Kept::change`], which forgets the
//! built configuration, so no connection is made from settings that have
//! changed since.

use super::Code;

/// Settings `S` and the configuration `B` built from them, if one was.
pub(in crate::config) struct Kept<S, B> {
    settings: S,
    built: Option<B>,
}

impl<S, B: Clone> Kept<S, B> {
    /// `settings`, from which nothing is built yet.
    pub(in crate::config) fn new(settings: S) -> Self {
        Self {
            settings,
            built: None,
        }
    }

    /// The settings, to change: the configuration built from them is
    /// forgotten (connections made from it keep it), and the next
    /// connection builds another.
    pub(in crate::config) fn change(&mut self) -> &mut S {
        self.built = None;
        &mut self.settings
    }

    /// The configuration built from the settings: the one kept, or, the
    /// first time and after a change, one `build` makes, kept for the
    /// connections to come. A failed build keeps nothing.
    pub(in crate::config) fn built(
        &mut self,
        build: impl FnOnce(&S) -> Result<B, Code>,
    ) -> Result<B, Code> {
        if let Some(built) = &self.built {
            return Ok(built.clone());
        }
        let built = build(&self.settings)?;
        self.built = Some(built.clone());
        Ok(built)
    }
}
