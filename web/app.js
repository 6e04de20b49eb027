// The page: tabs, files in, sheetgen's answers drawn. The Python runs in worker.js.
const $ = (sel, root = document) => root.querySelector(sel);
const worker = new Worker("worker.js", { type: "module" });
const pending = new Map();
let nextId = 1;
let started = performance.now();
let busy = "";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("data-")) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children.flat(Infinity)) if (c != null) node.append(c);
  return node;
}

// -- the worker: loading, progress, calls ---------------------------------------------------------------
function status(text, kind = "loading") {
  $("#stage").textContent = text;
  $("#status").className = kind;
  busy = kind === "loading" ? text : "";
  started = performance.now();
  if (!busy) $("#clock").textContent = "";
}
setInterval(() => {
  $("#clock").textContent = busy ? `${((performance.now() - started) / 1000).toFixed(0)} s` : "";
}, 500);

worker.onmessage = ({ data }) => {
  if (data.stage) status(data.stage + "…");
  else if (data.failed) status("could not start Python: " + data.failed, "error");
  else if (data.ready) {
    $("#version").textContent = data.version;
    status(`ready (Python loaded in ${data.seconds.toFixed(1)} s)`, "ready");
    document.body.dataset.ready = "1";
    fillBuildForm(data.templates);
  } else if (data.progress !== undefined) {
    if (data.progress) $("#stage").textContent = data.progress + "…";
  } else if (pending.has(data.id)) {
    pending.get(data.id)(data);
    pending.delete(data.id);
  }
};

function call(cmd, args, what, transfer = []) {
  status(what + "…");
  return new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, (answer) => {
      const error = answer.error || answer.result.error;
      status(error || "ready", error ? "error" : "ready");
      resolve(answer.error ? { error: answer.error } : answer.result);
    });
    worker.postMessage({ id, cmd, ...args }, transfer);
  });
}

