// The sequential models `faultline check --model` and the scenario runner can name.
import { HistoryError } from "../../history/index.ts";
import type { AnyModel } from "../model.ts";
import { etcdModel } from "./etcd.ts";
import { kvModel } from "./kv.ts";
import { multiRegisterModel } from "./multi-register.ts";
import { mutexModel } from "./mutex.ts";
import { casRegisterModel, registerModel } from "./register.ts";
import { znodeModel } from "./znode.ts";

export const linearizabilityModels: Readonly<Record<string, AnyModel>> = {
  register: registerModel,
  "cas-register": casRegisterModel,
  "multi-register": multiRegisterModel,
  kv: kvModel,
  etcd: etcdModel,
  znode: znodeModel,
  mutex: mutexModel,
};

export type ModelName = "register" | "cas-register" | "multi-register" | "kv" | "etcd" | "znode" | "mutex";

export function modelNamed(name: string): AnyModel {
  const model = linearizabilityModels[name];
  if (!model) throw new HistoryError(`unknown model "${name}"; models are ${Object.keys(linearizabilityModels).join(", ")}`);
  return model;
}

export { casRegisterModel, etcdModel, kvModel, multiRegisterModel, mutexModel, registerModel, znodeModel };
