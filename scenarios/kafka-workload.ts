// The kafka-log workload: JSON values fast-check shrinks toward the smallest case.
import * as fc from "fast-check";
import { zkCluster, type ZkCluster } from "./zk-workload.ts";

export interface KafkaWorkload {
  zk: ZkCluster;
  brokers: number;
  partitions: number;
  producers: number;
  /** Sends in flight per producer (each one history process). */
  inFlightMax: number;
  consumers: number;
  sendsPerProducerMax: number;
}

export function kafkaWorkload(): fc.Arbitrary<KafkaWorkload> {
  return fc.record({
    zk: zkCluster({ sizes: [3] }),
    brokers: fc.constant(3),
    partitions: fc.integer({ min: 2, max: 3 }),
    producers: fc.integer({ min: 3, max: 4 }),
    inFlightMax: fc.integer({ min: 1, max: 3 }),
    consumers: fc.integer({ min: 2, max: 3 }),
    sendsPerProducerMax: fc.integer({ min: 300, max: 1_000 }),
  });
}

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}${index + 1}`);
export const brokerIds = (count: number) => ids("b", count);
export const producerIds = (count: number) => ids("p", count);
export const consumerIds = (count: number) => ids("c", count);
export const DRAINER_ID = "drainer";
export const TOPIC = "events";
export const GROUP = "readers";