async function read(fileList) {
  return Promise.all([...fileList].map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
}

function download(bytes, name, type) {
  const a = el("a", { href: URL.createObjectURL(new Blob([bytes], { type })), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

// -- tabs -------------------------------------------------------------------------------------------------
for (const b of document.querySelectorAll("nav button")) {
  b.onclick = () => {
    for (const x of document.querySelectorAll("nav button, .tab")) x.classList.remove("active");
    b.classList.add("active");
    $("#tab-" + b.dataset.tab).classList.add("active");
  };
}

// -- Check --------------------------------------------------------------------------------------------------
async function check(fileList) {
  const files = await read(fileList);
  const answer = await call("check", { files }, `checking ${files.map((f) => f.name).join(", ")}`);
  const out = $("#results");
  out.replaceChildren();
  if (answer.error) out.append(el("p", { class: "cli error" }, answer.error));
  else for (const f of answer.files) out.append(fileCard(f));
  document.body.dataset.checked = String(Number(document.body.dataset.checked || 0) + 1);
}

const VERDICTS = { right: "RIGHT", wrong: "WRONG", "no table": "NO TABLE", unreadable: "UNREADABLE",
  "no equations": "NO EQUATIONS" };

function fileCard(f) {
  const card = el("section", { class: "file", "data-verdict": f.verdict, "data-file": f.file },
    el("h2", {}, el("span", { class: "verdict " + f.verdict.replace(" ", "-") }, VERDICTS[f.verdict] || f.verdict),
      " ", f.file));
  if (f.computed) {
    card.append(el("p", { class: "note" }, "This workbook carries no usable cached values: every formula was " +
      "computed here by sheetgen's own formula evaluator (the command line uses LibreOffice)."));
  }
  card.append(el("pre", { class: "cli" }, f.lines.join("\n")));
  for (const m of f.mistakes || []) card.append(mistakeCard(m));
  if (f.kind === "writeup") card.append(writeupView(f.writeup));
  if (f.markable) {
    const button = el("button", { class: "mark" }, "Download this workbook with its mistakes marked");
    button.onclick = async () => {
      const r = await call("mark", { name: f.file }, "marking " + f.file);
      if (r.bytes) download(r.bytes, f.file.replace(/\.[^.]*$/, "") + "-marked.xlsx", XLSX);
    };
    card.append(button);
  } else if (f.verdict === "right" && f.kind === "workbook") {
    card.append(el("p", { class: "note" }, "Nothing to mark: every formula is right."));
  }
  return card;
}

const show = (x) => (typeof x === "number" ? String(+x.toPrecision(10)) : x ?? "");

function mistakeCard(m) {
  const rows = [
    ["quantity", m.quantity],
    ["first wrong cell", `${m.sheet}!${m.cell} (${m.rows} row${m.rows === 1 ? "" : "s"} wrong)`],
    ["formula", m.formula],
    ["expected", show(m.expected)],
    ["found", show(m.got)],
    ["why", m.diagnosis],
    ["fix", m.fix],
  ].filter(([, v]) => v !== null && v !== undefined && v !== "");
  return el("div", { class: "mistake" },
    el("dl", {}, rows.map(([k, v]) => [el("dt", {}, k), el("dd", { class: k.replace(/ /g, "-") }, v)])),
    grid(m.grid));
}

function grid(g) {
  const head = el("tr", {}, el("th", {}), g.columns.map((c) => el("th", { class: "col" }, c)));
  const headers = el("tr", { class: "headers" }, el("th", {}, String(g.header_row)),
    g.headers.map((h) => el("th", {}, h)));
  const body = g.rows.map((r) => el("tr", {}, el("th", {}, String(r.row)), r.cells.map((c, i) => {
    const first = r.row === g.first.row && g.columns[i] === g.first.column;
    const td = el("td", { class: (first ? "first " : "") + (c.wrong ? "wrong" : ""), title: c.f || "" }, c.v);
    return td;
  })));
  return el("table", { class: "grid" }, el("thead", {}, head, headers), el("tbody", {}, body));
}

function writeupView(w) {
  return el("ol", { class: "writeup" }, w.text.map((line, i) => {
    const wrong = w.wrong[String(i + 1)];
    const li = el("li", { value: i + 1, class: wrong ? "wrong" : "" }, el("code", {}, line || " "));
    for (const m of wrong || []) {
      li.append(el("div", { class: "why" }, `${m.quantity}: ${m.diagnosis}` +
        (m.expected ? ` — expected ${m.expected}` : "")));
    }
    return li;
  }));
}

const drop = $("#drop");
$("#check-files").onchange = async (e) => {
  if (e.target.files.length) await check(e.target.files);
  e.target.value = ""; // the same file picked again is checked again
};
drop.ondragover = (e) => { e.preventDefault(); drop.classList.add("over"); };
drop.ondragleave = () => drop.classList.remove("over");
drop.ondrop = (e) => { e.preventDefault(); drop.classList.remove("over"); check(e.dataTransfer.files); };

// -- Build --------------------------------------------------------------------------------------------------
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
let templates = [];

function fillBuildForm(data) {
  templates = data.templates;
  const form = $("#build-form");
  form.template.replaceChildren(...templates.map((t) => el("option", { value: t.name }, `${t.name} — ${t.description}`)));
  form.optimizer.replaceChildren(...data.optimizers.map((o) => el("option", { value: o }, o)));
  form.loss.replaceChildren(...data.losses.map((o) => el("option", { value: o }, o)));
  form.template.onchange = () => defaults(form);
  defaults(form);
}

function defaults(form) {
  const t = templates.find((x) => x.name === form.template.value);
  form.learning_rates.value = t.learning_rates.join(", ");
  form.iterations.value = t.iterations;
  form.optimizer.value = t.optimizer;
  form.loss.value = t.loss;
  form.layers.value = t.layers.join(", ");
}

const numbers = (text, kind) => text.split(/[,\s]+/).filter(Boolean).map(kind);

$("#build-form").onsubmit = async (e) => {
  e.preventDefault();
  const form = e.target;
  const t = templates.find((x) => x.name === form.template.value);
  // only what differs from the template is an override, as on the command line
  const options = { template: t.name };
  const lr = numbers(form.learning_rates.value, Number);
  if (lr.join() !== t.learning_rates.join()) options.learning_rates = lr;
  if (Number(form.iterations.value) !== t.iterations) options.iterations = Number(form.iterations.value);
  if (form.optimizer.value !== t.optimizer) options.optimizer = form.optimizer.value;
  if (form.loss.value !== t.loss) options.loss = form.loss.value;
  const layers = numbers(form.layers.value, (x) => parseInt(x, 10));
  if (layers.join() !== t.layers.join()) options.layers = layers;
  const r = await call("build", { options }, "building");
  $("#build-out").textContent = r.error || [r.line, ...r.warnings].join("\n");
  if (r.bytes) download(r.bytes, r.name, XLSX);
};

// -- Grade --------------------------------------------------------------------------------------------------
$("#grade-go").onclick = async () => {
  const klass = $("#grade-class").files[0];
  const out = $("#grades");
  if (!klass) return out.replaceChildren(el("p", { class: "cli error" }, "give the class folder's class.json"));
  const files = await read($("#grade-files").files);
  const r = await call("grade", { klass: await klass.arrayBuffer(), files }, "grading");
  if (r.error) return out.replaceChildren(el("p", { class: "cli error" }, r.error));
  const cols = ["file", "student", "verdict", "first_mistake", "note"];
  const table = el("table", { class: "grades" }, el("tr", {}, cols.map((c) => el("th", {}, c))),
    r.grades.map((g) => el("tr", { "data-verdict": g.verdict }, cols.map((c) => el("td", {}, g[c])))));
  const button = el("button", {}, "Download grades.csv");
  button.onclick = () => download(r.csv, "grades.csv", "text/csv");
  out.replaceChildren(table, el("pre", { class: "cli" }, r.missing.join("\n")), button);
};
