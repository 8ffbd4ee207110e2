// `npm run bench -- <name> [--json]`: runs bench/<name>.ts. Benchmarks print figures; they never assert.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const available = readdirSync(here).filter((file) => file.endsWith(".ts") && file !== "index.ts").map((file) => file.slice(0, -3));
const [name, ...rest] = process.argv.slice(2);
if (name === undefined || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join("|")}> [--json]`);
  process.exit(3);
}
process.argv = [process.argv[0]!, process.argv[1]!, ...rest];
await import(`./${name}.ts`);
