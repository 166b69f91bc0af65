// Generates the Rust-free Prisma client. `prisma generate` needs no schema engine, but the CLI
// insists on finding one; point it at an existing file so it never tries to download a binary.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
const cli = "node_modules/prisma/build/index.js";
if (!existsSync(cli)) {
  console.error("prisma CLI not installed; run npm ci first");
  process.exit(1);
}
const result = spawnSync(process.execPath, [cli, "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
