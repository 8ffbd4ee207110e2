// Cluster and workload arbitraries of the coordination scenarios: JSON values fast-check shrinks
// toward the smallest case (3 servers, 5 clients, 1 key, fewest operations).
import * as fc from "fast-check";
import type { OperationMix } from "./zk-register-client.ts";

export interface ZkCluster {
  servers: number;
  tickUs: number;
  sessionTimeoutMs: number;
}

export interface ZkRegisterWorkload {
  cluster: ZkCluster;
  clients: number;
  keys: number;
  mix: OperationMix;
  operationsPerClientMax: number;
}

export interface ZkMasterWorkload {
  cluster: ZkCluster;
  candidates: number;
}

/** Ensemble sizes and timing; the session timeout stays within ZooKeeper's [2, 20] ticks. */
export function zkCluster(options: { sizes?: number[]; tickUs?: number; sessionTimeoutMs?: number } = {}): fc.Arbitrary<ZkCluster> {
  const tickUs = options.tickUs ?? 20_000;
  return fc.record({
    servers: fc.constantFrom(...(options.sizes ?? [3, 5])),
    tickUs: fc.constant(tickUs),
    sessionTimeoutMs: fc.constant(options.sessionTimeoutMs ?? (tickUs * 20) / 1000),
  });
}

export function operationMix(): fc.Arbitrary<OperationMix> {
  return fc.record({
    // Reads at least as likely as blind writes: blind writes whose outcome is unknown are what make
    // a history expensive to check, and reads are what see a stale or diverged replica.
    read: fc.integer({ min: 2, max: 4 }),
    write: fc.integer({ min: 1, max: 2 }),
    // No compare-and-set in half the runs: a failed cas on a diverged replica and a successful one
    // elsewhere bring the versions back together, which hides a divergence from later reads.
    cas: fc.constantFrom(0, 0, 1, 2),
  });
}

export function zkRegisterWorkload(): fc.Arbitrary<ZkRegisterWorkload> {
  return fc.record({
    cluster: zkCluster(),
    clients: fc.integer({ min: 5, max: 7 }),
    keys: fc.integer({ min: 2, max: 4 }),
    mix: operationMix(),
    operationsPerClientMax: fc.integer({ min: 400, max: 2_000 }),
  });
}

export function zkMasterWorkload(): fc.Arbitrary<ZkMasterWorkload> {
  return fc.record({
    cluster: zkCluster({ sizes: [3, 5] }),
    // Few candidates, so that a fault aimed at a candidate often hits the master.
    candidates: fc.integer({ min: 2, max: 3 }),
  });
}

export function serverIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `zk${index + 1}`);
}
