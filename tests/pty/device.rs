//! The device code flow at a terminal: the person's part played, or never done.

use crate::terminal::{Terminal, enter_until};

#[test]
fn the_device_flow_waits_for_the_person_and_p_lets_the_tutorial_sign_in() {
    let mut terminal = Terminal::start("--deterministic --flow device");

    // Step 3 shows the code, and asks whether the person has signed in.
    let asked = enter_until(&mut terminal, "[Enter: done · p: the tutorial does it");
    assert!(terminal.screen[..asked].contains("\"error\": \"authorization_pending\""));
    assert!(terminal.screen[..asked].contains("open this page and type the code"));
    terminal.types("p\n");

    // The person's part is played through the mock's pages; then steps 4 and 5 as usual.
    let mut from = asked + 1;
    loop {
        let (at, which) = terminal.wait_for_any(&["[Enter: go on", "All five steps done"], from);
        if which == 1 {
            break;
        }
        terminal.types("\n");
        from = at + 1;
    }
    assert!(terminal.screen.contains("the tutorial types"));
    assert!(terminal.screen.contains("the device code is approved"));
    assert!(terminal.screen.contains("Step 4 of 5: poll for the tokens"));
    assert_eq!(terminal.exit_code(), 0);
}

#[test]
fn the_device_flow_polls_while_nobody_signs_in_then_gives_up_with_what_to_do() {
    let mut terminal = Terminal::start("--flow device --timeout 2");

    // Enter at step 3 without signing in anywhere: step 4 polls and waits.
    let asked = enter_until(&mut terminal, "[Enter: done · p: the tutorial does it");
    terminal.types("\n");
    let polling = enter_until(&mut terminal, "asking again in");
    let gave_up = terminal.wait_for("no sign-in finished with the user code within 2 s", polling);
    terminal.wait_for("try: tutorial --flow device --step 2", gave_up);
    assert!(asked < polling);
    assert_ne!(terminal.exit_code(), 0);
}
