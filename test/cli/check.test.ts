// `faultline check` as a person runs it: exit 0 valid, 1 violated, 2 unknown, 3 bad input (one line on
// stderr, no stack trace).
import test from "ava";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { corporaDir } from "../../bench/support/corpora.ts";
import { faultline } from "./cli.ts";

const corpora = corporaDir();
const dir = mkdtempSync(join(tmpdir(), "faultline-check-"));
const file = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const oneCleanLine = (stderr: string) => stderr.trim().split("\n").length === 1 && !/\n\s+at /.test(stderr) && stderr.startsWith("faultline: ");

const registerOps = [
  { process: 0, type: "invoke", f: "write", value: 1, time: 1 },
  { process: 0, type: "ok", f: "write", value: 1, time: 2 },
  { process: 1, type: "invoke", f: "read", value: null, time: 3 },
  { process: 1, type: "ok", f: "read", value: 1, time: 4 },
];

test("check: exit 0 for a linearizable history, 1 with the witness for one that is not", (t) => {
  const good = faultline("check", file("good.json", JSON.stringify(registerOps)), "--model", "register");
  t.is(good.status, 0, good.stderr);
  t.regex(good.stdout, /linearizable \(model register, 2 operations/);
  const bad = registerOps.map((op) => (op.f === "read" && op.type === "ok" ? { ...op, value: 7 } : op));
  const checked = faultline("check", file("bad.jsonl", bad.map((op) => JSON.stringify(op)).join("\n")), "--model", "register");
  t.is(checked.status, 1, checked.stderr);
  t.regex(checked.stdout, /NOT linearizable/);
  t.regex(checked.stdout, /operation #2 cannot be placed: #2 process 1 read → 7/);
  t.regex(checked.stdout, /in 1: read 7, but the value is 1/);
});

test("check --json: one object with the verdict; exit 2 when the budget runs out", (t) => {
  const path = join(corpora, "porcupine/jepsen/etcd_002.log");
  if (!existsSync(path)) {
    t.log("no Porcupine corpus: skipped");
    t.pass();
    return;
  }
  const checked = faultline("check", path, "--model", "etcd", "--json");
  t.is(checked.status, 0, checked.stderr);
  const result = JSON.parse(checked.stdout) as { valid: boolean; format: string; linearizations: unknown[] };
  t.is(result.valid, true);
  t.is(result.format, "porcupine-etcd");
  const starved = faultline("check", path, "--model", "etcd", "--states-max", "10", "--json");
  t.is(starved.status, 2, starved.stderr);
  t.is((JSON.parse(starved.stdout) as { valid: unknown }).valid, "unknown");
});

test("check: Knossos' bad analysis is invalid with --initial 0 (EDN guessed from the name)", (t) => {
  const path = join(corpora, "knossos/cas-register/bad/bad-analysis.edn");
  if (!existsSync(path)) {
    t.log("no Knossos corpus: skipped");
    t.pass();
    return;
  }
  const checked = faultline("check", path, "--model", "cas-register", "--initial", "0");
  t.is(checked.status, 1, checked.stderr);
  t.regex(checked.stdout, /operation #13 cannot be placed: #13 process 21 read → 2/);
});

const malformed: [name: string, text: string | Buffer, format: string][] = [
  ["empty.json", "", "json"],
  ["noise.edn", Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 2654435761) >>> 24)), "edn"],
  ["noise.txt", "x".repeat(3_000_000), "edn"],
  ["truncated.edn", "{:process 0, :type :invoke, :f :read, :value nil}\n{:process 0, :type :ok, :f :re", "edn"],
  ["wrongtype.json", '[{"process":"zero","type":"invoke","f":"write","value":1,"time":1}]', "json"],
  ["unpaired.json", '[{"process":0,"type":"ok","f":"write","value":1,"time":1,"index":0}]', "json"],
  ["backwards.json", '[{"process":0,"type":"invoke","f":"write","value":1,"time":5,"index":0},{"process":0,"type":"ok","f":"write","value":1,"time":2,"index":1}]', "json"],
  ["unknown-f.json", '[{"process":0,"type":"invoke","f":"explode","value":1,"time":1,"index":0},{"process":0,"type":"ok","f":"explode","value":1,"time":2,"index":1}]', "json"],
];

