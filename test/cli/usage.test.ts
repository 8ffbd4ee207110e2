import test from "ava";
import { mkdtempSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { faultline } from "./cli.ts";

const noStack = (text: string) => !/\n\s+at /.test(text);

test("cli: --help and --version work", (t) => {
  const help = faultline("--help");
  t.is(help.status, 0);
  t.regex(help.stdout, /run/);
  t.regex(faultline("--version").stdout, /^\d+\.\d+\.\d+/);
});

test("cli: list faults --json names every fault kind with its parameters", (t) => {
  const listed = faultline("list", "faults", "--json");
  t.is(listed.status, 0);
  const kinds = (JSON.parse(listed.stdout) as Array<{ kind: string }>).map((info) => info.kind);
  for (const kind of ["partition", "cut", "heal", "crash", "power-loss", "restart", "pause", "resume", "clock-offset",
    "clock-drift", "clock-jump", "clock-strobe", "latency-spike", "loss", "duplication", "reorder"]) t.true(kinds.includes(kind), kind);
});

for (const args of [
  ["no-such-command"],
  ["list", "nothing"],
  ["run", "--scenario", "no-such-scenario"],
  ["run", "--scenario", "all", "--seed", "-5"],
  ["run", "--seeds", "zero"],
  ["run", "--seed", "4294967296"],
  ["run", "--bug", "no-such-bug"],
  ["run", "--sim-seconds", "-1"],
  ["replay", "/etc/hostname"],
  ["replay", "/no/such/file.json"],
  ["replay"],
]) {
  test(`cli: bad input exits 3 with one line: faultline ${args.join(" ")}`, (t) => {
    const out = mkdtempSync(join(tmpdir(), "faultline-out-"));
    const result = faultline(...args, ...(args[0] === "run" ? ["--out", out] : []));
    t.is(result.status, 3, result.stderr);
    t.true(noStack(result.stderr), result.stderr);
    t.true(result.stderr.trim().split("\n").length <= 3, result.stderr);
    t.deepEqual(readdirSync(out), [], "something was left in the output folder");
  });
}

test("cli: a hand-broken counterexample exits 3 naming the file and the field", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "faultline-ce-"));
  const cases: Array<[string, string, RegExp]> = [
    ["truncated.json", '{"scenario": "zk-register", "seed": 4', /not JSON/],
    ["seed.json", '{"scenario": "zk-register", "seed": -1, "bugs": [], "workload": {}, "schedule": []}', /seed/],
    ["array.json", "[1, 2, 3]", /JSON object/],
  ];
  for (const [name, text, message] of cases) {
    writeFileSync(join(dir, name), text);
    const result = faultline("replay", join(dir, name));
    t.is(result.status, 3, `${name}: ${result.stderr}`);
    t.regex(result.stderr, message);
    t.true(noStack(result.stderr));
  }
});
