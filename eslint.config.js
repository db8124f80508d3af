// Flat config: typescript-eslint's recommended rules plus the ones that keep the hot path honest.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "coverage/", "bench/.out/", "dist/", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
      eqeqeq: ["error", "always", { null: "ignore" }],
    },
  },
  {
    // The CLI, scripts, benches and tests talk to a terminal on purpose.
    files: ["src/cli/**", "src/main.ts", "bench/**", "test/**", "bin/**", "scripts/**", "deploy/**"],
    rules: { "no-console": "off" },
  },
);
