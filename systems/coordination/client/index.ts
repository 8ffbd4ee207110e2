// systems/coordination/client/: the client library and its contract. The only door into the ensemble for
// code that uses it as any client would (the log, workloads).
export type {
  ClientOptions, CreateMode, MultiOp, ReadMode, Result, SessionState, Stat, WatchEvent, ZkClientApi, ZkError, Zxid,
} from "./api.ts";
export { ZkClient, type ZkClientOptions } from "./client.ts";
