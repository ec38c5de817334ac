// A twiggy-style look at a wasm module: its sections by size, and its
// functions by body size, named from the module's `name` section and
// grouped by the Rust crate their symbol starts with. Reads the module
// directly (sections, the code section's bodies, the name section's
// function names); needs no tool beyond Node.

function reader(bytes, at = 0) {
  const r = {
    at,
    u8: () => bytes[r.at++],
    leb() {
      let result = 0;
      let shift = 0;
      for (;;) {
        const byte = bytes[r.at++];
        result += (byte & 0x7f) * 2 ** shift;
        shift += 7;
        if (byte < 0x80) return result;
      }
    },
    name() {
      const length = r.leb();
      const text = bytes.subarray(r.at, r.at + length).toString("utf8");
      r.at += length;
      return text;
    },
  };
  return r;
}

const SECTIONS = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount"];

/**
 * Parses `bytes` (a Buffer of a wasm module). Returns { size, sections:
 * [{ name, size }], functions: [{ index, name, size }] } where function
 * indices count imports first, as wasm does.
 */
export function parseWasm(bytes) {
  const r = reader(bytes, 8);
  const sections = [];
  const bodies = [];
  const names = new Map();
  let imported = 0;
  while (r.at < bytes.length) {
    const id = r.u8();
    const size = r.leb();
    const start = r.at;
    let name = SECTIONS[id] ?? `section ${id}`;
    if (id === 0) {
      const custom = r.name();
      name = `custom "${custom}"`;
      if (custom === "name") readNames(bytes, r.at, start + size, names);
    } else if (id === 2) {
      for (let count = r.leb(), i = 0; i < count; i++) {
        r.name();
        r.name();
        const kind = r.u8();
        if (kind === 0) (r.leb(), imported++);
        else if (kind === 1) (r.u8(), limits(r));
        else if (kind === 2) limits(r);
        else if (kind === 3) (r.u8(), r.u8());
        else r.leb();
      }
    } else if (id === 10) {
      for (let count = r.leb(), i = 0; i < count; i++) {
        const bodySize = r.leb();
        bodies.push(bodySize);
        r.at += bodySize;
      }
    }
    sections.push({ name, size: size + 1 + lebLength(size) });
    r.at = start + size;
  }
  const functions = bodies.map((size, i) => {
    const index = imported + i;
    return { index, name: names.get(index) ?? `code[${i}]`, size };
  });
  return { size: bytes.length, sections, functions };
}

function limits(r) {
  const flags = r.u8();
  r.leb();
  if (flags & 1) r.leb();
}

function lebLength(n) {
  let length = 1;
  while (n >= 0x80) (n = Math.floor(n / 128)), length++;
  return length;
}

function readNames(bytes, at, end, names) {
  const r = reader(bytes, at);
  while (r.at < end) {
    const kind = r.u8();
    const size = r.leb();
    const next = r.at + size;
    if (kind === 1) {
      for (let count = r.leb(), i = 0; i < count; i++) {
        const index = r.leb();
        names.set(index, r.name());
      }
    }
    r.at = next;
  }
}

const PRIMITIVES = /^(?:bool|char|str|[iu](?:8|16|32|64|128|size)|f32|f64|\[)/;

/** The crate a demangled Rust symbol belongs to (for `<T as Trait>::f`, the trait's), or a bucket for the rest. */
export function crateOf(symbol) {
  let s = symbol.replace(/\[[0-9a-f]{16}\]/g, "");
  s = s.replace(/^(?:<|&|mut |dyn |impl )+/, "");
  const as = s.match(/^[A-Z][A-Za-z0-9_]* as (?:&|mut |dyn )*([A-Za-z_][A-Za-z0-9_]*)::/);
  if (as) return as[1];
  if (PRIMITIVES.test(s)) return "core";
  const path = s.match(/^([A-Za-z_][A-Za-z0-9_]*)::/);
  if (path) return path[1];
  if (/^code\[/.test(s)) return "(unnamed)";
  if (/externref|^__wbindgen|^__wbg|^__externref|shim$/.test(s)) return "(wasm-bindgen glue)";
  return `(${s.split(/[.:]/)[0]})`;
}

/**
 * The breakdown for a report: the sections of `shipped` (the module as
 * served) by size, and from `named` (the same build with its name section
 * kept) the `top` largest functions and the code bytes per crate, each as a
 * share of all code.
 */
export function breakdown(named, shipped = named, top = 15) {
  const module = parseWasm(named);
  const served = parseWasm(shipped);
  const code = module.functions.reduce((sum, f) => sum + f.size, 0);
  const share = (size, of) => Number(((100 * size) / of).toFixed(1));
  const crates = new Map();
  for (const f of module.functions) crates.set(crateOf(f.name), (crates.get(crateOf(f.name)) ?? 0) + f.size);
  return {
    size: served.size,
    codeBytes: code,
    functionCount: module.functions.length,
    sections: served.sections.sort((a, b) => b.size - a.size).map((s) => ({ ...s, percent: share(s.size, served.size) })),
    topFunctions: [...module.functions]
      .sort((a, b) => b.size - a.size)
      .slice(0, top)
      .map((f) => ({ name: f.name, size: f.size, percentOfCode: share(f.size, code) })),
    crates: [...crates]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([crate, size]) => ({ crate, size, percentOfCode: share(size, code) })),
  };
}
