//! The pause before each request is sent, and the questions of the live path.
//!
//! With `--yes`, or when stdin is not a terminal (a script, CI, a pipe), every prompt answers
//! itself: "send" for the pause, and the flags or environment for the questions. Then
//! `--pace` is the pause: a fixed wait before each request, so a room can follow a presenter.

use std::time::Duration;

use crate::error::Error;
use crate::lang::ui;

pub struct Prompt {
    /// Answer every prompt without asking.
    pub auto: bool,
    /// `--pace`: how long to wait before each request when prompts answer themselves.
    pub pace: Option<Duration>,
}

impl Prompt {
    /// The pause before a request: Enter on a terminal, `--pace` when answering by itself.
    pub async fn before_sending(&self, step: u8) -> Result<(), Error> {
        match self.pace {
            Some(pace) if self.auto => {
                tokio::time::sleep(pace).await;
                Ok(())
            }
            _ => self.send_it(step),
        }
    }

    /// Waits for Enter; "no" stops the run before anything is sent.
    pub fn send_it(&self, step: u8) -> Result<(), Error> {
        if self.auto {
            return Ok(());
        }
        let send = inquire::Confirm::new(ui("send-it"))
            .with_default(true)
            .with_help_message(ui("send-it-help"))
            .prompt()
            .map_err(|e| Error::Prompt(e.to_string()))?;
        if send {
            Ok(())
        } else {
            Err(Error::Stopped { step })
        }
    }

    /// Asks for a value typed in the open, such as a client ID.
    pub fn text(&self, question: &str) -> Result<Option<String>, Error> {
        if self.auto {
            return Ok(None);
        }
        inquire::Text::new(question)
            .prompt()
            .map(|answer| Some(answer.trim().to_owned()).filter(|a| !a.is_empty()))
            .map_err(|e| Error::Prompt(e.to_string()))
    }

    /// Asks for a secret: nothing is echoed while it is typed.
    pub fn hidden(&self, question: &str) -> Result<Option<String>, Error> {
        if self.auto {
            return Ok(None);
        }
        inquire::Password::new(question)
            .without_confirmation()
            .with_display_mode(inquire::PasswordDisplayMode::Hidden)
            .prompt()
            .map(|answer| Some(answer.trim().to_owned()).filter(|a| !a.is_empty()))
            .map_err(|e| Error::Prompt(e.to_string()))
    }
}
