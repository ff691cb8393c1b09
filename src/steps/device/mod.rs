//! Steps 2 to 4 of the device code flow (`--flow device`, RFC 8628), one file each. Steps 1
//! and 5 are the code flow's: register (a public client) and call Graph.

pub mod ask_for_codes;
pub mod poll;
pub mod sign_in_elsewhere;
