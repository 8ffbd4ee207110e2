// Reading histories: every format gives the same operations; bad input gives one line naming where.
import test from "ava";
import { parseHistory, formatFromPath, HISTORY_FORMATS, type HistoryFormat } from "../../../properties/history/read.ts";
import { toEdn, toJsonLines } from "../../../properties/history/write.ts";

const ops = [
  { process: 0, type: "invoke", f: "write", value: 1, time: 10, index: 0 },
  { process: 1, type: "invoke", f: "read", value: null, time: 12, index: 1 },
  { process: 0, type: "ok", f: "write", value: 1, time: 15, index: 2 },
  { process: 1, type: "info", f: "read", value: null, time: 20, index: 3, error: "timeout" },
];

test("json: an array and JSON lines read the same; index is filled in when absent", (t) => {
  t.deepEqual(parseHistory(JSON.stringify(ops), "json"), ops);
  t.deepEqual(parseHistory(ops.map((op) => JSON.stringify(op)).join("\n") + "\n\n", "json"), ops);
  const unindexed = ops.map(({ index: _, ...rest }) => rest);
  t.deepEqual(parseHistory(JSON.stringify(unindexed), "json").map((op) => op.index), [0, 1, 2, 3]);
});

test("edn: vectors, lists, comments, multi-line maps; keywords become strings; nemesis is dropped", (t) => {
  const edn = `; a comment
[{:process 0, :type :invoke, :f :cas, :value [1 2]}
 {:process :nemesis, :type :info, :f :start, :value nil}
 ; between maps
 {:type :ok,
  :f :cas, :value [1 2], :process 0, :time 99}
 {:process 1 :type :invoke :f :txn :value [[:read :x nil] [:write :y 3]]}
 {:process 1 :type :fail :f :txn :value [[:read :x nil] [:write :y 3]] :error [:timeout "slow; very"]}]`;
  const read = parseHistory(edn, "edn");
  t.deepEqual(read.map((op) => [op.process, op.type, op.f]), [[0, "invoke", "cas"], [0, "ok", "cas"], [1, "invoke", "txn"], [1, "fail", "txn"]]);
  t.deepEqual(read[0]!.value, [1, 2]);
  t.deepEqual(read[2]!.value, [["read", "x", null], ["write", "y", 3]]);
  t.is(read[3]!.error, '["timeout","slow; very"]');
  t.deepEqual(read.map((op) => op.time), [0, 2, 3, 4], "time is the position in the file (Knossos ignores :time)");
  const list = parseHistory("({:process 0 :type :invoke :f :read :value nil})", "edn");
  t.is(list.length, 1);
  const bare = parseHistory("{:process 0 :type :invoke :f :read}\n{:process 0 :type :ok :f :read :value 3}", "edn");
  t.is(bare[1]!.value, 3);
});

test("porcupine etcd log: tabs or spaces; nil, integers, [a b] and :timed-out; time is the line", (t) => {
  const log = [
    "INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]",
    "INFO  jepsen.util - 3    :fail   :cas    [1 4]",
    "",
    "INFO  jepsen.util - 4\t:invoke\t:read\tnil",
    "INFO  jepsen.util - 4\t:fail\t:read\t:timed-out",
    "INFO  jepsen.util - 5\t:invoke\t:write\t2",
    "INFO  jepsen.util - 5\t:info\t:write\t:timed-out",
  ].join("\n");
  const read = parseHistory(log, "porcupine-etcd");
  t.deepEqual(read.map((op) => [op.process, op.type, op.f, op.value, op.time]), [
    [3, "invoke", "cas", [1, 4], 1],
    [3, "fail", "cas", [1, 4], 2],
    [4, "invoke", "read", null, 4],
    [4, "fail", "read", null, 5],
    [5, "invoke", "write", 2, 6],
    [5, "info", "write", null, 7],
  ]);
  t.is(read[3]!.error, "timed-out");
});

test("porcupine kv log: key and value become the operation's value; other key orders read as EDN", (t) => {
  const log = [
    '{:process 0, :type :invoke, :f :append, :key "1", :value "x 0 1 y"}',
    '{:process 0, :type :ok, :f :append, :key "1", :value "x 0 1 y"}',
    '{:type :invoke, :process 1, :f :get, :value nil, :key "1"}',
    '{:process 1, :type :ok, :f :get, :key "1", :value "x 0 1 y"}',
  ].join("\n");
  const read = parseHistory(log, "porcupine-kv");
  t.deepEqual(read.map((op) => op.value), [
    { key: "1", value: "x 0 1 y" },
    { key: "1", value: "x 0 1 y" },
    { key: "1", value: null },
    { key: "1", value: "x 0 1 y" },
  ]);
  t.deepEqual(read.map((op) => op.time), [1, 2, 3, 4]);
});

