//! What every endpoint is handed: the settings, the clock, the ID source, the signing key and
//! the store.

use crate::clock::Clock;
use crate::config::Config;
use crate::ids::Ids;
use crate::store::Store;
use crate::tokens::{Sealer, Signer};

pub(crate) struct State {
    pub(crate) config: Config,
    pub(crate) clock: Clock,
    pub(crate) ids: Ids,
    pub(crate) signer: Signer,
    pub(crate) sealer: Sealer,
    pub(crate) store: Store,
}

impl State {
    pub(crate) fn new(config: Config) -> Result<State, aws_lc_rs::error::KeyRejected> {
        let (clock, ids) = if config.deterministic {
            (Clock::fixed(), Ids::seeded())
        } else {
            (Clock::system(), Ids::random())
        };
        let sealer = Sealer::new(&ids);
        Ok(State {
            signer: Signer::demo()?,
            sealer,
            store: Store::with_demo_apps(),
            clock,
            ids,
            config,
        })
    }
}
