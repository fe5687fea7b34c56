// Bundles src/editor.js (CodeMirror 6) and copies Bootstrap's dist files into ../static/vendor.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static", "vendor");
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(here, "src", "editor.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  outfile: join(out, "editor.bundle.js"),
  legalComments: "eof",
});

for (const file of ["css/bootstrap.min.css", "css/bootstrap.min.css.map", "js/bootstrap.bundle.min.js",
                    "js/bootstrap.bundle.min.js.map"]) {
  copyFileSync(join(here, "node_modules", "bootstrap", "dist", file), join(out, file.split("/")[1]));
}
console.log("built static/vendor/editor.bundle.js and copied Bootstrap");
