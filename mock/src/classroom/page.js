// Polls state.json every second and redraws the three tables. Every value is written as
// text (textContent), never as markup: app names come from learners.
"use strict";

const stateUrl = location.pathname.replace(/\/$/, "") + "/state.json";

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function errorCell(row, error) {
  const td = cell(row, "");
  if (!error) {
    td.textContent = "none";
    td.className = "ok";
    return;
  }
  const code = document.createElement("span");
  code.className = "code";
  code.textContent = error.code;
  td.appendChild(code);
  if (error.explain) {
    const explain = document.createElement("span");
    explain.className = "explain";
    explain.textContent = error.explain;
    td.appendChild(explain);
  }
}

function fill(id, rows, draw) {
  const body = document.getElementById(id);
  const fresh = document.createDocumentFragment();
  for (const item of rows) {
    const row = document.createElement("tr");
    draw(row, item);
    fresh.appendChild(row);
  }
  body.replaceChildren(fresh);
}

function draw(state) {
  document.getElementById("count").textContent = String(state.learners.length);
  const most = Math.max(1, ...state.steps.map((s) => s.learners));
  fill("steps", state.steps, (row, step) => {
    cell(row, step.step, "step");
    const learners = cell(row, "", "num");
    const bar = document.createElement("span");
    bar.className = "bar";
    bar.style.width = (3 * step.learners / most) + "em";
    learners.appendChild(bar);
    learners.appendChild(document.createTextNode(" " + step.learners));
    cell(row, String(step.requests), "num");
  });
  fill("errors", state.errors, (row, error) => {
    errorCell(row, error);
    cell(row, String(error.count), "num");
  });
  fill("learners", state.learners, (row, learner) => {
    cell(row, learner.app);
    cell(row, learner.client, "client");
    cell(row, "Step " + learner.step, "step");
    errorCell(row, learner.error);
    cell(row, learner.seen, "client");
  });
}

async function poll() {
  const status = document.getElementById("status");
  try {
    const answer = await fetch(stateUrl, { cache: "no-store" });
    if (!answer.ok) throw new Error("HTTP " + answer.status);
    draw(await answer.json());
    status.textContent = "Updated " + new Date().toLocaleTimeString() + ", every second.";
  } catch (error) {
    status.textContent = "The mock did not answer (" + error.message + "); trying again.";
  }
  setTimeout(poll, 1000);
}

poll();
