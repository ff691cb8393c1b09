//! The five steps of the article, one module each, and what each needs from the ones before.
//!
//! Every step has the same shape: build the request, show it, wait for Enter, send it, print
//! the response, explain it. `tutorial.rs` runs them in order and saves what they leave.
//! Beside them: the browser's part between steps 2 and 3 (`at_the_browser`, `play`), the
//! tokens step 4 receives (`tokens`), and the device code flow (`device`).

mod at_the_browser;
pub mod call_graph;
pub mod device;
pub mod play;
pub mod receive_code;
pub mod redirect;
pub mod register;
pub mod request_token;
pub mod tokens;