test("writers: JSON lines and EDN read back as the same operations", (t) => {
  const history = parseHistory(JSON.stringify(ops), "json");
  t.deepEqual(parseHistory(toJsonLines(history), "json"), history);
  const fromEdn = parseHistory(toEdn(history), "edn");
  t.deepEqual(fromEdn.map(({ time: _, ...rest }) => rest), history.map(({ time: _, ...rest }) => rest));
});

test("format from the file name", (t) => {
  t.is(formatFromPath("a/b.edn"), "edn");
  t.is(formatFromPath("h.jsonl"), "json");
  t.is(formatFromPath("etcd_001.log"), "porcupine-etcd");
  t.is(formatFromPath("c01-ok.txt"), "porcupine-kv");
  t.is(formatFromPath("history"), null);
});

/** Printable noise from a fixed seed: it decodes as text, so only the readers can reject it. */
function noise(bytes: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 {}[]():;,"\\\n\t-_#';
  let x = 12345;
  let text = "";
  for (let i = 0; i < bytes; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    text += alphabet[(x >>> 16) % alphabet.length];
  }
  return text;
}

const malformed: [name: string, format: HistoryFormat, text: string, message: RegExp][] = [
  ["truncated EDN map", "edn", "{:process 0, :type :invoke, :f :read, :value nil}\n{:process 0, :type :ok, :f :re", /^line 2: .*never closed/],
  ["truncated EDN vector", "edn", "[{:process 0, :type :invoke, :f :read, :value nil}\n", /^line 2: .*never closed/],
  ["EDN that is not a map", "edn", "[{:process 0 :type :invoke :f :read} 42]", /^line 1: expected an operation map/],
  ["wrong process type", "json", '[{"process":"zero","type":"invoke","f":"write","value":1,"time":1}]', /"process" must be a non-negative integer, got "zero"/],
  ["wrong type", "json", '{"process":0,"type":"done","f":"write","time":1}', /^line 1: "type" must be invoke, ok, fail or info/],
  ["wrong f type", "json", '{"process":0,"type":"invoke","f":7,"time":1}', /"f" must be a non-empty string/],
  ["wrong time type", "json", '{"process":0,"type":"invoke","f":"read","time":"noon"}', /"time" must be a number/],
  ["missing time after timed operations", "json", '{"process":0,"type":"invoke","f":"read","time":1}\n{"process":0,"type":"ok","f":"read"}', /^line 2: "time" is missing/],
  ["unpaired completion", "json", '[{"process":0,"type":"ok","f":"write","value":1,"time":1,"index":0}]', /completes no pending invoke/],
  ["two pending invokes", "json", '{"process":0,"type":"invoke","f":"write","time":1}\n{"process":0,"type":"invoke","f":"read","time":2}', /^line 2: process 0 invokes read while its write/],
  ["completion of another f", "json", '{"process":0,"type":"invoke","f":"write","time":1}\n{"process":0,"type":"ok","f":"read","time":2}', /completes read, but it invoked write/],
  ["time backwards", "json", '[{"process":0,"type":"invoke","f":"write","value":1,"time":5},{"process":0,"type":"ok","f":"write","value":1,"time":2}]', /time goes backwards: 2 after 5/],
  ["index not increasing", "json", '{"process":0,"type":"invoke","f":"write","time":1,"index":3}\n{"process":0,"type":"ok","f":"write","time":2,"index":3}', /"index" 3 does not increase/],
  ["not JSON", "json", '{"process":0,"type":"invoke",\n', /^line 1: not JSON/],
  ["an etcd log line of another shape", "porcupine-etcd", "INFO  jepsen.util - 3\t:invoke\t:read\tnil\nWARN something else", /^line 2: not a Jepsen etcd log line/],
  ["a kv log line that is not a map", "porcupine-kv", "hello", /^line 1: not a kv log line/],
];

for (const [name, format, text, message] of malformed) {
  test(`malformed: ${name} is a one-line user error`, (t) => {
    const error = t.throws(() => parseHistory(text, format))!;
    t.true((error as { userError?: boolean }).userError);
    t.regex(error.message, message);
    t.false(error.message.includes("\n"));
  });
}

test("malformed: an empty file, in every format", (t) => {
  for (const format of HISTORY_FORMATS) {
    for (const text of ["", "  \n\n "]) t.regex(t.throws(() => parseHistory(text, format))!.message, /^empty file/);
  }
});

test("malformed: megabytes of noise fail on their first line, in every format", (t) => {
  const text = noise(3_000_000);
  for (const format of HISTORY_FORMATS) {
    const error = t.throws(() => parseHistory(text, format))!;
    t.true((error as { userError?: boolean }).userError, format);
    t.regex(error.message, /^line 1: /, format);
    t.true(error.message.length < 200);
  }
});
