//! What every endpoint is handed: the settings, the clock, the ID source, the signing key and
//! the store.

use crate::clock::Clock;
use crate::config::Config;
use crate::errors::Trace;
use crate::ids::Ids;
use crate::log::RequestLog;
use crate::request::Incoming;
use crate::seal::Sealer;
use crate::signer::{NoKey, Signer, SigningKey};
use crate::store::Store;

pub(crate) struct State {
    pub(crate) config: Config,
    pub(crate) clock: Clock,
    pub(crate) ids: Ids,
    pub(crate) signer: SigningKey,
    pub(crate) sealer: Sealer,
    pub(crate) store: Store,
    /// The classroom's request log, when asked for.
    pub(crate) log: Option<RequestLog>,
}

impl State {
    pub(crate) fn new(config: Config) -> Result<State, NoKey> {
        let (clock, ids) = if config.deterministic {
            (Clock::fixed(), Ids::seeded())
        } else {
            (Clock::system(), Ids::random())
        };
        let sealer = Sealer::new(&ids);
        // The demo key is public: on a mock others can reach it would let anyone mint tokens.
        let signer = if config.is_shared() {
            SigningKey::generate()
        } else {
            SigningKey::ready(Signer::demo()?)
        };
        Ok(State {
            signer,
            sealer,
            store: Store::with_demo_apps(),
            log: config.log_requests.then(RequestLog::to_stderr).flatten(),
            clock,
            ids,
            config,
        })
    }

    /// The IDs and time to stamp on a refusal of `req`.
    pub(crate) fn trace(&self, req: &Incoming) -> Trace {
        Trace::new(&self.ids, &self.clock, req)
    }
}
