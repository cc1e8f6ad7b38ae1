// One bundler config, one entry per page. The build lands in the Python package's static
// folder so an installed wheel serves the designer without Node.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, "../src/anki_template_designer/server/static");

// Swagger UI for /docs, served from the package instead of a CDN (the designer works offline).
function swaggerAssets(): Plugin {
  const require = createRequire(import.meta.url);
  const source = dirname(require.resolve("swagger-ui-dist/package.json"));
  return {
    name: "atd-swagger-assets",
    apply: "build",
    closeBundle() {
      const target = join(outDir, "swagger");
      mkdirSync(target, { recursive: true });
      for (const name of ["swagger-ui.css", "swagger-ui-bundle.js", "LICENSE"]) {
        copyFileSync(join(source, name), join(target, name));
      }
    },
  };
}

export default defineConfig({
  base: "/",
  plugins: [swaggerAssets()],
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: true,
    target: "es2022",
    rollupOptions: { input: { index: resolve(here, "index.html") } },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8730", "/openapi.json": "http://127.0.0.1:8730" } },
});
