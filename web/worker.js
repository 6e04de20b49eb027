// sheetgen in the browser: Pyodide and the wheels beside this file, run in a worker so the page stays
// responsive while a large workbook is judged. Messages in: {id, cmd, ...}; out: {stage} while loading,
// {progress} while working, {id, result} or {id, error} when done. Nothing is fetched but this folder's files.
import { loadPyodide } from "./pyodide/pyodide.mjs";

const here = new URL("./", import.meta.url);
let py = null;
let web = null;

async function boot() {
  const t0 = performance.now();
  postMessage({ stage: "loading Python (Pyodide)" });
  py = await loadPyodide({ indexURL: new URL("pyodide/", here).href, stdout: () => {}, stderr: () => {} });
  postMessage({ stage: "installing sheetgen" });
  const wheels = await (await fetch(new URL("wheels/wheels.json", here))).json();
  for (const w of wheels) {
    const data = new Uint8Array(await (await fetch(new URL("wheels/" + w, here))).arrayBuffer());
    py.FS.writeFile("/tmp/" + w, data);
  }
  py.globals.set("wheels", py.toPy(wheels));
  py.runPython(`
import os, site, zipfile
for w in wheels:
    zipfile.ZipFile("/tmp/" + w).extractall(site.getsitepackages()[0])
os.makedirs("/work/in", exist_ok=True)
os.chdir("/work/in")
`);
  postMessage({ stage: "importing sheetgen" });
  web = py.pyimport("sheetgen.web");
  const templates = JSON.parse(web.templates());
  postMessage({ ready: true, version: web.version(), templates, seconds: (performance.now() - t0) / 1000 });
}

// a fresh folder for each batch: the names the user gave, as the command line prints them
function put(folder, files) {
  py.runPython(`import shutil, os; os.chdir("/"); shutil.rmtree(${JSON.stringify(folder)}, ignore_errors=True); os.makedirs(${JSON.stringify(folder)})`);
  for (const f of files) py.FS.writeFile(folder + "/" + f.name, new Uint8Array(f.bytes));
}

const commands = {
  check({ files }) {
    put("/work/in", files);
    py.runPython("import os; os.chdir('/work/in')");
    const names = JSON.stringify(files.map((f) => f.name));
    return JSON.parse(web.check_files(names, "", (stage) => postMessage({ progress: stage ?? null })));
  },
  grade({ klass, files }) {
    put("/work/class", [{ name: "class.json", bytes: klass }]);
    put("/work/in", files);
    py.runPython("import os; os.chdir('/work/in')");
    const names = JSON.stringify(files.map((f) => f.name));
    return JSON.parse(web.check_files(names, "/work/class", (stage) => postMessage({ progress: stage ?? null })));
  },
  mark({ name }) {
    const out = "/work/marked/" + name.replace(/\.[^.]*$/, "") + "-marked.xlsx";
    py.runPython("import os; os.makedirs('/work/marked', exist_ok=True)");
    const r = JSON.parse(web.mark(name, out));
    if (r.marked) r.bytes = py.FS.readFile(out);
    return r;
  },
  build({ options }) {
    const r = JSON.parse(web.build(JSON.stringify({ ...options, folder: "/work/built" })));
    if (r.path) r.bytes = py.FS.readFile(r.path);
    return r;
  },
};

const booted = boot().catch((e) => postMessage({ failed: String(e) }));

onmessage = async (event) => {
  const { id, cmd, ...args } = event.data;
  await booted;
  try {
    const result = commands[cmd](args);
    postMessage({ id, result }, result.bytes ? [result.bytes.buffer] : []);
  } catch (e) {
    // a Python traceback: its last line, as the command line would fail
    const last = String(e.message || e).trim().split("\n").pop();
    postMessage({ id, error: "sheetgen: error: " + last });
  }
};
