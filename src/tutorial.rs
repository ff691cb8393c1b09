//! The learner loop: for each step, its lesson, the step itself, what to notice, then save.
//!
//! `tutorial --step N` runs one step. What it needs from earlier steps comes from the saved
//! progress; against a mock, anything missing is made by replaying the earlier steps quietly
//! (with a one-line notice); against the live cloud the learner is told which step to run.

use crate::context::Context;
use crate::error::Error;
use crate::lessons;
use crate::prompt::Prompt;
use crate::protocol::Flow;
use crate::steps::{call_graph, device, receive_code, redirect, register, request_token};
use crate::target::Kind;
use crate::walk::Step;

/// Runs every step, or only `only`.
pub async fn run(ctx: &mut Context<'_>, only: Option<Step>) -> Result<(), Error> {
    match only {
        None => {
            ctx.show.lesson(lessons::welcome(ctx.lang))?;
            where_we_run(ctx)?;
            match ctx.options.flow {
                Flow::V2 => {}
                Flow::V1 => ctx.show.lesson(lessons::v1(ctx.lang))?,
                Flow::Device => ctx.show.lesson(lessons::device(ctx.lang))?,
            }
            for step in Step::ALL {
                ctx.pause_before(step).await?;
                run_step(ctx, step).await?;
            }
            ctx.show.blank()?;
            ctx.show.ok(ctx.lang.ui("all-steps-done"))?;
        }
        Some(step) => {
            where_we_run(ctx)?;
            catch_up(ctx, step).await?;
            run_step(ctx, step).await?;
        }
    }
    ctx.show.flush()?;
    Ok(())
}

fn where_we_run(ctx: &mut Context<'_>) -> Result<(), Error> {
    let text = match ctx.target.kind {
        Kind::OfflineMock => ctx.lang.ui("where-offline").to_owned(),
        Kind::Classroom => ctx.lang.ui_with(
            "where-classroom",
            &[("target", &ctx.target.label(ctx.lang))],
        ),
        Kind::Live => ctx
            .lang
            .ui_with("where-live", &[("target", &ctx.target.label(ctx.lang))]),
    };
    ctx.show.notice(&text)?;
    Ok(())
}

async fn run_step(ctx: &mut Context<'_>, step: Step) -> Result<(), Error> {
    ctx.step = step;
    let label = ctx.target.label(ctx.lang);
    let flow = ctx.options.flow;
    ctx.show
        .step_title(step.number(), step.title(flow, ctx.lang), &label)?;
    ctx.show.lesson(lessons::before(ctx.lang, step, flow))?;
    match (flow, step) {
        (_, Step::Register) => register::run(ctx).await?,
        (Flow::Device, Step::Redirect) => device::ask_for_codes::run(ctx).await?,
        (Flow::Device, Step::ReceiveCode) => device::sign_in_elsewhere::run(ctx).await?,
        (Flow::Device, Step::RequestToken) => device::poll::run(ctx).await?,
        (_, Step::Redirect) => redirect::run(ctx).await?,
        (_, Step::ReceiveCode) => receive_code::run(ctx).await?,
        (_, Step::RequestToken) => request_token::run(ctx).await?,
        (_, Step::CallGraph) => call_graph::run(ctx).await?,
    }
    ctx.show.blank()?;
    ctx.show.lesson(lessons::after(ctx.lang, step, flow))?;
    ctx.save()?;
    // Done when the learner saw it finish: a quiet replay of earlier steps does not count.
    if !ctx.show.is_muted()
        && let Err(error) = ctx.done.finish_step(step)
    {
        ctx.show.notice(&format!("not recorded as done: {error}"))?;
    }
    Ok(())
}

/// Makes sure what `step` needs is there: replayed quietly against a mock, asked for live.
pub async fn catch_up(ctx: &mut Context<'_>, step: Step) -> Result<(), Error> {
    let Some((what, from)) = step.first_missing(&ctx.progress.saved) else {
        return Ok(());
    };
    if !ctx.target.is_mock() {
        return Err(ctx.needs_earlier(step));
    }
    let last = step.number() - 1;
    let (from_n, last_n) = (from.number().to_string(), last.to_string());
    let steps = if from.number() == last {
        ctx.lang.ui_with("replay-one", &[("n", &last_n)])
    } else {
        ctx.lang
            .ui_with("replay-many", &[("from", &from_n), ("last", &last_n)])
    };
    ctx.show.notice(&ctx.lang.ui_with(
        "replaying",
        &[
            ("n", &step.number().to_string()),
            ("what", what),
            ("steps", &steps),
            ("target", &ctx.target.label(ctx.lang)),
        ],
    ))?;
    // Quietly: no pauses, no pacing, and the tutorial plays the browser in step 3.
    let prompt = std::mem::replace(&mut ctx.prompt, Prompt::new(true, None));
    let play_browser = std::mem::replace(&mut ctx.options.play_browser, true);
    ctx.show.set_muted(true);
    let mut outcome = Ok(());
    for earlier in Step::ALL.into_iter().filter(|s| *s >= from && *s < step) {
        outcome = run_step(ctx, earlier).await;
        if outcome.is_err() {
            break;
        }
    }
    ctx.show.set_muted(false);
    ctx.prompt = prompt;
    ctx.options.play_browser = play_browser;
    outcome
}