for (const [name, text, format] of malformed) {
  test(`check: malformed ${name} exits 3 with one line and no stack trace`, (t) => {
    const checked = faultline("check", file(name, text), "--model", "cas-register", "--format", format);
    t.is(checked.status, 3, checked.stdout);
    t.true(oneCleanLine(checked.stderr), checked.stderr);
  });
}

test("check: bad flags and missing files exit 3 with one line", (t) => {
  const good = file("flags.json", JSON.stringify(registerOps));
  for (const args of [
    [good, "--model", "nonsense"],
    [good, "--model", "register", "--format", "xml"],
    [good, "--model", "register", "--initial", "{not json"],
    [good, "--model", "register", "--timeout", "soon"],
    [good, "--model", "kv", "--initial", "[1]"],
    [join(dir, "missing.json"), "--model", "register"],
    [file("history.dat", "[]"), "--model", "register"],
  ]) {
    const checked = faultline("check", ...args);
    t.is(checked.status, 3, args.join(" "));
    t.true(oneCleanLine(checked.stderr), `${args.join(" ")}: ${checked.stderr}`);
  }
});

test("check --model master and --model log run the other checkers", (t) => {
  const master = [
    { process: 0, type: "ok", f: "master", value: { node: "a", token: 1, startUs: 0, endUs: 10 }, time: 10 },
    { process: 1, type: "ok", f: "master", value: { node: "b", token: 2, startUs: 10, endUs: 20 }, time: 20 },
  ];
  const checked = faultline("check", file("master.json", JSON.stringify(master)), "--model", "master", "--json");
  t.is(checked.status, 0, checked.stderr);
  t.is((JSON.parse(checked.stdout) as { valid: unknown }).valid, true);
  const overlapping = [master[0], { ...master[1], value: { node: "b", token: 2, startUs: 5, endUs: 20 } }];
  t.is(faultline("check", file("overlap.json", JSON.stringify(overlapping)), "--model", "master").status, 1);
  const log = [
    { process: 0, type: "invoke", f: "send", value: { producer: "p", partition: 0, value: "v1" }, time: 1 },
    { process: 0, type: "ok", f: "send", value: { partition: 0, offset: 0, value: "v1" }, time: 2 },
    { process: 1, type: "invoke", f: "drain", value: { partition: 0 }, time: 3 },
    { process: 1, type: "ok", f: "drain", value: { records: [] }, time: 4 },
  ];
  const lost = faultline("check", file("log.json", JSON.stringify(log)), "--model", "log");
  t.is(lost.status, 1, lost.stderr);
  t.regex(lost.stdout, /lost-write/);
});

test("check: an undecided single-key history names the whole history and the flags to try (exit 2)", (t) => {
  const writes = [0, 1, 2, 3, 4, 5].map((p) => ({ process: p, type: "invoke", f: "write", value: p, time: 1 }));
  const oks = [0, 1, 2, 3, 4, 5].map((p) => ({ process: p, type: "ok", f: "write", value: p, time: 2 }));
  const read = [{ process: 9, type: "invoke", f: "read", value: null, time: 3 }, { process: 9, type: "ok", f: "read", value: 0, time: 4 }];
  const path = file("busy.json", JSON.stringify([...writes, ...oks, ...read]));
  const starved = faultline("check", path, "--model", "register", "--states-max", "5");
  t.is(starved.status, 2, starved.stderr);
  t.regex(starved.stdout, /before 1 partition could be decided/);
  t.regex(starved.stdout, /undecided: the whole history/);
  t.notRegex(starved.stdout, /\(none\)/);
  t.regex(starved.stdout, /to decide it: run it again with a larger --states-max \(this one: 5 per partition\), and --timeout SECONDS/);
});
