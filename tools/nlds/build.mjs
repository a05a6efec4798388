#!/usr/bin/env node
// Builds app/static/vendor/nlds/nlds.css from the NL Design System packages that package-lock.json
// pins (installed with `npm ci` here; `make node-tools` does that):
//   - @utrecht/component-library-css: html.css (Utrecht component styles for plain semantic HTML
//     inside .utrecht-html) plus the class-based components our layout uses (index.css of the
//     component packages listed below);
//   - @nl-design-system-unstable/voorbeeld-design-tokens: the "Voorbeeld" example theme, only the
//     --basis-*, --utrecht-* and --voorbeeld-* tokens (the rest are other libraries' tokens).
// Both are EUPL-1.2. Not used: @utrecht/design-tokens (Gemeente Utrecht's own, proprietary look).
//
//   node tools/nlds/build.mjs          write the asset
//   node tools/nlds/build.mjs --check  exit 1 when the committed asset differs from a fresh build
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const out = join(root, "app", "static", "vendor", "nlds", "nlds.css");
const modules = join(here, "node_modules");

// Class-based Utrecht components used by templates/base.html and the macros.
const COMPONENTS = [
  "alert",
  "button",
  "button-link",
  "link-button",
  "skip-link",
  "page-footer",
  "table",
  "status-badge",
];

const lock = JSON.parse(readFileSync(join(here, "package-lock.json"), "utf8"));
const version = (name) => lock.packages[`node_modules/${name}`].version;
const read = (name, file) => readFileSync(join(modules, name, file), "utf8");
const stripHeader = (css) => css.replace(/^\/\*\*[\s\S]*?\*\/\s*/, "").replace(/^@charset "UTF-8";\s*/, "");

const tokenLines = read("@nl-design-system-unstable/voorbeeld-design-tokens", "dist/theme.css")
  .split("\n")
  .filter((line) => /^\s*--(basis|utrecht|voorbeeld)-/.test(line));

const parts = [
  "@charset \"UTF-8\";",
  "/*!",
  " * NL Design System for Deelkracht: built by tools/nlds/build.mjs — do not edit; rebuild.",
  ` * @utrecht/component-library-css ${version("@utrecht/component-library-css")} (html.css) and`,
  ...COMPONENTS.map((c) => ` *   @utrecht/${c}-css ${version(`@utrecht/${c}-css`)}`),
  ` * @nl-design-system-unstable/voorbeeld-design-tokens ${version("@nl-design-system-unstable/voorbeeld-design-tokens")} (theme.css, --basis/--utrecht/--voorbeeld tokens)`,
  " * License: EUPL-1.2. Copyright (c) 2020-2024 Frameless B.V., (c) 2021-2024 Gemeente Utrecht,",
  " * (c) 2021 NL Design System Community. https://nldesignsystem.nl/",
  " */",
  "/* --- design tokens (Voorbeeld theme) --- */",
  ".voorbeeld-theme {",
  ...tokenLines,
  "}",
  "/* --- @utrecht/component-library-css html.css --- */",
  stripHeader(read("@utrecht/component-library-css", "dist/html.css")),
  ...COMPONENTS.flatMap((c) => [`/* --- @utrecht/${c}-css --- */`, stripHeader(read(`@utrecht/${c}-css`, "dist/index.css"))]),
];
const css = parts.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(out, "utf8");
  } catch {}
  if (current !== css) {
    console.error(`${out} differs from a fresh build: run node tools/nlds/build.mjs`);
    process.exit(1);
  }
  console.log(`${out} matches its sources`);
} else {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, css);
  console.log(`wrote ${out} (${css.length} bytes)`);
}
